/*
 * btree.h - a B+-tree of 64-bit keys and fixed-size values over the pages
 * of a pager (the oltp test's tables and indexes).
 *
 * Leaves hold sorted (key, value) pairs and link to their right sibling;
 * internal nodes hold separators and children (child i holds the keys k
 * with sep[i-1] <= k < sep[i]).  Insertion splits full nodes bottom-up
 * (a leaf split at the end of the rightmost leaf keeps the left leaf full,
 * as SQLite's append balance, so ascending loads pack pages); deletion is
 * lazy (no merging: leaves may become underfull or empty, the invariants
 * above still hold).  Page 0 holds the meta record (root, count).  Not
 * thread-safe: the caller serialises.
 */
#ifndef SB_BTREE_H
#define SB_BTREE_H

#include <stdint.h>

#include "pager.h"

#define BTREE_MAX_DEPTH 16

struct btree {
	struct pager *pg;
	uint32_t vsize, leaf_cap, node_cap;
	uint32_t root, depth;
	uint64_t count;
	uint64_t *scratch_keys; /* node_cap + 1 */
	uint32_t *scratch_kids; /* node_cap + 2 */
};

/* An empty tree on a freshly created pager; 0 or -1. */
int btree_create(struct btree *t, struct pager *pg, uint32_t vsize);
/* 1 found (value copied to val if val), 0 absent, -1 I/O error. */
int btree_find(struct btree *t, uint64_t key, void *val);
/* 1 replaced, 0 absent, -1 error. */
int btree_update(struct btree *t, uint64_t key, const void *val);
/* 1 inserted, 0 the key exists, -1 error. */
int btree_insert(struct btree *t, uint64_t key, const void *val);
/* 1 deleted (old value copied to old if old), 0 absent, -1 error. */
int btree_delete(struct btree *t, uint64_t key, void *old);
/* Calls fn for up to n pairs with key >= from, ascending, until fn returns
 * non-zero; the number of calls, or -1 on error. */
typedef int (*btree_visit_fn)(void *arg, uint64_t key, const void *val);
int64_t btree_scan(struct btree *t, uint64_t from, uint64_t n, btree_visit_fn fn, void *arg);
/* Writes the meta page and flushes the pager; 0 or -1. */
int btree_sync(struct btree *t);
void btree_free(struct btree *t);

#endif
