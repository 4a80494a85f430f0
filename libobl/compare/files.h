/*
 * files.h - `obl-compare old.txt new.txt`: result files compared directly, without a database.
 */
#ifndef OBL_FILES_H
#define OBL_FILES_H

#include "dbcompare.h"

/* Reads result files straight into groups (obl_batch_groups), side i named after paths[i],
 * and compares them as obl_groups_compare does: `obl-compare old.txt new.txt` without a
 * database. */
OBL_MUST_CHECK int obl_files_compare(const char *const *paths, size_t n, const struct obl_db_compare_options *opt,
				     struct obl_db_comparison *out, struct obl_error *err);

/* The groups of one result file, read without a database: what obl_store_groups would give
 * after ingesting it as a run named after the path (free with obl_groups_free). */
int obl_file_groups(const char *path, struct obl_group **out, size_t *n,
		    struct obl_error *err);

/* 1 if path holds a benchmark result format (not plain numbers, generic CSV or JSON), so
 * that a two-file comparison reads it as such. */
int obl_is_result_file(const char *path);

#endif
