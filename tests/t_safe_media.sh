#!/usr/bin/env bash
# t_safe_media.sh — what the EPUB contains and its images, whatever the input
# (issue 17): every SVG is parsed, sanitised and written again; every URI
# written is a valid URI; no XML writer emits what XML 1.0 forbids; large
# and many images stay bounded; CMYK JPEGs keep their colours.
#   - a hostile SVG (script, onload/onclick, external href and xlink:href,
#     file: and ../ paths, url(http...) in style and <style>, @import,
#     foreignObject, an animation setting href, an external entity, a
#     data:image/svg+xml) and a legitimate SVG with a link, a DOCTYPE and an
#     entity: exit 0, located warnings, EPUBCheck clean, none of the bad parts
#     in the EPUB's SVG (the good ones kept), the PDF builds (qpdf --check)
#     and does not show the image outside the book (rendered);
#   - raw-HTML hrefs smuggling onclick, spaces, quotes, non-ASCII; Markdown
#     links with spaces: every href/src in the XHTML a valid URI, no onclick,
#     EPUBCheck clean;
#   - control characters in book.yaml (title, author, publisher) with a
#     cover: every XHTML/OPF/NCX well-formed (xmllint), EPUBCheck clean;
#   - an SVG of a million elements: exit 1, located error, fast and small;
#     an SVG whose root is <html> (an <svg> inside): exit 1, located error;
#   - a 16-megapixel PNG used 20 times: bounded time and memory, one image
#     object in the PDF, one file in the EPUB;
#   - CMYK JPEGs (Adobe inverted and plain) print red in the rendered PDF;
#     the EPUB keeps the JPEG's bytes.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-safe.XXXXXX")
bgpids=()
trap 'for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH
# under LeakSanitizer: fontconfig's caches (librsvg draws SVG text with it)
# live as long as the process
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp}
. tests/lib.sh
require qpdf pdftoppm python3 xmllint unzip

