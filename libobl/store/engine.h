/*
 * engine.h - what a store engine provides behind store.h: an open store is an engine's own
 * structure whose first member is struct obl_store, and the public functions of store.h
 * dispatch through its table of operations. For the store layer's own files only.
 */
#ifndef OBL_STORE_ENGINE_H
#define OBL_STORE_ENGINE_H

#include "store.h"

struct obl_store_ops {
	const char *name; /* for messages: "SQLite" */
	void (*close)(struct obl_store *s);
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
};

/* The front's view of an open store: the first member of every engine's structure. */
struct obl_store {
	const struct obl_store_ops *ops;
};

/* Opens a SQLite store (sqlite.c): what obl_store_open does for a path. */
OBL_MUST_CHECK int obl_sqlite_open(const char *path, int mode, struct obl_store **out,
				   struct obl_error *err);

#endif
