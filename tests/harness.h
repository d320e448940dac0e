/* harness.h — a tiny test harness: each check prints one TAP-like line
 * ("ok - what" or "not ok - what: detail") that tests/run counts. */
#ifndef GB_HARNESS_H
#define GB_HARNESS_H
#include <stdio.h>
#include <string.h>

static int harness_failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            printf("ok - ");                                               \
        } else {                                                           \
            printf("not ok - %s:%d: (%s) ", __FILE__, __LINE__, #cond);    \
            harness_failed++;                                              \
        }                                                                  \
        printf(__VA_ARGS__);                                               \
        printf("\n");                                                      \
    } while (0)

#define CHECK_STR(got, want, what)                                         \
    do {                                                                   \
        const char *g_ = (got), *w_ = (want);                              \
        int same_ = g_ && w_ && strcmp(g_, w_) == 0;                       \
        CHECK(same_, "%s (got \"%s\", want \"%s\")", what, g_ ? g_ : "(null)", w_); \
    } while (0)

#define HARNESS_EXIT() return harness_failed ? 1 : 0

#endif
