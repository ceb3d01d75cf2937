/*
 * query_table.c - one read-only statement into a table (query_table.h).
 */
#include "query_table.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 256

static int is_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int prepare(sqlite3 *db, const char *q, sqlite3_stmt **st, char *err, size_t errlen)
{
	char sql[256];
	const char *tail = NULL;
	if (is_name(q) && strlen(q) < 200) {
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", q);
		q = sql;
	}
	if (sqlite3_prepare_v2(db, q, -1, st, &tail) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	if (!*st) {
		snprintf(err, errlen, "no SQL statement given");
		return -1;
	}
	/* What follows may only be blanks, comments and ';' (statements that
	 * prepare to nothing). */
	while (tail && *tail) {
		sqlite3_stmt *next = NULL;
		const char *rest = NULL;
		int rc = sqlite3_prepare_v2(db, tail, -1, &next, &rest);
		sqlite3_finalize(next);
		if (rc != SQLITE_OK || next || rest == tail) {
			while (isspace((unsigned char)*tail))
				tail++;
			snprintf(err, errlen, "one statement at a time (more follows: '%.40s')",
				 tail);
			return -1;
		}
		tail = rest;
	}
	if (!sqlite3_stmt_readonly(*st)) {
		snprintf(err, errlen,
			 "only statements that read are run (SELECT, WITH, a view "
			 "name); the database is not changed");
		return -1;
	}
	return 0;
}

/* One row's cells as text; a real as %.10g. */
static int add_row(struct report_table *t, sqlite3_stmt *st, int ncols, char *align)
{
	const char *cells[MAX_COLS];
	char reals[MAX_COLS][32];
	for (int c = 0; c < ncols; c++) {
		int type = sqlite3_column_type(st, c);
		if (type == SQLITE_FLOAT) {
			snprintf(reals[c], sizeof reals[c], "%.10g", sqlite3_column_double(st, c));
			cells[c] = reals[c];
		} else {
			cells[c] = (const char *)sqlite3_column_text(st, c);
		}
		if (type == SQLITE_TEXT || type == SQLITE_BLOB)
			align[c] = 'l';
	}
	return report_table_add_row(t, cells);
}

int query_table(sqlite3 *db, const char *q, const char *title, struct report_table *t, char *err,
		size_t errlen)
{
	sqlite3_stmt *st = NULL;
	memset(t, 0, sizeof *t);
	if (prepare(db, q, &st, err, errlen)) {
		sqlite3_finalize(st);
		return -1;
	}
	int ncols = sqlite3_column_count(st), rc;
	const char *head[MAX_COLS];
	char align[MAX_COLS + 1] = { 0 };
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	for (int c = 0; c < ncols; c++)
		head[c] = sqlite3_column_name(st, c), align[c] = 'r';
	if (report_table_init(t, title ? title : q, (unsigned)ncols, head, align)) {
		sqlite3_finalize(st);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_row(t, st, ncols, t->align)) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "%s",
			 rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int query_views(sqlite3 *db, struct report_table *t, char *err, size_t errlen)
{
	return query_table(db,
			   "SELECT m.name AS view, group_concat(p.name, ', ') AS columns "
			   "FROM sqlite_master m, pragma_table_info(m.name) p "
			   "WHERE m.type = 'view' GROUP BY m.name ORDER BY m.name",
			   "The views of the results database (db/SCHEMA.md)", t, err, errlen);
}

/* The views that average the runs of a campaign, workload, vCPU count and
 * configuration into one row (db/views.sql). */
static const char *const averaging[] = { "config_metrics", "metric_normalized", "vcpu_scaling",
					 "injected_faults_by_config" };

struct views_read {
	const char *top, *inner; /* named by the statement; read by a view it names */
};

/* The authorizer: SQLite reports every column a statement reads, with the
 * table or view it belongs to and the view (NULL: none) that reads it. */
static int on_read(void *ctx, int code, const char *table, const char *column, const char *db,
		   const char *via)
{
	struct views_read *v = ctx;
	(void)column, (void)db;
	for (size_t i = 0; code == SQLITE_READ && table && i < sizeof averaging / sizeof *averaging;
	     i++)
		if (strcmp(table, averaging[i]) == 0) {
			const char **slot = via ? &v->inner : &v->top;
			if (!*slot)
				*slot = averaging[i];
		}
	return SQLITE_OK;
}

const char *query_averaging_view(sqlite3 *db, const char *q)
{
	struct views_read v = { NULL, NULL };
	sqlite3_stmt *st = NULL;
	char err[256];
	/* preparing is when SQLite resolves the names: the statement never runs */
	sqlite3_set_authorizer(db, on_read, &v);
	int rc = prepare(db, q, &st, err, sizeof err);
	sqlite3_set_authorizer(db, NULL, NULL);
	sqlite3_finalize(st);
	return rc ? NULL : v.top ? v.top : v.inner;
}
