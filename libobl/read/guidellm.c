/*
 * guidellm.c - GuideLLM benchmark reports (guidellm benchmark --output-path report.json):
 * the v0.3 layout ({"benchmarks": [...]} with args, run_stats, worker, request_loader) and the
 * current one (metadata.version 2: {"metadata", "config", "benchmarks": [...]} with
 * config.strategy and metrics.request_totals).
 *
 * Each benchmark is a trial whose scenario is its strategy (synchronous, concurrent,
 * throughput, constant, poisson) with the rate (or streams) it ran at, and the request data
 * spec (v0.3 "prompt_tokens=256,output_tokens=128"). The statistics GuideLLM computed over the
 * successful requests are stored as one value each (mean_, median_, p90_, p95_, p99_ of
 * ttft_ms, tpot_ms, itl_ms, e2el_ms (request_latency, seconds, converted), ttfo_ms), the
 * throughputs as the means of GuideLLM's rates. Errored requests count against success_rate
 * (successful / (successful + errored); incomplete requests, cut off by the benchmark's end,
 * are neither) and as failed_requests; they never enter a latency. The backend's model is a
 * run tag, GuideLLM's version (v2) too.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) != '{' || !obl_contains(f, "\"benchmarks\""))
		return 0;
	return obl_contains(f, "\"time_to_first_token_ms\"") &&
			       (obl_contains(f, "\"requests_per_second\"") ||
				obl_contains(f, "\"request_totals\""))
		       ? 90
		       : 0;
}

/* A member reached from node (0: the root) by a path of keys ("a", "b", NULL), or 0. */
static size_t at(const struct obl_json *doc, size_t node, const char *const *keys)
{
	for (; *keys; keys++) {
		if (doc->nodes[node].type != OBL_JSON_OBJECT)
			return 0;
		if (!(node = obl_json_get(doc, node, *keys)))
			return 0;
	}
	return node;
}

static int number_at(const struct obl_json *doc, size_t node, const char *const *keys, double *v)
{
	size_t n = at(doc, node, keys);
	return n && doc->nodes[n].type == OBL_JSON_NUMBER && !obl_json_number(doc, n, v) &&
	       isfinite(*v);
}

static int text_at(const struct obl_json *doc, size_t node, const char *const *keys,
		   struct obl_strbuf *out)
{
	size_t n = at(doc, node, keys);
	obl_strbuf_reset(out);
	if (n && doc->nodes[n].type == OBL_JSON_STRING) {
		obl_json_string(doc, n, out);
		return 1;
	}
	if (n && doc->nodes[n].type == OBL_JSON_NUMBER) {
		double v;
		obl_json_number(doc, n, &v);
		obl_strbuf_addf(out, "%.15g", v);
		return 1;
	}
	return 0;
}

static int put(struct obl_trial_data *t, const char *metric, const char *unit, double v)
{
	struct obl_series *s = metric ? obl_trial_series(t, metric, unit, OBL_KIND_AGGREGATE) : NULL;
	return !s || obl_values_push(&s->values, v) ? OBL_ENOMEM : OBL_OK;
}

static int read_benchmark(const struct obl_json *doc, size_t bm, struct obl_batch *b,
			  struct obl_error *err)
{
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return OBL_ENOMEM;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK;
	/* the strategy: v2 config.strategy, v0.3 args.strategy */
	static const char *const v2[] = { "config", "strategy", NULL };
	static const char *const v03[] = { "args", "strategy", NULL };
	size_t strategy = at(doc, bm, v2);
	if (!strategy)
		strategy = at(doc, bm, v03);
	static const char *const type[] = { "type_", NULL };
	if (strategy && text_at(doc, strategy, type, &sb) && obl_trial_set_scenario(t, "strategy", sb.buf))
		rc = OBL_ENOMEM;
	static const char *const rate[] = { "rate", NULL };
	if (!rc && strategy && text_at(doc, strategy, rate, &sb) &&
	    obl_trial_set_scenario(t, "rate", sb.buf))
		rc = OBL_ENOMEM;
	static const char *const streams[] = { "streams", NULL };
	if (!rc && strategy && text_at(doc, strategy, streams, &sb) &&
	    obl_trial_set_scenario(t, "concurrency", sb.buf))
		rc = OBL_ENOMEM;
	static const char *const data[] = { "request_loader", "data", NULL };
	if (!rc && text_at(doc, bm, data, &sb) && obl_trial_set_scenario(t, "data", sb.buf))
		rc = OBL_ENOMEM;
	static const char *const model[] = { "worker", "backend_model", NULL };
	if (!rc && text_at(doc, bm, model, &sb) && obl_batch_tag(b, "model", sb.buf))
		rc = OBL_ENOMEM;

