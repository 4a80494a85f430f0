/*
 * report_pdf.c - the report as PDF with libharu: text flowed into pages, tables that break
 * across pages with their header repeated, and the charts drawn with vector primitives.
 *
 * Fonts: TrueType fonts embedded as subsets with libharu's UTF-8 encoder: DejaVu Sans (and
 * Bold) for everything they have, a CJK TrueType font (WenQuanYi Micro Hei by default) for
 * what they lack, and a visible code (U+1F600) for what neither has, so that two labels never
 * print alike. Two faults of Debian's libharu 2.3.0 are mended before the file is written:
 * its subsets leave out the parts of composite glyphs (half of 问, all of 次 vanished), so
 * the components of every glyph used are marked too; and its ToUnicode CMap is the encoding's
 * (begincidrange, which poppler rejects), so each font gets a proper one (beginbfrange).
 */
#include "report_render.h"

#include <ctype.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "utf8.h"

void obl_pdf_layout_defaults(struct obl_pdf_layout *l)
{
	memset(l, 0, sizeof *l);
	l->margin = 42;
	l->font_size = 9;
	snprintf(l->font, sizeof l->font, "%s", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	snprintf(l->bold_font, sizeof l->bold_font, "%s",
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	snprintf(l->cjk_font, sizeof l->cjk_font, "%s", OBL_PDF_CJK_FONT);
	for (int i = 0; i < OBL_SECTION_COUNT; i++)
		l->sections[i] = i;
	l->sections[OBL_SECTION_COUNT] = -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static int layout_line(struct obl_pdf_layout *l, char *key, char *value, const char *path,
		       long line, struct obl_error *err)
{
	char *end;
	if (!strcmp(key, "page")) {
		if (strcmp(value, "a4") && strcmp(value, "letter"))
			return obl_error_set(err, OBL_EUSAGE, path, line, "page",
					     "'%s': expected a4 or letter", value);
		l->letter = !strcmp(value, "letter");
	} else if (!strcmp(key, "margin") || !strcmp(key, "font_size")) {
		double v = strtod(value, &end);
		int margin = key[0] == 'm';
		if (end == value || *end || !(v >= (margin ? 0 : 5)) || v > (margin ? 200 : 24))
			return obl_error_set(err, OBL_EUSAGE, path, line, key,
					     "'%s': expected a number of points (%s)", value,
					     margin ? "0 to 200" : "5 to 24");
		*(margin ? &l->margin : &l->font_size) = v;
	} else if (!strcmp(key, "font") || !strcmp(key, "bold_font")) {
		char *dst = key[0] == 'f' ? l->font : l->bold_font;
		if (strlen(value) >= sizeof l->font)
			return obl_error_set(err, OBL_EUSAGE, path, line, key, "path too long");
		snprintf(dst, sizeof l->font, "%s", value);
	} else if (!strcmp(key, "cjk_font")) {
		if (!strchr(value, '/') || strlen(value) >= sizeof l->cjk_font)
			return obl_error_set(err, OBL_EUSAGE, path, line, key,
					     "'%s': expected the path of a TrueType font (.ttf, or "
					     ".ttc: its first face), e.g. %s",
					     value, OBL_PDF_CJK_FONT);
		snprintf(l->cjk_font, sizeof l->cjk_font, "%s", value);
	} else if (!strcmp(key, "sections")) {
		int n = 0;
		for (char *tok = strtok(value, " \t,"); tok; tok = strtok(NULL, " \t,")) {
			int id = -1;
			for (int k = 0; k < OBL_SECTION_COUNT; k++)
				if (!strcmp(tok, obl_section_names[k]))
					id = k;
			if (id < 0 || n >= OBL_SECTION_COUNT)
				return obl_error_set(err, OBL_EUSAGE, path, line, key,
						     "'%s': not a section (runs, summary, scenarios, "
						     "slo, charts, methodology), or named twice",
						     tok);
			l->sections[n++] = id;
		}
		l->sections[n] = -1;
	} else {
		return obl_error_set(err, OBL_EUSAGE, path, line, key,
				     "unknown setting (page, margin, font_size, font, bold_font, "
				     "cjk_font, sections)");
	}
	return OBL_OK;
}

int obl_pdf_layout_read(const char *path, struct obl_pdf_layout *l, struct obl_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return obl_error_set(err, OBL_EUSAGE, path, 0, NULL, "cannot open the layout file");
	char buf[1024];
	long line = 0;
	int rc = OBL_OK;
	while (!rc && fgets(buf, sizeof buf, f)) {
		line++;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = 0;
		char *s = trim(buf);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = obl_error_set(err, OBL_EUSAGE, path, line, NULL,
					   "expected 'key = value'");
			break;
		}
		*eq = 0;
		rc = layout_line(l, trim(s), trim(eq + 1), path, line, err);
	}
	fclose(f);
	return rc;
}

/* ---- The writer ------------------------------------------------------------------------- */

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font font, bold, cjk; /* cjk: made at its first use (else it is not embedded) */
	HPDF_FontDef cjk_def;      /* NULL when no CJK font is installed */
	const char *cjk_name;
	HPDF_ExtGState translucent; /* fill opacity of interval bands */
	const struct obl_pdf_layout *layout;
	const struct obl_doc *d;
	double width, height, y; /* y: distance from the top of the page, in points */
	int page_no;
	HPDF_STATUS error, detail;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	struct pdf *p = data;
	if (!p->error) {
		p->error = error;
		p->detail = detail;
	}
}

static void rgb(unsigned c, double *r, double *g, double *b)
{
	*r = ((c >> 16) & 0xff) / 255.0;
	*g = ((c >> 8) & 0xff) / 255.0;
	*b = (c & 0xff) / 255.0;
}

static void set_fill(struct pdf *p, unsigned c)
{
	double r, g, b;
	rgb(c, &r, &g, &b);
	HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

static void set_stroke(struct pdf *p, unsigned c)
{
	double r, g, b;
	rgb(c, &r, &g, &b);
	HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

/* The next code point of UTF-8 text; invalid bytes come back as U+FFFD, one byte each. */
static unsigned next_cp(const unsigned char **s)
{
	uint32_t cp;
	size_t len = obl_utf8_decode((const char *)*s, 4, &cp);
	*s += len ? len : 1;
	return len ? cp : 0xFFFD;
}

/* 1 if the TrueType font has a glyph for cp (libharu's UTF-8 encoder reaches the Basic
 * Multilingual Plane only). */
static int has_glyph(HPDF_Font font, unsigned cp)
{
	if (!font || cp > 0xFFFF || cp < 0x20 || cp == 0x7F || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	return cp == ' ' || HPDF_TTFontDef_GetGlyphid(attr->fontdef, (HPDF_UINT16)cp) != 0;
}

/* Which font shows cp: 0 the text font, 1 the CJK font, 2 none (shown as U+XXXX). */
static int font_for(struct pdf *p, unsigned cp, int bold)
{
	if (has_glyph(bold ? p->bold : p->font, cp))
		return 0;
	if (!p->cjk_def || cp > 0xFFFF || cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    !HPDF_TTFontDef_GetGlyphid(p->cjk_def, (HPDF_UINT16)cp))
		return 2;
	if (!p->cjk)
		p->cjk = HPDF_GetFont(p->doc, p->cjk_name, "UTF-8");
	return p->cjk ? 1 : 2;
}

/* Splits s into runs by the font that has their glyphs and calls draw for each. Returns the
 * total width at size. A character no font has (an emoji, a control character, invalid
 * UTF-8) is shown as its code, "U+1F600", in the text font. */
static double text_runs(struct pdf *p, const char *s, double size, int bold, double x,
			double y, int draw)
{
	double total = 0;
	const unsigned char *c = (const unsigned char *)s;
	struct obl_strbuf run;
	obl_strbuf_init(&run);
	while (*c) {
		const unsigned char *start = c;
		int cjk = font_for(p, next_cp(&c), bold) == 1;
		c = start;
		obl_strbuf_reset(&run);
		while (*c) {
			const unsigned char *here = c;
			unsigned cp = next_cp(&c);
			int which = font_for(p, cp, bold);
			if ((which == 1) != cjk) {
				c = here;
				break;
			}
			if (which == 2)
				obl_strbuf_addf(&run, "U+%04X", cp);
			else
				obl_strbuf_add(&run, here, (size_t)(c - here));
		}
		HPDF_Font font = cjk ? p->cjk : bold ? p->bold
						     : p->font;
		const char *text = run.len ? run.buf : "";
		HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)text,
							(HPDF_UINT)strlen(text));
		double w = tw.width * size / 1000.0;
		if (draw && *text) {
			HPDF_Page_BeginText(p->page);
			HPDF_Page_SetFontAndSize(p->page, font, (HPDF_REAL)size);
			HPDF_Page_TextOut(p->page, (HPDF_REAL)(x + total), (HPDF_REAL)y, text);
			HPDF_Page_EndText(p->page);
		}
		total += w;
	}
	obl_strbuf_release(&run);
	return total;
}

/* Text at layout position (x, baseline y from the top). */
static void text_at(struct pdf *p, double x, double y, const char *s, double size, int bold,
		    unsigned color)
{
	set_fill(p, color);
	text_runs(p, s, size, bold, x, p->height - y, 1);
}

static double text_width(struct pdf *p, const char *s, double size, int bold)
{
	return text_runs(p, s, size, bold, 0, 0, 0);
}

/* ---- Canvas for charts -------------------------------------------------------------------- */

static void cv_line(void *ctx, double x1, double y1, double x2, double y2, double width,
		    unsigned color, int dashed)
{
	struct pdf *p = ctx;
	static const HPDF_UINT16 dash[] = { 3, 2 };
	set_stroke(p, color);
	HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
	if (dashed)
		HPDF_Page_SetDash(p->page, dash, 2, 0);
	HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)(p->height - y1));
	HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)(p->height - y2));
	HPDF_Page_Stroke(p->page);
	if (dashed)
		HPDF_Page_SetDash(p->page, NULL, 0, 0);
}

