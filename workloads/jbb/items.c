/*
 * items.c - the item table (items.h).
 */
#include "items.h"

#include <stdlib.h>

struct item *items_create(unsigned n)
{
	struct item *items = calloc(n, sizeof *items);
	if (!items)
		return NULL;
	jrng r;
	jrng_seed(&r, 0);
	for (unsigned i = 0; i < n; i++) {
		items[i].id = i + 1;
		items[i].price = jrng_range(&r, 100, 10000);
		jrng_string(&r, items[i].name, jrng_range(&r, 14, sizeof items[i].name));
		jrng_string(&r, items[i].data, jrng_range(&r, 26, sizeof items[i].data));
	}
	return items;
}
