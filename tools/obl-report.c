/*
 * obl-report - the comparison of obl-compare as a document for a review: PDF, Markdown (with
 * its charts as SVG files beside it) or self-contained HTML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "input.h"
#include "options.h"
#include "report.h"
#include "report_render.h"
#include "summarize.h"
#include "tool.h"

static const char *const formats[] = { "md", "html", "pdf", NULL };
static const char *const families[] = { "all", "per-candidate", NULL };

/* Where Markdown's SVG files go: the directory of the .md. */
struct chart_dir {
	char dir[4096];
};

static int write_chart(void *ctx, const char *name, const struct obl_strbuf *svg,
		       struct obl_error *err)
{
	const struct chart_dir *d = ctx;
	char path[8192];
	snprintf(path, sizeof path, "%s%s", d->dir, name);
	return obl_tool_write_file(path, svg, err);
}

/* The output's format: --format, else the extension of -o, else Markdown. */
static int output_format(int chosen, const char *out)
{
	if (chosen >= 0 || !out)
		return chosen >= 0 ? chosen : 0;
	const char *dot = strrchr(out, '.');
	for (int i = 0; dot && formats[i]; i++)
		if (!strcmp(dot + 1, formats[i]))
			return i;
	return dot && !strcmp(dot, ".htm") ? 1 : -1;
}

static int render(const struct obl_doc *doc, int format, const char *out_path,
		  const char *template_path, int charts, int history, struct obl_strbuf *out,
		  struct obl_error *err)
{
	if (format == 2) {
		struct obl_pdf_layout layout;
		obl_pdf_layout_defaults(&layout);
		int rc = template_path ? obl_pdf_layout_read(template_path, &layout, err) : OBL_OK;
		for (int i = 0; history && layout.sections[i] >= 0; i++)
			if (layout.sections[i] == OBL_SECTION_SLO) {
				memmove(&layout.sections[i], &layout.sections[i + 1],
					(size_t)(OBL_SECTION_COUNT - i) * sizeof(int));
				break;
			}
		if (!charts)
			for (int i = 0; layout.sections[i] >= 0; i++)
				if (layout.sections[i] == OBL_SECTION_CHARTS) {
					memmove(&layout.sections[i], &layout.sections[i + 1],
						(size_t)(OBL_SECTION_COUNT - i) * sizeof(int));
					break;
				}
		/* Reproducible builds: SOURCE_DATE_EPOCH fixes the creation date. */
		const char *epoch = getenv("SOURCE_DATE_EPOCH");
		long long when = epoch && *epoch ? strtoll(epoch, NULL, 10) : (long long)time(NULL);
		return rc ? rc : obl_report_render_pdf(doc, &layout, when, out, err);
	}
	char *text = NULL;
	if (template_path) {
		struct obl_file in;
		int rc = obl_file_read(template_path, &in, err);
		if (rc)
			return rc;
		text = malloc(in.len + 1);
		if (text) {
			memcpy(text, in.data, in.len);
			text[in.len] = 0;
		}
		obl_file_release(&in);
	} else {
		enum obl_doc_flavour fl = format == 1 ? OBL_DOC_HTML : OBL_DOC_MARKDOWN;
		text = history ? obl_report_history_template(fl) : obl_report_default_template(fl);
	}
	if (!text)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	struct chart_dir dir = { "" };
	char prefix[4096] = "";
	struct obl_chart_sink sink = { &dir, prefix, write_chart };
	if (out_path) { /* report.md -> charts report-*.svg beside it */
		const char *slash = strrchr(out_path, '/');
		const char *base = slash ? slash + 1 : out_path;
		snprintf(dir.dir, sizeof dir.dir, "%.*s", (int)(base - out_path), out_path);
		const char *dot = strrchr(base, '.');
		snprintf(prefix, sizeof prefix, "%.*s", (int)(dot ? dot - base : (long)strlen(base)),
			 base);
	}
	int rc = obl_report_render_text(doc, format == 1 ? OBL_DOC_HTML : OBL_DOC_MARKDOWN, text,
					template_path ? template_path : "(default template)",
					format == 0 && out_path && charts ? &sink : NULL, out, err);
	free(text);
	return rc;
}

