/*
 * dev_pvblk.c - the paravirtual block device: a request ring in guest RAM
 * and one doorbell register, serving the same disk image as dev_blk.c.
 *
 * Contract: the guest places a ring (16-byte header + RING_SIZE descriptors
 * of 32 bytes, little-endian, layout in docs/devices.md "Paravirtual block
 * ring") in its RAM, programs RING_LO/RING_HI/RING_SIZE (which resets the
 * device's consumer index to 0), fills descriptors, advances the producer
 * index in the header and writes DOORBELL once.  That single write makes the
 * device process every pending descriptor in order: each gets its status
 * written back, the consumer index in the header is advanced, EV_PVBLK_IO is
 * counted per request on the accessing hart, and PLIC source IRQ_SRC_PVBLK
 * is raised (when CTRL.IRQ_EN) until IRQ_ACK.  Everything the guest wrote is
 * validated: a ring outside RAM, a bad size or a producer index more than
 * RING_SIZE ahead makes STATUS = BAD_RING and nothing is processed; a bad
 * descriptor only gets an error status of its own.  Only aligned 32-bit
 * register accesses are accepted.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "devices.h"
#include "devices_private.h"
#include "disk_image.h"
#include "le_bytes.h"
#include "machine.h"

#define PVBLK_WINDOW 0x1000u
#define PVBLK_ID 0x6b627670u /* "pvbk" in little-endian bytes */
#define PVBLK_VERSION 1u
#define PVBLK_MAX_RING 256u
#define RING_HDR_SIZE 16u
#define DESC_SIZE 32u

enum pvblk_reg {
	PV_REG_ID = 0x00,
	PV_REG_VERSION = 0x04,
	PV_REG_RING_LO = 0x08,
	PV_REG_RING_HI = 0x0c,
	PV_REG_RING_SIZE = 0x10,
	PV_REG_DOORBELL = 0x14,
	PV_REG_STATUS = 0x18,
	PV_REG_CAPACITY_LO = 0x1c,
	PV_REG_CAPACITY_HI = 0x20,
	PV_REG_CTRL = 0x24,
	PV_REG_IRQ_STATUS = 0x28,
	PV_REG_IRQ_ACK = 0x2c,
	PV_REG_MAX_LEN = 0x30,
	PV_REG_CONS = 0x34,
};

/* Offsets inside the ring header and a descriptor. */
enum { HDR_PROD = 0, HDR_CONS = 4 };
enum { D_OP = 0, D_STATUS = 4, D_SECTOR = 8, D_BUF = 16, D_LEN = 24, D_ID = 28 };

#define PV_CTRL_IRQ_EN 1u

struct pvblk {
	struct machine *m;
	uint64_t ring;
	uint32_t ring_size, cons, status, ctrl;
	bool irq_pending;
};

/* Host pointer to the whole ring, or NULL if the programmed ring is bad. */
static uint8_t *pvblk_ring(struct pvblk *p)
{
	uint32_t n = p->ring_size;
	if (n == 0 || n > PVBLK_MAX_RING || (n & (n - 1)) || p->ring % 8)
		return NULL;
	return guest_ram_ptr(p->m, p->ring, RING_HDR_SIZE + (uint64_t)DESC_SIZE * n);
}

static unsigned pvblk_request(struct pvblk *p, const uint8_t *d)
{
	uint32_t op = le32_load(d + D_OP), len = le32_load(d + D_LEN);
	if (op == DISK_OP_FLUSH)
		return disk_transfer(p->m, blk_disk_image(p->m), op, 0, 0, 0);
	if (len % DISK_SECTOR)
		return op == DISK_OP_READ || op == DISK_OP_WRITE ? DISK_ERR_COUNT : DISK_ERR_BAD_OP;
	return disk_transfer(p->m, blk_disk_image(p->m), op, le64_load(d + D_SECTOR),
			     le64_load(d + D_BUF), len / DISK_SECTOR);
}

