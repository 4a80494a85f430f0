/*
 * interval.c - a distribution-free interval for a quantile, and Fieller's interval for a
 * ratio of means.
 *
 * The quantile interval uses only the binomial law of the count of observations below the
 * true quantile, so it holds for any continuous distribution: the right interval for a
 * median or p99 of latencies, which are never normal. Fieller's interval is the exact
 * answer to "by what factor did the mean change", where mean(x)/mean(y) +- a delta-method
 * half-width is only an approximation.
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int stats_quantile_ci_sorted(const double *x, size_t n, double prob, double conf_level,
			     struct stats_quantile_ci *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	out->estimate = out->ci_low = out->ci_high = out->coverage = NAN;
	if (n == 0 || !(prob > 0 && prob < 1) || !(conf_level > 0 && conf_level < 1))
		return STATS_EINVAL;
	double half = (1 - conf_level) / 2;
	unsigned un = (unsigned)n;
	/* F(k) = P(B <= k), B ~ Binomial(n, prob); the largest l in 1..n with F(l - 1) <= half
	 * (F is increasing, so binary search) */
	size_t lo = 1, hi = n; /* candidate l */
	size_t l = 0;
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (gsl_cdf_binomial_P((unsigned)(mid - 1), prob, un) <= half) {
			l = mid;
			lo = mid + 1;
		} else {
			if (mid == 0)
				break;
			hi = mid - 1;
		}
	}
	/* the smallest u in 1..n with 1 - F(u - 1) = P(B >= u) <= half */
	size_t u = 0;
	lo = 1;
	hi = n;
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (gsl_cdf_binomial_Q((unsigned)(mid - 1), prob, un) <= half) {
			u = mid;
			if (mid == 1)
				break;
			hi = mid - 1;
		} else {
			lo = mid + 1;
		}
	}
	out->achievable = l != 0 && u != 0;
	if (l == 0)
		l = 1;
	if (u == 0)
		u = n;
	out->rank_low = l;
	out->rank_high = u;
	out->ci_low = x[l - 1];
	out->ci_high = x[u - 1];
	double f_u = gsl_cdf_binomial_P((unsigned)(u - 1), prob, un);
	double f_l = gsl_cdf_binomial_P((unsigned)(l - 1), prob, un);
	out->coverage = f_u - f_l;
	out->estimate = stats_quantile_sorted(x, n, prob, 7);
	return STATS_OK;
}

int stats_quantile_ci(const double *x, size_t n, double prob, double conf_level,
		      struct stats_quantile_ci *out)
{
	if (n == 0)
		return stats_quantile_ci_sorted(x, n, prob, conf_level, out);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return STATS_ENONFINITE;
	double *s = malloc(n * sizeof *s);
	if (!s)
		return STATS_ENOMEM;
	memcpy(s, x, n * sizeof *s);
	int rc = stats_sort(s, n);
	if (!rc)
		rc = stats_quantile_ci_sorted(s, n, prob, conf_level, out);
	free(s);
	return rc;
}

int stats_fieller_ratio(const double *x, size_t nx, const double *y, size_t ny,
			double conf_level, struct stats_fieller *out)
{
	out->estimate = out->df = out->t_crit = out->g = out->ci_low = out->ci_high = NAN;
	out->bounded = 0;
	if (nx < 2 || ny < 2 || !(conf_level > 0 && conf_level < 1))
		return STATS_EINVAL;
	struct stats_summary sx, sy;
	int rc = stats_summary(x, nx, &sx);
	if (!rc)
		rc = stats_summary(y, ny, &sy);
	if (rc)
		return rc;
	double a = sx.mean, b = sy.mean;
	if (b == 0)
		return STATS_EINVAL;
	double va = sx.variance / nx, vb = sy.variance / ny;
	double r = a / b;
	out->estimate = r;
	double den = va * va / (nx - 1.0) + r * r * r * r * vb * vb / (ny - 1.0);
	if (!(den > 0))
		return STATS_EZEROVAR;
	out->df = (va + r * r * vb) * (va + r * r * vb) / den;
	double t = gsl_cdf_tdist_Pinv(1 - (1 - conf_level) / 2, out->df);
	out->t_crit = t;
	double g = t * t * vb / (b * b);
	out->g = g;
	if (g >= 1)
		return STATS_OK; /* the confidence set is unbounded */
	out->bounded = 1;
	double h = t / fabs(b) * sqrt(vb * r * r + va * (1 - g));
	out->ci_low = (r - h) / (1 - g);
	out->ci_high = (r + h) / (1 - g);
	return STATS_OK;
}

double stats_normal_quantile(double p)
{
	return p > 0 && p < 1 ? gsl_cdf_ugaussian_Pinv(p) : NAN;
}
