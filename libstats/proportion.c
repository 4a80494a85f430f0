/*
 * proportion.c - one and two proportions: Wilson and Clopper-Pearson intervals, Newcombe's
 * interval for a difference, R's two-sample prop.test, and Fisher's exact test with the
 * conditional maximum-likelihood odds ratio and its exact interval.
 *
 * Fisher follows R's fisher.test (2x2 branch) but solves its equations to near machine
 * precision (Brent's method on log psi) instead of uniroot's default 1e-4, which R's output
 * inherits: for large odds ratios R is off by up to 1%.
 */
#include "stats.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

static int valid_alternative(enum stats_alternative alt)
{
	return alt == STATS_TWO_SIDED || alt == STATS_LESS || alt == STATS_GREATER;
}

static void interval_nan(struct stats_interval *out)
{
	out->estimate = out->ci_low = out->ci_high = NAN;
}

static int valid_count(double x, double n)
{
	return n >= 1 && x >= 0 && x <= n && x == floor(x) && n == floor(n);
}

/* R's prop.test interval for one proportion (score interval, optional Yates correction). */
int stats_wilson_ci(double x, double n, double conf_level, enum stats_alternative alt,
		    int continuity_correction, struct stats_interval *out)
{
	interval_nan(out);
	if (!valid_count(x, n) || !(conf_level > 0 && conf_level < 1) || !valid_alternative(alt))
		return STATS_EINVAL;
	double est = x / n;
	double yates = continuity_correction ? fmin(0.5, fabs(x - n * 0.5)) : 0;
	double z = gsl_cdf_ugaussian_Pinv(alt == STATS_TWO_SIDED ? (1 + conf_level) / 2 : conf_level);
	double z22n = z * z / (2 * n);
	double pc = est + yates / n;
	double pu = pc >= 1 ? 1
			    : (pc + z22n + z * sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (1 + 2 * z22n);
	pc = est - yates / n;
	double pl = pc <= 0 ? 0
			    : (pc + z22n - z * sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (1 + 2 * z22n);
	out->estimate = est;
	out->ci_low = alt == STATS_LESS ? 0 : fmax(pl, 0);
	out->ci_high = alt == STATS_GREATER ? 1 : fmin(pu, 1);
	return STATS_OK;
}

/*
 * Binomial probabilities for the large counts load tests produce (n up to 1e9 and beyond),
 * where GSL's inverse beta fails (NaN) and the log-gamma route loses digits to cancellation:
 * Loader's saddle-point form of the binomial probability (stirlerr and bd0, as R's dbinom),
 * then the tail summed outwards from x, where its terms only decrease.
 */
static double stirlerr(double n)
{
	const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680,
		     S4 = 1.0 / 1188;
	if (n <= 15) /* lgamma(n + 1) - (n + 1/2) log n + n - log sqrt(2 pi) */
		return gsl_sf_lnfact((unsigned)n) - (n + 0.5) * log(n) + n -
		       0.918938533204672741780329736406;
	double nn = n * n;
	if (n > 500)
		return (S0 - S1 / nn) / n;
	if (n > 80)
		return (S0 - (S1 - S2 / nn) / nn) / n;
	if (n > 35)
		return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
	return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/* x log(x / np) + np - x, without cancellation when x is near np. */
static double bd0(double x, double np)
{
	if (fabs(x - np) < 0.1 * (x + np)) {
		double v = (x - np) / (x + np), s = (x - np) * v, ej = 2 * x * v;
		v *= v;
		for (int j = 1; j < 1000; j++) {
			ej *= v;
			double s1 = s + ej / (2 * j + 1);
			if (s1 == s)
				return s1;
			s = s1;
		}
	}
	return x * log(x / np) + np - x;
}

/* P(X = x) for X ~ Binomial(n, p), 0 < p < 1, 0 < x < n. */
static double dbinom_inner(double x, double n, double p)
{
	double q = 1 - p;
	double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
	double lf = 1.837877066409345483560659472811 + log(x) + log1p(-x / n); /* log 2 pi */
	return exp(lc - 0.5 * lf);
}

/* P(X >= x) (upper != 0) with p <= x / n, or P(X <= x) with p >= x / n: from x away from the
 * mode, so that every term is smaller than the one before. 0 < x < n. */
static double binom_tail(double x, double n, double p, int upper)
{
	double term = dbinom_inner(x, n, p), sum = 0, ratio = p / (1 - p);
	for (double k = x; term > 0 && k >= 0 && k <= n;) {
		sum += term;
		if (term < sum * 1e-17)
			break;
		if (upper) {
			term *= (n - k) / (k + 1) * ratio;
			k++;
		} else {
			term *= k / (n - k + 1) / ratio;
			k--;
		}
	}
	return sum;
}

struct cp_eq {
	double x, n, target;
	int upper;
};

static double cp_f(double p, void *ctx)
{
	const struct cp_eq *e = ctx;
	return binom_tail(e->x, e->n, p, e->upper) - e->target;
}

/* The p in [lo, hi] where the tail equals target (the tail is monotone in p there). */
static double cp_solve(double x, double n, double target, int upper, double lo, double hi)
{
	struct cp_eq e = { x, n, target, upper };
	gsl_function f = { cp_f, &e };
	if (!(cp_f(lo, &e) * cp_f(hi, &e) < 0))
		return NAN;
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s)
		return NAN;
	double root = NAN;
	if (gsl_root_fsolver_set(s, &f, lo, hi) == GSL_SUCCESS) {
		for (int i = 0; i < 200; i++) {
			if (gsl_root_fsolver_iterate(s))
				break;
			root = gsl_root_fsolver_root(s);
			double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
			if (gsl_root_test_interval(a, b, 0, 2 * DBL_EPSILON) == GSL_SUCCESS)
				break;
		}
	}
	gsl_root_fsolver_free(s);
	return root;
}

int stats_clopper_pearson_ci(double x, double n, double conf_level, enum stats_alternative alt,
			     struct stats_interval *out)
{
	interval_nan(out);
	if (!valid_count(x, n) || !(conf_level > 0 && conf_level < 1) || !valid_alternative(alt))
		return STATS_EINVAL;
	double alpha = alt == STATS_TWO_SIDED ? (1 - conf_level) / 2 : 1 - conf_level;
	double lower, upper;
	if (n <= 1e4) {
		lower = x == 0 ? 0 : gsl_cdf_beta_Pinv(alpha, x, n - x + 1);
		upper = x == n ? 1 : gsl_cdf_beta_Pinv(1 - alpha, x + 1, n - x);
	} else {
		/* Large counts: GSL's inverse beta returns NaN or does not return at all. The
		 * beta quantiles are binomial tails, P(X >= x; p_low) = alpha and
		 * P(X <= x; p_high) = alpha, solved to the last bits; the ends have closed forms. */
		lower = x == 0   ? 0
			: x == n ? pow(alpha, 1 / n)
				 : cp_solve(x, n, alpha, 1, 0x1p-60, x / n);
		upper = x == n   ? 1
			: x == 0 ? -expm1(log(alpha) / n)
				 : cp_solve(x, n, alpha, 0, x / n, 1 - 0x1p-53);
	}
	if (!isfinite(lower) || !isfinite(upper))
		return STATS_EINVAL;
	out->estimate = x / n;
	out->ci_low = alt == STATS_LESS ? 0 : lower;
	out->ci_high = alt == STATS_GREATER ? 1 : upper;
	return STATS_OK;
}

int stats_newcombe_diff(double x1, double n1, double x2, double n2, double conf_level,
			struct stats_interval *out)
{
	interval_nan(out);
	struct stats_interval w1, w2;
	int rc = stats_wilson_ci(x1, n1, conf_level, STATS_TWO_SIDED, 0, &w1);
	if (!rc)
		rc = stats_wilson_ci(x2, n2, conf_level, STATS_TWO_SIDED, 0, &w2);
	if (rc)
		return rc;
	double p1 = w1.estimate, p2 = w2.estimate, d = p1 - p2;
	out->estimate = d;
	out->ci_low = d - sqrt((p1 - w1.ci_low) * (p1 - w1.ci_low) +
			       (w2.ci_high - p2) * (w2.ci_high - p2));
	out->ci_high = d + sqrt((w1.ci_high - p1) * (w1.ci_high - p1) +
				(p2 - w2.ci_low) * (p2 - w2.ci_low));
	return STATS_OK;
}

int stats_prop_test_2(double x1, double n1, double x2, double n2, enum stats_alternative alt,
		      double conf_level, int correct, struct stats_prop_test *out)
{
	out->statistic = out->df = out->p_value = out->z = NAN;
	out->estimate1 = out->estimate2 = out->estimate = out->ci_low = out->ci_high = NAN;
	if (!valid_count(x1, n1) || !valid_count(x2, n2) || !(conf_level > 0 && conf_level < 1) ||
	    !valid_alternative(alt))
		return STATS_EINVAL;
	double p1 = x1 / n1, p2 = x2 / n2, delta = p1 - p2;
	double inv_n = 1 / n1 + 1 / n2;
	double yates = correct ? fmin(0.5, fabs(delta) / inv_n) : 0;
	double z = gsl_cdf_ugaussian_Pinv(alt == STATS_TWO_SIDED ? (1 + conf_level) / 2 : conf_level);
	double width = z * sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + yates * inv_n;
	out->estimate1 = p1;
	out->estimate2 = p2;
	out->estimate = delta;
	out->ci_low = alt == STATS_LESS ? -1 : fmax(delta - width, -1);
	out->ci_high = alt == STATS_GREATER ? 1 : fmin(delta + width, 1);

	double p = (x1 + x2) / (n1 + n2);
	double observed[4] = { x1, n1 - x1, x2, n2 - x2 };
	double expected[4] = { n1 * p, n1 * (1 - p), n2 * p, n2 * (1 - p) };
	double chi2 = 0;
	for (int i = 0; i < 4; i++) {
		double dev = fabs(observed[i] - expected[i]) - yates;
		chi2 += dev * dev / expected[i];
	}
	out->statistic = chi2;
	out->df = 1;
	out->z = (delta > 0 ? 1 : delta < 0 ? -1
					    : 0) *
		 sqrt(chi2);
	if (alt == STATS_TWO_SIDED)
		out->p_value = gsl_cdf_chisq_Q(chi2, 1);
	else
		out->p_value = alt == STATS_LESS ? gsl_cdf_ugaussian_P(out->z)
						 : gsl_cdf_ugaussian_Q(out->z);
	return STATS_OK;
}

/* ---- Fisher's exact test ------------------------------------------------------- */

/* The conditional (noncentral hypergeometric) law of the top-left cell given the margins. */
struct hyper {
	long lo, hi, x; /* support lo..hi and the observed cell */
	double *logdc;  /* log of the central hypergeometric density on the support */
	double *dens;   /* scratch for the noncentral density */
};

/* dens = the noncentral hypergeometric density at odds ratio exp(log_psi), normalised. */
static void density(const struct hyper *h, double log_psi)
{
	long count = h->hi - h->lo + 1;
	double top = -INFINITY;
	for (long i = 0; i < count; i++) {
		h->dens[i] = h->logdc[i] + log_psi * (double)(h->lo + i);
		if (h->dens[i] > top)
			top = h->dens[i];
	}
	double sum = 0;
	for (long i = 0; i < count; i++)
		sum += h->dens[i] = exp(h->dens[i] - top);
	for (long i = 0; i < count; i++)
		h->dens[i] /= sum;
}

static double noncentral_mean(const struct hyper *h, double log_psi)
{
	density(h, log_psi);
	double m = 0;
	for (long s = h->lo; s <= h->hi; s++)
		m += (double)s * h->dens[s - h->lo];
	return m;
}

/* P(X <= x) (upper == 0) or P(X >= x) (upper != 0) at odds ratio exp(log_psi). */
static double noncentral_tail(const struct hyper *h, double log_psi, int upper)
{
	density(h, log_psi);
	double p = 0;
	for (long s = h->lo; s <= h->hi; s++)
		if (upper ? s >= h->x : s <= h->x)
			p += h->dens[s - h->lo];
	return p;
}

struct root_problem {
	const struct hyper *h;
	int kind; /* 0: mean == x; 1: lower tail == alpha; 2: upper tail == alpha */
	double target;
};

static double root_function(double log_psi, void *params)
{
	const struct root_problem *p = params;
	switch (p->kind) {
	case 0: return noncentral_mean(p->h, log_psi) - p->target;
	case 1: return noncentral_tail(p->h, log_psi, 0) - p->target;
	default: return noncentral_tail(p->h, log_psi, 1) - p->target;
	}
}

/* Solves f(log psi) = 0 for a function monotone in log psi; returns psi. */
static double solve_psi(struct root_problem *problem)
{
	gsl_function f = { root_function, problem };
	double a = -1, b = 1;
	double fa = root_function(a, problem), fb = root_function(b, problem);
	for (int i = 0; i < 60 && fa * fb > 0; i++) {
		/* widen towards the side where the root lies */
		if (fabs(fa) < fabs(fb)) {
			a -= 2 * (b - a);
			fa = root_function(a, problem);
		} else {
			b += 2 * (b - a);
			fb = root_function(b, problem);
		}
	}
	if (fa == 0)
		return exp(a);
	if (fb == 0)
		return exp(b);
	if (fa * fb > 0)
		return NAN;
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s)
		return NAN;
	gsl_root_fsolver_set(s, &f, a, b);
	double r = NAN;
	for (int i = 0; i < 200; i++) {
		if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
			break;
		r = gsl_root_fsolver_root(s);
		double lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s);
		if (gsl_root_test_interval(lo, hi, 1e-15, 1e-14) == GSL_SUCCESS)
			break;
	}
	gsl_root_fsolver_free(s);
	return exp(r);
}

