/*
 * test_report.c - unit test of the reports (analyze/stats.c,
 * report_table.c, report_runs.c, report_perf.c, report_faults.c,
 * query_table.c): the t quantiles and confidence intervals against
 * hand-computed values, each output format's escaping, the perf and
 * faults tables of a database built through db.h (means, intervals,
 * ratios to native, a swept parameter's own row, failed runs left out,
 * scopes), and that a query can only read.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../db/tests/inject_counters.h" /* add_inject_counters() */
#include "check.h"
#include "db.h"
#include "query_table.h"
#include "report.h"
#include "report_table.h"
#include "stats.h"
#include "test_files.h"

static char scratch[] = "/tmp/vtlab-test-report-XXXXXX";

static int near(double a, double b, double eps)
{
	return fabs(a - b) <= eps;
}

static void test_stats(void)
{
	struct sample_stats s;
	const double x[] = { 1, 2, 3, 4, 5 };
	CHECK(near(stats_t975(1), 12.706, 1e-9) && near(stats_t975(4), 2.776, 1e-9) &&
		      near(stats_t975(30), 2.042, 1e-9),
	      "t table");
	CHECK(near(stats_t975(60), 2.000, 0.002) && near(stats_t975(120), 1.980, 0.002) &&
		      near(stats_t975(100000), 1.960, 0.001),
	      "t beyond the table: %f %f", stats_t975(60), stats_t975(120));
	CHECK(isnan(stats_t975(0)), "t at 0 df");
	/* Beyond the table, the 0.975 quantile to the table's own 3
	 * decimals (+-0.0005): the values by integrating the t density
	 * numerically (the statistics audit of 2026-12-07; NIST/SEMATECH
	 * e-Handbook 1.3.6.7.2 agrees at 40, 60 and 100).  At 31 df 1.96 +
	 * 2.4/df gave 2.0374, 0.1% under, a CI too narrow. */
	static const struct {
		unsigned df;
		double t;
	} beyond[] = { { 31, 2.03951 },  { 32, 2.03693 },  { 35, 2.03011 },
		       { 40, 2.02108 },  { 50, 2.00856 },  { 60, 2.00030 },
		       { 100, 1.98397 }, { 120, 1.97993 }, { 1000, 1.96234 } };
	for (unsigned i = 0; i < sizeof beyond / sizeof beyond[0]; i++)
		CHECK(near(stats_t975(beyond[i].df), beyond[i].t, 0.0005),
		      "t at %u df: %.5f, not %.5f", beyond[i].df, stats_t975(beyond[i].df),
		      beyond[i].t);
	stats_of(x, 5, &s);
	/* sd = sqrt(2.5); half = 2.776 * sd / sqrt(5) */
	CHECK(s.n == 5 && near(s.mean, 3, 1e-12) && near(s.sd, sqrt(2.5), 1e-12) &&
		      near(s.half, 2.776 * sqrt(2.5) / sqrt(5), 1e-12),
	      "five values: %f %f %f", s.mean, s.sd, s.half);
	/* Values far from 1 (a metric in seconds of 1e-300, or 1e300): the
	 * squares of the deviations, or the sum, leave double's range unless
	 * scaled; sd = sqrt(7/3) 1e-300, 1e300 and 0.1e308 sqrt(2). */
	const double tiny[] = { 1e-300, 2e-300, 4e-300 }, huge[] = { 1e300, 2e300, 3e300 },
		     top[] = { 1.5e308, 1.7e308 };
	stats_of(tiny, 3, &s);
	CHECK(near(s.mean / 1e-300, 7.0 / 3, 1e-12) && near(s.sd / 1e-300, sqrt(7.0 / 3), 1e-12) &&
		      near(s.half / 1e-300, 4.303 * sqrt(7.0 / 3) / sqrt(3), 1e-12),
	      "tiny values: mean %g sd %g half %g", s.mean, s.sd, s.half);
	stats_of(huge, 3, &s);
	CHECK(near(s.mean / 1e300, 2, 1e-12) && near(s.sd / 1e300, 1, 1e-12) &&
		      near(s.half / 1e300, 4.303 / sqrt(3), 1e-12),
	      "huge values: mean %g sd %g half %g", s.mean, s.sd, s.half);
	stats_of(top, 2, &s);
	CHECK(near(s.mean / 1e308, 1.6, 1e-12) && near(s.sd / 1e307, sqrt(2), 1e-12),
	      "values whose sum overflows: mean %g sd %g", s.mean, s.sd);
	/* the scale is the largest magnitude: negative values far from 1 too */
	const double below[] = { -1e300, -2e300, -3e300 };
	stats_of(below, 3, &s);
	CHECK(near(s.mean / 1e300, -2, 1e-12) && near(s.sd / 1e300, 1, 1e-12),
	      "huge negative values: mean %g sd %g", s.mean, s.sd);
	stats_of(x, 1, &s);
	CHECK(s.mean == 1 && isnan(s.sd) && isnan(s.half), "one value: no spread");
	stats_of(x, 0, &s);
	CHECK(isnan(s.mean), "no value");
	CHECK(metric_is_time("build_seconds") && metric_is_time("run_ns") &&
		      metric_is_time("p95_latency_us") && metric_is_time("seconds") &&
		      metric_is_time("guest_cycles"),
	      "times");
	CHECK(!metric_is_time("bops") && !metric_is_time("events_per_second") &&
		      !metric_is_time(NULL),
	      "rates");
	CHECK(near(metric_as_performance(2.0, "build_seconds"), 0.5, 1e-12) &&
		      near(metric_as_performance(2.0, "bops"), 2.0, 1e-12) &&
		      isnan(metric_as_performance(0, "bops")) &&
		      isnan(metric_as_performance(INFINITY, "build_seconds")),
	      "performance");
}

/* The table printed in format f, into a malloc'ed string. */
static char *printed(const struct report_table *t, enum report_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	report_table_print(t, f, m);
	fclose(m);
	return buf;
}

static void test_numbers(void)
{
	char a[32], b[32], c[32], d[32];
	report_number(46355.2, a, sizeof a);
	report_number_as(66.52, 46355.2, b, sizeof b);
	report_number_as(0.0046, 1.248, c, sizeof c);
	report_number_as(NAN, 1.0, d, sizeof d);
	CHECK(strcmp(a, "46355") == 0 && strcmp(b, "67") == 0 && strcmp(c, "0.005") == 0 &&
		      strcmp(d, "") == 0,
	      "an interval has its mean's decimals: %s %s %s '%s'", a, b, c, d);
	report_count(20, 0, a, sizeof a);
	report_count(20, 1, b, sizeof b);
	CHECK(strcmp(a, "20.0") == 0 && strcmp(b, "20") == 0, "counts: %s %s", a, b);
}

static void test_formats(void)
{
	struct report_table t;
	const char *head[] = { "name", "value" };
	const char *r1[] = { "a|b_c", "50%" };
	const char *r2[] = { "q\"x,y", "1.5 ± 0.2" };
	CHECK(report_table_init(&t, "T & co", 2, head, "lr") == 0, "init");
	CHECK(report_table_add_row(&t, r1) == 0 && report_table_add_row(&t, r2) == 0, "rows");
	char *text = printed(&t, REPORT_TEXT);
	CHECK(strcmp(text, "T & co\n"
			   "name       value\n"
			   "----------------\n"
			   "a|b_c        50%\n"
			   "q\"x,y  1.5 ± 0.2\n") == 0,
	      "text (± one column wide):\n%s", text);
	char *md = printed(&t, REPORT_MARKDOWN);
	CHECK(strstr(md, "| a\\|b_c | 50% |") && strstr(md, "|---|---:|") &&
		      strncmp(md, "**T & co**", 10) == 0,
	      "markdown:\n%s", md);
	char *tex = printed(&t, REPORT_LATEX);
	CHECK(strstr(tex, "\\caption{T \\& co}") && strstr(tex, "\\begin{tabular}{lr}") &&
		      strstr(tex, "a\\textbar{}b\\_c & 50\\% \\\\") &&
		      strstr(tex, "1.5 $\\pm$ 0.2") && strstr(tex, "\\toprule") &&
		      strstr(tex, "\\bottomrule\n\\end{tabular}}") &&
		      strstr(tex, "\\resizebox{\\ifdim\\width>\\linewidth"),
	      "latex:\n%s", tex);
	char *csv = printed(&t, REPORT_CSV);
	CHECK(strcmp(csv, "name,value\na|b_c,50%\n\"q\"\"x,y\",1.5 ± 0.2\n") == 0, "csv:\n%s", csv);
	enum report_format f;
	CHECK(report_format_parse("md", &f) == 0 && f == REPORT_MARKDOWN &&
		      report_format_parse("html", &f) == -1,
	      "format names");
	free(text);
	free(md);
	free(tex);
	free(csv);
	report_table_free(&t);
	const char *one[] = { "a<>b -- c" };
	CHECK(report_table_init(&t, "x > 1", 1, one, "l") == 0, "init");
	tex = printed(&t, REPORT_LATEX);
	CHECK(strstr(tex, "\\caption{x \\textgreater{} 1}") &&
		      strstr(tex, "a\\textless{}\\textgreater{}b -{}- c \\\\"),
	      "latex, what OT1 would print as other glyphs:\n%s", tex);
	free(tex);
	report_table_free(&t);
}

