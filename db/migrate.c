/*
 * migrate.c - the schema version of a results database and its forward
 * migrations; the event_types rows from tracer/tracepoints.def.
 *
 * Contract: PRAGMA user_version holds the schema version (0 on a new
 * file).  A new, empty database gets db/schema.sql; a database of version
 * v < DB_SCHEMA_VERSION gets the migrations v+1 .. DB_SCHEMA_VERSION in
 * order; either way db/views.sql is applied after, all in one transaction
 * (a failed migration leaves the file as it was).  Table schema_version
 * gets one row per version reached.  A database of a newer version, or an
 * SQLite file with tables but no version (not a vtlab database), is
 * refused with a message saying so.
 *
 * Adding a version: bump DB_SCHEMA_VERSION, change db/schema.sql (new
 * columns at the end of their table, as ALTER TABLE ADD COLUMN puts them),
 * append the migration below, and check test_db's "migrated equals fresh"
 * test still passes.
 */
#include <stdio.h>
#include <string.h>

#include "db_private.h"

struct migration {
	int to;          /* the version reached */
	const char *sql; /* from version to-1 */
};

/* Version 1 was issue 5's first schema (campaigns, runs, event_types,
 * events with an index on (run_id, type), counters, losses).  Version 2
 * drops that index (it more than halved the collector's insert rate; the
 * counts by type come from the new event_tallies table), and adds the tracing metadata and
 * writer identity of a run (for recovery of runs whose writer died), the
 * run_params, event_tallies, host_counters and reason_names tables.
 * Version 3 changes only a view: injected_faults_by_config divides by every
 * complete run of the cell, not by the runs that have a row for the kind
 * (the views are applied again after every migration). */
static const struct migration migrations[] = {
	{ 2, "DROP INDEX IF EXISTS events_by_run_type;"
	     "ALTER TABLE runs ADD COLUMN trace_spec TEXT;"
	     "ALTER TABLE runs ADD COLUMN writer_pid INTEGER;"
	     "ALTER TABLE runs ADD COLUMN writer_host TEXT;"
	     "CREATE INDEX runs_by_cell ON runs(campaign_id, config, workload, vcpus, repetition);"
	     "CREATE TABLE run_params (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE "
	     "CASCADE, name TEXT NOT NULL, value, PRIMARY KEY (run_id, name)) WITHOUT ROWID;"
	     "CREATE INDEX run_params_by_name ON run_params(name, value);"
	     "CREATE TABLE event_tallies (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE "
	     "CASCADE, type INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (run_id, type)) "
	     "WITHOUT ROWID;"
	     "INSERT INTO event_tallies SELECT run_id, type, count(*) FROM events "
	     "GROUP BY run_id, type;"
	     "CREATE TABLE host_counters (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE "
	     "CASCADE, name TEXT NOT NULL, value INTEGER, supported INTEGER NOT NULL CHECK "
	     "(supported IN (0, 1)), PRIMARY KEY (run_id, name)) WITHOUT ROWID;"
	     "CREATE TABLE reason_names (event TEXT NOT NULL, code INTEGER NOT NULL, name TEXT "
	     "NOT NULL, PRIMARY KEY (event, code)) WITHOUT ROWID;" },
	{ 3, "" },
};

_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION - 1,
	       "one migration per schema version after 1");

/* 1 if the database has tables of its own (not created by vtlab when its
 * version is 0), 0 if not, -1 on error. */
static int has_tables(struct db *db)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(
		db->h, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", -1, &s,
		NULL);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, "reading the schema");
	rc = sqlite3_step(s);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	return n < 0 ? dbi_fail(db, rc, "reading the schema") : n > 0;
}

static int refuse_newer(struct db *db, int v)
{
	return dbi_failf(db,
			 "written by a newer vtlab (schema version %d; this vtlab knows versions "
			 "up to %d): open it with that vtlab or a newer one",
			 v, DB_SCHEMA_VERSION);
}

static int record_version(struct db *db, int v)
{
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO schema_version(version) VALUES (%d)", v);
	return dbi_exec(db, sql, "recording the schema version");
}

