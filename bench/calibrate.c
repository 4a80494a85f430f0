/*
 * calibrate.c - how often obl's gate raises a false alarm, and how often it sees a real
 * change, per row (one scenario) and per metric (across scenarios), on the real H100 runs.
 *
 * usage: calibrate BASELINE.db RERUN.db
 *
 * The two databases hold the same configuration run twice (an A/A pair: examples/gpu-h100's
 * baseline and baseline-rerun). For each gating metric (ttft_ms and tpot_ms through each
 * repetition's median, output_throughput_tok_s) and scenario, the ten repetitions of both
 * runs are split in every way into two sides of five (126 splits, the first repetition of
 * the baseline always on side A so that no split is counted twice); side B is then scaled by
 * a factor (1: A/A; 1.05 ... 1.5: a slowdown, throughput divided by it) and compared as
 * obl-compare compares repetitions: Welch's t on log values per row, Holm over the 15 gating
 * rows; and per metric across the 5 scenarios (stats_repetition_welch_t, as obl-compare;
 * stats_blocked_welch_t, scenarios as independent blocks, beside it), Holm over the 3
 * metrics. A gate fails when a row (a metric) is worse: significant and beyond the 2%
 * threshold. The same with the first repetition of each run dropped (--skip-reps 1: 4 a side,
 * 35 splits), and by simulation (fixed seed): log-normal repetitions with each scenario's
 * observed spread, 2000 replications.
 *
 * Printed, never asserted: the assertions live in tests/test_calibration.c.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "dbcompare.h"
#include "stats.h"
#include "store.h"

enum { MAX_SCEN = 8,
       MAX_REPS = 10,
       N_METRICS = 3 };

static const char *const metrics[N_METRICS] = { "ttft_ms", "tpot_ms",
						"output_throughput_tok_s" };
static const enum obl_direction directions[N_METRICS] = { OBL_LOWER_IS_BETTER,
							  OBL_LOWER_IS_BETTER,
							  OBL_HIGHER_IS_BETTER };

/* values[m][s][r]: metric m, scenario s, repetition r (baseline reps, then the rerun's). */
static double values[N_METRICS][MAX_SCEN][MAX_REPS];
static size_t n_scen, n_reps;

static int load(const char *path, size_t offset)
{
	struct obl_store *st;
	struct obl_error err;
	obl_error_clear(&err);
	if (obl_store_open(path, 0, &st, &err)) {
		obl_error_print(&err, "calibrate", stderr);
		return -1;
	}
	char **labels;
	size_t nl;
	if (obl_store_runs(st, &labels, &nl, &err) || nl != 1) {
		fprintf(stderr, "calibrate: %s: expected one run\n", path);
		return -1;
	}
	const struct obl_store_filter f = { labels[0], NULL, NULL, 0 };
	struct obl_group *g;
	size_t n;
	if (obl_store_groups(st, &f, &g, &n, &err)) {
		obl_error_print(&err, "calibrate", stderr);
		return -1;
	}
	const char *scen[MAX_SCEN];
	size_t ns = 0;
	double scratch[4096];
	for (size_t i = 0; i < n; i++) {
		int m = -1;
		for (int k = 0; k < N_METRICS; k++)
			if (!strcmp(g[i].metric, metrics[k]))
				m = k;
		if (m < 0 || g[i].trials < 2 || !g[i].scenario_len)
			continue;
		size_t s = 0;
		while (s < ns && strcmp(scen[s], g[i].scenario_canonical))
			s++;
		if (s == ns && ns < MAX_SCEN)
			scen[ns++] = g[i].scenario_canonical;
		if (s >= MAX_SCEN)
			continue;
		size_t reps = g[i].trials < MAX_REPS / 2 ? g[i].trials : MAX_REPS / 2;
		for (size_t r = 0; r < reps; r++) {
			const struct obl_values *v = &g[i].per_trial[r];
			if (v->n > sizeof scratch / sizeof *scratch)
				return -1;
			values[m][s][offset + r] = obl_values_statistic(
				v, g[i].kind == OBL_KIND_AGGREGATE ? obl_stat_mean : obl_stat_median,
				scratch);
		}
		n_reps = offset + reps;
	}
	n_scen = ns;
	obl_groups_free(g, n);
	free(labels[0]);
	free(labels);
	obl_store_close(st);
	return 0;
}

