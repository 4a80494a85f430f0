/*
 * gate.c - the newest run against the runs since each series' last change point (short
 * excursions left out), with obl-compare's verdicts, Holm across the gating rows and the
 * practical threshold. The runs are the unit: the newest run's level (the geometric mean of
 * its repetitions' statistic) against the levels of the baseline runs by the Student
 * prediction interval (obl_compare_prediction), so the spread from night to night is what it
 * is judged by, with one repetition a night as with ten. A series with one baseline run
 * falls back to obl-compare's comparison of the two runs' repetitions; proportions are
 * compared as counts. A series in the run before the newest and not in the newest is a
 * missing row, which fails the gate (obl_history_gate_fails).
 */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* The point where series s's last level began (the last change point at or before its last
 * point, short of the newest run), or SIZE_MAX when s has no baseline: it has only the newest
 * run, or its last point is neither the newest run nor the one before. *missing is set when
 * s is in the run before the newest and not in the newest: a series the newest run lost. */
static size_t baseline_start(const struct obl_history *h, const struct obl_history_series *s,
			     int *missing)
{
	*missing = 0;
	if (s->n_points == 0 || h->n_runs < 2)
		return SIZE_MAX;
	size_t last = s->n_points - 1, from = 0;
	if (s->run[last] == h->n_runs - 1) {
		if (s->n_points < 2)
			return SIZE_MAX;
		for (size_t i = 0; i < s->n_cps; i++)
			if (s->cps[i].point < last && s->cps[i].point > from)
				from = s->cps[i].point;
		return from;
	}
	if (s->run[last] != h->n_runs - 2)
		return SIZE_MAX;
	*missing = 1;
	for (size_t i = 0; i < s->n_cps; i++)
		if (s->cps[i].point <= last && s->cps[i].point > from)
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

/* Room for the values of g's largest trial, where a statistic is taken (NULL: no memory). */
static double *scratch_for(const struct obl_group *g)
{
	size_t most = 1;
	for (size_t t = 0; t < g->trials; t++)
		most = g->per_trial[t].n > most ? g->per_trial[t].n : most;
	return malloc(most * sizeof(double));
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
	double *scratch = scratch_for(g);
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

/* What the gate keeps of one series besides its pooled baseline group. */
struct series_gate {
	size_t from;    /* first run of the baseline (SIZE_MAX: none) */
	int missing;    /* in the run before the newest, not in the newest */
	int by_rep;     /* the newest run is compared by repetitions: baseline trials reduced */
	int levels_ok;  /* every run's level is positive and finite */
	double *levels; /* the baseline runs' levels, in run order */
	size_t n_levels;
	size_t first, last; /* the baseline's first and last run */
	double *newest;     /* the newest run's repetition statistics */
	size_t n_newest;
};

/* The statistic the run levels of series s are made of, or 0 when its runs have no level
 * (proportions: their counts are compared). */
static int level_statistic(const struct obl_history_series *s, struct obl_statistic *stat)
{
	if (s->kind == OBL_KIND_PROPORTION)
		return 0;
	*stat = obl_stat_mean;
	return s->kind == OBL_KIND_AGGREGATE || obl_statistic_parse(s->stat, stat);
}

/* The statistic of each used repetition of g into out[0..*n) (out holds g->trials values),
 * repetitions dropped by --skip-reps left out as obl-compare leaves them. */
static int rep_statistics(const struct obl_group *g, struct obl_statistic stat, size_t skip,
			  double *out, size_t *n)
{
	double *scratch = scratch_for(g);
	if (!scratch)
		return OBL_ENOMEM;
	size_t first = skip < g->trials ? skip : g->trials ? g->trials - 1
							   : 0;
	*n = 0;
	for (size_t t = first; t < g->trials; t++) {
		double x = obl_values_statistic(&g->per_trial[t], stat, scratch);
		if (!isnan(x))
			out[(*n)++] = x;
	}
	free(scratch);
	return OBL_OK;
}

/* Adds run r's level (the geometric mean of its repetition statistics) to sg. */
static int add_level(struct series_gate *sg, const struct obl_history_series *s,
		     const struct obl_group *g, size_t skip, size_t r)
{
	if (!sg->n_levels)
		sg->first = r;
	sg->last = r;
	struct obl_statistic stat;
	double *reps = malloc((g->trials ? g->trials : 1) * sizeof *reps);
	double *p = realloc(sg->levels, (sg->n_levels + 1) * sizeof *p);
	if (p)
		sg->levels = p;
	size_t n = 0;
	if (!reps || !p || (level_statistic(s, &stat) && rep_statistics(g, stat, skip, reps, &n))) {
		free(reps);
		return OBL_ENOMEM;
	}
	long double sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(reps[i] > 0) || !isfinite(reps[i]))
			sg->levels_ok = 0;
		else
			sum += logl(reps[i]);
	}
	if (n == 0)
		sg->levels_ok = 0;
	sg->levels[sg->n_levels++] = n ? exp((double)(sum / n)) : NAN;
	free(reps);
	return OBL_OK;
}

