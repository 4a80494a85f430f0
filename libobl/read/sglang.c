/*
 * sglang.c - SGLang's serving benchmark results (`python -m sglang.bench_serving
 * --output-file`, and benchmark scripts built on it such as benchmark/lora/lora_bench.py):
 * JSON Lines, one result dict appended per run, with Python's bare `Infinity` for an
 * unlimited request rate.
 *
 * Each line is one trial. Its scenario is the load and the workload: dataset_name,
 * request_rate ("inf" for Infinity), max_concurrency (as concurrency), the random dataset's
 * random_input_len, random_output_len and random_range_ratio, and num_prompts when all
 * requests are sent at once. Lines with the same scenario are repetitions, in file order.
 * backend, model_id and tokenizer_id are run tags. The summaries are stored as one value per
 * repetition under the names vLLM's files use (mean_ttft_ms, p99_itl_ms, median_e2el_ms for
 * SGLang's median_e2e_latency_ms, ...), throughputs under the canonical names; a line whose
 * every request failed (completed 0) stores no latency or throughput.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) != '{')
		return 0;
	return obl_contains(f, "\"backend\"") && obl_contains(f, "e2e_latency_ms\"") &&
			       (obl_contains(f, "\"output_throughput\"") ||
				obl_contains(f, "\"request_throughput\""))
		       ? 88
		       : 0;
}

static int add_value(struct obl_batch *b, struct obl_trial_data *t, const char *metric,
		     const char *unit, double v)
{
	(void)b;
	struct obl_series *s = obl_trial_series(t, metric, unit, OBL_KIND_AGGREGATE);
	return !s || obl_values_push(&s->values, v) ? OBL_ENOMEM : OBL_OK;
}

static int scenario_number(const struct obl_json *doc, struct obl_trial_data *t, const char *key,
			   const char *name, struct obl_error *err)
{
	double v;
	int present;
	int rc = obl_json_get_number(doc, 0, key, &v, &present, err);
	if (rc || !present)
		return rc;
	char buf[64];
	if (isinf(v))
		snprintf(buf, sizeof buf, "%s", v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, sizeof buf, "%.15g", v);
	return obl_trial_set_scenario(t, name, buf) ? OBL_ENOMEM : OBL_OK;
}

static int read_line(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	if (doc->nodes[0].type != OBL_JSON_OBJECT)
		return obl_json_error(doc, 0, err, NULL, "expected an SGLang result object");
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return OBL_ENOMEM;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK, present;
	/* run tags */
	static const char *const tags[][2] = { { "backend", "backend" },
					       { "model_id", "model" },
					       { "tokenizer_id", "tokenizer" } };
	for (size_t i = 0; !rc && i < sizeof tags / sizeof *tags; i++) {
		size_t v = obl_json_get(doc, 0, tags[i][0]);
		if (v && doc->nodes[v].type == OBL_JSON_STRING) {
			obl_json_string(doc, v, &sb);
			if (obl_strbuf_failed(&sb) || obl_batch_tag(b, tags[i][1], sb.buf))
				rc = OBL_ENOMEM;
			obl_strbuf_reset(&sb);
		}
	}
	/* scenario */
	if (!rc && (rc = obl_json_get_text(doc, 0, "dataset_name", &sb, &present, err)) == OBL_OK &&
	    present && obl_trial_set_scenario(t, "dataset", sb.buf))
		rc = OBL_ENOMEM;
	double rate = 0, cap = 0;
	int has_rate = 0, has_cap = 0;
	if (!rc)
		rc = obl_json_get_number(doc, 0, "request_rate", &rate, &has_rate, err);
	if (!rc)
		rc = obl_json_get_number(doc, 0, "max_concurrency", &cap, &has_cap, err);
	if (!rc)
		rc = scenario_number(doc, t, "request_rate", "request_rate", err);
	if (!rc)
		rc = scenario_number(doc, t, "max_concurrency", "concurrency", err);
	static const char *const workload[][2] = { { "random_input_len", "input_len" },
						   { "random_output_len", "output_len" },
						   { "random_range_ratio", "random_range_ratio" } };
	for (size_t i = 0; !rc && i < sizeof workload / sizeof *workload; i++)
		rc = scenario_number(doc, t, workload[i][0], workload[i][1], err);
	if (!rc && has_rate && isinf(rate) && !has_cap)
		rc = scenario_number(doc, t, "num_prompts", "num_prompts", err);

	/* failures */
	double completed = 0, prompts = 0;
	int has_completed = 0, has_prompts = 0;
	if (!rc)
		rc = obl_json_get_number(doc, 0, "completed", &completed, &has_completed, err);
	if (!rc)
		rc = obl_json_get_number(doc, 0, "num_prompts", &prompts, &has_prompts, err);
	int none_ok = has_completed && completed == 0;
	if (!rc && has_completed && has_prompts && prompts > 0) {
		struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
		if (!s)
			rc = OBL_ENOMEM;
		else {
			s->successes = completed;
			s->trials = prompts;
		}
	} else if (!rc && has_completed) {
		rc = add_value(b, t, "completed_requests", "", completed);
	}

	/* summaries and throughputs */
	static const char *const renamed[][3] = {
		{ "request_throughput", "request_throughput_req_s", "req/s" },
		{ "input_throughput", "input_throughput_tok_s", "tok/s" },
		{ "output_throughput", "output_throughput_tok_s", "tok/s" },
		{ "total_throughput", "total_throughput_tok_s", "tok/s" },
		{ "duration", "duration_s", "s" },
		{ "accept_length", "spec_decode_acceptance_length", "tok" },
		{ "concurrency", "mean_concurrency", "" },
	};
	for (size_t m = obl_json_first(doc, 0); !rc && !none_ok && m;
	     m = obl_json_next_sibling(doc, 0, m)) {
		if (doc->nodes[m].type != OBL_JSON_NUMBER)
			continue;
		obl_strbuf_reset(&sb);
		obl_json_string(doc, obl_json_key_of(doc, m), &sb);
		if (obl_strbuf_failed(&sb)) {
			rc = OBL_ENOMEM;
			break;
		}
		double v;
		obl_json_number(doc, m, &v);
		const char *metric = NULL, *unit = NULL;
		for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
			if (!strcmp(sb.buf, renamed[i][0])) {
				metric = renamed[i][1];
				unit = renamed[i][2];
			}
		size_t len = sb.len;
		int summary = len > 3 && !strcmp(sb.buf + len - 3, "_ms") &&
			      (!strncmp(sb.buf, "mean_", 5) || !strncmp(sb.buf, "median_", 7) ||
			       !strncmp(sb.buf, "std_", 4) || sb.buf[0] == 'p');
		struct obl_strbuf name;
		obl_strbuf_init(&name);
		if (!metric && summary) {
			/* e2e_latency -> e2el, as vLLM names it */
			char *e2e = strstr(sb.buf, "e2e_latency_ms");
			if (e2e) {
				obl_strbuf_add(&name, sb.buf, (size_t)(e2e - sb.buf));
				obl_strbuf_addstr(&name, "e2el_ms");
			} else {
				obl_strbuf_addstr(&name, sb.buf);
			}
			metric = obl_strbuf_failed(&name) ? NULL
							  : obl_batch_intern(b, name.buf, name.len);
			unit = "ms";
			if (!metric)
				rc = OBL_ENOMEM;
		}
		obl_strbuf_release(&name);
		if (rc || !metric)
			continue;
		if (!isfinite(v)) {
			rc = obl_json_error(doc, m, err, sb.buf, "not a finite number");
			break;
		}
		rc = add_value(b, t, metric, unit, v);
	}
	if (!rc && none_ok)
		obl_batch_warn(b, "%s: a run in which no request succeeded (completed 0): no latency "
				  "or throughput stored",
			       doc->path);
	obl_strbuf_release(&sb);
	return rc;
}

struct line_ctx {
	struct obl_batch *b;
	struct obl_error *err;
};

/* One line of the file: a result of its own (a run of the benchmark). */
static int one_line(struct obl_json *doc, long line, void *ctx)
{
	struct line_ctx *c = ctx;
	int rc = read_line(doc, c->b, c->err);
	if (rc && c->err->status != OBL_OK && c->err->line)
		c->err->line = line;
	return rc;
}

static int read_sglang(const struct obl_file *f, const struct obl_read_options *opt,
		       struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct line_ctx ctx = { b, err };
	int rc = obl_json_each_line(f->data, f->len, f->path, one_line, &ctx, err);
	if (!rc && b->n_trials == 0)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL, "no result lines");
	return rc;
}

const struct obl_reader obl_reader_sglang = {
	"sglang",
	"SGLang serving benchmark results (sglang.bench_serving --output-file; JSON Lines)",
	detect,
	read_sglang,
	NULL,
};
