/*
 * items.h - the company's item table, shared read-only by all warehouses.
 *
 * Contract: items_create() builds n items from a generator seeded with 0
 * (TPC-C clause 4.3.3.1: price 1.00 to 100.00, a name of 14 to 24 and data
 * of 26 to 50 characters) before any warehouse starts; nobody writes it
 * afterwards.  NULL when out of memory.
 */
#ifndef JBB_ITEMS_H
#define JBB_ITEMS_H

#include "schema.h"

struct item *items_create(unsigned n);

#endif
