/*
 * smp_lrsc.S - LR/SC reservations across two harts (unprivileged spec
 * 20191213, 8.2 "Load-Reserved/Store-Conditional Instructions": "An SC may
 * succeed only if no store from another hart to the reservation set can be
 * observed to have occurred between the LR and the SC").  Runs with two
 * harts (smp_ convention, see smp_basic.S); harts above 1 park.
 *
 * Part 1, one round per case, driven by a step handshake (h0_step written
 * by hart 0, h1_step by hart 1, in their own cache lines, in another page
 * than the reserved doubleword): hart 0 resets the doubleword and arms the
 * round; hart 1 takes a reservation with LR, tells hart 0, waits until
 * hart 0 has done its store and then spins SPIN more iterations (vtlab switches harts
 * every 10000 instructions, so the LR and the SC are separated by at least
 * one slice of hart 0), then tries SC and publishes the result.
 *   1-2   control: hart 0 stores to another page; the SC succeeds and
 *         writes (not required by the spec, which lets an SC fail
 *         spuriously, but vtlab and QEMU never fail it; it shows that the
 *         failures below come from hart 0's store);
 *   3-4   hart 0 stores a different value to the reserved doubleword: SC.D
 *         fails and memory keeps hart 0's value;
 *   5-6   the same with LR.W/SC.W and a byte store by hart 0 into the word;
 *   7-8   hart 0 stores the value already there (no change of value): SC.D
 *         still fails;
 *   9-10  hart 0 does an AMOADD of 0 (a store of the same value): SC.D
 *         fails.
 * Cases 7-10 need an SC that tracks stores rather than values; QEMU 7.2
 * implements SC as a compare-and-swap on the value, so it passes them
 * wrongly succeeding: build with -DVALUE_SC to leave them out on QEMU.
 *
 * Part 2: a spin lock built from LR.W/SC.W (acquire) and AMOSWAP.W.RL
 * (release).
 *   12    while hart 0 holds the lock, none of TRIES acquire attempts by
 *         hart 1 succeeds (checked by hart 1);
 *   11    both harts then increment a shared counter N times under the lock
 *         with a plain load, a delay and a plain store: it ends at 2 * N.
 *         On vtlab, whose slices (10000 instructions) end inside critical
 *         sections, the harts interleave there; an engine that runs one
 *         hart's whole loop at once (QEMU's round-robin TCG) passes trivially.
 */
#include "harness.h"

#define SPIN       50000          /* iterations between hart 0's store and the SC */
#define WAIT_LIMIT 20000000       /* iterations a hart waits for the other */
#define N          10000          /* lock-protected increments per hart */
#define CS_DELAY   20             /* iterations inside the critical section */
#define TRIES      1000           /* hart 1's attempts while hart 0 holds the lock */
#define OLD        0x1111222233334444
#define OTHER      0x5555666677778888

/* Waits until the doubleword at label is >= value (clobbers t0-t2). */
#define WAIT_GE(label, value) \
	la t0, label; li t1, value; li t2, WAIT_LIMIT; \
	1: ld t3, 0(t0); bgeu t3, t1, 2f; addi t2, t2, -1; bnez t2, 1b; j harness_fail; \
	2: fence r, rw

/* Stores value to the doubleword at label, after earlier accesses. */
#define SIGNAL(label, value) \
	fence rw, w; la t0, label; li t1, value; sd t1, 0(t0)

#define SPIN_LOOP \
	li t0, SPIN; 1: addi t0, t0, -1; bnez t0, 1b

/* Round r of part 1 uses steps 2r-1 and 2r of both handshake words.
 * Hart 0 resets resv, arms the round (h0_step = 2r-1), waits for hart 1's
 * reservation (h1_step = 2r-1), runs its store (the arguments), says so
 * (h0_step = 2r) and waits for the SC (h1_step = 2r).  Hart 1 takes its
 * reservation only once the round is armed, so hart 0's reset never
 * breaks it. */
#define H0_ROUND(r, ...) \
	la t0, resv; li t1, OLD; sd t1, 0(t0); \
	SIGNAL(h0_step, 2 * (r) - 1); \
	WAIT_GE(h1_step, 2 * (r) - 1); \
	__VA_ARGS__; \
	SIGNAL(h0_step, 2 * (r)); \
	WAIT_GE(h1_step, 2 * (r))

/* Hart 1, round r: lr (the first argument: lr.d or lr.w), wait for hart
 * 0's store, spin, sc (second argument) of OLD+1; the SC's result goes to
 * sc_result[r]. */
#define H1_ROUND(r, lr, sc) \
	WAIT_GE(h0_step, 2 * (r) - 1); \
	la a0, resv; lr a1, (a0); \
	SIGNAL(h1_step, 2 * (r) - 1); \
	WAIT_GE(h0_step, 2 * (r)); SPIN_LOOP; \
	la a0, resv; li a2, OLD + 1; sc a3, a2, (a0); \
	la t0, sc_result; sd a3, (r) * 8(t0); \
	SIGNAL(h1_step, 2 * (r))

