/*
 * pg.c - the PostgreSQL engine of the store (see store.h, engine.h and obl-schema(5)).
 *
 * The same logical model as the SQLite engine, on libpq. A file is written in one
 * transaction: shared rows (run, scenarios, metrics) by INSERT ... ON CONFLICT DO NOTHING and
 * a SELECT, in one order (run, scenarios and metrics sorted, then the source) so that
 * concurrent writers queue rather than deadlock; the source last, by ON CONFLICT on its
 * SHA-256, so that two writers of the same file store it once whatever the timing; trials and
 * series (a series' values are one float8[]) by COPY. Writers of one run are serialised by a
 * transaction-scoped advisory lock on its label (repetitions are numbered per run, scenario
 * and metric). Readers read committed data and never wait for writers (MVCC).
 *
 * libpq reads its own environment (PGHOST, PGPASSWORD, PGSERVICE, ...), ~/.pgpass and the
 * service file, by design; obl reads none of it. Messages name the database by its
 * connection string without the password (obl_store_display_name).
 */
#include "engine.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "progress.h"
#include "pg_schema_sql.h"
#include "reader.h"
#include "strbuf.h"
#include "suggest.h"
#include "utf8.h"

struct pg_store {
	struct obl_store base; /* first: the front's view (engine.h) */
	PGconn *conn;
	char *name;       /* the connection string without its password, for messages */
	int readonly;     /* obl-stats, obl-compare, obl-report, obl-history */
	double lock_wait; /* seconds a lock is waited for (OBL_BUSY_TIMEOUT) */
};

static const struct obl_store_ops pg_ops;

/* ---- Names, errors and statements ------------------------------------------------- */

static int is_uri(const char *s)
{
	return !strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11);
}

/* A URI, or libpq's keyword settings: a string with '=' before any '/' that libpq parses
 * (only its own keywords do, so "x=1.json" or "runs/a=b.db" stay paths). */
int obl_store_is_server(const char *path)
{
	if (is_uri(path))
		return 1;
	size_t eq = strcspn(path, "=");
	if (!path[eq] || memchr(path, '/', eq))
		return 0;
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(path, &msg);
	PQfreemem(msg);
	PQconninfoFree(opts);
	return opts != NULL;
}

/* A URI without its password: the one in user:password@ and any password=... parameter. */
static char *uri_without_password(const char *uri)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	const char *rest = strstr(uri, "://") + 3;
	size_t authority = strcspn(rest, "/?");
	const char *at = NULL;
	for (const char *p = rest; p < rest + authority; p++)
		if (*p == '@')
			at = p;
	obl_strbuf_add(&sb, uri, (size_t)(rest - uri));
	if (at) {
		size_t user = strcspn(rest, ":@");
		obl_strbuf_add(&sb, rest, user < (size_t)(at - rest) ? user : (size_t)(at - rest));
		obl_strbuf_addch(&sb, '@');
		rest = at + 1;
	}
	const char *query = strchr(rest, '?');
	obl_strbuf_add(&sb, rest, query ? (size_t)(query - rest) : strlen(rest));
	for (const char *p = query; p && *p;) {
		p++; /* '?' or '&' */
		size_t n = strcspn(p, "&");
		if (n && strncmp(p, "password=", 9)) {
			obl_strbuf_addch(&sb, strchr(sb.buf ? sb.buf : "", '?') ? '&' : '?');
			obl_strbuf_add(&sb, p, n);
		}
		p += n;
	}
	return obl_strbuf_failed(&sb) ? (obl_strbuf_release(&sb), NULL) : obl_strbuf_detach(&sb, NULL);
}

/* 1 if the connection string holds a password. */
static int has_password(const char *conninfo)
{
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
	PQfreemem(msg);
	int yes = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val && o->val[0])
			yes = 1;
	PQconninfoFree(opts);
	return yes;
}

/* Connection strings whose password the tool took off its command line: what the tool uses
 * from then on (shown), and what connects (full). Process-wide, set once at start-up. */
static struct hidden {
	char *shown, *full;
} hidden[32];
static size_t n_hidden;

const char *obl_store_hide_password(const char *arg)
{
	if (!obl_store_is_server(arg) || !has_password(arg) || n_hidden == 32)
		return arg;
	for (size_t i = 0; i < n_hidden; i++)
		if (!strcmp(hidden[i].full, arg))
			return hidden[i].shown;
	char *shown = obl_store_display_name(arg), *full = strdup(arg);
	if (!shown || !full) {
		free(shown);
		free(full);
		return arg;
	}
	hidden[n_hidden++] = (struct hidden){ shown, full };
	return shown;
}

/* The string to connect with: the full one behind a shown one. */
static const char *unhide(const char *conninfo)
{
	for (size_t i = 0; i < n_hidden; i++)
		if (!strcmp(hidden[i].shown, conninfo))
			return hidden[i].full;
	return conninfo;
}

/* A value of a keyword/value connection string, quoted where libpq needs it. */
static void add_conn_value(struct obl_strbuf *sb, const char *v)
{
	int plain = *v != 0;
	for (const char *p = v; *p; p++)
		if (*p == ' ' || *p == '\'' || *p == '\\' || *p == '\t' || *p == '\n')
			plain = 0;
	if (plain) {
		obl_strbuf_addstr(sb, v);
		return;
	}
	obl_strbuf_addch(sb, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '\'' || *p == '\\')
			obl_strbuf_addch(sb, '\\');
		obl_strbuf_addch(sb, *p);
	}
	obl_strbuf_addch(sb, '\'');
}

char *obl_store_display_name(const char *conninfo)
{
	if (!obl_store_is_server(conninfo))
		return strdup(conninfo);
	if (is_uri(conninfo))
		return uri_without_password(conninfo);
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
	PQfreemem(msg);
	if (!opts)
		return strdup("(a PostgreSQL connection string that does not parse)");
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !o->val[0] || !strcmp(o->keyword, "password"))
			continue;
		if (sb.len)
			obl_strbuf_addch(&sb, ' ');
		obl_strbuf_addf(&sb, "%s=", o->keyword);
		/* a password can hide in any value (a URI given as dbname, -c settings in
		 * options): such values are not shown */
		if (strstr(o->val, "://") || strchr(o->val, '@') || !strcmp(o->keyword, "options") ||
		    strstr(o->val, "password"))
			obl_strbuf_addstr(&sb, "(hidden)");
		else
			add_conn_value(&sb, o->val);
	}
	PQconninfoFree(opts);
	if (!sb.len)
		obl_strbuf_addstr(&sb, "(the PostgreSQL database of the environment)");
	return obl_strbuf_failed(&sb) ? (obl_strbuf_release(&sb), NULL) : obl_strbuf_detach(&sb, NULL);
}

/* The first line of libpq's message, without "ERROR:  " and the newline. */
static void add_message(struct obl_strbuf *sb, const char *msg)
{
	if (!msg)
		msg = "";
	if (!strncmp(msg, "ERROR:  ", 8))
		msg += 8;
	size_t n = strcspn(msg, "\n");
	obl_strbuf_add(sb, msg, n);
}

/* An error from a result (NULL: from the connection), as the SQLite engine words the same
 * situations: a lock waited for too long, a role that may not, a lost connection. */
static int pg_fail(struct pg_store *s, struct obl_error *err, const char *what, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	add_message(&sb, msg ? msg : PQerrorMessage(s->conn));
	const char *text = obl_strbuf_failed(&sb) || !sb.buf ? "" : sb.buf;
	int rc;
	if (PQstatus(s->conn) != CONNECTION_OK)
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL,
				   "%s: the connection to the database was lost (%s); nothing of "
				   "this file was kept",
				   what, text);
	else if (state && (!strcmp(state, "55P03") || !strcmp(state, "57014")))
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL,
				   "%s: the database is locked by another process (waited %g s; "
				   "OBL_BUSY_TIMEOUT sets the bound in seconds)",
				   what, s->lock_wait);
	else if (state && !strcmp(state, "42501"))
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL,
				   "%s: this role may not (%s); see the roles in obl-schema(5)", what,
				   text);
	else if (state && !strcmp(state, "25006"))
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL,
				   "%s: the database cannot be written here (%s)", what, text);
	else if (state && !strncmp(state, "53", 2))
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL,
				   "%s: the server is out of resources (%s); nothing from this file "
				   "was kept",
				   what, text);
	else
		rc = obl_error_set(err, OBL_EIO, s->name, 0, NULL, "%s: %s", what, text);
	obl_strbuf_release(&sb);
	return rc;
}

/* 1 if the result says another transaction got in the way: worth running the file again. */
static int retryable(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return state && (!strcmp(state, "40P01") || !strcmp(state, "40001") ||
			 !strcmp(state, "23503") || !strcmp(state, "23505"));
}

