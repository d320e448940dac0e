/* task — see task.h. */
#include "model/task.h"

#include "base/l10n.h"

const char *task_glyph(int done)
{
    return done ? "\xE2\x9C\x94" : "\xE2\x96\xA1";
}

const char *task_label(const char *lang, int done)
{
    return l10n(lang, done ? L_TASK_DONE : L_TASK_OPEN);
}
