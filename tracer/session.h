/*
 * session.h - the VMM side of tracing into a database: the tracer and its
 * rings, the collector process, and the control channel to it
 * (collector_proto.h).
 *
 * Contract, in call order:
 *  1. trace_session_open(): creates the rings (only when categories are
 *     enabled: with cat_mask 0 the run stores counters and results only),
 *     then either starts `EXE collect --db FILE --control-fd 3` (fork+exec,
 *     the collector's end of a socketpair as fd 3) or connects to a
 *     standalone `vtlab collect --listen PATH`; sends hello and the ring fds.
 *  2. trace_session_send() of meta/param/cost/reason lines, then
 *     trace_session_start(): the collector creates the run and answers with
 *     its id (a database error is reported here, before the guest runs).
 *  3. The guest runs with trace_session_tracer() attached (NULL when no
 *     category is enabled).  Lossless rings ask (through ring_wait_alive()) trace_session_alive() while
 *     they wait: it polls the control socket (EOF, or an unsolicited
 *     `error` line) and the collector process, so a dead collector makes the
 *     push fail and the machine end the run instead of hanging.
 *  4. trace_session_send() of result/vcpu/counter lines, then
 *     trace_session_end(): marks the rings finished and waits until the
 *     collector has stored everything (`done`).
 *  5. trace_session_close(): closes the channel, reaps the collector, frees
 *     the rings.  Safe after any failure, and on a zeroed session.
 * Every function returning int gives 0, or -1 with a one-line message in
 * err (and the collector marked gone when the failure is the channel's).
 * When the collector is gone its last word (`error ...` line) or its exit
 * status is in the message.
 */
#ifndef TRACER_SESSION_H
#define TRACER_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "collector_proto.h"
#include "trace.h"

#define TRACE_RING_DEFAULT (UINT64_C(1) << 16) /* records per vCPU: 3 MiB */

struct trace_session_config {
	const char *db_path;     /* start a collector writing this database, or */
	const char *socket_path; /* connect to `vtlab collect --listen PATH` */
	const char *exe;         /* vtlab executable for the collector ("/proc/self/exe") */
	unsigned nvcpus;         /* 1..TRACE_MAX_VCPUS */
	uint32_t cat_mask;       /* traced categories; 0: counters and results only */
	enum ring_mode mode;
	uint64_t ring_capacity; /* records per vCPU, a power of two */
	uint32_t sample[TP_COUNT];
	uint64_t filter_lo, filter_hi;
};

struct trace_session {
	struct tracer tracer;
	bool tracing; /* rings exist */
	int ctl;      /* control socket, -1 when closed */
	struct ctl_reader rd;
	pid_t pid; /* collector we started, or 0 */
	bool reaped;
	int wstatus; /* its wait status once reaped */
	bool gone;   /* the collector can no longer consume */
	bool ended;  /* `done` received */
	int64_t run_id;
	uint64_t events, lost; /* from `done` */
	char why[320];         /* why the collector is gone */
	/* The time (ctl_now_ns) after which a full lossless ring stops waiting
	 * for a collector that is alive but stores nothing (stopped, stuck):
	 * the run's --max-seconds; 0 waits as long as it lives. */
	uint64_t wait_deadline_ns;
	bool timed_out; /* gone because of wait_deadline_ns */
};

int trace_session_open(struct trace_session *s, const struct trace_session_config *c, char *err,
		       size_t errlen);
/* Sends "VERB ARG..." with every argument %-escaped (n arguments). */
int trace_session_send(struct trace_session *s, char *err, size_t errlen, const char *verb,
		       unsigned n, const char *const *args);
int trace_session_start(struct trace_session *s, char *err, size_t errlen);
/* The tracer to attach to the machine, or NULL when nothing is traced. */
struct tracer *trace_session_tracer(struct trace_session *s);
/* Nonzero while the collector can consume (ring consumer_alive). */
int trace_session_alive(void *session);
int trace_session_end(struct trace_session *s, char *err, size_t errlen);
void trace_session_close(struct trace_session *s);

#endif
