/*
 * csr.c - the control and status registers (see csr.h for the contract).
 *
 * Numbers and field layouts: Privileged ISA 20211203, tables 2.2-2.5 and
 * chapters 3-4.  WARL choices of this implementation are documented in
 * docs/platform.md ("CSRs"): MXL=SXL=UXL=2, no F/V state (FS=VS=0), 16 PMP
 * entries with 4 KiB granularity (pmp.c), mtvec/stvec keep modes 0
 * and 1, xepc bits 1:0 read as zero (IALIGN=32), triggers absent.
 */
#include "csr.h"
#include "hv.h"

#include "machine.h"
#include "mmu.h"
#include "pmp.h"
#include "svtlb.h"
#include "trap.h"

#define MSTATUS_WRITABLE                                                                           \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |     \
	 MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_MASK                                                                               \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL)

#define S_INTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define ALL_INTS (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
/* Exceptions that may be delegated: all standard ones but ecall-from-M,
 * plus the Svtlb causes 24-31 and 48 (docs/platform.md). */
#define MEDELEG_WRITABLE (0xb3ffull | SVTLB_CAUSES)

enum {
	CSR_SIE = 0x104,
	CSR_STVEC = 0x105,
	CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a,
	CSR_SSCRATCH = 0x140,
	CSR_SEPC = 0x141,
	CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143,
	CSR_SIP = 0x144,
	CSR_MISA = 0x301,
	CSR_MEDELEG = 0x302,
	CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304,
	CSR_MTVEC = 0x305,
	CSR_MCOUNTEREN = 0x306,
	CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320,
	CSR_MSCRATCH = 0x340,
	CSR_MEPC = 0x341,
	CSR_MCAUSE = 0x342,
	CSR_MTVAL = 0x343,
	CSR_MIP = 0x344,
	CSR_MCYCLE = 0xb00,
	CSR_MVENDORID = 0xf11,
	CSR_MARCHID = 0xf12,
	CSR_MIMPID = 0xf13,
	CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_CYCLE = 0xc00,
	CSR_TIME = 0xc01,
	CSR_INSTRET = 0xc02,
	CSR_TSELECT = 0x7a0,
	CSR_TDATA3 = 0x7a3,
};

/* Counter reads from S/U need mcounteren (and scounteren for U). */
static int counter_allowed(const struct hart *h, unsigned csr)
{
	unsigned bit = csr & 31;
	if (h->priv < PRV_M && !((h->mcounteren >> bit) & 1))
		return 0;
	if (h->priv < PRV_S && !((h->scounteren >> bit) & 1))
		return 0;
	return 1;
}

static int read_counter(struct hart *h, unsigned csr, uint64_t *v)
{
	unsigned idx = csr & 0x1f;
	if (csr >= 0xc00 && csr <= 0xc1f && !counter_allowed(h, csr))
		return -1;
	if (idx == 0)
		*v = (h->mcountinhibit & 1) ? h->cycle_frozen : h->cycles + h->cycle_off;
	else if (idx == 1) {
		if (csr != CSR_TIME)
			return -1; /* there is no mtime CSR (0xb01) */
		*v = machine_mtime(h->m, h);
	} else if (idx == 2)
		*v = (h->mcountinhibit & 4) ? h->instret_frozen : h->instret + h->instret_off;
	else
		*v = 0; /* hpmcounter3..31: no events selected */
	return 0;
}

static int read_s(struct hart *h, unsigned csr, uint64_t *v)
{
	switch (csr) {
	case CSR_SSTATUS: *v = h->mstatus & SSTATUS_MASK; return 0;
	case CSR_SIE: *v = h->mie & h->mideleg; return 0;
	case CSR_SIP: *v = h->mip & h->mideleg; return 0;
	case CSR_STVEC: *v = h->stvec; return 0;
	case CSR_SCOUNTEREN: *v = h->scounteren; return 0;
	case CSR_SENVCFG: *v = h->senvcfg; return 0;
	case CSR_SSCRATCH: *v = h->sscratch; return 0;
	case CSR_SEPC: *v = h->sepc; return 0;
	case CSR_SCAUSE: *v = h->scause; return 0;
	case CSR_STVAL: *v = h->stval; return 0;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return -1;
		*v = h->satp;
		return 0;
	}
	return -1;
}

