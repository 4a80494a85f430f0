/*
 * store.h - the store: opening (schema migrations, WAL, busy timeout), writing one reader's
 * batch as one transaction, and reading back series for statistics. The functions are the
 * same for every engine (libobl/store/engine.h); SQLite is the one a path opens.
 *
 * Every statement is parameterised: labels, tags and keys are stored verbatim, whatever
 * quotes, semicolons or non-ASCII text they hold.
 */
#ifndef OBL_STORE_H
#define OBL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "input.h"
#include "kv.h"
#include "group.h"
#include "model.h"
#include "strbuf.h"

struct obl_store;
struct obl_progress;

/* 1 if name is a PostgreSQL connection string rather than a path: a URI
 * (postgresql://... or postgres://...) or keyword/value settings beginning with service=,
 * host=, hostaddr= or dbname= (libpq's forms; libpq also reads PGHOST, PGPASSWORD, ~/.pgpass
 * and the service file itself). Anything else is the path of an SQLite file. */
int obl_store_is_server(const char *name);
/* The name of a database for messages: a path as it is, a URI without its password, keyword
 * settings rebuilt without it (owned; NULL when out of memory). */
char *obl_store_display_name(const char *name);
/* For the tools, once at start-up, for each argument: the argument itself, or for a
 * connection string with a password, the same without it (obl_store_display_name), which
 * obl_store_open maps back to the full string. A tool that uses the returned string from then
 * on never holds the password in anything it prints. Process-wide, like the busy timeout. */
const char *obl_store_hide_password(const char *arg);

/* The schema version this build writes and reads (PRAGMA user_version). */
int obl_store_schema_version(void);

/* How a store is opened. */
enum obl_store_mode {
	OBL_STORE_READ = 0,   /* read-only (SQLite's mode=ro; immutable when nobody can write the
			       * file and it has no WAL): obl-stats, obl-compare, obl-report */
	OBL_STORE_CREATE = 1, /* read and write, created if missing: obl-ingest */
	OBL_STORE_WRITE = 2,  /* read and write an existing store */
};

/* The total wait for another process's lock before an operation fails with "the database is
 * locked" (exit 3), in seconds; 0 fails at once. Default 30; the tools set it from
 * OBL_BUSY_TIMEOUT. Process-wide, set once at start-up. */
void obl_store_set_busy_timeout(double seconds);

/*
 * Opens the database at path (mode: enum obl_store_mode) and, when writing, applies pending
 * migrations. Opening costs the same whatever the size of the database: the header, the
 * schema version and the tables are checked, not every page (obl_store_check does that).
 * A file that is not SQLite, an SQLite database that is not obl's, one with a newer schema,
 * or (read-only) an older one is an OBL_EINPUT error naming the path. A lock held by another
 * process is waited for at most OBL_BUSY_TIMEOUT seconds (default 30), with progress on
 * stderr when it is a terminal; then "the database is locked by another process" (OBL_EIO).
 * SQLite's corruption errors, wherever they surface, say "the database is damaged". Free
 * with obl_store_close.
 */
OBL_MUST_CHECK int obl_store_open(const char *path, int mode, struct obl_store **out, struct obl_error *err);
void obl_store_close(struct obl_store *s);
/* Closes s and, when opening it created the database file (OBL_STORE_CREATE of a path that
 * did not exist) and it holds no run and no file, removes the file and its -wal and -shm:
 * what a refused or failed ingest into a new database calls, so that it leaves nothing
 * behind. A database another process has open, or has written to, is kept; so is every
 * PostgreSQL database. */
void obl_store_discard_new(struct obl_store *s);

/* The full check (SQLite's integrity_check over every page): OBL_OK, or an OBL_EINPUT error
 * with SQLite's findings (up to 100 lines) appended to report. */
OBL_MUST_CHECK int obl_store_check(struct obl_store *s, struct obl_strbuf *report, struct obl_error *err);

/* What ingesting one file did. */
struct obl_ingest_result {
	int duplicate;       /* the same content was already there: nothing written */
	char *duplicate_of;  /* its path then (owned: obl_ingest_result_release) */
	char *duplicate_run; /* and the run that holds it (owned, as duplicate_of) */
	size_t trials, series, values;
};
void obl_ingest_result_release(struct obl_ingest_result *r);

/* 1 if a tag key is provenance (date, host_name, executable, ...): kept per file, allowed to
 * differ between the files of a run. Other tags are run configuration: the files of a run must
 * agree on them (obl_store_write refuses one that does not, naming the earlier file). */
int obl_store_tag_is_provenance(const char *key);

/* Where a batch goes: the run label and the file's identity. */
struct obl_source_info {
	const char *path, *format, *sha256;
	size_t size;
	const char *label;             /* run label (already resolved by the caller) */
	struct obl_progress *progress; /* NULL, or where to post the values written */
};

