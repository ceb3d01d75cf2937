/*
 * hv.c - the hypervisor's domain: configurations and parameters, attaching
 * a VMM to a machine (vCPUs, the P2M, the VMM's memory), and the dispatch
 * of the engine's hooks (hv.h) to the configuration's handlers.
 *
 * Contract: hv.h and hv_priv.h; design: docs/hypervisor.md.  The P2M is the
 * identity over [RAM_BASE, RAM_BASE + guest_ram): machine RAM holds the
 * guest's RAM first and the VMM's memory (machine VHPTs, G-stage tables)
 * after it, which no guest-physical address reaches (hv_p2m says NONE,
 * the access faults as on a machine with guest_ram bytes of RAM).
 */
#include "hv_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hv_ept.h"
#include "hv_ept_priv.h"
#include "trace.h"

/* Domain 1 (the VMM itself would be 0): its RIDs are the guest's XOR this
 * salt, a bijection on 24 bits, so guest RIDs are all distinct in the
 * machine and never equal the VMM's.  Several domains would each need a
 * disjoint block (Xen/IA-64 gives each domain 2^rid_bits RIDs); one domain
 * per machine needs no more. */
#define HV_VMID 1u
#define HV_RID_SALT (HV_VMID << 20)

static const char *const config_names[] = {
	[HV_NATIVE] = "native", [HV_STVT] = "STVT", [HV_HTVT] = "HTVT",
	[HV_STPV] = "STPV",     [HV_HTPV] = "HTPV", [HV_EPT] = "EPT",
};

const char *hv_config_name(enum hv_config c)
{
	return (unsigned)c < sizeof(config_names) / sizeof(config_names[0]) ? config_names[c] : "?";
}

int hv_config_parse(const char *name, enum hv_config *c)
{
	for (unsigned i = 0; i < sizeof(config_names) / sizeof(config_names[0]); i++)
		if (strcasecmp(name, config_names[i]) == 0) {
			*c = (enum hv_config)i;
			return 0;
		}
	return -1;
}

void hv_params_default(struct hv_params *p, enum hv_config c)
{
	memset(p, 0, sizeof(*p));
	p->config = c;
	/* Single TLB for ST*, hash TLB for HT* (paper 003, section 4). */
	vtlb_params_default(&p->vtlb, (c == HV_STVT || c == HV_STPV) ? VTLB_SINGLE : VTLB_HASH);
	/* Off by default, as in the paper's first implementation (its Table 1);
	 * --guest-vhpt-walker on gives its Table 2. */
	p->guest_vhpt_walker = false;
	p->full_track = false; /* the paper's system implements partial track (3.1.2) */
	/* A guest page larger than the machine page reaches the machine one
	 * 4 KiB sub-page at a time, the vTLB keeping the large page (paper 003,
	 * 3: "the 256M entries can be divided into smaller 16K pages and ...
	 * inserted into the VHPT or TLB one page at a time"; Xen/IA-64's
	 * machine VHPT entries carry the machine rr.ps).  The P2M's grain is
	 * the machine page: the VMM does not rely on a domain's memory being
	 * contiguous beyond it.  --large-pages whole inserts them whole. */
	p->whole_large_pages = false;
	/* Per-vCPU machine VHPT of 8 MiB (262144 entries), what Xen/IA-64
	 * gave every VT-i vCPU: DEFAULT_VHPT_SZ 23 (xen/include/asm-ia64/
	 * vmmu.h, init_domain_vhpt in vmx/vmmu.c).  The modeled walker, like
	 * Itanium's, reads the hash slot only; collision chains serve the
	 * VMM's miss handler (hv_mvhpt_chain.c).  The hash TLB has them
	 * ("8M hash + 8M c-chain for VHPT"; paper 003, 3: "we introduce a
	 * collision chain mechanism in the hash TLB implementation"); the
	 * single TLB, ported from the paravirtual design, does not (paper
	 * 003, 2.2: "a single TLB approach based on the VHPT without
	 * collision chain").  --machine-vhpt-chain overrides either. */
	p->machine_vhpt_log2 = 23;
	p->machine_vhpt_chain = p->vtlb.kind == VTLB_HASH;
	p->guest_ram = 0;
}

static bool is_svtlb_config(enum hv_config c)
{
	return c == HV_STVT || c == HV_HTVT || c == HV_STPV || c == HV_HTPV;
}

uint64_t hv_vmm_bytes(const struct hv_params *p, unsigned nvcpus)
{
	uint64_t bytes = 0;
	if (is_svtlb_config(p->config)) {
		uint64_t vhpt = 1ull << p->machine_vhpt_log2;
		/* one per vCPU, plus slack to align the first to its size */
		bytes = (uint64_t)nvcpus * vhpt + vhpt;
	} else if (p->config == HV_EPT) {
		bytes = hv_ept_table_bytes(p->guest_ram) + (64u << 10);
	}
	return (bytes + 0xfff) & ~0xfffull;
}

