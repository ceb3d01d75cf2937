/*
 * test_plots.c - unit test of plots/: the chart table (order, growth,
 * missing cells, safe labels), the numbers each chart query reads from a
 * database built through db.h (normalization to native with time metrics
 * inverted, fault kinds ordered and shared by every panel, vCPU scaling,
 * the campaign and filter scope), the script's quoting, the embedded
 * templates against plots/templates/, and gnuplot drawing a PNG from a
 * generated script (gnuplot is a build dependency: `make deps`).
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../db/tests/inject_counters.h" /* add_inject_counters() */
#include "chart_query.h"
#include "chart_script.h"
#include "check.h"
#include "db.h"
#include "gnuplot_run.h"
#include "report.h"
#include "test_files.h"

static char scratch[] = "/tmp/vtlab-plots-XXXXXX";

static const char *in_scratch(const char *name)
{
	static char buf[4][256];
	static unsigned i;
	char *p = buf[i++ & 3];
	snprintf(p, sizeof buf[0], "%s/%s", scratch, name);
	return p;
}

/* What chart_table_write (or any writer) prints, as a string (freed by
 * the caller). */
static char *written(void (*fn)(const void *, FILE *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(arg, f);
	fclose(f);
	return buf;
}

static void write_table(const void *t, FILE *f)
{
	chart_table_write(t, "corner", f);
}

static void write_label(const void *s, FILE *f)
{
	chart_label_write(s, f);
}

static void write_string(const void *s, FILE *f)
{
	chart_string_write(s, f);
}

static void test_table(void)
{
	struct chart_table t = { 0 };
	CHECK(chart_table_set(&t, "kbuild", "STVT", 0.5) == 0, "set");
	CHECK(chart_table_set(&t, "jbb", "HTVT", 2) == 0, "set");
	CHECK(chart_table_set(&t, "kbuild", "HTVT", 0.75) == 0, "set");
	CHECK(t.nrows == 2 && t.ncols == 2, "%u x %u", t.nrows, t.ncols);
	CHECK(strcmp(t.rows[0], "kbuild") == 0 && strcmp(t.cols[1], "HTVT") == 0,
	      "first-set order");
	CHECK(chart_table_get(&t, 0, 1) == 0.75 && chart_table_get(&t, 1, 1) == 2, "values");
	CHECK(isnan(chart_table_get(&t, 1, 0)), "a cell never set is missing");
	CHECK(isnan(chart_table_get(&t, 5, 0)), "out of range is missing");
	CHECK(chart_table_max(&t) == 2, "max %g", chart_table_max(&t));
	char *s = written(write_table, &t);
	CHECK(strcmp(s, "\"corner\" \"STVT\" \"HTVT\"\n\"kbuild\" 0.5 0.75\n\"jbb\" ? 2\n") == 0,
	      "written: %s", s);
	free(s);
	/* Past the first capacity (8) in both directions: cells kept. */
	char r[16], c[16];
	for (int i = 0; i < 40; i++) {
		snprintf(r, sizeof r, "r%d", i);
		snprintf(c, sizeof c, "c%d", i);
		chart_table_set(&t, r, c, i);
	}
	CHECK(t.nrows == 42 && t.ncols == 42, "%u x %u", t.nrows, t.ncols);
	CHECK(chart_table_get(&t, 0, 0) == 0.5 && chart_table_get(&t, 1, 1) == 2,
	      "old cells survive growth");
	CHECK(chart_table_get(&t, 41, 41) == 39 && isnan(chart_table_get(&t, 41, 40)), "new cells");
	CHECK(chart_table_col(&t, "c7") == 9 && chart_table_col(&t, "nope") == -1, "col lookup");
	chart_table_free(&t);
	CHECK(t.nrows == 0 && t.cell == NULL, "freed");
}

/* A label from the database can hold anything: it stays one quoted field. */
static void test_quoting(void)
{
	char *s = written(write_label, "a\"b`c\nEOD\td");
	CHECK(strcmp(s, "\"a'b'c EOD d\"") == 0, "label: %s", s);
	free(s);
	s = written(write_string, "it's `rm -rf /`\n");
	CHECK(strcmp(s, "'it''s ''rm -rf /'' '") == 0, "string: %s", s);
	free(s);
	/* A backquote must not close the string: gnuplot reads back the text,
	 * and the system() call around it stays text. */
	const char *marker = in_scratch("pwned");
	char evil[512], *gp = NULL;
	snprintf(evil, sizeof evil, "kb` . system(\"touch %s\") . `x", marker);
	s = written(write_string, evil);
	const char *script = in_scratch("quote.gp"), *printed = in_scratch("quote.txt");
	FILE *sf = fopen(script, "w");
	fprintf(sf, "set print '%s'\nprint ", printed);
	fputs(s, sf);
	fputc('\n', sf);
	fclose(sf);
	free(s);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>/dev/null", script);
	int rc = system(cmd);
	gp = test_read_file(printed);
	CHECK(rc == 0 && access(marker, F_OK) != 0, "a backquote ran a command (status %d)", rc);
	CHECK(gp && strncmp(gp, "kb' . system(", 13) == 0, "read back: %s", gp ? gp : "(none)");
	free(gp);
	enum chart_format f;
	CHECK(chart_format_parse("pdf", &f) == 0 && f == CHART_PDF, "pdf");
	CHECK(chart_format_parse("jpg", &f) == -1, "jpg refused");
}

/* One complete run with its metric and injected-fault counters. */
static void add_run(struct db *db, int64_t campaign, const char *config, const char *workload,
		    unsigned vcpus, unsigned rep, const char *metric, double value,
		    const char *faults)
{
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = workload,
				 .vcpus = vcpus,
				 .repetition = rep };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0, "run_begin: %s", db_errmsg(db));
	add_inject_counters(db, id, faults, false); /* faults: "kind=n,kind=n" */
	struct db_run_result r = { .instructions = 1000000,
				   .cycles = 2000000,
				   .metric_name = metric,
				   .metric_value = value };
	CHECK(db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0, "finish: %s", db_errmsg(db));
}

static struct db *fixture(const char *name)
{
	struct db *db;
	char err[DB_ERR_LEN];
	if (db_open(in_scratch(name), &db, err, sizeof err)) {
		printf("cannot create the fixture: %s\n", err);
		exit(1);
	}
	return db;
}

