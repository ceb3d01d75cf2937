/*
 * selfmod.S - self-modifying code and page-crossing misaligned accesses
 * (unprivileged spec 20191213: 3.1 "Zifencei" for fence.i, 2.6 for
 * misaligned loads and stores; privileged spec 20211203: 4.3.2 and 4.4 for
 * Sv39 page faults).
 *
 * Part 1, M-mode, bare: code in page A (4 KiB aligned, holding this test's
 * body) and pages B and C after it:
 *   1-3   a function in the executing page is called, patched (sw), fence.i,
 *         called again: the new instruction runs;
 *   4-6   the same for a function in another page;
 *   7-8   the instruction right after a store is patched by that store, with
 *         no fence.i, after it has already been executed once: the new one
 *         runs.  The spec leaves that unspecified without fence.i; vtlab
 *         keeps decoded code coherent with every store (vmm/code_cache.h).
 *         QEMU 7.2 does not (it finishes its current translation block with
 *         the old code): cases 7-10 are left out when built with
 *         -DIMPRECISE_SMC, the build used to validate the rest on QEMU;
 *   9     the same with a byte store changing only the immediate;
 *   10    the same with an AMO (amoswap.w) writing the instruction;
 *   11-12 the first instruction of page C patched by a misaligned sd that
 *         crosses from page B into page C, then fence.i.
 * Part 2, S-mode under Sv39, VA 0x40000000 + i * 4 KiB (see the map below):
 *   20-25 a misaligned store crossing from a mapped page into an unmapped
 *         one takes a store page fault (stval: the first byte that cannot be
 *         translated, or the start of the access) and leaves the mapped
 *         page's bytes unchanged, for sd, sw, sh;
 *   26-28 the same for loads (load page fault, rd unchanged);
 *   29-31 a store crossing from an unmapped page into a mapped one faults
 *         at the start of the access and does not write the mapped page;
 *   32-34 a misaligned store and load crossing two mapped pages whose
 *         frames are not adjacent put each byte in the right frame.
 *
 * Sv39 map (built by M-mode): root[2] = 1 GiB identity of 0x80000000 (RWX:
 * code, data, tables); root[1] -> l1; l1[0] -> l0; l0[0] = frame0,
 * l0[1] invalid, l0[2] = frame2, l0[3] = frame1 (frames out of order),
 * l0[4] invalid, l0[5] = frame3.  All leaves V R W A D.
 */
#include "harness.h"

#define ADDI_A0(imm) (((imm) << 20) | 0x513)    /* addi a0, zero, imm */
#define VA(i)        (0x40000000 + (i) * 0x1000)
#define PATTERN      0x0706050403020100          /* frame contents, bytes 00..07 */
#define NEWVAL       0xf1f2f3f4f5f6f7f8
#define MARKER       0x6d61726b6572

/* Fills 4 KiB at register base with PATTERN repeated (clobbers t0-t2). */
#define FILL_PAGE(base) \
	li t0, PATTERN; li t1, 512; mv t2, base; \
	1: sd t0, 0(t2); addi t2, t2, 8; addi t1, t1, -1; bnez t1, 1b

/* Case num: the 4 KiB at label still hold PATTERN everywhere. */
#define CHECK_PAGE_INTACT(num, label) \
	li TESTNUM, num; la t2, label; li t0, PATTERN; li t1, 512; \
	1: ld a0, 0(t2); bne a0, t0, harness_fail; addi t2, t2, 8; addi t1, t1, -1; bnez t1, 1b

/* table[index] = leaf or pointer PTE for the address in label */
#define SET_PTE_LABEL(table, index, label, flags) \
	la t2, label; srli t0, t2, 12; slli t0, t0, 10; ori t0, t0, flags; \
	la t1, table; sd t0, (index) * 8(t1)
#define LEAF (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

TEST_BEGIN
	j page_a

	.section .text.selfmod, "ax", @progbits
	.balign 4096
