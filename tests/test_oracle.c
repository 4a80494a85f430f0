/*
 * test_oracle.c - checks libstats against the reference values in tests/data/oracle/
 * (R 4.2.2, cross-checked with SciPy): every case of every file, every expected field, with
 * the case's tolerance. Usage: test_oracle [DIR]. Prints one line per failure and a count.
 */
#include "stats.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a method produced: named values. Integers and flags are stored as doubles. */
enum kind { NUM,
	    BOOL,
	    STR };
struct field {
	const char *name;
	enum kind kind;
	double num;
	const char *str;
};
struct result {
	int status; /* the function's return code */
	int ci_ok;  /* 0 if the interval is undefined */
	struct field f[40];
	int n;
};

static void put(struct result *r, const char *name, double v)
{
	r->f[r->n++] = (struct field){ name, NUM, v, NULL };
}
static void put_bool(struct result *r, const char *name, int v)
{
	r->f[r->n++] = (struct field){ name, BOOL, v, NULL };
}
static void put_str(struct result *r, const char *name, const char *s)
{
	r->f[r->n++] = (struct field){ name, STR, 0, s };
}

static double *numbers(const cJSON *a, size_t *n)
{
	*n = (size_t)cJSON_GetArraySize(a);
	double *v = malloc((*n ? *n : 1) * sizeof *v);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a) v[i++] = e->valuedouble;
	return v;
}

static double param(const cJSON *params, const char *name, double fallback)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, name);
	if (cJSON_IsNumber(p))
		return p->valuedouble;
	if (cJSON_IsBool(p))
		return cJSON_IsTrue(p);
	return fallback;
}

static enum stats_alternative alternative(const cJSON *params)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(params, "alternative");
	if (cJSON_IsString(a) && !strcmp(a->valuestring, "less"))
		return STATS_LESS;
	if (cJSON_IsString(a) && !strcmp(a->valuestring, "greater"))
		return STATS_GREATER;
	return STATS_TWO_SIDED;
}

static void put_ttest(struct result *r, const struct stats_ttest *t, int two_sample)
{
	put(r, "statistic", t->statistic);
	put(r, "df", t->df);
	put(r, "p_value", t->p_value);
	put(r, "ci_low", t->ci_low);
	put(r, "ci_high", t->ci_high);
	put(r, "estimate", t->estimate);
	put(r, "stderr", t->std_error);
	if (two_sample) {
		put(r, "mean_x", t->mean_x);
		put(r, "mean_y", t->mean_y);
	}
}

static void put_rank(struct result *r, const struct stats_rank_test *t, int paired)
{
	put(r, "statistic", t->statistic);
	put(r, "p_value", t->p_value);
	put_str(r, "method_used", t->exact ? "exact" : "normal");
	put(r, "z", t->z);
	if (paired)
		put(r, "n_used", (double)t->n_used);
	put(r, "estimate", t->estimate);
	put(r, "ci_low", t->ci_low);
	put(r, "ci_high", t->ci_high);
	put(r, "rank_low", t->rank_low);
	put(r, "rank_high", t->rank_high);
	put(r, "ci_conf_level", t->ci_conf_level);
	put_bool(r, "conf_level_achievable", t->conf_level_achievable);
	r->ci_ok = t->ci_ok;
}

