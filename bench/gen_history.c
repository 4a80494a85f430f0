/*
 * gen_history - a simulated history for make bench: RUNS runs of SERIES series (scenarios x
 * 5 metrics), REPS repetitions each, written straight through the store (obl_store_write)
 * into JOBS job databases (runs in order, JOBS consecutive slices), as CI jobs would leave
 * them. Each series shifts its level by 10% at three places; repetition noise 2%.
 *
 *   gen_history PREFIX RUNS SERIES REPS JOBS SEED   (writes PREFIX-0.db ... PREFIX-(JOBS-1).db)
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "store.h"

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: gen_history PREFIX RUNS SERIES REPS JOBS SEED\n");
		return 2;
	}
	const char *prefix = argv[1];
	size_t runs = strtoul(argv[2], NULL, 10), series = strtoul(argv[3], NULL, 10);
	size_t reps = strtoul(argv[4], NULL, 10), jobs = strtoul(argv[5], NULL, 10);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, strtoul(argv[6], NULL, 10));
	const size_t metrics = 5, scenarios = (series + metrics - 1) / metrics;
	size_t(*shift)[3] = malloc(series * sizeof *shift);
	for (size_t k = 0; k < series; k++)
		for (int j = 0; j < 3; j++)
			shift[k][j] = gsl_rng_uniform_int(rng, runs);
	struct obl_error err;
	struct obl_store *store = NULL;
	for (size_t r = 0; r < runs; r++) {
		size_t job = r * jobs / runs;
		if (r == 0 || job != (r - 1) * jobs / runs) {
			obl_store_close(store);
			char path[4096];
			snprintf(path, sizeof path, "%s-%zu.db", prefix, job);
			if (obl_store_open(path, 1, &store, &err)) {
				obl_error_print(&err, "gen_history", stderr);
				return 3;
			}
		}
		struct obl_batch b;
		obl_batch_init(&b);
		char label[64], sha[65], day[32];
		snprintf(label, sizeof label, "night-%05zu", r);
		snprintf(day, sizeof day, "%05zu", r);
		if (obl_batch_tag(&b, "commit", day))
			return 3;
		snprintf(sha, sizeof sha, "%064zx", r + 1);
		for (size_t sc = 0; sc < scenarios; sc++) {
			char conc[32];
			snprintf(conc, sizeof conc, "%zu", sc + 1);
			for (size_t rep = 0; rep < reps; rep++) {
				struct obl_trial_data *t = obl_batch_trial(&b);
				if (!t || obl_trial_set_scenario(t, "concurrency", conc))
					return 3;
				for (size_t m = 0; m < metrics && sc * metrics + m < series; m++) {
					size_t k = sc * metrics + m;
					double level = 100 + 10 * (double)m;
					for (int j = 0; j < 3; j++)
						if (r >= shift[k][j])
							level *= 1.10;
					char name[32];
					snprintf(name, sizeof name, "latency%zu_ms", m);
					struct obl_series *se = obl_trial_series(t, name, "ms", OBL_KIND_AGGREGATE);
					if (!se || obl_values_push(&se->values,
								   level * (1 + gsl_ran_gaussian(rng, 0.02))))
						return 3;
				}
			}
		}
		const struct obl_source_info src = { label, "generated", sha, 0, label, NULL };
		struct obl_ingest_result res;
		memset(&res, 0, sizeof res);
		if (obl_store_write(store, &src, &b, &res, &err)) {
			obl_error_print(&err, "gen_history", stderr);
			return 3;
		}
		obl_ingest_result_release(&res);
		obl_batch_free(&b);
	}
	obl_store_close(store);
	free(shift);
	gsl_rng_free(rng);
	return 0;
}