page_a:
	/* ---- 1-3: patch a function in the executing page ---- */
	la a1, page_a
	la a2, fn_a
	srli a1, a1, 12
	srli a2, a2, 12
	CHECK_REGS_EQ(1, a1, a2)              /* fn_a is in this page */
	TEST_CASE(2, a0, 1, li a0, 0; call fn_a)
	la t0, fn_a
	li t1, ADDI_A0(2)
	sw t1, 0(t0)
	fence.i
	TEST_CASE(3, a0, 2, li a0, 0; call fn_a)

	/* ---- 4-6: patch a function in another page ---- */
	la a1, page_a
	la a2, fn_b
	srli a1, a1, 12
	srli a2, a2, 12
	CHECK_REGS_NE(4, a1, a2)
	TEST_CASE(5, a0, 4, li a0, 0; call fn_b)
	la t0, fn_b
	li t1, ADDI_A0(5)
	sw t1, 0(t0)
	fence.i
	TEST_CASE(6, a0, 5, li a0, 0; call fn_b)

#ifndef IMPRECISE_SMC
	/* ---- 7-8: the store patches the very next instruction; the
	 * sequence runs twice, storing the original word on the first pass
	 * (so the instruction is decoded and executed before the patch) ---- */
	la t0, 2f
	li s1, ADDI_A0(7)                     /* pass 1: unchanged */
	li s0, 0
1:	li a0, 0
	sw s1, 0(t0)
2:	addi a0, zero, 7
	bnez s0, 3f
	CHECK_EQ(7, a0, 7)
	li s0, 1
	li s1, ADDI_A0(3)                     /* pass 2: addi a0, zero, 3 */
	j 1b
3:	CHECK_EQ(8, a0, 3)

	/* ---- 9: a byte store changes the immediate of the next insn ---- */
	/* addi a0, zero, 9 = 0x00900513; byte 2 (0x90) holds imm[3:0] << 4 */
	la t0, 4f
	li t1, 0x60                           /* -> addi a0, zero, 6 */
	li a0, 0
	sb t1, 2(t0)
4:	addi a0, zero, 9
	CHECK_EQ(9, a0, 6)

	/* ---- 10: an AMO writes the next instruction ---- */
	la t0, 5f
	li t1, ADDI_A0(11)
	li a0, 0
	amoswap.w t2, t1, (t0)
5:	addi a0, zero, 10
	CHECK_EQ(10, a0, 11)
	li t1, ADDI_A0(10)
	CHECK_REGS_EQ(10, t2, t1)             /* the AMO read the old word */

#endif
	/* ---- 11-12: a misaligned sd crossing from page B into page C
	 * writes the whole first instruction of page C ---- */
	TEST_CASE(11, a0, 12, li a0, 0; call fn_c_first)   /* original */
	la t0, fn_c_first
	lwu t1, -4(t0)                        /* keep page B's last word */
	li t2, ADDI_A0(13)
	slli t2, t2, 32
	or t1, t1, t2
	sd t1, -4(t0)                         /* 4 bytes in B, 4 in C */
	fence.i
	TEST_CASE(12, a0, 13, li a0, 0; call fn_c_first)
	j part2

	.balign 16
fn_a:	addi a0, zero, 1
	ret

	/* ---- page B ---- */
	.balign 4096
fn_b:	addi a0, zero, 4
	ret
	/* ---- page C: fn_c_first is its first word ---- */
	.balign 4096
fn_c_first:
	addi a0, zero, 12
	ret

	/* ---- Part 2: Sv39, S-mode ---- */
	.balign 4096
