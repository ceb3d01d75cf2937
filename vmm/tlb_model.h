/*
 * tlb_model.h - the modeled machine TLB: a set-associative array of
 * translations with a configurable number of entries and ways.
 *
 * Contract:
 *  - Replacement is FIFO within a set (a round-robin victim pointer per set),
 *    so a hit never changes state.  That is what lets the engine count hits
 *    exactly for free: hits = accesses - misses, and the host fast path
 *    (mmu.h) may serve hits without touching this structure, as long as
 *    every entry it caches is still resident here.  tlb_model therefore
 *    reports every entry it drops (eviction or purge) through the `dropped`
 *    callback so the caller can drop its host fast-path copies.
 *  - Entries may have any page size (shift 12..39).  A lookup probes each
 *    page size currently present, indexing the set by the VPN at that size.
 *  - Entries are tagged with an address-space id (Sv39 ASID or Svtlb RID);
 *    `global` entries match every id.
 */
#ifndef VMM_TLB_MODEL_H
#define VMM_TLB_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum tlb_perm {
	TLB_R = 1,
	TLB_W = 2,
	TLB_X = 4,
	TLB_U = 8,  /* user page (Sv39 U bit) */
	TLB_D = 16, /* dirty: a store may proceed without a PTE update */
	TLB_A = 32  /* accessed */
};

struct tlb_entry {
	uint64_t vpn;  /* virtual address >> shift */
	uint64_t ppn;  /* physical address >> shift */
	uint64_t aux;  /* owner's data: PTE address (Sv39), key (Svtlb) */
	uint32_t asid; /* ASID or RID */
	uint8_t shift; /* log2 page size */
	uint8_t perm;  /* enum tlb_perm bits, plus owner-defined bits 6-7 */
	uint8_t valid;
	uint8_t global;
};

struct tlb_model;
typedef void (*tlb_dropped_fn)(void *ctx, const struct tlb_entry *e);

struct tlb_model {
	struct tlb_entry *e; /* sets * ways */
	uint32_t *victim;    /* per set FIFO pointer */
	unsigned sets, ways;
	uint64_t shift_mask; /* bit s set when some valid entry has shift s */
	tlb_dropped_fn dropped;
	void *ctx;
	uint64_t misses, evictions, inserts;
};

/* entries must be a multiple of ways; sets = entries / ways must be a power
 * of two.  Returns 0, or -1 if the geometry is invalid. */
int tlb_model_init(struct tlb_model *t, unsigned entries, unsigned ways, tlb_dropped_fn dropped,
		   void *ctx);
void tlb_model_free(struct tlb_model *t);
/* Finds the entry translating va for asid, or NULL. */
struct tlb_entry *tlb_model_lookup(struct tlb_model *t, uint64_t va, uint32_t asid);
/* Inserts (replacing a matching entry of the same page or the FIFO victim);
 * returns the slot. */
struct tlb_entry *tlb_model_insert(struct tlb_model *t, const struct tlb_entry *n);
/* Purges entries overlapping [va, va+size) (every va when size is 0) whose asid matches (or all asids
 * when all_asids); global entries are purged only when with_global. */
void tlb_model_purge(struct tlb_model *t, uint64_t va, uint64_t size, uint32_t asid, bool all_asids,
		     bool with_global);
void tlb_model_flush(struct tlb_model *t);

#endif
