/*
 * txn_order.c - orders: creation (new order, TPC-C clause 2.4, and the
 * initial population), order status (clause 2.6) and delivery (clause 2.7).
 *
 * A district keeps its orders in a ring of cfg->orders_kept slots indexed
 * by order number (the oldest order leaves when a new one takes its slot,
 * as SPECjbb removes old orders to keep the heap's live size steady), and
 * the orders not yet delivered in a linked queue of new-order objects,
 * oldest first.  A customer points at its last order.
 */
#include <string.h>

#include "screen.h"
#include "txn.h"

#define MAX_LINES 15

struct line_input {
	uint32_t item_id, quantity;
};

static void enqueue_new_order(warehouse_ctx *w, jobj *district, jobj *order)
{
	jobj *node = wh_new(w, T_NEWORDER, NO_NREFS, 0);
	jobj_refs(node)[NO_ORDER] = order;
	jobj **refs = jobj_refs(district);
	if (refs[D_NEWQ_TAIL])
		jobj_refs(refs[D_NEWQ_TAIL])[NO_NEXT] = node;
	else
		refs[D_NEWQ_HEAD] = node;
	refs[D_NEWQ_TAIL] = node;
	DATA(district, district)->newq_len++;
}

static jobj *dequeue_new_order(jobj *district)
{
	jobj **refs = jobj_refs(district);
	jobj *node = refs[D_NEWQ_HEAD];
	if (!node)
		return NULL;
	refs[D_NEWQ_HEAD] = jobj_refs(node)[NO_NEXT];
	if (!refs[D_NEWQ_HEAD])
		refs[D_NEWQ_TAIL] = NULL;
	DATA(district, district)->newq_len--;
	return jobj_refs(node)[NO_ORDER];
}

/* Stock update of TPC-C 2.4.2.2: take the quantity, restock by 91 when
 * fewer than 10 would remain. */
static void take_stock(struct stock_data *s, uint32_t quantity)
{
	if (s->quantity >= (int32_t)quantity + 10)
		s->quantity -= (int32_t)quantity;
	else
		s->quantity = s->quantity - (int32_t)quantity + 91;
	s->ytd += quantity;
	s->order_cnt++;
}

static jobj *new_line(warehouse_ctx *w, unsigned d_index, unsigned number,
		      const struct line_input *in)
{
	jobj *line = wh_new(w, T_ORDERLINE, 0, sizeof(struct orderline_data));
	struct orderline_data *l = DATA(orderline, line);
	struct stock_data *s = DATA(stock, stock_of(w->root, in->item_id));
	take_stock(s, in->quantity);
	l->number = number;
	l->item_id = in->item_id;
	l->supply_w = w->id;
	l->quantity = in->quantity;
	l->amount = (int64_t)in->quantity * w->items[in->item_id - 1].price;
	memcpy(l->dist_info, s->dist[d_index], sizeof l->dist_info);
	return line;
}

/* Total with TPC-C 2.4.2.3's taxes and discount, in cents. */
static int64_t order_total(int64_t sum, uint32_t w_tax, uint32_t d_tax, uint32_t discount)
{
	return sum * (10000 - (int64_t)discount) / 10000 * (10000 + (int64_t)w_tax + d_tax) / 10000;
}

/* Creates order number next_o_id of the district for customer c. */
static jobj *create_order(warehouse_ctx *w, jobj *district, jobj *customer,
			  const struct line_input *in, unsigned n, int undelivered)
{
	struct district_data *dd = DATA(district, district);
	jobj *order = wh_new(w, T_ORDER, O_NREFS, sizeof(struct order_data));
	jobj *lines = wh_new(w, T_REFARRAY, n, 0);
	jobj_refs(order)[O_CUSTOMER] = customer;
	jobj_refs(order)[O_LINES] = lines;
	int64_t sum = 0;
	for (unsigned i = 0; i < n; i++) {
		jobj *line = new_line(w, dd->id - 1, i + 1, &in[i]);
		jobj_refs(lines)[i] = line;
		sum += DATA(orderline, line)->amount;
	}
	struct order_data *o = DATA(order, order);
	o->id = dd->next_o_id++;
	o->d_id = dd->id;
	o->c_id = DATA(customer, customer)->id;
	o->ol_cnt = n;
	o->all_local = 1;
	o->entry_date = w->date;
	o->total = order_total(sum, DATA(warehouse, w->root)->tax_bp, dd->tax_bp,
			       DATA(customer, customer)->discount_bp);
	jobj_refs(jobj_refs(district)[D_ORDERS])[(o->id - 1) % w->cfg->orders_kept] = order;
	jobj_refs(customer)[C_LAST_ORDER] = order;
	if (undelivered)
		enqueue_new_order(w, district, order);
	else
		o->carrier_id = jrng_range(&w->rng, 1, 10);
	return order;
}

