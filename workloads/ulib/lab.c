/*
 * lab.c - reporting to the host through SYS_lab and the lab device
 * (docs/devices.md section 7): metrics (signed fixed point in
 * millionths), the output digest, markers, and the run's argument string.
 */
#include <string.h>

#include "syscall.h"
#include "vtlab.h"

void vt_lab_metric(const char *name, double value)
{
	double scaled = value * 1e6;
	int64_t v;
	if (scaled >= 9.2e18)
		v = INT64_MAX;
	else if (scaled <= -9.2e18)
		v = INT64_MIN;
	else
		v = (int64_t)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
	vt_sys_lab(VTLAB_LAB_METRIC, (uint64_t)(uintptr_t)name, (uint64_t)v);
}

void vt_lab_digest(uint64_t digest)
{
	vt_sys_lab(VTLAB_LAB_DIGEST, digest, 0);
}

void vt_lab_marker(uint64_t marker)
{
	vt_sys_lab(VTLAB_LAB_MARKER, marker, 0);
}

long vt_lab_args(char *buf, size_t n)
{
	if (n == 0)
		return -1;
	memset(buf, 0, n);
	long len = vt_ret(vt_sys_lab(VTLAB_LAB_ARGS, (uint64_t)(uintptr_t)buf, n - 1));
	if (len < 0)
		return -1;
	buf[(size_t)len < n - 1 ? (size_t)len : n - 1] = 0;
	return len;
}
