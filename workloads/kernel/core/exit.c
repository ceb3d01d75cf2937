/*
 * exit.c - the end of threads and processes: SYS_exit (a thread; the
 * process with it if it was the last), exit_group/kill/faults (the whole
 * process: every thread ends at its next return to U-mode or wakes from
 * an interruptible sleep), zombies, wait4 (WNOHANG; children reparented
 * to init), thread_join, and proc_kill_self for faults.
 * Status encoding: abi.h (exit code << 8, or the signal number).
 */
#include "proc.h"

/* Marks the process dying with status (the first cause wins), wakes its
 * sleeping threads and pokes the CPUs running them.  proc_lock held. */
static void proc_doom(struct kproc *p, int status)
{
	if (!p->dying) {
		p->dying = true;
		p->xstatus = status;
	}
	for (int i = 0; i < NTHREAD; i++) {
		struct kthread *t = &threads[i];
		if (t->pub.proc != &p->pub)
			continue;
		if (t->state == T_SLEEPING)
			make_runnable(t);
		else if (t->state == T_RUNNING && t->last_cpu != mycpu()->id)
			ipi_send(t->last_cpu, IPI_RESCHED);
	}
}

/* The last thread leaves: files, cwd, children to init.  The process
 * becomes a zombie in thread_die(), under proc_lock held across the final
 * switch, so a parent reaping it on another CPU cannot free the thread
 * while it still runs on its kernel stack (xv6's exit()/wait() rule). */
static void proc_finish(struct kproc *p)
{
	fd_close_all(&p->pub);
	if (p->pub.cwd) {
		fs_iput(p->pub.cwd);
		p->pub.cwd = NULL;
	}
	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC; i++) {
		if (procs[i].state != P_UNUSED && procs[i].pub.parent == &p->pub) {
			procs[i].pub.parent = &initproc->pub;
			wakeup_locked(initproc);
		}
	}
	spin_unlock(&proc_lock);
}

/* Ends the calling thread; the process too if it was the last one. */
static _Noreturn void thread_die(uint64_t retval, int status_if_last)
{
	struct kthread *t = mykthread();
	struct kproc *p = mykproc();
	spin_lock(&proc_lock);
	t->retval = retval;
	bool kernel = p == &procs[0];
	bool last = --p->nthreads == 0 && !kernel;
	if (last && !p->dying) {
		p->dying = true;
		p->xstatus = status_if_last;
	}
	spin_unlock(&proc_lock);
	if (last) {
		if (p == initproc)
			panic("init exited with status 0x%x", p->xstatus);
		proc_finish(p);
	}
	spin_lock(&proc_lock);
	t->state = T_ZOMBIE;
	if (last) {
		p->state = P_ZOMBIE;
		if (p->pub.parent)
			wakeup_locked(p->pub.parent);
	}
	if (t->joining)
		wakeup_locked(t);
	if (kernel)
		thread_free(t); /* kernel threads are not joined */
	sched();
	panic("zombie thread ran");
}

_Noreturn void thread_exit(uint64_t retval)
{
	thread_die(retval, VTLAB_W_EXITCODE((int)retval));
}

_Noreturn void proc_exit(int status)
{
	struct kproc *p = mykproc();
	spin_lock(&proc_lock);
	proc_doom(p, status);
	spin_unlock(&proc_lock);
	thread_die(0, status);
}

_Noreturn void proc_kill_self(int sig, const char *reason, uint64_t pc, uint64_t addr)
{
	struct proc *p = myproc();
	kprintf("pid %d (%s): killed: %s at pc 0x%lx (address 0x%lx)\n", p->pid, p->name, reason,
		(unsigned long)pc, (unsigned long)addr);
	proc_exit(sig);
}

/* Frees a zombie child: its address space, its threads, its slot. */
static void reap(struct kproc *c)
{
	c->state = P_REAPING;
	spin_unlock(&proc_lock);
	if (c->pub.as)
		as_destroy(c->pub.as);
	c->pub.as = NULL;
	spin_lock(&proc_lock);
	for (int i = 0; i < NTHREAD; i++)
		if (threads[i].state != T_UNUSED && threads[i].pub.proc == &c->pub)
			thread_free(&threads[i]);
	c->state = P_UNUSED;
	/* Another thread of the parent may have found c P_REAPING and gone to
	 * sleep in wait4: it must look again (perhaps there is nothing left
	 * to wait for: ECHILD). */
	wakeup_locked(c->pub.parent);
}

int64_t sys_wait4(int pid, uint64_t ustatus, int options)
{
	struct kproc *me = mykproc();
	spin_lock(&proc_lock);
	for (;;) {
		bool have_kids = false;
		for (int i = 0; i < NPROC; i++) {
			struct kproc *c = &procs[i];
			if (c->state == P_UNUSED || c->pub.parent != &me->pub)
				continue;
			if (pid != -1 && c->pub.pid != pid)
				continue;
			have_kids = true;
			if (c->state != P_ZOMBIE)
				continue;
			int cpid = c->pub.pid, status = c->xstatus;
			reap(c);
			spin_unlock(&proc_lock);
			if (ustatus && copyout(ustatus, &status, sizeof status) < 0)
				return -VTLAB_EFAULT;
			return cpid;
		}
		if (!have_kids) {
			spin_unlock(&proc_lock);
			return -VTLAB_ECHILD;
		}
		if (options & VTLAB_WNOHANG) {
			spin_unlock(&proc_lock);
			return 0;
		}
		if (me->dying) {
			spin_unlock(&proc_lock);
			return -VTLAB_EINTR;
		}
		sleep_on(me, &proc_lock);
	}
}

int64_t sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > 64)
		return -VTLAB_EINVAL;
	spin_lock(&proc_lock);
	struct kproc *p = pid > 0 ? proc_find(pid) : NULL;
	if (!p || p->state != P_ALIVE) {
		spin_unlock(&proc_lock);
		return -VTLAB_ESRCH;
	}
	/* kill(2): "The only signals that can be sent to process ID 1, the
	 * init process, are those for which init has explicitly installed
	 * signal handlers"; vtlab has none, and init's death is a panic. */
	if (sig != 0 && p != initproc)
		proc_doom(p, sig);
	spin_unlock(&proc_lock);
	return 0;
}

int64_t sys_thread_join(int tid, uint64_t uretval)
{
	struct kthread *me = mykthread();
	spin_lock(&proc_lock);
	struct kthread *t = NULL;
	for (int i = 0; i < NTHREAD; i++)
		if (threads[i].state != T_UNUSED && threads[i].pub.tid == tid &&
		    threads[i].pub.proc == me->pub.proc)
			t = &threads[i];
	if (!t || t == me || t->joining) {
		spin_unlock(&proc_lock);
		return t ? -VTLAB_EINVAL : -VTLAB_ESRCH;
	}
	t->joining = true;
	while (t->state != T_ZOMBIE && !thread_killed())
		sleep_on(t, &proc_lock);
	if (t->state != T_ZOMBIE) {
		t->joining = false;
		spin_unlock(&proc_lock);
		return -VTLAB_EINTR;
	}
	uint64_t rv = t->retval;
	thread_free(t);
	spin_unlock(&proc_lock);
	if (uretval && copyout(uretval, &rv, sizeof rv) < 0)
		return -VTLAB_EFAULT;
	return 0;
}
