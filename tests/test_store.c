/*
 * test_store.c - the store's round trip: a batch written and read back as groups gives the
 * same values, in repetition order, with the catalogue's unit, direction and kind; a second
 * file of the same run continues the repetitions; the same content again is a duplicate that
 * changes nothing; groups made in memory from the batch (obl_batch_groups) equal the
 * stored ones; obl_store_each_group gives the same values, a group's in one array, and in
 * series order the same groups series after series (filtered by run, scenario and metric,
 * runs lacking a scenario, an empty store, damaged counts said to be damage); and values
 * of every kind (zeros of both signs, subnormals, the largest double) come back bit for bit
 * across blocks of 504, from the store and through the samples view; a NaN or an infinity is
 * refused before anything is written (a store holding one is damaged).
 */
#include <float.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "group.h"
#include "store.h"

/* A batch of two trials (concurrency 1 and 8) with TTFT samples and a throughput. */
static void fill(struct obl_batch *b, double shift)
{
	obl_batch_init(b);
	for (int c = 0; c < 2; c++) {
		struct obl_trial_data *t = obl_batch_trial(b);
		MUST(obl_trial_set_scenario(t, "concurrency", c ? "8" : "1"));
		struct obl_series *s = obl_trial_series(t, "ttft_ms", "ms", OBL_KIND_SAMPLE);
		for (int i = 0; i < 4; i++)
			MUST(obl_values_push(&s->values, 10 * (c + 1) + i + shift));
		s = obl_trial_series(t, "output_throughput_tok_s", "tok/s", OBL_KIND_AGGREGATE);
		MUST(obl_values_push(&s->values, 1000 - shift));
	}
}

static const struct obl_group *find(const struct obl_group *g, size_t n, const char *metric,
				    const char *concurrency)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].metric, metric) && g[i].scenario_len == 1 &&
		    !strcmp(g[i].scenario[0].value, concurrency))
			return &g[i];
	return NULL;
}

/* What obl_store_each_group visited: "run scenario-value metric" per group. */
struct visits {
	char what[16][200];
	size_t n;
};

static int visit(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	(void)err;
	struct visits *v = ctx;
	if (v->n < 16)
		snprintf(v->what[v->n], sizeof v->what[0], "%s %s %s", g->run, g->scenario[0].value,
			 g->metric);
	v->n++;
	return 0;
}

static void visits_clear(struct visits *v)
{
	v->n = 0;
}

struct stop_after {
	size_t after, calls;
};

static int stop_at(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	(void)g;
	(void)err;
	struct stop_after *s = ctx;
	return ++s->calls == s->after ? 7 : 0;
}

/* Compares each visited group with the same group of obl_store_groups (values bit for bit),
 * and checks that its trials' values lie one after another in one array. */
struct against {
	const struct obl_group *g;
	size_t n, visited, same, contiguous;
};

static int compare_with(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	(void)err;
	struct against *a = ctx;
	a->visited++;
	for (size_t i = 0; i < a->n; i++) {
		const struct obl_group *h = &a->g[i];
		if (strcmp(h->run, g->run) || strcmp(h->metric, g->metric) ||
		    strcmp(h->scenario_canonical, g->scenario_canonical) || h->trials != g->trials)
			continue;
		int same = 1, contiguous = 1;
		const double *next = NULL;
		for (size_t t = 0; t < g->trials; t++) {
			same &= h->per_trial[t].n == g->per_trial[t].n &&
				(!g->per_trial[t].n || !memcmp(h->per_trial[t].v, g->per_trial[t].v,
							       g->per_trial[t].n * sizeof(double)));
			if (!g->per_trial[t].n)
				continue;
			contiguous &= !next || g->per_trial[t].v == next;
			next = g->per_trial[t].v + g->per_trial[t].n;
		}
		a->same += same;
		a->contiguous += contiguous;
	}
	return 0;
}

/* The walk in series order against obl_store_groups (sorted by run, then series): every
 * group visited once, with the same values in one array, series after series in
 * obl_group_compare_series's order, each series' runs in run order. */
struct in_series {
	const struct obl_group *g;
	size_t n, visited, same, contiguous, in_order, prev;
	int *hit;
};

