/*
 * ingest.h - one input file into the store: read it whole, fingerprint it, pick its reader
 * (given or detected), let the reader build a batch, apply the command line's run label,
 * tags and scenario keys, and write the batch in one transaction.
 *
 * Reading and writing are separate steps (obl_ingest_load, then obl_ingest_store), so that a
 * file can be shown (obl_ingest_dump, obl-ingest --dump) exactly as it would be stored.
 */
#ifndef OBL_INGEST_H
#define OBL_INGEST_H

#include <stdio.h>

#include "options.h"
#include "progress.h"
#include "reader.h"
#include "store.h"

struct obl_ingest_options {
	const char *format;                     /* NULL: detect from content */
	const char *label;                      /* -r; NULL: from the file, else the DB's stem */
	const char *db_path;                    /* for the default label */
	const struct obl_string_list *tags;     /* -t KEY=VALUE */
	const struct obl_string_list *scenario; /* -s KEY=VALUE: set on every trial */
	struct obl_read_options read;
	void (*warn)(void *ctx, const char *message); /* consistency warnings */
	void *warn_ctx;
	struct obl_progress *progress; /* NULL, or where to post the phase */
};

/* A file read and parsed, not yet stored. Everything in it is owned (release it). */
struct obl_ingest_file {
	struct obl_file file;
	const struct obl_reader *reader;
	struct obl_batch batch;
	char sha256[65];
	char *label;                   /* the run label, resolved */
	struct obl_progress *progress; /* opt->progress, for the write */
};

struct obl_ingest_report {
	const char *format; /* the reader's name (static) */
	char *label;        /* owned: obl_ingest_report_release */
	struct obl_ingest_result result;
};

/* The reader for f: the one named by format, else the one its content shows (an empty file,
 * a compressed file or an unknown format is an error naming the file). */
OBL_MUST_CHECK int obl_pick_reader(const struct obl_file *f, const char *format,
				   const struct obl_reader **reader, struct obl_error *err);

/* Reads, fingerprints and parses path, applies opt's scenario keys, tags and label, and checks
 * that the file yields at least one value (a file that yields nothing is an error naming what
 * was looked for). On error, in is released. */
OBL_MUST_CHECK int obl_ingest_load(const char *path, const struct obl_ingest_options *opt,
				   struct obl_ingest_file *in, struct obl_error *err);
void obl_ingest_file_release(struct obl_ingest_file *in);

/* Writes a loaded file into the store (one transaction). */
OBL_MUST_CHECK int obl_ingest_store(struct obl_store *s, const struct obl_ingest_file *in,
				    struct obl_ingest_result *result, struct obl_error *err);

/* obl_ingest_load then obl_ingest_store. */
OBL_MUST_CHECK int obl_ingest(struct obl_store *s, const char *path, const struct obl_ingest_options *opt,
			      struct obl_ingest_report *report, struct obl_error *err);
void obl_ingest_report_release(struct obl_ingest_report *report);

/*
 * The canonical text of what a loaded file yields, for tests and for users checking a
 * reader: format, run label, tags, warnings, then each trial (its scenario and repetition
 * within the file) with each series: metric, unit, direction, kind, the count and the values
 * (all of them up to 8, else the first three, the last, min, max and mean), %.10g.
 */
void obl_ingest_dump(FILE *out, const struct obl_ingest_file *in);

/* Splits "KEY=VALUE" (key non-empty): *key_len is the key's length, *value what follows '='.
 * Returns 0, or -1 if malformed. Keys of any length. */
int obl_split_assignment(const char *s, size_t *key_len, const char **value);

/* The default run label for a database path: its file name without directory and extension.
 * Caller frees; NULL when out of memory. */
char *obl_default_label(const char *db_path);

#endif

/* ---- Directories a tool wrote as one unit ---------------------------------------------- */

/*
 * vLLM's `vllm bench sweep serve` output: one folder per serve x bench combination, named
 * SERVE--KEY=VALUE-...-BENCH--KEY=VALUE-..., holding run=N.json per repetition (and a
 * summary.json that repeats them, not read). Lists the run=N.json files under dir (any
 * depth), sorted, in *files (owned; obl_sweep_free). An error naming dir if it holds none.
 */
OBL_MUST_CHECK int obl_sweep_list(const char *dir, char ***files, size_t *n, struct obl_error *err);
void obl_sweep_free(char **files, size_t n);
/* The swept parameters of a sweep file, from its folder's name, appended to list as owned
 * "KEY=VALUE" strings (max_concurrency is named concurrency, as the vllm reader names it).
 * OBL_OK or OBL_ENOMEM. */
int obl_sweep_scenario(const char *file, struct obl_string_list *list);
