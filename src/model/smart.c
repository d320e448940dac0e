/* smart — see smart.h.
 *
 * Design note. A paragraph (any block with inline content) is flattened
 * into one byte string: the literals of its text nodes, and one stand-in
 * byte for each other inline piece (a code span or image reads as a
 * letter, a line break as a space; emphasis, links and raw inline HTML
 * are transparent). Every straight quote is then classified by the
 * characters before and after it in that string, so a quote opened before
 * *emphasis* and closed after it pairs. Double quotes: after a space or
 * an opening bracket they open, otherwise they close (between two spaces
 * they alternate). Single quotes: between letters, before a year ('90s)
 * or before a known elision ('t, 's, 'n, 'em) they are apostrophes; else
 * they open or close like double quotes, and a closing one with no open
 * single quote before it, or an opening one never closed, is an
 * apostrophe. Dashes and dots are only joined inside one text node, so
 * that an escaped \-\- stays two hyphens. The text nodes get their new
 * literals; the work is linear in the paragraph's length. */
#include "model/smart.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

typedef struct marks {
    const char *dq_open, *dq_close, *sq_open, *sq_close;
    int spaced; /* the double marks hold their spaces (fr) */
} marks;

#define NNBSP "\xE2\x80\xAF" /* U+202F narrow no-break space */

static marks marks_for(const char *lang)
{
    char p[4] = {0};
    for (int i = 0; lang && i < 3 && lang[i] && lang[i] != '-' && lang[i] != '_'; i++)
        p[i] = (char)(lang[i] | 0x20);
    if (!strcmp(p, "de")) {
        const char *r = lang + 2;
        if ((*r == '-' || *r == '_') && (r[1] | 0x20) == 'c' && (r[2] | 0x20) == 'h')
            return (marks){"\xC2\xAB", "\xC2\xBB", "\xE2\x80\xB9", "\xE2\x80\xBA", 0};
        return (marks){"\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x9A", "\xE2\x80\x98", 0};
    }
    if (!strcmp(p, "fr"))
        return (marks){"\xC2\xAB" NNBSP, NNBSP "\xC2\xBB", "\xE2\x80\x9C", "\xE2\x80\x9D", 1};
    /* nl, en and the rest */
    return (marks){"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", 0};
}

enum { K_SPACE, K_OPEN, K_ALNUM, K_PUNCT };

static int kind(uint32_t c)
{
    if (c >= 0x80 && c <= 0x83)
        return K_PUNCT; /* an escaped quote, hyphen or dot (smart_protect) */
    if (c <= 0x20 || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x3000)
        return K_SPACE;
    if (c == '(' || c == '[' || c == '{' || c == '-' || c == '/' || c == 0x2013 || c == 0x2014 || c == 0x201C ||
        c == 0x2018 || c == 0x201E || c == 0x201A || c == 0xAB || c == 0x2039)
        return K_OPEN;
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
        return K_ALNUM;
    if (c < 0x80 || (c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x206F))
        return K_PUNCT;
    return K_ALNUM;
}

/* What becomes of a byte of the flat text. */
enum { A_KEEP, A_DQO, A_DQC, A_SQO, A_SQC, A_APOS, A_EN, A_EM, A_ELL, A_DROP };

typedef struct seg {
    cmark_node *n; /* NULL: the stand-in of a non-text piece */
    size_t off, len;
    size_t tail;   /* bytes of n's literal after len, kept as they are */
} seg;

typedef struct para {
    buf flat;
    seg *v;
    size_t n, cap;
} para;

static void add_piece(para *p, cmark_node *n, const char *s, size_t len, size_t tail)
{
    GROW(p->v, p->cap, p->n + 1);
    p->v[p->n++] = (seg){n, p->flat.len, len, tail};
    buf_add(&p->flat, s, len);
}

/* Where pandoc-style attributes "{#id .class}" start at the end of the
 * last text of a block (book.c's take_attributes reads them; they stay as
 * typed), or len. */
static size_t attributes_at(const char *lit, size_t len)
{
    size_t n = len;
    while (n > 0 && (lit[n - 1] == ' ' || lit[n - 1] == '\t'))
        n--;
    if (n < 3 || lit[n - 1] != '}')
        return len;
    size_t open = n - 1;
    while (open > 0 && lit[open] != '{')
        open--;
    if (lit[open] != '{' || (lit[open + 1] != '#' && lit[open + 1] != '.'))
        return len;
    return open;
}

