/*
 * trap_exceptions.S - synchronous exceptions and trap return (privileged
 * spec 20211203, 3.1.6-3.1.9, 3.1.14-3.1.17, 3.3.2, 4.1.1-4.1.9):
 * illegal instruction with mtval = the instruction bits, ecall from M/S/U
 * (causes 11/9/8), ebreak (3), misaligned jump/branch targets (0, reported
 * on the jump with mtval = target; rd not written), access faults on
 * unmapped physical addresses (1/5/7), the trap-entry stack of mstatus
 * (MPP, MPIE, MIE), mret/sret restoring the interrupt enable and lowering
 * MPP/SPP, mret clearing MPRV, delegation through medeleg to S-mode with
 * scause/sepc/stval and sstatus.SPP/SPIE, and the illegal-instruction cases
 * of CSR access (privilege too low, write to a read-only CSR), of
 * xRET / TSR / TVM and of reserved instruction encodings; SPIE = 0 after a
 * trap from S with SIE = 0 and SIE = 0 after sret with SPIE = 0, sret run
 * in M (TSR does not apply, MPRV cleared), mret to M keeping MPRV, and TVM
 * refusing satp writes.
 */
#include "harness.h"

#define ILLEGAL_WORD 0xdeadc06b   /* opcode 1101011: reserved (unpriv. table 24.1) */
#define MPP_OF(dst, st)  srli dst, st, 11; andi dst, dst, 3

TEST_BEGIN
	/* ---- illegal instruction from M ---- */
	la a5, 1f
	TEST_TRAP(1, CAUSE_ILLEGAL, 1: .word ILLEGAL_WORD)
	CHECK_EQ(2, TRAP_TVAL, ILLEGAL_WORD)
	CHECK_REGS_EQ(3, TRAP_EPC, a5)
	MPP_OF(a0, TRAP_STATUS)
	CHECK_EQ(4, a0, 3)
	/* the all-zeros word is defined illegal (unpriv. 1.5) */
	TEST_TRAP(5, CAUSE_ILLEGAL, .word 0)

	/* ---- trap entry pushes MIE into MPIE and clears MIE ---- */
	li a0, MSTATUS_MIE
	csrs mstatus, a0                /* mie = 0: nothing can interrupt */
	la a5, 1f
	TEST_TRAP(6, CAUSE_ECALL_M, 1: ecall)
	CHECK_REGS_EQ(7, TRAP_EPC, a5)
	CHECK_EQ(8, TRAP_TVAL, 0)
	andi a0, TRAP_STATUS, MSTATUS_MIE | MSTATUS_MPIE
	CHECK_EQ(9, a0, MSTATUS_MPIE)
	/* the harness's mret restored MIE from MPIE */
	csrr a0, mstatus
	andi a0, a0, MSTATUS_MIE
	CHECK_EQ(10, a0, MSTATUS_MIE)
	csrci mstatus, MSTATUS_MIE
	/* with MIE clear, MPIE records 0 */
	TEST_TRAP(11, CAUSE_ECALL_M, ecall)
	andi a0, TRAP_STATUS, MSTATUS_MIE | MSTATUS_MPIE
	CHECK_EQ(12, a0, 0)

	/* ---- ebreak ---- */
	la a5, 1f
	TEST_TRAP(13, CAUSE_BREAKPOINT, 1: ebreak)
	CHECK_REGS_EQ(14, TRAP_EPC, a5)

	/* ---- ecall from S and U ---- */
	la a5, 1f
	TEST_TRAP(15, CAUSE_ECALL_S, GOTO_S(1f); 1: ecall)
	CHECK_REGS_EQ(16, TRAP_EPC, a5)
	MPP_OF(a0, TRAP_STATUS)
	CHECK_EQ(17, a0, 1)
	la a5, 1f
	TEST_TRAP(18, CAUSE_ECALL_U, GOTO_U(1f); 1: ecall)
	CHECK_REGS_EQ(19, TRAP_EPC, a5)
	MPP_OF(a0, TRAP_STATUS)
	CHECK_EQ(20, a0, 0)
	/* the M handler resumed in M: M-only CSRs are accessible again */
	TEST_CASE(21, a0, 0x1234, li a1, 0x1234; csrw mscratch, a1; csrr a0, mscratch)

	/* ---- misaligned control-flow targets (only without C: IALIGN=32) ---- */
	csrr a0, misa
	andi a0, a0, 1 << ('C' - 'A')
	bnez a0, skip_misaligned_fetch
	/* jalr to target + 2: reported on the jalr, mtval = target, rd kept */
	la a1, 2f
	addi a1, a1, 2
	la a5, 1f
	li a4, 0x77
	TEST_TRAP(22, CAUSE_MISALIGNED_FETCH, 1: jalr a4, 0(a1); nop; 2: nop; nop)
	CHECK_REGS_EQ(23, TRAP_TVAL, a1)
	CHECK_REGS_EQ(24, TRAP_EPC, a5)
	CHECK_EQ(25, a4, 0x77)
	/* jal a5, +6 (hand-encoded: the assembler refuses odd targets;
	 * QEMU 7.2 gets mtval wrong here, case 28) */
	la a4, 1f
	li a5, 0x55
	TEST_TRAP(26, CAUSE_MISALIGNED_FETCH, 1: .word 0x006007ef; nop; nop)
	CHECK_REGS_EQ(27, TRAP_EPC, a4)
	addi a4, a4, 6
	CHECK_REGS_EQ(28, TRAP_TVAL, a4)
	CHECK_EQ(29, a5, 0x55)
	/* beq x0, x0, +6 taken: exception; bne x0, x0, +6 not taken: none */
	la a4, 1f
	TEST_TRAP(30, CAUSE_MISALIGNED_FETCH, 1: .word 0x00000363; nop; nop)
	CHECK_REGS_EQ(31, TRAP_EPC, a4)
	TEST_NO_TRAP(32, .word 0x00001363; nop; nop)
