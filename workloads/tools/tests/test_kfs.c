/*
 * test_kfs.c - the kernel's file system (workloads/kernel/fs, compiled for
 * the host over kshim.c) against images made by vtlab-mkfs, checked by
 * vtlab-fsck: mounting and reading the tree; the syscalls with their
 * Linux error codes; the in-kernel self-test (fs_selftest); the
 * clean/dirty discipline (reading leaves the image clean, a change makes
 * it dirty on disk at once, sync makes it clean and consistent); a second
 * mount reads back what the first wrote (the reboot case); and corrupt
 * images give errors, not crashes (built with ASan and UBSan).
 */
#include "fs.h"
#include "fs_image.h"
#include "kshim.h"
#include "tools_test.h"
#include "vtfs_tools.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U(p) ((uint64_t)(uintptr_t)(p))

/* Remounting abandons the caches on purpose (a simulated power cut). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static int fsck_problems(const char *image, bool show)
{
	char *text = NULL;
	int n = tt_fsck(image, &text);
	if (n != 0 && show)
		printf("%s", text);
	free(text);
	return n;
}

static void mount(const char *image)
{
	struct proc *p = myproc();
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd]) {
			file_close(p->ofile[fd]);
			p->ofile[fd] = NULL;
		}
	p->cwd = NULL; /* the old inode table goes away with the remount */
	kshim_attach(image);
	fs_init();
}

static int64_t do_read(int fd, void *buf, size_t n)
{
	struct file *f = myproc()->ofile[fd];
	return f->ops->read(f, U(buf), n);
}

static int64_t do_write(int fd, const void *buf, size_t n)
{
	struct file *f = myproc()->ofile[fd];
	return f->ops->write(f, U(buf), n);
}

static void do_close(int fd)
{
	file_close(myproc()->ofile[fd]);
	myproc()->ofile[fd] = NULL;
}

static int64_t open_path(const char *path, int flags)
{
	return sys_openat(VTLAB_AT_FDCWD, U(path), flags, 0644);
}

static void test_read_tree(const char *image)
{
	char buf[64] = { 0 };
	int64_t fd = open_path("/hello.txt", VTLAB_O_RDONLY);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(do_read((int)fd, buf, sizeof buf) == 6 && !strcmp(buf, "hello\n"));
		CHECK(do_read((int)fd, buf, sizeof buf) == 0);
		CHECK(do_write((int)fd, "x", 1) == -VTLAB_EBADF);
		do_close((int)fd);
	}
	CHECK(open_path("/sub/inner.txt", VTLAB_O_RDONLY) >= 0);
	struct inode *ip = fs_namei("/sub/inner.txt");
	CHECK(ip && fs_size(ip) == 7 && fs_readi(ip, buf, 2, 3) == 3 && !memcmp(buf, "ner", 3));
	if (ip)
		fs_iput(ip);
	/* Reading (and closing) must not dirty the image. */
	mount(image);
	CHECK(fsck_problems(image, true) == 0);
}

