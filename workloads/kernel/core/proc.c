/*
 * proc.c - process and thread tables, the run queue and the per-CPU
 * scheduler, sleep/wakeup, kernel threads (contract: proc.h, kernel.h).
 *
 * Scheduling: one FIFO run queue under proc_lock; each CPU's scheduler()
 * takes the head, activates its address space (as_activate, only when it
 * changes; NULL for kernel threads and when idle, so that a CPU never
 * keeps the address space of a process that may be reaped) and swtch()es
 * to it.  A thread gives the CPU back through sched() with proc_lock held
 * (xv6-riscv's discipline); preemption: the timer tick sets need_resched,
 * honoured on return to U-mode (and in S-mode for preemptible kernel
 * threads).
 */
#include "proc.h"

struct spinlock proc_lock = { 0, -1, "proc" };
struct kproc procs[NPROC];
struct kthread threads[NTHREAD];
struct kproc *initproc;
static uint8_t kstacks[NTHREAD][KSTACK_SIZE] __attribute__((aligned(16)));
static struct kthread *rq_head, *rq_tail;
static int next_pid = 1, next_tid = 1;

void swtch(struct context *old, struct context *new);
static void thread_entry(void);

void proc_init(void)
{
	for (int i = 0; i < NTHREAD; i++) {
		threads[i].kstack = kstacks[i];
		threads[i].utf = (struct trapframe *)(kstacks[i] + KSTACK_SIZE - TF_SIZE);
	}
	/* procs[0] is the kernel's own process (pid 0): kernel threads. */
	procs[0].state = P_ALIVE;
	procs[0].pub.pid = 0;
	strlcpy(procs[0].pub.name, "kernel", sizeof procs[0].pub.name);
}

struct kproc *proc_alloc(void)
{
	for (int i = 1; i < NPROC; i++) {
		struct kproc *p = &procs[i];
		if (p->state != P_UNUSED)
			continue;
		memset(p, 0, sizeof *p);
		p->state = P_EMBRYO;
		p->pub.pid = next_pid++;
		return p;
	}
	return NULL;
}

struct kthread *thread_alloc(struct kproc *p)
{
	for (int i = 0; i < NTHREAD; i++) {
		struct kthread *t = &threads[i];
		if (t->state != T_UNUSED)
			continue;
		uint8_t *ks = t->kstack;
		struct trapframe *utf = t->utf;
		memset(t, 0, sizeof *t);
		t->kstack = ks;
		t->utf = utf;
		t->state = T_EMBRYO;
		t->pub.tid = next_tid++;
		t->pub.proc = &p->pub;
		t->ctx.ra = (uint64_t)thread_entry;
		t->ctx.sp = (uint64_t)utf;
		return t;
	}
	return NULL;
}

void thread_free(struct kthread *t)
{
	t->state = T_UNUSED;
	t->pub.proc = NULL;
	t->pub.tid = 0;
}

struct kproc *proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != P_UNUSED && procs[i].pub.pid == pid)
			return &procs[i];
	return NULL;
}

/* A CPU idling in wfi would otherwise sleep until its next timer tick:
 * kick the lowest-numbered idle one with a reschedule IPI, as Linux's
 * try_to_wake_up does (deterministic: the order is fixed). */
static void kick_idle_cpu(void)
{
	unsigned self = mycpu()->id;
	for (unsigned i = 0; i < ncpus(); i++)
		if (i != self && cpu_core[i].idle) {
			cpu_core[i].idle = false; /* one kick each */
			ipi_send(i, IPI_RESCHED);
			return;
		}
}

void make_runnable(struct kthread *t)
{
	t->state = T_RUNNABLE;
	t->wake_at = 0;
	t->chan = NULL;
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
	kick_idle_cpu();
}

static struct kthread *rq_pop(void)
{
	struct kthread *t = rq_head;
	if (t) {
		rq_head = t->rq_next;
		if (!rq_head)
			rq_tail = NULL;
		t->rq_next = NULL;
	}
	return t;
}

static void activate(struct cpu_core *cc, struct aspace *as)
{
	if (cc->cur_as != as) {
		as_activate(as);
		cc->cur_as = as;
	}
}

_Noreturn void scheduler(void)
{
	struct cpu *c = mycpu();
	struct cpu_core *cc = mycore();
	for (;;) {
		intr_on();
		spin_lock(&proc_lock);
		struct kthread *t = rq_pop();
		if (!t) {
			activate(cc, NULL);
			cc->idle = true;
			spin_unlock(&proc_lock);
			__asm__ volatile("wfi");
			continue;
		}
		cc->idle = false;
		t->state = T_RUNNING;
		t->last_cpu = c->id;
		c->thread = &t->pub;
		cc->need_resched = false;
		activate(cc, t->kfn ? NULL : t->pub.proc->as);
		swtch(&cc->sched_ctx, &t->ctx);
		c->thread = NULL;
		if (t->state == T_ZOMBIE)
			activate(cc, NULL); /* its process may be reaped at once */
		spin_unlock(&proc_lock);
	}
}

