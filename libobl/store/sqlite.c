/*
 * sqlite.c - the SQLite engine of the store (see store.h, engine.h and obl-schema(5)).
 *
 * A series' values are stored packed (schema 5): blocks of up to 504 little-endian binary64
 * in `sample_block`, keyed by series and position. One insert writes 504 values, so ingest
 * costs what parsing costs; a value takes 8 bytes and a few hundredths on disk; a series
 * reads back as a few blobs. Older stores are converted on migration (migrate_blocks).
 */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hashmap.h"
#include "schema_sql.h"
#include "progress.h"
#include "reader.h"
#include "store_sqlite.h"
#include "strbuf.h"
#include "utf8.h"
#include "suggest.h"

struct sqlite_store {
	struct obl_store base; /* first: the front's view (engine.h) */
	sqlite3 *db;
	char *path;
	int readonly;             /* opened with mode=ro (or immutable): obl-stats, -compare, -report */
	double busy_limit;        /* seconds a lock is waited for (OBL_BUSY_TIMEOUT, default 30) */
	double busy_start;        /* when the current wait began (0: none yet in this exec) */
	double busy_waited;       /* how long the last wait lasted, for the message */
	int in_exec;              /* inside exec(): one wait, and one bound, for the whole call */
	int busy_shown;           /* progress printed on stderr during this wait */
	int tidy;                 /* read-only and no -wal/-shm before: remove those we leave */
	int may_migrate;          /* a reader that could write: upgrades an older schema */
	int created;              /* the file did not exist when this store was opened to write */
	struct writer *writer;    /* the write statements, prepared at the first write (NULL before) */
	sqlite3_stmt *has_source; /* sqlite_has_source's, prepared at its first call */
};

static void writer_free(struct writer *w);
static int writer_init(struct writer *w);

static const struct obl_store_ops sqlite_ops;
static void sqlite_close(struct obl_store *base);

/* The engine's state of a store opened by obl_sqlite_open (base is its first member). */
static struct sqlite_store *sqlite_of(struct obl_store *base)
{
	return (struct sqlite_store *)base;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The total wait for a lock, in seconds (0 fails at once): set by the tools from
 * OBL_BUSY_TIMEOUT (obl(7)); the library reads no environment. */
static double busy_seconds = 30;

void obl_store_set_busy_timeout(double seconds)
{
	if (seconds >= 0 && seconds <= 86400)
		busy_seconds = seconds;
}

static double busy_limit(void)
{
	return busy_seconds;
}

double obl_store_busy_seconds(void)
{
	return busy_seconds;
}

/* Progress on stderr while waiting: where the tool wants progress (obl_progress_wanted). */
static int show_progress(void)
{
	return obl_progress_wanted();
}

/* SQLite's busy handler: sleep a little longer each time, up to the bound, with a line of
 * progress on stderr once a second when a person watches (stderr a terminal). Returns 0 to
 * give up, and SQLite then returns SQLITE_BUSY. SQLite restarts count at 0 for each lock it
 * tries to take, several within one statement; inside exec() the wait is measured from the
 * first of them, so one call waits at most the bound in all and the message tells the time
 * it really waited. exec() also calls it itself, for the SQLITE_BUSY that SQLite returns
 * without calling it. */
static int busy_wait(void *ctx, int count)
{
	struct sqlite_store *s = ctx;
	double t = now_seconds();
	if (count == 0 && !(s->in_exec && s->busy_start > 0)) {
		s->busy_start = t;
		s->busy_shown = 0;
	}
	s->busy_waited = t - s->busy_start;
	if (s->busy_waited >= s->busy_limit) {
		if (s->busy_shown)
			fputs("\r\033[K", stderr);
		return 0;
	}
	if (s->busy_waited >= 1 && (int)s->busy_waited > s->busy_shown && show_progress()) {
		s->busy_shown = (int)s->busy_waited;
		fprintf(stderr, "\r\033[Kwaiting for the lock on the database (%d of %g s)",
			s->busy_shown, s->busy_limit);
	}
	long ms = count < 10 ? 1 + count : count < 40 ? 10
						      : 50;
	double left = s->busy_limit - s->busy_waited;
	if ((double)ms / 1000 > left)
		ms = (long)(left * 1000) + 1;
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&pause, NULL);
	return 1;
}

int obl_store_schema_version(void)
{
	int n = 0;
	while (obl_migrations[n])
		n++;
	return n;
}

/* The time a wait really lasted, as the message shows it: whole seconds, tenths below one
 * (0 when SQLite gave up without calling busy_wait). */
static double waited_shown(double waited)
{
	return waited >= 1 ? floor(waited + 0.5) : floor(waited * 10 + 0.5) / 10;
}

static int db_error(struct sqlite_store *s, struct obl_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int status = code == SQLITE_NOMEM ? OBL_ENOMEM : OBL_EIO;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return obl_error_set(err, OBL_EIO, s->path, 0, NULL,
				     "%s: the database is locked by another process (waited %g s; "
				     "OBL_BUSY_TIMEOUT sets the bound in seconds)",
				     what, waited_shown(s->busy_waited));
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				     "%s: the database is damaged (SQLite: %s); 'obl-stats --check' "
				     "tells more; restore it from a backup, or ingest the result "
				     "files again into a new one",
				     what, sqlite3_errmsg(s->db));
	if (code == SQLITE_READONLY)
		return obl_error_set(err, OBL_EIO, s->path, 0, NULL,
				     "%s: the database cannot be written here (%s)", what,
				     sqlite3_errmsg(s->db));
	if (code == SQLITE_FULL || sqlite3_extended_errcode(s->db) == SQLITE_IOERR_WRITE)
		return obl_error_set(err, OBL_EIO, s->path, 0, NULL,
				     "%s: the disk is full or the file too large (%s); nothing from "
				     "this file was kept",
				     what, sqlite3_errmsg(s->db));
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		status = OBL_EINPUT;
	return obl_error_set(err, status, s->path, 0, NULL, "%s: %s", what, sqlite3_errmsg(s->db));
}

/* Runs sql. SQLite returns some SQLITE_BUSY without calling the busy handler: the switch to
 * WAL (PRAGMA journal_mode = WAL needs the only connection to the file, which a process that
 * opens a store another is creating does not have), WAL recovery. Outside a transaction such a
 * failure changed nothing, so the whole of sql is run again after busy_wait, within the same
 * bound (where SQLite's own waiting already used it up, busy_wait gives up at once). Inside
 * a transaction a failed statement may leave the rest half done: that error goes back. */
static int exec_sql(struct sqlite_store *s, const char *sql, char **msg)
{
	int outside = sqlite3_get_autocommit(s->db);
	s->in_exec = 1;
	s->busy_start = 0;
	s->busy_waited = 0;
	int rc;
	for (int count = 0;; count++) {
		rc = sqlite3_exec(s->db, sql, NULL, NULL, msg);
		if ((rc & 0xff) != SQLITE_BUSY || !outside || !sqlite3_get_autocommit(s->db) ||
		    !busy_wait(s, count))
			break;
		sqlite3_free(*msg);
		*msg = NULL;
	}
	s->in_exec = 0;
	return rc;
}

static int exec(struct sqlite_store *s, const char *sql, struct obl_error *err)
{
	char *msg = NULL;
	if (exec_sql(s, sql, &msg) != SQLITE_OK) {
		int code = sqlite3_errcode(s->db);
		if (code == SQLITE_FULL || sqlite3_extended_errcode(s->db) == SQLITE_IOERR_WRITE ||
		    code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_CORRUPT) {
			sqlite3_free(msg);
			return db_error(s, err, code == SQLITE_BUSY ? "taking the write lock" : "writing");
		}
		obl_error_set(err,
			      code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? OBL_EINPUT
			      : code == SQLITE_FULL                           ? OBL_EIO
									      : OBL_EIO,
			      s->path, 0, NULL, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return err->status;
	}
	return OBL_OK;
}

static int query_int(struct sqlite_store *s, const char *sql, long long *out, struct obl_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading the database");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading the database");
	return OBL_OK;
}

/* Schema 5 (schema/005-packed-values.sql made sample_block): the values of an older store move
 * from `sample`, one row each (a series at rowids first_sample .. first_sample + count - 1),
 * into blocks; then `sample` and series.first_sample go. Inside migrate()'s transaction, so
 * a store is converted whole or not at all. */
static int migrate_blocks(struct sqlite_store *s, struct obl_error *err)
{
	sqlite3_stmt *series = NULL, *values = NULL, *add = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, first_sample, count FROM series WHERE first_sample IS NOT "
			       "NULL AND count > 0 ORDER BY id",
			       -1, &series, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "SELECT value FROM sample WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid",
			       -1, &values, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "INSERT INTO sample_block(series_id, start, data) VALUES (?1, ?2, ?3)",
			       -1, &add, NULL) != SQLITE_OK) {
		sqlite3_finalize(series);
		sqlite3_finalize(values);
		return db_error(s, err, "upgrading the database to schema 5");
	}
	static double block[OBL_BLOCK_VALUES]; /* not on the stack: 8 KiB in all */
	static unsigned char buf[OBL_BLOCK_VALUES * 8];
	int rc = OBL_OK, step;
	while (!rc && (step = sqlite3_step(series)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(series, 0), first = sqlite3_column_int64(series, 1);
		long long count = sqlite3_column_int64(series, 2), got = 0;
		sqlite3_bind_int64(values, 1, first);
		sqlite3_bind_int64(values, 2, first + count - 1);
		size_t k = 0;
		int more;
		do {
			more = !rc && (step = sqlite3_step(values)) == SQLITE_ROW;
			if (more)
				block[k++] = sqlite3_column_double(values, 0);
			if (k && (k == OBL_BLOCK_VALUES || !more)) {
				sqlite3_bind_int64(add, 1, id);
				sqlite3_bind_int64(add, 2, got);
				sqlite3_bind_blob(add, 3, obl_blob_pack(block, k, buf), (int)(k * 8),
						  SQLITE_STATIC);
				if (sqlite3_step(add) != SQLITE_DONE)
					rc = db_error(s, err, "upgrading the database to schema 5");
				sqlite3_reset(add);
				got += (long long)k;
				k = 0;
			}
		} while (more);
		sqlite3_reset(values);
		if (!rc && step != SQLITE_DONE)
			rc = db_error(s, err, "upgrading the database to schema 5");
		if (!rc && got != count)
			rc = obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
					   "a series has %lld values, %lld expected: the database is "
					   "damaged",
					   got, count);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(s, err, "upgrading the database to schema 5");
	sqlite3_finalize(series);
	sqlite3_finalize(values);
	sqlite3_finalize(add);
	if (!rc)
		rc = exec(s, "DROP TABLE sample; ALTER TABLE series DROP COLUMN first_sample;", err);
	return rc;
}

static int migrate(struct sqlite_store *s, struct obl_error *err)
{
	int target = obl_store_schema_version();
	long long version, tables;
	/* The common case, an up-to-date store, needs no lock; a migration takes the write lock
	 * and looks again, since another process may have migrated in between. */
	int rc = query_int(s, "PRAGMA user_version", &version, err);
	if (rc || version == target)
		return rc;
	if (version < 0) /* no obl ever wrote it: not a version to migrate from */
		return obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				     "schema version %lld is not one obl writes: the database is "
				     "damaged",
				     version);
	if (s->readonly && !(s->may_migrate && version > 0 && version < target)) {
		/* obl-stats, obl-compare and obl-report never write, except to upgrade the schema
		 * of a store they could write anyway (as obl-ingest would) */
		rc = query_int(s, "SELECT count(*) FROM sqlite_master", &tables, err);
		if (rc)
			return rc;
		/* user_version 0: no obl schema */
		return obl_store_version_error(s->path, "an SQLite database", version ? version : -1,
					       tables, target, err);
	}
	if (s->readonly && (rc = exec(s, "PRAGMA query_only = OFF", err)))
		return rc;
	rc = exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	rc = query_int(s, "PRAGMA user_version", &version, err);
	if (!rc)
		rc = query_int(s, "SELECT count(*) FROM sqlite_master", &tables, err);
	if (!rc && version == 0 && tables > 0)
		rc = obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				   "an SQLite database, but not obl's (it has tables and no obl "
				   "schema version)");
	if (!rc && version > target)
		rc = obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				   "schema version %lld is newer than this obl understands (%d): "
				   "use a newer obl",
				   version, target);
	for (long long v = version; !rc && v < target; v++) {
		struct obl_strbuf sql;
		obl_strbuf_init(&sql);
		for (const char *const *line = obl_migrations[v]; *line; line++)
			obl_strbuf_addstr(&sql, *line);
		rc = obl_strbuf_failed(&sql) ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL,
							     "out of memory")
					     : exec(s, sql.buf, err);
		obl_strbuf_release(&sql);
		if (!rc && v + 1 == 5)
			rc = migrate_blocks(s, err);
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld;", v + 1);
		if (!rc)
			rc = exec(s, pragma, err);
	}
	if (rc) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	rc = exec(s, "COMMIT", err);
	if (!rc && s->readonly)
		rc = exec(s, "PRAGMA query_only = ON", err);
	return rc;
}

/* Errors another process can cause while it creates or migrates the same store: worth a
 * retry. (Busy waits are also inside SQLite; these are the ones it returns at once, such as
 * the switch to WAL, which needs the only connection.) */