static void test_perf(void)
{
	struct db *db = fixture("perf.db");
	/* kbuild is a time (lower is better), jbb a rate. */
	add_run(db, 0, "native", "kbuild", 2, 0, "build_seconds", 2.0, "");
	add_run(db, 0, "STVT", "kbuild", 2, 0, "build_seconds", 4.0, "alt_dtlb_miss=10");
	add_run(db, 0, "HTVT", "kbuild", 2, 0, "build_seconds", 2.5, "");
	add_run(db, 0, "HTVT", "kbuild", 2, 1, "build_seconds", 3.5, ""); /* mean 3.0 */
	add_run(db, 0, "native", "jbb", 2, 0, "bops", 100, "");
	add_run(db, 0, "STVT", "jbb", 2, 0, "bops", 80, "");
	add_run(db, 0, "native", "jbb", 1, 0, "bops", 60, "");
	add_run(db, 0, "STVT", "jbb", 1, 0, "bops", 30, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && s.campaign_id == 0, "%s", err);
	struct chart_table t;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0, "perf: %s", err);
	CHECK(s.vcpus == 2, "the largest vCPU count by default: %u", s.vcpus);
	CHECK(t.nrows == 2 && t.ncols == 2, "%u x %u", t.nrows, t.ncols);
	CHECK(t.nrows == 2 && strcmp(t.rows[0], "kbuild") == 0 && strcmp(t.rows[1], "jbb") == 0,
	      "workloads in the order they were run");
	CHECK(t.ncols == 2 && strcmp(t.cols[0], "STVT") == 0 && strcmp(t.cols[1], "HTVT") == 0,
	      "configurations in run order, native left out");
	CHECK(fabs(chart_table_get(&t, 0, 0) - 0.5) < 1e-9, "time inverted: %g",
	      chart_table_get(&t, 0, 0));
	CHECK(fabs(chart_table_get(&t, 0, 1) - 2.0 / 3.0) < 1e-9, "mean of repetitions: %g",
	      chart_table_get(&t, 0, 1));
	CHECK(fabs(chart_table_get(&t, 1, 0) - 0.8) < 1e-9, "rate as is: %g",
	      chart_table_get(&t, 1, 0));
	CHECK(isnan(chart_table_get(&t, 1, 1)), "jbb has no HTVT run");
	chart_table_free(&t);

	s.vcpus = 1;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 && t.nrows == 1 &&
		      fabs(chart_table_get(&t, 0, 0) - 0.5) < 1e-9,
	      "--vcpus 1: %s", err);
	chart_table_free(&t);

	const char *only[] = { "HTVT", NULL };
	s.vcpus = 0;
	s.configs = only;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 && t.ncols == 1 && t.nrows == 1,
	      "--config HTVT: %s", err);
	chart_table_free(&t);

	/* --workload jbb,kbuild: the workloads in the order given. */
	const char *order[] = { "jbb", "kbuild", NULL };
	s.configs = NULL;
	s.workloads = order;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 && t.nrows == 2 &&
		      strcmp(t.rows[0], "jbb") == 0 && strcmp(t.rows[1], "kbuild") == 0 &&
		      fabs(chart_table_get(&t, 0, 0) - 0.8) < 1e-9,
	      "workloads in the order asked: %s %s", err, t.nrows ? t.rows[0] : "");
	chart_table_free(&t);
	s.workloads = NULL;

	/* The default count is the largest with a run to compare, not one
	 * where only native ran; a count no run has is named as such. */
	add_run(db, 0, "native", "kbuild", 8, 0, "build_seconds", 1.0, "");
	s.configs = NULL;
	s.vcpus = 0;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 && s.vcpus == 2,
	      "default vCPUs past a native-only count: %u %s", s.vcpus, err);
	chart_table_free(&t);
	s.vcpus = 7;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == -1 && strstr(err, "at 7 vCPUs") &&
		      strstr(err, "have 1, 2, 8 vCPUs"),
	      "--vcpus 7: %s", err);

	/* No native baseline: a clear error, not an empty chart. */
	add_run(db, 0, "EPT", "fileio", 3, 0, "events_per_second", 10, "");
	s.configs = NULL;
	s.vcpus = 3;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == -1 && strstr(err, "native"),
	      "no native: %s", err);
	db_close(db);
}

static void test_faults_and_scaling(void)
{
	struct db *db = fixture("faults.db");
	add_run(db, 0, "STVT", "kbuild", 1, 0, "build_seconds", 4,
		"alt_dtlb_miss=900,dtlb_miss=50");
	add_run(db, 0, "HTVT", "kbuild", 1, 0, "build_seconds", 2, "dtlb_miss=40,itlb_miss=1");
	add_run(db, 0, "HTVT", "kbuild", 1, 1, "build_seconds", 2, "dtlb_miss=60,itlb_miss=3");
	add_run(db, 0, "STVT", "jbb", 1, 0, "bops", 50, "itlb_miss=7");
	add_run(db, 0, "native", "jbb", 1, 0, "bops", 100, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	char err[512] = "";
	struct chart_panels p;
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0, "%s", err);
	CHECK(chart_query_faults(h, &s, &p, err, sizeof err) == 0, "faults: %s", err);
	CHECK(p.n == 2 && strcmp(p.names[0], "kbuild") == 0 && strcmp(p.names[1], "jbb") == 0,
	      "a panel per workload, in run order");
	if (p.n == 2) {
		struct chart_table *k = &p.tables[0], *j = &p.tables[1];
		CHECK(k->ncols == 3 && j->ncols == 3, "every panel has every kind");
		CHECK(strcmp(k->cols[0], "alt_dtlb_miss") == 0 &&
			      strcmp(k->cols[1], "dtlb_miss") == 0 &&
			      strcmp(j->cols[2], "itlb_miss") == 0,
		      "kinds by total, largest first");
		CHECK(k->nrows == 2 && j->nrows == 1, "rows: configurations that injected");
		CHECK(chart_table_get(k, 1, 1) == 50 && chart_table_get(k, 1, 2) == 2,
		      "HTVT means over repetitions: %g %g", chart_table_get(k, 1, 1),
		      chart_table_get(k, 1, 2));
		CHECK(isnan(chart_table_get(k, 1, 0)), "HTVT injected no alt_dtlb_miss");
	}
	chart_panels_free(&p);

	/* A run with no counter row for a kind (an import stores only the
	 * kinds that happened) injected none of it: the mean is per run. */
	struct db *sparse = fixture("sparse.db");
	add_run(sparse, 0, "STVT", "kbuild", 1, 0, "build_seconds", 4, "dtlb_miss=100");
	add_run(sparse, 0, "STVT", "kbuild", 1, 1, "build_seconds", 4, "alt_dtlb_miss=10");
	add_run(sparse, 0, "STVT", "kbuild", 1, 2, "build_seconds", 4, "");
	struct chart_scope ss = { 0 };
	CHECK(chart_scope_resolve(db_sqlite(sparse), &ss, err, sizeof err) == 0, "%s", err);
	CHECK(chart_query_faults(db_sqlite(sparse), &ss, &p, err, sizeof err) == 0 && p.n == 1,
	      "sparse faults: %s", err);
	if (p.n == 1 && p.tables[0].ncols == 2)
		CHECK(fabs(chart_table_get(&p.tables[0], 0, 0) - 100.0 / 3) < 1e-9 &&
			      fabs(chart_table_get(&p.tables[0], 0, 1) - 10.0 / 3) < 1e-9,
		      "mean per run over the 3 runs: %g %g", chart_table_get(&p.tables[0], 0, 0),
		      chart_table_get(&p.tables[0], 0, 1));
	chart_panels_free(&p);
	db_close(sparse);

	/* One vCPU count: no scaling chart. */
	CHECK(chart_query_scaling(h, &s, &p, err, sizeof err) == -1 && strstr(err, "two or more"),
	      "scaling refused: %s", err);
	add_run(db, 0, "STVT", "kbuild", 4, 0, "build_seconds", 1, "");
	add_run(db, 0, "STVT", "jbb", 4, 0, "bops", 150, "");
	CHECK(chart_query_scaling(h, &s, &p, err, sizeof err) == 0, "scaling: %s", err);
	CHECK(p.n == 2, "%u panels", p.n);
	if (p.n == 2) {
		struct chart_table *k = &p.tables[0];
		CHECK(k->nrows == 2 && strcmp(k->rows[0], "1") == 0 && strcmp(k->rows[1], "4") == 0,
		      "rows are vCPU counts, ascending");
		CHECK(k->ncols == 3 && strcmp(k->cols[0], "STVT") == 0, "every configuration");
		CHECK(chart_table_get(k, 0, 0) == 1 && fabs(chart_table_get(k, 1, 0) - 4) < 1e-9,
		      "time 4 s -> 1 s is a speedup of 4: %g", chart_table_get(k, 1, 0));
		CHECK(isnan(chart_table_get(k, 1, 1)), "HTVT has no 4-vCPU run");
		CHECK(fabs(chart_table_get(&p.tables[1], 1, 0) - 3) < 1e-9, "bops 50 -> 150: %g",
		      chart_table_get(&p.tables[1], 1, 0));
	}
	chart_panels_free(&p);

	/* A workload run at one vCPU count has no scaling to show: no panel
	 * of a lone 1.0; and none at all when no workload has two counts. */
	add_run(db, 0, "STVT", "fileio", 2, 0, "events_per_second", 10, "");
	CHECK(chart_query_scaling(h, &s, &p, err, sizeof err) == 0 && p.n == 2,
	      "no panel for fileio: %u panels %s", p.n, err);
	chart_panels_free(&p);
	struct db *lone = fixture("lone.db");
	add_run(lone, 0, "STVT", "kbuild", 1, 0, "build_seconds", 4, "");
	add_run(lone, 0, "HTVT", "kbuild", 2, 0, "build_seconds", 2, "");
	add_run(lone, 0, "STVT", "jbb", 4, 0, "bops", 5, "");
	struct chart_scope ls = { 0 };
	CHECK(chart_scope_resolve(db_sqlite(lone), &ls, err, sizeof err) == 0, "%s", err);
	CHECK(chart_query_scaling(db_sqlite(lone), &ls, &p, err, sizeof err) == -1 &&
		      strstr(err, "two or more"),
	      "every configuration at one count: %u panels %s", p.n, err);
	chart_panels_free(&p);
	db_close(lone);
	db_close(db);
}

