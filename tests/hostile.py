#!/usr/bin/env python3
"""hostile.py GOODIEBAG [FILTER] — builds about 80 hostile and unusual books and checks
the promises every build keeps, whatever the input:
  - it ends (30 s), with exit status 0 or 1 (never a signal, never a sanitizer's 86/87);
  - every diagnostic is one line 'FILE[:LINE[:COL]]: error|warning: ...';
  - an error (exit 1) writes no output and leaves the previous outputs as they were;
  - no byte of a file outside the book folder reaches an output;
  - a served book (exit 0) gives an EPUB whose XHTML/SVG/OPF files are well-formed XML
    and a PDF that qpdf --check accepts.
Prints 'ok - ...' / 'not ok - ...' per book. With HOSTILE_QUICK=1 (the sanitizer build,
which runs several times slower) the books marked heavy are left out, named in '#' lines.
The examples of issue 17 have their own tests (t_safe_*.sh); this is the broad net around
them, one promise checked the same way for every book."""
import os, re, signal, subprocess, sys, tempfile, shutil, zipfile, struct, zlib, time
import xml.dom.minidom

GB = os.path.abspath(sys.argv[1])
FILTER = sys.argv[2] if len(sys.argv) > 2 else ""
ROOT = tempfile.mkdtemp(prefix="gb-hostile.")
SECRET = "OUTSIDE-SECRET-7f3a9c"
outside = os.path.join(ROOT, "outside.txt")
open(outside, "w").write(SECRET + "\n")

YAML = """name: h
title: {title}
author: Tester
publisher: Uitgever
lang: nl
date: 2024-05-01
"""

def png(w, h, rgb=(200, 30, 30)):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

cases = []
QUICK = os.environ.get("HOSTILE_QUICK") == "1"
def case(name, heavy=False):
    def deco(f):
        cases.append((name, f, heavy))
        return f
    return deco

def book(d, chapters, title="Boek", yaml_extra=""):
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "book.yaml"), "w").write(YAML.format(title=title) + yaml_extra)
    for n, t in chapters.items():
        p = os.path.join(d, n)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(t.encode() if isinstance(t, str) else t)

# ---- text that the typesetter meets -------------------------------------------------
@case("flag emoji in a chapter")
def _(d): book(d, {"a.md": "# Vlaggen \U0001F1F3\U0001F1F1\U0001F1EA\U0001F1FA\n\nTekst \U0001F1F3\U0001F1F1 en \U0001F1FA\U0001F1F8\U0001F1EC\n"})
@case("flag emoji in the title")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, title='"Boek \U0001F1F3\U0001F1F1"')
@case("lone regional indicators and emoji sequences")
def _(d): book(d, {"a.md": "# A\n\n\U0001F1F3 \U0001F1F3\U0001F1F3\U0001F1F3 \U0001F468\u200d\U0001F469\u200d\U0001F467 \U0001F44D\U0001F3FD a\u0301\u0302\u0303 \U000E0041 \uE000\n"})
@case("a Chinese title (no font has it)")
def _(d): book(d, {"a.md": "# A\n\n中文 tekst\n"}, title='"Boek 中文书"')
@case("a Hebrew and an Arabic paragraph")
def _(d): book(d, {"a.md": "# A\n\nשלום עולם, זהו טקסט בעברית.\n\nمرحبا بالعالم\n"})
@case("a very long title", heavy=True)
def _(d): book(d, {"a.md": "# A\n\nb\n"}, title='"' + "Lange titel " * 20000 + '"')
@case("a very long heading", heavy=True)
def _(d): book(d, {"a.md": "# " + "kop " * 50000 + "\n\nb\n"})
@case("a very long word", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "x" * 400000 + "\n"})
@case("a 20 MB paragraph", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "woord " * 3500000 + "\n"})
@case("20000 headings with the same text", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "## Zelfde\n\nx\n\n" * 20000})
@case("U+FFFE in a chapter")
def _(d): book(d, {"a.md": "# A\n\nb \ufffe c\n"})
@case("U+FFFE in book.yaml")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, title='"Boek \ufffe"')
@case("invalid UTF-8 in a chapter")
def _(d): book(d, {"a.md": b"# A\n\nb \xff\xfe c \xc0\xaf\n"})
@case("NUL and control characters in a chapter")
def _(d): book(d, {"a.md": "# A\x01\n\nb \x00 c \x1b[31m \x7f \x85\n"})
@case("control characters in book.yaml")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, title='"Boek \\x01\\x02\\x1b"')
@case("CR-only line ends, a broken link on line 5")
def _(d): book(d, {"a.md": b"# A\r\rtekst\r\r[x](nergens.md)\r"})
@case("decomposed heading and a link to its composed id")
def _(d): book(d, {"a.md": "# Ide\u0308ee\n\nzie [hier](#ideeen)\n\n## Cafe\u0301\n\n[c](#cafe)\n"})

