/*
 * rank.c - Wilcoxon rank-sum (Mann-Whitney U) and signed-rank tests with Hodges-Lehmann
 * estimates and intervals, as R's wilcox.test.
 *
 * Exact null distributions are counted with integers (the Gaussian-binomial product for U,
 * subset sums for V), so tail probabilities are exact up to the final division. Interval
 * limits are order statistics of the pairwise differences (or Walsh averages): R finds the
 * normal-approximation limits by root finding to 1e-4; here the exact order statistic is
 * located by a closed rule and fetched by selection (select.c), never by enumeration.
 */
#include "stats.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 wide_count;

struct stats_rank_options stats_rank_defaults(void)
{
	struct stats_rank_options o = { STATS_TWO_SIDED, 0.95, 0.0, 1, -1, 1, NULL };
	return o;
}

static void rank_nan(struct stats_rank_test *out)
{
	out->statistic = out->p_value = out->z = NAN;
	out->exact = 0;
	out->n_used = 0;
	out->ci_ok = 0;
	out->estimate = out->ci_low = out->ci_high = NAN;
	out->rank_low = out->rank_high = NAN;
	out->ci_conf_level = NAN;
	out->conf_level_achievable = 0;
}

/* An exact null distribution: count[u] for u = 0..max, and their total. */
struct distribution {
	wide_count *count;
	size_t max;
	double total;
};

/* Distribution of U for samples of m and n: coefficients of the Gaussian binomial
 * [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i). */
static int u_distribution(size_t m, size_t n, struct distribution *d)
{
	d->max = m * n;
	d->count = calloc(d->max + 1, sizeof *d->count);
	if (!d->count)
		return STATS_ENOMEM;
	d->count[0] = 1;
	size_t deg = 0;
	for (size_t i = 1; i <= m; i++) {
		size_t up = n + i;
		deg += n;
		for (size_t u = deg; u >= up; u--)
			d->count[u] -= d->count[u - up];
		for (size_t u = i; u <= deg; u++)
			d->count[u] += d->count[u - i];
	}
	wide_count total = 0;
	for (size_t u = 0; u <= d->max; u++)
		total += d->count[u];
	d->total = (double)total;
	return STATS_OK;
}

/*
 * Distribution of 2U for m values of x among the pooled sample with tie groups t[0..g): every
 * choice of which pooled values are x's is equally likely; an x in a group counts the y's
 * below (twice) and the y's in its own group (once). Dynamic programming over the groups.
 */
static int tied_u_distribution(const size_t *t, size_t g, size_t m, size_t n,
			       struct distribution *d)
{
	size_t top = 2 * m * n;
	size_t width = top + 1;
	wide_count *cur = calloc((m + 1) * width, sizeof *cur);
	wide_count *next = calloc((m + 1) * width, sizeof *next);
	if (!cur || !next) {
		free(cur);
		free(next);
		return STATS_ENOMEM;
	}
	cur[0] = 1;
	size_t before = 0;
	for (size_t gi = 0; gi < g; gi++) {
		memset(next, 0, (m + 1) * width * sizeof *next);
		wide_count binom[128];
		size_t tg = t[gi];
		binom[0] = 1;
		for (size_t j = 1; j <= tg && j < 128; j++)
			binom[j] = binom[j - 1] * (wide_count)(tg - j + 1) / (wide_count)j;
		for (size_t k = 0; k <= m && k <= before; k++) {
			size_t y_before = before - k;
			for (size_t u = 0; u < width; u++) {
				wide_count w = cur[k * width + u];
				if (!w)
					continue;
				for (size_t j = 0; j <= tg && k + j <= m && j < 128; j++) {
					size_t add = j * (2 * y_before + (tg - j));
					if (u + add < width)
						next[(k + j) * width + u + add] += w * binom[j];
				}
			}
		}
		wide_count *swap = cur;
		cur = next;
		next = swap;
		before += tg;
	}
	free(next);
	d->max = top;
	d->count = calloc(width, sizeof *d->count);
	if (!d->count) {
		free(cur);
		return STATS_ENOMEM;
	}
	wide_count total = 0;
	for (size_t u = 0; u < width; u++) {
		d->count[u] = cur[m * width + u];
		total += d->count[u];
	}
	d->total = (double)total;
	free(cur);
	return STATS_OK;
}

