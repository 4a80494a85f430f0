/*
 * select.c - the k-th smallest pairwise sum a[i] + b[j] without forming the na*nb sums.
 *
 * With a and b sorted, the sums form a matrix sorted along rows and columns, so the number of
 * entries below any value p is found by one "staircase" walk in O(na + nb). Each round samples
 * entries from the still-possible band of values, takes two pivots that bracket the target
 * rank in the sample (the Floyd-Rivest idea), counts below both, and keeps only the band
 * between them: the band shrinks by a large factor per round, so a few walks find the answer;
 * once it is small (at most 2^20 entries) it is gathered and finished with quickselect. The
 * band is two values, not a column range per row: memory stays O(1) in the sizes (a sample
 * and the gathered band), so the interval of 10^7 x 10^7 differences costs about 12 MiB beside
 * the data. Differences x - y are read as sums with b = -y reversed, without the copy; Walsh
 * averages (d_i + d_j)/2, i <= j, are the triangular case halved.
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
	int differences; /* entry (i, j) is a[i] - b[nb - 1 - j]: differences without a copy of -b */
};

/* Entry (i, j): rows and columns ascending. a[i] - b[k] is a[i] + (-b[k]) exactly (IEEE
 * subtraction is the addition of the negation), so differences are the same doubles as the
 * sums with a negated, reversed copy of b would be. */
static inline double entry(const struct matrix *m, size_t i, size_t j)
{
	return m->differences ? m->a[i] - m->b[m->nb - 1 - j] : m->a[i] + m->b[j];
}

static size_t first_column(const struct matrix *m, size_t i)
{
	return m->triangular ? i : 0;
}

/*
 * The entries of rank below..upto-1 are those of the band: lo < e (lo_open) or lo <= e, and
 * e < hi (hi_open) or e <= hi. The band is kept as values, not as a column range per row, so
 * the selection needs no memory in proportion to the rows: each row's columns in the band
 * are found again by the walk that needs them (both ends only move left as rows go down).
 */
struct band {
	double lo, hi;
	int lo_open, hi_open;
	uint64_t below, upto;
};

/* Is e left of the band's lower end / inside its upper end? */
static inline int below_lo(const struct band *w, double e)
{
	return w->lo_open ? e <= w->lo : e < w->lo;
}

static inline int above_hi(const struct band *w, double e)
{
	return w->hi_open ? e >= w->hi : e > w->hi;
}

/* The number of entries below p (e < p), or at most p (e <= p) with inclusive != 0. */
static uint64_t count_below(const struct matrix *m, double p, int inclusive)
{
	uint64_t total = 0;
	size_t j = m->nb;
	for (size_t i = 0; i < m->na; i++) {
		if (inclusive)
			while (j > 0 && entry(m, i, j - 1) > p)
				j--;
		else
			while (j > 0 && entry(m, i, j - 1) >= p)
				j--;
		size_t c0 = first_column(m, i);
		total += j > c0 ? j - c0 : 0;
	}
	return total;
}

/* Every stride-th entry of a band, from a random start, in row-major order: a sample of the
 * band a round keeps, drawn by the walk that counts it (so the next round needs no walk of its
 * own to sample). */
struct stride_sample {
	double *out;
	size_t n, cap;
	uint64_t next, stride; /* position in the band of the next entry to take */
};

/*
 * Moves j left past the entries of row i at least p (above p with strict): the staircase step
 * of a walk. The entries are nondecreasing along the row, so four compared at once and their
 * leading run of trues counted move j as far as four loop steps would, without the branch
 * mispredicted at the end of most rows (j moves about one column a row when na ~ nb).
 */