static int transient(int code)
{
	int primary = code & 0xff;
	return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
	       primary == SQLITE_PROTOCOL || primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

/* Whether a reader may open path as immutable: nobody can write the file (no write bit) and
 * there is no write-ahead log holding newer pages, so it cannot change while it is read. That
 * is what reads a 444 file in a read-only directory (a cache, a mounted artefact), where SQLite
 * could not create its -shm file. */
static int immutable_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0222))
		return 0;
	size_t n = strlen(path) + 5;
	char *wal = malloc(n);
	if (!wal)
		return 0;
	snprintf(wal, n, "%s-wal", path);
	int quiet = stat(wal, &st) != 0 || st.st_size == 0;
	free(wal);
	return quiet;
}

/* 1 if this process can write both the file and its directory (where SQLite keeps the -wal and
 * -shm files). */
static int writable_here(const char *path)
{
	if (access(path, R_OK | W_OK) != 0)
		return 0;
	const char *slash = strrchr(path, '/');
	if (!slash)
		return access(".", W_OK | X_OK) == 0;
	if (slash == path)
		return access("/", W_OK | X_OK) == 0;
	char *dir = strndup(path, (size_t)(slash - path));
	int ok = dir && access(dir, W_OK | X_OK) == 0;
	free(dir);
	return ok;
}

static char *side_name(const char *path, const char *suffix)
{
	size_t n = strlen(path) + strlen(suffix) + 1;
	char *name = malloc(n);
	if (name)
		snprintf(name, n, "%s%s", path, suffix);
	return name;
}

static int side_file_exists(const char *path, const char *suffix)
{
	char *name = side_name(path, suffix);
	struct stat st;
	int yes = !name || stat(name, &st) == 0;
	free(name);
	return yes;
}

/* After a read-only connection closes: SQLite leaves the -wal and -shm files it created
 * (only a writer can checkpoint and remove them), owned by this user, where the store's owner
 * may not be able to write them. Remove them when the WAL is empty and no other process uses
 * the -shm: SQLite's unix VFS holds a shared lock on its byte 128 while it has it open. */
static void tidy_side_files(const char *path)
{
	char *wal = side_name(path, "-wal"), *shm = side_name(path, "-shm");
	struct stat st;
	int fd = shm ? open(shm, O_RDWR) : -1;
	if (fd >= 0 && wal && (stat(wal, &st) != 0 || st.st_size == 0)) {
		struct flock lock = { 0 };
		lock.l_type = F_WRLCK;
		lock.l_whence = SEEK_SET;
		lock.l_start = 128;
		lock.l_len = 1;
		if (fcntl(fd, F_SETLK, &lock) == 0) {
			unlink(wal);
			unlink(shm);
		}
	}
	if (fd >= 0)
		close(fd);
	free(wal);
	free(shm);
}

/* The URI for path ("file:" with the path percent-encoded where URIs need it). An absolute
 * path gets an empty authority ("file://" then the path): a path that begins with "//", which
 * POSIX allows, would otherwise be read as "file://AUTHORITY/...". */
static char *uri_for(const char *path, const char *query)
{
	struct obl_strbuf u;
	obl_strbuf_init(&u);
	obl_strbuf_addstr(&u, path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p == 0x7F)
			obl_strbuf_addf(&u, "%%%02X", *p);
		else
			obl_strbuf_addch(&u, (char)*p);
	}
	obl_strbuf_addf(&u, "?%s", query);
	return obl_strbuf_failed(&u) ? (obl_strbuf_release(&u), NULL) : obl_strbuf_detach(&u, NULL);
}

/* The tables every obl store has; checked on open, from the schema alone (constant time). */
static int check_schema(struct sqlite_store *s, struct obl_error *err)
{
	long long n;
	int rc = query_int(s,
			   "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
			   "('run', 'run_tag', 'source', 'scenario', 'scenario_key', 'metric', "
			   "'trial', 'series', 'sample_block')",
			   &n, err);
	if (!rc && n != 9)
		rc = obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				   "not a whole obl database: %lld of its 9 tables are there", n);
	return rc;
}

/* One attempt: open, configure, migrate. On failure *code is SQLite's extended code. */
static int open_once(struct sqlite_store *s, const char *path, int create, int *code,
		     struct obl_error *err)
{
	*code = SQLITE_OK;
	/* One connection is only ever used by one thread: no per-call mutex. */
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	char *uri = NULL;
	if (s->readonly && writable_here(path)) {
		/* A store we could write: opened for writing but with query_only set, so that the
		 * last connection to close still checkpoints and removes the -wal and -shm files
		 * (a read-only connection cannot, and would leave them behind). */
		flags |= SQLITE_OPEN_READWRITE;
		uri = uri_for(path, "mode=rw");
		s->may_migrate = 1;
	} else if (s->readonly) {
		flags |= SQLITE_OPEN_READONLY;
		int immutable = immutable_file(path);
		s->tidy = !immutable && !side_file_exists(path, "-wal") &&
			  !side_file_exists(path, "-shm");
		uri = uri_for(path, immutable ? "immutable=1" : "mode=ro");
	} else {
		flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
		uri = uri_for(path, create ? "mode=rwc" : "mode=rw");
	}
	if (!uri)
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	int opened = sqlite3_open_v2(uri, &s->db, flags, NULL);
	free(uri);
	if (opened != SQLITE_OK) {
		*code = s->db ? sqlite3_extended_errcode(s->db) : SQLITE_NOMEM;
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "cannot open database: %s",
				     s->db ? sqlite3_errmsg(s->db) : "out of memory");
	}
	sqlite3_busy_handler(s->db, busy_wait, s); /* bounded: OBL_BUSY_TIMEOUT */
	long long ignored;
	int rc = query_int(s, "PRAGMA schema_version", &ignored, err);
	if (rc) {
		*code = sqlite3_extended_errcode(s->db);
		if ((*code & 0xff) == SQLITE_BUSY)
			return rc; /* the locked message, from db_error */
		obl_error_clear(err);
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     *code == SQLITE_NOTADB ? "not an SQLite database"
							    : "cannot read the database: %s",
				     sqlite3_errmsg(s->db));
	}
	if (s->readonly) {
		rc = exec(s, "PRAGMA query_only = ON; PRAGMA foreign_keys = ON; "
			     "PRAGMA cache_size = -65536; "
			     "PRAGMA mmap_size = 0; PRAGMA temp_store = MEMORY;",
			  err);
		if (!rc)
			rc = migrate(s, err); /* checks the version; never writes */
		if (!rc)
			rc = check_schema(s, err);
		if (rc)
			*code = sqlite3_extended_errcode(s->db);
		return rc;
	}
	/* A new database gets 64 KiB pages: samples are appended in bulk, and big pages cut the
	 * per-page cost of writing them (page_size only takes effect before the first table).
	 * WAL is persistent: switch only a store that is not in WAL mode yet. Statement journals
	 * stay in memory: on disk, each of the thousands of small statements of an ingest wrote a
	 * whole 64 KiB page to a temporary file (200 MB for 1000 Go benchmarks). The WAL is cut
	 * back to 64 MiB after each checkpoint, so one huge ingest does not keep its size. */
	rc = exec(s, "PRAGMA page_size = 65536; PRAGMA foreign_keys = ON; "
		     "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
		     "PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY; "
		     "PRAGMA journal_size_limit = 67108864;",
		  err);
	sqlite3_stmt *st = NULL;
	int wal = 0;
	if (!rc && sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		wal = !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	if (!rc && !wal)
		rc = exec(s, "PRAGMA journal_mode = WAL;", err);
	if (!rc)
		rc = migrate(s, err);
	if (!rc)
		rc = check_schema(s, err);
	if (rc)
		*code = sqlite3_extended_errcode(s->db);
	return rc;
}

static size_t check_values(struct sqlite_store *s, struct obl_strbuf *report, struct obl_error *err);

/* SQLite's integrity_check over every page, then what it cannot see: every series' values
 * against obl-schema(5) (check_values) and every reference between rows. */
static int sqlite_check(struct obl_store *base, struct obl_strbuf *report, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(100)", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "checking the database");
	int rc, ok = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line && !strcmp(line, "ok"))
			ok = 1;
		else if (line)
			obl_strbuf_addf(report, "%s\n", line);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
		return db_error(s, err, "checking the database");
	if (!ok || rc != SQLITE_DONE) {
		if (!report->len)
			obl_strbuf_addf(report, "%s\n", sqlite3_errmsg(s->db));
		return obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				     "the database is damaged (SQLite's integrity_check, above); "
				     "restore it from a backup, or ingest the result files again "
				     "into a new one");
	}
	size_t found = check_values(s, report, err);
	if (err->status)
		return err->status;
	if (found)
		return obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
				     "the database is damaged (%zu finding%s above); restore it "
				     "from a backup, or ingest the result files again into a new one",
				     found, found == 1 ? "" : "s");
	return OBL_OK;
}

int obl_sqlite_open(const char *path, int create, struct obl_store **out, struct obl_error *err)
{
	*out = NULL;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "is a directory, not a database");
	if (create != OBL_STORE_CREATE && stat(path, &st) != 0)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "cannot open database: %s",
				     strerror(errno));
	struct sqlite_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	}
	s->base.ops = &sqlite_ops;
	s->readonly = create == OBL_STORE_READ;
	s->created = create == OBL_STORE_CREATE && stat(path, &st) != 0 && errno == ENOENT;
	s->busy_limit = busy_limit();
	int rc = OBL_OK, code = SQLITE_OK;
	double deadline = now_seconds() + s->busy_limit;
	for (int attempt = 0;; attempt++) {
		obl_error_clear(err);
		rc = open_once(s, path, create == OBL_STORE_CREATE, &code, err);
		/* SQLITE_BUSY here comes after busy_wait gave up at the bound (the deadline has
		 * passed) or from a read SQLite does not wait for: retry within the bound */
		if (rc == OBL_OK || !transient(code) || attempt >= 100 ||
		    now_seconds() >= deadline)
			break;
		/* another process is creating or migrating this store: let it finish */
		sqlite3_close(s->db);
		s->db = NULL;
		struct timespec pause = { 0, (long)(5 + 5 * (attempt % 10)) * 1000000L };
		nanosleep(&pause, NULL);
	}
	if (rc) {
		sqlite_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return OBL_OK;
}

/* Removes the database this store created when it holds nothing (no run, no source) and no
 * other connection has it open: what a refused ingest into a new file leaves. Leaving WAL
 * mode needs every other connection closed (SQLite refuses it otherwise, without waiting
 * here) and removes the -wal and -shm files; the exclusive lock then taken keeps any other
 * process from reading or writing the file until it is unlinked, and the content is looked
 * at again under it. Anything unexpected keeps the file. */
static void sqlite_discard(struct obl_store *base)
{
	struct sqlite_store *s = sqlite_of(base);
	if (s->created && s->db && !s->readonly) {
		struct obl_error ignored;
		obl_error_clear(&ignored);
		long long used = 1;
		const char *count = "SELECT (SELECT count(*) FROM run) + (SELECT count(*) FROM source)";
		sqlite3_busy_handler(s->db, NULL, NULL);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); /* none, normally */
		if (!query_int(s, count, &used, &ignored) && used == 0 &&
		    sqlite3_exec(s->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) ==
			    SQLITE_OK &&
		    sqlite3_exec(s->db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK) {
			if (!query_int(s, count, &used, &ignored) && used == 0 &&
			    !side_file_exists(s->path, "-wal") && !side_file_exists(s->path, "-shm"))
				unlink(s->path);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		}
	}
	sqlite_close(base);
}

static void sqlite_close(struct obl_store *base)
{
	struct sqlite_store *s = sqlite_of(base);
	if (!s)
		return;
	writer_free(s->writer);
	sqlite3_finalize(s->has_source);
	sqlite3_close(s->db);
	if (s->tidy)
		tidy_side_files(s->path);
	free(s->path);
	free(s);
}

/* ---- Writing ---------------------------------------------------------------------- */

/* What obl_store_write uses: its statements, prepared at a store's first write and kept
 * (reset after each use) until it is closed, since a merge writes 10 000 files and preparing
 * some twenty statements for each was most of its cost; and what it remembers during one
 * write (cleared at the start of the next). */
struct writer {
	struct sqlite_store *s;
	struct obl_error *err;
	sqlite3_stmt *find_tag, *tag_source, *add_source_tag;
	sqlite3_stmt *find_run, *add_run, *add_tag, *find_source, *add_source, *find_scenario,
		*add_scenario, *add_scenario_key, *next_rep, *add_trial, *find_metric, *add_metric,
		*add_series, *add_block, *add_warning;
	sqlite3_stmt *savepoint, *release, *rollback_to; /* one write inside a caller's
							   * transaction (a merge) */
	struct obl_progress *progress;                   /* NULL, or where to post values written of total */
	size_t written, progress_total;
	unsigned char block[OBL_BLOCK_VALUES * 8]; /* a block in little-endian order, where the
						    * host's is not */
	struct metric_memo {                       /* metrics already found or added, by the batch's interned names */
		const char *metric, *unit;
		enum obl_metric_kind kind;
		long long id;
	} metrics[16];
	const struct obl_trial_data *last_trial; /* the last trial's scenario, and its id */
	long long last_scenario;
	struct rep_memo *reps; /* repetitions given in this transaction (see next_repetition) */
	size_t n_reps, reps_alloc;
	struct obl_hashmap reps_index; /* (scenario, metric) -> reps[] */
};

