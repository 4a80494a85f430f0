/*
 * utf8.c - decoding, checking, measuring and escaping UTF-8 (see utf8.h). libutf8proc decodes
 * (rejecting overlong forms, surrogates and code points past U+10FFFF) and knows the display
 * width of every character of its Unicode version.
 */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t obl_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80) { /* ASCII, most text: no call */
		*cp = (unsigned char)s[0];
		return 1;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
	if (n <= 0 || c < 0)
		return 0;
	*cp = (uint32_t)c;
	return (size_t)n;
}

size_t obl_utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
	return n > 0 ? (size_t)n : 0;
}

int obl_utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int obl_utf8_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029;
}

int obl_utf8_check(const char *s, size_t len, int allow_tab_newline, size_t *at, uint32_t *byte)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = obl_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*at = i;
			*byte = (unsigned char)s[i];
			return 1;
		}
		if (obl_utf8_is_control(cp) && !(allow_tab_newline && (cp == '\t' || cp == '\n'))) {
			*at = i;
			*byte = cp;
			return 2;
		}
		i += n;
	}
	return 0;
}

size_t obl_utf8_width(const char *s, size_t len)
{
	size_t w = 0, i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = obl_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		if (cp >= 0x20 && cp < 0x7F)
			w++;
		else
			w += (size_t)utf8proc_charwidth((utf8proc_int32_t)cp);
		i += n;
	}
	return w;
}

/* Where a GitHub workflow command could start: "::" or "##[" after leading blanks. */
static size_t command_start(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if ((len - i >= 2 && s[i] == ':' && s[i + 1] == ':') ||
	    (len - i >= 3 && s[i] == '#' && s[i + 1] == '#' && s[i + 2] == '['))
		return i;
	return len;
}

void obl_utf8_add_terminal_n(struct obl_strbuf *out, const char *s, size_t len)
{
	size_t cmd = command_start(s, len);
	size_t i = 0, plain = 0; /* s[plain..i) is waiting to be copied */
	while (i < len) {
		uint32_t cp;
		size_t n = obl_utf8_decode(s + i, len - i, &cp);
		if (n == 1 && cp >= 0x20 && cp < 0x7F && i != cmd) {
			i++;
			continue;
		}
		if (n > 1 && !obl_utf8_is_control(cp) && !obl_utf8_is_bidi_control(cp)) {
			i += n;
			continue;
		}
		obl_strbuf_add(out, s + plain, i - plain);
		if (n == 0)
			obl_strbuf_addf(out, "\\x%02x", (unsigned char)s[i]);
		else if (cp < 0x100)
			obl_strbuf_addf(out, "\\x%02x", (unsigned)cp);
		else
			obl_strbuf_addf(out, "\\u{%04x}", (unsigned)cp);
		i += n ? n : 1;
		plain = i;
	}
	obl_strbuf_add(out, s + plain, i - plain);
}

void obl_utf8_add_terminal(struct obl_strbuf *out, const char *s)
{
	if (s)
		obl_utf8_add_terminal_n(out, s, strlen(s));
}

static int word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void obl_utf8_add_markdown(struct obl_strbuf *out, const char *s)
{
	if (!s)
		return;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = obl_utf8_decode(s + i, len - i, &cp);
		if (n == 0 || obl_utf8_is_control(cp) || obl_utf8_is_bidi_control(cp)) {
			if (n && (cp == '\n' || cp == '\t'))
				obl_strbuf_addch(out, ' ');
			else
				obl_utf8_add_terminal_n(out, s + i, n ? n : 1);
			i += n ? n : 1;
			continue;
		}
		switch (cp) {
		case '&': obl_strbuf_addstr(out, "&amp;"); break;
		case '<': obl_strbuf_addstr(out, "&lt;"); break;
		case '>': obl_strbuf_addstr(out, "&gt;"); break;
		case '|': obl_strbuf_addstr(out, "\\|"); break;
		case '\\':
		case '`':
		case '*':
		case '~':
		case '$':
			obl_strbuf_addch(out, '\\');
			obl_strbuf_addch(out, (char)cp);
			break;
		case ']': /* "](url)", "][ref]" and "]: url" make links; "[1, 2]" stays as it is */
			if (i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '[' || s[i + 1] == ':'))
				obl_strbuf_addch(out, '\\');
			obl_strbuf_addch(out, ']');
			break;
		case '_': /* emphasis only at a word's edge: "cand_fp32" stays as it is */
			if (i == 0 || i + 1 == len || !word_char(s[i - 1]) || !word_char(s[i + 1]))
				obl_strbuf_addch(out, '\\');
			obl_strbuf_addch(out, '_');
			break;
		case '+':
		case '-':
		case '=':
		case '#': /* lists, rules and headings at the start */
			if (i == 0 && i + 1 < len && (s[1] == ' ' || s[1] == '\t' || s[1] == (char)cp))
				obl_strbuf_addch(out, '\\');
			obl_strbuf_addch(out, (char)cp);
			break;
		default: obl_strbuf_add(out, s + i, n);
		}
		i += n;
	}
}

int obl_utf8_csv_formula(const char *s)
{
	if (!s || !strchr("=+-@\t\r", s[0]) || !s[0])
		return 0;
	if (s[0] == '+' || s[0] == '-') { /* "-1.5", "+3.2e-4": a number, not a formula */
		char *end;
		(void)strtod(s, &end);
		if (end != s && *end == 0)
			return 0;
	}
	return 1;
}

void obl_utf8_add_csv(struct obl_strbuf *out, const char *s)
{
	s = s ? s : "";
	int formula = obl_utf8_csv_formula(s);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		obl_strbuf_addstr(out, s);
		return;
	}
	obl_strbuf_addch(out, '"');
	if (formula)
		obl_strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			obl_strbuf_addch(out, '"');
		obl_strbuf_addch(out, *s);
	}
	obl_strbuf_addch(out, '"');
}
