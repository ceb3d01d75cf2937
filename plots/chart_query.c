/*
 * chart_query.c - reads the views of the results database into the tables
 * of the charts (chart_query.h).  Every statement selects the scope's
 * campaign (?1, NULL for runs outside campaigns), vCPU count (?2, 0 = any)
 * and the optional workload and configuration lists, bound as parameters:
 * no database or command-line string is ever pasted into SQL.
 */
#include "chart_query.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* The view's rows in the order their workload, then configuration, first
 * appear among the runs: the order the user ran them in. */
#define FIRST_RUN(col) "(SELECT min(r.id) FROM runs r WHERE r." col " = m." col ")"

/* The perf chart's baseline configuration, bound as ?99: above every
 * number the scope's lists take (3 + 2 * 32). */
#define BASELINE_PARAM 99
#define BASELINE "?99"

static const char *baseline(const struct chart_scope *s)
{
	return s->baseline ? s->baseline : "native";
}

static int sql_error(sqlite3 *db, char *err, size_t errlen)
{
	snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
	return -1;
}

static void bind_campaign(sqlite3_stmt *st, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_null(st, 1);
}

static void append_in(char *sql, size_t len, const char *col, const char *const *list, int *next)
{
	if (!list)
		return;
	size_t n = strlen(sql);
	n += (size_t)snprintf(sql + n, len - n, " AND m.%s IN (", col);
	for (unsigned i = 0; list[i] && n < len; i++)
		n += (size_t)snprintf(sql + n, len - n, "%s?%d", i ? "," : "", (*next)++);
	if (n < len)
		snprintf(sql + n, len - n, ")");
}

static void bind_list(sqlite3_stmt *st, const char *const *list, int *next)
{
	for (unsigned i = 0; list && list[i]; i++)
		sqlite3_bind_text(st, (*next)++, list[i], -1, SQLITE_STATIC);
}

/* tail with its FIRST_RUN("workload") order, when the scope lists the
 * workloads, made their order in the list (bound as ?3, ?4...). */
static void order_tail(char *out, size_t len, const struct chart_scope *s, const char *tail)
{
	static const char first[] = FIRST_RUN("workload");
	const char *at = s->workloads ? strstr(tail, first) : NULL;
	if (!at) {
		snprintf(out, len, "%s", tail);
		return;
	}
	size_t n = (size_t)snprintf(out, len, "%.*s CASE m.workload", (int)(at - tail), tail);
	for (unsigned i = 0; s->workloads[i] && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " WHEN ?%u THEN %u", 3 + i, i);
	if (n < len)
		snprintf(out + n, len - n, " END%s", at + strlen(first));
}

/* "SELECT cols FROM view m WHERE <scope> <filters> tail", prepared and
 * bound.  The scope's lists are short (a command line's worth). */
static int prepare(sqlite3 *db, const struct chart_scope *s, const char *select, const char *tail,
		   sqlite3_stmt **st, char *err, size_t errlen)
{
	char sql[4096];
	int next = 3;
	snprintf(sql, sizeof sql, "%s WHERE m.campaign_id IS ?1 AND (?2 = 0 OR m.vcpus = ?2)",
		 select);
	append_in(sql, sizeof sql, "workload", s->workloads, &next);
	append_in(sql, sizeof sql, "config", s->configs, &next);
	char order[2048];
	order_tail(order, sizeof order, s, tail);
	size_t n = strlen(sql);
	if (snprintf(sql + n, sizeof sql - n, " %s", order) >= (int)(sizeof sql - n)) {
		snprintf(err, errlen, "too many --workload/--config values");
		return -1;
	}
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return sql_error(db, err, errlen);
	bind_campaign(*st, s->campaign_id);
	sqlite3_bind_int64(*st, 2, s->vcpus);
	next = 3;
	bind_list(*st, s->workloads, &next);
	bind_list(*st, s->configs, &next);
	if (sqlite3_bind_parameter_count(*st) >= BASELINE_PARAM)
		sqlite3_bind_text(*st, BASELINE_PARAM, baseline(s), -1, SQLITE_STATIC);
	return 0;
}

/* Runs a one-column, one-row integer query of the scope; -1 on error. */
static int scope_int(sqlite3 *db, const struct chart_scope *s, const char *select, const char *tail,
		     int64_t *v, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (prepare(db, s, select, tail, &st, err, errlen))
		return -1;
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_error(db, err, errlen);
}

