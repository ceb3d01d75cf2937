/*
 * isa_mem.S - RV64I loads and stores (unprivileged spec 20191213, 2.6 and
 * 5.3): every width, sign versus zero extension, positive and negative
 * offsets, partial stores leaving neighbours intact, and misaligned loads
 * and stores both inside a page and crossing a 4 KiB page boundary (vtlab's
 * platform performs misaligned accesses in hardware, which the spec allows,
 * 2.6: "may be handled in hardware"), and stores to code made visible to
 * instruction fetch by FENCE.I (chapter 3), including the running block.
 */
#include "harness.h"

/* Case num: a0 = load op at off(s0) must be exp. */
#define LOAD(num, op, off, exp) TEST_CASE(num, a0, exp, op a0, off(s0))

TEST_BEGIN
	la s0, buf
	li a1, 0x8877665544332211
	sd a1, 0(s0)
	li a1, 0x0102030405060708
	sd a1, 8(s0)

	/* every load width on 0x8877665544332211 */
	LOAD(1, ld, 0, 0x8877665544332211)
	LOAD(2, lb, 0, 0x11)
	LOAD(3, lb, 7, 0xffffffffffffff88)
	LOAD(4, lbu, 7, 0x88)
	LOAD(5, lh, 6, 0xffffffffffff8877)
	LOAD(6, lhu, 6, 0x8877)
	LOAD(7, lh, 0, 0x2211)
	LOAD(8, lw, 4, 0xffffffff88776655)
	LOAD(9, lwu, 4, 0x88776655)
	LOAD(10, lw, 0, 0x44332211)
	LOAD(11, ld, 8, 0x0102030405060708)
	/* negative offset */
	TEST_CASE(12, a0, 0x8877665544332211, addi a2, s0, 16; ld a0, -16(a2))
	TEST_CASE(13, a0, 0x01, addi a2, s0, 16; lbu a0, -1(a2))

	/* partial stores only touch their bytes */
	TEST_CASE(14, a0, 0x88776655443322aa, li a1, 0x12345678aa; sb a1, 0(s0); ld a0, 0(s0))
	TEST_CASE(15, a0, 0x8877bbcc443322aa, li a1, 0xffffbbcc; sh a1, 4(s0); ld a0, 0(s0))
	TEST_CASE(16, a0, 0xdeadbeef443322aa, li a1, 0x77deadbeef; sw a1, 4(s0); ld a0, 0(s0))
	TEST_CASE(17, a0, 0x0102030405060708, ld a0, 8(s0))    /* neighbour intact */
	TEST_CASE(18, a0, 0, sd x0, 0(s0); ld a0, 0(s0))
	/* a load into x0 is discarded */
	TEST_CASE(19, x0, 0, ld x0, 8(s0))

	/* misaligned, inside a page: bytes 0..15 hold 11 22 ... 88 88 99 .. ff */
	li a1, 0x8877665544332211
	sd a1, 0(s0)
	li a1, 0xffeeddccbbaa9988
	sd a1, 8(s0)
	TEST_CASE(20, a0, 0x8888776655443322, ld a0, 1(s0))
	TEST_CASE(21, a0, 0xeeddccbbaa998888, ld a0, 7(s0))
	TEST_CASE(22, a0, 0x0000000055443322, lw a0, 1(s0))
	TEST_CASE(23, a0, 0xffffffff88887766, lw a0, 5(s0))
	TEST_CASE(24, a0, 0x0000000099888877, lwu a0, 6(s0))
	TEST_CASE(25, a0, 0x0000000077665544, lw a0, 3(s0))
	TEST_CASE(26, a0, 0x0000000000003322, lh a0, 1(s0))
	TEST_CASE(27, a0, 0xffffffffffff8888, lh a0, 7(s0))
	TEST_CASE(28, a0, 0x000000000000aa99, lhu a0, 9(s0))
	TEST_CASE(29, a0, 0x00000000000000ff, lhu a0, 15(s0))
	TEST_CASE(30, a0, 0x00000000c1b2a3f4, li a1, 0xc1b2a3f4; sw a1, 3(s0); lwu a0, 3(s0))
	TEST_CASE(31, a0, 0x88c1b2a3f4332211, ld a0, 0(s0))
	TEST_CASE(32, a0, 0x0102030405060708, li a1, 0x102030405060708; sd a1, 5(s0); ld a0, 5(s0))
	TEST_CASE(33, a0, 0x060708a3f4332211, ld a0, 0(s0))
	TEST_CASE(34, a0, 0xffeedd0102030405, ld a0, 8(s0))
	TEST_CASE(35, a0, 0xffeeddbeef030405, li a1, 0xbeef; sh a1, 11(s0); ld a0, 8(s0))
	TEST_CASE(36, a0, 0x0000000000007a7b, li a1, 0x7a7b; sh a1, 1(s0); lhu a0, 1(s0))
	TEST_CASE(37, a0, 0x060708a3f47a7b11, ld a0, 0(s0))

	/* misaligned, crossing the 4 KiB boundary at s1: bytes s1-8..s1+7 hold
	 * 08 09 .. 0f | 10 11 .. 17 */
	li s1, 4096
	add s1, s0, s1
	li a1, 0x0f0e0d0c0b0a0908
	sd a1, -8(s1)
	li a1, 0x1716151413121110
	sd a1, 0(s1)
	TEST_CASE(40, a0, 0x14131211100f0e0d, ld a0, -3(s1))
	TEST_CASE(41, a0, 0x100f0e0d0c0b0a09, ld a0, -7(s1))
	TEST_CASE(42, a0, 0x161514131211100f, ld a0, -1(s1))
	TEST_CASE(43, a0, 0x0000000011100f0e, lw a0, -2(s1))
	TEST_CASE(44, a0, 0x000000001211100f, lw a0, -1(s1))
	TEST_CASE(45, a0, 0x00000000100f0e0d, lwu a0, -3(s1))
	TEST_CASE(46, a0, 0x000000000000100f, lh a0, -1(s1))
	TEST_CASE(47, a0, 0x000000000000100f, lhu a0, -1(s1))
	TEST_CASE(48, a0, 0x000000000f0e0d0c, lw a0, -4(s1))
	TEST_CASE(49, a0, 0x8182838485868788, li a1, 0x8182838485868788; sd a1, -5(s1); ld a0, -5(s1))
	TEST_CASE(50, a0, 0x84858687880a0908, ld a0, -8(s1))
	TEST_CASE(51, a0, 0x1716151413818283, ld a0, 0(s1))
	TEST_CASE(52, a0, 0xffffffffa1a2a3a4, li a1, 0xa1a2a3a4; sw a1, -1(s1); lw a0, -1(s1))
	TEST_CASE(53, a0, 0xa4858687880a0908, ld a0, -8(s1))
	TEST_CASE(54, a0, 0x1716151413a1a2a3, ld a0, 0(s1))
	TEST_CASE(55, a0, 0xffffffffffffb1b2, li a1, 0xb1b2; sh a1, -1(s1); lh a0, -1(s1))
	TEST_CASE(56, a0, 0xb2858687880a0908, ld a0, -8(s1))
	TEST_CASE(57, a0, 0x1716151413a1a2b1, ld a0, 0(s1))

	/* ---- self-modifying code made visible by fence.i (unpriv. 3.1) ---- */
	TEST_CASE(60, a0, 1, call smc_func)          /* runs (and may be cached) */
	la a1, smc_func
	li a2, 0x00200513                            /* addi a0, zero, 2 */
	sw a2, 0(a1)
	fence.i
	TEST_CASE(61, a0, 2, call smc_func)
	/* patch the very next instructions of the running code */
	li TESTNUM, 62
	la a1, 1f
	li a2, 0x00300513                            /* addi a0, zero, 3 */
	sw a2, 0(a1)
	fence.i
1:	li a0, 7
	CHECK_EQ_NONUM(a0, 3)
	/* patch inside a loop that has already run: the next round sees it */
	li TESTNUM, 63
	li a3, 0
	li a4, 2
	la a1, 2f
	li a2, 0x00a00513                            /* addi a0, zero, 10 */
3:	li a0, 0
2:	addi a0, zero, 1
	add a3, a3, a0
	sw a2, 0(a1)
	fence.i
	addi a4, a4, -1
	bnez a4, 3b
	CHECK_EQ_NONUM(a3, 11)
	/* one sd patching two instructions at once */
	li TESTNUM, 64
	la a1, 4f
	li a2, 0x0050059300400513                    /* addi a1, zero, 5 | addi a0, zero, 4 */
	sd a2, 0(a1)
	fence.i
	.balign 8
4:	li a0, 0
	li a1, 0
	CHECK_EQ_NONUM(a0, 4)
	CHECK_EQ_NONUM(a1, 5)
	TEST_PASS

smc_func:
	addi a0, zero, 1
	ret

TEST_END

	/* two pages, page-aligned, so s0 + 4096 is a page boundary */
	TEST_DATA
	.balign 4096
buf:	.skip 8192
