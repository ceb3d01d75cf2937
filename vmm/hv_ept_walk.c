/*
 * hv_ept_walk.c - the modeled hardware's two-dimensional walk (guest Sv39
 * over the G-stage Sv39x4) and the combined GVA -> machine PA entries it
 * caches in the hart's modeled TLB (privileged spec 20211203, 8.5
 * "Two-Stage Address Translation"; the VS-stage steps are 4.3.2's).
 *
 * References of one walk, no walk caches modeled: the root's guest-physical
 * address and each next table's are translated by a G walk before the
 * VS-stage PTE is read, and so is the final guest-physical address.  With
 * 4 KiB VS and G pages that is 4 G walks of 3 references + 3 VS reads = 15
 * (the anchor; in general (n+1)(m+1)-1 for n VS and m G levels):
 * a VS megapage leaf makes it 3 G walks + 2 VS reads = 11, G megapages
 * make each G walk 2 references (11 for 4 KiB VS pages).  Each VS read
 * costs cost.pt_ref, each G read cost.gstage_ref, plus cost.tlb_refill per
 * miss.  Hardware A/D updates happen in both stages; the VS-stage's write of
 * A/D needs the G-stage to permit a write to the PTE's page and sets that
 * page's G-stage D bit (8.5.1).
 *
 * Combined entries: page size min(VS page, G page); tag = the guest's ASID
 * (one VMID per machine, so no VMID bits), or HV_EPT_BARE_TAG under Bare;
 * global when the VS leaf's walk saw G.  aux = the guest-physical base of
 * the page | G leaf shift << 48 | VS page shift << 56 (a guest-physical
 * address the G stage translated is below 2^41): HFENCE.GVMA by address
 * finds the entries built from the G leaf that maps it by scanning the TLB
 * (a reverse map the size of the TLB, exact), and a guest sfence.vma finds
 * entries split from a VS superpage.
 */
#include <string.h>

#include "csr.h"
#include "hv_ept_priv.h"
#include "pmp.h"
#include "sv39_pte.h"
#include "trace.h"

#define TLB_BARE 0x40u /* owner bit 6: made under a Bare guest satp */
/* Owner bit 7: the G stage grants less than the VS leaf (R, W or X), so a
 * hit refused may be the G stage's fault, which the entry cannot tell. */
#define TLB_G_LESS 0x80u
#define AUX_GPA(aux) ((aux) & ((1ull << 48) - 1))
#define AUX_G_SHIFT(aux) ((unsigned)((aux) >> 48) & 0xffu)
#define AUX_VS_SHIFT(aux) ((unsigned)((aux) >> 56))

/* Walk results besides 0 and an exception cause. */
enum { W_MMIO = -1, W_RESTART = -2 };

static bool entry_permits(const struct hart *h, const struct tlb_entry *e, enum access acc,
			  unsigned priv)
{
	if (e->perm & TLB_BARE)
		return acc == ACC_FETCH  ? (e->perm & TLB_X) != 0
		       : acc == ACC_READ ? (e->perm & TLB_R) != 0
					 : (e->perm & TLB_W) != 0;
	return sv39_permits(h, e->perm, acc, priv);
}

static bool is_device(const struct machine *m, uint64_t pa)
{
	for (unsigned i = 0; i < m->ndev; i++)
		if (pa >= m->dev[i].base && pa - m->dev[i].base < m->dev[i].size)
			return true;
	return false;
}

void hv_ept_exit(struct hv_ept *e, struct hart *h, enum hv_ept_exit why, uint64_t gpa)
{
	const struct cost_table *c = &h->m->cfg.cost;
	/* The round trip, plus the device model's for an emulated access (the
	 * device's own cost.mmio is charged by the bus when it is reached). */
	uint64_t cyc = c->vm_exit + (why == HV_EPT_EXIT_MMIO ? c->hv_mmio : 0);
	h->cycles += cyc;
	e->st[h->id].exits[why]++;
	e->st[h->id].exit_cycles[why] += cyc;
	if (e->on_exit)
		e->on_exit(e->exit_ctx, h, why, gpa, cyc);
	else
		TRACE(h, VM_EXIT, why, h->pc, gpa, cyc);
}

