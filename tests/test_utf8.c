/*
 * test_utf8.c - the UTF-8 module: what is valid (overlong forms, surrogates and code points past
 * U+10FFFF are not), display widths, and the escaping for a terminal, Markdown and CSV, with the
 * exact bytes expected.
 */
#include <string.h>

#include "json_write.h"
#include "utf8.h"
#include "check.h"

static void test_decode(void)
{
	static const struct {
		const char *s;
		size_t len, want;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 0x41 },
		{ "\xC3\xA9", 2, 2, 0xE9 },
		{ "\xE6\xAC\xA1", 3, 3, 0x6B21 },
		{ "\xF0\x9F\x98\x80", 4, 4, 0x1F600 },
		{ "\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF },
		{ "\xC0\x80", 2, 0, 0 },         /* overlong NUL */
		{ "\xC1\xBF", 2, 0, 0 },         /* overlong 0x7F */
		{ "\xE0\x80\xAF", 3, 0, 0 },     /* overlong '/' */
		{ "\xF0\x80\x80\xAF", 4, 0, 0 }, /* overlong '/' */
		{ "\xED\xA0\x80", 3, 0, 0 },     /* surrogate U+D800 */
		{ "\xED\xBF\xBF", 3, 0, 0 },     /* surrogate U+DFFF */
		{ "\xF4\x90\x80\x80", 4, 0, 0 }, /* U+110000 */
		{ "\xF5\x80\x80\x80", 4, 0, 0 },
		{ "\x80", 1, 0, 0 },     /* stray continuation */
		{ "\xE6\xAC", 2, 0, 0 }, /* truncated */
		{ "\xC3(", 2, 0, 0 },
		{ "\xFF", 1, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t cp = 0;
		size_t n = obl_utf8_decode(cases[i].s, cases[i].len, &cp);
		check(n == cases[i].want && (n == 0 || cp == cases[i].cp),
		      "utf8 decode case %zu: %zu bytes U+%04X (want %zu, U+%04X)", i, n,
		      (unsigned)cp, cases[i].want, (unsigned)cases[i].cp);
	}
	char b[4];
	size_t n = obl_utf8_encode(0x1F600, b);
	check(n == 4 && !memcmp(b, "\xF0\x9F\x98\x80", 4), "utf8 encode U+1F600");
	check(obl_utf8_encode(0xD800, b) == 0 && obl_utf8_encode(0x110000, b) == 0,
	      "utf8 encode refuses surrogates and past U+10FFFF");
}

static void test_check(void)
{
	size_t at = 99;
	uint32_t c = 0;
	check(obl_utf8_check("caf\xC3\xA9 \xE5\x8D\x95", 9, 0, &at, &c) == 0, "utf8 check: valid text");
	check(obl_utf8_check("ab\xC0\x80", 4, 0, &at, &c) == 1 && at == 2 && c == 0xC0,
	      "utf8 check: overlong at byte 2 (got %zu, 0x%02X)", at, (unsigned)c);
	check(obl_utf8_check("ms\n::error", 10, 0, &at, &c) == 2 && at == 2 && c == '\n',
	      "utf8 check: newline refused where not allowed");
	check(obl_utf8_check("a\tb\nc", 5, 1, &at, &c) == 0, "utf8 check: tab and newline allowed");
	check(obl_utf8_check("x\xC2\x9B"
			     "31m",
			     6, 1, &at, &c) == 2 &&
		      at == 1 && c == 0x9B,
	      "utf8 check: C1 control (CSI) refused");
	check(obl_utf8_check("\x7F", 1, 1, &at, &c) == 2 && c == 0x7F, "utf8 check: DEL refused");
}

static void test_width(void)
{
	const char *cjk = "\xE5\x8D\x95\xE6\xAC\xA1\xE9\x97\xAE\xE7\xAD\x94"; /* 单次问答 */
	check(obl_utf8_width(cjk, strlen(cjk)) == 8, "utf8 width: four CJK characters take 8");
	check(obl_utf8_width("e\xCC\x81", 3) == 1, "utf8 width: combining accent takes 0");
	check(obl_utf8_width("\xF0\x9F\x98\x80", 4) == 2, "utf8 width: emoji takes 2");
	check(obl_utf8_width("ab\xFF", 3) == 3, "utf8 width: an invalid byte counts 1");
	check(obl_utf8_width("\xEF\xBC\xA1", 3) == 2, "utf8 width: fullwidth A takes 2");
}

static int is(struct obl_strbuf *sb, const char *want, const char *name)
{
	int ok = !strcmp(sb->buf, want);
	check(ok, "%s: got [%s], want [%s]", name, sb->buf, want);
	obl_strbuf_reset(sb);
	return ok;
}

static void test_escape(void)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_utf8_add_terminal(&sb, "\033]52;c;cm0gLXJmIH4K\007");
	is(&sb, "\\x1b]52;c;cm0gLXJmIH4K\\x07", "terminal: OSC 52 shown, not emitted");
	obl_utf8_add_terminal(&sb, "ms\n::error file=x::INJECTED");
	is(&sb, "ms\\x0a::error file=x::INJECTED", "terminal: newline shown");
	obl_utf8_add_terminal(&sb, "::error::injected");
	is(&sb, "\\x3a:error::injected", "terminal: leading :: cannot start a workflow command");
	obl_utf8_add_terminal(&sb, "  ##[error]x");
	is(&sb, "  \\x23#[error]x", "terminal: leading ##[ broken");
	obl_utf8_add_terminal(&sb, "std::vector<int> \xE5\x8D\x95");
	is(&sb, "std::vector<int> \xE5\x8D\x95", "terminal: ordinary text unchanged");
	obl_utf8_add_terminal(&sb, "a\xE2\x80\xAE"
				   "b\xFF"
				   "c\xC2\x9B");
	is(&sb, "a\\u{202e}b\\xffc\\x9b", "terminal: bidi override, invalid byte, C1");

	obl_utf8_add_markdown(&sb, "![x](https://evil.example/p.png)");
	is(&sb, "![x\\](https://evil.example/p.png)", "markdown: image neutralised");
	obl_utf8_add_markdown(&sb, "<img src=x> *a* `b` a|b cand_fp32 _c_");
	is(&sb, "&lt;img src=x&gt; \\*a\\* \\`b\\` a\\|b cand_fp32 \\_c\\_",
	   "markdown: HTML, emphasis, code, pipe");
	obl_utf8_add_markdown(&sb, "# h\nx");
	is(&sb, "\\# h x", "markdown: heading and newline");
	obl_utf8_add_markdown(&sb, "- item");
	is(&sb, "\\- item", "markdown: a list item at the start");
	obl_utf8_add_markdown(&sb, "-3.2% [+1.5%, +2%] -");
	is(&sb, "-3.2% [+1.5%, +2%] -", "markdown: signed numbers and intervals unchanged");
	obl_utf8_add_markdown(&sb, "[a][b] [c]: http://x");
	is(&sb, "[a\\][b] [c\\]: http://x", "markdown: reference links neutralised");

	check(obl_utf8_csv_formula("=HYPERLINK(\"x\")") && obl_utf8_csv_formula("@SUM(A1)") &&
		      obl_utf8_csv_formula("+cmd") && obl_utf8_csv_formula("-2+3") &&
		      obl_utf8_csv_formula("\tx"),
	      "csv: formula-leading cells detected");
	check(!obl_utf8_csv_formula("-1.5") && !obl_utf8_csv_formula("+3e-4") &&
		      !obl_utf8_csv_formula("a=b") && !obl_utf8_csv_formula(""),
	      "csv: numbers and ordinary text are not formulas");
	obl_strbuf_add_xml(&sb, "a<b & \"c\"\x01\xFF\xE5\x8D\x95");
	is(&sb, "a&lt;b &amp; &quot;c&quot; \xEF\xBF\xBD\xE5\x8D\x95",
	   "xml: markup escaped, a control character as a space, an invalid byte as U+FFFD");
	cJSON *o = cJSON_CreateObject();
	obl_json_add_string(o, "k", "a\"\x1b\xFF\xE5\x8D\x95");
	obl_json_print(&sb, o);
	cJSON_Delete(o);
	is(&sb, "{\n  \"k\": \"a\\\"\\u001b\xC3\xBF\xE5\x8D\x95\"\n}\n",
	   "json: quote and ESC escaped, an invalid byte as U+00FF, UTF-8 kept");
	obl_strbuf_release(&sb);
}

int main(void)
{
	test_decode();
	test_check();
	test_width();
	test_escape();
	return check_failures != 0;
}
