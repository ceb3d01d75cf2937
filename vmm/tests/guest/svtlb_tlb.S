/*
 * svtlb_tlb.S - Svtlb data translation through the TC and the TRs
 * (docs/platform.md "Svtlb"): Alt DTLB miss and its fault CSRs, ITC_D,
 * PTC_L, PTC_E, PTC_G, ITR_D, PTR_D, TR overlap rules, RID separation,
 * page-not-present, access-rights (R/W/X, U/S, SUM, MXR), dirty-bit and
 * access-bit faults and their priority, large pages, unimplemented
 * addresses, I/D separation and illegal operands.
 *
 * Data accesses are made from M-mode under mstatus.MPRV (svtlb_defs.h), so
 * every fault lands in the harness M handler.  The VHPT walker is disabled
 * (RR.ve = 0, PTA.ve = 0), so every TC miss is an Alt DTLB miss.
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_tlb.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define VA1 (REGION(1) + 0x5000)
#define VA2 (REGION(2) + 0x7000)
#define VA3 (REGION(2) + 0x9000)
#define VA4 (REGION(2) + 0xb000)
#define VABIG (REGION(1) + 0x40000)        /* 64 KiB page */
#define VATOP (REGION(1) + 0x1ffffffffffff000) /* va[60:50] all ones: implemented */
#define VABAD 0x0010000000000000           /* va[52] set, va[50] clear: unimplemented */
#define ITIR_R1 ((0x11 << 8) | (12 << 2))
#define S MSTATUS_MPP_S
#define U 0

/* a pte for page `sym` with flags, in reg */
#define PTE(reg, sym, flags) la reg, sym; ori reg, reg, flags

