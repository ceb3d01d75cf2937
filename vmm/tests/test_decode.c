/*
 * test_decode.c - unit test of the instruction decoder (vmm/decode.c).
 *
 * Contract checked (decode.h): every op of ops.def that the decoder can
 * produce comes out of at least one hand-encoded instruction, with rd
 * (x0 redirected to 32), rs1, rs2 and imm as decode.h defines them; the
 * immediates of the I, S, B, U and J formats are sign-extended at their
 * extremes; reserved and unimplemented encodings give OP_ILLEGAL with the
 * instruction word in imm; decode() leaves insn.label alone.
 *
 * The encoder below follows the base formats of the Unprivileged ISA
 * 20191213, 2.2-2.3 (R/I/S/B/U/J).  It is itself checked against words that
 * GNU as produced for the same instructions (test_encoder), so a mistake in
 * the encoder cannot hide a mistake in the decoder.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode.h"

/* ---- the encoder (unprivileged spec 2.2 figure 2.3, 2.3 figure 2.4) ---- */

enum opcode {
	OPC_LOAD = 0x03,
	OPC_MISC_MEM = 0x0f,
	OPC_OP_IMM = 0x13,
	OPC_AUIPC = 0x17,
	OPC_OP_IMM_32 = 0x1b,
	OPC_STORE = 0x23,
	OPC_AMO = 0x2f,
	OPC_OP = 0x33,
	OPC_LUI = 0x37,
	OPC_OP_32 = 0x3b,
	OPC_BRANCH = 0x63,
	OPC_JALR = 0x67,
	OPC_JAL = 0x6f,
	OPC_SYSTEM = 0x73,
};

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd,
		      unsigned opc)
{
	return (uint32_t)f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned opc)
{
	return bits((uint32_t)imm, 11, 0) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned opc)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | bits(u, 4, 0) << 7 | opc;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned opc)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 12, 12) << 31 | bits(u, 10, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       bits(u, 4, 1) << 8 | bits(u, 11, 11) << 7 | opc;
}

/* imm: the value the instruction puts in rd's bits 31:12 (low 12 bits 0). */
static uint32_t enc_u(uint32_t imm, unsigned rd, unsigned opc)
{
	return (imm & 0xfffff000u) | rd << 7 | opc;
}

static uint32_t enc_j(int32_t imm, unsigned rd, unsigned opc)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 20, 20) << 31 | bits(u, 10, 1) << 21 | bits(u, 11, 11) << 20 |
	       bits(u, 19, 12) << 12 | rd << 7 | opc;
}

/* A extension (unprivileged spec 8.2-8.4): funct5, aq, rl, rs2, rs1, width. */
static uint32_t enc_amo(unsigned f5, unsigned aqrl, unsigned rs2, unsigned rs1, unsigned f3,
			unsigned rd)
{
	return enc_r(f5 << 2 | aqrl, rs2, rs1, f3, rd, OPC_AMO);
}

static void test_encoder(void)
{
	/* Words from riscv64-unknown-elf-as (binutils 2.40) for the
	 * instruction in the comment. */
	CHECK(enc_i(-1, 10, 0, 10, OPC_OP_IMM) == 0xfff50513, "addi a0,a0,-1");
	CHECK(enc_s(-8, 5, 2, 3, OPC_STORE) == 0xfe513c23, "sd t0,-8(sp)");
	CHECK(enc_b(-4096, 11, 10, 0, OPC_BRANCH) == 0x80b50063, "beq a0,a1,.-4096");
	CHECK(enc_b(4094, 6, 5, 4, OPC_BRANCH) == 0x7e62cfe3, "blt t0,t1,.+4094");
	CHECK(enc_j(0xffffe, 1, OPC_JAL) == 0x7ffff0ef, "jal ra,.+0xffffe");
	CHECK(enc_u(0x80000000u, 15, OPC_LUI) == 0x800007b7, "lui a5,0x80000");
	CHECK(enc_i(0x400 | 63, 11, 5, 10, OPC_OP_IMM) == 0x43f5d513, "srai a0,a1,63");
	CHECK(enc_r(0x20, 31, 11, 5, 10, OPC_OP_IMM_32) == 0x41f5d51b, "sraiw a0,a1,31");
	CHECK(enc_amo(0x00, 3, 11, 12, 3, 10) == 0x06b6352f, "amoadd.d.aqrl a0,a1,(a2)");
	CHECK(enc_amo(0x02, 0, 0, 6, 2, 5) == 0x100322af, "lr.w t0,(t1)");
	CHECK(enc_i(0xfff, 0, 2, 10, OPC_SYSTEM) == 0xfff02573, "csrrs a0,0xfff,zero");
	CHECK(enc_i(0x300, 31, 5, 0, OPC_SYSTEM) == 0x300fd073, "csrrwi zero,mstatus,31");
	CHECK(enc_r(0x09, 11, 10, 0, 0, OPC_SYSTEM) == 0x12b50073, "sfence.vma a0,a1");
}

