/*
 * chart_ci.c - the 95% confidence intervals of the perf chart's bars
 * (chart_query.h, chart_query_perf_ci) and of the scaling chart's points
 * (chart_panels_scaling_ci; the sweep chart's are made alike in
 * chart_sweep.c).
 *
 * A bar is a ratio of two means, the configuration's metric over the
 * baseline's (native, or --baseline; inverted for a time), so its interval has to carry the
 * spread of both.  `vtlab report` gives each mean's half-width (Student's
 * t over the repetitions, analyze/stats.c); the ratio's is their relative
 * half-widths added in quadrature, the first-order (delta method)
 * interval of a ratio of independent means: a bar and its baseline are
 * separate runs.  Inverting a ratio keeps its relative half-width (to
 * first order), so the same formula holds for time metrics.
 *
 * The bar's runs must be one sample, as `vtlab report` groups them: a bar
 * that averages several of its groups (swept cells, other settings), or
 * whose baseline averages several, gets no interval - there is no one
 * quantity whose spread it would show (chart_mixed.c notes such bars).
 *
 * A point of the scaling chart is a ratio too, of a configuration's mean
 * at a vCPU count over its mean at the fewest: the same formula, with the
 * same rule (each mean one group), carries both spreads; the first point,
 * 1 by definition, has none.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_query.h"
#include "report.h"

/* How many groups of r fall on (workload, config). */
static unsigned groups_of(const struct report_runs *r, const struct report_group *gs, size_t ng,
			  const char *workload, const char *config)
{
	unsigned n = 0;
	for (size_t i = 0; i < ng; i++) {
		const struct report_run *x = &r->run[gs[i].first];
		n += strcmp(x->workload, workload) == 0 && strcmp(x->config, config) == 0;
	}
	return n;
}

int chart_query_perf_ci(struct sqlite3 *db, const struct chart_scope *s,
			const struct chart_table *perf, struct chart_table *half, char *err,
			size_t errlen)
{
	memset(half, 0, sizeof *half);
	struct report_runs r;
	struct report_group *gs;
	size_t ng;
	if (chart_report_groups(db, s, true, &r, &gs, &ng, err, errlen))
		return -1;
	int rc = 0;
	/* the same rows and columns as perf, in its order, every cell NAN */
	for (unsigned c = 0; c < perf->ncols && rc == 0; c++)
		rc = chart_table_add_col(half, perf->cols[c]);
	for (size_t i = 0; i < ng && rc == 0; i++) {
		const struct report_group *g = &gs[i];
		const struct report_run *x = &r.run[g->first];
		const char *base = s->baseline ? s->baseline : "native";
		if (strcmp(x->config, base) == 0)
			continue;
		int col = chart_table_col(perf, x->config);
		unsigned row = 0;
		while (row < perf->nrows && strcmp(perf->rows[row], x->workload) != 0)
			row++;
		if (col < 0 || row == perf->nrows)
			continue;
		double v = chart_table_get(perf, row, (unsigned)col);
		const struct report_group *n = report_baseline_of(&r, gs, ng, g, base);
		if (isnan(v) || !n || groups_of(&r, gs, ng, x->workload, x->config) != 1 ||
		    groups_of(&r, gs, ng, x->workload, base) != 1)
			continue;
		double h = v * report_ratio_spread(&g->metric, &n->metric);
		if (isfinite(h))
			rc = chart_table_set(half, x->workload, x->config, h);
	}
	if (rc)
		snprintf(err, errlen, "out of memory");
	free(gs);
	report_runs_free(&r);
	if (rc)
		chart_table_free(half);
	return rc;
}

/* The one group of r on (workload, config, vcpus); NULL when there is none
 * or several (the point averages runs `vtlab report` keeps apart). */
static const struct report_group *one_group(const struct report_runs *r,
					    const struct report_group *gs, size_t ng,
					    const char *workload, const char *config,
					    unsigned vcpus)
{
	const struct report_group *found = NULL;
	for (size_t i = 0; i < ng; i++) {
		const struct report_run *x = &r->run[gs[i].first];
		if (x->vcpus != vcpus || strcmp(x->workload, workload) != 0 ||
		    strcmp(x->config, config) != 0)
			continue;
		if (found)
			return NULL;
		found = &gs[i];
	}
	return found;
}

/* The half-widths of panel t (workload w) into half: each point against
 * its column's first, the fewest vCPUs (chart_query_scaling's rows
 * ascend); 0, or -1 when memory runs out. */
static int scaling_panel_ci(const struct report_runs *r, const struct report_group *gs, size_t ng,
			    const char *w, const struct chart_table *t, struct chart_table *half)
{
	for (unsigned c = 0; c < t->ncols; c++) {
		unsigned first = 0;
		while (first < t->nrows && isnan(chart_table_get(t, first, c)))
			first++;
		if (first == t->nrows)
			continue;
		const struct report_group *b =
			one_group(r, gs, ng, w, t->cols[c], (unsigned)atoi(t->rows[first]));
		for (unsigned row = first + 1; b && row < t->nrows; row++) {
			double v = chart_table_get(t, row, c);
			const struct report_group *g =
				one_group(r, gs, ng, w, t->cols[c], (unsigned)atoi(t->rows[row]));
			if (isnan(v) || !g)
				continue;
			double h = v * report_ratio_spread(&g->metric, &b->metric);
			if (isfinite(h) && chart_table_set(half, t->rows[row], t->cols[c], h))
				return -1;
		}
	}
	return 0;
}

int chart_panels_scaling_ci(struct sqlite3 *db, const struct chart_scope *s, struct chart_panels *p,
			    char *err, size_t errlen)
{
	struct report_runs r;
	struct report_group *gs;
	size_t ng;
	if (chart_report_groups(db, s, false, &r, &gs, &ng, err, errlen))
		return -1;
	int rc = 0;
	p->halves = calloc(p->n ? p->n : 1, sizeof *p->halves);
	if (!p->halves)
		rc = -1;
	for (unsigned i = 0; i < p->n && rc == 0; i++)
		rc = scaling_panel_ci(&r, gs, ng, p->names[i], &p->tables[i], &p->halves[i]);
	if (rc)
		snprintf(err, errlen, "out of memory");
	free(gs);
	report_runs_free(&r);
	return rc;
}
