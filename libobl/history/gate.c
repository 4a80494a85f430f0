/*
 * gate.c - the newest run against the runs since each series' last change point (short
 * excursions left out), compared by obl-compare's own code (obl_groups_compare): repetitions
 * as the unit, Holm across the gating rows, the practical threshold, the same verdicts.
 */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* The point where the newest level began for series s (the last change point before its last
 * point), or SIZE_MAX when the series does not reach the newest run or has no earlier run. */
static size_t baseline_start(const struct obl_history *h, const struct obl_history_series *s)
{
	if (s->n_points < 2 || s->run[s->n_points - 1] != h->n_runs - 1)
		return SIZE_MAX;
	size_t last = s->n_points - 1, from = 0;
	for (size_t i = 0; i < s->n_cps; i++)
		if (s->cps[i].point < last && s->cps[i].point > from)
			from = s->cps[i].point;
	return from;
}

/* Whether run r lies in one of the short excursions of s: the baseline leaves them out, as the
 * levels do. */
static int in_excursion(const struct obl_history_series *s, size_t r)
{
	for (size_t i = 0; i < s->n_excursions; i++) {
		const struct obl_history_excursion *e = &s->excursions[i];
		if (r >= s->run[e->point] && r <= s->run[e->point + e->n_runs - 1])
			return 1;
	}
	return 0;
}

/* Replaces each trial's values by their statistic (one value a repetition): what the
 * comparison by repetitions reads of them, at a fraction of the memory. */
static int reduce(struct obl_group *g, const char *name)
{
	struct obl_statistic stat = obl_stat_median;
	if (g->kind == OBL_KIND_AGGREGATE)
		stat = obl_stat_mean;
	else
		obl_statistic_parse(name, &stat);
	size_t most = 1;
	for (size_t t = 0; t < g->trials; t++)
		most = g->per_trial[t].n > most ? g->per_trial[t].n : most;
	double *scratch = malloc(most * sizeof *scratch);
	if (!scratch)
		return OBL_ENOMEM;
	for (size_t t = 0; t < g->trials; t++) {
		struct obl_values *v = &g->per_trial[t];
		if (v->n <= 1)
			continue;
		double x = obl_values_statistic(v, stat, scratch);
		v->v[0] = x;
		v->n = 1;
	}
	free(scratch);
	return OBL_OK;
}

/* Moves the trials of src to the end of dst (src keeps its strings, no trials). */
static int append_trials(struct obl_group *dst, struct obl_group *src)
{
	size_t n = dst->trials + src->trials;
	struct obl_values *pv = realloc(dst->per_trial, (n ? n : 1) * sizeof *pv);
	if (!pv)
		return OBL_ENOMEM;
	dst->per_trial = pv;
	double *ps = realloc(dst->successes, (n ? n : 1) * sizeof *ps);
	if (!ps)
		return OBL_ENOMEM;
	dst->successes = ps;
	double *pt = realloc(dst->totals, (n ? n : 1) * sizeof *pt);
	if (!pt)
		return OBL_ENOMEM;
	dst->totals = pt;
	for (size_t t = 0; t < src->trials; t++) {
		dst->per_trial[dst->trials + t] = src->per_trial[t];
		dst->successes[dst->trials + t] = src->successes[t];
		dst->totals[dst->trials + t] = src->totals[t];
	}
	dst->trials = n;
	src->trials = 0;
	return OBL_OK;
}

static const struct obl_history_series *find_series(const struct obl_history *h,
						    const struct obl_group *g, size_t *index)
{
	for (size_t i = 0; i < h->n_series; i++) /* few series: a scan */
		if (!strcmp(h->series[i].metric, g->metric) &&
		    !strcmp(h->series[i].scenario_canonical, g->scenario_canonical)) {
			*index = i;
			return &h->series[i];
		}
	return NULL;
}

/* Adds a note of kind `kind` about run `run` to out's warnings (every format shows them). */
static int note(struct obl_db_comparison *out, const char *kind, const char *run,
		const char *message)
{
	struct obl_warning *w = realloc(out->warnings, (out->n_warnings + 1) * sizeof *w);
	if (!w)
		return OBL_ENOMEM;
	out->warnings = w;
	w = &out->warnings[out->n_warnings];
	*w = (struct obl_warning){ kind, run, NULL, 0, NULL };
	if (obl_warning_format(w, "%s", message))
		return OBL_ENOMEM;
	out->n_warnings++;
	return OBL_OK;
}

/* The series earlier runs have and the newest run lacks (gaps: said, never a failure), as
 * one note naming the first ten. */
static int note_gaps(const struct obl_history *h, struct obl_db_comparison *out)
{
	const char *newest = h->runs[h->n_runs - 1].label;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	size_t gaps = 0;
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		if (!s->n_points || s->run[s->n_points - 1] == h->n_runs - 1)
			continue;
		if (gaps++ < 10) {
			obl_strbuf_addstr(&sb, gaps > 1 ? "; " : "");
			obl_strbuf_addf(&sb, "%s %s", s->scenario_canonical[0] ? s->scenario_canonical : "(run)",
					s->metric);
		}
	}
	if (!gaps) {
		obl_strbuf_release(&sb);
		return OBL_OK;
	}
	if (gaps > 10)
		obl_strbuf_addf(&sb, "; and %zu more", gaps - 10);
	struct obl_strbuf msg;
	obl_strbuf_init(&msg);
	obl_strbuf_addf(&msg,
			"the newest run, %s, lacks %zu series the earlier runs have (not checked, "
			"not a failure): %s",
			newest, gaps, obl_strbuf_failed(&sb) ? "" : sb.buf);
	int rc = obl_strbuf_failed(&msg) ? OBL_ENOMEM : note(out, "gap", newest, msg.buf);
	obl_strbuf_release(&sb);
	obl_strbuf_release(&msg);
	return rc;
}

