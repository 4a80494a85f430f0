/*
 * error.h - the error context that travels down a call and is printed once, by main.
 *
 * A diagnostic names what a user needs to find the problem: the file, the position
 * (line and column, or byte offset), the field, and what was wrong.
 */
#ifndef OBL_ERROR_H
#define OBL_ERROR_H

#include <stdio.h>

/* Status codes; the tool maps them onto exit codes (DESIGN.md section 5). */
enum obl_status {
	OBL_OK = 0,
	OBL_EUSAGE = -1, /* bad command line: exit 2 */
	OBL_EINPUT = -2, /* unreadable, malformed or inconsistent input: exit 3 */
	OBL_ENOMEM = -3, /* out of memory: exit 3 */
	OBL_EIO = -4,    /* I/O or database failure: exit 3 */
};

struct obl_error {
	int status;        /* OBL_OK while no error is recorded */
	char file[1024];   /* "" if not about a file; "-" for stdin */
	long line, column; /* 1-based; 0 if unknown */
	long long offset;  /* byte offset, -1 if unknown (used when there are no lines) */
	char field[256];   /* the field or token at fault, "" if none */
	char message[1024];
};

/* On a function whose status must be checked: ignoring its result is a compiler warning (an
 * error in CI). Used on every function that returns an OBL_* status. */
#define OBL_MUST_CHECK __attribute__((warn_unused_result))

/* Clears err (status OBL_OK). */
void obl_error_clear(struct obl_error *err);

/* Records an error and returns status, so that callers can write `return obl_error_set(...)`.
 * file and field may be NULL. The message is printf-formatted. The first error wins: a
 * later call does not overwrite a recorded one. */
int obl_error_set(struct obl_error *err, int status, const char *file, long line,
		  const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Adds a position to a recorded error (column; or byte offset when line is 0). */
void obl_error_position(struct obl_error *err, long line, long column, long long offset);

/* Prints "prog: file:line:column: 'field': message" (parts that are unknown left out). */
void obl_error_print(const struct obl_error *err, const char *prog, FILE *out);

/* The exit code for a status: 0, 2 for usage, 3 for everything else. */
int obl_exit_code(int status);

#endif
