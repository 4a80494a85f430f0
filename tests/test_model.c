/*
 * test_model.c - the batch's interning (one copy per distinct string: equal strings are equal
 * pointers, through growth of the table and of the text blocks, for text not NUL-terminated),
 * the catalogue and the one direction enum, and the statistics a row can name.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "model.h"

static void test_interning(void)
{
	struct obl_batch b;
	obl_batch_init(&b);
	const char *a = obl_batch_intern(&b, "ttft_ms", 7);
	const char *a2 = obl_batch_intern(&b, "ttft_ms and more", 7); /* not NUL-terminated */
	const char *p = obl_batch_intern(&b, "ttft", 4);
	check(a && a == a2 && !strcmp(a, "ttft_ms"), "equal text, one copy (the same pointer)");
	check(p && p != a && !strcmp(p, "ttft"), "a prefix is a string of its own");
	const char *empty = obl_batch_intern(&b, "", 0);
	check(empty && !*empty && empty == obl_batch_intern(&b, "x", 0), "the empty string once");
	/* 20 000 distinct names: the table and the blocks grow; every earlier pointer stays */
	enum { N = 20000 };
	static const char *first[N];
	char name[32];
	for (int i = 0; i < N; i++) {
		int len = snprintf(name, sizeof name, "metric_%d", i);
		first[i] = obl_batch_intern(&b, name, (size_t)len);
	}
	int same = 1, text = 1;
	for (int i = 0; i < N; i++) {
		int len = snprintf(name, sizeof name, "metric_%d", i);
		same &= obl_batch_intern(&b, name, (size_t)len) == first[i];
		text &= first[i] && !strcmp(first[i], name);
	}
	check(same && text, "20 000 names interned twice: the same pointers, the text intact");
	check(b.strings.n_strings == N + 3, "one copy each: %zu distinct strings (want %d)",
	      b.strings.n_strings, N + 3);
	check(obl_batch_intern(&b, "ttft_ms", 7) == a, "the first string survives the growth");
	check(obl_intern_hash(a, p) == obl_intern_hash(a2, p) &&
		      obl_intern_hash(a, p) != obl_intern_hash(p, a),
	      "the hash of two interned names: by pointer, order matters");
	obl_batch_free(&b);
}

static void test_catalogue(void)
{
	check(obl_metric_direction_of("ttft_ms", "ms") == OBL_LOWER_IS_BETTER &&
		      obl_metric_direction_of("output_throughput_tok_s", "tok/s") ==
			      OBL_HIGHER_IS_BETTER &&
		      obl_metric_direction_of("custom_requests_per_s", "") == OBL_HIGHER_IS_BETTER &&
		      obl_metric_direction_of("queue_depth", "") == OBL_DIRECTION_NONE,
	      "directions: the catalogue's, then guessed from the name and unit, else none");
	int round_trip = 1;
	for (int d = OBL_LOWER_IS_BETTER; d <= OBL_DIRECTION_NONE; d++)
		round_trip &= obl_direction_from_name(obl_direction_names[d]) == (enum obl_direction)d;
	check(round_trip && obl_direction_from_name("sideways") == OBL_DIRECTION_NONE,
	      "direction names round-trip; an unknown name is none");
}

static void test_statistics(void)
{
	struct obl_statistic s;
	check(obl_statistic_parse("median", &s) && s.kind == OBL_STAT_MEDIAN && s.q == 0.5,
	      "median: the 0.5 quantile");
	check(obl_statistic_parse("mean", &s) && s.kind == OBL_STAT_MEAN, "mean");
	check(obl_statistic_parse("p99.9", &s) && s.kind == OBL_STAT_QUANTILE && fabs(s.q - 0.999) < 1e-15,
	      "p99.9: the 0.999 quantile");
	check(!obl_statistic_parse("p100", &s) && !obl_statistic_parse("p0", &s) &&
		      !obl_statistic_parse("p", &s) && !obl_statistic_parse("p9x", &s) &&
		      !obl_statistic_parse("max", &s),
	      "p100, p0, p, p9x and max are not statistics");
	check(obl_statistic_parse("rate", &s) && s.kind == OBL_STAT_RATE &&
		      !obl_statistic_named("rate") && obl_statistic_named("p90"),
	      "rate is a statistic of proportions a user does not name; p90 is named");
}

int main(void)
{
	test_interning();
	test_catalogue();
	test_statistics();
	return check_failures != 0;
}
