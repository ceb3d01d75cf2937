/*
 * test_db_robust.c - the results database when things go wrong: a writer
 * killed mid-batch (committed batches kept, the open one gone, the run
 * marked incomplete on the next open), live and remote writers left alone,
 * a full database (PRAGMA max_page_count: SQLITE_FULL exactly as a full
 * disk gives it) and, when run as root with mount namespaces available, a
 * real full file system (a 512 KiB tmpfs in a private mount namespace),
 * where a database closed before the disk filled must still be read.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "db_test_util.h"

enum { BATCH = 500 };
static struct trace_record recs[BATCH];

static void fill_batch(unsigned b)
{
	for (unsigned i = 0; i < BATCH; i++)
		recs[i] = t_rec((uint64_t)b * BATCH + i, 0, (i % 3) ? TP_VM_EXIT : TP_INJECT, i % 5,
				(uint64_t)b * BATCH + i, 0x80000000ull + i * 8);
}

static int64_t begin_run(struct db *db, const char *config)
{
	struct db_run_meta m = { .config = config, .workload = "w", .vcpus = 1 };
	int64_t run = 0;
	if (db_run_begin(db, &m, &run))
		printf("  run_begin: %s\n", db_errmsg(db));
	return run;
}

static const char *run_status(sqlite3 *h, int64_t run)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT status FROM runs WHERE id = %lld", (long long)run);
	return q_text(h, sql);
}

/* A child commits one batch, opens a second and is killed with SIGKILL in
 * the middle of it. */
static void test_killed_writer(void)
{
	const char *p = t_path("killed.db");
	pid_t pid = fork();
	if (pid == 0) {
		struct db *db = t_open(p);
		int64_t run = db ? begin_run(db, "stvt") : 0;
		fill_batch(0);
		if (!run || db_tx_begin(db) || db_events_insert(db, run, recs, BATCH) ||
		    db_counter_add(db, run, 0, "vm_exit", "ecall", 1, 1) || db_tx_commit(db))
			_exit(3);
		fill_batch(1);
		if (db_tx_begin(db) || db_events_insert(db, run, recs, BATCH))
			_exit(4);
		raise(SIGKILL);
		_exit(5);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "child killed mid-batch (status %d)", st);
	struct db *db = t_open(p);
	CHECK(db != NULL, "database opens after a killed writer");
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(strcmp(q_text(h, "PRAGMA integrity_check"), "ok") == 0, "integrity");
	CHECK(q_int(h, "SELECT count(*) FROM events") == BATCH,
	      "committed batch kept, open one gone");
	CHECK(q_int(h, "SELECT sum(n) FROM event_tallies") == BATCH, "tallies match");
	CHECK(q_int(h, "SELECT n FROM counters") == 1, "counter of the committed batch");
	CHECK(strcmp(run_status(h, 1), "incomplete") == 0, "run marked incomplete: %s",
	      run_status(h, 1));
	CHECK(strstr(q_text(h, "SELECT exit_reason FROM runs WHERE id = 1"), "writer died") != NULL,
	      "reason recorded");
	CHECK(q_int(h, "SELECT count(*) FROM unfinished_runs") == 1, "listed as unfinished");
	db_close(db);
}

/* A writer that is alive keeps its run 'running' while others open the
 * file; once it is gone the run is recovered. */
