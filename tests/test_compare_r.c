/*
 * test_compare_r.c - obl-compare on plain files agrees with R: for every two-sided, 95%,
 * mu = 0 case of the oracle's welch_t, student_t and mann_whitney files, the candidate file
 * holds x and the baseline file y, and the tool's JSON must carry R's t.test / wilcox.test
 * statistic, df, p-value, estimate and interval (the oracle's values and tolerances).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char *slurp(FILE *f)
{
	size_t len = 0, alloc = 4096;
	char *s = malloc(alloc);
	size_t got;
	while ((got = fread(s + len, 1, alloc - len - 1, f)) > 0) {
		len += got;
		if (len + 1 == alloc)
			s = realloc(s, alloc *= 2);
	}
	s[len] = 0;
	return s;
}

static char *read_path(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = slurp(f);
	fclose(f);
	return s;
}

static void write_sample(const char *path, const cJSON *a)
{
	FILE *f = fopen(path, "w");
	const cJSON *e;
	cJSON_ArrayForEach(e, a) fprintf(f, "%.17g\n", e->valuedouble);
	fclose(f);
}

static double number_at(const cJSON *root, const char *obj, const char *field)
{
	const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "comparisons"), 0);
	const cJSON *o = cJSON_GetObjectItem(c, obj);
	const cJSON *v = cJSON_GetObjectItem(o, field);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double tolerance(const cJSON *tol, const char *field, double got, double want)
{
	double rel = cJSON_GetObjectItem(tol, "rel")->valuedouble;
	double abs_ = cJSON_GetObjectItem(tol, "abs")->valuedouble;
	const cJSON *pf = cJSON_GetObjectItem(tol, "per_field");
	const cJSON *f = pf ? cJSON_GetObjectItem(pf, field) : NULL;
	if (f) {
		rel = cJSON_GetObjectItem(f, "rel")->valuedouble;
		abs_ = cJSON_GetObjectItem(f, "abs")->valuedouble;
	}
	return fabs(got - want) <= abs_ + rel * fabs(want);
}

int main(void)
{
	const char *bin = getenv("OBL_BIN") ? getenv("OBL_BIN") : "build/bin";
	char dir[] = "/tmp/obl-compare-r-XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	char base[256], cand[256];
	snprintf(base, sizeof base, "%s/base.txt", dir);
	snprintf(cand, sizeof cand, "%s/cand.txt", dir);
	const char *files[] = { "welch_t", "student_t", "mann_whitney" };
	const char *methods[] = { "welch", "student", "mann-whitney" };
	for (int m = 0; m < 3; m++) {
		char path[256];
		snprintf(path, sizeof path, "tests/data/oracle/%s.json", files[m]);
		char *text = read_path(path);
		cJSON *cases = cJSON_Parse(text);
		int tried = 0, agreed = 0;
		const cJSON *c;
		cJSON_ArrayForEach(c, cases)
		{
			const cJSON *p = cJSON_GetObjectItem(c, "params");
			const cJSON *e = cJSON_GetObjectItem(c, "expected");
			const cJSON *x = cJSON_GetObjectItem(c, "x"), *y = cJSON_GetObjectItem(c, "y");
			if (strcmp(cJSON_GetObjectItem(p, "alternative")->valuestring, "two-sided") ||
			    cJSON_GetObjectItem(p, "conf_level")->valuedouble != 0.95 ||
			    cJSON_GetObjectItem(p, "mu")->valuedouble != 0 ||
			    (cJSON_GetObjectItem(p, "correct") &&
			     !cJSON_IsTrue(cJSON_GetObjectItem(p, "correct"))) ||
			    cJSON_GetObjectItem(e, "error") || cJSON_GetObjectItem(e, "ci_error") ||
			    cJSON_GetArraySize(x) < 2 || cJSON_GetArraySize(y) < 2)
				continue;
			write_sample(cand, x);
			write_sample(base, y);
			char cmd[1024];
			snprintf(cmd, sizeof cmd, "%s/obl-compare --method %s --format json %s %s", bin,
				 methods[m], base, cand);
			FILE *f = popen(cmd, "r");
			char *out = slurp(f);
			pclose(f);
			cJSON *root = cJSON_Parse(out);
			const cJSON *tol = cJSON_GetObjectItem(c, "tolerance");
			struct {
				const char *obj, *field, *want;
			} map[] = { { "test", "statistic", "statistic" }, { "test", "df", "df" }, { "test", "p_value", "p_value" }, { "difference", "estimate", "estimate" }, { "difference", "ci_low", "ci_low" }, { "difference", "ci_high", "ci_high" } };
			int ok = root != NULL;
			for (size_t k = 0; ok && k < sizeof map / sizeof *map; k++) {
				const cJSON *w = cJSON_GetObjectItem(e, map[k].want);
				if (!cJSON_IsNumber(w))
					continue;
				double got = number_at(root, map[k].obj, map[k].field);
				if (!tolerance(tol, map[k].want, got, w->valuedouble)) {
					printf("# %s %s.%s: got %.17g want %.17g\n",
					       cJSON_GetObjectItem(c, "id")->valuestring, map[k].obj,
					       map[k].field, got, w->valuedouble);
					ok = 0;
				}
			}
			tried++;
			agreed += ok;
			cJSON_Delete(root);
			free(out);
		}
		check(tried > 0 && agreed == tried,
		      "obl-compare --method %s equals R on %d of %d oracle cases", methods[m], agreed,
		      tried);
		cJSON_Delete(cases);
		free(text);
	}
	unlink(base);
	unlink(cand);
	rmdir(dir);
	return check_failures != 0;
}