/* From version v (inside the caller's transaction) to DB_SCHEMA_VERSION. */
static int upgrade(struct db *db, int v)
{
	if (v == 0) {
		int t = has_tables(db);
		if (t < 0)
			return -1;
		if (t)
			return dbi_failf(db, "not a vtlab database (it has tables but no vtlab "
					     "schema version in PRAGMA user_version)");
		if (dbi_exec(db, db_schema_sql, "creating the schema (db/schema.sql)"))
			return -1;
	} else {
		for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
			char what[64];
			if (migrations[i].to <= v)
				continue;
			snprintf(what, sizeof what, "migrating to schema version %d",
				 migrations[i].to);
			if (dbi_exec(db, migrations[i].sql, what) ||
			    record_version(db, migrations[i].to))
				return -1;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
	if (dbi_exec(db, db_views_sql, "creating the views (db/views.sql)") ||
	    record_version(db, DB_SCHEMA_VERSION) ||
	    dbi_exec(db, pragma, "setting the schema version"))
		return -1;
	return 0;
}

int dbi_migrate(struct db *db)
{
	int v = db_schema_version(db);
	if (v < 0)
		return -1;
	if (v > DB_SCHEMA_VERSION)
		return refuse_newer(db, v);
	if (v == DB_SCHEMA_VERSION)
		return 0;
	if (db_tx_begin(db))
		return -1;
	/* Read again under the write lock: another process may have created
	 * or migrated the file meanwhile. */
	v = db_schema_version(db);
	int rc = v < 0 ? -1 : v > DB_SCHEMA_VERSION ? refuse_newer(db, v) : 0;
	if (rc == 0 && v < DB_SCHEMA_VERSION)
		rc = upgrade(db, v);
	return dbi_tx_end(db, true, rc);
}

/* The tracepoints, in tracepoints.def order (the position is the type).
 * Same rows as the tracer's generated db/event_types.sql (agreement:
 * /work/notes/event_types.txt; test_db checks they are equal), taken from
 * the .def directly so the binary needs no generated file. */
static const struct {
	const char *id, *category, *desc, *reason, *addr0, *addr1, *aux;
} tracepoints[] = {
#define TP(id, cat, desc, reason, addr0, addr1, aux) { #id, #cat, desc, reason, addr0, addr1, aux },
#include "tracepoints.def"
};

_Static_assert(sizeof tracepoints / sizeof tracepoints[0] == TP_COUNT, "one row per tracepoint");

static int event_type_count(struct db *db)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->h, "SELECT count(*) FROM event_types", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, "reading event_types");
	rc = sqlite3_step(s);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	return n < 0 ? dbi_fail(db, rc, "reading event_types") : n;
}

static int insert_event_types(struct db *db)
{
	sqlite3_stmt *s;
	int rc =
		sqlite3_prepare_v2(db->h,
				   "INSERT OR REPLACE INTO event_types(id, name, category, "
				   "description, reason_meaning, addr0_meaning, addr1_meaning, "
				   "aux_meaning) VALUES (?, lower(?), lower(?), ?, NULLIF(?, '-'), "
				   "NULLIF(?, '-'), NULLIF(?, '-'), NULLIF(?, '-'))",
				   -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, "preparing the event_types insert");
	for (unsigned i = 0; i < TP_COUNT && rc == SQLITE_OK; i++) {
		const char *cols[] = { tracepoints[i].id,    tracepoints[i].category,
				       tracepoints[i].desc,  tracepoints[i].reason,
				       tracepoints[i].addr0, tracepoints[i].addr1,
				       tracepoints[i].aux };
		sqlite3_bind_int(s, 1, (int)i);
		for (int c = 0; c < 7; c++)
			sqlite3_bind_text(s, c + 2, cols[c], -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? 0 : dbi_fail(db, rc, "filling event_types");
}

int dbi_sync_event_types(struct db *db)
{
	int n = event_type_count(db);
	if (n < 0)
		return -1;
	if (n >= TP_COUNT)
		return 0; /* up to date, or written by a vtlab with more tracepoints */
	bool own;
	if (dbi_tx_auto(db, &own))
		return -1;
	return dbi_tx_end(db, own, insert_event_types(db));
}
