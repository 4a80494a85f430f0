/*
 * history_detect - obl-history's analysis alone, without the store: RUNS runs of SERIES
 * simulated series (3 repetitions, noise 2%, three level shifts of 10% each), built in memory
 * with obl_history_add and analysed by obl_history_detect (all threads). Prints the change
 * points, the excursions and the CPU time of the analysis, for make bench.
 *
 *   history_detect RUNS SERIES SEED
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: history_detect RUNS SERIES SEED\n");
		return 2;
	}
	size_t runs = strtoul(argv[1], NULL, 10), series = strtoul(argv[2], NULL, 10);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, strtoul(argv[3], NULL, 10));
	struct obl_history h;
	memset(&h, 0, sizeof h);
	h.opt = obl_history_defaults();
	h.n_runs = runs;
	for (size_t k = 0; k < series; k++) {
		size_t shift[3];
		for (int j = 0; j < 3; j++)
			shift[j] = gsl_rng_uniform_int(rng, runs);
		char conc[32];
		snprintf(conc, sizeof conc, "%zu", k + 1);
		const struct obl_kv scenario[1] = { { "concurrency", conc } };
		for (size_t r = 0; r < runs; r++) {
			double level = 100, v[3];
			for (int j = 0; j < 3; j++)
				if (r >= shift[j])
					level *= 1.10;
			for (int i = 0; i < 3; i++)
				v[i] = level * (1 + gsl_ran_gaussian(rng, 0.02));
			if (obl_history_add(&h, "latency_ms", "ms", OBL_LOWER_IS_BETTER,
					    OBL_KIND_AGGREGATE, scenario, 1, r, v, 3))
				return 3;
		}
	}
	struct obl_error err;
	clock_t start = clock();
	if (obl_history_detect(&h, &err)) {
		obl_error_print(&err, "history_detect", stderr);
		return 3;
	}
	double cpu = (double)(clock() - start) / CLOCKS_PER_SEC;
	size_t cps = 0, excursions = 0;
	for (size_t i = 0; i < h.n_series; i++) {
		cps += h.series[i].n_cps;
		excursions += h.series[i].n_excursions;
	}
	printf("%zu %zu %.2f\n", cps, excursions, cpu);
	obl_history_free(&h);
	gsl_rng_free(rng);
	return 0;
}