skip_misaligned_fetch:

	/* ---- access faults: nothing is mapped at physical 0x0-0xfff ---- */
	TEST_TRAP(33, CAUSE_LOAD_ACCESS, ld a0, 0x100(zero))
	CHECK_EQ(34, TRAP_TVAL, 0x100)
	TEST_TRAP(35, CAUSE_STORE_ACCESS, li a1, 1; sw a1, 0x208(zero))
	CHECK_EQ(36, TRAP_TVAL, 0x208)
	TEST_TRAP(37, CAUSE_LOAD_ACCESS, lbu a0, 0(zero))
	TEST_TRAP(38, CAUSE_STORE_ACCESS, li a2, 0x300; amoadd.w a0, a1, (a2))  /* QEMU 7.2: 5 */
	/* fetch: mepc = mtval = the target */
	TEST_TRAP(39, CAUSE_FETCH_ACCESS, li a1, 0x400; jalr a1)
	CHECK_EQ(40, TRAP_EPC, 0x400)
	CHECK_EQ(41, TRAP_TVAL, 0x400)

	/* ---- mret: MIE <- MPIE, MPIE <- 1, MPP <- U, pc <- mepc ---- */
	li TESTNUM, 42
	li a0, MSTATUS_MPP | MSTATUS_MPIE
	csrs mstatus, a0                /* MPP = M, MPIE = 1 */
	csrci mstatus, MSTATUS_MIE
	la a0, 1f
	csrw mepc, a0
	mret
	j harness_fail
1:	csrr a0, mstatus
	andi a1, a0, MSTATUS_MIE | MSTATUS_MPIE
	CHECK_EQ(43, a1, MSTATUS_MIE | MSTATUS_MPIE)
	MPP_OF(a1, a0)
	CHECK_EQ(44, a1, 0)
	csrci mstatus, MSTATUS_MIE
	/* mret with MPIE = 0 clears MIE */
	li TESTNUM, 45
	li a0, MSTATUS_MPP
	csrs mstatus, a0
	li a0, MSTATUS_MPIE
	csrc mstatus, a0
	csrsi mstatus, MSTATUS_MIE
	la a0, 1f
	csrw mepc, a0
	mret
	j harness_fail
