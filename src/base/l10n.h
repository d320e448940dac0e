/* l10n — the few words goodiebag itself writes into a book (navigation
 * labels, landmarks, the accessibility summary, the print edition's name,
 * dates), in the book's language (Dutch and English; other languages fall
 * back to English). Every text the reader sees that is not the author's
 * comes from here. */
#ifndef GB_L10N_H
#define GB_L10N_H

typedef enum {
    L_TOC,        /* heading of the table of contents */
    L_LANDMARKS,  /* heading of the landmarks list */
    L_COVER,      /* landmark: cover */
    L_TOC_LM,     /* landmark: table of contents */
    L_BODY,       /* landmark: start of the text */
    L_PAGES,      /* heading of the page list */
    L_TITLEPAGE,  /* title of the title page */
    L_PAGE,       /* "page" (for labels such as "page 7") */
    L_A11Y_BASE,  /* accessibility summary: navigation and reading order */
    L_A11Y_PAGES, /* ... with print page numbers */
    L_A11Y_ALT_ALL, L_A11Y_ALT_SOME, /* ... images with / without text alternatives */
    L_A11Y_HAZARD, /* ... no hazards */
    L_PDF_EDITION, /* the print edition, in the EPUB's dc:source: "PDF edition" */
    L_NOTE,        /* a footnote, before its number: "Note" ("Note 3") */
    L_NOTE_BACK,   /* a footnote's link back to its mark */
    L_TASK_DONE,  /* a task list item's box, for screen readers: done */
    L_TASK_OPEN,  /* ... not done */
    L_COUNT
} l10n_key;

/* Returns the text for key in language lang (BCP 47); never NULL. */
const char *l10n(const char *lang, l10n_key key);

/* Returns the name of month 1..12 in language lang, as written in a date
 * ("januari", "January"), or NULL for another number. The month names are
 * not keys: the EPUB's fonts hold the characters of every key, and no
 * EPUB text holds a month name. */
const char *l10n_month(const char *lang, int month);

#endif
