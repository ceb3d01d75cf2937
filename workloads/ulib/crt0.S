/*
 * crt0.S - the entry point of every vtlab user program.
 *
 * The kernel's execve builds the System V stack (RISC-V psABI, "Process
 * Initialization"; Linux's create_elf_tables does the same):
 *     sp -> argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs
 * with sp 16-byte aligned.  _start loads gp (the linker relaxes accesses
 * near __global_pointer$ against it, so it must be set before any C code,
 * with relaxation off for the load itself) and calls
 * __vt_start(argc, argv, envp), which never returns.
 */
	.section .text.init.enter, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	fp, zero		/* end of the frame chain for debuggers */
	ld	a0, 0(sp)		/* argc */
	addi	a1, sp, 8		/* argv */
	addi	a2, a0, 1		/* envp = argv + argc + 1 */
	slli	a2, a2, 3
	add	a2, a1, a2
	andi	sp, sp, -16
	call	__vt_start
1:	j	1b
	.size _start, . - _start
