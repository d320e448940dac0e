#!/usr/bin/env bash
# t_typo.sh — typographic punctuation by language, strikethrough, task
# lists and autolinks (issue 12), in small books made in a temp dir:
#   - quotes per language (nl, en: “…” ‘…’; de: „…“ ‚…‘; fr: « … » with
#     U+202F inside), also across emphasis and nested; apostrophes (thema’s,
#     ’t, ’s-Hertogenbosch, rock ’n’ roll, ’90s); -- – , --- — , ... …;
#     nothing changed in code spans, code blocks, inline <code>, escapes
#     (\" \-\-), link destinations or autolinks; the book.yaml title and
#     the EPUB nav get the same marks;
#   - thema’s is never hyphenated at the apostrophe (PDF text);
#   - ~~struck~~: <del> in the XHTML; in the PDF a line through the word
#     (rendered pixels: a dark row across the word's box, which a word not
#     struck does not have);
#   - task items: the box with aria-label "klaar"/"open" in the XHTML, no
#     bullet; in the PDF the box's text is the state ("klaar klaar");
#   - autolinks: <a href> in the XHTML, a /URI link in the PDF;
#   - EPUBCheck 0/0 on the Dutch book;
#   - a paragraph that its marks would take past the 1 MB limit stays as
#     typed, with a warning.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-typo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require pdftotext pdftoppm qpdf python3 unzip

# book DIR LANG [OPTION]: a one-chapter book whose chapter is standard input
book() {
  mkdir -p "$tmp/$1"
  cat > "$tmp/$1/book.yaml" <<EOF
name: $1
title: "Het \"grote\" boek -- deel 1"
author: "t"
publisher: "t"
lang: $2
date: 2026-01-01
chapters:
  - a.md
EOF
  cat > "$tmp/$1/a.md"
  "$GB" build "$tmp/$1" -o "$tmp/$1/out" $3 >"$tmp/$1/log" 2>&1 || { nok "$1 builds"; indent < "$tmp/$1/log"; return 1; }
  [ -f "$tmp/$1/out/$1.epub" ] || return 0
  (cd "$tmp/$1/out" && unzip -q -o "$1.epub" -d x)
  sed -n '/<body/,$p' "$tmp/$1/out/x/EPUB/text/"*.xhtml | tr '\n' ' ' > "$tmp/$1/body"
}

# has NAME STRING DESC: the book's chapter XHTML body contains STRING
has() {
  if grep -qF -- "$2" "$tmp/$1/body"; then ok "$1: $3"; else nok "$1: $3 ($2)"; grep -o '<p>.\{0,160\}' "$tmp/$1/body" | indent 6; fi
}

text='# Het "thema" van '"'"'t boek

Hij zei: "dit is *heel* mooi" en '"'"'dat ook'"'"'. De thema'"'"'s van '"'"'s-Hertogenbosch, rock '"'"'n'"'"' roll, de '"'"'90s.
"Een '"'"'geneste'"'"' quote" -- kort --- lang... En `"code" -- ...` blijft.

"Over *nadruk" heen*, en "een [link](https://example.org/a--b?q=\"x\") hier".

~~doorgehaald~~ woord en www.example.com en https://example.org/a_b--c?x=1.

- [x] klaar
- [ ] open
- gewoon

```
"code block" -- ...
```

<code>"raw"</code> en \"escaped\" en \-\- hier.'

