/*
 * review_irq_priority.S - simultaneous interrupts destined for different
 * privilege modes are taken in decreasing order of destination mode
 * (privileged spec 20211203, 3.1.9: "Multiple simultaneous interrupts
 * destined for different privilege modes are handled in decreasing order
 * of destined privilege mode.  Multiple simultaneous interrupts destined
 * for the same privilege mode are handled in the following decreasing
 * priority order: MEI, MSI, MTI, SEI, SSI, STI").
 *
 * Demonstrates the review finding on vmm/trap.c hart_take_interrupt(): it
 * walks one fixed order (MEI MSI MTI SEI SSI STI) over all pending and
 * enabled interrupts, so a delegated SEI (to S) is taken before a
 * non-delegated SSI (to M), and a delegated SSI before a non-delegated STI.
 * In U-mode both destinations are enabled whatever mstatus.MIE/SIE say.
 *   1-3  mideleg = SEIP, SSIP and SEIP pending and enabled, run U code: the
 *        trap goes to M (level 3) with mcause = interrupt 1 (SSI), and the
 *        S handler never runs (M-mode then keeps the delegated SEI masked);
 *   4-6  mideleg = SSIP, SSIP and STIP pending and enabled: M, interrupt 5,
 *        S handler never runs.
 */
#include "harness.h"

/* Case num: mideleg = deleg, mie = mip = pend, then U-mode; the trap must
 * reach the M handler with cause IRQ_BIT | code (checked as num+1), and
 * the S handler (s_marker, which sets a7) must not have run at all
 * (checked as num+2): an engine that enters S first and lets the M
 * interrupt preempt the S handler at once is wrong too. */
#define IRQ_RACE(num, deleg, pend, code) \
	la a0, s_marker; csrw stvec, a0; li a7, 0; \
	li a0, deleg; csrw mideleg, a0; \
	li a0, pend; csrw mie, a0; csrw mip, a0; \
	li TESTNUM, num; \
	la TRAP_RECOVER, 8f; \
	GOTO_U(7f); \
7:	j 7b; \
	.balign 4; \
8:	CHECK_EQ(num, TRAP_LEVEL, 3); \
	CHECK_EQ(num + 1, TRAP_CAUSE, IRQ_BIT | code); \
	CHECK_EQ(num + 2, a7, 0); \
	csrw mie, zero; csrw mip, zero; csrw mideleg, zero; \
	la a0, harness_strap; csrw stvec, a0

TEST_BEGIN
	IRQ_RACE(1, MIP_SEIP, MIP_SSIP | MIP_SEIP, 1)
	IRQ_RACE(4, MIP_SSIP, MIP_SSIP | MIP_STIP, 5)
	TEST_PASS

	/* S handler: marks that it ran; if nothing preempts it, fails the
	 * current case. */
	.balign 4
s_marker:
	li a7, 1
	csrr a6, scause
	j harness_fail
TEST_END
