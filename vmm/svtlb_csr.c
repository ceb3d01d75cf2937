/*
 * svtlb_csr.c - the Svtlb custom CSR file (S-mode custom range 0x5C0-0x5FF):
 * region registers, PTA, the fault information CSRs, the operation CSRs
 * whose writes insert and purge translations, and THASH/TTAG.
 *
 * Contract: svtlb.h (svtlb_csr_read/svtlb_csr_write); the CSR map, field
 * layouts and operand formats are docs/platform.md "Svtlb", subsection
 * "CSRs".  The core has checked privilege already.  A write whose value is
 * invalid for the CSR (unsupported page size, unimplemented address,
 * out-of-range PTA size) sets *illegal and changes nothing, the way Itanium
 * raises a reserved register/field fault.  Each operation counts its event
 * and charges its cost on the hart that performs it.
 */
#include "svtlb.h"
#include "trace.h"

#include "csr.h"
#include "machine.h"
#include "svtlb_priv.h"

static struct svtlb *svtlb_of(struct hart *h)
{
	return (h->svtlb && h->m->cfg.svtlb) ? h->svtlb : NULL;
}

bool svtlb_csr_read(struct hart *h, unsigned csr, uint64_t *val, bool *illegal)
{
	struct svtlb *s = svtlb_of(h);
	if (!s)
		return false;
	*illegal = false;
	if (csr >= CSR_RR0 && csr < CSR_RR0 + SVTLB_NREGIONS) {
		*val = s->rr[csr - CSR_RR0];
		return true;
	}
	switch (csr) {
	case CSR_PTA: *val = s->pta; return true;
	case CSR_IFA: *val = s->ifa; return true;
	case CSR_ITIR: *val = s->itir; return true;
	case CSR_IHA: *val = s->iha; return true;
	case CSR_ISR: *val = s->isr; return true;
	case CSR_TRSLOT: *val = s->trslot; return true;
	case CSR_PSR: *val = s->psr; return true;
	case CSR_THASH: *val = svtlb_thash(s, s->tva); return true;
	case CSR_TTAG: *val = svtlb_ttag(s, s->tva); return true;
	default:
		if (!svtlb_is_op_csr(csr))
			return false;
		*val = 0; /* operation CSRs read as zero */
		return true;
	}
}

/* ---- register writes ------------------------------------------------- */

static bool write_rr(struct hart *h, struct svtlb *s, unsigned i, uint64_t val)
{
	if (!svtlb_ps_ok(RR_PS(val)))
		return false;
	uint64_t old = s->rr[i];
	s->rr[i] = val & RR_WRITABLE;
	/* The host fast path is not tagged by RID: a new RID changes which
	 * translations apply to the whole region. */
	if (RR_RID(old) != RR_RID(s->rr[i]))
		mmu_hc_flush_all(h);
	return true;
}

static bool write_pta(struct svtlb *s, uint64_t val)
{
	unsigned size = PTA_SIZE(val);
	if (size < PTA_SIZE_MIN || size > PTA_SIZE_MAX)
		return false;
	s->pta = (val & (PTA_BASE_MASK | 0xfdull)) | PTA_VF;
	return true;
}

/* ---- operations ------------------------------------------------------ */

static void charge(struct hart *h, enum event_kind ev, uint64_t cycles)
{
	STAT_CHARGE(h, ev, cycles);
}

/* ITC_x / ITR_x: the PTE is the written value, the address IFA, the page
 * size ITIR.ps, the RID that of IFA's region (spec "Inserting"). */
static bool op_insert(struct hart *h, struct svtlb *s, enum svtlb_side side, bool tr, uint64_t pte)
{
	unsigned ps = ITIR_PS(s->itir);
	if (!svtlb_ps_ok(ps) || !svtlb_va_implemented(s->ifa))
		return false;
	if (tr) {
		svtlb_tr_insert(s, side, (unsigned)(s->trslot & (SVTLB_NTR - 1)), s->ifa, ps, pte);
		charge(h, EV_TR_INSERT, h->m->cfg.cost.tlb_insert);
	} else {
		svtlb_tc_insert(h, side, s->ifa, svtlb_rid_of(s, s->ifa), ps, pte);
		charge(h, EV_TC_INSERT, h->m->cfg.cost.tlb_insert);
	}
	return true;
}

