/*
 * history_report.c - obl-report --history: the change points of a history (history.h) as a
 * document: the runs, the changes in words, the table of change points, a chart per series
 * that changed (the run levels and the levels between change points with their intervals,
 * the change points named), and the methodology.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "options.h"
#include "report.h"
#include "report_render.h"
#include "store.h"

static const char *direction_word(const struct obl_change_point *cp)
{
	return cp->regression < 0 ? "change" : cp->regression ? "regression"
							      : "improvement";
}

static void scenario_of(struct obl_strbuf *sb, const struct obl_history_series *s)
{
	if (!s->scenario_len)
		obl_strbuf_addstr(sb, "(run)");
	for (size_t i = 0; i < s->scenario_len; i++)
		obl_strbuf_addf(sb, "%s%s=%s", i ? " " : "", s->scenario[i].key, s->scenario[i].value);
}

static void level_of(struct obl_strbuf *sb, const struct obl_history_level *l, const char *unit)
{
	obl_strbuf_addf(sb, "%.4g %s [%.4g, %.4g], %zu run%s", l->center, unit, l->ci_low,
			l->ci_high, l->n_runs, l->n_runs == 1 ? "" : "s");
}

static void change_of(struct obl_strbuf *sb, const struct obl_estimate *r)
{
	obl_strbuf_addf(sb, "%+.1f%%", 100 * r->estimate);
	if (isfinite(r->ci_low) && isfinite(r->ci_high))
		obl_strbuf_addf(sb, " [%+.1f%%, %+.1f%%]", 100 * r->ci_low, 100 * r->ci_high);
}

static const char *tag_of(const struct obl_history_run *r, const char *key)
{
	for (size_t i = 0; i < r->n_tags; i++)
		if (!strcmp(r->tags[i].key, key))
			return r->tags[i].value;
	return NULL;
}

/* ", key=value"; a full commit hash (over 12 hex digits) cut to 12, as git abbreviates, and
 * when short, of a range of dates ("first .. last", a run whose files differ) the first. */
static void add_tag(struct obl_strbuf *sb, size_t *n, const struct obl_kv *tag, int short_)
{
	size_t len = strlen(tag->value);
	const char *range = strstr(tag->value, " .. ");
	if (len > 12 && strspn(tag->value, "0123456789abcdef") == len)
		len = 12;
	else if (short_ && range)
		len = (size_t)(range - tag->value);
	obl_strbuf_addf(sb, "%s%s=%.*s", (*n)++ ? ", " : " (", tag->key, (int)len, tag->value);
}

/* Which change a run is: its label, its commit, version and date tags ("night6
 * (commit=5f3e0a1b2c3d, date=2026-11-06)"); unless short (the table's cell, which the PDF does
 * not wrap), the whole date range and up to three other tags whose value differs from the run
 * before it in the order (a changed dtype or engine says what the change was). */
static void run_identity(struct obl_strbuf *sb, const struct obl_history *h, size_t run,
			 int short_)
{
	const struct obl_history_run *r = &h->runs[run];
	obl_strbuf_addstr(sb, r->label);
	size_t n = 0, others = 0;
	for (size_t i = 0; i < r->n_tags; i++)
		if (obl_history_tag_is_identity(r->tags[i].key))
			add_tag(sb, &n, &r->tags[i], short_);
	for (size_t i = 0; !short_ && run > 0 && i < r->n_tags && others < 3; i++) {
		const char *key = r->tags[i].key, *before = tag_of(&h->runs[run - 1], key);
		if (obl_history_tag_is_identity(key) || obl_store_tag_is_provenance(key) ||
		    (before && !strcmp(before, r->tags[i].value)))
			continue;
		add_tag(sb, &n, &r->tags[i], short_);
		others++;
	}
	if (n)
		obl_strbuf_addch(sb, ')');
}

static char *dupf(struct obl_strbuf *sb)
{
	char *s = strdup(sb->buf);
	obl_strbuf_reset(sb);
	return s;
}

