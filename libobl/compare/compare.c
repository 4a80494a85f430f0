/*
 * compare.c - one row of a comparison: summaries, the test, the change and its interval,
 * and the verdict rule of DESIGN.md section 4.
 *
 * The relative change is the quantity a verdict is about, so each method gives it a proper
 * interval: Welch on log values gives a ratio of geometric means directly; the mean-based
 * tests use Fieller's interval for the ratio of means; Mann-Whitney expresses the
 * Hodges-Lehmann shift relative to the baseline median (treated as known: with the sample
 * sizes where this method is chosen, its own uncertainty is small in comparison).
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const obl_method_names[] = { "auto", "welch", "student",
					 "mann-whitney", "welch-log", "bootstrap",
					 "fisher", "mann-whitney-exact", "chi-squared",
					 "prediction-t", NULL };
const char *const obl_presence_names[] = { "paired", "missing", "new", NULL };
const char *const obl_unit_of_analysis_names[] = { NULL, "values", "repetitions", "requests",
						   "trials", "runs" };

const struct obl_statistic obl_stat_mean = { OBL_STAT_MEAN, NAN };
const struct obl_statistic obl_stat_median = { OBL_STAT_MEDIAN, 0.5 };

int obl_statistic_parse(const char *s, struct obl_statistic *out)
{
	const struct obl_statistic rate = { OBL_STAT_RATE, NAN };
	const struct obl_statistic *named = !strcmp(s, "mean")     ? &obl_stat_mean
					    : !strcmp(s, "median") ? &obl_stat_median
					    : !strcmp(s, "rate")   ? &rate
								   : NULL;
	if (named) {
		*out = *named;
		return 1;
	}
	char *end;
	double p = s[0] == 'p' ? strtod(s + 1, &end) : -1;
	if (s[0] != 'p' || end == s + 1 || *end || !(p > 0 && p < 100))
		return 0;
	*out = (struct obl_statistic){ OBL_STAT_QUANTILE, p / 100 };
	return 1;
}

int obl_statistic_named(const char *s)
{
	struct obl_statistic st;
	return obl_statistic_parse(s, &st) && st.kind != OBL_STAT_RATE;
}

const char *const obl_verdict_names[] = { "better", "worse", "same", "inconclusive", "no-test",
					  NULL };

struct obl_compare_options obl_compare_defaults(void)
{
	struct obl_compare_options o = { OBL_METHOD_AUTO, 0.95, 0.05, 0.02, OBL_LOWER_IS_BETTER,
					 STATS_ADJUST_HOLM, UINT64_C(20261124), 2000, NULL };
	return o;
}

/* Below this many values per side, auto treats values as repetitions (Welch on logs). */
enum { AUTO_RANK_MIN = 30 };

enum obl_method obl_compare_auto_method(const double *base, size_t nb, const double *cand,
					size_t nc)
{
	if (nb >= AUTO_RANK_MIN && nc >= AUTO_RANK_MIN)
		return OBL_METHOD_MANN_WHITNEY;
	for (size_t i = 0; i < nb; i++)
		if (!(base[i] > 0))
			return OBL_METHOD_WELCH;
	for (size_t i = 0; i < nc; i++)
		if (!(cand[i] > 0))
			return OBL_METHOD_WELCH;
	return OBL_METHOD_WELCH_LOG;
}

static const struct obl_estimate no_estimate = { NAN, NAN, NAN, NULL };

/* Describes sorted[0..n). */
static int describe(const double *sorted, size_t n, struct obl_side *side,
		    struct obl_error *err)
{
	struct stats_summary s;
	int rc = stats_summary_sorted(sorted, n, &s);
	if (rc)
		return obl_error_set(err, rc == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				     "cannot summarise: %s", stats_strerror(rc));
	side->n = n;
	side->mean = s.mean;
	side->sd = s.sd;
	side->median = s.median;
	side->min = s.min;
	side->max = s.max;
	return OBL_OK;
}

