/*
 * summary.c - sorting, sample quantiles (Hyndman-Fan types 1, 7, 8) and summary statistics.
 *
 * Large arrays are sorted by an LSD radix sort on the order-preserving integer image of each
 * double: O(n), which matters when obl sorts millions of request latencies; small ones by an
 * inline quicksort, since clearing the radix histograms would cost more than sorting.
 * Means and variances accumulate in long double over two passes (as R does), so data such
 * as 1e9 + small noise keep their digits.
 */
#include "stats.h"
#include "internal.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void stats_setup(void)
{
	gsl_set_error_handler_off();
}

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

/* Quicksort (median of three, smaller side first so the stack stays O(log n)) for arrays too
 * small to repay the radix sort's histograms. */
static void quick_sort(double *x, size_t n)
{
	while (n > 16) {
		double a = x[0], b = x[n / 2], c = x[n - 1];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		size_t i = 0, j = n - 1;
		for (;;) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i >= j)
				break;
			double t = x[i];
			x[i++] = x[j];
			x[j--] = t;
		}
		size_t left = j + 1;
		if (left == 0 || left == n) { /* cannot happen with a median-of-three pivot */
			insertion_sort(x, n);
			return;
		}
		if (left < n - left) {
			quick_sort(x, left);
			x += left;
			n -= left;
		} else {
			quick_sort(x + left, n - left);
			n = left;
		}
	}
	insertion_sort(x, n);
}

int stats_sort(double *x, size_t n)
{
	size_t ordered = 1;
	while (ordered < n && x[ordered - 1] <= x[ordered])
		ordered++;
	if (ordered >= n)
		return STATS_OK; /* already sorted: common, as callers pass sorted copies along */
	if (n < 4096) {
		quick_sort(x, n);
		return STATS_OK;
	}
	/* The keys are written over x itself (as bytes: a key is not a double), so the sort needs
	 * one more array of n, not two: at 10^7 values a side that was 160 MB of a comparison. */
	unsigned char *buf = malloc(n * sizeof(uint64_t));
	if (!buf)
		return STATS_ENOMEM;
	unsigned char *a = (unsigned char *)x, *b = buf;
	enum { BITS = 11,
	       BUCKETS = 1 << BITS,
	       PASSES = (64 + BITS - 1) / BITS };
	static_assert(PASSES == 6, "six 11-bit digits cover 64 bits");
	size_t count[PASSES][BUCKETS];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_of(x[i]);
		memcpy(a + i * sizeof k, &k, sizeof k);
		for (int p = 0; p < PASSES; p++)
			count[p][(k >> (p * BITS)) & (BUCKETS - 1)]++;
	}
	for (int p = 0; p < PASSES; p++) {
		/* A digit that is the same for every key would be a wasted pass. */
		uint64_t k0;
		memcpy(&k0, a, sizeof k0);
		if (count[p][(k0 >> (p * BITS)) & (BUCKETS - 1)] == n)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < BUCKETS; d++) {
			size_t c = count[p][d];
			count[p][d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t k;
			memcpy(&k, a + i * sizeof k, sizeof k);
			memcpy(b + count[p][(k >> (p * BITS)) & (BUCKETS - 1)]++ * sizeof k, &k, sizeof k);
		}
		unsigned char *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t k;
		memcpy(&k, a + i * sizeof k, sizeof k);
		x[i] = double_of(k);
	}
	free(buf);
	return STATS_OK;
}

/*
 * Where the quantile lies: Q = (1 - h) x(lo) + h x(hi) with 0-based positions lo <= hi
 * (h == 0 means x(lo) exactly). Returns 0 for bad arguments.
 */
static int quantile_position(size_t n, double p, int type, size_t *lo, size_t *hi, double *h)
{
	if (n == 0 || !(p >= 0 && p <= 1))
		return 0;
	const double fuzz = 4 * DBL_EPSILON;
	double dn = (double)n;
	if (type == 1) {
		/* R: j = floor(n p + fuzz); x(j) if n p == j else x(j + 1). */
		double nppm = dn * p;
		double j = floor(nppm + fuzz);
		double k = nppm > j ? j + 1 : j;
		k = k < 1 ? 1 : k > dn ? dn
				       : k;
		*lo = *hi = (size_t)k - 1;
		*h = 0;
		return 1;
	}
	if (type == 7) {
		double index = (dn - 1) * p; /* 0-based */
		*lo = (size_t)floor(index);
		*hi = (size_t)ceil(index);
		*h = index - floor(index);
		return 1;
	}
	if (type == 8) {
		double nppm = 1.0 / 3 + p * (dn + 1.0 / 3);
		double j = floor(nppm + fuzz);
		double frac = nppm - j;
		if (fabs(frac) < fuzz)
			frac = 0;
		/* x(j) and x(j + 1), 1-based, clamped to x(1) and x(n). */
		double jl = j < 1 ? 1 : (j > dn ? dn : j);
		double ju = j + 1 < 1 ? 1 : (j + 1 > dn ? dn : j + 1);
		*lo = (size_t)jl - 1;
		*hi = (size_t)ju - 1;
		*h = frac;
		return 1;
	}
	return 0;
}