static void path(struct pdf *p, const double *xy, size_t n)
{
	HPDF_Page_MoveTo(p->page, (HPDF_REAL)xy[0], (HPDF_REAL)(p->height - xy[1]));
	for (size_t i = 1; i < n; i++)
		HPDF_Page_LineTo(p->page, (HPDF_REAL)xy[2 * i], (HPDF_REAL)(p->height - xy[2 * i + 1]));
}

static void cv_polyline(void *ctx, const double *xy, size_t n, double width, unsigned color)
{
	struct pdf *p = ctx;
	if (n < 2)
		return;
	set_stroke(p, color);
	HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
	HPDF_Page_SetLineJoin(p->page, HPDF_ROUND_JOIN);
	path(p, xy, n);
	HPDF_Page_Stroke(p->page);
}

static void cv_fill(void *ctx, const double *xy, size_t n, unsigned color, double opacity)
{
	struct pdf *p = ctx;
	if (n < 3)
		return;
	HPDF_Page_GSave(p->page);
	if (opacity < 1 && p->translucent)
		HPDF_Page_SetExtGState(p->page, p->translucent);
	set_fill(p, color);
	path(p, xy, n);
	HPDF_Page_ClosePath(p->page);
	HPDF_Page_Fill(p->page);
	HPDF_Page_GRestore(p->page);
}

