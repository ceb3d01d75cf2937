/*
 * inode.c - in-memory inodes (after xv6-riscv's fs.c): a table of NINODE
 * entries with reference counts under one spinlock and a sleeplock each
 * for the contents; the block map (direct, single and double indirect,
 * fs_format.h) and truncation.  A corrupt inode or pointer gives
 * -VTLAB_EIO, never a crash.  Rule that keeps the flusher deadlock-free:
 * never hold two buffer locks at once (bcache.c).
 */
#include "fs.h"

#define NINODE 512

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
} ic;

void icache_init(void)
{
	memset(&ic, 0, sizeof ic); /* a fresh mount (the host tests remount) */
	spin_init(&ic.lock, "icache");
	for (int i = 0; i < NINODE; i++)
		sleep_init(&ic.inode[i].lock, "inode");
}

struct inode *iget(uint32_t inum)
{
	struct inode *empty = NULL;
	spin_lock(&ic.lock);
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &ic.inode[i];
		if (ip->ref > 0 && ip->inum == inum) {
			ip->ref++;
			spin_unlock(&ic.lock);
			return ip;
		}
		if (!empty && ip->ref == 0)
			empty = ip;
	}
	if (empty) {
		empty->inum = inum;
		empty->ref = 1;
		empty->valid = false;
	}
	spin_unlock(&ic.lock);
	if (!empty)
		kprintf("vtfs: inode table full (%d in use)\n", NINODE);
	return empty;
}

struct inode *idup(struct inode *ip)
{
	spin_lock(&ic.lock);
	ip->ref++;
	spin_unlock(&ic.lock);
	return ip;
}

int ilock(struct inode *ip)
{
	sleep_lock(&ip->lock);
	if (ip->valid)
		return 0;
	if (ip->inum == 0 || ip->inum >= fs.sb.ninodes || !fs.mounted)
		goto corrupt;
	struct buf *b = bread(vtfs_inode_block(&fs.sb, ip->inum));
	if (!b) {
		sleep_unlock(&ip->lock);
		return -VTLAB_EIO;
	}
	memcpy(&ip->d, b->data + (ip->inum % VTFS_INODES_PER_BLOCK) * sizeof ip->d, sizeof ip->d);
	brelse(b);
	if (ip->d.type > VTFS_T_FILE || ip->d.size > VTFS_MAX_FILE_SIZE)
		goto corrupt;
	/* A directory has no holes (fs_format.h): one larger than the data
	 * area is corrupt, and scanning it would take a lookup through
	 * gigabytes of zero pages (found by fuzz_kfs.c). */
	if (ip->d.type == VTFS_T_DIR &&
	    ip->d.size > (uint64_t)(fs.sb.nblocks - fs.sb.data_start) * VTFS_BLOCK_SIZE)
		goto corrupt;
	ip->valid = true;
	return 0;
corrupt:
	kprintf("vtfs: inode %u: corrupt (type %u, size %llu)\n", ip->inum, ip->d.type,
		(unsigned long long)ip->d.size);
	sleep_unlock(&ip->lock);
	return -VTLAB_EIO;
}

void iunlock(struct inode *ip)
{
	sleep_unlock(&ip->lock);
}

int iupdate(struct inode *ip)
{
	struct buf *b = bread(vtfs_inode_block(&fs.sb, ip->inum));
	if (!b)
		return -VTLAB_EIO;
	memcpy(b->data + (ip->inum % VTFS_INODES_PER_BLOCK) * sizeof ip->d, &ip->d, sizeof ip->d);
	bdirty(b);
	brelse(b);
	return 0;
}

/* Frees an inode nobody references and no directory names. */
static void ifree(struct inode *ip)
{
	itrunc(ip, 0);
	ip->d.type = VTFS_T_FREE;
	iupdate(ip);
	ifree_inum(ip->inum);
	ip->valid = false;
}

void iput(struct inode *ip)
{
	spin_lock(&ic.lock);
	if (ip->ref == 1 && ip->valid && ip->d.nlink == 0 && ip->d.type != VTFS_T_FREE) {
		/* ref == 1: no one else holds or can find it; the lock is free. */
		spin_unlock(&ic.lock);
		/* Freeing changes the disk: outside an op a sync could mark
		 * the image clean half way through, or before it reaches
		 * the disk. */
		if (!op_running())
			panic("vtfs: inode %u freed outside an op", ip->inum);
		sleep_lock(&ip->lock);
		ifree(ip);
		sleep_unlock(&ip->lock);
		spin_lock(&ic.lock);
	}
	ip->ref--;
	spin_unlock(&ic.lock);
}