/* The last repetition this transaction gave a (scenario, metric): the database would say the
 * same, since only this transaction writes under the lock, but asking it is a join per series,
 * and a Google Benchmark file has 20 000 trials. Metric borrowed from the batch. */
struct rep_memo {
	long long scenario, rep;
	const char *metric;
};

static int prepare(struct writer *w, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(w->s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(w->s, w->err, "preparing a statement");
	return OBL_OK;
}

static void writer_free(struct writer *w)
{
	if (!w)
		return;
	sqlite3_stmt *all[] = { w->find_tag, w->tag_source, w->add_source_tag, w->find_run, w->add_run, w->add_tag,
				w->find_source, w->add_source, w->find_scenario,
				w->add_scenario, w->add_scenario_key, w->next_rep,
				w->add_trial, w->find_metric, w->add_metric,
				w->add_series, w->add_block,
				w->add_warning, w->savepoint, w->release, w->rollback_to };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		sqlite3_finalize(all[i]);
	free(w->reps);
	obl_hashmap_free(&w->reps_index);
	free(w);
}

/* The store's writer, prepared at its first write; what it remembered of the last write is
 * forgotten (the memos hold pointers into that write's batch). */
static int writer_for(struct sqlite_store *s, struct obl_error *err, struct writer **out)
{
	struct writer *w = s->writer;
	if (!w) {
		if (!(w = calloc(1, sizeof *w)))
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		w->s = s;
		w->err = err;
		int rc = writer_init(w);
		if (rc) {
			writer_free(w);
			return rc;
		}
		s->writer = w;
	}
	w->err = err;
	w->progress = NULL;
	w->written = w->progress_total = 0;
	memset(w->metrics, 0, sizeof w->metrics);
	w->last_trial = NULL;
	w->last_scenario = 0;
	w->n_reps = 0;
	obl_hashmap_free(&w->reps_index);
	*out = w;
	return OBL_OK;
}

struct rep_key {
	const struct writer *w;
	long long scenario;
	const char *metric;
};

static int same_rep_key(const void *ctx, size_t item)
{
	const struct rep_key *k = ctx;
	const struct rep_memo *m = &k->w->reps[item];
	return m->scenario == k->scenario && !strcmp(m->metric, k->metric);
}

static uint64_t rep_hash(long long scenario, const char *metric)
{
	return obl_hash_words((uint64_t)scenario, obl_hash_bytes(metric, strlen(metric)));
}

/* The memo of (scenario, metric), or NULL. */
static struct rep_memo *memo_find(const struct writer *w, long long scenario, const char *metric)
{
	const struct rep_key key = { w, scenario, metric };
	size_t at = obl_hashmap_get(&w->reps_index, rep_hash(scenario, metric), same_rep_key, &key);
	return at == OBL_HASHMAP_NONE ? NULL : &w->reps[at];
}

/* Records rep for (scenario, metric); 0 when out of memory. */
static int memo_put(struct writer *w, long long scenario, const char *metric, long long rep)
{
	if (w->n_reps == w->reps_alloc) {
		size_t alloc = w->reps_alloc ? 2 * w->reps_alloc : 256;
		struct rep_memo *p = realloc(w->reps, alloc * sizeof *p);
		if (!p)
			return 0;
		w->reps = p;
		w->reps_alloc = alloc;
	}
	const struct rep_key key = { w, scenario, metric };
	size_t at = obl_hashmap_put(&w->reps_index, rep_hash(scenario, metric), w->n_reps,
				    same_rep_key, &key);
	if (at == OBL_HASHMAP_NONE)
		return 0;
	w->n_reps += at == w->n_reps;
	w->reps[at] = (struct rep_memo){ scenario, rep, metric };
	return 1;
}

static int writer_init(struct writer *w)
{
	int rc = prepare(w, &w->find_run, "SELECT id FROM run WHERE label = ?1");
	if (!rc)
		rc = prepare(w, &w->add_run,
			     "INSERT INTO run(label, created) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
	if (!rc)
		rc = prepare(w, &w->add_tag,
			     "INSERT INTO run_tag(run_id, key, value) VALUES (?1, ?2, ?3)");
	if (!rc)
		rc = prepare(w, &w->find_tag,
			     "SELECT value FROM run_tag WHERE run_id = ?1 AND key = ?2");
	if (!rc)
		rc = prepare(w, &w->tag_source,
			     "SELECT s.path FROM source_tag st JOIN source s ON s.id = st.source_id "
			     "WHERE s.run_id = ?1 AND st.key = ?2 AND st.value = ?3 ORDER BY s.id");
	if (!rc)
		rc = prepare(w, &w->add_source_tag,
			     "INSERT OR REPLACE INTO source_tag(source_id, key, value) "
			     "VALUES (?1, ?2, ?3)");
	if (!rc)
		rc = prepare(w, &w->find_source, "SELECT src.path, run.label FROM source src JOIN run ON run.id = src.run_id "
						 "WHERE src.sha256 = ?1");
	if (!rc)
		rc = prepare(w, &w->add_source,
			     "INSERT INTO source(path, sha256, format, size, ingested, run_id) "
			     "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?5)");
	if (!rc)
		rc = prepare(w, &w->find_scenario, "SELECT id FROM scenario WHERE canonical = ?1");
	if (!rc)
		rc = prepare(w, &w->add_scenario, "INSERT INTO scenario(canonical) VALUES (?1)");
	if (!rc)
		rc = prepare(w, &w->add_scenario_key,
			     "INSERT INTO scenario_key(scenario_id, key, value) VALUES (?1, ?2, ?3)");
	if (!rc)
		rc = prepare(w, &w->next_rep,
			     "SELECT coalesce(max(t.repetition), 0) + 1 FROM trial t "
			     "JOIN series se ON se.trial_id = t.id JOIN metric m ON m.id = se.metric_id "
			     "WHERE t.run_id = ?1 AND t.scenario_id = ?2 AND m.name = ?3");
	if (!rc)
		rc = prepare(w, &w->add_trial,
			     "INSERT INTO trial(run_id, scenario_id, source_id, repetition) "
			     "VALUES (?1, ?2, ?3, ?4)");
	if (!rc)
		rc = prepare(w, &w->find_metric,
			     "SELECT id, unit, kind FROM metric WHERE name = ?1");
	if (!rc)
		rc = prepare(w, &w->add_metric,
			     "INSERT INTO metric(name, unit, direction, kind) VALUES (?1, ?2, ?3, ?4)");
	if (!rc)
		rc = prepare(w, &w->add_series,
			     "INSERT INTO series(trial_id, metric_id, count, successes, trials) "
			     "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!rc)
		rc = prepare(w, &w->add_block,
			     "INSERT INTO sample_block(series_id, start, data) VALUES (?1, ?2, ?3)");
	if (!rc)
		rc = prepare(w, &w->add_warning,
			     "INSERT INTO source_warning(source_id, message) VALUES (?1, ?2)");
	if (!rc)
		rc = prepare(w, &w->savepoint, "SAVEPOINT obl_write");
	if (!rc)
		rc = prepare(w, &w->release, "RELEASE obl_write");
	if (!rc)
		rc = prepare(w, &w->rollback_to, "ROLLBACK TO obl_write");
	return rc;
}

/* Steps a statement that returns nothing; resets it. */
static int run_step(struct writer *w, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(w->s, w->err, what);
	return OBL_OK;
}

/* Steps a one-value query; *found = 0 if no row. */
static int lookup_id(struct writer *w, sqlite3_stmt *st, long long *id, int *found)
{
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(w->s, w->err, "reading the database");
	return OBL_OK;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* The id of run `label`, made if new (*created = 1: nothing is stored under it but what this
 * write stores, so the repetitions of its trials need not be asked of the database). */
static int run_id_for(struct writer *w, const char *label, long long *id, int *created)
{
	int found;
	bind_text(w->find_run, 1, label);
	int rc = lookup_id(w, w->find_run, id, &found);
	*created = !rc && !found;
	if (rc || found)
		return rc;
	bind_text(w->add_run, 1, label);
	rc = run_step(w, w->add_run, "adding the run");
	*id = sqlite3_last_insert_rowid(w->s->db);
	return rc;
}

/* The id of the trial's scenario, made if new (*created = 1: nothing can be stored under it
 * yet, so its next repetition is 1 without asking). */
static int scenario_lookup(struct writer *w, const struct obl_trial_data *t, long long *id,
			   int *created);

static int scenario_id_for(struct writer *w, const struct obl_trial_data *t, long long *id,
			   int *created)
{
	/* Repetitions come one after another with the same (interned) keys and values. */
	const struct obl_trial_data *last = w->last_trial;
	if (last && last->scenario_len == t->scenario_len &&
	    (!t->scenario_len ||
	     !memcmp(last->scenario, t->scenario, t->scenario_len * sizeof *t->scenario))) {
		*id = w->last_scenario;
		*created = 0;
		return OBL_OK;
	}
	int rc = scenario_lookup(w, t, id, created);
	if (!rc) {
		w->last_trial = t;
		w->last_scenario = *id;
	}
	return rc;
}

static int scenario_lookup(struct writer *w, const struct obl_trial_data *t, long long *id,
			   int *created)
{
	char *canonical = obl_scenario_canonical(t->scenario, t->scenario_len);
	if (!canonical)
		return obl_error_set(w->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	int found;
	bind_text(w->find_scenario, 1, canonical);
	int rc = lookup_id(w, w->find_scenario, id, &found);
	*created = !rc && !found;
	if (!rc && !found) {
		bind_text(w->add_scenario, 1, canonical);
		rc = run_step(w, w->add_scenario, "adding a scenario");
		*id = sqlite3_last_insert_rowid(w->s->db);
		for (size_t i = 0; !rc && i < t->scenario_len; i++) {
			sqlite3_bind_int64(w->add_scenario_key, 1, *id);
			bind_text(w->add_scenario_key, 2, t->scenario[i].key);
			bind_text(w->add_scenario_key, 3, t->scenario[i].value);
			rc = run_step(w, w->add_scenario_key, "adding a scenario key");
		}
	}
	free(canonical);
	return rc;
}

static int metric_lookup(struct writer *w, const struct obl_series *se, const char *path,
			 long long *id);

/* The id of a series' metric, checked against what the database says of its unit and kind.
 * The answer is remembered by the batch's (interned) metric and unit: a file of 40 000
 * series names a handful of metrics. */
static int metric_id_for(struct writer *w, const struct obl_series *se, const char *path,
			 long long *id)
{
	struct metric_memo *m = &w->metrics[obl_intern_hash(se->metric, se->unit) & 15];
	if (m->metric == se->metric && m->unit == se->unit && m->kind == se->kind) {
		*id = m->id;
		return OBL_OK;
	}
	int rc = metric_lookup(w, se, path, id);
	if (!rc)
		*m = (struct metric_memo){ se->metric, se->unit, se->kind, *id };
	return rc;
}

static int metric_lookup(struct writer *w, const struct obl_series *se, const char *path,
			 long long *id)
{
	bind_text(w->find_metric, 1, se->metric);
	int rc = sqlite3_step(w->find_metric);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(w->find_metric, 0);
		const char *unit = (const char *)sqlite3_column_text(w->find_metric, 1);
		const char *kind = (const char *)sqlite3_column_text(w->find_metric, 2);
		int same_unit = unit && !strcmp(unit, se->unit);
		int same_kind = kind && !strcmp(kind, obl_kind_names[se->kind]);
		char stored_unit[64];
		snprintf(stored_unit, sizeof stored_unit, "%s", unit ? unit : "");
		sqlite3_reset(w->find_metric);
		if (!same_unit)
			return obl_error_set(w->err, OBL_EINPUT, path, 0, se->metric,
					     "the database holds this metric in '%s', this file in "
					     "'%s'",
					     stored_unit, se->unit);
		if (!same_kind)
			return obl_error_set(w->err, OBL_EINPUT, path, 0, se->metric,
					     "the database holds this metric as another kind of "
					     "value than this file (%s)",
					     obl_kind_names[se->kind]);
		return OBL_OK;
	}
	sqlite3_reset(w->find_metric);
	if (rc != SQLITE_DONE)
		return db_error(w->s, w->err, "reading metrics");
	bind_text(w->add_metric, 1, se->metric);
	bind_text(w->add_metric, 2, se->unit);
	bind_text(w->add_metric, 3, obl_direction_names[se->direction]);
	bind_text(w->add_metric, 4, obl_kind_names[se->kind]);
	rc = run_step(w, w->add_metric, "adding a metric");
	*id = sqlite3_last_insert_rowid(w->s->db);
	return rc;
}

/* The values of series `series`, one block of OBL_BLOCK_VALUES per insert (obl-schema(5)). */
static int add_values(struct writer *w, long long series, const struct obl_values *v)
{
	for (size_t start = 0; start < v->n; start += OBL_BLOCK_VALUES) {
		size_t k = v->n - start < OBL_BLOCK_VALUES ? v->n - start : OBL_BLOCK_VALUES;
		sqlite3_bind_int64(w->add_block, 1, series);
		sqlite3_bind_int64(w->add_block, 2, (sqlite3_int64)start);
		sqlite3_bind_blob(w->add_block, 3, obl_blob_pack(v->v + start, k, w->block),
				  (int)(k * 8), SQLITE_STATIC);
		int rc = run_step(w, w->add_block, "adding values");
		if (rc)
			return rc;
		w->written += k;
		if (w->progress && !(start & 0x3FFFF))
			obl_progress_count(w->progress, w->written, w->progress_total);
	}
	return OBL_OK;
}

/*
 * The text policy of the store: labels, tags, scenario keys and values, metric names and
 * units must be valid UTF-8 without control characters (tab and newline are allowed in tag
 * values, e.g. a benchmark's command line). Text that breaks it is refused, naming the field, rather
 * than stored escaped: what is stored is always exactly what the user or the file said.
 */
static int check_text(struct writer *w, const char *path, const char *what, const char *s,
		      int tag_value)
{
	size_t at;
	uint32_t c;
	switch (obl_utf8_check(s, strlen(s), tag_value, &at, &c)) {
	case 1:
		return obl_error_set(w->err, OBL_EINPUT, path, 0, what,
				     "not valid UTF-8 (byte %zu, 0x%02X): obl stores text as UTF-8 "
				     "only",
				     at + 1, (unsigned)c);
	case 2:
		return obl_error_set(w->err, OBL_EINPUT, path, 0, what,
				     "contains a control character (0x%02X at byte %zu)",
				     (unsigned)c, at + 1);
	}
	return OBL_OK;
}

static int check_batch_text(struct writer *w, const struct obl_source_info *src,
			    const struct obl_batch *batch)
{
	int rc = check_text(w, src->path, "run label", src->label, 0);
	for (size_t i = 0; !rc && i < batch->n_tags; i++) {
		rc = check_text(w, src->path, "tag", batch->tags[i].key, 0);
		if (!rc)
			rc = check_text(w, src->path, batch->tags[i].key, batch->tags[i].value, 1);
	}
	for (size_t t = 0; !rc && t < batch->n_trials; t++) {
		const struct obl_trial_data *trial = &batch->trials[t];
		for (size_t k = 0; !rc && k < trial->scenario_len; k++) {
			rc = check_text(w, src->path, "scenario key", trial->scenario[k].key, 0);
			if (!rc)
				rc = check_text(w, src->path, trial->scenario[k].key,
						trial->scenario[k].value, 0);
		}
		for (size_t k = 0; !rc && k < trial->n_series; k++) {
			rc = check_text(w, src->path, "metric", trial->series[k].metric, 0);
			if (!rc && trial->series[k].unit)
				rc = check_text(w, src->path, "unit", trial->series[k].unit, 0);
		}
	}
	return rc;
}

/* A file's tag: kept for the file (source_tag); run configuration is also the run's, and a
 * file that disagrees with the run's earlier files is refused, naming one of them. */
static int write_tag(struct writer *w, const struct obl_source_info *src, long long run,
		     long long source, const struct obl_kv *tag)
{
	sqlite3_bind_int64(w->add_source_tag, 1, source);
	bind_text(w->add_source_tag, 2, tag->key);
	bind_text(w->add_source_tag, 3, tag->value);
	int rc = run_step(w, w->add_source_tag, "adding a tag");
	if (rc || obl_store_tag_is_provenance(tag->key))
		return rc;
	sqlite3_bind_int64(w->find_tag, 1, run);
	bind_text(w->find_tag, 2, tag->key);
	int step = sqlite3_step(w->find_tag);
	if (step == SQLITE_DONE) {
		sqlite3_reset(w->find_tag);
		sqlite3_bind_int64(w->add_tag, 1, run);
		bind_text(w->add_tag, 2, tag->key);
		bind_text(w->add_tag, 3, tag->value);
		return run_step(w, w->add_tag, "adding a tag");
	}
	if (step != SQLITE_ROW) {
		sqlite3_reset(w->find_tag);
		return db_error(w->s, w->err, "reading tags");
	}
	const char *have = (const char *)sqlite3_column_text(w->find_tag, 0);
	if (!strcmp(have, tag->value)) {
		sqlite3_reset(w->find_tag);
		return OBL_OK;
	}
	sqlite3_bind_int64(w->tag_source, 1, run);
	bind_text(w->tag_source, 2, tag->key);
	bind_text(w->tag_source, 3, have);
	const char *other = sqlite3_step(w->tag_source) == SQLITE_ROW
				    ? (const char *)sqlite3_column_text(w->tag_source, 0)
				    : NULL;
	obl_error_set(w->err, OBL_EINPUT, src->path, 0, tag->key,
		      "run configuration differs: '%s' here, '%s' in %s already stored in run "
		      "'%s'; the files of one run must agree (store this file as another run "
		      "with -r LABEL)",
		      tag->value, have, other ? other : "the files", src->label);
	sqlite3_reset(w->tag_source);
	sqlite3_reset(w->find_tag);
	return OBL_EINPUT;
}

static int write_batch(struct writer *w, const struct obl_source_info *src,
		       const struct obl_batch *batch, struct obl_ingest_result *result)
{
	long long run, source;
	int new_run = 0;
	if ((w->progress = src->progress)) {
		w->progress_total = 0;
		for (size_t t = 0; t < batch->n_trials; t++)
			for (size_t k = 0; k < batch->trials[t].n_series; k++)
				w->progress_total += batch->trials[t].series[k].values.n;
	}
	int rc = check_batch_text(w, src, batch);
	if (!rc)
		rc = run_id_for(w, src->label, &run, &new_run);
	if (rc)
		return rc;
	bind_text(w->add_source, 1, src->path);
	bind_text(w->add_source, 2, src->sha256);
	bind_text(w->add_source, 3, src->format);
	sqlite3_bind_int64(w->add_source, 4, (sqlite3_int64)src->size);
	sqlite3_bind_int64(w->add_source, 5, run);
	if ((rc = run_step(w, w->add_source, "recording the source")))
		return rc;
	source = sqlite3_last_insert_rowid(w->s->db);
	for (size_t i = 0; !rc && i < batch->n_tags; i++)
		rc = write_tag(w, src, run, source, &batch->tags[i]);
	if (rc)
		return rc;

	for (size_t i = 0; !rc && i < batch->n_warnings; i++) {
		sqlite3_bind_int64(w->add_warning, 1, source);
		bind_text(w->add_warning, 2, batch->warnings[i]);
		rc = run_step(w, w->add_warning, "recording a warning");
	}
	if (rc)
		return rc;
	for (size_t t = 0; t < batch->n_trials; t++) {
		const struct obl_trial_data *trial = &batch->trials[t];
		long long scenario, rep, trial_id;
		int found, created;
		if ((rc = scenario_id_for(w, trial, &scenario, &created)))
			return rc;
		/* The next repetition of whichever of its metrics has the most already. */
		rep = 1;
		for (size_t k = 0; !created && k < trial->n_series; k++) {
			long long r;
			const char *metric = trial->series[k].metric;
			const struct rep_memo *m = memo_find(w, scenario, metric);
			if (m) {
				r = m->rep + 1;
				found = 1;
			} else if (new_run) {
				found = 0;
			} else {
				sqlite3_bind_int64(w->next_rep, 1, run);
				sqlite3_bind_int64(w->next_rep, 2, scenario);
				bind_text(w->next_rep, 3, metric);
				if ((rc = lookup_id(w, w->next_rep, &r, &found)))
					return rc;
			}
			if (found && r > rep)
				rep = r;
		}
		for (size_t k = 0; k < trial->n_series; k++)
			if (!memo_put(w, scenario, trial->series[k].metric, rep))
				return obl_error_set(w->err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		sqlite3_bind_int64(w->add_trial, 1, run);
		sqlite3_bind_int64(w->add_trial, 2, scenario);
		sqlite3_bind_int64(w->add_trial, 3, source);
		sqlite3_bind_int64(w->add_trial, 4, rep);
		if ((rc = run_step(w, w->add_trial, "adding a trial")))
			return rc;
		trial_id = sqlite3_last_insert_rowid(w->s->db);
		result->trials++;
		for (size_t k = 0; k < trial->n_series; k++) {
			const struct obl_series *se = &trial->series[k];
			long long metric = 0;
			if ((rc = metric_id_for(w, se, src->path, &metric)))
				return rc;
			sqlite3_bind_int64(w->add_series, 1, trial_id);
			sqlite3_bind_int64(w->add_series, 2, metric);
			sqlite3_bind_int64(w->add_series, 3, (sqlite3_int64)se->values.n);
			if (isnan(se->successes)) {
				sqlite3_bind_null(w->add_series, 4);
				sqlite3_bind_null(w->add_series, 5);
			} else {
				sqlite3_bind_double(w->add_series, 4, se->successes);
				sqlite3_bind_double(w->add_series, 5, se->trials);
			}
			rc = sqlite3_step(w->add_series);
			sqlite3_reset(w->add_series);
			if (rc == SQLITE_CONSTRAINT)
				return obl_error_set(w->err, OBL_EINPUT, src->path, 0, se->metric,
						     "the metric appears twice in one trial");
			if (rc != SQLITE_DONE)
				return db_error(w->s, w->err, "adding a series");
			if ((rc = add_values(w, sqlite3_last_insert_rowid(w->s->db), &se->values)))
				return rc;
			result->series++;
			result->values += se->values.n;
		}
	}
	return OBL_OK;
}

/*
 * Foreign keys are not checked while the writer writes: every id it stores it has just read or
 * made in the same transaction, so the checks (a search of the parent table for every trial,
 * series and block: a quarter of a merge's inserts) could only catch a bug in the writer.
 * They are on again for the rest (the cascades of obl-runs --remove). The pragma is a no-op
 * inside a transaction: set before BEGIN, reset after its end.
 */
static void check_foreign_keys(struct sqlite_store *s, int on)
{
	sqlite3_exec(s->db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", NULL,
		     NULL, NULL);
}

/* Undoes the write begun by sqlite_write: the savepoint inside a caller's transaction, else
 * the transaction (errors ignored: the one to tell came before). */
static void undo_write(struct writer *w, int nested)
{
	if (nested) {
		sqlite3_step(w->rollback_to);
		sqlite3_reset(w->rollback_to);
		sqlite3_step(w->release);
		sqlite3_reset(w->release);
	} else {
		sqlite3_exec(w->s->db, "ROLLBACK", NULL, NULL, NULL);
		check_foreign_keys(w->s, 1);
	}
}

static int sqlite_write(struct obl_store *base, const struct obl_source_info *src,
			const struct obl_batch *batch, struct obl_ingest_result *result,
			struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	memset(result, 0, sizeof *result);
	struct writer *w = NULL;
	/* inside a caller's transaction (a merge of a whole database), a savepoint: the file
	 * still lands whole or not at all, and the caller commits once */
	int nested = !sqlite3_get_autocommit(s->db);
	int rc = writer_for(s, err, &w);
	if (!rc && !nested)
		check_foreign_keys(s, 0);
	if (!rc)
		rc = nested ? run_step(w, w->savepoint, "writing") : exec(s, "BEGIN IMMEDIATE", err);
	if (rc && !nested)
		check_foreign_keys(s, 1);
	if (rc)
		return rc;
	{
		bind_text(w->find_source, 1, src->sha256);
		int step = sqlite3_step(w->find_source);
		if (step == SQLITE_ROW) {
			result->duplicate = 1;
			result->duplicate_of =
				strdup((const char *)sqlite3_column_text(w->find_source, 0));
			result->duplicate_run =
				strdup((const char *)sqlite3_column_text(w->find_source, 1));
			if (!result->duplicate_of || !result->duplicate_run)
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		} else if (step != SQLITE_DONE) {
			rc = db_error(s, err, "reading sources");
		}
		sqlite3_reset(w->find_source);
	}
	if (!rc && !result->duplicate)
		rc = write_batch(w, src, batch, result);
	if (rc || result->duplicate) {
		undo_write(w, nested);
		/* After a failed write (a full disk, most of all) the WAL holds the rolled-back
		 * pages at its high-water mark: truncate it, or the next small ingest fails too.
		 * (Inside a caller's transaction the caller rolls back and truncates.) */
		if (rc && !nested)
			sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
						  NULL);
		if (rc) {
			size_t keep_dup = result->duplicate;
			obl_ingest_result_release(result);
			memset(result, 0, sizeof *result);
			result->duplicate = (int)keep_dup;
		}
		return rc;
	}
	obl_progress_phase(src->progress, "committing");
	rc = nested ? run_step(w, w->release, "writing") : exec(s, "COMMIT", err);
	if (!rc && !nested)
		check_foreign_keys(s, 1);
	if (rc) {
		undo_write(w, nested);
		if (!nested)
			sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
						  NULL);
	}
	return rc;
}

/* ---- Reading ---------------------------------------------------------------------- */

static const char *column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

static char *dup_column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return strdup(t ? (const char *)t : "");
}

/* The keys of scenario `id` into g, through `st` (SELECT key, value ... WHERE scenario_id = ?1,
 * prepared once by the caller: a statement per group was most of the cost of a comparison of
 * thousands of benchmarks). */
static int load_scenario(struct sqlite_store *s, sqlite3_stmt *st, long long id,
			 struct obl_strbuf *keys, size_t *n, struct obl_error *err)
{
	sqlite3_bind_int64(st, 1, id);
	obl_strbuf_reset(keys);
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) { /* "key\0value\0" */
			const unsigned char *t = sqlite3_column_text(st, c);
			obl_strbuf_add(keys, t ? (const char *)t : "", t ? strlen((const char *)t) + 1 : 1);
		}
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "reading scenarios");
	if (obl_strbuf_failed(keys))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

/* The keys and values load_scenario put in keys[], as pairs (kv has room for n). */
static void scenario_pairs(const struct obl_strbuf *keys, size_t n, struct obl_kv *kv)
{
	const char *p = keys->buf;
	for (size_t i = 0; i < n; i++) {
		kv[i].key = p;
		p += strlen(p) + 1;
		kv[i].value = p;
		p += strlen(p) + 1;
	}
}

/* A series whose values are still to be read: cnt values of series `id`, for trial `trial` of
 * group `group` (indices: the arrays still grow while series are listed; v is resolved once
 * every group is listed, and stays put: a group's per_trial array never moves after that). */
/* The most values the database can hold (its size / 8): a series' count beyond it, or a
 * negative one, can only be damage, and must not size an allocation. */
static long long obl_sqlite_values_bound(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long pages = -1, size = -1;
	if (sqlite3_prepare_v2(db, "SELECT page_count, page_size FROM pragma_page_count, "
				   "pragma_page_size",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		pages = sqlite3_column_int64(st, 0);
		size = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (pages < 0 || size <= 0 || pages > (LLONG_MAX / 8) / size)
		return (long long)((SIZE_MAX / 8 < (size_t)LLONG_MAX ? SIZE_MAX / 8 : (size_t)LLONG_MAX) / 2);
	return pages * size / 8;
}

static int damaged_count(struct sqlite_store *s, long long cnt, struct obl_error *err)
{
	return obl_error_set(err, OBL_EINPUT, s->path, 0, NULL,
			     "a series claims %lld values, which the file cannot hold: the "
			     "database is damaged",
			     cnt);
}

/* Whether the values read for a series, n of its count, fall short: then what says so. */
static int short_series(size_t n, long long count, char *what, size_t size)
{
	if ((long long)n == count)
		return 0;
	snprintf(what, size, "its blocks hold %zu values, its count says %lld", n, count);
	return -1;
}

struct pending {
	size_t group, trial;
	struct obl_values *v;
	long long id, cnt;
};

static int by_id(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int by_slot(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct pending *)a)->v;
	uintptr_t y = (uintptr_t)((const struct pending *)b)->v;
	return (x > y) - (x < y);
}

/* The matching groups without their values (sorted as obl_groups_sort orders them), and the
 * series still to read into them. */
struct listing {
	struct obl_group_sorted *groups;
	size_t count;
	struct pending *pending;
	size_t n_pending;
};

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->count; i++)
		obl_group_release(&l->groups[i].g);
	free(l->groups);
	free(l->pending);
	memset(l, 0, sizeof *l);
}

