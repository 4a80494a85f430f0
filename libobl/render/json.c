/*
 * render_json.c - the JSON contracts of obl-stats and obl-compare (documented in their man
 * pages). Numbers are printed so they read back to the same double; a value that is not
 * finite is null, with a "<field>_reason" (or "reason") member saying why.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "options.h"

/* A tiny pretty-printing writer: keys and values with commas and indentation handled. */
struct writer {
	struct obl_strbuf *sb;
	int depth;
	int count[32]; /* members written at each depth */
};

static void newline(struct writer *w)
{
	obl_strbuf_addch(w->sb, '\n');
	for (int i = 0; i < w->depth; i++)
		obl_strbuf_addstr(w->sb, "  ");
}

static void next(struct writer *w)
{
	if (w->count[w->depth]++)
		obl_strbuf_addch(w->sb, ',');
	if (w->depth)
		newline(w);
}

static void key(struct writer *w, const char *k)
{
	next(w);
	obl_strbuf_add_json_string(w->sb, k);
	obl_strbuf_addstr(w->sb, ": ");
}

static void open(struct writer *w, const char *k, char bracket)
{
	if (k)
		key(w, k);
	else if (w->depth)
		next(w);
	obl_strbuf_addch(w->sb, bracket);
	w->depth++;
	w->count[w->depth] = 0;
}

static void close_(struct writer *w, char bracket)
{
	int had = w->count[w->depth];
	w->depth--;
	if (had)
		newline(w);
	obl_strbuf_addch(w->sb, bracket);
}

static void num(struct writer *w, const char *k, double v)
{
	key(w, k);
	obl_strbuf_add_json_number(w->sb, v);
}

/* A number that may be non-finite: null plus "<k>_reason". */
static void num_or_reason(struct writer *w, const char *k, double v, const char *reason)
{
	num(w, k, v);
	if (!isfinite(v)) {
		char rk[64];
		snprintf(rk, sizeof rk, "%s_reason", k);
		key(w, rk);
		obl_strbuf_add_json_string(w->sb, reason ? reason : isnan(v) ? "undefined"
									  : "infinite");
	}
}

static void str(struct writer *w, const char *k, const char *s)
{
	key(w, k);
	if (s)
		obl_strbuf_add_json_string(w->sb, s);
	else
		obl_strbuf_addstr(w->sb, "null");
}

static void count(struct writer *w, const char *k, size_t v)
{
	key(w, k);
	obl_strbuf_addf(w->sb, "%zu", v);
}

/* A scenario value that is a plain finite number is written as a number. */
static void scenario_object(struct writer *w, const struct obl_kv *kv, size_t n)
{
	open(w, "scenario", '{');
	for (size_t i = 0; i < n; i++) {
		double v;
		const char *s = kv[i].value;
		key(w, kv[i].key);
		if (s && obl_parse_double(s, s + strlen(s), &v) == 0)
			obl_strbuf_add_json_number(w->sb, v);
		else
			obl_strbuf_add_json_string(w->sb, s ? s : "");
	}
	close_(w, '}');
}

static void interval(struct writer *w, const char *k, const struct obl_interval *ci)
{
	if (isnan(ci->low) || isnan(ci->high)) {
		key(w, k);
		obl_strbuf_addstr(w->sb, "null");
		char rk[64];
		snprintf(rk, sizeof rk, "%s_reason", k);
		str(w, rk, ci->reason ? ci->reason : "undefined");
		return;
	}
	key(w, k);
	obl_strbuf_addch(w->sb, '[');
	obl_strbuf_add_json_number(w->sb, ci->low);
	obl_strbuf_addstr(w->sb, ", ");
	obl_strbuf_add_json_number(w->sb, ci->high);
	obl_strbuf_addch(w->sb, ']');
}

