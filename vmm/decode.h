/*
 * decode.h - RV64IMA + Zicsr + Zifencei + privileged instruction decoder.
 *
 * Contract: decode() turns one 32-bit instruction word into a struct insn,
 * the pre-decoded form the executor runs (exec.c).  It never fails: bits it
 * does not recognise become OP_ILLEGAL with the word in imm (for mtval).
 * Writes to x0 are redirected to x[32] so the executor needs no rd==0 test.
 * Field use per op: rd/rs1/rs2 register numbers; imm the sign-extended
 * immediate; CSR ops: imm = CSR number, rs1 = source register or the uimm;
 * AMO/LR/SC: imm = funct5 | AMO_D for the 64-bit forms; SFENCE_VMA: rs1, rs2.
 */
#ifndef VMM_DECODE_H
#define VMM_DECODE_H

#include <stdint.h>

enum op {
#define X(name) OP_##name,
#include "ops.def"
#undef X
	OP_COUNT
};

struct insn {
	const void *label; /* executor's handler (filled by exec.c) */
	int32_t imm;
	uint8_t rd, rs1, rs2;
	uint8_t op; /* enum op */
};

/* Writes in->op, rd, rs1, rs2, imm (not label). */
void decode(uint32_t word, struct insn *in);
const char *op_name(unsigned op);

#define AMO_D 0x80u /* funct flag: 64-bit */

#endif
