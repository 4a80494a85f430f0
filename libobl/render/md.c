/*
 * render_md.c - GitHub-flavoured Markdown tables, for PR comments and job summaries.
 */
#include "render.h"

#include <math.h>
#include <string.h>

#include "utf8.h"

/* Table cells must not break the table: '|' escaped, newlines as spaces. */
static void cell(struct obl_strbuf *out, const char *s)
{
	obl_strbuf_addstr(out, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			obl_strbuf_addstr(out, "\\|");
		else if (*s == '\n' || *s == '\r')
			obl_strbuf_addch(out, ' ');
		else
			obl_strbuf_addch(out, *s);
	}
	obl_strbuf_addstr(out, " |");
}

/* A cell of text from an input: shown as the text it is, never as a link, an image, emphasis
 * or HTML (utf8.h). */
static void text_cell(struct obl_strbuf *out, const char *s)
{
	obl_strbuf_addch(out, ' ');
	obl_utf8_add_markdown(out, s);
	obl_strbuf_addstr(out, " |");
}

static void cell_number(struct obl_strbuf *out, double v)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_format_number(&sb, v);
	cell(out, sb.buf);
	obl_strbuf_release(&sb);
}

static void interval_text(struct obl_strbuf *sb, double lo, double hi, int percent)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		obl_strbuf_addstr(sb, "-");
		return;
	}
	void (*fmt)(struct obl_strbuf *, double) = percent ? obl_format_percent : obl_format_number;
	obl_strbuf_addch(sb, '[');
	fmt(sb, lo);
	obl_strbuf_addstr(sb, ", ");
	fmt(sb, hi);
	obl_strbuf_addch(sb, ']');
}

void obl_render_stats_md(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			 const struct obl_render_options *opt)
{
	(void)opt;
	double conf = n ? rows[0].confidence * 100 : 95;
	int db = n && rows[0].metric;
	obl_strbuf_addstr(out, db ? "| run | scenario | metric | reps |" : "| file |");
	obl_strbuf_addf(out, " n | mean | sd | min | median | p90 | p99 | max | %g%% CI mean | "
			     "%g%% CI median |\n",
			conf, conf);
	obl_strbuf_addstr(out, db ? "|---|---|---|---:|" : "|---|");
	obl_strbuf_addstr(out, "---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_stats_row *r = &rows[i];
		obl_strbuf_addstr(out, "|");
		if (db) {
			text_cell(out, r->run);
			obl_strbuf_reset(&sb);
			obl_format_scenario(&sb, r->scenario, r->scenario_len);
			text_cell(out, sb.buf);
			obl_strbuf_reset(&sb);
			obl_strbuf_addstr(&sb, r->metric);
			if (r->unit && r->unit[0])
				obl_strbuf_addf(&sb, " (%s)", r->unit);
			text_cell(out, sb.buf);
			obl_strbuf_reset(&sb);
			obl_strbuf_addf(&sb, "%zu", r->repetitions);
			cell(out, sb.buf);
		} else {
			text_cell(out, r->name);
		}
		obl_strbuf_reset(&sb);
		obl_strbuf_addf(&sb, "%zu", r->n);
		cell(out, sb.buf);
		cell_number(out, r->mean);
		cell_number(out, r->sd);
		cell_number(out, r->min);
		cell_number(out, r->median);
		cell_number(out, r->p90);
		cell_number(out, r->p99);
		cell_number(out, r->max);
		obl_strbuf_reset(&sb);
		interval_text(&sb, r->mean_ci.low, r->mean_ci.high, 0);
		cell(out, sb.buf);
		obl_strbuf_reset(&sb);
		interval_text(&sb, r->median_ci.low, r->median_ci.high, 0);
		cell(out, sb.buf);
		obl_strbuf_addch(out, '\n');
	}
	obl_strbuf_release(&sb);
}

