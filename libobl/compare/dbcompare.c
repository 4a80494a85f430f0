/*
 * dbcompare.c - runs compared row by row (see dbcompare.h): groups matched on scenario and
 * metric, each pair tested (in parallel when there are many), families adjusted. The gate
 * file and --threshold rules are read in gate.c, the sides opened in sides.c.
 */
#include "dbcompare.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "by.h"
#include "stats.h"
#include "input.h"
#include "options.h"
#include "parallel.h"
#include "suggest.h"
#include "summarize.h"

/* Metrics that gate by default: one per question a reviewer asks (first token, decoding
 * speed, throughput, errors, memory, start-up). Derived ones (ITL and E2EL beside TPOT; total
 * and request throughput and duration beside output throughput, identical for fixed lengths)
 * would only dilute the multiplicity correction: they are reported, as information. */
static int gates_by_default(const char *metric)
{
	static const char *const primary[] = {
		"ttft_ms", "tpot_ms", "output_throughput_tok_s", "success_rate", "peak_mem_gib",
		"load_time_s",
		/* the same questions, from files that carry only per-repetition summaries */
		"median_ttft_ms", "median_tpot_ms",
		/* Go, pytest-benchmark, hyperfine and Google Benchmark: time (and memory) per operation */
		"ns_per_op", "sec_per_op", "B_per_op", "allocs_per_op", "wall_time_s", "real_time_ns",
		"cpu_time_ns",
		/* MLPerf Inference: throughput (the first-token and per-token latencies map onto
		 * median_ttft_ms and median_tpot_ms above) */
		"samples_per_s", NULL
	};
	for (const char *const *p = primary; *p; p++)
		if (!strcmp(*p, metric))
			return 1;
	return 0;
}

static const struct obl_metric_rule *rule_for(const struct obl_db_compare_options *opt,
					      const char *metric)
{
	for (size_t i = opt->n_rules; i-- > 0;) /* the last word wins */
		if (!strcmp(opt->rules[i].metric, metric))
			return &opt->rules[i];
	for (size_t i = opt->n_rules; i-- > 0;) /* then "*", every metric's default */
		if (!strcmp(opt->rules[i].metric, "*"))
			return &opt->rules[i];
	return NULL;
}

/* Keeps a string alive as long as the comparison (rows borrow it). */
/* An array of n items with room for one more: capacity doubles, so that appending n items
 * costs O(n) in all. NULL when out of memory (items is then still valid). */
static void *grow(void *items, size_t n, size_t size)
{
	if (n >= 16 && (n & (n - 1)))
		return items; /* not a power of two: room is left from the last doubling */
	return realloc(items, (n < 16 ? 16 : 2 * n) * size);
}

const char *obl_db_comparison_keep(struct obl_db_comparison *c, const char *s)
{
	for (size_t i = 0; i < c->n_strings; i++) /* a few statistic names, each kept once */
		if (!strcmp(c->strings[i], s))
			return c->strings[i];
	char **p = grow(c->strings, c->n_strings, sizeof *p);
	if (!p)
		return NULL;
	c->strings = p;
	return p[c->n_strings++] = strdup(s);
}

/* Room for `more` rows beyond the current ones (all the rows of a pair are known up front, so
 * that they are laid out once rather than copied at each doubling). */
static int reserve_rows(struct obl_db_comparison *c, size_t more)
{
	if (c->n + more <= c->rows_alloc)
		return OBL_OK;
	size_t want = c->n + more > 2 * c->rows_alloc ? c->n + more : 2 * c->rows_alloc;
	struct obl_comparison *p = realloc(c->rows, (want ? want : 1) * sizeof *p);
	if (!p)
		return OBL_ENOMEM;
	c->rows = p;
	c->rows_alloc = want;
	return OBL_OK;
}

static struct obl_comparison *new_row(struct obl_db_comparison *c)
{
	if (reserve_rows(c, 1))
		return NULL;
	struct obl_comparison *r = &c->rows[c->n++];
	memset(r, 0, sizeof *r);
	/* A row on one side only has no change and no interval (not [+0%, +0%]). */
	const struct obl_estimate none = { NAN, NAN, NAN, "on one side only" };
	r->difference = r->relative = none;
	r->baseline.center = r->candidate.center = r->unit_var = NAN;
	return r;
}

/* The statistic of one repetition's values: the mean, else a quantile. NaN if empty. */
double obl_values_statistic(const struct obl_values *v, struct obl_statistic stat,
			    double *scratch)
{
	assert(stat.kind != OBL_STAT_RATE && stat.kind != OBL_STAT_UNSET); /* a statistic of values */
	if (v->n == 0)
		return NAN;
	if (stat.kind != OBL_STAT_MEDIAN && stat.kind != OBL_STAT_QUANTILE) {
		long double s = 0;
		for (size_t i = 0; i < v->n; i++)
			s += v->v[i];
		return (double)(s / v->n);
	}
	memcpy(scratch, v->v, v->n * sizeof *scratch);
	return stats_quantile_select(scratch, v->n, stat.q, 7);
}

/* The fewest repetitions a scenario needs for warm-up to be told from noise: the others give
 * a median and a spread of their own (detect_warmup). */
enum { WARMUP_MIN_REPS = 4 };

/* The first repetition compared: --skip-reps drops the ones before (never all of them). */
static size_t first_rep(const struct obl_group *g, size_t skip)
{
	return skip < g->trials ? skip : g->trials ? g->trials - 1
						   : 0;
}

static size_t reps_used(const struct obl_group *g, size_t skip)
{
	return g->trials - first_rep(g, skip);
}

static size_t pooled_size(const struct obl_group *g, size_t skip)
{
	size_t n = 0;
	for (size_t t = first_rep(g, skip); t < g->trials; t++)
		n += g->per_trial[t].n;
	return n;
}

static double *pool(const struct obl_group *g, size_t skip, size_t *n)
{
	*n = pooled_size(g, skip);
	double *v = malloc((*n ? *n : 1) * sizeof *v);
	if (!v)
		return NULL;
	size_t at = 0;
	for (size_t t = first_rep(g, skip); t < g->trials; t++) {
		if (g->per_trial[t].n)
			memcpy(v + at, g->per_trial[t].v, g->per_trial[t].n * sizeof *v);
		at += g->per_trial[t].n;
	}
	return v;
}