struct tally {
	size_t comparisons, row_gate_fails, metric_gate_fails;
	size_t rows, row_rejects, metric_rows, metric_rejects;
	size_t blocks_rejects; /* the alternative: scenarios as independent blocks */
};

/* One comparison: side a[m][s][0..k), side b likewise (already scaled). */
static void compare_once(double a[N_METRICS][MAX_SCEN][MAX_REPS],
			 double b[N_METRICS][MAX_SCEN][MAX_REPS], size_t k, struct tally *t)
{
	struct obl_compare_options co = obl_compare_defaults();
	struct obl_comparison rows[N_METRICS * MAX_SCEN];
	size_t nr = 0;
	struct obl_error err;
	for (int m = 0; m < N_METRICS; m++)
		for (size_t s = 0; s < n_scen; s++) {
			co.direction = directions[m];
			if (obl_compare_samples(a[m][s], k, b[m][s], k, &co, &rows[nr], &err))
				continue;
			t->rows++;
			t->row_rejects += rows[nr].p_value < co.alpha;
			nr++;
		}
	obl_compare_finish(rows, nr, &co);
	int fail = 0;
	for (size_t i = 0; i < nr; i++)
		fail |= rows[i].verdict == OBL_VERDICT_WORSE;
	t->row_gate_fails += fail;

	double p[N_METRICS], est[N_METRICS];
	for (int m = 0; m < N_METRICS; m++) {
		double la[MAX_SCEN][MAX_REPS], lb[MAX_SCEN][MAX_REPS];
		const double *x[MAX_SCEN], *y[MAX_SCEN];
		size_t nx[MAX_SCEN], ny[MAX_SCEN];
		for (size_t s = 0; s < n_scen; s++) {
			for (size_t r = 0; r < k; r++) {
				la[s][r] = log(a[m][s][r]);
				lb[s][r] = log(b[m][s][r]);
			}
			x[s] = lb[s];
			y[s] = la[s];
			nx[s] = ny[s] = k;
		}
		struct stats_ttest tt;
		if (stats_repetition_welch_t(x, nx, y, ny, n_scen, STATS_TWO_SIDED, co.confidence,
					     &tt)) {
			p[m] = NAN;
			est[m] = 0;
			continue;
		}
		p[m] = tt.p_value;
		est[m] = expm1(tt.estimate);
		t->metric_rows++;
		t->metric_rejects += tt.p_value < co.alpha;
		/* The alternative considered and not used: scenarios as independent blocks. */
		struct stats_ttest tb;
		if (!stats_blocked_welch_t(x, nx, y, ny, n_scen, STATS_TWO_SIDED, co.confidence, &tb))
			t->blocks_rejects += tb.p_value < co.alpha;
	}
	stats_p_adjust(p, N_METRICS, STATS_ADJUST_HOLM, p);
	fail = 0;
	for (int m = 0; m < N_METRICS; m++) {
		int bad = directions[m] == OBL_LOWER_IS_BETTER ? est[m] > co.threshold
							       : est[m] < -co.threshold;
		fail |= p[m] < co.alpha && bad;
	}
	t->metric_gate_fails += fail;
	t->comparisons++;
}

/* Every split of the pool's chosen repetitions (idx[0..n)) into two sides of n / 2. */
static void splits(const size_t *idx, size_t n, double factor, struct tally *t)
{
	size_t k = n / 2;
	for (unsigned mask = 0; mask < (1u << n); mask++) {
		size_t bits = 0;
		for (unsigned m = mask; m; m &= m - 1)
			bits++;
		if (!(mask & 1) || bits != k)
			continue;
		static double a[N_METRICS][MAX_SCEN][MAX_REPS], b[N_METRICS][MAX_SCEN][MAX_REPS];
		for (int m = 0; m < N_METRICS; m++)
			for (size_t s = 0; s < n_scen; s++) {
				size_t ia = 0, ib = 0;
				for (size_t r = 0; r < n; r++) {
					double v = values[m][s][idx[r]];
					if (mask >> r & 1)
						a[m][s][ia++] = v;
					else
						b[m][s][ib++] = directions[m] == OBL_LOWER_IS_BETTER
									? v * factor
									: v / factor;
				}
			}
		compare_once(a, b, k, t);
	}
}

