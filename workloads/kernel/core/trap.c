/*
 * trap.c - what happens after trapvec.S saved a frame (priv spec 4.1.9
 * causes; Svtlb causes docs/platform.md 4.8):
 *   interrupts: timer (tick), software (IPIs), external: the PLIC
 *     (docs/devices.md 3) is claimed, the source's handler runs, and the
 *     source is completed - the claim/complete sequence of Linux's
 *     drivers/irqchip/irq-sifive-plic.c (plic_handle_irq);
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
	       cause == EXC_SVTLB_ACCESS_BIT || cause == EXC_SVTLB_NESTED_DTLB;
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
	/* SEIE on: the PLIC interrupts nobody until a driver enables its source
	 * (trap_set_external) */
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
}

/* ---- external interrupts: the PLIC (docs/devices.md 3) ---- */

#define PLIC_PA 0x0C000000ull
#define PLIC_SOURCES 32
#define PLIC_PRIORITY(s) (PLIC_PA + 4ull * (s))
#define PLIC_ENABLE(c) (PLIC_PA + 0x2000ull + 0x80ull * (c))
#define PLIC_THRESHOLD(c) (PLIC_PA + 0x200000ull + 0x1000ull * (c))
#define PLIC_CLAIM(c) (PLIC_PA + 0x200004ull + 0x1000ull * (c))
#define PLIC_S_CONTEXT(hart) (2u * (hart) + 1u) /* context 2h+1: hart h's S-mode */

static void (*ext_handler[PLIC_SOURCES])(void);

static volatile uint32_t *plic_reg(uint64_t pa)
{
	return io_map(pa);
}

/* Routes source src to every hart's S-mode context (priority 1 over
 * threshold 0) with fn as its handler.  Linux's PLIC driver routes a source
 * to one hart of its affinity mask; every hart here, so that the hart that
 * waits for a completion can take it at once. */
void trap_set_external(unsigned src, void (*fn)(void))
{
	if (src == 0 || src >= PLIC_SOURCES)
		panic("trap_set_external: PLIC source %u (expected 1..%u)", src, PLIC_SOURCES - 1);
	ext_handler[src] = fn;
	*plic_reg(PLIC_PRIORITY(src)) = 1;
	for (unsigned h = 0; h < ncpus(); h++) {
		unsigned c = PLIC_S_CONTEXT(h);
		*plic_reg(PLIC_THRESHOLD(c)) = 0;
		*plic_reg(PLIC_ENABLE(c)) |= 1u << src;
	}
}

/* One claim/complete round on this hart's context: returns the source
 * served, 0 if none was pending (another hart claimed it first).  Also
 * called with interrupts masked by a driver that waits for its completion
 * interrupt while it cannot take it (it polls the PLIC instead). */
unsigned trap_external(void)
{
	volatile uint32_t *claim = plic_reg(PLIC_CLAIM(PLIC_S_CONTEXT(mycpu()->id)));
	uint32_t src = *claim;
	if (src == 0)
		return 0;
	if (src < PLIC_SOURCES && ext_handler[src])
		ext_handler[src](); /* acknowledges in the device (level-triggered) */
	*claim = src;               /* complete: after the device lowered its line */
	return src;
}

static void interrupt(uint64_t irq)
{
	switch (irq) {
	case IRQ_S_TIMER: timer_tick(); break;
	case IRQ_S_SOFT: ipi_handle(); break;
	case IRQ_S_EXT: trap_external(); break;
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
