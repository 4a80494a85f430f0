/*
 * read_vllm.c - vLLM's serving benchmark results (`vllm bench serve --save-result`, and the
 * older benchmarks/benchmark_serving.py): one file is one repetition of one scenario.
 *
 * With the per-request arrays present (ttfts, itls, input_lens, output_lens, errors), the
 * samples are the requests: TTFT and ITL as measured (seconds in the file, milliseconds
 * stored), TPOT and E2EL derived per request as vLLM defines them (E2EL = TTFT + sum of ITLs;
 * TPOT = sum of ITLs / (output tokens - 1)), failed requests counted into success_rate and
 * kept out of the latencies. The file's own summaries (mean_ttft_ms, p99_itl_ms, ...) are then
 * recomputed from the raw values and a disagreement beyond their printed rounding is reported
 * as a warning: a free check on the input. Without the arrays, the summaries themselves are
 * stored, one value per repetition.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "reader.h"

static int detect(const struct obl_file *f)
{
	char c = obl_first_char(f);
	if (c != '{' && c != '[')
		return 0;
	int summary = obl_contains(f, "\"mean_ttft_ms\"") || obl_contains(f, "\"ttfts\"");
	int throughput = obl_contains(f, "\"request_throughput\"") ||
			 obl_contains(f, "\"output_throughput\"");
	return summary && throughput ? 90 : 0;
}

/* Per-request latencies: the four canonical request-level metrics vLLM summarises. */
enum { TTFT,
       TPOT,
       ITL,
       E2EL,
       N_LATENCY };
static const char *const latency_name[N_LATENCY] = { "ttft", "tpot", "itl", "e2el" };
static const char *const latency_metric[N_LATENCY] = { "ttft_ms", "tpot_ms", "itl_ms", "e2el_ms" };

/* Decimal places of the number token at node: its printed precision. */
static int decimals_of(const struct obl_json *doc, size_t node)
{
	const char *s = doc->text + obl_json_start(doc, node), *e = doc->text + obl_json_end(doc, node);
	const char *dot = memchr(s, '.', (size_t)(e - s));
	if (!dot)
		return 0;
	const char *exp = dot;
	while (exp < e && *exp != 'e' && *exp != 'E')
		exp++;
	int d = (int)(exp - dot - 1);
	if (exp < e)
		d -= atoi(exp + 1);
	return d;
}

/* Compares the file's summary `key` with our value; warns beyond rounding. */
static void check_summary(const struct obl_json *doc, size_t root, struct obl_batch *batch,
			  const char *key,
			  double ours, double rel)
{
	size_t v = obl_json_get(doc, root, key);
	double theirs;
	if (!v || obl_json_number(doc, v, &theirs) || !isfinite(ours) || !isfinite(theirs))
		return;
	int d = decimals_of(doc, v);
	/* A value printed in full (Python repr, ~16 digits) is allowed a relative 1e-9 for the
	 * summation order; one printed with d decimals, half a unit in its last place. */
	double tol = d >= 12 ? 1e-9 * fmax(fabs(theirs), 1e-9) : 0.5 * pow(10, -d) * (1 + 1e-9);
	tol = fmax(tol, rel * fabs(theirs));
	if (fabs(ours - theirs) > tol) {
		long line, column;
		obl_json_position(doc, obl_json_start(doc, v), &line, &column);
		obl_batch_warn(batch,
			       "%s:%ld:%ld: '%s' is %.10g in the file, %.10g recomputed from the "
			       "per-request values",
			       doc->path, line, column, key, theirs, ours);
	}
}

enum { MAX_PERCENTILES = 64 };

/* numpy's mean, median, std (ddof 0) and percentile (linear, type 7). Percentiles all at once
 * and without a copy (stats_quantiles_keep): for 25 million ITLs a copy was a third of the
 * file's size in memory, and a selection a pass over it per percentile. */
