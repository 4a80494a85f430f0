/*
 * ingest.c - read, fingerprint, parse and store one file (see ingest.h).
 */
#include "ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

int obl_split_assignment(const char *s, size_t *key_len, const char **value)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s)
		return -1;
	*key_len = (size_t)(eq - s);
	*value = eq + 1;
	return 0;
}

char *obl_default_label(const char *db_path)
{
	const char *base = strrchr(db_path, '/');
	base = base ? base + 1 : db_path;
	const char *dot = strrchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *out = malloc(len + 1);
	if (out) {
		memcpy(out, base, len);
		out[len] = 0;
	}
	return out;
}

int obl_pick_reader(const struct obl_file *f, const char *format,
		    const struct obl_reader **reader, struct obl_error *err)
{
	*reader = NULL;
	if (f->len == 0)
		return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL, "empty file");
	if (f->len >= 2 && (unsigned char)f->data[0] == 0x1f && (unsigned char)f->data[1] == 0x8b)
		return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				     "a gzip-compressed file: decompress it first (gunzip -k)");
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

void obl_ingest_file_release(struct obl_ingest_file *in)
{
	obl_batch_free(&in->batch);
	obl_file_release(&in->file);
	free(in->label);
	in->label = NULL;
}

/* The -s and -t assignments onto the batch. */
static int apply_assignments(struct obl_batch *b, const struct obl_ingest_options *opt)
{
	size_t kl;
	const char *value;
	for (size_t i = 0; opt->scenario && i < opt->scenario->n; i++) {
		if (obl_split_assignment(opt->scenario->items[i], &kl, &value))
			continue; /* refused by the caller before reading */
		const char *key = obl_batch_intern(b, opt->scenario->items[i], kl);
		if (!key)
			return OBL_ENOMEM;
		for (size_t t = 0; t < b->n_trials; t++)
			if (obl_trial_set_scenario(&b->trials[t], key, value))
				return OBL_ENOMEM;
	}
	for (size_t i = 0; opt->tags && i < opt->tags->n; i++) {
		if (obl_split_assignment(opt->tags->items[i], &kl, &value))
			continue;
		const char *key = obl_batch_intern(b, opt->tags->items[i], kl);
		if (!key || obl_batch_tag(b, key, value))
			return OBL_ENOMEM;
	}
	return OBL_OK;
}

/* 1 if the batch holds at least one value or count. */
static int yields_something(const struct obl_batch *b)
{
	for (size_t t = 0; t < b->n_trials; t++)
		for (size_t k = 0; k < b->trials[t].n_series; k++) {
			const struct obl_series *s = &b->trials[t].series[k];
			if (s->values.n || !isnan(s->successes))
				return 1;
		}
	return 0;
}

int obl_ingest_load(const char *path, const struct obl_ingest_options *opt,
		    struct obl_ingest_file *in, struct obl_error *err)
{
	memset(in, 0, sizeof *in);
	obl_batch_init(&in->batch);
	in->progress = opt->progress;
	obl_progress_phase(opt->progress, "reading");
	int rc = obl_file_read(path, &in->file, err);
	if (rc) {
		obl_batch_free(&in->batch);
		return rc;
	}
	if ((rc = obl_pick_reader(&in->file, opt->format, &in->reader, err)))
		goto fail;
	obl_sha256_hex(in->file.data, in->file.len, in->sha256);
	obl_progress_phase(opt->progress, "parsing");
	if ((rc = obl_reader_read(in->reader, &in->file, &opt->read, &in->batch, err)))
		goto fail;
	if (!yields_something(&in->batch)) {
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				   "no values found: read as %s (%s), the file holds none of its "
				   "metrics; name another format with -f",
				   in->reader->name, in->reader->description);
		goto fail;
	}
	if ((rc = apply_assignments(&in->batch, opt))) {
		rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
		goto fail;
	}
	const char *label = opt->label ? opt->label : in->batch.label;
	in->label = label ? strdup(label) : obl_default_label(opt->db_path ? opt->db_path : "run");
	if (!in->label) {
		rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < in->batch.n_warnings && opt->warn; i++)
		opt->warn(opt->warn_ctx, in->batch.warnings[i]);
	return OBL_OK;
