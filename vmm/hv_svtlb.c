/*
 * hv_svtlb.c - full and paravirtual virtualization of Svtlb: setting up a
 * vCPU's vMMU and machine TLB, translation under V=1, and the VMM's miss
 * handler (the paper's design, docs/hypervisor.md).
 *
 * Contract: hv_priv.h.  A translation first runs on the machine TLB (the
 * hart's struct svtlb: TRs, TC, and the hardware walker on the machine
 * VHPT, all at native cost).  Only what the machine cannot resolve exits:
 *  - a machine miss (TC and machine VHPT): the miss handler looks first in
 *    the machine VHPT's collision chain of the address (hv_mvhpt_chain.c:
 *    a hit goes back into its slot and the access is retried), then at
 *    the guest's TRs and the vTLB (probes charged); a hit is checked as the
 *    architecture checks it (docs/platform.md 4.7 step 4) and inserted into
 *    the machine (VHPT and TC) - unless it targets device memory: then
 *    nothing is inserted and the access goes to the device model, so every
 *    access to that page exits (MMIO).  A vTLB miss walks the guest's VHPT
 *    in software when --guest-vhpt-walker is on and the guest's rr.ve and
 *    pta.ve enable it; otherwise, or when that walk misses, the VMM injects
 *    the fault the architecture would raise (Alt miss when the guest's
 *    walker is off for the region).  When the vTLB no longer holds a
 *    device mapping (the single vTLB keeps one D entry), the VMM cannot
 *    know the access is I/O and injects the miss: the paper's Alt-DTLB
 *    effect, deliberately not special-cased.
 *  - a fault on a machine translation (page not present, rights, dirty,
 *    access bit): machine PTEs are the guest's with the PPN replaced; when
 *    the guest's TRs or vTLB hold va, the guest's own view decides (the
 *    same handler runs and either fixes the machine TC or injects what the
 *    guest's view says); otherwise the translation is one partial track
 *    left to the machine alone and its fault is reflected as is.
 *  - an unimplemented address: the page fault is reflected with the fault
 *    CSRs.
 */
#include <string.h>

#include "hv_priv.h"
#include "le_bytes.h"
#include "svtlb.h"
#include "trace.h"

static uint64_t page_mask(unsigned ps)
{
	return (1ull << ps) - 1;
}

/* ---- attach ---------------------------------------------------------- */

static void guest_reset(struct vcpu *v)
{
	/* Reset state of docs/platform.md 4.9, as svtlb_reset() gives it. */
	memset(&v->g, 0, sizeof(v->g));
	v->g.h = v->h;
	for (unsigned i = 0; i < SVTLB_NREGIONS; i++)
		v->g.rr[i] = 12u << 2;
	v->g.pta = PTA_VF | ((uint64_t)PTA_SIZE_MIN << 2);
	v->g.psr = PSR_IC;
}

int hv_svtlb_attach(struct vcpu *v, char *err, size_t errlen)
{
	struct hv *hv = v->hv;
	struct svtlb *ms = v->h->svtlb;
	guest_reset(v);
	v->vtlb = vtlb_create(&hv->p.vtlb);
	if (!v->vtlb) {
		snprintf(err, errlen,
			 "vmm/hv_svtlb.c: vTLB parameters rejected (buckets %u must be a power of "
			 "two, pool %u and chain-max %u at least 1) or out of memory",
			 hv->p.vtlb.buckets, hv->p.vtlb.pool, hv->p.vtlb.chain_max);
		return -1;
	}
	unsigned log2 = hv->p.machine_vhpt_log2;
	if (log2 < PTA_SIZE_MIN || log2 > PTA_SIZE_MAX ||
	    hv_vmm_alloc(hv, 1ull << log2, 1ull << log2, &v->mvhpt_base)) {
		snprintf(
			err, errlen,
			"vmm/hv_svtlb.c: machine VHPT of 2^%u bytes for vCPU %u: expected 2^%u..2^%u "
			"bytes within the VMM memory",
			log2, v->id, PTA_SIZE_MIN, PTA_SIZE_MAX);
		return -1;
	}
	v->mvhpt_log2 = log2;
	if (hv->p.machine_vhpt_chain) {
		uint64_t slots = 1ull << (log2 - 5); /* the chain pool: as many entries */
		v->mchain = hv_mchain_new(slots, (uint32_t)slots);
		if (!v->mchain) {
			snprintf(err, errlen,
				 "vmm/hv_svtlb.c: out of memory for the machine VHPT's collision "
				 "chains of vCPU %u (%llu entries; --machine-vhpt-chain off goes "
				 "without)",
				 v->id, (unsigned long long)slots);
			return -1;
		}
		v->mchain_heads = hv_mchain_heads(v->mchain);
	}
	v->mvhpt = phys_ram_ptr(v->h->m, v->mvhpt_base, 1ull << log2); /* inside: allocated */
	/* Fresh RAM reads zero, which is a valid tag (RID 0, page 0): mark
	 * every entry invalid before the walker may look. */
	uint64_t cycles = v->h->cycles; /* set-up is not guest time */
	v->mvhpt_used = 1;
	hv_mvhpt_clear(v);
	v->st.mvhpt_clears = 0;
	v->h->cycles = cycles;
	for (unsigned i = 0; i < SVTLB_NREGIONS; i++)
		ms->rr[i] = hv_machine_rr(hv, v->g.rr[i]);
	ms->pta = v->mvhpt_base | ((uint64_t)log2 << 2) | PTA_VF | PTA_VE;
	memset(ms->tr, 0, sizeof(ms->tr));
	svtlb_tc_flush(v->h);
	return 0;
}

