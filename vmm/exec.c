/*
 * exec.c - the executor: threaded dispatch over pre-decoded code pages.
 *
 * How it is fast: each struct insn carries the address of its handler
 * (GCC's labels-as-values), so dispatch is one indirect jump; execution
 * stays inside a decoded 4 KiB page until a branch leaves it, so the modeled
 * ITLB is consulted only when the page changes (exact: every ITLB change
 * ends the block, see mmu.h); loads and stores hit a direct-mapped host-page
 * cache before any translation.  Counters are kept in locals (n retired
 * instructions, extra cycles) and synced before anything can observe them.
 *
 * How it stays exact: the budget (slice end) is checked at every taken
 * branch, jump and page end, so a slice ends at a deterministic instruction
 * count; interrupts are taken at those points too.  Rarely executed
 * instructions (system, CSR, atomics) live in sys_*() helpers below.
 */
#include "exec.h"

#include <string.h>

#include "code_cache.h"
#include "csr.h"
#include "hv.h"
#include "machine.h"
#include "mmu.h"
#include "pmp.h"
#include "sbi.h"
#include "trace.h"
#include "trap.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define PAGE_MASK (~0xfffull)

/* What a system helper asks the dispatch loop to do next. */
enum next { NX_NEXT, NX_RESYNC, NX_TRAPPED };

/* Consecutive traps without a retired instruction before the run is ended:
 * a handler whose own first fetch faults would otherwise loop forever. */
#define TRAP_STORM_LIMIT 64

static uint32_t insn_word(struct hart *h, const struct code_page *cp, const struct insn *ip)
{
	uint32_t w;
	memcpy(&w, h->m->ram + (cp->paddr - RAM_BASE) + 4 * (size_t)(ip - cp->slot), 4);
	return w;
}

static enum next illegal(struct hart *h, uint32_t word)
{
	hart_raise(h, EXC_ILLEGAL, word);
	return NX_TRAPPED;
}

/* CSRRW/S/C and their immediate forms (Zicsr, unprivileged spec ch. 9). */
static enum next sys_csr(struct hart *h, const struct insn *ip, uint32_t word)
{
	unsigned csr = (unsigned)ip->imm & 0xfff;
	uint64_t src = (ip->op >= OP_CSRRWI) ? ip->rs1 : h->x[ip->rs1];
	uint64_t old = 0, nv;
	bool rw = ip->op == OP_CSRRW || ip->op == OP_CSRRWI;
	bool do_read = !rw || ip->rd != 32;
	bool do_write = rw || ip->rs1 != 0;
	if (do_read && csr_read(h, csr, &old))
		return illegal(h, word);
	nv = rw ? src : (ip->op == OP_CSRRS || ip->op == OP_CSRRSI) ? old | src : old & ~src;
	if (do_write && csr_write(h, csr, nv))
		return illegal(h, word);
	h->x[ip->rd] = old;
	h->pc += 4;
	return NX_RESYNC;
}

static void sfence(struct hart *h, const struct insn *ip)
{
	uint64_t va = h->x[ip->rs1];
	uint32_t asid = (uint32_t)(h->x[ip->rs2] & 0xffff);
	bool all_asids = ip->rs2 == 0;
	uint64_t size = ip->rs1 == 0 ? 0 : 1;
	tlb_model_purge(&h->itlb, va, size, asid, all_asids, all_asids);
	tlb_model_purge(&h->dtlb, va, size, asid, all_asids, all_asids);
	mmu_hc_flush_all(h);
	STAT_CHARGE(h, EV_SFENCE, h->m->cfg.cost.sfence);
	TRACE(h, TLB_PURGE, 0, va, size, all_asids ? ~0ull : asid);
	if (h->vcpu) /* V=1: the guest's TLB is also the VMM's vTLB / G-stage state */
		hv_sfence(h, va, asid, all_asids, ip->rs1 == 0);
}