static int list_groups(struct sqlite_store *s, const struct obl_store_filter *filter,
		       struct listing *l, struct obl_error *err)
{
	memset(l, 0, sizeof *l);
	const long long bound = obl_sqlite_values_bound(s->db);
	sqlite3_stmt *st = NULL, *keys = NULL;
	/* With a run given, "r.label = ?1" alone lets SQLite go from the run's label to its
	 * trials by index; "(?1 IS NULL OR ...)" made it scan every series of every run, which
	 * made reading a history of many runs one run at a time quadratic. */
	const char *sql =
		filter && filter->run
			? "SELECT r.id, r.label, sc.id, sc.canonical, m.name, m.unit, m.direction, "
			  "m.kind, se.id, se.count, se.successes, se.trials, "
			  "(SELECT format FROM source WHERE id = t.source_id) "
			  "FROM series se JOIN trial t ON t.id = se.trial_id JOIN run r ON r.id = "
			  "t.run_id JOIN scenario sc ON sc.id = t.scenario_id JOIN metric m ON m.id = "
			  "se.metric_id WHERE r.label = ?1 AND (?2 IS NULL OR m.name = ?2) "
			  "ORDER BY r.id, sc.id, m.id, t.repetition, t.id"
			: "SELECT r.id, r.label, sc.id, sc.canonical, m.name, m.unit, m.direction, "
			  "m.kind, se.id, se.count, se.successes, se.trials, "
			  "(SELECT format FROM source WHERE id = t.source_id) "
			  "FROM series se JOIN trial t ON t.id = se.trial_id JOIN run r ON r.id = "
			  "t.run_id JOIN scenario sc ON sc.id = t.scenario_id JOIN metric m ON m.id = "
			  "se.metric_id WHERE (?2 IS NULL OR m.name = ?2) "
			  "ORDER BY r.id, sc.id, m.id, t.repetition, t.id";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "SELECT key, value FROM scenario_key WHERE scenario_id = ?1 ORDER BY key",
			       -1, &keys, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_error(s, err, "reading the database");
	}
	if (filter && filter->run)
		sqlite3_bind_text(st, 1, filter->run, -1, SQLITE_TRANSIENT);
	if (filter && filter->metric)
		sqlite3_bind_text(st, 2, filter->metric, -1, SQLITE_TRANSIENT);
	struct obl_group_sorted *groups = NULL;
	size_t count = 0, alloc = 0;
	struct pending *pending = NULL;
	size_t n_pending = 0, pending_alloc = 0;
	long long last_run = -1, last_scenario = -1;
	const char *last_metric = NULL;
	struct obl_strbuf keybuf; /* a scenario's keys and values as they are read */
	obl_strbuf_init(&keybuf);
	int rc = OBL_OK, step;
	while (rc == OBL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		long long run_id = sqlite3_column_int64(st, 0), scenario_id = sqlite3_column_int64(st, 2);
		const char *metric = (const char *)sqlite3_column_text(st, 4);
		struct obl_group *g;
		if (run_id != last_run || scenario_id != last_scenario || !last_metric ||
		    strcmp(metric, last_metric)) {
			if (count == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				struct obl_group_sorted *p = realloc(groups, alloc * sizeof *p);
				if (!p) {
					rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
					break;
				}
				groups = p;
			}
			memset(&groups[count], 0, sizeof groups[count]);
			groups[count].run_id = run_id;
			g = &groups[count++].g;
			size_t n_keys;
			rc = load_scenario(s, keys, scenario_id, &keybuf, &n_keys, err);
			struct obl_kv *kv = rc ? NULL : malloc((n_keys ? n_keys : 1) * sizeof *kv);
			if (!rc && !kv)
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			if (!rc) {
				scenario_pairs(&keybuf, n_keys, kv);
				if (obl_group_set_text(g, column(st, 1), column(st, 3), metric, column(st, 5),
						       kv, n_keys))
					rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL,
							   "out of memory");
			}
			free(kv);
			if (rc)
				break;
			g->direction =
				obl_direction_from_name((const char *)sqlite3_column_text(st, 6));
			const char *kind = (const char *)sqlite3_column_text(st, 7);
			g->kind = !strcmp(kind, "sample")      ? OBL_KIND_SAMPLE
				  : !strcmp(kind, "aggregate") ? OBL_KIND_AGGREGATE
							       : OBL_KIND_PROPORTION;
			g->values_are_runs =
				obl_format_values_are_runs((const char *)sqlite3_column_text(st, 12));
			last_run = run_id;
			last_scenario = scenario_id;
			last_metric = g->metric;
		}
		g = &groups[count - 1].g;
		size_t t = g->trials;
		struct obl_values *pv = realloc(g->per_trial, (t + 1) * sizeof *pv);
		double *ps = pv ? realloc(g->successes, (t + 1) * sizeof *ps) : NULL;
		if (pv)
			g->per_trial = pv;
		if (ps)
			g->successes = ps;
		double *pt = ps ? realloc(g->totals, (t + 1) * sizeof *pt) : NULL;
		if (!pt) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		g->totals = pt;
		memset(&g->per_trial[t], 0, sizeof g->per_trial[t]);
		g->successes[t] = sqlite3_column_type(st, 10) == SQLITE_NULL ? NAN
									     : sqlite3_column_double(st, 10);
		g->totals[t] = sqlite3_column_type(st, 11) == SQLITE_NULL ? NAN
									  : sqlite3_column_double(st, 11);
		g->trials++;
		long long id = sqlite3_column_int64(st, 8), cnt = sqlite3_column_int64(st, 9);
		if (cnt < 0 || cnt > bound) {
			rc = damaged_count(s, cnt, err);
			break;
		}
		{ /* its values are read later, group by group (a series of none too: it must
		   * have no blocks) */
			if (n_pending == pending_alloc) {
				pending_alloc = pending_alloc ? 2 * pending_alloc : 64;
				struct pending *pp = realloc(pending, pending_alloc * sizeof *pp);
				if (!pp) {
					rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
					break;
				}
				pending = pp;
			}
			pending[n_pending++] = (struct pending){ count - 1, t, NULL, id, cnt };
		}
	}
	if (rc == OBL_OK && step != SQLITE_DONE)
		rc = db_error(s, err, "reading the database");
	obl_strbuf_release(&keybuf);
	sqlite3_finalize(st);
	sqlite3_finalize(keys);
	/* filter on scenario keys (dropping the series of the groups left out), then order
	 * naturally */
	size_t kept = 0, kept_pending = 0;
	for (size_t i = 0; i < n_pending; i++) {
		struct pending *p = &pending[i];
		if (rc == OBL_OK && (!filter || obl_store_filter_matches(&groups[p->group].g, filter))) {
			p->v = &groups[p->group].g.per_trial[p->trial];
			pending[kept_pending++] = *p;
		}
	}
	for (size_t i = 0; i < count; i++) {
		if (rc == OBL_OK && (!filter || obl_store_filter_matches(&groups[i].g, filter)))
			groups[kept++] = groups[i];
		else
			obl_group_release(&groups[i].g);
	}
	if (rc) {
		free(groups);
		free(pending);
		return rc;
	}
	obl_groups_sort(groups, kept);
	l->groups = groups;
	l->count = kept;
	l->pending = pending;
	l->n_pending = kept_pending;
	return OBL_OK;
}