static void test_syscalls(const char *image)
{
	char buf[256];
	struct vtlab_stat st;
	int64_t fd;
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("/d"), 0755) == 0);
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("/d"), 0755) == -VTLAB_EEXIST);
	CHECK(fsck_problems(image, false) > 0); /* DIRTY on disk at once */
	fd = open_path("/d/f", VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR);
	CHECK(fd >= 0);
	CHECK(open_path("/d/f", VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR) == -VTLAB_EEXIST);
	CHECK(do_write((int)fd, "abcdef", 6) == 6);
	struct file *f = myproc()->ofile[fd];
	CHECK(f->ops->lseek(f, 2, VTLAB_SEEK_SET) == 2);
	CHECK(do_read((int)fd, buf, 3) == 3 && !memcmp(buf, "cde", 3));
	CHECK(f->ops->lseek(f, -1, VTLAB_SEEK_END) == 5);
	CHECK(f->ops->lseek(f, -10, VTLAB_SEEK_CUR) == -VTLAB_EINVAL);
	/* the most negative offset: EINVAL (no overflow), position kept */
	CHECK(f->ops->lseek(f, INT64_MIN, VTLAB_SEEK_END) == -VTLAB_EINVAL);
	CHECK(f->ops->lseek(f, INT64_MIN, VTLAB_SEEK_SET) == -VTLAB_EINVAL);
	CHECK(f->ops->lseek(f, 0, VTLAB_SEEK_CUR) == 5);
	CHECK(sys_ftruncate((int)fd, 3) == 0 && f->ops->stat(f, &st) == 0 && st.st_size == 3);
	CHECK(sys_fsync((int)fd) == 0);
	do_close((int)fd);
	fd = open_path("/d/f", VTLAB_O_WRONLY | VTLAB_O_APPEND);
	CHECK(fd >= 0 && do_write((int)fd, "XY", 2) == 2);
	do_close((int)fd);
	fd = open_path("/d/f", VTLAB_O_RDONLY);
	memset(buf, 0, sizeof buf);
	CHECK(fd >= 0 && do_read((int)fd, buf, sizeof buf) == 5 && !strcmp(buf, "abcXY"));
	do_close((int)fd);
	CHECK(sys_newfstatat(VTLAB_AT_FDCWD, U("/d"), U(&st), 0) == 0);
	CHECK((st.st_mode & VTLAB_S_IFMT) == VTLAB_S_IFDIR && st.st_nlink == 2);
	CHECK(sys_newfstatat(VTLAB_AT_FDCWD, U("/nosuch"), U(&st), 0) == -VTLAB_ENOENT);
	CHECK(open_path("/d", VTLAB_O_WRONLY) == -VTLAB_EISDIR);
	CHECK(open_path("/d/f", VTLAB_O_RDONLY | VTLAB_O_DIRECTORY) == -VTLAB_ENOTDIR);
	CHECK(open_path("/d/f/g", VTLAB_O_RDONLY) == -VTLAB_ENOTDIR);
	CHECK(open_path("", VTLAB_O_RDONLY) == -VTLAB_ENOENT);
	/* cwd, relative paths, "..", getcwd */
	CHECK(sys_chdir(U("/d")) == 0);
	CHECK(sys_getcwd(U(buf), sizeof buf) == 3 && !strcmp(buf, "/d"));
	CHECK(sys_getcwd(U(buf), 2) == -VTLAB_ERANGE);
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("e"), 0755) == 0 && sys_chdir(U("e")) == 0);
	CHECK(sys_getcwd(U(buf), sizeof buf) == 5 && !strcmp(buf, "/d/e"));
	fd = open_path("../f", VTLAB_O_RDONLY);
	CHECK(fd >= 0);
	if (fd >= 0)
		do_close((int)fd);
	CHECK(sys_chdir(U("../..")) == 0 && sys_getcwd(U(buf), sizeof buf) == 2 &&
	      !strcmp(buf, "/"));
	/* dirfd-relative */
	int64_t dfd = open_path("/d", VTLAB_O_RDONLY | VTLAB_O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK(sys_openat((int)dfd, U("f"), VTLAB_O_RDONLY, 0) >= 0);
	CHECK(sys_unlinkat((int)dfd, U("e"), 0) == -VTLAB_EISDIR);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/d"), VTLAB_AT_REMOVEDIR) == -VTLAB_ENOTEMPTY);
	CHECK(sys_unlinkat((int)dfd, U("f"), VTLAB_AT_REMOVEDIR) == -VTLAB_ENOTDIR);
	/* getdents64 lists ".", "..", "e", "f" */
	int64_t n = sys_getdents64((int)dfd, U(buf), sizeof buf);
	int count = 0, dirs = 0;
	bool saw_f = false;
	for (int64_t off = 0; n > 0 && off < n;) {
		struct vtlab_dirent64 *d = (struct vtlab_dirent64 *)(buf + off);
		count++;
		dirs += d->d_type == 4;
		saw_f |= !strcmp(d->d_name, "f") && d->d_type == 8;
		off += d->d_reclen;
	}
	CHECK(count == 4 && dirs == 3 && saw_f);
	CHECK(sys_getdents64((int)dfd, U(buf), sizeof buf) == 0);
	/* an offset inside the first entry (an lseek) goes on from the
	 * second: "..", "e", "f", no record decoded across two entries */
	myproc()->ofile[dfd]->off = 1;
	n = sys_getdents64((int)dfd, U(buf), sizeof buf);
	count = 0;
	bool names_ok = true;
	for (int64_t off = 0; n > 0 && off < n;) {
		struct vtlab_dirent64 *d = (struct vtlab_dirent64 *)(buf + off);
		count++;
		names_ok &= !strcmp(d->d_name, "..") || !strcmp(d->d_name, "e") ||
			    !strcmp(d->d_name, "f");
		off += d->d_reclen;
	}
	CHECK(count == 3 && names_ok);
	CHECK(sys_unlinkat((int)dfd, U("e"), VTLAB_AT_REMOVEDIR) == 0);
	CHECK(sys_unlinkat((int)dfd, U("f"), 0) == 0);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/d"), VTLAB_AT_REMOVEDIR) == 0);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/d"), VTLAB_AT_REMOVEDIR) == -VTLAB_ENOENT);
	CHECK(sys_sync() == 0);
	CHECK(fsck_problems(image, true) == 0);
	/* A change, then a power cut (remount without sync): the flag says
	 * so, and nothing but the flag reached the disk. */
	fd = open_path("/lost.txt", VTLAB_O_CREAT | VTLAB_O_TRUNC | VTLAB_O_WRONLY);
	CHECK(fd >= 0 && do_write((int)fd, "not synced\n", 11) == 11);
	mount(image);
	char *text = NULL;
	CHECK(tt_fsck(image, &text) == 1 && strstr(text, "superblock: state 2"));
	free(text);
	CHECK(open_path("/lost.txt", VTLAB_O_RDONLY) == -VTLAB_ENOENT);
	/* The reboot case: sync, power off, mount again, read back. */
	fd = open_path("/persist.txt", VTLAB_O_CREAT | VTLAB_O_TRUNC | VTLAB_O_WRONLY);
	CHECK(fd >= 0 && do_write((int)fd, "survives a reboot\n", 18) == 18);
	CHECK(sys_sync() == 0);
	CHECK(fsck_problems(image, true) == 0);
	mount(image);
	fd = open_path("/persist.txt", VTLAB_O_RDONLY);
	memset(buf, 0, sizeof buf);
	CHECK(fd >= 0 && do_read((int)fd, buf, sizeof buf) == 18 &&
	      !strcmp(buf, "survives a reboot\n"));
}

