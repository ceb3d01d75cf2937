/*
 * proc.h - core-private parts of processes, threads and CPUs.
 *
 * struct kproc / struct kthread begin with kernel.h's struct proc /
 * struct thread (the part mm and fs see); core converts with KP()/KT().
 * Tables are static and the kernel stacks live in .bss (core/BOOT.md:
 * the image never faults under Svtlb).  One lock, proc_lock, protects the
 * process and thread tables, every thread's state and the run queue (a
 * single FIFO: with a deterministic machine the schedule is
 * deterministic).  Design after xv6-riscv (sched/swtch/scheduler per CPU).
 */
#ifndef CORE_PROC_H
#define CORE_PROC_H

#include "kernel.h"
#include "riscv.h"

#define NPROC 64
#define NTHREAD 128
#define KSTACK_SIZE 16384
#define TICK_NS 10000000ull /* preemption tick: 10 ms of modeled time */

struct context {
	uint64_t ra, sp, s[12];
};

enum tstate { T_UNUSED, T_EMBRYO, T_RUNNABLE, T_RUNNING, T_SLEEPING, T_ZOMBIE };
enum pstate { P_UNUSED, P_EMBRYO, P_ALIVE, P_ZOMBIE, P_REAPING };

struct kthread {
	struct thread pub;
	enum tstate state;
	void *chan;       /* sleeping on */
	uint64_t wake_at; /* timed sleep deadline (ns), 0 = none */
	struct context ctx;
	uint8_t *kstack;       /* KSTACK_SIZE bytes */
	struct trapframe *utf; /* user frame, at the top of kstack */
	struct kthread *rq_next;
	bool preemptible;    /* kernel thread preempted in S-mode too (ktest) */
	bool joining;        /* someone waits in thread_join */
	void (*kfn)(void *); /* kernel thread body, or NULL: user thread */
	void *karg;
	uint64_t retval; /* SYS_exit value, for thread_join */
	void *futex_as;  /* futex wait key (futex.c) */
	uint64_t futex_addr;
	bool futex_waiting;
	unsigned last_cpu;
};

struct kproc {
	struct proc pub;
	enum pstate state;
	int xstatus;      /* wait4 status once dying */
	bool dying;       /* exit_group / kill / fault: every thread must end */
	int nthreads;     /* live (not zombie) threads */
	uint64_t cloexec; /* bit fd: close on exec */
};

struct cpu_core {
	struct context sched_ctx;
	bool need_resched;
	bool idle;              /* in the scheduler's wfi, with nothing to run */
	struct aspace *cur_as;  /* last as_activate()d on this CPU */
	uint64_t ipis_received; /* for tests */
	uint64_t ticks;
};

#define KT(t) ((struct kthread *)(t))
#define KP(p) ((struct kproc *)(p))

extern struct spinlock proc_lock;
extern struct kproc procs[NPROC];
extern struct kthread threads[NTHREAD];
extern struct cpu cpus[MAXCPU];
extern struct cpu_core cpu_core[MAXCPU];
extern struct kproc *initproc;

/* One-line helpers, kept as a table. */
/* clang-format off */
static inline struct kthread *mykthread(void) { return KT(mythread()); }
static inline struct kproc *mykproc(void) { return KP(myproc()); }
static inline struct cpu_core *mycore(void) { return &cpu_core[mycpu()->id]; }
/* clang-format on */

/* proc.c (scheduler) */
void proc_init(void);
struct kproc *proc_alloc(void);                /* proc_lock held; P_EMBRYO */
struct kthread *thread_alloc(struct kproc *p); /* proc_lock held; T_EMBRYO */
void thread_free(struct kthread *t);           /* proc_lock held */
void make_runnable(struct kthread *t);         /* proc_lock held */
void wakeup_locked(void *chan);                /* proc_lock held */
void sched(void);                              /* proc_lock held, state set */
void yield(void);
_Noreturn void scheduler(void);
/* Sleep until wakeup(chan) or modeled time deadline_ns (0 = none). */
void sleep_on_until(void *chan, struct spinlock *lk, uint64_t deadline_ns);
/* The same, interruptible: returns false at once, without sleeping, if
 * the process is dying (checked under proc_lock, so a kill is never
 * missed); callers loop on their condition and thread_killed(). */
bool sleep_intr_until(void *chan, struct spinlock *lk, uint64_t deadline_ns);
void timer_wakeups(void); /* from the tick */
struct kthread *kthread_spawn(struct kproc *p, void (*fn)(void *), void *arg, bool preemptible);
bool thread_killed(void);         /* its process is dying */
struct kproc *proc_find(int pid); /* proc_lock held */

/* exit.c */
_Noreturn void thread_exit(uint64_t retval); /* SYS_exit */
_Noreturn void proc_exit(int status);        /* exit_group, kill: status = wait4's */
int64_t sys_wait4(int pid, uint64_t ustatus, int options);
int64_t sys_kill(int pid, int sig);
int64_t sys_thread_join(int tid, uint64_t uretval);

/* fork.c, exec.c */
int64_t sys_fork(void);
int64_t sys_thread_create(uint64_t entry, uint64_t arg, uint64_t stack_top);
int64_t sys_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp);
int64_t kexec(const char *path, char *const argv[], char *const envp[]);

/* smp.c */
void smp_init_cpu(unsigned id);
unsigned smp_probe_harts(void);
void ipi_handle(void);

/* trap.c / time.c */
void timer_start(void);
void timer_tick(void);
void trap_init_cpu(void);
uint64_t time_ns_from_ticks(uint64_t t);

/* futex.c */
int64_t futex_wait(void *as, uint64_t uaddr, const volatile uint32_t *kaddr, uint32_t val,
		   uint64_t timeout_ns);
int64_t futex_wake(void *as, uint64_t uaddr, int n);
int64_t sys_futex(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout);

/* file.c, pipe.c, console.c, lab.c */
extern const struct file_ops console_ops;
void file_init(void);
void fd_close_all(struct proc *p);
void fd_close_on_exec(struct kproc *p);
void fd_fork(struct kproc *parent, struct kproc *child); /* dups the descriptors */
int64_t sys_pipe2(uint64_t ufds, int flags);
int pipe_create(struct file **rf, struct file **wf, int flags);
size_t lab_args(char *buf, size_t n);
void console_write_locked(const char *s, size_t n);

/* syscall.c */
void syscall_dispatch(struct trapframe *tf);

/* main.c */
extern bool kdebug;

/* ktest.c */
_Noreturn void ktest_run(void *arg);

#endif
