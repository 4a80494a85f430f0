/*
 * render_csv.c - RFC 4180 CSV: a header row, then one row per result; numbers round-trip.
 */
#include "render.h"

#include <math.h>
#include <string.h>

#include "utf8.h"

/* A text cell, escaped by the output policy (obl_utf8_add_csv: quotes, formulas). */
static void field(struct obl_strbuf *out, const char *s, int last)
{
	obl_utf8_add_csv(out, s);
	obl_strbuf_addstr(out, last ? "\r\n" : ",");
}

static void number(struct obl_strbuf *out, double v, int last)
{
	if (isfinite(v))
		obl_strbuf_add_double(out, v);
	obl_strbuf_addstr(out, last ? "\r\n" : ",");
}

void obl_render_stats_csv(struct obl_strbuf *out, const struct obl_stats_row *rows, size_t n,
			  const struct obl_render_options *opt)
{
	(void)opt;
	obl_strbuf_addstr(out, "name,run,scenario,metric,unit,repetitions,n,mean,sd,min,median,p90,"
			       "p99,max,mean_ci_low,mean_ci_high,median_ci_low,median_ci_high\r\n");
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_stats_row *r = &rows[i];
		field(out, r->name, 0);
		field(out, r->run, 0);
		obl_strbuf_reset(&sb);
		obl_format_scenario(&sb, r->scenario, r->scenario_len);
		field(out, sb.buf, 0);
		field(out, r->metric, 0);
		field(out, r->unit, 0);
		obl_strbuf_addf(out, "%zu,%zu,", r->repetitions, r->n);
		const double v[] = { r->mean, r->sd, r->min, r->median, r->p90, r->p99, r->max,
				     r->mean_ci.low, r->mean_ci.high, r->median_ci.low,
				     r->median_ci.high };
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			number(out, v[k], k + 1 == sizeof v / sizeof v[0]);
	}
	obl_strbuf_release(&sb);
}

void obl_render_compare_csv(struct obl_strbuf *out, const struct obl_comparison *rows, size_t n,
			    const struct obl_render_options *opt)
{
	(void)opt;
	obl_strbuf_addstr(out, "scenario,metric,unit,statistic,direction,method,baseline_n,"
			       "baseline_mean,baseline_median,candidate_n,candidate_mean,"
			       "candidate_median,statistic_value,df,p_value,p_adjusted,difference,"
			       "difference_ci_low,difference_ci_high,relative,relative_ci_low,"
			       "relative_ci_high,verdict,center,baseline_center,candidate_center\r\n");
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		obl_strbuf_reset(&sb);
		obl_format_scenario(&sb, c->scenario, c->scenario_len);
		field(out, sb.buf, 0);
		field(out, c->metric ? c->metric : "value", 0);
		field(out, c->unit, 0);
		field(out, c->stat_name, 0);
		field(out, obl_direction_names[c->direction], 0);
		field(out, obl_method_names[c->method], 0);
		if (c->presence != OBL_PAIRED) {
			/* One side only: nothing was compared, and the verdict says which side. */
			for (int k = 0; k < 16; k++)
				obl_strbuf_addch(out, ',');
			field(out, obl_presence_names[c->presence], 0);
			obl_strbuf_addstr(out, ",,\r\n"); /* no center either */
			continue;
		}
		obl_strbuf_addf(out, "%zu,", c->baseline.n);
		number(out, c->baseline.mean, 0);
		number(out, c->baseline.median, 0);
		obl_strbuf_addf(out, "%zu,", c->candidate.n);
		number(out, c->candidate.mean, 0);
		number(out, c->candidate.median, 0);
		const double v[] = { c->statistic, c->df, c->p_value, c->p_adjusted,
				     c->difference.estimate, c->difference.ci_low,
				     c->difference.ci_high, c->relative.estimate,
				     c->relative.ci_low, c->relative.ci_high };
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			number(out, v[k], 0);
		field(out, obl_verdict_names[c->verdict], 0);
		field(out, c->presence == OBL_PAIRED ? obl_center_label(c) : "", 0);
		number(out, c->baseline.center, 0);
		number(out, c->candidate.center, 1);
	}
	obl_strbuf_release(&sb);
}
