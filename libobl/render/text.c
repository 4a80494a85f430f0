/*
 * render_text.c - aligned tables for a terminal; colour only when asked (the tool decides,
 * from isatty). A single comparison prints as a ministat-style block; many as one table.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "utf8.h"

static const char *const verdict_colour[] = { "\033[32m", "\033[1;31m", "", "\033[33m", "" };

/* A cell of text from an input (a label, a key, a name), escaped for the terminal (utf8.h). */
static void add_cell_text(struct obl_table *t, const char *s)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_utf8_add_terminal(&sb, s ? s : "");
	obl_table_add(t, sb.buf);
	obl_strbuf_release(&sb);
}

static void add_cell_number(struct obl_table *t, double v)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_format_number(&sb, v);
	obl_table_add(t, sb.buf);
	obl_strbuf_release(&sb);
}

static void add_cell_interval(struct obl_table *t, const struct obl_interval *ci)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	if (isnan(ci->low) || isnan(ci->high)) {
		obl_strbuf_addstr(&sb, "-");
	} else {
		obl_strbuf_addch(&sb, '[');
		obl_format_number(&sb, ci->low);
		obl_strbuf_addstr(&sb, ", ");
		obl_format_number(&sb, ci->high);
		obl_strbuf_addch(&sb, ']');
	}
	obl_table_add(t, sb.buf);
	obl_strbuf_release(&sb);
}

void obl_render_stats_text(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			   const struct obl_render_options *opt)
{
	(void)opt;
	int has_name = 0, has_run = 0, has_scenario = 0, has_metric = 0, has_reps = 0;
	for (size_t i = 0; i < n; i++) {
		has_name |= rows[i].name != NULL;
		has_run |= rows[i].run != NULL;
		has_scenario |= rows[i].scenario_len > 0;
		has_metric |= rows[i].metric != NULL;
		has_reps |= rows[i].repetitions > 0;
	}
	char align[24];
	size_t cols = 0;
	const char *head[24];
	if (has_name)
		align[cols] = 'l', head[cols++] = "file";
	if (has_run)
		align[cols] = 'l', head[cols++] = "run";
	if (has_scenario)
		align[cols] = 'l', head[cols++] = "scenario";
	if (has_metric)
		align[cols] = 'l', head[cols++] = "metric";
	if (has_reps)
		align[cols] = 'r', head[cols++] = "reps";
	const char *numeric[] = { "n", "mean", "sd", "min", "median", "p90", "p99", "max" };
	for (size_t k = 0; k < 8; k++)
		align[cols] = 'r', head[cols++] = numeric[k];
	double conf = n ? rows[0].confidence : 0.95;
	char mean_head[48], median_head[48];
	snprintf(mean_head, sizeof mean_head, "%g%% CI mean", conf * 100);
	snprintf(median_head, sizeof median_head, "%g%% CI median", conf * 100);
	align[cols] = 'l', head[cols++] = mean_head;
	align[cols] = 'l', head[cols++] = median_head;
	align[cols] = 0;

	struct obl_table t;
	obl_table_init(&t, cols, align);
	for (size_t c = 0; c < cols; c++)
		obl_table_add(&t, head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct obl_stats_row *r = &rows[i];
		if (has_name)
			add_cell_text(&t, r->name);
		if (has_run)
			add_cell_text(&t, r->run);
		if (has_scenario) {
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			obl_format_scenario(&sb, r->scenario, r->scenario_len);
			add_cell_text(&t, sb.buf);
			obl_strbuf_release(&sb);
		}
		if (has_metric) {
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			obl_strbuf_addstr(&sb, r->metric ? r->metric : "");
			if (r->unit && r->unit[0])
				obl_strbuf_addf(&sb, " (%s)", r->unit);
			add_cell_text(&t, sb.buf);
			obl_strbuf_release(&sb);
		}
		if (has_reps) {
			char buf[32];
			snprintf(buf, sizeof buf, "%zu", r->repetitions);
			obl_table_add(&t, buf);
		}
		char nbuf[32];
		snprintf(nbuf, sizeof nbuf, "%zu", r->n);
		obl_table_add(&t, nbuf);
		add_cell_number(&t, r->mean);
		add_cell_number(&t, r->sd);
		add_cell_number(&t, r->min);
		add_cell_number(&t, r->median);
		add_cell_number(&t, r->p90);
		add_cell_number(&t, r->p99);
		add_cell_number(&t, r->max);
		add_cell_interval(&t, &r->mean_ci);
		add_cell_interval(&t, &r->median_ci);
	}
	obl_table_print(&t, out, NULL);
	obl_table_release(&t);
}

