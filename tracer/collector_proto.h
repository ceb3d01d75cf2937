/*
 * collector_proto.h - the control channel between a VMM (`vtlab run`,
 * tracer/session.c) and its collector (`vtlab collect`, tracer/collector.c).
 *
 * Contract: the channel is a connected AF_UNIX stream socket (a socketpair
 * when `vtlab run` starts the collector, or a connection to the socket a
 * standalone `vtlab collect --listen PATH` listens on).  Messages are text
 * lines of at most CTL_LINE_MAX bytes: a verb and arguments separated by
 * one space; an argument that may hold spaces or bytes below 0x21 is
 * %-escaped (ctl_escape: '%', space, control bytes and DEL become %XX).
 * The ring memfds travel with the `rings` line as SCM_RIGHTS ancillary
 * data.  The conversation, VMM -> collector unless marked <-:
 *
 *   hello vtlab-trace 1            protocol name and version (decimal)
 *   rings N MODE CAPACITY          + N ring fds (vCPU order); MODE lossless
 *                                  or drop, CAPACITY records per ring, both
 *                                  as in every ring's header; without
 *                                  tracing "rings 0 MODE 0"
 *   meta KEY VALUE                 run metadata: config, workload, vcpus,
 *                                  vtlab_version, trace (spec), ...
 *   param NAME VALUE               one run parameter (--mem, --itlb, ...)
 *   cost NAME VALUE                one entry of the cost table used
 *   start                          create the run
 *   <- ok RUN_ID | error MESSAGE
 *   ... the guest runs; the collector drains the rings ...
 *   result KEY VALUE               status, exit_code, exit_reason,
 *                                  instructions, cycles, wall_ns,
 *                                  metric_name, metric_value
 *   vcpu ID INSTRUCTIONS CYCLES    per-vCPU totals
 *   counter VCPU KIND REASON COUNT CYCLES   one exact counter
 *   host NAME VALUE SUPPORTED      a counter of the VMM process over the
 *                                  run (host_counters.h; SUPPORTED 0: the
 *                                  host could not count it)
 *   end                            the producers are done (rings finished:
 *                                  a ring not finished is an error)
 *   <- done RUN_ID EVENTS LOST | error MESSAGE
 *
 * The collector may also send `error MESSAGE` at any time when it cannot go
 * on (database full, write error); the VMM treats any unsolicited input, as
 * well as EOF, as "the consumer is gone".  EOF before `end` tells the
 * collector that the VMM died: it commits what it has and marks the run
 * incomplete.  Writes use MSG_NOSIGNAL: a dead peer is an error return,
 * never SIGPIPE.
 */
#ifndef TRACER_COLLECTOR_PROTO_H
#define TRACER_COLLECTOR_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL_PROTO_NAME "vtlab-trace"
#define CTL_PROTO_VERSION 1
#define CTL_LINE_MAX 4096
#define CTL_MAX_ARGS 8
#define CTL_MAX_FDS 16

/* Sends n bytes as they are, the nfds fds (at most CTL_MAX_FDS) with the
 * first byte, looping over short writes and EINTR; flags go to sendmsg
 * (MSG_DONTWAIT: a full socket buffer is -1 with EAGAIN, not a wait).  No
 * framing: test harnesses send malformed input through it.  Returns 0, or
 * -1 with errno set. */
int ctl_send_bytes(int fd, const void *bytes, size_t n, const int *fds, unsigned nfds, int flags);
/* Sends one line (a '\n' is appended), with n fds attached when n > 0.
 * Returns 0, or -1 with errno set (EPIPE/ECONNRESET: the peer is gone). */
int ctl_send_line(int fd, const char *line, const int *fds, unsigned n);
/* printf-style ctl_send_line without fds; -1 also when the line is too long. */
int ctl_sendf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Buffered reader of lines and of the fds that came with them. */
struct ctl_reader {
	int fd;
	char buf[2 * CTL_LINE_MAX];
	size_t len;
	int fds[CTL_MAX_FDS]; /* received, not yet taken by ctl_take_fds */
	unsigned nfds;
	int eof;
};

void ctl_reader_init(struct ctl_reader *r, int fd);
/* Next complete line (without '\n') into line[len].  Waits up to timeout_ms
 * (-1: for ever; 0: no wait).  Returns 1 with a line, 0 when none came in
 * time, -1 at EOF or on an error (errno set; EMSGSIZE for a line that does
 * not fit line[len] or has CTL_LINE_MAX bytes or more without its '\n',
 * whatever len is). */
int ctl_read_line(struct ctl_reader *r, char *line, size_t len, int timeout_ms);
/* CLOCK_MONOTONIC in nanoseconds: the clock of ctl_read_line's timeout,
 * the collector's flush timer and a session's wait_deadline_ns. */
uint64_t ctl_now_ns(void);
/* Moves up to max received fds into out; returns how many. */
unsigned ctl_take_fds(struct ctl_reader *r, int *out, unsigned max);
/* Closes fds received and not taken. */
void ctl_reader_close_fds(struct ctl_reader *r);

/* %-escapes s into out (always terminated); returns out, or NULL when out
 * is too small. */
char *ctl_escape(const char *s, char *out, size_t outlen);
/* A peer's word for a one-line message: its wire form (ctl_escape: spaces,
 * control bytes, DEL and '%' as %XX), cut to fit out (at least 4 bytes)
 * with "..." when longer.  Returns out.  A message quoting the raw word
 * would break into lines, or drive the terminal, at a "%0A" or "%1B". */
#define CTL_QUOTE_MAX 72
char *ctl_quote(const char *s, char *out, size_t outlen);
/* Splits line in place at spaces into at most CTL_MAX_ARGS arguments,
 * unescaping each.  Returns the count, or -1 on a bad %-escape or too many
 * arguments. */
int ctl_split(char *line, char **argv);
/* A number word as the VMM writes it (%u, %d, %llu): decimal digits only,
 * no sign, space or superfluous leading zero, at most max.  Sets *out and
 * returns true, or false for anything else (strtol-style parsers took
 * "1abc", " 1" and "+1", found by fuzzing). */
bool ctl_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
