/*
 * report_runs.c - the complete runs a report reads, in group order, and
 * the key columns every report row starts with (report.h).
 *
 * The scope's filters are bound parameters, never pasted into the SQL.
 * A run whose cycles_unit param is not cycles (an imported KVM trace's
 * span in ns) has no modeled cycles here.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_FILTER 64 /* values of one --workload or --config filter */

static const char select_runs[] =
	"SELECT r.id, COALESCE(c.name, ''), r.workload, r.vcpus, r.config, "
	"COALESCE(p.value, ''), r.metric_name, r.metric_value, "
	"CASE WHEN COALESCE(u.value, 'cycles') = 'cycles' THEN r.cycles END, "
	/* every setting of the run, words separated by char(31): the
	 * workload's arguments and the run parameters, which
	 * report_settings_keep() narrows to those a row's runs must share */
	"COALESCE('workload_params=' || r.workload_params, '') || (SELECT "
	"COALESCE(group_concat(char(31) || q.name || '=' || q.value, ''), '') FROM run_params q "
	"WHERE q.run_id = r.id) "
	"FROM runs r LEFT JOIN campaigns c ON c.id = r.campaign_id "
	"LEFT JOIN run_params p ON p.run_id = r.id AND p.name = 'campaign_cell' "
	"LEFT JOIN run_params u ON u.run_id = r.id AND u.name = 'cycles_unit' "
	"WHERE r.status = 'complete'";

/* Cells of one configuration in the order they were run (their first
 * run), which is the campaign file's order. */
static const char order_runs[] =
	" ORDER BY 2, r.workload, r.vcpus, CASE r.config WHEN 'native' THEN 0 WHEN 'STVT' THEN 1 "
	"WHEN 'HTVT' THEN 2 WHEN 'STPV' THEN 3 WHEN 'HTPV' THEN 4 WHEN 'EPT' THEN 5 ELSE 6 END, "
	"r.config, MIN(r.id) OVER (PARTITION BY c.name, r.workload, r.vcpus, r.config, p.value), "
	"r.id";

/* " AND COLUMN IN (?,?,...)" for n values. */
static void in_list(char *sql, size_t len, const char *column, unsigned n)
{
	size_t used = strlen(sql);
	snprintf(sql + used, len - used, " AND %s IN (", column);
	for (unsigned i = 0; i < n; i++) {
		used = strlen(sql);
		snprintf(sql + used, len - used, "%s?", i ? "," : "");
	}
	used = strlen(sql);
	snprintf(sql + used, len - used, ")");
}

static int prepare(sqlite3 *db, const struct report_scope *s, sqlite3_stmt **st, char *err,
		   size_t errlen)
{
	char sql[4096];
	snprintf(sql, sizeof sql, "%s", select_runs);
	if (s->campaign)
		strcat(sql, strcmp(s->campaign, "-") == 0 ? " AND r.campaign_id IS NULL"
							  : " AND c.name = ?");
	if (s->nworkloads)
		in_list(sql, sizeof sql, "r.workload", s->nworkloads);
	if (s->nconfigs)
		in_list(sql, sizeof sql, "r.config", s->nconfigs);
	if (s->vcpus)
		strcat(sql, " AND r.vcpus = ?");
	strcat(sql, order_runs);
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "reading the runs: %s (is this a vtlab results database?)",
			 sqlite3_errmsg(db));
		return -1;
	}
	int k = 1;
	if (s->campaign && strcmp(s->campaign, "-") != 0)
		sqlite3_bind_text(*st, k++, s->campaign, -1, SQLITE_STATIC);
	for (unsigned i = 0; i < s->nworkloads; i++)
		sqlite3_bind_text(*st, k++, s->workloads[i], -1, SQLITE_STATIC);
	for (unsigned i = 0; i < s->nconfigs; i++)
		sqlite3_bind_text(*st, k++, s->configs[i], -1, SQLITE_STATIC);
	if (s->vcpus)
		sqlite3_bind_int64(*st, k++, s->vcpus);
	return 0;
}

static char *text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return strdup(t ? (const char *)t : "");
}

static int add_run(struct report_runs *out, size_t *cap, sqlite3_stmt *st)
{
	if (out->n == *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		struct report_run *r = realloc(out->run, c * sizeof *r);
		if (!r)
			return -1;
		out->run = r;
		*cap = c;
	}
	struct report_run *r = &out->run[out->n++];
	r->id = sqlite3_column_int64(st, 0);
	r->campaign = text(st, 1);
	r->workload = text(st, 2);
	r->vcpus = (unsigned)sqlite3_column_int64(st, 3);
	r->config = text(st, 4);
	r->cell = text(st, 5);
	r->key_len = r->cell ? strlen(r->cell) : 0;
	r->split = NULL;
	r->metric_name = text(st, 6);
	r->metric = sqlite3_column_type(st, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 7);
	r->cycles = sqlite3_column_type(st, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 8);
	const unsigned char *all = sqlite3_column_text(st, 9);
	r->settings =
		r->config ? report_settings_keep(all ? (const char *)all : "", r->config) : NULL;
	if (!r->campaign || !r->workload || !r->config || !r->cell || !r->metric_name ||
	    !r->settings)
		return -1;
	return 0;
}

