/*
 * read_criterion.c - Criterion.rs's files under target/criterion/<benchmark>/new/:
 *
 *     sample.json     {"sampling_mode": "Linear", "iters": [...], "times": [...]}
 *     estimates.json  {"mean": {"point_estimate", "confidence_interval", ...}, "median", ...}
 *
 * sample.json is the measurement: each sample's total time (ns) over its iterations is one
 * value of ns_per_op, the metric Go's ns/op maps to. estimates.json holds Criterion's own
 * bootstrap estimates: their point estimates are stored as aggregates (mean_ns_per_op,
 * median_ns_per_op, std_dev_ns_per_op, median_abs_dev_ns_per_op, slope_ns_per_op).
 *
 * Neither file names its benchmark: the name is the path between the last "criterion/" and "/new"
 * (target/criterion/fib/10/new/sample.json -> benchmark=fib/10), else the directory above
 * new/ or base/; -s benchmark=NAME sets it for files kept elsewhere.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	char c = obl_first_char(f);
	if (c == '[') {
		/* before 0.3.3, sample.json was [[iters...],[times...]] */
		const char *p = memchr(f->data, '[', f->len);
		p++;
		while (p < f->data + f->len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
			p++;
		return p < f->data + f->len && *p == '[' ? 60 : 0;
	}
	if (c != '{')
		return 0;
	/* before 0.3.3: "Mean", "Median", "StdDev", "MedianAbsDev", "Slope" */
	if (obl_contains(f, "\"point_estimate\"") && obl_contains(f, "\"Mean\"") &&
	    obl_contains(f, "\"confidence_interval\""))
		return 85;
	if (obl_contains(f, "\"group_id\"") && obl_contains(f, "\"full_id\"") &&
	    obl_contains(f, "\"directory_name\""))
		return 80; /* benchmark.json: refused with the reason */
	if (obl_contains(f, "\"sampling_mode\"") && obl_contains(f, "\"iters\"") &&
	    obl_contains(f, "\"times\""))
		return 90;
	if (obl_contains(f, "\"point_estimate\"") && obl_contains(f, "\"confidence_interval\"") &&
	    obl_contains(f, "\"mean\""))
		return 85;
	return 0;
}

/* The benchmark's name from the file's path (see above), in place in buf (a copy of the
 * path); "" when the path says nothing. Returns where the name starts in buf. */
static const char *benchmark_name(char *buf)
{
	char *slash = strrchr(buf, '/');
	if (!slash)
		return "";
	*slash = 0; /* the directory */
	static const char *const kinds[] = { "/new", "/base", "/change" };
	for (size_t k = 0; k < 3; k++) {
		size_t len = strlen(buf), kl = strlen(kinds[k]);
		if (len > kl && !strcmp(buf + len - kl, kinds[k])) {
			buf[len - kl] = 0;
			break;
		}
	}
	const char *root = NULL; /* the last "criterion/": target/criterion/ of a checkout */
	for (const char *p = strstr(buf, "criterion/"); p; p = strstr(p + 1, "criterion/"))
		root = p;
	if (root)
		return root + strlen("criterion/");
	slash = strrchr(buf, '/');
	return slash ? slash + 1 : buf;
}

static int read_sample(const struct obl_json *doc, struct obl_trial_data *t,
		       struct obl_error *err)
{
	struct obl_values iters = { 0 }, times = { 0 };
	int has_iters, has_times;
	int rc = obl_json_get_numbers(doc, 0, "iters", &iters, &has_iters, err);
	if (!rc)
		rc = obl_json_get_numbers(doc, 0, "times", &times, &has_times, err);
	if (!rc && (!has_iters || !has_times))
		rc = obl_json_error(doc, 0, err, has_iters ? "times" : "iters",
				    "a Criterion sample needs both 'iters' and 'times'");
	if (!rc && iters.n != times.n)
		rc = obl_json_error(doc, obl_json_get(doc, 0, "times"), err, "times",
				    "has %zu entries but 'iters' has %zu", times.n, iters.n);
	struct obl_series *s = rc ? NULL : obl_trial_series(t, "ns_per_op", "ns", OBL_KIND_SAMPLE);
	if (!rc && !s)
		rc = OBL_ENOMEM;
	for (size_t i = 0; !rc && i < times.n; i++) {
		if (!(iters.v[i] >= 1) || !isfinite(times.v[i]) || times.v[i] < 0)
			rc = obl_json_error(doc, obl_json_get(doc, 0, "times"), err, "times",
					    "sample %zu: %g ns over %g iterations is not a time per "
					    "iteration",
					    i + 1, times.v[i], iters.v[i]);
		else if (obl_values_push(&s->values, times.v[i] / iters.v[i]))
			rc = OBL_ENOMEM;
	}
	obl_values_release(&iters);
	obl_values_release(&times);
	return rc;
}

