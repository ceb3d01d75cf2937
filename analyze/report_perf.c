/*
 * report_perf.c - `vtlab report --table perf`: each group's workload
 * metric and modeled time, their means and 95% confidence intervals over
 * the group's runs, and both relative to native (report.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "stats.h"

#define MAX_COLS 16

static int add_row(struct report_table *t, const struct report_runs *r,
		   const struct report_group *g, const struct report_group *native)
{
	const char *cells[MAX_COLS];
	char key[16], num[8][32];
	const struct report_run *run = &r->run[g->first];
	unsigned n = report_key_cells(r, run, cells, key, sizeof key);
	double perf = NAN, time = NAN;
	if (native) {
		perf = metric_as_performance(g->metric.mean / native->metric.mean,
					     run->metric_name);
		if (native->cycles.mean > 0)
			time = g->cycles.mean / native->cycles.mean;
	}
	snprintf(num[0], sizeof num[0], "%zu", g->end - g->first);
	report_number(g->metric.mean, num[1], sizeof num[1]);
	report_number_as(g->metric.half, g->metric.mean, num[2], sizeof num[2]);
	report_fixed(perf, 3, num[3], sizeof num[3]);
	report_fixed(g->cycles.mean / 1e6, 1, num[4], sizeof num[4]);
	report_fixed(g->cycles.half / 1e6, 1, num[5], sizeof num[5]);
	report_fixed(time, 3, num[6], sizeof num[6]);
	cells[n++] = num[0];
	cells[n++] = run->metric_name;
	for (int k = 1; k <= 6; k++)
		cells[n++] = num[k];
	return report_table_add_row(t, cells);
}

static int make_table(const struct report_runs *r, struct report_table *t)
{
	const char *head[MAX_COLS];
	char align[MAX_COLS + 1] = { 0 };
	unsigned n = report_key_head(r, head, align);
	/* headings differ, so a CSV reader keeps both intervals */
	static const char *const more[] = {
		"runs",      "metric",  "mean",         "±95%",
		"vs native", "Mcycles", "Mcycles ±95%", "time vs native"
	};
	static const char more_align[] = "rlrrrrrr";
	for (unsigned k = 0; k < 8; k++)
		head[n] = more[k], align[n++] = more_align[k];
	return report_table_init(t,
				 "Performance relative to native (higher is better; time metrics "
				 "inverted) and modeled time; means over complete runs, 95% CI",
				 n, head, align);
}

int report_perf(struct sqlite3 *db, const struct report_scope *s, struct report_table *t, char *err,
		size_t errlen)
{
	struct report_runs r;
	memset(t, 0, sizeof *t);
	if (report_runs_load(db, s, &r, err, errlen))
		return -1;
	if (r.n == 0) {
		snprintf(err, errlen,
			 "no complete runs in the scope (vtlab campaign or vtlab run "
			 "--db stores them)");
		return 1;
	}
	struct report_group *gs = NULL;
	size_t ng = 0;
	int rc = make_table(&r, t) == 0 && report_groups(&r, &gs, &ng) == 0 ? 0 : -1;
	for (size_t g = 0; rc == 0 && g < ng; g++)
		rc = add_row(t, &r, &gs[g], report_baseline(&r, gs, ng, &gs[g]));
	if (rc)
		snprintf(err, errlen, "out of memory building the table");
	free(gs);
	report_runs_free(&r);
	return rc;
}
