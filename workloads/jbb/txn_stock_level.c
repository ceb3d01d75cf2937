/*
 * txn_stock_level.c - stock level (TPC-C clause 2.8): how many distinct
 * items of the district's last 20 orders have less stock than a threshold.
 */
#include "screen.h"
#include "txn.h"

#define RECENT_ORDERS 20
#define MAX_ITEMS (RECENT_ORDERS * 15)

/* Collects the item numbers of the district's last RECENT_ORDERS orders
 * still in its order ring; returns how many (with repeats). */
static unsigned recent_items(warehouse_ctx *w, jobj *district, uint32_t *items)
{
	struct district_data *dd = DATA(district, district);
	jobj *ring = jobj_refs(district)[D_ORDERS];
	uint32_t first = dd->next_o_id > RECENT_ORDERS ? dd->next_o_id - RECENT_ORDERS : 1;
	unsigned n = 0;
	for (uint32_t o_id = first; o_id < dd->next_o_id; o_id++) {
		jobj *order = jobj_refs(ring)[(o_id - 1) % w->cfg->orders_kept];
		if (!order || DATA(order, order)->id != o_id)
			continue;
		jobj *lines = jobj_refs(order)[O_LINES];
		for (uint32_t i = 0; i < lines->nrefs && n < MAX_ITEMS; i++)
			items[n++] = DATA(orderline, jobj_refs(lines)[i])->item_id;
	}
	return n;
}

/* Whether item was already counted: an open-addressing set of item
 * numbers (0 = empty slot), at most MAX_ITEMS of SET_SIZE slots used. */
#define SET_SIZE 1024
static int seen_before(uint32_t *set, uint32_t item)
{
	uint32_t i = (item * 2654435761u) % SET_SIZE;
	while (set[i] != 0) {
		if (set[i] == item)
			return 1;
		i = (i + 1) % SET_SIZE;
	}
	set[i] = item;
	return 0;
}

jobj *txn_stock_level(warehouse_ctx *w)
{
	jobj *screen = screen_new(w);
	char *s = screen_cells(screen);
	jobj *district = district_of(w->root, jrng_range(&w->rng, 0, JBB_DISTRICTS - 1));
	int32_t threshold = (int32_t)jrng_range(&w->rng, 10, 20);
	uint32_t items[MAX_ITEMS];
	unsigned n = recent_items(w, district, items);
	uint32_t set[SET_SIZE] = { 0 };
	unsigned low = 0;
	for (unsigned i = 0; i < n; i++)
		if (!seen_before(set, items[i]) &&
		    DATA(stock, stock_of(w->root, items[i]))->quantity < threshold)
			low++;
	screen_str(s, 35, 0, "Stock-Level");
	screen_num(s, 11, 1, w->id, 4);
	screen_num(s, 29, 1, DATA(district, district)->id, 2);
	screen_str(s, 0, 3, "Stock Level Threshold:");
	screen_num(s, 23, 3, threshold, 2);
	screen_str(s, 0, 5, "low stock:");
	screen_num(s, 11, 5, low, 3);
	return screen;
}
