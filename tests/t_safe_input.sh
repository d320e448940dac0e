#!/usr/bin/env bash
# t_safe_input.sh — reading text safely (issue 17): deeply nested YAML and
# alias bombs in book.yaml and style.yaml end in a located error, quickly
# and in bounded memory; characters that are not text (invalid UTF-8, NUL,
# controls, noncharacters) in a chapter or in book.yaml give a located
# error, or a located warning when the reader is still served (U+FFFD,
# EPUBCheck clean); CR-only, CRLF and mixed line ends give the right line
# numbers; chapters are read in NFC (a heading typed with a combining mark
# and a link to the composed form meet); a chapters list of 100,000
# entries is refused within seconds; a file name with a newline or ESC
# gives one-line diagnostics. Prints "ok - ..." / "not ok - ..." lines;
# always exits 0.
cd "$(dirname "$0")/.." || exit 0
. tests/lib.sh
require java qpdf
[ -x /usr/bin/time ] || { nok "/usr/bin/time is installed (make test-deps)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-input.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH
STYLES=$PWD/styles FONTS=$PWD/fonts

# check WHAT CONDITION...: ok if the command succeeds
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; indent 6 <"$tmp/err"; fi; }
# book DIR: a small valid book in DIR (book.yaml, a.md)
book() {
  rm -rf "$1"; mkdir -p "$1"
  printf 'name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2024-01-01\n' >"$1/book.yaml"
  printf '# Hoofdstuk\n\nTekst.\n' >"$1/a.md"
}
# build DIR [ARGS...]: builds DIR into DIR/out within 30 s; sets rc, and
# kb (maximum resident memory); stderr in $tmp/err
build() {
  local d=$1; shift
  /usr/bin/time -f %M -o "$tmp/mem" timeout 30 "$GB" build "$d" -o "$d/out" "$@" >/dev/null 2>"$tmp/err"
  rc=$?
  kb=$(tail -1 "$tmp/mem" 2>/dev/null); [[ $kb =~ ^[0-9]+$ ]] || kb=0
}
has() { grep -qF -- "$1" "$tmp/err"; }
# one_line_each: every line of stderr is one diagnostic
one_line_each() { ! grep -vqE '^("[^"]*"|[^" ]+)(:[0-9]+:[0-9]+)?: (error|warning|note): |^goodiebag: ' "$tmp/err"; }
epub_clean() { java -jar /usr/bin/epubcheck "$1" >"$tmp/epubcheck" 2>&1 || { cat "$tmp/epubcheck" >>"$tmp/err"; return 1; }; }

# ---- deep YAML and alias bombs ------------------------------------------
deep() { # deep WHAT FILE CONTENT-GENERATOR
  local what=$1 file=$2 gen=$3 d=$tmp/deep
  book "$d"
  if [ "$file" = style ]; then
    rm -rf "$tmp/st"; cp -r "$STYLES" "$tmp/st"
    python3 -c "$gen" >>"$tmp/st/style.yaml"
    build "$d" --style "$tmp/st" --fonts "$FONTS"
    local name=style.yaml
  else
    python3 -c "$gen" >>"$d/book.yaml"
    build "$d"
    local name=book.yaml
  fi
  check "$what: exit 1 within 30 s (got $rc)" [ "$rc" -eq 1 ]
  check "$what: a located error in $name" grep -qE "$name:[0-9]+:[0-9]+: error: .*(nested more than 64|more than 250000 values)" "$tmp/err"
  check "$what: memory stays small (${kb} kB)" [ "$kb" -lt 400000 ]
}
deep "100,000 '[' in book.yaml" book "print('x: ' + '[' * 100000)"
deep "100,000 '{a:' in book.yaml" book "print('x: ' + '{a: ' * 100000 + '}' * 100000)"
deep "100,000 '- ' in book.yaml" book "print('chapters:\n  - ' + '- ' * 100000 + 'a.md')"
deep "100,000 '[' in style.yaml" style "print('x: ' + '[' * 100000)"
deep "block maps 100 deep in style.yaml" style "print('\n'.join(' ' * i + 'a:' for i in range(100)) + ' 1')"
bomb="print('a: &a [x, x, x, x, x, x, x, x, x, x]'); [print('%s: &%s [%s]' % (c, c, ', '.join(['*' + p] * 10))) for p, c in zip('abcdefgh', 'bcdefghi')]"
deep "alias bomb (10^9 values) in book.yaml" book "$bomb"
deep "alias bomb in style.yaml" style "$bomb"
d=$tmp/alias; book "$d"
printf 'x: &s [a, *s]\n' >>"$d/book.yaml"; build "$d"
check "an alias inside its own anchor: exit 1" [ "$rc" -eq 1 ]
check "an alias inside its own anchor: located" has "book.yaml:7:11: error: the alias '*s' names a list or map it stands in"
book "$d"; printf 'title2: &t T\n' >>"$d/book.yaml"; sed -i 's/^title: T$/title: *t/' "$d/book.yaml"
build "$d"
check "an alias to a later anchor: located error" has "book.yaml:2:8: error: the alias '*t' names no anchor defined before it"
book "$d"; sed -i 's/^title: T$/title: \&t T/; s/^publisher: P$/publisher: *t/' "$d/book.yaml"
build "$d" --epub
check "an ordinary anchor and alias still work (exit $rc)" [ "$rc" -eq 0 ]

