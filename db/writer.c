/*
 * writer.c - the writing half of db.h: campaigns, runs and their
 * parameters, events, counters, losses, host counters, reason names.
 *
 * Contract (db.h): each call is one transaction unless the caller opened
 * one (db_tx_begin), with cached prepared statements.  64-bit unsigned
 * values are stored as the signed integer with the same bits (SQLite
 * integers are signed 64-bit, https://sqlite.org/datatype3.html).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db_private.h"
#include "record_table.h"

/* Room for a host name in writer_host. */
#define HOST_NAME_LEN 256

static const char *const status_names[] = {
	[DB_RUN_RUNNING] = "running",
	[DB_RUN_COMPLETE] = "complete",
	[DB_RUN_INCOMPLETE] = "incomplete",
	[DB_RUN_FAILED] = "failed",
};

const char *db_run_status_name(enum db_run_status s)
{
	return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

/* The signed 64-bit integer with the bits of v. */
static sqlite3_int64 bits(uint64_t v)
{
	sqlite3_int64 i;
	memcpy(&i, &v, sizeof i);
	return i;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Binds ?1..?5 to the campaign cell of run m: its campaign (NULL when 0),
 * config and workload ("" when NULL), vCPUs and repetition, as a run is
 * stored and as its cell is looked up. */
static void bind_cell(sqlite3_stmt *s, const struct db_run_meta *m)
{
	if (m->campaign_id)
		sqlite3_bind_int64(s, 1, m->campaign_id);
	sqlite3_bind_text(s, 2, m->config ? m->config : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, m->workload ? m->workload : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, m->vcpus);
	sqlite3_bind_int64(s, 5, m->repetition);
}

/* Runs a one-shot statement with text/int binds already applied; 0 or the
 * error code.  Finalizes it. */
static int step_once(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : rc;
}

/* This host's name, NUL-terminated even when gethostname() cuts it short
 * (the writer_host that writer_gone() compares). */
static void host_name(char host[HOST_NAME_LEN])
{
	memset(host, 0, HOST_NAME_LEN);
	gethostname(host, HOST_NAME_LEN - 1);
}

static int prepare(struct db *db, const char *sql, sqlite3_stmt **s)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, s, NULL);
	return rc == SQLITE_OK ? 0 : dbi_fail(db, rc, "preparing a statement");
}

/* Runs a one-shot query whose binds are applied: *out = the integer in the
 * first column of its first row, left as it is when there is no row.
 * Finalizes it; 0, or dbi_fail(what). */
static int step_int64(struct db *db, sqlite3_stmt *s, int64_t *out, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dbi_fail(db, rc, what);
}

int db_campaign_find(struct db *db, const char *name, int64_t *id)
{
	sqlite3_stmt *s;
	*id = 0;
	if (prepare(db, "SELECT id FROM campaigns WHERE name = ?", &s))
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	return step_int64(db, s, id, "looking up the campaign");
}

int db_campaign_get_or_create(struct db *db, const char *name, const char *file, int64_t *id)
{
	sqlite3_stmt *s;
	bool own;
	int rc = 0;
	*id = 0;
	if (!name || !*name)
		return dbi_failf(db, "campaign name: expected a non-empty name");
	if (dbi_tx_auto(db, &own))
		return -1;
	if (prepare(db,
		    "INSERT INTO campaigns(name, file) VALUES (?, ?) "
		    "ON CONFLICT(name) DO NOTHING",
		    &s) == 0) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		bind_text_or_null(s, 2, file);
		int e = step_once(s);
		if (e)
			rc = dbi_fail(db, e, "creating the campaign");
		else if (db_campaign_find(db, name, id))
			rc = -1;
		else if (*id == 0)
			rc = dbi_failf(db, "campaign \"%s\": not found after insert", name);
	} else {
		rc = -1;
	}
	return dbi_tx_end(db, own, rc);
}

int db_campaign_describe(struct db *db, int64_t id, const char *description)
{
	sqlite3_stmt *s;
	if (!description)
		return 0;
	if (prepare(db, "UPDATE campaigns SET description = ? WHERE id = ?", &s))
		return -1;
	sqlite3_bind_text(s, 1, description, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, id);
	int e = step_once(s);
	return e ? dbi_fail(db, e, "storing the campaign's description") : 0;
}

/* Copies the leaves of a JSON object into run_params as PREFIX + path
 * ("vtlb.buckets"; json_tree quotes keys with characters other than
 * letters and digits, the quotes are dropped). */
