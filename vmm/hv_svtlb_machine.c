/*
 * hv_svtlb_machine.c - the machine side of Svtlb virtualization: machine
 * region registers, the per-vCPU machine VHPT in the VMM's memory, and the
 * machine TC (the hart's modeled TLB).
 *
 * Contract: hv_priv.h.  Choices, and why:
 *  - Machine rr = (machine RID, ps 12, ve 1) for every region, whatever the
 *    guest's ve: the modeled hardware walker then serves machine TC misses
 *    from the machine VHPT at native cost (Xen/IA-64 vmx_vrrtomrr() sets
 *    ve=1 the same way).  ps 12 makes every VHPT tag name one 4 KiB page,
 *    so an entry found for an address always belongs to the page that
 *    contains it.
 *  - Page sizes: the machine page is 4 KiB, the grain of the P2M.  A guest
 *    page larger than that reaches the machine as the 4 KiB sub-page
 *    holding the address (the vTLB keeps the large page and serves the
 *    other sub-pages' misses), as Xen/IA-64 did (paper 003, 3: large guest
 *    entries "divided into smaller 16K pages ... inserted into the VHPT or
 *    TLB one page at a time"; its machine VHPT entries carry the machine
 *    rr.ps).  --large-pages whole (hv_params.whole_large_pages) inserts a
 *    guest page wholly in guest RAM with its own size instead (the VHPT
 *    entry's itir.ps; the walker inserts that size in the TC).  A guest
 *    page only partly in guest RAM (its end beyond RAM, or a TR covering
 *    RAM and devices) is always split, so the guest can never reach the
 *    VMM's memory.
 *  - The VHPT entry of a big page lies in the slot of the address that
 *    missed; purges therefore look at every 4 KiB slot the largest page
 *    of the region can cover (Xen/IA-64 vhpt_purge() loops the same way),
 *    or scan the whole table when that is shorter.
 *  - I and D share the VHPT (one entry per page, as the hardware walker
 *    expects).  An I-side insert does not replace a D-side entry of the
 *    same page holding a different PTE (data is the hotter side); the
 *    chain word, ignored by hardware, records the side.  Nothing catches
 *    a walker-found entry of the other side: an itc_i-only page serves
 *    data loads too (a fidelity limit Xen/IA-64 shares; docs/hypervisor.md,
 *    "One machine VHPT for both sides").
 *  - Collisions: with --machine-vhpt-chain on (the hash vTLB's default) an
 *    insert moves the entry of another page out of its slot into the
 *    slot's collision chain (hv_mvhpt_chain.c) and drops any older entry of
 *    its own page from that chain; purges examine the chains of the slots
 *    they look at.  Off (the single vTLB's default), it overwrites.
 */
#include <string.h>

#include "hv_priv.h"
#include "le_bytes.h"
#include "trace.h"

#define CHAIN_SIDE_VALID 0x100ull

static uint64_t page_mask(unsigned ps)
{
	return (1ull << ps) - 1;
}

uint64_t hv_machine_rr(const struct hv *hv, uint64_t grr)
{
	return ((uint64_t)hv_mrid(hv, RR_RID(grr)) << 8) | (12u << 2) | RR_VE;
}

static uint8_t *mvhpt_entry(struct vcpu *v, uint64_t index)
{
	return v->mvhpt + index * VHPT_ENTRY_SIZE;
}

static uint64_t mvhpt_entries(const struct vcpu *v)
{
	return 1ull << (v->mvhpt_log2 - 5);
}

/* The machine's hash and tag of va as if rr[va.vrn] held mrid (ps 12),
 * not through svtlb_thash/svtlb_ttag: a purge may name a RID no region
 * register holds at the moment (ptc.g from another vCPU, HC_PTC's explicit
 * RID) and walks many pages. */
static void hash_tag(const struct vcpu *v, uint64_t va, uint32_t mrid, uint64_t *index,
		     uint64_t *tag)
{
	uint64_t vpn = (va & SVTLB_OFFSET_MASK) >> 12;
	*index = svtlb_vhpt_index(mrid, vpn, mvhpt_entries(v));
	*tag = svtlb_vhpt_tag(mrid, vpn);
}

void hv_mvhpt_clear(struct vcpu *v)
{
	if (!v->mvhpt_used)
		return;
	uint64_t n = mvhpt_entries(v);
	for (uint64_t i = 0; i < n; i++)
		le64_store(mvhpt_entry(v, i) + 16, VHPT_TAG_TI);
	v->h->cycles += n * v->h->m->cfg.cost.hv_mvhpt_purge_entry;
	if (v->mchain)
		hv_mchain_clear(v->mchain);
	v->mvhpt_used = 0;
	memset(v->mvhpt_max_ps, 0, sizeof(v->mvhpt_max_ps));
	memset(v->mvhpt_nrids, 0, sizeof(v->mvhpt_nrids));
	v->st.mvhpt_clears++;
}

