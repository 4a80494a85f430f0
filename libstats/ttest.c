/*
 * ttest.c - one-sample, Welch, Student and paired t procedures, as R's t.test.
 *
 * Every two-sample variant reduces to (estimate, standard error, df); one function turns that
 * triple into the statistic, p-value and interval, so the tests differ only in how they
 * estimate the standard error. R's "essentially constant" rule is kept: a standard error
 * below 10 DBL_EPSILON times the largest |mean| is an error, not a huge t.
 */
#include "stats.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

static void ttest_nan(struct stats_ttest *out)
{
	out->statistic = out->df = out->p_value = NAN;
	out->estimate = out->std_error = NAN;
	out->ci_low = out->ci_high = NAN;
	out->mean_x = out->mean_y = NAN;
}

static int valid_options(enum stats_alternative alt, double conf_level)
{
	return (alt == STATS_TWO_SIDED || alt == STATS_LESS || alt == STATS_GREATER) &&
	       conf_level > 0 && conf_level < 1;
}

/* Fills statistic, p-value and interval from estimate, standard error and df (R's code). */
static void t_finish(double estimate, double std_error, double df, enum stats_alternative alt,
		     double conf_level, double mu, struct stats_ttest *out)
{
	double t = (estimate - mu) / std_error;
	out->estimate = estimate;
	out->std_error = std_error;
	out->df = df;
	out->statistic = t;
	switch (alt) {
	case STATS_LESS:
		out->p_value = gsl_cdf_tdist_P(t, df);
		out->ci_low = -INFINITY;
		out->ci_high = mu + (t + gsl_cdf_tdist_Pinv(conf_level, df)) * std_error;
		break;
	case STATS_GREATER:
		out->p_value = gsl_cdf_tdist_Q(t, df);
		out->ci_low = mu + (t - gsl_cdf_tdist_Pinv(conf_level, df)) * std_error;
		out->ci_high = INFINITY;
		break;
	default: {
		out->p_value = 2 * gsl_cdf_tdist_P(-fabs(t), df);
		double q = gsl_cdf_tdist_Pinv(1 - (1 - conf_level) / 2, df);
		out->ci_low = mu + (t - q) * std_error;
		out->ci_high = mu + (t + q) * std_error;
	}
	}
}

static int check_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/* Mean and variance (divisor n - 1) of finite data, n >= 1. */
static int mean_var(const double *x, size_t n, double *mean, double *var)
{
	if (!check_finite(x, n))
		return STATS_ENONFINITE;
	long double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	long double m = s / n, r = 0;
	for (size_t i = 0; i < n; i++)
		r += x[i] - m;
	m += r / n;
	long double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*mean = (double)m;
	*var = n > 1 ? (double)(ss / (n - 1)) : NAN;
	return STATS_OK;
}

/* Back from data scaled by 2^-512 (values near DBL_MAX, whose sums of squares would
 * overflow): the estimate, its standard error and interval scale back; t, df and p do not. */
static void unscale(struct stats_ttest *out)
{
	out->estimate = ldexp(out->estimate, 512);
	out->std_error = ldexp(out->std_error, 512);
	out->ci_low = ldexp(out->ci_low, 512);
	out->ci_high = ldexp(out->ci_high, 512);
}

int stats_t_one_sample(const double *x, size_t n, enum stats_alternative alt, double conf_level,
		       double mu, struct stats_ttest *out)
{
	ttest_nan(out);
	if (n < 2 || !valid_options(alt, conf_level))
		return STATS_EINVAL;
	if (!check_finite(x, n))
		return STATS_ENONFINITE;
	double big = 0;
	for (size_t i = 0; i < n; i++)
		big = fmax(big, fabs(x[i]));
	if (big > 0x1p500) { /* as two_sample_raw: scaled by a power of two, and back */
		double *sx = malloc(n * sizeof *sx);
		if (!sx)
			return STATS_ENOMEM;
		for (size_t i = 0; i < n; i++)
			sx[i] = ldexp(x[i], -512);
		int rc = stats_t_one_sample(sx, n, alt, conf_level, ldexp(mu, -512), out);
		free(sx);
		if (rc)
			return rc;
		unscale(out);
		return STATS_OK;
	}
	double m, v;
	int rc = mean_var(x, n, &m, &v);
	if (rc)
		return rc;
	double se = sqrt(v / n);
	if (se < 10 * DBL_EPSILON * fabs(m) || se == 0)
		return STATS_EZEROVAR;
	t_finish(m, se, n - 1.0, alt, conf_level, mu, out);
	return STATS_OK;
}

/* x_new against the law of x: the Student prediction interval for one new observation
 * (e.g. Hahn & Meeker, Statistical Intervals, 1991, sec. 4.7): estimate x_new - mean(x),
 * standard error s sqrt(1 + 1/n), n - 1 df. Exact when x_new and x are independent draws
 * of one normal law; what a run's level against the levels of the runs before it needs,
 * since the spread between runs is then in s. */
