/*
 * report_groups.c - the groups of a report's runs, their statistics, and
 * the native group each is compared with (report.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "stats.h"

static int group_stats(const struct report_runs *r, struct report_group *g)
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
const struct report_group *report_baseline(const struct report_runs *r,
					   const struct report_group *gs, size_t ngroups,
					   const struct report_group *g)
{
	const struct report_group *only = NULL, *within = NULL;
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

int report_groups(const struct report_runs *r, struct report_group **out, size_t *n)
{
	struct report_group *gs = calloc(r->n ? r->n : 1, sizeof *gs);
	*out = gs;
	*n = 0;
	if (!gs)
		return -1;
	for (size_t i = 0; i < r->n; (*n)++) {
		struct report_group *g = &gs[*n];
		g->first = i;
		while (++i < r->n && report_same_group(&r->run[g->first], &r->run[i]))
			;
		g->end = i;
		if (group_stats(r, g))
			return -1;
	}
	return 0;
}