/* Xen keeps the data side's entry of a page (see the header): an I-side
 * insert does not replace e when e holds tag for the D side with another
 * PTE. */
static bool keeps_data_side(const uint8_t *e, uint64_t tag, enum svtlb_side side, uint64_t mpte)
{
	uint64_t chain = le64_load(e + 24);
	return side == SIDE_I && le64_load(e + 16) == tag && (chain & CHAIN_SIDE_VALID) &&
	       (chain & 1) == SIDE_D && le64_load(e) != mpte;
}

/* With collision chains: no older entry of tag may stay in the slot's chain
 * (the walker would find the new one, the miss handler the old); an entry
 * displaced from the slot by another page moves to the chain.  false when
 * the insert must not happen (the data side's entry is kept). */
static bool chain_make_room(struct vcpu *v, uint64_t index, uint64_t tag, enum svtlb_side side,
			    uint64_t mpte)
{
	unsigned probes = 0;
	uint8_t *old = hv_mchain_find(v, index, tag, &probes);
	v->h->cycles += (uint64_t)probes * v->h->m->cfg.cost.hv_vtlb_probe;
	if (old) {
		if (keeps_data_side(old, tag, side, mpte))
			return false;
		le64_store(old + 16, VHPT_TAG_TI);
	}
	const uint8_t *e = mvhpt_entry(v, index);
	uint64_t head_tag = le64_load(e + 16);
	if (!(head_tag & VHPT_TAG_TI) && head_tag != tag) {
		probes = hv_mchain_push(v, index, e);
		v->st.mchain_pushes++;
		v->h->cycles += (uint64_t)probes * v->h->m->cfg.cost.hv_vtlb_probe +
				v->h->m->cfg.cost.hv_mvhpt_insert;
	}
	return true;
}

bool hv_rid_aliased(const struct vcpu *v, unsigned vrn)
{
	for (unsigned i = 0; i < SVTLB_NREGIONS; i++)
		if (i != vrn && RR_RID(v->g.rr[i]) == RR_RID(v->g.rr[vrn]))
			return true;
	return false;
}

/* The machine VHPT's tags name a RID and a region offset, not the region
 * (docs/platform.md 4.5), and the modeled walker of any region whose rr
 * holds the RID finds them; translations are per region (4.1).  Each
 * region's inserted RIDs are listed (a few, then "too many"), so that a
 * region taking a RID another region used since the last clear purges it
 * (a full scan of the table, charged like the VMM's other scans),
 * while a kernel whose other regions keep one RID each never pays. */
static void note_rid(struct vcpu *v, unsigned vrn, uint32_t mrid)
{
	uint8_t n = v->mvhpt_nrids[vrn];
	if (n > HV_MVHPT_RIDS)
		return;
	for (unsigned k = 0; k < n; k++)
		if (v->mvhpt_rids[vrn][k] == mrid)
			return;
	if (n < HV_MVHPT_RIDS)
		v->mvhpt_rids[vrn][n] = mrid;
	v->mvhpt_nrids[vrn] = (uint8_t)(n + 1);
}

void hv_mvhpt_rid_taken(struct vcpu *v, unsigned vrn, uint32_t grid)
{
	uint32_t mrid = hv_mrid(v->hv, grid);
	bool purge = hv_rid_aliased(v, vrn);
	for (unsigned j = 0; j < SVTLB_NREGIONS; j++) {
		uint8_t n = v->mvhpt_nrids[j];
		if (j == vrn || n == 0)
			continue;
		if (n > HV_MVHPT_RIDS) {
			purge = true;
			continue;
		}
		for (unsigned k = 0; k < n; k++)
			if (v->mvhpt_rids[j][k] == mrid) {
				/* purged below: region j's list forgets it */
				v->mvhpt_rids[j][k] = v->mvhpt_rids[j][--n];
				v->mvhpt_nrids[j] = n;
				purge = true;
				break;
			}
	}
	if (purge)
		hv_mvhpt_purge(v, 0, SVTLB_IMPL_VA_BITS, grid, 0);
}

