/*
 * harness.h - assembler harness for vtlab's bare-metal guest unit tests.
 *
 * Contract: a test is one .S file that includes this header and is linked
 * with link.ld.  It is written as
 *
 *	#include "harness.h"
 *	TEST_BEGIN
 *	    ... numbered cases (TEST_CASE, TEST_TRAP, CHECK_EQ ...) ...
 *	TEST_PASS
 *	TEST_END
 *
 * The hart starts in M-mode at _start with no assumption on its registers
 * (a0 is not set, harts all start together).  TEST_BEGIN parks every hart
 * but hart 0 (TEST_BEGIN_SMP leaves them running), opens PMP to the whole
 * address space when PMP exists (priv spec 3.7.1: with PMP implemented and
 * no entry matching, S/U accesses fail), resets satp/medeleg/mideleg/mie and
 * installs the harness trap handlers (mtvec, stvec).
 *
 * Result, by the HTIF tohost convention: the hart stores 1 to `tohost` on
 * success, (N << 1) | 1 on failure of case N, then loops.  Case numbers are
 * 1..255 (QEMU's exit status is the case number, which must not wrap to 0;
 * vtlab exits 1 and names the case: "FAIL: test N").  A trap nobody expected fails the current case.  Built with
 * -DHARNESS_REPORT_SYSCON the harness also reports through the virt test
 * finisher (for cross-checking on QEMU -machine virt, which has no HTIF but
 * has the time CSR that QEMU's spike machine lacks).
 *
 * Reserved registers (test code must not use them for anything else):
 *	s11  current case number
 *	s10  trap recovery address; 0 means "no trap expected"
 *	s9   cause   } captured by the harness handler of the mode that took
 *	s8   epc     } the trap: m* CSRs by the M handler, s* CSRs by the S
 *	s7   tval    } handler; status is mstatus/sstatus as read on entry
 *	s6   status  }
 *	s5   level: 3 if the M handler took the trap, 1 if the S handler did
 *	t6   comparison scratch of the TEST_* / CHECK_* macros
 *
 * Trap handlers.  harness_mtrap (M) and harness_strap (S, for delegated
 * traps): if s10 is 0 the trap was unexpected and the test fails; otherwise
 * the handler captures cause/epc/tval/status into s9/s8/s7/s6, clears s10
 * and resumes at the recovery address, in M-mode for the M handler (MPP is
 * set to M) and in S-mode for the S handler (SPP set to S).  After an
 * interrupt the handler also clears MPIE/SPIE so that the resumed code runs
 * with that mode's interrupts globally disabled: the test clears the source.
 * These handlers are the harness's own, written for vtlab.
 */
#ifndef VTLAB_GUEST_HARNESS_H
#define VTLAB_GUEST_HARNESS_H

/* ---- CSR field constants (privileged spec 20211203, chapters 3 and 4) ---- */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define IRQ_BIT       0x8000000000000000
#define MIP_SSIP      (1 << 1)
#define MIP_MSIP      (1 << 3)
#define MIP_STIP      (1 << 5)
#define MIP_MTIP      (1 << 7)
#define MIP_SEIP      (1 << 9)
#define MIP_MEIP      (1 << 11)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

/* CLINT (vmm/bus.h CLINT_BASE; same layout as QEMU/Spike) */
#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200BFF8

/* Sv39 (privileged spec 4.4, 4.3.1 PTE format) */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_SV39 (8 << 60)

/* ---- Harness register names ---- */
#define TESTNUM   s11
#define TRAP_RECOVER s10
#define TRAP_CAUSE s9
#define TRAP_EPC   s8
#define TRAP_TVAL  s7
#define TRAP_STATUS s6
#define TRAP_LEVEL s5

/* ---- Start and end of a test ---- */

/* Common start; \park is 1 to park harts other than 0. */
.macro harness_begin park
	.section .text.init, "ax", @progbits
	.globl _start
_start:
	li TESTNUM, 0
	li TRAP_RECOVER, 0
	csrw mie, zero
	csrci mstatus, MSTATUS_MIE
	/* PMP may be absent: a trap here simply skips to 1f. */
	la t0, 1f
	csrw mtvec, t0
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f            /* A=NAPOT, R, W, X: all of memory */
	csrw pmpcfg0, t0
	.balign 4
1:	la t0, harness_mtrap
	csrw mtvec, t0
	la t0, harness_strap
	csrw stvec, t0
	csrw satp, zero
	csrw medeleg, zero
	csrw mideleg, zero
	csrw mip, zero
	.if \park
	csrr t0, mhartid
	bnez t0, harness_park
	.endif
.endm

#define TEST_BEGIN     harness_begin 1
#define TEST_BEGIN_SMP harness_begin 0

/* Jumps to the pass / fail reports (any distance). */
#define TEST_PASS j harness_pass
#define TEST_FAIL j harness_fail

/* Handlers, reports and the park loop; place once, after the cases. */
.macro harness_end
	.balign 4
harness_pass:
	li t0, 1
	j harness_report
harness_fail:
	/* Case 0 would read as a pass: report 255 instead. */
	mv t0, TESTNUM
	bnez t0, 1f
	li t0, 255
1:	slli t0, t0, 1
	ori t0, t0, 1
harness_report:
	fence
