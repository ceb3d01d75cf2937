/*
 * mmu.h - address translation slow path and the host fast-path cache.
 *
 * Contract: mmu_translate() implements Bare, Sv39 (with hardware A/D
 * update) and dispatches Svtlb (satp.MODE = 14) to svtlb.c.  It charges the
 * walk to the cost model and counts misses.  A translation may be cached in
 * the host fast path only while the modeled TLB entry that produced it is
 * resident; whoever drops such an entry calls mmu_hc_flush_range() (or
 * mmu_hc_flush_all()).
 */
#ifndef VMM_MMU_H
#define VMM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "hart.h"

#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SVTLB 14

struct xlate {
	uint64_t paddr; /* translated address */
	bool cacheable; /* may be installed in the host fast path for this
			    access kind and privilege (resident, permitted,
			    no A/D update pending) */
};

/* The page fault and the access fault of an access kind (privileged spec
 * table 3.6). */
static inline unsigned mmu_page_fault(enum access acc)
{
	return acc == ACC_FETCH ? EXC_INSN_PAGE : acc == ACC_READ ? EXC_LOAD_PAGE : EXC_STORE_PAGE;
}

static inline unsigned mmu_access_fault(enum access acc)
{
	return acc == ACC_FETCH  ? EXC_INSN_ACCESS
	       : acc == ACC_READ ? EXC_LOAD_ACCESS
				 : EXC_STORE_ACCESS;
}

/* Whether a translation with permissions perm (enum tlb_perm) allows acc at
 * priv: the U bit with SUM, and MXR (privileged spec 4.3.1, 3.1.6.3).  Used
 * by Sv39 and by the VS-stage of EPT. */
bool sv39_permits(const struct hart *h, unsigned perm, enum access acc, unsigned priv);

/* Translates va for access acc at privilege priv (already MPRV-adjusted).
 * Returns 0 and fills *out, or the exception cause to raise (tval = va). */
int mmu_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out);

/* Host fast-path maintenance. */
void mmu_hc_flush_all(struct hart *h);
void mmu_hc_flush_data(struct hart *h);
void mmu_hc_flush_range(struct hart *h, uint64_t va, uint64_t size);
/* Drops fast-path write entries whose host page is the RAM page at paddr. */
void mmu_hc_drop_phys_write(struct hart *h, uint64_t paddr);

/* Slow-path data access (misaligned, page-crossing, MMIO, watched pages,
 * fast-path misses).  Returns 0 or raises the exception on h and returns
 * -1.  Sizes 1, 2, 4, 8. */
int mmu_load(struct hart *h, uint64_t va, unsigned size, uint64_t *val);
int mmu_store(struct hart *h, uint64_t va, unsigned size, uint64_t val);

/* Instruction fetch slow path: the decoded page holding pc (4-aligned),
 * installing it in the fetch fast path when allowed.  On a fault raises the
 * exception on h (h->pc = pc) and returns NULL. */
struct code_page *mmu_fetch(struct hart *h, uint64_t pc);

/* Sv39 walk used by mmu_translate; exposed for tests. */
int sv39_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out);

#endif