/* Reads the values of the series p[0..n) into their slots: one range query per stretch of
 * consecutive series ids (a whole run, usually, when every group is read at once), not one
 * per series: the per-statement overhead was most of the time of a comparison of thousands
 * of benchmarks. st: SELECT series_id, start, data FROM sample_block WHERE series_id BETWEEN
 * ?1 AND ?2 ORDER BY series_id, start. With one_array, the values go one series after another into it
 * (room for all), else into an array per series. */
static int load_values(struct sqlite_store *s, sqlite3_stmt *st, struct pending *p, size_t n,
		       double *one_array, struct obl_error *err)
{
	int rc = OBL_OK;
	for (size_t i = 0, at = 0; i < n; i++) {
		struct obl_values *v = p[i].v;
		if (one_array)
			v->v = one_array + at;
		else if (!(v->v = malloc((p[i].cnt ? (size_t)p[i].cnt : 1) * sizeof *v->v)))
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		v->n = 0;
		v->alloc = (size_t)p[i].cnt;
		at += (size_t)p[i].cnt;
	}
	for (size_t i = 0; rc == OBL_OK && i < n;) {
		size_t j = i + 1;
		while (j < n && p[j].id == p[j - 1].id + 1)
			j++;
		sqlite3_bind_int64(st, 1, p[i].id);
		sqlite3_bind_int64(st, 2, p[j - 1].id);
		size_t k = i;
		int step, bad = 0;
		char what[160];
		while (!bad && (step = sqlite3_step(st)) == SQLITE_ROW) {
			long long id = sqlite3_column_int64(st, 0);
			while (k < j && p[k].id < id)
				k++;
			if (k == j || p[k].id != id)
				continue; /* no such series: the checks below say so */
			bad = obl_block_values(st, 1, p[k].cnt, p[k].v, what, sizeof what);
		}
		sqlite3_reset(st);
		if (!bad && step != SQLITE_DONE)
			rc = db_error(s, err, "reading values");
		if (!rc && bad)
			rc = obl_sqlite_series_damage(s->db, s->path, p[k].id, what, err);
		for (size_t q = i; !rc && q < j; q++)
			if (short_series(p[q].v->n, p[q].cnt, what, sizeof what))
				rc = obl_sqlite_series_damage(s->db, s->path, p[q].id, what, err);
		i = j;
	}
	return rc;
}

