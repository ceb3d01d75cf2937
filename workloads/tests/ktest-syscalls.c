/*
 * ktest-syscalls.c - every system call of vtlab/abi.h once, with its
 * success result and its documented (Linux) error returns, through the raw
 * stubs (vt_sys_*) so the exact -errno is checked.  Works in /tmp/sc.
 */
#include "ktest.h"
#include "syscall.h" /* vt_syscall6, for a number the kernel does not have */

#define D "/tmp/sc"
#define BAD_PTR ((void *)0xffffffc080000000ull) /* kernel space: EFAULT */

static void test_ids(void)
{
	KT_CHECK(vt_sys_getpid() > 0, "pid %lld", (long long)vt_sys_getpid());
	KT_CHECK(vt_sys_getppid() > 0, "ppid %lld", (long long)vt_sys_getppid());
	KT_CHECK(vt_sys_gettid() > 0, "tid %lld", (long long)vt_sys_gettid());
	int64_t n = vt_sys_nprocs();
	KT_CHECK(n >= 1 && n <= 8, "nprocs %lld", (long long)n);
	KT_EQ(vt_sys_sched_yield(), 0);
	KT_EQ(vt_sys_kill(99999, VTLAB_SIGKILL), -VTLAB_ESRCH);
	KT_EQ(vt_sys_wait4(-1, NULL, 0, NULL), -VTLAB_ECHILD);
	KT_EQ(vt_syscall6(9999, 0, 0, 0, 0, 0, 0), -VTLAB_ENOSYS);
	char args[64];
	KT_CHECK(vt_sys_lab(VTLAB_LAB_ARGS, (uint64_t)(uintptr_t)args, sizeof args) >= 0,
		 "lab args");
}

static void test_fds(void)
{
	KT_EQ(vt_sys_write(77, "x", 1), -VTLAB_EBADF);
	KT_EQ(vt_sys_read(-1, NULL, 0), -VTLAB_EBADF);
	KT_EQ(vt_sys_close(77), -VTLAB_EBADF);
	KT_EQ(vt_sys_write(1, BAD_PTR, 8), -VTLAB_EFAULT);
	KT_EQ(vt_sys_write(1, "", 0), 0);
	struct vtlab_stat st;
	KT_EQ(vt_sys_fstat(1, &st), 0);
	KT_EQ(st.st_mode & VTLAB_S_IFMT, VTLAB_S_IFCHR);
	KT_EQ(vt_sys_fstat(77, &st), -VTLAB_EBADF);
	KT_EQ(vt_sys_fstat(1, BAD_PTR), -VTLAB_EFAULT);
	int64_t fd = vt_sys_dup(1);
	KT_CHECK(fd >= 3, "dup(1) = %lld", (long long)fd);
	KT_EQ(vt_sys_dup3(1, (int)fd, 0), fd);
	KT_EQ(vt_sys_dup3((int)fd, (int)fd, 0), -VTLAB_EINVAL);
	KT_EQ(vt_sys_close((int)fd), 0);
	KT_EQ(vt_sys_close((int)fd), -VTLAB_EBADF);
	KT_EQ(vt_sys_dup(77), -VTLAB_EBADF);
	int p[2] = { -1, -1 };
	KT_EQ(vt_sys_pipe2(p, 0), 0);
	KT_EQ(vt_sys_lseek(p[0], 0, VTLAB_SEEK_SET), -VTLAB_ESPIPE);
	KT_EQ(vt_sys_write(p[1], "abc", 3), 3);
	char b[4] = { 0 };
	KT_EQ(vt_sys_read(p[0], b, sizeof b), 3);
	KT_CHECK(memcmp(b, "abc", 3) == 0, "read back '%.3s'", b);
	KT_EQ(vt_sys_close(p[0]), 0);
	KT_EQ(vt_sys_close(p[1]), 0);
	KT_EQ(vt_sys_pipe2(BAD_PTR, 0), -VTLAB_EFAULT);
	/* ... and leaves no descriptor behind: the next dup takes the lowest
	 * free slot, the one the failed pipe2 had used. */
	fd = vt_sys_dup(1);
	KT_EQ(fd, p[0]);
	KT_EQ(vt_sys_close((int)fd), 0);
}

