/*
 * read_csv.c - generic CSV with a header row: each row is a record, columns are fields
 * (rules in records.h; --column COL=METRIC[:UNIT], COL=@KEY or COL=- maps them).
 */
#include <string.h>

#include "csv_table.h"
#include "records.h"

static int detect(const struct obl_file *f)
{
	const char *eol = memchr(f->data, '\n', f->len);
	size_t n = eol ? (size_t)(eol - f->data) : f->len;
	char c = obl_first_char(f);
	if (c == '{' || c == '[')
		return 0; /* JSON, whatever its layout: never sniffed as CSV */
	return n > 0 && memchr(f->data, ',', n) ? 20 : 0;
}

/* "1,5", "-12,75": a number written with a decimal comma (a quoted CSV cell, or a headerless
 * file split at its commas). */
static int decimal_comma(const char *s)
{
	s += *s == '-';
	const char *digits = s;
	while (*s >= '0' && *s <= '9')
		s++;
	if (s == digits || *s++ != ',')
		return 0;
	digits = s;
	while (*s >= '0' && *s <= '9')
		s++;
	return s > digits && !*s;
}

static int all_numbers(const struct obl_csv_row *row)
{
	for (size_t c = 0; c < row->n; c++) {
		double v;
		const char *text = row->fields[c];
		if (!text[0] || obl_parse_double(text, text + strlen(text), &v))
			return 0;
	}
	return row->n > 0;
}

static int read_csv(const struct obl_file *f, const struct obl_read_options *opt,
		    struct obl_batch *b, struct obl_error *err)
{
	struct obl_csv_table t;
	int rc = obl_csv_load(f, &t, err);
	if (rc)
		return rc;
	struct obl_records rs = { 0 };
	if (t.n < 2)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "expected a header row and at least one row of values");
	const struct obl_csv_row *head = t.n ? &t.rows[0] : NULL;
	/* A header of numbers is no header: "1,5" lines are decimal commas (or a headerless
	 * file); either way, column names made of numbers would be invented metrics. */
	if (!rc && all_numbers(head))
		rc = obl_error_set(err, OBL_EINPUT, f->path, head->line, NULL,
				   "the first row is numbers, not column names: numbers with decimal "
				   "commas ('%s,%s'?) or a file without a header; obl reads decimal "
				   "points only",
				   head->fields[0], head->n > 1 ? head->fields[1] : "");
	for (size_t r = 1; !rc && r < t.n; r++) {
		const struct obl_csv_row *row = &t.rows[r];
		if (row->n != head->n) {
			rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, NULL,
					   "%zu fields, but the header has %zu", row->n, head->n);
			break;
		}
		struct obl_record *rec = obl_records_new(&rs, row->line);
		if (!rec) {
			rc = obl_error_set(err, OBL_ENOMEM, f->path, row->line, NULL, "out of memory");
			break;
		}
		for (size_t c = 0; !rc && c < row->n; c++) {
			const char *text = row->fields[c];
			double v = 0;
			int number = text[0] && obl_parse_double(text, text + strlen(text), &v) == 0;
			if (text[0] && obl_parse_double(text, text + strlen(text), &v) == -2)
				rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, head->fields[c],
						   "not a finite number: '%s'", text);
			else if (!number && decimal_comma(text))
				rc = obl_error_set(err, OBL_EINPUT, f->path, row->line, head->fields[c],
						   "'%s' has a decimal comma: obl reads decimal "
						   "points only",
						   text);
			else if (text[0] &&
				 obl_record_add(rec, head->fields[c], text, number, v))
				rc = obl_error_set(err, OBL_ENOMEM, f->path, row->line, NULL,
						   "out of memory");
		}
	}
	if (!rc)
		rc = obl_records_to_batch(&rs, opt, f->path, b, err);
	obl_records_free(&rs);
	obl_csv_free(&t);
	return rc;
}

const struct obl_reader obl_reader_csv = {
	"csv",
	"generic CSV with a header row (--column COL=METRIC[:UNIT] | COL=@KEY | COL=-)",
	detect,
	read_csv,
	NULL,
};