int stats_t_prediction(const double *x, size_t n, double x_new, enum stats_alternative alt,
		       double conf_level, struct stats_ttest *out)
{
	ttest_nan(out);
	if (n < 2 || !valid_options(alt, conf_level))
		return STATS_EINVAL;
	if (!isfinite(x_new))
		return STATS_ENONFINITE;
	double m, v;
	int rc = mean_var(x, n, &m, &v);
	if (rc)
		return rc;
	double se = sqrt(v * (1 + 1.0 / (double)n));
	if (se < 10 * DBL_EPSILON * fmax(fabs(m), fabs(x_new)) || se == 0)
		return STATS_EZEROVAR;
	t_finish(x_new - m, se, n - 1.0, alt, conf_level, 0, out);
	out->mean_x = x_new;
	out->mean_y = m;
	return STATS_OK;
}

int stats_paired_t(const double *x, const double *y, size_t n, enum stats_alternative alt,
		   double conf_level, double mu, struct stats_ttest *out)
{
	ttest_nan(out);
	if (n < 2 || !valid_options(alt, conf_level))
		return STATS_EINVAL;
	/* R forms d = x - y in double first; so do we, and d carries that rounding. */
	double *d = malloc(n * sizeof *d);
	if (!d)
		return STATS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		d[i] = x[i] - y[i];
	double m, v;
	int rc = mean_var(d, n, &m, &v);
	free(d);
	if (rc)
		return rc;
	double se = sqrt(v / n);
	if (se < 10 * DBL_EPSILON * fabs(m) || se == 0)
		return STATS_EZEROVAR;
	t_finish(m, se, n - 1.0, alt, conf_level, mu, out);
	return STATS_OK;
}

/* The shared two-sample core, from means, variances and sizes. */
static int two_sample(double mx, double vx, double nx, double my, double vy, double ny,
		      int var_equal, enum stats_alternative alt, double conf_level, double mu,
		      struct stats_ttest *out)
{
	double se, df;
	if (var_equal) {
		df = nx + ny - 2;
		double v = 0;
		if (nx > 1)
			v += (nx - 1) * vx;
		if (ny > 1)
			v += (ny - 1) * vy;
		v /= df;
		se = sqrt(v * (1 / nx + 1 / ny));
	} else {
		double sx2 = vx / nx, sy2 = vy / ny;
		se = sqrt(sx2 + sy2);
		df = se * se * se * se / (sx2 * sx2 / (nx - 1) + sy2 * sy2 / (ny - 1));
	}
	double scale = fmax(fabs(mx), fabs(my));
	if (!(se >= 10 * DBL_EPSILON * scale) || se == 0)
		return STATS_EZEROVAR;
	t_finish(mx - my, se, df, alt, conf_level, mu, out);
	out->mean_x = mx;
	out->mean_y = my;
	return STATS_OK;
}

static int two_sample_raw(const double *x, size_t nx, const double *y, size_t ny, int var_equal,
			  enum stats_alternative alt, double conf_level, double mu,
			  struct stats_ttest *out)
{
	ttest_nan(out);
	if (!valid_options(alt, conf_level))
		return STATS_EINVAL;
	if (var_equal ? (nx < 1 || ny < 1 || nx + ny < 3) : (nx < 2 || ny < 2))
		return STATS_EINVAL;
	if (!check_finite(x, nx) || !check_finite(y, ny))
		return STATS_ENONFINITE;
	/* Values near DBL_MAX: their variances overflow. The test is the same on the data
	 * scaled by a power of two (exact), and the estimates scale back. */
	double big = 0;
	for (size_t i = 0; i < nx; i++)
		big = fmax(big, fabs(x[i]));
	for (size_t i = 0; i < ny; i++)
		big = fmax(big, fabs(y[i]));
	if (big > 0x1p500) {
		double *sx = malloc(nx * sizeof *sx), *sy = malloc(ny * sizeof *sy);
		int rc = sx && sy ? STATS_OK : STATS_ENOMEM;
		for (size_t i = 0; !rc && i < nx; i++)
			sx[i] = ldexp(x[i], -512);
		for (size_t i = 0; !rc && i < ny; i++)
			sy[i] = ldexp(y[i], -512);
		if (!rc)
			rc = two_sample_raw(sx, nx, sy, ny, var_equal, alt, conf_level,
					    ldexp(mu, -512), out);
		free(sx);
		free(sy);
		if (rc)
			return rc;
		unscale(out);
		out->mean_x = ldexp(out->mean_x, 512);
		out->mean_y = ldexp(out->mean_y, 512);
		return STATS_OK;
	}
	double mx, vx, my, vy;
	int rc = mean_var(x, nx, &mx, &vx);
	if (!rc)
		rc = mean_var(y, ny, &my, &vy);
	if (rc)
		return rc;
	return two_sample(mx, vx, (double)nx, my, vy, (double)ny, var_equal, alt, conf_level, mu,
			  out);
}

