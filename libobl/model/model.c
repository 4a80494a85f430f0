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
const char *const obl_direction_names[] = { "lower", "higher", "none", NULL };

enum obl_direction obl_direction_from_name(const char *s)
{
	for (int d = OBL_LOWER_IS_BETTER; d < OBL_DIRECTION_NONE; d++)
		if (!strcmp(s, obl_direction_names[d]))
			return (enum obl_direction)d;
	return OBL_DIRECTION_NONE;
}

static const struct obl_metric_info catalogue[] = {
	{ "ttft_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE },
	{ "tpot_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE },
	{ "itl_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE },
	{ "e2el_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE },
	{ "output_throughput_tok_s", "tok/s", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "total_throughput_tok_s", "tok/s", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "request_throughput_req_s", "req/s", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "success_rate", "", OBL_HIGHER_IS_BETTER, OBL_KIND_PROPORTION },
	{ "peak_mem_gib", "GiB", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "load_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	/* requests that failed, by kind where the file says (failed_requests_http_429, ...) */
	{ "failed_requests", "", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "max_output_throughput_tok_s", "tok/s", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "max_concurrent_requests", "", OBL_DIRECTION_NONE, OBL_KIND_AGGREGATE },
	/* speculative decoding (per-position rates: spec_decode_acceptance_rate_pct_posN) */
	{ "spec_decode_acceptance_rate_pct", "%", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "spec_decode_acceptance_length", "tok", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "spec_decode_drafts", "", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "spec_decode_draft_tokens", "tok", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "spec_decode_accepted_tokens", "tok", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	/* a quality score a serving benchmark reports beside its latencies (vllm-ascend) */
	{ "accuracy_rate_pct", "%", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	/* the engine's start-up (vLLM server log) */
	{ "weights_load_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "model_load_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "weights_mem_gib", "GiB", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "kv_cache_tokens", "tok", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "kv_cache_mem_gib", "GiB", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "max_concurrency_x", "x", OBL_HIGHER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "graph_capture_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "engine_init_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	/* GPU telemetry (GenAI-Perf, AIPerf, nvidia-smi): means over the run */
	{ "gpu_power_w", "W", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "gpu_energy_j", "J", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "gpu_mem_used_gib", "GiB", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
	{ "gpu_util_pct", "%", OBL_DIRECTION_NONE, OBL_KIND_AGGREGATE },
	/* AIPerf: time to first output (non-reasoning) token */
	{ "ttfo_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_AGGREGATE },
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

enum obl_direction obl_metric_direction_of(const char *name, const char *unit)
{
	const struct obl_metric_info *m = obl_metric_lookup(name);
	if (m)
		return m->direction;
	unit = unit ? unit : "";
	if (has(name, "throughput") || has(name, "tok_s") || has(name, "per_s") ||
	    has(name, "goodput") || has(unit, "/s") || has(name, "accuracy") || has(name, "acc"))
		return OBL_HIGHER_IS_BETTER;
	if (has(name, "latency") || has(name, "time") || has(name, "ttft") || has(name, "_ms") ||
	    has(name, "mem") || !strcmp(unit, "ms") || !strcmp(unit, "s") || !strcmp(unit, "ns") ||
	    !strcmp(unit, "us") || !strcmp(unit, "GiB") || !strcmp(unit, "MiB"))
		return OBL_LOWER_IS_BETTER;
	return OBL_DIRECTION_NONE;
}

void obl_batch_init(struct obl_batch *b)
{
	memset(b, 0, sizeof *b);
}

static void intern_free(struct obl_intern *in)
{
	for (size_t i = 0; i < in->n_blocks; i++)
		free(in->blocks[i]);
	free(in->blocks);
	free(in->strings);
	obl_hashmap_free(&in->map);
}

void obl_batch_free(struct obl_batch *b)
{
	for (size_t t = 0; t < b->n_trials; t++) {
		struct obl_trial_data *trial = &b->trials[t];
		free(trial->scenario);
		for (size_t s = 0; s < trial->n_series; s++)
			obl_values_release(&trial->series[s].values);
		free(trial->series);
	}
	free(b->trials);
	free(b->tags);
	for (size_t i = 0; i < b->n_warnings; i++)
		free(b->warnings[i]);
	free(b->warnings);
	free(b->format);
	free(b->label);
	intern_free(&b->strings);
	obl_batch_init(b);
}

/* The string sought, for the hash map's equality test. */
struct intern_key {
	const struct obl_intern *in;
	const char *s;
	size_t len;
};

static int intern_equal(const void *ctx, size_t item)
{
	const struct intern_key *k = ctx;
	const struct obl_intern_string *e = &k->in->strings[item];
	return e->len == k->len && !memcmp(e->s, k->s, k->len);
}

/* Room for one more string (0 when out of memory). */
static int intern_reserve(struct obl_intern *in)
{
	if (in->n_strings == in->strings_alloc) {
		size_t alloc = in->strings_alloc ? 2 * in->strings_alloc : 32;
		struct obl_intern_string *p = realloc(in->strings, alloc * sizeof *p);
		if (!p)
			return 0;
		in->strings = p;
		in->strings_alloc = alloc;
	}
	return !obl_hashmap_reserve(&in->map, in->n_strings + 1);
}

/* A NUL-terminated copy of s[0..len) in the blocks: 64 KiB each, or one string's size if
 * larger. */
static const char *intern_copy(struct obl_intern *in, const char *s, size_t len)
{
	enum { BLOCK = 64 << 10 };
	if (len + 1 > in->left) {
		size_t size = len + 1 > BLOCK ? len + 1 : BLOCK;
		char **blocks = realloc(in->blocks, (in->n_blocks + 1) * sizeof *blocks);
		if (!blocks)
			return NULL;
		in->blocks = blocks;
		if (!(in->next = blocks[in->n_blocks] = malloc(size))) {
			in->left = 0;
			return NULL;
		}
		in->n_blocks++;
		in->left = size;
	}
	char *copy = in->next;
	memcpy(copy, s, len);
	copy[len] = 0;
	in->next += len + 1;
	in->left -= len + 1;
	return copy;
}

const char *obl_batch_intern(struct obl_batch *b, const char *s, size_t len)
{
	struct obl_intern *in = &b->strings;
	if (!intern_reserve(in))
		return NULL;
	uint64_t hash = obl_hash_bytes(s, len);
	const struct intern_key key = { in, s, len };
	size_t found = obl_hashmap_get(&in->map, hash, intern_equal, &key);
	if (found != OBL_HASHMAP_NONE)
		return in->strings[found].s;
	const char *copy = intern_copy(in, s, len);
	if (!copy)
		return NULL;
	in->strings[in->n_strings] = (struct obl_intern_string){ copy, len };
	/* room was reserved: the put cannot fail, and the string is new */
	obl_hashmap_put(&in->map, hash, in->n_strings++, intern_equal, &key);
	return copy;
}

uint64_t obl_intern_hash(const char *a, const char *b)
{
	return obl_hash_words((uint64_t)(uintptr_t)a, (uint64_t)(uintptr_t)b);
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
	p[b->n_trials].batch = b;
	return &p[b->n_trials++];
}

static int set_kv(struct obl_batch *b, struct obl_kv **kv, size_t *n, const char *key,
		  const char *value)
{
	const char *v = obl_batch_intern(b, value, strlen(value));
	const char *k = v ? obl_batch_intern(b, key, strlen(key)) : NULL;
	if (!k)
		return OBL_ENOMEM;
	for (size_t i = 0; i < *n; i++)
		if ((*kv)[i].key == k) {
			(*kv)[i].value = v;
			return OBL_OK;
		}
	struct obl_kv *p = realloc(*kv, (*n + 1) * sizeof *p);
	if (!p)
		return OBL_ENOMEM;
	p[*n] = (struct obl_kv){ k, v };
	*kv = p;
	(*n)++;
	return OBL_OK;
}

int obl_trial_set_scenario(struct obl_trial_data *t, const char *key, const char *value)
{
	return set_kv(t->batch, &t->scenario, &t->scenario_len, key, value);
}

int obl_batch_tag(struct obl_batch *b, const char *key, const char *value)
{
	return set_kv(b, &b->tags, &b->n_tags, key, value);
}

struct obl_series *obl_trial_series(struct obl_trial_data *t, const char *metric,
				    const char *unit, enum obl_metric_kind kind)
{
	if (t->n_series == t->series_alloc) {
		/* Two first: a Google Benchmark row (a trial) has real and CPU time only, and a
		 * file of 10^4 benchmarks x 24 rows held 128 unused bytes per row. */
		size_t want = t->series_alloc ? 2 * t->series_alloc : 2;
		struct obl_series *p = realloc(t->series, want * sizeof *p);
		if (!p)
			return NULL;
		t->series = p;
		t->series_alloc = want;
	}
	struct obl_batch *b = t->batch;
	const char *m = obl_batch_intern(b, metric, strlen(metric));
	const char *u = m ? obl_batch_intern(b, unit ? unit : "", unit ? strlen(unit) : 0) : NULL;
	if (!u)
		return NULL;
	struct obl_series_memo *memo = &b->memo[(obl_intern_hash(m, u) + (uint64_t)kind) & 15];
	if (memo->metric != m || memo->unit_given != u || memo->kind_given != kind) {
		const struct obl_metric_info *info = obl_metric_lookup(m);
		const char *unit_used = info ? obl_batch_intern(b, info->unit, strlen(info->unit)) : u;
		if (!unit_used)
			return NULL;
		*memo = (struct obl_series_memo){ m, u, unit_used, kind, info ? info->kind : kind,
						  obl_metric_direction_of(m, unit_used) };
	}
	struct obl_series *s = &t->series[t->n_series++];
	memset(s, 0, sizeof *s);
	s->metric = m;
	s->unit = memo->unit;
	s->kind = memo->kind;
	s->direction = memo->direction;
	s->successes = s->trials = NAN;
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

void obl_kv_free(struct obl_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)kv[i].key);
		free((char *)kv[i].value);
	}
	free(kv);
}

char *obl_scenario_canonical(const struct obl_kv *kv, size_t n)
{
	/* Keys in order by insertion (scenarios have a handful), then one allocation: this runs
	 * for every trial of a file, 20 000 of them for a Google Benchmark run. */
	const struct obl_kv *small[16];
	const struct obl_kv **sorted = n <= 16 ? small : malloc(n * sizeof *sorted);
	if (!sorted)
		return NULL;
	size_t len = 1;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && strcmp(sorted[j - 1]->key, kv[i].key) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = &kv[i];
		len += strlen(kv[i].key) + strlen(kv[i].value) + 2;
	}
	char *out = malloc(len), *p = out;
	for (size_t i = 0; out && i < n; i++) {
		size_t kl = strlen(sorted[i]->key), vl = strlen(sorted[i]->value);
		if (i)
			*p++ = ';';
		memcpy(p, sorted[i]->key, kl);
		p += kl;
		*p++ = '=';
		memcpy(p, sorted[i]->value, vl);
		p += vl;
	}
	if (out)
		*p = 0;
	if (sorted != small)
		free(sorted);
	return out;
}
