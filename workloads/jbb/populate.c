/*
 * populate.c - the initial object graph of a warehouse (warehouse.h).
 *
 * TPC-C clause 4.3.3.1 scaled down: the warehouse, its districts, a stock
 * entry per item, customers per district with one history entry each
 * (the history ring holds the most recent ones), and an initial order per
 * customer slot of the order ring, the newest 30% of them still waiting in
 * the new-order queue (TPC-C: 900 of 3000).  Allocation order is fixed,
 * so the heap's layout is a function of the warehouse number.
 */
#include <string.h>

#include "txn.h"
#include "warehouse.h"

static jobj *new_array(warehouse_ctx *w, uint32_t n)
{
	return wh_new(w, T_REFARRAY, n, 0);
}

static void populate_warehouse_object(warehouse_ctx *w)
{
	w->root = wh_new(w, T_WAREHOUSE, WH_NREFS, sizeof(struct warehouse_data));
	struct warehouse_data *d = DATA(warehouse, w->root);
	d->id = w->id;
	d->tax_bp = jrng_range(&w->rng, 0, 2000);
	d->ytd = 30000000; /* TPC-C: W_YTD = 300,000.00 */
	jrng_string(&w->rng, d->name, sizeof d->name);
	jrng_string(&w->rng, d->street, sizeof d->street);
	jrng_string(&w->rng, d->city, sizeof d->city);
	jrng_string(&w->rng, d->state, sizeof d->state);
	jrng_string(&w->rng, d->zip, sizeof d->zip);
}

static void populate_stock(warehouse_ctx *w)
{
	unsigned n = w->cfg->items;
	jobj *array = new_array(w, n);
	jobj_refs(w->root)[WH_STOCK] = array;
	for (unsigned i = 0; i < n; i++) {
		jobj *s = wh_new(w, T_STOCK, 0, sizeof(struct stock_data));
		jobj_refs(array)[i] = s;
		struct stock_data *d = DATA(stock, s);
		d->item_id = i + 1;
		d->quantity = (int32_t)jrng_range(&w->rng, 10, 100);
		for (unsigned k = 0; k < JBB_DISTRICTS; k++)
			jrng_string(&w->rng, d->dist[k], sizeof d->dist[k]);
		jrng_string(&w->rng, d->data, sizeof d->data);
	}
}

static void populate_customer(warehouse_ctx *w, jobj *district, uint32_t c_id)
{
	jobj *c = wh_new(w, T_CUSTOMER, C_NREFS, sizeof(struct customer_data));
	jobj_refs(jobj_refs(district)[D_CUSTOMERS])[c_id - 1] = c;
	struct customer_data *d = DATA(customer, c);
	d->id = c_id;
	d->d_id = DATA(district, district)->id;
	jrng_string(&w->rng, d->first, sizeof d->first);
	memcpy(d->middle, "OE", 2);
	jrng_last_name((c_id - 1) % txn_last_name_count(w->cfg), d->last);
	memcpy(d->credit, jrng_range(&w->rng, 1, 10) == 1 ? "BC" : "GC", 2);
	d->discount_bp = jrng_range(&w->rng, 0, 5000);
	d->credit_lim = 5000000;
	d->balance = -1000;
	d->ytd_payment = 1000;
	d->payment_cnt = 1;
	jrng_string(&w->rng, d->phone, sizeof d->phone);
	jrng_string(&w->rng, d->data, sizeof d->data);
}

static void populate_district(warehouse_ctx *w, unsigned index)
{
	jobj *district = wh_new(w, T_DISTRICT, D_NREFS, sizeof(struct district_data));
	jobj_refs(jobj_refs(w->root)[WH_DISTRICTS])[index] = district;
	struct district_data *d = DATA(district, district);
	d->id = index + 1;
	d->tax_bp = jrng_range(&w->rng, 0, 2000);
	d->ytd = 3000000;
	d->next_o_id = 1;
	jrng_string(&w->rng, d->name, sizeof d->name);
	jrng_string(&w->rng, d->street, sizeof d->street);
	jrng_string(&w->rng, d->city, sizeof d->city);
	jobj_refs(district)[D_CUSTOMERS] = new_array(w, w->cfg->customers);
	jobj_refs(district)[D_ORDERS] = new_array(w, w->cfg->orders_kept);
	for (uint32_t c = 1; c <= w->cfg->customers; c++)
		populate_customer(w, district, c);
}

static void populate_history(warehouse_ctx *w)
{
	jobj_refs(w->root)[WH_HISTORY] = new_array(w, w->cfg->history_kept);
	for (unsigned d = 0; d < JBB_DISTRICTS; d++)
		for (uint32_t c = 1; c <= w->cfg->customers; c++)
			txn_add_history(w, district_of(w->root, d),
					customer_of(district_of(w->root, d), c), 1000);
}

/* The initial orders: one per slot of each district's order ring. */
static void populate_orders(warehouse_ctx *w)
{
	unsigned n = w->cfg->orders_kept;
	for (unsigned d = 0; d < JBB_DISTRICTS; d++) {
		jobj *district = district_of(w->root, d);
		for (unsigned i = 0; i < n; i++) {
			int undelivered = i >= n - n * 3 / 10;
			txn_initial_order(w, district, undelivered);
		}
	}
}

void warehouse_populate(warehouse_ctx *w)
{
	populate_warehouse_object(w);
	jheap_add_root(&w->heap, &w->root);
	jobj_refs(w->root)[WH_DISTRICTS] = new_array(w, JBB_DISTRICTS);
	populate_stock(w);
	for (unsigned d = 0; d < JBB_DISTRICTS; d++)
		populate_district(w, d);
	populate_history(w);
	populate_orders(w);
}