TEST_BEGIN
	li t0, RR(0x11, 12, 0); csrw CSR_RR1, t0
	li t0, RR(0x22, 12, 0); csrw CSR_RR2, t0
	li t0, 15 << 2; csrw CSR_PTA, t0         /* walker off */
	li t0, SATP_SVTLB; csrw satp, t0
	li s1, VA1
	la s2, pageA
	la s3, pageB

	/* ---- Alt DTLB miss and the fault CSRs ---- */
	SV_TRAP(1, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	li t0, VA1; CHECK_REGS_EQ(2, TRAP_TVAL, t0)
	CHECK_CSR(CSR_IFA, VA1)
	CHECK_CSR(CSR_ITIR, ITIR_R1)
	CHECK_CSR(CSR_ISR, ISR_R)
	li t0, VA1; csrw CSR_THASH, t0; csrr t1, CSR_THASH; csrr t2, CSR_IHA
	CHECK_REGS_EQ(3, t1, t2)
	SV_TRAP(4, CAUSE_ALT_DTLB_MISS, S, sd zero, 8(s1))
	CHECK_CSR(CSR_ISR, ISR_W)
	CHECK_CSR(CSR_IFA, VA1 + 8)
	/* as U: ISR.U */
	SV_TRAP(5, CAUSE_ALT_DTLB_MISS, U, lw a0, 4(s1))
	CHECK_CSR(CSR_ISR, ISR_R | ISR_U)

	/* ---- ITC_D, then translated loads and stores ---- */
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VA1, a1, 12)
	SV_OK(6, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li a2, 0x0123456789abcdef
	SV_OK(7, S, sd a2, 16(s1))
	ld a0, 16(s2)                       /* physical view */
	CHECK_REGS_EQ(8, a0, a2)
	/* UC memory attribute translates the same */
	ori a1, a1, SV_UC
	ITC_REG(D, VA1, a1, 12)
	SV_OK(9, S, ld a0, 16(s1))
	CHECK_REGS_EQ(10, a0, a2)

	/* ---- PTC_L purges; replacement of a translation ---- */
	li t0, VA1 | (12 << 2); csrw CSR_PTC_L, t0
	SV_TRAP(11, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VA1, a1, 12)
	SV_OK(12, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	PTE(a1, pageB, SV_RWAD)             /* re-insert: now pageB */
	ITC_REG(D, VA1, a1, 12)
	SV_OK(13, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)

	/* ---- page not present ---- */
	PTE(a1, pageA, SV_R | SV_W | SV_A | SV_D)
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(14, CAUSE_PAGE_NOT_PRESENT, S, ld a0, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_R)
	CHECK_CSR(CSR_IFA, VA1)

	/* ---- access rights: R/W/X ---- */
	PTE(a1, pageA, SV_P | SV_R | SV_A | SV_D)   /* read-only */
	ITC_REG(D, VA1, a1, 12)
	SV_OK(15, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	SV_TRAP(16, CAUSE_ACCESS_RIGHTS, S, sd zero, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_W)
	PTE(a1, pageA, SV_P | SV_X | SV_A | SV_D)   /* execute-only */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(17, CAUSE_ACCESS_RIGHTS, S, ld a0, 0(s1))
	li t0, MSTATUS_MXR; csrs mstatus, t0
	SV_OK(18, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li t0, MSTATUS_MXR; csrc mstatus, t0

	/* ---- access rights: privilege (U pages, SUM) ---- */
	PTE(a1, pageA, SV_RWAD)                     /* supervisor page */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(19, CAUSE_ACCESS_RIGHTS, U, ld a0, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_R | ISR_U)
	PTE(a1, pageA, SV_RWAD | SV_U)              /* user page */
	ITC_REG(D, VA1, a1, 12)
	SV_OK(20, U, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	SV_TRAP(21, CAUSE_ACCESS_RIGHTS, S, ld a0, 0(s1))
	li t0, MSTATUS_SUM; csrs mstatus, t0
	SV_OK(22, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li t0, MSTATUS_SUM; csrc mstatus, t0

	/* ---- access bit, dirty bit, and their priority ---- */
	PTE(a1, pageA, SV_P | SV_R | SV_W | SV_D)   /* a = 0 */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(23, CAUSE_ACCESS_BIT, S, ld a0, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_R)
	PTE(a1, pageA, SV_P | SV_R | SV_W | SV_A)   /* d = 0 */
	ITC_REG(D, VA1, a1, 12)
	SV_OK(24, S, ld a0, 0(s1))                  /* loads need no d */
	SV_TRAP(25, CAUSE_DIRTY_BIT, S, sd zero, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_W)
	PTE(a1, pageA, SV_P | SV_R | SV_W)          /* a = d = 0: dirty first */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(26, CAUSE_DIRTY_BIT, S, sd zero, 0(s1))
	PTE(a1, pageA, SV_P | SV_R | SV_D)          /* rights before dirty */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(27, CAUSE_ACCESS_RIGHTS, S, sd zero, 0(s1))
	PTE(a1, pageA, SV_R | SV_A | SV_D)          /* not present before rights */
	ITC_REG(D, VA1, a1, 12)
	SV_TRAP(28, CAUSE_PAGE_NOT_PRESENT, S, sd zero, 0(s1))

	/* ---- RID separation ---- */
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VA1, a1, 12)                     /* rid 0x11 -> pageA */
	li t0, RR(0x12, 12, 0); csrw CSR_RR1, t0
	SV_TRAP(29, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	CHECK_CSR(CSR_ITIR, (0x12 << 8) | (12 << 2))
	PTE(a1, pageB, SV_RWAD)
	ITC_REG(D, VA1, a1, 12)                     /* rid 0x12 -> pageB */
	SV_OK(30, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)
	li t0, RR(0x11, 12, 0); csrw CSR_RR1, t0
	SV_OK(31, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li t0, VA1 | (12 << 2); csrw CSR_PTC_L, t0  /* purges rid 0x11 only */
	SV_TRAP(32, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	li t0, RR(0x12, 12, 0); csrw CSR_RR1, t0
	SV_OK(33, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)

	/* ---- PTC_E purges every TC entry ---- */
	csrw CSR_PTC_E, zero
	SV_TRAP(34, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	li t0, RR(0x11, 12, 0); csrw CSR_RR1, t0

	/* ---- PTC_G purges (this hart included) ---- */
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VA1, a1, 12)
	SV_OK(35, S, ld a0, 0(s1))
	li t0, VA1 | (12 << 2); csrw CSR_PTC_G, t0
	SV_TRAP(36, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))

	/* ---- TRs: pinned against PTC_E and PTC_L, removed by PTR_D ---- */
	li s4, VA2
	PTE(a1, pageB, SV_RWAD)
	ITR_REG(D, 3, VA2, a1, 12)
	csrw CSR_PTC_E, zero
	li t0, VA2 | (12 << 2); csrw CSR_PTC_L, t0
	SV_OK(37, S, ld a0, 0(s4))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)
	li t0, VA2 | (12 << 2); csrw CSR_PTR_D, t0
	SV_TRAP(38, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s4))
	/* an ITR over an existing TR of another slot replaces it */
	PTE(a1, pageB, SV_RWAD)
	ITR_REG(D, 3, VA2, a1, 12)
	PTE(a1, pageA, SV_RWAD)
	ITR_REG(D, 4, VA2, a1, 12)
	SV_OK(39, S, ld a0, 0(s4))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li t0, VA2 | (12 << 2); csrw CSR_PTR_D, t0
	SV_TRAP(40, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s4))
	/* an ITR purges overlapping TC entries */
	li s5, VA3
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VA3, a1, 12)
	PTE(a1, pageB, SV_RWAD)
	ITR_REG(D, 5, VA3, a1, 12)
	SV_OK(41, S, ld a0, 0(s5))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)
	li t0, VA3 | (12 << 2); csrw CSR_PTR_D, t0
	SV_TRAP(42, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s5))
	/* instruction-side inserts do not translate data */
	li s5, VA4
	PTE(a1, pageA, SV_ALL)
	ITR_REG(I, 1, VA4, a1, 12)
	ITC_REG(I, VA4, a1, 12)
	SV_TRAP(43, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s5))
	/* rewriting a TR slot drops its old mapping */
	PTE(a1, pageA, SV_RWAD)
	ITR_REG(D, 6, VA3, a1, 12)
	ITR_REG(D, 6, VA4, a1, 12)
	li s5, VA3
	SV_TRAP(44, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s5))
	li s5, VA4
	SV_OK(45, S, ld a0, 0(s5))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li t0, VA4 | (12 << 2); csrw CSR_PTR_D, t0

	/* ---- 64 KiB page; PPN bits below the page size are ignored ---- */
	li s4, VABIG
	la a1, bigpage
	addi a1, a1, 0x100                          /* ignored low bits */
	ori a1, a1, SV_RWAD
	ITC_REG(D, VABIG, a1, 16)
	SV_OK(46, S, ld a0, 0(s4))
	CHECK_EQ_NONUM(a0, 0x3333333333333333)
	li t0, 0x9008; add s5, s4, t0
	SV_OK(47, S, ld a0, 0(s5))
	CHECK_EQ_NONUM(a0, 0x4444444444444444)
	/* a 4 KiB purge inside the 64 KiB page removes all of it */
	li t0, (VABIG + 0x3000) | (12 << 2); csrw CSR_PTC_L, t0
	SV_TRAP(48, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s4))
	CHECK_CSR(CSR_IFA, VABIG)

	/* ---- implemented and unimplemented addresses ---- */
	li s4, VATOP
	PTE(a1, pageA, SV_RWAD)
	ITC_REG(D, VATOP, a1, 12)
	SV_OK(49, S, ld a0, 0(s4))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	li s4, VABAD
	SV_TRAP(50, CAUSE_LOAD_PAGE, S, ld a0, 0(s4))
	CHECK_CSR(CSR_IFA, VABAD)
	SV_TRAP(51, CAUSE_STORE_PAGE, S, sd zero, 0(s4))

	/* ---- illegal operands raise illegal-instruction, change nothing ---- */
	li TESTNUM, 52
	li t0, VA1; csrw CSR_IFA, t0
	li t0, ITIR(15); csrw CSR_ITIR, t0          /* 32 KiB: unsupported */
	PTE(a1, pageA, SV_RWAD)
	TEST_TRAP(52, CAUSE_ILLEGAL, csrw CSR_ITC_D, a1)
	SV_TRAP(53, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	TEST_TRAP(54, CAUSE_ILLEGAL, li t0, VA1; csrw CSR_PTC_L, t0)  /* ps 0 */
	TEST_TRAP(55, CAUSE_ILLEGAL, li t0, VABAD | (12 << 2); csrw CSR_PTC_L, t0)
	li t0, VABAD; csrw CSR_IFA, t0
	li t0, ITIR(12); csrw CSR_ITIR, t0
	TEST_TRAP(56, CAUSE_ILLEGAL, csrw CSR_ITC_D, a1)

	csrw satp, zero
	TEST_PASS
TEST_END

TEST_DATA
	.balign 4096
pageA:	.dword 0x1111111111111111
	.skip 4096 - 8
pageB:	.dword 0x2222222222222222
	.skip 4096 - 8
	.balign 65536
bigpage: .dword 0x3333333333333333
	.skip 0x9008 - 8
	.dword 0x4444444444444444
	.skip 65536 - 0x9010
