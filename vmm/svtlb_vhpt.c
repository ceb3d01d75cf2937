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
#include "machine.h"
#include "pmp.h"
#include "svtlb_priv.h"
#include "trace.h"

/* A 64-bit odd constant (2^64 / golden ratio) spreads RIDs over the table
 * so that address spaces mapping the same virtual pages do not all collide
 * (spec "Hash function"). */
#define RID_MIX 0x9e3779b97f4a7c15ull

static uint64_t vpn_in_region(const struct svtlb *s, uint64_t va)
{
	return (va & SVTLB_OFFSET_MASK) >> RR_PS(s->rr[SVTLB_VRN(va)]);
}

uint64_t svtlb_hash_mix(uint32_t rid)
{
	return ((uint64_t)rid * RID_MIX) >> 40;
}

uint64_t svtlb_thash(const struct svtlb *s, uint64_t va)
{
	unsigned size = PTA_SIZE(s->pta); /* kept in [PTA_SIZE_MIN, PTA_SIZE_MAX] */
	uint64_t entries = 1ull << (size - 5);
	uint64_t mix = svtlb_hash_mix(svtlb_rid_of(s, va));
	uint64_t index = (vpn_in_region(s, va) ^ mix) & (entries - 1);
	uint64_t base = s->pta & PTA_BASE_MASK & ~((1ull << size) - 1);
	return base + index * VHPT_ENTRY_SIZE;
}

/* rid in bits 62:39, the region VPN in bits 38:0 (a VPN has at most
 * 51 - 12 = 39 bits); bit 63 (ti) is never set, so an entry whose ti is set
 * matches nothing. */
uint64_t svtlb_ttag(const struct svtlb *s, uint64_t va)
{
	return ((uint64_t)svtlb_rid_of(s, va) << 39) | vpn_in_region(s, va);
}

/* Guest memory is little-endian (RISC-V); assemble words bytewise so the
 * host's byte order does not matter. */
static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int svtlb_vhpt_walk(struct svtlb *s, uint64_t va, enum svtlb_side side, struct svtlb_map *mp)
{
	struct hart *h = s->h;
	STAT_CHARGE(h, EV_VHPT_WALK, h->m->cfg.cost.vhpt_walk);

	/* The walker's reference is physical in vtlab (spec "Hardware VHPT
	 * walker"): outside RAM it is a VHPT translation fault. */
	/* The walker's read is an implicit S-mode access for PMP. */
	const uint8_t *ent = phys_ram_ptr(h->m, svtlb_thash(s, va), VHPT_ENTRY_SIZE);
	if (!ent || !pmp_check(h, svtlb_thash(s, va), ACC_READ, PRV_S)) {
		TRACE(h, VHPT_WALK, 2, va, svtlb_thash(s, va), 0);
		return SVTLB_EXC_VHPT_FAULT;
	}
	uint64_t pte = load_le64(ent), itir = load_le64(ent + 8), tag = load_le64(ent + 16);
	unsigned ps = ITIR_PS(itir);
	if ((tag & VHPT_TAG_TI) || tag != svtlb_ttag(s, va) || !svtlb_ps_ok(ps)) {
		h->st.ev[EV_VHPT_MISS]++;
		TRACE(h, VHPT_WALK, 1, va, svtlb_thash(s, va), 0);
		return side == SIDE_I ? SVTLB_EXC_ITLB_MISS : SVTLB_EXC_DTLB_MISS;
	}
	h->st.ev[EV_VHPT_HIT]++;
	TRACE(h, VHPT_WALK, 0, va, svtlb_thash(s, va), 0);
	/* A matching entry that is not present is not inserted. */
	if (!(pte & SVPTE_P))
		return SVTLB_EXC_PAGE_NOT_PRESENT;
	svtlb_tc_insert(h, side, va, svtlb_rid_of(s, va), ps, pte);
	mp->pte = pte;
	mp->ps = ps;
	return 0;
}
