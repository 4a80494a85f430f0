/*
 * store.c - the store's front: the public functions of store.h, each passed to the engine
 * that opened the store (engine.h), and what is the same for every engine.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"

int obl_store_open(const char *path, int mode, struct obl_store **out, struct obl_error *err)
{
	return obl_sqlite_open(path, mode, out, err);
}

void obl_store_close(struct obl_store *s)
{
	if (s)
		s->ops->close(s);
}

int obl_store_check(struct obl_store *s, struct obl_strbuf *report, struct obl_error *err)
{
	return s->ops->check(s, report, err);
}

int obl_store_write(struct obl_store *s, const struct obl_source_info *src,
		    const struct obl_batch *batch, struct obl_ingest_result *result,
		    struct obl_error *err)
{
	return s->ops->write(s, src, batch, result, err);
}

int obl_store_groups(struct obl_store *s, const struct obl_store_filter *filter,
		     struct obl_group **out, size_t *n, struct obl_error *err)
{
	return s->ops->groups(s, filter, out, n, err);
}

int obl_store_each_group(struct obl_store *s, const struct obl_store_filter *filter,
			 enum obl_store_order order, obl_group_fn fn, void *ctx,
			 struct obl_error *err)
{
	return s->ops->each_group(s, filter, order, fn, ctx, err);
}

int obl_store_metric_names(struct obl_store *s, char ***names, size_t *n, struct obl_error *err)
{
	return s->ops->metric_names(s, names, n, err);
}

int obl_store_runs(struct obl_store *s, char ***labels, size_t *n, struct obl_error *err)
{
	return s->ops->runs(s, labels, n, err);
}

int obl_store_run_tags(struct obl_store *s, const char *run, struct obl_kv **tags, size_t *n,
		       struct obl_error *err)
{
	return s->ops->run_tags(s, run, tags, n, err);
}

int obl_store_run_warnings(struct obl_store *s, const char *run, char ***msgs, size_t *n,
			   struct obl_error *err)
{
	return s->ops->run_warnings(s, run, msgs, n, err);
}

int obl_store_run_list(struct obl_store *s, struct obl_run_info **out, size_t *n,
		       struct obl_error *err)
{
	return s->ops->run_list(s, out, n, err);
}

int obl_store_run_remove(struct obl_store *s, const char *label, struct obl_error *err)
{
	return s->ops->run_remove(s, label, err);
}

int obl_store_run_rename(struct obl_store *s, const char *from, const char *to,
			 struct obl_error *err)
{
	return s->ops->run_rename(s, from, to, err);
}

int obl_store_tag_is_provenance(const char *key)
{
	static const char *const provenance[] = { "date", "host", "host_name", "hostname", "executable",
						  "mhz_per_cpu" };
	for (size_t i = 0; i < sizeof provenance / sizeof *provenance; i++)
		if (!strcmp(key, provenance[i]))
			return 1;
	return 0;
}

void obl_ingest_result_release(struct obl_ingest_result *r)
{
	free(r->duplicate_of);
	free(r->duplicate_run);
	r->duplicate_of = NULL;
	r->duplicate_run = NULL;
}

void obl_run_info_free(struct obl_run_info *runs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(runs[i].label);
		free(runs[i].created);
		free(runs[i].tags);
		free(runs[i].last_ingest);
	}
	free(runs);
}