# ---- characters that are not text ---------------------------------------
d=$tmp/chars; book "$d"
# line 3: U+FFFE at col 3; then ESC, a C1 control, U+10FFFF, U+FDD0, DEL
printf '# Hoofdstuk\n\nA \xef\xbf\xbe b \x1b c \xc2\x85 d \xf4\x8f\xbf\xbf e \xef\xb7\x90 f \x7f.\n\nEen form\x0cfeed.\n\nRefs: &#xFFFF; &#x1b; &#xFFFE;.\n' >"$d/a.md"
printf 'name: t\ntitle: "T \xef\xbf\xbe raw"\nauthor: "A \\e escaped"\npublisher: "P \\uFFFF"\nlang: nl\ndate: 2024-01-01\n' >"$d/book.yaml"
build "$d"
check "controls and noncharacters: served with warnings (exit $rc)" [ "$rc" -eq 0 ]
check "chapter: U+FFFE located at a.md:3:3, with what the reader sees" \
  has "a.md:3:3: warning: U+FFFE is a noncharacter, not text: readers see U+FFFD (a replacement mark) in its place; 5 more such characters"
check "chapter: a character reference to U+FFFF located at a.md:7:1" \
  has "a.md:7:1: warning: a character reference gives U+FFFF, which is not text: readers see U+FFFD"
check "book.yaml: raw U+FFFE located at book.yaml:2:11" has "book.yaml:2:11: warning: U+FFFE is a noncharacter"
check "book.yaml: the escape \\e located at book.yaml:3:9" has "book.yaml:3:9: warning: a value contains U+001B, which is not text"
check "book.yaml: the escape \\uFFFF located at book.yaml:4:12" has "book.yaml:4:12: warning: a value contains U+FFFF"
check "served: EPUBCheck clean" epub_clean "$d/out/t.epub"
check "served: qpdf --check" qpdf --check "$d/out/t.pdf" >/dev/null 2>>"$tmp/err"
check "no control character or noncharacter in the EPUB text" \
  bash -c "! unzip -p '$d/out/t.epub' EPUB/text/a.xhtml EPUB/package.opf | grep -qaP '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\xef\xbf\xbe|\xef\xbf\xbf|\xc2\x85'"
check "U+FFFD in the chapter and the title" \
  bash -c "unzip -p '$d/out/t.epub' EPUB/text/a.xhtml | grep -qa 'A � b � c � d � e � f �' && unzip -p '$d/out/t.epub' EPUB/text/a.xhtml | grep -qa 'Refs: � � �' && unzip -p '$d/out/t.epub' EPUB/package.opf | grep -qa 'T � raw'"
check "a form feed is a space" bash -c "unzip -p '$d/out/t.epub' EPUB/text/a.xhtml | grep -qa 'Een form feed'"

