/*
 * hv_mvhpt_chain.c - the collision chains of a vCPU's machine VHPT.
 *
 * The modeled hardware walker, like Itanium's, reads the one entry the hash
 * selects.  Xen/IA-64 gave each VT-i vCPU "8M hash + 8M c-chain for VHPT"
 * (DEFAULT_VHPT_SZ, xen/include/asm-ia64/vmmu.h): when an insert finds its
 * hash slot taken by another page, the old entry moves to a chain the
 * hardware never sees, and the VMM's miss handler looks there before its
 * vTLB (vhpt_lookup() in xen/arch/ia64/vmx/vtlb.c: a chain hit is swapped
 * into the slot and the access retried).  Under partial track a 4 KiB
 * guest page lives in the machine VHPT only, so without the chain a
 * collision would cost the guest a TLB miss it would not take natively.
 *
 * Contract: hv_priv.h.  Rules, as Xen's vmx_vhpt_insert() and its helpers:
 *  - the chain entry taken for a displaced entry is an invalid (purged) one
 *    already in the slot's chain, else a new one linked first;
 *  - a slot's chain holds at most HV_MCHAIN_DEPTH_MAX - 1 entries (the
 *    depth counts the slot itself); the insert that would exceed it
 *    returns the whole chain to the pool first ("recycle");
 *  - when the pool is empty, every chain is returned (thash_recycle_cch_all).
 * Entries are 32-byte VHPT entries (the same layout as the table's), so
 * the purge and tag logic of hv_svtlb_machine.c applies to them unchanged.
 * The pool is host memory of the VMM: the guest has no address for it.
 */
#include <stdlib.h>
#include <string.h>

#include "hv_priv.h"
#include "le_bytes.h"

#define NIL 0u /* link value: no entry (links are index + 1) */

struct mchain_entry {
	uint8_t e[VHPT_ENTRY_SIZE];
	uint32_t next;
};

struct hv_mchain {
	struct mchain_entry *pool;
	uint32_t *first;    /* per hash slot: its chain's first entry, or NIL */
	uint64_t slots;     /* hash slots of the machine VHPT */
	uint32_t size;      /* pool entries */
	uint32_t free;      /* free list through .next */
	uint32_t fresh;     /* entries never handed out: [fresh, size) */
	uint64_t in_chains; /* handed out since the last recycle of all */
};

struct hv_mchain *hv_mchain_new(uint64_t slots, uint32_t size)
{
	struct hv_mchain *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->pool = calloc(size, sizeof(*c->pool));
	c->first = calloc(slots, sizeof(*c->first));
	if (!c->pool || !c->first) {
		hv_mchain_delete(c);
		return NULL;
	}
	c->slots = slots;
	c->size = size;
	return c;
}

void hv_mchain_delete(struct hv_mchain *c)
{
	if (!c)
		return;
	free(c->pool);
	free(c->first);
	free(c);
}

const uint32_t *hv_mchain_heads(const struct hv_mchain *c)
{
	return c->first;
}

static struct mchain_entry *at(struct hv_mchain *c, uint32_t link)
{
	return &c->pool[link - 1];
}

static bool invalid(const uint8_t *e)
{
	return (le64_load(e + 16) & VHPT_TAG_TI) != 0;
}

void hv_mchain_clear(struct hv_mchain *c)
{
	if (!c->in_chains)
		return;
	memset(c->first, 0, c->slots * sizeof(*c->first));
	c->free = NIL;
	c->fresh = 0;
	c->in_chains = 0;
}

/* The slot's chain back to the pool. */
static void recycle_slot(struct hv_mchain *c, uint64_t slot)
{
	uint32_t link = c->first[slot];
	while (link) {
		struct mchain_entry *ce = at(c, link);
		uint32_t next = ce->next;
		le64_store(ce->e + 16, VHPT_TAG_TI); /* a purge scan must not count it */
		ce->next = c->free;
		c->free = link;
		link = next;
	}
	c->first[slot] = NIL;
}

/* An entry out of the pool, every chain recycled when it is empty. */
static uint32_t alloc_entry(struct vcpu *v)
{
	struct hv_mchain *c = v->mchain;
	if (!c->free && c->fresh == c->size) {
		hv_mchain_clear(c);
		v->st.mchain_recycles_all++;
	}
	uint32_t link;
	if (c->free) {
		link = c->free;
		c->free = at(c, link)->next;
	} else {
		link = ++c->fresh;
	}
	c->in_chains++;
	return link;
}

unsigned hv_mchain_push(struct vcpu *v, uint64_t slot, const uint8_t *displaced)
{
	struct hv_mchain *c = v->mchain;
	unsigned depth = 1, probes = 0;
	uint32_t link = c->first[slot];
	for (; link; link = at(c, link)->next) {
		probes++;
		depth++;
		if (invalid(at(c, link)->e)) {
			memcpy(at(c, link)->e, displaced, VHPT_ENTRY_SIZE);
			return probes;
		}
	}
	if (depth >= HV_MCHAIN_DEPTH_MAX) {
		recycle_slot(c, slot);
		v->st.mchain_recycles++;
	}
	link = alloc_entry(v);
	struct mchain_entry *ce = at(c, link);
	memcpy(ce->e, displaced, VHPT_ENTRY_SIZE);
	ce->next = c->first[slot];
	c->first[slot] = link;
	return probes;
}

uint8_t *hv_mchain_find(struct vcpu *v, uint64_t slot, uint64_t tag, unsigned *probes)
{
	struct hv_mchain *c = v->mchain;
	for (uint32_t link = c->first[slot]; link; link = at(c, link)->next) {
		++*probes;
		if (le64_load(at(c, link)->e + 16) == tag)
			return at(c, link)->e;
	}
	return NULL;
}

uint8_t *hv_mchain_next(struct vcpu *v, uint64_t slot, uint32_t *cursor)
{
	struct hv_mchain *c = v->mchain;
	uint32_t link = *cursor ? at(c, *cursor)->next : c->first[slot];
	*cursor = link;
	return link ? at(c, link)->e : NULL;
}

uint8_t *hv_mchain_pool_entry(struct vcpu *v, uint32_t i)
{
	struct hv_mchain *c = v->mchain;
	return i < c->fresh ? c->pool[i].e : NULL;
}
