/*
 * trap_interrupts.S - interrupts (privileged spec 20211203, 3.1.9 mip/mie,
 * 3.1.6.1 global enables, 3.1.8 mideleg, 3.3.3 WFI; CLINT layout as in
 * vmm/bus.h / docs/platform.md): the machine timer interrupt from
 * mtimecmp <= mtime (cause 7 | interrupt bit), the machine software
 * interrupt from the CLINT msip register (cause 3), priority MSI over MTI,
 * no interrupt taken while mstatus.MIE = 0 in M but always taken from a
 * lower mode, WFI waking on a locally enabled pending interrupt, and
 * supervisor software/timer interrupts set from M in mip and delegated
 * through mideleg (taken in S with scause, never in M, even with
 * sstatus.SIE = 0 when running in U), interrupts reaching a busy loop and a
 * one-instruction self loop, vectored mtvec/stvec (entries 1, 3, 7, 9), and
 * the priority order of the six interrupts for one destination (MEI from
 * the PLIC, SEI from mip.SEIP set by M).
 */
#include "harness.h"

#define WAIT_LIMIT 20000          /* loop bound for anything that must happen */
#define BUSY_LIMIT 4000000        /* busy-loop bound (QEMU delivers timer
				     interrupts with host-timer latency) */

/* mtimecmp(hart 0) = mtime + delta (clobbers a0, a1) */
#define TIMER_IN(delta) \
	li a0, CLINT_MTIME; ld a1, 0(a0); addi a1, a1, delta; \
	li a0, CLINT_MTIMECMP; sd a1, 0(a0)
#define TIMER_OFF \
	li a0, CLINT_MTIMECMP; li a1, -1; sd a1, 0(a0)

/* Spin (with wfi) until an interrupt resumes at TRAP_RECOVER; fail after
 * WAIT_LIMIT rounds. */
#define WAIT_FOR_TRAP \
	li a2, WAIT_LIMIT; \
9100:	wfi; \
	addi a2, a2, -1; \
	bnez a2, 9100b; \
	j harness_fail

/* Case num: with MIE = 1 the next interrupt taken (in M) is cause code,
 * checked as num + 1. */
#define TAKE_NEXT(num, code) \
	li TESTNUM, num; \
	la TRAP_RECOVER, 9101f; \
	csrsi mstatus, MSTATUS_MIE; \
	WAIT_FOR_TRAP; \
9101:	CHECK_EQ(num + 1, TRAP_CAUSE, IRQ_BIT | code)

/* Case num: mip.bit becomes 1 within WAIT_LIMIT reads (clobbers a0-a2). */
#define WAIT_PENDING(num, bit) \
	li TESTNUM, num; \
	li a1, bit; \
	li a2, WAIT_LIMIT; \
9102:	csrr a0, mip; \
	and a0, a0, a1; \
	bnez a0, 9103f; \
	addi a2, a2, -1; \
	bnez a2, 9102b; \
	j harness_fail; \
9103:

/* PLIC (docs/devices.md section 3) and the UART's IER */
#define PLIC_PRIORITY(s)  (0x0c000000 + 4 * (s))
#define PLIC_ENABLE(c)    (0x0c002000 + 0x80 * (c))
#define PLIC_THRESHOLD(c) (0x0c200000 + 0x1000 * (c))
#define UART_IER          0x10000001

TEST_BEGIN
	TIMER_OFF
	li a0, CLINT_MSIP
	sw zero, 0(a0)

	/* ---- machine timer ---- */
	/* 1: a timer in the past raises mip.MTIP, not taken with MIE = 0 */
	li TESTNUM, 1
	li a0, MIP_MTIP
	csrw mie, a0
	TIMER_IN(0)
	li a2, WAIT_LIMIT
1:	csrr a0, mip
	andi a0, a0, MIP_MTIP
	bnez a0, 2f
	addi a2, a2, -1
	bnez a2, 1b
	j harness_fail
2:	/* 2: enabling MIE takes it: cause = interrupt | 7 */
	li TESTNUM, 2
	la TRAP_RECOVER, 3f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