1:	csrr a0, mstatus
	andi a1, a0, MSTATUS_MIE
	CHECK_EQ(46, a1, 0)
	andi a1, a0, MSTATUS_MPIE        /* MPIE <- 1 whatever it was */
	CHECK_EQ(110, a1, MSTATUS_MPIE)
	/* mret to a mode below M clears MPRV (priv. 3.1.6.3; not QEMU 7.2) */
	li a0, MSTATUS_MPRV
	csrs mstatus, a0
	TEST_TRAP(47, CAUSE_ECALL_S, GOTO_S(1f); 1: ecall)
	li a0, MSTATUS_MPRV
	and a0, TRAP_STATUS, a0
	CHECK_EQ(48, a0, 0)
	li a0, MSTATUS_MPRV             /* in case it was not cleared */
	csrc mstatus, a0

	/* ---- sret, run from S: SIE <- SPIE, SPIE <- 1, SPP <- U ---- */
	li TESTNUM, 49
	la TRAP_RECOVER, sret_done
	GOTO_S(1f)
1:	li a0, MSTATUS_SPP | MSTATUS_SPIE
	csrs sstatus, a0
	csrci sstatus, MSTATUS_SIE
	la a0, 2f
	csrw sepc, a0
	sret
	j harness_fail
2:	csrr a0, sstatus                /* still S: sstatus is accessible */
	andi a1, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
	CHECK_EQ(50, a1, MSTATUS_SIE | MSTATUS_SPIE)
	csrci sstatus, MSTATUS_SIE
	/* sret with SPP = U lands in U: its ecall has cause 8 */
	li TESTNUM, 51
	li a0, MSTATUS_SPP
	csrc sstatus, a0
	la a0, 3f
	csrw sepc, a0
	sret
3:	ecall
	j harness_fail
sret_done:
	CHECK_EQ(52, TRAP_CAUSE, CAUSE_ECALL_U)

	/* ---- delegation to S via medeleg ---- */
	li a0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_ECALL_U)
	csrw medeleg, a0
	/* illegal from S -> S handler; sepc/stval/SPP; SIE pushed to SPIE */
	li TESTNUM, 53
	la TRAP_RECOVER, 2f
	GOTO_S(1f)
1:	csrsi sstatus, MSTATUS_SIE      /* sie = 0: nothing can interrupt */
3:	.word ILLEGAL_WORD
	j harness_fail
2:	CHECK_EQ(54, TRAP_LEVEL, 1)
	CHECK_EQ(55, TRAP_CAUSE, CAUSE_ILLEGAL)
	CHECK_EQ(56, TRAP_TVAL, ILLEGAL_WORD)
	la a0, 3b
	CHECK_REGS_EQ(57, TRAP_EPC, a0)
	andi a0, TRAP_STATUS, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
	CHECK_EQ(58, a0, MSTATUS_SPP | MSTATUS_SPIE)
	/* ecall from U -> S handler with SPP = 0 (we are in S now) */
	li TESTNUM, 59
	la TRAP_RECOVER, 2f
	la a0, 1f
	csrw sepc, a0
	li a0, MSTATUS_SPP
	csrc sstatus, a0
	sret
1:	ecall
	j harness_fail