/* ECALL, EBREAK, xRET, WFI, SFENCE.VMA (privileged spec ch. 3.3, 4.2.1). */
static enum next sys_priv(struct hart *h, const struct insn *ip, uint32_t word)
{
	switch (ip->op) {
	case OP_ECALL:
		if (h->priv == PRV_S && h->vcpu) {
			hv_ecall(h); /* the VMM is the firmware (SBI) and serves hypercalls */
			h->pc += 4;
			return NX_RESYNC;
		}
		if (h->priv == PRV_S && h->m->firmware) {
			sbi_ecall(h);
			h->pc += 4;
			return NX_RESYNC;
		}
		hart_raise(h,
			   h->priv == PRV_U   ? EXC_ECALL_U
			   : h->priv == PRV_S ? EXC_ECALL_S
					      : EXC_ECALL_M,
			   0);
		return NX_TRAPPED;
	case OP_EBREAK: hart_raise(h, EXC_BREAKPOINT, h->pc); return NX_TRAPPED;
	case OP_MRET: return hart_mret(h) ? illegal(h, word) : NX_RESYNC;
	case OP_SRET: return hart_sret(h) ? illegal(h, word) : NX_RESYNC;
	case OP_WFI:
		if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TW)))
			return illegal(h, word);
		h->pc += 4;
		h->st.ev[EV_WFI]++;
		if (h->vcpu)
			hv_wfi(h); /* halt exit */
		if (!(h->mip & h->mie))
			h->wfi = true;
		return NX_RESYNC;
	case OP_SFENCE_VMA:
		if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)))
			return illegal(h, word);
		sfence(h, ip);
		h->pc += 4;
		return NX_RESYNC;
	}
	return illegal(h, word);
}

static uint64_t amo_op(unsigned f5, uint64_t a, uint64_t b, bool d)
{
	int64_t sa = d ? (int64_t)a : (int32_t)a, sb = d ? (int64_t)b : (int32_t)b;
	uint64_t ua = d ? a : (uint32_t)a, ub = d ? b : (uint32_t)b;
	switch (f5) {
	case 0x01: return b;               /* AMOSWAP */
	case 0x00: return a + b;           /* AMOADD */
	case 0x04: return a ^ b;           /* AMOXOR */
	case 0x0c: return a & b;           /* AMOAND */
	case 0x08: return a | b;           /* AMOOR */
	case 0x10: return sa < sb ? a : b; /* AMOMIN */
	case 0x14: return sa > sb ? a : b; /* AMOMAX */
	case 0x18: return ua < ub ? a : b; /* AMOMINU */
	default: return ua > ub ? a : b;   /* AMOMAXU */
	}
}

/* Finds guest RAM for an atomic access, raising misaligned/page/access
 * faults as the A extension requires (unprivileged spec 8.4: misaligned
 * AMOs and SCs raise store/AMO address-misaligned, LR load-misaligned). */
static uint8_t *amo_target(struct hart *h, uint64_t a, unsigned size, bool is_lr)
{
	struct xlate x;
	enum access acc = is_lr ? ACC_READ : ACC_WRITE;
	int cause;
	if (a & (size - 1)) {
		hart_raise(h, is_lr ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, a);
		return NULL;
	}
	cause = mmu_translate(h, a, acc, h->data_priv, &x);
	if (!cause && !pmp_check(h, x.paddr, acc, h->data_priv))
		cause = is_lr ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS;
	if (cause) {
		hart_raise(h, (unsigned)cause, a);
		return NULL;
	}
	if (x.paddr < RAM_BASE || x.paddr - RAM_BASE > h->m->cfg.ram_size - size) {
		hart_raise(h, is_lr ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS, a); /* not RAM */
		return NULL;
	}
	/* A store goes through phys_ram_ptr(), which keeps decoded code exact. */
	return is_lr ? h->m->ram + (x.paddr - RAM_BASE) : phys_ram_ptr(h->m, x.paddr, size);
}

/* LR/SC/AMO.  SC succeeds when this hart holds a reservation on the address
 * and memory still holds the value LR saw; reservations are also dropped
 * by traps and xRET (trap.c). */