/* Distribution of V for n pairs: subsets of {1..n} by their sum. */
static int v_distribution(size_t n, struct distribution *d)
{
	d->max = n * (n + 1) / 2;
	d->count = calloc(d->max + 1, sizeof *d->count);
	if (!d->count)
		return STATS_ENOMEM;
	d->count[0] = 1;
	size_t top = 0;
	for (size_t k = 1; k <= n; k++) {
		top += k;
		for (size_t v = top; v >= k; v--)
			d->count[v] += d->count[v - k];
	}
	d->total = ldexp(1.0, (int)n);
	return STATS_OK;
}

/* P(X <= q) */
static double cdf_at(const struct distribution *d, double q)
{
	if (q < 0)
		return 0;
	wide_count s = 0;
	size_t top = q >= (double)d->max ? d->max : (size_t)q;
	for (size_t u = 0; u <= top; u++)
		s += d->count[u];
	return (double)s / d->total;
}

/* P(X >= q) */
static double sf_at(const struct distribution *d, double q)
{
	if (q <= 0)
		return 1;
	wide_count s = 0;
	for (size_t u = (size_t)ceil(q); u <= d->max; u++)
		s += d->count[u];
	return (double)s / d->total;
}

/* R's qwilcox/qsignrank for p <= 0.5: the smallest q with P(X <= q) >= p (fuzzed). */
static size_t quantile_at(const struct distribution *d, double p)
{
	p -= 10 * DBL_EPSILON;
	wide_count s = 0;
	for (size_t q = 0; q <= d->max; q++) {
		s += d->count[q];
		if ((double)s / d->total >= p)
			return q;
	}
	return d->max;
}

static double exact_p(const struct distribution *d, double stat, enum stats_alternative alt)
{
	double centre = (double)d->max / 2;
	switch (alt) {
	case STATS_LESS: return cdf_at(d, stat);
	case STATS_GREATER: return sf_at(d, stat);
	default: {
		double p = stat > centre ? sf_at(d, stat) : cdf_at(d, stat);
		return fmin(2 * p, 1);
	}
	}
}

static double normal_p(double z, enum stats_alternative alt)
{
	switch (alt) {
	case STATS_LESS: return gsl_cdf_ugaussian_P(z);
	case STATS_GREATER: return gsl_cdf_ugaussian_Q(z);
	default: return 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
	}
}

static double sign_of(double v)
{
	return (v > 0) - (v < 0);
}

static double continuity(int correct, enum stats_alternative alt, double dz)
{
	if (!correct)
		return 0;
	switch (alt) {
	case STATS_LESS: return -0.5;
	case STATS_GREATER: return 0.5;
	default: return 0.5 * sign_of(dz);
	}
}

/* Sum of t^3 - t over groups of equal values in sorted v. */
static double tie_sum(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && v[j] == v[i])
			j++;
		double t = (double)(j - i);
		s += t * t * t - t;
		i = j;
	}
	return s;
}

static int all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

static int is_sorted(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (!(x[i - 1] <= x[i]))
			return 0;
	return 1;
}

/* x + add, sorted: x itself when it is sorted and nothing is added (a comparison of 10^7 values
 * a side passes them sorted; copies were most of its memory). Free only if != x. */
