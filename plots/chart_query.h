/*
 * chart_query.h - the numbers behind each chart, read from the results
 * database's views (db/views.sql, db/SCHEMA.md) and nothing else.
 *
 * Contract: every function reads complete runs only (the views' rule) of
 * one campaign, chosen by chart_scope_resolve(), and fills chart_table(s)
 * the caller frees.  Performance is always "higher is better": a metric
 * that is a time (metric_is_time, analyze/stats.h) is inverted, so a build that takes
 * twice as long as natively plots at 0.5.  Each function returns 0, or -1
 * with one line in err saying what is missing and how to get it (for
 * example a chart normalized to native needs native runs).
 */
#ifndef PLOTS_CHART_QUERY_H
#define PLOTS_CHART_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart_table.h"

struct sqlite3;
struct report_where;

/* Which runs a chart shows.  Lists are NULL-terminated; NULL: all. */
struct chart_scope {
	const char *campaign;         /* campaign name; NULL: the only one there is */
	const char *const *workloads; /* only these workloads, in this order */
	const char *const *configs;   /* only these configurations */
	unsigned vcpus;               /* perf and faults: 0 = the largest count present */
	/* --where: only the runs that hold these terms, selected as `vtlab
	 * report` selects them (analyze/report.h struct report_scope, the
	 * same code); chart_scope_resolve() applies it to every chart. */
	const struct report_where *where;
	unsigned nwhere;
	const char *baseline; /* perf: bars relative to this configuration; NULL: native */
	/* Filled by chart_scope_resolve(): */
	int64_t campaign_id;     /* 0: runs outside any campaign */
	char campaign_name[128]; /* "" when campaign_id is 0 */
};

/* Finds the campaign (an error when the name is unknown, or when no name
 * is given and the complete runs belong to several campaigns).  With
 * s->where it then selects the runs (chart_scope_select), for the chart
 * queries of this scope on this connection until the next call. */
int chart_scope_resolve(struct sqlite3 *db, struct chart_scope *s, char *err, size_t errlen);

/* --where (chart_groups.c): the ids of the runs of the resolved scope
 * that `vtlab report --where` keeps (report_runs_load), in a TEMP table;
 * a TEMP view `runs` of those (and of the runs that are not complete) and
 * TEMP copies of the database's views, which read it, so every chart
 * reads the selected runs only; the database itself is not written.  A
 * selection made before on the connection is dropped first.  0, or -1
 * with err (an unknown NAME or VALUE names those there are; a view whose
 * stored statement is not one CREATE VIEW is refused). */
int chart_scope_select(struct sqlite3 *db, const struct chart_scope *s, char *err, size_t errlen);
/* Drops the TEMP objects of chart_scope_select (none: nothing); 0, or -1
 * with err.  chart_scope_resolve() calls it first. */
int chart_scope_unselect(struct sqlite3 *db, char *err, size_t errlen);

/* How many runs of the scope are not complete (running, incomplete or
 * failed): the charts leave them out, and say so. */
int chart_scope_unfinished(struct sqlite3 *db, const struct chart_scope *s, int64_t *n, char *err,
			   size_t errlen);

/* The complete runs of scope s and their groups as `vtlab report` makes
 * them (analyze/report.h: campaign cell, then any setting that differs),
 * native kept when s->configs narrows the configurations and with_native
 * is set (chart_groups.c).  0 (free *gs and report_runs_free(r) after),
 * or -1 with err and nothing to free. */
struct report_runs;
struct report_group;
int chart_report_groups(struct sqlite3 *db, const struct chart_scope *s, bool with_native,
			struct report_runs *r, struct report_group **gs, size_t *ng, char *err,
			size_t errlen);

/* How many bars of the perf, faults and scaling charts (a configuration,
 * workload and vCPU count) average runs that `vtlab report` keeps apart:
 * a campaign's swept cells, or runs made with other settings
 * (chart_mixed.c).  The first is described in `what`, e.g. "HTVT kbuild
 * 2 vCPUs: vtlb-buckets=64 | vtlb-buckets=256".  -1 with err on error. */
int chart_scope_mixed(struct sqlite3 *db, const struct chart_scope *s, char *what, size_t len,
		      char *err, size_t errlen);

/* Grouped bars: rows = workloads, columns = configurations other than
 * the baseline (s->baseline, default native), cells = performance
 * relative to the baseline at s->vcpus (resolved to the count used). */
int chart_query_perf(struct sqlite3 *db, struct chart_scope *s, struct chart_table *out, char *err,
		     size_t errlen);

/* The 95% confidence interval half-width of each bar of perf (a table
 * chart_query_perf filled with the same scope): the configuration's and
 * the baseline's intervals over their repetitions carried through the ratio
 * (chart_ci.c).  A bar gets none (its cell is left unset) when it or its
 * native has one run, or averages runs `vtlab report` keeps apart.  0, or
 * -1 with err. */
int chart_query_perf_ci(struct sqlite3 *db, const struct chart_scope *s,
			const struct chart_table *perf, struct chart_table *half, char *err,
			size_t errlen);

/* A chart of one panel per workload: names[i] titles tables[i].  A panel
 * holds only the cells that have a value (so n >= 1 panel has >= 1 row);
 * every panel has the same columns, in the same order. */
struct chart_panels {
	unsigned n;
	char **names;
	struct chart_table *tables;
	/* NULL, or a table per panel: the 95% confidence interval half-width
	 * of each point that has one, by the same row and column labels (a
	 * point that is one `vtlab report` group of two or more runs, compared
	 * with one such group; chart_ci.c) */
	struct chart_table *halves;
};
void chart_panels_free(struct chart_panels *p);

/* Fault-kind stacks, one panel per workload: rows = configurations that
 * injected faults, columns = fault kinds, the same columns in every panel
 * (so a kind keeps its colour) ordered by their total, largest first;
 * cells = mean injected faults per run, at s->vcpus (resolved). */
int chart_query_faults(struct sqlite3 *db, struct chart_scope *s, struct chart_panels *out,
		       char *err, size_t errlen);

/* vCPU scaling, one panel per workload: rows = vCPU counts, columns =
 * configurations, cells = performance relative to the same configuration
 * at its smallest vCPU count; halves its points' 95% intervals
 * (chart_panels_scaling_ci).  Needs two or more vCPU counts of one
 * workload and configuration; a workload without them has no panel. */
int chart_query_scaling(struct sqlite3 *db, struct chart_scope *s, struct chart_panels *out,
			char *err, size_t errlen);

/* The 95% confidence intervals of the points of a scaling chart p (into
 * p->halves): a point is a ratio of two means, the configuration's at a
 * vCPU count over its own at the fewest, and carries the spread of both
 * as a perf bar does (chart_ci.c).  0, or -1 with err. */
int chart_panels_scaling_ci(struct sqlite3 *db, const struct chart_scope *s, struct chart_panels *p,
			    char *err, size_t errlen);

/* A parameter sweep, one panel per workload (chart_sweep.c): rows = the
 * values of `param` in the campaign's cells (in the order they ran),
 * columns = the configurations that took it (with the cell's other swept
 * values, and the vCPU count when the runs have several), cells = modeled
 * time relative to the native cell each is compared with (analyze/report.h
 * report_baseline), with the 95% intervals of those ratios in halves (as
 * chart_ci.c carries them).  Needs complete hypervisor runs whose cells hold
 * `param`, and native runs; s->vcpus 0 takes every count. */
int chart_query_sweep(struct sqlite3 *db, struct chart_scope *s, const char *param,
		      struct chart_panels *out, char *err, size_t errlen);

#endif
