/*
 * chart_groups.c - the runs of a chart's scope as `vtlab report` groups
 * them (chart_query.h, chart_report_groups), for the charts that cannot
 * read the views of db/views.sql because those average over campaign
 * cells and settings: the sweep chart (chart_sweep.c) and the note on
 * averaged bars (chart_mixed.c); and --where for every chart
 * (chart_scope_select), the runs `vtlab report --where` keeps.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_query.h"
#include "report.h"

static unsigned count(const char *const *list)
{
	unsigned n = 0;
	while (list && list[n])
		n++;
	return n;
}

int chart_report_groups(struct sqlite3 *db, const struct chart_scope *s, bool with_native,
			struct report_runs *r, struct report_group **gs, size_t *ng, char *err,
			size_t errlen)
{
	/* --config narrows the configurations; native may stay, as the
	 * baseline every point of the sweep chart needs */
	const char *configs[66];
	unsigned nconfigs = count(s->configs);
	if (nconfigs > 63)
		nconfigs = 63;
	for (unsigned i = 0; i < nconfigs; i++)
		configs[i] = s->configs[i];
	if (nconfigs && with_native) {
		configs[nconfigs++] = "native";
		if (s->baseline) /* the perf chart's, for its intervals */
			configs[nconfigs++] = s->baseline;
	}
	struct report_scope rs = {
		.campaign = s->campaign_id ? s->campaign_name : "-",
		.workloads = s->workloads,
		.nworkloads = count(s->workloads),
		.configs = configs,
		.nconfigs = nconfigs,
		.vcpus = s->vcpus,
		.where = s->where,
		.nwhere = s->nwhere,
	};
	*gs = NULL;
	*ng = 0;
	if (report_runs_load(db, &rs, r, err, errlen))
		return -1;
	if (report_groups(r, gs, ng) == 0)
		return 0;
	snprintf(err, errlen, "out of memory reading the runs");
	free(*gs);
	*gs = NULL;
	report_runs_free(r);
	return -1;
}

/* The views the charts read that average runs (db/views.sql): their TEMP
 * copies, which SQLite finds first for an unqualified name, read only the
 * selected runs.  The first two read runs and get the selection where
 * they pick the complete ones; the others read config_metrics, which in
 * a TEMP view is the TEMP copy (a view of the main schema binds to main). */
static const char *const selected_views[] = { "config_metrics", "injected_faults_by_config",
					      "metric_normalized", "vcpu_scaling" };
#define COMPLETE "status = 'complete'"
#define SELECTED COMPLETE " AND id IN temp.vtlab_where_runs"

/* view's stored CREATE VIEW statement as a TEMP view over the selected
 * runs; -1 with err when it is not the statement this code knows. */
static int copy_view(sqlite3 *db, const char *view, int needs_runs, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(
		    db, "SELECT sql FROM main.sqlite_master WHERE type = 'view' AND name = ?1", -1,
		    &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, view, -1, SQLITE_STATIC);
	const char *sql =
		sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	static const char create[] = "CREATE VIEW ";
	size_t n = sql ? strlen(sql) : 0, hits = 0;
	char *out = sql ? malloc(2 * n + 64) : NULL;
	if (out && strncmp(sql, create, sizeof create - 1) == 0) {
		size_t used = (size_t)sprintf(out, "CREATE TEMP VIEW ");
		for (const char *p = sql + sizeof create - 1; *p;) {
			if (strncmp(p, COMPLETE, sizeof COMPLETE - 1) == 0) {
				used += (size_t)sprintf(out + used, "%s", SELECTED);
				p += sizeof COMPLETE - 1;
				hits++;
			} else {
				out[used++] = *p++;
			}
		}
		out[used] = '\0';
		if (hits || !needs_runs)
			rc = sqlite3_exec(db, out, NULL, NULL, NULL) == SQLITE_OK ? 0 : -2;
	}
	if (rc == -2)
		snprintf(err, errlen, "--where: selecting in view %s: %s", view,
			 sqlite3_errmsg(db));
	else if (rc)
		snprintf(err, errlen,
			 "--where: the database's view %s is not one this vtlab can select runs in",
			 view);
	free(out);
	sqlite3_finalize(st);
	return rc ? -1 : 0;
}

int chart_scope_select(struct sqlite3 *db, const struct chart_scope *s, char *err, size_t errlen)
{
	/* every configuration: a bar's baseline must stay */
	struct report_scope rs = {
		.campaign = s->campaign_id ? s->campaign_name : "-",
		.workloads = s->workloads,
		.nworkloads = count(s->workloads),
		.vcpus = s->vcpus,
		.where = s->where,
		.nwhere = s->nwhere,
	};
	struct report_runs r;
	if (report_runs_load(db, &rs, &r, err, errlen))
		return -1;
	int rc = sqlite3_exec(
		db,
		"DROP VIEW IF EXISTS temp.vcpu_scaling; DROP VIEW IF EXISTS "
		"temp.metric_normalized; DROP VIEW IF EXISTS temp.injected_faults_by_config; "
		"DROP VIEW IF EXISTS temp.config_metrics; DROP TABLE IF EXISTS "
		"temp.vtlab_where_runs; CREATE TEMP TABLE vtlab_where_runs(id INTEGER "
		"PRIMARY KEY)",
		NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT OR IGNORE INTO temp.vtlab_where_runs VALUES (?1)",
					-1, &st, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < r.n; i++) {
		sqlite3_bind_int64(st, 1, r.run[i].id);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	report_runs_free(&r);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "--where: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (unsigned v = 0; v < sizeof selected_views / sizeof *selected_views; v++)
		if (copy_view(db, selected_views[v], v < 2, err, errlen))
			return -1;
	return 0;
}
