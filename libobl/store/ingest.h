/*
 * ingest.h - one input file into the store: read it whole, fingerprint it, pick its reader
 * (given or detected), let the reader build a batch, apply the command line's run label,
 * tags and scenario keys, and write the batch in one transaction.
 */
#ifndef OBL_INGEST_H
#define OBL_INGEST_H

#include "options.h"
#include "progress.h"
#include "reader.h"
#include "store.h"

struct obl_ingest_options {
	const char *format;                       /* NULL: detect from content */
	const char *label;                        /* -r; NULL: from the file, else the DB's stem */
	const char *db_path;                      /* for the default label */
	const struct obl_string_list *tags;       /* -t KEY=VALUE */
	const struct obl_string_list *scenario;   /* -s KEY=VALUE: set on every trial */
	struct obl_read_options read;
	void (*warn)(void *ctx, const char *message); /* consistency warnings */
	void *warn_ctx;
	struct obl_progress *progress;            /* NULL, or where to post the phase */
};

struct obl_ingest_report {
	char format[32];
	char label[256];
	struct obl_ingest_result result;
};

/* The reader for f: the one named by format, else the one its content shows (an empty file
 * or an unknown format is an error naming the file). */
int obl_pick_reader(const struct obl_file *f, const char *format,
		    const struct obl_reader **reader, struct obl_error *err);

int obl_ingest(struct obl_store *s, const char *path, const struct obl_ingest_options *opt,
	       struct obl_ingest_report *report, struct obl_error *err);

/* Splits "KEY=VALUE" (key non-empty); returns 0, or -1 if malformed. */
int obl_split_assignment(const char *s, char *key, size_t key_size, const char **value);

/* The default run label for a database path: its file name without directory and extension. */
void obl_default_label(const char *db_path, char *out, size_t size);

#endif
