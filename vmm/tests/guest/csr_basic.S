/*
 * csr_basic.S - Zicsr instructions and the basic CSRs (unprivileged spec
 * 20191213 chapter 9 and 10; privileged spec 20211203 chapters 2-4):
 * misa (MXL = 2; I, M, A, S, U present), mhartid, the WARL fields of
 * mstatus (UXL/SXL fixed at 2, MPP never holding the reserved 2, writable
 * enables and control bits, WPRI bits zero), sstatus as a restricted view of
 * mstatus, sie/sip as views of mie/mip masked by mideleg, medeleg not
 * delegating ecall-from-M, mepc bit 0, satp ignoring writes of an unsupported
 * MODE, cycle/time/instret readable, increasing and time = CLINT mtime,
 * mcounteren/scounteren gating, exact instret counting, minstret writes,
 * mcountinhibit stopping the counters, scratch registers, and the read/set/clear
 * semantics of CSRRW/CSRRS/CSRRC and their immediate forms (x0 / zimm = 0
 * source does not write); exact minstret/mcycle writes and mcountinhibit
 * freezes (a write replaces the writer's own count, 3.1.10).  CSR numbers
 * that exist and read 0 here (hpmcounters, mhpmevents, triggers,
 * mconfigptr, pmpaddr16-63), misa writes ignored, numbers that do not
 * exist (0xb01, odd pmpcfg), hpmcounter gating by mcounteren bits.  WARL
 * fields: mepc/sepc bits 1:0, mtvec/stvec MODE, menvcfg/senvcfg, mie,
 * medeleg, sip.SSIP while not delegated, mip.SEIP, satp.ASID, and
 * mcounteren/scounteren 32 bits wide.
 */
#include "harness.h"

#define MISA_BIT(c) (1 << ((c) - 'A'))

TEST_BEGIN
	/* ---- misa, mhartid ---- */
	csrr s0, misa
	srli a0, s0, 62
	CHECK_EQ(1, a0, 2)
	TEST_CASE(2, a0, MISA_BIT('I'), li a1, MISA_BIT('I'); and a0, s0, a1)
	TEST_CASE(3, a0, MISA_BIT('M'), li a1, MISA_BIT('M'); and a0, s0, a1)
	TEST_CASE(4, a0, MISA_BIT('A'), li a1, MISA_BIT('A'); and a0, s0, a1)
	TEST_CASE(5, a0, MISA_BIT('S'), li a1, MISA_BIT('S'); and a0, s0, a1)
	TEST_CASE(6, a0, MISA_BIT('U'), li a1, MISA_BIT('U'); and a0, s0, a1)
	TEST_CASE(7, a0, 0, li a1, MISA_BIT('E'); and a0, s0, a1)      /* E excludes I */
	TEST_CASE(8, a0, 0, csrr a0, mhartid)

	/* ---- mstatus WARL fields ---- */
	/* UXL (33:32) and SXL (35:34) are fixed at 2 (RV64) */
	csrr a0, mstatus
	srli a0, a0, 32
	andi a0, a0, 0xf
	CHECK_EQ(9, a0, 0xa)
	li a1, 0xf << 32
	csrc mstatus, a1
	TEST_CASE(10, a0, 0xa, csrr a0, mstatus; srli a0, a0, 32; andi a0, a0, 0xf)
	/* each writable control bit sets and clears */
#define MSTATUS_RW(num, bit) \
	TEST_CASE(num, a0, bit, li a1, bit; csrs mstatus, a1; csrr a0, mstatus; and a0, a0, a1); \
	TEST_CASE(num + 1, a0, 0, li a1, bit; csrc mstatus, a1; csrr a0, mstatus; and a0, a0, a1)
	MSTATUS_RW(11, MSTATUS_SIE)
	MSTATUS_RW(13, MSTATUS_MIE)
	MSTATUS_RW(15, MSTATUS_SPIE)
	MSTATUS_RW(17, MSTATUS_MPIE)
	MSTATUS_RW(19, MSTATUS_SPP)
	MSTATUS_RW(21, MSTATUS_MPRV)
	MSTATUS_RW(23, MSTATUS_SUM)
	MSTATUS_RW(25, MSTATUS_MXR)
	MSTATUS_RW(27, MSTATUS_TVM)
	MSTATUS_RW(29, MSTATUS_TW)
	MSTATUS_RW(31, MSTATUS_TSR)
	/* MPP holds M, S and U; 2 is reserved and never read back (QEMU 7.2
	 * keeps it: case 36) */