/* A G-stage fault on gpa exits to the VMM, which resolves it: guest RAM
 * missing from the table is filled (the access restarts), a device window
 * is emulated when it is the access itself (not a VS-stage PTE read, not a
 * fetch), anything else becomes an access fault for the guest. */
static int g_fault(struct hv_ept *e, struct hart *h, uint64_t gpa, enum g_result r, enum access acc,
		   bool final)
{
	if (r == G_INVALID && gpa >= RAM_BASE && gpa - RAM_BASE < e->guest_ram &&
	    hv_ept_gmap(e, gpa) == 0) {
		hv_ept_exit(e, h, HV_EPT_EXIT_MISS, gpa);
		return W_RESTART;
	}
	if (final && r != G_RANGE && acc != ACC_FETCH && is_device(e->m, gpa)) {
		hv_ept_exit(e, h, HV_EPT_EXIT_MMIO, gpa);
		return W_MMIO;
	}
	hv_ept_exit(e, h, HV_EPT_EXIT_ACCESS, gpa);
	return (int)mmu_access_fault(acc);
}

static void charge_vs(struct hv_ept *e, struct hart *h, enum event_kind k)
{
	uint64_t c = h->m->cfg.cost.pt_ref;
	STAT_CHARGE(h, k, c);
	if (k == EV_PT_REF)
		e->st[h->id].vs_refs++;
	else
		e->st[h->id].vs_ad++;
}

static uint64_t exit_cycles(const struct hv_ept_stats *st)
{
	uint64_t sum = 0;
	for (unsigned k = 0; k < HV_EPT_EXIT_COUNT; k++)
		sum += st->exit_cycles[k];
	return sum;
}

/* What the VS-stage gives the final G walk. */
struct vs_leaf {
	uint64_t gpa;
	unsigned shift, perm;
	bool global;
};

/* The VS-stage walk (4.3.2) with each PTE address translated by the G
 * stage.  Returns 0 with *leaf, an exception cause, or W_RESTART. */
static int vs_walk(struct hv_ept *e, struct hart *h, uint64_t va, enum access acc, unsigned priv,
		   struct vs_leaf *leaf)
{
	uint64_t a = (h->satp & ((1ull << 44) - 1)) << 12, pte = 0, pte_gpa = 0;
	struct g_walk g = { 0 };
	int level;
	bool global = false;
	for (level = 2;; level--) {
		enum g_result gr;
		uint8_t *p;
		pte_gpa = a + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
		gr = hv_ept_gwalk(e, h, pte_gpa, ACC_READ, &g);
		if (gr != G_OK)
			return g_fault(e, h, pte_gpa, gr, acc, false);
		charge_vs(e, h, EV_PT_REF);
		p = phys_ram_ptr(h->m, g.mpa, 8);
		/* The walk's reads are S-mode accesses for PMP (3.7.1). */
		if (!p || !pmp_check(h, g.mpa, ACC_READ, PRV_S))
			return (int)mmu_access_fault(acc);
		memcpy(&pte, p, 8);
		enum sv39_pte_kind kind = sv39_pte_kind(pte, level);
		if (kind == SV39_PTE_INVALID)
			return (int)mmu_page_fault(acc);
		global |= (pte & PTE_G) != 0;
		if (kind == SV39_PTE_LEAF)
			break;
		a = PTE_PPN(pte) << 12;
	}
	if (!sv39_permits(h, sv39_pte_perm(pte), acc, priv))
		return (int)mmu_page_fault(acc);
	if (sv39_leaf_misaligned(pte, level))
		return (int)mmu_page_fault(acc);
	if (!(pte & PTE_A) || (acc == ACC_WRITE && !(pte & PTE_D))) {
		/* 8.5.1: the A/D write is a G-stage store to the PTE's page. */
		if (!(g.perm & TLB_W))
			return g_fault(e, h, pte_gpa, G_DENIED, acc, false);
		/* ... and a store for PMP, as the read was a load (4.3.2 step 7). */
		if (!pmp_check(h, g.mpa, ACC_WRITE, PRV_S))
			return (int)mmu_access_fault(acc);
		hv_ept_gset_dirty(e, h, &g);
		pte |= PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
		memcpy(phys_ram_ptr(h->m, g.mpa, 8), &pte, 8);
		charge_vs(e, h, EV_AD_UPDATE);
	}
	leaf->shift = 12 + 9 * (unsigned)level;
	leaf->gpa = (PTE_PPN(pte) << 12) | (va & ((1ull << leaf->shift) - 1));
	leaf->perm = sv39_pte_perm(pte);
	leaf->global = global;
	return 0;
}

