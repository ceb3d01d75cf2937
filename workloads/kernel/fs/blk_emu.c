/*
 * blk_emu.c - driver of the emulated block controller (docs/devices.md
 * section 5), used by the unmodified kernel (not KERNEL_PV).
 *
 * Interrupt-driven, as Linux's block drivers are: CTRL.IRQ_EN raises PLIC
 * source 1 when a command completes, and the completion is taken through
 * the interrupt controller - claim, acknowledge in the device (IRQ_STATUS,
 * IRQ_ACK), complete (core/trap.c) - so each request touches the device's
 * page and the PLIC's claim page alternately, each access an MMIO exit
 * under a hypervisor (the paper 003's section 2.2: the VMM must keep every
 * such translation to recognise I/O; the paravirtual ring, blk_pv.c,
 * avoids all of it).  A request is seven register writes and a STATUS
 * read under blk_lock (the registers are shared by all harts), then a wait
 * for the interrupt that acknowledges it.  The device completes within the
 * CMD write (docs/devices.md 5), so the interrupt is pending at once: with
 * interrupts enabled it is taken right away (by this hart or another);
 * a caller that runs with interrupts masked polls the PLIC instead.
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
	R_IRQ_STATUS = 0x30,
	R_IRQ_ACK = 0x34,
	R_MAX_COUNT = 0x38,
};
#define CMD_FLUSH 3u
#define CTRL_IRQ_EN 1u
#define IRQ_SRC_BLK 1u /* PLIC source (docs/devices.md 2) */

static volatile uint32_t *regs;
static struct spinlock blk_lock;
static uint64_t capacity; /* sectors; 0 = no disk */
static uint32_t max_count;
/* Commands issued, and the highest of them a completion interrupt has
 * acknowledged (one IRQ_ACK covers every command written before it). */
static uint64_t issued, acked;

static uint32_t rd(unsigned off)
{
	return regs[off / 4];
}

static void wr(unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

/* PLIC source 1 (core/trap.c): acknowledge in the device first - the line
 * is level-triggered - then record which commands are complete: all those
 * issued before the acknowledgement. */
static void blk_intr(void)
{
	if (!(rd(R_IRQ_STATUS) & 1))
		return;
	wr(R_IRQ_ACK, 1);
	uint64_t n = __atomic_load_n(&issued, __ATOMIC_SEQ_CST);
	uint64_t a = __atomic_load_n(&acked, __ATOMIC_SEQ_CST);
	while (a < n && !__atomic_compare_exchange_n(&acked, &a, n, false, __ATOMIC_SEQ_CST,
						     __ATOMIC_SEQ_CST))
		;
}

static bool interrupts_enabled(void)
{
	uint64_t sstatus;
	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
	return (sstatus & 2) != 0; /* SIE, privileged spec 4.1.1 */
}

static void wait_completion(uint64_t ticket)
{
	while (__atomic_load_n(&acked, __ATOMIC_SEQ_CST) < ticket)
		if (!interrupts_enabled())
			trap_external(); /* masked: take the interrupt by polling */
}

int blk_init(void)
{
	spin_init(&blk_lock, "blk");
	regs = io_map(BLK_PA);
	if (rd(R_ID) != BLK_ID) {
		kprintf("blk: no emulated block controller at %#llx\n", BLK_PA);
		return -VTLAB_EIO;
	}
	capacity = rd(R_CAP_LO) | (uint64_t)rd(R_CAP_HI) << 32;
	max_count = rd(R_MAX_COUNT);
	if (max_count == 0 || max_count > 256)
		max_count = 256;
	trap_set_external(IRQ_SRC_BLK, blk_intr);
	wr(R_CTRL, CTRL_IRQ_EN);
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
	uint64_t ticket = __atomic_add_fetch(&issued, 1, __ATOMIC_SEQ_CST);
	wr(R_CMD, cmd);
	status = rd(R_STATUS);
	spin_unlock(&blk_lock); /* interrupts as the caller had them */
	wait_completion(ticket);
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