/* ---- expectations ---- */

#define ANY (-1) /* field not defined for this op */

static unsigned seen[OP_COUNT];

/* Decodes w and checks op, rd (as the instruction names it: 0 must come
 * out as 32), rs1, rs2 and imm; ANY skips a register field. */
static void expect(uint32_t w, enum op op, int rd, int rs1, int rs2, int32_t imm)
{
	static const void *const sentinel = &sentinel;
	struct insn in;
	memset(&in, 0xa5, sizeof(in));
	in.label = sentinel;
	decode(w, &in);
	seen[in.op < OP_COUNT ? in.op : 0]++;
	CHECK(in.op == op, "word 0x%08x: op %s, expected %s", w, op_name(in.op), op_name(op));
	if (in.op != op)
		return;
	CHECK(in.label == sentinel, "word 0x%08x (%s): decode() changed label", w, op_name(op));
	if (rd != ANY)
		CHECK(in.rd == (rd ? rd : 32), "word 0x%08x (%s): rd %u, expected %d", w,
		      op_name(op), in.rd, rd ? rd : 32);
	if (rs1 != ANY)
		CHECK(in.rs1 == rs1, "word 0x%08x (%s): rs1 %u, expected %d", w, op_name(op),
		      in.rs1, rs1);
	if (rs2 != ANY)
		CHECK(in.rs2 == rs2, "word 0x%08x (%s): rs2 %u, expected %d", w, op_name(op),
		      in.rs2, rs2);
	CHECK(in.imm == imm, "word 0x%08x (%s): imm %d (0x%x), expected %d (0x%x)", w, op_name(op),
	      in.imm, (unsigned)in.imm, imm, (unsigned)imm);
}

/* w must be OP_ILLEGAL with the word itself in imm (the mtval value). */
static void expect_illegal(uint32_t w, const char *why)
{
	struct insn in;
	memset(&in, 0x5a, sizeof(in));
	decode(w, &in);
	CHECK(in.op == OP_ILLEGAL, "word 0x%08x (%s): op %s, expected ILLEGAL", w, why,
	      op_name(in.op));
	CHECK((uint32_t)in.imm == w, "word 0x%08x (%s): imm 0x%08x, expected the word", w, why,
	      (uint32_t)in.imm);
}

/* ---- legal instructions, op by op ---- */

static void test_upper_and_jumps(void)
{
	/* U: imm is bits 31:12 of the word, sign-extended from bit 31. */
	expect(enc_u(0x80000000u, 5, OPC_LUI), OP_LUI, 5, ANY, ANY, INT32_MIN);
	expect(enc_u(0x7ffff000u, 31, OPC_LUI), OP_LUI, 31, ANY, ANY, 0x7ffff000);
	expect(enc_u(0xfffff000u, 0, OPC_LUI), OP_LUI, 0, ANY, ANY, -4096);
	expect(enc_u(0x00001000u, 1, OPC_AUIPC), OP_AUIPC, 1, ANY, ANY, 0x1000);
	expect(enc_u(0x80000000u, 0, OPC_AUIPC), OP_AUIPC, 0, ANY, ANY, INT32_MIN);
	/* J: 21-bit, even, +-1 MiB. */
	expect(enc_j(-(1 << 20), 1, OPC_JAL), OP_JAL, 1, ANY, ANY, -(1 << 20));
	expect(enc_j((1 << 20) - 2, 0, OPC_JAL), OP_JAL, 0, ANY, ANY, (1 << 20) - 2);
	expect(enc_j(-2, 17, OPC_JAL), OP_JAL, 17, ANY, ANY, -2);
	expect(enc_j(0x800, 3, OPC_JAL), OP_JAL, 3, ANY, ANY, 0x800); /* imm[11] */
	expect(enc_j(0x55554, 3, OPC_JAL), OP_JAL, 3, ANY, ANY, 0x55554);
	/* JALR: I-type. */
	expect(enc_i(-2048, 7, 0, 1, OPC_JALR), OP_JALR, 1, 7, ANY, -2048);
	expect(enc_i(2047, 31, 0, 0, OPC_JALR), OP_JALR, 0, 31, ANY, 2047);
}

