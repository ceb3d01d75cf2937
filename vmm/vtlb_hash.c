/*
 * vtlb_hash.c - the "hash" vTLB strategy (vtlb.h): TC entries in a hash
 * table of `buckets` chains whose nodes come from a pool of `pool` entries
 * allocated once at create (docs/hypervisor.md, "The vTLB strategies").
 * The idea is Xen/IA-64's vtlb.c (thash_data_t entries, collision chains
 * from the `cch` pool, recycling when a chain is too long or the pool is
 * empty); the code is vtlab's own.
 *
 *  - A bucket is the index of its newest node; a chain runs newest to
 *    oldest, at most chain_max long.  The hash of an entry is taken on
 *    (va >> ps, rid, ps) at the entry's own page size.
 *  - Insert: overlap purge of the same side and RID (docs/platform.md 4.6),
 *    then room: a full chain gives up its oldest (tail) node; an empty pool
 *    gives up the whole chain holding the vTLB's oldest entry (Xen recycled
 *    every chain at once; one chain keeps the rest of the vTLB warm).  An
 *    age list through every live node finds that entry in O(1).
 *  - Lookup probes one bucket per page size present for the side and region
 *    of va (a mask per side and region, kept exact by per-size counts, as
 *    Xen kept psbits per region and tlb_model.c keeps shift_mask).
 *  - Purge of [va, va + 2^ps) visits, for each page size s present, the
 *    buckets of the pages of size s covering the range; when that is more
 *    buckets than there are live entries it walks the age list instead.
 * Nothing allocates after create; lookups never change the structure.
 */
#include <stdlib.h>
#include <string.h>

#include "vtlb_priv.h"

#define NIL UINT32_MAX
#define REGIONS 8 /* va[63:61], docs/platform.md 4.1 */

struct hnode {
	struct vtlb_entry e;
	uint32_t next;         /* chain (toward older) or free list */
	uint32_t bucket;       /* the chain holding the node */
	uint32_t older, newer; /* age list of the live nodes */
};

struct vtlb_hash {
	struct hnode *pool;
	uint32_t *head; /* per bucket: newest node, or NIL */
	uint8_t *len;   /* per bucket: chain length */
	uint32_t free;  /* free-node list */
	uint32_t oldest, newest;
	unsigned buckets, npool, chain_max, count;
	uint64_t ps_mask[2][REGIONS];                   /* bit ps: some entry of size 2^ps */
	uint32_t ps_count[2][REGIONS][VTLB_PS_MAX + 1]; /* entries per size */
};

/* Which entries a purge removes. */
struct match {
	uint64_t va;
	unsigned ps;
	uint32_t rid;
	unsigned sides; /* bit per enum vtlb_side */
};

/* splitmix64's finalizer over the page number, with the RID and the size
 * multiplied into the high bits first: every input bit reaches the low
 * bits used as the index, so the region number (top of va) and RIDs of
 * address spaces mapping the same pages spread over the table. */
static uint32_t bucket_of(const struct vtlb_hash *h, uint64_t vpn, uint32_t rid, unsigned ps)
{
	uint64_t x = vpn ^ ((((uint64_t)rid << 6) | ps) * UINT64_C(0x9E3779B97F4A7C15));
	x ^= x >> 30;
	x *= UINT64_C(0xBF58476D1CE4E5B9);
	x ^= x >> 27;
	x *= UINT64_C(0x94D049BB133111EB);
	x ^= x >> 31;
	return (uint32_t)(x & (h->buckets - 1));
}

static unsigned region_of(uint64_t va)
{
	return (unsigned)(va >> 61);
}

static void hash_reset(struct vtlb_hash *h)
{
	for (unsigned b = 0; b < h->buckets; b++)
		h->head[b] = NIL;
	memset(h->len, 0, h->buckets);
	for (unsigned i = 0; i < h->npool; i++)
		h->pool[i].next = i + 1 < h->npool ? i + 1 : NIL;
	h->free = 0;
	h->oldest = h->newest = NIL;
	h->count = 0;
	memset(h->ps_mask, 0, sizeof(h->ps_mask));
	memset(h->ps_count, 0, sizeof(h->ps_count));
}

static void hash_destroy(void *impl)
{
	struct vtlb_hash *h = impl;
	if (!h)
		return;
	free(h->pool);
	free(h->head);
	free(h->len);
	free(h);
}

static void *hash_create(const struct vtlb_params *p)
{
	struct vtlb_hash *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->buckets = p->buckets;
	h->npool = p->pool;
	h->chain_max = p->chain_max;
	h->pool = calloc(p->pool, sizeof(*h->pool));
	h->head = calloc(p->buckets, sizeof(*h->head));
	h->len = calloc(p->buckets, sizeof(*h->len));
	if (!h->pool || !h->head || !h->len) {
		hash_destroy(h);
		return NULL;
	}
	hash_reset(h);
	return h;
}