static int store_params(struct db *db, int64_t run, const char *json, const char *prefix,
			const char *what)
{
	sqlite3_stmt *s;
	if (!json)
		return 0;
	if (prepare(db,
		    "INSERT OR REPLACE INTO run_params(run_id, name, value) "
		    "SELECT ?1, ?3 || replace(substr(fullkey, 3), '\"', ''), value "
		    "FROM json_tree(?2) "
		    "WHERE type NOT IN ('object', 'array')",
		    &s))
		return -1;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_text(s, 2, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, prefix, -1, SQLITE_STATIC);
	int rc = step_once(s);
	return rc ? dbi_fail(db, rc, what) : 0;
}

static int insert_run(struct db *db, const struct db_run_meta *m, int64_t *run_id)
{
	sqlite3_stmt *s;
	char host[HOST_NAME_LEN];
	host_name(host);
	if (prepare(db,
		    "INSERT INTO runs(campaign_id, config, workload, vcpus, repetition, "
		    "workload_params, status, params, costs, trace_spec, vtlab_version, writer_pid, "
		    "writer_host) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
		    &s))
		return -1;
	bind_cell(s, m);
	bind_text_or_null(s, 6, m->workload_params);
	bind_text_or_null(s, 7, m->params_json);
	bind_text_or_null(s, 8, m->costs_json);
	bind_text_or_null(s, 9, m->trace_spec);
	bind_text_or_null(s, 10, m->vtlab_version);
	sqlite3_bind_int64(s, 11, getpid());
	sqlite3_bind_text(s, 12, host, -1, SQLITE_STATIC);
	int rc = step_once(s);
	if (rc)
		return dbi_fail(db, rc, "inserting the run");
	*run_id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int db_run_begin(struct db *db, const struct db_run_meta *m, int64_t *run_id)
{
	bool own;
	*run_id = 0;
	if (dbi_tx_auto(db, &own))
		return -1;
	int64_t id = 0;
	int rc = insert_run(db, m, &id);
	if (rc == 0)
		rc = store_params(db, id, m->params_json, "", "storing the run's params (JSON)");
	if (rc == 0)
		rc = store_params(db, id, m->costs_json, "cost.", "storing the run's costs (JSON)");
	rc = dbi_tx_end(db, own, rc);
	if (rc == 0)
		*run_id = id;
	return rc;
}

int db_run_finish(struct db *db, int64_t run_id, const struct db_run_result *r,
		  enum db_run_status status)
{
	sqlite3_stmt *s;
	const char *sql =
		r ? "UPDATE runs SET status = ?2, "
		    "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
		    "instructions = ?3, cycles = ?4, metric_name = ?5, metric_value = ?6, "
		    "output_digest = ?7, wall_ns = ?8, exit_code = ?9, exit_reason = ?10 "
		    "WHERE id = ?1"
		  : "UPDATE runs SET status = ?2, "
		    "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1";
	if ((unsigned)status >= sizeof status_names / sizeof status_names[0])
		return dbi_failf(db, "run %lld: status %d is not a run status", (long long)run_id,
				 (int)status);
	if (prepare(db, sql, &s))
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, status_names[status], -1, SQLITE_STATIC);
	if (r) {
		sqlite3_bind_int64(s, 3, bits(r->instructions));
		sqlite3_bind_int64(s, 4, bits(r->cycles));
		bind_text_or_null(s, 5, r->metric_name);
		if (r->metric_name)
			sqlite3_bind_double(s, 6, r->metric_value);
		bind_text_or_null(s, 7, r->output_digest);
		sqlite3_bind_int64(s, 8, bits(r->wall_ns));
		sqlite3_bind_int(s, 9, r->exit_code);
		bind_text_or_null(s, 10, r->exit_reason);
	}
	int rc = step_once(s);
	if (rc)
		return dbi_fail(db, rc, "finishing the run");
	if (sqlite3_changes(db->h) != 1)
		return dbi_failf(db, "run %lld: no such run", (long long)run_id);
	return 0;
}

/* The runs of a campaign cell: ?1..?5 the cell's campaign, config,
 * workload, vCPUs and repetition, ?6 its campaign_cell (NULL: any). */
#define CELL_RUNS                                                                                  \
	"FROM runs WHERE campaign_id IS ?1 AND config = ?2 AND workload = ?3 AND vcpus = ?4 "      \
	"AND repetition = ?5 AND (?6 IS NULL OR EXISTS (SELECT 1 FROM run_params p WHERE "         \
	"p.run_id = runs.id AND p.name = 'campaign_cell' AND p.value = ?6))"

/* Runs `sql` (a query over CELL_RUNS) for the cell; *out = its one
 * integer, 0 when it has no row. */
