/*
 * obl-stats - describe samples: n, centre, spread, tails and their confidence intervals.
 * Reads an obl database (per run x scenario x metric) or columns of plain numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbcompare.h"
#include "describe.h"
#include "files.h"
#include "options.h"
#include "read_plain.h"
#include "render.h"
#include "suggest.h"
#include "summarize.h"
#include "tool.h"
#include "utf8.h"

static const char *const formats[] = { "text", "json", "csv", "md", NULL };

/* 1 if a group read from a result file passes --metric and --scenario. */
static int group_matches(const struct obl_group *g, const struct obl_store_filter *f)
{
	if (f->metric && strcmp(f->metric, g->metric))
		return 0;
	for (size_t i = 0; i < f->scenario_len; i++) {
		int hit = 0;
		for (size_t k = 0; k < g->scenario_len && !hit; k++)
			hit = !strcmp(g->scenario[k].key, f->scenario[i].key) &&
			      !strcmp(g->scenario[k].value, f->scenario[i].value);
		if (!hit)
			return 0;
	}
	return 1;
}

/* Nothing matched the filter: say which part matches nothing, naming the closest run,
 * metric or scenario key the database has. */
static int explain_empty(struct obl_store *store, const char *path,
			 const struct obl_store_filter *filter, struct obl_error *err)
{
	char **labels = NULL;
	size_t nl = 0;
	int rc = filter->run ? obl_store_runs(store, &labels, &nl, err) : OBL_OK;
	int known = !filter->run;
	for (size_t i = 0; i < nl; i++)
		known |= !strcmp(labels[i], filter->run);
	if (!rc && !known) {
		const char *near = obl_suggest(filter->run, (const char *const *)labels, nl);
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, filter->run,
				   near ? "no such run; did you mean %s?"
					: "no such run (obl-runs lists the runs)%s",
				   near ? near : "");
	}
	obl_store_names_free(labels, nl);
	if (rc)
		return rc;
	struct obl_group *all = NULL;
	size_t n = 0;
	const struct obl_store_filter of_run = { filter->run, NULL, NULL, 0 };
	rc = obl_store_groups(store, &of_run, &all, &n, err);
	if (!rc && n) {
		struct obl_db_compare_options opt = { 0 };
		opt.metric = filter->metric;
		opt.scenario = filter->scenario;
		opt.scenario_len = filter->scenario_len;
		rc = obl_filter_explain(all, n, path, &opt, err);
	} else if (!rc) {
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "holds no values");
	}
	obl_groups_free(all, n);
	return rc;
}

/* obl-stats DB: describe the stored groups matching the filter. */
static int stats_database(const char *path, const struct obl_store_filter *filter,
			  double confidence, int format, struct obl_strbuf *out,
			  struct obl_error *err)
{
	struct obl_store *store = NULL;
	struct obl_stats_rows described = { 0 };
	int rc = obl_store_open(path, OBL_STORE_READ, &store, err);
	/* one group's values in memory at a time */
	if (!rc)
		rc = obl_summarize_store(store, filter, confidence, &described, err);
	if (!rc && described.n == 0)
		rc = explain_empty(store, path, filter, err);
	const struct obl_stats_row *rows = described.rows;
	size_t n = described.n;
	if (!rc) {
		const struct obl_render_options ro = { .color = obl_tool_color() };
		switch (format) {
		case OBL_FORMAT_JSON: obl_render_stats_json(out, rows, n, &ro); break;
		case OBL_FORMAT_CSV: obl_render_stats_csv(out, rows, n, &ro); break;
		case OBL_FORMAT_MD: obl_render_stats_md(out, rows, n, &ro); break;
		default: obl_render_stats_text(out, rows, n, &ro);
		}
	}
	obl_stats_rows_free(&described);
	obl_store_close(store);
	return rc;
}

/* obl-stats --check DB: every page (SQLite's integrity_check), every reference between rows
 * and every series' values (opening checks only the header, schema and version, so that it
 * costs the same at any size). */
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
		obl_strbuf_addstr(out, ": ok (every page, reference and series checked: no damage)\n");
	}
	return rc;
}

