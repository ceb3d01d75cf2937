/*
 * test_report_cmd.c - unit test of `vtlab report` (cli/cmd_report.c) on
 * what its tables leave out: they hold complete runs only, so the report
 * names the other runs of its scope on stderr (failed, incomplete, still
 * running, and 'running' ones whose writer died, which a database opened
 * read-only cannot mark), and only those of its scope; `vtlab query`
 * (cli/cmd_query.c) names the 'running' runs whose writer died.  The tables
 * themselves are tested by analyze/tests/test_report.c.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cmd_capture.h"
#include "commands.h"
#include "db.h"
#include "test_files.h"

static char scratch[] = "/tmp/vtlab-test-report-cmd-XXXXXX";

/* `vtlab CMD ARGV`, stdout dropped, stderr into out. */
static int cmd_stderr(int (*cmd)(int, char **), char **argv, char *out, size_t len)
{
	return cmd_capture(cmd, argv, true, out, len);
}

static int64_t add_run(struct db *db, int64_t campaign, const char *config, enum db_run_status st)
{
	struct db_run_meta m = {
		.campaign_id = campaign, .config = config, .workload = "kbuild", .vcpus = 2
	};
	struct db_run_result r = { .instructions = 1000,
				   .cycles = 1000000,
				   .metric_name = "build_seconds",
				   .metric_value = 1.5 };
	int64_t id = 0;
	CHECK(db_run_begin(db, &m, &id) == 0, "run_begin: %s", db_errmsg(db));
	if (st != DB_RUN_RUNNING)
		CHECK(db_run_finish(db, id, &r, st) == 0, "finish: %s", db_errmsg(db));
	return id;
}

/* A complete run of campaign cell `cell` (run_params campaign_cell). */
static void add_cell_run(struct db *db, int64_t campaign, const char *config, const char *cell)
{
	char json[128];
	snprintf(json, sizeof json, "{\"campaign_cell\":\"%s\"}", cell);
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = json };
	struct db_run_result r = { .instructions = 1000,
				   .cycles = 1000000,
				   .metric_name = "build_seconds",
				   .metric_value = 1.5 };
	int64_t id = 0;
	CHECK(db_run_begin(db, &m, &id) == 0 && db_run_finish(db, id, &r, DB_RUN_COMPLETE) == 0,
	      "run: %s", db_errmsg(db));
}

/* vtlab query of a view that averages a campaign's swept cells into one
 * row says so (the rows themselves cannot); not for per-run views. */
static void test_query_averaged(void)
{
	char path[128], err[4096];
	snprintf(path, sizeof path, "%s/swept.db", scratch);
	struct db *db;
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	int64_t c;
	db_campaign_get_or_create(db, "sweep", NULL, &c);
	add_cell_run(db, c, "native", "");
	add_cell_run(db, c, "HTVT", "vtlb-buckets=64");
	db_close(db);
	int rc = cmd_stderr(cmd_query,
			    (char *[]){ "query", "--db", path, "metric_normalized", NULL }, err,
			    sizeof err);
	CHECK(rc == 0 && !strstr(err, "averages"), "one cell per configuration: no note:\n%s", err);
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	add_cell_run(db, c, "HTVT", "vtlb-buckets=128");
	db_close(db);
	rc = cmd_stderr(cmd_query, (char *[]){ "query", "--db", path, "metric_normalized", NULL },
			err, sizeof err);
	CHECK(rc == 0 && strstr(err, "note: metric_normalized averages") &&
		      strstr(err, "HTVT kbuild 2 vCPUs: vtlb-buckets=64 | vtlb-buckets=128"),
	      "two cells of HTVT in one row: a note naming them:\n%s", err);
	rc = cmd_stderr(cmd_query,
			(char *[]){ "query", "--db", path,
				    "select config, n from injected_faults_by_config", NULL },
			err, sizeof err);
	CHECK(rc == 0 && strstr(err, "note: injected_faults_by_config averages"),
	      "SQL reading such a view: the note too:\n%s", err);
	rc = cmd_stderr(
		cmd_query,
		(char *[]){ "query", "--db", path, "select 'config_metrics' from runs", NULL }, err,
		sizeof err);
	CHECK(rc == 0 && !strstr(err, "averages"), "per-run tables: no note:\n%s", err);
}

