/*
 * render_text.c - aligned tables for a terminal; colour only when asked (the tool decides,
 * from isatty). A single comparison prints as a ministat-style block; many as one table.
 */
#include "render.h"

#include <assert.h>
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
	assert(n_parts >= 1 && n_parts <= OBL_PARALLEL_MAX);
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
			total += !rows[j].across && rows[j].metric && rows[j].stat_name &&
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

/* ---- The terminal layout (at most 100 columns) ------------------------------------------ */

/* The number at s with its SI or binary suffix applied ("32kB" 32000, "1Mi" 1048576);
 * returns the text after it. s starts with a digit. */
static const char *number_at(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	static const char si[] = "kMGT";
	const char *p = strchr(si, *end == 'K' ? 'k' : *end);
	if (*end && p) {
		int binary = end[1] == 'i';
		*v *= pow(binary ? 1024 : 1000, (double)(p - si + 1));
		end += 1 + binary;
	}
	return end;
}

int obl_natural_cmp(const char *a, const char *b)
{
	const char *x = a, *y = b;
	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			double u, v;
			const char *nx = number_at(x, &u), *ny = number_at(y, &v);
			if (u != v)
				return u < v ? -1 : 1;
			x = nx;
			y = ny;
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
		x++;
		y++;
	}
	if (*x || *y)
		return *x ? 1 : -1;
	return strcmp(a, b); /* equal as numbers ("1k" and "1000"): still an order */
}

static int scenario_cmp(const struct obl_comparison *a, const struct obl_comparison *b)
{
	for (size_t i = 0; i < a->scenario_len && i < b->scenario_len; i++) {
		int c = strcmp(a->scenario[i].key, b->scenario[i].key);
		if (c)
			return c;
		if ((c = obl_natural_cmp(a->scenario[i].value, b->scenario[i].value)))
			return c;
	}
	return a->scenario_len < b->scenario_len ? -1 : a->scenario_len > b->scenario_len;
}

/* Rows in reading order: scenarios naturally sorted, rows of one scenario as they came. */
static int by_scenario_then_index(const void *pa, const void *pb)
{
	const struct obl_comparison *a = *(const struct obl_comparison *const *)pa;
	const struct obl_comparison *b = *(const struct obl_comparison *const *)pb;
	int c = scenario_cmp(a, b);
	return c ? c : (a > b) - (a < b);
}

/* A time unit ("ns", "us", "µs", "ms", "s", also "ns/op"): its size in seconds and the rest
 * ("/op"); 0 if unit is not one. */
static double time_unit(const char *unit, const char **rest)
{
	static const struct {
		const char *name;
		double s;
	} units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xC2\xB5s", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }
	};
	for (size_t i = 0; unit && i < sizeof units / sizeof *units; i++) {
		size_t len = strlen(units[i].name);
		if (!strncmp(unit, units[i].name, len) && (!unit[len] || unit[len] == '/')) {
			*rest = unit + len;
			return units[i].s;
		}
	}
	return 0;
}

/* v with `digits` significant digits, trailing zeros kept so that a column's numbers show
 * their precision ("86.00"), and no bare point ("1125", not "1125."). */
static void add_digits(struct obl_strbuf *sb, double v, int digits)
{
	char num[64];
	snprintf(num, sizeof num, "%#.*g", digits, v);
	size_t len = strlen(num);
	if (len && num[len - 1] == '.')
		num[--len] = 0;
	obl_strbuf_addstr(sb, num);
}

/* v in the SI prefix that suits ref (the row's larger magnitude), with `digits` significant
 * digits, and the unit: 0.0034512 s -> "3.451 ms", 15632 MB/s -> "15.63k MB/s". */
