/*
 * records.c - flat records into a batch (rules in records.h).
 */
#include "records.h"

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

static struct obl_trial_data *trial_for(struct obl_batch *b, struct obl_kv *scen, size_t n)
{
	char *want = obl_scenario_canonical(scen, n);
	if (!want)
		return NULL;
	for (size_t t = 0; t < b->n_trials; t++) {
		char *have = obl_scenario_canonical(b->trials[t].scenario, b->trials[t].scenario_len);
		int same = have && !strcmp(have, want);
		free(have);
		if (same) {
			free(want);
			return &b->trials[t];
		}
	}
	free(want);
	struct obl_trial_data *t = obl_batch_trial(b);
	for (size_t i = 0; t && i < n; i++)
		if (obl_trial_set_scenario(t, scen[i].key, scen[i].value))
			return NULL;
	return t;
}

int obl_records_to_batch(const struct obl_records *rs, const struct obl_read_options *opt,
			 const char *path, struct obl_batch *b, struct obl_error *err)
{
	struct obl_kv *scen = NULL;
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
		struct obl_trial_data *t = trial_for(b, scen, ns);
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
			for (size_t q = 0; q < t->n_series; q++)
				if (!strcmp(t->series[q].metric, metric))
					s = &t->series[q];
			if (!s)
				s = obl_trial_series(t, metric, unit,
						     rs->single_object ? OBL_KIND_AGGREGATE
								       : OBL_KIND_SAMPLE);
			if (!s || obl_values_push(&s->values, f->number))
				rc = obl_error_set(err, OBL_ENOMEM, path, r->line, NULL,
						   "out of memory");
		}
	}
	free(scen);
	if (rc == OBL_ENOMEM && err->status == OBL_OK)
		obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	if (!rc && b->n_trials == 0)
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "no records");
	return rc;
}
