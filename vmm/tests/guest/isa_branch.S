/*
 * isa_branch.S - RV64I control transfer (unprivileged spec 20191213,
 * chapter 2.5): every conditional branch taken and not taken, forward and
 * backward, signed versus unsigned comparisons, JAL and JALR link values,
 * JALR clearing bit 0 of the target, rd == rs1 for JALR, and x0 as link.
 */
#include "harness.h"

/* Branch op(a, b) must be taken (forward). */
#define BR_TAKEN(num, op, a, b) \
	li TESTNUM, num; li a1, a; li a2, b; \
	op a1, a2, 1f; \
	j harness_fail; \
1:
/* Branch op(a, b) must fall through. */
#define BR_NOT_TAKEN(num, op, a, b) \
	li TESTNUM, num; li a1, a; li a2, b; \
	op a1, a2, 1f; \
	j 2f; \
1:	j harness_fail; \
2:
/* Branch op(a, b) must be taken (backward). */
#define BR_TAKEN_BACK(num, op, a, b) \
	li TESTNUM, num; li a1, a; li a2, b; \
	j 2f; \
1:	j 3f; \
2:	op a1, a2, 1b; \
	j harness_fail; \
3:

TEST_BEGIN
	BR_TAKEN(1, beq, 5, 5)
	BR_NOT_TAKEN(2, beq, 5, 6)
	BR_TAKEN(3, bne, 0x100000000, 0)      /* compares all 64 bits */
	BR_NOT_TAKEN(4, bne, -7, -7)
	BR_TAKEN(5, blt, -1, 0)
	BR_NOT_TAKEN(6, blt, 0, -1)
	BR_NOT_TAKEN(7, blt, 3, 3)
	BR_TAKEN(8, blt, 0x8000000000000000, 0x7fffffffffffffff)
	BR_TAKEN(9, bge, 0, -1)
	BR_TAKEN(10, bge, 3, 3)
	BR_NOT_TAKEN(11, bge, -1, 0)
	BR_TAKEN(12, bltu, 0, -1)             /* unsigned: 0 < 2^64-1 */
	BR_NOT_TAKEN(13, bltu, -1, 0)
	BR_NOT_TAKEN(14, bltu, 4, 4)
	BR_TAKEN(15, bgeu, -1, 0)
	BR_TAKEN(16, bgeu, 4, 4)
	BR_NOT_TAKEN(17, bgeu, 0, -1)
	BR_TAKEN(18, bltu, 0x7fffffffffffffff, 0x8000000000000000)
	BR_TAKEN_BACK(19, beq, 9, 9)
	BR_TAKEN_BACK(20, bne, 9, 8)
	BR_TAKEN_BACK(21, blt, -9, 8)
	BR_TAKEN_BACK(22, bge, 9, -8)
	BR_TAKEN_BACK(23, bltu, 8, -9)
	BR_TAKEN_BACK(24, bgeu, -9, 8)
	/* same register on both sides */
	li TESTNUM, 25
	li a1, 77
	beq a1, a1, 1f
	j harness_fail
1:	bne a1, a1, harness_far_fail_25
	/* x0 operands */
	li TESTNUM, 26
	li a1, -1
	blt a1, x0, 1f
	j harness_fail
1:	bltu x0, a1, 1f
	j harness_fail
1:

	/* jal: link is pc + 4, target reached */
	li TESTNUM, 27
	li ra, 0
	jal ra, 2f
1:	j harness_fail
2:	la a1, 1b
	CHECK_REGS_EQ(27, ra, a1)
	/* jal with x0 link (plain j) leaves x0 zero */
	li TESTNUM, 28
	jal x0, 1f
	j harness_fail
1:	CHECK_EQ(28, x0, 0)
	/* jal backward, with a non-ra link register */
	li TESTNUM, 29
	j 2f
1:	j 3f
2:	jal a3, 1b
4:	j harness_fail
3:	la a1, 4b
	CHECK_REGS_EQ(29, a3, a1)

	/* jalr: target rs1 + imm, link pc + 4 */
	li TESTNUM, 30
	la a1, 2f
	jalr ra, 0(a1)
1:	j harness_fail
2:	la a2, 1b
	CHECK_REGS_EQ(30, ra, a2)
	/* jalr with a positive and a negative offset */
	li TESTNUM, 31
	la a1, 2f - 16
	jalr ra, 16(a1)
	j harness_fail
2:	li TESTNUM, 32
	la a1, 2f + 64
	jalr x0, -64(a1)
	j harness_fail
2:
	/* jalr clears bit 0 of rs1 + imm (both from rs1 and from imm) */
	li TESTNUM, 33
	la a1, 2f
	addi a1, a1, 1
	jalr ra, 0(a1)
	j harness_fail
2:	li TESTNUM, 34
	la a1, 2f
	jalr ra, 1(a1)
	j harness_fail
2:	li TESTNUM, 35
	la a1, 2f - 1
	jalr ra, 2(a1)                        /* 2f + 1 -> 2f */
	j harness_fail
2:
	/* jalr rd == rs1: the target uses the old rs1 */
	li TESTNUM, 36
	la a1, 2f
	jalr a1, 0(a1)
1:	j harness_fail
2:	la a2, 1b
	CHECK_REGS_EQ(36, a1, a2)
	/* call / ret pair through a subroutine */
	li TESTNUM, 37
	li a0, 0
	call subroutine_add5
	call subroutine_add5
	CHECK_EQ(37, a0, 10)
	/* a counted loop: backward branch taken 100 times */
	li TESTNUM, 38
	li a0, 0
	li a1, 100
1:	addi a0, a0, 3
	addi a1, a1, -1
	bnez a1, 1b
	CHECK_EQ(38, a0, 300)

	TEST_PASS

harness_far_fail_25:
	li TESTNUM, 25
	TEST_FAIL

subroutine_add5:
	addi a0, a0, 5
	ret
TEST_END