part2:
	la a0, frame0
	FILL_PAGE(a0)
	la a0, frame1
	FILL_PAGE(a0)
	la a0, frame2
	FILL_PAGE(a0)
	la a0, frame3
	FILL_PAGE(a0)
	SET_PTE_LABEL(root_table, 1, l1_table, PTE_V)
	li t2, 0x80000000
	srli t0, t2, 12
	slli t0, t0, 10
	ori t0, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
	la t1, root_table
	sd t0, 2 * 8(t1)
	SET_PTE_LABEL(l1_table, 0, l0_table, PTE_V)
	SET_PTE_LABEL(l0_table, 0, frame0, LEAF)
	SET_PTE_LABEL(l0_table, 2, frame2, LEAF)
	SET_PTE_LABEL(l0_table, 3, frame1, LEAF)
	SET_PTE_LABEL(l0_table, 5, frame3, LEAF)
	la a0, root_table
	srli a0, a0, 12
	li a1, SATP_SV39
	or a0, a0, a1
	csrw satp, a0
	sfence.vma

	/* ---- 20-25: stores crossing from mapped page 0 into unmapped 1 ---- */
	li a1, VA(1) - 3
	li a2, NEWVAL
	TEST_TRAP(20, CAUSE_STORE_PAGE, GOTO_S(10f); 10: sd a2, 0(a1))
	li TESTNUM, 21
	li a3, VA(1)
	beq TRAP_TVAL, a3, 11f
	bne TRAP_TVAL, a1, harness_fail
11:	CHECK_PAGE_INTACT(21, frame0)
	li a1, VA(1) - 2
	TEST_TRAP(22, CAUSE_STORE_PAGE, GOTO_S(12f); 12: sw a2, 0(a1))
	CHECK_PAGE_INTACT(23, frame0)
	li a1, VA(1) - 1
	TEST_TRAP(24, CAUSE_STORE_PAGE, GOTO_S(13f); 13: sh a2, 0(a1))
	CHECK_PAGE_INTACT(25, frame0)

	/* ---- 26-28: loads crossing into the unmapped page ---- */
	li a1, VA(1) - 4
	li a0, MARKER
	TEST_TRAP(26, CAUSE_LOAD_PAGE, GOTO_S(14f); 14: ld a0, 0(a1))
	CHECK_EQ(27, a0, MARKER)              /* rd not written */
	li a1, VA(1) - 1
	TEST_TRAP(28, CAUSE_LOAD_PAGE, GOTO_S(15f); 15: lhu a0, 0(a1))
	CHECK_EQ(28, a0, MARKER)

	/* ---- 29-31: from unmapped page 4 into mapped page 5 ---- */
	li a1, VA(5) - 4
	TEST_TRAP(29, CAUSE_STORE_PAGE, GOTO_S(16f); 16: sd a2, 0(a1))
	CHECK_REGS_EQ(30, TRAP_TVAL, a1)      /* the first byte faults */
	CHECK_PAGE_INTACT(31, frame3)

	/* ---- 32-35: crossing two mapped pages, frames out of order ---- */
	li a1, VA(3) - 5                      /* 5 bytes in frame2, 3 in frame1 */
	li a2, NEWVAL
	li a0, 0
	li TESTNUM, 32
	GOTO_S(17f)
17:	sd a2, 0(a1)
	ld a0, 0(a1)
	RETURN_TO_M
	CHECK_EQ(32, a0, NEWVAL)
	/* frame2's last 5 bytes are f8 f7 f6 f5 f4; its byte 0xffa keeps 0x02,
	 * frame1's first 3 are f3 f2 f1, then its byte 3 keeps 0x03 */
	TEST_CASE(33, a0, 0xf4f5f6f7f8020100, la a3, frame2; li a4, 0xff8; add a3, a3, a4; ld a0, 0(a3))
	TEST_CASE(34, a0, 0x0706050403f1f2f3, la a3, frame1; ld a0, 0(a3))
	csrw satp, zero
	sfence.vma
	TEST_PASS
TEST_END

	TEST_DATA
	.balign 4096
root_table:	.skip 4096
l1_table:	.skip 4096
l0_table:	.skip 4096
frame0:		.skip 4096
frame1:		.skip 4096
frame2:		.skip 4096
frame3:		.skip 4096