/* obl-report --history DB: the history's change points as a document. */
static int report_history(const struct obl_string_list *files, const struct obl_report_options *ro,
			  const char *order, const char *commits, const char *metric,
			  const struct obl_string_list *scenario, const char *stat, const char *title, int charts, struct obl_doc *doc,
			  struct obl_error *err)
{
	if (files->n != 1)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--history",
				     "expected one database (got %zu)", files->n);
	const char *path = files->items[0];
	if (!obl_is_database(path))
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "not an obl database (make one with obl-ingest)");
	struct obl_history_options ho = obl_history_defaults();
	ho.alpha = ro->compare.compare.alpha;
	ho.threshold = ro->compare.compare.threshold;
	ho.metric = metric;
	struct obl_kv *filter = NULL;
	int rc = obl_tool_scenario_filter(scenario, &filter, err);
	if (rc)
		return rc;
	ho.scenario = filter;
	ho.scenario_len = scenario->n;
	ho.stat = stat;
	rc = obl_history_set_order(&ho, order, commits, err);
	struct obl_store *store = NULL;
	struct obl_history h = { 0 };
	if (!rc)
		rc = obl_store_open(path, OBL_STORE_READ, &store, err);
	if (!rc)
		rc = obl_history_analyse(store, path, &ho, &h, err);
	if (!rc)
		rc = obl_report_history(&h, path, title, charts, doc, err);
	obl_history_free(&h);
	obl_store_close(store);
	obl_kv_free(filter, scenario->n);
	return rc;
}

