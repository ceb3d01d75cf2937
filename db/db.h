/*
 * db.h - the results database: one SQLite file (WAL) per campaign holding
 * campaigns, runs, their parameters, traced events, exact counters, lost
 * record counts and host counters.  The schema is db/schema.sql and
 * db/views.sql, documented in db/SCHEMA.md.
 *
 * Contract: the collector, the campaign runner and the importers write ONLY
 * through this API (analyze/ may read with plain SQL through db_sqlite()).
 * Every function returns 0 on success and -1 on error; the error is then one
 * line naming the database file and what failed, from db_errmsg() (db_open()
 * writes it into its `err` buffer instead, since there is no handle yet).
 *
 * Transactions: each writing call (db_events_insert, db_counter_add, ...)
 * runs in its own transaction unless the caller opened one with
 * db_tx_begin(); then it joins it and db_tx_commit() makes the whole batch
 * durable at once.  On an error inside a caller's transaction the caller
 * calls db_tx_rollback(): nothing of the batch is kept, every earlier
 * committed batch is.  A full disk (SQLITE_FULL) is reported as
 * "FILE: disk full ..." and loses nothing committed.
 *
 * Runs: db_run_begin() inserts a run with status 'running' and the writer's
 * pid and host name; db_run_finish() sets its final status and results.  A
 * run whose writer died stays 'running' in the file; db_open() marks such
 * runs 'incomplete' when their writer process no longer exists on this host
 * (db_runs_recover(), also callable explicitly), so concurrent writers of
 * one database are never disturbed.
 *
 * Not thread-safe: one struct db per thread.  Several processes may write
 * one file (WAL, busy timeout).
 */
#ifndef DB_DB_H
#define DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_record.h"

/* The schema version this vtlab writes (PRAGMA user_version).  A database
 * with a smaller version is migrated forward on open; a larger one is
 * refused. */
#define DB_SCHEMA_VERSION 3

/* Enough for any message of db_open(). */
#define DB_ERR_LEN 512

struct db;      /* opaque */
struct sqlite3; /* from <sqlite3.h>, for readers only */

enum db_run_status {
	DB_RUN_RUNNING,    /* "running": being written now (or writer died, not yet recovered) */
	DB_RUN_COMPLETE,   /* "complete": finished normally, results valid */
	DB_RUN_INCOMPLETE, /* "incomplete": writer or VMM died; committed data kept */
	DB_RUN_FAILED,     /* "failed": the run itself failed (guest error, setup error) */
};

/* The status as stored in runs.status ("running", "complete", ...). */
const char *db_run_status_name(enum db_run_status s);

/* What is known when a run starts.  Strings may be NULL (stored as NULL,
 * except config/workload: ""); JSON fields must be JSON objects or NULL. */
struct db_run_meta {
	int64_t campaign_id;         /* 0: not part of a campaign */
	const char *config;          /* "native", "stvt", "htvt", ... */
	const char *workload;        /* "kernel-build", "kvm-import", ... */
	const char *workload_params; /* JSON object text */
	unsigned vcpus;
	unsigned repetition;     /* 0-based repetition index of the cell */
	const char *params_json; /* every machine parameter; leaves -> run_params */
	const char *costs_json;  /* the cost table used; leaves -> run_params "cost.NAME" */
	const char *trace_spec;  /* "none", "all", "exits", "faults", ... */
	const char *vtlab_version;
};

/* What is known when a run ends.  NULL strings are stored as NULL. */
struct db_run_result {
	uint64_t instructions;   /* retired guest instructions, all vCPUs */
	uint64_t cycles;         /* modeled cycles (wall of the guest, max over vCPUs) */
	const char *metric_name; /* workload metric ("ops_per_mcycle", ...); NULL: none */
	double metric_value;
	const char *output_digest; /* digest of the guest's console output */
	uint64_t wall_ns;          /* host wall-clock time of the run */
	int exit_code;             /* guest exit code (HTIF / syscon) */
	const char *exit_reason;   /* "pass", "fail", "timeout", "error: ...", ... */
};

/* Opens (creating if needed) the database at `path`: WAL, busy timeout,
 * foreign keys, forward migrations, recovery of runs of dead writers.
 * Refuses a database from a newer vtlab and a non-vtlab SQLite file. */
int db_open(const char *path, struct db **out, char *err, size_t errlen);
/* Opens without creating, migrating or recovering (reports, queries).
 * Refuses an older or newer schema version.  On a full disk or a
 * read-only file system, where SQLite cannot create PATH-shm, a database
 * whose WAL is empty is read as immutable. */
int db_open_readonly(const char *path, struct db **out, char *err, size_t errlen);
/* For readers, which do not migrate: brings an existing database of an
 * older schema version to DB_SCHEMA_VERSION (db_open() on it, closed
 * again).  *from = the version it had, DB_SCHEMA_VERSION when nothing was
 * done (also for a missing file, a newer or a non-vtlab one, which
 * db_open_readonly() then names).  -1 with err when the file cannot be
 * written (a read-only file system); it is left as it was. */
int db_upgrade(const char *path, int *from, char *err, size_t errlen);
void db_close(struct db *db);

const char *db_errmsg(const struct db *db); /* last error, "" if none */
const char *db_path(const struct db *db);
struct sqlite3 *db_sqlite(struct db *db); /* for read queries by analyze/ */
int db_schema_version(struct db *db);     /* PRAGMA user_version */

/* Batches: BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Not nestable. */
int db_tx_begin(struct db *db);
int db_tx_commit(struct db *db);
int db_tx_rollback(struct db *db); /* harmless when no transaction is open */

/* The id of the campaign named `name`, 0 when there is none (read-only:
 * works on a database opened with db_open_readonly()). */
