/*
 * select.c - the k-th smallest pairwise sum a[i] + b[j] without forming the na*nb sums.
 *
 * With a and b sorted, the sums form a matrix sorted along rows and columns, so the number of
 * entries below any value p is found by one "staircase" walk in O(na + nb). Each round samples
 * entries from the still-possible region, takes two pivots that bracket the target rank in the
 * sample (the Floyd-Rivest idea), counts below both, and keeps only the band between them: the
 * region shrinks by a large factor per round, so a few walks find the answer; once the region
 * is small it is gathered and finished with quickselect. Differences x - y are sums with b = -y
 * reversed; Walsh averages (d_i + d_j)/2, i <= j, are the triangular case halved.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

/* splitmix64: a tiny, local, deterministic generator (no global state). */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t random_below(uint64_t *state, uint64_t n)
{
	return n ? next_random(state) % n : 0;
}

/* Quickselect: the element of rank k (0-based) of v[0..n); v is reordered. */
static double quickselect(double *v, size_t n, size_t k, uint64_t *rng)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = v[lo + random_below(rng, hi - lo + 1)];
		/* Three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot. */
		size_t lt = lo, i = lo, gt = hi;
		while (i <= gt) {
			if (v[i] < pivot) {
				double t = v[lt];
				v[lt++] = v[i];
				v[i++] = t;
			} else if (v[i] > pivot) {
				double t = v[gt];
				v[gt] = v[i];
				v[i] = t;
				if (gt == 0)
					break;
				gt--;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt - 1;
		else if (k > gt)
			lo = gt + 1;
		else
			return pivot;
	}
	return v[lo];
}

struct matrix {
	const double *a, *b;
	size_t na, nb;
	int triangular;
};

static size_t first_column(const struct matrix *m, size_t i)
{
	return m->triangular ? i : 0;
}

/*
 * For each row i, bound[i] = the first column j (>= first_column) with a[i] + b[j] >= p
 * (strict == 0) or > p (strict != 0); returns the number of entries before the bounds.
 */
static uint64_t staircase(const struct matrix *m, double p, int strict, size_t *bound)
{
	uint64_t total = 0;
	size_t j = m->nb;
	for (size_t i = 0; i < m->na; i++) {
		double ai = m->a[i];
		if (strict)
			while (j > 0 && ai + m->b[j - 1] > p)
				j--;
		else
			while (j > 0 && ai + m->b[j - 1] >= p)
				j--;
		size_t c0 = first_column(m, i), c = j > c0 ? j : c0;
		bound[i] = c;
		total += c - c0;
	}
	return total;
}