/* Purge operand: va in bits 63:12, ps in bits 7:2 (spec "Purging"). */
static bool purge_operand(uint64_t val, uint64_t *va, unsigned *ps)
{
	*ps = (unsigned)((val >> 2) & 0x3f);
	*va = val & ~0xfffull;
	return svtlb_ps_ok(*ps) && svtlb_va_implemented(*va);
}

static bool op_purge(struct hart *h, struct svtlb *s, unsigned csr, uint64_t val)
{
	uint64_t va;
	unsigned ps;
	if (!purge_operand(val, &va, &ps))
		return false;
	uint64_t cost = h->m->cfg.cost.sfence;
	switch (csr) {
	case CSR_PTC_L:
		svtlb_tc_purge(h, va, ps, svtlb_rid_of(s, va));
		charge(h, EV_PTC_L, cost);
		TRACE(h, TLB_PURGE, 1, va, 1ull << ps, svtlb_rid_of(s, va));
		break;
	case CSR_PTC_G: {
		/* Every hart of the machine, with the issuer's RID. */
		uint32_t rid = svtlb_rid_of(s, va);
		for (unsigned i = 0; i < h->m->nharts; i++)
			if (h->m->harts[i])
				svtlb_tc_purge(h->m->harts[i], va, ps, rid);
		charge(h, EV_PTC_G, cost);
		TRACE(h, TLB_PURGE, 3, va, 1ull << ps, rid);
		break;
	}
	default: /* CSR_PTR_I, CSR_PTR_D */
		svtlb_tr_purge(s, csr == CSR_PTR_I ? SIDE_I : SIDE_D, va, ps);
		charge(h, EV_PTR, cost);
		TRACE(h, TLB_PURGE, 4, va, 1ull << ps, 0);
		break;
	}
	return true;
}

static bool write_op(struct hart *h, struct svtlb *s, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_ITC_I: return op_insert(h, s, SIDE_I, false, val);
	case CSR_ITC_D: return op_insert(h, s, SIDE_D, false, val);
	case CSR_ITR_I: return op_insert(h, s, SIDE_I, true, val);
	case CSR_ITR_D: return op_insert(h, s, SIDE_D, true, val);
	case CSR_PTC_E:
		svtlb_tc_flush(h);
		charge(h, EV_PTC_E, h->m->cfg.cost.sfence);
		TRACE(h, TLB_PURGE, 2, 0, 0, 0);
		return true;
	default: return op_purge(h, s, csr, val);
	}
}

bool svtlb_csr_write(struct hart *h, unsigned csr, uint64_t val, bool *illegal)
{
	struct svtlb *s = svtlb_of(h);
	if (!s)
		return false;
	if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM) && svtlb_csr_changes_translation(csr)) {
		*illegal = true;
		return true;
	}
	bool ok = true;
	if (csr >= CSR_RR0 && csr < CSR_RR0 + SVTLB_NREGIONS) {
		ok = write_rr(h, s, csr - CSR_RR0, val);
	} else {
		switch (csr) {
		case CSR_PTA: ok = write_pta(s, val); break;
		case CSR_IFA: s->ifa = val; break;
		case CSR_ITIR: s->itir = val & ITIR_MASK; break;
		case CSR_IHA: s->iha = val; break;
		case CSR_ISR: s->isr = val & ISR_MASK; break;
		case CSR_TRSLOT: s->trslot = val & (SVTLB_NTR - 1); break;
		case CSR_PSR: s->psr = val & PSR_IC; break;
		case CSR_THASH:
		case CSR_TTAG: s->tva = val; break;
		default:
			if (!svtlb_is_op_csr(csr))
				return false;
			ok = write_op(h, s, csr, val);
			break;
		}
	}
	*illegal = !ok;
	return true;
}
