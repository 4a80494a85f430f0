/*
 * report.c - the content of an A/B report. The comparison itself is obl_db_compare's, the
 * same rows obl-compare prints; this file gathers each side's groups, chooses what a reviewer
 * reads first (a summary in words, the largest changes), groups rows by scenario and writes
 * the methodology. The two things a table of rows does not show have files of their own: the
 * load a run sustains under a latency objective (capacity.c) and the charts' data
 * (chart_data.c).
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "render.h"
#include "report_build.h"

enum { TOP_CHANGES = 5,
       MAX_LISTED_WARNINGS = 20 };

/* Scenario keys that measure load, in order of preference: the x axis of capacity. */
static const char *const load_keys[] = { "concurrency", "max_concurrency",
					 "num_concurrent_requests", "request_rate",
					 "batch_size", NULL };

static const struct {
	const char *metric, *words;
} metric_words[] = {
	{ "ttft_ms", "time to first token" },
	{ "tpot_ms", "time per output token" },
	{ "itl_ms", "inter-token latency" },
	{ "e2el_ms", "end-to-end latency" },
	{ "output_throughput_tok_s", "output throughput" },
	{ "total_throughput_tok_s", "total throughput" },
	{ "request_throughput_req_s", "request throughput" },
	{ "success_rate", "success rate" },
	{ "peak_mem_gib", "peak GPU memory" },
	{ "load_time_s", "load time" },
	{ "accuracy", "accuracy" },
};

const char *report_words_for(const char *metric)
{
	for (size_t i = 0; i < sizeof metric_words / sizeof *metric_words; i++)
		if (!strcmp(metric_words[i].metric, metric))
			return metric_words[i].words;
	return metric;
}

/* ---- Gathering -------------------------------------------------------------------------- */

static int find_load_key(const struct obl_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (key ? !strcmp(kv[i].key, key) : 0)
			return (int)i;
	return -1;
}

static void side_data_free(struct side_data *d)
{
	obl_kv_free(d->tags, d->n_tags);
	for (size_t i = 0; i < d->n_warnings; i++)
		free(d->warnings[i]);
	free(d->warnings);
	for (size_t i = 0; d->family && i < d->n_groups; i++)
		free(d->family[i]);
	free(d->family);
	free(d->load);
	obl_groups_free(d->groups, d->n_groups);
}

static int gather(struct builder *b, const struct obl_db_side *side, struct obl_error *err)
{
	struct side_data *d = &b->sides[b->n_sides++];
	memset(d, 0, sizeof *d);
	d->side = side;
	const struct obl_store_filter filter = { side->label, NULL, NULL, 0 };
	int rc = obl_store_run_tags(side->store, side->label, &d->tags, &d->n_tags, err);
	if (!rc)
		rc = obl_store_run_warnings(side->store, side->label, &d->warnings, &d->n_warnings,
					    err);
	if (!rc)
		rc = obl_store_groups(side->store, &filter, &d->groups, &d->n_groups, err);
	if (rc)
		return rc;
	for (size_t g = 0; !b->load_key && g < d->n_groups; g++)
		for (const char *const *k = load_keys; *k && !b->load_key; k++)
			if (find_load_key(d->groups[g].scenario, d->groups[g].scenario_len, *k) >= 0)
				b->load_key = *k;
	return OBL_OK;
}

/* Families and loads of every group, once the load key is known. */
static int split_scenarios(struct builder *b, struct side_data *d, struct obl_error *err)
{
	d->family = calloc(d->n_groups ? d->n_groups : 1, sizeof *d->family);
	d->load = calloc(d->n_groups ? d->n_groups : 1, sizeof *d->load);
	if (!d->family || !d->load)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t g = 0; g < d->n_groups; g++) {
		const struct obl_group *gr = &d->groups[g];
		int k = find_load_key(gr->scenario, gr->scenario_len, b->load_key);
		struct obl_strbuf sb;
		obl_strbuf_init(&sb);
		for (size_t i = 0; i < gr->scenario_len; i++)
			if ((int)i != k)
				obl_strbuf_addf(&sb, "%s%s=%s", sb.len ? " " : "",
						gr->scenario[i].key, gr->scenario[i].value);
		d->family[g] = obl_strbuf_detach(&sb, NULL);
		d->load[g] = k >= 0 ? strtod(gr->scenario[k].value, NULL) : NAN;
		if (!d->family[g])
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	return OBL_OK;
}

