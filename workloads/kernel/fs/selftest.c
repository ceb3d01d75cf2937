/*
 * selftest.c - in-kernel tests of the file system (fs_selftest), run when
 * the kernel is booted with fstest=1 and by the host test test_kfs.  They
 * work through the same functions as the syscalls, on kernel buffers, in
 * a scratch directory /fstest.d that they remove; they leave /fstest.out
 * (FSTEST_OUT_SIZE bytes of the pattern fstest_byte) and sync, so that the
 * host can check the image with vtlab-fsck and read the file back.
 * Prints "fstest: N passed, N failed".
 */
#include "fs.h"

#define FSTEST_OUT_SIZE (5u * 1024 * 1024 + 123) /* reaches the double indirect */
#define CHUNK PAGE_SIZE                          /* buf is one page */

static int passed, failed;

static void check(bool ok, const char *what, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	kprintf("fstest: FAIL line %d: %s\n", line, what);
}
#define CHECK(c) check((c), #c, __LINE__)

static uint8_t fstest_byte(uint64_t off, uint32_t seed)
{
	uint64_t x = (off + seed) * 0x9E3779B97F4A7C15ull;
	return (uint8_t)(x >> 56);
}

static void fill(uint8_t *buf, uint64_t off, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = fstest_byte(off + i, seed);
}

/* Creates (or truncates) path and writes size pattern bytes in chunks. */
static int write_pattern(const char *path, uint64_t size, uint32_t seed, uint8_t *buf)
{
	struct inode *ip;
	op_begin();
	int rc = fs_create(NULL, path, VTFS_T_FILE, false, &ip);
	if (rc == 0) {
		rc = itrunc(ip, 0);
		for (uint64_t off = 0; rc == 0 && off < size; off += CHUNK) {
			size_t n = size - off < CHUNK ? size - off : CHUNK;
			fill(buf, off, n, seed);
			if (writei(ip, false, (uint64_t)buf, off, n) != (int64_t)n)
				rc = -VTLAB_EIO;
		}
		iunlockput(ip);
	}
	op_end();
	return rc;
}

/* Reads path back and compares with the pattern; true if equal. */
static bool read_pattern(const char *path, uint64_t size, uint32_t seed, uint8_t *buf)
{
	struct inode *ip = fs_namei(path);
	bool ok = ip && fs_size(ip) == size;
	for (uint64_t off = 0; ok && off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? size - off : CHUNK;
		ok = fs_readi(ip, buf, off, n) == (int64_t)n;
		for (size_t i = 0; ok && i < n; i++)
			ok = buf[i] == fstest_byte(off + i, seed);
	}
	if (ip)
		fs_iput(ip);
	return ok;
}

static int unlink_path(const char *path, bool rmdir)
{
	op_begin();
	int rc = fs_unlink(NULL, path, rmdir);
	op_end();
	return rc;
}

static int mkdir_path(const char *path)
{
	struct inode *ip;
	op_begin();
	int rc = fs_create(NULL, path, VTFS_T_DIR, true, &ip);
	if (rc == 0)
		iunlockput(ip);
	op_end();
	return rc;
}

/* True if bytes [off, off+n) of the locked ip are zero (want_seed 0) or
 * the pattern of want_seed. */
static bool range_is(struct inode *ip, uint64_t off, uint64_t n, uint32_t want_seed, uint8_t *buf)
{
	for (uint64_t done = 0; done < n;) {
		size_t m = n - done < CHUNK ? n - done : CHUNK;
		if (readi(ip, false, (uint64_t)buf, off + done, m) != (int64_t)m)
			return false;
		for (size_t i = 0; i < m; i++)
			if (buf[i] != (want_seed ? fstest_byte(off + done + i, want_seed) : 0))
				return false;
		done += m;
	}
	return true;
}

static void test_big_file(uint8_t *buf)
{
	CHECK(write_pattern("/fstest.out", FSTEST_OUT_SIZE, 7, buf) == 0);
	CHECK(read_pattern("/fstest.out", FSTEST_OUT_SIZE, 7, buf));
	/* Evict everything: the data must come back from the disk. */
	CHECK(fs_reclaim(~0ull) > 0);
	CHECK(read_pattern("/fstest.out", FSTEST_OUT_SIZE, 7, buf));
}

