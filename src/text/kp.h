/* kp — total-fit paragraph breaking (Knuth & Plass, "Breaking Paragraphs
 * into Lines", Software: Practice and Experience 11, 1981).
 *
 * Input is a list of boxes, glue and penalties (the only currency between
 * text and layout); output is the chosen break positions and each line's
 * adjustment ratio. Pure computation: no fonts, no drawing, no allocation
 * that outlives the call.
 *
 * Additions to the 1981 algorithm:
 *   - a hard limit on consecutive hyphenated (flagged) lines (TeX only
 *     charges demerits for two in a row);
 *   - margin protrusion: a break may let the line end (or the next line
 *     start) hang into the margin by a given amount, which widens the
 *     measure of that line;
 *   - passes: first without flagged breaks at `pretolerance`, then with all
 *     breaks at `tolerance`, then with `emergency_stretch` added to every
 *     line; if even that fails the paragraph is still broken (never an
 *     error) and the lines that do not fit are reported in kp_result.
 */
#ifndef GB_KP_H
#define GB_KP_H

#define KP_INF 10000.0  /* penalty >= KP_INF: no break; <= -KP_INF: forced */
#define KP_FILL 1e6     /* glue stretch >= KP_FILL counts as infinite (fill) */

typedef enum { KP_BOX, KP_GLUE, KP_PENALTY } kp_type;

typedef struct kp_item {
    kp_type type;
    double width;            /* natural width (box, glue; for a penalty the
                                width added at the line end when broken
                                here, e.g. a hyphen) */
    double stretch, shrink;  /* glue only */
    double penalty;          /* penalty only */
    int flagged;             /* penalty only: a hyphenation break */
    double end_protrusion;   /* glue/penalty: how far the line ending at this
                                break may hang into the right margin */
    double start_protrusion; /* glue/penalty: how far the line starting after
                                this break may hang into the left margin */
} kp_item;

typedef struct kp_params {
    double pretolerance;       /* e.g. 100; < 0 skips the first pass */
    double tolerance;          /* e.g. 200 */
    double emergency_stretch;  /* e.g. 0.1 * measure; 0 skips that pass */
    double line_penalty;       /* e.g. 10 */
    double hyphen_penalty;     /* informational; penalties come in items */
    double flagged_demerits;   /* e.g. 3000: two flagged lines in a row */
    double fitness_demerits;   /* e.g. 100: adjacent lines' fitness differ >1 */
    double final_hyphen_demerits; /* e.g. 5000: second-last line flagged */
    int max_consecutive_flagged;  /* e.g. 2; 0 means no limit */
    int looseness;             /* 0 = optimal (TeX's \looseness) */
} kp_params;

/* Fills *p with sensible defaults for justified text of the given measure. */
void kp_default_params(kp_params *p, double measure);

typedef struct kp_result {
    int nlines;
    int *breaks;     /* nlines entries: index of the item each line ends at
                        (the last is the paragraph's final forced penalty) */
    double *ratios;  /* nlines entries: adjustment ratio of each line
                        (< 0 shrinks, > 0 stretches; the last line of a
                        paragraph with infinite fill glue gets ~0) */
    int overfull;    /* number of lines wider than their measure even at
                        full shrink (0 unless no feasible solution existed) */
    int pass;        /* 1, 2 or 3: which pass found the solution (4 = forced) */
} kp_result;

/* Breaks items[0..n) into lines. Line i (0-based) has measure
 * widths[i < nwidths ? i : nwidths-1]. The item list must end with
 * glue (fill) + penalty(-KP_INF), as in TeX. Returns 0 and fills *out
 * (free with kp_result_free), or -1 if the input is malformed (n == 0,
 * nwidths == 0, NaN or absurd values, no final forced break; see kp.c).
 * Out of memory exits (base/util.h). Runs in time linear in n times the number of active
 * breakpoints (bounded). */
int kp_break(const kp_item *items, int n, const double *widths, int nwidths,
             const kp_params *p, kp_result *out);

/* Frees the arrays of a kp_result (not the struct itself). */
void kp_result_free(kp_result *r);

#endif