static void test_selftest(const char *image)
{
	mount(image);
	CHECK(fs_selftest() == 0);
	CHECK(fsck_problems(image, true) == 0);
	mount(image); /* the big file reads back after a "reboot" */
	struct inode *ip = fs_namei("/fstest.out");
	uint8_t *buf = malloc(5u * 1024 * 1024 + 123);
	CHECK(ip && fs_size(ip) == 5u * 1024 * 1024 + 123 &&
	      fs_readi(ip, buf, 0, 5u * 1024 * 1024 + 123) == 5 * 1024 * 1024 + 123);
	if (ip)
		fs_iput(ip);
	free(buf);
}

/* A write that fails for want of space leaves nothing mapped past the
 * size: block 12 of a file needs its indirect block and then a data block,
 * and with room for only one the indirect block must be given back (fsck:
 * no block beyond the size), so the space is there for the next write. */
static void test_full_disk(const char *tree)
{
	static uint8_t blk[VTFS_BLOCK_SIZE];
	const char *full = tt_path("full.img");
	const int create = VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR;
	CHECK(vtfs_mkfs(full, 1 << 20, tree, stderr) == 0);
	mount(full);
	memset(blk, 0x5a, sizeof blk);
	int64_t c = open_path("/c", create), one = open_path("/one", create);
	int64_t d = open_path("/d", create), filler = open_path("/filler", create);
	CHECK(c >= 0 && one >= 0 && d >= 0 && filler >= 0);
	if (c < 0 || one < 0 || d < 0 || filler < 0)
		return;
	bool ok = true;
	for (unsigned i = 0; i < VTFS_NDIRECT; i++)
		ok &= do_write((int)c, blk, sizeof blk) == sizeof blk;
	CHECK(ok && do_write((int)one, blk, sizeof blk) == sizeof blk);
	int64_t r;
	while ((r = do_write((int)filler, blk, sizeof blk)) == sizeof blk)
		;
	CHECK(r == -VTLAB_ENOSPC);
	do_close((int)one);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/one"), 0) == 0); /* one free block */
	CHECK(do_write((int)c, blk, sizeof blk) == -VTLAB_ENOSPC);
	CHECK(do_write((int)d, blk, sizeof blk) == sizeof blk);
	do_close((int)c);
	do_close((int)d);
	do_close((int)filler);
	CHECK(sys_sync() == 0);
	CHECK(fsck_problems(full, true) == 0);
}