#define MPP_WRITE(num, val, exp) \
	TEST_CASE(num, a0, exp, li a1, MSTATUS_MPP; csrc mstatus, a1; li a1, (val) << 11; csrs mstatus, a1; \
		  csrr a0, mstatus; srli a0, a0, 11; andi a0, a0, 3)
	MPP_WRITE(33, 3, 3)
	MPP_WRITE(34, 1, 1)
	MPP_WRITE(35, 0, 0)
	li TESTNUM, 36
	li a1, MSTATUS_MPP
	csrc mstatus, a1
	li a1, 2 << 11
	csrs mstatus, a1
	csrr a0, mstatus
	srli a0, a0, 11
	andi a0, a0, 3
	li a1, 2
	beq a0, a1, harness_fail_36
	li a1, MSTATUS_MPP
	csrs mstatus, a1
	/* WPRI bits 0, 2 and 4 read as zero */
	TEST_CASE(37, a0, 0, li a1, 0x15; csrs mstatus, a1; csrr a0, mstatus; andi a0, a0, 0x15)

	/* ---- sstatus: a restricted view of mstatus ---- */
	csrci mstatus, MSTATUS_SIE | MSTATUS_MIE
	TEST_CASE(38, a0, MSTATUS_SIE, csrsi sstatus, MSTATUS_SIE; csrr a0, mstatus; andi a0, a0, MSTATUS_SIE | MSTATUS_MIE)
	TEST_CASE(39, a0, 0, csrci mstatus, MSTATUS_SIE; csrr a0, sstatus; andi a0, a0, MSTATUS_SIE)
	/* M-only fields are invisible and unwritable through sstatus */
	li a1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
	csrc mstatus, a1
	csrs sstatus, a1
	TEST_CASE(40, a0, 0, csrr a0, mstatus; and a0, a0, a1)
	li a2, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV | MSTATUS_TVM
	csrs mstatus, a2
	TEST_CASE(41, a0, 0, csrr a0, sstatus; and a0, a0, a2)
	csrc mstatus, a2
	/* S fields written through sstatus show in mstatus */
	li a1, MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
	TEST_CASE(42, a0, MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR, csrs sstatus, a1; csrr a0, mstatus; and a0, a0, a1)
	TEST_CASE(43, a0, MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR, csrr a0, sstatus; and a0, a0, a1)
	TEST_CASE(44, a0, 0, csrc sstatus, a1; csrr a0, mstatus; and a0, a0, a1)
	/* UXL is visible in sstatus */
	TEST_CASE(45, a0, 2, csrr a0, sstatus; srli a0, a0, 32; andi a0, a0, 3)

	/* ---- sie / sip: views of mie / mip through mideleg ---- */
	/* not delegated: read-only zero in sie */
	csrw mideleg, zero
	csrw mie, zero
	TEST_CASE(46, a0, 0, li a1, 0x222; csrs sie, a1; csrr a0, sie)
	TEST_CASE(47, a0, 0, csrr a0, mie)
	/* delegated S interrupts */
	li a1, 0x222
	csrw mideleg, a1
	TEST_CASE(48, a0, 0x222, li a1, -1; csrw sie, a1; csrr a0, sie)
	TEST_CASE(49, a0, 0x222, csrr a0, mie)   /* M bits not writable via sie */
	li a1, MIP_MTIP | MIP_MSIP | MIP_MEIP
	csrs mie, a1
	TEST_CASE(50, a0, 0x222, csrr a0, sie)   /* and not visible in it */
	csrw sie, zero
	TEST_CASE(51, a0, MIP_MTIP | MIP_MSIP | MIP_MEIP, csrr a0, mie)
	csrw mie, zero
	/* sip: SSIP writable and mirrors mip; STIP not writable through sip */
	TEST_CASE(52, a0, MIP_SSIP, csrsi sip, MIP_SSIP; csrr a0, mip; andi a0, a0, MIP_SSIP)
	TEST_CASE(53, a0, MIP_SSIP, csrr a0, sip; andi a0, a0, MIP_SSIP)
	TEST_CASE(54, a0, 0, csrci sip, MIP_SSIP; csrr a0, mip; andi a0, a0, MIP_SSIP)
	TEST_CASE(55, a0, 0, li a1, MIP_STIP; csrs sip, a1; csrr a0, mip; andi a0, a0, MIP_STIP)
	/* M sets STIP in mip; S sees it in sip */
	TEST_CASE(56, a0, MIP_STIP, li a1, MIP_STIP; csrs mip, a1; csrr a0, sip; andi a0, a0, MIP_STIP)
	csrc mip, a1
	/* not delegated: pending SSIP is hidden from sip */
	csrw mideleg, zero
	csrsi mip, MIP_SSIP
	TEST_CASE(57, a0, 0, csrr a0, sip)
	csrci mip, MIP_SSIP

	/* ---- medeleg: ecall from M (bit 11) is read-only zero (3.1.8;
	 * QEMU 7.2 keeps it: case 58) ---- */
	TEST_CASE(58, a0, 0, li a1, -1; csrw medeleg, a1; csrr a0, medeleg; srli a0, a0, 11; andi a0, a0, 1)
	TEST_CASE(59, a0, 1 << 8, csrr a0, medeleg; andi a0, a0, 1 << 8)  /* ecall from U can */
	csrw medeleg, zero

	/* ---- mepc / sepc: bit 0 is always zero (3.1.14; not QEMU 7.2) ---- */
	TEST_CASE(60, a0, 0, li a1, -1; csrw mepc, a1; csrr a0, mepc; andi a0, a0, 1)
	TEST_CASE(61, a0, 0, li a1, -1; csrw sepc, a1; csrr a0, sepc; andi a0, a0, 1)
	TEST_CASE(62, a0, 0x80001234, li a1, 0x80001234; csrw mepc, a1; csrr a0, mepc)

	/* ---- satp: Sv39 is accepted, an unsupported MODE is ignored ---- */
	li a1, SATP_SV39 | 0x80123
	csrw satp, a1
	TEST_CASE(63, a0, SATP_SV39 | 0x80123, csrr a0, satp)
	TEST_CASE(64, a0, SATP_SV39 | 0x80123, li a1, (1 << 60) | 0x456; csrw satp, a1; csrr a0, satp)
	csrw satp, zero
	TEST_CASE(65, a0, 0, csrr a0, satp)

	/* ---- scratch registers ---- */
	TEST_CASE(66, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; csrw mscratch, a1; csrr a0, mscratch)
	TEST_CASE(67, a0, 0xfedcba9876543210, li a1, 0xfedcba9876543210; csrw sscratch, a1; csrr a0, sscratch)
	TEST_CASE(68, a0, 0x0123456789abcdef, csrr a0, mscratch)   /* independent */

	/* ---- CSRRW/RS/RC semantics on mscratch ---- */
	li a1, 0xf0
	csrw mscratch, a1
	TEST_CASE(69, a0, 0xf0, li a1, 0x0f; csrrw a0, mscratch, a1)          /* old value */
	TEST_CASE(70, a0, 0x0f, csrr a0, mscratch)
	TEST_CASE(71, a0, 0x0f, li a1, 0x300; csrrs a0, mscratch, a1)
	TEST_CASE(72, a0, 0x30f, csrr a0, mscratch)
	TEST_CASE(73, a0, 0x30f, li a1, 0x101; csrrc a0, mscratch, a1)
	TEST_CASE(74, a0, 0x20e, csrr a0, mscratch)
	/* x0 source: read only */
	TEST_CASE(75, a0, 0x20e, csrrs a0, mscratch, x0; csrrc a0, mscratch, x0)
	TEST_CASE(76, a0, 0x20e, csrr a0, mscratch)
	/* immediate forms: 5-bit zero-extended */
	TEST_CASE(77, a0, 0x20e, csrrwi a0, mscratch, 0x1f)
	TEST_CASE(78, a0, 0x1f, csrr a0, mscratch)
	TEST_CASE(79, a0, 0x1f, csrrci a0, mscratch, 0x11)
	TEST_CASE(80, a0, 0x0e, csrrsi a0, mscratch, 0x10)
	TEST_CASE(81, a0, 0x1e, csrrsi a0, mscratch, 0; csrrci a0, mscratch, 0)
	TEST_CASE(82, a0, 0x1e, csrr a0, mscratch)
	/* rd = rs1: the old value goes to rd, the write uses the old rs1 */
	TEST_CASE(83, a1, 0x1e, li a1, 0x77; csrrw a1, mscratch, a1)
	TEST_CASE(84, a0, 0x77, csrr a0, mscratch)

	/* ---- counters: readable and increasing ---- */
	csrr a1, cycle
	csrr a3, instret
	.rept 10
	nop
	.endr
	csrr a2, cycle
	csrr a4, instret
	TEST_CASE(85, a0, 1, sltu a0, a1, a2)
	/* at least the ten nops retired in between */
	TEST_CASE(86, a0, 1, sub a0, a4, a3; sltiu a0, a0, 10; xori a0, a0, 1)
	TEST_CASE(87, a0, 1, csrr a1, mcycle; csrr a2, cycle; sltu a0, a2, a1; xori a0, a0, 1)
	TEST_CASE(88, a0, 1, csrr a1, minstret; csrr a2, instret; sltu a0, a2, a1; xori a0, a0, 1)
	/* time advances (bounded wait) and equals the CLINT mtime */
	li TESTNUM, 89
	csrr a1, time
	li a3, 100000