static enum next sys_atomic(struct hart *h, const struct insn *ip)
{
	unsigned f5 = (unsigned)ip->imm & 0x1f;
	bool d = (ip->imm & AMO_D) != 0;
	unsigned size = d ? 8 : 4;
	uint64_t a = h->x[ip->rs1], old = 0, src = h->x[ip->rs2];
	uint8_t *p = amo_target(h, a, size, ip->op == OP_LR);
	if (!p)
		return NX_TRAPPED;
	memcpy(&old, p, size);
	if (!d)
		old = (uint64_t)(int64_t)(int32_t)old;
	h->cycles += h->m->cfg.cost.amo;
	if (ip->op == OP_LR) {
		h->resv_valid = true;
		h->resv_addr = a;
		h->resv_paddr = RAM_BASE + (uint64_t)(p - h->m->ram);
		h->resv_val = old;
		h->st.loads++;
		h->x[ip->rd] = old;
	} else if (ip->op == OP_SC) {
		bool ok = h->resv_valid && h->resv_addr == a && h->resv_val == old;
		if (ok) {
			memcpy(p, &src, size);
			phys_ram_stored(h->m, h, RAM_BASE + (uint64_t)(p - h->m->ram), size);
		}
		h->resv_valid = false;
		h->st.stores++;
		h->x[ip->rd] = ok ? 0 : 1;
	} else {
		uint64_t nv = amo_op(f5, old, src, d);
		memcpy(p, &nv, size);
		phys_ram_stored(h->m, h, RAM_BASE + (uint64_t)(p - h->m->ram), size);
		h->st.stores++;
		h->x[ip->rd] = old;
	}
	h->pc += 4;
	return NX_NEXT;
}

static int64_t div64(int64_t a, int64_t b)
{
	if (b == 0)
		return -1;
	if (a == INT64_MIN && b == -1)
		return a;
	return a / b;
}

static int64_t rem64(int64_t a, int64_t b)
{
	if (b == 0)
		return a;
	if (a == INT64_MIN && b == -1)
		return 0;
	return a % b;
}

static int32_t div32(int32_t a, int32_t b)
{
	if (b == 0)
		return -1;
	if (a == INT32_MIN && b == -1)
		return a;
	return a / b;
}

static int32_t rem32(int32_t a, int32_t b)
{
	if (b == 0)
		return a;
	if (a == INT32_MIN && b == -1)
		return 0;
	return a % b;
}

static const void *const *labels;

void exec_init(void)
{
	if (!labels)
		exec_run(NULL, 0);
}

#define SEXT32(v) ((uint64_t)(int64_t)(int32_t)(v))

void exec_run(struct hart *h, uint64_t slice_end)
{
	static const void *const table[] = {
#define X(name) &&L_##name,
#include "ops.def"
#undef X
	};
	if (!h) {
		labels = exec_labels = table;
		return;
	}
	/* The handlers below read as a table, one instruction per line, and
	 * clang-format 14 would write `goto * p`: keep them as written. */
	/* clang-format off */
	uint64_t *const x = h->x;
	const uint64_t cpi = h->m->cfg.cost.cpi_base, c_mul = h->m->cfg.cost.mul,
		       c_div = h->m->cfg.cost.div;
	struct hc_entry *hcr = NULL, *hcw = NULL;
	struct code_page *cp = NULL;
	struct insn *ip = NULL, *blk = NULL; /* blk: start of the straight-line run */
	uint64_t vbase = 0, n = 0, extra = 0, budget = 0, nloads = 0, nstores = 0;
	uint64_t storm_instret = ~0ull;
	unsigned storm = 0;
	enum next nx;

/* Instructions retire without a counter update; a run's length is added
 * when it ends (ip - blk).  SYNC publishes the counts. */
#define SYNC()                                                                                     \
	do {                                                                                       \
		h->instret += n;                                                                   \
		h->cycles += n * cpi + extra;                                                      \
		h->st.loads += nloads;                                                             \
		h->st.stores += nstores;                                                           \
		budget = budget > n ? budget - n : 0;                                              \
		n = nloads = nstores = extra = 0;                                                  \
	} while (0)
/* SYNC in the middle of a run, at ip (not yet retired). */
#define SYNC_AT_IP()                                                                               \
	do {                                                                                       \
		n += (uint64_t)(ip - blk);                                                         \
		blk = ip;                                                                          \
		SYNC();                                                                            \
	} while (0)
#define PC (vbase + (uint64_t)(ip - cp->slot) * 4)
#define NEXT                                                                                       \
	do {                                                                                       \
		ip++;                                                                              \
		goto *ip->label;                                                                   \
	} while (0)
#define RD x[ip->rd]
#define RS1 x[ip->rs1]
#define RS2 x[ip->rs2]
#define IMM ((int64_t)ip->imm)
/* Taken control transfer to t from the instruction at ip. */
#define JUMP(t)                                                                                    \
	do {                                                                                       \
		uint64_t t_ = (t);                                                                 \
		if (unlikely(t_ & 3)) {                                                            \
			SYNC_AT_IP();                                                              \
			h->pc = PC;                                                                \
			hart_raise(h, EXC_INSN_MISALIGNED, t_);                                    \
			goto trapped;                                                              \
		}                                                                                  \
		n += (uint64_t)(ip - blk) + 1;                                                     \
		if (unlikely(n >= budget)) {                                                       \
			h->pc = t_;                                                                \
			goto resync;                                                               \
		}                                                                                  \
		if (likely((t_ & PAGE_MASK) == vbase)) {                                           \
			blk = ip = &cp->slot[(t_ & 0xfff) >> 2];                                   \
			goto *ip->label;                                                           \
		}                                                                                  \
		h->pc = t_;                                                                        \
		goto fetch;                                                                        \
	} while (0)
#define BRANCH(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			JUMP(PC + IMM);                                                            \
		NEXT;                                                                              \
	} while (0)