# ---- book.yaml -------------------------------------------------------------------
@case("deeply nested YAML in book.yaml", heavy=True)
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="description: " + "[" * 200000 + "\n")
@case("deeply nested block YAML in book.yaml")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="description:\n" + "".join("  " * i + "- \n" for i in range(3000)))
@case("YAML alias bomb in book.yaml")
def _(d):
    y = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 12):
        y += "a%d: &a%d [%s]\n" % (i, i, ",".join(["*a%d" % (i - 1)] * 10))
    book(d, {"a.md": "# A\n\nb\n"}, yaml_extra=y)
@case("a chapters list of 100000 entries", heavy=True)
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="chapters:\n" + "".join("  - c%d.md\n" % i for i in range(100000)))
@case("10001 chapter files", heavy=True)
def _(d): book(d, {"c%05d.md" % i: "# C%d\n\nx\n" % i for i in range(10001)})
@case("3000 chapters with similar names", heavy=True)
def _(d): book(d, dict([("x x%d.md" % i, "# A\n\nb\n") for i in range(1500)] + [("x-x%d.md" % i, "# B\n\nb\n") for i in range(1500)]))
@case("a chapter whose name holds a newline")
def _(d): book(d, {"a\nb.md": "# A\n\n[x](nergens.md)\n"})
@case("a chapter named b:1:2.md")
def _(d): book(d, {"b:1:2.md": "# A\n\nb\n"})

# ---- files: outside the book, FIFOs --------------------------------------------------
def fifo(p):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    if os.path.exists(p): os.unlink(p)
    os.mkfifo(p)
@case("a FIFO as a chapter")
def _(d): book(d, {"a.md": "# A\n\nb\n"}); fifo(os.path.join(d, "b.md"))
@case("a FIFO as an image")
def _(d): book(d, {"a.md": "# A\n\n![alt](p.png)\n"}); fifo(os.path.join(d, "p.png"))
@case("a FIFO as book.yaml")
def _(d): book(d, {"a.md": "# A\n\nb\n"}); fifo(os.path.join(d, "book.yaml"))
def own_style(d):
    src = os.path.join(os.path.dirname(GB), "styles")
    if not os.path.isdir(src):
        src = os.path.join(REPO, "styles")
    shutil.copytree(src, os.path.join(d, "styles"))
@case("a FIFO as style.yaml")
def _(d): book(d, {"a.md": "# A\n\nb\n"}); own_style(d); fifo(os.path.join(d, "styles/style.yaml"))
@case("a FIFO as epub.css")
def _(d): book(d, {"a.md": "# A\n\nb\n"}); own_style(d); fifo(os.path.join(d, "styles/epub.css"))
@case("epub.css a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"}); own_style(d)
    os.unlink(os.path.join(d, "styles/epub.css")); os.symlink(outside, os.path.join(d, "styles/epub.css"))
@case("style.yaml a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"}); own_style(d)
    p = os.path.join(d, "styles/style.yaml")
    t = open(p).read() + "\n# " + SECRET + "\n"
    o = os.path.join(ROOT, "outside-style.yaml"); open(o, "w").write(t)
    os.unlink(p); os.symlink(o, p)
@case("a chapter a symbolic link out of the book")
def _(d): book(d, {"a.md": "# A\n\nb\n"}); os.symlink(outside, os.path.join(d, "b.md"))
@case("an image a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\n![alt](p.png)\n"})
    o = os.path.join(ROOT, "outside.png"); open(o, "wb").write(png(4, 4) + SECRET.encode())
    os.symlink(o, os.path.join(d, "p.png"))
@case("the styles folder a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"})
    o = os.path.join(ROOT, "outside-styles"); 
    if not os.path.exists(o):
        src = os.path.join(REPO, "styles"); shutil.copytree(src, o)
        open(os.path.join(o, "epub.css"), "a").write("/* " + SECRET + " */\n")
    os.symlink(o, os.path.join(d, "styles"))
@case("a link to ../outside.txt and an absolute image")
def _(d): book(d, {"a.md": "# A\n\n[x](../outside.txt) ![a](/etc/hostname)\n"})

