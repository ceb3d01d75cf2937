/*
 * query_table.h - `vtlab query`: one read-only SQL statement, or a view
 * by name, run on a results database into a report_table.
 *
 * Contract: query_table() accepts exactly one statement that does not
 * write (sqlite3_stmt_readonly), so a query can never change the
 * database; a NAME made of letters, digits and '_' is taken as "SELECT *
 * FROM NAME".  Column headings are the result's column names; a column is
 * right-aligned when its values are numbers; NULL prints empty, a real as
 * %.10g.  Returns 0, or -1 with the reason in err (SQLite's message for a
 * bad statement).  query_views() lists the views of the database with
 * their columns, for `vtlab query --list`.
 */
#ifndef ANALYZE_QUERY_TABLE_H
#define ANALYZE_QUERY_TABLE_H

#include <stddef.h>

#include "report_table.h"

struct sqlite3;

/* title: the table's title; NULL: the query as given. */
int query_table(struct sqlite3 *db, const char *sql_or_view, const char *title,
		struct report_table *t, char *err, size_t errlen);
int query_views(struct sqlite3 *db, struct report_table *t, char *err, size_t errlen);
/* The first view that statement (or view name) q reads among those that
 * average the runs of one campaign, workload, vCPU count and configuration
 * into a row (config_metrics, metric_normalized, vcpu_scaling,
 * injected_faults_by_config: they know no campaign cell or setting);
 * NULL when it reads none or does not prepare.  `vtlab query` then says
 * which runs such a row mixes (report.h report_groups_mixed). */
const char *query_averaging_view(struct sqlite3 *db, const char *q);

#endif
