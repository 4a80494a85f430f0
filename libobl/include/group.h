/*
 * group.h - a group: one run x scenario x metric with the values of each of its repetitions,
 * the unit that is described and compared. Groups come from a database (obl_store_groups,
 * store.h) or straight from a reader's batch (obl_batch_groups), in the same order and with
 * the same repetitions either way, so that result files compare exactly as stored runs do.
 */
#ifndef OBL_GROUP_H
#define OBL_GROUP_H

#include <stddef.h>

#include "error.h"
#include "kv.h"
#include "model.h"

struct obl_group {
	const char *run, *metric, *unit;
	enum obl_direction direction;
	enum obl_metric_kind kind;
	const struct obl_kv *scenario; /* keys in order */
	size_t scenario_len;
	const char *scenario_canonical;
	void *text;                   /* the block holding the strings and scenario above */
	size_t trials;                /* repetitions */
	struct obl_values *per_trial; /* values of each trial, in repetition order */
	double *successes, *totals;   /* per trial, for proportions known as counts (NaN if not) */
	int values_are_runs;          /* each value one run of the benchmark (Go -count lines,
				       * hyperfine runs, pytest-benchmark rounds): repetitions */
};

/* Frees n groups and the array. */
void obl_groups_free(struct obl_group *g, size_t n);

/* The groups of a batch read from a file, without a database: what obl_store_groups would
 * return after storing it as run `run` (same order, same repetitions). The values move out of
 * the batch (its series are left empty; free it as usual). Free with obl_groups_free. */
OBL_MUST_CHECK int obl_batch_groups(struct obl_batch *b, const char *run, struct obl_group **out, size_t *n,
				    struct obl_error *err);

/* ---- For code that builds groups (the store) ----------------------------------------- */

/* Gives g its strings and scenario (kv[0..n), keys in order), copied into one block (g->text):
 * a comparison of thousands of benchmarks made a dozen small allocations per group. */
int obl_group_set_text(struct obl_group *g, const char *run, const char *canonical,
		       const char *metric, const char *unit, const struct obl_kv *kv, size_t n);
/* Frees what g holds (not g itself). */
void obl_group_release(struct obl_group *g);

/* A group with what orders it among others: its run's id (creation order), and its metric's
 * rank (obl_groups_sort sets it). */
struct obl_group_sorted {
	struct obl_group g;
	long long run_id;
	int rank;
};
/* Sorts g[0..n) as every listing is ordered: by run, then scenario (values that are numbers
 * numerically: "2" before "16"), then metric (the catalogue's first, in its order, then by
 * name). */
void obl_groups_sort(struct obl_group_sorted *g, size_t n);
/* The order of two groups' scenarios in that sort (keys in order, numbers numerically), and
 * of their series (scenario, then metric), whatever their runs. */
int obl_group_compare_scenarios(const struct obl_group *a, const struct obl_group *b);
int obl_group_compare_series(const struct obl_group *a, const struct obl_group *b);

#endif
