/*
 * obl-ingest - load benchmark result files into an obl database, format detected from
 * content. Each file lands whole or not at all; the same content is never stored twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>

#include "ingest.h"
#include "merge.h"
#include "summarize.h"
#include "tool.h"
#include "utf8.h"

/* Text from files and file names reaches the terminal escaped (utf8.h). */
static void print_escaped(FILE *out, const char *prefix, const char *text)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_strbuf_addstr(&sb, prefix);
	obl_utf8_add_terminal(&sb, text);
	obl_strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	obl_strbuf_release(&sb);
}

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static void print_warning(void *ctx, const char *message)
{
	obl_progress_clear(*(struct obl_progress **)ctx);
	print_escaped(stderr, "obl-ingest: warning: ", message);
}

/* A merge that added files to runs the database already held: the runs' repetitions are now
 * pooled with the earlier ones, which two CI jobs reusing a label did not mean (jobs that
 * split one night's scenarios between them did). */
static void warn_joined(const char *job, const char *db, const struct obl_merge_result *mr,
			struct obl_progress *progress)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	char *shown = obl_store_display_name(job), *db_shown = obl_store_display_name(db);
	obl_strbuf_addstr(&sb, "obl-ingest: warning: ");
	obl_utf8_add_terminal(&sb, shown ? shown : "");
	obl_strbuf_addf(&sb, ": added files to %zu run%s ", mr->joined, mr->joined == 1 ? "" : "s");
	obl_utf8_add_terminal(&sb, db_shown ? db_shown : "");
	obl_strbuf_addstr(&sb, " already held (");
	obl_utf8_add_terminal(&sb, mr->joined_run ? mr->joined_run : "");
	obl_strbuf_addstr(&sb, mr->joined > 1 ? ", ...): " : "): ");
	obl_strbuf_addstr(&sb, "a run's files are its repetitions, so a scenario both hold is "
			       "now pooled; to keep two jobs apart, rename the run in the job's "
			       "database first (obl-runs JOB.db rename OLD NEW)\n");
	free(shown);
	free(db_shown);
	if (!obl_strbuf_failed(&sb)) {
		obl_progress_clear(progress);
		fwrite(sb.buf, 1, sb.len, stderr);
	}
	obl_strbuf_release(&sb);
}

/* Every FILE operand before anything is written: '-' at most once, and each other file can be
 * opened for reading and is not a directory. A usage error or an unreadable name is reported
 * while the database is still untouched. */
/* Directory operands (vLLM bench sweep output) replaced by their run=N.json files, in order;
 * the paths made are kept in owned, and sweep[i] says operand i came from a sweep. */
static int expand_dirs(struct obl_string_list *operands, size_t first, struct obl_string_list *owned,
		       char **sweep, struct obl_error *err)
{
	struct obl_string_list out = { 0 };
	struct obl_string_list marks = { 0 };
	int rc = OBL_OK;
	for (size_t i = 0; !rc && i < operands->n; i++) {
		const char *path = operands->items[i];
		struct stat st;
		if (i < first || strcmp(path, "-") == 0 || stat(path, &st) || !S_ISDIR(st.st_mode)) {
			rc = obl_string_list_append(&out, path);
			if (!rc)
				rc = obl_string_list_append(&marks, NULL);
			continue;
		}
		char **files;
		size_t n;
		if ((rc = obl_sweep_list(path, &files, &n, err))) {
			obl_sweep_free(files, n);
			break;
		}
		for (size_t k = 0; k < n; k++) {
			if (!rc)
				rc = obl_string_list_append(owned, files[k]);
			if (rc)
				free(files[k]);
			else
				rc = obl_string_list_append(&out, files[k]);
			if (!rc)
				rc = obl_string_list_append(&marks, "");
		}
		free(files);
	}
	if (rc == OBL_ENOMEM && err->status == OBL_OK)
		obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	*sweep = calloc(out.n ? out.n : 1, 1);
	for (size_t i = 0; *sweep && i < out.n; i++)
		(*sweep)[i] = marks.items[i] != NULL;
	obl_string_list_release(&marks);
	obl_string_list_release(operands);
	*operands = out;
	return rc ? rc : *sweep ? OBL_OK
				: OBL_ENOMEM;
}

