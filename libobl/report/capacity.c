/*
 * capacity.c - the report's capacity section: for each latency objective (--slo, e.g.
 * ttft_p95_ms=2000), the highest load each run sustains while the objective's percentile
 * stays within its limit, per family of scenarios (the scenario without its load key).
 */
#include "report_build.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "stats.h"

int obl_slo_parse(const char *arg, struct obl_slo *slo, struct obl_error *err)
{
	memset(slo, 0, sizeof *slo);
	const char *eq = strchr(arg, '=');
	char *end;
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof slo->name)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--slo",
				     "'%s': expected METRIC=VALUE, e.g. ttft_p95_ms=2000", arg);
	memcpy(slo->name, arg, (size_t)(eq - arg));
	slo->limit = strtod(eq + 1, &end);
	if (end == eq + 1 || *end || !isfinite(slo->limit))
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--slo",
				     "'%s': the limit is not a number", arg);
	/* Find "pQQ" as a whole part of the name: ttft_p95_ms or p95_ttft_ms. */
	const char *name = slo->name;
	for (const char *p = name; *p; p++) {
		int starts = p == name || p[-1] == '_';
		if (!starts || *p != 'p' || !isdigit((unsigned char)p[1]))
			continue;
		const char *q = p + 1;
		while (isdigit((unsigned char)*q) || *q == '.')
			q++;
		if (*q != '_' && *q)
			continue;
		double pct = strtod(p + 1, NULL);
		if (!(pct > 0 && pct < 100))
			break;
		slo->quantile = pct / 100;
		size_t before = (size_t)(p - name);
		/* The metric is the name without "pQQ_" or "_pQQ". */
		if (*q == '_' && before == 0)
			snprintf(slo->metric, sizeof slo->metric, "%s", q + 1);
		else
			snprintf(slo->metric, sizeof slo->metric, "%.*s%s", (int)(before ? before - 1 : 0),
				 name, q);
		return OBL_OK;
	}
	return obl_error_set(err, OBL_EUSAGE, NULL, 0, "--slo",
			     "'%s': name a percentile, e.g. ttft_p95_ms=2000 (p95 of ttft_ms)", arg);
}

/* The SLO's quantile of one group: pooled requests, or the mean of a stored percentile. */
static double slo_value(const struct side_data *d, const struct obl_slo *slo,
			const char *family, double load)
{
	const struct obl_group *g = report_find_group(d, slo->metric, family, load, NULL);
	if (g && g->kind == OBL_KIND_SAMPLE) {
		size_t n;
		double *all = report_pooled_sorted(g, &n);
		double q = all ? stats_quantile_sorted(all, n, slo->quantile, 7) : NAN;
		free(all);
		return q;
	}
	char name[160];
	snprintf(name, sizeof name, "p%g_%s", slo->quantile * 100, slo->metric);
	g = report_find_group(d, name, family, load, NULL);
	return g ? report_trial_mean(g, 0, 0.95).y : NAN;
}

/* The unit of the SLO's metric, from any side's groups ("" if unknown). */
static const char *slo_unit(const struct builder *b, const struct obl_slo *slo)
{
	for (size_t s = 0; s < b->n_sides; s++)
		for (size_t g = 0; g < b->sides[s].n_groups; g++)
			if (!strcmp(b->sides[s].groups[g].metric, slo->metric))
				return b->sides[s].groups[g].unit;
	return "";
}