3:	CHECK_EQ(3, TRAP_CAUSE, IRQ_BIT | 7)
	/* MPIE recorded the enabled MIE; the harness returned with MIE = 0 */
	andi a0, TRAP_STATUS, MSTATUS_MPIE
	CHECK_EQ(4, a0, MSTATUS_MPIE)
	csrr a0, mstatus
	andi a0, a0, MSTATUS_MIE
	CHECK_EQ(5, a0, 0)
	/* 6: writing mtimecmp far ahead clears MTIP */
	TIMER_OFF
	TEST_CASE(6, a0, 0, csrr a0, mip; andi a0, a0, MIP_MTIP)
	/* 7: a timer a little in the future, waited for with wfi */
	li TESTNUM, 7
	TIMER_IN(50)
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(8, TRAP_CAUSE, IRQ_BIT | 7)
	/* mtime kept counting and is now >= the compare value */
	li a0, CLINT_MTIME
	ld a0, 0(a0)
	li a1, CLINT_MTIMECMP
	ld a1, 0(a1)
	sltu a0, a0, a1
	CHECK_EQ(9, a0, 0)
	TIMER_OFF

	/* ---- machine software interrupt through CLINT msip ---- */
	li a0, MIP_MSIP
	csrw mie, a0
	li a0, CLINT_MSIP
	li a1, 1
	sw a1, 0(a0)
	TEST_CASE(10, a0, MIP_MSIP, csrr a0, mip; andi a0, a0, MIP_MSIP)
	li TESTNUM, 11
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(12, TRAP_CAUSE, IRQ_BIT | 3)
	TEST_CASE(13, a0, 1, li a1, CLINT_MSIP; lw a0, 0(a1))
	li a0, CLINT_MSIP
	sw zero, 0(a0)
	TEST_CASE(14, a0, 0, csrr a0, mip; andi a0, a0, MIP_MSIP)

	/* ---- priority: MSI before MTI when both are pending (3.1.9) ---- */
	li a0, MIP_MSIP | MIP_MTIP
	csrw mie, a0
	li a0, CLINT_MSIP
	li a1, 1
	sw a1, 0(a0)
	TIMER_IN(0)
	li TESTNUM, 15
	li a2, WAIT_LIMIT
1:	csrr a0, mip
	andi a0, a0, MIP_MTIP
	bnez a0, 2f
	addi a2, a2, -1
	bnez a2, 1b
	j harness_fail
2:	la TRAP_RECOVER, 3f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
3:	CHECK_EQ(16, TRAP_CAUSE, IRQ_BIT | 3)
	li a0, CLINT_MSIP
	sw zero, 0(a0)
	li TESTNUM, 17
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(18, TRAP_CAUSE, IRQ_BIT | 7)
	TIMER_OFF

	/* ---- wfi with MIE = 0 still wakes on a pending enabled interrupt;
	 * the interrupt is not taken ---- */
	li a0, MIP_MTIP
	csrw mie, a0
	TIMER_IN(20)
	li TESTNUM, 19
	li a2, WAIT_LIMIT
1:	wfi
	csrr a0, mip
	andi a0, a0, MIP_MTIP
	bnez a0, 2f
	addi a2, a2, -1
	bnez a2, 1b
	j harness_fail
2:	/* 20: M interrupts are taken in S whatever mstatus.MIE says */
	li TESTNUM, 20
	la TRAP_RECOVER, 3f
	li a0, MSTATUS_MPIE              /* the harness's last mret set MPIE */
	csrc mstatus, a0
	GOTO_S(1f)                       /* MPIE = 0 so MIE stays 0 */
1:	WAIT_FOR_TRAP
3:	CHECK_EQ(21, TRAP_CAUSE, IRQ_BIT | 7)
	srli a0, TRAP_STATUS, 11
	andi a0, a0, 3
	CHECK_EQ(22, a0, 1)
	TIMER_OFF
	csrw mie, zero

	/* ---- supervisor software interrupt, not delegated: taken in M ---- */
	li a0, MIP_SSIP
	csrw mie, a0
	csrs mip, a0
	TEST_CASE(23, a0, MIP_SSIP, csrr a0, mip; andi a0, a0, MIP_SSIP)
	li TESTNUM, 24
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(25, TRAP_CAUSE, IRQ_BIT | 1)
	CHECK_EQ(26, TRAP_LEVEL, 3)
	/* mip.SSIP is writable from M: clear it */
	li a0, MIP_SSIP
	csrc mip, a0
	TEST_CASE(27, a0, 0, csrr a0, mip; andi a0, a0, MIP_SSIP)

	/* ---- delegated SSI: pending in M but never taken there ---- */
	li a0, MIP_SSIP | MIP_STIP
	csrw mideleg, a0
	csrr a1, mideleg                 /* (with H, VS bits read as 1: mask) */
	andi a1, a1, MIP_SSIP | MIP_STIP | MIP_SEIP
	CHECK_EQ(28, a1, MIP_SSIP | MIP_STIP)
	li a0, MIP_SSIP
	csrw mie, a0
	csrs mip, a0
	csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
	TEST_NO_TRAP(29, nop; nop; nop; nop; wfi; nop; nop)
	csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
	/* 30: taken in S once sstatus.SIE = 1 */
	li TESTNUM, 30
	la TRAP_RECOVER, 2f
	GOTO_S(1f)
1:	csrr a0, sip                     /* visible to S through sip */
	andi a0, a0, MIP_SSIP
	CHECK_EQ(31, a0, MIP_SSIP)
	li TESTNUM, 32
	csrsi sstatus, MSTATUS_SIE
	WAIT_FOR_TRAP