TEST_BEGIN_SMP
	csrr s0, mhartid
	li a0, 2
	bgeu s0, a0, harness_park
	bnez s0, hart1

	/* ================= hart 0 ================= */
	/* round 1: a store to another page */
	H0_ROUND(1, la t0, elsewhere; li t1, OTHER; sd t1, 0(t0))
	TEST_CASE(1, a0, 0, la a1, sc_result; ld a0, 1 * 8(a1))
	TEST_CASE(2, a0, OLD + 1, la a1, resv; ld a0, 0(a1))
	/* round 2: a different value in the reserved doubleword */
	H0_ROUND(2, la t0, resv; li t1, OTHER; sd t1, 0(t0))
	TEST_CASE(3, a0, 1, la a1, sc_result; ld a0, 2 * 8(a1); snez a0, a0)
	TEST_CASE(4, a0, OTHER, la a1, resv; ld a0, 0(a1))
	/* round 3 (hart 1: lr.w/sc.w on the low word): a byte store into it */
	H0_ROUND(3, la t0, resv; li t1, 0x99; sb t1, 2(t0))
	TEST_CASE(5, a0, 1, la a1, sc_result; ld a0, 3 * 8(a1); snez a0, a0)
	TEST_CASE(6, a0, 0x1111222233994444, la a1, resv; ld a0, 0(a1))
#ifndef VALUE_SC
	/* round 4: the same value stored again */
	H0_ROUND(4, la t0, resv; ld t1, 0(t0); sd t1, 0(t0))
	TEST_CASE(7, a0, 1, la a1, sc_result; ld a0, 4 * 8(a1); snez a0, a0)
	TEST_CASE(8, a0, OLD, la a1, resv; ld a0, 0(a1))
	/* round 5: an AMO that stores the same value */
	H0_ROUND(5, la t0, resv; amoadd.d zero, zero, (t0))
	TEST_CASE(9, a0, 1, la a1, sc_result; ld a0, 5 * 8(a1); snez a0, a0)
	TEST_CASE(10, a0, OLD, la a1, resv; ld a0, 0(a1))
#endif
	/* ---- part 2: hold the lock while hart 1 tries to take it ---- */
	la s3, lock
	li a5, 1
1:	lr.w.aq t0, (s3)
	bnez t0, 1b
	sc.w t1, a5, (s3)
	bnez t1, 1b
	SIGNAL(h0_step, 100)              /* lock held */
	li TESTNUM, 12
	WAIT_GE(h1_step, 100)             /* hart 1 failed TRIES times */
	amoswap.w.rl zero, zero, (s3)     /* release */
	SIGNAL(h0_step, 101)
	call lock_loop
	li TESTNUM, 11
	WAIT_GE(h1_done, 1)
	TEST_CASE(11, a0, 2 * N, la a1, counter; ld a0, 0(a1))
	TEST_PASS

	/* ================= hart 1 ================= */
hart1:
	H1_ROUND(1, lr.d, sc.d)
	H1_ROUND(2, lr.d, sc.d)
	H1_ROUND(3, lr.w, sc.w)
#ifndef VALUE_SC
	H1_ROUND(4, lr.d, sc.d)
	H1_ROUND(5, lr.d, sc.d)
#endif
	/* part 2: while hart 0 holds the lock, TRIES acquire attempts fail */
	WAIT_GE(h0_step, 100)
	li TESTNUM, 12
	la s3, lock
	li a5, 1
	li s2, TRIES
1:	lr.w.aq t0, (s3)
	beqz t0, 2f                       /* free: try to take it */
	addi s2, s2, -1
	bnez s2, 1b
	j 3f
2:	sc.w t1, a5, (s3)
	beqz t1, harness_fail             /* took a lock hart 0 holds */
	addi s2, s2, -1
	bnez s2, 1b
3:	SIGNAL(h1_step, 100)
	WAIT_GE(h0_step, 101)
	call lock_loop
	SIGNAL(h1_done, 1)
	j harness_park

	/* ---- both harts: N increments of counter under the lock ---- */
lock_loop:
	li s2, N
	la s3, lock
	la s4, counter
	li a5, 1
1:	lr.w.aq t0, (s3)                  /* acquire */
	bnez t0, 1b
	sc.w t1, a5, (s3)
	bnez t1, 1b
	ld t2, 0(s4)                      /* critical section */
	li t3, CS_DELAY
2:	addi t3, t3, -1
	bnez t3, 2b
	addi t2, t2, 1
	sd t2, 0(s4)
	amoswap.w.rl zero, zero, (s3)     /* release */
	addi s2, s2, -1
	bnez s2, 1b
	ret
TEST_END

	TEST_DATA
	.balign 4096
resv:		.dword 0
	.balign 4096
elsewhere:	.dword 0
	.balign 4096
h0_step:	.dword 0
	.balign 64
h1_step:	.dword 0
	.balign 64
h1_done:	.dword 0
	.balign 64
sc_result:	.dword -1, -1, -1, -1, -1, -1
	.balign 4096
lock:		.word 0
	.balign 64
counter:	.dword 0