static void check_all(const struct obl_json *doc, size_t root, struct obl_batch *batch, int which,
		      struct obl_values *v)
{
	if (v->n == 0)
		return;
	long double sum = 0;
	for (size_t i = 0; i < v->n; i++)
		sum += v->v[i];
	double mean = (double)(sum / v->n);
	long double ss = 0;
	for (size_t i = 0; i < v->n; i++)
		ss += ((long double)v->v[i] - mean) * ((long double)v->v[i] - mean);
	/* TTFT and ITL are in the file as measured: only the summation order differs (1e-9).
	 * vLLM derives TPOT and E2EL from each request's end-to-end latency, which the file does
	 * not hold; obl from the sum of its ITLs, which is shorter by the time between the last
	 * token and the request's end: relative differences up to about 1e-6 on the 70B ShareGPT
	 * run are that, not an error in the file (1e-5 allowed). */
	double rel = which == TPOT || which == E2EL ? 1e-5 : 1e-9;
	char key[64];
	snprintf(key, sizeof key, "mean_%s_ms", latency_name[which]);
	check_summary(doc, root, batch, key, mean, rel);
	snprintf(key, sizeof key, "std_%s_ms", latency_name[which]);
	check_summary(doc, root, batch, key, sqrt((double)(ss / v->n)), rel);
	/* The median, then every pXX_<name>_ms key of the file, in the file's order. */
	double p[MAX_PERCENTILES], q[MAX_PERCENTILES];
	size_t key_node[MAX_PERCENTILES], np = 0;
	p[np++] = 0.5;
	char suffix[32];
	snprintf(suffix, sizeof suffix, "_%s_ms", latency_name[which]);
	size_t sl = strlen(suffix);
	for (size_t m = obl_json_first(doc, root); m && np < MAX_PERCENTILES;
	     m = obl_json_next_sibling(doc, root, m)) {
		size_t k = obl_json_key_of(doc, m);
		const char *ks = doc->text + obl_json_start(doc, k) + 1;
		size_t kl = obl_json_end(doc, k) - obl_json_start(doc, k) - 2;
		if (kl <= sl + 1 || ks[0] != 'p' || memcmp(ks + kl - sl, suffix, sl) || kl >= 48)
			continue;
		char pct[48];
		memcpy(pct, ks + 1, kl - sl - 1);
		pct[kl - sl - 1] = 0;
		char *end;
		double pc = strtod(pct, &end);
		if (*end || !(pc >= 0 && pc <= 100))
			continue;
		key_node[np] = k;
		p[np++] = pc / 100;
	}
	if (stats_quantiles_keep(v->v, v->n, p, np, 7, q) != STATS_OK)
		return;
	snprintf(key, sizeof key, "median_%s_ms", latency_name[which]);
	check_summary(doc, root, batch, key, q[0], rel);
	for (size_t i = 1; i < np; i++) {
		size_t k = key_node[i], kl = obl_json_end(doc, k) - obl_json_start(doc, k) - 2;
		memcpy(key, doc->text + obl_json_start(doc, k) + 1, kl);
		key[kl] = 0;
		check_summary(doc, root, batch, key, q[i], rel);
	}
}

static int add_aggregate(struct obl_trial_data *t, const struct obl_json *doc, size_t root,
			 const char *key,
			 const char *metric, const char *unit, struct obl_error *err)
{
	double v;
	int present;
	int rc = obl_json_get_number(doc, root, key, &v, &present, err);
	if (rc || !present)
		return rc;
	if (!isfinite(v))
		return obl_json_error(doc, obl_json_get(doc, root, key), err, key,
				      "not a finite number");
	struct obl_series *s = obl_trial_series(t, metric, unit, OBL_KIND_AGGREGATE);
	if (!s || obl_values_push(&s->values, v))
		return obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	return OBL_OK;
}

/* The number member key, if present, as scenario key `name`. */
static int number_key(const struct obl_json *doc, size_t root, struct obl_trial_data *t, const char *key,
		      const char *name, double *v, struct obl_error *err)
{
	int present;
	int rc = obl_json_get_number(doc, root, key, v, &present, err);
	if (rc || !present)
		return rc;
	char buf[64];
	snprintf(buf, sizeof buf, "%.15g", *v);
	return obl_trial_set_scenario(t, name, buf) ? OBL_ENOMEM : OBL_OK;
}

static int scenario_has(const struct obl_trial_data *t, const char *key)
{
	for (size_t i = 0; i < t->scenario_len; i++)
		if (!strcmp(t->scenario[i].key, key))
			return 1;
	return 0;
}

/* A run where no request succeeded measured no latency; say so, and that its output length
 * (from the requests' outputs) is unknown when it is. */