int main(int argc, char **argv)
{
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
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
		{ 0, "check", NULL, "database: check every page, reference and value for damage (slow on a large one)",
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
	struct obl_group **file_groups = NULL;
	size_t *file_n = NULL, n_files = 0;
	struct obl_kv *kv = NULL;
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
	rc = obl_tool_scenario_filter(&scenario, &kv, &err);
	const struct obl_store_filter filter = { run, metric, kv, scenario.n };
	if (!rc && files.n == 1 && obl_is_database(files.items[0])) {
		rc = stats_database(files.items[0], &filter, confidence, format, &out, &err);
		if (!rc)
			rc = obl_tool_write(&out, &err);
		goto done;
	}
	if (!rc && run)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--run", "applies to a database");
	if (rc)
		goto done;
	/* Plain numbers give a row per file; a result file (Go, Google Benchmark, hyperfine,
	 * vLLM, ...) a row per scenario and metric, as obl-compare reads it. */
	size_t n_rows = 0, alloc = files.n;
	rows = calloc(alloc, sizeof *rows);
	if (!rows) {
		rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	const struct obl_plain_options plain = { column, delimiters };
	for (size_t i = 0; i < files.n && !rc; i++) {
		const char *path = files.items[i];
		if (strcmp(path, "-") && obl_is_result_file(path)) {
			struct obl_group *g = NULL;
			size_t ng = 0;
			rc = obl_file_groups(path, &g, &ng, &err);
			struct obl_group **pg =
				rc ? NULL : realloc(file_groups, (n_files + 1) * sizeof *pg);
			size_t *pn = pg ? realloc(file_n, (n_files + 1) * sizeof *pn) : NULL;
			if (pg)
				file_groups = pg;
			if (pn)
				file_n = pn;
			if (!rc && !pn) {
				obl_groups_free(g, ng);
				rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			if (rc)
				break;
			file_groups[n_files] = g;
			file_n[n_files++] = ng;
			size_t kept = 0;
			for (size_t k = 0; k < ng; k++)
				if (group_matches(&g[k], &filter)) {
					/* selected ones to the front, in order; all stay owned */
					struct obl_group tmp = g[kept];
					g[kept++] = g[k];
					g[k] = tmp;
				}
			struct obl_stats_row *pr = realloc(rows, (alloc + ng) * sizeof *pr);
			if (!pr) {
				rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			rows = pr;
			alloc += ng;
			memset(rows + n_rows, 0, (alloc - n_rows) * sizeof *rows);
			rc = obl_summarize_groups(g, kept, confidence, rows + n_rows, &err);
			n_rows += kept;
			continue;
		}
		if (metric || scenario.n) {
			rc = obl_error_set(&err, OBL_EUSAGE, path, 0, NULL,
					   "plain numbers: --metric and --scenario apply to "
					   "databases and result files");
			break;
		}
		rc = obl_load_plain(path, &plain, &values, &err);
		if (!rc)
			rc = obl_describe(values.v, values.n, confidence, &rows[n_rows], &err);
		rows[n_rows++].name = path;
		if (rc && !err.file[0])
			snprintf(err.file, sizeof err.file, "%s", path);
	}
	if (!rc && n_rows == 0)
		rc = obl_error_set(&err, OBL_EINPUT, NULL, 0, NULL,
				   "no values match (see --metric, --scenario)");
	if (rc)
		goto done;
	const struct obl_render_options ro = { .color = obl_tool_color() };
	switch (format) {
	case OBL_FORMAT_JSON: obl_render_stats_json(&out, rows, n_rows, &ro); break;
	case OBL_FORMAT_CSV: obl_render_stats_csv(&out, rows, n_rows, &ro); break;
	case OBL_FORMAT_MD: obl_render_stats_md(&out, rows, n_rows, &ro); break;
	default: obl_render_stats_text(&out, rows, n_rows, &ro);
	}
	rc = obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_strbuf_release(&out);
	obl_values_release(&values);
	obl_string_list_release(&files);
	obl_kv_free(kv, kv ? scenario.n : 0); /* before the list: its count is kv's */
	obl_string_list_release(&scenario);
	free(rows);
	for (size_t i = 0; i < n_files; i++)
		obl_groups_free(file_groups[i], file_n[i]);
	free(file_groups);
	free(file_n);
	return obl_exit_code(rc);
}