static int cell_query(struct db *db, const char *sql, const struct db_run_meta *c,
		      const char *cell_key, int64_t *out)
{
	sqlite3_stmt *s;
	*out = 0;
	if (prepare(db, sql, &s))
		return -1;
	if (cell_key)
		sqlite3_bind_text(s, 6, cell_key, -1, SQLITE_STATIC);
	bind_cell(s, c);
	return step_int64(db, s, out, "looking up a run");
}

int db_run_find_complete(struct db *db, const struct db_run_meta *c, const char *cell_key,
			 int64_t *run_id)
{
	return cell_query(
		db, "SELECT id " CELL_RUNS " AND status = 'complete' ORDER BY id DESC LIMIT 1", c,
		cell_key, run_id);
}

int db_run_count_cell(struct db *db, const struct db_run_meta *c, const char *cell_key, int64_t *n)
{
	return cell_query(db, "SELECT count(*) " CELL_RUNS, c, cell_key, n);
}

int db_run_setting(struct db *db, int64_t id, const char *name, char *buf, size_t len, bool *found)
{
	const char *sql = "SELECT value FROM run_params WHERE run_id = ?1 AND name = ?2";
	if (strcmp(name, "workload_params") == 0)
		sql = "SELECT workload_params FROM runs WHERE id = ?1";
	else if (strcmp(name, "trace_spec") == 0)
		sql = "SELECT trace_spec FROM runs WHERE id = ?1";
	sqlite3_stmt *s;
	*found = false;
	buf[0] = '\0';
	if (prepare(db, sql, &s))
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*found = true;
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
						     : dbi_fail(db, rc, "reading a run's setting");
}

/* Marks run `id` incomplete if still running, with `why` as exit_reason
 * when it has none. */
static int mark_incomplete(struct db *db, int64_t id, const char *why, bool finished_now)
{
	sqlite3_stmt *s;
	if (prepare(db,
		    finished_now
			    ? "UPDATE runs SET status = 'incomplete', exit_reason = "
			      "COALESCE(exit_reason, ?2), finished_at = "
			      "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND status = "
			      "'running'"
			    : "UPDATE runs SET status = 'incomplete', exit_reason = "
			      "COALESCE(exit_reason, ?2) WHERE id = ?1 AND status = 'running'",
		    &s))
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
	int rc = step_once(s);
	return rc ? dbi_fail(db, rc, "marking a run incomplete") : 0;
}

int db_run_mark_incomplete(struct db *db, int64_t run_id, const char *why)
{
	return mark_incomplete(db, run_id, why ? why : "the VMM stopped before the end of the run",
			       true);
}

int db_run_default_reason(struct db *db, int64_t run_id, const char *why)
{
	sqlite3_stmt *s;
	if (prepare(db, "UPDATE runs SET exit_reason = COALESCE(exit_reason, ?2) WHERE id = ?1",
		    &s))
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
	int rc = step_once(s);
	return rc ? dbi_fail(db, rc, "storing why a run is incomplete") : 0;
}

/* True when the writer of a 'running' run can no longer write it: no pid
 * recorded, or a pid on this host that does not exist any more.  Runs
 * written from other hosts are left alone (their writer may be alive). */
static bool writer_gone(sqlite3_stmt *s, const char *host)
{
	if (sqlite3_column_type(s, 1) == SQLITE_NULL)
		return true;
	const char *h = (const char *)sqlite3_column_text(s, 2);
	if (!h || strcmp(h, host) != 0)
		return false;
	pid_t pid = (pid_t)sqlite3_column_int64(s, 1);
	if (pid <= 0)
		return true;
	return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH;
}

int db_runs_unfinished(struct db *db, int (*fn)(void *ctx, const struct db_run_brief *r), void *ctx)
{
	sqlite3_stmt *s;
	char host[HOST_NAME_LEN];
	host_name(host);
	/* columns 1 and 2 as writer_gone() reads them */
	if (prepare(db,
		    "SELECT r.id, r.writer_pid, r.writer_host, r.status, c.name, r.config, "
		    "r.workload, r.vcpus, r.exit_reason FROM runs r "
		    "LEFT JOIN campaigns c ON c.id = r.campaign_id "
		    "WHERE r.status <> 'complete' ORDER BY r.id",
		    &s))
		return -1;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct db_run_brief b = {
			.id = sqlite3_column_int64(s, 0),
			.writer_pid = sqlite3_column_int64(s, 1),
			.status = (const char *)sqlite3_column_text(s, 3),
			.campaign = (const char *)sqlite3_column_text(s, 4),
			.config = (const char *)sqlite3_column_text(s, 5),
			.workload = (const char *)sqlite3_column_text(s, 6),
			.vcpus = (unsigned)sqlite3_column_int64(s, 7),
			.exit_reason = (const char *)sqlite3_column_text(s, 8),
		};
		b.writer_gone =
			b.status && strcmp(b.status, "running") == 0 && writer_gone(s, host);
		stop = fn(ctx, &b);
	}
	sqlite3_finalize(s);
	return stop || rc == SQLITE_DONE ? 0 : dbi_fail(db, rc, "reading the unfinished runs");
}