/* A complete (or failed) run: metric, cycles, cell, inject counters. */
static void add_run(struct db *db, int64_t campaign, const char *config, const char *cell,
		    double metric, double mcycles, const char *faults, enum db_run_status st)
{
	char params[128];
	snprintf(params, sizeof params, "{\"campaign_cell\":\"%s\"}", cell);
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = params };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0, "run_begin: %s", db_errmsg(db));
	add_inject_counters(db, id, faults, true); /* with zero rows, which must not count */
	struct db_run_result r = { .instructions = 1000,
				   .cycles = (uint64_t)(mcycles * 1e6),
				   .metric_name = "build_seconds",
				   .metric_value = metric };
	CHECK(db_run_finish(db, id, &r, st) == 0, "finish: %s", db_errmsg(db));
}

static sqlite3 *fixture(struct db **db)
{
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/r.db", scratch);
	if (db_open(path, db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return NULL;
	}
	int64_t c;
	db_campaign_get_or_create(*db, "c", NULL, &c);
	add_run(*db, c, "native", "", 10, 100, "", DB_RUN_COMPLETE);
	add_run(*db, c, "native", "", 11, 110, "", DB_RUN_COMPLETE);
	add_run(*db, c, "native", "", 12, 120, "", DB_RUN_COMPLETE);
	add_run(*db, c, "HTVT", "", 20, 200, "tlb_miss=100,alt_dtlb_miss=5", DB_RUN_COMPLETE);
	add_run(*db, c, "HTVT", "", 22, 220, "tlb_miss=200", DB_RUN_COMPLETE);
	add_run(*db, c, "HTVT", "", 24, 240, "tlb_miss=300", DB_RUN_COMPLETE);
	add_run(*db, c, "HTVT", "", 99, 990, "tlb_miss=9999", DB_RUN_FAILED);
	add_run(*db, c, "HTVT", "vtlb-buckets=64", 33, 330, "tlb_miss=500", DB_RUN_COMPLETE);
	return db_sqlite(*db);
}

/* The cell of the table at row r under heading `col`, or "". */
static const char *at(const struct report_table *t, unsigned r, const char *col)
{
	for (unsigned c = 0; c < t->ncols; c++)
		if (strcmp(t->head[c], col) == 0 && r < t->nrows)
			return t->cells[(size_t)r * t->ncols + c];
	return "";
}

static void test_perf(sqlite3 *h)
{
	struct report_table t;
	struct report_scope all = { 0 };
	char err[256];
	CHECK(report_perf(h, &all, &t, err, sizeof err) == 0, "perf: %s", err);
	CHECK(t.nrows == 3, "native, HTVT, HTVT vtlb-buckets=64: %u rows", t.nrows);
	/* native: 10, 11, 12: sd 1, half = 4.303 / sqrt(3) = 2.484 */
	CHECK(strcmp(at(&t, 0, "config"), "native") == 0 && strcmp(at(&t, 0, "runs"), "3") == 0 &&
		      strcmp(at(&t, 0, "mean"), "11.000") == 0 &&
		      strcmp(at(&t, 0, "±95%"), "2.484") == 0 &&
		      strcmp(at(&t, 0, "vs native"), "1.000") == 0,
	      "native row: %s %s %s", at(&t, 0, "mean"), at(&t, 0, "±95%"), at(&t, 0, "vs native"));
	unsigned same = 0; /* a CSV reader keeps one of two equal headings */
	for (unsigned a = 0; a < t.ncols; a++)
		for (unsigned b = a + 1; b < t.ncols; b++)
			same += strcmp(t.head[a], t.head[b]) == 0;
	/* HTVT 200, 220, 240 Mcycles: sd 20, half = 4.303 * 20 / sqrt(3) = 49.7 */
	CHECK(same == 0 && strcmp(at(&t, 1, "Mcycles ±95%"), "49.7") == 0,
	      "headings all differ (%u equal), Mcycles interval: %s", same,
	      at(&t, 1, "Mcycles ±95%"));
	/* HTVT: 22 s against 11 s is half the performance, twice the time */
	CHECK(strcmp(at(&t, 1, "mean"), "22.000") == 0 &&
		      strcmp(at(&t, 1, "vs native"), "0.500") == 0 &&
		      strcmp(at(&t, 1, "Mcycles"), "220.0") == 0 &&
		      strcmp(at(&t, 1, "time vs native"), "2.000") == 0 &&
		      strcmp(at(&t, 1, "params"), "") == 0,
	      "HTVT row (failed run left out): %s %s %s", at(&t, 1, "mean"), at(&t, 1, "vs native"),
	      at(&t, 1, "time vs native"));
	CHECK(strcmp(at(&t, 2, "params"), "vtlb-buckets=64") == 0 &&
		      strcmp(at(&t, 2, "runs"), "1") == 0 && strcmp(at(&t, 2, "±95%"), "") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "0.333") == 0,
	      "the swept cell has its own row, against the only native: %s %s", at(&t, 2, "±95%"),
	      at(&t, 2, "vs native"));
	report_table_free(&t);
	/* --config HTVT: native's runs are still read as the baseline, not
	 * printed (it gave an empty ratio before there was --baseline) */
	const char *native[] = { "HTVT" };
	struct report_scope no_native = { .configs = native, .nconfigs = 1 };
	CHECK(report_perf(h, &no_native, &t, err, sizeof err) == 0 && t.nrows == 2 &&
		      strcmp(at(&t, 0, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 0, "vs native"), "0.500") == 0,
	      "--config HTVT: against native all the same: %u rows, %s", t.nrows,
	      at(&t, 0, "vs native"));
	report_table_free(&t);
	struct report_scope other = { .campaign = "nope" }, four = { .vcpus = 4 };
	CHECK(report_perf(h, &other, &t, err, sizeof err) == 1 && strstr(err, "no complete runs"),
	      "another campaign: nothing (%s)", err);
	report_table_free(&t);
	CHECK(report_perf(h, &four, &t, err, sizeof err) == 1, "4 vCPUs: nothing");
	report_table_free(&t);
}

/* A sweep of a param native takes (mem) and one it does not
 * (vtlb-buckets): each HTVT cell is against the native of its mem. */
static void test_perf_baseline(void)
{
	char path[128], err[256];
	struct db *db;
	snprintf(path, sizeof path, "%s/sweep.db", scratch);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	int64_t c;
	db_campaign_get_or_create(db, "sweep", NULL, &c);
	add_run(db, c, "native", "mem=64M", 10, 100, "", DB_RUN_COMPLETE);
	add_run(db, c, "native", "mem=128M", 20, 200, "", DB_RUN_COMPLETE);
	add_run(db, c, "HTVT", "mem=64M vtlb-buckets=8", 40, 400, "", DB_RUN_COMPLETE);
	add_run(db, c, "HTVT", "mem=128M vtlb-buckets=8", 40, 400, "", DB_RUN_COMPLETE);
	struct report_table t;
	struct report_scope all = { 0 };
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == 0 && t.nrows == 4,
	      "sweep perf: %s", err);
	/* rows in the order the cells ran: native mem=64M, native mem=128M,
	 * HTVT mem=64M, HTVT mem=128M */
	CHECK(strcmp(at(&t, 3, "params"), "mem=128M vtlb-buckets=8") == 0 &&
		      strcmp(at(&t, 3, "vs native"), "0.500") == 0 &&
		      strcmp(at(&t, 3, "time vs native"), "2.000") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "0.250") == 0 &&
		      strcmp(at(&t, 2, "time vs native"), "4.000") == 0,
	      "against the native of the same mem: %s %s, %s %s", at(&t, 3, "vs native"),
	      at(&t, 3, "time vs native"), at(&t, 2, "vs native"), at(&t, 2, "time vs native"));
	CHECK(strcmp(at(&t, 0, "params"), "mem=64M") == 0 &&
		      strcmp(at(&t, 1, "params"), "mem=128M") == 0,
	      "cells in the order they ran, not as strings: %s, %s", at(&t, 0, "params"),
	      at(&t, 1, "params"));
	report_table_free(&t);
	db_close(db);
}

/* A complete run of `workload` with run parameters `params` (JSON
 * members after the campaign cell, or ""). */
static void add_run_w(struct db *db, int64_t campaign, const char *config, const char *workload,
		      const char *cell, const char *params, double metric, double mcycles,
		      const char *faults)
{
	char json[512];
	snprintf(json, sizeof json, "{\"campaign_cell\":\"%s\"%s%s}", cell, params[0] ? "," : "",
		 params);
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = workload,
				 .vcpus = 2,
				 .params_json = json };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0, "run_begin: %s", db_errmsg(db));
	add_inject_counters(db, id, faults, false);
	struct db_run_result r = { .instructions = 1000,
				   .cycles = (uint64_t)(mcycles * 1e6),
				   .metric_name = "build_seconds",
				   .metric_value = metric };
	CHECK(db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0, "finish: %s", db_errmsg(db));
}

static struct db *open_db(const char *name)
{
	char path[128], err[256];
	struct db *db;
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return NULL;
	}
	return db;
}

/* The interval of a ratio of two independent means (delta method). */
static void test_ratio(void)
{
	struct sample_stats a = { .n = 3, .mean = 22, .half = 4.303 * 2 / sqrt(3) },
			    b = { .n = 3, .mean = 33, .half = 4.303 * 3 / sqrt(3) },
			    one = { .n = 1, .mean = 5, .half = NAN };
	double h;
	CHECK(near(report_ratio(&a, &b, &h), 2.0 / 3, 1e-12) && near(h, 0.212932, 1e-6),
	      "22±4.969 / 33±7.453: %g", h);
	CHECK(near(report_ratio(&a, &one, &h), 4.4, 1e-12) && isnan(h), "one run: no interval");
}

