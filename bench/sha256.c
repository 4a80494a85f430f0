/*
 * sha256.c - SHA-256 throughput of obl_sha256_hex, for make bench: the best of RUNS passes
 * over a buffer of MIB mebibytes. Usage: sha256 MIB RUNS. Prints "<MB/s> <digest>".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sha256.h"

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 256;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	size_t len = mib << 20;
	unsigned char *buf = malloc(len);
	if (!buf)
		return 1;
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	char hex[65];
	double best = 1e300;
	for (int r = 0; r < runs; r++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		obl_sha256_hex(buf, len, hex);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%.0f %s\n", (double)len / 1e6 / best, hex);
	free(buf);
	return 0;
}
