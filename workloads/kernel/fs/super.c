/*
 * super.c - mounting, the clean/dirty flag and sync.
 *
 * The discipline (fs_format.h; as ext2's s_state): the superblock is kept
 * in memory and written directly (not through the buffer cache).  Every
 * change to the file system happens inside op_begin()/op_end(), and marks
 * the changed buffer or page dirty (bdirty, pdirty) before it can reach the
 * disk; the first such mark after a clean point calls fs_touch(), which
 * writes state = DIRTY to the disk first.  So reading never dirties the
 * image.  fs_sync() stops new ops, waits for the running ones,
 * writes every dirty page and buffer, flushes the device, then writes
 * state = CLEAN: after a sync (and before the next change) the image on
 * disk is consistent, which vtlab-fsck checks.
 */
#include "fs.h"

struct fs_state fs;

static struct {
	struct spinlock lock;
	int active;   /* ops running */
	bool syncing; /* a sync waits for or holds the file system */
	struct sleeplock sync_lock;
} ops;

static int write_super(void)
{
	static uint8_t blk[VTFS_BLOCK_SIZE] __attribute__((aligned(64)));
	memset(blk, 0, sizeof blk);
	memcpy(blk, &fs.sb, sizeof fs.sb);
	return blk_write(0, blk, VTFS_SECTORS_PER_BLOCK);
}

void op_begin(void)
{
	spin_lock(&ops.lock);
	while (ops.syncing)
		sleep_on(&ops.syncing, &ops.lock);
	ops.active++;
	spin_unlock(&ops.lock);
}

void fs_touch(void)
{
	if (fs.sb.state == VTFS_STATE_DIRTY)
		return;
	spin_lock(&ops.lock);
	if (fs.mounted && fs.sb.state != VTFS_STATE_DIRTY) {
		/* Written while holding the lock: no other change can reach
		 * the disk before the flag (the device is synchronous). */
		fs.sb.state = VTFS_STATE_DIRTY;
		if (write_super() != 0)
			kprintf("vtfs: cannot mark the superblock dirty\n");
	}
	spin_unlock(&ops.lock);
}

/* Some op is running (the caller's, if it keeps the rule). */
bool op_running(void)
{
	spin_lock(&ops.lock);
	bool running = ops.active > 0;
	spin_unlock(&ops.lock);
	return running;
}

void op_end(void)
{
	spin_lock(&ops.lock);
	if (--ops.active == 0)
		wakeup(&ops.active);
	spin_unlock(&ops.lock);
}

int fs_sync(void)
{
	int rc = 0;
	if (!fs.mounted)
		return -VTLAB_EIO;
	sleep_lock(&ops.sync_lock);
	spin_lock(&ops.lock);
	ops.syncing = true;
	while (ops.active > 0)
		sleep_on(&ops.active, &ops.lock);
	spin_unlock(&ops.lock);
	/* Data first, then the metadata that makes it reachable. */
	rc |= pcache_flush(0);
	rc |= bcache_flush();
	rc |= blk_flush();
	if (rc == 0 && fs.sb.state != VTFS_STATE_CLEAN) {
		fs.sb.state = VTFS_STATE_CLEAN;
		rc = write_super() | blk_flush();
	}
	spin_lock(&ops.lock);
	ops.syncing = false;
	wakeup(&ops.syncing);
	spin_unlock(&ops.lock);
	sleep_unlock(&ops.sync_lock);
	return rc ? -VTLAB_EIO : 0;
}

bool fs_valid_data_block(uint32_t b)
{
	return b >= fs.sb.data_start && b < fs.sb.nblocks;
}

/* The layout fields must describe consecutive regions inside the disk. */
static bool super_valid(const struct vtfs_super *sb, uint64_t dev_blocks)
{
	uint64_t ib = vtfs_bitmap_blocks(sb->ninodes), bb = vtfs_bitmap_blocks(sb->nblocks);
	uint64_t it = ((uint64_t)sb->ninodes + VTFS_INODES_PER_BLOCK - 1) / VTFS_INODES_PER_BLOCK;
	return sb->magic == VTFS_MAGIC && sb->version == VTFS_VERSION &&
	       sb->block_size == VTFS_BLOCK_SIZE && sb->nblocks <= dev_blocks &&
	       sb->ninodes > VTFS_ROOT_INO && sb->root_ino == VTFS_ROOT_INO &&
	       sb->ibitmap_start == 1 && sb->ibitmap_blocks == ib && sb->bbitmap_start == 1 + ib &&
	       sb->bbitmap_blocks == bb && sb->itable_start == 1 + ib + bb &&
	       sb->itable_blocks == it && sb->data_start == 1 + ib + bb + it &&
	       sb->data_start < sb->nblocks;
}