/* R's interpolation between the two order statistics a = x(lo) and b = x(hi). */
static double interpolate(double a, double b, double h, int type)
{
	if (type == 7)
		return h > 0 && b != a ? (1 - h) * a + h * b : a;
	if (h == 0)
		return a;
	if (h == 1)
		return b;
	return (1 - h) * a + h * b;
}

double stats_quantile_sorted(const double *x, size_t n, double p, int type)
{
	size_t lo, hi;
	double h;
	if (!quantile_position(n, p, type, &lo, &hi, &h))
		return NAN;
	return interpolate(x[lo], x[hi], h, type);
}

void stats_select_kth(double *x, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, target = (ptrdiff_t)k;
	while (hi > lo + 16) {
		ptrdiff_t mid = lo + (hi - lo) / 2;
		double a = x[lo], b = x[mid], c = x[hi];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		ptrdiff_t i = lo, j = hi;
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				double t = x[i];
				x[i++] = x[j];
				x[j--] = t;
			}
		}
		/* Now [lo, j] <= pivot <= [i, hi], and anything between equals the pivot. */
		if (target <= j)
			hi = j;
		else if (target >= i)
			lo = i;
		else
			return;
	}
	insertion_sort(x + lo, (size_t)(hi - lo + 1));
}

double stats_quantile_select(double *x, size_t n, double p, int type)
{
	size_t lo, hi;
	double h;
	if (!quantile_position(n, p, type, &lo, &hi, &h))
		return NAN;
	stats_select_kth(x, n, lo);
	double b = x[lo];
	if (hi > lo) /* x(lo + 1) is the smallest of what lies above position lo */
		for (size_t i = lo + 1; i < n; i++)
			if (i == lo + 1 || x[i] < b)
				b = x[i];
	return interpolate(x[lo], b, h, type);
}

/* A key whose unsigned order is the numeric order of doubles (-0 just below +0). */
static uint64_t order_key(double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum { KEEP_BITS = 20 }; /* histogram of the keys' top bits: 2^-8 of an octave a bin */

/* The order statistics rank[0..nr) of x[0..n) into out, x unchanged: a histogram of the
 * keys' top bits finds each rank's bin, then only those bins' values are gathered and
 * sorted. Returns 1, or 0 when that would cost more than a sixteenth of a copy of x (a
 * sample concentrated in a few bins), a value is NaN, or memory runs out. */
static int order_stats_keep(const double *x, size_t n, const size_t *rank, size_t nr, double *out)
{
	size_t bins = (size_t)1 << KEEP_BITS;
	uint64_t *count = calloc(bins, sizeof *count);
	uint32_t *slot = NULL;
	size_t *at = malloc(nr * 3 * sizeof *at), *base = at + nr, *fill = at + 2 * nr;
	double *gather = NULL;
	int ok = 0;
	if (!count || !at)
		goto done;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			goto done;
		count[order_key(x[i]) >> (64 - KEEP_BITS)]++;
	}
	/* Each rank's bin, and its rank within the bin. */
	size_t below = 0, b = 0;
	size_t *bin_of = malloc(nr * sizeof *bin_of), *below_of = malloc(nr * sizeof *below_of);
	if (!bin_of || !below_of) {
		free(bin_of);
		free(below_of);
		goto done;
	}
	for (size_t r = 0; r < nr; r++) {
		/* ranks need not be sorted: restart the walk when one is lower */
		if (r > 0 && rank[r] < below) {
			below = 0;
			b = 0;
		}
		while (below + count[b] <= rank[r])
			below += count[b++];
		bin_of[r] = b;
		below_of[r] = below;
	}
	/* Slots for the distinct bins, their values gathered contiguously. */
	slot = calloc(bins, sizeof *slot);
	size_t nslots = 0, total = 0;
	for (size_t r = 0; slot && r < nr; r++) {
		if (!slot[bin_of[r]]) {
			slot[bin_of[r]] = (uint32_t)++nslots;
			base[nslots - 1] = total;
			fill[nslots - 1] = total;
			total += count[bin_of[r]];
		}
		at[r] = slot[bin_of[r]] - 1;
	}
	if (slot && total <= n / 16 + 65536 && (gather = malloc((total ? total : 1) * sizeof *gather))) {
		for (size_t i = 0; i < n; i++) {
			uint32_t s = slot[order_key(x[i]) >> (64 - KEEP_BITS)];
			if (s)
				gather[fill[s - 1]++] = x[i];
		}
		for (size_t s = 0; s < nslots; s++)
			qsort(gather + base[s], fill[s] - base[s], sizeof *gather, cmp_double);
		for (size_t r = 0; r < nr; r++)
			out[r] = gather[base[at[r]] + rank[r] - below_of[r]];
		ok = 1;
	}
	free(bin_of);
	free(below_of);
done:
	free(gather);
	free(slot);
	free(at);
	free(count);
	return ok;
}