/* The chart of one series: each run's level, and the level of each stretch between change
 * points with its interval as a band. */
static struct obl_chart *series_chart(const struct obl_history *h,
				      const struct obl_history_series *s, struct obl_strbuf *sb)
{
	struct obl_chart *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->kind = OBL_CHART_LINES;
	scenario_of(sb, s);
	obl_strbuf_addf(sb, ": %s (%s of each repetition)", s->metric, s->stat);
	c->title = dupf(sb);
	c->x_label = strdup("run");
	obl_strbuf_addf(sb, "%s (%s)", s->metric, s->unit);
	c->y_label = dupf(sb);
	obl_strbuf_addf(sb, "history-%s-%zu", s->metric, (size_t)(s - h->series));
	c->file_stem = dupf(sb);
	c->n_categories = h->n_runs;
	c->categories = calloc(h->n_runs ? h->n_runs : 1, sizeof *c->categories);
	c->series = calloc(2, sizeof *c->series);
	if (!c->title || !c->x_label || !c->y_label || !c->file_stem || !c->categories ||
	    !c->series) {
		obl_chart_free(c);
		return NULL;
	}
	/* a label under at most about a dozen runs: change points first, then evenly */
	size_t every = h->n_runs > 12 ? (h->n_runs + 11) / 12 : 1;
	for (size_t r = 0; r < h->n_runs; r++) {
		int named = r % every == 0;
		for (size_t k = 0; k < s->n_cps; k++)
			named |= s->cps[k].run == r;
		c->categories[r] = strdup(named ? h->runs[r].label : "");
		if (!c->categories[r]) {
			obl_chart_free(c);
			return NULL;
		}
	}
	c->n_series = 2;
	c->series[0].name = strdup("run level (mean of its repetitions)");
	c->series[1].name = strdup("level between change points (95% interval)");
	c->series[0].points = malloc((s->n_points ? s->n_points : 1) * sizeof *c->series[0].points);
	c->series[1].points = malloc((s->n_points ? s->n_points : 1) * sizeof *c->series[1].points);
	if (!c->series[0].name || !c->series[1].name || !c->series[0].points ||
	    !c->series[1].points) {
		obl_chart_free(c);
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < s->n_points; i++) {
		while (k < s->n_cps && s->cps[k].point <= i)
			k++;
		/* the stretch of point i: after change point k-1, before change point k */
		const struct obl_history_level *l = k < s->n_cps ? &s->cps[k].before
						    : s->n_cps   ? &s->cps[s->n_cps - 1].after
								 : NULL;
		double x = (double)s->run[i];
		c->series[0].points[i] = (struct obl_chart_point){ x, obl_history_point_level(s, i),
								   NAN, NAN };
		c->series[1].points[i] = l ? (struct obl_chart_point){ x, l->center, l->ci_low,
								       l->ci_high }
					   : (struct obl_chart_point){ x, NAN, NAN, NAN };
	}
	c->series[0].n = c->series[1].n = s->n_points;
	if (!s->n_cps)
		c->n_series = 1;
	return c;
}