static void test_live_writer(void)
{
	const char *p = t_path("live.db");
	int ready[2], stop[2];
	if (pipe(ready) || pipe(stop))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(stop[1]);
		struct db *db = t_open(p);
		int64_t run = db ? begin_run(db, "htvt") : 0;
		char c = run ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(3);
		if (read(stop[0], &c, 1) < 0) /* wait for the parent */
			_exit(4);
		_exit(0);
	}
	close(ready[1]);
	close(stop[0]);
	char c = 0;
	CHECK(read(ready[0], &c, 1) == 1 && c == 'y', "child began its run");
	struct db *db = t_open(p);
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(strcmp(run_status(h, 1), "running") == 0, "live writer's run left running");
	/* A run written from another host is never touched. */
	int64_t mine = begin_run(db, "native");
	char sql[160];
	snprintf(sql, sizeof sql,
		 "UPDATE runs SET writer_host = 'elsewhere', writer_pid = 1 WHERE id = %lld",
		 (long long)mine);
	CHECK(raw_exec(p, sql) == 0, "fake remote run");
	close(stop[1]); /* the child exits */
	waitpid(pid, NULL, 0);
	unsigned n = 99;
	CHECK(db_runs_recover(db, &n) == 0 && n == 1, "one run recovered (%u)", n);
	CHECK(strcmp(run_status(h, 1), "incomplete") == 0, "dead writer's run incomplete");
	CHECK(strcmp(run_status(h, mine), "running") == 0, "remote run untouched");
	/* The collector marking a run whose VMM died. */
	int64_t r3 = begin_run(db, "stvt");
	CHECK(db_run_mark_incomplete(db, r3, NULL) == 0 &&
		      strcmp(run_status(h, r3), "incomplete") == 0 &&
		      strcmp(q_text(h, "SELECT exit_reason FROM runs ORDER BY id DESC LIMIT 1"),
			     "the VMM stopped before the end of the run") == 0,
	      "mark incomplete, the VMM blamed by default");
	CHECK(q_text(h, "SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1")[0] == '2',
	      "finished_at set");
	CHECK(db_run_finish(db, r3, NULL, DB_RUN_FAILED) == 0 &&
		      db_run_mark_incomplete(db, r3, "disk full") == 0 &&
		      strcmp(run_status(h, r3), "failed") == 0,
	      "a finished run is not marked incomplete");
	db_close(db);
}

/* Inserts batches until one fails; returns the number committed. */
static unsigned fill_until_full(struct db *db, int64_t run, bool explicit_tx)
{
	unsigned b;
	for (b = 0; b < 100000; b++) {
		fill_batch(b);
		int rc;
		if (explicit_tx) {
			rc = db_tx_begin(db) || db_events_insert(db, run, recs, BATCH) ||
			     db_loss_add(db, run, 0, 1, b, b) || db_tx_commit(db);
			if (rc)
				db_tx_rollback(db);
		} else {
			rc = db_events_insert(db, run, recs, BATCH);
		}
		if (rc)
			break;
	}
	return b;
}

static void check_full(struct db *db, const char *p, int64_t run, unsigned batches, const char *how)
{
	sqlite3 *h = db_sqlite(db);
	const char *e = db_errmsg(db);
	CHECK(batches > 0 && batches < 100000, "%s: some batches fit (%u)", how, batches);
	CHECK(strstr(e, p) && strstr(e, "disk full") && strstr(e, "earlier batches are kept"),
	      "%s: clear message: %s", how, e);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE run_id = %lld",
		 (long long)run);
	CHECK(q_int(h, sql) == (int64_t)batches * BATCH, "%s: exactly the committed batches (%lld)",
	      how, (long long)q_int(h, sql));
	snprintf(sql, sizeof sql, "SELECT sum(n) FROM event_tallies WHERE run_id = %lld",
		 (long long)run);
	CHECK(q_int(h, sql) == (int64_t)batches * BATCH, "%s: tallies consistent", how);
}

static void test_full_database(void)
{
	const char *p = t_path("full.db");
	struct db *db = t_open(p);
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	int64_t run = begin_run(db, "stvt");
	int64_t pages = q_int(h, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 60);
	CHECK(q_int(h, sql) == pages + 60, "limit set");
	unsigned b = fill_until_full(db, run, true);
	check_full(db, p, run, b, "explicit batches");
	CHECK(q_int(h, "SELECT count(*) FROM losses") == (int64_t)b,
	      "loss rows of committed batches");
	/* Auto-transaction calls behave the same. */
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
		 (long long)q_int(h, "PRAGMA page_count") + 30);
	q_int(h, sql);
	int64_t run2 = begin_run(db, "htvt");
	unsigned b2 = run2 ? fill_until_full(db, run2, false) : 0;
	check_full(db, p, run2, b2, "auto batches");
	db_close(db);
	/* Reopened without the limit: intact, writable, runs still ours. */
	db = t_open(p);
	if (!db)
		return;
	h = db_sqlite(db);
	CHECK(strcmp(q_text(h, "PRAGMA integrity_check"), "ok") == 0, "integrity after full");
	CHECK(q_int(h, "SELECT count(*) FROM events") == (int64_t)(b + b2) * BATCH, "all kept");
	CHECK(db_events_insert(db, run, recs, BATCH) == 0 &&
		      db_run_finish(db, run, NULL, DB_RUN_COMPLETE) == 0,
	      "writable again: %s", db_errmsg(db));
	db_close(db);
}

