/*
 * tool.c - set-up and output shared by the tools' mains.
 */
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "input.h"
#include "model.h"
#include "options.h"
#include "parallel.h"
#include "store.h"
#include "progress.h"
#include "stats.h"
#include "utf8.h"

void obl_tool_hide_passwords(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *shown = obl_store_hide_password(argv[i]);
		if (shown == argv[i])
			continue;
		/* the password leaves the command line, also as ps(1) shows it */
		size_t n = strlen(argv[i]), m = strlen(shown);
		if (m <= n) {
			memcpy(argv[i], shown, m);
			memset(argv[i] + m, 0, n - m);
		} else {
			memset(argv[i], '*', n);
			argv[i] = (char *)shown;
		}
	}
}

/* The default bound on an input's size: half the memory available now (MemAvailable of
 * /proc/meminfo, else the free pages), and never below 1 GiB. A reader holds a file's values
 * in memory beside the mapped file (about its size again for vLLM's per-request arrays), so
 * a file of half the available memory fits; a fixed 1 GiB refused a vLLM result of 10^6
 * requests of 64 tokens that any machine able to compare it could read (issue #16). */
static size_t default_input_limit(void)
{
	unsigned long long avail = 0, kib;
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			avail = kib * 1024;
	if (f)
		fclose(f);
	long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	if (!avail && pages > 0 && page > 0)
		avail = (unsigned long long)pages * (unsigned long long)page;
	unsigned long long half = avail / 2, floor = 1ULL << 30;
	if (half < floor)
		half = floor;
	return half > SIZE_MAX ? SIZE_MAX : (size_t)half;
}

void obl_tool_init(void)
{
	stats_setup();
	obl_tool_heap_setup();
	/* OBL_MAX_INPUT_MB=N: the largest input read (not a positive integer: the default, half
	 * the memory available and at least 1 GiB: see default_input_limit). */
	const char *mb_text = getenv("OBL_MAX_INPUT_MB");
	unsigned long long mb = 0;
	if (mb_text && *mb_text) {
		char *end;
		mb = strtoull(mb_text, &end, 10);
		if (*end)
			mb = 0;
	}
	obl_input_set_limit(mb ? (mb > SIZE_MAX / 1048576 ? SIZE_MAX : (size_t)mb * 1048576)
			       : default_input_limit());
	/* OBL_THREADS=N: the threads parallel work uses (default: the CPUs online). */
	const char *threads = getenv("OBL_THREADS");
	if (threads && *threads) {
		char *end;
		unsigned long n = strtoul(threads, &end, 10);
		if (!*end)
			obl_parallel_set_threads(n);
	}
	/* OBL_BUSY_TIMEOUT=S: the total wait for another process's lock (default 30 s). */
	const char *busy = getenv("OBL_BUSY_TIMEOUT");
	if (busy && *busy) {
		char *end;
		double s = strtod(busy, &end);
		if (!*end)
			obl_store_set_busy_timeout(s);
	}
	/* Progress on stderr: OBL_PROGRESS=1 always, 0 never, else where a person watches
	 * (stderr a terminal that is not TERM=dumb). */
	const char *progress = getenv("OBL_PROGRESS");
	const char *term = getenv("TERM");
	if (progress && *progress)
		obl_progress_set_wanted(strcmp(progress, "0") != 0);
	else
		obl_progress_set_wanted(isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb")));
	/* A write past the file-size limit must fail (EFBIG), reach SQLite, roll the transaction
	 * back and exit 3 with a message - not kill the process. */
	signal(SIGXFSZ, SIG_IGN);
}

int obl_tool_color(void)
{
	const char *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb");
}

int obl_tool_write(const struct obl_strbuf *sb, struct obl_error *err)
{
	if (obl_strbuf_failed(sb))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory formatting output");
	if (fwrite(sb->buf, 1, sb->len, stdout) != sb->len || fflush(stdout) != 0)
		return obl_error_set(err, OBL_EIO, "stdout", 0, NULL, "write failed: %s",
				     strerror(errno));
	return OBL_OK;
}

int obl_tool_write_file(const char *path, const struct obl_strbuf *sb, struct obl_error *err)
{
	if (obl_strbuf_failed(sb))
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory formatting output");
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = OBL_OK;
	if (!f) {
		rc = obl_error_set(err, OBL_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
	} else {
		int bad = fwrite(sb->buf, 1, sb->len, f) != sb->len;
		bad |= fclose(f) != 0;
		if (bad || rename(tmp, path) != 0) {
			rc = obl_error_set(err, OBL_EIO, path, 0, NULL, "write failed: %s",
					   strerror(errno));
			remove(tmp);
		}
	}
	free(tmp);
	return rc;
}

int obl_tool_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!strcmp(a, b))
		return 1;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void obl_tool_warn_self(const char *prog, const char *const *paths, const char *const *labels,
			size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (obl_tool_same_file(paths[0], paths[i]) &&
		    (!labels || !strcmp(labels[0], labels[i]))) {
			struct obl_strbuf line; /* labels and paths escaped for the terminal */
			obl_strbuf_init(&line);
			obl_strbuf_addf(&line, "%s: warning: ", prog);
			if (labels) {
				obl_strbuf_addstr(&line, "run '");
				obl_utf8_add_terminal(&line, labels[i]);
				obl_strbuf_addstr(&line, "' of ");
			}
			obl_utf8_add_terminal(&line, paths[i]);
			obl_strbuf_addstr(&line, " is compared with itself: any difference is zero\n");
			fwrite(line.buf, 1, line.len, stderr);
			obl_strbuf_release(&line);
		}
}

int obl_tool_scenario_filter(const struct obl_string_list *args, struct obl_kv **kv,
			     struct obl_error *err)
{
	*kv = calloc(args->n + 1, sizeof **kv);
	if (!*kv)
		return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < args->n; i++) {
		size_t key_len;
		const char *value;
		if (obl_split_assignment(args->items[i], &key_len, &value)) {
			obl_kv_free(*kv, i);
			*kv = NULL;
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, args->items[i],
					     "expected KEY=VALUE after --scenario");
		}
		(*kv)[i].key = strndup(args->items[i], key_len);
		(*kv)[i].value = strdup(value);
		if (!(*kv)[i].key || !(*kv)[i].value) {
			obl_kv_free(*kv, i + 1);
			*kv = NULL;
			return obl_error_set(err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		}
	}
	return OBL_OK;
}
