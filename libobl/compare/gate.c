/*
 * gate.c - the gate: what the user says about each metric (--threshold METRIC=X, gate files:
 * threshold, statistics, whether it gates), and the decision whether a comparison fails (a
 * gating row worse, or with --strict a gating row inconclusive), the tools' exit status.
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
	for (size_t i = 0; strict && i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating &&
		    rows[i].verdict == OBL_VERDICT_INCONCLUSIVE)
			return 1;
	return 0;
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
	r->gates = 1;
	return r;
}
int obl_threshold_arg(const char *arg, double *def, struct obl_metric_rule **rules, size_t *n,
		      struct obl_error *err)
{
	const char *eq = strchr(arg, '=');
	double v;
	if (!eq) {
		if (obl_parse_number(arg, &v) || v < 0)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--threshold",
					     "expected a number such as 2%% or 0.02, got '%s'", arg);
		*def = v;
		return OBL_OK;
	}
	char metric[128];
	snprintf(metric, sizeof metric, "%.*s", (int)(eq - arg), arg);
	if (!metric[0] || obl_parse_number(eq + 1, &v) || v < 0)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--threshold",
				     "expected METRIC=X such as ttft_ms=5%%, got '%s'", arg);
	struct obl_metric_rule *r = add_rule(rules, n, metric);
	if (!r)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	r->threshold = v;
	return OBL_OK;
}
int obl_gate_file_read(const char *path, struct obl_metric_rule **rules, size_t *n,
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
		if (tok) {
			struct obl_metric_rule *r = add_rule(rules, n, tok);
			if (!r)
				rc = obl_error_set(err, OBL_ENOMEM, path, line, NULL, "out of memory");
			while (!rc && (tok = strtok_r(NULL, " \t\r", &save_line))) {
				double v;
				if (!strncmp(tok, "threshold=", 10) && !obl_parse_number(tok + 10, &v) &&
				    v >= 0) {
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
				} else {
					rc = obl_error_set(err, OBL_EUSAGE, path, line, tok,
							   "expected threshold=X, stat=S[,S] or "
							   "gate=yes|no");
				}
			}
		}
		p = eol + 1;
	}
	obl_file_release(&f);
	return rc;
}
