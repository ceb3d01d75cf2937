/*
 * where_option.c - --where NAME=VALUE (where_option.h), parsed alike for
 * `vtlab report` and `vtlab plot`; what a term selects is
 * analyze/report_where.c's.
 */
#include "where_option.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"

int cli_where_add(struct cli_where *w, const char *cmd, const char *arg)
{
	const char *eq = strchr(arg, '=');
	/* an empty VALUE is a selection: NAME= keeps the runs without NAME */
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof w->name[0])
		return cli_usage_error(cmd,
				       "--where: expected NAME=VALUE (e.g. guest-vhpt-walker=on; "
				       "NAME= for the runs without NAME), got '%s'",
				       arg);
	if (w->n == REPORT_MAX_WHERE)
		return cli_usage_error(cmd, "--where: at most %d terms", REPORT_MAX_WHERE);
	snprintf(w->name[w->n], sizeof w->name[0], "%.*s", (int)(eq - arg), arg);
	w->term[w->n] = (struct report_where){ w->name[w->n], eq + 1 };
	w->n++;
	return 0;
}