static void test_files(void)
{
	KT_EQ(vt_sys_mkdirat(VTLAB_AT_FDCWD, D, 0755), 0);
	KT_EQ(vt_sys_mkdirat(VTLAB_AT_FDCWD, D, 0755), -VTLAB_EEXIST);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, D "/none", VTLAB_O_RDONLY, 0), -VTLAB_ENOENT);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, BAD_PTR, VTLAB_O_RDONLY, 0), -VTLAB_EFAULT);
	char longname[100];
	memset(longname, 'n', sizeof longname);
	memcpy(longname, D "/", 8);
	longname[sizeof longname - 1] = 0;
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, longname, VTLAB_O_CREAT | VTLAB_O_RDWR, 0644),
	      -VTLAB_ENAMETOOLONG);
	int64_t fd = vt_sys_openat(VTLAB_AT_FDCWD, D "/f", VTLAB_O_CREAT | VTLAB_O_RDWR, 0644);
	KT_CHECK(fd >= 0, "create: %lld", (long long)fd);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, D "/f", VTLAB_O_CREAT | VTLAB_O_EXCL | VTLAB_O_RDWR,
			    0644),
	      -VTLAB_EEXIST);
	KT_EQ(vt_sys_write((int)fd, "hello world", 11), 11);
	KT_EQ(vt_sys_lseek((int)fd, 0, VTLAB_SEEK_CUR), 11);
	KT_EQ(vt_sys_lseek((int)fd, -5, VTLAB_SEEK_END), 6);
	KT_EQ(vt_sys_lseek((int)fd, -1, VTLAB_SEEK_SET), -VTLAB_EINVAL);
	KT_EQ(vt_sys_lseek((int)fd, 0, 7), -VTLAB_EINVAL);
	char b[16] = { 0 };
	KT_EQ(vt_sys_read((int)fd, b, sizeof b), 5);
	KT_CHECK(strcmp(b, "world") == 0, "read '%s'", b);
	KT_EQ(vt_sys_read((int)fd, b, sizeof b), 0);
	KT_EQ(vt_sys_lseek((int)fd, 0, VTLAB_SEEK_SET), 0);
	KT_EQ(vt_sys_read((int)fd, BAD_PTR, 4), -VTLAB_EFAULT);
	struct vtlab_stat st;
	KT_EQ(vt_sys_fstat((int)fd, &st), 0);
	KT_EQ(st.st_size, 11);
	KT_EQ(st.st_mode & VTLAB_S_IFMT, VTLAB_S_IFREG);
	KT_EQ(vt_sys_ftruncate((int)fd, 3), 0);
	KT_EQ(vt_sys_newfstatat(VTLAB_AT_FDCWD, D "/f", &st, 0), 0);
	KT_EQ(st.st_size, 3);
	KT_EQ(vt_sys_ftruncate((int)fd, -1), -VTLAB_EINVAL);
	KT_EQ(vt_sys_fsync((int)fd), 0);
	KT_EQ(vt_sys_getdents64((int)fd, b, sizeof b), -VTLAB_ENOTDIR);
	KT_EQ(vt_sys_close((int)fd), 0);
	KT_EQ(vt_sys_newfstatat(VTLAB_AT_FDCWD, D "/none", &st, 0), -VTLAB_ENOENT);
	KT_EQ(vt_sys_newfstatat(VTLAB_AT_FDCWD, D, &st, 0), 0);
	KT_EQ(st.st_mode & VTLAB_S_IFMT, VTLAB_S_IFDIR);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, D, VTLAB_O_WRONLY, 0), -VTLAB_EISDIR);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, D "/f", VTLAB_O_RDONLY | VTLAB_O_DIRECTORY, 0),
	      -VTLAB_ENOTDIR);
	KT_EQ(vt_sys_openat(VTLAB_AT_FDCWD, D "/f/x", VTLAB_O_RDONLY, 0), -VTLAB_ENOTDIR);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D, 0), -VTLAB_EISDIR);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D, VTLAB_AT_REMOVEDIR), -VTLAB_ENOTEMPTY);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D "/none", 0), -VTLAB_ENOENT);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D "/f", 0), 0);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D "/f", 0), -VTLAB_ENOENT);

	/* chdir and getcwd; relative paths follow the cwd. */
	char cwd[64];
	KT_EQ(vt_sys_chdir(D), 0);
	KT_CHECK(vt_sys_getcwd(cwd, sizeof cwd) > 0 && strcmp(cwd, D) == 0, "cwd '%s'", cwd);
	KT_EQ(vt_sys_getcwd(cwd, 2), -VTLAB_ERANGE);
	fd = vt_sys_openat(VTLAB_AT_FDCWD, "rel", VTLAB_O_CREAT | VTLAB_O_WRONLY, 0644);
	KT_CHECK(fd >= 0, "relative create: %lld", (long long)fd);
	vt_sys_close((int)fd);
	KT_EQ(vt_sys_newfstatat(VTLAB_AT_FDCWD, D "/rel", &st, 0), 0);
	KT_EQ(vt_sys_chdir("/none"), -VTLAB_ENOENT);
	KT_EQ(vt_sys_chdir(D "/rel"), -VTLAB_ENOTDIR);
	KT_EQ(vt_sys_chdir("/"), 0);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D "/rel", 0), 0);
	KT_EQ(vt_sys_unlinkat(VTLAB_AT_FDCWD, D, VTLAB_AT_REMOVEDIR), 0);
	KT_EQ(vt_sys_sync(), 0);
}