static int series_visit(void *ctx, const struct obl_group *g, struct obl_error *err)
{
	struct in_series *w = ctx;
	struct against one = { w->g, w->n, 0, 0, 0 };
	compare_with(&one, g, err);
	w->same += one.same == 1;
	w->contiguous += one.contiguous == 1;
	size_t at = w->n;
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->g[i].run, g->run) && !strcmp(w->g[i].metric, g->metric) &&
		    !strcmp(w->g[i].scenario_canonical, g->scenario_canonical))
			at = i;
	if (at < w->n) {
		w->hit[at]++;
		int c = w->visited ? obl_group_compare_series(&w->g[w->prev], &w->g[at]) : -1;
		w->in_order += c < 0 || (c == 0 && w->prev < at);
		w->prev = at;
	}
	w->visited++;
	return 0;
}

/* Walks in series order with filter f and checks it against obl_store_groups with f. */
static void check_series_walk(struct obl_store *st, const struct obl_store_filter *f,
			      size_t want, const char *what)
{
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_group *g = NULL;
	size_t n = 0;
	MUST(obl_store_groups(st, f, &g, &n, &err));
	struct in_series w = { g, n, 0, 0, 0, 0, 0, calloc(n ? n : 1, sizeof(int)) };
	MUST(obl_store_each_group(st, f, OBL_ORDER_SERIES, series_visit, &w, &err));
	size_t once = 0;
	for (size_t i = 0; i < n; i++)
		once += w.hit[i] == 1;
	check(n == want && w.visited == n && once == n && w.same == n && w.contiguous == n &&
		      w.in_order == n,
	      "in series order, %s: the %zu groups of obl_store_groups, each once, the same "
	      "values in one array, series after series, runs in order (%zu groups, %zu "
	      "visited, %zu once, %zu the same, %zu in one array, %zu in order)",
	      what, want, n, w.visited, once, w.same, w.contiguous, w.in_order);
	free(w.hit);
	obl_groups_free(g, n);
}

/* The i-th value of the edge series: every kind of double, then ordinary ones. */
static double edge_value(size_t i)
{
	static const double special[] = { 0.0, -0.0, 4.9406564584124654e-324, -2.5e-320, DBL_MIN,
					  -DBL_MIN / 3, DBL_MAX, -DBL_MAX, 1.0, -12.345678901234 };
	size_t k = sizeof special / sizeof *special;
	if (i < k)
		return special[i];
	if (i == k) /* the largest subnormal, and the double just below the largest */
		return nextafter(DBL_MIN, 0);
	if (i == k + 1)
		return -nextafter(DBL_MAX, 0);
	return ldexp((double)(i * 2654435761u % 1000003u) - 500000.5, (int)(i % 41) - 20);
}

/* argv[1], if given, is the (new, empty) database to use instead of an SQLite file: the
 * PostgreSQL test (tests/sh/pg.sh) runs the same checks against a server, all but the last
 * (the SQLite file's own layout). */
