/*
 * history_render.c - change points as text (a sparkline per series), JSON, CSV, Markdown and
 * GitHub annotations (see obl-history(1)).
 */
#include <math.h>
#include <string.h>

#include "history.h"
#include "json_write.h"
#include "utf8.h"

static const char *direction_name(const struct obl_change_point *cp)
{
	return cp->regression < 0 ? "change" : cp->regression ? "regression"
							      : "improvement";
}

static const char *scenario_text(const struct obl_history_series *s)
{
	return s->scenario_canonical[0] ? s->scenario_canonical : "(no scenario)";
}

enum { SPARK_WIDTH = 80 };

static const char *const identity_keys[] = { "commit", "git_sha", "git_commit",
					     "version", "engine_version", "date", NULL };

int obl_history_tag_is_identity(const char *key)
{
	for (const char *const *k = identity_keys; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	return 0;
}

void obl_history_identity_tags(struct obl_strbuf *out, const struct obl_history_run *r)
{
	for (const char *const *k = identity_keys; *k; k++)
		for (size_t i = 0; i < r->n_tags; i++)
			if (!strcmp(r->tags[i].key, *k))
				obl_strbuf_addf(out, ", %s=%s", *k, r->tags[i].value);
}

void obl_history_sparkline(struct obl_strbuf *out, const struct obl_history *h,
			   const struct obl_history_series *s)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583", "\u2584",
					      "\u2585", "\u2586", "\u2587", "\u2588" };
	size_t cols = h->n_runs < SPARK_WIDTH ? h->n_runs : SPARK_WIDTH;
	if (cols == 0)
		return;
	double level[SPARK_WIDTH];
	size_t count[SPARK_WIDTH];
	int mark[SPARK_WIDTH];
	for (size_t c = 0; c < cols; c++) {
		level[c] = 0;
		count[c] = 0;
		mark[c] = 0;
	}
	/* runs go to columns in equal shares; a column shows the mean level of its runs */
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < s->n_points; i++) {
		size_t c = s->run[i] * cols / h->n_runs;
		double v = obl_history_point_level(s, i);
		level[c] += v;
		count[c]++;
	}
	for (size_t c = 0; c < cols; c++)
		if (count[c]) {
			level[c] /= (double)count[c];
			lo = fmin(lo, level[c]);
			hi = fmax(hi, level[c]);
		}
	for (size_t i = 0; i < s->n_cps; i++)
		mark[s->cps[i].run * cols / h->n_runs] = 1;
	for (size_t c = 0; c < cols; c++) {
		if (mark[c])
			obl_strbuf_addch(out, '|');
		if (!count[c]) {
			obl_strbuf_addch(out, ' ');
			continue;
		}
		int k = hi > lo ? (int)floor((level[c] - lo) / (hi - lo) * 7.999) : 3;
		obl_strbuf_addstr(out, blocks[k < 0 ? 0 : k > 7 ? 7
								: k]);
	}
}

static void level_text(struct obl_strbuf *out, const struct obl_history_level *l)
{
	obl_strbuf_addf(out, "%.5g [%.5g, %.5g] (%zu run%s)", l->center, l->ci_low, l->ci_high,
			l->n_runs, l->n_runs == 1 ? "" : "s");
}

static void relative_text(struct obl_strbuf *out, const struct obl_estimate *r)
{
	obl_strbuf_addf(out, "%+.1f%%", 100 * r->estimate);
	if (isfinite(r->ci_low) && isfinite(r->ci_high))
		obl_strbuf_addf(out, " [%+.1f%%, %+.1f%%]", 100 * r->ci_low, 100 * r->ci_high);
}