static unsigned draw_lines(warehouse_ctx *w, struct line_input *in)
{
	unsigned n = jrng_range(&w->rng, 5, MAX_LINES);
	uint32_t a = jrng_nurand_a(w->cfg->items);
	for (unsigned i = 0; i < n; i++) {
		in[i].item_id = jrng_nurand(&w->rng, a, 1, w->cfg->items);
		in[i].quantity = jrng_range(&w->rng, 1, 10);
	}
	return n;
}

void txn_initial_order(warehouse_ctx *w, jobj *district, int undelivered)
{
	struct line_input in[MAX_LINES];
	unsigned n = draw_lines(w, in);
	uint32_t c_id = jrng_range(&w->rng, 1, w->cfg->customers);
	create_order(w, district, customer_of(district, c_id), in, n, undelivered);
}

/* ---- new order ---- */

static void new_order_header(warehouse_ctx *w, char *s, jobj *district, jobj *customer)
{
	struct customer_data *c = DATA(customer, customer);
	screen_str(s, 36, 0, "New Order");
	screen_str(s, 0, 1, "Warehouse:");
	screen_num(s, 11, 1, w->id, 4);
	screen_str(s, 19, 1, "District:");
	screen_num(s, 29, 1, DATA(district, district)->id, 2);
	screen_str(s, 54, 1, "Date:");
	screen_num(s, 60, 1, (int64_t)w->date, 12);
	screen_str(s, 0, 2, "Customer:");
	screen_num(s, 10, 2, c->id, 5);
	screen_text(s, 18, 2, c->last, strnlen(c->last, sizeof c->last));
	screen_text(s, 36, 2, c->credit, 2);
	screen_num(s, 44, 2, c->discount_bp, 5);
}

static void new_order_lines(warehouse_ctx *w, char *s, jobj *order)
{
	jobj *lines = jobj_refs(order)[O_LINES];
	screen_str(s, 0, 5, "Supp_W Item_Id  Item Name                Qty Stock  Price    Amount");
	for (uint32_t i = 0; i < lines->nrefs; i++) {
		struct orderline_data *l = DATA(orderline, jobj_refs(lines)[i]);
		const struct item *it = &w->items[l->item_id - 1];
		unsigned row = 6 + i;
		screen_num(s, 0, row, l->supply_w, 6);
		screen_num(s, 7, row, l->item_id, 7);
		screen_text(s, 17, row, it->name, strnlen(it->name, sizeof it->name));
		screen_num(s, 42, row, l->quantity, 3);
		screen_num(s, 46, row, DATA(stock, stock_of(w->root, l->item_id))->quantity, 5);
		screen_money(s, 52, row, it->price, 8);
		screen_money(s, 61, row, l->amount, 10);
	}
}

jobj *txn_new_order(warehouse_ctx *w)
{
	jobj *screen = screen_new(w);
	char *s = screen_cells(screen);
	jobj *district = district_of(w->root, jrng_range(&w->rng, 0, JBB_DISTRICTS - 1));
	uint32_t c_id =
		jrng_nurand(&w->rng, jrng_nurand_a(w->cfg->customers), 1, w->cfg->customers);
	jobj *customer = customer_of(district, c_id);
	struct line_input in[MAX_LINES];
	unsigned n = draw_lines(w, in);
	new_order_header(w, s, district, customer);
	/* TPC-C 2.4.1.4: 1% of new orders name an unused item and roll back. */
	if (jrng_range(&w->rng, 1, 100) == 1) {
		w->rollbacks++;
		screen_str(s, 0, 21, "Item number is not valid: order rolled back");
		return screen;
	}
	jobj *order = create_order(w, district, customer, in, n, 1);
	screen_str(s, 0, 3, "Order Number:");
	screen_num(s, 14, 3, DATA(order, order)->id, 8);
	screen_str(s, 24, 3, "Lines:");
	screen_num(s, 31, 3, n, 2);
	new_order_lines(w, s, order);
	screen_str(s, 50, 22, "Total:");
	screen_money(s, 57, 22, DATA(order, order)->total, 14);
	return screen;
}

