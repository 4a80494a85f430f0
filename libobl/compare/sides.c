/*
 * sides.c - the sides of a comparison as the tools name them: "BASE.db CAND.db..." (each
 * database holding one run), or one database with --baseline and --candidate labels; the
 * stores opened and the labels resolved before anything is compared.
 */
#include "dbcompare.h"

#include <stdlib.h>
#include <string.h>

#include "summarize.h"

/* The only run of a database, for the "BASE.db CAND.db" form. */
static int only_run(struct obl_store *store, const char *path, char **label,
		    struct obl_error *err)
{
	char **labels;
	size_t n;
	int rc = obl_store_runs(store, &labels, &n, err);
	if (rc)
		return rc;
	if (n == 1) {
		*label = labels[0];
	} else {
		rc = obl_error_set(err, n ? OBL_EUSAGE : OBL_EINPUT, path, 0, NULL,
				   n ? "holds %zu runs: name them with --baseline and --candidate"
				     : "holds no runs%.0zu",
				   n);
		for (size_t i = 0; i < n; i++)
			free(labels[i]);
	}
	free(labels);
	return rc;
}

int obl_db_sides_open(const char *const *files, size_t n_files, const char *baseline,
		      const char *const *candidates, size_t n_candidates,
		      struct obl_db_sides *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = OBL_OK;
	if (baseline) {
		if (n_files != 1)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
					     "with --baseline, give one database (got %zu)", n_files);
		if (n_candidates == 0 || n_candidates >= OBL_MAX_SIDES)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
					     "with --baseline, name 1 to %d runs with --candidate",
					     OBL_MAX_SIDES - 1);
		rc = obl_store_open(files[0], OBL_STORE_READ, &out->stores[0], err);
		for (size_t i = 0; !rc && i <= n_candidates; i++)
			out->sides[out->n++] = (struct obl_db_side){
				out->stores[0], files[0], i ? candidates[i - 1] : baseline
			};
		return rc;
	}
	if (n_files < 2 || n_files > OBL_MAX_SIDES)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				     "expected BASELINE.db and 1 to %d CANDIDATE.db (got %zu files)",
				     OBL_MAX_SIDES - 1, n_files);
	if (n_candidates)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--candidate",
				     "needs --baseline and a single database");
	for (size_t i = 0; !rc && i < n_files; i++) {
		if (!obl_is_database(files[i]))
			return obl_error_set(err, OBL_EINPUT, files[i], 0, NULL,
					     "not an obl database (the first argument is one, so "
					     "all must be)");
		rc = obl_store_open(files[i], OBL_STORE_READ, &out->stores[i], err);
		if (!rc)
			rc = only_run(out->stores[i], files[i], &out->owned[i], err);
		if (!rc)
			out->sides[out->n++] =
				(struct obl_db_side){ out->stores[i], files[i], out->owned[i] };
	}
	return rc;
}

void obl_db_sides_close(struct obl_db_sides *s)
{
	for (size_t i = 0; i < OBL_MAX_SIDES; i++) {
		obl_store_close(s->stores[i]);
		free(s->owned[i]);
	}
	memset(s, 0, sizeof *s);
}
