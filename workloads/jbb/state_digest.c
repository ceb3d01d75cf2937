/*
 * state_digest.c - the digest of a warehouse's final state (warehouse.h).
 *
 * Walks the object graph in a fixed order (warehouse, then each district
 * with its customers, order ring and new-order queue, then the stock, then
 * the history ring) and digests the business fields one by one: never
 * addresses, padding or heap offsets, so the value is the same whatever
 * the heap's placement, its size and the collections that happened.
 */
#include "warehouse.h"

static void put(vt_digest_t *d, uint64_t v)
{
	vt_digest_update(d, &v, sizeof v);
}

static void digest_customer(vt_digest_t *d, jobj *customer)
{
	struct customer_data *c = DATA(customer, customer);
	put(d, c->id);
	put(d, (uint64_t)c->balance);
	put(d, (uint64_t)c->ytd_payment);
	put(d, c->payment_cnt);
	put(d, c->delivery_cnt);
	vt_digest_update(d, c->data, sizeof c->data);
	jobj *last = jobj_refs(customer)[C_LAST_ORDER];
	put(d, last ? DATA(order, last)->id : 0);
}

static void digest_order(vt_digest_t *d, jobj *order)
{
	struct order_data *o = DATA(order, order);
	put(d, o->id);
	put(d, o->c_id);
	put(d, o->carrier_id);
	put(d, o->entry_date);
	put(d, (uint64_t)o->total);
	jobj *lines = jobj_refs(order)[O_LINES];
	for (uint32_t i = 0; i < lines->nrefs; i++) {
		struct orderline_data *l = DATA(orderline, jobj_refs(lines)[i]);
		put(d, l->item_id);
		put(d, l->quantity);
		put(d, (uint64_t)l->amount);
		put(d, l->delivery_date);
	}
}

static void digest_district(vt_digest_t *d, jobj *district)
{
	struct district_data *dd = DATA(district, district);
	put(d, dd->id);
	put(d, (uint64_t)dd->ytd);
	put(d, dd->next_o_id);
	put(d, dd->newq_len);
	jobj *customers = jobj_refs(district)[D_CUSTOMERS];
	for (uint32_t i = 0; i < customers->nrefs; i++)
		digest_customer(d, jobj_refs(customers)[i]);
	jobj *ring = jobj_refs(district)[D_ORDERS];
	for (uint32_t i = 0; i < ring->nrefs; i++)
		if (jobj_refs(ring)[i])
			digest_order(d, jobj_refs(ring)[i]);
	for (jobj *n = jobj_refs(district)[D_NEWQ_HEAD]; n; n = jobj_refs(n)[NO_NEXT])
		put(d, DATA(order, jobj_refs(n)[NO_ORDER])->id);
}

static void digest_stock_and_history(vt_digest_t *d, jobj *wh)
{
	jobj *stock = jobj_refs(wh)[WH_STOCK];
	for (uint32_t i = 0; i < stock->nrefs; i++) {
		struct stock_data *s = DATA(stock, jobj_refs(stock)[i]);
		put(d, (uint64_t)(int64_t)s->quantity);
		put(d, s->ytd);
		put(d, s->order_cnt);
	}
	jobj *history = jobj_refs(wh)[WH_HISTORY];
	for (uint32_t i = 0; i < history->nrefs; i++) {
		jobj *h = jobj_refs(history)[i];
		if (!h)
			continue;
		struct history_data *hd = DATA(history, h);
		put(d, hd->c_id);
		put(d, hd->d_id);
		put(d, hd->date);
		put(d, (uint64_t)hd->amount);
	}
}

uint64_t warehouse_state_digest(warehouse_ctx *w)
{
	vt_digest_t d;
	vt_digest_init(&d);
	struct warehouse_data *wd = DATA(warehouse, w->root);
	put(&d, wd->id);
	put(&d, (uint64_t)wd->ytd);
	for (unsigned i = 0; i < JBB_DISTRICTS; i++)
		digest_district(&d, district_of(w->root, i));
	digest_stock_and_history(&d, w->root);
	return vt_digest_final(&d);
}