/* One value per repetition: the given statistic of each trial's values. */
static double *per_repetition(const struct obl_group *g, struct obl_statistic stat,
			      size_t skip,
			      size_t *n)
{
	size_t most = 1;
	for (size_t t = 0; t < g->trials; t++)
		if (g->per_trial[t].n > most)
			most = g->per_trial[t].n;
	double *v = malloc((g->trials ? g->trials : 1) * sizeof *v);
	double *scratch = malloc(most * sizeof *scratch);
	*n = 0;
	if (!v || !scratch) {
		free(v);
		free(scratch);
		return NULL;
	}
	for (size_t t = first_rep(g, skip); t < g->trials; t++) {
		double s = obl_values_statistic(&g->per_trial[t], stat, scratch);
		if (!isnan(s))
			v[(*n)++] = s;
	}
	free(scratch);
	return v;
}

static void counts_of(const struct obl_group *g, size_t skip, double *successes,
		      double *trials)
{
	*successes = *trials = 0;
	for (size_t t = first_rep(g, skip); t < g->trials; t++) {
		if (!isnan(g->totals[t])) {
			*successes += g->successes[t];
			*trials += g->totals[t];
		}
		for (size_t k = 0; k < g->per_trial[t].n; k++) {
			*successes += g->per_trial[t].v[k];
			*trials += 1;
		}
	}
}

static void fill_identity(struct obl_comparison *r, const struct obl_group *g,
			  const char *base_label, const char *cand_label, const char *stat_name,
			  struct obl_statistic stat)
{
	r->metric = g->metric;
	r->unit = g->unit;
	r->scenario = g->scenario;
	r->scenario_len = g->scenario_len;
	r->baseline_name = base_label;
	r->candidate_name = cand_label;
	r->stat_name = stat_name;
	r->stat = stat;
}

/* unit_var (compare.h) from a log ratio's standard error with nb and nc values a side. */
static double unit_var_of_se(double se, size_t nb, size_t nc)
{
	return 2 * se * se / (1.0 / (double)nb + 1.0 / (double)nc);
}

/* What a repetition-level center is, e.g. "gmean of rep medians". */
static const char *rep_center_label(const char *label, struct obl_statistic stat,
				    int aggregate)
{
	if (!label || strcmp(label, "gmean"))
		return label;
	if (aggregate)
		return "gmean of reps";
	if (stat.kind == OBL_STAT_MEDIAN)
		return "gmean of rep medians";
	if (stat.kind == OBL_STAT_MEAN)
		return "gmean of rep means";
	return "gmean of rep quantiles";
}

/* Metrics with one value per request (or per token) of a serving benchmark: the requests
 * of one repetition share the server's state (in a batch even their timings), so they are
 * not independent. The values of other samples (a benchmark's timed runs or iterations, as
 * go test -count, hyperfine or pytest-benchmark give them) are measurements of their own. */
static int per_request(const char *metric)
{
	static const char *const parts[] = { "ttft", "tpot", "itl", "e2el", "inter_token",
					     "request_latency", "time_to_first", NULL };
	for (const char *const *p = parts; *p; p++)
		if (strstr(metric, *p))
			return 1;
	return 0;
}

/* Why a row of requests from fewer than 3 repetitions cannot conclude. */
static const char *dependent_note(size_t reps)
{
	return reps <= 1 ? "1 repetition: requests within a repetition are not independent"
			 : "2 repetitions: requests within a repetition are not independent";
}

/* Repetitions per side a request-level row would need: from the spread of the per-repetition
 * statistic when each side has two, else the minimum for repetitions as the unit. */
static double reps_needed(const struct obl_group *b, const struct obl_group *c,
			  struct obl_statistic stat, const struct obl_db_compare_options *opt,
			  double threshold)
{
	double need = (double)opt->min_repetitions;
	if (reps_used(b, opt->skip_reps) < 2 || reps_used(c, opt->skip_reps) < 2)
		return need; /* a spread needs two statistics a side (and a copy of the values) */
	size_t nb, nc;
	double *vb = per_repetition(b, stat, opt->skip_reps, &nb);
	double *vc = per_repetition(c, stat, opt->skip_reps, &nc);
	if (vb && vc && nb >= 2 && nc >= 2) {
		struct obl_comparison r;
		struct obl_error e;
		struct obl_compare_options co = opt->compare;
		co.method = OBL_METHOD_AUTO;
		if (obl_compare_samples(vb, nb, vc, nc, &co, &r, &e) == OBL_OK &&
		    r.method == OBL_METHOD_WELCH_LOG && isfinite(r.unit_var)) {
			double n = stats_needed_per_side(log1p(r.relative.estimate), r.unit_var,
							 threshold, opt->compare.alpha,
							 opt->compare.confidence, 0.8);
			if (n > need)
				need = n;
		}
	}
	free(vb);
	free(vc);
	return need;
}

/* The values a pooled test reads, where they are, when the used repetitions' values lie one
 * after another in one array (as a store reads a group); NULL if they do not. */
static double *pool_in_place(const struct obl_group *g, size_t skip, size_t *n)
{
	double *start = NULL;
	size_t at = 0;
	for (size_t t = first_rep(g, skip); t < g->trials; t++) {
		const struct obl_values *v = &g->per_trial[t];
		if (!v->n)
			continue;
		if (!start)
			start = v->v;
		else if (v->v != start + at)
			return NULL;
		at += v->n;
	}
	*n = at;
	return start;
}

/* Compares one matched pair of groups for one statistic; with consume, the test may sort and
 * overwrite the pair's values (see consumable). */