/* A campaign run: a cell of swept params and its modeled cycles. */
static void add_cell(struct db *db, int64_t campaign, const char *config, const char *cell,
		     uint64_t cycles)
{
	char params[256];
	snprintf(params, sizeof params, "{\"campaign_cell\":\"%s\"}", cell);
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = params };
	struct db_run_result r = { .instructions = 1, .cycles = cycles };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0 && db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0,
	      "cell run: %s", db_errmsg(db));
}

/* A campaign run of a cell, repetition rep. */
static void add_cell_rep(struct db *db, int64_t campaign, const char *config, const char *cell,
			 unsigned rep, uint64_t cycles)
{
	char params[256];
	snprintf(params, sizeof params, "{\"campaign_cell\":\"%s\"}", cell);
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .repetition = rep,
				 .params_json = params };
	struct db_run_result r = { .instructions = 1, .cycles = cycles };
	int64_t id;
	CHECK(db_run_begin(db, &m, &id) == 0 && db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0,
	      "cell run: %s", db_errmsg(db));
}

static void write_scaling_script(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_PNG };
	chart_script_scaling(f, &st, in_scratch("scaling-ci.png"), arg, "ci");
}

static void write_scaling_svg(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_SVG };
	chart_script_scaling(f, &st, in_scratch("scaling-ci.svg"), arg, "ci");
}

static void write_sweep_script(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_PNG };
	chart_script_sweep(f, &st, in_scratch("sweep-ci.png"), arg, "ci", "vtlb-buckets");
}

/* Writes script to a file and has gnuplot draw it into png. */
static void draws(const char *script, const char *png)
{
	char err[512] = "";
	const char *gp = in_scratch("ci.gp");
	FILE *f = fopen(gp, "w");
	fputs(script, f);
	fclose(f);
	CHECK(gnuplot_run(gp, png, err, sizeof err) == 0, "gnuplot: %s", err);
}

/* The half-width of the 95% interval of the mean of two runs a and b. */
static double half2(double a, double b)
{
	return 12.7062047 * fabs(a - b) / sqrt(2) / sqrt(2);
}

/* The points of the scaling and sweep charts, ratios of two means as the
 * perf bars are, get their 95% intervals the same way (chart_ci.c), drawn
 * as error bars the key explains; a point of one run has none. */
static void test_lines_ci(void)
{
	struct db *db = fixture("scaling-ci.db");
	add_run(db, 0, "STVT", "kbuild", 1, 0, "build_seconds", 4.0, "");
	add_run(db, 0, "STVT", "kbuild", 1, 1, "build_seconds", 4.4, "");
	add_run(db, 0, "STVT", "kbuild", 2, 0, "build_seconds", 2.0, "");
	add_run(db, 0, "STVT", "kbuild", 2, 1, "build_seconds", 2.4, "");
	add_run(db, 0, "HTVT", "kbuild", 1, 0, "build_seconds", 4.0, "");
	add_run(db, 0, "HTVT", "kbuild", 2, 0, "build_seconds", 2.0, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	struct chart_panels p = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_scaling(h, &s, &p, err, sizeof err) == 0 && p.n == 1,
	      "scaling: %s", err);
	if (p.n == 1 && p.halves) {
		const struct chart_table *t = &p.tables[0], *hv = &p.halves[0];
		int stvt = chart_table_col(hv, "STVT"), htvt = chart_table_col(hv, "HTVT");
		double v = chart_table_get(t, 1, 0);
		double want =
			v * sqrt(pow(half2(2.0, 2.4) / 2.2, 2) + pow(half2(4.0, 4.4) / 4.2, 2));
		double got =
			stvt >= 0 && hv->nrows == 1 ? chart_table_get(hv, 0, (unsigned)stvt) : NAN;
		CHECK(fabs(v - 4.2 / 2.2) < 1e-9 && fabs(got - want) < 1e-4,
		      "STVT at 2 vCPUs carries both spreads: %g, want %g", got, want);
		CHECK(htvt < 0 || isnan(chart_table_get(hv, 0, (unsigned)htvt)),
		      "one HTVT run a count: no interval");
	} else {
		CHECK(p.halves != NULL, "the scaling chart's intervals");
	}
	char *script = written(write_scaling_script, &p);
	CHECK(strstr(script, "errorbars = 1") && strstr(script, "colstep = 2") &&
		      strstr(script, "\"STVT ±95%\"") && strstr(script, "\"1\" 1 ? 1 ?\n") &&
		      strstr(script, "panel_cols[1] = \"2 4\"") &&
		      strstr(script, "panel_errcols[1] = \"2\"") &&
		      strstr(script, "95% confidence interval") && strstr(script, "yerrorbars"),
	      "points and intervals in pairs, explained in the key:\n%s", script);
	draws(script, in_scratch("scaling-ci.png"));
	free(script);
	/* The error bars visible: the points small and beside each other's
	 * (dodged), the bars' caps wider than a point and drawn before the
	 * points (drawn after, gnuplot blanks a disc around each point over
	 * them); their point a dot, not of size 0, whose SVG, scale(0.00),
	 * librsvg refuses to draw (the whole chart). */
	script = written(write_scaling_svg, &p);
	const char *bars = strstr(script, "with yerrorbars"),
		   *pts = strstr(script, "ps line_ps'\n");
	CHECK(bars && pts && bars < pts && strstr(bars, "pt 0") < pts &&
		      strstr(script, "dodge(series_of(int(c)))") &&
		      strstr(script, "set errorbars 1.5") && strstr(script, "line_ps = 0.6"),
	      "error bars, then dodged small points:\n%s", script);
	draws(script, in_scratch("scaling-ci.svg"));
	free(script);
	char *svg = test_read_file(in_scratch("scaling-ci.svg"));
	CHECK(svg && strstr(svg, "<use") && !strstr(svg, "scale(0.00)"),
	      "an SVG librsvg draws: no point of size 0");
	free(svg);
	chart_panels_free(&p);
	db_close(db);

	db = fixture("sweep-ci.db");
	int64_t c;
	db_campaign_get_or_create(db, "sw", NULL, &c);
	add_cell_rep(db, c, "native", "", 0, 1000);
	add_cell_rep(db, c, "native", "", 1, 1100);
	add_cell_rep(db, c, "HTVT", "vtlb-buckets=64", 0, 3000);
	add_cell_rep(db, c, "HTVT", "vtlb-buckets=64", 1, 3300);
	add_cell_rep(db, c, "HTVT", "vtlb-buckets=8", 0, 4000);
	h = db_sqlite(db);
	struct chart_scope s2 = { 0 };
	CHECK(chart_scope_resolve(h, &s2, err, sizeof err) == 0 &&
		      chart_query_sweep(h, &s2, "vtlb-buckets", &p, err, sizeof err) == 0 &&
		      p.n == 1,
	      "sweep: %s", err);
	if (p.n == 1 && p.halves) {
		const struct chart_table *hv = &p.halves[0];
		double want =
			3150.0 / 1050 *
			sqrt(pow(half2(3000, 3300) / 3150, 2) + pow(half2(1000, 1100) / 1050, 2));
		CHECK(hv->nrows == 2 && hv->ncols == 1 &&
			      fabs(chart_table_get(hv, 0, 0) - want) < 1e-4 &&
			      isnan(chart_table_get(hv, 1, 0)),
		      "64 buckets: %g, want %g; 8 buckets (one run): none",
		      hv->nrows ? chart_table_get(hv, 0, 0) : NAN, want);
	} else {
		CHECK(p.halves != NULL, "the sweep chart's intervals");
	}
	script = written(write_sweep_script, &p);
	CHECK(strstr(script, "errorbars = 1") && strstr(script, "\"8\" 3.80952 ?\n") &&
		      strstr(script, "95% confidence interval"),
	      "sweep intervals:\n%s", script);
	draws(script, in_scratch("sweep-ci.png"));
	free(script);
	chart_panels_free(&p);
	db_close(db);
}