fail:
	obl_ingest_file_release(in);
	return rc;
}

int obl_ingest_store(struct obl_store *s, const struct obl_ingest_file *in,
		     struct obl_ingest_result *result, struct obl_error *err)
{
	const struct obl_source_info src = { in->file.path, in->reader->name, in->sha256,
					     in->file.len,  in->label,	      in->progress };
	obl_progress_phase(in->progress, "writing");
	return obl_store_write(s, &src, &in->batch, result, err);
}

int obl_ingest(struct obl_store *s, const char *path, const struct obl_ingest_options *opt,
	       struct obl_ingest_report *report, struct obl_error *err)
{
	memset(report, 0, sizeof *report);
	struct obl_ingest_file in;
	int rc = obl_ingest_load(path, opt, &in, err);
	if (rc)
		return rc;
	report->format = in.reader->name;
	rc = obl_ingest_store(s, &in, &report->result, err);
	report->label = in.label;
	in.label = NULL;
	obl_ingest_file_release(&in);
	return rc;
}

void obl_ingest_report_release(struct obl_ingest_report *report)
{
	free(report->label);
	report->label = NULL;
	obl_ingest_result_release(&report->result);
}

/* ---- The canonical dump -------------------------------------------------------------- */

static const char *const dir_names[] = { "lower", "higher", "none" };

static void dump_values(FILE *out, const struct obl_values *v)
{
	if (v->n <= 8) {
		for (size_t i = 0; i < v->n; i++)
			fprintf(out, " %.10g", v->v[i]);
		return;
	}
	double min = v->v[0], max = v->v[0];
	long double sum = 0;
	for (size_t i = 0; i < v->n; i++) {
		min = fmin(min, v->v[i]);
		max = fmax(max, v->v[i]);
		sum += v->v[i];
	}
	fprintf(out, " %.10g %.10g %.10g ... %.10g; min %.10g max %.10g mean %.10g", v->v[0],
		v->v[1], v->v[2], v->v[v->n - 1], min, max, (double)(sum / v->n));
}

void obl_ingest_dump(FILE *out, const struct obl_ingest_file *in)
{
	const struct obl_batch *b = &in->batch;
	fprintf(out, "format %s\nrun %s\n", in->reader->name, in->label);
	for (size_t i = 0; i < b->n_tags; i++)
		fprintf(out, "tag %s=%s\n", b->tags[i].key, b->tags[i].value);
	for (size_t i = 0; i < b->n_warnings; i++)
		fprintf(out, "warning %s\n", b->warnings[i]);
	char **canon = calloc(b->n_trials ? b->n_trials : 1, sizeof *canon);
	for (size_t t = 0; canon && t < b->n_trials; t++) {
		const struct obl_trial_data *trial = &b->trials[t];
		canon[t] = obl_scenario_canonical(trial->scenario, trial->scenario_len);
		size_t rep = 1;
		for (size_t u = 0; canon[t] && u < t; u++)
			rep += canon[u] && !strcmp(canon[u], canon[t]);
		fprintf(out, "trial %zu scenario {%s} repetition %zu\n", t + 1,
			canon[t] ? canon[t] : "?", rep);
		for (size_t k = 0; k < trial->n_series; k++) {
			const struct obl_series *s = &trial->series[k];
			fprintf(out, "  %s [%s] %s %s", s->metric, s->unit, dir_names[s->direction],
				obl_kind_names[s->kind]);
			if (!isnan(s->successes))
				fprintf(out, " %.10g/%.10g", s->successes, s->trials);
			if (s->values.n || isnan(s->successes)) {
				fprintf(out, " n=%zu:", s->values.n);
				dump_values(out, &s->values);
			}
			fputc('\n', out);
		}
	}
	for (size_t t = 0; canon && t < b->n_trials; t++)
		free(canon[t]);
	free(canon);
}
