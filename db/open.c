/*
 * open.c - opening and closing a results database, errors and transactions.
 *
 * Contract (db.h): db_open() creates the file if needed, switches it to WAL
 * (readers never block the writer; a killed writer loses only its open
 * transaction, https://sqlite.org/wal.html), waits up to DB_BUSY_MS for
 * other writers, enables foreign keys (ON DELETE CASCADE from runs), brings
 * the schema to DB_SCHEMA_VERSION and marks the runs of dead writers
 * 'incomplete'.  synchronous=NORMAL: in WAL mode a committed transaction
 * survives a crash of the process; only a power loss may drop the last
 * ones, those since the last checkpoint (at most 32 MiB of WAL, see
 * db_open()) (https://sqlite.org/pragma.html#pragma_synchronous).  Every
 * connection has the table-valued function vtlab_records (record_table.h),
 * through which writer.c stores a batch of events in one statement.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db_private.h"
#include "record_table.h"

#define DB_BUSY_MS 30000

int dbi_failf(struct db *db, const char *fmt, ...)
{
	int len = snprintf(db->err, sizeof db->err, "%s: ", db->path);
	va_list ap;
	va_start(ap, fmt);
	if (len > 0 && (size_t)len < sizeof db->err)
		vsnprintf(db->err + len, sizeof db->err - (size_t)len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The -shm file beside a WAL database could not be created or grown:
 * on Linux that is a full disk (tmpfs, ext4) far more often than
 * anything else, and SQLite only says "disk I/O error". */
static bool shm_error(int rc)
{
	return rc == SQLITE_IOERR_SHMOPEN || rc == SQLITE_IOERR_SHMSIZE ||
	       rc == SQLITE_IOERR_SHMMAP;
}

int dbi_fail(struct db *db, int rc, const char *what)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_FULL)
		return dbi_failf(db,
				 "disk full (or database size limit reached) while %s; "
				 "this batch was not stored, earlier batches are kept",
				 what);
	if (primary == SQLITE_NOTADB) /* SQLite's "PRAGMA ...: file is not a database" */
		return dbi_failf(db, "not a database (SQLite cannot read it as one, so it holds no "
				     "vtlab runs): name another file, or move this one away");
	if (shm_error(rc))
		return dbi_failf(db,
				 "%s: cannot create or grow %s-shm, the file SQLite keeps beside "
				 "a WAL database (is the disk full? free some space and try again)",
				 what, db->path);
	return dbi_failf(db, "%s: %s", what, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
}

int dbi_exec(struct db *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : dbi_fail(db, rc, what);
}

sqlite3_stmt *dbi_stmt(struct db *db, enum dbi_stmt which, const char *sql)
{
	sqlite3_stmt *s = dbi_stmt_bound(db, which, sql);
	if (s)
		sqlite3_clear_bindings(s);
	return s;
}

sqlite3_stmt *dbi_stmt_bound(struct db *db, enum dbi_stmt which, const char *sql)
{
	sqlite3_stmt **s = &db->stmt[which];
	if (!*s) {
		int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
		if (rc != SQLITE_OK) {
			dbi_fail(db, rc, "preparing a statement");
			*s = NULL;
			return NULL;
		}
	}
	sqlite3_reset(*s);
	return *s;
}

int db_tx_begin(struct db *db)
{
	return dbi_exec(db, "BEGIN IMMEDIATE", "starting a transaction");
}

int db_tx_commit(struct db *db)
{
	int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	dbi_fail(db, rc, "committing a batch");
	/* A failed COMMIT may leave the transaction open: drop it, so the
	 * handle stays usable and nothing half-written is kept. */
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int db_tx_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return 0; /* SQLite may already have rolled back (e.g. SQLITE_FULL) */
	int rc = sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : dbi_fail(db, rc, "rolling back a batch");
}

int dbi_tx_auto(struct db *db, bool *own)
{
	*own = sqlite3_get_autocommit(db->h) != 0;
	return *own ? db_tx_begin(db) : 0;
}

int dbi_tx_end(struct db *db, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != 0) {
		char saved[DB_ERR_LEN];
		memcpy(saved, db->err, sizeof saved);
		db_tx_rollback(db);
		memcpy(db->err, saved, sizeof saved);
		return rc;
	}
	return db_tx_commit(db);
}

/* Allocates the handle and opens the SQLite connection to `uri` (with
 * SQLITE_OPEN_URI in flags) or else to `path`; errors name `path`. */
static int db_connect(const char *path, const char *uri, int flags, struct db **out, char *err,
		      size_t errlen)
{
	struct db *db = calloc(1, sizeof *db);
	char *copy = strdup(path);
	*out = NULL;
	if (!db || !copy) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(db);
		free(copy);
		return -1;
	}
	db->path = copy;
	/* NOMUTEX: a handle is used by one thread (db.h), so SQLite's
	 * per-call connection mutex is pure cost on the insert path. */
	int rc = sqlite3_open_v2(uri ? uri : path, &db->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_extended_result_codes(db->h, 1);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open the database: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		db_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	rc = dbi_record_table_register(db->h);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot register vtlab_records: %s", path,
			 sqlite3_errstr(rc));
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

/* Copies the handle's error into the caller's buffer and closes it. */
static int db_open_failed(struct db *db, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s", db->err);
	db_close(db);
	return -1;
}