/* --title replaces the table's title, which is the query as given by
 * default; it is no option of --list. */
static void test_query_title(void)
{
	char path[128], out[4096], err[1024];
	snprintf(path, sizeof path, "%s/swept.db", scratch);
	char *sql = "select config from runs";
	int rc = cmd_capture_all(cmd_query, (char *[]){ "query", "--db", path, sql, NULL }, out,
				 sizeof out);
	CHECK(rc == 0 && strncmp(out, "select config from runs\n", 24) == 0,
	      "default title: the SQL:\n%s", out);
	rc = cmd_capture_all(cmd_query,
			     (char *[]){ "query", "--db", path, "--title", "Configs", sql, NULL },
			     out, sizeof out);
	CHECK(rc == 0 && strncmp(out, "Configs\n", 8) == 0 && !strstr(out, "select"),
	      "--title: that title alone:\n%s", out);
	rc = cmd_capture_all(cmd_query,
			     (char *[]){ "query", "--db", path, "--format", "markdown", "--title",
					 "Configs", sql, NULL },
			     out, sizeof out);
	CHECK(rc == 0 && strstr(out, "**Configs**"), "--title in Markdown:\n%s", out);
	rc = cmd_stderr(cmd_query,
			(char *[]){ "query", "--db", path, "--list", "--title", "x", NULL }, err,
			sizeof err);
	CHECK(rc == 2 && strstr(err, "--list has its own title"), "--list --title: %d %s", rc, err);
}

/* A database written by an older vtlab is migrated by the reading
 * commands, which say so once; a second read says nothing. */