/* ---- the guest's view ------------------------------------------------ */

static bool guest_tr_lookup(const struct vcpu *v, enum svtlb_side side, uint64_t va, uint32_t grid,
			    struct svtlb_map *mp)
{
	for (unsigned i = 0; i < SVTLB_NTR; i++) {
		const struct svtlb_tr *tr = &v->g.tr[side][i];
		if (tr->valid && tr->rid == grid && ((va ^ tr->va) >> tr->ps) == 0) {
			mp->pte = tr->pte;
			mp->ps = tr->ps;
			return true;
		}
	}
	return false;
}

static bool vtlb_find(struct vcpu *v, enum svtlb_side side, uint64_t va, uint32_t grid,
		      struct svtlb_map *mp)
{
	unsigned probes = 0;
	const struct vtlb_entry *e =
		vtlb_lookup(v->vtlb, va, grid, side == SIDE_I ? VTLB_I : VTLB_D, &probes);
	v->st.vtlb_probes += probes;
	v->h->cycles += (uint64_t)probes * v->h->m->cfg.cost.hv_vtlb_probe;
	if (!e) {
		v->st.vtlb_misses++;
		TRACE(v->h, VTLB_MISS, probes, va, 0, probes);
		return false;
	}
	v->st.vtlb_hits++;
	TRACE(v->h, VTLB_HIT, probes, va, 0, probes);
	mp->pte = e->pte;
	mp->ps = e->ps;
	return true;
}

/* The software VHPT walker: what the guest's hardware walker would do
 * (docs/platform.md 4.7 step 3), in the guest's physical memory through
 * the P2M.  0 with *mp, or the cause to inject. */
static int guest_vhpt_walk(struct vcpu *v, uint64_t va, enum svtlb_side side, uint32_t grid,
			   struct svtlb_map *mp)
{
	struct hart *h = v->h;
	uint64_t gpa = svtlb_thash(&v->g, va), mpa;
	h->cycles += h->m->cfg.cost.hv_guest_walk;
	v->st.guest_walks++;
	if (hv_p2m(v->hv, gpa, VHPT_ENTRY_SIZE, &mpa) != P2M_RAM) {
		TRACE(h, GUEST_VHPT_WALK, 2, va, gpa, 0);
		return SVTLB_EXC_VHPT_FAULT;
	}
	const uint8_t *e = phys_ram_ptr(h->m, mpa, VHPT_ENTRY_SIZE);
	uint64_t pte = le64_load(e), itir = le64_load(e + 8), tag = le64_load(e + 16);
	unsigned ps = ITIR_PS(itir);
	if ((tag & VHPT_TAG_TI) || tag != svtlb_ttag(&v->g, va) || !svtlb_ps_ok(ps)) {
		TRACE(h, GUEST_VHPT_WALK, 1, va, gpa, 0);
		return side == SIDE_I ? SVTLB_EXC_ITLB_MISS : SVTLB_EXC_DTLB_MISS;
	}
	TRACE(h, GUEST_VHPT_WALK, 0, va, gpa, 0);
	v->st.guest_walk_hits++;
	if (!(pte & SVPTE_P))
		return SVTLB_EXC_PAGE_NOT_PRESENT; /* nothing inserted (4.7) */
	mp->pte = pte;
	mp->ps = ps;
	/* What the guest's walker found is a TC entry of the guest: full track
	 * keeps it in the vTLB too; partial track leaves it to the machine
	 * VHPT/TC (paper 003, 3.1) - except in the single vTLB, which is the
	 * guest's last TC insert, by itc or by its walker (hv_svtlb_ops.c). */
	if (v->hv->p.full_track || v->hv->p.vtlb.kind == VTLB_SINGLE) {
		struct vtlb_entry ve = { .va = va & ~page_mask(ps),
					 .pte = pte,
					 .rid = grid,
					 .ps = (uint8_t)ps,
					 .side = side == SIDE_I ? VTLB_I : VTLB_D };
		vtlb_insert(v->vtlb, &ve);
		h->cycles += h->m->cfg.cost.hv_vtlb_probe;
	}
	return 0;
}