/* Log-normal repetitions, each scenario and metric with the spread the real runs show. */
static void simulate(size_t k, double factor, size_t replications, struct tally *t)
{
	double sd[N_METRICS][MAX_SCEN];
	for (int m = 0; m < N_METRICS; m++)
		for (size_t s = 0; s < n_scen; s++) {
			double l[MAX_REPS];
			for (size_t r = 0; r < n_reps; r++)
				l[r] = log(values[m][s][r]);
			struct stats_summary sum;
			stats_summary(l, n_reps, &sum);
			sd[m][s] = sum.sd;
		}
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 20261202);
	static double a[N_METRICS][MAX_SCEN][MAX_REPS], b[N_METRICS][MAX_SCEN][MAX_REPS];
	for (size_t rep = 0; rep < replications; rep++) {
		for (int m = 0; m < N_METRICS; m++)
			for (size_t s = 0; s < n_scen; s++)
				for (size_t r = 0; r < k; r++) {
					a[m][s][r] = exp(gsl_ran_gaussian(rng, sd[m][s]));
					double v = exp(gsl_ran_gaussian(rng, sd[m][s]));
					b[m][s][r] = directions[m] == OBL_LOWER_IS_BETTER ? v * factor
											  : v / factor;
				}
		compare_once(a, b, k, t);
	}
	gsl_rng_free(rng);
}

static void print(const char *what, double factor, const struct tally *t)
{
	printf("%-34s x%-5.2f %5zu  %6.1f%%  %6.1f%%   %6.2f%%  %6.2f%%  %6.2f%%\n", what, factor,
	       t->comparisons, 100.0 * (double)t->row_gate_fails / (double)t->comparisons,
	       100.0 * (double)t->metric_gate_fails / (double)t->comparisons,
	       100.0 * (double)t->row_rejects / (double)(t->rows ? t->rows : 1),
	       100.0 * (double)t->metric_rejects / (double)(t->metric_rows ? t->metric_rows : 1),
	       100.0 * (double)t->blocks_rejects / (double)(t->metric_rows ? t->metric_rows : 1));
}

/*
 * obl-history's gate by simulation: k = 10 earlier runs of one series since its last change
 * and a newest run, each run of m repetitions; log values = night effect N(0, night) + per
 * repetition N(0, 2%). The newest run shifted by a factor (1: A/A). Two tests of the newest
 * run against the ten: the repetitions pooled (every repetition of the earlier runs against
 * the newest run's, Welch's t on logs: what the gate did before) and the runs as the unit
 * (the newest run's level against the ten levels, Student prediction interval on logs:
 * obl_compare_prediction, what the gate does now). A row fails when worse: p < 0.05 and the
 * change beyond the 2% threshold (one row: no adjustment). Fixed seed.
 */
