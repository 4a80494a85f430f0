/*
 * describe.h - one row of obl-stats: the description of one sample (a file's column, or a
 * run x scenario x metric of a database) with intervals for its centre and tails.
 */
#ifndef OBL_DESCRIBE_H
#define OBL_DESCRIBE_H

#include <stddef.h>

#include "error.h"
#include "kv.h"

struct obl_interval {
	double low, high;   /* NaN when undefined */
	const char *reason; /* static string saying why it is undefined; NULL otherwise */
};

struct obl_stats_row {
	/* Identity: borrowed strings; name is the file (plain input) or NULL. */
	const char *name, *run, *metric, *unit;
	const struct obl_kv *scenario;
	size_t scenario_len;
	size_t repetitions; /* trials the values came from (0: not applicable) */

	size_t n;
	double mean, sd, min, max, median, p90, p99; /* quantiles of type 7 */
	double confidence;
	struct obl_interval mean_ci, median_ci, p90_ci, p99_ci;
	double autocorr_lag1; /* in the order read; NaN with fewer than 3 values or no spread */
};

/*
 * Describes v[0..n) (finite values; v is sorted in place). Identity fields are left for the
 * caller. With n == 1 the spread and every interval are undefined (reasons given); n == 0
 * is an error.
 */
OBL_MUST_CHECK int obl_describe(double *v, size_t n, double confidence, struct obl_stats_row *row,
				struct obl_error *err);

#endif
