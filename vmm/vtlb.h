/*
 * vtlb.h - the virtual TLB of one vCPU: the guest's TC entries as the VMM
 * keeps them, behind one interface with two strategies (docs/hypervisor.md).
 *
 * Contract:
 *  - An entry is a guest translation: guest virtual address (region bits
 *    included) aligned to 2^ps, the guest RID, page size, the guest PTE as
 *    the guest inserted it (guest-physical PPN), and the side (I or D).
 *  - single: one I and one D entry; an insert replaces the entry of its side.
 *  - hash: `buckets` heads (a power of two) indexed by a hash of (va, rid)
 *    at the entry's page size, each with a collision chain taken from a
 *    pool of `pool` entries, at most `chain_max` entries per chain.  Insert
 *    of a translation overlapping existing ones purges them first (the
 *    architecture forbids overlapping TC entries).  A full chain recycles
 *    the chain's oldest entry; an empty pool recycles a whole chain (Xen's
 *    vtlb.c did both) - each recycle is reported in vtlb_stats.
 *  - lookup returns the entry translating (va, rid) for the side, counting
 *    the probes (chain elements visited) so the VMM can charge them.
 *  - purge removes entries of rid overlapping [va, va + 2^ps); purge_all
 *    empties the vTLB (ptc.e).
 * Pure data structure: no engine state, no costs (the caller charges), so
 * it is unit-tested alone (vmm/tests/test_vtlb.c).
 */
#ifndef VMM_VTLB_H
#define VMM_VTLB_H

#include <stdbool.h>
#include <stdint.h>

enum vtlb_kind { VTLB_SINGLE = 0, VTLB_HASH = 1 };
enum vtlb_side { VTLB_I = 0, VTLB_D = 1 };

struct vtlb_entry {
	uint64_t va;  /* aligned to 2^ps */
	uint64_t pte; /* guest PTE (docs/platform.md 4.2), guest-physical PPN */
	uint32_t rid;
	uint8_t ps;
	uint8_t side; /* enum vtlb_side */
};

struct vtlb_params {
	enum vtlb_kind kind;
	unsigned buckets;   /* hash: power of two (default 4096) */
	unsigned pool;      /* hash: collision-chain pool entries (default = buckets) */
	unsigned chain_max; /* hash: maximum chain length (default 4) */
};

struct vtlb_stats {
	uint64_t inserts, lookups, hits, misses, probes, purges, purged, recycles;
};

struct vtlb;

void vtlb_params_default(struct vtlb_params *p, enum vtlb_kind kind);
/* NULL when the parameters are invalid or memory is short. */
struct vtlb *vtlb_create(const struct vtlb_params *p);
void vtlb_destroy(struct vtlb *t);
/* Inserts e; returns the number of entries it purged or recycled. */
unsigned vtlb_insert(struct vtlb *t, const struct vtlb_entry *e);
/* The entry translating va for rid on side, or NULL; *probes += chain
 * elements visited. */
const struct vtlb_entry *vtlb_lookup(struct vtlb *t, uint64_t va, uint32_t rid, enum vtlb_side side,
				     unsigned *probes);
/* Removes entries of rid overlapping [va, va + 2^ps); returns how many. */
unsigned vtlb_purge(struct vtlb *t, uint64_t va, unsigned ps, uint32_t rid);
void vtlb_purge_all(struct vtlb *t);
/* The largest page size of an entry of rid (either side) that contains
 * [va, va + 2^ps), or ps when none is larger: a purge or an overlapping
 * insert of that range removes such an entry whole, so the caller can
 * purge what it derived from it.  Changes and counts nothing. */
unsigned vtlb_cover_ps(struct vtlb *t, uint64_t va, unsigned ps, uint32_t rid);
const struct vtlb_stats *vtlb_stats(const struct vtlb *t);
unsigned vtlb_count(const struct vtlb *t); /* valid entries */

#endif
