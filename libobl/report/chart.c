/*
 * chart.c - laying out the report's charts on a canvas: axes with "nice" ticks (1, 2, 5 times
 * a power of ten), a forest plot of relative changes, lines against a load axis with interval
 * bands, and empirical distribution functions on a logarithmic axis.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

enum {
	GREY = 0x888888,
	LIGHT = 0xe4e4e4,
	INK = 0x222222,
};

static const double TITLE_SIZE = 9.5, LABEL_SIZE = 7.5, ROW = 13;

unsigned obl_verdict_color(enum obl_verdict v)
{
	switch (v) {
	case OBL_VERDICT_BETTER: return 0x1a7f37;
	case OBL_VERDICT_WORSE: return 0xcf222e;
	case OBL_VERDICT_INCONCLUSIVE: return 0xbf8700;
	case OBL_VERDICT_SAME: return 0x57606a;
	default: return 0xa0a0a0;
	}
}

unsigned obl_series_color(size_t i)
{
	static const unsigned palette[] = { 0x0969da, 0xd1242f, 0x1a7f37, 0x8250df,
					    0xbc4c00, 0x1b7c83, 0xbf3989, 0x6e7781 };
	return palette[i % (sizeof palette / sizeof *palette)];
}

void obl_chart_free(struct obl_chart *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_rows; i++)
		free(c->rows[i].label);
	for (size_t i = 0; i < c->n_series; i++) {
		free(c->series[i].name);
		free(c->series[i].points);
	}
	for (size_t i = 0; i < c->n_categories; i++)
		free(c->categories[i]);
	free(c->rows);
	free(c->series);
	free(c->categories);
	free(c->title);
	free(c->x_label);
	free(c->y_label);
	free(c->file_stem);
	free(c);
}

double obl_chart_height(const struct obl_chart *c, double width)
{
	if (c->kind == OBL_CHART_FOREST)
		return 30 + (double)c->n_rows * ROW + 60;
	double h = width * 0.42;
	return h < 170 ? 170 : h > 260 ? 260
				       : h;
}

/* ---- Axes ------------------------------------------------------------------------------ */

struct axis {
	double lo, hi; /* data range shown */
	double a, b;   /* pixel positions of lo and hi */
	int log;
};

static double axis_map(const struct axis *ax, double v)
{
	double t = ax->log ? (log10(v) - log10(ax->lo)) / (log10(ax->hi) - log10(ax->lo))
			   : (v - ax->lo) / (ax->hi - ax->lo);
	return ax->a + t * (ax->b - ax->a);
}

/* A step of 1, 2 or 5 times a power of ten giving about `count` intervals over span. */
static double nice_step(double span, int count)
{
	double raw = span / count, p = pow(10, floor(log10(raw))), f = raw / p;
	return (f < 1.5 ? 1 : f < 3.5 ? 2
		      : f < 7.5       ? 5
				      : 10) *
	       p;
}

/* Widens [lo, hi] to multiples of a nice step; returns the step. */
static double nice_range(double *lo, double *hi, int count)
{
	if (!(*hi > *lo)) {
		double d = *lo ? fabs(*lo) * 0.1 : 1;
		*lo -= d;
		*hi += d;
	}
	double step = nice_step(*hi - *lo, count);
	*lo = floor(*lo / step + 1e-9) * step;
	*hi = ceil(*hi / step - 1e-9) * step;
	return step;
}

static void tick_label(char *buf, size_t size, double v, int percent)
{
	if (percent) {
		snprintf(buf, size, "%+.0f%%", fabs(v) < 1e-12 ? 0.0 : v * 100);
		return;
	}
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_format_number(&sb, fabs(v) < 1e-12 ? 0.0 : v);
	snprintf(buf, size, "%s", sb.buf);
	obl_strbuf_release(&sb);
}

/* Vertical grid lines and labels below y for a linear x axis. */
static void x_ticks(const struct obl_canvas *cv, const struct axis *ax, double step, double top,
		    double bottom, int percent)
{
	char buf[32];
	if (ax->log) {
		static const double mant[] = { 1, 2, 5 };
		for (int e = (int)floor(log10(ax->lo)); e <= (int)ceil(log10(ax->hi)); e++)
			for (int k = 0; k < 3; k++) {
				double v = mant[k] * pow(10, e);
				if (v < ax->lo * (1 - 1e-9) || v > ax->hi * (1 + 1e-9))
					continue;
				double x = axis_map(ax, v);
				cv->line(cv->ctx, x, top, x, bottom, 0.4, LIGHT, 0);
				tick_label(buf, sizeof buf, v, 0);
				cv->text(cv->ctx, x, bottom + 10, buf, LABEL_SIZE, 0, INK, 0);
			}
		return;
	}
	for (double v = ax->lo; v <= ax->hi + step * 1e-6; v += step) {
		double x = axis_map(ax, v);
		cv->line(cv->ctx, x, top, x, bottom, 0.4, LIGHT, 0);
		tick_label(buf, sizeof buf, v, percent);
		cv->text(cv->ctx, x, bottom + 10, buf, LABEL_SIZE, 0, INK, 0);
	}
}

