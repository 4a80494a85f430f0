/*
 * changepoint.h - libstats: the E-divisive means statistic of Matteson and James (2014) on
 * univariate data grouped in blocks, and its permutation test.
 *
 * Observations x[0..n) come in order, in blocks (the repetitions of one run form a block):
 * block b holds x[start[b] .. start[b + 1]), start[0] == 0 and start[n_blocks] == n. A split
 * falls between blocks, never inside one. For a split into a left part X (m values) and a
 * right part Y (k values) the statistic is (alpha = 1)
 *
 *   Q = m k / (m + k) * ( 2/(m k) sum |X_i - Y_j| - C(m,2)^-1 sum_{i<l} |X_i - X_l|
 *                                                 - C(k,2)^-1 sum_{j<l} |Y_j - Y_l| )
 *
 * (a within-part mean is 0 for a part of one value). The split with the largest Q is the
 * candidate; its significance is the permutation test of that maximum: the values are
 * shuffled over the positions (block sizes kept), the maximum over the allowed splits taken
 * again, with Besag and Clifford's (1991) sequential stopping once enough permutations reach
 * the observed maximum. The generator is seeded by the caller: results are reproducible.
 *
 * Every evaluation costs O(n log n) in one pass (a Fenwick tree over the ranks gives each value's sum of
 * distances to the values before it), so a permutation test costs O(R n log n).
 */
#ifndef OBL_CHANGEPOINT_H
#define OBL_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

struct stats_ediv_split {
	size_t block;        /* first block of the right part; 0 if no split is allowed */
	double q;            /* its statistic Q */
	double p_value;      /* permutation p-value (NaN if no split is allowed) */
	size_t permutations; /* permutations drawn (fewer than asked when stopped early) */
};

/*
 * The best split of the blocks [0, n_blocks) with at least min_left blocks on the left and
 * min_right on the right, and its permutation p-value from at most `permutations` shuffles
 * (0: Q only, p-value NaN). The test stops early once `stop_after` permutations (>= 1; 10
 * is customary) reached the observed Q: p is then stop_after / drawn, else (1 + reached) /
 * (1 + drawn). Returns STATS_OK, STATS_EINVAL (bad blocks), STATS_ENONFINITE or STATS_ENOMEM.
 */
int stats_edivisive_split(const double *x, const size_t *start, size_t n_blocks,
			  size_t min_left, size_t min_right, size_t permutations, size_t stop_after,
			  uint64_t seed, struct stats_ediv_split *out);

/* The same in steps, on one prepared work space (the sort and ranks done once): a split found
 * with permutations = 0 may then be tested with the same bounds, at the price of the
 * permutations only. stats_ediv_test gives what stats_edivisive_split gives. */
struct stats_ediv;
int stats_ediv_new(const double *x, const size_t *start, size_t n_blocks, struct stats_ediv **out);
int stats_ediv_test(struct stats_ediv *e, size_t min_left, size_t min_right, size_t permutations,
		    size_t stop_after, uint64_t seed, struct stats_ediv_split *out);
void stats_ediv_free(struct stats_ediv *e);
/* Other data into a work space made by stats_ediv_new, its memory reused (and grown when
 * needed): what a new work space would give, without the allocations, for searches that test
 * many segments. `start` must stay valid while the work space is tested. On an error the work
 * space holds no data until loaded again (it may still be freed). */
int stats_ediv_load(struct stats_ediv *e, const double *x, const size_t *start, size_t n_blocks);

/* Q of every split: q[b] for the split before block b (b in 1 .. n_blocks - 1; q[0] is 0).
 * For tests and plots. */
int stats_edivisive_profile(const double *x, const size_t *start, size_t n_blocks, double *q);

#endif
