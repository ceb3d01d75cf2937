/*
 * test_db.c - the results database: schema creation, the embedded SQL in
 * sync with db/schema.sql and db/views.sql, migration from version 1, refusal of newer and
 * foreign files, the writer API (runs, params, batches, counters, losses,
 * host counters) and every view on hand-made data.
 * (Robustness, killed writers and full disks: test_db_robust.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_private.h"
#include "db_test_util.h"

/* ------------------------------------------------------------ fixtures */

/* Schema version 1, as issue 5's first schema created it. */
static const char schema_v1[] =
	"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL "
	"  DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), sqlite_version TEXT NOT NULL "
	"  DEFAULT (sqlite_version()));"
	"CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, file TEXT, "
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
	"  description TEXT);"
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, campaign_id INTEGER REFERENCES "
	"  campaigns(id) ON DELETE CASCADE, config TEXT NOT NULL, workload TEXT NOT NULL, "
	"  workload_params TEXT, vcpus INTEGER NOT NULL, repetition INTEGER NOT NULL DEFAULT 0, "
	"  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', "
	"  'incomplete', 'failed')), started_at TEXT NOT NULL DEFAULT "
	"  (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), finished_at TEXT, instructions INTEGER, "
	"  cycles INTEGER, metric_name TEXT, metric_value REAL, output_digest TEXT, "
	"  wall_ns INTEGER, exit_code INTEGER, exit_reason TEXT, vtlab_version TEXT, "
	"  params TEXT, costs TEXT);"
	"CREATE TABLE event_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
	"  category TEXT NOT NULL, description TEXT NOT NULL, reason_meaning TEXT, "
	"  addr0_meaning TEXT, addr1_meaning TEXT, aux_meaning TEXT);"
	"CREATE TABLE events (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
	"  seq INTEGER NOT NULL, vcpu INTEGER NOT NULL, level INTEGER NOT NULL, "
	"  type INTEGER NOT NULL, reason INTEGER NOT NULL, cycles INTEGER NOT NULL, "
	"  addr0 INTEGER NOT NULL, addr1 INTEGER NOT NULL, aux INTEGER NOT NULL);"
	"CREATE INDEX events_by_run_type ON events(run_id, type);"
	"CREATE TABLE counters (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
	"  vcpu INTEGER NOT NULL, event TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', "
	"  n INTEGER NOT NULL, cycles INTEGER NOT NULL DEFAULT 0, "
	"  PRIMARY KEY (run_id, vcpu, event, reason)) WITHOUT ROWID;"
	"CREATE TABLE losses (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES "
	"  runs(id) ON DELETE CASCADE, vcpu INTEGER NOT NULL, lost INTEGER NOT NULL, "
	"  first_cycles INTEGER, last_cycles INTEGER);"
	"CREATE INDEX losses_by_run ON losses(run_id);"
	"CREATE VIEW run_summary AS SELECT id, config, workload, vcpus, repetition, status, "
	"  instructions, cycles, metric_value AS metric FROM runs;"
	"CREATE VIEW exit_counts AS SELECT run_id, reason, sum(n) AS n, sum(cycles) AS cycles "
	"  FROM counters WHERE event = 'vm_exit' GROUP BY run_id, reason;"
	"INSERT INTO schema_version(version) VALUES (1);"
	"PRAGMA user_version = 1;";

/* Version-1 data: one complete run with events, counters and a loss. */
static const char data_v1[] =
	"INSERT INTO campaigns(name, file) VALUES ('old', 'old.xml');"
	"INSERT INTO runs(campaign_id, config, workload, vcpus, status, instructions, cycles, "
	"  metric_name, metric_value) VALUES (1, 'stvt', 'kernel-build', 2, 'complete', "
	"  1000000, 2500000, 'ops', 12.5);"
	"INSERT INTO events VALUES (1, 0, 0, 1, 9, 2, 100, 4096, 0, 0), "
	"  (1, 1, 0, 1, 9, 2, 200, 8192, 0, 0), (1, 2, 1, 1, 12, 13, 300, 4096, 0, 0);"
	"INSERT INTO counters VALUES (1, 0, 'vm_exit', 'ecall', 5, 50), "
	"  (1, 1, 'vm_exit', 'ecall', 7, 70), (1, 0, 'inject', 'page_fault', 3, 0);"
	"INSERT INTO losses(run_id, vcpu, lost, first_cycles, last_cycles) VALUES (1, 1, 4, 10, 20);";

/* ------------------------------------------------------------ schema */

/* A description of the whole schema: every object's type and name, every
 * table's columns, every index's columns, in a stable order. */
static char *describe_schema(sqlite3 *h)
{
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	sqlite3_stmt *s, *c;
	sqlite3_prepare_v2(h,
			   "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE "
			   "'sqlite_%' ORDER BY type, name",
			   -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 0);
		const char *name = (const char *)sqlite3_column_text(s, 1);
		len += (size_t)snprintf(out + len, cap - len, "%s %s\n", type, name);
		char sql[256];
		if (strcmp(type, "table") == 0)
			snprintf(
				sql, sizeof sql,
				"SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || "
				"ifnull(dflt_value, '-') || ' ' || pk FROM pragma_table_info('%s')",
				name);
		else if (strcmp(type, "index") == 0)
			snprintf(
				sql, sizeof sql,
				"SELECT seqno || ' ' || ifnull(name, '-') FROM pragma_index_info('%s')",
				name);
		else
			continue;
		sqlite3_prepare_v2(h, sql, -1, &c, NULL);
		while (sqlite3_step(c) == SQLITE_ROW)
			len += (size_t)snprintf(out + len, cap - len, "  %s\n",
						(const char *)sqlite3_column_text(c, 0));
		sqlite3_finalize(c);
	}
	sqlite3_finalize(s);
	return out;
}

/* db/schema_sql.c holds exactly db/schema.sql and db/views.sql (make
 * regenerates it; this catches a stale checked-in copy). */
static void test_embedded_sql_in_sync(void)
{
	/* __FILE__ is db/tests/test_db.c relative to the top directory. */
	char dir[512];
	snprintf(dir, sizeof dir, "%s", __FILE__);
	char *slash = strstr(dir, "tests/test_db.c");
	if (!slash) {
		CHECK(0, "cannot locate db/ from %s", __FILE__);
		return;
	}
	*slash = 0;
	char path[600];
	snprintf(path, sizeof path, "%sschema.sql", dir);
	char *schema = test_read_file(path);
	snprintf(path, sizeof path, "%sviews.sql", dir);
	char *views = test_read_file(path);
	CHECK(schema && views, "cannot read %sschema.sql / views.sql", dir);
	if (schema && views) {
		CHECK(strcmp(schema, db_schema_sql) == 0, "db/schema_sql.c is stale: run make");
		CHECK(strcmp(views, db_views_sql) == 0, "db/schema_sql.c is stale: run make");
	}
	free(schema);
	free(views);
}

/* The rows db/migrate.c derives from tracepoints.def equal the tracer's
 * generated db/event_types.sql (when the tracer has generated it). */