static int campaign_by_name(sqlite3 *db, struct chart_scope *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id FROM campaigns WHERE name = ?1", -1, &st, NULL))
		return sql_error(db, err, errlen);
	sqlite3_bind_text(st, 1, s->campaign, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	s->campaign_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "no campaign named '%s' in the database", s->campaign);
		return -1;
	}
	snprintf(s->campaign_name, sizeof s->campaign_name, "%s", s->campaign);
	return 0;
}

static int resolve_campaign(sqlite3 *db, struct chart_scope *s, char *err, size_t errlen);

int chart_scope_resolve(sqlite3 *db, struct chart_scope *s, char *err, size_t errlen)
{
	/* a selection made on this connection before is not this scope's */
	if (chart_scope_unselect(db, err, errlen) || resolve_campaign(db, s, err, errlen))
		return -1;
	return s->nwhere ? chart_scope_select(db, s, err, errlen) : 0;
}

static int resolve_campaign(sqlite3 *db, struct chart_scope *s, char *err, size_t errlen)
{
	s->campaign_id = 0;
	s->campaign_name[0] = 0;
	if (s->campaign && strcmp(s->campaign, "-") != 0)
		return campaign_by_name(db, s, err, errlen);
	if (s->campaign) /* "-": the runs outside any campaign */
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT DISTINCT r.campaign_id, c.name FROM runs r LEFT JOIN "
			       "campaigns c ON c.id = r.campaign_id WHERE r.status = 'complete' "
			       "ORDER BY 1",
			       -1, &st, NULL))
		return sql_error(db, err, errlen);
	unsigned n = 0;
	char names[256] = "";
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (n++ == 0) {
			s->campaign_id = sqlite3_column_int64(st, 0);
			snprintf(s->campaign_name, sizeof s->campaign_name, "%s", name ? name : "");
		}
		size_t len = strlen(names);
		snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
			 name ? name : "- (runs outside campaigns)");
	}
	sqlite3_finalize(st);
	if (n == 0)
		snprintf(err, errlen, "the database has no complete run to plot");
	else if (n > 1)
		snprintf(err, errlen,
			 "the database holds runs of %u campaigns (%s): choose one with "
			 "--campaign NAME",
			 n, names);
	return n == 1 ? 0 : -1;
}

int chart_scope_unfinished(sqlite3 *db, const struct chart_scope *s, int64_t *n, char *err,
			   size_t errlen)
{
	return scope_int(db, s, "SELECT count(*) FROM runs m", "AND m.status <> 'complete'", n, err,
			 errlen);
}

/* A ratio of metrics as performance (higher is better); NAN when it cannot
 * be one (no baseline, or a zero time). */
static double performance(const char *metric_name, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return metric_as_performance(sqlite3_column_double(st, col), metric_name);
}

static const char *vcpu_word(unsigned n)
{
	return n == 1 ? "vCPU" : "vCPUs";
}

/* The vCPU counts of the scope's complete runs, "1, 2, 4", into buf. */
static void vcpu_counts(sqlite3 *db, struct chart_scope *s, char *buf, size_t len)
{
	sqlite3_stmt *st;
	unsigned saved = s->vcpus;
	s->vcpus = 0;
	buf[0] = 0;
	if (prepare(db, s,
		    "SELECT group_concat(v, ', ') FROM (SELECT DISTINCT m.vcpus AS v FROM "
		    "config_metrics m",
		    "ORDER BY 1)", &st, buf, len) == 0) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	s->vcpus = saved;
}

/* The vCPU count a one-count chart shows: --vcpus, which some complete run
 * must have, or else the largest count at which `select_max ... tail` (a
 * max(m.vcpus) of the scope) finds what the chart needs (`what`). */
static int resolve_vcpus(sqlite3 *db, struct chart_scope *s, const char *select_max,
			 const char *tail, const char *what, char *err, size_t errlen)
{
	char counts[128];
	int64_t v;
	if (s->vcpus) {
		if (scope_int(db, s, "SELECT count(*) FROM config_metrics m", "", &v, err, errlen))
			return -1;
		if (v > 0)
			return 0;
		vcpu_counts(db, s, counts, sizeof counts);
		snprintf(err, errlen,
			 "no complete run at %u %s; the chosen runs have %s vCPUs (pick one with "
			 "--vcpus N)",
			 s->vcpus, vcpu_word(s->vcpus), counts[0] ? counts : "no");
		return -1;
	}
	if (scope_int(db, s, select_max, tail, &v, err, errlen))
		return -1;
	if (v <= 0) {
		snprintf(err, errlen, "%s in the chosen campaign, workloads and configurations",
			 what);
		return -1;
	}
	s->vcpus = (unsigned)v;
	return 0;
}

