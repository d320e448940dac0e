#!/usr/bin/env bash
# t_images.sh — images in both editions (issue 4), checked by reading the
# outputs with EPUBCheck, qpdf, poppler-utils and python3 (standard library
# only), never by comparing files as strings. The test book
# tests/books/images has a PNG (300 x 1400 px: taller than a page), a JPEG
# (1000 x 600 px: wider than the text), an SVG drawing of paths (640 x 240
# px, used twice), a small SVG icon inline in the text, captions from
# ![alt](file "Title") and one image without alt text.
#   - the book builds (exit 0); the image without alt text is a warning
#     naming file:line; EPUBCheck: 0 errors, 0 warnings;
#   - EPUB: each image in the manifest with its media type (image/png,
#     image/jpeg, image/svg+xml) and its bytes unchanged (an SVG: the same
#     XML, written again by the sanitiser); every <img> has the
#     alt text of the Markdown; an image alone in its paragraph is a
#     <figure>, with a <figcaption> holding the title when it has one; an
#     image in a sentence stays in its <p>;
#   - PDF: qpdf --check; exactly two image XObjects (PNG and JPEG: the SVG
#     is drawn as paths, no image for it); the JPEG is a /DCTDecode stream
#     whose bytes are the JPEG file's own (and the raw PDF contains them);
#     the PNG is /FlateDecode and its pixels equal the PNG file's pixels
#     (lossless); the SVG's fill colours are drawn as vector fills;
#   - fit: every raster image lies inside the text area of its page (where
#     it is drawn: the content streams' q/Q/cm/Do, through form XObjects),
#     aspect kept; the wide JPEG fills the text width; the SVG (rendered with
#     pdftoppm, found by its colours) lies inside the text width; the same
#     with --paper a5 (and qpdf --check passes);
#   - bad images, each a tiny book of its own: missing, corrupt, truncated
#     PNG, truncated JPEG, GIF, absurd declared size (IHDR 100000 x 100000,
#     correct CRC), SVG without size, PNG with a valid header and corrupt
#     image data, a folder named like an image: exit 1, an error at
#     a.md:LINE:COL naming the image, no output file.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-img.XXXXXX")
bgpids=()
trap 'for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftoppm pdftotext pdfinfo python3
BOOK=tests/books/images

# ---- the test book -----------------------------------------------------------
if "$GB" build "$BOOK" -o "$tmp/o" >"$tmp/o.out" 2>"$tmp/o.err"; then
  ok "build: the images book (exit 0)"
else
  nok "build: the images book (exit $?)"; indent <"$tmp/o.err"
fi
E=$tmp/o/images.epub P=$tmp/o/images.pdf

# EPUBCheck is slow: it runs in the background while the rest is checked.
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
ec=
if [ -f "$E" ] && command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$E" >"$tmp/ec.log" 2>&1 &
  ec=$!; bgpids+=("$ec")
fi
# --paper a5 in the background too
"$GB" build "$BOOK" -o "$tmp/a5" --pdf --paper a5 >"$tmp/a5.log" 2>&1 &
a5=$!; bgpids+=("$a5")