static int prepare_values(struct sqlite_store *s, sqlite3_stmt **st, struct obl_error *err)
{
	if (sqlite3_prepare_v2(s->db,
			       "SELECT series_id, start, data FROM sample_block WHERE series_id "
			       "BETWEEN ?1 AND ?2 ORDER BY series_id, start",
			       -1, st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading the database");
	return OBL_OK;
}

static int sqlite_groups(struct obl_store *base, const struct obl_store_filter *filter,
			 struct obl_group **out, size_t *n, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*out = NULL;
	*n = 0;
	struct listing l;
	sqlite3_stmt *values = NULL;
	int rc = list_groups(s, filter, &l, err);
	if (rc)
		return rc;
	if (l.n_pending) /* qsort of a null array is undefined, even of no elements */
		qsort(l.pending, l.n_pending, sizeof *l.pending, by_id);
	rc = prepare_values(s, &values, err);
	if (!rc)
		rc = load_values(s, values, l.pending, l.n_pending, NULL, err);
	sqlite3_finalize(values);
	struct obl_group *result = rc ? NULL : malloc((l.count ? l.count : 1) * sizeof *result);
	if (!rc && !result)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (rc) {
		listing_free(&l);
		return rc;
	}
	for (size_t i = 0; i < l.count; i++)
		result[i] = l.groups[i].g;
	free(l.groups);
	free(l.pending);
	*out = result;
	*n = l.count;
	return OBL_OK;
}

static int sqlite_runs(struct obl_store *base, char ***labels, size_t *n, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*labels = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT label FROM run ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading runs");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = realloc(*labels, (*n + 1) * sizeof *p);
		if (!p)
			break;
		*labels = p;
		p[(*n)++] = dup_column(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "reading runs");
	return OBL_OK;
}

static int sqlite_run_warnings(struct obl_store *base, const char *run, char ***msgs, size_t *n,
			       struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*msgs = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT src.path || ': ' || w.message FROM source_warning w "
			       "JOIN source src ON src.id = w.source_id "
			       "JOIN run ON run.id = src.run_id WHERE run.label = ?1 "
			       "ORDER BY w.rowid",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading warnings");
	sqlite3_bind_text(st, 1, run, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = realloc(*msgs, (*n + 1) * sizeof *p);
		if (!p)
			break;
		*msgs = p;
		p[(*n)++] = dup_column(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "reading warnings");
	return OBL_OK;
}

static int sqlite_run_tags(struct obl_store *base, const char *run, struct obl_kv **tags, size_t *n,
			   struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*tags = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT key, value FROM run_tag JOIN run ON run.id = run_tag.run_id "
			       "WHERE run.label = ?1 "
			       /* provenance: the value, or the range of values over the files */
			       "UNION ALL SELECT st.key, CASE WHEN min(st.value) = max(st.value) "
			       "THEN min(st.value) ELSE min(st.value) || ' .. ' || max(st.value) END "
			       "FROM source_tag st JOIN source s ON s.id = st.source_id "
			       "JOIN run ON run.id = s.run_id WHERE run.label = ?1 AND st.key NOT IN "
			       "(SELECT key FROM run_tag WHERE run_tag.run_id = run.id) "
			       "GROUP BY st.key ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading tags");
	sqlite3_bind_text(st, 1, run, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct obl_kv *p = realloc(*tags, (*n + 1) * sizeof *p);
		if (!p)
			break;
		*tags = p;
		p[*n].key = dup_column(st, 0);
		p[*n].value = dup_column(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "reading tags");
	return OBL_OK;
}

/* ---- Managing runs ------------------------------------------------------------------ */

static int sqlite_run_list(struct obl_store *base, struct obl_run_info **out, size_t *n,
			   struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*out = NULL;
	*n = 0;
	static const char sql[] =
		"SELECT r.label, r.created, "
		" (SELECT group_concat(kv, ', ') FROM (SELECT key || '=' || value AS kv "
		"   FROM run_tag WHERE run_id = r.id ORDER BY key)), "
		" (SELECT count(*) FROM source WHERE run_id = r.id), "
		" (SELECT max(ingested) FROM source WHERE run_id = r.id), "
		" (SELECT count(DISTINCT scenario_id) FROM trial WHERE run_id = r.id), "
		" (SELECT count(DISTINCT se.metric_id) FROM series se JOIN trial t "
		"   ON t.id = se.trial_id WHERE t.run_id = r.id), "
		" (SELECT coalesce(sum(se.count), 0) FROM series se JOIN trial t "
		"   ON t.id = se.trial_id WHERE t.run_id = r.id) "
		"FROM run r ORDER BY r.id";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading runs");
	int rc, nomem = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct obl_run_info *p = realloc(*out, (*n + 1) * sizeof *p);
		if (!p) {
			nomem = 1;
			break;
		}
		*out = p;
		struct obl_run_info *r = &p[(*n)++];
		r->label = dup_column(st, 0);
		r->created = dup_column(st, 1);
		r->tags = dup_column(st, 2);
		r->sources = (size_t)sqlite3_column_int64(st, 3);
		r->last_ingest = dup_column(st, 4);
		r->scenarios = (size_t)sqlite3_column_int64(st, 5);
		r->metrics = (size_t)sqlite3_column_int64(st, 6);
		r->values = (long long)sqlite3_column_int64(st, 7);
		if (!r->label || !r->created || !r->tags || !r->last_ingest)
			nomem = 1;
	}
	sqlite3_finalize(st);
	if (nomem) {
		obl_run_info_free(*out, *n);
		*out = NULL;
		*n = 0;
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	if (rc != SQLITE_DONE) {
		obl_run_info_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_error(s, err, "reading runs");
	}
	return OBL_OK;
}

/* The id of the run labelled `label`, or 0 (err set, naming the closest label) if none. */
static long long run_id(struct sqlite_store *s, const char *label, struct obl_error *err)
{
	sqlite3_stmt *st;
	long long id = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM run WHERE label = ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		db_error(s, err, "reading runs");
		return 0;
	}
	sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (step == SQLITE_ROW)
		return id;
	if (step != SQLITE_DONE) {
		db_error(s, err, "reading runs");
		return 0;
	}
	char **labels = NULL;
	size_t n = 0;
	if (sqlite_runs(&s->base, &labels, &n, err))
		return 0;
	const char *near = obl_suggest(label, (const char *const *)labels, n);
	obl_error_set(err, OBL_EUSAGE, s->path, 0, label,
		      near ? "no such run; did you mean %s?" : "no such run%s",
		      near ? near : n ? " (obl-runs lists the runs)"
				      : " (the database holds none)");
	obl_store_names_free(labels, n);
	return 0;
}

/* Runs sql with ?1 bound to id. */
static int exec_id(struct sqlite_store *s, const char *sql, long long id, struct obl_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "removing the run");
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? OBL_OK : db_error(s, err, "removing the run");
}

static int sqlite_run_remove(struct obl_store *base, const char *label, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	int rc = exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	long long id = run_id(s, label, err);
	if (!id)
		rc = err->status ? err->status : OBL_EIO;
	static const char *const steps[] = {
		"DELETE FROM sample_block WHERE series_id IN (SELECT se.id FROM series se JOIN trial t "
		"ON t.id = se.trial_id WHERE t.run_id = ?1)",
		"DELETE FROM series WHERE trial_id IN (SELECT id FROM trial WHERE run_id = ?1)",
		"DELETE FROM trial WHERE run_id = ?1",
		"DELETE FROM source_warning WHERE source_id IN (SELECT id FROM source WHERE "
		"run_id = ?1)",
		"DELETE FROM source WHERE run_id = ?1",
		"DELETE FROM run_tag WHERE run_id = ?1",
		"DELETE FROM run WHERE id = ?1",
		/* scenarios and metrics no other run uses */
		"DELETE FROM scenario_key WHERE scenario_id NOT IN (SELECT scenario_id FROM trial) "
		"AND ?1 IS NOT NULL",
		"DELETE FROM scenario WHERE id NOT IN (SELECT scenario_id FROM trial) AND ?1 IS NOT "
		"NULL",
		"DELETE FROM metric WHERE id NOT IN (SELECT metric_id FROM series) AND ?1 IS NOT "
		"NULL",
	};
	for (size_t i = 0; !rc && i < sizeof steps / sizeof *steps; i++)
		rc = exec_id(s, steps[i], id, err);
	if (!rc)
		rc = exec(s, "COMMIT", err);
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sqlite_run_rename(struct obl_store *base, const char *from, const char *to,
			     struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	struct writer w = { 0 };
	w.s = s;
	w.err = err;
	int rc = check_text(&w, NULL, "run label", to, 0);
	if (rc)
		return rc;
	if (!to[0])
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "run label", "is empty");
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	long long id = run_id(s, from, err);
	if (!id)
		rc = err->status ? err->status : OBL_EIO;
	sqlite3_stmt *st = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, "SELECT 1 FROM run WHERE label = ?1", -1, &st, NULL) !=
			   SQLITE_OK)
		rc = db_error(s, err, "renaming the run");
	if (!rc) {
		sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			rc = obl_error_set(err, OBL_EUSAGE, s->path, 0, to,
					   "a run with this label exists already (remove it first, "
					   "or choose another label)");
		else if (step != SQLITE_DONE)
			rc = db_error(s, err, "renaming the run");
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, "UPDATE run SET label = ?2 WHERE id = ?1", -1, &st,
				      NULL) != SQLITE_OK)
		rc = db_error(s, err, "renaming the run");
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(s, err, "renaming the run");
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = exec(s, "COMMIT", err);
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sqlite_metric_names(struct obl_store *base, char ***names, size_t *n, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	*names = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM metric ORDER BY name", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(s, err, "reading metrics");
	int rc, nomem = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = realloc(*names, (*n + 1) * sizeof *p);
		if (!p || !(p[*n] = dup_column(st, 0))) {
			if (p)
				*names = p;
			nomem = 1;
			break;
		}
		*names = p;
		(*n)++;
	}
	sqlite3_finalize(st);
	if (nomem || rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
		return nomem ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory")
			     : db_error(s, err, "reading metrics");
	}
	return OBL_OK;
}

/* ---- The walk in series order --------------------------------------------------------- */

/* The store keeps a series' rows where its runs put them, among every other series of the
 * run: one series read alone visits nearly every page of the series and their values, and
 * a query per series cost ten times a query per scenario, which finds the rows of all the
 * scenario's metrics on the same pages. So the walk reads a scenario at a time, up to
 * WALK_METRICS of its metrics in one pass, and gives them to fn one series after another.
 * Memory holds the list of series and runs and those few series (their trials and values). */
#define WALK_METRICS 8

/* A trial of a series being read: what its group needs, and where its values are. */
struct walk_trial {
	long long run_id, trial_id, series_id, repetition, count;
	double successes, totals;
	size_t first, read; /* its values: values[first .. first + read) */
	int values_are_runs;
};

/* The trials of one series in run order, as the pass over its scenario found them, and
 * their values. */
struct walk_series {
	const struct obl_series_ref *ref;
	struct walk_trial *trials;
	size_t n, alloc;
	double *values;
	size_t n_values, values_alloc;
};

/* The runs' labels by id (ids ascending), for the groups' text. */
struct walk_runs {
	long long *id;
	char **label;
	size_t n;
};

static int oom(struct obl_error *err)
{
	return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The series (scenario x metric) of the groups matching filter (its run aside: see
 * sqlite_each_group), in series order. One pass over the trials and the series' unique key,
 * which holds (trial, metric): no series row is read. */
static int list_series(struct sqlite_store *s, const struct obl_store_filter *filter,
		       struct obl_series_ref **out, size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *pairs = NULL, *keys = NULL, *scenario = NULL, *metric = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT DISTINCT t.scenario_id, se.metric_id FROM trial t CROSS JOIN "
			       "series se ON se.trial_id = t.id",
			       -1, &pairs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "SELECT key, value FROM scenario_key WHERE scenario_id = ?1 ORDER BY key",
			       -1, &keys, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT canonical FROM scenario WHERE id = ?1", -1, &scenario,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT name, unit, direction, kind FROM metric WHERE id = ?1",
			       -1, &metric, NULL) != SQLITE_OK) {
		sqlite3_finalize(pairs);
		sqlite3_finalize(keys);
		sqlite3_finalize(scenario);
		return db_error(s, err, "reading the database");
	}
	struct obl_series_ref *refs = NULL;
	size_t count = 0, alloc = 0, n_keys = 0;
	long long keys_of = -1;
	struct obl_strbuf keybuf;
	obl_strbuf_init(&keybuf);
	struct obl_kv *kv = NULL;
	int rc = OBL_OK, step;
	while (!rc && (step = sqlite3_step(pairs)) == SQLITE_ROW) {
		long long scenario_id = sqlite3_column_int64(pairs, 0);
		long long metric_id = sqlite3_column_int64(pairs, 1);
		if (scenario_id != keys_of) {
			keys_of = -1;
			rc = load_scenario(s, keys, scenario_id, &keybuf, &n_keys, err);
			struct obl_kv *p = rc ? NULL : realloc(kv, (n_keys ? n_keys : 1) * sizeof *kv);
			if (rc || !p) {
				rc = rc ? rc : oom(err);
				break;
			}
			kv = p;
			scenario_pairs(&keybuf, n_keys, kv);
			keys_of = scenario_id;
		}
		sqlite3_bind_int64(scenario, 1, scenario_id);
		sqlite3_bind_int64(metric, 1, metric_id);
		struct obl_group g = { 0 };
		if (sqlite3_step(scenario) != SQLITE_ROW || sqlite3_step(metric) != SQLITE_ROW)
			rc = db_error(s, err, "reading series");
		else if (obl_group_set_text(&g, NULL, column(scenario, 0), column(metric, 0),
					    column(metric, 1), kv, n_keys))
			rc = oom(err);
		if (!rc) {
			g.direction = obl_direction_from_name(column(metric, 2));
			const char *kind = column(metric, 3);
			g.kind = !strcmp(kind, "sample")      ? OBL_KIND_SAMPLE
				 : !strcmp(kind, "aggregate") ? OBL_KIND_AGGREGATE
							      : OBL_KIND_PROPORTION;
		}
		sqlite3_reset(scenario);
		sqlite3_reset(metric);
		if (rc)
			break;
		if ((filter && filter->metric && strcmp(filter->metric, g.metric)) ||
		    (filter && !obl_store_filter_matches(&g, filter))) {
			obl_group_release(&g);
			continue;
		}
		if (count == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			struct obl_series_ref *p = realloc(refs, alloc * sizeof *p);
			if (!p) {
				obl_group_release(&g);
				rc = oom(err);
				break;
			}
			refs = p;
		}
		refs[count++] = (struct obl_series_ref){ g, scenario_id, metric_id };
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(s, err, "reading series");
	sqlite3_finalize(pairs);
	sqlite3_finalize(keys);
	sqlite3_finalize(scenario);
	sqlite3_finalize(metric);
	obl_strbuf_release(&keybuf);
	free(kv);
	if (rc) {
		obl_series_refs_free(refs, count);
		return rc;
	}
	if (count) /* qsort of a null array is undefined, even of no elements */
		qsort(refs, count, sizeof *refs, obl_store_by_series_ref);
	*out = refs;
	*n = count;
	return OBL_OK;
}

