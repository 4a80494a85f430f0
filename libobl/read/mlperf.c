/*
 * read_mlperf.c - MLPerf Inference LoadGen logs, both of them:
 *
 *     mlperf_log_summary.txt   "Samples per second: 80.15", "50.00 percentile latency (ns) : ..."
 *     mlperf_log_detail.txt    ":::MLLOG {"key": "result_50.00_percentile_latency_ns", ...}"
 *
 * A log is one run: one trial of aggregates. The scenario key is LoadGen's scenario (Offline,
 * Server, SingleStream, MultiStream); SUT name, mode, validity and the date are tags.
 * Throughput becomes samples_per_s and tokens_per_s (higher is better); latencies are stored
 * in milliseconds under vLLM's summary names where they mean the same thing: a request's
 * latency as <stat>_latency_ms, the first-token latency as <stat>_ttft_ms and the time per
 * output token as <stat>_tpot_ms, <stat> being min, max, mean, median (the 50.00 percentile)
 * or pNN (p90, p99, p99.9).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/* ---- Shared: names and values ---------------------------------------------------------- */

/* "50.00" -> "median", "99.90" -> "p99.9", "min" -> "min". */
static void stat_name(const char *stat, char *out, size_t size)
{
	char *end;
	double pct = strtod(stat, &end);
	if (end == stat)
		snprintf(out, size, "%s", stat);
	else if (pct == 50)
		snprintf(out, size, "median");
	else
		snprintf(out, size, "p%g", pct);
}

/* Adds an aggregate; ns > 0 scales nanoseconds to milliseconds. */
static int add(struct obl_trial_data *t, const char *metric, const char *unit, double v,
	       int ns, const char *path, long line, struct obl_error *err)
{
	if (!isfinite(v) || v < 0)
		return obl_error_set(err, OBL_EINPUT, path, line, metric,
				     "%g is negative or not a number", v);
	struct obl_series *s = obl_trial_series(t, metric, unit, OBL_KIND_AGGREGATE);
	if (!s || obl_values_push(&s->values, ns ? v / 1e6 : v))
		return obl_error_set(err, OBL_ENOMEM, path, line, NULL, "out of memory");
	return OBL_OK;
}

/* A latency: kind "latency", "ttft" or "tpot", stat as LoadGen writes it. */
static int add_latency(struct obl_trial_data *t, const char *kind, const char *stat,
		       double ns, const char *path, long line, struct obl_error *err)
{
	char s[32], metric[64];
	stat_name(stat, s, sizeof s);
	snprintf(metric, sizeof metric, "%s_%s_ms", s, kind);
	return add(t, metric, "ms", ns, 1, path, line, err);
}

static int has_series(const struct obl_trial_data *t, const char *metric)
{
	for (size_t i = 0; i < t->n_series; i++)
		if (!strcmp(t->series[i].metric, metric))
			return 1;
	return 0;
}

/* ---- mlperf_log_summary.txt ------------------------------------------------------------- */

static int detect_summary(const struct obl_file *f)
{
	return obl_contains(f, "MLPerf Results Summary") && obl_contains(f, "SUT name") ? 95 : 0;
}