static void pvblk_doorbell(struct pvblk *p, struct hart *h)
{
	uint8_t *ring = pvblk_ring(p);
	uint32_t pending = ring ? le32_load(ring + HDR_PROD) - p->cons : 0;
	if (!ring || pending > p->ring_size) {
		p->status = DISK_ERR_BAD_RING;
		return;
	}
	p->status = DISK_OK;
	for (uint32_t i = 0; i < pending; i++) {
		uint8_t *d =
			ring + RING_HDR_SIZE + (uint64_t)DESC_SIZE * (p->cons & (p->ring_size - 1));
		le32_store(d + D_STATUS, pvblk_request(p, d));
		p->cons++;
		if (h)
			h->st.ev[EV_PVBLK_IO]++;
	}
	le32_store(ring + HDR_CONS, p->cons);
	if (pending && (p->ctrl & PV_CTRL_IRQ_EN)) {
		p->irq_pending = true;
		plic_set_irq(p->m, IRQ_SRC_PVBLK, 1);
	}
}

static int pvblk_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct pvblk *p = opaque;
	(void)h;
	if (size != 4 || off % 4)
		return -1;
	uint64_t cap = disk_image_sectors(blk_disk_image(p->m));
	switch (off) {
	case PV_REG_ID: *val = PVBLK_ID; break;
	case PV_REG_VERSION: *val = PVBLK_VERSION; break;
	case PV_REG_RING_LO: *val = (uint32_t)p->ring; break;
	case PV_REG_RING_HI: *val = p->ring >> 32; break;
	case PV_REG_RING_SIZE: *val = p->ring_size; break;
	case PV_REG_STATUS: *val = p->status; break;
	case PV_REG_CAPACITY_LO: *val = (uint32_t)cap; break;
	case PV_REG_CAPACITY_HI: *val = cap >> 32; break;
	case PV_REG_CTRL: *val = p->ctrl; break;
	case PV_REG_IRQ_STATUS: *val = p->irq_pending; break;
	case PV_REG_MAX_LEN: *val = DISK_MAX_SECTORS * DISK_SECTOR; break;
	case PV_REG_CONS: *val = p->cons; break;
	default: *val = 0; break;
	}
	return 0;
}

static int pvblk_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct pvblk *p = opaque;
	if (size != 4 || off % 4)
		return -1;
	uint32_t v = (uint32_t)val;
	switch (off) {
	case PV_REG_RING_LO:
		p->ring = (p->ring & ~0xffffffffull) | v;
		p->cons = 0;
		break;
	case PV_REG_RING_HI:
		p->ring = (p->ring & 0xffffffffull) | (uint64_t)v << 32;
		p->cons = 0;
		break;
	case PV_REG_RING_SIZE:
		p->ring_size = v;
		p->cons = 0;
		break;
	case PV_REG_DOORBELL: pvblk_doorbell(p, h); break;
	case PV_REG_CTRL: p->ctrl = v & PV_CTRL_IRQ_EN; break;
	case PV_REG_IRQ_ACK:
		if (v & 1) {
			p->irq_pending = false;
			plic_set_irq(p->m, IRQ_SRC_PVBLK, 0);
		}
		break;
	default: break;
	}
	return 0;
}

int pvblk_attach(struct machine *m, char *err, size_t errlen)
{
	struct pvblk *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "vtlab: pvblk: out of memory");
		return -1;
	}
	p->m = m;
	struct device d = {
		.name = "pvblk",
		.base = PVBLK_BASE,
		.size = PVBLK_WINDOW,
		.opaque = p,
		.read = pvblk_read,
		.write = pvblk_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: pvblk: window 0x%llx+0x%x overlaps another device",
			 (unsigned long long)PVBLK_BASE, PVBLK_WINDOW);
		free(p);
		return -1;
	}
	m->pvblk = p;
	return 0;
}

void pvblk_free(struct machine *m)
{
	free(m->pvblk);
	m->pvblk = NULL;
}