void obl_render_compare_md(struct obl_strbuf *out, const struct obl_comparison *rows, size_t n,
			   const struct obl_render_options *opt)
{
	const struct obl_compare_options *co = opt->compare;
	int has_scenario = 0;
	for (size_t i = 0; i < n; i++)
		has_scenario |= rows[i].scenario_len > 0;
	int several = 0;
	for (size_t i = 1; i < n; i++)
		several |= rows[i].candidate_name && rows[0].candidate_name &&
			   strcmp(rows[i].candidate_name, rows[0].candidate_name);
	obl_strbuf_addf(out,
			"|%s%s metric | baseline | candidate | change | %g%% CI | p (adj) | "
			"verdict |\n|%s%s---|---:|---:|---:|---|---:|---|\n",
			several ? " run |" : "", has_scenario ? " scenario |" : "",
			co->confidence * 100, several ? "---|" : "", has_scenario ? "---|" : "");
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		obl_strbuf_addstr(out, "|");
		if (several)
			text_cell(out, c->candidate_name);
		if (has_scenario) {
			obl_strbuf_reset(&sb);
			if (c->across)
				obl_strbuf_addf(&sb, "(across %zu scenarios)", c->across);
			else
				obl_format_scenario(&sb, c->scenario, c->scenario_len);
			text_cell(out, sb.buf);
		}
		obl_strbuf_reset(&sb);
		obl_strbuf_addstr(&sb, c->metric ? c->metric : "value");
		if (c->presence == OBL_PAIRED)
			obl_strbuf_addf(&sb, " (%s)", obl_center_label(c));
		else if (c->stat_name)
			obl_strbuf_addf(&sb, " (%s)", c->stat_name);
		text_cell(out, sb.buf);
		if (c->presence != OBL_PAIRED) {
			obl_strbuf_reset(&sb);
			obl_strbuf_addf(&sb, "| | | | | %s |\n", obl_row_verdict(c));
			obl_strbuf_addstr(out, sb.buf);
			continue;
		}
		for (int s = 0; s < 2; s++) {
			const struct obl_side *side = s ? &c->candidate : &c->baseline;
			obl_strbuf_reset(&sb);
			obl_format_number(&sb, side->center);
			obl_strbuf_addf(&sb, " (n=%zu %s)", side->n, obl_count_label(c));
			cell(out, sb.buf);
		}
		obl_strbuf_reset(&sb);
		obl_format_percent(&sb, c->relative.estimate);
		cell(out, sb.buf);
		obl_strbuf_reset(&sb);
		if (!isnan(c->p_value) && !c->dependent)
			interval_text(&sb, c->relative.ci_low, c->relative.ci_high, 1);
		cell(out, sb.buf);
		obl_strbuf_reset(&sb);
		obl_format_p(&sb, c->p_adjusted);
		cell(out, sb.buf);
		obl_strbuf_reset(&sb);
		if (c->verdict == OBL_VERDICT_WORSE || c->verdict == OBL_VERDICT_BETTER)
			obl_strbuf_addf(&sb, "**%s**", obl_verdict_names[c->verdict]);
		else
			obl_strbuf_addstr(&sb, obl_verdict_names[c->verdict]);
		if (c->no_variance)
			obl_strbuf_addstr(&sb, " (no variance)");
		if (c->cannot_reject)
			obl_strbuf_addstr(&sb, " (cannot reject)");
		if (c->dependent && isfinite(c->needed_n))
			obl_strbuf_addf(&sb, " (>=%.0f reps)", c->needed_n);
		else if (c->verdict == OBL_VERDICT_INCONCLUSIVE && isfinite(c->needed_n))
			obl_strbuf_addf(&sb, " (~%.0f %s)", c->needed_n,
					c->unit_of_analysis == OBL_UNIT_REPETITIONS ? "reps"
										    : "per side");
		if (c->unit_of_analysis == OBL_UNIT_REQUESTS)
			obl_strbuf_addstr(&sb, " \\*");
		cell(out, sb.buf);
		obl_strbuf_addch(out, '\n');
	}
	obl_strbuf_release(&sb);
	static const char *const corrections[] = { "no", "Holm", "Benjamini-Hochberg",
						   "Bonferroni" };
	if (n && rows[0].unit) {
		int requests = 0, dependent = 0;
		for (size_t i = 0; i < n; i++) {
			requests |= rows[i].presence == OBL_PAIRED && !rows[i].dependent &&
				    rows[i].unit_of_analysis == OBL_UNIT_REQUESTS;
			dependent |= rows[i].presence == OBL_PAIRED && rows[i].dependent;
		}
		obl_strbuf_addf(out,
				"\nThreshold %g%% unless set per metric, alpha %g, %s correction "
				"%s. Repetitions are the unit where both sides have at least 3 "
				"(Welch's t on log values of the per-repetition statistic); baseline "
				"and candidate are the centers whose ratio is the change.%s%s%s\n",
				co->threshold * 100, co->alpha, corrections[co->correction],
				obl_family_text(opt),
				dependent ? " \\* requests of fewer than 3 repetitions are not "
					    "independent: inconclusive, never gating."
					  : "",
				requests ? " \\* requests tested as independent (--unit request):"
					   " intervals may be too narrow."
					 : "",
				obl_gate_cannot_fail(rows, n)
					? " **This gate cannot fail**: with these sample sizes no "
					  "adjusted p-value can reach alpha."
					: "");
		for (size_t k = 0; k < opt->n_warnings; k++) {
			obl_strbuf_addf(out, "%s- warning (%s): ", k ? "" : "\n",
					opt->warnings[k].kind);
			obl_utf8_add_markdown(out, opt->warnings[k].message);
			obl_strbuf_addch(out, '\n');
		}
		return;
	}
	obl_strbuf_addf(out,
			"\nThreshold %g%%, alpha %g, %s correction across %zu row%s. Method: %s.\n",
			n ? rows[0].threshold * 100 : co->threshold * 100, co->alpha,
			corrections[co->correction], n, n == 1 ? "" : "s",
			n ? obl_method_description(rows[0].method) : "-");
	for (size_t k = 0; k < opt->n_warnings; k++) {
		obl_strbuf_addf(out, "%s- warning (%s): ", k ? "" : "\n", opt->warnings[k].kind);
		obl_utf8_add_markdown(out, opt->warnings[k].message);
		obl_strbuf_addch(out, '\n');
	}
}