/* A write of a whole page whose user buffer faults must not change the
 * file there: the page was not read from the disk (the write was to cover
 * it), so what the failed copy left in it (zeros here) used to be marked
 * dirty and replaced the old contents on disk and in the cache. */
static void test_write_fault_uncached(const char *tree)
{
	static uint8_t before[VTFS_BLOCK_SIZE], after[VTFS_BLOCK_SIZE];
	const char *img = tt_path("fault.img");
	CHECK(vtfs_mkfs(img, 1 << 20, tree, stderr) == 0);
	mount(img);
	int64_t fd = open_path("/sub/n19", VTLAB_O_RDONLY); /* 19000 bytes */
	CHECK(fd >= 0 && do_read((int)fd, before, sizeof before) == sizeof before);
	mount(img); /* nothing cached */
	fd = open_path("/sub/n19", VTLAB_O_RDWR);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(do_write((int)fd, NULL, VTFS_BLOCK_SIZE) == -VTLAB_EFAULT);
	struct file *f = myproc()->ofile[fd];
	CHECK(f->ops->lseek(f, 0, VTLAB_SEEK_SET) == 0);
	CHECK(do_read((int)fd, after, sizeof after) == sizeof after);
	CHECK(memcmp(before, after, sizeof after) == 0);
	do_close((int)fd);
	CHECK(sys_sync() == 0);
	mount(img); /* and on the disk */
	fd = open_path("/sub/n19", VTLAB_O_RDONLY);
	memset(after, 0, sizeof after);
	CHECK(fd >= 0 && do_read((int)fd, after, sizeof after) == sizeof after);
	CHECK(memcmp(before, after, sizeof after) == 0);
	CHECK(fsck_problems(img, true) == 0);
}

/* A shrinking ftruncate that fails (the page where the new size ends
 * cannot be read) must leave the file as it was: itrunc dropped the
 * pages past the new size, dirty ones too, before that read, so the data
 * written there was lost and the old contents showed through. */
static void test_trunc_fail(const char *tree)
{
	static uint8_t blk[VTFS_BLOCK_SIZE], back[VTFS_BLOCK_SIZE];
	const char *img = tt_path("trunc.img");
	CHECK(vtfs_mkfs(img, 1 << 20, tree, stderr) == 0);
	mount(img);
	struct inode *ip = fs_namei("/sub/n19"); /* 19000 bytes, nothing cached */
	uint32_t b0 = 0;
	CHECK(ip && ilock(ip) == 0);
	if (!ip)
		return;
	CHECK(bmap(ip, 0, false, &b0) == 0 && b0 != 0);
	iunlock(ip);
	fs_iput(ip);
	int64_t fd = open_path("/sub/n19", VTLAB_O_RDWR);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	struct file *f = myproc()->ofile[fd];
	memset(blk, 'W', sizeof blk);
	CHECK(f->ops->lseek(f, VTFS_BLOCK_SIZE, VTLAB_SEEK_SET) == VTFS_BLOCK_SIZE);
	CHECK(do_write((int)fd, blk, sizeof blk) == sizeof blk); /* page 1, dirty */
	kshim_fail_reads(b0);
	CHECK(sys_ftruncate((int)fd, 100) == -VTLAB_EIO); /* page 0 unreadable */
	kshim_fail_reads(0);
	struct vtlab_stat st;
	CHECK(f->ops->stat(f, &st) == 0 && st.st_size == 19000);
	CHECK(f->ops->lseek(f, VTFS_BLOCK_SIZE, VTLAB_SEEK_SET) == VTFS_BLOCK_SIZE);
	CHECK(do_read((int)fd, back, sizeof back) == sizeof back);
	CHECK(memcmp(blk, back, sizeof back) == 0);
	do_close((int)fd);
}

/* ---- interleavings: kshim_set_lock_hook runs "another thread" where a
 * sleep_lock may be preempted ---- */

static bool race_fired;
static uint32_t race_block;

