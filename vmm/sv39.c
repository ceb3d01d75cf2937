/*
 * sv39.c - the Sv39 hardware page walker with hardware A/D updates,
 * backed by the modeled TLB (Privileged ISA 20211203, 4.3.2 "Virtual
 * Address Translation Process" and 4.4 "Sv39").
 *
 * Cost: a miss charges cost.tlb_refill plus cost.pt_ref per PTE read.
 * Superpages are cached as one TLB entry of their own size.  The PTE's
 * address is kept in the entry (aux) for later D-bit updates.
 */
#include <string.h>

#include "csr.h"
#include "machine.h"
#include "mmu.h"
#include "pmp.h"
#include "sv39_pte.h"
#include "trace.h"

bool sv39_permits(const struct hart *h, unsigned perm, enum access acc, unsigned priv)
{
	if (priv == PRV_U && !(perm & TLB_U))
		return false;
	if (priv == PRV_S && (perm & TLB_U) && (acc == ACC_FETCH || !(h->mstatus & MSTATUS_SUM)))
		return false;
	if (acc == ACC_FETCH)
		return (perm & TLB_X) != 0;
	if (acc == ACC_READ)
		return (perm & TLB_R) || ((h->mstatus & MSTATUS_MXR) && (perm & TLB_X));
	return (perm & TLB_W) != 0;
}

/* Walks the table; on success inserts the leaf into t and returns 0. */
static int walk(struct hart *h, struct tlb_model *t, uint64_t va, enum access acc, unsigned priv,
		uint32_t asid, struct tlb_entry **out)
{
	const struct cost_table *c = &h->m->cfg.cost;
	uint64_t a = (h->satp & ((1ull << 44) - 1)) << 12, pte = 0, pte_addr = 0;
	int level, global = 0;
	h->st.ev[EV_PT_WALK]++;
	for (level = 2;; level--) {
		pte_addr = a + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
		/* The guest names its tables by physical address: under a
		 * hypervisor (the Sv39 boot phase of an Svtlb configuration)
		 * one beyond its RAM is the VMM's memory, which the walk must
		 * neither read nor update (docs/hypervisor.md, "Memory: the
		 * P2M": any other guest-physical address is an access fault). */
		uint8_t *p = guest_ram_ptr(h->m, pte_addr, 8);
		STAT_CHARGE(h, EV_PT_REF, c->pt_ref);
		/* The walk's reads are S-mode accesses for PMP (priv spec 3.7.1). */
		if (!p || !pmp_check(h, pte_addr, ACC_READ, PRV_S))
			return (int)mmu_access_fault(acc);
		memcpy(&pte, p, 8);
		enum sv39_pte_kind kind = sv39_pte_kind(pte, level);
		if (kind == SV39_PTE_INVALID)
			return (int)mmu_page_fault(acc);
		global |= (pte & PTE_G) != 0;
		if (kind == SV39_PTE_LEAF)
			break;
		a = PTE_PPN(pte) << 12;
	}
	if (!sv39_permits(h, sv39_pte_perm(pte), acc, priv))
		return (int)mmu_page_fault(acc);
	if (sv39_leaf_misaligned(pte, level))
		return (int)mmu_page_fault(acc);
	if (!(pte & PTE_A) || (acc == ACC_WRITE && !(pte & PTE_D))) {
		uint8_t *p = guest_ram_ptr(h->m, pte_addr, 8); /* read above: in guest RAM */
		/* The update is a store to the PTE: PMP must permit it (4.3.2 step 7). */
		if (!pmp_check(h, pte_addr, ACC_WRITE, PRV_S))
			return (int)mmu_access_fault(acc);
		pte |= PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
		memcpy(p, &pte, 8);
		STAT_CHARGE(h, EV_AD_UPDATE, c->pt_ref);
	}
	unsigned shift = 12 + 9 * (unsigned)level;
	struct tlb_entry n = {
		.vpn = va >> shift, /* full canonical va: host-cache flushes use it */
		.ppn = PTE_PPN(pte) >> (9 * level),
		.aux = pte_addr,
		.asid = asid,
		.shift = (uint8_t)shift,
		.perm = (uint8_t)sv39_pte_perm(pte),
		.global = (uint8_t)global,
	};
	*out = tlb_model_insert(t, &n);
	return 0;
}

int sv39_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	struct tlb_model *t = acc == ACC_FETCH ? &h->itlb : &h->dtlb;
	uint32_t asid = (uint32_t)((h->satp >> 44) & 0xffff);
	struct tlb_entry *e;
	/* Bits 63:39 must all equal bit 38 (4.4.1). */
	if ((uint64_t)((int64_t)(va << 25) >> 25) != va)
		return (int)mmu_page_fault(acc);
	e = tlb_model_lookup(t, va, asid);
	if (e && !sv39_permits(h, e->perm, acc, priv))
		return (int)mmu_page_fault(acc);
	if (!e || (acc == ACC_WRITE && !(e->perm & TLB_D))) {
		int r;
		uint64_t refs = h->st.ev[EV_PT_REF];
		if (!e) {
			STAT_CHARGE(h, acc == ACC_FETCH ? EV_ITLB_MISS : EV_DTLB_MISS,
				    h->m->cfg.cost.tlb_refill);
			TRACE(h, TLB_MISS, acc, va, 0, SATP_MODE_SV39);
		}
		r = walk(h, t, va, acc, priv, asid, &e);
		TRACE(h, PT_WALK, r, va,
		      r ? 0 : (e->ppn << e->shift) | (va & ((1ull << e->shift) - 1)),
		      h->st.ev[EV_PT_REF] - refs);
		if (r)
			return r;
	}
	out->paddr = (e->ppn << e->shift) | (va & ((1ull << e->shift) - 1));
	out->cacheable = true;
	return 0;
}
