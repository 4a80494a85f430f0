/*
 * report_text.c - the report as Markdown or HTML through a template. The template engine is
 * deliberately small: {{name}} placeholders, nothing else, so a user's template can never
 * reach a file or run anything; a placeholder it does not know is an error, not silence.
 */
#include "report_render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "sha256.h"
#include "templates.h"
#include "utf8.h"

char *obl_report_default_template(enum obl_doc_flavour flavour)
{
	const char *const *lines = flavour == OBL_DOC_HTML ? obl_text_report_html
							   : obl_text_report_md;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (; *lines; lines++)
		obl_strbuf_addstr(&sb, *lines);
	return obl_strbuf_detach(&sb, NULL);
}

/* Markdown text: text from inputs and the report's own sentences alike are shown as the text
 * they are (utf8.h): no link, image, emphasis or HTML can come from a label or a key. */
static void add_md(struct obl_strbuf *out, const char *s, int in_table)
{
	(void)in_table; /* newlines become spaces everywhere */
	obl_utf8_add_markdown(out, s);
}

/* A file name from a chart's stem: letters, digits, '.', '-' and '_' only, so that a run
 * label can never make the report write outside its own directory. When that changed the
 * stem, 8 hex digits of its SHA-256 follow, so that labels differing only in punctuation
 * ("a/b", "a_b", "a b") never share a file. */
static void safe_name(struct obl_strbuf *out, const char *prefix, const char *stem)
{
	obl_strbuf_addf(out, "%s-", prefix);
	int changed = 0;
	for (const char *p = stem; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || (c == '.' && p != stem);
		obl_strbuf_addch(out, ok ? c : '_');
		changed |= !ok;
	}
	if (changed) {
		char hex[65];
		obl_sha256_hex(stem, strlen(stem), hex);
		obl_strbuf_addf(out, "-%.8s", hex);
	}
	obl_strbuf_addstr(out, ".svg");
}

static void table_md(struct obl_strbuf *out, const struct obl_doc_table *t)
{
	for (size_t r = 0; r < t->rows; r++) {
		obl_strbuf_addch(out, '|');
		for (size_t c = 0; c < t->columns; c++) {
			const char *cell = t->cells[r * t->columns + c];
			int strong = r && c == t->columns - 1 && t->tones[r] != OBL_TONE_PLAIN;
			obl_strbuf_addstr(out, strong ? " **" : " ");
			add_md(out, cell, 1);
			obl_strbuf_addstr(out, strong ? "** |" : " |");
		}
		obl_strbuf_addch(out, '\n');
		if (r == 0) {
			obl_strbuf_addch(out, '|');
			for (size_t c = 0; c < t->columns; c++)
				obl_strbuf_addstr(out, t->align[c] == 'r' ? "---:|" : "---|");
			obl_strbuf_addch(out, '\n');
		}
	}
	obl_strbuf_addch(out, '\n');
}

static void table_html(struct obl_strbuf *out, const struct obl_doc_table *t)
{
	obl_strbuf_addstr(out, "<table>\n");
	for (size_t r = 0; r < t->rows; r++) {
		const char *tone = t->tones[r] == OBL_TONE_BAD    ? " class=\"bad\""
				   : t->tones[r] == OBL_TONE_GOOD ? " class=\"good\""
								  : "";
		obl_strbuf_addf(out, "<tr%s>", tone);
		for (size_t c = 0; c < t->columns; c++) {
			if (r == 0)
				obl_strbuf_addstr(out, "<th>");
			else
				obl_strbuf_addstr(out, t->align[c] == 'r' ? "<td class=\"r\">" : "<td>");
			obl_strbuf_add_xml(out, t->cells[r * t->columns + c]);
			obl_strbuf_addstr(out, r == 0 ? "</th>" : "</td>");
		}
		obl_strbuf_addstr(out, "</tr>\n");
	}
	obl_strbuf_addstr(out, "</table>\n");
}

/* A label for a Mermaid string: no double quote (it ends the string), no backquote (it would
 * end the code block), no newline; brackets escaped as in the Markdown around it. */
static void mermaid_text(struct obl_strbuf *out, const char *s)
{
	obl_strbuf_addch(out, '"');
	for (; s && *s; s++) {
		if (*s == ']') /* as the Markdown around it: never link-like */
			obl_strbuf_addch(out, '\\');
		obl_strbuf_addch(out, *s == '"' || *s == '`'     ? '\''
				      : *s == '\n' || *s == '\r' ? ' '
								 : *s);
	}
	obl_strbuf_addch(out, '"');
}

static void mermaid_numbers(struct obl_strbuf *out, const char *kind, const double *v, size_t n)
{
	obl_strbuf_addf(out, "    %s [", kind);
	for (size_t i = 0; i < n; i++)
		obl_strbuf_addf(out, "%s%.4g", i ? ", " : "", v[i]);
	obl_strbuf_addstr(out, "]\n");
}

