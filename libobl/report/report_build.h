/*
 * report_build.h - what the parts of a report's content share while it is built: the data of
 * each side (groups, tags, warnings, and each group's scenario split into a family and a
 * load), and the helpers the sections use. report.c gathers and writes the prose and tables;
 * capacity.c the SLO capacity section; chart_data.c the charts' data.
 */
#ifndef OBL_REPORT_BUILD_H
#define OBL_REPORT_BUILD_H

#include <stddef.h>

#include "chart.h"
#include "report.h"

/* What the report knows of one side beyond the comparison rows. */
struct side_data {
	const struct obl_db_side *side;
	struct obl_kv *tags;
	size_t n_tags;
	char **warnings;
	size_t n_warnings;
	struct obl_group *groups;
	size_t n_groups;
	char **family; /* per group: the scenario without its load key ("" if none) */
	double *load;  /* per group: the load key's value (NaN without one) */
};

struct builder {
	const struct obl_report_options *opt;
	const struct obl_db_comparison *cmp;
	struct side_data sides[OBL_MAX_SIDES];
	size_t n_sides;
	const char *load_key; /* the first load key found in any scenario, NULL if none */
	struct obl_doc *doc;
	struct obl_strbuf sb; /* scratch */
};

/* The metric in words ("time to first token"), or its name. */
const char *report_words_for(const char *metric);
/* v formatted as the tables show numbers, in b's scratch buffer (valid until the next use). */
const char *report_number(struct builder *b, double v);
/* The group of a side for metric, family and load (NaN: none), or NULL; *index (if not NULL)
 * is set to its position. */
const struct obl_group *report_find_group(const struct side_data *d, const char *metric,
					  const char *family, double load, size_t *index);
/* Mean over repetitions of the per-repetition statistic (the median of request-level values,
 * else the mean), with its t interval at `confidence`, at x. */
struct obl_chart_point report_trial_mean(const struct obl_group *g, double x,
					 double confidence);
/* All values of a group, pooled over repetitions and sorted (owned; NULL when none). */
double *report_pooled_sorted(const struct obl_group *g, size_t *n);
/* The sorted distinct loads of a family over every side, for `metric` (owned; *n of them). */
double *report_family_loads(const struct builder *b, const char *metric, const char *family,
			    size_t *n);
/* Distinct families of groups of `metric` that have a load key, in the baseline's order
 * (then the candidates'); owned array of borrowed strings. */
const char **report_families_of(const struct builder *b, const char *metric, size_t *n);
/* 1 if the row compares `candidate` with the baseline. */
int report_is_row_of(const struct obl_comparison *c, const char *candidate);

/* The sections written outside report.c. */
void report_slo_section(struct builder *b);    /* capacity.c */
void report_charts_section(struct builder *b); /* chart_data.c */

#endif
