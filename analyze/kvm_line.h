/*
 * kvm_line.h - splits one line of Linux ftrace text output into its parts.
 *
 * Contract: kvm_line_split() recognises the three outputs of the kernel's
 * tracing: /sys/kernel/tracing/trace and trace_pipe
 *     "  TASK-PID  [CPU] FLAGS  SECONDS.USECS: EVENT: FIELDS"
 *   (FLAGS such as "d..1." optional; "(TGID)" after TASK-PID optional), and
 *   `trace-cmd report`
 *     "  TASK-PID  [CPU]  SECONDS.USECS: EVENT:   FIELDS"
 * where TASK may contain spaces, dashes and brackets ("CPU 0/KVM-1234").
 * Lost-event lines ("CPU:N [LOST M EVENTS]" from the kernel, "CPU:N [M
 * EVENTS DROPPED]" and "CPU:N [EVENTS DROPPED]" from trace-cmd) are
 * KVM_LINE_LOST; comments ("# ...") and trace-cmd's preamble ("version =
 * 6", "cpus=2", "CPU 1 is empty") are KVM_LINE_HEADER.  Anything else is
 * KVM_LINE_UNKNOWN, and so is a line whose CPU number is not below
 * KVM_CPU_MAX or whose numbers overflow 64 bits (the importer keeps state
 * per host CPU: a corrupt "[4000000000]" must not make it allocate for four
 * billion CPUs).  The line is not modified; `event` and `body` point into
 * it.  Source of the formats: kernel/trace/trace_output.c
 * (trace_print_context, print_trace_line) and trace-cmd's trace-read.c.
 */
#ifndef ANALYZE_KVM_LINE_H
#define ANALYZE_KVM_LINE_H

#include <stdint.h>

enum kvm_line_kind {
	KVM_LINE_BLANK,
	KVM_LINE_HEADER,
	KVM_LINE_LOST,
	KVM_LINE_EVENT,
	KVM_LINE_UNKNOWN
};

#define KVM_TASK_MAX 64
/* Host CPUs: Linux's largest NR_CPUS (x86-64 MAXSMP) is 8192. */
#define KVM_CPU_MAX 8192

struct kvm_line {
	enum kvm_line_kind kind;
	/* KVM_LINE_EVENT */
	char task[KVM_TASK_MAX]; /* truncated if longer */
	long pid;
	unsigned cpu;      /* < KVM_CPU_MAX; also for KVM_LINE_LOST */
	uint64_t ts_ns;    /* SECONDS.FRACTION in ns; a counter clock as is */
	const char *event; /* event name, not NUL-terminated */
	unsigned event_len;
	const char *body; /* the event's fields, NUL-terminated (end of line) */
	/* KVM_LINE_LOST */
	uint64_t lost; /* 0 when the count is not known */
};

/* Splits `line` (without its newline) into *out; returns out->kind. */
enum kvm_line_kind kvm_line_split(const char *line, struct kvm_line *out);

#endif
