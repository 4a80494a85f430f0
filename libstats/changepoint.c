/*
 * changepoint.c - E-divisive means (Matteson and James 2014) on blocked univariate data and
 * its permutation test (see changepoint.h).
 */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* splitmix64: a small, well-mixed generator; the permutations depend on the seed only. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without modulo bias (draws at or above the last whole multiple of n are
 * rejected). */
static size_t random_below(uint64_t *s, size_t n)
{
	uint64_t bound = (uint64_t)n, limit = UINT64_MAX - UINT64_MAX % bound;
	for (;;) {
		uint64_t r = next_random(s);
		if (r < limit)
			return (size_t)(r % bound);
	}
}

struct work {
	size_t n, n_blocks;
	const size_t *start;
	double *value;            /* centred values, by observation */
	size_t *rank;             /* rank of each observation among all */
	size_t *order;            /* observation at each position */
	double *cnt, *sum;        /* Fenwick trees over ranks */
	double *all;              /* each observation's sum of distances to every value */
	double *left;             /* within-left pair sums at each block boundary */
	double *pre;              /* sums of distances to later values, before each block boundary */
	double *sorted;           /* the values sorted, then their prefix sums */
	size_t cap_n, cap_blocks; /* what the arrays hold (a work space is reused) */
};

static void fenwick_clear(struct work *w)
{
	memset(w->cnt, 0, w->n * sizeof *w->cnt);
	memset(w->sum, 0, w->n * sizeof *w->sum);
}

/* Count and sum of the values added so far whose rank is below r. */
static void fenwick_below(const struct work *w, size_t r, double *c, double *s)
{
	double cc = 0, ss = 0;
	for (size_t i = r; i > 0; i -= i & (~i + 1)) {
		cc += w->cnt[i - 1];
		ss += w->sum[i - 1];
	}
	*c = cc;
	*s = ss;
}

static void fenwick_add(struct work *w, size_t r, double v)
{
	for (size_t i = r + 1; i <= w->n; i += i & (~i + 1)) {
		w->cnt[i - 1] += 1;
		w->sum[i - 1] += v;
	}
}

/* The sum of |v - u| over the values u added so far (count `seen`, sum `total`). */
static double distances(const struct work *w, size_t r, double v, double seen, double total)
{
	double c, s;
	fenwick_below(w, r, &c, &s);
	return (c * v - s) + ((total - s) - (seen - c) * v);
}

/* Q at every block boundary b (1 .. n_blocks-1) for the current order, into q[b]; returns the
 * largest Q among boundaries with min_left/min_right blocks on each side and its block.
 *
 * One pass: with D(j) the sum of distances from the j-th value to the values before it (the
 * Fenwick trees) and S(j) its sum of distances to every value (fixed by its rank, computed
 * once), E(j) = S(j) - D(j) sums the distances to the values after it. Before the boundary at
 * position p the within-left sum is sum D(j) over j < p, and the within-right sum is the sum
 * of E(j) over j >= p: every pair less the prefix sum of E. */
static double evaluate(struct work *w, size_t min_left, size_t min_right, double *q,
		       size_t *best_block)
{
	const size_t n = w->n, nb = w->n_blocks;
	fenwick_clear(w);
	double within = 0, after = 0, total = 0;
	size_t b = 1;
	for (size_t j = 0; j < n; j++) {
		while (b < nb && w->start[b] == j) {
			w->left[b] = within;
			w->pre[b++] = after;
		}
		size_t o = w->order[j];
		double d = distances(w, w->rank[o], w->value[o], (double)j, total);
		within += d;
		after += w->all[o] - d;
		fenwick_add(w, w->rank[o], w->value[o]);
		total += w->value[o];
	}
	const double all = within; /* every pair */
	double best = -INFINITY;
	*best_block = 0;
	for (b = 1; b < nb; b++) {
		double m = (double)w->start[b], k = (double)(n - w->start[b]);
		double l = w->left[b], r = all - w->pre[b], between = all - l - r;
		double wl = m > 1 ? l / (m * (m - 1) / 2) : 0;
		double wr = k > 1 ? r / (k * (k - 1) / 2) : 0;
		double qb = m * k / (m + k) * (2 * between / (m * k) - wl - wr);
		if (q)
			q[b] = qb;
		if (b >= min_left && nb - b >= min_right && qb > best) {
			best = qb;
			*best_block = b;
		}
	}
	return best;
}

static void work_free(struct work *w)
{
	free(w->value);
	free(w->rank);
	free(w->order);
	free(w->cnt);
	free(w->sum);
	free(w->all);
	free(w->left);
	free(w->pre);
	free(w->sorted);
	memset(w, 0, sizeof *w);
}

/* Grows the array w->field to n elements (kept when the realloc fails: work_free frees it). */
#define GROW(w, field, n)                                                     \
	do {                                                                  \
		void *grown_ = realloc((w)->field, (n) * sizeof *(w)->field); \
		if (!grown_)                                                  \
			return STATS_ENOMEM;                                  \
		(w)->field = grown_;                                          \
	} while (0)

