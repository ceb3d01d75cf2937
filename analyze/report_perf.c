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

/* The statistics of runs [first, end) of one group. */
struct group {
	size_t first, end;
	struct sample_stats metric, cycles;
};

static int group_stats(const struct report_runs *r, struct group *g)
{
	size_t n = g->end - g->first;
	double *m = malloc(n * sizeof *m), *c = malloc(n * sizeof *c);
	if (!m || !c) {
		free(m);
		free(c);
		return -1;
	}
	unsigned nm = 0, nc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct report_run *run = &r->run[g->first + i];
		if (!isnan(run->metric))
			m[nm++] = run->metric;
		if (!isnan(run->cycles))
			c[nc++] = run->cycles;
	}
	stats_of(m, nm, &g->metric);
	stats_of(c, nc, &g->cycles);
	free(m);
	free(c);
	return 0;
}

static int same_place(const struct report_run *a, const struct report_run *b)
{
	return a->vcpus == b->vcpus && strcmp(a->campaign, b->campaign) == 0 &&
	       strcmp(a->workload, b->workload) == 0;
}

/* True when every "name=value" word of cell `part` is a word of `cell`:
 * a native cell holds only the swept params native takes, a hypervisor's
 * cell those and its own (cli/campaign_plan.c). */
static int cell_within(const char *part, const char *cell)
{
	for (part += strspn(part, " "); *part; part += strspn(part, " ")) {
		size_t len = strcspn(part, " ");
		const char *w = cell + strspn(cell, " ");
		while (*w && (strcspn(w, " ") != len || strncmp(w, part, len) != 0)) {
			w += strcspn(w, " ");
			w += strspn(w, " ");
		}
		if (!*w)
			return 0;
		part += len;
	}
	return 1;
}

/* The native group of g's campaign, workload and vCPUs: the one with g's
 * cell, else the one whose params g's cell holds, else the only one; NULL
 * when there is none or no single one. */
static const struct group *baseline(const struct report_runs *r, const struct group *gs,
				    size_t ngroups, const struct group *g)
{
	const struct group *only = NULL, *within = NULL;
	unsigned natives = 0, nwithin = 0;
	const struct report_run *me = &r->run[g->first];
	for (size_t i = 0; i < ngroups; i++) {
		const struct report_run *x = &r->run[gs[i].first];
		if (strcmp(x->config, "native") != 0 || !same_place(x, me))
			continue;
		if (strcmp(x->cell, me->cell) == 0)
			return &gs[i];
		if (cell_within(x->cell, me->cell))
			within = &gs[i], nwithin++;
		only = &gs[i];
		natives++;
	}
	return nwithin == 1 ? within : natives == 1 ? only : NULL;
}

static int add_row(struct report_table *t, const struct report_runs *r, const struct group *g,
		   const struct group *native)
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
	struct group *gs = calloc(r.n, sizeof *gs);
	size_t ng = 0;
	int rc = gs && make_table(&r, t) == 0 ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < r.n; ng++) {
		gs[ng].first = i;
		while (++i < r.n && report_same_group(&r.run[gs[ng].first], &r.run[i]))
			;
		gs[ng].end = i;
		rc = group_stats(&r, &gs[ng]);
	}
	for (size_t g = 0; rc == 0 && g < ng; g++)
		rc = add_row(t, &r, &gs[g], baseline(&r, gs, ng, &gs[g]));
	if (rc)
		snprintf(err, errlen, "out of memory building the table");
	free(gs);
	report_runs_free(&r);
	return rc;
}
