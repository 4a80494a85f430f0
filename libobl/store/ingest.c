/*
 * ingest.c - read, fingerprint, parse and store one file (see ingest.h).
 */
#include "ingest.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
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
		/* Semicolons between numbers with decimal commas: a spreadsheet's export. */
		const char *eol = memchr(f->data, '\n', f->len);
		size_t n = eol ? (size_t)(eol - f->data) : f->len;
		if (memchr(f->data, ';', n) && memchr(f->data, ',', f->len < 4096 ? f->len : 4096))
			return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
					     "unknown format: separated by semicolons (decimal "
					     "commas?); obl reads comma-separated values with decimal "
					     "points");
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

/* The two parts of reading a file: its fingerprint (0) and its values (1). */
struct load_job {
	struct obl_ingest_file *in;
	const struct obl_file *view;
	const struct obl_ingest_options *opt;
	int rc; /* the parse's */
	struct obl_error *err;
};

static void load_part(void *ctx, size_t i)
{
	struct load_job *job = ctx;
	struct obl_ingest_file *in = job->in;
	if (i == 0)
		obl_sha256_hex(in->file.data, in->file.len, in->sha256);
	else
		job->rc = obl_reader_read(in->reader, job->view, &job->opt->read, &in->batch, job->err);
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
	/* A UTF-8 byte-order mark is not content: readers see the file after it (the
	 * fingerprint is of the whole file). */
	struct obl_file view = in->file;
	if (view.len >= 3 && !memcmp(view.data, "\xEF\xBB\xBF", 3)) {
		view.data += 3;
		view.len -= 3;
	}
	if ((rc = obl_pick_reader(&view, opt->format, &in->reader, err)))
		goto fail;
	obl_progress_phase(opt->progress, "parsing");
	/* The fingerprint and the parse at once, on two threads where there are: SHA-256 of a
	 * 700 MB file is over a second, and only the parse needs the batch. */
	struct load_job job = { in, &view, opt, OBL_OK, err };
	obl_parallel_for(2, load_part, &job);
	if ((rc = job.rc))
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
	if (!label && opt->db_path && obl_store_is_server(opt->db_path)) {
		/* a team store has no file name to name the run after */
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, NULL,
				   "names no run, and a PostgreSQL store has no file name to take "
				   "one from: give the run's label with -r LABEL");
		goto fail;
	}
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
					     in->file.len, in->label, in->progress };
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
		fprintf(out, "%s %s=%s\n",
			obl_store_tag_is_provenance(b->tags[i].key) ? "provenance" : "tag",
			b->tags[i].key, b->tags[i].value);
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
			fprintf(out, "  %s [%s] %s %s", s->metric, s->unit, obl_direction_names[s->direction],
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

/* ---- vLLM bench sweep directories ------------------------------------------------------ */

static int is_run_file(const char *name)
{
	size_t len = strlen(name);
	if (strncmp(name, "run=", 4) || len < 10 || strcmp(name + len - 5, ".json"))
		return 0;
	for (size_t i = 4; i < len - 5; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

static int collect(const char *dir, struct obl_string_list *out, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return depth ? OBL_OK : OBL_EINPUT;
	int rc = OBL_OK;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(len);
		if (!path) {
			rc = OBL_ENOMEM;
			break;
		}
		snprintf(path, len, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8) {
			rc = collect(path, out, depth + 1);
			free(path);
		} else if (S_ISREG(st.st_mode) && is_run_file(e->d_name)) {
			if ((rc = obl_string_list_append(out, path)))
				free(path);
		} else {
			free(path);
		}
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int obl_sweep_list(const char *dir, char ***files, size_t *n, struct obl_error *err)
{
	struct obl_string_list list = { 0 };
	int rc = collect(dir, &list, 0);
	*files = (char **)list.items;
	*n = list.n;
	if (rc == OBL_ENOMEM)
		return obl_error_set(err, OBL_ENOMEM, dir, 0, NULL, "out of memory");
	if (rc || list.n == 0)
		return obl_error_set(err, OBL_EINPUT, dir, 0, NULL,
				     rc ? "cannot read the directory (nothing was written)"
					: "is a directory, not a file (nothing was written); obl reads "
					  "a directory only as vLLM `bench sweep serve` output "
					  "(SERVE--...-BENCH--.../run=N.json), and this one has no "
					  "run=N.json");
	qsort(*files, *n, sizeof **files, by_path);
	return OBL_OK;
}

void obl_sweep_free(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

/* Appends the KEY=VALUE parameters of "k1=v1-k2=v2" (a value may hold '-': a part without
 * '=' continues the value before it). */
static int sweep_params(const char *s, size_t len, struct obl_string_list *list)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i, end = i;
		for (;;) {
			while (end < len && s[end] != '-')
				end++;
			/* does the next part hold '=' before its own next '-'? */
			size_t j = end + 1;
			while (j < len && s[j] != '-' && s[j] != '=')
				j++;
			if (end >= len || (j < len && s[j] == '='))
				break;
			end = j;
		}
		const char *eq = memchr(s + start, '=', end - start);
		if (eq) {
			size_t kl = (size_t)(eq - (s + start));
			const char *key = s + start;
			if (kl == 15 && !memcmp(key, "max_concurrency", 15)) {
				key = "concurrency";
				kl = 11;
			}
			size_t vl = end - (size_t)(eq + 1 - s);
			char *kv = malloc(kl + vl + 2);
			if (!kv)
				return OBL_ENOMEM;
			memcpy(kv, key, kl);
			kv[kl] = '=';
			memcpy(kv + kl + 1, eq + 1, vl);
			kv[kl + 1 + vl] = 0;
			if (obl_string_list_append(list, kv)) {
				free(kv);
				return OBL_ENOMEM;
			}
		}
		i = end + 1;
	}
	return OBL_OK;
}

int obl_sweep_scenario(const char *file, struct obl_string_list *list)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return OBL_OK;
	const char *name = slash;
	while (name > file && name[-1] != '/')
		name--;
	size_t len = (size_t)(slash - name);
	const char *serve = len >= 7 && !memcmp(name, "SERVE--", 7) ? name + 7 : NULL;
	const char *bench = NULL;
	for (const char *p = name; p + 8 <= slash; p++)
		if (!memcmp(p, "BENCH--", 7)) {
			bench = p + 7;
			break;
		}
	int rc = OBL_OK;
	if (serve)
		rc = sweep_params(serve, (size_t)((bench ? bench - 8 : slash) - serve), list);
	if (!rc && bench)
		rc = sweep_params(bench, (size_t)(slash - bench), list);
	return rc;
}
