/*
 * utf8.h - the one place obl decodes, checks, measures and escapes UTF-8 (libutf8proc does the
 * decoding and the character widths).
 *
 * Text from inputs (labels, tags, scenario keys and values, metric names, units, tokens quoted
 * in messages) is checked on the way in with obl_utf8_check and escaped on the way out for
 * its destination: obl_utf8_add_terminal for a terminal or a CI log, obl_utf8_add_markdown,
 * obl_utf8_csv_formula; JSON strings are escaped by cJSON (json_write.c, which first makes
 * stray bytes characters U+0080..U+00FF) and XML text in strbuf.c.
 */
#ifndef OBL_UTF8_H
#define OBL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Decodes the code point at s (len bytes available). Returns its length in bytes (1..4), or 0
 * when s does not start a valid sequence: overlong forms, surrogates, code points past
 * U+10FFFF, stray continuation bytes and truncated sequences are all invalid. */
size_t obl_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp (at most U+10FFFF, not a surrogate) into out[4]; returns the bytes written, or
 * 0 for an invalid code point. */
size_t obl_utf8_encode(uint32_t cp, char out[4]);

/* The text policy for stored text: 0 when s is valid UTF-8 without control characters (C0,
 * DEL, C1; tab and newline are allowed when allow_tab_newline). Otherwise 1 for invalid
 * UTF-8 or 2 for a control character, with *at the 0-based byte offset and *byte the byte
 * (for invalid UTF-8) or code point (for a control character) at fault. */
int obl_utf8_check(const char *s, size_t len, int allow_tab_newline, size_t *at, uint32_t *byte);

/* 1 if cp is a control character for the text policy: C0 (below U+0020), DEL and C1
 * (U+0080..U+009F). */
int obl_utf8_is_control(uint32_t cp);

/* 1 if cp reorders or hides text on display (bidirectional overrides and isolates, U+200E/F,
 * U+2028/9): the terminal escaping shows those as \u{...} too ("Trojan Source"). */
int obl_utf8_is_bidi_control(uint32_t cp);

/* Columns s[0..len) takes on a terminal: East Asian wide and fullwidth characters count 2,
 * combining marks and zero-width characters 0, invalid bytes 1 each. */
size_t obl_utf8_width(const char *s, size_t len);

/* Appends s for a terminal or a CI log: control characters as \x1b (\u{202e} for bidi
 * controls), invalid bytes as \xff, and "::" or "##[" at the start (after blanks) broken as
 * "\x3a:" / "\x23#[" so that the text cannot start a GitHub workflow command. */
void obl_utf8_add_terminal(struct obl_strbuf *out, const char *s);

/* The same for s[0..len). */
void obl_utf8_add_terminal_n(struct obl_strbuf *out, const char *s, size_t len);

/* Appends s for Markdown text or a table cell (GitHub-flavoured), so that it shows as the
 * text it is: what makes links, images, emphasis, code, math, tables and HTML (\ ` * ~ $ |, the ]
 * of "](", "][" and "]:", _ at a word's edge, a leading + - = # that would
 * make a list, a rule or a heading) is backslash-escaped, & < > become entities, control
 * characters show as in obl_utf8_add_terminal, and tab and newline become spaces. */
void obl_utf8_add_markdown(struct obl_strbuf *out, const char *s);

/* 1 if a CSV cell starting with s would be taken for a formula by a spreadsheet (it starts
 * with = + - @, tab or carriage return), unless it is a plain number such as "-1.5". */
int obl_utf8_csv_formula(const char *s);
/* s as one CSV cell (RFC 4180): quoted when it holds , " CR or LF (quotes doubled); one a
 * spreadsheet would run as a formula gets a leading ' inside quotes, as OWASP recommends.
 * NULL is an empty cell. */
void obl_utf8_add_csv(struct obl_strbuf *out, const char *s);

#endif
