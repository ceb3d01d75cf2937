/*
 * svtlb_defs.h - Svtlb constants for guest assembly (the numbers of
 * docs/platform.md, section "Svtlb"), plus the helpers the svtlb_*.S tests
 * share.  Include after harness.h.
 *
 * Data-access cases run from M-mode with mstatus.MPRV=1 and MPP set to the
 * privilege under test, so the access is translated by Svtlb exactly as an
 * S- or U-mode access would be (privileged spec 3.1.6.3) and any fault
 * reaches the harness M handler.  Every path out of such a window, normal or
 * trapped, clears MPRV again (an mret from the handler leaves MPP = U, so a
 * stale MPRV would translate the harness's own tohost store).
 */
#ifndef VTLAB_GUEST_SVTLB_DEFS_H
#define VTLAB_GUEST_SVTLB_DEFS_H

/* CSRs (spec "CSRs") */
#define CSR_RR0    0x5c0
#define CSR_RR1    0x5c1
#define CSR_RR2    0x5c2
#define CSR_RR3    0x5c3
#define CSR_RR4    0x5c4
#define CSR_RR5    0x5c5
#define CSR_RR6    0x5c6
#define CSR_RR7    0x5c7
#define CSR_PTA    0x5c8
#define CSR_IFA    0x5c9
#define CSR_ITIR   0x5ca
#define CSR_IHA    0x5cb
#define CSR_ISR    0x5cc
#define CSR_TRSLOT 0x5cd
#define CSR_PSR    0x5ce
#define CSR_ITC_I  0x5d0
#define CSR_ITC_D  0x5d1
#define CSR_ITR_I  0x5d2
#define CSR_ITR_D  0x5d3
#define CSR_PTC_L  0x5d4
#define CSR_PTC_E  0x5d5
#define CSR_PTC_G  0x5d6
#define CSR_PTR_I  0x5d7
#define CSR_PTR_D  0x5d8
#define CSR_THASH  0x5da
#define CSR_TTAG   0x5db

#define SATP_SVTLB (14 << 60)

/* Region register: ve[0], ps[7:2], rid[31:8] */
#define RR(rid, ps, ve) (((rid) << 8) | ((ps) << 2) | (ve))
/* PTA: ve[0], size[7:2], vf[8] (reads 1), base[63:15] */
#define PTA_VE 1
#define PTA_VF 0x100
/* ITIR: ps[7:2] */
#define ITIR(ps) ((ps) << 2)
/* Purge operand: va | ps << 2 */

/* PTE bits (spec "The Svtlb PTE") */
#define SV_P  0x01
#define SV_R  0x02
#define SV_W  0x04
#define SV_X  0x08
#define SV_U  0x10
#define SV_A  0x20
#define SV_D  0x40
#define SV_UC 0x100
#define SV_RWAD (SV_P | SV_R | SV_W | SV_A | SV_D)
#define SV_ALL  (SV_P | SV_R | SV_W | SV_X | SV_A | SV_D)

/* ISR bits */
#define ISR_X 1
#define ISR_W 2
#define ISR_R 4
#define ISR_U 0x100

/* Exception causes (spec "Exception causes") */
#define CAUSE_ITLB_MISS        24
#define CAUSE_DTLB_MISS        25
#define CAUSE_ALT_ITLB_MISS    26
#define CAUSE_ALT_DTLB_MISS    27
#define CAUSE_VHPT_FAULT       28
#define CAUSE_PAGE_NOT_PRESENT 29
#define CAUSE_ACCESS_RIGHTS    30
#define CAUSE_DIRTY_BIT        31
#define CAUSE_ACCESS_BIT       48
#define CAUSE_NESTED_DTLB      49

/* Region bases */
#define REGION(n) ((n) << 61)

/* ---- helpers (M-mode) ---- */

/* Inserts a TC (side I or D) translation va -> pte with page size ps.
 * Clobbers t5. */
#define ITC(side, va, pte, ps) \
	li t5, va; csrw CSR_IFA, t5; \
	li t5, ITIR(ps); csrw CSR_ITIR, t5; \
	li t5, pte; csrw CSR_ITC_##side, t5

/* Same with the PTE in a register. */
#define ITC_REG(side, va, ptereg, ps) \
	li t5, va; csrw CSR_IFA, t5; \
	li t5, ITIR(ps); csrw CSR_ITIR, t5; \
	csrw CSR_ITC_##side, ptereg

/* Pins va -> ptereg in TR slot `slot` of side I or D. */
#define ITR_REG(side, slot, va, ptereg, ps) \
	li t5, slot; csrw CSR_TRSLOT, t5; \
	li t5, va; csrw CSR_IFA, t5; \
	li t5, ITIR(ps); csrw CSR_ITIR, t5; \
	csrw CSR_ITR_##side, ptereg

/* Pins the first 16 MiB of RAM (code, data, tohost) with identity TRs in
 * slot 0 of both sides.  Clobbers s0, a1, t5. */
#define IDENTITY_TRS_16M \
	li s0, 0x80000000; \
	ori a1, s0, SV_P | SV_R | SV_X | SV_A; \
	ITR_REG(I, 0, 0x80000000, a1, 24); \
	ori a1, s0, SV_RWAD; \
	ITR_REG(D, 0, 0x80000000, a1, 24)

/* Enters / leaves an MPRV window translating data accesses as privilege
 * mpp (MSTATUS_MPP_S or 0 for U). */
#define MPRV_ON(mpp) \
	li t6, MSTATUS_MPP; csrc mstatus, t6; \
	li t6, MSTATUS_MPRV | (mpp); csrs mstatus, t6
#define MPRV_OFF li t6, MSTATUS_MPRV; csrc mstatus, t6

/* Case num: the data access insn, made as privilege mpp, must not trap. */
#define SV_OK(num, mpp, ...) \
	li TESTNUM, num; \
	MPRV_ON(mpp); __VA_ARGS__; MPRV_OFF

/* Case num: the data access insn, made as privilege mpp, must trap with
 * cause; TRAP_TVAL etc. are then available. */
#define SV_TRAP(num, cause, mpp, ...) \
	li TESTNUM, num; \
	la TRAP_RECOVER, 8001f; \
	MPRV_ON(mpp); __VA_ARGS__; MPRV_OFF; \
	j harness_fail; \
	.balign 4; \
8001:	MPRV_OFF; \
	CHECK_EQ_NONUM(TRAP_CAUSE, cause)

/* reg must equal the value of csr (within the current case). */
#define CHECK_CSR(csr, expected) \
	csrr t4, csr; CHECK_EQ_NONUM(t4, expected)

/* Loads the 64-bit pattern stored at the physical address of a page into
 * reg (untranslated, from M-mode). */
#define PHYS_LD(reg, sym) la t5, sym; ld reg, 0(t5)

#endif