/* "n3..n10, 8 runs", or the one run's label: what a series' baseline is. */
static void baseline_name(const struct obl_history *h, const struct series_gate *sg,
			  struct obl_strbuf *sb)
{
	obl_strbuf_reset(sb);
	if (sg->n_levels == 1)
		obl_strbuf_addstr(sb, h->runs[sg->first].label);
	else
		obl_strbuf_addf(sb, "%s..%s, %zu runs", h->runs[sg->first].label,
				h->runs[sg->last].label, sg->n_levels);
}

/* The series of a row: the one whose group (baseline side, else candidate) the row names. */
static size_t row_series(const struct obl_comparison *r, const struct obl_db_comparison *c,
			 const size_t *base_series, const size_t *cand_series)
{
	for (size_t side = 0; side < 2; side++)
		for (size_t k = 0; k < c->n_groups[side]; k++) {
			const struct obl_group *g = &c->groups[side][k];
			const size_t *map = side ? cand_series : base_series;
			if (g->scenario == r->scenario && !strcmp(g->metric, r->metric))
				return map[k];
		}
	return SIZE_MAX;
}

/* The row's test replaced by the runs-as-unit one (obl_compare_prediction); identity,
 * threshold, direction and gating stay. */
static int retest(struct obl_comparison *r, const struct series_gate *sg,
		  const struct obl_compare_options *co, struct obl_error *err)
{
	struct obl_comparison t;
	int rc = obl_compare_prediction(sg->levels, sg->n_levels, sg->newest, sg->n_newest, co,
					&t, err);
	if (rc)
		return rc;
	r->baseline = t.baseline;
	r->candidate = t.candidate;
	r->method = t.method;
	r->unit_of_analysis = t.unit_of_analysis;
	r->statistic = t.statistic;
	r->df = t.df;
	r->p_value = t.p_value;
	r->difference = t.difference;
	r->relative = t.relative;
	r->secondary.present = 0;
	r->needed_n = NAN;
	r->note = t.note;
	r->center_label = "gmean of runs";
	r->dependent = 0;
	r->no_variance = t.no_variance;
	r->unit_var = t.unit_var;
	r->min_p = 0;
	return OBL_OK;
}

/* 1 if there are values and each is positive and finite: levels the prediction interval
 * takes (on logs). A newest run at 0 (a throughput that fell to nothing) is compared as
 * obl-compare compares the runs' repetitions instead. */
static int positive(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(v[i] > 0) || !isfinite(v[i]))
			return 0;
	return n > 0;
}