static void history_gate_simulation(void)
{
	enum { K = 10,
	       REPLICATIONS = 2000 };
	static const double nights[] = { 0, 0.01, 0.02 };
	static const size_t reps[] = { 1, 3, 5 };
	static const double factors[] = { 1, 1.05, 1.10, 1.20 };
	printf("\nobl-history --check-latest by simulation: the newest run against %d earlier "
	       "runs, repetition noise 2%%,\n%d histories per case (alpha 0.05, threshold 2%%): "
	       "share of rows worse\n",
	       K, REPLICATIONS);
	printf("%-7s %-5s %-7s  %-16s %-16s\n", "night", "reps", "change", "reps pooled",
	       "runs (prediction)");
	struct obl_compare_options co = obl_compare_defaults();
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	for (size_t ni = 0; ni < sizeof nights / sizeof *nights; ni++)
		for (size_t mi = 0; mi < sizeof reps / sizeof *reps; mi++)
			for (size_t fi = 0; fi < sizeof factors / sizeof *factors; fi++) {
				size_t m = reps[mi], pooled_worse = 0, runs_worse = 0;
				gsl_rng_set(rng, 20261202 + 100 * ni + 10 * mi + fi);
				for (size_t rep = 0; rep < REPLICATIONS; rep++) {
					double base[K * 5], levels[K], cand[5];
					for (size_t r = 0; r < K; r++) {
						double night = gsl_ran_gaussian(rng, nights[ni]), sum = 0;
						for (size_t j = 0; j < m; j++) {
							double l = night + gsl_ran_gaussian(rng, 0.02);
							base[r * m + j] = exp(l);
							sum += l;
						}
						levels[r] = exp(sum / (double)m);
					}
					double night = gsl_ran_gaussian(rng, nights[ni]);
					for (size_t j = 0; j < m; j++)
						cand[j] = factors[fi] *
							  exp(night + gsl_ran_gaussian(rng, 0.02));
					struct obl_comparison row;
					struct obl_error err;
					co.method = OBL_METHOD_WELCH_LOG;
					if (m >= 2 && !obl_compare_samples(base, K * m, cand, m, &co, &row, &err) &&
					    !obl_compare_finish(&row, 1, &co))
						pooled_worse += row.verdict == OBL_VERDICT_WORSE;
					co.method = OBL_METHOD_AUTO;
					if (!obl_compare_prediction(levels, K, cand, m, &co, &row, &err) &&
					    !obl_compare_finish(&row, 1, &co))
						runs_worse += row.verdict == OBL_VERDICT_WORSE;
				}
				char pooled[32];
				if (m >= 2)
					snprintf(pooled, sizeof pooled, "%6.2f%%",
						 100.0 * (double)pooled_worse / REPLICATIONS);
				else
					snprintf(pooled, sizeof pooled, "(no test)");
				printf("%5.0f%%  %-5zu x%-6.2f  %-16s %6.2f%%\n", 100 * nights[ni], m,
				       factors[fi], pooled, 100.0 * (double)runs_worse / REPLICATIONS);
			}
	gsl_rng_free(rng);
	printf("reps pooled: Welch's t on logs, every repetition of the ten runs against the "
	       "newest run's (the gate before);\n  with one repetition a run the newest side "
	       "has one value: no test\nruns (prediction): the newest run's level against the "
	       "ten levels, Student prediction interval\n  (obl_compare_prediction, the gate "
	       "now)\n");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: calibrate BASELINE.db RERUN.db\n");
		return 2;
	}
	if (load(argv[1], 0) || load(argv[2], MAX_REPS / 2) || n_reps != MAX_REPS || n_scen < 2) {
		fprintf(stderr, "calibrate: expected 5 repetitions of %s in each run\n", metrics[0]);
		return 3;
	}
	static const double factors[] = { 1, 1.05, 1.10, 1.25, 1.5 };
	printf("Gate calibration on the H100 A/A pair: %zu scenarios x %d gating metrics "
	       "(alpha 0.05, threshold 2%%, Holm)\n",
	       n_scen, N_METRICS);
	printf("%-34s %-6s %5s  %-7s  %-7s   %-7s  %-7s  %-7s\n", "", "change", "n", "rows", "metric",
	       "row p<a", "metric", "blocks");
	printf("%-34s %-6s %5s  %-7s  %-7s   %-7s  %-7s  %-7s\n", "", "", "", "gate", "gate", "", "p<a",
	       "p<a");
	for (size_t f = 0; f < sizeof factors / sizeof *factors; f++) {
		struct tally t = { 0 };
		const size_t all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
		splits(all, 10, factors[f], &t);
		print("real splits, 5 v 5", factors[f], &t);
	}
	for (size_t f = 0; f < sizeof factors / sizeof *factors; f++) {
		struct tally t = { 0 };
		const size_t later[] = { 1, 2, 3, 4, 6, 7, 8, 9 };
		splits(later, 8, factors[f], &t);
		print("real splits, --skip-reps 1, 4 v 4", factors[f], &t);
	}
	for (size_t f = 0; f < sizeof factors / sizeof *factors; f++) {
		struct tally t = { 0 };
		simulate(5, factors[f], 2000, &t);
		print("simulated log-normal, 5 v 5", factors[f], &t);
	}
	history_gate_simulation();
	printf("rows gate / metric gate: share of comparisons that fail the gate (any worse row "
	       "after Holm)\nrow p<a / metric p<a: share of single tests with p < 0.05 "
	       "(unadjusted)\nblocks p<a: the same for the alternative across scenarios that takes "
	       "them as independent\n  blocks (stats_blocked_welch_t): not what obl-compare uses, "
	       "since a run's repetitions share\n  its state across scenarios\n");
	return 0;
}
