/*
 * pmp.h - physical memory protection (Privileged ISA 20211203, 3.7).
 *
 * Contract: 16 PMP entries (pmpcfg0, pmpcfg2; pmpaddr0-15; the rest of
 * the PMP CSRs read as zero), granularity G = 10, i.e. 4 KiB: every region
 * is a whole number of pages, so one check per page decides for every byte
 * in it and the host fast path may cache pages that passed.  NA4 is not
 * selectable (3.7.1.1 for G >= 1).  pmp_check() applies to S and U accesses
 * always and to M accesses when the matching entry is locked; with no
 * matching entry, M succeeds and S/U fail (16 entries are implemented).
 * Callers raise the access fault of the access kind on failure.
 */
#ifndef VMM_PMP_H
#define VMM_PMP_H

#include <stdbool.h>
#include <stdint.h>

#include "hart.h"

#define PMP_ENTRIES 16
#define PMP_G 10

/* Whether priv may perform acc on the 4 KiB page holding paddr. */
bool pmp_check(const struct hart *h, uint64_t paddr, enum access acc, unsigned priv);
/* CSR side: idx is the CSR offset (pmpcfg: 0..15, pmpaddr: 0..63). */
uint64_t pmp_read_cfg(const struct hart *h, unsigned idx);
void pmp_write_cfg(struct hart *h, unsigned idx, uint64_t val);
uint64_t pmp_read_addr(const struct hart *h, unsigned idx);
void pmp_write_addr(struct hart *h, unsigned idx, uint64_t val);

#endif
