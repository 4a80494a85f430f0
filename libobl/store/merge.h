/*
 * merge.h - another obl database as an input of obl-ingest: its runs, tags, scenarios and
 * values copied source file by source file, each with its original SHA-256, so that the same
 * file arriving twice (directly or through any number of merged databases) is stored once.
 */
#ifndef OBL_MERGE_H
#define OBL_MERGE_H

#include "store.h"

struct obl_merge_result {
	size_t sources, duplicates; /* files copied; files already there (nothing written) */
	size_t runs;                /* runs the copied files belong to */
	size_t trials, values;
	size_t joined;    /* runs dst held before the merge that the copied files were added to */
	char *joined_run; /* the first of them (owned: obl_merge_result_release) */
};
void obl_merge_result_release(struct obl_merge_result *r);

/*
 * Copies every source file recorded in the database src_path (an SQLite file or a PostgreSQL
 * connection string; of run `run` only, if not NULL) into dst, in the order they were
 * ingested there, in one transaction of dst's engine (SQLite: the database lands whole or
 * not at all, each file a savepoint; PostgreSQL: file by file, each whole, so that other
 * writers of those runs do not wait for the whole merge): its run (label, tags), its file tags, warnings,
 * trials with their scenarios and values. The stored path is "SRC:ORIGINAL_PATH"
 * (provenance; SRC without a password). A file whose SHA-256 dst already holds is skipped.
 * Errors name the source and the file; an unknown run is an OBL_EUSAGE error. A run label dst
 * already held takes the copied files as more of its own (counted in result->joined: two jobs
 * that reused a label have their repetitions pooled, which the caller should say).
 */
OBL_MUST_CHECK int obl_store_merge(struct obl_store *dst, const char *src_path, const char *run,
				   struct obl_merge_result *result, struct obl_error *err);

#endif