# ---- raw HTML and SVG -------------------------------------------------------------------
@case("an href that smuggles onclick")
def _(d): book(d, {"a.md": "# A\n\n<a href='x\" onclick=\"alert(1)'>k</a> <a href=\"http://a b/ onclick=x\">l</a> <img src='p.png\" onerror=\"x' alt='a'>\n"})
SVG_BAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">'
           '<script>alert(2)</script><image xlink:href="file:///etc/passwd" width="10" height="10"/>'
           '<image href="../outside.txt" width="10" height="10"/><image href="https://example.org/x.png" width="10" height="10"/>'
           '<style>@import url(https://example.org/x.css); rect{fill:url(../outside.txt#g)}</style>'
           '<foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml"><script>x</script></body></foreignObject>'
           '<a href="javascript:alert(3)"><rect width="50" height="50" fill="red" onclick="alert(4)"/></a></svg>')
@case("an SVG with scripts, handlers and outside references")
def _(d): book(d, {"a.md": "# A\n\n![tekening](t.svg)\n", "t.svg": SVG_BAD})
@case("an SVG with a link")
def _(d): book(d, {"a.md": "# A\n\n![tekening](t.svg)\n", "t.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><a href="https://example.org/"><rect width="50" height="50" fill="blue"/></a></svg>'})
@case("an SVG whose root is not svg")
def _(d): book(d, {"a.md": "# A\n\n![tekening](t.svg)\n", "t.svg": '<html><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"/></html>'})
@case("an SVG with a million elements", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n![tekening](t.svg)\n", "t.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">' + '<rect width="1" height="1"/>' * 1000000 + "</svg>"})
@case("a big image used many times", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "![groot](g.png)\n\n" * 20, "g.png": png(8000, 8000)})
@case("raw HTML with script and event handlers")
def _(d): book(d, {"a.md": "# A\n\n<div onclick=\"x()\"><script>alert(1)</script><p style=\"background:url(https://x/y)\">t</p><iframe src=\"https://e\"></iframe></div>\n"})

# ---- the style -------------------------------------------------------------------
def style_with(d, edits):
    own_style(d)
    p = os.path.join(d, "styles/style.yaml")
    t = open(p).read()
    for k, v in edits.items():
        t = re.sub(r"(?m)^(\s*%s:).*$" % re.escape(k), r"\g<1> " + v, t)
    open(p, "w").write(t)
LISTS = "# A\n\n- een\n  - twee\n    - drie\n\n> citaat\n> > dieper\n\n1. x\n2. y\n"
for k, v in [("list-indent", "0"), ("list-indent", "-5em"), ("list-indent", "40em"), ("quote-indent", "200mm"),
             ("margin-inner", "200mm"), ("margin-top", "280mm"), ("h1-size", "500pt"), ("size", "300pt"),
             ("leading", "0"), ("paragraph-indent", "90em")]:
    def mk(k=k, v=v):
        return lambda d: (book(d, {"a.md": LISTS}), style_with(d, {k: v}))
    case("style %s: %s" % (k, v))(mk())
@case("lists nested 60 deep")
def _(d): book(d, {"a.md": "# A\n\n" + "".join("  " * i + "- niveau %d\n" % i for i in range(60))})
@case("a truncated font")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"}); own_style(d)
    os.makedirs(os.path.join(d, "fonts"))
    for f in os.listdir(os.path.join(REPO, "fonts")):
        shutil.copy(os.path.join(REPO, "fonts", f), os.path.join(d, "fonts", f))
    p = os.path.join(d, "fonts/LinLibertine_R.otf"); b = open(p, "rb").read()[:12]; open(p, "wb").write(b)


# ---- more of the same kinds ------------------------------------------------------------
@case("scripts without spaces and combining marks", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "ภาษาไทยไม่มีช่องว่าง" * 200 + "\n\n" + "हिन्दी भाषा " * 100 + "\n\n" + "a\u0301\u0302\u0303\u0304\u0305" * 500 + "\n\n" + "中文没有空格" * 2000 + "\n"})
@case("RTL and controls in the author list, newline in the title")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, title='"Boek\\nmet\\tregel\\u202e"').__class__ and open(os.path.join(d, "book.yaml"), "a").write("")
@case("an XXE entity in an SVG")
def _(d): book(d, {"a.md": "# A\n\n![t](t.svg)\n", "t.svg": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://%s">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="5">&x;</text></svg>' % outside})
@case("an entity bomb in an SVG")
def _(d):
    ents = '<!ENTITY a0 "xxxxxxxxxx">' + "".join('<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
    book(d, {"a.md": "# A\n\n![t](t.svg)\n", "t.svg": '<?xml version="1.0"?><!DOCTYPE svg [%s]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a9;</text></svg>' % ents})
@case("raw HTML pointing outside the book")
def _(d): book(d, {"a.md": "# A\n\n<img src=\"../outside.txt\" alt=\"x\"> <a href=\"file:///etc/passwd\">p</a> <object data=\"../outside.txt\"></object> <base href=\"http://x/\"> <meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\n\n<svg><script>alert(1)</script><image href=\"../outside.txt\"/></svg>\n\n<math><mi href=\"javascript:x\">x</mi></math>\n"})
@case("percent-encoded paths out of the book")
def _(d): book(d, {"a.md": "# A\n\n[x](%2e%2e/outside.txt) ![a](images/%2E%2E/%2E%2E/outside.png) [y](a.md%00.png)\n"})
@case("a chapter that is a folder")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="chapters: [a.md, x.md]\n"); os.makedirs(os.path.join(d, "x.md"))
@case("a listed chapter out of the book")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="chapters: [a.md, ../outside.txt]\n")
@case("the cover a FIFO")
def _(d): book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="cover: c.png\n"); fifo(os.path.join(d, "c.png"))
@case("the cover a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"}, yaml_extra="cover: c.png\n")
    o = os.path.join(ROOT, "outside-c.png"); open(o, "wb").write(png(4, 4) + SECRET.encode())
    os.symlink(o, os.path.join(d, "c.png"))
