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
	static const char *const keys[] = { "input_len",  "output_len", "concurrency",
					    "request_rate", "dataset", "batch_size", "scenario",
					    NULL };
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(*k, name))
			return 1;
	return 0;
}

static const char *unit_of(const char *name)
{
	static const char *const suffix[][2] = { { "_tok_s", "tok/s" }, { "_req_s", "req/s" },
						 { "_ms", "ms" },	{ "_us", "us" },
						 { "_ns", "ns" },	{ "_s", "s" },
						 { "_gib", "GiB" },	{ "_mib", "MiB" },
						 { "_pct", "%" } };
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
 * text of their scenario (interned, so the pointer is the key), and the series of a trial with
 * more than a few by metric (interned too). */
struct index {
	struct obl_hashmap trials;  /* items: trial numbers; keys: canon[] */
	const char **canon;         /* per trial: its canonical scenario, interned */
	size_t n_canon, alloc_canon;
	struct obl_hashmap *series; /* per trial: items are series numbers (from 9 series on) */
	size_t n_series;
};

struct trial_key {
	const struct index *ix;
	const char *canon;
};

static int same_trial(const void *ctx, size_t item)
{
	const struct trial_key *k = ctx;
	return k->ix->canon[item] == k->canon;
}

struct series_key {
	const struct obl_trial_data *t;
	const char *metric;
};

static int same_series(const void *ctx, size_t item)
{
	const struct series_key *k = ctx;
	return k->t->series[item].metric == k->metric;
}

static uint64_t pointer_hash(const void *p)
{
	return obl_hash_words((uint64_t)(uintptr_t)p, 0);
}

static void index_release(struct index *ix)
{
	obl_hashmap_free(&ix->trials);
	free(ix->canon);
	for (size_t i = 0; i < ix->n_series; i++)
		obl_hashmap_free(&ix->series[i]);
	free(ix->series);
}

static const char *canonical_of(struct obl_batch *b, const struct obl_kv *kv, size_t n)
{
	char *text = obl_scenario_canonical(kv, n);
	const char *interned = text ? obl_batch_intern(b, text, strlen(text)) : NULL;
	free(text);
	return interned;
}

/* Indexes the trials of b not indexed yet; 0, or -1 when out of memory. */
static int index_trials(struct index *ix, struct obl_batch *b)
{
	for (; ix->n_canon < b->n_trials; ix->n_canon++) {
		if (ix->n_canon == ix->alloc_canon) {
			size_t want = ix->alloc_canon ? 2 * ix->alloc_canon : 64;
			const char **p = realloc(ix->canon, want * sizeof *p);
			if (!p)
				return -1;
			ix->canon = p;
			ix->alloc_canon = want;
		}
		const struct obl_trial_data *t = &b->trials[ix->n_canon];
		const char *c = canonical_of(b, t->scenario, t->scenario_len);
		ix->canon[ix->n_canon] = c;
		struct trial_key key = { ix, c };
		if (!c || obl_hashmap_put(&ix->trials, pointer_hash(c), ix->n_canon, same_trial, &key) ==
				  OBL_HASHMAP_NONE)
			return -1;
	}
	return 0;
}

static struct obl_trial_data *trial_for(struct obl_batch *b, struct index *ix,
					struct obl_kv *scen, size_t n)
{
	if (index_trials(ix, b)) /* trials made before */
		return NULL;
	const char *want = canonical_of(b, scen, n);
	if (!want)
		return NULL;
	struct trial_key key = { ix, want };
	size_t at = obl_hashmap_get(&ix->trials, pointer_hash(want), same_trial, &key);
	if (at != OBL_HASHMAP_NONE)
		return &b->trials[at];
	struct obl_trial_data *t = obl_batch_trial(b);
	for (size_t i = 0; t && i < n; i++)
		if (obl_trial_set_scenario(t, scen[i].key, scen[i].value))
			return NULL;
	if (!t || index_trials(ix, b))
		return NULL;
	return t;
}

/* The series of trial t for an interned metric name: its number, OBL_HASHMAP_NONE if it has
 * none yet, or OBL_HASHMAP_NONE - 1 when out of memory. A trial with a few series is scanned;
 * from 9 on, a table per trial is kept (made with the series it has). */
#define FEW_SERIES 8
static size_t series_of(struct index *ix, const struct obl_batch *b,
			const struct obl_trial_data *t, const char *metric)
{
	if (t->n_series <= FEW_SERIES) {
		for (size_t q = 0; q < t->n_series; q++)
			if (t->series[q].metric == metric)
				return q;
		return OBL_HASHMAP_NONE;
	}
	size_t k = (size_t)(t - b->trials);
	if (k >= ix->n_series) {
		size_t want = k + 1 > 2 * ix->n_series ? k + 1 : 2 * ix->n_series;
		struct obl_hashmap *p = realloc(ix->series, want * sizeof *p);
		if (!p)
			return OBL_HASHMAP_NONE - 1;
		memset(p + ix->n_series, 0, (want - ix->n_series) * sizeof *p);
		ix->series = p;
		ix->n_series = want;
	}
	struct obl_hashmap *m = &ix->series[k];
	for (size_t q = m->used; q < t->n_series; q++) { /* series added since */
		struct series_key key = { t, t->series[q].metric };
		if (obl_hashmap_put(m, pointer_hash(key.metric), q, same_series, &key) ==
		    OBL_HASHMAP_NONE)
			return OBL_HASHMAP_NONE - 1;
	}
	struct series_key key = { t, metric };
	return obl_hashmap_get(m, pointer_hash(metric), same_series, &key);
}

int obl_records_to_batch(const struct obl_records *rs, const struct obl_read_options *opt,
			 const char *path, struct obl_batch *b, struct obl_error *err)
{
	struct obl_kv *scen = NULL;
	struct index ix = { 0 };
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
		struct obl_trial_data *t = trial_for(b, &ix, scen, ns);
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
			char metric[256], unit[64] = "";
			snprintf(metric, sizeof metric, "%s", m ? m : f->name);
			char *colon = strchr(metric, ':');
			if (colon) {
				*colon = 0;
				snprintf(unit, sizeof unit, "%s", colon + 1);
			} else {
				snprintf(unit, sizeof unit, "%s", unit_of(metric));
			}
			struct obl_series *s = NULL;
			const char *name = obl_batch_intern(b, metric, strlen(metric));
			size_t q = name ? series_of(&ix, b, t, name) : OBL_HASHMAP_NONE - 1;
			if (q < OBL_HASHMAP_NONE - 1)
				s = &t->series[q];
			else if (q == OBL_HASHMAP_NONE)
				s = obl_trial_series(t, metric, unit,
						     rs->single_object ? OBL_KIND_AGGREGATE
								       : OBL_KIND_SAMPLE);
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
