/*
 * history.c - runs in order, series over them, change points and the gate (see history.h).
 */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "datetime.h"
#include "hashmap.h"
#include "parallel.h"
#include "stats.h"

struct obl_history_options obl_history_defaults(void)
{
	struct obl_history_options o;
	memset(&o, 0, sizeof o);
	o.order = OBL_ORDER_INGEST;
	o.stat = "median";
	o.alpha = 0.05;
	o.threshold = 0.02;
	o.confidence = 0.95;
	o.permutations = 199;
	o.min_runs = 2;
	o.window = 100;
	o.max_excursion = 3;
	o.seed = UINT64_C(0x6f626c2d68697374); /* "obl-hist": fixed, so output is reproducible */
	return o;
}

static char *dup(const char *s)
{
	return strdup(s ? s : "");
}

/* ---- Series ----------------------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return (h ^ 0xff) * UINT64_C(0x100000001b3);
}

static uint64_t series_hash(const char *canonical, const char *metric)
{
	return fnv(fnv(UINT64_C(0xcbf29ce484222325), canonical), metric);
}

static void series_release(struct obl_history_series *s)
{
	free(s->metric);
	free(s->unit);
	free(s->scenario_canonical);
	obl_kv_free(s->scenario, s->scenario_len);
	free(s->run);
	free(s->start);
	free(s->value);
	free(s->cps);
	free(s->excursions);
}

void obl_history_free(struct obl_history *h)
{
	for (size_t i = 0; h->runs && i < h->n_runs; i++) {
		free(h->runs[i].label);
		obl_kv_free(h->runs[i].tags, h->runs[i].n_tags);
	}
	free(h->runs);
	for (size_t i = 0; i < h->n_series; i++)
		series_release(&h->series[i]);
	free(h->series);
	free(h->slots);
	memset(h, 0, sizeof *h);
}

/* The slot of (canonical, metric): the series there, or an empty slot (SIZE_MAX). */
static size_t *slot_of(const struct obl_history *h, const char *canonical, const char *metric)
{
	size_t mask = h->n_slots - 1;
	for (size_t i = series_hash(canonical, metric) & mask;; i = (i + 1) & mask) {
		size_t *sl = &h->slots[i];
		if (*sl == SIZE_MAX || (!strcmp(h->series[*sl].metric, metric) &&
					!strcmp(h->series[*sl].scenario_canonical, canonical)))
			return sl;
	}
}

static int rehash(struct obl_history *h)
{
	size_t n = h->n_slots ? 2 * h->n_slots : 64;
	size_t *slots = malloc(n * sizeof *slots);
	if (!slots)
		return OBL_ENOMEM;
	for (size_t i = 0; i < n; i++)
		slots[i] = SIZE_MAX;
	free(h->slots);
	h->slots = slots;
	h->n_slots = n;
	for (size_t i = 0; i < h->n_series; i++)
		*slot_of(h, h->series[i].scenario_canonical, h->series[i].metric) = i;
	return OBL_OK;
}

static struct obl_history_series *series_for(struct obl_history *h, const char *metric,
					     const char *unit, enum obl_direction dir,
					     enum obl_metric_kind kind, const struct obl_kv *kv,
					     size_t n_kv, const char *canonical)
{
	if (2 * (h->n_series + 1) > h->n_slots && rehash(h))
		return NULL;
	size_t *sl = slot_of(h, canonical, metric);
	if (*sl != SIZE_MAX)
		return &h->series[*sl];
	if (h->n_series == h->series_alloc) {
		size_t want = h->series_alloc ? 2 * h->series_alloc : 16;
		struct obl_history_series *p = realloc(h->series, want * sizeof *p);
		if (!p)
			return NULL;
		h->series = p;
		h->series_alloc = want;
	}
	struct obl_history_series *s = &h->series[h->n_series];
	memset(s, 0, sizeof *s);
	s->metric = dup(metric);
	s->unit = dup(unit);
	s->scenario_canonical = dup(canonical);
	s->scenario = calloc(n_kv ? n_kv : 1, sizeof *s->scenario);
	s->start = malloc(sizeof *s->start);
	if (!s->metric || !s->unit || !s->scenario_canonical || !s->scenario || !s->start) {
		series_release(s);
		return NULL;
	}
	s->start[0] = 0;
	for (size_t i = 0; i < n_kv; i++) {
		s->scenario[i].key = dup(kv[i].key);
		s->scenario[i].value = dup(kv[i].value);
		s->scenario_len++;
		if (!s->scenario[i].key || !s->scenario[i].value) {
			series_release(s);
			return NULL;
		}
	}
	s->direction = dir;
	s->kind = kind;
	s->stat = kind == OBL_KIND_SAMPLE      ? h->opt.stat
		  : kind == OBL_KIND_AGGREGATE ? "mean"
					       : "rate";
	*sl = h->n_series++;
	return s;
}

static int add_point(struct obl_history_series *s, size_t run, const double *v, size_t n)
{
	if (s->n_points + 1 >= s->alloc) {
		size_t want = s->alloc ? 2 * s->alloc : 16;
		size_t *r = realloc(s->run, want * sizeof *r);
		if (!r)
			return OBL_ENOMEM;
		s->run = r;
		size_t *st = realloc(s->start, (want + 1) * sizeof *st);
		if (!st)
			return OBL_ENOMEM;
		s->start = st;
		s->alloc = want;
	}
	if (s->n_values + n > s->values_alloc) {
		size_t want = s->values_alloc ? 2 * s->values_alloc : 64;
		while (want < s->n_values + n)
			want *= 2;
		double *p = realloc(s->value, want * sizeof *p);
		if (!p)
			return OBL_ENOMEM;
		s->value = p;
		s->values_alloc = want;
	}
	memcpy(s->value + s->n_values, v, n * sizeof *v);
	s->n_values += n;
	s->run[s->n_points++] = run;
	s->start[s->n_points] = s->n_values;
	return OBL_OK;
}

int obl_history_add(struct obl_history *h, const char *metric, const char *unit,
		    enum obl_direction dir, enum obl_metric_kind kind,
		    const struct obl_kv *scenario, size_t scenario_len, size_t run, const double *v,
		    size_t n)
{
	char *canonical = obl_scenario_canonical(scenario, scenario_len);
	struct obl_history_series *s =
		canonical ? series_for(h, metric, unit, dir, kind, scenario, scenario_len, canonical)
			  : NULL;
	free(canonical);
	if (!s)
		return OBL_ENOMEM;
	if (n == 0)
		return OBL_OK; /* a gap */
	if (s->n_points && s->run[s->n_points - 1] >= run)
		return OBL_EUSAGE; /* points come in run order */
	return add_point(s, run, v, n);
}

double obl_history_point_level(const struct obl_history_series *s, size_t point)
{
	size_t a = s->start[point], b = s->start[point + 1];
	long double sum = 0;
	for (size_t i = a; i < b; i++)
		sum += s->value[i];
	return b > a ? (double)(sum / (b - a)) : NAN;
}

/* ---- Loading ---------------------------------------------------------------------------- */

/* The statistic of each repetition of a group into v (finite ones only); returns how many. */
static size_t repetition_values(const struct obl_group *g, struct obl_statistic stat,
				double *v, double *scratch)
{
	size_t n = 0;
	for (size_t t = 0; t < g->trials; t++) {
		const struct obl_values *pv = &g->per_trial[t];
		double x = NAN;
		if (g->kind == OBL_KIND_PROPORTION) {
			if (!isnan(g->totals[t]) && g->totals[t] > 0)
				x = g->successes[t] / g->totals[t];
			else if (pv->n)
				x = obl_values_statistic(pv, obl_stat_mean, scratch);
		} else {
			x = obl_values_statistic(pv, g->kind == OBL_KIND_AGGREGATE ? obl_stat_mean : stat,
						 scratch);
		}
		if (isfinite(x))
			v[n++] = x;
	}
	return n;
}

struct order_key {
	const char *key; /* text order (NULL: none) */
	size_t index;    /* ingestion order */
	long rank;       /* commit order */
	double when;     /* time order: the tag read as an instant or a number */
};

