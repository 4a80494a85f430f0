/*
 * suggest.h - "did you mean": the closest of a set of known words to one mistyped, by
 * edit distance (optimal string alignment: insertions, deletions, substitutions and
 * transpositions of neighbours each cost 1).
 */
#ifndef OBL_SUGGEST_H
#define OBL_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b (bytes), capped at 255. */
size_t obl_edit_distance(const char *a, const char *b);

/* The candidate (words[0..n), NULLs skipped) closest to word, or NULL when none is close
 * enough to be what was meant: at most 1 edit for words of up to 4 bytes, else a third of
 * the word's length (at most 3), or the word a prefix of exactly one candidate. Ties go to
 * the first. The result points into words. */
const char *obl_suggest(const char *word, const char *const *words, size_t n);

#endif
