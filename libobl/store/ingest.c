/*
 * ingest.c - read, fingerprint, parse and store one file (see ingest.h).
 */
#include "ingest.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "proc.h"
#include "sha256.h"

int obl_split_assignment(const char *s, char *key, size_t key_size, const char **value)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s || (size_t)(eq - s) >= key_size)
		return -1;
	memcpy(key, s, (size_t)(eq - s));
	key[eq - s] = 0;
	*value = eq + 1;
	return 0;
}

void obl_default_label(const char *db_path, char *out, size_t size)
{
	const char *base = strrchr(db_path, '/');
	base = base ? base + 1 : db_path;
	const char *dot = strrchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	snprintf(out, size, "%.*s", (int)len, base);
}

struct hash_job {
	const struct obl_file *file;
	char sha[65];
};

static void *hash_file(void *arg)
{
	struct hash_job *job = arg;
	obl_sha256_hex(job->file->data, job->file->len, job->sha);
	return NULL;
}

int obl_pick_reader(const struct obl_file *f, const char *format,
		    const struct obl_reader **reader, struct obl_error *err)
{
	*reader = NULL;
	if (f->len == 0)
		return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL, "empty file");
	if (format) {
		if (!(*reader = obl_reader_find(format)))
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, format,
					     "unknown format; see obl-ingest --list-formats");
	} else if (!(*reader = obl_reader_detect(f))) {
		return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				     "unknown format: not a result file obl can read (name one with "
				     "-f; see --list-formats)");
	}
	return OBL_OK;
}

int obl_ingest(struct obl_store *s, const char *path, const struct obl_ingest_options *opt,
	       struct obl_ingest_report *report, struct obl_error *err)
{
	memset(report, 0, sizeof *report);
	struct obl_file f;
	obl_progress_phase(opt->progress, "reading");
	int rc = obl_file_read(path, &f, err);
	if (rc)
		return rc;
	struct obl_batch batch;
	obl_batch_init(&batch);
	const struct obl_reader *reader = NULL;
	if ((rc = obl_pick_reader(&f, opt->format, &reader, err)))
		goto done;
	snprintf(report->format, sizeof report->format, "%s", reader->name);
	/* Fingerprint on the second core while the reader parses (a large file costs seconds). */
	struct hash_job job = { &f, { 0 } };
	pthread_t hasher;
	int threaded = pthread_create(&hasher, NULL, hash_file, &job) == 0;
	if (!threaded)
		hash_file(&job);
	obl_progress_phase(opt->progress, "parsing");
	rc = obl_reader_read(reader, &f, &opt->read, &batch, err);
	if (threaded)
		pthread_join(hasher, NULL);
	if (rc)
		goto done;
	for (size_t i = 0; i < batch.n_warnings && opt->warn; i++)
		opt->warn(opt->warn_ctx, batch.warnings[i]);

	char key[256];
	const char *value;
	for (size_t i = 0; opt->scenario && i < opt->scenario->n; i++) {
		obl_split_assignment(opt->scenario->items[i], key, sizeof key, &value);
		for (size_t t = 0; t < batch.n_trials; t++)
			if (obl_trial_set_scenario(&batch.trials[t], key, value)) {
				rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
				goto done;
			}
	}
	for (size_t i = 0; opt->tags && i < opt->tags->n; i++) {
		obl_split_assignment(opt->tags->items[i], key, sizeof key, &value);
		if (obl_batch_tag(&batch, key, value)) {
			rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
			goto done;
		}
	}
	if (opt->label)
		snprintf(report->label, sizeof report->label, "%s", opt->label);
	else if (batch.label)
		snprintf(report->label, sizeof report->label, "%s", batch.label);
	else
		obl_default_label(opt->db_path ? opt->db_path : "run", report->label,
				  sizeof report->label);

	const struct obl_source_info src = { path,	    reader->name,  job.sha,
					     f.len,	    report->label, opt->progress };
	obl_progress_phase(opt->progress, "writing");
	rc = obl_store_write(s, &src, &batch, &report->result, err);
done:
	obl_batch_free(&batch);
	obl_file_release(&f);
	return rc;
}
