/*
 * test_plot.c - `vtlab plot` end to end on a database built through db.h:
 * the charts and their scripts land where the help says, in the format
 * asked for; --chart all skips what the data cannot make and says so; a
 * chart asked for by name that the data cannot make is an error (exit 1);
 * unfinished runs are left out with a note; a script that cannot be
 * written whole leaves the previous one; --baseline and --where choose
 * what the bars are relative to and which runs they show.  Runs gnuplot
 * (a build dependency).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cmd_capture.h"
#include "commands.h"
#include "db.h"
#include "test_files.h"

static char dir[] = "/tmp/vtlab-test-plot-XXXXXX";

static char *at(const char *name)
{
	static char buf[4][256];
	static unsigned i;
	char *p = buf[i++ & 3];
	snprintf(p, sizeof buf[0], "%s/%s", dir, name);
	return p;
}

/* Stores run m with `alt` injected Alt-DTLB misses, finished with r and
 * status unless it is still running. */
static void store_run(struct db *db, const struct db_run_meta *m, const struct db_run_result *r,
		      uint64_t alt, enum db_run_status status)
{
	int64_t id;
	CHECK(db_run_begin(db, m, &id) == 0, "%s", db_errmsg(db));
	if (alt)
		db_counter_add(db, id, 0, "inject", "alt_dtlb_miss", alt, 0);
	if (status != DB_RUN_RUNNING)
		db_run_finish(db, id, r, status);
}

static void add_run(struct db *db, const char *config, double seconds, uint64_t alt,
		    enum db_run_status status)
{
	struct db_run_meta m = { .config = config, .workload = "kbuild", .vcpus = 2 };
	struct db_run_result r = { .instructions = 1000,
				   .cycles = 2000,
				   .metric_name = "build_seconds",
				   .metric_value = seconds };
	store_run(db, &m, &r, alt, status);
}

/* Runs cmd_plot with stdout and stderr captured into out; its status. */
static int plot(char **argv, char *out, size_t len)
{
	return cmd_capture_all(cmd_plot, argv, out, len);
}

/* The file exists and starts with magic. */
static int starts_with(const char *path, const char *magic)
{
	char buf[64] = { 0 };
	size_t want = strlen(magic) < sizeof buf ? strlen(magic) : sizeof buf;
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, want, f) : 0;
	if (f)
		fclose(f);
	return n == strlen(magic) && memcmp(buf, magic, n) == 0;
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

/* A complete run of campaign c in cell `cell` (the walker's value in its
 * run parameters too), with `alt` injected faults. */
static void add_cell_run(struct db *db, int64_t c, const char *config, const char *walker,
			 double seconds, uint64_t alt)
{
	char json[160];
	if (walker)
		snprintf(
			json, sizeof json,
			"{\"campaign_cell\":\"guest-vhpt-walker=%s\",\"guest_vhpt_walker\":\"%s\"}",
			walker, walker);
	else
		snprintf(json, sizeof json, "{\"campaign_cell\":\"\"}");
	struct db_run_meta m = { .campaign_id = c,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = json };
	struct db_run_result r = { .instructions = 1000,
				   .cycles = (uint64_t)(seconds * 1000),
				   .metric_name = "build_seconds",
				   .metric_value = seconds };
	store_run(db, &m, &r, alt, DB_RUN_COMPLETE);
}

/* The text of a file (static buffer). */
static const char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return buf;
}

/* A campaign sweeping the guest-VHPT walker off and on, two runs a cell:
 * --where draws one value (the faults chart averaged both), --baseline
 * STVT draws HTVT over STVT, with its interval. */