static int read_m(struct hart *h, unsigned csr, uint64_t *v)
{
	switch (csr) {
	case CSR_MSTATUS: *v = h->mstatus; return 0;
	case CSR_MISA: *v = h->misa; return 0;
	case CSR_MEDELEG: *v = h->medeleg; return 0;
	case CSR_MIDELEG: *v = h->mideleg; return 0;
	case CSR_MIE: *v = h->mie; return 0;
	case CSR_MIP: *v = h->mip; return 0;
	case CSR_MTVEC: *v = h->mtvec; return 0;
	case CSR_MCOUNTEREN: *v = h->mcounteren; return 0;
	case CSR_MENVCFG: *v = h->menvcfg; return 0;
	case CSR_MCOUNTINHIBIT: *v = h->mcountinhibit; return 0;
	case CSR_MSCRATCH: *v = h->mscratch; return 0;
	case CSR_MEPC: *v = h->mepc; return 0;
	case CSR_MCAUSE: *v = h->mcause; return 0;
	case CSR_MTVAL: *v = h->mtval; return 0;
	case CSR_MVENDORID:
	case CSR_MARCHID:
	case CSR_MIMPID:
	case CSR_MCONFIGPTR: *v = 0; return 0;
	case CSR_MHARTID: *v = h->id; return 0;
	}
	if (csr >= 0x3a0 && csr <= 0x3af) { /* pmpcfg: odd numbers do not exist on RV64 */
		if (csr & 1)
			return -1;
		*v = pmp_read_cfg(h, csr - 0x3a0);
		return 0;
	}
	if (csr >= 0x3b0 && csr <= 0x3ef) {
		*v = pmp_read_addr(h, csr - 0x3b0);
		return 0;
	}
	if (csr >= 0x323 && csr <= 0x33f) { /* mhpmevent3..31 */
		*v = 0;
		return 0;
	}
	if (csr >= 0xb00 && csr <= 0xb1f)
		return read_counter(h, csr, v);
	if (csr >= CSR_TSELECT && csr <= CSR_TDATA3) {
		/* No triggers: tselect reads 0 and tdata1 reads 0 (type 0, "no trigger"). */
		*v = 0;
		return 0;
	}
	return -1;
}

int csr_read(struct hart *h, unsigned csr, uint64_t *val)
{
	bool illegal = false;
	if (((csr >> 8) & 3) > h->priv)
		return -1;
	if (csr >= 0xc00 && csr <= 0xc1f)
		return read_counter(h, csr, val);
	if (csr >= 0x5c0 && csr <= 0x5ff && h->vcpu) {
		/* V=1: the Svtlb CSRs exit to the VMM (docs/hypervisor.md). */
		if (hv_csr_read(h, csr, val, &illegal))
			return illegal ? -1 : 0;
	}
	if (csr >= 0x5c0 && csr <= 0x5ff && h->svtlb) {
		if (svtlb_csr_read(h, csr, val, &illegal))
			return illegal ? -1 : 0;
		return -1;
	}
	if (((csr >> 8) & 3) == 1)
		return read_s(h, csr, val);
	if (((csr >> 8) & 3) == 3)
		return read_m(h, csr, val);
	return -1;
}

