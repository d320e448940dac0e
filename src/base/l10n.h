/* l10n — the few words goodiebag itself writes into a book (navigation
 * labels, landmarks), in the book's language (Dutch and English; other
 * languages fall back to English). */
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
    L_COUNT
} l10n_key;

/* Returns the text for key in language lang (BCP 47); never NULL. */
const char *l10n(const char *lang, l10n_key key);

#endif