static void y_ticks(const struct obl_canvas *cv, const struct axis *ay, double step, double left,
		    double right)
{
	char buf[32];
	for (double v = ay->lo; v <= ay->hi + step * 1e-6; v += step) {
		double y = axis_map(ay, v);
		cv->line(cv->ctx, left, y, right, y, 0.4, LIGHT, 0);
		tick_label(buf, sizeof buf, v, 0);
		cv->text(cv->ctx, left - 4, y + LABEL_SIZE * 0.35, buf, LABEL_SIZE, 1, INK, 0);
	}
}

static void frame(const struct obl_canvas *cv, double l, double t, double r, double b)
{
	cv->line(cv->ctx, l, b, r, b, 0.8, INK, 0);
	cv->line(cv->ctx, l, t, l, b, 0.8, INK, 0);
}

static void marker(const struct obl_canvas *cv, double x, double y, double r, unsigned rgb)
{
	const double xy[] = { x, y - r, x + r, y, x, y + r, x - r, y };
	cv->fill(cv->ctx, xy, 4, rgb, 1);
}

/* Run names in their colours, left to right from (x, y); returns nothing. */
static void legend(const struct obl_canvas *cv, const struct obl_chart *c, double x, double y,
		   double right)
{
	for (size_t i = 0; i < c->n_series; i++) {
		double w = cv->text_width(cv->ctx, c->series[i].name, LABEL_SIZE, 0) + 22;
		if (x + w > right)
			break;
		cv->line(cv->ctx, x, y - 2.5, x + 12, y - 2.5, 2, obl_series_color(i), 0);
		cv->text(cv->ctx, x + 15, y, c->series[i].name, LABEL_SIZE, -1, INK, 0);
		x += w;
	}
}

/* ---- Forest plot ---------------------------------------------------------------------- */

/* The x axis' label with which way is better either side: one word when every row agrees
 * (else lower/higher, and an arrow at each row's end: up where higher is better). */
static void axis_label(const struct obl_canvas *cv, const struct obl_chart *c, double left,
		       double right, double bottom)
{
	int lower = 0, higher = 0;
	for (size_t i = 0; i < c->n_rows; i++) {
		lower += c->rows[i].direction == OBL_LOWER_IS_BETTER;
		higher += c->rows[i].direction == OBL_HIGHER_IS_BETTER;
	}
	const char *left_word = "\xe2\x86\x90 lower", *right_word = "higher \xe2\x86\x92";
	if (lower && !higher) {
		left_word = "\xe2\x86\x90 better";
		right_word = "worse \xe2\x86\x92";
	} else if (higher && !lower) {
		left_word = "\xe2\x86\x90 worse";
		right_word = "better \xe2\x86\x92";
	}
	char xl[512];
	snprintf(xl, sizeof xl, "%s    %s    %s", left_word, c->x_label, right_word);
	cv->text(cv->ctx, (left + right) / 2, bottom + 22, xl, LABEL_SIZE, 0, INK, 0);
}

