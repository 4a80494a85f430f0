/*
 * input.h - reading whole input files, and parsing decimal numbers fast and exactly.
 */
#ifndef OBL_INPUT_H
#define OBL_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* A file's whole content: data[0..len), not NUL-terminated (regular files are mapped). */
struct obl_file {
	char *data;
	size_t len;
	const char *path; /* as given; "-" is stdin */
	int mapped;       /* data is an mmap of the file */
};

/* Reads path ("-" = stdin) into memory, or maps it. A directory, a missing or unreadable file is an
 * OBL_EINPUT error naming the path. Free with obl_file_release. */
OBL_MUST_CHECK int obl_file_read(const char *path, struct obl_file *out, struct obl_error *err);

/* Lets the kernel drop the pages of data[from, to) of a mapped file (struct obl_file.mapped):
 * a reader that has consumed them keeps the file's size out of its peak memory. They are read
 * again from the file if touched again, so the data never changes. Only whole pages inside
 * the range are dropped. */
void obl_file_drop(const char *data, size_t from, size_t to);
void obl_file_release(struct obl_file *f);

/* The bound on the size of an input, in bytes (0: the default, 1 GiB): a process setting the
 * tools make once at start-up, before any file is read. */
void obl_input_set_limit(size_t bytes);

/*
 * Parses the decimal number in [s, end) exactly as strtod would (the same double), with a
 * fast path for the common short decimals. Returns 0 on success, -1 if the text is not a
 * number, -2 if it is NaN or infinite (or overflows).
 */
int obl_parse_double(const char *s, const char *end, double *out);

/* A growable array of doubles. */
struct obl_values {
	double *v;
	size_t n, alloc;
};

OBL_MUST_CHECK int obl_values_push(struct obl_values *values, double v);
void obl_values_release(struct obl_values *values);

#endif