/* Draws script into png as draws() does, and returns the largest y of
 * the data gnuplot plotted in its last panel (GPVAL_DATA_Y_MAX). */
static double drawn_y_max(const char *script, const char *png)
{
	char err[512] = "";
	const char *gp = in_scratch("ymax.gp"), *out = in_scratch("ymax.txt");
	FILE *f = fopen(gp, "w");
	fprintf(f, "%s\nset print '%s'\nprint GPVAL_DATA_Y_MAX\nunset print\n", script, out);
	fclose(f);
	CHECK(gnuplot_run(gp, png, err, sizeof err) == 0, "gnuplot: %s", err);
	char *text = test_read_file(out);
	double y = text ? strtod(text, NULL) : NAN;
	free(text);
	return y;
}

/* Scaling and sweep charts of one run a point, as a campaign of one
 * repetition makes them: no interval anywhere, the points still drawn
 * (gnuplot reads the error bars' clause once even when it iterates over
 * no column, and plots its first point with c = ""; its y must be NaN
 * then, or the second series' first value, taken as the first's
 * half-width, stretches the y axis: the vtlb-sweep chart's went to 9 for
 * points below 4.1). */
static void test_lines_no_ci(void)
{
	struct db *db = fixture("scaling-one.db");
	add_run(db, 0, "STVT", "kbuild", 1, 0, "build_seconds", 4.0, "");
	add_run(db, 0, "STVT", "kbuild", 2, 0, "build_seconds", 5.0, "");
	add_run(db, 0, "HTVT", "kbuild", 1, 0, "build_seconds", 4.0, "");
	add_run(db, 0, "HTVT", "kbuild", 2, 0, "build_seconds", 4.0, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	struct chart_panels p = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_scaling(h, &s, &p, err, sizeof err) == 0 && p.n == 1,
	      "scaling: %s", err);
	char *script = written(write_scaling_script, &p);
	CHECK(strstr(script, "panel_errcols[1] = \"\""), "no error column:\n%s", script);
	/* the name the script writes; STVT 1 and 0.8, HTVT 1 and 1 */
	double top = drawn_y_max(script, in_scratch("scaling-ci.png"));
	CHECK(fabs(top - 1.0) < 1e-9, "the data's top is 1, not STVT's 1 + HTVT's 1: %g", top);
	free(script);
	chart_panels_free(&p);
	db_close(db);

	db = fixture("sweep-one.db");
	int64_t c;
	db_campaign_get_or_create(db, "sw", NULL, &c);
	add_cell(db, c, "native", "", 1000);
	add_cell(db, c, "HTVT", "vtlb-buckets=64", 3000);
	add_cell(db, c, "HTVT", "vtlb-buckets=8", 4000);
	h = db_sqlite(db);
	struct chart_scope s2 = { 0 };
	CHECK(chart_scope_resolve(h, &s2, err, sizeof err) == 0 &&
		      chart_query_sweep(h, &s2, "vtlb-buckets", &p, err, sizeof err) == 0 &&
		      p.n == 1,
	      "sweep: %s", err);
	script = written(write_sweep_script, &p);
	CHECK(strstr(script, "panel_errcols[1] = \"\""), "no error column:\n%s", script);
	draws(script, in_scratch("sweep-ci.png"));
	free(script);
	chart_panels_free(&p);
	db_close(db);
}

/* The sweep chart: x = the param's values in the order they ran, a line
 * per configuration and value of the other swept params, y = cycles over
 * native's. */
/* The perf bars' 95% intervals: a ratio of two means carries the spread
 * of both (chart_ci.c); a bar of one run has none, and a chart with no
 * interval draws no error bars. */
static void write_perf_ci_script(const void *arg, FILE *f)
{
	const struct chart_table *const *t = arg;
	struct chart_style st = { .format = CHART_PNG };
	chart_script_perf(f, &st, in_scratch("perf-ci.png"), t[0], t[1], "ci", "native");
}

static void test_perf_ci(void)
{
	struct db *db = fixture("perf-ci.db");
	add_run(db, 0, "native", "kbuild", 2, 0, "build_seconds", 2.0, "");
	add_run(db, 0, "native", "kbuild", 2, 1, "build_seconds", 2.2, "");
	add_run(db, 0, "HTVT", "kbuild", 2, 0, "build_seconds", 3.0, "");
	add_run(db, 0, "HTVT", "kbuild", 2, 1, "build_seconds", 3.4, "");
	add_run(db, 0, "STVT", "kbuild", 2, 0, "build_seconds", 4.0, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	char err[512] = "";
	struct chart_table t, half;
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_perf(h, &s, &t, err, sizeof err) == 0,
	      "perf: %s", err);
	CHECK(chart_query_perf_ci(h, &s, &t, &half, err, sizeof err) == 0, "ci: %s", err);
	/* native 2.1 +- t(1) 0.1414/sqrt(2), HTVT 3.2 +- t(1) 0.2828/sqrt(2):
	 * relative half-widths 0.60505 and 0.79413, bar 2.1 / 3.2 */
	int htvt = chart_table_col(&half, "HTVT"), stvt = chart_table_col(&half, "STVT");
	double want = 2.1 / 3.2 * sqrt(0.605046 * 0.605046 + 0.794125 * 0.794125);
	double got = htvt >= 0 && half.nrows ? chart_table_get(&half, 0, (unsigned)htvt) : NAN;
	CHECK(fabs(got - want) < 1e-4, "HTVT's interval carries both spreads: %g, want %g", got,
	      want);
	CHECK(stvt < 0 || half.nrows == 0 || isnan(chart_table_get(&half, 0, (unsigned)stvt)),
	      "one STVT run: no interval");

	const struct chart_table *both[2] = { &t, &half };
	char *script = written(write_perf_ci_script, both);
	CHECK(strstr(script, "errorbars = 1") && strstr(script, "\"HTVT ±95%\"") &&
		      strstr(script, "\"kbuild\" 0.65625 0.655172 0.525 0\n"),
	      "bars and intervals in pairs:\n%s", script);
	CHECK(strstr(script, "95% confidence interval") != NULL, "the error bars are explained");
	const char *gp = in_scratch("perf-ci.gp");
	FILE *f = fopen(gp, "w");
	fputs(script, f);
	fclose(f);
	free(script);
	CHECK(gnuplot_run(gp, in_scratch("perf-ci.png"), err, sizeof err) == 0, "gnuplot: %s", err);

	/* without any interval: plain bars, no zero-length error bars */
	both[1] = NULL;
	script = written(write_perf_ci_script, both);
	CHECK(strstr(script, "errorbars = 0") && !strstr(script, "±95%"), "no intervals:\n%s",
	      script);
	free(script);
	chart_table_free(&half);
	chart_table_free(&t);
	db_close(db);
}

