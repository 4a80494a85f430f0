/*
 * options.h - command-line options declared as a table that also produces --help
 * (after git's parse-options).
 *
 * Options may appear anywhere among the operands (GNU style) until "--". Short options take
 * their value as "-C 2" or "-C2", long ones as "--column 2" or "--column=2". --help and
 * --version are handled here for every tool.
 */
#ifndef OBL_OPTIONS_H
#define OBL_OPTIONS_H

#include "error.h"

enum obl_option_type {
	OBL_OPT_END = 0,
	OBL_OPT_FLAG,   /* int *: set to 1 */
	OBL_OPT_STRING, /* const char **: the argument (points into argv) */
	OBL_OPT_LIST,   /* struct obl_string_list *: repeated option, values appended */
	OBL_OPT_DOUBLE, /* double *: a number; "5%" means 0.05 */
	OBL_OPT_INT,    /* long *: an integer */
	OBL_OPT_CHOICE, /* int *: index of the argument in choices[] */
};

struct obl_string_list {
	const char **items;
	size_t n, alloc;
};

struct obl_option {
	char short_name;       /* 0 if none */
	const char *long_name; /* NULL if none */
	const char *arg_name;  /* shown in --help, e.g. "N"; NULL for flags */
	const char *help;      /* NULL: an old spelling, accepted but not listed */
	enum obl_option_type type;
	void *value;
	const char *const *choices; /* NULL-terminated, for OBL_OPT_CHOICE */
	int flag_value;             /* value stored by OBL_OPT_FLAG (0 means 1) */
};

struct obl_command {
	const char *name;    /* e.g. "obl-compare" */
	const char *usage;   /* e.g. "[options] BASELINE CANDIDATE" */
	const char *summary; /* one line saying what the tool does */
	const struct obl_option *options;
};

/*
 * Parses argv. Operands (non-options) are collected into *operands (argv pointers, owned
 * by the caller: free with obl_string_list_release). Returns OBL_OK; OBL_EUSAGE with err
 * set on a bad option; or 1 when --help or --version was printed (the tool exits 0).
 */
OBL_MUST_CHECK int obl_parse_options(const struct obl_command *cmd, int argc, char **argv,
				     struct obl_string_list *operands, struct obl_error *err);

/* Prints the usage line and the option table. */
void obl_print_usage(const struct obl_command *cmd, FILE *out);

int obl_string_list_append(struct obl_string_list *list, const char *s);
void obl_string_list_release(struct obl_string_list *list);

/* Parses a number, optionally followed by '%' (then divided by 100). Returns 0 on success. */
int obl_parse_number(const char *s, double *out);

#define OBL_VERSION "0.1.0"

#endif