1:	csrr a2, time
	bne a1, a2, 2f
	addi a3, a3, -1
	bnez a3, 1b
	j harness_fail
2:	TEST_CASE(90, a0, 1, sltu a0, a1, a2)
	li TESTNUM, 91
	csrr a1, time
	li a0, CLINT_MTIME
	ld a2, 0(a0)
	csrr a3, time
	bltu a2, a1, harness_fail_91
	bltu a3, a2, harness_fail_91

	/* ---- mcounteren gates S, scounteren gates U ---- */
	csrw mcounteren, zero
	TEST_TRAP(92, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, cycle)
	TEST_TRAP(93, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, time)
	TEST_TRAP(94, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, instret)
	li a0, 7
	csrw mcounteren, a0
	TEST_TRAP(95, CAUSE_ECALL_S, GOTO_S(1f); 1: csrr a0, cycle; csrr a0, time; csrr a0, instret; ecall)
	csrw scounteren, zero
	TEST_TRAP(96, CAUSE_ILLEGAL, GOTO_U(1f); 1: csrr a0, cycle)
	li a0, 7
	csrw scounteren, a0
	TEST_TRAP(97, CAUSE_ECALL_U, GOTO_U(1f); 1: csrr a0, cycle; csrr a0, time; csrr a0, instret; ecall)
	csrw scounteren, zero
	/* scounteren allows, mcounteren forbids: U is still refused */
	csrw mcounteren, zero
	li a0, 7
	csrw scounteren, a0
	TEST_TRAP(98, CAUSE_ILLEGAL, GOTO_U(1f); 1: csrr a0, time)
	/* sscratch is an S CSR: readable from S, not from U */
	TEST_TRAP(99, CAUSE_ECALL_S, GOTO_S(1f); 1: csrw sscratch, a0; csrr a0, sscratch; ecall)

	csrw scounteren, zero
	li a0, 7
	csrw mcounteren, a0

	/* ---- exact counting: between two reads of instret, the first read
	 * and ten nops retire (11; as Spike.  QEMU needs -icount for this) ---- */
	csrr a3, instret
	.rept 10
	nop
	.endr
	csrr a4, instret
	TEST_CASE(100, a0, 11, sub a0, a4, a3)
	/* minstret is writable */
	li a1, 100000
	csrw minstret, a1
	csrr a2, minstret
	TEST_CASE(101, a0, 1, sub a0, a2, a1; sltiu a0, a0, 8)

	/* ---- mcountinhibit (3.1.12): a set IR / CY bit stops the counter
	 * (QEMU 7.2 -icount still counts mcycle: case 103) ---- */
	csrwi mcountinhibit, 4
	csrr a0, mcountinhibit
	andi a0, a0, 4
	beqz a0, 1f                      /* IR not implemented: WARL zero */
	csrr a3, minstret
	nop
	nop
	csrr a4, minstret
	csrwi mcountinhibit, 0
	CHECK_REGS_EQ(102, a3, a4)