static double *sorted_copy(const double *x, size_t n, double add)
{
	if (add == 0 && is_sorted(x, n))
		return (double *)x;

	double *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = x[i] + add;
	if (stats_sort(s, n)) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * The normal-approximation limit: the order statistic D(K*) of M sorted values, K* the
 * smallest K in 0..M with (M/2 - K - CC(K)) / s0 <= z (between consecutive values the
 * statistic is M/2 - K). Returns the 1-based rank, clamped to 1..M.
 */
static uint64_t normal_limit_rank(uint64_t M, double s0, double z, int correct,
				  enum stats_alternative alt)
{
	uint64_t lo = 0, hi = M + 1; /* first K satisfying the rule lies in [lo, hi]; M+1: none */
	while (lo < hi) {
		uint64_t k = lo + (hi - lo) / 2;
		double dz = (double)M / 2 - (double)k;
		if ((dz - continuity(correct, alt, dz)) / s0 <= z)
			hi = k;
		else
			lo = k + 1;
	}
	if (lo < 1)
		lo = 1;
	if (lo > M)
		lo = M;
	return lo;
}

/* The k-th smallest (1-based) difference a - b / Walsh average, from the sorted arrays. */
struct order_source {
	const double *a, *b;
	size_t na, nb;
	int walsh; /* Walsh averages: a == b, triangular, halved; else differences a - b */
};

/*
 * Fetches, in one pass over a shared work space, the Hodges-Lehmann estimate (the median of
 * the M values) and the interval's order statistics rank_low / rank_high (0: infinite end).
 */
static int fetch_order_stats(const struct order_source *s, uint64_t M, uint64_t rank_low,
			     uint64_t rank_high, struct stats_rank_test *out)
{
	uint64_t k[4];
	size_t nk = 0;
	k[nk++] = (M + 1) / 2;
	if (M % 2 == 0)
		k[nk++] = M / 2 + 1;
	size_t at_low = nk, at_high = nk;
	if (rank_low)
		k[at_low = nk++] = rank_low;
	if (rank_high)
		k[at_high = nk++] = rank_high;
	double v[4];
	int rc = s->walsh ? stats_select_pairwise_sums(s->a, s->na, s->b, s->nb, 1, k, nk, v)
			  : stats_select_pairwise_differences(s->a, s->na, s->b, s->nb, k, nk, v);
	if (rc)
		return rc;
	double scale = s->walsh ? 0.5 : 1;
	out->estimate = M % 2 ? v[0] * scale : (v[0] * scale + v[1] * scale) / 2;
	out->ci_low = rank_low ? v[at_low] * scale : -INFINITY;
	out->ci_high = rank_high ? v[at_high] * scale : INFINITY;
	out->rank_low = rank_low ? (double)rank_low : NAN;
	out->rank_high = rank_high ? (double)rank_high : NAN;
	return STATS_OK;
}

/* Exact interval: [D(q), D(M + 1 - q)] with q from the exact quantile. */
static int exact_interval(const struct order_source *s, const struct distribution *d,
			  uint64_t M, const struct stats_rank_options *opt,
			  struct stats_rank_test *out)
{
	double alpha = 1 - opt->conf_level;
	int two = opt->alternative == STATS_TWO_SIDED;
	size_t qu = quantile_at(d, two ? alpha / 2 : alpha);
	if (qu == 0)
		qu = 1;
	double achieved = (two ? 2 : 1) * cdf_at(d, (double)qu - 1);
	out->ci_conf_level = 1 - achieved;
	out->conf_level_achievable = !(achieved - alpha > alpha / 2);
	return fetch_order_stats(s, M, opt->alternative != STATS_LESS ? qu : 0,
				 opt->alternative != STATS_GREATER ? M + 1 - qu : 0, out);
}

/* Normal interval from the rank rule, for the alpha in use. */
static int normal_interval(const struct order_source *s, uint64_t M, double s0, double alpha,
			   const struct stats_rank_options *opt, struct stats_rank_test *out)
{
	int two = opt->alternative == STATS_TWO_SIDED;
	uint64_t low = 0, high = 0;
	if (opt->alternative != STATS_LESS)
		low = normal_limit_rank(M, s0, gsl_cdf_ugaussian_Qinv(two ? alpha / 2 : alpha),
					opt->correct, opt->alternative);
	if (opt->alternative != STATS_GREATER)
		high = normal_limit_rank(M, s0, gsl_cdf_ugaussian_Pinv(two ? alpha / 2 : alpha),
					 opt->correct, opt->alternative);
	return fetch_order_stats(s, M, low, high, out);
}

static int valid_options(const struct stats_rank_options *opt)
{
	return opt && opt->conf_level > 0 && opt->conf_level < 1 && isfinite(opt->mu) &&
	       (opt->alternative == STATS_TWO_SIDED || opt->alternative == STATS_LESS ||
		opt->alternative == STATS_GREATER);
}

int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		       const struct stats_rank_options *opt, struct stats_rank_test *out)
{
	rank_nan(out);
	if (nx < 1 || ny < 1 || !valid_options(opt))
		return STATS_EINVAL;
	if (!all_finite(x, nx) || !all_finite(y, ny))
		return STATS_ENONFINITE;
	int rc = STATS_ENOMEM;
	double *xs = sorted_copy(x, nx, -opt->mu); /* x - mu, for the test */
	double *ys = sorted_copy(y, ny, 0);
	double *xo = NULL;
	struct distribution dist = { 0 };
	int borrowed = 0; /* dist belongs to opt->cache */
	if (!xs || !ys)
		goto done;

	/* Merge: U of x = sum over x of (#y below + half #y equal); tie groups of the pool. */
	double u = 0;
	size_t j_lt = 0, j_le = 0;
	for (size_t i = 0; i < nx; i++) {
		while (j_lt < ny && ys[j_lt] < xs[i])
			j_lt++;
		if (j_le < j_lt)
			j_le = j_lt;
		while (j_le < ny && ys[j_le] <= xs[i])
			j_le++;
		u += (double)j_lt + 0.5 * (double)(j_le - j_lt);
	}
	/* Tie groups of the pooled sample, by merging the two sorted samples. */
	double ties = 0;
	for (size_t i = 0, j = 0; i < nx || j < ny;) {
		double v = (j >= ny || (i < nx && xs[i] <= ys[j])) ? xs[i] : ys[j];
		double t = 0;
		while (i < nx && xs[i] == v)
			i++, t++;
		while (j < ny && ys[j] == v)
			j++, t++;
		ties += t * t * t - t;
	}
	out->statistic = u;

	double dnx = (double)nx, dny = (double)ny, N = dnx + dny;
	int exact = opt->exact < 0    ? (nx < 50 && ny < 50 && ties == 0)
		    : opt->exact == 2 ? (nx < 50 && ny < 50)
				      : opt->exact;
	out->exact = exact;
	if (exact && ties > 0 && opt->exact == 2) {
		/* the exact law of U given these ties; the interval below stays the normal one */
		size_t *groups = malloc((nx + ny) * sizeof *groups), g = 0;
		if (!groups)
			goto done;
		for (size_t i = 0, j = 0; i < nx || j < ny;) {
			double v = (j >= ny || (i < nx && xs[i] <= ys[j])) ? xs[i] : ys[j];
			size_t t = 0;
			while (i < nx && xs[i] == v)
				i++, t++;
			while (j < ny && ys[j] == v)
				j++, t++;
			groups[g++] = t;
		}
		rc = tied_u_distribution(groups, g, nx, ny, &dist);
		free(groups);
		if (rc)
			goto done;
		out->p_value = exact_p(&dist, 2 * u, opt->alternative);
		exact = 0; /* for the interval: with ties it is the normal-approximation one */
	} else if (exact) {
		struct stats_rank_cache *c = opt->cache;
		if (c && c->count && c->m == nx && c->n == ny) {
			dist = (struct distribution){ c->count, c->max, c->total };
			borrowed = 1;
		} else {
			if ((rc = u_distribution(nx, ny, &dist)))
				goto done;
			if (c) { /* the cache keeps it, and the previous one goes */
				free(c->count);
				*c = (struct stats_rank_cache){ nx, ny, dist.max, dist.count, dist.total };
				borrowed = 1;
			}
		}
		out->p_value = exact_p(&dist, u, opt->alternative);
	} else {
		double dz = u - dnx * dny / 2;
		double sigma = sqrt(dnx * dny / 12 * ((N + 1) - ties / (N * (N - 1))));
		out->z = (dz - continuity(opt->correct, opt->alternative, dz)) / sigma;
		out->p_value = normal_p(out->z, opt->alternative);
	}
	rc = STATS_OK;
	if (!opt->conf_int)
		goto done;

	/* Hodges-Lehmann on x - y (without mu), both ascending. */
	rc = STATS_ENOMEM;
	xo = opt->mu == 0 ? xs : sorted_copy(x, nx, 0);
	if (!xo)
		goto done;
	const struct order_source src = { xo, ys, nx, ny, 0 };
	uint64_t M = (uint64_t)nx * ny;
	if (exact) {
		rc = exact_interval(&src, &dist, M, opt, out);
	} else {
		/* Tie groups of x and of y alone: between consecutive differences no x - d ties a y. */
		double s0 = sqrt(dnx * dny / 12 *
				 ((N + 1) - (tie_sum(xo, nx) + tie_sum(ys, ny)) / (N * (N - 1))));
		if (!(s0 > 0) || (xo[0] == xo[nx - 1] && ys[0] == ys[ny - 1])) {
			/* All differences equal: R's inversion has zero variance at its bracket. The
			 * test is defined; the interval is not. */
			rc = STATS_OK;
			goto done;
		}
		rc = normal_interval(&src, M, s0, 1 - opt->conf_level, opt, out);
		out->ci_conf_level = opt->conf_level;
		out->conf_level_achievable = 1;
	}
	out->ci_ok = rc == STATS_OK;
done:
	if (xs != x)
		free(xs);
	if (ys != y)
		free(ys);
	if (xo != xs && xo != x)
		free(xo);
	if (!borrowed)
		free(dist.count);
	return rc;
}

