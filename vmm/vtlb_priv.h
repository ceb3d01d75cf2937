/*
 * vtlb_priv.h - the strategy interface behind vtlb.h, shared by vtlb.c (the
 * dispatcher: parameters, statistics) and the strategies vtlb_single.c and
 * vtlb_hash.c.  Not a public interface: users include vtlb.h.
 *
 * Contract for a strategy:
 *  - entries handed to insert are valid (side 0/1, ps 0..63) and their va
 *    is aligned to 2^ps; purge ranges are aligned to 2^ps, ps 0..64 (64:
 *    the whole address space);
 *  - insert purges the entries of the same side and RID overlapping the new
 *    page first (docs/platform.md 4.6: "a lookup never finds two
 *    translations"), then makes room; it returns every entry it dropped and
 *    sets *recycled to those dropped only to make room;
 *  - lookup adds to *probes the entries it compared (never NULL here);
 *  - purge removes the entries of rid overlapping [va, va + 2^ps) on both
 *    sides, whatever their page size (docs/platform.md 4.6, ptc.l);
 *  - nothing allocates memory after create.
 */
#ifndef VMM_VTLB_PRIV_H
#define VMM_VTLB_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "vtlb.h"

struct vtlb_strategy {
	void *(*create)(const struct vtlb_params *p);
	void (*destroy)(void *impl);
	unsigned (*insert)(void *impl, const struct vtlb_entry *e, unsigned *recycled);
	const struct vtlb_entry *(*lookup)(void *impl, uint64_t va, uint32_t rid,
					   enum vtlb_side side, unsigned *probes);
	unsigned (*purge)(void *impl, uint64_t va, unsigned ps, uint32_t rid);
	unsigned (*purge_all)(void *impl); /* returns the entries removed */
	unsigned (*count)(const void *impl);
};

extern const struct vtlb_strategy vtlb_single_strategy;
extern const struct vtlb_strategy vtlb_hash_strategy;

/* Largest page-size exponent an entry may have (va >> ps must be defined). */
#define VTLB_PS_MAX 63u

/* Two naturally aligned power-of-two ranges overlap exactly when the larger
 * one contains the smaller: compare their addresses above the larger size. */
static inline bool vtlb_overlaps(const struct vtlb_entry *e, uint64_t va, unsigned ps)
{
	unsigned big = e->ps > ps ? e->ps : ps;
	return big >= 64 || (e->va >> big) == (va >> big);
}

/* Whether e translates va (any side, any RID). */
static inline bool vtlb_contains(const struct vtlb_entry *e, uint64_t va)
{
	return (e->va >> e->ps) == (va >> e->ps);
}

#endif