/* The chart as a Mermaid xychart-beta block, which GitHub draws in a comment or job summary:
 * a forest plot as bars of the change (%) with its interval's ends as two lines, a chart of
 * lines as lines over the categories. Returns 0 (nothing written) for the others (ECDFs), or
 * for lines not defined at every category (Mermaid has no gaps). */
static int chart_mermaid(struct obl_strbuf *out, const struct obl_chart *c)
{
	size_t n = c->kind == OBL_CHART_FOREST ? c->n_rows : c->n_categories;
	if ((c->kind != OBL_CHART_FOREST && c->kind != OBL_CHART_LINES) || n == 0)
		return 0;
	double *v = malloc(n * sizeof *v);
	if (!v)
		return 0;
	if (c->kind == OBL_CHART_LINES)
		for (size_t s = 0; s < c->n_series; s++) {
			size_t have = 0;
			for (size_t k = 0; k < c->series[s].n; k++)
				have += isfinite(c->series[s].points[k].y);
			if (have != n) {
				free(v);
				return 0;
			}
		}
	obl_strbuf_addstr(out, "```mermaid\nxychart-beta\n    title ");
	mermaid_text(out, c->title);
	obl_strbuf_addstr(out, "\n    x-axis [");
	for (size_t i = 0; i < n; i++) {
		obl_strbuf_addstr(out, i ? ", " : "");
		mermaid_text(out, c->kind == OBL_CHART_FOREST ? c->rows[i].label : c->categories[i]);
	}
	obl_strbuf_addstr(out, "]\n    y-axis ");
	if (c->kind == OBL_CHART_FOREST) {
		mermaid_text(out, "change (%)");
		obl_strbuf_addch(out, '\n');
		for (int part = 0; part < 3; part++) {
			for (size_t i = 0; i < n; i++) {
				const struct obl_forest_row *r = &c->rows[i];
				double x = part == 0 ? r->estimate : part == 1 ? r->low
									       : r->high;
				v[i] = 100 * (isfinite(x) ? x : r->estimate);
			}
			mermaid_numbers(out, part ? "line" : "bar", v, n);
		}
	} else {
		mermaid_text(out, c->y_label);
		obl_strbuf_addch(out, '\n');
		for (size_t s = 0; s < c->n_series; s++) {
			for (size_t k = 0; k < c->series[s].n; k++) {
				size_t at = (size_t)c->series[s].points[k].x;
				if (at < n)
					v[at] = c->series[s].points[k].y;
			}
			mermaid_numbers(out, "line", v, n);
		}
	}
	obl_strbuf_addstr(out, "```\n\n");
	if (c->kind == OBL_CHART_FOREST) {
		obl_strbuf_addstr(out, "Bars: the change; lines: the ends of its interval.");
	} else {
		obl_strbuf_addstr(out, "Lines, in order:");
		for (size_t s = 0; s < c->n_series; s++) {
			obl_strbuf_addf(out, "%s %zu ", s ? "," : "", s + 1);
			add_md(out, c->series[s].name, 0);
		}
		obl_strbuf_addch(out, '.');
	}
	obl_strbuf_addstr(out, "\n\n");
	free(v);
	return 1;
}

