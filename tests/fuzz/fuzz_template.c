/*
 * fuzz_template.c - a libFuzzer target for the report's template engine: the input is a
 * user's template; rendering a small document through it must give a status and output or
 * an error naming a line, and never crash, leak or read outside the template, whatever the
 * bytes (unterminated or nested braces, NULs, invalid UTF-8). Markdown with a chart sink that
 * keeps the SVG in memory, and HTML.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int keep_svg(void *ctx, const char *name, const struct obl_strbuf *svg,
		    struct obl_error *err)
{
	(void)err;
	(void)name;
	*(size_t *)ctx += svg->len;
	return 0;
}

static void build(struct obl_doc *d)
{
	obl_doc_init(d);
	d->title = strdup("base vs 候选 <&>");
	d->version = strdup("obl fuzz");
	obl_doc_heading(d, OBL_SECTION_SUMMARY, 3, "Gate: %s", "FAIL");
	obl_doc_paragraph(d, OBL_SECTION_SUMMARY, "a | b < c");
	obl_doc_item(d, OBL_SECTION_METHODOLOGY, "one");
	obl_doc_item(d, OBL_SECTION_METHODOLOGY, "two");
	static const char *const header[] = { "metric", "change" };
	static const char *const row[] = { "ttft_ms (median)", "+61.53%" };
	struct obl_doc_table *t = obl_doc_table(d, OBL_SECTION_SCENARIOS, 2, "lr", header);
	obl_doc_row(d, t, OBL_TONE_BAD, row);
	struct obl_chart *c = calloc(1, sizeof *c);
	c->kind = OBL_CHART_FOREST;
	c->title = strdup("forest");
	c->x_label = strdup("change");
	c->file_stem = strdup("../forest");
	c->rows = calloc(1, sizeof *c->rows);
	c->rows[0] = (struct obl_forest_row){ strdup("ttft"), 0.6, 0.3, 1.0, OBL_VERDICT_WORSE };
	c->n_rows = 1;
	c->threshold = 0.02;
	obl_doc_chart(d, OBL_SECTION_CHARTS, c, "caption");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct obl_doc doc;
	static int built;
	if (!built) {
		build(&doc);
		built = 1;
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0; /* the tool reads a template as a C string too */
	size_t svg_bytes = 0;
	const struct obl_chart_sink sink = { &svg_bytes, "r", keep_svg };
	for (int flavour = OBL_DOC_MARKDOWN; flavour <= OBL_DOC_HTML; flavour++) {
		struct obl_strbuf out;
		struct obl_error err;
		obl_strbuf_init(&out);
		obl_error_clear(&err);
		(void)obl_report_render_text(&doc, (enum obl_doc_flavour)flavour, text, "fuzz",
					     &sink, &out, &err);
		obl_strbuf_release(&out);
	}
	free(text);
	return 0;
}
