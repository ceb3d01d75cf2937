/*
 * blk_pv.c - driver of the paravirtual block ring (docs/devices.md
 * section 6), used by the KERNEL_PV build.
 *
 * The ring (RING_SIZE descriptors) lives in one kernel page; a batch of
 * requests is written as descriptors, `prod` is advanced, and one DOORBELL
 * write makes the device serve them all, synchronously: on return `cons`
 * has caught up and each descriptor holds its status.  So a batch of n
 * requests costs one MMIO exit instead of 8n (blk_emu.c).  One spinlock
 * serialises batches from all harts.
 */
#ifdef KERNEL_PV
#include "fs.h"

#define PVBLK_PA 0x10002000ull
#define PVBLK_ID 0x6B627670u /* "pvbk" */
enum {
	R_ID = 0x00,
	R_RING_LO = 0x08,
	R_RING_HI = 0x0C,
	R_RING_SIZE = 0x10,
	R_DOORBELL = 0x14,
	R_STATUS = 0x18,
	R_CAP_LO = 0x1C,
	R_CAP_HI = 0x20,
	R_CTRL = 0x24,
	R_MAX_LEN = 0x30,
};
#define RING_SIZE 64u
#define OP_FLUSH 3u

struct pv_desc {
	uint32_t op;
	volatile uint32_t status;
	uint64_t sector;
	uint64_t buf;
	uint32_t len;
	uint32_t id;
};
struct pv_ring {
	volatile uint32_t prod;
	volatile uint32_t cons;
	uint64_t reserved;
	struct pv_desc desc[RING_SIZE];
};
_Static_assert(sizeof(struct pv_ring) == 16 + 32 * RING_SIZE, "ring layout (devices.md 6)");
_Static_assert(sizeof(struct pv_ring) <= PAGE_SIZE, "the ring fits in one page");

static volatile uint32_t *regs;
static struct spinlock blk_lock;
static struct pv_ring *ring;
static uint64_t capacity;
static uint32_t max_sectors;

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
	spin_init(&blk_lock, "pvblk");
	regs = io_map(PVBLK_PA);
	if (rd(R_ID) != PVBLK_ID) {
		kprintf("pvblk: no paravirtual block ring at %#llx\n", PVBLK_PA);
		return -VTLAB_EIO;
	}
	ring = page_alloc();
	if (!ring)
		return -VTLAB_ENOMEM;
	ring->prod = ring->cons = 0;
	wr(R_CTRL, 0);
	wr(R_RING_LO, (uint32_t)V2P(ring));
	wr(R_RING_HI, (uint32_t)(V2P(ring) >> 32));
	wr(R_RING_SIZE, RING_SIZE);
	capacity = rd(R_CAP_LO) | (uint64_t)rd(R_CAP_HI) << 32;
	max_sectors = rd(R_MAX_LEN) / VTFS_SECTOR_SIZE;
	if (max_sectors == 0 || max_sectors > 256)
		max_sectors = 256;
	return capacity ? 0 : -VTLAB_EIO;
}

uint64_t blk_sectors(void)
{
	return capacity;
}

/* Rings the doorbell for everything queued; checks each status. */
static int ring_kick(uint32_t first, uint32_t count)
{
	int rc = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* descriptors before prod */
	ring->prod = first + count;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr(R_DOORBELL, 1);
	if (rd(R_STATUS) != 0 || ring->cons != first + count) {
		kprintf("pvblk: doorbell failed (status %u, cons %u, prod %u)\n", rd(R_STATUS),
			ring->cons, first + count);
		return -VTLAB_EIO;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct pv_desc *d = &ring->desc[(first + i) & (RING_SIZE - 1)];
		if (d->status != 0) {
			kprintf("pvblk: op %u sector %llu len %u: status %u\n", d->op,
				(unsigned long long)d->sector, d->len, d->status);
			rc = -VTLAB_EIO;
		}
	}
	return rc;
}

static void ring_put(uint32_t slot, uint32_t op, uint64_t sector, void *buf, uint32_t nsect)
{
	struct pv_desc *d = &ring->desc[slot & (RING_SIZE - 1)];
	d->op = op;
	d->status = 0xffffffffu;
	d->sector = sector;
	d->buf = buf ? V2P(buf) : 0;
	d->len = nsect * VTFS_SECTOR_SIZE;
	d->id = slot;
}

/* Queues requests (split at max_sectors), one doorbell per full ring. */
int blk_submit(struct blk_req *reqs, unsigned n)
{
	int rc = 0;
	if (!capacity)
		return -VTLAB_EIO;
	spin_lock(&blk_lock);
	uint32_t first = ring->prod, queued = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t sector = reqs[i].sector;
		uint32_t left = reqs[i].nsectors;
		uint8_t *p = reqs[i].buf;
		if (sector >= capacity || left > capacity - sector || left == 0) {
			rc = -VTLAB_EIO;
			continue;
		}
		while (left > 0) {
			uint32_t chunk = left < max_sectors ? left : max_sectors;
			if (queued == RING_SIZE) {
				rc |= ring_kick(first, queued);
				first += queued;
				queued = 0;
			}
			ring_put(first + queued++, reqs[i].op, sector, p, chunk);
			sector += chunk;
			p += (size_t)chunk * VTFS_SECTOR_SIZE;
			left -= chunk;
		}
	}
	if (queued)
		rc |= ring_kick(first, queued);
	spin_unlock(&blk_lock);
	return rc ? -VTLAB_EIO : 0;
}

int blk_read(uint64_t sector, void *buf, uint32_t nsectors)
{
	struct blk_req r = { BLK_OP_READ, nsectors, sector, buf };
	return blk_submit(&r, 1);
}

int blk_write(uint64_t sector, const void *buf, uint32_t nsectors)
{
	struct blk_req r = { BLK_OP_WRITE, nsectors, sector, (void *)buf };
	return blk_submit(&r, 1);
}

int blk_flush(void)
{
	int rc;
	if (!capacity)
		return -VTLAB_EIO;
	spin_lock(&blk_lock);
	uint32_t first = ring->prod;
	ring_put(first, OP_FLUSH, 0, NULL, 0);
	ring->desc[first & (RING_SIZE - 1)].len = 0;
	rc = ring_kick(first, 1);
	spin_unlock(&blk_lock);
	return rc;
}
#endif
