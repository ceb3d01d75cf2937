/*
 * hv_svtlb_ops.c - the guest's TLB operations on the vMMU: insert into the
 * TC (itc) and the TRs (itr), purges (ptc.l, ptc.g, ptc.e, ptr), performed
 * on the vTLB, the machine VHPT and the machine TLB.  Shared by the trapped
 * CSR writes (hv_svtlb_csr.c) and the PV hypercalls (hv_pv.c).
 *
 * Contract: hv_priv.h; the semantics are docs/platform.md 4.6, which the
 * guest must observe exactly: after an insert a lookup never finds an older
 * overlapping translation of the same side and RID; after a purge no
 * purged translation is found anywhere (vTLB, machine VHPT, machine TC).
 * Purging more than asked (the other side, a whole vTLB) is allowed: the
 * architecture lets any TC entry disappear at any time.  Callers validate
 * operands and charge the exit.
 */
#include <string.h>

#include "hv_priv.h"
#include "trace.h"

static uint64_t page_mask(unsigned ps)
{
	return (1ull << ps) - 1;
}

/* hv_svtlb_machine.c: does the machine VHPT hold the translation of va
 * (guest RID grid) made from guest PTE gpte?  (A private helper of the
 * hv_svtlb files; to move to hv_priv.h.) */

static uint32_t guest_rid(const struct vcpu *v, uint64_t va)
{
	return RR_RID(v->g.rr[SVTLB_VRN(va)]);
}

/* The page size whose aligned block around [base, 2^ps) a purge or an
 * overlapping insert takes from the machine: the largest guest page of the
 * vTLB containing the range (vtlb_cover_ps), or, when the range lies where
 * split pages went to the machine since the last ptc.e, the largest of
 * those.  The vTLB may have forgotten such a page (the single vTLB holds
 * the last insert only; the hash vTLB recycles) while its 4 KiB machine
 * sub-pages live on in the machine TC and VHPT, and 4.6 removes every
 * entry overlapping the range whole.  Purging the rest of the block is
 * more than asked, which the architecture allows. */
static unsigned cover_ps(struct vcpu *v, uint64_t base, unsigned ps, uint32_t grid)
{
	unsigned wide = vtlb_cover_ps(v->vtlb, base, ps, grid), vrn = SVTLB_VRN(base);
	if (v->split_ps[vrn] > wide && base <= v->split_last[vrn] &&
	    base + page_mask(ps) >= v->split_lo[vrn])
		wide = v->split_ps[vrn];
	return wide;
}

/* ---- inserts --------------------------------------------------------- */

/* Xen/IA-64's insertion policy for a guest itc (thash_purge_and_insert in
 * xen/arch/ia64/vmx/vtlb.c, 2006-2008): purge the overlapping entries of
 * the vTLB and the machine VHPT, then
 *  - a translation of device memory (its P2M entry is I/O) goes to the
 *    vTLB only: every access must exit to the device model;
 *  - guest memory at the machine's page size goes to the machine VHPT (and
 *    TC) only: partial track, paper 003 3.1.2 - the vTLB is not needed to
 *    find it again, and when the machine VHPT loses it the guest takes the
 *    TLB miss it would take natively after its TLB lost it;
 *  - any other page size goes to the vTLB AND the machine (Xen: "ps >
 *    mrr.ps: vtlb_insert + vhpt_insert"), the machine getting the 4 KiB
 *    sub-page holding the address (hv_svtlb_machine.c); smaller guest
 *    pages than the machine's cannot occur: the machine page is 4 KiB,
 *    the smallest Svtlb size.
 * The single vTLB is the guest's last insert of each side, whatever its
 * size: Xen/IA-64's 1-entry TLB, which vcpu_itc_no_srlz() (xen/arch/ia64/
 * xen/vcpu.c) sets on every itc - the minimum the architecture requires
 * for forward progress, and the reason the single TLB forgets device and
 * large pages as soon as the guest inserts anything else (paper 003, 2.2).
 * One vtlab addition: the machine VHPT keeps one entry per page for both
 * sides (hv_svtlb_machine.c); when it keeps the other side's differing
 * entry instead of this one, the vTLB tracks this one, so the guest's view
 * of this side is never lost while the machine TC still holds it. */
static bool tracked_in_vtlb(struct vcpu *v, unsigned ps, enum p2m_kind k, uint64_t va,
			    uint32_t grid, uint64_t pte)
{
	if (k != P2M_RAM || ps != 12 || v->hv->p.full_track)
		return true;
	if (v->hv->p.vtlb.kind == VTLB_SINGLE)
		return true; /* the 1-entry TLB holds the last insert */
	return !hv_mvhpt_holds(v, va, grid, pte);
}

