/*
 * read_genai_perf.c - NVIDIA GenAI-Perf / AIPerf JSON profile exports
 * (profile_export_genai_perf.json, profile_export_aiperf.json): one repetition whose metrics
 * are objects of a unit and statistics ({"unit": "ms", "avg": ..., "p50": ..., "p99": ...}).
 *
 * Latency statistics are stored under vLLM's summary names (mean_ttft_ms, median_ttft_ms,
 * p99_itl_ms, ...), converted to milliseconds; throughputs under the canonical names. The
 * export has no per-request values: a comparison of such files compares repetitions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "reader.h"

static int detect(const struct obl_file *f)
{
	return obl_first_char(f) == '{' && obl_contains(f, "\"time_to_first_token\"") &&
			       obl_contains(f, "\"unit\"") &&
			       (obl_contains(f, "\"request_throughput\"") ||
				obl_contains(f, "\"output_token_throughput\""))
		       ? 85
		       : 0;
}

/* Milliseconds per unit of a latency, or 0 if the unit is not a time. */
static double to_ms(const char *unit)
{
	if (!strcmp(unit, "ms"))
		return 1;
	if (!strcmp(unit, "s") || !strcmp(unit, "sec"))
		return 1000;
	if (!strcmp(unit, "us"))
		return 1e-3;
	if (!strcmp(unit, "ns"))
		return 1e-6;
	return 0;
}

/* GPU telemetry totals over the GPUs the exporter reported: power (sum of each GPU's mean),
 * energy (sum of each GPU's counter increase over the run), memory used (sum of means) and
 * utilisation (mean over GPUs). */
struct telemetry {
	double power_w, energy_j, mem_gib, util_sum;
	size_t gpus, util_n;
	int has_power, has_energy, has_mem;
};

static void telemetry_metric(const struct obl_json *doc, const char *name, const char *unit,
			     size_t stats, struct telemetry *tm)
{
	double avg, lo, hi;
	int p1, p2, p3;
	struct obl_error ignore;
	obl_error_clear(&ignore);
	if (obl_json_get_number(doc, stats, "avg", &avg, &p1, &ignore) || !p1 || !isfinite(avg))
		return;
	if (!strcmp(name, "gpu_power_usage") && !strcmp(unit, "W")) {
		tm->power_w += avg;
		tm->has_power = 1;
	} else if (!strcmp(name, "energy_consumption") &&
		   !obl_json_get_number(doc, stats, "min", &lo, &p2, &ignore) && p2 &&
		   !obl_json_get_number(doc, stats, "max", &hi, &p3, &ignore) && p3) {
		/* a cumulative counter: the run's energy is its increase */
		double scale = !strcmp(unit, "MJ") ? 1e6 : !strcmp(unit, "kJ") ? 1e3
						   : !strcmp(unit, "J")        ? 1
									       : 0;
		if (scale > 0) {
			tm->energy_j += (hi - lo) * scale;
			tm->has_energy = 1;
		}
	} else if (!strcmp(name, "gpu_memory_used")) {
		double scale = !strcmp(unit, "GB")    ? 1e9 / 1073741824.0
			       : !strcmp(unit, "MiB") ? 1.0 / 1024
			       : !strcmp(unit, "GiB") ? 1
						      : 0;
		if (scale > 0) {
			tm->mem_gib += avg * scale;
			tm->has_mem = 1;
		}
	} else if (!strcmp(name, "gpu_utilization") && !strcmp(unit, "%")) {
		tm->util_sum += avg;
		tm->util_n++;
	}
}

