#!/usr/bin/env bash
# t_pdf.sh — the print edition (issue 3) as readers, viewers and auditors
# see it. Builds the real book (chapters/) and the test book
# (tests/books/commonmark) into a temporary folder and checks, by reading
# the PDF with qpdf, poppler-utils and ../shared/tools/pdf-typo-metrics
# (python3 standard library only), never by comparing files as strings:
#   - qpdf --check; pdffonts: every font embedded, subset, with ToUnicode;
#   - the words of every chapter (from the EPUB of the same run, chapter
#     files in spine order) appear in order in plain pdftotext output with
#     the running foot removed (100 % for both books);
#   - pdf-typo-metrics: 0 overfull lines, widows, orphans, headings at a
#     page foot; longest run of hyphenated lines <= 2; no broken words.
#     The PDF maps the first part of a word hyphenated at a line end (and
#     its hyphen) to no text (an empty /ActualText span), so the tool cannot
#     see those hyphens in the PDF as built. The figures are therefore taken
#     from an "unmasked" copy (qpdf --qdf, empty ActualText keys renamed so
#     that viewers ignore them): same drawing, a text layer like LaTeX's;
#   - lines ending in "-" in pdftotext -raw output are real hyphens of the
#     source ("thuis- en", "CommonMark-constructies"), never hyphenation;
#   - the outline: one entry per chapter (title with its label) with its
#     level-2 sections as children, each pointing to its heading's page;
#   - every table-of-contents entry links (named destination, resolved
#     through the catalog's /Dests name tree) to the page where its
#     heading stands, and prints that page's label;
#   - page labels: front matter i, ii, ...; the first chapter page 1; the
#     printed page numbers in the running foot equal the labels;
#   - reproducibility: identical bytes across builds, time zones and
#     working folders; SOURCE_DATE_EPOCH sets CreationDate;
#   - --paper a5: 419.5 x 595.3 pt pages, qpdf --check passes;
#   - the table of contents is drawn last (it needs every page number) and
#     moved to its place: in a book with a contents of several pages,
#     pages 3.. are the contents (text, labels ii, iii...), then chapter 1
#     (label 1); the structure tree reads
#     cover Figure, title Div, TOC, then the chapters' Sect elements.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-pdf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftotext pdfinfo pdffonts python3
root=$PWD
metrics=../shared/tools/pdf-typo-metrics
[ -x "$metrics" ] || metrics="bash $metrics"

# build LABEL OUTDIR BOOKDIR [args...] — env assignments go in front via env
build() {
  local label=$1 out=$2 book=$3; shift 3
  if "$GB" build "$book" -o "$out" "$@" >"$out.log" 2>&1; then
    ok "build: $label"
  else
    nok "build: $label (exit $?)"; indent <"$out.log"
  fi
}

build "real book" "$tmp/a" chapters
build "test book tests/books/commonmark" "$tmp/m" tests/books/commonmark
A=$tmp/a/goodiebag.pdf AE=$tmp/a/goodiebag.epub
M=$tmp/m/commonmark.pdf ME=$tmp/m/commonmark.epub

# ---- validity and fonts --------------------------------------------------
for f in "$A" "$M"; do
  n=$(basename "$f")
  [ -f "$f" ] || { nok "$n exists"; continue; }
  if qpdf --check "$f" >"$tmp/qc.log" 2>&1; then ok "$n: qpdf --check passes"
  else nok "$n: qpdf --check passes"; indent <"$tmp/qc.log"; fi
  pdffonts "$f" >"$tmp/fonts.txt" 2>&1
  # columns from the right: emb sub uni objnum gen
  bad=$(awk 'NR>2 { if ($(NF-4)!="yes" || $(NF-3)!="yes" || $(NF-2)!="yes") print }' "$tmp/fonts.txt")
  nf=$(awk 'NR>2' "$tmp/fonts.txt" | wc -l)
  if [ "$nf" -gt 0 ] && [ -z "$bad" ]; then
    ok "$n: pdffonts lists $nf fonts, all embedded, subset, with ToUnicode"
  else
    nok "$n: pdffonts: every font embedded, subset, with ToUnicode"; indent <"$tmp/fonts.txt"
  fi
