/*
 * read_hyperfine.c - hyperfine's --export-json: {"results": [{"command", "times", "exit_codes",
 * "user", "system", "parameters", ...}]}.
 *
 * Each result is a trial whose scenario is the command (benchmark=...) and its parameters
 * (hyperfine -P/-L: {"threads": "4"} -> threads=4); its "times" (seconds, one per run) are the
 * samples of wall_time_s; the mean user and system times are stored as they are (hyperfine
 * exports no per-run values for them); exit codes give success_rate. A run that failed
 * (exit code not 0, or the whole command marked " [ERROR]" by hyperfine before exit_codes)
 * is no sample: its time is left out, and so are the user and system means, which include
 * it.
 */
#include <math.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) == '{' && obl_contains(f, "\"results\"") &&
	    obl_contains(f, "\"command\"") && obl_contains(f, "\"times\""))
		return 90;
	return 0;
}

static int add_aggregate(const struct obl_json *doc, size_t r, struct obl_trial_data *t,
			 const char *key, const char *metric, struct obl_error *err)
{
	double v;
	int present;
	int rc = obl_json_get_number(doc, r, key, &v, &present, err);
	if (rc || !present)
		return rc;
	if (!isfinite(v) || v < 0)
		return obl_json_error(doc, obl_json_get(doc, r, key), err, key,
				      "%g is negative or not a number", v);
	struct obl_series *s = obl_trial_series(t, metric, "s", OBL_KIND_AGGREGATE);
	if (!s || obl_values_push(&s->values, v))
		return OBL_ENOMEM;
	return OBL_OK;
}

static int read_result(const struct obl_json *doc, size_t r, size_t index, struct obl_batch *b,
		       struct obl_error *err)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present, rc = obl_json_get_text(doc, r, "command", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_error(doc, r, err, NULL, "result %zu: no 'command'", index);
	/* Hyperfine before exit_codes marked a command that failed with " [ERROR]" after its
	 * name: the same command, every run failed. */
	int marked_failed = 0;
	if (!rc && sb.len >= 8 && !strcmp(sb.buf + sb.len - 8, " [ERROR]")) {
		marked_failed = 1;
		sb.len -= 8;
		while (sb.len && sb.buf[sb.len - 1] == ' ')
			sb.len--;
		sb.buf[sb.len] = 0;
	}
	struct obl_trial_data *t = rc ? NULL : obl_batch_trial(b);
	if (!rc && (!t || obl_trial_set_scenario(t, "benchmark", sb.buf)))
		rc = OBL_ENOMEM;
	size_t params = rc ? 0 : obl_json_get(doc, r, "parameters");
	if (params && doc->nodes[params].type == OBL_JSON_OBJECT) {
		struct obl_strbuf key;
		obl_strbuf_init(&key);
		for (size_t p = obl_json_first(doc, params); !rc && p;
		     p = obl_json_next_sibling(doc, params, p)) {
			obl_strbuf_reset(&key);
			obl_strbuf_reset(&sb);
			obl_json_string(doc, obl_json_key_of(doc, p), &key);
			if (doc->nodes[p].type == OBL_JSON_STRING)
				obl_json_string(doc, p, &sb);
			else if (doc->nodes[p].type == OBL_JSON_NUMBER)
				rc = obl_json_get_text(doc, params, key.buf, &sb, &present, err);
			else
				continue;
			if (!rc && obl_trial_set_scenario(t, key.buf, sb.buf))
				rc = OBL_ENOMEM;
		}
		obl_strbuf_release(&key);
	}
	obl_strbuf_release(&sb);
	if (rc)
		return rc;
	struct obl_values times = { 0 }, codes = { 0 };
	int has_codes;
	rc = obl_json_get_numbers(doc, r, "times", &times, &present, err);
	if (!rc && !present)
		rc = obl_json_error(doc, r, err, "times", "result %zu: no per-run times", index);
	for (size_t i = 0; !rc && i < times.n; i++)
		if (!isfinite(times.v[i]) || times.v[i] < 0)
			rc = obl_json_error(doc, obl_json_get(doc, r, "times"), err, "times",
					    "run %zu: %g is negative or not a number", i + 1,
					    times.v[i]);
	if (!rc)
		rc = obl_json_get_numbers(doc, r, "exit_codes", &codes, &has_codes, err);
	if (!rc && has_codes && codes.n != times.n)
		rc = obl_json_error(doc, obl_json_get(doc, r, "exit_codes"), err, "exit_codes",
				    "has %zu entries but 'times' has %zu", codes.n, times.n);
	/* A failed run's time is not a measurement of the command: only runs that exited 0
	 * are samples; the others count against success_rate. */
	size_t failed = 0;
	if (!rc && marked_failed) {
		failed = times.n;
		times.n = 0;
	} else if (!rc && has_codes) {
		size_t k = 0;
		for (size_t i = 0; i < times.n; i++)
			if (codes.v[i] == 0)
				times.v[k++] = times.v[i];
			else
				failed++;
		times.n = k;
	}
	if (!rc && failed)
		obl_batch_warn(b, "%s: result %zu: %zu of %zu runs failed%s: their times are not "
				  "stored%s",
			       doc->path, index, failed, failed + times.n,
			       marked_failed ? " (marked [ERROR])" : "",
			       " and nor are the mean user and system times, which include them");
	if (!rc && times.n) {
		struct obl_series *s = obl_trial_series(t, "wall_time_s", "s", OBL_KIND_SAMPLE);
		if (!s) {
			rc = OBL_ENOMEM;
		} else {
			obl_values_release(&s->values);
			s->values = times;
			times = (struct obl_values){ 0 };
		}
	}
	if (!rc && !failed)
		rc = add_aggregate(doc, r, t, "user", "user_time_s", err);
	if (!rc && !failed)
		rc = add_aggregate(doc, r, t, "system", "system_time_s", err);
	if (!rc && ((has_codes && codes.n) || (marked_failed && failed))) {
		struct obl_series *s = obl_trial_series(t, "success_rate", "", OBL_KIND_PROPORTION);
		if (!s) {
			rc = OBL_ENOMEM;
		} else {
			size_t n = marked_failed ? failed : codes.n;
			s->successes = (double)(n - failed);
			s->trials = (double)n;
		}
	}
	obl_values_release(&times);
	obl_values_release(&codes);
	return rc;
}

static int read_hyperfine(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	size_t results;
	rc = obl_json_root_array(doc, "results", "hyperfine's export", &results, err);
	size_t i = 0;
	for (size_t r = rc ? 0 : obl_json_first(doc, results); !rc && r;
	     r = obl_json_next_sibling(doc, results, r), i++)
		rc = doc->nodes[r].type == OBL_JSON_OBJECT
			     ? read_result(doc, r, i, b, err)
			     : obl_json_error(doc, r, err, "results", "result %zu: expected an object",
					      i);
	if (!rc && i == 0)
		rc = obl_json_error(doc, results, err, "results", "no results");
	return rc;
}

const struct obl_reader obl_reader_hyperfine = {
	"hyperfine",
	"hyperfine --export-json (each command's run times)",
	detect,
	NULL,
	read_hyperfine,
};
