/*
 * hv_sbi.c - ecalls from the guest's S-mode under V=1: the VMM is the
 * guest's firmware.  SBI calls are served by the engine's firmware
 * (vmm/sbi.c) inside an exit; PV hypercalls go to hv_pv.c.
 *
 * Contract: hv.h (hv_ecall).  Every ecall is one exit (cost.vm_exit, or
 * cost.hv_hypercall for a hypercall) counted under "sbi" or "hypercall".
 * What the VMM adds to the firmware:
 *  - a remote fence (RFENCE, legacy sfence.vma) under Svtlb must reach the
 *    guest's TC, which is also the vTLB and the machine VHPT: the firmware
 *    purges the machine TLB of the targets, the VMM empties the vTLBs and
 *    machine VHPTs of every vCPU (more than asked: always allowed,
 *    docs/platform.md 4.6; the Svtlb kernel uses ptc.g instead);
 *  - the debug console's buffer must lie in the guest's RAM, not merely in
 *    machine RAM (the VMM's memory is not the guest's to print).
 */
#include "hv_priv.h"
#include "sbi.h"

#define EID_LEGACY_FENCE_I 0x05
#define EID_LEGACY_SFENCE_VMA_ASID 0x07
#define EID_RFENCE 0x52464E43
#define EID_DBCN 0x4442434E
#define SBI_ERR_INVALID_PARAM (-3)

int hv_pv_call(struct vcpu *v); /* hv_pv.c: true when it served the call */

static bool is_remote_fence(uint64_t eid)
{
	return eid == EID_RFENCE ||
	       (eid >= EID_LEGACY_FENCE_I && eid <= EID_LEGACY_SFENCE_VMA_ASID);
}

/* DBCN console_write/read (SBI v2.0 ch. 12): a0 = bytes, a1/a2 = address. */
static bool dbcn_outside_guest(struct vcpu *v)
{
	struct hart *h = v->h;
	uint64_t mpa, n = h->x[10];
	if (h->x[17] != EID_DBCN || h->x[16] > 1 || n == 0)
		return false;
	return h->x[12] != 0 || hv_p2m(v->hv, h->x[11], n, &mpa) != P2M_RAM;
}

void hv_ecall(struct hart *h)
{
	struct vcpu *v = h->vcpu;
	if (v->hv->pv && hv_pv_call(v))
		return;
	uint64_t eid = h->x[17];
	uint64_t t0 = hv_exit_begin(v, HVX_SBI, eid, h->m->cfg.cost.vm_exit);
	if (dbcn_outside_guest(v)) {
		h->x[10] = (uint64_t)SBI_ERR_INVALID_PARAM;
		h->x[11] = 0;
	} else {
		sbi_ecall(h);
	}
	if (v->hv->svtlb && is_remote_fence(eid)) {
		for (unsigned i = 0; i < v->hv->nvcpus; i++) {
			struct vcpu *t = v->hv->vcpu[i];
			vtlb_purge_all(t->vtlb);
			hv_mvhpt_clear(t);
		}
	}
	hv_exit_end(v, HVX_SBI, t0);
}