/* Deltas without a test (n == 1 on a side, or no variance at all): the means' change. */
static void point_change(struct obl_comparison *out)
{
	double b = out->baseline.mean, c = out->candidate.mean;
	out->baseline.center = b;
	out->candidate.center = c;
	out->center_label = "mean";
	out->difference = (struct obl_estimate){ c - b, NAN, NAN, "no test" };
	out->relative = (struct obl_estimate){ b != 0 ? c / b - 1 : NAN, NAN, NAN, "no test" };
}

/* Both sides constant: nothing is uncertain, the change is what it is. */
static void no_variance(struct obl_comparison *out)
{
	point_change(out);
	out->no_variance = 1;
	out->note = "no variance";
	out->difference.reason = out->relative.reason = "no variance: the change is exact";
}

/* The relative change as centers give it, and an interval of the log ratio [lo, hi]. */
static void relative_from_log(struct obl_comparison *out, double lo, double hi)
{
	double b = out->baseline.center, c = out->candidate.center;
	out->relative = (struct obl_estimate){ c / b - 1, expm1(lo), expm1(hi), NULL };
	out->difference = (struct obl_estimate){ c - b, b * expm1(lo), b * expm1(hi), NULL };
}

/* A t-test on logs (Welch's, or the prediction of one new level) as the row's test: its
 * statistic and p, the geometric means as centres, the change as a ratio. */
static void from_log_t(struct obl_comparison *out, const struct stats_ttest *t)
{
	out->statistic = t->statistic;
	out->df = t->df;
	out->p_value = t->p_value;
	out->baseline.center = exp(t->mean_y);
	out->candidate.center = exp(t->mean_x);
	out->center_label = "gmean";
	relative_from_log(out, t->ci_low, t->ci_high);
}

/* unit_var from the standard error of a log ratio for sides of nb and nc values: the
 * variance the estimate would have with one value per side, equal sides. */
static double unit_var_of(double se, size_t nb, size_t nc)
{
	return 2 * se * se / (1.0 / (double)nb + 1.0 / (double)nc);
}

static double *log_copy(const double *v, size_t n)
{
	double *l = malloc(n * sizeof *l);
	if (l)
		for (size_t i = 0; i < n; i++)
			l[i] = log(v[i]);
	return l;
}

static int welch_log(const double *base, size_t nb, const double *cand, size_t nc,
		     const struct obl_compare_options *opt, struct obl_comparison *out,
		     struct obl_error *err)
{
	for (size_t i = 0; i < nb; i++)
		if (!(base[i] > 0))
			return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL,
					     "welch-log needs positive values; the baseline has %g",
					     base[i]);
	for (size_t i = 0; i < nc; i++)
		if (!(cand[i] > 0))
			return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL,
					     "welch-log needs positive values; the candidate has %g",
					     cand[i]);
	double *lb = log_copy(base, nb), *lc = log_copy(cand, nc);
	int rc = OBL_ENOMEM;
	if (lb && lc) {
		struct stats_ttest t;
		int s = stats_welch_t(lc, nc, lb, nb, STATS_TWO_SIDED, opt->confidence, 0, &t);
		rc = OBL_OK;
		if (s == STATS_EZEROVAR) {
			no_variance(out);
		} else if (s) {
			rc = obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "%s", stats_strerror(s));
		} else {
			from_log_t(out, &t);
			out->unit_var = unit_var_of(t.std_error, nb, nc);
		}
	}
	free(lb);
	free(lc);
	if (rc == OBL_ENOMEM)
		obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return rc;
}