static void read_block(const char *image, uint32_t blockno, uint8_t *blk)
{
	FILE *f = fopen(image, "rb");
	if (!f || fseek(f, (long)blockno * VTFS_BLOCK_SIZE, SEEK_SET) != 0 ||
	    fread(blk, 1, VTFS_BLOCK_SIZE, f) != VTFS_BLOCK_SIZE)
		exit(2);
	fclose(f);
}

/* Another thread reads the same block, and changes its byte 0, while
 * the caller's bget waits for the buffer it picked to recycle. */
static void bget_race_hook(struct sleeplock *l)
{
	if (race_fired || strcmp(l->lk.name, "buf") != 0)
		return;
	race_fired = true;
	struct buf *b = bread(race_block);
	if (b) {
		b->data[0] = 'h';
		bdirty(b);
		brelse(b);
	}
}

/* Two threads that miss on the same block at once must share one buffer:
 * bget gave each its own (neither saw the other's while it recycled),
 * so one change was lost at write-back (a bitmap block: two allocations
 * of the same bit). */
static void test_bget_race(const char *tree)
{
	static uint8_t blk[VTFS_BLOCK_SIZE];
	const char *img = tt_path("race.img");
	CHECK(vtfs_mkfs(img, 1 << 20, tree, stderr) == 0);
	mount(img);
	race_block = fs.sb.nblocks - 1; /* a free block: in no buffer */
	race_fired = false;
	kshim_set_lock_hook(bget_race_hook);
	struct buf *b = bread(race_block);
	kshim_set_lock_hook(NULL);
	CHECK(race_fired && b);
	if (!b)
		return;
	b->data[1] = 'm';
	bdirty(b);
	brelse(b);
	CHECK(bcache_flush() == 0);
	read_block(img, race_block, blk);
	CHECK(blk[0] == 'h' && blk[1] == 'm');
}

static const char *evict_image;
static uint32_t evict_inum;
static bool evict_on_disk;

/* A sync by another thread while the evictor waits for the page lock of
 * the dirty page it picked: when the sync returns, the page's data must
 * be on the disk. */
static void evict_race_hook(struct sleeplock *l)
{
	static uint8_t blk[VTFS_BLOCK_SIZE];
	if (race_fired || strcmp(l->lk.name, "page") != 0)
		return;
	struct page *p = (struct page *)(void *)((char *)l - offsetof(struct page, lock));
	if (p->inum != evict_inum || p->idx != 0)
		return;
	race_fired = true;
	CHECK(fs_sync() == 0);
	read_block(evict_image, p->blockno, blk);
	evict_on_disk = memcmp(blk, p->data, sizeof blk) == 0;
}

/* evict_one marked its victim clean before writing it: a sync meanwhile
 * skipped the page and wrote state = CLEAN with its data not on disk. */
static void test_evict_sync_race(const char *tree)
{
	static uint8_t blk[VTFS_BLOCK_SIZE];
	struct vtlab_stat st;
	evict_image = tt_path("evict.img");
	CHECK(vtfs_mkfs(evict_image, 1 << 20, tree, stderr) == 0);
	mount(evict_image);
	int64_t fd = open_path("/e", VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	memset(blk, 'E', sizeof blk);
	struct file *f = myproc()->ofile[fd];
	CHECK(do_write((int)fd, blk, sizeof blk) == sizeof blk && f->ops->stat(f, &st) == 0);
	evict_inum = (uint32_t)st.st_ino;
	do_close((int)fd);
	race_fired = evict_on_disk = false;
	kshim_set_lock_hook(evict_race_hook);
	fs_reclaim(1000); /* as mm does, outside any op */
	kshim_set_lock_hook(NULL);
	CHECK(race_fired && evict_on_disk);
}

static uint32_t rm_inum;
static int64_t rm_rc;

/* Another thread leaves directory /x and removes it while the caller
 * waits for its inode lock (a lookup walking through it, a getcwd). */
static void rmdir_hook(struct sleeplock *l)
{
	if (race_fired || strcmp(l->lk.name, "inode") != 0)
		return;
	struct inode *ip = (struct inode *)(void *)((char *)l - offsetof(struct inode, lock));
	if (ip->inum != rm_inum)
		return;
	race_fired = true;
	CHECK(sys_chdir(U("/")) == 0);
	rm_rc = sys_unlinkat(VTLAB_AT_FDCWD, U("/x"), VTLAB_AT_REMOVEDIR);
}

/* A lookup or getcwd that holds the last reference to a directory
 * removed meanwhile frees it at its iput, which must be inside an op
 * (inode.c panics otherwise): stat, chdir, exec's fs_namei and getcwd
 * ran their lookups outside one. */
static void test_walk_rmdir_race(const char *tree)
{
	struct vtlab_stat st;
	char buf[64];
	const char *img = tt_path("walk.img");
	CHECK(vtfs_mkfs(img, 1 << 20, tree, stderr) == 0);
	mount(img);
	for (int k = 0; k < 4; k++) {
		CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("/x"), 0755) == 0);
		struct inode *ip = fs_namei("/x");
		CHECK(ip != NULL);
		if (!ip)
			return;
		rm_inum = ip->inum;
		fs_iput(ip);
		if (k == 3)
			CHECK(sys_chdir(U("/x")) == 0);
		race_fired = false;
		rm_rc = 1;
		kshim_set_lock_hook(rmdir_hook);
		int64_t got = k == 0   ? sys_newfstatat(VTLAB_AT_FDCWD, U("/x/y"), U(&st), 0)
			      : k == 1 ? sys_chdir(U("/x/y"))
			      : k == 2 ? (fs_namei("/x/y") ? 0 : -VTLAB_ENOENT)
				       : sys_getcwd(U(buf), sizeof buf);
		kshim_set_lock_hook(NULL);
		CHECK(race_fired && rm_rc == 0 && got == -VTLAB_ENOENT);
	}
	CHECK(sys_sync() == 0);
	CHECK(fsck_problems(img, true) == 0);
}