/* The code point before / after byte i of the flat text (a space past
 * either end). */
static uint32_t cp_before(const para *p, size_t i)
{
    if (i == 0)
        return ' ';
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)p->flat.data[j] & 0xC0) == 0x80 && i - j < 4)
        j--;
    int l;
    return utf8_decode(p->flat.data + j, i - j, &l);
}

static uint32_t cp_after(const para *p, size_t i)
{
    if (i + 1 >= p->flat.len)
        return ' ';
    int l;
    return utf8_decode(p->flat.data + i + 1, p->flat.len - i - 1, &l);
}

/* A word elided at its start: 't, 's, 'n (rock 'n' roll), 'em, 'tis... */
static int elision_at(const char *s, size_t n)
{
    static const char *const words[] = {"t", "s", "k", "n", "m", "r", "ns", "em", "tis", "twas", "til", "cause", NULL};
    size_t w = 0;
    while (w < n && ((s[w] | 0x20) >= 'a' && (s[w] | 0x20) <= 'z'))
        w++;
    if (w == 0 || (w < n && kind((unsigned char)s[w]) == K_ALNUM))
        return 0;
    for (int k = 0; words[k]; k++)
        if (strlen(words[k]) == w) {
            size_t j = 0;
            while (j < w && (s[j] | 0x20) == words[k][j])
                j++;
            if (j == w)
                return 1;
        }
    return 0;
}

/* '90s, '68: an apostrophe before two digits that end the number. */
static int year_at(const char *s, size_t n)
{
    return n >= 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           (n == 2 || !(s[2] >= '0' && s[2] <= '9'));
}

/* Is flat byte i inside a text node (not a stand-in)? Segments are in
 * order; *hint walks along. */
static const seg *seg_of(const para *p, size_t i, size_t *hint)
{
    while (*hint < p->n && p->v[*hint].off + p->v[*hint].len <= i)
        (*hint)++;
    return *hint < p->n ? &p->v[*hint] : NULL;
}

static void decide(const para *p, char *act)
{
    const char *f = p->flat.data;
    size_t len = p->flat.len;
    size_t dq_open = 0, h = 0;
    /* open single quotes not yet closed (their positions, a stack) */
    size_t *sq = NULL, nsq = 0, capsq = 0;
    for (size_t i = 0; i < len; i++) {
        const seg *s = seg_of(p, i, &h);
        if (!s || !s->n)
            continue;
        size_t end = s->off + s->len;
        char c = f[i];
        if (c == '-' || c == '.') {
            size_t j = i;
            while (j < end && f[j] == c)
                j++;
            size_t run = j - i;
            if (c == '-' && (run == 2 || run == 3)) {
                act[i] = run == 2 ? A_EN : A_EM;
                for (size_t k = i + 1; k < j; k++)
                    act[k] = A_DROP;
            } else if (c == '.' && run == 3) {
                act[i] = A_ELL;
                act[i + 1] = act[i + 2] = A_DROP;
            }
            i = j - 1;
            continue;
        }
        if (c != '"' && c != '\'')
            continue;
        uint32_t b = cp_before(p, i), a = cp_after(p, i);
        int kb = kind(b), ka = kind(a);
        if ((b == '"' || b == '\'') && i > 0 && (act[i - 1] == A_DQO || act[i - 1] == A_SQO))
            kb = K_SPACE; /* right after an opening quote: "'nested' ..." */
        if (c == '"') {
            int open;
            if (kb == K_SPACE && ka == K_SPACE)
                open = dq_open == 0;
            else
                open = kb == K_SPACE || kb == K_OPEN;
            act[i] = open ? A_DQO : A_DQC;
            if (open)
                dq_open++;
            else if (dq_open)
                dq_open--;
            continue;
        }
        if (kb == K_ALNUM && ka == K_ALNUM) {
            act[i] = A_APOS;
        } else if (kb != K_ALNUM && (year_at(f + i + 1, end - i - 1) || elision_at(f + i + 1, end - i - 1))) {
            act[i] = A_APOS;
        } else if ((kb == K_SPACE || kb == K_OPEN) && !(ka == K_SPACE && nsq)) {
            act[i] = A_SQO;
            GROW(sq, capsq, nsq + 1);
            sq[nsq++] = i;
        } else if (nsq) {
            act[i] = A_SQC;
            nsq--;
        } else {
            act[i] = A_APOS;
        }
    }
    for (size_t k = 0; k < nsq; k++)
        act[sq[k]] = A_APOS; /* never closed: 'k, 'ns and other elisions */
    free(sq);
}

