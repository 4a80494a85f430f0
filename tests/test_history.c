/*
 * test_history.c - change points on simulated histories with known answers (fixed seeds):
 * level shifts of 3-20% against repetition noise of 1-5%, no change, a single outlier run, a
 * shift and a return, a slow drift, gaps, run-to-run noise, short excursions (two to four runs
 * away, then back); stability when a run is appended.
 *
 * `test_history` asserts bounds on a small number of histories (make check);
 * `test_history calibrate [N]` prints the figures over N histories per case (make calibrate):
 * detection rate, false change points per 1000 runs, position error; and, for runs of one
 * trial (hyperfine, Go), the run's median against its iterations as observations.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history.h"

enum { REPS = 5 };

struct scenario {
	const char *name;
	size_t runs;
	double noise;     /* sd of a repetition, relative to the level */
	double run_noise; /* sd of a run's own offset (machine to machine), relative */
	double shift;     /* relative size of the level shift at `at` (0: none) */
	size_t at;        /* first run of the new level (0: drawn in [runs/4, 3 runs/4]) */
	double back_at;   /* shift and return: the level comes back at this fraction (0: no) */
	double drift;     /* slow drift over the whole history (relative) */
	double outlier;   /* one run this much slower, in the middle (0: none) */
	double gaps;      /* probability that a run lacks the series */
	size_t blip;      /* the shift lasts this many runs, then the level is back (0: lasts) */
};

struct tally {
	size_t histories, runs, true_cps, found, false_cps;
	double position_error; /* sum of |found - true| over found ones */
	size_t stable, stable_checked;
	size_t excursions, excursions_found; /* true short excursions, and found as such */
};

/* The level of run r in scenario sc. */
static double level_at(const struct scenario *sc, size_t r, size_t at)
{
	double level = 100 * (1 + sc->drift * (double)r / (double)sc->runs);
	size_t back = sc->back_at > 0 ? (size_t)(sc->back_at * (double)sc->runs) : SIZE_MAX;
	if (sc->blip)
		back = at + sc->blip;
	if (sc->shift != 0 && r >= at && r < back)
		level *= 1 + sc->shift;
	if (sc->outlier != 0 && r == sc->runs / 2)
		level *= 1 + sc->outlier;
	return level;
}

/* Simulates one history into h (one series) and returns the true change positions. */
static size_t simulate(const struct scenario *sc, gsl_rng *rng, struct obl_history *h,
		       size_t truth[2], size_t *at_out)
{
	memset(h, 0, sizeof *h);
	h->opt = obl_history_defaults();
	h->n_runs = sc->runs;
	size_t at = sc->at ? sc->at : sc->runs / 4 + gsl_rng_uniform_int(rng, sc->runs / 2);
	*at_out = at;
	size_t n_truth = 0;
	if (sc->shift != 0 && !sc->blip) {
		truth[n_truth++] = at;
		if (sc->back_at > 0)
			truth[n_truth++] = (size_t)(sc->back_at * (double)sc->runs);
	}
	const struct obl_kv scenario[1] = { { "concurrency", "8" } };
	for (size_t r = 0; r < sc->runs; r++) {
		double offset = sc->run_noise > 0 ? gsl_ran_gaussian(rng, sc->run_noise) : 0;
		double level = level_at(sc, r, at) * (1 + offset);
		double v[REPS];
		for (int k = 0; k < REPS; k++)
			v[k] = level * (1 + gsl_ran_gaussian(rng, sc->noise));
		if (sc->gaps > 0 && gsl_rng_uniform(rng) < sc->gaps && r + 1 < sc->runs)
			continue; /* the newest run is always there */
		obl_history_add(h, "ttft_ms", "ms", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE, scenario, 1, r, v,
				REPS);
	}
	return n_truth;
}

/* Runs `count` histories of a scenario; found within 3 runs of a true change counts as found,
 * anything else is false. Every `stability_every`-th history is also analysed without its
 * newest run, and the change points more than 10 runs before the end compared. */
