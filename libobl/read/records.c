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
 * text of their scenario (interned), and each trial's series by metric (interned: the pointer
 * is the key). */
struct index {
	struct obl_hashmap trials;
	struct obl_hashmap *series; /* per trial, built when the trial is first looked into */
	size_t n_series, indexed_trials;
};

static void index_release(struct index *ix)
{
	obl_hashmap_release(&ix->trials);
	for (size_t i = 0; i < ix->n_series; i++)
		obl_hashmap_release(&ix->series[i]);
	free(ix->series);
}

static const char *canonical_of(struct obl_batch *b, const struct obl_kv *kv, size_t n)
{
	char *text = obl_scenario_canonical(kv, n);
	const char *interned = text ? obl_batch_intern(b, text, strlen(text)) : NULL;
	free(text);
	return interned;
}

static struct obl_trial_data *trial_for(struct obl_batch *b, struct index *ix,
					struct obl_kv *scen, size_t n)
{
	for (; ix->indexed_trials < b->n_trials; ix->indexed_trials++) { /* trials made before */
		const struct obl_trial_data *t = &b->trials[ix->indexed_trials];
		const char *c = canonical_of(b, t->scenario, t->scenario_len);
		if (!c || !obl_hashmap_put(&ix->trials, c, 0, ix->indexed_trials, NULL))
			return NULL;
	}
	const char *want = canonical_of(b, scen, n);
	if (!want)
		return NULL;
	size_t *at = obl_hashmap_get(&ix->trials, want, 0);
	if (at)
		return &b->trials[*at];
	struct obl_trial_data *t = obl_batch_trial(b);
	for (size_t i = 0; t && i < n; i++)
		if (obl_trial_set_scenario(t, scen[i].key, scen[i].value))
			return NULL;
	if (!t)
		return NULL;
	const char *have = canonical_of(b, t->scenario, t->scenario_len);
	if (!have || !obl_hashmap_put(&ix->trials, have, 0, b->n_trials - 1, NULL))
		return NULL;
	ix->indexed_trials = b->n_trials;
	return t;
}

/* The map of trial t's series by interned metric (made, with the series the trials have, when
 * first asked for). NULL when out of memory. */
static struct obl_hashmap *series_map(struct index *ix, struct obl_batch *b,
				      const struct obl_trial_data *t)
{
	size_t k = (size_t)(t - b->trials);
	if (k >= ix->n_series) {
		size_t want = k + 1 > 2 * ix->n_series ? k + 1 : 2 * ix->n_series;
		struct obl_hashmap *p = realloc(ix->series, want * sizeof *p);
		if (!p)
			return NULL;
		for (size_t i = ix->n_series; i < want; i++)
			obl_hashmap_init(&p[i]);
		size_t from = ix->n_series;
		ix->series = p;
		ix->n_series = want;
		for (size_t i = from; i < want && i < b->n_trials; i++) /* series made before */
			for (size_t q = 0; q < b->trials[i].n_series; q++)
				if (!obl_hashmap_put(&p[i], b->trials[i].series[q].metric, 0, q, NULL))
					return NULL;
	}
	return &ix->series[k];
}

int obl_records_to_batch(const struct obl_records *rs, const struct obl_read_options *opt,
			 const char *path, struct obl_batch *b, struct obl_error *err)
{
	struct obl_kv *scen = NULL;
	struct index ix = { 0 };
	obl_hashmap_init(&ix.trials);
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
			struct obl_hashmap *by_metric = series_map(&ix, b, t);
			const char *name = by_metric ? obl_batch_intern(b, metric, strlen(metric)) : NULL;
			size_t *q = name ? obl_hashmap_get(by_metric, name, 0) : NULL;
			if (q) {
				s = &t->series[*q];
			} else if (name) {
				s = obl_trial_series(t, metric, unit,
						     rs->single_object ? OBL_KIND_AGGREGATE
								       : OBL_KIND_SAMPLE);
				if (s && !obl_hashmap_put(by_metric, s->metric, 0, t->n_series - 1,
							  NULL))
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