/* The statistic of one repetition: the median of request-level values, else the mean. */
static double trial_statistic(const struct obl_group *g, size_t t)
{
	const struct obl_values *v = &g->per_trial[t];
	double *scratch = malloc((v->n ? v->n : 1) * sizeof *scratch);
	double r = scratch ? obl_values_statistic(v, g->kind == OBL_KIND_SAMPLE ? obl_stat_median : obl_stat_mean,
						  scratch)
			   : NAN;
	free(scratch);
	return r;
}

/* Mean over repetitions of the per-repetition statistic, with a t interval. */
struct obl_chart_point report_trial_mean(const struct obl_group *g, double x,
					 double confidence)
{
	struct obl_chart_point p = { x, NAN, NAN, NAN };
	double *v = malloc((g->trials ? g->trials : 1) * sizeof *v);
	size_t n = 0;
	for (size_t t = 0; v && t < g->trials; t++) {
		double s = trial_statistic(g, t);
		if (isfinite(s))
			v[n++] = s;
	}
	struct stats_summary sum;
	if (n && stats_summary(v, n, &sum) == STATS_OK) {
		p.y = sum.mean;
		struct stats_ttest t;
		int rc = stats_t_one_sample(v, n, STATS_TWO_SIDED, confidence, 0, &t);
		if (rc == STATS_OK) {
			p.low = t.ci_low;
			p.high = t.ci_high;
		} else if (rc == STATS_EZEROVAR) { /* every repetition the same: no spread */
			p.low = p.high = p.y;
		}
	}
	free(v);
	return p;
}

/* All values of a group, pooled over repetitions and sorted (owned; NULL when none). */
double *report_pooled_sorted(const struct obl_group *g, size_t *n)
{
	*n = 0;
	for (size_t t = 0; t < g->trials; t++)
		*n += g->per_trial[t].n;
	double *all = *n ? malloc(*n * sizeof *all) : NULL;
	if (!all)
		return NULL;
	size_t k = 0;
	for (size_t t = 0; t < g->trials; t++) {
		memcpy(all + k, g->per_trial[t].v, g->per_trial[t].n * sizeof *all);
		k += g->per_trial[t].n;
	}
	if (stats_sort(all, *n)) {
		free(all);
		return NULL;
	}
	return all;
}

const struct obl_group *report_find_group(const struct side_data *d, const char *metric,
					  const char *family, double load, size_t *index)
{
	for (size_t g = 0; g < d->n_groups; g++)
		if (!strcmp(d->groups[g].metric, metric) && !strcmp(d->family[g], family) &&
		    (isnan(load) ? isnan(d->load[g]) : d->load[g] == load)) {
			if (index)
				*index = g;
			return &d->groups[g];
		}
	return NULL;
}

/* ---- Formatting helpers ----------------------------------------------------------------- */

const char *report_number(struct builder *b, double v)
{
	obl_strbuf_reset(&b->sb);
	obl_format_number(&b->sb, v);
	return b->sb.buf;
}

static char *scenario_text(const struct obl_comparison *c)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	if (c->across)
		obl_strbuf_addf(&sb, "Across %zu scenarios (geometric mean, scenarios as blocks)",
				c->across);
	else
		obl_format_scenario(&sb, c->scenario, c->scenario_len);
	return obl_strbuf_detach(&sb, NULL);
}

int report_is_row_of(const struct obl_comparison *c, const char *candidate)
{
	return c->candidate_name && !strcmp(c->candidate_name, candidate);
}

