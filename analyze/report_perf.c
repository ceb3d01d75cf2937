/*
 * report_perf.c - `vtlab report --table perf`: each group's workload
 * metric and modeled time, their means and 95% confidence intervals over
 * the group's runs, and both relative to a baseline configuration
 * (native, or --baseline CONFIG: "HTVT over STVT"), each ratio with its
 * own 95% interval (report.h).
 *
 * The notes under the table say what the ratios and intervals are, and
 * name the rows that have no baseline to compare with: their ratio cells
 * stay empty rather than hold a number of something else.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "stats.h"

#define MAX_COLS 16
#define MAX_NAMED 8 /* rows without a baseline named in the note; the others counted */

/* The ratios of g to its baseline b: performance (time metrics
 * inverted, so higher is better) and modeled time, each with its
 * interval's half-width; all NAN without b.  The baseline's own row is
 * 1 exactly, with no interval (it is not a ratio of two samples). */
struct ratios {
	double perf, perf_half, time, time_half;
};

static struct ratios ratios_of(const struct report_run *run, const struct report_group *g,
			       const struct report_group *b)
{
	struct ratios q = { NAN, NAN, NAN, NAN };
	if (!b)
		return q;
	if (b == g) {
		q.perf = isfinite(g->metric.mean) && g->metric.mean > 0 ? 1.0 : NAN;
		q.time = g->cycles.mean > 0 ? 1.0 : NAN;
		return q;
	}
	double h;
	double v = report_ratio(&g->metric, &b->metric, &h);
	q.perf = metric_as_performance(v, run->metric_name);
	/* 1/v has the relative half-width of v to first order (report_ratio) */
	if (!isnan(q.perf) && !isnan(h))
		q.perf_half = q.perf * (h / v);
	if (b->cycles.mean > 0) {
		q.time = report_ratio(&g->cycles, &b->cycles, &q.time_half);
		if (!isfinite(q.time))
			q.time = q.time_half = NAN;
	}
	return q;
}

static int add_row(struct report_table *t, const struct report_runs *r,
		   const struct report_group *g, const struct report_group *base)
{
	const char *cells[MAX_COLS];
	char key[16], num[10][32];
	const struct report_run *run = &r->run[g->first];
	unsigned n = report_key_cells(r, run, cells, key, sizeof key);
	struct ratios q = ratios_of(run, g, base);
	snprintf(num[0], sizeof num[0], "%zu", g->end - g->first);
	report_number(g->metric.mean, num[1], sizeof num[1]);
	report_number_as(g->metric.half, g->metric.mean, num[2], sizeof num[2]);
	report_fixed(q.perf, 3, num[3], sizeof num[3]);
	report_fixed(q.perf_half, 3, num[4], sizeof num[4]);
	report_fixed(g->cycles.mean / 1e6, 1, num[5], sizeof num[5]);
	report_fixed(g->cycles.half / 1e6, 1, num[6], sizeof num[6]);
	report_fixed(q.time, 3, num[7], sizeof num[7]);
	report_fixed(q.time_half, 3, num[8], sizeof num[8]);
	cells[n++] = num[0];
	cells[n++] = run->metric_name;
	for (int k = 1; k <= 8; k++)
		cells[n++] = num[k];
	return report_table_add_row(t, cells);
}

static int make_table(const struct report_runs *r, const char *base, struct report_table *t)
{
	const char *head[MAX_COLS];
	char align[MAX_COLS + 1] = { 0 }, vs[4][96], title[256];
	unsigned n = report_key_head(r, head, align);
	snprintf(vs[0], sizeof vs[0], "vs %s", base);
	snprintf(vs[1], sizeof vs[1], "vs %s ±95%%", base);
	snprintf(vs[2], sizeof vs[2], "time vs %s", base);
	snprintf(vs[3], sizeof vs[3], "time vs %s ±95%%", base);
	/* headings differ, so a CSV reader keeps every interval */
	const char *const more[] = { "runs", "metric",  "mean",         "±95%", vs[0],
				     vs[1],  "Mcycles", "Mcycles ±95%", vs[2],  vs[3] };
	static const char more_align[] = "rlrrrrrrrr";
	for (unsigned k = 0; k < 10; k++)
		head[n] = more[k], align[n++] = more_align[k];
	snprintf(title, sizeof title,
		 "Performance relative to %s (higher is better; time metrics inverted) and "
		 "modeled time; means over complete runs, 95%% CI",
		 base);
	return report_table_init(t, title, n, head, align);
}

/* The notes under the table: what the columns are. */
static int explain(struct report_table *t, const char *base)
{
	char a[512], b[512];
	snprintf(a, sizeof a,
		 "vs %s: the metric's mean over that of the %s row of the same campaign, "
		 "workload, vCPUs and cell, as performance (higher is better: a time metric, "
		 "*seconds, *_ns, *_cycles or *latency*, is inverted); time vs %s: modeled "
		 "Mcycles over %s's (lower is better).",
		 base, base, base, base);
	snprintf(b, sizeof b,
		 "±95%%: a mean's Student-t interval over its runs; a ratio's, first order "
		 "(delta method) for two independent means, ratio × sqrt((h1/m1)² + "
		 "(h2/m2)²); empty with one run on either side, and on the %s rows (1 "
		 "by definition).",
		 base);
	return report_table_note(t, a) || report_table_note(t, b) ? -1 : 0;
}

/* A note under the table: intro, then the rows (at most MAX_NAMED named,
 * the others counted), each with how many of its runs have a metric when
 * `counts` is set. */
