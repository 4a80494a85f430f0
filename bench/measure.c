/*
 * measure.c - runs a command several times and prints its best wall time and peak resident
 * memory (from wait4's rusage), for make bench. Usage: measure RUNS command [args...]
 * Prints: "<seconds> <peak KiB> <exit status>". The command's stdout goes to /dev/null.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: measure RUNS command [args...]\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	double best = 1e300;
	long peak = 0;
	int status = 0;
	for (int r = 0; r < runs; r++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid_t pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		struct rusage ru;
		wait4(pid, &status, 0, &ru);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
		if (s < best)
			best = s;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	printf("%.4f %ld %d\n", best, peak, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