static void render_text(struct obl_strbuf *out, const struct obl_history *h)
{
	size_t total = 0;
	for (size_t i = 0; i < h->n_series; i++)
		total += h->series[i].n_cps;
	size_t excursions = 0;
	for (size_t i = 0; i < h->n_series; i++)
		excursions += h->series[i].n_excursions;
	obl_strbuf_addf(out, "%zu runs, %zu series, %zu change point%s (alpha %g, threshold %g%%)",
			h->n_runs, h->n_series, total, total == 1 ? "" : "s", h->opt.alpha,
			100 * h->opt.threshold);
	if (excursions)
		obl_strbuf_addf(out, ", %zu short excursion%s", excursions,
				excursions == 1 ? "" : "s");
	obl_strbuf_addch(out, '\n');
	if (h->n_runs) { /* labels, keys and names escaped for the terminal (utf8.h) */
		obl_strbuf_addstr(out, "first run ");
		obl_utf8_add_terminal(out, h->runs[0].label);
		obl_strbuf_addstr(out, ", newest ");
		obl_utf8_add_terminal(out, h->runs[h->n_runs - 1].label);
		obl_strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		obl_strbuf_addch(out, '\n');
		obl_utf8_add_terminal(out, scenario_text(s));
		obl_strbuf_addstr(out, "  ");
		obl_utf8_add_terminal(out, s->metric);
		obl_strbuf_addstr(out, " (");
		obl_utf8_add_terminal(out, s->stat);
		obl_strbuf_addstr(out, ", ");
		obl_utf8_add_terminal(out, s->unit);
		obl_strbuf_addstr(out, ")\n  ");
		obl_history_sparkline(out, h, s);
		obl_strbuf_addch(out, '\n');
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			obl_strbuf_addf(out, "  %s at ", direction_name(cp));
			obl_utf8_add_terminal(out, h->runs[cp->run].label);
			obl_strbuf_addf(out, " (run %zu of %zu", cp->run + 1, h->n_runs);
			struct obl_strbuf who;
			obl_strbuf_init(&who);
			obl_history_identity_tags(&who, &h->runs[cp->run]);
			obl_utf8_add_terminal(out, who.buf);
			obl_strbuf_release(&who);
			obl_strbuf_addstr(out, "): ");
			level_text(out, &cp->before);
			obl_strbuf_addstr(out, " -> ");
			level_text(out, &cp->after);
			obl_strbuf_addstr(out, ", ");
			relative_text(out, &cp->relative);
			obl_strbuf_addf(out, ", p = %.3g\n", cp->p_value);
		}
		for (size_t k = 0; k < s->n_excursions; k++) {
			const struct obl_history_excursion *e = &s->excursions[k];
			obl_strbuf_addf(out, "  excursion at ");
			obl_utf8_add_terminal(out, h->runs[e->run].label);
			if (e->n_runs == 1)
				obl_strbuf_addf(out, " (run %zu of %zu)", e->run + 1, h->n_runs);
			else
				obl_strbuf_addf(out, " (runs %zu to %zu of %zu)", e->run + 1,
						e->run + e->n_runs, h->n_runs);
			obl_strbuf_addf(out, ": %+.1f%%, then back to the level before (not a change "
					     "point)\n",
					100 * e->relative);
		}
	}
}

static void json_level(cJSON *parent, const char *key, const struct obl_history_level *l)
{
	cJSON *o = obl_json_add(parent, key, cJSON_CreateObject());
	if (!o)
		return;
	obl_json_add_number(o, "center", l->center);
	obl_json_add_number(o, "ci_low", l->ci_low);
	obl_json_add_number(o, "ci_high", l->ci_high);
	obl_json_add_count(o, "n_runs", l->n_runs);
}

/* The contract of obl-history(1): {"runs": [...], "change_points": [...]}, through cJSON and
 * obl's JSON layout (json_write.h). Scenario values stay strings, as stored. */
static void render_json(struct obl_strbuf *out, const struct obl_history *h)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *runs = root ? obl_json_add(root, "runs", cJSON_CreateArray()) : NULL;
	for (size_t r = 0; runs && r < h->n_runs; r++)
		obl_json_add_string(runs, NULL, h->runs[r].label);
	cJSON *list = root ? obl_json_add(root, "change_points", cJSON_CreateArray()) : NULL;
	for (size_t i = 0; list && i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			cJSON *o = obl_json_add(list, NULL, cJSON_CreateObject());
			if (!o)
				break;
			cJSON *sc = obl_json_add(o, "scenario", cJSON_CreateObject());
			for (size_t j = 0; sc && j < s->scenario_len; j++)
				obl_json_add_string(sc, s->scenario[j].key, s->scenario[j].value);
			obl_json_add_string(o, "metric", s->metric);
			obl_json_add_string(o, "run", h->runs[cp->run].label);
			obl_json_add_count(o, "position", cp->run);
			json_level(o, "before", &cp->before);
			json_level(o, "after", &cp->after);
			cJSON *rel = obl_json_add(o, "relative", cJSON_CreateObject());
			if (rel) {
				obl_json_add_number(rel, "estimate", cp->relative.estimate);
				obl_json_add_number(rel, "ci_low", cp->relative.ci_low);
				obl_json_add_number(rel, "ci_high", cp->relative.ci_high);
			}
			obl_json_add_number(o, "p_value", cp->p_value);
			obl_json_add_string(o, "direction", direction_name(cp));
		}
	}
	cJSON *exc = root ? obl_json_add(root, "excursions", cJSON_CreateArray()) : NULL;
	for (size_t i = 0; exc && i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_excursions; k++) {
			const struct obl_history_excursion *e = &s->excursions[k];
			cJSON *o = obl_json_add(exc, NULL, cJSON_CreateObject());
			if (!o)
				break;
			cJSON *sc = obl_json_add(o, "scenario", cJSON_CreateObject());
			for (size_t j = 0; sc && j < s->scenario_len; j++)
				obl_json_add_string(sc, s->scenario[j].key, s->scenario[j].value);
			obl_json_add_string(o, "metric", s->metric);
			obl_json_add_string(o, "run", h->runs[e->run].label);
			obl_json_add_count(o, "position", e->run);
			obl_json_add_count(o, "n_runs", e->n_runs);
			obl_json_add_number(o, "relative", e->relative);
			obl_json_add_string(o, "direction", e->regression < 0 ? "change" : e->regression ? "regression"
													 : "improvement");
		}
	}
	if (!root)
		out->failed = 1;
	else
		obl_json_print(out, root);
	cJSON_Delete(root);
}