int stats_welch_t(const double *x, size_t nx, const double *y, size_t ny,
		  enum stats_alternative alt, double conf_level, double mu, struct stats_ttest *out)
{
	return two_sample_raw(x, nx, y, ny, 0, alt, conf_level, mu, out);
}

int stats_student_t(const double *x, size_t nx, const double *y, size_t ny,
		    enum stats_alternative alt, double conf_level, double mu, struct stats_ttest *out)
{
	return two_sample_raw(x, nx, y, ny, 1, alt, conf_level, mu, out);
}

int stats_welch_t_summary(double mean_x, double sd_x, double n_x, double mean_y, double sd_y,
			  double n_y, int var_equal, enum stats_alternative alt,
			  double conf_level, double mu, struct stats_ttest *out)
{
	ttest_nan(out);
	if (!valid_options(alt, conf_level) || !(sd_x >= 0) || !(sd_y >= 0))
		return STATS_EINVAL;
	if (var_equal ? (n_x < 1 || n_y < 1 || n_x + n_y < 3) : (n_x < 2 || n_y < 2))
		return STATS_EINVAL;
	if (!isfinite(mean_x) || !isfinite(mean_y) || !isfinite(sd_x) || !isfinite(sd_y))
		return STATS_ENONFINITE;
	return two_sample(mean_x, sd_x * sd_x, n_x, mean_y, sd_y * sd_y, n_y, var_equal, alt,
			  conf_level, mu, out);
}

int stats_blocked_welch_t(const double *const *x, const size_t *nx, const double *const *y,
			  const size_t *ny, size_t blocks, enum stats_alternative alt,
			  double conf_level, struct stats_ttest *out)
{
	ttest_nan(out);
	if (blocks == 0 || !valid_options(alt, conf_level))
		return STATS_EINVAL;
	/* The estimate is the unweighted mean over blocks of mean(x_b) - mean(y_b); its
	 * variance is the sum of each side's variance of the mean over blocks^2, and its df
	 * Satterthwaite's over all 2 * blocks components (Welch's, for more than two). */
	long double est = 0, mx_all = 0, my_all = 0, var = 0, denom = 0;
	double scale = 0;
	for (size_t b = 0; b < blocks; b++) {
		if (nx[b] < 2 || ny[b] < 2)
			return STATS_EINVAL;
		double mx, vx, my, vy;
		int rc = mean_var(x[b], nx[b], &mx, &vx);
		if (!rc)
			rc = mean_var(y[b], ny[b], &my, &vy);
		if (rc)
			return rc;
		double cx = vx / (double)nx[b], cy = vy / (double)ny[b];
		est += (long double)mx - my;
		mx_all += mx;
		my_all += my;
		var += (long double)cx + cy;
		denom += (long double)cx * cx / (double)(nx[b] - 1) +
			 (long double)cy * cy / (double)(ny[b] - 1);
		scale = fmax(scale, fmax(fabs(mx), fabs(my)));
	}
	double k = (double)blocks;
	double se = sqrt((double)var) / k;
	if (!(se >= 10 * DBL_EPSILON * scale) || se == 0)
		return STATS_EZEROVAR;
	double df = (double)(var * var / denom);
	t_finish((double)(est / k), se, df, alt, conf_level, 0, out);
	out->mean_x = (double)(mx_all / k);
	out->mean_y = (double)(my_all / k);
	return STATS_OK;
}

int stats_repetition_welch_t(const double *const *x, const size_t *nx, const double *const *y,
			     const size_t *ny, size_t blocks, enum stats_alternative alt,
			     double conf_level, struct stats_ttest *out)
{
	ttest_nan(out);
	if (blocks == 0 || !valid_options(alt, conf_level))
		return STATS_EINVAL;
	size_t mx = SIZE_MAX, my = SIZE_MAX;
	for (size_t b = 0; b < blocks; b++) {
		mx = nx[b] < mx ? nx[b] : mx;
		my = ny[b] < my ? ny[b] : my;
	}
	if (mx < 2 || my < 2)
		return STATS_EINVAL;
	double *zx = calloc(mx, sizeof *zx), *zy = calloc(my, sizeof *zy);
	int rc = zx && zy ? STATS_OK : STATS_ENOMEM;
	for (size_t b = 0; !rc && b < blocks; b++) {
		if (!check_finite(x[b], mx) || !check_finite(y[b], my))
			rc = STATS_ENONFINITE;
		for (size_t r = 0; !rc && r < mx; r++)
			zx[r] += x[b][r] / (double)blocks;
		for (size_t r = 0; !rc && r < my; r++)
			zy[r] += y[b][r] / (double)blocks;
	}
	if (!rc)
		rc = two_sample_raw(zx, mx, zy, my, 0, alt, conf_level, 0, out);
	free(zx);
	free(zy);
	return rc;
}

double stats_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	return gsl_cdf_tdist_Pinv(p, df);
}
