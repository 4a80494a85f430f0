/*
 * gate.c - the gate: what the user says about each metric (--threshold METRIC=X, gate files:
 * threshold, statistics, direction, whether it gates, and settings), and the decisions on a
 * finished comparison: whether it fails (a gating row worse, or with --strict a gating row
 * inconclusive; the tools' exit status) and whether it could have failed at all.
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbcompare.h"
#include "input.h"
#include "options.h"

int obl_rows_regressed(const struct obl_comparison *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating &&
		    rows[i].verdict == OBL_VERDICT_WORSE)
			return 1;
	return 0;
}

int obl_gate_fails(const struct obl_comparison *rows, size_t n, int strict)
{
	if (obl_rows_regressed(rows, n))
		return 1;
	for (size_t i = 0; strict && i < n; i++) /* requests of 1-2 repetitions included: they
						     * cannot conclude, which is what --strict
						     * refuses */
		if (rows[i].presence == OBL_PAIRED && rows[i].gating &&
		    rows[i].verdict == OBL_VERDICT_INCONCLUSIVE)
			return 1;
	return 0;
}

int obl_gate_cannot_fail(const struct obl_comparison *rows, size_t n)
{
	size_t gating = 0, hopeless = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating && !isnan(rows[i].p_value) &&
		    !rows[i].dependent && !rows[i].no_variance) {
			gating++;
			hopeless += rows[i].cannot_reject;
		}
	return gating > 0 && hopeless == gating;
}

static struct obl_metric_rule *add_rule(struct obl_metric_rule **rules, size_t *n,
					const char *metric)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*rules)[i].metric, metric))
			return &(*rules)[i];
	struct obl_metric_rule *p = realloc(*rules, (*n + 1) * sizeof *p);
	if (!p)
		return NULL;
	*rules = p;
	struct obl_metric_rule *r = &p[(*n)++];
	memset(r, 0, sizeof *r);
	snprintf(r->metric, sizeof r->metric, "%s", metric);
	r->threshold = NAN;
	r->gates = -1;
	r->direction = -1;
	return r;
}
/* A threshold as written: "5%" or "0.05"; a bare number of 1 or more is refused, since the
 * reader meant a percentage and would get a threshold no change can cross. */
static int parse_threshold(const char *text, double *v, const char *path, long line,
			   const char *what, struct obl_error *err)
{
	if (obl_parse_number(text, v) || *v < 0)
		return obl_error_set(err, OBL_EUSAGE, path, line, what,
				     "expected a number such as 2%% or 0.02, got '%s'", text);
	if (*v >= 1 && !strchr(text, '%'))
		return obl_error_set(err, OBL_EUSAGE, path, line, what,
				     "%s would mean %g%%; write %s%% or %g", text, *v * 100, text,
				     *v / 100);
	return OBL_OK;
}
int obl_threshold_arg(const char *arg, double *def, struct obl_metric_rule **rules, size_t *n,
		      struct obl_error *err)
{
	const char *eq = strchr(arg, '=');
	double v;
	if (!eq) {
		int rc = parse_threshold(arg, &v, NULL, 0, "--threshold", err);
		if (!rc)
			*def = v;
		return rc;
	}
	char metric[128];
	snprintf(metric, sizeof metric, "%.*s", (int)(eq - arg), arg);
	if (!metric[0])
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--threshold",
				     "expected METRIC=X such as ttft_ms=5%%, got '%s'", arg);
	int rc = parse_threshold(eq + 1, &v, NULL, 0, "--threshold", err);
	if (rc)
		return rc;
	struct obl_metric_rule *r = add_rule(rules, n, metric);
	if (!r)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	r->threshold = v;
	return OBL_OK;
}
/* "set NAME=VALUE" in a gate file. */
static int gate_setting(const char *tok, struct obl_db_compare_options *opt, const char *path,
			long line, struct obl_error *err)
{
	double v;
	if (!strcmp(tok, "unit=request"))
		opt->unit_request = 1;
	else if (!strcmp(tok, "unit=repetition"))
		opt->unit_request = 0;
	else if (!strcmp(tok, "family=per-candidate"))
		opt->family_per_candidate = 1;
	else if (!strcmp(tok, "family=all"))
		opt->family_per_candidate = 0;
	else if (!strcmp(tok, "across=gate"))
		opt->across_gates = 1;
	else if (!strcmp(tok, "across=info"))
		opt->across_gates = 0;
	else if (!strncmp(tok, "skip-reps=", 10) && !obl_parse_number(tok + 10, &v) && v >= 0 &&
		 v == floor(v) && v < 1e6)
		opt->skip_reps = (size_t)v;
	else
		return obl_error_set(err, OBL_EUSAGE, path, line, tok,
				     "expected unit=request|repetition, skip-reps=N, "
				     "family=per-candidate|all or across=gate|info");
	return OBL_OK;
}
int obl_gate_file_read(const char *path, struct obl_db_compare_options *opt,
		       struct obl_error *err)
{
	struct obl_file f;
	int rc = obl_file_read(path, &f, err);
	if (rc)
		return rc;
	char *save_line = NULL;
	long line = 0;
	const char *p = f.data, *end = f.data + f.len;
	while (!rc && p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", (int)(eol - p), p);
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = 0;
		char *tok = strtok_r(buf, " \t\r", &save_line);
		if (tok && !strcmp(tok, "set")) {
			while (!rc && (tok = strtok_r(NULL, " \t\r", &save_line)))
				rc = gate_setting(tok, opt, path, line, err);
		} else if (tok) {
			struct obl_metric_rule *r = add_rule(&opt->rules, &opt->n_rules, tok);
			if (!r)
				rc = obl_error_set(err, OBL_ENOMEM, path, line, NULL, "out of memory");
			while (!rc && (tok = strtok_r(NULL, " \t\r", &save_line))) {
				double v;
				if (!strncmp(tok, "threshold=", 10)) {
					rc = parse_threshold(tok + 10, &v, path, line, tok, err);
					if (!rc)
						r->threshold = v;
				} else if (!strncmp(tok, "stat=", 5)) {
					char list[128];
					snprintf(list, sizeof list, "%s", tok + 5);
					char *s2 = NULL;
					for (char *s = strtok_r(list, ",", &s2); s && !rc;
					     s = strtok_r(NULL, ",", &s2))
						if (!obl_statistic_named(s))
							rc = obl_error_set(err, OBL_EUSAGE, path, line,
									   tok,
									   "'%s' is not mean, median "
									   "or pNN",
									   s);
					snprintf(r->stats, sizeof r->stats, "%s", tok + 5);
				} else if (!strcmp(tok, "gate=yes") || !strcmp(tok, "gate=no")) {
					r->gates = !strcmp(tok, "gate=yes");
				} else if (!strcmp(tok, "direction=lower") ||
					   !strcmp(tok, "direction=higher")) {
					r->direction = !strcmp(tok, "direction=lower")
							       ? OBL_LOWER_IS_BETTER
							       : OBL_HIGHER_IS_BETTER;
				} else {
					rc = obl_error_set(err, OBL_EUSAGE, path, line, tok,
							   "expected threshold=X, stat=S[,S], "
							   "gate=yes|no or direction=lower|higher");
				}
			}
		}
		p = eol + 1;
	}
	obl_file_release(&f);
	return rc;
}
