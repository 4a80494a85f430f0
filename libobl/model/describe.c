/*
 * describe.c - summary statistics and intervals of one sample for obl-stats.
 *
 * The mean gets the t interval; the median, p90 and p99 get distribution-free
 * order-statistic intervals, which assume nothing about the shape of the latency
 * distribution (see stats_quantile_ci).
 */
#include "describe.h"

#include <math.h>
#include <string.h>

#include "stats.h"

static void quantile_interval(const double *sorted, size_t n, double p, double confidence,
			      struct obl_interval *out)
{
	struct stats_quantile_ci q;
	out->low = out->high = NAN;
	out->reason = NULL;
	if (stats_quantile_ci_sorted(sorted, n, p, confidence, &q)) {
		out->reason = "undefined";
		return;
	}
	if (!q.achievable) {
		out->reason = "too few values for a distribution-free interval at this confidence";
		return;
	}
	out->low = q.ci_low;
	out->high = q.ci_high;
}

int obl_describe(double *v, size_t n, double confidence, struct obl_stats_row *row,
		 struct obl_error *err)
{
	row->n = n;
	row->confidence = confidence;
	if (n == 0)
		return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "no values");
	row->autocorr_lag1 = stats_autocorr_lag1(v, n); /* before sorting: the order matters */
	int rc = stats_sort(v, n);
	if (rc)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	struct stats_summary s;
	rc = stats_summary_sorted(v, n, &s);
	if (rc)
		return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "%s", stats_strerror(rc));
	row->mean = s.mean;
	row->sd = s.sd;
	row->min = s.min;
	row->max = s.max;
	row->median = s.median;
	row->p90 = stats_quantile_sorted(v, n, 0.90, 7);
	row->p99 = stats_quantile_sorted(v, n, 0.99, 7);

	struct stats_ttest t;
	rc = stats_t_one_sample(v, n, STATS_TWO_SIDED, confidence, 0, &t);
	row->mean_ci = (struct obl_interval){ t.ci_low, t.ci_high, NULL };
	if (rc == STATS_EZEROVAR)
		row->mean_ci = (struct obl_interval){ s.mean, s.mean, NULL };
	else if (rc)
		row->mean_ci.reason = n < 2 ? "a single value" : stats_strerror(rc);
	if (n < 2) {
		const struct obl_interval single = { NAN, NAN, "a single value" };
		row->median_ci = row->p90_ci = row->p99_ci = single;
		return OBL_OK;
	}
	quantile_interval(v, n, 0.50, confidence, &row->median_ci);
	quantile_interval(v, n, 0.90, confidence, &row->p90_ci);
	quantile_interval(v, n, 0.99, confidence, &row->p99_ci);
	return OBL_OK;
}