/* In a removed directory (the cwd here) only "." is found, and getcwd
 * says ENOENT: its ".." names a parent that may be removed and freed too,
 * or reused since. */
static void test_dead_dir_lookup(const char *tree)
{
	struct vtlab_stat st;
	const char *img = tt_path("dead.img");
	CHECK(vtfs_mkfs(img, 1 << 20, tree, stderr) == 0);
	mount(img);
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("/a"), 0755) == 0);
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("/a/b"), 0755) == 0);
	CHECK(sys_chdir(U("/a/b")) == 0);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/a/b"), VTLAB_AT_REMOVEDIR) == 0);
	CHECK(sys_unlinkat(VTLAB_AT_FDCWD, U("/a"), VTLAB_AT_REMOVEDIR) == 0);
	int64_t dot = sys_newfstatat(VTLAB_AT_FDCWD, U("."), U(&st), 0);
	CHECK(dot == 0 && (st.st_mode & VTLAB_S_IFMT) == VTLAB_S_IFDIR && st.st_nlink == 0);
	CHECK(sys_newfstatat(VTLAB_AT_FDCWD, U(".."), U(&st), 0) == -VTLAB_ENOENT);
	CHECK(sys_newfstatat(VTLAB_AT_FDCWD, U("../a"), U(&st), 0) == -VTLAB_ENOENT);
	CHECK(sys_mkdirat(VTLAB_AT_FDCWD, U("c"), 0755) == -VTLAB_ENOENT);
	char buf[64];
	CHECK(sys_getcwd(U(buf), sizeof buf) == -VTLAB_ENOENT);
	CHECK(sys_chdir(U("/")) == 0);
	CHECK(sys_sync() == 0);
	CHECK(fsck_problems(img, true) == 0);
}

static int create_stage;
static uint32_t create_inum;

/* Once the new inode is locked (ialloc), other threads' reads push the
 * inode table out of the buffer cache at the next page lock (dirlink),
 * and the disk then fails to read it back. */
static void create_fail_hook(struct sleeplock *l)
{
	if (create_stage == 0 && !strcmp(l->lk.name, "inode")) {
		struct inode *ip =
			(struct inode *)(void *)((char *)l - offsetof(struct inode, lock));
		if (ip->inum != VTFS_ROOT_INO) {
			create_stage = 1;
			create_inum = ip->inum;
		}
	} else if (create_stage == 1 && !strcmp(l->lk.name, "page")) {
		create_stage = 2;
		for (uint32_t b = fs.sb.data_start; b < fs.sb.data_start + 300; b++) {
			struct buf *bp = bread(b);
			if (bp)
				brelse(bp);
		}
		kshim_fail_reads(vtfs_inode_block(&fs.sb, create_inum));
	}
}

