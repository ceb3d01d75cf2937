/*
 * merge.c - db_merge(): the runs of another results database (a shard,
 * written by one cell of a campaign run as a job array) copied into this
 * one (db.h).
 *
 * The shard is first opened as a writer would open it (db_open: migrated
 * to this schema, runs of dead writers marked incomplete), then attached
 * and only read, and everything is copied inside one transaction: campaigns by
 * name, each run not already here under a new id (replacing a copy merged
 * while it was still running, once the shard's has finished), and the rows of every
 * per-run table (run_params, counters, event_tallies, events, losses,
 * host_counters) through a map of old to new run ids; reason names are
 * added where missing.  A run is already here when a run with the same
 * configuration, workload, vCPUs, repetition, start time and writer (pid
 * and host) exists, so merging a shard twice adds nothing; a campaign's
 * complete run is also left out when its cell already has a complete run
 * here (pick_runs).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_private.h"

/* Per-run tables: columns copied after run_id (all but run_id itself). */
static const struct {
	const char *table, *columns;
} per_run[] = {
	{ "run_params", "name, value" },
	{ "counters", "vcpu, event, reason, n, cycles" },
	{ "event_tallies", "type, n" },
	{ "events", "seq, vcpu, level, type, reason, cycles, addr0, addr1, aux" },
	{ "losses", "vcpu, lost, first_cycles, last_cycles" },
	{ "host_counters", "name, value, supported" },
};

#define RUN_COLUMNS                                                                                \
	"config, workload, workload_params, vcpus, repetition, status, started_at, finished_at, "  \
	"instructions, cycles, metric_name, metric_value, output_digest, wall_ns, exit_code, "     \
	"exit_reason, vtlab_version, params, costs, trace_spec, writer_pid, writer_host"

/* Run m here is run s of the shard: same configuration, workload, vCPUs,
 * repetition, start and writer. */
#define SAME_RUN                                                                                   \
	"m.config = s.config AND m.workload = s.workload AND m.vcpus = s.vcpus AND "               \
	"m.repetition = s.repetition AND m.started_at = s.started_at AND m.writer_pid IS "         \
	"s.writer_pid AND m.writer_host IS s.writer_host"

/* The shard's runs to copy, into temp.run_pick: those not here already,
 * and of a campaign's complete runs only those whose cell (campaign name,
 * configuration, workload, vCPUs, repetition, campaign_cell) has no
 * complete run here: a cell run again in a fresh shard after an earlier
 * merge must not count twice in the tables.  A run here that is still
 * 'running' while the shard's copy has finished does not count: it was
 * merged while its cell ran (on another node, whose runs no recovery
 * here touches) and is replaced (drop_stale_copies).  Chosen in one
 * statement, before anything is inserted. */
static const char pick_runs[] =
	"INSERT INTO temp.run_pick(old) SELECT s.id FROM shard.runs s "
	"LEFT JOIN shard.campaigns sc ON sc.id = s.campaign_id "
	"LEFT JOIN shard.run_params sp ON sp.run_id = s.id AND sp.name = 'campaign_cell' "
	"WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE " SAME_RUN " AND NOT (m.status = "
	"'running' AND s.status <> 'running')) "
	"AND NOT (s.status = 'complete' AND sc.name IS NOT NULL AND EXISTS (SELECT 1 FROM "
	"main.runs m JOIN main.campaigns mc ON mc.id = m.campaign_id LEFT JOIN main.run_params "
	"mp ON mp.run_id = m.id AND mp.name = 'campaign_cell' WHERE m.status = 'complete' AND "
	"mc.name = sc.name AND m.config = s.config AND m.workload = s.workload AND m.vcpus = "
	"s.vcpus AND m.repetition = s.repetition AND mp.value IS sp.value)) "
	"ORDER BY s.id";

/* Deletes the 'running' copies here of the runs picked to replace them,
 * with their rows (whatever the connection's foreign_keys setting). */
static int drop_stale_copies(struct db *db)
{
	static const char stale[] = "SELECT m.id FROM main.runs m JOIN shard.runs s ON " SAME_RUN
				    " JOIN temp.run_pick p ON p.old = s.id WHERE m.status = "
				    "'running'";
	char sql[1024];
	for (size_t i = 0; i < sizeof per_run / sizeof per_run[0]; i++) {
		snprintf(sql, sizeof sql, "DELETE FROM main.%s WHERE run_id IN (%s)",
			 per_run[i].table, stale);
		if (dbi_exec(db, sql, "replacing a run merged while it was running"))
			return -1;
	}
	snprintf(sql, sizeof sql, "DELETE FROM main.runs WHERE id IN (%s)", stale);
	return dbi_exec(db, sql, "replacing a run merged while it was running");
}

/* The picked runs inserted under their campaign (matched by name), each
 * old id mapped to its new one in temp.run_map. */