static void csv_number(struct obl_strbuf *out, double v)
{
	obl_strbuf_addch(out, ',');
	if (isfinite(v))
		obl_strbuf_add_double(out, v);
}

static void render_csv(struct obl_strbuf *out, const struct obl_history *h)
{
	obl_strbuf_addstr(out, "scenario,metric,stat,unit,run,position,before_center,before_ci_low,"
			       "before_ci_high,before_n_runs,after_center,after_ci_low,"
			       "after_ci_high,after_n_runs,relative,relative_ci_low,"
			       "relative_ci_high,p_value,direction\n");
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			obl_utf8_add_csv(out, s->scenario_canonical);
			obl_strbuf_addch(out, ',');
			obl_utf8_add_csv(out, s->metric);
			obl_strbuf_addch(out, ',');
			obl_utf8_add_csv(out, s->stat);
			obl_strbuf_addch(out, ',');
			obl_utf8_add_csv(out, s->unit);
			obl_strbuf_addch(out, ',');
			obl_utf8_add_csv(out, h->runs[cp->run].label);
			obl_strbuf_addf(out, ",%zu", cp->run);
			csv_number(out, cp->before.center);
			csv_number(out, cp->before.ci_low);
			csv_number(out, cp->before.ci_high);
			obl_strbuf_addf(out, ",%zu", cp->before.n_runs);
			csv_number(out, cp->after.center);
			csv_number(out, cp->after.ci_low);
			csv_number(out, cp->after.ci_high);
			obl_strbuf_addf(out, ",%zu", cp->after.n_runs);
			csv_number(out, cp->relative.estimate);
			csv_number(out, cp->relative.ci_low);
			csv_number(out, cp->relative.ci_high);
			csv_number(out, cp->p_value);
			obl_strbuf_addf(out, ",%s\n", direction_name(cp));
		}
	}
}

/* Markdown table cells: text from the database shown as text (links, images, emphasis, HTML
 * and '|' escaped; newlines as spaces; utf8.h). */
static void md_cell(struct obl_strbuf *out, const char *s)
{
	obl_utf8_add_markdown(out, s);
}