/* Options for one file: those given, plus the swept parameters of a sweep file. */
static int file_options(const struct obl_ingest_options *io, const char *path, int from_sweep,
			struct obl_string_list *scenario, struct obl_string_list *made,
			struct obl_ingest_options *out)
{
	*out = *io;
	if (!from_sweep)
		return OBL_OK;
	scenario->n = 0;
	for (size_t i = 0; io->scenario && i < io->scenario->n; i++)
		if (obl_string_list_append(scenario, io->scenario->items[i]))
			return OBL_ENOMEM;
	size_t before = made->n;
	if (obl_sweep_scenario(path, made))
		return OBL_ENOMEM;
	/* the folder's values first: -s given on the command line wins */
	for (size_t i = before; i < made->n; i++)
		if (obl_string_list_append(scenario, made->items[i]))
			return OBL_ENOMEM;
	if (io->scenario && io->scenario->n) {
		/* keep -s last so that it overrides */
		struct obl_string_list again = { 0 };
		for (size_t i = io->scenario->n; i < scenario->n; i++)
			if (obl_string_list_append(&again, scenario->items[i]))
				return OBL_ENOMEM;
		for (size_t i = 0; i < io->scenario->n; i++)
			if (obl_string_list_append(&again, io->scenario->items[i]))
				return OBL_ENOMEM;
		obl_string_list_release(scenario);
		*scenario = again;
	}
	out->scenario = scenario;
	return OBL_OK;
}

static void free_strings(struct obl_string_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->items[i]);
	obl_string_list_release(l);
}

static int check_operands(const struct obl_string_list *operands, struct obl_error *err)
{
	int stdin_seen = 0;
	for (size_t i = 1; i < operands->n; i++) {
		const char *path = operands->items[i];
		if (!strcmp(path, "-")) {
			if (stdin_seen++)
				return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
						     "standard input ('-') is given twice; it can "
						     "be read only once");
			continue;
		}
		if (obl_store_is_server(path))
			continue; /* a PostgreSQL store: opened when it is merged */
		struct stat st;
		if (stat(path, &st) != 0)
			return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
					     "cannot open: %s (nothing was written)",
					     strerror(errno));
		if (S_ISDIR(st.st_mode))
			return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
					     "is a directory, not a file (nothing was written)");
		if (access(path, R_OK) != 0)
			return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
					     "cannot open: %s (nothing was written)",
					     strerror(errno));
	}
	return OBL_OK;
}

/* An operand as messages show it: a PostgreSQL connection string without its password. */
static void add_operand(struct obl_strbuf *sb, const char *path)
{
	char *shown = obl_store_is_server(path) ? obl_store_display_name(path) : NULL;
	obl_utf8_add_terminal(sb, shown ? shown : path);
	free(shown);
}

/* After a bad file in a list: which files were written and which were not attempted. */
static void print_stop(const struct obl_string_list *operands, size_t bad, size_t written)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_strbuf_addf(&sb, "obl-ingest: stopped at ");
	add_operand(&sb, operands->items[bad]);
	obl_strbuf_addf(&sb, ": %zu file%s before it written", written, written == 1 ? "" : "s");
	if (bad + 1 < operands->n) {
		obl_strbuf_addf(&sb, "; %zu not attempted:", operands->n - bad - 1);
		for (size_t i = bad + 1; i < operands->n; i++) {
			if (i - bad > 10) {
				obl_strbuf_addf(&sb, " ... (%zu more)", operands->n - i);
				break;
			}
			obl_strbuf_addch(&sb, ' ');
			add_operand(&sb, operands->items[i]);
		}
	}
	obl_strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stderr);
	obl_strbuf_release(&sb);
}

static void list_formats(void)
{
	for (const struct obl_reader *const *r = obl_readers; *r; r++)
		printf("%-12s %s\n", (*r)->name, (*r)->description);
}