static int mean_test(const double *base, size_t nb, const double *cand, size_t nc,
		     const struct obl_compare_options *opt, struct obl_comparison *out,
		     struct obl_error *err)
{
	struct stats_ttest t;
	int s = out->method == OBL_METHOD_STUDENT
			? stats_student_t(cand, nc, base, nb, STATS_TWO_SIDED, opt->confidence, 0, &t)
			: stats_welch_t(cand, nc, base, nb, STATS_TWO_SIDED, opt->confidence, 0, &t);
	if (s == STATS_EZEROVAR) {
		no_variance(out);
		return OBL_OK;
	}
	if (s)
		return obl_error_set(err, s == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				     "%s", stats_strerror(s));
	out->statistic = t.statistic;
	out->df = t.df;
	out->p_value = t.p_value;
	out->difference = (struct obl_estimate){ t.estimate, t.ci_low, t.ci_high, NULL };
	double mb = out->baseline.mean, mc = out->candidate.mean;
	out->baseline.center = mb;
	out->candidate.center = mc;
	out->center_label = "mean";
	if (mb > 0 && mc > 0) /* delta method for the log ratio of means */
		out->unit_var = unit_var_of(sqrt(out->candidate.sd * out->candidate.sd /
							 ((double)nc * mc * mc) +
						 out->baseline.sd * out->baseline.sd /
							 ((double)nb * mb * mb)),
					    nb, nc);
	struct stats_fieller f;
	s = stats_fieller_ratio(cand, nc, base, nb, opt->confidence, &f);
	if (s == STATS_OK && f.bounded)
		out->relative = (struct obl_estimate){ mc / mb - 1, f.ci_low - 1, f.ci_high - 1,
						       NULL };
	else
		out->relative = (struct obl_estimate){
			out->baseline.mean != 0 ? out->candidate.mean / out->baseline.mean - 1 : NAN,
			NAN, NAN, "Fieller interval unbounded: the baseline mean is not clearly non-zero"
		};
	return OBL_OK;
}

/* base and cand (sorted) become their logs at the end: the caller's own copies. */
static int rank_test(double *base, size_t nb, double *cand, size_t nc,
		     const struct obl_compare_options *opt, struct obl_comparison *out,
		     struct obl_error *err)
{
	struct stats_rank_options o = stats_rank_defaults();
	o.cache = opt->rank_cache;
	o.conf_level = opt->confidence;
	if (out->method == OBL_METHOD_MANN_WHITNEY_EXACT)
		o.exact = 2; /* exact under ties, as benchstat */
	struct stats_rank_test t;
	int s = stats_mann_whitney(cand, nc, base, nb, &o, &t);
	if (s)
		return obl_error_set(err, s == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				     "%s", stats_strerror(s));
	out->statistic = t.statistic;
	out->p_value = t.p_value;
	if (!t.ci_ok || isnan(t.p_value)) { /* every value equal, on both sides */
		no_variance(out);
		out->statistic = t.statistic;
		out->p_value = NAN;
		return OBL_OK;
	}
	if (t.exact) /* the smallest p-value the exact law allows: both extreme arrangements */
		out->min_p = stats_mann_whitney_min_p(nb, nc);
	out->difference = (struct obl_estimate){ t.estimate, t.ci_low, t.ci_high, NULL };
	struct stats_ttest w;
	if (stats_welch_t(cand, nc, base, nb, STATS_TWO_SIDED, opt->confidence, 0, &w) == STATS_OK) {
		out->secondary.present = 1;
		out->secondary.statistic = w.statistic;
		out->secondary.df = w.df;
		out->secondary.p_value = w.p_value;
		out->secondary.difference = (struct obl_estimate){ w.estimate, w.ci_low, w.ci_high,
								   NULL };
	}
	double m = out->baseline.median;
	out->baseline.center = m;
	out->candidate.center = m + t.estimate;
	out->center_label = "median (HL)";
	if (!(base[0] > 0) || !(cand[0] > 0)) { /* sorted: the first is the smallest */
		out->relative = (struct obl_estimate){ m > 0 ? t.estimate / m : NAN,
						       m > 0 ? t.ci_low / m : NAN,
						       m > 0 ? t.ci_high / m : NAN,
						       m > 0 ? NULL
							     : "the baseline median is not positive" };
		if (m > 0)
			out->relative.estimate = out->candidate.center / m - 1;
		return OBL_OK;
	}
	/* Positive values: the relative change is the Hodges-Lehmann shift of the log values (a
	 * ratio, whose interval cannot go below -100%), applied to the baseline median. The
	 * p-value is the same (ranks do not change under log). The logs replace the values in
	 * place (still sorted): copies were a third of the memory of a large comparison. */
	for (size_t i = 0; i < nb; i++)
		base[i] = log(base[i]);
	for (size_t i = 0; i < nc; i++)
		cand[i] = log(cand[i]);
	struct stats_rank_test lt;
	s = stats_mann_whitney(cand, nc, base, nb, &o, &lt);
	if (s)
		return obl_error_set(err, s == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				     "%s", stats_strerror(s));
	out->candidate.center = m * exp(lt.estimate);
	relative_from_log(out, lt.ci_low, lt.ci_high);
	out->difference = (struct obl_estimate){ t.estimate, t.ci_low, t.ci_high, NULL };
	/* Asymptotic relative efficiency 3/pi against the t test: the interval's half-width
	 * over the normal quantile estimates the standard error well enough for a hint. */
	double z = stats_normal_quantile(1 - (1 - opt->confidence) / 2);
	out->unit_var = unit_var_of((lt.ci_high - lt.ci_low) / (2 * z), nb, nc);
	return OBL_OK;
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof *s);
	if (s) {
		memcpy(s, v, n * sizeof *s);
		if (stats_sort(s, n)) {
			free(s);
			s = NULL;
		}
	}
	return s;
}

