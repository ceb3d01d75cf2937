/*
 * hv_irq.c - the exits of interrupt delivery and of an idle guest: with
 * hardware virtualization an interrupt for a running guest arrives at the
 * VMM first (VT-x's external-interrupt exit; VT-i's interruption to the
 * VMM), which then injects it as a virtual interrupt; a guest's wfi is a
 * halt exit (VT-x HLT exiting, KVM's "HLT" reason in `perf kvm stat`).
 *
 * Contract: hv.h (hv_interrupt, hv_wfi).  Both are counted per vCPU under
 * "interrupt" and "wfi" and charged cost.vm_exit (plus cost.hv_inject for
 * the injection); the engine still delivers the interrupt and still models
 * the idle time of a waiting hart (machine.c), so what is added here is the
 * VMM's round trip only.
 */
#include "hv_priv.h"

void hv_interrupt(struct hart *h, unsigned cause)
{
	struct vcpu *v = h->vcpu;
	uint64_t t0 = hv_exit_begin(v, HVX_INTERRUPT, cause, h->m->cfg.cost.vm_exit);
	h->cycles += h->m->cfg.cost.hv_inject;
	hv_exit_end(v, HVX_INTERRUPT, t0);
}

void hv_wfi(struct hart *h)
{
	struct vcpu *v = h->vcpu;
	uint64_t t0 = hv_exit_begin(v, HVX_WFI, h->pc, h->m->cfg.cost.vm_exit);
	hv_exit_end(v, HVX_WFI, t0);
}
