/*
 * vtlab.h - the user runtime of the vtlab guest (libvtlab.a), on top of
 * picolibc.
 *
 * Contract: programs include picolibc's headers (<stdio.h>, <unistd.h>,
 * <fcntl.h>, <sys/stat.h>, <sys/wait.h>, <time.h>) with their usual
 * meanings: libvtlab implements the POSIX functions behind them over the
 * kernel's system calls (workloads/include/vtlab/abi.h), translating
 * picolibc's flag, errno, clock and stat values to and from the kernel's
 * Linux ones.  This header adds what picolibc does not declare (mmap,
 * directories, threads, futex-based mutexes, the lab device) and the raw
 * system calls, vt_sys_*(), which return the kernel's value unchanged
 * (>= 0, or -VTLAB_E*) for programs that test exact error returns.
 */
#ifndef VTLAB_ULIB_H
#define VTLAB_ULIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vtlab/abi.h"

struct timespec;

/* ---- raw system calls: one per call of abi.h, result as the kernel returns it ---- */
int64_t vt_sys_getcwd(char *buf, size_t n);
int64_t vt_sys_dup(int fd);
int64_t vt_sys_dup3(int oldfd, int newfd, int flags);
int64_t vt_sys_mkdirat(int dirfd, const char *path, int mode);
int64_t vt_sys_unlinkat(int dirfd, const char *path, int flags);
int64_t vt_sys_ftruncate(int fd, int64_t len);
int64_t vt_sys_chdir(const char *path);
int64_t vt_sys_openat(int dirfd, const char *path, int flags, int mode); /* VTLAB_O_* flags */
int64_t vt_sys_close(int fd);
int64_t vt_sys_pipe2(int fds[2], int flags);
int64_t vt_sys_getdents64(int fd, void *buf, size_t n);
int64_t vt_sys_lseek(int fd, int64_t off, int whence);
int64_t vt_sys_read(int fd, void *buf, size_t n);
int64_t vt_sys_write(int fd, const void *buf, size_t n);
int64_t vt_sys_newfstatat(int dirfd, const char *path, struct vtlab_stat *st, int flags);
int64_t vt_sys_fstat(int fd, struct vtlab_stat *st);
int64_t vt_sys_fsync(int fd);
_Noreturn void vt_sys_exit(int code);       /* this thread */
_Noreturn void vt_sys_exit_group(int code); /* the whole process */
int64_t vt_sys_futex(volatile uint32_t *addr, int op, uint32_t val,
		     const struct vtlab_timespec *timeout);
int64_t vt_sys_nanosleep(const struct vtlab_timespec *req, struct vtlab_timespec *rem);
int64_t vt_sys_clock_gettime(int clock, struct vtlab_timespec *ts); /* VTLAB_CLOCK_* */
int64_t vt_sys_sched_yield(void);
int64_t vt_sys_kill(int pid, int sig);
int64_t vt_sys_getpid(void);
int64_t vt_sys_getppid(void);
int64_t vt_sys_gettid(void);
int64_t vt_sys_munmap(void *addr, size_t len);
int64_t vt_sys_brk(uint64_t addr); /* returns the (new) break; 0 queries */
int64_t vt_sys_fork(void);
int64_t vt_sys_execve(const char *path, char *const argv[], char *const envp[]);
int64_t vt_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off);
int64_t vt_sys_wait4(int pid, int *status, int options, void *rusage);
int64_t vt_sys_thread_create(void (*entry)(void *), void *arg, void *stack_top);
int64_t vt_sys_thread_join(int tid, uint64_t *retval);
int64_t vt_sys_lab(int op, uint64_t a, uint64_t b);
int64_t vt_sys_nprocs(void);
int64_t vt_sys_sync(void);
int64_t vt_sys_reboot(int code);

/* ---- memory mappings (Linux semantics; -1/errno on error) ---- */
#define PROT_NONE 0
#define PROT_READ VTLAB_PROT_READ
#define PROT_WRITE VTLAB_PROT_WRITE
#define PROT_EXEC VTLAB_PROT_EXEC
#define MAP_SHARED VTLAB_MAP_SHARED
#define MAP_PRIVATE VTLAB_MAP_PRIVATE
#define MAP_FIXED VTLAB_MAP_FIXED
#define MAP_ANONYMOUS VTLAB_MAP_ANONYMOUS
#define MAP_ANON MAP_ANONYMOUS
#define MAP_FAILED ((void *)-1)
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);