static int read_telemetry(const struct obl_json *doc, struct obl_trial_data *t,
			  struct obl_batch *b)
{
	struct telemetry tm = { 0 };
	struct obl_strbuf name, unit;
	obl_strbuf_init(&name);
	obl_strbuf_init(&unit);
	struct obl_error ignore;
	obl_error_clear(&ignore);
	int present;
	/* GenAI-Perf: telemetry_stats.METRIC = {"unit": U, "0": {stats}, "1": {stats}, ...} */
	size_t ts = obl_json_get(doc, 0, "telemetry_stats");
	for (size_t m = ts && doc->nodes[ts].type == OBL_JSON_OBJECT ? obl_json_first(doc, ts) : 0; m;
	     m = obl_json_next_sibling(doc, ts, m)) {
		if (doc->nodes[m].type != OBL_JSON_OBJECT)
			continue;
		obl_strbuf_reset(&name);
		obl_json_string(doc, obl_json_key_of(doc, m), &name);
		if (obl_json_get_text(doc, m, "unit", &unit, &present, &ignore) || !present)
			continue;
		size_t gpus = 0;
		for (size_t g = obl_json_first(doc, m); g; g = obl_json_next_sibling(doc, m, g))
			if (doc->nodes[g].type == OBL_JSON_OBJECT) {
				telemetry_metric(doc, name.buf, unit.buf, g, &tm);
				gpus++;
			}
		if (gpus > tm.gpus)
			tm.gpus = gpus;
	}
	/* AIPerf: telemetry_data.endpoints.E.gpus.G.metrics.METRIC = {"unit": U, stats} */
	size_t td = obl_json_get(doc, 0, "telemetry_data");
	size_t eps = td && doc->nodes[td].type == OBL_JSON_OBJECT ? obl_json_get(doc, td, "endpoints")
								  : 0;
	for (size_t e = eps && doc->nodes[eps].type == OBL_JSON_OBJECT ? obl_json_first(doc, eps) : 0;
	     e; e = obl_json_next_sibling(doc, eps, e)) {
		size_t gs = doc->nodes[e].type == OBL_JSON_OBJECT ? obl_json_get(doc, e, "gpus") : 0;
		for (size_t g = gs && doc->nodes[gs].type == OBL_JSON_OBJECT ? obl_json_first(doc, gs)
									     : 0;
		     g; g = obl_json_next_sibling(doc, gs, g)) {
			size_t ms = doc->nodes[g].type == OBL_JSON_OBJECT
					    ? obl_json_get(doc, g, "metrics")
					    : 0;
			if (!ms || doc->nodes[ms].type != OBL_JSON_OBJECT)
				continue;
			tm.gpus++;
			for (size_t m = obl_json_first(doc, ms); m; m = obl_json_next_sibling(doc, ms, m)) {
				if (doc->nodes[m].type != OBL_JSON_OBJECT)
					continue;
				obl_strbuf_reset(&name);
				obl_json_string(doc, obl_json_key_of(doc, m), &name);
				if (obl_json_get_text(doc, m, "unit", &unit, &present, &ignore) ||
				    !present)
					continue;
				telemetry_metric(doc, name.buf, unit.buf, m, &tm);
			}
		}
	}
	obl_strbuf_release(&name);
	obl_strbuf_release(&unit);
	int rc = OBL_OK;
	struct {
		int has;
		const char *metric, *unit;
		double v;
	} out[] = { { tm.has_power, "gpu_power_w", "W", tm.power_w },
		    { tm.has_energy, "gpu_energy_j", "J", tm.energy_j },
		    { tm.has_mem, "gpu_mem_used_gib", "GiB", tm.mem_gib },
		    { tm.util_n > 0, "gpu_util_pct", "%", tm.util_n ? tm.util_sum / tm.util_n : 0 } };
	for (size_t i = 0; !rc && i < sizeof out / sizeof *out; i++) {
		if (!out[i].has)
			continue;
		struct obl_series *se = obl_trial_series(t, out[i].metric, out[i].unit, OBL_KIND_AGGREGATE);
		if (!se || obl_values_push(&se->values, out[i].v))
			rc = OBL_ENOMEM;
	}
	if (!rc && tm.gpus) {
		char n[32];
		snprintf(n, sizeof n, "%zu", tm.gpus);
		if (obl_batch_tag(b, "gpus", n))
			rc = OBL_ENOMEM;
	}
	return rc;
}

/* The model (a tag) and the concurrency (the scenario) from the input configuration, in the
 * layouts of GenAI-Perf (flat, and config-file) and AIPerf. */