int main(int argc, char **argv)
{
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
	const char *format = NULL, *label = NULL, *metric = NULL, *unit = NULL, *delimiters = NULL;
	struct obl_string_list tags = { 0 }, scenario = { 0 }, columns = { 0 }, operands = { 0 };
	struct obl_string_list column_args = { 0 };
	struct obl_string_list owned = { 0 }, file_scenario = { 0 }, made = { 0 };
	char *sweep = NULL; /* sweep[i]: operand i is a file of a bench sweep directory */
	int list = 0, quiet = 0, dump = 0;
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
		{ 0, "dump", NULL, "write no database: print what each FILE yields (run, tags, "
				   "scenarios, repetitions, metrics, values)",
		  OBL_OPT_FLAG, &dump, NULL, 0 },
		{ 0, "list-formats", NULL, "list the formats obl reads and exit", OBL_OPT_FLAG, &list,
		  NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-ingest", "[options] DB FILE...  |  obl-ingest --dump [options] FILE...",
		"Load benchmark results into the obl database DB (created if missing).\n"
		"FILE '-' is standard input. Every FILE is checked before anything is written;\n"
		"files are then written in order, each whole or not at all, and a bad file stops\n"
		"the list (obl-ingest says which were written and which not attempted).\n"
		"Exit status: 0 success, 2 usage error, 3 bad input.",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_store *store = NULL;
	struct obl_progress *progress = NULL;
	size_t written = 0, bad = 0; /* files written; the operand that failed */
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
	size_t key_len;
	const char *value;
	for (size_t i = 0; !rc && i < tags.n; i++)
		if (obl_split_assignment(tags.items[i], &key_len, &value))
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, tags.items[i],
					   "expected KEY=VALUE after -t");
	for (size_t i = 0; !rc && i < scenario.n; i++)
		if (obl_split_assignment(scenario.items[i], &key_len, &value))
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, scenario.items[i],
					   "expected KEY=VALUE after -s");
	if (!rc && format && !obl_reader_find(format))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, format,
				   "unknown format; see obl-ingest --list-formats");
	if (!rc && label && !label[0])
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "-r", "the run label is empty");
	if (!rc && operands.n < (dump ? 1u : 2u))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   dump ? "expected at least one file to dump"
					: "expected a database and at least one file; see obl-ingest "
					  "--help");
	if (!rc)
		rc = expand_dirs(&operands, dump ? 0 : 1, &owned, &sweep, &err);
	if (!rc && !dump)
		rc = check_operands(&operands, &err);
	/* obl databases among the files are merged as they are: their runs keep their labels
	 * and tags, so options that would change them do not apply; -r LABEL, when every FILE
	 * is a database, copies only that run (a subset of a team store, for a review) */
	size_t n_databases = 0;
	for (size_t i = 1; !dump && i < operands.n; i++)
		n_databases += strcmp(operands.items[i], "-") && obl_is_database(operands.items[i]);
	for (size_t i = 1; !rc && !dump && i < operands.n; i++) {
		const char *path = operands.items[i];
		if (strcmp(path, "-") && obl_is_database(path)) {
			char *shown = obl_store_display_name(path);
			if (tags.n || scenario.n || format || (label && n_databases + 1 != operands.n))
				rc = obl_error_set(&err, OBL_EUSAGE, shown, 0, NULL,
						   "an obl database is merged as it is: -t, -s and "
						   "--format do not apply to it, and -r only when "
						   "every FILE is a database (then it names the run "
						   "to copy; nothing was written)");
			else if (same_file(path, operands.items[0]) || !strcmp(path, operands.items[0]))
				rc = obl_error_set(&err, OBL_EUSAGE, shown, 0, NULL,
						   "is the database being written; a database cannot "
						   "be merged into itself (nothing was written)");
			free(shown);
		}
	}
	if (rc)
		goto done;
	struct obl_ingest_options io = {
		format,
		label,
		operands.items[0],
		&tags,
		&scenario,
		{ &columns, metric, unit, column, delimiters },
		print_warning,
		&progress,
		NULL,
	};
	int stdin_used = 0;
	if (dump) {
		/* No database: what each file yields, in the canonical text (the reader tests'
		 * expected output). Warnings are part of it, so not printed twice. */
		io.db_path = NULL;
		io.warn = NULL;
		for (size_t i = 0; i < operands.n; i++) {
			const char *path = operands.items[i];
			if (!strcmp(path, "-") && stdin_used++) {
				rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
						   "standard input can be read only once");
				break;
			}
			struct obl_ingest_file in;
			struct obl_ingest_options fo;
			if ((rc = file_options(&io, path, sweep[i], &file_scenario, &made, &fo))) {
				obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			if ((rc = obl_ingest_load(path, &fo, &in, &err)))
				break;
			if (operands.n > 1)
				print_escaped(stdout, "file ", path);
			obl_ingest_dump(stdout, &in);
			obl_ingest_file_release(&in);
		}
		fflush(stdout);
		goto done;
	}
	if ((rc = obl_store_open(operands.items[0], OBL_STORE_CREATE, &store, &err)))
		goto done;
	progress = io.progress = obl_progress_start("obl-ingest", NULL);
	for (size_t i = 1; i < operands.n; i++) {
		const char *path = operands.items[i];
		if (progress) {
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			add_operand(&sb, path);
			obl_strbuf_addf(&sb, " (file %zu of %zu)", i, operands.n - 1);
			obl_progress_item(progress, obl_strbuf_failed(&sb) ? "" : sb.buf);
			obl_strbuf_release(&sb);
		}
		if (strcmp(path, "-") && obl_is_database(path)) {
			struct obl_merge_result mr;
			rc = obl_store_merge(store, path, label, &mr, &err);
			if (rc) {
				bad = i;
				break;
			}
			written++;
			if (mr.joined) /* said even when quiet: repetitions pooled across jobs */
				warn_joined(path, operands.items[0], &mr, progress);
			obl_merge_result_release(&mr);
			if (quiet)
				continue;
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			char *shown = obl_store_display_name(path);
			obl_utf8_add_terminal(&sb, shown ? shown : "");
			free(shown);
			obl_strbuf_addf(&sb, ": obl database: %zu file%s of %zu run%s copied, %zu trials, "
					     "%zu values; %zu already there\n",
					mr.sources, mr.sources == 1 ? "" : "s", mr.runs,
					mr.runs == 1 ? "" : "s", mr.trials, mr.values, mr.duplicates);
			fwrite(sb.buf, 1, sb.len, stdout);
			obl_strbuf_release(&sb);
			continue;
		}
		struct obl_ingest_report report;
		struct obl_ingest_options fo;
		if ((rc = file_options(&io, path, sweep[i], &file_scenario, &made, &fo))) {
			obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		rc = obl_ingest(store, path, &fo, &report, &err);
		if (rc) {
			obl_ingest_report_release(&report);
			bad = i;
			break;
		}
		written++;
		/* Content already held by another run is not added to this one: say so even
		 * when quiet, or a run would silently lack the file. */
		struct obl_strbuf sb;
		obl_strbuf_init(&sb);
		if (report.result.duplicate && strcmp(report.result.duplicate_run, report.label)) {
			obl_strbuf_addstr(&sb, "obl-ingest: warning: ");
			obl_utf8_add_terminal(&sb, path);
			obl_strbuf_addstr(&sb, ": not added to run ");
			obl_utf8_add_terminal(&sb, report.label);
			obl_strbuf_addstr(&sb, ": the same content is already in run ");
			obl_utf8_add_terminal(&sb, report.result.duplicate_run);
			obl_strbuf_addstr(&sb, " (as ");
			obl_utf8_add_terminal(&sb, report.result.duplicate_of);
			obl_strbuf_addstr(&sb, ")\n");
			obl_progress_clear(progress);
			fwrite(sb.buf, 1, sb.len, stderr);
		} else if (!quiet) {
			obl_utf8_add_terminal(&sb, path);
			if (report.result.duplicate) {
				obl_strbuf_addstr(&sb, ": already in run ");
				obl_utf8_add_terminal(&sb, report.result.duplicate_run);
				obl_strbuf_addstr(&sb, " (same content as ");
				obl_utf8_add_terminal(&sb, report.result.duplicate_of);
				obl_strbuf_addstr(&sb, "); nothing changed\n");
			} else {
				obl_strbuf_addf(&sb, ": %s, run ", report.format);
				obl_utf8_add_terminal(&sb, report.label);
				obl_strbuf_addf(&sb, ": %zu trial%s, %zu series, %zu values\n",
						report.result.trials, report.result.trials == 1 ? "" : "s",
						report.result.series, report.result.values);
			}
			obl_progress_clear(progress);
			fwrite(sb.buf, 1, sb.len, stdout);
		}
		obl_strbuf_release(&sb);
		obl_ingest_report_release(&report);
	}
	obl_progress_stop(progress);
	progress = NULL;
	fflush(stdout);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	if (rc && bad && operands.n > 2)
		print_stop(&operands, bad, written);
	if (rc && !written)
		obl_store_discard_new(store); /* a database made here for nothing goes */
	else
		obl_store_close(store);
	obl_string_list_release(&tags);
	obl_string_list_release(&scenario);
	obl_string_list_release(&columns);
	obl_string_list_release(&column_args);
	obl_string_list_release(&operands);
	obl_string_list_release(&file_scenario);
	free_strings(&made);
	free_strings(&owned);
	free(sweep);
	return obl_exit_code(rc);
}