static void test_branches(void)
{
	static const struct {
		enum op op;
		unsigned f3;
	} br[] = {
		{ OP_BEQ, 0 }, { OP_BNE, 1 },  { OP_BLT, 4 },
		{ OP_BGE, 5 }, { OP_BLTU, 6 }, { OP_BGEU, 7 },
	};
	for (unsigned i = 0; i < sizeof(br) / sizeof(br[0]); i++) {
		/* B: 13-bit, even, +-4 KiB; rd does not exist (bits 11:7 are imm). */
		expect(enc_b(-4096, 9, 8, br[i].f3, OPC_BRANCH), br[i].op, ANY, 8, 9, -4096);
		expect(enc_b(4094, 31, 1, br[i].f3, OPC_BRANCH), br[i].op, ANY, 1, 31, 4094);
		expect(enc_b(-2, 0, 0, br[i].f3, OPC_BRANCH), br[i].op, ANY, 0, 0, -2);
		expect(enc_b(0x800, 2, 3, br[i].f3, OPC_BRANCH), br[i].op, ANY, 3, 2, 0x800);
		expect(enc_b(0x7fe, 2, 3, br[i].f3, OPC_BRANCH), br[i].op, ANY, 3, 2, 0x7fe);
	}
}

static void test_loads_stores(void)
{
	static const struct {
		enum op op;
		unsigned f3;
	} ld[] = {
		{ OP_LB, 0 },  { OP_LH, 1 },  { OP_LW, 2 },  { OP_LD, 3 },
		{ OP_LBU, 4 }, { OP_LHU, 5 }, { OP_LWU, 6 },
	};
	static const struct {
		enum op op;
		unsigned f3;
	} st[] = {
		{ OP_SB, 0 },
		{ OP_SH, 1 },
		{ OP_SW, 2 },
		{ OP_SD, 3 },
	};
	for (unsigned i = 0; i < sizeof(ld) / sizeof(ld[0]); i++) {
		expect(enc_i(-2048, 2, ld[i].f3, 10, OPC_LOAD), ld[i].op, 10, 2, ANY, -2048);
		expect(enc_i(2047, 31, ld[i].f3, 0, OPC_LOAD), ld[i].op, 0, 31, ANY, 2047);
		expect(enc_i(-1, 0, ld[i].f3, 31, OPC_LOAD), ld[i].op, 31, 0, ANY, -1);
	}
	for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		/* S: rs2 is the data, rs1 the base; imm split over 31:25 and 11:7. */
		expect(enc_s(-2048, 5, 2, st[i].f3, OPC_STORE), st[i].op, ANY, 2, 5, -2048);
		expect(enc_s(2047, 31, 1, st[i].f3, OPC_STORE), st[i].op, ANY, 1, 31, 2047);
		expect(enc_s(-1, 0, 0, st[i].f3, OPC_STORE), st[i].op, ANY, 0, 0, -1);
		expect(enc_s(0x1f, 3, 4, st[i].f3, OPC_STORE), st[i].op, ANY, 4, 3, 0x1f);
		expect(enc_s(0x7e0, 3, 4, st[i].f3, OPC_STORE), st[i].op, ANY, 4, 3, 0x7e0);
	}
}