2:	CHECK_EQ(60, TRAP_LEVEL, 1)
	CHECK_EQ(61, TRAP_CAUSE, CAUSE_ECALL_U)
	la a0, 1b
	CHECK_REGS_EQ(62, TRAP_EPC, a0)
	andi a0, TRAP_STATUS, MSTATUS_SPP
	CHECK_EQ(63, a0, 0)
	/* ebreak from S -> S */
	TEST_TRAP(64, CAUSE_BREAKPOINT, ebreak)
	CHECK_EQ(65, TRAP_LEVEL, 1)
	/* ecall from S is not delegated: back to M */
	RETURN_TO_M
	CHECK_EQ(66, TRAP_LEVEL, 3)
	CHECK_EQ(67, TRAP_CAUSE, CAUSE_ECALL_S)
	/* traps taken in M are never delegated (priv. 3.1.8) */
	TEST_TRAP(68, CAUSE_ILLEGAL, .word ILLEGAL_WORD)
	CHECK_EQ(69, TRAP_LEVEL, 3)
	csrw medeleg, zero

	/* ---- CSR privilege: accessing a more privileged CSR is illegal ---- */
	TEST_TRAP(70, CAUSE_ILLEGAL, GOTO_U(1f); 1: csrr a0, mstatus)
	CHECK_EQ(71, TRAP_TVAL, 0x30002573)   /* csrrs a0, mstatus, x0 */
	MPP_OF(a0, TRAP_STATUS)
	CHECK_EQ(72, a0, 0)
	TEST_TRAP(73, CAUSE_ILLEGAL, GOTO_U(1f); 1: csrr a0, sscratch)
	TEST_TRAP(74, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrw mscratch, a0)
	TEST_TRAP(75, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, mhartid)
	/* ... but S reads its own CSRs */
	TEST_TRAP(76, CAUSE_ECALL_S, GOTO_S(1f); 1: csrr a0, sscratch; csrr a0, sstatus; ecall)

	/* ---- writes to read-only CSRs (csr[11:10] = 11) are illegal ---- */
	TEST_TRAP(77, CAUSE_ILLEGAL, csrrw zero, mhartid, zero)
	TEST_TRAP(78, CAUSE_ILLEGAL, li a1, 1; csrrs a0, mvendorid, a1)
	TEST_TRAP(79, CAUSE_ILLEGAL, csrrwi a0, marchid, 0)
	TEST_TRAP(80, CAUSE_ILLEGAL, csrw cycle, a1)
	TEST_TRAP(81, CAUSE_ILLEGAL, csrci instret, 1)
	/* csrrs/csrrc with rs1 = x0 (or csrrsi/ci with 0) do not write: legal */
	TEST_CASE(82, a0, 0, csrrs a0, mhartid, zero)
	TEST_CASE(83, a0, 0, csrrci a0, mhartid, 0; csrrsi a0, mimpid, 0; csrrc a0, mhartid, zero)

	/* ---- xRET above the current privilege is illegal ---- */
	TEST_TRAP(84, CAUSE_ILLEGAL, GOTO_S(1f); 1: mret)
	/* raised in S: an mret taken there would return to itself in U (MPP =
	 * U) and trap from U instead */
	MPP_OF(a0, TRAP_STATUS)
	CHECK_EQ(111, a0, 1)
	TEST_TRAP(85, CAUSE_ILLEGAL, GOTO_U(1f); 1: mret)
	TEST_TRAP(86, CAUSE_ILLEGAL, GOTO_U(1f); 1: sret)
	/* mstatus.TSR: sret in S is illegal; TVM: satp and sfence.vma are */
	li a0, MSTATUS_TSR
	csrs mstatus, a0
	TEST_TRAP(87, CAUSE_ILLEGAL, GOTO_S(1f); 1: sret)
	li a0, MSTATUS_TSR
	csrc mstatus, a0
	li a0, MSTATUS_TVM
	csrs mstatus, a0
	TEST_TRAP(88, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, satp)
	TEST_TRAP(89, CAUSE_ILLEGAL, GOTO_S(1f); 1: sfence.vma)
	/* TVM does not affect M-mode */
	TEST_CASE(90, a0, 0, csrr a0, satp; sfence.vma)
	li a0, MSTATUS_TVM
	csrc mstatus, a0
	TEST_TRAP(91, CAUSE_ECALL_S, GOTO_S(1f); 1: csrr a0, satp; sfence.vma; ecall)

	/* ---- reserved encodings (unpriv. 5.2: W shifts with imm[5] = 1 are
	 * reserved; unassigned funct7) ---- */
	TEST_TRAP(92, CAUSE_ILLEGAL, .word 0x0205151b)     /* slliw a0, a0, 32 */
	CHECK_EQ(93, TRAP_TVAL, 0x0205151b)
	TEST_TRAP(94, CAUSE_ILLEGAL, .word 0x4205551b)     /* sraiw a0, a0, 32 */
	TEST_TRAP(95, CAUSE_ILLEGAL, .word 0x0205d51b)     /* srliw a0, a1, 32 */
	TEST_TRAP(96, CAUSE_ILLEGAL, .word 0xfeb50533)     /* add, funct7 = 0x7f */
	TEST_TRAP(97, CAUSE_ILLEGAL, .word 0x02b5a53b)     /* OP-32, funct7 1, funct3 2: unassigned */
	/* ... while 6-bit shift amounts are valid for the RV64 forms */
	TEST_CASE(98, a0, 0x8000000000000000, li a0, 1; .word 0x03f51513)  /* slli a0, a0, 63 */

	/* ---- a trap into S with SIE = 0 records SPIE = 0 (4.1.1) ---- */
	li a0, 1 << CAUSE_BREAKPOINT
	csrw medeleg, a0
	li TESTNUM, 99
	la TRAP_RECOVER, 2f
	GOTO_S(1f)
