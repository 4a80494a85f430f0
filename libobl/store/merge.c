/*
 * merge.c - an obl database read as an input (see merge.h): its stored files are read
 * through the store interface (obl_store_each_source), so that either engine is a source and
 * either a destination. The SQLite engine's reading of its files is here too.
 */
#include "merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "store_sqlite.h"
#include "strbuf.h"
#include "suggest.h"

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
		"JOIN run r ON r.id = s.run_id WHERE ?1 IS NULL OR r.label = ?1 ORDER BY s.id",
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
		"SELECT start, data FROM sample_block WHERE series_id = ?1 ORDER BY start",
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

/* SQLite's quick_check of the whole file: a read walks past a damaged page without an error
 * (the rows on it are just not there), and a merge would copy a part of a run as if it were
 * the whole. About 5 ms a megabyte; an open for reading checks the schema only. */
static int quick_check(struct reader *r)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "PRAGMA quick_check(3)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(r, "checking the database");
	struct obl_strbuf found;
	obl_strbuf_init(&found);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		/* "*** in database main ***\nOn tree page 16 cell 68: Rowid 35 out of order\n...":
		 * the first problem tells enough */
		const char *line = text(st, 0);
		if (!strncmp(line, "***", 3) && strchr(line, '\n'))
			line = strchr(line, '\n') + 1;
		if (strcmp(line, "ok") && !found.len)
			obl_strbuf_addf(&found, "%.*s", (int)strcspn(line, "\n"), line);
	}
	if (step != SQLITE_DONE && !found.len)
		obl_strbuf_addf(&found, "%s", sqlite3_errmsg(r->db));
	sqlite3_finalize(st);
	int rc = found.len ? obl_error_set(r->err, OBL_EINPUT, r->path, 0, NULL,
					   "the database is damaged (SQLite's quick_check: %s); "
					   "nothing was merged",
					   obl_strbuf_failed(&found) ? "out of memory" : found.buf)
			   : OBL_OK;
	obl_strbuf_release(&found);
	return rc;
}

/* The SQLite engine's each_source: every file of the database (of run `run` only, if given),
 * in the order of ingest, as a batch, once the whole file has passed SQLite's quick_check. */
int obl_sqlite_each_source(struct obl_store *src, const char *run, obl_source_fn fn, void *ctx,
			   struct obl_error *err)
{
	sqlite3 *db = obl_store_sqlite(src);
	struct reader r = { db, sqlite3_db_filename(db, "main"), err, NULL, NULL, NULL, NULL,
			    NULL, NULL, NULL };
	int rc = quick_check(&r);
	if (!rc)
		rc = prepare_all(&r);
	struct trial_ref *trials = NULL;
	size_t n_trials = 0, next_trial = 0;
	if (!rc)
		rc = read_trials(&r, &trials, &n_trials);
	if (!rc && run)
		sqlite3_bind_text(r.sources, 1, run, -1, SQLITE_STATIC);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(r.sources)) == SQLITE_ROW) {
		long long source = sqlite3_column_int64(r.sources, 0);
		long long run_id = sqlite3_column_int64(r.sources, 6);
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
			rc = read_source(&r, source, run_id, trials + first, next_trial - first, &b);
		const struct obl_source_info info = { text(r.sources, 1), b.format, text(r.sources, 2),
						      (size_t)sqlite3_column_int64(r.sources, 4),
						      b.label, NULL };
		if (!rc)
			rc = fn(ctx, &info, &b, err);
		obl_batch_free(&b);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(&r, "reading the sources");
	free(trials);
	finalize_all(&r);
	return rc;
}

/* What the merge carries from one stored file to the next. */
struct merge {
	struct obl_store *dst;
	const char *name; /* the source database's name, password removed */
	struct obl_merge_result *result;
	struct obl_strbuf path;
	char *last_run;
};

/* One stored file of the source into dst, with its original SHA-256 (a duplicate is
 * skipped) and the path "NAME:ORIGINAL_PATH". */
static int merge_source(void *ctx, const struct obl_source_info *src, struct obl_batch *b,
			struct obl_error *err)
{
	struct merge *m = ctx;
	obl_strbuf_reset(&m->path);
	obl_strbuf_addf(&m->path, "%s:%s", m->name, src->path);
	if (obl_strbuf_failed(&m->path))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	const struct obl_source_info info = { m->path.buf, src->format, src->sha256, src->size,
					      src->label, NULL };
	struct obl_ingest_result wrote;
	memset(&wrote, 0, sizeof wrote);
	int rc = obl_store_write(m->dst, &info, b, &wrote, err);
	if (!rc && wrote.duplicate) {
		m->result->duplicates++;
	} else if (!rc) {
		m->result->sources++;
		m->result->trials += wrote.trials;
		m->result->values += wrote.values;
		if (!m->last_run || strcmp(m->last_run, src->label)) {
			m->result->runs++;
			free(m->last_run);
			if (!(m->last_run = strdup(src->label)))
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
	}
	obl_ingest_result_release(&wrote);
	return rc;
}

/* An unknown run of the source: an OBL_EUSAGE error naming the closest label. */
static int check_run(struct obl_store *src, const char *name, const char *run,
		     struct obl_error *err)
{
	char **labels = NULL;
	size_t n = 0;
	int rc = obl_store_runs(src, &labels, &n, err), found = 0;
	for (size_t i = 0; !rc && i < n; i++)
		found |= !strcmp(labels[i], run);
	if (!rc && !found) {
		const char *near = obl_suggest(run, (const char *const *)labels, n);
		rc = obl_error_set(err, OBL_EUSAGE, name, 0, run,
				   near ? "no such run; did you mean %s? (nothing was written)"
					: "no such run%s (nothing was written)",
				   near ? near : n ? "; obl-runs lists the runs"
						   : " (the database holds none)");
	}
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	return rc;
}

int obl_store_merge(struct obl_store *dst, const char *src_path, const char *run,
		    struct obl_merge_result *result, struct obl_error *err)
{
	memset(result, 0, sizeof *result);
	struct obl_store *src = NULL;
	int rc = obl_store_open(src_path, OBL_STORE_READ, &src, err);
	if (rc)
		return rc;
	struct merge m = { dst, NULL, result, { 0 }, NULL };
	obl_strbuf_init(&m.path);
	char *name = obl_store_display_name(src_path);
	m.name = name;
	if (!name)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc && run)
		rc = check_run(src, name, run, err);
	/* one transaction for the whole database: it lands whole or not at all, and the files
	 * in it (each a savepoint) do not pay a commit each */
	if (!rc)
		rc = obl_store_transaction(dst, OBL_TX_BEGIN, err);
	int began = !rc;
	if (!rc)
		rc = obl_store_each_source(src, run, merge_source, &m, err);
	if (began && !rc)
		rc = obl_store_transaction(dst, OBL_TX_COMMIT, err);
	if (began && rc) {
		struct obl_error ignored;
		obl_error_clear(&ignored);
		if (obl_store_transaction(dst, OBL_TX_ROLLBACK, &ignored))
			obl_error_clear(&ignored); /* the first error is the one to tell */
		memset(result, 0, sizeof *result);
	}
	obl_strbuf_release(&m.path);
	free(m.last_run);
	free(name);
	obl_store_close(src);
	return rc;
}
