/*
 * sys_raw.c - one stub per system call of vtlab/abi.h, returning the
 * kernel's raw result (>= 0, or -VTLAB_E*).  No errno here: the POSIX
 * layer (posix_*.c) builds on these.
 */
#include "syscall.h"
#include "vtlab.h"

int64_t vt_sys_getcwd(char *buf, size_t n)
{
	return VT_SYS2(SYS_getcwd, buf, n);
}
int64_t vt_sys_dup(int fd)
{
	return VT_SYS1(SYS_dup, fd);
}
int64_t vt_sys_dup3(int oldfd, int newfd, int flags)
{
	return VT_SYS3(SYS_dup3, oldfd, newfd, flags);
}
int64_t vt_sys_mkdirat(int dirfd, const char *path, int mode)
{
	return VT_SYS3(SYS_mkdirat, dirfd, path, mode);
}
int64_t vt_sys_unlinkat(int dirfd, const char *path, int flags)
{
	return VT_SYS3(SYS_unlinkat, dirfd, path, flags);
}
int64_t vt_sys_ftruncate(int fd, int64_t len)
{
	return VT_SYS2(SYS_ftruncate, fd, len);
}
int64_t vt_sys_chdir(const char *path)
{
	return VT_SYS1(SYS_chdir, path);
}
int64_t vt_sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return VT_SYS4(SYS_openat, dirfd, path, flags, mode);
}
int64_t vt_sys_close(int fd)
{
	return VT_SYS1(SYS_close, fd);
}
int64_t vt_sys_pipe2(int fds[2], int flags)
{
	return VT_SYS2(SYS_pipe2, fds, flags);
}
int64_t vt_sys_getdents64(int fd, void *buf, size_t n)
{
	return VT_SYS3(SYS_getdents64, fd, buf, n);
}
int64_t vt_sys_lseek(int fd, int64_t off, int whence)
{
	return VT_SYS3(SYS_lseek, fd, off, whence);
}
int64_t vt_sys_read(int fd, void *buf, size_t n)
{
	return VT_SYS3(SYS_read, fd, buf, n);
}
int64_t vt_sys_write(int fd, const void *buf, size_t n)
{
	return VT_SYS3(SYS_write, fd, buf, n);
}
int64_t vt_sys_newfstatat(int dirfd, const char *path, struct vtlab_stat *st, int flags)
{
	return VT_SYS4(SYS_newfstatat, dirfd, path, st, flags);
}
int64_t vt_sys_fstat(int fd, struct vtlab_stat *st)
{
	return VT_SYS2(SYS_fstat, fd, st);
}
int64_t vt_sys_fsync(int fd)
{
	return VT_SYS1(SYS_fsync, fd);
}

_Noreturn void vt_sys_exit(int code)
{
	for (;;)
		VT_SYS1(SYS_exit, code);
}

_Noreturn void vt_sys_exit_group(int code)
{
	for (;;)
		VT_SYS1(SYS_exit_group, code);
}

int64_t vt_sys_futex(volatile uint32_t *addr, int op, uint32_t val,
		     const struct vtlab_timespec *timeout)
{
	return VT_SYS4(SYS_futex, addr, op, val, timeout);
}
int64_t vt_sys_nanosleep(const struct vtlab_timespec *req, struct vtlab_timespec *rem)
{
	return VT_SYS2(SYS_nanosleep, req, rem);
}
int64_t vt_sys_clock_gettime(int clock, struct vtlab_timespec *ts)
{
	return VT_SYS2(SYS_clock_gettime, clock, ts);
}
int64_t vt_sys_sched_yield(void)
{
	return VT_SYS0(SYS_sched_yield);
}
int64_t vt_sys_kill(int pid, int sig)
{
	return VT_SYS2(SYS_kill, pid, sig);
}
int64_t vt_sys_getpid(void)
{
	return VT_SYS0(SYS_getpid);
}
int64_t vt_sys_getppid(void)
{
	return VT_SYS0(SYS_getppid);
}
int64_t vt_sys_gettid(void)
{
	return VT_SYS0(SYS_gettid);
}
int64_t vt_sys_munmap(void *addr, size_t len)
{
	return VT_SYS2(SYS_munmap, addr, len);
}
int64_t vt_sys_brk(uint64_t addr)
{
	return VT_SYS1(SYS_brk, addr);
}
int64_t vt_sys_fork(void)
{
	return VT_SYS0(SYS_fork);
}
int64_t vt_sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return VT_SYS3(SYS_execve, path, argv, envp);
}
int64_t vt_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)
{
	return VT_SYS6(SYS_mmap, addr, len, prot, flags, fd, off);
}
int64_t vt_sys_wait4(int pid, int *status, int options, void *rusage)
{
	return VT_SYS4(SYS_wait4, pid, status, options, rusage);
}
int64_t vt_sys_thread_create(void (*entry)(void *), void *arg, void *stack_top)
{
	return VT_SYS3(SYS_thread_create, entry, arg, stack_top);
}
int64_t vt_sys_thread_join(int tid, uint64_t *retval)
{
	return VT_SYS2(SYS_thread_join, tid, retval);
}
int64_t vt_sys_lab(int op, uint64_t a, uint64_t b)
{
	return VT_SYS3(SYS_lab, op, a, b);
}
int64_t vt_sys_nprocs(void)
{
	return VT_SYS0(SYS_nprocs);
}
int64_t vt_sys_sync(void)
{
	return VT_SYS0(SYS_sync);
}
int64_t vt_sys_reboot(int code)
{
	return VT_SYS1(SYS_reboot, code);
}
