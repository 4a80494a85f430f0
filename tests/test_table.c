/*
 * test_table.c - the aligned text table of the renderers: columns padded to their widest
 * cell, 'r' columns right-aligned, two spaces between columns, no trailing spaces, widths in
 * terminal columns (a CJK character takes two), a table appended to another in order, an
 * indent before each row; and the number formats the tables show.
 */
#include <string.h>

#include "check.h"
#include "render.h"

static void expect(const char *got, const char *want, const char *what)
{
	if (!check(!strcmp(got, want), "%s", what))
		printf("#   got:\n%s#   want:\n%s", got, want);
}

int main(void)
{
	struct obl_table t, more;
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	obl_table_init(&t, 3, "lrl");
	const char *cells[] = { "metric", "n", "verdict", "ttft_ms", "5", "worse",
				"tpot_ms", "120", "same" };
	for (int i = 0; i < 9; i++)
		obl_table_add(&t, cells[i]);
	obl_table_print(&t, &out, NULL);
	expect(out.buf,
	       "metric     n  verdict\n"
	       "ttft_ms    5  worse\n"
	       "tpot_ms  120  same\n",
	       "left and right alignment, two spaces between columns, no trailing spaces");

	obl_table_init(&more, 3, "lrl");
	obl_table_add(&more, "\xe5\x90\x9e\xe5\x90\x90"); /* two CJK characters: 4 columns */
	obl_table_add(&more, "7");
	obl_table_add(&more, "");
	obl_table_append(&t, &more);
	obl_table_release(&more);
	obl_strbuf_reset(&out);
	obl_table_print(&t, &out, "  ");
	expect(out.buf,
	       "  metric     n  verdict\n"
	       "  ttft_ms    5  worse\n"
	       "  tpot_ms  120  same\n"
	       "  \xe5\x90\x9e\xe5\x90\x90       7\n",
	       "an appended row in order, a wide name measured in columns, the indent");
	obl_table_release(&t);

	obl_strbuf_reset(&out);
	obl_format_number(&out, 12.11375);
	obl_strbuf_addch(&out, ' ');
	obl_format_percent(&out, 0.15461);
	obl_strbuf_addch(&out, ' ');
	obl_format_percent_interval(&out, "", -0.1645, 0.5957);
	obl_strbuf_addch(&out, ' ');
	obl_format_p(&out, 0.0341);
	expect(out.buf, "12.114 +15.46% [-16.45%, +59.57%] 0.0341",
	       "numbers as the tables show them: 5 significant digits, signed percentages");
	obl_strbuf_release(&out);
	return check_failures != 0;
}
