/*
 * obl-stats - describe samples: n, centre, spread, tails and their confidence intervals.
 * Reads an obl database (per run x scenario x metric) or columns of plain numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "options.h"
#include "read_plain.h"
#include "render.h"
#include "summarize.h"
#include "tool.h"
#include "utf8.h"

static const char *const formats[] = { "text", "json", "csv", "md", NULL };

/* obl-stats DB: describe the stored groups matching the filter. */
static int stats_database(const char *path, const struct obl_store_filter *filter,
			  double confidence, int format, struct obl_strbuf *out,
			  struct obl_error *err)
{
	struct obl_store *store = NULL;
	struct obl_group *groups = NULL;
	struct obl_stats_row *rows = NULL;
	size_t n = 0;
	int rc = obl_store_open(path, OBL_STORE_READ, &store, err);
	if (!rc)
		rc = obl_store_groups(store, filter, &groups, &n, err);
	if (!rc && n == 0)
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				   "no values match (see --run, --metric, --scenario)");
	if (!rc && !(rows = calloc(n, sizeof *rows)))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc)
		rc = obl_summarize_groups(groups, n, confidence, rows, err);
	if (!rc) {
		const struct obl_render_options ro = { .color = obl_tool_color() };
		switch (format) {
		case OBL_FORMAT_JSON: obl_render_stats_json(out, rows, n, &ro); break;
		case OBL_FORMAT_CSV: obl_render_stats_csv(out, rows, n, &ro); break;
		case OBL_FORMAT_MD: obl_render_stats_md(out, rows, n, &ro); break;
		default: obl_render_stats_text(out, rows, n, &ro);
		}
	}
	free(rows);
	obl_groups_free(groups, n);
	obl_store_close(store);
	return rc;
}

/* obl-stats --check DB: SQLite's integrity_check over every page (opening checks only the
 * header, schema and version, so that it costs the same at any size). */
static int check_database(const char *path, struct obl_strbuf *out, struct obl_error *err)
{
	struct obl_store *store = NULL;
	int rc = obl_store_open(path, OBL_STORE_READ, &store, err);
	struct obl_strbuf report;
	obl_strbuf_init(&report);
	if (!rc)
		rc = obl_store_check(store, &report, err);
	obl_store_close(store);
	if (rc && report.len) { /* SQLite's findings, a line each, escaped for the terminal */
		struct obl_strbuf shown;
		obl_strbuf_init(&shown);
		for (char *line = report.buf, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line) - 1;
			if (strncmp(line, "*** in database", 15)) {
				obl_strbuf_addstr(&shown, "obl-stats: ");
				obl_utf8_add_terminal_n(&shown, line, (size_t)(nl - line));
				obl_strbuf_addch(&shown, '\n');
			}
		}
		fwrite(shown.buf, 1, shown.len, stderr);
		obl_strbuf_release(&shown);
	}
	obl_strbuf_release(&report);
	if (!rc) {
		obl_utf8_add_terminal(out, path);
		obl_strbuf_addstr(out, ": ok (SQLite's integrity_check found no damage)\n");
	}
	return rc;
}

