#!/usr/bin/env bash
# t_safe_files.sh — every file a build reads goes through one check
# (path_read): a symbolic link that leads out of its folder (the book for
# chapters, images and the cover; the style folder for style.yaml and
# epub.css; the fonts folder for fonts) is a located error and its bytes
# reach no output; a named pipe or a device is refused without blocking;
# damaged fonts (truncated, broken glyph data) are located errors at their
# key in style.yaml; "b:1:2.md" is a chapter like any other; more than
# 10 000 chapter files is an error naming the limit; thousands of similar
# names cost time and memory in proportion.
# Books are generated in a temporary folder. Prints "ok - ..." /
# "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
. tests/lib.sh
require python3 unzip timeout
# in memory when possible: two cases make 10 000 files, slow on a busy disk
base=${TMPDIR:-/dev/shm}
[ -d "$base" ] && [ -w "$base" ] || base=/tmp
tmp=$(mktemp -d "$base/gb-files.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH
G=$(cd "$(dirname "$GB")" && pwd)/$(basename "$GB")
MARK=OUTSIDE-BYTES-7f3a9c
out="$tmp/out"
png=tests/books/images/images/staafdiagram.png

# mkbook DIR: a small book with a style folder of its own (no fonts)
mkbook() {
  rm -rf "$1"
  mkdir -p "$1/styles" "$1/img"
  cat >"$1/book.yaml" <<'EOF'
name: t
title: Veilig
author: A
publisher: P
lang: nl
date: 2021-01-01
cover: cover.png
chapters:
  - a.md
  - b.md
EOF
  printf '# Een\n\nTekst met een opsommingsteken \xe2\x80\xa2 en meer.\n' >"$1/a.md"
  printf '# Twee\n\nEen figuur:\n\n![Een staafdiagram](img/plan.png)\n' >"$1/b.md"
  cp styles/style.yaml styles/epub.css "$1/styles/"
  cp "$png" "$1/img/plan.png"
  cp "$png" "$1/cover.png"
}
# withfonts DIR: the book gets a fonts folder of its own
withfonts() { mkdir -p "$1/fonts" && cp fonts/*.otf "$1/fonts/"; }

# build DIR [ARGS]: sets rc and err; the outputs go to a fresh $out
build() {
  local d=$1; shift
  rm -rf "$out"
  timeout 30 "$G" build "$d" -o "$out" "$@" >/dev/null 2>"$tmp/err"
  rc=$?
  err=$(cat "$tmp/err")
}
# expect_error WHAT PATTERN: exit status 1, a message matching PATTERN
# (a grep -E pattern), nothing written
expect_error() {
  if [ "$rc" -eq 1 ] && grep -qE -- "$2" "$tmp/err" && [ -z "$(ls -A "$out" 2>/dev/null)" ]; then
    ok "$1"
  else
    nok "$1 (exit $rc)"
    indent <"$tmp/err"
  fi
}
# no_outside WHAT: the marker is in no output (EPUB entries, PDF)
no_outside() {
  local f found=0
  for f in "$out"/*.epub; do
    [ -f "$f" ] && unzip -p "$f" | grep -aq "$MARK" && found=1
  done
  for f in "$out"/*.pdf; do
    [ -f "$f" ] && grep -aq "$MARK" "$f" && found=1
  done
  if [ $found -eq 0 ]; then ok "$1: the outside bytes are in no output"; else nok "$1: the outside bytes are in an output"; fi
}

# ---- a legitimate book builds --------------------------------------------
B="$tmp/book"
mkbook "$B"
build "$B"
if [ "$rc" -eq 0 ] && [ -f "$out/t.epub" ] && [ -f "$out/t.pdf" ]; then ok "the test book builds"; else nok "the test book builds (exit $rc)"; indent <"$tmp/err"; fi
# symbolic links that stay inside their folders are fine
mkbook "$B"
mkdir -p "$B/src" "$B/styles/real"
mv "$B/b.md" "$B/src/b.md" && ln -s src/b.md "$B/b.md"
mv "$B/styles/epub.css" "$B/styles/real/epub.css" && ln -s real/epub.css "$B/styles/epub.css"
build "$B"
if [ "$rc" -eq 0 ]; then ok "symbolic links inside the book and the style folder are followed"; else nok "symbolic links inside the book and the style folder are followed (exit $rc)"; indent <"$tmp/err"; fi

# ---- symbolic links out of the folder -----------------------------------
O="$tmp/outside"
mkdir -p "$O"
# outside copies of each file, valid, with the marker in them
{ cat styles/style.yaml; echo "# $MARK"; } >"$O/style.yaml"
{ cat styles/epub.css; echo "/* $MARK */"; } >"$O/epub.css"
{ cat "$png"; echo "$MARK"; } >"$O/plan.png"
{ cat fonts/LinLibertine_R.otf; echo "$MARK"; } >"$O/LinLibertine_R.otf"
printf '# Twee\n\n%s\n' "$MARK" >"$O/b.md"

mkbook "$B"; ln -sf "$O/style.yaml" "$B/styles/style.yaml"
build "$B"
expect_error "style.yaml linked out of the style folder: located error" "styles/style.yaml: error: cannot read the style: the path leads outside the style folder \(through a symbolic link\)"
no_outside "style.yaml linked out"

mkbook "$B"; ln -sf "$O/epub.css" "$B/styles/epub.css"
build "$B"
expect_error "epub.css linked out of the style folder: located error" "styles/epub.css: error: cannot read the style sheet: the path leads outside the style folder \\(through a symbolic link\\)"
no_outside "epub.css linked out"

mkbook "$B"; withfonts "$B"; ln -sf "$O/LinLibertine_R.otf" "$B/fonts/LinLibertine_R.otf"
build "$B"
expect_error "a font linked out of the fonts folder: error at its key" "styles/style.yaml:5:9: error: the font 'LinLibertine_R.otf' for 'fonts: body' cannot be read: the path leads outside the fonts folder \\(through a symbolic link\\)"
no_outside "font linked out"

mkbook "$B"; ln -sf "$O/b.md" "$B/b.md"
build "$B"
expect_error "a chapter linked out of the book: error at its entry" "book.yaml:10:5: error: chapter 'b.md': the path leads outside the book folder \(through a symbolic link\)"
no_outside "chapter linked out"

mkbook "$B"; ln -sf "$O/plan.png" "$B/img/plan.png"
build "$B"
expect_error "an image linked out of the book: error where it is used" "b.md:5:1: error: image 'img/plan.png': the path leads outside the book folder \\(through a symbolic link\\)"
no_outside "image linked out"

mkbook "$B"; ln -sf "$O/plan.png" "$B/cover.png"
build "$B"
expect_error "the cover linked out of the book: error at 'cover'" "book.yaml:7:8: error: image 'cover.png': the path leads outside the book folder \\(through a symbolic link\\)"
no_outside "cover linked out"

# an SVG image that names files outside (librsvg has no base to load from:
# the PDF is the same as when the named file does not exist)
mkbook "$B"; sed -i '/^cover:/d' "$B/book.yaml"
svg() {
  printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#ccc"/><image width="200" height="100" xlink:href="%s"/></svg>\n' "$1" >"$B/img/f.svg"
}
sed -i 's|img/plan.png|img/f.svg|' "$B/b.md"
svg "nergens.png"; build "$B" --pdf; cp "$out/t.pdf" "$tmp/missing.pdf" 2>/dev/null
svg "$O/plan.png"; build "$B" --pdf
if [ "$rc" -eq 0 ] && cmp -s "$out/t.pdf" "$tmp/missing.pdf"; then ok "an SVG naming an outside file: drawn as if the file were missing"; else nok "an SVG naming an outside file: drawn as if the file were missing (exit $rc)"; indent <"$tmp/err"; fi
svg "file://$O/plan.png"; build "$B" --pdf
if [ "$rc" -eq 0 ] && cmp -s "$out/t.pdf" "$tmp/missing.pdf"; then ok "an SVG naming a file:// URL: drawn as if the file were missing"; else nok "an SVG naming a file:// URL: drawn as if the file were missing (exit $rc)"; fi

# a book's own styles or fonts folder that is itself a link out
mkdir -p "$O/styles" "$O/fonts"
cp "$O/style.yaml" "$O/epub.css" "$O/styles/"
cp fonts/*.otf "$O/fonts/" && cp "$O/LinLibertine_R.otf" "$O/fonts/"
mkbook "$B"; rm -rf "$B/styles"; ln -s "$O/styles" "$B/styles"
build "$B"
expect_error "a styles folder linked out of the book: located error" "/styles: error: the folder leads out of the book folder"
no_outside "styles folder linked out"
mkbook "$B"; ln -s "$O/fonts" "$B/fonts"
build "$B"
expect_error "a fonts folder linked out of the book: located error" "/fonts: error: the folder leads out of the book folder"
no_outside "fonts folder linked out"
# --style and --fonts name folders on purpose: they may be anywhere
mkbook "$B"; rm -rf "$B/styles"
cp styles/style.yaml styles/epub.css "$O/styles/"
build "$B" --style "$O/styles" --fonts "$O/fonts"
if [ "$rc" -eq 0 ]; then ok "--style and --fonts may name folders outside the book"; else nok "--style and --fonts may name folders outside the book (exit $rc)"; indent <"$tmp/err"; fi

# ---- named pipes and devices: refused at once, never read ----------------
fifo_case() { # WHAT FILE PATTERN [withfonts]
  mkbook "$B"
  [ -n "$4" ] && withfonts "$B"
  rm -f "$B/$2" && mkfifo "$B/$2"
  local t0=$SECONDS
  build "$B"
  if [ "$rc" -eq 124 ]; then nok "a named pipe as $1: the build hangs"; return; fi
  expect_error "a named pipe as $1: located error, no hang ($((SECONDS - t0)) s)" "$3"
}
fifo_case "a chapter" b.md "book.yaml:10:5: error: chapter 'b.md': it is a named pipe"
fifo_case "an image" img/plan.png "b.md:5:1: error: image 'img/plan.png': it is a named pipe"
fifo_case "the cover" cover.png "book.yaml:7:8: error: image 'cover.png': it is a named pipe"
fifo_case "book.yaml" book.yaml "book.yaml: error: cannot read the book's metadata: it is a named pipe"
fifo_case "style.yaml" styles/style.yaml "styles/style.yaml: error: cannot read the style: it is a named pipe"
fifo_case "epub.css" styles/epub.css "styles/epub.css: error: cannot read the style sheet: it is a named pipe"
fifo_case "a font" fonts/Inconsolata.otf "styles/style.yaml:12:9: error: the font 'Inconsolata.otf' for 'fonts: mono' cannot be read: it is a named pipe" withfonts
# a chapter found by listing the folder (no 'chapters' key)
mkbook "$B"; sed -i '/^chapters:/,$d' "$B/book.yaml"; mkfifo "$B/c.md"
build "$B"
[ "$rc" -eq 124 ] && nok "a listed named pipe: the build hangs" ||
  expect_error "a named pipe found as a chapter in the folder: located error" "chapter 'c.md': it is a named pipe"
# a character device (like /dev/zero) inside the book
mkbook "$B"; rm -f "$B/b.md"
if mknod "$B/b.md" c 1 5 2>/dev/null; then
  build "$B"
  expect_error "a character device as a chapter: located error, nothing read" "chapter 'b.md': it is a device"
else
  ok "a character device as a chapter: skipped (mknod needs root)"
fi
mkbook "$B"; ln -sf /dev/zero "$B/img/plan.png"
build "$B"
expect_error "an image linked to /dev/zero: located error" "image 'img/plan.png': the path leads outside the book folder \\(through a symbolic link\\)"
mkbook "$B"; rm "$B/b.md"; mkdir "$B/b.md"
build "$B"
expect_error "a folder as a chapter: located error" "chapter 'b.md': it is a folder"

# ---- damaged fonts ----------------------------------------------------------
# breakcff SRC DST FIRST LAST: overwrites the charstrings of glyphs
# FIRST..LAST-1 of an OpenType/CFF font (its structure stays valid)
breakcff() {
  python3 - "$@" <<'EOF'
import struct, sys
src, dst, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = bytearray(open(src, 'rb').read())
for i in range(struct.unpack('>H', d[4:6])[0]):
    tag, _, off, _ = struct.unpack('>4sIII', d[12 + 16 * i:28 + 16 * i])
    if tag == b'CFF ':
        cff = off
def index(p):
    n = struct.unpack('>H', d[p:p + 2])[0]
    if n == 0:
        return p + 2, []
    osz = d[p + 2]
    offs = [int.from_bytes(d[p + 3 + k * osz:p + 3 + (k + 1) * osz], 'big') for k in range(n + 1)]
    base = p + 3 + (n + 1) * osz - 1
    return base + offs[-1], [(base + offs[k], base + offs[k + 1]) for k in range(n)]
p, _ = index(cff + d[cff + 2])          # Name INDEX
p, tops = index(p)                       # Top DICT INDEX
a, b = tops[0]
ops, i, cs = [], a, None
while i < b:                             # the Top DICT: CharStrings (17)
    v = d[i]
    if v <= 21:
        i += 1
        if v == 12:
            i += 1
        elif v == 17:
            cs = ops[-1]
        ops = []
    elif v == 28: ops.append(struct.unpack('>h', d[i + 1:i + 3])[0]); i += 3
    elif v == 29: ops.append(struct.unpack('>i', d[i + 1:i + 5])[0]); i += 5
    elif v == 30:
        i += 1
        while (d[i] & 15) != 15 and (d[i] >> 4) != 15: i += 1
        i += 1; ops.append(0)
    elif v <= 246: ops.append(v - 139); i += 1
    elif v <= 250: ops.append((v - 247) * 256 + d[i + 1] + 108); i += 2
    else: ops.append(-(v - 251) * 256 - d[i + 1] - 108); i += 2
_, glyphs = index(cff + cs)
for s, e in glyphs[first:last]:
    d[s:e] = b'\xff' * (e - s)
open(dst, 'wb').write(d)
EOF
}
mkbook "$B"; withfonts "$B"
head -c 12 fonts/LinLibertine_R.otf >"$B/fonts/LinLibertine_R.otf"
build "$B"
expect_error "a truncated font (12 bytes): error at its key" "styles/style.yaml:5:9: error: the font 'LinLibertine_R.otf' for 'fonts: body' is damaged"
mkbook "$B"; withfonts "$B"
: >"$B/fonts/LinLibertine_RI.otf"
build "$B"
expect_error "an empty font file: error at its key" "styles/style.yaml:6:16: error: the font 'LinLibertine_RI.otf' for 'fonts: body-italic' is damaged"
mkbook "$B"; withfonts "$B"
head -c 40000 fonts/LinBiolinum_RB.otf >"$B/fonts/LinBiolinum_RB.otf"
build "$B"
expect_error "a font cut off in its glyph data: error at its key" "styles/style.yaml:9:12: error: the font 'LinBiolinum_RB.otf' for 'fonts: heading' is damaged"
mkbook "$B"; withfonts "$B"
breakcff fonts/LinLibertine_R.otf "$B/fonts/LinLibertine_R.otf" 1 100000
build "$B"
expect_error "a font whose glyph data is all broken: error at its key" "styles/style.yaml:5:9: error: the font 'LinLibertine_R.otf' for 'fonts: body' is damaged: the data of its glyphs cannot be read"
# only some glyphs broken (the bullet's among them): found when shaped
mkbook "$B"; withfonts "$B"
breakcff fonts/LinLibertine_R.otf "$B/fonts/LinLibertine_R.otf" 1500 2000
build "$B"
expect_error "a font with one used glyph broken: error at its key, naming the character" "styles/style.yaml:5:9: error: the font 'LinLibertine_R.otf' for 'fonts: body' is damaged: the data of glyph [0-9]+ \(for '.*', U\+2022\) cannot be read"
build "$B" --epub
expect_error "... also when only the EPUB is built" "for 'fonts: body' is damaged: the data of glyph"
# ... and the same font serves a book that does not use the broken glyphs
sed -i 's/ \xe2\x80\xa2//' "$B/a.md"
build "$B"
if [ "$rc" -eq 0 ]; then ok "a font with broken glyphs the book does not use still serves"; else nok "a font with broken glyphs the book does not use still serves (exit $rc)"; indent <"$tmp/err"; fi
mkbook "$B"; withfonts "$B"
cp README.md "$B/fonts/LinLibertine_R.otf"
build "$B"
expect_error "a text file as a font: error at its key" "styles/style.yaml:5:9: error: the font 'LinLibertine_R.otf' for 'fonts: body' is damaged"
mkbook "$B"; withfonts "$B"
sed -i 's|body: LinLibertine_R.otf|body: ../LinLibertine_R.otf|' "$B/styles/style.yaml"
build "$B"
expect_error "a font named '../x.otf': error at its key" "styles/style.yaml:5:9: error: .*a font is a file name in the fonts folder"

# ---- names that are legitimate ----------------------------------------------
mkbook "$B"; mv "$B/b.md" "$B/b:1:2.md"; sed -i 's/  - b.md/  - "b:1:2.md"/' "$B/book.yaml"
build "$B"
if [ "$rc" -eq 0 ] && unzip -l "$out/t.epub" | grep -q 'text/b-1-2.xhtml'; then ok "a chapter named 'b:1:2.md' builds"; else nok "a chapter named 'b:1:2.md' builds (exit $rc)"; indent <"$tmp/err"; fi
if [ "$rc" -eq 0 ] && unzip -p "$out/t.epub" EPUB/package.opf | grep -q 'href="text/b-1-2.xhtml"'; then ok "... and the package document lists it"; else nok "... and the package document lists it"; fi
sed -i '/^chapters:/,$d' "$B/book.yaml"
build "$B"
if [ "$rc" -eq 0 ]; then ok "'b:1:2.md' found by listing the folder builds"; else nok "'b:1:2.md' found by listing the folder builds (exit $rc)"; indent <"$tmp/err"; fi
mkbook "$B"; sed -i 's|  - b.md|  - C:/b.md|' "$B/book.yaml"
build "$B"
expect_error "a Windows drive path 'C:/b.md' is refused as absolute" "book.yaml:10:5: error: chapter 'C:/b.md': absolute paths"

# ---- the chapter limit ---------------------------------------------------
L="$tmp/limit"
mkdir -p "$L"
printf 'name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2021-01-01\n' >"$L/book.yaml"
(cd "$L" && seq -f 'c%05g.md' 10001 | xargs touch)
build "$L"
expect_error "10 001 chapter files in the folder: an error naming the limit" "limit: error: the folder has more than 10000 chapter files"
{ printf 'name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2021-01-01\nchapters:\n'; seq -f '  - c%05g.md' 10001; } >"$L/book.yaml"
build "$L"
expect_error "10 001 chapters in book.yaml: an error at the one past the limit" "book.yaml:10008:5: error: 'chapters' lists 10001 files, more than the limit of 10000 chapters"

# ---- thousands of similar names: time and memory in proportion ------------
# 5000 chapters whose names all become text/a-------------.xhtml, all with
# the same title, and 5000 images whose names all become images/a-----...
# One link to a missing anchor stops the build after loading (which is
# where names are made), so the measure is of the names.
S="$tmp/similar"
mkdir -p "$S/img"
python3 - "$S" <<'EOF'
import struct, sys, zlib
root = sys.argv[1]
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)) +
       chunk(b'IDAT', zlib.compress(b'\x00\x80')) + chunk(b'IEND', b''))  # 1 x 1 grey
names = [''.join('+' if (k >> b) & 1 else '=' for b in range(13)) for k in range(5000)]
with open(root + '/book.yaml', 'w') as y:
    y.write('name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2021-01-01\nchapters:\n')
    for n in names:
        y.write('  - "a%s.md"\n' % n)
        open('%s/a%s.md' % (root, n), 'w').write('# Titel\n\nTekst.\n')
with open('%s/a%s.md' % (root, names[0]), 'w') as c:
    c.write('# Titel\n\n[nergens](#nergens)\n\n')
    for n in names:
        open('%s/img/a%s.png' % (root, n), 'wb').write(png)
        c.write('![Figuur](img/a%s.png)\n\n' % n)
EOF
if [ -x /usr/bin/time ]; then
  rm -rf "$out"
  /usr/bin/time -f '%e %M' -o "$tmp/time" timeout 60 "$G" build "$S" -o "$out" >/dev/null 2>"$tmp/err"
  rc=$?
  read -r secs kb < <(tail -1 "$tmp/time")
  [ "$rc" -eq 1 ] && grep -q "no heading with the anchor '#nergens'" "$tmp/err" && [ "$(grep -c ': error:' "$tmp/err")" -eq 1 ] &&
    ok "5000 similar chapter and image names load (the one error is the link)" ||
    { nok "5000 similar chapter and image names load (exit $rc)"; indent <"$tmp/err"; }
  # the sanitizer build's shadow memory and quarantine take about six times
  # the normal build's 35 MB here: its bound is twice as high
  lim=200; case $G in *asan*) lim=400 ;; esac
  if awk -v s="$secs" -v k="$kb" -v l="$lim" 'BEGIN { exit !(s < 10 && k < l * 1000) }'; then
    ok "5000 similar names: ${secs} s, ${kb} kB (limits 10 s, $lim MB)"
  else
    nok "5000 similar names: ${secs} s, ${kb} kB (limits 10 s, $lim MB)"
  fi
else
  ok "5000 similar names: skipped (no /usr/bin/time)"
fi
