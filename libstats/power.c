/*
 * power.c - how many values per side a comparison needs to reach a verdict.
 *
 * The hint obl gives for an inconclusive row is a power calculation on the scale the test
 * uses (the log ratio): with the observed change d and the observed variance, the n per side
 * at which the comparison is conclusive with probability `power` (0.8). "Conclusive" is the
 * verdict rule itself - significant and beyond the threshold, or an interval inside
 * +-threshold - so a change well inside the threshold needs an interval narrower than the
 * threshold, and one well outside needs a significant test, not the same thing.
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double stats_conclusive_probability(double d, double v, double n, double threshold,
				    double alpha, double conf_level)
{
	if (!isfinite(d) || !(v >= 0) || !(n >= 2) || !(threshold >= 0) || !(alpha > 0) ||
	    !(alpha < 1) || !(conf_level > 0 && conf_level < 1))
		return NAN;
	double df = 2 * n - 2;
	double se = sqrt(v / n);
	double up = log1p(threshold), down = threshold < 1 ? log1p(-threshold) : -INFINITY;
	if (se == 0) /* no noise: the estimate is d itself, and d is beyond or within */
		return 1;
	double ca = gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
	double cc = gsl_cdf_tdist_Pinv(1 - (1 - conf_level) / 2, df);
	double hi = fmax(ca * se, up), lo = fmin(-ca * se, down);
	double p = gsl_cdf_ugaussian_Q((hi - d) / se) + gsl_cdf_ugaussian_P((lo - d) / se);
	double same_hi = up - cc * se, same_lo = down + cc * se;
	if (same_hi > same_lo)
		p += gsl_cdf_ugaussian_P((same_hi - d) / se) - gsl_cdf_ugaussian_P((same_lo - d) / se);
	return p > 1 ? 1 : p;
}

double stats_needed_per_side(double d, double v, double threshold, double alpha,
			     double conf_level, double power)
{
	if (!(power > 0 && power < 1) || isnan(stats_conclusive_probability(d, v, 2, threshold,
									    alpha, conf_level)))
		return NAN;
	double lo = 2, hi = 2;
	while (stats_conclusive_probability(d, v, hi, threshold, alpha, conf_level) < power) {
		lo = hi;
		hi *= 2;
		if (hi > 1e9)
			return NAN;
	}
	if (hi == 2)
		return 2;
	while (hi - lo > 1) { /* lo fails, hi succeeds */
		double mid = floor((lo + hi) / 2);
		if (stats_conclusive_probability(d, v, mid, threshold, alpha, conf_level) >= power)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}