/* --baseline STVT: HTVT over STVT with the interval of the ratio, the
 * baseline's row at 1, a workload without STVT said so, one run without
 * an interval, and the same numbers in every format. */
static void test_perf_other_baseline(void)
{
	struct db *db = open_db("baseline.db");
	if (!db)
		return;
	int64_t c;
	db_campaign_get_or_create(db, "c", NULL, &c);
	for (int i = 0; i < 3; i++) {
		add_run_w(db, c, "native", "kbuild", "", "", 10 + i, 100 + 10 * i, "");
		add_run_w(db, c, "STVT", "kbuild", "", "", 30 + 3 * i, 300 + 30 * i, "");
		add_run_w(db, c, "HTVT", "kbuild", "", "", 20 + 2 * i, 200 + 20 * i, "");
	}
	add_run_w(db, c, "HTVT", "jbb", "", "", 5, 50, ""); /* no STVT of jbb */
	add_run_w(db, c, "STVT", "lmbench", "", "", 8, 80, "");
	add_run_w(db, c, "HTVT", "lmbench", "", "", 4, 40, ""); /* one run each */
	struct report_table t;
	struct report_scope s = { .baseline = "STVT" };
	char err[512];
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 6,
	      "6 rows: %u (%s)", t.nrows, err);
	/* jbb HTVT; kbuild native, STVT, HTVT; lmbench STVT, HTVT */
	CHECK(strcmp(at(&t, 3, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 3, "vs STVT"), "1.500") == 0 &&
		      strcmp(at(&t, 3, "vs STVT ±95%"), "0.479") == 0 &&
		      strcmp(at(&t, 3, "time vs STVT"), "0.667") == 0 &&
		      strcmp(at(&t, 3, "time vs STVT ±95%"), "0.213") == 0,
	      "HTVT over STVT (time metric inverted): %s ± %s, time %s ± %s", at(&t, 3, "vs STVT"),
	      at(&t, 3, "vs STVT ±95%"), at(&t, 3, "time vs STVT"), at(&t, 3, "time vs STVT ±95%"));
	CHECK(strcmp(at(&t, 2, "config"), "STVT") == 0 &&
		      strcmp(at(&t, 2, "vs STVT"), "1.000") == 0 &&
		      strcmp(at(&t, 2, "vs STVT ±95%"), "") == 0,
	      "the baseline's own row: 1, no interval: %s '%s'", at(&t, 2, "vs STVT"),
	      at(&t, 2, "vs STVT ±95%"));
	CHECK(strcmp(at(&t, 1, "config"), "native") == 0 &&
		      strcmp(at(&t, 1, "vs STVT"), "3.000") == 0,
	      "native against STVT: %s", at(&t, 1, "vs STVT"));
	CHECK(strcmp(at(&t, 0, "workload"), "jbb") == 0 && strcmp(at(&t, 0, "vs STVT"), "") == 0 &&
		      strcmp(at(&t, 0, "time vs STVT"), "") == 0 &&
		      strstr(report_table_notes(&t), "No STVT row") &&
		      strstr(report_table_notes(&t), "jbb 2 vCPUs HTVT"),
	      "jbb has no STVT: empty, and said: '%s'\n%s", at(&t, 0, "vs STVT"),
	      report_table_notes(&t));
	CHECK(strcmp(at(&t, 5, "vs STVT"), "2.000") == 0 &&
		      strcmp(at(&t, 5, "vs STVT ±95%"), "") == 0,
	      "one run each: a ratio, no interval: %s '%s'", at(&t, 5, "vs STVT"),
	      at(&t, 5, "vs STVT ±95%"));
	CHECK(strstr(t.title, "relative to STVT") && strstr(report_table_notes(&t), "delta method"),
	      "title and note name the baseline and the interval: %s", t.title);
	char *csv = printed(&t, REPORT_CSV), *md = printed(&t, REPORT_MARKDOWN),
	     *tex = printed(&t, REPORT_LATEX);
	CHECK(csv && strstr(csv, "vs STVT,vs STVT ±95%,") && strstr(csv, ",1.500,0.479,") &&
		      !strstr(csv, "delta"),
	      "csv: the same numbers, no notes:\n%s", csv);
	CHECK(md && strstr(md, "| 1.500 | 0.479 |") && strstr(md, "delta method"), "markdown:\n%s",
	      md);
	CHECK(tex && strstr(tex, "1.500 & 0.479") && strstr(tex, "\\footnotesize") &&
		      strstr(tex, "No STVT row"),
	      "latex:\n%s", tex);
	free(csv);
	free(md);
	free(tex);
	report_table_free(&t);
	/* --config HTVT --baseline STVT: STVT read, not printed */
	const char *ht[] = { "HTVT" };
	struct report_scope only = { .configs = ht, .nconfigs = 1, .baseline = "STVT" };
	CHECK(report_perf(db_sqlite(db), &only, &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 1, "vs STVT"), "1.500") == 0,
	      "--config HTVT --baseline STVT: %u rows, %s (%s)", t.nrows, at(&t, 1, "vs STVT"),
	      err);
	report_table_free(&t);
	struct report_scope ept = { .baseline = "EPT" };
	CHECK(report_perf(db_sqlite(db), &ept, &t, err, sizeof err) == 1 &&
		      strstr(err, "--baseline EPT") && strstr(err, "HTVT, native, STVT"),
	      "no EPT at all: an error naming what there is: %s", err);
	report_table_free(&t);
	db_close(db);
}

/* --where: a campaign sweeping the walker and the hash vTLB's buckets;
 * runs stored by hand with another bucket count. */
static void test_where(void)
{
	struct db *db = open_db("where.db");
	if (!db)
		return;
	int64_t c;
	db_campaign_get_or_create(db, "sweep", NULL, &c);
	/* STVT stores a vtlb_buckets it does not use: the campaign sweeps
	 * buckets, so its cell (without them) decides, not that default */
	static const char stvt[] = "\"vtlb_buckets\":4096,\"guest_vhpt_walker\":\"%s\"";
	char p[128];
	add_run_w(db, c, "native", "kbuild", "", "", 10, 100, "");
	for (int on = 0; on < 2; on++) {
		const char *w = on ? "on" : "off";
		char cell[64];
		snprintf(p, sizeof p, stvt, w);
		snprintf(cell, sizeof cell, "guest-vhpt-walker=%s", w);
		add_run_w(db, c, "STVT", "kbuild", cell, p, 30 + on, 300,
			  on ? "tlb_miss=7" : "tlb_miss=70");
		for (int b = 64; b <= 128; b += 64) {
			snprintf(cell, sizeof cell, "vtlb-buckets=%d guest-vhpt-walker=%s", b, w);
			snprintf(p, sizeof p, "\"vtlb_buckets\":%d,\"guest_vhpt_walker\":\"%s\"", b,
				 w);
			add_run_w(db, c, "HTVT", "kbuild", cell, p, 20 + on + b / 64, 200,
				  on ? "tlb_miss=5" : "tlb_miss=50");
		}
	}
	struct report_table t;
	char err[2048];
	struct report_where on[] = { { "guest-vhpt-walker", "on" } };
	struct report_scope s = { .campaign = "sweep", .where = on, .nwhere = 1 };
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 4 &&
		      strcmp(at(&t, 0, "config"), "native") == 0 &&
		      strcmp(at(&t, 1, "params"), "guest-vhpt-walker=on") == 0 &&
		      strcmp(at(&t, 2, "params"), "vtlb-buckets=64 guest-vhpt-walker=on") == 0 &&
		      strcmp(at(&t, 3, "params"), "vtlb-buckets=128 guest-vhpt-walker=on") == 0,
	      "walker on: native (takes no walker) and the on cells: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	CHECK(report_faults(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 3,
	      "the faults table selects the same: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	/* the run_params spelling and a boolean spelled otherwise */
	struct report_where alt[] = { { "guest_vhpt_walker", "true" }, { "vtlb_buckets", "64" } };
	s.where = alt;
	s.nwhere = 2;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 1, "config"), "STVT") == 0 &&
		      strcmp(at(&t, 2, "params"), "vtlb-buckets=64 guest-vhpt-walker=on") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "0.455") == 0,
	      "guest_vhpt_walker=true and vtlb_buckets=64, ANDed; STVT kept (not given "
	      "buckets): %u rows %s %s (%s)",
	      t.nrows, at(&t, 1, "config"), at(&t, 2, "params"), err);
	report_table_free(&t);
	struct report_where bad[] = { { "vtlb-bucket", "64" } };
	s.where = bad;
	s.nwhere = 1;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "--where vtlb-bucket:") &&
		      strstr(err, "campaign cell parameters: guest-vhpt-walker, vtlb-buckets;") &&
		      strstr(err, "run settings: guest_vhpt_walker, vtlb_buckets)"),
	      "an unknown name: the names there are: %s", err);
	report_table_free(&t);
	struct report_where none[] = { { "vtlb-buckets", "7" } };
	s.where = none;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "vtlb-buckets=7") && strstr(err, "it has 64, 128"),
	      "a value no run has: the values there are: %s", err);
	report_table_free(&t);
	/* the same name twice with two values: no run takes both, so only
	 * the runs without the parameter would be left (native, STVT) */
	struct report_where two[] = { { "vtlb-buckets", "64" }, { "vtlb_buckets", "128" } };
	s.where = two;
	s.nwhere = 2;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "vtlb-buckets=64") && strstr(err, "vtlb_buckets=128"),
	      "one name, two values: an error, not the baselines alone: %u rows (%s)", t.nrows,
	      err);
	report_table_free(&t);
	struct report_where same[] = { { "guest-vhpt-walker", "on" },
				       { "guest_vhpt_walker", "1" } };
	s.where = same;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 4,
	      "one name twice with the same value: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	/* runs by hand: only their settings say */
	add_run_w(db, 0, "native", "jbb", "", "", 10, 100, "");
	add_run_w(db, 0, "HTVT", "jbb", "", "\"vtlb_buckets\":64", 20, 200, "");
	add_run_w(db, 0, "HTVT", "jbb", "", "\"vtlb_buckets\":4096", 40, 400, "");
	struct report_where b64[] = { { "vtlb-buckets", "64" } };
	struct report_scope hand = { .campaign = "-", .where = b64, .nwhere = 1 };
	CHECK(report_perf(db_sqlite(db), &hand, &t, err, sizeof err) == 0 && t.nrows == 2 &&
		      strcmp(at(&t, 1, "mean"), "20.000") == 0,
	      "runs by hand: native and the 64-bucket run: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	/* a hand-made STVT run stores the hash vTLB's default buckets, which it
	 * does not use: it stays, as the baseline of the 64-bucket run (it was
	 * dropped for its 4096, found by review) */
	add_run_w(db, 0, "STVT", "jbb", "", "\"vtlb\":\"single\",\"vtlb_buckets\":4096", 16, 300,
		  "");
	hand.baseline = "STVT";
	CHECK(report_perf(db_sqlite(db), &hand, &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 1, "config"), "STVT") == 0 &&
		      strcmp(at(&t, 2, "vs STVT"), "0.800") == 0,
	      "runs by hand, --baseline STVT: native, STVT and the 64-bucket run: %u rows, %s, "
	      "%s",
	      t.nrows, at(&t, 1, "config"), at(&t, 2, "vs STVT"));
	report_table_free(&t);
	CHECK(report_param_applies("vtlb_buckets", "HTPV") &&
		      !report_param_applies("vtlb-buckets", "STVT") &&
		      report_param_applies("guest_vhpt_walker", "STPV") &&
		      !report_param_applies("guest-vhpt-walker", "EPT") &&
		      report_param_applies("cost.vm_exit", "native"),
	      "which configurations take which knobs");
	db_close(db);
}

