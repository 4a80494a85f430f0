/*
 * summary.c - what a set of compared rows adds up to: the verdicts counted and the geometric
 * mean of the changes over scenarios. Renderers print these; they compute nothing.
 */
#include "compare.h"

#include <math.h>
#include <string.h>

void obl_count_verdicts(const struct obl_comparison *rows, size_t n, size_t counts[5])
{
	memset(counts, 0, 5 * sizeof *counts);
	for (size_t i = 0; i < n; i++)
		if (rows[i].presence == OBL_PAIRED)
			counts[rows[i].verdict]++;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

size_t obl_geomean(const struct obl_comparison *rows, size_t n, const char *metric,
		   const char *stat, const char *candidate, double *ratio)
{
	double sum = 0;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *r = &rows[i];
		/* the row across scenarios is itself a mean over the scenarios: not one more */
		if (r->presence != OBL_PAIRED || r->across || !same_text(r->metric, metric) ||
		    !same_text(r->stat_name, stat) || !same_text(r->candidate_name, candidate) ||
		    !(r->relative.estimate > -1) || !isfinite(r->relative.estimate))
			continue;
		sum += log1p(r->relative.estimate);
		used++;
	}
	*ratio = used ? exp(sum / (double)used) : NAN;
	return used;
}
