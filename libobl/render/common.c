/*
 * common.c - number formatting and the aligned text table shared by the renderers (what rows
 * add up to, and the gate's decision, are computed in compare/: summary.c, gate.c).
 */
#include "render.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void obl_format_number(struct obl_strbuf *out, double v)
{
	if (isnan(v)) {
		obl_strbuf_addstr(out, "-");
		return;
	}
	if (isinf(v)) {
		obl_strbuf_addstr(out, v > 0 ? "inf" : "-inf");
		return;
	}
	double a = fabs(v);
	if (a == 0) {
		obl_strbuf_addstr(out, "0");
		return;
	}
	if (a >= 1e7 || a < 1e-3) {
		obl_strbuf_addf(out, "%.4e", v);
		return;
	}
	int decimals = 4 - (int)floor(log10(a));
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	size_t start = out->len;
	obl_strbuf_addf(out, "%.*f", decimals, v);
	if (decimals > 0 && !obl_strbuf_failed(out)) { /* "7.1990" -> "7.199", "5760.0" -> "5760" */
		while (out->len > start && out->buf[out->len - 1] == '0')
			out->len--;
		if (out->buf[out->len - 1] == '.')
			out->len--;
		out->buf[out->len] = 0;
	}
}

void obl_format_percent(struct obl_strbuf *out, double v)
{
	if (!isfinite(v))
		obl_strbuf_addstr(out, "n/a");
	else
		obl_strbuf_addf(out, "%+.2f%%", v * 100 == 0 ? 0.0 : v * 100);
}

void obl_format_percent_interval(struct obl_strbuf *out, const char *before, double lo,
				 double hi)
{
	if (!isfinite(lo) || !isfinite(hi))
		return;
	obl_strbuf_addf(out, "%s[", before);
	obl_format_percent(out, lo);
	obl_strbuf_addstr(out, ", ");
	obl_format_percent(out, hi);
	obl_strbuf_addch(out, ']');
}

void obl_format_p(struct obl_strbuf *out, double p)
{
	if (isnan(p))
		obl_strbuf_addstr(out, "-");
	else if (p == 0)
		obl_strbuf_addstr(out, "<1e-300");
	else if (p < 1e-4)
		obl_strbuf_addf(out, "%.1e", p);
	else
		obl_strbuf_addf(out, "%.4f", p);
}

void obl_format_scenario(struct obl_strbuf *out, const struct obl_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			obl_strbuf_addch(out, ' ');
		obl_strbuf_addstr(out, kv[i].key);
		obl_strbuf_addch(out, '=');
		obl_strbuf_addstr(out, kv[i].value);
	}
}

size_t obl_display_width(const char *s)
{
	size_t w = 0;
	while (*s) {
		const char *esc = strchr(s, '\033'); /* our ANSI colours take no columns */
		size_t n = esc ? (size_t)(esc - s) : strlen(s);
		w += obl_utf8_width(s, n);
		s += n;
		if (esc) {
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
		}
	}
	return w;
}

const char *obl_method_description(enum obl_method m)
{
	switch (m) {
	case OBL_METHOD_WELCH: return "Welch's t test (Fieller interval for the ratio of means)";
	case OBL_METHOD_STUDENT: return "Student's t test (Fieller interval for the ratio of means)";
	case OBL_METHOD_MANN_WHITNEY: return "Mann-Whitney U test (Hodges-Lehmann shift)";
	case OBL_METHOD_WELCH_LOG: return "Welch's t test on log values (ratio of geometric means)";
	case OBL_METHOD_BOOTSTRAP: return "percentile bootstrap of the ratio of quantiles";
	case OBL_METHOD_FISHER: return "Fisher's exact test (Newcombe interval)";
	case OBL_METHOD_CHI_SQUARED:
		return "chi-squared test of two proportions (Yates; Newcombe interval)";
	case OBL_METHOD_MANN_WHITNEY_EXACT:
		return "Mann-Whitney U test, exact under ties (Hodges-Lehmann shift)";
	case OBL_METHOD_PREDICTION:
		return "Student prediction interval of the newest run's level on log values "
		       "(ratio to the geometric mean of the earlier runs)";
	default: return "automatic";
	}
}

const char *obl_row_verdict(const struct obl_comparison *row)
{
	if (row->presence == OBL_MISSING)
		return "missing";
	if (row->presence == OBL_NEW)
		return "new";
	return obl_verdict_names[row->verdict];
}

void obl_table_init(struct obl_table *t, size_t columns, const char *align)
{
	t->columns = columns;
	obl_strbuf_init(&t->text);
	t->cells = NULL;
	t->n = t->alloc = 0;
	t->align = align;
}