/* ---- order status ---- */

jobj *txn_order_status(warehouse_ctx *w)
{
	jobj *screen = screen_new(w);
	char *s = screen_cells(screen);
	jobj *district = district_of(w->root, jrng_range(&w->rng, 0, JBB_DISTRICTS - 1));
	jobj *customer = txn_pick_customer(w, district);
	struct customer_data *c = DATA(customer, customer);
	screen_str(s, 34, 0, "Order-Status");
	screen_num(s, 11, 1, w->id, 4);
	screen_num(s, 29, 1, c->d_id, 2);
	screen_num(s, 10, 2, c->id, 5);
	screen_text(s, 18, 2, c->first, sizeof c->first);
	screen_text(s, 38, 2, c->last, strnlen(c->last, sizeof c->last));
	screen_money(s, 58, 3, c->balance, 14);
	jobj *order = jobj_refs(customer)[C_LAST_ORDER];
	if (!order)
		return screen;
	struct order_data *o = DATA(order, order);
	screen_num(s, 14, 4, o->id, 8);
	screen_num(s, 30, 4, (int64_t)o->entry_date, 12);
	screen_num(s, 50, 4, o->carrier_id, 2);
	jobj *lines = jobj_refs(order)[O_LINES];
	for (uint32_t i = 0; i < lines->nrefs; i++) {
		struct orderline_data *l = DATA(orderline, jobj_refs(lines)[i]);
		screen_num(s, 1, 6 + i, l->supply_w, 4);
		screen_num(s, 9, 6 + i, l->item_id, 7);
		screen_num(s, 20, 6 + i, l->quantity, 3);
		screen_money(s, 28, 6 + i, l->amount, 10);
		screen_num(s, 42, 6 + i, (int64_t)l->delivery_date, 12);
	}
	return screen;
}

/* ---- delivery ---- */

/* Delivers one order: carrier, line dates, customer balance; its amount. */
static int64_t deliver(warehouse_ctx *w, jobj *order, uint32_t carrier)
{
	struct order_data *o = DATA(order, order);
	jobj *lines = jobj_refs(order)[O_LINES];
	int64_t sum = 0;
	o->carrier_id = carrier;
	for (uint32_t i = 0; i < lines->nrefs; i++) {
		struct orderline_data *l = DATA(orderline, jobj_refs(lines)[i]);
		l->delivery_date = w->date;
		sum += l->amount;
	}
	struct customer_data *c = DATA(customer, jobj_refs(order)[O_CUSTOMER]);
	c->balance += sum;
	c->delivery_cnt++;
	return sum;
}

jobj *txn_delivery(warehouse_ctx *w)
{
	jobj *screen = screen_new(w);
	char *s = screen_cells(screen);
	uint32_t carrier = jrng_range(&w->rng, 1, 10);
	screen_str(s, 37, 0, "Delivery");
	screen_num(s, 11, 1, w->id, 4);
	screen_num(s, 16, 3, carrier, 2);
	for (unsigned d = 0; d < JBB_DISTRICTS; d++) {
		jobj *order = dequeue_new_order(district_of(w->root, d));
		screen_num(s, 0, 6 + d, d + 1, 2);
		if (!order) {
			w->empty_deliveries++;
			screen_str(s, 4, 6 + d, "no order");
			continue;
		}
		int64_t amount = deliver(w, order, carrier);
		screen_num(s, 4, 6 + d, DATA(order, order)->id, 8);
		screen_money(s, 14, 6 + d, amount, 12);
	}
	return screen;
}
