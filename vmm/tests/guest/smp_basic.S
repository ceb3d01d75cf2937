/*
 * smp_basic.S - two harts sharing memory (unprivileged spec 20191213,
 * chapter 8 and the RVWMO model, chapter 14; CLINT msip as the IPI).
 *
 * CONVENTION: tests whose file name starts with smp_ need two or more
 * harts: vtlab runs them with `--vcpus 2` (QEMU: `-machine spike -smp 2`).
 * With one hart this test fails with case 1 (hart 1 never reports).
 *
 * Harts 0 and 1 each add 1 to a shared counter N times with AMOADD.D and
 * N times to another with an LR.D/SC.D retry loop; harts above 1 park.
 * Hart 1 then publishes a message and its done flag (mhartid + 1) with
 * release ordering, sends hart 0 a software interrupt through the CLINT
 * and parks.  Hart 0 waits (WFI, woken by that IPI or by a timeout timer),
 * then checks: hart 1 finished (1), the flag names hart 1 (2), both
 * counters equal 2N (3, 4), the message is visible after the acquire (5),
 * hart 1's IPI set hart 0's mip.MSIP (6).
 */
#include "harness.h"

#define N 3000
#define TIMEOUT_TICKS 2000000     /* mtime ticks hart 0 waits at most */
#define WAIT_ROUNDS   200000      /* and at most this many wait rounds */
#define MESSAGE 0x6d657373616765

TEST_BEGIN_SMP
	csrr s0, mhartid
	li a0, 2
	bgeu s0, a0, harness_park

	/* ---- both harts: N AMO increments, N LR/SC increments ---- */
	la s1, counter_amo
	la s2, counter_lrsc
	li a2, N
	li a3, 1
1:	amoadd.d zero, a3, (s1)
	addi a2, a2, -1
	bnez a2, 1b
	li a2, N
2:	lr.d a4, (s2)
	addi a4, a4, 1
	sc.d a5, a4, (s2)
	bnez a5, 2b
	addi a2, a2, -1
	bnez a2, 2b
	bnez s0, hart1_finish

	/* ---- hart 0: wait for hart 1 ---- */
	li TESTNUM, 1
	li a0, CLINT_MTIME
	ld a1, 0(a0)
	li a2, TIMEOUT_TICKS
	add s3, a1, a2                   /* deadline */
	li a0, CLINT_MTIMECMP
	sd s3, 0(a0)                     /* wakes wfi at the deadline */
	li a0, MIP_MSIP | MIP_MTIP
	csrw mie, a0                     /* wfi wakes; mstatus.MIE = 0: no trap */
	la s4, done_flag
	li s5, WAIT_ROUNDS
3:	ld a0, 0(s4)
	fence r, rw                      /* acquire */
	bnez a0, 4f
	li a1, CLINT_MTIME
	ld a1, 0(a1)
	bgeu a1, s3, harness_fail
	addi s5, s5, -1
	beqz s5, harness_fail
	wfi
	j 3b
4:	csrw mie, zero
	li a1, CLINT_MTIMECMP
	li a2, -1
	sd a2, 0(a1)
	CHECK_EQ(2, a0, 2)
	TEST_CASE(3, a0, 2 * N, ld a0, 0(s1))
	TEST_CASE(4, a0, 2 * N, ld a0, 0(s2))
	TEST_CASE(5, a0, MESSAGE, la a1, message; ld a0, 0(a1))
	/* the IPI from hart 1 is pending (msip[0] = 1); clear it */
	li TESTNUM, 6
	li a2, WAIT_ROUNDS
5:	csrr a0, mip
	andi a0, a0, MIP_MSIP
	bnez a0, 6f
	addi a2, a2, -1
	bnez a2, 5b
	j harness_fail
6:	li a1, CLINT_MSIP
	sw zero, 0(a1)
	TEST_PASS

	/* ---- hart 1: publish, signal, park ---- */
hart1_finish:
	la a0, message
	li a1, MESSAGE
	sd a1, 0(a0)
	fence rw, w                      /* release */
	la a0, done_flag
	addi a1, s0, 1
	sd a1, 0(a0)
	fence w, w
	li a0, CLINT_MSIP                /* msip of hart 0 */
	li a1, 1
	sw a1, 0(a0)
	j harness_park
TEST_END

	TEST_DATA
	.balign 64
counter_amo:  .dword 0
	.balign 64
counter_lrsc: .dword 0
	.balign 64
message:      .dword 0
	.balign 64
done_flag:    .dword 0
