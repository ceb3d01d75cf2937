/*
 * dev_lab.c - the lab device: how a guest workload reports its metric, its
 * output digest and progress markers to the host, and ends the run.
 *
 * Contract: 64-bit registers at stride 8, accessed with aligned 8-byte loads
 * and stores only.  The metric name is copied from guest RAM when NAME_LEN is
 * written (at most 63 bytes, stopping at a NUL; the range must lie in RAM or
 * STATUS reports a fault and the previous name stays); characters outside
 * printable ASCII, '"' and '\\' become '_' so the name is safe in any report.
 * VALUE is a signed fixed-point number in millionths (metric = VALUE / 1e6).
 * EXIT ends the run with the written code (values above 255 become 255, so
 * a failure is never mistaken for success by the shell).  lab_result()
 * returns what the guest reported, or NULL when the device is absent or the
 * guest reported nothing.  The host passes the run's argument string
 * (machine_config.args, `vtlab run --args`) the other way: ARGS_LEN and the
 * read-only ARGS window.  Register map: docs/devices.md "Lab device".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "devices_private.h"
#include "machine.h"

#define LAB_WINDOW 0x1000u
#define LAB_ID 0x62616c76u /* "vlab" in little-endian bytes */
#define LAB_NAME_MAX 63u
#define LAB_VALUE_SCALE 1e6
#define LAB_ARGS_MAX (LAB_WINDOW - 0x800u - 1u) /* 2047 bytes */

enum lab_reg {
	LAB_REG_ID = 0x00,
	LAB_REG_NAME_ADDR = 0x08,
	LAB_REG_NAME_LEN = 0x10,
	LAB_REG_VALUE = 0x18,
	LAB_REG_DIGEST = 0x20,
	LAB_REG_MARKER = 0x28,
	LAB_REG_MARKER_COUNT = 0x30,
	LAB_REG_EXIT = 0x38,
	LAB_REG_STATUS = 0x40,
	LAB_REG_ARGS_LEN = 0x48,
	LAB_ARGS_WINDOW = 0x800, /* to the end of the window: the argument bytes */
};

enum lab_status { LAB_OK = 0, LAB_ERR_NAME_FAULT = 1 };

struct lab {
	struct machine *m;
	struct lab_result res;
	uint64_t name_addr, value;
	uint32_t status;
	bool reported;
};

static char lab_safe_char(uint8_t c)
{
	return c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '_' : (char)c;
}

static void lab_copy_name(struct lab *l, uint64_t len)
{
	if (len > LAB_NAME_MAX)
		len = LAB_NAME_MAX;
	const uint8_t *src = len ? guest_ram_ptr(l->m, l->name_addr, len) : NULL;
	if (len && !src) {
		l->status = LAB_ERR_NAME_FAULT;
		return;
	}
	size_t n = 0;
	while (n < len && src[n] != 0) {
		l->res.metric_name[n] = lab_safe_char(src[n]);
		n++;
	}
	l->res.metric_name[n] = 0;
	l->status = LAB_OK;
	l->reported = true;
}

/* The argument string, at most LAB_ARGS_MAX bytes of it. */
static uint64_t lab_args_len(const struct lab *l)
{
	size_t n = l->m->cfg.args ? strlen(l->m->cfg.args) : 0;
	return n > LAB_ARGS_MAX ? LAB_ARGS_MAX : n;
}

/* Eight argument bytes from byte offset off, little-endian, 0 past the end. */
static uint64_t lab_args_word(const struct lab *l, uint64_t off)
{
	uint64_t v = 0, len = lab_args_len(l);
	for (unsigned i = 0; i < 8; i++)
		if (off + i < len)
			v |= (uint64_t)(uint8_t)l->m->cfg.args[off + i] << (8 * i);
	return v;
}

static int lab_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct lab *l = opaque;
	(void)h;
	if (size != 8 || off % 8)
		return -1;
	switch (off) {
	case LAB_REG_ID: *val = LAB_ID; break;
	case LAB_REG_NAME_ADDR: *val = l->name_addr; break;
	case LAB_REG_NAME_LEN: *val = strlen(l->res.metric_name); break;
	case LAB_REG_VALUE: *val = l->value; break;
	case LAB_REG_DIGEST: *val = l->res.digest; break;
	case LAB_REG_MARKER: *val = l->res.last_marker; break;
	case LAB_REG_MARKER_COUNT: *val = l->res.markers; break;
	case LAB_REG_STATUS: *val = l->status; break;
	case LAB_REG_ARGS_LEN: *val = lab_args_len(l); break;
	default: *val = off >= LAB_ARGS_WINDOW ? lab_args_word(l, off - LAB_ARGS_WINDOW) : 0; break;
	}
	return 0;
}

static int lab_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct lab *l = opaque;
	(void)h;
	if (size != 8 || off % 8)
		return -1;
	switch (off) {
	case LAB_REG_NAME_ADDR: l->name_addr = val; break;
	case LAB_REG_NAME_LEN: lab_copy_name(l, val); break;
	case LAB_REG_VALUE:
		l->value = val;
		l->res.metric_value = (double)(int64_t)val / LAB_VALUE_SCALE;
		l->reported = true;
		break;
	case LAB_REG_DIGEST:
		l->res.digest = val;
		l->reported = true;
		break;
	case LAB_REG_MARKER:
		l->res.markers++;
		l->res.last_marker = val;
		l->reported = true;
		break;
	case LAB_REG_EXIT:
		machine_halt(l->m, val > 255 ? 255 : (int)val, "guest exit via lab device");
		break;
	default: break;
	}
	return 0;
}

const struct lab_result *lab_result(const struct machine *m)
{
	return m->lab && m->lab->reported ? &m->lab->res : NULL;
}

int lab_attach(struct machine *m, char *err, size_t errlen)
{
	struct lab *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, errlen, "vtlab: lab: out of memory");
		return -1;
	}
	l->m = m;
	struct device d = {
		.name = "lab",
		.base = LAB_BASE,
		.size = LAB_WINDOW,
		.opaque = l,
		.read = lab_read,
		.write = lab_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: lab: window 0x%llx+0x%x overlaps another device",
			 (unsigned long long)LAB_BASE, LAB_WINDOW);
		free(l);
		return -1;
	}
	m->lab = l;
	return 0;
}

void lab_free(struct machine *m)
{
	free(m->lab);
	m->lab = NULL;
}