/* Runs sql (no parameters, no rows wanted). *res_out, if given, keeps a failed result. */
static int exec(struct pg_store *s, const char *sql, const char *what, struct obl_error *err)
{
	PGresult *res = PQexec(s->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? OBL_OK : pg_fail(s, err, what, res);
	PQclear(res);
	return rc;
}

/* Runs sql with text parameters; the result (tuples or command) or NULL with err set. A
 * failed result is kept in *failed when failed is given (for retryable()). */
static PGresult *query(struct pg_store *s, const char *sql, int n, const char *const *params,
		       const char *what, PGresult **failed, struct obl_error *err)
{
	PGresult *res = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	pg_fail(s, err, what, res);
	if (failed)
		*failed = res;
	else
		PQclear(res);
	return NULL;
}

static long long int_at(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static char *dup_at(const PGresult *res, int row, int col)
{
	return strdup(PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

/* Text array literals ("{"a","b"}"), for parameters that unnest: arr_begin, arr_add... */
static void arr_begin(struct obl_strbuf *sb)
{
	obl_strbuf_reset(sb);
	obl_strbuf_addch(sb, '{');
}

static void arr_add(struct obl_strbuf *sb, const char *v)
{
	if (sb->len > 1)
		obl_strbuf_addch(sb, ',');
	obl_strbuf_addch(sb, '"');
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			obl_strbuf_addch(sb, '\\');
		obl_strbuf_addch(sb, *p);
	}
	obl_strbuf_addch(sb, '"');
}

static void arr_add_int(struct obl_strbuf *sb, long long v)
{
	if (sb->len > 1)
		obl_strbuf_addch(sb, ',');
	obl_strbuf_addf(sb, "%lld", v);
}

static const char *arr_end(struct obl_strbuf *sb)
{
	obl_strbuf_addch(sb, '}');
	return obl_strbuf_failed(sb) ? NULL : sb->buf;
}

/* ---- Opening ---------------------------------------------------------------------- */

static int pg_schema_version(void)
{
	int n = 0;
	while (obl_pg_migrations[n])
		n++;
	return n;
}

/* The schema version stored (-1: no schema_version table; then *tables says how many tables
 * the schema holds). */
static int stored_version(struct pg_store *s, long long *version, long long *tables, struct obl_error *err)
{
	PGresult *res = query(s,
			      "SELECT to_regclass('schema_version') IS NOT NULL, (SELECT count(*) "
			      "FROM pg_catalog.pg_tables WHERE schemaname = current_schema())",
			      0, NULL, "reading the schema version", NULL, err);
	if (!res)
		return err->status;
	int have = !strcmp(PQgetvalue(res, 0, 0), "t");
	*tables = int_at(res, 0, 1);
	PQclear(res);
	*version = -1;
	if (!have)
		return OBL_OK;
	res = query(s, "SELECT max(version) FROM schema_version", 0, NULL,
		    "reading the schema version", NULL, err);
	if (!res)
		return err->status;
	*version = PQgetisnull(res, 0, 0) ? 0 : int_at(res, 0, 0);
	PQclear(res);
	return OBL_OK;
}

static int version_error(struct pg_store *s, long long version, long long tables, struct obl_error *err)
{
	return obl_store_version_error(s->name, "a PostgreSQL database", version, tables,
				       pg_schema_version(), err);
}

/* Brings the schema up to date, under an advisory lock (two writers may open a new store
 * at once): the version is read again once the lock is held. */
static int migrate(struct pg_store *s, struct obl_error *err)
{
	int target = pg_schema_version();
	long long version, tables;
	int rc = stored_version(s, &version, &tables, err);
	if (rc || version == target)
		return rc;
	if (s->readonly)
		return version_error(s, version, tables, err);
	if ((rc = exec(s, "BEGIN", "upgrading the schema", err)))
		return rc;
	rc = exec(s, "SELECT pg_advisory_xact_lock(1868719730, 0)", "upgrading the schema", err);
	if (!rc)
		rc = stored_version(s, &version, &tables, err);
	if (!rc && ((version < 0 && tables > 0) || version > target))
		rc = version_error(s, version, tables, err);
	for (long long v = version < 0 ? 0 : version; !rc && v < target; v++) {
		struct obl_strbuf sql;
		obl_strbuf_init(&sql);
		for (const char *const *line = obl_pg_migrations[v]; *line; line++)
			obl_strbuf_addstr(&sql, *line);
		obl_strbuf_addf(&sql, "\nUPDATE schema_version SET version = %lld;", v + 1);
		rc = obl_strbuf_failed(&sql) ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory")
					     : exec(s, sql.buf, "upgrading the schema", err);
		obl_strbuf_release(&sql);
	}
	if (!rc)
		return exec(s, "COMMIT", "upgrading the schema", err);
	PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

static void pg_free(struct pg_store *s)
{
	if (!s)
		return;
	PQfinish(s->conn);
	free(s->name);
	free(s);
}

/* libpq prints notices (e.g. of a migration) on stderr by default: obl keeps stderr for its
 * own messages. */
static void ignore_notice(void *ctx, const PGresult *res)
{
	(void)ctx;
	(void)res;
}

int obl_pg_open(const char *conninfo, int mode, struct obl_store **out, struct obl_error *err)
{
	*out = NULL;
	struct pg_store *s = calloc(1, sizeof *s);
	if (!s || !(s->name = obl_store_display_name(conninfo))) {
		free(s);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	s->base.ops = &pg_ops;
	s->readonly = mode == OBL_STORE_READ;
	double lock_wait = s->lock_wait = obl_store_busy_seconds();
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(unhide(conninfo), &msg);
	if (!opts) {
		/* libpq's message may quote the string, password and all: not shown */
		PQfreemem(msg);
		pg_free(s);
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				     "a PostgreSQL connection string that does not parse (see "
				     "obl-schema(5) for the forms obl reads)");
	}
	PQconninfoFree(opts);
	s->conn = PQconnectdb(unhide(conninfo));
	if (!s->conn) {
		pg_free(s);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	if (PQstatus(s->conn) != CONNECTION_OK) {
		struct obl_strbuf sb;
		obl_strbuf_init(&sb);
		add_message(&sb, PQerrorMessage(s->conn));
		int rc = obl_error_set(err, OBL_EINPUT, s->name, 0, NULL, "cannot open database: %s",
				       obl_strbuf_failed(&sb) || !sb.buf ? "" : sb.buf);
		obl_strbuf_release(&sb);
		pg_free(s);
		return rc;
	}
	PQsetNoticeReceiver(s->conn, ignore_notice, NULL);
	int rc = OBL_OK;
	if (PQsetClientEncoding(s->conn, "UTF8") != 0)
		rc = pg_fail(s, err, "setting the encoding", NULL);
	/* Floats as the shortest text that reads back exactly (the default from PostgreSQL 12
	 * on, set here whatever the server's configuration); lock waits bounded as SQLite's. */
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SET extra_float_digits = 1; SET lock_timeout = %ld; SET client_min_messages = "
		 "warning%s",
		 (long)(lock_wait * 1000) > 0 ? (long)(lock_wait * 1000) : 1,
		 s->readonly ? "; SET default_transaction_read_only = on" : "");
	if (!rc)
		rc = exec(s, sql, "configuring the connection", err);
	if (!rc)
		rc = migrate(s, err);
	if (rc) {
		pg_free(s);
		return rc;
	}
	*out = &s->base;
	return OBL_OK;
}

/* The full check: what the schema cannot say itself (PostgreSQL checks its own pages): a
 * series whose values do not number its count, or hold a NaN or an infinity (no reader stores
 * one: damage, as in an SQLite store). */
static int pg_check_of(struct pg_store *s, struct obl_strbuf *report, struct obl_error *err)
{
	PGresult *res = query(s,
			      "SELECT 'series ' || id || ': count ' || count || ', values ' || "
			      "coalesce(cardinality(vals), 0) FROM series WHERE count <> "
			      "coalesce(cardinality(vals), 0) UNION ALL SELECT 'series ' || id || "
			      "': value ' || (SELECT min(i) FROM generate_subscripts(vals, 1) i WHERE "
			      "vals[i] IN ('NaN', 'Infinity', '-Infinity')) || ' is NaN or infinite' "
			      "FROM series WHERE vals && ARRAY['NaN', 'Infinity', '-Infinity']::float8[] "
			      "LIMIT 100",
			      0, NULL, "checking the database", NULL, err);
	if (!res)
		return err->status;
	int bad = PQntuples(res);
	for (int i = 0; i < bad; i++)
		obl_strbuf_addf(report, "%s\n", PQgetvalue(res, i, 0));
	PQclear(res);
	if (bad)
		return obl_error_set(err, OBL_EINPUT, s->name, 0, NULL,
				     "the database is damaged (above); restore it from a backup, or "
				     "ingest the result files again into a new one");
	return OBL_OK;
}

/* ---- Writing ---------------------------------------------------------------------- */

/* The ids a file's names map to, found once per file. */
struct name_id {
	const char *name; /* a scenario's canonical text (owned) or a metric (the batch's) */
	long long id;
	size_t order;                    /* position in the batch: the first of equal names wins */
	const struct obl_series *series; /* a metric's first series (its unit and kind) */
	int row;                         /* a metric's row in the stored metrics (-1: none) */
};

struct pg_writer {
	struct pg_store *s;
	struct obl_error *err;
	const struct obl_source_info *src;
	const struct obl_batch *batch;
	PGresult *failed;          /* the result of a failed statement, for retryable() */
	char **canonical;          /* per trial: its scenario's canonical text (owned) */
	struct name_id *scenarios; /* distinct, sorted by canonical text */
	size_t n_scenarios;
	struct name_id *metrics; /* distinct, sorted by name */
	size_t n_metrics;
	long long *trial_scenario;    /* per trial: scenario id */
	struct obl_strbuf a, b, c, d; /* parameters being built */
};

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct name_id *)x)->name, ((const struct name_id *)y)->name);
}

static long long find_id(const struct name_id *v, size_t n, const char *name)
{
	const struct name_id key = { name, 0, 0, NULL, -1 };
	const struct name_id *at = bsearch(&key, v, n, sizeof *v, by_name);
	return at ? at->id : 0;
}

static void writer_release(struct pg_writer *w)
{
	for (size_t i = 0; w->canonical && i < w->batch->n_trials; i++)
		free(w->canonical[i]);
	free(w->canonical);
	free(w->scenarios);
	free(w->metrics);
	free(w->trial_scenario);
	obl_strbuf_release(&w->a);
	obl_strbuf_release(&w->b);
	obl_strbuf_release(&w->c);
	obl_strbuf_release(&w->d);
	PQclear(w->failed);
	w->failed = NULL;
}

static int nomem(struct pg_writer *w)
{
	return obl_error_set(w->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* Distinct sorted names from v[0..n) (sorted in place), with ids 0. */
static int by_name_then_order(const void *x, const void *y)
{
	const struct name_id *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static size_t distinct(struct name_id *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, by_name_then_order);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i].name, v[k - 1].name))
			v[k++] = v[i];
	return k;
}

/* The run's id, made if new. The caller holds the run's advisory lock. */
static int write_run(struct pg_writer *w, long long *run)
{
	const char *p[1] = { w->src->label };
	PGresult *res = query(w->s,
			      "WITH made AS (INSERT INTO run(label, created) VALUES ($1, "
			      "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) "
			      "ON CONFLICT (label) DO NOTHING RETURNING id) "
			      "SELECT id FROM made UNION ALL SELECT id FROM run WHERE label = $1",
			      1, p, "adding the run", &w->failed, w->err);
	if (!res)
		return w->err->status;
	*run = PQntuples(res) ? int_at(res, 0, 0) : 0;
	PQclear(res);
	if (!*run)
		return obl_error_set(w->err, OBL_EIO, w->s->name, 0, NULL, "adding the run: no id");
	return OBL_OK;
}