static void run_case(const struct scenario *sc, size_t count, uint64_t seed, struct tally *t,
		     size_t stability_every)
{
	memset(t, 0, sizeof *t);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, (unsigned long)seed);
	struct obl_error err;
	for (size_t i = 0; i < count; i++) {
		struct obl_history h;
		size_t truth[2], at;
		size_t n_truth = simulate(sc, rng, &h, truth, &at);
		struct obl_history_series *s = &h.series[0];
		MUST(obl_history_detect_series(&h, s, &err));
		t->histories++;
		t->runs += sc->runs;
		t->true_cps += n_truth;
		if (sc->blip) {
			t->excursions++;
			for (size_t k = 0; k < s->n_excursions; k++)
				if (s->excursions[k].run + 1 >= at && s->excursions[k].run <= at + 1 &&
				    s->excursions[k].n_runs == sc->blip) {
					t->excursions_found++;
					break;
				}
		}
		int matched[2] = { 0, 0 };
		for (size_t k = 0; k < s->n_cps; k++) {
			size_t pos = s->cps[k].run;
			int hit = 0;
			for (size_t j = 0; j < n_truth; j++) {
				size_t d = pos > truth[j] ? pos - truth[j] : truth[j] - pos;
				if (d <= 3 && !matched[j]) {
					matched[j] = 1;
					hit = 1;
					t->found++;
					t->position_error += (double)d;
					break;
				}
			}
			if (!hit)
				t->false_cps++;
		}
		if (stability_every && i % stability_every == 0 && s->n_points > 12) {
			/* the same history without its newest run */
			size_t keep_cps = s->n_cps;
			struct obl_change_point *full = malloc((keep_cps + 1) * sizeof *full);
			memcpy(full, s->cps, keep_cps * sizeof *full);
			s->n_points--;
			s->n_values = s->start[s->n_points];
			MUST(obl_history_detect_series(&h, s, &err));
			size_t limit = sc->runs - 10, a = 0, b = 0;
			int same = 1;
			for (;;) {
				while (a < keep_cps && full[a].run >= limit)
					a++;
				while (b < s->n_cps && s->cps[b].run >= limit)
					b++;
				if (a == keep_cps || b == s->n_cps) {
					same = same && a == keep_cps && b == s->n_cps;
					break;
				}
				if (full[a].run != s->cps[b].run)
					same = 0;
				a++;
				b++;
			}
			t->stable += same;
			t->stable_checked++;
			free(full);
		}
		obl_history_free(&h);
	}
	gsl_rng_free(rng);
}

static void print_tally(const struct scenario *sc, const struct tally *t)
{
	printf("%-44s %5zu %8.3f %10.2f %8.2f", sc->name, t->histories,
	       t->true_cps ? (double)t->found / (double)t->true_cps : NAN,
	       1000.0 * (double)t->false_cps / (double)t->runs,
	       t->found ? t->position_error / (double)t->found : NAN);
	if (t->stable_checked)
		printf("  %zu/%zu", t->stable, t->stable_checked);
	if (t->excursions)
		printf("  excursions found %zu/%zu", t->excursions_found, t->excursions);
	printf("\n");
}