static void add_change(struct obl_strbuf *sb, const struct obl_estimate *e, int percent,
		       double confidence)
{
	void (*fmt)(struct obl_strbuf *, double) = percent ? obl_format_percent : obl_format_number;
	fmt(sb, e->estimate);
	if (isfinite(e->ci_low) && isfinite(e->ci_high)) {
		obl_strbuf_addf(sb, "  %g%% CI [", confidence * 100);
		fmt(sb, e->ci_low);
		obl_strbuf_addstr(sb, ", ");
		fmt(sb, e->ci_high);
		obl_strbuf_addch(sb, ']');
	} else if (e->reason) {
		obl_strbuf_addf(sb, "  (%s)", e->reason);
	}
}

static void verdict_word(struct obl_strbuf *sb, enum obl_verdict v, int color)
{
	if (color && verdict_colour[v][0])
		obl_strbuf_addf(sb, "%s%s\033[0m", verdict_colour[v], obl_verdict_names[v]);
	else
		obl_strbuf_addstr(sb, obl_verdict_names[v]);
}

static void compare_block(struct obl_strbuf *out, const struct obl_comparison *c,
			  const struct obl_render_options *opt)
{
	const struct obl_compare_options *co = opt->compare;
	struct obl_table t;
	obl_table_init(&t, 9, "lrrrrrrrl");
	const char *head[] = { "", "n", "mean", "sd", "median", "min", "max", obl_center_label(c),
			       "" };
	for (int k = 0; k < 9; k++)
		obl_table_add(&t, head[k]);
	for (int side = 0; side < 2; side++) {
		const struct obl_side *s = side ? &c->candidate : &c->baseline;
		char nbuf[32];
		obl_table_add(&t, side ? "candidate" : "baseline");
		snprintf(nbuf, sizeof nbuf, "%zu", s->n);
		obl_table_add(&t, nbuf);
		add_cell_number(&t, s->mean);
		add_cell_number(&t, s->sd);
		add_cell_number(&t, s->median);
		add_cell_number(&t, s->min);
		add_cell_number(&t, s->max);
		add_cell_number(&t, s->center);
		const char *name = side ? c->candidate_name : c->baseline_name;
		add_cell_text(&t, name);
	}
	obl_table_print(&t, out, NULL);
	obl_table_release(&t);

	obl_strbuf_addf(out, "\n%s", obl_method_description(c->method));
	if (c->unit_of_analysis)
		obl_strbuf_addf(out, ", %s as the unit",
				obl_unit_of_analysis_names[c->unit_of_analysis]);
	obl_strbuf_addstr(out, "\n  change      ");
	add_change(out, &c->relative, 1, co->confidence);
	obl_strbuf_addstr(out, "\n  difference  ");
	add_change(out, &c->difference, 0, co->confidence);
	obl_strbuf_addstr(out, "\n");
	if (!isnan(c->p_value)) {
		obl_strbuf_addf(out, "  %s = ", c->method == OBL_METHOD_MANN_WHITNEY || c->method == OBL_METHOD_MANN_WHITNEY_EXACT ? "W" : "t");
		obl_format_number(out, c->statistic);
		if (!isnan(c->df)) {
			obl_strbuf_addstr(out, ", df = ");
			obl_format_number(out, c->df);
		}
		obl_strbuf_addstr(out, ", p = ");
		obl_format_p(out, c->p_value);
		obl_strbuf_addstr(out, "\n");
	}
	if (c->secondary.present) {
		obl_strbuf_addstr(out, "  means (Welch t): difference ");
		add_change(out, &c->secondary.difference, 0, co->confidence);
		obl_strbuf_addstr(out, ", p = ");
		obl_format_p(out, c->secondary.p_value);
		obl_strbuf_addstr(out, "\n");
	}
	if (c->note)
		obl_strbuf_addf(out, "  note: %s\n", c->note);
	if (c->cannot_reject)
		obl_strbuf_addstr(out, "  note: with these sample sizes the smallest reachable "
				       "p-value is above alpha: this test cannot reject\n");
	obl_strbuf_addstr(out, "  verdict     ");
	verdict_word(out, c->verdict, opt->color);
	obl_strbuf_addf(out, "  (%s is better; threshold ", obl_direction_names[c->direction]);
	obl_strbuf_addf(out, "%g%%; alpha %g)\n", c->threshold * 100, co->alpha);
	if (c->verdict == OBL_VERDICT_INCONCLUSIVE && isfinite(c->needed_n))
		obl_strbuf_addf(out,
				"  about %.0f values per side would settle it (80%% power, if the "
				"observed change and spread are the truth)\n",
				c->needed_n);
}

