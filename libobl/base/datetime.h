/*
 * datetime.h - the dates and times that runs carry as tags, read as instants (seconds since
 * 1970-01-01T00:00:00Z), so that runs can be put in time order whatever form each date has.
 */
#ifndef OBL_DATETIME_H
#define OBL_DATETIME_H

/*
 * Reads s as an instant into *seconds; returns 0, or -1 when s is none of these forms:
 *  - ISO 8601 calendar date, or date and time: 2026-11-24, 2026-11-9 (one-digit month and
 *    day as some files write them), 2026-11-24T15:59:30, "2026-11-24 15:59" (space for T),
 *    seconds with a fraction (.817862 or ,5), and a zone: Z, +05:00, +0500 or +05 (mlperf's
 *    test_datetime, pytest-benchmark's and Google Benchmark's date);
 *  - vLLM's date, 20260818-021403 (YYYYMMDD-HHMMSS);
 *  - Unix time: seconds since 1970 with an optional fraction, 1737929711.127667 (lm-eval).
 * A date or time without a zone is read as UTC. Fields out of range (month 13, 31 April,
 * hour 24, minute 60) are refused; a second of 60 (a leap second) is read as the next one.
 */
int obl_datetime_parse(const char *s, double *seconds);

#endif
