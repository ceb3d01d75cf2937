/*
 * kernel.h - the interfaces between the guest kernel's subsystems.
 *
 * Ownership (one engineer per group; see README.md):
 *   core   boot, traps, SMP, scheduler, processes and threads, syscalls
 *          dispatch, exec, pipes, console, futex, time  (core/)
 *   mm     page allocator, kmalloc, address spaces, page faults, COW, the
 *          two MMU back ends (Sv39, Svtlb) and shootdowns          (mm/)
 *   fs     block drivers (emulated, paravirtual), buffer/page cache, the
 *          file system and the file-related syscalls               (fs/)
 * Each group calls the others only through this header.  Everything here is
 * S-mode kernel code for the vtlab machine (docs/platform.md, devices.md).
 *
 * Kernel virtual memory: all of RAM is mapped at KERNBASE + physical
 * address (Sv39: the top half; Svtlb: region 7, VHPT walker off, identity
 * translations inserted by the Alt-DTLB/ITLB handlers and TRs for the
 * kernel image).  Devices are reached at IOBASE + physical address
 * (Svtlb: region 6, uncacheable, VHPT walker off, so its misses are
 * Alt-DTLB faults; Sv39: mapped like RAM).  User space is [USER_BASE,
 * USER_TOP) in region 0 (Svtlb) / the bottom half (Sv39).
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtlab/abi.h"

/* ---- layout ---- */
#define KERNBASE 0xffffffc000000000ull /* canonical Sv39 top half; Svtlb region 7, implemented */
#define IOBASE 0xdfffffc000000000ull   /* Svtlb region 6 (uncacheable); Sv39: see mm/ */
#define USER_BASE 0x10000ull
#define USER_TOP 0x3f00000000ull /* below 2^38: one Sv39 half, Svtlb region 0 */
#define USER_STACK_TOP USER_TOP
#define PAGE_SIZE 4096ull
#define PGROUNDUP(a) (((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PAGE_SIZE - 1))
#define P2V(pa) ((void *)((uint64_t)(pa) + KERNBASE))
#define V2P(va) ((uint64_t)(va)-KERNBASE)
#define MAXCPU 8

/* ---- build variants ---- */
/* KERNEL_PV: the paravirtual build (hypercalls for TLB operations, the
 * paravirtual block ring); otherwise the unmodified kernel, which must not
 * detect whether it runs under a hypervisor. */

/* ---- klib (core/klib.c, core/printf.c) ---- */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define KASSERT(c)                                                                                 \
	do {                                                                                       \
		if (!(c))                                                                          \
			panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);             \
	} while (0)
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *d, const char *s, size_t n);

/* ---- locks (core/lock.c) ---- */
struct spinlock {
	volatile uint32_t locked;
	int cpu; /* holder, for debugging; -1 when free */
	const char *name;
};
void spin_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l); /* disables interrupts (nesting counted per CPU) */
void spin_unlock(struct spinlock *l);
bool spin_holding(struct spinlock *l);
/* Sleep locks: may be held across a sleep (core/lock.c). */
struct sleeplock {
	struct spinlock lk;
	bool locked;
	int tid;
};
void sleep_init(struct sleeplock *l, const char *name);
void sleep_lock(struct sleeplock *l);
void sleep_unlock(struct sleeplock *l);

/* ---- CPUs (core/smp.c) ---- */
struct thread;
struct cpu {
	unsigned id;           /* hart id */
	struct thread *thread; /* running thread, or NULL (idle) */
	int noff;              /* spin_lock nesting */
	bool intena;           /* interrupts were enabled before the first spin_lock */
	void *scheduler_ctx;   /* core's */
	uint64_t ipi_pending;  /* IPI_* bits */
	struct mm_cpu *mm;     /* mm's per-CPU state (current address space, VHPT...) */
};
struct cpu *mycpu(void);
unsigned ncpus(void);
#define IPI_RESCHED 1u
#define IPI_TLB 2u /* mm's shootdown request */
void ipi_send(unsigned cpu, unsigned what);

