/*
 * collector_run.h - what the collector learns about one run from the
 * control lines (meta, param, cost, reason; result, vcpu, counter, host) and how
 * it stores that through db/db.h.  Private to the collector.
 *
 * Contract: run_info_line() takes one split control line; it copies what
 * it keeps (the line buffer may be reused).  Parameters and costs become
 * the JSON objects of struct db_run_meta (a value that is a plain decimal
 * number, true or false is a JSON number/boolean, anything else a string).
 * run_info_begin() and run_info_finish() only call db_* functions; the
 * caller wraps them in a transaction.
 */
#ifndef TRACER_COLLECTOR_RUN_H
#define TRACER_COLLECTOR_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host_counters.h"

struct db;

struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

struct counter_row {
	unsigned vcpu;
	char *event, *reason;
	uint64_t n, cycles;
};

/* A counter of the VMM process (host_counters.h), stored in host_counters. */
struct host_row {
	char *name;
	uint64_t value;
	int supported;
};

struct reason_row {
	char *event, *name;
	int64_t code;
};

struct run_info {
	/* meta */
	char *config, *workload, *workload_params, *trace_spec, *version;
	char *campaign, *campaign_file;
	unsigned vcpus, repetition;
	struct strbuf params, costs;
	struct reason_row *reasons;
	size_t nreasons;
	/* results */
	bool has_result, failed;
	uint64_t instructions, cycles, wall_ns;
	int exit_code;
	char *exit_reason, *metric_name, *output_digest;
	double metric_value;
	struct counter_row *counters;
	size_t ncounters;
	struct host_row host[HOST_COUNTERS_MAX];
	size_t nhost;
};

void run_info_init(struct run_info *ri);
void run_info_free(struct run_info *ri);
/* Returns 1 when the verb was one of run_info's and was taken, 0 when the
 * verb is not one of them, -1 (message in err) on a malformed line. */
int run_info_line(struct run_info *ri, int argc, char **argv, char *err, size_t errlen);
/* Creates the run (db_run_begin) and stores the reason names. */
int run_info_begin(struct db *db, struct run_info *ri, int64_t *run_id);
/* Stores counters and the results with the final status: the VMM's
 * (complete, or failed for a failing guest), or incomplete when
 * vmm_gone. */
int run_info_finish(struct db *db, struct run_info *ri, int64_t run_id, bool vmm_gone);

#endif
