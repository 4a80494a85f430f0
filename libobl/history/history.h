/*
 * history.h - the runs of one database as a history: runs in an order the user chooses,
 * per scenario x metric the run-level values over them (runs without the scenario are gaps),
 * the points where a series' level shifts (E-divisive means with a permutation test, see
 * docs/DESIGN.md section "History"), and the gate of the newest run against the runs since
 * the last change, with obl-compare's rules.
 */
#ifndef OBL_HISTORY_H
#define OBL_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "compare.h"
#include "dbcompare.h"
#include "error.h"
#include "kv.h"
#include "store.h"
#include "strbuf.h"

enum obl_history_order { OBL_ORDER_INGEST = 0,
			 OBL_ORDER_TAG,
			 OBL_ORDER_COMMIT };

struct obl_history_options {
	enum obl_history_order order;
	const char *order_tag;         /* OBL_ORDER_TAG: the tag whose values sort the runs */
	const char *commits;           /* OBL_ORDER_COMMIT: file of commits, newest first (git
				    * rev-list); the runs' "commit" tag is looked up in it */
	const char *metric;            /* NULL: every metric */
	const struct obl_kv *scenario; /* only scenarios holding each of these keys and values */
	size_t scenario_len;
	const char *stat;     /* statistic of a repetition of a request-level metric */
	double alpha;         /* significance of a change point (permutation test) */
	double threshold;     /* smallest relative change that counts (0.02) */
	double confidence;    /* of the intervals (0.95) */
	size_t permutations;  /* per test (199) */
	size_t min_runs;      /* runs a level needs, except the newest level (2) */
	size_t window;        /* runs on either side a change point is tested on (100) */
	size_t max_excursion; /* a departure of at most this many runs that comes back is an
				* excursion, not two change points (3; 0: none) */
	size_t last;          /* only the newest `last` runs (0: all) */
	uint64_t seed;        /* of the permutations: output is reproducible */
};

struct obl_history_options obl_history_defaults(void);

/* Sets the order of the runs from the tools' --order-by KEY and --commits FILE (either may be
 * NULL): "ingest" (default), a tag (its values as dates, times or numbers when they all are,
 * else as text with numbers compared as numbers), or commit order, which needs the list of
 * commits (FILE, "-" for standard input) and looks up the commit tag, or KEY's. A usage error
 * for --order-by commit without --commits, or ingest with it. The strings are kept, not
 * copied. */
OBL_MUST_CHECK int obl_history_set_order(struct obl_history_options *o, const char *order_by,
					 const char *commits, struct obl_error *err);

struct obl_history_run {
	char *label;
	struct obl_kv *tags; /* owned (obl_kv_free) */
	size_t n_tags;
};

struct obl_history_level {
	double center, ci_low, ci_high; /* median of the repetitions and its interval */
	size_t n_runs;
};

struct obl_change_point {
	size_t point; /* index in the series' points of the first run of the new level */
	size_t run;   /* its index in the history's runs */
	struct obl_history_level before, after;
	struct obl_estimate relative; /* after / before - 1, as obl-compare estimates it */
	double p_value;               /* of the permutation test */
	int regression;               /* 1 regression, 0 improvement, -1 metric without a direction */
};

/* A short excursion: a few runs away from a level that then came back (two slow nights). */
struct obl_history_excursion {
	size_t point, run; /* its first run: index in the series' points, in the history's runs */
	size_t n_runs;
	double relative; /* its size against the level before (Hodges-Lehmann, as a change's) */
	int regression;  /* 1 slower/worse, 0 better, -1 metric without a direction */
};