static inline size_t step_left(const struct matrix *m, size_t i, size_t j, double p, int strict)
{
	while (j >= 4) {
		double e1 = entry(m, i, j - 1), e2 = entry(m, i, j - 2), e3 = entry(m, i, j - 3),
		       e4 = entry(m, i, j - 4);
		unsigned c1 = strict ? e1 > p : e1 >= p, c2 = strict ? e2 > p : e2 >= p;
		unsigned c3 = strict ? e3 > p : e3 >= p, c4 = strict ? e4 > p : e4 >= p;
		unsigned k = c1 + (c1 & c2) + (c1 & c2 & c3) + (c1 & c2 & c3 & c4);
		j -= k;
		if (k < 4)
			return j;
	}
	while (j > 0 && (strict ? entry(m, i, j - 1) > p : entry(m, i, j - 1) >= p))
		j--;
	return j;
}

/*
 * Both counts of a round in one walk: e < plo and e <= phi (plo <= phi). With ss, also samples
 * the entries in [plo, phi]. The walk of every round: the matrix's kind is a constant here
 * (count_below2 picks one), so the entries are computed without testing it at each step.
 */
static inline void count_walk(const struct matrix *mm, int differences, int triangular,
			      double plo, double phi, uint64_t *n_lt, uint64_t *n_le,
			      struct stride_sample *ss)
{
	const struct matrix mc = { mm->a, mm->b, mm->na, mm->nb, triangular, differences };
	const struct matrix *m = &mc;
	uint64_t c_lt = 0, c_le = 0, pos = 0;
	size_t j1 = m->nb, j2 = m->nb;
	for (size_t i = 0; i < m->na; i++) {
		j1 = step_left(m, i, j1, plo, 0);
		j2 = step_left(m, i, j2, phi, 1);
		size_t c0 = first_column(m, i);
		size_t u = j1 > c0 ? j1 : c0, v = j2 > c0 ? j2 : c0;
		c_lt += u - c0;
		c_le += v - c0;
		if (ss) {
			while (ss->next < pos + (v - u) && ss->n < ss->cap) {
				ss->out[ss->n++] = entry(m, i, u + (size_t)(ss->next - pos));
				ss->next += ss->stride;
			}
			pos += v - u;
		}
	}
	*n_lt = c_lt;
	*n_le = c_le;
}

static void count_below2(const struct matrix *m, double plo, double phi, uint64_t *n_lt,
			 uint64_t *n_le, struct stride_sample *ss)
{
	if (m->differences)
		count_walk(m, 1, 0, plo, phi, n_lt, n_le, ss);
	else if (m->triangular)
		count_walk(m, 0, 1, plo, phi, n_lt, n_le, ss);
	else
		count_walk(m, 0, 0, plo, phi, n_lt, n_le, ss);
}

/*
 * Walks the band row by row, calling visit(ctx, i, first, last) with each row's columns
 * [first, last) inside it, in row order (the visitor sees the band's entries in row-major
 * order, which the sampling uses).
 */
static void walk_band(const struct matrix *m, const struct band *w,
		      void (*visit)(void *ctx, const struct matrix *m, size_t i, size_t first,
				    size_t last),
		      void *ctx)
{
	size_t j1 = m->nb, j2 = m->nb;
	for (size_t i = 0; i < m->na; i++) {
		while (j1 > 0 && !below_lo(w, entry(m, i, j1 - 1)))
			j1--;
		while (j2 > 0 && above_hi(w, entry(m, i, j2 - 1)))
			j2--;
		size_t c0 = first_column(m, i);
		size_t first = j1 > c0 ? j1 : c0, last = j2 > c0 ? j2 : c0;
		if (last > first)
			visit(ctx, m, i, first, last);
	}
}

/* Entries sampled per narrowing round: more means fewer O(na + nb) walks. */
enum { SAMPLE = 1 << 18 };
/* Up to this many pairwise sums, selection forms them all instead (see below): no more than
 * one round's sample, which the narrowing would draw and sort first (obl-history's intervals,
 * 300 x 300 values a window, spent most of their time sorting samples bigger than the
 * matrix). */