int stats_quantiles_keep(const double *x, size_t n, const double *p, size_t np, int type,
			 double *out)
{
	size_t *rank = malloc((2 * np + 1) * sizeof *rank);
	double *os = malloc((2 * np + 1) * sizeof *os);
	size_t *lo = malloc((np + 1) * sizeof *lo), *hi = malloc((np + 1) * sizeof *hi);
	double *h = malloc((np + 1) * sizeof *h);
	int rc = STATS_ENOMEM;
	if (!rank || !os || !lo || !hi || !h)
		goto done;
	size_t nr = 0;
	for (size_t i = 0; i < np; i++) {
		if (!quantile_position(n, p[i], type, &lo[i], &hi[i], &h[i])) {
			lo[i] = SIZE_MAX;
			continue;
		}
		rank[nr++] = lo[i];
		rank[nr++] = hi[i];
	}
	if (nr && !order_stats_keep(x, n, rank, nr, os)) {
		/* the plain way: selection on one copy */
		double *work = malloc(n * sizeof *work);
		if (!work)
			goto done;
		memcpy(work, x, n * sizeof *work);
		for (size_t i = 0; i < np; i++)
			out[i] = stats_quantile_select(work, n, p[i], type);
		free(work);
		rc = STATS_OK;
		goto done;
	}
	for (size_t i = 0, r = 0; i < np; i++) {
		if (lo[i] == SIZE_MAX) {
			out[i] = NAN;
			continue;
		}
		out[i] = interpolate(os[r], os[r + 1], h[i], type);
		r += 2;
	}
	rc = STATS_OK;
done:
	free(rank);
	free(os);
	free(lo);
	free(hi);
	free(h);
	return rc;
}

static void fill_nan(struct stats_summary *out, size_t n)
{
	out->n = n;
	out->mean = out->variance = out->sd = NAN;
	out->min = out->max = out->median = NAN;
}

/* Mean, variance and sd by two passes in long double, the mean refined by the mean residual.
 * Deviations are scaled by the largest one before squaring, so that data near DBL_MAX keep a
 * finite sd (where long double is no wider than double too); the variance may then be
 * infinite while the sd is not. */
static void moments(const double *x, size_t n, double *mean, double *variance, double *sd)
{
	long double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	if (!isfinite((double)(s / n))) { /* the sum overflowed: sum the shares instead */
		s = 0;
		for (size_t i = 0; i < n; i++)
			s += (long double)x[i] / n;
		s *= n;
	}
	long double m = s / n;
	long double r = 0;
	for (size_t i = 0; i < n; i++)
		r += x[i] - m;
	m += r / n;
	*mean = (double)m;
	if (n < 2) {
		*variance = *sd = NAN;
		return;
	}
	long double scale = 0;
	for (size_t i = 0; i < n; i++) {
		long double d = fabsl(x[i] - m);
		scale = d > scale ? d : scale;
	}
	long double ss = 0;
	for (size_t i = 0; scale > 0 && i < n; i++) {
		long double d = (x[i] - m) / scale;
		ss += d * d;
	}
	*sd = (double)(scale * sqrtl(ss / (n - 1)));
	*variance = (double)(scale * scale * (ss / (n - 1)));
}

int stats_summary_sorted(const double *x, size_t n, struct stats_summary *out)
{
	fill_nan(out, n);
	if (n == 0)
		return STATS_EINVAL;
	if (!isfinite(x[0]) || !isfinite(x[n - 1]))
		return STATS_ENONFINITE;
	moments(x, n, &out->mean, &out->variance, &out->sd);
	out->min = x[0];
	out->max = x[n - 1];
	out->median = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
	if (isinf(out->median)) /* two values near DBL_MAX: halve first */
		out->median = x[n / 2 - 1] / 2 + x[n / 2] / 2;
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

double stats_autocorr_lag1(const double *x, size_t n)
{
	if (n < 3)
		return NAN;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return NAN;
	double mean, variance, sd;
	moments(x, n, &mean, &variance, &sd);
	/* Deviations scaled by the sd (as in moments) so that neither sum overflows. */
	long double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		long double d = ((long double)x[i] - mean) / sd;
		den += d * d;
		if (i + 1 < n)
			num += d * (((long double)x[i + 1] - mean) / sd);
	}
	return sd > 0 && den > 0 ? (double)(num / den) : NAN;
}
