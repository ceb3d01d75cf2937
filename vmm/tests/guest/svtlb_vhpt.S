/*
 * svtlb_vhpt.S - the Svtlb hardware VHPT walker on data accesses
 * (docs/platform.md "Svtlb", "VHPT" and "Hardware VHPT walker"): a miss
 * (DTLB miss with IHA = THASH(va)), a hit that inserts into the TC, the tag
 * invalid bit, a tag of another RID, a matching entry that is not present
 * (fault, nothing inserted), bit checks on walked translations, a large
 * page from the VHPT, Alt misses when the region or the PTA disables the
 * walker, and the VHPT translation fault when the table is outside RAM.
 *
 * Data accesses are made from M-mode under MPRV (svtlb_defs.h).
 *
 * Build: riscv64-unknown-elf-gcc -march=rv64ima -misa-spec=2.2 -mabi=lp64
 *        -mcmodel=medany -nostdlib -T link.ld svtlb_vhpt.S
 */
#include "harness.h"
#include "svtlb_defs.h"

#define VA1 (REGION(1) + 0x5000)
#define VABIG (REGION(1) + 0x80000)
#define S MSTATUS_MPP_S
#define PURGE(va) li t0, (va) | (12 << 2); csrw CSR_PTC_L, t0

TEST_BEGIN
	li t0, RR(0x11, 12, 1); csrw CSR_RR1, t0
	la t0, vhpt
	ori t0, t0, (15 << 2) | PTA_VE              /* 32 KiB table, enabled */
	csrw CSR_PTA, t0
	li t0, SATP_SVTLB; csrw satp, t0
	li s1, VA1

	/* ---- empty table: DTLB miss (not Alt), IHA = THASH(va) ---- */
	SV_TRAP(1, CAUSE_DTLB_MISS, S, ld a0, 0(s1))
	CHECK_CSR(CSR_IFA, VA1)
	CHECK_CSR(CSR_ISR, ISR_R)
	csrr s2, CSR_IHA                            /* the entry for VA1 */
	li t0, VA1; csrw CSR_THASH, t0; csrr t1, CSR_THASH
	CHECK_REGS_EQ(2, s2, t1)
	/* the IHA lies inside the table, on a 32-byte boundary */
	la t0, vhpt; sub t1, s2, t0
	li t2, 32768; sltu t3, t1, t2
	CHECK_EQ(3, t3, 1)
	andi t1, t1, 31
	CHECK_EQ(4, t1, 0)
	/* rid 0 hashes VA1 to index vpn & (entries - 1) (spec "Hash function") */
	li t0, RR(0, 12, 1); csrw CSR_RR1, t0
	li t0, VA1; csrw CSR_THASH, t0; csrr t1, CSR_THASH
	la t0, vhpt; sub t1, t1, t0
	CHECK_EQ(5, t1, 5 * 32)
	li t0, RR(0x11, 12, 1); csrw CSR_RR1, t0

	/* ---- a matching present entry: the walker inserts it ---- */
	li t0, VA1; csrw CSR_TTAG, t0; csrr s3, CSR_TTAG
	la t0, pageA; ori t0, t0, SV_RWAD
	sd t0, 0(s2)                                /* pte */
	li t0, ITIR(12); sd t0, 8(s2)               /* itir */
	sd s3, 16(s2)                               /* tag */
	SV_OK(6, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	/* the translation now lives in the TC: changing the table alone
	 * does not change it, a purge makes the walker read the table again */
	la t0, pageB; ori t0, t0, SV_RWAD
	sd t0, 0(s2)
	SV_OK(7, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x1111111111111111)
	PURGE(VA1)
	SV_OK(8, S, ld a0, 0(s1))
	CHECK_EQ_NONUM(a0, 0x2222222222222222)

	/* ---- ti set, or a tag of another RID: DTLB miss ---- */
	PURGE(VA1)
	li t0, 1; slli t0, t0, 63; or t0, t0, s3
	sd t0, 16(s2)
	SV_TRAP(9, CAUSE_DTLB_MISS, S, ld a0, 0(s1))
	li t0, 1; slli t0, t0, 39; xor t0, t0, s3   /* rid 0x11 ^ 1 */
	sd t0, 16(s2)
	SV_TRAP(10, CAUSE_DTLB_MISS, S, ld a0, 0(s1))
	sd s3, 16(s2)

	/* ---- a matching entry with p = 0: page not present, not inserted ---- */
	la t0, pageA; ori t0, t0, SV_R | SV_W | SV_A | SV_D
	sd t0, 0(s2)
	SV_TRAP(11, CAUSE_PAGE_NOT_PRESENT, S, ld a0, 0(s1))
	la t0, pageA; ori t0, t0, SV_RWAD
	sd t0, 0(s2)
	SV_OK(12, S, ld a0, 0(s1))                  /* no purge needed */
	CHECK_EQ_NONUM(a0, 0x1111111111111111)

	/* ---- walked translations are checked like any other ---- */
	PURGE(VA1)
	la t0, pageA; ori t0, t0, SV_P | SV_R | SV_W | SV_A   /* d = 0 */
	sd t0, 0(s2)
	SV_OK(13, S, ld a0, 0(s1))
	SV_TRAP(14, CAUSE_DIRTY_BIT, S, sd zero, 0(s1))
	PURGE(VA1)
	la t0, pageA; ori t0, t0, SV_P | SV_R | SV_W | SV_D   /* a = 0 */
	sd t0, 0(s2)
	SV_TRAP(15, CAUSE_ACCESS_BIT, S, ld a0, 0(s1))

	/* ---- a 64 KiB page from the table covers its 4 KiB neighbours ---- */
	li s4, VABIG
	li t0, VABIG; csrw CSR_THASH, t0; csrr s5, CSR_THASH
	csrw CSR_TTAG, t0; csrr t1, CSR_TTAG
	la t0, bigpage; ori t0, t0, SV_RWAD
	sd t0, 0(s5)
	li t0, ITIR(16); sd t0, 8(s5)
	sd t1, 16(s5)
	SV_OK(16, S, ld a0, 0(s4))
	CHECK_EQ_NONUM(a0, 0x3333333333333333)
	sd zero, 16(s5)                             /* table entry gone ... */
	li t0, 0x9008; add a3, s4, t0
	SV_OK(17, S, ld a0, 0(a3))                  /* ... the TC still maps */
	CHECK_EQ_NONUM(a0, 0x4444444444444444)

	/* ---- walker disabled for the region, or by the PTA: Alt miss ---- */
	csrw CSR_PTC_E, zero
	la t0, pageA; ori t0, t0, SV_RWAD
	sd t0, 0(s2)
	li t0, RR(0x11, 12, 0); csrw CSR_RR1, t0
	SV_TRAP(18, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	li t0, RR(0x11, 12, 1); csrw CSR_RR1, t0
	la t0, vhpt; ori t0, t0, (15 << 2)          /* PTA.ve = 0 */
	csrw CSR_PTA, t0
	SV_TRAP(19, CAUSE_ALT_DTLB_MISS, S, ld a0, 0(s1))
	la t0, vhpt; ori t0, t0, (15 << 2) | PTA_VE
	csrw CSR_PTA, t0
	SV_OK(20, S, ld a0, 0(s1))                  /* entry still valid */
	CHECK_EQ_NONUM(a0, 0x1111111111111111)

	/* ---- a table outside RAM: VHPT translation fault ---- */
	csrw CSR_PTC_E, zero
	li t0, 0x40000000 | (15 << 2) | PTA_VE
	csrw CSR_PTA, t0
	SV_TRAP(21, CAUSE_VHPT_FAULT, S, sd zero, 0(s1))
	CHECK_CSR(CSR_ISR, ISR_W)
	CHECK_CSR(CSR_IFA, VA1)
	csrr t1, CSR_IHA
	li t2, 0x40000000; sub t1, t1, t2
	li t2, 32768; sltu t3, t1, t2
	CHECK_EQ(22, t3, 1)

	csrw satp, zero
	TEST_PASS
TEST_END

TEST_DATA
	.balign 32768
vhpt:	.skip 32768
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