/* Frees inodes still allocated with no name: files unlinked while open
 * when the machine stopped (as ext2/3's orphan processing at mount). */
static void free_orphans(void)
{
	for (uint32_t blk = 0; blk < fs.sb.itable_blocks; blk++) {
		uint32_t orphans[VTFS_INODES_PER_BLOCK], n = 0;
		struct buf *b = bread(fs.sb.itable_start + blk);
		if (!b)
			continue;
		for (uint32_t i = 0; i < VTFS_INODES_PER_BLOCK; i++) {
			const struct vtfs_inode *d = (const struct vtfs_inode *)b->data + i;
			uint32_t inum = blk * (uint32_t)VTFS_INODES_PER_BLOCK + i;
			if (inum > VTFS_ROOT_INO && inum < fs.sb.ninodes &&
			    d->type != VTFS_T_FREE && d->nlink == 0)
				orphans[n++] = inum;
		}
		brelse(b);
		for (uint32_t i = 0; i < n; i++) {
			struct inode *ip = iget(orphans[i]);
			if (ip && ilock(ip) == 0) {
				kprintf("vtfs: freeing orphan inode %u\n", orphans[i]);
				iunlock(ip);
			}
			if (ip)
				fs_iput(ip); /* the last reference to nlink 0: freed */
		}
	}
}

static int mount_root(void)
{
	static uint8_t blk[VTFS_BLOCK_SIZE] __attribute__((aligned(64)));
	struct inode *root;
	if (blk_read(0, blk, VTFS_SECTORS_PER_BLOCK) != 0)
		return -VTLAB_EIO;
	memcpy(&fs.sb, blk, sizeof fs.sb);
	if (!super_valid(&fs.sb, blk_sectors() / VTFS_SECTORS_PER_BLOCK)) {
		kprintf("vtfs: superblock: bad magic, version or layout (not a vtfs image?)\n");
		return -VTLAB_EIO;
	}
	if (fs.sb.state != VTFS_STATE_CLEAN)
		kprintf("vtfs: the file system was not synced before shutdown (state %u); "
			"check it with vtlab-fsck\n",
			fs.sb.state);
	fs.sb.mount_count++; /* reaches the disk with the first change */
	fs.mounted = true;
	root = iget(VTFS_ROOT_INO);
	int locked = ilock(root), rc = locked;
	/* A root that is not a directory, or has no links (a corrupt image),
	 * is refused.  Unlock it either way (a failed check used to keep the
	 * lock, and the iput below then deadlocked freeing it: found by
	 * fuzz_kfs.c), and forget a bad one rather than let iput free it: a
	 * disk we refuse to mount is not written. */
	if (rc == 0 && (root->d.type != VTFS_T_DIR || root->d.nlink == 0)) {
		kprintf("vtfs: the root (inode %u) is of type %u with %u links, expected a "
			"directory\n",
			VTFS_ROOT_INO, root->d.type, root->d.nlink);
		rc = -VTLAB_EIO;
		root->valid = false;
	}
	if (locked == 0)
		iunlock(root);
	iput(root); /* a good root is not unlinked: nothing to free, no op needed */
	if (rc)
		fs.mounted = false;
	else
		free_orphans();
	return rc;
}

void fs_init(void)
{
	memset(&fs, 0, sizeof fs);
	spin_init(&ops.lock, "fsops");
	sleep_init(&ops.sync_lock, "fssync");
	bcache_init();
	icache_init();
	pcache_init();
	balloc_init();
	if (blk_init() != 0) {
		kprintf("vtfs: no disk: file system calls will fail\n");
		return;
	}
	if (mount_root() != 0) {
		kprintf("vtfs: cannot mount the disk (%llu sectors)\n",
			(unsigned long long)blk_sectors());
		return;
	}
	kprintf("vtfs: mounted %u blocks, %u inodes, %llu cache pages\n", fs.sb.nblocks,
		fs.sb.ninodes, (unsigned long long)pcache_pages());
	const char *t = boot_option("fstest");
	if (t && t[0] == '1')
		fs_selftest(); /* leaves /fstest.out and syncs: check with vtlab-fsck */
}