static void format_si(struct obl_strbuf *sb, double v, double ref, const char *unit, int digits)
{
	if (!isfinite(v)) {
		obl_strbuf_addstr(sb, "-");
		return;
	}
	const char *rest = "";
	double scale = time_unit(unit, &rest);
	static const char *const time_names[] = { "ns", "\xC2\xB5s", "ms", "s" };
	static const char *const prefixes[] = { "n", "\xC2\xB5", "m", "", "k", "M", "G", "T" };
	double a = fabs(ref) > 0 ? fabs(ref) : fabs(v);
	if (scale > 0) {
		double secs = a * scale;
		int k = secs >= 1 ? 3 : secs >= 1e-3 ? 2
				: secs >= 1e-6       ? 1
						     : 0;
		double shown = v * scale / pow(1000, k - 3);
		add_digits(sb, shown, digits);
		obl_strbuf_addf(sb, " %s%s", time_names[k], rest);
		return;
	}
	int k = 3;
	if (a >= 1e12)
		k = 7;
	else if (a >= 1e9)
		k = 6;
	else if (a >= 1e6)
		k = 5;
	else if (a >= 1e4)
		k = 4; /* 9999 stays as it is */
	else if (a > 0 && a < 1e-6)
		k = 0;
	else if (a > 0 && a < 1e-3)
		k = 1;
	else if (a > 0 && a < 0.1)
		k = 2;
	double shown = v / pow(1000, k - 3);
	add_digits(sb, shown, digits);
	obl_strbuf_addf(sb, "%s%s%s", prefixes[k], unit && unit[0] ? " " : "", unit ? unit : "");
}

/* The two centres of a row with enough digits to tell them apart (4 to 7 significant). */
static void format_centres(const struct obl_comparison *c, struct obl_strbuf *b,
			   struct obl_strbuf *d)
{
	double x = shown(c, &c->baseline), y = shown(c, &c->candidate);
	double ref = fabs(x) > fabs(y) ? x : y;
	for (int digits = 4; digits <= 7; digits++) {
		obl_strbuf_reset(b);
		obl_strbuf_reset(d);
		format_si(b, x, ref, c->unit, digits);
		format_si(d, y, ref, c->unit, digits);
		if (x == y || strcmp(b->buf, d->buf))
			break;
	}
}

/* A percentage with three significant digits: "+61.5%", "-3.04%", "+0.10%". */
static void format_pct3(struct obl_strbuf *sb, double v)
{
	if (!isfinite(v)) {
		obl_strbuf_addstr(sb, "n/a");
		return;
	}
	double p = v * 100, a = fabs(p);
	obl_strbuf_addf(sb, "%+.*f%%", a >= 100 ? 0 : a >= 10 ? 1
							      : 2,
			p);
}

static void narrow_cells(struct obl_table *t, const struct obl_comparison *c, int color,
			 size_t metric_width)
{
	struct obl_strbuf sb, other;
	obl_strbuf_init(&sb);
	obl_strbuf_init(&other);
	int paired = c->presence == OBL_PAIRED;
	obl_utf8_add_terminal(&sb, c->metric ? c->metric : "");
	if (c->stat_name && c->stat_name[0]) {
		obl_strbuf_addch(&sb, ' ');
		obl_strbuf_addstr(&sb, c->stat_name);
	}
	if (obl_display_width(sb.buf) > metric_width) { /* cut, and say so */
		size_t keep = 0, w = 0;
		while (sb.buf[keep] && w + 1 < metric_width) {
			size_t len = 1;
			while ((sb.buf[keep + len] & 0xC0) == 0x80)
				len++;
			w += obl_utf8_width(sb.buf + keep, len);
			keep += len;
		}
		sb.len = keep;
		sb.buf[keep] = 0;
		obl_strbuf_addstr(&sb, "\xE2\x80\xA6");
	}
	obl_table_add(t, sb.buf);
	obl_strbuf_reset(&sb);
	if (paired || c->presence == OBL_MISSING || c->presence == OBL_NEW) {
		format_centres(c, &sb, &other);
		if (c->presence == OBL_NEW)
			obl_strbuf_reset(&sb);
		if (c->presence == OBL_MISSING)
			obl_strbuf_reset(&other);
	}
	obl_table_add(t, sb.buf);
	obl_table_add(t, other.buf);
	obl_strbuf_reset(&sb);
	if (paired)
		format_pct3(&sb, c->relative.estimate);
	obl_table_add(t, sb.buf);
	obl_strbuf_reset(&sb);
	if (paired && isfinite(c->relative.ci_low) && isfinite(c->relative.ci_high)) {
		obl_strbuf_addch(&sb, '[');
		format_pct3(&sb, c->relative.ci_low);
		obl_strbuf_addstr(&sb, ", ");
		format_pct3(&sb, c->relative.ci_high);
		obl_strbuf_addch(&sb, ']');
	}
	obl_table_add(t, sb.buf);
	obl_strbuf_reset(&sb);
	if (paired)
		verdict_word(&sb, c->verdict, color);
	else
		obl_strbuf_addstr(&sb, obl_row_verdict(c));
	if (paired && !c->gating)
		obl_strbuf_addstr(&sb, " (i)");
	if (paired && c->unit_of_analysis == OBL_UNIT_REQUESTS)
		obl_strbuf_addstr(&sb, " *");
	obl_table_add(t, sb.buf);
	obl_strbuf_release(&sb);
	obl_strbuf_release(&other);
}

