/*
 * input.c - whole-file input and exact fast decimal parsing (see input.h).
 *
 * Benchmark files are mostly short decimals ("123.45"). For those, Clinger's fast path is
 * exact: a mantissa below 2^53 times or divided by an exact power of ten up to 10^22 is one
 * correctly rounded operation, the same double strtod returns. Anything else goes to strtod.
 */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include "input.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest input read, in bytes: 1 GiB unless the tool set another bound (its
 * OBL_MAX_INPUT_MB). Readers hold a file's values in memory (the vLLM reader about the
 * file's size at peak: the mapped text, dropped as its ITLs are parsed, then the values),
 * so a larger file is refused up front, within bounded memory, instead of exhausting the
 * machine half-way. */
static size_t input_limit = (size_t)1024 << 20;

static size_t max_input(void)
{
	return input_limit;
}

void obl_input_set_limit(size_t bytes)
{
	input_limit = bytes ? bytes : (size_t)1024 << 20;
}

static int too_large(const char *path, unsigned long long size, size_t max,
		     struct obl_error *err)
{
	return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
			     "%s%.1f MiB: larger than obl reads (%.0f MiB; set OBL_MAX_INPUT_MB to "
			     "raise the bound, or split the file)",
			     size ? "is " : "is more than ", (size ? (double)size : (double)max) / 1048576.0,
			     (double)max / 1048576.0);
}

void obl_file_drop(const char *data, size_t from, size_t to)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t page = ps > 0 ? (size_t)ps : 4096;
	size_t a = (from + page - 1) / page * page, b = to / page * page;
	/* A private read-only mapping never written: MADV_DONTNEED drops the pages, a later
	 * read faults them in again from the page cache. Advice only: a failure changes nothing. */
	if (b > a)
		(void)madvise((void *)(uintptr_t)(data + a), b - a, MADV_DONTNEED);
}

int obl_file_read(const char *path, struct obl_file *out, struct obl_error *err)
{
	out->data = NULL;
	out->len = 0;
	out->path = path;
	out->mapped = 0;
	int is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "cannot open: %s",
				     strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(f);
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL, "is a directory, not a file");
	}
	size_t max = max_input();
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		if (!is_stdin)
			fclose(f);
		return too_large(path, (unsigned long long)st.st_size, max, err);
	}
	if (!is_stdin && S_ISREG(st.st_mode) && st.st_size > 0) {
		/* Map regular files: no copy, no zeroed buffer; large results cost page cache. */
		/* MAP_POPULATE: readers walk the whole file, so fault it in at once (page by page
		 * it cost a fault per 4 KiB, a quarter of the time of a two-file comparison). */
		int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
		flags |= MAP_POPULATE;
#endif
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fileno(f), 0);
		if (map != MAP_FAILED) {
			fclose(f);
			out->data = map;
			out->len = (size_t)st.st_size;
			out->mapped = 1;
			return OBL_OK;
		}
	}
	/* A pipe, a device or a file that grows: read in chunks into a buffer that never grows past
	 * the limit plus two bytes (enough to see that the input is larger), so that /dev/zero
	 * is refused at a cost near the limit, not at twice it. */
	size_t cap = max < SIZE_MAX - 2 ? max + 2 : SIZE_MAX;
	size_t alloc = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 2 : 65536;
	if (alloc > cap)
		alloc = cap;
	char *buf = malloc(alloc);
	size_t len = 0;
	int rc = OBL_OK;
	while (buf) {
		if (len + 1 >= alloc) {
			size_t want = alloc > cap / 2 ? cap : alloc * 2;
			char *p = want > alloc ? realloc(buf, want) : NULL;
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
			alloc = want;
		}
		size_t chunk = alloc - len - 1;
		if (chunk > 1 << 20)
			chunk = 1 << 20;
		size_t got = fread(buf + len, 1, chunk, f);
		len += got;
		if (got == 0 || len > max)
			break;
	}
	if (buf && len > max) {
		if (!is_stdin)
			fclose(f);
		free(buf);
		return too_large(path, 0, max, err);
	}
	if (!buf)
		rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory reading the file");
	else if (ferror(f))
		rc = obl_error_set(err, OBL_EINPUT, path, 0, NULL, "read error: %s", strerror(errno));
	if (!is_stdin)
		fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = 0;
	out->data = buf;
	out->len = len;
	return OBL_OK;
}

void obl_file_release(struct obl_file *f)
{
	if (f->mapped)
		munmap(f->data, f->len);
	else
		free(f->data);
	f->mapped = 0;
	f->data = NULL;
	f->len = 0;
}

static const double exact_powers[23] = {
	1e0,
	1e1,
	1e2,
	1e3,
	1e4,
	1e5,
	1e6,
	1e7,
	1e8,
	1e9,
	1e10,
	1e11,
	1e12,
	1e13,
	1e14,
	1e15,
	1e16,
	1e17,
	1e18,
	1e19,
	1e20,
	1e21,
	1e22,
};