int obl_report_history(const struct obl_history *h, const char *db_path, const char *title,
		       int charts, struct obl_doc *doc, struct obl_error *err)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	size_t total = 0, worse = 0, better = 0;
	for (size_t i = 0; i < h->n_series; i++)
		for (size_t k = 0; k < h->series[i].n_cps; k++) {
			total++;
			worse += h->series[i].cps[k].regression == 1;
			better += h->series[i].cps[k].regression == 0;
		}
	/* its own structure: the change points where the A/B report has its results, the
	 * levels over the runs where it has its charts, no SLO */
	doc->titles[OBL_SECTION_SCENARIOS] = "Change points";
	doc->titles[OBL_SECTION_SLO] = "";
	doc->titles[OBL_SECTION_CHARTS] = "Levels over the runs";
	if (title)
		obl_strbuf_addstr(&sb, title);
	else
		obl_strbuf_addf(&sb, "History of %s", db_path);
	doc->title = dupf(&sb);
	doc->version = strdup("obl " OBL_VERSION);

	/* runs */
	const char *order = h->opt.order == OBL_ORDER_INGEST ? "in the order they were ingested"
			    : h->opt.order == OBL_ORDER_TAG  ? "by their tag"
							     : "in commit order (tag";
	if (h->opt.order == OBL_ORDER_INGEST)
		obl_doc_paragraph(doc, OBL_SECTION_RUNS, "%zu runs of %s, %s.", h->n_runs, db_path,
				  order);
	else if (h->opt.order == OBL_ORDER_TAG)
		obl_doc_paragraph(doc, OBL_SECTION_RUNS, "%zu runs of %s, ordered %s '%s'.",
				  h->n_runs, db_path, order, h->opt.order_tag);
	else
		obl_doc_paragraph(doc, OBL_SECTION_RUNS, "%zu runs of %s, %s '%s' in %s).",
				  h->n_runs, db_path, order, h->opt.order_tag, h->opt.commits);
	if (h->n_runs)
		obl_doc_paragraph(doc, OBL_SECTION_RUNS, "First run: %s. Newest run: %s. %zu series "
							 "(scenario x metric).",
				  h->runs[0].label, h->runs[h->n_runs - 1].label, h->n_series);

	/* summary */
	obl_doc_paragraph(doc, OBL_SECTION_SUMMARY,
			  "%zu change point%s: %zu regression%s, %zu improvement%s%s.", total,
			  total == 1 ? "" : "s", worse, worse == 1 ? "" : "s", better,
			  better == 1 ? "" : "s",
			  total - worse - better ? ", the rest in metrics without a direction" : "");
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			if (cp->regression != 1)
				continue;
			obl_strbuf_addf(&sb, "%s at ", s->metric);
			scenario_of(&sb, s);
			obl_strbuf_addstr(&sb, " got worse from run ");
			run_identity(&sb, h, cp->run, 0);
			obl_strbuf_addstr(&sb, ": ");
			change_of(&sb, &cp->relative);
			obl_doc_item(doc, OBL_SECTION_SUMMARY, "%s", sb.buf);
			obl_strbuf_reset(&sb);
		}
	}

	/* the table of change points */
	static const char *const header[] = { "Scenario", "Metric", "First run of the new level",
					      "Before", "After", "Change",
					      "p", "Direction" };
	struct obl_doc_table *t = total ? obl_doc_table(doc, OBL_SECTION_SCENARIOS, 8, "lllrrrrl",
							header)
					: NULL;
	for (size_t i = 0; t && i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			char *cells[8] = { 0 };
			scenario_of(&sb, s);
			cells[0] = dupf(&sb);
			cells[1] = strdup(s->metric);
			run_identity(&sb, h, cp->run, 1);
			cells[2] = dupf(&sb);
			level_of(&sb, &cp->before, s->unit);
			cells[3] = dupf(&sb);
			level_of(&sb, &cp->after, s->unit);
			cells[4] = dupf(&sb);
			change_of(&sb, &cp->relative);
			cells[5] = dupf(&sb);
			obl_strbuf_addf(&sb, "%.3g", cp->p_value);
			cells[6] = dupf(&sb);
			cells[7] = strdup(direction_word(cp));
			int ok = 1;
			for (int j = 0; j < 8; j++)
				ok &= cells[j] != NULL;
			if (ok)
				obl_doc_row(doc, t,
					    cp->regression == 1   ? OBL_TONE_BAD
					    : cp->regression == 0 ? OBL_TONE_GOOD
								  : OBL_TONE_PLAIN,
					    (const char *const *)cells);
			else
				doc->failed = 1;
			for (int j = 0; j < 8; j++)
				free(cells[j]);
		}
	}
	if (!total)
		obl_doc_paragraph(doc, OBL_SECTION_SCENARIOS,
				  "No series changed level by %g%% or more at alpha %g.",
				  100 * h->opt.threshold, h->opt.alpha);

	/* short excursions, after the change points' table */
	size_t excursions = 0;
	for (size_t i = 0; i < h->n_series; i++)
		excursions += h->series[i].n_excursions;
	static const char *const ex_header[] = { "Scenario", "Metric", "First run", "Runs",
						 "Size", "Direction" };
	struct obl_doc_table *te = NULL;
	if (excursions) {
		obl_doc_heading(doc, OBL_SECTION_SCENARIOS, 3, "Short excursions");
		obl_doc_paragraph(doc, OBL_SECTION_SCENARIOS,
				  "At most %zu runs away from a level that then came back: not "
				  "change points, and left out of the levels and of the gate's "
				  "baseline.",
				  h->opt.max_excursion);
		te = obl_doc_table(doc, OBL_SECTION_SCENARIOS, 6, "lllrrl", ex_header);
	}
	for (size_t i = 0; te && i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_excursions; k++) {
			const struct obl_history_excursion *e = &s->excursions[k];
			char *cells[6] = { 0 };
			scenario_of(&sb, s);
			cells[0] = dupf(&sb);
			cells[1] = strdup(s->metric);
			cells[2] = strdup(h->runs[e->run].label);
			obl_strbuf_addf(&sb, "%zu", e->n_runs);
			cells[3] = dupf(&sb);
			obl_strbuf_addf(&sb, "%+.1f%%", 100 * e->relative);
			cells[4] = dupf(&sb);
			cells[5] = strdup(e->regression < 0 ? "change"
					  : e->regression   ? "regression"
							    : "improvement");
			int ok = 1;
			for (int j = 0; j < 6; j++)
				ok &= cells[j] != NULL;
			if (ok)
				obl_doc_row(doc, te, OBL_TONE_PLAIN, (const char *const *)cells);
			else
				doc->failed = 1;
			for (int j = 0; j < 6; j++)
				free(cells[j]);
		}
	}

	/* the levels over the runs: per metric, a chart per scenario whose series changed (at
	 * most 24 in all) */
	size_t drawn = 0, held = 0;
	for (size_t i = 0; i < h->n_series; i++)
		held += h->series[i].n_cps == 0;
	if (charts && held)
		obl_doc_paragraph(doc, OBL_SECTION_CHARTS,
				  "%zu of %zu series held one level over the runs (not drawn).", held,
				  h->n_series);
	for (size_t m = 0; charts && m < h->n_series && drawn < 24; m++) {
		const char *metric = h->series[m].metric;
		int seen = 0, any = 0;
		for (size_t j = 0; j < m && !seen; j++)
			seen = !strcmp(h->series[j].metric, metric);
		for (size_t j = m; j < h->n_series && !any; j++)
			any = h->series[j].n_cps && !strcmp(h->series[j].metric, metric);
		if (seen || !any)
			continue; /* each metric once, where it first appears */
		obl_doc_heading(doc, OBL_SECTION_CHARTS, 3, "%s", metric);
		for (size_t i = m; charts && i < h->n_series && drawn < 24; i++) {
			const struct obl_history_series *s = &h->series[i];
			if (!s->n_cps || strcmp(s->metric, metric))
				continue;
			struct obl_chart *c = series_chart(h, s, &sb);
			obl_strbuf_reset(&sb);
			if (!c) {
				doc->failed = 1;
				break;
			}
			obl_strbuf_addstr(&sb, "Change points: ");
			for (size_t k = 0; k < s->n_cps; k++) {
				obl_strbuf_addf(&sb, "%s%s at ", k ? "; " : "", direction_word(&s->cps[k]));
				run_identity(&sb, h, s->cps[k].run, 0);
				obl_strbuf_addstr(&sb, ": ");
				change_of(&sb, &s->cps[k].relative);
			}
			obl_strbuf_addch(&sb, '.');
			obl_doc_chart(doc, OBL_SECTION_CHARTS, c, sb.buf);
			obl_strbuf_reset(&sb);
			drawn++;
		}
	}

	/* methodology */
	obl_doc_paragraph(doc, OBL_SECTION_METHODOLOGY,
			  "Each run contributes the %s of each repetition (aggregates: the value, "
			  "proportions: the rate); a run without the scenario is a gap, not a zero.",
			  h->opt.stat);
	obl_doc_paragraph(
		doc, OBL_SECTION_METHODOLOGY,
		"Change points are found by E-divisive means (Matteson and James 2014), as Apache "
		"Otava (Hunter) and MongoDB's performance CI use it: the split between runs that "
		"maximises the energy divergence of the repetitions on either side is a candidate; "
		"it is a change point when its relative change (the Hodges-Lehmann shift over the "
		"earlier median, as obl-compare estimates it) is at least %g%% and a permutation "
		"test of the maximum (%zu permutations, fixed seed, Besag-Clifford stopping) gives "
		"p <= %g. Binary segmentation finds them; each is then tested again between its "
		"neighbours, at most %zu runs either side, so that runs added at the end move no "
		"earlier change point unless the data demand it.",
		100 * h->opt.threshold, h->opt.permutations, h->opt.alpha, h->opt.window);
	obl_doc_paragraph(doc, OBL_SECTION_METHODOLOGY,
			  "A level needs at least %zu runs, except the newest, so that one slow "
			  "run is not a change point; a change at the newest run rests on that "
			  "run alone until the next one confirms it. Levels are the medians of "
			  "their repetitions with distribution-free %g%% intervals. p-values are "
			  "per change point, not adjusted across series; repetitions are treated "
			  "as exchangeable within a level.",
			  h->opt.min_runs, 100 * h->opt.confidence);
	obl_doc_paragraph(doc, OBL_SECTION_METHODOLOGY,
			  "Two change points at most %zu runs apart whose levels on either side "
			  "agree (within the threshold) are a short excursion, not two changes: "
			  "its runs are set aside and the change points found again without them.",
			  h->opt.max_excursion);
	obl_strbuf_release(&sb);
	if (doc->failed || !doc->title || !doc->version)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