/* Lowercases s in place and returns it. */
static char *lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static int summary_line(struct obl_batch *b, struct obl_trial_data *t, char *key, char *value,
			const char *path, long line, struct obl_error *err)
{
	char *end;
	double v = strtod(value, &end);
	int number = end != value && (*end == 0 || isspace((unsigned char)*end));
	lower(key);
	static const char *const tags[][2] = { { "sut name", "sut" }, { "mode", "mode" }, { "result is", "result" }, { "target_qps", "target_qps" } };
	for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
		if (!strcmp(key, tags[i][0]))
			return obl_batch_tag(b, tags[i][1], value) ? OBL_ENOMEM : OBL_OK;
	if (!strcmp(key, "scenario"))
		return obl_trial_set_scenario(t, "scenario", value) ? OBL_ENOMEM : OBL_OK;
	if (!number)
		return OBL_OK;
	if (!strcmp(key, "samples per second") || !strcmp(key, "completed samples per second") ||
	    !strcmp(key, "qps w/o loadgen overhead"))
		return add(t, "samples_per_s", "1/s", v, 0, path, line, err);
	if (!strcmp(key, "scheduled samples per second"))
		return add(t, "scheduled_samples_per_s", "1/s", v, 0, path, line, err);
	if (!strcmp(key, "tokens per second") || !strcmp(key, "completed tokens per second"))
		return has_series(t, "tokens_per_s") /* written twice in LLM Server summaries */
			       ? OBL_OK
			       : add(t, "tokens_per_s", "tok/s", v, 0, path, line, err);
	/* "Min latency (ns)", "99.90 percentile first token latency (ns)",
	 * "Mean Time to Output Token (ns)", "90th percentile latency (ns)" (SingleStream) */
	size_t len = strlen(key);
	if (len < 5 || strcmp(key + len - 5, " (ns)"))
		return OBL_OK;
	key[len - 5] = 0;
	const char *kind = strstr(key, "first token")            ? "ttft"
			   : strstr(key, "time to output token") ? "tpot"
			   : strstr(key, "latency")              ? "latency"
								 : NULL;
	if (!kind)
		return OBL_OK;
	char stat[32];
	if (!strncmp(key, "min ", 4) || !strncmp(key, "max ", 4) || !strncmp(key, "mean ", 5))
		snprintf(stat, sizeof stat, "%.*s", (int)strcspn(key, " "), key);
	else if (strstr(key, " percentile "))
		snprintf(stat, sizeof stat, "%.*s", (int)strcspn(key, " "), key);
	else if (strstr(key, "th percentile")) /* "90th percentile latency" */
		snprintf(stat, sizeof stat, "%.*s", (int)strcspn(key, "t"), key);
	else
		return OBL_OK;
	return add_latency(t, kind, stat, v, path, line, err);
}

static int read_summary(const struct obl_file *f, const struct obl_read_options *opt,
			struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	const char *p = f->data, *end = f->data + f->len;
	long line = 0;
	int rc = OBL_OK;
	char *buf = NULL; /* the line, whole: values are never cut */
	size_t buf_size = 0;
	while (!rc && p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = (size_t)(eol - p);
		if (n + 1 > buf_size) {
			char *grown = realloc(buf, n + 1);
			if (!grown) {
				rc = obl_error_set(err, OBL_ENOMEM, f->path, line, NULL, "out of memory");
				break;
			}
			buf = grown;
			buf_size = n + 1;
		}
		memcpy(buf, p, n);
		buf[n] = 0;
		p = eol + 1;
		char *colon = strchr(buf, ':');
		if (!colon)
			continue;
		*colon = 0;
		char *key = buf, *value = colon + 1;
		while (isspace((unsigned char)*key))
			key++;
		for (char *k = colon; k > key && isspace((unsigned char)k[-1]);)
			*--k = 0;
		while (isspace((unsigned char)*value))
			value++;
		for (size_t vl = strlen(value); vl && isspace((unsigned char)value[vl - 1]);)
			value[--vl] = 0;
		if (*key && *value)
			rc = summary_line(b, t, key, value, f->path, line, err);
	}
	free(buf);
	if (!rc && t->n_series == 0)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "an MLPerf summary without results (no throughput, no latencies)");
	return rc;
}

/* ---- mlperf_log_detail.txt -------------------------------------------------------------- */

static const char MLLOG[] = ":::MLLOG ";

static int detect_detail(const struct obl_file *f)
{
	return f->len > sizeof MLLOG && !memcmp(f->data, MLLOG, sizeof MLLOG - 1) &&
			       obl_contains(f, "\"key\": \"")
		       ? 95
		       : 0;
}

