/*
 * test_gate.c - the CI gate, calibrated by simulation (fixed seeds), through the same
 * engine as obl-compare (obl_compare_samples per row, obl_compare_finish per family):
 *  - A/A: 32 rows (scenarios x metrics), 5 repetitions per side, 2% lognormal noise: the
 *    gate (any row worse) fails in at most alpha = 5% of 2000 replications (family-wise);
 *  - power: one row with a true 5% slowdown, 5 repetitions per side at 2% noise, is found
 *    worse in at least 80% of 2000 replications.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

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
	gsl_rng_free(r);
	return check_failures != 0;
}
