#!/usr/bin/env bash
# t_design.sh — one style source for both editions (issue 4). The test book
# tests/books/commonmark is built twice: with styles/ as it is, and with a
# copy of styles/ (--style TMPDIR; fonts still from fonts/) whose accent
# colour is "#C00000" and whose body font is LinBiolinum_R.otf. Checked by
# reading the outputs (zipfile, qpdf, pdffonts; python3 standard library):
#   - EPUB: styles/book.css has #C00000 (and did not before) and its html or
#     body rule's font-family is "Linux Biolinum O" (was "Linux Libertine
#     O"); an @font-face rule maps that family to a font file in the EPUB;
#   - PDF: the running text is set in Biolinum: the font that shows the
#     most glyphs on the body pages (Tf/Tj/TJ in the content streams) is
#     LinBiolinumO (was LinLibertineO), and pdffonts no longer lists the
#     regular LinLibertineO (headings use Biolinum in both builds, so
#     Biolinum being present proves nothing); the italic is still
#     LinLibertineOI (only the body font changed);
#   - PDF: the accent colour as cairo writes it (192/255 = 0.752941:
#     "0.752941 0 0 rg") is in the content streams of body pages (and was
#     not before);
#   - bad style files, each an error at style.yaml:LINE:COL (exit 1, no
#     output): an unknown property (with "did you mean"), a wrong unit
#     (size: 11px), a length without unit, colours that are not #RRGGBB
#     ("blue", "#01689", an unquoted # that YAML reads as a comment), a
#     missing font file, a file that is not a font, invalid YAML, a
#     property set twice, an unknown section; var(--unknown) in epub.css is
#     an error at epub.css:LINE:COL.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-design.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdffonts python3
BOOK=tests/books/commonmark
NAME=commonmark
ACCENT="#C00000"
BODY=LinBiolinum_R.otf