enum { SMALL_TOTAL = SAMPLE };
/* A band of at most this many entries is gathered and finished by quickselect (8 MiB). */
enum { GATHER_MAX = 1 << 20 };

/* Sampling: positions (sorted, in [0, active)) turned into the entries at them. */
struct sampling {
	double *sample;
	size_t k;
	uint64_t row_start, active;
};

static void sample_row(void *ctx, const struct matrix *m, size_t i, size_t first, size_t last)
{
	struct sampling *s = ctx;
	uint64_t len = last - first;
	while (s->k < SAMPLE) {
		uint64_t r = (uint64_t)s->sample[s->k];
		if (r >= s->active) /* rounding above 2^53 entries */
			r = s->active - 1;
		if (r >= s->row_start + len)
			break;
		s->sample[s->k++] = entry(m, i, first + (size_t)(r - s->row_start));
	}
	s->row_start += len;
}

struct gathering {
	double *out;
	size_t n;
};

static void gather_row(void *ctx, const struct matrix *m, size_t i, size_t first, size_t last)
{
	struct gathering *g = ctx;
	for (size_t j = first; j < last; j++)
		g->out[g->n++] = entry(m, i, j);
}

/* Leaves the sample at base[0..n) for the caller (narrow's buffers take turns). */
static void keep_sample(double *base, const double *sample, size_t n, size_t *n_out)
{
	if (sample != base)
		memmove(base, sample, n * sizeof *base);
	*n_out = n;
}

/*
 * Narrows the band w around the entries of 0-based ranks r1..r2, while it is large and two
 * pivots can bracket all of them. Returns 1 and sets *found when a pivot is the single target
 * itself. sample has room for 4 * SAMPLE values (this round's sample and the next); a sorted
 * sample of w may be given in sample[0..*n_sample), and when it returns 0 for targets it cannot
 * bracket, it leaves the band's sorted sample there (*n_sample values, 0 if none). Returns 2
 * when the walk that counted the band also took every entry of it (a band of at most SAMPLE
 * expected entries is sampled with stride 1): the whole band is then in sample[0..*n_sample),
 * sorted, and the entry of rank r is sample[r - w->below], with no walk to gather it.
 */
