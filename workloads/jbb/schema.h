/*
 * schema.h - the jbb workload's data: the run's parameters, the shared
 * item table, the objects of a warehouse's heap and the per-warehouse
 * context its thread works in.
 *
 * Contract: the schema is TPC-C's, as SPECjbb2005 keeps it with tables
 * replaced by objects (SPECjbb2005 white paper, section 1; TPC-C standard
 * specification 5.11, clause 1.3): a company of warehouses; each warehouse
 * has districts, a stock entry per item and a payment history; each
 * district has customers, orders and a queue of orders not yet delivered;
 * an order has order lines.  Each object is a heap object (heap.h) whose
 * reference slots are indexed by the enums below and whose data is the
 * struct named after it.  The item table is built once before the
 * warehouses start and only read afterwards; everything else belongs to
 * exactly one warehouse, so a warehouse's results never depend on the
 * other threads.  Sizes are scaled down from TPC-C (see README.md).
 */
#ifndef JBB_SCHEMA_H
#define JBB_SCHEMA_H

#include <stdint.h>

#include "heap.h"
#include "rng.h"
#include "vtlab.h"

#define JBB_DISTRICTS 10 /* per warehouse, as in TPC-C */
#define JBB_DECK 23      /* transactions per shuffled deck (txn.h) */

typedef struct {
	unsigned warehouses;
	uint64_t txns;            /* per warehouse */
	unsigned heap_mb;         /* all warehouses together; 0 = heap_kb_default each */
	unsigned heap_kb_default; /* per warehouse, when --heap is not given */
	unsigned items;           /* in the item table and in each stock */
	unsigned customers;       /* per district */
	unsigned orders_kept;     /* per district: the order table's ring */
	unsigned history_kept;    /* per warehouse: the history ring */
	int verify;               /* check the heap after every collection */
} jbb_config;

struct item {
	uint32_t id;    /* 1-based */
	uint32_t price; /* cents, 1.00 .. 100.00 */
	char name[24];
	char data[50];
};

enum jtype {
	T_WAREHOUSE = 1,
	T_REFARRAY,
	T_DISTRICT,
	T_CUSTOMER,
	T_STOCK,
	T_ORDER,
	T_ORDERLINE,
	T_NEWORDER,
	T_HISTORY,
	T_SCREEN,
};

enum { WH_DISTRICTS, WH_STOCK, WH_HISTORY, WH_NREFS };
struct warehouse_data {
	uint32_t id;
	uint32_t tax_bp;       /* basis points: 0 .. 2000 = 0 .. 20% */
	int64_t ytd;           /* cents */
	uint32_t history_next; /* next slot of the history ring */
	char name[12], street[20], city[20], state[2], zip[9];
};

enum { D_CUSTOMERS, D_ORDERS, D_NEWQ_HEAD, D_NEWQ_TAIL, D_NREFS };
struct district_data {
	uint32_t id;
	uint32_t tax_bp;
	int64_t ytd;
	uint32_t next_o_id; /* orders 1 .. next_o_id - 1 exist or existed */
	uint32_t newq_len;
	char name[12], street[20], city[20];
};

enum { C_LAST_ORDER, C_NREFS };
struct customer_data {
	uint32_t id, d_id;
	char first[16], middle[2], last[16], credit[2]; /* credit "GC" or "BC" */
	uint32_t discount_bp;
	int64_t credit_lim, balance, ytd_payment; /* cents */
	uint32_t payment_cnt, delivery_cnt;
	uint64_t since;
	char phone[16];
	char data[100];
};

struct stock_data {
	uint32_t item_id;
	int32_t quantity;
	uint64_t ytd;
	uint32_t order_cnt, remote_cnt;
	char dist[JBB_DISTRICTS][24];
	char data[50];
};

enum { O_CUSTOMER, O_LINES, O_NREFS };
struct order_data {
	uint32_t id, d_id, c_id;
	uint32_t carrier_id; /* 0 until delivered */
	uint32_t ol_cnt;
	uint32_t all_local;
	uint64_t entry_date;
	int64_t total; /* cents, taxes and discount applied */
};

struct orderline_data {
	uint32_t number, item_id, supply_w, quantity;
	int64_t amount;
	uint64_t delivery_date; /* 0 until delivered */
	char dist_info[24];
};

enum { NO_ORDER, NO_NEXT, NO_NREFS };

enum { H_CUSTOMER, H_NREFS };
struct history_data {
	uint32_t c_id, c_d_id, d_id, w_id;
	uint64_t date;
	int64_t amount;
	char data[24];
};

#define SCREEN_COLS 80
#define SCREEN_ROWS 24

#define DATA(kind, o) ((struct kind##_data *)jobj_data(o))

enum txn_kind { TX_NEW_ORDER, TX_PAYMENT, TX_ORDER_STATUS, TX_DELIVERY, TX_STOCK_LEVEL, TX_KINDS };

/* One warehouse: its heap, generator and results; used by its thread only. */
typedef struct {
	unsigned id; /* 1-based */
	const jbb_config *cfg;
	const struct item *items;
	jheap heap;
	jobj *root; /* the warehouse object: the heap's root */
	jrng rng;
	uint8_t deck[JBB_DECK];
	unsigned deck_pos;
	uint64_t date; /* logical clock: one tick per transaction */
	uint64_t count[TX_KINDS];
	uint64_t rollbacks;        /* new orders with an unused item number */
	uint64_t empty_deliveries; /* districts with no order to deliver */
	vt_digest_t results;       /* every transaction's output screen */
	uint64_t digest;           /* results and final state, when done */
	const char *error;         /* set when the warehouse failed */
} warehouse_ctx;

/* The object of district d (0-based) and its reference slots. */
static inline jobj *district_of(jobj *wh, unsigned d)
{
	return jobj_refs(jobj_refs(wh)[WH_DISTRICTS])[d];
}

static inline jobj *stock_of(jobj *wh, uint32_t item_id)
{
	return jobj_refs(jobj_refs(wh)[WH_STOCK])[item_id - 1];
}

static inline jobj *customer_of(jobj *district, uint32_t c_id)
{
	return jobj_refs(jobj_refs(district)[D_CUSTOMERS])[c_id - 1];
}

#endif
