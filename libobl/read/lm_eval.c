/*
 * read_lm_eval.c - EleutherAI lm-evaluation-harness results (results_*.json): one repetition,
 * each task a scenario (task=<name>), each "<metric>,<filter>" a metric.
 *
 * An accuracy-like value (between 0 and 1, higher is better) whose sample count is known
 * (n-samples.effective, or sample_len) and which is a whole number of successes of it is a
 * proportion: stored as successes of trials, so that a quantized model's accuracy is compared
 * with Fisher's exact test on the counts. Anything else (perplexity, bits per byte, averages
 * over subtasks) is one value of the repetition, with the direction the file states in
 * higher_is_better. A metric under a filter other than "none" is named <metric>_<filter>.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	return obl_first_char(f) == '{' && obl_contains(f, "\"results\"") &&
			       (obl_contains(f, "\"n-samples\"") || obl_contains(f, "\"higher_is_better\"") ||
				obl_contains(f, "\"versions\"")) &&
			       obl_contains(f, ",none\"")
		       ? 85
		       : 0;
}

/* The sample count of a task: n-samples.<task>.effective, else results.<task>.sample_len. */
static double sample_count(const struct obl_json *doc, size_t task_result, const char *task)
{
	size_t ns = obl_json_get(doc, 0, "n-samples");
	size_t t = ns ? obl_json_get(doc, ns, task) : 0;
	size_t eff = t ? obl_json_get(doc, t, "effective") : 0;
	double n;
	if (eff && obl_json_number(doc, eff, &n) == 0)
		return n;
	size_t len = obl_json_get(doc, task_result, "sample_len");
	if (len && obl_json_number(doc, len, &n) == 0)
		return n;
	return NAN;
}

/* higher_is_better.<task>.<metric>: 1, 0, or -1 when the file does not say. */
static int higher_is_better(const struct obl_json *doc, const char *task, const char *metric)
{
	size_t hib = obl_json_get(doc, 0, "higher_is_better");
	size_t t = hib ? obl_json_get(doc, hib, task) : 0;
	size_t m = t ? obl_json_get(doc, t, metric) : 0;
	if (!m)
		return -1;
	return doc->nodes[m].type == OBL_JSON_TRUE ? 1 : doc->nodes[m].type == OBL_JSON_FALSE ? 0
											      : -1;
}

static int read_task(const struct obl_json *doc, size_t result, const char *task,
		     struct obl_batch *b, struct obl_error *err)
{
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t || obl_trial_set_scenario(t, "task", task))
		return obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	double n = sample_count(doc, result, task);
	struct obl_strbuf key;
	obl_strbuf_init(&key);
	int rc = OBL_OK;
	for (size_t v = obl_json_first(doc, result); !rc && v; v = obl_json_next_sibling(doc, result, v)) {
		obl_strbuf_reset(&key);
		obl_json_string(doc, obl_json_key_of(doc, v), &key);
		char *comma = strchr(key.buf, ',');
		if (!comma || doc->nodes[v].type != OBL_JSON_NUMBER)
			continue; /* alias, name, sample_len, "N/A" stderrs */
		*comma = 0;
		const char *filter = comma + 1;
		size_t mlen = strlen(key.buf);
		if (mlen > 7 && !strcmp(key.buf + mlen - 7, "_stderr"))
			continue; /* the interval comes from the counts */
		double value;
		obl_json_number(doc, v, &value);
		if (!isfinite(value)) {
			rc = obl_json_error(doc, v, err, key.buf, "task %s: not a finite number", task);
			break;
		}
		struct obl_strbuf name;
		obl_strbuf_init(&name);
		obl_strbuf_addstr(&name, key.buf);
		if (strcmp(filter, "none"))
			obl_strbuf_addf(&name, "_%s", filter);
		for (size_t i = 0; !obl_strbuf_failed(&name) && i < name.len; i++)
			if (name.buf[i] == ' ' || name.buf[i] == '-')
				name.buf[i] = '_';
		const char *metric =
			obl_strbuf_failed(&name) ? NULL : obl_batch_intern(b, name.buf, name.len);
		obl_strbuf_release(&name);
		if (!metric) {
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
			break;
		}
		int hib = higher_is_better(doc, task, key.buf);
		double successes = value * n;
		int proportion = hib != 0 && value >= 0 && value <= 1 && n >= 1 &&
				 fabs(successes - round(successes)) < 1e-6 * fmax(1, n);
		struct obl_series *s = obl_trial_series(
			t, metric, "", proportion ? OBL_KIND_PROPORTION : OBL_KIND_AGGREGATE);
		if (!s) {
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
			break;
		}
		if (hib >= 0)
			s->direction = hib ? OBL_HIGHER_IS_BETTER : OBL_LOWER_IS_BETTER;
		if (proportion) {
			s->successes = round(successes);
			s->trials = n;
		} else if (obl_values_push(&s->values, value)) {
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
		}
	}
	obl_strbuf_release(&key);
	return rc;
}

static int read_lm_eval(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	size_t results = obl_json_get(doc, 0, "results");
	if (!results || doc->nodes[results].type != OBL_JSON_OBJECT) {
		rc = obl_json_error(doc, results, err, "results", "expected an object of tasks");
		goto done;
	}
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present;
	static const char *const tags[][2] = { { "model_name", "model" }, { "git_hash", "git_sha" }, { "date", "date" } };
	for (size_t i = 0; !rc && i < 3; i++) {
		rc = obl_json_get_text(doc, 0, tags[i][0], &sb, &present, err);
		if (!rc && present && obl_batch_tag(b, tags[i][1], sb.buf))
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, 0, NULL, "out of memory");
	}
	for (size_t task = obl_json_first(doc, results); !rc && task;
	     task = obl_json_next_sibling(doc, results, task)) {
		obl_strbuf_reset(&sb);
		obl_json_string(doc, obl_json_key_of(doc, task), &sb);
		if (doc->nodes[task].type != OBL_JSON_OBJECT) {
			rc = obl_json_error(doc, task, err, sb.buf, "expected an object of metrics");
			break;
		}
		rc = read_task(doc, task, sb.buf, b, err);
	}
	obl_strbuf_release(&sb);
done:
	return rc;
}

const struct obl_reader obl_reader_lm_eval = {
	"lm-eval",
	"lm-evaluation-harness results (accuracy per task as successes of n)",
	detect,
	NULL,
	read_lm_eval,
};
