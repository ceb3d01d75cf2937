/*
 * vtlb_single.c - the "single" vTLB strategy (vtlb.h): one instruction and
 * one data TC entry per vCPU, as Xen/IA-64's paravirtualized domains kept
 * (docs/hypervisor.md, "The vTLB strategies").  An insert replaces the
 * entry of its side; the replaced entry counts as purged when it overlaps
 * the new one with the same RID (the architecture's overlap purge,
 * docs/platform.md 4.6), as recycled otherwise.  A lookup compares at most
 * one entry: one probe when its side holds an entry.
 */
#include <stdlib.h>

#include "vtlb_priv.h"

struct vtlb_single {
	struct vtlb_entry e[2]; /* indexed by enum vtlb_side */
	bool valid[2];
};

static void *single_create(const struct vtlb_params *p)
{
	(void)p; /* the hash parameters do not apply */
	return calloc(1, sizeof(struct vtlb_single));
}

static void single_destroy(void *impl)
{
	free(impl);
}

static unsigned single_insert(void *impl, const struct vtlb_entry *e, unsigned *recycled)
{
	struct vtlb_single *s = impl;
	unsigned dropped = 0;
	if (s->valid[e->side]) {
		const struct vtlb_entry *old = &s->e[e->side];
		if (old->rid != e->rid || !vtlb_overlaps(old, e->va, e->ps))
			++*recycled;
		dropped = 1;
	}
	s->e[e->side] = *e;
	s->valid[e->side] = true;
	return dropped;
}

static const struct vtlb_entry *single_lookup(void *impl, uint64_t va, uint32_t rid,
					      enum vtlb_side side, unsigned *probes)
{
	struct vtlb_single *s = impl;
	if (!s->valid[side])
		return NULL;
	++*probes;
	const struct vtlb_entry *e = &s->e[side];
	return e->rid == rid && vtlb_contains(e, va) ? e : NULL;
}

static unsigned single_purge(void *impl, uint64_t va, unsigned ps, uint32_t rid)
{
	struct vtlb_single *s = impl;
	unsigned n = 0;
	for (unsigned side = 0; side < 2; side++) {
		if (s->valid[side] && s->e[side].rid == rid && vtlb_overlaps(&s->e[side], va, ps)) {
			s->valid[side] = false;
			n++;
		}
	}
	return n;
}

static unsigned single_purge_all(void *impl)
{
	struct vtlb_single *s = impl;
	unsigned n = s->valid[0] + s->valid[1];
	s->valid[0] = s->valid[1] = false;
	return n;
}

static unsigned single_count(const void *impl)
{
	const struct vtlb_single *s = impl;
	return (unsigned)s->valid[0] + s->valid[1];
}

const struct vtlb_strategy vtlb_single_strategy = {
	.create = single_create,
	.destroy = single_destroy,
	.insert = single_insert,
	.lookup = single_lookup,
	.purge = single_purge,
	.purge_all = single_purge_all,
	.count = single_count,
};
