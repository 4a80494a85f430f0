/*
 * records.c - flat records into a batch (rules in records.h).
 */
#include "records.h"
#include "hashmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int obl_record_add(struct obl_record *r, const char *name, const char *text, int is_number,
		   double number)
{
	struct obl_field *p = realloc(r->fields, (r->n + 1) * sizeof *p);
	if (!p)
		return OBL_ENOMEM;
	r->fields = p;
	p[r->n] = (struct obl_field){ strdup(name), strdup(text), is_number, number };
	if (!p[r->n].name || !p[r->n].text) {
		free(p[r->n].name);
		free(p[r->n].text);
		return OBL_ENOMEM;
	}
	r->n++;
	return OBL_OK;
}

struct obl_record *obl_records_new(struct obl_records *rs, long line)
{
	struct obl_record *p = realloc(rs->items, (rs->n + 1) * sizeof *p);
	if (!p)
		return NULL;
	rs->items = p;
	memset(&p[rs->n], 0, sizeof *p);
	p[rs->n].line = line;
	return &p[rs->n++];
}

void obl_records_free(struct obl_records *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t k = 0; k < rs->items[i].n; k++) {
			free(rs->items[i].fields[k].name);
			free(rs->items[i].fields[k].text);
		}
		free(rs->items[i].fields);
	}
	free(rs->items);
	memset(rs, 0, sizeof *rs);
}

static int is_scenario_name(const char *name)
{
	static const char *const keys[] = { "input_len", "output_len", "concurrency",
					    "request_rate", "dataset", "batch_size", "scenario",
					    NULL };
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(*k, name))
			return 1;
	return 0;
}

static const char *unit_of(const char *name)
{
	static const char *const suffix[][2] = { { "_tok_s", "tok/s" }, { "_req_s", "req/s" }, { "_ms", "ms" }, { "_us", "us" }, { "_ns", "ns" }, { "_s", "s" }, { "_gib", "GiB" }, { "_mib", "MiB" }, { "_pct", "%" } };
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		size_t k = strlen(suffix[i][0]);
		if (n > k && !strcmp(name + n - k, suffix[i][0]))
			return suffix[i][1];
	}
	return "";
}

/* What --column says of a field: NULL (nothing), or the mapping "METRIC[:UNIT]", "@KEY", "-". */
static const char *mapping(const struct obl_read_options *opt, const char *name)
{
	if (!opt || !opt->columns)
		return NULL;
	size_t n = strlen(name);
	for (size_t i = 0; i < opt->columns->n; i++) {
		const char *m = opt->columns->items[i];
		if (!strncmp(m, name, n) && m[n] == '=')
			return m + n + 1;
	}
	return NULL;
}

/* Lookups that keep a file of 10^6 columns or 10^5 scenarios linear: trials by the canonical
 * text of their scenario, and each trial's series by metric. Both keys are interned in the
 * batch, so a key is its pointer: equal keys are equal pointers. */
struct index {
	struct obl_batch *b;
	struct obl_hashmap trials; /* items: trial indices, keyed by canon[item] */
	const char **canon;        /* the interned canonical scenario of each indexed trial */
	size_t indexed_trials;
	struct obl_hashmap *series; /* per trial (items: series indices, keyed by metric) */
	size_t n_series;
};

struct key_sought {
	const struct index *ix;
	const char *key; /* interned */
	size_t trial;    /* for series: whose */
};

static uint64_t pointer_hash(const char *p)
{
	return obl_hash_words((uint64_t)(uintptr_t)p, 0);
}

static int trial_equal(const void *ctx, size_t item)
{
	const struct key_sought *k = ctx;
	return k->ix->canon[item] == k->key;
}

static int series_equal(const void *ctx, size_t item)
{
	const struct key_sought *k = ctx;
	return k->ix->b->trials[k->trial].series[item].metric == k->key;
}

static void index_release(struct index *ix)
{
	obl_hashmap_free(&ix->trials);
	for (size_t i = 0; i < ix->n_series; i++)
		obl_hashmap_free(&ix->series[i]);
	free(ix->series);
	free(ix->canon);
}

static const char *canonical_of(struct obl_batch *b, const struct obl_kv *kv, size_t n)
{
	char *text = obl_scenario_canonical(kv, n);
	const char *interned = text ? obl_batch_intern(b, text, strlen(text)) : NULL;
	free(text);
	return interned;
}

/* Indexes trials [ix->indexed_trials, b->n_trials); 0, or -1 when out of memory. */
static int index_trials(struct index *ix)
{
	struct obl_batch *b = ix->b;
	if (ix->indexed_trials == b->n_trials)
		return 0;
	const char **p = realloc(ix->canon, b->n_trials * sizeof *p);
	if (!p)
		return -1;
	ix->canon = p;
	for (; ix->indexed_trials < b->n_trials; ix->indexed_trials++) {
		const struct obl_trial_data *t = &b->trials[ix->indexed_trials];
		const char *c = canonical_of(b, t->scenario, t->scenario_len);
		if (!c)
			return -1;
		ix->canon[ix->indexed_trials] = c;
		struct key_sought k = { ix, c, 0 };
		if (obl_hashmap_put(&ix->trials, pointer_hash(c), ix->indexed_trials, trial_equal,
				    &k) == OBL_HASHMAP_NONE)
			return -1;
	}
	return 0;
}

