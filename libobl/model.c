/*
 * model.c - the batch a reader fills (see model.h) and the catalogue of canonical metrics.
 */
#include "model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const obl_kind_names[] = { "sample", "aggregate", "proportion", NULL };

static const struct obl_metric_info catalogue[] = {
	{ "ttft_ms", "ms", OBL_DIR_LOWER, OBL_KIND_SAMPLE },
	{ "tpot_ms", "ms", OBL_DIR_LOWER, OBL_KIND_SAMPLE },
	{ "itl_ms", "ms", OBL_DIR_LOWER, OBL_KIND_SAMPLE },
	{ "e2el_ms", "ms", OBL_DIR_LOWER, OBL_KIND_SAMPLE },
	{ "output_throughput_tok_s", "tok/s", OBL_DIR_HIGHER, OBL_KIND_AGGREGATE },
	{ "total_throughput_tok_s", "tok/s", OBL_DIR_HIGHER, OBL_KIND_AGGREGATE },
	{ "request_throughput_req_s", "req/s", OBL_DIR_HIGHER, OBL_KIND_AGGREGATE },
	{ "success_rate", "", OBL_DIR_HIGHER, OBL_KIND_PROPORTION },
	{ "peak_mem_gib", "GiB", OBL_DIR_LOWER, OBL_KIND_AGGREGATE },
	{ "load_time_s", "s", OBL_DIR_LOWER, OBL_KIND_AGGREGATE },
};

const struct obl_metric_info *obl_metric_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof catalogue / sizeof *catalogue; i++)
		if (!strcmp(catalogue[i].name, name))
			return &catalogue[i];
	return NULL;
}

static int has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

enum obl_metric_direction obl_metric_direction_of(const char *name, const char *unit)
{
	const struct obl_metric_info *m = obl_metric_lookup(name);
	if (m)
		return m->direction;
	unit = unit ? unit : "";
	if (has(name, "throughput") || has(name, "tok_s") || has(name, "per_s") ||
	    has(name, "goodput") || has(unit, "/s") || has(name, "accuracy") || has(name, "acc"))
		return OBL_DIR_HIGHER;
	if (has(name, "latency") || has(name, "time") || has(name, "ttft") || has(name, "_ms") ||
	    has(name, "mem") || !strcmp(unit, "ms") || !strcmp(unit, "s") || !strcmp(unit, "ns") ||
	    !strcmp(unit, "us") || !strcmp(unit, "GiB") || !strcmp(unit, "MiB"))
		return OBL_DIR_LOWER;
	return OBL_DIR_NONE;
}

void obl_batch_init(struct obl_batch *b)
{
	memset(b, 0, sizeof *b);
}

static void free_kvs(struct obl_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)kv[i].key);
		free((char *)kv[i].value);
	}
	free(kv);
}

void obl_batch_free(struct obl_batch *b)
{
	for (size_t t = 0; t < b->n_trials; t++) {
		struct obl_trial_data *trial = &b->trials[t];
		free_kvs(trial->scenario, trial->scenario_len);
		for (size_t s = 0; s < trial->n_series; s++) {
			free(trial->series[s].metric);
			free(trial->series[s].unit);
			obl_values_release(&trial->series[s].values);
		}
		free(trial->series);
	}
	free(b->trials);
	free_kvs(b->tags, b->n_tags);
	for (size_t i = 0; i < b->n_warnings; i++)
		free(b->warnings[i]);
	free(b->warnings);
	free(b->format);
	free(b->label);
	obl_batch_init(b);
}

struct obl_trial_data *obl_batch_trial(struct obl_batch *b)
{
	/* Capacity doubles (at powers of two), so that a file of 20 000 trials is not copied
	 * 20 000 times. */
	size_t n = b->n_trials;
	struct obl_trial_data *p = b->trials;
	if (n < 8 || !(n & (n - 1)))
		p = realloc(b->trials, (n < 8 ? 8 : 2 * n) * sizeof *p);
	if (!p)
		return NULL;
	b->trials = p;
	memset(&p[b->n_trials], 0, sizeof *p);
	return &p[b->n_trials++];
}

static int set_kv(struct obl_kv **kv, size_t *n, const char *key, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return OBL_ENOMEM;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*kv)[i].key, key)) {
			free((char *)(*kv)[i].value);
			(*kv)[i].value = v;
			return OBL_OK;
		}
	char *k = strdup(key);
	struct obl_kv *p = k ? realloc(*kv, (*n + 1) * sizeof *p) : NULL;
	if (!p) {
		free(k);
		free(v);
		return OBL_ENOMEM;
	}
	p[*n] = (struct obl_kv){ k, v };
	*kv = p;
	(*n)++;
	return OBL_OK;
}

int obl_trial_set_scenario(struct obl_trial_data *t, const char *key, const char *value)
{
	return set_kv(&t->scenario, &t->scenario_len, key, value);
}

int obl_batch_tag(struct obl_batch *b, const char *key, const char *value)
{
	return set_kv(&b->tags, &b->n_tags, key, value);
}

struct obl_series *obl_trial_series(struct obl_trial_data *t, const char *metric,
				    const char *unit, enum obl_metric_kind kind)
{
	struct obl_series *p = realloc(t->series, (t->n_series + 1) * sizeof *p);
	if (!p)
		return NULL;
	t->series = p;
	struct obl_series *s = &p[t->n_series];
	memset(s, 0, sizeof *s);
	const struct obl_metric_info *info = obl_metric_lookup(metric);
	s->metric = strdup(metric);
	s->unit = strdup(info ? info->unit : unit ? unit : "");
	if (!s->metric || !s->unit) {
		free(s->metric);
		free(s->unit);
		return NULL;
	}
	s->kind = info ? info->kind : kind;
	s->direction = obl_metric_direction_of(metric, s->unit);
	s->successes = s->trials = NAN;
	t->n_series++;
	return s;
}

void obl_batch_warn(struct obl_batch *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **p = realloc(b->warnings, (b->n_warnings + 1) * sizeof *p);
	if (!p)
		return;
	b->warnings = p;
	if ((p[b->n_warnings] = strdup(buf)))
		b->n_warnings++;
}