int main(int argc, char **argv)
{
	obl_tool_init();
	long column = 1;
	const char *delimiters = NULL;
	int format = OBL_FORMAT_TEXT, check_only = 0;
	double confidence = 0.95;
	const char *run = NULL, *metric = NULL;
	struct obl_string_list scenario = { 0 };
	const struct obl_option options[] = {
		{ 'r', "run", "LABEL", "database: only this run", OBL_OPT_STRING, &run, NULL, 0 },
		{ 'm', "metric", "NAME", "database: only this metric", OBL_OPT_STRING, &metric, NULL,
		  0 },
		{ 's', "scenario", "KEY=VALUE", "database: only scenarios with this key; repeatable",
		  OBL_OPT_LIST, &scenario, NULL, 0 },
		{ 'C', "column", "N", "read column N of each line (default 1)", OBL_OPT_INT, &column,
		  NULL, 0 },
		{ 'd', "delimiters", "CHARS", "field separators (default: blanks)", OBL_OPT_STRING,
		  &delimiters, NULL, 0 },
		{ 0, "format", "FMT", "output format", OBL_OPT_CHOICE, &format, formats, 0 },
		{ 0, "confidence", "P", "confidence level of the intervals (default 0.95, or 95%)",
		  OBL_OPT_DOUBLE, &confidence, NULL, 0 },
		{ 0, "check", NULL, "database: check every page for damage (slow on a large one)",
		  OBL_OPT_FLAG, &check_only, NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-stats", "[options] DB | [options] [FILE...]",
		"Describe samples: n, mean, sd, quantiles and confidence intervals, per run,\n"
		"scenario and metric of an obl database, or per file of plain numbers (with no\n"
		"FILE, or FILE '-', standard input).",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list files = { 0 };
	struct obl_stats_row *rows = NULL;
	struct obl_values values = { 0 };
	struct obl_strbuf out;
	obl_strbuf_init(&out);

	int rc = obl_parse_options(&cmd, argc, argv, &files, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (!rc && !(confidence > 0 && confidence < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--confidence",
				   "must lie between 0 and 1 (or 0%% and 100%%)");
	if (!rc && column < 1)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--column", "columns count from 1");
	if (!rc && files.n == 0)
		rc = obl_string_list_append(&files, "-");
	if (!rc && check_only && files.n != 1)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--check", "checks one database");
	if (rc)
		goto done;
	if (check_only) {
		rc = check_database(files.items[0], &out, &err);
		if (!rc)
			rc = obl_tool_write(&out, &err);
		goto done;
	}
	if (files.n == 1 && obl_is_sqlite_file(files.items[0])) {
		struct obl_kv *kv = calloc(scenario.n + 1, sizeof *kv);
		char (*keys)[256] = calloc(scenario.n + 1, sizeof *keys);
		for (size_t i = 0; kv && keys && !rc && i < scenario.n; i++) {
			const char *eq = strchr(scenario.items[i], '=');
			if (!eq || eq == scenario.items[i]) {
				rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, scenario.items[i],
						   "expected KEY=VALUE after -s");
				break;
			}
			snprintf(keys[i], sizeof keys[i], "%.*s", (int)(eq - scenario.items[i]),
				 scenario.items[i]);
			kv[i] = (struct obl_kv){ keys[i], eq + 1 };
		}
		const struct obl_store_filter filter = { run, metric, kv, scenario.n };
		if (!rc)
			rc = stats_database(files.items[0], &filter, confidence, format, &out, &err);
		if (!rc)
			rc = obl_tool_write(&out, &err);
		free(kv);
		free(keys);
		goto done;
	}
	if (run || metric || scenario.n) {
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "--run, --metric and --scenario apply to a database");
		goto done;
	}
	rows = calloc(files.n, sizeof *rows);
	if (!rows) {
		rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	const struct obl_plain_options plain = { column, delimiters };
	for (size_t i = 0; i < files.n && !rc; i++) {
		rc = obl_load_plain(files.items[i], &plain, &values, &err);
		if (!rc)
			rc = obl_describe(values.v, values.n, confidence, &rows[i], &err);
		rows[i].name = files.items[i];
		if (rc && !err.file[0])
			snprintf(err.file, sizeof err.file, "%s", files.items[i]);
	}
	if (rc)
		goto done;
	const struct obl_render_options ro = { .color = obl_tool_color() };
	switch (format) {
	case OBL_FORMAT_JSON: obl_render_stats_json(&out, rows, files.n, &ro); break;
	case OBL_FORMAT_CSV: obl_render_stats_csv(&out, rows, files.n, &ro); break;
	case OBL_FORMAT_MD: obl_render_stats_md(&out, rows, files.n, &ro); break;
	default: obl_render_stats_text(&out, rows, files.n, &ro);
	}
	rc = obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_strbuf_release(&out);
	obl_values_release(&values);
	obl_string_list_release(&files);
	obl_string_list_release(&scenario);
	free(rows);
	return obl_exit_code(rc);
}
