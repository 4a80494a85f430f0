/*
 * read_llmperf.c - Anyscale LLMPerf (token_benchmark_ray.py) results: the *_summary.json of a
 * run (one repetition: its distribution summaries are stored as values of that repetition)
 * and the *_individual_responses.json (one sample per request).
 *
 * LLMPerf's "inter_token_latency_s" is a request's end-to-end latency over its output tokens,
 * the first token included: neither vLLM's ITL nor its TPOT, so it keeps its own name
 * (llmperf_itl_ms) rather than being mixed with theirs. TTFT and end-to-end latency mean what
 * vLLM's do and map onto ttft_ms and e2el_ms.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	char c = obl_first_char(f);
	if (c == '{' && obl_contains(f, "\"results_ttft_s_") &&
	    obl_contains(f, "\"num_concurrent_requests\""))
		return 90;
	if (c == '[' && obl_contains(f, "\"ttft_s\"") && obl_contains(f, "\"end_to_end_latency_s\""))
		return 90;
	return 0;
}

/* Adds value (times scale) as a one-value series of the trial. */
static int add_value(struct obl_trial_data *t, const char *metric, const char *unit,
		     enum obl_metric_kind kind, double v, const char *path, struct obl_error *err)
{
	struct obl_series *s = obl_trial_series(t, metric, unit, kind);
	if (!s || obl_values_push(&s->values, v))
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	return OBL_OK;
}

/* failed_requests_http_CODE = count (as one value), interned. */
static int add_error_code(struct obl_batch *b, struct obl_trial_data *t, double code,
			  double count, const char *path, struct obl_error *err)
{
	char name[64];
	snprintf(name, sizeof name, "failed_requests_http_%.0f", code);
	const char *metric = obl_batch_intern(b, name, strlen(name));
	if (!metric)
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	struct obl_series *s = NULL;
	for (size_t q = 0; q < t->n_series; q++)
		if (t->series[q].metric == metric)
			s = &t->series[q];
	if (s) {
		s->values.v[0] += count;
		return OBL_OK;
	}
	s = obl_trial_series(t, metric, "", OBL_KIND_AGGREGATE);
	if (!s || obl_values_push(&s->values, count))
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	s->direction = OBL_LOWER_IS_BETTER;
	return OBL_OK;
}

/* results_error_code_frequency, a Python dict written as text: "{429.0: 130, 500.0: 2}". */
static int error_codes(const struct obl_json *doc, struct obl_batch *b, struct obl_trial_data *t,
		       struct obl_error *err)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present;
	int rc = obl_json_get_text(doc, 0, "results_error_code_frequency", &sb, &present, err);
	const char *p = present && !rc ? sb.buf : "";
	while (!rc && *p) {
		char *end;
		while (*p && (*p < '0' || *p > '9'))
			p++;
		if (!*p)
			break;
		double code = strtod(p, &end);
		p = end;
		while (*p == ' ' || *p == ':')
			p++;
		double count = strtod(p, &end);
		if (end == p)
			break;
		p = end;
		rc = add_error_code(b, t, code, count, doc->path, err);
	}
	obl_strbuf_release(&sb);
	return rc;
}

static int read_summary(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	char buf[64];
	double v;
	int present, rc;
	static const char *const scenario[][2] = { { "mean_input_tokens", "input_len" },
						   { "mean_output_tokens", "output_len" },
						   { "num_concurrent_requests", "concurrency" } };
	for (size_t i = 0; i < 3; i++) {
		if ((rc = obl_json_get_number(doc, 0, scenario[i][0], &v, &present, err)))
			return rc;
		if (present) {
			snprintf(buf, sizeof buf, "%.15g", v);
			if (obl_trial_set_scenario(t, scenario[i][1], buf))
				return OBL_ENOMEM;
		}
	}
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	rc = obl_json_get_text(doc, 0, "model", &sb, &present, err);
	if (!rc && present && obl_batch_tag(b, "model", sb.buf))
		rc = OBL_ENOMEM;
	obl_strbuf_release(&sb);
	if (rc)
		return rc;
	/* Distribution summaries of each latency, seconds in the file, milliseconds stored, with
	 * vLLM's summary names (mean_ttft_ms, median_ttft_ms, p99_ttft_ms, ...). */
	static const char *const latency[][2] = { { "ttft", "ttft" },
						  { "end_to_end_latency", "e2el" },
						  { "inter_token_latency", "llmperf_itl" } };
	static const char *const stat[][2] = { { "mean", "mean" }, { "quantiles_p50", "median" }, { "quantiles_p90", "p90" }, { "quantiles_p95", "p95" }, { "quantiles_p99", "p99" }, { "stddev", "std" } };
	for (size_t l = 0; l < 3; l++)
		for (size_t s = 0; s < 6; s++) {
			char key[128], metric[64];
			snprintf(key, sizeof key, "results_%s_s_%s", latency[l][0], stat[s][0]);
			if ((rc = obl_json_get_number(doc, 0, key, &v, &present, err)))
				return rc;
			if (!present)
				continue;
			if (!isfinite(v) || v < 0)
				return obl_json_error(doc, obl_json_get(doc, 0, key), err, key,
						      "latency %g is negative or not a number", v);
			snprintf(metric, sizeof metric, "%s_%s_ms", stat[s][1], latency[l][1]);
			if ((rc = add_value(t, metric, "ms", OBL_KIND_AGGREGATE, v * 1000, doc->path,
					    err)))
				return rc;
		}
	if ((rc = obl_json_get_number(doc, 0, "results_mean_output_throughput_token_per_s", &v,
				      &present, err)))
		return rc;
	if (present && (rc = add_value(t, "output_throughput_tok_s", "tok/s", OBL_KIND_AGGREGATE, v,
				       doc->path, err)))
		return rc;
	double started, completed;
	int has_s, has_c;
	if ((rc = obl_json_get_number(doc, 0, "results_num_requests_started", &started, &has_s,
				      err)) ||
	    (rc = obl_json_get_number(doc, 0, "results_num_completed_requests", &completed, &has_c,
				      err)))
		return rc;
	if (has_s && has_c && started >= 1) {
		struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
		if (!s)
			return OBL_ENOMEM;
		s->successes = completed;
		s->trials = started;
	}
	/* errors: how many, and by HTTP status where LLMPerf counted them */
	if ((rc = obl_json_get_number(doc, 0, "results_number_errors", &v, &present, err)))
		return rc;
	if (present && (rc = add_value(t, "failed_requests", "", OBL_KIND_AGGREGATE, v, doc->path,
				       err)))
		return rc;
	return error_codes(doc, b, t, err);
}

