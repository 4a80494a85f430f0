/*
 * canvas_svg.c - the chart canvas as SVG elements appended to a string buffer. Coordinates are
 * printed with two decimals, so the same chart always gives the same bytes. Text widths are
 * estimated (the viewer picks the font): about 0.56 em per character, 1 em for wide (CJK) ones.
 */
#include <math.h>

#include "chart.h"
#include "render.h"

static void svg_line(void *ctx, double x1, double y1, double x2, double y2, double width,
		     unsigned rgb, int dashed)
{
	obl_strbuf_addf(ctx,
			"<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#%06x\" "
			"stroke-width=\"%.2f\"%s/>\n",
			x1, y1, x2, y2, rgb, width, dashed ? " stroke-dasharray=\"3,2\"" : "");
}

static void points(struct obl_strbuf *out, const double *xy, size_t n)
{
	for (size_t i = 0; i < n; i++)
		obl_strbuf_addf(out, "%s%.2f,%.2f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
}

static void svg_polyline(void *ctx, const double *xy, size_t n, double width, unsigned rgb)
{
	obl_strbuf_addstr(ctx, "<polyline fill=\"none\" points=\"");
	points(ctx, xy, n);
	obl_strbuf_addf(ctx, "\" stroke=\"#%06x\" stroke-width=\"%.2f\" stroke-linejoin=\"round\"/>\n",
			rgb, width);
}

static void svg_fill(void *ctx, const double *xy, size_t n, unsigned rgb, double opacity)
{
	obl_strbuf_addstr(ctx, "<polygon points=\"");
	points(ctx, xy, n);
	obl_strbuf_addf(ctx, "\" fill=\"#%06x\"", rgb);
	if (opacity < 1)
		obl_strbuf_addf(ctx, " fill-opacity=\"%.2f\"", opacity);
	obl_strbuf_addstr(ctx, "/>\n");
}

static void svg_text(void *ctx, double x, double y, const char *s, double size, int anchor,
		     unsigned rgb, int bold)
{
	obl_strbuf_addf(ctx, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"#%06x\"%s%s>", x,
			y, size, rgb, anchor < 0 ? "" : anchor ? " text-anchor=\"end\""
							       : " text-anchor=\"middle\"",
			bold ? " font-weight=\"bold\"" : "");
	obl_strbuf_add_xml(ctx, s);
	obl_strbuf_addstr(ctx, "</text>\n");
}

static double svg_text_width(void *ctx, const char *s, double size, int bold)
{
	(void)ctx;
	return (double)obl_display_width(s) * size * (bold ? 0.6 : 0.56);
}

void obl_chart_svg(struct obl_strbuf *out, const struct obl_chart *c, double width)
{
	double height = ceil(obl_chart_height(c, width));
	obl_strbuf_addf(out,
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
			"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
			"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
			width, height, width, height);
	const struct obl_canvas cv = { out, svg_line, svg_polyline, svg_fill, svg_text,
				       svg_text_width };
	obl_chart_draw(c, &cv, 4, 4, width - 8, height - 8);
	obl_strbuf_addstr(out, "</svg>\n");
}
