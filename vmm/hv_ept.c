/*
 * hv_ept.c - the EPT configuration's side of the hypervisor (contract:
 * hv_ept.h): builds the domain's G-stage in the VMM's memory and connects
 * the two-dimensional walker (hv_ept_walk.c, hv_ept_gstage.c) to hv.c's
 * vCPUs, P2M and exit statistics.
 *
 * Choices (docs/hypervisor.md, EPT row):
 *  - G-stage leaves are 4 KiB pages, so a TLB miss under a 4 KiB guest
 *    page costs the full 15 references of a Sv39-over-Sv39x4 walk; 2 MiB
 *    leaves (hv_ept_params.leaf_shift = 21) are the megapage variant.
 *  - A G-stage fault on an address that is neither guest RAM nor a device
 *    is a "gstage_access" exit and an injected access fault (counted by
 *    hv_inject_plain, cost.hv_inject).
 *  - The whole guest RAM is mapped at attach time (lazy = false), so
 *    G-stage misses do not perturb the steady state; the lazy variant
 *    fills on first touch with a "gstage_miss" exit each.
 *  - HFENCE.GVMA by address purges the combined entries made from the
 *    G-stage leaf that maps the address (found by scanning the modeled TLB,
 *    whose entries keep their guest page and G leaf size); a change to the
 *    G-stage mapping of a guest page-table page needs the whole-VMID form.
 */
#include "hv_ept.h"

#include <stdio.h>

#include "hv_ept_priv.h"
#include "hv_priv.h"

static enum hv_exit_reason exit_reason(enum hv_ept_exit why)
{
	switch (why) {
	case HV_EPT_EXIT_MMIO: return HVX_MMIO;
	case HV_EPT_EXIT_MISS: return HVX_GSTAGE_MISS;
	default: return HVX_GSTAGE_ACCESS;
	}
}

/* on_exit: the exit joins hv.c's per-reason table; hv_stats_exit traces
 * VM_EXIT (without the guest-physical address: it takes none). */
static void report_exit(void *ctx, struct hart *h, enum hv_ept_exit why, uint64_t gpa,
			uint64_t cycles)
{
	(void)ctx;
	(void)gpa;
	if (h->vcpu)
		hv_stats_exit(h->vcpu, exit_reason(why), cycles);
}

int hv_ept_init(struct hv *hv, char *err, size_t errlen)
{
	struct hv_ept_params p;
	uint64_t bytes = hv_ept_table_bytes(hv->guest_ram), base;
	hv_ept_params_default(&p);
	if (hv_vmm_alloc(hv, bytes, HV_EPT_ROOT_BYTES, &base)) {
		snprintf(
			err, errlen,
			"hv_ept.c: the VMM's memory has no room for 0x%llx bytes of G-stage tables "
			"(hv_vmm_bytes must count hv_ept_table_bytes)",
			(unsigned long long)bytes);
		return -1;
	}
	hv->ept = hv_ept_new(hv->m, &p, hv->guest_ram, hv_p2m_ram, hv, base, bytes, err, errlen);
	if (!hv->ept)
		return -1;
	hv->ept->on_exit = report_exit;
	hv->ept->exit_ctx = hv;
	return 0;
}

int hv_ept_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	struct hv_ept *e = h->vcpu->hv->ept;
	uint64_t faults = e->st[h->id].exits[HV_EPT_EXIT_ACCESS];
	int cause = hv_ept_xlate(e, h, va, acc, priv, out);
	/* A G-stage fault the VMM could not resolve: the access fault the
	 * guest takes is the VMM's injection (docs/hypervisor.md, "Fault
	 * injection"), counted and charged as hv.c's gpa_access does for the
	 * same address under the Svtlb configurations.  A VS-stage page fault
	 * is raised by the modeled hardware itself, without the VMM. */
	if (cause && e->st[h->id].exits[HV_EPT_EXIT_ACCESS] != faults)
		return hv_inject_plain(h->vcpu, va, cause);
	return cause;
}

void hv_ept_fence(struct hart *h, bool all, uint64_t gpa)
{
	hv_ept_flush(h->vcpu->hv->ept, h, all, gpa);
}
