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

struct trial_ref {
	long long source, id, scenario;
};

/* A series of the source file being read whose values are still to be read: series `id`,
 * `count` values, the n-th series of the file's t-th trial. */
struct pending {
	long long id, count;
	size_t trial, n;
};

struct reader {
	sqlite3 *db;
	const char *path;
	struct obl_error *err;
	long long limit; /* the most values the database can hold: more is damage */
	sqlite3_stmt *sources, *tags, *warnings, *trials, *keys, *series, *file_series, *values,
		*blocks;
	struct pending *pending; /* the file's series, by id */
	size_t n_pending, pending_alloc;
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
		/* the series of a file's trials, which the writer stores one after another: one
		 * scan of the index for the whole file rather than a query per trial */
		"SELECT se.trial_id, m.name, m.unit, m.kind, se.id, se.count, se.successes, "
		"se.trials FROM series se JOIN metric m ON m.id = se.metric_id "
		"WHERE se.trial_id BETWEEN ?1 AND ?2 ORDER BY se.trial_id, se.id",
		"SELECT start, data FROM sample_block WHERE series_id = ?1 ORDER BY start",
		/* the blocks of a file's series, which the writer stores one after another: one
		 * scan of the index for the whole file rather than a query per series */
		"SELECT series_id, start, data FROM sample_block WHERE series_id BETWEEN ?1 AND ?2 "
		"ORDER BY series_id, start",
	};
	sqlite3_stmt **st[] = { &r->sources, &r->tags, &r->warnings, &r->trials, &r->keys,
				&r->series, &r->file_series, &r->values, &r->blocks };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (sqlite3_prepare_v2(r->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return db_fail(r, "reading the database");
	return OBL_OK;
}

static void finalize_all(struct reader *r)
{
	sqlite3_stmt *st[] = { r->sources, r->tags, r->warnings, r->trials, r->keys,
			       r->series, r->file_series, r->values, r->blocks };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		sqlite3_finalize(st[i]);
	free(r->pending);
}

static enum obl_metric_kind kind_of(const char *s)
{
	return !strcmp(s, "sample")      ? OBL_KIND_SAMPLE
	       : !strcmp(s, "aggregate") ? OBL_KIND_AGGREGATE
					 : OBL_KIND_PROPORTION;
}

static int out_of_memory(struct reader *r)
{
	return obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The scenario of trial t, stored as `scenario`; prev: the file's trial before it, whose
 * scenario was `prev_scenario` (repetitions follow one another: their keys are copied). */
static int read_scenario(struct reader *r, struct obl_trial_data *t, long long scenario,
			 const struct obl_trial_data *prev, long long prev_scenario)
{
	if (prev && prev_scenario == scenario) {
		for (size_t k = 0; k < prev->scenario_len; k++)
			if (obl_trial_set_scenario(t, prev->scenario[k].key, prev->scenario[k].value))
				return out_of_memory(r);
		return OBL_OK;
	}
	int rc = OBL_OK, step;
	sqlite3_bind_int64(r->keys, 1, scenario);
	while (!rc && (step = sqlite3_step(r->keys)) == SQLITE_ROW)
		if (obl_trial_set_scenario(t, text(r->keys, 0), text(r->keys, 1)))
			rc = out_of_memory(r);
	sqlite3_reset(r->keys);
	return rc;
}

/* A series of the row st gives (name, unit, kind, id, count, successes, trials from column
 * `col` on) added to the t-th trial; its values are read later (read_values). */
static int add_series(struct reader *r, struct obl_batch *b, size_t t, sqlite3_stmt *st, int col)
{
	struct obl_trial_data *trial = &b->trials[t];
	struct obl_series *se = obl_trial_series(trial, text(st, col), text(st, col + 1),
						 kind_of(text(st, col + 2)));
	if (!se)
		return out_of_memory(r);
	se->successes = sqlite3_column_type(st, col + 5) == SQLITE_NULL
				? NAN
				: sqlite3_column_double(st, col + 5);
	se->trials = sqlite3_column_type(st, col + 6) == SQLITE_NULL
			     ? NAN
			     : sqlite3_column_double(st, col + 6);
	if (r->n_pending == r->pending_alloc) {
		size_t alloc = r->pending_alloc ? 2 * r->pending_alloc : 256;
		struct pending *p = realloc(r->pending, alloc * sizeof *p);
		if (!p)
			return out_of_memory(r);
		r->pending = p;
		r->pending_alloc = alloc;
	}
	r->pending[r->n_pending++] = (struct pending){ sqlite3_column_int64(st, col + 3),
						       sqlite3_column_int64(st, col + 4), t,
						       trial->n_series - 1 };
	return OBL_OK;
}

/* The series of the file's trials (trials[0..n), by id, already in b), in one scan from
 * its first trial to its last, or trial by trial where other trials lie between. */
static int read_series(struct reader *r, struct obl_batch *b, const struct trial_ref *trials,
		       size_t n)
{
	int rc = OBL_OK, step = SQLITE_DONE;
	if (!n)
		return OBL_OK;
	if ((unsigned long long)(trials[n - 1].id - trials[0].id) > 2 * (unsigned long long)n + 64) {
		for (size_t t = 0; !rc && t < n; t++) {
			sqlite3_bind_int64(r->series, 1, trials[t].id);
			while (!rc && (step = sqlite3_step(r->series)) == SQLITE_ROW)
				rc = add_series(r, b, t, r->series, 0);
			sqlite3_reset(r->series);
			if (!rc && step != SQLITE_DONE)
				rc = db_fail(r, "reading series");
		}
		return rc;
	}
	sqlite3_bind_int64(r->file_series, 1, trials[0].id);
	sqlite3_bind_int64(r->file_series, 2, trials[n - 1].id);
	size_t at = 0;
	while (!rc && (step = sqlite3_step(r->file_series)) == SQLITE_ROW) {
		long long trial = sqlite3_column_int64(r->file_series, 0);
		while (at < n && trials[at].id < trial)
			at++;
		if (at < n && trials[at].id == trial)
			rc = add_series(r, b, at, r->file_series, 1);
		/* else another file's trial, between two of this file's */
	}
	sqlite3_reset(r->file_series);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(r, "reading series");
	return rc;
}

static int by_id(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The values of the file's series (r->pending, into b's trials), checked against their
 * counts. The writer stores a file's series one after another, so that one scan of the
 * blocks from the first to the last covers them all; where the series lie scattered among
 * others (a database written some other way), each is read by itself. */
static int read_values(struct reader *r, struct obl_batch *b)
{
	struct pending *p = r->pending;
	size_t n = r->n_pending;
	if (!n)
		return OBL_OK;
	int sorted = 1;
	for (size_t i = 1; i < n; i++)
		sorted &= p[i - 1].id < p[i].id;
	if (!sorted)
		qsort(p, n, sizeof *p, by_id);
	/* the values go into the batch's series, which no longer move */
	for (size_t i = 0; i < n; i++) {
		struct obl_values *v = &b->trials[p[i].trial].series[p[i].n].values;
		if (p[i].count < 0 || p[i].count > r->limit)
			return obl_error_set(r->err, OBL_EINPUT, r->path, 0, NULL,
					     "a series claims %lld values, which the file cannot "
					     "hold: the database is damaged",
					     p[i].count);
		if (!(v->v = malloc((p[i].count ? (size_t)p[i].count : 1) * sizeof *v->v)))
			return obl_error_set(r->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		v->alloc = (size_t)p[i].count;
		v->n = 0;
	}
	long long first = p[0].id, last = p[n - 1].id;
	if ((unsigned long long)(last - first) > 2 * (unsigned long long)n + 64) {
		for (size_t i = 0; i < n; i++) {
			struct obl_values *v = &b->trials[p[i].trial].series[p[i].n].values;
			free(v->v);
			int rc = obl_sqlite_series_values(r->db, r->values, r->path, p[i].id,
							  p[i].count, r->limit, v, r->err);
			if (rc)
				return rc;
		}
		return OBL_OK;
	}
	sqlite3_bind_int64(r->blocks, 1, first);
	sqlite3_bind_int64(r->blocks, 2, last);
	size_t at = 0, bad = n; /* bad: the series with a damaged block, what says why */
	char what[160];
	int step;
	while (bad == n && (step = sqlite3_step(r->blocks)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(r->blocks, 0);
		while (at < n && p[at].id < id)
			at++;
		if (at == n || p[at].id != id)
			continue; /* another file's series, between two of this file's */
		struct obl_values *v = &b->trials[p[at].trial].series[p[at].n].values;
		if (obl_block_values(r->blocks, 1, p[at].count, v, what, sizeof what))
			bad = at;
	}
	sqlite3_reset(r->blocks);
	if (bad == n && step != SQLITE_DONE)
		return obl_error_set(r->err, OBL_EIO, r->path, 0, NULL, "reading values: %s",
				     sqlite3_errmsg(r->db));
	for (size_t i = 0; i < n; i++) {
		const struct obl_values *v = &b->trials[p[i].trial].series[p[i].n].values;
		if (bad == i || obl_sqlite_short_series(v->n, p[i].count, what, sizeof what))
			return obl_sqlite_series_damage(r->db, r->path, p[i].id, what, r->err);
	}
	return OBL_OK;
}

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
	r->n_pending = 0;
	for (size_t i = 0; !rc && i < n_trials; i++) {
		struct obl_trial_data *t = obl_batch_trial(b);
		if (!t)
			return out_of_memory(r);
		rc = read_scenario(r, t, trials[i].scenario, i ? &b->trials[i - 1] : NULL,
				   i ? trials[i - 1].scenario : 0);
	}
	if (!rc)
		rc = read_series(r, b, trials, n_trials);
	if (!rc)
		rc = read_values(r, b);
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
int obl_sqlite_each_source(struct obl_store *src, const char *run, obl_source_skip_fn skip,
			   obl_source_fn fn, void *ctx, struct obl_error *err)
{
	sqlite3 *db = obl_store_sqlite(src);
	struct reader r = { .db = db,
			    .path = sqlite3_db_filename(db, "main"),
			    .err = err,
			    .limit = obl_sqlite_values_limit(db) };
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
		const struct obl_source_info info = { text(r.sources, 1), b.format, text(r.sources, 2),
						      (size_t)sqlite3_column_int64(r.sources, 4),
						      b.label, NULL };
		int skipped = 0;
		if (!rc && skip)
			rc = skip(ctx, &info, &skipped, err);
		if (!rc && !skipped)
			rc = read_source(&r, source, run_id, trials + first, next_trial - first, &b);
		if (!rc && !skipped)
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
	char **before; /* the runs dst held before the merge, sorted */
	size_t n_before;
};

static int by_label(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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
			const char *key = src->label;
			if (!rc && m->n_before &&
			    bsearch(&key, m->before, m->n_before, sizeof *m->before, by_label) &&
			    m->result->joined++ == 0 && !(m->result->joined_run = strdup(key)))
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
	}
	obl_ingest_result_release(&wrote);
	return rc;
}

/* A stored file of the source that dst holds already (its SHA-256): counted, and not read. */
static int merge_skip(void *ctx, const struct obl_source_info *src, int *skip,
		      struct obl_error *err)
{
	struct merge *m = ctx;
	int rc = obl_store_has_source(m->dst, src->sha256, skip, err);
	if (!rc && *skip)
		m->result->duplicates++;
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
	obl_store_names_free(labels, n);
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
	struct merge m = { dst, NULL, result, { 0 }, NULL, NULL, 0 };
	obl_strbuf_init(&m.path);
	rc = obl_store_runs(dst, &m.before, &m.n_before, err);
	if (!rc && m.n_before)
		qsort(m.before, m.n_before, sizeof *m.before, by_label);
	char *name = obl_store_display_name(src_path);
	m.name = name;
	if (!rc && !name)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc && run)
		rc = check_run(src, name, run, err);
	/* one transaction for the whole database: it lands whole or not at all, and the files
	 * in it (each a savepoint) do not pay a commit each */
	if (!rc)
		rc = obl_store_transaction(dst, OBL_TX_BEGIN, err);
	int began = !rc;
	if (!rc)
		rc = obl_store_each_source(src, run, merge_skip, merge_source, &m, err);
	if (began && !rc)
		rc = obl_store_transaction(dst, OBL_TX_COMMIT, err);
	if (began && rc) {
		struct obl_error ignored;
		obl_error_clear(&ignored);
		if (obl_store_transaction(dst, OBL_TX_ROLLBACK, &ignored))
			obl_error_clear(&ignored); /* the first error is the one to tell */
	}
	if (rc) {
		obl_merge_result_release(result);
		memset(result, 0, sizeof *result);
	}
	obl_strbuf_release(&m.path);
	free(m.last_run);
	obl_store_names_free(m.before, m.n_before);
	free(name);
	obl_store_close(src);
	return rc;
}

void obl_merge_result_release(struct obl_merge_result *r)
{
	free(r->joined_run);
	r->joined_run = NULL;
}
