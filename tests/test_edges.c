/*
 * test_edges.c - verdicts at the edges (issue #14), by simulation with fixed seeds and
 * against reference values:
 *  - the repetitions-needed hint: at the hinted n, at least 60% of simulated comparisons are
 *    conclusive (better, worse or same); at a third of it, clearly fewer;
 *  - proportions: the hint for 100% against 100% is where the interval fits the threshold;
 *  - Welch's test across scenarios (scenarios as blocks): A/A false alarms within the
 *    binomial band around alpha, and its interval covers a uniform change;
 *  - no variance: certain verdicts; one value a side: no test.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"
#include "check.h"

/* Share of `reps` simulated comparisons, n log-normal values a side with log sd sigma and a
 * true log ratio d, that end better, worse or same. */
static double conclusive_share(gsl_rng *r, double d, double sigma, size_t n, int reps)
{
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	struct obl_compare_options co = obl_compare_defaults();
	int conclusive = 0;
	for (int k = 0; k < reps; k++) {
		for (size_t i = 0; i < n; i++) {
			x[i] = exp(4 + gsl_ran_gaussian(r, sigma));
			y[i] = exp(4 + d + gsl_ran_gaussian(r, sigma));
		}
		struct obl_comparison row;
		struct obl_error err;
		co.method = OBL_METHOD_WELCH_LOG;
		if (obl_compare_samples(x, n, y, n, &co, &row, &err) ||
		    obl_compare_finish(&row, 1, &co))
			continue;
		conclusive += row.verdict != OBL_VERDICT_INCONCLUSIVE;
	}
	free(x);
	free(y);
	return (double)conclusive / reps;
}

static void hints(gsl_rng *r)
{
	/* true change, log sd: inside the threshold (needs "same"), beyond it (needs "worse"),
	 * below it (needs "better"), and repetition-like spreads */
	const struct {
		double ratio, sigma;
	} cases[] = { { 1.00, 0.05 }, { 1.10, 0.10 }, { 0.95, 0.06 }, { 1.005, 0.02 }, { 1.06, 0.15 } };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double d = log(cases[i].ratio), s = cases[i].sigma;
		/* What obl computes for a row: unit variance 2 sigma^2 (equal sides), alpha of a
		 * family of one, 95% intervals, 80% power. */
		double n = stats_needed_per_side(d, 2 * s * s, 0.02, 0.05, 0.95, 0.8);
		if (!check(isfinite(n) && n >= 2, "hint for x%.3f, log sd %.2f: %.0f per side",
			   cases[i].ratio, s, n))
			continue;
		double at = conclusive_share(r, d, s, (size_t)n, 400);
		size_t third = (size_t)ceil(n / 3) < 2 ? 2 : (size_t)ceil(n / 3);
		double at_third = conclusive_share(r, d, s, third, 400);
		check(at >= 0.6, "x%.3f, log sd %.2f: %.1f%% conclusive at the hinted %.0f per side "
				 "(at least 60%%)",
		      cases[i].ratio, s, 100 * at, n);
		check(at_third <= at - 0.2, "x%.3f, log sd %.2f: %.1f%% conclusive at a third (%zu), "
					    "clearly fewer than %.1f%%",
		      cases[i].ratio, s, 100 * at_third, third, 100 * at);
	}
}