static int compare_pair(const struct obl_group *b, const struct obl_group *c,
			struct obl_statistic stat, const struct obl_db_compare_options *opt,
			struct obl_compare_options *co, struct obl_comparison *row, int consume,
			struct obl_error *err)
{
	int rc;
	size_t skip = opt->skip_reps;
	if (b->kind == OBL_KIND_PROPORTION) {
		double bs, bt, cs, ct;
		counts_of(b, skip, &bs, &bt);
		counts_of(c, skip, &cs, &ct);
		rc = obl_compare_proportions(bs, bt, cs, ct, co, row, err);
		row->unit_of_analysis = OBL_UNIT_TRIALS;
		return rc;
	}
	size_t rb = reps_used(b, skip), rcand = reps_used(c, skip);
	int by_repetition = b->kind == OBL_KIND_AGGREGATE ||
			    (rb >= opt->min_repetitions && rcand >= opt->min_repetitions);
	if (by_repetition) {
		int aggregate = b->kind == OBL_KIND_AGGREGATE;
		size_t nb, nc;
		double *vb = per_repetition(b, aggregate ? obl_stat_mean : stat, skip, &nb);
		double *vc = per_repetition(c, aggregate ? obl_stat_mean : stat, skip, &nc);
		rc = vb && vc ? obl_compare_samples(vb, nb, vc, nc, co, row, err)
			      : obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		free(vb);
		free(vc);
		row->unit_of_analysis = OBL_UNIT_REPETITIONS;
		row->center_label = rep_center_label(row->center_label, stat, aggregate);
		return rc;
	}
	/* Go -count lines, hyperfine runs and pytest-benchmark rounds are each a run of the
	 * benchmark: the values are the repetitions, not requests within one. */
	int runs = b->values_are_runs && c->values_are_runs;
	int requests = per_request(b->metric) && !runs;
	/* Consumed only where no serial-dependence check reads them after the test (requests
	 * not tested as independent) and the test is one that sorts a copy of its own. */
	consume = consume && requests && !opt->unit_request &&
		  !(b->direction == OBL_DIRECTION_NONE && b->kind == OBL_KIND_SAMPLE) &&
		  (stat.kind == OBL_STAT_MEDIAN || stat.kind == OBL_STAT_MEAN);
	size_t nb, nc;
	double *own_b = consume ? pool_in_place(b, skip, &nb) : NULL;
	double *own_c = consume ? pool_in_place(c, skip, &nc) : NULL;
	double *vb = own_b ? NULL : pool(b, skip, &nb), *vc = own_c ? NULL : pool(c, skip, &nc);
	if ((!own_b && !vb) || (!own_c && !vc)) {
		free(vb);
		free(vc);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	/* The repetitions a side would need are worked out from the values before a test
	 * consumes them. */
	double needed = consume && requests && !opt->unit_request
				? reps_needed(b, c, stat, opt, co->threshold)
				: NAN;
	if (own_b)
		vb = own_b;
	if (own_c)
		vc = own_c;
	struct obl_compare_options o = *co;
	if (b->direction == OBL_DIRECTION_NONE && b->kind == OBL_KIND_SAMPLE) {
		/* Numbers of unknown meaning (plain, CSV, generic JSON) from one or two
		 * repetitions: each value is a measurement of its own, compared exactly as
		 * obl-compare compares the same files directly. The pooled copies are the
		 * test's to sort and overwrite. */
		rc = obl_compare_samples_consume(vb, nb, vc, nc, &o, row, err);
		if (!own_b)
			free(vb);
		if (!own_c)
			free(vc);
		row->unit_of_analysis = OBL_UNIT_VALUES;
		return rc;
	}
	if (stat.kind == OBL_STAT_MEDIAN) {
		if (o.method == OBL_METHOD_AUTO)
			o.method = OBL_METHOD_MANN_WHITNEY;
		rc = obl_compare_samples_consume(vb, nb, vc, nc, &o, row, err);
	} else if (stat.kind == OBL_STAT_MEAN) {
		if (o.method == OBL_METHOD_AUTO)
			o.method = OBL_METHOD_WELCH;
		rc = obl_compare_samples_consume(vb, nb, vc, nc, &o, row, err);
	} else {
		rc = obl_compare_quantile_bootstrap(vb, nb, vc, nc, stat.q, &o, row, err);
	}
	if (!own_b)
		free(vb);
	if (!own_c)
		free(vc);
	row->unit_of_analysis = requests ? OBL_UNIT_REQUESTS
				: runs   ? OBL_UNIT_REPETITIONS
					 : OBL_UNIT_VALUES;
	if (!rc && requests && !opt->unit_request && !isnan(row->p_value)) {
		row->dependent = 1;
		row->note = dependent_note(rb < rcand ? rb : rcand);
		row->needed_n = consume ? needed : reps_needed(b, c, stat, opt, row->threshold);
	}
	return rc;
}

/* Groups sorted by (scenario, metric), for matching the two sides in O(n log n): a linear
 * search per row made comparisons of thousands of benchmarks quadratic. */
static int by_scenario_metric(const void *pa, const void *pb)
{
	const struct obl_group *a = *(const struct obl_group *const *)pa;
	const struct obl_group *b = *(const struct obl_group *const *)pb;
	int c = strcmp(a->scenario_canonical, b->scenario_canonical);
	return c ? c : strcmp(a->metric, b->metric);
}

static const struct obl_group **index_groups(const struct obl_group *g, size_t n)
{
	const struct obl_group **idx = malloc((n ? n : 1) * sizeof *idx);
	if (!idx)
		return NULL;
	for (size_t i = 0; i < n; i++)
		idx[i] = &g[i];
	qsort(idx, n, sizeof *idx, by_scenario_metric);
	return idx;
}

static const struct obl_group *find_group(const struct obl_group **idx, size_t n,
					  const struct obl_group *like)
{
	const struct obl_group *const *hit =
		bsearch(&like, idx, n, sizeof *idx, by_scenario_metric);
	return hit ? *hit : NULL;
}

/* ", one of: a, b, c, ..." from names[0..n) (distinct, at most eight), into buf. */
static const char *one_of(const char **names, size_t n, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "; one of:"), shown = 0;
	for (size_t i = 0; i < n && len < size; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(names[j], names[i]);
		if (seen)
			continue;
		if (shown++ == 8) {
			len += (size_t)snprintf(buf + len, size - len, " ...");
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s %s", shown > 1 ? "," : "",
					names[i]);
	}
	return buf;
}

static int load_side(const struct obl_db_side *side, struct obl_group **g, size_t *n,
		     struct obl_error *err)
{
	const struct obl_store_filter f = { side->label, NULL, NULL, 0 };
	int rc = obl_store_groups(side->store, &f, g, n, err);
	if (rc || *n)
		return rc;
	char **labels = NULL;
	size_t nl = 0;
	rc = obl_store_runs(side->store, &labels, &nl, err);
	int exists = 0;
	for (size_t i = 0; !rc && i < nl; i++)
		exists |= !strcmp(labels[i], side->label);
	const char *near = rc ? NULL : obl_suggest(side->label, (const char *const *)labels, nl);
	char list[512];
	if (!rc && exists)
		rc = obl_error_set(err, OBL_EINPUT, side->path, 0, side->label,
				   "no values stored for this run");
	else if (!rc)
		rc = obl_error_set(err, OBL_EUSAGE, side->path, 0, side->label,
				   near ? "no such run; did you mean %s?" : "no such run%s",
				   near ? near : nl ? one_of((const char **)labels, nl, list, sizeof list)
						    : " (the database holds none)");
	obl_store_names_free(labels, nl);
	return rc;
}