int db_runs_recover(struct db *db, unsigned *n)
{
	sqlite3_stmt *s;
	char host[HOST_NAME_LEN];
	int64_t dead[64];
	unsigned ndead = 0, total = 0;
	host_name(host);
	if (n)
		*n = 0;
	/* Batches of 64 ids: the SELECT must be finished before the UPDATEs. */
	for (;;) {
		if (prepare(db,
			    "SELECT id, writer_pid, writer_host FROM runs "
			    "WHERE status = 'running' AND id > ? ORDER BY id",
			    &s))
			return -1;
		sqlite3_bind_int64(s, 1, ndead ? dead[ndead - 1] : 0);
		ndead = 0;
		int rc;
		while (ndead < 64 && (rc = sqlite3_step(s)) == SQLITE_ROW)
			if (writer_gone(s, host))
				dead[ndead++] = sqlite3_column_int64(s, 0);
		bool more = ndead == 64;
		sqlite3_finalize(s);
		if (!more && rc != SQLITE_DONE)
			return dbi_fail(db, rc, "looking for runs of dead writers");
		for (unsigned i = 0; i < ndead; i++)
			if (mark_incomplete(db, dead[i],
					    "its writer died before the end of the run", false))
				return -1;
		total += ndead;
		if (!more)
			break;
	}
	if (n)
		*n = total;
	return 0;
}

/* event_tallies += the counts of this batch. */
static int add_tallies(struct db *db, int64_t run, unsigned ntypes)
{
	for (unsigned i = 0; i < ntypes; i++) {
		unsigned t = db->tally_types[i];
		sqlite3_stmt *s =
			dbi_stmt(db, DBS_TALLY_ADD,
				 "INSERT INTO event_tallies(run_id, type, n) VALUES (?, ?, ?) "
				 "ON CONFLICT(run_id, type) DO UPDATE SET n = n + excluded.n");
		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, run);
		sqlite3_bind_int(s, 2, (int)t);
		sqlite3_bind_int64(s, 3, bits(db->tally[t]));
		db->tally[t] = 0;
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE) {
			for (unsigned j = i + 1; j < ntypes; j++)
				db->tally[db->tally_types[j]] = 0;
			return dbi_fail(db, rc, "counting the events by type");
		}
	}
	return 0;
}

/* One statement stores a whole batch: the rows come from the batch in
 * memory through vtlab_records (record_table.h), joined with the run so
 * that a missing run stores nothing (checked below) - the guarantee the
 * foreign key on events.run_id gives, checked once per batch instead of
 * once per row.  CROSS JOIN keeps runs the outer loop (one lookup). */
static const char events_insert_sql[] =
	"INSERT INTO events(run_id, seq, vcpu, level, type, reason, cycles, addr0, addr1, aux) "
	"SELECT r.id, e.seq, e.vcpu, e.level, e.type, e.reason, e.cycles, e.addr0, e.addr1, "
	"e.aux FROM runs AS r CROSS JOIN vtlab_records(?2, ?3) AS e WHERE r.id = ?1";

/* Turns foreign-key enforcement off (on = false) or back on for this
 * connection; *was says whether it was on.  SQLite checks a foreign key
 * row by row, opening a cursor on runs and seeking the run for every
 * event: 770 of 3690 host instructions per stored event (callgrind,
 * BENCHMARKS.md "Tracing"), for a run id the batch checks once.
 * Changing the setting expires the prepared statements, which SQLite
 * prepares again on their next step (once per batch: 0.7% of the time).
 * sqlite3_db_config() may change it inside a transaction, unlike PRAGMA
 * foreign_keys; the tests check that other tables keep the check. */
static void foreign_keys(struct db *db, bool on, int *was)
{
	if (!on)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_FKEY, -1, was);
	if (*was)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_FKEY, on ? 1 : 0, NULL);
}