int obl_parse_double(const char *s, const char *end, double *out)
{
	const char *p = s;
	int negative = 0;
	if (p < end && (*p == '+' || *p == '-'))
		negative = *p++ == '-';
	uint64_t mantissa = 0;
	int digits = 0, significant = 0, scale = 0, any = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		any = 1;
		if (significant || *p != '0')
			significant++;
		if (significant <= 19)
			mantissa = mantissa * 10 + (uint64_t)(*p - '0');
		else
			scale++;
		digits++;
		p++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			any = 1;
			if (significant || *p != '0')
				significant++;
			if (significant <= 19) {
				mantissa = mantissa * 10 + (uint64_t)(*p - '0');
				scale--;
			}
			p++;
		}
	}
	if (!any) {
		/* Not a decimal: say whether it is a non-finite value strtod would accept. */
		char tmp[16];
		size_t n = (size_t)(end - s);
		if (n > 0 && n < sizeof tmp) {
			memcpy(tmp, s, n);
			tmp[n] = 0;
			char *e;
			double v = strtod(tmp, &e);
			if (e == tmp + n && !isfinite(v))
				return -2;
		}
		return -1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		const char *q = p + 1;
		int eneg = 0;
		if (q < end && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		if (q >= end || *q < '0' || *q > '9')
			return -1;
		long e = 0;
		while (q < end && *q >= '0' && *q <= '9') {
			if (e < 100000)
				e = e * 10 + (*q - '0');
			q++;
		}
		scale += (int)(eneg ? -e : e);
		p = q;
	}
	if (p != end)
		return -1;
	(void)digits;
	if (significant <= 19 && mantissa < (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
		double v = (double)mantissa;
		v = scale < 0 ? v / exact_powers[-scale] : v * exact_powers[scale];
		*out = negative ? -v : v;
		return 0;
	}
#if LDBL_MANT_DIG == 64
	/* Up to 19 digits (what Python's repr writes) in x87 extended precision: the mantissa
	 * and 10^|scale| <= 10^27 are exact there, so the product is one rounding to 64 bits.
	 * Rounding that to a double is then correct unless the 11 bits below the double's
	 * precision sit next to the halfway point: those (rare) cases go to strtod. */
	if (significant <= 19 && scale >= -27 && scale <= 27 && mantissa != 0) {
		static const long double powers[28] = {
			1e0L,
			1e1L,
			1e2L,
			1e3L,
			1e4L,
			1e5L,
			1e6L,
			1e7L,
			1e8L,
			1e9L,
			1e10L,
			1e11L,
			1e12L,
			1e13L,
			1e14L,
			1e15L,
			1e16L,
			1e17L,
			1e18L,
			1e19L,
			1e20L,
			1e21L,
			1e22L,
			1e23L,
			1e24L,
			1e25L,
			1e26L,
			1e27L,
		};
		long double v = (long double)mantissa;
		v = scale < 0 ? v / powers[-scale] : v * powers[scale];
#if defined(__x86_64__) || defined(__i386__)
		/* x87's 80-bit format, little-endian: the 64-bit significand (its integer bit
		 * explicit) in the first 8 bytes, sign and biased exponent in the next 2. Read there
		 * rather than through frexpl and ldexpl, which were a tenth of an ingest. */
		uint64_t bits;
		uint16_t sign_exp;
		memcpy(&bits, &v, sizeof bits);
		memcpy(&sign_exp, (const unsigned char *)&v + 8, sizeof sign_exp);
		int e = (int)(sign_exp & 0x7FFF) - 16382; /* frexpl's: v = 0.1... x 2^e */
#else
		int e;
		long double frac = frexpl(v, &e);
		uint64_t bits = (uint64_t)ldexpl(frac, 64);
#endif
		unsigned low = (unsigned)(bits & 0x7FF);
		if ((low < 0x3FF || low > 0x401) && e > -1021 && e < 1024) {
			double d = (double)v;
			*out = negative ? -d : d;
			return 0;
		}
	}
#endif
	/* Slow path: strtod on a NUL-terminated copy. */
	size_t n = (size_t)(end - s);
	char small[64], *tmp = n < sizeof small ? small : malloc(n + 1);
	if (!tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	double v = strtod(tmp, NULL);
	int overflow = errno == ERANGE && isinf(v);
	if (tmp != small)
		free(tmp);
	if (overflow || !isfinite(v))
		return -2;
	*out = v;
	return 0;
}

int obl_values_push(struct obl_values *values, double v)
{
	if (values->n == values->alloc) {
		/* Small first: a file of thousands of benchmarks holds thousands of series of a
		 * few values each (8 KiB apiece made 80 MB of one Google Benchmark file), and a
		 * Google Benchmark row is a trial with one value per series (room for 8 made 80
		 * bytes of heap per value, 2 makes 32). */
		size_t want = values->alloc ? 2 * values->alloc : 2;
		double *p = realloc(values->v, want * sizeof *p);
		if (!p)
			return OBL_ENOMEM;
		values->v = p;
		values->alloc = want;
	}
	values->v[values->n++] = v;
	return OBL_OK;
}

void obl_values_release(struct obl_values *values)
{
	free(values->v);
	values->v = NULL;
	values->n = values->alloc = 0;
}
