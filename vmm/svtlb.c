/*
 * svtlb.c - Svtlb translation (satp.MODE = 14): the lookup in the
 * translation registers and the translation cache, the permission and
 * bit checks, fault delivery, and the TLB operations (insert, purge) that
 * the CSR file (svtlb_csr.c) and the VHPT walker (svtlb_vhpt.c) perform.
 *
 * Contract: svtlb.h; guest-visible behaviour: docs/platform.md "Svtlb".
 * The translation cache is the hart's modeled TLB (h->itlb for
 * instructions, h->dtlb for data), whose `dropped` callback flushes the
 * host fast path; the TRs live here, and whoever drops a TR flushes its
 * range itself.  Lookups never change state, so the host fast path may
 * serve hits (mmu.h).
 */
#include "svtlb.h"
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "svtlb_priv.h"

/* mstatus bits used by the permission check (privileged spec 3.1.6.3). */
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)

struct svtlb *svtlb_new(struct hart *h)
{
	struct svtlb *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->h = h;
	svtlb_reset(s);
	return s;
}

void svtlb_free(struct svtlb *s)
{
	free(s);
}

/* Reset values: spec "Reset state".  The TC is the hart's tlb_model, which
 * the core flushes at reset itself (it may not be initialized yet here). */
void svtlb_reset(struct svtlb *s)
{
	struct hart *h = s->h;
	memset(s, 0, sizeof(*s));
	s->h = h;
	for (unsigned i = 0; i < SVTLB_NREGIONS; i++)
		s->rr[i] = 12u << 2;
	s->pta = PTA_VF | (PTA_SIZE_MIN << 2);
	s->psr = PSR_IC;
}

struct tlb_model *svtlb_tc(struct hart *h, enum svtlb_side side)
{
	return side == SIDE_I ? &h->itlb : &h->dtlb;
}

static uint64_t page_mask(unsigned ps)
{
	return (1ull << ps) - 1;
}

/* Do [a, a + 2^aps) and [b, b + 2^bps) overlap?  Compared by last byte so
 * that ranges ending at 2^64 do not wrap. */
static bool ranges_overlap(uint64_t a, unsigned aps, uint64_t b, unsigned bps)
{
	uint64_t a_last = a + page_mask(aps), b_last = b + page_mask(bps);
	return a <= b_last && b <= a_last;
}

static uint8_t tlb_perm_of(uint64_t pte)
{
	uint8_t p = TLBP_SVTLB;
	p |= (pte & SVPTE_R) ? TLB_R : 0;
	p |= (pte & SVPTE_W) ? TLB_W : 0;
	p |= (pte & SVPTE_X) ? TLB_X : 0;
	p |= (pte & SVPTE_U) ? TLB_U : 0;
	p |= (pte & SVPTE_A) ? TLB_A : 0;
	p |= (pte & SVPTE_D) ? TLB_D : 0;
	return p;
}

/* ---- lookup ---------------------------------------------------------- */

static bool tr_lookup(const struct svtlb *s, enum svtlb_side side, uint64_t va, uint32_t rid,
		      struct svtlb_map *mp)
{
	for (unsigned i = 0; i < SVTLB_NTR; i++) {
		const struct svtlb_tr *tr = &s->tr[side][i];
		if (tr->valid && tr->rid == rid && ((va ^ tr->va) >> tr->ps) == 0) {
			mp->pte = tr->pte;
			mp->ps = tr->ps;
			return true;
		}
	}
	return false;
}

static bool tc_lookup(struct hart *h, enum svtlb_side side, uint64_t va, uint32_t rid,
		      struct svtlb_map *mp)
{
	struct tlb_model *t = svtlb_tc(h, side);
	struct tlb_entry *e = tlb_model_lookup(t, va, rid);
	if (!e)
		return false;
	if (!(e->perm & TLBP_SVTLB)) {
		/* A leftover of another translation mode: not an Svtlb
		 * translation, so drop it and report a miss. */
		tlb_model_purge(t, e->vpn << e->shift, 1ull << e->shift, e->asid, false, true);
		return false;
	}
	mp->pte = e->aux;
	mp->ps = e->shift;
	return true;
}

