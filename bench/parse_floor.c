/*
 * parse_floor.c - the physical floor of an ingest, for make bench: the time to find and parse
 * every number of a file, and nothing else (no JSON structure, no store). Usage:
 * parse_floor FILE. Prints "<seconds> <numbers> <bytes>": the file mapped and faulted in
 * first (the page cache, as an ingest reads it), then every run of number characters parsed
 * with obl's own parser (obl_parse_double, what the readers use), best of 3.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "input.h"

static int number_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0)
		return 1;
	size_t len = (size_t)st.st_size;
	const char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	double best = 1e300, sum = 0;
	size_t numbers = 0;
	for (int run = 0; run < 3; run++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		numbers = 0;
		for (size_t i = 0; i < len;) {
			unsigned char c = (unsigned char)p[i];
			if (!((c >= '0' && c <= '9') || c == '-')) {
				i++;
				continue;
			}
			size_t j = i + 1;
			while (j < len && number_char((unsigned char)p[j]))
				j++;
			double v;
			if (obl_parse_double(p + i, p + j, &v) == 0) {
				sum += v;
				numbers++;
			}
			i = j;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		if (s < best)
			best = s;
	}
	printf("%.4f %zu %zu\n", best, numbers, len);
	return sum == 0.5; /* keep the sum alive */
}
