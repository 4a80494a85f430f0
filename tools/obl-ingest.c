/*
 * obl-ingest - load benchmark result files into an obl database, format detected from
 * content. Each file lands whole or not at all; the same content is never stored twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "tool.h"

static void print_warning(void *ctx, const char *message)
{
	obl_progress_clear(*(struct obl_progress **)ctx);
	fprintf(stderr, "obl-ingest: warning: %s\n", message);
}

static void list_formats(void)
{
	for (const struct obl_reader *const *r = obl_readers; *r; r++)
		printf("%-12s %s\n", (*r)->name, (*r)->description);
}

int main(int argc, char **argv)
{
	obl_tool_init();
	const char *format = NULL, *label = NULL, *metric = NULL, *unit = NULL, *delimiters = NULL;
	struct obl_string_list tags = { 0 }, scenario = { 0 }, columns = { 0 }, operands = { 0 };
	struct obl_string_list column_args = { 0 };
	int list = 0, quiet = 0;
	long column = 1;
	const struct obl_option options[] = {
		{ 'f', "input-format", "FORMAT", "read FILEs as FORMAT (default: detect from content)",
		  OBL_OPT_STRING, &format, NULL, 0 },
		{ 0, "format", "FORMAT", NULL, OBL_OPT_STRING, &format, NULL, 0 },
		{ 'r', "run", "LABEL", "run label (default: from the file, else the database's name)",
		  OBL_OPT_STRING, &label, NULL, 0 },
		{ 't', "tag", "KEY=VALUE", "tag the run (model, engine, quant, gpu, ...); repeatable",
		  OBL_OPT_LIST, &tags, NULL, 0 },
		{ 's', "scenario", "KEY=VALUE", "set a scenario key on every trial; repeatable",
		  OBL_OPT_LIST, &scenario, NULL, 0 },
		{ 'C', "column", "N|COL=MAP", "plain numbers: read column N; CSV/JSON: "
					      "COL=METRIC[:UNIT], COL=@KEY (scenario) or COL=-",
		  OBL_OPT_LIST, &column_args, NULL, 0 },
		{ 'm', "metric", "NAME", "plain numbers: the metric's name (default value)",
		  OBL_OPT_STRING, &metric, NULL, 0 },
		{ 0, "unit", "UNIT", "plain numbers: the metric's unit", OBL_OPT_STRING, &unit, NULL,
		  0 },
		{ 0, "field", "N", NULL, OBL_OPT_INT, &column, NULL, 0 },
		{ 'd', "delimiters", "CHARS", "plain numbers: field separators", OBL_OPT_STRING,
		  &delimiters, NULL, 0 },
		{ 'q', "quiet", NULL, "print nothing on success", OBL_OPT_FLAG, &quiet, NULL, 0 },
		{ 0, "list-formats", NULL, "list the formats obl reads and exit", OBL_OPT_FLAG, &list,
		  NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-ingest", "[options] DB FILE...",
		"Load benchmark results into the obl database DB (created if missing).\n"
		"FILE '-' is standard input. Exit status: 0 success, 2 usage error, 3 bad input\n"
		"(nothing from a bad file is written).",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_store *store = NULL;
	int rc = obl_parse_options(&cmd, argc, argv, &operands, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (rc)
		goto done;
	if (list) {
		list_formats();
		goto done;
	}
	/* -C N picks the column of plain numbers; -C COL=MAP maps a CSV/JSON column. */
	for (size_t i = 0; !rc && i < column_args.n; i++) {
		const char *a = column_args.items[i];
		if (a[0] && strspn(a, "0123456789") == strlen(a))
			column = strtol(a, NULL, 10);
		else if (strchr(a, '='))
			rc = obl_string_list_append(&columns, a);
		else
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--column",
					   "'%s': expected a column number N or COL=MAP", a);
	}
	if (!rc && (column < 1 || column > 100000))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--column",
				   "columns count from 1 (to 100000)");
	char key[256];
	const char *value;
	for (size_t i = 0; !rc && i < tags.n; i++)
		if (obl_split_assignment(tags.items[i], key, sizeof key, &value))
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, tags.items[i],
					   "expected KEY=VALUE after -t");
	for (size_t i = 0; !rc && i < scenario.n; i++)
		if (obl_split_assignment(scenario.items[i], key, sizeof key, &value))
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, scenario.items[i],
					   "expected KEY=VALUE after -s");
	if (!rc && format && !obl_reader_find(format))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, format,
				   "unknown format; see obl-ingest --list-formats");
	if (!rc && label && !label[0])
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "-r", "the run label is empty");
	if (!rc && operands.n < 2)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "expected a database and at least one file; see obl-ingest "
				   "--help");
	if (rc)
		goto done;
	if ((rc = obl_store_open(operands.items[0], 1, &store, &err)))
		goto done;
	struct obl_progress *progress = obl_progress_start("obl-ingest", NULL);
	const struct obl_ingest_options io = {
		format,	   label, operands.items[0], &tags, &scenario,
		{ &columns, metric, unit, column, delimiters },
		print_warning, &progress, progress,
	};
	int stdin_used = 0;
	for (size_t i = 1; i < operands.n; i++) {
		const char *path = operands.items[i];
		if (io.progress) {
			char item[1200];
			snprintf(item, sizeof item, "%s (file %zu of %zu)", path, i, operands.n - 1);
			obl_progress_item(io.progress, item);
		}
		if (!strcmp(path, "-") && stdin_used++) {
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
					   "standard input can be read only once");
			break;
		}
		struct obl_ingest_report report;
		rc = obl_ingest(store, path, &io, &report, &err);
		if (rc)
			break;
		/* Content already held by another run is not added to this one: say so even
		 * when quiet, or a run would silently lack the file. */
		if (report.result.duplicate && strcmp(report.result.duplicate_run, report.label)) {
			obl_progress_clear(progress);
			fprintf(stderr,
				"obl-ingest: warning: %s: not added to run %s: the same content is "
				"already in run %s (as %s)\n",
				path, report.label, report.result.duplicate_run,
				report.result.duplicate_of);
			continue;
		}
		if (quiet)
			continue;
		obl_progress_clear(progress);
		if (report.result.duplicate)
			printf("%s: already in run %s (same content as %s); nothing changed\n",
			       path, report.result.duplicate_run, report.result.duplicate_of);
		else
			printf("%s: %s, run %s: %zu trial%s, %zu series, %zu values\n", path,
			       report.format, report.label, report.result.trials,
			       report.result.trials == 1 ? "" : "s", report.result.series,
			       report.result.values);
	}
	fflush(stdout);
	obl_progress_stop(progress);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_store_close(store);
	obl_string_list_release(&tags);
	obl_string_list_release(&scenario);
	obl_string_list_release(&columns);
	obl_string_list_release(&column_args);
	obl_string_list_release(&operands);
	return obl_exit_code(rc);
}