static void draw_forest(const struct obl_chart *c, const struct obl_canvas *cv, double x0,
			double y0, double width, double height)
{
	double label_w = 0;
	for (size_t i = 0; i < c->n_rows; i++) {
		double w = cv->text_width(cv->ctx, c->rows[i].label, LABEL_SIZE, 0);
		if (w > label_w)
			label_w = w;
	}
	if (label_w > width * 0.45)
		label_w = width * 0.45;
	double left = x0 + label_w + 10, right = x0 + width - 12;
	int mixed = 0;
	for (size_t i = 1; i < c->n_rows; i++)
		mixed |= c->rows[i].direction != c->rows[0].direction;
	double top = y0 + 24, bottom = y0 + height - 60;
	struct axis ax = { -c->threshold, c->threshold, left, right, 0 };
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct obl_forest_row *r = &c->rows[i];
		double lo = isfinite(r->low) ? r->low : r->estimate;
		double hi = isfinite(r->high) ? r->high : r->estimate;
		if (isfinite(lo) && lo < ax.lo)
			ax.lo = lo;
		if (isfinite(hi) && hi > ax.hi)
			ax.hi = hi;
	}
	/* Very wide intervals (a handful of noisy repetitions) are cut at -100% / +200% and
	 * drawn with an arrow, so that the informative rows keep their resolution. */
	if (ax.lo < -1)
		ax.lo = -1;
	if (ax.hi > 2)
		ax.hi = 2;
	double step = nice_range(&ax.lo, &ax.hi, 6);
	cv->text(cv->ctx, x0, y0 + 11, c->title, TITLE_SIZE, -1, INK, 1);
	double band[] = { axis_map(&ax, -c->threshold), top, axis_map(&ax, c->threshold), top,
			  axis_map(&ax, c->threshold), bottom, axis_map(&ax, -c->threshold), bottom };
	cv->fill(cv->ctx, band, 4, 0xeeeeee, 1);
	x_ticks(cv, &ax, step, top, bottom, 1);
	cv->line(cv->ctx, axis_map(&ax, 0), top, axis_map(&ax, 0), bottom, 0.8, GREY, 0);
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct obl_forest_row *r = &c->rows[i];
		double y = top + ROW * ((double)i + 0.5) + 2;
		cv->text(cv->ctx, left - 6, y + 2.6, r->label, LABEL_SIZE, 1, INK, 0);
		if (mixed && r->direction != OBL_DIRECTION_NONE) /* which way is better, per row */
			cv->text(cv->ctx, right + 2, y + 2.6,
				 r->direction == OBL_HIGHER_IS_BETTER ? "\xe2\x86\x91" : "\xe2\x86\x93",
				 LABEL_SIZE, -1, GREY, 0);
		unsigned col = obl_verdict_color(r->verdict);
		/* Ends beyond the axis are cut at its edge and shown by an arrow there. */
		if (isfinite(r->low) && isfinite(r->high)) {
			double lo = r->low < ax.lo ? ax.lo : r->low > ax.hi ? ax.hi
									    : r->low;
			double hi = r->high > ax.hi ? ax.hi : r->high < ax.lo ? ax.lo
									      : r->high;
			double a = axis_map(&ax, lo), b = axis_map(&ax, hi);
			cv->line(cv->ctx, a, y, b, y, 1.4, col, 0);
			if (r->low < ax.lo) {
				const double t[] = { a - 4, y, a + 1, y - 3, a + 1, y + 3 };
				cv->fill(cv->ctx, t, 3, col, 1);
			}
			if (r->high > ax.hi) {
				const double t[] = { b + 4, y, b - 1, y - 3, b - 1, y + 3 };
				cv->fill(cv->ctx, t, 3, col, 1);
			}
		}
		if (isfinite(r->estimate)) {
			double e = r->estimate < ax.lo ? ax.lo : r->estimate > ax.hi ? ax.hi
										     : r->estimate;
			marker(cv, axis_map(&ax, e), y, 3.2, col);
		}
	}
	frame(cv, left, top, right, bottom);
	axis_label(cv, c, left, right, bottom);
	/* Verdict legend. */
	double lx = left, ly = bottom + 38;
	for (int v = OBL_VERDICT_BETTER; v <= OBL_VERDICT_NO_TEST; v++) {
		marker(cv, lx + 3, ly - 2.5, 3.2, obl_verdict_color((enum obl_verdict)v));
		cv->text(cv->ctx, lx + 9, ly, obl_verdict_names[v], LABEL_SIZE, -1, INK, 0);
		lx += cv->text_width(cv->ctx, obl_verdict_names[v], LABEL_SIZE, 0) + 22;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "shaded: \xc2\xb1%g%% threshold", c->threshold * 100);
	cv->text(cv->ctx, left, ly + 12, buf, LABEL_SIZE, -1, GREY, 0); /* a line of its own */
}

/* ---- Lines against categories, and ECDFs ---------------------------------------------- */

