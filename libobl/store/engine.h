/*
 * engine.h - what a store engine provides behind store.h: an open store is an engine's own
 * structure whose first member is struct obl_store, and the public functions of store.h
 * dispatch through its table of operations. For the store layer's own files only.
 */
#ifndef OBL_STORE_ENGINE_H
#define OBL_STORE_ENGINE_H

#include "store.h"

/* What obl_store_transaction does. */
enum obl_store_tx { OBL_TX_BEGIN = 0,
		    OBL_TX_COMMIT = 1,
		    OBL_TX_ROLLBACK = 2 };

/* What obl_store_each_source calls for each stored file: its identity (the path as stored)
 * and its batch, which fn may change (values move out of it) but does not free. */
typedef int (*obl_source_fn)(void *ctx, const struct obl_source_info *src, struct obl_batch *batch,
			     struct obl_error *err);

/* What obl_store_each_source asks of each stored file before it reads the file's content:
 * *skip = 1, and the file is neither read nor given to fn (a merge's file that the
 * destination holds already: reading it was most of the cost of a merge done twice). */
typedef int (*obl_source_skip_fn)(void *ctx, const struct obl_source_info *src, int *skip,
				  struct obl_error *err);

struct obl_store_ops {
	const char *name; /* for messages: "SQLite" */
	void (*close)(struct obl_store *s);
	/* Closes, and removes the database if this store created it and it holds nothing
	 * (obl_store_discard_new); NULL where the engine never creates one (PostgreSQL). */
	void (*discard)(struct obl_store *s);
	int (*check)(struct obl_store *s, struct obl_strbuf *report, struct obl_error *err);
	int (*write)(struct obl_store *s, const struct obl_source_info *src,
		     const struct obl_batch *batch, struct obl_ingest_result *result,
		     struct obl_error *err);
	int (*groups)(struct obl_store *s, const struct obl_store_filter *filter,
		      struct obl_group **out, size_t *n, struct obl_error *err);
	int (*each_group)(struct obl_store *s, const struct obl_store_filter *filter,
			  enum obl_store_order order, obl_group_fn fn, void *ctx,
			  struct obl_error *err);
	int (*metric_names)(struct obl_store *s, char ***names, size_t *n, struct obl_error *err);
	int (*runs)(struct obl_store *s, char ***labels, size_t *n, struct obl_error *err);
	int (*run_tags)(struct obl_store *s, const char *run, struct obl_kv **tags, size_t *n,
			struct obl_error *err);
	int (*run_warnings)(struct obl_store *s, const char *run, char ***msgs, size_t *n,
			    struct obl_error *err);
	int (*run_list)(struct obl_store *s, struct obl_run_info **out, size_t *n,
			struct obl_error *err);
	int (*run_remove)(struct obl_store *s, const char *label, struct obl_error *err);
	int (*run_rename)(struct obl_store *s, const char *from, const char *to,
			  struct obl_error *err);
	/* A transaction around several writes (a merge of a whole database): SQLite makes each
	 * write inside it a savepoint, and the whole lands or not; PostgreSQL keeps each write
	 * its own transaction (a no-op here: see pg.c). */
	int (*transaction)(struct obl_store *s, enum obl_store_tx what, struct obl_error *err);
	/* Every stored file (of run `run`, or all if NULL), in the order of ingest, as a batch
	 * with its tags and warnings: what a merge copies, from either engine to either. */
	int (*each_source)(struct obl_store *s, const char *run, obl_source_skip_fn skip,
			   obl_source_fn fn, void *ctx, struct obl_error *err);
	/* *found = 1 if a file with this SHA-256 is stored (obl_store_write's duplicate). */
	int (*has_source)(struct obl_store *s, const char *sha256, int *found,
			  struct obl_error *err);
};

/* The front's view of an open store: the first member of every engine's structure. */
struct obl_store {
	const struct obl_store_ops *ops;
};

/* 1 if g has every scenario key of f with its value (the filter's run and metric are the
 * engines' own queries). */
int obl_store_filter_matches(const struct obl_group *g, const struct obl_store_filter *f);

/* qsort's comparison of group pointers (into one array, in run order) for OBL_ORDER_SERIES:
 * scenario, metric (as listings order them), then position, i.e. run. */
int obl_store_by_series(const void *a, const void *b);

/* A series of a store (OBL_ORDER_SERIES walks list them first): its ids in the engine, and
 * a group holding its scenario and metric, which obl_group_compare_series orders. */
struct obl_series_ref {
	struct obl_group g;
	long long scenario_id, metric_id;
};
/* qsort's comparison of struct obl_series_ref, in series order. */
int obl_store_by_series_ref(const void *a, const void *b);
void obl_series_refs_free(struct obl_series_ref *r, size_t n);

/* Why a store whose schema is `version` (negative: none, the database holding `tables`
 * tables) is not read by a build of schema `target`: not obl's, empty, newer, or older (one
 * obl-ingest upgrades it). a_database: "an SQLite database", "a PostgreSQL database". */
int obl_store_version_error(const char *name, const char *a_database, long long version,
			    long long tables, int target, struct obl_error *err);

/* Opens a SQLite store (sqlite.c): what obl_store_open does for a path. */
OBL_MUST_CHECK int obl_sqlite_open(const char *path, int mode, struct obl_store **out,
				   struct obl_error *err);
/* Opens a PostgreSQL store (pg.c): what obl_store_open does for a connection string. */
OBL_MUST_CHECK int obl_pg_open(const char *conninfo, int mode, struct obl_store **out,
			       struct obl_error *err);
/* The SQLite engine's each_source (merge.c: it reads an obl SQLite database as it always did). */
OBL_MUST_CHECK int obl_sqlite_each_source(struct obl_store *s, const char *run,
					  obl_source_skip_fn skip, obl_source_fn fn, void *ctx,
					  struct obl_error *err);

/* The bound on lock waits that obl_store_set_busy_timeout set, in seconds. */
double obl_store_busy_seconds(void);

/* The front's operations for the store's own files (merge.c). */
OBL_MUST_CHECK int obl_store_transaction(struct obl_store *s, enum obl_store_tx what,
					 struct obl_error *err);
OBL_MUST_CHECK int obl_store_each_source(struct obl_store *s, const char *run,
					 obl_source_skip_fn skip, obl_source_fn fn, void *ctx,
					 struct obl_error *err);
OBL_MUST_CHECK int obl_store_has_source(struct obl_store *s, const char *sha256, int *found,
					struct obl_error *err);

/* The text policy of the store, for every engine: labels, tags, scenario keys and values,
 * metric names and units are valid UTF-8 without control characters (tab and newline allowed
 * in tag values); text that breaks it is refused, naming the field. */
OBL_MUST_CHECK int obl_store_check_batch_text(const struct obl_source_info *src,
					      const struct obl_batch *batch, struct obl_error *err);
/* A new run label: valid text, not empty (OBL_EUSAGE). */
OBL_MUST_CHECK int obl_store_check_label(const char *label, struct obl_error *err);

#endif
