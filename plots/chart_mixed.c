/*
 * chart_mixed.c - what the perf, faults and scaling charts average over
 * (chart_query.h, chart_scope_mixed).
 *
 * Those charts read the views of db/views.sql, which give one number per
 * configuration, workload and vCPU count: the mean of all its complete
 * runs.  When those runs are not samples of one thing - a campaign's
 * swept parameter (the cell), or runs stored by hand with another vTLB
 * size or cost - a bar is a mean over different measurements.  `vtlab
 * plot` says so, naming the first such bar and what sets its runs apart,
 * from the groups `vtlab report` makes of the same runs (analyze/report.h:
 * campaign cell, then any setting that differs; chart_report_groups).
 */
#include <stdlib.h>

#include "chart_query.h"
#include "report.h"

int chart_scope_mixed(struct sqlite3 *db, const struct chart_scope *s, char *what, size_t len,
		      char *err, size_t errlen)
{
	struct report_runs r;
	struct report_group *gs;
	size_t ng;
	what[0] = '\0';
	if (chart_report_groups(db, s, false, &r, &gs, &ng, err, errlen))
		return -1;
	int mixed = (int)report_groups_mixed(&r, gs, ng, what, len);
	free(gs);
	report_runs_free(&r);
	return mixed;
}