static void mvhpt_insert(struct vcpu *v, enum svtlb_side side, uint64_t va, uint32_t mrid,
			 unsigned ps, uint64_t mpte)
{
	uint64_t index, tag;
	/* The hardware walker of another region with this RID would find the
	 * entry: the machine TC only (hv_mvhpt_holds then says the vTLB must
	 * keep the page). */
	if (hv_rid_aliased(v, SVTLB_VRN(va)))
		return;
	hash_tag(v, va, mrid, &index, &tag);
	uint8_t *e = mvhpt_entry(v, index);
	if (keeps_data_side(e, tag, side, mpte))
		return;
	if (v->mchain && !chain_make_room(v, index, tag, side, mpte))
		return;
	le64_store(e + 16, VHPT_TAG_TI); /* never a half-written entry for the walker */
	le64_store(e, mpte);
	le64_store(e + 8, (uint64_t)ps << 2);
	le64_store(e + 24, CHAIN_SIDE_VALID | side);
	le64_store(e + 16, tag);
	unsigned vrn = SVTLB_VRN(va);
	if (ps > v->mvhpt_max_ps[vrn])
		v->mvhpt_max_ps[vrn] = ps;
	note_rid(v, vrn, mrid);
	v->mvhpt_used++;
	v->st.mvhpt_inserts++;
	v->h->cycles += v->h->m->cfg.cost.hv_mvhpt_insert;
}

bool hv_mvhpt_chain_lookup(struct vcpu *v, uint64_t va)
{
	if (!v->mchain || !v->mvhpt_used)
		return false;
	uint64_t index, tag;
	unsigned probes = 0;
	hash_tag(v, va, RR_RID(v->h->svtlb->rr[SVTLB_VRN(va)]), &index, &tag);
	uint8_t *found = hv_mchain_find(v, index, tag, &probes);
	v->h->cycles += (uint64_t)probes * v->h->m->cfg.cost.hv_vtlb_probe;
	if (!found)
		return false;
	/* swap with the slot (vhpt_lookup): the walker finds it on the retry */
	uint8_t *e = mvhpt_entry(v, index), tmp[VHPT_ENTRY_SIZE];
	memcpy(tmp, e, sizeof tmp);
	le64_store(e + 16, VHPT_TAG_TI);
	memcpy(e, found, 16);
	memcpy(e + 24, found + 24, 8);
	le64_store(e + 16, tag);
	memcpy(found, tmp, sizeof tmp);
	v->st.mchain_hits++;
	v->h->cycles += v->h->m->cfg.cost.hv_mvhpt_insert;
	return true;
}

/* Does the entry at e (valid, of mrid) map a page overlapping the range
 * [off, off + 2^ps) of region offsets? */
static bool entry_overlaps(const uint8_t *e, uint32_t mrid, uint64_t off, unsigned ps,
			   uint64_t keep_pte)
{
	uint64_t tag = le64_load(e + 16);
	if ((tag & VHPT_TAG_TI) || (uint32_t)(tag >> 39) != mrid)
		return false;
	unsigned eps = ITIR_PS(le64_load(e + 8));
	if (eps < 12 || eps > 63)
		eps = 12;
	uint64_t eoff = ((tag & ((1ull << 39) - 1)) << 12) & ~page_mask(eps);
	/* kept: an entry of the very page being inserted (same PTE, size and
	 * base); the PTE word alone does not say which page it maps */
	if (keep_pte && le64_load(e) == keep_pte && eps == ps && eoff == off)
		return false;
	unsigned big = eps > ps ? eps : ps;
	return big >= 64 || (eoff >> big) == (off >> big);
}

/* Invalidates e if it maps a page of mrid overlapping the range: 1 if so. */
static inline uint64_t purge_entry(uint8_t *e, uint32_t mrid, uint64_t off, unsigned ps,
				   uint64_t keep_pte)
{
	if ((le64_load(e + 16) & VHPT_TAG_TI) || !entry_overlaps(e, mrid, off, ps, keep_pte))
		return 0;
	le64_store(e + 16, VHPT_TAG_TI);
	return 1;
}

/* The slot and its chain: entries examined, *purged += those invalidated. */
static uint64_t purge_slot(struct vcpu *v, uint64_t index, uint32_t mrid, uint64_t off, unsigned ps,
			   uint64_t keep_pte, uint64_t *purged)
{
	uint64_t examined = 1;
	*purged += purge_entry(mvhpt_entry(v, index), mrid, off, ps, keep_pte);
	if (v->mchain && v->mchain_heads[index]) {
		uint32_t cursor = 0;
		for (uint8_t *ce; (ce = hv_mchain_next(v, index, &cursor)) != NULL; examined++)
			*purged += purge_entry(ce, mrid, off, ps, keep_pte);
	}
	return examined;
}