/* Text with its numbers compared as numbers: "rc9" before "rc10", "v1.9" before "v1.10". */
static int natural_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = strncmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += nb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return (*a != 0) - (*b != 0);
}

static int by_key_then_index(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	int c = a->key && b->key ? natural_compare(a->key, b->key) : 0;
	if (c)
		return c;
	return (a->index > b->index) - (a->index < b->index);
}

static int by_string(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

int obl_history_set_order(struct obl_history_options *o, const char *order_by,
			  const char *commits, struct obl_error *err)
{
	if (order_by && !*order_by)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--order-by",
				     "expected ingest, a tag such as date, or commit");
	if (order_by && !strcmp(order_by, "ingest")) {
		if (commits)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--commits",
					     "orders the runs by commit, which --order-by ingest "
					     "contradicts: drop one of them");
		o->order = OBL_ORDER_INGEST;
		return OBL_OK;
	}
	if (order_by && !strcmp(order_by, "commit") && !commits)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--order-by",
				     "commit needs the order of the commits: --commits FILE (git "
				     "rev-list HEAD > FILE), or --commits - with git rev-list HEAD "
				     "piped in; a hash's text says nothing of its age");
	if (commits) {
		o->order = OBL_ORDER_COMMIT; /* looked up by the commit tag, or the one named */
		o->order_tag = order_by ? order_by : "commit";
		o->commits = commits;
	} else if (order_by) {
		o->order = OBL_ORDER_TAG;
		o->order_tag = order_by;
	}
	return OBL_OK;
}

/* The commits of a file (newest first, as git rev-list prints them), sorted for lookup with
 * their positions from the oldest; "hash" lines, or "hash rest" (only the first word). */
struct commit_list {
	char **sorted; /* "hash\0" followed by its decimal position from the newest */
	size_t n;
	size_t lines; /* hashes listed, repeats included: positions are below it */
};

static void commits_free(struct commit_list *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->sorted[i]);
	free(c->sorted);
	c->sorted = NULL;
	c->n = 0;
}

static size_t commit_position(const char *entry)
{
	return (size_t)strtoull(entry + strlen(entry) + 1, NULL, 10);
}

/* A hash listed twice (git rev-list never repeats one; a list made by hand may) counts where
 * it first appears, the newest place. */
static void commits_unique(struct commit_list *c)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (k && !strcmp(c->sorted[k - 1], c->sorted[i])) {
			if (commit_position(c->sorted[i]) < commit_position(c->sorted[k - 1])) {
				free(c->sorted[k - 1]);
				c->sorted[k - 1] = c->sorted[i];
			} else {
				free(c->sorted[i]);
			}
			continue;
		}
		c->sorted[k++] = c->sorted[i];
	}
	c->n = k;
}

static int commits_read(const char *path, struct commit_list *c, struct obl_error *err)
{
	memset(c, 0, sizeof *c);
	int from_stdin = !strcmp(path, "-");
	FILE *f = from_stdin ? stdin : fopen(path, "r");
	if (!f)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "cannot open: %s",
				     strerror(errno));
	if (from_stdin)
		path = "standard input";
	char line[512];
	size_t alloc = 0, lineno = 0;
	int rc = OBL_OK;
	while (!rc && fgets(line, sizeof line, f)) {
		lineno++;
		char *w = line + strspn(line, " \t");
		size_t len = strcspn(w, " \t\r\n");
		if (len == 0 || *w == '#')
			continue;
		if (len < 4 || strspn(w, "0123456789abcdefABCDEF") < len) {
			rc = obl_error_set(err, OBL_EINPUT, path, (long)lineno, NULL,
					   "'%.*s' is not a commit hash", (int)(len > 60 ? 60 : len), w);
			break;
		}
		if (c->n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			char **p = realloc(c->sorted, alloc * sizeof *p);
			if (!p) {
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			c->sorted = p;
		}
		char *e = malloc(len + 24);
		if (!e) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		memcpy(e, w, len);
		e[len] = 0;
		for (size_t i = 0; i < len; i++)
			e[i] = (char)(e[i] >= 'A' && e[i] <= 'F' ? e[i] - 'A' + 'a' : e[i]);
		snprintf(e + len + 1, 23, "%zu", c->n); /* position from the newest, for now */
		c->sorted[c->n++] = e;
	}
	if (!from_stdin)
		fclose(f);
	if (rc) {
		commits_free(c);
		return rc;
	}
	c->lines = c->n;
	qsort(c->sorted, c->n, sizeof *c->sorted, by_string);
	commits_unique(c);
	return OBL_OK;
}

/* Position of a commit from the oldest (0), or -1: a tag matches a listed hash when they are
 * equal, else when one is a prefix of the other (abbreviated hashes); an ambiguous prefix
 * matches nothing. */
static long commit_rank(const struct commit_list *c, const char *hash)
{
	char h[128];
	size_t len = strlen(hash);
	if (len < 4 || len >= sizeof h)
		return -1;
	for (size_t i = 0; i <= len; i++)
		h[i] = (char)(hash[i] >= 'A' && hash[i] <= 'F' ? hash[i] - 'A' + 'a' : hash[i]);
	size_t lo = 0, hi = c->n; /* first entry >= h */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->sorted[mid], h) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	long found = -1;
	int matches = 0;
	for (size_t i = lo > 0 ? lo - 1 : 0; i < c->n && i <= lo + 1; i++) {
		const char *e = c->sorted[i];
		size_t el = strlen(e), m = el < len ? el : len;
		if (!strncmp(e, h, m)) {
			if (el == len) /* the whole hash, however many it abbreviates */
				return (long)(c->lines - 1 - commit_position(e));
			matches++;
			found = (long)(c->lines - 1 - commit_position(e));
		}
	}
	return matches == 1 ? found : -1;
}

static const char *tag_value(const struct obl_history_run *r, const char *key)
{
	for (size_t i = 0; i < r->n_tags; i++)
		if (!strcmp(r->tags[i].key, key))
			return r->tags[i].value;
	return NULL;
}

/* A tag's value as an instant; a run whose files carry different dates has "first .. last"
 * (the store's range of a provenance tag), placed by the earlier. */
static int tag_instant(const char *value, double *when)
{
	const char *dots = strstr(value, " .. ");
	if (!dots)
		return obl_datetime_parse(value, when);
	char first[128];
	double a, b;
	if ((size_t)(dots - value) >= sizeof first)
		return -1;
	memcpy(first, value, (size_t)(dots - value));
	first[dots - value] = 0;
	if (obl_datetime_parse(first, &a) || obl_datetime_parse(dots + 4, &b))
		return -1;
	*when = a < b ? a : b;
	return 0;
}

/* A plain number, as a build number or Unix time is written ("17", "1737929711.5"). */
static int plain_number(const char *v)
{
	v += *v == '-';
	size_t n = strspn(v, "0123456789");
	return n && (!v[n] || (v[n] == '.' && v[n + 1] && !v[n + 1 + strspn(v + n + 1, "0123456789")]));
}

/* Keys of a tag order. A tag named date, or one with a calendar date or time among its values,
 * is put in time order, every value read as an instant (Unix seconds too); one that cannot
 * be read is refused, naming its run: a text order would put "Nov 5 2026" after every ISO
 * date and the gate would judge the wrong run. Any other tag is text with its numbers
 * compared as numbers: build 9 before 10, version 1.9 before 1.10 (as numbers, 1.10 < 1.9). */
