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
	} cases[] = { { 1.00, 0.05 }, { 1.10, 0.10 }, { 0.95, 0.06 }, { 1.005, 0.02 },
		      { 1.06, 0.15 } };
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
	obl_compare_proportions(80, 80, 80, 80, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_INCONCLUSIVE && row.needed_n == 189,
	      "100%% against 100%% over 80 trials: inconclusive, ~189 per side (got %.0f)",
	      row.needed_n);
	obl_compare_proportions(189, 189, 189, 189, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_SAME, "at 189 per side it is settled: same (got %s)",
	      obl_verdict_names[row.verdict]);
	obl_compare_proportions(188, 188, 188, 188, &co, &row, &err);
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
	enum { BLOCKS = 5, N = 5, REPS = 2000 };
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

static void no_variance(void)
{
	struct obl_compare_options co = obl_compare_defaults();
	struct obl_comparison row;
	struct obl_error err;
	const double a[] = { 3.2, 3.2, 3.2, 3.2, 3.2 }, b[] = { 6.4, 6.4, 6.4, 6.4, 6.4 };
	obl_compare_samples(a, 5, b, 5, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_WORSE && row.no_variance &&
		      row.candidate.center / row.baseline.center - 1 == row.relative.estimate,
	      "five 3.2 against five 6.4: worse, no variance, change %+.0f%%",
	      100 * row.relative.estimate);
	co.direction = OBL_HIGHER_IS_BETTER;
	obl_compare_samples(a, 5, b, 5, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_BETTER, "the same, higher is better: better");
	co.direction = OBL_LOWER_IS_BETTER;
	const double c[] = { 3.21, 3.21, 3.21 };
	obl_compare_samples(a, 5, c, 3, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_SAME, "3.2 against 3.21 (0.3%%, within 2%%): same");
	obl_compare_samples(a, 1, b, 1, &co, &row, &err);
	obl_compare_finish(&row, 1, &co);
	check(row.verdict == OBL_VERDICT_NO_TEST, "one value a side: no test");
}

int main(void)
{
	gsl_set_error_handler_off();
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 14);
	hints(r);
	proportion_hint();
	blocked(r);
	no_variance();
	gsl_rng_free(r);
	return check_failures != 0;
}