static void free_run(struct report_run *r)
{
	free(r->campaign);
	free(r->workload);
	free(r->config);
	free(r->cell);
	free(r->metric_name);
	free(r->settings);
	free(r->split);
}

/* The flags of the runs that are left. */
static void recount(struct report_runs *r)
{
	r->many_campaigns = r->any_cell = 0;
	for (size_t i = 0; i < r->n; i++) {
		r->many_campaigns |= strcmp(r->run[i].campaign, r->run[0].campaign) != 0;
		r->any_cell |= r->run[i].cell[0] != '\0';
	}
}

/* --where: the runs that hold its terms (report_where.c), in order. */
static int where(const struct report_scope *s, struct report_runs *r, char *err, size_t errlen)
{
	char *keep = malloc(r->n ? r->n : 1);
	if (!keep) {
		snprintf(err, errlen, "out of memory reading the runs");
		return -1;
	}
	int rc = report_where_select(s, r, keep, err, errlen);
	size_t k = 0;
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		if (keep[i])
			r->run[k++] = r->run[i];
		else
			free_run(&r->run[i]);
	if (rc == 0)
		r->n = k;
	free(keep);
	recount(r);
	return rc;
}

int report_runs_load(sqlite3 *db, const struct report_scope *s, struct report_runs *out, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	if (s->nworkloads > MAX_FILTER || s->nconfigs > MAX_FILTER) {
		snprintf(err, errlen, "at most %d workloads and %d configurations", MAX_FILTER,
			 MAX_FILTER);
		return -1;
	}
	if (prepare(db, s, &st, err, errlen))
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_run(out, &cap, st)) {
			snprintf(err, errlen, "out of memory reading the runs");
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc != SQLITE_DONE && rc != SQLITE_NOMEM)
		snprintf(err, errlen, "reading the runs: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		recount(out);
	if (rc == SQLITE_DONE && s->nwhere && where(s, out, err, errlen))
		rc = SQLITE_ERROR; /* err says why */
	if (rc == SQLITE_DONE && report_split_settings(out)) {
		snprintf(err, errlen, "out of memory reading the runs");
		rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE) {
		report_runs_free(out);
		return -1;
	}
	return 0;
}

void report_runs_free(struct report_runs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free_run(&r->run[i]);
	free(r->run);
	memset(r, 0, sizeof *r);
}

int report_same_group(const struct report_run *a, const struct report_run *b)
{
	return a->vcpus == b->vcpus && strcmp(a->campaign, b->campaign) == 0 &&
	       strcmp(a->workload, b->workload) == 0 && strcmp(a->config, b->config) == 0 &&
	       strcmp(a->cell, b->cell) == 0;
}

unsigned report_key_head(const struct report_runs *r, const char **head, char *align)
{
	unsigned n = 0;
	if (r->many_campaigns)
		head[n] = "campaign", align[n++] = 'l';
	head[n] = "workload", align[n++] = 'l';
	head[n] = "vCPUs", align[n++] = 'r';
	head[n] = "config", align[n++] = 'l';
	if (r->any_cell)
		head[n] = "params", align[n++] = 'l';
	return n;
}

unsigned report_key_cells(const struct report_runs *r, const struct report_run *run,
			  const char **cells, char *buf, size_t len)
{
	unsigned n = 0;
	if (r->many_campaigns)
		cells[n++] = run->campaign[0] ? run->campaign : "-";
	cells[n++] = run->workload;
	snprintf(buf, len, "%u", run->vcpus);
	cells[n++] = buf;
	cells[n++] = run->config;
	if (r->any_cell)
		cells[n++] = run->cell;
	return n;
}

/* Decimals for a value of this size: 12345, 123.4, 1.234, 0.0123. */
static int decimals(double v)
{
	double a = fabs(v);
	return a >= 1000 || a == 0 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : 4;
}

void report_fixed(double v, int places, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.*f", places, v);
}

void report_number_as(double v, double like, char *buf, size_t len)
{
	report_fixed(isnan(like) ? NAN : v, decimals(like), buf, len);
}

void report_number(double v, char *buf, size_t len)
{
	report_number_as(v, v, buf, len);
}

void report_count(double v, int whole, char *buf, size_t len)
{
	snprintf(buf, len, whole ? "%.0f" : "%.1f", v);
}