/* ---- bookkeeping of live nodes ---- */

static void sizes_add(struct vtlb_hash *h, const struct vtlb_entry *e)
{
	unsigned r = region_of(e->va);
	h->ps_count[e->side][r][e->ps]++;
	h->ps_mask[e->side][r] |= UINT64_C(1) << e->ps;
}

static void sizes_remove(struct vtlb_hash *h, const struct vtlb_entry *e)
{
	unsigned r = region_of(e->va);
	if (--h->ps_count[e->side][r][e->ps] == 0)
		h->ps_mask[e->side][r] &= ~(UINT64_C(1) << e->ps);
}

static void age_append(struct vtlb_hash *h, uint32_t i)
{
	h->pool[i].older = h->newest;
	h->pool[i].newer = NIL;
	if (h->newest != NIL)
		h->pool[h->newest].newer = i;
	else
		h->oldest = i;
	h->newest = i;
}

static void age_unlink(struct vtlb_hash *h, uint32_t i)
{
	struct hnode *n = &h->pool[i];
	if (n->older != NIL)
		h->pool[n->older].newer = n->newer;
	else
		h->oldest = n->newer;
	if (n->newer != NIL)
		h->pool[n->newer].older = n->older;
	else
		h->newest = n->older;
}

/* Removes node i, which follows node prev in its chain (NIL: i is the
 * head), and returns it to the free list. */
static void node_remove(struct vtlb_hash *h, uint32_t i, uint32_t prev)
{
	struct hnode *n = &h->pool[i];
	if (prev == NIL)
		h->head[n->bucket] = n->next;
	else
		h->pool[prev].next = n->next;
	h->len[n->bucket]--;
	age_unlink(h, i);
	sizes_remove(h, &n->e);
	h->count--;
	n->next = h->free;
	h->free = i;
}

/* Removes the node at the end of bucket b's chain (its oldest). */
static void chain_drop_oldest(struct vtlb_hash *h, uint32_t b)
{
	uint32_t prev = NIL, i = h->head[b];
	while (h->pool[i].next != NIL) {
		prev = i;
		i = h->pool[i].next;
	}
	node_remove(h, i, prev);
}

/* Removes bucket b's whole chain; returns its length. */
static unsigned chain_drop_all(struct vtlb_hash *h, uint32_t b)
{
	unsigned n = 0;
	while (h->head[b] != NIL) {
		node_remove(h, h->head[b], NIL);
		n++;
	}
	return n;
}

/* ---- purges ---- */

static bool matches(const struct vtlb_entry *e, const struct match *m)
{
	return e->rid == m->rid && (m->sides >> e->side & 1) && vtlb_overlaps(e, m->va, m->ps);
}

/* Removes the matching entries of bucket b's chain. */
static unsigned purge_bucket(struct vtlb_hash *h, uint32_t b, const struct match *m)
{
	unsigned n = 0;
	uint32_t prev = NIL, i = h->head[b];
	while (i != NIL) {
		uint32_t next = h->pool[i].next;
		if (matches(&h->pool[i].e, m)) {
			node_remove(h, i, prev);
			n++;
		} else {
			prev = i;
		}
		i = next;
	}
	return n;
}

/* Removes node i wherever it is in its chain. */
static void node_remove_any(struct vtlb_hash *h, uint32_t i)
{
	uint32_t prev = NIL;
	for (uint32_t j = h->head[h->pool[i].bucket]; j != i; j = h->pool[j].next)
		prev = j;
	node_remove(h, i, prev);
}

/* Removes the matching entries by walking every live entry. */
static unsigned purge_walk(struct vtlb_hash *h, const struct match *m)
{
	unsigned n = 0;
	uint32_t i = h->oldest;
	while (i != NIL) {
		uint32_t newer = h->pool[i].newer;
		if (matches(&h->pool[i].e, m)) {
			node_remove_any(h, i);
			n++;
		}
		i = newer;
	}
	return n;
}

/* Page sizes present on the purged sides in the region of m->va. */
static uint64_t purge_sizes(const struct vtlb_hash *h, const struct match *m)
{
	unsigned r = region_of(m->va);
	uint64_t mask = 0;
	for (unsigned side = 0; side < 2; side++)
		if (m->sides >> side & 1)
			mask |= h->ps_mask[side][r];
	return mask;
}

/* Buckets a purge by pages visits (one per page of each size present), or
 * UINT64_MAX when it exceeds `limit`. */