/* A filter that selects nothing names itself and what there is: campaign
 * "typed" (native, HTVT; kbuild) and HTVT jbb runs outside campaigns. */
static void test_scope_check(struct db *db)
{
	char err[512];
	const char *xyz[] = { "XYZ" }, *jbb[] = { "jbb" }, *ht[] = { "HTVT" };
	struct report_scope nope = { .campaign = "nope" },
			    bad_config = { .configs = xyz, .nconfigs = 1 };
	struct report_scope jbb_typed = { .campaign = "typed", .workloads = jbb, .nworkloads = 1 };
	struct report_scope vcpus = { .vcpus = 3 }, fine = { .campaign = "-",
							     .workloads = jbb,
							     .nworkloads = 1,
							     .configs = ht,
							     .nconfigs = 1,
							     .vcpus = 2 };
	CHECK(report_scope_check(db_sqlite(db), &nope, err, sizeof err) == 1 &&
		      strcmp(err,
			     "--campaign nope: no campaign of that name has a complete run (the "
			     "database's campaigns: typed, -; '-' is the runs outside "
			     "campaigns)") == 0,
	      "an unknown campaign: %s", err);
	CHECK(report_scope_check(db_sqlite(db), &bad_config, err, sizeof err) == 1 &&
		      strcmp(err, "--config XYZ: no complete run of the database has that "
				  "configuration (they have native, HTVT)") == 0,
	      "an unknown configuration: %s", err);
	CHECK(report_scope_check(db_sqlite(db), &jbb_typed, err, sizeof err) == 1 &&
		      strcmp(err, "--workload jbb: no complete run of campaign typed has that "
				  "workload (they have kbuild)") == 0,
	      "a workload of another campaign: %s", err);
	CHECK(report_scope_check(db_sqlite(db), &vcpus, err, sizeof err) == 1 &&
		      strstr(err, "--vcpus 3: ") && strstr(err, "(they have 2)"),
	      "a vCPU count never run: %s", err);
	CHECK(report_scope_check(db_sqlite(db), &fine, err, sizeof err) == 0,
	      "filters that select runs: %s", err);
	/* names are compared as stored: runs of "htvt" there are none */
	const char *lower[] = { "htvt" };
	struct report_scope htvt = { .configs = lower, .nconfigs = 1 };
	CHECK(report_scope_check(db_sqlite(db), &htvt, err, sizeof err) == 1 &&
		      strstr(err, "--config htvt: "),
	      "a configuration in another case selects nothing: %s", err);
	struct report_scope outside = { .campaign = "-", .workloads = xyz, .nworkloads = 1 };
	CHECK(report_scope_check(db_sqlite(db), &outside, err, sizeof err) == 1 &&
		      strcmp(err, "--workload XYZ: no complete run of the runs outside campaigns "
				  "has that workload (they have jbb)") == 0,
	      "a workload outside campaigns: %s", err);
	/* the first filter that selects nothing is the error, not the last */
	struct report_scope two[] = {
		{ .campaign = "nope", .workloads = xyz, .nworkloads = 1 },
		{ .workloads = xyz, .nworkloads = 1, .configs = xyz, .nconfigs = 1 },
		{ .configs = xyz, .nconfigs = 1, .vcpus = 3 }
	};
	const char *first[] = { "--campaign nope:", "--workload XYZ:", "--config XYZ:" };
	for (unsigned i = 0; i < 3; i++)
		CHECK(report_scope_check(db_sqlite(db), &two[i], err, sizeof err) == 1 &&
			      strncmp(err, first[i], strlen(first[i])) == 0,
		      "two filters selecting nothing: the first is named (%s): %s", first[i], err);
}

/* The scope check's words when the database has no complete run, and
 * when every run is in a campaign: "--campaign -" has no list to offer
 * of itself. */
static void test_scope_check_empty(void)
{
	struct db *db = open_db("scope-empty.db");
	if (!db)
		return;
	char err[512];
	struct report_scope nope = { .campaign = "nope" }, dash = { .campaign = "-" };
	CHECK(report_scope_check(db_sqlite(db), &nope, err, sizeof err) == 1 &&
		      strcmp(err, "--campaign nope: the database has no complete run") == 0,
	      "no runs at all: %s", err);
	int64_t c;
	db_campaign_get_or_create(db, "only", NULL, &c);
	add_run_w(db, c, "native", "kbuild", "", "", 10, 100, "");
	CHECK(report_scope_check(db_sqlite(db), &dash, err, sizeof err) == 1 &&
		      strcmp(err, "--campaign -: no complete run is outside campaigns (the "
				  "database's campaigns: only)") == 0,
	      "every run in a campaign: %s", err);
	db_close(db);
}

