/*
 * trapvec.S - S-mode trap entry and exit (privileged spec 4.1; design
 * after xv6-riscv's uservec/kernelvec, merged into one vector).
 *
 * sscratch is 0 while the hart runs in S-mode; while it runs in U-mode it
 * holds the address of the running thread's user trap frame, which sits at
 * the top of the thread's kernel stack.  So on entry:
 *   from U: swap sp and sscratch -> sp = frame, save the user registers
 *           there, load the kernel tp from frame->ktp, sscratch = 0;
 *   from S: push a frame on the current kernel stack.
 * Kernel stacks are in .bss (core/BOOT.md: never fault under Svtlb), so
 * nothing here can trap before sepc/scause/sstatus/stval are saved.
 * Then trap_dispatch(frame) (trap.c) runs with interrupts off.
 * trap_return(frame) restores a frame: to U it records tp in frame->ktp,
 * sets sscratch = frame and restores the user's tp; to S it keeps tp, which
 * is this CPU's struct cpu (a preempted kernel thread may resume on
 * another CPU than the one that saved the frame).
 */
#define TF_SIZE (38 * 8)
#define TF_SEPC (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE (34 * 8)
#define TF_STVAL (35 * 8)
#define TF_KTP (36 * 8)

.macro SAVE_GPRS
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
.endm

	.text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user
	csrrw	sp, sscratch, sp	/* from S: sp back, sscratch = 0 */
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	j	save_csrs
from_user:
	SAVE_GPRS
	csrr	t0, sscratch
	sd	t0, 2*8(sp)
	ld	tp, TF_KTP(sp)
	csrw	sscratch, zero
save_csrs:
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	mv	a0, sp
	call	trap_dispatch
	mv	a0, sp
	/* fall through */

	.globl trap_return
trap_return:
	csrci	sstatus, 2		/* interrupts off until sret */
	mv	sp, a0
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, 0x100		/* SPP */
	bnez	t0, 1f
	sd	tp, TF_KTP(sp)		/* back to U: kernel tp kept for the next trap */
	csrw	sscratch, sp
	ld	tp, 4*8(sp)		/* the user's tp */
1:	ld	x1, 1*8(sp)		/* back to S: tp stays (the thread may have changed CPU) */
	ld	x3, 3*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	ld	sp, 2*8(sp)
	sret