/* A database closed cleanly (no -wal or -shm left) on a disk that then
 * fills up: a reader must create PATH-shm to read a WAL database, which
 * the disk refuses, yet reports and queries still read it; a writer is
 * told the disk is full, not "disk I/O error".  The name has characters
 * a file: URI must escape. */
static void full_disk_reader(const char *dir)
{
	char p[256], filler[256], err[DB_ERR_LEN];
	snprintf(p, sizeof p, "%s/a b?#%%.db", dir);
	snprintf(filler, sizeof filler, "%s/filler", dir);
	unlink(t_path("tmpfs/full.db"));
	unlink(t_path("tmpfs/full.db-wal"));
	unlink(t_path("tmpfs/full.db-shm"));
	struct db *db = t_open(p);
	int64_t run = db ? begin_run(db, "stvt") : 0;
	CHECK(run > 0 && db_run_finish(db, run, NULL, DB_RUN_COMPLETE) == 0, "a run to read");
	db_close(db);
	db = NULL;
	FILE *f = fopen(filler, "w");
	static char block[4096];
	while (f && fwrite(block, 1, sizeof block, f) == sizeof block && fflush(f) == 0)
		;
	if (f)
		fclose(f);
	CHECK(db_open_readonly(p, &db, err, sizeof err) == 0, "read on a full disk: %s", err);
	if (db) {
		CHECK(strcmp(run_status(db_sqlite(db), run), "complete") == 0, "the run read");
		db_close(db);
	}
	db = NULL;
	CHECK(db_open(p, &db, err, sizeof err) == -1 && strstr(err, p) &&
		      strstr(err, "is the disk full?"),
	      "writing on a full disk: %s", err);
	db_close(db);
	unlink(filler);
}

/* In a child: a private mount namespace with a 512 KiB tmpfs.  Exit 77:
 * not possible here (not root, no namespaces); else the number of failed
 * checks. */
static int full_tmpfs_child(void)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return 77;
	const char *dir = t_path("tmpfs");
	if (mkdir(dir, 0700) != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=512k") != 0)
		return 77;
	const char *p = t_path("tmpfs/full.db");
	struct db *db = t_open(p);
	int64_t run = db ? begin_run(db, "stvt") : 0;
	CHECK(run > 0, "run on tmpfs");
	if (!run)
		return t_fail;
	unsigned b = fill_until_full(db, run, true);
	check_full(db, p, run, b, "tmpfs");
	printf("tmpfs: %u batches of %d events fit in 512 KiB; then: %s\n", b, BATCH,
	       db_errmsg(db));
	db_close(db);
	db = t_open(p);
	CHECK(db != NULL, "reopens on the full file system");
	if (db) {
		CHECK(strcmp(q_text(db_sqlite(db), "PRAGMA integrity_check"), "ok") == 0,
		      "integrity on tmpfs");
		CHECK(q_int(db_sqlite(db), "SELECT count(*) FROM events") == (int64_t)b * BATCH,
		      "committed batches kept on tmpfs");
		db_close(db);
	}
	full_disk_reader(dir);
	umount2(dir, MNT_DETACH);
	return t_fail;
}

/* Runs child() in a forked process (it may unshare its mount namespace and
 * mount there): its exit status is its failed checks, 77 when it cannot
 * set up, which skips the test named `what`. */
static void in_child(int (*child)(void), const char *what)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int failed = child();
		fflush(stdout);
		_exit(failed);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		printf("skip: %s test (needs root and mount namespaces)\n", what);
		return;
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s checks (status %d)", what, st);
}

static void test_full_tmpfs(void)
{
	in_child(full_tmpfs_child, "real full-disk (tmpfs)");
}

/* A database at path whose -wal is left behind, not empty, as a writer
 * killed before its last checkpoint leaves it: the WAL of a committed
 * run, copied while the writer had it open and put back after it closed
 * (closing checkpoints and removes it). */
static void keep_wal(const char *path)
{
	char wal[300], buf[65536];
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct db *db = t_open(path);
	int64_t run = db ? begin_run(db, "stvt") : 0;
	CHECK(run > 0 && db_run_finish(db, run, NULL, DB_RUN_COMPLETE) == 0, "a run in the WAL");
	FILE *f = fopen(wal, "rb");
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
	if (f)
		fclose(f);
	db_close(db);
	f = fopen(wal, "wb");
	CHECK(n > 0 && f && fwrite(buf, 1, n, f) == n, "WAL of %zu bytes put back", n);
	if (f)
		fclose(f);
}

