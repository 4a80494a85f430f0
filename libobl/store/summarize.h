/*
 * summarize.h - stored groups (run x scenario x metric) to obl-stats rows: the values of all
 * repetitions pooled for the description, the number of repetitions reported beside n.
 */
#ifndef OBL_SUMMARIZE_H
#define OBL_SUMMARIZE_H

#include "describe.h"
#include "store.h"

/* Fills rows[0..n) from groups[0..n); rows borrow the groups' strings (keep groups alive).
 * A proportion known as counts is described as its rate, with a Wilson interval as mean_ci. */
OBL_MUST_CHECK int obl_summarize_groups(const struct obl_group *groups, size_t n, double confidence,
					struct obl_stats_row *rows, struct obl_error *err);

/* obl-stats rows of a store, and the names they borrow. */
struct obl_stats_rows {
	struct obl_stats_row *rows;
	struct obl_group *names; /* rows[i]'s run, scenario, metric and unit (no values) */
	size_t n;
};
/* The rows of the groups of s matching filter, in obl_store_groups' order, read one group at
 * a time (obl_store_each_group): memory holds one group's values, described in place, and the
 * rows. Free with obl_stats_rows_free (also on error). */
OBL_MUST_CHECK int obl_summarize_store(struct obl_store *s, const struct obl_store_filter *filter,
				       double confidence, struct obl_stats_rows *out,
				       struct obl_error *err);
void obl_stats_rows_free(struct obl_stats_rows *r);

/* 1 if the file at path starts with SQLite's header (an obl database, or another SQLite one). */
int obl_is_sqlite_file(const char *path);
/* 1 if path names an obl database: an SQLite file, or a PostgreSQL connection string
 * (obl_store_is_server). */
int obl_is_database(const char *path);

#endif