int stats_fisher_exact(long a, long b, long c, long d, enum stats_alternative alt,
		       double conf_level, struct stats_fisher *out)
{
	out->p_value = out->estimate = out->ci_low = out->ci_high = NAN;
	out->sample_odds_ratio = NAN;
	if (a < 0 || b < 0 || c < 0 || d < 0 || !(conf_level > 0 && conf_level < 1) ||
	    !valid_alternative(alt))
		return STATS_EINVAL;
	long m = a + c, n = b + d, k = a + b;
	struct hyper h = { k - n > 0 ? k - n : 0, k < m ? k : m, a, NULL, NULL };
	long count = h.hi - h.lo + 1;
	h.logdc = malloc(count * sizeof *h.logdc);
	h.dens = malloc(count * sizeof *h.dens);
	if (!h.logdc || !h.dens) {
		free(h.logdc);
		free(h.dens);
		return STATS_ENOMEM;
	}
	for (long s = h.lo; s <= h.hi; s++)
		h.logdc[s - h.lo] = gsl_sf_lnchoose((unsigned)m, (unsigned)s) +
				    gsl_sf_lnchoose((unsigned)n, (unsigned)(k - s)) -
				    gsl_sf_lnchoose((unsigned)(m + n), (unsigned)k);
	out->sample_odds_ratio = (double)a * d / ((double)b * c);

	/* p-value under psi = 1 */
	if (alt == STATS_LESS) {
		out->p_value = noncentral_tail(&h, 0, 0);
	} else if (alt == STATS_GREATER) {
		out->p_value = noncentral_tail(&h, 0, 1);
	} else {
		density(&h, 0);
		double cut = h.dens[a - h.lo] * (1 + 1e-7), p = 0;
		for (long i = 0; i < count; i++)
			if (h.dens[i] <= cut)
				p += h.dens[i];
		out->p_value = fmin(p, 1);
	}

	/* conditional MLE */
	if (a == h.lo) {
		out->estimate = 0;
	} else if (a == h.hi) {
		out->estimate = INFINITY;
	} else {
		struct root_problem p = { &h, 0, (double)a };
		out->estimate = solve_psi(&p);
	}

	/* exact limits */
	double alpha = alt == STATS_TWO_SIDED ? (1 - conf_level) / 2 : 1 - conf_level;
	double lower = 0, upper = INFINITY;
	if (alt != STATS_LESS && a != h.lo) {
		struct root_problem p = { &h, 2, alpha };
		lower = solve_psi(&p);
	}
	if (alt != STATS_GREATER && a != h.hi) {
		struct root_problem p = { &h, 1, alpha };
		upper = solve_psi(&p);
	}
	out->ci_low = lower;
	out->ci_high = upper;
	free(h.logdc);
	free(h.dens);
	return STATS_OK;
}
