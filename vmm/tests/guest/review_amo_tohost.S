/*
 * review_amo_tohost.S - an AMO is a store (unprivileged spec 20191213,
 * 8.4: AMOs "atomically load a data value from the address in rs1, place
 * the value into register rd, apply a binary operator to the loaded value
 * and the original value in rs2, then store the result back"), so it
 * reaches watched pages like any store.
 *
 * Demonstrates the review finding on vmm/exec.c sys_atomic(): AMOs and
 * successful SCs write guest RAM with memcpy through phys_ram_ptr(), not
 * phys_write(), so the HTIF mailbox (a PG_WATCH page, machine_watch_page)
 * never sees them.  Here the guest reports its pass with amoswap.d to
 * tohost: the run must end there.  If the engine misses it, the guest goes
 * on and reports a failure of case 1 with an ordinary store.
 */
#include "harness.h"

TEST_BEGIN
	li TESTNUM, 1
	fence
	la t0, tohost
	li t1, 1
	amoswap.d zero, t1, (t0)
	li t2, 100000                     /* the host had time to look */
1:	addi t2, t2, -1
	bnez t2, 1b
	la t0, tohost
	sd zero, 0(t0)
	TEST_FAIL
TEST_END