/* A matched pair whose test is still to run: rows are laid out first, and the tests, which
 * are independent, run afterwards, in parallel when there are many. */
struct pending {
	const struct obl_group *b, *c;
	const char *stat_name, *blabel, *clabel;
	struct obl_statistic stat;
	struct obl_compare_options co;
	size_t row;
	int gating;
	int consume; /* the row is the only reader of the pair's values (see compare_runs) */
};

struct test_job {
	struct obl_db_comparison *out;
	const struct pending *items;
	size_t n;
	const struct obl_db_compare_options *opt;
	struct stats_rank_cache *cache;
	size_t failed; /* index of the first item that failed, n if none */
	int rc;
	struct obl_error err;
};

static void run_tests(void *ctx, size_t k)
{
	struct test_job *job = (struct test_job *)ctx + k;
	job->failed = job->n;
	job->rc = OBL_OK;
	obl_error_clear(&job->err);
	for (size_t i = 0; i < job->n; i++) {
		const struct pending *p = &job->items[i];
		struct obl_comparison *row = &job->out->rows[p->row];
		struct obl_compare_options co = p->co;
		co.rank_cache = job->cache;
		job->rc = compare_pair(p->b, p->c, p->stat, job->opt, &co, row, p->consume,
				       &job->err);
		fill_identity(row, p->b, p->blabel, p->clabel, p->stat_name, p->stat);
		row->gating = p->gating;
		if (job->rc) {
			job->failed = i;
			break;
		}
	}
}

/* Runs the tests of items[0..n): in parts of at least 128 tests, each part with a cache of
 * null laws of its own (the first part's is the caller's), the parts in parallel. The first
 * error in row order wins. */
