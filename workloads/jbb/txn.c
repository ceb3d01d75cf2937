/*
 * txn.c - dispatch of a transaction kind and the kinds' names (txn.h).
 */
#include "txn.h"

jobj *txn_run(warehouse_ctx *w, enum txn_kind kind)
{
	switch (kind) {
	case TX_NEW_ORDER: return txn_new_order(w);
	case TX_PAYMENT: return txn_payment(w);
	case TX_ORDER_STATUS: return txn_order_status(w);
	case TX_DELIVERY: return txn_delivery(w);
	case TX_STOCK_LEVEL:
	default: return txn_stock_level(w);
	}
}

const char *txn_name(enum txn_kind kind)
{
	static const char *const names[TX_KINDS] = { "New order", "Payment", "Order status",
						     "Delivery", "Stock level" };
	return kind < TX_KINDS ? names[kind] : "?";
}
