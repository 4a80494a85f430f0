/*
 * heap.h - how the tools' memory is laid out: the heap grows in large steps that the kernel
 * may back with transparent huge pages (see heap.c for why and what was measured).
 */
#ifndef OBL_HEAP_H
#define OBL_HEAP_H

/* Once, at the start of a tool's main, before any thread. */
void obl_heap_setup(void);
/* At the start of a worker thread that allocates (a reader, a half of the tests): the same
 * for the thread's own heap. */
void obl_heap_thread(void);

#endif