void iunlockput(struct inode *ip)
{
	iunlock(ip);
	iput(ip);
}

int ialloc(uint16_t type, struct inode **out)
{
	uint32_t inum;
	int rc = ialloc_inum(&inum);
	if (rc)
		return rc;
	struct inode *ip = iget(inum);
	if (!ip) {
		ifree_inum(inum);
		return -VTLAB_ENOMEM;
	}
	if ((rc = ilock(ip)) != 0) {
		/* Its bit stays set: an inode that cannot be read is not
		 * handed out again (fsck reports the bit). */
		iput(ip);
		return rc;
	}
	if (ip->d.type != VTFS_T_FREE) {
		kprintf("vtfs: inode %u: free in the bitmap but of type %u\n", inum, ip->d.type);
		iunlockput(ip);
		return -VTLAB_EIO;
	}
	memset(&ip->d, 0, sizeof ip->d);
	ip->d.type = type;
	ip->d.mode = type == VTFS_T_DIR ? 0755 : 0644;
	ip->d.mtime_ns = time_now_ns();
	if ((rc = iupdate(ip)) != 0) {
		iunlockput(ip);
		return rc;
	}
	*out = ip;
	return 0;
}

/* ---- block map ---- */

/* Makes sure *ptr, a pointer to an indirect block held in the inode, names
 * one (allocating a zeroed block if alloc). */
static int ensure_ind(struct inode *ip, uint32_t *ptr, bool alloc)
{
	uint32_t b;
	if (*ptr != 0)
		return fs_valid_data_block(*ptr) ? 0 : -VTLAB_EIO;
	if (!alloc)
		return 0;
	int rc = balloc(&b);
	if (rc)
		return rc;
	brelse(bnew(b));
	*ptr = b;
	return iupdate(ip);
}

/* Slot `slot` of indirect block ind; allocates the target when it is 0
 * and alloc (zeroed when it is itself an indirect block). */
static int ind_slot(uint32_t ind, uint32_t slot, bool alloc, bool zero_new, uint32_t *out)
{
	struct buf *b = bread(ind);
	uint32_t v, nb;
	if (!b)
		return -VTLAB_EIO;
	v = ((uint32_t *)b->data)[slot];
	brelse(b);
	if (v != 0) {
		*out = v;
		return fs_valid_data_block(v) ? 0 : -VTLAB_EIO;
	}
	*out = 0;
	if (!alloc)
		return 0;
	int rc = balloc(&nb); /* with no buffer held: one buffer lock at a time */
	if (rc)
		return rc;
	if (zero_new)
		brelse(bnew(nb));
	if (!(b = bread(ind))) {
		bfree(nb);
		return -VTLAB_EIO;
	}
	((uint32_t *)b->data)[slot] = nb; /* the inode lock keeps the slot ours */
	bdirty(b);
	brelse(b);
	*out = nb;
	return 0;
}

int bmap(struct inode *ip, uint64_t idx, bool alloc, uint32_t *out)
{
	int rc;
	uint32_t mid;
	*out = 0;
	if (idx < VTFS_NDIRECT) {
		uint32_t *p = &ip->d.direct[idx];
		if (*p == 0 && alloc) {
			if ((rc = balloc(p)) != 0)
				return rc;
			if ((rc = iupdate(ip)) != 0)
				return rc;
		}
		*out = *p;
		return *p == 0 || fs_valid_data_block(*p) ? 0 : -VTLAB_EIO;
	}
	idx -= VTFS_NDIRECT;
	if (idx < VTFS_NINDIRECT) {
		if ((rc = ensure_ind(ip, &ip->d.indirect, alloc)) != 0 || ip->d.indirect == 0)
			return rc;
		return ind_slot(ip->d.indirect, (uint32_t)idx, alloc, false, out);
	}
	idx -= VTFS_NINDIRECT;
	if (idx >= (uint64_t)VTFS_NINDIRECT * VTFS_NINDIRECT)
		return -VTLAB_EFBIG;
	if ((rc = ensure_ind(ip, &ip->d.dindirect, alloc)) != 0 || ip->d.dindirect == 0)
		return rc;
	if ((rc = ind_slot(ip->d.dindirect, (uint32_t)(idx / VTFS_NINDIRECT), alloc, true, &mid)) !=
		    0 ||
	    mid == 0)
		return rc;
	return ind_slot(mid, (uint32_t)(idx % VTFS_NINDIRECT), alloc, false, out);
}

