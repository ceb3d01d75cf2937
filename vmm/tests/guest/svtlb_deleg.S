/*
 * svtlb_deleg.S - every Svtlb cause can be delegated to S-mode
 * (docs/platform.md "Exception causes"): medeleg bits 24-31 and 48 are
 * writable, and an access-bit fault (cause 48) taken in S-mode reaches the
 * S handler with scause/stval/IFA/ISR set, for a load and for a fetch.
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_deleg.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define VA1 (REGION(2) + 0x3000)
#define VAX (REGION(2) + 0x5000)
#define DELEG_SVTLB 0x10000ff000000

TEST_BEGIN
	li t0, DELEG_SVTLB; csrw medeleg, t0
	csrr a0, medeleg
	li t0, DELEG_SVTLB; and a0, a0, t0
	CHECK_EQ(1, a0, DELEG_SVTLB)

	/* identity TRs over the first 16 MiB of RAM */
	IDENTITY_TRS_16M
	li t0, 15 << 2; csrw CSR_PTA, t0
	li t0, SATP_SVTLB; csrw satp, t0
	csrw scause, zero
	GOTO_S(s_main)

s_main:
	/* access bit on a load, handled in S */
	la a1, pageA; ori a1, a1, SV_P | SV_R | SV_W | SV_D
	ITC_REG(D, VA1, a1, 12)
	TEST_TRAP(2, CAUSE_ACCESS_BIT, li t0, VA1; ld a0, 0(t0))
	CHECK_CSR(scause, CAUSE_ACCESS_BIT)
	CHECK_CSR(stval, VA1)
	CHECK_CSR(CSR_ISR, ISR_R)
	/* the handler's fix: set a, re-insert, retry */
	ori a1, a1, SV_A
	ITC_REG(D, VA1, a1, 12)
	TEST_CASE(3, a0, 0x1111111111111111, li t0, VA1; ld a0, 0(t0))

	/* access bit on a fetch */
	csrw scause, zero
	la a1, xstub; ori a1, a1, SV_P | SV_X
	ITC_REG(I, VAX, a1, 12)
	TEST_TRAP(4, CAUSE_ACCESS_BIT, li t0, VAX; jalr t0)
	CHECK_CSR(scause, CAUSE_ACCESS_BIT)
	CHECK_CSR(CSR_ISR, ISR_X)
	CHECK_CSR(CSR_IFA, VAX)
	TEST_PASS

	.balign 4096
xstub:	li a0, 0x55
	ret
	.balign 4096
TEST_END

TEST_DATA
	.balign 4096
pageA:	.dword 0x1111111111111111
	.skip 4096 - 8