static int run_pending(struct obl_db_comparison *out, const struct pending *items, size_t n,
		       const struct obl_db_compare_options *opt, struct obl_error *err)
{
	if (n == 0) /* disjoint runs: nothing to test (and items may be NULL) */
		return OBL_OK;
	size_t parts = obl_parallel_parts(n, 128);
	struct test_job *jobs = calloc(parts, sizeof *jobs);
	struct stats_rank_cache *caches = calloc(parts, sizeof *caches);
	if (!jobs || !caches) {
		free(jobs);
		free(caches);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	for (size_t k = 0, at = 0; k < parts; k++) {
		size_t len = n / parts + (k < n % parts);
		jobs[k] = (struct test_job){ out, items + at, len, opt, k ? &caches[k] : opt->compare.rank_cache, 0, 0, { 0 } };
		at += len;
	}
	obl_parallel_for(parts, run_tests, jobs);
	int rc = OBL_OK;
	for (size_t k = 0; k < parts; k++) {
		if (jobs[k].rc && !rc) {
			*err = jobs[k].err;
			rc = jobs[k].rc;
		}
		stats_rank_cache_free(&caches[k]);
	}
	free(jobs);
	free(caches);
	return rc;
}

/*
 * One row per gating metric and statistic across scenarios: the geometric mean over scenarios
 * of the per-scenario change, tested with every scenario's repetitions, repetition r of all
 * scenarios together (each repetition's mean log value over the scenarios, Welch on those:
 * stats_repetition_welch_t). Scenarios are fixed blocks; repetitions are the unit, because a
 * run's repetition r shares its state across scenarios (the H100 runs' first repetitions are
 * slow in every scenario at once): taking scenarios as independent (stats_blocked_welch_t)
 * raised false alarms on the real A/A pair. A uniform slowdown that no single noisy scenario
 * shows is seen here. Made from the repetition-level rows with a test on the log scale, when
 * at least two scenarios have them. These rows are a p-value family of their own; they fail
 * the gate only with 'set across=gate'.
 */
static int across_rows(struct obl_db_comparison *out, const struct pending *items, size_t n,
		       const struct obl_db_compare_options *opt, struct obl_error *err)
{
	char *done = calloc(n ? n : 1, 1);
	size_t *members = malloc((n ? n : 1) * sizeof *members);
	const double **x = malloc((n ? n : 1) * sizeof *x), **y = malloc((n ? n : 1) * sizeof *y);
	size_t *nx = malloc((n ? n : 1) * sizeof *nx), *ny = malloc((n ? n : 1) * sizeof *ny);
	int rc = done && members && x && y && nx && ny ? OBL_OK : OBL_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		if (done[i])
			continue;
		size_t m = 0;
		for (size_t j = i; j < n; j++) {
			if (done[j] || strcmp(items[j].b->metric, items[i].b->metric) ||
			    strcmp(items[j].stat_name, items[i].stat_name))
				continue;
			done[j] = 1;
			const struct obl_comparison *r = &out->rows[items[j].row];
			if (r->presence == OBL_PAIRED && r->unit_of_analysis == OBL_UNIT_REPETITIONS &&
			    r->method == OBL_METHOD_WELCH_LOG && !isnan(r->p_value) && r->gating)
				members[m++] = j;
		}
		if (m < 2)
			continue;
		size_t made = 0, fewest_b = SIZE_MAX, fewest_c = SIZE_MAX;
		for (size_t k = 0; !rc && k < m; k++) {
			const struct pending *p = &items[members[k]];
			int aggregate = p->b->kind == OBL_KIND_AGGREGATE;
			struct obl_statistic st = aggregate ? obl_stat_mean : p->stat;
			double *vb = per_repetition(p->b, st, opt->skip_reps, &ny[k]);
			double *vc = per_repetition(p->c, st, opt->skip_reps, &nx[k]);
			y[k] = vb;
			x[k] = vc;
			made++;
			if (!vb || !vc) {
				rc = OBL_ENOMEM;
				break;
			}
			for (size_t t = 0; t < ny[k]; t++)
				vb[t] = log(vb[t]);
			for (size_t t = 0; t < nx[k]; t++)
				vc[t] = log(vc[t]);
			fewest_b = ny[k] < fewest_b ? ny[k] : fewest_b;
			fewest_c = nx[k] < fewest_c ? nx[k] : fewest_c;
		}
		struct stats_ttest t;
		int s = rc ? STATS_ENOMEM
			   : stats_repetition_welch_t(x, nx, y, ny, m, STATS_TWO_SIDED,
						      opt->compare.confidence, &t);
		for (size_t k = 0; k < made; k++) {
			free((void *)x[k]);
			free((void *)y[k]);
		}
		if (rc)
			break;
		if (s) /* no spread in any scenario, or a value not finite: no row */
			continue;
		const struct pending *first = &items[members[0]];
		const struct obl_comparison *model = &out->rows[first->row];
		struct obl_comparison *row = new_row(out);
		if (!row) {
			rc = OBL_ENOMEM;
			break;
		}
		model = &out->rows[first->row]; /* the rows may have moved */
		fill_identity(row, first->b, first->blabel, first->clabel, first->stat_name,
			      first->stat);
		row->scenario = NULL;
		row->scenario_len = 0;
		row->across = m;
		row->presence = OBL_PAIRED;
		row->unit_of_analysis = OBL_UNIT_REPETITIONS;
		row->method = OBL_METHOD_WELCH_LOG;
		row->direction = model->direction;
		row->threshold = model->threshold;
		row->gating = opt->across_gates;
		row->verdict = OBL_VERDICT_NO_TEST;
		row->p_adjusted = row->needed_n = NAN;
		/* n: the repetitions (each a mean over the scenarios) the test used */
		row->baseline = (struct obl_side){ fewest_b, NAN, NAN, NAN, NAN, NAN, exp(t.mean_y) };
		row->candidate = (struct obl_side){ fewest_c, NAN, NAN, NAN, NAN, NAN, exp(t.mean_x) };
		row->center_label = "gmean over scenarios";
		row->statistic = t.statistic;
		row->df = t.df;
		row->p_value = t.p_value;
		double b = row->baseline.center, c = row->candidate.center;
		row->relative = (struct obl_estimate){ c / b - 1, expm1(t.ci_low), expm1(t.ci_high),
						       NULL };
		row->difference = (struct obl_estimate){ c - b, b * expm1(t.ci_low),
							 b * expm1(t.ci_high), NULL };
		row->unit_var = unit_var_of_se(t.std_error, fewest_b, fewest_c);
		row->note = "the geometric-mean change over the scenarios; repetitions as the unit";
	}
	free(done);
	free(members);
	free(x);
	free(y);
	free(nx);
	free(ny);
	if (rc)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

static struct obl_warning *add_warning(struct obl_db_comparison *c, const char *kind,
				       const char *run, const char *scenario, size_t rep);

/* The lag-1 autocorrelation of a group's values in the order measured, averaged over its
 * repetitions (each long enough); *n gets the values that went in. NaN if none. */
static double group_autocorr(const struct obl_group *g, size_t skip, size_t *n)
{
	double sum = 0;
	size_t weight = 0;
	for (size_t t = first_rep(g, skip); t < g->trials; t++) {
		const struct obl_values *v = &g->per_trial[t];
		double r = v->n >= 10 ? stats_autocorr_lag1(v->v, v->n) : NAN;
		if (isnan(r))
			continue;
		sum += r * (double)v->n;
		weight += v->n;
	}
	*n = weight;
	return weight ? sum / (double)weight : NAN;
}

/* Values tested as independent (pooled requests with --unit request, a benchmark's timed
 * runs) that are serially dependent in the order measured: their intervals are too narrow.
 * Said when the lag-1 autocorrelation exceeds 0.2 and three standard errors (1/sqrt(n)). */
static int serial_warnings(struct obl_db_comparison *out, const struct pending *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct obl_comparison *r = &out->rows[items[i].row];
		if (r->presence != OBL_PAIRED || r->dependent || isnan(r->p_value) ||
		    (r->unit_of_analysis != OBL_UNIT_REQUESTS && r->unit_of_analysis != OBL_UNIT_VALUES))
			continue;
		if (i && items[i - 1].b == items[i].b) /* another statistic of the same pair */
			continue;
		for (int side = 0; side < 2; side++) {
			const struct obl_group *g = side ? items[i].c : items[i].b;
			const char *label = side ? items[i].clabel : items[i].blabel;
			size_t m;
			double ac = group_autocorr(g, 0, &m);
			if (!(ac > 0.2 && ac > 3 / sqrt((double)m)))
				continue;
			int seen = 0; /* the baseline's groups recur with every candidate */
			for (size_t w = 0; w < out->n_warnings && !seen; w++)
				seen = out->warnings[w].run == label &&
				       out->warnings[w].scenario == g->scenario_canonical &&
				       strstr(out->warnings[w].message, g->metric);
			if (seen)
				continue;
			struct obl_warning *w = add_warning(out, "serial-dependence", label,
							    g->scenario_canonical, 0);
			if (!w || obl_warning_format(w,
						     "run %s, scenario %s, %s: the values in the order measured have a "
						     "lag-1 autocorrelation of %.2f (%zu values); tested as independent, "
						     "its intervals are too narrow",
						     label, g->scenario_canonical[0] ? g->scenario_canonical : "(run)",
						     g->metric, ac, m))
				return OBL_ENOMEM;
		}
	}
	return OBL_OK;
}