int main(int argc, char **argv)
{
	char dir[] = "/tmp/obl-test-store-XXXXXX";
	if (!check(mkdtemp(dir) != NULL, "a temporary directory"))
		return 1;
	char path[1024];
	snprintf(path, sizeof path, "%s/t.db", dir);
	if (argc > 1)
		snprintf(path, sizeof path, "%s", argv[1]);
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_store *st;
	if (!check(obl_store_open(path, OBL_STORE_CREATE, &st, &err) == OBL_OK,
		   "a new store opens"))
		return 1;
	struct stop_after empty = { 1, 0 };
	int empty_walk = obl_store_each_group(st, NULL, OBL_ORDER_SERIES, stop_at, &empty, &err);
	check(empty_walk == OBL_OK && empty.calls == 0,
	      "an empty store: the walk in series order visits nothing (status %d, %zu calls)",
	      empty_walk, empty.calls);
	struct obl_batch b;
	struct obl_ingest_result r = { 0 };
	fill(&b, 0);
	struct obl_source_info src = { .path = "a.json", .format = "vllm", .sha256 = "aa", .size = 100, .label = "base" };
	check(obl_store_write(st, &src, &b, &r, &err) == OBL_OK && !r.duplicate && r.trials == 2 &&
		      r.series == 4 && r.values == 10,
	      "a batch of 2 trials, 4 series and 10 values is written");
	obl_ingest_result_release(&r);
	/* groups made in memory from the same batch, before its values move out */
	struct obl_group *mem;
	size_t n_mem;
	MUST(obl_batch_groups(&b, "base", &mem, &n_mem, &err));
	obl_batch_free(&b);

	fill(&b, 1); /* a second file of the run: repetition 2 */
	struct obl_source_info src2 = { .path = "b.json", .format = "vllm", .sha256 = "bb", .size = 100, .label = "base" };
	MUST(obl_store_write(st, &src2, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	fill(&b, 1); /* the same content again (same SHA-256) */
	struct obl_source_info again = { .path = "b-copy.json", .format = "vllm", .sha256 = "bb", .size = 100, .label = "base" };
	MUST(obl_store_write(st, &again, &b, &r, &err));
	check(r.duplicate && r.duplicate_of && !strcmp(r.duplicate_of, "b.json"),
	      "the same content again is a duplicate of b.json");
	obl_ingest_result_release(&r);
	obl_batch_free(&b);

	struct obl_group *g;
	size_t n;
	const struct obl_store_filter all = { "base", NULL, NULL, 0 };
	MUST(obl_store_groups(st, &all, &g, &n, &err));
	check(n == 4, "4 groups: 2 scenarios x 2 metrics (got %zu)", n);
	const struct obl_group *t1 = find(g, n, "ttft_ms", "1");
	check(t1 && t1->trials == 2 && t1->per_trial[0].n == 4 && t1->per_trial[1].n == 4 &&
		      t1->per_trial[0].v[0] == 10 && t1->per_trial[0].v[3] == 13 &&
		      t1->per_trial[1].v[0] == 11,
	      "ttft at concurrency 1: two repetitions of 4 values, in order, values exact");
	check(t1 && !strcmp(t1->unit, "ms") && t1->direction == OBL_LOWER_IS_BETTER &&
		      t1->kind == OBL_KIND_SAMPLE,
	      "ttft: the catalogue's unit, direction and kind");
	const struct obl_group *tp = find(g, n, "output_throughput_tok_s", "8");
	check(tp && tp->trials == 2 && tp->per_trial[1].v[0] == 999 &&
		      tp->direction == OBL_HIGHER_IS_BETTER && tp->kind == OBL_KIND_AGGREGATE,
	      "throughput at concurrency 8: one value per repetition, higher is better");
	check(n >= 2 && !strcmp(g[0].scenario[0].value, "1") && !strcmp(g[0].metric, "ttft_ms"),
	      "groups ordered by scenario, then the catalogue's metric order");
	/* the in-memory groups of the first file: the same order and values as the store's
	 * first repetition */
	int same = n_mem == n;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(mem[i].metric, g[i].metric) &&
		       !strcmp(mem[i].scenario_canonical, g[i].scenario_canonical) &&
		       mem[i].trials == 1 && mem[i].per_trial[0].n == g[i].per_trial[0].n &&
		       !memcmp(mem[i].per_trial[0].v, g[i].per_trial[0].v,
			       g[i].per_trial[0].n * sizeof(double));
	check(same, "obl_batch_groups gives the store's groups, in the store's order");
	obl_groups_free(mem, n_mem);

	/* obl_store_each_group: the same groups in run order; one series after another */
	fill(&b, 0);
	struct obl_source_info src3 = { .path = "c.json", .format = "vllm", .sha256 = "cc", .size = 100, .label = "cand" };
	MUST(obl_store_write(st, &src3, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	struct visits seen = { 0 };
	const struct obl_store_filter any = { NULL, NULL, NULL, 0 };
	MUST(obl_store_each_group(st, &any, OBL_ORDER_RUN, visit, &seen, &err));
	check(seen.n == 8 && !strcmp(seen.what[0], "base 1 ttft_ms") &&
		      !strcmp(seen.what[4], "cand 1 ttft_ms"),
	      "each group, run by run: 8 groups, base's first (got %zu: %s, %s)", seen.n,
	      seen.n ? seen.what[0] : "", seen.n > 4 ? seen.what[4] : "");
	int as_groups = seen.n >= n;
	for (size_t i = 0; as_groups && i < n; i++) {
		char want[200];
		snprintf(want, sizeof want, "%s %s %s", g[i].run, g[i].scenario[0].value, g[i].metric);
		as_groups = !strcmp(want, seen.what[i]);
	}
	check(as_groups, "in run order, the order of obl_store_groups");
	visits_clear(&seen);
	MUST(obl_store_each_group(st, &any, OBL_ORDER_SERIES, visit, &seen, &err));
	int paired = seen.n == 8;
	for (size_t i = 0; paired && i < 8; i += 2)
		paired = !strncmp(seen.what[i], "base ", 5) && !strncmp(seen.what[i + 1], "cand ", 5) &&
			 !strcmp(seen.what[i] + 5, seen.what[i + 1] + 5);
	check(paired, "in series order, each series' runs together, in run order (%s, %s, %s)",
	      seen.n ? seen.what[0] : "", seen.n > 1 ? seen.what[1] : "", seen.n > 2 ? seen.what[2] : "");
	visits_clear(&seen);
	struct stop_after stop = { 3, 0 };
	check(obl_store_each_group(st, &any, OBL_ORDER_RUN, stop_at, &stop, &err) == 7 && stop.calls == 3,
	      "a callback's non-zero return stops the walk and is returned");
	struct against ag = { g, n, 0, 0, 0 };
	MUST(obl_store_each_group(st, &all, OBL_ORDER_SERIES, compare_with, &ag, &err));
	check(ag.visited == n && ag.same == n && ag.contiguous == n,
	      "each group read alone has the values obl_store_groups reads, in one array "
	      "(%zu visited, %zu the same, %zu in one array)",
	      ag.visited, ag.same, ag.contiguous);
	obl_groups_free(g, n);

	/* series with gaps: run "gap" has concurrency 1 only, and a third repetition there */
	obl_batch_init(&b);
	for (int rep = 0; rep < 2; rep++) {
		struct obl_trial_data *gt = obl_batch_trial(&b);
		MUST(obl_trial_set_scenario(gt, "concurrency", "1"));
		struct obl_series *gs = obl_trial_series(gt, "ttft_ms", "ms", OBL_KIND_SAMPLE);
		MUST(obl_values_push(&gs->values, 30 + rep));
	}
	struct obl_source_info gap_src = { .path = "gap.json", .format = "vllm", .sha256 = "e1", .size = 1, .label = "gap" };
	MUST(obl_store_write(st, &gap_src, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	check_series_walk(st, &any, 9, "every run, one lacking a scenario");
	const struct obl_kv c8 = { "concurrency", "8" }, c1 = { "concurrency", "1" };
	const struct obl_store_filter at8 = { NULL, NULL, &c8, 1 }, at1 = { NULL, NULL, &c1, 1 };
	const struct obl_store_filter ttft = { NULL, "ttft_ms", NULL, 0 };
	const struct obl_store_filter gap_run = { "gap", NULL, NULL, 0 };
	const struct obl_store_filter ttft1 = { NULL, "ttft_ms", &c1, 1 };
	check_series_walk(st, &at8, 4, "scenario concurrency=8 (the run without it left out)");
	check_series_walk(st, &at1, 5, "scenario concurrency=1");
	check_series_walk(st, &ttft, 5, "metric ttft_ms");
	check_series_walk(st, &ttft1, 3, "metric ttft_ms at concurrency=1");
	check_series_walk(st, &gap_run, 1, "run gap");
	const struct obl_kv nowhere = { "concurrency", "3" };
	const struct obl_store_filter none3 = { NULL, NULL, &nowhere, 1 };
	check_series_walk(st, &none3, 0, "a scenario no run has");
	visits_clear(&seen);
	MUST(obl_store_each_group(st, &at1, OBL_ORDER_SERIES, visit, &seen, &err));
	check(seen.n == 5 && !strcmp(seen.what[0], "base 1 ttft_ms") &&
		      !strcmp(seen.what[1], "cand 1 ttft_ms") && !strcmp(seen.what[2], "gap 1 ttft_ms") &&
		      !strcmp(seen.what[3], "base 1 output_throughput_tok_s") &&
		      !strcmp(seen.what[4], "cand 1 output_throughput_tok_s"),
	      "in series order at concurrency 1: ttft of base, cand, gap, then the throughput of "
	      "base and cand (%s; %s; %s; %s; %s)",
	      seen.what[0], seen.what[1], seen.what[2], seen.what[3], seen.what[4]);
	stop = (struct stop_after){ 4, 0 };
	int stopped = obl_store_each_group(st, &any, OBL_ORDER_SERIES, stop_at, &stop, &err);
	check(stopped == 7 && stop.calls == 4,
	      "in series order too, a callback's non-zero return stops the walk and is returned "
	      "(%d after %zu calls)",
	      stopped, stop.calls);

	/* a series of 1210 values of every kind: three blocks (504, 504, 202) */
	enum { EDGE = 1210 };
	obl_batch_init(&b);
	struct obl_trial_data *et = obl_batch_trial(&b);
	MUST(obl_trial_set_scenario(et, "case", "edge"));
	struct obl_series *es = obl_trial_series(et, "x", "", OBL_KIND_SAMPLE);
	for (size_t i = 0; i < EDGE; i++)
		MUST(obl_values_push(&es->values, edge_value(i)));
	struct obl_source_info src4 = { .path = "edge.txt", .format = "plain", .sha256 = "dd", .size = 1, .label = "edge" };
	MUST(obl_store_write(st, &src4, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	const struct obl_store_filter edge = { "edge", NULL, NULL, 0 };
	MUST(obl_store_groups(st, &edge, &g, &n, &err));
	int exact = n == 1 && g[0].trials == 1 && g[0].per_trial[0].n == EDGE;
	for (size_t i = 0; exact && i < EDGE; i++) {
		double want = edge_value(i);
		exact = !memcmp(&want, &g[0].per_trial[0].v[i], sizeof want);
	}
	check(exact, "1210 values of every kind come back bit for bit across three blocks");
	obl_groups_free(g, n);

	/* NaN and infinities are not data: refused, naming the file and the metric, and the
	 * store is as it was */
	const double not_finite[] = { NAN, INFINITY, -INFINITY };
	const char *const named[] = { "NaN", "+infinity", "-infinity" };
	for (size_t k = 0; k < 3; k++) {
		obl_batch_init(&b);
		struct obl_trial_data *nt = obl_batch_trial(&b);
		MUST(obl_trial_set_scenario(nt, "case", "nan"));
		struct obl_series *ns = obl_trial_series(nt, "y", "", OBL_KIND_SAMPLE);
		MUST(obl_values_push(&ns->values, 1.5));
		MUST(obl_values_push(&ns->values, not_finite[k]));
		struct obl_source_info src5 = { .path = "nan.txt", .format = "plain", .sha256 = "ee", .size = 1, .label = "nan" };
		obl_error_clear(&err);
		int refused = obl_store_write(st, &src5, &b, &r, &err) == OBL_EINPUT;
		obl_ingest_result_release(&r);
		obl_batch_free(&b);
		char want[128];
		snprintf(want, sizeof want, "value 2 is %s: obl stores finite values only (nothing was written)",
			 named[k]);
		const struct obl_store_filter none = { "nan", NULL, NULL, 0 };
		int nothing = obl_store_groups(st, &none, &g, &n, &err) == OBL_OK && n == 0;
		obl_groups_free(g, n);
		check(refused && nothing && !strcmp(err.message, want) && !strcmp(err.file, "nan.txt") &&
			      !strcmp(err.field, "y"),
		      "a %s is refused by the store, naming the file, the metric and the value (%s)",
		      named[k], err.message);
		obl_error_clear(&err);
	}
	if (argc > 1) { /* the rest reads the SQLite file itself */
		obl_store_close(st);
		rmdir(dir);
		return check_failures != 0;
	}
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	size_t rows = 0, bits = 0, blocks = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT seq, value FROM samples WHERE run = 'edge' ORDER BY seq", -1,
			       &q, NULL) == SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			sqlite3_int64 seq = sqlite3_column_int64(q, 0);
			double got = sqlite3_column_double(q, 1), want = edge_value(rows);
			rows++;
			bits += seq == (sqlite3_int64)rows &&
				sqlite3_column_type(q, 1) == SQLITE_FLOAT && !memcmp(&got, &want, sizeof got);
		}
	}
	sqlite3_finalize(q);
	q = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM sample_block b JOIN series se ON se.id = b.series_id "
			       "JOIN trial t ON t.id = se.trial_id JOIN run r ON r.id = t.run_id WHERE "
			       "r.label = 'edge' AND length(b.data) = 8 * min(504, 1210 - b.start)",
			       -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		blocks = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	check(rows == EDGE && bits == EDGE, "the samples view decodes all 1210 values bit for bit, "
					    "in order (%zu rows, %zu exact)",
	      rows, bits);
	check(blocks == 3, "the series is three blocks of 504, 504 and 202 values (%zu)", blocks);

	/* The writer turns foreign keys off while it writes: a run removed through the same
	 * connection afterwards still takes its files' tags with it (ON DELETE CASCADE). */
	fill(&b, 3);
	MUST(obl_batch_tag(&b, "host_name", "box9"));
	struct obl_source_info tagged = { .path = "t.json", .format = "vllm", .sha256 = "tt", .size = 1, .label = "gone" };
	MUST(obl_store_write(st, &tagged, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	MUST(obl_store_run_remove(st, "gone", &err));
	long long orphans = -1, tags = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM source_tag WHERE source_id NOT IN "
			       "(SELECT id FROM source)), (SELECT count(*) FROM source_tag WHERE "
			       "value = 'box9')",
			       -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		orphans = sqlite3_column_int64(q, 0);
		tags = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	check(orphans == 0 && tags == 0,
	      "a run removed after a write on the same connection leaves none of its files' tags "
	      "(%lld orphans, %lld left)",
	      orphans, tags);

	/* a damaged count is said to be one in series order too, never an allocation sized by
	 * it nor values dropped */
	static const struct {
		const char *count, *says;
	} damage[] = {
		{ "2305843009213693952", "a series claims 2305843009213693952 values, which the file "
					 "cannot hold: the database is damaged" },
		{ "-5", "a series claims -5 values, which the file cannot hold: the database is "
			"damaged" },
		{ "0", " (run edge, scenario case=edge, metric x, repetition 1): its blocks hold more "
		       "than the 0 values its count says: the database is damaged" },
		{ "1211", " (run edge, scenario case=edge, metric x, repetition 1): its blocks hold "
			  "1210 values, its count says 1211: the database is damaged" },
	};
	for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
		char sql[300];
		snprintf(sql, sizeof sql,
			 "UPDATE series SET count = %s WHERE id = (SELECT se.id FROM series se JOIN "
			 "trial t ON t.id = se.trial_id JOIN run r ON r.id = t.run_id WHERE r.label "
			 "= 'edge')",
			 damage[i].count);
		int changed = sqlite3_open(path, &db) == SQLITE_OK &&
			      sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK &&
			      sqlite3_changes(db) == 1;
		sqlite3_close(db);
		struct visits walked = { 0 };
		obl_error_clear(&err);
		int status = obl_store_each_group(st, NULL, OBL_ORDER_SERIES, visit, &walked, &err);
		/* the series named by its run, scenario, metric and repetition where counts agree */
		const char *says = strstr(err.message, damage[i].says);
		check(changed && status == OBL_EINPUT && says && !strcmp(says, damage[i].says) &&
			      !strcmp(err.file, path),
		      "count %s, in series order: %s, naming the file (status %d: %s)",
		      damage[i].count, damage[i].says, status, err.message);
	}
	/* obl_store_discard_new: a store that did not make its file, or whose file holds runs,
	 * keeps it; one that made an empty file removes it with its -wal and -shm, unless another
	 * connection has it open */
	obl_store_discard_new(st);
	check(access(path, F_OK) == 0, "a database the store did not create is kept by obl_store_discard_new");
	char fresh[1100], side[1200];
	snprintf(fresh, sizeof fresh, "%s/new.db", dir);
	struct obl_store *made = NULL, *other = NULL;
	MUST(obl_store_open(fresh, OBL_STORE_CREATE, &made, &err));
	MUST(obl_store_open(fresh, OBL_STORE_CREATE, &other, &err));
	obl_store_discard_new(made);
	check(access(fresh, F_OK) == 0, "a new, empty database another connection has open is kept");
	MUST(obl_store_open(fresh, OBL_STORE_CREATE, &made, &err)); /* it exists: not made here */
	obl_store_close(other);
	obl_store_discard_new(made);
	check(access(fresh, F_OK) == 0, "a database that existed before the store opened it is kept");
	unlink(fresh);
	MUST(obl_store_open(fresh, OBL_STORE_CREATE, &made, &err));
	obl_batch_init(&b);
	struct obl_trial_data *ft = obl_batch_trial(&b);
	MUST(obl_trial_set_scenario(ft, "case", "one"));
	MUST(obl_values_push(&obl_trial_series(ft, "z", "", OBL_KIND_SAMPLE)->values, 2.5));
	struct obl_source_info src6 = { .path = "one.txt", .format = "plain", .sha256 = "ff", .size = 1, .label = "one" };
	MUST(obl_store_write(made, &src6, &b, &r, &err));
	obl_ingest_result_release(&r);
	obl_batch_free(&b);
	obl_store_discard_new(made);
	check(access(fresh, F_OK) == 0, "a new database that holds a run is kept");
	unlink(fresh);
	MUST(obl_store_open(fresh, OBL_STORE_CREATE, &made, &err));
	obl_store_discard_new(made);
	int gone = access(fresh, F_OK) != 0;
	snprintf(side, sizeof side, "%s-wal", fresh);
	gone = gone && access(side, F_OK) != 0;
	snprintf(side, sizeof side, "%s-shm", fresh);
	gone = gone && access(side, F_OK) != 0;
	check(gone, "a database the store created and left empty is removed, with its -wal and -shm");
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
	return check_failures != 0;
}