/* Runs one case; returns 0 if the method is unknown. */
static int run(const char *method, const cJSON *c, struct result *r, double *quantiles[3],
	       size_t *nprobs)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(c, "params");
	size_t nx = 0, ny = 0;
	double *x = NULL, *y = NULL;
	const cJSON *jx = cJSON_GetObjectItemCaseSensitive(c, "x");
	const cJSON *jy = cJSON_GetObjectItemCaseSensitive(c, "y");
	if (jx)
		x = numbers(jx, &nx);
	if (jy)
		y = numbers(jy, &ny);
	enum stats_alternative alt = alternative(params);
	double conf = param(params, "conf_level", 0.95), mu = param(params, "mu", 0);
	r->ci_ok = 1;
	int known = 1;

	if (!strcmp(method, "summary")) {
		struct stats_summary s;
		r->status = stats_summary(x, nx, &s);
		put(r, "n", (double)s.n);
		put(r, "mean", s.mean);
		put(r, "variance", s.variance);
		put(r, "sd", s.sd);
		put(r, "median", s.median);
		put(r, "min", s.min);
		put(r, "max", s.max);
		size_t np;
		double *probs = numbers(cJSON_GetObjectItemCaseSensitive(params, "probs"), &np);
		double *sorted = malloc(nx * sizeof *sorted);
		memcpy(sorted, x, nx * sizeof *sorted);
		stats_sort(sorted, nx);
		const int types[3] = { 1, 7, 8 };
		for (int t = 0; t < 3; t++) {
			quantiles[t] = malloc(np * sizeof(double));
			for (size_t i = 0; i < np; i++)
				quantiles[t][i] = stats_quantile_sorted(sorted, nx, probs[i], types[t]);
		}
		*nprobs = np;
		free(sorted);
		free(probs);
	} else if (!strcmp(method, "t_ci_mean")) {
		struct stats_ttest t;
		r->status = stats_t_one_sample(x, nx, alt, conf, mu, &t);
		put_ttest(r, &t, 0);
		put(r, "n", (double)nx);
		put(r, "sd", t.std_error * sqrt((double)nx));
	} else if (!strcmp(method, "welch_t") || !strcmp(method, "student_t")) {
		struct stats_ttest t;
		r->status = method[0] == 'w' ? stats_welch_t(x, nx, y, ny, alt, conf, mu, &t)
					     : stats_student_t(x, nx, y, ny, alt, conf, mu, &t);
		put_ttest(r, &t, 1);
	} else if (!strcmp(method, "paired_t")) {
		struct stats_ttest t;
		r->status = stats_paired_t(x, y, nx, alt, conf, mu, &t);
		put_ttest(r, &t, 0);
	} else if (!strcmp(method, "welch_t_summary")) {
		struct stats_ttest t;
		r->status = stats_welch_t_summary(
			param(params, "mean_x", NAN), param(params, "sd_x", NAN),
			param(params, "n_x", NAN), param(params, "mean_y", NAN),
			param(params, "sd_y", NAN), param(params, "n_y", NAN),
			(int)param(params, "var_equal", 0), alt, conf, mu, &t);
		put_ttest(r, &t, 0);
	} else if (!strcmp(method, "mann_whitney") || !strcmp(method, "wilcoxon_signed_rank")) {
		struct stats_rank_options o = stats_rank_defaults();
		o.alternative = alt;
		o.conf_level = conf;
		o.mu = mu;
		o.correct = (int)param(params, "correct", 1);
		struct stats_rank_test t;
		int paired = method[0] == 'w';
		r->status = paired ? stats_wilcoxon_signed_rank(x, y, nx, &o, &t)
				   : stats_mann_whitney(x, nx, y, ny, &o, &t);
		put_rank(r, &t, paired);
	} else if (!strcmp(method, "fisher_exact")) {
		const cJSON *tab = cJSON_GetObjectItemCaseSensitive(params, "table");
		long v[4];
		for (int i = 0; i < 4; i++)
			v[i] = (long)cJSON_GetArrayItem(cJSON_GetArrayItem(tab, i / 2), i % 2)->valuedouble;
		struct stats_fisher f;
		r->status = stats_fisher_exact(v[0], v[1], v[2], v[3], alt, conf, &f);
		put(r, "p_value", f.p_value);
		put(r, "estimate", f.estimate);
		put(r, "ci_low", f.ci_low);
		put(r, "ci_high", f.ci_high);
		put(r, "sample_odds_ratio", f.sample_odds_ratio);
	} else if (!strcmp(method, "prop_test_2")) {
		struct stats_prop_test p;
		r->status = stats_prop_test_2(param(params, "x1", NAN), param(params, "n1", NAN),
					      param(params, "x2", NAN), param(params, "n2", NAN), alt,
					      conf, (int)param(params, "correct", 1), &p);
		put(r, "statistic", p.statistic);
		put(r, "df", p.df);
		put(r, "p_value", p.p_value);
		put(r, "z", p.z);
		put(r, "estimate1", p.estimate1);
		put(r, "estimate2", p.estimate2);
		put(r, "estimate", p.estimate);
		put(r, "ci_low", p.ci_low);
		put(r, "ci_high", p.ci_high);
	} else if (!strcmp(method, "wilson_ci") || !strcmp(method, "clopper_pearson_ci")) {
		struct stats_interval i;
		double px = param(params, "x", NAN), pn = param(params, "n", NAN);
		r->status = method[0] == 'w'
				    ? stats_wilson_ci(px, pn, conf, alt,
						      (int)param(params, "continuity_correction", 0), &i)
				    : stats_clopper_pearson_ci(px, pn, conf, alt, &i);
		put(r, "estimate", i.estimate);
		put(r, "ci_low", i.ci_low);
		put(r, "ci_high", i.ci_high);
	} else if (!strcmp(method, "newcombe_diff")) {
		struct stats_interval i;
		r->status = stats_newcombe_diff(param(params, "x1", NAN), param(params, "n1", NAN),
						param(params, "x2", NAN), param(params, "n2", NAN), conf,
						&i);
		put(r, "estimate", i.estimate);
		put(r, "ci_low", i.ci_low);
		put(r, "ci_high", i.ci_high);
	} else if (!strcmp(method, "p_adjust")) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(params, "method");
		enum stats_adjust_method am = !strcmp(m->valuestring, "holm") ? STATS_ADJUST_HOLM
					      : !strcmp(m->valuestring, "BH") ? STATS_ADJUST_BH
									      : STATS_ADJUST_BONFERRONI;
		quantiles[0] = malloc((nx ? nx : 1) * sizeof(double));
		r->status = stats_p_adjust(x, nx, am, quantiles[0]);
		*nprobs = nx;
	} else if (!strcmp(method, "quantile_ci")) {
		struct stats_quantile_ci q;
		r->status = stats_quantile_ci(x, nx, param(params, "prob", NAN), conf, &q);
		put(r, "n", (double)q.n);
		put(r, "rank_low", (double)q.rank_low);
		put(r, "rank_high", (double)q.rank_high);
		put(r, "ci_low", q.ci_low);
		put(r, "ci_high", q.ci_high);
		put(r, "coverage", q.coverage);
		put_bool(r, "achievable", q.achievable);
		put(r, "estimate", q.estimate);
	} else if (!strcmp(method, "fieller_ratio")) {
		struct stats_fieller f;
		r->status = stats_fieller_ratio(x, nx, y, ny, conf, &f);
		put(r, "estimate", f.estimate);
		put(r, "df", f.df);
		put(r, "t_crit", f.t_crit);
		put(r, "g", f.g);
		put_bool(r, "bounded", f.bounded);
		put(r, "ci_low", f.ci_low);
		put(r, "ci_high", f.ci_high);
	} else {
		known = 0;
	}
	free(x);
	free(y);
	return known;
}