#ifdef HARNESS_REPORT_SYSCON
	/* Validation on QEMU -machine virt (no HTIF): its test finisher at
	 * 0x100000 (vmm/bus.h SYSCON_BASE) takes 0x5555 for pass and
	 * (code << 16) | 0x3333 for fail. */
	li t1, 0x5555
	li t2, 1
	beq t0, t2, 6f
	srli t1, t0, 1
	slli t1, t1, 16
	li t2, 0x3333
	or t1, t1, t2
6:	li t2, 0x100000
	sw t1, 0(t2)
#endif
	la t1, tohost
	sd t0, 0(t1)
2:	j 2b

	.balign 4
harness_park:
	csrw mie, zero
3:	wfi
	j 3b

	.balign 4
harness_mtrap:
	beqz TRAP_RECOVER, harness_fail
	csrr TRAP_CAUSE, mcause
	csrr TRAP_EPC, mepc
	csrr TRAP_TVAL, mtval
	csrr TRAP_STATUS, mstatus
	li TRAP_LEVEL, 3
	csrw mepc, TRAP_RECOVER
	li TRAP_RECOVER, 0
	li t6, MSTATUS_MPP       /* resume in M-mode */
	csrs mstatus, t6
	bgez TRAP_CAUSE, 4f
	li t6, MSTATUS_MPIE      /* interrupt: resume with MIE clear */
	csrc mstatus, t6
4:	mret

	.balign 4
harness_strap:
	beqz TRAP_RECOVER, harness_fail
	csrr TRAP_CAUSE, scause
	csrr TRAP_EPC, sepc
	csrr TRAP_TVAL, stval
	csrr TRAP_STATUS, sstatus
	li TRAP_LEVEL, 1
	csrw sepc, TRAP_RECOVER
	li TRAP_RECOVER, 0
	li t6, MSTATUS_SPP       /* resume in S-mode */
	csrs sstatus, t6
	bgez TRAP_CAUSE, 5f
	li t6, MSTATUS_SPIE      /* interrupt: resume with SIE clear */
	csrc sstatus, t6
5:	sret
.endm

/* The HTIF mailbox (link.ld puts .tohost alone on a 4 KiB page). */
.macro harness_tohost
	.section .tohost, "aw", @progbits
	.balign 8
	.globl tohost
	.type tohost, @object
	.size tohost, 8
tohost:	.dword 0
	.globl fromhost
	.type fromhost, @object
	.size fromhost, 8
fromhost: .dword 0
	.text
.endm

#define TEST_END harness_end; harness_tohost

/* ---- Cases ---- */

/* Case num: run code (';'-separated instructions), then reg must equal the
 * 64-bit constant expected. */
#define TEST_CASE(num, reg, expected, ...) \
	li TESTNUM, num; \
	__VA_ARGS__; \
	CHECK_EQ_NONUM(reg, expected)

/* reg must equal expected, within the current case (no new number). */
#define CHECK_EQ_NONUM(reg, expected) \
	li t6, expected; \
	beq reg, t6, 9001f; \
	j harness_fail; \
9001:

/* Case num checks that reg equals expected. */
#define CHECK_EQ(num, reg, expected) \
	li TESTNUM, num; \
	CHECK_EQ_NONUM(reg, expected)

/* Case num checks that two registers are equal / differ. */
#define CHECK_REGS_EQ(num, ra, rb) \
	li TESTNUM, num; \
	beq ra, rb, 9002f; \
	j harness_fail; \
9002:
#define CHECK_REGS_NE(num, ra, rb) \
	li TESTNUM, num; \
	bne ra, rb, 9003f; \
	j harness_fail; \
9003:

/* Case num: code must trap with cause (the M handler or, when delegated,
 * the S handler resumes right after it).  Then TRAP_EPC/TVAL/STATUS can be
 * checked with CHECK_EQ. */
#define TEST_TRAP(num, cause, ...) \
	li TESTNUM, num; \
	la TRAP_RECOVER, 9004f; \
	__VA_ARGS__; \
	j harness_fail; \
	.balign 4; \
9004:	CHECK_EQ_NONUM(TRAP_CAUSE, cause)

/* Case num: code must not trap and must fall through. */
#define TEST_NO_TRAP(num, ...) \
	li TESTNUM, num; \
	__VA_ARGS__

/* ---- Privilege changes (M-mode only) ---- */

/* mret to label in S-mode / U-mode, with the current MPIE. */
#define GOTO_S(label) \
	li t6, MSTATUS_MPP; csrc mstatus, t6; \
	li t6, MSTATUS_MPP_S; csrs mstatus, t6; \
	la t6, label; csrw mepc, t6; \
	mret
#define GOTO_U(label) \
	li t6, MSTATUS_MPP; csrc mstatus, t6; \
	la t6, label; csrw mepc, t6; \
	mret

/* From any mode: ecall to the M handler, which resumes here in M-mode.
 * (Requires ecalls not delegated; clobbers the captured trap registers.) */
#define RETURN_TO_M \
	la TRAP_RECOVER, 9005f; \
	ecall; \
	j harness_fail; \
	.balign 4; \
9005:

/* ---- The data section for a test's own variables ---- */
#define TEST_DATA .section .data; .balign 8

#endif