/* ---- permission and bit checks --------------------------------------- */

/* Privilege and access rights (spec "Permission checks"): U pages are
 * reachable from U, and from S for data only with sstatus.SUM; fetch needs
 * X, load needs R (or X with sstatus.MXR), store and AMO need W. */
static bool rights_ok(const struct hart *h, uint64_t pte, enum access acc, unsigned priv)
{
	bool user_page = (pte & SVPTE_U) != 0;
	if (priv == PRV_U && !user_page)
		return false;
	if (priv != PRV_U && user_page && (acc == ACC_FETCH || !(h->mstatus & MSTATUS_SUM)))
		return false;
	switch (acc) {
	case ACC_FETCH: return (pte & SVPTE_X) != 0;
	case ACC_READ: return (pte & SVPTE_R) || ((pte & SVPTE_X) && (h->mstatus & MSTATUS_MXR));
	case ACC_WRITE: return (pte & SVPTE_W) != 0;
	}
	return false;
}

/* Checks in the order of the spec's fault priority table. */
int svtlb_check_access(const struct hart *h, uint64_t pte, enum access acc, unsigned priv)
{
	if (!(pte & SVPTE_P))
		return SVTLB_EXC_PAGE_NOT_PRESENT;
	if (!rights_ok(h, pte, acc, priv))
		return SVTLB_EXC_ACCESS_RIGHTS;
	if (acc == ACC_WRITE && !(pte & SVPTE_D))
		return SVTLB_EXC_DIRTY_BIT;
	if (!(pte & SVPTE_A))
		return SVTLB_EXC_ACCESS_BIT;
	return 0;
}

/* ---- fault delivery -------------------------------------------------- */

/* Writes the fault CSRs (spec "Fault information") and returns cause; a
 * data miss with psr.ic = 0 is a nested DTLB miss that leaves them alone
 * (spec "Exception causes"). */
static int deliver(struct svtlb *s, uint64_t va, enum access acc, unsigned priv, int cause)
{
	if (svtlb_nested(s->psr, acc, cause)) {
		s->h->st.ev[EV_SVTLB_FAULT]++;
		return SVTLB_EXC_NESTED_DTLB;
	}
	uint64_t rr = s->rr[SVTLB_VRN(va)];
	static const uint64_t isr_acc[] = {
		[ACC_FETCH] = ISR_X, [ACC_READ] = ISR_R, [ACC_WRITE] = ISR_W
	};
	s->ifa = va;
	s->itir = ((uint64_t)RR_PS(rr) << 2) | ((uint64_t)RR_RID(rr) << 8);
	s->iha = svtlb_thash(s, va);
	s->isr = isr_acc[acc] | (priv == PRV_U ? ISR_U : 0);
	s->h->st.ev[EV_SVTLB_FAULT]++;
	return cause;
}

/* TC miss: the hardware walker when the region and the PTA enable it,
 * otherwise an Alt miss (spec "Translation algorithm", step 4). */
static int refill(struct svtlb *s, uint64_t va, enum svtlb_side side, struct svtlb_map *mp)
{
	if (!(s->rr[SVTLB_VRN(va)] & RR_VE) || !(s->pta & PTA_VE))
		return side == SIDE_I ? SVTLB_EXC_ALT_ITLB_MISS : SVTLB_EXC_ALT_DTLB_MISS;
	return svtlb_vhpt_walk(s, va, side, mp);
}