static int read_input_config(const struct obl_json *doc, struct obl_trial_data *t,
			     struct obl_batch *b)
{
	size_t ic = obl_json_get(doc, 0, "input_config");
	if (!ic || doc->nodes[ic].type != OBL_JSON_OBJECT)
		return OBL_OK;
	static const char *const model_paths[][3] = { { "model", NULL, NULL },
						      { "model_names", NULL, NULL },
						      { "endpoint", "model_names", NULL } };
	static const char *const conc_paths[][3] = { { "concurrency", NULL, NULL },
						     { "perf_analyzer", "stimulus", "concurrency" },
						     { "loadgen", "concurrency", NULL } };
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK;
	for (size_t k = 0; !rc && k < 3; k++) {
		size_t n = ic;
		for (size_t i = 0; n && i < 3 && model_paths[k][i]; i++)
			n = doc->nodes[n].type == OBL_JSON_OBJECT ? obl_json_get(doc, n, model_paths[k][i])
								  : 0;
		if (n && doc->nodes[n].type == OBL_JSON_ARRAY && doc->nodes[n].count == 1)
			n = obl_json_first(doc, n);
		if (!n || doc->nodes[n].type != OBL_JSON_STRING)
			continue;
		obl_strbuf_reset(&sb);
		obl_json_string(doc, n, &sb);
		if (obl_strbuf_failed(&sb) || obl_batch_tag(b, "model", sb.buf))
			rc = OBL_ENOMEM;
		break;
	}
	for (size_t k = 0; !rc && k < 3; k++) {
		size_t n = ic;
		for (size_t i = 0; n && i < 3 && conc_paths[k][i]; i++)
			n = doc->nodes[n].type == OBL_JSON_OBJECT ? obl_json_get(doc, n, conc_paths[k][i])
								  : 0;
		double v;
		if (!n || doc->nodes[n].type != OBL_JSON_NUMBER || obl_json_number(doc, n, &v))
			continue;
		char buf[64];
		snprintf(buf, sizeof buf, "%.15g", v);
		if (obl_trial_set_scenario(t, "concurrency", buf))
			rc = OBL_ENOMEM;
		break;
	}
	obl_strbuf_release(&sb);
	return rc;
}

static int read_genai_perf(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	struct obl_trial_data *t = obl_batch_trial(b);
	struct obl_strbuf unit;
	obl_strbuf_init(&unit);
	if (!t) {
		rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
		goto done;
	}
	if (doc->nodes[0].type != OBL_JSON_OBJECT) {
		rc = obl_json_error(doc, 0, err, NULL, "expected a JSON object (a profile export)");
		goto done;
	}
	static const char *const latency[][2] = { { "time_to_first_token", "ttft" },
						  { "inter_token_latency", "itl" },
						  { "request_latency", "e2el" },
						  { "time_to_first_output_token", "ttfo" } };
	static const char *const stat[][2] = { { "avg", "mean" }, { "p50", "median" }, { "p90", "p90" }, { "p95", "p95" }, { "p99", "p99" }, { "std", "std" } };
	for (size_t l = 0; !rc && l < 4; l++) {
		size_t m = obl_json_get(doc, 0, latency[l][0]);
		if (!m)
			continue;
		int present;
		if ((rc = obl_json_get_text(doc, m, "unit", &unit, &present, err)))
			break;
		double scale = present ? to_ms(unit.buf) : 0;
		if (scale == 0) {
			rc = obl_json_error(doc, m, err, latency[l][0], "expected a unit of time, got '%s'",
					    present ? unit.buf : "none");
			break;
		}
		for (size_t s = 0; !rc && s < 6; s++) {
			double v;
			if ((rc = obl_json_get_number(doc, m, stat[s][0], &v, &present, err)) || !present)
				continue;
			if (!isfinite(v) || v < 0) {
				rc = obl_json_error(doc, obl_json_get(doc, m, stat[s][0]), err,
						    latency[l][0], "%s %g is negative or not a number",
						    stat[s][0], v);
				break;
			}
			char metric[64];
			snprintf(metric, sizeof metric, "%s_%s_ms", stat[s][1], latency[l][1]);
			struct obl_series *se = obl_trial_series(t, metric, "ms", OBL_KIND_AGGREGATE);
			if (!se || obl_values_push(&se->values, v * scale))
				rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
		}
	}
	static const char *const rates[][3] = {
		{ "output_token_throughput", "output_throughput_tok_s", "tok/s" },
		{ "request_throughput", "request_throughput_req_s", "req/s" },
		{ "benchmark_duration", "duration_s", "s" },
		{ "prefill_throughput", "prefill_throughput_tok_s", "tok/s" },
		{ "request_count", "request_count", "" },
		{ "error_request_count", "failed_requests", "" },
	};
	for (size_t r = 0; !rc && r < sizeof rates / sizeof *rates; r++) {
		size_t m = obl_json_get(doc, 0, rates[r][0]);
		double v;
		int present;
		if (!m || (rc = obl_json_get_number(doc, m, "avg", &v, &present, err)) || !present)
			continue;
		struct obl_series *se = obl_trial_series(t, rates[r][1], rates[r][2], OBL_KIND_AGGREGATE);
		if (!se || obl_values_push(&se->values, v))
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	}
	/* Lengths that are the same for every request describe the scenario. */
	static const char *const lengths[][2] = { { "input_sequence_length", "input_len" },
						  { "output_sequence_length", "output_len" } };
	for (size_t k = 0; !rc && k < 2; k++) {
		size_t m = obl_json_get(doc, 0, lengths[k][0]);
		double avg, sd;
		int has_avg = 0, has_sd = 0;
		if (!m || (rc = obl_json_get_number(doc, m, "avg", &avg, &has_avg, err)) ||
		    (rc = obl_json_get_number(doc, m, "std", &sd, &has_sd, err)))
			continue;
		if (has_avg && has_sd && sd == 0) {
			char buf[64];
			snprintf(buf, sizeof buf, "%.15g", avg);
			if (obl_trial_set_scenario(t, lengths[k][1], buf))
				rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
		}
	}
	if (!rc && (rc = read_telemetry(doc, t, b)))
		rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	if (!rc && (rc = read_input_config(doc, t, b)))
		rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	int present;
	if (!rc && !(rc = obl_json_get_text(doc, 0, "aiperf_version", &unit, &present, err)) &&
	    present && obl_batch_tag(b, "aiperf_version", unit.buf))
		rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
done:
	obl_strbuf_release(&unit);
	return rc;
}