static void warn_none_ok(struct obl_batch *b, const char *path, double failed, double attempted,
			 const struct obl_trial_data *t, int has_out)
{
	obl_batch_warn(b, "%s: no request succeeded (%g of %g failed): no latency or throughput "
			  "is stored, only the success rate%s",
		       path, failed, attempted,
		       has_out && !scenario_has(t, "output_len")
			       ? "; the output length is unknown (give -s output_len=N to compare it "
				 "with runs of that scenario)"
			       : "");
}

/* The scenario (the load): lengths when every request has the same, concurrency, request
 * rate, the number of prompts when all are sent at once, burstiness other than 1, and swept
 * server parameters. Everything else is run configuration (tags) or provenance (date). */
static int read_scenario(const struct obl_json *doc, size_t root, struct obl_trial_data *t,
			 const struct obl_values *in, const struct obl_values *out,
			 struct obl_error *err)
{
	char buf[64];
	const struct obl_values *lens[2] = { in, out };
	const char *names[2] = { "input_len", "output_len" };
	for (int k = 0; k < 2; k++) {
		/* A failed request generated nothing: its output length of 0 says nothing of the
		 * workload, so the lengths of the others decide (one failure must not make a
		 * scenario of its own; a run where all failed has no known output length). */
		const struct obl_values *v = lens[k];
		double first = NAN;
		int same = 1;
		for (size_t i = 0; same && i < v->n; i++) {
			if (k == 1 && v->v[i] <= 0)
				continue;
			if (isnan(first))
				first = v->v[i];
			else
				same = v->v[i] == first;
		}
		if (same && !isnan(first)) {
			snprintf(buf, sizeof buf, "%.15g", first);
			if (obl_trial_set_scenario(t, names[k], buf))
				return OBL_ENOMEM;
		}
	}
	double c;
	int present;
	int rc = obl_json_get_number(doc, root, "max_concurrency", &c, &present, err);
	if (rc)
		return rc;
	if (present) {
		snprintf(buf, sizeof buf, "%.15g", c);
		if (obl_trial_set_scenario(t, "concurrency", buf))
			return OBL_ENOMEM;
	}
	struct obl_strbuf rate;
	obl_strbuf_init(&rate);
	rc = obl_json_get_text(doc, root, "request_rate", &rate, &present, err);
	size_t rate_node = obl_json_get(doc, root, "request_rate");
	double rate_v;
	if (!rc && present && doc->nodes[rate_node].type == OBL_JSON_NUMBER &&
	    !obl_json_number(doc, rate_node, &rate_v) && isfinite(rate_v)) {
		/* 4.0 and 4 are one load, as other formats write it */
		obl_strbuf_reset(&rate);
		obl_strbuf_addf(&rate, "%.15g", rate_v);
	}
	int unlimited = present && !strcmp(rate.buf, "inf");
	/* An unlimited rate with a concurrency cap says nothing more: leave it out. */
	size_t cap0 = obl_json_get(doc, root, "max_concurrency");
	if (!rc && present && !(unlimited && t->scenario_len && cap0 && doc->nodes[cap0].type != OBL_JSON_NULL))
		rc = obl_trial_set_scenario(t, "request_rate", rate.buf) ? OBL_ENOMEM : OBL_OK;
	obl_strbuf_release(&rate);
	if (rc)
		return rc;
	/* All requests sent at once, no concurrency cap: their number is the load. */
	double num;
	size_t cap = obl_json_get(doc, root, "max_concurrency");
	if (unlimited && (!cap || doc->nodes[cap].type == OBL_JSON_NULL) &&
	    (rc = number_key(doc, root, t, "num_prompts", "num_prompts", &num, err)))
		return rc;
	/* Arrivals other than Poisson (burstiness 1) at a finite rate are another load. */
	double burst;
	if (!unlimited && !(rc = obl_json_get_number(doc, root, "burstiness", &burst, &present, err)) &&
	    present && burst != 1 && (rc = number_key(doc, root, t, "burstiness", "burstiness", &num, err)))
		return rc;
	/* Server parameters a `vllm bench sweep serve` varied (run=N.json carries them). */
	static const char *const serve[] = { "max_num_seqs", "max_num_batched_tokens" };
	for (size_t i = 0; !rc && i < sizeof serve / sizeof *serve; i++)
		rc = number_key(doc, root, t, serve[i], serve[i], &num, err);
	return rc;
}

