/*
 * host_counters.c - host counters through libpfm4 and perf_event_open(2)
 * (contract: host_counters.h).
 *
 * libpfm4 turns a name into a struct perf_event_attr
 * (pfm_get_os_event_encoding with PFM_OS_PERF_EVENT, libpfm4's
 * pfmlib_perf_event.h); the counter is opened disabled with inherit (so
 * threads started later count too) and read_format TOTAL_TIME_ENABLED |
 * TOTAL_TIME_RUNNING, enabled by host_counters_start() and disabled by
 * host_counters_stop().  If the kernel forbids kernel-mode counting
 * (EACCES: perf_event_paranoid) the counter is retried for user mode
 * only.  ENOENT, EOPNOTSUPP, ENODEV and EINVAL from perf_event_open mean
 * the host has no such counter (perf_event_open(2), ERRORS).
 */
#include "host_counters.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const host_counters_default[] = { "cycles", "instructions", "page-faults",
					      "context-switches", NULL };

static int pfm_ready(char *err, size_t errlen)
{
	static int state; /* 0 not tried, 1 ok, -1 failed */
	static int code;
	if (state == 0) {
		code = pfm_initialize();
		state = code == PFM_SUCCESS ? 1 : -1;
	}
	if (state < 0)
		snprintf(err, errlen, "host counters: libpfm4 initialisation failed: %s",
			 pfm_strerror(code));
	return state > 0 ? 0 : -1;
}

/* Resolves `name` into attr and the canonical "PMU::EVENT" name. */
static int encode(const char *name, struct perf_event_attr *attr, char *canon, size_t canonlen,
		  char *err, size_t errlen)
{
	pfm_perf_encode_arg_t arg;
	memset(attr, 0, sizeof *attr);
	memset(&arg, 0, sizeof arg);
	arg.attr = attr;
	arg.size = sizeof arg;
	int r = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
	if (r != PFM_SUCCESS) {
		snprintf(err, errlen, "host counters: event '%s': %s (libpfm4 name expected)", name,
			 pfm_strerror(r));
		return -1;
	}
	pfm_event_info_t info;
	pfm_pmu_info_t pmu;
	memset(&info, 0, sizeof info);
	memset(&pmu, 0, sizeof pmu);
	info.size = sizeof info;
	pmu.size = sizeof pmu;
	if (pfm_get_event_info(arg.idx, PFM_OS_NONE, &info) == PFM_SUCCESS &&
	    pfm_get_pmu_info(info.pmu, &pmu) == PFM_SUCCESS)
		snprintf(canon, canonlen, "%s::%s", pmu.name, info.name);
	else
		snprintf(canon, canonlen, "%s", name);
	return 0;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void open_one(struct host_counter *c, struct perf_event_attr *attr, pid_t pid)
{
	attr->size = sizeof *attr;
	attr->disabled = 1;
	attr->inherit = 1;
	attr->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	c->fd = perf_open(attr, pid);
	if (c->fd < 0 && errno == EACCES) {
		attr->exclude_kernel = 1;
		attr->exclude_hv = 1;
		c->fd = perf_open(attr, pid);
	}
	c->supported = c->fd >= 0;
	if (!c->supported)
		snprintf(c->why, sizeof c->why, "%s", strerror(errno));
}

int host_counters_start(struct host_counters *hc, pid_t pid, const char *const *names, char *err,
			size_t errlen)
{
	memset(hc, 0, sizeof *hc);
	if (!names)
		names = host_counters_default;
	if (pfm_ready(err, errlen))
		return -1;
	for (unsigned i = 0; names[i]; i++) {
		if (i == HOST_COUNTERS_MAX) {
			snprintf(err, errlen, "host counters: more than %d events",
				 HOST_COUNTERS_MAX);
			host_counters_close(hc);
			return -1;
		}
		struct host_counter *c = &hc->c[hc->n++];
		struct perf_event_attr attr;
		c->fd = -1;
		snprintf(c->requested, sizeof c->requested, "%s", names[i]);
		if (encode(names[i], &attr, c->name, sizeof c->name, err, errlen)) {
			host_counters_close(hc);
			return -1;
		}
		open_one(c, &attr, pid);
	}
	for (unsigned i = 0; i < hc->n; i++)
		if (hc->c[i].fd >= 0)
			ioctl(hc->c[i].fd, PERF_EVENT_IOC_ENABLE, 0);
	return 0;
}

/* value * enabled / running when the kernel multiplexed the counter. */
static uint64_t scaled(const uint64_t v[3])
{
	if (v[2] == 0 || v[2] >= v[1])
		return v[0];
	return (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]);
}

int host_counters_stop(struct host_counters *hc, char *err, size_t errlen)
{
	int rc = 0;
	for (unsigned i = 0; i < hc->n; i++)
		if (hc->c[i].fd >= 0)
			ioctl(hc->c[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	for (unsigned i = 0; i < hc->n; i++) {
		struct host_counter *c = &hc->c[i];
		uint64_t v[3];
		if (c->fd < 0)
			continue;
		if (read(c->fd, v, sizeof v) != (ssize_t)sizeof v) {
			snprintf(err, errlen, "host counters: reading %s: %s", c->name,
				 strerror(errno));
			snprintf(c->why, sizeof c->why, "read failed");
			c->supported = 0;
			rc = -1;
		} else {
			c->value = scaled(v);
		}
		close(c->fd);
		c->fd = -1;
	}
	return rc;
}

void host_counters_close(struct host_counters *hc)
{
	for (unsigned i = 0; i < hc->n; i++)
		if (hc->c[i].fd >= 0) {
			close(hc->c[i].fd);
			hc->c[i].fd = -1;
		}
}