# The image without alt text: a warning naming the chapter and the line.
noalt=$(grep -n '!\[\](' "$BOOK"/*.md | head -1)   # file:line:text
nf=$(basename "${noalt%%:*}"); nl=$(echo "$noalt" | cut -d: -f2)
if grep -Eq "(^|/)$nf:$nl:[0-9]+: warning: .*vinkje\.svg" "$tmp/o.err"; then
  ok "an image without alt text is a warning at $nf:$nl"
else
  nok "an image without alt text is a warning at $nf:$nl:COL naming the image"; indent <"$tmp/o.err"
fi
# (besides the EPUB's note that it therefore makes no conformance claim)
n=$(grep 'warning' "$tmp/o.err" | grep -vc 'makes no accessibility conformance claim')
[ "$n" -eq 1 ] && ok "no other warnings (images with alt text are fine)" ||
  { nok "exactly one warning (got $n)"; indent <"$tmp/o.err"; }
grep -q 'error' "$tmp/o.err" && { nok "no errors on stderr"; indent <"$tmp/o.err"; }

# ---- EPUB and PDF, read with python ---------------------------------------
cat >"$tmp/check.py" <<'PY'
import sys, os, re, json, zlib, struct, zipfile, subprocess, posixpath
import xml.etree.ElementTree as ET

book, epub, pdf, tmp = sys.argv[1:5]
def ok(m): print("ok - " + m)
def nok(m, details=()):
    print("not ok - " + m)
    for d in list(details)[:12]: print("#   " + str(d))
def check(cond, m, details=()):
    (ok if cond else (lambda x: nok(x, details)))(m)
def run(*cmd, binary=False):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return r.stdout if binary else r.stdout.decode("utf-8", "replace")

XH = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
MEDIA = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}

# The Markdown's images, in reading order (chapters as book.yaml lists them).
chap = re.findall(r"^\s*-\s*(\S+\.md)\s*$", open(os.path.join(book, "book.yaml")).read(), re.M)
md_imgs = []   # (chapter, line, alt, file, title, alone in its paragraph)
for c in chap:
    text = open(os.path.join(book, c), encoding="utf-8").read()
    for para in re.split(r"\n\s*\n", text):
        found = list(re.finditer(r'!\[([^\]]*)\]\(([^ )]+)(?:\s+"([^"]*)")?\)', para))
        for m in found:
            alone = len(found) == 1 and para.strip() == m.group(0)
            md_imgs.append((c, m.group(1), m.group(2), m.group(3), alone))
files = sorted({m[2] for m in md_imgs})
check(len(md_imgs) >= 5 and {os.path.splitext(f)[1] for f in files} >= {".png", ".jpg", ".svg"},
      "the test book has PNG, JPEG and SVG images (%d images, %d files)" % (len(md_imgs), len(files)))

# ---------------------------------------------------------------- EPUB --
if not os.path.exists(epub):
    nok("EPUB checks: %s was not built" % epub)
else:
    z = zipfile.ZipFile(epub)
    cont = ET.fromstring(z.read("META-INF/container.xml"))
    opfpath = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    opf = ET.fromstring(z.read(opfpath))
    base = posixpath.dirname(opfpath)
    items = {i.get("id"): i for i in opf.iter(OPF + "item")}
    byhref = {posixpath.normpath(posixpath.join(base, i.get("href"))): i for i in items.values()}
    # each image file: in the manifest, right media type, same bytes
    for f in files:
        src = open(os.path.join(book, f), "rb").read()
        want = MEDIA[os.path.splitext(f)[1].lower()]
        hits = [(h, i.get("media-type")) for h, i in byhref.items()
                if posixpath.basename(h) == posixpath.basename(f)]
        # an SVG is written again by libxml2 (sanitised, issue 17): the same
        # XML, not the same bytes
        def same_as_src(h):
            if want != "image/svg+xml":
                return z.read(h) == src
            return ET.canonicalize(z.read(h).decode()) == ET.canonicalize(src.decode())
        same = [h for h, _ in hits if h in z.namelist() and same_as_src(h)]
        check(len(hits) == 1 and hits[0][1] == want and same,
              "EPUB manifest: %s as %s, bytes unchanged" % (f, want),
              ["manifest entries: %r" % hits])
    # the <img> elements of the chapters in spine order, with their parents
    imgs = []
    for ref in opf.iter(OPF + "itemref"):
        it = items[ref.get("idref")]
        href = posixpath.normpath(posixpath.join(base, it.get("href")))
        doc = ET.fromstring(z.read(href))
        body = doc.find(XH + "body")
        if body is None or "cover" in (body.get("{http://www.idpf.org/2007/ops}type") or "") \
                or href.endswith("cover.xhtml"):
            continue
        parent = {c: p for p in body.iter() for c in p}
        for im in body.iter(XH + "img"):
            s = posixpath.normpath(posixpath.join(posixpath.dirname(href), im.get("src", "")))
            imgs.append((href, im, parent.get(im), parent))
    imgs = [x for x in imgs if not posixpath.basename(x[1].get("src", "")).startswith("cover")]
    check(len(imgs) == len(md_imgs), "the chapters hold %d <img> elements, one per Markdown image (%d)"
          % (len(imgs), len(md_imgs)))
    bad_alt, bad_fig, bad_cap, bad_inline = [], [], [], []
    for (c, alt, f, title, alone), (href, im, par, parent) in zip(md_imgs, imgs):
        if posixpath.basename(im.get("src", "")) != posixpath.basename(f):
            bad_alt.append("%s: %s in the Markdown, %s in the EPUB (order)" % (c, f, im.get("src")))
            continue
        if im.get("alt") != alt:
            bad_alt.append("%s: %s alt=%r, Markdown has %r" % (c, f, im.get("alt"), alt))
        ptag = par.tag.replace(XH, "") if par is not None else None
        if alone:
            if ptag != "figure":
                bad_fig.append("%s: %s (alone in its paragraph) is in <%s>" % (c, f, ptag))
                continue
            caps = [e for e in par if e.tag == XH + "figcaption"]
            capt = " ".join("".join(caps[0].itertext()).split()) if caps else None
            if title and capt != title:
                bad_cap.append("%s: %s: figcaption %r, title %r" % (c, f, capt, title))
            if not title and caps:
                bad_cap.append("%s: %s has no title but a figcaption %r" % (c, f, capt))
        else:
            if ptag != "p":
                bad_inline.append("%s: %s (in a sentence) is in <%s>, not <p>" % (c, f, ptag))
    nalone = sum(1 for m in md_imgs if m[4])
    ntitled = sum(1 for m in md_imgs if m[4] and m[3])
    check(not bad_alt, "every <img> has the Markdown's alt text (including alt=\"\" for none)", bad_alt)
    check(not bad_fig, "the %d images alone in their paragraph are <figure>s" % nalone, bad_fig)
    check(not bad_cap, "the %d titled figures have a <figcaption> with the title; untitled ones none"
          % ntitled, bad_cap)
    check(not bad_inline, "images inside a sentence stay inline in their <p> (%d)" % (len(md_imgs) - nalone),
          bad_inline)

# ----------------------------------------------------------------- PDF --
if not os.path.exists(pdf):
    nok("PDF checks: %s was not built" % pdf)
    sys.exit(0)
raw = open(pdf, "rb").read()
J = json.loads(run("qpdf", "--json", pdf))
objs = J["qpdf"][1]
images = {}
for k, o in objs.items():
    d = o.get("stream", {}).get("dict") if isinstance(o, dict) else None
    if d and d.get("/Subtype") == "/Image":
        images[k.split(":")[1].split()[0]] = d
check(len(images) == 2, "the PDF has exactly 2 image XObjects: the PNG and the JPEG; none for the SVG (%d: %s)"
      % (len(images), ", ".join("%sx%s %s" % (d.get("/Width"), d.get("/Height"), d.get("/Filter"))
                                 for d in images.values())))
smask = [n for n, d in images.items() if "/SMask" in d]
check(not smask, "no soft masks (the images are opaque)", smask)

jpg = [f for f in files if f.lower().endswith((".jpg", ".jpeg"))][0]
jbytes = open(os.path.join(book, jpg), "rb").read()
dct = [n for n, d in images.items() if d.get("/Filter") in ("/DCTDecode", ["/DCTDecode"])]
if len(dct) != 1:
    nok("the JPEG is one /DCTDecode image (got %d)" % len(dct))
else:
    d = images[dct[0]]
    rs = run("qpdf", "--show-object=" + dct[0], "--raw-stream-data", pdf, binary=True)
    check(rs == jbytes, "the JPEG's /DCTDecode stream (object %s, %sx%s) is the file's own %d bytes, not re-encoded"
          % (dct[0], d.get("/Width"), d.get("/Height"), len(jbytes)),
          ["stream %d bytes, file %d bytes" % (len(rs), len(jbytes))])
    soi = jbytes.find(b"\xff\xda")          # the entropy-coded body from the first scan on
    check(jbytes in raw and jbytes[soi:] in raw, "the raw PDF bytes contain the JPEG file's bytes")

# the PNG: decode the file (8-bit RGB/RGBA/grey, not interlaced) with zlib
def png_pixels(data):
    pos, chunks = 8, []
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n])); pos += 12 + n
    ihdr = dict(chunks)[b"IHDR"]
    w, h, depth, ct, _, _, il = struct.unpack(">IIBBBBB", ihdr)
    assert depth == 8 and il == 0 and ct in (0, 2, 6), "fixture PNG must be 8-bit, not interlaced"
    bpp = {0: 1, 2: 3, 6: 4}[ct]
    z = zlib.decompress(b"".join(d for t, d in chunks if t == b"IDAT"))
    stride, out, prev = w * bpp, bytearray(), bytearray(w * bpp)
    for y in range(h):
        f, row = z[y * (stride + 1)], bytearray(z[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: row[i] = (row[i] + a) & 255
            elif f == 2: row[i] = (row[i] + b) & 255
            elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += row; prev = row
    if ct == 6:   # opaque fixture: drop alpha
        out = bytearray(b for i, b in enumerate(out) if i % 4 != 3)
    return w, h, ct, bytes(out)
png = [f for f in files if f.lower().endswith(".png")][0]
pw, ph, pct, pix = png_pixels(open(os.path.join(book, png), "rb").read())
fl = [n for n, d in images.items() if d.get("/Width") == pw and d.get("/Height") == ph]
if len(fl) != 1:
    nok("the PNG (%dx%d) is one image XObject of its size (got %d)" % (pw, ph, len(fl)))
else:
    d = images[fl[0]]
    check(d.get("/Filter") in ("/FlateDecode", ["/FlateDecode"]) and d.get("/BitsPerComponent") == 8,
          "the PNG is a /FlateDecode image, 8 bits per component (%s)" % d.get("/Filter"))
    data = run("qpdf", "--show-object=" + fl[0], "--filtered-stream-data", pdf, binary=True)
    cs = d.get("/ColorSpace")
    if cs == "/DeviceGray" and pct == 0: want = pix
    elif cs == "/DeviceRGB": want = pix if pct != 0 else bytes(b for b in pix for _ in range(3))
    else: want = None
    check(data == want, "the PNG's pixels in the PDF equal the file's pixels: lossless (%d bytes, %s)"
          % (len(data), cs), ["PDF %d bytes, PNG %d bytes, first difference at %s" % (
              len(data), len(want or b""), next((i for i in range(min(len(data), len(want or b"")))
                                                  if data[i] != want[i]), "end"))])

# the SVG: its fill colours as vector fills in the content streams
svgs = [f for f in files if f.lower().endswith(".svg") and any(m[2] == f and m[4] for m in md_imgs)]
q = os.path.join(tmp, "q.pdf")
subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, q], check=False)
qd = open(q, "rb").read().decode("latin-1")
def rgbop(hexc):
    return " ".join(("%f" % (int(hexc[i:i + 2], 16) / 255)).rstrip("0").rstrip(".") if int(hexc[i:i + 2], 16) not in (0, 255)
                    else str(int(hexc[i:i + 2], 16) // 255) for i in (1, 3, 5))
for s in svgs:
    fills = re.findall(r'fill="(#[0-9A-Fa-f]{6})"', open(os.path.join(book, s)).read())
    ops = [rgbop(c) + " rg" for c in fills]
    missing = [o for o in ops if not re.search(r"(^|\s)" + re.escape(o) + r"\s", qd)]
    check(fills and not missing, "the SVG %s is drawn as vector paths: its fills %s are in the content streams"
          % (s, ", ".join(ops)), ["missing: %s" % missing])
# the inline icon: drawn, or at least its alt text in the text
inl = [m for m in md_imgs if not m[4] and m[1]]
if inl:
    txt = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    c, alt, f, title, alone = inl[0]
    strokes = re.findall(r'stroke="(#[0-9A-Fa-f]{6})"', open(os.path.join(book, f)).read())
    drawn = strokes and re.search(re.escape(rgbop(strokes[0])) + r" RG", qd)
    if drawn: ok("the inline image %s is drawn in the PDF" % f)
    elif alt in txt: print("# note: the inline image %s is not drawn in the PDF; its alt text '%s' stands in its place" % (f, alt))
    else: nok("the inline image %s is drawn in the PDF, or its alt text '%s' shown" % (f, alt))
PY
python3 "$tmp/check.py" "$BOOK" "$E" "$P" "$tmp"

# ---- fit: drawn sizes of the images ------------------------------------------
# text area from styles/style.yaml (page: margins in mm)
cat >"$tmp/fit.py" <<'PY'
import sys, re, subprocess
pdf, style, label, svgs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def ok(m, details=()): print("ok - %s: %s" % (label, m))
def nok(m, details=()):
    print("not ok - %s: %s" % (label, m))
    for d in list(details)[:12]: print("#   " + str(d))
def run(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode("utf-8", "replace")
st = open(style).read()
def mm(key):
    m = re.search(r"^\s*%s:\s*([\d.]+)(mm|pt|cm|in)" % key, st, re.M)
    v = float(m.group(1)); return v * {"mm": 72 / 25.4, "pt": 1, "cm": 72 / 2.54, "in": 72}[m.group(2)]
info = run("pdfinfo", pdf)
W, H = map(float, re.search(r"Page size:\s*([\d.]+) x ([\d.]+)", info).groups())
tw = W - mm("margin-inner") - mm("margin-outer")
th = H - mm("margin-top") - mm("margin-bottom")
# Where each image XObject is drawn: a small content-stream interpreter
# (q, Q, cm, Do, through form XObjects) gives the matrix that maps the
# image's unit square onto the page.
import json, base64
J = json.loads(subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized",
                               pdf], stdout=subprocess.PIPE).stdout)
objs = J["qpdf"][1]
def obj(ref): return objs.get("obj:" + ref, {})
def deref(v):
    if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
        o = obj(v); return o.get("value", o.get("stream", {}).get("dict"))
    return v
def sdata(ref): return base64.b64decode(obj(ref).get("stream", {}).get("data", ""))
def tokens(b):
    i, n = 0, len(b)
    while i < n:
        c = b[i:i + 1]
        if c in b" \t\r\n\f\x00": i += 1
        elif c == b"%":
            while i < n and b[i:i + 1] not in b"\r\n": i += 1
        elif c == b"(":
            depth, i = 1, i + 1
            while i < n and depth:
                if b[i:i + 1] == b"\\": i += 2; continue
                depth += {b"(": 1, b")": -1}.get(b[i:i + 1], 0); i += 1
            yield ("str", None)
        elif c == b"<" and b[i:i + 2] != b"<<":
            j = b.index(b">", i); i = j + 1; yield ("str", None)
        elif c in b"[]{}" or b[i:i + 2] in (b"<<", b">>"):
            k = 2 if b[i:i + 2] in (b"<<", b">>") else 1; i += k; yield ("delim", None)
        elif c == b"/":
            j = i + 1
            while j < n and b[j:j + 1] not in b" \t\r\n\f/[]()<>{}%": j += 1
            yield ("name", b[i:j].decode("latin-1")); i = j
        else:
            j = i
            while j < n and b[j:j + 1] not in b" \t\r\n\f/[]()<>{}%": j += 1
            t = b[i:j].decode("latin-1"); i = j
            try: yield ("num", float(t))
            except ValueError: yield ("op", t)
def mul(m, n):
    a, b, c, d, e, f = m; A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
placed = []   # (page, width px, height px, x0, y0, x1, y1)
def run_content(data, res, ctm, page, depth=0):
    stack, ops = [], []
    xo = deref((deref(res) or {}).get("/XObject")) or {}
    for kind, v in tokens(data):
        if kind in ("num", "name"): ops.append(v); continue
        if kind != "op": continue
        if v == "q": stack.append(ctm)
        elif v == "Q" and stack: ctm = stack.pop()
        elif v == "cm" and len(ops) >= 6 and all(isinstance(x, float) for x in ops[-6:]):
            ctm = mul(tuple(ops[-6:]), ctm)
        elif v == "Do" and ops and isinstance(ops[-1], str):
            ref = xo.get(ops[-1]); d = deref(ref) or {}
            if d.get("/Subtype") == "/Image":
                xs = [ctm[4], ctm[4] + ctm[0], ctm[4] + ctm[2], ctm[4] + ctm[0] + ctm[2]]
                ys = [ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3]]
                placed.append((page, d.get("/Width"), d.get("/Height"), min(xs), min(ys), max(xs), max(ys)))
            elif d.get("/Subtype") == "/Form" and depth < 8:
                m = tuple(d.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                run_content(sdata(ref), d.get("/Resources", res), mul(m, ctm), page, depth + 1)
        ops = []
for pn, pg in enumerate(J["pages"], 1):
    pd = deref(pg["object"])
    data = b"\n".join(sdata(c) for c in pg["contents"])
    run_content(data, pd.get("/Resources"), (1, 0, 0, 1, 0, 0), pn)
left, right = min(mm("margin-inner"), mm("margin-outer")), W - min(mm("margin-inner"), mm("margin-outer"))
bottom, top = mm("margin-bottom"), H - mm("margin-top")
bad, wide, desc = [], [], []
for page, w, h, x0, y0, x1, y1 in placed:
    dw, dh = x1 - x0, y1 - y0
    desc.append("p%d %dx%d px: %.1f x %.1f pt at (%.1f, %.1f)" % (page, w, h, dw, dh, x0, y0))
    if x0 < left - 0.5 or x1 > right + 0.5 or y0 < bottom - 0.5 or y1 > top + 0.5:
        bad.append("page %d: %dx%d px drawn at x %.1f..%.1f, y %.1f..%.1f: outside the text area" % (page, w, h, x0, x1, y0, y1))
    if abs(dw / dh - w / h) > 0.01 * (w / h):
        bad.append("page %d: aspect changed (%dx%d px drawn %.1f x %.1f pt)" % (page, w, h, dw, dh))
    if w * 0.75 > tw: wide.append((page, dw))
if len(placed) == 2 and not bad:
    ok("both raster images lie inside the text area (x %.1f..%.1f, y %.1f..%.1f pt), aspect kept: %s"
       % (left, right, bottom, top, "; ".join(desc)))
else:
    nok("2 raster images, each inside the text area %.1f x %.1f pt, aspect kept" % (tw, th), bad or desc or ["no images drawn"])
if wide:
    off = [x for x in wide if abs(x[1] - tw) > 0.5]
    (ok if not off else nok)("an image wider than the text is fitted to the text width %.1f pt (%s pt)"
                             % (tw, ", ".join("%.1f" % x[1] for x in wide)))
# the SVG: render at 72 dpi (1 px = 1 pt) and find its first and last fill colours
hexes = []
for s in svgs:
    fills = re.findall(r'fill="#([0-9A-Fa-f]{6})"', open(s).read())
    if fills: hexes.append((s, fills[0], fills[-1]))
import os, tempfile
d = tempfile.mkdtemp()
subprocess.run(["pdftoppm", "-r", "72", pdf, os.path.join(d, "p")], check=False)
pages = sorted(f for f in os.listdir(d) if f.endswith(".ppm"))
def ppm(path):
    b = open(path, "rb").read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", b)
    return int(m.group(1)), int(m.group(2)), b[m.end():]
for s, first, last in hexes:
    c1 = tuple(int(first[i:i + 2], 16) for i in (0, 2, 4)); c2 = tuple(int(last[i:i + 2], 16) for i in (0, 2, 4))
    spans = []
    for f in pages:
        w, h, px = ppm(os.path.join(d, f))
        xs1, xs2 = [], []
        for y in range(0, h, 2):
            row = px[y * w * 3:(y + 1) * w * 3]
            for x in range(w):
                p = row[3 * x:3 * x + 3]
                if abs(p[0] - c1[0]) + abs(p[1] - c1[1]) + abs(p[2] - c1[2]) < 12: xs1.append(x)
                elif abs(p[0] - c2[0]) + abs(p[1] - c2[1]) + abs(p[2] - c2[2]) < 12: xs2.append(x)
        if len(xs1) > 50 and len(xs2) > 50: spans.append((f, min(xs1), max(xs2), w))
    if not spans:
        nok("the SVG %s is visible on some page (its colours #%s, #%s)" % (os.path.basename(s), first, last)); continue
    out = [sp for sp in spans if sp[1] < mm("margin-inner") - 2 and sp[1] < mm("margin-outer") - 2
           or sp[2] > sp[3] - min(mm("margin-inner"), mm("margin-outer")) + 2]
    (ok if not out else nok)("the SVG %s lies inside the text width on %d page(s) (x %s)"
                             % (os.path.basename(s), len(spans), ", ".join("%d..%d" % (a, b) for _, a, b, _ in spans)),
                             out)
PY
svgfig=$(grep -ho '!\[[^]]*\]([^ )]*\.svg "' "$BOOK"/*.md | sed 's/.*(\([^ ]*\) "/\1/' | sort -u | sed "s|^|$BOOK/|")
if [ -f "$P" ]; then
  qpdf --check "$P" >"$tmp/qc.log" 2>&1 && ok "images.pdf: qpdf --check passes" ||
    { nok "images.pdf: qpdf --check passes"; indent <"$tmp/qc.log"; }
  python3 "$tmp/fit.py" "$P" styles/style.yaml "A4" $svgfig
fi

wait "$a5"
if [ -f "$tmp/a5/images.pdf" ]; then
  ok "build: the images book with --paper a5"
  qpdf --check "$tmp/a5/images.pdf" >"$tmp/qc5.log" 2>&1 && ok "A5: qpdf --check passes" ||
    { nok "A5: qpdf --check passes"; indent <"$tmp/qc5.log"; }
  python3 "$tmp/fit.py" "$tmp/a5/images.pdf" styles/style.yaml "A5" $svgfig
else
  nok "build: the images book with --paper a5"; indent <"$tmp/a5.log"
fi

# ---- the book's own cover image (book.yaml cover:) ----------------------------
# The JPEG as cover: the EPUB's cover-image is the JPEG, the PDF's first page
# draws it (its original bytes again).
cp -r "$BOOK" "$tmp/cv"
echo "cover: images/fruitmand.jpg" >>"$tmp/cv/book.yaml"
if "$GB" build "$tmp/cv" -o "$tmp/cvo" >"$tmp/cv.log" 2>&1; then
  ok "build: the images book with its own cover image (JPEG)"
  python3 - "$tmp/cvo/images.epub" "$tmp/cvo/images.pdf" "$BOOK/images/fruitmand.jpg" <<'PY'
import sys, zipfile, re, json, subprocess, posixpath
import xml.etree.ElementTree as ET
epub, pdf, jpg = sys.argv[1:4]
jb = open(jpg, "rb").read()
z = zipfile.ZipFile(epub)
cont = ET.fromstring(z.read("META-INF/container.xml"))
opfpath = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
opf = ET.fromstring(z.read(opfpath))
cov = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item") if "cover-image" in (i.get("properties") or "").split()]
good = len(cov) == 1 and cov[0].get("media-type") == "image/jpeg" and \
    z.read(posixpath.normpath(posixpath.join(posixpath.dirname(opfpath), cov[0].get("href")))) == jb
print(("ok" if good else "not ok") + " - own cover: the EPUB's cover-image is the JPEG, unchanged (%s)"
      % [(i.get("href"), i.get("media-type")) for i in cov])
J = json.loads(subprocess.run(["qpdf", "--json", pdf], stdout=subprocess.PIPE).stdout)
first = J["pages"][0]["images"] if J["pages"] else []
raws = [subprocess.run(["qpdf", "--show-object=" + im["object"].split()[0], "--raw-stream-data", pdf],
                       stdout=subprocess.PIPE).stdout for im in first]
print(("ok" if jb in raws else "not ok") + " - own cover: the PDF's first page draws the JPEG's own bytes "
      "(%d image(s) on page 1)" % len(first))
PY
else
  nok "build: the images book with its own cover image (JPEG) (exit $?)"; indent <"$tmp/cv.log"
fi

# ---- bad images: each an error at its source position, nothing written -------
python3 - "$tmp/bad" "$BOOK/images" >"$tmp/bad.list" <<'PY'
import os, sys, zlib, struct, random
out, src = sys.argv[1:3]
png = open(os.path.join(src, "staafdiagram.png"), "rb").read()
jpg = open(os.path.join(src, "fruitmand.jpg"), "rb").read()
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
def mkpng(w, h, idat):
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
rnd = random.Random(4)
gif = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
# a valid header, then deflate data that does not decode (correct CRCs)
bad_idat = mkpng(64, 64, b"\x78\x9c" + bytes(rnd.getrandbits(8) for _ in range(200)))
cases = {   # name: (file name, bytes or None for no file, or "dir")
    "missing": ("plaatje.png", None),
    "corrupt": ("plaatje.png", bytes(rnd.getrandbits(8) for _ in range(3000))),
    "truncated-png": ("plaatje.png", png[:len(png) // 2]),
    "truncated-jpeg": ("plaatje.jpg", jpg[:len(jpg) // 2]),
    "gif": ("plaatje.gif", gif),
    "absurd-size": ("plaatje.png", mkpng(100000, 100000, zlib.compress(b"\0" * 301))),
    "svg-no-size": ("plaatje.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0 L10 10 Z"/></svg>\n'),
    "png-corrupt-data": ("plaatje.png", bad_idat),
    "folder": ("plaatje.png", "dir"),
}
for name, (fn, data) in cases.items():
    d = os.path.join(out, name); os.makedirs(d)
    open(os.path.join(d, "book.yaml"), "w").write(
        "name: t\ntitle: Test\nauthor: A\npublisher: P\nlang: nl\ndate: 2026-01-01\n")
    open(os.path.join(d, "a.md"), "w").write(
        "# Titel\n\nEen alinea tekst.\n\n![Een plaatje](%s \"Onderschrift\")\n\nMeer tekst.\n" % fn)
    if data == "dir": os.makedirs(os.path.join(d, fn))
    elif data is not None: open(os.path.join(d, fn), "wb").write(data)
    print(name, fn)
PY
while read -r name fn; do
  d=$tmp/bad/$name
  "$GB" build "$d" -o "$d/out" >"$d/log" 2>&1; rc=$?
  files=$(ls "$d/out" 2>/dev/null | tr '\n' ' ')
  if [ "$rc" -eq 1 ] && grep -Eq "(^|/)a\.md:5:[0-9]+: error: .*$fn" "$d/log" && [ -z "$files" ] &&
     ! grep -qiE 'sanitizer|runtime error|segmentation|assert' "$d/log"; then
    ok "bad image ($name): exit 1, $(grep -m1 -E 'a\.md:5:' "$d/log" | sed 's|.*/a\.md|a.md|'), nothing written"
  else
    nok "bad image ($name): exit 1 (got $rc), an error at a.md:5:COL naming $fn, no output (got '$files')"
    indent <"$d/log"
  fi
done <"$tmp/bad.list"

# ---- EPUBCheck ---------------------------------------------------------------
if [ -z "$ec" ]; then
  nok "EPUBCheck: images.epub (epubcheck or the EPUB is missing)"
else
  wait "$ec"; rc=$?
  m=$(grep -E '^Messages: ' "$tmp/ec.log" | tail -1)
  if [ "$rc" -eq 0 ] && [[ "$m" =~ ^Messages:\ 0\ fatals\ /\ 0\ errors\ /\ 0\ warnings ]]; then
    ok "EPUBCheck: images.epub: 0 fatals, 0 errors, 0 warnings"
  else
    nok "EPUBCheck: images.epub (exit $rc; ${m:-no summary})"
    grep -E '^(FATAL|ERROR|WARNING)' "$tmp/ec.log" | indent 10
  fi
fi
exit 0
