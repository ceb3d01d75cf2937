/*
 * smp.c - CPUs: struct cpu per hart (mycpu() is the tp register, set at
 * boot and kept by trapvec.S), counting the harts, inter-processor
 * interrupts (SBI send_ipi sets SSIP on the target; the request bits are
 * in cpu->ipi_pending; IPI_TLB runs mm_tlb_ipi() there).
 */
#include "proc.h"

#define SBI_ERR_INVALID_PARAM (-3)

struct cpu cpus[MAXCPU];
struct cpu_core cpu_core[MAXCPU];
static unsigned ncpu = 1;

struct cpu *mycpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

unsigned ncpus(void)
{
	return ncpu;
}

void smp_init_cpu(unsigned id)
{
	struct cpu *c = &cpus[id];
	c->id = id;
	c->thread = NULL;
	c->noff = 0;
	c->intena = false;
	c->scheduler_ctx = &cpu_core[id].sched_ctx;
	__asm__ volatile("mv tp, %0" ::"r"(c));
}

/* Harts are 0..n-1; send_ipi to an absent hart fails with INVALID_PARAM
 * and sends nothing (docs/devices.md 10), so probing costs nothing to the
 * present harts but a pending SSIP that trap_init_cpu() clears. */
unsigned smp_probe_harts(void)
{
	unsigned n = 1;
	while (n < MAXCPU && sbi_send_ipi(1, n) != SBI_ERR_INVALID_PARAM)
		n++;
	ncpu = n;
	return n;
}

void ipi_send(unsigned cpu, unsigned what)
{
	if (cpu >= ncpu)
		panic("ipi_send: no cpu %u", cpu);
	__atomic_fetch_or(&cpus[cpu].ipi_pending, (uint64_t)what, __ATOMIC_SEQ_CST);
	sbi_send_ipi(1, cpu);
}

/* Software interrupt: clear SSIP first, then take the requests, so a
 * request posted meanwhile raises SSIP again. */
void ipi_handle(void)
{
	csr_clear(sip, SIP_SSIP);
	struct cpu *c = mycpu();
	uint64_t what = __atomic_exchange_n(&c->ipi_pending, 0, __ATOMIC_SEQ_CST);
	cpu_core[c->id].ipis_received++;
	if (what & IPI_TLB)
		mm_tlb_ipi();
	if (what & IPI_RESCHED)
		cpu_core[c->id].need_resched = true;
}