/* ---- time (core/time.c) ---- */
uint64_t time_now_ns(void); /* modeled time since boot (rdtime) */

/* ---- processes and threads (core/proc.c) ---- */
#define NOFILE 64
struct file;
struct aspace;
struct proc {
	int pid;
	struct proc *parent;
	struct aspace *as; /* mm's address space */
	struct file *ofile[NOFILE];
	struct inode *cwd; /* fs's */
	char name[32];
	/* core-private fields follow in core/proc.h */
};
struct thread {
	int tid;
	struct proc *proc;
	/* core-private fields follow in core/proc.h */
};
struct thread *mythread(void);
struct proc *myproc(void);
/* Sleep on chan, releasing lk while asleep (lk is re-taken on wakeup). */
void sleep_on(void *chan, struct spinlock *lk);
void wakeup(void *chan);
/* Ends the current process because of a fault (prints "pid N (name):
 * killed: REASON at pc 0x..." and reports status `sig` to the parent). */
_Noreturn void proc_kill_self(int sig, const char *reason, uint64_t pc, uint64_t addr);

/* Copying between kernel and user memory of the current process: these
 * fault in pages as needed and return 0, or -VTLAB_EFAULT on a bad address. */
int copyin(void *dst, uint64_t usrc, size_t n);
int copyout(uint64_t udst, const void *src, size_t n);
int copyinstr(char *dst, uint64_t usrc, size_t max); /* -VTLAB_ENAMETOOLONG if no NUL */

/* ---- memory (mm/) ---- */
void mm_init(uint64_t ram_base, uint64_t ram_size, uint64_t kernel_end_pa); /* boot CPU */
void mm_init_cpu(void); /* every CPU, turns on translation */
void *page_alloc(void); /* one zeroed 4 KiB page (kernel va), NULL if none */
void page_free(void *va);
void *kmalloc(size_t n); /* small objects, NULL if none */
void kfree(void *p);
uint64_t mm_free_pages(void);

struct aspace *as_create(void);                /* empty user address space */
struct aspace *as_fork(struct aspace *parent); /* copy-on-write copy */
void as_destroy(struct aspace *as);
void as_activate(struct aspace *as); /* on this CPU (context switch) */
/* Maps [va, va+len) as anonymous zero-fill demand-paged memory with prot
 * (VTLAB_PROT_*); MAP_FIXED semantics if fixed, else picks an address.
 * Returns the address or -errno. */
int64_t as_map_anon(struct aspace *as, uint64_t va, uint64_t len, int prot, bool fixed);
/* munmap: 0, -EINVAL, or -ENOMEM with nothing unmapped (an area holding
 * the range whole must be split and there is no memory for it). */
int as_unmap(struct aspace *as, uint64_t va, uint64_t len);
/* Copies bytes into the address space (exec's loader), allocating pages. */
int as_write(struct aspace *as, uint64_t va, const void *src, size_t n);
int as_read(struct aspace *as, uint64_t va, void *dst, size_t n);
int64_t as_brk(struct aspace *as, uint64_t new_brk); /* 0: query; returns the break */
void as_set_brk_base(struct aspace *as, uint64_t base);
/* Page fault / TLB miss from U or S mode at va (scause given); returns 0
 * when resolved, or a VTLAB_SIG* signal for the process. */
int mm_fault(uint64_t scause, uint64_t va, uint64_t sepc, bool user);
/* Svtlb miss traps (causes 24-31, 48) go here too; mm decides. */
void mm_tlb_ipi(void); /* IPI_TLB received */
/* Boot option mmtest=1: every CPU calls it after mm_init_cpu() (stvec set,
 * interrupts off); CPU 0 runs mm's self-tests, prints "mmtest: N passed, M
 * failed" and powers off (exit code 0 only if none failed) (mm/mmtest.c). */
_Noreturn void mm_selftest(void);