static int note_rows(struct report_table *t, const struct report_runs *r, const char *intro,
		     const struct report_group *const *rows, size_t n, bool counts)
{
	char line[2048];
	int len = snprintf(line, sizeof line, "%s", intro);
	for (size_t i = 0; i < n && i < MAX_NAMED && len > 0 && (size_t)len < sizeof line; i++) {
		const struct report_run *x = &r->run[rows[i]->first];
		len += snprintf(line + len, sizeof line - (size_t)len, "%s %s %u vCPUs %s%s%s",
				i ? ";" : "", x->workload, x->vcpus, x->config,
				x->cell[0] ? " " : "", x->cell);
		if (counts && len > 0 && (size_t)len < sizeof line)
			len += snprintf(line + len, sizeof line - (size_t)len, " (%u of %zu)",
					rows[i]->metric.n, rows[i]->end - rows[i]->first);
	}
	if (n > MAX_NAMED && len > 0 && (size_t)len < sizeof line)
		snprintf(line + len, sizeof line - (size_t)len, "; and %zu more", n - MAX_NAMED);
	return report_table_note(t, line);
}

/* The notes naming the rows with no baseline, and those whose metric is
 * a mean over fewer runs than the runs column counts (a run that printed
 * no metric; its modeled time is in the Mcycles mean). */
static int note_rows_apart(struct report_table *t, const struct report_runs *r, const char *base,
			   const struct report_group *const *miss, size_t nmiss,
			   const struct report_group *const *fewer, size_t nfewer)
{
	char intro[256];
	snprintf(intro, sizeof intro,
		 "No %s row to compare with (none, or no single one, of the same campaign, "
		 "workload and vCPUs in the scope), ratios left empty:",
		 base);
	if (nmiss && note_rows(t, r, intro, miss, nmiss, false))
		return -1;
	return nfewer ? note_rows(t, r,
				  "The metric's mean leaves out the runs that stored none "
				  "(runs with a metric, of all):",
				  fewer, nfewer, true)
		      : 0;
}

static int listed(const char *config, const struct report_scope *s)
{
	for (unsigned i = 0; i < s->nconfigs; i++)
		if (strcmp(config, s->configs[i]) == 0)
			return 1;
	return s->nconfigs == 0;
}

static int fill(struct report_table *t, const struct report_runs *r, const struct report_scope *s,
		const char *base)
{
	struct report_group *gs = NULL;
	const struct report_group **miss = NULL, **fewer = NULL;
	size_t ng = 0, nmiss = 0, nfewer = 0;
	int rc = make_table(r, base, t) == 0 && report_groups(r, &gs, &ng) == 0 &&
				 (miss = malloc((ng ? ng : 1) * sizeof *miss)) != NULL &&
				 (fewer = malloc((ng ? ng : 1) * sizeof *fewer)) != NULL
			 ? 0
			 : -1;
	for (size_t g = 0; rc == 0 && g < ng; g++) {
		if (!listed(r->run[gs[g].first].config, s))
			continue; /* the baseline, read for the others only */
		const struct report_group *b = report_baseline_of(r, gs, ng, &gs[g], base);
		if (!b)
			miss[nmiss++] = &gs[g];
		if (gs[g].metric.n < gs[g].end - gs[g].first)
			fewer[nfewer++] = &gs[g];
		rc = add_row(t, r, &gs[g], b);
	}
	if (rc == 0)
		rc = explain(t, base);
	if (rc == 0)
		rc = note_rows_apart(t, r, base, miss, nmiss, fewer, nfewer);
	free(miss);
	free(fewer);
	free(gs);
	return rc;
}

int report_perf(struct sqlite3 *db, const struct report_scope *s, struct report_table *t, char *err,
		size_t errlen)
{
	struct report_runs r;
	memset(t, 0, sizeof *t);
	const char *base = s->baseline ? s->baseline : "native";
	/* --config HTVT --baseline STVT: STVT's runs are read, not printed */
	struct report_scope with = *s;
	const char *configs[65];
	if (s->nconfigs && !listed(base, s) && s->nconfigs < 64) {
		memcpy(configs, s->configs, s->nconfigs * sizeof *configs);
		configs[with.nconfigs++] = base;
		with.configs = configs;
	}
	if (report_runs_load(db, &with, &r, err, errlen))
		return -1;
	if (r.n == 0) {
		snprintf(err, errlen,
			 "no complete runs in the scope (vtlab campaign or vtlab run "
			 "--db stores them)");
		return 1;
	}
	int rc = 0;
	size_t i = 0;
	while (s->baseline && i < r.n && strcmp(r.run[i].config, base) != 0)
		i++;
	if (s->baseline && i == r.n) { /* asked for by name: say so, not a column of blanks */
		char have[512] = "";
		for (size_t k = 0; k < r.n; k++) {
			size_t j = 0, used = strlen(have);
			while (j < k && strcmp(r.run[j].config, r.run[k].config) != 0)
				j++;
			if (j == k && used + strlen(r.run[k].config) + 3 < sizeof have)
				snprintf(have + used, sizeof have - used, "%s%s", used ? ", " : "",
					 r.run[k].config);
		}
		snprintf(
			err, errlen,
			"--baseline %s: no complete run of that configuration in the scope (it has "
			"%s)",
			base, have);
		report_runs_free(&r);
		return 1;
	}
	rc = fill(t, &r, s, base);
	if (rc)
		snprintf(err, errlen, "out of memory building the table");
	else if (t->nrows == 0) { /* the baseline's runs only */
		snprintf(err, errlen, "no complete runs of the chosen configurations in the scope");
		rc = 1;
	}
	report_runs_free(&r);
	return rc;
}
