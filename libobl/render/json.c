/*
 * json.c - the JSON contracts of obl-stats and obl-compare (documented in their man pages),
 * built as cJSON trees and laid out by obl_json_print. Numbers read back to the same double;
 * a value that is not finite is null, with a "<field>_reason" (or "reason") member saying why.
 */
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "json_write.h"
#include "options.h"

/* A number that may be non-finite: null plus "<k>_reason". */
static void num_or_reason(cJSON *o, const char *k, double v, const char *reason)
{
	obl_json_add_number(o, k, v);
	if (!isfinite(v)) {
		char rk[64];
		snprintf(rk, sizeof rk, "%s_reason", k);
		obl_json_add_string(o, rk, reason ? reason : isnan(v) ? "undefined"
								      : "infinite");
	}
}

static cJSON *child(cJSON *parent, const char *k, cJSON *item)
{
	return obl_json_add(parent, k, item);
}

/* A scenario value that is a plain finite number is written as a number. */
static void scenario_object(cJSON *o, const struct obl_kv *kv, size_t n)
{
	cJSON *sc = child(o, "scenario", cJSON_CreateObject());
	for (size_t i = 0; sc && i < n; i++) {
		double v;
		const char *s = kv[i].value;
		if (s && obl_parse_double(s, s + strlen(s), &v) == 0)
			obl_json_add_number(sc, kv[i].key, v);
		else
			obl_json_add_string(sc, kv[i].key, s ? s : "");
	}
}

static void interval(cJSON *o, const char *k, const struct obl_interval *ci)
{
	if (isnan(ci->low) || isnan(ci->high)) {
		obl_json_add(o, k, cJSON_CreateNull());
		char rk[64];
		snprintf(rk, sizeof rk, "%s_reason", k);
		obl_json_add_string(o, rk, ci->reason ? ci->reason : "undefined");
		return;
	}
	cJSON *a = child(o, k, cJSON_CreateArray());
	if (a) {
		obl_json_add(a, NULL, obl_json_new_number(ci->low));
		obl_json_add(a, NULL, obl_json_new_number(ci->high));
	}
}

/* Prints the tree and frees it; a tree left incomplete marks out failed. */
static void finish(struct obl_strbuf *out, cJSON *root)
{
	obl_json_print(out, root);
	cJSON_Delete(root);
}

void obl_render_stats_json(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			   const struct obl_render_options *opt)
{
	(void)opt;
	cJSON *root = cJSON_CreateObject();
	if (!root) {
		obl_json_print(out, NULL);
		return;
	}
	obl_json_add_string(root, "obl_version", OBL_VERSION);
	obl_json_add_number(root, "confidence", n ? rows[0].confidence : 0.95);
	cJSON *stats = child(root, "stats", cJSON_CreateArray());
	for (size_t i = 0; stats && i < n; i++) {
		const struct obl_stats_row *r = &rows[i];
		cJSON *o = child(stats, NULL, cJSON_CreateObject());
		if (!o)
			break;
		if (r->name)
			obl_json_add_string(o, "name", r->name);
		if (r->run)
			obl_json_add_string(o, "run", r->run);
		if (r->run || r->scenario_len)
			scenario_object(o, r->scenario, r->scenario_len);
		if (r->metric) {
			obl_json_add_string(o, "metric", r->metric);
			obl_json_add_string(o, "unit", r->unit ? r->unit : "");
		}
		if (r->repetitions)
			obl_json_add_count(o, "repetitions", r->repetitions);
		obl_json_add_count(o, "n", r->n);
		obl_json_add_number(o, "mean", r->mean);
		num_or_reason(o, "sd", r->sd, r->n < 2 ? "a single value" : NULL);
		obl_json_add_number(o, "min", r->min);
		obl_json_add_number(o, "max", r->max);
		obl_json_add_number(o, "median", r->median);
		obl_json_add_number(o, "p90", r->p90);
		obl_json_add_number(o, "p99", r->p99);
		interval(o, "mean_ci", &r->mean_ci);
		interval(o, "median_ci", &r->median_ci);
		interval(o, "p90_ci", &r->p90_ci);
		interval(o, "p99_ci", &r->p99_ci);
		num_or_reason(o, "autocorr_lag1", r->autocorr_lag1,
			      r->n < 3 ? "fewer than 3 values" : "the values do not vary");
	}
	finish(out, root);
}

