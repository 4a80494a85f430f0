/*
 * test_calibration.c - are obl's tests and intervals honest? By simulation, with fixed seeds.
 *
 * For Welch's t on log values (repetition-level comparisons), Mann-Whitney with the
 * Hodges-Lehmann interval (request-level) and the percentile bootstrap of a ratio of
 * medians, on normal, lognormal and heavy-tailed (Pareto) data:
 *  - A/A: both samples from one distribution; the test at alpha = 0.05 must reject at a
 *    rate inside the binomial 99.9% band around 5% for the number of replications;
 *  - coverage: the candidate scaled by 1.05 (or shifted by +5 for Mann-Whitney); the 95%
 *    interval must contain the true ratio (shift) in 93.5% to 96.5% of replications.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "check.h"

enum { REPLICATIONS = 2000 };

enum distribution { NORMAL,
		    LOGNORMAL,
		    HEAVY };
static const char *const distribution_names[] = { "normal", "lognormal", "heavy-tailed" };

static double draw(gsl_rng *r, enum distribution d)
{
	switch (d) {
	case NORMAL: return 100 + gsl_ran_gaussian(r, 5);
	case LOGNORMAL: return gsl_ran_lognormal(r, 4.6, 0.3);
	default: return gsl_ran_pareto(r, 3, 50); /* tail index 3: heavy, finite variance */
	}
}

static void fill(gsl_rng *r, enum distribution d, double *v, size_t n, double scale, double shift)
{
	for (size_t i = 0; i < n; i++)
		v[i] = draw(r, d) * scale + shift;
}

/* The band of rejection counts that a correct level-0.05 test stays in with prob. 99.9%. */
static void band(int reps, int *lo, int *hi)
{
	*lo = 0;
	while (gsl_cdf_binomial_P((unsigned)*lo, 0.05, (unsigned)reps) < 0.0005)
		(*lo)++;
	*hi = reps;
	while (*hi > 0 && gsl_cdf_binomial_Q((unsigned)(*hi - 1), 0.05, (unsigned)reps) < 0.0005)
		(*hi)--;
}

static void report(const char *method, enum distribution d, int rejections, int covered)
{
	int lo, hi;
	band(REPLICATIONS, &lo, &hi);
	check(rejections >= lo && rejections <= hi,
	      "%s A/A on %s data: rejects %.2f%% at alpha 5%% (band %.2f%%-%.2f%%)", method,
	      distribution_names[d], 100.0 * rejections / REPLICATIONS, 100.0 * lo / REPLICATIONS,
	      100.0 * hi / REPLICATIONS);
	double c = (double)covered / REPLICATIONS;
	check(c >= 0.935 && c <= 0.965, "%s on %s data: 95%% interval covers the truth %.2f%%",
	      method, distribution_names[d], 100 * c);
}

/* Welch on logs; strict: assert the band, else assert only that it errs on the safe side
 * (at most the nominal false-alarm rate, at least the nominal coverage). */
static void welch_log(gsl_rng *r, enum distribution d, size_t n, int strict)
{
	double x[64], y[64];
	int reject = 0, cover = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++) {
		struct stats_ttest t;
		fill(r, d, x, n, 1, 0);
		fill(r, d, y, n, 1, 0);
		for (size_t i = 0; i < n; i++)
			x[i] = log(x[i]), y[i] = log(y[i]);
		stats_welch_t(x, n, y, n, STATS_TWO_SIDED, 0.95, 0, &t);
		reject += t.p_value < 0.05;
		fill(r, d, x, n, 1.05, 0);
		fill(r, d, y, n, 1, 0);
		for (size_t i = 0; i < n; i++)
			x[i] = log(x[i]), y[i] = log(y[i]);
		stats_welch_t(x, n, y, n, STATS_TWO_SIDED, 0.95, 0, &t);
		cover += exp(t.ci_low) <= 1.05 && 1.05 <= exp(t.ci_high);
	}
	char name[64];
	snprintf(name, sizeof name, "Welch on logs (n=%zu)", n);
	if (strict) {
		report(name, d, reject, cover);
		return;
	}
	int lo, hi;
	band(REPLICATIONS, &lo, &hi);
	check(reject <= hi, "%s A/A on %s data: rejects %.2f%%, not above the band (%.2f%%)", name,
	      distribution_names[d], 100.0 * reject / REPLICATIONS, 100.0 * hi / REPLICATIONS);
	check(cover >= 0.935 * REPLICATIONS, "%s on %s data: covers %.2f%%, at least 93.5%%",
	      name, distribution_names[d], 100.0 * cover / REPLICATIONS);
}