static void cv_text(void *ctx, double x, double y, const char *s, double size, int anchor,
		    unsigned color, int bold)
{
	struct pdf *p = ctx;
	if (anchor >= 0)
		x -= text_width(p, s, size, bold) * (anchor ? 1 : 0.5);
	text_at(p, x, y, s, size, bold, color);
}

static double cv_text_width(void *ctx, const char *s, double size, int bold)
{
	return text_width(ctx, s, size, bold);
}

/* ---- Flowing the document ------------------------------------------------------------- */

static double bottom(const struct pdf *p)
{
	return p->height - p->layout->margin - 14; /* room for the footer */
}

static double avail(const struct pdf *p)
{
	return p->width - 2 * p->layout->margin;
}

static void new_page(struct pdf *p)
{
	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetSize(p->page, p->layout->letter ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4,
			  HPDF_PAGE_PORTRAIT);
	p->width = HPDF_Page_GetWidth(p->page);
	p->height = HPDF_Page_GetHeight(p->page);
	p->page_no++;
	p->y = p->layout->margin;
	double m = p->layout->margin, fy = p->height - m + 4;
	char buf[64];
	cv_line(p, m, fy - 10, p->width - m, fy - 10, 0.4, 0xcccccc, 0);
	text_at(p, m, fy, p->d->title, 7, 0, 0x777777);
	snprintf(buf, sizeof buf, "%s  \xc2\xb7  page %d", p->d->version, p->page_no);
	text_at(p, p->width - m - text_width(p, buf, 7, 0), fy, buf, 7, 0, 0x777777);
}

/* Starts a new page unless h points fit on this one. */
static void ensure(struct pdf *p, double h)
{
	if (p->y + h > bottom(p))
		new_page(p);
}

