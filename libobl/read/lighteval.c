/*
 * lighteval.c - Hugging Face lighteval results (results_<date>.json): config_general,
 * results, config_tasks, ...
 *
 * Each task of `results` ("suite|task|fewshot") is a scenario (task=NAME, fewshot=N); each of
 * its scores is one value (an aggregate: lighteval does not say how many samples it saw), its
 * standard error kept beside it as METRIC_stderr. The direction comes from config_tasks'
 * higher_is_better. The "all" entry, the mean over tasks, is left out: it is not a task.
 * The model (config_general.model_config.model_name) and lighteval's commit are run tags.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) != '{')
		return 0;
	return obl_contains(f, "\"config_general\"") && obl_contains(f, "\"lighteval_sha\"") ? 92
											     : 0;
}

/* higher_is_better of metric in config_tasks[task].metrics[]: 1, 0, or -1 if unknown. */
static int higher_is_better(const struct obl_json *doc, const char *task, const char *metric)
{
	size_t tasks = obl_json_get(doc, 0, "config_tasks");
	size_t t = tasks && doc->nodes[tasks].type == OBL_JSON_OBJECT ? obl_json_get(doc, tasks, task)
								      : 0;
	size_t list = t && doc->nodes[t].type == OBL_JSON_OBJECT ? obl_json_get(doc, t, "metrics")
								 : 0;
	if (!list || doc->nodes[list].type != OBL_JSON_ARRAY || doc->nodes[list].packed)
		return -1;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int answer = -1;
	for (size_t m = obl_json_first(doc, list); m && answer < 0;
	     m = obl_json_next_sibling(doc, list, m)) {
		if (doc->nodes[m].type != OBL_JSON_OBJECT)
			continue;
		size_t name = obl_json_get(doc, m, "metric_name");
		if (!name || doc->nodes[name].type != OBL_JSON_STRING)
			continue;
		obl_strbuf_reset(&sb);
		obl_json_string(doc, name, &sb);
		if (obl_strbuf_failed(&sb) || strcmp(sb.buf, metric))
			continue;
		size_t h = obl_json_get(doc, m, "higher_is_better");
		if (h && doc->nodes[h].type == OBL_JSON_TRUE)
			answer = 1;
		else if (h && doc->nodes[h].type == OBL_JSON_FALSE)
			answer = 0;
	}
	obl_strbuf_release(&sb);
	return answer;
}

static int read_lighteval(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	size_t results = doc->nodes[0].type == OBL_JSON_OBJECT ? obl_json_get(doc, 0, "results")
							       : 0;
	if (!results || doc->nodes[results].type != OBL_JSON_OBJECT)
		return obl_json_error(doc, results, err, "results",
				      "expected lighteval results: an object of tasks");
	struct obl_strbuf task, key, name;
	obl_strbuf_init(&task);
	obl_strbuf_init(&key);
	obl_strbuf_init(&name);
	int rc = OBL_OK;
	size_t config = obl_json_get(doc, 0, "config_general");
	if (config && doc->nodes[config].type == OBL_JSON_OBJECT) {
		static const char *const sha[][2] = { { "lighteval_sha", "lighteval_sha" } };
		rc = obl_json_tags(doc, config, sha, 1, b);
		size_t model = obl_json_get(doc, config, "model_config");
		static const char *const m[][2] = { { "model_name", "model" } };
		if (!rc && model)
			rc = obl_json_tags(doc, model, m, 1, b);
	}
	for (size_t e = obl_json_first(doc, results); !rc && e;
	     e = obl_json_next_sibling(doc, results, e)) {
		obl_strbuf_reset(&task);
		obl_json_string(doc, obl_json_key_of(doc, e), &task);
		if (obl_strbuf_failed(&task)) {
			rc = OBL_ENOMEM;
			break;
		}
		if (!strcmp(task.buf, "all") || doc->nodes[e].type != OBL_JSON_OBJECT)
			continue;
		struct obl_trial_data *t = obl_batch_trial(b);
		if (!t) {
			rc = OBL_ENOMEM;
			break;
		}
		/* "suite|task|fewshot" */
		char *bar1 = strchr(task.buf, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
		if (bar1 && bar2) {
			*bar2 = 0;
			if (obl_trial_set_scenario(t, "task", bar1 + 1) ||
			    obl_trial_set_scenario(t, "fewshot", bar2 + 1))
				rc = OBL_ENOMEM;
			*bar2 = '|';
		} else if (obl_trial_set_scenario(t, "task", task.buf)) {
			rc = OBL_ENOMEM;
		}
		for (size_t m = obl_json_first(doc, e); !rc && m; m = obl_json_next_sibling(doc, e, m)) {
			if (doc->nodes[m].type != OBL_JSON_NUMBER)
				continue;
			obl_strbuf_reset(&key);
			obl_json_string(doc, obl_json_key_of(doc, m), &key);
			double v;
			obl_json_number(doc, m, &v);
			if (!isfinite(v)) {
				rc = obl_json_error(doc, m, err, key.buf, "task %s: not a finite number",
						    task.buf);
				break;
			}
			obl_strbuf_reset(&name);
			for (size_t i = 0; i < key.len; i++)
				obl_strbuf_addch(&name, key.buf[i] == ' ' || key.buf[i] == '-' ||
									key.buf[i] == '|'
								? '_'
								: key.buf[i]);
			const char *metric =
				obl_strbuf_failed(&name) ? NULL : obl_batch_intern(b, name.buf, name.len);
			struct obl_series *s =
				metric ? obl_trial_series(t, metric, "", OBL_KIND_AGGREGATE) : NULL;
			if (!s || obl_values_push(&s->values, v)) {
				rc = OBL_ENOMEM;
				break;
			}
			size_t kl = key.len;
			if (kl > 7 && !strcmp(key.buf + kl - 7, "_stderr")) {
				s->direction = OBL_DIRECTION_NONE;
			} else {
				int hib = higher_is_better(doc, task.buf, key.buf);
				if (hib >= 0)
					s->direction = hib ? OBL_HIGHER_IS_BETTER : OBL_LOWER_IS_BETTER;
			}
		}
	}
	obl_strbuf_release(&task);
	obl_strbuf_release(&key);
	obl_strbuf_release(&name);
	if (!rc && b->n_trials == 0)
		rc = obl_json_error(doc, results, err, "results", "no task results");
	return rc;
}

const struct obl_reader obl_reader_lighteval = {
	"lighteval",
	"Hugging Face lighteval results (results_<date>.json): scores per task with stderr",
	detect,
	NULL,
	read_lighteval,
};
