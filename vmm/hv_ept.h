/*
 * hv_ept.h - two-stage translation for the EPT configuration
 * (docs/hypervisor.md): the guest's Sv39 (VS-stage) over a G-stage Sv39x4
 * table that the VMM builds in its own memory, walked by the modeled
 * hardware in two dimensions.
 *
 * Contract (implemented in hv_ept.c, called by hv.c):
 *  - hv_ept_init() builds the G-stage table for the domain's guest RAM
 *    (guest-physical RAM_BASE.. -> the machine pages the P2M gives; device
 *    windows left unmapped so accesses to them fault to the VMM) in
 *    machine memory above the guest's RAM; returns 0 or -1 with a message.
 *  - hv_ept_translate() translates a guest virtual address under the
 *    guest's satp (Bare: G-stage only; Sv39: each guest page-table
 *    reference is itself translated by the G-stage, as the privileged spec
 *    8.5 "Two-Stage Address Translation" describes), counting every
 *    reference (EV_PT_REF, cost.pt_ref) and caching the combined
 *    GVA -> machine PA translation in the hart's modeled TLB (tagged with
 *    ASID and VMID so the fast path stays exact).  A G-stage miss on guest
 *    RAM is an exit the VMM resolves; on a device window it is MMIO
 *    emulation (the access goes to the device model, uncached); a VS-stage
 *    page fault is returned to be raised in the guest (causes 12/13/15).
 *  - hv_ept_fence(): HFENCE.GVMA semantics for the VMM (whole VMID or one
 *    guest-physical address).  No VMM path calls it yet, as the P2M is
 *    fixed for a run: it is the hook for a P2M that changes under the
 *    guest (test_ept drives it).  The guest's sfence.vma (VS stage) is the
 *    engine's purge plus hv_ept_sfence (hv_ept_priv.h).
 */
#ifndef VMM_HV_EPT_H
#define VMM_HV_EPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu.h"

struct hv;
struct hart;

int hv_ept_init(struct hv *hv, char *err, size_t errlen);
int hv_ept_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv,
		     struct xlate *out);
void hv_ept_fence(struct hart *h, bool all, uint64_t gpa);

#endif