/* [base, 2^ps) of guest RID grid leaves the machine TC of this side and
 * the machine VHPT. */
static void machine_purge_side(struct vcpu *v, enum svtlb_side side, uint64_t base, unsigned ps,
			       uint32_t grid)
{
	tlb_model_purge(svtlb_tc(v->h, side), base, 1ull << ps, hv_mrid(v->hv, grid), false, true);
	hv_mvhpt_purge(v, base, ps, grid, 0);
}

/* The machine VHPT over [base, 2^ps), or all the machine holds of the
 * larger guest page that covered the range: wide, from cover_ps asked
 * before the vTLB purge removed that page (4.6: it goes whole, and its
 * 4 KiB machine sub-pages may lie anywhere in it). */
static void mvhpt_purge_covered(struct vcpu *v, uint64_t base, unsigned ps, unsigned wide,
				uint32_t grid)
{
	if (wide > ps)
		hv_machine_purge(v, base & ~page_mask(wide), wide, grid);
	else
		hv_mvhpt_purge(v, base, ps, grid, 0);
}

void hv_op_itc(struct vcpu *v, enum svtlb_side side, uint64_t va, unsigned ps, uint64_t pte)
{
	struct hart *h = v->h;
	uint64_t base = va & ~page_mask(ps), pa;
	uint32_t grid = guest_rid(v, va);
	struct vtlb_entry e = { .va = base,
				.pte = pte,
				.rid = grid,
				.ps = (uint8_t)ps,
				.side = side == SIDE_I ? VTLB_I : VTLB_D };
	/* The machine gets the translation at once (it would be the first
	 * thing the guest touches) unless it targets device memory: then the
	 * vTLB alone keeps it, so that every access exits to the device model.
	 * Either way no older overlapping translation of this side may stay in
	 * the machine (4.6). */
	bool split = ps > 12 && !v->hv->p.whole_large_pages;
	unsigned wide = cover_ps(v, base, ps, grid);
	if (wide > ps) /* an older, larger page over the range goes whole */
		hv_machine_purge(v, base & ~page_mask(wide), wide, grid);
	if (split) {
		/* The sub-pages of an older translation of this range go first:
		 * the machine cannot tell them from this one's (Xen/IA-64's
		 * thash_purge_and_insert purges [ifa, 2^ps) of the machine VHPT
		 * before every insert). */
		machine_purge_side(v, side, base, ps, grid);
	}
	enum p2m_kind k = hv_machine_insert(v, side, va, grid, ps, pte, &pa);
	if (k != P2M_RAM && !split) /* split: purged above, nothing inserted since */
		machine_purge_side(v, side, base, ps, grid);
	unsigned dropped;
	if (tracked_in_vtlb(v, ps, k, va, grid, pte)) {
		dropped = vtlb_insert(v->vtlb, &e);
		TRACE(h, VTLB_INSERT, 0, base, pte & SVPTE_PPN_MASK, dropped);
	} else {
		/* not tracked: only older overlapping vTLB entries go (4.6) */
		dropped = vtlb_purge(v->vtlb, base, ps, grid);
	}
	h->cycles += (1 + (uint64_t)dropped) * h->m->cfg.cost.hv_vtlb_probe;
}

static void tr_drop(struct vcpu *v, struct svtlb_tr *tr)
{
	uint64_t mpa;
	if (tr->valid) {
		tr->valid = false;
		mmu_hc_flush_range(v->h, tr->va, 1ull << tr->ps);
		/* A TR partly outside guest RAM has no machine TR (hv_op_itr):
		 * the miss handler gave the machine its 4 KiB sub-pages,
		 * which go with it. */
		if (hv_p2m(v->hv, tr->pte & SVPTE_PPN_MASK & ~page_mask(tr->ps), 1ull << tr->ps,
			   &mpa) == P2M_NONE)
			hv_machine_purge(v, tr->va, tr->ps, tr->rid);
	}
}

static bool overlaps(uint64_t a, unsigned aps, uint64_t b, unsigned bps)
{
	unsigned big = aps > bps ? aps : bps;
	return big >= 64 || (a >> big) == (b >> big);
}

