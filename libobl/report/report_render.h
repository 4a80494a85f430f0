/*
 * report_render.h - a report document (doc.h) as Markdown, HTML or PDF.
 *
 * Markdown and HTML go through a template: text copied verbatim except placeholders
 * {{title}}, {{version}} and one per section ({{runs}}, {{summary}}, {{scenarios}}, {{slo}},
 * {{charts}}, {{methodology}}). An unknown or unterminated placeholder is an error naming the
 * template's line. The defaults are templates/report.md and templates/report.html, compiled in.
 */
#ifndef OBL_REPORT_RENDER_H
#define OBL_REPORT_RENDER_H

#include "doc.h"

enum obl_doc_flavour { OBL_DOC_MARKDOWN = 0,
		       OBL_DOC_HTML };

/* Where Markdown's charts go: each chart as an SVG file named PREFIX-STEM.svg, written by
 * write() (which reports its own errors); the Markdown links to that name. NULL: no files,
 * and the charts section says they were left out. */
struct obl_chart_sink {
	void *ctx;
	const char *prefix;
	int (*write)(void *ctx, const char *name, const struct obl_strbuf *svg,
		     struct obl_error *err);
};

/* The default template of a flavour, as one string (owned by the caller). */
char *obl_report_default_template(enum obl_doc_flavour flavour);
/* The same edited for obl-report --history: "Change points" for the results section, "Levels
 * over the runs" for the charts, no SLO section (history_report.c). */
char *obl_report_history_template(enum obl_doc_flavour flavour);

/* Renders doc through template (path names it in errors) into out. */
OBL_MUST_CHECK int obl_report_render_text(const struct obl_doc *doc, enum obl_doc_flavour flavour,
					  const char *template_text, const char *template_path,
					  const struct obl_chart_sink *sink, struct obl_strbuf *out,
					  struct obl_error *err);

/* PDF layout (report-pdf.conf). */
/* The CJK font used when the layout names none (Debian's fonts-wqy-microhei). */
#define OBL_PDF_CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

struct obl_pdf_layout {
	int letter; /* 0: A4 */
	double margin, font_size;
	char font[512], bold_font[512];
	char cjk_font[512]; /* a TrueType file (.ttf, .ttc: its first face) */
	int sections[8];    /* enum obl_section_id, in order; -1 ends */
};

void obl_pdf_layout_defaults(struct obl_pdf_layout *l);
/* Reads "key = value" lines over the defaults; errors name the file and line. */
OBL_MUST_CHECK int obl_pdf_layout_read(const char *path, struct obl_pdf_layout *l, struct obl_error *err);

/* The PDF of doc into out (bytes). creation_date: seconds since 1970, or -1 for none. */
OBL_MUST_CHECK int obl_report_render_pdf(const struct obl_doc *doc, const struct obl_pdf_layout *layout,
					 long long creation_date, struct obl_strbuf *out, struct obl_error *err);

#endif