static int tag_keys(const struct obl_history *h, struct order_key *keys, const char *path,
		    struct obl_error *err)
{
	const char *tag = h->opt.order_tag;
	size_t calendar = 0, unreadable = SIZE_MAX;
	for (size_t i = 0; i < h->n_runs; i++) {
		if (tag_instant(keys[i].key, &keys[i].when))
			unreadable = unreadable == SIZE_MAX ? i : unreadable;
		else
			calendar += !plain_number(keys[i].key);
	}
	int time_order = !strcmp(tag, "date") || calendar > 0;
	if (time_order && unreadable == SIZE_MAX) {
		for (size_t i = 0; i < h->n_runs; i++)
			keys[i].key = NULL;
		return OBL_OK;
	}
	for (size_t i = 0; i < h->n_runs; i++)
		keys[i].when = 0;
	if (!time_order)
		return OBL_OK;
	return obl_error_set(err, OBL_EINPUT, path, 0, h->runs[unreadable].label,
			     "%s=%s is not a date, time or number obl reads, so the runs cannot "
			     "be put in time order (forms: 2026-11-24, 2026-11-24T15:59:30+01:00, "
			     "20261124-155930, Unix seconds; see obl-history(1)); store the run "
			     "again with a readable one (obl-runs remove, obl-ingest -t "
			     "%s=2026-11-24) or order by another tag",
			     tag, keys[unreadable].key, tag);
}

/* Puts h->runs in the order the options ask for. */
static int order_runs(struct obl_history *h, const char *path, struct obl_error *err)
{
	const struct obl_history_options *o = &h->opt;
	if (o->order == OBL_ORDER_INGEST)
		return OBL_OK;
	const char *tag = o->order_tag ? o->order_tag : "commit";
	struct commit_list commits = { 0 };
	int rc = o->order == OBL_ORDER_COMMIT ? commits_read(o->commits, &commits, err) : OBL_OK;
	struct order_key *keys = rc ? NULL : malloc((h->n_runs ? h->n_runs : 1) * sizeof *keys);
	if (!rc && !keys)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < h->n_runs; i++) {
		const char *v = tag_value(&h->runs[i], tag);
		keys[i] = (struct order_key){ v, i, 0, 0 };
		if (!v)
			rc = obl_error_set(err, OBL_EINPUT, path, 0, h->runs[i].label,
					   "this run has no tag '%s' to order by (obl-ingest -t "
					   "%s=...)",
					   tag, tag);
		else if (o->order == OBL_ORDER_COMMIT) {
			keys[i].rank = commit_rank(&commits, v);
			keys[i].key = NULL;
			if (keys[i].rank < 0)
				rc = obl_error_set(err, OBL_EINPUT, o->commits, 0, h->runs[i].label,
						   "commit '%s' of this run is not in the list (or "
						   "its prefix is ambiguous)",
						   v);
		}
	}
	if (!rc && o->order == OBL_ORDER_TAG)
		rc = tag_keys(h, keys, path, err);
	if (!rc) {
		qsort(keys, h->n_runs, sizeof *keys, by_key_then_index);
		struct obl_history_run *runs = malloc((h->n_runs ? h->n_runs : 1) * sizeof *runs);
		if (!runs)
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		for (size_t i = 0; !rc && i < h->n_runs; i++)
			runs[i] = h->runs[keys[i].index];
		if (!rc) {
			free(h->runs);
			h->runs = runs;
		}
	}
	free(keys);
	commits_free(&commits);
	return rc;
}

/* Reading the series one after another (obl_store_each_group in series order): the points of
 * the series being read, then its change points found as soon as it is whole, a few series at
 * a time (one a thread), and of each analysed series only what the outputs need kept. */
struct loader {
	struct obl_history *h;
	struct obl_statistic stat;
	struct obl_hashmap runs; /* label -> run index (runs kept by --last only) */
	int analyse;
	int by_run;      /* reading run by run (the newest runs only): every series at once */
	size_t current;  /* the series being read (SIZE_MAX: none) */
	size_t *pending; /* whole series waiting for their change points */
	size_t n_pending, max_pending;
	double *v, *scratch;
	size_t v_alloc, scratch_alloc;
};

struct label_key {
	const struct obl_history *h;
	const char *label;
};

static int label_equal(const void *ctx, size_t item)
{
	const struct label_key *k = ctx;
	return !strcmp(k->h->runs[item].label, k->label);
}

static uint64_t label_hash(const char *label)
{
	return obl_hash_bytes(label, strlen(label));
}

static int by_size_pair(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Points of a series in run order (the store gives them in creation order, the history may
 * be in another). */
static int sort_points(struct obl_history_series *s)
{
	size_t i = 1;
	while (i < s->n_points && s->run[i - 1] < s->run[i])
		i++;
	if (i >= s->n_points)
		return OBL_OK;
	size_t n = s->n_points;
	size_t(*key)[2] = malloc(n * sizeof *key);
	double *value = malloc((s->n_values ? s->n_values : 1) * sizeof *value);
	size_t *start = malloc((s->alloc + 1) * sizeof *start);
	if (!key || !value || !start) {
		free(key);
		free(value);
		free(start);
		return OBL_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		key[i][0] = s->run[i];
		key[i][1] = i;
	}
	/* insertion sort would be quadratic for a reversed order: qsort on (run, point) */
	qsort(key, n, sizeof *key, by_size_pair);
	size_t at = 0;
	start[0] = 0;
	for (i = 0; i < n; i++) {
		size_t p = key[i][1], a = s->start[p], b = s->start[p + 1];
		memcpy(value + at, s->value + a, (b - a) * sizeof *value);
		at += b - a;
		s->run[i] = key[i][0];
		start[i + 1] = at;
	}
	free(key);
	free(s->value);
	free(s->start);
	s->value = value;
	s->values_alloc = s->n_values ? s->n_values : 1;
	s->start = start;
	return OBL_OK;
}

/* After its change points are found, a series keeps one value a run: its level (the mean of
 * its repetitions), which the sparkline and the report's chart show. */
static int compact(struct obl_history_series *s)
{
	for (size_t i = 0; i < s->n_points; i++) {
		double level = obl_history_point_level(s, i);
		s->value[i] = level; /* i <= start[i]: never overwrites what is still to be read */
		s->start[i] = i;
	}
	s->start[s->n_points] = s->n_points;
	s->n_values = s->n_points;
	double *v = realloc(s->value, (s->n_points ? s->n_points : 1) * sizeof *v);
	if (v) {
		s->value = v;
		s->values_alloc = s->n_points ? s->n_points : 1;
	}
	size_t *st = realloc(s->start, (s->n_points + 1) * sizeof *st);
	if (st)
		s->start = st;
	size_t *r = realloc(s->run, (s->n_points ? s->n_points : 1) * sizeof *r);
	if (r)
		s->run = r;
	s->alloc = s->n_points;
	s->compact = 1;
	return OBL_OK;
}

static int flush_pending(struct loader *l, struct obl_error *err);

/* The series being read is whole. */
static int finish_series(struct loader *l, struct obl_error *err)
{
	if (l->current == SIZE_MAX)
		return OBL_OK;
	struct obl_history_series *s = &l->h->series[l->current];
	l->current = SIZE_MAX;
	if (sort_points(s))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!l->analyse)
		return OBL_OK;
	l->pending[l->n_pending++] = (size_t)(s - l->h->series);
	return l->n_pending == l->max_pending ? flush_pending(l, err) : OBL_OK;
}

struct pending_job {
	struct obl_history *h;
	const size_t *which;
	int *rc;
	struct obl_error *err;
};

static void detect_pending(void *ctx, size_t i)
{
	struct pending_job *job = ctx;
	struct obl_history_series *s = &job->h->series[job->which[i]];
	obl_error_clear(&job->err[i]);
	job->rc[i] = obl_history_detect_series(job->h, s, &job->err[i]);
	if (!job->rc[i])
		compact(s);
}

/* The change points of the whole series waiting, in parallel (each its own seeds: the output
 * does not depend on the threads). */
static int flush_pending(struct loader *l, struct obl_error *err)
{
	int rc[OBL_PARALLEL_MAX];
	struct obl_error errs[OBL_PARALLEL_MAX];
	struct pending_job job = { l->h, l->pending, rc, errs };
	obl_parallel_for(l->n_pending, detect_pending, &job);
	int status = OBL_OK;
	for (size_t i = 0; i < l->n_pending && !status; i++)
		if (rc[i]) {
			*err = errs[i];
			status = rc[i];
		}
	l->n_pending = 0;
	return status;
}

