/*
 * balloc.c - block and inode allocation in the on-disk bitmaps
 * (fs_format.h), through the buffer cache.  A bitmap block's buffer lock
 * serialises the allocations it covers; the search starts where the last
 * one ended (a hint, so files get consecutive blocks).
 */
#include "fs.h"

static uint32_t block_hint, inode_hint;

void balloc_init(void)
{
	/* A fresh mount (the host tests and fuzzer remount): where the last
	 * mount's searches ended means nothing on another image. */
	block_hint = inode_hint = 0;
}

/* Finds and sets a clear bit in [lo, hi) of the bitmap starting at block
 * map_start, from hint on (wrapping); -VTLAB_ENOSPC if none. */
static int bitmap_alloc(uint32_t map_start, uint32_t lo, uint32_t hi, uint32_t *hint, uint32_t *out)
{
	uint32_t start = *hint >= lo && *hint < hi ? *hint : lo;
	uint32_t n = hi - lo, i = 0;
	while (i < n) {
		uint32_t bit = lo + (start - lo + i) % n;
		uint32_t blk = bit / VTFS_BITS_PER_BLOCK;
		struct buf *b = bread(map_start + blk);
		if (!b)
			return -VTLAB_EIO;
		/* Scan the rest of this bitmap block (at most to hi). */
		uint32_t end = (blk + 1) * VTFS_BITS_PER_BLOCK;
		for (; bit < end && bit < hi && i < n; bit++, i++) {
			uint8_t *byte = &b->data[(bit % VTFS_BITS_PER_BLOCK) / 8];
			if (*byte == 0xff && bit % 8 == 0 && bit + 8 <= hi && i + 8 <= n) {
				bit += 7;
				i += 7;
				continue;
			}
			if (!(*byte & (1u << (bit % 8)))) {
				*byte |= (uint8_t)(1u << (bit % 8));
				bdirty(b);
				brelse(b);
				*hint = bit + 1;
				*out = bit;
				return 0;
			}
		}
		brelse(b); /* next block, or back to lo past hi */
	}
	return -VTLAB_ENOSPC;
}

static void bitmap_clear(uint32_t map_start, uint32_t bit, const char *what)
{
	struct buf *b = bread(map_start + bit / VTFS_BITS_PER_BLOCK);
	if (!b) {
		kprintf("vtfs: cannot free %s %u: bitmap unreadable\n", what, bit);
		return;
	}
	uint8_t *byte = &b->data[(bit % VTFS_BITS_PER_BLOCK) / 8];
	if (!(*byte & (1u << (bit % 8))))
		kprintf("vtfs: freeing free %s %u\n", what, bit);
	*byte &= (uint8_t) ~(1u << (bit % 8));
	bdirty(b);
	brelse(b);
}

int balloc(uint32_t *out)
{
	int rc = bitmap_alloc(fs.sb.bbitmap_start, fs.sb.data_start, fs.sb.nblocks, &block_hint,
			      out);
	if (rc == 0)
		bforget(*out);
	return rc;
}

void bfree(uint32_t b)
{
	if (!fs_valid_data_block(b)) {
		kprintf("vtfs: not freeing block %u outside the data area\n", b);
		return;
	}
	bforget(b);
	bitmap_clear(fs.sb.bbitmap_start, b, "block");
}

int ialloc_inum(uint32_t *out)
{
	return bitmap_alloc(fs.sb.ibitmap_start, VTFS_ROOT_INO + 1, fs.sb.ninodes, &inode_hint,
			    out);
}

void ifree_inum(uint32_t inum)
{
	if (inum <= VTFS_ROOT_INO || inum >= fs.sb.ninodes)
		return;
	bitmap_clear(fs.sb.ibitmap_start, inum, "inode");
}