/* After a slow path: the instruction retired; leave if a stop was asked. */
#define AFTER_SLOW()                                                                               \
	do {                                                                                       \
		if (unlikely(h->stop_at <= h->instret + 1 || h->m->done)) {                        \
			n++;                                                                       \
			blk = ++ip;                                                                \
			h->pc = PC;                                                                \
			goto resync;                                                               \
		}                                                                                  \
	} while (0)
#define LOAD(T, size)                                                                              \
	do {                                                                                       \
		uint64_t a_ = RS1 + IMM;                                                           \
		struct hc_entry *e_ = &hcr[(a_ >> 12) & (HC_SIZE - 1)];                            \
		T v_;                                                                              \
		nloads++;                                                                          \
		if (likely(e_->tag == (a_ & PAGE_MASK) && (a_ & 0xfff) <= 4096 - (size))) {        \
			memcpy(&v_, (const void *)(e_->val + a_), size);                        \
		} else {                                                                           \
			uint64_t w_;                                                               \
			SYNC_AT_IP();                                                              \
			h->pc = PC;                                                                \
			if (mmu_load(h, a_, size, &w_))                                            \
				goto trapped;                                                      \
			v_ = (T)w_;                                                                \
			RD = (uint64_t)v_;                                                         \
			AFTER_SLOW();                                                              \
			NEXT;                                                                      \
		}                                                                                  \
		RD = (uint64_t)v_;                                                                 \
		NEXT;                                                                              \
	} while (0)
#define STORE(T, size)                                                                             \
	do {                                                                                       \
		uint64_t a_ = RS1 + IMM;                                                           \
		struct hc_entry *e_ = &hcw[(a_ >> 12) & (HC_SIZE - 1)];                            \
		T v_ = (T)RS2;                                                                     \
		nstores++;                                                                         \
		if (likely(e_->tag == (a_ & PAGE_MASK) && (a_ & 0xfff) <= 4096 - (size))) {        \
			memcpy((void *)(e_->val + a_), &v_, size);                              \
			NEXT;                                                                      \
		}                                                                                  \
		SYNC_AT_IP();                                                                      \
		h->pc = PC;                                                                        \
		if (mmu_store(h, a_, size, RS2))                                                   \
			goto trapped;                                                              \
		AFTER_SLOW();                                                                      \
		NEXT;                                                                              \
	} while (0)

resync:
	SYNC();
	h->stop_at = slice_end;
	if (h->halted || h->m->done)
		return;
	if (hart_pending_interrupts(h))
		hart_take_interrupt(h);
	if (h->wfi || h->instret >= slice_end)
		return;
	hcr = h->hc[h->data_ctx][ACC_READ];
	hcw = h->hc[h->data_ctx][ACC_WRITE];
	budget = slice_end - h->instret;
fetch: {
	uint64_t pc = h->pc;
	struct hc_entry *e = &h->hc[h->fetch_ctx][ACC_FETCH][(pc >> 12) & (HC_SIZE - 1)];
	if (likely(e->tag == (pc & PAGE_MASK))) {
		cp = (struct code_page *)e->val;
	} else {
		SYNC();
		cp = mmu_fetch(h, pc);
		if (!cp)
			goto trapped;
		budget = slice_end > h->instret ? slice_end - h->instret : 1;
		if (h->stop_at <= h->instret)
			goto resync;
	}
	vbase = pc & PAGE_MASK;
	blk = ip = &cp->slot[(pc & 0xfff) >> 2];
	goto *ip->label;
}