/* The value a row shows for a side: its center, whose ratio is the change. */
static double shown(const struct obl_comparison *c, const struct obl_side *s)
{
	(void)c;
	return s->center;
}

static void sample_sizes(struct obl_strbuf *sb, const struct obl_comparison *c)
{
	if (c->presence != OBL_PAIRED)
		return;
	if (c->unit_of_analysis == OBL_UNIT_UNSET) {
		obl_strbuf_addf(sb, "%zu/%zu", c->baseline.n, c->candidate.n);
		return;
	}
	obl_strbuf_addf(sb, "%zu/%zu %s%s", c->baseline.n, c->candidate.n, obl_count_label(c),
			c->unit_of_analysis == OBL_UNIT_REQUESTS ||
					c->unit_of_analysis == OBL_UNIT_VALUES
				? "*"
				: "");
}

/* The cells of rows[0..n) of a comparison table, into a table of their own: the parts of a
 * long table are formatted in parallel (printf's number formatting is most of the cost of
 * printing thousands of rows), then appended in order. */
struct table_part {
	const struct obl_comparison *rows;
	size_t n;
	const struct obl_render_options *opt;
	struct obl_table t;
	int any_requests, any_nongating, any_dependent, any_values;
};

static void format_rows(void *ctx, size_t k)
{
	struct table_part *p = (struct table_part *)ctx + k;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < p->n; i++) {
		const struct obl_comparison *c = &p->rows[i];
		int paired = c->presence == OBL_PAIRED;
		p->any_requests |= paired && c->unit_of_analysis == OBL_UNIT_REQUESTS &&
				   !c->dependent && !isnan(c->p_value);
		p->any_values |= paired && c->unit_of_analysis == OBL_UNIT_VALUES &&
				 !isnan(c->p_value);
		p->any_dependent |= paired && c->dependent;
		obl_strbuf_reset(&sb);
		obl_format_scenario(&sb, c->scenario, c->scenario_len);
		if (c->across)
			obl_strbuf_addf(&sb, "(across %zu scenarios)", c->across);
		add_cell_text(&p->t, sb.len ? sb.buf : "(run)");
		obl_strbuf_reset(&sb);
		obl_strbuf_addstr(&sb, c->metric ? c->metric : "");
		if (c->unit && c->unit[0]) {
			obl_strbuf_addstr(&sb, " (");
			obl_strbuf_addstr(&sb, c->unit);
			obl_strbuf_addch(&sb, ')');
		}
		add_cell_text(&p->t, sb.buf);
		add_cell_text(&p->t, paired ? obl_center_label(c) : c->stat_name);
		obl_strbuf_reset(&sb);
		sample_sizes(&sb, c);
		obl_table_add(&p->t, sb.buf);
		for (int side = 0; side < 2; side++) {
			obl_strbuf_reset(&sb);
			if (paired)
				obl_format_number(&sb, shown(c, side ? &c->candidate : &c->baseline));
			obl_table_add(&p->t, sb.buf);
		}
		obl_strbuf_reset(&sb);
		if (paired)
			obl_format_percent(&sb, c->relative.estimate);
		obl_table_add(&p->t, sb.buf);
		obl_strbuf_reset(&sb);
		if (paired && !isnan(c->p_value) && !c->dependent)
			obl_format_percent_interval(&sb, "", c->relative.ci_low, c->relative.ci_high);
		obl_table_add(&p->t, sb.buf);
		obl_strbuf_reset(&sb);
		if (paired)
			obl_format_p(&sb, c->p_adjusted);
		obl_table_add(&p->t, sb.buf);
		obl_strbuf_reset(&sb);
		if (paired)
			verdict_word(&sb, c->verdict, p->opt->color);
		else
			obl_strbuf_addstr(&sb, obl_row_verdict(c));
		if (paired && !c->gating) {
			obl_strbuf_addstr(&sb, " (info)");
			p->any_nongating = 1;
		}
		if (paired && c->no_variance)
			obl_strbuf_addstr(&sb, " (no variance)");
		if (paired && c->cannot_reject)
			obl_strbuf_addstr(&sb, " (cannot reject)");
		if (paired && c->verdict == OBL_VERDICT_INCONCLUSIVE && isfinite(c->needed_n))
			obl_strbuf_addf(&sb, " (%s%.0f %s)", c->dependent ? ">=" : "~", c->needed_n,
					c->dependent ||
							c->unit_of_analysis == OBL_UNIT_REPETITIONS
						? "reps"
						: "per side");
		obl_table_add(&p->t, sb.buf);
	}
	obl_strbuf_release(&sb);
}