/* Stores the batch and its tallies; 0, or -1 with the error in db->err. */
static int store_batch(struct db *db, int64_t run, const struct trace_record *recs, size_t n,
		       unsigned ntypes)
{
	sqlite3_stmt *s = dbi_stmt_bound(db, DBS_EVENT_INSERT, events_insert_sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_pointer(s, 2, (void *)recs, DB_RECORDS_PTR, NULL);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)n);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		char what[96];
		snprintf(what, sizeof what, "inserting %zu events into run %lld", n,
			 (long long)run);
		return dbi_fail(db, rc, what);
	}
	if ((size_t)sqlite3_changes64(db->h) != n)
		return dbi_failf(db, "inserting %zu events: run %lld: no such run", n,
				 (long long)run);
	return add_tallies(db, run, ntypes);
}

static int insert_events(struct db *db, int64_t run, const struct trace_record *recs, size_t n)
{
	unsigned ntypes = 0;
	int fk = 0;
	for (size_t i = 0; i < n; i++)
		if (db->tally[recs[i].type]++ == 0)
			db->tally_types[ntypes++] = recs[i].type;
	foreign_keys(db, false, &fk);
	int rc = store_batch(db, run, recs, n, ntypes);
	foreign_keys(db, true, &fk);
	if (rc)
		for (unsigned j = 0; j < ntypes; j++)
			db->tally[db->tally_types[j]] = 0;
	return rc;
}

int db_events_insert(struct db *db, int64_t run_id, const struct trace_record *recs, size_t n)
{
	bool own;
	if (n == 0)
		return 0;
	if (dbi_tx_auto(db, &own))
		return -1;
	return dbi_tx_end(db, own, insert_events(db, run_id, recs, n));
}

int db_events_index(struct db *db)
{
	return dbi_exec(db, "CREATE INDEX IF NOT EXISTS events_by_run_type ON events(run_id, type)",
			"creating the index on events(run_id, type)");
}

/* Runs a cached statement whose binds are set; on error dbi_fail(what). */
static int step_cached(struct db *db, sqlite3_stmt *s, const char *what)
{
	bool own;
	if (dbi_tx_auto(db, &own))
		return -1;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return dbi_tx_end(db, own, rc == SQLITE_DONE ? 0 : dbi_fail(db, rc, what));
}

int db_counter_add(struct db *db, int64_t run_id, unsigned vcpu, const char *event,
		   const char *reason, uint64_t n, uint64_t cycles)
{
	if (!event || !*event)
		return dbi_failf(db, "counter of run %lld: expected an event name",
				 (long long)run_id);
	sqlite3_stmt *s =
		dbi_stmt(db, DBS_COUNTER_ADD,
			 "INSERT INTO counters(run_id, vcpu, event, reason, n, cycles) "
			 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, vcpu, event, reason) "
			 "DO UPDATE SET n = n + excluded.n, cycles = cycles + excluded.cycles");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, vcpu);
	sqlite3_bind_text(s, 3, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, bits(n));
	sqlite3_bind_int64(s, 6, bits(cycles));
	return step_cached(db, s, "adding to a counter");
}

int db_loss_add(struct db *db, int64_t run_id, unsigned vcpu, uint64_t lost, uint64_t first_cycles,
		uint64_t last_cycles)
{
	sqlite3_stmt *s =
		dbi_stmt(db, DBS_LOSS_INSERT,
			 "INSERT INTO losses(run_id, vcpu, lost, first_cycles, last_cycles) "
			 "VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, vcpu);
	sqlite3_bind_int64(s, 3, bits(lost));
	sqlite3_bind_int64(s, 4, bits(first_cycles));
	sqlite3_bind_int64(s, 5, bits(last_cycles));
	return step_cached(db, s, "recording lost records");
}

int db_host_counter_add(struct db *db, int64_t run_id, const char *name, uint64_t value,
			int supported)
{
	if (!name || !*name)
		return dbi_failf(db, "host counter of run %lld: expected a name",
				 (long long)run_id);
	sqlite3_stmt *s = dbi_stmt(db, DBS_HOST_COUNTER_SET,
				   "INSERT OR REPLACE INTO host_counters(run_id, name, value, "
				   "supported) VALUES (?, ?, ?, ?)");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (supported)
		sqlite3_bind_int64(s, 3, bits(value));
	sqlite3_bind_int(s, 4, supported ? 1 : 0);
	return step_cached(db, s, "storing a host counter");
}

int db_reason_name_set(struct db *db, const char *event, int64_t code, const char *name)
{
	if (!event || !*event || !name)
		return dbi_failf(db, "reason name: expected an event name and a name");
	sqlite3_stmt *s = dbi_stmt(db, DBS_REASON_NAME_SET,
				   "INSERT OR REPLACE INTO reason_names(event, code, name) "
				   "VALUES (?, ?, ?)");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, code);
	sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
	return step_cached(db, s, "naming a reason");
}