static void test_migrated(void)
{
	char path[128], err[4096];
	snprintf(path, sizeof path, "%s/old.db", scratch);
	struct db *db;
	if (db_open(path, &db, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	add_run(db, 0, "native", DB_RUN_COMPLETE);
	sqlite3_exec(db_sqlite(db), "PRAGMA user_version = 2", NULL, NULL, NULL);
	db_close(db);
	char note[256];
	snprintf(note, sizeof note, "vtlab query: note: %s: migrated from schema version 2 to %d",
		 path, DB_SCHEMA_VERSION);
	int rc = cmd_stderr(cmd_query, (char *[]){ "query", "--db", path, "run_summary", NULL },
			    err, sizeof err);
	CHECK(rc == 0 && strstr(err, note), "older database read, with a note:\n%s", err);
	rc = cmd_stderr(cmd_report, (char *[]){ "report", "--db", path, NULL }, err, sizeof err);
	CHECK(rc == 0 && !strstr(err, "migrated"), "then current: no note:\n%s", err);
}

int main(void)
{
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	char path[128], err[4096];
	snprintf(path, sizeof path, "%s/left.db", scratch);
	struct db *db;
	if (db_open(path, &db, err, sizeof err)) {
		printf("open: %s\n", err);
		return 1;
	}
	int64_t c;
	db_campaign_get_or_create(db, "c", NULL, &c);
	add_run(db, c, "native", DB_RUN_COMPLETE);   /* 1 */
	add_run(db, c, "HTVT", DB_RUN_COMPLETE);     /* 2 */
	add_run(db, c, "HTVT", DB_RUN_FAILED);       /* 3 */
	add_run(db, c, "HTVT", DB_RUN_RUNNING);      /* 4: its writer dies below */
	add_run(db, c, "HTVT", DB_RUN_RUNNING);      /* 5: this process, alive */
	add_run(db, 0, "native", DB_RUN_INCOMPLETE); /* 6: outside campaigns */
	sqlite3_exec(db_sqlite(db), "UPDATE runs SET writer_pid = NULL WHERE id = 4", NULL, NULL,
		     NULL);
	db_close(db);

	int rc =
		cmd_stderr(cmd_report, (char *[]){ "report", "--db", path, NULL }, err, sizeof err);
	CHECK(rc == 0 && strstr(err, "runs not in the tables") &&
		      strstr(err, "run 3  failed      HTVT kbuild 2 vCPUs, campaign c: ") &&
		      strstr(err,
			     "run 4  incomplete  HTVT kbuild 2 vCPUs, campaign c: its writer") &&
		      strstr(err,
			     "run 5  running     HTVT kbuild 2 vCPUs, campaign c: still being") &&
		      strstr(err,
			     "run 6  incomplete  native kbuild 2 vCPUs: stopped before its end") &&
		      !strstr(err, "run 1 ") && !strstr(err, "run 2 "),
	      "the runs left out, named (status %d):\n%s", rc, err);
	rc = cmd_stderr(cmd_report,
			(char *[]){ "report", "--db", path, "--config", "native", NULL }, err,
			sizeof err);
	CHECK(rc == 0 && strstr(err, "run 6 ") && !strstr(err, "run 3 "),
	      "--config native: run 6 only:\n%s", err);
	rc = cmd_stderr(cmd_report, (char *[]){ "report", "--db", path, "--campaign", "c", NULL },
			err, sizeof err);
	CHECK(rc == 0 && strstr(err, "run 3 ") && !strstr(err, "run 6 "),
	      "--campaign c: not run 6:\n%s", err);
	/* --baseline in CSV: the numbers on stdout, what they are on stderr */
	rc = cmd_stderr(cmd_report,
			(char *[]){ "report", "--db", path, "--table", "perf", "--format", "csv",
				    "--baseline", "HTVT", NULL },
			err, sizeof err);
	CHECK(rc == 0 && strstr(err, "vtlab report: perf: vs HTVT: ") &&
		      strstr(err, "vtlab report: perf: ±95%: ") && strstr(err, "delta method"),
	      "csv: the notes on stderr (status %d):\n%s", rc, err);
	rc = cmd_stderr(cmd_report,
			(char *[]){ "report", "--db", path, "--where", "vtlb-buckets=64", NULL },
			err, sizeof err);
	CHECK(rc == 1 && strstr(err, "--where vtlb-buckets: no run in the scope has a parameter") &&
		      !strstr(err, "table faults:") && !strstr(err, "no table to print"),
	      "an unknown --where name: one error, exit 1 (status %d):\n%s", rc, err);
	rc = cmd_stderr(cmd_report,
			(char *[]){ "report", "--db", path, "--where", "vtlb-buckets=", NULL }, err,
			sizeof err);
	CHECK(rc == 1 && strstr(err, "--where vtlb-buckets: no run in the scope has a parameter"),
	      "--where NAME= is a selection (the runs without NAME), not a usage error "
	      "(status %d):\n%s",
	      rc, err);
	rc = cmd_stderr(cmd_report, (char *[]){ "report", "--db", path, "--config", "XTVT", NULL },
			err, sizeof err);
	CHECK(rc == 1 && strstr(err, "--config XTVT: no complete run") &&
		      strstr(err, "(they have ") && !strstr(err, "table perf"),
	      "a misspelt --config: one line naming it and the configurations there are, "
	      "exit 1 (status %d):\n%s",
	      rc, err);
	/* vtlab query shows the table as stored, and says which 'running'
	 * run is not. */
	rc = cmd_stderr(cmd_query, (char *[]){ "query", "--db", path, "run_summary", NULL }, err,
			sizeof err);
	CHECK(rc == 0 && strstr(err, "run 4 is stored as 'running' but its writer died") &&
		      !strstr(err, "runs "),
	      "query: the dead writer's run named:\n%s", err);
	test_query_averaged();
	test_query_title();
	test_migrated();
	test_remove_dir(scratch);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
