/*
 * sv39_basic.S - Sv39 address translation (privileged spec 20211203, 4.3
 * and 4.4): page tables built in memory with 4 KiB pages, a 2 MiB megapage
 * and 1 GiB gigapages; S-mode loads, stores and fetches through them; the
 * hardware update of PTE.A on access and PTE.D on write (vtlab, like QEMU,
 * updates A/D in hardware: 4.3.1 allows it); page faults (12 fetch, 13
 * load, 15 store/AMO) with stval = the faulting VA for an invalid PTE, a
 * page without R, a store to a read-only page, a fetch from a non-X page,
 * a U page from S without SUM, an S page from U, W without R (reserved), a
 * leaf at no level, misaligned superpages and a non-canonical VA; SUM
 * allowing S loads of U pages (but never S fetches); MXR allowing loads from
 * execute-only pages; clearing SUM or MXR taking effect at once; sfence.vma (global and by address) making PTE
 * changes visible; MPRV translating M-mode loads; reserved PTE bits; access
 * faults raised by the walk itself; code written through one mapping and
 * fetched through another after fence.i; switching satp between roots
 * (with and without a new ASID).
 *
 * Map (VA -> PA), built at run time by M-mode:
 *   0x0080000000 1 GiB  -> 0x80000000  RWX  identity: code, data, tables
 *   0x00c0000000 1 GiB  -> 0x80000000  RW   alias
 *   0x0100000000 1 GiB  -> 0x80200000  RW   misaligned gigapage (reserved)
 *   0x0140000000 1 GiB  -> 0x80000000  W    W without R (reserved)
 *   0x0180000000 ...    -> level-1 table at 0x30000000 (nothing there)
 *   0x0040200000 2 MiB  -> 0x80200000  RW   megapage
 *   0x0040400000 2 MiB  -> 0x80201000  RW   misaligned megapage (reserved)
 *   0x0040000000 + i * 4 KiB, the 4 KiB pages of l0_table (see PG_*)
 */
#include "harness.h"

#define VA4K(i)     (0x40000000 + (i) * 0x1000)
#define PG_RW       0       /* page0           V R W   A D */
#define PG_RO       1       /* page1           V R     A   */
#define PG_INVALID  2       /* -                           */
#define PG_XONLY    3       /* xpage           V     X A   */
#define PG_USER     4       /* page2           V R W U A D */
#define PG_AD_LOAD  5       /* page3           V R W       */
#define PG_SCODE    6       /* xpage           V R   X A   */
#define PG_NOEXEC   7       /* xpage           V R W   A D */
#define PG_REMAP    8       /* page0 -> page1  V R     A   */
#define PG_UCODE    9       /* ucode           V R   X U A */
#define PG_WONLY    10      /* page0           V   W   A D */
#define PG_NOLEAF   11      /* V only, at level 0          */
#define PG_AD_STORE 12      /* page4           V R W       */
#define PG_RSVD     13      /* page0           V R W A D + reserved bit 54 */
#define NOWHERE_PA  0x30000000   /* no RAM, no device (vmm/bus.h) */
#define WALK_FAULT_VA 0x180000000 /* root[6] -> table at NOWHERE_PA */

#define MEGA_VA      0x40200000
#define MEGA_PA      0x80200000
#define MEGA_BAD_VA  0x40400000
#define GIGA_ALIAS   0xc0000000
#define GIGA_BAD_VA  0x100000000
#define GIGA_WONLY   0x140000000

#define MAGIC0 0x1111aaaa2222bbbb
#define MAGIC1 0x3333cccc4444dddd
#define MAGIC2 0x5555eeee6666ffff
#define MEGA_MAGIC 0x0123456789abcdef

/* table[index] = PTE for the physical address in register pa, with flags
 * (clobbers t0, t1) */
#define SET_PTE(table, index, pa, flags) \
	srli t0, pa, 12; slli t0, t0, 10; ori t0, t0, flags; \
	la t1, table; sd t0, (index) * 8(t1)
#define SET_PTE_LABEL(table, index, label, flags) \
	la t2, label; SET_PTE(table, index, t2, flags)