static void test_event_types_match_generated_sql(void)
{
	char path[600];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *slash = strstr(path, "tests/test_db.c");
	if (!slash)
		return;
	snprintf(slash, sizeof path - (size_t)(slash - path), "event_types.sql");
	char *sql = test_read_file(path);
	if (!sql) {
		printf("skip: %s not generated yet\n", path);
		return;
	}
	struct db *db = t_open(t_path("types.db"));
	if (db) {
		sqlite3 *h = db_sqlite(db);
		const char *cmp = "CREATE TEMP TABLE mine AS SELECT * FROM event_types;"
				  "DELETE FROM event_types;";
		CHECK(sqlite3_exec(h, cmp, NULL, NULL, NULL) == SQLITE_OK &&
			      sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK,
		      "load %s: %s", path, sqlite3_errmsg(h));
		CHECK(q_int(h, "SELECT count(*) FROM (SELECT * FROM mine EXCEPT SELECT * FROM "
			       "main.event_types)") == 0 &&
			      q_int(h,
				    "SELECT count(*) FROM (SELECT * FROM main.event_types EXCEPT "
				    "SELECT * FROM mine)") == 0,
		      "event_types rows equal %s", path);
		db_close(db);
	}
	free(sql);
}

static void test_create(void)
{
	const char *p = t_path("new.db");
	struct db *db = t_open(p);
	CHECK(db != NULL, "open a new database");
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(db_schema_version(db) == DB_SCHEMA_VERSION, "version %d", db_schema_version(db));
	CHECK(strcmp(q_text(h, "PRAGMA journal_mode"), "wal") == 0, "WAL mode");
	CHECK(q_int(h, "PRAGMA foreign_keys") == 1, "foreign keys on");
	CHECK(q_int(h, "SELECT max(version) FROM schema_version") == DB_SCHEMA_VERSION,
	      "schema_version row");
	static const char *const tables[] = { "campaigns",    "runs",          "run_params",
					      "event_types",  "events",        "event_tallies",
					      "counters",     "losses",        "host_counters",
					      "reason_names", "schema_version" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%s'",
			 tables[i]);
		CHECK(q_int(h, sql) == 1, "table %s", tables[i]);
	}
	static const char *const views[] = { "run_summary",
					     "exit_counts",
					     "injected_faults",
					     "injected_fault_rates",
					     "injected_faults_by_config",
					     "config_metrics",
					     "metric_normalized",
					     "vcpu_scaling",
					     "event_counts",
					     "events_named",
					     "unfinished_runs",
					     "run_counters" };
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", views[i]);
		CHECK(q_int(h, sql) == 0, "view %s answers (empty)", views[i]);
	}
	/* event_types mirrors tracepoints.def. */
	CHECK(q_int(h, "SELECT count(*) FROM event_types") == TP_COUNT, "one row per tracepoint");
	CHECK(q_int(h, "SELECT id FROM event_types WHERE name = 'vm_exit'") == TP_VM_EXIT,
	      "vm_exit id");
	CHECK(q_int(h, "SELECT id FROM event_types WHERE name = 'inject'") == TP_INJECT,
	      "inject id");
	CHECK(strcmp(q_text(h, "SELECT category FROM event_types WHERE name = 'vtlb_miss'"),
		     "vtlb") == 0,
	      "category");
	CHECK(strcmp(q_text(h, "SELECT reason_meaning FROM event_types WHERE id = 0"),
		     "cause (mcause)") == 0,
	      "reason meaning");
	CHECK(q_int(h, "SELECT count(*) FROM event_types WHERE id = 1 AND addr1_meaning IS NULL") ==
		      1,
	      "unused field: NULL");
	db_close(db);
	/* Reopening changes nothing. */
	db = t_open(p);
	CHECK(db && q_int(db_sqlite(db), "SELECT count(*) FROM schema_version") == 1,
	      "reopen: no new version row");
	db_close(db);
	struct db *ro = NULL;
	char err[DB_ERR_LEN];
	CHECK(db_open_readonly(p, &ro, err, sizeof err) == 0, "readonly open: %s", err);
	db_close(ro);
}

static void test_migrate_v1(void)
{
	const char *p = t_path("v1.db");
	CHECK(raw_exec(p, schema_v1) == 0 && raw_exec(p, data_v1) == 0, "v1 fixture");
	struct db *ro = NULL;
	char err[DB_ERR_LEN] = "";
	CHECK(db_open_readonly(p, &ro, err, sizeof err) != 0 && strstr(err, "migrate"),
	      "readonly open of v1 refused: %s", err);
	struct db *db = t_open(p);
	CHECK(db != NULL, "v1 database opens");
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(db_schema_version(db) == DB_SCHEMA_VERSION, "migrated to %d", db_schema_version(db));
	const char *versions = "SELECT group_concat(version, ',') FROM (SELECT version FROM "
			       "schema_version ORDER BY version)";
	CHECK(strcmp(q_text(h, versions), "1,2,3") == 0, "versions recorded: %s",
	      q_text(h, versions));
	/* Data kept, new structures filled. */
	CHECK(q_int(h, "SELECT count(*) FROM events") == 3, "events kept");
	CHECK(q_int(h, "SELECT n FROM event_tallies WHERE run_id = 1 AND type = 9") == 2,
	      "tallies built from existing events");
	CHECK(q_int(h, "SELECT n FROM exit_counts WHERE run_id = 1 AND reason = 'ecall'") == 12,
	      "exit_counts over v1 data");
	CHECK(q_int(h, "SELECT lost_events FROM run_summary WHERE id = 1") == 4, "losses");
	CHECK(q_int(h, "SELECT count(*) FROM event_types") == TP_COUNT, "event types filled");
	CHECK(q_int(h, "SELECT count(*) FROM runs WHERE status = 'complete'") == 1,
	      "complete run untouched by recovery");
	/* The migrated schema is the fresh schema. */
	struct db *fresh = t_open(t_path("fresh.db"));
	if (fresh) {
		char *a = describe_schema(h), *b = describe_schema(db_sqlite(fresh));
		CHECK(strcmp(a, b) == 0, "migrated schema equals fresh schema:\n%s---\n%s", a, b);
		free(a);
		free(b);
		db_close(fresh);
	}
	db_close(db);
}

/* Readers migrate through db_upgrade(): an older file is brought to the
 * current version and says which it had; a current or missing one is left
 * alone (a missing one is not created). */
static void test_upgrade(void)
{
	const char *p = t_path("upgrade_v1.db");
	char err[DB_ERR_LEN] = "";
	int from = 0;
	CHECK(raw_exec(p, schema_v1) == 0 && raw_exec(p, data_v1) == 0, "v1 fixture");
	CHECK(db_upgrade(p, &from, err, sizeof err) == 0 && from == 1, "v1 upgraded (%d): %s", from,
	      err);
	struct db *ro = NULL;
	CHECK(db_open_readonly(p, &ro, err, sizeof err) == 0, "then read: %s", err);
	if (ro)
		CHECK(q_int(db_sqlite(ro), "SELECT count(*) FROM events") == 3, "data kept");
	db_close(ro);
	CHECK(db_upgrade(p, &from, err, sizeof err) == 0 && from == DB_SCHEMA_VERSION,
	      "current: nothing done (%d)", from);
	const char *missing = t_path("upgrade_missing.db");
	CHECK(db_upgrade(missing, &from, err, sizeof err) == 0 && from == DB_SCHEMA_VERSION &&
		      access(missing, F_OK) != 0,
	      "missing file left missing");
}