/* Guest TRs of side and grid overlapping [base, base + 2^ps) */
static void guest_tr_purge(struct vcpu *v, enum svtlb_side side, uint64_t base, unsigned ps,
			   uint32_t grid)
{
	for (unsigned i = 0; i < SVTLB_NTR; i++) {
		struct svtlb_tr *tr = &v->g.tr[side][i];
		if (tr->valid && tr->rid == grid && overlaps(tr->va, tr->ps, base, ps))
			tr_drop(v, tr);
	}
}

void hv_op_itr(struct vcpu *v, enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps,
	       uint64_t pte)
{
	struct hart *h = v->h;
	struct svtlb *ms = h->svtlb;
	uint64_t base = va & ~page_mask(ps), mpa;
	uint32_t grid = guest_rid(v, va);
	/* The slot's old content, overlapping TRs of the side and RID, and
	 * overlapping TC entries go first (4.6). */
	unsigned wide = cover_ps(v, base, ps, grid);
	tr_drop(v, &v->g.tr[side][slot]);
	guest_tr_purge(v, side, base, ps, grid);
	vtlb_purge(v->vtlb, base, ps, grid);
	mvhpt_purge_covered(v, base, ps, wide, grid);
	v->g.tr[side][slot] = (struct svtlb_tr){
		.va = base, .pte = pte, .rid = grid, .ps = (uint8_t)ps, .valid = true
	};
	TRACE(h, VTLB_INSERT, 1, base, pte & SVPTE_PPN_MASK, 0);
	/* Machine TR in the same slot when the page is wholly guest RAM; a TR
	 * on devices (or partly outside RAM) stays in the vMMU only, and its
	 * accesses exit (MMIO) or take 4 KiB sub-pages (miss handler). */
	struct svtlb_tr *mtr = &ms->tr[side][slot];
	if (mtr->valid) {
		mtr->valid = false;
		mmu_hc_flush_range(h, mtr->va, 1ull << mtr->ps);
	}
	uint64_t gpage = pte & SVPTE_PPN_MASK & ~page_mask(ps);
	if (hv_p2m(v->hv, gpage, 1ull << ps, &mpa) == P2M_RAM)
		svtlb_tr_insert(ms, side, slot, base, ps,
				(pte & ~SVPTE_PPN_MASK) | (mpa & SVPTE_PPN_MASK));
	else
		svtlb_tr_purge(ms, side, base, ps);
	h->cycles += h->m->cfg.cost.tlb_insert;
}

/* ---- purges ---------------------------------------------------------- */

static void purge_one(struct vcpu *v, uint64_t base, unsigned ps, uint32_t grid)
{
	unsigned wide = cover_ps(v, base, ps, grid);
	unsigned n = vtlb_purge(v->vtlb, base, ps, grid);
	hv_machine_purge(v, base & ~page_mask(wide), wide, grid);
	TRACE(v->h, VTLB_PURGE, 1, base, 1ull << ps, n);
}

void hv_op_ptc(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid, bool global)
{
	uint64_t base = va & ~page_mask(ps);
	if (!global) {
		purge_one(v, base, ps, grid);
		return;
	}
	/* Every vCPU of the domain, complete when the operation retires
	 * (4.6 ptc_g); the issuing vCPU pays for the machine VHPT scans. */
	struct hv *hv = v->hv;
	for (unsigned i = 0; i < hv->nvcpus; i++) {
		struct vcpu *t = hv->vcpu[i];
		uint64_t before = t->h->cycles;
		purge_one(t, base, ps, grid);
		if (t != v) {
			v->h->cycles += t->h->cycles - before;
			t->h->cycles = before;
		}
	}
}

void hv_op_ptc_e(struct vcpu *v)
{
	vtlb_purge_all(v->vtlb);
	svtlb_tc_flush(v->h);
	hv_mvhpt_clear(v);
	/* the machine TC and VHPT hold no sub-page any more */
	memset(v->split_ps, 0, sizeof(v->split_ps));
	TRACE(v->h, VTLB_PURGE, 2, 0, 0, 0);
}

void hv_op_ptr(struct vcpu *v, enum svtlb_side side, uint64_t va, unsigned ps)
{
	uint64_t base = va & ~page_mask(ps);
	uint32_t grid = guest_rid(v, va);
	unsigned wide = cover_ps(v, base, ps, grid);
	guest_tr_purge(v, side, base, ps, grid);
	/* machine TRs of the side (machine RID of the same region) and the TC */
	svtlb_tr_purge(v->h->svtlb, side, base, ps);
	unsigned n = vtlb_purge(v->vtlb, base, ps, grid);
	mvhpt_purge_covered(v, base, ps, wide, grid);
	TRACE(v->h, VTLB_PURGE, 4, base, 1ull << ps, n);
}
