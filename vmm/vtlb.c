/*
 * vtlb.c - the virtual TLB's front end (vtlb.h): parameter defaults and
 * validation, dispatch to the strategy (vtlb_single.c, vtlb_hash.c), and
 * the statistics, kept here so both strategies count the same way:
 *
 *   inserts   vtlb_insert calls (of valid entries)
 *   lookups   vtlb_lookup calls; hits + misses = lookups
 *   probes    entries compared by lookups (what *probes receives)
 *   purges    vtlb_purge and vtlb_purge_all calls
 *   purged    entries removed by purges, purge_all, and the overlap purge
 *             of inserts (docs/platform.md 4.6)
 *   recycles  entries dropped only to make room (single: the side's entry
 *             replaced by a non-overlapping one; hash: a full chain's
 *             oldest entry, or a whole chain when the pool is empty)
 *
 * Entries with side > 1 or ps > 63 are not inserted (vtlb_insert returns 0
 * and counts nothing): the VMM validates ps against the supported sizes
 * (docs/platform.md 4.1) before it inserts.
 */
#include "vtlb.h"

#include <stdlib.h>
#include <string.h>

#include "vtlb_priv.h"

/* Hash-table limits: indexes are 32-bit, chain lengths 8-bit (a chain is
 * walked to its oldest entry on recycle, so it must stay short anyway). */
#define VTLB_MAX_BUCKETS (1u << 24)
#define VTLB_MAX_POOL (1u << 24)
#define VTLB_MAX_CHAIN 255u

struct vtlb {
	const struct vtlb_strategy *s;
	void *impl;
	struct vtlb_stats st;
};

void vtlb_params_default(struct vtlb_params *p, enum vtlb_kind kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->buckets = 4096;
	p->pool = p->buckets;
	p->chain_max = 4;
}

static bool hash_params_valid(const struct vtlb_params *p)
{
	bool pow2 = p->buckets != 0 && (p->buckets & (p->buckets - 1)) == 0;
	return pow2 && p->buckets <= VTLB_MAX_BUCKETS && p->pool >= 1 && p->pool <= VTLB_MAX_POOL &&
	       p->chain_max >= 1 && p->chain_max <= VTLB_MAX_CHAIN;
}

struct vtlb *vtlb_create(const struct vtlb_params *p)
{
	const struct vtlb_strategy *s;
	if (!p)
		return NULL;
	switch (p->kind) {
	case VTLB_SINGLE: s = &vtlb_single_strategy; break;
	case VTLB_HASH:
		if (!hash_params_valid(p))
			return NULL;
		s = &vtlb_hash_strategy;
		break;
	default: return NULL;
	}
	struct vtlb *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->s = s;
	t->impl = s->create(p);
	if (!t->impl) {
		free(t);
		return NULL;
	}
	return t;
}

void vtlb_destroy(struct vtlb *t)
{
	if (!t)
		return;
	t->s->destroy(t->impl);
	free(t);
}

static uint64_t align_down(uint64_t va, unsigned ps)
{
	return ps >= 64 ? 0 : va & ~((UINT64_C(1) << ps) - 1);
}

unsigned vtlb_insert(struct vtlb *t, const struct vtlb_entry *e)
{
	if (e->side > VTLB_D || e->ps > VTLB_PS_MAX)
		return 0;
	struct vtlb_entry n = *e;
	n.va = align_down(n.va, n.ps);
	unsigned recycled = 0;
	unsigned dropped = t->s->insert(t->impl, &n, &recycled);
	t->st.inserts++;
	t->st.purged += dropped - recycled;
	t->st.recycles += recycled;
	return dropped;
}

const struct vtlb_entry *vtlb_lookup(struct vtlb *t, uint64_t va, uint32_t rid, enum vtlb_side side,
				     unsigned *probes)
{
	unsigned n = 0;
	const struct vtlb_entry *e = NULL;
	if (side == VTLB_I || side == VTLB_D)
		e = t->s->lookup(t->impl, va, rid, side, &n);
	t->st.lookups++;
	t->st.probes += n;
	if (e)
		t->st.hits++;
	else
		t->st.misses++;
	if (probes)
		*probes += n;
	return e;
}

unsigned vtlb_purge(struct vtlb *t, uint64_t va, unsigned ps, uint32_t rid)
{
	if (ps > 64)
		ps = 64;
	unsigned n = t->s->purge(t->impl, align_down(va, ps), ps, rid);
	t->st.purges++;
	t->st.purged += n;
	return n;
}

void vtlb_purge_all(struct vtlb *t)
{
	t->st.purges++;
	t->st.purged += t->s->purge_all(t->impl);
}

unsigned vtlb_cover_ps(struct vtlb *t, uint64_t va, unsigned ps, uint32_t rid)
{
	/* Naturally aligned ranges: an entry larger than the range that
	 * overlaps it contains it, hence its base; the overlap purge of
	 * inserts leaves at most one such entry per side. */
	unsigned widest = ps;
	if (ps >= 64)
		return ps;
	for (unsigned side = VTLB_I; side <= VTLB_D; side++) {
		unsigned n = 0;
		const struct vtlb_entry *e =
			t->s->lookup(t->impl, align_down(va, ps), rid, side, &n);
		if (e && e->ps > widest)
			widest = e->ps;
	}
	return widest;
}

const struct vtlb_stats *vtlb_stats(const struct vtlb *t)
{
	return &t->st;
}

unsigned vtlb_count(const struct vtlb *t)
{
	return t->s->count(t->impl);
}