static void test_refusals(void)
{
	char err[DB_ERR_LEN] = "";
	struct db *db = NULL;
	const char *p = t_path("newer.db");
	db_close(t_open(p));
	CHECK(raw_exec(p, "PRAGMA user_version = 99") == 0, "tamper version");
	CHECK(db_open(p, &db, err, sizeof err) != 0 && db == NULL, "newer database refused");
	CHECK(strstr(err, p) && strstr(err, "newer vtlab") && strstr(err, "99"),
	      "message names file and versions: %s", err);
	err[0] = 0;
	CHECK(db_open_readonly(p, &db, err, sizeof err) != 0 && strstr(err, "newer"),
	      "readonly too: %s", err);

	const char *q = t_path("foreign.db");
	CHECK(raw_exec(q, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)") == 0, "foreign");
	err[0] = 0;
	CHECK(db_open(q, &db, err, sizeof err) != 0 && strstr(err, "not a vtlab database") &&
		      strstr(err, q),
	      "foreign database refused: %s", err);
	CHECK(raw_exec(q, "SELECT x FROM notes") == 0, "foreign database untouched");
	/* a reader's upgrade leaves it to db_open_readonly() to say so: it
	 * migrates only an older vtlab database (version 1 and up) */
	int from = 0;
	CHECK(db_upgrade(q, &from, err, sizeof err) == 0 && from == DB_SCHEMA_VERSION,
	      "foreign database: no upgrade tried (%d): %s", from, err);
	/* one version ahead is newer too */
	const char *next = t_path("next.db");
	char pragma[64];
	db_close(t_open(next));
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", DB_SCHEMA_VERSION + 1);
	CHECK(raw_exec(next, pragma) == 0, "version %d", DB_SCHEMA_VERSION + 1);
	err[0] = 0;
	CHECK(db_open_readonly(next, &db, err, sizeof err) != 0 && strstr(err, "use a newer vtlab"),
	      "version %d: %s", DB_SCHEMA_VERSION + 1, err);

	/* a text file: named as not a database, not by the PRAGMA that failed */
	const char *txt = t_path("notes.txt.db");
	FILE *f = fopen(txt, "w");
	if (f) {
		fputs("these are my notes, not a database\n", f);
		fclose(f);
	}
	for (int ro = 0; ro < 2; ro++) {
		err[0] = 0;
		int rc = ro ? db_open_readonly(txt, &db, err, sizeof err)
			    : db_open(txt, &db, err, sizeof err);
		CHECK(rc != 0 && strstr(err, txt) && strstr(err, ": not a database (") &&
			      !strstr(err, "PRAGMA"),
		      "a text file (%s): %s", ro ? "read-only" : "read-write", err);
	}
	char back[64] = "";
	f = fopen(txt, "r");
	if (f) {
		if (!fgets(back, sizeof back, f))
			back[0] = 0;
		fclose(f);
	}
	CHECK(strcmp(back, "these are my notes, not a database\n") == 0, "the file untouched");
	err[0] = 0;
	CHECK(db_open(t_path("no/such/dir/x.db"), &db, err, sizeof err) != 0 &&
		      strstr(err, "no/such/dir/x.db") && strstr(err, "cannot open"),
	      "unopenable path: %s", err);
}

/* ------------------------------------------------------------ writer */

static void test_runs_and_params(void)
{
	struct db *db = t_open(t_path("runs.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	int64_t c1, c2, run;
	CHECK(db_campaign_get_or_create(db, "tlb", "campaigns/tlb.xml", &c1) == 0 && c1 > 0,
	      "campaign");
	CHECK(db_campaign_get_or_create(db, "tlb", "other.xml", &c2) == 0 && c2 == c1,
	      "same campaign again");
	CHECK(db_campaign_get_or_create(db, "", NULL, &c2) != 0, "empty name refused");
	CHECK(db_campaign_find(db, "tlb", &c2) == 0 && c2 == c1, "found by name");
	CHECK(db_campaign_find(db, "none", &c2) == 0 && c2 == 0, "no such campaign: 0");
	CHECK(db_campaign_describe(db, c1, "single vs hash") == 0 &&
		      db_campaign_describe(db, c1, NULL) == 0 &&
		      strcmp(q_text(h, "SELECT description FROM campaigns"), "single vs hash") == 0,
	      "the campaign file's description stored, kept when none is given: %s",
	      q_text(h, "SELECT description FROM campaigns"));
	struct db_run_meta m = {
		.campaign_id = c1,
		.config = "htvt",
		.workload = "kernel-build",
		.workload_params = "{\"jobs\":2}",
		.vcpus = 4,
		.repetition = 1,
		.params_json = "{\"vtlb\":{\"kind\":\"hash\",\"buckets\":4096},\"ram_mb\":256}",
		.costs_json = "{\"exit\":1000,\"vhpt_walk\":45}",
		.trace_spec = "exits",
		.vtlab_version = "0.1.0"
	};
	CHECK(db_run_begin(db, &m, &run) == 0 && run > 0, "run_begin: %s", db_errmsg(db));
	CHECK(strcmp(q_text(h, "SELECT status FROM runs"), "running") == 0, "status running");
	CHECK(q_int(h, "SELECT writer_pid FROM runs") == getpid(), "writer pid");
	CHECK(q_int(h, "SELECT value FROM run_params WHERE name = 'vtlb.buckets'") == 4096,
	      "nested param as a number");
	CHECK(strcmp(q_text(h, "SELECT value FROM run_params WHERE name = 'vtlb.kind'"), "hash") ==
		      0,
	      "text param");
	CHECK(q_int(h, "SELECT value FROM run_params WHERE name = 'cost.vhpt_walk'") == 45,
	      "cost param");
	CHECK(q_int(h, "SELECT count(*) FROM run_params") == 5, "5 leaves");
	char buf[64];
	bool has = false;
	CHECK(db_run_setting(db, run, "cost.vhpt_walk", buf, sizeof buf, &has) == 0 && has &&
		      strcmp(buf, "45") == 0,
	      "setting cost.vhpt_walk: '%s'", buf);
	CHECK(db_run_setting(db, run, "workload_params", buf, sizeof buf, &has) == 0 && has &&
		      strcmp(buf, "{\"jobs\":2}") == 0,
	      "setting workload_params: '%s'", buf);
	CHECK(db_run_setting(db, run, "trace_spec", buf, sizeof buf, &has) == 0 && has &&
		      strcmp(buf, "exits") == 0,
	      "setting trace_spec: '%s'", buf);
	CHECK(db_run_setting(db, run, "cost.none", buf, sizeof buf, &has) == 0 && !has &&
		      buf[0] == '\0',
	      "a setting the run lacks: not found, ''");
	CHECK(db_run_setting(db, run + 1, "trace_spec", buf, sizeof buf, &has) == 0 && !has,
	      "a run that does not exist: not found");
	CHECK(db_run_setting(db, run, "cost.vhpt_walk", buf, 2, &has) == 0 && has &&
		      strcmp(buf, "4") == 0,
	      "cut to the buffer: '%s'", buf);
	int64_t found = -1;
	CHECK(db_run_find_complete(db, &m, NULL, &found) == 0 && found == 0, "not complete yet");
	struct db_run_result r = { .instructions = 1000000,
				   .cycles = 3000000,
				   .metric_name = "builds_per_gcycle",
				   .metric_value = 2.5,
				   .output_digest = "abc",
				   .wall_ns = 123456789,
				   .exit_code = 0,
				   .exit_reason = "pass" };
	CHECK(db_run_finish(db, run, &r, DB_RUN_COMPLETE) == 0, "finish: %s", db_errmsg(db));
	CHECK(db_run_find_complete(db, &m, NULL, &found) == 0 && found == run, "found complete");
	CHECK(q_real(h, "SELECT ipc FROM run_summary") > 0.333 &&
		      q_real(h, "SELECT ipc FROM run_summary") < 0.334,
	      "ipc");
	CHECK(strcmp(q_text(h,
			    "SELECT campaign || '/' || status || '/' || metric FROM run_summary"),
		     "tlb/complete/2.5") == 0,
	      "run_summary: %s",
	      q_text(h, "SELECT campaign || '/' || status || '/' || metric FROM run_summary"));
	CHECK(q_text(h, "SELECT finished_at FROM runs")[0] == '2', "finished_at set");
	CHECK(db_run_finish(db, 999, NULL, DB_RUN_FAILED) != 0 && strstr(db_errmsg(db), "999"),
	      "finishing a missing run: %s", db_errmsg(db));

	/* Malformed JSON: nothing stored. */
	m.params_json = "{\"vtlb\":";
	int64_t bad = -1;
	CHECK(db_run_begin(db, &m, &bad) != 0 && bad == 0 && strstr(db_errmsg(db), "params") &&
		      strstr(db_errmsg(db), "runs.db"),
	      "malformed params refused: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 1, "no half-stored run");

	/* Host counters and reason names. */
	CHECK(db_host_counter_add(db, run, "cycles", 5000, 1) == 0 &&
		      db_host_counter_add(db, run, "PERF_COUNT_HW_INSTRUCTIONS", 0, 0) == 0,
	      "host counters");
	CHECK(q_int(h, "SELECT value FROM host_counters WHERE name = 'cycles'") == 5000, "value");
	CHECK(q_int(h,
		    "SELECT count(*) FROM host_counters WHERE supported = 0 AND value IS NULL") ==
		      1,
	      "unsupported stored as NULL");
	CHECK(db_reason_name_set(db, "vm_exit", 2, "illegal_instruction") == 0, "reason name");

	/* A result without a metric leaves metric_value NULL, not 0. */
	int64_t run2 = 0;
	m.params_json = NULL;
	struct db_run_result r2 = { .instructions = 5, .metric_value = 7.0 };
	CHECK(db_run_begin(db, &m, &run2) == 0 && db_run_finish(db, run2, &r2, DB_RUN_FAILED) == 0,
	      "second run: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT count(*) FROM runs WHERE metric_name IS NULL AND metric_value IS "
		       "NULL AND instructions = 5") == 1,
	      "no metric: metric_value NULL (%s)",
	      q_text(h, "SELECT quote(metric_value) FROM runs ORDER BY id DESC LIMIT 1"));
	db_close(db);
}

/* A shard: campaign `campaign` (NULL: none) holding one complete run with
 * a param, counters, 3 events, a loss, a host counter and a reason name. */
static int64_t shard_run(struct db *db, const char *campaign, const char *config)
{
	int64_t c = 0, run = 0;
	if (campaign)
		db_campaign_get_or_create(db, campaign, "c.xml", &c);
	struct db_run_meta m = { .campaign_id = c,
				 .config = config,
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = "{\"campaign_cell\":\"\",\"mem\":256}" };
	struct trace_record recs[3] = { t_rec(0, 0, 1, 2, 100, 0), t_rec(1, 0, 1, 2, 200, 0),
					t_rec(2, 1, 2, 3, 300, 0) };
	struct db_run_result r = { .instructions = 7, .cycles = 9, .exit_reason = "pass" };
	CHECK(db_run_begin(db, &m, &run) == 0 && db_events_insert(db, run, recs, 3) == 0 &&
		      db_counter_add(db, run, 0, "inject", "tlb_miss", 5, 50) == 0 &&
		      db_loss_add(db, run, 1, 4, 10, 20) == 0 &&
		      db_host_counter_add(db, run, "cycles", 1234, 1) == 0 &&
		      db_reason_name_set(db, "vm_exit", 99, "my_exit") == 0 &&
		      db_run_finish(db, run, &r, DB_RUN_COMPLETE) == 0,
	      "shard run: %s", db_errmsg(db));
	return run;
}

/* db_merge: every per-run table follows its run to a new id, campaigns
 * meet by name, merging twice adds nothing, bad shards change nothing. */
static void test_merge(void)
{
	struct db *a = t_open(t_path("shard-a.db")), *b = t_open(t_path("shard-b.db"));
	struct db *out = t_open(t_path("merged.db"));
	if (!a || !b || !out)
		return;
	shard_run(a, "paper", "HTVT");
	shard_run(b, "paper", "STVT");
	shard_run(b, NULL, "native");
	db_close(a);
	db_close(b);
	sqlite3 *h = db_sqlite(out);
	shard_run(out, "other", "EPT"); /* ids 1.. are taken: shards' runs get new ones */
	unsigned n = 99;
	CHECK(db_merge(out, t_path("shard-a.db"), &n) == 0 && n == 1, "merge a: %u (%s)", n,
	      db_errmsg(out));
	CHECK(db_merge(out, t_path("shard-b.db"), &n) == 0 && n == 2, "merge b: %u (%s)", n,
	      db_errmsg(out));
	CHECK(db_merge(out, t_path("shard-b.db"), &n) == 0 && n == 0, "b again adds nothing: %u",
	      n);
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 4 &&
		      q_int(h, "SELECT count(*) FROM campaigns") == 2,
	      "4 runs, campaigns 'other' and 'paper' once each");
	CHECK(q_int(h, "SELECT count(*) FROM runs r JOIN campaigns c ON c.id = r.campaign_id "
		       "WHERE c.name = 'paper'") == 2 &&
		      q_int(h, "SELECT count(*) FROM runs WHERE config = 'native' AND campaign_id "
			       "IS NULL") == 1,
	      "runs under their campaign, or none");
	static const char *const per_run[] = { "run_params", "counters", "event_tallies",
					       "events",     "losses",   "host_counters" };
	for (unsigned i = 0; i < 6; i++) {
		char sql[256];
		snprintf(sql, sizeof sql,
			 "SELECT count(DISTINCT x.run_id) FROM %s x JOIN runs r ON r.id = x.run_id",
			 per_run[i]);
		CHECK(q_int(h, sql) == 4, "%s: rows for every run, under the new ids", per_run[i]);
	}
	CHECK(q_int(h, "SELECT count(*) FROM events e JOIN runs r ON r.id = e.run_id WHERE "
		       "r.config = 'STVT'") == 3 &&
		      q_int(h, "SELECT sum(n) FROM event_tallies t JOIN runs r ON r.id = t.run_id "
			       "WHERE r.config = 'STVT'") == 3,
	      "events and tallies of a merged run");
	CHECK(q_int(h, "SELECT value FROM run_params p JOIN runs r ON r.id = p.run_id WHERE "
		       "r.config = 'HTVT' AND p.name = 'mem'") == 256,
	      "params of a merged run");
	CHECK(q_int(h, "SELECT count(*) FROM reason_names WHERE name = 'my_exit'") == 1,
	      "reason names once");
	n = 99;
	CHECK(db_merge(out, t_path("merged.db"), &n) == -1 && strstr(db_errmsg(out), "itself") &&
		      n == 0,
	      "into itself: %s", db_errmsg(out));
	CHECK(db_merge(out, t_path("none.db"), &n) == -1 && access(t_path("none.db"), F_OK) != 0,
	      "a missing shard is refused, not created: %s", db_errmsg(out));
	FILE *f = fopen(t_path("text.db"), "w");
	if (f) {
		fputs("not a database\n", f);
		fclose(f);
	}
	CHECK(db_merge(out, t_path("text.db"), &n) == -1 && strstr(db_errmsg(out), "text.db"),
	      "a text file: %s", db_errmsg(out));
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 4, "nothing added by the failures");
	/* The HTVT cell of shard a run again into a fresh shard (a resubmitted
	 * array task): its complete run is not a second sample of the cell;
	 * a failed run of it is still kept. */
	struct db *c = t_open(t_path("shard-c.db"));
	if (c) {
		shard_run(c, "paper", "HTVT");
		int64_t failed = 0;
		int64_t camp;
		db_campaign_get_or_create(c, "paper", NULL, &camp);
		struct db_run_meta m = { .campaign_id = camp,
					 .config = "HTVT",
					 .workload = "kbuild",
					 .vcpus = 2,
					 .params_json = "{\"campaign_cell\":\"\"}" };
		CHECK(db_run_begin(c, &m, &failed) == 0 &&
			      db_run_finish(c, failed, NULL, DB_RUN_FAILED) == 0,
		      "failed run: %s", db_errmsg(c));
		db_close(c);
		CHECK(db_merge(out, t_path("shard-c.db"), &n) == 0 && n == 1, "shard c: %u (%s)", n,
		      db_errmsg(out));
		CHECK(q_int(h, "SELECT count(*) FROM runs WHERE config = 'HTVT' AND status = "
			       "'complete'") == 1 &&
			      q_int(h,
				    "SELECT count(*) FROM runs WHERE config = 'HTVT' AND status = "
				    "'failed'") == 1,
		      "one complete HTVT run per cell; the failed one kept");
	}
	db_close(out);
}

/* A shard merged while its cell was still running (on another node of a
 * job array) and merged again once the run finished: the finished run
 * replaces the 'running' copy.  The copy used to count as "already
 * here", so the merged database kept a run 'running' for ever (no
 * recovery touches another host's run) and never got its results or
 * events (found by the tracer review). */
static void test_merge_running_then_finished(void)
{
	const char *sp = t_path("shard-live.db");
	struct db *s = t_open(sp), *out = t_open(t_path("merged-live.db"));
	if (!s || !out)
		return;
	int64_t c = 0, run = 0;
	struct db_run_meta m = { .config = "STVT", .workload = "jbb", .vcpus = 2 };
	CHECK(db_campaign_get_or_create(s, "paper", NULL, &c) == 0 &&
		      (m.campaign_id = c, db_run_begin(s, &m, &run)) == 0,
	      "running run: %s", db_errmsg(s));
	db_close(s);
	CHECK(raw_exec(sp, "UPDATE runs SET writer_host = 'node7', writer_pid = 4242") == 0,
	      "its writer on another node");
	unsigned n = 99;
	sqlite3 *h = db_sqlite(out);
	CHECK(db_merge(out, sp, &n) == 0 && n == 1, "running run merged: %u (%s)", n,
	      db_errmsg(out));
	CHECK(db_merge(out, sp, &n) == 0 && n == 0,
	      "merged again while still running: the copy is it, nothing added: %u", n);
	/* The node finishes the run. */
	s = t_open(sp);
	struct trace_record recs[2] = { t_rec(0, 0, 1, 2, 100, 0), t_rec(1, 0, 1, 2, 200, 0) };
	struct db_run_result r = { .instructions = 7, .cycles = 9, .exit_reason = "pass" };
	CHECK(s && db_events_insert(s, run, recs, 2) == 0 &&
		      db_counter_add(s, run, 0, "inject", "tlb_miss", 5, 50) == 0 &&
		      db_run_finish(s, run, &r, DB_RUN_COMPLETE) == 0,
	      "run finished in the shard: %s", s ? db_errmsg(s) : "");
	db_close(s);
	CHECK(db_merge(out, sp, &n) == 0 && n == 1, "finished run merged again: %u (%s)", n,
	      db_errmsg(out));
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 1, "one run, not two: %lld",
	      (long long)q_int(h, "SELECT count(*) FROM runs"));
	CHECK(strcmp(q_text(h, "SELECT status FROM runs"), "complete") == 0 &&
		      q_int(h, "SELECT instructions FROM runs") == 7,
	      "the finished run: %s", q_text(h, "SELECT status FROM runs"));
	CHECK(q_int(h, "SELECT count(*) FROM events") == 2 &&
		      q_int(h, "SELECT sum(n) FROM event_tallies") == 2 &&
		      q_int(h, "SELECT count(*) FROM counters") == 1,
	      "its events, tallies and counters, once");
	CHECK(db_merge(out, sp, &n) == 0 && n == 0, "a third merge adds nothing: %u", n);
	db_close(out);
}