static const struct scenario cases[] = {
	{ "no change, noise 1%", 60, 0.01, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "no change, noise 5%", 60, 0.05, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "shift 3%, noise 1%", 60, 0.01, 0, 0.03, 0, 0, 0, 0, 0, 0 },
	{ "shift 5%, noise 2%", 60, 0.02, 0, 0.05, 0, 0, 0, 0, 0, 0 },
	{ "shift 10%, noise 5%", 60, 0.05, 0, 0.10, 0, 0, 0, 0, 0, 0 },
	{ "shift 20%, noise 5%", 60, 0.05, 0, 0.20, 0, 0, 0, 0, 0, 0 },
	{ "shift 3%, noise 5%", 60, 0.05, 0, 0.03, 0, 0, 0, 0, 0, 0 },
	{ "improvement -10%, noise 2%", 60, 0.02, 0, -0.10, 0, 0, 0, 0, 0, 0 },
	{ "single outlier run +30%, noise 2%", 60, 0.02, 0, 0, 0, 0, 0, 0.30, 0, 0 },
	{ "shift 10% and return, noise 2%", 60, 0.02, 0, 0.10, 20, 0.67, 0, 0, 0, 0 },
	{ "slow drift 10% over the history, noise 2%", 60, 0.02, 0, 0, 0, 0, 0.10, 0, 0, 0 },
	{ "shift 10%, noise 2%, 25% gaps", 60, 0.02, 0, 0.10, 0, 0, 0, 0, 0.25, 0 },
	{ "no change, noise 2%, run-to-run 1%", 60, 0.02, 0.01, 0, 0, 0, 0, 0, 0, 0 },
	{ "shift 10%, noise 2%, run-to-run 1%", 60, 0.02, 0.01, 0.10, 0, 0, 0, 0, 0, 0 },
	{ "no change, noise 2%, run-to-run 2%", 60, 0.02, 0.02, 0, 0, 0, 0, 0, 0, 0 },
	{ "shift 10% at the newest run, noise 2%", 60, 0.02, 0, 0.10, 59, 0, 0, 0, 0, 0 },
	{ "shift 10% at the two newest runs, noise 2%", 60, 0.02, 0, 0.10, 58, 0, 0, 0, 0, 0 },
	{ "two-run excursion +10% (runs 53-54), noise 2%", 60, 0.02, 0, 0.10, 53, 0, 0, 0, 0, 2 },
	{ "three-run excursion +10% (runs 52-54), noise 2%", 60, 0.02, 0, 0.10, 52, 0, 0, 0, 0, 3 },
	{ "two-run excursion +10% (runs 56-57), noise 2%", 60, 0.02, 0, 0.10, 56, 0, 0, 0, 0, 2 },
	{ "two-run excursion +10% anywhere, noise 2%", 60, 0.02, 0, 0.10, 0, 0, 0, 0, 0, 2 },
	{ "four-run excursion +10% (runs 51-54), noise 2%", 60, 0.02, 0, 0.10, 51, 0, 0, 0, 0, 4 },
};

static const struct scenario *find_case(const char *name)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One trial a run (hyperfine, go test -bench): a history of `runs` nights of 10 iterations
 * each (1% noise), a night's own offset of `night`, a shift from run `at`; the run as one
 * value (its median, what obl-history does) or its iterations as observations (what it does
 * not: docs/DESIGN.md section 4a). Returns the number of change points, the first in *first. */
static size_t one_trial(gsl_rng *rng, size_t runs, double night, double shift, size_t at,
			int iterations, size_t *first)
{
	struct obl_history h;
	memset(&h, 0, sizeof h);
	h.opt = obl_history_defaults();
	h.n_runs = runs;
	const struct obl_kv scenario[1] = { { "benchmark", "x" } };
	for (size_t r = 0; r < runs; r++) {
		double level = 1000 * (1 + gsl_ran_gaussian(rng, night)) * (r >= at ? 1 + shift : 1);
		double v[10];
		for (int k = 0; k < 10; k++)
			v[k] = level * (1 + gsl_ran_gaussian(rng, 0.01));
		qsort(v, 10, sizeof *v, by_value);
		double median = (v[4] + v[5]) / 2;
		obl_history_add(&h, "wall_time_s", "s", OBL_LOWER_IS_BETTER, OBL_KIND_SAMPLE, scenario, 1, r,
				iterations ? v : &median, iterations ? 10 : 1);
	}
	struct obl_error err;
	obl_error_clear(&err);
	size_t n = 0;
	*first = SIZE_MAX;
	if (obl_history_detect(&h, &err) == OBL_OK && h.n_series) {
		n = h.series[0].n_cps;
		if (n)
			*first = h.series[0].cps[0].point;
	}
	obl_history_free(&h);
	return n;
}

