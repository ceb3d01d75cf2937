/*
 * posix_proc.c - processes and memory break: _exit, fork, execve, execv,
 * wait, waitpid, getpid, getppid, kill, sched_yield, sbrk, brk, and the
 * vtlab extras vt_nprocs, vt_gettid, vt_reboot.  Errors: -1 and errno.
 *
 * Wait statuses are Linux's encoding (abi.h), which is also the one
 * picolibc's <sys/wait.h> macros decode (WIFEXITED, WEXITSTATUS,
 * WIFSIGNALED, WTERMSIG).  Signal numbers are not: the kernel's are
 * Linux's, picolibc's <signal.h> has the BSD ones (SIGBUS 10, SIGUSR1 30),
 * so kill() and waitpid() translate through one table, both ways.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscall.h"
#include "ulib_private.h"
#include "vtlab.h"

void _exit(int code)
{
	vt_sys_exit_group(code);
}

/* Flushes stdout/stderr first (stdio.c), so the child does not print its
 * parent's pending output again. */
pid_t fork(void)
{
	vt_stdio_flush();
	pid_t pid = (pid_t)vt_ret(vt_sys_fork());
	if (pid == 0)
		vt_self_tid_reset();
	return pid;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)vt_ret(vt_sys_execve(path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Linux's number (asm-generic/signal.h) of each of picolibc's signals
 * 1-31.  The table is a permutation of 1-31, so every number kill() sends
 * comes back from waitpid() as itself: picolibc's SIGEMT and SIGLOST,
 * which Linux lacks, take the two Linux numbers no picolibc signal has
 * (16 SIGSTKFLT, 30 SIGPWR).  32-64 (real-time) are the same on both
 * sides. */
static const unsigned char sig_to_linux[32] = {
	[SIGHUP] = 1,     [SIGINT] = 2,   [SIGQUIT] = 3,   [SIGILL] = 4,   [SIGTRAP] = 5,
	[SIGABRT] = 6,    [SIGEMT] = 16,  [SIGFPE] = 8,    [SIGKILL] = 9,  [SIGBUS] = 7,
	[SIGSEGV] = 11,   [SIGSYS] = 31,  [SIGPIPE] = 13,  [SIGALRM] = 14, [SIGTERM] = 15,
	[SIGURG] = 23,    [SIGSTOP] = 19, [SIGTSTP] = 20,  [SIGCONT] = 18, [SIGCHLD] = 17,
	[SIGTTIN] = 21,   [SIGTTOU] = 22, [SIGIO] = 29,    [SIGXCPU] = 24, [SIGXFSZ] = 25,
	[SIGVTALRM] = 26, [SIGPROF] = 27, [SIGWINCH] = 28, [SIGLOST] = 30, [SIGUSR1] = 10,
	[SIGUSR2] = 12,
};

static int sig_linux(int sig)
{
	return sig > 0 && sig < 32 ? sig_to_linux[sig] : sig;
}

static int sig_picolibc(int linux_sig)
{
	for (int s = 1; s < 32; s++)
		if (sig_to_linux[s] == linux_sig)
			return s;
	return linux_sig;
}

/* A killed child's status carries the kernel's signal number in its low
 * 7 bits (WTERMSIG); the rest is unchanged. */
static int status_from_kernel(int st)
{
	if (!WIFSIGNALED(st))
		return st;
	return (st & ~0x7f) | sig_picolibc(WTERMSIG(st));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	int st = 0;
	long r = vt_ret(vt_sys_wait4(pid, &st, (options & WNOHANG) ? VTLAB_WNOHANG : 0, NULL));
	if (r > 0 && status)
		*status = status_from_kernel(st);
	return (pid_t)r;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t getpid(void)
{
	return (pid_t)vt_sys_getpid();
}

pid_t getppid(void)
{
	return (pid_t)vt_sys_getppid();
}

int vt_gettid(void)
{
	return (int)vt_sys_gettid();
}

int kill(pid_t pid, int sig)
{
	return (int)vt_ret(vt_sys_kill(pid, sig_linux(sig)));
}

int sched_yield(void)
{
	return (int)vt_ret(vt_sys_sched_yield());
}

int vt_nprocs(void)
{
	int64_t n = vt_sys_nprocs();
	return n > 0 ? (int)n : 1;
}

_Noreturn void vt_reboot(int code)
{
	vt_sys_reboot(code);
	vt_sys_exit_group(code); /* only if the kernel refused (not init) */
}

/* The program break the program sees (user_brk) and the one the kernel
 * has (kernel_brk, never below user_brk; 0: not asked yet).  sbrk grows the
 * kernel's break in steps of BRK_STEP, as glibc's malloc does with its top
 * pad, so a malloc that needs a few bytes more does not make a system call
 * each time; shrinking returns the pages to the kernel at once.  malloc calls sbrk under picolibc's libc lock, so no lock here. */
#define BRK_STEP (128u << 10)
static uint64_t user_brk, kernel_brk;

static int kernel_set_brk(uint64_t addr)
{
	int64_t r = vt_sys_brk(addr);
	if (r < 0 || (uint64_t)r != addr) {
		errno = ENOMEM;
		return -1;
	}
	kernel_brk = addr;
	return 0;
}

int brk(void *addr)
{
	if (kernel_set_brk((uint64_t)(uintptr_t)addr) < 0)
		return -1;
	user_brk = kernel_brk;
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	if (kernel_brk == 0) {
		int64_t r = vt_sys_brk(0);
		if (r <= 0) {
			errno = ENOMEM;
			return (void *)-1;
		}
		user_brk = kernel_brk = (uint64_t)r;
	}
	uint64_t old = user_brk, want = old + (uint64_t)incr;
	if (incr > 0 && want > kernel_brk) {
		uint64_t ahead = (want + BRK_STEP - 1) & ~(uint64_t)(BRK_STEP - 1);
		if (kernel_set_brk(ahead) < 0 && kernel_set_brk(want) < 0)
			return (void *)-1;
	} else if (incr < 0 && kernel_set_brk(want) < 0) {
		return (void *)-1; /* shrinking gives the pages back, as Linux's brk does */
	}
	user_brk = want;
	return (void *)(uintptr_t)old;
}