/* A complete run of db: config, workload, vCPUs, repetition, campaign
 * (NULL: none) and cell. */
static void merge_run(struct db *db, const char *campaign, const char *workload, unsigned vcpus,
		      unsigned rep, const char *cell)
{
	int64_t c = 0, run = 0;
	char params[128];
	if (campaign)
		db_campaign_get_or_create(db, campaign, NULL, &c);
	snprintf(params, sizeof params, "{\"campaign_cell\":\"%s\"}", cell);
	struct db_run_meta m = { .campaign_id = c,
				 .config = "HTVT",
				 .workload = workload,
				 .vcpus = vcpus,
				 .repetition = rep,
				 .params_json = params };
	CHECK(db_run_begin(db, &m, &run) == 0 && db_run_finish(db, run, NULL, DB_RUN_COMPLETE) == 0,
	      "run: %s", db_errmsg(db));
}

/* Which shard runs are "already here": the same run needs every field of
 * SAME_RUN equal, and a campaign's cell the same campaign, workload,
 * vCPUs, repetition and cell.  Runs that differ in one field only are
 * copied; each start time and writer is set, so only that field differs. */
static void test_merge_which_are_here(void)
{
	const char *sp = t_path("shard-fields.db"), *op = t_path("merged-fields.db");
	struct db *s = t_open(sp), *out = t_open(op);
	if (!s || !out)
		return;
	merge_run(out, NULL, "jbb", 2, 0, "");
	merge_run(s, NULL, "jbb", 4, 0, "");
	merge_run(s, NULL, "jbb", 2, 1, "");
	merge_run(s, NULL, "jbb", 2, 0, ""); /* its writer_host, below */
	merge_run(out, "paper", "kbuild", 2, 0, "vtlb-buckets=64");
	merge_run(s, "paper", "jbb", 2, 0, "vtlb-buckets=64");
	merge_run(s, "paper", "kbuild", 4, 0, "vtlb-buckets=64");
	merge_run(s, "paper", "kbuild", 2, 1, "vtlb-buckets=64");
	merge_run(s, "paper", "kbuild", 2, 0, "vtlb-buckets=128");
	db_close(s);
	static const char same[] = "UPDATE runs SET started_at = '2026-01-01T00:00:00.000Z', "
				   "writer_pid = 7, writer_host = 'n1' WHERE campaign_id IS NULL";
	CHECK(raw_exec(sp, same) == 0 &&
		      raw_exec(sp, "UPDATE runs SET writer_host = 'n2' WHERE id = 3") == 0 &&
		      raw_exec(sp, "UPDATE runs SET started_at = '2026-01-02T00:00:00.000Z' "
				   "WHERE campaign_id IS NOT NULL") == 0,
	      "shard start times and writers");
	CHECK(sqlite3_exec(db_sqlite(out), same, NULL, NULL, NULL) == SQLITE_OK, "out's");
	unsigned n = 0;
	CHECK(db_merge(out, sp, &n) == 0 && n == 7, "7 runs, each differing in one field: %u (%s)",
	      n, db_errmsg(out));
	db_close(out);
}

