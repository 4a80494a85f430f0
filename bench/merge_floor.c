/*
 * merge_floor - the floor make bench prints beside a merge into a history: what SQLite alone
 * costs to insert the rows such a merge writes (a run, its tag, its file and the file's tag;
 * trials; a series and a one-block sample_block row per metric and trial) into a new obl store,
 * with statements prepared once, in one transaction, and nothing read, checked or looked up.
 *
 *   merge_floor DB RUNS SERIES REPS   (the shape of gen_history's databases; DB must not exist)
 */
#include <stdio.h>
#include <stdlib.h>

#include "store.h"
#include "store_sqlite.h"

static int step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: merge_floor DB RUNS SERIES REPS\n");
		return 2;
	}
	size_t runs = strtoul(argv[2], NULL, 10), series = strtoul(argv[3], NULL, 10);
	size_t reps = strtoul(argv[4], NULL, 10);
	const size_t metrics = 5, scenarios = (series + metrics - 1) / metrics;
	struct obl_error err;
	struct obl_store *store = NULL;
	if (obl_store_open(argv[1], OBL_STORE_CREATE, &store, &err)) {
		obl_error_print(&err, "merge_floor", stderr);
		return 3;
	}
	sqlite3 *db = obl_store_sqlite(store);
	static const char *const sql[] = {
		"INSERT INTO run(label, created) VALUES (?1, '2026-01-01T00:00:00Z')",
		"INSERT INTO run_tag(run_id, key, value) VALUES (?1, 'commit', ?2)",
		"INSERT INTO source(path, sha256, format, size, ingested, run_id) "
		"VALUES (?1, ?2, 'generated', 0, '2026-01-01T00:00:00Z', ?3)",
		"INSERT INTO source_tag(source_id, key, value) VALUES (?1, 'commit', ?2)",
		"INSERT INTO trial(run_id, scenario_id, source_id, repetition) VALUES (?1, ?2, ?3, ?4)",
		"INSERT INTO series(trial_id, metric_id, count, successes, trials) "
		"VALUES (?1, ?2, 1, NULL, NULL)",
		"INSERT INTO sample_block(series_id, start, data) VALUES (?1, 0, ?2)",
	};
	enum { RUN,
	       RUN_TAG,
	       SOURCE,
	       SOURCE_TAG,
	       TRIAL,
	       SERIES,
	       BLOCK,
	       N };
	sqlite3_stmt *st[N];
	for (int i = 0; i < N; i++)
		if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK)
			goto fail;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (size_t sc = 0; sc < scenarios; sc++) {
		char canonical[128];
		snprintf(canonical, sizeof canonical, "INSERT INTO scenario VALUES (%zu, "
						      "'concurrency=%zu')",
			 sc + 1, sc + 1);
		if (sqlite3_exec(db, canonical, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	for (size_t m = 0; m < metrics; m++) {
		char insert[128];
		snprintf(insert, sizeof insert, "INSERT INTO metric VALUES (%zu, 'metric_%zu', 'ms', "
						"'lower', 'sample')",
			 m + 1, m);
		if (sqlite3_exec(db, insert, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	for (size_t r = 0; r < runs; r++) {
		char label[64], sha[65], path[64];
		snprintf(label, sizeof label, "night-%05zu", r);
		snprintf(sha, sizeof sha, "%064zx", r + 1);
		snprintf(path, sizeof path, "job.db:night-%05zu", r);
		sqlite3_bind_text(st[RUN], 1, label, -1, SQLITE_TRANSIENT);
		if (step(st[RUN]))
			goto fail;
		sqlite3_int64 run = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(st[RUN_TAG], 1, run);
		sqlite3_bind_text(st[RUN_TAG], 2, label + 6, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st[SOURCE], 1, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st[SOURCE], 2, sha, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st[SOURCE], 3, run);
		if (step(st[RUN_TAG]) || step(st[SOURCE]))
			goto fail;
		sqlite3_int64 source = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(st[SOURCE_TAG], 1, source);
		sqlite3_bind_text(st[SOURCE_TAG], 2, label + 6, -1, SQLITE_TRANSIENT);
		if (step(st[SOURCE_TAG]))
			goto fail;
		for (size_t sc = 0; sc < scenarios; sc++)
			for (size_t rep = 0; rep < reps; rep++) {
				sqlite3_bind_int64(st[TRIAL], 1, run);
				sqlite3_bind_int64(st[TRIAL], 2, (sqlite3_int64)sc + 1);
				sqlite3_bind_int64(st[TRIAL], 3, source);
				sqlite3_bind_int64(st[TRIAL], 4, (sqlite3_int64)rep + 1);
				if (step(st[TRIAL]))
					goto fail;
				sqlite3_int64 trial = sqlite3_last_insert_rowid(db);
				for (size_t m = 0; m < metrics; m++) {
					double v = (double)(r + m + rep);
					sqlite3_bind_int64(st[SERIES], 1, trial);
					sqlite3_bind_int64(st[SERIES], 2, (sqlite3_int64)m + 1);
					if (step(st[SERIES]))
						goto fail;
					sqlite3_bind_int64(st[BLOCK], 1, sqlite3_last_insert_rowid(db));
					sqlite3_bind_blob(st[BLOCK], 2, &v, 8, SQLITE_TRANSIENT);
					if (step(st[BLOCK]))
						goto fail;
				}
			}
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < N; i++)
		sqlite3_finalize(st[i]);
	obl_store_close(store);
	return 0;
fail:
	fprintf(stderr, "merge_floor: %s\n", sqlite3_errmsg(db));
	return 1;
}