/* Word-wrapped text; returns nothing, advances p->y. */
static void flow(struct pdf *p, const char *s, double size, int bold, double indent,
		 unsigned color)
{
	double lead = size * 1.38, width = avail(p) - indent;
	struct obl_strbuf line, word;
	obl_strbuf_init(&line);
	obl_strbuf_init(&word);
	const char *c = s;
	while (1) {
		const char *sp = c;
		while (*sp && *sp != ' ')
			sp++;
		obl_strbuf_reset(&word);
		obl_strbuf_add(&word, c, (size_t)(sp - c));
		size_t keep = line.len;
		if (line.len)
			obl_strbuf_addch(&line, ' ');
		obl_strbuf_add(&line, word.buf, word.len);
		if (keep && text_width(p, line.buf, size, bold) > width) {
			line.len = keep;
			line.buf[keep] = 0;
			ensure(p, lead);
			text_at(p, p->layout->margin + indent, p->y + size, line.buf, size, bold, color);
			p->y += lead;
			obl_strbuf_reset(&line);
			obl_strbuf_add(&line, word.buf, word.len);
		}
		if (!*sp)
			break;
		c = sp + 1;
	}
	if (line.len) {
		ensure(p, lead);
		text_at(p, p->layout->margin + indent, p->y + size, line.buf, size, bold, color);
		p->y += lead;
	}
	obl_strbuf_release(&line);
	obl_strbuf_release(&word);
}

/* One row of a table at p->y (row 0 is the header); widths w per column. */
static void table_row(struct pdf *p, const struct obl_doc_table *t, const double *w, size_t r,
		      double size, double row_h)
{
	double m = p->layout->margin, x = m, total = 0, pad = 3;
	for (size_t c = 0; c < t->columns; c++)
		total += w[c];
	unsigned bg = r == 0                         ? 0xeeeeee
		      : t->tones[r] == OBL_TONE_BAD  ? 0xfde8e8
		      : t->tones[r] == OBL_TONE_GOOD ? 0xe6f4ea
						     : 0;
	if (bg) {
		const double box[] = { m, p->y, m + total, p->y, m + total, p->y + row_h,
				       m, p->y + row_h };
		cv_fill(p, box, 4, bg, 1);
	}
	for (size_t c = 0; c < t->columns; c++) {
		const char *cell = t->cells[r * t->columns + c];
		double tx = x + pad;
		if (t->align[c] == 'r' && r)
			tx = x + w[c] - pad - text_width(p, cell, size, 0);
		text_at(p, tx, p->y + row_h * 0.68, cell, size, r == 0, 0x222222);
		x += w[c];
	}
	cv_line(p, m, p->y + row_h, m + total, p->y + row_h, 0.3, 0xcccccc, 0);
	p->y += row_h;
}

static void table(struct pdf *p, const struct obl_doc_table *t)
{
	double size = p->layout->font_size - 1.5, pad = 3;
	double *w = calloc(t->columns, sizeof *w);
	if (!w)
		return;
	for (int pass = 0; pass < 2; pass++) {
		double total = 0;
		for (size_t c = 0; c < t->columns; c++) {
			w[c] = 0;
			for (size_t r = 0; r < t->rows; r++) {
				double tw = text_width(p, t->cells[r * t->columns + c], size, r == 0);
				w[c] = tw > w[c] ? tw : w[c];
			}
			w[c] += 2 * pad;
			total += w[c];
		}
		if (total <= avail(p) || pass)
			break;
		size *= avail(p) / total; /* narrower type instead of clipped cells */
		if (size < 5)
			size = 5;
	}
	double row_h = size * 1.75;
	ensure(p, row_h * (t->rows < 4 ? (double)t->rows : 4));
	table_row(p, t, w, 0, size, row_h);
	for (size_t r = 1; r < t->rows; r++) {
		if (p->y + row_h > bottom(p)) {
			new_page(p);
			table_row(p, t, w, 0, size, row_h); /* the header again on each page */
		}
		table_row(p, t, w, r, size, row_h);
	}
	p->y += size;
	free(w);
}

