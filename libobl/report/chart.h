/*
 * chart.h - the report's charts: a chart is data (a forest of intervals, lines with interval
 * bands, empirical distribution functions), drawn onto a canvas. A canvas is five drawing
 * operations, implemented once for SVG (canvas_svg.c) and once for PDF (report_pdf.c), so a
 * chart is laid out by one piece of code whatever the output.
 *
 * Coordinates are points (1/72 inch), origin at the top left, y growing downwards.
 */
#ifndef OBL_CHART_H
#define OBL_CHART_H

#include <stddef.h>

#include "compare.h"
#include "strbuf.h"

struct obl_canvas {
	void *ctx;
	/* A straight line; dashed != 0 draws it dashed. */
	void (*line)(void *ctx, double x1, double y1, double x2, double y2, double width,
		     unsigned rgb, int dashed);
	/* An open polyline through xy[0..2n). */
	void (*polyline)(void *ctx, const double *xy, size_t n, double width, unsigned rgb);
	/* A filled polygon through xy[0..2n), opacity in (0, 1]. */
	void (*fill)(void *ctx, const double *xy, size_t n, unsigned rgb, double opacity);
	/* UTF-8 text with its baseline at y; anchor -1 starts, 0 centres, 1 ends at x. */
	void (*text)(void *ctx, double x, double y, const char *s, double size, int anchor,
		     unsigned rgb, int bold);
	/* The width of s at this size. */
	double (*text_width)(void *ctx, const char *s, double size, int bold);
};

enum obl_chart_kind { OBL_CHART_FOREST = 0,
		      OBL_CHART_LINES,
		      OBL_CHART_ECDF };

/* One interval of a forest plot: a relative change (0.05 = +5%) and its confidence interval. */
struct obl_forest_row {
	char *label;
	double estimate, low, high;
	enum obl_verdict verdict;
	enum obl_direction direction; /* which way is better */
};

struct obl_chart_point {
	double x, y, low, high; /* low/high: the interval band (NaN: none) */
};

struct obl_chart_series {
	char *name;
	struct obl_chart_point *points;
	size_t n;
};

struct obl_chart {
	enum obl_chart_kind kind;
	char *title, *x_label, *y_label;
	char *file_stem; /* a short name for the chart's own file (SVG beside .md) */
	/* OBL_CHART_FOREST */
	struct obl_forest_row *rows;
	size_t n_rows;
	double threshold; /* the practical threshold, shaded around 0 */
	/* OBL_CHART_LINES (x is a category index 0..n_categories-1) and OBL_CHART_ECDF */
	struct obl_chart_series *series;
	size_t n_series;
	char **categories; /* labels of the x positions (LINES) */
	size_t n_categories;
	int log_x; /* ECDF: logarithmic x axis */
};

void obl_chart_free(struct obl_chart *c); /* frees c and everything in it */

/* The height the chart needs at this width. */
double obl_chart_height(const struct obl_chart *c, double width);

/* Draws the chart into the box (x, y, width, height) of the canvas. */
void obl_chart_draw(const struct obl_chart *c, const struct obl_canvas *cv, double x, double y,
		    double width, double height);

/* The colour of a verdict (0xRRGGBB) and of the i-th series. */
unsigned obl_verdict_color(enum obl_verdict v);
unsigned obl_series_color(size_t i);

/* The chart as a standalone SVG document (canvas_svg.c). */
void obl_chart_svg(struct obl_strbuf *out, const struct obl_chart *c, double width);

#endif
