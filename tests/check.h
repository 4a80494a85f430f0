/*
 * check.h - a minimal test harness: each check prints "ok - NAME" or "not ok - NAME: why",
 * which tests/run.sh counts. Every check states a concrete expected value.
 */
#ifndef OBL_CHECK_H
#define OBL_CHECK_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int check_failures;

__attribute__((format(printf, 2, 3), unused)) static int check(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s - ", ok ? "ok" : "not ok");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!ok)
		check_failures++;
	return ok;
}

/* |got - want| <= tol * max(1, |want|) */
__attribute__((unused)) static int check_near(double got, double want, double tol, const char *name)
{
	int ok = fabs(got - want) <= tol * fmax(1, fabs(want));
	if (ok)
		return check(1, "%s", name);
	return check(0, "%s: got %.17g, want %.17g", name, got, want);
}

/* A call whose status must be OBL_OK (0) for the test to mean anything: silent when it is,
 * a failed check naming the call when not (the functions are marked OBL_MUST_CHECK). */
#define MUST(call) must_ok((call), #call)
__attribute__((unused)) static void must_ok(int status, const char *call)
{
	if (status != 0)
		check(0, "%s returned %d", call, status);
}

#endif