static int compare_sorted(double *base, size_t nb, double *cand, size_t nc,
			  const struct obl_compare_options *opt, struct obl_comparison *out,
			  struct obl_error *err);

static void reset_row(struct obl_comparison *out, const struct obl_compare_options *opt)
{
	memset(out, 0, sizeof *out);
	out->statistic = out->df = out->p_value = out->p_adjusted = out->needed_n = NAN;
	out->baseline.center = out->candidate.center = out->unit_var = NAN;
	out->difference = out->relative = no_estimate;
	out->direction = opt->direction;
	out->threshold = opt->threshold;
	out->verdict = OBL_VERDICT_NO_TEST;
	out->gating = 1;
}

int obl_compare_prediction(const double *levels, size_t k, const double *cand, size_t nc,
			   const struct obl_compare_options *opt, struct obl_comparison *out,
			   struct obl_error *err)
{
	reset_row(out, opt);
	out->method = OBL_METHOD_PREDICTION;
	out->unit_of_analysis = OBL_UNIT_RUNS;
	double *lb = malloc((k ? k : 1) * sizeof *lb), *sc = malloc((nc ? nc : 1) * sizeof *sc);
	int rc = OBL_OK;
	if (!lb || !sc) {
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	long double sum = 0;
	for (size_t i = 0; i < nc; i++) {
		if (!(cand[i] > 0)) {
			rc = obl_error_set(err, OBL_EINPUT, NULL, 0, NULL,
					   "prediction-t needs positive values; the newest run "
					   "has %g",
					   cand[i]);
			goto done;
		}
		sum += logl(cand[i]);
	}
	for (size_t i = 0; i < k; i++) {
		if (!(levels[i] > 0)) {
			rc = obl_error_set(err, OBL_EINPUT, NULL, 0, NULL,
					   "prediction-t needs positive values; a run has %g",
					   levels[i]);
			goto done;
		}
		lb[i] = log(levels[i]);
	}
	memcpy(sc, cand, nc * sizeof *sc);
	if (stats_sort(sc, nc)) {
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if ((rc = describe(sc, nc, &out->candidate, err)))
		goto done;
	out->candidate.n = 1; /* one run (of nc repetitions): the runs are the unit */
	{
		double *sl = sorted_copy(levels, k);
		if (!sl) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			goto done;
		}
		rc = describe(sl, k, &out->baseline, err);
		free(sl);
		if (rc)
			goto done;
	}
	double x_new = nc ? (double)(sum / nc) : NAN;
	struct stats_ttest t;
	int s = k >= 2 && nc ? stats_t_prediction(lb, k, x_new, STATS_TWO_SIDED,
						  opt->confidence, &t)
			     : STATS_EINVAL;
	if (s == STATS_EZEROVAR) {
		/* every earlier run at one level: the change is what it is */
		out->baseline.mean = exp(lb[0]);
		out->candidate.mean = exp(x_new);
		no_variance(out);
		out->center_label = "gmean";
	} else if (s == STATS_EINVAL) {
		out->note = "one earlier run: no spread between runs to judge by";
		out->baseline.center = k ? levels[0] : NAN;
		out->candidate.center = exp(x_new);
		out->center_label = "gmean";
		double b = out->baseline.center, c = out->candidate.center;
		out->difference = (struct obl_estimate){ c - b, NAN, NAN, "no test" };
		out->relative = (struct obl_estimate){ c / b - 1, NAN, NAN, "no test" };
	} else if (s) {
		rc = obl_error_set(err, s == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				   "%s", stats_strerror(s));
	} else {
		from_log_t(out, &t);
		/* more earlier runs narrow the interval only towards the spread between runs
		 * itself: no count of runs or repetitions to ask for */
		out->unit_var = NAN;
	}
done:
	free(lb);
	free(sc);
	return rc;
}

int obl_compare_samples(const double *base, size_t nb, const double *cand, size_t nc,
			const struct obl_compare_options *opt, struct obl_comparison *out,
			struct obl_error *err)
{
	/* Sort each side once: the summaries need it, and the tests then find sorted input. */
	double *b = sorted_copy(base, nb), *c = sorted_copy(cand, nc);
	int rc = b && c ? compare_sorted(b, nb, c, nc, opt, out, err)
			: obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	free(b);
	free(c);
	return rc;
}

int obl_compare_samples_consume(double *base, size_t nb, double *cand, size_t nc,
				const struct obl_compare_options *opt, struct obl_comparison *out,
				struct obl_error *err)
{
	if (stats_sort(base, nb) || stats_sort(cand, nc))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return compare_sorted(base, nb, cand, nc, opt, out, err);
}

/* base and cand are sorted, and the row's own to overwrite (rank_test does). */
static int compare_sorted(double *base, size_t nb, double *cand, size_t nc,
			  const struct obl_compare_options *opt, struct obl_comparison *out,
			  struct obl_error *err)
{
	reset_row(out, opt);
	if (opt->method == OBL_METHOD_FISHER || opt->method == OBL_METHOD_CHI_SQUARED)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, obl_method_names[opt->method],
				     "is for proportions (success counts), not samples of values");
	if (opt->method == OBL_METHOD_PREDICTION)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, obl_method_names[opt->method],
				     "is for one run against the runs before it (obl-history "
				     "--check-latest), not two samples");
	if (opt->method == OBL_METHOD_BOOTSTRAP)
		return obl_compare_quantile_bootstrap(base, nb, cand, nc, 0.5, opt, out, err);
	int rc = describe(base, nb, &out->baseline, err);
	if (!rc)
		rc = describe(cand, nc, &out->candidate, err);
	if (rc)
		return rc;
	out->method = opt->method == OBL_METHOD_AUTO ? obl_compare_auto_method(base, nb, cand, nc)
						     : opt->method;
	if (nb < 2 || nc < 2) {
		out->note = "a side has a single value: no test";
		point_change(out);
		return OBL_OK;
	}
	switch (out->method) {
	case OBL_METHOD_WELCH_LOG: return welch_log(base, nb, cand, nc, opt, out, err);
	case OBL_METHOD_MANN_WHITNEY:
	case OBL_METHOD_MANN_WHITNEY_EXACT: return rank_test(base, nb, cand, nc, opt, out, err);
	default: return mean_test(base, nb, cand, nc, opt, out, err);
	}
}

