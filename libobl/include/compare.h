/*
 * compare.h - the comparison engine: one baseline sample against one candidate sample
 * gives a test, the change with its interval, and (after every row of a family is known)
 * an adjusted p-value and a verdict as DESIGN.md section 4 defines it.
 *
 * Two steps, so that a comparison of many rows adjusts p-values across all of them:
 * obl_compare_samples() fills one row; obl_compare_finish() adjusts and decides verdicts.
 */
#ifndef OBL_COMPARE_H
#define OBL_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "error.h"
#include "kv.h"
#include "model.h"

enum obl_method {
	OBL_METHOD_AUTO = 0,
	OBL_METHOD_WELCH,
	OBL_METHOD_STUDENT,
	OBL_METHOD_MANN_WHITNEY,
	OBL_METHOD_WELCH_LOG,
	OBL_METHOD_BOOTSTRAP,          /* ratio of a quantile, seeded percentile bootstrap */
	OBL_METHOD_FISHER,             /* proportions: Fisher's exact test, Newcombe interval */
	OBL_METHOD_MANN_WHITNEY_EXACT, /* exact p-value also under ties (benchstat's) */
	OBL_METHOD_CHI_SQUARED,        /* proportions of more than a million trials a side: the
	                          * chi-squared test (Yates), Newcombe interval */
	OBL_METHOD_PREDICTION,         /* one run's level against the levels of the runs
	                          * before it: Student prediction interval on logs
	                          * (obl-history's gate; obl_compare_prediction) */
};

/* Names as the command line and JSON spell them; NULL-terminated, indexed by the enum. */
extern const char *const obl_method_names[];

enum obl_verdict {
	OBL_VERDICT_BETTER = 0,
	OBL_VERDICT_WORSE,
	OBL_VERDICT_SAME,
	OBL_VERDICT_INCONCLUSIVE,
	OBL_VERDICT_NO_TEST,
};
extern const char *const obl_verdict_names[];

/* The sides of one comparison at most: a baseline and up to OBL_MAX_SIDES - 1 candidates. */
enum { OBL_MAX_SIDES = 16 };

/* Whether a row has both sides: paired, or one side only (no test). */
enum obl_presence { OBL_PAIRED = 0,
		    OBL_MISSING,
		    OBL_NEW };
extern const char *const obl_presence_names[]; /* "paired", "missing", "new" */

/* The experimental unit a row's samples count: plain values, repetitions (one statistic per
 * repetition), pooled requests, or trials of a proportion. OBL_UNIT_UNSET: not said. */
enum obl_unit_of_analysis {
	OBL_UNIT_UNSET = 0,
	OBL_UNIT_VALUES,
	OBL_UNIT_REPETITIONS,
	OBL_UNIT_REQUESTS,
	OBL_UNIT_TRIALS,
	OBL_UNIT_RUNS, /* one value a run: its level (the history's gate) */
};
/* "values", "repetitions", "requests", "trials", "runs"; NULL for OBL_UNIT_UNSET. */
extern const char *const obl_unit_of_analysis_names[];

/* The statistic a row compares: the mean, the median, a quantile (q in (0, 1), spelt "pNN")
 * or the rate of a proportion. OBL_STAT_UNSET: not said (one plain comparison). */
enum obl_stat { OBL_STAT_UNSET = 0,
		OBL_STAT_MEAN,
		OBL_STAT_MEDIAN,
		OBL_STAT_QUANTILE,
		OBL_STAT_RATE };
struct obl_statistic {
	enum obl_stat kind;
	double q; /* OBL_STAT_QUANTILE: the quantile; 0.5 for the median */
};
extern const struct obl_statistic obl_stat_mean, obl_stat_median;
/* Parses "mean", "median", "rate" or "pNN" (0 < NN < 100). Returns 1 when s names one. */
int obl_statistic_parse(const char *s, struct obl_statistic *out);
/* 1 if s is a statistic a user may name (--stat, gate files): mean, median or pNN (a rate is
 * implied by a proportion's kind). */
int obl_statistic_named(const char *s);

struct obl_compare_options {
	enum obl_method method;
	double confidence; /* of the intervals, e.g. 0.95 */
	double alpha;      /* significance level of the (adjusted) test */
	double threshold;  /* practical threshold on the relative change, e.g. 0.02 */
	enum obl_direction direction;
	enum stats_adjust_method correction;
	uint64_t seed;                       /* bootstrap seed: fixed by default, so output is reproducible */
	size_t resamples;                    /* bootstrap resamples */
	struct stats_rank_cache *rank_cache; /* NULL, or Mann-Whitney null laws to reuse */
};