book nl nl <<< "$text" && {
  has nl '“dit is <em>heel</em> mooi”' 'double quotes “…” around emphasis'
  has nl '‘dat ook’' "single quotes ‘…’"
  has nl 'De thema’s van ’s-Hertogenbosch, rock ’n’ roll, de ’90s.' "apostrophes ’ (thema’s, ’s-, ’n’, ’90s)"
  has nl '“Een ‘geneste’ quote” – kort — lang… En <code>"code" -- ...</code> blijft.' 'nested quotes, – — …, code span unchanged'
  has nl '“Over <em>nadruk” heen</em>' 'a quote closed inside emphasis pairs with one opened before it'
  has nl '“een <a href="https://example.org/a--b?q=%22x%22">link</a> hier”' 'link destination unchanged, quotes around the link'
  has nl '"code block" -- ...' 'code block unchanged'
  has nl '<code>"raw"</code> en "escaped" en -- hier.' 'inline <code> and backslash escapes unchanged'
  has nl 'Het “thema” van ’t boek</h1>' 'heading'
  has nl '<del>doorgehaald</del> woord en' 'strikethrough is <del>'
  has nl '<a href="http://www.example.com">www.example.com</a>' 'www. autolink is a link'
  has nl '<a href="https://example.org/a_b--c?x=1">https://example.org/a_b--c?x=1</a>' 'URL autolink is a link, its text unchanged'
  has nl '<li class="task" style="list-style-type: none"><span class="task-box" role="img" aria-label="klaar">✔</span> klaar</li>' 'done task item: box with aria-label klaar, no bullet'
  has nl '<span class="task-box" role="img" aria-label="open">□</span> open</li>' 'open task item: box with aria-label open'
  if grep -qF 'Het “grote” boek – deel 1' "$tmp/nl/out/x/EPUB/package.opf" &&
     grep -qF 'Het “thema” van ’t boek' "$tmp/nl/out/x/EPUB/nav.xhtml"; then
    ok "nl: book.yaml title and the EPUB nav get the same punctuation"
  else nok "nl: book.yaml title and the EPUB nav get the same punctuation"; fi

  pdf=$tmp/nl/out/nl.pdf
  pdftotext "$pdf" "$tmp/nl/pdf.txt"
  if grep -q '^klaar klaar$' "$tmp/nl/pdf.txt" && grep -q '^open open$' "$tmp/nl/pdf.txt" &&
     grep -q '^• gewoon$' "$tmp/nl/pdf.txt"; then
    ok "nl PDF: task boxes extract as their state (klaar/open), no bullet; other items keep theirs"
  else nok "nl PDF: task boxes extract as their state"; grep -E 'klaar|open|gewoon' "$tmp/nl/pdf.txt" | indent 5; fi
  if grep -qF '“Over nadruk” heen, en “een link hier”.' "$tmp/nl/pdf.txt" && grep -qF '"code block" -- ...' "$tmp/nl/pdf.txt"; then
    ok "nl PDF: the same quotes, code unchanged"
  else nok "nl PDF: the same quotes, code unchanged"; fi
  qpdf --qdf --object-streams=disable "$pdf" "$tmp/nl/q.pdf" 2>/dev/null
  if grep -aq '/URI (http://www.example.com)' "$tmp/nl/q.pdf" && grep -aq '/URI (https://example.org/a_b--c?x=1)' "$tmp/nl/q.pdf"; then
    ok "nl PDF: autolinks are /URI links"
  else nok "nl PDF: autolinks are /URI links"; grep -ao '/URI ([^)]*)' "$tmp/nl/q.pdf" | indent 5; fi
  # the strike: a dark row across "doorgehaald", none across "woord"
  page=$(python3 - "$pdf" <<'EOF'
import subprocess, sys
for p in range(1, 10):
    t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), sys.argv[1], "-"], capture_output=True, text=True).stdout
    if "doorgehaald" in t:
        print(p); break
EOF
)
  pdftotext -f "$page" -l "$page" -bbox "$pdf" "$tmp/nl/bbox.html"
  pdftoppm -r 144 -gray -f "$page" -l "$page" "$pdf" "$tmp/nl/pg"
  res=$(python3 - "$tmp/nl/bbox.html" "$tmp"/nl/pg*.pgm <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
data = open(sys.argv[2], "rb").read()
parts = data.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2]); px = parts[4]
def word(name):
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + name + '<', html)
    return [float(v) * 2 for v in m.groups()]
