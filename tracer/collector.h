/*
 * collector.h - the collector: drains a VMM's per-vCPU rings and stores the
 * run, its events, exact counters and losses through db/db.h.
 *
 * Contract: collector_serve() speaks the protocol of collector_proto.h on
 * one connected control socket (one run), so the same code serves a
 * collector started by `vtlab run --db` and a standalone `vtlab collect
 * --listen`.  Events are stored in batches (at most COLLECTOR_BATCH records
 * or COLLECTOR_FLUSH_MS of waiting, whichever comes first), each batch one
 * transaction of prepared inserts (db_events_insert); a batch is either
 * wholly committed or not at all.  At `end` the collector drains every
 * ring to its producer's last record, then stores losses, counters, the
 * results and the final status in one transaction and answers `done`.
 *  - Bad input: a control line refused, a ring not finished at `end`
 *    (producer_done not set) or one trace_ring_pop() finds corrupt
 *    (ring.h).  Once the run exists, what was popped and what the rings
 *    hold are committed and the run is marked 'incomplete'; the VMM gets
 *    `error MESSAGE` and the result is COLLECT_ERROR.  The message quotes
 *    the VMM's words in their escaped form (ctl_quote), so it stays one
 *    printable line.
 *  - The VMM gone (EOF before `end`), or a stop request: what the rings
 *    hold is drained and committed, the run is marked 'incomplete', and the
 *    result is COLLECT_VMM_GONE.
 *  - A database error (disk full, I/O error): the open batch is rolled
 *    back (earlier batches stay), the VMM gets `error MESSAGE` (so its
 *    lossless rings stop waiting), the run is marked 'incomplete' when the
 *    database still takes that (else db_open() recovers it later, the
 *    collector's pid being dead), and the result is COLLECT_ERROR.
 */
#ifndef TRACER_COLLECTOR_H
#define TRACER_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COLLECTOR_BATCH 8192
#define COLLECTOR_FLUSH_MS 100

struct db;

enum collect_result {
	COLLECT_ERROR = -1,   /* database or protocol error; message in err */
	COLLECT_STORED = 0,   /* run stored with the status the VMM gave */
	COLLECT_VMM_GONE = 1, /* stored as 'incomplete'; message in err */
};

struct collector_stats {
	int64_t run_id;   /* 0 if no run was created */
	uint64_t events;  /* records stored */
	uint64_t lost;    /* records lost (drop mode) */
	uint64_t batches; /* transactions of events committed */
};

enum collect_result collector_serve(struct db *db, int fd, struct collector_stats *st, char *err,
				    size_t errlen);

/* Sends `error MESSAGE` on a control socket (best effort), e.g. when the
 * database cannot be opened before collector_serve() runs. */
void collector_tell_error(int fd, const char *message);

/* Async-signal-safe: makes collector_serve() stop as if the VMM had gone
 * (SIGTERM handler of `vtlab collect`). */
void collector_request_stop(void);
bool collector_stop_requested(void);

#endif