/* ---- truncation ---- */

/* Frees the file blocks >= first under the indirect block *ptr, which
 * maps file blocks from base (level 1: data; level 2: indirect blocks);
 * frees the indirect block itself when nothing under it stays. */
static void free_ind(uint32_t *ptr, int level, uint64_t base, uint64_t first)
{
	uint64_t span = level == 1 ? 1 : VTFS_NINDIRECT;
	if (*ptr == 0 || first >= base + span * VTFS_NINDIRECT)
		return;
	if (!fs_valid_data_block(*ptr)) {
		kprintf("vtfs: indirect block %u out of range: not freed\n", *ptr);
		*ptr = 0;
		return;
	}
	uint32_t *copy = page_alloc(); /* no buffer is held while freeing */
	struct buf *b = copy ? bread(*ptr) : NULL;
	if (!b) {
		if (copy)
			page_free(copy);
		return;
	}
	memcpy(copy, b->data, VTFS_BLOCK_SIZE);
	brelse(b);
	for (uint32_t i = 0; i < VTFS_NINDIRECT; i++) {
		uint64_t sub = base + i * span;
		if (sub + span <= first || copy[i] == 0)
			continue;
		if (level == 2) {
			free_ind(&copy[i], 1, sub, first);
		} else {
			if (fs_valid_data_block(copy[i]))
				bfree(copy[i]);
			copy[i] = 0;
		}
	}
	if (first <= base) {
		bfree(*ptr);
		*ptr = 0;
	} else if ((b = bread(*ptr)) != NULL) {
		memcpy(b->data, copy, VTFS_BLOCK_SIZE);
		bdirty(b);
		brelse(b);
	}
	page_free(copy);
}

/* Zeroes the tail of the last page when the size ends inside it, so that
 * a later extension reads zeros there. */
static int zero_tail(struct inode *ip, uint64_t size)
{
	struct page *pg;
	uint32_t off = size % VTFS_BLOCK_SIZE;
	if (off == 0)
		return 0;
	int rc = pget(ip, size / VTFS_BLOCK_SIZE, true, &pg);
	if (rc)
		return rc;
	memset(pg->data + off, 0, VTFS_BLOCK_SIZE - off);
	if (pg->blockno)
		pdirty(pg);
	pput(pg);
	return 0;
}

int itrunc(struct inode *ip, uint64_t size)
{
	uint64_t first = (size + VTFS_BLOCK_SIZE - 1) / VTFS_BLOCK_SIZE;
	if (size > VTFS_MAX_FILE_SIZE)
		return -VTLAB_EFBIG;
	if (size < ip->d.size) {
		/* The step that can fail first: dropping the pages past the
		 * new size first lost their dirty data when zero_tail then
		 * failed and the file kept its size (found by review,
		 * test_kfs test_trunc_fail).  zero_tail's page is below
		 * first, so the order does not matter otherwise. */
		int rc = zero_tail(ip, size);
		if (rc)
			return rc;
		pcache_drop(ip->inum, first, (ip->d.size + VTFS_BLOCK_SIZE - 1) / VTFS_BLOCK_SIZE);
		for (uint64_t i = first; i < VTFS_NDIRECT; i++)
			if (ip->d.direct[i]) {
				if (fs_valid_data_block(ip->d.direct[i]))
					bfree(ip->d.direct[i]);
				ip->d.direct[i] = 0;
			}
		free_ind(&ip->d.indirect, 1, VTFS_NDIRECT, first);
		free_ind(&ip->d.dindirect, 2, VTFS_NDIRECT + VTFS_NINDIRECT, first);
	}
	ip->d.size = size;
	ip->d.mtime_ns = time_now_ns();
	return iupdate(ip);
}

/* ---- the interface for exec (kernel.h) ---- */

struct inode *fs_idup(struct inode *ip)
{
	return idup(ip);
}

void fs_iput(struct inode *ip)
{
	op_begin(); /* the last reference to an unlinked file frees it */
	iput(ip);
	op_end();
}

uint64_t fs_size(struct inode *ip)
{
	uint64_t size = 0;
	if (ilock(ip) == 0) {
		size = ip->d.size;
		iunlock(ip);
	}
	return size;
}

int64_t fs_readi(struct inode *ip, void *dst, uint64_t off, size_t n)
{
	int rc = ilock(ip);
	if (rc)
		return rc;
	int64_t got = readi(ip, false, (uint64_t)dst, off, n);
	iunlock(ip);
	return got;
}
