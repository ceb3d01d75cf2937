/*
 * svtlb_csr.S - the Svtlb CSR file (docs/platform.md "Svtlb", "CSRs"):
 * reset values, field masks, illegal values, the operation CSRs reading
 * zero, the THASH/TTAG functions against the spec's formula, mstatus.TVM
 * trapping translation-changing writes from S-mode, and no access from U.
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_csr.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define TVA (REGION(1) + 0x123456000)
#define RID 0x1234
#define PTABASE 0x80010000

TEST_BEGIN
	/* ---- reset values ---- */
	csrr a0, CSR_RR0; CHECK_EQ(1, a0, 12 << 2)
	csrr a0, CSR_RR7; CHECK_EQ(2, a0, 12 << 2)
	csrr a0, CSR_PTA; CHECK_EQ(3, a0, PTA_VF | (15 << 2))

	/* ---- field masks ---- */
	TEST_CASE(4, a0, 0xffffff31, li t0, 0xffffffffffffff33; csrw CSR_RR2, t0; csrr a0, CSR_RR2)
	TEST_CASE(5, a0, 0xfffffffc, li t0, -1; csrw CSR_ITIR, t0; csrr a0, CSR_ITIR)
	TEST_CASE(6, a0, 0x107, li t0, -1; csrw CSR_ISR, t0; csrr a0, CSR_ISR)
	TEST_CASE(7, a0, 5, li t0, 13; csrw CSR_TRSLOT, t0; csrr a0, CSR_TRSLOT)
	TEST_CASE(8, a0, PTABASE | PTA_VF | (16 << 2) | PTA_VE,
		li t0, PTABASE | (16 << 2) | PTA_VE; csrw CSR_PTA, t0; csrr a0, CSR_PTA)
	TEST_CASE(9, a0, -1, li t0, -1; csrw CSR_IFA, t0; csrr a0, CSR_IFA)

	/* ---- invalid values: illegal instruction, register unchanged ---- */
	TEST_TRAP(10, CAUSE_ILLEGAL, li t0, RR(1, 15, 0); csrw CSR_RR2, t0)
	csrr a0, CSR_RR2; CHECK_EQ(11, a0, 0xffffff31)
	TEST_TRAP(12, CAUSE_ILLEGAL, li t0, RR(1, 30, 0); csrw CSR_RR2, t0)
	TEST_TRAP(13, CAUSE_ILLEGAL, li t0, (14 << 2) | 1; csrw CSR_PTA, t0)
	TEST_TRAP(14, CAUSE_ILLEGAL, li t0, (41 << 2) | 1; csrw CSR_PTA, t0)
	csrr a0, CSR_PTA; CHECK_EQ(15, a0, PTABASE | PTA_VF | (16 << 2) | PTA_VE)

	/* ---- operation CSRs read as zero, and reading does nothing ---- */
	csrr a0, CSR_ITC_D; CHECK_EQ(16, a0, 0)
	csrr a0, CSR_PTC_E; CHECK_EQ(17, a0, 0)

	/* ---- THASH / TTAG against the spec's formula ----
	 * vpn = (va & (2^51 - 1)) >> rr.ps; mix = (rid * 0x9e3779b97f4a7c15) >> 40;
	 * thash = base + ((vpn ^ mix) & (2^(size-5) - 1)) * 32;
	 * ttag = rid << 39 | vpn */
	li t0, RR(RID, 13, 0); csrw CSR_RR1, t0
	li t0, TVA; csrw CSR_THASH, t0
	csrr a0, CSR_THASH
	csrr a1, CSR_TTAG
	li t1, RID; li t2, 0x9e3779b97f4a7c15; mul t1, t1, t2; srli t1, t1, 40
	li t2, (TVA & 0x7ffffffffffff) >> 13
	xor t3, t2, t1
	andi t3, t3, 2047
	slli t3, t3, 5
	li t1, PTABASE; add t3, t3, t1
	CHECK_REGS_EQ(18, a0, t3)
	li t1, RID; slli t1, t1, 39; or t1, t1, t2
	CHECK_REGS_EQ(19, a1, t1)
	/* TTAG reflects the region register at read time */
	li t0, RR(RID + 1, 13, 0); csrw CSR_RR1, t0
	csrr a2, CSR_TTAG
	CHECK_REGS_NE(20, a1, a2)

	/* ---- mstatus.TVM: translation-changing writes trap from S ---- */
	li t0, MSTATUS_TVM; csrs mstatus, t0
	GOTO_S(s_tvm)
	/* each trap resumes in M: go back to S before the next case */
s_tvm:
	TEST_TRAP(21, CAUSE_ILLEGAL, li t0, RR(7, 12, 0); csrw CSR_RR3, t0)
	GOTO_S(s_tvm2)
s_tvm2:
	TEST_TRAP(22, CAUSE_ILLEGAL, csrw CSR_PTC_E, zero)
	GOTO_S(s_tvm3)
s_tvm3:
	TEST_TRAP(23, CAUSE_ILLEGAL, li t0, (16 << 2); csrw CSR_PTA, t0)
	GOTO_S(s_tvm4)
s_tvm4:
	TEST_NO_TRAP(24, li t0, 0x777; csrw CSR_IFA, t0; csrr a0, CSR_RR1; csrr a0, CSR_PTA)
	RETURN_TO_M
	li t0, MSTATUS_TVM; csrc mstatus, t0
	GOTO_S(s_notvm)
s_notvm:
	TEST_NO_TRAP(25, li t0, RR(7, 12, 0); csrw CSR_RR3, t0)
	csrr a0, CSR_RR3; CHECK_EQ(26, a0, RR(7, 12, 0))
	csrr a0, CSR_IFA; CHECK_EQ(27, a0, 0x777)
	RETURN_TO_M

	/* ---- not accessible from U ---- */
	GOTO_U(u_mode)
u_mode:
	TEST_TRAP(28, CAUSE_ILLEGAL, csrr a0, CSR_IFA)   /* resumes in M */
	GOTO_U(u_mode2)
u_mode2:
	TEST_TRAP(29, CAUSE_ILLEGAL, csrw CSR_PTC_E, zero)
	TEST_PASS
TEST_END
