/*
 * proc.h - how the tools' processes run: a heap that grows in large steps the kernel may back
 * with transparent huge pages, and work split over two threads (see proc.c for why and what
 * was measured).
 */
#ifndef OBL_PROC_H
#define OBL_PROC_H

/* Once, at the start of a tool's main, before any thread. */
void obl_heap_setup(void);

/* Runs fn(first) on this thread and fn(second) on a thread of its own, whose heap is set up
 * as obl_heap_setup sets up the main one; both have returned when this returns. second NULL:
 * fn(first) only. If no thread can be started, fn(second) runs here after fn(first). */
void obl_run_two(void *(*fn)(void *), void *first, void *second);

#endif
