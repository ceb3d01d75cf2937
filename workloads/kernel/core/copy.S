/*
 * copy.S - the only kernel code allowed to fault on user (or probed)
 * addresses.  A fault whose sepc lies in [copy_user_begin, copy_user_end)
 * and that mm_fault() cannot resolve resumes at copy_user_fault, which
 * returns -1 (trap.c).  Word copies when everything is 8-byte aligned.
 *
 * int copy_user_bytes(void *dst, const void *src, size_t n)  -> 0 / -1
 * int probe_load(uint64_t va, uint64_t *out)                 -> 0 / -1
 */
	.text
	.globl copy_user_begin, copy_user_end, copy_user_fault
	.globl copy_user_bytes, probe_load
copy_user_begin:
copy_user_bytes:
	beqz	a2, 2f
	or	t1, a0, a1
	or	t1, t1, a2
	andi	t1, t1, 7
	bnez	t1, 1f
3:	ld	t0, 0(a1)		/* all 8-byte aligned: word copy */
	sd	t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	bnez	a2, 3b
	j	2f
1:	lbu	t0, 0(a1)
	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	li	a0, 0
	ret
probe_load:
	ld	t0, 0(a0)
	sd	t0, 0(a1)
	li	a0, 0
	ret
copy_user_end:
copy_user_fault:
	li	a0, -1
	ret