void stats_rank_cache_free(struct stats_rank_cache *c)
{
	free(c->count);
	memset(c, 0, sizeof *c);
}

/* The mid-rank (1-based) of value a in sorted[0..n), which must contain it. */
static double mid_rank(const double *sorted, size_t n, double a)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t first = lo;
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ((double)first + 1 + (double)lo) / 2;
}

/* Signed-rank statistic of v - d (zeros dropped) as R's W(d): (V - n(n+1)/4 - CC) / sigma.
 * Returns NaN when sigma is 0 (nothing left, or all |v - d| tied at a single value). */
static double signed_rank_z(const double *v, size_t n, double d, int correct,
			    enum stats_alternative alt, double *scratch)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double t = v[i] - d;
		if (t != 0)
			scratch[m++] = t;
	}
	/* V = sum of the mid-ranks of |t| over the positive t. */
	double *mag = scratch + n;
	for (size_t i = 0; i < m; i++)
		mag[i] = fabs(scratch[i]);
	stats_sort(mag, m);
	double V = 0;
	for (size_t i = 0; i < m; i++) {
		if (scratch[i] <= 0)
			continue;
		V += mid_rank(mag, m, fabs(scratch[i]));
	}
	double dm = (double)m;
	double zd = V - dm * (dm + 1) / 4;
	double sigma = sqrt(dm * (dm + 1) * (2 * dm + 1) / 24 - tie_sum(mag, m) / 48);
	if (!(sigma > 0))
		return NAN;
	return (zd - continuity(correct, alt, zd)) / sigma;
}