static void table_for_candidate(struct obl_strbuf *out, const struct obl_comparison *rows,
				size_t n, const struct obl_render_options *opt)
{
	const struct obl_compare_options *co = opt->compare;
	struct table_part parts[OBL_PARALLEL_MAX];
	size_t n_parts = obl_parallel_parts(n, 256);
	for (size_t k = 0, at = 0; k < n_parts; k++) {
		size_t len = n / n_parts + (k < n % n_parts);
		parts[k] = (struct table_part){ rows + at, len, opt, { 0 }, 0, 0, 0, 0 };
		obl_table_init(&parts[k].t, 10, "lllrrrrlrl");
		at += len;
	}
	struct obl_table *t = &parts[0].t;
	char ci_head[32];
	snprintf(ci_head, sizeof ci_head, "%g%% CI", co->confidence * 100);
	const char *head[] = { "scenario", "metric", "stat", "n", "baseline", "candidate",
			       "change", ci_head, "p (adj)", "verdict" };
	for (int k = 0; k < 10; k++)
		obl_table_add(t, head[k]);
	obl_parallel_for(n_parts, format_rows, parts);
	int any_requests = parts[0].any_requests, any_nongating = parts[0].any_nongating;
	int any_dependent = parts[0].any_dependent, any_values = parts[0].any_values;
	for (size_t k = 1; k < n_parts; k++) {
		obl_table_append(t, &parts[k].t);
		obl_table_release(&parts[k].t);
		any_requests |= parts[k].any_requests;
		any_nongating |= parts[k].any_nongating;
		any_dependent |= parts[k].any_dependent;
		any_values |= parts[k].any_values;
	}
	obl_table_print(t, out, NULL);
	obl_table_release(t);
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);

	/* Geomeans over scenarios, per metric and statistic, paired rows only. The distinct
	 * (metric, statistic) pairs are few; finding them must not cost a pass per row. */
	const struct obl_comparison **pairs = malloc((n ? n : 1) * sizeof *pairs);
	size_t n_pairs = 0;
	for (size_t i = 0; pairs && i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		if (!c->metric || !c->stat_name)
			continue;
		size_t k = n_pairs;
		while (k-- > 0)
			if (!strcmp(pairs[k]->metric, c->metric) &&
			    !strcmp(pairs[k]->stat_name, c->stat_name))
				break;
		if (k == (size_t)-1)
			pairs[n_pairs++] = c;
	}
	for (size_t p = 0; p < n_pairs; p++) {
		const struct obl_comparison *c = pairs[p];
		double ratio;
		size_t used = obl_geomean(rows, n, c->metric, c->stat_name, c->candidate_name, &ratio);
		size_t total = 0;
		for (size_t j = 0; j < n; j++)
			total += rows[j].metric && rows[j].stat_name &&
				 !strcmp(rows[j].metric, c->metric) &&
				 !strcmp(rows[j].stat_name, c->stat_name);
		if (used < 2)
			continue;
		obl_strbuf_reset(&sb);
		obl_format_percent(&sb, ratio - 1);
		obl_strbuf_addstr(out, "geomean ");
		obl_utf8_add_terminal(out, c->metric);
		obl_strbuf_addstr(out, " (");
		obl_utf8_add_terminal(out, c->stat_name);
		obl_strbuf_addf(out, "): %s over %zu scenarios", sb.buf, used);
		if (used < total)
			obl_strbuf_addf(out, " (%zu rows without a pair left out)", total - used);
		obl_strbuf_addch(out, '\n');
	}
	free(pairs);
	obl_strbuf_release(&sb);
	size_t counts[5], missing = 0, added = 0;
	obl_count_verdicts(rows, n, counts);
	for (size_t i = 0; i < n; i++) {
		missing += rows[i].presence == OBL_MISSING;
		added += rows[i].presence == OBL_NEW;
	}
	obl_strbuf_addf(out, "%zu rows: ", n);
	for (int v = 0; v < 5; v++)
		obl_strbuf_addf(out, "%s%zu %s", v ? ", " : "", counts[v], obl_verdict_names[v]);
	if (missing || added)
		obl_strbuf_addf(out, "; %zu missing, %zu new", missing, added);
	obl_strbuf_addch(out, '\n');
	if (any_dependent)
		obl_strbuf_addstr(out, "* requests of fewer than 3 repetitions a side are not "
				       "independent: such rows are inconclusive and never fail the "
				       "gate (>=N: repetitions needed; --unit request to test them)\n");
	if (any_values)
		obl_strbuf_addstr(out, "* values of fewer than 3 repetitions a side (a benchmark's "
				       "timed runs) tested as independent measurements\n");
	if (any_requests)
		obl_strbuf_addstr(out, "warning: requests tested as independent (--unit request): "
				       "if they share the machine's state, intervals are too narrow "
				       "and false alarms more frequent\n");
	if (any_nongating)
		obl_strbuf_addstr(out, "(info): reported, never fails the gate; adjusted as a family "
				       "of its own (see --gate)\n");
}

