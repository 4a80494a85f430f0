/*
 * obl-compare - did the candidate get better or worse than the baseline, by how much, and
 * how sure are we. Compares two columns of plain numbers; exit 1 on a regression.
 */
#include <stdlib.h>
#include <string.h>

#include "../libobl/compare.h"
#include "../libobl/options.h"
#include "../libobl/read_plain.h"
#include "../libobl/render.h"
#include "tool.h"

static const char *const formats[] = { "text", "json", "csv", "md", NULL };
static const char *const corrections[] = { "none", "holm", "bh", "bonferroni", NULL };

int main(int argc, char **argv)
{
	obl_tool_init();
	struct obl_compare_options co = obl_compare_defaults();
	long column = 1;
	const char *delimiters = NULL, *metric = NULL;
	int format = OBL_FORMAT_TEXT, method = OBL_METHOD_AUTO, direction = OBL_LOWER_IS_BETTER;
	int correction = STATS_ADJUST_HOLM;
	const struct obl_option options[] = {
		{ 'C', "column", "N", "read column N of each line (default 1)", OBL_OPT_INT, &column,
		  NULL, 0 },
		{ 'd', "delimiters", "CHARS", "field separators (default: blanks)", OBL_OPT_STRING,
		  &delimiters, NULL, 0 },
		{ 'm', "method", "NAME", "test to use (default auto: see obl-compare(1))",
		  OBL_OPT_CHOICE, &method, obl_method_names, 0 },
		{ 't', "threshold", "X", "practical threshold on the relative change (default 2%)",
		  OBL_OPT_DOUBLE, &co.threshold, NULL, 0 },
		{ 'a', "alpha", "A", "significance level (default 0.05)", OBL_OPT_DOUBLE, &co.alpha,
		  NULL, 0 },
		{ 'c', "confidence", "P", "confidence level of intervals (default 0.95)",
		  OBL_OPT_DOUBLE, &co.confidence, NULL, 0 },
		{ 0, "lower-is-better", NULL, "smaller values are better (default: latencies)",
		  OBL_OPT_FLAG, &direction, NULL, OBL_LOWER_IS_BETTER + 10 },
		{ 0, "higher-is-better", NULL, "larger values are better (throughput)", OBL_OPT_FLAG,
		  &direction, NULL, OBL_HIGHER_IS_BETTER + 10 },
		{ 0, "correction", "NAME", "p-value adjustment across rows", OBL_OPT_CHOICE,
		  &correction, corrections, 0 },
		{ 0, "metric", "NAME", "name of the measured quantity in the output", OBL_OPT_STRING,
		  &metric, NULL, 0 },
		{ 0, "format", "FMT", "output format", OBL_OPT_CHOICE, &format, formats, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-compare", "[options] BASELINE CANDIDATE",
		"Compare a candidate sample with a baseline: change, confidence interval, test and "
		"verdict.\nExit status: 0 no regression, 1 regression (verdict worse), 2 usage "
		"error, 3 bad input.",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list files = { 0 };
	struct obl_values base = { 0 }, cand = { 0 };
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	struct obl_comparison row;

	int rc = obl_parse_options(&cmd, argc, argv, &files, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (rc)
		goto done;
	/* Flags store value + 10 so that "not given" (the default) is distinguishable. */
	co.direction = direction >= 10 ? (enum obl_direction)(direction - 10) : OBL_LOWER_IS_BETTER;
	co.method = (enum obl_method)method;
	co.correction = (enum stats_adjust_method)correction;
	if (files.n != 2)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "expected two files, BASELINE and CANDIDATE (got %zu); see "
				   "obl-compare --help",
				   files.n);
	else if (!strcmp(files.items[0], "-") && !strcmp(files.items[1], "-"))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "only one of the two inputs can be standard input");
	else if (!(co.confidence > 0 && co.confidence < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--confidence",
				   "must lie between 0 and 1");
	else if (!(co.alpha > 0 && co.alpha < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--alpha", "must lie between 0 and 1");
	else if (!(co.threshold >= 0))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--threshold", "must not be negative");
	else if (column < 1)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--column", "columns count from 1");
	if (rc)
		goto done;
	const struct obl_plain_options plain = { column, delimiters };
	rc = obl_load_plain(files.items[0], &plain, &base, &err);
	if (!rc)
		rc = obl_load_plain(files.items[1], &plain, &cand, &err);
	if (!rc)
		rc = obl_compare_samples(base.v, base.n, cand.v, cand.n, &co, &row, &err);
	if (!rc)
		rc = obl_compare_finish(&row, 1, &co);
	if (rc) {
		if (rc == OBL_ENOMEM)
			obl_error_set(&err, rc, NULL, 0, NULL, "out of memory");
		goto done;
	}
	row.metric = metric;
	row.baseline_name = files.items[0];
	row.candidate_name = files.items[1];
	row.unit_of_analysis = "values";
	row.stat_name = row.method == OBL_METHOD_MANN_WHITNEY ? "median" : "mean";
	const struct obl_render_options ro = { obl_tool_color(), &co };
	switch (format) {
	case OBL_FORMAT_JSON: obl_render_compare_json(&out, &row, 1, &ro); break;
	case OBL_FORMAT_CSV: obl_render_compare_csv(&out, &row, 1, &ro); break;
	case OBL_FORMAT_MD: obl_render_compare_md(&out, &row, 1, &ro); break;
	default: obl_render_compare_text(&out, &row, 1, &ro);
	}
	rc = obl_tool_write(&out, &err);
	if (!rc && row.verdict == OBL_VERDICT_WORSE) {
		rc = 1;
		goto cleanup;
	}
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	rc = obl_exit_code(rc);
cleanup:
	obl_strbuf_release(&out);
	obl_values_release(&base);
	obl_values_release(&cand);
	obl_string_list_release(&files);
	return rc;
}