/* A create whose last inode update fails returns the error; the inode
 * it named must not stay locked (it did: the next lookup of the name
 * hung, kshim's sleep_lock panics instead). */
static void test_create_fail(const char *tree)
{
	const char *img = tt_path("create.img");
	CHECK(vtfs_mkfs(img, 4 << 20, tree, stderr) == 0);
	mount(img);
	/* The new inode in another inode table block than the root's. */
	struct vtlab_stat st = { 0 };
	for (int i = 0; st.st_ino < VTFS_INODES_PER_BLOCK - 1 && i < 64; i++) {
		char name[16];
		snprintf(name, sizeof name, "/pad%d", i);
		int64_t pad = open_path(name, VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR);
		CHECK(pad >= 0);
		if (pad < 0)
			return;
		struct file *f = myproc()->ofile[pad];
		CHECK(f->ops->stat(f, &st) == 0);
		do_close((int)pad);
	}
	create_stage = 0;
	kshim_set_lock_hook(create_fail_hook);
	int64_t fd = open_path("/newf", VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR);
	kshim_set_lock_hook(NULL);
	kshim_fail_reads(0);
	CHECK(create_stage == 2 && fd == -VTLAB_EIO &&
	      vtfs_inode_block(&fs.sb, create_inum) != vtfs_inode_block(&fs.sb, VTFS_ROOT_INO));
	fd = open_path("/newf", VTLAB_O_RDONLY);
	CHECK(fd >= 0);
	if (fd >= 0)
		do_close((int)fd);
}

/* ---- corrupt images ---- */

/* Inode inum of an image as on disk, and its superblock. */
static struct vtfs_inode load_inode(const char *image, uint32_t inum, struct vtfs_super *sb)
{
	struct fs_image img;
	uint8_t blk[VTFS_BLOCK_SIZE];
	struct vtfs_inode ip;
	if (img_open(&img, image, false) != 0 || img_read(&img, 0, blk) != 0)
		exit(2);
	memcpy(sb, blk, sizeof *sb);
	if (img_read_inode(&img, sb, inum, &ip) != 0)
		exit(2);
	img_close(&img);
	return ip;
}

/* Writes inode inum of an image (the rest of its block kept). */
static void store_inode(const char *image, uint32_t inum, const struct vtfs_super *sb,
			const struct vtfs_inode *ip)
{
	struct fs_image img;
	struct vtfs_inode blk[VTFS_INODES_PER_BLOCK];
	uint32_t b = vtfs_inode_block(sb, inum);
	if (img_open(&img, image, true) != 0 || img_read(&img, b, blk) != 0)
		exit(2);
	blk[inum % VTFS_INODES_PER_BLOCK] = *ip;
	if (img_write(&img, b, blk) != 0)
		exit(2);
	img_close(&img);
}

static void corrupt_inode(const char *image, const char *what)
{
	struct vtfs_super sb;
	/* hello.txt is inode 2 (mkfs: depth first, name order) */
	struct vtfs_inode ip = load_inode(image, 2, &sb);
	if (!strcmp(what, "type"))
		ip.type = 9;
	else if (!strcmp(what, "pointer"))
		ip.direct[0] = sb.nblocks + 5;
	else if (!strcmp(what, "size"))
		ip.size = ~0ull;
	store_inode(image, 2, &sb, &ip);
}

/* Sets inode inum's size (a directory's, below). */
static void set_size(const char *image, uint32_t inum, uint64_t size)
{
	struct vtfs_super sb;
	struct vtfs_inode ip = load_inode(image, inum, &sb);
	ip.size = size;
	store_inode(image, inum, &sb, &ip);
}

/* A directory with a hole, or larger than the data area, is corrupt: a
 * lookup in it is EIO, not a scan of zero pages that finds nothing (a
 * 16 MiB root took a fuzz input past 10 s: fuzz_kfs.c). */
