/*
 * dev_blk.c - the emulated block controller: a register-programmed,
 * synchronous DMA disk controller over the machine's disk image.
 *
 * Contract: every transfer takes several 32-bit register accesses (sector
 * low/high, DMA address low/high, count, command, then status and the
 * interrupt acknowledge): that is deliberate, so an emulated-I/O guest pays
 * the MMIO exits a real device model costs.  The write to CMD performs the
 * whole transfer before it returns (disk_transfer() validates everything
 * first; DMA only through phys_ram_ptr()), latches STATUS, counts EV_BLK_IO
 * on the accessing hart and, when CTRL.IRQ_EN is set, raises PLIC source
 * IRQ_SRC_BLK until the guest writes IRQ_ACK.  Only aligned 32-bit accesses
 * are accepted; unknown offsets read 0 and ignore writes.  Without an image
 * the device is present and reports CAPACITY 0 and STATUS NO_MEDIA.
 * Register map: docs/devices.md "Block controller".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "devices.h"
#include "devices_private.h"
#include "disk_image.h"
#include "machine.h"

#define BLK_WINDOW 0x1000u
#define BLK_ID 0x6b6c6276u /* "vblk" in little-endian bytes */
#define BLK_VERSION 1u

enum blk_reg {
	BLK_REG_ID = 0x00,
	BLK_REG_VERSION = 0x04,
	BLK_REG_SECTOR_LO = 0x08,
	BLK_REG_SECTOR_HI = 0x0c,
	BLK_REG_DMA_LO = 0x10,
	BLK_REG_DMA_HI = 0x14,
	BLK_REG_COUNT = 0x18,
	BLK_REG_CMD = 0x1c,
	BLK_REG_STATUS = 0x20,
	BLK_REG_CAPACITY_LO = 0x24,
	BLK_REG_CAPACITY_HI = 0x28,
	BLK_REG_CTRL = 0x2c,
	BLK_REG_IRQ_STATUS = 0x30,
	BLK_REG_IRQ_ACK = 0x34,
	BLK_REG_MAX_COUNT = 0x38,
};

#define BLK_CTRL_IRQ_EN 1u

struct blk {
	struct machine *m;
	struct disk_image *disk;
	uint64_t sector, dma;
	uint32_t count, cmd, status, ctrl;
	bool irq_pending;
};

struct disk_image *blk_disk_image(const struct machine *m)
{
	return m->blk ? m->blk->disk : NULL;
}

static void set_lo(uint64_t *r, uint32_t v)
{
	*r = (*r & ~0xffffffffull) | v;
}
static void set_hi(uint64_t *r, uint32_t v)
{
	*r = (*r & 0xffffffffull) | (uint64_t)v << 32;
}

static void blk_command(struct blk *b, struct hart *h, uint32_t cmd)
{
	b->cmd = cmd;
	b->status = disk_transfer(b->m, b->disk, cmd, b->sector, b->dma, b->count);
	if (h)
		h->st.ev[EV_BLK_IO]++;
	if (b->ctrl & BLK_CTRL_IRQ_EN) {
		b->irq_pending = true;
		plic_set_irq(b->m, IRQ_SRC_BLK, 1);
	}
}

static int blk_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct blk *b = opaque;
	(void)h;
	if (size != 4 || off % 4)
		return -1;
	uint64_t cap = disk_image_sectors(b->disk);
	switch (off) {
	case BLK_REG_ID: *val = BLK_ID; break;
	case BLK_REG_VERSION: *val = BLK_VERSION; break;
	case BLK_REG_SECTOR_LO: *val = (uint32_t)b->sector; break;
	case BLK_REG_SECTOR_HI: *val = b->sector >> 32; break;
	case BLK_REG_DMA_LO: *val = (uint32_t)b->dma; break;
	case BLK_REG_DMA_HI: *val = b->dma >> 32; break;
	case BLK_REG_COUNT: *val = b->count; break;
	case BLK_REG_CMD: *val = b->cmd; break;
	case BLK_REG_STATUS: *val = b->disk ? b->status : DISK_ERR_NO_MEDIA; break;
	case BLK_REG_CAPACITY_LO: *val = (uint32_t)cap; break;
	case BLK_REG_CAPACITY_HI: *val = cap >> 32; break;
	case BLK_REG_CTRL: *val = b->ctrl; break;
	case BLK_REG_IRQ_STATUS: *val = b->irq_pending; break;
	case BLK_REG_MAX_COUNT: *val = DISK_MAX_SECTORS; break;
	default: *val = 0; break;
	}
	return 0;
}

static int blk_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct blk *b = opaque;
	if (size != 4 || off % 4)
		return -1;
	uint32_t v = (uint32_t)val;
	switch (off) {
	case BLK_REG_SECTOR_LO: set_lo(&b->sector, v); break;
	case BLK_REG_SECTOR_HI: set_hi(&b->sector, v); break;
	case BLK_REG_DMA_LO: set_lo(&b->dma, v); break;
	case BLK_REG_DMA_HI: set_hi(&b->dma, v); break;
	case BLK_REG_COUNT: b->count = v; break;
	case BLK_REG_CMD: blk_command(b, h, v); break;
	case BLK_REG_CTRL: b->ctrl = v & BLK_CTRL_IRQ_EN; break;
	case BLK_REG_IRQ_ACK:
		if (v & 1) {
			b->irq_pending = false;
			plic_set_irq(b->m, IRQ_SRC_BLK, 0);
		}
		break;
	default: break; /* read-only and unknown registers */
	}
	return 0;
}

int blk_attach(struct machine *m, const char *image, char *err, size_t errlen)
{
	struct blk *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(err, errlen, "vtlab: blk: out of memory");
		return -1;
	}
	b->m = m;
	if (image) {
		b->disk = disk_image_open(image, m->cfg.disk_snapshot, err, errlen);
		if (!b->disk) {
			free(b);
			return -1;
		}
	}
	struct device d = {
		.name = "blk",
		.base = BLK_BASE,
		.size = BLK_WINDOW,
		.opaque = b,
		.read = blk_read,
		.write = blk_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: blk: window 0x%llx+0x%x overlaps another device",
			 (unsigned long long)BLK_BASE, BLK_WINDOW);
		disk_image_close(b->disk);
		free(b);
		return -1;
	}
	m->blk = b;
	return 0;
}

void blk_free(struct machine *m)
{
	if (!m->blk)
		return;
	disk_image_close(m->blk->disk);
	free(m->blk);
	m->blk = NULL;
}
