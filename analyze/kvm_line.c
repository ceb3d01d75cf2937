/*
 * kvm_line.c - splitting of ftrace text lines (contract: kvm_line.h).
 */
#include "kvm_line.h"

#include <ctype.h>
#include <string.h>

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Reads decimal digits; returns the end, or NULL if there are none or
 * their value does not fit 64 bits (it would wrap to a small number). */
static const char *read_dec(const char *s, uint64_t *v)
{
	const char *p = s;
	uint64_t x = 0;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return NULL;
		x = x * 10 + d;
	}
	if (p == s)
		return NULL;
	*v = x;
	return p;
}

/* "SECONDS.FRACTION:" or "COUNTER:" (trace_clock counter/x86-tsc). */
static const char *read_timestamp(const char *s, uint64_t *ns)
{
	uint64_t sec;
	const char *p = read_dec(s, &sec);
	if (!p)
		return NULL;
	if (*p != '.') {
		*ns = sec;
		return *p == ':' ? p + 1 : NULL;
	}
	p++;
	uint64_t frac = 0;
	int digits = 0;
	for (; isdigit((unsigned char)*p); p++, digits++)
		if (digits < 9)
			frac = frac * 10 + (uint64_t)(*p - '0');
	if (digits == 0 || *p != ':')
		return NULL;
	for (int d = digits; d < 9; d++)
		frac *= 10;
	*ns = sec * 1000000000ull + frac;
	return p + 1;
}

/* The latency-format flags column: "d..1.", "...1", "dNh2." ... */
static const char *skip_flags(const char *s)
{
	const char *p = s;
	while (*p && *p != ' ' && strchr("dDnNhHsSzZbBX.0123456789+!#$@*", *p))
		p++;
	return (p - s >= 4 && p - s <= 6 && *p == ' ') ? skip_spaces(p) : s;
}

/* After "[CPU]": flags, timestamp, "EVENT:", fields.  Returns 0 if it fits. */
static int parse_after_cpu(const char *p, struct kvm_line *out)
{
	p = skip_flags(skip_spaces(p));
	p = read_timestamp(p, &out->ts_ns);
	if (!p || *p != ' ')
		return -1;
	p = skip_spaces(p);
	const char *name = p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == name || *p != ':')
		return -1;
	out->event = name;
	out->event_len = (unsigned)(p - name);
	out->body = skip_spaces(p + 1);
	return 0;
}

/* "TASK-PID" or "TASK-PID (TGID)" in [start, end). */
static int parse_task_pid(const char *start, const char *end, struct kvm_line *out)
{
	while (end > start && end[-1] == ' ')
		end--;
	if (end > start && end[-1] == ')') { /* record-tgid option: "(  1234)" */
		const char *open = end - 1;
		while (open > start && *open != '(')
			open--;
		if (*open != '(')
			return -1;
		end = open;
		while (end > start && end[-1] == ' ')
			end--;
	}
	const char *dash = end;
	while (dash > start && isdigit((unsigned char)dash[-1]))
		dash--;
	if (dash == end || dash == start || dash[-1] != '-')
		return -1;
	uint64_t pid;
	if (!read_dec(dash, &pid))
		return -1; /* more than 64 bits of digits: not a pid */
	out->pid = (long)pid;
	const char *t = skip_spaces(start);
	size_t n = (size_t)(dash - 1 - t);
	if (n >= KVM_TASK_MAX)
		n = KVM_TASK_MAX - 1;
	memcpy(out->task, t, n);
	out->task[n] = '\0';
	return 0;
}

static int split_event(const char *line, struct kvm_line *out)
{
	/* The first "[digits]" followed by a timestamp and "EVENT:" is the CPU
	 * column; earlier brackets belong to the task name. */
	for (const char *b = strchr(line, '['); b; b = strchr(b + 1, '[')) {
		uint64_t cpu;
		const char *p = read_dec(b + 1, &cpu);
		if (!p || *p != ']' || b == line || b[-1] != ' ' || cpu >= KVM_CPU_MAX)
			continue;
		if (parse_after_cpu(p + 1, out) == 0 && parse_task_pid(line, b, out) == 0) {
			out->cpu = (unsigned)cpu;
			return 0;
		}
	}
	return -1;
}

static int split_lost(const char *s, struct kvm_line *out)
{
	uint64_t cpu, n = 0;
	if (strncmp(s, "CPU:", 4) != 0 || !(s = read_dec(s + 4, &cpu)) || cpu >= KVM_CPU_MAX)
		return -1;
	s = skip_spaces(s);
	if (strncmp(s, "[LOST ", 6) == 0) {
		s = read_dec(s + 6, &n);
		if (!s || strncmp(s, " EVENTS]", 8) != 0)
			return -1;
	} else if (strncmp(s, "[EVENTS DROPPED]", 16) != 0) {
		if (*s != '[' || !(s = read_dec(s + 1, &n)) ||
		    strncmp(s, " EVENTS DROPPED]", 16) != 0)
			return -1;
	}
	out->cpu = (unsigned)cpu;
	out->lost = n;
	return 0;
}

static int is_header(const char *s)
{
	uint64_t n;
	if (*s == '#')
		return 1;
	if (strncmp(s, "version = ", 10) == 0 || strncmp(s, "cpus=", 5) == 0)
		return 1;
	/* trace-cmd: "CPU 3 is empty", "CPU0 data recorded at offset=..." */
	if (strncmp(s, "CPU", 3) == 0) {
		const char *p = read_dec(skip_spaces(s + 3), &n);
		return p && (strcmp(p, " is empty") == 0 || strncmp(p, " data recorded", 14) == 0);
	}
	return 0;
}

enum kvm_line_kind kvm_line_split(const char *line, struct kvm_line *out)
{
	memset(out, 0, sizeof *out);
	out->body = "";
	const char *s = skip_spaces(line);
	if (*s == '\0' || *s == '\n' || *s == '\r')
		return out->kind = KVM_LINE_BLANK;
	if (is_header(s))
		return out->kind = KVM_LINE_HEADER;
	if (split_lost(s, out) == 0)
		return out->kind = KVM_LINE_LOST;
	if (split_event(line, out) == 0)
		return out->kind = KVM_LINE_EVENT;
	memset(out, 0, sizeof *out);
	out->body = "";
	return out->kind = KVM_LINE_UNKNOWN;
}
