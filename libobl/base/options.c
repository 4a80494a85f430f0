/*
 * options.c - table-driven option parsing and usage (see options.h).
 */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

int obl_string_list_append(struct obl_string_list *list, const char *s)
{
	if (list->n == list->alloc) {
		size_t want = list->alloc ? 2 * list->alloc : 8;
		const char **p = realloc(list->items, want * sizeof *p);
		if (!p)
			return OBL_ENOMEM;
		list->items = p;
		list->alloc = want;
	}
	list->items[list->n++] = s;
	return OBL_OK;
}

void obl_string_list_release(struct obl_string_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->alloc = 0;
}

int obl_parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

void obl_print_usage(const struct obl_command *cmd, FILE *out)
{
	fprintf(out, "usage: %s %s\n", cmd->name, cmd->usage);
	if (cmd->summary)
		fprintf(out, "%s\n", cmd->summary);
	fprintf(out, "\noptions:\n");
	for (const struct obl_option *o = cmd->options; o->type != OBL_OPT_END; o++) {
		if (!o->help)
			continue; /* an old spelling, still accepted */
		char left[96];
		int n = 0;
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof left, "-%c", o->short_name);
		else
			n = snprintf(left, sizeof left, "    --%s", o->long_name);
		if (o->arg_name && n > 0 && (size_t)n < sizeof left)
			snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg_name);
		fprintf(out, "  %-28s %s", left, o->help);
		if (o->type == OBL_OPT_CHOICE && o->choices) {
			fprintf(out, " (");
			for (const char *const *c = o->choices; *c; c++)
				fprintf(out, "%s%s", c == o->choices ? "" : ", ", *c);
			fprintf(out, ")");
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-28s %s\n  %-28s %s\n", "-h, --help", "show this help and exit",
		"    --version", "show the version and exit");
}

static int set_value(const struct obl_command *cmd, const struct obl_option *o, const char *arg,
		     const char *shown, struct obl_error *err)
{
	switch (o->type) {
	case OBL_OPT_FLAG:
		*(int *)o->value = o->flag_value ? o->flag_value : 1;
		return OBL_OK;
	case OBL_OPT_STRING:
		*(const char **)o->value = arg;
		return OBL_OK;
	case OBL_OPT_LIST:
		return obl_string_list_append(o->value, arg);
	case OBL_OPT_DOUBLE:
		if (obl_parse_number(arg, o->value))
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
					     "expected a number, got '%s'", arg);
		return OBL_OK;
	case OBL_OPT_INT: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (end == arg || *end || errno)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
					     "expected an integer, got '%s'", arg);
		*(long *)o->value = v;
		return OBL_OK;
	}
	case OBL_OPT_CHOICE: {
		size_t n = 0;
		for (; o->choices[n]; n++)
			if (!strcmp(o->choices[n], arg)) {
				*(int *)o->value = (int)n;
				return OBL_OK;
			}
		const char *near = obl_suggest(arg, (const char *const *)o->choices, n);
		if (near)
			return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
					     "unknown value '%s'; did you mean %s?", arg, near);
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
				     "unknown value '%s'; see %s --help", arg, cmd->name);
	}
	default:
		return OBL_EUSAGE;
	}
}

/* "unknown option; did you mean --metric?" when one known name is close. */
static int unknown_long(const struct obl_command *cmd, const char *name, const char *shown,
			struct obl_error *err)
{
	const char *names[128];
	size_t n = 0;
	for (const struct obl_option *p = cmd->options; p->type != OBL_OPT_END && n < 126; p++)
		if (p->long_name && p->help)
			names[n++] = p->long_name;
	names[n++] = "help";
	names[n++] = "version";
	const char *near = obl_suggest(name, names, n);
	if (near)
		return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
				     "unknown option; did you mean --%s? (see %s --help)", near,
				     cmd->name);
	return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown, "unknown option; see %s --help",
			     cmd->name);
}

int obl_parse_options(const struct obl_command *cmd, int argc, char **argv,
		      struct obl_string_list *operands, struct obl_error *err)
{
	int only_operands = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_operands || a[0] != '-' || !strcmp(a, "-")) {
			if (obl_string_list_append(operands, a))
				return OBL_ENOMEM;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_operands = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			obl_print_usage(cmd, stdout);
			return 1;
		}
		if (!strcmp(a, "--version")) {
			printf("%s %s\n", cmd->name, OBL_VERSION);
			return 1;
		}
		const struct obl_option *o = NULL;
		const char *arg = NULL;
		char shown[128];
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			for (const struct obl_option *p = cmd->options; p->type != OBL_OPT_END; p++)
				if (p->long_name && strlen(p->long_name) == len &&
				    !strncmp(p->long_name, name, len))
					o = p;
			snprintf(shown, sizeof shown, "--%.*s", (int)len, name);
			if (!o)
				return unknown_long(cmd, shown + 2, shown, err);
			if (eq) {
				if (o->type == OBL_OPT_FLAG)
					return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
							     "takes no value");
				arg = eq + 1;
			}
		} else {
			for (const struct obl_option *p = cmd->options; p->type != OBL_OPT_END; p++)
				if (p->short_name == a[1])
					o = p;
			snprintf(shown, sizeof shown, "-%c", a[1]);
			if (!o)
				return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
						     "unknown option; see %s --help", cmd->name);
			if (a[2]) {
				if (o->type == OBL_OPT_FLAG)
					return obl_error_set(err, OBL_EUSAGE, NULL, 0, a,
							     "unknown option; see %s --help",
							     cmd->name);
				arg = a + 2;
			}
		}
		if (o->type != OBL_OPT_FLAG && !arg) {
			if (i + 1 >= argc)
				return obl_error_set(err, OBL_EUSAGE, NULL, 0, shown,
						     "needs a value (%s)",
						     o->arg_name ? o->arg_name : "argument");
			arg = argv[++i];
		}
		int rc = set_value(cmd, o, arg, shown, err);
		if (rc)
			return rc;
	}
	return OBL_OK;
}