/* Is the Newcombe interval of rates pb against pc, n trials a side, decisive? */
static int proportions_settled(double pb, double pc, double n, double thr, double conf)
{
	struct stats_interval d;
	if (stats_newcombe_diff(pc * n, n, pb * n, n, conf, &d))
		return 0;
	double lo = d.ci_low / pb, hi = d.ci_high / pb;
	return (lo >= -thr && hi <= thr) || lo > thr || hi < -thr;
}

/* Proportions: the trials per side at which the interval, at the observed rates, is inside
 * +-threshold or outside it (the chosen interval decides, not a power calculation). */
static double needed_trials(const struct obl_comparison *c, double conf)
{
	double pb = c->baseline.center, pc = c->candidate.center, thr = c->threshold;
	if (!(pb > 0) || !(thr > 0))
		return NAN;
	double lo = (double)(c->baseline.n < c->candidate.n ? c->baseline.n : c->candidate.n);
	double hi = lo;
	while (!proportions_settled(pb, pc, hi, thr, conf)) {
		lo = hi;
		hi *= 2;
		if (hi > 1e12)
			return NAN;
	}
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);
		if (proportions_settled(pb, pc, mid, thr, conf))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Values per side (repetitions for repetition rows) at which the row would be conclusive
 * with 80% probability if the observed change and variance were the truth: a power
 * calculation on the log scale, at the level the family's adjustment asks (alpha / m). */
