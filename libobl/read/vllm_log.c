/*
 * vllm_log.c - a vLLM server's log (the output of `vllm serve`): the engine's start-up lines
 * become run metrics, what a quantized or otherwise changed candidate changes first.
 *
 * Wordings read (vLLM 0.7 to 0.2x, V0 and V1 engines; a line may carry a process prefix such
 * as "(Worker_TP0 pid=34322)" and a log prefix "INFO 05-06 20:59:57 [file.py:384]"):
 *   Loading weights took 24.84 seconds                      -> weights_load_time_s
 *   Model loading took 12.66 GiB memory and 31.657031 seconds
 *   Model loading took 7.64 GiB and 32.969258 seconds       -> weights_mem_gib, model_load_time_s
 *   Loading model weights took 67.7229 GB                   -> weights_mem_gib (GB read as GiB,
 *                                                              as vLLM computed it: bytes / 2^30)
 *   model weights take 21.21GiB; ...                        -> weights_mem_gib
 *   Available KV cache memory: 17.36 GiB                    -> kv_cache_mem_gib
 *   GPU KV cache size: 188,640 tokens                       -> kv_cache_tokens
 *   Maximum concurrency for 131,072 tokens per request: 5.23x -> max_concurrency_x (and the
 *                                                              tag max_model_len)
 *   Graph capturing finished in 37 secs, took 0.45 GiB      -> graph_capture_time_s
 *   init engine (profile, create kv cache, warmup model) took 90.84 seconds
 *                                                           -> engine_init_time_s
 * With several workers (tensor parallelism) each prints its own line: the largest value is
 * kept (the engine waits for its slowest worker; memory is per GPU). The engine's version and
 * its configuration line (model, dtype, quantization, tensor_parallel_size, ...) give run tags.
 * The scenario is empty: these describe the run, not a load.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static const char *const markers[] = { "Loading weights took", "Model loading took",
				       "Loading model weights took", "GPU KV cache size:",
				       "init engine (profile, create kv cache, warmup model) took" };

static int detect(const struct obl_file *f)
{
	char c = obl_first_char(f);
	if (c == '{' || c == '[')
		return 0;
	for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
		if (obl_contains(f, markers[i]))
			return 80;
	return 0;
}

enum { W_LOAD,
       M_LOAD,
       W_MEM,
       KV_MEM,
       KV_TOKENS,
       MAX_CONC,
       GRAPH,
       INIT,
       N_FIGURES };
static const char *const figure_metric[N_FIGURES][2] = {
	{ "weights_load_time_s", "s" },
	{ "model_load_time_s", "s" },
	{ "weights_mem_gib", "GiB" },
	{ "kv_cache_mem_gib", "GiB" },
	{ "kv_cache_tokens", "tok" },
	{ "max_concurrency_x", "x" },
	{ "graph_capture_time_s", "s" },
	{ "engine_init_time_s", "s" },
};

/* The number at s ("188,640", "12.66"), thousands separators skipped; *end after it. */
static int number(const char *s, const char *eol, double *v, const char **end)
{
	char buf[64];
	size_t n = 0;
	while (s < eol && *s == ' ')
		s++;
	while (s < eol && n + 1 < sizeof buf &&
	       ((*s >= '0' && *s <= '9') || *s == '.' || (*s == ',' && n > 0 && s + 1 < eol && s[1] >= '0' && s[1] <= '9'))) {
		if (*s != ',')
			buf[n++] = *s;
		s++;
	}
	buf[n] = 0;
	if (end)
		*end = s;
	return n > 0 && !obl_parse_double(buf, buf + n, v);
}

/* The text right after needle in [p, eol), or NULL. */
static const char *after(const char *p, const char *eol, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *q = p; q + n <= eol; q++)
		if (*q == needle[0] && !memcmp(q, needle, n))
			return q + n;
	return NULL;
}

static void keep(double *fig, int *seen, int k, double v)
{
	if (!seen[k] || v > fig[k])
		fig[k] = v;
	seen[k] = 1;
}