static void test_op_imm(void)
{
	static const struct {
		enum op op;
		unsigned f3;
	} alu[] = {
		{ OP_ADDI, 0 }, { OP_SLTI, 2 }, { OP_SLTIU, 3 },
		{ OP_XORI, 4 }, { OP_ORI, 6 },  { OP_ANDI, 7 },
	};
	for (unsigned i = 0; i < sizeof(alu) / sizeof(alu[0]); i++) {
		expect(enc_i(-2048, 1, alu[i].f3, 2, OPC_OP_IMM), alu[i].op, 2, 1, ANY, -2048);
		expect(enc_i(2047, 30, alu[i].f3, 0, OPC_OP_IMM), alu[i].op, 0, 30, ANY, 2047);
		expect(enc_i(-1, 0, alu[i].f3, 31, OPC_OP_IMM), alu[i].op, 31, 0, ANY, -1);
	}
	/* RV64 shifts: 6-bit shamt in 25:20, funct6 in 31:26 (2.4.1, 5.2.1);
	 * imm is the shift amount. */
	expect(enc_i(0, 3, 1, 4, OPC_OP_IMM), OP_SLLI, 4, 3, ANY, 0);
	expect(enc_i(63, 3, 1, 4, OPC_OP_IMM), OP_SLLI, 4, 3, ANY, 63);
	expect(enc_i(32, 3, 1, 0, OPC_OP_IMM), OP_SLLI, 0, 3, ANY, 32);
	expect(enc_i(63, 5, 5, 6, OPC_OP_IMM), OP_SRLI, 6, 5, ANY, 63);
	expect(enc_i(1, 5, 5, 6, OPC_OP_IMM), OP_SRLI, 6, 5, ANY, 1);
	expect(enc_i(0x400 | 63, 7, 5, 8, OPC_OP_IMM), OP_SRAI, 8, 7, ANY, 63);
	expect(enc_i(0x400 | 0, 7, 5, 8, OPC_OP_IMM), OP_SRAI, 8, 7, ANY, 0);
	expect(enc_i(0x400 | 33, 7, 5, 8, OPC_OP_IMM), OP_SRAI, 8, 7, ANY, 33);
	/* OP-IMM-32 (5.2.1): ADDIW with a 12-bit imm, W shifts with 5 bits. */
	expect(enc_i(-2048, 9, 0, 10, OPC_OP_IMM_32), OP_ADDIW, 10, 9, ANY, -2048);
	expect(enc_i(2047, 9, 0, 0, OPC_OP_IMM_32), OP_ADDIW, 0, 9, ANY, 2047);
	expect(enc_r(0x00, 31, 11, 1, 12, OPC_OP_IMM_32), OP_SLLIW, 12, 11, ANY, 31);
	expect(enc_r(0x00, 0, 11, 1, 12, OPC_OP_IMM_32), OP_SLLIW, 12, 11, ANY, 0);
	expect(enc_r(0x00, 31, 13, 5, 14, OPC_OP_IMM_32), OP_SRLIW, 14, 13, ANY, 31);
	expect(enc_r(0x20, 31, 15, 5, 16, OPC_OP_IMM_32), OP_SRAIW, 16, 15, ANY, 31);
	expect(enc_r(0x20, 1, 15, 5, 0, OPC_OP_IMM_32), OP_SRAIW, 0, 15, ANY, 1);
}

