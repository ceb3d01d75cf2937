/*
 * hart.c - creating and resetting a hart.
 *
 * Reset state: Privileged ISA 20211203, 3.4 "Reset": priv M, mstatus.MIE=0,
 * MPRV=0, misa at its maximal set (RV64IMA + S + U), pc at the reset vector
 * (the ELF entry here).  The modeled TLBs take their geometry from the
 * machine config; every entry they drop is dropped from the host fast path.
 */
#include "hart_new.h"

#include <stdlib.h>

#include "csr.h"
#include "machine.h"
#include "mmu.h"
#include "svtlb.h"

static void tlb_dropped(void *ctx, const struct tlb_entry *e)
{
	mmu_hc_flush_range(ctx, e->vpn << e->shift, 1ull << e->shift);
}

struct hart *hart_new(struct machine *m, unsigned id)
{
	struct hart *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->m = m;
	h->id = id;
	if (tlb_model_init(&h->itlb, m->cfg.itlb_entries, m->cfg.itlb_ways, tlb_dropped, h) ||
	    tlb_model_init(&h->dtlb, m->cfg.dtlb_entries, m->cfg.dtlb_ways, tlb_dropped, h)) {
		hart_free(h);
		return NULL;
	}
	if (m->cfg.svtlb && !(h->svtlb = svtlb_new(h))) {
		hart_free(h);
		return NULL;
	}
	hart_reset(h, 0);
	return h;
}

void hart_reset(struct hart *h, uint64_t pc)
{
	h->pc = pc;
	h->priv = PRV_M;
	h->misa = MISA_RV64IMASU;
	h->mstatus = MSTATUS_UXL & (2ull << 32);
	h->mstatus |= MSTATUS_SXL & (2ull << 34);
	h->mtvec = 0;
	h->satp = 0;
	h->wfi = false;
	h->resv_valid = false;
	tlb_model_flush(&h->itlb);
	tlb_model_flush(&h->dtlb);
	if (h->svtlb)
		svtlb_reset(h->svtlb);
	mmu_hc_flush_all(h);
	hart_update_ctx(h);
}

void hart_free(struct hart *h)
{
	if (!h)
		return;
	if (h->svtlb)
		svtlb_free(h->svtlb);
	tlb_model_free(&h->itlb);
	tlb_model_free(&h->dtlb);
	free(h);
}
