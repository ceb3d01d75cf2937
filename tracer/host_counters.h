/*
 * host_counters.h - host performance counters of the VMM process, named as
 * libpfm4 names them, opened with perf_event_open(2).
 *
 * Contract: host_counters_start() resolves each name with libpfm4
 * (pfm_get_os_event_encoding, the perf_event OS layer: "cycles",
 * "instructions", "page-faults", "PERF_COUNT_HW_CPU_CYCLES",
 * "perf::PERF_COUNT_SW_CONTEXT_SWITCHES", a CPU PMU event...) and opens
 * one counter per name on the process `pid` (0: the caller) and the
 * threads it creates afterwards, user and (when allowed) kernel mode, then
 * starts them all.  A name libpfm4 does not know is an error (-1 and a
 * one-line message); an event the host cannot count (virtual machines
 * often have no hardware PMU) is NOT an error: its entry says supported =
 * 0 and why.  host_counters_stop() stops and reads them (values scaled
 * when the kernel multiplexed the counter) and closes them; then the n
 * entries hold (name, value, supported).  Stored names are libpfm4's
 * canonical "PMU::EVENT" names (e.g. "perf::PERF_COUNT_HW_CPU_CYCLES" for
 * "cycles"), so aliases of one event are stored alike.
 */
#ifndef TRACER_HOST_COUNTERS_H
#define TRACER_HOST_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HOST_COUNTERS_MAX 16
#define HOST_COUNTER_NAME 96

struct host_counter {
	char name[HOST_COUNTER_NAME];      /* libpfm4 canonical name, "PMU::EVENT" */
	char requested[HOST_COUNTER_NAME]; /* the name as given */
	uint64_t value;                    /* valid when supported */
	int supported;                     /* 0: the host cannot count this event */
	char why[64];                      /* when not supported: the perf_event_open error */
	int fd;                            /* -1 when closed */
};

struct host_counters {
	unsigned n;
	struct host_counter c[HOST_COUNTERS_MAX];
};

/* The default set: cycles, instructions, page-faults, context-switches
 * (NULL-terminated). */
extern const char *const host_counters_default[];

/* names: NULL-terminated list, NULL for the default set. */
int host_counters_start(struct host_counters *hc, pid_t pid, const char *const *names, char *err,
			size_t errlen);
/* Stops, reads and closes every counter.  Returns 0, or -1 with a message
 * when a read failed (that counter is then marked not supported). */
int host_counters_stop(struct host_counters *hc, char *err, size_t errlen);
/* Closes whatever is still open (after an error between start and stop). */
void host_counters_close(struct host_counters *hc);

#endif