/* "+61.53% [+29.78%, +101.04%]" */
static void change_text(struct obl_strbuf *sb, const struct obl_comparison *c)
{
	obl_format_percent(sb, c->relative.estimate);
	obl_format_percent_interval(sb, " ", c->relative.ci_low, c->relative.ci_high);
}

/* ---- Sections ----------------------------------------------------------------------------- */

/* The runs side by side: role and database, then every tag any run has, one row each, so
 * that what differs between configurations (dtype, engine version, ...) reads across. */
static void runs_section(struct builder *b)
{
	const char *header[OBL_MAX_SIDES + 1] = { "" };
	char align[OBL_MAX_SIDES + 2] = "l";
	for (size_t s = 0; s < b->n_sides; s++) {
		header[s + 1] = b->sides[s].side->label;
		align[s + 1] = 'l';
	}
	struct obl_doc_table *t =
		obl_doc_table(b->doc, OBL_SECTION_RUNS, b->n_sides + 1, align, header);
	const char *row[OBL_MAX_SIDES + 1] = { "role" };
	for (size_t s = 0; s < b->n_sides; s++)
		row[s + 1] = s ? "candidate" : "baseline";
	obl_doc_row(b->doc, t, OBL_TONE_PLAIN, row);
	row[0] = "database";
	for (size_t s = 0; s < b->n_sides; s++)
		row[s + 1] = b->sides[s].side->path;
	obl_doc_row(b->doc, t, OBL_TONE_PLAIN, row);
	for (size_t s = 0; s < b->n_sides; s++) /* each key once, where it first appears */
		for (size_t k = 0; k < b->sides[s].n_tags; k++) {
			const char *key = b->sides[s].tags[k].key;
			int seen = 0;
			for (size_t s2 = 0; s2 < s && !seen; s2++)
				for (size_t k2 = 0; k2 < b->sides[s2].n_tags && !seen; k2++)
					seen = !strcmp(b->sides[s2].tags[k2].key, key);
			if (seen)
				continue;
			row[0] = key;
			for (size_t s2 = 0; s2 < b->n_sides; s2++) {
				row[s2 + 1] = "-";
				for (size_t k2 = 0; k2 < b->sides[s2].n_tags; k2++)
					if (!strcmp(b->sides[s2].tags[k2].key, key))
						row[s2 + 1] = b->sides[s2].tags[k2].value;
			}
			obl_doc_row(b->doc, t, OBL_TONE_PLAIN, row);
		}
}

static int by_size_of_change(const void *pa, const void *pb)
{
	const struct obl_comparison *a = *(const struct obl_comparison *const *)pa;
	const struct obl_comparison *c = *(const struct obl_comparison *const *)pb;
	double x = fabs(a->relative.estimate), y = fabs(c->relative.estimate);
	return (x < y) - (x > y);
}

/* "cand: output throughput (mean) +38.00% [+31.00%, +45.00%] at concurrency=8 (p adj 0.001)" */
static void change_item(struct builder *b, const struct obl_comparison *c)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	change_text(&sb, c);
	char *scen = scenario_text(c);
	obl_strbuf_reset(&b->sb);
	obl_format_p(&b->sb, c->p_adjusted);
	obl_doc_item(b->doc, OBL_SECTION_SUMMARY, "%s: %s (%s) %s %s%s (p adj %s)",
		     c->candidate_name, report_words_for(c->metric), c->stat_name ? c->stat_name : "value",
		     sb.buf, scen && *scen ? "at " : "over the whole run", scen ? scen : "",
		     b->sb.buf);
	free(scen);
	obl_strbuf_release(&sb);
}

