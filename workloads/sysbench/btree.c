/*
 * btree.c - the oltp test's B+-tree (btree.h).  Node layout in a page:
 * header { u16 is_leaf, u16 n, u32 next } (next: a leaf's right sibling,
 * 0 = none), then keys[cap] (u64), then leaves: values[cap][vsize],
 * internal nodes: children[cap + 1] (u32 page numbers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btree.h"

#define HDR 8u
#define META_MAGIC 0x45455254425342ull /* "SBTREE" */

/* Keys and values are 8-byte aligned multiples of 8 bytes (btree_create
 * checks vsize); picolibc's riscv memmove copies a byte at a time, so they
 * move a word at a time.  (Children, u32, use memmove: only on splits.) */
static void wmove(void *dst, const void *src, size_t bytes)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	size_t n = bytes / 8;
	if (d < s)
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	else
		for (size_t i = n; i-- > 0;)
			d[i] = s[i];
}

struct node_hdr {
	uint16_t is_leaf, n;
	uint32_t next;
};

struct path {
	uint32_t pg[BTREE_MAX_DEPTH], idx[BTREE_MAX_DEPTH];
	unsigned depth; /* internal levels recorded */
};

static struct node_hdr *hdr(uint8_t *p)
{
	return (struct node_hdr *)p;
}
static uint64_t *keys(uint8_t *p)
{
	return (uint64_t *)(p + HDR);
}
static uint8_t *val(struct btree *t, uint8_t *p, unsigned i)
{
	return p + HDR + t->leaf_cap * 8u + i * t->vsize;
}
static uint32_t *kids(struct btree *t, uint8_t *p)
{
	return (uint32_t *)(p + HDR + t->node_cap * 8u);
}

