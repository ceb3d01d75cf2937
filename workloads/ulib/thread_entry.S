/*
 * thread_entry.S - where a thread made by vt_thread_create starts.
 *
 * SYS_thread_create (abi.h) starts entry(arg) on the given stack; it
 * promises nothing about gp, so gp is loaded here (as in crt0.S) before
 * any C code, then vt_thread_main(arg) (threads.c) runs and never returns.
 */
	.text
	.globl __vt_thread_entry
	.type __vt_thread_entry, @function
__vt_thread_entry:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	fp, zero
	andi	sp, sp, -16
	call	vt_thread_main
1:	j	1b
	.size __vt_thread_entry, . - __vt_thread_entry
