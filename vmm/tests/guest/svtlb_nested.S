/*
 * svtlb_nested.S - psr.ic and the nested DTLB miss (docs/platform.md 4.3,
 * 4.8): psr resets to ic = 1 and keeps bit 0 only; with ic = 1 a data miss
 * writes the fault CSRs; with ic = 0 a load or store miss is cause 49,
 * stval set as for any trap, ifa and isr untouched (the interrupted
 * handler's fault information survives); a fetch miss with ic = 0 is the
 * ordinary Alt-ITLB miss; medeleg bit 49 is writable.
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_nested.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define VA1 (REGION(2) + 0x3000)
#define MARK 0x1234000

TEST_BEGIN
	/* identity TRs over the first 16 MiB of RAM; pta.ve = 0: every other
	 * miss is an Alt miss */
	IDENTITY_TRS_16M
	li t0, 15 << 2; csrw CSR_PTA, t0
	li t0, SATP_SVTLB; csrw satp, t0

	csrr a0, CSR_PSR
	CHECK_EQ(2, a0, 1)
	li t0, -1; csrw CSR_PSR, t0; csrr a0, CSR_PSR
	CHECK_EQ(3, a0, 1)

	/* ic = 1: the Alt-DTLB miss writes ifa and isr */
	li t0, MARK; csrw CSR_IFA, t0
	SV_TRAP(4, CAUSE_ALT_DTLB_MISS, MSTATUS_MPP_S, li t0, VA1; ld a0, 0(t0))
	CHECK_CSR(CSR_IFA, VA1)
	CHECK_CSR(CSR_ISR, ISR_R)

	/* ic = 0: nested, ifa and isr as they were */
	li t0, MARK; csrw CSR_IFA, t0
	csrw CSR_ISR, zero
	csrw CSR_PSR, zero
	SV_TRAP(5, CAUSE_NESTED_DTLB, MSTATUS_MPP_S, li t0, VA1; sd a0, 0(t0))
	CHECK_EQ_NONUM(TRAP_TVAL, VA1)
	CHECK_CSR(CSR_IFA, MARK)
	CHECK_CSR(CSR_ISR, 0)
	SV_TRAP(6, CAUSE_NESTED_DTLB, 0, li t0, VA1 + 8; ld a0, 0(t0))
	CHECK_CSR(CSR_IFA, MARK)

	/* ic = 0, a fetch: the Alt-ITLB miss as usual, ifa written */
	li TESTNUM, 7
	la TRAP_RECOVER, 1f
	li t6, MSTATUS_MPP; csrc mstatus, t6
	li t6, MSTATUS_MPP_S; csrs mstatus, t6
	li t6, VA1; csrw mepc, t6
	mret
	j harness_fail
	.balign 4
1:	CHECK_EQ_NONUM(TRAP_CAUSE, CAUSE_ALT_ITLB_MISS)
	CHECK_CSR(CSR_IFA, VA1)

	/* the cause can be delegated like the others */
	li t0, 1 << 49; csrs medeleg, t0
	csrr a0, medeleg; srli a0, a0, 49; andi a0, a0, 1
	CHECK_EQ(8, a0, 1)
	li t0, 1; csrw CSR_PSR, t0
	TEST_PASS
TEST_END

TEST_DATA
	.dword 0
