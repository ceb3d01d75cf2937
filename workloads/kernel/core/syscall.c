/*
 * syscall.c - system-call dispatch (abi.h: number in a7, arguments in
 * a0-a5, result or -errno in a0): a table indexed by number for Linux
 * numbers, a switch for vtlab's own (0x1000+); unknown -> -ENOSYS.
 * Also the small process/time/lab calls.
 */
#include "proc.h"

#define NSYSCALL 1221
#define NS_PER_SEC 1000000000ull

typedef int64_t (*sysfn)(const uint64_t *a);

int64_t sys_read(int fd, uint64_t ubuf, size_t n);
int64_t sys_write(int fd, uint64_t ubuf, size_t n);
int64_t sys_lseek(int fd, int64_t off, int whence);
int64_t sys_fstat(int fd, uint64_t ustat);
int64_t sys_close(int fd);
int64_t sys_dup(int fd);
int64_t sys_dup3(int oldfd, int newfd, int flags);

/* One-line helpers, kept as a table. */
/* clang-format off */
static int64_t s_getcwd(const uint64_t *a) { return sys_getcwd(a[0], a[1]); }
static int64_t s_dup(const uint64_t *a) { return sys_dup((int)a[0]); }
static int64_t s_dup3(const uint64_t *a) { return sys_dup3((int)a[0], (int)a[1], (int)a[2]); }
static int64_t s_mkdirat(const uint64_t *a) { return sys_mkdirat((int)a[0], a[1], (int)a[2]); }
static int64_t s_unlinkat(const uint64_t *a) { return sys_unlinkat((int)a[0], a[1], (int)a[2]); }
static int64_t s_ftruncate(const uint64_t *a) { return sys_ftruncate((int)a[0], (int64_t)a[1]); }
static int64_t s_chdir(const uint64_t *a) { return sys_chdir(a[0]); }
/* clang-format on */
static int64_t s_openat(const uint64_t *a)
{
	return sys_openat((int)a[0], a[1], (int)a[2], (int)a[3]);
}
/* One-line helpers, kept as a table. */
/* clang-format off */
static int64_t s_close(const uint64_t *a) { return sys_close((int)a[0]); }
static int64_t s_pipe2(const uint64_t *a) { return sys_pipe2(a[0], (int)a[1]); }
static int64_t s_getdents64(const uint64_t *a) { return sys_getdents64((int)a[0], a[1], a[2]); }
static int64_t s_lseek(const uint64_t *a) { return sys_lseek((int)a[0], (int64_t)a[1], (int)a[2]); }
static int64_t s_read(const uint64_t *a) { return sys_read((int)a[0], a[1], a[2]); }
static int64_t s_write(const uint64_t *a) { return sys_write((int)a[0], a[1], a[2]); }
/* clang-format on */
static int64_t s_newfstatat(const uint64_t *a)
{
	return sys_newfstatat((int)a[0], a[1], a[2], (int)a[3]);
}
/* One-line helpers, kept as a table. */
/* clang-format off */
static int64_t s_fstat(const uint64_t *a) { return sys_fstat((int)a[0], a[1]); }
static int64_t s_fsync(const uint64_t *a) { return sys_fsync((int)a[0]); }
static int64_t s_exit(const uint64_t *a) { thread_exit(a[0] & 0xff); }
static int64_t s_exit_group(const uint64_t *a) { proc_exit(VTLAB_W_EXITCODE((int)a[0])); }
static int64_t s_futex(const uint64_t *a) { return sys_futex(a[0], (int)a[1], (uint32_t)a[2], a[3]); }
/* clang-format on */
static int64_t s_sched_yield(const uint64_t *a)
{
	(void)a;
	yield();
	return 0;
}
static int64_t s_kill(const uint64_t *a)
{
	return sys_kill((int)a[0], (int)a[1]);
}
static int64_t s_getpid(const uint64_t *a)
{
	(void)a;
	return myproc()->pid;
}
static int64_t s_getppid(const uint64_t *a)
{
	(void)a;
	struct proc *p = myproc();
	spin_lock(&proc_lock);
	int ppid = p->parent ? p->parent->pid : 0;
	spin_unlock(&proc_lock);
	return ppid;
}
static int64_t s_gettid(const uint64_t *a)
{
	(void)a;
	return mythread()->tid;
}
/* One-line helpers, kept as a table. */
/* clang-format off */
static int64_t s_brk(const uint64_t *a) { return as_brk(myproc()->as, a[0]); }
static int64_t s_munmap(const uint64_t *a) { return as_unmap(myproc()->as, a[0], a[1]); }
/* clang-format on */
static int64_t s_fork(const uint64_t *a)
{
	(void)a;
	return sys_fork();
}
/* One-line helpers, kept as a table. */
/* clang-format off */
static int64_t s_execve(const uint64_t *a) { return sys_execve(a[0], a[1], a[2]); }
static int64_t s_wait4(const uint64_t *a) { return sys_wait4((int)a[0], a[1], (int)a[2]); }
/* clang-format on */

/* mmap: anonymous private (or shared: same thing without fork sharing)
 * memory only; file mappings are not supported. */