static int narrow(const struct matrix *m, struct band *w, uint64_t r1, uint64_t r2,
		  uint64_t gather_limit, uint64_t *rng, double *sample, size_t *n_sample,
		  double *found)
{
	double *const base = sample;
	double *next = sample + 2 * SAMPLE;
	size_t n_s = *n_sample; /* a sample of the band in sample[0..n_s), if any */
	int whole = 0;          /* the sample is every entry of the band */
	*n_sample = 0;
	while (whole || w->upto - w->below > gather_limit) {
		uint64_t active = w->upto - w->below;
		if (whole) {
			stats_sort(sample, n_s);
			keep_sample(base, sample, n_s, n_sample);
			return 2;
		}
		if (n_s == 0 && !m->triangular && active == (uint64_t)m->na * m->nb) {
			/* The band is the whole matrix: entries at random rows and columns are a
			 * uniform sample of it, with no walk. */
			for (size_t k = 0; k < SAMPLE; k++)
				sample[k] = entry(m, (size_t)random_below(rng, m->na),
						  (size_t)random_below(rng, m->nb));
			n_s = SAMPLE;
		}
		if (n_s == 0) {
			/* Draw a uniform sample of the band: sorted random positions, picked up in
			 * one walk over the rows (no per-sample search through the rows). */
			for (size_t k = 0; k < SAMPLE; k++)
				sample[k] = (double)random_below(rng, active); /* exact below 2^53 */
			stats_sort(sample, SAMPLE);
			struct sampling sm = { sample, 0, 0, active };
			walk_band(m, w, sample_row, &sm);
			n_s = SAMPLE;
		}
		stats_sort(sample, n_s);
		size_t n_cur = n_s;
		/* +-2 sqrt(S) sample positions is at least 4 binomial standard deviations: a miss
		 * is rare and only costs one more round. */
		double ds = (double)n_s, spread = 2 * sqrt(ds) + 1;
		double where_lo = (double)(r1 - w->below) / (double)active * ds;
		double where_hi = (double)(r2 - w->below) / (double)active * ds;
		long il = (long)floor(where_lo - spread), ih = (long)ceil(where_hi + spread);
		if (ih - il > (long)n_s / 2) { /* the targets are too far apart to share a band */
			keep_sample(base, sample, n_s, n_sample);
			return 0;
		}
		int bounded = il >= 0 && ih < (long)n_s;
		double plo = il < 0 ? -INFINITY : sample[il];
		double phi = ih >= (long)n_s ? INFINITY : sample[ih];
		double middle = sample[n_s / 2];

		/* The band [plo, phi] should hold about (ih - il) / S of this one: sample it
		 * while counting, every stride-th entry, for about SAMPLE entries. */
		double expect = (double)(ih - il) / ds * (double)active;
		uint64_t stride = expect > SAMPLE ? (uint64_t)(expect / SAMPLE) : 1;
		struct stride_sample ss = { next, 0, 2 * SAMPLE, random_below(rng, stride), stride };
		uint64_t n_lt, n_le;
		count_below2(m, plo, phi, &n_lt, &n_le, bounded ? &ss : NULL);
		n_s = 0;
		whole = 0;
		if (r2 < n_lt) { /* all targets below plo */
			w->hi = plo;
			w->hi_open = 1;
			w->upto = n_lt;
		} else if (r1 >= n_le) { /* all targets above phi */
			w->lo = phi;
			w->lo_open = 1;
			w->below = n_le;
		} else if (r1 >= n_lt && r2 < n_le) { /* all targets in [plo, phi] */
			if (plo == phi && r1 == r2) {
				*found = plo;
				return 1;
			}
			if (plo > -INFINITY) { /* else the band's own end stays */
				w->lo = plo;
				w->lo_open = 0;
				w->below = n_lt;
			}
			if (phi < INFINITY) {
				w->hi = phi;
				w->hi_open = 0;
				w->upto = n_le;
			}
			/* The new band is [plo, phi] itself: its stride sample serves the next
			 * round, unless it came out far from the size expected (then draw anew). */
			int all = stride == 1 && (uint64_t)ss.n == w->upto - w->below;
			if (bounded && (ss.n >= SAMPLE / 4 || all) && ss.n < ss.cap) {
				double *t = sample;
				sample = next;
				next = t;
				n_s = ss.n;
				whole = all;
			}
		} else { /* the pivots split the targets; the band and its sample are as they were */
			keep_sample(base, sample, n_cur, n_sample);
			return 0;
		}
		if (w->upto - w->below == active && !whole) {
			if (r1 != r2)
				return 0;
			/* Heavy ties put the whole band inside [plo, phi]; split it at its middle
			 * value with a three-way count, which always makes progress. */
			double p = middle;
			uint64_t c_lt = count_below(m, p, 0), c_le = count_below(m, p, 1);
			n_s = 0;
			whole = 0;
			if (r1 >= c_lt && r1 < c_le) {
				*found = p;
				return 1;
			}
			if (r1 < c_lt) {
				w->hi = p;
				w->hi_open = 1;
				w->upto = c_lt;
			} else {
				w->lo = p;
				w->lo_open = 1;
				w->below = c_le;
			}
		}
	}
	return 0;
}

/* select_ranks could not narrow two adjacent ranks together (pivots fell between them). */
enum { APART = -1 };

/* The entries of 0-based ranks r1 and r2 (r2 is r1 or r1 + 1) into out[0] and out[1],
 * starting from the band `start` and its sorted sample start_sample[0..n_start) (n_start may
 * be 0). A pair is found by the same rounds as one rank (the median of an even number of
 * differences), not by a walk more; APART when it must be found one rank at a time. */