void sched(void)
{
	struct cpu *c = mycpu();
	struct kthread *t = mykthread();
	if (!spin_holding(&proc_lock))
		panic("sched: proc_lock not held");
	if (c->noff != 1)
		panic("sched: %d locks held", c->noff);
	if (t->state == T_RUNNING)
		panic("sched: thread still running");
	if (intr_get())
		panic("sched: interrupts on");
	bool intena = c->intena;
	swtch(&t->ctx, &cpu_core[c->id].sched_ctx);
	mycpu()->intena = intena;
}

void yield(void)
{
	spin_lock(&proc_lock);
	make_runnable(mykthread());
	sched();
	spin_unlock(&proc_lock);
}

/* First code of every new thread, reached by swtch from scheduler() with
 * proc_lock held. */
static void thread_entry(void)
{
	spin_unlock(&proc_lock);
	struct kthread *t = mykthread();
	if (t->kfn) {
		t->kfn(t->karg);
		thread_exit(0);
	}
	trap_return(t->utf);
}

/* Goes to sleep on chan with proc_lock held across the change of state,
 * so a wakeup (which takes proc_lock) cannot come between the caller's
 * check of its condition under lk and the sleep.  An interruptible sleep
 * also looks at its process's dying flag under proc_lock: proc_doom sets
 * it and wakes the sleepers under that lock, so either the flag is seen
 * here and the thread does not sleep, or the thread is T_SLEEPING before
 * proc_doom looks and is woken by it (xv6-riscv checks p->killed the same
 * way).  Without that, a kill between the caller's own check and the
 * sleep woke nobody and the thread slept on. */
static bool sleep_common(void *chan, struct spinlock *lk, uint64_t deadline_ns, bool intr)
{
	struct kthread *t = mykthread();
	if (lk != &proc_lock) {
		spin_lock(&proc_lock);
		spin_unlock(lk);
	}
	bool killed = intr && KP(t->pub.proc)->dying;
	if (!killed) {
		t->chan = chan;
		t->wake_at = deadline_ns;
		t->state = T_SLEEPING;
		sched();
		t->chan = NULL;
		t->wake_at = 0;
	}
	if (lk != &proc_lock) {
		spin_unlock(&proc_lock);
		spin_lock(lk);
	}
	return !killed;
}

void sleep_on_until(void *chan, struct spinlock *lk, uint64_t deadline_ns)
{
	sleep_common(chan, lk, deadline_ns, false);
}

void sleep_on(void *chan, struct spinlock *lk)
{
	sleep_common(chan, lk, 0, false);
}

bool sleep_intr_until(void *chan, struct spinlock *lk, uint64_t deadline_ns)
{
	return sleep_common(chan, lk, deadline_ns, true);
}

void wakeup_locked(void *chan)
{
	for (int i = 0; i < NTHREAD; i++)
		if (threads[i].state == T_SLEEPING && threads[i].chan == chan)
			make_runnable(&threads[i]);
}

void wakeup(void *chan)
{
	spin_lock(&proc_lock);
	wakeup_locked(chan);
	spin_unlock(&proc_lock);
}

void timer_wakeups(void)
{
	uint64_t now = time_now_ns();
	spin_lock(&proc_lock);
	for (int i = 0; i < NTHREAD; i++) {
		struct kthread *t = &threads[i];
		if (t->state == T_SLEEPING && t->wake_at && now >= t->wake_at)
			make_runnable(t);
	}
	spin_unlock(&proc_lock);
}

struct kthread *kthread_spawn(struct kproc *p, void (*fn)(void *), void *arg, bool preemptible)
{
	spin_lock(&proc_lock);
	struct kthread *t = thread_alloc(p);
	if (t) {
		t->kfn = fn;
		t->karg = arg;
		t->preemptible = preemptible;
		p->nthreads++;
		make_runnable(t);
	}
	spin_unlock(&proc_lock);
	return t;
}

bool thread_killed(void)
{
	struct kproc *p = mykproc();
	return p && p->dying;
}

/* Interrupts off while reading: a preemptible thread may change CPU. */
struct thread *mythread(void)
{
	bool on = intr_get();
	intr_off();
	struct thread *t = mycpu()->thread;
	if (on)
		intr_on();
	return t;
}

struct proc *myproc(void)
{
	struct thread *t = mythread();
	return t ? t->proc : NULL;
}
