/*
 * review_sfence_top.S - sfence.vma must purge translations of the pages at
 * the very top of the 64-bit address space (privileged spec 20211203,
 * 4.2.1: "If rs1 != x0 ... the fence orders only reads and writes made to
 * the leaf page table entry corresponding to the virtual address in rs1";
 * after it, a PTE change for that address is visible).
 *
 * Demonstrates the review finding on vmm/tlb_model.c tlb_model_purge(): a
 * page's end address, base + size, and the range end va + size wrap to 0
 * for the top page (VA 0xfffffffffffff000, canonical in Sv39: bits 63:38
 * all set), so a purge by address never drops it and the stale modeled TLB
 * entry keeps translating after sfence.vma.
 *
 * Map: root[2] = 1 GiB identity of 0x80000000 (RWX, code and data);
 * root[511] -> l1; l1[511] -> l0; l0[511] = VA 0xfffffffffffff000 -> frame
 * A, then B, then A again (V R W A D).
 *   1  S-mode load through the top page reads frame A;
 *   2  after l0[511] := frame B and sfence.vma rs1 = the page (rs2 = x0),
 *      the load reads frame B;
 *   3  after l0[511] := frame A and sfence.vma rs1 = its last byte
 *      (0xffffffffffffffff), the load reads frame A.
 */
#include "harness.h"

#define TOP_VA  0xfffffffffffff000
#define MAGIC_A 0x4141414141414141
#define MAGIC_B 0x4242424242424242
#define LEAF    (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* table[index] = PTE for label with flags (clobbers t0-t2) */
#define SET_PTE_LABEL(table, index, label, flags) \
	la t2, label; srli t0, t2, 12; slli t0, t0, 10; ori t0, t0, flags; \
	la t1, table; li t2, (index) * 8; add t1, t1, t2; sd t0, 0(t1)

TEST_BEGIN
	la a0, frame_a
	li a1, MAGIC_A
	sd a1, 0(a0)
	la a0, frame_b
	li a1, MAGIC_B
	sd a1, 0(a0)
	li t2, 0x80000000
	srli t0, t2, 12
	slli t0, t0, 10
	ori t0, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
	la t1, root_table
	sd t0, 2 * 8(t1)
	SET_PTE_LABEL(root_table, 511, l1_table, PTE_V)
	SET_PTE_LABEL(l1_table, 511, l0_table, PTE_V)
	SET_PTE_LABEL(l0_table, 511, frame_a, LEAF)
	la a0, root_table
	srli a0, a0, 12
	li a1, SATP_SV39
	or a0, a0, a1
	csrw satp, a0
	sfence.vma

	li TESTNUM, 1
	li a1, TOP_VA
	li a0, 0
	GOTO_S(1f)
1:	ld a0, 0(a1)
	RETURN_TO_M
	CHECK_EQ(1, a0, MAGIC_A)

	SET_PTE_LABEL(l0_table, 511, frame_b, LEAF)
	li TESTNUM, 2
	li a1, TOP_VA
	li a0, 0
	GOTO_S(2f)
2:	sfence.vma a1, zero
	ld a0, 0(a1)
	RETURN_TO_M
	CHECK_EQ(2, a0, MAGIC_B)

	SET_PTE_LABEL(l0_table, 511, frame_a, LEAF)
	li TESTNUM, 3
	li a1, TOP_VA
	li a2, -1
	li a0, 0
	GOTO_S(3f)
3:	sfence.vma a2, zero
	ld a0, 0(a1)
	RETURN_TO_M
	CHECK_EQ(3, a0, MAGIC_A)

	csrw satp, zero
	sfence.vma
	TEST_PASS
TEST_END

	TEST_DATA
	.balign 4096
root_table:	.skip 4096
l1_table:	.skip 4096
l0_table:	.skip 4096
frame_a:	.skip 4096
frame_b:	.skip 4096