int main(int argc, char **argv)
{
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
	const char *out_path = NULL, *template_path = NULL, *title = NULL, *baseline = NULL;
	const char *stats = "median", *gate = NULL;
	struct obl_string_list candidates = { 0 }, slo_args = { 0 }, thresholds = { 0 },
			       scenario = { 0 };
	int no_charts = 0, format = -1, history = 0;
	const char *order = NULL, *commits = NULL, *metric = NULL;
	struct obl_report_options ro = { 0 };
	int family = 0;
	ro.compare.compare = obl_compare_defaults();
	const struct obl_option options[] = {
		{ 'o', "output", "FILE", "write FILE: .pdf, .md (charts as SVG beside it) or .html; "
					 "default Markdown on stdout",
		  OBL_OPT_STRING, &out_path, NULL, 0 },
		{ 0, "format", "FMT", "md, html or pdf, whatever the file's extension",
		  OBL_OPT_CHOICE, &format, formats, 0 },
		{ 0, "template", "FILE", "a Markdown/HTML template, or for PDF a layout file (see "
					 "templates/)",
		  OBL_OPT_STRING, &template_path, NULL, 0 },
		{ 0, "title", "TEXT", "the report's title (default: BASELINE vs CANDIDATES)",
		  OBL_OPT_STRING, &title, NULL, 0 },
		{ 0, "slo", "METRIC=VALUE", "latency objective for the capacity table, e.g. "
					    "ttft_p95_ms=2000 (the default); repeatable",
		  OBL_OPT_LIST, &slo_args, NULL, 0 },
		{ 0, "no-charts", NULL, "leave the charts out", OBL_OPT_FLAG, &no_charts, NULL, 0 },
		{ 'b', "baseline", "LABEL", "the baseline run (with one database)", OBL_OPT_STRING,
		  &baseline, NULL, 0 },
		{ 'c', "candidate", "LABEL", "a candidate run (with one database); repeatable",
		  OBL_OPT_LIST, &candidates, NULL, 0 },
		{ 0, "stat", "S[,S]", "statistics of request-level metrics (default median)",
		  OBL_OPT_STRING, &stats, NULL, 0 },
		{ 0, "threshold", "[METRIC=]X", "practical threshold (default 2%); repeatable",
		  OBL_OPT_LIST, &thresholds, NULL, 0 },
		{ 'g', "gate", "FILE", "per-metric thresholds and gating, as obl-compare --gate",
		  OBL_OPT_STRING, &gate, NULL, 0 },
		{ 'a', "alpha", "A", "significance level (default 0.05)", OBL_OPT_DOUBLE,
		  &ro.compare.compare.alpha, NULL, 0 },
		{ 0, "family", "F", "p-value family: all (every candidate's gating rows, the "
				    "default) or per-candidate, as obl-compare --family",
		  OBL_OPT_CHOICE, &family, families, 0 },
		{ 0, "history", NULL, "DB's runs as a history: levels over the runs and the change "
				      "points (obl-history(1))",
		  OBL_OPT_FLAG, &history, NULL, 0 },
		{ 0, "order-by", "KEY", "--history: order of the runs (ingest, a tag, commit)",
		  OBL_OPT_STRING, &order, NULL, 0 },
		{ 0, "commits", "FILE", "--history: commit order, newest first (git rev-list)",
		  OBL_OPT_STRING, &commits, NULL, 0 },
		{ 'm', "metric", "NAME", "--history: only this metric", OBL_OPT_STRING, &metric, NULL,
		  0 },
		{ 's', "scenario", "KEY=VALUE", "--history: only scenarios with this key and value; "
						"repeatable",
		  OBL_OPT_LIST, &scenario, NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-report",
		"[options] BASELINE.db CANDIDATE.db...\n"
		"       obl-report [options] DB --baseline LABEL --candidate LABEL...\n"
		"       obl-report --history [options] DB",
		"Write the comparison of candidates with a baseline as a report for a review:\n"
		"summary, tables per scenario, capacity under a latency SLO, charts and\n"
		"methodology, with the statistics of obl-compare. Exit status: 0 written, 2 usage\n"
		"error, 3 bad input (a regression is reported in the document, not the status).",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list files = { 0 };
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	struct obl_slo *slos = NULL;
	struct obl_db_sides sides = { 0 };
	struct obl_doc doc;
	obl_doc_init(&doc);
	int regressed = 0;
	int rc = obl_parse_options(&cmd, argc, argv, &files, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (!rc && (format = output_format(format, out_path)) < 0)
		rc = obl_error_set(&err, OBL_EUSAGE, out_path, 0, NULL,
				   "cannot tell the format from the extension: use .pdf, .md or "
				   ".html, or --format");
	if (!rc && !(ro.compare.compare.alpha > 0 && ro.compare.compare.alpha < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--alpha", "must lie between 0 and 1");
	if (!rc && slo_args.n && !(slos = calloc(slo_args.n, sizeof *slos)))
		rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < slo_args.n; i++)
		rc = obl_slo_parse(slo_args.items[i], &slos[i], &err);
	for (size_t i = 0; !rc && i < thresholds.n; i++)
		rc = obl_threshold_arg(thresholds.items[i], &ro.compare.compare.threshold,
				       &ro.compare.rules, &ro.compare.n_rules, &err);
	if (!rc && gate)
		rc = obl_gate_file_read(gate, &ro.compare, &err);
	if (!rc && files.n == 0)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "nothing to report; see obl-report --help");
	if (!rc && history) {
		rc = report_history(&files, &ro, order, commits, metric, &scenario, stats, title,
				    !no_charts, &doc, &err);
		if (!rc)
			rc = render(&doc, format, out_path, template_path, !no_charts, 1, &out, &err);
		if (!rc)
			rc = out_path ? obl_tool_write_file(out_path, &out, &err)
				      : obl_tool_write(&out, &err);
		goto done;
	}
	if (!rc && (order || commits || metric || scenario.n))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "--order-by, --commits, --metric and --scenario go with --history");
	if (!rc)
		rc = obl_db_sides_open((const char *const *)files.items, files.n, baseline,
				       (const char *const *)candidates.items, candidates.n, &sides,
				       &err);
	if (rc)
		goto done;
	ro.title = title;
	ro.slos = slos;
	ro.n_slos = slo_args.n;
	ro.charts = !no_charts;
	ro.compare.stats = stats;
	ro.compare.min_repetitions = 3;
	ro.compare.family_per_candidate = family == 1;
	ro.compare.progress = obl_progress_start("obl-report", out_path);
	rc = obl_report_build(sides.sides, sides.n, &ro, &doc, &regressed, &err);
	obl_progress_phase(ro.compare.progress, "writing the document");
	if (!rc)
		rc = render(&doc, format, out_path, template_path, !no_charts, 0, &out, &err);
	obl_progress_stop(ro.compare.progress);
	if (!rc)
		rc = out_path ? obl_tool_write_file(out_path, &out, &err) : obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_doc_free(&doc);
	obl_db_sides_close(&sides);
	obl_strbuf_release(&out);
	obl_string_list_release(&files);
	obl_string_list_release(&candidates);
	obl_string_list_release(&slo_args);
	obl_string_list_release(&thresholds);
	obl_string_list_release(&scenario);
	free(ro.compare.rules);
	free(slos);
	return rc ? obl_exit_code(rc) : 0;
}
