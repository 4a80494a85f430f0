/*
 * csv_table.h - a CSV file (RFC 4180, via libcsv) as rows of text fields with line numbers,
 * for the CSV-based readers.
 */
#ifndef OBL_CSV_TABLE_H
#define OBL_CSV_TABLE_H

#include <stddef.h>

#include "error.h"
#include "input.h"

struct obl_csv_row {
	char **fields;
	size_t n;
	long line;
};

struct obl_csv_table {
	struct obl_csv_row *rows;
	size_t n;
};

/* Parses f (comma-separated; blank lines skipped). Fields are trimmed of surrounding blanks. */
OBL_MUST_CHECK int obl_csv_load(const struct obl_file *f, struct obl_csv_table *t, struct obl_error *err);
void obl_csv_free(struct obl_csv_table *t);

#endif
