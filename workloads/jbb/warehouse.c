/*
 * warehouse.c - a warehouse's transaction loop (warehouse.h).
 *
 * Transactions come from a deck of JBB_DECK cards shuffled by the
 * warehouse's generator, as SPECjbb draws them, so every 23 transactions
 * hold exactly 10 new orders, 10 payments and one each of order status,
 * delivery and stock level: 43.48%, 43.48% and 3 x 4.35%.  Before each
 * transaction the heap is collected when less than WH_TXN_RESERVE bytes
 * are free: the collections happen at points fixed by the allocation
 * sequence, so they too are the same on every run.
 */
#include "warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "txn.h"

static const uint8_t deck_counts[TX_KINDS] = { 10, 10, 1, 1, 1 };

void warehouse_init(warehouse_ctx *w, unsigned id, const jbb_config *cfg, const struct item *items,
		    void *arena, size_t arena_bytes)
{
	memset(w, 0, sizeof *w);
	w->id = id;
	w->cfg = cfg;
	w->items = items;
	jheap_init(&w->heap, arena, arena_bytes);
	jrng_seed(&w->rng, id);
	w->deck_pos = JBB_DECK; /* shuffled at the first draw */
	vt_digest_init(&w->results);
}

static void heap_full(warehouse_ctx *w)
{
	fflush(stdout);
	fprintf(stderr,
		"jbb: warehouse %u: heap full: %zu KB per warehouse, %llu KB live after the last of %llu "
		"collections; give a larger --heap (MB, all warehouses)\n",
		w->id, w->heap.capacity / 1024,
		(unsigned long long)(w->heap.stats.live_bytes / 1024),
		(unsigned long long)w->heap.stats.collections);
	exit(1);
}

jobj *wh_new(warehouse_ctx *w, enum jtype type, uint32_t nrefs, uint32_t data_bytes)
{
	jobj *o = jheap_alloc(&w->heap, (uint16_t)type, nrefs, data_bytes);
	if (!o)
		heap_full(w);
	return o;
}

static void shuffle_deck(warehouse_ctx *w)
{
	unsigned n = 0;
	for (unsigned k = 0; k < TX_KINDS; k++)
		for (unsigned i = 0; i < deck_counts[k]; i++)
			w->deck[n++] = (uint8_t)k;
	for (unsigned i = JBB_DECK - 1; i > 0; i--) { /* Fisher-Yates */
		unsigned j = jrng_range(&w->rng, 0, i);
		uint8_t t = w->deck[i];
		w->deck[i] = w->deck[j];
		w->deck[j] = t;
	}
	w->deck_pos = 0;
}

static enum txn_kind draw(warehouse_ctx *w)
{
	if (w->deck_pos == JBB_DECK)
		shuffle_deck(w);
	return (enum txn_kind)w->deck[w->deck_pos++];
}

static void collect(warehouse_ctx *w)
{
	jheap_collect(&w->heap);
	if (w->cfg->verify) {
		const char *err = jheap_verify(&w->heap);
		if (err) {
			fprintf(stderr, "jbb: warehouse %u: heap check after collection %llu: %s\n",
				w->id, (unsigned long long)w->heap.stats.collections, err);
			exit(1);
		}
	}
	if (jheap_free_bytes(&w->heap) < WH_TXN_RESERVE)
		heap_full(w);
}

void warehouse_run(warehouse_ctx *w)
{
	for (uint64_t t = 0; t < w->cfg->txns; t++) {
		if (jheap_free_bytes(&w->heap) < WH_TXN_RESERVE)
			collect(w);
		enum txn_kind kind = draw(w);
		w->date++;
		jobj *screen = txn_run(w, kind);
		vt_digest_update(&w->results, screen_cells(screen), SCREEN_COLS * SCREEN_ROWS);
		w->count[kind]++;
	}
}

void warehouse_finish(warehouse_ctx *w)
{
	uint64_t parts[2] = { vt_digest_final(&w->results), warehouse_state_digest(w) };
	w->digest = vt_digest(parts, sizeof parts);
}
