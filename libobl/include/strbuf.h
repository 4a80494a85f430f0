/*
 * strbuf.h - a growable, always NUL-terminated string buffer (after git's strbuf).
 *
 * Functions never fail silently: on allocation failure the buffer is marked failed, later
 * appends are ignored, and obl_strbuf_failed() reports it, so callers check once at the end.
 */
#ifndef OBL_STRBUF_H
#define OBL_STRBUF_H

#include <stddef.h>

struct obl_strbuf {
	char *buf; /* NUL-terminated; never NULL after init */
	size_t len, alloc;
	int failed;
};

void obl_strbuf_init(struct obl_strbuf *sb);
void obl_strbuf_release(struct obl_strbuf *sb); /* frees; sb is empty again */
void obl_strbuf_reset(struct obl_strbuf *sb);   /* length 0, memory kept */
void obl_strbuf_add(struct obl_strbuf *sb, const void *data, size_t len);
void obl_strbuf_addstr(struct obl_strbuf *sb, const char *s);
void obl_strbuf_addch(struct obl_strbuf *sb, char c);
void obl_strbuf_addf(struct obl_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Text for XML, HTML or SVG: & < > " escaped, control characters other than tab and
 * newline (which XML cannot carry) as spaces, invalid UTF-8 bytes as U+FFFD (a document with
 * them is not well-formed). */
void obl_strbuf_add_xml(struct obl_strbuf *sb, const char *s);
/* Appends the shortest decimal that reads back to exactly v ("null" for non-finite v): the
 * numbers of JSON and CSV output. */
void obl_strbuf_add_double(struct obl_strbuf *sb, double v);
/* The same text in text[] (returned). */
enum { OBL_DOUBLE_TEXT = 40 };
const char *obl_double_text(double v, char text[OBL_DOUBLE_TEXT]);
int obl_strbuf_failed(const struct obl_strbuf *sb);
/* Hands the buffer to the caller (who frees it); sb is empty again. */
char *obl_strbuf_detach(struct obl_strbuf *sb, size_t *len);

#endif
