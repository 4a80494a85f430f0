/*
 * summarize.c - stored groups to obl-stats rows (see summarize.h).
 */
#include "summarize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

int obl_is_sqlite_file(const char *path)
{
	char head[16];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	return n == sizeof head && !memcmp(head, "SQLite format 3", 16);
}

int obl_is_database(const char *path)
{
	return obl_store_is_server(path) || obl_is_sqlite_file(path);
}

static int proportion_row(const struct obl_group *g, double confidence,
			  struct obl_stats_row *row)
{
	double s = 0, t = 0;
	for (size_t i = 0; i < g->trials; i++) {
		if (!isnan(g->totals[i])) {
			s += g->successes[i];
			t += g->totals[i];
		}
		for (size_t k = 0; k < g->per_trial[i].n; k++) { /* 0/1 outcomes */
			s += g->per_trial[i].v[k];
			t += 1;
		}
	}
	row->n = (size_t)t;
	row->confidence = confidence;
	row->mean = t > 0 ? s / t : NAN;
	row->sd = row->min = row->max = row->median = row->p90 = row->p99 = NAN;
	const struct obl_interval none = { NAN, NAN, "not defined for a proportion" };
	row->median_ci = row->p90_ci = row->p99_ci = none;
	struct stats_interval w;
	if (t >= 1 && stats_wilson_ci(s, t, confidence, STATS_TWO_SIDED, 0, &w) == STATS_OK)
		row->mean_ci = (struct obl_interval){ w.ci_low, w.ci_high, NULL };
	else
		row->mean_ci = (struct obl_interval){ NAN, NAN, "no trials" };
	return OBL_OK;
}

/* Rows of groups[0..n); in_place: the groups' values may be reordered (sorted) where they lie. */
static int summarize(const struct obl_group *groups, size_t n, double confidence, int in_place,
		     struct obl_stats_row *rows, struct obl_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct obl_group *g = &groups[i];
		struct obl_stats_row *row = &rows[i];
		memset(row, 0, sizeof *row);
		row->run = g->run;
		row->metric = g->metric;
		row->unit = g->unit;
		row->scenario = g->scenario;
		row->scenario_len = g->scenario_len;
		row->repetitions = g->trials;
		if (g->kind == OBL_KIND_PROPORTION) {
			proportion_row(g, confidence, row);
			continue;
		}
		size_t total = 0;
		for (size_t t = 0; t < g->trials; t++)
			total += g->per_trial[t].n;
		if (g->values_are_runs) /* each value a run of the benchmark */
			row->repetitions = total;
		/* The values of all trials, pooled: where they already lie one after another (a
		 * group read by obl_store_each_group), described where they are, in place. */
		double *at_once = NULL, *pooled = NULL;
		size_t seen = 0;
		int contiguous = in_place;
		for (size_t t = 0; contiguous && t < g->trials; t++) {
			if (!g->per_trial[t].n)
				continue;
			if (!at_once)
				at_once = g->per_trial[t].v;
			else if (g->per_trial[t].v != at_once + seen)
				contiguous = 0;
			seen += g->per_trial[t].n;
		}
		if (!contiguous || !at_once) {
			pooled = malloc((total ? total : 1) * sizeof *pooled);
			if (!pooled)
				return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			size_t at = 0;
			for (size_t t = 0; t < g->trials; t++) {
				if (g->per_trial[t].n)
					memcpy(pooled + at, g->per_trial[t].v,
					       g->per_trial[t].n * sizeof *pooled);
				at += g->per_trial[t].n;
			}
		}
		int rc = obl_describe(pooled ? pooled : at_once, total, confidence, row, err);
		free(pooled);
		if (rc)
			return rc;
	}
	return OBL_OK;
}

int obl_summarize_groups(const struct obl_group *groups, size_t n, double confidence,
			 struct obl_stats_row *rows, struct obl_error *err)
{
	return summarize(groups, n, confidence, 0, rows, err);
}

struct summary_walk {
	struct obl_stats_rows *out;
	size_t alloc;
	double confidence;
};

/* One group: its row, and a copy of its names (the group's own go when the call returns). */
static int summarize_one(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	struct summary_walk *w = ctx;
	struct obl_stats_rows *o = w->out;
	if (o->n == w->alloc) {
		size_t alloc = w->alloc ? 2 * w->alloc : 64;
		struct obl_stats_row *r = realloc(o->rows, alloc * sizeof *r);
		if (r)
			o->rows = r;
		struct obl_group *h = r ? realloc(o->names, alloc * sizeof *h) : NULL;
		if (!h)
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		o->names = h;
		w->alloc = alloc;
	}
	struct obl_group *h = &o->names[o->n];
	memset(h, 0, sizeof *h);
	if (obl_group_set_text(h, g->run, g->scenario_canonical, g->metric, g->unit, g->scenario,
			       g->scenario_len))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	struct obl_stats_row *row = &o->rows[o->n++];
	/* the values are freed after this call: sorting them in place saves a copy */
	int rc = summarize(g, 1, w->confidence, 1, row, err);
	row->run = h->run;
	row->metric = h->metric;
	row->unit = h->unit;
	row->scenario = h->scenario;
	return rc;
}

int obl_summarize_store(struct obl_store *s, const struct obl_store_filter *filter,
			double confidence, struct obl_stats_rows *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	struct summary_walk w = { out, 0, confidence };
	int rc = obl_store_each_group(s, filter, OBL_ORDER_RUN, summarize_one, &w, err);
	if (rc)
		obl_stats_rows_free(out);
	return rc;
}

void obl_stats_rows_free(struct obl_stats_rows *r)
{
	obl_groups_free(r->names, r->n);
	free(r->rows);
	memset(r, 0, sizeof *r);
}