/* In a child: a database closed cleanly on a file system then remounted
 * read-only (an archive, a results disk mounted ro).  Reports and queries
 * must still read it: SQLite cannot create PATH-shm there and says
 * SQLITE_CANTOPEN, which db_open_readonly() used to pass on as "PRAGMA
 * user_version: unable to open database file" (found by the tracer
 * review).  A writer gets an error naming the file.  Exit 77: not
 * possible here. */
static int read_only_fs_child(void)
{
	char err[DB_ERR_LEN];
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return 77;
	const char *dir = t_path("rofs");
	if (mkdir(dir, 0700) != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=4m") != 0)
		return 77;
	const char *p = t_path("rofs/ro.db");
	struct db *db = t_open(p);
	int64_t run = db ? begin_run(db, "stvt") : 0;
	CHECK(run > 0 && db_run_finish(db, run, NULL, DB_RUN_COMPLETE) == 0, "a run to read");
	db_close(db);
	char old[256];
	snprintf(old, sizeof old, "%s", t_path("rofs/old.db"));
	db = t_open(old);
	CHECK(db && sqlite3_exec(db_sqlite(db), "PRAGMA user_version = 2", NULL, NULL, NULL) == 0,
	      "a database of schema version 2");
	db_close(db);
	char live[256];
	snprintf(live, sizeof live, "%s", t_path("rofs/live.db"));
	keep_wal(live);
	if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0) {
		umount2(dir, MNT_DETACH);
		return 77;
	}
	db = NULL;
	CHECK(db_open_readonly(p, &db, err, sizeof err) == 0, "read on a read-only fs: %s", err);
	if (db) {
		CHECK(strcmp(run_status(db_sqlite(db), run), "complete") == 0, "the run read");
		db_close(db);
	}
	/* "//dir/x" is /dir/x, not a URI naming host "dir" */
	char twice[300];
	snprintf(twice, sizeof twice, "/%s", p);
	db = NULL;
	CHECK(p[0] == '/' && db_open_readonly(twice, &db, err, sizeof err) == 0, "read %s: %s",
	      twice, err);
	db_close(db);
	/* a WAL that is not empty may hold commits the file lacks: read
	 * without it, the file would show fewer runs, so it is an error */
	db = NULL;
	CHECK(db_open_readonly(live, &db, err, sizeof err) == -1 && strstr(err, "live.db"),
	      "a WAL left behind: %s", err);
	db_close(db);
	db = NULL;
	CHECK(db_open(p, &db, err, sizeof err) == -1 && strstr(err, p), "writing: %s", err);
	db_close(db);
	/* An older vtlab's database there cannot be migrated: the error says
	 * what to do, and the file is as it was. */
	int from = 0;
	CHECK(db_upgrade(old, &from, err, sizeof err) == -1 && strstr(err, "old.db") &&
		      strstr(err, "copy it to a writable place"),
	      "upgrade on a read-only fs: %s", err);
	/* Nor merged from: a shard is opened for writing first. */
	struct db *into = t_open(t_path("into.db"));
	CHECK(into && db_merge(into, p, NULL) == -1 && strstr(db_errmsg(into), p) &&
		      strstr(db_errmsg(into), "copy it to a writable place"),
	      "merging a read-only shard: %s", db_errmsg(into));
	db_close(into);
	CHECK(db_open_readonly(old, &db, err, sizeof err) == -1 && strstr(err, "schema version 2"),
	      "still version 2: %s", err);
	umount2(dir, MNT_DETACH);
	return t_fail;
}

static void test_read_only_fs(void)
{
	in_child(read_only_fs_child, "read-only file system");
}

/* Recovery works through runs of dead writers 64 at a time: 70 are all
 * marked in one open. */
