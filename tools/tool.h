/*
 * tool.h - what every obl tool's main does the same way: set up, print errors, write output.
 */
#ifndef OBL_TOOL_H
#define OBL_TOOL_H

#include "error.h"
#include "strbuf.h"

/* Takes the password out of every PostgreSQL connection string among the arguments (and out
 * of what ps(1) shows): the tool then only ever sees, and prints, the string without it;
 * the store connects with the full one (obl_store_hide_password). Call before parsing. */
void obl_tool_hide_passwords(int argc, char **argv);
/* Process set-up shared by the tools (GSL must report errors, never abort). */
void obl_tool_init(void);

/* The heap policy (heap.c): grow in 64 MiB steps offered for transparent huge pages. Called
 * by obl_tool_init, before any thread. */
void obl_tool_heap_setup(void);

/* 1 if coloured output suits stdout (a terminal, NO_COLOR unset, TERM not "dumb"). */
int obl_tool_color(void);

/* Writes the buffer to stdout; returns OBL_OK, or OBL_EIO (with err set) on a failed write. */
OBL_MUST_CHECK int obl_tool_write(const struct obl_strbuf *sb, struct obl_error *err);

/* Writes the buffer to path whole or not at all: into a temporary file beside it, then
 * renamed over it. */
OBL_MUST_CHECK int obl_tool_write_file(const char *path, const struct obl_strbuf *sb, struct obl_error *err);

/* 1 if the two paths name the same file (device and inode), so that a run compared with
 * itself can be warned about. */
int obl_tool_same_file(const char *a, const char *b);

/* Warns on stderr about every candidate side that is the baseline itself (same file and
 * same run label): such a comparison can only find noise. */
void obl_tool_warn_self(const char *prog, const char *const *paths, const char *const *labels,
			size_t n);

/* The --scenario KEY=VALUE arguments as a filter: *kv, args->n pairs of copied strings (free
 * with obl_kv_free). An OBL_EUSAGE error names an argument that is not KEY=VALUE. */
struct obl_string_list;
struct obl_kv;
OBL_MUST_CHECK int obl_tool_scenario_filter(const struct obl_string_list *args, struct obl_kv **kv,
					    struct obl_error *err);

#endif
