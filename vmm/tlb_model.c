/*
 * tlb_model.c - the modeled set-associative TLB (see tlb_model.h).
 */
#include "tlb_model.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int tlb_model_init(struct tlb_model *t, unsigned entries, unsigned ways, tlb_dropped_fn dropped,
		   void *ctx)
{
	memset(t, 0, sizeof(*t));
	if (ways == 0 || entries == 0 || entries % ways)
		return -1;
	unsigned sets = entries / ways;
	if (sets & (sets - 1))
		return -1;
	t->e = calloc(entries, sizeof(*t->e));
	t->victim = calloc(sets, sizeof(*t->victim));
	if (!t->e || !t->victim) {
		tlb_model_free(t);
		return -1;
	}
	t->sets = sets;
	t->ways = ways;
	t->dropped = dropped;
	t->ctx = ctx;
	return 0;
}

void tlb_model_free(struct tlb_model *t)
{
	free(t->e);
	free(t->victim);
	t->e = NULL;
	t->victim = NULL;
}

static struct tlb_entry *set_of(struct tlb_model *t, uint64_t vpn)
{
	return &t->e[(vpn & (t->sets - 1)) * t->ways];
}

static int matches(const struct tlb_entry *e, uint64_t vpn, unsigned shift, uint32_t asid)
{
	return e->valid && e->shift == shift && e->vpn == vpn && (e->global || e->asid == asid);
}

struct tlb_entry *tlb_model_lookup(struct tlb_model *t, uint64_t va, uint32_t asid)
{
	uint64_t mask = t->shift_mask;
	while (mask) {
		unsigned shift = (unsigned)__builtin_ctzll(mask);
		uint64_t vpn = va >> shift;
		struct tlb_entry *s = set_of(t, vpn);
		mask &= mask - 1;
		for (unsigned w = 0; w < t->ways; w++)
			if (matches(&s[w], vpn, shift, asid))
				return &s[w];
	}
	return NULL;
}

static void drop(struct tlb_model *t, struct tlb_entry *e)
{
	if (!e->valid)
		return;
	e->valid = 0;
	if (t->dropped)
		t->dropped(t->ctx, e);
}

/* Recomputes shift_mask from the valid entries (after purges). */
static void refresh_mask(struct tlb_model *t)
{
	uint64_t mask = 0;
	for (unsigned i = 0; i < t->sets * t->ways; i++)
		if (t->e[i].valid)
			mask |= 1ull << t->e[i].shift;
	t->shift_mask = mask;
}

struct tlb_entry *tlb_model_insert(struct tlb_model *t, const struct tlb_entry *n)
{
	uint64_t set_index = n->vpn & (t->sets - 1);
	struct tlb_entry *s = &t->e[set_index * t->ways];
	struct tlb_entry *slot = NULL;
	for (unsigned w = 0; w < t->ways && !slot; w++)
		if (matches(&s[w], n->vpn, n->shift, n->asid) && s[w].global == n->global)
			slot = &s[w];
	for (unsigned w = 0; w < t->ways && !slot; w++)
		if (!s[w].valid)
			slot = &s[w];
	if (!slot) {
		/* FIFO: the victim pointer walks the ways round-robin. */
		slot = &s[t->victim[set_index]];
		t->victim[set_index] = (t->victim[set_index] + 1) % t->ways;
		t->evictions++;
	}
	drop(t, slot);
	*slot = *n;
	slot->valid = 1;
	t->shift_mask |= 1ull << n->shift;
	t->inserts++;
	return slot;
}

static bool purge_one(struct tlb_model *t, struct tlb_entry *e, uint64_t va, uint64_t end,
		      uint64_t size, uint32_t asid, bool all_asids, bool with_global)
{
	uint64_t base = e->vpn << e->shift, top = base + (1ull << e->shift);
	if (!e->valid || (e->global && !with_global))
		return false;
	if (!e->global && !all_asids && e->asid != asid)
		return false;
	/* Compare last bytes: top and end wrap to 0 at the top of the space. */
	if (size && (top - 1 < va || base > end - 1))
		return false;
	drop(t, e);
	return true;
}

void tlb_model_purge(struct tlb_model *t, uint64_t va, uint64_t size, uint32_t asid, bool all_asids,
		     bool with_global)
{
	uint64_t end = va + size;
	bool any = false;
	/* A small range: only the sets its pages of each present size map to. */
	uint64_t mask = t->shift_mask;
	bool small = size != 0;
	for (uint64_t m = mask; m && small; m &= m - 1) {
		unsigned sh = (unsigned)__builtin_ctzll(m);
		if (((end - 1) >> sh) - (va >> sh) >= t->sets)
			small = false;
	}
	if (small) {
		for (; mask; mask &= mask - 1) {
			unsigned sh = (unsigned)__builtin_ctzll(mask);
			for (uint64_t vpn = va >> sh; vpn <= (end - 1) >> sh; vpn++) {
				struct tlb_entry *st = set_of(t, vpn);
				for (unsigned w = 0; w < t->ways; w++)
					any |= purge_one(t, &st[w], va, end, size, asid, all_asids,
							 with_global);
			}
		}
	} else {
		for (unsigned i = 0; i < t->sets * t->ways; i++)
			any |= purge_one(t, &t->e[i], va, end, size, asid, all_asids, with_global);
	}
	if (any)
		refresh_mask(t);
}

void tlb_model_flush(struct tlb_model *t)
{
	for (unsigned i = 0; i < t->sets * t->ways; i++)
		drop(t, &t->e[i]);
	t->shift_mask = 0;
}