static void tolerance_for(const cJSON *tol, const char *field, double *rel, double *abs_)
{
	*rel = param(tol, "rel", 0);
	*abs_ = param(tol, "abs", 0);
	const cJSON *pf = cJSON_GetObjectItemCaseSensitive(tol, "per_field");
	const cJSON *f = pf ? cJSON_GetObjectItemCaseSensitive(pf, field) : NULL;
	if (f) {
		*rel = param(f, "rel", *rel);
		*abs_ = param(f, "abs", *abs_);
	}
}

/* Compares a number with an expected JSON value ("inf", "-inf", "nan", null or a number). */
static int number_matches(double got, const cJSON *want, double rel, double abs_, int integer)
{
	if (cJSON_IsNull(want))
		return isnan(got);
	if (cJSON_IsString(want)) {
		if (!strcmp(want->valuestring, "inf"))
			return got == INFINITY;
		if (!strcmp(want->valuestring, "-inf"))
			return got == -INFINITY;
		if (!strcmp(want->valuestring, "nan"))
			return isnan(got);
		return 0;
	}
	if (!cJSON_IsNumber(want))
		return 0;
	double w = want->valuedouble;
	if (integer)
		return got == w;
	return fabs(got - w) <= abs_ + rel * fabs(w);
}

static int is_integer_json(const cJSON *v)
{
	/* cJSON keeps no integer flag; the oracle writes integers without '.' or 'e'. */
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	       fabs(v->valuedouble) < 1e15 && v->valueint == (int)v->valuedouble;
}

static int failures, checks, case_failed;

static void fail(const char *id, const char *field, const char *what)
{
	failures++;
	case_failed = 1;
	printf("# %s %s: %s\n", id, field, what);
}

