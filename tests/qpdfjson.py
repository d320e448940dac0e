"""qpdfjson — reading a PDF through `qpdf --json` (JSON v2) for the shell
tests (t_pdf.sh, t_a11y.sh): objects, references, strings and the page
labels of the catalog's number tree. Python standard library only."""
import base64, json, re, subprocess


class Pdf:
    def __init__(self, path, streams=False):
        args = ["qpdf", "--json"]
        if streams:
            args += ["--json-stream-data=inline", "--decode-level=generalized"]
        out = subprocess.run(args + [path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        self.json = json.loads(out)
        self.objs = self.json["qpdf"][1]
        self.catalog = self.obj(self.objs["trailer"]["value"]["/Root"])
        self.pages = [p["object"] for p in self.json["pages"]]
        self.pageidx = {r: i for i, r in enumerate(self.pages)}

    def obj(self, ref):
        """the value (or a stream's dictionary) of object ref ('12 0 R')"""
        o = self.objs.get("obj:" + ref, {})
        return o.get("value", o.get("stream", {}).get("dict"))

    def sdata(self, ref):
        """a stream's decoded data (only with streams=True), or None"""
        s = self.objs.get("obj:" + ref, {}).get("stream", {})
        return base64.b64decode(s["data"]) if "data" in s else None

    def deref(self, v):
        return self.obj(v) if isref(v) else v

    def labels(self):
        """the label of every page, from the catalog's /PageLabels (page
        numbers 1, 2... when it has none); and the number tree's ranges"""
        def numtree(node, out):
            node = self.deref(node) or {}
            nums = node.get("/Nums", [])
            for k in range(0, len(nums) - 1, 2):
                out.append((nums[k], self.deref(nums[k + 1])))
            for kid in node.get("/Kids", []):
                numtree(kid, out)
            return out
        ranges = sorted(numtree(self.catalog.get("/PageLabels"), []), key=lambda x: x[0])
        labels = []
        for i in range(len(self.pages)):
            rng = [r for r in ranges if r[0] <= i]
            if not rng:
                labels.append(str(i + 1))
                continue
            start, d = rng[-1]
            n = d.get("/St", 1) + i - start
            s = {"/D": str(n), "/r": roman(n), "/R": roman(n).upper(),
                 "/a": chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1),
                 "/A": chr(65 + (n - 1) % 26) * ((n - 1) // 26 + 1)}.get(d.get("/S"), "")
            labels.append(pstr(d.get("/P", "u:")) + s)
        return labels, ranges


def isref(v):
    return isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v) is not None


def pstr(v):
    """a PDF string from qpdf's JSON ('u:' text, 'b:' hex bytes) or a name"""
    if not isinstance(v, str):
        return v
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    return v.lstrip("/")


def roman(n):
    r = ""
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                 (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            r += s
            n -= v
    return r