done

# ---- the structural and text checks (python) -----------------------------
cat >"$tmp/check.py" <<'PY'
import sys, os, re, json, html, zipfile, subprocess, posixpath, difflib
import xml.etree.ElementTree as ET

pdf, epub, tag, metrics = sys.argv[1:5]
tmp = os.path.dirname(os.path.abspath(__file__))
def ok(m): print("ok - %s: %s" % (tag, m))
def nok(m, details=()):
    print("not ok - %s: %s" % (tag, m))
    for d in list(details)[:12]:
        print("#   " + str(d))
def check(cond, m, details=()):
    (ok if cond else (lambda x: nok(x, details)))(m)
def run(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False).stdout.decode("utf-8", "replace")

def tokens(s):
    """lowercase words, punctuation (every non-alphanumeric) as separator"""
    return "".join(c if c.isalnum() else " " for c in s.lower()).split()
def cat(s): return "".join(tokens(s))
def ws(s): return " ".join(s.replace("\u00a0", " ").split())

# ---------------------------------------------------------------- EPUB --
XH = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
EPT = "{http://www.idpf.org/2007/ops}type"
BLOCK = set("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd pre blockquote br hr "
            "table tr td th section article aside nav figure figcaption "
            "header footer".split())
z = zipfile.ZipFile(epub)
cont = ET.fromstring(z.read("META-INF/container.xml"))
opfpath = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
opf = ET.fromstring(z.read(opfpath))
base = posixpath.dirname(opfpath)
book_title = ws("".join(opf.find(".//{http://purl.org/dc/elements/1.1/}title").itertext()))
items = {i.get("id"): i for i in opf.iter(OPF + "item")}

def text_of(el):
    out = []
    def walk(e):
        name = e.tag.replace(XH, "")
        blk = name in BLOCK
        if blk: out.append(" ")
        if e.text: out.append(e.text)
        for c in e: walk(c)
        if blk: out.append(" ")
        if e.tail: out.append(e.tail)
    walk(el)
    return "".join(out)

chapters = []   # dicts: file, h1, h2s, text
alltext = []    # every spine item's text (for the hyphen check)
for ref in opf.iter(OPF + "itemref"):
    it = items[ref.get("idref")]
    href = posixpath.normpath(posixpath.join(base, it.get("href")))
    doc = ET.fromstring(z.read(href))
    body = doc.find(XH + "body")
    alltext.append(text_of(body))
    if "nav" in (it.get("properties") or "").split():
        continue
    types = set((body.get(EPT) or "").split())
    for e in body.iter():
        types |= set((e.get(EPT) or "").split())
    if types & {"frontmatter", "cover", "titlepage", "toc"}:
        continue                  # cover, title page: not chapters
    h1 = body.find(".//" + XH + "h1")
    chapters.append({
        "file": href,
        "h1": ws("".join(h1.itertext())) if h1 is not None else "",
        "h2s": [ws("".join(h.itertext())) for h in body.iter(XH + "h2")],
        "text": text_of(body)})
alltext = " ".join(alltext)
check(len(chapters) > 0, "the EPUB has %d chapter files in its spine" % len(chapters))

# ----------------------------------------------------------------- PDF --
from qpdfjson import Pdf, pstr, isref, roman
P = Pdf(pdf)
J, objs, obj, deref = P.json, P.objs, P.obj, P.deref
catalog, pages, pageidx = P.catalog, P.pages, P.pageidx
npages = len(pages)
labels, ranges = P.labels()

# named destinations: /Names /Dests tree, or the old /Dests dictionary
dests = {}
def nametree(node):
    node = deref(node) or {}
    nm = node.get("/Names", [])
    for k in range(0, len(nm) - 1, 2): dests[pstr(nm[k])] = deref(nm[k + 1])
    for kid in node.get("/Kids", []): nametree(kid)
