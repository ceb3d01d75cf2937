/*
 * chart_sweep.c - the numbers of the sweep chart (chart_query.h
 * chart_query_sweep): a parameter a campaign sweeps on the x axis, the
 * modeled time relative to native on the y axis.
 *
 * The views of db/views.sql average over swept parameters, so this chart
 * reads the runs through analyze/report.h instead (chart_report_groups,
 * chart_groups.c): its groups keep each
 * campaign cell apart (run_params campaign_cell, "name=value ..."), and
 * report_baseline() finds the native group a cell is compared with, the
 * same one `vtlab report` uses.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_query.h"
#include "report.h"

/* The value of `param` in a cell ("a=1 b=2"), into val; the cell's other
 * words, space-separated, into rest.  0 when the cell does not hold it. */
static int split_cell(const char *cell, const char *param, char *val, size_t vlen, char *rest,
		      size_t rlen)
{
	size_t plen = strlen(param), used = 0;
	int found = 0;
	rest[0] = '\0';
	for (cell += strspn(cell, " "); *cell; cell += strspn(cell, " ")) {
		size_t len = strcspn(cell, " ");
		if (len > plen && strncmp(cell, param, plen) == 0 && cell[plen] == '=') {
			snprintf(val, vlen, "%.*s", (int)(len - plen - 1), cell + plen + 1);
			found = 1;
		} else {
			int n = snprintf(rest + used, rlen - used, "%s%.*s", used ? " " : "",
					 (int)len, cell);
			if (n > 0 && used + (size_t)n < rlen)
				used += (size_t)n;
		}
		cell += len;
	}
	return found;
}

/* The series a group is drawn in: its configuration, its other swept
 * values, and its vCPU count when the chart has several. */
static void series_name(const struct report_run *run, const char *rest, int many_vcpus, char *buf,
			size_t len)
{
	int n = snprintf(buf, len, "%s%s%s", run->config, rest[0] ? " " : "", rest);
	if (many_vcpus && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " %u vCPU%s", run->vcpus,
			 run->vcpus == 1 ? "" : "s");
}

/* The panel of a workload, added when new. */
static struct chart_table *panel(struct chart_panels *p, const char *workload)
{
	for (unsigned i = 0; i < p->n; i++)
		if (strcmp(p->names[i], workload) == 0)
			return &p->tables[i];
	p->names[p->n] = strdup(workload);
	if (!p->names[p->n])
		return NULL;
	memset(&p->tables[p->n], 0, sizeof p->tables[p->n]);
	return &p->tables[p->n++];
}

struct sweep {
	const struct report_runs *r;
	const struct report_group *gs;
	size_t ng;
	const char *param;
	int many_vcpus;
	unsigned swept, compared; /* groups holding the param; of those, with a native */
};

/* Whether t has a value at (row, col). */
static int has_cell(const struct chart_table *t, const char *row, const char *col)
{
	int c = chart_table_col(t, col);
	for (unsigned r = 0; c >= 0 && r < t->nrows; r++)
		if (strcmp(t->rows[r], row) == 0)
			return !isnan(chart_table_get(t, r, (unsigned)c));
	return 0;
}

/* One group's point: (its value of the param, its series) = its mean
 * cycles over its native's, with the 95% interval of that ratio in
 * out->halves (both means' relative half-widths in quadrature, as
 * chart_ci.c does for a perf bar), none when a mean is of one run or the
 * point is drawn from two groups (runs `vtlab report` keeps apart). */