# ---- the modified style --------------------------------------------------------
cp -r styles "$tmp/style"
sed -i -E "s/^(  accent:[[:space:]]*)\"#[0-9A-Fa-f]{6}\"/\1\"$ACCENT\"/;
           s/^(  body:[[:space:]]*)[^[:space:]#]+/\1$BODY/" "$tmp/style/style.yaml"
if grep -q "^  accent: \"$ACCENT\"" "$tmp/style/style.yaml" && grep -q "^  body: $BODY" "$tmp/style/style.yaml" &&
   [ -f "fonts/$BODY" ]; then
  ok "modified style: colors: accent \"$ACCENT\", fonts: body $BODY (fonts/$BODY exists)"
else
  nok "modified style: colors: accent and fonts: body replaced in a copy of styles/style.yaml"
  diff styles/style.yaml "$tmp/style/style.yaml" | indent
fi

"$GB" build "$BOOK" -o "$tmp/base" >"$tmp/base.log" 2>&1 &
p1=$!
"$GB" build "$BOOK" -o "$tmp/mod" --style "$tmp/style" --fonts fonts >"$tmp/mod.log" 2>&1 &
p2=$!
wait $p1 && ok "build: $BOOK with styles/" || { nok "build: $BOOK with styles/"; indent <"$tmp/base.log"; }
wait $p2 && ok "build: $BOOK with --style (accent $ACCENT, body $BODY)" ||
  { nok "build: $BOOK with --style (accent $ACCENT, body $BODY)"; indent <"$tmp/mod.log"; }

cat >"$tmp/check.py" <<'PY'
import sys, re, json, base64, zipfile, subprocess, posixpath
import xml.etree.ElementTree as ET
base_dir, mod_dir, name, accent, body_file = sys.argv[1:6]
def ok(m): print("ok - " + m)
def nok(m, details=()):
    print("not ok - " + m)
    for d in list(details)[:12]: print("#   " + str(d))
def check(cond, m, details=()): (ok if cond else (lambda x: nok(x, details)))(m)
def run(*cmd, binary=False):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.stdout if binary else r.stdout.decode("utf-8", "replace")

# ---------------------------------------------------------------- EPUB --
def css_of(epub):
    z = zipfile.ZipFile(epub)
    cont = ET.fromstring(z.read("META-INF/container.xml"))
    opf = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    css = [n for n in z.namelist() if n.endswith("styles/book.css")]
    return z, css[0] if css else None, (z.read(css[0]).decode("utf-8") if css else "")
def rules(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]
def decl(body, prop):
    m = re.search(r"(?:^|;)\s*%s\s*:\s*([^;]+)" % re.escape(prop), body)
    return m.group(1).strip() if m else None
def body_family(css):
    fam = None
    for sel, b in rules(css):
        sels = [s.strip() for s in sel.split(",")]
        if ("html" in sels or "body" in sels) and decl(b, "font-family"):
            fam = decl(b, "font-family")          # the last one wins
    return fam
def first_family(v): return v.split(",")[0].strip().strip("\"'") if v else None

eb, em = "%s/%s.epub" % (base_dir, name), "%s/%s.epub" % (mod_dir, name)
try:
    zb, cb, cssb = css_of(eb)
    zm, cm, cssm = css_of(em)
except Exception as e:
    nok("EPUB: both builds have an EPUB with styles/book.css (%s)" % e); zb = None
if zb:
    check(accent.lower() in cssm.lower() and accent.lower() not in cssb.lower(),
          "EPUB: book.css has the accent %s (the build with styles/ does not)" % accent)
    hx = [sel for sel, b in rules(cssm) if re.search(r"(^|,)\s*h1\b", sel) and (decl(b, "color") or "").lower() == accent.lower()]
    check(hx, "EPUB: headings take the accent (a rule for h1 has color: %s)" % accent)
    fb, fm = first_family(body_family(cssb)), first_family(body_family(cssm))
    check(fm == "Linux Biolinum O" and fb == "Linux Libertine O",
          "EPUB: the body font-family is \"%s\" (was \"%s\")" % (fm, fb))
    # the family must be available to reading systems: @font-face -> a file in the EPUB
    faces = []
    for fam, src in re.findall(r"@font-face\s*\{[^}]*?font-family\s*:\s*([^;]+);[^}]*?src\s*:\s*([^;}]+)", cssm) + \
                    [(f, s) for s, f in re.findall(r"@font-face\s*\{[^}]*?src\s*:\s*([^;}]+);[^}]*?font-family\s*:\s*([^;}]+)", cssm)]:
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", src):
            faces.append((fam.strip().strip("\"'"), posixpath.normpath(posixpath.join(posixpath.dirname(cm), url))))
    bio = [f for f in faces if f[0] == "Linux Biolinum O" and f[1] in zm.namelist()]
    check(bio, "EPUB: an @font-face rule maps \"Linux Biolinum O\" to a font file in the EPUB "
          "(else reading systems never use the embedded fonts)",
          ["@font-face rules: %d %s" % (len(faces), faces[:4]),
           "font files in the EPUB: %s" % [n for n in zm.namelist() if n.endswith((".otf", ".ttf", ".woff", ".woff2"))]])

# ----------------------------------------------------------------- PDF --
def fonts(pdf):
    out = run("pdffonts", pdf).splitlines()[2:]
    return [l.split()[0].split("+", 1)[-1] for l in out if l.strip()]
def tokens(b):
    i, n = 0, len(b)
    while i < n:
        c = b[i:i + 1]
        if c in b" \t\r\n\f\x00": i += 1
        elif c == b"%":
            while i < n and b[i:i + 1] not in b"\r\n": i += 1
        elif c == b"(":
            depth, j, k = 1, i + 1, 0
            while j < n and depth:
                if b[j:j + 1] == b"\\":
                    j += 2; k += 1; continue
                depth += {b"(": 1, b")": -1}.get(b[j:j + 1], 0); j += 1; k += 1
            i = j; yield ("str", k - 1)
        elif c == b"<" and b[i:i + 2] != b"<<":
            j = b.index(b">", i); yield ("str", len(re.sub(rb"\s", b"", b[i + 1:j])) // 2); i = j + 1
        elif b[i:i + 2] in (b"<<", b">>"): i += 2
        elif c in b"[]{}": yield ("delim", c.decode()); i += 1
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
def pdf_facts(pdf):
    """glyphs shown per font on each page (from page 2 on: not the cover),
    and the content of each page, with form XObjects followed"""
    J = json.loads(run("qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", pdf))
    objs = J["qpdf"][1]
    def obj(ref): return objs.get("obj:" + ref, {})
    def deref(v):
        if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            o = obj(v); return o.get("value", o.get("stream", {}).get("dict"))
        return v
    def sdata(ref): return base64.b64decode(obj(ref).get("stream", {}).get("data", ""))
    glyphs, texts = {}, []
    def walk(data, res, depth=0):
        res = deref(res) or {}
        fontres, xo = deref(res.get("/Font")) or {}, deref(res.get("/XObject")) or {}
        cur, operands, arr, txt = None, [], None, [data]
        for kind, v in tokens(data):
            if kind == "delim":
                if v == "[": arr = 0
                elif v == "]": operands.append(("arr", arr)); arr = None
                continue
            if kind == "str":
                if arr is not None: arr += v
                else: operands.append(("str", v))
                continue
            if kind in ("num", "name"):
                if arr is None: operands.append((kind, v))
                continue
            if v == "Tf":
                nm = [x for k, x in operands if k == "name"]
                if nm:
                    fd = deref(fontres.get(nm[-1])) or {}
                    cur = (fd.get("/BaseFont", "?").lstrip("/").split("+", 1)[-1], fd.get("/Subtype"))
            elif v in ("Tj", "TJ", "'", '"') and cur:
                n = sum(x for k, x in operands if k in ("str", "arr"))
                glyphs[cur[0]] = glyphs.get(cur[0], 0) + (n // 2 if cur[1] == "/Type0" else n)
            elif v == "Do" and depth < 8:
                nm = [x for k, x in operands if k == "name"]
                ref = xo.get(nm[-1]) if nm else None
                d = deref(ref) or {}
                if d.get("/Subtype") == "/Form":
                    txt.append(walk(sdata(ref), d.get("/Resources", res), depth + 1))
            operands = []
        return b"\n".join(txt)
    for pg in J["pages"][1:]:
        pd = deref(pg["object"])
        texts.append(walk(b"\n".join(sdata(c) for c in pg["contents"]), pd.get("/Resources")))
    return glyphs, texts

pb, pm = "%s/%s.pdf" % (base_dir, name), "%s/%s.pdf" % (mod_dir, name)
try:
    gb, tb = pdf_facts(pb)
    gm, tm = pdf_facts(pm)
except Exception as e:
    nok("PDF: both builds have a readable PDF (%s)" % e); sys.exit(0)
top_b = max(gb, key=gb.get) if gb else None
top_m = max(gm, key=gm.get) if gm else None
check(top_b == "LinLibertineO", "PDF with styles/: the running text is LinLibertineO (%d of %d glyphs)"
      % (gb.get(top_b, 0), sum(gb.values())), [gb])
check(top_m == "LinBiolinumO", "PDF with the modified style: the running text is LinBiolinumO (%d of %d glyphs)"
      % (gm.get(top_m, 0), sum(gm.values())), [gm])
fb, fm = fonts(pb), fonts(pm)
check("LinLibertineO" in fb and "LinLibertineO" not in fm,
      "pdffonts: the regular LinLibertineO is gone with the modified style (fonts: %s)" % ", ".join(sorted(set(fm))),
      ["with styles/: %s" % ", ".join(sorted(set(fb)))])
check("LinLibertineOI" in fm, "pdffonts: the italic is still LinLibertineOI (only the body font changed)")
def rg(hexc):
    def f(x):
        x = int(x, 16)
        return "0" if x == 0 else "1" if x == 255 else ("%f" % (x / 255)).rstrip("0")
    return " ".join(f(hexc[i:i + 2]) for i in (1, 3, 5))
op = rg(accent)
pat = re.compile(r"(^|\s)%s (rg|RG)\s" % re.escape(op))
pages_m = [i + 2 for i, t in enumerate(tm) if pat.search(t.decode("latin-1"))]
pages_b = [i + 2 for i, t in enumerate(tb) if pat.search(t.decode("latin-1"))]
check(pages_m and not pages_b, "PDF: the accent %s (\"%s rg\") colours body pages %s (and no page with styles/)"
      % (accent, op, pages_m[:8]), ["with styles/: %s" % pages_b[:8]])
PY
python3 "$tmp/check.py" "$tmp/base" "$tmp/mod" "$NAME" "$ACCENT" "$BODY"

# ---- bad style files -------------------------------------------------------------
# badstyle NAME FILE SED-EXPR [EXTRA-GREP] — applies the sed expression to a
# copy of styles/FILE; the error must be at FILE:LINE of the changed line.
badstyle() {
  local name=$1 file=$2 expr=$3 extra=${4:-} d=$tmp/bad-$1
  cp -r styles "$d"
  cp "$d/$file" "$d/$file.orig"
  sed -i -E "$expr" "$d/$file"
  local line
  line=$(diff "$d/$file.orig" "$d/$file" | sed -n '1s/^[0-9,]*[acd]\([0-9]*\).*/\1/p')   # 17c17, 16a17
  rm -f "$d/$file.orig"
  if [ -z "$line" ]; then nok "bad style ($name): the change applies to styles/$file"; return; fi
  "$GB" build "$BOOK" -o "$d/out" --style "$d" ${FONTS_ARG:-} >"$d/log" 2>&1; local rc=$?
  local files; files=$(ls "$d/out" 2>/dev/null | tr '\n' ' ')
  local msg; msg=$(grep -E "(^|/)$file:$line:[0-9]+: error: " "$d/log" | head -1)
  if [ "$rc" -eq 1 ] && [ -n "$msg" ] && [ -z "$files" ] && { [ -z "$extra" ] || echo "$msg" | grep -Eq "$extra"; }; then
    ok "bad style ($name): exit 1, ${msg#"$d/"}, nothing written"
  else
    nok "bad style ($name): exit 1 (got $rc), an error at $file:$line:COL${extra:+ matching /$extra/}, no output (got '$files')"
    grep -v 'warning' "$d/log" | indent
  fi
}
badstyle "unknown property" style.yaml 's/^(  )leading:/\1leadng:/' "did you mean 'text-leading'"
badstyle "wrong unit" style.yaml 's/^(  size: )[0-9.]+pt/\111px/' "11px"
badstyle "length without unit" style.yaml 's/^(  paragraph-indent: )([0-9.]+)em/\1\2/' "unit"
badstyle "colour not #RRGGBB" style.yaml 's/^(  accent: )"#[0-9A-Fa-f]{6}"/\1"blue"/' "#RRGGBB"
badstyle "colour with 5 digits" style.yaml 's/^(  accent: )"#([0-9A-Fa-f]{5})[0-9A-Fa-f]"/\1"#\2"/' "#RRGGBB"
badstyle "colour not in quotes" style.yaml 's/^(  accent: )"(#[0-9A-Fa-f]{6})"/\1\2/' "quotes"
badstyle "missing font file" style.yaml 's/^(  body: ).*/\1NoSuchFont.otf/' "NoSuchFont.otf"
badstyle "invalid YAML" style.yaml 's/^(  link: ).*/\1"#01689B" "#000000"/' "YAML"
badstyle "property set twice" style.yaml 's/^(  )(muted: .*)/\1\2\n\1muted: "#000000"/' "twice"
badstyle "unknown section" style.yaml 's/^colors:/colours:/' "did you mean 'colors'"
badstyle "var(--unknown) in epub.css" epub.css '0,/var\(--colors-[a-z-]+\)/s//var(--colors-unknown)/' "colors-unknown"
# a file that is not a font, in a fonts folder of its own
mkdir -p "$tmp/fonts2" && cp fonts/*.otf "$tmp/fonts2/" && echo "not a font" >"$tmp/fonts2/Kapot.otf"
FONTS_ARG="--fonts $tmp/fonts2" badstyle "not a font file" style.yaml 's/^(  mono: ).*/\1Kapot.otf/' "Kapot.otf"
exit 0