static void test_sweep(void)
{
	struct db *db = fixture("sweep.db");
	int64_t c;
	db_campaign_get_or_create(db, "sw", NULL, &c);
	add_cell(db, c, "native", "", 1000);
	add_cell(db, c, "HTVT", "vtlb-buckets=64 track=full", 3000);
	add_cell(db, c, "HTVT", "vtlb-buckets=64 track=partial", 2000);
	add_cell(db, c, "HTVT", "vtlb-buckets=8 track=full", 4000);
	add_cell(db, c, "STVT", "track=full", 5000); /* no buckets: not in the chart */
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	struct chart_panels p = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0, "scope: %s", err);
	CHECK(chart_query_sweep(h, &s, "vtlb-buckets", &p, err, sizeof err) == 0 && p.n == 1,
	      "sweep: %s", err);
	if (p.n == 1) {
		const struct chart_table *t = &p.tables[0];
		CHECK(strcmp(p.names[0], "kbuild") == 0 && t->nrows == 2 && t->ncols == 2 &&
			      strcmp(t->rows[0], "64") == 0 && strcmp(t->rows[1], "8") == 0 &&
			      strcmp(t->cols[0], "HTVT track=full") == 0 &&
			      strcmp(t->cols[1], "HTVT track=partial") == 0,
		      "rows and series: %u x %u", t->nrows, t->ncols);
		CHECK(chart_table_get(t, 0, 0) == 3.0 && chart_table_get(t, 0, 1) == 2.0 &&
			      chart_table_get(t, 1, 0) == 4.0 && isnan(chart_table_get(t, 1, 1)),
		      "time over native's");
	}
	chart_panels_free(&p);
	CHECK(chart_query_sweep(h, &s, "mem", &p, err, sizeof err) == -1 &&
		      strstr(err, "--param mem"),
	      "a param the campaign did not sweep: %s", err);
	chart_panels_free(&p);
	const char *hv[] = { "HTVT", NULL };
	s.configs = hv; /* the lines of HTVT, still against native */
	CHECK(chart_query_sweep(h, &s, "vtlb-buckets", &p, err, sizeof err) == 0 && p.n == 1 &&
		      p.tables[0].ncols == 2 && chart_table_get(&p.tables[0], 0, 1) == 2.0,
	      "--config HTVT: %s", err);
	chart_panels_free(&p);
	/* the perf chart's HTVT bar averages 3 cells; STVT and native have one */
	char what[256];
	s.configs = NULL;
	CHECK(chart_scope_mixed(h, &s, what, sizeof what, err, sizeof err) == 1 &&
		      strcmp(what,
			     "HTVT kbuild 2 vCPUs: vtlb-buckets=64 track=full | "
			     "vtlb-buckets=64 track=partial | vtlb-buckets=8 track=full") == 0,
	      "mixed bars: 1, '%s' (%s)", what, err);
	const char *st[] = { "STVT", "native", NULL };
	s.configs = st;
	CHECK(chart_scope_mixed(h, &s, what, sizeof what, err, sizeof err) == 0 && !what[0],
	      "--config STVT,native: no bar averages different runs ('%s')", what);
	db_close(db);
	db = fixture("sweep-no-native.db");
	db_campaign_get_or_create(db, "sw", NULL, &c);
	add_cell(db, c, "HTVT", "vtlb-buckets=64", 3000);
	h = db_sqlite(db);
	struct chart_scope s2 = { 0 };
	CHECK(chart_scope_resolve(h, &s2, err, sizeof err) == 0 &&
		      chart_query_sweep(h, &s2, "vtlb-buckets", &p, err, sizeof err) == -1 &&
		      strstr(err, "no native run"),
	      "no native run: %s", err);
	chart_panels_free(&p);
	db_close(db);
}

static void test_scope(void)
{
	struct db *db = fixture("scope.db");
	int64_t a, b;
	db_campaign_get_or_create(db, "alpha", "a.xml", &a);
	db_campaign_get_or_create(db, "beta", "b.xml", &b);
	add_run(db, a, "native", "kbuild", 1, 0, "build_seconds", 1, "");
	add_run(db, a, "STVT", "kbuild", 1, 0, "build_seconds", 2, "");
	add_run(db, b, "native", "kbuild", 1, 0, "build_seconds", 1, "");
	add_run(db, b, "STVT", "kbuild", 1, 0, "build_seconds", 4, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == -1 && strstr(err, "alpha, beta") &&
		      strstr(err, "--campaign"),
	      "several campaigns need a choice: %s", err);
	s.campaign = "beta";
	struct chart_table t;
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && s.campaign_id == b &&
		      strcmp(s.campaign_name, "beta") == 0,
	      "beta: %s", err);
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 &&
		      fabs(chart_table_get(&t, 0, 0) - 0.25) < 1e-9,
	      "only beta's runs: %s %g", err, chart_table_get(&t, 0, 0));
	chart_table_free(&t);
	/* A run still being written and a failed one: left out, and counted. */
	struct db_run_meta m = {
		.campaign_id = b, .config = "HTVT", .workload = "kbuild", .vcpus = 1
	};
	int64_t id, unfinished = -1;
	db_run_begin(db, &m, &id);
	db_run_begin(db, &m, &id);
	db_run_finish(db, id, NULL, DB_RUN_FAILED);
	CHECK(chart_scope_unfinished(h, &s, &unfinished, err, sizeof err) == 0 && unfinished == 2,
	      "unfinished: %lld %s", (long long)unfinished, err);
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == 0 && t.ncols == 1,
	      "an unfinished configuration has no bar: %u", t.ncols);
	chart_table_free(&t);
	s.campaign = "gamma";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == -1 && strstr(err, "gamma"),
	      "unknown campaign: %s", err);
	db_close(db);

	db = fixture("empty.db");
	s.campaign = NULL;
	CHECK(chart_scope_resolve(db_sqlite(db), &s, err, sizeof err) == -1 &&
		      strstr(err, "no complete run"),
	      "empty: %s", err);
	db_close(db);
}

/* Runs outside campaigns beside a campaign's: "--campaign -" selects
 * them (it is no campaign's name), the error without --campaign names
 * them, and each scope's bars are over its own native. */
static void test_scope_outside(void)
{
	struct db *db = fixture("outside.db");
	int64_t a;
	db_campaign_get_or_create(db, "alpha", "a.xml", &a);
	add_run(db, a, "native", "kbuild", 1, 0, "build_seconds", 1, "");
	add_run(db, a, "STVT", "kbuild", 1, 0, "build_seconds", 2, "");
	add_run(db, 0, "native", "kbuild", 1, 0, "build_seconds", 2, "");
	add_run(db, 0, "STVT", "kbuild", 1, 0, "build_seconds", 3, "");
	add_run(db, 0, "native", "jbb", 1, 0, "bops", 100, "");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	struct chart_table t;
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == -1 &&
		      strstr(err, "- (runs outside campaigns)") && strstr(err, "alpha"),
	      "two scopes, one of them the runs outside campaigns: %s", err);
	/* build_seconds inverted: 2 s over 3 s, and 1 s over 2 s */
	s.campaign = "-";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && s.campaign_id == 0 &&
		      chart_query_perf(h, &s, &t, err, sizeof err) == 0 &&
		      fabs(chart_table_get(&t, 0, 0) - 2.0 / 3) < 1e-9,
	      "--campaign -: over the native outside campaigns: %s %g", err,
	      chart_table_get(&t, 0, 0));
	chart_table_free(&t);
	s.campaign = "alpha";
	s.vcpus = 0;
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_perf(h, &s, &t, err, sizeof err) == 0 &&
		      fabs(chart_table_get(&t, 0, 0) - 0.5) < 1e-9,
	      "alpha: over alpha's native: %s %g", err, chart_table_get(&t, 0, 0));
	chart_table_free(&t);
	/* jbb has native alone: no bar, said per vCPU count when one is given */
	const char *jbb[] = { "jbb", NULL }, *nope[] = { "nope", NULL };
	s.campaign = "-";
	s.workloads = jbb;
	s.vcpus = 0;
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_perf(h, &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "no complete run other than native in the chosen campaign"),
	      "native alone: %s", err);
	s.vcpus = 1;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == -1 &&
		      strcmp(err, "no complete run other than native at 1 vCPU") == 0,
	      "native alone at --vcpus 1: %s", err);
	s.workloads = nope;
	s.vcpus = 3;
	CHECK(chart_query_perf(h, &s, &t, err, sizeof err) == -1 &&
		      strstr(err, "the chosen runs have no vCPUs"),
	      "no runs at all: %s", err);
	db_close(db);
}

