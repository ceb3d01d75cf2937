/*
 * test_oltp.c - sysbench's oltp_read_write over our own storage engine:
 * --tables tables sbtestN (id, k, c char(120), pad char(60)), each a
 * B+-tree file keyed by id (the clustered primary key) plus a secondary
 * index file on (k, id), each file behind a small page cache
 * (--page-cache pages, pager.c).  Prepare (untimed) loads --table-size rows
 * per table, as sysbench does: k random in [1, table-size], c and pad
 * groups of random digits.
 *
 * An event is one transaction on a random table with sysbench's default
 * mix: --point-selects (10) SELECT c WHERE id=?, one each of a simple range
 * (SELECT c WHERE id BETWEEN ? AND ?+range-size-1), a sum range (SUM(k)),
 * an order range (... ORDER BY c), a distinct range (DISTINCT c ... ORDER
 * BY c), an index update (k = k + 1), a non-index update (of c), and a
 * delete + insert of one id.  Isolation: a transaction holds its table's
 * lock throughout (database-level locking, as SQLite), so threads run in
 * parallel on different tables.
 *
 * Determinism: transactions on one table run in an order that depends on
 * timing, so every write is commutative: k = k + 1; c's digits are shifted
 * by random amounts (mod 10) instead of replaced; the re-inserted row is
 * the deleted one with k increased by 0..3 and c, pad shifted.  The final
 * tables are then the same whatever the order.  What reads return depends
 * on the order, so only row counts (fixed: every id always exists between
 * transactions) are folded into chunk results; the digest covers every
 * table's final rows, and the secondary index is checked against them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btree.h"
#include "sysbench.h"

#define C_LEN 120
#define PAD_LEN 60
#define MAX_RANGE 10000

struct row {
	char c[C_LEN]; /* first: 8-byte aligned for word copies */
	char pad[PAD_LEN];
	uint32_t k;
};

static struct sb_option oltp_options[] = {
	{ "tables", SB_OPT_U64, "number of tables", 4, 0, 0, 0, 0 },
	{ "table-size", SB_OPT_U64, "number of rows per table", 10000, 1000, 0, 0, 0 },
	{ "range-size", SB_OPT_U64, "range SELECT LIMIT value", 100, 0, 0, 0, 0 },
	{ "point-selects", SB_OPT_U64, "number of point SELECT queries per transaction", 10, 0, 0,
	  0, 0 },
	{ "simple-ranges", SB_OPT_U64, "number of simple range SELECTs", 1, 0, 0, 0, 0 },
	{ "sum-ranges", SB_OPT_U64, "number of SELECT SUM() queries", 1, 0, 0, 0, 0 },
	{ "order-ranges", SB_OPT_U64, "number of SELECT ORDER BY queries", 1, 0, 0, 0, 0 },
	{ "distinct-ranges", SB_OPT_U64, "number of SELECT DISTINCT queries", 1, 0, 0, 0, 0 },
	{ "index-updates", SB_OPT_U64, "number of UPDATE index queries", 1, 0, 0, 0, 0 },
	{ "non-index-updates", SB_OPT_U64, "number of UPDATE non-index queries", 1, 0, 0, 0, 0 },
	{ "delete-inserts", SB_OPT_U64, "number of DELETE/INSERT combinations", 1, 0, 0, 0, 0 },
	{ "page-cache", SB_OPT_U64, "page cache frames per table file", 64, 0, 0, 0, 0 },
	{ 0 },
};

struct table {
	vt_mutex_t lock;
	struct pager prim_pg, kidx_pg;
	struct btree prim, kidx;
};

static struct {
	uint64_t ntables, size, range, seed, frames;
	uint64_t points, simple, sums, orders, distincts, idx_upd, nonidx_upd, del_ins;
	struct table *table;
	uint64_t queries, rows_read;
} o;

/* The secondary index key: (k, id) in one u64. */
static uint64_t kidx_key(uint32_t k, uint32_t id)
{
	return (uint64_t)k << 32 | id;
}

