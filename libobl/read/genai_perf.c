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
						  { "request_latency", "e2el" } };
	static const char *const stat[][2] = { { "avg", "mean" }, { "p50", "median" },
					       { "p90", "p90" },   { "p95", "p95" },
					       { "p99", "p99" },   { "std", "std" } };
	for (size_t l = 0; !rc && l < 3; l++) {
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
	};
	for (size_t r = 0; !rc && r < 3; r++) {
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
	static const char *const latency[][2] = { { "Time To First Token", "ttft" },
						  { "Inter Token Latency", "itl" },
						  { "Request Latency", "e2el" },
						  { "Time To Second Token", "ttst" } };
	static const char *const stat[][2] = { { "avg", "mean" }, { "p50", "median" },
					       { "p90", "p90" },   { "p95", "p95" },
					       { "p99", "p99" } };
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
			const char *metric = !strcmp(name, "Output Token Throughput")
						     ? "output_throughput_tok_s"
					     : !strcmp(name, "Request Throughput") ? "request_throughput_req_s"
										   : NULL;
			double v;
			if (!metric)
				continue;
			if (number_with_commas(row->fields[1], &v)) {
				rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, row->fields[0],
						   "'%s' is not a number", row->fields[1]);
				break;
			}
			struct obl_series *se = obl_trial_series(t, metric, "", OBL_KIND_AGGREGATE);
			if (!se || obl_values_push(&se->values, v))
				rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
			continue;
		}
		const char *short_name = NULL;
		for (size_t l = 0; l < 4; l++)
			if (!strcmp(name, latency[l][0]))
				short_name = latency[l][1];
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