static void summary_section(struct builder *b, int regressed)
{
	const struct obl_db_comparison *cmp = b->cmp;
	const struct obl_compare_options *co = &b->opt->compare.compare;
	/* A pass means only as much as the rows that could have failed it: say how many. */
	size_t gating = 0, tested = 0;
	for (size_t i = 0; i < cmp->n; i++) {
		const struct obl_comparison *r = &cmp->rows[i];
		if (!r->gating)
			continue;
		gating++;
		tested += r->presence == OBL_PAIRED && r->verdict != OBL_VERDICT_NO_TEST;
	}
	obl_doc_heading(b->doc, OBL_SECTION_SUMMARY, 3,
			"Gate: %s. %s (alpha %g after %s correction %s, threshold %g%%); %zu of %zu "
			"gating rows tested%s.",
			regressed ? "FAIL" : "pass",
			regressed ? "At least one gating metric is significantly worse"
				  : "No gating metric is significantly worse",
			co->alpha, co->correction == STATS_ADJUST_HOLM ? "Holm" : "the chosen",
			b->opt->compare.family_per_candidate ? "per candidate"
							     : "across all candidates",
			co->threshold * 100, tested, gating,
			tested < gating ? ", the others had no test and could not fail it" : "");
	const struct obl_comparison **sel = malloc((cmp->n ? cmp->n : 1) * sizeof *sel);
	if (!sel) {
		b->doc->failed = 1;
		return;
	}
	for (size_t s = 1; s < b->n_sides; s++) {
		const char *cand = b->sides[s].side->label;
		size_t counts[5] = { 0 }, one_side = 0;
		for (size_t i = 0; i < cmp->n; i++) {
			if (!report_is_row_of(&cmp->rows[i], cand))
				continue;
			if (cmp->rows[i].presence == OBL_PAIRED)
				counts[cmp->rows[i].verdict]++;
			else
				one_side++;
		}
		obl_doc_paragraph(b->doc, OBL_SECTION_SUMMARY,
				  "%s against %s: %zu worse, %zu better, %zu the same, %zu "
				  "inconclusive, %zu without a test%s.",
				  cand, b->sides[0].side->label, counts[OBL_VERDICT_WORSE],
				  counts[OBL_VERDICT_BETTER], counts[OBL_VERDICT_SAME],
				  counts[OBL_VERDICT_INCONCLUSIVE], counts[OBL_VERDICT_NO_TEST],
				  one_side ? " (and rows on one side only)" : "");
		for (int want = OBL_VERDICT_WORSE; want >= OBL_VERDICT_BETTER; want--) {
			size_t n = 0;
			for (size_t i = 0; i < cmp->n; i++)
				if (report_is_row_of(&cmp->rows[i], cand) &&
				    cmp->rows[i].presence == OBL_PAIRED &&
				    (int)cmp->rows[i].verdict == want)
					sel[n++] = &cmp->rows[i];
			if (!n)
				continue;
			qsort(sel, n, sizeof *sel, by_size_of_change);
			obl_doc_paragraph(b->doc, OBL_SECTION_SUMMARY, "%s %s:",
					  n > TOP_CHANGES ? "The largest" : "All",
					  want == OBL_VERDICT_WORSE ? "regressions" : "improvements");
			for (size_t i = 0; i < n && i < TOP_CHANGES; i++)
				change_item(b, sel[i]);
		}
	}
	free(sel);
}

