/*
 * test_changepoint.c - the E-divisive statistic against its definition computed directly
 * (every pair), and the permutation test's behaviour on data with a known answer.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "changepoint.h"
#include "check.h"
#include "stats.h"

/* Q at a split after m of n values, straight from Matteson and James's definition. */
static double q_direct(const double *x, size_t n, size_t m)
{
	double between = 0, wl = 0, wr = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double d = fabs(x[i] - x[j]);
			if (j < m)
				wl += d;
			else if (i >= m)
				wr += d;
			else
				between += d;
		}
	double a = (double)m, b = (double)(n - m);
	double e = 2 * between / (a * b) - (a > 1 ? wl / (a * (a - 1) / 2) : 0) -
		   (b > 1 ? wr / (b * (b - 1) / 2) : 0);
	return a * b / (a + b) * e;
}

static uint64_t lcg = 12345;
static double uniform(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(lcg >> 11) / 9007199254740992.0;
}
static double normal(void)
{
	double u = uniform(), v = uniform();
	return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

int main(void)
{
	/* 1. the profile equals the direct sums, blocks of uneven sizes, with ties */
	enum { NB = 9 };
	size_t start[NB + 1] = { 0 };
	size_t sizes[NB] = { 3, 1, 4, 2, 5, 3, 1, 2, 4 };
	for (size_t b = 0; b < NB; b++)
		start[b + 1] = start[b] + sizes[b];
	double x[32];
	for (size_t i = 0; i < start[NB]; i++)
		x[i] = i % 7 == 0 ? 5.0 : 100 + 3 * normal() + (i >= start[5] ? 8 : 0);
	double q[NB];
	int rc = stats_edivisive_profile(x, start, NB, q);
	double worst = 0;
	for (size_t b = 1; b < NB; b++) {
		double want = q_direct(x, start[NB], start[b]);
		worst = fmax(worst, fabs(q[b] - want) / fmax(1, fabs(want)));
	}
	check(rc == STATS_OK && worst < 1e-10, "E-divisive profile equals the pairwise definition "
					       "(largest relative error %.2g)",
	      worst);

	/* 2. a level shift of 10 sd after block 12 of 20 (3 values a block) is found there */
	enum { B2 = 20,
	       K = 3 };
	size_t s2[B2 + 1];
	double y[B2 * K];
	for (size_t b = 0; b <= B2; b++)
		s2[b] = b * K;
	for (size_t i = 0; i < B2 * K; i++)
		y[i] = 50 + normal() + (i >= 12 * K ? 10 : 0);
	struct stats_ediv_split sp;
	rc = stats_edivisive_split(y, s2, B2, 2, 2, 199, 10, 42, &sp);
	check(rc == STATS_OK && sp.block == 12, "a shift is split at its first block (got %zu)",
	      sp.block);
	check(sp.p_value <= 0.01 && sp.permutations == 199,
	      "a shift of 10 sd: p = 1/200 after all 199 permutations (got %g after %zu)",
	      sp.p_value, sp.permutations);
	/* the same seed gives the same answer; the p-value is exactly (1 + 0) / 200 */
	struct stats_ediv_split again;
	stats_edivisive_split(y, s2, B2, 2, 2, 199, 10, 42, &again);
	check(again.block == sp.block && again.p_value == sp.p_value && sp.p_value == 1.0 / 200,
	      "deterministic for a fixed seed");

	/* 3. no shift: over 200 series of pure noise, about alpha of the tests reject */
	size_t rejected = 0;
	for (int r = 0; r < 200; r++) {
		for (size_t i = 0; i < B2 * K; i++)
			y[i] = 50 + normal();
		stats_edivisive_split(y, s2, B2, 2, 2, 199, 10, (uint64_t)r, &sp);
		rejected += sp.p_value <= 0.05;
	}
	check(rejected >= 3 && rejected <= 20,
	      "under no change, 5%% tests reject about 10 of 200 series (got %zu)", rejected);

	/* 4. min_left / min_right are honoured; too few blocks gives no split */
	stats_edivisive_split(y, s2, B2, 19, 1, 0, 10, 1, &sp);
	check(sp.block == 19 && isnan(sp.p_value), "the only split allowed is taken, no test");
	stats_edivisive_split(y, s2, 3, 2, 2, 99, 10, 1, &sp);
	check(sp.block == 0, "three blocks cannot give two parts of two blocks");

	/* 5. one work space loaded with other data, shorter then longer, answers as a new one */
	{
		struct stats_ediv *e = NULL;
		check(stats_ediv_new(y, s2, 3, &e) == STATS_OK, "a work space for three blocks");
		for (size_t i = 0; i < B2 * K; i++)
			y[i] = 50 + normal() + (i >= 7 * K ? 10 : 0);
		struct stats_ediv_split fresh, reused;
		stats_edivisive_split(y, s2, 12, 2, 2, 199, 10, 7, &fresh);
		int rc1 = stats_ediv_load(e, y, s2, 12);
		int rc2 = stats_ediv_test(e, 2, 2, 199, 10, 7, &reused);
		check(rc1 == STATS_OK && rc2 == STATS_OK && reused.block == 7 && fresh.block == 7 &&
			      reused.p_value == fresh.p_value && reused.q == fresh.q,
		      "a work space loaded again: the split of a new one (block %zu, p %g)",
		      reused.block, reused.p_value);
		stats_edivisive_split(y, s2, B2, 2, 2, 199, 10, 8, &fresh);
		rc1 = stats_ediv_load(e, y, s2, B2);
		rc2 = stats_ediv_test(e, 2, 2, 199, 10, 8, &reused);
		check(rc1 == STATS_OK && rc2 == STATS_OK && reused.block == fresh.block &&
			      reused.p_value == fresh.p_value,
		      "grown to more values: the same again");
		double w[2] = { 1, NAN };
		size_t sw[3] = { 0, 1, 2 };
		rc1 = stats_ediv_load(e, w, sw, 2);
		rc2 = stats_ediv_test(e, 1, 1, 9, 10, 1, &reused);
		check(rc1 == STATS_ENONFINITE && rc2 == STATS_OK && reused.block == 0,
		      "after a refused load the work space holds nothing to split");
		stats_ediv_free(e);
	}

	/* 6. bad input */
	size_t bad[3] = { 0, 2, 2 };
	check(stats_edivisive_split(y, bad, 2, 1, 1, 0, 1, 1, &sp) == STATS_EINVAL,
	      "an empty block is rejected");
	double z[2] = { 1, NAN };
	size_t s3[3] = { 0, 1, 2 };
	check(stats_edivisive_split(z, s3, 2, 1, 1, 0, 1, 1, &sp) == STATS_ENONFINITE,
	      "NaN is rejected");
	return check_failures ? 1 : 0;
}