static void side(cJSON *parent, const char *k, const char *name, const struct obl_side *s)
{
	cJSON *o = child(parent, k, cJSON_CreateObject());
	if (!o)
		return;
	if (name)
		obl_json_add_string(o, "name", name);
	obl_json_add_count(o, "n", s->n);
	obl_json_add_number(o, "mean", s->mean);
	num_or_reason(o, "sd", s->sd, s->n < 2 ? "a single value" : NULL);
	obl_json_add_number(o, "median", s->median);
	obl_json_add_number(o, "min", s->min);
	obl_json_add_number(o, "max", s->max);
	obl_json_add_number(o, "center", s->center);
}

static void estimate(cJSON *parent, const char *k, const struct obl_estimate *e)
{
	cJSON *o = child(parent, k, cJSON_CreateObject());
	if (!o)
		return;
	obl_json_add_number(o, "estimate", e->estimate);
	obl_json_add_number(o, "ci_low", e->ci_low);
	obl_json_add_number(o, "ci_high", e->ci_high);
	if (!isfinite(e->estimate) || !isfinite(e->ci_low) || !isfinite(e->ci_high))
		obl_json_add_string(o, "reason", e->reason ? e->reason : "undefined");
}

static void comparison(cJSON *o, const struct obl_comparison *c)
{
	if (c->unit) { /* rows from a database */
		obl_json_add_string(o, "baseline_run", c->baseline_name);
		obl_json_add_string(o, "candidate_run", c->candidate_name);
	}
	if (c->scenario_len || c->unit)
		scenario_object(o, c->scenario, c->scenario_len);
	if (c->across)
		obl_json_add_count(o, "across_scenarios", c->across);
	obl_json_add_string(o, "metric", c->metric ? c->metric : "value");
	if (c->unit)
		obl_json_add_string(o, "unit", c->unit);
	obl_json_add_string(o, "direction", obl_direction_names[c->direction]);
	if (c->stat_name)
		obl_json_add_string(o, "statistic", c->stat_name);
	if (c->unit_of_analysis)
		obl_json_add_string(o, "unit_of_analysis",
				    obl_unit_of_analysis_names[c->unit_of_analysis]);
	if (c->presence != OBL_PAIRED) {
		obl_json_add_string(o, "presence", obl_presence_names[c->presence]);
		obl_json_add_string(o, "verdict", obl_row_verdict(c));
		obl_json_add_string(o, "note", c->note);
		return;
	}
	obl_json_add_bool(o, "gates", c->gating);
	obl_json_add_string(o, "count", obl_count_label(c));
	obl_json_add_string(o, "center", obl_center_label(c));
	side(o, "baseline", c->unit ? NULL : c->baseline_name, &c->baseline);
	side(o, "candidate", c->unit ? NULL : c->candidate_name, &c->candidate);
	cJSON *test = child(o, "test", cJSON_CreateObject());
	if (test) {
		obl_json_add_string(test, "method", obl_method_names[c->method]);
		obl_json_add_number(test, "statistic", c->statistic);
		if (c->method != OBL_METHOD_MANN_WHITNEY &&
		    c->method != OBL_METHOD_MANN_WHITNEY_EXACT)
			obl_json_add_number(test, "df", c->df);
		obl_json_add_number(test, "p_value", c->p_value);
		obl_json_add_number(test, "p_adjusted", c->p_adjusted);
		if (isnan(c->p_value))
			obl_json_add_string(test, "reason", c->note ? c->note : "no test");
	}
	estimate(o, "difference", &c->difference);
	estimate(o, "relative", &c->relative);
	cJSON *second = c->secondary.present ? child(o, "secondary_test", cJSON_CreateObject())
					     : NULL;
	if (second) {
		obl_json_add_string(second, "method", "welch");
		obl_json_add_number(second, "statistic", c->secondary.statistic);
		obl_json_add_number(second, "df", c->secondary.df);
		obl_json_add_number(second, "p_value", c->secondary.p_value);
		estimate(second, "difference", &c->secondary.difference);
	}
	obl_json_add_number(o, "threshold", c->threshold);
	obl_json_add_string(o, "verdict", obl_verdict_names[c->verdict]);
	if (c->verdict == OBL_VERDICT_INCONCLUSIVE && isfinite(c->needed_n))
		obl_json_add_number(o, c->dependent ? "repetitions_needed" : "needed_per_side",
				    c->needed_n);
	if (c->dependent)
		obl_json_add_bool(o, "independent", 0);
	if (c->no_variance)
		obl_json_add_bool(o, "no_variance", 1);
	if (c->cannot_reject)
		obl_json_add_bool(o, "cannot_reject", 1);
	if (c->note)
		obl_json_add_string(o, "note", c->note);
}

