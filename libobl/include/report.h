/*
 * report.h - the A/B report: a baseline run and candidate runs, compared exactly as
 * obl-compare does (dbcompare.c), written as a document (doc.h) that a reviewer reads: title
 * block, verdict summary in words, a table per scenario, capacity under a latency SLO, charts
 * and the methodology with its warnings.
 */
#ifndef OBL_REPORT_H
#define OBL_REPORT_H

#include "dbcompare.h"
#include "doc.h"

/* A latency objective: the quantile `quantile` of `metric` must stay at or below `limit`. */
struct obl_slo {
	char name[128];   /* as given, e.g. "ttft_p95_ms" */
	char metric[128]; /* ttft_ms */
	double quantile;  /* 0.95 */
	double limit;     /* 2000 (in the metric's unit) */
};

/* Parses "ttft_p95_ms=2000" (NAME_pQQ_UNIT: metric NAME_UNIT, quantile QQ%), also
 * "p95_ttft_ms=2000" (vLLM's spelling). Errors name the argument. */
OBL_MUST_CHECK int obl_slo_parse(const char *arg, struct obl_slo *slo, struct obl_error *err);

struct obl_report_options {
	const char *title;          /* NULL: "BASELINE vs CANDIDATE, ..." */
	const struct obl_slo *slos; /* none: ttft_p95_ms=2000 */
	size_t n_slos;
	int charts; /* 0: no charts section */
	struct obl_db_compare_options compare;
};

/*
 * Builds the report of sides[1..n) against sides[0] into doc (initialised by the caller;
 * free it with obl_doc_free). *regressed is set as obl-compare's exit status would be: 1 if a
 * gating row is worse. Errors (an unreadable store, no rows) are returned with err set.
 */
OBL_MUST_CHECK int obl_report_build(const struct obl_db_side *sides, size_t n_sides,
				    const struct obl_report_options *opt, struct obl_doc *doc, int *regressed,
				    struct obl_error *err);

/*
 * obl-report --history: the change points of a history (history.h, already detected) as a
 * document: runs, the changes in words, the table of change points, a chart per series that
 * changed (charts != 0), methodology. db_path names the database in the text.
 */
struct obl_history;
OBL_MUST_CHECK int obl_report_history(const struct obl_history *h, const char *db_path, const char *title,
				      int charts, struct obl_doc *doc, struct obl_error *err);

#endif