static void walk_runs_free(struct walk_runs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->label[i]);
	free(r->label);
	free(r->id);
	memset(r, 0, sizeof *r);
}

static int walk_runs_load(struct sqlite_store *s, struct walk_runs *r, struct obl_error *err)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT id, label FROM run ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(s, err, "reading runs");
	size_t alloc = 0;
	int rc = OBL_OK, step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			long long *id = realloc(r->id, alloc * sizeof *id);
			if (id)
				r->id = id;
			char **label = id ? realloc(r->label, alloc * sizeof *label) : NULL;
			if (label)
				r->label = label;
			if (!label) {
				rc = oom(err);
				break;
			}
		}
		r->id[r->n] = sqlite3_column_int64(st, 0);
		if (!(r->label[r->n] = dup_column(st, 1)))
			rc = oom(err);
		else
			r->n++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(s, err, "reading runs");
	sqlite3_finalize(st);
	if (rc)
		walk_runs_free(r);
	return rc;
}

static const char *walk_run_label(const struct walk_runs *r, long long id)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->id[lo] == id ? r->label[lo] : "";
}

/* A trial's values are whole: as many as its series' count says. */
static int walk_trial_check(struct sqlite_store *s, const struct walk_trial *t,
			    struct obl_error *err)
{
	char what[160];
	if (!short_series(t->read, t->count, what, sizeof what))
		return OBL_OK;
	return obl_sqlite_series_damage(s->db, s->path, t->series_id, what, err);
}

/* One row of the pass over a scenario: a block of values of series `id` of trial `t` (a
 * new trial of ws when the series is not the last one seen). */
static int walk_row(struct sqlite_store *s, sqlite3_stmt *st, struct walk_series *ws,
		    long long bound, struct obl_error *err)
{
	long long trial_id = sqlite3_column_int64(st, 1);
	struct walk_trial *t = ws->n ? &ws->trials[ws->n - 1] : NULL;
	if (!t || t->trial_id != trial_id) {
		if (t) {
			int rc = walk_trial_check(s, t, err);
			if (rc)
				return rc;
		}
		long long cnt = sqlite3_column_int64(st, 4);
		if (cnt < 0 || cnt > bound || (size_t)cnt > SIZE_MAX / 8 - ws->n_values)
			return damaged_count(s, cnt, err);
		if (ws->n == ws->alloc) {
			size_t want = ws->alloc ? 2 * ws->alloc : 256;
			struct walk_trial *p = realloc(ws->trials, want * sizeof *p);
			if (!p)
				return oom(err);
			ws->trials = p;
			ws->alloc = want;
		}
		if (!ws->values || ws->n_values + (size_t)cnt > ws->values_alloc) {
			size_t want = ws->values_alloc ? 2 * ws->values_alloc : 1024;
			while (want < ws->n_values + (size_t)cnt)
				want *= 2;
			double *p = realloc(ws->values, want * sizeof *p);
			if (!p)
				return oom(err);
			ws->values = p;
			ws->values_alloc = want;
		}
		t = &ws->trials[ws->n++];
		*t = (struct walk_trial){
			.run_id = sqlite3_column_int64(st, 0),
			.trial_id = trial_id,
			.series_id = sqlite3_column_int64(st, 10),
			.repetition = sqlite3_column_int64(st, 2),
			.count = cnt,
			.successes = sqlite3_column_type(st, 5) == SQLITE_NULL
					     ? NAN
					     : sqlite3_column_double(st, 5),
			.totals = sqlite3_column_type(st, 6) == SQLITE_NULL
					  ? NAN
					  : sqlite3_column_double(st, 6),
			.first = ws->n_values,
			.values_are_runs = obl_format_values_are_runs(column(st, 7)),
		};
		ws->n_values += (size_t)cnt;
	}
	if (sqlite3_column_type(st, 8) == SQLITE_NULL)
		return OBL_OK; /* a series without blocks */
	struct obl_values v = { ws->values + t->first, t->read, (size_t)t->count };
	char what[160];
	if (obl_block_values(st, 8, t->count, &v, what, sizeof what))
		return obl_sqlite_series_damage(s->db, s->path, t->series_id, what, err);
	t->read = v.n;
	return OBL_OK;
}

/* Reads the series ws[0..n) (metrics of one scenario) in one pass over the scenario's
 * trials, run by run (trial_by_run_scenario), each trial's series (their unique key) and
 * their blocks: CROSS JOIN keeps SQLite to that order, which it would otherwise trade for a
 * scan of every series of the store. */
static int walk_read(struct sqlite_store *s, sqlite3_stmt *st, struct walk_series *ws, size_t n,
		     struct obl_error *err)
{
	const long long bound = obl_sqlite_values_bound(s->db);
	sqlite3_bind_int64(st, 1, ws[0].ref->scenario_id);
	int rc = OBL_OK, step;
	long long last_series = -1;
	struct walk_series *into = NULL;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		long long series_id = sqlite3_column_int64(st, 10);
		if (series_id != last_series) {
			long long metric_id = sqlite3_column_int64(st, 3);
			into = NULL;
			for (size_t k = 0; k < n && !into; k++)
				if (ws[k].ref->metric_id == metric_id)
					into = &ws[k];
			last_series = series_id;
		}
		if (into)
			rc = walk_row(s, st, into, bound, err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(s, err, "reading the database");
	sqlite3_reset(st);
	for (size_t k = 0; !rc && k < n; k++)
		if (ws[k].n)
			rc = walk_trial_check(s, &ws[k].trials[ws[k].n - 1], err);
	return rc;
}

/* A group's trials in the order obl_store_groups gives them: repetition, then trial. */
static int by_repetition(const void *pa, const void *pb)
{
	const struct walk_trial *a = pa, *b = pb;
	if (a->repetition != b->repetition)
		return a->repetition < b->repetition ? -1 : 1;
	return (a->trial_id > b->trial_id) - (a->trial_id < b->trial_id);
}

/* What a group of the walk is built in: grown to the largest group. */
struct walk_group {
	struct obl_values *per_trial;
	double *successes, *totals, *values;
	size_t trials_alloc, values_alloc;
};

/* Calls fn for each group of the series ws (one per run), its trials' values one after
 * another in one array. */
static int walk_visit(const struct walk_series *ws, const struct walk_runs *runs,
		      struct walk_group *wg, obl_group_fn fn, void *ctx, struct obl_error *err)
{
	const struct obl_group *ref = &ws->ref->g;
	int rc = OBL_OK;
	for (size_t i = 0, j; !rc && i < ws->n; i = j) {
		size_t total = 0;
		for (j = i; j < ws->n && ws->trials[j].run_id == ws->trials[i].run_id; j++)
			total += ws->trials[j].read;
		if (j - i > wg->trials_alloc) {
			free(wg->per_trial);
			free(wg->successes);
			free(wg->totals);
			wg->trials_alloc = j - i;
			wg->per_trial = malloc(wg->trials_alloc * sizeof *wg->per_trial);
			wg->successes = malloc(wg->trials_alloc * sizeof *wg->successes);
			wg->totals = malloc(wg->trials_alloc * sizeof *wg->totals);
			if (!wg->per_trial || !wg->successes || !wg->totals) {
				wg->trials_alloc = 0;
				return oom(err);
			}
		}
		if (total > wg->values_alloc) {
			free(wg->values);
			wg->values_alloc = total;
			if (!(wg->values = malloc(total * sizeof *wg->values))) {
				wg->values_alloc = 0;
				return oom(err);
			}
		}
		struct walk_trial *t = ws->trials + i;
		if (j - i > 1)
			qsort(t, j - i, sizeof *t, by_repetition);
		struct obl_group g = { 0 };
		if (obl_group_set_text(&g, walk_run_label(runs, t->run_id), ref->scenario_canonical,
				       ref->metric, ref->unit, ref->scenario, ref->scenario_len))
			return oom(err);
		g.direction = ref->direction;
		g.kind = ref->kind;
		g.values_are_runs = t->values_are_runs;
		g.trials = j - i;
		g.per_trial = wg->per_trial;
		g.successes = wg->successes;
		g.totals = wg->totals;
		for (size_t k = 0, at = 0; k < g.trials; k++) {
			if (t[k].read)
				memcpy(wg->values + at, ws->values + t[k].first,
				       t[k].read * sizeof *wg->values);
			g.per_trial[k] = (struct obl_values){ wg->values + at, t[k].read, t[k].read };
			g.successes[k] = t[k].successes;
			g.totals[k] = t[k].totals;
			at += t[k].read;
		}
		rc = fn(ctx, &g, err);
		free(g.text);
	}
	return rc;
}

/* The walk in series order (see WALK_METRICS). */
static int each_series(struct sqlite_store *s, const struct obl_store_filter *filter,
		       obl_group_fn fn, void *ctx, struct obl_error *err)
{
	struct obl_series_ref *refs;
	size_t n;
	int rc = list_series(s, filter, &refs, &n, err);
	if (rc)
		return rc;
	struct walk_runs runs;
	rc = walk_runs_load(s, &runs, err);
	/* each pass reads its pages once: a cache of a few MiB serves it as well as the
	 * readers' 64 MiB, which it would fill */
	long long cache = 0;
	if (!rc)
		rc = query_int(s, "PRAGMA cache_size", &cache, err);
	if (!rc)
		rc = exec(s, "PRAGMA cache_size = -8192", err);
	sqlite3_stmt *st = NULL;
	if (!rc &&
	    sqlite3_prepare_v2(s->db,
			       "SELECT r.id, t.id, t.repetition, se.metric_id, se.count, "
			       "se.successes, se.trials, (SELECT format FROM source WHERE id = "
			       "t.source_id), b.start, b.data, se.id FROM run r CROSS JOIN trial t ON "
			       "t.run_id = r.id AND t.scenario_id = ?1 CROSS JOIN series se ON "
			       "se.trial_id = t.id LEFT JOIN sample_block b ON b.series_id = se.id "
			       "ORDER BY r.id, t.id, se.metric_id, b.start",
			       -1, &st, NULL) != SQLITE_OK)
		rc = db_error(s, err, "reading the database");
	struct walk_series ws[WALK_METRICS];
	memset(ws, 0, sizeof ws);
	struct walk_group wg = { 0 };
	for (size_t i = 0, j; !rc && i < n; i = j) {
		/* the next metrics of the scenario, up to WALK_METRICS */
		for (j = i + 1; j < n && j - i < WALK_METRICS &&
				refs[j].scenario_id == refs[i].scenario_id;
		     j++)
			;
		for (size_t k = 0; k < j - i; k++) {
			ws[k].ref = &refs[i + k];
			ws[k].n = ws[k].n_values = 0;
		}
		rc = walk_read(s, st, ws, j - i, err);
		for (size_t k = 0; !rc && k < j - i; k++)
			rc = walk_visit(&ws[k], &runs, &wg, fn, ctx, err);
	}
	for (size_t k = 0; k < WALK_METRICS; k++) {
		free(ws[k].trials);
		free(ws[k].values);
	}
	free(wg.per_trial);
	free(wg.successes);
	free(wg.totals);
	free(wg.values);
	sqlite3_finalize(st);
	if (cache) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", cache);
		struct obl_error ignored; /* the first error is the one to report */
		int restored = exec(s, pragma, rc ? &ignored : err);
		rc = rc ? rc : restored;
	}
	walk_runs_free(&runs);
	obl_series_refs_free(refs, n);
	return rc;
}

/* Every matching group, its values read just before fn sees it and freed just after: memory
 * holds the list of groups and series (some tens of bytes a series) and one group's values,
 * in one array, trial after trial (fn may reorder them in place: obl-stats sorts them).
 * The series of a group are found in the list sorted by the address of their slots (the
 * slots of one group are one array). */
