/*
 * dev_clint.c - the core-local interruptor (SiFive CLINT layout, as QEMU
 * virt and spike): per-hart software interrupt (msip), per-hart timer compare
 * (mtimecmp) and the machine timer (mtime).
 *
 * Contract: msip[hart] at 4*hart (32 bits, bit 0) drives MIP_MSIP of that
 * hart.  mtimecmp[hart] at 0x4000 + 8*hart (64 bits, also as two 32-bit
 * halves) is stored in m->mtimecmp[hart]; the scheduler in machine.c raises
 * the timer interrupt when machine_mtime() reaches it (MTIP, or STIP when
 * the built-in SBI firmware owns the timer).  A write here also sets the
 * timer bit to (mtime >= mtimecmp) at once, so a guest that moves the
 * deadline into the future sees the interrupt drop immediately (privileged
 * spec 3.2.1: MTIP is a level reflecting mtime >= mtimecmp).  mtime at
 * 0xBFF8 reads machine_mtime() of the accessing hart; writes are ignored
 * (time is modeled, derived from each hart's cycles).  Registers of harts
 * that do not exist, and the offsets after mtime, read 0 and ignore writes
 * (32 or 64 bits, aligned, as everywhere in the window).  State lives in the machine,
 * so the CLINT has no state of its own.
 */
#include <stdio.h>

#include "devices.h"
#include "machine.h"

#define CLINT_MSIP 0x0000u
#define CLINT_MTIMECMP 0x4000u
#define CLINT_MTIME 0xBFF8u

static struct hart *clint_hart(struct machine *m, uint64_t idx)
{
	return idx < m->nharts && idx < MAX_HARTS ? m->harts[idx] : NULL;
}

/* Reads the aligned 32- or 64-bit part of a 64-bit register. */
static int reg64_read(uint64_t reg, uint64_t off_in_reg, unsigned size, uint64_t *val)
{
	if (size == 8 && off_in_reg == 0)
		*val = reg;
	else if (size == 4 && (off_in_reg == 0 || off_in_reg == 4))
		*val = (uint32_t)(reg >> (8 * off_in_reg));
	else
		return -1;
	return 0;
}

/* Merges a write of the aligned 32- or 64-bit part into a 64-bit register. */
static int reg64_write(uint64_t *reg, uint64_t off_in_reg, unsigned size, uint64_t val)
{
	if (size == 8 && off_in_reg == 0) {
		*reg = val;
	} else if (size == 4 && (off_in_reg == 0 || off_in_reg == 4)) {
		unsigned sh = (unsigned)(8 * off_in_reg);
		*reg = (*reg & ~(0xffffffffull << sh)) | ((val & 0xffffffffull) << sh);
	} else {
		return -1;
	}
	return 0;
}

static int clint_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct machine *m = opaque;
	if (off < CLINT_MTIMECMP) {
		if (size != 4 || off % 4)
			return -1;
		struct hart *t = clint_hart(m, off / 4);
		*val = t && (t->mip & MIP_MSIP) ? 1 : 0;
		return 0;
	}
	if (off >= CLINT_MTIME + 8) /* unlisted: reads 0 (docs/devices.md) */
		return reg64_read(0, (off - CLINT_MTIME) % 8, size, val);
	if (off >= CLINT_MTIME)
		return reg64_read(machine_mtime(m, h), off - CLINT_MTIME, size, val);
	uint64_t idx = (off - CLINT_MTIMECMP) / 8;
	uint64_t cmp = clint_hart(m, idx) ? m->mtimecmp[idx] : 0;
	return reg64_read(cmp, (off - CLINT_MTIMECMP) % 8, size, val);
}

static int clint_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct machine *m = opaque;
	(void)h;
	if (off < CLINT_MTIMECMP) {
		if (size != 4 || off % 4)
			return -1;
		struct hart *t = clint_hart(m, off / 4);
		if (t)
			hart_set_mip(t, MIP_MSIP, val & 1);
		return 0;
	}
	if (off >= CLINT_MTIME) { /* mtime, and the unlisted offsets after it */
		uint64_t ignored;
		return reg64_read(0, (off - CLINT_MTIME) % 8, size,
				  &ignored); /* only checks the access */
	}
	uint64_t idx = (off - CLINT_MTIMECMP) / 8;
	struct hart *t = clint_hart(m, idx);
	uint64_t cmp = t ? m->mtimecmp[idx] : 0;
	if (reg64_write(&cmp, (off - CLINT_MTIMECMP) % 8, size, val) != 0)
		return -1;
	if (!t)
		return 0;
	m->mtimecmp[idx] = cmp;
	hart_set_mip(t, m->firmware ? MIP_STIP : MIP_MTIP, machine_mtime(m, t) >= cmp);
	return 0;
}

int clint_attach(struct machine *m, char *err, size_t errlen)
{
	struct device d = {
		.name = "clint",
		.base = CLINT_BASE,
		.size = CLINT_SIZE,
		.opaque = m,
		.read = clint_read,
		.write = clint_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: clint: window 0x%llx+0x%llx overlaps another device",
			 (unsigned long long)CLINT_BASE, (unsigned long long)CLINT_SIZE);
		return -1;
	}
	return 0;
}
