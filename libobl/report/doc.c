/*
 * doc.c - building a report document block by block.
 */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const obl_section_names[] = { "runs", "summary", "scenarios",
					  "slo", "charts", "methodology" };
const char *const obl_section_titles[] = { "Runs", "Summary", "Results by scenario",
					   "Capacity under the SLO", "Charts", "Methodology" };

void obl_doc_init(struct obl_doc *d)
{
	memset(d, 0, sizeof *d);
}

static void block_free(struct obl_block *b)
{
	free(b->text);
	for (size_t i = 0; i < b->table.rows * b->table.columns; i++)
		free(b->table.cells[i]);
	free(b->table.cells);
	free(b->table.tones);
	obl_chart_free(b->chart);
}

void obl_doc_free(struct obl_doc *d)
{
	for (int s = 0; s < OBL_SECTION_COUNT; s++) {
		for (size_t i = 0; i < d->sections[s].n; i++)
			block_free(&d->sections[s].blocks[i]);
		free(d->sections[s].blocks);
	}
	free(d->title);
	free(d->version);
	obl_doc_init(d);
}

static struct obl_block *add_block(struct obl_doc *d, enum obl_section_id s,
				   enum obl_block_kind kind)
{
	struct obl_section *sec = &d->sections[s];
	if (sec->n == sec->alloc) {
		size_t alloc = sec->alloc ? 2 * sec->alloc : 16;
		struct obl_block *p = realloc(sec->blocks, alloc * sizeof *p);
		if (!p) {
			d->failed = 1;
			return NULL;
		}
		sec->blocks = p;
		sec->alloc = alloc;
	}
	struct obl_block *b = &sec->blocks[sec->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

static char *vformat(struct obl_doc *d, const char *fmt, va_list ap)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	va_list copy;
	va_copy(copy, ap);
	char small[512];
	int len = vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	if (len < 0) {
		d->failed = 1;
		return NULL;
	}
	if ((size_t)len < sizeof small) {
		obl_strbuf_addstr(&sb, small);
	} else {
		char *big = malloc((size_t)len + 1);
		if (big) {
			vsnprintf(big, (size_t)len + 1, fmt, ap);
			obl_strbuf_addstr(&sb, big);
			free(big);
		} else {
			d->failed = 1;
		}
	}
	if (obl_strbuf_failed(&sb))
		d->failed = 1;
	return obl_strbuf_detach(&sb, NULL);
}

static void add_text(struct obl_doc *d, enum obl_section_id s, enum obl_block_kind kind,
		     int level, const char *fmt, va_list ap)
{
	char *text = vformat(d, fmt, ap);
	struct obl_block *b = text ? add_block(d, s, kind) : NULL;
	if (!b) {
		free(text);
		return;
	}
	b->text = text;
	b->level = level;
}

void obl_doc_heading(struct obl_doc *d, enum obl_section_id s, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_text(d, s, OBL_BLOCK_HEADING, level, fmt, ap);
	va_end(ap);
}

void obl_doc_paragraph(struct obl_doc *d, enum obl_section_id s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_text(d, s, OBL_BLOCK_PARAGRAPH, 0, fmt, ap);
	va_end(ap);
}

void obl_doc_item(struct obl_doc *d, enum obl_section_id s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_text(d, s, OBL_BLOCK_ITEM, 0, fmt, ap);
	va_end(ap);
}

void obl_doc_chart(struct obl_doc *d, enum obl_section_id s, struct obl_chart *c,
		   const char *caption)
{
	struct obl_block *b = add_block(d, s, OBL_BLOCK_CHART);
	char *text = strdup(caption);
	if (!b || !text) {
		d->failed = 1;
		free(text);
		obl_chart_free(c);
		if (b)
			d->sections[s].n--;
		return;
	}
	b->chart = c;
	b->text = text;
}

struct obl_doc_table *obl_doc_table(struct obl_doc *d, enum obl_section_id s, size_t columns,
				    const char *align, const char *const *header)
{
	if (columns == 0 || columns > sizeof((struct obl_doc_table *)0)->align - 1)
		return NULL;
	struct obl_block *b = add_block(d, s, OBL_BLOCK_TABLE);
	if (!b)
		return NULL;
	b->table.columns = columns;
	snprintf(b->table.align, sizeof b->table.align, "%s", align);
	obl_doc_row(d, &b->table, OBL_TONE_PLAIN, header);
	return &b->table;
}

void obl_doc_row(struct obl_doc *d, struct obl_doc_table *t, enum obl_tone tone,
		 const char *const *cells)
{
	if (!t)
		return;
	char **c = realloc(t->cells, (t->rows + 1) * t->columns * sizeof *c);
	if (c)
		t->cells = c;
	enum obl_tone *tn = realloc(t->tones, (t->rows + 1) * sizeof *tn);
	if (tn)
		t->tones = tn;
	if (!c || !tn) {
		d->failed = 1;
		return;
	}
	for (size_t i = 0; i < t->columns; i++) {
		c[t->rows * t->columns + i] = strdup(cells[i] ? cells[i] : "");
		if (!c[t->rows * t->columns + i])
			d->failed = 1;
	}
	tn[t->rows] = tone;
	t->rows++;
}