names = deref(catalog.get("/Names")) or {}
if "/Dests" in names: nametree(names["/Dests"])
for k, v in (deref(catalog.get("/Dests")) or {}).items(): dests[k.lstrip("/")] = deref(v)
def resolve(d):
    """a destination (name, string or array) -> (page index, top y or None)"""
    if isinstance(d, str) and not re.fullmatch(r"\d+ \d+ R", d): d = dests.get(pstr(d))
    d = deref(d)
    if isinstance(d, dict): d = deref(d.get("/D"))
    if not isinstance(d, list) or not d or d[0] not in pageidx: return None, None
    top = d[3] if len(d) > 3 and d[1] == "/XYZ" and isinstance(d[3], (int, float)) else None
    return pageidx[d[0]], top

# text: plain (per page), raw, and word boxes (per page)
plain = run("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")[:npages]
raw = run("pdftotext", "-enc", "UTF-8", "-raw", pdf, "-").split("\f")[:npages]
bbox = run("pdftotext", "-enc", "UTF-8", "-bbox", pdf, "-")
pagesize, words = [], []
for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S):
    pagesize.append((float(pm.group(1)), float(pm.group(2))))
    words.append([(html.unescape(w.group(5)), float(w.group(1)), float(w.group(2)),
                   float(w.group(3)), float(w.group(4)))
                  for w in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', pm.group(3))])

# the running foot: book title / chapter title / page number, last on a page
titles = {cat(c["h1"]) for c in chapters} | {cat(re.sub(r"^\S+\s+", "", c["h1"])) for c in chapters}
titles.discard("")
bt = cat(book_title)
def is_label(s): return re.fullmatch(r"[0-9]+|[ivxlcdm]+", s) is not None
def is_foot_part(s):
    c = cat(s)
    return c == "" or is_label(c) or c == bt or c in titles or any(c == bt + t for t in titles)
def strip_foot(lines):
    """drop the running foot (page number last, the book title before it);
    chapter-opening pages have none"""
    lines = list(lines)
    while lines and cat(lines[-1]) == "": lines.pop()
    if not lines or not is_label(cat(lines[-1])): return lines, None
    rest, k, has_bt = lines[:-1], 0, False
    while rest and k < 4 and is_foot_part(rest[-1]):
        c = cat(rest.pop()); k += 1
        has_bt = has_bt or c == bt or any(c == bt + t for t in titles)
    if not has_bt: return lines, None
    return rest, cat(lines[-1])
def rows(i):
    """word boxes of page i grouped into text rows (top to bottom)"""
    out = []
    for w in sorted(words[i], key=lambda w: (round(w[4]), w[1])):
        if out and abs(out[-1][-1][4] - w[4]) < 2: out[-1].append(w)
        else: out.append([w])
    return [sorted(r, key=lambda w: w[1]) for r in out]
def body_rows(i):
    rs = rows(i)
    if rs:
        toks = " ".join(w[0] for w in rs[-1]).split()
        if len(toks) > 1 and is_label(cat(toks[-1])) and cat(" ".join(toks[:-1])).startswith(bt) \
                and is_foot_part(" ".join(toks[:-1])):
            rs = rs[:-1]
    return rs

# where the body starts: the page of the first outline entry
outl = J.get("outlines", [])
first_body = None
if outl:
    first_body, _ = resolve(outl[0].get("dest") or (deref(outl[0]["object"]) or {}).get("/Dest"))
check(first_body is not None, "the first outline entry points to a page (%s)" %
      (first_body + 1 if first_body is not None else "none"))
if first_body is None: first_body = 0

# ---- words in order --------------------------------------------------------
stream, feet = [], {}
for i in range(first_body, npages):
    lines, num = strip_foot(plain[i].split("\n"))
    if num is not None: feet[i] = num
    stream += tokens("\n".join(lines))
def match_at(exp, i, stream, j):
    """consumed (expected, stream) counts if exp[i] matches at stream[j]"""
    t, w = stream[j], exp[i]
    if t == w: return 1, 1
    if t.startswith(w):          # words joined (a compound hyphen at a line end)
        acc, k = w, i + 1
        while k < len(exp) and k - i < 4 and len(acc) < len(t):
            acc += exp[k]; k += 1
            if acc == t: return k - i, 1
    if w.startswith(t):          # a word split (code line wrapped, URL broken)
        acc, k = t, j + 1
        while k < len(stream) and k - j < 4 and len(acc) < len(w):
            acc += stream[k]; k += 1
            if acc == w: return 1, k - j
    return None
# Align the book's words with the PDF's (difflib, no junk heuristics): equal
# runs are found in order; inside a replaced run words may be joined or
# split by line ends, matched greedily; deleted runs are missing words.
exp, owner = [], []
for n, c in enumerate(chapters):
    t = tokens(c["text"]); exp += t; owner += [n] * len(t)
hit = [False] * len(exp)
sm = difflib.SequenceMatcher(None, exp, stream, autojunk=False)
for op, i1, i2, j1, j2 in sm.get_opcodes():
    if op == "equal":
        for i in range(i1, i2): hit[i] = True
    elif op == "replace":
        i, j = i1, j1
        while i < i2 and j < j2:
            m = match_at(exp[:i2], i, stream[:j2], j)
            if m:
                for k in range(i, i + m[0]): hit[k] = True
                i += m[0]; j += m[1]
            else:
                k = next((k for k in range(j + 1, j2) if match_at(exp[:i2], i, stream[:j2], k)), None)
                if k is None: i += 1
                else: j = k
report = []
for n, c in enumerate(chapters):
    idx = [i for i in range(len(exp)) if owner[i] == n]
    found = sum(hit[i] for i in idx)
    report.append("%s: %d of %d words in order (%.2f%%)" % (c["file"], found, len(idx),
                  100.0 * found / len(idx) if idx else 100.0))
    miss = [i for i in idx if not hit[i]]
    for i in miss[:3]:
        report.append("   missing '%s' in: %s" % (exp[i], " ".join(exp[max(0, i - 4):i + 5])))
total, total_found = len(exp), sum(hit)
pct = 100.0 * total_found / total if total else 0
check(total > 0 and total_found == total,
      "the words of every chapter appear in order in pdftotext output (%d of %d, %.2f%%)"
      % (total_found, total, pct), report)

# ---- hyphens at line ends are the source's own ---------------------------
bad = []
ref = " ".join(alltext.lower().split())
nhy = 0
for i in range(npages):
    ls = [l.strip() for l in raw[i].split("\n")]
    for k, l in enumerate(ls[:-1]):
        if not l.endswith("-") or len(l) < 2 or not ls[k + 1]: continue
        nxt = ls[k + 1].split()[0].rstrip(".,;:!?)]\"'\u201d\u2019")
        if not nxt or not nxt[0].islower(): continue
        nhy += 1
        last = l.split()[-1].lower()
        if nxt.lower().strip(",.;:") == "en" or (last + nxt.lower()) in ref or (last + " " + nxt.lower()) in ref:
            continue
        bad.append("p.%d: %s / %s" % (i + 1, l[-40:], ls[k + 1][:40]))
check(not bad, "the %d lines ending in '-' (pdftotext -raw) are compound hyphens of the source, "
      "not hyphenation left in the text" % nhy, bad)

# ---- outline ------------------------------------------------------------
def heading_on(i, text, top=None):
    """the heading `text` stands alone on 1-4 consecutive rows of page i
    (running foot excluded); with `top`, the destination's y is at or above
    the heading and at most 60 pt above it. Returns an error or None."""
    if i is None or i >= len(words): return "no page"
    want = cat(text)
    rs = body_rows(i)
    H = pagesize[i][1]
    for a in range(len(rs)):
        acc = ""
        for b in range(a, min(a + 4, len(rs))):
            acc += cat(" ".join(w[0] for w in rs[b]))
            if acc == want:
                if top is not None:
                    ytop = H - min(w[2] for w in rs[b])        # last row's top
                    yfirst = H - min(w[2] for w in rs[a])
                    if top < ytop - 2 or top > yfirst + 60:
                        return "destination y=%.1f, heading rows at y=%.1f..%.1f" % (top, yfirst, ytop)
                return None
            if len(acc) >= len(want): break
    return "heading not on page %d (label %s)" % (i + 1, labels[i] if i < len(labels) else "?")

exp_tree = [(c["h1"], c["h2s"]) for c in chapters if c["h1"]]
got_tree = [(ws(e.get("title", "")), [ws(k.get("title", "")) for k in e.get("kids", [])]) for e in outl]
diff = []
for n in range(max(len(exp_tree), len(got_tree))):
    e = exp_tree[n] if n < len(exp_tree) else None
    g = got_tree[n] if n < len(got_tree) else None
    if e != g: diff.append("expected %r, outline has %r" % (e, g))
check(not diff and outl, "the outline has the %d chapters (titles with labels) and their %d level-2 "
      "sections, in order" % (len(exp_tree), sum(len(e[1]) for e in exp_tree)), diff)
bad = []
def walk_outline(es, depth):
    for e in es:
        d = e.get("dest") or (deref(e.get("object")) or {}).get("/Dest")
        if d is None:
            a = (deref(e.get("object")) or {}).get("/A") or {}
            d = deref(a).get("/D") if isinstance(deref(a), dict) else None
        pi, top = resolve(d)
        err = heading_on(pi, e.get("title", ""), top)
        if err: bad.append("%r: %s" % (e.get("title"), err))
        if depth < 2: walk_outline(e.get("kids", []), depth + 1)
walk_outline(outl, 1)
check(not bad and outl, "every outline entry (levels 1-2) points to the page and place of its heading", bad)

# ---- table of contents links ----------------------------------------------
# front matter: [cover,] title page, table of contents ("Inhoud", maybe
# more than one page); the cover, if any, is a page whose label is a word
cover = npages > 0 and not is_label(labels[0]) and first_body > 0
starts = [p for p in range(first_body) if "inhoud" in tokens(plain[p])[:3]]
toc_pages = list(range(starts[0], first_body)) if starts else []
check(bool(toc_pages), "the table of contents ('Inhoud') is on page(s) %s, before the first chapter"
      % ",".join(str(p + 1) for p in toc_pages))
entries, bad = [], []
for p in toc_pages:
    page = obj(pages[p])
    H = pagesize[p][1]
    for a in deref(page.get("/Annots")) or []:
        a = deref(a)
        if a.get("/Subtype") != "/Link": continue
        d = a.get("/Dest")
        if d is None and isinstance(deref(a.get("/A")), dict):
            act = deref(a.get("/A"))
            if act.get("/S") == "/GoTo": d = act.get("/D")
        if d is None: continue
        x1, y1, x2, y2 = a["/Rect"]
        ws_ = [w for w in words[p] if x1 - 1 <= (w[1] + w[3]) / 2 <= x2 + 1
               and y1 - 1 <= H - (w[2] + w[4]) / 2 <= y2 + 1]
        ws_.sort(key=lambda w: (round(w[2]), w[1]))
        toks = [w[0] for w in ws_]
        num = toks.pop() if toks and is_label(cat(toks[-1])) else None
        text = " ".join(toks)
        pi, top = resolve(d)
        entries.append(text)
        if pi is None:
            bad.append("%r: destination %r does not resolve to a page" % (text, d)); continue
        err = heading_on(pi, text, top)
        if err: bad.append("%r -> page %d: %s" % (text, pi + 1, err))
        if num != labels[pi]:
            bad.append("%r prints page %s but links to the page labelled %s" % (text, num, labels[pi]))
want = sum(1 + len(e[1]) for e in exp_tree)
check(len(entries) == want, "the table of contents has a link per chapter and level-2 section "
      "(%d of %d)" % (len(entries), want), entries)
check(entries and not bad, "every table-of-contents link leads to the page of its heading, "
      "and the printed page number is that page's label", bad)

# ---- page labels --------------------------------------------------------
c0 = 1 if cover else 0
expl = labels[:c0] + [roman(i + 1 - c0) for i in range(c0, first_body)] + \
    [str(i - first_body + 1) for i in range(first_body, npages)]
check(labels == expl, "page labels: %sfront matter %s, the first chapter page 1, then 2, 3 ..."
      % ("cover '%s', " % labels[0] if cover else "", ", ".join(expl[c0:first_body])),
      ["labels: " + " ".join(labels), "expected: " + " ".join(expl)])
bad = ["page %d: foot says %s, label %s" % (i + 1, n, labels[i]) for i, n in feet.items() if n != labels[i]]
check(feet and not bad, "the page numbers printed in the running foot (%d pages) equal the page labels"
      % len(feet), bad)

# ---- typography (pdf-typo-metrics) --------------------------------------
# A cover page is artwork, not typesetting: its author line at the foot reads
# as a "heading at page foot" to the tool. Measure from the page after it.
def figures(f):
    out = subprocess.run(metrics.split() + [f, "--json"] + (["-f", "2"] if cover else []), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    try: return json.loads(out.stdout)["documents"][0]
    except Exception: return None
q = os.path.join(tmp, tag.replace(" ", "_") + "-qdf.pdf")
subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, q], check=False)
qd = open(q, "rb").read()
nspan = qd.count(b"/ActualText <feff>")
u = q.replace("-qdf.pdf", "-unmasked.pdf")
open(u, "wb").write(qd.replace(b"/ActualText <feff>", b"/ActualTexX <feff>"))   # same length
fo, fu = figures(pdf), figures(u)
if fo is None or fu is None:
    nok("pdf-typo-metrics runs on the PDF and its unmasked copy")
else:
    t = fo["text"]
    check(t["unmapped"] == 0 and t["ligature_chars"] == 0 and t["invisible_chars"] == 0,
          "no broken words in the text layer (unmapped/ligature/invisible: %d/%d/%d of %d words)"
          % (t["unmapped"], t["ligature_chars"], t["invisible_chars"], t["words"]), t.get("examples", []))
    check(nspan > 0 and fu["hyphenation"]["lines"] > 0,
          "unmasking: %d empty ActualText spans, %d hyphenated line ends (%.1f%% of body lines) visible "
          "to pdf-typo-metrics" % (nspan, fu["hyphenation"]["lines"], 100 * fu["hyphenation"]["share"]))
    for name, val, ex in (("overfull lines", fu["overfull"]["lines"], fu["overfull"]["examples"]),
                          ("widows", fu["widows"]["count"], fu["widows"]["examples"]),
                          ("orphans", fu["orphans"]["count"], fu["orphans"]["examples"]),
                          ("headings at page foot", fu["stranded_headings"]["count"], fu["stranded_headings"]["examples"])):
        check(val == 0, "pdf-typo-metrics: %d %s" % (val, name), [json.dumps(e, ensure_ascii=False) for e in ex])
    # the PDF as built must not fare worse
    for name, val in (("overfull lines", fo["overfull"]["lines"]), ("widows", fo["widows"]["count"]),
                      ("orphans", fo["orphans"]["count"]), ("headings at page foot", fo["stranded_headings"]["count"])):
        if val: nok("pdf-typo-metrics on the PDF as built: %d %s" % (val, name))
    run_ = fu["hyphenation"]["max_run"]
    check(run_ <= 2, "pdf-typo-metrics: longest run of hyphenated lines %d (<= 2)" % run_)
    j_ = fu["justification"]
    print("# %s: loose lines %.1f%%, very loose %.1f%%, tight %.1f%%, gap ratio median %.2f / p95 %.2f / max %.2f, "
          "hyphen on a page's last line %d" % (tag, 100 * (j_["loose_share"] or 0), 100 * (j_["very_loose_share"] or 0),
          100 * (j_["tight_share"] or 0), j_["median"] or 0, j_["p95"] or 0, j_["max"] or 0, fu["hyphenation"]["page_end"]))
PY

[ -f "$A" ] && [ -f "$AE" ] && PYTHONPATH=tests python3 "$tmp/check.py" "$A" "$AE" "real book" "$metrics"
[ -f "$M" ] && [ -f "$ME" ] && PYTHONPATH=tests python3 "$tmp/check.py" "$M" "$ME" "test book" "$metrics"

# ---- reproducibility -------------------------------------------------------
build "real book again" "$tmp/b" chapters --pdf
mkdir -p "$tmp/c"
gba=$(realpath "$GB")
(cd / && TZ=Asia/Tokyo LC_ALL=C.UTF-8 "$gba" build "$root/chapters" -o "$tmp/c" --pdf >"$tmp/c.log" 2>&1) ||
  { nok "build from / with TZ=Asia/Tokyo"; indent <"$tmp/c.log"; }
build "test book again" "$tmp/m2" tests/books/commonmark --pdf
same() { [ -f "$1" ] && [ -f "$2" ] && cmp -s "$1" "$2"; }
same "$A" "$tmp/b/goodiebag.pdf" && ok "two builds give byte-identical PDFs" ||
  nok "two builds give byte-identical PDFs"
same "$A" "$tmp/c/goodiebag.pdf" && ok "a build from another folder, in another time zone, gives the same PDF" ||
  nok "a build from another folder, in another time zone, gives the same PDF"
same "$M" "$tmp/m2/commonmark.pdf" && ok "test book: two builds give byte-identical PDFs" ||
  nok "test book: two builds give byte-identical PDFs"
cd_of() { TZ=UTC pdfinfo -isodates "$1" 2>/dev/null | sed -n 's/^CreationDate: *//p'; }
d=$(cd_of "$A")
[ "$d" = "2021-01-01T00:00:00Z" ] && ok "without SOURCE_DATE_EPOCH CreationDate is the book's date ($d)" ||
  nok "without SOURCE_DATE_EPOCH CreationDate is the book's date 2021-01-01 (got '$d')"
mkdir -p "$tmp/s"
if SOURCE_DATE_EPOCH=1700000000 "$GB" build chapters -o "$tmp/s" --pdf >"$tmp/s.log" 2>&1; then
  d=$(cd_of "$tmp/s/goodiebag.pdf")
  [ "$d" = "2023-11-14T22:13:20Z" ] && ok "SOURCE_DATE_EPOCH=1700000000 sets CreationDate ($d)" ||
    nok "SOURCE_DATE_EPOCH=1700000000 sets CreationDate 2023-11-14T22:13:20Z (got '$d')"
else
  nok "build with SOURCE_DATE_EPOCH=1700000000"; indent <"$tmp/s.log"
fi

# ---- the table of contents in its place ---------------------------------------
big=$tmp/bigtoc; mkdir -p "$big"
{ echo "name: bigtoc"; echo "title: Inhoud vooraan"; echo "author: T"; echo "publisher: P"
  echo "lang: nl"; echo "date: 2021-01-01"; echo "chapters:"
  for i in $(seq -w 1 30); do echo "  - c$i.md"; done; } >"$big/book.yaml"
for i in $(seq -w 1 30); do
  { echo "# Hoofdstuk $i"; echo; echo "Tekst van hoofdstuk $i."
    for k in 1 2 3; do echo; echo "## Paragraaf $i.$k"; echo; echo "Meer tekst in paragraaf $i.$k."; done; } >"$big/c$i.md"
done
build "a book with a long table of contents" "$tmp/bt" "$big" --pdf
if [ -f "$tmp/bt/bigtoc.pdf" ]; then
  for p in 3 4 5 6 7 8; do pdftotext -f $p -l $p -layout "$tmp/bt/bigtoc.pdf" "$tmp/bt-$p.txt"; done
  PYTHONPATH=tests python3 - "$tmp/bt/bigtoc.pdf" "$tmp" <<'PY'
import sys, re
from qpdfjson import Pdf
P = Pdf(sys.argv[1]); tmp = sys.argv[2]
def res(name, cond, detail=""):
    print(("ok - " if cond else "not ok - ") + name + (": " + detail if detail and not cond else ""))
txt = {p: open("%s/bt-%d.txt" % (tmp, p), encoding="utf-8").read() for p in range(3, 9)}
res("long TOC: page 3 begins the contents", txt[3].strip().startswith("Inhoud"), txt[3][:80])
first = next((p for p in range(3, 9) if "Tekst van hoofdstuk 01" in txt[p]), None)
ntoc = first - 3 if first else 0
res("long TOC: the contents fill pages 3..%d, chapter 1 follows on page %s" % ((first or 0) - 1, first),
    first is not None and ntoc >= 2 and all("Hoofdstuk" in txt[p] and "Paragraaf" in txt[p] for p in range(3, first)),
    " | ".join(txt[p][:50].replace("\n", " ") for p in range(3, 9)))
toc1 = re.findall(r"Hoofdstuk (\d\d)", "".join(txt[p] for p in range(3, first or 3)))
res("long TOC: the contents list the chapters in order", toc1 == ["%02d" % i for i in range(1, 31)], str(toc1))
roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]
want = roman[:ntoc + 1] + ["1", "2"]
got = P.labels()[0][1:ntoc + 4]
res("long TOC: page labels i (title), %s (contents), 1, 2" % "-".join(roman[1:ntoc + 1][::max(ntoc - 1, 1)]),
    ntoc > 0 and got == want, "%s, want %s" % (got, want))