/* Every scenario of the batch, made if new, in sorted order; w->trial_scenario per trial. */
static int write_scenarios(struct pg_writer *w)
{
	const struct obl_batch *b = w->batch;
	w->canonical = calloc(b->n_trials ? b->n_trials : 1, sizeof *w->canonical);
	w->scenarios = malloc((b->n_trials ? b->n_trials : 1) * sizeof *w->scenarios);
	w->trial_scenario = malloc((b->n_trials ? b->n_trials : 1) * sizeof *w->trial_scenario);
	if (!w->canonical || !w->scenarios || !w->trial_scenario)
		return nomem(w);
	for (size_t t = 0; t < b->n_trials; t++) {
		const struct obl_trial_data *tr = &b->trials[t];
		if (t && tr->scenario_len == b->trials[t - 1].scenario_len &&
		    (!tr->scenario_len || !memcmp(tr->scenario, b->trials[t - 1].scenario,
						  tr->scenario_len * sizeof *tr->scenario)))
			w->canonical[t] = strdup(w->canonical[t - 1]);
		else
			w->canonical[t] = obl_scenario_canonical(tr->scenario, tr->scenario_len);
		if (!w->canonical[t])
			return nomem(w);
		w->scenarios[t] = (struct name_id){ w->canonical[t], 0, t, NULL, -1 };
	}
	w->n_scenarios = distinct(w->scenarios, b->n_trials);
	if (!w->n_scenarios)
		return OBL_OK;
	/* the scenarios, then the keys of each (of every trial: the first of each scenario) */
	arr_begin(&w->a);
	for (size_t i = 0; i < w->n_scenarios; i++)
		arr_add(&w->a, w->scenarios[i].name);
	arr_begin(&w->b);
	arr_begin(&w->c);
	arr_begin(&w->d);
	for (size_t t = 0; t < b->n_trials; t++) {
		if (t && !strcmp(w->canonical[t], w->canonical[t - 1]))
			continue;
		for (size_t k = 0; k < b->trials[t].scenario_len; k++) {
			arr_add(&w->b, w->canonical[t]);
			arr_add(&w->c, b->trials[t].scenario[k].key);
			arr_add(&w->d, b->trials[t].scenario[k].value);
		}
	}
	const char *p[4] = { arr_end(&w->a), arr_end(&w->b), arr_end(&w->c), arr_end(&w->d) };
	if (!p[0] || !p[1] || !p[2] || !p[3])
		return nomem(w);
	PGresult *res = query(w->s,
			      "INSERT INTO scenario(canonical) SELECT unnest($1::text[]) "
			      "ON CONFLICT (canonical) DO NOTHING",
			      1, p, "adding a scenario", &w->failed, w->err);
	if (res) {
		PQclear(res);
		res = query(w->s,
			    "INSERT INTO scenario_key(scenario_id, key, value) SELECT DISTINCT ON "
			    "(s.id, k.key) s.id, k.key, k.value FROM unnest($2::text[], $3::text[], "
			    "$4::text[]) AS k(canonical, key, value) JOIN scenario s ON s.canonical "
			    "= k.canonical WHERE $1::text[] IS NOT NULL ORDER BY s.id, k.key "
			    "ON CONFLICT DO NOTHING",
			    4, p, "adding a scenario key", &w->failed, w->err);
	}
	if (res) {
		PQclear(res);
		res = query(w->s, "SELECT canonical, id FROM scenario WHERE canonical = ANY($1::text[])",
			    1, p, "reading scenarios", &w->failed, w->err);
	}
	if (!res)
		return w->err->status;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct name_id key = { PQgetvalue(res, i, 0), 0, 0, NULL, -1 };
		struct name_id *at = bsearch(&key, w->scenarios, w->n_scenarios, sizeof key, by_name);
		if (at)
			at->id = int_at(res, i, 1);
	}
	PQclear(res);
	for (size_t t = 0; t < b->n_trials; t++)
		if (!(w->trial_scenario[t] = find_id(w->scenarios, w->n_scenarios, w->canonical[t])))
			return obl_error_set(w->err, OBL_EIO, w->s->name, 0, NULL,
					     "adding a scenario: no id for '%s'", w->canonical[t]);
	return OBL_OK;
}

/* The series of the batch with the metric named `name` first (for its unit and kind). */
/* Every metric of the batch, made if new, checked against what the database says of its unit
 * and kind (as the SQLite engine does, in the same words). */
static int write_metrics(struct pg_writer *w)
{
	const struct obl_batch *b = w->batch;
	size_t n = 0;
	for (size_t t = 0; t < b->n_trials; t++)
		n += b->trials[t].n_series;
	w->metrics = malloc((n ? n : 1) * sizeof *w->metrics);
	if (!w->metrics)
		return nomem(w);
	n = 0;
	for (size_t t = 0; t < b->n_trials; t++)
		for (size_t k = 0; k < b->trials[t].n_series; k++) {
			const char *m = b->trials[t].series[k].metric;
			if (!n || w->metrics[n - 1].name != m) { /* interned: equal names, equal pointers */
				w->metrics[n] = (struct name_id){ m, 0, n, &b->trials[t].series[k], -1 };
				n++;
			}
		}
	w->n_metrics = distinct(w->metrics, n);
	if (!w->n_metrics)
		return OBL_OK;
	arr_begin(&w->a);
	arr_begin(&w->b);
	arr_begin(&w->c);
	arr_begin(&w->d);
	for (size_t i = 0; i < w->n_metrics; i++) {
		const struct obl_series *se = w->metrics[i].series;
		arr_add(&w->a, se->metric);
		arr_add(&w->b, se->unit ? se->unit : "");
		arr_add(&w->c, obl_direction_names[se->direction]);
		arr_add(&w->d, obl_kind_names[se->kind]);
	}
	const char *p[4] = { arr_end(&w->a), arr_end(&w->b), arr_end(&w->c), arr_end(&w->d) };
	if (!p[0] || !p[1] || !p[2] || !p[3])
		return nomem(w);
	PGresult *res = query(w->s,
			      "INSERT INTO metric(name, unit, direction, kind) SELECT * FROM "
			      "unnest($1::text[], $2::text[], $3::text[], $4::text[]) "
			      "ON CONFLICT (name) DO NOTHING",
			      4, p, "adding a metric", &w->failed, w->err);
	if (res) {
		PQclear(res);
		res = query(w->s, "SELECT name, id, unit, kind FROM metric WHERE name = ANY($1::text[])",
			    1, p, "reading metrics", &w->failed, w->err);
	}
	if (!res)
		return w->err->status;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct name_id key = { PQgetvalue(res, i, 0), 0, 0, NULL, -1 };
		struct name_id *at = bsearch(&key, w->metrics, w->n_metrics, sizeof key, by_name);
		if (at) {
			at->id = int_at(res, i, 1);
			at->row = i;
		}
	}
	/* every series against the stored unit and kind, in the batch's order */
	int rc = OBL_OK;
	for (size_t t = 0; !rc && t < b->n_trials; t++)
		for (size_t k = 0; !rc && k < b->trials[t].n_series; k++) {
			const struct obl_series *se = &b->trials[t].series[k];
			const struct name_id key = { se->metric, 0, 0, NULL, -1 };
			const struct name_id *at =
				bsearch(&key, w->metrics, w->n_metrics, sizeof key, by_name);
			int row = at ? at->row : -1;
			if (row < 0) {
				rc = obl_error_set(w->err, OBL_EIO, w->s->name, 0, se->metric,
						   "adding a metric: no id");
			} else if (strcmp(PQgetvalue(res, row, 2), se->unit ? se->unit : "")) {
				rc = obl_error_set(w->err, OBL_EINPUT, w->src->path, 0, se->metric,
						   "the database holds this metric in '%s', this file "
						   "in '%s'",
						   PQgetvalue(res, row, 2), se->unit ? se->unit : "");
			} else if (strcmp(PQgetvalue(res, row, 3), obl_kind_names[se->kind])) {
				rc = obl_error_set(w->err, OBL_EINPUT, w->src->path, 0, se->metric,
						   "the database holds this metric as another kind of "
						   "value than this file (%s)",
						   obl_kind_names[se->kind]);
			}
		}
	PQclear(res);
	return rc;
}

/* The file's tags: kept for the file; run configuration is also the run's, and a file that
 * disagrees with the run's earlier files is refused, naming one of them (as SQLite's). */
static int write_tags(struct pg_writer *w, long long run, long long source)
{
	const struct obl_batch *b = w->batch;
	if (!b->n_tags)
		return OBL_OK;
	char run_text[32], source_text[32];
	snprintf(run_text, sizeof run_text, "%lld", run);
	snprintf(source_text, sizeof source_text, "%lld", source);
	arr_begin(&w->a);
	arr_begin(&w->b);
	for (size_t i = 0; i < b->n_tags; i++) {
		arr_add(&w->a, b->tags[i].key);
		arr_add(&w->b, b->tags[i].value);
	}
	const char *p[4] = { arr_end(&w->a), arr_end(&w->b), run_text, source_text };
	if (!p[0] || !p[1])
		return nomem(w);
	/* a key given twice: the last value, as the batch means it */
	PGresult *res = query(w->s,
			      "INSERT INTO source_tag(source_id, key, value) SELECT DISTINCT ON "
			      "(key) $4::bigint, key, value FROM unnest($1::text[], $2::text[]) "
			      "WITH ORDINALITY AS t(key, value, i) WHERE $3::bigint IS NOT NULL "
			      "ORDER BY key, i DESC",
			      4, p, "adding a tag", &w->failed, w->err);
	if (!res)
		return w->err->status;
	PQclear(res);
	/* run configuration: the run's tags, added where new; then each compared, in the
	 * file's order, with what the run holds (the batch's keys are distinct) */
	arr_begin(&w->a);
	arr_begin(&w->b);
	for (size_t i = 0; i < b->n_tags; i++)
		if (!obl_store_tag_is_provenance(b->tags[i].key)) {
			arr_add(&w->a, b->tags[i].key);
			arr_add(&w->b, b->tags[i].value);
		}
	const char *q[3] = { run_text, arr_end(&w->a), arr_end(&w->b) };
	if (!q[1] || !q[2])
		return nomem(w);
	res = query(w->s,
		    "INSERT INTO run_tag(run_id, key, value) SELECT $1::bigint, key, value FROM "
		    "unnest($2::text[], $3::text[]) AS t(key, value) ON CONFLICT DO NOTHING",
		    3, q, "adding a tag", &w->failed, w->err);
	if (res) {
		PQclear(res);
		res = query(w->s,
			    "SELECT key, value FROM run_tag WHERE run_id = $1 AND key = "
			    "ANY($2::text[]) AND $3::text[] IS NOT NULL",
			    3, q, "reading tags", &w->failed, w->err);
	}
	if (!res)
		return w->err->status;
	for (size_t i = 0; i < b->n_tags; i++) {
		const struct obl_kv *tag = &b->tags[i];
		int row = -1;
		for (int r = 0; r < PQntuples(res) && row < 0; r++)
			if (!strcmp(PQgetvalue(res, r, 0), tag->key))
				row = r;
		if (obl_store_tag_is_provenance(tag->key) || row < 0 ||
		    !strcmp(PQgetvalue(res, row, 1), tag->value))
			continue;
		char *have = dup_at(res, row, 1);
		PQclear(res);
		if (!have)
			return nomem(w);
		const char *r[4] = { run_text, tag->key, have, source_text };
		res = query(w->s,
			    "SELECT s.path FROM source_tag st JOIN source s ON s.id = st.source_id "
			    "WHERE s.run_id = $1 AND st.key = $2 AND st.value = $3 AND s.id <> $4 "
			    "ORDER BY s.id LIMIT 1",
			    4, r, "reading tags", NULL, w->err);
		obl_error_set(w->err, OBL_EINPUT, w->src->path, 0, tag->key,
			      "run configuration differs: '%s' here, '%s' in %s already stored in "
			      "run '%s'; the files of one run must agree (store this file as another "
			      "run with -r LABEL)",
			      tag->value, have, res && PQntuples(res) ? PQgetvalue(res, 0, 0) : "the files",
			      w->src->label);
		free(have);
		PQclear(res);
		return OBL_EINPUT;
	}
	PQclear(res);
	return OBL_OK;
}