/* One two-dimensional walk; on success inserts the combined entry. */
static int walk2d(struct hv_ept *e, struct hart *h, struct tlb_model *t, uint64_t va,
		  enum access acc, unsigned priv, uint32_t tag, struct tlb_entry **out,
		  uint64_t *gpa_out)
{
	struct vs_leaf vs = { .gpa = va,
			      .shift = 64,
			      .perm = TLB_R | TLB_W | TLB_X | TLB_A | TLB_D };
	struct g_walk g;
	enum g_result gr;
	bool bare = tag == HV_EPT_BARE_TAG;
	int r;
	h->st.ev[EV_PT_WALK]++;
	e->st[h->id].walks++;
	if (!bare && (r = vs_walk(e, h, va, acc, priv, &vs)) != 0)
		return r;
	*gpa_out = vs.gpa;
	gr = hv_ept_gwalk(e, h, vs.gpa, acc, &g);
	if (gr != G_OK)
		return g_fault(e, h, vs.gpa, gr, acc, true);
	unsigned shift = vs.shift < g.shift ? vs.shift : g.shift;
	unsigned rwx = TLB_R | TLB_W | TLB_X;
	unsigned perm = (vs.perm & g.perm & rwx) | (vs.perm & TLB_U) | TLB_A |
			((vs.perm & g.perm & TLB_D) ? TLB_D : 0) | (bare ? TLB_BARE : 0) |
			((vs.perm & ~g.perm & rwx) ? TLB_G_LESS : 0);
	struct tlb_entry n = {
		.vpn = va >> shift, /* full canonical va: host-cache flushes use it */
		.ppn = g.mpa >> shift,
		.aux = (vs.gpa & ~((1ull << shift) - 1)) | ((uint64_t)g.shift << 48) |
		       ((uint64_t)(bare ? 0 : vs.shift) << 56),
		.asid = tag,
		.shift = (uint8_t)shift,
		.perm = (uint8_t)perm,
		.global = (uint8_t)vs.global,
	};
	*out = tlb_model_insert(t, &n);
	return 0;
}