static int same_series(const struct obl_history_series *s, const struct obl_group *g)
{
	return !strcmp(s->metric, g->metric) && !strcmp(s->scenario_canonical, g->scenario_canonical);
}

static int load_group(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	struct loader *l = ctx;
	struct obl_history *h = l->h;
	const struct label_key key = { h, g->run };
	size_t r = obl_hashmap_get(&l->runs, label_hash(g->run), label_equal, &key);
	if (r == OBL_HASHMAP_NONE)
		return OBL_OK; /* a run left out (--last) */
	if (!l->by_run && l->current != SIZE_MAX && !same_series(&h->series[l->current], g)) {
		int rc = finish_series(l, err);
		if (rc)
			return rc;
	}
	size_t most = 1;
	for (size_t t = 0; t < g->trials; t++)
		most = g->per_trial[t].n > most ? g->per_trial[t].n : most;
	if (g->trials > l->v_alloc) {
		free(l->v);
		l->v_alloc = g->trials;
		l->v = malloc(l->v_alloc * sizeof *l->v);
	}
	if (most > l->scratch_alloc) {
		free(l->scratch);
		l->scratch_alloc = most;
		l->scratch = malloc(most * sizeof *l->scratch);
	}
	if (!l->v || !l->scratch) {
		l->v_alloc = l->scratch_alloc = 0;
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	struct obl_history_series *se = series_for(h, g->metric, g->unit, g->direction, g->kind,
						   g->scenario, g->scenario_len,
						   g->scenario_canonical);
	if (!se)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (se->compact)
		return obl_error_set(err, OBL_EINPUT, NULL, 0, g->metric,
				     "the store gave the groups of a series apart");
	if (!l->by_run)
		l->current = (size_t)(se - h->series);
	size_t k = repetition_values(g, l->stat, l->v, l->scratch);
	if (k && add_point(se, r, l->v, k))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	return OBL_OK;
}

/* --metric or --scenario matched no series: which part matches nothing, with the closest
 * name the newest run has ("did you mean ttft_ms?"), as obl-stats and obl-compare say it. */
static int explain_filter(struct obl_store *s, const char *path, const struct obl_history *h,
			  const struct obl_history_options *opt, struct obl_error *err)
{
	struct obl_group *g = NULL;
	size_t n = 0;
	const struct obl_store_filter newest = { h->runs[h->n_runs - 1].label, NULL, NULL, 0 };
	int rc = obl_store_groups(s, &newest, &g, &n, err);
	struct obl_db_compare_options o = { 0 };
	o.metric = opt->metric;
	o.scenario = opt->scenario;
	o.scenario_len = opt->scenario_len;
	if (!rc)
		rc = obl_filter_explain(g, n, path, &o, err);
	if (!rc) /* each part matches something, but not together */
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, NULL,
				   "no series has the metric and scenario asked for");
	obl_groups_free(g, n);
	return rc;
}

static int load(struct obl_store *s, const char *path, const struct obl_history_options *opt,
		struct obl_history *h, int analyse, struct obl_error *err)
{
	memset(h, 0, sizeof *h);
	h->opt = *opt;
	struct loader l;
	memset(&l, 0, sizeof l);
	l.h = h;
	l.analyse = analyse;
	l.current = SIZE_MAX;
	if (!obl_statistic_parse(opt->stat, &l.stat) || l.stat.kind == OBL_STAT_RATE)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--stat",
				     "'%s' is not mean, median or pNN", opt->stat);
	char **labels = NULL;
	size_t n = 0;
	int rc = obl_store_runs(s, &labels, &n, err);
	if (!rc && n && !(h->runs = calloc(n, sizeof *h->runs)))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		h->runs[i].label = labels[i];
		labels[i] = NULL;
		h->n_runs++;
		rc = obl_store_run_tags(s, h->runs[i].label, &h->runs[i].tags, &h->runs[i].n_tags,
					err);
	}
	obl_store_names_free(labels, n);
	if (!rc)
		rc = order_runs(h, path, err);
	/* only the newest runs, when asked (the gate needs the level since the last change) */
	if (!rc && opt->last && h->n_runs > opt->last) {
		size_t drop = h->n_runs - opt->last;
		for (size_t i = 0; i < drop; i++) {
			free(h->runs[i].label);
			obl_kv_free(h->runs[i].tags, h->runs[i].n_tags);
		}
		memmove(h->runs, h->runs + drop, opt->last * sizeof *h->runs);
		h->n_runs = opt->last;
	}
	if (!rc && obl_hashmap_reserve(&l.runs, h->n_runs))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < h->n_runs; i++) {
		const struct label_key key = { h, h->runs[i].label };
		if (obl_hashmap_put(&l.runs, label_hash(key.label), i, label_equal, &key) ==
		    OBL_HASHMAP_NONE)
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	l.max_pending = obl_parallel_threads();
	if (l.max_pending > OBL_PARALLEL_MAX)
		l.max_pending = OBL_PARALLEL_MAX;
	if (!rc && !(l.pending = malloc(l.max_pending * sizeof *l.pending)))
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc && h->n_runs < n) {
		/* the newest runs only (--last, as the gate reads them): run by run, every series
		 * of them at once, each analysed at the end */
		l.by_run = 1;
		for (size_t r = 0; !rc && r < h->n_runs; r++) {
			const struct obl_store_filter f = { h->runs[r].label, opt->metric, opt->scenario,
							    opt->scenario_len };
			rc = obl_store_each_group(s, &f, OBL_ORDER_RUN, load_group, &l, err);
		}
		for (size_t i = 0; !rc && i < h->n_series; i++) {
			l.current = i;
			rc = finish_series(&l, err);
		}
	} else if (!rc) {
		/* one series after another, each analysed once whole */
		const struct obl_store_filter f = { NULL, opt->metric, opt->scenario,
						    opt->scenario_len };
		rc = obl_store_each_group(s, &f, OBL_ORDER_SERIES, load_group, &l, err);
		if (!rc)
			rc = finish_series(&l, err);
	}
	if (!rc && !h->n_series && h->n_runs && (opt->metric || opt->scenario_len))
		rc = explain_filter(s, path, h, opt, err);
	if (!rc && l.n_pending)
		rc = flush_pending(&l, err);
	free(l.v);
	free(l.scratch);
	free(l.pending);
	obl_hashmap_free(&l.runs);
	if (rc)
		obl_history_free(h);
	return rc;
}

int obl_history_load(struct obl_store *s, const char *path,
		     const struct obl_history_options *opt, struct obl_history *h,
		     struct obl_error *err)
{
	return load(s, path, opt, h, 0, err);
}

int obl_history_analyse(struct obl_store *s, const char *path,
			const struct obl_history_options *opt, struct obl_history *h,
			struct obl_error *err)
{
	return load(s, path, opt, h, 1, err);
}

/* ---- Change points ---------------------------------------------------------------------- */

static int by_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* The level of points [a, b): median of their repetitions with its distribution-free
 * interval. */
static int level_of(const struct obl_history *h, const struct obl_history_series *s, size_t a,
		    size_t b, struct obl_history_level *out)
{
	size_t lo = s->start[a], n = s->start[b] - lo;
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return OBL_ENOMEM;
	memcpy(v, s->value + lo, n * sizeof *v);
	qsort(v, n, sizeof *v, by_double);
	out->center = stats_quantile_sorted(v, n, 0.5, 7);
	struct stats_quantile_ci ci;
	if (stats_quantile_ci_sorted(v, n, 0.5, h->opt.confidence, &ci) == STATS_OK) {
		out->ci_low = ci.ci_low;
		out->ci_high = ci.ci_high;
	} else {
		out->ci_low = out->ci_high = NAN;
	}
	out->n_runs = b - a;
	free(v);
	return OBL_OK;
}

/* The median of the repetitions of points [a, b), through `scratch` (room for them). */
static double median_of(const struct obl_history_series *s, size_t a, size_t b, double *scratch)
{
	size_t lo = s->start[a], n = s->start[b] - lo;
	memcpy(scratch, s->value + lo, n * sizeof *scratch);
	return stats_quantile_select(scratch, n, 0.5, 7);
}

