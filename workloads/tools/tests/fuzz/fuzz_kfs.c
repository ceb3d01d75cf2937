/*
 * fuzz_kfs.c - libFuzzer target: the guest kernel's file system
 * (workloads/kernel/fs, compiled for the host over tests/kshim.c, as
 * test_kfs runs it) mounting an arbitrary disk image.
 *
 * A guest that boots with `vtlab run --disk IMAGE` trusts its disk only as
 * far as the host's superblock check goes (cli/run_workload.c); the rest of
 * a damaged image reaches this code.  The rule is that a corrupt image gets
 * a clear error, so every call here must return (an error code is fine)
 * without a sanitizer report, a kernel panic (kshim aborts) or a lock
 * misused.
 *
 * Per input: the image is written to a memfd; vtlab-fsck's checker says
 * whether it is clean; the kernel mounts it; the whole tree is walked from
 * the root (getdents64, stat, every file read, at most 8 levels and 256
 * entries); then a file is created and written past its direct blocks, a
 * directory made, and everything synced.  Must hold besides: an image fsck
 * called clean is still clean after all that (the kernel keeps a consistent
 * disk consistent, a full one included); and a mount that fails leaves no
 * call crashing.
 *
 * Seeds: make_seeds.sh fsck (images from vtlab-mkfs).
 * Build and run: scripts/fuzz.sh kfs.
 */
#include "fs.h"
#include "kshim.h"
#include "vtfs_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define U(p) ((uint64_t)(uintptr_t)(p))
#define MAX_DEPTH 8
#define MAX_ENTRIES 256

static int file_fd = -1;
static char file_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_kfs.c: %s%s\n", what, detail);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	file_fd = memfd_create("fuzz_kfs", 0);
	if (file_fd < 0)
		die("memfd_create failed", "");
	snprintf(file_path, sizeof file_path, "/proc/self/fd/%d", file_fd);
	kshim_set_free_pages(256); /* a 64-page cache: evictions happen */
	/* The kernel's mount messages (kshim's kprintf) would flood the log. */
	if (!freopen("/dev/null", "w", stdout))
		die("cannot silence the kernel's messages", "");
	return 0;
}

static void close_fd(int fd)
{
	struct proc *p = myproc();
	file_close(p->ofile[fd]);
	p->ofile[fd] = NULL;
}

/* Closes every file, drops the mount's memory, and mounts the memfd. */
static void remount(void)
{
	struct proc *p = myproc();
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd])
			close_fd(fd);
	p->cwd = NULL;
	kshim_release_all();
	kshim_attach(file_path);
	fs_init();
}

static void read_file(int fd)
{
	static char buf[8192];
	struct file *f = myproc()->ofile[fd];
	for (int i = 0; i < 8; i++)
		if (f->ops->read(f, U(buf), sizeof buf) <= 0)
			return;
}

static void walk(const char *path, int depth, int *budget);

/* Each entry of directory fd, below path. */
static void walk_entries(int fd, const char *path, int depth, int *budget)
{
	char buf[2048], child[512]; /* per level: the walk recurses */
	for (;;) {
		int64_t n = sys_getdents64(fd, U(buf), sizeof buf);
		if (n <= 0)
			return;
		for (int64_t off = 0; off < n;) {
			const struct vtlab_dirent64 *d = (const void *)(buf + off);
			if (d->d_reclen == 0 || off + d->d_reclen > n)
				die("getdents64 returned a record that does not fit", "");
			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (--*budget < 0)
				return;
			snprintf(child, sizeof child, "%s/%s", path, d->d_name);
			walk(child, depth + 1, budget);
		}
	}
}

static void walk(const char *path, int depth, int *budget)
{
	int64_t fd = sys_openat(VTLAB_AT_FDCWD, U(path), VTLAB_O_RDONLY, 0);
	if (fd < 0)
		return;
	struct file *f = myproc()->ofile[fd];
	struct vtlab_stat st;
	memset(&st, 0, sizeof st);
	if (f->ops->stat(f, &st) == 0) {
		if ((st.st_mode & VTLAB_S_IFMT) == VTLAB_S_IFDIR && depth < MAX_DEPTH)
			walk_entries((int)fd, path, depth, budget);
		else
			read_file((int)fd);
	}
	close_fd((int)fd);
}

/* Creates a file of 20 blocks (past the 12 direct ones) and a directory,
 * then syncs: the kernel's writes on whatever the image holds. */
static void write_some(void)
{
	static char block[4096];
	memset(block, 'w', sizeof block);
	int64_t fd = sys_openat(VTLAB_AT_FDCWD, U("/fuzz-new"),
				VTLAB_O_CREAT | VTLAB_O_TRUNC | VTLAB_O_RDWR, 0644);
	if (fd >= 0) {
		struct file *f = myproc()->ofile[fd];
		for (int i = 0; i < 20; i++)
			if (f->ops->write(f, U(block), sizeof block) <= 0)
				break;
		close_fd((int)fd);
	}
	sys_mkdirat(VTLAB_AT_FDCWD, U("/fuzz-dir"), 0755);
	sys_sync();
}

static int fsck_now(char **report)
{
	size_t len = 0;
	FILE *out = open_memstream(report, &len);
	if (!out)
		die("open_memstream failed", "");
	int n = vtfs_fsck(file_path, out);
	fclose(out);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(file_fd, 0) != 0 || pwrite(file_fd, data, size, 0) != (ssize_t)size)
		die("writing the image to the memfd failed", "");
	char *report = NULL;
	bool clean = fsck_now(&report) == 0;
	free(report);
	remount();
	int budget = MAX_ENTRIES;
	walk("/", 0, &budget);
	write_some();
	if (clean && fs.mounted) {
		/* Synced, and every file closed: the image must check clean. */
		if (fsck_now(&report) != 0)
			die("the kernel left a clean image inconsistent:\n", report);
		free(report);
	}
	return 0;
}
