/*
 * proc.h - how the tools' processes run: a heap that grows in large steps the kernel may back
 * with transparent huge pages, in the main thread and in obl_parallel_for's (see proc.c).
 */
#ifndef OBL_PROC_H
#define OBL_PROC_H

/* Once, at the start of a tool's main, before any thread. */
void obl_heap_setup(void);

#endif
