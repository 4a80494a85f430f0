/*
 * store.c - the store's front: the public functions of store.h, each passed to the engine
 * that opened the store (engine.h), and what is the same for every engine.
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "utf8.h"

/* A path is an SQLite file; a PostgreSQL connection string (obl_store_is_server) a server. */
int obl_store_open(const char *path, int mode, struct obl_store **out, struct obl_error *err)
{
	if (obl_store_is_server(path))
		return obl_pg_open(path, mode, out, err);
	return obl_sqlite_open(path, mode, out, err);
}

int obl_store_transaction(struct obl_store *s, enum obl_store_tx what, struct obl_error *err)
{
	return s->ops->transaction(s, what, err);
}

int obl_store_each_source(struct obl_store *s, const char *run, obl_source_skip_fn skip,
			  obl_source_fn fn, void *ctx, struct obl_error *err)
{
	return s->ops->each_source(s, run, skip, fn, ctx, err);
}

int obl_store_has_source(struct obl_store *s, const char *sha256, int *found,
			 struct obl_error *err)
{
	return s->ops->has_source(s, sha256, found, err);
}

void obl_store_close(struct obl_store *s)
{
	if (s)
		s->ops->close(s);
}

void obl_store_discard_new(struct obl_store *s)
{
	if (s && s->ops->discard)
		s->ops->discard(s);
	else
		obl_store_close(s);
}

int obl_store_check(struct obl_store *s, struct obl_strbuf *report, struct obl_error *err)
{
	return s->ops->check(s, report, err);
}

/* Every value of the batch is finite: the readers refuse NaN and infinities in their input,
 * and a store that held one would be damaged (obl-schema(5)); a caller of the library is held
 * to the same rule before anything is written. */
static int check_batch_values(const struct obl_source_info *src, const struct obl_batch *batch,
			      struct obl_error *err)
{
	for (size_t t = 0; t < batch->n_trials; t++)
		for (size_t k = 0; k < batch->trials[t].n_series; k++) {
			const struct obl_series *se = &batch->trials[t].series[k];
			for (size_t i = 0; i < se->values.n; i++)
				if (!isfinite(se->values.v[i]))
					return obl_error_set(err, OBL_EINPUT, src->path, 0,
							     se->metric,
							     "value %zu is %s: obl stores finite "
							     "values only (nothing was written)",
							     i + 1,
							     isnan(se->values.v[i]) ? "NaN"
							     : se->values.v[i] > 0  ? "+infinity"
										    : "-infinity");
		}
	return OBL_OK;
}

int obl_store_write(struct obl_store *s, const struct obl_source_info *src,
		    const struct obl_batch *batch, struct obl_ingest_result *result,
		    struct obl_error *err)
{
	int rc = check_batch_values(src, batch, err);
	if (rc) {
		memset(result, 0, sizeof *result);
		return rc;
	}
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

/* One piece of text against the store's text policy (engine.h). */
static int check_text(const char *path, const char *what, const char *s, int tag_value,
		      struct obl_error *err)
{
	size_t at;
	uint32_t c;
	switch (obl_utf8_check(s, strlen(s), tag_value, &at, &c)) {
	case 1:
		return obl_error_set(err, OBL_EINPUT, path, 0, what,
				     "not valid UTF-8 (byte %zu, 0x%02X): obl stores text as UTF-8 "
				     "only",
				     at + 1, (unsigned)c);
	case 2:
		return obl_error_set(err, OBL_EINPUT, path, 0, what,
				     "contains a control character (0x%02X at byte %zu)",
				     (unsigned)c, at + 1);
	}
	return OBL_OK;
}

int obl_store_check_batch_text(const struct obl_source_info *src, const struct obl_batch *batch,
			       struct obl_error *err)
{
	int rc = check_text(src->path, "run label", src->label, 0, err);
	for (size_t i = 0; !rc && i < batch->n_tags; i++) {
		rc = check_text(src->path, "tag", batch->tags[i].key, 0, err);
		if (!rc)
			rc = check_text(src->path, batch->tags[i].key, batch->tags[i].value, 1, err);
	}
	for (size_t t = 0; !rc && t < batch->n_trials; t++) {
		const struct obl_trial_data *trial = &batch->trials[t];
		for (size_t k = 0; !rc && k < trial->scenario_len; k++) {
			rc = check_text(src->path, "scenario key", trial->scenario[k].key, 0, err);
			if (!rc)
				rc = check_text(src->path, trial->scenario[k].key,
						trial->scenario[k].value, 0, err);
		}
		for (size_t k = 0; !rc && k < trial->n_series; k++) {
			rc = check_text(src->path, "metric", trial->series[k].metric, 0, err);
			if (!rc && trial->series[k].unit)
				rc = check_text(src->path, "unit", trial->series[k].unit, 0, err);
		}
	}
	return rc;
}

int obl_store_check_label(const char *label, struct obl_error *err)
{
	int rc = check_text(NULL, "run label", label, 0, err);
	if (!rc && !label[0])
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "run label", "is empty");
	return rc;
}

int obl_store_filter_matches(const struct obl_group *g, const struct obl_store_filter *f)
{
	for (size_t i = 0; i < f->scenario_len; i++) {
		int ok = 0;
		for (size_t k = 0; k < g->scenario_len; k++)
			if (!strcmp(g->scenario[k].key, f->scenario[i].key) &&
			    !strcmp(g->scenario[k].value, f->scenario[i].value))
				ok = 1;
		if (!ok)
			return 0;
	}
	return 1;
}

int obl_store_by_series(const void *a, const void *b)
{
	const struct obl_group *g = *(const struct obl_group *const *)a;
	const struct obl_group *h = *(const struct obl_group *const *)b;
	int c = obl_group_compare_series(g, h);
	return c ? c : (g > h) - (g < h);
}

void obl_store_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int obl_store_by_series_ref(const void *a, const void *b)
{
	return obl_group_compare_series(&((const struct obl_series_ref *)a)->g,
					&((const struct obl_series_ref *)b)->g);
}

void obl_series_refs_free(struct obl_series_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		obl_group_release(&r[i].g);
	free(r);
}

int obl_store_version_error(const char *name, const char *a_database, long long version,
			    long long tables, int target, struct obl_error *err)
{
	if (version < 0)
		return tables ? obl_error_set(err, OBL_EINPUT, name, 0, NULL,
					      "%s, but not obl's (it has tables and no obl schema "
					      "version)",
					      a_database)
			      : obl_error_set(err, OBL_EINPUT, name, 0, NULL,
					      "an empty database: nothing was ingested into it");
	if (version > target)
		return obl_error_set(err, OBL_EINPUT, name, 0, NULL,
				     "schema version %lld is newer than this obl understands (%d): "
				     "use a newer obl",
				     version, target);
	return obl_error_set(err, OBL_EINPUT, name, 0, NULL,
			     "schema version %lld is older than this obl's (%d): one obl-ingest "
			     "into it upgrades it",
			     version, target);
}