/*
 * Writes batch into the store in one transaction (BEGIN IMMEDIATE ... COMMIT): the run (made
 * if new) with its tags, the source, and every trial with its series. If a file with the same
 * SHA-256 is already stored, nothing is written and result->duplicate is set. A value that
 * is NaN or infinite is refused before anything is written (the store holds finite values
 * only). On any error the transaction is rolled back and the database is as it was.
 */
OBL_MUST_CHECK int obl_store_write(struct obl_store *s, const struct obl_source_info *src,
				   const struct obl_batch *batch, struct obl_ingest_result *result,
				   struct obl_error *err);

/* ---- Reading ------------------------------------------------------------------------ */

struct obl_store_filter {
	const char *run;               /* NULL: all runs */
	const char *metric;            /* NULL: all metrics */
	const struct obl_kv *scenario; /* keys that must match (NULL/0: any) */
	size_t scenario_len;
};

/* Loads every group matching filter, ordered by run, scenario and metric (group.h; free them
 * with obl_groups_free). */
OBL_MUST_CHECK int obl_store_groups(struct obl_store *s, const struct obl_store_filter *filter,
				    struct obl_group **out, size_t *n, struct obl_error *err);

/* The order in which obl_store_each_group visits groups. */
enum obl_store_order {
	OBL_ORDER_RUN = 0,    /* run (creation order), scenario, metric: as obl_store_groups */
	OBL_ORDER_SERIES = 1, /* scenario, metric, then run (creation order): one series of a
			       * history after another */
};

/* What obl_store_each_group calls for each group; non-zero stops the walk. */
typedef int (*obl_group_fn)(void *ctx, const struct obl_group *g, struct obl_error *err);

/* Calls fn once per group matching filter, in the given order; the group (and its values) is
 * valid only during the call. Stops at the first non-zero return of fn and returns it.
 * In run order (or with a run in the filter) memory holds one group's values at a time
 * (8 bytes a value) beside a list of the groups and their series. In series order it holds
 * the list of series and runs and the few series read together: the metrics of one scenario,
 * at most 8, all their runs' trials and values (the store keeps a run's series together,
 * so a series is read with its scenario's others in one pass). The values of a group's
 * trials lie one after another in one array, and fn may reorder them in place (they are
 * freed or overwritten when it returns). */
OBL_MUST_CHECK int obl_store_each_group(struct obl_store *s, const struct obl_store_filter *filter,
					enum obl_store_order order, obl_group_fn fn, void *ctx,
					struct obl_error *err);

/* Names of the stored metrics, sorted (owned array of owned strings). */
int obl_store_metric_names(struct obl_store *s, char ***names, size_t *n, struct obl_error *err);
/* Labels of the runs in the store, in order of creation (owned array of owned strings). */
OBL_MUST_CHECK int obl_store_runs(struct obl_store *s, char ***labels, size_t *n, struct obl_error *err);
/* Frees what obl_store_runs and obl_store_metric_names give (NULL with n == 0: nothing). */
void obl_store_names_free(char **names, size_t n);
/* Tags of a run (owned). */
OBL_MUST_CHECK int obl_store_run_tags(struct obl_store *s, const char *run, struct obl_kv **tags, size_t *n,
				      struct obl_error *err);
/* What obl-ingest warned about the run's files, "PATH: message", in order (owned array of
 * owned strings). */
OBL_MUST_CHECK int obl_store_run_warnings(struct obl_store *s, const char *run, char ***msgs, size_t *n,
					  struct obl_error *err);

/* ---- Managing runs ------------------------------------------------------------------ */

/* What obl-runs lists of a run. */
struct obl_run_info {
	char *label, *created, *last_ingest; /* times as stored (UTC) */
	char *tags;                          /* "key=value, key=value", by key; "" if none */
	size_t sources, scenarios, metrics;  /* files ingested, distinct scenarios and metrics */
	long long values;                    /* values stored */
};
/* Every run, in order of creation (owned: free with obl_run_info_free). */
OBL_MUST_CHECK int obl_store_run_list(struct obl_store *s, struct obl_run_info **out, size_t *n,
				      struct obl_error *err);
void obl_run_info_free(struct obl_run_info *runs, size_t n);

/* Removes the run and everything stored for it (values, series, repetitions, files, tags;
 * scenarios and metrics no other run uses), in one transaction: all or nothing. An unknown
 * label is an OBL_EUSAGE error naming the closest one. The file keeps its size until
 * VACUUM. */
OBL_MUST_CHECK int obl_store_run_remove(struct obl_store *s, const char *label, struct obl_error *err);

/* Relabels a run in one transaction; the new label must be valid text and not in use. */
OBL_MUST_CHECK int obl_store_run_rename(struct obl_store *s, const char *from, const char *to,
					struct obl_error *err);

#endif