static void test_many_dead_runs(void)
{
	const char *p = t_path("many.db");
	struct db *db = t_open(p);
	if (!db)
		return;
	for (int i = 0; i < 70; i++)
		begin_run(db, "stvt");
	begin_run(db, "live"); /* this process: alive */
	db_close(db);
	CHECK(raw_exec(p, "UPDATE runs SET writer_pid = NULL WHERE config = 'stvt'") == 0,
	      "writers gone");
	db = t_open(p);
	CHECK(db != NULL, "reopen with 70 runs of dead writers");
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	CHECK(q_int(h, "SELECT count(*) FROM runs WHERE status = 'incomplete'") == 70,
	      "%lld of 70 dead writers' runs recovered",
	      (long long)q_int(h, "SELECT count(*) FROM runs WHERE status = 'incomplete'"));
	CHECK(strcmp(q_text(h, "SELECT status FROM runs WHERE config = 'live'"), "running") == 0,
	      "the live writer's run untouched");
	db_close(db);
}

/* db_runs_unfinished(): writer_gone is about 'running' runs only. */
static int note_gone(void *ctx, const struct db_run_brief *b)
{
	int *gone = ctx;
	if (b->writer_gone)
		(*gone)++;
	return 0;
}

/* The writer's edges: a run whose writer_pid is 0 (kill(0, 0) would ask
 * about our own process group) is a dead writer's; an incomplete run whose
 * writer is dead is not listed as a 'running' run with its writer gone;
 * status numbers past the enum are refused or named "?"; a run setting
 * that is NULL is not found; a counter without an event, a reason name
 * without a name refused; a counter without a reason has reason ''. */
static void test_writer_edges(void)
{
	struct db *db = t_open(t_path("edges.db"));
	if (!db)
		return;
	sqlite3 *h = db_sqlite(db);
	int64_t r1 = begin_run(db, "stvt"), r2 = begin_run(db, "htvt");
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0); /* a pid no process has now */
	char sql[160];
	snprintf(sql, sizeof sql,
		 "UPDATE runs SET writer_pid = 0 WHERE id = %lld; UPDATE runs SET status = "
		 "'incomplete', writer_pid = %d WHERE id = %lld",
		 (long long)r1, (int)pid, (long long)r2);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "update: %s", sqlite3_errmsg(h));
	int gone = 0;
	CHECK(db_runs_unfinished(db, note_gone, &gone) == 0 && gone == 1,
	      "one 'running' run with its writer gone, not the incomplete one: %d", gone);
	unsigned n = 0;
	CHECK(db_runs_recover(db, &n) == 0 && n == 1 &&
		      strcmp(run_status(h, r1), "incomplete") == 0,
	      "writer_pid 0: recovered (%u, %s)", n, run_status(h, r1));
	CHECK(strcmp(db_run_status_name(DB_RUN_FAILED), "failed") == 0 &&
		      strcmp(db_run_status_name((enum db_run_status)(DB_RUN_FAILED + 1)), "?") == 0,
	      "status names");
	CHECK(db_run_finish(db, r2, NULL, (enum db_run_status)(DB_RUN_FAILED + 1)) == -1 &&
		      strstr(db_errmsg(db), "is not a run status"),
	      "a status past the enum refused: %s", db_errmsg(db));
	char buf[64];
	bool found = true;
	CHECK(db_run_setting(db, r1, "workload_params", buf, sizeof buf, &found) == 0 && !found &&
		      buf[0] == '\0',
	      "NULL workload_params: not found ('%s')", buf);
	/* Counters need an event name; no reason is the reason ''. */
	CHECK(db_counter_add(db, r2, 0, "", "x", 1, 1) == -1 &&
		      strstr(db_errmsg(db), "expected an event name"),
	      "counter without an event: %s", db_errmsg(db));
	CHECK(db_counter_add(db, r2, 0, "vm_exit", NULL, 2, 3) == 0 &&
		      q_int(h, "SELECT n FROM counters WHERE event = 'vm_exit' AND reason = ''") ==
			      2,
	      "NULL reason stored as '': %s", db_errmsg(db));
	CHECK(db_reason_name_set(db, "exception", 2, NULL) == -1 &&
		      strstr(db_errmsg(db), "expected an event name and a name") &&
		      q_int(h, "SELECT count(*) FROM reason_names WHERE event = 'exception' AND "
			       "code = 2 AND name IS NULL") == 0,
	      "reason without a name: %s", db_errmsg(db));
	db_close(db);
}

int main(void)
{
	t_setup();
	test_killed_writer();
	test_live_writer();
	test_many_dead_runs();
	test_writer_edges();
	test_full_database();
	test_full_tmpfs();
	test_read_only_fs();
	return t_finish();
}
