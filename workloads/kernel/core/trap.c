/*
 * trap.c - what happens after trapvec.S saved a frame (priv spec 4.1.9
 * causes; Svtlb causes docs/platform.md 4.8):
 *   interrupts: timer (tick), software (IPIs), external (unused: devices
 *     are polled; it is masked);
 *   from U: ecall -> syscall; page faults / Svtlb faults -> mm_fault(),
 *     the process is killed if unresolved; other exceptions kill it;
 *   from S: page faults / Svtlb faults -> mm_fault() (kernel memory,
 *     user memory in copy.S); unresolved in copy.S -> the copy returns -1;
 *     anything else is a panic naming scause, sepc and stval.
 * On the way back to U: a dying process ends the thread; need_resched
 * yields.  Interrupts are off throughout, except during system calls.
 */
#include "proc.h"

static bool is_mm_fault(uint64_t cause)
{
	return cause == EXC_INSN_PAGE || cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE ||
	       (cause >= EXC_SVTLB_FIRST && cause <= EXC_SVTLB_LAST) ||
	       cause == EXC_SVTLB_ACCESS_BIT;
}

static const char *cause_name(uint64_t cause)
{
	switch (cause) {
	case EXC_INSN_MISALIGNED: return "misaligned fetch";
	case EXC_INSN_ACCESS: return "instruction access fault";
	case EXC_ILLEGAL: return "illegal instruction";
	case EXC_BREAKPOINT: return "breakpoint";
	case EXC_LOAD_MISALIGNED: return "misaligned load";
	case EXC_LOAD_ACCESS: return "load access fault";
	case EXC_STORE_MISALIGNED: return "misaligned store";
	case EXC_STORE_ACCESS: return "store access fault";
	case EXC_INSN_PAGE: return "instruction page fault";
	case EXC_LOAD_PAGE: return "load page fault";
	case EXC_STORE_PAGE: return "store page fault";
	default: return is_mm_fault(cause) ? "unresolved TLB fault" : "exception";
	}
}

static int cause_signal(uint64_t cause)
{
	switch (cause) {
	case EXC_ILLEGAL:
	case EXC_BREAKPOINT: return VTLAB_SIGILL;
	case EXC_INSN_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED: return VTLAB_SIGBUS;
	default: return VTLAB_SIGSEGV;
	}
}

void trap_init_cpu(void)
{
	csr_write(stvec, (uint64_t)trap_vector);
	csr_write(sscratch, 0);
	csr_clear(sip, SIP_SSIP);
	csr_clear(sie, SIE_SEIE);
	csr_set(sie, SIE_SSIE | SIE_STIE);
}

static void interrupt(uint64_t irq)
{
	switch (irq) {
	case IRQ_S_TIMER: timer_tick(); break;
	case IRQ_S_SOFT: ipi_handle(); break;
	default: panic("unexpected interrupt %lu", (unsigned long)irq);
	}
}

static void user_exception(struct trapframe *tf)
{
	uint64_t cause = tf->scause;
	if (cause == EXC_ECALL_U) {
		tf->sepc += 4;
		intr_on();
		syscall_dispatch(tf);
		intr_off();
		return;
	}
	if (is_mm_fault(cause)) {
		int sig = mm_fault(cause, tf->stval, tf->sepc, true);
		if (sig == 0)
			return;
		intr_on();
		proc_kill_self(sig, cause_name(cause), tf->sepc, tf->stval);
	}
	intr_on();
	proc_kill_self(cause_signal(cause), cause_name(cause), tf->sepc, tf->stval);
}

static bool in_copy_user(uint64_t pc)
{
	return pc >= (uint64_t)copy_user_begin && pc < (uint64_t)copy_user_end;
}

static void kernel_exception(struct trapframe *tf)
{
	uint64_t cause = tf->scause;
	if (is_mm_fault(cause) && mm_fault(cause, tf->stval, tf->sepc, false) == 0)
		return;
	bool access = cause == EXC_LOAD_ACCESS || cause == EXC_STORE_ACCESS;
	if ((is_mm_fault(cause) || access) && in_copy_user(tf->sepc)) {
		tf->sepc = (uint64_t)copy_user_fault;
		return;
	}
	struct thread *t = mycpu()->thread;
	panic("%s in kernel: scause 0x%lx sepc 0x%lx stval 0x%lx (hart %u, tid %d)",
	      cause_name(cause), (unsigned long)cause, (unsigned long)tf->sepc,
	      (unsigned long)tf->stval, mycpu()->id, t ? t->tid : -1);
}

static void before_user_return(void)
{
	for (;;) {
		if (thread_killed()) {
			intr_on();
			proc_exit(mykproc()->xstatus);
		}
		if (!mycore()->need_resched)
			return;
		yield();
	}
}

void trap_dispatch(struct trapframe *tf)
{
	bool from_user = (tf->sstatus & SSTATUS_SPP) == 0;
	if (tf->scause & CAUSE_INTERRUPT)
		interrupt(tf->scause & ~CAUSE_INTERRUPT);
	else if (from_user)
		user_exception(tf);
	else
		kernel_exception(tf);
	if (from_user) {
		before_user_return();
		return;
	}
	/* Preemption in S-mode only for threads that ask for it, and only when
	 * they were interrupted with interrupts on and no lock held. */
	struct kthread *t = KT(mycpu()->thread);
	if (t && t->preemptible && mycore()->need_resched && (tf->sstatus & SSTATUS_SPIE) &&
	    mycpu()->noff == 0)
		yield();
}
