/*
 * gen_plain.c - writes N lognormal values (ms-like, 0.001 resolution) with a fixed seed.
 * Usage: gen_plain N MU SIGMA SEED > file
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	long n = atol(argv[1]);
	double mu = atof(argv[2]), sigma = atof(argv[3]);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, strtoul(argv[4], NULL, 10));
	for (long i = 0; i < n; i++)
		printf("%.3f\n", gsl_ran_lognormal(r, mu, sigma));
	gsl_rng_free(r);
	return 0;
}