int svtlb_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	static const int page_fault[] = { [ACC_FETCH] = EXC_INSN_PAGE,
					  [ACC_READ] = EXC_LOAD_PAGE,
					  [ACC_WRITE] = EXC_STORE_PAGE };
	struct svtlb *s = h->svtlb;
	if (!s)
		return page_fault[acc];
	if (!svtlb_va_implemented(va))
		return deliver(s, va, acc, priv, page_fault[acc]);

	enum svtlb_side side = acc == ACC_FETCH ? SIDE_I : SIDE_D;
	uint32_t rid = svtlb_rid_of(s, va);
	struct svtlb_map mp;
	if (!tr_lookup(s, side, va, rid, &mp) && !tc_lookup(h, side, va, rid, &mp)) {
		h->st.ev[side == SIDE_I ? EV_ITLB_MISS : EV_DTLB_MISS]++;
		TRACE(h, TLB_MISS, acc, va, 0, SATP_MODE_SVTLB);
		int cause = refill(s, va, side, &mp);
		if (cause)
			return deliver(s, va, acc, priv, cause);
	}
	int cause = svtlb_check_access(h, mp.pte, acc, priv);
	if (cause)
		return deliver(s, va, acc, priv, cause);

	/* PPN bits below the page size are ignored (spec "The Svtlb PTE"). */
	uint64_t mask = page_mask(mp.ps);
	out->paddr = ((mp.pte & SVPTE_PPN_MASK) & ~mask) | (va & mask);
	/* The mapping is resident (TR, TC, or just inserted by the walker)
	 * and this access needs no fault nor bit update. */
	out->cacheable = true;
	return 0;
}

/* ---- inserts --------------------------------------------------------- */

void svtlb_tc_insert(struct hart *h, enum svtlb_side side, uint64_t va, uint32_t rid, unsigned ps,
		     uint64_t pte)
{
	struct tlb_model *t = svtlb_tc(h, side);
	uint64_t base = va & ~page_mask(ps);
	/* Remove every overlapping entry of this RID first, so that a lookup
	 * can never find two translations for one address and a replaced
	 * translation leaves the host fast path (through `dropped`). */
	tlb_model_purge(t, base, 1ull << ps, rid, false, true);
	struct tlb_entry e = {
		.vpn = va >> ps,
		.ppn = (pte & SVPTE_PPN_MASK) >> ps,
		.aux = pte,
		.asid = rid,
		.shift = (uint8_t)ps,
		.perm = tlb_perm_of(pte),
		.valid = 1,
		.global = 0,
	};
	tlb_model_insert(t, &e);
}

static void tr_drop(struct svtlb *s, struct svtlb_tr *tr)
{
	if (!tr->valid)
		return;
	tr->valid = false;
	mmu_hc_flush_range(s->h, tr->va, 1ull << tr->ps);
}

void svtlb_tr_insert(struct svtlb *s, enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps,
		     uint64_t pte)
{
	uint64_t base = va & ~page_mask(ps);
	/* The old content of the slot, overlapping TRs of the same RID and
	 * overlapping TC entries are purged (spec "TR insert"). */
	tr_drop(s, &s->tr[side][slot]);
	svtlb_tr_purge(s, side, base, ps);
	s->tr[side][slot] = (struct svtlb_tr){
		.va = base, .pte = pte, .rid = svtlb_rid_of(s, va), .ps = (uint8_t)ps, .valid = true
	};
}

/* ---- purges ---------------------------------------------------------- */

void svtlb_tc_purge(struct hart *h, uint64_t va, unsigned ps, uint32_t rid)
{
	uint64_t base = va & ~page_mask(ps);
	tlb_model_purge(&h->itlb, base, 1ull << ps, rid, false, true);
	tlb_model_purge(&h->dtlb, base, 1ull << ps, rid, false, true);
}

void svtlb_tr_purge(struct svtlb *s, enum svtlb_side side, uint64_t va, unsigned ps)
{
	uint64_t base = va & ~page_mask(ps);
	uint32_t rid = svtlb_rid_of(s, va);
	for (unsigned i = 0; i < SVTLB_NTR; i++) {
		struct svtlb_tr *tr = &s->tr[side][i];
		if (tr->valid && tr->rid == rid && ranges_overlap(tr->va, tr->ps, base, ps))
			tr_drop(s, tr);
	}
	tlb_model_purge(svtlb_tc(s->h, side), base, 1ull << ps, rid, false, true);
}

void svtlb_tc_flush(struct hart *h)
{
	tlb_model_flush(&h->itlb);
	tlb_model_flush(&h->dtlb);
	/* Whether or not the model reports a flush entry by entry, nothing
	 * the TC held may stay in the fast path (TR pages simply refill). */
	mmu_hc_flush_all(h);
}