static int add_point(struct sweep *w, const struct report_group *g, struct chart_panels *out,
		     struct chart_table *series)
{
	char val[128], rest[512], name[640];
	const struct report_run *run = &w->r->run[g->first];
	if (strcmp(run->config, "native") == 0 ||
	    !split_cell(run->cell, w->param, val, sizeof val, rest, sizeof rest))
		return 0;
	w->swept++;
	const struct report_group *base = report_baseline(w->r, w->gs, w->ng, g);
	if (!base || !(base->cycles.mean > 0) || !(g->cycles.mean > 0))
		return 0;
	w->compared++;
	series_name(run, rest, w->many_vcpus, name, sizeof name);
	struct chart_table *t = panel(out, run->workload);
	if (!t || chart_table_add_col(series, name))
		return -1;
	double h, v = report_ratio(&g->cycles, &base->cycles, &h);
	struct chart_table *half = &out->halves[t - out->tables];
	if (has_cell(t, val, name)) /* a second group on this point */
		h = NAN;
	if (chart_table_set(half, val, name, isfinite(h) ? h : NAN))
		return -1;
	return chart_table_set(t, val, name, v);
}

/* Every panel gets every series, in one order, so a series keeps its
 * colour (chart_query.h: every panel has the same columns). */
static int same_columns(struct chart_panels *out, const struct chart_table *series)
{
	for (unsigned i = 0; i < out->n; i++) {
		struct chart_table t = { 0 };
		for (unsigned c = 0; c < series->ncols; c++)
			if (chart_table_add_col(&t, series->cols[c]))
				return -1;
		const struct chart_table *old = &out->tables[i];
		for (unsigned r = 0; r < old->nrows; r++)
			for (unsigned c = 0; c < old->ncols; c++) {
				double v = chart_table_get(old, r, c);
				if (!isnan(v) && chart_table_set(&t, old->rows[r], old->cols[c], v))
					return -1;
			}
		chart_table_free(&out->tables[i]);
		out->tables[i] = t;
	}
	return 0;
}

static int many_vcpus(const struct report_runs *r)
{
	for (size_t i = 1; i < r->n; i++)
		if (r->run[i].vcpus != r->run[0].vcpus)
			return 1;
	return 0;
}

static int points(struct sweep *w, struct chart_panels *out, char *err, size_t errlen)
{
	struct chart_table series = { 0 };
	int rc = 0;
	out->names = calloc(w->r->n, sizeof *out->names);
	out->tables = calloc(w->r->n, sizeof *out->tables);
	out->halves = calloc(w->r->n, sizeof *out->halves);
	if (!out->names || !out->tables || !out->halves)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < w->ng; i++)
		rc = add_point(w, &w->gs[i], out, &series);
	if (rc == 0)
		rc = same_columns(out, &series);
	chart_table_free(&series);
	if (rc)
		snprintf(err, errlen, "out of memory building the sweep chart");
	else if (!w->swept)
		snprintf(err, errlen,
			 "no complete hypervisor run of the chosen ones has --param %s in its "
			 "campaign cell (a <param name=\"%s\"> with two or more values; see "
			 "vtlab report for the cells)",
			 w->param, w->param);
	else if (!w->compared)
		snprintf(err, errlen,
			 "no native run to compare the %s cells with: add native to the "
			 "campaign's <configs>",
			 w->param);
	return rc || !w->compared ? -1 : 0;
}

int chart_query_sweep(struct sqlite3 *db, struct chart_scope *s, const char *param,
		      struct chart_panels *out, char *err, size_t errlen)
{
	struct report_runs r;
	struct report_group *gs;
	size_t ng;
	memset(out, 0, sizeof *out);
	/* --config narrows the lines; native stays, every point needs it */
	if (chart_report_groups(db, s, true, &r, &gs, &ng, err, errlen))
		return -1;
	if (r.n == 0) {
		snprintf(err, errlen, "no complete runs to draw");
		free(gs);
		report_runs_free(&r);
		return -1;
	}
	struct sweep w = {
		.r = &r, .gs = gs, .ng = ng, .param = param, .many_vcpus = many_vcpus(&r)
	};
	int rc = points(&w, out, err, errlen);
	free(gs);
	report_runs_free(&r);
	if (rc)
		chart_panels_free(out);
	return rc;
}
