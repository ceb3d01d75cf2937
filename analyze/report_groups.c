/*
 * report_groups.c - the groups of a report's runs, their statistics, the
 * baseline group each is compared with (native unless --baseline names
 * another configuration), and the confidence interval of a ratio of
 * their means (report.h).
 */
#include <math.h>
#include <stdio.h>
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

/* True when baseline run x's row applies to run me: its campaign cell
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

/* The group of `config` of g's campaign, workload and vCPUs: the one with
 * g's cell, else the one whose params g's run holds (native_within: a
 * baseline that takes fewer knobs than g, as native takes none and STVT
 * no hash-vTLB knob), else the only one; NULL when there is none or no
 * single one. */
const struct report_group *report_baseline_of(const struct report_runs *r,
					      const struct report_group *gs, size_t ngroups,
					      const struct report_group *g, const char *config)
{
	const struct report_group *only = NULL, *within = NULL;
	unsigned natives = 0, nwithin = 0;
	const struct report_run *me = &r->run[g->first];
	if (!config)
		config = "native";
	for (size_t i = 0; i < ngroups; i++) {
		const struct report_run *x = &r->run[gs[i].first];
		if (strcmp(x->config, config) != 0 || !same_place(x, me))
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

/* The first-order (delta method) interval of a ratio of two independent
 * means: Var(a/b) ~ (a/b)^2 (Var a / a^2 + Var b / b^2), so its
 * half-width is the ratio times each mean's relative half-width added in
 * quadrature (e.g. Casella & Berger, Statistical Inference, 2nd ed.,
 * 5.5.4; the interval plots/chart_ci.c draws on the perf chart's bars).
 * Each mean's half-width is Student's t over its own runs (stats.c), so
 * the interval is approximate: it is symmetric where the exact (Fieller)
 * one is not, which matters only when a mean's half-width nears the mean
 * itself.  The means are independent: a row and its baseline are
 * different runs.  Inverting the ratio (a time metric, higher is better)
 * keeps its relative half-width to first order. */
double report_ratio_spread(const struct sample_stats *a, const struct sample_stats *b)
{
	double x = a->half / a->mean, y = b->half / b->mean;
	return sqrt(x * x + y * y);
}

double report_ratio(const struct sample_stats *a, const struct sample_stats *b, double *half)
{
	double v = a->mean / b->mean;
	*half = isfinite(v) ? fabs(v) * report_ratio_spread(a, b) : NAN;
	if (!isfinite(*half))
		*half = NAN;
	return v;
}

const struct report_group *report_baseline(const struct report_runs *r,
					   const struct report_group *gs, size_t ngroups,
					   const struct report_group *g)
{
	return report_baseline_of(r, gs, ngroups, g, "native");
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

/* Appends sep and a group's params to buf, as far as they fit. */
static void add_params(char *buf, size_t len, const char *sep, const char *params)
{
	size_t used = strlen(buf);
	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", sep, params[0] ? params : "(none)");
}

unsigned report_groups_mixed(const struct report_runs *r, const struct report_group *gs, size_t ng,
			     char *what, size_t len)
{
	unsigned mixed = 0;
	what[0] = '\0';
	/* groups of one campaign, workload, vCPUs and configuration are
	 * adjacent (report_runs_load's order) */
	for (size_t a = 0, b; a < ng; a = b) {
		const struct report_run *x = &r->run[gs[a].first];
		for (b = a + 1; b < ng; b++) {
			const struct report_run *y = &r->run[gs[b].first];
			if (y->vcpus != x->vcpus || strcmp(y->workload, x->workload) != 0 ||
			    strcmp(y->config, x->config) != 0 ||
			    strcmp(y->campaign, x->campaign) != 0)
				break;
		}
		if (b - a < 2 || mixed++ > 0)
			continue;
		snprintf(what, len, "%s %s %u vCPU%s: ", x->config, x->workload, x->vcpus,
			 x->vcpus == 1 ? "" : "s");
		for (size_t g = a; g < b && g < a + 3; g++)
			add_params(what, len, g == a ? "" : " | ", r->run[gs[g].first].cell);
		if (b - a > 3)
			add_params(what, len, " | ", "...");
	}
	return mixed;
}
