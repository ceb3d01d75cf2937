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

/* True when every "name=value" word of the campaign cell [part, part +
 * plen) is a word of [cell, cell + clen): a native cell holds only the
 * swept params native takes, a hypervisor's cell those and its own
 * (cli/campaign_plan.c). */
static int cell_within(const char *part, size_t plen, const char *cell, size_t clen)
{
	const char *pend = part + plen, *cend = cell + clen;
	while (part < pend) {
		if (*part == ' ') {
			part++;
			continue;
		}
		size_t len = strcspn(part, " ");
		if (len > (size_t)(pend - part))
			len = (size_t)(pend - part);
		int found = 0;
		for (const char *w = cell; w < cend && !found;) {
			size_t n = strcspn(w, " ");
			if (n > (size_t)(cend - w))
				n = (size_t)(cend - w);
			found = n == len && strncmp(w, part, len) == 0;
			w += n + (w[n] == ' ');
		}
		if (!found)
			return 0;
		part += len;
	}
	return 1;
}

/* True when native run x's row applies to run me: its campaign cell
 * within me's, and the settings its row was split by (report_settings.c)
 * among me's settings.  Those are matched as whole settings, not as the
 * space-separated words of the cell they were appended to: a workload's
 * arguments hold spaces, and a native split by a setting me's row was
 * not split by (it had one value only) is still found. */
static int native_within(const struct report_run *x, const struct report_run *me)
{
	return cell_within(x->cell, x->key_len, me->cell, me->key_len) &&
	       report_settings_hold(me->settings, x->split);
}

/* The native group of g's campaign, workload and vCPUs: the one with g's
 * cell, else the one whose params g's run holds (native_within), else the
 * only one; NULL when there is none or no single one. */
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
		if (native_within(x, me))
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
