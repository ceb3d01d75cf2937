/*
 * db_test_util.h - small helpers shared by db/tests/test_*.c: pass/fail
 * counting, a scratch directory, one-value SQL queries, raw SQLite access
 * for fixtures.  Header-only (static functions) so each test program is
 * one file.
 */
#ifndef DB_TESTS_DB_TEST_UTIL_H
#define DB_TESTS_DB_TEST_UTIL_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "test_files.h"

static int t_pass, t_fail;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

static char t_dir[64];

/* A fresh scratch directory for this program (removed by t_finish). */
static inline void t_setup(void)
{
	snprintf(t_dir, sizeof t_dir, "/tmp/vtlab-dbtest-XXXXXX");
	if (!mkdtemp(t_dir)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* path of a file in the scratch directory (static buffer rotation of 4). */
static inline const char *t_path(const char *name)
{
	static char buf[4][128];
	static int i;
	char *p = buf[i++ & 3];
	snprintf(p, sizeof buf[0], "%s/%s", t_dir, name);
	return p;
}

static inline int t_finish(void)
{
	test_remove_dir(t_dir);
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

/* The first column of the first row of sql as an integer (INT64_MIN on
 * error or no row). */
static inline int64_t q_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = INT64_MIN;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("  sql error: %s in: %s\n", sqlite3_errmsg(h), sql);
		return v;
	}
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static inline double q_real(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *s;
	double v = -1e300;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("  sql error: %s in: %s\n", sqlite3_errmsg(h), sql);
		return v;
	}
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row as text into a static buffer ("" if
 * none, "<error>" on error). */
static inline const char *q_text(sqlite3 *h, const char *sql)
{
	static char buf[4096];
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("  sql error: %s in: %s\n", sqlite3_errmsg(h), sql);
		return "<error>";
	}
	buf[0] = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return buf;
}

/* Raw SQL on a file without the db layer (fixtures, tampering). */
static inline int raw_exec(const char *path, const char *sql)
{
	sqlite3 *h;
	if (sqlite3_open(path, &h) != SQLITE_OK)
		return -1;
	char *e = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &e);
	if (rc != SQLITE_OK)
		printf("  raw sql error: %s\n", e ? e : "?");
	sqlite3_free(e);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

static inline struct db *t_open(const char *path)
{
	struct db *db = NULL;
	char err[DB_ERR_LEN];
	if (db_open(path, &db, err, sizeof err)) {
		printf("  db_open: %s\n", err);
		return NULL;
	}
	return db;
}

/* A trace record with the given fields. */
static inline struct trace_record t_rec(uint64_t seq, unsigned vcpu, unsigned type, uint32_t reason,
					uint64_t cycles, uint64_t addr0)
{
	struct trace_record r;
	memset(&r, 0, sizeof r);
	r.seq = seq;
	r.vcpu = (uint8_t)vcpu;
	r.level = 1;
	r.type = (uint16_t)type;
	r.reason = reason;
	r.cycles = cycles;
	r.addr0 = addr0;
	r.addr1 = ~addr0;
	r.aux = seq * 3;
	return r;
}

#endif
