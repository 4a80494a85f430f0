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
};

/*
 * Copies every source file recorded in the database at src_path into dst, in the order they
 * were ingested there, in one transaction (the database lands whole or not at all; each file
 * is written by obl_store_write, as a savepoint): its run (label, tags),
 * its file tags, warnings, trials with their scenarios and values. The stored path is
 * "SRC_PATH:ORIGINAL_PATH" (provenance). A file whose SHA-256 dst already holds is skipped.
 * Errors name src_path and the file.
 */
OBL_MUST_CHECK int obl_store_merge(struct obl_store *dst, const char *src_path, struct obl_merge_result *result,
				   struct obl_error *err);

#endif