static int tags(const struct obl_json *doc, size_t root, struct obl_batch *b,
		struct obl_error *err)
{
	static const char *const keys[][2] = {
		{ "backend", "backend" },
		{ "model_id", "model" },
		{ "tokenizer_id", "tokenizer" },
		{ "date", "date" },
		{ "endpoint_type", "endpoint" },
	};
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK, present;
	for (size_t i = 0; !rc && i < sizeof keys / sizeof *keys; i++) {
		rc = obl_json_get_text(doc, root, keys[i][0], &sb, &present, err);
		if (!rc && present && obl_batch_tag(b, keys[i][1], sb.buf))
			rc = OBL_ENOMEM;
	}
	if (!rc) {
		rc = obl_json_get_text(doc, root, "label", &sb, &present, err);
		if (!rc && present && sb.buf[0] && !(b->label = strdup(sb.buf)))
			rc = OBL_ENOMEM;
	}
	/* Other text and true/false members: `--metadata KEY=VALUE` and tool additions (model
	 * name, hardware, quantization, ...), run configuration under their own names. */
	for (size_t m = obl_json_first(doc, root); !rc && m; m = obl_json_next_sibling(doc, root, m)) {
		int type = doc->nodes[m].type;
		if (type != OBL_JSON_STRING && type != OBL_JSON_TRUE && type != OBL_JSON_FALSE)
			continue;
		obl_strbuf_reset(&sb);
		obl_json_string(doc, obl_json_key_of(doc, m), &sb);
		int known = !strcmp(sb.buf, "label") || !strcmp(sb.buf, "request_rate");
		for (size_t i = 0; !known && i < sizeof keys / sizeof *keys; i++)
			known = !strcmp(sb.buf, keys[i][0]);
		if (known || !sb.buf[0])
			continue;
		const char *key = obl_batch_intern(b, sb.buf, sb.len);
		obl_strbuf_reset(&sb);
		if (type == OBL_JSON_STRING)
			obl_json_string(doc, m, &sb);
		else
			obl_strbuf_addstr(&sb, type == OBL_JSON_TRUE ? "true" : "false");
		if (!key || obl_strbuf_failed(&sb) || obl_batch_tag(b, key, sb.buf))
			rc = OBL_ENOMEM;
	}
	obl_strbuf_release(&sb);
	return rc;
}

static int read_one(const struct obl_json *doc, size_t root, struct obl_batch *b,
		    struct obl_error *err)
{
	int rc = OBL_OK;
	struct obl_values ttfts = { 0 }, in_lens = { 0 }, out_lens = { 0 }, itl = { 0 };
	struct obl_values lat[N_LATENCY] = { { 0 } };
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	struct obl_trial_data *t = NULL;
	int none_ok = 0; /* no request succeeded */
	if (doc->nodes[root].type != OBL_JSON_OBJECT) {
		rc = obl_json_error(doc, root, err, NULL, "expected a JSON object (a vLLM result)");
		goto done;
	}
	if ((rc = tags(doc, root, b, err)))
		goto done;
	t = obl_batch_trial(b);
	if (!t) {
		rc = OBL_ENOMEM;
		goto done;
	}
	int has_ttfts, has_in, has_out;
	if ((rc = obl_json_get_numbers(doc, root, "ttfts", &ttfts, &has_ttfts, err)) ||
	    (rc = obl_json_get_numbers(doc, root, "input_lens", &in_lens, &has_in, err)) ||
	    (rc = obl_json_get_numbers(doc, root, "output_lens", &out_lens, &has_out, err)))
		goto done;
	if ((rc = read_scenario(doc, root, t, &in_lens, &out_lens, err)))
		goto done;