check() { # message command...: ok when the command succeeds
  local m=$1; shift
  if "$@"; then ok "$m"; else nok "$m"; fi
}
# build DIR [options]: runs goodiebag (at most 30 s), sets rc, stderr in $tmp/err
build() {
  local d=$1; shift
  timeout 30 "$GB" build "$d" -o "$d.out" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
status_ok() { # what expected: the exit status, never a signal or > 1
  if [ "$rc" -eq "$2" ]; then ok "$1: exit $rc"; else nok "$1: exit $rc, expected $2"; indent <"$tmp/err"; fi
}
mkbook() { # DIR [yaml lines...]
  mkdir -p "$1"
  local d=$1; shift
  { printf 'name: t\ntitle: "T"\nauthor: "A"\npublisher: "P"\nlang: en\ndate: 2026-01-01\n'
    [ $# -gt 0 ] && printf '%s\n' "$@"
    printf 'chapters:\n  - a.md\n'; } >"$d/book.yaml"
}
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
have_ec() { command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; }
epubcheck_bg() { # EPUB LOG: EPUBCheck in the background
  if have_ec && [ -f "$1" ]; then
    java $JOPTS -jar /usr/bin/epubcheck "$1" >"$2" 2>&1 &
    bgpids+=($!)
  fi
}
epubcheck_result() { # what LOG
  if ! have_ec; then nok "$1: EPUBCheck is installed"; return; fi
  if grep -q 'No errors or warnings detected' "$2"; then ok "$1: EPUBCheck clean"
  else nok "$1: EPUBCheck clean"; grep -E 'ERROR|WARNING|FATAL' "$2" | indent; fi
}

cat >"$tmp/mkpng.py" <<'PY'
# mkpng.py OUT W H R G B: a PNG of one colour (RGB, 8 bits), made row by row
import sys, zlib, struct
out, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rgb = bytes(int(v) for v in sys.argv[4:7])
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
z = zlib.compressobj(6)
row = b"\0" + rgb * w
data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
open(out, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                      + chunk(b"IDAT", data) + chunk(b"IEND", b""))
PY
cat >"$tmp/mkjpeg.py" <<'PY'
# mkjpeg.py OUT W H C M Y K [adobe]: a baseline JPEG of one colour with 4
# components (CMYK ink 0-255); with "adobe" an Adobe APP14 marker and the
# values stored inverted, as Photoshop writes them
import sys, struct
out, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ink = [int(v) for v in sys.argv[4:8]]
adobe = len(sys.argv) > 8 and sys.argv[8] == "adobe"
vals = [255 - v for v in ink] if adobe else ink
dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]   # JPEG Annex K tables
dc_vals = list(range(12))
ac_bits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
ac_vals = bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
def codes(bits, vals):
    c, code, k = {}, 0, 0
    for l in range(1, 17):
        for _ in range(bits[l - 1]):
            c[vals[k]] = (code, l); code += 1; k += 1
        code <<= 1
    return c
dc, ac = codes(dc_bits, dc_vals), codes(ac_bits, list(ac_vals))
def seg(m, data): return struct.pack(">BBH", 0xFF, m, len(data) + 2) + data
o = b"\xff\xd8"
if adobe: o += seg(0xEE, b"Adobe" + struct.pack(">HHHB", 100, 0, 0, 0))
o += seg(0xDB, b"\x00" + b"\x01" * 64)
o += seg(0xC0, struct.pack(">BHHB", 8, h, w, 4) + b"".join(struct.pack(">BBB", i + 1, 0x11, 0) for i in range(4)))
o += seg(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals) + b"\x10" + bytes(ac_bits) + ac_vals)
o += seg(0xDA, b"\x04" + b"".join(struct.pack(">BB", i + 1, 0) for i in range(4)) + b"\x00\x3f\x00")
bits, prev = [], [0] * 4
def put(v, n): bits.extend((v >> (n - 1 - i)) & 1 for i in range(n))
for b in range(((w + 7) // 8) * ((h + 7) // 8)):
    for c in range(4):
        d = 8 * (vals[c] - 128)            # the DC coefficient of a flat block
        diff = d - prev[c]; prev[c] = d
        cat = abs(diff).bit_length()
        put(*dc[cat])
        if cat: put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
        put(*ac[0])                        # end of block: no AC coefficients
while len(bits) % 8: bits.append(1)
data = bytearray()
for i in range(0, len(bits), 8):
    byte = int("".join(map(str, bits[i:i + 8])), 2)
    data.append(byte)
    if byte == 0xFF: data.append(0)
open(out, "wb").write(o + bytes(data) + b"\xff\xd9")
PY
# colours.py PREFIX: counts pixels of the rendered pages PREFIX-*.ppm by
# colour class; prints "red N outside N dark N"
cat >"$tmp/colours.py" <<'PY'
import sys, glob
red = outside = dark = 0
for f in glob.glob(sys.argv[1] + "-*.ppm"):
    d = open(f, "rb").read()
    parts = d.split(b"\n", 3)
    px = parts[3]
    for i in range(0, len(px) - 2, 3):
        r, g, b = px[i], px[i + 1], px[i + 2]
        if r > 200 and g < 60 and b < 60: red += 1
        elif r < 40 and g > 200 and b > 200: outside += 1   # the outside image: cyan
        elif r < 40 and g < 40 and b < 60: dark += 1
print("red %d outside %d dark %d" % (red, outside, dark))
PY

# ---- hostile and legitimate SVG, smuggled hrefs: one book -----------------
B=$tmp/svg
mkbook "$B"
python3 "$tmp/mkpng.py" "$tmp/outside.png" 40 40 0 255 255
cp "$tmp/outside.png" "$B/secret.png"
cat >"$B/bad.svg" <<EOF
<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="alert(1)">
  <script>alert('script-ran')</script>
  <style>@import url(http://evil.example/x.css); rect { fill: url(http://evil.example/p.svg#g) }</style>
  <style>.ok { fill: #08f } .g { fill: url(#grad) }</style>
  <defs><linearGradient id="grad"><stop offset="0" stop-color="#0a0"/></linearGradient></defs>
  <rect class="ok" x="0" y="0" width="100" height="100" onclick="evil()" style="fill:url('http://evil.example/x')"/>
  <rect class="g" x="100" y="0" width="100" height="100" fill="url(#grad)"/>
  <image xlink:href="http://evil.example/x.png" width="10" height="10"/>
  <image href="file://$tmp/outside.png" x="0" y="0" width="200" height="100"/>
  <image xlink:href="$tmp/outside.png" x="0" y="0" width="200" height="100"/>
  <image href="../svg/secret.png" x="0" y="0" width="200" height="100"/>
  <image href="secret.png" x="0" y="0" width="200" height="100"/>
  <image href="data:image/svg+xml,&lt;svg onload='alert(1)'/&gt;" width="10" height="10"/>
  <image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" width="1" height="1"/>
  <use xlink:href="other.svg#a"/>
  <use href="#grad"/>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">fo<script>alert(3)</script></div></foreignObject>
  <a xlink:href="javascript:alert(1)"><text x="5" y="50">js</text></a>
  <set attributeName="xlink:href" to="javascript:alert(1)"/>
  <g xml:base="http://evil.example/" style="behavior: url(#grad)"><use href="#grad"/></g>
  <animate attributeName="fill" to="url(http://evil.example/f)"/>
  <filter id="f"><feImage href="https://evil.example/i.png"/><feImage href="#grad"/></filter>
  <text x="5" y="90">&x;</text>
</svg>
EOF
cat >"$B/link.svg" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
  <!ENTITY blue "#0057b8">
]>
<svg xmlns="&ns_svg;" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 300 100" inkscape:version="1.2">
  <title>A link</title>
  <a xlink:href="https://example.com/a page"><rect x="0" y="0" width="150" height="100" fill="&blue;"/><text x="10" y="50">link</text></a>
  <a href="#r"><rect id="r" x="150" y="0" width="150" height="100" fill="#888"/></a>
</svg>
EOF
{ printf '# SVG\n\n![a hostile drawing](bad.svg)\n\n![a drawing with links](link.svg)\n\n'
  printf 'A <a href='"'"'x" onclick="alert(1)'"'"'>smuggled</a> and <a href="http://a b/ onclick=x">spaced</a> link,\n'
  printf '<a href='"'"'https://example.com/x" onclick="alert(1)'"'"'>quoted</a>, <a href="https://example.com/ü ö?a=<b>">accents</a>.\n\n'
  printf '<div><a href="https://example.com/y\" onmouseover=\"alert(1)">block</a> <a href=" https://example.com/t	ab ">tab</a></div>\n\n'
  printf '[md](<https://example.com/a b>) [md2](https://example.com/%%zz) [md3](<http://exa mple.com/>) [md4](https://example.com/"q")\n'
} >"$B/a.md"
build "$B"
status_ok "hostile SVG, SVG with links, smuggled hrefs" 0
E=$B.out/t.epub P=$B.out/t.pdf
epubcheck_bg "$E" "$tmp/ec1.log"
check "the hostile SVG: warnings at a.md:3:1 (scripts removed, references removed)" \
  eval "grep -q 'a.md:3:1: warning: .*bad.svg.*scripts' '$tmp/err' && grep -q 'a.md:3:1: warning: .*bad.svg.*outside' '$tmp/err'"
check "no error or warning for the legitimate SVG with links" eval "! grep -q 'link.svg' '$tmp/err'"
unzip -p "$E" EPUB/images/bad.svg >"$tmp/bad.svg" 2>/dev/null
unzip -p "$E" EPUB/images/link.svg >"$tmp/link.svg" 2>/dev/null
check "the EPUB's SVGs are well-formed XML" eval "xmllint --noout '$tmp/bad.svg' '$tmp/link.svg' 2>/dev/null"
bad=
for s in '<script' 'onload' 'onclick' 'evil.example' 'foreignObject' '@import' 'passwd' 'javascript' \
         'outside.png' 'secret.png' 'other.svg' 'svg+xml' 'script-ran' '<set' 'ENTITY' 'DOCTYPE'; do
  grep -qi -- "$s" "$tmp/bad.svg" && bad="$bad $s"
done
if [ -z "$bad" ] && [ -s "$tmp/bad.svg" ]; then ok "the EPUB's hostile SVG holds none of the bad parts"
else nok "the EPUB's hostile SVG holds none of the bad parts (found:$bad)"; indent 30 <"$tmp/bad.svg"; fi
check "... and keeps the good ones (url(#grad), the raster data: image, use #grad, the drawing)" \
  eval "grep -q 'fill=\"url(#grad)\"' '$tmp/bad.svg' && grep -q 'data:image/png;base64' '$tmp/bad.svg' &&
        grep -q 'href=\"#grad\"' '$tmp/bad.svg' && grep -q 'class=\"ok\"' '$tmp/bad.svg'"
check "the SVG with links keeps its links (a valid URI), entities resolved, size from its viewBox" \
  eval "grep -q 'href=\"https://example.com/a%20page\"' '$tmp/link.svg' && grep -q 'href=\"#r\"' '$tmp/link.svg' &&
        grep -q '#0057b8' '$tmp/link.svg' && ! grep -q inkscape '$tmp/link.svg' &&
        grep -q 'viewBox=\"0 0 300 100\"' '$tmp/link.svg'"
if qpdf --check "$P" >/dev/null 2>&1; then ok "the PDF builds and passes qpdf --check"
else nok "the PDF builds and passes qpdf --check"; fi
qpdf --qdf --object-streams=disable "$P" "$tmp/q.pdf" 2>/dev/null
check "the PDF holds no outside reference and no SVG link annotation" \
  eval "! grep -aq -e 'evil.example' -e 'passwd' -e 'a%20page' -e 'javascript' '$tmp/q.pdf'"
pdftoppm -r 20 "$P" "$tmp/pg" 2>/dev/null
c=$(python3 "$tmp/colours.py" "$tmp/pg")
check "the PDF does not show the image outside the book nor the book's file it names ($c)" \
  eval "[ \"\$(echo '$c' | awk '{print \$4}')\" = 0 ]"
# every href/src in the XHTML: a valid URI, no onclick
cat >"$tmp/uris.py" <<'PY'
import sys, re, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = []
allowed = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
for n in z.namelist():
    if not n.endswith((".xhtml", ".opf", ".ncx", ".svg")): continue
    t = z.read(n).decode("utf-8")
    if re.search(r"\son[a-z]+\s*=", t): bad.append(n + ": an on... attribute")
    for m in re.finditer(r'\s(?:href|src|xlink:href)="([^"]*)"', t):
        u = m.group(1).replace("&amp;", "&")
        if not allowed.match(u) or u.count("#") > 1 or re.search(r"%(?![0-9A-Fa-f]{2})", u):
            bad.append("%s: %r" % (n, u))
print("\n".join(bad))
PY
u=$(python3 "$tmp/uris.py" "$E" 2>&1)
if [ -z "$u" ]; then ok "every href/src in the EPUB is a valid URI, no on... attribute"
else nok "every href/src in the EPUB is a valid URI, no on... attribute"; echo "$u" | indent; fi
check "the smuggled hrefs are warnings at their places (a.md:7)" eval "grep -q 'a.md:7:[0-9]*: warning' '$tmp/err'"

# ---- control characters in book.yaml -----------------------------------------
C=$tmp/ctl
mkbook "$C" 'cover: cover.png'
sed -i 's/^title: .*/title: "T\\x01i\\x1ftle\\x0b end"/; s/^author: .*/author: "A\\x02u\\x1bthor"/; s/^publisher: .*/publisher: "P\\x03ub\\x08\\x7f"/' "$C/book.yaml"
python3 "$tmp/mkpng.py" "$C/cover.png" 60 90 20 60 120
printf '# Chapter\n\nText.\n' >"$C/a.md"
build "$C" --epub
status_ok "control characters in title, author, publisher (EPUB)" 0
rm -rf "$tmp/ctlx"; mkdir -p "$tmp/ctlx"
(cd "$tmp/ctlx" && unzip -q "$C.out/t.epub" 2>/dev/null)
nbad=0 nfiles=0
for f in $(find "$tmp/ctlx" -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.xml'); do
  nfiles=$((nfiles + 1))
  xmllint --noout "$f" 2>"$tmp/xl" || { nbad=$((nbad + 1)); indent 3 <"$tmp/xl"; }
done
check "every XML file of the EPUB is well-formed ($nfiles files, $nbad bad)" eval "[ $nfiles -ge 5 ] && [ $nbad -eq 0 ]"
# (reading book.yaml turns each control character into U+FFFD, with a warning)
check "cover.xhtml is there, its alt text without the control characters" \
  eval "grep -q 'alt=\"T�i�tle� end\"' '$tmp/ctlx/EPUB/cover.xhtml'"
epubcheck_bg "$C.out/t.epub" "$tmp/ec2.log"

# ---- a million elements; a root that is not <svg> ------------------------------
M=$tmp/million
mkbook "$M"
python3 -c "import sys; sys.stdout.write('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">' + '<g/>' * 1000000 + '</svg>')" >"$M/m.svg"
printf '# M\n\nText.\n\n![many](m.svg)\n' >"$M/a.md"
/usr/bin/time -f '%e %M' -o "$tmp/time" timeout 30 "$GB" build "$M" -o "$M.out" >"$tmp/out" 2>"$tmp/err"; rc=$?
status_ok "an SVG of a million elements" 1
check "... a located error naming the limit (a.md:5:1)" eval "grep -q 'a.md:5:1: error: .*m.svg.*100000 elements' '$tmp/err'"
read -r secs kb < <(tail -1 "$tmp/time" 2>/dev/null)
check "... in bounded time and memory (${secs:-?} s, ${kb:-?} KB)" \
  eval "awk -v s='${secs:-99}' -v k='${kb:-9999999}' 'BEGIN { exit !(s < 10 && k < 400000) }'"
check "... no output written" eval "[ ! -e '$M.out/t.epub' ] && [ ! -e '$M.out/t.pdf' ]"
printf '<html><body><p>x</p><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/></body></html>\n' >"$M/m.svg"
build "$M"
status_ok "an image file whose root is <html> with an <svg> inside" 1
check "... a located error: its root is not <svg>" eval "grep -q 'a.md:5:1: error: .*m.svg.*root element is <html>' '$tmp/err'"
python3 -c "import sys; sys.stdout.write('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">' + '<g>' * 5000 + '</g>' * 5000 + '</svg>')" >"$M/m.svg"
build "$M"
status_ok "an SVG nested 5000 deep" 1
check "... a located error naming the limit" eval "grep -q 'a.md:5:1: error: .*m.svg.*256 deep' '$tmp/err'"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/>\n' >"$M/m.svg"
build "$M"
status_ok "a truncated SVG" 1
check "... a located error: not well-formed" eval "grep -q 'a.md:5:1: error: .*m.svg.*not well-formed' '$tmp/err'"

# ---- a big image used many times ---------------------------------------------
G=$tmp/big
mkbook "$G"
python3 "$tmp/mkpng.py" "$G/big.png" 4000 4000 200 40 40
{ echo "# Big"; for i in $(seq 20); do printf '\n![big %d](big.png)\n' "$i"; done; } >"$G/a.md"
/usr/bin/time -f '%e %M' -o "$tmp/time" timeout 60 "$GB" build "$G" -o "$G.out" >"$tmp/out" 2>"$tmp/err"; rc=$?
status_ok "a 16-megapixel PNG used 20 times" 0
read -r secs kb < <(tail -1 "$tmp/time" 2>/dev/null)
check "... bounded memory: decoded once (${secs:-?} s, ${kb:-?} KB)" \
  eval "awk -v k='${kb:-9999999}' 'BEGIN { exit !(k < 600000) }'"
qpdf --qdf --object-streams=disable "$G.out/t.pdf" "$tmp/g.pdf" 2>/dev/null
n=$(grep -ac '/Subtype /Image' "$tmp/g.pdf")
check "... one image object in the PDF (got $n)" [ "$n" = 1 ]
n=$(unzip -l "$G.out/t.epub" 2>/dev/null | grep -c 'big.png')
check "... one file in the EPUB (got $n)" [ "$n" = 1 ]

# ---- CMYK JPEGs --------------------------------------------------------------
J=$tmp/cmyk
mkbook "$J"
python3 "$tmp/mkjpeg.py" "$J/adobe.jpg" 64 48 0 255 255 0 adobe
python3 "$tmp/mkjpeg.py" "$J/plain.jpg" 64 48 0 255 255 0
for k in adobe plain; do
  printf '# CMYK\n\n![red](%s.jpg)\n' "$k" >"$J/a.md"
  build "$J" --pdf
  status_ok "a CMYK JPEG ($k)" 0
  rm -f "$tmp"/jp-*.ppm
  pdftoppm -r 30 "$J.out/t.pdf" "$tmp/jp" 2>/dev/null
  c=$(python3 "$tmp/colours.py" "$tmp/jp")
  r=$(echo "$c" | awk '{print $2}')
  check "... prints red, not as a negative ($c)" eval "[ '${r:-0}' -gt 300 ]"
done
build "$J" --epub
check "the EPUB keeps the CMYK JPEG's bytes" eval "unzip -p '$J.out/t.epub' EPUB/images/plain.jpg | cmp -s - '$J/plain.jpg'"

# ---- EPUBCheck results ---------------------------------------------------------
for p in "${bgpids[@]}"; do wait "$p" 2>/dev/null; done
bgpids=()
epubcheck_result "hostile SVG, SVG with links, smuggled hrefs" "$tmp/ec1.log"
epubcheck_result "control characters in book.yaml" "$tmp/ec2.log"
