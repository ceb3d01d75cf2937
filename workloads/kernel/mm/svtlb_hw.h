/*
 * svtlb_hw.h - the Svtlb TLB operations mm uses (docs/platform.md 4.3,
 * 4.6): TC and TR inserts, purges, and the CSR numbers.  In the unmodified
 * kernel they are the architectural CSR accesses; in the KERNEL_PV build
 * inserts and purges are hypercalls (docs/platform.md 4.10), and purges
 * issued between svtlb_batch_begin/end go to the hypervisor in one call.
 */
#ifndef SVTLB_HW_H
#define SVTLB_HW_H

#include "mm_priv.h"

#define CSR_RR0 0x5c0
#define CSR_RR6 0x5c6
#define CSR_RR7 0x5c7
#define CSR_PTA 0x5c8
#define CSR_IFA 0x5c9
#define CSR_ITIR 0x5ca
#define CSR_IHA 0x5cb
#define CSR_ISR 0x5cc

#define SV_P 0x01ull
#define SV_R 0x02ull
#define SV_W 0x04ull
#define SV_X 0x08ull
#define SV_U 0x10ull
#define SV_A 0x20ull
#define SV_D 0x40ull
#define SV_UC 0x100ull
#define SV_PPN_MASK 0x00fffffffffff000ull /* bits 55:12 */

#define ISR_X 1u
#define ISR_W 2u
#define ISR_R 4u

#define RR_VALUE(rid, ps, ve) (((uint64_t)(rid) << 8) | ((uint64_t)(ps) << 2) | (ve))
#define RR_RID(rr) (((rr) >> 8) & 0xffffff)

enum svtlb_side { SIDE_I = 1, SIDE_D = 2 };

void svtlb_itc(enum svtlb_side side, uint64_t va, unsigned ps, uint64_t pte);
void svtlb_itr(enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps, uint64_t pte);
void svtlb_ptc_e(void);
/* Purges [va, va + 2^ps) of region-0 RID `rid` on every hart. */
void svtlb_ptc_g(uint64_t va, unsigned ps, uint32_t rid);
void svtlb_batch_begin(void);
void svtlb_batch_end(void);

#endif
