/*
 * merge.c - an obl database read as an input (see merge.h).
 */
#include "merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"
#include "strbuf.h"

struct reader {
	sqlite3 *db;
	const char *path;
	struct obl_error *err;
	sqlite3_stmt *sources, *tags, *warnings, *trials, *keys, *series, *values;
};

static int db_fail(struct reader *r, const char *what)
{
	return obl_error_set(r->err, OBL_EINPUT, r->path, 0, NULL, "%s: %s", what,
			     sqlite3_errmsg(r->db));
}

static const char *text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

static int prepare_all(struct reader *r)
{
	static const char *const sql[] = {
		"SELECT s.id, s.path, s.sha256, s.format, s.size, r.label, r.id FROM source s "
		"JOIN run r ON r.id = s.run_id ORDER BY s.id",
		/* the run's tags, then the file's own (which win) */
		"SELECT key, value FROM run_tag WHERE run_id = ?2 AND key NOT IN "
		"(SELECT key FROM source_tag WHERE source_id = ?1) "
		"UNION ALL SELECT key, value FROM source_tag WHERE source_id = ?1",
		"SELECT message FROM source_warning WHERE source_id = ?1 ORDER BY rowid",
		/* every trial at once, by file: trial has no index on source_id, and one scan
		 * beats a scan per file */
		"SELECT source_id, id, scenario_id FROM trial ORDER BY source_id, id",
		"SELECT key, value FROM scenario_key WHERE scenario_id = ?1 ORDER BY key",
		"SELECT m.name, m.unit, m.kind, se.id, se.count, se.successes, se.trials "
		"FROM series se JOIN metric m ON m.id = se.metric_id WHERE se.trial_id = ?1 "
		"ORDER BY se.id",
		"SELECT data FROM sample_block WHERE series_id = ?1 ORDER BY start",
	};
	sqlite3_stmt **st[] = { &r->sources, &r->tags, &r->warnings, &r->trials, &r->keys,
				&r->series, &r->values };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (sqlite3_prepare_v2(r->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return db_fail(r, "reading the database");
	return OBL_OK;
}

static void finalize_all(struct reader *r)
{
	sqlite3_stmt *st[] = { r->sources, r->tags, r->warnings, r->trials, r->keys, r->series,
			       r->values };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		sqlite3_finalize(st[i]);
}

static enum obl_metric_kind kind_of(const char *s)
{
	return !strcmp(s, "sample")      ? OBL_KIND_SAMPLE
	       : !strcmp(s, "aggregate") ? OBL_KIND_AGGREGATE
					 : OBL_KIND_PROPORTION;
}

/* The values of one series. */
static int read_values(struct reader *r, long long series, long long count,
		       struct obl_values *out)
{
	return obl_sqlite_series_values(r->db, r->values, r->path, series, count, out, r->err);
}

/* One trial of the source: its scenario and series. */
static int read_trial(struct reader *r, struct obl_batch *b, long long trial, long long scenario)
{
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	int rc = OBL_OK, step;
	sqlite3_bind_int64(r->keys, 1, scenario);
	while (!rc && (step = sqlite3_step(r->keys)) == SQLITE_ROW)
		if (obl_trial_set_scenario(t, text(r->keys, 0), text(r->keys, 1)))
			rc = obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	sqlite3_reset(r->keys);
	sqlite3_bind_int64(r->series, 1, trial);
	while (!rc && (step = sqlite3_step(r->series)) == SQLITE_ROW) {
		struct obl_series *se = obl_trial_series(t, text(r->series, 0), text(r->series, 1),
							 kind_of(text(r->series, 2)));
		if (!se) {
			rc = obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		se->successes = sqlite3_column_type(r->series, 5) == SQLITE_NULL
					? NAN
					: sqlite3_column_double(r->series, 5);
		se->trials = sqlite3_column_type(r->series, 6) == SQLITE_NULL
				     ? NAN
				     : sqlite3_column_double(r->series, 6);
		long long first = sqlite3_column_int64(r->series, 3);
		long long count = sqlite3_column_int64(r->series, 4);
		/* read the values before the next series is added: se may move */
		struct obl_values v = { 0 };
		rc = read_values(r, first, count, &v);
		se->values = v;
	}
	sqlite3_reset(r->series);
	return rc;
}

struct trial_ref {
	long long source, id, scenario;
};

/* The batch of one source file, whose trials are trials[0..n_trials). */
static int read_source(struct reader *r, long long source, long long run,
		       const struct trial_ref *trials, size_t n_trials, struct obl_batch *b)
{
	int rc = OBL_OK, step;
	sqlite3_bind_int64(r->tags, 1, source);
	sqlite3_bind_int64(r->tags, 2, run);
	while (!rc && (step = sqlite3_step(r->tags)) == SQLITE_ROW)
		if (obl_batch_tag(b, text(r->tags, 0), text(r->tags, 1)))
			rc = obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	sqlite3_reset(r->tags);
	sqlite3_bind_int64(r->warnings, 1, source);
	while (!rc && (step = sqlite3_step(r->warnings)) == SQLITE_ROW)
		obl_batch_warn(b, "%s", text(r->warnings, 0));
	sqlite3_reset(r->warnings);
	for (size_t i = 0; !rc && i < n_trials; i++)
		rc = read_trial(r, b, trials[i].id, trials[i].scenario);
	return rc;
}

/* Every trial's file, id and scenario, by file and id. */
static int read_trials(struct reader *r, struct trial_ref **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t alloc = 0;
	int step, rc = OBL_OK;
	while ((step = sqlite3_step(r->trials)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			struct trial_ref *p = realloc(*out, alloc * sizeof *p);
			if (!p) {
				rc = obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			*out = p;
		}
		(*out)[(*n)++] = (struct trial_ref){ sqlite3_column_int64(r->trials, 0),
						     sqlite3_column_int64(r->trials, 1),
						     sqlite3_column_int64(r->trials, 2) };
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(r, "reading trials");
	sqlite3_reset(r->trials);
	return rc;
}

int obl_store_merge(struct obl_store *dst, const char *src_path, struct obl_merge_result *result,
		    struct obl_error *err)
{
	memset(result, 0, sizeof *result);
	struct obl_store *src = NULL;
	int rc = obl_store_open(src_path, OBL_STORE_READ, &src, err);
	if (rc)
		return rc;
	struct reader r = { obl_store_sqlite(src), src_path, err, NULL, NULL, NULL, NULL,
			    NULL, NULL, NULL };
	rc = prepare_all(&r);
	/* one transaction for the whole database: it lands whole or not at all, and the files
	 * in it (each a savepoint) do not pay a commit each */
	sqlite3 *out = obl_store_sqlite(dst);
	if (!rc && sqlite3_exec(out, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		rc = obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "cannot start writing: %s",
				   sqlite3_errmsg(out));
	int began = !rc;
	struct trial_ref *trials = NULL;
	size_t n_trials = 0, next_trial = 0;
	if (!rc)
		rc = read_trials(&r, &trials, &n_trials);
	long long last_run = -1;
	int step = SQLITE_DONE;
	struct obl_strbuf path;
	obl_strbuf_init(&path);
	while (!rc && (step = sqlite3_step(r.sources)) == SQLITE_ROW) {
		long long source = sqlite3_column_int64(r.sources, 0);
		long long run = sqlite3_column_int64(r.sources, 6);
		struct obl_batch b;
		obl_batch_init(&b);
		b.format = strdup(text(r.sources, 3));
		b.label = strdup(text(r.sources, 5));
		if (!b.format || !b.label)
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		while (next_trial < n_trials && trials[next_trial].source < source)
			next_trial++;
		size_t first = next_trial;
		while (next_trial < n_trials && trials[next_trial].source == source)
			next_trial++;
		if (!rc)
			rc = read_source(&r, source, run, trials + first, next_trial - first, &b);
		obl_strbuf_reset(&path);
		obl_strbuf_addf(&path, "%s:%s", src_path, text(r.sources, 1));
		const struct obl_source_info info = { path.buf, b.format, text(r.sources, 2),
						      (size_t)sqlite3_column_int64(r.sources, 4),
						      b.label, NULL };
		struct obl_ingest_result wrote;
		memset(&wrote, 0, sizeof wrote);
		if (!rc && obl_strbuf_failed(&path))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		if (!rc)
			rc = obl_store_write(dst, &info, &b, &wrote, err);
		if (!rc && wrote.duplicate) {
			result->duplicates++;
		} else if (!rc) {
			result->sources++;
			result->trials += wrote.trials;
			result->values += wrote.values;
			if (run != last_run)
				result->runs++;
			last_run = run;
		}
		obl_ingest_result_release(&wrote);
		obl_batch_free(&b);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(&r, "reading the sources");
	if (began && !rc && sqlite3_exec(out, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "cannot commit: %s",
				   sqlite3_errmsg(out));
	if (began && rc) {
		sqlite3_exec(out, "ROLLBACK", NULL, NULL, NULL);
		memset(result, 0, sizeof *result);
	}
	obl_strbuf_release(&path);
	free(trials);
	finalize_all(&r);
	obl_store_close(src);
	return rc;
}
