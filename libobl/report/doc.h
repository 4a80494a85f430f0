/*
 * doc.h - a report as a document: named sections of blocks (headings, paragraphs, list items,
 * tables, charts). report.c writes the content once; report_text.c renders it as Markdown or
 * HTML through a template, report_pdf.c lays it out as PDF. No renderer computes anything.
 *
 * The document owns every string, table cell and chart in it (obl_doc_free releases all).
 */
#ifndef OBL_DOC_H
#define OBL_DOC_H

#include <stddef.h>

#include "chart.h"
#include "error.h"
#include "strbuf.h"

enum obl_block_kind { OBL_BLOCK_HEADING = 0,
		      OBL_BLOCK_PARAGRAPH,
		      OBL_BLOCK_ITEM,
		      OBL_BLOCK_TABLE,
		      OBL_BLOCK_CHART };

/* How a table row is emphasised: by the verdict it reports. */
enum obl_tone { OBL_TONE_PLAIN = 0,
		OBL_TONE_GOOD,
		OBL_TONE_BAD,
		OBL_TONE_WARN };

struct obl_doc_table {
	size_t columns, rows; /* rows counts the header row (row 0) */
	char **cells;         /* rows x columns, row-major */
	char align[16];       /* per column: 'l' or 'r' */
	enum obl_tone *tones; /* per row */
};

struct obl_block {
	enum obl_block_kind kind;
	int level;  /* headings: 1, 2, 3 */
	char *text; /* headings, paragraphs, items; a chart's caption */
	struct obl_doc_table table;
	struct obl_chart *chart;
};

/* The sections, in their default order; templates name them as placeholders. */
enum obl_section_id { OBL_SECTION_RUNS = 0,
		      OBL_SECTION_SUMMARY,
		      OBL_SECTION_SCENARIOS,
		      OBL_SECTION_SLO,
		      OBL_SECTION_CHARTS,
		      OBL_SECTION_METHODOLOGY,
		      OBL_SECTION_COUNT };
extern const char *const obl_section_names[];  /* "runs", "summary", ... */
extern const char *const obl_section_titles[]; /* "Runs", "Summary", ... */

struct obl_section {
	struct obl_block *blocks;
	size_t n, alloc;
};

struct obl_doc {
	char *title;
	char *version; /* "obl 0.1.0" */
	/* a section's own title in this document (static strings; NULL: obl_section_titles, "":
	 * the section is left out), for documents other than the A/B comparison */
	const char *titles[OBL_SECTION_COUNT];
	struct obl_section sections[OBL_SECTION_COUNT];
	int failed; /* out of memory somewhere while building */
};

void obl_doc_init(struct obl_doc *d);
void obl_doc_free(struct obl_doc *d);

/* Appending blocks (printf-style text). Failures set d->failed; the document stays valid. */
void obl_doc_heading(struct obl_doc *d, enum obl_section_id s, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void obl_doc_paragraph(struct obl_doc *d, enum obl_section_id s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void obl_doc_item(struct obl_doc *d, enum obl_section_id s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds a chart (the document takes it) with a caption. */
void obl_doc_chart(struct obl_doc *d, enum obl_section_id s, struct obl_chart *c,
		   const char *caption);
/* Starts a table with a header of `columns` cells; align as "llrr..". Returns it (NULL on
 * failure); add rows with obl_doc_row. */
struct obl_doc_table *obl_doc_table(struct obl_doc *d, enum obl_section_id s, size_t columns,
				    const char *align, const char *const *header);
/* Adds a row of table->columns cells. */
void obl_doc_row(struct obl_doc *d, struct obl_doc_table *t, enum obl_tone tone,
		 const char *const *cells);

#endif
