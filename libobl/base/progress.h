/*
 * progress.h - a progress line on standard error for work that takes a while: what is being
 * done, how far (when a count is known) and for how long, redrawn in place.
 *
 * Shown only where a person watches: stderr a terminal (OBL_PROGRESS=1 forces it,
 * OBL_PROGRESS=0 silences it), and only once the work has taken a second, so that quick
 * commands print nothing. A thread of its own draws it; the work only posts its phase and
 * counts (cheap: a lock and two stores). Every function accepts NULL (no progress shown),
 * so that library code can post unconditionally.
 */
#ifndef OBL_PROGRESS_H
#define OBL_PROGRESS_H

#include <stddef.h>

struct obl_progress;

/* Starts a progress line "PROG: WHAT: phase [done/total] N s" (both strings copied), or
 * returns NULL when it is not to be shown (see above) or cannot be. */
struct obl_progress *obl_progress_start(const char *prog, const char *what);

/* What is being done now ("reading", "writing", ...: a string that outlives the progress);
 * clears the count. */
void obl_progress_phase(struct obl_progress *p, const char *phase);

/* How far the phase is: done of total (total 0: unknown). */
void obl_progress_count(struct obl_progress *p, size_t done, size_t total);

/* Names the item now worked on (copied), e.g. the file being ingested. */
void obl_progress_item(struct obl_progress *p, const char *what);

/* Erases the line if it is drawn, so that a line of output or a warning can be printed
 * (it is drawn again at the next tick). */
void obl_progress_clear(struct obl_progress *p);

/* Erases the line and stops the thread; frees p. */
void obl_progress_stop(struct obl_progress *p);

/* 1 if progress would be shown on this stderr (for callers that decide up front). */
int obl_progress_wanted(void);

#endif