static int write_warnings(struct pg_writer *w, long long source)
{
	const struct obl_batch *b = w->batch;
	if (!b->n_warnings)
		return OBL_OK;
	char source_text[32];
	snprintf(source_text, sizeof source_text, "%lld", source);
	arr_begin(&w->a);
	for (size_t i = 0; i < b->n_warnings; i++)
		arr_add(&w->a, b->warnings[i]);
	const char *p[2] = { arr_end(&w->a), source_text };
	if (!p[0])
		return nomem(w);
	PGresult *res = query(w->s,
			      "INSERT INTO source_warning(source_id, message) SELECT $2::bigint, m "
			      "FROM unnest($1::text[]) WITH ORDINALITY AS w(m, i) ORDER BY i",
			      2, p, "recording a warning", &w->failed, w->err);
	if (!res)
		return w->err->status;
	PQclear(res);
	return OBL_OK;
}

/* The last repetition of each (scenario, metric) of the run, as stored: a map from the pair
 * to the repetition, then updated as trials are numbered. */
struct rep {
	long long scenario, metric, rep;
};

struct rep_key {
	const struct rep *reps;
	long long scenario, metric;
};

static int same_rep(const void *ctx, size_t item)
{
	const struct rep_key *k = ctx;
	return k->reps[item].scenario == k->scenario && k->reps[item].metric == k->metric;
}

struct rep_table {
	struct rep *reps;
	size_t n, alloc;
	struct obl_hashmap index;
};

static struct rep *rep_find(struct rep_table *t, long long scenario, long long metric)
{
	const struct rep_key key = { t->reps, scenario, metric };
	size_t at = obl_hashmap_get(&t->index, obl_hash_words((uint64_t)scenario, (uint64_t)metric),
				    same_rep, &key);
	return at == OBL_HASHMAP_NONE ? NULL : &t->reps[at];
}

static int rep_set(struct rep_table *t, long long scenario, long long metric, long long rep)
{
	struct rep *r = rep_find(t, scenario, metric);
	if (r) {
		r->rep = rep;
		return 1;
	}
	if (t->n == t->alloc) {
		size_t alloc = t->alloc ? 2 * t->alloc : 64;
		struct rep *p = realloc(t->reps, alloc * sizeof *p);
		if (!p)
			return 0;
		t->reps = p;
		t->alloc = alloc;
	}
	t->reps[t->n] = (struct rep){ scenario, metric, rep };
	const struct rep_key key = { t->reps, scenario, metric };
	if (obl_hashmap_put(&t->index, obl_hash_words((uint64_t)scenario, (uint64_t)metric), t->n,
			    same_rep, &key) == OBL_HASHMAP_NONE)
		return 0;
	t->n++;
	return 1;
}

/* COPY's binary format: integers big-endian, in `bytes` bytes. */
static void put_be(struct obl_strbuf *sb, uint64_t v, int bytes)
{
	unsigned char b[8];
	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	obl_strbuf_add(sb, b, (size_t)bytes);
}

/* A float8 field: its length, then its IEEE bits (exact, NaN and infinities included). */
static void put_double(struct obl_strbuf *sb, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	put_be(sb, 8, 4);
	put_be(sb, bits, 8);
}

static int copy_flush(struct pg_writer *w, struct obl_strbuf *sb, int force)
{
	if (obl_strbuf_failed(sb))
		return nomem(w);
	if (!force && sb->len < (1u << 20))
		return OBL_OK;
	if (sb->len && PQputCopyData(w->s->conn, sb->buf, (int)sb->len) != 1)
		return pg_fail(w->s, w->err, "adding values", NULL);
	obl_strbuf_reset(sb);
	return OBL_OK;
}