/* The faults chart's kinds: by total, ties by name; a kind or a
 * configuration of zero counts only is no column or row, and the vCPU
 * count chosen is the largest at which a fault was injected. */
static void test_fault_kinds(void)
{
	struct db *db = fixture("fault-kinds.db");
	add_run(db, 0, "STVT", "kbuild", 1, 0, "build_seconds", 1, "tie_b=3,tie_a=3,big=9,zero=0");
	add_run(db, 0, "HTVT", "kbuild", 1, 0, "build_seconds", 1, "big=0");
	add_run(db, 0, "STVT", "kbuild", 4, 0, "build_seconds", 1, "zero=0");
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { 0 };
	struct chart_panels p = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_faults(h, &s, &p, err, sizeof err) == 0 && p.n == 1 &&
		      s.vcpus == 1,
	      "faults at 1 vCPU: %s (%u vCPUs)", err, s.vcpus);
	if (p.n == 1) {
		const struct chart_table *t = &p.tables[0];
		CHECK(t->ncols == 3 && strcmp(t->cols[0], "big") == 0 &&
			      strcmp(t->cols[1], "tie_a") == 0 && strcmp(t->cols[2], "tie_b") == 0,
		      "kinds big, tie_a, tie_b: %u columns, %s %s", t->ncols, t->cols[0],
		      t->ncols > 1 ? t->cols[1] : "");
		CHECK(t->nrows == 1 && strcmp(t->rows[0], "STVT") == 0,
		      "STVT alone (HTVT injected none): %u rows", t->nrows);
	}
	chart_panels_free(&p);
	db_close(db);
}

/* The value of t at (row, col), NAN when it has no such cell. */
static double cell_of(const struct chart_table *t, const char *row, const char *col)
{
	int c = chart_table_col(t, col);
	for (unsigned r = 0; c >= 0 && r < t->nrows; r++)
		if (strcmp(t->rows[r], row) == 0)
			return chart_table_get(t, r, (unsigned)c);
	return NAN;
}

/* The sweep chart over mem, a param native takes too (campaign "e", two
 * repetitions a cell): native is the baseline, not a line; a series is
 * its configuration alone when the cell has nothing else, and two series
 * at one x each keep their interval (HTVT's 2G cell is run first, so
 * its column is there, empty at 1G, when its 1G point is added after
 * STVT's: only a second point of one series drops the interval).  Campaign "v": one cell at 1 and 2
 * vCPUs, the vCPU count in the series.  Neither has a metric to scale. */
static void test_sweep_edges(void)
{
	struct db *db = fixture("sweep-edges.db");
	int64_t e, v;
	db_campaign_get_or_create(db, "e", NULL, &e);
	db_campaign_get_or_create(db, "v", NULL, &v);
	static const struct {
		const char *config, *cell;
		uint64_t cycles;
	} runs[] = { { "native", "mem=1G", 1000 },
		     { "native", "mem=2G", 2000 },
		     { "HTVT", "mem=2G", 4000 },
		     { "HTVT", "mem=1G", 3000 },
		     { "STVT", "mem=1G", 5000 } };
	for (unsigned i = 0; i < 5; i++)
		for (unsigned rep = 0; rep < 2; rep++)
			add_cell_rep(db, e, runs[i].config, runs[i].cell, rep,
				     runs[i].cycles + 100 * rep);
	sqlite3 *h = db_sqlite(db);
	struct chart_scope s = { .campaign = "e" };
	struct chart_panels p = { 0 };
	char err[512] = "";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 &&
		      chart_query_sweep(h, &s, "mem", &p, err, sizeof err) == 0 && p.n == 1,
	      "sweep mem: %s", err);
	if (p.n == 1) {
		const struct chart_table *t = &p.tables[0];
		CHECK(t->ncols == 2 && chart_table_col(t, "HTVT") >= 0 &&
			      chart_table_col(t, "STVT") >= 0,
		      "series HTVT and STVT, no native: %u, '%s'", t->ncols, t->cols[0]);
		CHECK(!isnan(cell_of(&p.halves[0], "1G", "HTVT")) &&
			      !isnan(cell_of(&p.halves[0], "1G", "STVT")),
		      "both points at 1G have an interval: %g %g",
		      cell_of(&p.halves[0], "1G", "HTVT"), cell_of(&p.halves[0], "1G", "STVT"));
	}
	chart_panels_free(&p);
	CHECK(chart_query_sweep(h, &s, "me", &p, err, sizeof err) == -1 &&
		      strstr(err, "--param me"),
	      "a prefix of a param is not it: %s", err);
	chart_panels_free(&p);
	const char *nope[] = { "nope", NULL };
	s.workloads = nope;
	CHECK(chart_query_sweep(h, &s, "mem", &p, err, sizeof err) == -1 &&
		      strcmp(err, "no complete runs to draw") == 0,
	      "no runs: %s", err);
	chart_panels_free(&p);
	add_cell(db, v, "native", "mem=1G", 1000);
	add_cell(db, v, "HTVT", "mem=1G", 3000);
	add_cell(db, v, "native", "mem=1G", 1000);
	add_cell(db, v, "HTVT", "mem=1G", 2000);
	/* e's runs are 1-10: v's first native and HTVT run at 1 vCPU */
	sqlite3_exec(h, "UPDATE runs SET vcpus = 1 WHERE id IN (11, 12)", NULL, NULL, NULL);
	struct chart_scope sv = { .campaign = "v" };
	CHECK(chart_scope_resolve(h, &sv, err, sizeof err) == 0 &&
		      chart_query_sweep(h, &sv, "mem", &p, err, sizeof err) == 0 && p.n == 1 &&
		      p.tables[0].ncols == 2 && strcmp(p.tables[0].cols[0], "HTVT 1 vCPU") == 0 &&
		      strcmp(p.tables[0].cols[1], "HTVT 2 vCPUs") == 0,
	      "a series per vCPU count: %s %s", err,
	      p.n == 1 && p.tables[0].ncols ? p.tables[0].cols[0] : "");
	chart_panels_free(&p);
	CHECK(chart_query_scaling(h, &sv, &p, err, sizeof err) == -1 &&
		      strstr(err, "no run has a metric to scale"),
	      "scaling without metrics: %s", err);
	chart_panels_free(&p);
	db_close(db);
}

/* A scalar of a query on h; -1 when it fails. */
static double scalar(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	double v = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A campaign "sweep" of native and HTVT with the walker off and on; then
 * view config_metrics's statement replaced by `sql` when not NULL (a
 * database made elsewhere: SQLite loads the text as stored). */
