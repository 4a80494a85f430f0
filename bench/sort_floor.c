/*
 * sort_floor.c - the floor of comparing two pooled samples, for make bench: the time to sort
 * N lognormal values a side with stats_sort (what any exact rank test must at least do).
 * Usage: sort_floor N; prints the seconds.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "stats.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	size_t n = strtoul(argv[1], NULL, 10);
	double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!x || !y || !r)
		return 1;
	for (size_t i = 0; i < n; i++) {
		x[i] = 10 * gsl_ran_lognormal(r, 0, 0.2);
		y[i] = 10 * gsl_ran_lognormal(r, 0, 0.2);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (stats_sort(x, n) || stats_sort(y, n))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	gsl_rng_free(r);
	free(x);
	free(y);
	return 0;
}
