/*
 * decode.c - instruction decoder for RV64IMA, Zicsr, Zifencei and the
 * privileged instructions (see decode.h for the contract).
 *
 * Encodings: RISC-V Unprivileged ISA 20191213, chapter 24 (opcode map and
 * instruction listings); privileged instructions: Privileged ISA 20211203,
 * chapter 9 (table 9.1 / "Privileged instruction listing").
 */
#include "decode.h"

#include <string.h>

static const char *const op_names[] = {
#define X(name) #name,
#include "ops.def"
#undef X
};

const char *op_name(unsigned op)
{
	return op < OP_COUNT ? op_names[op] : "?";
}

static int32_t imm_i(uint32_t w)
{
	return (int32_t)w >> 20;
}

/* Sign bits are built in uint32_t: shifting a negative int left is
 * undefined in C11 (6.5.7p4). */
static uint32_t sign(uint32_t w, unsigned at)
{
	return (uint32_t)((int32_t)w >> 31) << at;
}

static int32_t imm_s(uint32_t w)
{
	return (int32_t)(sign(w, 11) | ((w >> 20) & 0x7e0) | ((w >> 7) & 0x1f));
}

static int32_t imm_b(uint32_t w)
{
	return (int32_t)(sign(w, 12) | ((w >> 7 & 1) << 11) | ((w >> 25 & 0x3f) << 5) |
			 ((w >> 8 & 0xf) << 1));
}

static int32_t imm_j(uint32_t w)
{
	return (int32_t)(sign(w, 20) | (w & 0xff000) | ((w >> 20 & 1) << 11) |
			 ((w >> 21 & 0x3ff) << 1));
}

static void set(struct insn *in, enum op op, int32_t imm)
{
	in->op = (uint8_t)op;
	in->imm = imm;
}

static void illegal(struct insn *in, uint32_t w)
{
	in->rd = 32;
	in->rs1 = in->rs2 = 0;
	set(in, OP_ILLEGAL, (int32_t)w);
}

static void decode_load(uint32_t w, unsigned f3, struct insn *in)
{
	static const enum op ops[8] = { OP_LB,  OP_LH,  OP_LW,  OP_LD,
					OP_LBU, OP_LHU, OP_LWU, OP_ILLEGAL };
	if (ops[f3] == OP_ILLEGAL)
		return illegal(in, w);
	set(in, ops[f3], imm_i(w));
}

static void decode_store(uint32_t w, unsigned f3, struct insn *in)
{
	static const enum op ops[4] = { OP_SB, OP_SH, OP_SW, OP_SD };
	if (f3 > 3)
		return illegal(in, w);
	set(in, ops[f3], imm_s(w));
}

static void decode_branch(uint32_t w, unsigned f3, struct insn *in)
{
	static const enum op ops[8] = { OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
					OP_BLT, OP_BGE, OP_BLTU,    OP_BGEU };
	if (ops[f3] == OP_ILLEGAL)
		return illegal(in, w);
	set(in, ops[f3], imm_b(w));
}

/* OP-IMM (RV64: 6-bit shamt) and OP-IMM-32 (5-bit shamt). */
static void decode_op_imm(uint32_t w, unsigned f3, int word, struct insn *in)
{
	unsigned f7 = w >> 25, f6 = w >> 26;
	unsigned shamt = (w >> 20) & (word ? 0x1f : 0x3f);
	int sh_ok = word ? (f7 == 0 || f7 == 0x20) : (f6 == 0 || f6 == 0x10);
	int arith = word ? f7 == 0x20 : f6 == 0x10;
	static const enum op ops[8] = { OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
					OP_XORI, OP_SRLI, OP_ORI,  OP_ANDI };
	if (word) {
		if (f3 == 0)
			return set(in, OP_ADDIW, imm_i(w));
		if (f3 == 1 && f7 == 0)
			return set(in, OP_SLLIW, (int32_t)shamt);
		if (f3 == 5 && sh_ok)
			return set(in, arith ? OP_SRAIW : OP_SRLIW, (int32_t)shamt);
		return illegal(in, w);
	}
	if (f3 == 1)
		return f6 == 0 ? set(in, OP_SLLI, (int32_t)shamt) : illegal(in, w);
	if (f3 == 5)
		return sh_ok ? set(in, arith ? OP_SRAI : OP_SRLI, (int32_t)shamt) : illegal(in, w);
	set(in, ops[f3], imm_i(w));
}

static void decode_op(uint32_t w, unsigned f3, struct insn *in)
{
	static const enum op base[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
					 OP_XOR, OP_SRL, OP_OR,  OP_AND };
	static const enum op mul[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
					OP_DIV, OP_DIVU, OP_REM,    OP_REMU };
	unsigned f7 = w >> 25;
	if (f7 == 0)
		return set(in, base[f3], 0);
	if (f7 == 1)
		return set(in, mul[f3], 0);
	if (f7 == 0x20 && f3 == 0)
		return set(in, OP_SUB, 0);
	if (f7 == 0x20 && f3 == 5)
		return set(in, OP_SRA, 0);
	illegal(in, w);
}

