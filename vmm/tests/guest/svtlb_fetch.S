/*
 * svtlb_fetch.S - Svtlb instruction translation from real S-mode execution
 * (docs/platform.md "Svtlb"), with the Svtlb causes 24-31 delegated to S
 * through medeleg: code pinned by an instruction TR, Alt ITLB miss with
 * sepc/stval/IFA/ISR, ITC_I by the S-mode kernel itself, execute rights,
 * U pages not executable from S, page not present on fetch, data-side
 * inserts not serving fetches, the hardware walker on the instruction side
 * (ITLB miss, then a hit), PTR_I, TRs surviving PTC_E, and RID switches
 * taking effect on the very next fetch.
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_fetch.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define VAX (REGION(3) + 0x4000)
#define VAY (REGION(3) + 0x6000)
#define VAW (REGION(3) + 0x7000)
#define VAZ (REGION(3) + 0x8000)
#define VAV (REGION(3) + 0xa000)

/* Case num: calling va must trap with cause at va. */
#define CALL_TRAP(num, cause, va) \
	TEST_TRAP(num, cause, li t0, va; jalr t0); \
	li t0, va; CHECK_REGS_EQ(num, TRAP_EPC, t0); CHECK_REGS_EQ(num, TRAP_TVAL, t0)
/* Case num: calling va must run xstub (a0 = 0x55). */
#define CALL_OK(num, va) TEST_CASE(num, a0, 0x55, li a0, 0; li t0, va; jalr t0)

TEST_BEGIN
	/* identity TRs over the first 16 MiB of RAM: code, data, tohost */
	IDENTITY_TRS_16M
	li t0, RR(0x33, 12, 0); csrw CSR_RR3, t0
	la t0, vhpt; ori t0, t0, (15 << 2) | PTA_VE; csrw CSR_PTA, t0
	li t0, 0xff000000; csrw medeleg, t0      /* causes 24-31 to S */
	li t0, SATP_SVTLB; csrw satp, t0
	GOTO_S(s_main)

s_main:
	/* ---- Alt ITLB miss, delivered to S ---- */
	CALL_TRAP(1, CAUSE_ALT_ITLB_MISS, VAX)
	CHECK_CSR(CSR_IFA, VAX)
	CHECK_CSR(CSR_ISR, ISR_X)
	CHECK_CSR(CSR_ITIR, (0x33 << 8) | (12 << 2))
	li t0, MSTATUS_SPP; and t0, TRAP_STATUS, t0
	CHECK_EQ(2, t0, MSTATUS_SPP)              /* trapped from S */

	/* ---- the S-mode kernel inserts the translation itself ---- */
	la a1, xstub; ori a1, a1, SV_P | SV_X | SV_A
	ITC_REG(I, VAX, a1, 12)
	CALL_OK(3, VAX)

	/* ---- a new RID hides the region's translations at once; the old
	 * ones come back with the old RID (no purge in between) ---- */
	li t0, RR(0x34, 12, 0); csrw CSR_RR3, t0
	CALL_TRAP(14, CAUSE_ALT_ITLB_MISS, VAX)
	CHECK_CSR(CSR_ITIR, (0x34 << 8) | (12 << 2))
	li t0, RR(0x33, 12, 0); csrw CSR_RR3, t0
	CALL_OK(15, VAX)

	/* ---- execute rights, U pages, not present ---- */
	la a1, xstub; ori a1, a1, SV_P | SV_R | SV_A
	ITC_REG(I, VAY, a1, 12)
	CALL_TRAP(4, CAUSE_ACCESS_RIGHTS, VAY)
	CHECK_CSR(CSR_ISR, ISR_X)
	la a1, xstub; ori a1, a1, SV_P | SV_X | SV_A | SV_U
	ITC_REG(I, VAY, a1, 12)
	CALL_TRAP(5, CAUSE_ACCESS_RIGHTS, VAY)
	la a1, xstub; ori a1, a1, SV_X | SV_A
	ITC_REG(I, VAY, a1, 12)
	CALL_TRAP(6, CAUSE_PAGE_NOT_PRESENT, VAY)
	CHECK_CSR(CSR_ISR, ISR_X)

	/* ---- a data-side insert does not serve fetches ---- */
	la a1, xstub; ori a1, a1, SV_ALL
	ITC_REG(D, VAW, a1, 12)
	CALL_TRAP(7, CAUSE_ALT_ITLB_MISS, VAW)

	/* ---- the walker on the instruction side ---- */
	li t0, RR(0x33, 12, 1); csrw CSR_RR3, t0
	CALL_TRAP(8, CAUSE_ITLB_MISS, VAZ)
	csrr s2, CSR_IHA
	li t0, VAZ; csrw CSR_THASH, t0; csrr t1, CSR_THASH
	CHECK_REGS_EQ(9, s2, t1)
	csrr s3, CSR_TTAG
	la t0, xstub; ori t0, t0, SV_P | SV_X | SV_A
	sd t0, 0(s2)
	li t0, ITIR(12); sd t0, 8(s2)
	sd s3, 16(s2)
	CALL_OK(10, VAZ)
	li t0, RR(0x33, 12, 0); csrw CSR_RR3, t0

	/* ---- instruction TRs: survive PTC_E, removed by PTR_I ---- */
	la a1, xstub; ori a1, a1, SV_P | SV_X | SV_A
	ITR_REG(I, 2, VAV, a1, 12)
	csrw CSR_PTC_E, zero
	CALL_OK(11, VAV)
	CALL_TRAP(12, CAUSE_ALT_ITLB_MISS, VAX)    /* TC entry gone */
	li t0, VAV | (12 << 2); csrw CSR_PTR_I, t0
	CALL_TRAP(13, CAUSE_ALT_ITLB_MISS, VAV)

	TEST_PASS                                  /* from S, through the DTR */

	.balign 4096
xstub:	li a0, 0x55
	ret
	.balign 4096
TEST_END

TEST_DATA
	.balign 32768
vhpt:	.skip 32768