/* Ends a COPY: OBL_OK, or the error of the COPY (kept in w->failed). */
static int copy_end(struct pg_writer *w, struct obl_strbuf *sb, int rc, const char *what)
{
	if (!rc)
		rc = copy_flush(w, sb, 1);
	if (PQputCopyEnd(w->s->conn, rc ? "obl: stopped" : NULL) != 1 && !rc)
		rc = pg_fail(w->s, w->err, what, NULL);
	PGresult *res;
	while ((res = PQgetResult(w->s->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !rc) {
			rc = pg_fail(w->s, w->err, what, res);
			PQclear(w->failed);
			w->failed = res;
			continue;
		}
		PQclear(res);
	}
	return rc;
}

/* Starts a COPY. */
static int copy_begin(struct pg_writer *w, const char *sql, const char *what)
{
	PGresult *res = PQexec(w->s->conn, sql);
	int rc = PQresultStatus(res) == PGRES_COPY_IN ? OBL_OK : pg_fail(w->s, w->err, what, res);
	if (rc) {
		PQclear(w->failed);
		w->failed = res;
	} else {
		PQclear(res);
	}
	return rc;
}

/* The trials and series of the batch: trial ids drawn from the sequence, both tables by
 * COPY. Repetitions: per run, scenario and metric, the next after the largest stored (the
 * run's advisory lock keeps other writers of the run out meanwhile). */
static int write_trials(struct pg_writer *w, long long run, long long source,
			struct obl_ingest_result *result)
{
	const struct obl_batch *b = w->batch;
	if (!b->n_trials)
		return OBL_OK;
	char run_text[32], n_text[32];
	snprintf(run_text, sizeof run_text, "%lld", run);
	snprintf(n_text, sizeof n_text, "%zu", b->n_trials);
	arr_begin(&w->a);
	for (size_t i = 0; i < w->n_scenarios; i++)
		arr_add_int(&w->a, w->scenarios[i].id);
	const char *p[2] = { run_text, arr_end(&w->a) };
	if (!p[1])
		return nomem(w);
	struct rep_table reps = { 0 };
	PGresult *res = query(w->s,
			      "SELECT t.scenario_id, se.metric_id, max(t.repetition) FROM trial t "
			      "JOIN series se ON se.trial_id = t.id WHERE t.run_id = $1 AND "
			      "t.scenario_id = ANY($2::bigint[]) GROUP BY 1, 2",
			      2, p, "numbering repetitions", &w->failed, w->err);
	int rc = res ? OBL_OK : w->err->status;
	for (int i = 0; !rc && i < PQntuples(res); i++)
		if (!rep_set(&reps, int_at(res, i, 0), int_at(res, i, 1), int_at(res, i, 2)))
			rc = nomem(w);
	PQclear(res);
	const char *q[1] = { n_text };
	res = rc ? NULL
		 : query(w->s, "SELECT nextval('trial_id_seq') FROM generate_series(1, $1::bigint)",
			 1, q, "adding trials", &w->failed, w->err);
	if (!rc && !res)
		rc = w->err->status;
	if (!rc && (size_t)PQntuples(res) != b->n_trials)
		rc = obl_error_set(w->err, OBL_EIO, w->s->name, 0, NULL, "adding trials: no ids");
	long long *ids = rc ? NULL : malloc(b->n_trials * sizeof *ids);
	if (!rc && !ids)
		rc = nomem(w);
	for (size_t t = 0; !rc && t < b->n_trials; t++)
		ids[t] = int_at(res, (int)t, 0);
	PQclear(res);
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	/* trials */
	if (!rc)
		rc = copy_begin(w, "COPY trial(id, run_id, scenario_id, source_id, repetition) FROM STDIN",
				"adding trials");
	int copying = !rc;
	for (size_t t = 0; !rc && t < b->n_trials; t++) {
		const struct obl_trial_data *tr = &b->trials[t];
		long long scenario = w->trial_scenario[t], rep = 1;
		for (size_t k = 0; k < tr->n_series; k++) {
			const struct rep *r =
				rep_find(&reps, scenario, find_id(w->metrics, w->n_metrics, tr->series[k].metric));
			if (r && r->rep + 1 > rep)
				rep = r->rep + 1;
		}
		for (size_t k = 0; !rc && k < tr->n_series; k++)
			if (!rep_set(&reps, scenario, find_id(w->metrics, w->n_metrics, tr->series[k].metric),
				     rep))
				rc = nomem(w);
		obl_strbuf_addf(&sb, "%lld\t%lld\t%lld\t%lld\t%lld\n", ids[t], run, scenario, source, rep);
		if (!rc)
			rc = copy_flush(w, &sb, 0);
	}
	if (copying)
		rc = copy_end(w, &sb, rc, "adding trials");
	result->trials = rc ? 0 : b->n_trials;
	/* series, values and all */
	if (!rc)
		rc = copy_begin(w,
				"COPY series(trial_id, metric_id, count, successes, trials, vals) "
				"FROM STDIN (FORMAT binary)",
				"adding values");
	copying = !rc;
	if (copying) /* the signature, no flags, no header extension */
		obl_strbuf_add(&sb, "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
	size_t posted = 0, total = 0;
	for (size_t t = 0; w->src->progress && t < b->n_trials; t++)
		for (size_t k = 0; k < b->trials[t].n_series; k++)
			total += b->trials[t].series[k].values.n;
	for (size_t t = 0; !rc && t < b->n_trials; t++) {
		const struct obl_trial_data *tr = &b->trials[t];
		for (size_t k = 0; !rc && k < tr->n_series; k++) {
			const struct obl_series *se = &tr->series[k];
			for (size_t j = 0; j < k; j++)
				if (tr->series[j].metric == se->metric ||
				    !strcmp(tr->series[j].metric, se->metric))
					rc = obl_error_set(w->err, OBL_EINPUT, w->src->path, 0,
							   se->metric,
							   "the metric appears twice in one trial");
			if (rc)
				break;
			if (se->values.n > INT32_MAX / 12 - 2) {
				rc = obl_error_set(w->err, OBL_EINPUT, w->src->path, 0, se->metric,
						   "%zu values in one series: more than a PostgreSQL "
						   "array holds",
						   se->values.n);
				break;
			}
			/* six fields: trial_id, metric_id (int8), count (int4), successes and
			 * trials (float8 or NULL), vals (a one-dimensional float8[]) */
			put_be(&sb, 6, 2);
			put_be(&sb, 8, 4);
			put_be(&sb, (uint64_t)ids[t], 8);
			put_be(&sb, 8, 4);
			put_be(&sb, (uint64_t)find_id(w->metrics, w->n_metrics, se->metric), 8);
			put_be(&sb, 4, 4);
			put_be(&sb, se->values.n, 4);
			if (isnan(se->successes)) {
				put_be(&sb, UINT32_MAX, 4);
				put_be(&sb, UINT32_MAX, 4);
			} else {
				put_double(&sb, se->successes);
				put_double(&sb, se->trials);
			}
			size_t n = se->values.n;
			put_be(&sb, n ? 20 + 12 * n : 12, 4);
			put_be(&sb, n ? 1 : 0, 4); /* dimensions */
			put_be(&sb, 0, 4);         /* no NULLs */
			put_be(&sb, 701, 4);       /* float8 */
			if (n) {
				put_be(&sb, n, 4); /* size, lower bound 1 */
				put_be(&sb, 1, 4);
			}
			for (size_t j = 0; j < n; j++) {
				put_double(&sb, se->values.v[j]);
				if (sb.len >= (1u << 20) && (rc = copy_flush(w, &sb, 1)))
					break;
			}
			result->series++;
			result->values += se->values.n;
			if (!rc)
				rc = copy_flush(w, &sb, 0);
			if (w->src->progress && result->values - posted >= 65536) {
				posted = result->values;
				obl_progress_count(w->src->progress, result->values, total);
			}
		}
	}
	if (copying) {
		put_be(&sb, UINT16_MAX, 2); /* the end */
		rc = copy_end(w, &sb, rc, "adding values");
	}
	obl_strbuf_release(&sb);
	free(ids);
	free(reps.reps);
	obl_hashmap_free(&reps.index);
	return rc;
}

/* One attempt at writing the file: 1 in *retry when another transaction got in the way. */
static int write_once(struct pg_writer *w, struct obl_ingest_result *result)
{
	const struct obl_source_info *src = w->src;
	/* the common duplicate, found without writing; the race is settled by the insert below */
	const char *p[1] = { src->sha256 };
	PGresult *res = query(w->s,
			      "SELECT src.path, run.label FROM source src JOIN run ON run.id = "
			      "src.run_id WHERE src.sha256 = $1",
			      1, p, "reading sources", &w->failed, w->err);
	if (!res)
		return w->err->status;
	if (PQntuples(res)) {
		result->duplicate = 1;
		result->duplicate_of = dup_at(res, 0, 0);
		result->duplicate_run = dup_at(res, 0, 1);
		PQclear(res);
		return result->duplicate_of && result->duplicate_run ? OBL_OK : nomem(w);
	}
	PQclear(res);
	/* writers of one run one at a time (repetitions are numbered per run): a lock on the
	 * label's hash, held until the end of the transaction; no privilege needed */
	const char *l[1] = { src->label };
	res = query(w->s, "SELECT pg_advisory_xact_lock(1868719731, hashtext($1))", 1, l,
		    "taking the run's lock", &w->failed, w->err);
	if (!res)
		return w->err->status;
	PQclear(res);
	long long run = 0, source = 0;
	int rc = write_run(w, &run);
	if (!rc)
		rc = write_scenarios(w);
	if (!rc)
		rc = write_metrics(w);
	if (rc)
		return rc;
	char run_text[32], size_text[32];
	snprintf(run_text, sizeof run_text, "%lld", run);
	snprintf(size_text, sizeof size_text, "%zu", src->size);
	const char *q[5] = { src->path, src->sha256, src->format, size_text, run_text };
	res = query(w->s,
		    "INSERT INTO source(path, sha256, format, size, ingested, run_id) VALUES ($1, "
		    "$2, $3, $4, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		    "$5) ON CONFLICT (sha256) DO NOTHING RETURNING id",
		    5, q, "recording the source", &w->failed, w->err);
	if (!res)
		return w->err->status;
	if (!PQntuples(res)) {
		/* another writer stored the same content meanwhile: the caller rolls back and
		 * reads who */
		PQclear(res);
		result->duplicate = 1;
		return OBL_OK;
	}
	source = int_at(res, 0, 0);
	PQclear(res);
	rc = write_tags(w, run, source);
	if (!rc)
		rc = write_warnings(w, source);
	if (!rc)
		rc = write_trials(w, run, source, result);
	return rc;
}

/* Who holds the content with this SHA-256 (after a writer that raced us committed it). */
static int duplicate_of(struct pg_store *s, const char *sha256, struct obl_ingest_result *result,
			struct obl_error *err)
{
	const char *p[1] = { sha256 };
	PGresult *res = query(s,
			      "SELECT src.path, run.label FROM source src JOIN run ON run.id = "
			      "src.run_id WHERE src.sha256 = $1",
			      1, p, "reading sources", NULL, err);
	if (!res)
		return err->status;
	free(result->duplicate_of);
	free(result->duplicate_run);
	result->duplicate_of = PQntuples(res) ? dup_at(res, 0, 0) : strdup("?");
	result->duplicate_run = PQntuples(res) ? dup_at(res, 0, 1) : strdup("?");
	PQclear(res);
	if (!result->duplicate_of || !result->duplicate_run)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

static int pg_write_of(struct pg_store *s, const struct obl_source_info *src, const struct obl_batch *batch,
		       struct obl_ingest_result *result, struct obl_error *err)
{
	int rc = obl_store_check_batch_text(src, batch, err);
	if (rc)
		return rc;
	/* Another writer can get in the way (a deadlock the server broke, a scenario removed
	 * under us): the file is written again from the start, a few times. Always a
	 * transaction of its own, merges included (pg_transaction_of). */
	for (int attempt = 0;; attempt++) {
		memset(result, 0, sizeof *result);
		obl_error_clear(err);
		struct pg_writer w = { 0 };
		w.s = s;
		w.err = err;
		w.src = src;
		w.batch = batch;
		obl_strbuf_init(&w.a);
		obl_strbuf_init(&w.b);
		obl_strbuf_init(&w.c);
		obl_strbuf_init(&w.d);
		rc = exec(s, "BEGIN", "starting to write", err);
		if (!rc)
			rc = write_once(&w, result);
		int again = rc && attempt < 8 && retryable(w.failed);
		writer_release(&w);
		if (!rc && !result->duplicate) {
			obl_progress_phase(src->progress, "committing");
			PGresult *res = PQexec(s->conn, "COMMIT");
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				rc = pg_fail(s, err, "committing", res);
				again = attempt < 8 && retryable(res);
			}
			PQclear(res);
			if (!rc)
				return OBL_OK;
		} else if (PQstatus(s->conn) == CONNECTION_OK) {
			PQclear(PQexec(s->conn, "ROLLBACK"));
		}
		if (!rc && result->duplicate) {
			if (!result->duplicate_of)
				rc = duplicate_of(s, src->sha256, result, err);
			return rc;
		}
		obl_ingest_result_release(result);
		memset(result, 0, sizeof *result);
		if (!again)
			return rc;
	}
}

/* A merge into PostgreSQL commits file by file, each whole (obl_store_write's own
 * transaction): one transaction for a whole database would hold the lock of every run it
 * touches until the end, keeping the team's writers of those runs waiting for minutes, and
 * thousands of savepoints in one transaction slow the server. A push that fails keeps the
 * files before the failure; the same push again adds the rest (each file is stored once). */
static int pg_transaction_of(struct pg_store *s, enum obl_store_tx what, struct obl_error *err)
{
	(void)s;
	(void)what;
	(void)err;
	return OBL_OK;
}

/* ---- Reading ---------------------------------------------------------------------- */

/* The text of a float8[] ("{1.5,2,NaN}") into v (which has room for n). */
static int parse_values(const char *text, struct obl_values *v, size_t n)
{
	const char *p = text;
	if (*p++ != '{')
		return -1;
	while (*p && *p != '}') {
		char *end;
		double x = strtod(p, &end);
		if (end == p || v->n == n)
			return -1;
		v->v[v->n++] = x;
		p = end;
		if (*p == ',')
			p++;
	}
	return v->n == n ? 0 : -1;
}

/* Results in binary (the groups' query: values as IEEE bits, no text to parse): an
 * integer column (int4 or int8, big-endian), a float8 (NaN for NULL), a float8[]. */
static uint64_t get_be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static long long bin_int(const PGresult *res, int row, int col)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, col);
	int len = PQgetlength(res, row, col);
	return len == 8 ? (long long)get_be(p, 8) : len == 4 ? (int32_t)get_be(p, 4)
							     : 0;
}

static double bin_double(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col) || PQgetlength(res, row, col) != 8)
		return NAN;
	uint64_t bits = get_be((const unsigned char *)PQgetvalue(res, row, col), 8);
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* A one-dimensional float8[] of n values into v (which has room for them); -1 if it is not. */
static int bin_values(const PGresult *res, int row, int col, struct obl_values *v, size_t n)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, col);
	size_t len = (size_t)PQgetlength(res, row, col);
	if (len < 20 + 12 * n || get_be(p, 4) != 1 || get_be(p + 12, 4) != n)
		return -1;
	p += 20;
	for (size_t i = 0; i < n; i++, p += 12) {
		if (get_be(p, 4) != 8)
			return -1;
		uint64_t bits = get_be(p + 4, 8);
		memcpy(&v->v[i], &bits, sizeof bits);
	}
	v->n = n;
	return 0;
}

/* Every scenario key, by scenario id (sorted by id, then key). */
struct scenario_keys {
	PGresult *res;
	int rows;
};

