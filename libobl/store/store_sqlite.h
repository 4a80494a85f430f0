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

#endif
