/*
 * heap.c - the tools' heap policy. The tools are short-lived and allocate in many small steps
 * (a reader's series, a comparison's rows), most of which they keep until they exit. Where
 * page faults are dear (virtual machines, where CI runs) two things made that slow: the heap
 * grew 128 KiB at a time, a system call each, and every 4 KiB page was a fault when first
 * written. So the heap grows 64 MiB at a time (M_TOP_PAD, glibc's documented mallopt) and that
 * stretch is offered to the kernel for transparent huge pages (madvise(MADV_HUGEPAGE), 2 MiB a
 * fault). Pages are still only touched as used; where THP is off madvise changes nothing, and
 * where memory is fragmented the kernel falls back to 4 KiB pages. The same as running with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864, without asking users
 * to set it. Worker threads' heaps are left as glibc makes them: offering those too needs
 * glibc's private arena layout, and did not measurably pay. The figures are make bench's and
 * the commit messages'.
 */
#ifdef __linux__
#define _DEFAULT_SOURCE /* sbrk, madvise(MADV_HUGEPAGE) */
#endif
#include "tool.h"

#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

void obl_tool_heap_setup(void)
{
#ifdef __GLIBC__
	mallopt(M_TOP_PAD, 64 << 20);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)2 << 20;
	void *first = malloc(1); /* the heap now reaches 64 MiB past it */
	uintptr_t lo = ((uintptr_t)first + huge - 1) & ~(huge - 1), hi = (uintptr_t)sbrk(0);
	if (first && hi != (uintptr_t)-1 && hi > lo + huge)
		madvise((void *)lo, (hi - lo) & ~(huge - 1), MADV_HUGEPAGE);
	free(first);
#endif
#endif
}