/* Replaces the first `from` in *text by `to` (the template is edited, not copied by hand, so
 * that the A/B report's styles and layout stay one file). */
static void replace_once(char **text, const char *from, const char *to)
{
	char *at = *text ? strstr(*text, from) : NULL;
	if (!at)
		return;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_strbuf_add(&sb, *text, (size_t)(at - *text));
	obl_strbuf_addstr(&sb, to);
	obl_strbuf_addstr(&sb, at + strlen(from));
	char *out = obl_strbuf_failed(&sb) ? NULL : obl_strbuf_detach(&sb, NULL);
	obl_strbuf_release(&sb);
	free(*text);
	*text = out;
}

char *obl_report_history_template(enum obl_doc_flavour flavour)
{
	char *t = obl_report_default_template(flavour);
	if (flavour == OBL_DOC_HTML) {
		replace_once(&t, "<h2>Results by scenario</h2>", "<h2>Change points</h2>");
		replace_once(&t, "<h2>Capacity under the SLO</h2>\n{{slo}}\n", "");
		replace_once(&t, "<h2>Charts</h2>", "<h2>Levels over the runs</h2>");
	} else {
		replace_once(&t, " \u00b7 baseline and candidates as stored; every number below is "
				 "recomputed from the\nstored values.",
			     " \u00b7 every number below is recomputed from the stored values.");
		replace_once(&t, "## Results by scenario", "## Change points");
		replace_once(&t, "## Capacity under the SLO\n\n{{slo}}\n", "");
		replace_once(&t, "## Charts", "## Levels over the runs");
	}
	return t;
}
