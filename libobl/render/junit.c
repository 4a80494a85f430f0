/*
 * render_junit.c - JUnit XML and GitHub Actions annotations, the two formats CI systems
 * read natively: a regression shows up as a failed test or an error on the job.
 */
#include "render.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

/* "ttft_ms (median) at concurrency=8 input_len=64: +12.30% [+8.10%, +16.20%], p = 0.0010" */
static void describe_row(struct obl_strbuf *out, const struct obl_comparison *c)
{
	obl_strbuf_addf(out, "%s (%s)", c->metric ? c->metric : "value",
			c->stat_name ? c->stat_name : "");
	if (c->scenario_len) {
		obl_strbuf_addstr(out, " at ");
		obl_format_scenario(out, c->scenario, c->scenario_len);
	}
	if (c->presence != OBL_PAIRED) {
		obl_strbuf_addf(out, ": %s", c->note ? c->note : obl_row_verdict(c));
		return;
	}
	obl_strbuf_addstr(out, ": ");
	obl_format_percent(out, c->relative.estimate);
	obl_format_percent_interval(out, " ", c->relative.ci_low, c->relative.ci_high);
	obl_strbuf_addstr(out, ", p = ");
	obl_format_p(out, c->p_adjusted);
	obl_strbuf_addf(out, ", %s", obl_row_verdict(c));
}

void obl_render_compare_junit(struct obl_strbuf *out, const struct obl_comparison *rows,
			      size_t n, const struct obl_render_options *opt)
{
	const char *tool = opt->tool ? opt->tool : "obl-compare";
	size_t failures = 0;
	for (size_t i = 0; i < n; i++)
		failures += obl_render_row_fails(&rows[i], opt);
	obl_strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<testsuites name=\"%s\" tests=\"%zu\" failures=\"%zu\">\n"
			     "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\">\n",
			tool, n, failures, tool, n, failures);
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		obl_strbuf_addstr(out, "    <testcase classname=\"");
		obl_strbuf_reset(&sb);
		obl_strbuf_addstr(&sb, c->candidate_name ? c->candidate_name : "candidate");
		if (c->scenario_len) {
			obl_strbuf_addch(&sb, '.');
			obl_format_scenario(&sb, c->scenario, c->scenario_len);
		}
		obl_strbuf_add_xml(out, sb.buf);
		obl_strbuf_addstr(out, "\" name=\"");
		obl_strbuf_reset(&sb);
		obl_strbuf_addf(&sb, "%s (%s)", c->metric ? c->metric : "value",
				c->stat_name ? c->stat_name : "");
		obl_strbuf_add_xml(out, sb.buf);
		obl_strbuf_addstr(out, "\"");
		obl_strbuf_reset(&sb);
		describe_row(&sb, c);
		if (obl_render_row_fails(c, opt)) {
			obl_strbuf_addstr(out, ">\n      <failure message=\"");
			obl_strbuf_add_xml(out, sb.buf);
			obl_strbuf_addf(out, "\" type=\"%s\"/>\n    </testcase>\n",
					c->presence == OBL_MISSING ? "missing" : "regression");
		} else {
			obl_strbuf_addstr(out, ">\n      <system-out>");
			obl_strbuf_add_xml(out, sb.buf);
			obl_strbuf_addstr(out, "</system-out>\n    </testcase>\n");
		}
	}
	obl_strbuf_release(&sb);
	obl_strbuf_addstr(out, "  </testsuite>\n</testsuites>\n");
}

/* Workflow command data: control characters shown as in a terminal (utf8.h), then %, CR and
 * LF escaped as GitHub documents. */
static void github_escape(struct obl_strbuf *out, const char *text)
{
	struct obl_strbuf shown;
	obl_strbuf_init(&shown);
	obl_utf8_add_terminal(&shown, text);
	for (const char *s = shown.buf; *s; s++) {
		if (*s == '%')
			obl_strbuf_addstr(out, "%25");
		else if (*s == '\r')
			obl_strbuf_addstr(out, "%0D");
		else if (*s == '\n')
			obl_strbuf_addstr(out, "%0A");
		else
			obl_strbuf_addch(out, *s);
	}
	obl_strbuf_release(&shown);
}

void obl_render_compare_github(struct obl_strbuf *out, const struct obl_comparison *rows,
			       size_t n, const struct obl_render_options *opt)
{
	const char *tool = opt->tool ? opt->tool : "obl-compare";
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *c = &rows[i];
		const char *level = NULL;
		if (obl_render_row_fails(c, opt))
			level = "error";
		else if (c->presence == OBL_PAIRED && c->verdict == OBL_VERDICT_WORSE)
			level = "warning";
		else if (c->presence == OBL_PAIRED && c->gating &&
			 c->verdict == OBL_VERDICT_INCONCLUSIVE)
			level = "warning";
		else if (c->presence == OBL_PAIRED && c->gating && c->verdict == OBL_VERDICT_BETTER)
			level = "notice";
		else if (c->presence == OBL_MISSING)
			level = "warning";
		if (!level)
			continue;
		obl_strbuf_reset(&sb);
		if (c->candidate_name && c->baseline_name && opt->tool)
			obl_strbuf_addf(&sb, "%s against %s: ", c->candidate_name, c->baseline_name);
		else if (c->candidate_name)
			obl_strbuf_addf(&sb, "%s: ", c->candidate_name);
		describe_row(&sb, c);
		obl_strbuf_addf(out, "::%s title=%s %s::", level, tool, obl_row_verdict(c));
		github_escape(out, sb.buf);
		obl_strbuf_addch(out, '\n');
	}
	for (size_t k = 0; k < opt->n_warnings; k++) {
		obl_strbuf_addf(out, "::warning title=%s %s::", tool, opt->warnings[k].kind);
		github_escape(out, opt->warnings[k].message);
		obl_strbuf_addch(out, '\n');
	}
	obl_strbuf_release(&sb);
}
