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
#include "internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
 * Both walks of a round in one pass: lt[i] = first column with a[i] + b[j] >= plo and
 * le[i] = first column with a[i] + b[j] > phi (plo <= phi; an infinite pivot is allowed).
 * Sets *n_lt and *n_le to the number of entries before each bound.
 */
static void staircase2(const struct matrix *m, double plo, double phi, size_t *lt, size_t *le,
		       uint64_t *n_lt, uint64_t *n_le)
{
	uint64_t c_lt = 0, c_le = 0;
	size_t j1 = m->nb, j2 = m->nb;
	const double *b = m->b;
	for (size_t i = 0; i < m->na; i++) {
		double ai = m->a[i];
		while (j1 > 0 && ai + b[j1 - 1] >= plo)
			j1--;
		while (j2 > 0 && ai + b[j2 - 1] > phi)
			j2--;
		size_t c0 = first_column(m, i);
		size_t u = j1 > c0 ? j1 : c0, v = j2 > c0 ? j2 : c0;
		lt[i] = u;
		le[i] = v;
		c_lt += u - c0;
		c_le += v - c0;
	}
	*n_lt = c_lt;
	*n_le = c_le;
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

/* Entries sampled per narrowing round: more means fewer O(na + nb) walks. */
enum { SAMPLE = 65536 };
/* Up to this many pairwise sums, selection forms them all instead (see below). */
enum { SMALL_TOTAL = 4096 };

/* Work space for repeated selections in one matrix, allocated once. */
struct selector {
	struct matrix m;
	size_t *lo, *hi, *lt, *le;
	double *gathered;
	size_t gathered_alloc;
	uint64_t total, rng;
};

static void selector_free(struct selector *s)
{
	free(s->lo);
	free(s->hi);
	free(s->lt);
	free(s->le);
	free(s->gathered);
}

static int selector_init(struct selector *s, const double *a, size_t na, const double *b,
			 size_t nb, int triangular)
{
	memset(s, 0, sizeof *s);
	s->m = (struct matrix){ a, b, na, nb, triangular };
	s->total = triangular ? (uint64_t)na * (na + 1) / 2 : (uint64_t)na * nb;
	s->rng = UINT64_C(0x6f626c2d73656c65); /* fixed: results are reproducible */
	s->lo = malloc(na * sizeof *s->lo);
	s->hi = malloc(na * sizeof *s->hi);
	s->lt = malloc(na * sizeof *s->lt);
	s->le = malloc(na * sizeof *s->le);
	if (!s->lo || !s->hi || !s->lt || !s->le) {
		selector_free(s);
		return STATS_ENOMEM;
	}
	return STATS_OK;
}

/* Recounts the entries left of lo[] and inside [lo, hi), normalising empty rows. */
static void region_size(struct selector *s, uint64_t *below, uint64_t *active)
{
	*below = *active = 0;
	for (size_t i = 0; i < s->m.na; i++) {
		if (s->hi[i] < s->lo[i])
			s->hi[i] = s->lo[i];
		*below += s->lo[i] - first_column(&s->m, i);
		*active += s->hi[i] - s->lo[i];
	}
}

/*
 * Narrows [lo, hi) around the entries of 0-based ranks r1..r2, while the region is large and
 * two pivots can bracket all of them. Returns 1 and sets *found when a pivot is the single
 * target itself.
 */
static int narrow(struct selector *s, uint64_t r1, uint64_t r2, double *sample, double *found)
{
	const struct matrix *m = &s->m;
	size_t na = m->na, nb = m->nb;
	size_t *lo = s->lo, *hi = s->hi, *lt = s->lt, *le = s->le;
	uint64_t below, active;
	region_size(s, &below, &active);
	const uint64_t gather_limit = (uint64_t)(na + nb) > 65536 ? (uint64_t)(na + nb) : 65536;
	while (active > gather_limit) {
		/* Draw a uniform sample of the active region: sorted random positions, picked up in
		 * one sweep over the rows (no per-sample search through the rows). */
		for (size_t k = 0; k < SAMPLE; k++)
			sample[k] = (double)random_below(&s->rng, active); /* exact below 2^53 */
		stats_sort(sample, SAMPLE);
		uint64_t row_start = 0;
		size_t row = 0;
		for (size_t k = 0; k < SAMPLE; k++) {
			uint64_t r = (uint64_t)sample[k];
			if (r >= active) /* rounding above 2^53 entries */
				r = active - 1;
			while (row_start + (hi[row] - lo[row]) <= r) {
				row_start += hi[row] - lo[row];
				row++;
			}
			sample[k] = m->a[row] + m->b[lo[row] + (r - row_start)];
		}
		stats_sort(sample, SAMPLE);
		/* +-2 sqrt(S) sample positions is at least 4 binomial standard deviations: a miss
		 * is rare and only costs one more round. */
		double spread = 2 * sqrt((double)SAMPLE) + 1;
		double where_lo = (double)(r1 - below) / (double)active * SAMPLE;
		double where_hi = (double)(r2 - below) / (double)active * SAMPLE;
		long il = (long)floor(where_lo - spread), ih = (long)ceil(where_hi + spread);
		if (ih - il > SAMPLE / 2)
			return 0; /* the targets are too far apart to share a band */
		double plo = il < 0 ? -INFINITY : sample[il];
		double phi = ih >= SAMPLE ? INFINITY : sample[ih];

		uint64_t n_lt, n_le;
		staircase2(m, plo, phi, lt, le, &n_lt, &n_le);

		uint64_t before = active;
		if (r2 < n_lt) { /* all targets below plo */
			for (size_t i = 0; i < na; i++)
				if (lt[i] < hi[i])
					hi[i] = lt[i];
		} else if (r1 >= n_le) { /* all targets above phi */
			for (size_t i = 0; i < na; i++)
				if (le[i] > lo[i])
					lo[i] = le[i];
		} else if (r1 >= n_lt && r2 < n_le) { /* all targets in [plo, phi] */
			if (plo == phi && r1 == r2) {
				*found = plo;
				return 1;
			}
			for (size_t i = 0; i < na; i++) {
				if (lt[i] > lo[i])
					lo[i] = lt[i];
				if (le[i] < hi[i])
					hi[i] = le[i];
			}
		} else {
			return 0; /* the pivots split the targets */
		}
		region_size(s, &below, &active);
		if (active == before) {
			if (r1 != r2)
				return 0;
			/* Heavy ties put the whole region inside [plo, phi]; split it at its middle
			 * value with a three-way count, which always makes progress. */
			double p = sample[SAMPLE / 2];
			uint64_t c_lt = staircase(m, p, 0, lt), c_le = staircase(m, p, 1, le);
			if (r1 >= c_lt && r1 < c_le) {
				*found = p;
				return 1;
			}
			for (size_t i = 0; i < na; i++) {
				if (r1 < c_lt && lt[i] < hi[i])
					hi[i] = lt[i];
				if (r1 >= c_le && le[i] > lo[i])
					lo[i] = le[i];
			}
			region_size(s, &below, &active);
		}
	}
	return 0;
}

/* The entry of 0-based rank `rank`, starting from the region in start_lo / start_hi. */
static int select_rank(struct selector *s, uint64_t rank, const size_t *start_lo,
		       const size_t *start_hi, double *sample, double *out)
{
	const struct matrix *m = &s->m;
	memcpy(s->lo, start_lo, m->na * sizeof *s->lo);
	memcpy(s->hi, start_hi, m->na * sizeof *s->hi);
	if (narrow(s, rank, rank, sample, out))
		return STATS_OK;
	uint64_t below, active;
	region_size(s, &below, &active);
	if (active > s->gathered_alloc) {
		free(s->gathered);
		s->gathered = malloc((active ? active : 1) * sizeof *s->gathered);
		s->gathered_alloc = s->gathered ? active : 0;
		if (!s->gathered)
			return STATS_ENOMEM;
	}
	size_t g = 0;
	for (size_t i = 0; i < m->na; i++)
		for (size_t j = s->lo[i]; j < s->hi[i]; j++)
			s->gathered[g++] = m->a[i] + m->b[j];
	if (g == 0 || rank < below || rank - below >= g)
		return STATS_EINVAL; /* cannot happen with sorted, NaN-free input */
	*out = quickselect(s->gathered, g, (size_t)(rank - below), &s->rng);
	return STATS_OK;
}

/* The entry of rank `rank` given v, the entry of rank `rank - 1`: one more walk. */
static double next_rank(struct selector *s, uint64_t rank, double v)
{
	if (staircase(&s->m, v, 1, s->le) > rank)
		return v; /* ties: v repeats */
	double best = INFINITY;
	for (size_t i = 0; i < s->m.na; i++)
		if (s->le[i] < s->m.nb && s->m.a[i] + s->m.b[s->le[i]] < best)
			best = s->m.a[i] + s->m.b[s->le[i]];
	return best;
}

int stats_select_pairwise_sums(const double *a, size_t na, const double *b, size_t nb,
			       int triangular, const uint64_t *k, size_t nk, double *out)
{
	for (size_t i = 0; i < nk; i++)
		out[i] = NAN;
	if (triangular && (a != b || na != nb))
		return STATS_EINVAL;
	uint64_t total = triangular ? (uint64_t)na * (na + 1) / 2 : (uint64_t)na * nb;
	if (na == 0 || nb == 0)
		return STATS_EINVAL;
	for (size_t i = 0; i < nk; i++)
		if (k[i] < 1 || k[i] > total)
			return STATS_EINVAL;
	if (total <= SMALL_TOTAL) {
		/* Few sums (a benchmark's 20 repetitions a side make 400): forming and sorting
		 * them costs less than setting up the selection. The same a[i] + b[j], so the
		 * same values. */
		double *sums = malloc((size_t)total * sizeof *sums);
		if (!sums)
			return STATS_ENOMEM;
		size_t m = 0;
		for (size_t i = 0; i < na; i++)
			for (size_t j = triangular ? i : 0; j < nb; j++)
				sums[m++] = a[i] + b[j];
		/* The ranks in increasing order (of rank, then position in k), each selected from
		 * what lies above the previous one: a selection leaves the smaller values below
		 * its rank and the larger above. */
		size_t below = 0, prev = nk; /* sums[0..below) are settled */
		for (size_t round = 0; round < nk; round++) {
			size_t next = nk;
			for (size_t i = 0; i < nk; i++) {
				int after_prev = prev == nk || k[i] > k[prev] ||
						 (k[i] == k[prev] && i > prev);
				if (after_prev && (next == nk || k[i] < k[next]))
					next = i;
			}
			size_t r = (size_t)(k[next] - 1);
			if (r >= below) {
				stats_select_kth(sums + below, m - below, r - below);
				below = r + 1;
			}
			out[next] = sums[r];
			prev = next;
		}
		free(sums);
		return STATS_OK;
	}
	struct selector s;
	int rc = selector_init(&s, a, na, b, nb, triangular);
	size_t *start_lo = malloc(na * sizeof *start_lo), *start_hi = malloc(na * sizeof *start_hi);
	double *sample = malloc(SAMPLE * sizeof *sample);
	if (rc || !start_lo || !start_hi || !sample) {
		rc = STATS_ENOMEM;
		goto done;
	}
	/* First narrow the region around all the targets at once (an interval's limits lie close
	 * to the estimate), then finish each target from that shared region. */
	uint64_t r1 = UINT64_MAX, r2 = 0;
	for (size_t i = 0; i < nk; i++) {
		r1 = k[i] - 1 < r1 ? k[i] - 1 : r1;
		r2 = k[i] - 1 > r2 ? k[i] - 1 : r2;
	}
	for (size_t i = 0; i < na; i++) {
		s.lo[i] = first_column(&s.m, i);
		s.hi[i] = nb;
	}
	double found;
	if (nk > 1 && narrow(&s, r1, r2, sample, &found)) {
		rc = STATS_EINVAL; /* narrow() only finds a value for a single rank */
		goto done;
	}
	memcpy(start_lo, s.lo, na * sizeof *start_lo);
	memcpy(start_hi, s.hi, na * sizeof *start_hi);
	for (size_t i = 0; i < nk && rc == STATS_OK; i++) {
		size_t prev = nk;
		for (size_t j = 0; j < i; j++)
			if (k[j] + 1 == k[i])
				prev = j;
		if (prev < nk)
			out[i] = next_rank(&s, k[i] - 1, out[prev]);
		else
			rc = select_rank(&s, k[i] - 1, start_lo, start_hi, sample, &out[i]);
	}
done:
	free(start_lo);
	free(start_hi);
	free(sample);
	selector_free(&s);
	return rc;
}

int stats_select_pairwise_sum(const double *a, size_t na, const double *b, size_t nb,
			      int triangular, uint64_t k, double *out)
{
	return stats_select_pairwise_sums(a, na, b, nb, triangular, &k, 1, out);
}
