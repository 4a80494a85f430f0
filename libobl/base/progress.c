/*
 * progress.c - the progress line (see progress.h). The drawing thread wakes four times a
 * second; the line appears after a second of work and is erased when the work ends, so that
 * what stays on the terminal is only the tool's real output.
 */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct obl_progress {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop, drawn;
	char prog[64], what[512];
	const char *phase;
	size_t done, total;
	struct timespec start;
};

int obl_progress_wanted(void)
{
	const char *env = getenv("OBL_PROGRESS");
	if (env && *env)
		return strcmp(env, "0") != 0;
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Called with the lock held. */
static void draw(struct obl_progress *p, double elapsed)
{
	char count[64] = "";
	if (p->total)
		snprintf(count, sizeof count, " %zu/%zu (%.0f%%)", p->done, p->total,
			 100.0 * (double)p->done / (double)p->total);
	else if (p->done)
		snprintf(count, sizeof count, " %zu", p->done);
	/* \r and erase-to-end: redrawn in place; cut to a terminal's width */
	fprintf(stderr, "\r\033[K%.70s%s%.120s%s%s%s %.0f s", p->prog, p->what[0] ? ": " : "",
		p->what, p->phase ? ": " : "", p->phase ? p->phase : "", count, elapsed);
	fflush(stderr);
	p->drawn = 1;
}

static void *run(void *arg)
{
	struct obl_progress *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->wake, &p->lock, &until);
		double elapsed = seconds_since(&p->start);
		if (!p->stop && elapsed >= 1.0)
			draw(p, elapsed);
	}
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct obl_progress *obl_progress_start(const char *prog, const char *what)
{
	if (!obl_progress_wanted())
		return NULL;
	struct obl_progress *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	snprintf(p->prog, sizeof p->prog, "%s", prog ? prog : "");
	snprintf(p->what, sizeof p->what, "%s", what ? what : "");
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (pthread_mutex_init(&p->lock, NULL)) {
		free(p);
		return NULL;
	}
	if (pthread_cond_init(&p->wake, NULL)) {
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	if (pthread_create(&p->thread, NULL, run, p)) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

void obl_progress_phase(struct obl_progress *p, const char *phase)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->phase = phase;
	p->done = p->total = 0;
	pthread_mutex_unlock(&p->lock);
}

void obl_progress_count(struct obl_progress *p, size_t done, size_t total)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->done = done;
	p->total = total;
	pthread_mutex_unlock(&p->lock);
}

void obl_progress_item(struct obl_progress *p, const char *what)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	snprintf(p->what, sizeof p->what, "%s", what ? what : "");
	pthread_mutex_unlock(&p->lock);
}

void obl_progress_clear(struct obl_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

void obl_progress_stop(struct obl_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