/* The labels of a one-column query of the scope, in its order, as the
 * columns of an otherwise empty table (so every panel has the same columns
 * and a series keeps its colour across panels). */
static int columns_of(sqlite3 *db, const struct chart_scope *s, const char *select,
		      const char *tail, struct chart_table *cols, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (prepare(db, s, select, tail, &st, err, errlen))
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (chart_table_add_col(cols, (const char *)sqlite3_column_text(st, 0))) {
			sqlite3_finalize(st);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_error(db, err, errlen);
}

/* The fault kinds of the scope, largest total first. */
static int fault_kinds(sqlite3 *db, const struct chart_scope *s, struct chart_table *kinds,
		       char *err, size_t errlen)
{
	if (columns_of(db, s, "SELECT m.kind, sum(m.n) FROM injected_faults_by_config m",
		       "AND m.n > 0 GROUP BY m.kind ORDER BY 2 DESC, 1", kinds, err, errlen))
		return -1;
	if (kinds->ncols == 0)
		snprintf(err, errlen,
			 "no fault was injected into a guest at %u %s (native runs inject "
			 "none; run a hypervisor configuration such as --config STVT)",
			 s->vcpus, vcpu_word(s->vcpus));
	return kinds->ncols ? 0 : -1;
}

int chart_query_perf(sqlite3 *db, struct chart_scope *s, struct chart_table *out, char *err,
		     size_t errlen)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	char other[160];
	snprintf(other, sizeof other, "no complete run other than %s", baseline(s));
	/* metric_normalized (db/views.sql) with the baseline a parameter */
	if (resolve_vcpus(db, s, "SELECT max(m.vcpus) FROM config_metrics m",
			  "AND m.config <> " BASELINE, other, err, errlen) ||
	    columns_of(db, s, "SELECT m.config FROM config_metrics m",
		       "AND m.config <> " BASELINE
		       " GROUP BY m.config ORDER BY " FIRST_RUN("config"),
		       out, err, errlen) ||
	    prepare(db, s,
		    "SELECT m.workload, m.config, m.metric_name, "
		    "CASE WHEN n.metric <> 0 THEN m.metric / n.metric END "
		    "FROM config_metrics m LEFT JOIN config_metrics n ON n.config = " BASELINE
		    " AND n.campaign_id IS m.campaign_id AND n.workload = m.workload "
		    "AND n.vcpus = m.vcpus",
		    "AND m.config <> " BASELINE " ORDER BY " FIRST_RUN("workload"), &st, err,
		    errlen)) {
		chart_table_free(out);
		return -1;
	}
	unsigned normalized = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double v = performance((const char *)sqlite3_column_text(st, 2), st, 3);
		normalized += !isnan(v);
		if (chart_table_set(out, (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1), v)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		snprintf(err, errlen, "out of memory");
	else if (rc != SQLITE_DONE)
		sql_error(db, err, errlen);
	else if (out->nrows == 0)
		snprintf(err, errlen, "no complete run other than %s at %u %s", baseline(s),
			 s->vcpus, vcpu_word(s->vcpus));
	else if (normalized == 0)
		snprintf(err, errlen,
			 "no %s run at %u %s to normalize against: add the same workloads "
			 "with --config %s",
			 baseline(s), s->vcpus, vcpu_word(s->vcpus), baseline(s));
	if (rc == SQLITE_DONE && normalized)
		return 0;
	chart_table_free(out);
	return -1;
}

void chart_panels_free(struct chart_panels *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		free(p->names[i]);
		chart_table_free(&p->tables[i]);
		if (p->halves)
			chart_table_free(&p->halves[i]);
	}
	free(p->names);
	free(p->tables);
	free(p->halves);
	memset(p, 0, sizeof *p);
}

/* The panel titled name, added (with the columns cols, in order) if new;
 * NULL when memory runs out. */