int hv_vmm_alloc(struct hv *hv, uint64_t bytes, uint64_t align, uint64_t *mpa)
{
	uint64_t a = (hv->vmm_next + align - 1) & ~(align - 1);
	if (a < hv->vmm_next || a > hv->vmm_end || hv->vmm_end - a < bytes)
		return -1;
	*mpa = a;
	hv->vmm_next = a + bytes;
	return 0;
}

/* ---- the P2M --------------------------------------------------------- */

static bool in_device(const struct machine *m, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < m->ndev; i++) {
		const struct device *d = &m->dev[i];
		if (gpa >= d->base && gpa - d->base < d->size && len <= d->size - (gpa - d->base))
			return true;
	}
	return false;
}

enum p2m_kind hv_p2m(const struct hv *hv, uint64_t gpa, uint64_t len, uint64_t *mpa)
{
	if (gpa >= RAM_BASE && len <= hv->guest_ram && gpa - RAM_BASE <= hv->guest_ram - len) {
		*mpa = gpa; /* identity over the guest's RAM */
		return P2M_RAM;
	}
	if (in_device(hv->m, gpa, len)) {
		*mpa = gpa;
		return P2M_MMIO;
	}
	return P2M_NONE;
}

uint64_t hv_p2m_ram(void *ctx, uint64_t gpa)
{
	uint64_t mpa;
	return hv_p2m(ctx, gpa & ~0xfffull, 4096, &mpa) == P2M_RAM ? mpa | (gpa & 0xfff) : ~0ull;
}

/* ---- attach and free ------------------------------------------------- */

static int attach_vcpus(struct hv *hv, char *err, size_t errlen)
{
	for (unsigned i = 0; i < hv->m->nharts; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "vmm/hv.c: out of memory for vCPU %u", i);
			return -1;
		}
		v->h = hv->m->harts[i];
		v->hv = hv;
		v->id = i;
		hv->vcpu[i] = v;
		hv->nvcpus = i + 1;
		if (hv->svtlb && hv_svtlb_attach(v, err, errlen))
			return -1;
		v->h->vcpu = v;
	}
	return 0;
}

int hv_attach(struct machine *m, const struct hv_params *p, char *err, size_t errlen)
{
	if (p->config == HV_NATIVE)
		return 0;
	uint64_t need = hv_vmm_bytes(p, m->nharts);
	if (!p->guest_ram || (p->guest_ram & 0xfff) || p->guest_ram > m->cfg.ram_size ||
	    m->cfg.ram_size - p->guest_ram < need) {
		snprintf(err, errlen,
			 "vmm/hv.c: machine RAM %llu bytes cannot hold guest RAM %llu + VMM memory "
			 "%llu (the caller sizes RAM with hv_vmm_bytes)",
			 (unsigned long long)m->cfg.ram_size, (unsigned long long)p->guest_ram,
			 (unsigned long long)need);
		return -1;
	}
	if (is_svtlb_config(p->config) && (!m->cfg.svtlb || !m->harts[0]->svtlb)) {
		snprintf(err, errlen,
			 "vmm/hv.c: --config %s needs the machine's Svtlb (drop --no-svtlb)",
			 hv_config_name(p->config));
		return -1;
	}
	struct hv *hv = calloc(1, sizeof(*hv));
	if (!hv) {
		snprintf(err, errlen, "vmm/hv.c: out of memory");
		return -1;
	}
	hv->m = m;
	hv->p = *p;
	hv->guest_ram = p->guest_ram;
	hv->vmm_base = hv->vmm_next = RAM_BASE + p->guest_ram;
	hv->vmm_end = RAM_BASE + m->cfg.ram_size;
	hv->vmid = HV_VMID;
	hv->rid_salt = HV_RID_SALT;
	hv->svtlb = is_svtlb_config(p->config);
	hv->pv = p->config == HV_STPV || p->config == HV_HTPV;
	m->hv = hv;
	m->guest_ram_limit = hv->guest_ram; /* device DMA stops below the VMM's memory */
	if (attach_vcpus(hv, err, errlen) ||
	    (p->config == HV_EPT && hv_ept_init(hv, err, errlen))) {
		hv_free(m);
		return -1;
	}
	return 0;
}

void hv_free(struct machine *m)
{
	struct hv *hv = m ? m->hv : NULL;
	if (!hv)
		return;
	for (unsigned i = 0; i < hv->nvcpus; i++) {
		struct vcpu *v = hv->vcpu[i];
		if (!v)
			continue;
		if (v->h)
			v->h->vcpu = NULL;
		if (v->vtlb)
			vtlb_destroy(v->vtlb);
		hv_mchain_delete(v->mchain);
		free(v);
	}
	if (hv->ept)
		hv_ept_delete(hv->ept);
	free(hv);
	m->hv = NULL;
}

/* ---- translation dispatch -------------------------------------------- */

static int access_fault_of(enum access acc)
{
	return acc == ACC_FETCH  ? EXC_INSN_ACCESS
	       : acc == ACC_READ ? EXC_LOAD_ACCESS
				 : EXC_STORE_ACCESS;
}