static void scenarios_section(struct builder *b)
{
	const struct obl_db_comparison *cmp = b->cmp;
	const struct obl_compare_options *co = &b->opt->compare.compare;
	int several = b->n_sides > 2;
	char **scen = calloc(cmp->n ? cmp->n : 1, sizeof *scen);
	if (!scen) {
		b->doc->failed = 1;
		return;
	}
	for (size_t i = 0; i < cmp->n; i++)
		if (!(scen[i] = scenario_text(&cmp->rows[i])))
			b->doc->failed = 1;
	char ci_header[32];
	snprintf(ci_header, sizeof ci_header, "%g%% CI", co->confidence * 100);
	for (size_t i = 0; i < cmp->n && !b->doc->failed; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(scen[j], scen[i]);
		if (seen)
			continue;
		obl_doc_heading(b->doc, OBL_SECTION_SCENARIOS, 3, "%s",
				*scen[i] ? scen[i] : "Whole run (load, memory)");
		const char *all_header[] = { "metric", "run", "baseline", "candidate", "change",
					     ci_header, "p (adj)", "verdict" };
		const char *one_header[] = { "metric", "baseline", "candidate", "change",
					     ci_header, "p (adj)", "verdict" };
		struct obl_doc_table *t =
			obl_doc_table(b->doc, OBL_SECTION_SCENARIOS, several ? 8 : 7,
				      several ? "llrrrlrl" : "lrrrlrl", several ? all_header : one_header);
		for (size_t j = i; j < cmp->n; j++) {
			const struct obl_comparison *c = &cmp->rows[j];
			if (strcmp(scen[j], scen[i]))
				continue;
			char metric[256], values[2][64], change[32], ci[64], p[32], verdict[64];
			snprintf(metric, sizeof metric, "%s (%s)", c->metric,
				 c->presence == OBL_PAIRED ? obl_center_label(c)
				 : c->stat_name            ? c->stat_name
							   : "value");
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			values[0][0] = values[1][0] = change[0] = ci[0] = p[0] = 0;
			if (c->presence == OBL_PAIRED) {
				for (int s = 0; s < 2; s++) {
					const struct obl_side *side = s ? &c->candidate : &c->baseline;
					snprintf(values[s], sizeof values[s], "%s",
						 report_number(b, side->center));
				}
				obl_format_percent(&sb, c->relative.estimate);
				snprintf(change, sizeof change, "%s", sb.buf);
				obl_strbuf_reset(&sb);
				if (!isnan(c->p_value) && !c->dependent)
					obl_format_percent_interval(&sb, "", c->relative.ci_low,
								    c->relative.ci_high);
				snprintf(ci, sizeof ci, "%s", sb.len ? sb.buf : "-");
				obl_strbuf_reset(&sb);
				obl_format_p(&sb, c->p_adjusted);
				snprintf(p, sizeof p, "%s", sb.buf);
			}
			obl_strbuf_release(&sb);
			snprintf(verdict, sizeof verdict, "%s%s%s", obl_row_verdict(c),
				 c->gating ? "" : " (info)",
				 c->unit_of_analysis == OBL_UNIT_REQUESTS
					 ? " *"
					 : "");
			enum obl_tone tone = c->presence != OBL_PAIRED          ? OBL_TONE_PLAIN
					     : c->verdict == OBL_VERDICT_WORSE  ? OBL_TONE_BAD
					     : c->verdict == OBL_VERDICT_BETTER ? OBL_TONE_GOOD
										: OBL_TONE_PLAIN;
			const char *all[] = { metric, c->candidate_name, values[0], values[1],
					      change, ci, p, verdict };
			const char *one[] = { metric, values[0], values[1], change, ci, p, verdict };
			obl_doc_row(b->doc, t, tone, several ? all : one);
		}
	}
	for (size_t i = 0; i < cmp->n; i++)
		free(scen[i]);
	free(scen);
	obl_doc_paragraph(b->doc, OBL_SECTION_SCENARIOS,
			  "Values are the baseline's and the candidate's statistic (median of "
			  "per-repetition medians for request-level metrics, mean for per-run "
			  "values); change is candidate / baseline - 1 with its %g%% confidence "
			  "interval; p is adjusted for multiple comparisons. (info): reported, never "
			  "gating. *: requests treated as independent (fewer than %zu repetitions).",
			  co->confidence * 100, b->opt->compare.min_repetitions);
}

/* The sorted distinct loads of a family over every side, for `metric` (owned; *n of them). */
double *report_family_loads(const struct builder *b, const char *metric, const char *family,
			    size_t *n)
{
	*n = 0;
	size_t cap = 0;
	double *loads = NULL;
	for (size_t s = 0; s < b->n_sides; s++) {
		const struct side_data *d = &b->sides[s];
		for (size_t g = 0; g < d->n_groups; g++) {
			if (isnan(d->load[g]) || strcmp(d->groups[g].metric, metric) ||
			    strcmp(d->family[g], family))
				continue;
			size_t k = 0;
			while (k < *n && loads[k] < d->load[g])
				k++;
			if (k < *n && loads[k] == d->load[g])
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				double *p = realloc(loads, cap * sizeof *p);
				if (!p) {
					free(loads);
					*n = 0;
					return NULL;
				}
				loads = p;
			}
			memmove(loads + k + 1, loads + k, (*n - k) * sizeof *loads);
			loads[k] = d->load[g];
			(*n)++;
		}
	}
	return loads;
}

