/*
 * hv_inject.c - faults the VMM delivers to the guest, and the
 * architecture's checks that decide them.
 *
 * Contract: hv_priv.h.  An injected Svtlb fault looks to the guest exactly
 * like one raised by hardware (docs/platform.md 4.8, "On every Svtlb
 * fault"): ifa = the address, itir = the GUEST region register's RID and
 * ps, iha = thash computed with the GUEST's rr and pta (even when its
 * walker is off), isr = the access; then the engine raises the cause on the
 * hart, which the guest's medeleg delegates to its S-mode.  With the guest's
 * psr.ic = 0 a data miss is injected as the nested DTLB miss, those CSRs
 * untouched.
 */
#include "hv_priv.h"
#include "trace.h"

/* mstatus bits of the permission check (privileged spec 3.1.6.3). */
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)

static enum hv_inject_kind kind_of(int cause)
{
	switch (cause) {
	case SVTLB_EXC_ITLB_MISS: return HVI_ITLB_MISS;
	case SVTLB_EXC_DTLB_MISS: return HVI_DTLB_MISS;
	case SVTLB_EXC_ALT_ITLB_MISS: return HVI_ALT_ITLB_MISS;
	case SVTLB_EXC_ALT_DTLB_MISS: return HVI_ALT_DTLB_MISS;
	case SVTLB_EXC_VHPT_FAULT: return HVI_VHPT_FAULT;
	case SVTLB_EXC_PAGE_NOT_PRESENT: return HVI_PAGE_NOT_PRESENT;
	case SVTLB_EXC_ACCESS_RIGHTS: return HVI_ACCESS_RIGHTS;
	case SVTLB_EXC_DIRTY_BIT: return HVI_DIRTY_BIT;
	case SVTLB_EXC_ACCESS_BIT: return HVI_ACCESS_BIT;
	case SVTLB_EXC_NESTED_DTLB: return HVI_NESTED_DTLB;
	case EXC_INSN_PAGE:
	case EXC_LOAD_PAGE:
	case EXC_STORE_PAGE: return HVI_PAGE_FAULT;
	default: return HVI_ACCESS_FAULT;
	}
}

static void count(struct vcpu *v, uint64_t va, int cause, uint64_t cycles)
{
	struct hv_counter *c = &v->st.inject[kind_of(cause)];
	c->count++;
	c->cycles += cycles;
	hv_hist_add(&c->hist, cycles);
	TRACE(v->h, INJECT, cause, v->h->pc, va, 0);
}

int hv_inject(struct vcpu *v, uint64_t va, enum access acc, unsigned priv, int cause)
{
	static const uint64_t isr_acc[] = {
		[ACC_FETCH] = ISR_X, [ACC_READ] = ISR_R, [ACC_WRITE] = ISR_W
	};
	struct svtlb *g = &v->g;
	uint64_t cost = v->h->m->cfg.cost.hv_inject;
	v->h->cycles += cost;
	if (svtlb_nested(g->psr, acc, cause)) {
		/* the guest's psr.ic = 0: a nested DTLB miss, its fault CSRs
		 * kept for the handler it interrupted (4.8) */
		count(v, va, SVTLB_EXC_NESTED_DTLB, cost);
		return SVTLB_EXC_NESTED_DTLB;
	}
	uint64_t rr = g->rr[SVTLB_VRN(va)];
	g->ifa = va;
	g->itir = ((uint64_t)RR_PS(rr) << 2) | ((uint64_t)RR_RID(rr) << 8);
	g->iha = svtlb_thash(g, va);
	g->isr = isr_acc[acc] | (priv == PRV_U ? ISR_U : 0);
	count(v, va, cause, cost);
	return cause;
}

int hv_inject_plain(struct vcpu *v, uint64_t va, int cause)
{
	uint64_t cost = v->h->m->cfg.cost.hv_inject;
	v->h->cycles += cost;
	count(v, va, cause, cost);
	return cause;
}

/* The order of docs/platform.md 4.7 step 4: the first failing check wins;
 * the rules are the architecture's, shared with the engine's Svtlb. */
int hv_check_access(const struct hart *h, uint64_t pte, enum access acc, unsigned priv)
{
	return svtlb_check_access(h, pte, acc, priv);
}
