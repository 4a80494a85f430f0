/*
 * obl-runs - the runs of an obl database: list them (tags, dates, scenarios, value counts),
 * remove one, or rename one. Each change is one transaction: all or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "render.h"
#include "store.h"
#include "suggest.h"
#include "summarize.h"
#include "tool.h"
#include "utf8.h"

/* A cell of text from the database, escaped for the terminal (utf8.h). */
static void add_text(struct obl_table *t, const char *s)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_utf8_add_terminal(&sb, s ? s : "");
	obl_table_add(t, sb.buf);
	obl_strbuf_release(&sb);
}

static void list_runs(const struct obl_run_info *runs, size_t n, struct obl_strbuf *out)
{
	struct obl_table t;
	obl_table_init(&t, 8, "llrrrrll");
	const char *head[] = { "run", "created", "files", "scenarios", "metrics", "values",
			       "last ingest", "tags" };
	for (size_t i = 0; i < 8; i++)
		obl_table_add(&t, head[i]);
	for (size_t i = 0; i < n; i++) {
		char num[4][32];
		snprintf(num[0], sizeof num[0], "%zu", runs[i].sources);
		snprintf(num[1], sizeof num[1], "%zu", runs[i].scenarios);
		snprintf(num[2], sizeof num[2], "%zu", runs[i].metrics);
		snprintf(num[3], sizeof num[3], "%lld", runs[i].values);
		add_text(&t, runs[i].label);
		add_text(&t, runs[i].created);
		for (int k = 0; k < 4; k++)
			obl_table_add(&t, num[k]);
		add_text(&t, runs[i].last_ingest);
		add_text(&t, runs[i].tags);
	}
	obl_table_print(&t, out, "");
	obl_table_release(&t);
}

int main(int argc, char **argv)
{
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
	int quiet = 0;
	const struct obl_option options[] = {
		{ 'q', "quiet", NULL, "print nothing on success (remove, rename)", OBL_OPT_FLAG,
		  &quiet, NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-runs",
		"[options] DB [list]\n"
		"       obl-runs [options] DB remove LABEL\n"
		"       obl-runs [options] DB rename OLD NEW\n"
		"       obl-runs [options] DB labels | metrics   (one name a line, for scripts and "
		"completion)",
		"The runs of an obl database: list them (creation and last ingest, files,\n"
		"scenarios, metrics, values, tags), remove one with everything stored for it, or\n"
		"rename one. A change is one transaction: all or nothing. Exit status: 0 success,\n"
		"2 usage error (an unknown run names the closest one), 3 bad input.",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list args = { 0 };
	struct obl_store *store = NULL;
	struct obl_run_info *runs = NULL;
	size_t n = 0;
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	int rc = obl_parse_options(&cmd, argc, argv, &args, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (rc)
		goto done;
	const char *verb = args.n >= 2 ? args.items[1] : "list";
	static const char *const verbs[] = { "list", "remove", "rename", "labels", "metrics" };
	int names = !strcmp(verb, "labels") ? 1 : !strcmp(verb, "metrics") ? 2
									   : 0;
	size_t want = !strcmp(verb, "list") || names ? 1 : !strcmp(verb, "remove") ? 3
										   : 4;
	if (args.n == 0) {
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "name a database; see obl-runs --help");
	} else if (strcmp(verb, "list") && strcmp(verb, "remove") && strcmp(verb, "rename") &&
		   !names) {
		const char *near = obl_suggest(verb, verbs, 5);
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, verb,
				   near ? "expected list, remove, rename, labels or metrics; did you "
					  "mean %s?"
					: "expected list, remove, rename, labels or metrics%s",
				   near ? near : "");
	} else if (args.n != want && !(want == 1 && args.n == 2)) {
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, verb, "expected %s",
				   want == 1   ? "obl-runs DB [list]"
				   : want == 3 ? "obl-runs DB remove LABEL"
					       : "obl-runs DB rename OLD NEW");
	} else if (!obl_is_database(args.items[0])) {
		rc = obl_error_set(&err, OBL_EINPUT, args.items[0], 0, NULL,
				   "no obl database here (obl-ingest makes one)");
	}
	if (!rc)
		rc = obl_store_open(args.items[0], want == 1 ? OBL_STORE_READ : OBL_STORE_WRITE, &store, &err);
	if (rc)
		goto done;
	if (names) {
		char **list = NULL;
		size_t nl = 0;
		rc = names == 1 ? obl_store_runs(store, &list, &nl, &err)
				: obl_store_metric_names(store, &list, &nl, &err);
		for (size_t i = 0; i < nl; i++) {
			if (!rc)
				obl_strbuf_addf(&out, "%s\n", list[i]);
			free(list[i]);
		}
		free(list);
	} else if (want == 1) {
		rc = obl_store_run_list(store, &runs, &n, &err);
		if (!rc)
			list_runs(runs, n, &out);
	} else if (want == 3) {
		rc = obl_store_run_remove(store, args.items[2], &err);
		if (!rc && !quiet)
			obl_strbuf_addf(&out, "%s: run %s removed\n", args.items[0], args.items[2]);
	} else {
		rc = obl_store_run_rename(store, args.items[2], args.items[3], &err);
		if (!rc && !quiet)
			obl_strbuf_addf(&out, "%s: run %s renamed %s\n", args.items[0],
					args.items[2], args.items[3]);
	}
	if (!rc)
		rc = obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_run_info_free(runs, n);
	obl_store_close(store);
	obl_strbuf_release(&out);
	obl_string_list_release(&args);
	return obl_exit_code(rc);
}
