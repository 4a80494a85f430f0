/*
 * strbuf.c - the growable string buffer (see strbuf.h).
 */
#include "strbuf.h"
#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void obl_strbuf_init(struct obl_strbuf *sb)
{
	sb->buf = empty_string;
	sb->len = sb->alloc = 0;
	sb->failed = 0;
}

void obl_strbuf_release(struct obl_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	obl_strbuf_init(sb);
}

void obl_strbuf_reset(struct obl_strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = 0;
}

static int grow(struct obl_strbuf *sb, size_t extra)
{
	if (sb->failed)
		return 0;
	if (sb->len + extra + 1 <= sb->alloc)
		return 1;
	size_t want = sb->alloc ? sb->alloc : 64;
	while (want < sb->len + extra + 1) {
		if (want > ((size_t)-1) / 2) {
			sb->failed = 1;
			return 0;
		}
		want *= 2;
	}
	char *p = realloc(sb->alloc ? sb->buf : NULL, want);
	if (!p) {
		sb->failed = 1;
		return 0;
	}
	if (!sb->alloc)
		p[0] = 0;
	sb->buf = p;
	sb->alloc = want;
	return 1;
}

void obl_strbuf_add(struct obl_strbuf *sb, const void *data, size_t len)
{
	if (!grow(sb, len))
		return;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = 0;
}

void obl_strbuf_addstr(struct obl_strbuf *sb, const char *s)
{
	obl_strbuf_add(sb, s, strlen(s));
}

void obl_strbuf_addch(struct obl_strbuf *sb, char c)
{
	obl_strbuf_add(sb, &c, 1);
}

void obl_strbuf_addf(struct obl_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *obl_double_text(double v, char text[OBL_DOUBLE_TEXT])
{
	if (!isfinite(v))
		return strcpy(text, "null");
	if (v == 0)
		return strcpy(text, signbit(v) ? "-0" : "0");
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(text, OBL_DOUBLE_TEXT, "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	return text;
}

void obl_strbuf_add_double(struct obl_strbuf *sb, double v)
{
	char text[OBL_DOUBLE_TEXT];
	obl_strbuf_addstr(sb, obl_double_text(v, text));
}

int obl_strbuf_failed(const struct obl_strbuf *sb)
{
	return sb->failed;
}

char *obl_strbuf_detach(struct obl_strbuf *sb, size_t *len)
{
	char *p;
	if (sb->alloc) {
		p = sb->buf;
	} else {
		p = malloc(1);
		if (p)
			p[0] = 0;
	}
	if (len)
		*len = sb->len;
	obl_strbuf_init(sb);
	return p;
}

void obl_strbuf_add_xml(struct obl_strbuf *sb, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = obl_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {                                  /* invalid UTF-8 would make the document ill-formed */
			obl_strbuf_addstr(sb, "\xEF\xBF\xBD"); /* U+FFFD */
			i++;
			continue;
		}
		switch (cp) {
		case '&': obl_strbuf_addstr(sb, "&amp;"); break;
		case '<': obl_strbuf_addstr(sb, "&lt;"); break;
		case '>': obl_strbuf_addstr(sb, "&gt;"); break;
		case '"': obl_strbuf_addstr(sb, "&quot;"); break;
		default:
			if (cp < 0x20 && cp != '\t' && cp != '\n')
				obl_strbuf_addch(sb, ' ');
			else
				obl_strbuf_add(sb, s + i, n);
		}
		i += n;
	}
}