/* ---- files (core/file.c: the fd layer; fs/: inode files) ---- */
struct file_ops {
	int64_t (*read)(struct file *f, uint64_t ubuf, size_t n);
	int64_t (*write)(struct file *f, uint64_t ubuf, size_t n);
	int64_t (*lseek)(struct file *f, int64_t off, int whence);
	int (*stat)(struct file *f, struct vtlab_stat *st);
	void (*close)(struct file *f);
};
struct file {
	const struct file_ops *ops;
	int ref;   /* protected by the file table lock */
	int flags; /* VTLAB_O_* */
	uint64_t off;
	void *priv; /* inode, pipe, ... */
};
struct file *file_alloc(const struct file_ops *ops, void *priv, int flags);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int fd_install(struct proc *p, struct file *f); /* lowest free fd, or -VTLAB_EMFILE */
/* The current process's file on fd with a new reference (a close() by
 * another thread cannot free it during the call), or NULL; the caller
 * gives it back with file_close(). */
struct file *fd_ref(int fd);

/* ---- file system (fs/) ---- */
struct inode;
void fs_init(void); /* mounts the root file system from the block device */
/* The file syscalls, called by core's dispatcher with the raw arguments. */
int64_t sys_openat(int dirfd, uint64_t upath, int flags, int mode);
int64_t sys_mkdirat(int dirfd, uint64_t upath, int mode);
int64_t sys_unlinkat(int dirfd, uint64_t upath, int flags);
int64_t sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags);
int64_t sys_getdents64(int fd, uint64_t ubuf, size_t n);
int64_t sys_ftruncate(int fd, int64_t len);
int64_t sys_fsync(int fd);
int64_t sys_chdir(uint64_t upath);
int64_t sys_getcwd(uint64_t ubuf, size_t n);
int64_t sys_sync(void);
/* For exec: opens path (kernel string) read-only, reads at an offset. */
struct inode *fs_namei(const char *path);
int64_t fs_readi(struct inode *ip, void *dst, uint64_t off, size_t n);
uint64_t fs_size(struct inode *ip);
/* Gives back up to npages page-cache pages to the allocator (the least
 * recently used unheld ones, dirty ones written back first); returns how
 * many were freed.  Nothing calls it when page_alloc() finds no page (mm
 * allocates with spinlocks held, and eviction sleeps): the page cache is
 * bounded instead, to a quarter of the free memory at mount (fs/pcache.c);
 * the self-test uses it (fs/selftest.c). */
uint64_t fs_reclaim(uint64_t npages);
struct inode *fs_idup(struct inode *ip);
void fs_iput(struct inode *ip);
/* p's cwd with a new reference, or NULL (fork; another thread of p may
 * chdir at the same time, so p->cwd is read under fs's lock). */
struct inode *fs_cwd_ref(struct proc *p);

/* ---- block device (fs/blk_*.c): the emulated controller, or the
 * paravirtual ring in the KERNEL_PV build; synchronous ---- */
int blk_init(void);
uint64_t blk_sectors(void);
int blk_read(uint64_t sector, void *buf, uint32_t nsectors);
int blk_write(uint64_t sector, const void *buf, uint32_t nsectors);

/* ---- devices (core/) ---- */
/* External interrupts (core/trap.c): routes PLIC source src (1..31) to fn,
 * called from the S-mode external-interrupt trap after the claim; and one
 * claim/handle/complete round, for a caller that waits with interrupts
 * masked (returns the source handled, 0 if none). */
void trap_set_external(unsigned src, void (*fn)(void));
unsigned trap_external(void);
void console_putc(char c);
void lab_op(int op, uint64_t a, uint64_t b); /* the lab device (SYS_lab) */
void *io_map(uint64_t pa);                   /* device registers at IOBASE + pa */
/* Boot options: the value of `key=value` in the run's argument string
 * (lab device ARGS), or NULL; e.g. boot_option("mmu") (core/main.c). */
const char *boot_option(const char *key);

#endif