/* One row's object, for the stream of rows (NULL when out of memory). */
static cJSON *comparison_item(void *ctx, size_t i)
{
	cJSON *o = cJSON_CreateObject();
	if (o)
		comparison(o, (const struct obl_comparison *)ctx + i);
	return o;
}

void obl_render_compare_json(struct obl_strbuf *out, const struct obl_comparison *rows,
			     size_t n, const struct obl_render_options *opt)
{
	const struct obl_compare_options *co = opt->compare;
	static const char *const corrections[] = { "none", "holm", "bh", "bonferroni" };
	cJSON *root = cJSON_CreateObject();
	if (!root) {
		obl_json_print(out, NULL);
		return;
	}
	obl_json_add_string(root, "obl_version", OBL_VERSION);
	obl_json_add_number(root, "confidence", co->confidence);
	obl_json_add_number(root, "alpha", co->alpha);
	obl_json_add_string(root, "correction", corrections[co->correction]);
	obl_json_add_string(root, "family", opt->family_per_candidate ? "per-candidate" : "all");
	obl_json_add_bool(root, "gate_can_fail", !obl_gate_cannot_fail(rows, n));
	cJSON *warnings = child(root, "warnings", cJSON_CreateArray());
	for (size_t i = 0; warnings && i < opt->n_warnings; i++) {
		const struct obl_warning *wa = &opt->warnings[i];
		cJSON *o = child(warnings, NULL, cJSON_CreateObject());
		if (!o)
			break;
		obl_json_add_string(o, "kind", wa->kind);
		if (wa->run)
			obl_json_add_string(o, "run", wa->run);
		if (wa->scenario)
			obl_json_add_string(o, "scenario", wa->scenario);
		if (wa->repetition)
			obl_json_add_count(o, "repetition", wa->repetition);
		obl_json_add_string(o, "message", wa->message);
	}
	child(root, "comparisons", cJSON_CreateArray()); /* its place: rows are streamed */
	size_t counts[5], missing = 0, added = 0;
	obl_count_verdicts(rows, n, counts);
	for (size_t i = 0; i < n; i++) {
		missing += rows[i].presence == OBL_MISSING;
		added += rows[i].presence == OBL_NEW;
	}
	cJSON *summary = child(root, "summary", cJSON_CreateObject());
	for (int v = 0; summary && v < 5; v++)
		obl_json_add_count(summary, obl_verdict_names[v], counts[v]);
	if (summary) {
		obl_json_add_count(summary, "missing", missing);
		obl_json_add_count(summary, "new", added);
	}
	obl_json_add_bool(root, "regression", obl_render_rows_fail(rows, n, opt));
	const struct obl_json_stream stream = { "comparisons", n, comparison_item, (void *)rows };
	obl_json_print_stream(out, root, &stream);
	cJSON_Delete(root);
}
