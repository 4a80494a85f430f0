/*
 * summary.c - sorting, sample quantiles (Hyndman-Fan types 1, 7, 8) and summary statistics.
 *
 * The sort is an LSD radix sort on the order-preserving integer image of each double: it is
 * O(n), which matters when obl sorts millions of request latencies, and it needs no comparator.
 * Means and variances accumulate in long double over two passes (as R does), so data such
 * as 1e9 + small noise keep their digits.
 */
#include "stats.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *stats_strerror(int status)
{
	switch (status) {
	case STATS_OK: return "success";
	case STATS_EINVAL: return "invalid argument (too few values or a parameter out of range)";
	case STATS_ENOMEM: return "out of memory";
	case STATS_EZEROVAR: return "data are essentially constant";
	case STATS_ENONFINITE: return "data contain NaN or infinite values";
	default: return "unknown error";
	}
}

/* Maps a double onto a uint64 whose unsigned order is the numeric order (-0 sorts before +0). */
static uint64_t key_of(double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	return (u & UINT64_C(0x8000000000000000)) ? ~u : u | UINT64_C(0x8000000000000000);
}

static double double_of(uint64_t k)
{
	uint64_t u = (k & UINT64_C(0x8000000000000000)) ? k & ~UINT64_C(0x8000000000000000) : ~k;
	double v;
	memcpy(&v, &u, sizeof v);
	return v;
}

static void insertion_sort(double *x, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		size_t j = i;
		while (j > 0 && x[j - 1] > v) {
			x[j] = x[j - 1];
			j--;
		}
		x[j] = v;
	}
}

int stats_sort(double *x, size_t n)
{
	if (n < 64) {
		insertion_sort(x, n);
		return STATS_OK;
	}
	uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	if (!a || !b) {
		free(a);
		free(b);
		return STATS_ENOMEM;
	}
	enum { BITS = 11, BUCKETS = 1 << BITS, PASSES = (64 + BITS - 1) / BITS };
	static_assert(PASSES == 6, "six 11-bit digits cover 64 bits");
	size_t count[PASSES][BUCKETS];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_of(x[i]);
		a[i] = k;
		for (int p = 0; p < PASSES; p++)
			count[p][(k >> (p * BITS)) & (BUCKETS - 1)]++;
	}
	for (int p = 0; p < PASSES; p++) {
		/* A digit that is the same for every key would be a wasted pass. */
		if (count[p][(a[0] >> (p * BITS)) & (BUCKETS - 1)] == n)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < BUCKETS; d++) {
			size_t c = count[p][d];
			count[p][d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[p][(a[i] >> (p * BITS)) & (BUCKETS - 1)]++] = a[i];
		uint64_t *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = double_of(a[i]);
	free(a);
	free(b);
	return STATS_OK;
}

double stats_quantile_sorted(const double *x, size_t n, double p, int type)
{
	if (n == 0 || !(p >= 0 && p <= 1))
		return NAN;
	const double fuzz = 4 * DBL_EPSILON;
	double dn = (double)n;
	if (type == 1) {
		/* R: j = floor(n p + fuzz); x(j) if n p == j else x(j + 1). */
		double nppm = dn * p;
		double j = floor(nppm + fuzz);
		double k = nppm > j ? j + 1 : j;
		if (k < 1)
			k = 1;
		if (k > dn)
			k = dn;
		return x[(size_t)k - 1];
	}
	if (type == 7) {
		double index = (dn - 1) * p; /* 0-based */
		double lo = floor(index), hi = ceil(index);
		double qs = x[(size_t)lo];
		double h = index - lo;
		if (index > lo && x[(size_t)hi] != qs)
			qs = (1 - h) * qs + h * x[(size_t)hi];
		return qs;
	}
	if (type == 8) {
		double nppm = 1.0 / 3 + p * (dn + 1.0 / 3);
		double j = floor(nppm + fuzz);
		double h = nppm - j;
		if (fabs(h) < fuzz)
			h = 0;
		/* x(j) and x(j + 1), 1-based, clamped to x(1) and x(n). */
		double jl = j < 1 ? 1 : (j > dn ? dn : j);
		double ju = j + 1 < 1 ? 1 : (j + 1 > dn ? dn : j + 1);
		double lo = x[(size_t)jl - 1], hi = x[(size_t)ju - 1];
		if (h == 0)
			return lo;
		if (h == 1)
			return hi;
		return (1 - h) * lo + h * hi;
	}
	return NAN;
}

static void fill_nan(struct stats_summary *out, size_t n)
{
	out->n = n;
	out->mean = out->variance = out->sd = NAN;
	out->min = out->max = out->median = NAN;
}

/* Mean and variance by two passes in long double, the mean refined by the mean residual. */
static void moments(const double *x, size_t n, double *mean, double *variance)
{
	long double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	long double m = s / n;
	long double r = 0;
	for (size_t i = 0; i < n; i++)
		r += x[i] - m;
	m += r / n;
	*mean = (double)m;
	if (n < 2) {
		*variance = NAN;
		return;
	}
	long double ss = 0;
	for (size_t i = 0; i < n; i++) {
		long double d = x[i] - m;
		ss += d * d;
	}
	*variance = (double)(ss / (n - 1));
}

int stats_summary_sorted(const double *x, size_t n, struct stats_summary *out)
{
	fill_nan(out, n);
	if (n == 0)
		return STATS_EINVAL;
	if (!isfinite(x[0]) || !isfinite(x[n - 1]))
		return STATS_ENONFINITE;
	moments(x, n, &out->mean, &out->variance);
	out->sd = sqrt(out->variance);
	out->min = x[0];
	out->max = x[n - 1];
	out->median = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
	return STATS_OK;
}

int stats_summary(const double *x, size_t n, struct stats_summary *out)
{
	fill_nan(out, n);
	if (n == 0)
		return STATS_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return STATS_ENONFINITE;
	double *s = malloc(n * sizeof *s);
	if (!s)
		return STATS_ENOMEM;
	memcpy(s, x, n * sizeof *s);
	int rc = stats_sort(s, n);
	if (rc == STATS_OK)
		rc = stats_summary_sorted(s, n, out);
	free(s);
	return rc;
}