/* The result of a one-value PRAGMA, as text, into buf. */
static int db_pragma_text(struct db *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dbi_fail(db, rc, sql);
	rc = sqlite3_step(s);
	const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	snprintf(buf, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dbi_fail(db, rc, sql);
}

int db_open(const char *path, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	char mode[32];
	if (db_connect(path, NULL, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db, err, errlen))
		return -1;
	if (db_pragma_text(db, "PRAGMA journal_mode=WAL", mode, sizeof mode))
		return db_open_failed(db, err, errlen);
	if (strcmp(mode, "wal") != 0) {
		dbi_failf(db, "cannot switch to WAL journal mode (got \"%s\")", mode);
		return db_open_failed(db, err, errlen);
	}
	/* 64 MiB of page cache (the default is 2 MiB): the writer appends to
	 * one table and a few index leaves, the cache keeps them hot.
	 * Checkpoints every 8192 pages (32 MiB) of WAL instead of SQLite's
	 * 1000: each checkpoint syncs the WAL and the database file, and a
	 * collector storing 2 M events/s (80 MB/s) waited for those syncs
	 * much of its wall time (50 M events on this VM: 36-41 s with 1000
	 * pages, 25-33 s with 8192, no gain beyond; BENCHMARKS.md "Tracing").  Nothing
	 * committed is lost when a process dies either way (WAL); a power loss
	 * may drop what was committed since the last checkpoint, now up to
	 * 32 MiB instead of 4 MiB.  synchronous=OFF would be faster still
	 * (26-30 s) but can corrupt the file on a power loss during a
	 * checkpoint (https://sqlite.org/pragma.html#pragma_synchronous): a
	 * campaign's database holds days of runs, so not that. */
	if (dbi_exec(db,
		     "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
		     "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8192",
		     "setting the connection's pragmas") ||
	    dbi_migrate(db) || dbi_sync_event_types(db) || db_runs_recover(db, NULL))
		return db_open_failed(db, err, errlen);
	*out = db;
	return 0;
}

/* True when the WAL beside `path` is absent or empty: everything
 * committed is in the database file itself. */
static bool wal_empty(const char *path)
{
	char wal[4096];
	struct stat st;
	if (snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal)
		return false;
	return stat(wal, &st) != 0 ? errno == ENOENT : st.st_size == 0;
}

/* "file:PATH?immutable=1", PATH percent-encoded (RFC 3986 unreserved
 * characters and '/' kept); NULL when it does not fit. */
static const char *immutable_uri(const char *path, char *buf, size_t len)
{
	if (strlen(path) * 3 + sizeof "file:?immutable=1" > len)
		return NULL;
	size_t n = (size_t)snprintf(buf, len, "file:");
	while (path[0] == '/' && path[1] == '/')
		path++; /* "file://x" would make x a host name; //x is /x on Linux */
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		n += (size_t)snprintf(buf + n, len - n,
				      isalnum(*c) || strchr("/-._~", *c) ? "%c" : "%%%02X", *c);
	snprintf(buf + n, len - n, "?immutable=1");
	return buf;
}

/* A read-only connection to `path` and its schema version (-1 with the
 * error in (*out)->err when it cannot be read; *out is NULL only when the
 * file cannot be opened at all, the error then in err). */
static int connect_reader(const char *path, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	*out = NULL;
	if (db_connect(path, NULL, SQLITE_OPEN_READONLY, &db, err, errlen))
		return -1;
	int v = db_schema_version(db);
	/* A reader of a WAL database must create or grow PATH-shm, which a
	 * full disk refuses: the database would be unreadable just when a
	 * run filled the disk.  A read-only file system refuses it too
	 * (SQLITE_CANTOPEN: an archived or ro-mounted results disk).  When
	 * the WAL is empty (every writer closed it, or none wrote) the file
	 * alone holds every committed transaction and is read as immutable,
	 * without the -shm.  A writer would have grown the -shm itself, so
	 * none is writing now. */
	char uri[8192];
	int rc = sqlite3_extended_errcode(db->h);
	if (v < 0 && (shm_error(rc) || rc == SQLITE_CANTOPEN) && wal_empty(path) &&
	    immutable_uri(path, uri, sizeof uri)) {
		struct db *again;
		if (db_connect(path, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &again, err,
			       errlen) == 0) {
			db_close(db);
			db = again;
			v = db_schema_version(db);
		}
	}
	*out = db;
	return v;
}

int db_open_readonly(const char *path, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	int v = connect_reader(path, &db, err, errlen);
	if (!db)
		return -1;
	if (v < 0)
		return db_open_failed(db, err, errlen);
	if (v != DB_SCHEMA_VERSION) {
		dbi_failf(db, "schema version %d, this vtlab reads version %d (%s)", v,
			  DB_SCHEMA_VERSION,
			  v > DB_SCHEMA_VERSION ? "use a newer vtlab"
			  : v == 0              ? "not a vtlab database"
				   : "written by an older vtlab: vtlab report, query and "
				     "plot migrate it");
		return db_open_failed(db, err, errlen);
	}
	*out = db;
	return 0;
}

int db_upgrade(const char *path, int *from, char *err, size_t errlen)
{
	struct db *db;
	*from = DB_SCHEMA_VERSION;
	int v = connect_reader(path, &db, err, errlen);
	db_close(db);
	if (v <= 0 || v >= DB_SCHEMA_VERSION)
		return 0; /* unreadable, not ours, current or newer: db_open_readonly() says */
	if (db_open(path, &db, err, errlen)) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n,
			 " (schema version %d needs migrating to %d, which writes the file: "
			 "copy it to a writable place and read the copy)",
			 v, DB_SCHEMA_VERSION);
		return -1;
	}
	db_close(db);
	*from = v;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < DBS_COUNT; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

const char *db_errmsg(const struct db *db)
{
	return db ? db->err : "no database";
}

const char *db_path(const struct db *db)
{
	return db->path;
}

struct sqlite3 *db_sqlite(struct db *db)
{
	return db->h;
}

int db_schema_version(struct db *db)
{
	char v[32];
	if (db_pragma_text(db, "PRAGMA user_version", v, sizeof v))
		return -1;
	return atoi(v);
}