/* Where the guest's view finds a translation for va, or the fault.
 * machine_fault: the fault the machine raised on a translation it holds
 * (0 for a machine miss).  Under partial track a guest page of the
 * machine's size lives in the machine VHPT/TC only (hv_op_itc), so when the
 * vTLB does not know va the machine's entry IS the guest's translation and
 * its fault is the guest's: reflected as is, as Xen/IA-64 reflects the
 * dirty-bit, access-bit, access-rights and page-not-present faults of the
 * machine TLB (VMX_REFLECT in xen/arch/ia64/vmx/vmx_ivt.S). */
static int guest_lookup(struct vcpu *v, uint64_t va, enum svtlb_side side, struct svtlb_map *mp,
			int machine_fault)
{
	uint64_t rr = v->g.rr[SVTLB_VRN(va)];
	uint32_t grid = RR_RID(rr);
	if (guest_tr_lookup(v, side, va, grid, mp) || vtlb_find(v, side, va, grid, mp))
		return 0;
	if (machine_fault)
		return machine_fault;
	if (!(rr & RR_VE) || !(v->g.pta & PTA_VE))
		return side == SIDE_I ? SVTLB_EXC_ALT_ITLB_MISS : SVTLB_EXC_ALT_DTLB_MISS;
	if (!v->hv->p.guest_vhpt_walker)
		return side == SIDE_I ? SVTLB_EXC_ITLB_MISS : SVTLB_EXC_DTLB_MISS;
	return guest_vhpt_walk(v, va, side, grid, mp);
}

static int access_fault_of(enum access acc)
{
	return acc == ACC_FETCH  ? EXC_INSN_ACCESS
	       : acc == ACC_READ ? EXC_LOAD_ACCESS
				 : EXC_STORE_ACCESS;
}

/* The miss handler, inside an exit; may turn the exit into an MMIO one. */
static int resolve(struct vcpu *v, uint64_t va, enum access acc, unsigned priv, struct xlate *out,
		   enum hv_exit_reason *reason, int machine_fault)
{
	struct hart *h = v->h;
	enum svtlb_side side = acc == ACC_FETCH ? SIDE_I : SIDE_D;
	struct svtlb_map gm;
	int cause = guest_lookup(v, va, side, &gm, machine_fault);
	if (!cause)
		cause = hv_check_access(h, gm.pte, acc, priv);
	if (cause)
		return hv_inject(v, va, acc, priv, cause);
	uint64_t pa;
	uint32_t grid = RR_RID(v->g.rr[SVTLB_VRN(va)]);
	switch (hv_machine_insert(v, side, va, grid, gm.ps, gm.pte, &pa)) {
	case P2M_RAM:
		out->paddr = pa;
		out->cacheable = true; /* resident in the machine TC now */
		return 0;
	case P2M_MMIO:
		*reason = HVX_MMIO;
		h->cycles += h->m->cfg.cost.hv_mmio;
		v->st.mmio_accesses++;
		out->paddr = pa;
		out->cacheable = false;
		return 0;
	default: return hv_inject_plain(v, va, access_fault_of(acc));
	}
}

static bool machine_miss(int cause)
{
	return cause >= SVTLB_EXC_ITLB_MISS && cause <= SVTLB_EXC_VHPT_FAULT;
}

int hv_svtlb_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv,
		       struct xlate *out)
{
	int cause = svtlb_translate(h, va, acc, priv, out);
	if (!cause)
		return 0;
	struct vcpu *v = h->vcpu;
	uint64_t cost = h->m->cfg.cost.vm_exit;
	if (!svtlb_va_implemented(va)) {
		uint64_t t0 = hv_exit_begin(v, HVX_FAULT, va, cost);
		cause = hv_inject(v, va, acc, priv, cause);
		hv_exit_end(v, HVX_FAULT, t0);
		return cause;
	}
	enum hv_exit_reason reason = machine_miss(cause) ? HVX_TLB_MISS : HVX_FAULT;
	uint64_t t0 = hv_exit_begin(v, reason, va, cost);
	int machine_fault = reason == HVX_FAULT ? cause : 0;
	if (reason == HVX_TLB_MISS && hv_mvhpt_chain_lookup(v, va)) {
		/* back in its hash slot: the retried access walks to it, or
		 * faults on it and the guest's view decides as for any fault */
		cause = svtlb_translate(h, va, acc, priv, out);
		if (!cause) {
			hv_exit_end(v, reason, t0);
			return 0;
		}
		machine_fault = machine_miss(cause) ? 0 : cause;
	}
	cause = resolve(v, va, acc, priv, out, &reason, machine_fault);
	hv_exit_end(v, reason, t0);
	return cause;
}