/* Rows for one baseline-candidate pair. */
static int compare_runs(struct obl_db_comparison *out, const struct obl_group *bg,
			size_t bn, const struct obl_group *cg, size_t cn,
			const char *blabel, const char *clabel,
			const struct obl_db_compare_options *opt, struct obl_error *err)
{
	size_t first = out->n;
	int rc = OBL_OK;
	const struct obl_group **bidx = index_groups(bg, bn), **cidx = index_groups(cg, cn);
	struct pending *todo = NULL;
	size_t n_todo = 0;
	if (!bidx || !cidx || reserve_rows(out, bn + cn)) /* a row per group with one statistic */
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	/* Metrics outside the catalogue (plain numbers, CSV, generic JSON, a name given with
	 * obl-ingest -m, whatever direction its name or unit suggests) gate when nothing else
	 * does; beside metrics obl knows (a benchmark's user counters, a GPU's utilisation)
	 * they are informational. */
	int any_primary = 0;
	for (size_t i = 0; i < bn && !any_primary; i++)
		any_primary = gates_by_default(bg[i].metric);
	for (size_t i = 0; !rc && i < bn; i++) {
		const struct obl_group *b = &bg[i];
		const struct obl_group *c = find_group(cidx, cn, b);
		const struct obl_metric_rule *rule = rule_for(opt, b->metric);
		struct obl_compare_options co = opt->compare;
		/* A metric of unknown direction (plain numbers, CSV and generic JSON) takes the
		 * comparison's (lower is better unless --higher-is-better), as the same files
		 * compared directly do: the two paths give the same verdicts. */
		int unknown = b->direction == OBL_DIRECTION_NONE;
		if (!unknown)
			co.direction = b->direction;
		if (rule && rule->direction >= 0)
			co.direction = (enum obl_direction)rule->direction;
		if (rule && !isnan(rule->threshold))
			co.threshold = rule->threshold;
		const char *stats = b->kind == OBL_KIND_SAMPLE
					    ? (rule && rule->stats[0] ? rule->stats : opt->stats)
				    : b->kind == OBL_KIND_AGGREGATE ? "mean"
								    : "rate";
		int gating = rule && rule->gates >= 0
				     ? rule->gates
				     : gates_by_default(b->metric) ||
					       (!any_primary && !obl_metric_lookup(b->metric));
		char list[256];
		snprintf(list, sizeof list, "%s", stats);
		for (char *save = NULL, *stat = strtok_r(list, ",", &save); !rc && stat;
		     stat = strtok_r(NULL, ",", &save)) {
			const char *kept = obl_db_comparison_keep(out, stat);
			struct obl_statistic st;
			obl_statistic_parse(stat, &st); /* checked before */
			struct obl_comparison *row = new_row(out);
			struct pending *p = c ? grow(todo, n_todo, sizeof *todo) : NULL;
			if (!kept || !row || (c && !p)) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			if (c) {
				todo = p;
				/* With one candidate and one statistic, and too few repetitions
				 * for the warm-up check, this row alone reads the pair's values. */
				int alone = opt->consume_values && !strchr(stats, ',') &&
					    b->trials < WARMUP_MIN_REPS && c->trials < WARMUP_MIN_REPS;
				todo[n_todo++] = (struct pending){ b, c, kept, blabel, clabel, st, co,
								   out->n - 1, gating, alone };
				continue;
			}
			row->presence = OBL_MISSING;
			row->statistic = row->df = row->p_value = row->p_adjusted = row->needed_n = NAN;
			row->direction = co.direction;
			row->threshold = co.threshold;
			row->verdict = OBL_VERDICT_NO_TEST;
			row->note = "in the baseline only";
			fill_identity(row, b, blabel, clabel, kept, st);
			row->gating = gating;
		}
	}
	if (!rc)
		rc = run_pending(out, todo, n_todo, opt, err);
	if (!rc)
		rc = across_rows(out, todo, n_todo, opt, err);
	if (!rc && serial_warnings(out, todo, n_todo))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	free(todo);
	for (size_t i = 0; !rc && i < cn; i++) {
		const struct obl_group *c = &cg[i];
		if (find_group(bidx, bn, c))
			continue;
		struct obl_comparison *row = new_row(out);
		if (!row) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		row->presence = OBL_NEW;
		row->statistic = row->df = row->p_value = row->p_adjusted = row->needed_n = NAN;
		row->verdict = OBL_VERDICT_NO_TEST;
		row->note = "in the candidate only";
		int sample = c->kind == OBL_KIND_SAMPLE;
		fill_identity(row, c, blabel, clabel, sample ? "median" : "mean",
			      sample ? obl_stat_median : obl_stat_mean);
	}
	/* Two families for the p-value adjustment: the gating rows, and the rest; per
	 * candidate only when asked (else obl_groups_compare adjusts all candidates at once). */
	for (int family = 2; !rc && opt->family_per_candidate && family >= 0; family--)
		rc = obl_compare_finish_family(out->rows + first, out->n - first, family,
					       &opt->compare);
	free(bidx);
	free(cidx);
	return rc;
}

/* ---- --metric and --scenario ---------------------------------------------------------- */

static const char *scenario_value(const struct obl_group *g, const char *key)
{
	for (size_t i = 0; i < g->scenario_len; i++)
		if (!strcmp(g->scenario[i].key, key))
			return g->scenario[i].value;
	return NULL;
}

static int group_selected(const struct obl_group *g, const struct obl_db_compare_options *opt)
{
	if (opt->metric && strcmp(g->metric, opt->metric))
		return 0;
	for (size_t i = 0; i < opt->scenario_len; i++) {
		const char *v = scenario_value(g, opt->scenario[i].key);
		if (!v || strcmp(v, opt->scenario[i].value))
			return 0;
	}
	return 1;
}

/* Why the baseline's groups match no filter: the part that matches nothing, with the
 * closest name the groups do have. */
int obl_filter_explain(const struct obl_group *g, size_t n, const char *path,
		       const struct obl_db_compare_options *opt, struct obl_error *err)
{
	const char **names = malloc((n + 1) * sizeof *names);
	if (!names)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	int rc = OBL_OK;
	size_t k = 0;
	char list[512];
	if (opt->metric) {
		for (size_t i = 0; i < n; i++)
			names[k++] = g[i].metric;
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(g[i].metric, opt->metric);
		const char *near = found ? NULL : obl_suggest(opt->metric, names, k);
		if (!found)
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, opt->metric,
					   near ? "no such metric; did you mean %s?"
						: "no such metric%s",
					   near ? near : one_of(names, k, list, sizeof list));
	}
	for (size_t f = 0; !rc && f < opt->scenario_len; f++) {
		const char *key = opt->scenario[f].key, *value = opt->scenario[f].value;
		int has_key = 0, has_value = 0;
		k = 0;
		for (size_t i = 0; i < n; i++) {
			const char *v = scenario_value(&g[i], key);
			has_key |= v != NULL;
			has_value |= v && !strcmp(v, value);
			if (v)
				names[k++] = v;
		}
		if (!has_key) {
			k = 0;
			for (size_t i = 0; i < n && k < n; i++)
				for (size_t j = 0; j < g[i].scenario_len && k < n; j++)
					names[k++] = g[i].scenario[j].key;
			const char *near = obl_suggest(key, names, k);
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, key,
					   near ? "no scenario has this key; did you mean %s?"
						: "no scenario has this key%s",
					   near ? near : one_of(names, k, list, sizeof list));
		} else if (!has_value) {
			/* values are often numbers, where one edit away means nothing: list them */
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, opt->scenario[f].key,
					   "no scenario has the value '%s'%s", value,
					   one_of(names, k, list, sizeof list));
		}
	}
	if (!rc)
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, NULL,
				   "no row matches --metric and --scenario together");
	free(names);
	return rc;
}

