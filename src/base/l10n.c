/* l10n — see l10n.h. */
#include "base/l10n.h"

#include <string.h>

static const char *const nl[L_COUNT] = {
    "Inhoud", "Oriëntatiepunten", "Omslag", "Inhoudsopgave", "Begin van de tekst",
    "Pagina's", "Titelpagina", "pagina",
    "Deze publicatie heeft een inhoudsopgave, koppen in de juiste volgorde en een logische leesvolgorde",
    ", en paginanummers die overeenkomen met de gedrukte (PDF-)editie",
    " Alle afbeeldingen hebben een tekstalternatief.",
    " Niet alle afbeeldingen hebben een tekstalternatief.",
    " Er zijn geen bekende risico's voor mensen die gevoelig zijn voor flitsen, beweging of geluid.",
    "PDF-editie",
    "Noot",
    "Terug naar de tekst",
    "klaar", "open",
};
static const char *const en[L_COUNT] = {
    "Contents", "Landmarks", "Cover", "Table of contents", "Start of text",
    "Pages", "Title page", "page",
    "This publication has a table of contents, headings in order and a logical reading order",
    ", and page numbers that match the printed (PDF) edition",
    " All images have a text alternative.",
    " Not all images have a text alternative.",
    " There are no known hazards.",
    "PDF edition",
    "Note",
    "Back to the text",
    "done", "open",
};

static const char *const nl_month[12] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                         "juli",    "augustus", "september", "oktober", "november", "december"};
static const char *const en_month[12] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};

/* The primary subtag decides: "nl" and "nl-BE" are Dutch. */
static int dutch(const char *lang)
{
    return lang && !strncmp(lang, "nl", 2) && (lang[2] == 0 || lang[2] == '-');
}

const char *l10n(const char *lang, l10n_key key)
{
    if ((int)key < 0 || key >= L_COUNT)
        return "";
    return dutch(lang) ? nl[key] : en[key];
}

const char *l10n_month(const char *lang, int month)
{
    if (month < 1 || month > 12)
        return NULL;
    return dutch(lang) ? nl_month[month - 1] : en_month[month - 1];
}
