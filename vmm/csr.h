/*
 * csr.h - the CSR file: numbers, mstatus fields, and access functions.
 *
 * Contract: csr_read()/csr_write() implement every CSR of M, S and U mode
 * (Privileged ISA 20211203 ch. 2 table 2.2-2.5) including WARL
 * legalisation, and forward 0x5C0-0x5FF to Svtlb.  They check privilege
 * (csr[9:8]) and read-only-ness (csr[11:10] == 3) and the counter-enable
 * and TVM rules; they return 0, or -1 when the access is an illegal
 * instruction.  The caller has synced h->instret/h->cycles.
 */
#ifndef VMM_CSR_H
#define VMM_CSR_H

#include <stdint.h>

#include "hart.h"

#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)

/* misa: MXL=2 (64-bit), extensions A, I, M, S, U */
#define MISA_RV64IMASU ((2ull << 62) | (1u << 0) | (1u << 8) | (1u << 12) | (1u << 18) | (1u << 20))

/* Svtlb's exception causes, delegable through medeleg (docs/platform.md). */
#define SVTLB_CAUSES (0xff000000ull | (3ull << 48))

#define CSR_SSTATUS 0x100
#define CSR_SATP 0x180
#define CSR_MSTATUS 0x300
#define CSR_MINSTRET 0xB02

int csr_read(struct hart *h, unsigned csr, uint64_t *val);
int csr_write(struct hart *h, unsigned csr, uint64_t val);
/* Sets mstatus to v (M-mode view, legalised) with its side effects. */
void csr_set_mstatus(struct hart *h, uint64_t v);

#endif
