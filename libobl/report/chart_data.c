/*
 * chart_data.c - the data of the report's charts: a forest plot of the changes per candidate,
 * a line per run against the load (per-repetition means with t intervals), and the pooled
 * empirical distribution of request-level metrics per run (at most ECDF_POINTS points).
 * chart.c draws them.
 */
#include "report_build.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

enum { ECDF_POINTS = 256 };

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return s;
}

static struct obl_chart *new_chart(enum obl_chart_kind kind)
{
	struct obl_chart *c = calloc(1, sizeof *c);
	if (c)
		c->kind = kind;
	return c;
}

/* Short scenario labels for charts: "in=64 out=128 c=8". */
static void short_scenario(struct obl_strbuf *sb, const struct obl_kv *kv, size_t n)
{
	static const char *const longer[] = { "input_len", "output_len", "concurrency",
					      "max_concurrency", "request_rate", NULL };
	static const char *const shorter[] = { "in", "out", "c", "c", "rate" };
	for (size_t i = 0; i < n; i++) {
		const char *key = kv[i].key;
		for (size_t k = 0; longer[k]; k++)
			if (!strcmp(key, longer[k]))
				key = shorter[k];
		obl_strbuf_addf(sb, "%s%s=%s", i ? " " : "", key, kv[i].value);
	}
}

static void forest_charts(struct builder *b)
{
	const struct obl_db_comparison *cmp = b->cmp;
	for (size_t s = 1; s < b->n_sides; s++) {
		const char *cand = b->sides[s].side->label;
		struct obl_chart *c = new_chart(OBL_CHART_FOREST);
		if (!c || !(c->rows = calloc(cmp->n ? cmp->n : 1, sizeof *c->rows))) {
			obl_chart_free(c);
			b->doc->failed = 1;
			return;
		}
		for (size_t i = 0; i < cmp->n; i++) {
			const struct obl_comparison *r = &cmp->rows[i];
			if (!report_is_row_of(r, cand) || r->presence != OBL_PAIRED || !r->gating ||
			    !isfinite(r->relative.estimate))
				continue;
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			obl_strbuf_addf(&sb, "%s (%s)", r->metric, r->stat_name ? r->stat_name : "");
			if (r->scenario_len)
				obl_strbuf_addstr(&sb, "  ");
			short_scenario(&sb, r->scenario, r->scenario_len);
			struct obl_forest_row *row = &c->rows[c->n_rows++];
			row->label = obl_strbuf_detach(&sb, NULL);
			row->estimate = r->relative.estimate;
			row->low = r->relative.ci_low;
			row->high = r->relative.ci_high;
			row->verdict = r->verdict;
			row->direction = r->direction;
			c->threshold = r->threshold;
		}
		c->title = strf("%s against %s: relative change of gating metrics", cand,
				b->sides[0].side->label);
		c->x_label = strf("candidate / baseline - 1, with its %g%% confidence interval",
				  b->opt->compare.compare.confidence * 100);
		c->file_stem = strf("forest-%s", cand);
		if (!c->n_rows || !c->title || !c->x_label || !c->file_stem) {
			obl_chart_free(c);
			continue;
		}
		obl_doc_chart(b->doc, OBL_SECTION_CHARTS, c,
			      "Relative change per metric and scenario; colour is the verdict.");
	}
}