static void proportion_hint(void)
{
	struct obl_compare_options co = obl_compare_defaults();
	struct obl_comparison row;
	struct obl_error err;
	MUST(obl_compare_proportions(80, 80, 80, 80, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_INCONCLUSIVE && row.needed_n == 189,
	      "100%% against 100%% over 80 trials: inconclusive, ~189 per side (got %.0f)",
	      row.needed_n);
	MUST(obl_compare_proportions(189, 189, 189, 189, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_SAME, "at 189 per side it is settled: same (got %s)",
	      obl_verdict_names[row.verdict]);
	MUST(obl_compare_proportions(188, 188, 188, 188, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_INCONCLUSIVE, "at 188 it is not yet (got %s)",
	      obl_verdict_names[row.verdict]);
	check(row.relative.ci_low >= -1, "a rate's relative interval stops at -100%%");
}

/* The band of rejection counts a correct level-0.05 test stays in with probability 99.9%. */
static void band(int reps, int *lo, int *hi)
{
	*lo = 0;
	while (gsl_cdf_binomial_P((unsigned)*lo, 0.05, (unsigned)reps) < 0.0005)
		(*lo)++;
	*hi = reps;
	while (*hi > 0 && gsl_cdf_binomial_Q((unsigned)(*hi - 1), 0.05, (unsigned)reps) < 0.0005)
		(*hi)--;
}

static void blocked(gsl_rng *r)
{
	enum { BLOCKS = 5,
	       N = 5,
	       REPS = 2000 };
	/* Scenarios with different spreads (log sd 0.03 to 0.2). */
	const double sd[BLOCKS] = { 0.03, 0.05, 0.1, 0.15, 0.2 };
	double xs[BLOCKS][N], ys[BLOCKS][N];
	const double *x[BLOCKS], *y[BLOCKS];
	size_t nx[BLOCKS], ny[BLOCKS];
	for (int b = 0; b < BLOCKS; b++) {
		x[b] = xs[b];
		y[b] = ys[b];
		nx[b] = ny[b] = N;
	}
	int reject = 0, cover = 0, detect = 0, single[BLOCKS] = { 0 };
	for (int k = 0; k < REPS; k++) {
		struct stats_ttest t;
		for (int b = 0; b < BLOCKS; b++)
			for (int i = 0; i < N; i++) {
				xs[b][i] = b + gsl_ran_gaussian(r, sd[b]);
				ys[b][i] = b + gsl_ran_gaussian(r, sd[b]);
			}
		stats_blocked_welch_t(x, nx, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t);
		reject += t.p_value < 0.05;
		for (int b = 0; b < BLOCKS; b++)
			for (int i = 0; i < N; i++)
				xs[b][i] += log(1.10);
		stats_blocked_welch_t(x, nx, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t);
		cover += t.ci_low <= log(1.10) && log(1.10) <= t.ci_high;
		detect += t.p_value < 0.05;
		for (int b = 0; b < BLOCKS; b++) {
			stats_welch_t(xs[b], N, ys[b], N, STATS_TWO_SIDED, 0.95, 0, &t);
			single[b] += t.p_value < 0.05;
		}
	}
	int lo, hi;
	band(REPS, &lo, &hi);
	check(reject >= lo && reject <= hi,
	      "across 5 scenarios (log sd 0.03-0.2), 5 v 5: A/A rejects %.2f%% at alpha 5%% "
	      "(band %.2f%%-%.2f%%)",
	      100.0 * reject / REPS, 100.0 * lo / REPS, 100.0 * hi / REPS);
	check(cover >= 0.935 * REPS && cover <= 0.965 * REPS,
	      "across scenarios: the 95%% interval covers a uniform x1.10 in %.2f%%",
	      100.0 * cover / REPS);
	/* The point of the row: a 10% slowdown in every scenario, which the noisier ones alone
	 * cannot show, is seen more often than in the middle scenario alone (log sd 0.1). The
	 * mean is unweighted (the geometric mean over scenarios), so the noisiest scenario
	 * limits it: it does not beat the quietest ones. */
	check(detect > single[2], "across scenarios: a uniform x1.10 is detected in %.1f%%, the "
				  "middle scenario alone in %.1f%%",
	      100.0 * detect / REPS, 100.0 * single[2] / REPS);
	/* Input checks. */
	struct stats_ttest t;
	size_t one[BLOCKS] = { 1, 5, 5, 5, 5 };
	check(stats_blocked_welch_t(x, one, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t) ==
		      STATS_EINVAL,
	      "across scenarios: a block with one value a side is refused");
	/* One block: Welch's test itself. */
	struct stats_ttest w;
	stats_blocked_welch_t(x, nx, y, ny, 1, STATS_TWO_SIDED, 0.95, &t);
	stats_welch_t(xs[0], N, ys[0], N, STATS_TWO_SIDED, 0.95, 0, &w);
	check(fabs(t.p_value - w.p_value) < 1e-12 && fabs(t.df - w.df) < 1e-9,
	      "across one scenario: Welch's t (p %.6g = %.6g, df %.4f = %.4f)", t.p_value,
	      w.p_value, t.df, w.df);
}

/* Repetitions that share a run's state across scenarios (repetition r slow or fast in every
 * scenario at once, as the H100 runs' warm-up): the test across scenarios that keeps
 * repetition r together stays calibrated; taking scenarios as independent does not. */
static void shared_repetitions(gsl_rng *r)
{
	enum { BLOCKS = 5,
	       N = 5,
	       REPS = 2000 };
	double xs[BLOCKS][N], ys[BLOCKS][N];
	const double *x[BLOCKS], *y[BLOCKS];
	size_t nx[BLOCKS], ny[BLOCKS];
	for (int b = 0; b < BLOCKS; b++) {
		x[b] = xs[b];
		y[b] = ys[b];
		nx[b] = ny[b] = N;
	}
	int by_rep = 0, by_block = 0;
	for (int k = 0; k < REPS; k++) {
		double ux[N], uy[N];
		for (int i = 0; i < N; i++) {
			ux[i] = gsl_ran_gaussian(r, 0.1);
			uy[i] = gsl_ran_gaussian(r, 0.1);
		}
		for (int b = 0; b < BLOCKS; b++)
			for (int i = 0; i < N; i++) {
				xs[b][i] = b + ux[i] + gsl_ran_gaussian(r, 0.05);
				ys[b][i] = b + uy[i] + gsl_ran_gaussian(r, 0.05);
			}
		struct stats_ttest t;
		stats_repetition_welch_t(x, nx, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t);
		by_rep += t.p_value < 0.05;
		stats_blocked_welch_t(x, nx, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t);
		by_block += t.p_value < 0.05;
	}
	int lo, hi;
	band(REPS, &lo, &hi);
	check(by_rep >= lo && by_rep <= hi,
	      "repetitions shared across scenarios: the test by repetition rejects %.2f%% of A/A "
	      "(band %.2f%%-%.2f%%)",
	      100.0 * by_rep / REPS, 100.0 * lo / REPS, 100.0 * hi / REPS);
	check(by_block > hi, "... where scenarios taken as independent reject %.2f%%: why obl "
			     "does not",
	      100.0 * by_block / REPS);
	struct stats_ttest t, w;
	stats_repetition_welch_t(x, nx, y, ny, 1, STATS_TWO_SIDED, 0.95, &t);
	stats_welch_t(xs[0], N, ys[0], N, STATS_TWO_SIDED, 0.95, 0, &w);
	check(t.p_value == w.p_value && t.estimate == w.estimate,
	      "by repetition across one scenario: Welch's t itself");
	size_t three[BLOCKS] = { 3, 5, 5, 5, 5 };
	stats_repetition_welch_t(x, three, y, ny, BLOCKS, STATS_TWO_SIDED, 0.95, &t);
	check(t.df < 8, "by repetition: the side's repetitions are the fewest any scenario has "
			"(df %.2f with 3 against 5)",
	      t.df);
}

static void no_variance(void)
{
	struct obl_compare_options co = obl_compare_defaults();
	struct obl_comparison row;
	struct obl_error err;
	const double a[] = { 3.2, 3.2, 3.2, 3.2, 3.2 }, b[] = { 6.4, 6.4, 6.4, 6.4, 6.4 };
	MUST(obl_compare_samples(a, 5, b, 5, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_WORSE && row.no_variance &&
		      row.candidate.center / row.baseline.center - 1 == row.relative.estimate,
	      "five 3.2 against five 6.4: worse, no variance, change %+.0f%%",
	      100 * row.relative.estimate);
	co.direction = OBL_HIGHER_IS_BETTER;
	MUST(obl_compare_samples(a, 5, b, 5, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_BETTER, "the same, higher is better: better");
	co.direction = OBL_LOWER_IS_BETTER;
	const double c[] = { 3.21, 3.21, 3.21 };
	MUST(obl_compare_samples(a, 5, c, 3, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_SAME, "3.2 against 3.21 (0.3%%, within 2%%): same");
	MUST(obl_compare_samples(a, 1, b, 1, &co, &row, &err));
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_NO_TEST, "one value a side: no test");
}

/* Reference values kept outside the project: R 4.x, binom.test(123456, 1e6)$conf.int. */
static void large_counts(void)
{
	struct stats_interval ci, w;
	stats_clopper_pearson_ci(123456, 1e6, 0.95, STATS_TWO_SIDED, &ci);
	check(fabs(ci.ci_low / 0.12281184162962973 - 1) < 1e-14 &&
		      fabs(ci.ci_high / 0.12410234027680267 - 1) < 1e-14,
	      "Clopper-Pearson 123456 of 1e6: [%.17g, %.17g] (R: [0.12281184162962973, "
	      "0.12410234027680267])",
	      ci.ci_low, ci.ci_high);
	const double xs[] = { 1, 123456789, 5e8, 999999999 };
	for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
		double x = xs[i], n = 1e9;
		struct stats_interval mirror;
		int rc = stats_clopper_pearson_ci(x, n, 0.95, STATS_TWO_SIDED, &ci);
		stats_clopper_pearson_ci(n - x, n, 0.95, STATS_TWO_SIDED, &mirror);
		stats_wilson_ci(x, n, 0.95, STATS_TWO_SIDED, 0, &w);
		/* The exact interval of x is the mirror of n - x's; far from 0 and 1 the score
		 * interval agrees with it to within its own approximation (1e-8 at n = 1e9). */
		double tol = x > 1e3 && n - x > 1e3 ? 1e-8 : 1e-9;
		check(rc == STATS_OK && isfinite(ci.ci_low) && isfinite(ci.ci_high) &&
			      ci.ci_low < x / n && x / n < ci.ci_high &&
			      fabs(ci.ci_low - (1 - mirror.ci_high)) < 1e-15 &&
			      fabs(ci.ci_high - (1 - mirror.ci_low)) < 1e-15 &&
			      fabs(ci.ci_low - w.ci_low) < tol && fabs(ci.ci_high - w.ci_high) < tol,
		      "Clopper-Pearson %.0f of 1e9: [%.17g, %.17g], mirrors %.0f, near Wilson", x,
		      ci.ci_low, ci.ci_high, n - x);
	}
	struct obl_compare_options co = obl_compare_defaults();
	struct obl_comparison row;
	struct obl_error err;
	int rc = obl_compare_proportions(999e6, 1e9, 998e6, 1e9, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(rc == OBL_OK && row.method == OBL_METHOD_CHI_SQUARED && row.p_value < 1e-10 &&
		      row.verdict == OBL_VERDICT_SAME,
	      "a billion trials a side: chi-squared (Fisher's sum would take seconds), -0.1%% is "
	      "significant but within 2%%: same");
}

static void near_dbl_max(void)
{
	const double x[] = { 1.0e308, 1.1e308, 1.2e308, 1.3e308 };
	struct stats_summary s;
	stats_summary(x, 4, &s);
	check(fabs(s.sd / 1.2909944487358056e307 - 1) < 1e-14 && fabs(s.median / 1.15e308 - 1) < 1e-15,
	      "values near 1e308: sd %.17g (finite), median %.17g", s.sd, s.median);
	const double y[] = { 1.5e308, 1.6e308, 1.7e308, 1.75e308 };
	double xs[4], ys[4];
	for (int i = 0; i < 4; i++)
		xs[i] = x[i] * 1e-300, ys[i] = y[i] * 1e-300;
	struct stats_ttest big, small;
	int rc = stats_welch_t(y, 4, x, 4, STATS_TWO_SIDED, 0.95, 0, &big);
	stats_welch_t(ys, 4, xs, 4, STATS_TWO_SIDED, 0.95, 0, &small);
	check(rc == STATS_OK && fabs(big.p_value / small.p_value - 1) < 1e-12 &&
		      fabs(big.estimate / (small.estimate * 1e300) - 1) < 1e-12,
	      "Welch near 1e308: p %.6g as on the data scaled down (%.6g)", big.p_value,
	      small.p_value);
}

/* NIST StRD univariate summary statistics: NumAcc1-4, whose values are defined by their
 * construction (a centre value, then pairs below and above it), with certified lag-1
 * autocorrelation coefficients -0.5 and -0.999 (exact). The digits a double can keep shrink
 * with the magnitude: NumAcc4's 10000000.1 is off by 1e-9, 1e-8 of its deviation. */
static void nist_autocorrelation(void)
{
	const struct {
		const char *name;
		double centre, step;
		size_t pairs;
		double certified, tol;
	} sets[] = { { "NumAcc2", 1.2, 0.1, 500, -0.999, 1e-13 },
		     { "NumAcc3", 1000000.2, 0.1, 500, -0.999, 1e-8 },
		     { "NumAcc4", 10000000.2, 0.1, 500, -0.999, 1e-7 } };
	const double numacc1[] = { 10000001, 10000003, 10000002 };
	double r = stats_autocorr_lag1(numacc1, 3);
	check(r == -0.5, "NIST NumAcc1: lag-1 autocorrelation %.17g (certified -0.5)", r);
	for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
		size_t n = 1 + 2 * sets[k].pairs;
		double *x = malloc(n * sizeof *x);
		x[0] = sets[k].centre;
		for (size_t i = 0; i < sets[k].pairs; i++) {
			x[1 + 2 * i] = sets[k].centre - sets[k].step;
			x[2 + 2 * i] = sets[k].centre + sets[k].step;
		}
		r = stats_autocorr_lag1(x, n);
		check(fabs(r / sets[k].certified - 1) < sets[k].tol,
		      "NIST %s: lag-1 autocorrelation %.17g (certified %g, relative error %.1e)",
		      sets[k].name, r, sets[k].certified, fabs(r / sets[k].certified - 1));
		free(x);
	}
	const double flat[] = { 2, 2, 2, 2 };
	check(isnan(stats_autocorr_lag1(flat, 4)) && isnan(stats_autocorr_lag1(numacc1, 2)),
	      "lag-1 autocorrelation: NaN without spread or with fewer than 3 values");
	/* An AR(1) series with phi 0.6 (fixed seed): the estimate is near 0.6. */
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(g, 1);
	double *y = malloc(20000 * sizeof *y), prev = 0;
	for (size_t i = 0; i < 20000; i++)
		y[i] = prev = 0.6 * prev + gsl_ran_gaussian(g, 1);
	r = stats_autocorr_lag1(y, 20000);
	check(fabs(r - 0.6) < 0.02, "AR(1) with phi 0.6: lag-1 autocorrelation %.4f", r);
	free(y);
	gsl_rng_free(g);
}

int main(void)
{
	gsl_set_error_handler_off();
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 14);
	hints(r);
	proportion_hint();
	blocked(r);
	shared_repetitions(r);
	no_variance();
	large_counts();
	near_dbl_max();
	nist_autocorrelation();
	gsl_rng_free(r);
	return check_failures != 0;
}
