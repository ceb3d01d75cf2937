/*
 * bench_db.c - measures the results database at scale: inserts N
 * synthetic events through db_events_insert() in batches (one transaction
 * each, as the collector does), then times the count-by-type queries.
 *
 * Usage: bench_db FILE.db N [BATCH]   (FILE.db is replaced)
 * Build: gcc -O2 -std=c11 -D_GNU_SOURCE -Idb -Itracer -Ivmm -o build/bench_db \
 *            db/bench/bench_db.c db/open.c db/migrate.c db/writer.c db/record_table.c db/schema_sql.c \
 *            tracer/tracepoints.c -lsqlite3
 * Prints one line per measurement: name, value, unit.
 *
 * The type mix is skewed like a shadow-paging run (many TLB and vTLB
 * events, fewer exits and injections, a few rare types), 4 vCPUs.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"

static double clock_s(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: the machine is shared, wall time is noisy. */
static double cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* xorshift64*: deterministic, fast. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Weights per tracepoint type (TP_COUNT entries, by position). */
static unsigned pick_type(uint64_t r)
{
	static const unsigned weight[TP_COUNT] = {
		[TP_EXCEPTION] = 40,      [TP_INTERRUPT] = 2,    [TP_TLB_MISS] = 200,
		[TP_PT_WALK] = 150,       [TP_VHPT_WALK] = 60,   [TP_TLB_PURGE] = 5,
		[TP_MMIO_READ] = 10,      [TP_MMIO_WRITE] = 10,  [TP_SBI_CALL] = 5,
		[TP_VM_EXIT] = 120,       [TP_VM_ENTRY] = 120,   [TP_HYPERCALL] = 3,
		[TP_INJECT] = 50,         [TP_VTLB_INSERT] = 80, [TP_VTLB_HIT] = 100,
		[TP_VTLB_MISS] = 30,      [TP_VTLB_PURGE] = 4,   [TP_VTLB_RECYCLE] = 2,
		[TP_GUEST_VHPT_WALK] = 8, [TP_NESTED_EXIT] = 1,  [TP_SHADOW_FLUSH] = 1,
	};
	unsigned total = 0;
	for (unsigned i = 0; i < TP_COUNT; i++)
		total += weight[i];
	unsigned x = (unsigned)(r % total);
	for (unsigned i = 0; i < TP_COUNT; i++) {
		if (x < weight[i])
			return i;
		x -= weight[i];
	}
	return 0;
}

static double time_query(sqlite3 *h, const char *sql, int64_t *result, double *cpu)
{
	sqlite3_stmt *s;
	double t0 = now_s(), c0 = cpu_s();
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_db: %s: %s\n", sql, sqlite3_errmsg(h));
		exit(1);
	}
	int64_t sum = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		sum += sqlite3_column_int64(s, sqlite3_column_count(s) - 1);
	sqlite3_finalize(s);
	*result = sum;
	*cpu = cpu_s() - c0;
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_db FILE.db N [BATCH]\n");
		return 2;
	}
	const char *path = argv[1];
	uint64_t n = strtoull(argv[2], NULL, 0);
	size_t batch = argc > 3 ? strtoull(argv[3], NULL, 0) : 4096;
	char tmp[1024];
	unlink(path);
	snprintf(tmp, sizeof tmp, "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof tmp, "%s-shm", path);
	unlink(tmp);

	struct db *db;
	char err[DB_ERR_LEN];
	if (db_open(path, &db, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	/* Variants for comparison: BENCH_INDEX=1 collects with the index on
	 * (run_id, type) in place, BENCH_NO_FK=1 turns foreign-key checks off;
	 * BENCH_INDEX_AFTER=1 builds the index after collecting (timed). */
	if (getenv("BENCH_INDEX") && db_events_index(db))
		return 1;
	if (getenv("BENCH_NO_FK"))
		sqlite3_exec(db_sqlite(db), "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	struct db_run_meta m = { .config = "bench", .workload = "synthetic", .vcpus = 4 };
	int64_t run;
	struct trace_record *recs = calloc(batch, sizeof *recs);
	if (!recs || db_run_begin(db, &m, &run))
		return 1;
	uint64_t seed = 0x9e3779b97f4a7c15ull, seq[4] = { 0 }, cycles = 0;
	double t0 = now_s(), c0 = cpu_s();
	for (uint64_t done = 0; done < n;) {
		size_t k = n - done < batch ? (size_t)(n - done) : batch;
		for (size_t i = 0; i < k; i++) {
			uint64_t r = rnd(&seed);
			unsigned v = (unsigned)(r >> 60) & 3;
			cycles += 1 + (r >> 56 & 63);
			recs[i] = (struct trace_record){ .cycles = cycles,
							 .type = (uint16_t)pick_type(r >> 8),
							 .vcpu = (uint8_t)v,
							 .level = 1,
							 .reason = (uint32_t)(r >> 40 & 15),
							 .addr0 = 0xffffffc000000000ull |
								  (r & 0xfffff000),
							 .addr1 = r & 0xfffffff,
							 .aux = r >> 48 & 7,
							 .seq = seq[v]++ };
		}
		if (db_tx_begin(db) || db_events_insert(db, run, recs, k) || db_tx_commit(db)) {
			fprintf(stderr, "%s\n", db_errmsg(db));
			return 1;
		}
		done += k;
	}
	double ins = now_s() - t0, ins_cpu = cpu_s() - c0;
	db_run_finish(db, run, NULL, DB_RUN_COMPLETE);
	if (getenv("BENCH_INDEX_AFTER")) {
		double i0 = now_s(), ic0 = cpu_s();
		if (db_events_index(db))
			return 1;
		printf("create_index %.1f s wall, %.1f s CPU\n", now_s() - i0, cpu_s() - ic0);
	}
	db_close(db);
	struct stat st;
	stat(path, &st);
	printf("events %llu\n", (unsigned long long)n);
	printf("insert_rate %.0f events/s (batch %zu, %.1f s wall)\n", (double)n / ins, batch, ins);
	printf("insert_rate_cpu %.0f events/s (%.1f s CPU)\n", (double)n / ins_cpu, ins_cpu);
	printf("file_size %.0f bytes (%.1f per event)\n", (double)st.st_size,
	       (double)st.st_size / (double)n);

	sqlite3 *h;
	sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	static const struct {
		const char *name, *sql;
	} q[] = {
		{ "count_by_type_group_by",
		  "SELECT type, count(*) FROM events WHERE run_id = 1 GROUP BY type" },
		{ "count_by_type_group_by_again",
		  "SELECT type, count(*) FROM events WHERE run_id = 1 GROUP BY type" },
		{ "count_one_common_type",
		  "SELECT count(*) FROM events WHERE run_id = 1 AND type = 2" },
		{ "count_one_rare_type",
		  "SELECT count(*) FROM events WHERE run_id = 1 AND type = 19" },
		{ "count_by_type_tallies", "SELECT name, n FROM event_counts WHERE run_id = 1" },
		{ "count_all_rows", "SELECT count(*) FROM events" },
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		int64_t sum;
		double cpu, t = time_query(h, q[i].sql, &sum, &cpu);
		printf("%s %.3f s wall, %.3f s CPU (result sum %lld)\n", q[i].name, t, cpu,
		       (long long)sum);
	}
	sqlite3_close(h);
	free(recs);
	return 0;
}
