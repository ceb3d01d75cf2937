/*
 * txn_payment.c - payment (TPC-C clause 2.5), the history it records, and
 * the choice of a customer by number or by last name shared with order
 * status (clauses 2.5.1.2 and 2.6.1.2).
 *
 * The history is a ring of cfg->history_kept references in the
 * warehouse: a payment allocates a new history object and the one it
 * replaces becomes garbage, as SPECjbb drops old history entries.
 */
#include <stdio.h>
#include <string.h>

#include "screen.h"
#include "txn.h"

#define MAX_SAME_NAME 64 /* about 3 customers share a last name */

uint32_t txn_last_name_count(const jbb_config *cfg)
{
	uint32_t n = cfg->customers / 3;
	return n == 0 ? 1 : n > 1000 ? 1000 : n;
}

void txn_add_history(warehouse_ctx *w, jobj *district, jobj *customer, int64_t amount)
{
	jobj *h = wh_new(w, T_HISTORY, H_NREFS, sizeof(struct history_data));
	struct history_data *d = DATA(history, h);
	struct warehouse_data *wd = DATA(warehouse, w->root);
	jobj_refs(h)[H_CUSTOMER] = customer;
	d->c_id = DATA(customer, customer)->id;
	d->c_d_id = DATA(customer, customer)->d_id;
	d->d_id = DATA(district, district)->id;
	d->w_id = w->id;
	d->date = w->date;
	d->amount = amount;
	/* TPC-C 2.5.2.2: H_DATA is W_NAME and D_NAME with 4 spaces between. */
	memset(d->data, ' ', sizeof d->data);
	memcpy(d->data, wd->name, 10);
	memcpy(d->data + 14, DATA(district, district)->name, 10);
	jobj_refs(jobj_refs(w->root)[WH_HISTORY])[wd->history_next] = h;
	wd->history_next = (wd->history_next + 1) % w->cfg->history_kept;
}

/* The customers of the district with this last name, sorted by first name. */
static unsigned customers_named(jobj *district, const char *last, jobj **out)
{
	jobj *array = jobj_refs(district)[D_CUSTOMERS];
	unsigned n = 0;
	for (uint32_t i = 0; i < array->nrefs && n < MAX_SAME_NAME; i++) {
		jobj *c = jobj_refs(array)[i];
		if (memcmp(DATA(customer, c)->last, last, 16) != 0)
			continue;
		unsigned k = n++;
		while (k > 0 && memcmp(DATA(customer, out[k - 1])->first, DATA(customer, c)->first,
				       16) > 0) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = c;
	}
	return n;
}

jobj *txn_pick_customer(warehouse_ctx *w, jobj *district)
{
	const jbb_config *cfg = w->cfg;
	if (jrng_range(&w->rng, 1, 100) <= 60) {
		char last[16];
		uint32_t names = txn_last_name_count(cfg);
		jrng_last_name(jrng_nurand(&w->rng, 255, 0, 999) % names, last);
		jobj *same[MAX_SAME_NAME];
		unsigned n = customers_named(district, last, same);
		if (n > 0)
			return same[(n - 1) / 2]; /* position ceil(n/2), 1-based */
	}
	return customer_of(district,
			   jrng_nurand(&w->rng, jrng_nurand_a(cfg->customers), 1, cfg->customers));
}

/* TPC-C 2.5.2.2: a bad-credit customer's C_DATA gets the payment's
 * details prepended, the oldest characters falling off the end. */
static void note_bad_credit(warehouse_ctx *w, struct customer_data *c, uint32_t d_id,
			    int64_t amount)
{
	char note[40];
	int len = snprintf(note, sizeof note, "%u %u %u %u %lld|", (unsigned)c->id,
			   (unsigned)c->d_id, (unsigned)d_id, w->id, (long long)amount);
	if (len < 0 || (size_t)len >= sizeof note)
		len = (int)sizeof note - 1;
	memmove(c->data + len, c->data, sizeof c->data - (size_t)len);
	memcpy(c->data, note, (size_t)len);
}

static void payment_screen(warehouse_ctx *w, char *s, jobj *district, struct customer_data *c,
			   int64_t amount)
{
	struct warehouse_data *wd = DATA(warehouse, w->root);
	struct district_data *dd = DATA(district, district);
	screen_str(s, 38, 0, "Payment");
	screen_num(s, 60, 1, (int64_t)w->date, 12);
	screen_num(s, 11, 2, w->id, 4);
	screen_num(s, 52, 2, dd->id, 2);
	screen_text(s, 0, 3, wd->street, sizeof wd->street);
	screen_text(s, 41, 3, dd->street, sizeof dd->street);
	screen_text(s, 0, 4, wd->city, sizeof wd->city);
	screen_text(s, 41, 4, dd->city, sizeof dd->city);
	screen_num(s, 11, 7, c->id, 5);
	screen_num(s, 33, 7, c->d_id, 2);
	screen_text(s, 9, 8, c->first, sizeof c->first);
	screen_text(s, 26, 8, c->middle, 2);
	screen_text(s, 29, 8, c->last, strnlen(c->last, sizeof c->last));
	screen_text(s, 9, 9, c->phone, sizeof c->phone);
	screen_text(s, 58, 9, c->credit, 2);
	screen_num(s, 58, 10, c->discount_bp, 5);
	screen_money(s, 16, 13, amount, 10);
	screen_money(s, 44, 13, c->balance, 15);
	screen_money(s, 16, 14, c->credit_lim, 15);
	if (memcmp(c->credit, "BC", 2) == 0)
		for (unsigned r = 0; r < 2; r++)
			screen_text(s, 10, 16 + r, c->data + 50 * r, 50);
}

jobj *txn_payment(warehouse_ctx *w)
{
	jobj *screen = screen_new(w);
	unsigned home = jrng_range(&w->rng, 0, JBB_DISTRICTS - 1);
	jobj *district = district_of(w->root, home);
	/* TPC-C 2.5.1.2: 85% of customers are the district's own; the others
	 * come from another district here (not another warehouse, txn.h). */
	unsigned cd = jrng_range(&w->rng, 1, 100) <= 85 ? home
							: jrng_range(&w->rng, 0, JBB_DISTRICTS - 1);
	jobj *customer = txn_pick_customer(w, district_of(w->root, cd));
	int64_t amount = jrng_range(&w->rng, 100, 500000);
	struct customer_data *c = DATA(customer, customer);
	DATA(warehouse, w->root)->ytd += amount;
	DATA(district, district)->ytd += amount;
	c->balance -= amount;
	c->ytd_payment += amount;
	c->payment_cnt++;
	if (memcmp(c->credit, "BC", 2) == 0)
		note_bad_credit(w, c, home + 1, amount);
	txn_add_history(w, district, customer, amount);
	payment_screen(w, screen_cells(screen), district, c, amount);
	return screen;
}
