/*
 * read_plain.h - columns of plain numbers, as ministat reads them.
 */
#ifndef OBL_READ_PLAIN_H
#define OBL_READ_PLAIN_H

#include "error.h"
#include "input.h"

struct obl_plain_options {
	long column;            /* 1-based column to read */
	const char *delimiters; /* field separators; NULL means blanks (space and tab) */
};

/*
 * Reads the chosen column of every line of f into out (appending). Lines that are blank or
 * start with '#' (after leading blanks) are skipped, and so is anything after a '#'. If the
 * first other line's field is not a number, that line is a header and is skipped too.
 * A token that is not a finite number, or a line without the column, is an OBL_EINPUT error
 * naming the file, line, column and token. Nothing is appended on error.
 */
OBL_MUST_CHECK int obl_read_plain(const struct obl_file *f, const struct obl_plain_options *opt,
				  struct obl_values *out, struct obl_error *err);

/* Reads the file at path ("-" = stdin) and its chosen column into out (replacing its
 * content). A file without any number is an OBL_EINPUT error. */
OBL_MUST_CHECK int obl_load_plain(const char *path, const struct obl_plain_options *opt,
				  struct obl_values *out, struct obl_error *err);

#endif