int stats_select_pairwise_sum(const double *a, size_t na, const double *b, size_t nb,
			      int triangular, uint64_t k, double *out)
{
	*out = NAN;
	if (triangular && (a != b || na != nb))
		return STATS_EINVAL;
	uint64_t total = triangular ? (uint64_t)na * (na + 1) / 2 : (uint64_t)na * nb;
	if (na == 0 || nb == 0 || k < 1 || k > total)
		return STATS_EINVAL;
	const struct matrix m = { a, b, na, nb, triangular };
	size_t *lo = malloc(na * sizeof *lo), *hi = malloc(na * sizeof *hi);
	size_t *lt = malloc(na * sizeof *lt), *le = malloc(na * sizeof *le);
	uint64_t *prefix = malloc(na * sizeof *prefix);
	double *gathered = NULL;
	int rc = STATS_ENOMEM;
	if (!lo || !hi || !lt || !le || !prefix)
		goto done;
	for (size_t i = 0; i < na; i++) {
		lo[i] = first_column(&m, i);
		hi[i] = nb;
	}
	uint64_t rng = UINT64_C(0x6f626c2d73656c65) ^ k; /* fixed: results are reproducible */
	uint64_t rank = k - 1;   /* 0-based rank of the target in the whole matrix */
	uint64_t below = 0;      /* entries left of lo[], all smaller than the target */
	uint64_t active = total; /* entries inside [lo, hi) */
	const uint64_t gather_limit = 4 * (uint64_t)(na + nb) > 4096 ? 4 * (uint64_t)(na + nb) : 4096;
	enum { SAMPLE = 512 };
	while (active > gather_limit) {
		/* Draw a sample of the active region, weighted by row width. */
		uint64_t acc = 0;
		for (size_t i = 0; i < na; i++) {
			acc += hi[i] - lo[i];
			prefix[i] = acc;
		}
		double sample[SAMPLE];
		for (size_t s = 0; s < SAMPLE; s++) {
			uint64_t r = random_below(&rng, active);
			size_t l = 0, h = na - 1;
			while (l < h) {
				size_t mid = l + (h - l) / 2;
				if (prefix[mid] > r)
					h = mid;
				else
					l = mid + 1;
			}
			uint64_t offset = r - (l ? prefix[l - 1] : 0);
			sample[s] = a[l] + b[lo[l] + offset];
		}
		stats_sort(sample, SAMPLE);
		double where = (double)(rank - below) / (double)active * SAMPLE;
		double spread = 2.5 * sqrt(SAMPLE) + 1;
		long il = (long)floor(where - spread), ih = (long)ceil(where + spread);
		double plo = il < 0 ? -INFINITY : sample[il];
		double phi = ih >= SAMPLE ? INFINITY : sample[ih];

		uint64_t n_lt = isinf(plo) ? 0 : staircase(&m, plo, 0, lt);
		if (isinf(plo))
			for (size_t i = 0; i < na; i++)
				lt[i] = first_column(&m, i);
		uint64_t n_le = isinf(phi) ? total : staircase(&m, phi, 1, le);
		if (isinf(phi))
			for (size_t i = 0; i < na; i++)
				le[i] = nb;

		uint64_t before = active;
		if (rank < n_lt) {         /* target below plo */
			for (size_t i = 0; i < na; i++)
				if (lt[i] < hi[i])
					hi[i] = lt[i];
		} else if (rank >= n_le) { /* target above phi */
			for (size_t i = 0; i < na; i++)
				if (le[i] > lo[i])
					lo[i] = le[i];
		} else {                   /* target in [plo, phi] */
			if (plo == phi) {
				*out = plo;
				rc = STATS_OK;
				goto done;
			}
			for (size_t i = 0; i < na; i++) {
				if (lt[i] > lo[i])
					lo[i] = lt[i];
				if (le[i] < hi[i])
					hi[i] = le[i];
			}
		}
		below = 0;
		active = 0;
		for (size_t i = 0; i < na; i++) {
			below += lo[i] - first_column(&m, i);
			active += hi[i] > lo[i] ? hi[i] - lo[i] : 0;
			if (hi[i] < lo[i])
				hi[i] = lo[i];
		}
		if (active == before) {
			/* Heavy ties put the whole region inside [plo, phi]; split it at its middle
			 * value with a three-way count, which always makes progress. */
			double p = sample[SAMPLE / 2];
			uint64_t c_lt = staircase(&m, p, 0, lt), c_le = staircase(&m, p, 1, le);
			if (rank >= c_lt && rank < c_le) {
				*out = p;
				rc = STATS_OK;
				goto done;
			}
			for (size_t i = 0; i < na; i++) {
				if (rank < c_lt && lt[i] < hi[i])
					hi[i] = lt[i];
				if (rank >= c_le && le[i] > lo[i])
					lo[i] = le[i];
				if (hi[i] < lo[i])
					hi[i] = lo[i];
			}
			below = active = 0;
			for (size_t i = 0; i < na; i++) {
				below += lo[i] - first_column(&m, i);
				active += hi[i] - lo[i];
			}
		}
	}
	gathered = malloc((active ? active : 1) * sizeof *gathered);
	if (!gathered)
		goto done;
	size_t g = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = lo[i]; j < hi[i]; j++)
			gathered[g++] = a[i] + b[j];
	if (g == 0 || rank < below || rank - below >= g) {
		rc = STATS_EINVAL; /* cannot happen with sorted, NaN-free input */
		goto done;
	}
	*out = quickselect(gathered, g, (size_t)(rank - below), &rng);
	rc = STATS_OK;
done:
	free(lo);
	free(hi);
	free(lt);
	free(le);
	free(prefix);
	free(gathered);
	return rc;
}
