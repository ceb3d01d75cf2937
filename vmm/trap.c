/*
 * trap.c - taking exceptions and interrupts, and returning from them.
 *
 * Rules: Privileged ISA 20211203, 3.1.6.1 (privilege and global interrupt
 * enable stack), 3.1.8 (medeleg/mideleg), 3.1.9 (mip/mie priority order
 * MEI, MSI, MTI, SEI, SSI, STI), 3.3.2 (mret/sret).
 */
#include "trap.h"

#include "csr.h"
#include "hv.h"
#include "machine.h"
#include "mmu.h"
#include "trace.h"

static unsigned hc_ctx_of(unsigned priv)
{
	return priv == PRV_M ? HC_M : priv == PRV_S ? HC_S : HC_U;
}

void hart_update_ctx(struct hart *h)
{
	unsigned dp = h->priv;
	if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV))
		dp = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	h->data_priv = dp;
	h->fetch_ctx = hc_ctx_of(h->priv);
	h->data_ctx = hc_ctx_of(dp);
}

void hart_set_mip(struct hart *h, uint64_t mask, bool level)
{
	uint64_t old = h->mip;
	h->mip = level ? (h->mip | mask) : (h->mip & ~mask);
	if (mask & MIP_SEIP) { /* the PLIC's line; the software bit stays */
		h->seip_line = level;
		h->mip = (h->mip & ~MIP_SEIP) | (h->seip_line || h->seip_sw ? MIP_SEIP : 0);
	}
	if (h->mip != old)
		h->stop_at = 0; /* leave the dispatch loop to look at it */
}

/* Enters the trap handler of mode `to` with the given cause. */
static void enter(struct hart *h, unsigned to, uint64_t cause, uint64_t tval, bool irq)
{
	uint64_t s = h->mstatus;
	uint64_t tvec;
	h->resv_valid = false;
	if (to == PRV_S) {
		h->sepc = h->pc;
		h->scause = cause;
		h->stval = tval;
		s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
		s = (s & ~MSTATUS_SPP) | (h->priv == PRV_S ? MSTATUS_SPP : 0);
		s &= ~MSTATUS_SIE;
		tvec = h->stvec;
	} else {
		h->mepc = h->pc;
		h->mcause = cause;
		h->mtval = tval;
		s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
		s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << MSTATUS_MPP_SHIFT);
		s &= ~MSTATUS_MIE;
		tvec = h->mtvec;
	}
	h->mstatus = s;
	h->priv = to;
	h->pc = tvec & ~3ull;
	if (irq && (tvec & 1))
		h->pc += 4 * (cause & 63);
	hart_update_ctx(h);
}

void hart_raise(struct hart *h, unsigned cause, uint64_t tval)
{
	unsigned to = PRV_M;
	if (h->priv <= PRV_S && ((h->medeleg >> cause) & 1))
		to = PRV_S;
	STAT_CHARGE(h, EV_EXCEPTION, h->m->cfg.cost.exception);
	h->st.exc_by_cause[cause & 63]++;
	h->st.exc_cycles[cause & 63] += h->m->cfg.cost.exception;
	if (to == PRV_M && h->m->firmware) {
		/* No M-mode software exists under the built-in firmware: a trap
		 * that would reach it is a guest bug the firmware reports. */
		machine_halt(
			h->m, 3,
			"hart %u: unhandled %s (cause %u) at pc 0x%llx, tval 0x%llx "
			"(no M-mode handler under the built-in firmware; delegate it with medeleg)",
			h->id, exception_name(cause), cause, (unsigned long long)h->pc,
			(unsigned long long)tval);
		h->halted = true;
		return;
	}
	TRACE(h, EXCEPTION, cause, h->pc, tval, to);
	enter(h, to, cause, tval, false);
}

uint64_t hart_pending_interrupts(const struct hart *h)
{
	uint64_t pend = h->mip & h->mie;
	uint64_t m_en = 0, s_en = 0;
	if (!pend)
		return 0;
	if (h->priv < PRV_M || (h->mstatus & MSTATUS_MIE))
		m_en = ~h->mideleg;
	if (h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE)))
		s_en = h->mideleg;
	return pend & (m_en | s_en);
}

/* 3.1.9: interrupts for M-mode before those delegated to S-mode, each set
 * in the order MEI, MSI, MTI, SEI, SSI, STI. */
static int highest(uint64_t pend)
{
	static const unsigned order[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((pend >> order[i]) & 1)
			return (int)order[i];
	return -1;
}

bool hart_take_interrupt(struct hart *h)
{
	uint64_t pend = hart_pending_interrupts(h);
	int c = highest(pend & ~h->mideleg);
	if (c < 0)
		c = highest(pend & h->mideleg);
	if (c >= 0) {
		unsigned to = ((h->mideleg >> c) & 1) ? PRV_S : PRV_M;
		STAT_CHARGE(h, EV_INTERRUPT, h->m->cfg.cost.interrupt);
		h->st.irq_by_cause[c]++;
		h->st.irq_cycles[c] += h->m->cfg.cost.interrupt;
		h->wfi = false;
		if (h->vcpu && to == PRV_S)
			hv_interrupt(h, (unsigned)c); /* arrives at the VMM first */
		TRACE(h, INTERRUPT, c, h->pc, 0, to);
		enter(h, to, (1ull << 63) | c, 0, true);
		return true;
	}
	return false;
}

int hart_mret(struct hart *h)
{
	uint64_t s = h->mstatus;
	unsigned mpp;
	if (h->priv != PRV_M)
		return -1;
	mpp = (unsigned)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP; /* MPP = U, the least-privileged mode */
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->priv = mpp;
	h->pc = h->mepc;
	h->resv_valid = false;
	hart_update_ctx(h);
	return 0;
}

int hart_sret(struct hart *h)
{
	uint64_t s = h->mstatus;
	if (h->priv < PRV_S || (h->priv == PRV_S && (s & MSTATUS_TSR)))
		return -1;
	unsigned spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s |= MSTATUS_SPIE;
	s &= ~MSTATUS_SPP;
	s &= ~MSTATUS_MPRV; /* the new mode is below M */
	h->mstatus = s;
	h->priv = spp;
	h->pc = h->sepc;
	h->resv_valid = false;
	hart_update_ctx(h);
	return 0;
}
