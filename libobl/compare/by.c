/*
 * by.c - one run's groups split along a scenario key into the sides of a comparison (see
 * by.h).
 */
#include "by.h"

#include <stdlib.h>
#include <string.h>

#include "suggest.h"

int obl_by_parse(const char *arg, struct obl_by *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	const char *eq = strchr(arg, '=');
	size_t kl = eq ? (size_t)(eq - arg) : strlen(arg);
	if (kl == 0 || kl >= sizeof out->key)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--by",
				     "'%s': expected KEY or KEY=BASE,CAND[,CAND...]", arg);
	memcpy(out->key, arg, kl);
	out->key[kl] = 0;
	for (const char *p = eq ? eq + 1 : NULL; p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || out->n_values == OBL_MAX_SIDES) {
			obl_by_release(out);
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--by",
					     len ? "at most %d values (a baseline and %d candidates)"
						 : "an empty value in the list%.0d%.0d",
					     OBL_MAX_SIDES, OBL_MAX_SIDES - 1);
		}
		if (!(out->values[out->n_values] = strndup(p, len))) {
			obl_by_release(out);
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
		out->n_values++;
		p = comma ? comma + 1 : NULL;
	}
	if (eq && out->n_values < 2) {
		obl_by_release(out);
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--by",
				     "name a baseline and at least one candidate: KEY=BASE,CAND");
	}
	return OBL_OK;
}

void obl_by_release(struct obl_by *by)
{
	for (size_t i = 0; i < by->n_values; i++)
		free(by->values[i]);
	memset(by, 0, sizeof *by);
}

void obl_by_sides_release(struct obl_by_sides *s)
{
	for (size_t i = 0; i < OBL_MAX_SIDES; i++) {
		obl_groups_free(s->side_groups[i], s->n_side_groups[i]);
		free(s->labels[i]);
	}
	memset(s, 0, sizeof *s);
}

/* Where key's value is in g: the index of the scenario pair holding it, and (for a "/KEY="
 * element inside a value) the element's span in that value. Returns 0 if g lacks the key. */
struct found {
	size_t pair;
	int inside;      /* 1: an element of the value; 0: the pair itself */
	size_t from, to; /* inside: the element "/KEY=VALUE" spans value[from..to) */
	size_t vfrom;    /* inside: VALUE begins at value[vfrom] */
};

static int find_key(const struct obl_group *g, const char *key, struct found *f)
{
	for (size_t i = 0; i < g->scenario_len; i++)
		if (!strcmp(g->scenario[i].key, key)) {
			*f = (struct found){ i, 0, 0, 0, 0 };
			return 1;
		}
	size_t kl = strlen(key);
	for (size_t i = 0; i < g->scenario_len; i++) {
		const char *v = g->scenario[i].value;
		for (const char *p = strchr(v, '/'); p; p = strchr(p + 1, '/')) {
			if (strncmp(p + 1, key, kl) || p[1 + kl] != '=')
				continue;
			const char *start = p + 2 + kl, *end = strchr(start, '/');
			if (!end) { /* the last element: Go's "-GOMAXPROCS" stays with the name */
				end = start + strlen(start);
				const char *q = end;
				while (q > start && q[-1] >= '0' && q[-1] <= '9')
					q--;
				if (q < end && q > start && q[-1] == '-')
					end = q - 1;
			}
			*f = (struct found){ i, 1, (size_t)(p - v), (size_t)(end - v),
					     (size_t)(start - v) };
			return 1;
		}
	}
	return 0;
}

/* The value of the key in g, as a new string. */
static char *value_of(const struct obl_group *g, const struct found *f)
{
	const char *v = g->scenario[f->pair].value;
	return f->inside ? strndup(v + f->vfrom, f->to - f->vfrom) : strdup(v);
}

/* g's scenario without the key: the pair dropped, or the element cut out of the value. */
static int strip_key(struct obl_group *g, const struct found *f, const char *label)
{
	struct obl_kv kv[64];
	char *cut = NULL;
	size_t n = 0;
	if (g->scenario_len > 64)
		return OBL_ENOMEM;
	for (size_t i = 0; i < g->scenario_len; i++) {
		if (i != f->pair) {
			kv[n++] = g->scenario[i];
			continue;
		}
		if (!f->inside)
			continue;
		const char *v = g->scenario[i].value;
		size_t len = strlen(v);
		if (!(cut = malloc(len + 1)))
			return OBL_ENOMEM;
		memcpy(cut, v, f->from);
		memcpy(cut + f->from, v + f->to, len - f->to + 1);
		kv[n++] = (struct obl_kv){ g->scenario[i].key, cut };
	}
	/* the new strings are copied before the old block (which kv points into) is freed */
	char *canonical = obl_scenario_canonical(kv, n);
	struct obl_group copy = *g;
	int rc = canonical ? obl_group_set_text(&copy, label, canonical, g->metric, g->unit, kv, n)
			   : OBL_ENOMEM;
	free(canonical);
	free(cut);
	if (rc)
		return rc;
	free(g->text);
	*g = copy;
	return OBL_OK;
}

static int by_scenario_metric(const void *pa, const void *pb)
{
	const struct obl_group *a = *(const struct obl_group *const *)pa;
	const struct obl_group *b = *(const struct obl_group *const *)pb;
	int c = strcmp(a->scenario_canonical, b->scenario_canonical);
	return c ? c : strcmp(a->metric, b->metric);
}