/* sysbench's c/pad: groups of 11 random digits separated by '-'. */
static void random_digits(char *s, unsigned len, sb_rng_t *rng)
{
	for (unsigned i = 0; i < len; i++)
		s[i] = (i % 12 == 11) ? '-' : (char)('0' + sb_rng_below(rng, 10));
}

/* Adds a random amount mod 10 to every digit: commutative updates. */
static void shift_digits(char *s, unsigned len, sb_rng_t *rng)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < len; i++) {
		if (i % 16 == 0)
			r = sb_rng_next(rng);
		if (s[i] >= '0' && s[i] <= '9')
			s[i] = (char)('0' + (s[i] - '0' + (r & 15) % 10) % 10);
		r >>= 4;
	}
}

static uint64_t opt(const char *name)
{
	return sb_opt_u64(oltp_options, name);
}

static int parse_options(void)
{
	o.ntables = opt("tables");
	o.size = opt("table-size");
	o.range = opt("range-size");
	o.frames = opt("page-cache");
	o.points = opt("point-selects");
	o.simple = opt("simple-ranges");
	o.sums = opt("sum-ranges");
	o.orders = opt("order-ranges");
	o.distincts = opt("distinct-ranges");
	o.idx_upd = opt("index-updates");
	o.nonidx_upd = opt("non-index-updates");
	o.del_ins = opt("delete-inserts");
	if (o.ntables < 1 || o.ntables > 16) {
		fprintf(stderr, "sysbench: option --tables: expected 1..16\n");
		return -1;
	}
	if (o.size < 1 || o.size > 50000000) {
		fprintf(stderr, "sysbench: option --table-size: expected 1..50000000\n");
		return -1;
	}
	if (o.range < 1 || o.range > MAX_RANGE || o.range > o.size) {
		fprintf(stderr,
			"sysbench: option --range-size: expected 1..%d and <= "
			"--table-size\n",
			MAX_RANGE);
		return -1;
	}
	if (o.frames < 8 || o.frames > 65536) {
		fprintf(stderr, "sysbench: option --page-cache: expected 8..65536 frames\n");
		return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* CREATE INDEX k_1 ON sbtestN(k), after the rows are in (as sysbench's
 * prepare): sort the (k, id) keys, then insert them in ascending order,
 * which packs the index leaves. */
static int build_index(struct table *tb, uint64_t *keys)
{
	qsort(keys, o.size, sizeof *keys, cmp_u64);
	for (uint64_t i = 0; i < o.size; i++)
		if (btree_insert(&tb->kidx, keys[i], NULL) != 1)
			return -1;
	return 0;
}

static int load_table(uint64_t t, uint64_t *keys)
{
	struct table *tb = &o.table[t];
	char path[48];
	snprintf(path, sizeof path, SB_DATA_DIR "/sbtest%llu", (unsigned long long)t + 1);
	if (pager_create(&tb->prim_pg, path, (uint32_t)o.frames) < 0 ||
	    btree_create(&tb->prim, &tb->prim_pg, sizeof(struct row)) < 0)
		return -1;
	snprintf(path, sizeof path, SB_DATA_DIR "/sbtest%llu.k", (unsigned long long)t + 1);
	if (pager_create(&tb->kidx_pg, path, (uint32_t)o.frames) < 0 ||
	    btree_create(&tb->kidx, &tb->kidx_pg, 0) < 0)
		return -1;
	for (uint32_t id = 1; id <= o.size; id++) {
		sb_rng_t rng = sb_rng_for(o.seed ^ (t << 48), id);
		struct row r;
		r.k = (uint32_t)(1 + sb_rng_below(&rng, o.size));
		random_digits(r.c, C_LEN, &rng);
		random_digits(r.pad, PAD_LEN, &rng);
		keys[id - 1] = kidx_key(r.k, id);
		if (btree_insert(&tb->prim, id, &r) != 1) {
			fprintf(stderr, "sysbench: oltp: sbtest%llu: loading row %u failed\n",
				(unsigned long long)t + 1, id);
			return -1;
		}
	}
	if (build_index(tb, keys) < 0) {
		fprintf(stderr, "sysbench: oltp: sbtest%llu: building the k index failed\n",
			(unsigned long long)t + 1);
		return -1;
	}
	return btree_sync(&tb->prim) < 0 || btree_sync(&tb->kidx) < 0 ? -1 : 0;
}

static int oltp_setup(struct sb_run *r)
{
	if (parse_options() < 0 || sb_data_dir() < 0)
		return -1;
	o.seed = r->common.seed;
	o.table = calloc(o.ntables, sizeof *o.table);
	if (!o.table) {
		fprintf(stderr, "sysbench: test_oltp.c: out of memory for %llu tables\n",
			(unsigned long long)o.ntables);
		return -1;
	}
	for (uint64_t t = 0; t < o.ntables; t++)
		o.table[t].prim_pg.fd = o.table[t].kidx_pg.fd = -1;
	printf("Creating %llu tables of %llu rows (prepare, not timed)\n",
	       (unsigned long long)o.ntables, (unsigned long long)o.size);
	uint64_t *keys = malloc(o.size * sizeof *keys);
	for (uint64_t t = 0; t < o.ntables; t++)
		if (!keys || load_table(t, keys) < 0) {
			free(keys);
			return -1;
		}
	free(keys);
	sync_fs();
	return 0;
}

/* A worker's buffers for ORDER BY / DISTINCT: range-size c values. */
struct oltp_scratch {
	uint64_t (*c)[C_LEN / 8];
	const void **sorted;
};

/* ---- range queries: a visitor collecting up to `last` ---- */
struct range_acc {
	uint64_t last, rows, sum_k;
	uint64_t (*c)[C_LEN / 8]; /* collected c values, or NULL */
};

static int range_visit(void *arg, uint64_t key, const void *val)
{
	struct range_acc *a = arg;
	if (key > a->last)
		return 1;
	const struct row *r = val;
	if (a->c) /* word copy: picolibc's memcpy goes a byte at a time */
		for (unsigned i = 0; i < C_LEN / 8; i++)
			a->c[a->rows][i] = ((const uint64_t *)r->c)[i];
	a->rows++;
	a->sum_k += r->k;
	return 0;
}

/* ORDER BY c: sorts pointers to the collected values. */
static int cmp_c(const void *a, const void *b)
{
	return memcmp(*(const void *const *)a, *(const void *const *)b, C_LEN);
}

/* One range query of `kind` (0 simple, 1 sum, 2 order, 3 distinct);
 * returns the rows it produced, or -1. */
static int64_t range_query(struct table *tb, sb_rng_t *rng, int kind, struct oltp_scratch *sc)
{
	uint64_t first = 1 + sb_rng_below(rng, o.size - o.range + 1);
	struct range_acc a = { first + o.range - 1, 0, 0, kind >= 2 ? sc->c : NULL };
	if (btree_scan(&tb->prim, first, o.range + 1, range_visit, &a) < 0)
		return -1;
	if (a.rows != o.range)
		return -1; /* every id exists between transactions */
	if (kind == 1)
		return 1;
	if (kind >= 2) {
		for (uint64_t i = 0; i < a.rows; i++)
			sc->sorted[i] = sc->c[i];
		qsort(sc->sorted, a.rows, sizeof *sc->sorted, cmp_c);
	}
	if (kind == 3) {
		uint64_t distinct = a.rows ? 1 : 0;
		for (uint64_t i = 1; i < a.rows; i++)
			distinct += memcmp(sc->sorted[i - 1], sc->sorted[i], C_LEN) != 0;
		return (int64_t)distinct;
	}
	return (int64_t)a.rows;
}

/* UPDATE SET k = k + 1 WHERE id = ? (moves the (k, id) index entry). */
static int index_update(struct table *tb, uint32_t id)
{
	struct row r;
	if (btree_find(&tb->prim, id, &r) != 1 ||
	    btree_delete(&tb->kidx, kidx_key(r.k, id), NULL) != 1)
		return -1;
	r.k++;
	return btree_insert(&tb->kidx, kidx_key(r.k, id), NULL) == 1 &&
			       btree_update(&tb->prim, id, &r) == 1
		       ? 0
		       : -1;
}

static int non_index_update(struct table *tb, uint32_t id, sb_rng_t *rng)
{
	struct row r;
	if (btree_find(&tb->prim, id, &r) != 1)
		return -1;
	shift_digits(r.c, C_LEN, rng);
	return btree_update(&tb->prim, id, &r) == 1 ? 0 : -1;
}

/* DELETE FROM t WHERE id = ?; INSERT INTO t VALUES (id, ...). */
static int delete_insert(struct table *tb, uint32_t id, sb_rng_t *rng)
{
	struct row r;
	if (btree_delete(&tb->prim, id, &r) != 1 ||
	    btree_delete(&tb->kidx, kidx_key(r.k, id), NULL) != 1)
		return -1;
	r.k += (uint32_t)sb_rng_below(rng, 4);
	shift_digits(r.c, C_LEN, rng);
	shift_digits(r.pad, PAD_LEN, rng);
	return btree_insert(&tb->prim, id, &r) == 1 &&
			       btree_insert(&tb->kidx, kidx_key(r.k, id), NULL) == 1
		       ? 0
		       : -1;
}

static uint32_t random_id(sb_rng_t *rng)
{
	return (uint32_t)(1 + sb_rng_below(rng, o.size));
}

/* The transaction body; returns rows produced (deterministic) or -1. */
static int64_t transaction(struct table *tb, sb_rng_t *rng, struct oltp_scratch *sc)
{
	int64_t rows = 0, n;
	for (uint64_t i = 0; i < o.points; i++) {
		struct row r;
		if (btree_find(&tb->prim, random_id(rng), &r) != 1)
			return -1;
		rows++;
	}
	const uint64_t count[4] = { o.simple, o.sums, o.orders, o.distincts };
	for (int kind = 0; kind < 4; kind++)
		for (uint64_t i = 0; i < count[kind]; i++) {
			if ((n = range_query(tb, rng, kind, sc)) < 0)
				return -1;
			rows += n;
		}
	for (uint64_t i = 0; i < o.idx_upd; i++)
		if (index_update(tb, random_id(rng)) < 0)
			return -1;
	for (uint64_t i = 0; i < o.nonidx_upd; i++)
		if (non_index_update(tb, random_id(rng), rng) < 0)
			return -1;
	for (uint64_t i = 0; i < o.del_ins; i++)
		if (delete_insert(tb, random_id(rng), rng) < 0)
			return -1;
	return rows;
}

static void *oltp_worker_init(struct sb_run *r, unsigned id)
{
	(void)r;
	(void)id;
	struct oltp_scratch *sc = calloc(1, sizeof *sc);
	if (sc) {
		sc->c = malloc(o.range * C_LEN);
		sc->sorted = malloc(o.range * sizeof *sc->sorted);
	}
	if (sc && (!sc->c || !sc->sorted)) {
		free(sc->c);
		free(sc->sorted);
		free(sc);
		sc = NULL;
	}
	return sc;
}

static void oltp_worker_fini(struct sb_worker *w)
{
	struct oltp_scratch *sc = w->priv;
	if (sc) {
		free(sc->c);
		free(sc->sorted);
	}
	free(sc);
}

static int oltp_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	if (!w->priv)
		return -1;
	sb_rng_t rng = sb_rng_for(o.seed, e);
	uint64_t t = sb_rng_below(&rng, o.ntables);
	struct table *tb = &o.table[t];
	vt_mutex_lock(&tb->lock);
	int64_t rows = transaction(tb, &rng, w->priv);
	vt_mutex_unlock(&tb->lock);
	if (rows < 0) {
		fprintf(stderr, "sysbench: oltp: transaction %llu on sbtest%llu failed\n",
			(unsigned long long)e, (unsigned long long)t + 1);
		return -1;
	}
	c->result = sb_fold(c->result, (uint64_t)rows << 8 | t);
	return 0;
}

/* The commit of the run: every table's dirty pages to disk, fsync (timed). */
static int oltp_finish_timed(struct sb_run *r)
{
	(void)r;
	int rc = 0;
	for (uint64_t t = 0; t < o.ntables; t++)
		if (btree_sync(&o.table[t].prim) < 0 || btree_sync(&o.table[t].kidx) < 0)
			rc = -1;
	return rc;
}

/* ---- the final check and digest (untimed) ---- */
struct check_acc {
	vt_digest_t *d;
	struct btree *prim;
	uint64_t next_id, bad;
};

static int digest_row(void *arg, uint64_t key, const void *val)
{
	struct check_acc *a = arg;
	a->bad += key != a->next_id++;
	vt_digest_update(a->d, &key, sizeof key);
	vt_digest_update(a->d, val, sizeof(struct row));
	return 0;
}

static int check_index_entry(void *arg, uint64_t key, const void *val)
{
	(void)val;
	struct check_acc *a = arg;
	struct row r;
	a->bad += btree_find(a->prim, key & 0xffffffffu, &r) != 1 || r.k != key >> 32;
	return 0;
}

static int oltp_digest(struct sb_run *r, vt_digest_t *d)
{
	(void)r;
	uint64_t bad = 0;
	for (uint64_t t = 0; t < o.ntables; t++) {
		struct table *tb = &o.table[t];
		struct check_acc a = { d, &tb->prim, 1, 0 };
		int64_t rows = btree_scan(&tb->prim, 0, UINT64_MAX, digest_row, &a);
		int64_t entries = btree_scan(&tb->kidx, 0, UINT64_MAX, check_index_entry, &a);
		if (rows != (int64_t)o.size || entries != (int64_t)o.size || a.bad) {
			fprintf(stderr,
				"sysbench: oltp: sbtest%llu: %lld rows and %lld index "
				"entries (expected %llu), %llu inconsistent\n",
				(unsigned long long)t + 1, (long long)rows, (long long)entries,
				(unsigned long long)o.size, (unsigned long long)a.bad);
			bad++;
		}
	}
	return bad ? -1 : 0;
}

static void oltp_report(struct sb_run *r)
{
	uint64_t hits = 0, misses = 0, writes = 0;
	for (uint64_t t = 0; t < o.ntables; t++) {
		struct pager *p[2] = { &o.table[t].prim_pg, &o.table[t].kidx_pg };
		for (int i = 0; i < 2; i++) {
			hits += p[i]->hits;
			misses += p[i]->misses;
			writes += p[i]->writes;
		}
	}
	uint64_t per_tx = o.points + o.simple + o.sums + o.orders + o.distincts + o.idx_upd +
			  o.nonidx_upd + 2 * o.del_ins;
	printf("SQL statistics:\n    queries performed: %llu\n    transactions: %llu\n",
	       (unsigned long long)(per_tx * r->events), (unsigned long long)r->events);
	printf("Page cache (all runs of the pager, prepare included):\n"
	       "    hits: %llu\n    misses: %llu\n    page writes: %llu\n\n",
	       (unsigned long long)hits, (unsigned long long)misses, (unsigned long long)writes);
}

static void oltp_cleanup(struct sb_run *r)
{
	(void)r;
	for (uint64_t t = 0; o.table && t < o.ntables; t++) {
		struct table *tb = &o.table[t];
		struct pager *p[2] = { &tb->prim_pg, &tb->kidx_pg };
		for (int i = 0; i < 2; i++) {
			if (p[i]->fd >= 0) {
				pager_close(p[i]);
				unlink(p[i]->path);
			}
		}
		btree_free(&tb->prim);
		btree_free(&tb->kidx);
	}
	free(o.table);
}

const struct sb_test sb_test_oltp = {
	.name = "oltp",
	.summary = "OLTP read/write (oltp_read_write): a B+-tree table engine over files",
	.default_events = 3000,
	.small_events = 150,
	.options = oltp_options,
	.setup = oltp_setup,
	.worker_init = oltp_worker_init,
	.event = oltp_event,
	.worker_fini = oltp_worker_fini,
	.finish_timed = oltp_finish_timed,
	.digest = oltp_digest,
	.report = oltp_report,
	.cleanup = oltp_cleanup,
};