1:	csrci sstatus, MSTATUS_SIE
	ebreak
	j harness_fail
2:	CHECK_EQ(100, TRAP_LEVEL, 1)
	andi a0, TRAP_STATUS, MSTATUS_SPIE | MSTATUS_SIE
	CHECK_EQ(101, a0, 0)
	/* sret with SPIE = 0 clears SIE (3.3.2), still in S (SPP = S) */
	li TESTNUM, 102
	csrsi sstatus, MSTATUS_SIE       /* mideleg = 0: nothing can interrupt */
	li a0, MSTATUS_SPIE
	csrc sstatus, a0
	li a0, MSTATUS_SPP
	csrs sstatus, a0
	la a0, 1f
	csrw sepc, a0
	sret
	j harness_fail
1:	csrr a0, sstatus
	andi a0, a0, MSTATUS_SIE | MSTATUS_SPIE
	CHECK_EQ(103, a0, MSTATUS_SPIE)
	RETURN_TO_M
	csrw medeleg, zero

	/* ---- sret run in M: TSR only traps it in S (3.1.6.5), and a return
	 * below M clears MPRV (3.1.6.3) ---- */
	li TESTNUM, 104
	li a0, MSTATUS_TSR | MSTATUS_MPRV | MSTATUS_SPP
	csrs mstatus, a0                /* MPRV with MPP = U: no load or store till the ecall */
	la TRAP_RECOVER, 2f
	la a0, 1f
	csrw sepc, a0
	sret
	j harness_fail
1:	ecall                           /* in S */
	j harness_fail
2:	CHECK_EQ(105, TRAP_CAUSE, CAUSE_ECALL_S)
	li a0, MSTATUS_MPRV
	and a0, TRAP_STATUS, a0
	CHECK_EQ(106, a0, 0)
	li a0, MSTATUS_TSR | MSTATUS_MPRV
	csrc mstatus, a0
	/* mret to M keeps MPRV: only an xRET to a mode below M clears it */
	li TESTNUM, 107
	li a0, MSTATUS_MPP | MSTATUS_MPRV
	csrs mstatus, a0
	la a0, 1f
	csrw mepc, a0
	mret                            /* MPP becomes U: MPRV then means U loads */
	j harness_fail
1:	csrr a0, mstatus
	li a1, MSTATUS_MPRV
	and a0, a0, a1
	csrc mstatus, a1
	CHECK_EQ(108, a0, MSTATUS_MPRV)

	/* ---- TVM: a write of satp from S is illegal too (3.1.6.5) ---- */
	li a0, MSTATUS_TVM
	csrs mstatus, a0
	TEST_TRAP(109, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrw satp, zero)
	li a0, MSTATUS_TVM
	csrc mstatus, a0

	TEST_PASS
TEST_END