void obl_render_stats_json(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			   const struct obl_render_options *opt)
{
	(void)opt;
	struct writer w = { out, 0, { 0 } };
	open(&w, NULL, '{');
	str(&w, "obl_version", OBL_VERSION);
	num(&w, "confidence", n ? rows[0].confidence : 0.95);
	open(&w, "stats", '[');
	for (size_t i = 0; i < n; i++) {
		const struct obl_stats_row *r = &rows[i];
		open(&w, NULL, '{');
		if (r->name)
			str(&w, "name", r->name);
		if (r->run)
			str(&w, "run", r->run);
		if (r->run || r->scenario_len)
			scenario_object(&w, r->scenario, r->scenario_len);
		if (r->metric)
			str(&w, "metric", r->metric);
		if (r->metric)
			str(&w, "unit", r->unit ? r->unit : "");
		if (r->repetitions)
			count(&w, "repetitions", r->repetitions);
		count(&w, "n", r->n);
		num(&w, "mean", r->mean);
		num_or_reason(&w, "sd", r->sd, r->n < 2 ? "a single value" : NULL);
		num(&w, "min", r->min);
		num(&w, "max", r->max);
		num(&w, "median", r->median);
		num(&w, "p90", r->p90);
		num(&w, "p99", r->p99);
		interval(&w, "mean_ci", &r->mean_ci);
		interval(&w, "median_ci", &r->median_ci);
		interval(&w, "p90_ci", &r->p90_ci);
		interval(&w, "p99_ci", &r->p99_ci);
		close_(&w, '}');
	}
	close_(&w, ']');
	close_(&w, '}');
	obl_strbuf_addch(out, '\n');
}

static void side(struct writer *w, const char *k, const char *name, const struct obl_side *s)
{
	open(w, k, '{');
	if (name)
		str(w, "name", name);
	count(w, "n", s->n);
	num(w, "mean", s->mean);
	num_or_reason(w, "sd", s->sd, s->n < 2 ? "a single value" : NULL);
	num(w, "median", s->median);
	num(w, "min", s->min);
	num(w, "max", s->max);
	num(w, "center", s->center);
	close_(w, '}');
}

static void estimate(struct writer *w, const char *k, const struct obl_estimate *e)
{
	open(w, k, '{');
	num(w, "estimate", e->estimate);
	num(w, "ci_low", e->ci_low);
	num(w, "ci_high", e->ci_high);
	if (!isfinite(e->estimate) || !isfinite(e->ci_low) || !isfinite(e->ci_high))
		str(w, "reason", e->reason ? e->reason : "undefined");
	close_(w, '}');
}

