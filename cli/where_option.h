/*
 * where_option.h - the --where NAME=VALUE option of `vtlab report` and
 * `vtlab plot` (where_option.c): the terms of analyze/report.h struct
 * report_scope, which both commands select runs with.
 */
#ifndef VTLAB_CLI_WHERE_OPTION_H
#define VTLAB_CLI_WHERE_OPTION_H

#include "report.h"

#define CLI_WHERE_NAME_MAX 128

struct cli_where {
	struct report_where term[REPORT_MAX_WHERE];
	char name[REPORT_MAX_WHERE][CLI_WHERE_NAME_MAX]; /* copies: argv stays as given */
	unsigned n;
};

/* Adds the term "NAME=VALUE" (arg; VALUE may be empty: the runs without
 * NAME) to w: 0, or EXIT_USAGE after a one-line usage error "vtlab CMD:
 * --where: ..." (no '=', an empty NAME, a NAME of CLI_WHERE_NAME_MAX
 * bytes or more, or REPORT_MAX_WHERE terms already). */
int cli_where_add(struct cli_where *w, const char *cmd, const char *arg);

#endif