trapped:
	/* A trap was raised with h->pc at the faulting instruction; it did not
	 * retire.  Guard against a trap storm that never retires anything. */
	SYNC();
	if (h->instret == storm_instret) {
		if (++storm >= TRAP_STORM_LIMIT) {
			machine_halt(h->m, 3, "hart %u: trap loop: %u traps without executing an "
				     "instruction, last at pc 0x%llx (mcause 0x%llx, mtvec 0x%llx, stvec 0x%llx)",
				     h->id, storm, (unsigned long long)h->pc,
				     (unsigned long long)h->mcause, (unsigned long long)h->mtvec,
				     (unsigned long long)h->stvec);
			h->halted = true;
		}
	} else {
		storm_instret = h->instret;
		storm = 1;
	}
	goto resync;

sys:
	/* nx was computed by a helper with h->pc set to the instruction. */
	if (nx == NX_TRAPPED)
		goto trapped;
	n++; /* retired */
	if (nx == NX_RESYNC)
		goto resync;
	blk = ++ip;
	goto *ip->label;

L_DECODE:
	code_page_decode_slot(h->m, cp, (unsigned)(ip - cp->slot));
	goto *ip->label;
L_END_PAGE:
	n += (uint64_t)(ip - blk);
	h->pc = vbase + 4096;
	if (unlikely(n >= budget))
		goto resync;
	goto fetch;
L_ILLEGAL:
	SYNC_AT_IP();
	h->pc = PC;
	hart_raise(h, EXC_ILLEGAL, (uint32_t)ip->imm);
	goto trapped;

L_LUI: RD = (uint64_t)IMM; NEXT;
L_AUIPC: RD = PC + (uint64_t)IMM; NEXT;
L_JAL: {
	uint64_t link = PC + 4, t = PC + (uint64_t)IMM;
	if (likely(!(t & 3)))
		RD = link;
	JUMP(t);
}
L_JALR: {
	uint64_t link = PC + 4, t = (RS1 + (uint64_t)IMM) & ~1ull;
	if (likely(!(t & 3)))
		RD = link;
	JUMP(t);
}
L_BEQ: BRANCH(RS1 == RS2);
L_BNE: BRANCH(RS1 != RS2);
L_BLT: BRANCH((int64_t)RS1 < (int64_t)RS2);
L_BGE: BRANCH((int64_t)RS1 >= (int64_t)RS2);
L_BLTU: BRANCH(RS1 < RS2);
L_BGEU: BRANCH(RS1 >= RS2);

L_LB: LOAD(int8_t, 1);
L_LH: LOAD(int16_t, 2);
L_LW: LOAD(int32_t, 4);
L_LD: LOAD(uint64_t, 8);
L_LBU: LOAD(uint8_t, 1);
L_LHU: LOAD(uint16_t, 2);
L_LWU: LOAD(uint32_t, 4);
L_SB: STORE(uint8_t, 1);
L_SH: STORE(uint16_t, 2);
L_SW: STORE(uint32_t, 4);
L_SD: STORE(uint64_t, 8);