static void test_op(void)
{
	static const struct {
		enum op op;
		unsigned f7, f3;
	} rr[] = {
		{ OP_ADD, 0, 0 },    { OP_SUB, 0x20, 0 }, { OP_SLL, 0, 1 }, { OP_SLT, 0, 2 },
		{ OP_SLTU, 0, 3 },   { OP_XOR, 0, 4 },    { OP_SRL, 0, 5 }, { OP_SRA, 0x20, 5 },
		{ OP_OR, 0, 6 },     { OP_AND, 0, 7 },    { OP_MUL, 1, 0 }, { OP_MULH, 1, 1 },
		{ OP_MULHSU, 1, 2 }, { OP_MULHU, 1, 3 },  { OP_DIV, 1, 4 }, { OP_DIVU, 1, 5 },
		{ OP_REM, 1, 6 },    { OP_REMU, 1, 7 },
	};
	static const struct {
		enum op op;
		unsigned f7, f3;
	} rw[] = {
		{ OP_ADDW, 0, 0 },    { OP_SUBW, 0x20, 0 }, { OP_SLLW, 0, 1 }, { OP_SRLW, 0, 5 },
		{ OP_SRAW, 0x20, 5 }, { OP_MULW, 1, 0 },    { OP_DIVW, 1, 4 }, { OP_DIVUW, 1, 5 },
		{ OP_REMW, 1, 6 },    { OP_REMUW, 1, 7 },
	};
	for (unsigned i = 0; i < sizeof(rr) / sizeof(rr[0]); i++) {
		expect(enc_r(rr[i].f7, 3, 2, rr[i].f3, 1, OPC_OP), rr[i].op, 1, 2, 3, 0);
		expect(enc_r(rr[i].f7, 31, 30, rr[i].f3, 0, OPC_OP), rr[i].op, 0, 30, 31, 0);
	}
	for (unsigned i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
		expect(enc_r(rw[i].f7, 3, 2, rw[i].f3, 1, OPC_OP_32), rw[i].op, 1, 2, 3, 0);
		expect(enc_r(rw[i].f7, 0, 31, rw[i].f3, 0, OPC_OP_32), rw[i].op, 0, 31, 0, 0);
	}
}

static void test_system_and_fence(void)
{
	/* FENCE: fm/pred/succ are ignored (FENCE.TSO and PAUSE are FENCEs). */
	expect(enc_i(0x0ff, 0, 0, 0, OPC_MISC_MEM), OP_FENCE, ANY, ANY, ANY, 0);
	expect(0x8330000f, OP_FENCE, ANY, ANY, ANY, 0); /* fence.tso */
	expect(0x0100000f, OP_FENCE, ANY, ANY, ANY, 0); /* pause */
	expect(enc_i(0, 0, 1, 0, OPC_MISC_MEM), OP_FENCE_I, ANY, ANY, ANY, 0);
	/* Privileged instructions (privileged spec 9 table 9.1). */
	expect(0x00000073, OP_ECALL, ANY, ANY, ANY, 0);
	expect(0x00100073, OP_EBREAK, ANY, ANY, ANY, 0);
	expect(0x30200073, OP_MRET, ANY, ANY, ANY, 0);
	expect(0x10200073, OP_SRET, ANY, ANY, ANY, 0);
	expect(0x10500073, OP_WFI, ANY, ANY, ANY, 0);
	expect(enc_r(0x09, 11, 10, 0, 0, OPC_SYSTEM), OP_SFENCE_VMA, ANY, 10, 11, 0);
	expect(enc_r(0x09, 0, 0, 0, 0, OPC_SYSTEM), OP_SFENCE_VMA, ANY, 0, 0, 0);
	/* Zicsr: imm = the CSR number (12 bits, not sign-extended), rs1 = the
	 * source register or the 5-bit uimm. */
	static const struct {
		enum op op;
		unsigned f3;
	} csr[] = {
		{ OP_CSRRW, 1 },  { OP_CSRRS, 2 },  { OP_CSRRC, 3 },
		{ OP_CSRRWI, 5 }, { OP_CSRRSI, 6 }, { OP_CSRRCI, 7 },
	};
	for (unsigned i = 0; i < sizeof(csr) / sizeof(csr[0]); i++) {
		expect(enc_i(0xfff, 31, csr[i].f3, 10, OPC_SYSTEM), csr[i].op, 10, 31, ANY, 0xfff);
		expect(enc_i(0x800, 1, csr[i].f3, 0, OPC_SYSTEM), csr[i].op, 0, 1, ANY, 0x800);
		expect(enc_i(0x300, 0, csr[i].f3, 5, OPC_SYSTEM), csr[i].op, 5, 0, ANY, 0x300);
	}
}

