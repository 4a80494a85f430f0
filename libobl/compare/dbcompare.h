/*
 * dbcompare.h - comparing stored runs: a baseline run against one or more candidate runs,
 * row by row (scenario x metric x statistic), as DESIGN.md section 4 defines a verdict.
 *
 * Rows are matched on scenario keys and metric names, never on file names; a row on one side
 * only is reported as missing (baseline only) or new (candidate only). The statistic and the
 * experimental unit follow the metric's kind: request-level samples are compared through a
 * per-repetition statistic (median by default) when both sides have at least 3 repetitions,
 * else through the pooled requests (and the row says so); aggregates through their values
 * per repetition; proportions through their counts.
 */
#ifndef OBL_DBCOMPARE_H
#define OBL_DBCOMPARE_H

#include "compare.h"
#include "progress.h"
#include "store.h"

/* What the user said about one metric (from --threshold M=X, --stat or a gate file). */
struct obl_metric_rule {
	char metric[128];
	double threshold; /* NaN: the default */
	char stats[128];  /* "median,p99"; "" for the default */
	int gates;        /* 0: reported, but never fails the gate; -1: the default */
	int direction;    /* enum obl_direction; -1: the metric's own, else the default */
};

struct obl_db_compare_options {
	struct obl_compare_options compare; /* method AUTO unless overridden */
	const char *stats;                  /* default statistics of sample metrics: "median" */
	struct obl_metric_rule *rules;
	size_t n_rules;
	size_t min_repetitions;   /* per side, for repetitions as the unit (3) */
	int unit_request;         /* test requests as independent even with fewer
	                                       * repetitions (--unit request): warned about */
	int family_per_candidate; /* Holm per candidate instead of one family */
	size_t skip_reps;         /* repetitions dropped at the start of each scenario */
	int across_gates;         /* the per-metric rows across scenarios gate */
	/* Only rows of this metric (NULL: all) and of scenarios holding every one of these
	 * key=value pairs (none: all); a filter the baseline does not match is an error that
	 * suggests the closest name. */
	const char *metric;
	const struct obl_kv *scenario;
	size_t scenario_len;
	struct obl_progress *progress; /* NULL, or where to post what is being done */
	const char *ignore_key;        /* NULL, or a scenario key left out of matching */
	/* The tests may sort and overwrite (with their logs) the values of a group that one row
	 * alone reads, instead of copying them: for callers that show no values afterwards
	 * (obl-compare; not obl-report, whose charts draw them). Halves the memory of a
	 * comparison of a few large groups. */
	int consume_values;
};

/* One side: a store and a run label in it. */
struct obl_db_side {
	struct obl_store *store;
	const char *path; /* for messages */
	const char *label;
};

struct obl_db_comparison {
	struct obl_comparison *rows;
	size_t n, rows_alloc;
	/* storage the rows borrow from */
	struct obl_group *groups[OBL_MAX_SIDES];
	size_t n_groups[OBL_MAX_SIDES];
	size_t n_sides;
	char **strings;
	size_t n_strings;
	struct obl_warning *warnings; /* warm-up repetitions, premises not met */
	size_t n_warnings;
};

/* Why opt's --metric and --scenario select none of g[0..n): an OBL_EUSAGE error naming the
 * part that matches nothing, with the closest metric or key there is ("did you mean ttft_ms?")
 * or the values a key has. */
int obl_filter_explain(const struct obl_group *g, size_t n, const char *path,
		       const struct obl_db_compare_options *opt, struct obl_error *err);

/* Compares each candidate with the baseline (at most OBL_MAX_SIDES - 1 candidates); the gating rows of all
 * candidates form one family for the p-value adjustment (per candidate with
 * family_per_candidate), the informational rows another. */
OBL_MUST_CHECK int obl_db_compare(const struct obl_db_side *baseline, const struct obl_db_side *candidates,
				  size_t n_candidates, const struct obl_db_compare_options *opt,
				  struct obl_db_comparison *out, struct obl_error *err);
void obl_db_comparison_free(struct obl_db_comparison *c);
/* A copy of s that c owns (freed with it), for names its rows and warnings borrow; one copy
 * per distinct string. NULL when out of memory. */
const char *obl_db_comparison_keep(struct obl_db_comparison *c, const char *s);

/* The same from groups already in memory (obl_store_groups or obl_batch_groups), side 0 the
 * baseline: out takes the group arrays over (obl_db_comparison_free frees them), also on
 * error. labels and paths name the sides in rows and messages. */
OBL_MUST_CHECK int obl_groups_compare(struct obl_group **groups, const size_t *n_groups,
				      const char *const *labels, const char *const *paths, size_t n_sides,
				      const struct obl_db_compare_options *opt, struct obl_db_comparison *out,
				      struct obl_error *err);

/* The statistic of one repetition's values: the mean, or a quantile (type 7; the median's q
 * is 0.5); NaN if there are none. scratch holds at least v->n doubles. */
double obl_values_statistic(const struct obl_values *v, struct obl_statistic stat,
			    double *scratch);

/* ---- The user's word on metrics (gate.c) ---------------------------------------------- */

/* Reads a gate file: per line "METRIC [threshold=X%] [stat=S,S] [gate=yes|no]
 * [direction=lower|higher]", '#' comments; "METRIC" may be "*" for every metric's default.
 * Appends to *rules; errors name the file, line and token. */
/* Lines "set unit=request", "set skip-reps=N", "set family=per-candidate|all" and
 * "set across=gate|info" change opt's settings as the options of the same names do. */
OBL_MUST_CHECK int obl_gate_file_read(const char *path, struct obl_db_compare_options *opt,
				      struct obl_error *err);

/* Parses one --threshold argument: "X" (the default, into *def) or "METRIC=X". A number of
 * 1 or more without '%' is refused (5 would mean 500%). */
OBL_MUST_CHECK int obl_threshold_arg(const char *arg, double *def, struct obl_metric_rule **rules, size_t *n,
				     struct obl_error *err);

/* ---- Opening the sides (sides.c) ------------------------------------------------------- */

/* The sides of a comparison as the tools take them: "BASE.db CAND.db..." (each holding one
 * run), or one database with a baseline label and candidate labels. */
struct obl_db_sides {
	struct obl_db_side sides[OBL_MAX_SIDES];
	size_t n;
	struct obl_store *stores[OBL_MAX_SIDES];
	char *owned[OBL_MAX_SIDES];
};
/* Opens the stores and resolves the labels; on error, what was opened is closed by
 * obl_db_sides_close (always call it). Errors say which form was expected. */
OBL_MUST_CHECK int obl_db_sides_open(const char *const *files, size_t n_files, const char *baseline,
				     const char *const *candidates, size_t n_candidates,
				     struct obl_db_sides *out, struct obl_error *err);
void obl_db_sides_close(struct obl_db_sides *s);

#endif
