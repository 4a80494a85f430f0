/*
 * stats.h - libstats: statistics on arrays of doubles for obl.
 *
 * Pure functions: no I/O, no globals, no printing, never abort. Every function that
 * can fail returns a status (STATS_OK or a negative STATS_E* code) and fills an
 * out-parameter; on failure the out-parameter's numeric fields are NaN.
 * Inputs are never modified; functions that need sorted data copy it.
 * Definitions follow R 4.2.2 (stats package); tests/data/oracle/README.md gives
 * each one precisely, and tests/test_oracle.c checks them against R's values.
 *
 * Conventions: x is the first sample and y the second; differences are x - y and
 * ratios x / y (for a relative change candidate / baseline - 1, pass the candidate as x).
 */
#ifndef OBL_STATS_H
#define OBL_STATS_H

#include <stddef.h>
#include <stdint.h>

enum stats_status {
	STATS_OK = 0,
	STATS_EINVAL = -1,     /* argument out of its domain (n too small, p not in (0,1), ...) */
	STATS_ENOMEM = -2,     /* allocation failed */
	STATS_EZEROVAR = -3,   /* no variance: the statistic is undefined (R stops or gives NaN) */
	STATS_ENONFINITE = -4, /* NaN or infinity in the data */
};

/* A short English description of a status code; never NULL. */
const char *stats_strerror(int status);

/* Once, at the start of a program, before any thread: GSL (which libstats uses) then returns
 * its error codes instead of aborting, so that every libstats function can return a status. */
void stats_setup(void);

enum stats_alternative {
	STATS_TWO_SIDED = 0,
	STATS_LESS,    /* H1: location of x below y (or below mu) */
	STATS_GREATER, /* H1: location of x above y (or above mu) */
};

/* ---- Sorting and order statistics (summary.c) ------------------------------- */

/* Sorts x[0..n) ascending in place (radix sort on the IEEE bit pattern: O(n), stable).
 * NaNs must not be present. Returns STATS_ENOMEM if scratch space cannot be allocated. */
int stats_sort(double *x, size_t n);

/* Sample quantile of sorted[0..n) at probability p in [0,1], Hyndman-Fan type 1, 7 or 8
 * (R's quantile(type=)). Returns NaN for n == 0, a bad type or p outside [0,1]. */
double stats_quantile_sorted(const double *sorted, size_t n, double p, int type);

/* The same quantile of unsorted x[0..n), found by selection in O(n); x is reordered.
 * For statistics evaluated many times, such as inside a bootstrap. */
double stats_quantile_select(double *x, size_t n, double p, int type);

/* The quantiles p[0..np) of x[0..n) into out[0..np), as stats_quantile_select finds them
 * (the same order statistics, the same interpolation), with x left as it is and little
 * memory: a histogram of the values' top bits locates each order statistic, and only the
 * values in those bins are gathered and sorted (a copy and selection when they are many).
 * Returns STATS_OK or STATS_ENOMEM. */
int stats_quantiles_keep(const double *x, size_t n, const double *p, size_t np, int type,
			 double *out);

struct stats_summary {
	size_t n;
	double mean, variance, sd; /* variance with divisor n - 1; NaN when n == 1 */
	double min, max, median;
};

/* Summary statistics of x[0..n) (two-pass mean and variance, accurate for data far from 0).
 * Fails with STATS_EINVAL if n == 0 and STATS_ENONFINITE if any value is not finite. */
int stats_summary(const double *x, size_t n, struct stats_summary *out);

/* The same from data already sorted ascending (no copy: cheap for large n). */
int stats_summary_sorted(const double *sorted, size_t n, struct stats_summary *out);

/* The lag-1 autocorrelation coefficient of x[0..n) in the order given, as NIST StRD defines
 * it: sum (x[i] - m)(x[i+1] - m) over sum (x[i] - m)^2. NaN when n < 3, a value is not
 * finite, or the values do not vary. */
double stats_autocorr_lag1(const double *x, size_t n);

/* ---- t procedures (ttest.c) ---------------------------------------------------- */

struct stats_ttest {
	double statistic, df, p_value;
	double estimate; /* mean (one-sample), mean(x) - mean(y), or mean(x - y) */
	double std_error;
	double ci_low, ci_high; /* one-sided tests have one infinite end */
	double mean_x, mean_y;  /* two-sample tests only; NaN otherwise */
};

