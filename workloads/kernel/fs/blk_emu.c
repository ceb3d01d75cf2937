/*
 * blk_emu.c - driver of the emulated block controller (docs/devices.md
 * section 5), used by the unmodified kernel (not KERNEL_PV).
 *
 * Synchronous: the write to CMD performs the transfer, so a request is
 * seven register writes and one STATUS read, each an MMIO exit under a
 * hypervisor -- the cost the paravirtual ring (blk_pv.c) removes.  The
 * device's registers are shared by all harts: one spinlock serialises a
 * command's register sequence.  Interrupts stay off (CTRL = 0): polling
 * is exact because the command completes within the CMD write.
 */
#ifndef KERNEL_PV
#include "fs.h"

#define BLK_PA 0x10001000ull
#define BLK_ID 0x6B6C6276u /* "vblk" */
enum {
	R_ID = 0x00,
	R_VERSION = 0x04,
	R_SECTOR_LO = 0x08,
	R_SECTOR_HI = 0x0C,
	R_DMA_LO = 0x10,
	R_DMA_HI = 0x14,
	R_COUNT = 0x18,
	R_CMD = 0x1C,
	R_STATUS = 0x20,
	R_CAP_LO = 0x24,
	R_CAP_HI = 0x28,
	R_CTRL = 0x2C,
	R_MAX_COUNT = 0x38,
};
#define CMD_FLUSH 3u

static volatile uint32_t *regs;
static struct spinlock blk_lock;
static uint64_t capacity; /* sectors; 0 = no disk */
static uint32_t max_count;

static uint32_t rd(unsigned off)
{
	return regs[off / 4];
}

static void wr(unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

int blk_init(void)
{
	spin_init(&blk_lock, "blk");
	regs = io_map(BLK_PA);
	if (rd(R_ID) != BLK_ID) {
		kprintf("blk: no emulated block controller at %#llx\n", BLK_PA);
		return -VTLAB_EIO;
	}
	wr(R_CTRL, 0);
	capacity = rd(R_CAP_LO) | (uint64_t)rd(R_CAP_HI) << 32;
	max_count = rd(R_MAX_COUNT);
	if (max_count == 0 || max_count > 256)
		max_count = 256;
	return capacity ? 0 : -VTLAB_EIO;
}

uint64_t blk_sectors(void)
{
	return capacity;
}

/* One command of at most max_count sectors; the registers are not
 * auto-incremented, so every field is written each time. */
static int blk_cmd(uint32_t cmd, uint64_t sector, uint64_t pa, uint32_t n)
{
	uint32_t status;
	spin_lock(&blk_lock);
	wr(R_SECTOR_LO, (uint32_t)sector);
	wr(R_SECTOR_HI, (uint32_t)(sector >> 32));
	wr(R_DMA_LO, (uint32_t)pa);
	wr(R_DMA_HI, (uint32_t)(pa >> 32));
	wr(R_COUNT, n);
	wr(R_CMD, cmd);
	status = rd(R_STATUS);
	spin_unlock(&blk_lock);
	if (status != 0) {
		kprintf("blk: command %u sector %llu count %u: status %u\n", cmd,
			(unsigned long long)sector, n, status);
		return -VTLAB_EIO;
	}
	return 0;
}

static int blk_xfer(uint32_t op, uint64_t sector, void *buf, uint32_t n)
{
	uint8_t *p = buf;
	if (!capacity || sector >= capacity || n > capacity - sector)
		return -VTLAB_EIO;
	while (n > 0) {
		uint32_t chunk = n < max_count ? n : max_count;
		int rc = blk_cmd(op, sector, V2P(p), chunk);
		if (rc)
			return rc;
		sector += chunk;
		p += (size_t)chunk * VTFS_SECTOR_SIZE;
		n -= chunk;
	}
	return 0;
}

int blk_read(uint64_t sector, void *buf, uint32_t nsectors)
{
	return blk_xfer(BLK_OP_READ, sector, buf, nsectors);
}

int blk_write(uint64_t sector, const void *buf, uint32_t nsectors)
{
	return blk_xfer(BLK_OP_WRITE, sector, (void *)buf, nsectors);
}

int blk_submit(struct blk_req *reqs, unsigned n)
{
	int rc = 0;
	for (unsigned i = 0; i < n; i++)
		if (blk_xfer(reqs[i].op, reqs[i].sector, reqs[i].buf, reqs[i].nsectors))
			rc = -VTLAB_EIO;
	return rc;
}

int blk_flush(void)
{
	return capacity ? blk_cmd(CMD_FLUSH, 0, 0, 0) : -VTLAB_EIO;
}
#endif