/* Distinct families of groups of `metric` that have a load key, in the baseline's order
 * (then the candidates'); owned array of borrowed strings. */
const char **report_families_of(const struct builder *b, const char *metric, size_t *n)
{
	*n = 0;
	size_t total = 0;
	for (size_t s = 0; s < b->n_sides; s++)
		total += b->sides[s].n_groups;
	const char **out = malloc((total ? total : 1) * sizeof *out);
	if (!out)
		return NULL;
	for (size_t s = 0; s < b->n_sides; s++) {
		const struct side_data *d = &b->sides[s];
		for (size_t g = 0; g < d->n_groups; g++) {
			if (isnan(d->load[g]) || strcmp(d->groups[g].metric, metric))
				continue;
			size_t k = 0;
			while (k < *n && strcmp(out[k], d->family[g]))
				k++;
			if (k == *n)
				out[(*n)++] = d->family[g];
		}
	}
	return out;
}

/* A formatted string, owned by the caller (NULL when out of memory). */

/* ---- Methodology ------------------------------------------------------------------------- */

static void methodology_section(struct builder *b)
{
	const struct obl_db_comparison *cmp = b->cmp;
	const struct obl_db_compare_options *dbo = &b->opt->compare;
	const struct obl_compare_options *co = &dbo->compare;
	static const char *const corrections[] = { "no", "Holm", "Benjamini-Hochberg",
						   "Bonferroni" };
	enum obl_section_id M = OBL_SECTION_METHODOLOGY;
	obl_doc_paragraph(b->doc, M,
			  "Each row compares one statistic of one metric in one scenario of a "
			  "candidate with the baseline (%s). Rows are matched on scenario keys and "
			  "metric names, never on file names.",
			  b->sides[0].side->label);
	size_t methods[16] = { 0 }, units[3] = { 0 }, paired = 0;
	size_t min_b = SIZE_MAX, max_b = 0, min_c = SIZE_MAX, max_c = 0;
	size_t no_test = 0, one_side = 0, few = 0, dependent = 0, constant = 0, across = 0;
	size_t hopeless = 0;
	for (size_t i = 0; i < cmp->n; i++) {
		const struct obl_comparison *c = &cmp->rows[i];
		if (c->presence != OBL_PAIRED) {
			one_side++;
			continue;
		}
		paired++;
		if (c->across) {
			across++;
			continue;
		}
		dependent += c->dependent;
		constant += c->no_variance;
		hopeless += c->cannot_reject;
		if (c->verdict == OBL_VERDICT_NO_TEST || c->no_variance) {
			no_test += !c->no_variance;
			continue;
		}
		if ((size_t)c->method < 16)
			methods[c->method]++;
		int k = c->unit_of_analysis == OBL_UNIT_REPETITIONS ? 0
			: c->unit_of_analysis == OBL_UNIT_REQUESTS  ? 1
								    : 2;
		units[k]++;
		if (k == 0) {
			min_b = c->baseline.n < min_b ? c->baseline.n : min_b;
			max_b = c->baseline.n > max_b ? c->baseline.n : max_b;
			min_c = c->candidate.n < min_c ? c->candidate.n : min_c;
			max_c = c->candidate.n > max_c ? c->candidate.n : max_c;
			if (c->baseline.n < 5 || c->candidate.n < 5)
				few++;
		}
	}
	for (size_t m = 0; m < 16; m++)
		if (methods[m])
			obl_doc_item(b->doc, M, "%s: %zu row%s.",
				     obl_method_description((enum obl_method)m), methods[m],
				     methods[m] == 1 ? "" : "s");
	obl_doc_item(b->doc, M,
		     "The baseline and candidate columns show each side's center, the statistic "
		     "whose ratio is the change (for repetition-level rows the geometric mean of "
		     "the per-repetition statistic, e.g. \"gmean of rep medians\"; for Mann-Whitney "
		     "the baseline median and the same moved by the Hodges-Lehmann ratio): "
		     "candidate / baseline - 1 is the change shown. Relative intervals come from "
		     "the log scale and stay above -100%%.");
	obl_doc_item(b->doc, M,
		     "Significance: alpha %g on p-values adjusted with the %s correction %s; "
		     "gating rows, informational rows and rows across scenarios are separate "
		     "families. %g%% confidence intervals.",
		     co->alpha, corrections[co->correction],
		     dbo->family_per_candidate ? "per candidate" : "across all candidates at once",
		     co->confidence * 100);
	struct obl_strbuf rules;
	obl_strbuf_init(&rules);
	for (size_t r = 0; r < dbo->n_rules; r++)
		if (isfinite(dbo->rules[r].threshold))
			obl_strbuf_addf(&rules, "%s%s %g%%", rules.len ? ", " : "",
					dbo->rules[r].metric, dbo->rules[r].threshold * 100);
	obl_doc_item(b->doc, M,
		     "Verdicts: worse or better when the adjusted p-value is below alpha and the "
		     "estimated change lies beyond the practical threshold of %g%%%s%s%s in that "
		     "direction; the same when the whole interval lies within the threshold; "
		     "inconclusive otherwise, with the repetitions per side at which the row would "
		     "be conclusive with 80%% power if the observed change and spread were the "
		     "truth. Two sides without spread are certain: worse, better or the same from "
		     "the threshold alone (%zu row%s).",
		     co->threshold * 100, rules.len ? " (per metric: " : "", rules.buf,
		     rules.len ? ")" : "", constant, constant == 1 ? "" : "s");
	obl_strbuf_release(&rules);
	obl_doc_item(b->doc, M,
		     "Experimental unit: the repetition, when both sides have at least %zu "
		     "(request-level metrics through each repetition's %s): %zu row%s; requests "
		     "pooled across fewer repetitions: %zu row%s; other values: %zu.%s",
		     dbo->min_repetitions, dbo->stats ? dbo->stats : "median", units[0],
		     units[0] == 1 ? "" : "s", units[1], units[1] == 1 ? "" : "s", units[2],
		     dependent ? " Requests of fewer repetitions are not independent (they share "
				 "the machine's state): those rows are inconclusive and never fail "
				 "the gate."
			       : "");
	if (across)
		obl_doc_item(b->doc, M,
			     "Across scenarios: %zu row%s, one per gating metric, give the geometric "
			     "mean of the per-scenario changes, tested with every scenario's "
			     "repetitions: repetition r of all scenarios together (its mean log value "
			     "over them), Welch's t on those, because a run's repetition shares its "
			     "state across scenarios. Scenarios are fixed blocks, not a random "
			     "sample: the ones chosen. They %s.",
			     across, across == 1 ? "" : "s",
			     dbo->across_gates ? "fail the gate when worse"
					       : "are reported and never fail the gate");
	if (dbo->skip_reps)
		obl_doc_item(b->doc, M, "The first %zu repetition%s of every scenario were dropped.",
			     dbo->skip_reps, dbo->skip_reps == 1 ? "" : "s");
	if (units[0])
		obl_doc_item(b->doc, M,
			     "Sample sizes: %zu-%zu repetitions per row for the baseline, %zu-%zu "
			     "for the candidates; %zu rows compared in all.",
			     min_b, max_b, min_c, max_c, paired);
	obl_doc_heading(b->doc, M, 3, "Warnings");
	size_t warned = 0;
	if (units[1] > dependent) {
		obl_doc_item(b->doc, M,
			     "%zu row%s treated requests as independent (--unit request, fewer than "
			     "%zu repetitions on a side): requests within a repetition share its "
			     "conditions, so those intervals may be too narrow.",
			     units[1] - dependent, units[1] - dependent == 1 ? "" : "s",
			     dbo->min_repetitions);
		warned++;
	}
	for (size_t w = 0; w < cmp->n_warnings; w++, warned++)
		obl_doc_item(b->doc, M, "%s: %s", cmp->warnings[w].kind, cmp->warnings[w].message);
	if (hopeless) {
		obl_doc_item(b->doc, M,
			     "%zu row%s cannot reject: with these sample sizes the smallest "
			     "p-value the test can reach, adjusted, is above alpha.",
			     hopeless, hopeless == 1 ? "" : "s");
		warned++;
	}
	if (few) {
		obl_doc_item(b->doc, M,
			     "Few repetitions: %zu row%s rest on fewer than 5 repetitions per side; "
			     "only large changes can be resolved.",
			     few, few == 1 ? "" : "s");
		warned++;
	}
	if (no_test) {
		obl_doc_item(b->doc, M,
			     "%zu row%s have no test (one value per side, e.g. a load time "
			     "measured once per run): repeat the runs to test them.",
			     no_test, no_test == 1 ? "" : "s");
		warned++;
	}
	if (one_side) {
		obl_doc_item(b->doc, M, "%zu row%s exist on one side only (missing or new).",
			     one_side, one_side == 1 ? "" : "s");
		warned++;
	}
	for (size_t s = 0; s < b->n_sides; s++) {
		const struct side_data *d = &b->sides[s];
		for (size_t w = 0; w < d->n_warnings && w < MAX_LISTED_WARNINGS; w++)
			obl_doc_item(b->doc, M, "Input of %s disagreed with its own summary: %s",
				     d->side->label, d->warnings[w]);
		if (d->n_warnings > MAX_LISTED_WARNINGS)
			obl_doc_item(b->doc, M, "... and %zu more warnings about inputs of %s.",
				     d->n_warnings - MAX_LISTED_WARNINGS, d->side->label);
		warned += d->n_warnings;
	}
	if (!warned)
		obl_doc_paragraph(b->doc, M, "None.");
}

