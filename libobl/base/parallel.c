/*
 * parallel.c - obl_parallel_for (see parallel.h): threads started per call, each taking the
 * next index from a shared counter until none is left. The tools' parallel work is a few
 * coarse parts per run (files, chunks of hundreds of rows), so starting threads per call costs
 * nothing measurable and leaves no pool behind.
 */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static size_t threads_set;

size_t obl_parallel_threads(void)
{
	if (threads_set)
		return threads_set;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > OBL_PARALLEL_MAX ? OBL_PARALLEL_MAX
						      : (size_t)cpus;
}

void obl_parallel_set_threads(size_t n)
{
	threads_set = n > OBL_PARALLEL_MAX ? OBL_PARALLEL_MAX : n;
}

size_t obl_parallel_parts(size_t n, size_t least)
{
	size_t parts = least ? n / least : n, most = obl_parallel_threads();
	return parts < 1 ? 1 : parts > most ? most
					    : parts;
}

struct loop {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n;
	atomic_size_t next;
};

static void run_loop(struct loop *l)
{
	for (size_t i; (i = atomic_fetch_add(&l->next, 1)) < l->n;)
		l->fn(l->ctx, i);
}

static void *worker(void *arg)
{
	run_loop(arg);
	return NULL;
}

void obl_parallel_for(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct loop l = { fn, ctx, n, 0 };
	size_t want = obl_parallel_threads();
	want = (n < want ? n : want);
	pthread_t threads[OBL_PARALLEL_MAX];
	size_t started = 0;
	while (started + 1 < want && pthread_create(&threads[started], NULL, worker, &l) == 0)
		started++;
	run_loop(&l);
	for (size_t k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
}