	size_t itls = obl_json_get(doc, root, "itls"), errors = obl_json_get(doc, root, "errors");
	size_t n = ttfts.n;
	if (has_ttfts) {
		/* Every per-request array must have one entry per request. */
		struct {
			const char *name;
			size_t node;
		} arrays[] = { { "itls", itls },
			       { "input_lens", obl_json_get(doc, root, "input_lens") },
			       { "output_lens", obl_json_get(doc, root, "output_lens") },
			       { "errors", errors } };
		for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++) {
			size_t node = arrays[k].node;
			if (!node || doc->nodes[node].type == OBL_JSON_NULL)
				continue;
			if (doc->nodes[node].type != OBL_JSON_ARRAY) {
				rc = obl_json_error(doc, node, err, arrays[k].name,
						    "expected an array, got %s",
						    obl_json_type_name(doc->nodes[node].type));
				goto done;
			}
			if (doc->nodes[node].count != n) {
				rc = obl_json_error(doc, node, err, arrays[k].name,
						    "has %u entries but 'ttfts' has %zu: the "
						    "per-request arrays must have equal length",
						    doc->nodes[node].count, n);
				goto done;
			}
		}
		if (itls && doc->nodes[itls].packed && n > 0) {
			rc = obl_json_error(doc, itls, err, "itls",
					    "expected one array of latencies per request");
			goto done;
		}
		size_t ok = 0;
		size_t item = itls ? obl_json_first(doc, itls) : 0;
		size_t dropped = itls ? obl_json_start(doc, itls) : 0;
		/* Size the ITL array once: growing 25 million values by doubling costs copies. */
		size_t all_itls = 0;
		for (size_t c = item; c; c = obl_json_next_sibling(doc, itls, c))
			all_itls += doc->nodes[c].type == OBL_JSON_ARRAY ? doc->nodes[c].count : 0;
		if (all_itls && !(itl.v = malloc(all_itls * sizeof *itl.v))) {
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
			goto done;
		}
		itl.alloc = all_itls;
		size_t errnode = errors ? obl_json_first(doc, errors) : 0;
		for (size_t i = 0; i < n; i++) {
			int failed = 0;
			if (errnode) {
				if (doc->nodes[errnode].type == OBL_JSON_STRING)
					failed = obl_json_end(doc, errnode) - obl_json_start(doc, errnode) > 2;
				else if (doc->nodes[errnode].type != OBL_JSON_NULL)
					failed = 1;
			} else if (has_out) {
				failed = out_lens.v[i] <= 0;
			}
			double ttft = ttfts.v[i];
			double sum_itl = 0;
			size_t n_itl = 0;
			if (item) {
				if (doc->nodes[item].type != OBL_JSON_ARRAY) {
					rc = obl_json_error(doc, item, err, "itls",
							    "request %zu: expected an array of "
							    "latencies, got %s",
							    i, obl_json_type_name(doc->nodes[item].type));
					goto done;
				}
				n_itl = doc->nodes[item].count;
				if (itl.alloc < itl.n + n_itl) {
					size_t want = (itl.n + n_itl) * 2;
					double *p = realloc(itl.v, want * sizeof *p);
					if (!p) {
						rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL,
								   "out of memory");
						goto done;
					}
					itl.v = p;
					itl.alloc = want;
				}
				size_t bad;
				/* an empty array (a failed request): nothing to read, and itl.v may
				 * still be NULL, where even + 0 is undefined */
				if (n_itl && obl_json_numbers(doc, item, itl.v + itl.n, &bad)) {
					long line, col;
					obl_json_position(doc, bad, &line, &col);
					obl_error_set(err, OBL_EINPUT, doc->path, line, "itls",
						      "request %zu: expected numbers", i);
					obl_error_position(err, line, col, (long long)bad);
					rc = OBL_EINPUT;
					goto done;
				}
				/* The ITLs are most of the file: their text is not needed again
				 * once parsed (see obl_json_drop), dropped 16 MiB at a time. */
				if (obl_json_end(doc, item) - dropped >= (size_t)16 << 20) {
					obl_json_drop(doc, dropped, obl_json_end(doc, item));
					dropped = obl_json_end(doc, item);
				}
			}
			if (!failed) {
				if (!(ttft >= 0) || !isfinite(ttft)) {
					rc = obl_json_error(doc, obl_json_get(doc, root, "ttfts"), err,
							    "ttfts",
							    "request %zu: latency %g is negative or "
							    "not a number",
							    i, ttft);
					goto done;
				}
				for (size_t k = 0; k < n_itl; k++) {
					double v = itl.v[itl.n + k];
					if (!(v >= 0) || !isfinite(v)) {
						rc = obl_json_error(doc, item, err, "itls",
								    "request %zu: latency %g is "
								    "negative or not a number",
								    i, v);
						goto done;
					}
					sum_itl += v;
					itl.v[itl.n + k] = v * 1000;
				}
				itl.n += n_itl;
				ok++;
				if (obl_values_push(&lat[TTFT], ttft * 1000) ||
				    obl_values_push(&lat[E2EL], (ttft + sum_itl) * 1000)) {
					rc = OBL_ENOMEM;
					goto done;
				}
				double olen = has_out ? out_lens.v[i] : (double)n_itl + 1;
				if (olen > 1 && obl_values_push(&lat[TPOT], sum_itl / (olen - 1) * 1000)) {
					rc = OBL_ENOMEM;
					goto done;
				}
			}
			if (item)
				item = obl_json_next_sibling(doc, itls, item);
			if (errnode)
				errnode = obl_json_next_sibling(doc, errors, errnode);
		}
		lat[ITL] = itl;
		itl = (struct obl_values){ 0 };
		none_ok = ok == 0;
		if (none_ok && n > 0)
			warn_none_ok(b, doc->path, (double)n, (double)n, t, has_out);
		for (int k = 0; !none_ok && k < N_LATENCY; k++) {
			if (k == ITL && !itls)
				continue;
			if (k != TTFT && !itls)
				continue; /* TPOT and E2EL need the ITLs */
			check_all(doc, root, b, k, &lat[k]);
			struct obl_series *s = obl_trial_series(t, latency_metric[k], "ms",
								OBL_KIND_SAMPLE);
			if (!s) {
				rc = OBL_ENOMEM;
				goto done;
			}
			s->values = lat[k];
			lat[k] = (struct obl_values){ 0 };
		}
		struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
		if (!s) {
			rc = OBL_ENOMEM;
			goto done;
		}
		s->successes = (double)ok;
		s->trials = (double)n;
	} else {
		/* Summaries only: each is one value for this repetition, unless no request
		 * succeeded: vLLM then writes 0.0 for every latency, which measures nothing. */
		double completed, prompts, failed;
		int has_c, has_p, has_f;
		if ((rc = obl_json_get_number(doc, root, "completed", &completed, &has_c, err)) ||
		    (rc = obl_json_get_number(doc, root, "num_prompts", &prompts, &has_p, err)) ||
		    (rc = obl_json_get_number(doc, root, "failed", &failed, &has_f, err)))
			goto done;
		none_ok = has_c && completed == 0;
		for (size_t m = obl_json_first(doc, root); !none_ok && m;
		     m = obl_json_next_sibling(doc, root, m)) {
			size_t k = obl_json_key_of(doc, m);
			obl_strbuf_reset(&sb);
			obl_json_string(doc, k, &sb);
			size_t len = sb.len;
			int summary = len > 3 && !strcmp(sb.buf + len - 3, "_ms") &&
				      (!strncmp(sb.buf, "mean_", 5) || !strncmp(sb.buf, "median_", 7) ||
				       !strncmp(sb.buf, "std_", 4) || sb.buf[0] == 'p');
			if (!summary || doc->nodes[m].type != OBL_JSON_NUMBER)
				continue;
			const char *name = obl_batch_intern(b, sb.buf, sb.len);
			if (!name) {
				rc = OBL_ENOMEM;
				goto done;
			}
			if ((rc = add_aggregate(t, doc, root, name, name, "ms", err)))
				goto done;
		}
		double attempted = has_f && has_c ? completed + failed : prompts;
		if (has_c && (has_f || has_p) && attempted > 0) {
			struct obl_series *s =
				obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
			if (!s) {
				rc = OBL_ENOMEM;
				goto done;
			}
			s->successes = completed;
			s->trials = attempted;
		}
		if (none_ok)
			warn_none_ok(b, doc->path, attempted - completed, attempted, t, has_out);
	}
	/* Per-repetition aggregates, old and new key names; none when nothing succeeded. */
	static const char *const aggregates[][3] = {
		{ "output_throughput", "output_throughput_tok_s", "tok/s" },
		{ "total_token_throughput", "total_throughput_tok_s", "tok/s" },
		{ "request_throughput", "request_throughput_req_s", "req/s" },
		{ "input_throughput", "input_throughput_tok_s", "tok/s" },
		{ "request_goodput", "request_goodput_req_s", "req/s" },
		{ "duration", "duration_s", "s" },
		{ "max_output_tokens_per_s", "max_output_throughput_tok_s", "tok/s" },
		{ "max_concurrent_requests", "max_concurrent_requests", "" },
		{ "spec_decode_acceptance_rate", "spec_decode_acceptance_rate_pct", "%" },
		{ "spec_decode_acceptance_length", "spec_decode_acceptance_length", "tok" },
		{ "spec_decode_num_drafts", "spec_decode_drafts", "" },
		{ "spec_decode_draft_tokens", "spec_decode_draft_tokens", "tok" },
		{ "spec_decode_accepted_tokens", "spec_decode_accepted_tokens", "tok" },
		{ "accuracy_rate", "accuracy_rate_pct", "%" },
	};
	for (size_t k = 0; !none_ok && k < sizeof aggregates / sizeof *aggregates; k++)
		if ((rc = add_aggregate(t, doc, root, aggregates[k][0], aggregates[k][1], aggregates[k][2],
					err)))
			goto done;
	if (!none_ok && !obl_json_get(doc, root, "total_token_throughput") &&
	    (rc = add_aggregate(t, doc, root, "total_throughput", "total_throughput_tok_s", "tok/s", err)))
		goto done;
	if ((rc = add_aggregate(t, doc, root, "failed", "failed_requests", "", err)))
		goto done;
	/* Acceptance rate per draft position: spec_decode_acceptance_rate_pct_pos1, ... */
	struct obl_values pos = { 0 };
	int has_pos;
	rc = obl_json_get_numbers(doc, root, "spec_decode_per_position_acceptance_rates", &pos,
				  &has_pos, err);
	for (size_t i = 0; !rc && !none_ok && has_pos && i < pos.n; i++) {
		char name[64];
		snprintf(name, sizeof name, "spec_decode_acceptance_rate_pct_pos%zu", i + 1);
		struct obl_series *s = obl_trial_series(t, name, "%", OBL_KIND_AGGREGATE);
		/* vLLM writes these as fractions, the overall rate as a percentage */
		if (!s || obl_values_push(&s->values, pos.v[i] * 100))
			rc = OBL_ENOMEM;
	}
	obl_values_release(&pos);
