/*
 * store_sqlite.h - the SQLite connection of an open store, for the store layer's own files
 * (merge.c reads another obl database with SQL). Not for other layers: they go through
 * store.h.
 */
#ifndef OBL_STORE_SQLITE_H
#define OBL_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

sqlite3 *obl_store_sqlite(struct obl_store *s);

/* Values per block of sample_block (schema 5, obl-schema(5)): 4032 bytes, 16 to a 64 KiB
 * page and one to a 4 KiB page, so that no block spills to an overflow page. */
enum { OBL_BLOCK_VALUES = 504 };

/* v[0..n) (n <= OBL_BLOCK_VALUES) as a block: little-endian binary64, v itself where that is
 * the host's order, else packed into buf (room for OBL_BLOCK_VALUES * 8 bytes). */
const void *obl_blob_pack(const double *v, size_t n, unsigned char *buf);

/* Appends the values of a block of a series of `count` values to out->v (which has room for
 * out->alloc), read from st: its start in column col and its data in column col + 1. 0, or
 * -1 when the block is damaged, with what is wrong in what[0..size): data not a blob, a
 * length that is not 1 to OBL_BLOCK_VALUES values, a start that leaves a gap after the
 * values before it or overlaps them, more values than count, a NaN or an infinity. */
int obl_block_values(sqlite3_stmt *st, int col, long long count, struct obl_values *out,
		     char *what, size_t size);

/* The error for damage `what` in series `id` of the database at path, naming the series by
 * its run, scenario, metric and repetition where the database still says them. */
OBL_MUST_CHECK int obl_sqlite_series_damage(sqlite3 *db, const char *path, long long id,
					    const char *what, struct obl_error *err);

/* Reads the values of series `id` (count of them) into out (allocated here) with st, a
 * prepared "SELECT start, data FROM sample_block WHERE series_id = ?1 ORDER BY start". OBL_OK,
 * or an error naming path and the series when the database is damaged (obl_block_values, or
 * blocks that do not add up to count). */
OBL_MUST_CHECK int obl_sqlite_series_values(sqlite3 *db, sqlite3_stmt *st, const char *path,
					    long long id, long long count, struct obl_values *out,
					    struct obl_error *err);

#endif