/* --where compares by the parameter's type: a number's 1 is not "on". */
static void test_where_types(void)
{
	struct db *db = open_db("where-types.db");
	if (!db)
		return;
	int64_t c;
	db_campaign_get_or_create(db, "typed", NULL, &c);
	add_run_w(db, c, "native", "kbuild", "", "", 10, 100, "");
	add_run_w(db, c, "HTVT", "kbuild", "vtlb-buckets=1", "\"vtlb_buckets\":1", 30, 300, "");
	add_run_w(db, c, "HTVT", "kbuild", "vtlb-buckets=64", "\"vtlb_buckets\":64", 20, 200, "");
	struct report_table t;
	char err[2048];
	struct report_where on[] = { { "vtlb-buckets", "on" } };
	struct report_scope s = { .campaign = "typed", .where = on, .nwhere = 1 };
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "vtlb-buckets=on") && strstr(err, "it has 1, 64"),
	      "vtlb-buckets=on: a number is not a boolean (%u rows): %s", t.nrows, err);
	report_table_free(&t);
	struct report_where hex[] = { { "vtlb_buckets", "0x40" } };
	s.where = hex;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 2 &&
		      strcmp(at(&t, 1, "params"), "vtlb-buckets=64") == 0,
	      "vtlb_buckets=0x40 is 64: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	struct report_where both[] = { { "vtlb-buckets", "1" }, { "vtlb-buckets", "on" } };
	s.where = both;
	s.nwhere = 2;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "vtlb-buckets=1 and --where vtlb-buckets=on"),
	      "vtlb-buckets=1 and =on are two values: %s", err);
	report_table_free(&t);
	/* NAME= : the runs without NAME (unset), here native alone */
	struct report_where unset[] = { { "vtlb-buckets", "" } };
	s.where = unset;
	s.nwhere = 1;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 1 &&
		      strcmp(at(&t, 0, "config"), "native") == 0,
	      "vtlb-buckets= keeps the runs without buckets: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	struct report_where unset_and_64[] = { { "vtlb-buckets", "" }, { "vtlb-buckets", "64" } };
	s.where = unset_and_64;
	s.nwhere = 2;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "vtlb-buckets= and --where vtlb-buckets=64"),
	      "vtlb-buckets= and =64 are two values: %s", err);
	report_table_free(&t);
	/* by hand: sizes as bytes, svtlb a JSON boolean (stored 1 and 0) */
	add_run_w(db, 0, "HTVT", "jbb", "", "\"mem\":536870912,\"svtlb\":true", 20, 200, "");
	add_run_w(db, 0, "HTVT", "jbb", "", "\"mem\":268435456,\"svtlb\":false", 40, 400, "");
	struct report_where mem[] = { { "mem", "512M" }, { "svtlb", "on" } };
	struct report_scope hand = { .campaign = "-", .where = mem, .nwhere = 2 };
	CHECK(report_perf(db_sqlite(db), &hand, &t, err, sizeof err) == 0 && t.nrows == 1 &&
		      strcmp(at(&t, 0, "mean"), "20.000") == 0,
	      "mem=512M is 536870912 bytes, svtlb=on its stored 1: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	struct report_where no_mem[] = { { "mem", "" } };
	hand.where = no_mem;
	hand.nwhere = 1;
	CHECK(report_perf(db_sqlite(db), &hand, &t, err, sizeof err) == -1 &&
		      strstr(err, "--where mem=: every run in the scope has a value of mem "
				  "(536870912, 268435456)"),
	      "mem= when every run has a mem: an error listing the values: %s", err);
	report_table_free(&t);
	test_scope_check(db);
	CHECK(report_value_same("guest-vhpt-walker", "on", 2, "1", 1) &&
		      report_value_same("machine_vhpt_chain", "false", 5, "off", 3) &&
		      report_value_same("svtlb", "1", 1, "true", 4) &&
		      !report_value_same("guest-vhpt-walker", "on", 2, "0", 1) &&
		      !report_value_same("vtlb-buckets", "1", 1, "on", 2) &&
		      !report_value_same("vtlb-buckets", "0", 1, "off", 3) &&
		      report_value_same("vtlb-buckets", "64", 2, "64", 2) &&
		      !report_value_same("vtlb-buckets", "64", 2, "640", 3) &&
		      report_value_same("machine-vhpt-size", "8M", 2, "8388608", 7) &&
		      report_value_same("track", "full", 4, "full", 4) &&
		      !report_value_same("dtlb", "64:4", 4, "64", 2),
	      "a boolean's on/true/1 alike, a number compared as one, text as text");
	/* numbers and sizes as `vtlab run` reads them (cli/options.c
	 * parse_size): 0X hex, a unit in either case, B or iB after a unit
	 * only; what it refuses (a bare 0x, 64B, 2^64 bytes, which would wrap
	 * to 0) is text, equal to nothing else */
	CHECK(report_value_same("vtlb-buckets", "64", 2, "0X40", 4) &&
		      report_value_same("mem", "65536", 5, "64k", 3) &&
		      report_value_same("mem", "8388608", 7, "8MiB", 4) &&
		      report_value_same("mem", "8388608", 7, "8mb", 3) &&
		      !report_value_same("mem", "0", 1, "0x", 2) &&
		      !report_value_same("mem", "64", 2, "64B", 3) &&
		      !report_value_same("mem", "0", 1, "16777216T", 9),
	      "sizes spelled as vtlab run spells them, and only those");
	/* machine-vhpt-chain is a boolean knob: its stored 1 is on; any knob
	 * spelled on/true is a boolean; two values that are no boolean of a
	 * boolean knob are not alike */
	CHECK(report_value_same("machine-vhpt-chain", "1", 1, "on", 2) &&
		      report_value_same("trace", "true", 4, "on", 2) &&
		      !report_value_same("guest-vhpt-walker", "auto", 4, "bogus", 5),
	      "booleans by knob and by word");
	db_close(db);
}

/* True when a row of t has config `config` and mean `mean`. */
static int has_row(const struct report_table *t, const char *config, const char *mean)
{
	for (unsigned i = 0; i < t->nrows; i++)
		if (strcmp(at(t, i, "config"), config) == 0 && strcmp(at(t, i, "mean"), mean) == 0)
			return 1;
	return 0;
}

/* --where across campaigns: a sweep belongs to its own campaign, so the
 * runs stored by hand beside it answer by their settings.  A campaign
 * sweeping vtlb-buckets (64) and hand-made HTVT runs of 64 (mean 30) and
 * 4096 (mean 40) buckets. */
static void test_where_campaigns(void)
{
	struct db *db = open_db("where-campaigns.db");
	if (!db)
		return;
	int64_t c;
	db_campaign_get_or_create(db, "sweep", NULL, &c);
	add_run_w(db, c, "native", "kbuild", "", "", 10, 100, "");
	add_run_w(db, c, "HTVT", "kbuild", "vtlb-buckets=64", "\"vtlb_buckets\":64", 20, 200, "");
	add_run_w(db, 0, "native", "kbuild", "", "", 10, 100, "");
	add_run_w(db, 0, "HTVT", "kbuild", "", "\"vtlb_buckets\":64", 30, 300, "");
	add_run_w(db, 0, "HTVT", "kbuild", "", "\"vtlb_buckets\":4096", 40, 400, "");
	struct report_table t;
	char err[2048];
	struct report_where b64[] = { { "vtlb-buckets", "64" } };
	struct report_scope all = { .where = b64, .nwhere = 1 };
	/* a mutant taking every campaign as sweeping it kept the 4096 run */
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == 0 && t.nrows == 4 &&
		      has_row(&t, "HTVT", "20.000") && has_row(&t, "HTVT", "30.000") &&
		      !has_row(&t, "HTVT", "40.000"),
	      "vtlb-buckets=64 in every campaign: the sweep's 64 and the hand-made 64, not "
	      "4096: %u rows (%s)",
	      t.nrows, err);
	report_table_free(&t);
	/* terms are checked in order and the first that fails is the error,
	 * whatever the later ones select */
	struct report_where typo[] = { { "vtlb-bucket", "64" }, { "vtlb-buckets", "64" } };
	all.where = typo;
	all.nwhere = 2;
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == -1 &&
		      strstr(err, "--where vtlb-bucket:"),
	      "a misspelt first term fails the selection though the second holds: %s", err);
	report_table_free(&t);
	struct report_where many[REPORT_MAX_WHERE + 1];
	for (unsigned i = 0; i <= REPORT_MAX_WHERE; i++)
		many[i] = (struct report_where){ "vtlb-buckets", "64" };
	all.where = many;
	all.nwhere = REPORT_MAX_WHERE + 1;
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == -1 &&
		      strstr(err, "at most 16 --where terms"),
	      "%d terms: refused: %s", REPORT_MAX_WHERE + 1, err);
	report_table_free(&t);
	db_close(db);
}

/* --where on runs outside campaigns, which have no cell: the names a
 * misspelt term lists (the dozens of cost.X as one cost.*), and NAME=
 * keeping a run whose value is empty. */
static void test_where_settings(void)
{
	struct db *db = open_db("where-settings.db");
	if (!db)
		return;
	add_run_w(db, 0, "native", "kbuild", "", "", 10, 100, "");
	add_run_w(db, 0, "HTVT", "kbuild", "",
		  "\"cost.vm_exit\":1300,\"cost.tlb_fill\":50,\"label\":\"\"", 20, 200, "");
	add_run_w(db, 0, "HTVT", "kbuild", "", "\"cost.vm_exit\":1300,\"label\":\"x\"", 40, 400,
		  "");
	struct report_table t;
	char err[2048];
	struct report_where nope[] = { { "nope", "1" } };
	struct report_scope s = { .campaign = "-", .where = nope, .nwhere = 1 };
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "(campaign cell parameters: none; run settings: cost.*, label)"),
	      "an unknown name, no cells: 'none', and cost.X once as cost.*: %s", err);
	report_table_free(&t);
	/* an empty value is unset too: the run with label "" and native */
	struct report_where unset[] = { { "label", "" } };
	s.where = unset;
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == 0 && t.nrows == 2 &&
		      has_row(&t, "HTVT", "20.000") && !has_row(&t, "HTVT", "40.000"),
	      "label= keeps the run whose label is empty: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	db_close(db);
}

/* The perf row of workload w in db (scope: every run, that workload). */
static int perf_of(struct db *db, const char *w, struct report_table *t, char *err, size_t len)
{
	const char *ws[] = { w };
	struct report_scope s = { .workloads = ws, .nworkloads = 1 };
	return report_perf(db_sqlite(db), &s, t, err, len);
}

/* Which runs a group averages and which native row it is compared with:
 * a run without a metric is left out of the mean; the native row is of
 * the same vCPU count and campaign; a cell's words are matched whole. */