static double needed_per_side(const struct obl_comparison *c, double alpha_adj, double conf)
{
	if (c->method == OBL_METHOD_FISHER || c->method == OBL_METHOD_CHI_SQUARED)
		return needed_trials(c, conf);
	if (!(c->relative.estimate > -1) || !isfinite(c->unit_var))
		return NAN;
	return stats_needed_per_side(log1p(c->relative.estimate), c->unit_var, c->threshold,
				     alpha_adj, conf, 0.8);
}

int obl_compare_finish(struct obl_comparison *rows, size_t n,
		       const struct obl_compare_options *opt)
{
	return obl_compare_finish_family(rows, n, -1, opt);
}

/* The family a row belongs to: 1 gating, 0 informational, 2 across scenarios. */
static int family_of(const struct obl_comparison *c)
{
	return c->across ? 2 : c->gating != 0;
}

/* Is a row in the p-value family? Rows without a valid test are not. */
static int in_family(const struct obl_comparison *c)
{
	return c->presence == OBL_PAIRED && !c->dependent && !c->no_variance;
}

/* The verdict from the change alone, for rows whose change is certain (no variance). */
static enum obl_verdict certain_verdict(const struct obl_comparison *c)
{
	double est = c->relative.estimate, thr = c->threshold;
	if (!(fabs(est) > thr))
		return OBL_VERDICT_SAME;
	int up = est > thr;
	if (c->direction == OBL_DIRECTION_NONE)
		return OBL_VERDICT_INCONCLUSIVE;
	return up == (c->direction == OBL_LOWER_IS_BETTER) ? OBL_VERDICT_WORSE : OBL_VERDICT_BETTER;
}