/* Writes each text node's new literal. */
static void apply(para *p, const char *act, const marks *m)
{
    for (size_t k = 0; k < p->n; k++) {
        const seg *s = &p->v[k];
        if (!s->n)
            continue;
        int changed = 0;
        for (size_t i = s->off; i < s->off + s->len; i++)
            changed |= act[i] != A_KEEP;
        if (!changed)
            continue;
        buf o = {0};
        for (size_t i = s->off; i < s->off + s->len; i++) {
            switch (act[i]) {
            case A_DQO:
                buf_puts(&o, m->dq_open);
                if (m->spaced && i + 1 < s->off + s->len && p->flat.data[i + 1] == ' ')
                    i++; /* " texte " typed with spaces: the no-break space replaces them */
                break;
            case A_DQC:
                if (m->spaced && o.len && o.data[o.len - 1] == ' ')
                    o.len--;
                buf_puts(&o, m->dq_close);
                break;
            case A_SQO: buf_puts(&o, m->sq_open); break;
            case A_SQC: buf_puts(&o, m->sq_close); break;
            case A_APOS: buf_puts(&o, "\xE2\x80\x99"); break;
            case A_EN: buf_puts(&o, "\xE2\x80\x93"); break;
            case A_EM: buf_puts(&o, "\xE2\x80\x94"); break;
            case A_ELL: buf_puts(&o, "\xE2\x80\xA6"); break;
            case A_DROP: break;
            default: buf_putc(&o, p->flat.data[i]); break;
            }
        }
        buf_add(&o, cmark_node_get_literal(s->n) + s->len, s->tail);
        buf_putc(&o, 0);
        cmark_node_set_literal(s->n, o.data);
        buf_free(&o);
    }
}

/* The flat text's length once rewritten. */
static size_t new_length(const para *p, const char *act, const marks *m)
{
    size_t n = 0;
    for (size_t i = 0; i < p->flat.len; i++) {
        switch (act[i]) {
        case A_KEEP: n += 1; break;
        case A_DQO: n += strlen(m->dq_open); break;
        case A_DQC: n += strlen(m->dq_close); break;
        case A_SQO: n += strlen(m->sq_open); break;
        case A_SQC: n += strlen(m->sq_close); break;
        case A_DROP: break;
        default: n += 3; break;
        }
    }
    return n;
}

typedef struct smart_run {
    marks m;
    size_t max_len;
    cmark_node *block;   /* the block being collected */
    cmark_node *skipped; /* the first block left as typed */
} smart_run;

static void flush(para *p, smart_run *r)
{
    if (p->flat.len) {
        char *act = xcalloc(p->flat.len, 1);
        decide(p, act);
        if (new_length(p, act, &r->m) <= r->max_len)
            apply(p, act, &r->m);
        else if (!r->skipped)
            r->skipped = r->block;
        free(act);
    }
    p->flat.len = 0;
    p->n = 0;
}

/* The name of an inline HTML tag (lowercase, at most 7 letters) and
 * whether it closes. */