done:
	for (int k = 0; k < N_LATENCY; k++)
		obl_values_release(&lat[k]);
	obl_values_release(&ttfts);
	obl_values_release(&in_lens);
	obl_values_release(&out_lens);
	obl_values_release(&itl);
	obl_strbuf_release(&sb);
	return rc;
}

/* One result object, or a list of them (the summary.json of a bench sweep: one repetition
 * each, in order). */
static int read_vllm(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	if (doc->nodes[0].type != OBL_JSON_ARRAY || doc->nodes[0].packed)
		return read_one(doc, 0, b, err);
	int rc = OBL_OK;
	for (size_t e = obl_json_first(doc, 0); !rc && e; e = obl_json_next_sibling(doc, 0, e))
		rc = read_one(doc, e, b, err);
	if (!rc && b->n_trials == 0)
		rc = obl_json_error(doc, 0, err, NULL, "an empty list: no vLLM result in it");
	return rc;
}

const struct obl_reader obl_reader_vllm = {
	"vllm",
	"vLLM serving benchmark result (vllm bench serve --save-result; benchmark_serving.py)",
	detect,
	NULL,
	read_vllm,
};

/* ---- vLLM's nightly benchmark table ------------------------------------------------------
 * .buildkite/nightly-benchmarks' convert-results-json-to-markdown.py also writes its table as
 * JSON: a list of rows with human column names ("Test name", "GPU", "Tput (req/s)",
 * "Mean TTFT (ms)", "P99 ITL (ms)", ...). Each row is one trial; its scenario is the test
 * (the name without its load) and the request rate its name ends with (..._qps_04: 4,
 * ..._qps_inf: inf). GPU is a run tag. Columns map to the names vllm files use. */