static void test_perf_baseline_place(void)
{
	struct db *db = open_db("place.db");
	if (!db)
		return;
	struct report_table t;
	char err[512];
	/* w1: the second HTVT run stored no metric: mean 20 over its 2 runs */
	add_run_w(db, 0, "native", "w1", "", "", 10, 100, "");
	add_run_w(db, 0, "HTVT", "w1", "", "", 20, 200, "");
	add_run_w(db, 0, "HTVT", "w1", "", "", 30, 300, "");
	sqlite3_exec(db_sqlite(db), "UPDATE runs SET metric_value = NULL WHERE id = 3", NULL, NULL,
		     NULL);
	CHECK(perf_of(db, "w1", &t, err, sizeof err) == 0 && strcmp(at(&t, 1, "runs"), "2") == 0 &&
		      strcmp(at(&t, 1, "mean"), "20.000") == 0,
	      "a run without a metric: not in the mean: '%s' (%s)", at(&t, 1, "mean"), err);
	CHECK(strstr(report_table_notes(&t), "(runs with a metric, of all): w1 2 vCPUs HTVT (1 of "
					     "2)\n") &&
		      !strstr(report_table_notes(&t), "native (1 of"),
	      "the row whose mean has fewer runs than its runs column, named: %s",
	      report_table_notes(&t));
	report_table_free(&t);
	/* w2: native at 2 vCPUs (10 s) and at 4 (40 s); HTVT at 4 (20 s) is
	 * twice as fast as native at 4 */
	add_run_w(db, 0, "native", "w2", "", "", 10, 100, "");
	add_run_w(db, 0, "native", "w2", "", "", 40, 400, "");
	add_run_w(db, 0, "HTVT", "w2", "", "", 20, 200, "");
	sqlite3_exec(db_sqlite(db), "UPDATE runs SET vcpus = 4 WHERE id IN (5, 6)", NULL, NULL,
		     NULL);
	CHECK(perf_of(db, "w2", &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 2, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "2.000") == 0,
	      "HTVT at 4 vCPUs over native at 4: '%s' (%s)", at(&t, 2, "vs native"), err);
	report_table_free(&t);
	/* w3: campaign a has native and HTVT, campaign b HTVT alone */
	int64_t a, b;
	db_campaign_get_or_create(db, "a", NULL, &a);
	db_campaign_get_or_create(db, "b", NULL, &b);
	add_run_w(db, a, "native", "w3", "", "", 10, 100, "");
	add_run_w(db, a, "HTVT", "w3", "", "", 20, 200, "");
	add_run_w(db, b, "HTVT", "w3", "", "", 30, 300, "");
	CHECK(perf_of(db, "w3", &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 2, "mean"), "30.000") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "") == 0,
	      "no native in campaign b: no ratio, not campaign a's: '%s' (%s)",
	      at(&t, 2, "vs native"), err);
	report_table_free(&t);
	/* w4: a campaign sweeping mem and cost.vm_exit (native takes both)
	 * and vtlb-buckets; the native of cost.vm_exit=1000 (40 s), not of
	 * 100 (10 s), whose word is a prefix of the cell's */
	int64_t c;
	db_campaign_get_or_create(db, "c", NULL, &c);
	add_run_w(db, c, "native", "w4", "mem=512M cost.vm_exit=100", "", 10, 100, "");
	add_run_w(db, c, "native", "w4", "mem=512M cost.vm_exit=1000", "", 40, 400, "");
	add_run_w(db, c, "HTVT", "w4", "mem=512M cost.vm_exit=1000 vtlb-buckets=64", "", 20, 200,
		  "");
	CHECK(perf_of(db, "w4", &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 2, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "2.000") == 0,
	      "a two-word native cell within HTVT's: '%s' (%s)", at(&t, 2, "vs native"), err);
	report_table_free(&t);
	db_close(db);
}

/* No single native row: report_baseline_of finds none, and the ratios
 * stay empty.  By hand: natives of two costs and an HTVT of a third
 * (w5); natives each split by a cost the one HTVT row holds both of
 * (w6). */
static void test_perf_baseline_ambiguous(void)
{
	struct db *db = open_db("ambiguous.db");
	if (!db)
		return;
	struct report_table t;
	char err[512];
	add_run_w(db, 0, "native", "w5", "", "\"cost.vm_exit\":1300", 10, 100, "");
	add_run_w(db, 0, "native", "w5", "", "\"cost.vm_exit\":2000", 40, 400, "");
	add_run_w(db, 0, "HTVT", "w5", "", "\"cost.vm_exit\":3000", 20, 200, "");
	CHECK(perf_of(db, "w5", &t, err, sizeof err) == 0 && t.nrows == 3 &&
		      strcmp(at(&t, 2, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "") == 0,
	      "two natives, neither the HTVT's cost: no ratio: '%s' (%s)", at(&t, 2, "vs native"),
	      err);
	report_table_free(&t);
	add_run_w(db, 0, "native", "w6", "", "\"cost.vm_exit\":1300", 10, 100, "");
	add_run_w(db, 0, "native", "w6", "", "\"cost.tlb_fill\":50", 40, 400, "");
	add_run_w(db, 0, "HTVT", "w6", "", "\"cost.vm_exit\":1300,\"cost.tlb_fill\":50", 20, 200,
		  "");
	add_run_w(db, 0, "HTVT", "w6", "", "", 30, 300, "");
	CHECK(perf_of(db, "w6", &t, err, sizeof err) == 0 && t.nrows == 4 &&
		      has_row(&t, "HTVT", "20.000") && strcmp(at(&t, 2, "vs native"), "") == 0 &&
		      strcmp(at(&t, 3, "vs native"), "") == 0,
	      "two natives within one HTVT row: no ratio: '%s' '%s' (%s)", at(&t, 2, "vs native"),
	      at(&t, 3, "vs native"), err);
	report_table_free(&t);
	db_close(db);
}

/* report_groups_mixed over the runs of workloads ws (NULL-ended); what
 * gets the first mixed bar. */
static unsigned mixed_of(struct db *db, const char *const *ws, char *what, size_t len)
{
	unsigned n = 0;
	while (ws[n])
		n++;
	struct report_scope s = { .workloads = ws, .nworkloads = n };
	struct report_runs r;
	struct report_group *gs = NULL;
	size_t ng = 0;
	char err[256];
	unsigned mixed = 0;
	what[0] = '\0';
	if (report_runs_load(db_sqlite(db), &s, &r, err, sizeof err) == 0) {
		if (report_groups(&r, &gs, &ng) == 0)
			mixed = report_groups_mixed(&r, gs, ng, what, len);
		free(gs);
		report_runs_free(&r);
	}
	return mixed;
}

/* A bar (campaign, workload, vCPUs, configuration) that averages groups
 * of different cells, as `vtlab plot` warns of: groups of another vCPU
 * count, workload or campaign are other bars; the first mixed bar is
 * named, with at most three of its groups. */
static void test_groups_mixed(void)
{
	struct db *db = open_db("mixed.db");
	if (!db)
		return;
	int64_t a, b;
	db_campaign_get_or_create(db, "a", NULL, &a);
	db_campaign_get_or_create(db, "b", NULL, &b);
	char what[512];
	add_run_w(db, a, "HTVT", "v", "vtlb-buckets=64", "", 20, 200, "");
	add_run_w(db, a, "HTVT", "v", "vtlb-buckets=128", "", 20, 200, "");
	sqlite3_exec(db_sqlite(db), "UPDATE runs SET vcpus = 4 WHERE id = 2", NULL, NULL, NULL);
	CHECK(mixed_of(db, (const char *[]){ "v", NULL }, what, sizeof what) == 0,
	      "one cell at 2 vCPUs, another at 4: two bars, none mixed: '%s'", what);
	add_run_w(db, a, "HTVT", "w1", "vtlb-buckets=64", "", 20, 200, "");
	add_run_w(db, a, "HTVT", "w2", "vtlb-buckets=128", "", 20, 200, "");
	CHECK(mixed_of(db, (const char *[]){ "w1", "w2", NULL }, what, sizeof what) == 0,
	      "one cell per workload: none mixed: '%s'", what);
	add_run_w(db, a, "HTVT", "c", "vtlb-buckets=64", "", 20, 200, "");
	add_run_w(db, b, "HTVT", "c", "vtlb-buckets=128", "", 20, 200, "");
	CHECK(mixed_of(db, (const char *[]){ "c", NULL }, what, sizeof what) == 0,
	      "one cell per campaign: none mixed: '%s'", what);
	/* d1 and d2 at 1 vCPU are both mixed: the first is named */
	for (int i = 0; i < 4; i++)
		add_run_w(db, a, "HTVT", i < 2 ? "d1" : "d2",
			  i % 2 ? "vtlb-buckets=128" : "vtlb-buckets=64", "", 20, 200, "");
	sqlite3_exec(db_sqlite(db), "UPDATE runs SET vcpus = 1 WHERE workload LIKE 'd_'", NULL,
		     NULL, NULL);
	CHECK(mixed_of(db, (const char *[]){ "d1", "d2", NULL }, what, sizeof what) == 2 &&
		      strcmp(what, "HTVT d1 1 vCPU: vtlb-buckets=64 | vtlb-buckets=128") == 0,
	      "two mixed bars, the first named: '%s'", what);
	/* four cells: three named, then "..." */
	for (int i = 1; i <= 4; i++) {
		char cell[32];
		snprintf(cell, sizeof cell, "vtlb-buckets=%d", i);
		add_run_w(db, a, "HTVT", "e", cell, "", 20, 200, "");
	}
	CHECK(mixed_of(db, (const char *[]){ "e", NULL }, what, sizeof what) == 1 &&
		      strcmp(what, "HTVT e 2 vCPUs: vtlb-buckets=1 | vtlb-buckets=2 | "
				   "vtlb-buckets=3 | ...") == 0,
	      "four cells: three named: '%s'", what);
	/* by hand, one run with a cost and one without: the latter's
	 * group has no params, said "(none)" */
	add_run_w(db, 0, "HTVT", "g", "", "\"cost.vm_exit\":1300", 20, 200, "");
	add_run_w(db, 0, "HTVT", "g", "", "", 20, 200, "");
	CHECK(mixed_of(db, (const char *[]){ "g", NULL }, what, sizeof what) == 1 &&
		      strstr(what, "(none)") && strstr(what, "cost.vm_exit=1300"),
	      "a group without params: '%s'", what);
	db_close(db);
}

/* The note naming the rows without a native one: eight named, the rest
 * counted.  Workloads m1..m9, each with HTVT runs only. */
static void test_perf_missing_note(void)
{
	struct db *db = open_db("missing.db");
	if (!db)
		return;
	static const char *const ws[] = { "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9" };
	for (unsigned i = 0; i < 9; i++)
		add_run_w(db, 0, "HTVT", ws[i], "", "", 20, 200, "");
	struct report_table t;
	char err[512];
	struct report_scope eight = { .workloads = ws, .nworkloads = 8 };
	CHECK(report_perf(db_sqlite(db), &eight, &t, err, sizeof err) == 0 && t.nrows == 8 &&
		      strstr(report_table_notes(&t),
			     "ratios left empty: m1 2 vCPUs HTVT; m2 2 vCPUs HTVT; m3 2 vCPUs HTVT; "
			     "m4 2 vCPUs HTVT; m5 2 vCPUs HTVT; m6 2 vCPUs HTVT; m7 2 vCPUs HTVT; "
			     "m8 2 vCPUs HTVT\n"),
	      "eight rows without native, each named, nothing more: %s", report_table_notes(&t));
	report_table_free(&t);
	struct report_scope nine = { .workloads = ws, .nworkloads = 9 };
	CHECK(report_perf(db_sqlite(db), &nine, &t, err, sizeof err) == 0 && t.nrows == 9 &&
		      strstr(report_table_notes(&t), "m8 2 vCPUs HTVT; and 1 more\n") &&
		      !strstr(report_table_notes(&t), "m9"),
	      "nine: eight named and one counted: %s", report_table_notes(&t));
	report_table_free(&t);
	/* --config STVT where there is none: the baseline's runs alone are
	 * read, and no row is printed: an error, not an empty table */
	add_run_w(db, 0, "native", "m1", "", "", 10, 100, "");
	const char *stvt[] = { "STVT" };
	struct report_scope none = { .configs = stvt, .nconfigs = 1 };
	CHECK(report_perf(db_sqlite(db), &none, &t, err, sizeof err) == 1 &&
		      strstr(err, "no complete runs of the chosen configurations"),
	      "--config STVT without STVT runs: %s", err);
	report_table_free(&t);
	db_close(db);
}

/* The faults table's kind columns, ", "-joined, into buf. */
static const char *kind_heads(const struct report_table *t, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned c = 0, after = 0; c < t->ncols; c++) {
		if (after && strcmp(t->head[c], "total") != 0)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 t->head[c]);
		after |= strcmp(t->head[c], "runs") == 0;
	}
	return buf;
}