/* Loads x (blocks `start`) into w, whose arrays are reused when large enough. */
static int work_load(struct work *w, const double *x, const size_t *start, size_t n_blocks)
{
	w->n = w->n_blocks = 0; /* no data until loaded */
	if (!x || !start || n_blocks < 1 || start[0] != 0)
		return STATS_EINVAL;
	for (size_t b = 0; b < n_blocks; b++)
		if (start[b + 1] <= start[b])
			return STATS_EINVAL;
	const size_t n = start[n_blocks];
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return STATS_ENONFINITE;
	if (n > w->cap_n) {
		GROW(w, value, n);
		GROW(w, rank, n);
		GROW(w, order, n);
		GROW(w, cnt, n);
		GROW(w, sum, n);
		GROW(w, all, n);
		GROW(w, sorted, n);
		w->cap_n = n;
	}
	if (n_blocks + 1 > w->cap_blocks) {
		GROW(w, left, n_blocks + 1);
		GROW(w, pre, n_blocks + 1);
		w->cap_blocks = n_blocks + 1;
	}
	w->n = n;
	w->n_blocks = n_blocks;
	w->start = start;
	/* ranks: each value's place among the sorted values (equal values share a rank, which
	 * the sums allow: their distance is 0 whichever side of each other they count); values
	 * centred on the median, which Q does not see, to keep the sums small */
	double *sorted = w->sorted;
	memcpy(sorted, x, n * sizeof *sorted);
	if (stats_sort(sorted, n) != STATS_OK)
		return STATS_ENOMEM;
	double mid = sorted[n / 2];
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = n; /* the first sorted value >= x[i] */
		while (lo < hi) {
			size_t m = lo + (hi - lo) / 2;
			if (sorted[m] < x[i])
				lo = m + 1;
			else
				hi = m;
		}
		w->rank[i] = lo;
		w->value[i] = x[i] - mid;
		w->order[i] = i;
	}
	/* each value's sum of distances to all: from the prefix sums of the sorted values
	 * (centred as the values are); equal values are 0 apart whichever side they count on */
	double *prefix = sorted; /* prefix[r]: sum of the r smallest, in place */
	double run = 0;
	for (size_t i = 0; i < n; i++) {
		double v = sorted[i] - mid;
		prefix[i] = run;
		run += v;
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = w->rank[i];
		double v = w->value[i], below = prefix[r];
		w->all[i] = ((double)r * v - below) + ((run - below) - (double)(n - r) * v);
	}
	return STATS_OK;
}

static int work_init(struct work *w, const double *x, const size_t *start, size_t n_blocks)
{
	memset(w, 0, sizeof *w);
	int rc = work_load(w, x, start, n_blocks);
	if (rc)
		work_free(w);
	return rc;
}

int stats_edivisive_profile(const double *x, const size_t *start, size_t n_blocks, double *q)
{
	struct work w;
	int rc = work_init(&w, x, start, n_blocks);
	if (rc)
		return rc;
	size_t at;
	q[0] = 0;
	evaluate(&w, 1, 1, q, &at);
	work_free(&w);
	return STATS_OK;
}

struct stats_ediv {
	struct work w;
};

int stats_ediv_new(const double *x, const size_t *start, size_t n_blocks, struct stats_ediv **out)
{
	*out = NULL;
	struct stats_ediv *e = malloc(sizeof *e);
	if (!e)
		return STATS_ENOMEM;
	int rc = work_init(&e->w, x, start, n_blocks);
	if (rc) {
		free(e);
		return rc;
	}
	*out = e;
	return STATS_OK;
}

int stats_ediv_load(struct stats_ediv *e, const double *x, const size_t *start, size_t n_blocks)
{
	return work_load(&e->w, x, start, n_blocks);
}

void stats_ediv_free(struct stats_ediv *e)
{
	if (!e)
		return;
	work_free(&e->w);
	free(e);
}

int stats_ediv_test(struct stats_ediv *e, size_t min_left, size_t min_right, size_t permutations,
		    size_t stop_after, uint64_t seed, struct stats_ediv_split *out)
{
	struct work *w = &e->w;
	out->block = 0;
	out->q = out->p_value = NAN;
	out->permutations = 0;
	if (min_left < 1)
		min_left = 1;
	if (min_right < 1)
		min_right = 1;
	if (stop_after < 1)
		stop_after = 1;
	if (min_left + min_right > w->n_blocks)
		return STATS_OK;          /* nothing to split */
	for (size_t i = 0; i < w->n; i++) /* the observed order (a test may come before) */
		w->order[i] = i;
	size_t at;
	double observed = evaluate(w, min_left, min_right, NULL, &at);
	out->block = at;
	out->q = observed;
	if (permutations > 0) {
		/* a tolerance for ties: a permutation that reproduces the observed split exactly
		 * must count as reaching it despite rounding in the sums */
		double reach = observed - 1e-9 * fabs(observed);
		size_t reached = 0, drawn = 0;
		uint64_t state = seed;
		while (drawn < permutations && reached < stop_after) {
			for (size_t i = w->n - 1; i > 0; i--) { /* Fisher-Yates */
				size_t j = random_below(&state, i + 1), t = w->order[i];
				w->order[i] = w->order[j];
				w->order[j] = t;
			}
			size_t ignored;
			if (evaluate(w, min_left, min_right, NULL, &ignored) >= reach)
				reached++;
			drawn++;
		}
		out->permutations = drawn;
		out->p_value = reached >= stop_after ? (double)reached / (double)drawn
						     : (double)(1 + reached) / (double)(1 + drawn);
	}
	return STATS_OK;
}

int stats_edivisive_split(const double *x, const size_t *start, size_t n_blocks,
			  size_t min_left, size_t min_right, size_t permutations, size_t stop_after,
			  uint64_t seed, struct stats_ediv_split *out)
{
	out->block = 0;
	out->q = out->p_value = NAN;
	out->permutations = 0;
	struct stats_ediv *e;
	int rc = stats_ediv_new(x, start, n_blocks, &e);
	if (rc)
		return rc;
	rc = stats_ediv_test(e, min_left, min_right, permutations, stop_after, seed, out);
	stats_ediv_free(e);
	return rc;
}