static void calibrate_one_trial(size_t count)
{
	printf("\none trial a run (10 iterations, 1%% noise; %zu histories a case): the run's median "
	       "(obl-history) or its iterations as observations\n",
	       count);
	printf("%-40s %20s %20s\n", "case", "run medians", "iterations");
	char label[64];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const double nights[] = { 0, 0.01, 0.02 };
	for (size_t k = 0; k < 3; k++) {
		size_t n[2] = { 0, 0 }, first;
		for (int mode = 0; mode < 2; mode++) {
			gsl_rng_set(rng, 4000 + k);
			for (size_t i = 0; i < count; i++)
				n[mode] += one_trial(rng, 30, nights[k], 0, SIZE_MAX, mode, &first);
		}
		snprintf(label, sizeof label, "no change, night-to-night %.0f%%", nights[k] * 100);
		printf("%-40s %9.1f false/1000 %9.1f false/1000\n", label,
		       1000.0 * (double)n[0] / (double)(30 * count),
		       1000.0 * (double)n[1] / (double)(30 * count));
	}
	for (size_t k = 0; k < 3; k++) {
		size_t found[2] = { 0, 0 }, first;
		for (int mode = 0; mode < 2; mode++) {
			gsl_rng_set(rng, 5000 + k);
			for (size_t i = 0; i < count; i++) {
				one_trial(rng, 10, nights[k], 0.10, 9, mode, &first);
				found[mode] += first == 9;
			}
		}
		snprintf(label, sizeof label, "+10%% at the newest of 10, night %.0f%%", nights[k] * 100);
		printf("%-40s %13.1f%% found %13.1f%% found\n", label,
		       100.0 * (double)found[0] / (double)count, 100.0 * (double)found[1] / (double)count);
	}
	gsl_rng_free(rng);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "calibrate")) {
		size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
		printf("%-44s %5s %8s %10s %8s  %s\n", "case (60 runs x 5 repetitions)", "hist.",
		       "detected", "false/1000", "pos.err", "stable when appended");
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
			struct tally t;
			run_case(&cases[i], n, 1000 + i, &t, 4);
			print_tally(&cases[i], &t);
		}
		calibrate_one_trial(n);
		return 0;
	}
	struct tally t;
	/* size: no change at 2% noise, 40 histories of 60 runs: the permutation tests hold
	 * alpha per segment, so false change points stay rare */
	run_case(find_case("no change, noise 1%"), 40, 7, &t, 0);
	check(t.false_cps * 1000 <= 5 * t.runs,
	      "no change: %zu false change points in %zu runs (at most 5 per 1000)", t.false_cps,
	      t.runs);
	run_case(find_case("shift 10%, noise 5%"), 30, 8, &t, 5);
	check(t.found >= 28 && t.position_error / (double)t.found <= 1.0,
	      "shift 10%% against noise 5%%: %zu of 30 found, mean position error %.2f runs",
	      t.found, t.found ? t.position_error / (double)t.found : NAN);
	check(t.false_cps <= 2, "shift 10%%: %zu false change points in 30 histories", t.false_cps);
	check(t.stable == t.stable_checked,
	      "appending a run moves no change point more than 10 runs back (%zu of %zu)",
	      t.stable, t.stable_checked);
	run_case(find_case("single outlier run +30%, noise 2%"), 30, 9, &t, 0);
	check(t.false_cps <= 1, "one slow run is not a change point (%zu in 30 histories)",
	      t.false_cps);
	run_case(find_case("shift 10% and return, noise 2%"), 20, 10, &t, 0);
	check(t.found == 2 * 20 && t.false_cps <= 1,
	      "a shift and a return: %zu of 40 changes found, %zu false", t.found, t.false_cps);
	run_case(find_case("shift 10%, noise 2%, 25% gaps"), 20, 11, &t, 0);
	check(t.found >= 19, "shift with runs missing (gaps): %zu of 20 found", t.found);
	run_case(find_case("improvement -10%, noise 2%"), 10, 12, &t, 0);
	check(t.found == 10, "an improvement is found too: %zu of 10", t.found);
	/* two or three slow nights, then back: one excursion, no change point (where the search
	 * isolates them; in the middle of a history it mostly does not split there at all) */
	run_case(find_case("two-run excursion +10% (runs 56-57), noise 2%"), 20, 13, &t, 0);
	check(t.false_cps == 0 && t.excursions_found >= 19,
	      "a two-run excursion is an excursion (%zu of 20), not change points (%zu)",
	      t.excursions_found, t.false_cps);
	run_case(find_case("two-run excursion +10% (runs 53-54), noise 2%"), 20, 17, &t, 0);
	check(t.false_cps <= 1, "a two-run excursion 5 runs back: %zu change points in 20 histories",
	      t.false_cps);
	run_case(find_case("three-run excursion +10% (runs 52-54), noise 2%"), 20, 14, &t, 0);
	check(t.false_cps <= 2 && t.excursions_found >= 12,
	      "a three-run excursion is an excursion (%zu of 20), not change points (%zu)",
	      t.excursions_found, t.false_cps);
	/* four runs away is a level of its own: two change points (--max-excursion 3) */
	run_case(find_case("four-run excursion +10% (runs 51-54), noise 2%"), 10, 15, &t, 0);
	check(t.excursions_found == 0 && t.false_cps >= 18,
	      "four runs away are two change points (%zu found, %zu excursions)", t.false_cps,
	      t.excursions_found);
	/* a shift that lasts, at the two newest runs, is a change point (nothing came back) */
	run_case(find_case("shift 10% at the two newest runs, noise 2%"), 20, 16, &t, 0);
	check(t.found >= 19 && t.false_cps <= 1,
	      "a shift at the two newest runs is found: %zu of 20 (%zu false)", t.found,
	      t.false_cps);

	/* one two-run excursion, with and without --max-excursion */
	{
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, 5);
		struct obl_history h;
		size_t truth[2], at;
		simulate(find_case("two-run excursion +10% (runs 56-57), noise 2%"), rng, &h, truth,
			 &at);
		struct obl_error err;
		h.opt.max_excursion = 0;
		struct obl_history_series *s = &h.series[0];
		MUST(obl_history_detect_series(&h, s, &err));
		check(s->n_cps == 2 && s->cps[0].run == 56 && s->cps[1].run == 58 &&
			      s->n_excursions == 0,
		      "--max-excursion 0: two slow runs are two change points, at 56 and 58 (%zu)",
		      s->n_cps);
		h.opt.max_excursion = 3;
		MUST(obl_history_detect_series(&h, s, &err));
		check(s->n_cps == 0 && s->n_excursions == 1,
		      "by default they are one excursion (%zu change points, %zu excursions)",
		      s->n_cps, s->n_excursions);
		if (s->n_excursions == 1)
			check(s->excursions[0].run == 56 && s->excursions[0].n_runs == 2 &&
				      fabs(s->excursions[0].relative - 0.10) < 0.02 &&
				      s->excursions[0].regression == 1,
			      "the excursion: runs 56-57, +10%% (%g), a regression",
			      s->excursions[0].relative);
		obl_history_free(&h);
		gsl_rng_free(rng);
	}

	/* direction, levels and the relative change of one known history */
	{
		const struct scenario sc = { "known", 40, 0.01, 0, 0.10, 25, 0, 0, 0, 0, 0 };
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, 3);
		struct obl_history h;
		size_t truth[2], at;
		simulate(&sc, rng, &h, truth, &at);
		struct obl_error err;
		MUST(obl_history_detect(&h, &err));
		const struct obl_history_series *s = &h.series[0];
		check(s->n_cps == 1 && s->cps[0].run == 25 && s->cps[0].regression == 1,
		      "a 10%% slower TTFT from run 25 is one regression at run 25");
		if (s->n_cps == 1) {
			const struct obl_change_point *cp = &s->cps[0];
			check(fabs(cp->before.center - 100) < 0.5 && fabs(cp->after.center - 110) < 0.5,
			      "levels before and after: %g and %g (100 and 110)", cp->before.center,
			      cp->after.center);
			check(cp->before.n_runs == 25 && cp->after.n_runs == 15,
			      "25 runs before, 15 after");
			check(cp->relative.ci_low < 0.10 && cp->relative.ci_high > 0.10 &&
				      fabs(cp->relative.estimate - 0.10) < 0.01,
			      "relative change %g [%g, %g] covers 10%%", cp->relative.estimate,
			      cp->relative.ci_low, cp->relative.ci_high);
			check(cp->p_value == 1.0 / 200, "p-value 1/200 after 199 permutations (%g)",
			      cp->p_value);
		}
		/* the same history analysed again gives the same answer (fixed seed) */
		struct obl_change_point first = s->n_cps ? s->cps[0] : (struct obl_change_point){ 0 };
		MUST(obl_history_detect(&h, &err));
		check(s->n_cps == 1 && s->cps[0].p_value == first.p_value &&
			      s->cps[0].relative.estimate == first.relative.estimate,
		      "deterministic: the same change point and p-value twice");
		obl_history_free(&h);
		gsl_rng_free(rng);
	}
	return check_failures ? 1 : 0;
}