/* One-sample t test of mean(x) == mu and the t interval of the mean. */
int stats_t_one_sample(const double *x, size_t n, enum stats_alternative alt,
		       double conf_level, double mu, struct stats_ttest *out);
/* Welch's unequal-variance t test (Welch-Satterthwaite df). */
int stats_welch_t(const double *x, size_t nx, const double *y, size_t ny,
		  enum stats_alternative alt, double conf_level, double mu, struct stats_ttest *out);
/* Student's two-sample t test with pooled variance. */
int stats_student_t(const double *x, size_t nx, const double *y, size_t ny,
		    enum stats_alternative alt, double conf_level, double mu, struct stats_ttest *out);
/* Paired t test on d = x - y (nx == ny required). */
int stats_paired_t(const double *x, const double *y, size_t n, enum stats_alternative alt,
		   double conf_level, double mu, struct stats_ttest *out);
/* Welch's test across blocks (e.g. the scenarios of a benchmark, on log values): the
 * unweighted mean over blocks of mean(x[b]) - mean(y[b]), its standard error from every
 * block's own variances, and Satterthwaite's df over all 2 * blocks variance components.
 * mean_x and mean_y are the means over blocks of each side's block means. Each block needs
 * two values a side; STATS_EZEROVAR when no block has spread. */
int stats_blocked_welch_t(const double *const *x, const size_t *nx, const double *const *y,
			  const size_t *ny, size_t blocks, enum stats_alternative alt,
			  double conf_level, struct stats_ttest *out);
/* Welch's test of repetitions across blocks: repetition r of every block together (its mean
 * over the blocks), the first min(nx[b]) repetitions of x against the first min(ny[b]) of y.
 * Repetitions of one run share its state across blocks (warm-up, a slow machine), which
 * stats_blocked_welch_t takes for independent: this keeps them together. Needs two
 * repetitions a side in every block. */
int stats_repetition_welch_t(const double *const *x, const size_t *nx, const double *const *y,
			     const size_t *ny, size_t blocks, enum stats_alternative alt,
			     double conf_level, struct stats_ttest *out);
/* One new value x_new against the n values of x (n >= 2): the Student prediction interval,
 * estimate x_new - mean(x), standard error sd(x) sqrt(1 + 1/n), n - 1 df; mean_x is x_new,
 * mean_y mean(x). STATS_EZEROVAR when x has no spread. */
int stats_t_prediction(const double *x, size_t n, double x_new, enum stats_alternative alt,
		       double conf_level, struct stats_ttest *out);
/* Welch (var_equal == 0) or Student (var_equal != 0) test from summary statistics. */
int stats_welch_t_summary(double mean_x, double sd_x, double n_x, double mean_y, double sd_y,
			  double n_y, int var_equal, enum stats_alternative alt,
			  double conf_level, double mu, struct stats_ttest *out);

/* Student's t quantile: the x with P(T <= x) = p for T with df degrees of freedom (NaN for p
 * outside (0, 1) or df <= 0). */
double stats_t_quantile(double p, double df);

/* ---- Rank tests (rank.c) -------------------------------------------------------- */

struct stats_rank_options {
	enum stats_alternative alternative;
	double conf_level;
	double mu;                      /* hypothesised shift (x - y, or median of x - y when paired) */
	int correct;                    /* continuity correction in the normal approximation */
	int exact;                      /* -1: R's rule (exact when n < 50 and no ties); 0: never; 1: always;
	                       * 2: exact also under ties when n < 50 (the null law of U given the
	                       * tie groups, as Go's benchstat computes it; rank-sum test only) */
	int conf_int;                   /* compute the Hodges-Lehmann estimate and interval */
	struct stats_rank_cache *cache; /* NULL, or null distributions to reuse (below) */
};

/* The exact null distribution of U for the last sample sizes (without ties) seen through
 * this cache: a comparison of a thousand benchmarks of 20 repetitions a side computes it
 * once instead of a thousand times. Zero-initialise it; release it with
 * stats_rank_cache_free. It belongs to its caller: one per thread. */
struct stats_rank_cache {
	size_t m, n, max;
	void *count;
	double total;
};
void stats_rank_cache_free(struct stats_rank_cache *c);

/* Defaults as R's wilcox.test: two-sided, 95%, mu 0, correct, exact auto, conf_int on. */
struct stats_rank_options stats_rank_defaults(void);