/* A merge that fails part way, here on copying a run's counters (a TEMP
 * trigger refuses them), keeps nothing of the shard and says it added no
 * run. */
static void test_merge_all_or_nothing(void)
{
	const char *sp = t_path("shard-abort.db");
	struct db *s = t_open(sp), *out = t_open(t_path("merged-abort.db"));
	if (!s || !out)
		return;
	shard_run(s, "paper", "HTVT");
	db_close(s);
	sqlite3 *h = db_sqlite(out);
	CHECK(sqlite3_exec(h,
			   "CREATE TEMP TRIGGER no_counters BEFORE INSERT ON main.counters BEGIN "
			   "SELECT RAISE(ABORT, 'counters refused'); END",
			   NULL, NULL, NULL) == SQLITE_OK,
	      "trigger: %s", sqlite3_errmsg(h));
	unsigned n = 99;
	CHECK(db_merge(out, sp, &n) == -1 && n == 0 && strstr(db_errmsg(out), "counters refused"),
	      "failed merge: %u runs added (%s)", n, db_errmsg(out));
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 0 &&
		      q_int(h, "SELECT count(*) FROM campaigns") == 0,
	      "no run or campaign kept");
	db_close(out);
}

/* A campaign cell is told apart from its neighbours by the run parameter
 * campaign_cell; a failed run never counts as done. */