2:	CHECK_EQ(33, TRAP_CAUSE, IRQ_BIT | 1)
	CHECK_EQ(34, TRAP_LEVEL, 1)
	andi a0, TRAP_STATUS, MSTATUS_SPP | MSTATUS_SPIE
	CHECK_EQ(35, a0, MSTATUS_SPP | MSTATUS_SPIE)
	/* S clears its own pending bit through sip */
	csrci sip, MIP_SSIP
	TEST_CASE(36, a0, 0, csrr a0, sip; andi a0, a0, MIP_SSIP)
	RETURN_TO_M
	TEST_CASE(37, a0, 0, csrr a0, mip; andi a0, a0, MIP_SSIP)

	/* ---- delegated SSI taken from U although sstatus.SIE = 0 ---- */
	li a0, MIP_SSIP
	csrs mip, a0
	csrci mstatus, MSTATUS_SIE
	li TESTNUM, 38
	la TRAP_RECOVER, 2f
	GOTO_U(1f)
1:	WAIT_FOR_TRAP
2:	CHECK_EQ(39, TRAP_CAUSE, IRQ_BIT | 1)
	CHECK_EQ(40, TRAP_LEVEL, 1)
	andi a0, TRAP_STATUS, MSTATUS_SPP
	CHECK_EQ(41, a0, 0)
	csrci sip, MIP_SSIP
	RETURN_TO_M

	/* ---- delegated supervisor timer: mip.STIP set by M ---- */
	li a0, MIP_STIP
	csrw mie, a0
	csrs mip, a0
	li TESTNUM, 42
	la TRAP_RECOVER, 2f
	GOTO_S(1f)
1:	csrsi sstatus, MSTATUS_SIE
	WAIT_FOR_TRAP
2:	CHECK_EQ(43, TRAP_CAUSE, IRQ_BIT | 5)
	CHECK_EQ(44, TRAP_LEVEL, 1)
	/* STIP is read-only in sip: S cannot clear it (3.1.9 / 4.1.3) */
	li a0, MIP_STIP
	csrc sip, a0
	TEST_CASE(45, a0, MIP_STIP, csrr a0, sip; andi a0, a0, MIP_STIP)
	RETURN_TO_M
	li a0, MIP_STIP
	csrc mip, a0
	TEST_CASE(46, a0, 0, csrr a0, mip; andi a0, a0, MIP_STIP)

	csrw mie, zero
	csrw mideleg, zero

	/* ---- taken from a busy loop (no wfi, no memory access) ---- */
	li a0, MIP_MTIP
	csrw mie, a0
	TIMER_IN(30)
	li TESTNUM, 47
	la TRAP_RECOVER, 2f
	csrsi mstatus, MSTATUS_MIE
	li a2, BUSY_LIMIT
1:	addi a2, a2, -1
	bnez a2, 1b
	j harness_fail
2:	CHECK_EQ(48, TRAP_CAUSE, IRQ_BIT | 7)
	/* and from a one-instruction self loop */
	TIMER_IN(30)
	li TESTNUM, 49
	la TRAP_RECOVER, 2f
	csrsi mstatus, MSTATUS_MIE
1:	j 1b
2:	CHECK_EQ(50, TRAP_CAUSE, IRQ_BIT | 7)
	la a0, 1b
	CHECK_REGS_EQ(51, TRAP_EPC, a0)
	TIMER_OFF
	csrw mie, zero

	/* ---- vectored mtvec / stvec (3.1.7): interrupts to BASE + 4 * cause,
	 * exceptions to BASE; skipped if MODE = 1 is not kept (WARL) ---- */
	la a0, vector_table
	ori a0, a0, 1
	csrw mtvec, a0
	csrr a1, mtvec
	bne a0, a1, skip_vectored
	li a0, MIP_MSIP | MIP_MTIP
	csrw mie, a0
	/* 52: MTI through entry 7 */
	li TESTNUM, 52
	li a7, 0
	TIMER_IN(0)
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(53, TRAP_CAUSE, IRQ_BIT | 7)
	CHECK_EQ(54, a7, 7)
	TIMER_OFF
	/* 55: MSI through entry 3 */
	li TESTNUM, 55
	li a7, 0
	li a0, CLINT_MSIP
	li a1, 1
	sw a1, 0(a0)
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(56, TRAP_CAUSE, IRQ_BIT | 3)
	CHECK_EQ(57, a7, 3)
	li a0, CLINT_MSIP
	sw zero, 0(a0)
	/* 58: an exception goes to BASE */
	li a7, 0
	TEST_TRAP(58, CAUSE_ECALL_M, ecall)
	CHECK_EQ(59, a7, 0xe)
	/* 64: SEI (mip.SEIP set by M, not delegated) through entry 9 */
	li a0, MIP_SEIP
	csrw mie, a0
	li TESTNUM, 64
	li a7, 0
	csrs mip, a0
	la TRAP_RECOVER, 1f
	csrsi mstatus, MSTATUS_MIE
	WAIT_FOR_TRAP
