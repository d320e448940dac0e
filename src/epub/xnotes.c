/* xnotes — see xnotes.h. */
#include "epub/xnotes.h"

#include <stdio.h>
#include <string.h>

#include "base/l10n.h"
#include "epub/xhtml.h"

void xnote_mark(xmlNodePtr parent, xmlNsPtr ns, xmlNsPtr epub, const anno *a, int inside_a)
{
    char num[16], href[80];
    snprintf(num, sizeof num, "%d", a->note->number);
    if (inside_a) {
        xmlNodePtr s = xmlNewChild(parent, ns, BAD_CAST "span", BAD_CAST num);
        xmlSetProp(s, BAD_CAST "class", BAD_CAST "noteref");
        return;
    }
    xmlNodePtr el = xmlNewChild(parent, ns, BAD_CAST "a", BAD_CAST num);
    xmlSetNsProp(el, epub, BAD_CAST "type", BAD_CAST "noteref");
    xmlSetProp(el, BAD_CAST "role", BAD_CAST "doc-noteref");
    snprintf(href, sizeof href, "#%s", a->note->id);
    xmlSetProp(el, BAD_CAST "href", BAD_CAST href);
    xmlSetProp(el, BAD_CAST "id", BAD_CAST a->id);
    xmlSetProp(el, BAD_CAST "class", BAD_CAST "noteref");
}

xmlNodePtr xnote_open(xmlNodePtr sec, xmlNsPtr ns, xmlNsPtr epub, const note *nt)
{
    xmlNodePtr as = xmlNewChild(sec, ns, BAD_CAST "aside", NULL);
    xmlSetNsProp(as, epub, BAD_CAST "type", BAD_CAST "footnote");
    xmlSetProp(as, BAD_CAST "role", BAD_CAST "doc-footnote");
    xmlSetProp(as, BAD_CAST "id", BAD_CAST nt->id);
    xmlSetProp(as, BAD_CAST "class", BAD_CAST(nt->number == 1 ? "footnote first" : "footnote"));
    return as;
}

static xmlNodePtr backlink(xmlNodePtr before, xmlNsPtr ns, const anno *m, const char *text, const char *label)
{
    char href[80];
    snprintf(href, sizeof href, "#%s", m->id);
    xmlNodePtr a = xmlNewNode(ns, BAD_CAST "a");
    xmlNodeAddContent(a, BAD_CAST text);
    xmlSetProp(a, BAD_CAST "role", BAD_CAST "doc-backlink");
    xmlSetProp(a, BAD_CAST "href", BAD_CAST href);
    if (label)
        xmlSetProp(a, BAD_CAST "aria-label", BAD_CAST label);
    xmlAddPrevSibling(before, a);
    return a;
}

void xnote_close(xmlNodePtr aside, xmlNsPtr ns, const note *nt, const char *lang)
{
    xmlNodePtr p = aside->children;
    while (p && p->type != XML_ELEMENT_NODE)
        p = p->next;
    if (!p || strcmp((const char *)p->name, "p") != 0) {
        xmlNodePtr np = xmlNewNode(ns, BAD_CAST "p");
        if (p)
            xmlAddPrevSibling(p, np);
        else
            xmlAddChild(aside, np);
        p = np;
    }
    /* an element to insert before: text inserted next to text would merge */
    xmlNodePtr at = xmlNewNode(ns, BAD_CAST "span");
    if (p->children)
        xmlAddPrevSibling(p->children, at);
    else
        xmlAddChild(p, at);
    char num[16], label[128];
    snprintf(num, sizeof num, "%d", nt->number);
    xmlNodePtr a = backlink(at, ns, nt->marks[0], num, NULL);
    xmlSetProp(a, BAD_CAST "class", BAD_CAST "note-number");
    for (int k = 1; k < nt->nmarks; k++) {
        char text[32];
        snprintf(text, sizeof text, "\xE2\x86\xA9%d", k + 1); /* ↩2 */
        snprintf(label, sizeof label, "%s (%d)", l10n(lang, L_NOTE_BACK), k + 1);
        xmlAddPrevSibling(at, xmlNewText(BAD_CAST " "));
        xmlNodePtr b = backlink(at, ns, nt->marks[k], text, label);
        xmlSetProp(b, BAD_CAST "class", BAD_CAST "note-back");
    }
    xmlAddPrevSibling(at, xmlNewText(BAD_CAST " "));
    xmlUnlinkNode(at);
    xmlFreeNode(at);
}

const char *xnote_css(void)
{
    return "a.noteref, span.noteref { vertical-align: super; font-size: 0.7em; line-height: 0; "
           "text-decoration: none; }\n"
           "aside.footnote { font-size: 0.85em; margin: 0.3em 0; }\n"
           "aside.footnote.first { border-top: 1px solid currentColor; padding-top: 0.5em; margin-top: 2em; }\n"
           "aside.footnote p { text-indent: 0; margin: 0.2em 0; }\n"
           "a.note-number { text-decoration: none; font-weight: bold; }\n"
           "a.note-back { text-decoration: none; }\n";
}
