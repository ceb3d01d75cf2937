/*
 * fork.c - new processes and threads from U-mode: fork (the address space
 * copied on write by mm's as_fork, files shared, the child returns 0) and
 * SYS_thread_create (entry(arg) on stack_top in the same process).
 * A new thread starts in thread_entry (proc.c) and leaves through
 * trap_return with the frame prepared here.
 */
#include "proc.h"

int64_t sys_fork(void)
{
	struct kproc *p = mykproc();
	struct kthread *me = mykthread();
	spin_lock(&proc_lock);
	struct kproc *np = proc_alloc();
	struct kthread *nt = np ? thread_alloc(np) : NULL;
	if (!nt) {
		if (np)
			np->state = P_UNUSED;
		spin_unlock(&proc_lock);
		return -VTLAB_EAGAIN;
	}
	spin_unlock(&proc_lock);
	np->pub.as = as_fork(p->pub.as);
	if (!np->pub.as) {
		spin_lock(&proc_lock);
		thread_free(nt);
		np->state = P_UNUSED;
		spin_unlock(&proc_lock);
		return -VTLAB_ENOMEM;
	}
	fd_fork(p, np);
	np->pub.cwd = fs_cwd_ref(&p->pub);
	strlcpy(np->pub.name, p->pub.name, sizeof np->pub.name);
	*nt->utf = *me->utf;
	nt->utf->regs[REG_A0] = 0;
	spin_lock(&proc_lock);
	np->pub.parent = &p->pub;
	np->nthreads = 1;
	np->state = P_ALIVE;
	make_runnable(nt);
	spin_unlock(&proc_lock);
	return np->pub.pid;
}

int64_t sys_thread_create(uint64_t entry, uint64_t arg, uint64_t stack_top)
{
	if (entry >= USER_TOP || stack_top > USER_TOP || stack_top < USER_BASE || (stack_top & 15))
		return -VTLAB_EINVAL;
	struct kproc *p = mykproc();
	spin_lock(&proc_lock);
	struct kthread *nt = thread_alloc(p);
	if (!nt) {
		spin_unlock(&proc_lock);
		return -VTLAB_EAGAIN;
	}
	*nt->utf = *mykthread()->utf;
	nt->utf->sepc = entry;
	nt->utf->regs[REG_A0] = arg;
	nt->utf->regs[REG_SP] = stack_top;
	nt->utf->regs[REG_RA] = 0;
	p->nthreads++;
	make_runnable(nt);
	int tid = nt->pub.tid;
	spin_unlock(&proc_lock);
	return tid;
}
