/*
 * report_faults.c - `vtlab report --table faults`: the faults each
 * hypervisor group injected into its guest, by kind, as means per run
 * (the paper's Table 1 shape; report.h).
 *
 * The counts are the exact counters "inject" (reason = the fault kind)
 * that every run stores, traced or not (db/SCHEMA.md).  A run that stored
 * no row for a kind injected none of it and counts as 0 in the mean.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_KINDS 64 /* vtlab has 11 kinds; KVM imports add x86 vectors */
#define MAX_COLS (5 + 2 + MAX_KINDS)

struct kinds {
	char *name[MAX_KINDS];
	double total[MAX_KINDS];
	unsigned n;
};

/* Orders run indices by run id, to find a counter's run (qsort_r). */
static int by_id(const void *a, const void *b, void *runs)
{
	const struct report_runs *r = runs;
	int64_t x = r->run[*(const size_t *)a].id, y = r->run[*(const size_t *)b].id;
	return x < y ? -1 : x > y;
}

static long find_run(const struct report_runs *r, const size_t *order, int64_t id)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t x = r->run[order[mid]].id;
		if (x == id)
			return (long)order[mid];
		if (x < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int kind_index(struct kinds *k, const char *name)
{
	for (unsigned i = 0; i < k->n; i++)
		if (strcmp(k->name[i], name) == 0)
			return (int)i;
	if (k->n == MAX_KINDS || !(k->name[k->n] = strdup(name)))
		return -1;
	return (int)k->n++;
}

/* counts[run * MAX_KINDS + kind] from the inject counters of the runs. */
static int load_counts(sqlite3 *db, const struct report_runs *r, struct kinds *k, double *counts,
		       char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t *order = malloc(r->n * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		order[i] = i;
	qsort_r(order, r->n, sizeof *order, by_id, (void *)r);
	int rc = sqlite3_prepare_v2(db,
				    "SELECT run_id, reason, SUM(n) FROM counters WHERE event = "
				    "'inject' AND n > 0 GROUP BY run_id, reason",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long run = find_run(r, order, sqlite3_column_int64(st, 0));
		const unsigned char *reason = sqlite3_column_text(st, 1);
		int kind = run < 0 ? 0 : kind_index(k, reason ? (const char *)reason : "");
		if (kind < 0) {
			snprintf(err, errlen, "more than %d fault kinds", MAX_KINDS);
			rc = SQLITE_ERROR;
			break;
		}
		if (run >= 0) {
			double n = sqlite3_column_double(st, 2);
			counts[(size_t)run * MAX_KINDS + (unsigned)kind] += n;
			k->total[kind] += n;
		}
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE && !err[0])
		snprintf(err, errlen, "reading the inject counters: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(order);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Kind columns in order of their totals, largest first: perm[col] = kind. */
static void order_kinds(const struct kinds *k, unsigned *perm)
{
	for (unsigned i = 0; i < k->n; i++)
		perm[i] = i;
	for (unsigned i = 1; i < k->n; i++)
		for (unsigned j = i; j > 0 && k->total[perm[j]] > k->total[perm[j - 1]]; j--) {
			unsigned x = perm[j];
			perm[j] = perm[j - 1];
			perm[j - 1] = x;
		}
}

static int make_table(const struct report_runs *r, const struct kinds *k, const unsigned *perm,
		      struct report_table *t)
{
	const char *head[MAX_COLS];
	char align[MAX_COLS + 1] = { 0 };
	unsigned n = report_key_head(r, head, align);
	head[n] = "runs", align[n++] = 'r';
	for (unsigned i = 0; i < k->n; i++)
		head[n] = k->name[perm[i]], align[n++] = 'r';
	head[n] = "total", align[n++] = 'r';
	return report_table_init(t,
				 "Faults injected into the guest per run, by kind (means over "
				 "complete runs)",
				 n, head, align);
}

/* One group: runs [first, end) and its mean per kind column, then total. */
struct group {
	size_t first, end;
	double *mean; /* k->n + 1 */
};

static void group_means(const struct kinds *k, const unsigned *perm, const double *counts,
			struct group *g)
{
	double runs = (double)(g->end - g->first), total = 0;
	for (unsigned i = 0; i < k->n; i++) {
		double sum = 0;
		for (size_t j = g->first; j < g->end; j++)
			sum += counts[j * MAX_KINDS + perm[i]];
		total += sum;
		g->mean[i] = sum / runs;
	}
	g->mean[k->n] = total / runs;
}

static int add_row(struct report_table *t, const struct report_runs *r, unsigned ncols,
		   const struct group *g, const int *whole)
{
	const char *cells[MAX_COLS];
	char key[16], num[MAX_KINDS + 2][32];
	unsigned n = report_key_cells(r, &r->run[g->first], cells, key, sizeof key);
	snprintf(num[0], sizeof num[0], "%zu", g->end - g->first);
	cells[n++] = num[0];
	for (unsigned c = 0; c < ncols; c++) {
		report_count(g->mean[c], whole[c], num[c + 1], sizeof num[c + 1]);
		cells[n++] = num[c + 1];
	}
	return report_table_add_row(t, cells);
}

/* The hypervisor groups (native injects nothing), their means, and the
 * columns whose means are all whole; then the rows. */
static int add_rows(struct report_table *t, const struct report_runs *r, const struct kinds *k,
		    const unsigned *perm, const double *counts)
{
	unsigned ncols = k->n + 1;
	struct group *gs = calloc(r->n, sizeof *gs);
	double *means = calloc(r->n * ncols, sizeof *means);
	int whole[MAX_KINDS + 1], rc = gs && means ? 0 : -1;
	size_t ng = 0;
	for (unsigned c = 0; c < ncols; c++)
		whole[c] = 1;
	for (size_t i = 0; rc == 0 && i < r->n;) {
		size_t first = i;
		while (++i < r->n && report_same_group(&r->run[first], &r->run[i]))
			;
		if (strcmp(r->run[first].config, "native") == 0)
			continue;
		struct group *g = &gs[ng];
		*g = (struct group){ .first = first, .end = i, .mean = means + ng++ * ncols };
		group_means(k, perm, counts, g);
		for (unsigned c = 0; c < ncols; c++)
			whole[c] &= g->mean[c] == floor(g->mean[c]);
	}
	for (size_t i = 0; rc == 0 && i < ng; i++)
		rc = add_row(t, r, ncols, &gs[i], whole);
	free(means);
	free(gs);
	return rc;
}

static int fill(sqlite3 *db, const struct report_runs *r, struct report_table *t, char *err,
		size_t errlen)
{
	struct kinds k = { 0 };
	unsigned perm[MAX_KINDS];
	double *counts = calloc(r->n * MAX_KINDS, sizeof *counts);
	int rc = counts ? load_counts(db, r, &k, counts, err, errlen) : -1;
	if (rc == 0) {
		order_kinds(&k, perm);
		rc = make_table(r, &k, perm, t);
	}
	if (rc == 0)
		rc = add_rows(t, r, &k, perm, counts);
	if (rc && !err[0])
		snprintf(err, errlen, "out of memory building the table");
	for (unsigned i = 0; i < k.n; i++)
		free(k.name[i]);
	free(counts);
	return rc;
}

int report_faults(sqlite3 *db, const struct report_scope *s, struct report_table *t, char *err,
		  size_t errlen)
{
	struct report_runs r;
	memset(t, 0, sizeof *t);
	err[0] = '\0';
	if (report_runs_load(db, s, &r, err, errlen))
		return -1;
	size_t hv = 0;
	for (size_t i = 0; i < r.n; i++)
		hv += strcmp(r.run[i].config, "native") != 0;
	int rc = 1;
	if (!hv)
		snprintf(err, errlen,
			 "no complete hypervisor runs in the scope (add --config STVT, "
			 "HTVT, STPV, HTPV or EPT runs)");
	else
		rc = fill(db, &r, t, err, errlen);
	report_runs_free(&r);
	return rc;
}