def dark_row(b):
    x0, y0, x1, y1 = [int(v) for v in b]
    for y in range(y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4):
        row = px[y * w + x0 + 2: y * w + x1 - 2]
        if row and sum(1 for c in row if c < 128) >= 0.95 * len(row):
            return True
    return False
print("%d %d" % (dark_row(word("doorgehaald")), dark_row(word("woord"))))
EOF
)
  if [ "$res" = "1 0" ]; then ok "nl PDF: a line is drawn through the struck word, not through the next"
  else nok "nl PDF: a line through the struck word (struck, not struck: $res)"; fi
  if command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
    ec=$(java -jar /usr/bin/epubcheck "$tmp/nl/out/nl.epub" 2>&1)
    if grep -q "No errors or warnings detected" <<< "$ec"; then ok "nl: EPUBCheck 0 errors, 0 warnings"
    else nok "nl: EPUBCheck"; grep -E "ERROR|WARNING" <<< "$ec" | indent 8; fi
  fi
}

quotes='Hij zei: "dit is *heel* mooi" en '"'"'dat ook'"'"', it'"'"'s "a '"'"'b'"'"' c".'
book en en --epub <<< "$quotes" && has en '“dit is <em>heel</em> mooi” en ‘dat ook’, it’s “a ‘b’ c”.' 'English “…” ‘…’'
book de de --epub <<< "$quotes" && has de '„dit is <em>heel</em> mooi“ en ‚dat ook‘, it’s „a ‚b‘ c“.' 'German „…“ ‚…‘'
n=$'\xe2\x80\xaf' # U+202F
book fr fr --epub <<< "$quotes" && has fr "«${n}dit is <em>heel</em> mooi${n}» en “dat ook”, it’s «${n}a “b” c${n}»." 'French « … » with U+202F inside, “…” inside'
book fr2 fr --epub <<< 'Il dit " oui " et "non".' && has fr2 "Il dit «${n}oui${n}» et «${n}non${n}»." 'French quotes typed with spaces: one no-break space each'

# thema’s is never hyphenated at the apostrophe
words=""
for i in $(seq 1 40); do words="$words thema's foto's auto's organisatie's"; done
book hy nl --pdf <<< "Een alinea met$words." && {
  pdftotext "$tmp/hy/out/hy.pdf" "$tmp/hy/pdf.txt"
  # (a hyphen at a line end extracts as nothing: a hyphenated line ends in a
  # word's first part)
  cut=$(grep -c "[a-z]$" "$tmp/hy/pdf.txt")
  if grep -q "’$" "$tmp/hy/pdf.txt" || grep -q "^’" "$tmp/hy/pdf.txt" || grep -q "^s\b" "$tmp/hy/pdf.txt"; then
    nok "thema’s, foto’s: no line break at the apostrophe"; grep -n "’$\|^’\|^s\b" "$tmp/hy/pdf.txt" | indent 5
  elif ! grep -q "thema’s" "$tmp/hy/pdf.txt" || [ "$cut" -lt 1 ]; then nok "thema’s in the PDF text, some lines hyphenated ($cut)"
  else ok "thema’s, foto’s: no line break at the apostrophe ($cut lines hyphenated elsewhere)"; fi
}

# a paragraph under the 1 MB limit whose marks would take it past: left as
# typed, with a located warning (not an error about bytes nobody typed)
python3 -c "print('# T\n\n' + '\"a\" ' * 200000)" > "$tmp/big.md"
book big nl --epub < "$tmp/big.md" && {
  if grep -q "/a.md:3:1: warning: this block's quotes and dashes are left as typed" "$tmp/big/log" && grep -qF '"a" "a"' "$tmp/big/body"; then
    ok "a paragraph that typographic marks would take past 1 MB is left as typed, with a warning at a.md:3:1"
  else nok "a paragraph past 1 MB with marks: left as typed, with a warning"; indent < "$tmp/big/log"; fi
}