static void section(struct pdf *p, enum obl_section_id id)
{
	const struct obl_section *sec = &p->d->sections[id];
	const char *title = p->d->titles[id] ? p->d->titles[id] : obl_section_titles[id];
	if (!*title)
		return; /* not part of this document */
	double fs = p->layout->font_size;
	ensure(p, 60);
	p->y += 6;
	text_at(p, p->layout->margin, p->y + 13, title, 13, 1, 0x111111);
	p->y += 22;
	for (size_t i = 0; i < sec->n; i++) {
		const struct obl_block *b = &sec->blocks[i];
		switch (b->kind) {
		case OBL_BLOCK_HEADING:
			ensure(p, 50);
			p->y += 4;
			flow(p, b->text, b->level <= 2 ? 12 : fs + 1.5, 1, 0, 0x111111);
			p->y += 2;
			break;
		case OBL_BLOCK_PARAGRAPH:
			flow(p, b->text, fs, 0, 0, 0x222222);
			p->y += fs * 0.5;
			break;
		case OBL_BLOCK_ITEM:
			ensure(p, fs * 1.4);
			text_at(p, p->layout->margin + 3, p->y + fs, "\xe2\x80\xa2", fs, 0, 0x222222);
			flow(p, b->text, fs, 0, 12, 0x222222);
			p->y += fs * 0.25;
			break;
		case OBL_BLOCK_TABLE:
			table(p, &b->table);
			break;
		case OBL_BLOCK_CHART: {
			double w = avail(p), h = obl_chart_height(b->chart, w);
			ensure(p, h + 2 * fs);
			const struct obl_canvas cv = { p, cv_line, cv_polyline, cv_fill, cv_text,
						       cv_text_width };
			obl_chart_draw(b->chart, &cv, p->layout->margin, p->y, w, h);
			p->y += h + 2;
			flow(p, b->text, fs - 1, 0, 0, 0x666666);
			p->y += fs;
			break;
		}
		}
	}
}

/* Loads the TrueType font at path; *font is made from it unless font is NULL (the font is
 * then made at its first use: a font made is embedded, used or not). */
static int load_font(struct pdf *p, const char *path, HPDF_Font *font, const char **name_out,
		     struct obl_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "cannot open the font (install fonts-dejavu-core and "
				     "fonts-wqy-microhei, or set font, bold_font or cjk_font in a "
				     "layout file)");
	fclose(f);
	size_t len = strlen(path);
	const char *name = len > 4 && !strcmp(path + len - 4, ".ttc")
				   ? HPDF_LoadTTFontFromFile2(p->doc, path, 0, HPDF_TRUE)
				   : HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
	if (name_out)
		*name_out = name;
	if (font)
		*font = name ? HPDF_GetFont(p->doc, name, "UTF-8") : NULL;
	if (!name || (font && !*font))
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "libharu cannot use this TrueType font (error 0x%04X)",
				     (unsigned)p->error);
	return OBL_OK;
}