	/* successful / errored */
	static const char *const totals2[] = { "metrics", "request_totals", NULL };
	static const char *const totals03[] = { "run_stats", "requests_made", NULL };
	size_t totals = at(doc, bm, totals2);
	if (!totals)
		totals = at(doc, bm, totals03);
	static const char *const ok_key[] = { "successful", NULL };
	static const char *const bad_key[] = { "errored", NULL };
	double ok = 0, bad = 0;
	int has_ok = totals && number_at(doc, totals, ok_key, &ok);
	int has_bad = totals && number_at(doc, totals, bad_key, &bad);
	if (!rc && has_ok && has_bad && ok + bad > 0) {
		struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
		if (!s)
			rc = OBL_ENOMEM;
		else {
			s->successes = ok;
			s->trials = ok + bad;
		}
	}
	if (!rc && has_bad)
		rc = put(t, "failed_requests", "", bad);
	int none_ok = has_ok && ok == 0;

	/* statistics over the successful requests */
	static const char *const latency[][3] = {
		{ "time_to_first_token_ms", "ttft", "1" },
		{ "time_per_output_token_ms", "tpot", "1" },
		{ "inter_token_latency_ms", "itl", "1" },
		{ "request_latency", "e2el", "1000" },
		{ "time_to_first_output_token_ms", "ttfo", "1" },
	};
	static const char *const stat[][2] = { { "mean", "mean" },
					       { "median", "median" },
					       { "std_dev", "std" } };
	static const char *const pct[] = { "p90", "p95", "p99" };
	size_t metrics = obl_json_get(doc, bm, "metrics");
	for (size_t l = 0; !rc && !none_ok && metrics && l < sizeof latency / sizeof *latency; l++) {
		const char *const path[] = { latency[l][0], "successful", NULL };
		size_t node = at(doc, metrics, path);
		if (!node)
			continue;
		double scale = !strcmp(latency[l][2], "1000") ? 1000 : 1; /* seconds to ms */
		char name[64];
		double v;
		for (size_t k = 0; !rc && k < sizeof stat / sizeof *stat; k++) {
			const char *const key[] = { stat[k][0], NULL };
			if (!number_at(doc, node, key, &v))
				continue;
			snprintf(name, sizeof name, "%s_%s_ms", stat[k][1], latency[l][1]);
			rc = put(t, obl_batch_intern(b, name, strlen(name)), "ms", v * scale);
		}
		for (size_t k = 0; !rc && k < sizeof pct / sizeof *pct; k++) {
			const char *const key[] = { "percentiles", pct[k], NULL };
			if (!number_at(doc, node, key, &v))
				continue;
			snprintf(name, sizeof name, "%s_%s_ms", pct[k], latency[l][1]);
			rc = put(t, obl_batch_intern(b, name, strlen(name)), "ms", v * scale);
		}
	}
	static const char *const rates[][3] = {
		{ "requests_per_second", "request_throughput_req_s", "req/s" },
		{ "output_tokens_per_second", "output_throughput_tok_s", "tok/s" },
		{ "tokens_per_second", "total_throughput_tok_s", "tok/s" },
		{ "prompt_tokens_per_second", "input_throughput_tok_s", "tok/s" },
	};
	for (size_t k = 0; !rc && !none_ok && metrics && k < sizeof rates / sizeof *rates; k++) {
		const char *const path[] = { rates[k][0], "successful", "mean", NULL };
		double v;
		if (number_at(doc, metrics, path, &v))
			rc = put(t, rates[k][1], rates[k][2], v);
	}
	static const char *const duration[] = { "duration", NULL };
	double d;
	if (!rc && !none_ok && number_at(doc, bm, duration, &d))
		rc = put(t, "duration_s", "s", d);
	obl_strbuf_release(&sb);
	(void)err;
	return rc;
}

static int read_guidellm(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	size_t list;
	int rc = obl_json_root_array(doc, "benchmarks", "a GuideLLM report", &list, err);
	if (rc)
		return rc;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	static const char *const version[] = { "metadata", "guidellm_version", NULL };
	static const char *const model[] = { "config", "spec", "backend", "model", NULL };
	if (text_at(doc, 0, version, &sb) && obl_batch_tag(b, "guidellm_version", sb.buf))
		rc = OBL_ENOMEM;
	if (!rc && text_at(doc, 0, model, &sb) && obl_batch_tag(b, "model", sb.buf))
		rc = OBL_ENOMEM;
	obl_strbuf_release(&sb);
	for (size_t bm = obl_json_first(doc, list); !rc && bm; bm = obl_json_next_sibling(doc, list, bm))
		rc = doc->nodes[bm].type == OBL_JSON_OBJECT
			     ? read_benchmark(doc, bm, b, err)
			     : obl_json_error(doc, bm, err, "benchmarks", "expected a benchmark object");
	if (!rc && b->n_trials == 0)
		rc = obl_json_error(doc, list, err, "benchmarks", "no benchmarks in the report");
	return rc;
}

const struct obl_reader obl_reader_guidellm = {
	"guidellm",
	"GuideLLM benchmark report (v0.3 and metadata.version 2): each benchmark a scenario",
	detect,
	NULL,
	read_guidellm,
};