void hv_mvhpt_purge(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid, uint64_t keep_pte)
{
	if (!v->mvhpt_used)
		return;
	uint32_t mrid = hv_mrid(v->hv, grid);
	unsigned vrn = SVTLB_VRN(va);
	unsigned wide = ps > v->mvhpt_max_ps[vrn] ? ps : v->mvhpt_max_ps[vrn];
	uint64_t off = va & SVTLB_OFFSET_MASK & ~page_mask(ps);
	uint64_t n = mvhpt_entries(v), examined = 0, purged = 0;
	if (wide < 12)
		wide = 12;
	if (wide - 12 < 40 && (1ull << (wide - 12)) <= n) {
		/* every 4 KiB slot the widest page of the region could use */
		uint64_t first = va & ~page_mask(wide), pages = 1ull << (wide - 12);
		for (uint64_t p = 0; p < pages; p++) {
			uint64_t index, tag;
			hash_tag(v, first + (p << 12), mrid, &index, &tag);
			examined += purge_slot(v, index, mrid, off, ps, keep_pte, &purged);
		}
	} else {
		for (uint64_t i = 0; i < n; i++)
			purged += purge_entry(mvhpt_entry(v, i), mrid, off, ps, keep_pte);
		examined = n;
		uint8_t *ce;
		for (uint32_t i = 0; v->mchain && (ce = hv_mchain_pool_entry(v, i)) != NULL; i++) {
			purged += purge_entry(ce, mrid, off, ps, keep_pte);
			examined++;
		}
	}
	v->st.mvhpt_purged += purged;
	v->h->cycles += examined * v->h->m->cfg.cost.hv_mvhpt_purge_entry;
}

/* Remembers that the guest page [base, 2^ps) reaches the machine split
 * (hv_priv.h, split_ps). */
static void note_split(struct vcpu *v, uint64_t base, unsigned ps)
{
	unsigned vrn = SVTLB_VRN(base);
	uint64_t last = base + page_mask(ps);
	if (!v->split_ps[vrn]) {
		v->split_lo[vrn] = base;
		v->split_last[vrn] = last;
	}
	if (base < v->split_lo[vrn])
		v->split_lo[vrn] = base;
	if (last > v->split_last[vrn])
		v->split_last[vrn] = last;
	if (ps > v->split_ps[vrn])
		v->split_ps[vrn] = ps;
}

enum p2m_kind hv_machine_insert(struct vcpu *v, enum svtlb_side side, uint64_t va, uint32_t grid,
				unsigned gps, uint64_t gpte, uint64_t *pa)
{
	struct hv *hv = v->hv;
	uint64_t gpage = gpte & SVPTE_PPN_MASK & ~page_mask(gps);
	uint64_t gpa = gpage | (va & page_mask(gps));
	uint64_t mpa;
	unsigned mps = gps;
	bool whole = gps == 12 || hv->p.whole_large_pages;
	enum p2m_kind k = whole ? hv_p2m(hv, gpage, 1ull << gps, &mpa) : P2M_NONE;
	if (k != P2M_RAM) {
		/* the 4 KiB sub-page holding va; else a device by address
		 * (device windows may be smaller than a page) */
		k = hv_p2m(hv, gpa & ~0xfffull, 4096, &mpa);
		if (k != P2M_RAM)
			k = hv_p2m(hv, gpa, 1, &mpa);
		if (k != P2M_RAM) {
			*pa = gpa;
			return k;
		}
		mps = 12;
		v->st.subpage_inserts++;
		if (gps > 12)
			note_split(v, va & ~page_mask(gps), gps);
	}
	uint64_t mpte = (gpte & ~SVPTE_PPN_MASK) | (mpa & SVPTE_PPN_MASK);
	uint32_t mrid = hv_mrid(hv, grid);
	if (mps > 12 || v->mvhpt_max_ps[SVTLB_VRN(va)] > 12)
		hv_mvhpt_purge(v, va & ~page_mask(mps), mps, grid, mpte);
	mvhpt_insert(v, side, va & ~0xfffull, mrid, mps, mpte);
	svtlb_tc_insert(v->h, side, va & ~page_mask(mps), mrid, mps, mpte);
	v->st.mtc_inserts++;
	v->h->cycles += v->h->m->cfg.cost.tlb_insert;
	*pa = (mpa & ~page_mask(mps)) | (va & page_mask(mps));
	return P2M_RAM;
}

bool hv_mvhpt_holds(struct vcpu *v, uint64_t va, uint32_t grid, uint64_t gpte)
{
	uint64_t mpa, index, tag;
	if (hv_p2m(v->hv, gpte & SVPTE_PPN_MASK, 4096, &mpa) != P2M_RAM)
		return false;
	uint64_t mpte = (gpte & ~SVPTE_PPN_MASK) | (mpa & SVPTE_PPN_MASK);
	hash_tag(v, va & ~0xfffull, hv_mrid(v->hv, grid), &index, &tag);
	const uint8_t *e = mvhpt_entry(v, index);
	return le64_load(e + 16) == tag && le64_load(e) == mpte && ITIR_PS(le64_load(e + 8)) == 12;
}

void hv_machine_purge(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid)
{
	svtlb_tc_purge(v->h, va, ps, hv_mrid(v->hv, grid));
	hv_mvhpt_purge(v, va, ps, grid, 0);
}