/* One candidate's rows for a terminal: the summary first (regressions, then improvements,
 * each with its scenario), then a heading per scenario, naturally sorted, over its rows. */
static void table_narrow(struct obl_strbuf *out, const struct obl_comparison *rows, size_t n,
			 const struct obl_render_options *opt)
{
	size_t counts[5], missing = 0, added = 0, max_metric = 0;
	obl_count_verdicts(rows, n, counts);
	for (size_t i = 0; i < n; i++) {
		missing += rows[i].presence == OBL_MISSING;
		added += rows[i].presence == OBL_NEW;
		size_t w = obl_display_width(rows[i].metric ? rows[i].metric : "") + 1 +
			   strlen(rows[i].stat_name ? rows[i].stat_name : "");
		max_metric = w > max_metric ? w : max_metric;
	}
	obl_strbuf_addf(out, "%zu worse, %zu better\n", counts[OBL_VERDICT_WORSE],
			counts[OBL_VERDICT_BETTER]);
	const struct obl_comparison **order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return;
	for (size_t i = 0; i < n; i++)
		order[i] = &rows[i];
	qsort(order, n, sizeof *order, by_scenario_then_index);
	/* The metric column gets what the others leave of 100 columns (at least 16). */
	size_t metric_width = max_metric < 28 ? max_metric : 28;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	/* Regressions, then improvements, one line each: what a reviewer reads first. */
	struct obl_table top;
	obl_table_init(&top, 5, "lrlll");
	size_t more = 0;
	for (int v = OBL_VERDICT_WORSE; v >= OBL_VERDICT_BETTER; v--)
		for (size_t i = 0, listed = 0; i < n; i++) {
			const struct obl_comparison *c = order[i];
			if (c->presence != OBL_PAIRED || (int)c->verdict != v)
				continue;
			if (listed++ == 10) {
				more += counts[v] - 10;
				break;
			}
			obl_strbuf_reset(&sb);
			verdict_word(&sb, c->verdict, opt->color);
			obl_table_add(&top, sb.buf);
			obl_strbuf_reset(&sb);
			format_pct3(&sb, c->relative.estimate);
			obl_table_add(&top, sb.buf);
			obl_strbuf_reset(&sb);
			if (isfinite(c->relative.ci_low) && isfinite(c->relative.ci_high)) {
				obl_strbuf_addch(&sb, '[');
				format_pct3(&sb, c->relative.ci_low);
				obl_strbuf_addstr(&sb, ", ");
				format_pct3(&sb, c->relative.ci_high);
				obl_strbuf_addch(&sb, ']');
			}
			obl_table_add(&top, sb.buf);
			obl_strbuf_reset(&sb);
			obl_utf8_add_terminal(&sb, c->metric ? c->metric : "");
			obl_strbuf_addch(&sb, ' ');
			obl_strbuf_addstr(&sb, c->stat_name ? c->stat_name : "");
			obl_table_add(&top, sb.buf);
			obl_strbuf_reset(&sb);
			obl_format_scenario(&sb, c->scenario, c->scenario_len);
			add_cell_text(&top, sb.len ? sb.buf : "(run)");
		}
	obl_strbuf_reset(&sb);
	obl_table_print(&top, &sb, "  ");
	obl_table_release(&top);
	obl_strbuf_add(out, sb.buf, sb.len);
	if (more)
		obl_strbuf_addf(out, "  ... and %zu more below\n", more);
	/* Every row under its scenario's heading; one table, so the columns align throughout.
	 * The metric column gives way (cut with an ellipsis) until the widest line fits 100
	 * columns. */
	char ci_head[32];
	snprintf(ci_head, sizeof ci_head, "%g%% CI", opt->compare->confidence * 100);
	const char *head[] = { "metric", "baseline", "candidate", "change", ci_head, "verdict" };
	size_t *starts = malloc((n + 1) * sizeof *starts), n_starts = 0;
	for (;;) {
		struct obl_table t;
		obl_table_init(&t, 6, "lrrrll");
		for (int k = 0; k < 6; k++)
			obl_table_add(&t, head[k]);
		n_starts = 0;
		for (size_t i = 0; starts && i < n; i++) {
			if (i == 0 || scenario_cmp(order[i - 1], order[i]))
				starts[n_starts++] = i;
			narrow_cells(&t, order[i], opt->color, metric_width);
		}
		obl_strbuf_reset(&sb);
		obl_table_print(&t, &sb, "  ");
		obl_table_release(&t);
		size_t widest = 0;
		for (const char *l = sb.buf; l && *l;) {
			const char *nl = strchr(l, '\n');
			size_t len = nl ? (size_t)(nl - l) : strlen(l);
			char *line_copy = strndup(l, len);
			size_t w = line_copy ? obl_display_width(line_copy) : 0;
			free(line_copy);
			widest = w > widest ? w : widest;
			l = nl ? nl + 1 : NULL;
		}
		if (widest <= 100 || metric_width <= 12)
			break;
		size_t cut = widest - 100;
		metric_width = metric_width > 12 + cut ? metric_width - cut : 12;
	}
	/* Split the printed table at the scenario boundaries, a heading above each part. */
	const char *line = sb.buf;
	const char *header_end = strchr(line, '\n');
	size_t header_len = header_end ? (size_t)(header_end - line) + 1 : 0;
	line += header_len;
	int any_requests = 0, any_info = 0;
	for (size_t s = 0; starts && s < n_starts; s++) {
		const struct obl_comparison *c = order[starts[s]];
		struct obl_strbuf head_sb;
		obl_strbuf_init(&head_sb);
		obl_format_scenario(&head_sb, c->scenario, c->scenario_len);
		obl_strbuf_addch(out, '\n');
		obl_utf8_add_terminal(out, head_sb.len ? head_sb.buf : "(run)");
		obl_strbuf_addch(out, '\n');
		obl_strbuf_release(&head_sb);
		if (s == 0)
			obl_strbuf_add(out, sb.buf, header_len);
		size_t end = s + 1 < n_starts ? starts[s + 1] : n;
		for (size_t i = starts[s]; i < end; i++) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
			obl_strbuf_add(out, line, len);
			line += len;
			any_requests |= order[i]->presence == OBL_PAIRED &&
					order[i]->unit_of_analysis == OBL_UNIT_REQUESTS;
			any_info |= order[i]->presence == OBL_PAIRED && !order[i]->gating;
		}
	}
	obl_strbuf_release(&sb);
	free(starts);
	free(order);
	obl_strbuf_addf(out, "\n%zu row%s: %zu worse, %zu better, %zu same, %zu inconclusive, %zu "
			     "no-test",
			n, n == 1 ? "" : "s", counts[OBL_VERDICT_WORSE], counts[OBL_VERDICT_BETTER],
			counts[OBL_VERDICT_SAME], counts[OBL_VERDICT_INCONCLUSIVE],
			counts[OBL_VERDICT_NO_TEST]);
	if (missing || added)
		obl_strbuf_addf(out, "; %zu missing, %zu new", missing, added);
	obl_strbuf_addch(out, '\n');
	if (any_requests)
		obl_strbuf_addstr(out, "* requests treated as independent (fewer than 3 repetitions "
				       "on a side): the interval may be too narrow\n");
	if (any_info)
		obl_strbuf_addstr(out, "(i) information: never fails the gate (see --gate)\n");
}

