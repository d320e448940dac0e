/* l10n — see l10n.h. */
#include "l10n.h"

#include <string.h>

static const char *const nl[L_COUNT] = {
    "Inhoud", "Oriëntatiepunten", "Omslag", "Inhoudsopgave", "Begin van de tekst",
    "Pagina's", "Titelpagina", "pagina",
};
static const char *const en[L_COUNT] = {
    "Contents", "Landmarks", "Cover", "Table of contents", "Start of text",
    "Pages", "Title page", "page",
};

const char *l10n(const char *lang, l10n_key key)
{
    if ((int)key < 0 || key >= L_COUNT)
        return "";
    if (lang && !strncmp(lang, "nl", 2) && (lang[2] == 0 || lang[2] == '-'))
        return nl[key];
    return en[key];
}
