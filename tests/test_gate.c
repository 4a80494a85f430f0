/*
 * test_gate.c - the CI gate, calibrated by simulation (fixed seeds), through the same
 * engine as obl-compare (obl_compare_samples per row, obl_compare_finish per family):
 *  - A/A: 32 rows (scenarios x metrics), 5 repetitions per side, 2% lognormal noise: the
 *    gate (any row worse) fails in at most alpha = 5% of 2000 replications (family-wise);
 *  - power: one row with a true 5% slowdown, 5 repetitions per side at 2% noise, is found
 *    worse in at least 80% of 2000 replications;
 *  - obl-history's gate, the runs as the unit (obl_compare_prediction): the reference
 *    values of the Student prediction interval, and by simulation with 2% night-to-night
 *    noise, where pooling the repetitions of the earlier runs raised false alarms.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <math.h>

#include "compare.h"
#include "check.h"

enum { REPLICATIONS = 2000,
       ROWS = 32,
       REPS = 5 };

static int gate_fails(gsl_rng *r, size_t rows, double shift, const struct obl_compare_options *o)
{
	struct obl_comparison c[ROWS];
	struct obl_error err;
	for (size_t i = 0; i < rows; i++) {
		double base[REPS], cand[REPS];
		double level = 10 + 90 * gsl_rng_uniform(r); /* each row its own scale */
		for (int k = 0; k < REPS; k++) {
			base[k] = level * exp(gsl_ran_gaussian(r, 0.02));
			cand[k] = level * shift * exp(gsl_ran_gaussian(r, 0.02));
		}
		obl_error_clear(&err);
		MUST(obl_compare_samples(base, REPS, cand, REPS, o, &c[i], &err));
	}
	obl_compare_finish(c, rows, o);
	for (size_t i = 0; i < rows; i++)
		if (c[i].verdict == OBL_VERDICT_WORSE)
			return 1;
	return 0;
}

/* The prediction interval against values worked out by hand (R: x <- 1:5, y <- 8;
 * se <- sd(x) * sqrt(1 + 1/5); t <- (y - 3) / se; 2 * pt(-t, 4); (y - 3) + c(-1, 1) *
 * qt(0.975, 4) * se): t = 2.886751, p = 0.0447086, [0.191056, 9.808944] on the log scale. */
static void prediction_reference(void)
{
	const double levels[] = { exp(1), exp(2), exp(3), exp(4), exp(5) };
	const double cand[] = { exp(7), exp(9) }; /* two repetitions: level exp(8) */
	struct obl_compare_options o = obl_compare_defaults();
	struct obl_comparison c;
	struct obl_error err;
	obl_error_clear(&err);
	MUST(obl_compare_prediction(levels, 5, cand, 2, &o, &c, &err));
	check_near(c.statistic, 2.886751, 1e-6, "prediction: t");
	check_near(c.df, 4, 0, "prediction: k - 1 df");
	check_near(c.p_value, 0.0447086, 1e-6, "prediction: two-sided p");
	check_near(c.relative.estimate, expm1(5), 1e-9, "prediction: level ratio - 1");
	check_near(c.relative.ci_low, expm1(0.191056), 1e-5, "prediction: interval, low");
	check_near(c.relative.ci_high, expm1(9.808944), 1e-2, "prediction: interval, high");
	check_near(c.baseline.center, exp(3), 1e-9, "prediction: baseline centre, gmean of runs");
	check_near(c.candidate.center, exp(8), 1e-9, "prediction: candidate centre, its gmean");
	check(c.unit_of_analysis == OBL_UNIT_RUNS && c.method == OBL_METHOD_PREDICTION &&
		      c.baseline.n == 5 && c.candidate.n == 1,
	      "prediction: runs as the unit, 5 against 1");
	/* one earlier run: no spread between runs, no test */
	MUST(obl_compare_prediction(levels, 1, cand, 2, &o, &c, &err));
	check(isnan(c.p_value) && c.note != NULL, "prediction: one earlier run gives no test");
	/* obl-compare's --method cannot ask for it: two samples are not one run and its past */
	o.method = OBL_METHOD_PREDICTION;
	check(obl_compare_samples(levels, 5, cand, 2, &o, &c, &err) == OBL_EUSAGE,
	      "prediction-t is refused for two samples");
}

