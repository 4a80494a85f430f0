/*
 * by.h - comparing along a key inside one file or database (benchstat's -col): the groups
 * of one run are split by the value of a scenario key - the commands of a hyperfine export,
 * the /impl= values of Go sub-benchmarks, two configurations stored in one run - and each
 * value becomes a side of the comparison, the key left out of the scenarios so that they
 * match.
 */
#ifndef OBL_BY_H
#define OBL_BY_H

#include "compare.h"
#include "store.h"

struct obl_by {
	char key[256];
	char *values[OBL_MAX_SIDES]; /* the sides' values as named (owned); n_values 0: all,
				       * in order of first appearance */
	size_t n_values;
};

/* Parses "KEY" or "KEY=BASE,CAND[,CAND...]". Free with obl_by_release. */
int obl_by_parse(const char *arg, struct obl_by *out, struct obl_error *err);
void obl_by_release(struct obl_by *by);

/* The groups split into sides. side_groups[i] is side i's array of n_side_groups[i] groups
 * (owned: obl_groups_free), labels[i] its name "KEY=VALUE" (owned). */
struct obl_by_sides {
	struct obl_group *side_groups[OBL_MAX_SIDES];
	size_t n_side_groups[OBL_MAX_SIDES];
	char *labels[OBL_MAX_SIDES];
	size_t n;
};

/*
 * Splits g[0..n) (taken over: freed or moved, also on error) by the value of by->key: a
 * scenario key, or else a "/KEY=VALUE" element of a scenario value (Go sub-benchmarks:
 * benchmark=Encode/impl=a/size=1kB-8 gives impl=a and benchmark=Encode/size=1kB-8). Groups
 * without the key, or with a value not named, are left out. path names the input in
 * messages. Fewer than two sides, or two groups of one side that the key does not tell
 * apart, are errors.
 */
int obl_groups_by(struct obl_group *g, size_t n, const struct obl_by *by, const char *path,
		  struct obl_by_sides *out, struct obl_error *err);
void obl_by_sides_release(struct obl_by_sides *s);

/* Removes key (as obl_groups_by finds it) from the scenarios of g[0..n), so that two inputs
 * that differ only in it - two hyperfine exports of differently named commands - are paired.
 * An error when no group has the key, or when without it two groups would be one. */
int obl_groups_drop_key(struct obl_group *g, size_t n, const char *key, const char *path,
			struct obl_error *err);

#endif