static void mann_whitney(gsl_rng *r, enum distribution d, size_t n)
{
	double x[128], y[128];
	int reject = 0, cover = 0;
	struct stats_rank_options o = stats_rank_defaults();
	for (int rep = 0; rep < REPLICATIONS; rep++) {
		struct stats_rank_test t;
		fill(r, d, x, n, 1, 0);
		fill(r, d, y, n, 1, 0);
		o.conf_int = 0;
		stats_mann_whitney(x, n, y, n, &o, &t);
		reject += t.p_value < 0.05;
		fill(r, d, x, n, 1, 5);
		fill(r, d, y, n, 1, 0);
		o.conf_int = 1;
		stats_mann_whitney(x, n, y, n, &o, &t);
		cover += t.ci_low <= 5 && 5 <= t.ci_high;
	}
	char name[64];
	snprintf(name, sizeof name, "Mann-Whitney/Hodges-Lehmann (n=%zu)", n);
	report(name, d, reject, cover);
}

static double log_ratio_of_medians(double *x, size_t nx, double *y, size_t ny, void *ctx)
{
	(void)ctx;
	return log(stats_quantile_select(x, nx, 0.5, 7) / stats_quantile_select(y, ny, 0.5, 7));
}

static void bootstrap(gsl_rng *r, enum distribution d, size_t n, size_t B)
{
	double x[256], y[256];
	int reject = 0, cover = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++) {
		struct stats_bootstrap b;
		fill(r, d, x, n, 1, 0);
		fill(r, d, y, n, 1, 0);
		stats_bootstrap2(x, n, y, n, log_ratio_of_medians, NULL, B, 0.95,
				 STATS_BOOT_PERCENTILE, (uint64_t)rep, &b);
		reject += !(b.ci_low <= 0 && 0 <= b.ci_high);
		fill(r, d, x, n, 1.05, 0);
		fill(r, d, y, n, 1, 0);
		stats_bootstrap2(x, n, y, n, log_ratio_of_medians, NULL, B, 0.95,
				 STATS_BOOT_PERCENTILE, (uint64_t)rep + 1000000, &b);
		cover += b.ci_low <= log(1.05) && log(1.05) <= b.ci_high;
	}
	char name[64];
	snprintf(name, sizeof name, "bootstrap ratio of medians (n=%zu, B=%zu)", n, B);
	report(name, d, reject, cover);
}

int main(void)
{
	gsl_set_error_handler_off();
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 4242);
	for (int d = NORMAL; d <= HEAVY; d++) {
		/* Five repetitions per side is the common case. On Pareto data the logs are
		 * exponential (skewed) and Welch at n = 5 is conservative (seen: 3.05% false alarms,
		 * 97.45% coverage): safe for a gate, so asserted one-sided; at n = 10 it is
		 * calibrated and held to the band. */
		welch_log(r, (enum distribution)d, 5, d != HEAVY);
		welch_log(r, (enum distribution)d, 10, 1);
		mann_whitney(r, (enum distribution)d, 20);
		mann_whitney(r, (enum distribution)d, 60);
		bootstrap(r, (enum distribution)d, 100, 400);
	}
	gsl_rng_free(r);
	return check_failures != 0;
}