static const char *where_db(const char *name, const char *sql)
{
	struct db *db = fixture(name);
	int64_t c;
	db_campaign_get_or_create(db, "sweep", NULL, &c);
	add_cell(db, c, "native", "", 100);
	add_cell(db, c, "HTVT", "guest-vhpt-walker=on", 200);
	add_cell(db, c, "HTVT", "guest-vhpt-walker=off", 400);
	db_close(db);
	sqlite3 *h;
	if (sql && sqlite3_open(in_scratch(name), &h) == SQLITE_OK) {
		sqlite3_stmt *st = NULL;
		CHECK(sqlite3_exec(h, "PRAGMA writable_schema = ON", NULL, NULL, NULL) == 0 &&
			      sqlite3_prepare_v2(h,
						 "UPDATE sqlite_master SET sql = ?1 WHERE name = "
						 "'config_metrics'",
						 -1, &st, NULL) == 0 &&
			      sqlite3_bind_text(st, 1, sql, -1, SQLITE_STATIC) == 0 &&
			      sqlite3_step(st) == SQLITE_DONE,
		      "crafting %s: %s", name, sqlite3_errmsg(h));
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	return in_scratch(name);
}

#define CONFIG_METRICS_HEAD                                                                        \
	"CREATE VIEW config_metrics AS SELECT campaign_id, workload, vcpus, config, "              \
	"count(*) AS runs, max(metric_name) AS metric_name, avg(metric_value) AS metric, "         \
	"avg(cycles) AS cycles, avg(instructions) AS instructions, avg(wall_ns) AS wall_ns "       \
	"FROM runs WHERE "
#define CONFIG_METRICS_TAIL " GROUP BY campaign_id, workload, vcpus, config"

/* --where (chart_scope_select): the views the charts read see the selected
 * runs only, and only under that scope: a later resolve of the same
 * connection without --where sees every run again.  A database's own
 * view statements are not trusted: a view of many "status = 'complete'"
 * still selects, and a statement after a view's is not run. */
static void test_where_views(void)
{
	struct report_where on[] = { { "guest-vhpt-walker", "on" } };
	struct chart_scope s = { .campaign = "sweep", .where = on, .nwhere = 1 };
	char err[512] = "";
	struct db *db;
	CHECK(db_open_readonly(where_db("where.db", NULL), &db, err, sizeof err) == 0, "%s", err);
	sqlite3 *h = db_sqlite(db);
	static const char runs[] = "SELECT sum(runs) FROM config_metrics";
	static const char htvt[] = "SELECT cycles FROM config_metrics WHERE config = 'HTVT'";
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && scalar(h, runs) == 2 &&
		      scalar(h, htvt) == 200,
	      "walker on: native and HTVT on: %g runs, %g cycles (%s)", scalar(h, runs),
	      scalar(h, htvt), err);
	struct chart_scope all = { .campaign = "sweep" };
	CHECK(chart_scope_resolve(h, &all, err, sizeof err) == 0 && scalar(h, runs) == 3 &&
		      scalar(h, htvt) == 300,
	      "then no --where on the same connection: every run: %g runs, %g cycles (%s)",
	      scalar(h, runs), scalar(h, htvt), err);
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && scalar(h, runs) == 2,
	      "and --where again: %g runs (%s)", scalar(h, runs), err);
	db_close(db);

	char many[8192] = CONFIG_METRICS_HEAD "(status = 'complete'";
	for (int i = 0; i < 150; i++)
		strcat(many, " OR status = 'complete'");
	strcat(many, ")" CONFIG_METRICS_TAIL);
	CHECK(db_open_readonly(where_db("many.db", many), &db, err, sizeof err) == 0, "%s", err);
	h = db_sqlite(db);
	CHECK(chart_scope_resolve(h, &s, err, sizeof err) == 0 && scalar(h, runs) == 2,
	      "a view of 151 \"status = 'complete'\": %g runs (%s)", scalar(h, runs), err);
	db_close(db);

	CHECK(db_open_readonly(where_db("tail.db", CONFIG_METRICS_HEAD
					"status = 'complete'" CONFIG_METRICS_TAIL
					"; CREATE TEMP TABLE vtlab_not_ours(x)"),
			       &db, err, sizeof err) == 0,
	      "%s", err);
	h = db_sqlite(db);
	int rc = chart_scope_resolve(h, &s, err, sizeof err);
	CHECK(scalar(h, "SELECT count(*) FROM temp.sqlite_master WHERE name = 'vtlab_not_ours'") ==
			      0 &&
		      rc == -1 && strstr(err, "config_metrics"),
	      "a view's statement with another after it: refused, not run: %d %s", rc, err);
	db_close(db);
}

/* plots/chart_templates.c holds exactly the files of plots/templates. */
static void test_templates_in_sync(void)
{
	static const struct {
		const char *name, *text;
	} t[] = { { "style", chart_style_gp },     { "panels", chart_panels_gp },
		  { "perf", chart_perf_gp },       { "faults", chart_faults_gp },
		  { "scaling", chart_scaling_gp }, { "sweep", chart_sweep_gp } };
	char dir[512];
	snprintf(dir, sizeof dir, "%s", __FILE__); /* plots/tests/test_plots.c */
	char *cut = strstr(dir, "tests/test_plots.c");
	CHECK(cut != NULL, "cannot locate plots/ from %s", __FILE__);
	if (!cut)
		return;
	*cut = 0;
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		char path[600];
		snprintf(path, sizeof path, "%stemplates/%s.gp", dir, t[i].name);
		char *text = test_read_file(path);
		CHECK(text && strcmp(text, t[i].text) == 0,
		      "plots/chart_templates.c is stale for %s: run make", path);
		free(text);
	}
}

static void write_perf_script(const void *arg, FILE *f)
{
	const struct chart_table *t = arg;
	struct chart_style st = { .format = CHART_PNG };
	chart_script_perf(f, &st, in_scratch("perf.png"), t, NULL, "it's a test", "native");
}

static void write_pdf_perf(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_PDF };
	chart_script_perf(f, &st, in_scratch("perf.pdf"), arg, NULL, "pdf", "native");
}

static void write_pdf_faults(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_PDF };
	chart_script_faults(f, &st, in_scratch("faults.pdf"), arg, "pdf");
}

/* A PDF is for a paper: text a real 8 pt (pdfcairo's fontscale is 0.5
 * unless told, and its points are 4/3 of a real one: 'Sans,8' alone was
 * 5.3 pt), one column (3.4 in) wide for one panel and both columns for
 * several; the key of a chart of panels spans the page, not a panel. */
static void test_pdf_size(void)
{
	struct chart_table t = { 0 };
	chart_table_set(&t, "kbuild", "STVT", 0.46);
	chart_table_set(&t, "kbuild", "HTVT", 0.65);
	char *script = written(write_pdf_perf, &t);
	CHECK(strstr(script, "set terminal pdfcairo size 3.40in,2.40in font 'Sans,8' fontscale "
			     "0.75 ") != NULL,
	      "one column, 8 pt: %.200s", script);
	const char *gp = in_scratch("pdf.gp");
	FILE *f = fopen(gp, "w");
	fputs(script, f);
	fclose(f);
	free(script);
	char err[512] = "";
	CHECK(gnuplot_run(gp, in_scratch("perf.pdf"), err, sizeof err) == 0, "gnuplot: %s", err);

	char *names[3] = { "kbuild", "jbb", "fileio" };
	struct chart_table panel[3] = { { 0 } };
	for (unsigned i = 0; i < 3; i++) {
		chart_table_set(&panel[i], "STVT", "dtlb_miss", 100);
		chart_table_set(&panel[i], "STVT", "alt_dtlb_miss", 50);
		chart_table_set(&panel[i], "HTVT", "dtlb_miss", 70);
	}
	struct chart_panels p = { .n = 3, .names = names, .tables = panel };
	script = written(write_pdf_faults, &p);
	CHECK(strstr(script, "set terminal pdfcairo size 7.00in,2.60in font 'Sans,8' fontscale "
			     "0.75 ") != NULL,
	      "several panels: both columns: %.200s", script);
	CHECK(strstr(script, "multiplot layout") == NULL && strstr(script, "@panels_measure") &&
		      strstr(script, "set origin (p - 1) * panel_w, 0"),
	      "the key across the page, the panels above it");
	f = fopen(gp, "w");
	fputs(script, f);
	fclose(f);
	free(script);
	CHECK(gnuplot_run(gp, in_scratch("faults.pdf"), err, sizeof err) == 0, "gnuplot: %s", err);
	for (unsigned i = 0; i < 3; i++)
		chart_table_free(&panel[i]);
	chart_table_free(&t);
}

static void write_svg_perf(const void *arg, FILE *f)
{
	struct chart_style st = { .format = CHART_SVG };
	chart_script_perf(f, &st, in_scratch("perf.svg"), arg, NULL, "svg", "native");
}

/* An SVG's y label is one line when it has room: ImageMagick's renderer
 * turns rotated text the wrong way, and a label of two <text>s then read
 * in the wrong order.  A PDF's stays two lines, for its height. */
