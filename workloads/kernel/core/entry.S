/*
 * entry.S - the kernel's first instructions (core/BOOT.md section 1).
 *
 * Every hart enters _start at physical 0x80200000 in S-mode with satp = 0
 * and a0 = hart id (docs/platform.md 3).  Until the boot page table is on,
 * only PC-relative addressing is used (auipc), which works at the physical
 * load address although the image is linked at KERNBASE.  Hart 0 zeroes
 * .bss; the others wait for boot_release (set by kmain) and never touch
 * memory before that except their own boot stack.  Then each hart turns on
 * the boot table (Sv39 gigapages: physical [0, 32 GiB) at identity and at
 * KERNBASE), jumps to the KERNBASE alias and calls boot_hart(hartid) in C.
 */
#define KERNBASE 0xffffffc000000000
#define BOOT_STACK_SIZE 16384
#define PTE_FLAGS 0xef /* V R W X G A D (priv spec 4.4.1) */

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrci	sstatus, 2
	mv	s0, a0
	li	t0, 8			/* MAXCPU: extra harts park */
	bgeu	s0, t0, park
	la	sp, boot_stacks
	li	t0, BOOT_STACK_SIZE
	addi	t1, s0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	bnez	s0, wait_release
	la	t0, _bss
	la	t1, _ebss
1:	bgeu	t0, t1, to_high
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b

wait_release:
	la	t0, boot_release
2:	ld	t1, 0(t0)
	beqz	t1, 2b
	fence	rw, rw

to_high:
	la	t0, boot_pagetable
	srli	t0, t0, 12
	li	t1, 8
	slli	t1, t1, 60		/* satp.MODE = Sv39 */
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	li	t2, KERNBASE
	la	t0, 3f
	add	t0, t0, t2
	jr	t0
3:	add	sp, sp, t2		/* now at KERNBASE: la gives virtual addresses */
	la	t0, trap_vector
	csrw	stvec, t0
	csrw	sscratch, zero
	mv	a0, s0
	call	boot_hart		/* never returns */
park:
	wfi
	j	park

	.section .data.pagetable, "aw"
	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.set	i, 0
	.rept	32
	.quad	(i << 28) | PTE_FLAGS
	.set	i, i + 1
	.endr
	.fill	224, 8, 0
	.set	i, 0
	.rept	32
	.quad	(i << 28) | PTE_FLAGS
	.set	i, i + 1
	.endr
	.fill	224, 8, 0

	.section .bss
	.balign 16
	.globl boot_stacks
boot_stacks:
	.space	BOOT_STACK_SIZE * 8
	.balign 8
	.globl boot_release
boot_release:
	.space	8
