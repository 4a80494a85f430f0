/*
 * datetime.c - dates and times of run tags as instants (see datetime.h). Hand-written rather
 * than strptime: that is POSIX only, reads local time, and takes neither one-digit fields
 * nor fractions and zones portably.
 */
#include "datetime.h"

#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(long y, long m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads between min and max digits at *p; -1 when there are fewer or more. */
static long digits(const char **p, int min, int max)
{
	long v = 0;
	int n = 0;
	while (**p >= '0' && **p <= '9') {
		if (++n > max)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n >= min ? v : -1;
}

/* Reads exactly n digits at *p (what follows may be more); -1 when there are fewer. */
static long fixed(const char **p, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!(**p >= '0' && **p <= '9'))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* A plain number: seconds since 1970. */
static int unix_time(const char *s, double *seconds)
{
	const char *p = s;
	if (*p == '-')
		p++;
	size_t whole = strspn(p, "0123456789");
	if (!whole)
		return -1;
	p += whole;
	if (*p == '.' && !p[1 + strspn(p + 1, "0123456789")] && p[1])
		p += 1 + strspn(p + 1, "0123456789");
	if (*p)
		return -1;
	*seconds = strtod(s, NULL);
	return 0;
}

int obl_datetime_parse(const char *s, double *seconds)
{
	const char *p = s;
	long y, mo, d, h = 0, mi = 0;
	double sec = 0, zone = 0;
	if (strlen(s) == 15 && s[8] == '-' && strspn(s, "0123456789") == 8 &&
	    strspn(s + 9, "0123456789") == 6) {
		/* vLLM: YYYYMMDD-HHMMSS */
		char f[5] = { 0 };
		long v[6];
		static const int at[] = { 0, 4, 6, 9, 11, 13 }, len[] = { 4, 2, 2, 2, 2, 2 };
		for (int i = 0; i < 6; i++) {
			memcpy(f, s + at[i], (size_t)len[i]);
			f[len[i]] = 0;
			v[i] = strtol(f, NULL, 10);
		}
		y = v[0], mo = v[1], d = v[2], h = v[3], mi = v[4], sec = (double)v[5];
		p = s + 15;
	} else {
		if ((y = digits(&p, 4, 4)) < 0 || *p++ != '-')
			return unix_time(s, seconds);
		if ((mo = digits(&p, 1, 2)) < 0 || *p++ != '-' || (d = digits(&p, 1, 2)) < 0)
			return -1;
		if (*p == 'T' || *p == 't' || (*p == ' ' && p[1])) {
			p++;
			if ((h = digits(&p, 2, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2, 2)) < 0)
				return -1;
			if (*p == ':') {
				p++;
				long whole = digits(&p, 2, 2);
				if (whole < 0)
					return -1;
				sec = (double)whole;
				if (*p == '.' || *p == ',') {
					double scale = 0.1;
					p++;
					if (!(*p >= '0' && *p <= '9'))
						return -1;
					for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
						sec += scale * (*p - '0');
				}
			}
			if (*p == 'Z' || *p == 'z') {
				p++;
			} else if (*p == '+' || *p == '-') {
				int sign = *p++ == '-' ? -1 : 1;
				long zh = fixed(&p, 2), zm = 0;
				if (zh < 0)
					return -1;
				if (*p == ':')
					p++;
				if ((*p >= '0' && *p <= '9') || p[-1] == ':')
					zm = fixed(&p, 2);
				if (zm < 0 || zh > 23 || zm > 59)
					return -1;
				zone = sign * (double)(zh * 3600 + zm * 60);
			}
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    sec >= 61)
		return -1;
	*seconds = (double)days_from_civil(y, mo, d) * 86400 + (double)(h * 3600 + mi * 60) + sec -
		   zone;
	return 0;
}
