/*
 * files.c - result files compared without a database (see files.h): each side read and
 * grouped in memory, then compared exactly as stored groups are.
 */
#include "files.h"

#include <string.h>

#include "ingest.h"
#include "parallel.h"

static int is_generic(const struct obl_reader *r)
{
	return r == &obl_reader_plain || r == &obl_reader_csv || r == &obl_reader_json;
}

int obl_is_result_file(const char *path)
{
	struct obl_file f;
	struct obl_error err;
	obl_error_clear(&err);
	if (obl_file_read(path, &f, &err))
		return 0;
	const struct obl_reader *r = f.len ? obl_reader_detect(&f) : NULL;
	obl_file_release(&f);
	return r && !is_generic(r);
}

/* One side of a file comparison: the sides are read in parallel. */
struct side_job {
	const char *path;
	struct obl_group *groups;
	size_t n_groups;
	int rc;
	struct obl_error err;
};

int obl_file_groups(const char *path, struct obl_group **out, size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	struct obl_file f;
	const struct obl_reader *reader = NULL;
	struct obl_batch batch;
	obl_batch_init(&batch);
	int rc = obl_file_read(path, &f, err);
	if (rc)
		return rc;
	struct obl_read_options ro = { 0 };
	ro.column = 1;
	rc = obl_pick_reader(&f, NULL, &reader, err);
	if (!rc)
		rc = obl_reader_read(reader, &f, &ro, &batch, err);
	if (!rc)
		rc = obl_batch_groups(&batch, path, out, n, err);
	for (size_t i = 0; !rc && i < *n; i++)
		(*out)[i].values_are_runs = obl_format_values_are_runs(reader->name);
	if (!rc && *n == 0)
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "no values");
	if (rc) {
		obl_groups_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	obl_batch_free(&batch);
	obl_file_release(&f);
	return rc;
}

static void read_side(void *ctx, size_t i)
{
	struct side_job *job = (struct side_job *)ctx + i;
	obl_error_clear(&job->err);
	job->rc = obl_file_groups(job->path, &job->groups, &job->n_groups, &job->err);
}

int obl_files_compare(const char *const *paths, size_t n, const struct obl_db_compare_options *opt,
		      struct obl_db_comparison *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	if (n < 2 || n > OBL_MAX_SIDES)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				     "expected a baseline file and 1 to %d candidate files (got %zu)",
				     OBL_MAX_SIDES - 1, n);
	obl_progress_phase(opt->progress, "reading the files");
	/* The files are independent: read in parallel. */
	struct side_job jobs[OBL_MAX_SIDES];
	for (size_t i = 0; i < n; i++)
		jobs[i] = (struct side_job){ paths[i], NULL, 0, OBL_OK, { 0 } };
	obl_parallel_for(n, read_side, jobs);
	int rc = OBL_OK;
	for (size_t i = 0; i < n && !rc; i++)
		if (jobs[i].rc) {
			rc = jobs[i].rc;
			*err = jobs[i].err;
		}
	struct obl_group *groups[OBL_MAX_SIDES];
	size_t n_groups[OBL_MAX_SIDES];
	for (size_t i = 0; i < n; i++) {
		groups[i] = jobs[i].groups;
		n_groups[i] = jobs[i].n_groups;
	}
	if (rc) {
		for (size_t i = 0; i < n; i++)
			obl_groups_free(groups[i], n_groups[i]);
		return rc;
	}
	return obl_groups_compare(groups, n_groups, paths, paths, n, opt, out, err);
}
