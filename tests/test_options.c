/*
 * test_options.c - option parsing from the table: short and long forms, values attached or
 * apart, options among the operands until "--", percentages, choices, repeated options, and
 * errors that name the option (with a near spelling suggested); short flags are not bundled
 * (-qC2 is refused).
 */
#include <string.h>

#include "check.h"
#include "options.h"

static const char *const colours[] = { "red", "green", "blue", NULL };

struct values {
	int flag, choice;
	long column;
	double threshold;
	const char *name;
	struct obl_string_list list;
};

static int parse(struct values *v, struct obl_string_list *ops, struct obl_error *err, int argc,
		 char **argv)
{
	const struct obl_option options[] = {
		{ 'q', "quiet", NULL, "say less", OBL_OPT_FLAG, &v->flag, NULL, 0 },
		{ 'C', "column", "N", "a column", OBL_OPT_INT, &v->column, NULL, 0 },
		{ 't', "threshold", "X", "a threshold", OBL_OPT_DOUBLE, &v->threshold, NULL, 0 },
		{ 0, "colour", "NAME", "a colour", OBL_OPT_CHOICE, &v->choice, colours, 0 },
		{ 0, "name", "NAME", "a name", OBL_OPT_STRING, &v->name, NULL, 0 },
		{ 's', "scenario", "K=V", "repeatable", OBL_OPT_LIST, &v->list, NULL, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = { "obl-test", "[options] FILE...", "a test", options };
	memset(v, 0, sizeof *v);
	memset(ops, 0, sizeof *ops);
	obl_error_clear(err);
	return obl_parse_options(&cmd, argc, argv, ops, err);
}

int main(void)
{
	struct values v;
	struct obl_string_list ops;
	struct obl_error err;
	char *a1[] = { "obl-test", "a.txt", "-q", "-C2", "--threshold=5%", "b.txt", "--colour",
		       "green", "-s", "k=1", "--scenario", "k=2", "--name", "x", "--", "--quiet",
		       NULL };
	int rc = parse(&v, &ops, &err, 16, a1);
	check(rc == OBL_OK && v.flag == 1 && v.column == 2 && v.threshold == 0.05 &&
		      v.choice == 1 && v.name && !strcmp(v.name, "x"),
	      "-q, -C2 (value attached), --threshold=5%% (0.05), --colour green, --name x");
	check(v.list.n == 2 && !strcmp(v.list.items[0], "k=1") && !strcmp(v.list.items[1], "k=2"),
	      "a repeated option keeps every value, in order");
	check(ops.n == 3 && !strcmp(ops.items[0], "a.txt") && !strcmp(ops.items[1], "b.txt") &&
		      !strcmp(ops.items[2], "--quiet"),
	      "operands among the options, and after -- an option's spelling is an operand");
	obl_string_list_release(&ops);
	obl_string_list_release(&v.list);

	char *a2[] = { "obl-test", "--colur", "red", NULL };
	rc = parse(&v, &ops, &err, 3, a2);
	check(rc == OBL_EUSAGE && strstr(err.message, "did you mean --colour"),
	      "a misspelt option: usage error suggesting --colour (%s)", err.message);
	obl_string_list_release(&ops);
	char *a3[] = { "obl-test", "--colour", "purple", NULL };
	rc = parse(&v, &ops, &err, 3, a3);
	check(rc == OBL_EUSAGE && !strcmp(err.field, "--colour"),
	      "a value not among the choices: usage error naming --colour");
	obl_string_list_release(&ops);
	char *a6[] = { "obl-test", "-qC2", NULL };
	rc = parse(&v, &ops, &err, 2, a6);
	check(rc == OBL_EUSAGE, "short flags are not bundled: -qC2 is refused");
	obl_string_list_release(&ops);
	char *a4[] = { "obl-test", "-C", NULL };
	rc = parse(&v, &ops, &err, 2, a4);
	check(rc == OBL_EUSAGE, "an option without its value: usage error");
	obl_string_list_release(&ops);
	char *a5[] = { "obl-test", "--column", "two", NULL };
	rc = parse(&v, &ops, &err, 3, a5);
	check(rc == OBL_EUSAGE, "a column that is not an integer: usage error");
	obl_string_list_release(&ops);

	double x;
	check(!obl_parse_number("2.5%", &x) && x == 0.025 && !obl_parse_number("0.02", &x) &&
		      x == 0.02 && obl_parse_number("2%%", &x) && obl_parse_number("", &x),
	      "numbers: 2.5%% is 0.025, 0.02 is itself; 2%%%% and nothing are refused");
	return check_failures != 0;
}