struct stats_rank_test {
	double statistic; /* Mann-Whitney: W = U of x; signed rank: V */
	double p_value;
	double z;        /* normal approximation only; NaN when exact */
	int exact;       /* 1 if the exact null distribution was used */
	size_t n_used;   /* signed rank: pairs left after dropping zero differences */
	int ci_ok;       /* 0 when the interval is undefined (all tied); fields NaN */
	double estimate; /* Hodges-Lehmann shift or pseudo-median */
	double ci_low, ci_high;
	double rank_low, rank_high; /* 1-based order statistics of the interval, NaN if infinite */
	double ci_conf_level;       /* achieved coverage */
	int conf_level_achievable;
};

/* Wilcoxon rank-sum / Mann-Whitney U test with the Hodges-Lehmann shift of x against y.
 * The estimate and interval never enumerate the nx*ny differences: they are order
 * statistics found by selection in the implicit sorted matrix (select.c). */
/* The smallest two-sided p-value the exact rank-sum law allows for samples of nx and ny
 * values without ties (both extreme arrangements): 2 / C(nx + ny, min(nx, ny)). */
double stats_mann_whitney_min_p(size_t nx, size_t ny);
int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		       const struct stats_rank_options *opt, struct stats_rank_test *out);

/* Wilcoxon signed-rank test on paired x, y (d = x - y - mu, zeros dropped). */
int stats_wilcoxon_signed_rank(const double *x, const double *y, size_t n,
			       const struct stats_rank_options *opt, struct stats_rank_test *out);

/* The k-th smallest (1-based) of the pairwise sums a[i] + b[j] for sorted a[0..na),
 * b[0..nb); with triangular != 0 (requires a == b, na == nb) only pairs j >= i count.
 * Expected O((na + nb) log(na + nb)) time; memory O(1) in na and nb (at most 8.5 MiB). */
int stats_select_pairwise_sum(const double *a, size_t na, const double *b, size_t nb,
			      int triangular, uint64_t k, double *out);
/* Several ranks k[0..nk) at once, sharing one work space (out[i] for k[i]). A rank right
 * after one already found (k[j] + 1) costs one O(na + nb) walk. */
int stats_select_pairwise_sums(const double *a, size_t na, const double *b, size_t nb,
			       int triangular, const uint64_t *k, size_t nk, double *out);
/* The same for the differences x[i] - y[j] of sorted x[0..nx), y[0..ny): the values the sums
 * with b = -y (reversed) would give, without that copy. */
int stats_select_pairwise_differences(const double *x, size_t nx, const double *y, size_t ny,
				      const uint64_t *k, size_t nk, double *out);

/* ---- Proportions (proportion.c) -------------------------------------------------- */

struct stats_interval {
	double estimate, ci_low, ci_high;
};

/* Wilson score interval for x successes of n; continuity correction as R's prop.test. */
int stats_wilson_ci(double x, double n, double conf_level, enum stats_alternative alt,
		    int continuity_correction, struct stats_interval *out);
/* Clopper-Pearson exact interval. */
int stats_clopper_pearson_ci(double x, double n, double conf_level, enum stats_alternative alt,
			     struct stats_interval *out);
/* Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998). */
int stats_newcombe_diff(double x1, double n1, double x2, double n2, double conf_level,
			struct stats_interval *out);

struct stats_prop_test {
	double statistic, df, p_value, z;
	double estimate1, estimate2, estimate; /* p1, p2, p1 - p2 */
	double ci_low, ci_high;
};

/* R's prop.test for two proportions (chi-squared, optional Yates correction). */
int stats_prop_test_2(double x1, double n1, double x2, double n2, enum stats_alternative alt,
		      double conf_level, int correct, struct stats_prop_test *out);

struct stats_fisher {
	double p_value;
	double estimate;          /* conditional MLE of the odds ratio */
	double ci_low, ci_high;   /* conditional exact limits */
	double sample_odds_ratio; /* a d / (b c) */
};

/* Fisher's exact test on the 2x2 table [[a, b], [c, d]] (rows: groups; cols: success, failure). */
int stats_fisher_exact(long a, long b, long c, long d, enum stats_alternative alt,
		       double conf_level, struct stats_fisher *out);

/* ---- Multiplicity (adjust.c) ----------------------------------------------------- */

enum stats_adjust_method { STATS_ADJUST_NONE,
			   STATS_ADJUST_HOLM,
			   STATS_ADJUST_BH,
			   STATS_ADJUST_BONFERRONI };