static void test_find_complete_cell(void)
{
	struct db *db = t_open(t_path("cells.db"));
	if (!db)
		return;
	int64_t c, small = 0, big = 0, failed = 0, found = -1;
	CHECK(db_campaign_get_or_create(db, "sweep", NULL, &c) == 0, "campaign");
	struct db_run_meta m = { .campaign_id = c,
				 .config = "HTVT",
				 .workload = "kbuild",
				 .vcpus = 2,
				 .params_json = "{\"campaign_cell\":\"vtlb-buckets=256\"}" };
	struct db_run_result r = { .instructions = 1 };
	CHECK(db_run_begin(db, &m, &small) == 0 &&
		      db_run_finish(db, small, &r, DB_RUN_COMPLETE) == 0,
	      "run 256: %s", db_errmsg(db));
	m.params_json = "{\"campaign_cell\":\"vtlb-buckets=4096\"}";
	CHECK(db_run_begin(db, &m, &failed) == 0 &&
		      db_run_finish(db, failed, &r, DB_RUN_FAILED) == 0,
	      "failed run 4096: %s", db_errmsg(db));
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=4096", &found) == 0 && found == 0,
	      "a failed run is not done (found %lld)", (long long)found);
	CHECK(db_run_begin(db, &m, &big) == 0 && db_run_finish(db, big, &r, DB_RUN_COMPLETE) == 0,
	      "run 4096: %s", db_errmsg(db));
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=256", &found) == 0 && found == small,
	      "cell 256 -> its run (found %lld)", (long long)found);
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=4096", &found) == 0 && found == big,
	      "cell 4096 -> its run (found %lld)", (long long)found);
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=1024", &found) == 0 && found == 0,
	      "a cell never run (found %lld)", (long long)found);
	int64_t n = -1;
	CHECK(db_run_count_cell(db, &m, "vtlb-buckets=4096", &n) == 0 && n == 2,
	      "a cell's runs of any status: %lld", (long long)n);
	CHECK(db_run_count_cell(db, &m, "vtlb-buckets=1024", &n) == 0 && n == 0,
	      "a cell never run: %lld runs", (long long)n);
	m.repetition = 1;
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=256", &found) == 0 && found == 0,
	      "another repetition (found %lld)", (long long)found);
	m.repetition = 0;
	m.campaign_id = 0;
	CHECK(db_run_find_complete(db, &m, "vtlb-buckets=256", &found) == 0 && found == 0,
	      "outside the campaign (found %lld)", (long long)found);
	db_close(db);
}

/* A file written by a vtlab with fewer tracepoints (here: the last one
 * missing) gets the new event_types rows on the next open. */
static void test_event_types_completed(void)
{
	const char *p = t_path("types.db");
	struct db *db = t_open(p);
	if (!db)
		return;
	int64_t n = q_int(db_sqlite(db), "SELECT count(*) FROM event_types");
	db_close(db);
	CHECK(raw_exec(p, "DELETE FROM event_types WHERE id = (SELECT max(id) FROM event_types)") ==
		      0,
	      "delete the last type");
	db = t_open(p);
	if (!db)
		return;
	CHECK(q_int(db_sqlite(db), "SELECT count(*) FROM event_types") == n,
	      "%lld event types after reopening, expected %lld",
	      (long long)q_int(db_sqlite(db), "SELECT count(*) FROM event_types"), (long long)n);
	db_close(db);
}

/* True when the query plan of sql mentions `what` (an index name). */
static bool plan_uses(sqlite3 *h, const char *sql, const char *what)
{
	char eqp[512];
	sqlite3_stmt *s;
	bool found = false;
	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(h, eqp, -1, &s, NULL) != SQLITE_OK)
		return false;
	while (sqlite3_step(s) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(s, 3), what))
			found = true;
	sqlite3_finalize(s);
	return found;
}