static struct obl_trial_data *trial_for(struct index *ix, struct obl_kv *scen, size_t n)
{
	struct obl_batch *b = ix->b;
	if (index_trials(ix)) /* trials made before */
		return NULL;
	const char *want = canonical_of(b, scen, n);
	if (!want)
		return NULL;
	struct key_sought k = { ix, want, 0 };
	size_t at = obl_hashmap_get(&ix->trials, pointer_hash(want), trial_equal, &k);
	if (at != OBL_HASHMAP_NONE)
		return &b->trials[at];
	struct obl_trial_data *t = obl_batch_trial(b);
	for (size_t i = 0; t && i < n; i++)
		if (obl_trial_set_scenario(t, scen[i].key, scen[i].value))
			return NULL;
	if (!t || index_trials(ix))
		return NULL;
	return t;
}

/* The map of trial k's series by metric (made, with the series the trials have, when first
 * asked for). NULL when out of memory. */
static struct obl_hashmap *series_map(struct index *ix, size_t k)
{
	struct obl_batch *b = ix->b;
	if (k >= ix->n_series) {
		size_t want = k + 1 > 2 * ix->n_series ? k + 1 : 2 * ix->n_series;
		struct obl_hashmap *p = realloc(ix->series, want * sizeof *p);
		if (!p)
			return NULL;
		memset(p + ix->n_series, 0, (want - ix->n_series) * sizeof *p);
		size_t from = ix->n_series;
		ix->series = p;
		ix->n_series = want;
		for (size_t i = from; i < want && i < b->n_trials; i++) /* series made before */
			for (size_t q = 0; q < b->trials[i].n_series; q++) {
				struct key_sought key = { ix, b->trials[i].series[q].metric, i };
				if (obl_hashmap_put(&p[i], pointer_hash(key.key), q, series_equal,
						    &key) == OBL_HASHMAP_NONE)
					return NULL;
			}
	}
	return &ix->series[k];
}

int obl_records_to_batch(const struct obl_records *rs, const struct obl_read_options *opt,
			 const char *path, struct obl_batch *b, struct obl_error *err)
{
	struct obl_kv *scen = NULL;
	struct index ix = { 0 };
	ix.b = b;
	int rc = OBL_OK;
	for (size_t i = 0; !rc && i < rs->n; i++) {
		const struct obl_record *r = &rs->items[i];
		size_t ns = 0;
		free(scen);
		scen = malloc((r->n ? r->n : 1) * sizeof *scen);
		if (!scen)
			return obl_error_set(err, OBL_ENOMEM, path, r->line, NULL, "out of memory");
		for (size_t k = 0; k < r->n; k++) {
			const struct obl_field *f = &r->fields[k];
			const char *m = mapping(opt, f->name);
			if (m && m[0] == '@')
				scen[ns++] = (struct obl_kv){ m + 1, f->text };
			else if (!m && is_scenario_name(f->name))
				scen[ns++] = (struct obl_kv){ f->name, f->text };
		}
		struct obl_trial_data *t = trial_for(&ix, scen, ns);
		if (!t) {
			rc = obl_error_set(err, OBL_ENOMEM, path, r->line, NULL, "out of memory");
			break;
		}
		for (size_t k = 0; !rc && k < r->n; k++) {
			const struct obl_field *f = &r->fields[k];
			const char *m = mapping(opt, f->name);
			if ((m && (m[0] == '@' || !strcmp(m, "-"))) || (!m && is_scenario_name(f->name)))
				continue;
			if (!strcmp(f->name, "label") || !strcmp(f->name, "run")) {
				if (!b->label && !(b->label = strdup(f->text)))
					rc = OBL_ENOMEM;
				continue;
			}
			if (!f->is_number) {
				if (m)
					rc = obl_error_set(err, OBL_EINPUT, path, r->line, f->name,
							   "'%s' is not a number", f->text);
				else if (obl_batch_tag(b, f->name, f->text))
					rc = OBL_ENOMEM;
				continue;
			}
			if (!isfinite(f->number)) {
				rc = obl_error_set(err, OBL_EINPUT, path, r->line, f->name,
						   "not a finite number (%s)", f->text);
				continue;
			}
			/* names whole, however long: interned, never cut to a buffer */
			const char *full = m ? m : f->name;
			const char *colon = strchr(full, ':');
			const char *metric =
				obl_batch_intern(b, full, colon ? (size_t)(colon - full) : strlen(full));
			if (!metric) {
				rc = obl_error_set(err, OBL_ENOMEM, path, r->line, NULL,
						   "out of memory");
				continue;
			}
			const char *unit = colon ? colon + 1 : unit_of(metric);
			struct obl_series *s = NULL;
			size_t tk = (size_t)(t - b->trials);
			struct obl_hashmap *by_metric = series_map(&ix, tk);
			struct key_sought key = { &ix, NULL, tk };
			key.key = by_metric ? obl_batch_intern(b, metric, strlen(metric)) : NULL;
			size_t q = key.key ? obl_hashmap_get(by_metric, pointer_hash(key.key),
							     series_equal, &key)
					   : OBL_HASHMAP_NONE;
			if (q != OBL_HASHMAP_NONE) {
				s = &t->series[q];
			} else if (key.key) {
				s = obl_trial_series(t, metric, unit,
						     rs->single_object ? OBL_KIND_AGGREGATE
								       : OBL_KIND_SAMPLE);
				if (s && obl_hashmap_put(by_metric, pointer_hash(s->metric), t->n_series - 1,
							 series_equal, &key) == OBL_HASHMAP_NONE)
					s = NULL;
			}
			if (!s || obl_values_push(&s->values, f->number))
				rc = obl_error_set(err, OBL_ENOMEM, path, r->line, NULL,
						   "out of memory");
		}
	}
	free(scen);
	index_release(&ix);
	if (rc == OBL_ENOMEM && err->status == OBL_OK)
		obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	if (!rc && b->n_trials == 0)
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "no records");
	return rc;
}
