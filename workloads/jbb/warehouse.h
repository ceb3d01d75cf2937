/*
 * warehouse.h - one warehouse's life: population, the transaction loop
 * with its collections, and the digest of its results and final state.
 *
 * Contract: warehouse_init() prepares a context over a heap arena (no
 * allocation yet); warehouse_populate() builds the initial object graph;
 * warehouse_run() runs cfg->txns transactions drawn from a shuffled deck
 * with the SPECjbb proportions, collecting the heap between transactions
 * whenever less than WH_TXN_RESERVE bytes are free; warehouse_finish()
 * computes ctx->digest.  All of it depends only on the warehouse number,
 * the configuration and the item table.  A heap too small for the live
 * data stops the process with a message naming --heap (exit code 1).
 */
#ifndef JBB_WAREHOUSE_H
#define JBB_WAREHOUSE_H

#include "schema.h"

/* More than any one transaction allocates (a new order of 15 lines and
 * its screen is about 4 KB). */
#define WH_TXN_RESERVE (32u * 1024)

void warehouse_init(warehouse_ctx *w, unsigned id, const jbb_config *cfg, const struct item *items,
		    void *arena, size_t arena_bytes);
void warehouse_populate(warehouse_ctx *w);
void warehouse_run(warehouse_ctx *w);
void warehouse_finish(warehouse_ctx *w);

/* A new zeroed object of the warehouse's heap; never NULL (a full heap
 * ends the process, see above). */
jobj *wh_new(warehouse_ctx *w, enum jtype type, uint32_t nrefs, uint32_t data_bytes);
/* The state digest alone (state_digest.c). */
uint64_t warehouse_state_digest(warehouse_ctx *w);

#endif