static int detect_nightly(const struct obl_file *f)
{
	if (obl_first_char(f) != '[')
		return 0;
	return obl_contains(f, "\"Test name\"") &&
			       (obl_contains(f, "\"Tput (req/s)\"") || obl_contains(f, "TTFT (ms)\""))
		       ? 90
		       : 0;
}

/* "Mean TTFT (ms)" -> mean_ttft_ms; "Output Tput (tok/s)" -> output_throughput_tok_s. NULL: not
 * a measurement column. */
static const char *nightly_metric(struct obl_batch *b, const char *col, const char **unit)
{
	static const char *const fixed[][3] = {
		{ "Tput (req/s)", "request_throughput_req_s", "req/s" },
		{ "Output Tput (tok/s)", "output_throughput_tok_s", "tok/s" },
		{ "Total Tput (tok/s)", "total_throughput_tok_s", "tok/s" },
		{ "Input Tput (tok/s)", "input_throughput_tok_s", "tok/s" },
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (!strcmp(col, fixed[i][0])) {
			*unit = fixed[i][2];
			return fixed[i][1];
		}
	size_t len = strlen(col);
	if (len < 6 || strcmp(col + len - 5, " (ms)"))
		return NULL;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < len - 5; i++) {
		char c = col[i];
		obl_strbuf_addch(&sb, c == ' ' ? '_' : c >= 'A' && c <= 'Z' ? (char)(c + 32)
									    : c);
	}
	obl_strbuf_addstr(&sb, "_ms");
	const char *name = obl_strbuf_failed(&sb) ? NULL : obl_batch_intern(b, sb.buf, sb.len);
	obl_strbuf_release(&sb);
	*unit = "ms";
	return name;
}