bad() { # bad WHAT BYTES EXPECTED: a chapter "# H\n\nab" + BYTES on line 3, col 3
  book "$d"; printf "# H\n\nab$2 z\n" >"$d/a.md"; build "$d"
  check "$1 in a chapter: exit 1 (got $rc)" [ "$rc" -eq 1 ]
  check "$1 in a chapter: located at a.md:3:3" has "a.md:3:3: error: the file"
  check "$1 in a chapter: the message names the bytes" has "$3"
}
bad "invalid UTF-8 (Latin-1 é)" '\xe9' "the file is not valid UTF-8: the byte 0xE9 (byte offset 7) starts a sequence that does not continue; save it as UTF-8"
bad "an overlong '/'" '\xc0\xaf' "the bytes 0xC0 0xAF (byte offset 7) are an overlong form of U+002F"
bad "an encoded surrogate" '\xed\xa0\x80' "the bytes 0xED 0xA0 0x80 (byte offset 7) are an encoded surrogate (U+D800)"
bad "a stray continuation byte" '\x80' "the byte 0x80 (byte offset 7) is a continuation byte without a lead byte"
bad "a value past U+10FFFF" '\xf4\x90\x80\x80' "(byte offset 7) are a value past U+10FFFF"
bad "a NUL byte" '\x00' "the file contains a NUL byte (U+0000, byte offset 7)"
book "$d"; printf 'name: t\ntitle: T\nauthor: "A \xc3"\npublisher: P\nlang: nl\ndate: 2024-01-01\n' >"$d/book.yaml"; build "$d"
check "invalid UTF-8 in book.yaml: exit 1, located at book.yaml:3:12" \
  bash -c "[ $rc -eq 1 ] && grep -qF 'book.yaml:3:12: error: the file is not valid UTF-8' '$tmp/err'"
book "$d"; printf 'name: t\ntitle: "T\\0"\nauthor: A\npublisher: P\nlang: nl\ndate: 2024-01-01\n' >"$d/book.yaml"; build "$d"
check "a NUL escape in book.yaml: exit 1, located" bash -c "[ $rc -eq 1 ] && grep -qF 'book.yaml:2:8: error: a value contains U+0000' '$tmp/err'"

# ---- line ends -----------------------------------------------------------
ends() { # ends NAME SEP: a broken link on line 5 (col 3), a bad character on line 7
  book "$d"
  printf "# H${2}${2}para${2}${2}x [l](#nope)${2}${2}\xc3\xa9 \x01${2}" >"$d/a.md"
  build "$d"
  check "$1 line ends: the broken link is at a.md:5:3" has "a.md:5:3: error: link '#nope'"
  check "$1 line ends: the control character is at a.md:7:3" has "a.md:7:3: warning: U+0001"
  book "$d"; printf "# H${2}${2}para${2}${2}x \xff${2}" >"$d/a.md"; build "$d"
  check "$1 line ends: invalid UTF-8 at a.md:5:3" has "a.md:5:3: error: the file is not valid UTF-8"
  book "$d"; tr -d '\n' <"$d/book.yaml" >/dev/null
  printf "name: t${2}title: T${2}author: A${2}publisher: P${2}lang: nl${2}date: 2024-01-01${2}tittle: x${2}" >"$d/book.yaml"
  build "$d"
  check "$1 line ends in book.yaml: the unknown key is at book.yaml:7:1" has "book.yaml:7:1: error: unknown key 'tittle'"
}
ends "CR-only" '\r'
ends "CRLF" '\r\n'
book "$d"; printf '# H\r\n\rpara\n\r\nx [l](#nope)\r\r\n' >"$d/a.md"; build "$d"
check "mixed line ends: the broken link is at a.md:5:3" has "a.md:5:3: error: link '#nope'"
rm -rf "$tmp/st"; cp -r "$STYLES" "$tmp/st"
n=$(wc -l <"$tmp/st/style.yaml")
{ tr '\n' '\r' <"$STYLES/style.yaml"; printf 'bogus: 1\r'; } >"$tmp/st/style.yaml"
book "$d"; build "$d" --style "$tmp/st" --fonts "$FONTS"
check "CR-only line ends in style.yaml: the unknown section is at line $((n + 1))" \
  has "style.yaml:$((n + 1)):1: error: unknown style section 'bogus'"

