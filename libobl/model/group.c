/*
 * group.c - groups (see group.h): what holds them, the order every listing uses, and the
 * grouping of a batch in memory (the store builds its groups from rows, with the same order).
 */
#include "group.h"

#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

/* ---- A group's memory ------------------------------------------------------------------ */

void obl_group_release(struct obl_group *g)
{
	free(g->text);
	for (size_t t = 0; t < g->trials; t++)
		obl_values_release(&g->per_trial[t]);
	free(g->per_trial);
	free(g->successes);
	free(g->totals);
}

int obl_group_set_text(struct obl_group *g, const char *run, const char *canonical,
		       const char *metric, const char *unit, const struct obl_kv *kv, size_t n)
{
	const char *parts[4] = { run ? run : "", canonical ? canonical : "", metric ? metric : "",
				 unit ? unit : "" };
	size_t size = n * sizeof *kv;
	for (int i = 0; i < 4; i++)
		size += strlen(parts[i]) + 1;
	for (size_t i = 0; i < n; i++)
		size += strlen(kv[i].key) + strlen(kv[i].value) + 2;
	char *block = malloc(size ? size : 1);
	if (!block)
		return OBL_ENOMEM;
	struct obl_kv *scenario = (struct obl_kv *)(void *)block; /* malloc's alignment */
	char *at = block + n * sizeof *kv;
	const char *copies[4];
	for (int i = 0; i < 4; i++) {
		size_t len = strlen(parts[i]) + 1;
		copies[i] = memcpy(at, parts[i], len);
		at += len;
	}
	for (size_t i = 0; i < n; i++) {
		size_t kl = strlen(kv[i].key) + 1, vl = strlen(kv[i].value) + 1;
		scenario[i].key = memcpy(at, kv[i].key, kl);
		scenario[i].value = memcpy(at + kl, kv[i].value, vl);
		at += kl + vl;
	}
	g->text = block;
	g->run = copies[0];
	g->scenario_canonical = copies[1];
	g->metric = copies[2];
	g->unit = copies[3];
	g->scenario = scenario;
	g->scenario_len = n;
	return OBL_OK;
}

void obl_groups_free(struct obl_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		obl_group_release(&g[i]);
	free(g);
}

/* ---- Order ------------------------------------------------------------------------------ */

/* Orders scenario values numerically when both are numbers ("2" before "16"). */
static int compare_values(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	if (*a && *b && !*ea && !*eb && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

int obl_group_compare_scenarios(const struct obl_group *a, const struct obl_group *b)
{
	size_t n = a->scenario_len < b->scenario_len ? a->scenario_len : b->scenario_len;
	for (size_t i = 0; i < n; i++) {
		int c = strcmp(a->scenario[i].key, b->scenario[i].key);
		if (c)
			return c;
		c = compare_values(a->scenario[i].value, b->scenario[i].value);
		if (c)
			return c;
	}
	return (a->scenario_len > b->scenario_len) - (a->scenario_len < b->scenario_len);
}

/* Canonical metrics first, in the catalogue's order, then the rest by name. */
static int metric_rank(const char *name)
{
	static const char *const order[] = { "ttft_ms", "tpot_ms", "itl_ms", "e2el_ms",
					     "output_throughput_tok_s", "total_throughput_tok_s",
					     "request_throughput_req_s", "success_rate",
					     "peak_mem_gib", "load_time_s" };
	for (int i = 0; i < (int)(sizeof order / sizeof *order); i++)
		if (!strcmp(order[i], name))
			return i;
	return 100;
}

static int by_group(const void *pa, const void *pb)
{
	const struct obl_group_sorted *a = pa, *b = pb;
	if (a->run_id != b->run_id)
		return a->run_id < b->run_id ? -1 : 1;
	int c = obl_group_compare_scenarios(&a->g, &b->g);
	if (c)
		return c;
	int ra = a->rank, rb = b->rank;
	if (ra != rb)
		return ra - rb;
	return strcmp(a->g.metric, b->g.metric);
}

int obl_group_compare_series(const struct obl_group *a, const struct obl_group *b)
{
	int c = obl_group_compare_scenarios(a, b);
	if (c)
		return c;
	int ra = metric_rank(a->metric), rb = metric_rank(b->metric);
	return ra != rb ? ra - rb : strcmp(a->metric, b->metric);
}

void obl_groups_sort(struct obl_group_sorted *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g[i].rank = metric_rank(g[i].g.metric); /* once, not per comparison */
	if (n)                                          /* qsort of a null array is undefined, even of no elements */
		qsort(g, n, sizeof *g, by_group);
}

/* ---- Groups of a batch, without a database ---------------------------------------------- */

/* One group from the series refs[0..n) (trial, series pairs of the same scenario and metric,
 * in trial order); the values move from the batch into the group. */
static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct obl_kv *)a)->key, ((const struct obl_kv *)b)->key);
}

struct series_at {
	size_t trial, series;
};

static int group_of(struct obl_batch *b, const char *run, const char *canonical,
		    const struct series_at *refs, size_t n, struct obl_group *g)
{
	memset(g, 0, sizeof *g);
	const struct obl_trial_data *t0 = &b->trials[refs[0].trial];
	const struct obl_series *s0 = &t0->series[refs[0].series];
	struct obl_kv small[8], *kv = t0->scenario_len <= 8 ? small
							    : malloc(t0->scenario_len * sizeof *kv);
	if (!kv)
		return OBL_ENOMEM;
	if (t0->scenario_len)
		memcpy(kv, t0->scenario, t0->scenario_len * sizeof *kv);
	qsort(kv, t0->scenario_len, sizeof *kv, by_key); /* as the store reads */
	int rc = obl_group_set_text(g, run, canonical, s0->metric, s0->unit, kv, t0->scenario_len);
	if (kv != small)
		free(kv);
	g->direction = s0->direction;
	g->kind = s0->kind;
	g->per_trial = calloc(n, sizeof *g->per_trial);
	g->successes = malloc(n * sizeof *g->successes);
	g->totals = malloc(n * sizeof *g->totals);
	if (rc || !g->per_trial || !g->successes || !g->totals)
		return OBL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct obl_series *s = &b->trials[refs[i].trial].series[refs[i].series];
		g->trials++;
		g->successes[i] = s->successes;
		g->totals[i] = s->trials;
		g->per_trial[i] = s->values;
		s->values = (struct obl_values){ 0 };
	}
	return OBL_OK;
}

