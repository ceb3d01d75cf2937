/*
 * svtlb_vhpt.c - the Svtlb long-format VHPT: the hash and tag functions
 * (what the THASH and TTAG CSRs return, and where the walker looks) and the
 * hardware VHPT walker.
 *
 * Contract: docs/platform.md "Svtlb", subsections "VHPT" and "Hardware
 * VHPT walker".  The walker makes one physical reference to guest RAM
 * through phys_ram_ptr() (never past guest RAM); it checks only the entry
 * the hash selects (like Itanium hardware, it never follows the chain
 * word, which belongs to software).  Every walk is counted (EV_VHPT_WALK
 * and EV_VHPT_HIT or EV_VHPT_MISS) and charged cost.vhpt_walk.
 */
#include <stdint.h>

#include "bus.h"
#include "le_bytes.h"
#include "machine.h"
#include "pmp.h"
#include "svtlb_priv.h"
#include "trace.h"

static uint64_t vpn_in_region(const struct svtlb *s, uint64_t va)
{
	return (va & SVTLB_OFFSET_MASK) >> RR_PS(s->rr[SVTLB_VRN(va)]);
}

uint64_t svtlb_thash(const struct svtlb *s, uint64_t va)
{
	unsigned size = PTA_SIZE(s->pta); /* kept in [PTA_SIZE_MIN, PTA_SIZE_MAX] */
	uint64_t entries = 1ull << (size - 5);
	uint64_t index = svtlb_vhpt_index(svtlb_rid_of(s, va), vpn_in_region(s, va), entries);
	uint64_t base = s->pta & PTA_BASE_MASK & ~((1ull << size) - 1);
	return base + index * VHPT_ENTRY_SIZE;
}

uint64_t svtlb_ttag(const struct svtlb *s, uint64_t va)
{
	return svtlb_vhpt_tag(svtlb_rid_of(s, va), vpn_in_region(s, va));
}

int svtlb_vhpt_walk(struct svtlb *s, uint64_t va, enum svtlb_side side, struct svtlb_map *mp)
{
	struct hart *h = s->h;
	STAT_CHARGE(h, EV_VHPT_WALK, h->m->cfg.cost.vhpt_walk);

	/* The walker's reference is physical in vtlab (spec "Hardware VHPT
	 * walker"): outside RAM it is a VHPT translation fault.  The read is an
	 * implicit S-mode access for PMP. */
	uint64_t iha = svtlb_thash(s, va);
	const uint8_t *ent = phys_ram_ptr(h->m, iha, VHPT_ENTRY_SIZE);
	if (!ent || !pmp_check(h, iha, ACC_READ, PRV_S)) {
		TRACE(h, VHPT_WALK, 2, va, iha, 0);
		return SVTLB_EXC_VHPT_FAULT;
	}
	uint64_t pte = le64_load(ent), itir = le64_load(ent + 8), tag = le64_load(ent + 16);
	unsigned ps = ITIR_PS(itir);
	if ((tag & VHPT_TAG_TI) || tag != svtlb_ttag(s, va) || !svtlb_ps_ok(ps)) {
		h->st.ev[EV_VHPT_MISS]++;
		TRACE(h, VHPT_WALK, 1, va, iha, 0);
		return side == SIDE_I ? SVTLB_EXC_ITLB_MISS : SVTLB_EXC_DTLB_MISS;
	}
	h->st.ev[EV_VHPT_HIT]++;
	TRACE(h, VHPT_WALK, 0, va, iha, 0);
	/* A matching entry that is not present is not inserted. */
	if (!(pte & SVPTE_P))
		return SVTLB_EXC_PAGE_NOT_PRESENT;
	svtlb_tc_insert(h, side, va, svtlb_rid_of(s, va), ps, pte);
	mp->pte = pte;
	mp->ps = ps;
	return 0;
}
