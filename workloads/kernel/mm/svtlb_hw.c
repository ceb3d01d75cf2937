/*
 * svtlb_hw.c - Svtlb TLB operations: CSR writes (docs/platform.md 4.6) in
 * the unmodified kernel, hypercalls (docs/platform.md 4.10) in KERNEL_PV.
 *
 * ptc.g purges the RID of the issuing hart's region register, so a purge
 * of another address space's RID loads it into rr0 for the duration of the
 * purge (interrupts are off: callers hold the aspace lock) and restores it.
 */
#include "svtlb_hw.h"

#define csr_write_num(num, v) __asm__ volatile("csrw " #num ", %0" ::"r"((uint64_t)(v)) : "memory")

#ifndef KERNEL_PV

void svtlb_itc(enum svtlb_side side, uint64_t va, unsigned ps, uint64_t pte)
{
	csr_write_num(0x5c9, va);
	csr_write_num(0x5ca, (uint64_t)ps << 2);
	if (side & SIDE_I)
		csr_write_num(0x5d0, pte);
	if (side & SIDE_D)
		csr_write_num(0x5d1, pte);
}

void svtlb_itr(enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps, uint64_t pte)
{
	csr_write_num(0x5cd, slot);
	csr_write_num(0x5c9, va);
	csr_write_num(0x5ca, (uint64_t)ps << 2);
	if (side & SIDE_I)
		csr_write_num(0x5d2, pte);
	if (side & SIDE_D)
		csr_write_num(0x5d3, pte);
}

void svtlb_ptc_e(void)
{
	csr_write_num(0x5d5, 0);
}

void svtlb_ptc_g(uint64_t va, unsigned ps, uint32_t rid)
{
	uint64_t rr0 = csr_read(0x5c0);
	bool swap = RR_RID(rr0) != rid;
	if (swap)
		csr_write_num(0x5c0, RR_VALUE(rid, 12, 1));
	csr_write_num(0x5d6, va | ((uint64_t)ps << 2));
	if (swap)
		csr_write_num(0x5c0, rr0);
}

void svtlb_batch_begin(void)
{
}

void svtlb_batch_end(void)
{
}

#else /* KERNEL_PV: hypercalls, docs/platform.md 4.10 */

#define HC_EID 0x0A7C0000
#define HC_ITC 1
#define HC_ITR 2
#define HC_PTC 3
#define HC_PTC_E 4
#define HC_BATCH 5
#define HC_SCOPE_GLOBAL 1
#define BATCH_MAX 32

struct hc_op {
	uint64_t fid, a0, a1, a2, a3;
};

/* one pending batch per CPU; used with interrupts off (aspace lock) */
static struct hc_op batch[MAXCPU][BATCH_MAX];
static int batch_n[MAXCPU];
static bool batching[MAXCPU];

static void hcall(long fid, long a0, long a1, long a2, long a3, long a4)
{
	struct mm_sbiret r = mm_sbi_call(HC_EID, fid, a0, a1, a2, a3, a4);
	if (r.error)
		panic("mm/svtlb_hw.c: hypercall %ld failed: error %ld (docs/platform.md 4.10)", fid,
		      r.error);
}

static void batch_flush(unsigned cpu)
{
	if (batch_n[cpu] == 0)
		return;
	hcall(HC_BATCH, (long)V2P(batch[cpu]), batch_n[cpu], 0, 0, 0);
	batch_n[cpu] = 0;
}

void svtlb_itc(enum svtlb_side side, uint64_t va, unsigned ps, uint64_t pte)
{
	hcall(HC_ITC, side, (long)va, (long)ps << 2, (long)pte, 0);
}

void svtlb_itr(enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps, uint64_t pte)
{
	hcall(HC_ITR, side, (long)va, (long)ps << 2, (long)pte, slot);
}

void svtlb_ptc_e(void)
{
	hcall(HC_PTC_E, 0, 0, 0, 0, 0);
}

void svtlb_ptc_g(uint64_t va, unsigned ps, uint32_t rid)
{
	unsigned cpu = mm_this_cpu()->id;
	uint64_t op = va | ((uint64_t)ps << 2);
	if (!batching[cpu]) {
		hcall(HC_PTC, (long)op, HC_SCOPE_GLOBAL, rid, 0, 0);
		return;
	}
	if (batch_n[cpu] == BATCH_MAX)
		batch_flush(cpu);
	batch[cpu][batch_n[cpu]++] = (struct hc_op){ HC_PTC, op, HC_SCOPE_GLOBAL, rid, 0 };
}

void svtlb_batch_begin(void)
{
	batching[mm_this_cpu()->id] = true;
}

void svtlb_batch_end(void)
{
	unsigned cpu = mm_this_cpu()->id;
	batch_flush(cpu);
	batching[cpu] = false;
}

#endif
