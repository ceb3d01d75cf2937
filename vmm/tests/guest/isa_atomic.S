/*
 * isa_atomic.S - RV64A (unprivileged spec 20191213, chapter 8): LR/SC
 * success and failure (SC without a reservation fails, an SC invalidates
 * the reservation whatever its outcome, an SC outside the reserved
 * address fails, 8.2), LR.W sign extension, every AMO in .W and .D form
 * (old value sign-extended into rd, only the addressed word written), and
 * misaligned AMO/SC raising the store/AMO address-misaligned exception
 * (cause 6, mtval = address; 8.4 requires an exception for misaligned
 * atomics even where ordinary misaligned accesses are supported).
 */
#include "harness.h"

/* Case num: the doubleword at amo_var holds init; a0 = op(src) on it;
 * a0 must be old and the doubleword afterwards must be mem. */
#define AMO(num, op, init, src, old, mem) \
	li TESTNUM, num; \
	la a3, amo_var; li a1, init; sd a1, 0(a3); \
	li a2, src; li a0, 0x5a5a; \
	op a0, a2, (a3); \
	CHECK_EQ_NONUM(a0, old); \
	ld a0, 0(a3); \
	CHECK_EQ_NONUM(a0, mem)

TEST_BEGIN
	la s0, lr_var
	la s1, far_var

	/* 1: LR.W sign-extends, SC.W succeeds (rd = 0) and writes */
	li a1, 0x1234567880000001
	sd a1, 0(s0)
	TEST_CASE(1, a0, 0xffffffff80000001, lr.w a0, (s0))
	TEST_CASE(2, a4, 0, li a2, 0x7777; sc.w a4, a2, (s0))
	TEST_CASE(3, a0, 0x1234567800007777, ld a0, 0(s0))
	/* 4: a second SC with no new LR fails (the first consumed the
	 * reservation) and does not write */
	TEST_CASE(4, a4, 1, li a2, 0x9999; sc.w a4, a2, (s0); snez a4, a4)
	TEST_CASE(5, a0, 0x1234567800007777, ld a0, 0(s0))
	/* 6: SC.D with no reservation at all (fresh address) fails */
	TEST_CASE(6, a4, 1, li a2, -1; sc.d a4, a2, (s1); snez a4, a4)
	TEST_CASE(7, a0, 0, ld a0, 0(s1))
	/* 8: LR.D / SC.D round trip */
	TEST_CASE(8, a0, 0x1234567800007777, lr.d a0, (s0))
	TEST_CASE(9, a4, 0, addi a0, a0, 1; sc.d a4, a0, (s0))
	TEST_CASE(40, a0, 0x1234567800007778, ld a0, 0(s0))
	/* 41: LR at one address, SC at another (other page): the SC fails,
	 * writes nothing, and also kills the reservation on the first */
	TEST_CASE(41, a4, 1, lr.d a0, (s0); li a2, 0x4242; sc.d a4, a2, (s1); snez a4, a4)
	TEST_CASE(42, a0, 0, ld a0, 0(s1))
	TEST_CASE(43, a4, 1, li a2, 0x4343; sc.d a4, a2, (s0); snez a4, a4)
	TEST_CASE(44, a0, 0x1234567800007778, ld a0, 0(s0))
	/* 45: an LR/SC increment loop, the usual retry idiom */
	li TESTNUM, 45
	sd zero, 0(s1)
	li a5, 50
