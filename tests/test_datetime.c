/*
 * test_datetime.c - obl_datetime_parse on the date forms runs carry as tags (each reader's,
 * and ISO 8601 as people write it), against instants from Python's datetime.fromisoformat
 * (a time without a zone taken as UTC), and the forms it must refuse rather than misread.
 */
#include <string.h>

#include "check.h"
#include "datetime.h"

static void reads(const char *s, double want)
{
	double got = 0;
	int rc = obl_datetime_parse(s, &got);
	if (!check(rc == 0 && fabs(got - want) < 1e-6, "'%s' is %.6f", s, want))
		printf("#   status %d, got %.6f\n", rc, got);
}

static void refuses(const char *s)
{
	double got = 0;
	int rc = obl_datetime_parse(s, &got);
	if (!check(rc != 0, "'%s' is not read as a date", s))
		printf("#   read as %.6f\n", got);
}

int main(void)
{
	/* ISO 8601 dates, one-digit month and day as some files write them */
	reads("2026-11-24", 1795478400.0);
	reads("2026-11-09", 1794182400.0);
	reads("2026-11-9", 1794182400.0);
	reads("2024-2-29", 1709164800.0);
	reads("2000-03-01", 951868800.0);
	/* date and time: T or a space, seconds optional, fractions, zones */
	reads("2026-11-24T15:59:30", 1795535970.0);
	reads("2026-11-24 15:59:30", 1795535970.0);
	reads("2026-11-24t15:59", 1795535940.0);
	reads("2026-11-04T23:00:00+05:00", 1793815200.0);
	reads("2026-11-04T23:00:00+0500", 1793815200.0);
	reads("2026-11-04T23:00:00+05", 1793815200.0);
	reads("2026-11-04T13:00:00-05:00", 1793815200.0);
	reads("2026-11-04T18:00:00Z", 1793815200.0);
	reads("2026-11-04T18:00:00,5Z", 1793815200.5);
	/* pytest-benchmark's datetime, mlperf's test_datetime, Google Benchmark's date */
	reads("2019-11-17T02:22:16.817862", 1573957336.817862);
	reads("2015-08-15T00:01:46.250433+00:00", 1439596906.250433);
	reads("2025-07-22T14:38:06Z", 1753195086.0);
	reads("2019-11-29 21:26:59", 1575062819.0);
	/* vLLM's date: YYYYMMDD-HHMMSS */
	reads("20260818-021403", 1787019243.0);
	/* Unix time (lm-eval's date) and plain numbers */
	reads("1737929711.127667", 1737929711.127667);
	reads("17", 17.0);
	reads("-1", -1.0);
	reads("1969-12-31T23:59:59", -1.0);
	/* mixed zones compare as instants: 23:00 at +05:00 is before 19:00 UTC */
	double a = 0, b = 0;
	MUST(obl_datetime_parse("2026-11-04T23:00:00+05:00", &a));
	MUST(obl_datetime_parse("2026-11-04T19:00:00Z", &b));
	check(a < b, "23:00 at +05:00 is an hour before 19:00 UTC");

	refuses("Nov 5 2026");
	refuses("2026-13-01");
	refuses("2026-04-31");
	refuses("2025-02-29");
	refuses("2026-11-24T24:00:00");
	refuses("2026-11-24T15:60");
	refuses("2026-11-24T15:59:30+25:00");
	refuses("2026-11-24T15:59:30.");
	refuses("2026-11-24T15:59:30+05:");
	refuses("2026-11-24T15:59:30+050");
	refuses("2026-11-24T");
	refuses("2026-11-24 ");
	refuses("2026-11");
	refuses("20261340-021403");
	refuses("1.2.3");
	refuses("1e9");
	refuses("");
	refuses("v1.10");
	return check_failures != 0;
}
