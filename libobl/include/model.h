/*
 * model.h - what a reader produces from one input file, before anything touches the store:
 * a batch of trials (repetitions), each with its scenario and its series of values per
 * metric, plus the run's label and tags found in the file. The store writes a batch in one
 * transaction, so a file lands whole or not at all.
 *
 * The batch owns every string and array in it (obl_batch_free releases all). The names in it
 * (metrics, units, scenario and tag keys and values) are interned: one copy of each distinct
 * string per batch, so that equal names are equal pointers and a file of 20 000 trials does
 * not allocate 20 000 copies of "real_time_ns".
 */
#ifndef OBL_MODEL_H
#define OBL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hashmap.h"
#include "input.h"
#include "kv.h"

enum obl_metric_kind { OBL_KIND_SAMPLE = 0,
		       OBL_KIND_AGGREGATE,
		       OBL_KIND_PROPORTION };
extern const char *const obl_kind_names[]; /* "sample", "aggregate", "proportion" */

/* Which way a metric improves: the catalogue's, a reader's, the store's and the comparison's
 * one enum. */
enum obl_direction { OBL_LOWER_IS_BETTER = 0,
		     OBL_HIGHER_IS_BETTER,
		     OBL_DIRECTION_NONE };
extern const char *const obl_direction_names[]; /* "lower", "higher", "none" */
/* The direction named s (as obl_direction_names spells it); OBL_DIRECTION_NONE otherwise. */
enum obl_direction obl_direction_from_name(const char *s);

struct obl_series {
	const char *metric, *unit; /* interned in the batch */
	enum obl_direction direction;
	enum obl_metric_kind kind;
	struct obl_values values; /* samples or the aggregate; for proportions: 0/1 outcomes */
	double successes, trials; /* proportions known only as counts; NaN otherwise */
};

struct obl_batch;

struct obl_trial_data {
	struct obl_batch *batch; /* the batch it belongs to (which holds its strings) */
	struct obl_kv *scenario; /* owned array; keys and values interned in the batch */
	size_t scenario_len;
	struct obl_series *series;
	size_t n_series, series_alloc;
};

/* The batch's distinct strings, found by a hash map, in blocks of text that never move. */
struct obl_intern {
	struct obl_hashmap map; /* over strings[] */
	struct obl_intern_string {
		const char *s;
		size_t len;
	} * strings;
	size_t n_strings, strings_alloc;
	char **blocks; /* the text */
	size_t n_blocks;
	char *next; /* free space in the last block: next[0..left) */
	size_t left;
};

struct obl_batch {
	char *format;        /* reader name */
	char *label;         /* run label found in the file, or NULL */
	struct obl_kv *tags; /* owned array; keys and values interned */
	size_t n_tags;
	struct obl_trial_data *trials;
	size_t n_trials;
	char **warnings; /* consistency notes for the user (owned) */
	size_t n_warnings;
	struct obl_intern strings;
	/* What the catalogue said of recent (metric, unit, kind) triples, by interned pointers:
	 * the same few metrics come back in every trial. */
	struct obl_series_memo {
		const char *metric, *unit_given, *unit;
		enum obl_metric_kind kind_given, kind;
		enum obl_direction direction;
	} memo[16];
};

void obl_batch_init(struct obl_batch *b);
void obl_batch_free(struct obl_batch *b);

/* The batch's copy of s[0..len) (s need not be NUL-terminated): the same pointer for equal
 * strings, valid until obl_batch_free. NULL when out of memory. */
const char *obl_batch_intern(struct obl_batch *b, const char *s, size_t len);

/* A hash of two interned strings by their addresses (equal strings of a batch are equal
 * pointers), for tables keyed on names: mixed so that its low bits index a table. */
uint64_t obl_intern_hash(const char *a, const char *b);

/* Adds a trial and returns it (NULL when out of memory). The pointer is valid until the next
 * trial is added (the array may move); the batch itself must not move while it has trials. */
struct obl_trial_data *obl_batch_trial(struct obl_batch *b);
/* Sets a scenario key of the trial (replacing an existing one). Returns OBL_OK or OBL_ENOMEM. */
OBL_MUST_CHECK int obl_trial_set_scenario(struct obl_trial_data *t, const char *key, const char *value);
/* Adds a series; unit, direction and kind come from the metric catalogue when the name is
 * canonical, else from the arguments. Returns the series or NULL. The pointer is valid until
 * the next series is added to the trial (the array may move). */
struct obl_series *obl_trial_series(struct obl_trial_data *t, const char *metric,
				    const char *unit, enum obl_metric_kind kind);
/* Sets or replaces a tag. */
OBL_MUST_CHECK int obl_batch_tag(struct obl_batch *b, const char *key, const char *value);
/* Records a warning (printf-style). */
void obl_batch_warn(struct obl_batch *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The catalogue of canonical metrics (DESIGN.md section 3): unit, direction and kind. */
struct obl_metric_info {
	const char *name, *unit;
	enum obl_direction direction;
	enum obl_metric_kind kind;
};
/* The entry for a canonical name, or NULL. */
const struct obl_metric_info *obl_metric_lookup(const char *name);
/* The direction of a metric: the catalogue's, else guessed from its name and unit
 * ("throughput", "tok_s", "per_s" higher; latencies, times, memory lower; otherwise none). */
enum obl_direction obl_metric_direction_of(const char *name, const char *unit);

/* The canonical text of a scenario: keys sorted, "k=v;k=v". Caller frees. */
char *obl_scenario_canonical(const struct obl_kv *kv, size_t n);
/* Frees n owned pairs (keys and values) and the array. */
void obl_kv_free(struct obl_kv *kv, size_t n);

#endif