static void test_batches(void)
{
	struct db *db = t_open(t_path("batch.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	struct db_run_meta m = { .config = "stvt", .workload = "w", .vcpus = 2 };
	int64_t run;
	CHECK(db_run_begin(db, &m, &run) == 0, "run");
	enum { BATCH = 1000, NBATCH = 10 };
	static struct trace_record recs[BATCH];
	uint64_t seq[2] = { 0, 0 }, per_type[TP_COUNT] = { 0 };
	for (int b = 0; b < NBATCH; b++) {
		for (int i = 0; i < BATCH; i++) {
			unsigned v = (unsigned)(i & 1), type = (unsigned)((i * 7 + b) % TP_COUNT);
			recs[i] = t_rec(seq[v]++, v, type, (uint32_t)i, (uint64_t)(b * BATCH + i),
					0xffffffc000000000ull + (uint64_t)i * 4096);
			per_type[type]++;
		}
		CHECK(db_tx_begin(db) == 0 && db_events_insert(db, run, recs, BATCH) == 0 &&
			      db_counter_add(db, run, 0, "vm_exit", "ecall", 2, 20) == 0 &&
			      db_tx_commit(db) == 0,
		      "batch %d: %s", b, db_errmsg(db));
	}
	CHECK(q_int(h, "SELECT count(*) FROM events") == BATCH * NBATCH, "all events");
	CHECK(q_int(h, "SELECT sum(n) FROM event_tallies") == BATCH * NBATCH, "tallies sum");
	CHECK(q_int(h, "SELECT count(*) FROM (SELECT type, count(*) AS c FROM events GROUP BY "
		       "type) e JOIN event_tallies t ON t.type = e.type AND t.n = e.c") ==
		      q_int(h, "SELECT count(*) FROM event_tallies"),
	      "tallies equal count by type");
	CHECK(q_int(h, "SELECT n FROM event_counts WHERE name = 'vm_exit'") ==
		      (int64_t)per_type[TP_VM_EXIT],
	      "event_counts view");
	CHECK(q_int(h, "SELECT n FROM counters WHERE event = 'vm_exit'") == 2 * NBATCH &&
		      q_int(h, "SELECT cycles FROM counters WHERE event = 'vm_exit'") ==
			      20 * NBATCH,
	      "counter adds up");
	/* 64-bit unsigned values round-trip through the signed column. */
	sqlite3_stmt *s;
	sqlite3_prepare_v2(h, "SELECT addr0, addr1, seq FROM events WHERE rowid = 5", -1, &s, NULL);
	CHECK(sqlite3_step(s) == SQLITE_ROW, "row");
	uint64_t a0 = (uint64_t)sqlite3_column_int64(s, 0),
		 a1 = (uint64_t)sqlite3_column_int64(s, 1);
	CHECK(a0 == 0xffffffc000000000ull + 4 * 4096 && a1 == ~a0, "addresses %llx %llx",
	      (unsigned long long)a0, (unsigned long long)a1);
	sqlite3_finalize(s);
	CHECK(strcmp(q_text(h, "SELECT addr0 FROM events_named WHERE id = 1"),
		     "0xffffffc000000000") == 0,
	      "hex address: %s", q_text(h, "SELECT addr0 FROM events_named WHERE id = 1"));
	/* A rolled-back batch leaves nothing, tallies included. */
	CHECK(db_tx_begin(db) == 0 && db_events_insert(db, run, recs, BATCH) == 0 &&
		      db_tx_rollback(db) == 0,
	      "rollback");
	CHECK(q_int(h, "SELECT count(*) FROM events") == BATCH * NBATCH &&
		      q_int(h, "SELECT sum(n) FROM event_tallies") == BATCH * NBATCH,
	      "rolled-back batch absent");
	/* Outside an explicit transaction each call is its own. */
	CHECK(db_events_insert(db, run, recs, 10) == 0 && db_loss_add(db, run, 1, 7, 100, 200) == 0,
	      "auto transactions");
	CHECK(q_int(h, "SELECT count(*) FROM events") == BATCH * NBATCH + 10, "auto batch kept");
	CHECK(q_int(h, "SELECT lost_events FROM run_summary") == 7, "loss");
	/* events_named joins reason names. */
	CHECK(db_reason_name_set(db, "vm_exit", 3, "timer") == 0, "reason name");
	CHECK(q_int(h, "SELECT count(*) FROM events_named WHERE reason_name = 'timer'") ==
		      q_int(h, "SELECT count(*) FROM events WHERE type = 9 AND reason = 3"),
	      "reason names in events_named");
	/* The analysis index: same answers, used by the planner. */
	int64_t before = q_int(h, "SELECT count(*) FROM events WHERE run_id = 1 AND type = 9");
	CHECK(db_events_index(db) == 0 && db_events_index(db) == 0, "index (twice)");
	CHECK(q_int(h, "SELECT count(*) FROM events WHERE run_id = 1 AND type = 9") == before &&
		      before == (int64_t)per_type[TP_VM_EXIT] +
					q_int(h, "SELECT count(*) FROM events WHERE rowid > 10000 "
						 "AND type = 9"),
	      "count by type with the index");
	CHECK(plan_uses(h, "SELECT count(*) FROM events WHERE run_id = 1 AND type = 9",
			"events_by_run_type"),
	      "index used");
	/* Deleting a run removes everything of it. */
	CHECK(raw_exec(t_path("batch.db"), "PRAGMA foreign_keys=ON; DELETE FROM runs") == 0 &&
		      q_int(h, "SELECT count(*) FROM events") == 0 &&
		      q_int(h, "SELECT count(*) FROM event_tallies") == 0,
	      "cascade delete");
	db_close(db);
}

/* A COMMIT that fails with the transaction still open (a deferred
 * foreign-key violation is one: SQLite keeps the transaction active,
 * https://sqlite.org/foreignkeys.html section 4.2) is rolled back by
 * db_tx_commit: nothing of the batch is kept and the next batch starts. */
static void test_failed_commit(void)
{
	struct db *db = t_open(t_path("commit.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(db_tx_begin(db) == 0 &&
		      sqlite3_exec(h, "PRAGMA defer_foreign_keys=ON", NULL, NULL, NULL) ==
			      SQLITE_OK &&
		      sqlite3_exec(h, "INSERT INTO run_params VALUES (999, 'orphan', 1)", NULL,
				   NULL, NULL) == SQLITE_OK,
	      "batch with a deferred violation: %s", sqlite3_errmsg(h));
	CHECK(db_tx_commit(db) == -1 && strstr(db_errmsg(db), "committing a batch"),
	      "commit refused: %s", db_errmsg(db));
	CHECK(sqlite3_get_autocommit(h) != 0, "transaction closed after the failed commit");
	CHECK(q_int(h, "SELECT count(*) FROM run_params") == 0, "nothing of the batch kept");
	struct db_run_meta m = { .config = "stvt", .workload = "w", .vcpus = 1 };
	int64_t run;
	CHECK(db_tx_begin(db) == 0 && db_run_begin(db, &m, &run) == 0 && db_tx_commit(db) == 0,
	      "the next batch commits: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT count(*) FROM runs") == 1, "next batch kept");
	db_close(db);
}

/* ------------------------------------------------------------ views */

struct cell {
	const char *config;
	unsigned vcpus, rep;
	const char *status;
	uint64_t instr, cycles;
	double metric;
	uint64_t tlb_miss, alt_tlb_miss; /* injected faults */
};

static int64_t add_run(struct db *db, int64_t campaign, const struct cell *c)
{
	struct db_run_meta m = { .campaign_id = campaign,
				 .config = c->config,
				 .workload = "kernel-build",
				 .vcpus = c->vcpus,
				 .repetition = c->rep };
	int64_t run;
	if (db_run_begin(db, &m, &run))
		return -1;
	for (unsigned v = 0; v < c->vcpus; v++) {
		/* Split over vCPUs unevenly: the views must sum. */
		uint64_t share = v == 0 ? c->tlb_miss - c->tlb_miss / c->vcpus * (c->vcpus - 1)
					: c->tlb_miss / c->vcpus;
		db_counter_add(db, run, v, "inject", "tlb_miss", share, 0);
		db_counter_add(db, run, v, "vm_exit", "tlb_miss", share, share * 100);
	}
	db_counter_add(db, run, 0, "inject", "alt_tlb_miss", c->alt_tlb_miss, 0);
	struct db_run_result r = { .instructions = c->instr,
				   .cycles = c->cycles,
				   .metric_name = "builds_per_gcycle",
				   .metric_value = c->metric };
	enum db_run_status st = strcmp(c->status, "complete") == 0 ? DB_RUN_COMPLETE
				: strcmp(c->status, "failed") == 0 ? DB_RUN_FAILED
								   : DB_RUN_INCOMPLETE;
	if (db_run_finish(db, run, &r, st))
		return -1;
	return run;
}

/* An import stores only the fault kinds that happened: a run without a
 * row for a kind injected none, and the cell's mean counts it as 0.  A run
 * without an instruction count has no rate and is left out of the rate's
 * mean only. */
static void test_view_missing_kind(void)
{
	struct db *db = t_open(t_path("views_missing.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	static const struct {
		uint64_t instr, tlb_miss, nested;
	} runs[] = { { 1000000, 4, 10 }, { 1000000, 6, 0 }, { 0, 5, 0 } };
	for (unsigned i = 0; i < 3; i++) {
		struct db_run_meta m = {
			.config = "HTVT", .workload = "kbuild", .vcpus = 1, .repetition = i
		};
		int64_t run;
		CHECK(db_run_begin(db, &m, &run) == 0, "run %u: %s", i, db_errmsg(db));
		db_counter_add(db, run, 0, "inject", "tlb_miss", runs[i].tlb_miss, 0);
		if (runs[i].nested)
			db_counter_add(db, run, 0, "inject", "nested", runs[i].nested, 0);
		struct db_run_result r = { .instructions = runs[i].instr, .cycles = 1000 };
		CHECK(db_run_finish(db, run, &r, DB_RUN_COMPLETE) == 0, "finish %u", i);
	}
#define ROW_OF(kind)                                                                               \
	"SELECT kind || ' ' || runs || ' ' || printf('%.4f', n) || ' ' || printf('%.4f', "         \
	"per_million_instr) FROM injected_faults_by_config WHERE kind = '" kind "'"
	CHECK(strcmp(q_text(h, ROW_OF("nested")), "nested 3 3.3333 5.0000") == 0,
	      "kind in one run of 3: %s", q_text(h, ROW_OF("nested")));
	CHECK(strcmp(q_text(h, ROW_OF("tlb_miss")), "tlb_miss 3 5.0000 5.0000") == 0,
	      "kind in every run: %s", q_text(h, ROW_OF("tlb_miss")));
#undef ROW_OF
	db_close(db);
}

static void test_views(void)
{
	struct db *db = t_open(t_path("views.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	int64_t camp;
	db_campaign_get_or_create(db, "paper", NULL, &camp);
	static const struct cell cells[] = {
		{ "native", 1, 0, "complete", 1000000, 1000000, 10.0, 0, 0 },
		{ "native", 1, 1, "complete", 1000000, 1000000, 12.0, 0, 0 },
		{ "native", 2, 0, "complete", 1000000, 500000, 20.0, 0, 0 },
		{ "stvt", 1, 0, "complete", 1000000, 2000000, 5.0, 2907, 114761 },
		{ "stvt", 1, 1, "complete", 2000000, 4000000, 6.0, 5814, 229522 },
		{ "stvt", 1, 2, "incomplete", 1000000, 9000000, 1.0, 99999, 99999 },
		{ "stvt", 2, 0, "complete", 1000000, 1250000, 8.25, 3000, 120000 },
		{ "htvt", 1, 0, "complete", 1000000, 1400000, 8.8, 262, 2 },
	};
	int64_t ids[sizeof cells / sizeof cells[0]];
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		ids[i] = add_run(db, camp, &cells[i]);
		CHECK(ids[i] > 0, "run %zu: %s", i, db_errmsg(db));
	}
	char sql[512];
	/* run_summary */
	CHECK(q_int(h, "SELECT count(*) FROM run_summary") == 8, "one row per run");
	snprintf(sql, sizeof sql,
		 "SELECT config || ' ' || workload || ' ' || vcpus || ' ' || repetition || ' ' || "
		 "status || ' ' || instructions || ' ' || cycles || ' ' || metric FROM run_summary "
		 "WHERE id = %lld",
		 (long long)ids[5]);
	CHECK(strcmp(q_text(h, sql), "stvt kernel-build 1 2 incomplete 1000000 9000000 1.0") == 0,
	      "run_summary row: %s", q_text(h, sql));
	/* exit_counts: summed over vCPUs, with cycles. */
	snprintf(sql, sizeof sql, "SELECT n || ' ' || cycles FROM exit_counts WHERE run_id = %lld",
		 (long long)ids[6]);
	CHECK(strcmp(q_text(h, sql), "3000 300000") == 0, "exit_counts: %s", q_text(h, sql));
	/* injected_faults */
	snprintf(sql, sizeof sql,
		 "SELECT group_concat(kind || '=' || n, ',') FROM (SELECT * FROM injected_faults "
		 "WHERE run_id = %lld ORDER BY kind)",
		 (long long)ids[3]);
	CHECK(strcmp(q_text(h, sql), "alt_tlb_miss=114761,tlb_miss=2907") == 0,
	      "injected_faults: %s", q_text(h, sql));
	/* Rates of one run: 2907 faults in 10^6 instructions. */
	snprintf(sql, sizeof sql,
		 "SELECT per_10k_instr FROM injected_fault_rates WHERE run_id = %lld AND kind = "
		 "'tlb_miss'",
		 (long long)ids[3]);
	CHECK(q_real(h, sql) > 29.0699 && q_real(h, sql) < 29.0701, "per 10^4: %f", q_real(h, sql));
	snprintf(sql, sizeof sql,
		 "SELECT per_million_instr || ' ' || n_x10k FROM injected_fault_rates WHERE "
		 "run_id = %lld AND kind = 'tlb_miss'",
		 (long long)ids[3]);
	CHECK(strcmp(q_text(h, sql), "2907.0 0.2907") == 0, "per 10^6, x10^4: %s", q_text(h, sql));
	/* Table 1 shape: the incomplete repetition is left out. */
	CHECK(q_real(h, "SELECT per_10k_instr FROM injected_faults_by_config WHERE config = "
			"'stvt' AND vcpus = 1 AND kind = 'alt_tlb_miss'") > 1147.60 &&
		      q_real(h,
			     "SELECT per_10k_instr FROM injected_faults_by_config WHERE config = "
			     "'stvt' AND vcpus = 1 AND kind = 'alt_tlb_miss'") < 1147.62,
	      "alt tlb per 10^4 averaged over complete runs");
	CHECK(q_int(h, "SELECT runs FROM injected_faults_by_config WHERE config = 'stvt' AND "
		       "vcpus = 1 AND kind = 'tlb_miss'") == 2,
	      "two complete repetitions");
	CHECK(q_real(h, "SELECT per_10k_instr FROM injected_faults_by_config WHERE config = "
			"'htvt' AND kind = 'tlb_miss'") > 2.619 &&
		      q_real(h,
			     "SELECT per_10k_instr FROM injected_faults_by_config WHERE config = "
			     "'htvt' AND kind = 'tlb_miss'") < 2.621,
	      "htvt tlb miss per 10^4");
	/* Normalized to native: stvt 1 vCPU mean 5.5 / native mean 11. */
	CHECK(q_real(h, "SELECT metric_vs_native FROM metric_normalized WHERE config = 'stvt' "
			"AND vcpus = 1") == 0.5,
	      "stvt vs native: %f",
	      q_real(h, "SELECT metric_vs_native FROM metric_normalized WHERE config = 'stvt' AND "
			"vcpus = 1"));
	CHECK(q_real(h, "SELECT metric_vs_native FROM metric_normalized WHERE config = 'native' "
			"AND vcpus = 2") == 1.0,
	      "native is 1");
	CHECK(q_real(h, "SELECT cycles_vs_native FROM metric_normalized WHERE config = 'htvt'") ==
		      1.4,
	      "cycles vs native");
	CHECK(q_real(h, "SELECT metric_vs_native FROM metric_normalized WHERE config = 'stvt' "
			"AND vcpus = 2") == 8.25 / 20.0,
	      "stvt 2 vCPUs vs native 2 vCPUs");
	/* vCPU scaling against 1 vCPU of the same config. */
	CHECK(q_real(h, "SELECT metric_vs_base FROM vcpu_scaling WHERE config = 'native' AND "
			"vcpus = 2") == 20.0 / 11.0,
	      "native scaling");
	CHECK(q_real(h, "SELECT cycles_speedup FROM vcpu_scaling WHERE config = 'stvt' AND "
			"vcpus = 2") == 3000000.0 / 1250000.0,
	      "stvt speedup in cycles: %f",
	      q_real(h,
		     "SELECT cycles_speedup FROM vcpu_scaling WHERE config = 'stvt' AND vcpus = 2"));
	CHECK(q_int(h, "SELECT base_vcpus FROM vcpu_scaling WHERE config = 'htvt'") == 1, "base");
	CHECK(q_int(h, "SELECT count(*) FROM unfinished_runs") == 1, "one unfinished run");
	CHECK(q_int(h, "SELECT n FROM run_counters WHERE run_id = 4 AND event = 'inject' AND "
		       "reason = 'tlb_miss'") == 2907,
	      "run_counters");
	db_close(db);
}

int main(void)
{
	t_setup();
	test_embedded_sql_in_sync();
	test_create();
	test_event_types_match_generated_sql();
	test_migrate_v1();
	test_view_missing_kind();
	test_upgrade();
	test_refusals();
	test_runs_and_params();
	test_find_complete_cell();
	test_merge();
	test_merge_running_then_finished();
	test_merge_which_are_here();
	test_merge_all_or_nothing();
	test_event_types_completed();
	test_batches();
	test_failed_commit();
	test_views();
	return t_finish();
}
