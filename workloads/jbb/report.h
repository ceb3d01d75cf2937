/*
 * report.h - the SPECjbb-like summary jbb prints at the end of a run.
 *
 * Contract: prints on stdout the configuration, the transaction mix with
 * each kind's count and share, a line per warehouse (transactions,
 * collections, reclaimed and live heap, digest), the garbage-collection
 * totals, the measured modeled time, the bops figure and the run's
 * digest.  Printing only: integers, no floating point (rv64ima has none).
 */
#ifndef JBB_REPORT_H
#define JBB_REPORT_H

#include "schema.h"

struct jbb_result {
	uint64_t measured_ns; /* modeled time of the transaction phase */
	uint64_t total_txns;
	uint64_t digest;
	unsigned vcpus;
};

void report_print(const jbb_config *cfg, const warehouse_ctx *w, const struct jbb_result *r);

#endif