static int section(const struct obl_doc *doc, enum obl_section_id id, enum obl_doc_flavour fl,
		   const struct obl_chart_sink *sink, struct obl_strbuf *out,
		   struct obl_error *err)
{
	const struct obl_section *sec = &doc->sections[id];
	int html = fl == OBL_DOC_HTML, charts_left_out = 0;
	for (size_t i = 0; i < sec->n; i++) {
		const struct obl_block *b = &sec->blocks[i];
		int item = b->kind == OBL_BLOCK_ITEM;
		int first_item = item && (i == 0 || sec->blocks[i - 1].kind != OBL_BLOCK_ITEM);
		int last_item = item && (i + 1 == sec->n || sec->blocks[i + 1].kind != OBL_BLOCK_ITEM);
		switch (b->kind) {
		case OBL_BLOCK_HEADING:
			if (html) {
				obl_strbuf_addf(out, "<h%d>", b->level);
				obl_strbuf_add_xml(out, b->text);
				obl_strbuf_addf(out, "</h%d>\n", b->level);
			} else {
				for (int k = 0; k < b->level; k++)
					obl_strbuf_addch(out, '#');
				obl_strbuf_addch(out, ' ');
				add_md(out, b->text, 0);
				obl_strbuf_addstr(out, "\n\n");
			}
			break;
		case OBL_BLOCK_PARAGRAPH:
			obl_strbuf_addstr(out, html ? "<p>" : "");
			if (html)
				obl_strbuf_add_xml(out, b->text);
			else
				add_md(out, b->text, 0);
			obl_strbuf_addstr(out, html ? "</p>\n" : "\n\n");
			break;
		case OBL_BLOCK_ITEM:
			if (html) {
				obl_strbuf_addstr(out, first_item ? "<ul>\n<li>" : "<li>");
				obl_strbuf_add_xml(out, b->text);
				obl_strbuf_addstr(out, last_item ? "</li>\n</ul>\n" : "</li>\n");
			} else {
				obl_strbuf_addstr(out, "- ");
				add_md(out, b->text, 0);
				obl_strbuf_addstr(out, last_item ? "\n\n" : "\n");
			}
			break;
		case OBL_BLOCK_TABLE:
			(html ? table_html : table_md)(out, &b->table);
			break;
		case OBL_BLOCK_CHART: {
			struct obl_strbuf svg;
			obl_strbuf_init(&svg);
			if (html || sink)
				obl_chart_svg(&svg, b->chart, 640);
			if (html) {
				obl_strbuf_addstr(out, "<figure>\n");
				obl_strbuf_add(out, svg.buf, svg.len);
				obl_strbuf_addstr(out, "<figcaption>");
				obl_strbuf_add_xml(out, b->text);
				obl_strbuf_addstr(out, "</figcaption>\n</figure>\n");
			} else if (chart_mermaid(out, b->chart) && !sink) {
				add_md(out, b->text, 0); /* no SVG file on standard output */
				obl_strbuf_addstr(out, "\n\n");
			} else if (sink) {
				struct obl_strbuf name;
				obl_strbuf_init(&name);
				safe_name(&name, sink->prefix, b->chart->file_stem);
				int rc = obl_strbuf_failed(&svg) || obl_strbuf_failed(&name)
						 ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL,
								 "out of memory")
						 : sink->write(sink->ctx, name.buf, &svg, err);
				obl_strbuf_addstr(out, "![");
				add_md(out, b->chart->title, 0);
				obl_strbuf_addf(out, "](%s)\n\n", name.buf);
				add_md(out, b->text, 0);
				obl_strbuf_addstr(out, "\n\n");
				obl_strbuf_release(&name);
				if (rc) {
					obl_strbuf_release(&svg);
					return rc;
				}
			} else {
				charts_left_out++;
			}
			obl_strbuf_release(&svg);
			break;
		}
		}
	}
	if (charts_left_out)
		obl_strbuf_addf(out,
				"%zu chart%s left out: Markdown on standard output has no place for "
				"its SVG files (write it with -o FILE.md).\n\n",
				(size_t)charts_left_out, charts_left_out == 1 ? "" : "s");
	return OBL_OK;
}

int obl_report_render_text(const struct obl_doc *doc, enum obl_doc_flavour flavour,
			   const char *template_text, const char *template_path,
			   const struct obl_chart_sink *sink, struct obl_strbuf *out,
			   struct obl_error *err)
{
	long line = 1;
	const char *p = template_text;
	while (*p) {
		const char *open = strstr(p, "{{");
		const char *stop = open ? open : p + strlen(p);
		for (const char *q = p; q < stop; q++)
			line += *q == '\n';
		obl_strbuf_add(out, p, (size_t)(stop - p));
		if (!open)
			break;
		const char *close = strstr(open + 2, "}}");
		const char *nl = strchr(open, '\n');
		if (!close || (nl && nl < close))
			return obl_error_set(err, OBL_EUSAGE, template_path, line, NULL,
					     "'{{' without '}}' on the same line");
		char name[64];
		size_t len = (size_t)(close - open - 2);
		const char *s = open + 2;
		while (len && *s == ' ') {
			s++;
			len--;
		}
		while (len && s[len - 1] == ' ')
			len--;
		snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), s);
		int rc = OBL_OK;
		if (!strcmp(name, "title") || !strcmp(name, "version")) {
			const char *text = name[0] == 't' ? doc->title : doc->version;
			if (flavour == OBL_DOC_HTML)
				obl_strbuf_add_xml(out, text);
			else
				add_md(out, text, 0);
		} else {
			int id = -1;
			for (int k = 0; k < OBL_SECTION_COUNT; k++)
				if (!strcmp(name, obl_section_names[k]))
					id = k;
			if (id < 0)
				return obl_error_set(err, OBL_EUSAGE, template_path, line, NULL,
						     "unknown placeholder {{%.*s}} (known: title, "
						     "version, runs, summary, scenarios, slo, charts, "
						     "methodology)",
						     (int)(len < 63 ? len : 63), s);
			rc = section(doc, (enum obl_section_id)id, flavour, sink, out, err);
		}
		if (rc)
			return rc;
		p = close + 2;
	}
	if (obl_strbuf_failed(out))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}
