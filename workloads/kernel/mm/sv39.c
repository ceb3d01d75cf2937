/*
 * sv39.c - the Sv39 back end (privileged spec 4.4): the kernel half maps
 * physical [0, 1 GiB) (devices, not executable) and RAM with global
 * gigapages at KERNBASE + pa; each address space has its own root whose
 * kernel half is a copy, an ASID (asid.c, 16 bits, generations), and the
 * set of CPUs that ran it.  Shootdowns: sfence.vma locally and, for the
 * other CPUs that ran the space, the SBI RFENCE remote_sfence_vma call
 * (synchronous: the targets are flushed when the call returns, so there is
 * no ack protocol that could deadlock with a CPU spinning on a lock with
 * interrupts off).  The hardware sets A and D (docs/platform.md 1).
 */
#include "mm_priv.h"

#define SATP_SV39 (8ull << 60)
#define SATP_ASID_SHIFT 44
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_RFENCE_SFENCE_VMA 1
#define LOCAL_PAGE_FLUSH_MAX 32
#define GIGA (1ull << 30)

pte_t *sv39_kernel_root;

void sv39_init(void)
{
	sv39_kernel_root = P2V(bootmem_alloc(PAGE_SIZE, PAGE_SIZE));
	pte_t kern = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;
	sv39_kernel_root[PT_INDEX(KERNBASE, 2)] = PA_PTE(0) | kern; /* devices */
	for (uint64_t pa = mm_ram_base & ~(GIGA - 1); pa < mm_ram_end; pa += GIGA)
		sv39_kernel_root[PT_INDEX(KERNBASE + pa, 2)] = PA_PTE(pa) | kern | PTE_X;
	tag_init(1, 0xffff); /* ASID 0: the kernel-only table */
}

static void sfence_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static void sfence_page(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

void sv39_flush_local_all(void)
{
	sfence_all();
}

void sv39_init_cpu(struct mm_cpu *c)
{
	(void)c;
	csr_write(satp, SATP_SV39 | (V2P(sv39_kernel_root) >> 12));
	sfence_all();
}

void sv39_activate(struct aspace *as, struct mm_cpu *c)
{
	uint32_t tag;
	bool flush = tag_assign(as, c, &tag);
	csr_write(satp, SATP_SV39 | ((uint64_t)tag << SATP_ASID_SHIFT) | (V2P(as->root) >> 12));
	if (flush)
		sfence_all();
}

/* Flushes [start, end) of `as` on every CPU that ran it. */
void sv39_flush_range(struct aspace *as, uint64_t start, uint64_t end)
{
	unsigned me = mm_this_cpu()->id;
	uint64_t mask = __atomic_load_n(&as->cpus, __ATOMIC_SEQ_CST);
	if (mask & (1ull << me)) {
		/* rs2 = x0: every ASID, since this CPU may still run `as` under
		 * the tag of an older generation */
		if ((end - start) / PAGE_SIZE <= LOCAL_PAGE_FLUSH_MAX)
			for (uint64_t va = start; va < end; va += PAGE_SIZE)
				sfence_page(va);
		else
			sfence_all();
	}
	uint64_t others = mask & ~(1ull << me);
	if (others) {
		struct mm_sbiret r =
			mm_sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, (long)others, 0,
				    (long)start, (long)(end - start), 0);
		if (r.error)
			panic("mm/sv39.c: SBI remote_sfence_vma(mask 0x%llx) failed: %ld",
			      (unsigned long long)others, r.error);
	}
}