/* ---- processes (POSIX names; picolibc declares fork, execve, wait...) ---- */
int execv(const char *path, char *const argv[]);
int sched_yield(void); /* <sched.h> declares it only with _POSIX_THREADS */
int vt_nprocs(void);   /* online vCPUs */
int vt_gettid(void);
int sync_fs(void); /* SYS_sync: every dirty buffer and page to disk */
_Noreturn void vt_reboot(int code);

/* ---- directories (over getdents64; picolibc's <dirent.h> is a stub: do
 * not include it) ---- */
struct dirent {
	uint64_t d_ino;
	unsigned char d_type; /* DT_DIR 4, DT_REG 8 */
	char d_name[256];
};
#define DT_DIR 4
#define DT_REG 8
typedef struct vt_dir DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d); /* NULL at the end (errno unchanged) or on error */
int closedir(DIR *d);

/* ---- time ---- */
/* picolibc defines CLOCK_MONOTONIC (as 4) only with _POSIX_MONOTONIC_CLOCK;
 * the kernel has the clock (clock_gettime translates the value). */
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
/* <time.h> declares these only with _POSIX_TIMERS: */
int clock_gettime(clockid_t clock, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
uint64_t vt_now_ns(void); /* CLOCK_MONOTONIC in nanoseconds (modeled time) */

/* ---- threads: share the address space; each has its own stack and TLS ---- */
typedef struct vt_thread *vt_thread_t;
/* Runs fn(arg) in a new thread; 0, or -1 and errno. */
int vt_thread_create(vt_thread_t *t, void *(*fn)(void *), void *arg);
/* Waits for t to end, stores fn's return value in *ret (if ret); frees t. */
int vt_thread_join(vt_thread_t t, void **ret);
_Noreturn void vt_thread_exit(void *ret);

/* futex: wait while *addr == val (0, or -VTLAB_EAGAIN if it differs);
 * wake up to n waiters (returns how many). */
int vt_futex_wait(volatile uint32_t *addr, uint32_t val);
int vt_futex_wake(volatile uint32_t *addr, int n);

/* A mutex (Drepper's three states: 0 free, 1 locked, 2 locked with
 * waiters, "Futexes are tricky", 2011) and a condition variable (a
 * sequence number waited on with the futex).  Zero-initialised = ready. */
typedef struct {
	volatile uint32_t state;
} vt_mutex_t;
typedef struct {
	volatile uint32_t seq;
} vt_cond_t;
#define VT_MUTEX_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}
#define VT_COND_INIT                                                                               \
	{                                                                                          \
		0                                                                                  \
	}
void vt_mutex_lock(vt_mutex_t *m);
int vt_mutex_trylock(vt_mutex_t *m); /* 1 when taken */
void vt_mutex_unlock(vt_mutex_t *m);
void vt_cond_wait(vt_cond_t *c, vt_mutex_t *m);
void vt_cond_signal(vt_cond_t *c);
void vt_cond_broadcast(vt_cond_t *c);

/* A reusable barrier for n threads. */
typedef struct {
	vt_mutex_t m;
	vt_cond_t c;
	unsigned n, waiting, generation;
} vt_barrier_t;
void vt_barrier_init(vt_barrier_t *b, unsigned n);
void vt_barrier_wait(vt_barrier_t *b);

/* ---- lab reporting (SYS_lab -> the lab device, docs/devices.md section 7) ---- */
void vt_lab_metric(const char *name, double value); /* stored in millionths */
void vt_lab_digest(uint64_t digest);
void vt_lab_marker(uint64_t marker);
/* Copies the run's argument string (NUL-terminated, truncated to n-1);
 * returns its full length, or -1 and errno. */
long vt_lab_args(char *buf, size_t n);

/* ---- output digest: a fast deterministic 64-bit checksum whose value
 * does not depend on how the data is split between updates ---- */
typedef struct {
	uint64_t h;
	uint64_t pending; /* up to 7 bytes not yet mixed */
	unsigned npending;
	uint64_t length;
} vt_digest_t;
void vt_digest_init(vt_digest_t *d);
void vt_digest_update(vt_digest_t *d, const void *data, size_t n);
uint64_t vt_digest_final(const vt_digest_t *d);
uint64_t vt_digest(const void *data, size_t n); /* one-shot */

#endif