/* Moves the groups the filter selects to the front, in order; *kept says how many. */
static int select_groups(struct obl_group *g, size_t n, size_t *kept,
			 const struct obl_db_compare_options *opt, struct obl_error *err)
{
	*kept = n;
	if (!opt->metric && !opt->scenario_len)
		return OBL_OK;
	struct obl_group *tmp = malloc((n ? n : 1) * sizeof *tmp);
	if (!tmp)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (group_selected(&g[i], opt))
			tmp[k++] = g[i];
	*kept = k;
	for (size_t i = 0; i < n; i++)
		if (!group_selected(&g[i], opt))
			tmp[k++] = g[i];
	memcpy(g, tmp, n * sizeof *g);
	free(tmp);
	return OBL_OK;
}

/* ---- Warnings: warm-up repetitions, premises not met ---------------------------------- */

int obl_warning_format(struct obl_warning *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	free(w->message);
	w->message = len < 0 ? NULL : malloc((size_t)len + 1);
	if (!w->message)
		return OBL_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(w->message, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return OBL_OK;
}

void obl_warning_release(struct obl_warning *w)
{
	free(w->message);
	w->message = NULL;
}

static struct obl_warning *add_warning(struct obl_db_comparison *c, const char *kind,
				       const char *run, const char *scenario, size_t rep)
{
	struct obl_warning *w = grow(c->warnings, c->n_warnings, sizeof *w);
	if (!w)
		return NULL;
	c->warnings = w;
	w = &c->warnings[c->n_warnings++];
	memset(w, 0, sizeof *w);
	w->kind = kind;
	w->run = run;
	w->scenario = scenario;
	w->repetition = rep;
	return w;
}

static double median_of(double *v, size_t n)
{
	return stats_quantile_select(v, n, 0.5, 7);
}

/* A repetition is beyond the others when its log value is farther from their median than
 * this many robust standard deviations (1.4826 MAD), and at least 10% away. */
#define WARMUP_MADS  3.5
#define WARMUP_FLOOR 0.0953101798043249 /* log(1.1) */

/*
 * The leading repetitions of each scenario of one side that are outliers, in the order they
 * were run, on most metrics of the scenario: the first is compared with the ones after it,
 * then (if it was one) the second with those after it, and so on, up to half of them. Each
 * metric contributes its per-repetition statistic (the median of requests, the value of an
 * aggregate) on the log scale. A repetition beyond the limit on more than half of the
 * scenario's metrics (at least two) is reported.
 */
static int detect_warmup(struct obl_db_comparison *out, const struct obl_group *g,
			 size_t n, const char *label, size_t skip)
{
	const struct obl_group **idx = index_groups(g, n);
	if (!idx)
		return OBL_ENOMEM;
	int rc = OBL_OK;
	for (size_t a = 0; !rc && a < n;) {
		size_t b = a;
		while (b < n && !strcmp(idx[b]->scenario_canonical, idx[a]->scenario_canonical))
			b++;
		size_t most = 0;
		for (size_t k = a; k < b; k++)
			if (idx[k]->kind != OBL_KIND_PROPORTION && idx[k]->trials > most)
				most = idx[k]->trials;
		double *vals = most ? malloc(most * sizeof *vals) : NULL;
		double *work = most ? malloc(most * sizeof *work) : NULL;
		size_t scratch_n = 1;
		for (size_t k = a; k < b; k++)
			for (size_t t = 0; t < idx[k]->trials; t++)
				if (idx[k]->per_trial[t].n > scratch_n)
					scratch_n = idx[k]->per_trial[t].n;
		double *scratch = most ? malloc(scratch_n * sizeof *scratch) : NULL;
		if (most && (!vals || !work || !scratch))
			rc = OBL_ENOMEM;
		for (size_t r = skip; !rc && most && r < most / 2; r++) {
			size_t considered = 0, beyond = 0;
			const char *worst = NULL;
			double worst_ratio = 1;
			for (size_t k = a; k < b; k++) {
				const struct obl_group *grp = idx[k];
				if (grp->kind == OBL_KIND_PROPORTION || grp->trials < WARMUP_MIN_REPS ||
				    r + WARMUP_MIN_REPS > grp->trials + 1)
					continue;
				struct obl_statistic st = grp->kind == OBL_KIND_AGGREGATE
								  ? obl_stat_mean
								  : obl_stat_median;
				size_t m = 0;
				int ok = 1;
				for (size_t t = r; t < grp->trials && ok; t++) {
					double v = obl_values_statistic(&grp->per_trial[t], st, scratch);
					ok = v > 0 && isfinite(v);
					vals[m++] = ok ? log(v) : 0;
				}
				if (!ok || m < WARMUP_MIN_REPS)
					continue;
				/* vals[0] is repetition r; vals[1..m) the ones after it */
				memcpy(work, vals + 1, (m - 1) * sizeof *work);
				double med = median_of(work, m - 1);
				for (size_t t = 1; t < m; t++)
					work[t - 1] = fabs(vals[t] - med);
				double mad = 1.4826 * median_of(work, m - 1);
				double limit = fmax(WARMUP_MADS * mad, WARMUP_FLOOR);
				double dev = fabs(vals[0] - med);
				considered++;
				if (dev > limit) {
					beyond++;
					if (exp(dev) > worst_ratio) {
						worst_ratio = exp(dev);
						worst = grp->metric;
					}
				}
			}
			if (considered < 2 || 2 * beyond <= considered)
				break;
			struct obl_warning *w = add_warning(out, "warm-up", label,
							    idx[a]->scenario_canonical, r + 1);
			if (!w || obl_warning_format(w,
						     "run %s, scenario %s: repetition %zu is an outlier in %zu of %zu "
						     "metrics (%s %.2fx from the later ones' median); --skip-reps %zu "
						     "drops it",
						     label, idx[a]->scenario_canonical[0] ? idx[a]->scenario_canonical : "(run)",
						     r + 1, beyond, considered, worst, worst_ratio, r + 1)) {
				rc = OBL_ENOMEM;
				break;
			}
		}
		free(vals);
		free(work);
		free(scratch);
		a = b;
	}
	free(idx);
	return rc;
}

/* A warning when requests were tested as independent (--unit request). */
static int independence_warning(struct obl_db_comparison *out)
{
	for (size_t i = 0; i < out->n; i++) {
		const struct obl_comparison *r = &out->rows[i];
		if (r->presence == OBL_PAIRED && r->unit_of_analysis == OBL_UNIT_REQUESTS &&
		    !r->dependent && !isnan(r->p_value)) {
			struct obl_warning *w = add_warning(out, "independence", NULL, NULL, 0);
			return !w || obl_warning_format(w,
							"requests of fewer than 3 repetitions tested as independent "
							"(--unit request): if they share the machine's state, intervals are "
							"too narrow and false alarms more frequent")
				       ? OBL_ENOMEM
				       : OBL_OK;
		}
	}
	return OBL_OK;
}

int obl_groups_compare(struct obl_group **groups, const size_t *n_groups,
		       const char *const *labels, const char *const *paths, size_t n_sides,
		       const struct obl_db_compare_options *opt, struct obl_db_comparison *out,
		       struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n_sides && i < OBL_MAX_SIDES; i++) { /* taken over, even on error */
		out->groups[i] = groups[i];
		out->n_groups[i] = n_groups[i];
	}
	out->n_sides = n_sides < OBL_MAX_SIDES ? n_sides : OBL_MAX_SIDES;
	int rc = OBL_OK;
	if (n_sides < 2 || n_sides > OBL_MAX_SIDES)
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				   "between 1 and %d candidates can be compared at once",
				   OBL_MAX_SIDES - 1);
	char spec[256];
	snprintf(spec, sizeof spec, "%s", opt->stats ? opt->stats : "median");
	for (char *save = NULL, *s = strtok_r(spec, ",", &save); !rc && s;
	     s = strtok_r(NULL, ",", &save))
		if (!obl_statistic_named(s))
			rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "--stat",
					   "'%s' is not mean, median or pNN", s);
	for (size_t i = 0; !rc && opt->ignore_key && i < n_sides; i++)
		rc = obl_groups_drop_key(groups[i], n_groups[i], opt->ignore_key, paths[i], err);
	/* The groups the filters select come first; the rest stay for freeing. */
	size_t kept[OBL_MAX_SIDES] = { 0 };
	for (size_t i = 0; !rc && i < n_sides; i++)
		rc = select_groups(groups[i], n_groups[i], &kept[i], opt, err);
	if (!rc && kept[0] == 0 && n_groups[0])
		rc = obl_filter_explain(groups[0], n_groups[0], paths[0], opt, err);
	obl_progress_phase(opt->progress, "comparing");
	/* Rows of equal sample sizes share one exact null distribution of U. */
	struct stats_rank_cache cache = { 0 };
	struct obl_db_compare_options o = *opt;
	o.compare.rank_cache = &cache;
	/* A group is read by one row only with one candidate, and without --ignore-key (which
	 * can match two baseline groups with one candidate group). */
	o.consume_values = opt->consume_values && n_sides == 2 && !opt->ignore_key;
	for (size_t i = 1; !rc && i < n_sides; i++)
		rc = compare_runs(out, groups[0], kept[0], groups[i], kept[i], labels[0],
				  labels[i], &o, err);
	stats_rank_cache_free(&cache);
	/* One family across every candidate: comparing five candidates at once must not
	 * multiply the chance of a false alarm by five. */
	for (int family = 2; !rc && !opt->family_per_candidate && family >= 0; family--)
		rc = obl_compare_finish_family(out->rows, out->n, family, &opt->compare);
	for (size_t i = 0; !rc && i < n_sides; i++)
		if (detect_warmup(out, groups[i], kept[i], labels[i], opt->skip_reps))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc && independence_warning(out))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	size_t paired = 0;
	for (size_t i = 0; i < out->n; i++)
		paired += out->rows[i].presence == OBL_PAIRED;
	if (!rc && paired == 0)
		rc = obl_error_set(err, OBL_EINPUT, paths[1], 0, NULL,
				   "no scenario and metric in common with the baseline: nothing to "
				   "compare");
	if (rc)
		obl_db_comparison_free(out);
	return rc;
}

