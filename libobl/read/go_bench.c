/*
 * read_go_bench.c - Go's benchmark text format (`go test -bench`, the input of benchstat):
 *
 *     goos: linux                                 configuration lines -> tags
 *     BenchmarkEncode/format=json-48   690848   1726 ns/op   45 B/op   1 allocs/op
 *
 * Each benchmark name is a scenario (benchmark=Encode/format=json-48, "Benchmark" dropped as
 * benchstat does); each value/unit pair a metric named after its unit (ns/op -> ns_per_op,
 * B/op -> B_per_op, MB/s -> MB_per_s); repeated lines (-count=N) are the samples of one
 * trial. Lines that are not benchmarks or configuration (PASS, ok, test output) are skipped.
 *
 * `pkg:` names the package of the benchmarks after it. A file of one package keeps it as a run
 * tag; a file of several (`go test -bench . ./...`) makes it a scenario key of each benchmark
 * (pkg=hash/crc32, benchmark=CRC32-8), so that benchmarks of the same name in two packages stay
 * two benchmarks, and no package overwrites another as the run's tag.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "reader.h"

static int detect(const struct obl_file *f)
{
	const char *p = f->data, *end = f->data + f->len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p > 10 && !memcmp(p, "Benchmark", 9) && memchr(p, '\t', (size_t)(eol - p)))
			return 80;
		p = eol + 1;
	}
	return 0;
}

/* "ns/op" -> "ns_per_op"; other characters that are awkward in names become '_'. */
static void metric_name(const char *unit, size_t len, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 6 < size; i++) {
		if (unit[i] == '/') {
			memcpy(out + o, "_per_", 5);
			o += 5;
		} else {
			out[o++] = isalnum((unsigned char)unit[i]) ? unit[i] : '_';
		}
	}
	out[o] = 0;
}

static const char *next_field(const char *p, const char *end, const char **field_end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	const char *q = p;
	while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
		q++;
	*field_end = q;
	return p;
}

/* (package, benchmark name) -> trial index: a file of thousands of benchmarks must not search
 * every trial for each line. Both strings are interned in the batch (one pointer per text). */
struct name_key {
	const struct obl_batch *b;
	const char *pkg; /* NULL in a file of one package */
	const char *name;
};

static int same_name(const void *ctx, size_t trial)
{
	const struct name_key *k = ctx;
	const struct obl_trial_data *t = &k->b->trials[trial];
	const char *pkg = t->scenario_len > 1 ? t->scenario[0].value : NULL;
	return t->scenario[t->scenario_len - 1].value == k->name && pkg == k->pkg;
}

/* The number of distinct "pkg: " lines of the file, up to 2. */
static int packages(const struct obl_file *f)
{
	const char *p = f->data, *end = f->data + f->len, *first = NULL, *first_end = NULL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p > 5 && !memcmp(p, "pkg: ", 5)) {
			const char *v_end = eol;
			while (v_end > p + 5 && (v_end[-1] == '\r' || v_end[-1] == ' '))
				v_end--;
			if (!first) {
				first = p + 5;
				first_end = v_end;
			} else if (v_end - (p + 5) != first_end - first ||
				   memcmp(p + 5, first, (size_t)(first_end - first))) {
				return 2;
			}
		}
		p = eol + 1;
	}
	return first ? 1 : 0;
}

static int read_go_lines(const struct obl_file *f, struct obl_batch *b, struct obl_hashmap *ix,
			 struct obl_error *err);

static int read_go(const struct obl_file *f, const struct obl_read_options *opt,
		   struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_hashmap ix = { 0 };
	int rc = read_go_lines(f, b, &ix, err);
	obl_hashmap_free(&ix);
	return rc;
}