static void series_gates_free(struct series_gate *sg, size_t n)
{
	for (size_t i = 0; sg && i < n; i++) {
		free(sg[i].levels);
		free(sg[i].newest);
	}
	free(sg);
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

/* The series earlier runs have and neither the newest run nor the one before has (gaps: said,
 * never a failure), as one note naming the first ten. */
static int note_gaps(const struct obl_history *h, struct obl_db_comparison *out)
{
	const char *newest = h->runs[h->n_runs - 1].label;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	size_t gaps = 0;
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		/* a series in the run before the newest is a missing row, which fails */
		if (!s->n_points || s->run[s->n_points - 1] >= h->n_runs - 2)
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
	struct series_gate *sg = calloc(h->n_series + 1, sizeof *sg);
	struct obl_group *pooled = calloc(h->n_series + 1, sizeof *pooled);
	size_t *base_series = calloc(h->n_series + 1, sizeof *base_series);
	size_t *cand_series = NULL;
	struct obl_group *cand = NULL;
	size_t n_cand = 0, first_run = h->n_runs - 1;
	int rc = OBL_OK;
	if (!sg || !pooled || !base_series)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < h->n_series; i++) {
		size_t p = baseline_start(h, &h->series[i], &sg[i].missing);
		sg[i].from = p == SIZE_MAX ? SIZE_MAX : h->series[i].run[p];
		sg[i].levels_ok = 1;
		if (sg[i].from < first_run)
			first_run = sg[i].from;
	}
	/* the newest run first: whether it has enough repetitions decides whether the baseline
	 * is compared by repetitions (then its trials shrink to one value each) */
	const struct obl_store_filter fc = { newest, h->opt.metric, h->opt.scenario,
					     h->opt.scenario_len };
	if (!rc)
		rc = obl_store_groups(s, &fc, &cand, &n_cand, err);
	if (!rc && !(cand_series = calloc(n_cand + 1, sizeof *cand_series)))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t k = 0; !rc && k < n_cand; k++) {
		size_t i;
		cand_series[k] = SIZE_MAX;
		if (!find_series(h, &cand[k], &i))
			continue;
		cand_series[k] = i;
		sg[i].by_rep = cand[k].kind == OBL_KIND_AGGREGATE ||
			       (cand[k].kind == OBL_KIND_SAMPLE &&
				cand[k].trials >= opt->min_repetitions);
		struct obl_statistic stat;
		if (!level_statistic(&h->series[i], &stat))
			continue;
		sg[i].newest = malloc((cand[k].trials ? cand[k].trials : 1) * sizeof(double));
		if (!sg[i].newest ||
		    rep_statistics(&cand[k], stat, opt->skip_reps, sg[i].newest, &sg[i].n_newest))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	for (size_t r = first_run; !rc && r + 1 < h->n_runs; r++) {
		const struct obl_store_filter f = { h->runs[r].label, h->opt.metric, h->opt.scenario,
						    h->opt.scenario_len };
		struct obl_group *g = NULL;
		size_t ng = 0;
		rc = obl_store_groups(s, &f, &g, &ng, err);
		for (size_t k = 0; !rc && k < ng; k++) {
			size_t i;
			if (!find_series(h, &g[k], &i) || sg[i].from == SIZE_MAX || r < sg[i].from ||
			    in_excursion(&h->series[i], r))
				continue;
			if (add_level(&sg[i], &h->series[i], &g[k], opt->skip_reps, r) ||
			    (sg[i].by_rep && reduce(&g[k], h->series[i].stat)))
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
		if (pooled[i].text) {
			base_series[n_base] = i;
			pooled[n_base++] = pooled[i];
		}
	struct obl_group *base = pooled;
	if (!rc && n_base == 0) { /* only new series: nothing to compare with yet, as on a first night */
		obl_groups_free(base, n_base);
		obl_groups_free(cand, n_cand);
		series_gates_free(sg, h->n_series);
		free(base_series);
		free(cand_series);
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
	/* the baseline side's name: the runs, when every series has the same ones */
	struct obl_strbuf name, one;
	obl_strbuf_init(&name);
	obl_strbuf_init(&one);
	for (size_t k = 0; !rc && k < n_base; k++) {
		baseline_name(h, &sg[base_series[k]], &one);
		if (k == 0)
			obl_strbuf_addstr(&name, one.buf);
		else if (strcmp(name.buf, one.buf)) {
			obl_strbuf_reset(&name);
			obl_strbuf_addstr(&name, "each series' runs since its last change");
			break;
		}
	}
	if (rc) {
		obl_groups_free(base, n_base);
		obl_groups_free(cand, n_cand);
	} else {
		struct obl_group *groups[2] = { base, cand };
		const size_t counts[2] = { n_base, n_cand };
		const char *labels[2] = { name.buf, newest };
		const char *paths[2] = { path, path };
		rc = obl_groups_compare(groups, counts, labels, paths, 2, opt, out, err);
	}
	/* each row: its own baseline named, and by runs where the series allows */
	const char *side_name = rc ? NULL : obl_db_comparison_keep(out, name.buf);
	if (!rc && !side_name)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	/* warm-up found in the pooled baseline would name its repetitions across runs (its
	 * "repetition 1" is the first run's): each run's own were reported when it was newest */
	size_t kept_w = 0;
	for (size_t w = 0; !rc && w < out->n_warnings; w++) {
		if (out->warnings[w].run == name.buf && !strcmp(out->warnings[w].kind, "warm-up")) {
			obl_warning_release(&out->warnings[w]);
			continue;
		}
		if (out->warnings[w].run == name.buf)
			out->warnings[w].run = side_name;
		out->warnings[kept_w++] = out->warnings[w];
	}
	if (!rc)
		out->n_warnings = kept_w;
	for (size_t j = 0; !rc && j < out->n; j++) {
		struct obl_comparison *r = &out->rows[j];
		size_t i = r->across ? SIZE_MAX : row_series(r, out, base_series, cand_series);
		if (r->baseline_name == name.buf)
			r->baseline_name = side_name;
		if (i == SIZE_MAX || !sg[i].n_levels)
			continue;
		baseline_name(h, &sg[i], &one);
		if (!(r->baseline_name = obl_db_comparison_keep(out, one.buf))) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		struct obl_statistic stat;
		if (r->presence == OBL_PAIRED && sg[i].n_levels >= 2 && sg[i].levels_ok &&
		    positive(sg[i].newest, sg[i].n_newest) && level_statistic(&h->series[i], &stat) &&
		    stat.kind == r->stat.kind && (stat.kind != OBL_STAT_QUANTILE || stat.q == r->stat.q))
			rc = retest(r, &sg[i], &opt->compare, err);
	}
	/* the families again, with the new tests (as obl_groups_compare orders them) */
	for (int family = 1; !rc && family >= 0; family--)
		if (obl_compare_finish_family(out->rows, out->n, family, &opt->compare))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc && note_gaps(h, out))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (rc)
		obl_db_comparison_free(out);
	obl_strbuf_release(&name);
	obl_strbuf_release(&one);
	series_gates_free(sg, h->n_series);
	free(base_series);
	free(cand_series);
	return rc;
}

int obl_history_gate_fails(const struct obl_db_comparison *c, int strict)
{
	if (obl_gate_fails(c->rows, c->n, strict))
		return 1;
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].presence == OBL_MISSING && c->rows[i].gating)
			return 1;
	return 0;
}