/* First i with keys[i] >= key (leaf position). */
static unsigned lower_bound(uint8_t *p, uint64_t key)
{
	unsigned lo = 0, hi = hdr(p)->n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (keys(p)[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First i with keys[i] > key (child to descend into). */
static unsigned upper_bound(uint8_t *p, uint64_t key)
{
	unsigned lo = 0, hi = hdr(p)->n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (keys(p)[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int btree_create(struct btree *t, struct pager *pg, uint32_t vsize)
{
	memset(t, 0, sizeof *t);
	t->pg = pg;
	t->vsize = vsize;
	t->leaf_cap = (PAGER_PAGE - HDR) / (8 + vsize);
	t->node_cap = (PAGER_PAGE - HDR - 4) / 12;
	t->scratch_keys = malloc((t->node_cap + 1) * sizeof(uint64_t));
	t->scratch_kids = malloc((t->node_cap + 2) * sizeof(uint32_t));
	uint32_t meta, root;
	uint8_t *m = t->scratch_keys && t->scratch_kids ? pager_alloc(pg, &meta) : NULL;
	uint8_t *r = m ? pager_alloc(pg, &root) : NULL;
	if (!r || t->leaf_cap < 3 || vsize % 8) {
		fprintf(stderr,
			"sysbench: btree.c: %s: cannot create a tree of %u-byte values (a multiple of 8 that fits 3 per page)\n",
			pg->path, vsize);
		return -1;
	}
	hdr(r)->is_leaf = 1;
	t->root = root;
	t->depth = 1;
	pager_put(pg, r);
	pager_put(pg, m);
	return 0;
}

/* Descends from the root to the leaf for key, recording the path; the
 * leaf is returned pinned. */
static uint8_t *descend(struct btree *t, uint64_t key, struct path *path, uint32_t *leaf_pg)
{
	uint32_t pgno = t->root;
	path->depth = 0;
	for (;;) {
		uint8_t *p = pager_get(t->pg, pgno);
		if (!p || hdr(p)->is_leaf) {
			*leaf_pg = pgno;
			return p;
		}
		unsigned i = upper_bound(p, key);
		uint32_t child = kids(t, p)[i];
		pager_put(t->pg, p);
		if (path->depth == BTREE_MAX_DEPTH) {
			fprintf(stderr, "sysbench: btree.c: %s: deeper than %d levels\n",
				t->pg->path, BTREE_MAX_DEPTH);
			return NULL;
		}
		path->pg[path->depth] = pgno;
		path->idx[path->depth++] = i;
		pgno = child;
	}
}

int btree_find(struct btree *t, uint64_t key, void *v)
{
	struct path path;
	uint32_t lp;
	uint8_t *p = descend(t, key, &path, &lp);
	if (!p)
		return -1;
	unsigned i = lower_bound(p, key);
	int found = i < hdr(p)->n && keys(p)[i] == key;
	if (found && v)
		wmove(v, val(t, p, i), t->vsize);
	pager_put(t->pg, p);
	return found;
}

int btree_update(struct btree *t, uint64_t key, const void *v)
{
	struct path path;
	uint32_t lp;
	uint8_t *p = descend(t, key, &path, &lp);
	if (!p)
		return -1;
	unsigned i = lower_bound(p, key);
	int found = i < hdr(p)->n && keys(p)[i] == key;
	if (found) {
		wmove(val(t, p, i), v, t->vsize);
		pager_dirty(t->pg, p);
	}
	pager_put(t->pg, p);
	return found;
}

/* Opens a gap at position i of a leaf and stores (key, v) there. */
static void leaf_put(struct btree *t, uint8_t *p, unsigned i, uint64_t key, const void *v)
{
	unsigned n = hdr(p)->n;
	wmove(&keys(p)[i + 1], &keys(p)[i], (n - i) * 8u);
	wmove(val(t, p, i + 1), val(t, p, i), (n - i) * t->vsize);
	keys(p)[i] = key;
	wmove(val(t, p, i), v, t->vsize);
	hdr(p)->n = (uint16_t)(n + 1);
}

static int new_root(struct btree *t, uint64_t sep, uint32_t right)
{
	uint32_t pgno;
	uint8_t *r = pager_alloc(t->pg, &pgno);
	if (!r)
		return -1;
	hdr(r)->n = 1;
	keys(r)[0] = sep;
	kids(t, r)[0] = t->root;
	kids(t, r)[1] = right;
	pager_put(t->pg, r);
	t->root = pgno;
	t->depth++;
	return 0;
}

/* Splits a full internal node p (page pgno) that must take (sep, right) at
 * child position idx; returns the separator pushed up in *up and the new
 * right node's page in *newpg. */
static int split_node(struct btree *t, uint8_t *p, unsigned idx, uint64_t sep, uint32_t right,
		      uint64_t *up, uint32_t *newpg)
{
	unsigned n = hdr(p)->n;
	uint64_t *k = t->scratch_keys;
	uint32_t *c = t->scratch_kids;
	memcpy(k, keys(p), idx * 8u);
	k[idx] = sep;
	memcpy(k + idx + 1, keys(p) + idx, (n - idx) * 8u);
	memcpy(c, kids(t, p), (idx + 1) * 4u);
	c[idx + 1] = right;
	memcpy(c + idx + 2, kids(t, p) + idx + 1, (n - idx) * 4u);
	unsigned total = n + 1, mid = total / 2;
	uint8_t *q = pager_alloc(t->pg, newpg);
	if (!q)
		return -1;
	hdr(p)->n = (uint16_t)mid;
	memcpy(keys(p), k, mid * 8u);
	memcpy(kids(t, p), c, (mid + 1) * 4u);
	*up = k[mid];
	hdr(q)->n = (uint16_t)(total - mid - 1);
	memcpy(keys(q), k + mid + 1, (total - mid - 1) * 8u);
	memcpy(kids(t, q), c + mid + 1, (total - mid) * 4u);
	pager_put(t->pg, q);
	return 0;
}

/* Inserts (sep, right) into the parent at path level lvl, splitting up. */
static int insert_parent(struct btree *t, struct path *path, int lvl, uint64_t sep, uint32_t right)
{
	while (lvl >= 0) {
		uint8_t *p = pager_get(t->pg, path->pg[lvl]);
		if (!p)
			return -1;
		unsigned n = hdr(p)->n, idx = path->idx[lvl];
		pager_dirty(t->pg, p);
		if (n < t->node_cap) {
			wmove(&keys(p)[idx + 1], &keys(p)[idx], (n - idx) * 8u);
			memmove(&kids(t, p)[idx + 2], &kids(t, p)[idx + 1], (n - idx) * 4u);
			keys(p)[idx] = sep;
			kids(t, p)[idx + 1] = right;
			hdr(p)->n = (uint16_t)(n + 1);
			pager_put(t->pg, p);
			return 0;
		}
		int rc = split_node(t, p, idx, sep, right, &sep, &right);
		pager_put(t->pg, p);
		if (rc < 0)
			return -1;
		lvl--;
	}
	return new_root(t, sep, right);
}

/* Splits the full leaf p (page lp) while inserting (key, v) at i. */
static int split_leaf(struct btree *t, uint8_t *p, unsigned i, uint64_t key, const void *v,
		      uint64_t *sep, uint32_t *newpg)
{
	unsigned n = hdr(p)->n;
	unsigned s = (i == n && hdr(p)->next == 0) ? n : n / 2; /* append: keep left full */
	uint8_t *q = pager_alloc(t->pg, newpg);
	if (!q)
		return -1;
	hdr(q)->is_leaf = 1;
	hdr(q)->n = (uint16_t)(n - s);
	wmove(keys(q), keys(p) + s, (n - s) * 8u);
	wmove(val(t, q, 0), val(t, p, s), (n - s) * t->vsize);
	hdr(q)->next = hdr(p)->next;
	hdr(p)->next = *newpg;
	hdr(p)->n = (uint16_t)s;
	if (i < s)
		leaf_put(t, p, i, key, v);
	else
		leaf_put(t, q, i - s, key, v);
	*sep = keys(q)[0];
	pager_put(t->pg, q);
	return 0;
}

int btree_insert(struct btree *t, uint64_t key, const void *v)
{
	struct path path;
	uint32_t lp;
	uint8_t *p = descend(t, key, &path, &lp);
	if (!p)
		return -1;
	unsigned i = lower_bound(p, key);
	if (i < hdr(p)->n && keys(p)[i] == key) {
		pager_put(t->pg, p);
		return 0;
	}
	pager_dirty(t->pg, p);
	t->count++;
	if (hdr(p)->n < t->leaf_cap) {
		leaf_put(t, p, i, key, v);
		pager_put(t->pg, p);
		return 1;
	}
	uint64_t sep;
	uint32_t right;
	int rc = split_leaf(t, p, i, key, v, &sep, &right);
	pager_put(t->pg, p);
	if (rc < 0 || insert_parent(t, &path, (int)path.depth - 1, sep, right) < 0)
		return -1;
	return 1;
}

int btree_delete(struct btree *t, uint64_t key, void *old)
{
	struct path path;
	uint32_t lp;
	uint8_t *p = descend(t, key, &path, &lp);
	if (!p)
		return -1;
	unsigned i = lower_bound(p, key), n = hdr(p)->n;
	int found = i < n && keys(p)[i] == key;
	if (found) {
		if (old)
			wmove(old, val(t, p, i), t->vsize);
		wmove(&keys(p)[i], &keys(p)[i + 1], (n - i - 1) * 8u);
		wmove(val(t, p, i), val(t, p, i + 1), (n - i - 1) * t->vsize);
		hdr(p)->n = (uint16_t)(n - 1);
		pager_dirty(t->pg, p);
		t->count--;
	}
	pager_put(t->pg, p);
	return found;
}

int64_t btree_scan(struct btree *t, uint64_t from, uint64_t n, btree_visit_fn fn, void *arg)
{
	struct path path;
	uint32_t lp;
	uint8_t *p = descend(t, from, &path, &lp);
	if (!p)
		return -1;
	unsigned i = lower_bound(p, from);
	int64_t visited = 0;
	while ((uint64_t)visited < n) {
		if (i >= hdr(p)->n) {
			uint32_t next = hdr(p)->next;
			pager_put(t->pg, p);
			if (next == 0)
				return visited;
			if (!(p = pager_get(t->pg, next)))
				return -1;
			i = 0;
			continue;
		}
		visited++;
		if (fn(arg, keys(p)[i], val(t, p, i)))
			break;
		i++;
	}
	pager_put(t->pg, p);
	return visited;
}

int btree_sync(struct btree *t)
{
	uint8_t *m = pager_get(t->pg, 0);
	if (!m)
		return -1;
	uint64_t meta[4] = { META_MAGIC, t->root, t->count, t->depth };
	memcpy(m, meta, sizeof meta);
	pager_dirty(t->pg, m);
	pager_put(t->pg, m);
	return pager_flush(t->pg);
}

void btree_free(struct btree *t)
{
	free(t->scratch_keys);
	free(t->scratch_kids);
	t->scratch_keys = NULL;
	t->scratch_kids = NULL;
}