const struct obl_reader obl_reader_genai_perf = {
	"genai-perf",
	"NVIDIA GenAI-Perf / AIPerf JSON profile export (profile_export_*.json)",
	detect,
	NULL,
	read_genai_perf,
};

/* ---- The CSV export (profile_export_genai_perf.csv) ---------------------------------- */

static int detect_csv(const struct obl_file *f)
{
	return f->len > 11 && !memcmp(f->data, "Metric,avg,", 11) ? 95 : 0;
}

/* "1,146.31" -> 1146.31 (GenAI-Perf writes thousands separators). Returns 0 on success. */
static int number_with_commas(const char *s, double *out)
{
	char buf[64];
	size_t n = 0;
	for (; *s && n + 1 < sizeof buf; s++)
		if (*s != ',')
			buf[n++] = *s;
	buf[n] = 0;
	return n == 0 || obl_parse_double(buf, buf + n, out) != 0;
}

/* "Time To First Token (ms)" -> name "Time To First Token", unit "ms". */
static void name_and_unit(const char *label, char *name, size_t nn, char *unit, size_t un)
{
	const char *paren = strrchr(label, '(');
	size_t len = paren ? (size_t)(paren - label) : strlen(label);
	while (len > 0 && label[len - 1] == ' ')
		len--;
	snprintf(name, nn, "%.*s", (int)len, label);
	unit[0] = 0;
	if (paren) {
		const char *close = strchr(paren, ')');
		snprintf(unit, un, "%.*s", (int)(close ? close - paren - 1 : 0), paren + 1);
	}
}