static void test_atomics(void)
{
	/* funct5 of every AMO (unprivileged spec 8.4 table / chapter 24). */
	static const unsigned amo[] = { 0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c };
	for (unsigned aqrl = 0; aqrl < 4; aqrl++) {
		expect(enc_amo(0x02, aqrl, 0, 6, 2, 5), OP_LR, 5, 6, 0, 0x02);
		expect(enc_amo(0x02, aqrl, 0, 31, 3, 0), OP_LR, 0, 31, 0, 0x02 | AMO_D);
		expect(enc_amo(0x03, aqrl, 7, 6, 2, 5), OP_SC, 5, 6, 7, 0x03);
		expect(enc_amo(0x03, aqrl, 31, 1, 3, 0), OP_SC, 0, 1, 31, 0x03 | AMO_D);
	}
	for (unsigned i = 0; i < sizeof(amo) / sizeof(amo[0]); i++) {
		expect(enc_amo(amo[i], 1, 11, 12, 2, 10), OP_AMO, 10, 12, 11, (int32_t)amo[i]);
		expect(enc_amo(amo[i], 2, 31, 1, 3, 0), OP_AMO, 0, 1, 31,
		       (int32_t)(amo[i] | AMO_D));
	}
}

/* Every op the decoder can produce came out of some word above;
 * OP_DECODE and OP_END_PAGE are the code cache's, never the decoder's. */
static void test_coverage(void)
{
	for (unsigned op = 0; op < OP_COUNT; op++) {
		if (op == OP_DECODE || op == OP_END_PAGE || op == OP_ILLEGAL)
			continue;
		CHECK(seen[op] > 0, "op %s never decoded by this test", op_name(op));
	}
	CHECK(seen[OP_DECODE] == 0 && seen[OP_END_PAGE] == 0,
	      "the decoder produced %u DECODE, %u END_PAGE", seen[OP_DECODE], seen[OP_END_PAGE]);
	CHECK(strcmp(op_name(OP_COUNT), "?") == 0, "op_name(OP_COUNT) = %s", op_name(OP_COUNT));
	CHECK(strcmp(op_name(OP_SFENCE_VMA), "SFENCE_VMA") == 0, "op_name(OP_SFENCE_VMA) = %s",
	      op_name(OP_SFENCE_VMA));
}

/* ---- illegal encodings ---- */

static void test_illegal_reserved_fields(void)
{
	expect_illegal(enc_i(0, 1, 7, 2, OPC_LOAD), "LOAD funct3 7 (no LDU in RV64)");
	for (unsigned f3 = 4; f3 < 8; f3++)
		expect_illegal(enc_s(0, 1, 2, f3, OPC_STORE), "STORE funct3 4-7");
	expect_illegal(enc_b(8, 1, 2, 2, OPC_BRANCH), "BRANCH funct3 2");
	expect_illegal(enc_b(8, 1, 2, 3, OPC_BRANCH), "BRANCH funct3 3");
	for (unsigned f3 = 1; f3 < 8; f3++)
		expect_illegal(enc_i(0, 1, f3, 2, OPC_JALR), "JALR funct3 != 0");
	/* OP: funct7 0x20 only with ADD/SRL (SUB/SRA); other funct7 values. */
	static const unsigned f3_no_alt[] = { 1, 2, 3, 4, 6, 7 };
	for (unsigned i = 0; i < 6; i++)
		expect_illegal(enc_r(0x20, 1, 2, f3_no_alt[i], 3, OPC_OP), "OP funct7 0x20");
	expect_illegal(enc_r(0x02, 1, 2, 0, 3, OPC_OP), "OP funct7 0x02");
	expect_illegal(enc_r(0x40, 1, 2, 0, 3, OPC_OP), "OP funct7 0x40");
	expect_illegal(enc_r(0x21, 1, 2, 0, 3, OPC_OP), "OP funct7 0x21");
	expect_illegal(enc_r(0x7f, 1, 2, 5, 3, OPC_OP), "OP funct7 0x7f");
	/* OP-32: only ADDW/SUBW/SLLW/SRLW/SRAW and the M W-forms. */
	for (unsigned f3 = 2; f3 < 5; f3++)
		expect_illegal(enc_r(0x00, 1, 2, f3, 3, OPC_OP_32), "OP-32 funct3 2-4, funct7 0");
	expect_illegal(enc_r(0x00, 1, 2, 6, 3, OPC_OP_32), "OP-32 funct3 6");
	expect_illegal(enc_r(0x00, 1, 2, 7, 3, OPC_OP_32), "OP-32 funct3 7");
	expect_illegal(enc_r(0x20, 1, 2, 1, 3, OPC_OP_32), "SLLW with funct7 0x20");
	for (unsigned f3 = 1; f3 < 4; f3++)
		expect_illegal(enc_r(0x01, 1, 2, f3, 3, OPC_OP_32), "MULHW-like (no W form)");
	expect_illegal(enc_r(0x02, 1, 2, 0, 3, OPC_OP_32), "OP-32 funct7 0x02");
	/* OP-IMM-32: funct3 other than 0, 1, 5. */
	static const unsigned f3_imm32[] = { 2, 3, 4, 6, 7 };
	for (unsigned i = 0; i < 5; i++)
		expect_illegal(enc_i(0, 1, f3_imm32[i], 2, OPC_OP_IMM_32),
			       "OP-IMM-32 reserved funct3");
	expect_illegal(enc_i(0, 1, 4, 2, OPC_SYSTEM), "SYSTEM funct3 4");
	expect_illegal(enc_i(0, 0, 2, 0, OPC_MISC_MEM), "MISC-MEM funct3 2");
	for (unsigned f3 = 3; f3 < 8; f3++)
		expect_illegal(enc_i(0, 0, f3, 0, OPC_MISC_MEM), "MISC-MEM funct3 3-7");
}

