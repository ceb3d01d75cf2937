/*
 * run_record.h - `vtlab run --db/--collector`: what a run tells its
 * collector (tracer/session.h) about itself, before and after the guest
 * runs.
 *
 * Contract: run_record_begin() opens the session (starting or reaching the
 * collector), sends the run's metadata (config: "native" or the
 * hypervisor's configuration, whose knobs go as params; workload = the
 * kernel path, vCPUs, vtlab version, trace spec), every machine parameter,
 * the whole cost table and the names of exception and interrupt causes,
 * then creates the run; a database problem is reported here, before the
 * guest runs; then it starts the process's host counters (host_counters.h;
 * when they cannot start, a warning line and no rows).  run_record_end()
 * stops them and sends them (a counter the host cannot count as
 * unsupported), then the results (status complete when
 * the guest exit code is 0, else failed; instructions; modeled cycles; exit
 * code and reason; wall time; the lab device's metric and digest when it
 * reported one), per-vCPU totals and every exact counter of every hart's
 * struct hart_stats (vmm/stats.h): one row per event kind of events.def,
 * exceptions and interrupts by cause (reason = the decimal cause), the
 * hypervisor's counters "vm_exit" (reason = exit reason) and "inject"
 * (reason = fault kind) per vCPU (names from hv_stats.c), then waits until the collector has stored it
 * all.  Both return 0 or -1 with a one-line message in err.
 */
#ifndef CLI_RUN_RECORD_H
#define CLI_RUN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

struct machine;
struct machine_config;
struct hv_params;

struct run_record_opts {
	const char *db;           /* --db FILE, or NULL */
	const char *collector;    /* --collector PATH, or NULL */
	const char *trace;        /* --trace spec as given ("none" by default) */
	const char *trace_mode;   /* "lossless" or "drop" */
	const char *trace_sample; /* --trace-sample arguments, comma-joined, or NULL */
	const char *trace_filter; /* --trace-filter as given, or NULL */
	struct trace_session_config session;
	const struct hv_params *hv; /* the hypervisor's configuration, NULL when native */
	const char *workload;       /* --workload NAME[:TEST], or NULL (then the kernel path) */
	const char *workload_args;  /* the guest argument string, or NULL */
	const char *campaign;       /* --campaign NAME, or NULL */
	const char *campaign_file;  /* --campaign-file FILE, or NULL */
	const char *campaign_cell;  /* --campaign-cell KEY (param campaign_cell), or NULL */
	unsigned repetition;        /* --repetition N */
};

int run_record_begin(struct trace_session *s, const struct run_record_opts *o,
		     const struct machine_config *cfg, char *err, size_t errlen);
/* Receives one setting of a run as run_record_begin() sends it: kind
 * "meta" (a runs column: config, workload, workload_params, vcpus,
 * vtlab_version, trace, repetition, campaign, campaign_file), "param" (a
 * run_params row) or "cost" (run_params "cost.NAME").  Non-zero stops. */
typedef int (*run_setting_fn)(void *ctx, const char *kind, const char *name, const char *value);
/* Calls fn for each setting run_record_begin() would send, in its order:
 * what a campaign compares with a done cell's run.  0, or -1 when fn
 * stopped it. */
int run_record_settings(const struct run_record_opts *o, const struct machine_config *cfg,
			run_setting_fn fn, void *ctx);
int run_record_end(struct trace_session *s, const struct machine *m, char *err, size_t errlen);

#endif
