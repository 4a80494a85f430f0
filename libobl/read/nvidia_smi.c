/*
 * read_nvidia_smi.c - `nvidia-smi --query-gpu=... --format=csv` logs (with or without units):
 * each numeric column becomes its peak and mean over the log, one value per file; memory.used
 * gives the canonical peak_mem_gib. With several GPUs (an index column), peaks and means run
 * over all rows, i.e. the busiest GPU's peak.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "reader.h"

static int detect(const struct obl_file *f)
{
	const char *eol = memchr(f->data, '\n', f->len);
	size_t n = eol ? (size_t)(eol - f->data) : f->len;
	char head[512];
	snprintf(head, sizeof head, "%.*s", (int)(n < sizeof head - 1 ? n : sizeof head - 1),
		 f->data);
	return strstr(head, "memory.used") || strstr(head, "utilization.gpu") ||
			       strstr(head, "power.draw")
		       ? 95
		       : 0;
}

/* "memory.used [MiB]" -> name "memory.used", unit "MiB". */
static void split_header(const char *h, char *name, size_t nn, char *unit, size_t un)
{
	const char *b = strchr(h, '[');
	size_t len = b ? (size_t)(b - h) : strlen(h);
	while (len > 0 && h[len - 1] == ' ')
		len--;
	snprintf(name, nn, "%.*s", (int)len, h);
	unit[0] = 0;
	if (b) {
		const char *e = strchr(b, ']');
		snprintf(unit, un, "%.*s", (int)(e ? e - b - 1 : (long)strlen(b + 1)), b + 1);
	}
}

static int read_smi(const struct obl_file *f, const struct obl_read_options *opt,
		    struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_csv_table t;
	int rc = obl_csv_load(f, &t, err);
	if (rc)
		return rc;
	struct obl_trial_data *trial = obl_batch_trial(b);
	if (!trial)
		rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	if (!rc && t.n < 2)
		rc = obl_error_set(err, OBL_EINPUT, f->path, 0, NULL,
				   "expected a header row and samples");
	for (size_t c = 0; !rc && c < t.rows[0].n; c++) {
		char name[128], unit[32];
		split_header(t.rows[0].fields[c], name, sizeof name, unit, sizeof unit);
		if (!strcmp(name, "timestamp") || !strcmp(name, "index") ||
		    !strcmp(name, "memory.total") || !strcmp(name, "pci.bus_id") ||
		    !strcmp(name, "uuid"))
			continue;
		double peak = -INFINITY, sum = 0;
		size_t count = 0;
		int text_column = 0;
		for (size_t r = 1; !rc && r < t.n; r++) {
			if (c >= t.rows[r].n) {
				rc = obl_error_set(err, OBL_EINPUT, f->path, t.rows[r].line, name,
						   "the row has %zu fields, the header %zu",
						   t.rows[r].n, t.rows[0].n);
				break;
			}
			const char *s = t.rows[r].fields[c];
			char *end;
			double v = strtod(s, &end);
			if (end == s) {
				if (strstr(s, "N/A") || strstr(s, "Not Supported"))
					continue;
				text_column = 1;
				if (!strcmp(name, "name") && obl_batch_tag(b, "gpu", s))
					rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL,
							   "out of memory");
				break;
			}
			while (*end == ' ')
				end++;
			if (*end && strcmp(end, unit) && *end != '%') {
				rc = obl_error_set(err, OBL_EINPUT, f->path, t.rows[r].line, name,
						   "'%s' is not a number in %s", s,
						   unit[0] ? unit : "the column's unit");
				break;
			}
			if (!isfinite(v) || v < 0) {
				rc = obl_error_set(err, OBL_EINPUT, f->path, t.rows[r].line, name,
						   "'%s' is not a valid reading", s);
				break;
			}
			peak = fmax(peak, v);
			sum += v;
			count++;
		}
		if (rc || text_column || count == 0)
			continue;
		const char *short_name = !strcmp(name, "memory.used")          ? "mem"
					 : !strcmp(name, "utilization.gpu")    ? "gpu_util"
					 : !strcmp(name, "utilization.memory") ? "mem_util"
					 : !strcmp(name, "power.draw")         ? "power"
					 : !strcmp(name, "temperature.gpu")    ? "temperature"
									       : name;
		double scale = 1;
		const char *out_unit = unit;
		if (!strcmp(unit, "MiB")) {
			scale = 1.0 / 1024;
			out_unit = "GiB";
		}
		for (int which = 0; which < 2 && !rc; which++) {
			double v = (which == 0 ? peak : sum / (double)count) * scale;
			struct obl_strbuf sb;
			obl_strbuf_init(&sb);
			if (!strcmp(short_name, "mem"))
				obl_strbuf_addf(&sb, "%s_mem_gib", which ? "mean" : "peak");
			else
				obl_strbuf_addf(&sb, "%s_%s", which ? "mean" : "peak", short_name);
			const char *metric =
				obl_strbuf_failed(&sb) ? NULL : obl_batch_intern(b, sb.buf, sb.len);
			obl_strbuf_release(&sb);
			struct obl_series *s =
				metric ? obl_trial_series(trial, metric, out_unit, OBL_KIND_AGGREGATE)
				       : NULL;
			if (!s || obl_values_push(&s->values, v))
				rc = obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
		}
	}
	obl_csv_free(&t);
	return rc;
}

const struct obl_reader obl_reader_nvidia_smi = {
	"nvidia-smi",
	"nvidia-smi --query-gpu=... --format=csv log (peak and mean memory, utilisation, power)",
	detect,
	read_smi,
	NULL,
};