int obl_compare_finish_family(struct obl_comparison *rows, size_t n, int gating,
			      const struct obl_compare_options *opt)
{
	double *p = calloc(n ? n : 1, sizeof *p);
	double *q = calloc(n ? n : 1, sizeof *q);
	if (!p || !q) {
		free(p);
		free(q);
		return OBL_ENOMEM;
	}
	size_t m = 0, family = 0;
	for (size_t i = 0; i < n; i++)
		if (gating < 0 || family_of(&rows[i]) == gating) {
			int in = in_family(&rows[i]) && !isnan(rows[i].p_value);
			p[m] = in ? rows[i].p_value : NAN;
			q[m++] = in ? rows[i].min_p : NAN;
			family += in;
		}
	int rc = stats_p_adjust(p, m, opt->correction, p);
	if (!rc) /* the smallest p-values reachable, adjusted as the family would be */
		rc = stats_p_adjust(q, m, opt->correction, q);
	if (rc) {
		free(p);
		free(q);
		return rc == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT;
	}
	/* Holm's first step and Bonferroni divide by the family's size: the level a row must
	 * reach at worst, for the repetitions-needed hint. */
	double alpha_adj = opt->correction == STATS_ADJUST_NONE || family == 0
				   ? opt->alpha
				   : opt->alpha / (double)family;
	for (size_t i = 0, k = 0; i < n; i++) {
		struct obl_comparison *c = &rows[i];
		if (gating >= 0 && family_of(c) != gating)
			continue;
		double min_adj = q[k];
		c->p_adjusted = p[k++];
		if (c->presence != OBL_PAIRED)
			continue;
		if (!c->dependent)
			c->needed_n = NAN;
		c->cannot_reject = 0;
		if (c->no_variance) {
			c->verdict = certain_verdict(c);
			continue;
		}
		if (isnan(c->p_value)) {
			c->verdict = OBL_VERDICT_NO_TEST;
			continue;
		}
		if (c->dependent) { /* the test's premise does not hold: never conclusive */
			c->verdict = OBL_VERDICT_INCONCLUSIVE;
			continue;
		}
		/* A smallest reachable p-value above alpha even after adjustment: the gate
		 * cannot fail (nor the row be better) whatever the data say. */
		c->cannot_reject = min_adj > 0 && min_adj >= opt->alpha;
		double est = c->relative.estimate, thr = c->threshold;
		/* from a centre of 0 (no errors, no failed requests) any change is beyond every
		 * relative threshold: its direction is the difference's */
		if (isnan(est) && c->baseline.center == 0 && isfinite(c->difference.estimate) &&
		    c->difference.estimate != 0)
			est = copysign(INFINITY, c->difference.estimate);
		int significant = c->p_adjusted < opt->alpha;
		int up = est > thr, down = est < -thr;
		int bad = c->direction == OBL_LOWER_IS_BETTER    ? up
			  : c->direction == OBL_HIGHER_IS_BETTER ? down
								 : 0;
		int good = c->direction == OBL_LOWER_IS_BETTER    ? down
			   : c->direction == OBL_HIGHER_IS_BETTER ? up
								  : 0;
		if (significant && bad)
			c->verdict = OBL_VERDICT_WORSE;
		else if (significant && good)
			c->verdict = OBL_VERDICT_BETTER;
		else if (c->relative.ci_low >= -thr && c->relative.ci_high <= thr)
			c->verdict = OBL_VERDICT_SAME;
		else {
			c->verdict = OBL_VERDICT_INCONCLUSIVE;
			c->needed_n = needed_per_side(c, alpha_adj, opt->confidence);
			if (c->cannot_reject) /* an exact rank test: at least the n per side
					       * whose smallest p-value, 2 / C(2n, n), can reach
					       * alpha over the family */
				for (size_t r = 2; r < 1000; r++)
					if (stats_mann_whitney_min_p(r, r) < alpha_adj) {
						c->needed_n = isfinite(c->needed_n)
								      ? fmax(c->needed_n, (double)r)
								      : (double)r;
						break;
					}
		}
	}
	free(p);
	free(q);
	return OBL_OK;
}

static double log_quantile_ratio(double *x, size_t nx, double *y, size_t ny, void *ctx)
{
	double q = *(const double *)ctx;
	double a = stats_quantile_select(x, nx, q, 7), b = stats_quantile_select(y, ny, q, 7);
	return a > 0 && b > 0 ? log(a / b) : NAN;
}