static void test_where_baseline(void)
{
	struct db *db;
	char err[DB_ERR_LEN], out[8192], path[256];
	snprintf(path, sizeof path, "%s", at("sweep.db"));
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "fixture: %s", err);
		return;
	}
	int64_t c;
	db_campaign_get_or_create(db, "walk", NULL, &c);
	for (int i = 0; i < 2; i++) {
		add_cell_run(db, c, "native", NULL, 1.0 + 0.2 * i, 0);
		add_cell_run(db, c, "STVT", "off", 3.0 + 0.2 * i, 70);
		add_cell_run(db, c, "STVT", "on", 2.0 + 0.2 * i, 7);
		add_cell_run(db, c, "HTVT", "off", 2.0 + 0.2 * i, 50);
		add_cell_run(db, c, "HTVT", "on", 1.5 + 0.2 * i, 5);
	}
	db_close(db);
	int st = plot(
		ARGV("plot", "--db", path, "--chart", "faults", "--where", "guest-vhpt-walker=on"),
		out, sizeof out);
	const char *gp = slurp(at("sweep-faults.png.gp"));
	CHECK(st == 0 && strstr(gp, "\"STVT\" 7\n") && strstr(gp, "\"HTVT\" 5\n") &&
		      !strstr(out, "average"),
	      "faults, walker on only (no note of averaged bars): %d %s\n%s", st, out, gp);
	st = plot(ARGV("plot", "--db", path, "--chart", "faults"), out, sizeof out);
	gp = slurp(at("sweep-faults.png.gp"));
	CHECK(st == 0 && strstr(gp, "\"HTVT\" 27.5\n") &&
		      strstr(out, "note: the faults chart averages over what sets apart"),
	      "without --where both are averaged, with a note naming the chart drawn: %s\n%s", out,
	      gp);
	st = plot(ARGV("plot", "--db", path, "--chart", "perf", "--chart", "faults"), out,
		  sizeof out);
	CHECK(st == 0 && strstr(out, "note: the perf and faults charts average over"),
	      "two charts named: %s", out);
	st = plot(ARGV("plot", "--db", path, "--chart", "perf", "--baseline", "STVT", "--where",
		       "guest_vhpt_walker=1"),
		  out, sizeof out);
	gp = slurp(at("sweep-perf.png.gp"));
	/* HTVT on 1.6 s against STVT on 2.1 s: 2.1 / 1.6 = 1.3125 as
	 * performance; native 2.1 / 1.1 */
	CHECK(st == 0 && strstr(gp, "\"workload\" \"native\" \"native ±95%\" \"HTVT\"") &&
		      strstr(gp, "\"kbuild\" 1.90909 ") && strstr(gp, " 1.3125 ") &&
		      strstr(gp, "errorbars = 1") && strstr(gp, "Performance relative to STVT") &&
		      strstr(gp, "baseline = 'STVT'\n"),
	      "perf against STVT, walker on, with error bars: %d %s\n%s", st, out, gp);
	st = plot(ARGV("plot", "--db", path, "--where", "walker=on"), out, sizeof out);
	CHECK(st == 1 && strstr(out, "--where walker:") && strstr(out, "guest-vhpt-walker"),
	      "an unknown name, and the names there are: %d %s", st, out);
	st = plot(ARGV("plot", "--db", path, "--chart", "perf", "--baseline", "EPT"), out,
		  sizeof out);
	CHECK(st == 1 && strstr(out, "no EPT run"), "no EPT to compare with: %d %s", st, out);
	st = plot(ARGV("plot", "--db", path, "--workload", "kbiuld"), out, sizeof out);
	CHECK(st == 1 && strstr(out, "--workload kbiuld: no complete run") &&
		      strstr(out, "(they have kbuild)") && !strstr(out, "skipped"),
	      "a misspelt --workload: named, with the workloads there are, no chart "
	      "skipped: %d %s",
	      st, out);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	struct db *db;
	char err[DB_ERR_LEN], out[8192];
	char dbpath[256];
	snprintf(dbpath, sizeof dbpath, "%s", at("lab.db"));
	if (db_open(dbpath, &db, err, sizeof err)) {
		printf("fixture: %s\n", err);
		return 1;
	}
	add_run(db, "native", 1.0, 0, DB_RUN_COMPLETE);
	add_run(db, "STVT", 2.0, 500, DB_RUN_COMPLETE);
	add_run(db, "HTVT", 1.5, 0, DB_RUN_RUNNING);
	db_close(db);

	int st = plot(ARGV("plot", "--db", dbpath), out, sizeof out);
	CHECK(st == 0, "all: status %d: %s", st, out);
	CHECK(starts_with(at("lab-perf.png"), "\x89PNG") &&
		      starts_with(at("lab-faults.png"), "\x89PNG"),
	      "PNGs beside the database: %s", out);
	CHECK(starts_with(at("lab-perf.png.gp"), "# Generated by vtlab plot"),
	      "the script beside it, named after it");
	CHECK(strstr(out, "skipped scaling") != NULL, "scaling skipped with a note: %s", out);
	CHECK(strstr(out, "1 run of") && strstr(out, "left out"), "the unfinished run: %s", out);

	st = plot(ARGV("plot", "--db", dbpath, "--chart", "faults", "-o", at("f.svg")), out,
		  sizeof out);
	CHECK(st == 0 && starts_with(at("f.svg"), "<?xml"), "SVG from the extension: %d %s", st,
	      out);
	CHECK(access(at("f.svg.gp"), R_OK) == 0, "its script f.svg.gp");

	st = plot(ARGV("plot", "--db", dbpath, "--chart", "perf", "--format", "pdf", "--out-dir",
		       at("figs/a")),
		  out, sizeof out);
	CHECK(st == 0 && starts_with(at("figs/a/lab-perf.pdf"), "%PDF"),
	      "PDF into a new folder: %d %s", st, out);
	/* The same chart as SVG beside it: each format keeps its own script,
	 * each still drawing its own format. */
	st = plot(ARGV("plot", "--db", dbpath, "--chart", "perf", "--format", "svg", "--out-dir",
		       at("figs/a")),
		  out, sizeof out);
	char *pdf_gp = test_read_file(at("figs/a/lab-perf.pdf.gp")),
	     *svg_gp = test_read_file(at("figs/a/lab-perf.svg.gp"));
	CHECK(st == 0 && pdf_gp && strstr(pdf_gp, "set terminal pdfcairo") &&
		      strstr(pdf_gp, "lab-perf.pdf'") && svg_gp &&
		      strstr(svg_gp, "set terminal svg") && strstr(svg_gp, "lab-perf.svg'") &&
		      access(at("figs/a/lab-perf.gp"), F_OK) != 0,
	      "a script per format: %d %s", st, out);
	free(pdf_gp);
	free(svg_gp);

	st = plot(ARGV("plot", "--db", dbpath, "--chart", "scaling"), out, sizeof out);
	CHECK(st == 1 && strstr(out, "vtlab plot: scaling: ") && strstr(out, "two or more"),
	      "a named chart the data cannot make fails: %d %s", st, out);

	/* A bad --out-dir is refused with a message, never silently. */
	st = plot(ARGV("plot", "--db", dbpath, "--out-dir", ""), out, sizeof out);
	CHECK(st != 0 && strstr(out, "--out-dir"), "an empty --out-dir: %d %s", st, out);
	char longdir[3000];
	memset(longdir, 'd', sizeof longdir - 1);
	longdir[sizeof longdir - 1] = 0;
	st = plot(ARGV("plot", "--db", dbpath, "--out-dir", longdir), out, sizeof out);
	CHECK(st == 1 && strstr(out, "too long"), "a --out-dir too long: %d %s", st, out);

	/* A script that cannot be written whole (here a file size limit, as a
	 * full disk) leaves the chart's previous script, perhaps edited, as
	 * it was. */
	FILE *edited = fopen(at("lab-perf.png.gp"), "w");
	fputs("# edited by hand\n", edited);
	fclose(edited);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit small = { 100, 100 };
		signal(SIGXFSZ, SIG_IGN); /* writes past it fail with EFBIG instead */
		setrlimit(RLIMIT_FSIZE, &small);
		_exit(plot(ARGV("plot", "--db", dbpath, "--chart", "perf"), out, sizeof out));
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1 &&
		      starts_with(at("lab-perf.png.gp"), "# edited") &&
		      access(at("lab-perf.png.gp.tmp"), F_OK) != 0,
	      "a script that cannot be written keeps the one before (status %d)", st);

	st = plot(ARGV("plot", "--db", at("missing.db")), out, sizeof out);
	CHECK(st == 1 && strstr(out, "missing.db"), "a missing database: %d %s", st, out);

	test_where_baseline();

	test_remove_dir(dir);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
