/*
 * txn.h - the five transactions of the jbb workload.
 *
 * Contract: each transaction follows the TPC-C profile that SPECjbb2005
 * keeps (TPC-C standard specification 5.11, clauses 2.4 new order, 2.5
 * payment, 2.6 order status, 2.7 delivery, 2.8 stock level), on one
 * warehouse's objects, with its inputs drawn from the warehouse's
 * generator; it allocates its objects and its result screen (screen.h) in
 * the warehouse's heap and returns the screen.  No transaction collects
 * the heap (the caller keeps WH_TXN_RESERVE bytes free before each one),
 * so heap pointers stay valid for its whole length.  Dates are the
 * warehouse's logical clock (w->date), never the wall clock.
 * All warehouses are local: TPC-C's remote supply warehouses and remote
 * customers would make a warehouse's results depend on the others'
 * timing; remote customers are drawn from another district instead.
 */
#ifndef JBB_TXN_H
#define JBB_TXN_H

#include "warehouse.h"

jobj *txn_run(warehouse_ctx *w, enum txn_kind kind);
const char *txn_name(enum txn_kind kind);

jobj *txn_new_order(warehouse_ctx *w);
jobj *txn_payment(warehouse_ctx *w);
jobj *txn_order_status(warehouse_ctx *w);
jobj *txn_delivery(warehouse_ctx *w);
jobj *txn_stock_level(warehouse_ctx *w);

/* Shared with the population (populate.c). */
void txn_add_history(warehouse_ctx *w, jobj *district, jobj *customer, int64_t amount);
void txn_initial_order(warehouse_ctx *w, jobj *district, int undelivered);
/* TPC-C 2.5.1.2 / 2.6.1.2: a customer of the district, 60% by last name
 * (the middle one by first name among those sharing it), else by number. */
jobj *txn_pick_customer(warehouse_ctx *w, jobj *district);
uint32_t txn_last_name_count(const jbb_config *cfg);

#endif
