/*
 * hv.h - the hypervisor (VMM): the engine's side of it.  Design and
 * configurations: docs/hypervisor.md.
 *
 * Contract:
 *  - hv_attach() turns a machine into a virtual machine running config p
 *    (before machine_run, after machine_new loaded the guest kernel):
 *    it creates the domain and one vCPU per hart (h->vcpu), the P2M over
 *    the guest's RAM (the first `guest_ram` bytes of machine RAM; the VMM's
 *    own memory - machine VHPTs - lies above and is unreachable by the
 *    guest), the vTLBs, and takes over the firmware role (SBI calls).
 *    Returns 0, or -1 with a one-line message.
 *  - The engine calls the hooks below only for harts with h->vcpu set; each
 *    hook that handles an event counts it, traces it (TRACE VM_EXIT /
 *    INJECT / VTLB_* / GUEST_VHPT_WALK) and charges its cost to h->cycles
 *    (cost table: exit round trip and handler steps).
 *  - hv_translate() replaces mmu_translate() for V=1: 0 and *out, or the
 *    exception cause to raise (the VMM has already set the guest-visible
 *    fault CSRs for an injected Svtlb fault).
 *  - hv_csr_read/write: Svtlb CSRs (0x5C0-0x5FF) under V=1; false when the
 *    CSR is not the VMM's (the engine continues as native), true with
 *    *illegal set for an illegal access (under EPT, every one: its guest
 *    has no Svtlb).
 *  - hv_ecall(): an ecall from the guest's S-mode (SBI or hypercall); the
 *    VMM sets a0/a1; the engine advances pc.
 *  - hv_print_stats(): the per-exit-reason and per-injected-fault table in
 *    the manner of `perf kvm stat report` (count, share of time, mean,
 *    p50, p95 modeled cycles).
 */
#ifndef VMM_HV_H
#define VMM_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmu.h"
#include "vtlb.h"

struct machine;
struct hart;

enum hv_config { HV_NATIVE = 0, HV_STVT, HV_HTVT, HV_STPV, HV_HTPV, HV_EPT };

struct hv_params {
	enum hv_config config;
	struct vtlb_params vtlb;    /* kind follows the config (ST*: single, HT*: hash) */
	bool guest_vhpt_walker;     /* software walk of the guest VHPT before injecting */
	bool full_track;            /* full vs partial track (paper 3.1) */
	bool whole_large_pages;     /* guest pages > 4 KiB whole in the machine, not split */
	unsigned machine_vhpt_log2; /* per-vCPU machine VHPT size, 2^n bytes */
	bool machine_vhpt_chain;    /* collision chains for it (hv_mvhpt_chain.c) */
	uint64_t guest_ram;         /* bytes of machine RAM the guest owns */
};

void hv_params_default(struct hv_params *p, enum hv_config c);
/* "native", "STVT", ...; -1 if unknown. */
int hv_config_parse(const char *name, enum hv_config *c);
const char *hv_config_name(enum hv_config c);

/* Bytes of VMM memory a domain of this shape needs above its RAM (the caller
 * sizes machine RAM = guest RAM + this). */
uint64_t hv_vmm_bytes(const struct hv_params *p, unsigned nvcpus);
int hv_attach(struct machine *m, const struct hv_params *p, char *err, size_t errlen);
void hv_free(struct machine *m);

int hv_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out);
bool hv_csr_read(struct hart *h, unsigned csr, uint64_t *val, bool *illegal);
bool hv_csr_write(struct hart *h, unsigned csr, uint64_t val, bool *illegal);
/* Whether the guest's machine has Svtlb (satp.MODE 14): not under EPT. */
bool hv_guest_svtlb(const struct hart *h);
void hv_ecall(struct hart *h);
/* The engine's sfence.vma under V=1 (exec.c calls it after its own purge):
 * Svtlb: purge the vTLB and machine VHPT too; EPT: hv_ept_sfence. */
void hv_sfence(struct hart *h, uint64_t va, uint32_t asid, bool all_asids, bool all_va);
/* hv_irq.c: the engine takes interrupt `cause` into the guest's S-mode (an
 * external-interrupt exit and an injection), and the guest's wfi (a halt
 * exit). */
void hv_interrupt(struct hart *h, unsigned cause);
void hv_wfi(struct hart *h);

void hv_print_stats(FILE *f, const struct machine *m);
void hv_print_stats_json(FILE *f, const struct machine *m); /* one JSON object, no newline */

#endif
