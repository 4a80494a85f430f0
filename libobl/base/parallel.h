/*
 * parallel.h - the one way libobl runs work in parallel: a loop whose iterations are
 * independent, spread over as many threads as the machine has CPUs (this thread among them).
 *
 * Callers cut their work into parts (files to read, chunks of rows to test or format), each
 * part writing only its own output; obl_parallel_for returns when every part is done, so the
 * results are read in order afterwards and the output never depends on the thread count.
 */
#ifndef OBL_PARALLEL_H
#define OBL_PARALLEL_H

#include <stddef.h>

/* Calls fn(ctx, i) once for every i in [0, n), on up to obl_parallel_threads() threads; calls
 * for different i may run at once, in any order. If no thread can be started, the calls run
 * here in turn. Returns when all have returned. */
void obl_parallel_for(size_t n, void (*fn)(void *ctx, size_t i), void *ctx);

/* The most threads obl_parallel_for uses (so callers can hold their parts in an array). */
enum { OBL_PARALLEL_MAX = 64 };

/* The threads work is spread over: the CPUs online, unless set (1 to OBL_PARALLEL_MAX). */
size_t obl_parallel_threads(void);
/* Sets that number (0: the CPUs online again). Call before any work runs in parallel. */
void obl_parallel_set_threads(size_t n);

/* The number of parts to cut n items into when each part should hold at least `least` items:
 * between 1 and obl_parallel_threads(). */
size_t obl_parallel_parts(size_t n, size_t least);

#endif