1:	csrwi mcountinhibit, 1
	csrr a0, mcountinhibit
	andi a0, a0, 1
	beqz a0, 1f                      /* CY not implemented */
	csrr a3, mcycle
	nop
	nop
	csrr a4, mcycle
	csrwi mcountinhibit, 0
	CHECK_REGS_EQ(103, a3, a4)
1:	csrwi mcountinhibit, 0
	/* counting resumes */
	csrr a3, minstret
	nop
	csrr a4, minstret
	CHECK_REGS_NE(104, a3, a4)

	/* ---- exact counter writes and freezes (priv. 3.1.10: "Any CSR write
	 * takes effect after the writing instruction has otherwise completed",
	 * so a written counter replaces the writer's own increment, and an
	 * instruction that sets or clears an inhibit bit still counts by the
	 * old setting; as Spike and the Sail model.  QEMU 7.2 needs -icount) ---- */
	li a1, 100000
	csrw minstret, a1
	csrr a0, minstret
	CHECK_EQ(105, a0, 100000)
	/* IR freezes minstret once the csrw that sets it retired: the read
	 * before it and that csrw count */
	csrr a3, minstret
	csrwi mcountinhibit, 4
	csrr a4, minstret
	sub a0, a4, a3
	CHECK_EQ(106, a0, 2)
	/* setting IR again while frozen does not move it */
	nop
	csrwi mcountinhibit, 4
	csrr a5, minstret
	CHECK_REGS_EQ(107, a4, a5)
	/* a write while frozen reads back as written ... */
	li a1, 5000
	csrw minstret, a1
	csrr a0, minstret
	CHECK_EQ(108, a0, 5000)
	/* ... and counting resumes from it: the clearing csrw is uncounted */
	csrwi mcountinhibit, 0
	csrr a0, minstret
	CHECK_EQ(109, a0, 5000)
	/* the same for mcycle, whatever an instruction costs in cycles */
	csrwi mcountinhibit, 1
	li a1, 7000
	csrw mcycle, a1
	csrr a0, mcycle
	CHECK_EQ(110, a0, 7000)
	csrwi mcountinhibit, 0
	csrr a0, mcycle
	CHECK_EQ(111, a0, 7000)
	li a1, 9000
	csrw mcycle, a1
	csrr a0, mcycle
	CHECK_EQ(112, a0, 9000)
	/* CY freezes mcycle after the setting csrw retired: two CSR
	 * instructions (a read, the csrw) count, as between reads two apart */
	csrr a3, mcycle
	csrr a4, mcycle
	csrr a5, mcycle
	csrwi mcountinhibit, 1
	csrr a6, mcycle
	csrwi mcountinhibit, 0
	sub a0, a5, a3
	sub a1, a6, a5
	CHECK_REGS_EQ(113, a0, a1)
	/* mcountinhibit bit 1 (TM) is read-only zero: there is no mtime CSR */
	TEST_CASE(114, a0, 0, li a1, 2; csrs mcountinhibit, a1; csrr a0, mcountinhibit; andi a0, a0, 2)
	csrwi mcountinhibit, 0

	/* ---- CSR numbers that exist (priv. tables 2.2-2.5) and read 0 here
	 * (docs/platform.md: no events, no triggers): legal from M ---- */
	TEST_CASE(115, a0, 0, csrr a0, hpmcounter3)
	TEST_CASE(116, a0, 0, csrr a0, hpmcounter31)
	TEST_CASE(117, a0, 0, csrr a0, mhpmcounter3)
	TEST_CASE(118, a0, 0, li a1, -1; csrw mhpmevent3, a1; csrr a0, mhpmevent3)
	TEST_CASE(119, a0, 0, csrr a0, mhpmevent31)
	TEST_CASE(120, a0, 0, li a1, 1; csrw tselect, a1; csrr a0, tselect)
	TEST_CASE(121, a0, 0, csrr a0, tdata1; csrr a0, tdata3)
	TEST_CASE(122, a0, 0, csrr a0, 0xf15)                   /* mconfigptr */
	/* pmpaddr16-63 exist (16 entries implemented: the rest read 0) */
	TEST_CASE(123, a0, 0, csrr a0, 0x3c0; csrr a0, 0x3ef)   /* pmpaddr16, 63 */
	/* misa is WARL and fixed here: a write is legal and changes nothing */
	csrr a1, misa
	csrw misa, zero
	csrr a0, misa
	CHECK_REGS_EQ(124, a0, a1)
	/* ... while these numbers do not exist: illegal (priv. 2.1) */
	TEST_TRAP(125, CAUSE_ILLEGAL, csrr a0, 0xb01)          /* no mtime CSR */
	TEST_TRAP(126, CAUSE_ILLEGAL, csrw 0xb01, zero)
	TEST_TRAP(127, CAUSE_ILLEGAL, csrr a0, pmpcfg1)        /* odd pmpcfg: RV32 only (3.7.1) */
	TEST_TRAP(128, CAUSE_ILLEGAL, csrw pmpcfg1, zero)

	/* ---- hpmcounters obey mcounteren bit by bit (3.1.11) ---- */
	li a0, 7
	csrw mcounteren, a0
	TEST_TRAP(129, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, hpmcounter3)
	li a0, 1 << 16
	csrw mcounteren, a0
	TEST_TRAP(130, CAUSE_ECALL_S, GOTO_S(1f); 1: csrr a0, hpmcounter16; ecall)
	TEST_TRAP(131, CAUSE_ILLEGAL, GOTO_S(1f); 1: csrr a0, cycle)
	li a0, 7
	csrw mcounteren, a0

	/* ---- WARL fields (docs/platform.md "CSR choices") ---- */
	/* mepc/sepc bits 1:0 read as 0 (IALIGN = 32, 3.1.14) */
	TEST_CASE(132, a0, 0, li a1, -1; csrw mepc, a1; csrr a0, mepc; andi a0, a0, 3)
	TEST_CASE(133, a0, 0, li a1, -1; csrw sepc, a1; csrr a0, sepc; andi a0, a0, 3)
	/* mtvec/stvec keep MODE 1 (vectored) and never read a reserved
	 * MODE >= 2 (3.1.7) */
	la a2, harness_mtrap
	ori a1, a2, 1
	TEST_CASE(134, a0, 1, csrw mtvec, a1; csrr a0, mtvec; csrw mtvec, a2; andi a0, a0, 3)
	ori a1, a2, 2
	TEST_CASE(135, a0, 0, csrw mtvec, a1; csrr a0, mtvec; csrw mtvec, a2; andi a0, a0, 2)
	la a2, harness_strap
	ori a1, a2, 1
	TEST_CASE(136, a0, 1, csrw stvec, a1; csrr a0, stvec; csrw stvec, a2; andi a0, a0, 3)
	ori a1, a2, 2
	TEST_CASE(137, a0, 0, csrw stvec, a1; csrr a0, stvec; csrw stvec, a2; andi a0, a0, 2)
	/* menvcfg/senvcfg: only FIOM may be writable (no Sstc, Svpbmt, Zicbo*) */
	TEST_CASE(138, a0, 0, li a1, -1; csrw 0x30a, a1; csrr a0, 0x30a; andi a0, a0, -2; csrw 0x30a, zero)
	TEST_CASE(139, a0, 0, li a1, -1; csrw 0x10a, a1; csrr a0, 0x10a; andi a0, a0, -2; csrw 0x10a, zero)
	/* mie: only the six interrupts that exist (3.1.9) */
	TEST_CASE(140, a0, 0xaaa, li a1, -1; csrw mie, a1; csrr a0, mie; csrw mie, zero)
	/* medeleg delegates every standard exception but ecall-from-M (bits
	 * 10 and 14 are reserved causes) */
	TEST_CASE(141, a0, 0xb3ff, li a1, -1; csrw medeleg, a1; csrr a0, medeleg; csrw medeleg, zero; li a1, 0xffff; and a0, a0, a1)
	/* sip.SSIP is read-only zero while SSI is not delegated (3.1.9: "Otherwise,
	 * the corresponding bits in sip and sie are read-only zero") */
	csrw mideleg, zero
	TEST_CASE(142, a0, 0, csrsi sip, MIP_SSIP; csrr a0, mip; andi a0, a0, MIP_SSIP)
	/* mip.SEIP is writable by M and reads back (3.1.9: the software bit
	 * ORed with the PLIC's line, which is low here) */
	li a1, MIP_SEIP
	TEST_CASE(143, a0, MIP_SEIP, csrs mip, a1; csrr a0, mip; and a0, a0, a1)
	TEST_CASE(144, a0, 0, csrc mip, a1; csrr a0, mip; and a0, a0, a1)
	/* satp: 16 ASID bits (docs/platform.md) */
	li a1, SATP_SV39 | (0xffff << 44) | 0x80123
	TEST_CASE(145, a0, SATP_SV39 | (0xffff << 44) | 0x80123, csrw satp, a1; csrr a0, satp; csrw satp, zero)
	/* mcounteren and scounteren are 32-bit registers (3.1.11): on RV64
	 * bits 63:32 read 0 */
	TEST_CASE(146, a0, 0, li a1, -1; csrw mcounteren, a1; csrr a0, mcounteren; csrw mcounteren, zero; srli a0, a0, 32)
	TEST_CASE(147, a0, 0, li a1, -1; csrw scounteren, a1; csrr a0, scounteren; csrw scounteren, zero; srli a0, a0, 32)

	TEST_PASS
harness_fail_36:
	li TESTNUM, 36
	TEST_FAIL
harness_fail_91:
	li TESTNUM, 91
	TEST_FAIL
TEST_END