/* The relative size of a change at tau between points a and b as obl-compare estimates it for
 * medians, without the interval (the dear part of obl_compare_samples): for positive values
 * exp(HL) - 1 with HL the Hodges-Lehmann shift of the log values, else the shift over the
 * earlier median. NaN when out of memory. */
static double shift_between(const struct obl_history_series *s, size_t xa, size_t xb, size_t ya,
			    size_t yb)
{
	const double *x = s->value + s->start[xa], *y = s->value + s->start[ya];
	size_t nx = s->start[xb] - s->start[xa], ny = s->start[yb] - s->start[ya];
	if (nx == 0 || ny == 0)
		return NAN;
	double *lx = malloc(nx * sizeof *lx), *ly = malloc(ny * sizeof *ly);
	double est = NAN;
	if (!lx || !ly)
		goto done;
	int positive = 1;
	for (size_t i = 0; i < nx && positive; i++)
		positive = x[i] > 0;
	for (size_t i = 0; i < ny && positive; i++)
		positive = y[i] > 0;
	/* y - x as the sums y + (-x): both sorted ascending */
	for (size_t i = 0; i < nx; i++)
		lx[i] = positive ? -log(x[i]) : -x[i];
	for (size_t i = 0; i < ny; i++)
		ly[i] = positive ? log(y[i]) : y[i];
	if (stats_sort(lx, nx) != STATS_OK || stats_sort(ly, ny) != STATS_OK)
		goto done;
	uint64_t m = (uint64_t)nx * ny, k[2] = { (m + 1) / 2, m / 2 + 1 };
	double v[2], hl;
	double *d = m <= (1u << 18) ? malloc(m * sizeof *d) : NULL;
	if (d) { /* a window's worth of pairs: a selection among all of them is cheapest */
		for (size_t j = 0, at = 0; j < ny; j++)
			for (size_t i = 0; i < nx; i++)
				d[at++] = ly[j] + lx[i];
		hl = stats_quantile_select(d, (size_t)m, 0.5, 7); /* type 7: the mean of the two middle */
		free(d);
	} else if (stats_select_pairwise_sums(ly, ny, lx, nx, 0, k, m % 2 ? 1 : 2, v) == STATS_OK) {
		hl = m % 2 ? v[0] : (v[0] + v[1]) / 2;
	} else {
		goto done;
	}
	if (positive) {
		est = expm1(hl);
	} else {
		double mx = stats_quantile_select(lx, nx, 0.5, 7); /* of -x */
		est = -mx > 0 ? hl / -mx : NAN;
	}
done:
	free(lx);
	free(ly);
	return est;
}

static double shift_estimate(const struct obl_history_series *s, size_t a, size_t tau, size_t b)
{
	return shift_between(s, a, tau, tau, b);
}

/* The levels on either side of a change at tau between points a and b, and the size of the
 * change as obl-compare estimates it for medians: the Hodges-Lehmann shift over the earlier
 * level's median, with its interval. */
static int describe_change(const struct obl_history *h, const struct obl_history_series *s,
			   size_t a, size_t tau, size_t b, struct obl_change_point *cp)
{
	const struct obl_history_options *o = &h->opt;
	if (level_of(h, s, a, tau, &cp->before) || level_of(h, s, tau, b, &cp->after))
		return OBL_ENOMEM;
	struct obl_compare_options co = obl_compare_defaults();
	co.method = OBL_METHOD_MANN_WHITNEY;
	co.confidence = o->confidence;
	co.alpha = o->alpha;
	co.threshold = o->threshold;
	struct obl_comparison row;
	struct obl_error ignored;
	/* the relative change from the runs within a window of the change (all of both levels
	 * when shorter): what the change point was tested on, and an interval whose cost does
	 * not grow with the length of a level that held for thousands of runs */
	const size_t window = o->window ? o->window : SIZE_MAX;
	size_t ra = tau - a > window ? tau - window : a, rb = b - tau > window ? tau + window : b;
	const double *x = s->value + s->start[ra];
	size_t nx = s->start[tau] - s->start[ra], ny = s->start[rb] - s->start[tau];
	if (obl_compare_samples(x, nx, x + nx, ny, &co, &row, &ignored) == OBL_OK &&
	    isfinite(row.relative.estimate))
		cp->relative = row.relative;
	else
		cp->relative = (struct obl_estimate){ cp->after.center / cp->before.center - 1, NAN,
						      NAN, NULL };
	cp->relative.reason = NULL;
	double rel = cp->relative.estimate;
	cp->regression = s->direction == OBL_DIRECTION_NONE    ? -1
			 : s->direction == OBL_LOWER_IS_BETTER ? rel > 0
							       : rel < 0;
	return OBL_OK;
}

/* One series' search: the work space of the permutation test and the block starts of the
 * segment tested, reused by every segment (a search tests hundreds of short ones). */
struct search {
	const struct obl_history *h;
	const struct obl_history_series *s;
	struct stats_ediv *e;    /* made by the first test */
	size_t *start;           /* n_points + 1 */
	double *scratch;         /* n_values, for medians */
	double *run_mean;        /* n_points: each run's mean (of the log values when all are positive) */
	long double *sum, *sum2; /* n_points + 1: prefix sums of run_mean and of its squares */
	double level;            /* of the tests (alpha; stricter for the seeded intervals) */
	double run_level;        /* of runs_differ, for the seeded intervals (0: not asked) */
	size_t permutations;     /* drawn at most per test */
};

/* Whether the runs on either side of tau in [a, b) differ by more than the runs on each side
 * differ among themselves: Student's t on each run's mean (of the log values, when all are
 * positive), runs as the unit, two-sided p at most `level`. The permutation test takes the
 * repetitions for exchangeable within a level; when nights differ more than repetitions do
 * (a machine, a driver, the weather of a shared cluster), two or three nights that happen to
 * lie high would be a change by it alone, and the more so in the short segments the seeded
 * intervals test. */
static int runs_differ(const struct search *se, size_t a, size_t tau, size_t b, double level)
{
	struct stats_ttest t;
	int rc = stats_student_t(se->run_mean + a, tau - a, se->run_mean + tau, b - tau,
				 STATS_TWO_SIDED, 0.95, 0, &t);
	if (rc) /* no spread within either side (the change is certain), or one run a side */
		return 1;
	return t.p_value <= level;
}

/* Whether runs_differ could hold at any split of [a, b) the search may keep: Student's t at
 * every split from the prefix sums, against the critical value of the level (the df are the
 * same for every split). A seeded interval where none could is not evaluated at all: the
 * search's cheap first filter. */
static int some_split_differs(const struct search *se, size_t a, size_t b, double level)
{
	const struct obl_history_options *o = &se->h->opt;
	size_t min_left = o->min_runs ? o->min_runs : 1;
	size_t min_right = b == se->s->n_points ? 1 : min_left;
	if (b - a < 3)
		return 1; /* no t test: runs_differ does not object */
	double crit = stats_t_quantile(1 - level / 2, (double)(b - a - 2));
	if (!isfinite(crit))
		return 1;
	crit *= 1 - 1e-9; /* rounding must not make the filter stricter than the test */
	for (size_t tau = a + min_left; tau + min_right <= b; tau++) {
		long double m = (long double)(tau - a), k = (long double)(b - tau);
		long double sl = se->sum[tau] - se->sum[a], sr = se->sum[b] - se->sum[tau];
		long double ss = (se->sum2[tau] - se->sum2[a]) - sl * sl / m +
				 (se->sum2[b] - se->sum2[tau]) - sr * sr / k;
		long double var = ss / (m + k - 2), d = sr / k - sl / m;
		if (!(var > 0))
			return 1; /* no spread */
		if (d * d / (var * (1 / m + 1 / k)) >= (long double)crit * crit)
			return 1;
	}
	return 0;
}

/* Tests the points [a, b) of the series for one split; *accepted when it is significant at
 * `level` (se->level: alpha, or the seeded intervals' stricter level) and at least the
 * threshold in size. With `screen` the permutations are not drawn: *accepted tells whether
 * the split reaches the threshold, and *q is its statistic. */