L_ADDI: RD = RS1 + (uint64_t)IMM; NEXT;
L_SLTI: RD = (int64_t)RS1 < IMM; NEXT;
L_SLTIU: RD = RS1 < (uint64_t)IMM; NEXT;
L_XORI: RD = RS1 ^ (uint64_t)IMM; NEXT;
L_ORI: RD = RS1 | (uint64_t)IMM; NEXT;
L_ANDI: RD = RS1 & (uint64_t)IMM; NEXT;
L_SLLI: RD = RS1 << ip->imm; NEXT;
L_SRLI: RD = RS1 >> ip->imm; NEXT;
L_SRAI: RD = (uint64_t)((int64_t)RS1 >> ip->imm); NEXT;
L_ADD: RD = RS1 + RS2; NEXT;
L_SUB: RD = RS1 - RS2; NEXT;
L_SLL: RD = RS1 << (RS2 & 63); NEXT;
L_SLT: RD = (int64_t)RS1 < (int64_t)RS2; NEXT;
L_SLTU: RD = RS1 < RS2; NEXT;
L_XOR: RD = RS1 ^ RS2; NEXT;
L_SRL: RD = RS1 >> (RS2 & 63); NEXT;
L_SRA: RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63)); NEXT;
L_OR: RD = RS1 | RS2; NEXT;
L_AND: RD = RS1 & RS2; NEXT;
L_ADDIW: RD = SEXT32(RS1 + (uint64_t)IMM); NEXT;
L_SLLIW: RD = SEXT32((uint32_t)RS1 << ip->imm); NEXT;
L_SRLIW: RD = SEXT32((uint32_t)RS1 >> ip->imm); NEXT;
L_SRAIW: RD = SEXT32((int32_t)RS1 >> ip->imm); NEXT;
L_ADDW: RD = SEXT32(RS1 + RS2); NEXT;
L_SUBW: RD = SEXT32(RS1 - RS2); NEXT;
L_SLLW: RD = SEXT32((uint32_t)RS1 << (RS2 & 31)); NEXT;
L_SRLW: RD = SEXT32((uint32_t)RS1 >> (RS2 & 31)); NEXT;
L_SRAW: RD = SEXT32((int32_t)RS1 >> (RS2 & 31)); NEXT;

L_MUL: extra += c_mul; RD = RS1 * RS2; NEXT;
L_MULH: extra += c_mul; RD = (uint64_t)(((__int128)(int64_t)RS1 * (int64_t)RS2) >> 64); NEXT;
L_MULHSU:
	extra += c_mul;
	RD = (uint64_t)(((__int128)(int64_t)RS1 * (unsigned __int128)RS2) >> 64);
	NEXT;
L_MULHU: extra += c_mul; RD = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64); NEXT;
L_DIV: extra += c_div; RD = (uint64_t)div64((int64_t)RS1, (int64_t)RS2); NEXT;
L_DIVU: extra += c_div; RD = RS2 ? RS1 / RS2 : ~0ull; NEXT;
L_REM: extra += c_div; RD = (uint64_t)rem64((int64_t)RS1, (int64_t)RS2); NEXT;
L_REMU: extra += c_div; RD = RS2 ? RS1 % RS2 : RS1; NEXT;
L_MULW: extra += c_mul; RD = SEXT32(RS1 * RS2); NEXT;
L_DIVW: extra += c_div; RD = SEXT32(div32((int32_t)RS1, (int32_t)RS2)); NEXT;
L_DIVUW:
	extra += c_div;
	RD = SEXT32((uint32_t)RS2 ? (uint32_t)RS1 / (uint32_t)RS2 : ~0u);
	NEXT;
L_REMW: extra += c_div; RD = SEXT32(rem32((int32_t)RS1, (int32_t)RS2)); NEXT;
L_REMUW:
	extra += c_div;
	RD = SEXT32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1);
	NEXT;

L_FENCE: NEXT;
L_FENCE_I:
	/* Decoded code is kept coherent with every store (code_cache.h), so
	 * fence.i only costs time. */
	STAT_CHARGE(h, EV_FENCE_I, h->m->cfg.cost.fence_i);
	NEXT;
L_ECALL:
L_EBREAK:
L_MRET:
L_SRET:
L_WFI:
L_SFENCE_VMA:
	SYNC_AT_IP();
	h->pc = PC;
	nx = sys_priv(h, ip, insn_word(h, cp, ip));
	goto sys;
L_CSRRW:
L_CSRRS:
L_CSRRC:
L_CSRRWI:
L_CSRRSI:
L_CSRRCI:
	SYNC_AT_IP();
	h->pc = PC;
	nx = sys_csr(h, ip, insn_word(h, cp, ip));
	goto sys;
L_LR:
L_SC:
L_AMO:
	SYNC_AT_IP();
	h->pc = PC;
	nx = sys_atomic(h, ip);
	if (nx == NX_NEXT && unlikely(h->stop_at <= h->instret + 1))
		nx = NX_RESYNC;
	goto sys;

	/* clang-format on */
#undef SYNC
#undef SYNC_AT_IP
#undef PC
#undef NEXT
#undef JUMP
#undef BRANCH
#undef LOAD
#undef STORE
#undef AFTER_SLOW
}