static unsigned be16(const unsigned char *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

/* Marks the components of composite glyph gid (and theirs) as used, so that libharu's
 * subset holds them: it copies a composite glyph but not the glyphs it is built of. */
static void mark_components(HPDF_TTFontDefAttr a, const unsigned char *font, size_t len,
			    unsigned gid, int depth)
{
	if (depth > 8 || gid + 1 >= a->num_glyphs)
		return;
	size_t unit = a->header.index_to_loc_format == 0 ? 2 : 1;
	size_t at = a->glyph_tbl.base_offset + (size_t)a->glyph_tbl.offsets[gid] * unit;
	size_t next = a->glyph_tbl.base_offset + (size_t)a->glyph_tbl.offsets[gid + 1] * unit;
	if (next <= at || next > len || at + 10 > next || (int16_t)be16(font + at) >= 0)
		return; /* empty, out of the file, or a simple glyph */
	for (size_t q = at + 10; q + 4 <= next;) {
		unsigned flags = be16(font + q), component = be16(font + q + 2);
		q += 4 + ((flags & 0x0001) ? 4 : 2); /* ARG_1_AND_2_ARE_WORDS */
		q += (flags & 0x0008) ? 2 : (flags & 0x0040) ? 4
				    : (flags & 0x0080)       ? 8
							     : 0;
		if (component < a->num_glyphs && !a->glyph_tbl.flgs[component]) {
			a->glyph_tbl.flgs[component] = 1;
			mark_components(a, font, len, component, depth + 1);
		}
		if (!(flags & 0x0020)) /* MORE_COMPONENTS */
			break;
	}
}

/* A ToUnicode CMap for libharu's UTF-8 fonts, whose codes are the characters' UTF-16 units:
 * the identity, as 256 ranges (a range may not cross its first byte). */
static HPDF_Dict to_unicode(struct pdf *p)
{
	HPDF_Dict cmap = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
	if (!cmap)
		return NULL;
	HPDF_Stream st = cmap->stream;
	HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
				 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
				 ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
				 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	char line[64];
	for (int block = 0; block < 256; block += 100) {
		int count = 256 - block < 100 ? 256 - block : 100;
		snprintf(line, sizeof line, "%d beginbfrange\n", count);
		HPDF_Stream_WriteStr(st, line);
		for (int i = block; i < block + count; i++) {
			snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", i, i, i);
			HPDF_Stream_WriteStr(st, line);
		}
		HPDF_Stream_WriteStr(st, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(st, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\n"
				 "end\n");
	cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	return cmap;
}

/* Mends a font before the file is written (see the top of this file). */
static int mend_font(struct pdf *p, HPDF_Font font, const char *path, struct obl_error *err)
{
	if (!font)
		return OBL_OK;
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_TTFontDefAttr def = (HPDF_TTFontDefAttr)attr->fontdef->attr;
	struct obl_file f;
	int rc = obl_file_read(path, &f, err);
	if (rc)
		return rc;
	for (unsigned g = 0; g < def->num_glyphs; g++)
		if (def->glyph_tbl.flgs[g])
			mark_components(def, (const unsigned char *)f.data, f.len, g, 0);
	obl_file_release(&f);
	HPDF_Dict cmap = to_unicode(p);
	if (!cmap || HPDF_Dict_Add((HPDF_Dict)font, "ToUnicode", cmap) != HPDF_OK)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

int obl_report_render_pdf(const struct obl_doc *doc, const struct obl_pdf_layout *layout,
			  long long creation_date, struct obl_strbuf *out, struct obl_error *err)
{
	struct pdf p;
	memset(&p, 0, sizeof p);
	p.layout = layout;
	p.d = doc;
	p.doc = HPDF_New(on_error, &p);
	int rc = OBL_OK;
	if (!p.doc)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p.doc);
	rc = load_font(&p, layout->font, &p.font, NULL, err);
	if (!rc)
		rc = load_font(&p, layout->bold_font, &p.bold, NULL, err);
	/* The CJK font: the default one only if installed (else CJK text shows as codes);
	 * one named in a layout file must be there. */
	FILE *cjk = fopen(layout->cjk_font, "rb");
	if (cjk)
		fclose(cjk);
	if (!rc && (cjk || strcmp(layout->cjk_font, OBL_PDF_CJK_FONT)))
		rc = load_font(&p, layout->cjk_font, NULL, &p.cjk_name, err);
	if (!rc && p.cjk_name)
		p.cjk_def = HPDF_GetFontDef(p.doc, p.cjk_name);
	if (!rc) {
		p.translucent = HPDF_CreateExtGState(p.doc);
		HPDF_ExtGState_SetAlphaFill(p.translucent, 0.18f);
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_PRODUCER, doc->version);
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "obl-report");
		if (creation_date >= 0) {
			time_t t = (time_t)creation_date;
			struct tm tm;
			gmtime_r(&t, &tm);
			HPDF_Date date = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
					   tm.tm_min, tm.tm_sec, 'Z', 0, 0 };
			HPDF_SetInfoDateAttr(p.doc, HPDF_INFO_CREATION_DATE, date);
		}
		new_page(&p);
		text_at(&p, layout->margin, p.y + 17, doc->title, 17, 1, 0x111111);
		p.y += 26;
		text_at(&p, layout->margin, p.y + 8, doc->version, 8, 0, 0x666666);
		p.y += 16;
		for (int i = 0; i < OBL_SECTION_COUNT && layout->sections[i] >= 0; i++)
			section(&p, (enum obl_section_id)layout->sections[i]);
		rc = mend_font(&p, p.font, layout->font, err);
		if (!rc)
			rc = mend_font(&p, p.bold, layout->bold_font, err);
		if (!rc)
			rc = mend_font(&p, p.cjk, layout->cjk_font, err);
		if (!rc && !p.error && HPDF_SaveToStream(p.doc) == HPDF_OK) {
			HPDF_ResetStream(p.doc);
			for (;;) {
				HPDF_BYTE buf[65536];
				HPDF_UINT32 n = sizeof buf;
				HPDF_STATUS st = HPDF_ReadFromStream(p.doc, buf, &n);
				obl_strbuf_add(out, buf, n);
				if (st != HPDF_OK)
					break;
			}
			p.error = p.error == HPDF_STREAM_EOF ? 0 : p.error;
		}
		if (!rc && p.error)
			rc = obl_error_set(err, OBL_EIO, NULL, 0, NULL,
					   "libharu failed writing the PDF (error 0x%04X, detail %u)",
					   (unsigned)p.error, (unsigned)p.detail);
		else if (!rc && obl_strbuf_failed(out))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	HPDF_Free(p.doc);
	return rc;
}
