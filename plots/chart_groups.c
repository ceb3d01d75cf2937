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

/* The report scope of chart scope s, every configuration (the callers
 * narrow it). */
static struct report_scope report_scope_of(const struct chart_scope *s)
{
	return (struct report_scope){
		.campaign = s->campaign_id ? s->campaign_name : "-",
		.workloads = s->workloads,
		.nworkloads = count(s->workloads),
		.vcpus = s->vcpus,
		.where = s->where,
		.nwhere = s->nwhere,
	};
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
	struct report_scope rs = report_scope_of(s);
	rs.configs = configs;
	rs.nconfigs = nconfigs;
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

/* --where for the charts, which read the views of db/views.sql: a TEMP
 * view `runs` over main.runs holds the selected complete runs and every
 * run that is not complete (chart_scope_unfinished counts those as
 * before), and every view of the database gets a TEMP copy that reads it.
 * An unqualified name finds a TEMP object before main's, and a TEMP
 * view's names are looked up when it is read, whereas a view of the main
 * schema binds to main's tables: hence the copies.  A copy is the
 * database's own statement with CREATE TEMP VIEW for its CREATE VIEW, and
 * nothing else in it is rewritten, so a view selects the runs however it
 * reads them (a database of another vtlab, whose views differ, too).  The
 * statement is a stored text: one that holds more than its view is
 * refused, not run. */
#define SELECTED_RUNS "vtlab_where_runs"

/* Drops a selection made on this connection before (none: nothing). */
static int unselect(sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc =
		sqlite3_prepare_v2(db,
				   "SELECT name FROM temp.sqlite_master WHERE type = 'view' AND "
				   "(name = 'runs' OR name IN (SELECT name FROM main.sqlite_master "
				   "WHERE type = 'view'))",
				   -1, &st, NULL);
	char **names = NULL;
	size_t n = 0;
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		char **more = realloc(names, (n + 1) * sizeof *names);
		char *drop = sqlite3_mprintf("DROP VIEW temp.\"%w\"",
					     (const char *)sqlite3_column_text(st, 0));
		if (more)
			names = more;
		if (!more || !drop) {
			sqlite3_free(drop);
			rc = SQLITE_NOMEM;
			break;
		}
		names[n++] = drop;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) { /* the SELECT is done: the schema may change */
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, names[i], NULL, NULL, NULL);
		sqlite3_free(names[i]);
	}
	free(names);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "DROP TABLE IF EXISTS temp." SELECTED_RUNS, NULL, NULL, NULL);
	return rc;
}

int chart_scope_unselect(struct sqlite3 *db, char *err, size_t errlen)
{
	if (unselect(db) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
	return -1;
}

/* Runs `sql`, view `name`'s stored statement, as CREATE TEMP VIEW; -1 with
 * err when it is not one CREATE VIEW statement or fails. */
static int copy_view(sqlite3 *db, const char *name, const char *sql, char *err, size_t errlen)
{
	static const char create[] = "CREATE VIEW ";
	char *temp = strncmp(sql, create, sizeof create - 1) == 0
			     ? sqlite3_mprintf("CREATE TEMP VIEW %s", sql + sizeof create - 1)
			     : NULL;
	sqlite3_stmt *st = NULL;
	const char *tail = "";
	int rc = temp ? sqlite3_prepare_v2(db, temp, -1, &st, &tail) : SQLITE_MISUSE;
	if (rc == SQLITE_OK)
		tail += strspn(tail, " \t\r\n;");
	if (rc == SQLITE_OK && st && !*tail)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	else if (rc == SQLITE_OK || rc == SQLITE_MISUSE)
		rc = SQLITE_MISUSE; /* not one CREATE VIEW */
	if (rc == SQLITE_MISUSE)
		snprintf(err, errlen,
			 "--where: the database's view %s is not one CREATE VIEW statement", name);
	else if (rc != SQLITE_OK)
		snprintf(err, errlen, "--where: selecting in view %s: %s", name,
			 sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_free(temp);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The TEMP copies of the database's views (the comment above). */
static int copy_views(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT name, sql FROM main.sqlite_master WHERE type = 'view' "
			       "ORDER BY rowid",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	/* each copied after the SELECT: a statement that changes the schema
	 * may not run while another reads it */
	char *views = NULL;
	size_t used = 0, cap = 0;
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0),
			   *sql = (const char *)sqlite3_column_text(st, 1);
		size_t n = strlen(name ? name : "") + strlen(sql ? sql : "") + 2;
		if (used + n > cap) {
			char *more = realloc(views, cap = 2 * (used + n));
			if (!more) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
			views = more;
		}
		used += (size_t)sprintf(views + used, "%s", name ? name : "") + 1;
		used += (size_t)sprintf(views + used, "%s", sql ? sql : "") + 1;
	}
	sqlite3_finalize(st);
	for (size_t at = 0; rc == 0 && at < used;) {
		const char *name = views + at, *sql = name + strlen(name) + 1;
		rc = copy_view(db, name, sql, err, errlen);
		at = (size_t)(sql - views) + strlen(sql) + 1;
	}
	free(views);
	return rc;
}

int chart_scope_select(struct sqlite3 *db, const struct chart_scope *s, char *err, size_t errlen)
{
	/* every configuration: a bar's baseline must stay */
	struct report_scope rs = report_scope_of(s);
	struct report_runs r;
	/* the runs of main, not those of a selection made before */
	if (chart_scope_unselect(db, err, errlen) || report_runs_load(db, &rs, &r, err, errlen))
		return -1;
	int rc = sqlite3_exec(db,
			      "CREATE TEMP TABLE " SELECTED_RUNS "(id INTEGER PRIMARY KEY); "
			      "CREATE TEMP VIEW runs AS SELECT * FROM main.runs WHERE status <> "
			      "'complete' OR id IN temp." SELECTED_RUNS,
			      NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT OR IGNORE INTO temp." SELECTED_RUNS " VALUES (?1)",
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
	return copy_views(db, err, errlen);
}