static void test_illegal_shifts(void)
{
	/* RV64 W shifts with shamt[5] (bit 25) set are reserved (5.2.1). */
	expect_illegal(enc_r(0x01, 0, 1, 1, 2, OPC_OP_IMM_32), "SLLIW shamt bit 5");
	expect_illegal(enc_r(0x01, 31, 1, 5, 2, OPC_OP_IMM_32), "SRLIW shamt bit 5");
	expect_illegal(enc_r(0x21, 31, 1, 5, 2, OPC_OP_IMM_32), "SRAIW shamt bit 5");
	expect_illegal(enc_r(0x10, 3, 1, 5, 2, OPC_OP_IMM_32), "SRxIW funct7 0x10");
	expect_illegal(enc_r(0x20, 3, 1, 1, 2, OPC_OP_IMM_32), "SLLIW funct7 0x20");
	/* RV64 OP-IMM shifts: funct6 in 31:26 must be 0 (SLLI, SRLI) or
	 * 0x10 (SRAI). */
	expect_illegal(enc_i(0x400 | 3, 1, 1, 2, OPC_OP_IMM), "SLLI funct6 0x10");
	expect_illegal(enc_i(0x800, 1, 1, 2, OPC_OP_IMM), "SLLI funct6 0x20");
	expect_illegal(enc_i(0x440 | 1, 1, 5, 2, OPC_OP_IMM), "SRAI funct6 0x11");
	expect_illegal(enc_i(0x800 | 1, 1, 5, 2, OPC_OP_IMM), "SRxI funct6 0x20");
	expect_illegal(enc_i(0xc00, 1, 5, 2, OPC_OP_IMM), "SRxI funct6 0x30");
	expect_illegal(enc_i(0x040 | 5, 1, 5, 2, OPC_OP_IMM), "SRxI funct6 0x01");
}

static void test_illegal_atomics(void)
{
	for (unsigned rs2 = 1; rs2 < 32; rs2 += 15)
		expect_illegal(enc_amo(0x02, 0, rs2, 1, 2, 3), "LR.W with rs2 != 0");
	expect_illegal(enc_amo(0x02, 3, 1, 1, 3, 3), "LR.D with rs2 != 0");
	static const unsigned widths[] = { 0, 1, 4, 5, 6, 7 };
	for (unsigned i = 0; i < 6; i++) {
		expect_illegal(enc_amo(0x00, 0, 1, 2, widths[i], 3), "AMOADD width not W/D");
		expect_illegal(enc_amo(0x02, 0, 0, 2, widths[i], 3), "LR width not W/D");
		expect_illegal(enc_amo(0x03, 0, 1, 2, widths[i], 3), "SC width not W/D");
	}
	static const unsigned bad_f5[] = { 0x05, 0x06, 0x07, 0x09, 0x0d,
					   0x11, 0x15, 0x19, 0x1d, 0x1f };
	for (unsigned i = 0; i < sizeof(bad_f5) / sizeof(bad_f5[0]); i++)
		expect_illegal(enc_amo(bad_f5[i], 0, 1, 2, 2, 3), "AMO reserved funct5");
}

