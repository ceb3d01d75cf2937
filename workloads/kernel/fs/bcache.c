/*
 * bcache.c - the buffer cache of metadata blocks (bitmaps, inode table,
 * indirect blocks), after xv6-riscv's bio.c: NBUF buffers on an LRU list,
 * one sleeplock each, reference counts under one spinlock.  Write-back:
 * bdirty() only marks a buffer; dirty buffers reach the disk at
 * bcache_flush() (sync, fsync) or when their buffer is reused.  File and
 * directory contents are in the page cache (pcache.c), never here.
 */
#include "fs.h"

#define NBUF 256

static struct {
	struct spinlock lock;
	struct buf bufs[NBUF];
	struct buf head;             /* LRU: head.next most recent */
	struct sleeplock flush_lock; /* one flusher at a time */
} bc;

static void lru_unlink(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void lru_push_front(struct buf *b)
{
	b->next = bc.head.next;
	b->prev = &bc.head;
	bc.head.next->prev = b;
	bc.head.next = b;
}

void bcache_init(void)
{
	memset(&bc, 0, sizeof bc); /* a fresh mount (the host tests remount) */
	spin_init(&bc.lock, "bcache");
	sleep_init(&bc.flush_lock, "bflush");
	bc.head.prev = bc.head.next = &bc.head;
	for (int i = 0; i < NBUF; i++) {
		struct buf *b = &bc.bufs[i];
		sleep_init(&b->lock, "buf");
		b->data = page_alloc();
		if (!b->data)
			panic("bcache: no memory for %d buffers", NBUF);
		lru_push_front(b);
	}
}

static int bwrite_now(struct buf *b)
{
	int rc = blk_write((uint64_t)b->blockno * VTFS_SECTORS_PER_BLOCK, b->data,
			   VTFS_SECTORS_PER_BLOCK);
	if (rc == 0)
		b->dirty = false;
	return rc;
}

/* The buffer that holds (or is being filled with) blockno, other than
 * except; bc.lock held. */
static struct buf *find(uint32_t blockno, const struct buf *except)
{
	for (struct buf *b = bc.head.next; b != &bc.head; b = b->next)
		if (b != except && b->blockno == blockno && (b->valid || b->ref > 0))
			return b;
	return NULL;
}

/* The buffer of blockno, referenced and locked (not necessarily valid). */
static struct buf *bget(uint32_t blockno)
{
	struct buf *b;
	for (;;) {
		spin_lock(&bc.lock);
		if ((b = find(blockno, NULL)) != NULL) {
			b->ref++;
			spin_unlock(&bc.lock);
			sleep_lock(&b->lock);
			return b;
		}
		/* Recycle the least recently used unreferenced buffer. */
		for (b = bc.head.prev; b != &bc.head; b = b->prev)
			if (b->ref == 0)
				break;
		if (b == &bc.head)
			panic("bcache: all %d buffers in use", NBUF);
		b->ref = 1;
		spin_unlock(&bc.lock);
		sleep_lock(&b->lock);
		if (b->valid && b->dirty && bwrite_now(b) != 0)
			kprintf("vtfs: block %u: write-back failed, data lost\n", b->blockno);
		spin_lock(&bc.lock);
		/* Nobody may have looked this buffer up meanwhile (ref == 1),
		 * and no other thread may have made another buffer blockno's
		 * while bc.lock was dropped: then it becomes blockno's.  (The
		 * second check was missing: two threads missing on one block
		 * each got a buffer for it, and one's change was lost at
		 * write-back; found by review, test_kfs test_bget_race.) */
		if (b->ref == 1 && !find(blockno, b)) {
			b->blockno = blockno;
			b->valid = false;
			b->dirty = false;
			spin_unlock(&bc.lock);
			return b;
		}
		b->ref--;
		spin_unlock(&bc.lock);
		sleep_unlock(&b->lock);
	}
}

struct buf *bread(uint32_t blockno)
{
	struct buf *b = bget(blockno);
	if (!b->valid) {
		if (blk_read((uint64_t)blockno * VTFS_SECTORS_PER_BLOCK, b->data,
			     VTFS_SECTORS_PER_BLOCK) != 0) {
			brelse(b);
			return NULL;
		}
		b->valid = true;
	}
	return b;
}

void bdirty(struct buf *b)
{
	fs_touch();
	b->dirty = true;
}

void brelse(struct buf *b)
{
	sleep_unlock(&b->lock);
	spin_lock(&bc.lock);
	b->ref--;
	if (b->ref == 0) {
		lru_unlink(b);
		lru_push_front(b);
	}
	spin_unlock(&bc.lock);
}

void bforget(uint32_t blockno)
{
	spin_lock(&bc.lock);
	for (struct buf *b = bc.head.next; b != &bc.head; b = b->next)
		if (b->blockno == blockno && b->valid && b->ref == 0) {
			b->valid = false;
			b->dirty = false;
		}
	spin_unlock(&bc.lock);
}

/* Writes every dirty buffer, one batch per pass of up to BATCH buffers. */
#define BATCH 32
int bcache_flush(void)
{
	struct buf *batch[BATCH];
	struct blk_req reqs[BATCH];
	int rc = 0;
	sleep_lock(&bc.flush_lock);
	for (int i = 0; i < NBUF;) {
		unsigned n = 0;
		for (; i < NBUF && n < BATCH; i++) {
			struct buf *b = &bc.bufs[i];
			spin_lock(&bc.lock);
			bool candidate = b->valid && b->dirty;
			if (candidate)
				b->ref++;
			spin_unlock(&bc.lock);
			if (!candidate)
				continue;
			sleep_lock(&b->lock);
			if (!b->valid || !b->dirty) {
				brelse(b);
				continue;
			}
			reqs[n] = (struct blk_req){ BLK_OP_WRITE, VTFS_SECTORS_PER_BLOCK,
						    (uint64_t)b->blockno * VTFS_SECTORS_PER_BLOCK,
						    b->data };
			batch[n++] = b;
		}
		if (n && blk_submit(reqs, n) != 0)
			rc = -VTLAB_EIO;
		for (unsigned j = 0; j < n; j++) {
			if (rc == 0)
				batch[j]->dirty = false;
			brelse(batch[j]);
		}
	}
	sleep_unlock(&bc.flush_lock);
	return rc;
}

struct buf *bnew(uint32_t blockno)
{
	struct buf *b = bget(blockno);
	memset(b->data, 0, VTFS_BLOCK_SIZE);
	b->valid = true;
	bdirty(b);
	return b;
}