/* Which kinds are columns, and in which order: by total (not by how many
 * runs injected one), ties as the runs first name them (alphabetical in
 * one run, as the faults chart orders them); a kind of 0 only, or only of
 * runs outside the scope, is none. */
static void test_faults_columns(void)
{
	struct db *db = open_db("fault-kinds.db");
	if (!db)
		return;
	add_run_w(db, 0, "HTVT", "w1", "", "", 20, 200, "big=10,many=1,tie_a=3,tie_b=3,zero=0");
	add_run_w(db, 0, "HTVT", "w1", "", "", 20, 200, "many=1");
	add_run_w(db, 0, "HTVT", "other", "", "", 20, 200, "ghost=5");
	const char *w1[] = { "w1" };
	struct report_scope s = { .workloads = w1, .nworkloads = 1 };
	struct report_table t;
	char err[256], heads[256];
	CHECK(report_faults(db_sqlite(db), &s, &t, err, sizeof err) == 0 &&
		      strcmp(kind_heads(&t, heads, sizeof heads), "big, tie_a, tie_b, many") == 0,
	      "kinds by total, ties in order, no zero or out-of-scope kind: '%s' (%s)", heads, err);
	report_table_free(&t);
	db_close(db);
}

/* --where on a knob that only runs not using it store: a hand-made STVT
 * run keeps the hash vTLB's default buckets.  The error said "no run in
 * the scope has that value (it has )", an empty list. */
static void test_where_unused(void)
{
	struct db *db = open_db("where-unused.db");
	if (!db)
		return;
	add_run_w(db, 0, "native", "jbb", "", "", 10, 100, "");
	add_run_w(db, 0, "STVT", "jbb", "", "\"vtlb\":\"single\",\"vtlb_buckets\":4096", 16, 300,
		  "");
	struct report_where b64[] = { { "vtlb-buckets", "64" } };
	struct report_scope s = { .campaign = "-", .where = b64, .nwhere = 1 };
	struct report_table t;
	char err[2048];
	CHECK(report_perf(db_sqlite(db), &s, &t, err, sizeof err) == -1 &&
		      strcmp(err, "--where vtlb-buckets=64: no run in the scope takes vtlb-buckets "
				  "(the runs that store it are of configurations that do not use "
				  "it)") == 0,
	      "a knob stored unused: %s", err);
	report_table_free(&t);
	db_close(db);
}

/* A run outside campaigns with the run parameters `params` (JSON). */
static void add_run_params(struct db *db, const char *config, const char *params, double metric)
{
	struct db_run_meta m = { .config = config,
				 .workload = "kbuild",
				 .workload_params = strcmp(config, "kvm-import") ? NULL : params,
				 .vcpus = 2,
				 .params_json = params };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0, "run_begin: %s", db_errmsg(db));
	struct db_run_result r = { .instructions = 1000,
				   .cycles = (uint64_t)(metric * 1e7),
				   .metric_name = "build_seconds",
				   .metric_value = metric };
	CHECK(db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0, "finish: %s", db_errmsg(db));
}

/* Runs stored by hand with other vTLB sizes share a key but not what they
 * measure: a row per setting, named by what differs; the schedule seed,
 * the kernel's path, tracing and what a KVM import found do not split a
 * row. */
static void test_perf_settings(void)
{
	char path[128], err[256];
	struct db *db;
	snprintf(path, sizeof path, "%s/settings.db", scratch);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	add_run_params(db, "native", "{\"kernel\":\"/a/k.elf\",\"sched_seed\":1}", 10);
	add_run_params(db, "native", "{\"kernel\":\"/b/k.elf\",\"sched_seed\":2,\"trace\":\"all\"}",
		       12);
	add_run_params(db, "HTVT", "{\"vtlb_buckets\":64,\"vtlb_pool\":64,\"sched_seed\":1}", 40);
	add_run_params(db, "HTVT", "{\"vtlb_buckets\":4096,\"vtlb_pool\":64,\"sched_seed\":1}", 20);
	add_run_params(db, "HTVT", "{\"vtlb_buckets\":64,\"vtlb_pool\":64,\"sched_seed\":2}", 44);
	/* two captures of one guest: what each found is not a setting */
	add_run_params(db, "kvm-import", "{\"file\":\"/a/t.txt\",\"lines\":10,\"isa\":\"vmx\"}", 1);
	add_run_params(db, "kvm-import", "{\"file\":\"/b/t.txt\",\"lines\":20,\"isa\":\"vmx\"}", 2);
	struct report_table t;
	struct report_scope all = { 0 };
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == 0 && t.nrows == 4,
	      "native, HTVT x2, kvm-import: %u rows (%s)", t.nrows, err);
	CHECK(strcmp(at(&t, 3, "config"), "kvm-import") == 0 && strcmp(at(&t, 3, "runs"), "2") == 0,
	      "two KVM captures from other files are one row: %s %s", at(&t, 3, "config"),
	      at(&t, 3, "runs"));
	CHECK(strcmp(at(&t, 0, "runs"), "2") == 0 && strcmp(at(&t, 0, "params"), "") == 0,
	      "native: seeds, paths and tracing do not split it (%s runs, '%s')", at(&t, 0, "runs"),
	      at(&t, 0, "params"));
	CHECK(strcmp(at(&t, 1, "params"), "vtlb_buckets=64") == 0 &&
		      strcmp(at(&t, 1, "runs"), "2") == 0 &&
		      strcmp(at(&t, 1, "mean"), "42.000") == 0 &&
		      strcmp(at(&t, 1, "vs native"), "0.262") == 0,
	      "the first setting's two runs, against native: '%s' %s %s %s", at(&t, 1, "params"),
	      at(&t, 1, "runs"), at(&t, 1, "mean"), at(&t, 1, "vs native"));
	CHECK(strcmp(at(&t, 2, "params"), "vtlb_buckets=4096") == 0 &&
		      strcmp(at(&t, 2, "runs"), "1") == 0 &&
		      strcmp(at(&t, 2, "mean"), "20.000") == 0,
	      "the other setting's run: '%s' %s %s", at(&t, 2, "params"), at(&t, 2, "runs"),
	      at(&t, 2, "mean"));
	report_table_free(&t);
	db_close(db);
}

/* Native split by a setting the hypervisor's runs share (all made with
 * one of native's two values): its row is the native with that value,
 * not none because native has two rows. */