static void test_dir_holes(const char *tree)
{
	const char *bad = tt_path("dirs.img");
	static const uint64_t sizes[] = { 2 * VTFS_BLOCK_SIZE, 64ull << 20 };
	for (size_t k = 0; k < 2; k++) {
		CHECK(vtfs_mkfs(bad, 1 << 20, tree, stderr) == 0);
		mount(bad);
		struct inode *ip = fs_namei("/sub");
		uint32_t inum = ip ? ip->inum : 0;
		if (ip)
			fs_iput(ip);
		CHECK(inum != 0);
		set_size(bad, inum, sizes[k]); /* one block on disk, mkfs's */
		mount(bad);
		int64_t got = open_path("/sub/absent", VTLAB_O_RDONLY);
		CHECK(got == -VTLAB_EIO);
		if (got != -VTLAB_EIO)
			printf("  directory of %llu bytes: got %lld\n",
			       (unsigned long long)sizes[k], (long long)got);
	}
}

/* The root (inode 1) made a regular file with no links. */
static void corrupt_root(const char *image)
{
	struct vtfs_super sb;
	struct vtfs_inode ip = load_inode(image, VTFS_ROOT_INO, &sb);
	ip.type = VTFS_T_FILE;
	ip.nlink = 0;
	store_inode(image, VTFS_ROOT_INO, &sb, &ip);
}

/* The first n bytes of an image (its metadata: superblock, bitmaps, inodes). */
static void read_head(const char *image, unsigned char *buf, size_t n)
{
	FILE *f = fopen(image, "rb");
	if (!f || fread(buf, 1, n, f) != n)
		exit(2);
	fclose(f);
}

static void test_corrupt(const char *image, const char *tree)
{
	char buf[64];
	const char *bad = tt_path("bad.img");
	static const char *kinds[] = { "type", "pointer", "size" };
	for (size_t k = 0; k < 3; k++) {
		CHECK(vtfs_mkfs(bad, 1 << 20, tree, stderr) == 0);
		corrupt_inode(bad, kinds[k]);
		mount(bad);
		int64_t fd = open_path("/hello.txt", VTLAB_O_RDONLY);
		int64_t got = fd >= 0 ? do_read((int)fd, buf, sizeof buf) : fd;
		CHECK(got == -VTLAB_EIO);
		if (got != -VTLAB_EIO)
			printf("  corrupt %s: got %lld\n", kinds[k], (long long)got);
	}
	/* a root that is a file with no links: refused, and not freed (the
	 * mount used to keep it locked and deadlock in iput freeing it) */
	CHECK(vtfs_mkfs(bad, 1 << 20, tree, stderr) == 0);
	corrupt_root(bad);
	unsigned char before[VTFS_BLOCK_SIZE * 8], after[sizeof before];
	read_head(bad, before, sizeof before);
	mount(bad);
	read_head(bad, after, sizeof after);
	CHECK(!fs.mounted && open_path("/hello.txt", VTLAB_O_RDONLY) == -VTLAB_EIO);
	CHECK(memcmp(before, after, sizeof before) == 0);
	/* a garbage superblock: not mounted, calls fail */
	FILE *f = fopen(bad, "r+b");
	fwrite("garbage!", 1, 8, f);
	fclose(f);
	mount(bad);
	CHECK(!fs.mounted && open_path("/hello.txt", VTLAB_O_RDONLY) == -VTLAB_EIO);
	(void)image;
}

int main(void)
{
	const char *image = tt_path("kfs.img"), *tree;
	setvbuf(stdout, NULL, _IONBF, 0);
	char name[64];
	tt_mkdir("tree");
	tt_mkdir("tree/sub");
	FILE *f = fopen(tt_path("tree/hello.txt"), "w");
	fputs("hello\n", f);
	fclose(f);
	f = fopen(tt_path("tree/sub/inner.txt"), "w");
	fputs("inner!\n", f);
	fclose(f);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "tree/sub/n%02d", i);
		tt_write_file(name, (size_t)i * 1000, (uint32_t)i);
	}
	tree = tt_path("tree");
	kshim_set_free_pages(1024); /* a 256-page cache: the self-test evicts */
	CHECK(vtfs_mkfs(image, 32 << 20, tree, stderr) == 0);
	mount(image);
	CHECK(fs.mounted);
	test_read_tree(image);
	test_syscalls(image);
	test_selftest(image);
	test_full_disk(tree);
	test_write_fault_uncached(tree);
	test_trunc_fail(tree);
	test_bget_race(tree);
	test_evict_sync_race(tree);
	test_walk_rmdir_race(tree);
	test_dead_dir_lookup(tree);
	test_create_fail(tree);
	test_corrupt(image, tree);
	test_dir_holes(tree);
	return tt_summary();
}
