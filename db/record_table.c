/*
 * record_table.c - the eponymous virtual table vtlab_records(PTR, N)
 * (record_table.h).
 *
 * Contract: see record_table.h.  Why a virtual table: storing a batch with
 * a multi-row INSERT costs ten sqlite3_bind_*() calls per record plus the
 * VDBE copying each bound value into the row; reading the records through
 * xColumn hands SQLite each value once (callgrind, 500 k events in
 * batches of 8192: 4290 host instructions per stored event with 32-row
 * INSERTs, 3690 with this table; BENCHMARKS.md, "Tracing").  The technique is SQLite's own
 * for passing arrays to SQL (the carray extension and the pointer-passing
 * interfaces, https://sqlite.org/bindptr.html, https://sqlite.org/vtab.html
 * section 2.1.2 "table-valued functions"); this code is written for vtlab.
 */
#include "record_table.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "trace_record.h"

/* Columns: the record's fields, then the two hidden arguments. */
enum {
	COL_SEQ,
	COL_VCPU,
	COL_LEVEL,
	COL_TYPE,
	COL_REASON,
	COL_CYCLES,
	COL_ADDR0,
	COL_ADDR1,
	COL_AUX,
	COL_PTR,
	COL_N
};

struct rec_cursor {
	sqlite3_vtab_cursor base;
	const struct trace_record *recs;
	sqlite3_int64 n, i;
};

static int rt_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
		      char **err)
{
	(void)aux;
	(void)argc;
	(void)argv;
	(void)err;
	int rc = sqlite3_declare_vtab(h, "CREATE TABLE x(seq, vcpu, level, type, reason, cycles, "
					 "addr0, addr1, aux, ptr HIDDEN, n HIDDEN)");
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(h, SQLITE_VTAB_DIRECTONLY);
	sqlite3_vtab *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	*out = t;
	return SQLITE_OK;
}

static int rt_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

/* Needs ptr = ? and n = ?; without them (a plain SELECT * FROM
 * vtlab_records) the table is empty.  SQLITE_CONSTRAINT asks the planner
 * for another join order when an argument is not usable yet. */
static int rt_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	(void)t;
	int arg[2] = { -1, -1 };
	bool unusable = false;
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		if (c->iColumn != COL_PTR && c->iColumn != COL_N)
			continue;
		if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ) {
			unusable = true;
			continue;
		}
		arg[c->iColumn - COL_PTR] = i;
	}
	if (arg[0] < 0 || arg[1] < 0) {
		if (unusable)
			return SQLITE_CONSTRAINT;
		info->idxNum = 0;
		info->estimatedCost = 1e12;
		return SQLITE_OK;
	}
	for (int k = 0; k < 2; k++) {
		info->aConstraintUsage[arg[k]].argvIndex = k + 1;
		info->aConstraintUsage[arg[k]].omit = 1;
	}
	info->idxNum = 1;
	info->estimatedCost = 1000;
	info->estimatedRows = 1000;
	return SQLITE_OK;
}

static int rt_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	(void)t;
	struct rec_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int rt_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int rt_filter(sqlite3_vtab_cursor *cur, int idx_num, const char *idx_str, int argc,
		     sqlite3_value **argv)
{
	(void)idx_str;
	struct rec_cursor *c = (struct rec_cursor *)cur;
	c->recs = NULL;
	c->n = c->i = 0;
	if (idx_num == 1 && argc == 2) {
		c->recs = sqlite3_value_pointer(argv[0], DB_RECORDS_PTR);
		c->n = c->recs ? sqlite3_value_int64(argv[1]) : 0;
		if (c->n < 0)
			c->n = 0;
	}
	return SQLITE_OK;
}

static int rt_next(sqlite3_vtab_cursor *cur)
{
	((struct rec_cursor *)cur)->i++;
	return SQLITE_OK;
}

static int rt_eof(sqlite3_vtab_cursor *cur)
{
	const struct rec_cursor *c = (const struct rec_cursor *)cur;
	return c->i >= c->n;
}

/* The signed 64-bit integer with the bits of v (SQLite integers are
 * signed, https://sqlite.org/datatype3.html). */
static sqlite3_int64 bits(uint64_t v)
{
	sqlite3_int64 i;
	memcpy(&i, &v, sizeof i);
	return i;
}

static int rt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct rec_cursor *c = (const struct rec_cursor *)cur;
	const struct trace_record *r = &c->recs[c->i];
	sqlite3_int64 v;
	switch (col) {
	case COL_SEQ: v = bits(r->seq); break;
	case COL_VCPU: v = r->vcpu; break;
	case COL_LEVEL: v = r->level; break;
	case COL_TYPE: v = r->type; break;
	case COL_REASON: v = r->reason; break;
	case COL_CYCLES: v = bits(r->cycles); break;
	case COL_ADDR0: v = bits(r->addr0); break;
	case COL_ADDR1: v = bits(r->addr1); break;
	case COL_AUX: v = bits(r->aux); break;
	default: sqlite3_result_null(ctx); return SQLITE_OK; /* hidden arguments */
	}
	sqlite3_result_int64(ctx, v);
	return SQLITE_OK;
}

static int rt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = ((const struct rec_cursor *)cur)->i;
	return SQLITE_OK;
}

/* xCreate NULL: eponymous only (no CREATE VIRTUAL TABLE, nothing stored). */
static const sqlite3_module record_module = {
	.iVersion = 0,
	.xCreate = NULL,
	.xConnect = rt_connect,
	.xBestIndex = rt_best_index,
	.xDisconnect = rt_disconnect,
	.xDestroy = rt_disconnect,
	.xOpen = rt_open,
	.xClose = rt_close,
	.xFilter = rt_filter,
	.xNext = rt_next,
	.xEof = rt_eof,
	.xColumn = rt_column,
	.xRowid = rt_rowid,
};

int dbi_record_table_register(sqlite3 *h)
{
	return sqlite3_create_module_v2(h, "vtlab_records", &record_module, NULL, NULL);
}