static int select_ranks(const struct matrix *m, const struct band *start,
			const double *start_sample, size_t n_start, uint64_t r1, uint64_t r2,
			uint64_t gather_limit, uint64_t *rng, double *sample, double *out)
{
	struct band w = *start;
	size_t n_s = n_start;
	memcpy(sample, start_sample, n_start * sizeof *sample);
	double found;
	int got = narrow(m, &w, r1, r2, gather_limit, rng, sample, &n_s, &found);
	if (got == 1) { /* only when r1 == r2 */
		out[0] = out[1] = found;
		return STATS_OK;
	}
	if (got == 2) { /* the whole band, sorted, taken by the walk that counted it */
		out[0] = sample[r1 - w.below];
		out[1] = sample[r2 - w.below];
		return STATS_OK;
	}
	uint64_t active = w.upto - w.below;
	if (active == 0 || r1 < w.below || r2 >= w.upto)
		return STATS_EINVAL; /* cannot happen with sorted, NaN-free input */
	if (active > gather_limit)
		return APART;
	struct gathering g = { malloc((size_t)active * sizeof *g.out), 0 };
	if (!g.out)
		return STATS_ENOMEM;
	walk_band(m, &w, gather_row, &g);
	int rc = STATS_EINVAL;
	if (g.n == active) {
		out[0] = quickselect(g.out, g.n, (size_t)(r1 - w.below), rng);
		out[1] = r2 == r1 ? out[0] : quickselect(g.out, g.n, (size_t)(r2 - w.below), rng);
		rc = STATS_OK;
	}
	free(g.out);
	return rc;
}

/* The entry of rank `rank` given v, the entry of rank `rank - 1`: one more walk. */
static double next_rank(const struct matrix *m, uint64_t rank, double v)
{
	if (count_below(m, v, 1) > rank)
		return v; /* ties: v repeats */
	double best = INFINITY;
	size_t j = m->nb;
	for (size_t i = 0; i < m->na; i++) {
		while (j > 0 && entry(m, i, j - 1) > v)
			j--;
		size_t c0 = first_column(m, i), c = j > c0 ? j : c0;
		if (c < m->nb && entry(m, i, c) < best)
			best = entry(m, i, c);
	}
	return best;
}

