/*
 * read_plain.c - the plain-numbers reader: one number per line, or a chosen column of
 * delimited lines, '#' comments and blank lines skipped (ministat's input).
 */
#include "read_plain.h"

#include "reader.h"

#include <string.h>

int obl_read_plain(const struct obl_file *f, const struct obl_plain_options *opt,
		   struct obl_values *out, struct obl_error *err)
{
	const char *delims = opt && opt->delimiters ? opt->delimiters : " \t";
	long column = opt && opt->column > 0 ? opt->column : 1;
	int is_delim[256] = { 0 };
	for (const unsigned char *d = (const unsigned char *)delims; *d; d++)
		is_delim[*d] = 1;
	is_delim['\r'] = 1;                    /* CRLF files */
	int blanks = !opt || !opt->delimiters; /* runs of blanks are one separator */

	size_t start_n = out->n;
	const char *p = f->data, *end = f->data + f->len;
	long line = 0;
	int seen_data = 0;
	while (p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *hash = memchr(p, '#', (size_t)(eol - p));
		const char *stop = hash ? hash : eol;
		/* Skip a line with nothing but separators. */
		const char *q = p;
		while (q < stop && (is_delim[(unsigned char)*q] || *q == ' ' || *q == '\t'))
			q++;
		if (q == stop) {
			p = eol + 1;
			continue;
		}
		/* Find the column-th field. */
		const char *tok = blanks ? q : p, *tok_end = NULL;
		long field = 0;
		for (;;) {
			tok_end = tok;
			while (tok_end < stop && !is_delim[(unsigned char)*tok_end])
				tok_end++;
			if (++field == column)
				break;
			if (tok_end >= stop) {
				tok = NULL;
				break;
			}
			tok = tok_end + 1;
			if (blanks)
				while (tok < stop && is_delim[(unsigned char)*tok])
					tok++;
			if (tok >= stop) {
				tok = NULL;
				break;
			}
		}
		if (!tok) {
			out->n = start_n;
			obl_error_set(err, OBL_EINPUT, f->path, line, NULL,
				      "no column %ld (the line has %ld)", column, field);
			return err->status;
		}
		/* Trim blanks around a delimited field (e.g. "1, 2"). */
		while (tok < tok_end && (*tok == ' ' || *tok == '\t'))
			tok++;
		while (tok_end > tok && (tok_end[-1] == ' ' || tok_end[-1] == '\t' || tok_end[-1] == '\r'))
			tok_end--;
		double v;
		int rc = obl_parse_double(tok, tok_end, &v);
		if (rc == -1 && !seen_data) {
			/* A first line whose field is not a number is a header ("ms", "ttft"). */
			seen_data = 1;
			p = eol + 1;
			continue;
		}
		seen_data = 1;
		if (rc) {
			char shown[64];
			int len = (int)(tok_end - tok);
			snprintf(shown, sizeof shown, "%.*s%s", len > 40 ? 40 : len, tok,
				 len > 40 ? "..." : "");
			out->n = start_n;
			obl_error_set(err, OBL_EINPUT, f->path, line, shown,
				      rc == -2 ? "not a finite number (NaN and infinity are not data)"
					       : "not a number");
			obl_error_position(err, line, (long)(tok - p) + 1, -1);
			return err->status;
		}
		if (obl_values_push(out, v)) {
			out->n = start_n;
			return obl_error_set(err, OBL_ENOMEM, f->path, line, NULL, "out of memory");
		}
		p = eol + 1;
	}
	return OBL_OK;
}

int obl_load_plain(const char *path, const struct obl_plain_options *opt,
		   struct obl_values *out, struct obl_error *err)
{
	struct obl_file f;
	out->n = 0;
	int rc = obl_file_read(path, &f, err);
	if (rc)
		return rc;
	rc = obl_read_plain(&f, opt, out, err);
	if (!rc && out->n == 0)
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				   f.len ? "no numbers found (only blank lines and comments)"
					 : "empty file: no numbers");
	obl_file_release(&f);
	return rc;
}

static int detect_plain(const struct obl_file *f)
{
	char c = obl_first_char(f);
	return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '#' ? 5 : 0;
}

static int read_plain_batch(const struct obl_file *f, const struct obl_read_options *opt,
			    struct obl_batch *b, struct obl_error *err)
{
	struct obl_plain_options po = { opt && opt->column > 0 ? opt->column : 1,
					opt ? opt->delimiters : NULL };
	struct obl_trial_data *t = obl_batch_trial(b);
	const char *metric = opt && opt->metric ? opt->metric : "value";
	struct obl_series *s =
		t ? obl_trial_series(t, metric, opt && opt->unit ? opt->unit : "", OBL_KIND_SAMPLE)
		  : NULL;
	if (!s)
		return obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	int rc = obl_read_plain(f, &po, &s->values, err);
	if (!rc && s->values.n == 0)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL, "no numbers found");
	return rc;
}

const struct obl_reader obl_reader_plain = {
	"plain",
	"plain numbers, one per line or a column of delimited lines (--metric names them)",
	detect_plain,
	read_plain_batch,
	NULL,
};