static struct chart_table *panel(struct chart_panels *p, const char *name,
				 const struct chart_table *cols)
{
	for (unsigned i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return &p->tables[i];
	char **names = realloc(p->names, sizeof *names * (p->n + 1));
	if (names)
		p->names = names;
	struct chart_table *tables = realloc(p->tables, sizeof *tables * (p->n + 1));
	if (tables)
		p->tables = tables;
	char *copy = strdup(name);
	if (!names || !tables || !copy) {
		free(copy);
		return NULL;
	}
	struct chart_table *t = &p->tables[p->n];
	memset(t, 0, sizeof *t);
	p->names[p->n++] = copy;
	for (unsigned c = 0; cols && c < cols->ncols; c++)
		if (chart_table_add_col(t, cols->cols[c]))
			return NULL;
	return t;
}

/* Fills panels from rows (panel name, row label, column label, value) of a
 * prepared statement; value_of turns a row into its cell. */
static int fill_panels(sqlite3 *db, sqlite3_stmt *st, struct chart_panels *out,
		       const struct chart_table *cols, double (*value_of)(sqlite3_stmt *),
		       char *err, size_t errlen)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double v = value_of(st);
		if (isnan(v)) /* no value: no row or panel for it (chart_query.h) */
			continue;
		struct chart_table *t = panel(out, (const char *)sqlite3_column_text(st, 0), cols);
		if (!t || chart_table_set(t, (const char *)sqlite3_column_text(st, 1),
					  (const char *)sqlite3_column_text(st, 2), v)) {
			sqlite3_finalize(st);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_error(db, err, errlen);
}

static double column_3(sqlite3_stmt *st)
{
	return sqlite3_column_double(st, 3);
}

int chart_query_faults(sqlite3 *db, struct chart_scope *s, struct chart_panels *out, char *err,
		       size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct chart_table kinds = { 0 };
	sqlite3_stmt *st;
	int rc = -1;
	if (resolve_vcpus(db, s, "SELECT max(m.vcpus) FROM injected_faults_by_config m",
			  "AND m.n > 0",
			  "no fault was injected into a guest (native runs inject none; run a "
			  "hypervisor configuration such as --config STVT)",
			  err, errlen) ||
	    fault_kinds(db, s, &kinds, err, errlen))
		goto done;
	if (prepare(db, s,
		    "SELECT m.workload, m.config, m.kind, m.n FROM injected_faults_by_config m",
		    "AND m.n > 0 ORDER BY " FIRST_RUN("workload") ", " FIRST_RUN("config"), &st,
		    err, errlen))
		goto done;
	rc = fill_panels(db, st, out, &kinds, column_3, err, errlen);
done:
	chart_table_free(&kinds);
	if (rc)
		chart_panels_free(out);
	return rc;
}

/* Leaves out the panels in which no configuration has two vCPU counts (a
 * lone 1.0 shows no scaling); the number of panels kept. */
static unsigned drop_lone_panels(struct chart_panels *p)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < p->n; i++) {
		const struct chart_table *t = &p->tables[i];
		int line = 0;
		for (unsigned c = 0; c < t->ncols && !line; c++) {
			unsigned points = 0;
			for (unsigned r = 0; r < t->nrows; r++)
				points += !isnan(chart_table_get(t, r, c));
			line = points >= 2;
		}
		if (line) {
			p->names[kept] = p->names[i];
			p->tables[kept++] = p->tables[i];
		} else {
			free(p->names[i]);
			chart_table_free(&p->tables[i]);
		}
	}
	p->n = kept;
	return kept;
}

static double scaling_value(sqlite3_stmt *st)
{
	return performance((const char *)sqlite3_column_text(st, 3), st, 4);
}

int chart_query_scaling(sqlite3 *db, struct chart_scope *s, struct chart_panels *out, char *err,
			size_t errlen)
{
	memset(out, 0, sizeof *out);
	s->vcpus = 0; /* every count */
	struct chart_table configs = { 0 };
	sqlite3_stmt *st;
	int rc = -1;
	if (columns_of(db, s, "SELECT m.config FROM config_metrics m",
		       "GROUP BY m.config ORDER BY " FIRST_RUN("config"), &configs, err, errlen))
		goto done;
	if (prepare(db, s,
		    "SELECT m.workload, CAST(m.vcpus AS TEXT), m.config, m.metric_name, "
		    "m.metric_vs_base FROM vcpu_scaling m",
		    "ORDER BY " FIRST_RUN("workload") ", m.vcpus, " FIRST_RUN("config"), &st, err,
		    errlen))
		goto done;
	rc = fill_panels(db, st, out, &configs, scaling_value, err, errlen);
	if (rc == 0 && out->n == 0) {
		snprintf(err, errlen,
			 "no run has a metric to scale (every metric is missing or 0)");
		rc = -1;
	}
	if (rc == 0 && drop_lone_panels(out) == 0) {
		snprintf(err, errlen,
			 "a scaling chart needs complete runs of a workload and configuration at "
			 "two or more vCPU counts; every one of the chosen runs has one (add runs "
			 "with other --vcpus values)");
		rc = -1;
	}
	if (rc == 0)
		rc = chart_panels_scaling_ci(db, s, out, err, errlen);
done:
	chart_table_free(&configs);
	if (rc)
		chart_panels_free(out);
	return rc;
}
