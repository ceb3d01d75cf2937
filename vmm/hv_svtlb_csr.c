/*
 * hv_svtlb_csr.c - the guest's Svtlb CSRs (0x5C0-0x5FF) under V=1: every
 * access exits and is emulated on the vCPU's vMMU state.
 *
 * Contract: hv_priv.h; the CSR map, fields and validity rules are
 * docs/platform.md 4.3, exactly as the native CSR file (svtlb_csr.c)
 * applies them, so the guest cannot tell the difference: invalid values are
 * illegal and change nothing, operation CSRs read 0, thash/ttag compute
 * with the guest's rr and pta, writes that change translation trap under
 * mstatus.TVM.  Each access is one exit (cost.vm_exit + cost.hv_emulate
 * plus what the operation does), counted by reason.
 */
#include "csr.h"
#include "hv_priv.h"

static bool known(unsigned csr)
{
	return (csr >= CSR_RR0 && csr <= CSR_PSR) || svtlb_is_op_csr(csr) || csr == CSR_THASH ||
	       csr == CSR_TTAG;
}

static uint64_t exit_begin(struct vcpu *v, enum hv_exit_reason r, uint64_t addr)
{
	struct cost_table *c = &v->h->m->cfg.cost;
	uint64_t t0 = hv_exit_begin(v, r, addr, c->vm_exit);
	v->h->cycles += c->hv_emulate;
	return t0;
}

bool hv_svtlb_csr_read(struct vcpu *v, unsigned csr, uint64_t *val, bool *illegal)
{
	if (!known(csr))
		return false;
	uint64_t t0 = exit_begin(v, HVX_CSR_READ, csr);
	const struct svtlb *g = &v->g;
	*illegal = false;
	if (csr < CSR_RR0 + SVTLB_NREGIONS) {
		*val = g->rr[csr - CSR_RR0];
	} else {
		switch (csr) {
		case CSR_PTA: *val = g->pta; break;
		case CSR_IFA: *val = g->ifa; break;
		case CSR_ITIR: *val = g->itir; break;
		case CSR_IHA: *val = g->iha; break;
		case CSR_ISR: *val = g->isr; break;
		case CSR_TRSLOT: *val = g->trslot; break;
		case CSR_PSR: *val = g->psr; break;
		case CSR_THASH: *val = svtlb_thash(g, g->tva); break;
		case CSR_TTAG: *val = svtlb_ttag(g, g->tva); break;
		default: *val = 0; break; /* operation CSRs read as zero */
		}
	}
	hv_exit_end(v, HVX_CSR_READ, t0);
	return true;
}

/* ---- register writes ------------------------------------------------- */

static bool write_rr(struct vcpu *v, unsigned i, uint64_t val)
{
	if (!svtlb_ps_ok(RR_PS(val)))
		return false;
	struct svtlb *ms = v->h->svtlb;
	v->g.rr[i] = val & RR_WRITABLE;
	uint64_t mrr = hv_machine_rr(v->hv, v->g.rr[i]);
	/* The host fast path is not tagged by RID (svtlb_csr.c write_rr). */
	if (RR_RID(mrr) != RR_RID(ms->rr[i])) {
		mmu_hc_flush_all(v->h);
		/* Another region holds this RID or held it: the machine VHPT
		 * entries of either would translate for the other. */
		hv_mvhpt_rid_taken(v, i, RR_RID(v->g.rr[i]));
	}
	ms->rr[i] = mrr;
	return true;
}

static bool write_pta(struct vcpu *v, uint64_t val)
{
	unsigned size = PTA_SIZE(val);
	if (size < PTA_SIZE_MIN || size > PTA_SIZE_MAX)
		return false;
	v->g.pta = (val & (PTA_BASE_MASK | 0xfdull)) | PTA_VF;
	return true;
}

/* ---- operations ------------------------------------------------------ */