static int64_t s_mmap(const uint64_t *a)
{
	uint64_t addr = a[0], len = a[1];
	int prot = (int)a[2], flags = (int)a[3];
	if (!(flags & VTLAB_MAP_ANONYMOUS))
		return -VTLAB_ENOSYS;
	if (len == 0 || (prot & ~(VTLAB_PROT_READ | VTLAB_PROT_WRITE | VTLAB_PROT_EXEC)))
		return -VTLAB_EINVAL;
	if ((flags & VTLAB_MAP_FIXED) && (addr & (PAGE_SIZE - 1)))
		return -VTLAB_EINVAL;
	return as_map_anon(myproc()->as, addr, PGROUNDUP(len), prot,
			   (flags & VTLAB_MAP_FIXED) != 0);
}

static int64_t s_nanosleep(const uint64_t *a)
{
	struct vtlab_timespec ts;
	if (copyin(&ts, a[0], sizeof ts) < 0)
		return -VTLAB_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_SEC)
		return -VTLAB_EINVAL;
	uint64_t deadline = time_now_ns() + (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	spin_lock(&proc_lock);
	while (time_now_ns() < deadline && !thread_killed())
		sleep_on_until(&proc_lock, &proc_lock, deadline);
	spin_unlock(&proc_lock);
	return time_now_ns() < deadline ? -VTLAB_EINTR : 0;
}

static int64_t s_clock_gettime(const uint64_t *a)
{
	if (a[0] != VTLAB_CLOCK_REALTIME && a[0] != VTLAB_CLOCK_MONOTONIC)
		return -VTLAB_EINVAL;
	uint64_t ns = time_now_ns();
	struct vtlab_timespec ts = { (int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC) };
	return copyout(a[1], &ts, sizeof ts);
}

static const sysfn table[NSYSCALL] = {
	[SYS_getcwd] = s_getcwd,
	[SYS_dup] = s_dup,
	[SYS_dup3] = s_dup3,
	[SYS_mkdirat] = s_mkdirat,
	[SYS_unlinkat] = s_unlinkat,
	[SYS_ftruncate] = s_ftruncate,
	[SYS_chdir] = s_chdir,
	[SYS_openat] = s_openat,
	[SYS_close] = s_close,
	[SYS_pipe2] = s_pipe2,
	[SYS_getdents64] = s_getdents64,
	[SYS_lseek] = s_lseek,
	[SYS_read] = s_read,
	[SYS_write] = s_write,
	[SYS_newfstatat] = s_newfstatat,
	[SYS_fstat] = s_fstat,
	[SYS_fsync] = s_fsync,
	[SYS_exit] = s_exit,
	[SYS_exit_group] = s_exit_group,
	[SYS_futex] = s_futex,
	[SYS_nanosleep] = s_nanosleep,
	[SYS_clock_gettime] = s_clock_gettime,
	[SYS_sched_yield] = s_sched_yield,
	[SYS_kill] = s_kill,
	[SYS_getpid] = s_getpid,
	[SYS_getppid] = s_getppid,
	[SYS_gettid] = s_gettid,
	[SYS_munmap] = s_munmap,
	[SYS_brk] = s_brk,
	[SYS_fork] = s_fork,
	[SYS_execve] = s_execve,
	[SYS_mmap] = s_mmap,
	[SYS_wait4] = s_wait4,
};

/* SYS_lab: (op, a, b); METRIC a = user name string, b = value. */
static int64_t sys_lab(int op, uint64_t a, uint64_t b)
{
	char name[64];
	switch (op) {
	case VTLAB_LAB_METRIC: {
		int r = copyinstr(name, a, sizeof name);
		if (r < 0 && r != -VTLAB_ENAMETOOLONG)
			return r;
		lab_op(op, (uint64_t)name, b);
		return 0;
	}
	case VTLAB_LAB_DIGEST:
	case VTLAB_LAB_MARKER: lab_op(op, a, 0); return 0;
	case VTLAB_LAB_ARGS: {
		char buf[2048];
		size_t len = lab_args(buf, sizeof buf);
		size_t n = len + 1 < b ? len + 1 : b;
		if (n && copyout(a, buf, n) < 0)
			return -VTLAB_EFAULT;
		return (int64_t)len;
	}
	default: return -VTLAB_EINVAL;
	}
}

static int64_t sys_reboot(int code)
{
#ifndef CORE_STANDALONE
	sys_sync();
#endif
	kprintf("reboot: power off with code %d\n", code);
	machine_poweroff(code);
}

static int64_t vtlab_call(uint64_t nr, const uint64_t *a)
{
	switch (nr) {
	case SYS_thread_create: return sys_thread_create(a[0], a[1], a[2]);
	case SYS_thread_join: return sys_thread_join((int)a[0], a[1]);
	case SYS_lab: return sys_lab((int)a[0], a[1], a[2]);
	case SYS_nprocs: return ncpus();
	case SYS_sync: return sys_sync();
	case SYS_reboot: return sys_reboot((int)a[0]);
	default: return -VTLAB_ENOSYS;
	}
}

void syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->regs[REG_A7];
	const uint64_t *a = &tf->regs[REG_A0];
	int64_t r;
	if (nr < NSYSCALL && table[nr])
		r = table[nr](a);
	else
		r = vtlab_call(nr, a);
	if (kdebug)
		kprintf("[pid %d tid %d] syscall %lu -> %ld\n", myproc()->pid, mythread()->tid,
			(unsigned long)nr, (long)r);
	tf->regs[REG_A0] = (uint64_t)r;
}