# ---- NFC -----------------------------------------------------------------
book "$d"
printf '# Ide\xcc\x88ee\n\nSee [a](#ideee), [b](#id\xc3\xabee) and [c](b.md#na\xc3\xafef).\n\ne\xcc\x88e\xcc\x88 [broken](#nope)\n' >"$d/a.md"
printf '# Na\xc3\xafef\n\nSee [d](a.md#ide\xcc\x88ee).\n' >"$d/b.md"
build "$d" --epub
check "NFC: a decomposed heading and links to its composed forms resolve (exit $rc)" [ "$rc" -eq 1 ]
check "NFC: the only error is the broken link, at its original column a.md:5:6" \
  bash -c "[ \$(grep -c ': error: ' '$tmp/err') -eq 1 ] && grep -qF \"a.md:5:6: error: link '#nope'\" '$tmp/err'"
sed -i '$d' "$d/a.md"; build "$d" --epub
check "NFC: the book builds without the broken link" [ "$rc" -eq 0 ]
check "NFC: the heading is composed in the EPUB (Idëee)" \
  bash -c "unzip -p '$d/out/t.epub' EPUB/text/a.xhtml | grep -q '<h1 id=\"ideee\">.*Idëee</h1>'"
printf 'name: t\ntitle: "Ide\\u0308ee"\nauthor: A\npublisher: P\nlang: nl\ndate: 2024-01-01\n' >"$d/book.yaml"
build "$d" --epub
check "NFC: a title written with an escaped combining mark is composed" \
  bash -c "unzip -p '$d/out/t.epub' EPUB/package.opf | grep -q '<dc:title[^>]*>Idëee</dc:title>'"

# ---- long lists ----------------------------------------------------------
book "$d"
python3 -c "
print('chapters:')
for i in range(100000): print('  - c%d.md' % i)" >>"$d/book.yaml"
start=$(date +%s%N); build "$d"; ms=$((($(date +%s%N) - start) / 1000000))
check "100,000 chapters: exit 1 in ${ms} ms (< 5 s)" [ "$rc" -eq 1 -a "$ms" -lt 5000 ]
check "100,000 chapters: the error is at the first entry too many" \
  has "book.yaml:10008:5: error: 'chapters' lists 100000 files, more than the limit of 10000 chapters"
book "$d"
python3 -c "
print('chapters:')
for i in range(10000): print('  - c.md' if i % 2 else '  - c%d.md' % i)" >>"$d/book.yaml"
start=$(date +%s%N); build "$d"; ms=$((($(date +%s%N) - start) / 1000000))
check "10,000 chapters, half of them the same: exit 1 in ${ms} ms" [ "$rc" -eq 1 -a "$ms" -lt 5000 ]
check "the same chapter twice: located, with the first line" has "book.yaml:11:5: error: chapter 'c.md' is listed twice (first on line 9)"
book "$d"; python3 -c "
import sys
sys.stdout.write('# A\n\n' * 5000 + '[x](#a-4999)\n')" >"$d/a.md"
start=$(date +%s%N); build "$d" --epub; ms=$((($(date +%s%N) - start) / 1000000))
check "5,000 headings with one title: built in ${ms} ms (< 10 s; numbering their ids took n^2/2 steps, minutes)" \
  [ "$rc" -eq 0 -a "$ms" -lt 10000 ]

# ---- names that would break a diagnostic line ---------------------------
book "$d"; rm "$d/a.md"
printf '# A\n\n[x](#nope)\n' >"$d/$(printf 'a\nb.md')"
printf '# B\n\n[y](#nope)\n' >"$d/$(printf 'c\033[31md.md')"
printf '# C\n\n[z](#nope)\n' >"$d/$(printf 'e\xe2\x80\xaef.md')"
build "$d"
check "names with a newline, ESC, U+202E: exit 1" [ "$rc" -eq 1 ]
check "every diagnostic is one line" one_line_each
check "a newline in a name is written \\n, the name in quotes" has "\"$d/a\\nb.md\":3:1: error: link '#nope'"
check "ESC in a name is written \\x1B" has "\"$d/c\\x1B[31md.md\":3:1: error:"
check "U+202E in a name is written \\u202E" has "\"$d/e\\u202Ef.md\":3:1: error:"
check "no raw control byte on stderr" bash -c "! grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xe2\x80\xae' '$tmp/err'"
printf 'chapters:\n  - "x\\ny.md"\n' >>"$d/book.yaml"; build "$d"
check "a newline in a chapter name in book.yaml: one line" \
  bash -c "grep -qF \"book.yaml:8:5: error: chapter 'x\\\\ny.md'\" '$tmp/err' && [ \$(wc -l <'$tmp/err') -eq 2 ]"