static bool op_insert(struct vcpu *v, enum svtlb_side side, bool tr, uint64_t pte)
{
	unsigned ps = ITIR_PS(v->g.itir);
	if (!svtlb_ps_ok(ps) || !svtlb_va_implemented(v->g.ifa))
		return false;
	if (tr)
		hv_op_itr(v, side, (unsigned)(v->g.trslot & (SVTLB_NTR - 1)), v->g.ifa, ps, pte);
	else
		hv_op_itc(v, side, v->g.ifa, ps, pte);
	return true;
}

/* Purge operand: va in bits 63:12, ps in bits 7:2 (4.6). */
static bool purge_operand(uint64_t val, uint64_t *va, unsigned *ps)
{
	*ps = (unsigned)((val >> 2) & 0x3f);
	*va = val & ~0xfffull;
	return svtlb_ps_ok(*ps) && svtlb_va_implemented(*va);
}

static bool op_purge(struct vcpu *v, unsigned csr, uint64_t val)
{
	uint64_t va;
	unsigned ps;
	if (!purge_operand(val, &va, &ps))
		return false;
	uint32_t grid = RR_RID(v->g.rr[SVTLB_VRN(va)]);
	switch (csr) {
	case CSR_PTC_L: hv_op_ptc(v, va, ps, grid, false); break;
	case CSR_PTC_G: hv_op_ptc(v, va, ps, grid, true); break;
	default: hv_op_ptr(v, csr == CSR_PTR_I ? SIDE_I : SIDE_D, va, ps); break;
	}
	return true;
}

static enum hv_exit_reason reason_of(unsigned csr)
{
	if (csr < CSR_RR0 + SVTLB_NREGIONS)
		return HVX_RR_WRITE;
	switch (csr) {
	case CSR_ITC_I:
	case CSR_ITC_D: return HVX_ITC;
	case CSR_ITR_I:
	case CSR_ITR_D: return HVX_ITR;
	case CSR_PTC_L: return HVX_PTC_L;
	case CSR_PTC_E: return HVX_PTC_E;
	case CSR_PTC_G: return HVX_PTC_G;
	case CSR_PTR_I:
	case CSR_PTR_D: return HVX_PTR;
	default: return HVX_CSR_WRITE;
	}
}

static bool write_one(struct vcpu *v, unsigned csr, uint64_t val)
{
	struct svtlb *g = &v->g;
	if (csr < CSR_RR0 + SVTLB_NREGIONS)
		return write_rr(v, csr - CSR_RR0, val);
	switch (csr) {
	case CSR_PTA: return write_pta(v, val);
	case CSR_IFA: g->ifa = val; return true;
	case CSR_ITIR: g->itir = val & ITIR_MASK; return true;
	case CSR_IHA: g->iha = val; return true;
	case CSR_ISR: g->isr = val & ISR_MASK; return true;
	case CSR_TRSLOT: g->trslot = val & (SVTLB_NTR - 1); return true;
	case CSR_PSR: g->psr = val & PSR_IC; return true;
	case CSR_THASH:
	case CSR_TTAG: g->tva = val; return true;
	case CSR_ITC_I: return op_insert(v, SIDE_I, false, val);
	case CSR_ITC_D: return op_insert(v, SIDE_D, false, val);
	case CSR_ITR_I: return op_insert(v, SIDE_I, true, val);
	case CSR_ITR_D: return op_insert(v, SIDE_D, true, val);
	case CSR_PTC_E: hv_op_ptc_e(v); return true;
	default: return op_purge(v, csr, val); /* PTC_L, PTC_G, PTR_I, PTR_D */
	}
}

bool hv_svtlb_csr_write(struct vcpu *v, unsigned csr, uint64_t val, bool *illegal)
{
	if (!known(csr))
		return false;
	struct hart *h = v->h;
	enum hv_exit_reason r = reason_of(csr);
	uint64_t t0 = exit_begin(v, r, val);
	if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM) && svtlb_csr_changes_translation(csr))
		*illegal = true;
	else
		*illegal = !write_one(v, csr, val);
	hv_exit_end(v, r, t0);
	return true;
}
