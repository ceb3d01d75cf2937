/*
 * fs.h - private interfaces of the kernel's file system (fs/ only; the
 * rest of the kernel sees kernel.h).
 *
 * Layers, bottom up (ideas from xv6-riscv's fs and Linux's page cache):
 *   blk_emu.c / blk_pv.c  the block device (kernel.h blk_*, plus batches)
 *   bcache.c   buffer cache of metadata blocks (bitmaps, inode table,
 *              indirect blocks), write-back
 *   super.c    mount, the clean/dirty flag, operations, sync
 *   balloc.c   block and inode allocation (bitmaps)
 *   inode.c    in-memory inodes, block mapping, truncation
 *   pcache.c   page cache of file and directory contents, LRU, write-back
 *   rw.c       readi/writei over the page cache
 *   dir.c, path.c   directories and path lookup
 *   sys_file.c the file syscalls and the file_ops of inode files
 *   selftest.c in-kernel tests (fs_selftest)
 *
 * Lock order: op (super.c) -> inode sleeplock (parent before child) ->
 * page sleeplock -> buffer sleeplock -> the caches' spinlocks -> the
 * block driver's spinlock.  Every function that may change the disk runs
 * between op_begin() and op_end().
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel.h"
#include "vtlab/fs_format.h"

#define FS_PATH_MAX 1024

/* ---- block device batches (blk_emu.c, blk_pv.c) ---- */
#define BLK_OP_READ 1u
#define BLK_OP_WRITE 2u
struct blk_req {
	uint32_t op;       /* BLK_OP_* */
	uint32_t nsectors; /* at most 256 */
	uint64_t sector;
	void *buf; /* kernel virtual address in the RAM direct map */
};
/* Performs the requests in order (the PV ring: one doorbell per batch);
 * 0 or -VTLAB_EIO if any failed. */
int blk_submit(struct blk_req *reqs, unsigned n);
int blk_flush(void); /* the device's write cache to stable storage */

/* ---- buffer cache (bcache.c) ---- */
struct buf {
	uint32_t blockno;
	bool valid; /* data holds the block */
	bool dirty; /* data newer than the disk */
	int ref;
	struct sleeplock lock;
	uint8_t *data;           /* VTFS_BLOCK_SIZE bytes */
	struct buf *prev, *next; /* LRU list, most recent first */
};
void bcache_init(void);
struct buf *bread(uint32_t blockno); /* locked; NULL on I/O error */
void bdirty(struct buf *b);          /* written back later (sync, eviction) */
void brelse(struct buf *b);
void bforget(uint32_t blockno);     /* the block was freed: drop its data */
struct buf *bnew(uint32_t blockno); /* a fresh, zeroed, dirty block; locked */
int bcache_flush(void);             /* writes every dirty buffer */

/* ---- super block, operations, sync (super.c) ---- */
struct fs_state {
	bool mounted;
	struct vtfs_super sb;
};
extern struct fs_state fs;
void op_begin(void);
void op_end(void);
bool op_running(void); /* for assertions */
void fs_touch(void);   /* before the first change after a clean point */
int fs_sync(void);
bool fs_valid_data_block(uint32_t b);

/* ---- allocation (balloc.c) ---- */
void balloc_init(void);    /* a fresh mount: the searches start at the bottom */
int balloc(uint32_t *out); /* a zeroed block; -VTLAB_ENOSPC, -VTLAB_EIO */
void bfree(uint32_t b);
int ialloc_inum(uint32_t *out);
void ifree_inum(uint32_t inum);