static uint64_t purge_cost(uint64_t mask, unsigned ps, uint64_t limit)
{
	uint64_t total = 0;
	for (; mask; mask &= mask - 1) {
		unsigned s = (unsigned)__builtin_ctzll(mask);
		total += ps > s ? UINT64_C(1) << (ps - s) : 1;
		if (total > limit)
			return UINT64_MAX;
	}
	return total;
}

static unsigned purge_match(struct vtlb_hash *h, const struct match *m)
{
	if (h->count == 0)
		return 0;
	/* A range wider than a region (ps > 61) would span region masks. */
	if (m->ps > 61)
		return purge_walk(h, m);
	uint64_t mask = purge_sizes(h, m);
	if (purge_cost(mask, m->ps, h->count) == UINT64_MAX)
		return purge_walk(h, m);
	unsigned n = 0;
	for (; mask; mask &= mask - 1) {
		unsigned s = (unsigned)__builtin_ctzll(mask);
		uint64_t first = m->va >> s;
		uint64_t pages = m->ps > s ? UINT64_C(1) << (m->ps - s) : 1;
		for (uint64_t k = 0; k < pages; k++)
			n += purge_bucket(h, bucket_of(h, first + k, m->rid, s), m);
	}
	return n;
}

static unsigned hash_purge(void *impl, uint64_t va, unsigned ps, uint32_t rid)
{
	struct match m = { .va = va, .ps = ps, .rid = rid, .sides = 3 };
	return purge_match(impl, &m);
}

static unsigned hash_purge_all(void *impl)
{
	struct vtlb_hash *h = impl;
	unsigned n = h->count;
	/* Only the chains in use: O(entries), not O(buckets). */
	for (uint32_t i = h->oldest; i != NIL; i = h->pool[i].newer) {
		uint32_t b = h->pool[i].bucket;
		h->head[b] = NIL;
		h->len[b] = 0;
		h->pool[i].next = h->free;
		h->free = i;
	}
	h->oldest = h->newest = NIL;
	h->count = 0;
	memset(h->ps_mask, 0, sizeof(h->ps_mask));
	memset(h->ps_count, 0, sizeof(h->ps_count));
	return n;
}

/* ---- insert and lookup ---- */

/* Frees a node for bucket b, recycling if needed; returns it. */
static uint32_t make_room(struct vtlb_hash *h, uint32_t b, unsigned *recycled)
{
	if (h->len[b] >= h->chain_max) {
		chain_drop_oldest(h, b);
		++*recycled;
	} else if (h->free == NIL) {
		*recycled += chain_drop_all(h, h->pool[h->oldest].bucket);
	}
	uint32_t i = h->free;
	h->free = h->pool[i].next;
	return i;
}

static unsigned hash_insert(void *impl, const struct vtlb_entry *e, unsigned *recycled)
{
	struct vtlb_hash *h = impl;
	struct match m = { .va = e->va, .ps = e->ps, .rid = e->rid, .sides = 1u << e->side };
	unsigned dropped = purge_match(h, &m);
	uint32_t b = bucket_of(h, e->va >> e->ps, e->rid, e->ps);
	*recycled = 0;
	uint32_t i = make_room(h, b, recycled);
	struct hnode *n = &h->pool[i];
	n->e = *e;
	n->bucket = b;
	n->next = h->head[b];
	h->head[b] = i;
	h->len[b]++;
	age_append(h, i);
	sizes_add(h, e);
	h->count++;
	return dropped + *recycled;
}

static const struct vtlb_entry *hash_lookup(void *impl, uint64_t va, uint32_t rid,
					    enum vtlb_side side, unsigned *probes)
{
	struct vtlb_hash *h = impl;
	unsigned visited = 0;
	for (uint64_t mask = h->ps_mask[side][region_of(va)]; mask; mask &= mask - 1) {
		unsigned ps = (unsigned)__builtin_ctzll(mask);
		uint64_t vpn = va >> ps;
		for (uint32_t i = h->head[bucket_of(h, vpn, rid, ps)]; i != NIL;
		     i = h->pool[i].next) {
			const struct vtlb_entry *e = &h->pool[i].e;
			visited++;
			if (e->ps == ps && e->rid == rid && e->side == side && e->va >> ps == vpn) {
				*probes += visited;
				return e;
			}
		}
	}
	*probes += visited;
	return NULL;
}

static unsigned hash_count(const void *impl)
{
	const struct vtlb_hash *h = impl;
	return h->count;
}

const struct vtlb_strategy vtlb_hash_strategy = {
	.create = hash_create,
	.destroy = hash_destroy,
	.insert = hash_insert,
	.lookup = hash_lookup,
	.purge = hash_purge,
	.purge_all = hash_purge_all,
	.count = hash_count,
};
