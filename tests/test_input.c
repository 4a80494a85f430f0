/*
 * test_input.c - the input layer: the fast decimal parser returns exactly strtod's double,
 * and the plain-number reader skips what ministat skips and reports bad tokens with file,
 * line, column and the token.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "read_plain.h"
#include "check.h"

static uint64_t state = 12345;
static uint64_t next(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return state >> 17;
}

static void test_parse_double(void)
{
	char buf[64];
	int same = 1, count = 0;
	for (int i = 0; i < 200000; i++) {
		int digits = 1 + (int)(next() % 20), point = (int)(next() % (digits + 1));
		char *p = buf;
		if (next() % 4 == 0)
			*p++ = '-';
		for (int d = 0; d < digits; d++) {
			if (d == point && d > 0)
				*p++ = '.';
			*p++ = (char)('0' + next() % 10);
		}
		if (next() % 5 == 0)
			p += sprintf(p, "e%d", (int)(next() % 80) - 40);
		*p = 0;
		double got, want = strtod(buf, NULL);
		int rc = obl_parse_double(buf, p, &got);
		count++;
		if (rc != 0 || memcmp(&got, &want, sizeof got) != 0) {
			if (same)
				printf("# mismatch on '%s': %.17g vs %.17g\n", buf, got, want);
			same = 0;
		}
	}
	check(same, "obl_parse_double equals strtod bit for bit on %d random decimals", count);
	const char *hard[] = { "0.1", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
			       "9007199254740993", "123456789012345678901234567890", "-0",
			       "0.30000000000000004", "1e22", "1e23" };
	int ok = 1;
	for (size_t i = 0; i < sizeof hard / sizeof *hard; i++) {
		double got, want = strtod(hard[i], NULL);
		ok &= obl_parse_double(hard[i], hard[i] + strlen(hard[i]), &got) == 0 &&
		      memcmp(&got, &want, sizeof got) == 0;
	}
	check(ok, "obl_parse_double on boundary cases (denormals, 2^53 + 1, 1e23, -0)");
	const char *bad[] = { "", "-", "1.2.3", "12abc", "e5", "1e", "0x10", " 1" };
	ok = 1;
	double v;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok &= obl_parse_double(bad[i], bad[i] + strlen(bad[i]), &v) == -1;
	check(ok, "obl_parse_double rejects non-numbers");
	const char *nonfinite[] = { "nan", "NaN", "inf", "-Infinity", "1e400" };
	ok = 1;
	for (size_t i = 0; i < sizeof nonfinite / sizeof *nonfinite; i++)
		ok &= obl_parse_double(nonfinite[i], nonfinite[i] + strlen(nonfinite[i]), &v) == -2;
	check(ok, "obl_parse_double reports NaN, infinity and overflow as non-finite");
}

static int read_text(const char *text, long column, const char *delims, struct obl_values *v,
		     struct obl_error *err)
{
	struct obl_file f = { (char *)text, strlen(text), "t.txt", 0 };
	struct obl_plain_options o = { column, delims };
	obl_error_clear(err);
	v->n = 0;
	return obl_read_plain(&f, &o, v, err);
}

static void test_plain(void)
{
	struct obl_values v = { 0 };
	struct obl_error err;
	int rc = read_text("# header\n1.5\n\n  2.5  # trailing comment\r\n3\n", 1, NULL, &v, &err);
	check(rc == 0 && v.n == 3 && v.v[0] == 1.5 && v.v[1] == 2.5 && v.v[2] == 3,
	      "plain: comments, blank lines, CRLF and blanks skipped");
	rc = read_text("a 1 10\nb 2 20\n", 3, NULL, &v, &err);
	check(rc == 0 && v.n == 2 && v.v[0] == 10 && v.v[1] == 20, "plain: -C 3 reads column 3");
	rc = read_text("x,1.25\ny, 2.5\n", 2, ",", &v, &err);
	check(rc == 0 && v.n == 2 && v.v[0] == 1.25 && v.v[1] == 2.5,
	      "plain: -d , with blanks around fields");
	rc = read_text("# c\nttft_ms\n1\n2\n", 1, NULL, &v, &err);
	check(rc == 0 && v.n == 2 && v.v[0] == 1, "plain: a non-numeric first line is a header");
	rc = read_text("1\n2\nabc\n", 1, NULL, &v, &err);
	check(rc == OBL_EINPUT && err.line == 3 && err.column == 1 && !strcmp(err.field, "abc") &&
		      v.n == 0,
	      "plain: a bad token names line 3, column 1 and 'abc'; nothing kept");
	rc = read_text("1\n  nan\n", 1, NULL, &v, &err);
	check(rc == OBL_EINPUT && err.line == 2 && err.column == 3 &&
		      strstr(err.message, "finite") != NULL,
	      "plain: NaN is refused as not finite, at line 2 column 3");
	rc = read_text("1 2\n3\n", 2, NULL, &v, &err);
	check(rc == OBL_EINPUT && err.line == 2 && strstr(err.message, "no column 2") != NULL,
	      "plain: a short line names the missing column");
	obl_values_release(&v);
}

int main(void)
{
	test_parse_double();
	test_plain();
	return check_failures != 0;
}
