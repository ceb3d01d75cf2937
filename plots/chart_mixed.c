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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_query.h"
#include "report.h"

/* Appends sep and a group's params to buf, as far as they fit. */
static void add_params(char *buf, size_t len, const char *sep, const char *params)
{
	size_t used = strlen(buf);
	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", sep, params[0] ? params : "(none)");
}

int chart_scope_mixed(struct sqlite3 *db, const struct chart_scope *s, char *what, size_t len,
		      char *err, size_t errlen)
{
	struct report_runs r;
	struct report_group *gs;
	size_t ng;
	int mixed = 0;
	what[0] = '\0';
	if (chart_report_groups(db, s, false, &r, &gs, &ng, err, errlen))
		return -1;
	/* groups of one campaign, workload, vCPUs and configuration are
	 * adjacent (report.h's order) */
	for (size_t a = 0, b; a < ng; a = b) {
		const struct report_run *x = &r.run[gs[a].first];
		for (b = a + 1; b < ng; b++) {
			const struct report_run *y = &r.run[gs[b].first];
			if (y->vcpus != x->vcpus || strcmp(y->workload, x->workload) != 0 ||
			    strcmp(y->config, x->config) != 0 ||
			    strcmp(y->campaign, x->campaign) != 0)
				break;
		}
		if (b - a < 2)
			continue;
		if (mixed++ == 0) {
			snprintf(what, len, "%s %s %u vCPU%s: ", x->config, x->workload, x->vcpus,
				 x->vcpus == 1 ? "" : "s");
			for (size_t g = a; g < b && g < a + 3; g++)
				add_params(what, len, g == a ? "" : " | ", r.run[gs[g].first].cell);
			if (b - a > 3)
				add_params(what, len, " | ", "...");
		}
	}
	free(gs);
	report_runs_free(&r);
	return mixed;
}