static int html_tag(const char *s, char name[8], int *closing)
{
    if (!s || *s != '<')
        return 0;
    s++;
    *closing = *s == '/';
    s += *closing;
    int i = 0;
    while (i < 7 && (((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') || (*s >= '0' && *s <= '9')))
        name[i++] = (char)(*s++ | 0x20);
    name[i] = 0;
    return i > 0;
}

static int verbatim_tag(const char *name)
{
    static const char *const v[] = {"code", "kbd", "samp", "pre", "script", "style", "tt", NULL};
    for (int k = 0; v[k]; k++)
        if (!strcmp(name, v[k]))
            return 1;
    return 0;
}

/* Is this link an autolink (its text is its URL, or the URL without the
 * scheme cmark-gfm adds: http:// for www., mailto:)? */
static int autolink(cmark_node *link)
{
    cmark_node *t = cmark_node_first_child(link);
    if (!t || cmark_node_next(t) || cmark_node_get_type(t) != CMARK_NODE_TEXT)
        return 0;
    const char *u = cmark_node_get_url(link), *s = cmark_node_get_literal(t);
    if (!u || !s || !*s)
        return 0;
    size_t lu = strlen(u), ls = strlen(s);
    return ls <= lu && !strcmp(u + lu - ls, s);
}

cmark_node *smart_tree(cmark_node *doc, const char *lang, size_t max_len)
{
    smart_run r = {marks_for(lang), max_len, NULL, NULL};
    para p = {0};
    int verbatim = 0; /* inside inline <code> and the like */
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
            flush(&p, &r); /* a paragraph, heading or cell starts or ends */
            r.block = n;
            verbatim = 0;
            continue;
        }
        if (ev != CMARK_EVENT_ENTER)
            continue;
        const char *lit;
        char name[8];
        int closing;
        switch (t) {
        case CMARK_NODE_TEXT:
            lit = cmark_node_get_literal(n);
            if (lit && verbatim) {
                add_piece(&p, NULL, "a", 1, 0);
            } else if (lit) {
                size_t len = strlen(lit), keep = len;
                if (!cmark_node_next(n) && cmark_node_parent(n) &&
                    (cmark_node_get_type(cmark_node_parent(n)) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
                    keep = attributes_at(lit, len);
                add_piece(&p, n, lit, keep, len - keep);
            }
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            add_piece(&p, NULL, " ", 1, 0);
            break;
        case CMARK_NODE_HTML_INLINE:
            if (html_tag(cmark_node_get_literal(n), name, &closing) && verbatim_tag(name))
                verbatim = !closing;
            break;
        case CMARK_NODE_LINK:
            if (autolink(n)) {
                add_piece(&p, NULL, "a", 1, 0);
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            }
            break;
        case CMARK_NODE_IMAGE:
        case CMARK_NODE_CODE:
            add_piece(&p, NULL, "a", 1, 0);
            if (t == CMARK_NODE_IMAGE)
                cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_EMPH:
        case CMARK_NODE_STRONG:
            break;
        default:
            /* footnote references and other extension inlines: a letter */
            if (!cmark_node_first_child(n))
                add_piece(&p, NULL, "a", 1, 0);
            break;
        }
    }
    cmark_iter_free(it);
    flush(&p, &r);
    buf_free(&p.flat);
    free(p.v);
    return r.skipped;
}

static const char escaped[] = "\"'-.";

char *smart_protect(const char *s, size_t len)
{
    int any = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '&' && s[i + 1] == '#')
            return NULL;
        if (s[i] == '\\' && s[i + 1] && strchr(escaped, s[i + 1]))
            any = 1;
    }
    if (!any)
        return NULL;
    char *t = xmalloc(len + 1);
    memcpy(t, s, len);
    t[len] = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (t[i] != '\\')
            continue;
        const char *e = t[i + 1] ? strchr(escaped, t[i + 1]) : NULL;
        if (e) {
            t[i] = (char)0xC2;
            t[i + 1] = (char)(0x80 + (e - escaped));
        }
        i++; /* "\\" escapes the backslash */
    }
    return t;
}

/* s with its stand-ins put back (as "\\c" if keep_backslash); NULL when
 * s has none. */
static char *restore(const char *s, int keep_backslash)
{
    if (!s || !strstr(s, "\xC2"))
        return NULL;
    buf o = {0};
    int any = 0;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x83) {
            if (keep_backslash)
                buf_putc(&o, '\\');
            buf_putc(&o, escaped[(unsigned char)p[1] - 0x80]);
            p++;
            any = 1;
        } else {
            buf_putc(&o, *p);
        }
    }
    buf_putc(&o, 0);
    if (!any) {
        buf_free(&o);
        return NULL;
    }
    return buf_detach(&o, NULL);
}

void smart_restore(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        char *r;
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ||
            t == CMARK_NODE_HTML_INLINE) {
            if ((r = restore(cmark_node_get_literal(n), t != CMARK_NODE_TEXT)))
                cmark_node_set_literal(n, r);
            free(r);
        }
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
            if ((r = restore(cmark_node_get_url(n), 0)))
                cmark_node_set_url(n, r);
            free(r);
            if ((r = restore(cmark_node_get_title(n), 0)))
                cmark_node_set_title(n, r);
            free(r);
        }
        if (t == CMARK_NODE_CODE_BLOCK) {
            if ((r = restore(cmark_node_get_fence_info(n), 0)))
                cmark_node_set_fence_info(n, r);
            free(r);
        }
    }
    cmark_iter_free(it);
}

char *smart_string(const char *s, const char *lang)
{
    cmark_node *par = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, s ? s : "");
    cmark_node_append_child(par, t);
    smart_tree(par, lang, (size_t)-1);
    char *r = xstrdup(cmark_node_get_literal(t));
    cmark_node_free(par);
    return r;
}
