/*
 * dev_syscon.c - the shutdown device, SiFive "test finisher" convention (as
 * QEMU's sifive_test on the virt machine).
 *
 * Contract: a 32-bit store to offset 0 of 0x5555 ends the run with exit code
 * 0 ("guest shutdown: pass"); (code << 16) | 0x3333 ends it with exit code
 * `code` (1 when code is 0, so a failure never reads as success) and reason
 * "guest shutdown: fail, code N"; 0x7777 (reset) ends it with code 0 and
 * reason "reset", since vtlab runs a guest once.  Other values, other
 * offsets and reads are ignored (reads return 0).  Accesses other than
 * aligned 32-bit are access faults.  The device has no state.
 */
#include <stdio.h>

#include "devices.h"
#include "machine.h"

#define SYSCON_WINDOW 0x1000u
#define SYSCON_PASS 0x5555u
#define SYSCON_FAIL 0x3333u
#define SYSCON_RESET 0x7777u

static int syscon_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	(void)opaque, (void)h;
	if (size != 4 || off % 4)
		return -1;
	*val = 0;
	return 0;
}

static int syscon_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct machine *m = opaque;
	(void)h;
	if (size != 4 || off % 4)
		return -1;
	if (off != 0)
		return 0;
	uint32_t v = (uint32_t)val, code = v >> 16;
	switch (v & 0xffffu) {
	case SYSCON_PASS: machine_halt(m, 0, "guest shutdown: pass"); break;
	case SYSCON_FAIL:
		machine_halt(m, code ? (int)code : 1, "guest shutdown: fail, code %u", code);
		break;
	case SYSCON_RESET: machine_halt(m, 0, "reset"); break;
	default: break;
	}
	return 0;
}

int syscon_attach(struct machine *m, char *err, size_t errlen)
{
	struct device d = {
		.name = "syscon",
		.base = SYSCON_BASE,
		.size = SYSCON_WINDOW,
		.opaque = m,
		.read = syscon_read,
		.write = syscon_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: syscon: window 0x%llx+0x%x overlaps another device",
			 (unsigned long long)SYSCON_BASE, SYSCON_WINDOW);
		return -1;
	}
	return 0;
}