struct obl_history_series {
	char *metric, *unit, *scenario_canonical;
	struct obl_kv *scenario; /* owned (obl_kv_free) */
	size_t scenario_len;
	const char *stat; /* "median", "mean", "rate" (static or the options') */
	enum obl_direction direction;
	enum obl_metric_kind kind;
	size_t n_points, alloc; /* runs that have the series */
	size_t *run;            /* run index of each point */
	size_t *start;          /* point i's repetitions: value[start[i] .. start[i + 1]) */
	double *value;          /* the statistic of each repetition */
	size_t n_values, values_alloc;
	struct obl_change_point *cps;
	size_t n_cps;
	struct obl_history_excursion *excursions; /* in run order */
	size_t n_excursions;
	int compact; /* analysed: one value a point, its level (obl_history_analyse) */
};

struct obl_history {
	struct obl_history_run *runs; /* in the chosen order */
	size_t n_runs;
	struct obl_history_series *series;
	size_t n_series, series_alloc;
	struct obl_history_options opt;
	/* series by scenario and metric (open addressing, indexes into series) */
	size_t *slots, n_slots;
};

/* Reads the runs and the series of a store, one series after another
 * (obl_store_each_group in series order), keeping each repetition's statistic. Errors name
 * the store's path and the run. */
OBL_MUST_CHECK int obl_history_load(struct obl_store *s, const char *path,
				    const struct obl_history_options *opt, struct obl_history *h,
				    struct obl_error *err);
/* Reads and analyses: each series' change points are found as soon as it has been read (a
 * few series at a time, one a thread), after which it keeps one value a run, its level, and
 * its change points (compact). Memory: the runs, one value a point, and the repetitions of as
 * many series as threads. What the tools use; obl_history_detect is not to be called after. */
OBL_MUST_CHECK int obl_history_analyse(struct obl_store *s, const char *path,
				       const struct obl_history_options *opt, struct obl_history *h,
				       struct obl_error *err);
void obl_history_free(struct obl_history *h);

/* Adds one point (run index run, repetitions v[0..n)) to a series, creating it if new; for
 * tests and simulations. */
int obl_history_add(struct obl_history *h, const char *metric, const char *unit,
		    enum obl_direction dir, enum obl_metric_kind kind,
		    const struct obl_kv *scenario, size_t scenario_len, size_t run, const double *v,
		    size_t n);

/* Finds the change points of one series / of every series. */
OBL_MUST_CHECK int obl_history_detect_series(const struct obl_history *h, struct obl_history_series *s,
					     struct obl_error *err);
OBL_MUST_CHECK int obl_history_detect(struct obl_history *h, struct obl_error *err);

/* The level of a run: the mean of its repetitions' statistic. */
double obl_history_point_level(const struct obl_history_series *s, size_t point);

/*
 * The gate: the newest run against, per series, every run since the series' last change
 * point before it, compared by obl-compare's code (repetitions as the unit, Holm, threshold).
 * Loads the groups of those runs from the store; out as obl_groups_compare fills it.
 */
OBL_MUST_CHECK int obl_history_check_latest(struct obl_store *s, const char *path, const struct obl_history *h,
					    const struct obl_db_compare_options *opt,
					    struct obl_db_comparison *out, struct obl_error *err);

/* Outputs (history_render.c). */
enum obl_history_format { OBL_HISTORY_TEXT = 0,
			  OBL_HISTORY_JSON,
			  OBL_HISTORY_CSV,
			  OBL_HISTORY_MD,
			  OBL_HISTORY_GITHUB };
void obl_history_render(struct obl_strbuf *out, const struct obl_history *h,
			enum obl_history_format format);
/* The tags that say which change a run is: its commit, date and engine version, when it has
 * them, each as ", key=value" (", commit=abc123, date=2026-11-24"); raw, for the caller to
 * escape for its output. */
void obl_history_identity_tags(struct obl_strbuf *out, const struct obl_history_run *r);
/* Whether a tag is one of those (commit, git_sha, git_commit, version, engine_version,
 * date). */
int obl_history_tag_is_identity(const char *key);
/* A one-line sparkline (UTF-8 blocks) of the levels of a series over all runs; gaps are
 * spaces. */
void obl_history_sparkline(struct obl_strbuf *out, const struct obl_history *h,
			   const struct obl_history_series *s);

#endif