static void check_case(const cJSON *c)
{
	const char *id = cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring;
	const char *method = cJSON_GetObjectItemCaseSensitive(c, "method")->valuestring;
	const cJSON *expected = cJSON_GetObjectItemCaseSensitive(c, "expected");
	const cJSON *tol = cJSON_GetObjectItemCaseSensitive(c, "tolerance");
	struct result r = { 0 };
	double *arrays[3] = { NULL, NULL, NULL };
	size_t narray = 0;
	checks++;
	case_failed = 0;
	if (!run(method, c, &r, arrays, &narray)) {
		fail(id, method, "unknown method");
		printf("not ok - oracle %s\n", id);
		return;
	}
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(expected, "error");
	char buf[256];
	if (err) {
		if (r.status != STATS_EZEROVAR) {
			snprintf(buf, sizeof buf, "expected error %s, got status %d", err->valuestring,
				 r.status);
			fail(id, "error", buf);
		}
		goto out;
	}
	if (r.status != STATS_OK) {
		snprintf(buf, sizeof buf, "status %d (%s)", r.status, stats_strerror(r.status));
		fail(id, "status", buf);
		goto out;
	}
	const cJSON *ci_error = cJSON_GetObjectItemCaseSensitive(expected, "ci_error");
	if (ci_error && r.ci_ok)
		fail(id, "ci_error", "expected no interval, got one");
	if (!ci_error && !r.ci_ok)
		fail(id, "ci_error", "interval missing");
	const cJSON *e;
	cJSON_ArrayForEach(e, expected)
	{
		const char *name = e->string;
		double rel, abs_;
		if (!strcmp(name, "ci_error"))
			continue;
		if (!strcmp(name, "quantiles") || !strcmp(name, "adjusted")) {
			const cJSON *arr;
			const char *names[3] = { "type1", "type7", "type8" };
			for (int t = 0; t < 3; t++) {
				arr = !strcmp(name, "adjusted")
					      ? (t == 0 ? e : NULL)
					      : cJSON_GetObjectItemCaseSensitive(e, names[t]);
				if (!arr)
					continue;
				tolerance_for(tol, name, &rel, &abs_);
				if ((size_t)cJSON_GetArraySize(arr) != narray) {
					fail(id, name, "length differs");
					continue;
				}
				for (size_t i = 0; i < narray; i++)
					if (!number_matches(arrays[t][i],
							    cJSON_GetArrayItem(arr, (int)i), rel, abs_, 0)) {
						snprintf(buf, sizeof buf, "[%s %zu] got %.17g want %.17g",
							 t ? names[t] : names[0], i, arrays[t][i],
							 cJSON_GetArrayItem(arr, (int)i)->valuedouble);
						fail(id, name, buf);
					}
			}
			continue;
		}
		const struct field *f = NULL;
		for (int i = 0; i < r.n; i++)
			if (!strcmp(r.f[i].name, name))
				f = &r.f[i];
		if (!f) {
			fail(id, name, "not produced");
			continue;
		}
		tolerance_for(tol, name, &rel, &abs_);
		int ok;
		if (f->kind == STR)
			ok = cJSON_IsString(e) && !strcmp(e->valuestring, f->str);
		else if (f->kind == BOOL)
			ok = cJSON_IsBool(e) && cJSON_IsTrue(e) == (f->num != 0);
		else
			ok = number_matches(f->num, e, rel, abs_,
					    is_integer_json(e) && (!strcmp(name, "n") ||
								   !strncmp(name, "rank", 4) ||
								   !strcmp(name, "n_used")));
		if (!ok) {
			snprintf(buf, sizeof buf, "got %.17g%s%s", f->num, f->str ? " " : "",
				 f->str ? f->str : "");
			char *want = cJSON_PrintUnformatted(e);
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " want %s", want);
			free(want);
			fail(id, name, buf);
		}
	}
out:
	printf("%s - oracle %s\n", case_failed ? "not ok" : "ok", id);
	for (int t = 0; t < 3; t++)
		free(arrays[t]);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	const char *dir = argc > 1 ? argv[1] : "tests/data/oracle";
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return 2;
	}
	char *names[64];
	int nnames = 0;
	struct dirent *ent;
	while ((ent = readdir(d)) && nnames < 64) {
		size_t len = strlen(ent->d_name);
		if (len > 5 && !strcmp(ent->d_name + len - 5, ".json"))
			names[nnames++] = strdup(ent->d_name);
	}
	closedir(d);
	qsort(names, (size_t)nnames, sizeof *names, by_name);
	int files = 0;
	for (int i = 0; i < nnames; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char *text = slurp(path);
		cJSON *cases = text ? cJSON_Parse(text) : NULL;
		if (!cases) {
			fail(names[i], "file", "unreadable or not JSON");
			printf("not ok - oracle file %s\n", names[i]);
		} else {
			const cJSON *c;
			cJSON_ArrayForEach(c, cases) check_case(c);
			files++;
		}
		cJSON_Delete(cases);
		free(text);
		free(names[i]);
	}
	printf("# oracle: %d cases in %d files, %d failures\n", checks, files, failures);
	return failures || checks == 0;
}