/* Something the reader of a comparison must know that is not a row: a warm-up repetition, a
 * premise that may not hold. Rendered in every format (JSON: the top-level "warnings"). */
struct obl_warning {
	const char *kind;     /* "warm-up", "independence", "gate" */
	const char *run;      /* NULL when not about one run */
	const char *scenario; /* canonical "k=v;k=v", NULL when not about one scenario */
	size_t repetition;    /* 1-based; 0 when not about one repetition */
	char *message;        /* owned: freed with the comparison (or obl_warning_release) */
};

/* Sets w's message from a printf format (owned); 0, or OBL_ENOMEM. */
OBL_MUST_CHECK int obl_warning_format(struct obl_warning *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Frees w's message. */
void obl_warning_release(struct obl_warning *w);

/* The defaults: auto method, 95% intervals, alpha 0.05, threshold 2%, lower is better, Holm. */
struct obl_compare_options obl_compare_defaults(void);

/* One side's description. */
struct obl_side {
	size_t n;
	double mean, sd, median, min, max;
	/* The statistic whose ratio is the change: candidate.center / baseline.center - 1 is
	 * relative.estimate exactly (the geometric mean for Welch on logs, the mean for the
	 * mean-based tests, the baseline median and the median moved by the Hodges-Lehmann
	 * ratio for Mann-Whitney, the quantile for the bootstrap, the rate for proportions). */
	double center;
};

/* An estimate with its interval; reason says why a part is missing (NULL if none). */
struct obl_estimate {
	double estimate, ci_low, ci_high;
	const char *reason; /* static string */
};

struct obl_comparison {
	/* Identity, borrowed strings set by the caller (NULL when not applicable). */
	const char *metric, *unit;
	const char *stat_name;     /* the statistic as the user spelt it, e.g. "p99" */
	struct obl_statistic stat; /* the same, for code that decides on it */
	const char *baseline_name, *candidate_name;
	enum obl_unit_of_analysis unit_of_analysis;
	const struct obl_kv *scenario;
	size_t scenario_len;

	enum obl_presence presence; /* OBL_MISSING or OBL_NEW: one side only, no test */
	int gating;                 /* a worse verdict here fails the gate (default 1) */

	struct obl_side baseline, candidate;
	enum obl_method method;                    /* the method used (never AUTO) */
	double statistic, df, p_value, p_adjusted; /* NaN where not defined */
	struct obl_estimate difference;            /* candidate - baseline */
	struct obl_estimate relative;              /* candidate / baseline - 1 */
	/* With Mann-Whitney, Welch's t on the means as well (the primary test decides; this
	 * shows whether the means tell another story, e.g. outliers). present == 0 otherwise. */
	struct {
		int present;
		double statistic, df, p_value;
		struct obl_estimate difference;
	} secondary;
	enum obl_verdict verdict;
	enum obl_direction direction;
	double threshold;
	double needed_n;          /* inconclusive: values per side to resolve the threshold
	                               * (repetitions per side when `dependent`) */
	const char *note;         /* static string, e.g. why there is no test; NULL if none */
	const char *center_label; /* what center is: "gmean", "mean", "median", ... */
	/* Requests of fewer than 3 repetitions tested as if independent: the row is at most
	 * inconclusive, leaves the p-value family and never fails the gate. */
	int dependent;
	/* Both sides without spread: the change is certain (verdict from the threshold alone). */
	int no_variance;
	/* The variance of the estimate's log ratio times the values per side (the scale of the
	 * test), for the repetitions-needed hint; NaN when unknown. */
	double unit_var;
	/* The smallest p-value the test can give with these sample sizes (0 for continuous
	 * tests); compared with alpha after adjustment by obl_compare_finish_family. */
	double min_p;
	/* A row of one metric across this many scenarios (0: a row of one scenario): the
	 * geometric-mean change over the scenarios, tested with every scenario's
	 * repetitions (scenarios as blocks). */
	size_t across;
	/* Set by obl_compare_finish_family: even the smallest reachable p-value, adjusted in
	 * this family, is above alpha, so the row can never be better or worse. */
	int cannot_reject;
};

/*
 * Compares cand[0..nc) against base[0..nb) (both finite). Fills out (identity fields are
 * cleared: set them afterwards) except p_adjusted and verdict, which obl_compare_finish sets. A side with one value, or two constant samples,
 * gives a row without a test (note says why), not an error. Returns OBL_OK, or an error
 * (e.g. welch-log on values <= 0) recorded in err.
 */
OBL_MUST_CHECK int obl_compare_samples(const double *base, size_t nb, const double *cand, size_t nc,
				       const struct obl_compare_options *opt, struct obl_comparison *out,
				       struct obl_error *err);
/* The same on arrays the caller gives up: they are sorted and then overwritten in place (their
 * contents are unspecified afterwards; the caller still frees them), where obl_compare_samples
 * works on copies. A comparison of 10^7 values a side needs no memory beyond its two arrays. */
OBL_MUST_CHECK int obl_compare_samples_consume(double *base, size_t nb, double *cand, size_t nc,
					       const struct obl_compare_options *opt,
					       struct obl_comparison *out, struct obl_error *err);

/*
 * The quantile q (e.g. 0.99) of cand against base by a seeded percentile bootstrap of the log
 * ratio of the two sample quantiles (type 7); the p-value is the two-sided bootstrap
 * tail of the log ratio at 0. For tail percentiles of request-level samples.
 */
OBL_MUST_CHECK int obl_compare_quantile_bootstrap(const double *base, size_t nb, const double *cand, size_t nc,
						  double q, const struct obl_compare_options *opt,
						  struct obl_comparison *out, struct obl_error *err);

/*
 * Two proportions (successes of trials): Fisher's exact test, Newcombe's interval for the
 * difference of rates, and the relative change of the rate (the difference interval over
 * the baseline rate). Sides are described with n = trials and mean = rate.
 */
OBL_MUST_CHECK int obl_compare_proportions(double base_successes, double base_trials, double cand_successes,
					   double cand_trials, const struct obl_compare_options *opt,
					   struct obl_comparison *out, struct obl_error *err);

/*
 * The newest run against the k runs before it, the runs as the unit: levels[0..k) are the
 * earlier runs' levels (each the geometric mean of its repetitions' statistic), cand[0..nc)
 * the newest run's repetition statistics (nc >= 1; their geometric mean is its level). The
 * test is the Student prediction interval for one new observation on log values
 * (stats_t_prediction, k - 1 df), so the spread between runs (nights) is what the newest
 * run is judged by, whatever its number of repetitions. Centers are geometric means (the
 * baseline's over its runs' levels); the interval of the relative change is the prediction
 * interval. With k < 2 a row without a test; earlier runs all at one level: no variance.
 */
OBL_MUST_CHECK int obl_compare_prediction(const double *levels, size_t k, const double *cand,
					  size_t nc, const struct obl_compare_options *opt,
					  struct obl_comparison *out, struct obl_error *err);

/* Adjusts the p-values of rows[0..n) as one family and sets every verdict. */
int obl_compare_finish(struct obl_comparison *rows, size_t n,
		       const struct obl_compare_options *opt);
/* The same for the rows of rows[0..n) of one family (the others are left as they are): a
 * family picked out of a longer list, in place. `gating` 1: the gating rows of single
 * scenarios, 0: the informational ones, 2: the rows across scenarios (whatever their gating
 * flag says), -1: all rows. */
int obl_compare_finish_family(struct obl_comparison *rows, size_t n, int gating,
			      const struct obl_compare_options *opt);

/* ---- What rows add up to (summary.c, gate.c) --------------------------------------- */

/* Counts of each verdict over paired rows; counts has one slot per enum obl_verdict. */
void obl_count_verdicts(const struct obl_comparison *rows, size_t n, size_t counts[5]);
/* Geometric mean of candidate/baseline over paired rows of one metric and statistic, from
 * rows[0..n) of the same candidate; returns the number of rows used (0: none). */
size_t obl_geomean(const struct obl_comparison *rows, size_t n, const char *metric,
		   const char *stat, const char *candidate, double *ratio);
/* 1 if any gating row is worse (the comparison fails the gate). */
int obl_rows_regressed(const struct obl_comparison *rows, size_t n);
/* The gate's decision, the tools' exit status: 1 if a gating row is worse or, with strict, a
 * gating row is inconclusive; else 0. */
int obl_gate_fails(const struct obl_comparison *rows, size_t n, int strict);
/* 1 when every gating row with a test has a smallest reachable adjusted p-value above alpha:
 * whatever the data, this gate cannot fail. */
int obl_gate_cannot_fail(const struct obl_comparison *rows, size_t n);

/* The method auto chooses for these sizes and values (see obl-compare(1)). */
enum obl_method obl_compare_auto_method(const double *base, size_t nb, const double *cand,
					size_t nc);

#endif