static int scenario_rows(const struct scenario_keys *k, long long id, int *first)
{
	int lo = 0, hi = k->rows;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (int_at(k->res, mid, 0) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	int n = 0;
	while (lo + n < k->rows && int_at(k->res, lo + n, 0) == id)
		n++;
	return n;
}

/* The groups matching filter, and when scenario is given (the walk in series order) only
 * those of that scenario id and of the metric ids in `metrics` (an array literal). */
static int pg_groups_of(struct pg_store *s, const struct obl_store_filter *filter,
			const char *scenario, const char *metrics, struct obl_group **out,
			size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	const char *p[4] = { filter ? filter->run : NULL, filter ? filter->metric : NULL, scenario,
			     metrics };
	PGresult *keys = query(s,
			       "SELECT scenario_id, key, value FROM scenario_key ORDER BY "
			       "scenario_id, key",
			       0, NULL, "reading scenarios", NULL, err);
	if (!keys)
		return err->status;
	struct scenario_keys k = { keys, PQntuples(keys) };
	/* row by row (libpq's single-row mode): a history of 10 000 runs is millions of
	 * series, which one result would hold as text all at once */
	static const char sql[] =
		"SELECT r.id, r.label, sc.id, sc.canonical, m.name, m.unit, "
		"m.direction, m.kind, se.vals, se.count, se.successes, se.trials, "
		"src.format FROM series se JOIN trial t ON t.id = se.trial_id JOIN run r "
		"ON r.id = t.run_id JOIN scenario sc ON sc.id = t.scenario_id JOIN "
		"metric m ON m.id = se.metric_id JOIN source src ON src.id = t.source_id "
		"WHERE ($1::text IS NULL OR r.label = $1) AND ($2::text IS NULL OR "
		"m.name = $2) AND ($3::bigint IS NULL OR (t.scenario_id = $3 AND se.metric_id "
		"= ANY ($4::bigint[]))) ORDER BY r.id, sc.id, m.id, t.repetition, t.id";
	if (!PQsendQueryParams(s->conn, sql, 4, NULL, p, NULL, NULL, 1) ||
	    !PQsetSingleRowMode(s->conn)) {
		PQclear(keys);
		return pg_fail(s, err, "reading the database", NULL);
	}
	struct obl_group_sorted *groups = NULL;
	size_t count = 0, alloc = 0;
	int rc = OBL_OK;
	struct obl_kv *kv = NULL;
	long long last_run = -1, last_scenario = -1;
	const char *last_metric = NULL;
	PGresult *res;
	const int row = 0;
	while ((res = PQgetResult(s->conn))) {
		ExecStatusType status = PQresultStatus(res);
		if (status != PGRES_SINGLE_TUPLE) {
			if (status != PGRES_TUPLES_OK && !rc)
				rc = pg_fail(s, err, "reading the database", res);
			PQclear(res);
			continue;
		}
		if (rc) { /* the rest of the rows, read and dropped */
			PQclear(res);
			continue;
		}
		long long run_id = bin_int(res, row, 0), scenario_id = bin_int(res, row, 2);
		const char *metric = PQgetvalue(res, row, 4);
		if (run_id != last_run || scenario_id != last_scenario || !last_metric ||
		    strcmp(metric, last_metric)) {
			if (count == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				struct obl_group_sorted *q = realloc(groups, alloc * sizeof *q);
				if (!q) {
					rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
					PQclear(res);
					continue;
				}
				groups = q;
			}
			memset(&groups[count], 0, sizeof groups[count]);
			groups[count].run_id = run_id;
			struct obl_group *g = &groups[count++].g;
			int first, n_keys = scenario_rows(&k, scenario_id, &first);
			struct obl_kv *q = realloc(kv, (size_t)(n_keys ? n_keys : 1) * sizeof *q);
			if (!q) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				PQclear(res);
				continue;
			}
			kv = q;
			for (int i = 0; i < n_keys; i++)
				kv[i] = (struct obl_kv){ PQgetvalue(keys, first + i, 1),
							 PQgetvalue(keys, first + i, 2) };
			if (obl_group_set_text(g, PQgetvalue(res, row, 1), PQgetvalue(res, row, 3), metric,
					       PQgetvalue(res, row, 5), kv, (size_t)n_keys)) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				PQclear(res);
				continue;
			}
			g->direction = obl_direction_from_name(PQgetvalue(res, row, 6));
			const char *kind = PQgetvalue(res, row, 7);
			g->kind = !strcmp(kind, "sample")      ? OBL_KIND_SAMPLE
				  : !strcmp(kind, "aggregate") ? OBL_KIND_AGGREGATE
							       : OBL_KIND_PROPORTION;
			g->values_are_runs = obl_format_values_are_runs(PQgetvalue(res, row, 12));
			last_run = run_id;
			last_scenario = scenario_id;
			last_metric = g->metric;
		}
		struct obl_group *g = &groups[count - 1].g;
		size_t t = g->trials;
		struct obl_values *pv = realloc(g->per_trial, (t + 1) * sizeof *pv);
		if (pv)
			g->per_trial = pv;
		double *ps = pv ? realloc(g->successes, (t + 1) * sizeof *ps) : NULL;
		if (ps)
			g->successes = ps;
		double *pt = ps ? realloc(g->totals, (t + 1) * sizeof *pt) : NULL;
		if (!pt) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			PQclear(res);
			continue;
		}
		g->totals = pt;
		memset(&g->per_trial[t], 0, sizeof g->per_trial[t]);
		g->successes[t] = bin_double(res, row, 10);
		g->totals[t] = bin_double(res, row, 11);
		g->trials++;
		long long cnt = bin_int(res, row, 9);
		if (cnt > 0) {
			struct obl_values *v = &g->per_trial[t];
			if (!(v->v = malloc((size_t)cnt * sizeof *v->v))) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				PQclear(res);
				continue;
			}
			v->alloc = (size_t)cnt;
			if (bin_values(res, row, 8, v, (size_t)cnt))
				rc = obl_error_set(err, OBL_EINPUT, s->name, 0, NULL,
						   "a series has %zu values, %lld expected: the "
						   "database is damaged",
						   v->n, cnt);
		}
		PQclear(res);
	}
	free(kv);
	PQclear(keys);
	size_t kept = 0;
	for (size_t i = 0; i < count; i++) {
		if (!rc && (!filter || obl_store_filter_matches(&groups[i].g, filter)))
			groups[kept++] = groups[i];
		else
			obl_group_release(&groups[i].g);
	}
	if (rc) {
		free(groups);
		return rc;
	}
	obl_groups_sort(groups, kept);
	struct obl_group *result = malloc((kept ? kept : 1) * sizeof *result);
	if (!result) {
		for (size_t i = 0; i < kept; i++)
			obl_group_release(&groups[i].g);
		free(groups);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	for (size_t i = 0; i < kept; i++)
		result[i] = groups[i].g;
	free(groups);
	*out = result;
	*n = kept;
	return OBL_OK;
}

/* Rows of a one-column query as an owned array of owned strings. */
static int strings_of(struct pg_store *s, const char *sql, int n_params, const char *const *params,
		      const char *what, char ***out, size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	PGresult *res = query(s, sql, n_params, params, what, NULL, err);
	if (!res)
		return err->status;
	int rows = PQntuples(res);
	char **v = malloc((size_t)(rows ? rows : 1) * sizeof *v);
	for (int i = 0; v && i < rows; i++)
		if (!(v[i] = dup_at(res, i, 0))) {
			while (i--)
				free(v[i]);
			free(v);
			v = NULL;
		}
	PQclear(res);
	if (!v)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	*out = v;
	*n = (size_t)rows;
	return OBL_OK;
}

static int pg_runs_of(struct pg_store *s, char ***labels, size_t *n, struct obl_error *err)
{
	return strings_of(s, "SELECT label FROM run ORDER BY id", 0, NULL, "reading runs", labels, n,
			  err);
}

static int pg_warnings_of(struct pg_store *s, const char *run, char ***msgs, size_t *n,
			  struct obl_error *err)
{
	const char *p[1] = { run };
	return strings_of(s,
			  "SELECT src.path || ': ' || w.message FROM source_warning w JOIN source "
			  "src ON src.id = w.source_id JOIN run ON run.id = src.run_id WHERE "
			  "run.label = $1 ORDER BY w.id",
			  1, p, "reading warnings", msgs, n, err);
}

static int pg_metric_names_of(struct pg_store *s, char ***names, size_t *n, struct obl_error *err)
{
	return strings_of(s, "SELECT name FROM metric ORDER BY name", 0, NULL, "reading metrics",
			  names, n, err);
}

