/*
 * report_pdf.c - the report as PDF with libharu: text flowed into pages, tables that break
 * across pages with their header repeated, and the charts drawn with vector primitives.
 *
 * Fonts: a TrueType font (DejaVu Sans by default) embedded as a subset with libharu's UTF-8
 * encoder for everything but Chinese; Chinese text through the PDF's built-in Adobe-GB1 CID
 * font (SimSun, GBK-EUC-H, converted with iconv). Debian's libharu 2.3.0 drops glyphs when it
 * subsets a TrueType CJK font for UTF-8 (次 and 答 vanish from 单次问答 with WenQuanYi), while
 * the built-in CID fonts render every character, so each string is split into runs by script.
 */
#include "report_render.h"

#include <ctype.h>
#include <hpdf.h>
#include <iconv.h>
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
	snprintf(l->cjk_font, sizeof l->cjk_font, "%s", "SimSun");
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
		if (strcmp(value, "SimSun") && strcmp(value, "SimHei"))
			return obl_error_set(err, OBL_EUSAGE, path, line, key,
					     "'%s': expected SimSun or SimHei", value);
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
	HPDF_Font font, bold, cjk, cjk_bold;
	HPDF_ExtGState translucent; /* fill opacity of interval bands */
	iconv_t to_gbk;
	const struct obl_pdf_layout *layout;
	const struct obl_doc *d;
	double width, height, y;   /* y: distance from the top of the page, in points */
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

static int is_cjk(unsigned cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Splits s into runs by script and calls draw for each (converted for its font): text in
 * the run's encoding, the font. Returns the total width at size. Control characters and code
 * points outside the Basic Multilingual Plane become '?'. */
static double text_runs(struct pdf *p, const char *s, double size, int bold, double x,
			double y, int draw)
{
	double total = 0;
	const unsigned char *c = (const unsigned char *)s;
	struct obl_strbuf run;
	obl_strbuf_init(&run);
	while (*c) {
		const unsigned char *start = c;
		int cjk = is_cjk(next_cp(&c));
		c = start;
		obl_strbuf_reset(&run);
		while (*c) {
			const unsigned char *here = c;
			unsigned cp = next_cp(&c);
			if (is_cjk(cp) != cjk) {
				c = here;
				break;
			}
			if (cp < 0x20 || cp == 0x7F || cp > 0xFFFF || cp == 0xFFFD)
				obl_strbuf_addch(&run, '?');
			else
				obl_strbuf_add(&run, here, (size_t)(c - here));
		}
		HPDF_Font font = cjk ? (bold ? p->cjk_bold : p->cjk) : bold ? p->bold : p->font;
		char gbk[1024];
		const char *text = run.buf;
		if (cjk) {
			char *in = run.buf, *out = gbk;
			size_t inleft = run.len, outleft = sizeof gbk - 1;
			iconv(p->to_gbk, NULL, NULL, NULL, NULL);
			while (inleft && iconv(p->to_gbk, &in, &inleft, &out, &outleft) == (size_t)-1) {
				if (outleft < 2)
					break;
				/* not in GBK: skip the character, show '?' */
				uint32_t cp;
				size_t skip = obl_utf8_decode(in, inleft, &cp);
				skip = skip ? skip : 1;
				in += skip;
				inleft -= skip;
				*out++ = '?';
				outleft--;
			}
			*out = 0;
			text = gbk;
		}
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
	unsigned bg = r == 0				? 0xeeeeee
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
	double fs = p->layout->font_size;
	ensure(p, 60);
	p->y += 6;
	text_at(p, p->layout->margin, p->y + 13, obl_section_titles[id], 13, 1, 0x111111);
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

static int load_font(struct pdf *p, const char *path, HPDF_Font *font, struct obl_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "cannot open the font (install fonts-dejavu-core, or set "
				     "font/bold_font in a layout file)");
	fclose(f);
	const char *name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
	*font = name ? HPDF_GetFont(p->doc, name, "UTF-8") : NULL;
	if (!*font)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "libharu cannot use this TrueType font (error 0x%04X)",
				     (unsigned)p->error);
	return OBL_OK;
}

int obl_report_render_pdf(const struct obl_doc *doc, const struct obl_pdf_layout *layout,
			  long long creation_date, struct obl_strbuf *out, struct obl_error *err)
{
	struct pdf p;
	memset(&p, 0, sizeof p);
	p.layout = layout;
	p.d = doc;
	p.to_gbk = iconv_open("GBK", "UTF-8");
	if (p.to_gbk == (iconv_t)-1)
		return obl_error_set(err, OBL_EIO, NULL, 0, NULL,
				     "iconv cannot convert UTF-8 to GBK for Chinese text");
	p.doc = HPDF_New(on_error, &p);
	int rc = OBL_OK;
	if (!p.doc) {
		iconv_close(p.to_gbk);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p.doc);
	HPDF_UseCNSFonts(p.doc);
	HPDF_UseCNSEncodings(p.doc);
	rc = load_font(&p, layout->font, &p.font, err);
	if (!rc)
		rc = load_font(&p, layout->bold_font, &p.bold, err);
	/* Bold Chinese: the built-in black (sans) face, as SimSun has no bold. */
	if (!rc && !(p.cjk_bold = HPDF_GetFont(p.doc, "SimHei", "GBK-EUC-H")))
		rc = obl_error_set(err, OBL_EIO, NULL, 0, NULL, "libharu has no font SimHei");
	if (!rc && !(p.cjk = HPDF_GetFont(p.doc, layout->cjk_font, "GBK-EUC-H")))
		rc = obl_error_set(err, OBL_EIO, NULL, 0, NULL, "libharu has no font %s",
				   layout->cjk_font);
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
		if (!p.error && HPDF_SaveToStream(p.doc) == HPDF_OK) {
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
		if (p.error)
			rc = obl_error_set(err, OBL_EIO, NULL, 0, NULL,
					   "libharu failed writing the PDF (error 0x%04X, detail %u)",
					   (unsigned)p.error, (unsigned)p.detail);
		else if (obl_strbuf_failed(out))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	HPDF_Free(p.doc);
	iconv_close(p.to_gbk);
	return rc;
}