/* Cells go into one buffer with their widths measured once: a table of thousands of rows
 * was a string copy, a free and two measurements per cell. */
void obl_table_add(struct obl_table *t, const char *cell)
{
	if (t->n == t->alloc) {
		size_t want = t->alloc ? 2 * t->alloc : 64;
		struct obl_table_cell *p = realloc(t->cells, want * sizeof *p);
		if (!p)
			return;
		t->cells = p;
		t->alloc = want;
	}
	cell = cell ? cell : "";
	size_t len = strlen(cell);
	obl_strbuf_add(&t->text, cell, len);
	if (!t->text.failed) /* out of memory: the cell is left out rather than read past */
		t->cells[t->n++] = (struct obl_table_cell){ t->text.len - len, len,
							    obl_display_width(cell) };
}

void obl_table_append(struct obl_table *t, const struct obl_table *src)
{
	if (t->n + src->n > t->alloc) {
		struct obl_table_cell *p = realloc(t->cells, (t->n + src->n) * sizeof *p);
		if (!p)
			return;
		t->cells = p;
		t->alloc = t->n + src->n;
	}
	size_t base = t->text.len;
	obl_strbuf_add(&t->text, src->text.buf, src->text.len);
	if (t->text.failed)
		return;
	for (size_t i = 0; i < src->n; i++) {
		t->cells[t->n] = src->cells[i];
		t->cells[t->n++].at += base;
	}
}

static void add_spaces(struct obl_strbuf *out, size_t n)
{
	static const char spaces[] = "                                ";
	for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
		obl_strbuf_add(out, spaces, sizeof spaces - 1);
	obl_strbuf_add(out, spaces, n);
}

void obl_table_print(const struct obl_table *t, struct obl_strbuf *out, const char *indent)
{
	size_t width[32] = { 0 };
	size_t cols = t->columns < 32 ? t->columns : 32;
	for (size_t i = 0; i < t->n; i++)
		if (i % t->columns < cols && t->cells[i].width > width[i % t->columns])
			width[i % t->columns] = t->cells[i].width;
	for (size_t i = 0; i < t->n; i++) {
		size_t c = i % t->columns;
		if (c >= cols)
			continue;
		const struct obl_table_cell *cell = &t->cells[i];
		size_t pad = width[c] - cell->width;
		int last = c == t->columns - 1 || i == t->n - 1;
		if (c == 0 && indent)
			obl_strbuf_addstr(out, indent);
		if (t->align[c] == 'r')
			add_spaces(out, pad);
		obl_strbuf_add(out, t->text.buf + cell->at, cell->len);
		if (t->align[c] != 'r' && !last)
			add_spaces(out, pad);
		if (last) {
			while (out->len > 0 && out->buf[out->len - 1] == ' ')
				out->buf[--out->len] = 0;
			obl_strbuf_addch(out, '\n');
		} else {
			obl_strbuf_add(out, "  ", 2);
		}
	}
}

void obl_table_release(struct obl_table *t)
{
	obl_strbuf_release(&t->text);
	free(t->cells);
	t->cells = NULL;
	t->n = t->alloc = 0;
}

const char *obl_count_label(const struct obl_comparison *c)
{
	switch (c->unit_of_analysis) {
	case OBL_UNIT_REPETITIONS: return "reps";
	case OBL_UNIT_TRIALS: return "trials";
	case OBL_UNIT_RUNS: return "runs";
	case OBL_UNIT_REQUESTS: /* inter-token latencies are one value per token */
		return c->metric && strstr(c->metric, "itl") ? "tokens" : "requests";
	default: return "values";
	}
}

const char *obl_center_label(const struct obl_comparison *c)
{
	if (c->center_label)
		return c->center_label;
	return c->stat_name ? c->stat_name : "";
}

const char *obl_family_text(const struct obl_render_options *opt)
{
	return opt->family_per_candidate ? "per candidate" : "across all candidates";
}

int obl_render_row_fails(const struct obl_comparison *c, const struct obl_render_options *opt)
{
	if (!c->gating)
		return 0;
	if (c->presence == OBL_PAIRED)
		return c->verdict == OBL_VERDICT_WORSE;
	return c->presence == OBL_MISSING && opt && opt->missing_fails;
}

int obl_render_rows_fail(const struct obl_comparison *rows, size_t n,
			 const struct obl_render_options *opt)
{
	for (size_t i = 0; i < n; i++)
		if (obl_render_row_fails(&rows[i], opt))
			return 1;
	return 0;
}