static void test_illegal_system(void)
{
	expect_illegal(0x000000f3, "ECALL with rd != 0");
	expect_illegal(0x00008073, "ECALL with rs1 != 0");
	expect_illegal(0x00100573, "EBREAK with rd != 0");
	expect_illegal(0x00200073, "URET (N extension, absent)");
	expect_illegal(0x30200573, "MRET with rd != 0");
	expect_illegal(0x30208073, "MRET with rs1 != 0");
	expect_illegal(0x10208073, "SRET with rs1 != 0");
	expect_illegal(0x10500f73, "WFI with rd != 0");
	expect_illegal(0x10600073, "funct12 0x106");
	expect_illegal(0x7b200073, "DRET (debug mode, absent)");
	expect_illegal(0x70200073, "MNRET (Smrnmi, absent)");
	expect_illegal(enc_r(0x09, 2, 1, 0, 5, OPC_SYSTEM), "SFENCE.VMA with rd != 0");
	expect_illegal(enc_r(0x11, 2, 1, 0, 0, OPC_SYSTEM), "HFENCE.VVMA (H, not decoded)");
	expect_illegal(enc_r(0x31, 2, 1, 0, 0, OPC_SYSTEM), "HFENCE.GVMA (H, not decoded)");
	expect_illegal(enc_r(0x0b, 2, 1, 0, 0, OPC_SYSTEM), "SINVAL.VMA (Svinval, absent)");
	expect_illegal(0x18000073, "SFENCE.W.INVAL (Svinval, absent)");
	expect_illegal(0x00000173, "funct3 0 word with only rd set");
	expect_illegal(0x80000073, "funct3 0 word with funct12 0x800");
}

static void test_illegal_whole_words(void)
{
	expect_illegal(0x00000000, "all zeros (defined illegal, 2.2)");
	expect_illegal(0xffffffff, "all ones (defined illegal, 2.2)");
	/* Compressed-looking words: bits 1:0 != 11 (no C extension). */
	static const uint32_t legal[] = { 0x00a50533, 0xfff50513, 0xfe513c23, 0x00000073,
					  0x0000000f };
	for (unsigned i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
		for (uint32_t low = 0; low < 3; low++)
			expect_illegal((legal[i] & ~3u) | low,
				       "bits 1:0 != 11 (compressed encoding)");
	expect_illegal(0x00000001, "c.nop");
	expect_illegal(0x00004501, "c.li a0,0 in the low half");
	/* Longer encodings (bits 4:2 = 111) and absent extensions. */
	expect_illegal(0x0000001f, "48-bit instruction prefix");
	expect_illegal(0x0000003f, "64-bit instruction prefix");
	expect_illegal(0x0000007f, ">= 80-bit instruction prefix");
	expect_illegal(0x00053007, "FLD (no D)");
	expect_illegal(0x00a53027, "FSD (no D)");
	expect_illegal(0x00b50553, "FADD.S (no F)");
	expect_illegal(0x00b50543, "FMADD.S (no F)");
	expect_illegal(0x0000000b, "custom-0");
	expect_illegal(0x0000002b, "custom-1");
	expect_illegal(0x00000057, "OP-V (no V)");
	expect_illegal(0x00000077, "reserved opcode 0x77 (OP-P)");
}

int main(void)
{
	test_encoder();
	test_upper_and_jumps();
	test_branches();
	test_loads_stores();
	test_op_imm();
	test_op();
	test_system_and_fence();
	test_atomics();
	test_coverage();
	test_illegal_reserved_fields();
	test_illegal_shifts();
	test_illegal_atomics();
	test_illegal_system();
	test_illegal_whole_words();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