/* One line per run against the load, for `metric` in scenario family `family`. */
static void load_chart(struct builder *b, const char *metric, const char *family, int index)
{
	size_t nl = 0;
	double *loads = report_family_loads(b, metric, family, &nl);
	if (nl < 2) {
		free(loads);
		return;
	}
	struct obl_chart *c = new_chart(OBL_CHART_LINES);
	if (!c || !(c->series = calloc(b->n_sides, sizeof *c->series)) ||
	    !(c->categories = calloc(nl, sizeof *c->categories))) {
		obl_chart_free(c);
		free(loads);
		b->doc->failed = 1;
		return;
	}
	const char *unit = "";
	for (size_t l = 0; l < nl; l++) {
		if ((c->categories[l] = strdup(report_number(b, loads[l]))))
			c->n_categories++;
	}
	double conf = b->opt->compare.compare.confidence;
	for (size_t s = 0; s < b->n_sides; s++) {
		struct obl_chart_series *se = &c->series[c->n_series];
		se->points = calloc(nl, sizeof *se->points);
		se->name = strdup(b->sides[s].side->label);
		if (!se->points || !se->name) {
			free(se->points);
			free(se->name);
			continue;
		}
		c->n_series++;
		for (size_t l = 0; l < nl; l++) {
			const struct obl_group *g =
				report_find_group(&b->sides[s], metric, family, loads[l], NULL);
			if (!g)
				continue;
			unit = g->unit;
			se->points[se->n++] = report_trial_mean(g, (double)l, conf);
		}
	}
	free(loads);
	const struct obl_group *any = NULL;
	for (size_t g = 0; g < b->sides[0].n_groups && !any; g++)
		if (!strcmp(b->sides[0].groups[g].metric, metric))
			any = &b->sides[0].groups[g];
	char title[512];
	snprintf(title, sizeof title, "%s (%s%s) against %s%s%s", report_words_for(metric),
		 any && any->kind == OBL_KIND_SAMPLE ? "median per repetition, " : "", unit,
		 b->load_key, *family ? ", " : "", family);
	c->title = strdup(title);
	c->x_label = strdup(b->load_key);
	snprintf(title, sizeof title, "%s", unit);
	c->y_label = strdup(title);
	snprintf(title, sizeof title, "%s-%d", metric, index);
	c->file_stem = strdup(title);
	if (!c->title || !c->x_label || !c->y_label || !c->file_stem) {
		obl_chart_free(c);
		b->doc->failed = 1;
		return;
	}
	snprintf(title, sizeof title,
		 "Mean over repetitions with its %g%% t interval (band), one line per run.",
		 conf * 100);
	obl_doc_chart(b->doc, OBL_SECTION_CHARTS, c, title);
}

/* The pooled distribution of `metric` per run, for each scenario the baseline has. */
static void ecdf_charts(struct builder *b, const char *metric)
{
	const struct side_data *base = &b->sides[0];
	int index = 0;
	for (size_t g0 = 0; g0 < base->n_groups; g0++) {
		const struct obl_group *bg = &base->groups[g0];
		if (strcmp(bg->metric, metric) || bg->kind != OBL_KIND_SAMPLE)
			continue;
		struct obl_chart *c = new_chart(OBL_CHART_ECDF);
		if (!c || !(c->series = calloc(b->n_sides, sizeof *c->series))) {
			obl_chart_free(c);
			b->doc->failed = 1;
			return;
		}
		c->log_x = 1;
		for (size_t s = 0; s < b->n_sides; s++) {
			const struct side_data *d = &b->sides[s];
			const struct obl_group *g =
				report_find_group(d, metric, base->family[g0], base->load[g0], NULL);
			size_t n;
			double *all = g ? report_pooled_sorted(g, &n) : NULL;
			if (!all)
				continue;
			struct obl_chart_series *se = &c->series[c->n_series];
			size_t m = n < ECDF_POINTS ? n : ECDF_POINTS;
			se->points = calloc(m, sizeof *se->points);
			se->name = strdup(d->side->label);
			if (se->points && se->name) {
				/* m points at evenly spaced ranks, the largest value included */
				for (size_t k = 0; k < m; k++) {
					size_t i = m == n ? k : (size_t)((double)(k + 1) * (double)n / (double)m) - 1;
					se->points[k] = (struct obl_chart_point){
						all[i], (double)(i + 1) / (double)n, NAN, NAN
					};
				}
				se->n = m;
				c->n_series++;
			} else {
				free(se->points);
				free(se->name);
			}
			free(all);
		}
		struct obl_strbuf sb;
		obl_strbuf_init(&sb);
		obl_strbuf_addf(&sb, "%s (%s), ", report_words_for(metric), bg->unit);
		obl_format_scenario(&sb, bg->scenario, bg->scenario_len);
		c->title = obl_strbuf_detach(&sb, NULL);
		c->x_label = strf("%s (%s), logarithmic axis", metric, bg->unit);
		char stem[160];
		snprintf(stem, sizeof stem, "ecdf-%s-%d", metric, ++index);
		c->file_stem = strdup(stem);
		c->y_label = strdup("fraction of requests");
		if (!c->title || !c->x_label || !c->file_stem || !c->y_label) {
			obl_chart_free(c);
			b->doc->failed = 1;
			return;
		}
		obl_doc_chart(b->doc, OBL_SECTION_CHARTS, c,
			      "Empirical distribution of every request of every repetition.");
	}
}

void report_charts_section(struct builder *b)
{
	forest_charts(b);
	static const char *const over_load[] = { "output_throughput_tok_s", "ttft_ms" };
	int index = 0;
	for (size_t m = 0; m < 2 && b->load_key; m++) {
		size_t nf = 0;
		const char **fam = report_families_of(b, over_load[m], &nf);
		for (size_t f = 0; fam && f < nf; f++)
			load_chart(b, over_load[m], fam[f], ++index);
		free(fam);
	}
	ecdf_charts(b, "ttft_ms");
}