static void test_sparse_and_truncate(uint8_t *buf)
{
	struct inode *ip;
	op_begin();
	int rc = fs_create(NULL, "/fstest.d/sparse", VTFS_T_FILE, true, &ip);
	CHECK(rc == 0);
	if (rc == 0) {
		fill(buf, 0, 100, 3);
		CHECK(writei(ip, false, (uint64_t)buf, 100000, 100) == 100);
		CHECK(ip->d.size == 100100 && ip->d.direct[0] == 0);
		CHECK(range_is(ip, 0, 100000, 0, buf));
		CHECK(readi(ip, false, (uint64_t)buf, 100000, 200) == 100);
		CHECK(buf[0] == fstest_byte(0, 3) && buf[99] == fstest_byte(99, 3));
		bool ok = true;
		for (uint64_t off = 0; off < 9000; off += CHUNK) {
			size_t n = 9000 - off < CHUNK ? 9000 - off : CHUNK;
			fill(buf, off, n, 4);
			ok &= writei(ip, false, (uint64_t)buf, off, n) == (int64_t)n;
		}
		CHECK(ok);
		CHECK(itrunc(ip, 5000) == 0 && itrunc(ip, 9000) == 0);
		CHECK(range_is(ip, 0, 5000, 4, buf) && range_is(ip, 5000, 4000, 0, buf));
		CHECK(itrunc(ip, 0) == 0 && ip->d.direct[0] == 0 && ip->d.indirect == 0);
		iunlockput(ip);
	}
	op_end();
	CHECK(unlink_path("/fstest.d/sparse", false) == 0);
}

static void test_directories(uint8_t *buf)
{
	char path[64];
	struct inode *ip;
	int ok = 0;
	CHECK(mkdir_path("/fstest.d/sub") == 0);
	CHECK(mkdir_path("/fstest.d/sub") == -VTLAB_EEXIST);
	for (int i = 0; i < 150; i++) { /* 152 entries: three directory blocks */
		ksnprintf(path, sizeof path, "/fstest.d/sub/f%03d", i);
		ok += write_pattern(path, (uint64_t)i * 11, (uint32_t)i, buf) == 0;
	}
	CHECK(ok == 150);
	ok = 0;
	for (int i = 0; i < 150; i++) {
		ksnprintf(path, sizeof path, "/fstest.d/sub/../sub/./f%03d", i);
		ok += read_pattern(path, (uint64_t)i * 11, (uint32_t)i, buf);
	}
	CHECK(ok == 150);
	CHECK(unlink_path("/fstest.d/sub", true) == -VTLAB_ENOTEMPTY);
	CHECK(unlink_path("/fstest.d/sub", false) == -VTLAB_EISDIR);
	CHECK(unlink_path("/fstest.d/sub/f000", true) == -VTLAB_ENOTDIR);
	CHECK(namei(NULL, "/fstest.d/nosuch", &ip) == -VTLAB_ENOENT);
	CHECK(namei(NULL, "/fstest.d/sub/f001/x", &ip) == -VTLAB_ENOTDIR);
	CHECK(namei(NULL, "/fstest.d/0123456789012345678901234567890123456789012345678901234567890",
		    &ip) == -VTLAB_ENAMETOOLONG);
	op_begin();
	CHECK(fs_create(NULL, "/fstest.d/sub/f001", VTFS_T_FILE, true, &ip) == -VTLAB_EEXIST);
	op_end();
	ok = 0;
	for (int i = 0; i < 150; i++) {
		ksnprintf(path, sizeof path, "/fstest.d/sub/f%03d", i);
		ok += unlink_path(path, false) == 0;
	}
	CHECK(ok == 150);
	CHECK(unlink_path("/fstest.d/sub", true) == 0);
	CHECK(namei(NULL, "/fstest.d/sub", &ip) == -VTLAB_ENOENT);
}

/* An unlinked file stays readable while referenced; freed at the end. */
static void test_unlinked_open(uint8_t *buf)
{
	struct inode *ip;
	CHECK(write_pattern("/fstest.d/tmp", 20000, 9, buf) == 0);
	ip = fs_namei("/fstest.d/tmp");
	CHECK(ip != NULL);
	if (!ip)
		return;
	CHECK(unlink_path("/fstest.d/tmp", false) == 0);
	CHECK(ilock(ip) == 0);
	CHECK(ip->d.nlink == 0 && range_is(ip, 0, 20000, 9, buf));
	iunlock(ip);
	fs_iput(ip);
}

int fs_selftest(void)
{
	uint8_t *buf = page_alloc();
	passed = failed = 0;
	if (!fs.mounted || !buf) {
		kprintf("fstest: no file system mounted\n");
		failed = 1;
	} else {
		CHECK(mkdir_path("/fstest.d") == 0);
		test_big_file(buf);
		test_sparse_and_truncate(buf);
		test_directories(buf);
		test_unlinked_open(buf);
		CHECK(unlink_path("/fstest.d", true) == 0);
		CHECK(fs_sync() == 0 && fs.sb.state == VTFS_STATE_CLEAN);
	}
	if (buf)
		page_free(buf);
	kprintf("fstest: %d passed, %d failed\n", passed, failed);
	return failed;
}
