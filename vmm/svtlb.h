/*
 * svtlb.h - Svtlb, the software-managed TLB translation mode (satp.MODE=14),
 * modeled on the Itanium architecture.  The full specification is
 * docs/platform.md, section "Svtlb"; this header is the engine's side of it.
 *
 * Contract with the core (exec/csr/mmu):
 *  - svtlb_translate() is called by mmu_translate() when satp.MODE == 14 and
 *    the effective privilege is S or U.  It consults the TRs and the TC (a
 *    struct tlb_model), runs the hardware VHPT walker when the region and the
 *    PTA enable it, and either fills *out (returning 0) or returns the
 *    exception cause to raise, having set the fault CSRs (faulting address,
 *    hash address, insertion template) first.  tval is the faulting va.
 *  - Whenever a TR or TC entry is dropped (purge, replacement), Svtlb calls
 *    mmu_hc_flush_range() for the virtual range it covered.
 *  - The custom CSRs live in the S-mode custom range 0x5C0-0x5FF.  The core
 *    has already checked privilege and read-only-ness from the CSR number;
 *    svtlb_csr_read/write return false if csr is not an Svtlb CSR, and
 *    return true with *illegal set if the access is otherwise illegal.
 *    Inserts and purges are performed by the CSR write itself.
 *  - Every event is counted in h->st.ev[] (EV_VHPT_*, EV_TC_INSERT, ...) and
 *    charged through h->m->cfg.cost.
 */
#ifndef VMM_SVTLB_H
#define VMM_SVTLB_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu.h"

struct svtlb *svtlb_new(struct hart *h);
void svtlb_free(struct svtlb *s);
/* Resets all Svtlb state (reset, or satp switching into MODE 14 leaves
 * state as is: see the spec). */
void svtlb_reset(struct svtlb *s);
int svtlb_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out);
bool svtlb_csr_read(struct hart *h, unsigned csr, uint64_t *val, bool *illegal);
bool svtlb_csr_write(struct hart *h, unsigned csr, uint64_t val, bool *illegal);

#endif
