/*
 * floor.c - the floors make bench prints beside obl-compare on result files: what reading the
 * files costs with obl's own readers and nothing more (read), and that plus sorting every
 * series' values (sort: what any rank test or median must at least do). The files are read in
 * parallel, as obl-compare reads them. Usage: floor read|sort FILE... (exit 1 on an error).
 */
#include <stdio.h>
#include <string.h>

#include "input.h"
#include "model.h"
#include "parallel.h"
#include "reader.h"
#include "stats.h"

struct job {
	const char *path;
	int sort;
	int rc;
};

static void read_one(void *ctx, size_t i)
{
	struct job *job = (struct job *)ctx + i;
	struct obl_error err;
	struct obl_file f;
	struct obl_batch batch;
	obl_error_clear(&err);
	obl_batch_init(&batch);
	job->rc = obl_file_read(job->path, &f, &err);
	if (job->rc)
		return;
	const struct obl_reader *r = obl_reader_detect(&f);
	struct obl_read_options ro = { 0 };
	ro.column = 1;
	job->rc = r ? obl_reader_read(r, &f, &ro, &batch, &err) : OBL_EINPUT;
	for (size_t t = 0; !job->rc && job->sort && t < batch.n_trials; t++)
		for (size_t s = 0; s < batch.trials[t].n_series; s++) {
			struct obl_values *v = &batch.trials[t].series[s].values;
			if (stats_sort(v->v, v->n))
				job->rc = OBL_ENOMEM;
		}
	obl_batch_free(&batch);
	obl_file_release(&f);
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "read") && strcmp(argv[1], "sort")) || argc - 2 > 16) {
		fprintf(stderr, "usage: floor read|sort FILE... (at most 16)\n");
		return 2;
	}
	struct job jobs[16];
	size_t n = (size_t)argc - 2;
	for (size_t i = 0; i < n; i++)
		jobs[i] = (struct job){ argv[i + 2], !strcmp(argv[1], "sort"), 0 };
	obl_parallel_for(n, read_one, jobs);
	for (size_t i = 0; i < n; i++)
		if (jobs[i].rc) {
			fprintf(stderr, "floor: %s: cannot read\n", jobs[i].path);
			return 1;
		}
	return 0;
}
