/*
 * hart.h - the architectural state of one RV64 hart and its host fast path.
 *
 * Contract: a struct hart is owned by one machine and only touched by the
 * thread running that machine.  Privileged state follows the ratified RISC-V
 * privileged spec (20211203): M, S and U modes, mstatus/sstatus as one
 * register with views, mip/mie shared by M and S.  Svtlb state lives behind
 * h->svtlb (svtlb.h).
 */
#ifndef VMM_HART_H
#define VMM_HART_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"
#include "tlb_model.h"

struct machine;
struct svtlb;
struct vcpu;
struct code_page;

enum priv { PRV_U = 0, PRV_S = 1, PRV_M = 3 };
enum access { ACC_FETCH = 0, ACC_READ = 1, ACC_WRITE = 2 };

/* Exception causes (privileged spec table 3.6) and Svtlb's custom ones
 * (docs/platform.md, in the 24-31 range the spec designates for custom use). */
enum exc_cause {
	EXC_INSN_MISALIGNED = 0,
	EXC_INSN_ACCESS = 1,
	EXC_ILLEGAL = 2,
	EXC_BREAKPOINT = 3,
	EXC_LOAD_MISALIGNED = 4,
	EXC_LOAD_ACCESS = 5,
	EXC_STORE_MISALIGNED = 6,
	EXC_STORE_ACCESS = 7,
	EXC_ECALL_U = 8,
	EXC_ECALL_S = 9,
	EXC_ECALL_M = 11,
	EXC_INSN_PAGE = 12,
	EXC_LOAD_PAGE = 13,
	EXC_STORE_PAGE = 15,
};

enum irq_cause { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11 };

#define MIP_SSIP (1ull << IRQ_SSI)
#define MIP_MSIP (1ull << IRQ_MSI)
#define MIP_STIP (1ull << IRQ_STI)
#define MIP_MTIP (1ull << IRQ_MTI)
#define MIP_SEIP (1ull << IRQ_SEI)
#define MIP_MEIP (1ull << IRQ_MEI)

/* Host fast path: a direct-mapped cache of 4 KiB virtual pages that the
 * modeled TLB (or bare mode) currently allows for one access kind in one
 * privilege context.  tag == vpage when valid (HC_INVALID otherwise). */
#define HC_BITS 8
#define HC_SIZE (1u << HC_BITS)
#define HC_INVALID 1ull
enum hc_ctx { HC_U = 0, HC_S = 1, HC_M = 2, HC_NCTX = 3 };

struct hc_entry {
	uint64_t tag;
	/* data: host pointer = val + vaddr; fetch: the struct code_page *.
	 * 16 bytes, so an index is a shift. */
	uintptr_t val;
};

struct hart {
	uint64_t x[33]; /* x[32] is where decoded writes to x0 go */
	uint64_t pc;
	unsigned priv;
	unsigned id;

	/* Fast-path contexts: fetch uses priv, data uses the MPRV-effective
	 * privilege; kept in sync by hart_update_ctx(). */
	unsigned fetch_ctx, data_ctx, data_priv;
	struct hc_entry hc[HC_NCTX][3][HC_SIZE];

	/* Machine-level CSRs */
	uint64_t mstatus, misa, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval,
		mcounteren, menvcfg, mcountinhibit;
	uint64_t pmpcfg[16], pmpaddr[64];
	/* Supervisor-level CSRs (sstatus/sie/sip are views) */
	uint64_t stvec, sscratch, sepc, scause, stval, scounteren, satp, senvcfg;

	uint64_t instret, cycles;              /* true counts: modeled time and scheduling */
	uint64_t instret_off, cycle_off;       /* minstret/mcycle = count + offset (CSR writes) */
	uint64_t instret_frozen, cycle_frozen; /* their values while mcountinhibit stops them */
	/* Dispatch stops at the next block boundary once instret reaches this
	 * (the scheduler's slice end, or 0 to force a prompt stop). */
	uint64_t stop_at;
	bool seip_sw, seip_line; /* mip.SEIP = software bit | PLIC line (priv 3.1.9) */
	bool wfi;                /* waiting for an interrupt */
	bool halted;             /* stopped for good (machine exit) */

	/* LR/SC reservation: virtual and physical address, value loaded, valid */
	uint64_t resv_addr, resv_paddr, resv_val;
	bool resv_valid;

	struct tlb_model itlb, dtlb;
	struct svtlb *svtlb;
	/* Set when the hart is a vCPU of the hypervisor (V=1, vmm/hv.h): the
	 * engine's slow paths then hand translation, Svtlb CSRs and S-mode
	 * ecalls to the VMM.  NULL when native. */
	struct vcpu *vcpu;

	/* Tracing (tracer/trace.h): enabled categories, the tracer, and the
	 * virtualization level recorded with each event (0 for the engine). */
	uint32_t trace_mask;
	unsigned level;
	struct tracer *tracer;
	struct machine *m;
	struct hart_stats st;
};

/* Recomputes fetch_ctx/data_ctx after priv or mstatus.MPRV/MPP change. */
void hart_update_ctx(struct hart *h);
/* Raises or lowers interrupt-pending bits from a device; forces the hart out
 * of its dispatch loop so the interrupt is seen promptly. */
void hart_set_mip(struct hart *h, uint64_t mask, bool level);
/* Takes a synchronous exception at h->pc (the faulting instruction). */
void hart_raise(struct hart *h, unsigned cause, uint64_t tval);
/* Takes the highest-priority pending and enabled interrupt, if any;
 * returns true when one was taken. */
bool hart_take_interrupt(struct hart *h);

#endif