static int test_segment(struct search *se, size_t a, size_t b, int screen,
			struct obl_change_point *cp, double *q, int *accepted,
			struct obl_error *err)
{
	const struct obl_history *h = se->h;
	const struct obl_history_series *s = se->s;
	const struct obl_history_options *o = &h->opt;
	const size_t permutations = se->permutations;
	*accepted = 0;
	size_t nb = b - a;
	size_t min_left = o->min_runs, min_right = b == s->n_points ? 1 : o->min_runs;
	if (nb < min_left + min_right)
		return OBL_OK;
	size_t *start = se->start;
	for (size_t i = 0; i <= nb; i++)
		start[i] = s->start[a + i] - s->start[a];
	/* the seed depends on the series and the segment only: a segment that does not change
	 * when runs are added gives the same answer */
	uint64_t seed = o->seed ^ series_hash(s->scenario_canonical, s->metric) ^
			((uint64_t)a * UINT64_C(0x9e3779b97f4a7c15)) ^
			((uint64_t)b * UINT64_C(0xc2b2ae3d27d4eb4f));
	/* where Q is largest (one evaluation; the work space, sorted once, serves the test) */
	struct stats_ediv_split sp;
	int src = se->e ? stats_ediv_load(se->e, s->value + s->start[a], start, nb)
			: stats_ediv_new(s->value + s->start[a], start, nb, &se->e);
	if (src == STATS_OK)
		src = stats_ediv_test(se->e, min_left, min_right, 0, 10, seed, &sp);
	if (src != STATS_OK)
		return obl_error_set(err, src == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0,
				     s->metric, "change points: %s", stats_strerror(src));
	if (sp.block == 0)
		return OBL_OK;
	size_t tau = a + sp.block;
	if (q)
		*q = sp.q;
	memset(cp, 0, sizeof *cp);
	cp->point = tau;
	cp->run = s->run[tau];
	cp->p_value = NAN;
	if (permutations == 0) { /* a candidate only */
		*accepted = 1;
		return OBL_OK;
	}
	/* the size of the change first: a split smaller than the threshold is not a change
	 * point whatever its p-value, and the permutations, the dear part, are then spared. A
	 * screen by the medians (O(n)) comes before the Hodges-Lehmann estimate (O(n log n)):
	 * a split whose medians differ by less than half the threshold is not pursued. */
	double mb = median_of(s, a, tau, se->scratch), ma = median_of(s, tau, b, se->scratch);
	if (!(fabs(ma / mb - 1) >= o->threshold / 2))
		return OBL_OK;
	/* then the Hodges-Lehmann estimate alone (its interval is computed for the change
	 * points kept, on their whole levels) */
	cp->relative = (struct obl_estimate){ shift_estimate(s, a, tau, b), NAN, NAN, NULL };
	if (!(fabs(cp->relative.estimate) >= o->threshold))
		return OBL_OK;
	if (se->run_level > 0 ? !runs_differ(se, a, tau, b, se->run_level)
			      : tau - a > 1 && b - tau > 1 && !runs_differ(se, a, tau, b, o->alpha))
		return OBL_OK;
	if (screen) {
		*accepted = 1;
		return OBL_OK;
	}
	src = stats_ediv_test(se->e, min_left, min_right, permutations, 10, seed, &sp);
	if (src != STATS_OK)
		return obl_error_set(err, src == STATS_ENOMEM ? OBL_ENOMEM : OBL_EINPUT, NULL, 0,
				     s->metric, "change points: %s", stats_strerror(src));
	cp->p_value = sp.p_value;
	if (!(sp.p_value <= se->level))
		return OBL_OK;
	*accepted = 1;
	return OBL_OK;
}

/* The change points of a search so far, by position, each with the segment it was last
 * tested on ([lo, hi); SIZE_MAX: not yet between its neighbours). */
struct found {
	struct obl_change_point *cp;
	size_t (*tested)[2];
	size_t n;
};