int db_campaign_find(struct db *db, const char *name, int64_t *id);
/* The campaign named `name` (created with `file` if absent). */
int db_campaign_get_or_create(struct db *db, const char *name, const char *file, int64_t *id);
/* Sets campaign id's description (campaigns.description: the campaign
 * file's <description>); NULL leaves the stored one as it is. */
int db_campaign_describe(struct db *db, int64_t id, const char *description);

/* Inserts a run (status 'running', started_at now) and its run_params. */
int db_run_begin(struct db *db, const struct db_run_meta *meta, int64_t *run_id);
/* Sets the final status, finished_at and (when r is not NULL) the results. */
int db_run_finish(struct db *db, int64_t run_id, const struct db_run_result *r,
		  enum db_run_status status);
/* The newest 'complete' run of a campaign cell (campaign, config, workload,
 * vcpus, repetition and, when cell_key is not NULL, the run parameter
 * campaign_cell = cell_key), for resuming campaigns: *run_id = 0 when
 * none. */
int db_run_find_complete(struct db *db, const struct db_run_meta *cell, const char *cell_key,
			 int64_t *run_id);
/* How many runs of any status the same cell has (a campaign cell whose
 * `vtlab run` added none never started its guest). */
int db_run_count_cell(struct db *db, const struct db_run_meta *cell, const char *cell_key,
		      int64_t *n);
/* A stored setting of run `id`, as text into buf (cut to len): `name` is a
 * run_params name ("cost.vm_exit", "vtlb_buckets") or one of the runs
 * columns "workload_params" and "trace_spec".  *found is false (and buf
 * "") when the run has none; a campaign compares them with what a cell
 * would be run with now (cli/campaign_settings.c). */
int db_run_setting(struct db *db, int64_t id, const char *name, char *buf, size_t len, bool *found);
/* Copies the runs of the database at shard_path (a campaign cell run
 * alone, `vtlab campaign --cell`) into this one, with their campaigns (by
 * name), parameters, counters, events, losses and host counters, in one
 * transaction.  Runs already here (same configuration, workload, vCPUs,
 * repetition, start time and writer) are skipped, so merging twice adds
 * nothing (a copy still 'running' here is replaced once the shard's has
 * finished: it was merged while its cell ran), and so is a campaign's complete run whose cell (campaign,
 * configuration, workload, vCPUs, repetition, campaign_cell) already has
 * a complete run here: one complete run per cell, as a campaign keeps.  The shard is migrated and its dead writers' runs recovered
 * first (db_open), otherwise only read.  *runs_added (may be NULL) = how
 * many runs were copied. */
int db_merge(struct db *db, const char *shard_path, unsigned *runs_added);
/* Marks one run 'incomplete' if it is still 'running' (the collector, when
 * the VMM died or the database refused a batch), with `why` as its
 * exit_reason (NULL: "the VMM stopped before the end of the run"). */
int db_run_mark_incomplete(struct db *db, int64_t run_id, const char *why);
/* Gives a run `why` as its exit_reason if it has none (the collector, for
 * a run it stores as incomplete with no reason from the VMM). */
int db_run_default_reason(struct db *db, int64_t run_id, const char *why);
/* Marks 'incomplete' every 'running' run whose writer (pid on this host)
 * is gone; *n (may be NULL) = how many.  Called by db_open(). */
int db_runs_recover(struct db *db, unsigned *n);

/* A run that is not complete, for a reader to name it (vtlab report
 * lists the runs its tables leave out).  Strings may be NULL. */
struct db_run_brief {
	int64_t id;
	const char *status; /* "running", "incomplete" or "failed" */
	const char *campaign, *config, *workload, *exit_reason;
	unsigned vcpus;
	int64_t writer_pid;
	/* A 'running' run whose writer is gone (db_runs_recover() marks it
	 * incomplete on the next db_open(); a reader cannot). */
	bool writer_gone;
};
/* Calls fn for every run whose status is not 'complete', by id, until
 * fn returns non-zero; works on a database opened read-only.  The
 * strings are valid during the call only. */
int db_runs_unfinished(struct db *db, int (*fn)(void *ctx, const struct db_run_brief *r),
		       void *ctx);

/* Appends traced records to the run's events (and to its event_tallies). */
int db_events_insert(struct db *db, int64_t run_id, const struct trace_record *recs, size_t n);
/* Creates (if absent) the index events_by_run_type on events(run_id,
 * type), for selecting events of one type quickly.  Collect first: with
 * the index in place inserts are more than 2x slower (db/SCHEMA.md). */
int db_events_index(struct db *db);
/* counters(run, vcpu, event, reason) += (n, cycles).  `event` is an event
 * name (vmm/events.def or a tracepoint name in lower case, e.g. "vm_exit",
 * "inject"); `reason` a reason name or decimal code, "" (or NULL) if none. */
int db_counter_add(struct db *db, int64_t run_id, unsigned vcpu, const char *event,
		   const char *reason, uint64_t n, uint64_t cycles);
/* Records `lost` trace records of a vCPU lost between two modeled times. */
int db_loss_add(struct db *db, int64_t run_id, unsigned vcpu, uint64_t lost, uint64_t first_cycles,
		uint64_t last_cycles);
/* A host counter (libpfm4 name); supported = 0: the host could not count it
 * (value stored as NULL). */
int db_host_counter_add(struct db *db, int64_t run_id, const char *name, uint64_t value,
			int supported);
/* Names a numeric reason of an event type ("vm_exit", 2) -> "illegal_instruction",
 * used by views over events.  Replaces an existing name. */
int db_reason_name_set(struct db *db, const char *event, int64_t code, const char *name);

#endif