static void draw_xy(const struct obl_chart *c, const struct obl_canvas *cv, double x0, double y0,
		    double width, double height)
{
	int ecdf = c->kind == OBL_CHART_ECDF;
	double left = x0 + 46, right = x0 + width - 12, top = y0 + 42, bottom = y0 + height - 30;
	struct axis ay = { INFINITY, -INFINITY, bottom, top, 0 };
	struct axis ax = { INFINITY, -INFINITY, left, right, ecdf && c->log_x };
	for (size_t s = 0; s < c->n_series; s++)
		for (size_t i = 0; i < c->series[s].n; i++) {
			const struct obl_chart_point *p = &c->series[s].points[i];
			double vals[] = { p->y, p->low, p->high };
			for (int k = 0; k < 3; k++)
				if (isfinite(vals[k])) {
					ay.lo = fmin(ay.lo, vals[k]);
					ay.hi = fmax(ay.hi, vals[k]);
				}
			if (isfinite(p->x) && (!ax.log || p->x > 0)) {
				ax.lo = fmin(ax.lo, p->x);
				ax.hi = fmax(ax.hi, p->x);
			}
		}
	cv->text(cv->ctx, x0, y0 + 11, c->title, TITLE_SIZE, -1, INK, 1);
	legend(cv, c, x0, y0 + 25, x0 + width);
	if (!isfinite(ay.lo) || !isfinite(ax.lo))
		return;
	double ystep;
	if (ecdf) {
		ay.lo = 0;
		ay.hi = 1;
		ystep = 0.25;
	} else {
		/* Values that cannot be negative (all of them > 0) keep their axis at 0 or above,
		 * even where a t band of a few noisy repetitions would reach below. */
		int positive = 1;
		for (size_t s = 0; s < c->n_series; s++)
			for (size_t i = 0; i < c->series[s].n; i++)
				positive &= !(c->series[s].points[i].y <= 0);
		if (positive && (ay.lo < 0 || ay.lo < 0.5 * ay.hi))
			ay.lo = 0;
		ystep = nice_range(&ay.lo, &ay.hi, 5);
	}
	double xstep = 0;
	if (ecdf && ax.log) {
		if (!(ax.hi > ax.lo * 1.01))
			ax.hi = ax.lo * 1.5;
		ax.lo /= 1.05;
		ax.hi *= 1.05;
	} else if (ecdf) {
		xstep = nice_range(&ax.lo, &ax.hi, 6);
	} else {
		ax.lo = -0.5;
		ax.hi = (double)c->n_categories - 0.5;
	}
	y_ticks(cv, &ay, ystep, left, right);
	if (ecdf) {
		x_ticks(cv, &ax, xstep, top, bottom, 0);
	} else {
		for (size_t i = 0; i < c->n_categories; i++)
			cv->text(cv->ctx, axis_map(&ax, (double)i), bottom + 10, c->categories[i],
				 LABEL_SIZE, 0, INK, 0);
	}
	for (size_t s = 0; s < c->n_series; s++) {
		const struct obl_chart_series *se = &c->series[s];
		unsigned col = obl_series_color(s);
		double *xy = malloc((se->n * 4 + 1) * sizeof *xy);
		if (!xy)
			continue;
		size_t k = 0;
		if (ecdf) { /* a step function: up at each value */
			for (size_t i = 0; i < se->n; i++) {
				double x = axis_map(&ax, se->points[i].x);
				if (i) {
					xy[k++] = x;
					xy[k++] = axis_map(&ay, se->points[i - 1].y);
				}
				xy[k++] = x;
				xy[k++] = axis_map(&ay, se->points[i].y);
			}
			cv->polyline(cv->ctx, xy, k / 2, 1.3, col);
			free(xy);
			continue;
		}
		for (size_t i = 0; i < se->n; i++) /* the band: lows forward, highs back */
			if (isfinite(se->points[i].low) && isfinite(se->points[i].high)) {
				xy[k++] = axis_map(&ax, se->points[i].x);
				xy[k++] = axis_map(&ay, fmax(se->points[i].low, ay.lo));
			}
		size_t lows = k / 2;
		for (size_t i = se->n; i-- > 0 && lows >= 2;)
			if (isfinite(se->points[i].low) && isfinite(se->points[i].high)) {
				xy[k++] = axis_map(&ax, se->points[i].x);
				xy[k++] = axis_map(&ay, se->points[i].high);
			}
		if (lows >= 2)
			cv->fill(cv->ctx, xy, k / 2, col, 0.15);
		k = 0;
		for (size_t i = 0; i < se->n; i++) {
			xy[k++] = axis_map(&ax, se->points[i].x);
			xy[k++] = axis_map(&ay, se->points[i].y);
		}
		cv->polyline(cv->ctx, xy, se->n, 1.5, col);
		for (size_t i = 0; i < se->n; i++)
			marker(cv, xy[2 * i], xy[2 * i + 1], 2.6, col);
		free(xy);
	}
	frame(cv, left, top, right, bottom);
	axis_label(cv, c, left, right, bottom);
	cv->text(cv->ctx, left - 40, top - 6, c->y_label, LABEL_SIZE, -1, GREY, 0);
}

void obl_chart_draw(const struct obl_chart *c, const struct obl_canvas *cv, double x, double y,
		    double width, double height)
{
	if (c->kind == OBL_CHART_FOREST)
		draw_forest(c, cv, x, y, width, height);
	else
		draw_xy(c, cv, x, y, width, height);
}