void csr_set_mstatus(struct hart *h, uint64_t v)
{
	uint64_t old = h->mstatus;
	uint64_t mpp = (v & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	if (mpp == 2) /* reserved encoding: keep the old MPP (WARL) */
		v = (v & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	h->mstatus = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
	if ((old ^ h->mstatus) & (MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPRV | MSTATUS_MPP))
		mmu_hc_flush_data(h);
	hart_update_ctx(h);
}

static void write_satp(struct hart *h, uint64_t v)
{
	uint64_t mode = v >> 60;
	if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 &&
	    !(mode == SATP_MODE_SVTLB && h->svtlb && h->m->cfg.svtlb &&
	      (!h->vcpu || hv_guest_svtlb(h))))
		return; /* unsupported mode (EPT's guest has no Svtlb): no effect (4.1.11) */
	if (mode == SATP_MODE_BARE)
		v = 0;
	if (mode != h->satp >> 60) {
		/* Sv39 and Svtlb entries share the modeled TLBs but not a format:
		 * changing the mode drops them all. */
		tlb_model_flush(&h->itlb);
		tlb_model_flush(&h->dtlb);
	}
	/* ASID: 16 bits implemented; PPN: 44 bits. */
	h->satp = v & ((0xfull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
	mmu_hc_flush_all(h);
}

static int write_s(struct hart *h, unsigned csr, uint64_t v)
{
	switch (csr) {
	case CSR_SSTATUS:
		csr_set_mstatus(h, (h->mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
		return 0;
	case CSR_SIE: h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg & ALL_INTS); return 0;
	case CSR_SIP: {
		uint64_t m = h->mideleg & MIP_SSIP;
		hart_set_mip(h, m, false);
		hart_set_mip(h, v & m, true);
		return 0;
	}
	case CSR_STVEC: h->stvec = v & ~2ull; return 0;
	case CSR_SCOUNTEREN: h->scounteren = v & 0xffffffffull; return 0;
	case CSR_SENVCFG: h->senvcfg = v & 1; return 0;
	case CSR_SSCRATCH: h->sscratch = v; return 0;
	case CSR_SEPC: h->sepc = v & ~3ull; return 0;
	case CSR_SCAUSE: h->scause = v; return 0;
	case CSR_STVAL: h->stval = v; return 0;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return -1;
		write_satp(h, v);
		return 0;
	}
	return -1;
}

static int write_counter(struct hart *h, unsigned csr, uint64_t v)
{
	unsigned idx = csr & 0x1f;
	/* The writing instruction itself retires afterwards; the written
	 * value is the one seen before that increment (priv spec 3.1.11). */
	if (idx == 0) {
		h->cycle_off = v - h->m->cfg.cost.cpi_base - h->cycles;
		h->cycle_frozen = v;
	} else if (idx == 2) {
		h->instret_off = v - 1 - h->instret;
		h->instret_frozen = v;
	} else if (idx == 1)
		return -1;
	return 0;
}

/* mcountinhibit (3.1.12): CY and IR freeze mcycle/minstret at the value
 * they have once this instruction retires; clearing resumes from it. */
static void set_countinhibit(struct hart *h, uint64_t v)
{
	uint64_t cy_now = h->cycles + h->cycle_off + h->m->cfg.cost.cpi_base;
	uint64_t ir_now = h->instret + h->instret_off + 1;
	if ((v & 1) && !(h->mcountinhibit & 1))
		h->cycle_frozen = cy_now;
	if (!(v & 1) && (h->mcountinhibit & 1))
		h->cycle_off = h->cycle_frozen - h->m->cfg.cost.cpi_base - h->cycles;
	if ((v & 4) && !(h->mcountinhibit & 4))
		h->instret_frozen = ir_now;
	if (!(v & 4) && (h->mcountinhibit & 4))
		h->instret_off = h->instret_frozen - 1 - h->instret;
	h->mcountinhibit = v;
}

static int write_m(struct hart *h, unsigned csr, uint64_t v)
{
	switch (csr) {
	case CSR_MSTATUS: csr_set_mstatus(h, v); return 0;
	case CSR_MISA: return 0; /* fixed */
	case CSR_MEDELEG: h->medeleg = v & MEDELEG_WRITABLE; return 0;
	case CSR_MIDELEG:
		h->mideleg = v & S_INTS;
		h->stop_at = 0;
		return 0;
	case CSR_MIE:
		h->mie = v & ALL_INTS;
		h->stop_at = 0;
		return 0;
	case CSR_MIP:
		/* SSIP and STIP are writable by M-mode; a write to SEIP sets its
		 * software bit, which is ORed with the PLIC's line (3.1.9). */
		h->seip_sw = (v & MIP_SEIP) != 0;
		hart_set_mip(h, MIP_SSIP | MIP_STIP, false);
		hart_set_mip(h, v & (MIP_SSIP | MIP_STIP), true);
		hart_set_mip(h, MIP_SEIP, h->seip_line);
		return 0;
	case CSR_MTVEC: h->mtvec = v & ~2ull; return 0;
	case CSR_MCOUNTEREN: h->mcounteren = v & 0xffffffffull; return 0;
	case CSR_MENVCFG: h->menvcfg = v & 1; return 0;
	case CSR_MCOUNTINHIBIT: set_countinhibit(h, v & 0xfffffffdull); return 0;
	case CSR_MSCRATCH: h->mscratch = v; return 0;
	case CSR_MEPC: h->mepc = v & ~3ull; return 0;
	case CSR_MCAUSE: h->mcause = v; return 0;
	case CSR_MTVAL: h->mtval = v; return 0;
	}
	if (csr >= 0x3a0 && csr <= 0x3af) {
		if (csr & 1)
			return -1;
		pmp_write_cfg(h, csr - 0x3a0, v);
		return 0;
	}
	if (csr >= 0x3b0 && csr <= 0x3ef) {
		pmp_write_addr(h, csr - 0x3b0, v);
		return 0;
	}
	if (csr >= 0x323 && csr <= 0x33f)
		return 0;
	if (csr >= 0xb00 && csr <= 0xb1f)
		return write_counter(h, csr, v);
	if (csr >= CSR_TSELECT && csr <= CSR_TDATA3)
		return 0;
	return -1;
}

int csr_write(struct hart *h, unsigned csr, uint64_t val)
{
	bool illegal = false;
	if (((csr >> 8) & 3) > h->priv || ((csr >> 10) & 3) == 3)
		return -1;
	if (csr >= 0x5c0 && csr <= 0x5ff && h->vcpu) {
		if (hv_csr_write(h, csr, val, &illegal))
			return illegal ? -1 : 0;
	}
	if (csr >= 0x5c0 && csr <= 0x5ff && h->svtlb) {
		if (svtlb_csr_write(h, csr, val, &illegal))
			return illegal ? -1 : 0;
		return -1;
	}
	if (((csr >> 8) & 3) == 1)
		return write_s(h, csr, val);
	if (((csr >> 8) & 3) == 3)
		return write_m(h, csr, val);
	return -1;
}