#define SET_PTE_CONST(table, index, paconst, flags) \
	li t2, paconst; SET_PTE(table, index, t2, flags)

/* Address of the PTE of 4 KiB page i, into reg */
#define PTE_ADDR(reg, i) la reg, l0_table; addi reg, reg, (i) * 8

TEST_BEGIN
	/* ---- page contents, written physically ---- */
	la a0, page0
	li a1, MAGIC0
	sd a1, 0(a0)
	la a0, page1
	li a1, MAGIC1
	sd a1, 0(a0)
	la a0, page2
	li a1, MAGIC2
	sd a1, 0(a0)
	li a0, MEGA_PA + 0x1238
	li a1, MEGA_MAGIC
	sd a1, 0(a0)

	/* ---- tables ---- */
	SET_PTE_LABEL(root_table, 1, l1_table, PTE_V)
	SET_PTE_CONST(root_table, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
	SET_PTE_CONST(root_table, 3, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_CONST(root_table, 4, MEGA_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_CONST(root_table, 5, 0x80000000, PTE_V | PTE_W | PTE_A | PTE_D)
	SET_PTE_LABEL(l1_table, 0, l0_table, PTE_V)
	SET_PTE_CONST(l1_table, 1, MEGA_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_CONST(l1_table, 2, MEGA_PA + 0x1000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_LABEL(l0_table, PG_RW, page0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_LABEL(l0_table, PG_RO, page1, PTE_V | PTE_R | PTE_A)
	SET_PTE_LABEL(l0_table, PG_XONLY, xpage, PTE_V | PTE_X | PTE_A)
	SET_PTE_LABEL(l0_table, PG_USER, page2, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
	SET_PTE_LABEL(l0_table, PG_AD_LOAD, page3, PTE_V | PTE_R | PTE_W)
	SET_PTE_LABEL(l0_table, PG_SCODE, xpage, PTE_V | PTE_R | PTE_X | PTE_A)
	SET_PTE_LABEL(l0_table, PG_NOEXEC, xpage, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SET_PTE_LABEL(l0_table, PG_REMAP, page0, PTE_V | PTE_R | PTE_A)
	SET_PTE_LABEL(l0_table, PG_UCODE, ucode, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
	SET_PTE_LABEL(l0_table, PG_WONLY, page0, PTE_V | PTE_W | PTE_A | PTE_D)
	SET_PTE_LABEL(l0_table, PG_NOLEAF, page0, PTE_V)
	SET_PTE_LABEL(l0_table, PG_AD_STORE, page4, PTE_V | PTE_R | PTE_W)
	/* reserved PTE bit 54 set (4.4.1: page fault) */
	la t2, page0
	srli t0, t2, 12
	slli t0, t0, 10
	ori t0, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	li t1, 1 << 54
	or t0, t0, t1
	la t1, l0_table
	sd t0, PG_RSVD * 8(t1)
	/* a non-leaf root entry pointing at unmapped physical memory */
	SET_PTE_CONST(root_table, 6, NOWHERE_PA, PTE_V)
	/* second root: identity as in the first, and VA 0x40000000 as a
	 * gigapage onto physical 0x80000000 (where _start is) */
	SET_PTE_CONST(root2_table, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
	SET_PTE_CONST(root2_table, 1, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

	/* page and access faults and U ecalls go to the S handler (which
	 * resumes in S); S ecalls to M */
	li a0, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_ECALL_U)
	ori a0, a0, (1 << CAUSE_FETCH_ACCESS) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS)
	csrw medeleg, a0

	la a0, root_table
	srli a0, a0, 12
	li a1, SATP_SV39
	or a0, a0, a1
	csrw satp, a0
	sfence.vma
	/* satp accepted Sv39 */
	csrr a1, satp
	CHECK_REGS_EQ(1, a1, a0)

	/* ---- MPRV: M-mode loads translated as S (MPP = S) ---- */
	li a0, MSTATUS_MPP
	csrc mstatus, a0
	li a0, MSTATUS_MPRV | MSTATUS_MPP_S
	csrs mstatus, a0
	li a1, VA4K(PG_RW)
	ld a2, 0(a1)
	li a0, MSTATUS_MPRV
	csrc mstatus, a0
	CHECK_EQ(2, a2, MAGIC0)

	/* ---- into S-mode, translated from here on ---- */
	li TESTNUM, 3
	GOTO_S(in_s_mode)
in_s_mode:
	csrr a0, satp                    /* S sees satp */
	srli a0, a0, 60
	CHECK_EQ(3, a0, 8)

	/* ---- 4 KiB pages: loads and stores ---- */
	TEST_CASE(4, a0, MAGIC0, li a1, VA4K(PG_RW); ld a0, 0(a1))
	TEST_CASE(5, a0, MAGIC1, li a1, VA4K(PG_RO); ld a0, 0(a1))
	li a1, VA4K(PG_RW) + 0x10
	li a2, 0x7654
	sd a2, 0(a1)
	TEST_CASE(6, a0, 0x7654, la a1, page0; ld a0, 0x10(a1))   /* via identity */
	/* a misaligned load crossing from page PG_RW into PG_RO */
	TEST_CASE(7, a0, 0x3333cccc4444dddd, li a1, VA4K(PG_RO) - 8; sd zero, 0(a1); li a1, VA4K(PG_RO); ld a0, 0(a1))
	TEST_CASE(8, a0, 0xcccc4444dddd0000, li a1, VA4K(PG_RO) - 2; ld a0, 0(a1))

	/* ---- superpages ---- */
	TEST_CASE(9, a0, MEGA_MAGIC, li a1, MEGA_VA + 0x1238; ld a0, 0(a1))
	li a1, MEGA_VA + 0x1ff8
	li a2, 0x4d454741
	sd a2, 0(a1)
	TEST_CASE(10, a0, 0x4d454741, li a1, MEGA_PA + 0x1ff8; ld a0, 0(a1))  /* identity giga */
	TEST_CASE(11, a0, MAGIC2, la a1, page2; li a2, GIGA_ALIAS - 0x80000000; add a1, a1, a2; ld a0, 0(a1))
	/* the alias is not executable */
	la a1, xpage
	li a2, GIGA_ALIAS - 0x80000000
	add a1, a1, a2
	TEST_TRAP(12, CAUSE_FETCH_PAGE, jalr a1)
	CHECK_REGS_EQ(13, TRAP_TVAL, a1)
	CHECK_REGS_EQ(14, TRAP_EPC, a1)

	/* ---- fetches through a 4 KiB mapping at VA != PA ---- */
	TEST_CASE(15, a0, 0x5a, li a0, 0; li a1, VA4K(PG_SCODE); jalr a1)
	TEST_CASE(16, a0, 0x5a, li a0, 0; li a1, VA4K(PG_XONLY); jalr a1)   /* X-only runs */
	li a1, VA4K(PG_NOEXEC)
	TEST_TRAP(17, CAUSE_FETCH_PAGE, jalr a1)
	CHECK_REGS_EQ(18, TRAP_TVAL, a1)
	li a1, VA4K(PG_INVALID)
	TEST_TRAP(19, CAUSE_FETCH_PAGE, jalr a1)
	CHECK_REGS_EQ(20, TRAP_TVAL, a1)

	/* ---- page faults on data accesses, stval = VA ---- */
	li a1, VA4K(PG_INVALID) + 0x28
	TEST_TRAP(21, CAUSE_LOAD_PAGE, ld a0, 0(a1))
	CHECK_REGS_EQ(22, TRAP_TVAL, a1)
	TEST_TRAP(23, CAUSE_STORE_PAGE, sw a0, 0(a1))
	CHECK_REGS_EQ(24, TRAP_TVAL, a1)
	li a1, VA4K(PG_RO) + 0x30
	la a3, 1f
	TEST_TRAP(25, CAUSE_STORE_PAGE, 1: sd a0, 0(a1))
	CHECK_REGS_EQ(26, TRAP_TVAL, a1)
	CHECK_REGS_EQ(27, TRAP_EPC, a3)
	TEST_TRAP(28, CAUSE_STORE_PAGE, amoadd.d a0, a0, (a1))   /* AMO: store fault */
	TEST_CASE(29, a0, MAGIC1, li a1, VA4K(PG_RO); ld a0, 0(a1))   /* unchanged */
	li a1, VA4K(PG_XONLY) + 8
	TEST_TRAP(30, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* no R */
	CHECK_REGS_EQ(31, TRAP_TVAL, a1)
	li a1, VA4K(PG_WONLY)
	TEST_TRAP(32, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* W without R */
	TEST_TRAP(33, CAUSE_STORE_PAGE, sd a0, 0(a1))
	li a1, VA4K(PG_NOLEAF)
	TEST_TRAP(34, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* no leaf found */
	li a1, MEGA_BAD_VA + 0x10
	TEST_TRAP(35, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* misaligned megapage */
	CHECK_REGS_EQ(36, TRAP_TVAL, a1)
	li a1, GIGA_BAD_VA + 0x18
	TEST_TRAP(37, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* misaligned gigapage */
	CHECK_REGS_EQ(38, TRAP_TVAL, a1)
	li a1, GIGA_WONLY
	TEST_TRAP(39, CAUSE_LOAD_PAGE, ld a0, 0(a1))
	li a1, 0x0000004000000000                                  /* bit 38 set, 63:39 clear */
	TEST_TRAP(40, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* non-canonical */
	CHECK_REGS_EQ(41, TRAP_TVAL, a1)
	/* a misaligned store whose second half is on a read-only page */
	li a1, VA4K(PG_RO) - 4
	TEST_TRAP(42, CAUSE_STORE_PAGE, sd zero, 0(a1))

	/* ---- U pages from S: SUM ---- */
	li a0, MSTATUS_SUM
	csrc sstatus, a0
	li a1, VA4K(PG_USER)
	TEST_TRAP(43, CAUSE_LOAD_PAGE, ld a0, 0(a1))
	CHECK_REGS_EQ(44, TRAP_TVAL, a1)
	TEST_TRAP(45, CAUSE_STORE_PAGE, sd a0, 0(a1))
	li a0, MSTATUS_SUM
	csrs sstatus, a0
	TEST_CASE(46, a0, MAGIC2, li a1, VA4K(PG_USER); ld a0, 0(a1))
	TEST_CASE(47, a0, 0x99, li a2, 0x99; sd a2, 8(a1); ld a0, 8(a1))
	/* SUM never allows S to execute from a U page */
	li a1, VA4K(PG_UCODE)
	TEST_TRAP(48, CAUSE_FETCH_PAGE, jalr a1)
	li a0, MSTATUS_SUM
	csrc sstatus, a0
	/* clearing SUM takes effect at once, for a page just loaded */
	TEST_TRAP(87, CAUSE_LOAD_PAGE, li a1, VA4K(PG_USER); ld a0, 0(a1))

	/* ---- MXR: loads from execute-only pages ---- */
	li a0, MSTATUS_MXR
	csrs sstatus, a0
	la a2, xpage
	lwu a2, 0(a2)
	TEST_CASE(49, a0, 0, li a1, VA4K(PG_XONLY); lwu a0, 0(a1); sub a0, a0, a2)
	/* MXR does not grant stores */
	TEST_TRAP(50, CAUSE_STORE_PAGE, li a1, VA4K(PG_XONLY); sw a0, 0(a1))
	li a0, MSTATUS_MXR
	csrc sstatus, a0
	/* clearing MXR takes effect at once: the page just loaded from is
	 * execute-only again */
	TEST_TRAP(88, CAUSE_LOAD_PAGE, li a1, VA4K(PG_XONLY); lwu a0, 0(a1))

	/* ---- U-mode: ucode runs `ld a0, 0(a1); ecall` at VA PG_UCODE ---- */
#define RUN_U(addr) \
	li a1, addr; li t0, VA4K(PG_UCODE); csrw sepc, t0; \
	li t0, MSTATUS_SPP; csrc sstatus, t0; sret
	TEST_TRAP(51, CAUSE_ECALL_U, RUN_U(VA4K(PG_USER)))          /* U page: fine */
	CHECK_EQ(52, a0, MAGIC2)
	TEST_TRAP(53, CAUSE_LOAD_PAGE, RUN_U(VA4K(PG_RW)))          /* S page: fault */
	CHECK_EQ(54, TRAP_TVAL, VA4K(PG_RW))
	CHECK_EQ(55, TRAP_EPC, VA4K(PG_UCODE))
	andi a0, TRAP_STATUS, MSTATUS_SPP
	CHECK_EQ(56, a0, 0)
	/* U cannot run S code (the identity gigapage has U = 0) */
	la a1, 1f
	TEST_TRAP(57, CAUSE_FETCH_PAGE, csrw sepc, a1; li t0, MSTATUS_SPP; csrc sstatus, t0; sret; 1: nop)
	CHECK_REGS_EQ(58, TRAP_TVAL, a1)

	/* ---- hardware A/D update ---- */
	PTE_ADDR(s0, PG_AD_LOAD)
	TEST_CASE(59, a0, 0, ld a0, 0(s0); andi a0, a0, PTE_A | PTE_D)
	TEST_CASE(60, a0, 0, li a1, VA4K(PG_AD_LOAD); ld a0, 0(a1))
	TEST_CASE(61, a0, PTE_A, ld a0, 0(s0); andi a0, a0, PTE_A | PTE_D)  /* load: A only */
	TEST_CASE(62, a0, 0x44, li a1, VA4K(PG_AD_LOAD); li a2, 0x44; sd a2, 0(a1); ld a0, 0(a1))
	TEST_CASE(63, a0, PTE_A | PTE_D, ld a0, 0(s0); andi a0, a0, PTE_A | PTE_D)
	PTE_ADDR(s0, PG_AD_STORE)
	TEST_CASE(64, a0, PTE_A | PTE_D, li a1, VA4K(PG_AD_STORE); sw zero, 4(a1); ld a0, 0(s0); andi a0, a0, PTE_A | PTE_D)
	/* the rest of the PTE is untouched by the update */
	la a1, page4
	srli a1, a1, 12
	slli a1, a1, 10
	ori a1, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	TEST_CASE(65, a0, 0, ld a0, 0(s0); sub a0, a0, a1)

	/* ---- sfence.vma makes PTE changes visible ---- */
	TEST_CASE(66, a0, MAGIC0, li a1, VA4K(PG_REMAP); ld a0, 0(a1))
	PTE_ADDR(s0, PG_REMAP)
	SET_PTE_LABEL(l0_table, PG_REMAP, page1, PTE_V | PTE_R | PTE_A)
	sfence.vma
	TEST_CASE(67, a0, MAGIC1, li a1, VA4K(PG_REMAP); ld a0, 0(a1))
	SET_PTE_LABEL(l0_table, PG_REMAP, page0, PTE_V | PTE_R | PTE_A)
	li a1, VA4K(PG_REMAP)
	sfence.vma a1                    /* by address */
	TEST_CASE(68, a0, MAGIC0, li a1, VA4K(PG_REMAP); ld a0, 0(a1))
	/* revoke: the page becomes invalid */
	sd zero, 0(s0)
	sfence.vma a1, zero
	TEST_TRAP(69, CAUSE_LOAD_PAGE, li a1, VA4K(PG_REMAP); ld a0, 0(a1))
	/* grant write on the read-only page */
	SET_PTE_LABEL(l0_table, PG_RO, page1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	sfence.vma
	TEST_CASE(70, a0, 0x77, li a1, VA4K(PG_RO); li a2, 0x77; sd a2, 0x40(a1); ld a0, 0x40(a1))
	/* remap the code page: the fetch follows the new PTE (xpage2) */
	SET_PTE_LABEL(l0_table, PG_SCODE, xpage2, PTE_V | PTE_R | PTE_X | PTE_A)
	sfence.vma
	TEST_CASE(71, a0, 0xa5, li a0, 0; li a1, VA4K(PG_SCODE); jalr a1)

	/* ---- more faults ---- */
	li a1, VA4K(PG_RSVD)
	TEST_TRAP(74, CAUSE_LOAD_PAGE, ld a0, 0(a1))               /* reserved bits */
	CHECK_REGS_EQ(75, TRAP_TVAL, a1)
	/* the walk itself reads unmapped memory: access fault (4.3.2 step 2;
	 * QEMU 7.2 raises a page fault instead) */
	li a1, WALK_FAULT_VA + 0x40
	TEST_TRAP(76, CAUSE_LOAD_ACCESS, ld a0, 0(a1))
	CHECK_REGS_EQ(85, TRAP_TVAL, a1)
	CHECK_EQ(86, TRAP_LEVEL, 1)
	TEST_TRAP(77, CAUSE_STORE_ACCESS, sd a0, 0(a1))
	TEST_TRAP(78, CAUSE_FETCH_ACCESS, jalr a1)
	/* a misaligned store whose second half faults: stval is in the
	 * faulting portion, on the read-only page (3.1.16) */
	SET_PTE_LABEL(l0_table, PG_RO, page1, PTE_V | PTE_R | PTE_A)
	sfence.vma
	li a1, VA4K(PG_RO) - 4
	TEST_TRAP(79, CAUSE_STORE_PAGE, sd zero, 0(a1))
	li a2, VA4K(PG_RO)
	sub a0, TRAP_TVAL, a2
	TEST_CASE(80, a0, 1, sltiu a0, a0, 4)

	/* ---- code written through a data alias, fetched through another
	 * mapping after fence.i ---- */
	la a1, xpage2
	li a2, GIGA_ALIAS - 0x80000000
	add a1, a1, a2
	li a2, 0x03300513                /* addi a0, zero, 0x33 */
	sw a2, 0(a1)
	fence.i
	TEST_CASE(81, a0, 0x33, li a0, 0; li a1, VA4K(PG_SCODE); jalr a1)

	/* ---- switching satp to another root ---- */
	csrr s2, satp                    /* root 1 */
	la a0, root2_table
	srli a0, a0, 12
	li a1, SATP_SV39
	or s3, a0, a1
	csrw satp, s3
	sfence.vma
	la a2, _start
	ld a2, 0(a2)
	TEST_CASE(82, a0, 0, li a1, 0x40000000; ld a0, 0(a1); sub a0, a0, a2)
	csrw satp, s2
	sfence.vma
	TEST_CASE(83, a0, MAGIC0, li a1, VA4K(PG_RW); ld a0, 0(a1))
	/* with ASIDs (if implemented), a satp write with a new ASID needs no
	 * sfence (4.1.11: ASID changes take effect immediately) */
	li a0, 5 << 44
	or a0, s3, a0
	csrw satp, a0
	csrr a1, satp
	beq a0, a1, 1f
	sfence.vma                       /* ASID not implemented */
1:	TEST_CASE(84, a0, 0, li a1, 0x40000000; ld a0, 0(a1); sub a0, a0, a2)
	csrw satp, s2
	sfence.vma

	/* ---- satp = Bare from M turns translation off for S ---- */
	RETURN_TO_M
	csrw satp, zero
	sfence.vma
	TEST_TRAP(72, CAUSE_ECALL_S, GOTO_S(1f); 1: la a1, page0; ld a2, 0(a1); ecall)
	CHECK_EQ(73, a2, MAGIC0)
	csrw medeleg, zero
	TEST_PASS
TEST_END

	/* ---- code pages reached through mappings ---- */
	.text
	.balign 4096
xpage:	li a0, 0x5a
	ret
	.balign 4096
xpage2:	li a0, 0xa5
	ret
	.balign 4096
ucode:	ld a0, 0(a1)
	ecall
1:	j 1b

	/* ---- tables and data pages ---- */
	TEST_DATA
	.balign 4096
root_table: .skip 4096
root2_table: .skip 4096
l1_table:   .skip 4096
l0_table:   .skip 4096
page0:      .skip 4096
page1:      .skip 4096
page2:      .skip 4096
page3:      .skip 4096
page4:      .skip 4096
