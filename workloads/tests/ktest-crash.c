/*
 * ktest-crash.c - programs that crash are killed and the kernel carries
 * on: a load from address 0, a store into kernel space, a store into the
 * program's own (read-only) text, a jump to an unmapped address, an
 * illegal instruction, a stack overflow by unbounded recursion, a
 * misaligned atomic.  Each crash happens in a child; the parent checks the
 * wait status (SIGSEGV, SIGILL or SIGBUS as <signal.h> numbers them) and
 * that fork still works afterwards.
 */
#include "ktest.h"

static int load_null(void)
{
	return *(volatile int *)0;
}

static int store_kernel(void)
{
	*(volatile uint64_t *)0xffffffc080200000ull = 1; /* the kernel image under KERNBASE */
	return 0;
}

static int store_text(void)
{
	*(volatile uint32_t *)(uintptr_t)&store_text = 0;
	return 0;
}

static int jump_unmapped(void)
{
	void (*f)(void) = (void (*)(void))(uintptr_t)0x3e00000000ull;
	f();
	return 0;
}

static int illegal_instruction(void)
{
	__asm__ volatile(".word 0x00000000"); /* all-zero: defined illegal (ISA manual, 1.5) */
	return 0;
}

static int privileged_instruction(void)
{
	__asm__ volatile("csrw sstatus, zero"); /* S-mode CSR from U-mode: illegal */
	return 0;
}

static volatile int depth_limit = 1 << 30; /* never reached: the stack ends first */

static int recurse(volatile char *prev, int depth)
{
	volatile char frame[1024];
	frame[0] = (char)depth;
	frame[1023] = prev ? prev[0] : 0;
	if (depth >= depth_limit)
		return 0;
	return recurse(frame, depth + 1) + frame[1];
}

static int stack_overflow(void)
{
	return recurse(NULL, 0);
}

/* An AMO on an address that is not a multiple of its size raises a
 * store/AMO address-misaligned exception (unprivileged spec, "A"
 * extension): the kernel's SIGBUS. */
static int misaligned_amo(void)
{
	static uint64_t words[2];
	uintptr_t odd = (uintptr_t)words + 2;
	__asm__ volatile("amoadd.w zero, %1, (%0)" ::"r"(odd), "r"(1) : "memory");
	return 0;
}

static int exit_normally(void)
{
	return 5;
}

int main(void)
{
	KT_EQ(kt_run_child(load_null), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(store_kernel), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(store_text), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(jump_unmapped), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(illegal_instruction), kt_killed_by(SIGILL));
	KT_EQ(kt_run_child(privileged_instruction), kt_killed_by(SIGILL));
	KT_EQ(kt_run_child(stack_overflow), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(misaligned_amo), kt_killed_by(SIGBUS));
	/* The kernel is still fine: processes still run and exit normally. */
	for (int i = 0; i < 10; i++)
		KT_EQ(kt_run_child(exit_normally), VTLAB_W_EXITCODE(5));
	return kt_finish("ktest-crash");
}