static int read_genai_perf_csv(const struct obl_file *f, const struct obl_read_options *opt,
			       struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_csv_table table;
	int rc = obl_csv_load(f, &table, err);
	if (rc)
		return rc;
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	const struct obl_csv_row *header = NULL;
	/* matched ignoring case: AIPerf writes "Time to First Token", GenAI-Perf "Time To ..." */
	static const char *const latency[][2] = { { "Time To First Token", "ttft" },
						  { "Inter Token Latency", "itl" },
						  { "Request Latency", "e2el" },
						  { "Time To Second Token", "ttst" },
						  { "Time To First Output Token", "ttfo" } };
	static const char *const counts[][3] = {
		{ "Request Throughput", "request_throughput_req_s", "req/s" },
		{ "Output Token Throughput", "output_throughput_tok_s", "tok/s" },
		{ "Request Count", "request_count", "" },
		{ "Error Request Count", "failed_requests", "" },
		{ "Benchmark Duration", "duration_s", "s" },
		{ "Input Token Throughput", "input_throughput_tok_s", "tok/s" },
		{ "Total Token Throughput", "total_throughput_tok_s", "tok/s" },
	};
	static const char *const stat[][2] = { { "avg", "mean" }, { "p50", "median" }, { "p90", "p90" }, { "p95", "p95" }, { "p99", "p99" } };
	for (size_t r = 0; !rc && r < table.n; r++) {
		const struct obl_csv_row *row = &table.rows[r];
		if (row->n >= 1 && !strcmp(row->fields[0], "Metric")) {
			header = row; /* a new block: "Metric,avg,..." or "Metric,Value" */
			continue;
		}
		if (!header || row->n < 2)
			continue;
		char name[96], unit[32];
		name_and_unit(row->fields[0], name, sizeof name, unit, sizeof unit);
		if (header->n == 2 && !strcmp(header->fields[1], "Value")) {
			const char *metric = NULL, *munit = "";
			for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
				if (!strcasecmp(name, counts[k][0])) {
					metric = counts[k][1];
					munit = counts[k][2];
				}
			double v;
			if (!metric)
				continue;
			if (number_with_commas(row->fields[1], &v)) {
				rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, row->fields[0],
						   "'%s' is not a number", row->fields[1]);
				break;
			}
			struct obl_series *se = obl_trial_series(t, metric, munit, OBL_KIND_AGGREGATE);
			if (!se || obl_values_push(&se->values, v))
				rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
			continue;
		}
		const char *short_name = NULL;
		for (size_t l = 0; l < sizeof latency / sizeof *latency; l++)
			if (!strcasecmp(name, latency[l][0]))
				short_name = latency[l][1];
		/* AIPerf: throughputs and counts in the same table, their value under avg */
		for (size_t k = 0; !short_name && k < sizeof counts / sizeof *counts; k++) {
			if (strcasecmp(name, counts[k][0]) || header->n < 2 ||
			    strcmp(header->fields[1], "avg"))
				continue;
			double v;
			if (number_with_commas(row->fields[1], &v)) {
				rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, row->fields[0],
						   "'%s' is not a number", row->fields[1]);
				break;
			}
			struct obl_series *se =
				obl_trial_series(t, counts[k][1], counts[k][2], OBL_KIND_AGGREGATE);
			if (!se || obl_values_push(&se->values, v))
				rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
			break;
		}
		if (!short_name)
			continue; /* sequence lengths, per-user throughput, GPU telemetry */
		double scale = to_ms(unit);
		if (scale == 0) {
			rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, row->fields[0],
					   "expected a unit of time, got '%s'", unit);
			break;
		}
		for (size_t c = 1; !rc && c < header->n && c < row->n; c++)
			for (size_t s = 0; s < 5; s++) {
				if (strcmp(header->fields[c], stat[s][0]))
					continue;
				double v;
				if (number_with_commas(row->fields[c], &v) || !(v >= 0)) {
					rc = obl_error_set(err, OBL_EINPUT, f->path, row->line,
							   row->fields[0],
							   "%s: '%s' is not a non-negative number",
							   stat[s][0], row->fields[c]);
					break;
				}
				char metric[64];
				snprintf(metric, sizeof metric, "%s_%s_ms", stat[s][1], short_name);
				struct obl_series *se =
					obl_trial_series(t, metric, "ms", OBL_KIND_AGGREGATE);
				if (!se || obl_values_push(&se->values, v * scale))
					rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL,
							   "out of memory");
			}
	}
	if (!rc && t && t->n_series == 0)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "no latency or throughput rows found");
	obl_csv_free(&table);
	return rc;
}

const struct obl_reader obl_reader_genai_perf_csv = {
	"genai-perf-csv",
	"NVIDIA GenAI-Perf CSV export (profile_export_genai_perf.csv)",
	detect_csv,
	read_genai_perf_csv,
	NULL,
};