static int detail_entry(struct obl_batch *b, struct obl_trial_data *t, const char *key,
			const struct obl_json *doc, size_t value, const char *path, long line,
			struct obl_error *err)
{
	static const char *const tags[][2] = {
		{ "sut_name", "sut" },
		{ "effective_test_mode", "mode" },
		{ "result_validity", "result" },
		{ "test_datetime", "date" },
		{ "loadgen_version", "loadgen" },
	};
	int type = doc->nodes[value].type;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK;
	if (type == OBL_JSON_STRING) {
		obl_json_string(doc, value, &sb);
		for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
			if (!strcmp(key, tags[i][0]) && obl_batch_tag(b, tags[i][1], sb.buf))
				rc = OBL_ENOMEM;
		if (!strcmp(key, "effective_scenario") &&
		    obl_trial_set_scenario(t, "scenario", sb.buf))
			rc = OBL_ENOMEM;
		obl_strbuf_release(&sb);
		return rc;
	}
	obl_strbuf_release(&sb);
	double v;
	if (type != OBL_JSON_NUMBER || strncmp(key, "result_", 7) || obl_json_number(doc, value, &v))
		return OBL_OK;
	const char *k = key + 7;
	if (!strcmp(k, "samples_per_second") || !strcmp(k, "completed_samples_per_sec") ||
	    !strcmp(k, "qps_without_loadgen_overhead"))
		return add(t, "samples_per_s", "1/s", v, 0, path, line, err);
	if (!strcmp(k, "scheduled_samples_per_sec"))
		return add(t, "scheduled_samples_per_s", "1/s", v, 0, path, line, err);
	if (!strcmp(k, "tokens_per_second") || !strcmp(k, "completed_tokens_per_second"))
		return add(t, "tokens_per_s", "tok/s", v, 0, path, line, err);
	/* result_<stat>_latency_ns, result_<stat>_percentile_latency_ns,
	 * result_first_token_<stat>_latency_ns, result_time_to_output_token_<stat>... */
	size_t len = strlen(k);
	/* LoadGen writes the TPOT statistics without the _ns of the others
	 * (result_time_to_output_token_mean): nanoseconds all the same */
	int tpot = !strncmp(k, "time_to_output_token_", 21);
	if (!tpot && (len < 3 || strcmp(k + len - 3, "_ns")))
		return OBL_OK;
	const char *kind = "latency";
	if (!strncmp(k, "first_token_", 12)) {
		kind = "ttft";
		k += 12;
	} else if (!strncmp(k, "time_to_output_token_", 21)) {
		kind = "tpot";
		k += 21;
	}
	char stat[32];
	size_t sl = strcspn(k, "_");
	snprintf(stat, sizeof stat, "%.*s", (int)sl, k);
	if (strcmp(stat, "min") && strcmp(stat, "max") && strcmp(stat, "mean") &&
	    !isdigit((unsigned char)stat[0]))
		return OBL_OK;
	return add_latency(t, kind, stat, v, path, line, err);
}

static int read_detail(const struct obl_file *f, const struct obl_read_options *opt,
		       struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	const char *p = f->data, *end = f->data + f->len;
	long line = 0;
	int rc = OBL_OK, results = 0;
	struct obl_strbuf key;
	obl_strbuf_init(&key);
	while (!rc && p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = (size_t)(eol - p);
		if (n > sizeof MLLOG - 1 && !memcmp(p, MLLOG, sizeof MLLOG - 1)) {
			struct obl_json doc;
			const char *json = p + sizeof MLLOG - 1;
			rc = obl_json_parse(&doc, json, (size_t)(eol - json), f->path, err);
			if (rc) {
				err->line = line; /* the position on the file's line */
				break;
			}
			size_t k = doc.nodes[0].type == OBL_JSON_OBJECT ? obl_json_get(&doc, 0, "key") : 0;
			size_t v = doc.nodes[0].type == OBL_JSON_OBJECT ? obl_json_get(&doc, 0, "value")
									: 0;
			if (k && v && doc.nodes[k].type == OBL_JSON_STRING) {
				obl_strbuf_reset(&key);
				obl_json_string(&doc, k, &key);
				results += !strncmp(key.buf, "result_", 7);
				rc = detail_entry(b, t, key.buf, &doc, v, f->path, line, err);
			}
			obl_json_free(&doc);
		}
		p = eol + 1;
	}
	obl_strbuf_release(&key);
	if (!rc && !results)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "an MLPerf detail log without result_ entries (an accuracy run, "
				   "or a run that did not finish)");
	return rc;
}

const struct obl_reader obl_reader_mlperf_summary = {
	"mlperf-summary",
	"MLPerf Inference LoadGen mlperf_log_summary.txt",
	detect_summary,
	read_summary,
	NULL,
};

const struct obl_reader obl_reader_mlperf_detail = {
	"mlperf-detail",
	"MLPerf Inference LoadGen mlperf_log_detail.txt (:::MLLOG lines)",
	detect_detail,
	read_detail,
	NULL,
};