int obl_compare_quantile_bootstrap(const double *base, size_t nb, const double *cand, size_t nc,
				   double q, const struct obl_compare_options *opt,
				   struct obl_comparison *out, struct obl_error *err)
{
	double *b = sorted_copy(base, nb), *c = sorted_copy(cand, nc);
	int rc = OBL_OK;
	reset_row(out, opt);
	out->method = OBL_METHOD_BOOTSTRAP;
	if (!b || !c) {
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if ((rc = describe(b, nb, &out->baseline, err)) || (rc = describe(c, nc, &out->candidate, err)))
		goto done;
	double qb = stats_quantile_sorted(b, nb, q, 7), qc = stats_quantile_sorted(c, nc, q, 7);
	if (nb < 2 || nc < 2 || !(qb > 0) || !(qc > 0)) {
		out->note = nb < 2 || nc < 2 ? "a side has a single value: no test"
					     : "the quantile is not positive: no ratio";
		out->baseline.center = qb;
		out->candidate.center = qc;
		out->center_label = "quantile";
		out->difference = (struct obl_estimate){ qc - qb, NAN, NAN, "no test" };
		out->relative = (struct obl_estimate){ qb > 0 ? qc / qb - 1 : NAN, NAN, NAN, "no test" };
		goto done;
	}
	struct stats_bootstrap boot;
	int s = stats_bootstrap2(c, nc, b, nb, log_quantile_ratio, &q, opt->resamples,
				 opt->confidence, STATS_BOOT_PERCENTILE, opt->seed, &boot);
	if (s) {
		rc = obl_error_set(err, s == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0, NULL,
				   "bootstrap: %s", stats_strerror(s));
		goto done;
	}
	out->statistic = boot.estimate;
	out->baseline.center = qb;
	out->candidate.center = qc;
	out->center_label = "quantile";
	relative_from_log(out, boot.ci_low, boot.ci_high);
	out->unit_var = unit_var_of(boot.std_error, nb, nc);
	/* Normal approximation on the log scale with the bootstrap standard error. */
	out->p_value = stats_bootstrap_p_normal(&boot);
done:
	free(b);
	free(c);
	return rc;
}

int obl_compare_proportions(double base_successes, double base_trials, double cand_successes,
			    double cand_trials, const struct obl_compare_options *opt,
			    struct obl_comparison *out, struct obl_error *err)
{
	reset_row(out, opt);
	out->method = OBL_METHOD_FISHER;
	if (!(base_trials >= 1) || !(cand_trials >= 1) || base_successes < 0 || cand_successes < 0 ||
	    base_successes > base_trials || cand_successes > cand_trials)
		return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL,
				     "inconsistent counts: %g of %g against %g of %g",
				     base_successes, base_trials, cand_successes, cand_trials);
	double pb = base_successes / base_trials, pc = cand_successes / cand_trials;
	out->baseline = (struct obl_side){ (size_t)base_trials, pb, NAN, pb, NAN, NAN, pb };
	out->candidate = (struct obl_side){ (size_t)cand_trials, pc, NAN, pc, NAN, NAN, pc };
	out->center_label = "rate";
	struct stats_fisher f;
	struct stats_prop_test chi;
	int s;
	/* Fisher's exact test sums the hypergeometric law over the table's whole support:
	 * seconds at a billion trials, where the chi-squared test agrees with it to digits that
	 * do not matter. */
	if (base_trials > 1e6 || cand_trials > 1e6) {
		out->method = OBL_METHOD_CHI_SQUARED;
		s = stats_prop_test_2(cand_successes, cand_trials, base_successes, base_trials,
				      STATS_TWO_SIDED, opt->confidence, 1, &chi);
		f.estimate = chi.statistic;
		f.p_value = chi.p_value;
		if (s == STATS_OK && isnan(chi.p_value)) { /* both rates 0, or both 1 */
			f.estimate = 0;
			f.p_value = 1;
		}
	} else {
		s = stats_fisher_exact(lround(cand_successes), lround(cand_trials - cand_successes),
				       lround(base_successes), lround(base_trials - base_successes),
				       STATS_TWO_SIDED, opt->confidence, &f);
	}
	struct stats_interval d;
	if (!s)
		s = stats_newcombe_diff(cand_successes, cand_trials, base_successes, base_trials,
					opt->confidence, &d);
	if (s)
		return obl_error_set(err, OBL_EINPUT, NULL, 0, NULL, "%s", stats_strerror(s));
	out->statistic = f.estimate;
	out->p_value = f.p_value;
	out->difference = (struct obl_estimate){ d.estimate, d.ci_low, d.ci_high, NULL };
	if (pb > 0) /* a rate is not negative: the ratio's interval stops at -100% */
		out->relative = (struct obl_estimate){ pc / pb - 1, fmax(d.ci_low / pb, -1),
						       d.ci_high / pb, NULL };
	else
		out->relative = (struct obl_estimate){ NAN, NAN, NAN, "the baseline rate is 0" };
	return OBL_OK;
}
