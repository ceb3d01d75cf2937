/*
 * rw.c - reading and writing an inode's contents through the page cache
 * (the inode is locked by the caller).  Writes map (allocate) a page's
 * disk block before the data goes in, so a dirty page always has a block
 * to go to; a write that fails part way keeps what was copied and frees
 * blocks it allocated beyond the new end, so fsck still finds no block
 * past the size.
 */
#include "fs.h"

static int copy_to(bool user, uint64_t dst, const void *src, size_t n)
{
	if (user)
		return copyout(dst, src, n);
	memcpy((void *)dst, src, n);
	return 0;
}

static int copy_from(bool user, void *dst, uint64_t src, size_t n)
{
	if (user)
		return copyin(dst, src, n);
	memcpy(dst, (const void *)src, n);
	return 0;
}

int64_t readi(struct inode *ip, bool user, uint64_t addr, uint64_t off, size_t n)
{
	uint64_t done = 0;
	int rc = 0;
	if (off >= ip->d.size)
		return 0;
	if (n > ip->d.size - off)
		n = ip->d.size - off;
	while (done < n) {
		struct page *pg;
		uint32_t o = (off + done) % VTFS_BLOCK_SIZE;
		uint64_t m = VTFS_BLOCK_SIZE - o < n - done ? VTFS_BLOCK_SIZE - o : n - done;
		if ((rc = pget(ip, (off + done) / VTFS_BLOCK_SIZE, true, &pg)) != 0)
			break;
		rc = copy_to(user, addr + done, pg->data + o, m);
		pput(pg);
		if (rc)
			break;
		done += m;
	}
	return done > 0 ? (int64_t)done : rc;
}

/* Writes one page's part; *allocated set when a block was mapped. */
static int write_page_part(struct inode *ip, bool user, uint64_t addr, uint64_t pos, uint64_t m,
			   bool *allocated)
{
	struct page *pg;
	uint64_t idx = pos / VTFS_BLOCK_SIZE;
	uint32_t o = pos % VTFS_BLOCK_SIZE;
	/* Read the old block unless this write covers the whole page or
	 * the page lies wholly past the end (no block there). */
	bool fill = !(o == 0 && m == VTFS_BLOCK_SIZE) && idx * VTFS_BLOCK_SIZE < ip->d.size;
	int rc = pget(ip, idx, fill, &pg);
	if (rc)
		return rc;
	if (pg->blockno == 0) {
		/* Set before the call: bmap may have mapped an indirect block
		 * when the data block runs out (ENOSPC), and writei must give
		 * that back too if it lies past the size. */
		*allocated = true;
		if ((rc = bmap(ip, idx, true, &pg->blockno)) != 0) {
			pput(pg);
			return rc;
		}
	}
	if ((rc = copy_from(user, pg->data + o, addr, m)) != 0 && !pg->uptodate) {
		/* A whole-page write over a block pget did not read: the
		 * rest of the page is not the file's data, so the page goes
		 * (the disk still has the old contents) rather than being
		 * dirtied (found by test_kfs: a faulting write of 4096 bytes
		 * zeroed that page of the file). */
		pput_discard(pg);
		return rc;
	}
	if (rc != 0) {
		/* The copy faulted part way: what it put past the end of the
		 * file must not stay in the page, or a later ftruncate that
		 * extends the file would show it where POSIX wants zeros
		 * (writei only grows the size over whole copies). */
		uint64_t start = idx * VTFS_BLOCK_SIZE, keep = o;
		if (ip->d.size > start + o)
			keep = ip->d.size - start < o + m ? ip->d.size - start : o + m;
		memset(pg->data + keep, 0, o + m - keep);
	} else if (o == 0 && m == VTFS_BLOCK_SIZE) {
		pg->uptodate = true;
	}
	pdirty(pg); /* even after a fault: memory and disk must agree */
	pput(pg);
	return rc;
}

int64_t writei(struct inode *ip, bool user, uint64_t addr, uint64_t off, size_t n)
{
	uint64_t done = 0;
	bool allocated = false;
	int rc = 0;
	if (off > VTFS_MAX_FILE_SIZE || n > VTFS_MAX_FILE_SIZE - off)
		return -VTLAB_EFBIG;
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t o = pos % VTFS_BLOCK_SIZE;
		uint64_t m = VTFS_BLOCK_SIZE - o < n - done ? VTFS_BLOCK_SIZE - o : n - done;
		if ((rc = write_page_part(ip, user, addr + done, pos, m, &allocated)) != 0)
			break;
		done += m;
		if (pos + m > ip->d.size)
			ip->d.size = pos + m;
	}
	if (rc && allocated) {
		/* Free what was mapped past the end (fs_format.h: no block
		 * beyond the size). */
		uint64_t keep = ip->d.size;
		ip->d.size = off + n;
		itrunc(ip, keep);
	}
	if (done > 0) {
		ip->d.mtime_ns = time_now_ns();
		int urc = iupdate(ip);
		if (!rc)
			rc = urc;
	}
	return done > 0 ? (int64_t)done : rc;
}
