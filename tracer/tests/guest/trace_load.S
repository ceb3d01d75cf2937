/*
 * trace_load.S - a guest that generates trace events at a steady rate, for
 * the collector's tests (tracer/tests/, scripts/check-robustness.sh).
 *
 * Contract: M-mode, bare, built with vmm/tests/guest/link.ld and harness.h.
 * Each iteration of the loop does one MMIO read (16550 LSR, which always
 * reads "transmitter empty"), one MMIO write (16550 scratch register, which
 * has no side effect: PC16550D data sheet, table II) and one ecall from M
 * (cause 11, privileged spec 3.1.15) taken and returned from by the
 * harness's M handler: so at least two MMIO events and one exception per
 * iteration, on every hart that runs it (TEST_BEGIN_SMP: all harts run).
 * ITERATIONS (a -D define) is the number of iterations after which hart 0
 * reports success through tohost; 0 (the default) loops for ever, which
 * gives the kill tests a run that never ends by itself.
 */
#include "harness.h"

#ifndef ITERATIONS
#define ITERATIONS 0
#endif

#define UART 0x10000000
#define UART_LSR 5
#define UART_SCR 7

TEST_BEGIN_SMP
	li s0, ITERATIONS
	li s1, UART
loop:
	lbu t0, UART_LSR(s1)        /* MMIO read */
	sb s0, UART_SCR(s1)         /* MMIO write */
	li TESTNUM, 1
	la TRAP_RECOVER, 1f
	ecall                       /* exception, cause 11 */
	j harness_fail
	.balign 4
1:	li t6, CAUSE_ECALL_M
	bne TRAP_CAUSE, t6, harness_fail
	beqz s0, loop               /* ITERATIONS = 0: for ever */
	addi s0, s0, -1
	bnez s0, loop
	csrr t0, mhartid
	bnez t0, harness_park
	TEST_PASS
TEST_END