/* Several ranks of the matrix m (see stats_select_pairwise_sums). */
static int select_entries(const struct matrix *m, const uint64_t *k, size_t nk, double *out)
{
	size_t na = m->na, nb = m->nb;
	for (size_t i = 0; i < nk; i++)
		out[i] = NAN;
	uint64_t total = m->triangular ? (uint64_t)na * (na + 1) / 2 : (uint64_t)na * nb;
	if (na == 0 || nb == 0)
		return STATS_EINVAL;
	for (size_t i = 0; i < nk; i++)
		if (k[i] < 1 || k[i] > total)
			return STATS_EINVAL;
	if (total <= SMALL_TOTAL) {
		/* Few sums (a benchmark's 20 repetitions a side make 400, a window of runs
		 * either side of a change 90 000): forming them and selecting costs less than
		 * setting up the narrowing. The same entries, so the same values. */
		double *sums = malloc((size_t)total * sizeof *sums);
		if (!sums)
			return STATS_ENOMEM;
		size_t n = 0;
		for (size_t i = 0; i < na; i++)
			for (size_t j = first_column(m, i); j < nb; j++)
				sums[n++] = entry(m, i, j);
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
				stats_select_kth(sums + below, n - below, r - below);
				below = r + 1;
			}
			out[next] = sums[r];
			prev = next;
		}
		free(sums);
		return STATS_OK;
	}
	/* Two samples a round (this one and the next) and the shared band's. */
	double *sample = malloc(6 * SAMPLE * sizeof *sample), *shared = sample + 4 * SAMPLE;
	if (!sample)
		return STATS_ENOMEM;
	uint64_t rng = UINT64_C(0x6f626c2d73656c65); /* fixed: the work done is reproducible */
	/* Gathering is one walk and a quickselect; below the rows' own size it costs no more
	 * than another narrowing round, and above 2^20 entries its memory would. */
	uint64_t gather_limit = (uint64_t)(na + nb) > 65536 ? (uint64_t)(na + nb) : 65536;
	if (gather_limit > GATHER_MAX)
		gather_limit = GATHER_MAX;
	/* First narrow the band around all the targets at once (an interval's limits lie close
	 * to the estimate), then finish each target from that shared band. */
	uint64_t r1 = UINT64_MAX, r2 = 0;
	for (size_t i = 0; i < nk; i++) {
		r1 = k[i] - 1 < r1 ? k[i] - 1 : r1;
		r2 = k[i] - 1 > r2 ? k[i] - 1 : r2;
	}
	struct band start = { -INFINITY, INFINITY, 0, 0, 0, total };
	double found;
	int rc = STATS_OK;
	size_t n_shared = 0;
	char *set = NULL; /* the targets found */
	int got = nk > 1 ? narrow(m, &start, r1, r2, gather_limit, &rng, sample, &n_shared,
				  &found)
			 : 0;
	if (got == 1) {
		for (size_t i = 0; i < nk; i++) /* found only when every rank is the same */
			out[i] = found;
		goto done;
	}
	if (got == 2) { /* every target in one band, taken whole */
		for (size_t i = 0; i < nk; i++)
			out[i] = sample[k[i] - 1 - start.below];
		goto done;
	}
	memcpy(shared, sample, n_shared * sizeof *shared);
	set = calloc(nk, 1);
	if (!set) {
		rc = STATS_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < nk && rc == STATS_OK; i++) {
		if (set[i])
			continue;
		size_t prev = nk, pair = nk; /* a target found one rank below; one to find beside */
		for (size_t j = 0; j < nk; j++) {
			if (set[j] && k[j] + 1 == k[i])
				prev = j;
			if (!set[j] && j != i && (k[j] == k[i] + 1 || k[j] + 1 == k[i]))
				pair = j;
		}
		size_t lo = pair < nk && k[pair] < k[i] ? pair : i, hi = lo == i ? pair : i;
		double two[2] = { NAN, NAN };
		if (prev < nk) {
			out[i] = next_rank(m, k[i] - 1, out[prev]);
		} else if (pair < nk &&
			   (rc = select_ranks(m, &start, shared, n_shared, k[lo] - 1, k[hi] - 1,
					      gather_limit, &rng, sample, two)) != APART) {
			out[lo] = two[0];
			out[hi] = two[1];
			set[pair] = 1;
		} else {
			rc = select_ranks(m, &start, shared, n_shared, k[i] - 1, k[i] - 1,
					  gather_limit, &rng, sample, two);
			out[i] = two[0];
		}
		set[i] = 1;
	}
done:
	free(set);
	free(sample);
	return rc;
}

int stats_select_pairwise_sums(const double *a, size_t na, const double *b, size_t nb,
			       int triangular, const uint64_t *k, size_t nk, double *out)
{
	if (triangular && (a != b || na != nb)) {
		for (size_t i = 0; i < nk; i++)
			out[i] = NAN;
		return STATS_EINVAL;
	}
	const struct matrix m = { a, b, na, nb, triangular, 0 };
	return select_entries(&m, k, nk, out);
}

int stats_select_pairwise_differences(const double *x, size_t nx, const double *y, size_t ny,
				      const uint64_t *k, size_t nk, double *out)
{
	const struct matrix m = { x, y, nx, ny, 0, 1 };
	return select_entries(&m, k, nk, out);
}

int stats_select_pairwise_sum(const double *a, size_t na, const double *b, size_t nb,
			      int triangular, uint64_t k, double *out)
{
	return stats_select_pairwise_sums(a, na, b, nb, triangular, &k, 1, out);
}