/* sample.json before Criterion 0.3.3: [[iters...], [times...]]. */
static int read_sample_old(const struct obl_json *doc, struct obl_trial_data *t,
			   struct obl_error *err)
{
	size_t a = obl_json_first(doc, 0), b = a ? obl_json_next_sibling(doc, 0, a) : 0;
	if (!a || !b || obl_json_next_sibling(doc, 0, b) ||
	    doc->nodes[a].type != OBL_JSON_ARRAY || doc->nodes[b].type != OBL_JSON_ARRAY)
		return obl_json_error(doc, 0, err, NULL,
				      "expected Criterion's sample.json before 0.3.3: "
				      "[[iterations...], [times...]]");
	if (doc->nodes[a].count != doc->nodes[b].count)
		return obl_json_error(doc, b, err, "times", "has %u entries but the iterations %u",
				      doc->nodes[b].count, doc->nodes[a].count);
	size_t n = doc->nodes[a].count, bad;
	double *v = malloc((2 * n + 1) * sizeof *v);
	if (!v)
		return OBL_ENOMEM;
	int rc = OBL_OK;
	if (obl_json_numbers(doc, a, v, &bad) || obl_json_numbers(doc, b, v + n, &bad))
		rc = obl_json_error(doc, 0, err, NULL, "expected arrays of numbers");
	struct obl_series *s = rc ? NULL : obl_trial_series(t, "ns_per_op", "ns", OBL_KIND_SAMPLE);
	if (!rc && !s)
		rc = OBL_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		if (!(v[i] >= 1) || !isfinite(v[n + i]) || v[n + i] < 0)
			rc = obl_json_error(doc, b, err, "times",
					    "sample %zu: %g ns over %g iterations is not a time per "
					    "iteration",
					    i + 1, v[n + i], v[i]);
		else if (obl_values_push(&s->values, v[n + i] / v[i]))
			rc = OBL_ENOMEM;
	}
	free(v);
	return rc;
}

static int read_estimates(const struct obl_json *doc, struct obl_trial_data *t,
			  struct obl_error *err)
{
	static const char *const names[] = { "mean", "median", "std_dev", "median_abs_dev",
					     "slope" };
	/* the same estimates as Criterion named them before 0.3.3 */
	static const char *const old_names[] = { "Mean", "Median", "StdDev", "MedianAbsDev",
						 "Slope" };
	int found = 0;
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		size_t e = obl_json_get(doc, 0, names[k]);
		if (!e)
			e = obl_json_get(doc, 0, old_names[k]);
		if (!e || doc->nodes[e].type == OBL_JSON_NULL)
			continue; /* slope is null under flat sampling */
		if (doc->nodes[e].type != OBL_JSON_OBJECT)
			return obl_json_error(doc, e, err, names[k], "expected an estimate object");
		double v;
		int present;
		int rc = obl_json_get_number(doc, e, "point_estimate", &v, &present, err);
		if (rc)
			return rc;
		if (!present)
			continue;
		if (!isfinite(v) || v < 0)
			return obl_json_error(doc, obl_json_get(doc, e, "point_estimate"), err,
					      names[k], "%g is negative or not a number", v);
		char metric[64];
		snprintf(metric, sizeof metric, "%s_ns_per_op", names[k]);
		struct obl_series *s = obl_trial_series(t, metric, "ns", OBL_KIND_AGGREGATE);
		if (!s || obl_values_push(&s->values, v))
			return OBL_ENOMEM;
		found++;
	}
	if (!found)
		return obl_json_error(doc, 0, err, NULL, "no point estimates in this estimates.json");
	return OBL_OK;
}

static int read_criterion(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	struct obl_trial_data *t = NULL;
	char *path = strdup(doc->path);
	const char *name = path ? benchmark_name(path) : NULL;
	if (!path)
		rc = OBL_ENOMEM;
	else if (doc->nodes[0].type != OBL_JSON_OBJECT && doc->nodes[0].type != OBL_JSON_ARRAY)
		rc = obl_json_error(doc, 0, err, NULL,
				    "expected Criterion's sample.json or estimates.json");
	else if (doc->nodes[0].type == OBL_JSON_OBJECT && obl_json_get(doc, 0, "group_id") &&
		 !obl_json_get(doc, 0, "point_estimate"))
		rc = obl_json_error(doc, 0, err, NULL,
				    "Criterion's benchmark.json names the benchmark and holds no "
				    "measurement: ingest its sample.json (the samples) or "
				    "estimates.json");
	else if (strstr(doc->path, "/change/"))
		rc = obl_json_error(doc, 0, err, NULL,
				    "Criterion's change/ estimates are relative changes against "
				    "base/, not measurements: ingest new/ and base/ as two runs and "
				    "let obl-compare compare them");
	else if (!(t = obl_batch_trial(b)) || (*name && obl_trial_set_scenario(t, "benchmark", name)))
		rc = OBL_ENOMEM;
	else if (doc->nodes[0].type == OBL_JSON_ARRAY)
		rc = read_sample_old(doc, t, err);
	else if (obl_json_get(doc, 0, "iters"))
		rc = read_sample(doc, t, err);
	else
		rc = read_estimates(doc, t, err);
	if (!rc && !*name)
		obl_batch_warn(b, "%s: the path does not name the benchmark (.../criterion/NAME/new/): "
				  "give it with -s benchmark=NAME",
			       doc->path);
	free(path);
	return rc;
}

const struct obl_reader obl_reader_criterion = {
	"criterion",
	"Criterion.rs sample.json (per-sample times) and estimates.json",
	detect,
	NULL,
	read_criterion,
};