int hv_ept_xlate(struct hv_ept *e, struct hart *h, uint64_t va, enum access acc, unsigned priv,
		 struct xlate *out)
{
	struct tlb_model *t = acc == ACC_FETCH ? &h->itlb : &h->dtlb;
	uint64_t mode = h->satp >> 60;
	uint32_t tag;
	if (mode == SATP_MODE_SV39) {
		tag = (uint32_t)((h->satp >> 44) & 0xffff);
		/* Bits 63:39 must all equal bit 38 (4.4.1). */
		if ((uint64_t)((int64_t)(va << 25) >> 25) != va) {
			e->st[h->id].vs_faults++;
			return (int)mmu_page_fault(acc);
		}
	} else if (mode == SATP_MODE_BARE) {
		tag = HV_EPT_BARE_TAG;
	} else {
		return (int)mmu_access_fault(acc); /* no other guest mode under EPT */
	}
	for (unsigned tries = 0;; tries++) {
		struct tlb_entry *ent = tlb_model_lookup(t, va, tag);
		uint64_t refs = h->st.ev[EV_PT_REF], cyc = h->cycles, gpa = va;
		int r;
		bool denied = ent && !entry_permits(h, ent, acc, priv);
		if (denied && !(ent->perm & TLB_G_LESS)) {
			bool bare = (ent->perm & TLB_BARE) != 0;
			e->st[h->id].vs_faults += !bare;
			return (int)(bare ? mmu_access_fault(acc) : mmu_page_fault(acc));
		}
		/* Refused where the G stage grants less: the walk says whose fault. */
		if (!ent || denied || (acc == ACC_WRITE && !(ent->perm & TLB_D))) {
			uint64_t exit_cyc = exit_cycles(&e->st[h->id]);
			if (!ent) {
				STAT_CHARGE(h, acc == ACC_FETCH ? EV_ITLB_MISS : EV_DTLB_MISS,
					    h->m->cfg.cost.tlb_refill);
				TRACE(h, TLB_MISS, acc, va, 0, mode);
			}
			r = walk2d(e, h, t, va, acc, priv, tag, &ent, &gpa);
			/* An exit's cycles are the VMM's, not the walk's. */
			e->st[h->id].walk_cycles +=
				(h->cycles - cyc) - (exit_cycles(&e->st[h->id]) - exit_cyc);
			TRACE(h, PT_WALK, r > 0 ? r : 0, va,
			      r ? 0 : (ent->ppn << ent->shift) | (va & ((1ull << ent->shift) - 1)),
			      h->st.ev[EV_PT_REF] - refs);
			if (r == W_RESTART && tries < 4) /* a walk touches at most 4 guest pages */
				continue;
			if (r == W_MMIO) {
				/* Devices sit at the same addresses for the machine. */
				out->paddr = gpa;
				out->cacheable = false;
				return 0;
			}
			if (r == (int)mmu_page_fault(acc))
				e->st[h->id].vs_faults++;
			if (r)
				return r > 0 ? r : (int)mmu_access_fault(acc);
		}
		out->paddr = (ent->ppn << ent->shift) | (va & ((1ull << ent->shift) - 1));
		out->cacheable = true;
		return 0;
	}
}

/* Purges the one modeled entry e of t (and its host fast-path copies, via
 * tlb_model's dropped callback). */
static void purge_entry(struct tlb_model *t, const struct tlb_entry *en)
{
	tlb_model_purge(t, en->vpn << en->shift, 1ull << en->shift, en->asid, false, true);
}

void hv_ept_flush(struct hv_ept *e, struct hart *h, bool all, uint64_t gpa)
{
	struct tlb_model *ts[2] = { &h->itlb, &h->dtlb };
	if (all) {
		/* One VMID per machine: every entry of the hart is this guest's. */
		tlb_model_flush(&h->itlb);
		tlb_model_flush(&h->dtlb);
		mmu_hc_flush_all(h);
		e->st[h->id].flush_all++;
		return;
	}
	e->st[h->id].flush_gpa++;
	/* 8.3.2: HFENCE.GVMA is SFENCE.VMA for the G stage, and a fence of one
	 * address covers the leaf PTE that translates it (4.2.1): every entry
	 * made from the G leaf mapping gpa goes, also the 4 KiB pieces of a G
	 * megapage that a 4 KiB VS page made smaller than the leaf. */
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < ts[k]->sets * ts[k]->ways; i++) {
			struct tlb_entry en = ts[k]->e[i];
			unsigned gs = AUX_G_SHIFT(en.aux);
			if (en.valid && (gpa >> gs) == (AUX_GPA(en.aux) >> gs))
				purge_entry(ts[k], &en);
		}
}

void hv_ept_sfence(struct hv_ept *e, struct hart *h, uint64_t va, uint32_t asid, bool all_asids)
{
	struct tlb_model *ts[2] = { &h->itlb, &h->dtlb };
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < ts[k]->sets * ts[k]->ways; i++) {
			struct tlb_entry en = ts[k]->e[i];
			unsigned vs_shift = AUX_VS_SHIFT(en.aux);
			if (!en.valid || (en.perm & TLB_BARE) || vs_shift <= en.shift ||
			    vs_shift >= 64)
				continue;
			/* 4.2.1: sfence.vma rs2 != x0 spares global mappings. */
			if (!all_asids && (en.global || en.asid != asid))
				continue;
			if (((en.vpn << en.shift) >> vs_shift) != (va >> vs_shift))
				continue;
			purge_entry(ts[k], &en);
			e->st[h->id].flush_splinters++;
		}
}