/* ---- inodes (inode.c) ---- */
struct inode {
	uint32_t inum;
	int ref; /* protected by the inode cache's spinlock */
	struct sleeplock lock;
	bool valid; /* d holds the disk inode (under lock) */
	struct vtfs_inode d;
};
void icache_init(void);
struct inode *iget(uint32_t inum);
struct inode *idup(struct inode *ip);
int ilock(struct inode *ip); /* 0, or -VTLAB_EIO (unreadable or corrupt) */
void iunlock(struct inode *ip);
void iput(struct inode *ip); /* inside an op: may free the inode */
void iunlockput(struct inode *ip);
int iupdate(struct inode *ip);                 /* copies d to the inode table buffer */
int ialloc(uint16_t type, struct inode **out); /* locked, nlink 0 */
/* Disk block of file block idx (0 = hole unless alloc). */
int bmap(struct inode *ip, uint64_t idx, bool alloc, uint32_t *out);
int itrunc(struct inode *ip, uint64_t size); /* shrinks or extends */

/* ---- page cache (pcache.c) ---- */
struct page {
	uint32_t inum;
	uint64_t idx;     /* file block */
	uint32_t blockno; /* disk block, 0 while a hole */
	int ref;
	bool dirty, dead;
	/* data holds the block (or zeros for a hole): false only for a page
	 * pget made with fill = false over a block, until it is wholly
	 * written (under its lock, so nobody else sees it so). */
	bool uptodate;
	struct sleeplock lock;
	uint8_t *data;
	struct page *hnext;         /* hash chain */
	struct page *lprev, *lnext; /* LRU list */
	struct page *dprev, *dnext; /* dirty list */
};
void pcache_init(void);
/* The locked page of block idx of ip (locked inode); fill = read it from
 * the disk when not cached (false when it will be wholly overwritten). */
int pget(struct inode *ip, uint64_t idx, bool fill, struct page **out);
void pput(struct page *pg);
void pput_discard(struct page *pg); /* pput, and out of the cache (data not kept) */
void pdirty(struct page *pg);
/* Drops the pages of blocks [from_idx, to_idx) of inum (truncation); their
 * data is lost.  Waits for a flusher writing one of them. */
void pcache_drop(uint32_t inum, uint64_t from_idx, uint64_t to_idx);
/* Writes back dirty pages: of one inode, or all (inum 0). */
int pcache_flush(uint32_t inum);
uint64_t pcache_pages(void);          /* the limit */
uint64_t fs_reclaim(uint64_t npages); /* evicts up to npages clean or dirty pages */

/* ---- file contents (rw.c): addr is a user address if user ---- */
int64_t readi(struct inode *ip, bool user, uint64_t addr, uint64_t off, size_t n);
int64_t writei(struct inode *ip, bool user, uint64_t addr, uint64_t off, size_t n);

/* ---- directories (dir.c) ---- */
int dirlookup(struct inode *dp, const char *name, uint64_t *off, uint32_t *inum);
int dirlink(struct inode *dp, const char *name, uint32_t inum);
int dirunlink(struct inode *dp, uint64_t off);
int dir_is_empty(struct inode *dp);                           /* 1, 0, or -errno */
int dir_name_of(struct inode *dp, uint32_t inum, char *name); /* the entry naming inum */

/* ---- paths (path.c); base NULL = cwd ---- */
int namei(struct inode *base, const char *path, struct inode **out);
int nameiparent(struct inode *base, const char *path, char *name, struct inode **out);
struct inode *fs_root(void); /* referenced */
struct inode *fs_cwd(void);  /* referenced: the process's, or the root */
/* Makes ip (referenced) p's cwd; returns the old one, for the caller to
 * fs_iput() (path.c, under cwd_lock). */
struct inode *fs_cwd_swap(struct proc *p, struct inode *ip);

/* ---- high-level operations (ops.c), used by the syscalls and tests ---- */
int fs_create(struct inode *base, const char *path, uint16_t type, bool excl,
	      struct inode **out); /* out locked */
int fs_unlink(struct inode *base, const char *path, bool rmdir);
int fs_getcwd(char *buf, size_t n);
void fs_stat(struct inode *ip, struct vtlab_stat *st);

/* ---- self-test (selftest.c) ---- */
int fs_selftest(void); /* prints "fstest: N passed, N failed"; returns failures */

#endif