static void test_perf_settings_baseline(void)
{
	char path[128], err[256];
	struct db *db;
	snprintf(path, sizeof path, "%s/settings-baseline.db", scratch);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	add_run_params(db, "native", "{\"cost.vm_exit\":1300}", 10);
	add_run_params(db, "native", "{\"cost.vm_exit\":2000}", 20);
	add_run_params(db, "HTVT", "{\"cost.vm_exit\":2000,\"vtlb_buckets\":64}", 40);
	struct report_table t;
	struct report_scope all = { 0 };
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == 0 && t.nrows == 3,
	      "native x2, HTVT: %u rows (%s)", t.nrows, err);
	CHECK(t.nrows == 3 && strcmp(at(&t, 1, "params"), "cost.vm_exit=2000") == 0 &&
		      strcmp(at(&t, 2, "config"), "HTVT") == 0 &&
		      strcmp(at(&t, 2, "vs native"), "0.500") == 0,
	      "HTVT against the native of its cost: %s '%s' vs native '%s'", at(&t, 2, "config"),
	      at(&t, 1, "params"), t.nrows == 3 ? at(&t, 2, "vs native") : "");
	report_table_free(&t);
	db_close(db);
}

/* A native metric of 0 and runs without cycles (NULL, or a KVM import's
 * ns): no ratio, not inf or 0. */
static void test_perf_zero(void)
{
	char path[128], err[256];
	struct db *db;
	snprintf(path, sizeof path, "%s/zero.db", scratch);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	add_run(db, 0, "native", "", 0, 100, "", DB_RUN_COMPLETE);
	add_run(db, 0, "HTVT", "", 20, 200, "", DB_RUN_COMPLETE);
	add_run(db, 0, "HTVT", "", 22, 220, "", DB_RUN_COMPLETE);
	add_run(db, 0, "kvm-import", "", NAN, 5, "", DB_RUN_COMPLETE);
	sqlite3_exec(db_sqlite(db),
		     "UPDATE runs SET cycles = NULL WHERE id < 3; INSERT INTO run_params "
		     "VALUES (4, 'cycles_unit', 'ns')",
		     NULL, NULL, NULL);
	struct report_table t;
	struct report_scope all = { 0 };
	CHECK(report_perf(db_sqlite(db), &all, &t, err, sizeof err) == 0 && t.nrows == 3,
	      "zero perf: %s", err);
	CHECK(strcmp(at(&t, 2, "config"), "kvm-import") == 0 &&
		      strcmp(at(&t, 2, "Mcycles"), "") == 0,
	      "an imported trace's ns are not Mcycles: '%s'", at(&t, 2, "Mcycles"));
	/* native's own row: 1 only where its mean can be divided by */
	CHECK(strcmp(at(&t, 0, "vs native"), "") == 0 &&
		      strcmp(at(&t, 0, "time vs native"), "") == 0,
	      "a zero or missing native is not 1 to itself: '%s' '%s'", at(&t, 0, "vs native"),
	      at(&t, 0, "time vs native"));
	CHECK(strcmp(at(&t, 1, "vs native"), "") == 0 && strcmp(at(&t, 0, "Mcycles"), "") == 0 &&
		      strcmp(at(&t, 1, "Mcycles"), "220.0") == 0 &&
		      strcmp(at(&t, 1, "time vs native"), "") == 0,
	      "no ratio to a zero or missing native: '%s' '%s' '%s' '%s'", at(&t, 1, "vs native"),
	      at(&t, 0, "Mcycles"), at(&t, 1, "Mcycles"), at(&t, 1, "time vs native"));
	report_table_free(&t);
	db_close(db);
}

/* More fault kinds than the table takes: a clear error, not a crash. */
static void test_faults_many_kinds(void)
{
	char path[128], err[256], faults[2048] = "";
	struct db *db;
	snprintf(path, sizeof path, "%s/kinds.db", scratch);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	for (int k = 0; k < 65; k++) {
		size_t used = strlen(faults);
		snprintf(faults + used, sizeof faults - used, "%skind%d=1", k ? "," : "", k);
	}
	add_run(db, 0, "HTVT", "", 1, 1, faults, DB_RUN_COMPLETE);
	struct report_table t;
	struct report_scope all = { 0 };
	CHECK(report_faults(db_sqlite(db), &all, &t, err, sizeof err) == -1 &&
		      strstr(err, "more than 64 fault kinds"),
	      "65 kinds: %s", err);
	report_table_free(&t);
	db_close(db);
}

static void test_faults(sqlite3 *h)
{
	struct report_table t;
	struct report_scope all = { 0 };
	char err[256];
	CHECK(report_faults(h, &all, &t, err, sizeof err) == 0, "faults: %s", err);
	/* workload, vCPUs, config, params, runs, 2 kinds, total */
	CHECK(t.nrows == 2 && t.ncols == 8, "2 hypervisor rows, 8 columns: %u x %u", t.nrows,
	      t.ncols);
	CHECK(t.ncols == 8 && strcmp(t.head[5], "tlb_miss") == 0 &&
		      strcmp(t.head[6], "alt_dtlb_miss") == 0 && strcmp(t.head[7], "total") == 0,
	      "kinds by total, largest first");
	/* (100 + 200 + 300) / 3, 5 / 3, the failed run's 9999 left out */
	CHECK(strcmp(at(&t, 0, "tlb_miss"), "200") == 0 &&
		      strcmp(at(&t, 0, "alt_dtlb_miss"), "1.7") == 0 &&
		      strcmp(at(&t, 0, "total"), "201.7") == 0,
	      "means: %s %s %s", at(&t, 0, "tlb_miss"), at(&t, 0, "alt_dtlb_miss"),
	      at(&t, 0, "total"));
	/* a column is whole (tlb_miss: 200, 500) or has one decimal in every
	 * row (alt_dtlb_miss: 1.7, 0.0), so it lines up */
	CHECK(strcmp(at(&t, 1, "tlb_miss"), "500") == 0 &&
		      strcmp(at(&t, 1, "alt_dtlb_miss"), "0.0") == 0 &&
		      strcmp(at(&t, 1, "total"), "500.0") == 0,
	      "cell row: %s %s %s", at(&t, 1, "tlb_miss"), at(&t, 1, "alt_dtlb_miss"),
	      at(&t, 1, "total"));
	report_table_free(&t);
	const char *native[] = { "native" };
	struct report_scope only_native = { .configs = native, .nconfigs = 1 };
	CHECK(report_faults(h, &only_native, &t, err, sizeof err) == 1 &&
		      strstr(err, "no complete hypervisor runs"),
	      "natives only: %s", err);
	report_table_free(&t);
}

static void test_query(sqlite3 *h)
{
	struct report_table t;
	char err[256];
	CHECK(query_table(h, "select 1 as a, 'x' as b, 2.5 as c, null as d", NULL, &t, err,
			  sizeof err) == 0 &&
		      t.nrows == 1 && strcmp(t.align, "rlrr") == 0 &&
		      strcmp(t.cells[2], "2.5") == 0 && strcmp(t.cells[3], "") == 0,
	      "a select: %s", err);
	report_table_free(&t);
	CHECK(query_table(h, "config_metrics", NULL, &t, err, sizeof err) == 0 && t.nrows == 2,
	      "a view by name: %u rows (%s)", t.nrows, err);
	report_table_free(&t);
	CHECK(query_table(h, "delete from runs", NULL, &t, err, sizeof err) == -1 &&
		      strstr(err, "only statements that read"),
	      "a write refused: %s", err);
	report_table_free(&t);
	CHECK(query_table(h, "select 1; delete from runs", NULL, &t, err, sizeof err) == -1 &&
		      strstr(err, "one statement at a time"),
	      "a second statement refused: %s", err);
	report_table_free(&t);
	CHECK(query_table(h, "select 1;", NULL, &t, err, sizeof err) == 0, "a trailing ';': %s",
	      err);
	report_table_free(&t);
	CHECK(query_table(h, "select 1; -- one\n /* two */ ;\n", NULL, &t, err, sizeof err) == 0,
	      "comments after the ';': %s", err);
	report_table_free(&t);
	CHECK(query_table(h, "select 1; /* c */ delete from runs", NULL, &t, err, sizeof err) ==
			      -1 &&
		      strstr(err, "one statement at a time"),
	      "a statement after a comment refused: %s", err);
	report_table_free(&t);
	CHECK(query_table(h, "selec 1", NULL, &t, err, sizeof err) == -1 && strstr(err, "syntax"),
	      "bad SQL: SQLite's message (%s)", err);
	report_table_free(&t);
	CHECK(query_table(h, "no_such_view", NULL, &t, err, sizeof err) == -1 &&
		      strstr(err, "no such table"),
	      "an unknown name: %s", err);
	report_table_free(&t);
	CHECK(query_views(h, &t, err, sizeof err) == 0 && t.nrows >= 10 &&
		      strcmp(t.cells[0], "config_metrics") == 0,
	      "the views: %u (%s)", t.nrows, err);
	report_table_free(&t);
	sqlite3_int64 runs = 0;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(h, "select count(*) from runs", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		runs = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	CHECK(runs == 8, "nothing deleted: %lld runs", (long long)runs);
}

int main(void)
{
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	test_stats();
	test_numbers();
	test_formats();
	struct db *db = NULL;
	sqlite3 *h = fixture(&db);
	if (h) {
		test_perf(h);
		test_perf_baseline();
		test_ratio();
		test_perf_other_baseline();
		test_where();
		test_where_types();
		test_where_campaigns();
		test_where_settings();
		test_where_unused();
		test_scope_check_empty();
		test_perf_baseline_place();
		test_perf_baseline_ambiguous();
		test_groups_mixed();
		test_perf_missing_note();
		test_faults_columns();
		test_perf_settings();
		test_perf_settings_baseline();
		test_perf_zero();
		test_faults(h);
		test_faults_many_kinds();
		test_query(h);
		db_close(db);
	}
	test_remove_dir(scratch);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