static int read_individual(const struct obl_json *doc, struct obl_batch *b,
			   struct obl_error *err)
{
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	static const char *const fields[][3] = {
		{ "ttft_s", "ttft_ms", "ms" },
		{ "end_to_end_latency_s", "e2el_ms", "ms" },
		{ "inter_token_latency_s", "llmperf_itl_ms", "ms" },
		{ "request_output_throughput_token_per_s", "request_output_throughput_tok_s", "tok/s" },
	};
	/* Indices, not pointers: adding a series may move the trial's array. */
	size_t first = t->n_series;
	for (int k = 0; k < 4; k++)
		if (!obl_trial_series(t, fields[k][1], fields[k][2], OBL_KIND_SAMPLE))
			return OBL_ENOMEM;
	double ok = 0, total = 0;
	size_t i = 0;
	for (size_t r = obl_json_first(doc, 0); r; r = obl_json_next_sibling(doc, 0, r), i++) {
		if (doc->nodes[r].type != OBL_JSON_OBJECT)
			return obl_json_error(doc, r, err, NULL, "request %zu: expected an object, got %s",
					      i, obl_json_type_name(doc->nodes[r].type));
		size_t code = obl_json_get(doc, r, "error_code");
		int failed = code && doc->nodes[code].type != OBL_JSON_NULL;
		total++;
		if (failed) {
			/* a failed request has zeros for latencies: counted, never a sample */
			double c;
			if (doc->nodes[code].type == OBL_JSON_NUMBER && !obl_json_number(doc, code, &c) &&
			    isfinite(c)) {
				int rc = add_error_code(b, t, c, 1, doc->path, err);
				if (rc)
					return rc;
			}
			continue;
		}
		ok++;
		for (int k = 0; k < 4; k++) {
			double v;
			int present;
			int rc = obl_json_get_number(doc, r, fields[k][0], &v, &present, err);
			if (rc)
				return rc;
			if (!present)
				continue;
			if (!isfinite(v) || v < 0)
				return obl_json_error(doc, obl_json_get(doc, r, fields[k][0]), err,
						      fields[k][0],
						      "request %zu: %g is negative or not a number", i, v);
			if (obl_values_push(&t->series[first + (size_t)k].values, k < 3 ? v * 1000 : v))
				return OBL_ENOMEM;
		}
	}
	struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
	if (!s)
		return OBL_ENOMEM;
	s->successes = ok;
	s->trials = total;
	return add_value(t, "failed_requests", "", OBL_KIND_AGGREGATE, total - ok, doc->path, err);
}

static int read_llmperf(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	int type = doc->nodes[0].type;
	if (type == OBL_JSON_OBJECT)
		rc = read_summary(doc, b, err);
	else if (type == OBL_JSON_ARRAY && !doc->nodes[0].packed)
		rc = read_individual(doc, b, err);
	else
		rc = obl_json_error(doc, 0, err, NULL,
				    "expected an LLMPerf summary (an object) or individual "
				    "responses (an array of objects)");
	return rc;
}

const struct obl_reader obl_reader_llmperf = {
	"llmperf",
	"Anyscale LLMPerf results (*_summary.json, *_individual_responses.json)",
	detect,
	NULL,
	read_llmperf,
};