/* A guest-physical page reached with translation done (Bare, or the result
 * of the guest's Sv39): RAM goes through the P2M at native speed, a
 * device is an MMIO exit, anything else an access fault. */
static int gpa_access(struct vcpu *v, uint64_t va, uint64_t gpa, enum access acc, struct xlate *out)
{
	uint64_t mpa;
	/* RAM is checked by page (the fast path caches pages), a device by
	 * address (device windows may be smaller than a page). */
	enum p2m_kind k = hv_p2m(v->hv, gpa & ~0xfffull, 4096, &mpa);
	if (k != P2M_RAM)
		k = hv_p2m(v->hv, gpa, 1, &mpa);
	switch (k) {
	case P2M_RAM: out->paddr = mpa | (gpa & 0xfff); return 0;
	case P2M_MMIO: {
		struct hart *h = v->h;
		uint64_t t0 = hv_exit_begin(v, HVX_MMIO, gpa, h->m->cfg.cost.vm_exit);
		h->cycles += h->m->cfg.cost.hv_mmio;
		v->st.mmio_accesses++;
		hv_exit_end(v, HVX_MMIO, t0);
		out->paddr = gpa;
		out->cacheable = false;
		return 0;
	}
	default: return hv_inject_plain(v, va, access_fault_of(acc));
	}
}

int hv_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	struct vcpu *v = h->vcpu;
	struct hv *hv = v->hv;
	if (hv->p.config == HV_EPT)
		return hv_ept_translate(h, va, acc, priv, out);
	uint64_t mode = h->satp >> 60;
	if (priv == PRV_M || mode == SATP_MODE_BARE) {
		out->cacheable = true;
		return gpa_access(v, va, va, acc, out);
	}
	if (mode == SATP_MODE_SVTLB)
		return hv_svtlb_translate(h, va, acc, priv, out);
	/* Sv39 in an Svtlb configuration: the kernel's first instructions
	 * (entry.S) run on a boot Sv39 table before mm switches to Svtlb.
	 * The engine's walker walks it directly (the P2M is the identity on
	 * the guest's RAM) and the result is checked against the P2M. */
	int cause = sv39_translate(h, va, acc, priv, out);
	if (cause)
		return cause;
	return gpa_access(v, va, out->paddr, acc, out);
}

/* ---- CSRs, sfence ---------------------------------------------------- */

/* The EPT configuration virtualizes a plain Sv39 machine (docs/hypervisor.md,
 * "Configurations"): its guest has no Svtlb, so every Svtlb CSR is illegal,
 * as on a machine without it.  They must not fall through to the hart's own
 * Svtlb: its TC is the modeled TLB that holds EPT's combined entries, so a
 * guest itc would map any machine page, the G-stage tables included. */
static bool no_guest_svtlb(bool *illegal)
{
	*illegal = true;
	return true;
}

bool hv_guest_svtlb(const struct hart *h)
{
	return h->vcpu->hv->svtlb;
}

bool hv_csr_read(struct hart *h, unsigned csr, uint64_t *val, bool *illegal)
{
	struct vcpu *v = h->vcpu;
	if (!v->hv->svtlb)
		return no_guest_svtlb(illegal);
	return hv_svtlb_csr_read(v, csr, val, illegal);
}

bool hv_csr_write(struct hart *h, unsigned csr, uint64_t val, bool *illegal)
{
	struct vcpu *v = h->vcpu;
	if (!v->hv->svtlb)
		return no_guest_svtlb(illegal);
	return hv_svtlb_csr_write(v, csr, val, illegal);
}

/* sfence.vma under Svtlb purges the TC with Sv39 operand rules, rs2's ASID
 * compared with RIDs (docs/platform.md 4.6).  The engine purged the machine
 * TC by machine tags already; the guest's TC is also the vTLB and the
 * machine VHPT: an address in one RID is a ptc.l of 4 KiB, anything wider
 * a ptc.e (purging more of a TC than asked is always allowed, 4.6). */
void hv_sfence(struct hart *h, uint64_t va, uint32_t asid, bool all_asids, bool all_va)
{
	struct vcpu *v = h->vcpu;
	struct hv *hv = v->hv;
	if (hv->p.config == HV_EPT) {
		if (hv->ept)
			hv_ept_sfence(hv->ept, h, va, asid, all_asids);
		return;
	}
	if (!hv->svtlb || (h->satp >> 60) != SATP_MODE_SVTLB)
		return; /* Bare/Sv39 boot phase: the engine's purge was the whole story */
	uint64_t cost = h->m->cfg.cost.vm_exit;
	if (!all_va && !all_asids && svtlb_va_implemented(va)) {
		uint64_t t0 = hv_exit_begin(v, HVX_PTC_L, va, cost);
		hv_op_ptc(v, va & ~0xfffull, 12, asid & 0xffffff, false);
		hv_exit_end(v, HVX_PTC_L, t0);
	} else {
		uint64_t t0 = hv_exit_begin(v, HVX_PTC_E, va, cost);
		hv_op_ptc_e(v);
		hv_exit_end(v, HVX_PTC_E, t0);
	}
}