/* ---- The report --------------------------------------------------------------------------- */

int obl_report_build(const struct obl_db_side *sides, size_t n_sides,
		     const struct obl_report_options *opt, struct obl_doc *doc, int *regressed,
		     struct obl_error *err)
{
	if (n_sides < 2 || n_sides > OBL_MAX_SIDES)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				     "a report needs a baseline and 1 to %d candidates",
				     OBL_MAX_SIDES - 1);
	struct obl_db_comparison cmp = { 0 };
	struct builder b = { opt, &cmp, { { 0 } }, 0, NULL, doc, { 0 } };
	obl_strbuf_init(&b.sb);
	int rc = obl_db_compare(&sides[0], &sides[1], n_sides - 1, &opt->compare, &cmp, err);
	for (size_t s = 0; !rc && s < n_sides; s++)
		rc = gather(&b, &sides[s], err);
	for (size_t s = 0; !rc && s < n_sides; s++)
		rc = split_scenarios(&b, &b.sides[s], err);
	if (!rc) {
		*regressed = obl_rows_regressed(cmp.rows, cmp.n);
		struct obl_strbuf title;
		obl_strbuf_init(&title);
		if (opt->title) {
			obl_strbuf_addstr(&title, opt->title);
		} else {
			obl_strbuf_addf(&title, "%s vs ", sides[0].label);
			for (size_t s = 1; s < n_sides; s++)
				obl_strbuf_addf(&title, "%s%s", s > 1 ? ", " : "", sides[s].label);
		}
		doc->title = obl_strbuf_detach(&title, NULL);
		doc->version = strdup("obl " OBL_VERSION);
		runs_section(&b);
		summary_section(&b, *regressed);
		scenarios_section(&b);
		report_slo_section(&b);
		if (opt->charts)
			report_charts_section(&b);
		methodology_section(&b);
		if (doc->failed || !doc->title || !doc->version)
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	for (size_t s = 0; s < b.n_sides; s++)
		side_data_free(&b.sides[s]);
	obl_strbuf_release(&b.sb);
	obl_db_comparison_free(&cmp);
	return rc;
}
