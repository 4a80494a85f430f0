/*
 * render.h - renderers: a finished set of rows (obl-stats) or comparisons (obl-compare)
 * into text for humans, JSON, CSV or Markdown. Renderers format; they compute nothing.
 * Output is appended to a string buffer, so a tool writes it in one piece and the same
 * inputs always give the same bytes.
 */
#ifndef OBL_RENDER_H
#define OBL_RENDER_H

#include "compare.h"
#include "describe.h"
#include "strbuf.h"

enum obl_format { OBL_FORMAT_TEXT = 0,
		  OBL_FORMAT_JSON,
		  OBL_FORMAT_CSV,
		  OBL_FORMAT_MD,
		  OBL_FORMAT_JUNIT,
		  OBL_FORMAT_GITHUB };

struct obl_render_options {
	int color;                                 /* ANSI colour in text output (only on a terminal) */
	const struct obl_compare_options *compare; /* for comparisons: the settings to state */
	const struct obl_warning *warnings;        /* shown with the comparison (may be NULL) */
	size_t n_warnings;
	int family_per_candidate; /* the p-value families: per candidate, or one for all */
	int narrow;               /* text: the terminal layout (at most 100 columns: a
					  * summary first, a heading per scenario, SI prefixes);
					  * 0: every column, one line per row */
	/* The tool that compared, as CI formats name it (GitHub titles, JUnit suites); NULL:
	 * "obl-compare". Set: Markdown names the runs compared (obl-history's gate). */
	const char *tool;
	/* A gating row on the baseline side only fails the gate (obl-history's gate: a series
	 * the newest run lost): JSON "regression", JUnit failures, GitHub errors say so. */
	int missing_fails;
};

/* Whether rows fail the gate as opt says (a worse gating row, or with missing_fails a
 * gating row missing); --strict's inconclusive rows are the tools' to add. */
int obl_render_rows_fail(const struct obl_comparison *rows, size_t n,
			 const struct obl_render_options *opt);
/* Whether row c is one that fails the gate, as obl_render_rows_fail counts it. */
int obl_render_row_fails(const struct obl_comparison *c, const struct obl_render_options *opt);

/* Orders scenario values as a person reads them: numbers by value, with SI and binary
 * suffixes ("15" < "40" < "512" < "1kB" < "4kB" < "32kB"; "2" < "10"), other text
 * bytewise. <0, 0, >0 as strcmp. */
int obl_natural_cmp(const char *a, const char *b);

void obl_render_stats_text(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			   const struct obl_render_options *opt);
void obl_render_stats_json(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			   const struct obl_render_options *opt);
void obl_render_stats_csv(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			  const struct obl_render_options *opt);
void obl_render_stats_md(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			 const struct obl_render_options *opt);

void obl_render_compare_text(struct obl_strbuf *out, const struct obl_comparison *rows,
			     size_t n, const struct obl_render_options *opt);
void obl_render_compare_json(struct obl_strbuf *out, const struct obl_comparison *rows,
			     size_t n, const struct obl_render_options *opt);
void obl_render_compare_csv(struct obl_strbuf *out, const struct obl_comparison *rows,
			    size_t n, const struct obl_render_options *opt);
void obl_render_compare_md(struct obl_strbuf *out, const struct obl_comparison *rows,
			   size_t n, const struct obl_render_options *opt);
/* JUnit XML: one test case per row; worse is a failure (junit.c). */
void obl_render_compare_junit(struct obl_strbuf *out, const struct obl_comparison *rows,
			      size_t n, const struct obl_render_options *opt);
/* GitHub Actions workflow commands: ::error for worse, ::warning for inconclusive. */
void obl_render_compare_github(struct obl_strbuf *out, const struct obl_comparison *rows,
			       size_t n, const struct obl_render_options *opt);

/* Shared formatting helpers (common.c). */

/* A number for humans: about five significant digits, no exponent for ordinary magnitudes. */
void obl_format_number(struct obl_strbuf *out, double v);
/* A relative change as a signed percentage, e.g. "+3.21%"; "n/a" if not finite. */
void obl_format_percent(struct obl_strbuf *out, double v);
/* The interval of a relative change: before (e.g. " ") then "[-3.10%, +5.20%]"; nothing at all
 * when an end is not finite. */
void obl_format_percent_interval(struct obl_strbuf *out, const char *before, double lo,
				 double hi);
/* A p-value: "0.0312", "2.1e-05", "<1e-300". */
void obl_format_p(struct obl_strbuf *out, double p);
/* Scenario keys as "k=v k=v" ("" if none). */
void obl_format_scenario(struct obl_strbuf *out, const struct obl_kv *kv, size_t n);
/* Columns a UTF-8 string takes on a terminal (East Asian wide characters count 2). */
size_t obl_display_width(const char *s);
/* The method's description for a human ("Welch t test on log values", ...). */
const char *obl_method_description(enum obl_method m);
/* "missing", "new" or the verdict's name. */
const char *obl_row_verdict(const struct obl_comparison *row);

/* What a row's n counts: "reps", "requests", "tokens", "trials" or "values". */
const char *obl_count_label(const struct obl_comparison *c);
/* What a row's centers are ("gmean of rep medians", "median (HL)", ...). */
const char *obl_center_label(const struct obl_comparison *c);
/* "across all candidates" or "per candidate": the p-value families. */
const char *obl_family_text(const struct obl_render_options *opt);

/* An aligned text table: cells are added row by row, then printed with padding. */
struct obl_table_cell {
	size_t at, len, width; /* bytes in text; columns on a terminal */
};
struct obl_table {
	size_t columns;
	struct obl_strbuf text; /* every cell's text, one after another */
	struct obl_table_cell *cells;
	size_t n, alloc;
	const char *align; /* per column: 'l' or 'r' */
};
void obl_table_init(struct obl_table *t, size_t columns, const char *align);
void obl_table_add(struct obl_table *t, const char *cell);
/* Moves the cells of src (same columns) to the end of t; src is left as it was. */
void obl_table_append(struct obl_table *t, const struct obl_table *src);
void obl_table_print(const struct obl_table *t, struct obl_strbuf *out, const char *indent);
void obl_table_release(struct obl_table *t);

#endif