@case("the fonts folder a symbolic link out of the book")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"})
    o = os.path.join(ROOT, "outside-fonts")
    if not os.path.exists(o): shutil.copytree(os.path.join(REPO, "fonts"), o)
    os.symlink(o, os.path.join(d, "fonts"))
@case("a PNG header claiming 30000x30000")
def _(d): book(d, {"a.md": "# A\n\n![p](p.png)\n", "p.png": png(1, 1)[:16] + struct.pack(">II", 30000, 30000) + png(1, 1)[24:]})
@case("truncated and empty images")
def _(d): book(d, {"a.md": "# A\n\n![p](p.png) ![q](q.png) ![j](j.jpg)\n", "p.png": png(50, 50)[:60], "q.png": b"", "j.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"})
@case("a PNG with a wide header and little data")
def _(d): book(d, {"a.md": "# A\n\n![p](p.png)\n", "p.png": png(29000, 3)})
@case("Markdown bombs", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "[" * 50000 + "\n\n" + "*a " * 30000 + "\n\n" + "`" * 20000 + "\n\n" + "> " * 5000 + "x\n\n" + "<" * 30000 + "\n\n" + "\\" * 40000 + "\n"})
@case("30000 list items", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "- x\n" * 30000})
@case("50000 link reference definitions", heavy=True)
def _(d): book(d, {"a.md": "# A\n\n" + "".join("[r%d]: https://e/%d\n" % (i, i) for i in range(50000)) + "\n[x][r1]\n"})
@case("book.yaml with BOM, CRLF, duplicate keys and merge keys")
def _(d):
    book(d, {"a.md": "# A\n\nb\n"})
    open(os.path.join(d, "book.yaml"), "wb").write(("\ufeff" + YAML.format(title="Boek") + "title: Twee\nx: &m {a: 1}\n<<: *m\n").replace("\n", "\r\n").encode())
@case("a name with a path in it")
def _(d): book(d, {"a.md": "# A\n\nb\n"}) or open(os.path.join(d, "book.yaml"), "w").write(YAML.format(title="B").replace("name: h", "name: ../../tmp/evil"))
for k, v in [("size", "1e308pt"), ("size", "nan"), ("leading", "inf"), ("text", '"#zzz"'), ("body", "../../outside.txt"), ("body", "/etc/passwd")]:
    def mk2(k=k, v=v):
        return lambda d: (book(d, {"a.md": LISTS}), style_with(d, {k: v}))
    case("style %s: %s (2)" % (k, v))(mk2())
@case("a heading of only markup, an empty chapter, a chapter of only front matter")
def _(d): book(d, {"a.md": "# **\n\n", "b.md": "", "c.md": "---\ntitle: x\n---\n"})
@case("10000 images with similar names", heavy=True)
def _(d):
    ch = {"a.md": "# A\n\n" + "".join("![i](i/%d x.png) ![i](i/%d-x.png)\n" % (i, i) for i in range(2500))}
    p = png(2, 2)
    for i in range(2500):
        ch["i/%d x.png" % i] = p; ch["i/%d-x.png" % i] = p
    book(d, ch)

REPO = os.environ.get("GB_REPO", os.getcwd())