/* key=value pairs of the engine's configuration line, as tags. */
static int config_tags(struct obl_batch *b, const char *p, const char *eol)
{
	static const char *const keys[][2] = {
		{ "model=", "model" },
		{ "dtype=", "dtype" },
		{ "quantization=", "quantization" },
		{ "tensor_parallel_size=", "tensor_parallel_size" },
		{ "pipeline_parallel_size=", "pipeline_parallel_size" },
		{ "kv_cache_dtype=", "kv_cache_dtype" },
		{ "enforce_eager=", "enforce_eager" },
		{ "max_seq_len=", "max_seq_len" },
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *v = NULL;
		/* the key at a word start (not "tokenizer_model=" for "model=") */
		for (const char *q = p; q < eol; q++) {
			q = after(q, eol, keys[i][0]);
			if (!q)
				break;
			size_t kl = strlen(keys[i][0]);
			if (q - kl == p || q[-(long)kl - 1] == ' ' || q[-(long)kl - 1] == '(') {
				v = q;
				break;
			}
		}
		if (!v)
			continue;
		const char *e = v;
		if (*v == '\'') {
			v++;
			e = memchr(v, '\'', (size_t)(eol - v));
			if (!e)
				continue;
		} else {
			while (e < eol && *e != ',' && *e != ')' && *e != ' ')
				e++;
		}
		const char *value = obl_batch_intern(b, v, (size_t)(e - v));
		if (!value || obl_batch_tag(b, keys[i][1], value))
			return OBL_ENOMEM;
	}
	return OBL_OK;
}

static int read_vllm_log(const struct obl_file *f, const struct obl_read_options *opt,
			 struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	double fig[N_FIGURES] = { 0 };
	int seen[N_FIGURES] = { 0 };
	const char *p = f->data, *end = f->data + f->len;
	int rc = OBL_OK;
	while (!rc && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *s;
		double v, w;
		if ((s = after(p, eol, "Loading weights took")) && number(s, eol, &v, NULL)) {
			keep(fig, seen, W_LOAD, v);
		} else if ((s = after(p, eol, "Model loading took")) && number(s, eol, &v, &s)) {
			/* "12.66 GiB memory and 31.657031 seconds", "7.64 GiB and 32.97 seconds" */
			const char *and = after(s, eol, " and ");
			keep(fig, seen, W_MEM, v);
			if (and&&number(and, eol, &w, NULL))
				keep(fig, seen, M_LOAD, w);
		} else if ((s = after(p, eol, "Loading model weights took")) &&
			   number(s, eol, &v, NULL)) {
			keep(fig, seen, W_MEM, v);
		} else if ((s = after(p, eol, "model weights take")) && number(s, eol, &v, NULL)) {
			keep(fig, seen, W_MEM, v);
		} else if ((s = after(p, eol, "Available KV cache memory:")) &&
			   number(s, eol, &v, NULL)) {
			keep(fig, seen, KV_MEM, v);
		} else if ((s = after(p, eol, "GPU KV cache size:")) && number(s, eol, &v, NULL)) {
			keep(fig, seen, KV_TOKENS, v);
		} else if ((s = after(p, eol, "Maximum concurrency for")) &&
			   number(s, eol, &w, &s) && (s = after(s, eol, "per request:")) &&
			   number(s, eol, &v, NULL)) {
			keep(fig, seen, MAX_CONC, v);
			char buf[32];
			snprintf(buf, sizeof buf, "%.15g", w);
			if (obl_batch_tag(b, "max_model_len", buf))
				rc = OBL_ENOMEM;
		} else if ((s = after(p, eol, "Graph capturing finished in")) &&
			   number(s, eol, &v, NULL)) {
			keep(fig, seen, GRAPH, v);
		} else if ((s = after(p, eol, "init engine (profile, create kv cache, warmup model) took")) &&
			   number(s, eol, &v, NULL)) {
			keep(fig, seen, INIT, v);
		} else if ((s = after(p, eol, "vLLM API server version "))) {
			const char *e = s;
			while (e < eol && *e != ' ' && *e != '\r')
				e++;
			const char *version = obl_batch_intern(b, s, (size_t)(e - s));
			if (!version || obl_batch_tag(b, "vllm_version", version))
				rc = OBL_ENOMEM;
		} else if (after(p, eol, "LLM engine (v") && after(p, eol, "with config:")) {
			rc = config_tags(b, after(p, eol, "with config:"), eol);
		}
		p = eol + 1;
	}
	struct obl_trial_data *t = rc ? NULL : obl_batch_trial(b);
	if (!rc && !t)
		rc = OBL_ENOMEM;
	int any = 0;
	for (int k = 0; !rc && k < N_FIGURES; k++) {
		if (!seen[k])
			continue;
		any = 1;
		struct obl_series *s = obl_trial_series(t, figure_metric[k][0], figure_metric[k][1],
							OBL_KIND_AGGREGATE);
		if (!s || obl_values_push(&s->values, fig[k]))
			rc = OBL_ENOMEM;
	}
	if (!rc && !any)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "a vLLM log without start-up figures (looked for: Loading "
				   "weights took, Model loading took, GPU KV cache size, Maximum "
				   "concurrency, init engine ... took)");
	return rc;
}

const struct obl_reader obl_reader_vllm_log = {
	"vllm-log",
	"vLLM server log: start-up figures (load time, weight memory, KV cache, concurrency)",
	detect,
	read_vllm_log,
	NULL,
};