void report_slo_section(struct builder *b)
{
	struct obl_slo fallback;
	const struct obl_slo *slos = b->opt->slos;
	size_t n_slos = b->opt->n_slos;
	if (!n_slos) {
		struct obl_error ignored;
		int rc = obl_slo_parse("ttft_p95_ms=2000", &fallback, &ignored);
		assert(rc == OBL_OK); /* a constant the parser takes */
		(void)rc;
		slos = &fallback;
		n_slos = 1;
	}
	if (!b->load_key) {
		obl_doc_paragraph(b->doc, OBL_SECTION_SLO,
				  "No scenario key names a load (concurrency, max_concurrency, "
				  "request_rate, batch_size), so the capacity under the SLO cannot be "
				  "derived. Ingest with -s concurrency=N to give one.");
		return;
	}
	for (size_t k = 0; k < n_slos; k++) {
		const struct obl_slo *slo = &slos[k];
		size_t nf = 0;
		const char **fam = report_families_of(b, slo->metric, &nf);
		if (!fam) {
			b->doc->failed = 1;
			return;
		}
		char pct[16];
		snprintf(pct, sizeof pct, "p%g", slo->quantile * 100);
		const char *unit = slo_unit(b, slo);
		obl_doc_paragraph(b->doc, OBL_SECTION_SLO,
				  "Objective %s=%s: for each run, the highest %s at which the %s of "
				  "%s (all requests of all repetitions pooled) stays at or below %s%s%s.",
				  slo->name, report_number(b, slo->limit), b->load_key, pct, slo->metric,
				  report_number(b, slo->limit), *unit ? " " : "", unit);
		if (!nf) {
			char name[160];
			snprintf(name, sizeof name, "p%g_%s", slo->quantile * 100, slo->metric);
			obl_doc_paragraph(b->doc, OBL_SECTION_SLO,
					  "None of the runs has %s (or %s) in a scenario with a %s: "
					  "nothing to derive.",
					  slo->metric, name, b->load_key);
			free(fam);
			continue;
		}
		const char *header[OBL_MAX_SIDES + 1] = { "scenario" };
		char align[OBL_MAX_SIDES + 2] = "l";
		for (size_t s = 0; s < b->n_sides; s++) {
			header[s + 1] = b->sides[s].side->label;
			align[s + 1] = 'l';
		}
		struct obl_doc_table *t =
			obl_doc_table(b->doc, OBL_SECTION_SLO, b->n_sides + 1, align, header);
		for (size_t f = 0; f < nf; f++) {
			size_t nl = 0;
			double *loads = report_family_loads(b, slo->metric, fam[f], &nl);
			char cells[OBL_MAX_SIDES][160];
			const char *row[OBL_MAX_SIDES + 1] = { *fam[f] ? fam[f] : "(all)" };
			for (size_t s = 0; s < b->n_sides; s++) {
				double best = NAN, best_q = NAN, first_q = NAN, first_load = NAN;
				for (size_t l = 0; l < nl; l++) {
					double q = slo_value(&b->sides[s], slo, fam[f], loads[l]);
					if (isnan(q))
						continue;
					if (isnan(first_q)) {
						first_q = q;
						first_load = loads[l];
					}
					if (q <= slo->limit) {
						best = loads[l];
						best_q = q;
					}
				}
				struct obl_strbuf sb;
				obl_strbuf_init(&sb);
				if (!isnan(best)) {
					obl_format_number(&sb, best);
					obl_strbuf_addf(&sb, " (%s ", pct);
					obl_format_number(&sb, best_q);
					obl_strbuf_addf(&sb, "%s%s)", *unit ? " " : "", unit);
				} else if (!isnan(first_q)) {
					obl_strbuf_addf(&sb, "none (%s ", pct);
					obl_format_number(&sb, first_q);
					obl_strbuf_addf(&sb, "%s%s at %s ", *unit ? " " : "", unit,
							b->load_key);
					obl_format_number(&sb, first_load);
					obl_strbuf_addch(&sb, ')');
				} else {
					obl_strbuf_addstr(&sb, "-");
				}
				snprintf(cells[s], sizeof cells[s], "%s", sb.buf);
				obl_strbuf_release(&sb);
				row[s + 1] = cells[s];
			}
			obl_doc_row(b->doc, t, OBL_TONE_PLAIN, row);
			free(loads);
		}
		free(fam);
	}
}
