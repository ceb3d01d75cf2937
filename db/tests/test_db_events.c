/*
 * test_db_events.c - the batch path of db_events_insert(): one INSERT ...
 * SELECT from vtlab_records (db/record_table.h) with the run checked once
 * per batch instead of a foreign-key lookup per row (db/writer.c).
 *
 * Checks: every field of every record stored as given, in order (all 64
 * bits, across several batches); a batch for a run that does not exist is
 * refused with "no such run" and leaves nothing, tallies included, in its
 * own or the caller's transaction; foreign keys stay enforced on the
 * connection for every other table afterwards (inside and outside a
 * transaction); vtlab_records gives no rows without a bound pointer and
 * cannot be used from a view stored in the database.
 * Prints "N passed, N failed".
 */
#include "db_test_util.h"

enum { N = 3000 };
static struct trace_record recs[N];

/* Records whose every field differs, with high bits set. */
static void fill(unsigned salt)
{
	for (unsigned i = 0; i < N; i++) {
		recs[i] = t_rec(UINT64_C(0xfedcba9876543210) + i, i % 3, (i + salt) % TP_COUNT,
				UINT32_C(0xfffffff0) + i % 16, UINT64_C(1) << 63 | i,
				UINT64_C(0xffffffc000000000) + (uint64_t)i * 4096);
		recs[i].level = (uint8_t)((i + 1) % 3); /* never the vCPU: a swap shows */
		recs[i].aux = ~(uint64_t)i;
	}
}

/* Compares the stored rows with rowid > after against recs[0..n-1]. */
static int stored_equal(sqlite3 *h, int64_t run, int64_t after, size_t n)
{
	sqlite3_stmt *s;
	size_t i = 0;
	int bad = 0;
	if (sqlite3_prepare_v2(h,
			       "SELECT run_id, seq, vcpu, level, type, reason, cycles, addr0, "
			       "addr1, aux FROM events WHERE rowid > ? ORDER BY rowid",
			       -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, after);
	while (sqlite3_step(s) == SQLITE_ROW && i < n) {
		const struct trace_record *r = &recs[i++];
		uint64_t v[10];
		for (int c = 0; c < 10; c++)
			v[c] = (uint64_t)sqlite3_column_int64(s, c);
		if (v[0] != (uint64_t)run || v[1] != r->seq || v[2] != r->vcpu ||
		    v[3] != r->level || v[4] != r->type || v[5] != r->reason || v[6] != r->cycles ||
		    v[7] != r->addr0 || v[8] != r->addr1 || v[9] != r->aux)
			bad++;
	}
	sqlite3_finalize(s);
	return i == n && bad == 0;
}

static void test_fields_and_order(void)
{
	struct db *db = t_open(t_path("fields.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	struct db_run_meta m = { .config = "stvt", .workload = "w", .vcpus = 3 };
	int64_t run;
	CHECK(db_run_begin(db, &m, &run) == 0, "run: %s", db_errmsg(db));
	for (unsigned b = 0; b < 3; b++) {
		fill(b);
		int64_t last = q_int(h, "SELECT coalesce(max(rowid), 0) FROM events");
		CHECK(db_tx_begin(db) == 0 && db_events_insert(db, run, recs, N) == 0 &&
			      db_tx_commit(db) == 0,
		      "batch %u: %s", b, db_errmsg(db));
		CHECK(stored_equal(h, run, last, N), "batch %u stored field by field, in order", b);
	}
	CHECK(q_int(h, "SELECT count(*) FROM events") == 3 * N, "all batches");
	CHECK(q_int(h, "SELECT sum(n) FROM event_tallies") == 3 * N, "tallies");
	CHECK(db_events_insert(db, run, recs, 0) == 0, "empty batch");
	db_close(db);
}

static void test_missing_run(void)
{
	struct db *db = t_open(t_path("norun.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	struct db_run_meta m = { .config = "stvt", .workload = "w", .vcpus = 1 };
	int64_t run;
	CHECK(db_run_begin(db, &m, &run) == 0, "run");
	fill(0);
	CHECK(db_events_insert(db, run + 7, recs, 10) != 0 &&
		      strstr(db_errmsg(db), "no such run") != NULL,
	      "own transaction: refused: %s", db_errmsg(db));
	CHECK(db_tx_begin(db) == 0 && db_events_insert(db, run + 7, recs, 10) != 0 &&
		      strstr(db_errmsg(db), "no such run") != NULL && db_tx_rollback(db) == 0,
	      "caller's transaction: refused: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT count(*) FROM events") == 0 &&
		      q_int(h, "SELECT count(*) FROM event_tallies") == 0,
	      "nothing stored, no tallies");
	/* The refused batch's tallies were not kept for the next one. */
	CHECK(db_events_insert(db, run, recs, 10) == 0, "then a good batch: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT sum(n) FROM event_tallies") == 10, "tallies of the good batch only");
	/* Foreign keys stay on for the other tables of the connection. */
	CHECK(q_int(h, "PRAGMA foreign_keys") == 1, "foreign_keys still on");
	CHECK(sqlite3_exec(h,
			   "INSERT INTO counters(run_id, vcpu, event, reason, n, cycles) "
			   "VALUES (999, 0, 'x', '', 1, 1)",
			   NULL, NULL, NULL) != SQLITE_OK,
	      "orphan counter refused after an events batch");
	CHECK(db_tx_begin(db) == 0 && db_events_insert(db, run, recs, 10) == 0, "batch in a tx");
	CHECK(sqlite3_exec(h,
			   "INSERT INTO losses(run_id, vcpu, lost, first_cycles, "
			   "last_cycles) VALUES (999, 0, 1, 1, 1)",
			   NULL, NULL, NULL) != SQLITE_OK,
	      "orphan loss refused in the same transaction");
	CHECK(db_tx_commit(db) == 0, "commit: %s", db_errmsg(db));
	CHECK(q_int(h, "SELECT count(*) FROM events") == 20, "both good batches kept");
	db_close(db);
}

static void test_record_table_guarded(void)
{
	struct db *db = t_open(t_path("guard.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(q_int(h, "SELECT count(*) FROM vtlab_records") == 0, "no rows without a pointer");
	CHECK(q_int(h, "SELECT count(*) FROM vtlab_records(1234, 5)") == 0,
	      "an integer is not a pointer");
	CHECK(q_int(h, "SELECT count(*) FROM vtlab_records WHERE n = 5") == 0 &&
		      q_int(h, "SELECT count(*) FROM vtlab_records WHERE ptr = 5") == 0,
	      "one argument of the two: no rows");
	/* A view stored in the file must not reach the function. */
	CHECK(sqlite3_exec(h, "CREATE VIEW sneaky AS SELECT * FROM vtlab_records", NULL, NULL,
			   NULL) == SQLITE_OK,
	      "view created");
	sqlite3_stmt *s = NULL;
	CHECK(sqlite3_prepare_v2(h, "SELECT * FROM sneaky", -1, &s, NULL) != SQLITE_OK,
	      "direct-only: refused through a view");
	sqlite3_finalize(s);
	db_close(db);
}

int main(void)
{
	t_setup();
	test_fields_and_order();
	test_missing_run();
	test_record_table_guarded();
	return t_finish();
}
