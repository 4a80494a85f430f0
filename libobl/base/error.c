/*
 * error.c - recording and printing diagnostics (see error.h).
 */
#include "error.h"
#include "strbuf.h"
#include "utf8.h"

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

/* The file name, the field and the message can all carry text from an input (a token, a key):
 * the line is escaped for a terminal or a CI log as a whole (utf8.h), so no control character,
 * invalid byte or workflow command reaches stderr. */
void obl_error_print(const struct obl_error *err, const char *prog, FILE *out)
{
	struct obl_strbuf line;
	obl_strbuf_init(&line);
	obl_strbuf_addf(&line, "%s: ", prog);
	if (err->file[0]) {
		obl_utf8_add_terminal(&line, err->file);
		obl_strbuf_addch(&line, ':');
		if (err->line > 0) {
			obl_strbuf_addf(&line, "%ld:", err->line);
			if (err->column > 0)
				obl_strbuf_addf(&line, "%ld:", err->column);
		} else if (err->offset >= 0) {
			obl_strbuf_addf(&line, "byte %lld:", err->offset);
		}
		obl_strbuf_addch(&line, ' ');
	}
	if (err->field[0]) {
		obl_strbuf_addch(&line, '\'');
		obl_utf8_add_terminal(&line, err->field);
		obl_strbuf_addstr(&line, "': ");
	}
	obl_utf8_add_terminal(&line, err->message);
	obl_strbuf_addch(&line, '\n');
	if (obl_strbuf_failed(&line))
		fprintf(out, "%s: %s\n", prog, "out of memory printing an error");
	else
		fwrite(line.buf, 1, line.len, out);
	obl_strbuf_release(&line);
}

int obl_exit_code(int status)
{
	if (status == OBL_OK)
		return 0;
	return status == OBL_EUSAGE ? 2 : 3;
}