static void test_svg_ylabel(void)
{
	struct chart_table t = { 0 };
	chart_table_set(&t, "kbuild", "STVT", 0.46);
	char *pdf = written(write_pdf_perf, &t), *script = written(write_svg_perf, &t);
	CHECK(strstr(pdf, "ylabel_sep = \"\\n\"\n"), "PDF: two lines");
	CHECK(strstr(script, "ylabel_sep = \" \"\n"), "SVG: one line");
	draws(script, in_scratch("perf.svg"));
	char *svg = test_read_file(in_scratch("perf.svg"));
	CHECK(svg && strstr(svg, ">performance / native (higher is better)</text>"),
	      "one <text> for the y label");
	free(svg);
	free(script);
	free(pdf);
	chart_table_free(&t);
}

/* A fault kind a configuration never injected draws nothing: its zero is
 * missing from the data ("?"), and a kind no configuration of a panel
 * injected is not plotted there; the bars' borders are solid whatever the
 * kind's dash type (a dashed white border over a thin hatched segment
 * left specks above the bar). */
static void test_faults_zero(void)
{
	char *names[1] = { "kbuild" };
	struct chart_table t = { 0 };
	chart_table_set(&t, "STVT", "dtlb_miss", 100);
	chart_table_set(&t, "STVT", "itlb_miss", 0);
	chart_table_set(&t, "STVT", "access_fault", 6);
	chart_table_set(&t, "HTVT", "dtlb_miss", 0);
	chart_table_set(&t, "HTVT", "itlb_miss", 0);
	chart_table_set(&t, "HTVT", "access_fault", 3);
	struct chart_panels p = { .n = 1, .names = names, .tables = &t };
	char *script = written(write_pdf_faults, &p);
	CHECK(strstr(script, "\"STVT\" 100 ? 6\n\"HTVT\" ? ? 3\n"), "zeros missing: %.300s",
	      script);
	CHECK(strstr(script, "panel_cols[1] = \"2 4\"\n"), "itlb_miss not plotted: %.400s",
	      strstr(script, "panel_cols") ? strstr(script, "panel_cols") : script);
	CHECK(strstr(script, "panel_top[1] = 106\n") && strstr(chart_faults_gp, "@panels_ytics") &&
		      strstr(chart_scaling_gp, "@panels_ytics") &&
		      strstr(chart_sweep_gp, "@panels_ytics"),
	      "a panel's y tics from the top of its highest stack: %.300s",
	      strstr(script, "panel_top") ? strstr(script, "panel_top") : script);
	CHECK(chart_table_get(&t, 0, 1) == 0, "the caller's table unchanged");
	free(script);
	CHECK(strstr(chart_faults_gp, "keyentry with boxes lt %d dt 1 fs") &&
		      strstr(chart_faults_gp, "notitle lt %d dt 1 ") &&
		      strstr(chart_perf_gp, "lt %d dt 1 fs %s border"),
	      "solid borders on bars and their key");
	chart_table_free(&t);
}

/* Printed in greyscale, no two series may look alike: two linetypes of
 * style.gp whose greys (Rec. 601 and Rec. 709 weights, as pdftoppm -gray
 * and ImageMagick's Gray) are within 25 of 255 must differ in dash type,
 * and their bars in fill, which follows the dash type (bar_fs). */
static void test_greyscale(void)
{
	double g601[16], g709[16];
	int dt[16], n = 0;
	for (const char *l = chart_style_gp; (l = strstr(l, "set linetype ")) != NULL; l++) {
		int lt, d = 1;
		unsigned rgb;
		if (sscanf(l, "set linetype %d lc rgb \"#%6x\"", &lt, &rgb) != 2)
			continue;
		const char *eol = strchr(l, '\n'), *dash = strstr(l, " dt ");
		if (dash && dash < eol)
			d = atoi(dash + 4);
		double r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
		CHECK(lt == n + 1 && n < 16, "linetype %d in order", lt);
		if (lt != n + 1 || n >= 16)
			break;
		g601[n] = 0.299 * r + 0.587 * g + 0.114 * b;
		g709[n] = 0.2126 * r + 0.7152 * g + 0.0722 * b;
		dt[n++] = d;
	}
	CHECK(n >= 12, "%d linetypes: as many as fault kinds", n);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			CHECK(dt[i] != dt[j] || (fabs(g601[i] - g601[j]) >= 25 &&
						 fabs(g709[i] - g709[j]) >= 25),
			      "linetypes %d and %d: greys %.0f/%.0f and %.0f/%.0f, both dash type %d",
			      i + 1, j + 1, g601[i], g709[i], g601[j], g709[j], dt[i]);
	CHECK(strstr(chart_style_gp, "bar_fs(k)") && strstr(chart_perf_gp, "bar_fs(i)") &&
		      strstr(chart_faults_gp, "bar_fs(int(c) - 1)") &&
		      strstr(chart_faults_gp, "bar_fs(k)"),
	      "bars and their key take their fill from bar_fs");
}

/* The whole way: a generated script, gnuplot, a PNG. */
static void test_gnuplot(void)
{
	struct chart_table t = { 0 };
	chart_table_set(&t, "kbuild", "STVT", 0.46);
	chart_table_set(&t, "kbuild", "HTVT", 0.65);
	chart_table_set(&t, "jbb", "STVT", 0.82);
	char *script = written(write_perf_script, &t);
	chart_table_free(&t);
	const char *gp = in_scratch("perf.gp"), *png = in_scratch("perf.png");
	FILE *f = fopen(gp, "w");
	fputs(script, f);
	fclose(f);
	CHECK(strstr(script, "chart_title = 'it''s a test'") != NULL, "title quoted");
	CHECK(strstr(script, "\"jbb\" 0.82 ?") != NULL, "missing cell in the data");
	free(script);
	char err[512] = "";
	CHECK(gnuplot_run(gp, png, err, sizeof err) == 0, "gnuplot: %s", err);
	unsigned char magic[8] = { 0 };
	FILE *p = fopen(png, "rb");
	size_t n = p ? fread(magic, 1, 8, p) : 0;
	if (p)
		fclose(p);
	CHECK(n == 8 && memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0, "a PNG was written");

	/* A broken script: gnuplot's failure is reported, naming the script. */
	f = fopen(gp, "w");
	fputs("set output '/dev/null'\nplot $nothing using 1\n", f);
	fclose(f);
	CHECK(gnuplot_run(gp, png, err, sizeof err) == -1 && strstr(err, gp), "failure: %s", err);
	/* A script that draws nothing into its output. */
	f = fopen(gp, "w");
	fputs("print 'no chart'\n", f);
	fclose(f);
	CHECK(gnuplot_run(gp, in_scratch("none.png"), err, sizeof err) == -1 &&
		      strstr(err, "wrote no"),
	      "no output: %s", err);
	/* A chart cut short, as on a full disk (gnuplot still exits 0):
	 * reported and removed, not left as a broken file said written. */
	const char *cut = in_scratch("cut.png");
	f = fopen(gp, "w");
	fprintf(f, "system(\"head -c 100 '%s' > '%s'\")\n", png, cut);
	fclose(f);
	CHECK(gnuplot_run(gp, cut, err, sizeof err) == -1 && strstr(err, "only part of") &&
		      access(cut, F_OK) != 0,
	      "a PNG cut short: %s", err);
	f = fopen(gp, "w");
	fprintf(f, "system(\"cp '%s' '%s'\")\n", png, cut);
	fclose(f);
	CHECK(gnuplot_run(gp, cut, err, sizeof err) == 0, "a whole PNG copied: %s", err);
}

int main(void)
{
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 2;
	}
	test_table();
	test_quoting();
	test_perf();
	test_perf_ci();
	test_faults_and_scaling();
	test_sweep();
	test_lines_ci();
	test_lines_no_ci();
	test_scope();
	test_scope_outside();
	test_fault_kinds();
	test_sweep_edges();
	test_where_views();
	test_templates_in_sync();
	test_gnuplot();
	test_pdf_size();
	test_faults_zero();
	test_svg_ylabel();
	test_greyscale();
	test_remove_dir(scratch);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