int stats_wilcoxon_signed_rank(const double *x, const double *y, size_t n,
			       const struct stats_rank_options *opt, struct stats_rank_test *out)
{
	rank_nan(out);
	if (n < 1 || !valid_options(opt))
		return STATS_EINVAL;
	if (!all_finite(x, n) || !all_finite(y, n))
		return STATS_ENONFINITE;
	int rc = STATS_ENOMEM;
	double *d = malloc(n * sizeof *d), *mag = malloc(n * sizeof *mag);
	double *walsh = NULL, *scratch = NULL;
	struct distribution dist = { 0 };
	if (!d || !mag)
		goto done;
	size_t m = 0;
	int zeroes = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (x[i] - y[i]) - opt->mu;
		if (t == 0)
			zeroes = 1;
		else
			d[m++] = t;
	}
	out->n_used = m;
	for (size_t i = 0; i < m; i++)
		mag[i] = fabs(d[i]);
	if ((rc = stats_sort(mag, m)))
		goto done;
	double ties = tie_sum(mag, m);
	double V = 0;
	for (size_t i = 0; i < m; i++) {
		if (d[i] <= 0)
			continue;
		V += mid_rank(mag, m, d[i]);
	}
	out->statistic = V;
	double dm = (double)m;
	int exact = opt->exact < 0 ? (m < 50 && ties == 0 && !zeroes) : opt->exact;
	if (m == 0)
		exact = 0;
	out->exact = exact;
	if (exact) {
		if ((rc = v_distribution(m, &dist)))
			goto done;
		out->p_value = exact_p(&dist, V, opt->alternative);
	} else {
		double dz = V - dm * (dm + 1) / 4;
		double sigma = sqrt(dm * (dm + 1) * (2 * dm + 1) / 24 - ties / 48);
		out->z = (dz - continuity(opt->correct, opt->alternative, dz)) / sigma;
		out->p_value = sigma > 0 ? normal_p(out->z, opt->alternative) : NAN;
	}
	rc = STATS_OK;
	if (!opt->conf_int || m == 0)
		goto done;

	/* Walsh averages of d + mu (zeros stay dropped), sorted for the selection. */
	rc = STATS_ENOMEM;
	walsh = malloc(m * sizeof *walsh);
	if (!walsh)
		goto done;
	for (size_t i = 0; i < m; i++)
		walsh[i] = d[i] + opt->mu;
	if ((rc = stats_sort(walsh, m)))
		goto done;
	const struct order_source src = { walsh, walsh, m, m, 1 };
	uint64_t M = (uint64_t)m * (m + 1) / 2;
	double alpha = 1 - opt->conf_level;
	if (exact) {
		rc = exact_interval(&src, &dist, M, opt, out);
	} else {
		/* R brackets the level with the test inverted at min(d) and max(d), doubling alpha
		 * until it fits. */
		rc = STATS_ENOMEM;
		scratch = malloc(2 * m * sizeof *scratch);
		if (!scratch)
			goto done;
		double w_min = signed_rank_z(walsh, m, walsh[0], opt->correct, opt->alternative, scratch);
		double w_max = signed_rank_z(walsh, m, walsh[m - 1], opt->correct, opt->alternative,
					     scratch);
		double s0 = sqrt(dm * (dm + 1) * (2 * dm + 1) / 24 - tie_sum(walsh, m) / 48);
		if (isnan(w_min) || isnan(w_max) || !(s0 > 0)) {
			rc = STATS_OK; /* all differences tied: no interval */
			goto done;
		}
		for (;;) {
			int widen = 0;
			if (opt->alternative == STATS_TWO_SIDED)
				widen = w_min - gsl_cdf_ugaussian_Qinv(alpha / 2) < 0 ||
					w_max - gsl_cdf_ugaussian_Pinv(alpha / 2) > 0;
			else if (opt->alternative == STATS_GREATER)
				widen = w_min - gsl_cdf_ugaussian_Qinv(alpha) < 0;
			else /* R 4.2.2 checks the "less" bracket at alpha/2 */
				widen = w_max - gsl_cdf_ugaussian_Pinv(alpha / 2) > 0;
			if (!widen || alpha >= 1)
				break;
			alpha *= 2;
		}
		out->conf_level_achievable = !(alpha >= 1 || 1 - opt->conf_level < alpha * 0.75);
		out->ci_conf_level = 1 - fmin(1, alpha);
		if (alpha < 1) {
			rc = normal_interval(&src, M, s0, alpha, opt, out);
		} else {
			rc = fetch_order_stats(&src, M, 0, 0, out);
			double med = walsh[m / 2];
			if (m % 2 == 0)
				med = (walsh[m / 2 - 1] + walsh[m / 2]) / 2;
			out->ci_low = opt->alternative == STATS_LESS ? -INFINITY : med;
			out->ci_high = opt->alternative == STATS_GREATER ? INFINITY : med;
		}
	}
	out->ci_ok = rc == STATS_OK;
done:
	free(d);
	free(mag);
	free(walsh);
	free(scratch);
	free(dist.count);
	return rc;
}

double stats_mann_whitney_min_p(size_t nx, size_t ny)
{
	if (!nx || !ny)
		return NAN;
	return 2.0 / gsl_sf_choose((unsigned)(nx + ny), (unsigned)(nx < ny ? nx : ny));
}