static int read_nightly(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	if (doc->nodes[0].type != OBL_JSON_ARRAY || doc->nodes[0].packed)
		return obl_json_error(doc, 0, err, NULL,
				      "expected vLLM's nightly results table: a list of rows");
	struct obl_strbuf key, text;
	obl_strbuf_init(&key);
	obl_strbuf_init(&text);
	int rc = OBL_OK;
	for (size_t row = obl_json_first(doc, 0); !rc && row; row = obl_json_next_sibling(doc, 0, row)) {
		if (doc->nodes[row].type != OBL_JSON_OBJECT) {
			rc = obl_json_error(doc, row, err, NULL, "expected a row (an object)");
			break;
		}
		struct obl_trial_data *t = obl_batch_trial(b);
		int present;
		if (!t) {
			rc = OBL_ENOMEM;
			break;
		}
		if ((rc = obl_json_get_text(doc, row, "Test name", &text, &present, err)))
			break;
		if (present) {
			char *qps = strstr(text.buf, "_qps_");
			const char *rate = NULL;
			if (qps) {
				*qps = 0;
				rate = qps + 5;
				while (rate[0] == '0' && rate[1] >= '0' && rate[1] <= '9')
					rate++; /* qps_04 -> 4 */
			}
			if (obl_trial_set_scenario(t, "test", text.buf) ||
			    (rate && obl_trial_set_scenario(t, "request_rate", rate))) {
				rc = OBL_ENOMEM;
				break;
			}
		}
		if ((rc = obl_json_get_text(doc, row, "GPU", &text, &present, err)))
			break;
		if (present && obl_batch_tag(b, "gpu", text.buf)) {
			rc = OBL_ENOMEM;
			break;
		}
		for (size_t m = obl_json_first(doc, row); !rc && m;
		     m = obl_json_next_sibling(doc, row, m)) {
			if (doc->nodes[m].type != OBL_JSON_NUMBER)
				continue;
			obl_strbuf_reset(&key);
			obl_json_string(doc, obl_json_key_of(doc, m), &key);
			const char *unit = "";
			const char *metric = obl_strbuf_failed(&key) ? NULL
								     : nightly_metric(b, key.buf, &unit);
			if (!metric)
				continue;
			double v;
			obl_json_number(doc, m, &v);
			if (!isfinite(v)) {
				rc = obl_json_error(doc, m, err, key.buf, "not a finite number");
				break;
			}
			struct obl_series *s = obl_trial_series(t, metric, unit, OBL_KIND_AGGREGATE);
			if (!s || obl_values_push(&s->values, v))
				rc = OBL_ENOMEM;
		}
	}
	obl_strbuf_release(&key);
	obl_strbuf_release(&text);
	if (!rc && b->n_trials == 0)
		rc = obl_json_error(doc, 0, err, NULL, "an empty table");
	return rc;
}

const struct obl_reader obl_reader_vllm_nightly = {
	"vllm-nightly",
	"vLLM nightly benchmark results table (convert-results-json-to-markdown.py, JSON)",
	detect_nightly,
	NULL,
	read_nightly,
};