1:	lr.d a0, (s1)
	addi a0, a0, 3
	sc.d a4, a0, (s1)
	bnez a4, 1b
	addi a5, a5, -1
	bnez a5, 1b
	ld a0, 0(s1)
	CHECK_EQ_NONUM(a0, 150)
	/* 46: SC.W writes only its word */
	li a1, -1
	sd a1, 0(s0)
	TEST_CASE(46, a0, 0xffffffff00000000, lr.w a0, (s0); sc.w a4, zero, (s0); ld a0, 0(s0))

	/* every AMO, .W then .D */
	AMO(10, amoswap.w, 0x5555aaaa80000003, 0x123456789, 0xffffffff80000003, 0x5555aaaa23456789)
	AMO(11, amoadd.w, 0x5555aaaa80000003, 0xfffffffffffffffe, 0xffffffff80000003, 0x5555aaaa80000001)
	AMO(12, amoadd.w, 0x5555aaaa80000003, 0x7ffffffd, 0xffffffff80000003, 0x5555aaaa00000000)
	AMO(13, amoand.w, 0x5555aaaa80000003, 0xff00ff00ff00ff0f, 0xffffffff80000003, 0x5555aaaa80000003)
	AMO(14, amoor.w, 0x5555aaaa80000003, 0xf0f0f0f0f0f0f0f, 0xffffffff80000003, 0x5555aaaa8f0f0f0f)
	AMO(15, amoxor.w, 0x5555aaaa80000003, 0xffffffffffffffff, 0xffffffff80000003, 0x5555aaaa7ffffffc)
	AMO(16, amomax.w, 0x5555aaaa80000003, 0x1, 0xffffffff80000003, 0x5555aaaa00000001)
	AMO(17, amomax.w, 0x5555aaaa80000003, 0xfffffffffffffffb, 0xffffffff80000003, 0x5555aaaafffffffb)
	AMO(18, amomin.w, 0x5555aaaa80000003, 0x1, 0xffffffff80000003, 0x5555aaaa80000003)
	AMO(19, amomin.w, 0x5555aaaa80000003, 0xffffffff80000001, 0xffffffff80000003, 0x5555aaaa80000001)
	AMO(20, amomaxu.w, 0x5555aaaa80000003, 0x1, 0xffffffff80000003, 0x5555aaaa80000003)
	AMO(21, amomaxu.w, 0x5555aaaa80000003, 0xffffffffffffffff, 0xffffffff80000003, 0x5555aaaaffffffff)
	AMO(22, amominu.w, 0x5555aaaa80000003, 0x1, 0xffffffff80000003, 0x5555aaaa00000001)
	AMO(23, amominu.w, 0x5555aaaa80000003, 0xffffffffffffffff, 0xffffffff80000003, 0x5555aaaa80000003)
	AMO(24, amoswap.d, 0x5555aaaa80000003, 0x123456789, 0x5555aaaa80000003, 0x123456789)
	AMO(25, amoadd.d, 0x5555aaaa80000003, 0xfffffffffffffffe, 0x5555aaaa80000003, 0x5555aaaa80000001)
	AMO(26, amoadd.d, 0x5555aaaa80000003, 0x7ffffffd, 0x5555aaaa80000003, 0x5555aaab00000000)
	AMO(27, amoand.d, 0x5555aaaa80000003, 0xff00ff00ff00ff0f, 0x5555aaaa80000003, 0x5500aa0080000003)
	AMO(28, amoor.d, 0x5555aaaa80000003, 0xf0f0f0f0f0f0f0f, 0x5555aaaa80000003, 0x5f5fafaf8f0f0f0f)
	AMO(29, amoxor.d, 0x5555aaaa80000003, 0xffffffffffffffff, 0x5555aaaa80000003, 0xaaaa55557ffffffc)
	AMO(30, amomax.d, 0x5555aaaa80000003, 0x1, 0x5555aaaa80000003, 0x5555aaaa80000003)
	AMO(31, amomax.d, 0x5555aaaa80000003, 0xfffffffffffffffb, 0x5555aaaa80000003, 0x5555aaaa80000003)
	AMO(32, amomin.d, 0x5555aaaa80000003, 0x1, 0x5555aaaa80000003, 0x1)
	AMO(33, amomin.d, 0x5555aaaa80000003, 0xffffffff80000001, 0x5555aaaa80000003, 0xffffffff80000001)
	AMO(34, amomaxu.d, 0x5555aaaa80000003, 0x1, 0x5555aaaa80000003, 0x5555aaaa80000003)
	AMO(35, amomaxu.d, 0x5555aaaa80000003, 0xffffffffffffffff, 0x5555aaaa80000003, 0xffffffffffffffff)
	AMO(36, amominu.d, 0x5555aaaa80000003, 0x1, 0x5555aaaa80000003, 0x1)
	AMO(37, amominu.d, 0x5555aaaa80000003, 0xffffffffffffffff, 0x5555aaaa80000003, 0x5555aaaa80000003)
	AMO(38, amomax.d, 0x8000000000000005, 1, 0x8000000000000005, 1)
	AMO(39, amomin.d, 0x8000000000000005, 1, 0x8000000000000005, 0x8000000000000005)
	AMO(47, amomaxu.d, 0x8000000000000005, 1, 0x8000000000000005, 0x8000000000000005)
	AMO(48, amominu.d, 0x8000000000000005, 1, 0x8000000000000005, 1)
	/* AMO on the high word of a doubleword */
	li TESTNUM, 49
	la a3, amo_var
	li a1, 0x0000000500000007
	sd a1, 0(a3)
	addi a3, a3, 4
	li a2, 10
	amoadd.w a0, a2, (a3)
	CHECK_EQ_NONUM(a0, 5)
	ld a0, -4(a3)
	CHECK_EQ_NONUM(a0, 0x0000000f00000007)
	/* rd = x0 still performs the operation; rd == rs2 */
	TEST_CASE(50, a0, 0x11, la a3, amo_var; li a1, 0x10; sd a1, 0(a3); li a2, 1; amoor.d x0, a2, (a3); ld a0, 0(a3))
	TEST_CASE(51, a2, 0x11, la a3, amo_var; li a2, 0x99; amoswap.d a2, a2, (a3))
	TEST_CASE(52, a0, 0x99, ld a0, 0(a3))

	/* misaligned atomics: store/AMO address misaligned, memory untouched
	 * (QEMU 7.2 wrongly reports cause 4 for 60-66 and takes no trap in 69) */
	la a3, amo_var
	li a1, 0x0102030405060708
	sd a1, 0(a3)
	sd a1, 8(a3)
	TEST_TRAP(60, CAUSE_MISALIGNED_STORE, addi a4, a3, 2; li a2, 1; amoadd.w a0, a2, (a4))
	CHECK_REGS_EQ(61, TRAP_TVAL, a4)
	la a5, 1f
	TEST_TRAP(62, CAUSE_MISALIGNED_STORE, addi a4, a3, 4; li a2, 1; 1: amoswap.d a0, a2, (a4))
	CHECK_REGS_EQ(63, TRAP_TVAL, a4)
	CHECK_REGS_EQ(64, TRAP_EPC, a5)
	TEST_TRAP(65, CAUSE_MISALIGNED_STORE, addi a4, a3, 1; amomaxu.d a0, a2, (a4))
	TEST_TRAP(66, CAUSE_MISALIGNED_STORE, addi a4, a3, 6; amoand.w a0, zero, (a4))
	TEST_CASE(67, a0, 0x0102030405060708, ld a0, 0(a3))
	TEST_CASE(68, a0, 0x0102030405060708, ld a0, 8(a3))
	/* misaligned SC: same cause (8.2: SC raises store/AMO exceptions) */
	TEST_TRAP(69, CAUSE_MISALIGNED_STORE, lr.d a0, (a3); addi a4, a3, 4; sc.d a0, a2, (a4))
	TEST_CASE(70, a0, 0x0102030405060708, ld a0, 8(a3))
	/* misaligned LR: load address misaligned, or an access fault (8.2) */
	li TESTNUM, 71
	la TRAP_RECOVER, 1f
	addi a4, a3, 2
	lr.w a0, (a4)
	j harness_fail
1:	li t6, CAUSE_MISALIGNED_LOAD
	beq TRAP_CAUSE, t6, 2f
	CHECK_EQ_NONUM(TRAP_CAUSE, CAUSE_LOAD_ACCESS)
2:
	TEST_PASS
TEST_END

	TEST_DATA
	.balign 64
lr_var:	.dword 0
	.balign 64
amo_var: .dword 0, 0
	.balign 4096
far_var: .dword 0
