/*
 * isa_muldiv.S - RV64M (unprivileged spec 20191213, chapter 7): MUL,
 * MULH/MULHSU/MULHU high halves with every sign combination, DIV/DIVU/
 * REM/REMU and the W forms, including the defined results of division by
 * zero (quotient all ones, remainder the dividend) and of signed overflow
 * (most negative / -1: quotient the dividend, remainder 0), table 7.1.
 * W forms ignore the upper 32 bits of their operands and sign-extend.
 */
#include "harness.h"

/* a0 = op(a, b) */
#define RR(num, op, a, b, exp) \
	TEST_CASE(num, a0, exp, li a1, a; li a2, b; op a0, a1, a2)

TEST_BEGIN
	RR(1, mul, 0x7, 0x6, 0x2a)
	RR(2, mul, 0xfffffffffffffff9, 0x6, 0xffffffffffffffd6)
	RR(3, mul, 0x100000000, 0x100000000, 0x0)
	RR(4, mul, 0x7fffffffffffffff, 0x2, 0xfffffffffffffffe)
	RR(5, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
	RR(6, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
	RR(7, mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff)
	RR(8, mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
	RR(9, mulh, 0x8000000000000000, 0x2, 0xffffffffffffffff)
	RR(10, mulh, 0x3, 0xfffffffffffffffe, 0xffffffffffffffff)
	RR(11, mulhu, 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe)
	RR(12, mulhu, 0x100000000, 0x100000000, 0x1)
	RR(13, mulhu, 0xffffffffffffffff, 0x2, 0x1)
	RR(14, mulhu, 0x3, 0x5, 0x0)
	RR(15, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
	RR(16, mulhsu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
	RR(17, mulhsu, 0x2, 0xffffffffffffffff, 0x1)
	RR(18, mulhsu, 0xfffffffffffffffd, 0x5, 0xffffffffffffffff)
	RR(19, div, 0x14, 0x6, 0x3)
	RR(20, div, 0xffffffffffffffec, 0x6, 0xfffffffffffffffd)
	RR(21, div, 0x14, 0xfffffffffffffffa, 0xfffffffffffffffd)
	RR(22, div, 0xffffffffffffffec, 0xfffffffffffffffa, 0x3)
	RR(23, div, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
	RR(24, div, 0x5, 0x0, 0xffffffffffffffff)
	RR(25, div, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff)
	RR(26, divu, 0x14, 0x6, 0x3)
	RR(27, divu, 0xffffffffffffffec, 0x6, 0x2aaaaaaaaaaaaaa7)
	RR(28, divu, 0x5, 0x0, 0xffffffffffffffff)
	RR(29, divu, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
	RR(30, rem, 0x14, 0x6, 0x2)
	RR(31, rem, 0xffffffffffffffec, 0x6, 0xfffffffffffffffe)
	RR(32, rem, 0x14, 0xfffffffffffffffa, 0x2)
	RR(33, rem, 0xffffffffffffffec, 0xfffffffffffffffa, 0xfffffffffffffffe)
	RR(34, rem, 0x8000000000000000, 0xffffffffffffffff, 0x0)
	RR(35, rem, 0x5, 0x0, 0x5)
	RR(36, rem, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb)
	RR(37, remu, 0x14, 0x6, 0x2)
	RR(38, remu, 0xffffffffffffffec, 0x6, 0x2)
	RR(39, remu, 0x5, 0x0, 0x5)
	RR(40, remu, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	RR(41, mulw, 0x7fffffff, 0x2, 0xfffffffffffffffe)
	RR(42, mulw, 0x123456789, 0x10, 0x34567890)
	RR(43, mulw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
	RR(44, mulw, 0x10000, 0x10000, 0x0)
	RR(45, divw, 0x14, 0x6, 0x3)
	RR(46, divw, 0xffffffffffffffec, 0x6, 0xfffffffffffffffd)
	RR(47, divw, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000)
	RR(48, divw, 0x5, 0x0, 0xffffffffffffffff)
	RR(49, divw, 0xffffffff00000014, 0x6, 0x3)
	RR(50, divw, 0x80000000, 0x1, 0xffffffff80000000)
	RR(51, divuw, 0xffffffffffffffec, 0x6, 0x2aaaaaa7)
	RR(52, divuw, 0x5, 0x0, 0xffffffffffffffff)
	RR(53, divuw, 0xffffffff, 0x1, 0xffffffffffffffff)
	RR(54, divuw, 0x80000000, 0x1, 0xffffffff80000000)
	RR(55, remw, 0xffffffffffffffec, 0x6, 0xfffffffffffffffe)
	RR(56, remw, 0xffffffff80000000, 0xffffffffffffffff, 0x0)
	RR(57, remw, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb)
	RR(58, remw, 0x123456789, 0x100000000, 0x23456789)
	RR(59, remw, 0x7ffffffff, 0x10, 0xffffffffffffffff)
	RR(60, remuw, 0xffffffffffffffec, 0x6, 0x2)
	RR(61, remuw, 0x80000005, 0x0, 0xffffffff80000005)
	RR(62, remuw, 0x1234567800000007, 0x5, 0x2)
	/* rd aliasing a source; the product of a division check */
	TEST_CASE(63, a1, 0x2a, li a1, 7; li a2, 6; mul a1, a1, a2)
	TEST_CASE(64, a2, 0x3, li a1, 100; li a2, 33; divu a2, a1, a2)
	TEST_CASE(65, a0, 1, li a1, 0x123456789abcdef; li a2, 0x1000; div a3, a1, a2; rem a4, a1, a2; mul a5, a3, a2; add a5, a5, a4; sub a0, a5, a1; seqz a0, a0)
	/* x0 as destination discards the result */
	TEST_CASE(66, x0, 0, li a1, 3; li a2, 4; mul x0, a1, a2; div x0, a1, a2)

	TEST_PASS
TEST_END