static void test_memory_time_exec(void)
{
	int64_t brk0 = vt_sys_brk(0);
	KT_CHECK(brk0 > 0, "brk(0) = %lld", (long long)brk0);
	KT_EQ(vt_sys_brk((uint64_t)brk0 + 8192), brk0 + 8192);
	((volatile char *)(uintptr_t)brk0)[8191] = 1;
	KT_EQ(vt_sys_mmap(NULL, 0, VTLAB_PROT_READ, VTLAB_MAP_PRIVATE | VTLAB_MAP_ANONYMOUS, -1, 0),
	      -VTLAB_EINVAL);
	int64_t m = vt_sys_mmap(NULL, 4096, VTLAB_PROT_READ | VTLAB_PROT_WRITE,
				VTLAB_MAP_PRIVATE | VTLAB_MAP_ANONYMOUS, -1, 0);
	KT_CHECK(m > 0 && (m & 4095) == 0, "mmap = %lld", (long long)m);
	KT_EQ(vt_sys_munmap((void *)(uintptr_t)(m + 1), 4096), -VTLAB_EINVAL);
	KT_EQ(vt_sys_munmap((void *)(uintptr_t)m, 4096), 0);

	struct vtlab_timespec ts = { 0, 0 };
	KT_EQ(vt_sys_clock_gettime(VTLAB_CLOCK_MONOTONIC, &ts), 0);
	KT_CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "tv_nsec %lld", (long long)ts.tv_nsec);
	KT_EQ(vt_sys_clock_gettime(VTLAB_CLOCK_REALTIME, &ts), 0);
	KT_EQ(vt_sys_clock_gettime(99, &ts), -VTLAB_EINVAL);
	KT_EQ(vt_sys_clock_gettime(VTLAB_CLOCK_MONOTONIC, BAD_PTR), -VTLAB_EFAULT);
	struct vtlab_timespec bad = { 0, 1000000000 };
	KT_EQ(vt_sys_nanosleep(&bad, NULL), -VTLAB_EINVAL);
	struct vtlab_timespec zero = { 0, 0 };
	KT_EQ(vt_sys_nanosleep(&zero, NULL), 0);

	uint32_t word = 5;
	KT_EQ(vt_sys_futex(&word, VTLAB_FUTEX_WAIT, 6, NULL), -VTLAB_EAGAIN);
	KT_EQ(vt_sys_futex(&word, VTLAB_FUTEX_WAKE, 1, NULL), 0);
	KT_EQ(vt_sys_futex(&word, 99, 0, NULL), -VTLAB_ENOSYS);
	uint64_t rv;
	KT_CHECK(vt_sys_thread_join(99999, &rv) < 0, "join of no thread");

	char *argv[] = { "/none", NULL };
	KT_EQ(vt_sys_execve("/none", argv, NULL), -VTLAB_ENOENT);
	KT_EQ(vt_sys_execve(BAD_PTR, argv, NULL), -VTLAB_EFAULT);
	int64_t fd =
		vt_sys_openat(VTLAB_AT_FDCWD, "/tmp/notelf", VTLAB_O_CREAT | VTLAB_O_WRONLY, 0755);
	vt_sys_write((int)fd, "#!/bin/sh\necho not an ELF\n", 26);
	vt_sys_close((int)fd);
	KT_EQ(vt_sys_execve("/tmp/notelf", argv, NULL), -VTLAB_ENOEXEC);
	vt_sys_unlinkat(VTLAB_AT_FDCWD, "/tmp/notelf", 0);
}

int main(void)
{
	vt_sys_mkdirat(VTLAB_AT_FDCWD, "/tmp", 0755);
	test_ids();
	test_fds();
	test_files();
	test_memory_time_exec();
	return kt_finish("ktest-syscalls");
}