/* Rows whose baseline is not the header's (obl-history's gate: each series' runs since its
 * own last change), named after the table: "baseline n5..n8, 4 runs: scenario metric". */
static void other_baselines(struct obl_strbuf *out, const struct obl_comparison *rows, size_t n)
{
	const char *head = n ? rows[0].baseline_name : NULL;
	for (size_t i = 0; head && i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		if (!c->baseline_name || !strcmp(c->baseline_name, head) || c->across)
			continue;
		obl_strbuf_addstr(out, "baseline ");
		obl_utf8_add_terminal(out, c->baseline_name);
		obl_strbuf_addstr(out, ": ");
		struct obl_strbuf sb;
		obl_strbuf_init(&sb);
		obl_format_scenario(&sb, c->scenario, c->scenario_len);
		obl_strbuf_addf(&sb, " %s (%s)", c->metric ? c->metric : "value",
				c->stat_name ? c->stat_name : "");
		obl_utf8_add_terminal(out, sb.buf);
		obl_strbuf_release(&sb);
		obl_strbuf_addch(out, '\n');
	}
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
		if (opt->narrow) {
			obl_strbuf_addstr(out, i ? "\n" : "");
			obl_utf8_add_terminal(out, rows[i].candidate_name ? rows[i].candidate_name : "-");
			obl_strbuf_addstr(out, " against ");
			obl_utf8_add_terminal(out, rows[i].baseline_name ? rows[i].baseline_name : "-");
			obl_strbuf_addf(out, " (alpha %g, %s, threshold %g%%): ", co->alpha,
					corrections[co->correction], co->threshold * 100);
			table_narrow(out, rows + i, j - i, opt);
			other_baselines(out, rows + i, j - i);
			if (obl_gate_cannot_fail(rows, n))
				obl_strbuf_addstr(out, "note: this gate cannot fail: with these sample "
						       "sizes the smallest reachable p-value, adjusted, "
						       "is above alpha\n");
			i = j;
			continue;
		}
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
		other_baselines(out, rows + i, j - i);
		i = j;
	}
	for (size_t k = 0; k < opt->n_warnings; k++) {
		if (!opt->narrow) {
			obl_strbuf_addf(out, "%swarning (%s): %s\n", k || !n ? "" : "\n",
					opt->warnings[k].kind, opt->warnings[k].message);
			continue;
		}
		/* the terminal layout: wrapped at 100 columns, continued with an indent */
		struct obl_strbuf w;
		obl_strbuf_init(&w);
		obl_strbuf_addf(&w, "warning (%s): %s", opt->warnings[k].kind,
				opt->warnings[k].message);
		obl_strbuf_addstr(out, k || !n ? "" : "\n");
		size_t col = 0;
		for (const char *word = w.buf, *next; word && *word; word = next) {
			next = strchr(word, ' ');
			size_t len = next ? (size_t)(next - word) : strlen(word);
			if (col && col + 1 + len > 100) {
				obl_strbuf_addstr(out, "\n  ");
				col = 2;
			} else if (col) {
				obl_strbuf_addch(out, ' ');
				col++;
			}
			obl_strbuf_add(out, word, len);
			col += len;
			next = next ? next + 1 : NULL;
		}
		obl_strbuf_addch(out, '\n');
		obl_strbuf_release(&w);
	}
}