static int sqlite_each_group(struct obl_store *base, const struct obl_store_filter *filter,
			     enum obl_store_order order, obl_group_fn fn, void *ctx,
			     struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	/* a run's groups are few: listed at once, in either order */
	if (order == OBL_ORDER_SERIES && !(filter && filter->run))
		return each_series(s, filter, fn, ctx, err);
	struct listing l;
	sqlite3_stmt *values = NULL;
	int rc = list_groups(s, filter, &l, err);
	if (rc)
		return rc;
	const struct obl_group **at = malloc((l.count ? l.count : 1) * sizeof *at);
	if (!at)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc)
		rc = prepare_values(s, &values, err);
	for (size_t i = 0; !rc && i < l.count; i++)
		at[i] = &l.groups[i].g;
	if (!rc && order == OBL_ORDER_SERIES)
		qsort(at, l.count, sizeof *at, obl_store_by_series);
	if (!rc && l.n_pending)
		qsort(l.pending, l.n_pending, sizeof *l.pending, by_slot);
	for (size_t i = 0; !rc && i < l.count; i++) {
		struct obl_group *g = (struct obl_group *)at[i];
		/* its series: the first whose slot is at or after g->per_trial, and those after */
		size_t lo = 0, hi = l.n_pending;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if ((uintptr_t)l.pending[mid].v < (uintptr_t)g->per_trial)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = lo;
		while (end < l.n_pending &&
		       (uintptr_t)l.pending[end].v < (uintptr_t)(g->per_trial + g->trials))
			end++;
		long long total = 0, bound = obl_sqlite_values_bound(s->db);
		for (size_t k = lo; k < end && total <= bound; k++)
			total += l.pending[k].cnt;
		double *one = total > bound ? NULL : malloc((total ? (size_t)total : 1) * sizeof *one);
		rc = total > bound ? damaged_count(s, total, err)
		     : one         ? load_values(s, values, l.pending + lo, end - lo, one, err)
				   : obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		if (!rc)
			rc = fn(ctx, g, err);
		for (size_t t = 0; t < g->trials; t++)
			memset(&g->per_trial[t], 0, sizeof g->per_trial[t]);
		free(one);
	}
	sqlite3_finalize(values);
	free(at);
	listing_free(&l);
	return rc;
}

static int sqlite_has_source(struct obl_store *base, const char *sha256, int *found,
			     struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	if (!s->has_source && sqlite3_prepare_v2(s->db, "SELECT 1 FROM source WHERE sha256 = ?1", -1,
						 &s->has_source, NULL) != SQLITE_OK)
		return db_error(s, err, "reading sources");
	sqlite3_bind_text(s->has_source, 1, sha256, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(s->has_source);
	sqlite3_reset(s->has_source);
	*found = step == SQLITE_ROW;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(s, err, "reading sources");
	return OBL_OK;
}

/* A caller's transaction around several writes (merge.c): obl_store_write then uses
 * savepoints, and foreign keys are not checked inside it (check_foreign_keys). A rollback
 * also truncates the WAL, as a failed write does. */
static int sqlite_transaction(struct obl_store *base, enum obl_store_tx what, struct obl_error *err)
{
	struct sqlite_store *s = sqlite_of(base);
	if (what == OBL_TX_BEGIN) {
		check_foreign_keys(s, 0);
		int rc = exec(s, "BEGIN IMMEDIATE", err);
		if (rc)
			check_foreign_keys(s, 1);
		return rc;
	}
	if (what == OBL_TX_COMMIT) {
		int rc = exec(s, "COMMIT", err);
		if (!rc)
			check_foreign_keys(s, 1);
		return rc; /* the caller rolls back */
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	check_foreign_keys(s, 1);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return OBL_OK;
}

static const struct obl_store_ops sqlite_ops = {
	.name = "SQLite",
	.close = sqlite_close,
	.discard = sqlite_discard,
	.check = sqlite_check,
	.write = sqlite_write,
	.groups = sqlite_groups,
	.each_group = sqlite_each_group,
	.metric_names = sqlite_metric_names,
	.runs = sqlite_runs,
	.run_tags = sqlite_run_tags,
	.run_warnings = sqlite_run_warnings,
	.run_list = sqlite_run_list,
	.run_remove = sqlite_run_remove,
	.run_rename = sqlite_run_rename,
	.transaction = sqlite_transaction,
	.each_source = obl_sqlite_each_source,
	.has_source = sqlite_has_source,
};

/* ---- For the store's other files (merge.c) ------------------------------------------------ */

/* 1 on a little-endian host (the order of the blocks on disk), 0 otherwise. */
static int host_little_endian(void)
{
	const uint16_t one = 1;
	unsigned char b;
	memcpy(&b, &one, 1);
	return b == 1;
}

const void *obl_blob_pack(const double *v, size_t n, unsigned char *buf)
{
	if (host_little_endian())
		return v;
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		memcpy(&u, &v[i], 8);
		for (int k = 0; k < 8; k++)
			buf[8 * i + (size_t)k] = (unsigned char)(u >> (8 * k));
	}
	return buf;
}

/* Copies n little-endian binary64 values from blob into v. */
static void blob_decode(const unsigned char *blob, size_t n, double *v)
{
	if (n && host_little_endian()) {
		memcpy(v, blob, n * 8);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u = 0;
		for (int k = 7; k >= 0; k--)
			u = u << 8 | blob[8 * i + (size_t)k];
		memcpy(&v[i], &u, 8);
	}
}

/* The index of the first of v[0..n) that is NaN or infinite (all exponent bits set), or n:
 * no reader stores one (each refuses them, as obl-ingest(1) says), so one in a block is damage.
 * One pass of and, add and or: the exponent plus one carries into the sign bit only when it
 * is all ones. On the block just copied (in the cache) it costs next to nothing. */
static size_t first_not_finite(const double *v, size_t n)
{
	const uint64_t exponent = UINT64_C(0x7ff0000000000000), one = UINT64_C(1) << 52;
	uint64_t any = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		memcpy(&u, &v[i], 8);
		any |= (u & exponent) + one;
	}
	if (!(any >> 63))
		return n;
	size_t i = 0;
	while (!isnan(v[i]) && !isinf(v[i]))
		i++;
	return i;
}

/* The block (start, data) in columns col and col + 1 of st, as the next block of a series of
 * count values of which `have` are read: its values decoded into dst (room for `room`), and
 * their number, or -1 with what is wrong in what[0..size). */
static long long block_check(sqlite3_stmt *st, int col, long long have, long long count,
			     double *dst, size_t room, char *what, size_t size)
{
	const long long start = sqlite3_column_int64(st, col);
	const int type = sqlite3_column_type(st, col + 1);
	if (type != SQLITE_BLOB) {
		snprintf(what, size, "the block at value %lld is %s, not a blob of binary64 values",
			 start + 1,
			 type == SQLITE_TEXT    ? "text"
			 : type == SQLITE_NULL  ? "null"
			 : type == SQLITE_FLOAT ? "a number"
						: "an integer");
		return -1;
	}
	const size_t len = (size_t)sqlite3_column_bytes(st, col + 1);
	const size_t n = len / 8;
	if (len == 0 || len % 8 || n > OBL_BLOCK_VALUES) {
		snprintf(what, size,
			 "the block at value %lld holds %zu bytes, not 1 to %d values of 8 bytes",
			 start + 1, len, OBL_BLOCK_VALUES);
		return -1;
	}
	if (start > have) {
		snprintf(what, size, "its blocks leave values %lld to %lld out", have + 1, start);
		return -1;
	}
	if (start < have) {
		snprintf(what, size, "the block at value %lld overlaps the %lld values before it",
			 start + 1, have);
		return -1;
	}
	if ((long long)n > count - have || n > room) {
		snprintf(what, size, "its blocks hold more than the %lld values its count says",
			 count);
		return -1;
	}
	blob_decode(sqlite3_column_blob(st, col + 1), n, dst);
	size_t bad = first_not_finite(dst, n);
	if (bad < n) {
		snprintf(what, size, "value %lld is %s, which no reader stores",
			 have + (long long)bad + 1,
			 isnan(dst[bad]) ? "NaN" : dst[bad] > 0 ? "+infinity"
								: "-infinity");
		return -1;
	}
	return (long long)n;
}

int obl_block_values(sqlite3_stmt *st, int col, long long count, struct obl_values *out,
		     char *what, size_t size)
{
	long long n = block_check(st, col, (long long)out->n, count, out->v + out->n,
				  out->alloc - out->n, what, size);
	if (n < 0)
		return -1;
	out->n += (size_t)n;
	return 0;
}

long long obl_sqlite_values_limit(sqlite3 *db)
{
	return obl_sqlite_values_bound(db);
}

int obl_sqlite_short_series(size_t n, long long count, char *what, size_t size)
{
	return short_series(n, count, what, size);
}

/* "series ID (run R, scenario S, metric M, repetition N)", as far as the database says. */
static void add_series_name(struct obl_strbuf *sb, sqlite3 *db, long long id)
{
	sqlite3_stmt *st = NULL;
	obl_strbuf_addf(sb, "series %lld", id);
	if (sqlite3_prepare_v2(db,
			       "SELECT r.label, sc.canonical, m.name, t.repetition FROM series se "
			       "JOIN trial t ON t.id = se.trial_id JOIN run r ON r.id = t.run_id "
			       "JOIN scenario sc ON sc.id = t.scenario_id JOIN metric m ON m.id = "
			       "se.metric_id WHERE se.id = ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			obl_strbuf_addf(sb, " (run %s, scenario %s, metric %s, repetition %lld)",
					column(st, 0), column(st, 1), column(st, 2),
					sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
}

int obl_sqlite_series_damage(sqlite3 *db, const char *path, long long id, const char *what,
			     struct obl_error *err)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	add_series_name(&sb, db, id);
	int rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "%s: %s: the database is damaged",
			       obl_strbuf_failed(&sb) ? "a series" : sb.buf, what);
	obl_strbuf_release(&sb);
	return rc;
}

int obl_sqlite_series_values(sqlite3 *db, sqlite3_stmt *st, const char *path, long long id,
			     long long count, long long limit, struct obl_values *out,
			     struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	if (count < 0 || count > limit)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "a series claims %lld values, which the file cannot hold: the "
				     "database is damaged",
				     count);
	if (!(out->v = malloc((count ? (size_t)count : 1) * sizeof *out->v)))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	out->alloc = (size_t)count;
	sqlite3_bind_int64(st, 1, id);
	char what[160];
	int step, bad = 0;
	while (!bad && (step = sqlite3_step(st)) == SQLITE_ROW)
		bad = obl_block_values(st, 0, count, out, what, sizeof what);
	sqlite3_reset(st);
	if (!bad && step != SQLITE_DONE)
		return obl_error_set(err, OBL_EIO, path, 0, NULL, "reading values: %s",
				     sqlite3_errmsg(db));
	if (bad || short_series(out->n, count, what, sizeof what))
		return obl_sqlite_series_damage(db, path, id, what, err);
	return OBL_OK;
}

/* What obl_store_check finds beyond SQLite's integrity_check, a line each into report (the
 * first 100): series whose blocks break the rules of obl-schema(5) (obl_block_values, and
 * blocks that do not add up to the series' count) and rows whose reference leads nowhere
 * (foreign_key_check: blocks of no series, series of no trial, ...). Returns how many there
 * are; err is set only when the check itself fails. Reads every block once, in one pass. */
static size_t check_values(struct sqlite_store *s, struct obl_strbuf *report, struct obl_error *err)
{
	enum { SHOWN = 100 };
	const long long bound = obl_sqlite_values_bound(s->db);
	double *scratch = malloc(OBL_BLOCK_VALUES * sizeof *scratch);
	sqlite3_stmt *st = NULL;
	if (!scratch) {
		obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		return 0;
	}
	size_t found = 0;
	long long *bad = NULL; /* the damaged series and what is wrong, named once the walk ends */
	char(*whats)[160] = NULL;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT se.id, se.count, b.start, b.data FROM series se LEFT JOIN "
			       "sample_block b ON b.series_id = se.id ORDER BY se.id, b.start",
			       -1, &st, NULL) != SQLITE_OK) {
		free(scratch);
		db_error(s, err, "checking the database");
		return 0;
	}
	if (!(bad = malloc(SHOWN * sizeof *bad)) || !(whats = malloc(SHOWN * sizeof *whats))) {
		obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	long long id = -1, count = 0, have = 0;
	int damaged = 0, step;
	char what[160];
	for (;;) {
		step = sqlite3_step(st);
		long long next = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		if (next != id && id >= 0 && !damaged &&
		    short_series((size_t)have, count, what, sizeof what))
			damaged = 1;
		if ((next != id || step != SQLITE_ROW) && damaged && id >= 0) {
			if (found < SHOWN) {
				bad[found] = id;
				memcpy(whats[found], what, sizeof what);
			}
			found++;
		}
		if (step != SQLITE_ROW)
			break;
		if (next != id) {
			id = next;
			count = sqlite3_column_int64(st, 1);
			have = 0;
			damaged = count < 0 || count > bound;
			if (damaged)
				snprintf(what, sizeof what,
					 "its count, %lld, is more values than the file can hold",
					 count);
		}
		if (damaged || sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue; /* no blocks, or the first damage of the series is known */
		long long n = block_check(st, 2, have, count, scratch, OBL_BLOCK_VALUES, what,
					  sizeof what);
		if (n < 0)
			damaged = 1;
		else
			have += n;
	}
	if (step != SQLITE_DONE) {
		db_error(s, err, "checking the database");
		goto done;
	}
	for (size_t i = 0; i < found && i < SHOWN; i++) {
		add_series_name(report, s->db, bad[i]);
		obl_strbuf_addf(report, ": %s\n", whats[i]);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) {
		db_error(s, err, "checking the database");
		goto done;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (found++ < SHOWN)
			obl_strbuf_addf(report, "row %lld of %s refers to a row of %s that is not there\n",
					sqlite3_column_int64(st, 1), column(st, 0), column(st, 2));
	if (step != SQLITE_DONE)
		db_error(s, err, "checking the database");
	if (found > SHOWN)
		obl_strbuf_addf(report, "(%zu more)\n", found - SHOWN);
done:
	sqlite3_finalize(st);
	free(scratch);
	free(bad);
	free(whats);
	return found;
}

sqlite3 *obl_store_sqlite(struct obl_store *s)
{
	return s->ops == &sqlite_ops ? sqlite_of(s)->db : NULL;
}