/* The first change point at or after `point`. */
static size_t found_from(const struct found *f, size_t point)
{
	size_t lo = 0, hi = f->n;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (f->cp[m].point < point)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* Whether a change point lies strictly inside [a, b). */
static int found_inside(const struct found *f, size_t a, size_t b)
{
	size_t i = found_from(f, a + 1);
	return i < f->n && f->cp[i].point < b;
}

static void found_insert(struct found *f, const struct obl_change_point *cp)
{
	size_t i = found_from(f, cp->point);
	if (i < f->n && f->cp[i].point == cp->point)
		return; /* there already */
	memmove(&f->cp[i + 1], &f->cp[i], (f->n - i) * sizeof *f->cp);
	memmove(&f->tested[i + 1], &f->tested[i], (f->n - i) * sizeof *f->tested);
	f->cp[i] = *cp;
	f->tested[i][0] = f->tested[i][1] = SIZE_MAX;
	f->n++;
}

static int by_length_then_start(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	size_t la = a[1] - a[0], lb = b[1] - b[0];
	if (la != lb)
		return la < lb ? -1 : 1;
	return (a[0] > b[0]) - (a[0] < b[0]);
}

/* A seeded interval whose split reaches the threshold, and its statistic. */
struct candidate {
	double q;
	size_t a, b;
};

static int by_statistic(const void *pa, const void *pb)
{
	const struct candidate *x = pa, *y = pb;
	if (x->q != y->q)
		return x->q > y->q ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return (x->b > y->b) - (x->b < y->b);
}

/* Seeded intervals (Kovacs, Li, Haubner, Munk and Buhlmann 2023): at every scale, from the
 * shortest segment that can hold a split (2 min_runs runs) up to two windows, lengths growing
 * by a factor 3/2 (a decay of 2/3), intervals of that length starting every half length
 * from the first run (every quarter at the short scales); one that would reach past the
 * newest run ends there. Their positions are fixed from the first run, so appending runs
 * adds and lengthens intervals at the end only. Sorted by length, then from the oldest; each
 * once, into *out (*n_out of them, none for a history too short to split) and the scales
 * into *scales; OBL_ENOMEM when out of memory. */
static int seeded_intervals(size_t n, size_t min_runs, size_t window, size_t (**out)[2],
			    size_t *n_out, size_t *scales)
{
	const size_t shortest = 2 * (min_runs ? min_runs : 1);
	const size_t longest = window && 2 * window < n ? 2 * window : n;
	size_t count = 0, alloc = 0;
	size_t(*iv)[2] = NULL;
	*out = NULL;
	*scales = 0;
	for (size_t l = shortest;; l = l + l / 2 > l + 1 ? l + l / 2 : l + 1) {
		size_t len = l < longest ? l : longest;
		/* a quarter length apart at the short scales, where a departure of two or
		 * three runs must find an interval that holds one of its edges alone; half a
		 * length at the others */
		size_t step = len <= 4 * shortest ? len / 4 : len / 2;
		step = step ? step : 1;
		++*scales;
		for (size_t a = 0; a < n; a += step) {
			size_t b = a + len < n ? a + len : n;
			if (b - a < (b == n ? (min_runs ? min_runs : 1) + 1 : shortest))
				continue;
			if (count == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				size_t(*p)[2] = realloc(iv, alloc * sizeof *p);
				if (!p) {
					free(iv);
					return OBL_ENOMEM;
				}
				iv = p;
			}
			iv[count][0] = a;
			iv[count++][1] = b;
			if (b == n)
				break;
		}
		if (len >= longest)
			break;
	}
	*n_out = 0;
	if (count == 0)
		return OBL_OK;
	qsort(iv, count, sizeof *iv, by_length_then_start);
	size_t k = 1;
	for (size_t i = 1; i < count; i++)
		if (iv[i][0] != iv[k - 1][0] || iv[i][1] != iv[k - 1][1]) {
			iv[k][0] = iv[i][0];
			iv[k++][1] = iv[i][1];
		}
	*out = iv;
	*n_out = k;
	return OBL_OK;
}

/* Binary segmentation of the stretches between the change points found (each whole when at
 * most two windows long, else a window at either end): what the seeded intervals could not
 * isolate next to a change point found (the second edge of a two-run excursion) is split off
 * there. Stretches whose ends were both change points before (`before`, n_before) were
 * searched already and are skipped. */
static int split_between(struct search *se, struct found *f, const size_t *before,
			 size_t n_before, size_t (*stack)[2], struct obl_error *err)
{
	const size_t np = se->s->n_points;
	const size_t window = se->h->opt.window ? se->h->opt.window : SIZE_MAX / 4;
	size_t depth = 0;
	for (size_t i = 0; i <= f->n; i++) {
		size_t a = i ? f->cp[i - 1].point : 0, b = i < f->n ? f->cp[i].point : np;
		if (before) {                         /* searched already when a and b were neighbours before */
			size_t lo = 0, hi = n_before; /* the first of before >= b */
			while (lo < hi) {
				size_t m = lo + (hi - lo) / 2;
				if (before[m] < b)
					lo = m + 1;
				else
					hi = m;
			}
			size_t prev = lo ? before[lo - 1] : 0, at = lo < n_before ? before[lo] : np;
			if (at == b && prev == a)
				continue;
		}
		if (b - a > 2 * window) {
			stack[depth][0] = a;
			stack[depth++][1] = a + window;
			stack[depth][0] = b - window;
			stack[depth++][1] = b;
		} else {
			stack[depth][0] = a;
			stack[depth++][1] = b;
		}
	}
	while (depth > 0) {
		depth--;
		size_t a = stack[depth][0], b = stack[depth][1];
		struct obl_change_point cp;
		int ok;
		int rc = test_segment(se, a, b, 0, &cp, NULL, &ok, err);
		if (rc)
			return rc;
		if (!ok)
			continue;
		found_insert(f, &cp);
		stack[depth][0] = a;
		stack[depth++][1] = cp.point;
		stack[depth][0] = cp.point;
		stack[depth++][1] = b;
	}
	return OBL_OK;
}

/* Each change point placed and tested again between its neighbours (at most a window of runs
 * on either side), until none moves or goes: a change point then depends on the runs near it
 * only, so that runs added at the end move none but the last (unless the data demand it).
 * *dropped tells whether one went or moved. */
static int confirm(struct search *se, struct found *f, int *dropped, struct obl_error *err)
{
	const size_t np = se->s->n_points;
	const size_t window = se->h->opt.window ? se->h->opt.window : SIZE_MAX / 4;
	*dropped = 0;
	for (int pass = 0; pass < 20; pass++) {
		int changed = 0;
		for (size_t i = 0; i < f->n;) {
			size_t a = i ? f->cp[i - 1].point : 0, b = i + 1 < f->n ? f->cp[i + 1].point : np;
			size_t at = f->cp[i].point;
			if (at - a > window)
				a = at - window;
			if (b - at > window)
				b = at + window;
			if (f->tested[i][0] == a && f->tested[i][1] == b) {
				i++; /* the same segment gives the same answer (the seed is the segment's) */
				continue;
			}
			struct obl_change_point cp;
			int ok;
			int rc = test_segment(se, a, b, 0, &cp, NULL, &ok, err);
			if (rc)
				return rc;
			if (!ok) {
				memmove(&f->cp[i], &f->cp[i + 1], (f->n - i - 1) * sizeof *f->cp);
				memmove(&f->tested[i], &f->tested[i + 1], (f->n - i - 1) * sizeof *f->tested);
				f->n--;
				changed = *dropped = 1;
				continue;
			}
			if (cp.point != f->cp[i].point)
				changed = *dropped = 1;
			f->tested[i][0] = a;
			f->tested[i][1] = b;
			f->cp[i++] = cp;
		}
		if (!changed)
			break;
	}
	return OBL_OK;
}

/* The change points of a series (see DESIGN.md section 4a):
 *  1. seeded binary segmentation (Kovacs et al. 2023): every seeded interval's best split,
 *     screened by its size and by runs_differ; then, the largest Q first (their greedy
 *     selection), an interval with no change point inside yet is tested and its split kept
 *     when significant. A short departure in the middle (a change and a return, which one
 *     split of a long segment cannot separate) has each edge alone in some short interval.
 *     Many intervals are tested: the level is alpha over the number of scales for the
 *     permutation test and alpha over the number of splits looked at for runs_differ;
 *  2. binary segmentation of the stretches between them, at alpha (as before);
 *  3. each placed and tested again between its neighbours; where one went or moved, the
 *     stretches that changed are searched again (2), at most a few times. */
static int detect_levels(const struct obl_history *h, struct obl_history_series *s,
			 struct obl_error *err)
{
	free(s->cps);
	s->cps = NULL;
	s->n_cps = 0;
	const size_t np = s->n_points;
	if (np < 2)
		return OBL_OK;
	struct search se = { h,
			     s,
			     NULL,
			     malloc((np + 1) * sizeof *se.start),
			     malloc((s->n_values ? s->n_values : 1) * sizeof *se.scratch),
			     malloc((np + 1) * sizeof *se.run_mean),
			     malloc((np + 1) * sizeof *se.sum),
			     malloc((np + 1) * sizeof *se.sum2),
			     h->opt.alpha,
			     0,
			     h->opt.permutations };
	struct found f = { malloc((np + 1) * sizeof *f.cp), malloc((np + 1) * sizeof *f.tested),
			   0 };
	size_t(*stack)[2] = malloc(2 * (np + 2) * sizeof *stack);
	size_t *before = malloc((np + 1) * sizeof *before);
	size_t(*iv)[2] = NULL, scales = 0, n_iv = 0;
	int rc = seeded_intervals(np, h->opt.min_runs, h->opt.window, &iv, &n_iv, &scales);
	if (rc || !se.start || !se.scratch || !se.run_mean || !se.sum || !se.sum2 || !f.cp ||
	    !f.tested || !stack || !before)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	if (!rc) { /* each run's mean, runs as the unit (runs_differ), and their prefix sums */
		int positive = 1;
		for (size_t j = 0; j < s->n_values && positive; j++)
			positive = s->value[j] > 0;
		se.sum[0] = se.sum2[0] = 0;
		for (size_t i = 0; i < np; i++) {
			long double sum = 0;
			for (size_t j = s->start[i]; j < s->start[i + 1]; j++)
				sum += positive ? log(s->value[j]) : s->value[j];
			double mean = (double)(sum / (long double)(s->start[i + 1] - s->start[i]));
			se.run_mean[i] = mean;
			se.sum[i + 1] = se.sum[i] + mean;
			se.sum2[i + 1] = se.sum2[i] + (long double)mean * mean;
		}
	}
	/* a split of a seeded interval is kept at alpha over the number of scales (Bonferroni:
	 * at each scale the intervals cover the history two to four times), with the
	 * permutations that level needs, and when its runs differ at alpha over the number of
	 * splits the intervals look at (parametric, so no floor: a real departure of two runs
	 * reaches it); the stretches between are then searched at alpha (2) */
	se.level = h->opt.alpha / (double)(scales ? scales : 1);
	double splits = 0; /* the splits the seeded intervals look at, for runs_differ's level */
	for (size_t i = 0; i < n_iv; i++)
		splits += (double)(iv[i][1] - iv[i][0] - 1);
	se.run_level = h->opt.alpha / (splits > 1 ? splits : 1);
	if (h->opt.permutations && (double)h->opt.permutations + 1 < 2 / se.level)
		se.permutations = (size_t)ceil(2 / se.level) - 1;
	/* each interval's split, screened by its size; then, the largest Q first, an interval
	 * with no change point inside yet is tested and its split kept when significant */
	struct candidate *cand = rc ? NULL : malloc((n_iv ? n_iv : 1) * sizeof *cand);
	size_t n_cand = 0;
	if (!rc && !cand)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < n_iv; i++) {
		struct obl_change_point cp;
		int ok;
		double q;
		if (!some_split_differs(&se, iv[i][0], iv[i][1], se.run_level))
			continue;
		rc = test_segment(&se, iv[i][0], iv[i][1], 1, &cp, &q, &ok, err);
		if (!rc && ok)
			cand[n_cand++] = (struct candidate){ q, iv[i][0], iv[i][1] };
	}
	if (!rc)
		qsort(cand, n_cand, sizeof *cand, by_statistic);
	for (size_t i = 0; !rc && i < n_cand; i++) {
		if (found_inside(&f, cand[i].a, cand[i].b))
			continue; /* a change point placed already, by a stronger split */
		struct obl_change_point cp;
		int ok;
		rc = test_segment(&se, cand[i].a, cand[i].b, 0, &cp, NULL, &ok, err);
		if (!rc && ok)
			found_insert(&f, &cp);
	}
	free(cand);
	se.level = h->opt.alpha;
	se.run_level = 0;
	se.permutations = h->opt.permutations;
	size_t n_before = 0;
	for (int round = 0; !rc && round < 4; round++) {
		rc = split_between(&se, &f, round ? before : NULL, n_before, stack, err);
		n_before = f.n;
		for (size_t i = 0; i < f.n; i++)
			before[i] = f.cp[i].point;
		int dropped = 0;
		if (!rc)
			rc = confirm(&se, &f, &dropped, err);
		if (!dropped)
			break;
	}
	stats_ediv_free(se.e);
	free(se.start);
	free(se.scratch);
	free(se.run_mean);
	free(se.sum);
	free(se.sum2);
	free(f.tested);
	free(stack);
	free(before);
	free(iv);
	if (rc) {
		free(f.cp);
		return rc;
	}
	/* kept with the series for the outputs: room for a change point a run was reserved,
	 * a few are found (at 10 000 runs x 100 series the room was 150 MB) */
	struct obl_change_point *kept = realloc(f.cp, (f.n ? f.n : 1) * sizeof *f.cp);
	s->cps = kept ? kept : f.cp;
	s->n_cps = f.n;
	return OBL_OK;
}