/* The history's gate: k earlier runs of m repetitions, night effect N(0, night) and
 * repetition noise N(0, 2%) on logs, the newest run scaled by shift; 1 when it is worse. */
static int history_gate_fails(gsl_rng *r, size_t m, double night, double shift, int pooled)
{
	enum { K = 10 };
	double base[K * 5], levels[K], cand[5];
	for (size_t k = 0; k < K; k++) {
		double nk = gsl_ran_gaussian(r, night), sum = 0;
		for (size_t j = 0; j < m; j++) {
			double l = nk + gsl_ran_gaussian(r, 0.02);
			base[k * m + j] = exp(l);
			sum += l;
		}
		levels[k] = exp(sum / (double)m);
	}
	double nn = gsl_ran_gaussian(r, night);
	for (size_t j = 0; j < m; j++)
		cand[j] = shift * exp(nn + gsl_ran_gaussian(r, 0.02));
	struct obl_compare_options o = obl_compare_defaults();
	struct obl_comparison c;
	struct obl_error err;
	obl_error_clear(&err);
	if (pooled) {
		o.method = OBL_METHOD_WELCH_LOG;
		MUST(obl_compare_samples(base, K * m, cand, m, &o, &c, &err));
	} else {
		MUST(obl_compare_prediction(levels, K, cand, m, &o, &c, &err));
	}
	obl_compare_finish(&c, 1, &o);
	return c.verdict == OBL_VERDICT_WORSE;
}

static void history_gate(gsl_rng *r)
{
	int runs = 0, pooled = 0, one_rep = 0, found = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++) {
		runs += history_gate_fails(r, 5, 0.02, 1.0, 0);
		pooled += history_gate_fails(r, 5, 0.02, 1.0, 1);
		one_rep += history_gate_fails(r, 1, 0.01, 1.0, 0);
		found += history_gate_fails(r, 1, 0.01, 1.10, 0);
	}
	check(runs <= 0.05 * REPLICATIONS,
	      "history gate, 2%% night-to-night noise, 5 reps: runs as the unit fail %.2f%% of "
	      "A/A nights (at most 5%%)",
	      100.0 * runs / REPLICATIONS);
	check(pooled > 2 * runs,
	      "the repetitions pooled over the earlier runs fail %.2f%% of the same A/A nights "
	      "(why the runs are the unit)",
	      100.0 * pooled / REPLICATIONS);
	check(one_rep <= 0.05 * REPLICATIONS,
	      "one repetition a night, 1%% night noise: A/A fails %.2f%% (at most 5%%)",
	      100.0 * one_rep / REPLICATIONS);
	check(found >= 0.80 * REPLICATIONS,
	      "one repetition a night, a true 10%% slowdown: worse in %.2f%% (at least 80%%)",
	      100.0 * found / REPLICATIONS);
}

int main(void)
{
	gsl_set_error_handler_off();
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 777);
	struct obl_compare_options o = obl_compare_defaults(); /* auto: Welch on logs, Holm */
	int fails = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++)
		fails += gate_fails(r, ROWS, 1.0, &o);
	check(fails <= 0.05 * REPLICATIONS,
	      "A/A with %d rows: the gate fails in %.2f%% of %d replications (at most 5%%)", ROWS,
	      100.0 * fails / REPLICATIONS, REPLICATIONS);
	int found = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++)
		found += gate_fails(r, 1, 1.05, &o);
	check(found >= 0.80 * REPLICATIONS,
	      "a true 5%% slowdown, 5 repetitions per side at 2%% noise: worse in %.2f%% (at "
	      "least 80%%)",
	      100.0 * found / REPLICATIONS);
	/* The same A/A family without correction shows why Holm is the default. */
	o.correction = STATS_ADJUST_NONE;
	int raw = 0;
	for (int rep = 0; rep < REPLICATIONS; rep++)
		raw += gate_fails(r, ROWS, 1.0, &o);
	check(raw > fails, "without correction the A/A gate fails more often (%.2f%%)",
	      100.0 * raw / REPLICATIONS);
	prediction_reference();
	gsl_rng_set(r, 20261202);
	history_gate(r);
	gsl_rng_free(r);
	return check_failures != 0;
}