int obl_db_compare(const struct obl_db_side *baseline, const struct obl_db_side *candidates,
		   size_t n_candidates, const struct obl_db_compare_options *opt,
		   struct obl_db_comparison *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	if (n_candidates == 0 || n_candidates >= OBL_MAX_SIDES)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				     "between 1 and %d candidates can be compared at once",
				     OBL_MAX_SIDES - 1);
	struct obl_group *groups[OBL_MAX_SIDES] = { 0 };
	size_t n_groups[OBL_MAX_SIDES] = { 0 };
	const char *labels[OBL_MAX_SIDES], *paths[OBL_MAX_SIDES];
	int rc = OBL_OK;
	for (size_t i = 0; !rc && i <= n_candidates; i++) {
		const struct obl_db_side *side = i ? &candidates[i - 1] : baseline;
		labels[i] = side->label;
		paths[i] = side->path;
		obl_progress_phase(opt->progress, i ? "loading a candidate run" : "loading the baseline run");
		rc = load_side(side, &groups[i], &n_groups[i], err);
	}
	if (rc) {
		for (size_t i = 0; i <= n_candidates; i++)
			obl_groups_free(groups[i], n_groups[i]);
		return rc;
	}
	return obl_groups_compare(groups, n_groups, labels, paths, n_candidates + 1, opt, out, err);
}

void obl_db_comparison_free(struct obl_db_comparison *c)
{
	for (size_t i = 0; i < c->n_sides; i++)
		obl_groups_free(c->groups[i], c->n_groups[i]);
	for (size_t i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->strings);
	free(c->rows);
	for (size_t i = 0; i < c->n_warnings; i++)
		obl_warning_release(&c->warnings[i]);
	free(c->warnings);
	memset(c, 0, sizeof *c);
}