/* What a change point reports: the whole levels on either side (from the change before to
 * the change after), not only the window it was tested on. */
static int describe_all(const struct obl_history *h, struct obl_history_series *s,
			struct obl_error *err)
{
	for (size_t i = 0; i < s->n_cps; i++) {
		size_t a = i ? s->cps[i - 1].point : 0;
		size_t b = i + 1 < s->n_cps ? s->cps[i + 1].point : s->n_points;
		if (describe_change(h, s, a, s->cps[i].point, b, &s->cps[i]))
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	return OBL_OK;
}

/* Short excursions: two change points at most max_excursion runs apart, with the levels on
 * either side the same (within the threshold, over a window each), are one excursion that
 * came back (two slow nights), not two changes. The level after must have min_runs runs: at
 * the newest runs a departure that has not come back stays a change point (and the gate
 * judges the newest run). Returns how many were found into ex (each: first point, runs). */
static size_t find_excursions(const struct obl_history *h, const struct obl_history_series *s,
			      struct obl_history_excursion *ex)
{
	const struct obl_history_options *o = &h->opt;
	const size_t window = o->window ? o->window : SIZE_MAX;
	size_t n = 0;
	for (size_t i = 0; i + 1 < s->n_cps; i++) {
		size_t a = s->cps[i].point, b = s->cps[i + 1].point;
		size_t prev = i ? s->cps[i - 1].point : 0;
		size_t next = i + 2 < s->n_cps ? s->cps[i + 2].point : s->n_points;
		if (b - a > o->max_excursion || next - b < (o->min_runs > 1 ? o->min_runs : 1))
			continue;
		if (a - prev > window)
			prev = a - window;
		if (next - b > window)
			next = b + window;
		double back = shift_between(s, prev, a, b, next);
		if (!(fabs(back) < o->threshold))
			continue; /* the level did not come back: two changes */
		struct obl_history_excursion *e = &ex[n++];
		e->point = a;
		e->run = s->run[a];
		e->n_runs = b - a;
		e->relative = shift_between(s, prev, a, a, b);
		e->regression = s->direction == OBL_DIRECTION_NONE    ? -1
				: s->direction == OBL_LOWER_IS_BETTER ? e->relative > 0
								      : e->relative < 0;
		i++; /* both change points taken */
	}
	return n;
}

int obl_history_detect_series(const struct obl_history *h, struct obl_history_series *s,
			      struct obl_error *err)
{
	if (s->compact) /* analysed already, and its repetitions gone */
		return OBL_OK;
	free(s->excursions);
	s->excursions = NULL;
	s->n_excursions = 0;
	int rc = detect_levels(h, s, err);
	if (rc || h->opt.max_excursion == 0 || s->n_cps < 2)
		return rc ? rc : describe_all(h, s, err);
	struct obl_history_excursion *ex = malloc(s->n_cps / 2 * sizeof *ex);
	if (!ex)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	size_t n_ex = find_excursions(h, s, ex);
	if (n_ex == 0) {
		free(ex);
		return describe_all(h, s, err);
	}
	/* the change points found again without the excursions' runs (as outliers are set
	 * aside before E-divisive in MongoDB's analysis): the levels either side join, and a
	 * change hidden next to an excursion is tested on the runs that show it */
	struct obl_history_series t = *s;
	t.cps = NULL;
	t.n_cps = 0;
	t.excursions = NULL;
	t.run = malloc(s->n_points * sizeof *t.run);
	t.start = malloc((s->n_points + 1) * sizeof *t.start);
	t.value = malloc((s->n_values ? s->n_values : 1) * sizeof *t.value);
	size_t *orig = malloc((s->n_points + 1) * sizeof *orig);
	if (!t.run || !t.start || !t.value || !orig) {
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	t.n_points = t.n_values = 0;
	t.start[0] = 0;
	for (size_t i = 0, k = 0; i < s->n_points; i++) {
		while (k < n_ex && ex[k].point + ex[k].n_runs <= i)
			k++;
		if (k < n_ex && i >= ex[k].point)
			continue; /* in an excursion */
		size_t a = s->start[i], b = s->start[i + 1];
		memcpy(t.value + t.n_values, s->value + a, (b - a) * sizeof *t.value);
		t.n_values += b - a;
		orig[t.n_points] = i;
		t.run[t.n_points++] = s->run[i];
		t.start[t.n_points] = t.n_values;
	}
	t.alloc = s->n_points;
	rc = detect_levels(h, &t, err);
	if (!rc)
		rc = describe_all(h, &t, err); /* on the levels without the excursions */
	if (rc)
		goto done;
	for (size_t i = 0; i < t.n_cps; i++)
		t.cps[i].point = orig[t.cps[i].point];
	free(s->cps);
	s->cps = t.cps;
	s->n_cps = t.n_cps;
	t.cps = NULL;
	s->excursions = ex;
	s->n_excursions = n_ex;
	ex = NULL;
done:
	free(t.cps);
	free(t.run);
	free(t.start);
	free(t.value);
	free(orig);
	free(ex);
	return rc;
}

struct detect_job {
	struct obl_history *h;
	int *rc;
	struct obl_error *err;
};

static void detect_one(void *ctx, size_t i)
{
	struct detect_job *job = ctx;
	obl_error_clear(&job->err[i]);
	job->rc[i] = obl_history_detect_series(job->h, &job->h->series[i], &job->err[i]);
}

/* Series are independent (each test's seed depends on its series and window only): they are
 * analysed in parallel, and the output is the same on any number of threads. */
int obl_history_detect(struct obl_history *h, struct obl_error *err)
{
	int *rc = calloc(h->n_series + 1, sizeof *rc);
	struct obl_error *errs = calloc(h->n_series + 1, sizeof *errs);
	if (!rc || !errs) {
		free(rc);
		free(errs);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	struct detect_job job = { h, rc, errs };
	obl_parallel_for(h->n_series, detect_one, &job);
	int status = OBL_OK;
	for (size_t i = 0; i < h->n_series && !status; i++) /* the first error in series order */
		if (rc[i]) {
			*err = errs[i];
			status = rc[i];
		}
	free(rc);
	free(errs);
	return status;
}