root = P.obj(P.catalog["/StructTreeRoot"])
doc = P.deref(root["/K"][0] if isinstance(root["/K"], list) else root["/K"])
order = [P.obj(r).get("/S") for r in doc.get("/K", [])]
res("long TOC: structure order Figure, Div, TOC, then 30 Sect", order[:3] == ["/Figure", "/Div", "/TOC"] and order[3:] == ["/Sect"] * 30, str(order[:6]))
PY
fi

# ---- A5 ----------------------------------------------------------------------
build "real book, --paper a5" "$tmp/a5" chapters --pdf --paper a5
build "test book, --paper a5" "$tmp/m5" tests/books/commonmark --pdf --paper a5
for f in "$tmp/a5/goodiebag.pdf" "$tmp/m5/commonmark.pdf"; do
  n="$(basename "$f") (A5)"
  [ -f "$f" ] || { nok "$n exists"; continue; }
  qpdf --check "$f" >"$tmp/qc.log" 2>&1 && ok "$n: qpdf --check passes" ||
    { nok "$n: qpdf --check passes"; indent <"$tmp/qc.log"; }
  sz=$(pdfinfo "$f" | sed -n 's/^Page size: *//p')
  if echo "$sz" | awk '{ exit !($1 > 419.0 && $1 < 420.0 && $3 > 594.8 && $3 < 595.8) }'; then
    ok "$n: page size $sz"
  else
    nok "$n: page size 419.5 x 595.3 pt (got '$sz')"
  fi
  # every page, not just the first
  bad=$(pdfinfo -f 1 -l 9999 "$f" | awk '/^Page +[0-9]+ size:/ { if (!($4 > 419.0 && $4 < 420.0 && $6 > 594.8 && $6 < 595.8)) print }')
  [ -z "$bad" ] && ok "$n: every page is A5" || { nok "$n: every page is A5"; echo "$bad" | indent; }
done
exit 0