static int copy_runs(struct db *db, unsigned *n)
{
	static const char insert[] =
		"INSERT INTO main.runs(campaign_id, " RUN_COLUMNS ") SELECT (SELECT m.id FROM "
		"main.campaigns m JOIN shard.campaigns c ON c.name = m.name WHERE c.id = "
		"s.campaign_id), " RUN_COLUMNS " FROM shard.runs s WHERE s.id = ?";
	sqlite3_stmt *p = NULL, *ins = NULL, *map = NULL;
	if (dbi_exec(db, pick_runs, "choosing the shard's runs to copy") || drop_stale_copies(db))
		return -1;
	sqlite3_prepare_v2(db->h, "SELECT old FROM temp.run_pick ORDER BY old", -1, &p, NULL);
	sqlite3_prepare_v2(db->h, insert, -1, &ins, NULL);
	sqlite3_prepare_v2(db->h, "INSERT INTO temp.run_map(old, new) VALUES (?, ?)", -1, &map,
			   NULL);
	int rc = p && ins && map ? SQLITE_ROW : SQLITE_ERROR;
	while (rc == SQLITE_ROW && (rc = sqlite3_step(p)) == SQLITE_ROW) {
		sqlite3_int64 old = sqlite3_column_int64(p, 0);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, old);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE)
			break;
		sqlite3_reset(map);
		sqlite3_bind_int64(map, 1, old);
		sqlite3_bind_int64(map, 2, sqlite3_last_insert_rowid(db->h));
		if ((rc = sqlite3_step(map)) != SQLITE_DONE)
			break;
		(*n)++;
		rc = SQLITE_ROW;
	}
	int err = rc == SQLITE_DONE ? 0 : sqlite3_errcode(db->h);
	sqlite3_finalize(p);
	sqlite3_finalize(ins);
	sqlite3_finalize(map);
	return err ? dbi_fail(db, err, "copying the shard's runs") : 0;
}

static int copy_rows(struct db *db)
{
	char sql[512];
	for (size_t i = 0; i < sizeof per_run / sizeof per_run[0]; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO main.%s(run_id, %s) SELECT m.new, %s FROM shard.%s x JOIN "
			 "temp.run_map m ON m.old = x.run_id",
			 per_run[i].table, per_run[i].columns, per_run[i].columns,
			 per_run[i].table);
		if (dbi_exec(db, sql, per_run[i].table))
			return -1;
	}
	return dbi_exec(db,
			"INSERT OR IGNORE INTO main.reason_names(event, code, name) SELECT event, "
			"code, name FROM shard.reason_names",
			"reason names");
}

static int merge_attached(struct db *db, unsigned *n)
{
	if (dbi_exec(db,
		     "CREATE TEMP TABLE IF NOT EXISTS run_map(old INTEGER PRIMARY KEY, new "
		     "INTEGER NOT NULL); DELETE FROM temp.run_map; CREATE TEMP TABLE IF NOT "
		     "EXISTS run_pick(old INTEGER PRIMARY KEY); DELETE FROM temp.run_pick",
		     "a scratch table") ||
	    db_tx_begin(db))
		return -1;
	int rc = dbi_exec(db,
			  "INSERT OR IGNORE INTO main.campaigns(name, file, created_at, "
			  "description) SELECT name, file, created_at, description FROM "
			  "shard.campaigns",
			  "copying campaigns") ||
		 copy_runs(db, n) || copy_rows(db);
	if (rc) {
		db_tx_rollback(db);
		*n = 0;
		return -1;
	}
	return db_tx_commit(db);
}

/* Brings the shard to this schema and recovers its dead writers' runs;
 * refuses a missing file (db_open would create it) and this database. */
static int prepare_shard(struct db *db, const char *path)
{
	struct db *shard;
	struct stat a, b;
	char err[DB_ERR_LEN / 2]; /* room for the hint below in db->err */
	if (stat(path, &a) != 0)
		return dbi_failf(db, "cannot merge %s: %s", path, strerror(errno));
	if (stat(db->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return dbi_failf(db, "cannot merge %s into itself", path);
	if (db_open(path, &shard, err, sizeof err) != 0) {
		/* a read-only copy (an archive, a ro mount) cannot be prepared */
		snprintf(db->err, sizeof db->err,
			 "%s (a shard is opened for writing, to migrate it and recover its dead "
			 "writers' runs, before it is read: if it is read-only, copy it to a "
			 "writable place and merge the copy)",
			 err);
		return -1;
	}
	db_close(shard);
	return 0;
}

int db_merge(struct db *db, const char *shard_path, unsigned *runs_added)
{
	sqlite3_stmt *s;
	unsigned n = 0;
	if (runs_added)
		*runs_added = 0;
	if (prepare_shard(db, shard_path))
		return -1;
	if (sqlite3_prepare_v2(db->h, "ATTACH ?1 AS shard", -1, &s, NULL) != SQLITE_OK)
		return dbi_fail(db, sqlite3_errcode(db->h), "attaching the shard");
	sqlite3_bind_text(s, 1, shard_path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return dbi_failf(db, "attaching %s: %s", shard_path, sqlite3_errmsg(db->h));
	rc = merge_attached(db, &n);
	dbi_exec(db, "DETACH shard", "detaching the shard");
	if (runs_added)
		*runs_added = n;
	return rc;
}