/* R's p.adjust: adjusted[i] for p[i], in input order. NaN p-values are left out of the
 * family and stay NaN. adjusted may alias p. */
int stats_p_adjust(const double *p, size_t n, enum stats_adjust_method method, double *adjusted);

/* ---- Quantile intervals and ratios (interval.c) ---------------------------------- */

struct stats_quantile_ci {
	size_t n, rank_low, rank_high; /* 1-based ranks of the order statistics */
	double estimate;               /* type-7 sample quantile */
	double ci_low, ci_high;
	double coverage; /* exact coverage of [x(rank_low), x(rank_high)] */
	int achievable;
};

/* Distribution-free equal-tailed interval for the p-quantile by order statistics. */
int stats_quantile_ci(const double *x, size_t n, double prob, double conf_level,
		      struct stats_quantile_ci *out);
/* The same on data already sorted ascending. */
int stats_quantile_ci_sorted(const double *sorted, size_t n, double prob, double conf_level,
			     struct stats_quantile_ci *out);

struct stats_fieller {
	double estimate, df, t_crit, g;
	int bounded; /* 0: the confidence set is unbounded; limits are NaN */
	double ci_low, ci_high;
};

/* The standard normal quantile at probability p in (0, 1) (R's qnorm(p)); NaN outside. */
double stats_normal_quantile(double p);

/* Fieller's interval for mean(x) / mean(y), independent samples, unequal variances. */
int stats_fieller_ratio(const double *x, size_t nx, const double *y, size_t ny,
			double conf_level, struct stats_fieller *out);

/* ---- Planning: how many values per side (power.c) ---------------------------------- */

/*
 * The probability that a two-sample comparison with n values per side ends conclusive under
 * obl's verdict rule, when the estimate of the log ratio is normal with mean d and variance
 * v / n: significant at level alpha (two-sided, t critical value with 2n - 2 df) and beyond
 * the threshold (log ratio above log1p(threshold) or below log1p(-threshold)), or its
 * interval at conf_level inside [log1p(-threshold), log1p(threshold)].
 */
double stats_conclusive_probability(double d, double v, double n, double threshold,
				    double alpha, double conf_level);
/* The smallest n >= 2 per side with stats_conclusive_probability >= power; NaN when there is
 * none up to 1e9 (a true change right at the threshold) or an argument is out of range. */
double stats_needed_per_side(double d, double v, double threshold, double alpha,
			     double conf_level, double power);

/* ---- Bootstrap (bootstrap.c) --------------------------------------------------- */

/* A statistic of one sample or of two samples; ctx is passed through. The arrays are
 * scratch copies the statistic may reorder. Returns NaN if undefined. */
typedef double (*stats_statistic1)(double *x, size_t n, void *ctx);
typedef double (*stats_statistic2)(double *x, size_t nx, double *y, size_t ny, void *ctx);

enum stats_bootstrap_method { STATS_BOOT_PERCENTILE,
			      STATS_BOOT_BCA };

struct stats_bootstrap {
	double estimate; /* the statistic on the original data */
	double ci_low, ci_high;
	double std_error;  /* sd of the bootstrap replicates */
	double bias;       /* mean of replicates - estimate */
	size_t replicates; /* replicates with a finite value */
};

/* Nonparametric bootstrap interval for stat(x), with B resamples drawn from a generator
 * seeded with seed (same seed, same result). BCa uses the jackknife for acceleration. */
int stats_bootstrap1(const double *x, size_t n, stats_statistic1 stat, void *ctx, size_t B,
		     double conf_level, enum stats_bootstrap_method method, uint64_t seed,
		     struct stats_bootstrap *out);
/* The two-sided p-value of "the statistic is 0" by the normal approximation with the bootstrap
 * standard error: 2 Q(|estimate| / std_error); without spread (std_error 0), 1 if the
 * estimate is 0 and 0 otherwise. */
double stats_bootstrap_p_normal(const struct stats_bootstrap *b);
/* The same for a two-sample statistic; x and y are resampled independently (strata). */
int stats_bootstrap2(const double *x, size_t nx, const double *y, size_t ny,
		     stats_statistic2 stat, void *ctx, size_t B, double conf_level,
		     enum stats_bootstrap_method method, uint64_t seed, struct stats_bootstrap *out);

#endif