static int read_go_lines(const struct obl_file *f, struct obl_batch *b, struct obl_hashmap *ix,
			 struct obl_error *err)
{
	const char *p = f->data, *end = f->data + f->len;
	long line = 0;
	size_t benchmarks = 0;
	int several = packages(f) > 1;
	const char *pkg = NULL; /* the package of the lines that follow, with several */
	while (p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p > 9 && !memcmp(p, "Benchmark", 9)) {
			const char *name_end;
			const char *name = next_field(p, eol, &name_end);
			const char *iter_end;
			const char *iter = next_field(name_end, eol, &iter_end);
			double iterations;
			if (iter == iter_end || obl_parse_double(iter, iter_end, &iterations)) {
				p = eol + 1; /* "BenchmarkX" followed by test output, not a result */
				continue;
			}
			/* the name whole, however long (interned in the batch) */
			const char *scenario = obl_batch_intern(b, name + 9, (size_t)(name_end - name - 9));
			if (!scenario)
				return obl_error_set(err, OBL_ENOMEM, f->path, line, NULL, "out of memory");
			const struct name_key key = { b, pkg, scenario };
			uint64_t hash = obl_hash_words((uint64_t)(uintptr_t)pkg,
						       obl_hash_bytes(scenario, strlen(scenario)));
			size_t at = obl_hashmap_get(ix, hash, same_name, &key);
			struct obl_trial_data *t = at != OBL_HASHMAP_NONE ? &b->trials[at] : NULL;
			if (!t && (!(t = obl_batch_trial(b)) ||
				   (pkg && obl_trial_set_scenario(t, "pkg", pkg)) ||
				   obl_trial_set_scenario(t, "benchmark", scenario) ||
				   obl_hashmap_put(ix, hash, b->n_trials - 1, same_name, &key) ==
					   OBL_HASHMAP_NONE))
				return obl_error_set(err, OBL_ENOMEM, f->path, line, NULL, "out of memory");
			benchmarks++;
			const char *q = iter_end;
			for (;;) {
				const char *v_end, *u_end;
				const char *v = next_field(q, eol, &v_end);
				if (v == v_end)
					break;
				const char *u = next_field(v_end, eol, &u_end);
				double value;
				if (u == u_end || obl_parse_double(v, v_end, &value) || !(value >= 0)) {
					obl_error_set(err, OBL_EINPUT, f->path, line, scenario,
						      "expected 'value unit' pairs after the iteration count");
					obl_error_position(err, line, (long)(v - p) + 1, -1);
					return OBL_EINPUT;
				}
				char metric[96], unit[64];
				metric_name(u, (size_t)(u_end - u), metric, sizeof metric);
				struct obl_series *s = NULL;
				for (size_t k = 0; k < t->n_series && !s; k++)
					if (!strcmp(t->series[k].metric, metric))
						s = &t->series[k];
				if (!s) {
					snprintf(unit, sizeof unit, "%.*s", (int)(u_end - u), u);
					s = obl_trial_series(t, metric, unit, OBL_KIND_SAMPLE);
					/* per operation: less is better; per second: more is */
					size_t ul = strlen(unit);
					if (s && ul > 3 && !strcmp(unit + ul - 3, "/op"))
						s->direction = OBL_LOWER_IS_BETTER;
					else if (s && ul > 2 && !strcmp(unit + ul - 2, "/s"))
						s->direction = OBL_HIGHER_IS_BETTER;
				}
				if (!s || obl_values_push(&s->values, value))
					return obl_error_set(err, OBL_ENOMEM, f->path, line, NULL,
							     "out of memory");
				q = u_end;
			}
		} else {
			/* "key: value" configuration lines become tags */
			const char *colon = memchr(p, ':', (size_t)(eol - p));
			if (colon && colon > p && colon + 1 < eol && colon[1] == ' ') {
				int plain = 1;
				for (const char *c = p; c < colon; c++)
					plain &= *c >= 'a' && *c <= 'z';
				if (plain) {
					/* whole, however long (interned) */
					const char *key = obl_batch_intern(b, p, (size_t)(colon - p));
					const char *val = colon + 2, *val_end = eol;
					while (val_end > val && (val_end[-1] == '\r' || val_end[-1] == ' '))
						val_end--;
					const char *value =
						obl_batch_intern(b, val, (size_t)(val_end - val));
					int is_pkg = key && !strcmp(key, "pkg");
					if (value && several && is_pkg)
						pkg = value;
					else if (!key || !value || obl_batch_tag(b, key, value))
						return obl_error_set(err, OBL_ENOMEM, f->path, line, NULL,
								     "out of memory");
				}
			}
		}
		p = eol + 1;
	}
	if (benchmarks == 0)
		return obl_error_set(err, OBL_EINPUT, f->path, 0, NULL, "no benchmark result lines");
	return OBL_OK;
}

const struct obl_reader obl_reader_go_bench = {
	"go-bench",
	"Go benchmark text format (go test -bench; benchstat's input)",
	detect,
	read_go,
	NULL,
};