int obl_history_check_latest(struct obl_store *s, const char *path, const struct obl_history *h,
			     const struct obl_db_compare_options *opt,
			     struct obl_db_comparison *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	if (h->n_runs == 1) { /* the first night of a project: nothing to compare with yet */
		struct obl_strbuf msg;
		obl_strbuf_init(&msg);
		obl_strbuf_addf(&msg,
				"the database holds one run, %s: the newest run has no earlier run "
				"to compare with, so the gate passes",
				h->runs[0].label);
		int rc = obl_strbuf_failed(&msg) ? OBL_ENOMEM
						 : note(out, "no-baseline", h->runs[0].label, msg.buf);
		obl_strbuf_release(&msg);
		return rc ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory") : OBL_OK;
	}
	if (h->n_runs < 2)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "a history needs a run to check (it has none)");
	const char *newest = h->runs[h->n_runs - 1].label;
	size_t *from = malloc(h->n_series * sizeof *from + 1);
	struct obl_group *pooled = calloc(h->n_series + 1, sizeof *pooled);
	int *by_rep = calloc(h->n_series + 1, sizeof *by_rep);
	struct obl_group *cand = NULL;
	size_t n_cand = 0, first_run = h->n_runs - 1;
	int rc = OBL_OK;
	if (!from || !pooled || !by_rep)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < h->n_series; i++) {
		size_t p = baseline_start(h, &h->series[i]);
		from[i] = p == SIZE_MAX ? SIZE_MAX : h->series[i].run[p];
		if (from[i] < first_run)
			first_run = from[i];
	}
	/* the newest run first: whether it has enough repetitions decides whether the baseline
	 * is compared by repetitions (then its trials shrink to one value each) */
	const struct obl_store_filter fc = { newest, h->opt.metric, h->opt.scenario,
					     h->opt.scenario_len };
	if (!rc)
		rc = obl_store_groups(s, &fc, &cand, &n_cand, err);
	for (size_t k = 0; !rc && k < n_cand; k++) {
		size_t i;
		if (find_series(h, &cand[k], &i))
			by_rep[i] = cand[k].kind == OBL_KIND_AGGREGATE ||
				    (cand[k].kind == OBL_KIND_SAMPLE &&
				     cand[k].trials >= opt->min_repetitions);
	}
	for (size_t r = first_run; !rc && r + 1 < h->n_runs; r++) {
		const struct obl_store_filter f = { h->runs[r].label, h->opt.metric, h->opt.scenario,
						    h->opt.scenario_len };
		struct obl_group *g = NULL;
		size_t ng = 0;
		rc = obl_store_groups(s, &f, &g, &ng, err);
		for (size_t k = 0; !rc && k < ng; k++) {
			size_t i;
			if (!find_series(h, &g[k], &i) || from[i] == SIZE_MAX || r < from[i] ||
			    in_excursion(&h->series[i], r))
				continue;
			if (by_rep[i] && reduce(&g[k], h->series[i].stat))
				rc = OBL_ENOMEM;
			else if (!pooled[i].text) {
				pooled[i] = g[k]; /* taken over whole */
				memset(&g[k], 0, sizeof g[k]);
			} else if (append_trials(&pooled[i], &g[k]))
				rc = OBL_ENOMEM;
			if (rc)
				obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
		obl_groups_free(g, ng);
	}
	/* the baseline side: the pooled groups, in the series' order */
	size_t n_base = 0;
	for (size_t i = 0; pooled && i < h->n_series; i++)
		if (pooled[i].text)
			pooled[n_base++] = pooled[i];
	struct obl_group *base = pooled;
	free(from);
	free(by_rep);
	if (rc) {
		obl_groups_free(base, n_base);
		obl_groups_free(cand, n_cand);
		return rc;
	}
	if (n_base == 0) { /* only new series: nothing to compare with yet, as on a first night */
		obl_groups_free(base, n_base);
		obl_groups_free(cand, n_cand);
		struct obl_strbuf msg;
		obl_strbuf_init(&msg);
		obl_strbuf_addf(&msg,
				"no series of the newest run, %s, has an earlier run to compare with, "
				"so the gate passes",
				newest);
		rc = obl_strbuf_failed(&msg) ? OBL_ENOMEM : note(out, "no-baseline", newest, msg.buf);
		obl_strbuf_release(&msg);
		if (!rc)
			rc = note_gaps(h, out);
		return rc ? obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory") : OBL_OK;
	}
	struct obl_group *groups[2] = { base, cand };
	const size_t counts[2] = { n_base, n_cand };
	const char *labels[2] = { "since last change", newest };
	const char *paths[2] = { path, path };
	rc = obl_groups_compare(groups, counts, labels, paths, 2, opt, out, err);
	if (!rc && note_gaps(h, out))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return rc;
}