1:	CHECK_EQ(65, TRAP_CAUSE, IRQ_BIT | 9)
	CHECK_EQ(66, a7, 9)
	li a0, MIP_SEIP
	csrc mip, a0
	li a0, MIP_MSIP | MIP_MTIP
	csrw mie, a0
	/* 60: S-mode: delegated SSI through stvec entry 1 */
	la a0, vector_table
	ori a0, a0, 1
	csrw stvec, a0
	csrr a1, stvec
	bne a0, a1, 2f
	li a0, MIP_SSIP
	csrw mideleg, a0
	csrw mie, a0
	li a7, 0
	csrs mip, a0
	li TESTNUM, 60
	la TRAP_RECOVER, 3f
	GOTO_S(1f)
1:	csrsi sstatus, MSTATUS_SIE
	WAIT_FOR_TRAP
3:	CHECK_EQ(61, TRAP_CAUSE, IRQ_BIT | 1)
	CHECK_EQ(62, TRAP_LEVEL, 1)
	CHECK_EQ(63, a7, 1)
	csrci sip, MIP_SSIP
	RETURN_TO_M
	csrw mideleg, zero
2:	la a0, harness_strap
	csrw stvec, a0
skip_vectored:
	la a0, harness_mtrap
	csrw mtvec, a0
	csrw mie, zero

	/* ---- one destination (M, nothing delegated): MEI, MSI, MTI, SEI,
	 * SSI, STI in that order (3.1.9); the test lowers each source once
	 * its interrupt was taken ---- */
	/* 67-72: SEI, then SSI, then STI (all three set in mip by M) */
	csrci mstatus, MSTATUS_MIE       /* RETURN_TO_M above may have set it */
	csrw mideleg, zero
	li a0, MIP_SEIP | MIP_SSIP | MIP_STIP
	csrw mie, a0
	csrs mip, a0
	TAKE_NEXT(67, 9)
	li a0, MIP_SEIP
	csrc mip, a0
	TAKE_NEXT(69, 1)
	csrci mip, MIP_SSIP
	TAKE_NEXT(71, 5)
	li a0, MIP_STIP
	csrc mip, a0
	/* 73-77: MTI before SEI */
	li a0, MIP_MTIP | MIP_SEIP
	csrw mie, a0
	TIMER_IN(0)
	li a0, MIP_SEIP
	csrs mip, a0
	WAIT_PENDING(73, MIP_MTIP)
	TAKE_NEXT(74, 7)
	TIMER_OFF
	TAKE_NEXT(76, 9)
	li a0, MIP_SEIP
	csrc mip, a0
	/* 78-82: MEI before MSI.  MEI: the UART's THR-empty interrupt (PLIC
	 * source 10, docs/devices.md) enabled for hart 0's M context */
	li a0, PLIC_PRIORITY(10)
	li a1, 1
	sw a1, 0(a0)
	li a0, PLIC_THRESHOLD(0)
	sw zero, 0(a0)
	li a0, PLIC_ENABLE(0)
	li a1, 1 << 10
	sw a1, 0(a0)
	li a0, UART_IER
	li a1, 2                         /* ETBEI: THR empty latched */
	sb a1, 0(a0)
	li a0, CLINT_MSIP
	li a1, 1
	sw a1, 0(a0)
	li a0, MIP_MEIP | MIP_MSIP
	csrw mie, a0
	WAIT_PENDING(78, MIP_MEIP)
	TAKE_NEXT(79, 11)
	li a0, PLIC_ENABLE(0)            /* MEIP drops */
	sw zero, 0(a0)
	li a0, UART_IER
	sb zero, 0(a0)
	TAKE_NEXT(81, 3)
	li a0, CLINT_MSIP
	sw zero, 0(a0)
	csrw mie, zero

	TEST_PASS

	/* Vector table: entry i records i in a7 (0xe for exceptions at BASE)
	 * and continues in the harness handler of that mode. */
	.balign 256
vector_table:
	j vector_exception
	j vector_1
	j vector_bad
	j vector_3
	j vector_bad
	j vector_bad
	j vector_bad
	j vector_7
	j vector_bad
	j vector_9
	j vector_bad
	j vector_bad
vector_exception:
	li a7, 0xe
	j harness_mtrap
vector_1:
	li a7, 1
	j harness_strap
vector_3:
	li a7, 3
	j harness_mtrap
vector_7:
	li a7, 7
	j harness_mtrap
vector_9:
	li a7, 9
	j harness_mtrap
vector_bad:
	li a7, 0xbad
	j harness_fail
TEST_END