static void decode_op32(uint32_t w, unsigned f3, struct insn *in)
{
	unsigned f7 = w >> 25;
	if (f7 == 0 && f3 == 0)
		return set(in, OP_ADDW, 0);
	if (f7 == 0x20 && f3 == 0)
		return set(in, OP_SUBW, 0);
	if (f7 == 0 && f3 == 1)
		return set(in, OP_SLLW, 0);
	if (f7 == 0 && f3 == 5)
		return set(in, OP_SRLW, 0);
	if (f7 == 0x20 && f3 == 5)
		return set(in, OP_SRAW, 0);
	if (f7 == 1) {
		static const enum op m[8] = { OP_MULW, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL,
					      OP_DIVW, OP_DIVUW,   OP_REMW,    OP_REMUW };
		if (m[f3] != OP_ILLEGAL)
			return set(in, m[f3], 0);
	}
	illegal(in, w);
}

/* A extension: funct5 in bits 31:27, width in funct3 (2 = .w, 3 = .d). */
static void decode_amo(uint32_t w, unsigned f3, struct insn *in)
{
	unsigned f5 = w >> 27;
	int32_t fn = (int32_t)(f5 | (f3 == 3 ? AMO_D : 0));
	if (f3 != 2 && f3 != 3)
		return illegal(in, w);
	switch (f5) {
	case 0x02: /* LR: rs2 must be 0 */
		if (in->rs2 != 0)
			return illegal(in, w);
		return set(in, OP_LR, fn);
	case 0x03: return set(in, OP_SC, fn);
	case 0x00:
	case 0x01:
	case 0x04:
	case 0x08:
	case 0x0c:
	case 0x10:
	case 0x14:
	case 0x18:
	case 0x1c: return set(in, OP_AMO, fn);
	}
	illegal(in, w);
}

static void decode_system(uint32_t w, unsigned f3, struct insn *in)
{
	static const enum op csr[8] = { OP_ILLEGAL, OP_CSRRW,  OP_CSRRS,  OP_CSRRC,
					OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI };
	unsigned rd = (w >> 7) & 0x1f, rs1 = (w >> 15) & 0x1f;
	if (f3 != 0) {
		if (csr[f3] == OP_ILLEGAL)
			return illegal(in, w);
		return set(in, csr[f3], (int32_t)(w >> 20));
	}
	if (w == 0x00000073)
		return set(in, OP_ECALL, 0);
	if (w == 0x00100073)
		return set(in, OP_EBREAK, 0);
	if (w == 0x30200073)
		return set(in, OP_MRET, 0);
	if (w == 0x10200073)
		return set(in, OP_SRET, 0);
	if (w == 0x10500073)
		return set(in, OP_WFI, 0);
	if ((w >> 25) == 0x09 && rd == 0)
		return set(in, OP_SFENCE_VMA, 0);
	(void)rs1;
	illegal(in, w);
}

void decode(uint32_t w, struct insn *in)
{
	unsigned opc = w & 0x7f, f3 = (w >> 12) & 7;
	unsigned rd = (w >> 7) & 0x1f;
	in->rd = (uint8_t)(rd ? rd : 32);
	in->rs1 = (uint8_t)((w >> 15) & 0x1f);
	in->rs2 = (uint8_t)((w >> 20) & 0x1f);
	switch (opc) {
	case 0x37: return set(in, OP_LUI, (int32_t)(w & 0xfffff000));
	case 0x17: return set(in, OP_AUIPC, (int32_t)(w & 0xfffff000));
	case 0x6f: return set(in, OP_JAL, imm_j(w));
	case 0x67: return f3 == 0 ? set(in, OP_JALR, imm_i(w)) : illegal(in, w);
	case 0x63: return decode_branch(w, f3, in);
	case 0x03: return decode_load(w, f3, in);
	case 0x23: return decode_store(w, f3, in);
	case 0x13: return decode_op_imm(w, f3, 0, in);
	case 0x1b: return decode_op_imm(w, f3, 1, in);
	case 0x33: return decode_op(w, f3, in);
	case 0x3b: return decode_op32(w, f3, in);
	case 0x2f: return decode_amo(w, f3, in);
	case 0x0f:
		/* FENCE (f3=0; fm/pred/succ ignored: the engine is sequentially
		 * consistent) and FENCE.I (f3=1). */
		if (f3 == 0)
			return set(in, OP_FENCE, 0);
		if (f3 == 1)
			return set(in, OP_FENCE_I, 0);
		return illegal(in, w);
	case 0x73: return decode_system(w, f3, in);
	}
	illegal(in, w);
}
