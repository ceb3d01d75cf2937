/*
 * isa_alu.S - RV64I integer computational instructions (unprivileged spec
 * 20191213, chapter 2.4 and 5.2): register-register and register-immediate
 * ALU operations, their 32-bit W forms, shift-amount edge cases, LUI/AUIPC,
 * SLT/SLTU and writes to x0.  Passes when every result matches.
 */
#include "harness.h"

/* Register-register: a0 = op(a, b). */
#define RR(num, op, a, b, exp) \
	TEST_CASE(num, a0, exp, li a1, a; li a2, b; op a0, a1, a2)
/* Register-immediate: a0 = op(a, imm). */
#define RI(num, op, a, imm, exp) \
	TEST_CASE(num, a0, exp, li a1, a; op a0, a1, imm)

TEST_BEGIN
	/* add / sub: 64-bit wrap, no W sign extension */
	RR(1, add, 0x7fffffffffffffff, 1, 0x8000000000000000)
	RR(2, add, 0x00000000ffffffff, 1, 0x0000000100000000)
	RR(3, sub, 0, 1, 0xffffffffffffffff)
	RR(4, sub, 0x8000000000000000, 1, 0x7fffffffffffffff)
	/* logic */
	RR(5, and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
	RR(6, or,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
	RR(7, xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
	/* shifts: amount is rs2[5:0] */
	RR(8,  sll, 1, 63, 0x8000000000000000)
	RR(9,  sll, 0x123, 64, 0x123)            /* 64 -> 0 */
	RR(10, sll, 1, 65, 2)                    /* 65 -> 1 */
	RR(11, srl, 0x8000000000000000, 63, 1)
	RR(12, srl, 0x8000000000000000, 0, 0x8000000000000000)
	RR(13, sra, 0x8000000000000000, 63, 0xffffffffffffffff)
	RR(14, sra, 0x8000000000000000, 4, 0xf800000000000000)
	RR(15, sra, 0x7000000000000000, 0x7c, 7) /* 0x7c -> 60 */
	RR(16, srl, 0xffffffffffffffff, 32, 0x00000000ffffffff)
	/* set-less-than */
	RR(17, slt,  0xffffffffffffffff, 1, 1)   /* -1 < 1 */
	RR(18, sltu, 0xffffffffffffffff, 1, 0)   /* 2^64-1 > 1 */
	RR(19, slt,  1, 0xffffffffffffffff, 0)
	RR(20, sltu, 1, 0xffffffffffffffff, 1)
	RR(21, slt,  5, 5, 0)
	RR(22, slt,  0x8000000000000000, 0x7fffffffffffffff, 1)
	RR(23, sltu, 0, 0, 0)

	/* immediates are 12-bit sign-extended */
	RI(24, addi, 1, -1, 0)
	RI(25, addi, 0x7fffffffffffffff, 1, 0x8000000000000000)
	RI(26, addi, 0, 2047, 2047)
	RI(27, addi, 0, -2048, 0xfffffffffffff800)
	RI(28, andi, 0x123456789abcdef0, -16, 0x123456789abcdef0)
	RI(29, andi, 0x123456789abcdef0, 0x7ff, 0x6f0)
	RI(30, ori,  0x1000000000000000, -2048, 0xfffffffffffff800)
	RI(31, xori, 0x00ff00ff00ff00ff, -1, 0xff00ff00ff00ff00)
	RI(32, slti, 0xfffffffffffffffe, -1, 1)
	RI(33, slti, 0, -1, 0)
	RI(34, sltiu, 5, -1, 1)                  /* imm -1 is 2^64-1 unsigned */
	RI(35, sltiu, 0xffffffffffffffff, -1, 0)
	RI(36, sltiu, 0, 1, 1)                   /* seqz */
	RI(37, slli, 0x1, 63, 0x8000000000000000)
	RI(38, slli, 0xffffffffffffffff, 0, 0xffffffffffffffff)
	RI(39, srli, 0x8000000000000001, 63, 1)
	RI(40, srli, 0x8000000000000001, 1, 0x4000000000000000)
	RI(41, srai, 0x8000000000000001, 1, 0xc000000000000000)
	RI(42, srai, 0x8000000000000000, 63, 0xffffffffffffffff)
	RI(43, srai, 0x4000000000000000, 62, 1)

	/* lui: 20-bit immediate << 12, sign-extended from bit 31 */
	TEST_CASE(44, a0, 0xffffffff80000000, lui a0, 0x80000)
	TEST_CASE(45, a0, 0x000000007ffff000, lui a0, 0x7ffff)
	TEST_CASE(46, a0, 0xfffffffffffff000, lui a0, 0xfffff)
	TEST_CASE(47, a0, 0, lui a0, 0)
	/* auipc: pc-relative, also with a negative immediate */
1:	auipc a0, 0
	la a1, 1b
	CHECK_REGS_EQ(48, a0, a1)
2:	auipc a0, 0x1
	la a1, 2b
	sub a0, a0, a1
	CHECK_EQ(49, a0, 0x1000)
3:	auipc a0, 0xfffff          /* -4096 */
	la a1, 3b
	sub a0, a0, a1
	CHECK_EQ(50, a0, 0xfffffffffffff000)

	/* W forms: operate on the low 32 bits, sign-extend the 32-bit result */
	RR(51, addw, 0x7fffffff, 1, 0xffffffff80000000)
	RR(52, addw, 0xffffffff00000001, 0x1234500000001, 2)   /* high bits ignored */
	RR(53, subw, 0, 1, 0xffffffffffffffff)
	RR(54, subw, 0x80000000, 1, 0x7fffffff)
	RR(55, sllw, 1, 31, 0xffffffff80000000)
	RR(56, sllw, 1, 32, 1)                   /* amount is rs2[4:0] */
	RR(57, sllw, 0x100000001, 1, 2)
	RR(58, srlw, 0xffffffff80000000, 31, 1)
	RR(59, srlw, 0x0000000080000000, 0, 0xffffffff80000000) /* shift 0 still sign-extends */
	RR(60, srlw, 0xfffffffffffffff0, 4, 0x0fffffff)
	RR(61, sraw, 0x80000000, 31, 0xffffffffffffffff)
	RR(62, sraw, 0x0000000780000000, 4, 0xfffffffff8000000)  /* bit 31 is the sign */
	RR(63, sraw, 0x7fffffff, 33, 0x3fffffff)                 /* 33 -> 1 */
	RI(64, addiw, 0x7fffffff, 1, 0xffffffff80000000)
	RI(65, addiw, 0xffffffff, 0, 0xffffffffffffffff)         /* sext.w */
	RI(66, addiw, 0x1234567800000000, -1, 0xffffffffffffffff)
	RI(67, slliw, 0x80000001, 31, 0xffffffff80000000)
	RI(68, slliw, 0x0000000100000003, 0, 3)
	RI(69, srliw, 0xffffffff80000000, 31, 1)
	RI(70, srliw, 0x80000000, 0, 0xffffffff80000000)
	RI(71, sraiw, 0x80000000, 31, 0xffffffffffffffff)
	RI(72, sraiw, 0xffffffff7fffffff, 30, 1)

	/* rd == rs1 and rd == rs2 */
	TEST_CASE(73, a1, 30, li a1, 10; li a2, 20; add a1, a1, a2)
	TEST_CASE(74, a2, 0xfffffffffffffff6, li a1, 10; li a2, 20; sub a2, a1, a2)
	TEST_CASE(75, a1, 26, li a1, 13; add a1, a1, a1)
	/* writes to x0 are discarded; x0 reads as zero */
	TEST_CASE(76, x0, 0, li a1, 5; addi x0, a1, 1; lui x0, 0x12345; add x0, a1, a1)
	TEST_CASE(77, a0, 0, li a0, 99; add a0, x0, x0)
	/* a long dependent chain (tests forwarding in any dispatch cache) */
	TEST_CASE(78, a0, 0x7e, li a0, 1; slli a0, a0, 5; addi a0, a0, 15; xori a0, a0, 0x41; ori a0, a0, 0x10; andi a0, a0, 0x7e)

	TEST_PASS
TEST_END
