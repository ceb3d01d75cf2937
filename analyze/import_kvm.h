/*
 * import_kvm.h - `vtlab import kvm FILE`: a Linux KVM trace (ftrace text of
 * the kvm:* and kvmmmu:* events, from /sys/kernel/tracing/trace, trace_pipe
 * or `trace-cmd report`) becomes a run of the results database.
 *
 * Contract: kvm_import() reads FILE twice: the first pass only parses (ISA,
 * vCPUs, line counts; with db == NULL that is all it does), the second
 * writes one run (config "kvm-import", workload = the file's base name)
 * with its events, exact counters, reason names and losses, through db/db.h
 * only, inside one transaction: on any error nothing of the events is kept
 * and the run is marked failed.  Unknown lines and malformed KVM events are
 * counted and reported in the stats, never fatal.  How each KVM event maps
 * onto vtlab's tracepoints, counters and reason numbers is documented in
 * analyze/README.md ("Importing KVM traces").
 */
#ifndef ANALYZE_IMPORT_KVM_H
#define ANALYZE_IMPORT_KVM_H

#include <stddef.h>
#include <stdint.h>

#include "kvm_reasons.h"

struct db;

#define KVM_IMPORT_CONFIG "kvm-import"
#define KVM_IMPORT_NAMES 32

struct kvm_import_stats {
	uint64_t lines;        /* every line of the file */
	uint64_t headers;      /* comments, trace-cmd preamble, blank lines */
	uint64_t stored;       /* events written (records) */
	uint64_t exits;        /* kvm_exit lines */
	uint64_t not_stored;   /* known KVM events without a vtlab tracepoint */
	uint64_t other_events; /* well-formed lines of non-KVM events (skipped) */
	uint64_t unknown;      /* lines that are not ftrace output */
	uint64_t malformed;    /* KVM events whose fields match no known format */
	uint64_t lost_lines, lost_events;
	uint64_t first_ns, last_ns;
	uint64_t first_bad_line; /* line number of the first unknown/malformed line */
	char first_bad[96];
	enum kvm_isa isa;
	unsigned vcpus; /* highest vCPU number seen + 1 */
	int64_t run_id; /* 0 on a dry run */
	/* Skipped and not-stored events by name (first KVM_IMPORT_NAMES names). */
	struct {
		char name[40];
		uint64_t n;
	} skipped[KVM_IMPORT_NAMES];
	unsigned nskipped;
};

/* Imports `path` into `db` (NULL: parse only).  Returns 0, or -1 with a
 * one-line message in err. */
int kvm_import(struct db *db, const char *path, struct kvm_import_stats *st, char *err,
	       size_t errlen);

#endif