/* The canonical text of each trial's scenario, interned: equal scenarios get one pointer.
 * Consecutive trials with the same keys and values (repetitions) reuse the previous text. */
static int canonical_scenarios(struct obl_batch *b, const char **canon)
{
	for (size_t t = 0; t < b->n_trials; t++) {
		const struct obl_trial_data *trial = &b->trials[t], *prev = t ? trial - 1 : NULL;
		if (prev && prev->scenario_len == trial->scenario_len &&
		    !memcmp(prev->scenario, trial->scenario,
			    trial->scenario_len * sizeof *trial->scenario)) {
			canon[t] = canon[t - 1]; /* interned keys and values: equal pointers */
			continue;
		}
		char *text = obl_scenario_canonical(trial->scenario, trial->scenario_len);
		canon[t] = text ? obl_batch_intern(b, text, strlen(text)) : NULL;
		free(text);
		if (!canon[t])
			return OBL_ENOMEM;
	}
	return OBL_OK;
}

/* A group's key: its scenario and metric, interned (equal names are equal pointers). */
struct group_key {
	const char *canonical, *metric;
};

struct group_key_ctx {
	const struct group_key *keys, *sought;
};

static int same_group_key(const void *ctx, size_t group)
{
	const struct group_key_ctx *c = ctx;
	return c->keys[group].canonical == c->sought->canonical &&
	       c->keys[group].metric == c->sought->metric;
}

int obl_batch_groups(struct obl_batch *b, const char *run, struct obl_group **out,
		     size_t *n, struct obl_error *err)
{
	*out = NULL;
	*n = 0;
	size_t total = 0;
	for (size_t t = 0; t < b->n_trials; t++)
		total += b->trials[t].n_series;
	/* Each series is given its group's number, in one pass over the trials, so that a group
	 * lists its series in trial order; then the groups are sorted (a few thousand), not the
	 * series (tens of thousands). */
	const char **canon = malloc((b->n_trials ? b->n_trials : 1) * sizeof *canon);
	struct obl_hashmap table = { 0 };
	struct group_key *keys = malloc((total ? total : 1) * sizeof *keys); /* per group */
	size_t *group_of_series = malloc((total ? total : 1) * sizeof *group_of_series);
	size_t *count = calloc(total ? total : 1, sizeof *count); /* series per group */
	struct series_at *refs = malloc((total ? total : 1) * sizeof *refs);
	struct obl_group_sorted *groups = NULL;
	size_t n_groups = 0;
	int rc = canon && keys && group_of_series && count && refs &&
				 !obl_hashmap_reserve(&table, total)
			 ? canonical_scenarios(b, canon)
			 : OBL_ENOMEM;
	for (size_t t = 0, k = 0; !rc && t < b->n_trials; t++)
		for (size_t s = 0; s < b->trials[t].n_series; s++, k++) {
			keys[n_groups] = (struct group_key){ canon[t], b->trials[t].series[s].metric };
			const struct group_key_ctx ctx = { keys, &keys[n_groups] };
			/* room for every series was reserved: the put finds or adds */
			size_t g = obl_hashmap_put(&table,
						   obl_intern_hash(keys[n_groups].canonical,
								   keys[n_groups].metric),
						   n_groups, same_group_key, &ctx);
			n_groups += g == n_groups;
			group_of_series[k] = g;
			count[g]++;
		}
	/* refs laid out group after group: first[g] is where group g's series begin */
	size_t *first = rc ? NULL : malloc((n_groups ? n_groups : 1) * sizeof *first);
	if (!rc && !first)
		rc = OBL_ENOMEM;
	for (size_t g = 0, at = 0; !rc && g < n_groups; g++) {
		first[g] = at;
		at += count[g];
		count[g] = 0;
	}
	for (size_t t = 0, k = 0; !rc && t < b->n_trials; t++)
		for (size_t s = 0; s < b->trials[t].n_series; s++, k++) {
			size_t g = group_of_series[k];
			refs[first[g] + count[g]++] = (struct series_at){ t, s };
		}
	if (!rc && !(groups = calloc(n_groups ? n_groups : 1, sizeof *groups)))
		rc = OBL_ENOMEM;
	size_t made = 0;
	for (; !rc && made < n_groups; made++) {
		const struct series_at *r = &refs[first[made]];
		rc = group_of(b, run, canon[r->trial], r, count[made], &groups[made].g);
	}
	if (!rc)
		obl_groups_sort(groups, n_groups);
	struct obl_group *result = rc ? NULL : malloc((n_groups ? n_groups : 1) * sizeof *result);
	if (!rc && !result)
		rc = OBL_ENOMEM;
	for (size_t i = 0; i < made; i++) {
		if (rc)
			obl_group_release(&groups[i].g);
		else
			result[i] = groups[i].g;
	}
	free(canon);
	obl_hashmap_free(&table);
	free(keys);
	free(group_of_series);
	free(count);
	free(refs);
	free(first);
	free(groups);
	if (rc)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	*out = result;
	*n = n_groups;
	return OBL_OK;
}
