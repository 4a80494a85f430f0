/*
 * suggest.c - the closest known word to a mistyped one (see suggest.h). Words here are
 * option, metric, run and key names: short, so the quadratic table costs nothing.
 */
#include "suggest.h"

#include <string.h>

size_t obl_edit_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAX || lb >= MAX)
		return la == lb && !memcmp(a, b, la) ? 0 : 255;
	unsigned char d[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < best)
				best = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < best)
				best = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < best)
				best = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)best;
		}
	return d[la][lb];
}

const char *obl_suggest(const char *word, const char *const *words, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len <= 4 ? 1 : len / 3 > 3 ? 3
						  : len / 3;
	const char *best = NULL, *prefix_of = NULL;
	size_t best_d = limit + 1, prefixes = 0;
	for (size_t i = 0; i < n; i++) {
		if (!words[i] || !strcmp(words[i], word))
			continue;
		size_t d = obl_edit_distance(word, words[i]);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
		if (len >= 2 && !strncmp(words[i], word, len)) {
			prefixes++;
			prefix_of = words[i];
		}
	}
	if (best)
		return best;
	return prefixes == 1 ? prefix_of : NULL;
}