void obl_render_compare_text(struct obl_strbuf *out, const struct obl_comparison *rows,
			     size_t n, const struct obl_render_options *opt)
{
	if (n == 1 && rows[0].scenario_len == 0 && rows[0].presence == OBL_PAIRED &&
	    !rows[0].unit) {
		compare_block(out, &rows[0], opt);
		for (size_t k = 0; k < opt->n_warnings; k++)
			obl_strbuf_addf(out, "warning (%s): %s\n", opt->warnings[k].kind,
					opt->warnings[k].message);
		return;
	}
	const struct obl_compare_options *co = opt->compare;
	static const char *const corrections[] = { "no", "Holm", "Benjamini-Hochberg",
						   "Bonferroni" };
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && ((!rows[j].candidate_name && !rows[i].candidate_name) ||
				 (rows[j].candidate_name && rows[i].candidate_name &&
				  !strcmp(rows[j].candidate_name, rows[i].candidate_name))))
			j++;
		obl_strbuf_addf(out, "%sbaseline ", i ? "\n" : "");
		obl_utf8_add_terminal(out, rows[i].baseline_name ? rows[i].baseline_name : "-");
		obl_strbuf_addstr(out, ", candidate ");
		obl_utf8_add_terminal(out, rows[i].candidate_name ? rows[i].candidate_name : "-");
		obl_strbuf_addf(out, " (alpha %g, %s correction %s, threshold %g%% unless set per "
				     "metric)\n",
				co->alpha, corrections[co->correction], obl_family_text(opt),
				co->threshold * 100);
		if (obl_gate_cannot_fail(rows, n))
			obl_strbuf_addstr(out, "note: this gate cannot fail: with these sample sizes "
					       "the smallest reachable p-value, adjusted, is above "
					       "alpha\n");
		table_for_candidate(out, rows + i, j - i, opt);
		i = j;
	}
	for (size_t k = 0; k < opt->n_warnings; k++)
		obl_strbuf_addf(out, "%swarning (%s): %s\n", k ? "" : "\n", opt->warnings[k].kind,
				opt->warnings[k].message);
}