int obl_groups_by(struct obl_group *g, size_t n, const struct obl_by *by, const char *path,
		  struct obl_by_sides *out, struct obl_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = OBL_OK;
	int *side = malloc((n ? n : 1) * sizeof *side);
	struct obl_group *rest = malloc((n ? n : 1) * sizeof *rest);
	char *values[OBL_MAX_SIDES] = { 0 };
	size_t n_values = 0, without = 0, n_rest = 0;
	if (!side || !rest) {
		free(side);
		free(rest);
		obl_groups_free(g, n);
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct found f;
		side[i] = -1;
		if (!find_key(&g[i], by->key, &f)) {
			without++;
			continue;
		}
		char *v = value_of(&g[i], &f);
		if (!v) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		if (by->n_values) {
			for (size_t k = 0; k < by->n_values && side[i] < 0; k++)
				if (!strcmp(by->values[k], v))
					side[i] = (int)k;
		} else {
			for (size_t k = 0; k < n_values && side[i] < 0; k++)
				if (!strcmp(values[k], v))
					side[i] = (int)k;
			if (side[i] < 0 && n_values == OBL_MAX_SIDES) {
				rc = obl_error_set(err, OBL_EUSAGE, path, 0, by->key,
						   "has more than %d values: name the baseline and "
						   "candidates, --by %s=BASE,CAND...",
						   OBL_MAX_SIDES, by->key);
			} else if (side[i] < 0) {
				values[n_values] = v;
				side[i] = (int)n_values++;
				v = NULL;
			}
		}
		if (!rc && side[i] >= 0 && !out->labels[side[i]]) {
			const char *shown = by->n_values ? by->values[side[i]] : values[side[i]];
			size_t len = strlen(by->key) + strlen(shown) + 2;
			if ((out->labels[side[i]] = malloc(len)))
				snprintf(out->labels[side[i]], len, "%s=%s", by->key, shown);
			else
				rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
		if (!rc && side[i] >= 0 && strip_key(&g[i], &f, out->labels[side[i]]))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		free(v);
	}
	size_t sides = by->n_values ? by->n_values : n_values;
	if (!rc && without == n) {
		/* Not a key of any scenario: name the closest one there is. */
		const char *keys[256];
		size_t nk = 0;
		for (size_t i = 0; i < n && nk < 256; i++)
			for (size_t k = 0; k < g[i].scenario_len && nk < 256; k++)
				keys[nk++] = g[i].scenario[k].key;
		const char *near = obl_suggest(by->key, keys, nk);
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, by->key,
				   near ? "no scenario has this key; did you mean %s?"
					: "no scenario has this key, nor a benchmark name an element "
					  "/%s=...",
				   near ? near : by->key);
	}
	for (size_t k = 0; !rc && k < sides; k++)
		if (!out->labels[k])
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, by->key,
					   "no scenario has the value '%s'", by->values[k]);
	if (!rc && sides < 2)
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, by->key,
				   "has one value only ('%s'): nothing to compare it with",
				   values[0] ? values[0] : "");
	/* Move each group to its side; the others are freed. */
	size_t counts[OBL_MAX_SIDES] = { 0 };
	for (size_t i = 0; !rc && i < n; i++)
		if (side[i] >= 0)
			counts[side[i]]++;
	for (size_t k = 0; !rc && k < sides; k++)
		if (!(out->side_groups[k] = malloc((counts[k] ? counts[k] : 1) * sizeof *g)))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!rc && side[i] >= 0) {
			size_t k = (size_t)side[i];
			out->side_groups[k][out->n_side_groups[k]++] = g[i];
		} else {
			rest[n_rest++] = g[i];
		}
	}
	obl_groups_free(rest, n_rest);
	free(g);
	out->n = sides;
	/* The key must be all that tells a side's groups apart. */
	for (size_t k = 0; !rc && k < sides; k++) {
		size_t ng = out->n_side_groups[k];
		const struct obl_group **idx = malloc((ng ? ng : 1) * sizeof *idx);
		if (!idx) {
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		for (size_t i = 0; i < ng; i++)
			idx[i] = &out->side_groups[k][i];
		qsort(idx, ng, sizeof *idx, by_scenario_metric);
		for (size_t i = 1; !rc && i < ng; i++)
			if (!by_scenario_metric(&idx[i - 1], &idx[i]))
				rc = obl_error_set(err, OBL_EUSAGE, path, 0, by->key,
						   "%s holds two series of %s at '%s': another key "
						   "tells them apart (give it with --scenario)",
						   out->labels[k], idx[i]->metric,
						   idx[i]->scenario_canonical);
		free(idx);
	}
	for (size_t k = 0; k < n_values; k++)
		free(values[k]);
	free(side);
	if (rc)
		obl_by_sides_release(out);
	return rc;
}

int obl_groups_drop_key(struct obl_group *g, size_t n, const char *key, const char *path,
			struct obl_error *err)
{
	int rc = OBL_OK;
	size_t dropped = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct found f;
		if (!find_key(&g[i], key, &f))
			continue;
		dropped++;
		if (strip_key(&g[i], &f, g[i].run))
			rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	if (!rc && !dropped && n)
		rc = obl_error_set(err, OBL_EUSAGE, path, 0, key,
				   "no scenario has this key, nor a benchmark name an element /%s=...",
				   key);
	const struct obl_group **idx = rc ? NULL : malloc((n ? n : 1) * sizeof *idx);
	if (!rc && !idx)
		rc = obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; !rc && i < n; i++)
		idx[i] = &g[i];
	if (!rc)
		qsort(idx, n, sizeof *idx, by_scenario_metric);
	for (size_t i = 1; !rc && i < n; i++)
		if (!by_scenario_metric(&idx[i - 1], &idx[i]))
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, key,
					   "without this key two series of %s share '%s': it is what "
					   "tells them apart (compare along it with --by %s)",
					   idx[i]->metric, idx[i]->scenario_canonical, key);
	free(idx);
	return rc;
}
