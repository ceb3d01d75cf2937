/*
 * chart_ci.c - the 95% confidence intervals of the perf chart's bars
 * (chart_query.h, chart_query_perf_ci).
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
		double a = g->metric.half / g->metric.mean, b = n->metric.half / n->metric.mean;
		double h = v * sqrt(a * a + b * b); /* report_ratio(), analyze/report_groups.c */
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
