/*
 * gen_vllm.c - writes a vLLM-format serving result with per-request arrays, for make bench.
 * Usage: gen_vllm REQUESTS OUTPUT_TOKENS CONCURRENCY SEED [VALUES.csv]
 * Latencies are lognormal; with VALUES.csv, every stored value (TTFT and ITL in ms, in the
 * order obl stores them) is also written one per line, the input of sqlite3's .import floor.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	long n = atol(argv[1]), tokens = atol(argv[2]), conc = atol(argv[3]);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, strtoul(argv[4], NULL, 10));
	FILE *csv = argc > 5 ? fopen(argv[5], "w") : NULL;
	printf("{\"date\": \"20261124-000000\", \"backend\": \"vllm\", \"model_id\": \"bench\", "
	       "\"num_prompts\": %ld, \"request_rate\": \"inf\", \"max_concurrency\": %ld, "
	       "\"completed\": %ld, \"request_throughput\": %.6f, \"output_throughput\": %.6f, "
	       "\"total_token_throughput\": %.6f, \"duration\": 100.0,\n",
	       n, conc, n, n / 100.0, n * tokens / 100.0, n * (tokens + 64) / 100.0);
	printf("\"input_lens\": [");
	for (long i = 0; i < n; i++)
		printf("%s64", i ? ", " : "");
	printf("],\n\"output_lens\": [");
	for (long i = 0; i < n; i++)
		printf("%s%ld", i ? ", " : "", tokens);
	double *ttft = malloc(n * sizeof *ttft);
	printf("],\n\"ttfts\": [");
	for (long i = 0; i < n; i++) {
		ttft[i] = gsl_ran_lognormal(r, -3.5, 0.3);
		printf("%s%.17g", i ? ", " : "", ttft[i]);
		if (csv)
			fprintf(csv, "%.17g\n", ttft[i] * 1000);
	}
	printf("],\n\"itls\": [");
	for (long i = 0; i < n; i++) {
		printf("%s[", i ? ", " : "");
		for (long k = 0; k < tokens - 1; k++)
			printf("%s%.17g", k ? ", " : "", gsl_ran_lognormal(r, -4.6, 0.2));
		printf("]");
	}
	printf("],\n\"errors\": [");
	for (long i = 0; i < n; i++)
		printf("%s\"\"", i ? ", " : "");
	printf("]}\n");
	if (csv) {
		/* the ITLs again in stored order, from a second identical stream */
		gsl_rng_set(r, strtoul(argv[4], NULL, 10));
		for (long i = 0; i < n; i++)
			gsl_ran_lognormal(r, -3.5, 0.3);
		for (long i = 0; i < n; i++)
			for (long k = 0; k < tokens - 1; k++)
				fprintf(csv, "%.17g\n", gsl_ran_lognormal(r, -4.6, 0.2) * 1000);
		fclose(csv);
	}
	free(ttft);
	gsl_rng_free(r);
	return 0;
}
