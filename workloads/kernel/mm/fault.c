/*
 * fault.c - the entry points core calls on a fault or a TLB IPI, and the
 * back-end neutral TLB maintenance.  Sv39 page faults (causes 12, 13, 15)
 * on user addresses are resolved against the current address space here;
 * Svtlb faults (24-31, 48 and the unimplemented-address page faults) go to
 * svtlb.c, which also serves the kernel's regions 6 and 7.
 */
#include "mm_priv.h"

static int sv39_fault(uint64_t scause, uint64_t va)
{
	enum mm_access acc;
	if (scause == 12)
		acc = ACC_FETCH;
	else if (scause == 13)
		acc = ACC_LOAD;
	else if (scause == 15)
		acc = ACC_STORE;
	else
		return VTLAB_SIGSEGV;
	struct aspace *as = mm_this_cpu()->cur;
	if (!as || va < USER_BASE || va >= USER_TOP)
		return VTLAB_SIGSEGV;
	spin_lock(&as->lock);
	pte_t *pte;
	int r = as_resolve(as, va, acc, &pte);
	spin_unlock(&as->lock);
	if (r == 0) /* this CPU may hold a stale entry of the old PTE */
		__asm__ volatile("sfence.vma %0, zero" ::"r"(PGROUNDDOWN(va)) : "memory");
	return r;
}

int mm_fault(uint64_t scause, uint64_t va, uint64_t sepc, bool user)
{
	(void)sepc;
	int r = mm_svtlb ? svtlb_fault(scause, va, user) : sv39_fault(scause, va);
	if (r && mm_debug)
		kprintf("mm: fault cause %llu at 0x%llx (pc 0x%llx, %s): signal %d\n",
			(unsigned long long)scause, (unsigned long long)va,
			(unsigned long long)sepc, user ? "user" : "kernel", r);
	return r;
}

void mmu_flush_range(struct aspace *as, uint64_t start, uint64_t end)
{
	if (mm_svtlb)
		svtlb_flush_range(as, start, end);
	else
		sv39_flush_range(as, start, end);
}

/* Shootdowns are synchronous (SBI RFENCE / ptc.g); an IPI_TLB only asks
 * for a full local flush. */
void mm_tlb_ipi(void)
{
	if (mm_svtlb)
		svtlb_flush_local_all(mm_this_cpu());
	else
		sv39_flush_local_all();
}
