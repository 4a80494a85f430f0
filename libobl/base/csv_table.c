/*
 * csv_table.c - loading a CSV file with libcsv (see csv_table.h).
 */
#include "csv_table.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct loader {
	struct obl_csv_table *t;
	struct obl_csv_row row;
	long line;       /* line where the current row starts */
	long lines_seen; /* newlines consumed so far */
	int failed;
};

static void on_field(void *s, size_t len, void *data)
{
	struct loader *l = data;
	if (l->failed)
		return;
	const char *p = s ? s : "";
	while (len > 0 && (*p == ' ' || *p == '\t'))
		p++, len--;
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	char *copy = malloc(len + 1);
	char **fields = realloc(l->row.fields, (l->row.n + 1) * sizeof *fields);
	if (!copy || !fields) {
		free(copy);
		if (fields)
			l->row.fields = fields;
		l->failed = 1;
		return;
	}
	memcpy(copy, p, len);
	copy[len] = 0;
	l->row.fields = fields;
	fields[l->row.n++] = copy;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct loader *l = data;
	if (l->failed)
		return;
	int blank = l->row.n == 0 || (l->row.n == 1 && l->row.fields[0][0] == 0);
	if (blank) {
		for (size_t i = 0; i < l->row.n; i++)
			free(l->row.fields[i]);
		free(l->row.fields);
	} else {
		struct obl_csv_row *rows = realloc(l->t->rows, (l->t->n + 1) * sizeof *rows);
		if (!rows) {
			l->failed = 1;
			return;
		}
		l->t->rows = rows;
		l->row.line = l->line;
		rows[l->t->n++] = l->row;
	}
	memset(&l->row, 0, sizeof l->row);
}

int obl_csv_load(const struct obl_file *f, struct obl_csv_table *t, struct obl_error *err)
{
	memset(t, 0, sizeof *t);
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	struct loader l = { t, { 0 }, 1, 0, 0 };
	/* Feed line by line so that each row knows the line it starts on. */
	const char *s = f->data, *end = f->data + f->len;
	int rc = OBL_OK;
	while (s < end && !l.failed) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t len = eol ? (size_t)(eol - s) + 1 : (size_t)(end - s);
		size_t rows_before = t->n;
		int in_row = l.row.n > 0;
		if (csv_parse(&p, s, len, on_field, on_row, &l) != len) {
			rc = obl_error_set(err, OBL_EINPUT, f->path, l.lines_seen + 1, NULL,
					   "malformed CSV: %s", csv_strerror(csv_error(&p)));
			break;
		}
		l.lines_seen++;
		if (t->n > rows_before || !in_row)
			l.line = l.lines_seen + 1;
		s += len;
	}
	if (!rc && csv_fini(&p, on_field, on_row, &l) != 0)
		rc = obl_error_set(err, OBL_EINPUT, f->path, l.lines_seen, NULL,
				   "malformed CSV at the end of the file: %s",
				   csv_strerror(csv_error(&p)));
	csv_free(&p);
	for (size_t i = 0; i < l.row.n; i++)
		free(l.row.fields[i]);
	free(l.row.fields);
	if (!rc && l.failed)
		rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	if (rc)
		obl_csv_free(t);
	return rc;
}

void obl_csv_free(struct obl_csv_table *t)
{
	for (size_t r = 0; r < t->n; r++) {
		for (size_t i = 0; i < t->rows[r].n; i++)
			free(t->rows[r].fields[i]);
		free(t->rows[r].fields);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}
