/*
 * error.c - recording and printing diagnostics (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <string.h>

void obl_error_clear(struct obl_error *err)
{
	memset(err, 0, sizeof *err);
	err->offset = -1;
}

int obl_error_set(struct obl_error *err, int status, const char *file, long line,
		  const char *field, const char *fmt, ...)
{
	if (!err || err->status != OBL_OK)
		return status;
	err->status = status;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->column = 0;
	err->offset = -1;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return status;
}

void obl_error_position(struct obl_error *err, long line, long column, long long offset)
{
	if (line)
		err->line = line;
	err->column = column;
	err->offset = offset;
}

void obl_error_print(const struct obl_error *err, const char *prog, FILE *out)
{
	fprintf(out, "%s: ", prog);
	if (err->file[0]) {
		fprintf(out, "%s:", err->file);
		if (err->line > 0) {
			fprintf(out, "%ld:", err->line);
			if (err->column > 0)
				fprintf(out, "%ld:", err->column);
		} else if (err->offset >= 0) {
			fprintf(out, "byte %lld:", err->offset);
		}
		fputc(' ', out);
	}
	if (err->field[0])
		fprintf(out, "'%s': ", err->field);
	fprintf(out, "%s\n", err->message);
}

int obl_exit_code(int status)
{
	if (status == OBL_OK)
		return 0;
	return status == OBL_EUSAGE ? 2 : 3;
}
