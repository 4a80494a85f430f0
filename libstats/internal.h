/*
 * internal.h - helpers the files of libstats share; not part of its interface (stats.h).
 */
#ifndef STATS_INTERNAL_H
#define STATS_INTERNAL_H

#include <stddef.h>

/* Moves the k-th smallest (0-based) of x[0..n) to x[k], smaller ones before it (quickselect,
 * summary.c). */
void stats_select_kth(double *x, size_t n, size_t k);

#endif