static void render_md(struct obl_strbuf *out, const struct obl_history *h)
{
	size_t total = 0;
	for (size_t i = 0; i < h->n_series; i++)
		total += h->series[i].n_cps;
	obl_strbuf_addf(out, "## Change points\n\n%zu runs, %zu series, %zu change point%s "
			     "(alpha %g, threshold %g%%).\n\n",
			h->n_runs, h->n_series, total, total == 1 ? "" : "s", h->opt.alpha,
			100 * h->opt.threshold);
	if (total) {
		obl_strbuf_addstr(out, "| Scenario | Metric | First run of the new level | Before | "
				       "After | Change | p | |\n|---|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < h->n_series; i++) {
			const struct obl_history_series *s = &h->series[i];
			for (size_t k = 0; k < s->n_cps; k++) {
				const struct obl_change_point *cp = &s->cps[k];
				obl_strbuf_addstr(out, "| ");
				md_cell(out, scenario_text(s));
				obl_strbuf_addstr(out, " | ");
				md_cell(out, s->metric);
				obl_strbuf_addstr(out, " | ");
				struct obl_strbuf who;
				obl_strbuf_init(&who);
				obl_strbuf_addstr(&who, h->runs[cp->run].label);
				obl_history_identity_tags(&who, &h->runs[cp->run]);
				md_cell(out, who.buf);
				obl_strbuf_release(&who);
				obl_strbuf_addstr(out, " | ");
				level_text(out, &cp->before);
				obl_strbuf_addstr(out, " | ");
				level_text(out, &cp->after);
				obl_strbuf_addstr(out, " | ");
				relative_text(out, &cp->relative);
				obl_strbuf_addf(out, " | %.3g | %s |\n", cp->p_value,
						direction_name(cp));
			}
		}
		obl_strbuf_addch(out, '\n');
	}
	size_t excursions = 0;
	for (size_t i = 0; i < h->n_series; i++)
		excursions += h->series[i].n_excursions;
	if (excursions) {
		obl_strbuf_addf(out, "Short excursions (at most %zu runs away, then back to the "
				     "level before; not change points):\n\n"
				     "| Scenario | Metric | First run | Runs | Size |\n"
				     "|---|---|---|---|---|\n",
				h->opt.max_excursion);
		for (size_t i = 0; i < h->n_series; i++) {
			const struct obl_history_series *s = &h->series[i];
			for (size_t k = 0; k < s->n_excursions; k++) {
				const struct obl_history_excursion *e = &s->excursions[k];
				obl_strbuf_addstr(out, "| ");
				md_cell(out, scenario_text(s));
				obl_strbuf_addstr(out, " | ");
				md_cell(out, s->metric);
				obl_strbuf_addstr(out, " | ");
				md_cell(out, h->runs[e->run].label);
				obl_strbuf_addf(out, " | %zu | %+.1f%% |\n", e->n_runs,
						100 * e->relative);
			}
		}
		obl_strbuf_addch(out, '\n');
	}
	obl_strbuf_addstr(out, "| Scenario | Metric | Levels over the runs |\n|---|---|---|\n");
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		obl_strbuf_addstr(out, "| ");
		md_cell(out, scenario_text(s));
		obl_strbuf_addstr(out, " | ");
		md_cell(out, s->metric);
		/* GitHub's tables split cells at every '|', in code spans too, unless escaped */
		struct obl_strbuf spark;
		obl_strbuf_init(&spark);
		obl_history_sparkline(&spark, h, s);
		obl_strbuf_addstr(out, " | `");
		for (const char *c = spark.buf; *c; c++)
			if (*c == '|')
				obl_strbuf_addstr(out, "\\|");
			else
				obl_strbuf_addch(out, *c);
		obl_strbuf_addstr(out, "` |\n");
		obl_strbuf_release(&spark);
	}
}

/* GitHub workflow commands: data escaped as the runner expects (%, CR, LF), and in a
 * property value ':' and ',' as well. */
static void gh_escape(struct obl_strbuf *out, const char *text, int property)
{
	struct obl_strbuf shown; /* control characters as \x1b first (utf8.h) */
	obl_strbuf_init(&shown);
	obl_utf8_add_terminal(&shown, text);
	for (const char *s = shown.buf; *s; s++)
		switch (*s) {
		case '%': obl_strbuf_addstr(out, "%25"); break;
		case '\r': obl_strbuf_addstr(out, "%0D"); break;
		case '\n': obl_strbuf_addstr(out, "%0A"); break;
		case ':': obl_strbuf_addstr(out, property ? "%3A" : ":"); break;
		case ',': obl_strbuf_addstr(out, property ? "%2C" : ","); break;
		default: obl_strbuf_addch(out, *s);
		}
	obl_strbuf_release(&shown);
}

static void render_github(struct obl_strbuf *out, const struct obl_history *h)
{
	for (size_t i = 0; i < h->n_series; i++) {
		const struct obl_history_series *s = &h->series[i];
		for (size_t k = 0; k < s->n_cps; k++) {
			const struct obl_change_point *cp = &s->cps[k];
			struct obl_strbuf msg;
			obl_strbuf_init(&msg);
			obl_strbuf_addf(&msg, "%s %s at run %s: ", s->metric, direction_name(cp),
					h->runs[cp->run].label);
			relative_text(&msg, &cp->relative);
			obl_strbuf_addf(&msg, " (%.5g -> %.5g %s, p = %.3g)", cp->before.center,
					cp->after.center, s->unit, cp->p_value);
			obl_strbuf_addstr(out, cp->regression == 1 ? "::warning title=" : "::notice title=");
			gh_escape(out, scenario_text(s), 1);
			obl_strbuf_addstr(out, "::");
			gh_escape(out, msg.buf, 0);
			obl_strbuf_addch(out, '\n');
			obl_strbuf_release(&msg);
		}
	}
}

void obl_history_render(struct obl_strbuf *out, const struct obl_history *h,
			enum obl_history_format format)
{
	switch (format) {
	case OBL_HISTORY_JSON: render_json(out, h); break;
	case OBL_HISTORY_CSV: render_csv(out, h); break;
	case OBL_HISTORY_MD: render_md(out, h); break;
	case OBL_HISTORY_GITHUB: render_github(out, h); break;
	default: render_text(out, h);
	}
}