static int pg_tags_of(struct pg_store *s, const char *run, struct obl_kv **tags, size_t *n,
		      struct obl_error *err)
{
	*tags = NULL;
	*n = 0;
	const char *p[1] = { run };
	PGresult *res = query(
		s,
		"SELECT key, value FROM run_tag JOIN run ON run.id = run_tag.run_id WHERE run.label "
		"= $1 "
		/* provenance: the value, or the range of values over the files */
		"UNION ALL SELECT st.key, CASE WHEN min(st.value) = max(st.value) THEN "
		"min(st.value) ELSE min(st.value) || ' .. ' || max(st.value) END FROM source_tag st "
		"JOIN source s ON s.id = st.source_id JOIN run ON run.id = s.run_id WHERE run.label "
		"= $1 AND st.key NOT IN (SELECT key FROM run_tag WHERE run_tag.run_id = run.id) "
		"GROUP BY st.key ORDER BY 1",
		1, p, "reading tags", NULL, err);
	if (!res)
		return err->status;
	int rows = PQntuples(res), rc = OBL_OK;
	struct obl_kv *kv = calloc((size_t)(rows ? rows : 1), sizeof *kv);
	for (int i = 0; kv && i < rows; i++) {
		char *key = dup_at(res, i, 0), *value = dup_at(res, i, 1);
		kv[i] = (struct obl_kv){ key, value };
		if (!key || !value)
			rc = OBL_ENOMEM;
	}
	PQclear(res);
	if (!kv || rc) {
		if (kv)
			obl_kv_free(kv, (size_t)rows);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	*tags = kv;
	*n = (size_t)rows;
	return OBL_OK;
}

static int pg_run_list_of(struct pg_store *s, struct obl_run_info **out, size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	PGresult *res = query(
		s,
		"SELECT r.label, r.created, "
		" coalesce((SELECT string_agg(key || '=' || value, ', ' ORDER BY key) FROM run_tag "
		"   WHERE run_id = r.id), ''), "
		" (SELECT count(*) FROM source WHERE run_id = r.id), "
		" (SELECT max(ingested) FROM source WHERE run_id = r.id), "
		" (SELECT count(DISTINCT scenario_id) FROM trial WHERE run_id = r.id), "
		" (SELECT count(DISTINCT se.metric_id) FROM series se JOIN trial t ON t.id = "
		"   se.trial_id WHERE t.run_id = r.id), "
		" (SELECT coalesce(sum(se.count), 0) FROM series se JOIN trial t ON t.id = "
		"   se.trial_id WHERE t.run_id = r.id) "
		"FROM run r ORDER BY r.id",
		0, NULL, "reading runs", NULL, err);
	if (!res)
		return err->status;
	int rows = PQntuples(res), bad = 0;
	struct obl_run_info *v = calloc((size_t)(rows ? rows : 1), sizeof *v);
	for (int i = 0; v && i < rows; i++) {
		struct obl_run_info *r = &v[i];
		r->label = dup_at(res, i, 0);
		r->created = dup_at(res, i, 1);
		r->tags = dup_at(res, i, 2);
		r->sources = (size_t)int_at(res, i, 3);
		r->last_ingest = dup_at(res, i, 4);
		r->scenarios = (size_t)int_at(res, i, 5);
		r->metrics = (size_t)int_at(res, i, 6);
		r->values = int_at(res, i, 7);
		if (!r->label || !r->created || !r->tags || !r->last_ingest)
			bad = 1;
	}
	PQclear(res);
	if (!v || bad) {
		obl_run_info_free(v, v ? (size_t)rows : 0);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	*out = v;
	*n = (size_t)rows;
	return OBL_OK;
}

/* The id of the run labelled `label` (as text in id[]), or an OBL_EUSAGE error naming the
 * closest label. */
static int find_run(struct pg_store *s, const char *label, char id[32], const char *lock,
		    struct obl_error *err)
{
	const char *p[1] = { label };
	struct obl_strbuf sql;
	obl_strbuf_init(&sql);
	obl_strbuf_addf(&sql, "SELECT id FROM run WHERE label = $1%s", lock);
	PGresult *res = obl_strbuf_failed(&sql) ? NULL
						: query(s, sql.buf, 1, p, "reading runs", NULL, err);
	obl_strbuf_release(&sql);
	if (!res)
		return err->status ? err->status : obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	int found = PQntuples(res) > 0;
	if (found)
		snprintf(id, 32, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (found)
		return OBL_OK;
	char **labels = NULL;
	size_t n = 0;
	int rc = pg_runs_of(s, &labels, &n, err);
	if (rc)
		return rc;
	const char *near = obl_suggest(label, (const char *const *)labels, n);
	rc = obl_error_set(err, OBL_EUSAGE, s->name, 0, label,
			   near ? "no such run; did you mean %s?" : "no such run%s",
			   near ? near : n ? " (obl-runs lists the runs)"
					   : " (the database holds none)");
	obl_store_names_free(labels, n);
	return rc;
}

/* Removes the run (its files, trials and series go with it: ON DELETE CASCADE), then the
 * scenarios and metrics no run uses any more, in one transaction. */
static int pg_remove_run(struct pg_store *s, const char *label, struct obl_error *err)
{
	int rc = exec(s, "BEGIN", "removing the run", err);
	if (rc)
		return rc;
	char id[32];
	const char *l[1] = { label };
	PGresult *res = query(s, "SELECT pg_advisory_xact_lock(1868719731, hashtext($1))", 1, l,
			      "taking the run's lock", NULL, err);
	rc = res ? OBL_OK : err->status;
	PQclear(res);
	if (!rc)
		rc = find_run(s, label, id, "", err);
	static const char *const steps[] = {
		"DELETE FROM run WHERE id = $1",
		"DELETE FROM scenario sc WHERE NOT EXISTS (SELECT 1 FROM trial t WHERE "
		"t.scenario_id = sc.id) AND $1::bigint IS NOT NULL",
		"DELETE FROM metric m WHERE NOT EXISTS (SELECT 1 FROM series se WHERE se.metric_id "
		"= m.id) AND $1::bigint IS NOT NULL",
	};
	for (size_t i = 0; !rc && i < sizeof steps / sizeof *steps; i++) {
		const char *p[1] = { id };
		res = query(s, steps[i], 1, p, "removing the run", NULL, err);
		rc = res ? OBL_OK : err->status;
		PQclear(res);
	}
	if (!rc)
		return exec(s, "COMMIT", "removing the run", err);
	PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

static int pg_rename_run(struct pg_store *s, const char *from, const char *to, struct obl_error *err)
{
	int rc = exec(s, "BEGIN", "renaming the run", err);
	if (rc)
		return rc;
	char id[32];
	rc = find_run(s, from, id, " FOR UPDATE", err);
	const char *p[2] = { id, to };
	PGresult *res = NULL;
	if (!rc && !(res = query(s, "SELECT 1 FROM run WHERE label = $2 AND $1::bigint IS NOT NULL",
				 2, p, "renaming the run", NULL, err)))
		rc = err->status;
	if (!rc && PQntuples(res))
		rc = obl_error_set(err, OBL_EUSAGE, s->name, 0, to,
				   "a run with this label exists already (remove it first, or "
				   "choose another label)");
	PQclear(res);
	res = NULL;
	if (!rc && !(res = query(s, "UPDATE run SET label = $2 WHERE id = $1", 2, p,
				 "renaming the run", NULL, err)))
		rc = err->status;
	PQclear(res);
	if (!rc)
		return exec(s, "COMMIT", "renaming the run", err);
	PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

/* ---- Exporting stored files (obl-ingest merging a database) ------------------------- */

static enum obl_metric_kind kind_of(const char *s)
{
	return !strcmp(s, "sample")      ? OBL_KIND_SAMPLE
	       : !strcmp(s, "aggregate") ? OBL_KIND_AGGREGATE
					 : OBL_KIND_PROPORTION;
}

/* The batch of one stored file: its tags (the run's, then the file's own, which win),
 * warnings, and trials with their scenarios and series. */
static int export_source(struct pg_store *s, const char *source, const char *run,
			 const struct scenario_keys *k, struct obl_batch *b, struct obl_error *err)
{
	const char *p[2] = { source, run };
	PGresult *res = query(s,
			      "SELECT key, value FROM run_tag WHERE run_id = $2 AND key NOT IN "
			      "(SELECT key FROM source_tag WHERE source_id = $1) UNION ALL SELECT "
			      "key, value FROM source_tag WHERE source_id = $1",
			      2, p, "reading tags", NULL, err);
	if (!res)
		return err->status;
	int rc = OBL_OK;
	for (int i = 0; !rc && i < PQntuples(res); i++)
		if (obl_batch_tag(b, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1)))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	PQclear(res);
	if (rc)
		return rc;
	if (!(res = query(s, "SELECT message FROM source_warning WHERE source_id = $1 ORDER BY id",
			  1, p, "reading warnings", NULL, err)))
		return err->status;
	for (int i = 0; i < PQntuples(res); i++)
		obl_batch_warn(b, "%s", PQgetvalue(res, i, 0));
	PQclear(res);
	if (!(res = query(s,
			  "SELECT t.id, t.scenario_id, m.name, m.unit, m.kind, se.successes, "
			  "se.trials, se.vals, se.count FROM trial t LEFT JOIN series se ON "
			  "se.trial_id = t.id LEFT JOIN metric m ON m.id = se.metric_id WHERE "
			  "t.source_id = $1 ORDER BY t.id, se.id",
			  1, p, "reading trials", NULL, err)))
		return err->status;
	struct obl_trial_data *t = NULL;
	for (int row = 0; !rc && row < PQntuples(res); row++) {
		if (!row || strcmp(PQgetvalue(res, row, 0), PQgetvalue(res, row - 1, 0))) {
			if (!(t = obl_batch_trial(b))) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			int first, n = scenario_rows(k, int_at(res, row, 1), &first);
			for (int i = 0; !rc && i < n; i++)
				if (obl_trial_set_scenario(t, PQgetvalue(k->res, first + i, 1),
							   PQgetvalue(k->res, first + i, 2)))
					rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL,
							   "out of memory");
		}
		if (rc || PQgetisnull(res, row, 2))
			continue;
		struct obl_series *se = obl_trial_series(t, PQgetvalue(res, row, 2), PQgetvalue(res, row, 3),
							 kind_of(PQgetvalue(res, row, 4)));
		if (!se) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		se->successes = PQgetisnull(res, row, 5) ? NAN : strtod(PQgetvalue(res, row, 5), NULL);
		se->trials = PQgetisnull(res, row, 6) ? NAN : strtod(PQgetvalue(res, row, 6), NULL);
		long long cnt = int_at(res, row, 8);
		if (cnt > 0) {
			se->values.v = malloc((size_t)cnt * sizeof *se->values.v);
			if (!se->values.v) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			se->values.alloc = (size_t)cnt;
			if (parse_values(PQgetvalue(res, row, 7), &se->values, (size_t)cnt))
				rc = obl_error_set(err, OBL_EINPUT, s->name, 0, NULL,
						   "a series has %zu values, %lld expected: the "
						   "database is damaged",
						   se->values.n, cnt);
		}
	}
	PQclear(res);
	return rc;
}

static int pg_each_source_of(struct pg_store *s, const char *run, obl_source_skip_fn skip,
			     obl_source_fn fn, void *ctx, struct obl_error *err)
{
	const char *p[1] = { run };
	char id[32];
	int rc = run ? find_run(s, run, id, "", err) : OBL_OK;
	if (rc)
		return rc;
	PGresult *keys = query(s,
			       "SELECT scenario_id, key, value FROM scenario_key ORDER BY "
			       "scenario_id, key",
			       0, NULL, "reading scenarios", NULL, err);
	if (!keys)
		return err->status;
	struct scenario_keys k = { keys, PQntuples(keys) };
	PGresult *res = query(s,
			      "SELECT s.id, s.path, s.sha256, s.format, s.size, r.label, r.id FROM "
			      "source s JOIN run r ON r.id = s.run_id WHERE $1::text IS NULL OR "
			      "r.label = $1 ORDER BY s.id",
			      1, p, "reading the sources", NULL, err);
	if (!res) {
		PQclear(keys);
		return err->status;
	}
	for (int i = 0; !rc && i < PQntuples(res); i++) {
		struct obl_batch b;
		obl_batch_init(&b);
		b.format = strdup(PQgetvalue(res, i, 3));
		b.label = strdup(PQgetvalue(res, i, 5));
		if (!b.format || !b.label)
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		const struct obl_source_info info = { PQgetvalue(res, i, 1), b.format,
						      PQgetvalue(res, i, 2),
						      (size_t)int_at(res, i, 4), b.label, NULL };
		int skipped = 0;
		if (!rc && skip)
			rc = skip(ctx, &info, &skipped, err);
		if (!rc && !skipped)
			rc = export_source(s, PQgetvalue(res, i, 0), PQgetvalue(res, i, 6), &k, &b, err);
		if (!rc && !skipped)
			rc = fn(ctx, &info, &b, err);
		obl_batch_free(&b);
	}
	PQclear(res);
	PQclear(keys);
	return rc;
}

/* ---- The engine's operations ------------------------------------------------------ */

static struct pg_store *pg_of(struct obl_store *base)
{
	return (struct pg_store *)base;
}

static void pg_close(struct obl_store *base)
{
	pg_free(pg_of(base));
}

static int pg_check(struct obl_store *base, struct obl_strbuf *report, struct obl_error *err)
{
	return pg_check_of(pg_of(base), report, err);
}

static int pg_write(struct obl_store *base, const struct obl_source_info *src,
		    const struct obl_batch *batch, struct obl_ingest_result *result,
		    struct obl_error *err)
{
	return pg_write_of(pg_of(base), src, batch, result, err);
}

static int pg_groups(struct obl_store *base, const struct obl_store_filter *filter,
		     struct obl_group **out, size_t *n, struct obl_error *err)
{
	return pg_groups_of(pg_of(base), filter, NULL, NULL, out, n, err);
}

/* Calls fn with g's trials' values one after another in one array, as store.h promises
 * (fn may reorder them in place); g's own arrays are back in place when it returns. */
static int visit_packed(const struct obl_group *g, obl_group_fn fn, void *ctx,
			struct obl_error *err)
{
	size_t total = 0;
	for (size_t t = 0; t < g->trials; t++)
		total += g->per_trial[t].n;
	double *all = malloc((total ? total : 1) * sizeof *all);
	double **own = malloc((g->trials ? g->trials : 1) * sizeof *own);
	if (!all || !own) {
		free(all);
		free(own);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	size_t at = 0;
	for (size_t t = 0; t < g->trials; t++) {
		struct obl_values *v = &g->per_trial[t];
		own[t] = v->v;
		if (v->n)
			memcpy(all + at, v->v, v->n * sizeof *all);
		v->v = v->n ? all + at : v->v;
		at += v->n;
	}
	int rc = fn(ctx, g, err);
	for (size_t t = 0; t < g->trials; t++)
		g->per_trial[t].v = own[t];
	free(own);
	free(all);
	return rc;
}

/* The walk in series order reads a scenario at a time, up to WALK_METRICS of its metrics, as
 * the SQLite engine does: memory holds the list of series and those few series. */
#define WALK_METRICS 8

/* The series (scenario x metric) of the groups matching filter (its run aside), in series
 * order. */
static int pg_series_of(struct pg_store *s, const struct obl_store_filter *filter,
			struct obl_series_ref **out, size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	const char *p[1] = { filter ? filter->metric : NULL };
	PGresult *keys = query(s,
			       "SELECT scenario_id, key, value FROM scenario_key ORDER BY "
			       "scenario_id, key",
			       0, NULL, "reading scenarios", NULL, err);
	PGresult *res = keys ? query(s,
				     "SELECT sc.id, m.id, sc.canonical, m.name FROM scenario sc "
				     "JOIN (SELECT DISTINCT t.scenario_id, se.metric_id FROM series "
				     "se JOIN trial t ON t.id = se.trial_id) x ON x.scenario_id = "
				     "sc.id JOIN metric m ON m.id = x.metric_id WHERE ($1::text IS "
				     "NULL OR m.name = $1)",
				     1, p, "reading series", NULL, err)
			     : NULL;
	if (!res) {
		PQclear(keys);
		return err->status;
	}
	struct scenario_keys k = { keys, PQntuples(keys) };
	int rows = PQntuples(res), rc = OBL_OK;
	struct obl_series_ref *refs = calloc((size_t)(rows ? rows : 1), sizeof *refs);
	struct obl_kv *kv = NULL;
	size_t count = 0;
	for (int i = 0; refs && !rc && i < rows; i++) {
		int first, n_keys = scenario_rows(&k, int_at(res, i, 0), &first);
		struct obl_kv *q = realloc(kv, (size_t)(n_keys ? n_keys : 1) * sizeof *q);
		if (!q) {
			rc = OBL_ENOMEM;
			break;
		}
		kv = q;
		for (int j = 0; j < n_keys; j++)
			kv[j] = (struct obl_kv){ PQgetvalue(keys, first + j, 1),
						 PQgetvalue(keys, first + j, 2) };
		struct obl_series_ref *r = &refs[count];
		r->scenario_id = int_at(res, i, 0);
		r->metric_id = int_at(res, i, 1);
		if (obl_group_set_text(&r->g, NULL, PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), NULL,
				       kv, (size_t)n_keys)) {
			rc = OBL_ENOMEM;
			break;
		}
		if (filter && !obl_store_filter_matches(&r->g, filter))
			obl_group_release(&r->g);
		else
			count++;
	}
	free(kv);
	PQclear(res);
	PQclear(keys);
	if (!refs || rc) {
		obl_series_refs_free(refs, count);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	if (count) /* qsort of a null array is undefined, even of no elements */
		qsort(refs, count, sizeof *refs, obl_store_by_series_ref);
	*out = refs;
	*n = count;
	return OBL_OK;
}

/* Calls fn for groups g[0..n) (of one run or of one scenario's few series), series after
 * series, each series' runs in order. */
static int visit_by_series(struct obl_group *g, size_t n, obl_group_fn fn, void *ctx,
			   struct obl_error *err)
{
	const struct obl_group **at = malloc((n ? n : 1) * sizeof *at);
	if (!at)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		at[i] = &g[i];
	if (n)
		qsort(at, n, sizeof *at, obl_store_by_series);
	int rc = OBL_OK;
	for (size_t i = 0; i < n && !rc; i++)
		rc = visit_packed(at[i], fn, ctx, err);
	free(at);
	return rc;
}

static int pg_each_series(struct pg_store *s, const struct obl_store_filter *filter,
			  obl_group_fn fn, void *ctx, struct obl_error *err)
{
	struct obl_series_ref *refs;
	size_t n;
	int rc = pg_series_of(s, filter, &refs, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0, j; !rc && i < n; i = j) {
		/* the next metrics of the scenario, up to WALK_METRICS */
		for (j = i + 1; j < n && j - i < WALK_METRICS &&
				refs[j].scenario_id == refs[i].scenario_id;
		     j++)
			;
		char scenario[32], metrics[WALK_METRICS * 24 + 4];
		snprintf(scenario, sizeof scenario, "%lld", refs[i].scenario_id);
		size_t len = 0;
		for (size_t k = i; k < j; k++)
			len += (size_t)snprintf(metrics + len, sizeof metrics - len, "%c%lld",
						k == i ? '{' : ',', refs[k].metric_id);
		snprintf(metrics + len, sizeof metrics - len, "}");
		struct obl_group *g;
		size_t n_groups;
		rc = pg_groups_of(s, filter, scenario, metrics, &g, &n_groups, err);
		if (rc)
			break;
		rc = visit_by_series(g, n_groups, fn, ctx, err);
		obl_groups_free(g, n_groups);
	}
	obl_series_refs_free(refs, n);
	return rc;
}

static int pg_each_group(struct obl_store *base, const struct obl_store_filter *filter,
			 enum obl_store_order order, obl_group_fn fn, void *ctx,
			 struct obl_error *err)
{
	/* a run's groups are few: listed at once, in either order */
	if (order == OBL_ORDER_SERIES && !(filter && filter->run))
		return pg_each_series(pg_of(base), filter, fn, ctx, err);
	struct obl_group *g;
	size_t n;
	int rc = pg_groups(base, filter, &g, &n, err);
	if (rc)
		return rc;
	if (order == OBL_ORDER_SERIES)
		rc = visit_by_series(g, n, fn, ctx, err);
	for (size_t i = 0; order == OBL_ORDER_RUN && i < n && !rc; i++)
		rc = visit_packed(&g[i], fn, ctx, err);
	obl_groups_free(g, n);
	return rc;
}

static int pg_metric_names(struct obl_store *base, char ***names, size_t *n, struct obl_error *err)
{
	return pg_metric_names_of(pg_of(base), names, n, err);
}

static int pg_runs(struct obl_store *base, char ***labels, size_t *n, struct obl_error *err)
{
	return pg_runs_of(pg_of(base), labels, n, err);
}

static int pg_run_tags(struct obl_store *base, const char *run, struct obl_kv **tags, size_t *n,
		       struct obl_error *err)
{
	return pg_tags_of(pg_of(base), run, tags, n, err);
}

static int pg_run_warnings(struct obl_store *base, const char *run, char ***msgs, size_t *n,
			   struct obl_error *err)
{
	return pg_warnings_of(pg_of(base), run, msgs, n, err);
}

static int pg_run_list(struct obl_store *base, struct obl_run_info **out, size_t *n,
		       struct obl_error *err)
{
	return pg_run_list_of(pg_of(base), out, n, err);
}

static int pg_run_remove(struct obl_store *base, const char *label, struct obl_error *err)
{
	return pg_remove_run(pg_of(base), label, err);
}

static int pg_run_rename(struct obl_store *base, const char *from, const char *to,
			 struct obl_error *err)
{
	int rc = obl_store_check_label(to, err);
	return rc ? rc : pg_rename_run(pg_of(base), from, to, err);
}

static int pg_transaction(struct obl_store *base, enum obl_store_tx what, struct obl_error *err)
{
	return pg_transaction_of(pg_of(base), what, err);
}

static int pg_has_source(struct obl_store *base, const char *sha256, int *found,
			 struct obl_error *err)
{
	const char *p[1] = { sha256 };
	PGresult *res = query(pg_of(base), "SELECT 1 FROM source WHERE sha256 = $1", 1, p,
			      "reading sources", NULL, err);
	if (!res)
		return err->status;
	*found = PQntuples(res) > 0;
	PQclear(res);
	return OBL_OK;
}

static int pg_each_source(struct obl_store *base, const char *run, obl_source_skip_fn skip,
			  obl_source_fn fn, void *ctx,
			  struct obl_error *err)
{
	return pg_each_source_of(pg_of(base), run, skip, fn, ctx, err);
}

static const struct obl_store_ops pg_ops = {
	.name = "PostgreSQL",
	.close = pg_close,
	.check = pg_check,
	.write = pg_write,
	.groups = pg_groups,
	.each_group = pg_each_group,
	.metric_names = pg_metric_names,
	.runs = pg_runs,
	.run_tags = pg_run_tags,
	.run_warnings = pg_run_warnings,
	.run_list = pg_run_list,
	.run_remove = pg_run_remove,
	.run_rename = pg_run_rename,
	.transaction = pg_transaction,
	.each_source = pg_each_source,
	.has_source = pg_has_source,
};