DIAG = re.compile(r'^("[^"\n]*"|[^:\n]+)(:\d+(:\d+)?)?: (error|warning|note): .+$')
def check(name, d):
    out = os.path.join(ROOT, "out-" + str(abs(hash(name))))
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    # in a process group of its own, so that a hang is killed with /usr/bin/time
    p = subprocess.Popen(["/usr/bin/time", "-f", "MAXRSS %M", GB, "build", d, "-o", out], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True,
                         env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
    try:
        stdout, stderr = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return ["hang (no exit after 30 s)"]
    dt = time.time() - t0
    probs = []
    err = stderr.decode("utf-8", "replace").splitlines()
    rss = 0
    if err and err[-1].startswith("MAXRSS"):
        rss = int(err[-1].split()[1]) // 1024; err = err[:-1]
    rc = p.returncode
    if rc not in (0, 1):
        probs.append("exit status %d" % rc)
    if rss > (4096 if QUICK else 2048):  # the sanitizers' shadow memory counts too
        probs.append("memory %d MB" % rss)
    err = [l for l in err if not l.startswith("Command exited with non-zero status") and not l.startswith("Command terminated by signal")]
    bad = [l for l in err if (not DIAG.match(l) or l.startswith("goodiebag: "))
           and not re.match(r"^(goodiebag: )?\d+ (more |errors?|warnings?)", l)]
    if bad:
        probs.append("unlocated or malformed diagnostic: " + repr(bad[0][:160]))
    if rc == 1 and not any(": error: " in l for l in err):
        probs.append("exit 1 without an error line")
    files = os.listdir(out)
    if rc != 0 and files:
        probs.append("error but outputs written: %s" % files)
    for f in files:
        data = open(os.path.join(out, f), "rb").read()
        if f.startswith("."):
            probs.append("temporary file left: " + f)
        if f.endswith(".epub"):
            with zipfile.ZipFile(os.path.join(out, f)) as z:
                for zi in z.infolist():
                    b = z.read(zi)
                    if SECRET.encode() in b:
                        probs.append("outside bytes in " + zi.filename)
                    if re.search(r"\.(xhtml|svg)$", zi.filename):
                        t = b.decode("utf-8", "replace")
                        pats = [r"<script", r"\son[a-z]+\s*=", r"(href|src)\s*=\s*[\"'](file:|javascript:)", r"@import", r"<foreignObject"]
                        if zi.filename.endswith(".svg"):
                            pats.append(r"<(image|use|feImage|pattern|filter|mask|clipPath|tref)\b[^>]*\s(xlink:)?href\s*=\s*[\"'](?!#|data:image/(png|jpeg);)")
                            pats.append(r"url\(\s*[\"']?(?!#)")
                        for pat in pats:
                            if re.search(pat, t, re.I):
                                probs.append("unsafe content %r in %s" % (pat, zi.filename))
                    if re.search(r"\.(xhtml|opf|ncx|svg|xml)$", zi.filename):
                        try:
                            xml.dom.minidom.parseString(b)
                        except Exception as e:
                            probs.append("malformed XML %s: %s" % (zi.filename, e))
        if f.endswith(".pdf"):
            if SECRET.encode() in data:
                probs.append("outside bytes in the PDF")
            q = subprocess.run(["qpdf", "--check", os.path.join(out, f)], capture_output=True)
            if q.returncode not in (0, 3):
                probs.append("qpdf --check: " + q.stdout.decode()[-200:])
    shutil.rmtree(out, ignore_errors=True)
    return probs, rc, dt, rss, err

npass = nfail = 0
for name, f, heavy in cases:
    if FILTER and FILTER not in name:
        continue
    if heavy and QUICK:
        print("# left out in the quick run: %s" % name)
        continue
    d = os.path.join(ROOT, "b-" + re.sub(r"\W+", "-", name))
    f(d)
    r = check(name, d)
    if isinstance(r, list):
        probs, rc, dt, rss, err = r, None, 30, 0, []
    else:
        probs, rc, dt, rss, err = r
    first = err[0][:150] if err else ""
    if probs:
        nfail += 1
        print("not ok - %s: %s  [rc=%s %.1fs %dMB] %s" % (name, "; ".join(probs), rc, dt, rss, first))
    else:
        npass += 1
        print("ok - %s [rc=%s %.1fs %dMB] %s" % (name, rc, dt, rss, first))
    sys.stdout.flush()
    shutil.rmtree(d, ignore_errors=True)
shutil.rmtree(ROOT, ignore_errors=True)
print("# %d passed, %d failed" % (npass, nfail))
