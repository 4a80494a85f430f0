/*
 * adjust.c - p-value adjustment for multiple comparisons, as R's p.adjust.
 *
 * Holm controls the family-wise error rate under any dependence, which is what a CI gate
 * over many (scenario, metric) rows needs; Benjamini-Hochberg controls the false discovery
 * rate; Bonferroni is the simple bound. NaN p-values are not part of the family.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

struct indexed {
	double p;
	size_t index;
};

/* Ascending by p, ties in input order (R's order() is stable). */
static int by_p(const void *a, const void *b)
{
	const struct indexed *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

int stats_p_adjust(const double *p, size_t n, enum stats_adjust_method method, double *adjusted)
{
	struct indexed *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return STATS_ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isnan(p[i]) && (p[i] < 0 || p[i] > 1)) {
			free(v);
			return STATS_EINVAL;
		}
		if (!isnan(p[i]))
			v[m++] = (struct indexed){ p[i], i };
	}
	/* From here the input may be overwritten (adjusted may alias p). */
	for (size_t i = 0; i < n; i++)
		if (isnan(p[i]))
			adjusted[i] = NAN;
	qsort(v, m, sizeof *v, by_p);
	double dm = (double)m;
	switch (method) {
	case STATS_ADJUST_NONE:
		for (size_t i = 0; i < m; i++)
			adjusted[v[i].index] = v[i].p;
		break;
	case STATS_ADJUST_BONFERRONI:
		for (size_t i = 0; i < m; i++)
			adjusted[v[i].index] = fmin(1, dm * v[i].p);
		break;
	case STATS_ADJUST_HOLM: {
		double running = 0;
		for (size_t i = 0; i < m; i++) {
			running = fmax(running, (dm - (double)i) * v[i].p);
			adjusted[v[i].index] = fmin(1, running);
		}
		break;
	}
	case STATS_ADJUST_BH: {
		double running = INFINITY;
		for (size_t i = m; i-- > 0;) {
			running = fmin(running, dm / (double)(i + 1) * v[i].p);
			adjusted[v[i].index] = fmin(1, running);
		}
		break;
	}
	default:
		free(v);
		return STATS_EINVAL;
	}
	free(v);
	return STATS_OK;
}