void obl_render_compare_json(struct obl_strbuf *out, const struct obl_comparison *rows,
			     size_t n, const struct obl_render_options *opt)
{
	const struct obl_compare_options *co = opt->compare;
	static const char *const corrections[] = { "none", "holm", "bh", "bonferroni" };
	struct writer w = { out, 0, { 0 } };
	open(&w, NULL, '{');
	str(&w, "obl_version", OBL_VERSION);
	num(&w, "confidence", co->confidence);
	num(&w, "alpha", co->alpha);
	str(&w, "correction", corrections[co->correction]);
	str(&w, "family", opt->family_per_candidate ? "per-candidate" : "all");
	key(&w, "gate_can_fail");
	obl_strbuf_addstr(out, obl_gate_cannot_fail(rows, n) ? "false" : "true");
	open(&w, "warnings", '[');
	for (size_t i = 0; i < opt->n_warnings; i++) {
		const struct obl_warning *wa = &opt->warnings[i];
		open(&w, NULL, '{');
		str(&w, "kind", wa->kind);
		if (wa->run)
			str(&w, "run", wa->run);
		if (wa->scenario)
			str(&w, "scenario", wa->scenario);
		if (wa->repetition)
			count(&w, "repetition", wa->repetition);
		str(&w, "message", wa->message);
		close_(&w, '}');
	}
	close_(&w, ']');
	open(&w, "comparisons", '[');
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		open(&w, NULL, '{');
		if (c->unit) { /* rows from a database */
			str(&w, "baseline_run", c->baseline_name);
			str(&w, "candidate_run", c->candidate_name);
		}
		if (c->scenario_len || c->unit)
			scenario_object(&w, c->scenario, c->scenario_len);
		if (c->across)
			count(&w, "across_scenarios", c->across);
		str(&w, "metric", c->metric ? c->metric : "value");
		if (c->unit)
			str(&w, "unit", c->unit);
		str(&w, "direction", obl_direction_names[c->direction]);
		if (c->stat_name)
			str(&w, "statistic", c->stat_name);
		if (c->unit_of_analysis)
			str(&w, "unit_of_analysis", obl_unit_of_analysis_names[c->unit_of_analysis]);
		if (c->presence != OBL_PAIRED) {
			str(&w, "presence", obl_presence_names[c->presence]);
			str(&w, "verdict", obl_row_verdict(c));
			str(&w, "note", c->note);
			close_(&w, '}');
			continue;
		}
		key(&w, "gates");
		obl_strbuf_addstr(out, c->gating ? "true" : "false");
		str(&w, "count", obl_count_label(c));
		str(&w, "center", obl_center_label(c));
		side(&w, "baseline", c->unit ? NULL : c->baseline_name, &c->baseline);
		side(&w, "candidate", c->unit ? NULL : c->candidate_name, &c->candidate);
		open(&w, "test", '{');
		str(&w, "method", obl_method_names[c->method]);
		num(&w, "statistic", c->statistic);
		if (c->method != OBL_METHOD_MANN_WHITNEY &&
		    c->method != OBL_METHOD_MANN_WHITNEY_EXACT)
			num(&w, "df", c->df);
		num(&w, "p_value", c->p_value);
		num(&w, "p_adjusted", c->p_adjusted);
		if (isnan(c->p_value))
			str(&w, "reason", c->note ? c->note : "no test");
		close_(&w, '}');
		estimate(&w, "difference", &c->difference);
		estimate(&w, "relative", &c->relative);
		if (c->secondary.present) {
			open(&w, "secondary_test", '{');
			str(&w, "method", "welch");
			num(&w, "statistic", c->secondary.statistic);
			num(&w, "df", c->secondary.df);
			num(&w, "p_value", c->secondary.p_value);
			estimate(&w, "difference", &c->secondary.difference);
			close_(&w, '}');
		}
		num(&w, "threshold", c->threshold);
		str(&w, "verdict", obl_verdict_names[c->verdict]);
		if (c->verdict == OBL_VERDICT_INCONCLUSIVE && isfinite(c->needed_n))
			num(&w, c->dependent ? "repetitions_needed" : "needed_per_side",
			    c->needed_n);
		if (c->dependent) {
			key(&w, "independent");
			obl_strbuf_addstr(out, "false");
		}
		if (c->no_variance) {
			key(&w, "no_variance");
			obl_strbuf_addstr(out, "true");
		}
		if (c->cannot_reject) {
			key(&w, "cannot_reject");
			obl_strbuf_addstr(out, "true");
		}
		if (c->note)
			str(&w, "note", c->note);
		close_(&w, '}');
	}
	close_(&w, ']');
	size_t counts[5], missing = 0, added = 0;
	obl_count_verdicts(rows, n, counts);
	for (size_t i = 0; i < n; i++) {
		missing += rows[i].presence == OBL_MISSING;
		added += rows[i].presence == OBL_NEW;
	}
	open(&w, "summary", '{');
	for (int v = 0; v < 5; v++)
		count(&w, obl_verdict_names[v], counts[v]);
	count(&w, "missing", missing);
	count(&w, "new", added);
	close_(&w, '}');
	key(&w, "regression");
	obl_strbuf_addstr(out, obl_rows_regressed(rows, n) ? "true" : "false");
	close_(&w, '}');
	obl_strbuf_addch(out, '\n');
}
