/*
 * bootstrap.c - seeded nonparametric bootstrap intervals (percentile and BCa) for any
 * statistic of one sample or of two independent samples.
 *
 * The generator is GSL's MT19937 seeded from the caller's seed, so a report re-run on the same
 * data prints the same interval. BCa (Efron 1987) corrects the percentile interval for bias
 * (z0, from the share of replicates below the estimate) and skewness (the acceleration a, from
 * the jackknife); for two samples the jackknife runs within each sample (stratified).
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sampler {
	const double *x, *y;
	size_t nx, ny;
	stats_statistic1 stat1;
	stats_statistic2 stat2;
	void *ctx;
};

static double evaluate(const struct sampler *s, double *bx, size_t nx, double *by, size_t ny)
{
	return s->stat1 ? s->stat1(bx, nx, s->ctx) : s->stat2(bx, nx, by, ny, s->ctx);
}

/* Acceleration from jackknife values of the statistic (leave-one-out within each sample). */
static int acceleration(const struct sampler *s, double *bx, double *by, double *a)
{
	size_t total = s->nx + s->ny;
	double *jack = malloc(total * sizeof *jack);
	if (!jack)
		return STATS_ENOMEM;
	/* Influence values are computed per stratum: U_i = (n - 1)(mean_jack - jack_i). */
	double num = 0, den = 0;
	for (int stratum = 0; stratum < (s->stat1 ? 1 : 2); stratum++) {
		const double *v = stratum ? s->y : s->x;
		size_t n = stratum ? s->ny : s->nx;
		if (n < 2)
			continue;
		double mean = 0;
		for (size_t i = 0; i < n; i++) {
			double *dst = stratum ? by : bx;
			memcpy(dst, v, i * sizeof *v);
			memcpy(dst + i, v + i + 1, (n - 1 - i) * sizeof *v);
			if (stratum == 0) {
				if (!s->stat1)
					memcpy(by, s->y, s->ny * sizeof *by);
				jack[i] = evaluate(s, bx, n - 1, by, s->ny);
			} else {
				memcpy(bx, s->x, s->nx * sizeof *bx);
				jack[i] = evaluate(s, bx, s->nx, by, n - 1);
			}
			mean += jack[i];
		}
		mean /= (double)n;
		for (size_t i = 0; i < n; i++) {
			double u = (double)(n - 1) * (mean - jack[i]);
			num += u * u * u / ((double)n * n * n);
			den += u * u / ((double)n * n);
		}
	}
	free(jack);
	*a = den > 0 ? num / (6 * pow(den, 1.5)) : 0;
	return isfinite(*a) ? STATS_OK : STATS_EINVAL;
}

static int bootstrap(const struct sampler *s, size_t B, double conf_level,
		     enum stats_bootstrap_method method, uint64_t seed, struct stats_bootstrap *out)
{
	out->estimate = out->ci_low = out->ci_high = out->std_error = out->bias = NAN;
	out->replicates = 0;
	if (B < 2 || s->nx < 1 || (s->stat2 && s->ny < 1) || !(conf_level > 0 && conf_level < 1) ||
	    (method != STATS_BOOT_PERCENTILE && method != STATS_BOOT_BCA))
		return STATS_EINVAL;
	int rc = STATS_ENOMEM;
	double *bx = malloc(s->nx * sizeof *bx);
	double *by = malloc((s->ny ? s->ny : 1) * sizeof *by);
	double *rep = malloc(B * sizeof *rep);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!bx || !by || !rep || !rng)
		goto done;
	gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));

	memcpy(bx, s->x, s->nx * sizeof *bx);
	if (s->stat2)
		memcpy(by, s->y, s->ny * sizeof *by);
	double t0 = evaluate(s, bx, s->nx, by, s->ny);
	out->estimate = t0;
	rc = STATS_EINVAL;
	if (!isfinite(t0))
		goto done;

	size_t kept = 0;
	long double sum = 0;
	for (size_t r = 0; r < B; r++) {
		for (size_t i = 0; i < s->nx; i++)
			bx[i] = s->x[gsl_rng_uniform_int(rng, s->nx)];
		for (size_t i = 0; s->stat2 && i < s->ny; i++)
			by[i] = s->y[gsl_rng_uniform_int(rng, s->ny)];
		double v = evaluate(s, bx, s->nx, by, s->ny);
		if (isfinite(v)) {
			rep[kept++] = v;
			sum += v;
		}
	}
	if (kept < 2)
		goto done;
	out->replicates = kept;
	double mean = (double)(sum / kept);
	long double ss = 0;
	for (size_t r = 0; r < kept; r++)
		ss += (rep[r] - mean) * (rep[r] - mean);
	out->std_error = sqrt((double)(ss / (kept - 1)));
	out->bias = mean - t0;
	if ((rc = stats_sort(rep, kept)))
		goto done;

	double alpha = 1 - conf_level;
	double p_low = alpha / 2, p_high = 1 - alpha / 2;
	if (method == STATS_BOOT_BCA) {
		size_t below = 0, equal = 0;
		for (size_t r = 0; r < kept; r++) {
			below += rep[r] < t0;
			equal += rep[r] == t0;
		}
		double share = ((double)below + 0.5 * (double)equal) / (double)kept;
		rc = STATS_EINVAL;
		if (share <= 0 || share >= 1)
			goto done; /* the estimate lies outside the bootstrap distribution */
		double z0 = gsl_cdf_ugaussian_Pinv(share), a;
		if ((rc = acceleration(s, bx, by, &a)))
			goto done;
		double zl = gsl_cdf_ugaussian_Pinv(p_low), zh = gsl_cdf_ugaussian_Pinv(p_high);
		p_low = gsl_cdf_ugaussian_P(z0 + (z0 + zl) / (1 - a * (z0 + zl)));
		p_high = gsl_cdf_ugaussian_P(z0 + (z0 + zh) / (1 - a * (z0 + zh)));
	}
	out->ci_low = stats_quantile_sorted(rep, kept, p_low, 7);
	out->ci_high = stats_quantile_sorted(rep, kept, p_high, 7);
	rc = STATS_OK;
done:
	free(bx);
	free(by);
	free(rep);
	if (rng)
		gsl_rng_free(rng);
	return rc;
}

int stats_bootstrap1(const double *x, size_t n, stats_statistic1 stat, void *ctx, size_t B,
		     double conf_level, enum stats_bootstrap_method method, uint64_t seed,
		     struct stats_bootstrap *out)
{
	struct sampler s = { x, NULL, n, 0, stat, NULL, ctx };
	if (!stat)
		return STATS_EINVAL;
	return bootstrap(&s, B, conf_level, method, seed, out);
}

int stats_bootstrap2(const double *x, size_t nx, const double *y, size_t ny,
		     stats_statistic2 stat, void *ctx, size_t B, double conf_level,
		     enum stats_bootstrap_method method, uint64_t seed, struct stats_bootstrap *out)
{
	struct sampler s = { x, y, nx, ny, NULL, stat, ctx };
	if (!stat)
		return STATS_EINVAL;
	return bootstrap(&s, B, conf_level, method, seed, out);
}

double stats_bootstrap_p_normal(const struct stats_bootstrap *b)
{
	if (!(b->std_error > 0))
		return b->estimate == 0;
	return 2 * gsl_cdf_ugaussian_Q(fabs(b->estimate / b->std_error));
}
