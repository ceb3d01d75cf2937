/*
 * fuzz_collect.c - libFuzzer target: the collector's command handling
 * (tracer/collector.c, tracer/collector_run.c) and what it stores through
 * db/: arbitrary control lines from a VMM, with arbitrary ring contents,
 * into a SQLite database in /dev/shm.
 *
 * Feeds: the input is a 2-byte header, K ring specs of 8 bytes, then the
 * bytes a VMM sends on the control channel (its lines).
 *   byte 0  K = byte 0 % (TRACE_MAX_VCPUS + 2): rings the harness makes
 *           (one more than a VMM may have), fewer if the input is shorter
 *   byte 1  bits 0-1: the database's room (0: 64 MiB; 1-3: VACUUM, then only
 *           4, 16 or 64 pages more than it holds: a full disk);
 *           bit 2: the ring fds go with the first line instead of with
 *           each of the first 4 `rings` lines
 *   ring spec (ring i, made with trace_ring_create as the VMM makes it):
 *     s0  capacity 2^(s0 % 9) records (1..256)
 *     s1  bit 0 producer_done set; 1 drop mode; 2 header names vCPU i+1;
 *         3 bad magic; 4 head more than a capacity ahead of tail; 5 tail
 *         ahead of head; 6 plausible records (type < TP_COUNT, vcpu i, seq
 *         in order) instead of random bytes; 7 header capacity doubled
 *     s2  records published: s2 % (capacity + 1)
 *     s3  tail: s3, or 2^64 - 1 - (s3 & 0x7f) when bit 7 is set (wrap)
 *     s4-5  lost records (drop counter), little endian
 *     s6-7  seed of the record bytes and of the loss window
 * The body is written into one end of a unix socketpair in as few writes
 * as the fds allow (fds go with the first byte of their line, as
 * ctl_send_line sends them), the write side is shut, and collector_serve()
 * runs on the other end in this thread: the VMM said everything and left.
 * No seam is needed: collector_serve() takes a connected socket, so a
 * socketpair in this thread stands for the VMM's process.  The database is
 * opened once (db_open) and reused, as `vtlab collect --listen` reuses it
 * for run after run; after each input the harness deletes its runs,
 * campaigns and reason names with plain SQL (db_sqlite), and removes the
 * files of earlier fuzzers that died (a crash runs no atexit handler).
 *
 * Must hold (collector.h, collector_proto.h, db/SCHEMA.md): no sanitizer
 * report, no hang (-timeout), no allocation beyond libFuzzer's malloc limit,
 * no fd or mapping leak, no transaction left open.  The result is
 * COLLECT_STORED, COLLECT_VMM_GONE or COLLECT_ERROR; an error's message is
 * one printable line.  The collector's answers are well-formed lines:
 * `ok RUN` at most once, then `done RUN EVENTS LOST` at most once, and
 * `error MESSAGE` only as the last line, carrying the message; STORED means
 * ok + done matching the stats, no error; VMM_GONE means no done and no
 * error; ERROR means an error line.  Afterwards the database opens
 * (db_open_readonly, a fresh connection), passes quick_check, holds at most
 * the one run that `ok` named, with status complete or failed (STORED) or
 * incomplete and listed in unfinished_runs (otherwise; still `running` is
 * allowed only when the harness filled the database), valid JSON params
 * and costs, events == the stats' count == event_tallies, no rows of a
 * missing run, losses == the stats when STORED, and never more events than
 * the rings held when they were handed over (none from a ring whose head -
 * tail exceeds its capacity: trace_ring_pop refuses it).
 *
 * Build and run: scripts/fuzz.sh collect.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector.h"
#include "collector_proto.h"
#include "db.h"
#include "ring.h"
#include "trace.h"

#define HEADER 2
#define RING_SPEC 8
#define MAX_RINGS (TRACE_MAX_VCPUS + 1)
#define MAX_FD_LINES 4 /* `rings` lines that carry the fds */
/* 64 MiB of 4 KiB pages: a collector that writes without end fails with
 * "disk full" instead of filling /dev/shm (the bound on events is checked
 * separately). */
#define ROOM_PAGES 16384
#define REPLY_MAX 65536

static struct db *db;
static char db_file[96];
static int verbose; /* FUZZ_COLLECT_VERBOSE=1: each input's outcome on stderr */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_db(void)
{
	const char *ext[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", db_file, ext[i]);
		unlink(p);
	}
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_collect.c: %s%s\n", what, detail);
	remove_db(); /* abort() runs no atexit handler */
	abort();
}

/* Databases of fuzzers that died without removing theirs (a sanitizer
 * report, a timeout): /dev/shm is memory. */
static void remove_stale_dbs(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int pid;
	char tail[8];
	if (!d)
		return;
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "vtlab-fuzz-collect-%d.d%1[b]", &pid, tail) == 2 && pid > 0 &&
		    kill(pid, 0) != 0 && errno == ESRCH) {
			char p[300];
			snprintf(p, sizeof p, "/dev/shm/%s", e->d_name);
			unlink(p);
		}
	closedir(d);
}

static void at_exit(void)
{
	db_close(db);
	db = NULL;
	remove_db();
}

static void exec_sql(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg ? msg : "");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[DB_ERR_LEN];
	snprintf(db_file, sizeof db_file, "/dev/shm/vtlab-fuzz-collect-%d.db", (int)getpid());
	const char *v = getenv("FUZZ_COLLECT_VERBOSE");
	verbose = v && *v && strcmp(v, "0") != 0;
	remove_stale_dbs();
	remove_db();
	if (db_open(db_file, &db, err, sizeof err) != 0)
		die("cannot create the database: ", err);
	atexit(at_exit);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", ROOM_PAGES);
	exec_sql(sql);
	return 0;
}

/* Open fds, but those on the database's files: SQLite keeps the fd of a
 * closed connection open while another connection of the process holds a
 * lock on the file (POSIX locks belong to the process), and reuses it on
 * the next open - the check's own read-only connection is one. */
static unsigned open_fds(void)
{
	unsigned n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		die("cannot list /proc/self/fd", "");
	while ((e = readdir(d))) {
		char link[64], target[256];
		snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		target[len > 0 ? len : 0] = '\0';
		n += strncmp(target, db_file, strlen(db_file)) != 0;
	}
	closedir(d);
	return n;
}

/* Ring mappings (memfd "vtlab-ring-N") in /proc/self/maps: one the
 * collector maps and never unmaps is a leak.  Only those lines: the
 * allocators map and unmap other regions as they please. */
static unsigned ring_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned n = 0;
	if (!f)
		die("cannot read /proc/self/maps", "");
	while (fgets(line, sizeof line, f))
		n += strstr(line, "vtlab-ring-") != NULL;
	fclose(f);
	return n;
}

/* xorshift64: record bytes reproducible from the spec. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---------------------------------------------------------------- rings */

/* Makes ring i from its spec; returns the most records the collector may
 * store from it: those published, none when head - tail is above the
 * capacity (trace_ring_pop refuses such a ring). */
static uint64_t make_ring(struct trace_ring *r, unsigned i, const uint8_t *s)
{
	char err[256];
	uint64_t cap = UINT64_C(1) << (s[0] % 9);
	if (trace_ring_create(r, i, cap, s[1] & 2 ? RING_DROP : RING_LOSSLESS, err, sizeof err))
		die("trace_ring_create: ", err);
	struct ring_hdr *h = r->hdr;
	uint64_t seed = 0x9e3779b97f4a7c15u ^ (s[6] | (uint64_t)s[7] << 8);
	for (uint64_t k = 0; k < cap; k++) {
		struct trace_record *rec = &r->rec[k];
		if (s[1] & 0x40) {
			uint64_t x = next(&seed);
			*rec = (struct trace_record){ .cycles = 10 * k + (x & 7),
						      .type = (uint16_t)(x % TP_COUNT),
						      .vcpu = (uint8_t)i,
						      .level = (uint8_t)(x >> 8) % 3,
						      .reason = (uint32_t)(x >> 16) % 64,
						      .addr0 = next(&seed),
						      .addr1 = next(&seed),
						      .aux = x >> 40,
						      .seq = k };
		} else {
			uint64_t w[6];
			for (int j = 0; j < 6; j++)
				w[j] = next(&seed);
			memcpy(rec, w, sizeof *rec);
		}
	}
	uint64_t n = s[2] % (cap + 1);
	uint64_t tail = s[3] & 0x80 ? UINT64_MAX - (s[3] & 0x7f) : s[3];
	uint64_t head = tail + n, most = n;
	if (s[1] & 0x10) {
		head = tail + cap + 1 + s[2];
		most = 0;
	}
	if (s[1] & 0x20) {
		head = tail - 1 - s[2];
		most = 0;
	}
	atomic_store(&h->tail, tail);
	atomic_store(&h->head, head);
	atomic_store(&h->lost, (uint64_t)(s[4] | s[5] << 8));
	atomic_store(&h->lost_first_cycles, next(&seed) >> 1);
	atomic_store(&h->lost_last_cycles, next(&seed));
	atomic_store(&h->producer_done, s[1] & 1);
	if (s[1] & 4)
		h->vcpu = i + 1;
	if (s[1] & 8)
		h->magic ^= 1;
	if (s[1] & 0x80)
		h->capacity = cap * 2;
	return most;
}

/* ---------------------------------------------------------------- the VMM's writes */

static void send_chunk(int fd, const uint8_t *p, size_t n, const int *fds, unsigned nfds)
{
	/* Never blocks: at most MAX_FD_LINES + 1 writes of max_len bytes in
	 * all, far below the socket buffer (MSG_DONTWAIT turns a wait into a
	 * failure). */
	if (n && ctl_send_bytes(fd, p, n, fds, nfds, MSG_DONTWAIT) != 0)
		die("a write to the socketpair failed", "");
}

/* True when the line at p carries the fds. */
static int fd_line(const uint8_t *p, size_t left, int first_line, int at_start)
{
	if (first_line)
		return at_start;
	return left >= 5 && memcmp(p, "rings", 5) == 0 && (left == 5 || p[5] == ' ');
}

/* The body in one write per fd-carrying line (fds with its first byte). */
static void send_body(int fd, const uint8_t *body, size_t size, const int *fds, unsigned nfds,
		      int first_line)
{
	size_t from = 0; /* start of the pending write */
	unsigned fd_lines = 0;
	int pending_fds = 0;
	for (size_t off = 0; off < size;) {
		const uint8_t *nl = memchr(body + off, '\n', size - off);
		size_t end = nl ? (size_t)(nl - body) + 1 : size;
		if (fd_lines < MAX_FD_LINES &&
		    fd_line(body + off, size - off, first_line, off == 0)) {
			send_chunk(fd, body + from, off - from, fds, pending_fds ? nfds : 0);
			from = off;
			pending_fds = 1;
			fd_lines++;
		}
		off = end;
	}
	send_chunk(fd, body + from, size - from, fds, pending_fds ? nfds : 0);
}

/* ---------------------------------------------------------------- checks */

struct replies {
	int64_t ok, done; /* run ids, -1 when absent */
	uint64_t events, lost;
	int error; /* an error line came, and it was the last */
	char message[CTL_LINE_MAX];
};

static int64_t number(const char *s, const char *line)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		die("a number in a reply is not a plain decimal: ", line);
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v > INT64_MAX)
		die("a number in a reply is not a plain decimal: ", line);
	return (int64_t)v;
}

static void read_replies(int fd, struct replies *r)
{
	static char buf[REPLY_MAX];
	size_t len = 0;
	ssize_t got;
	while (len < sizeof buf - 1 &&
	       (got = recv(fd, buf + len, sizeof buf - 1 - len, MSG_DONTWAIT)) > 0)
		len += (size_t)got;
	if (len >= sizeof buf - 1)
		die("the collector answered more than 64 KiB", "");
	buf[len] = '\0';
	memset(r, 0, sizeof *r);
	r->ok = r->done = -1;
	for (char *p = buf; *p;) {
		char *nl = strchr(p, '\n');
		if (!nl)
			die("an answer without its newline: ", p);
		*nl = '\0';
		char copy[CTL_LINE_MAX + 1], *argv[CTL_MAX_ARGS];
		snprintf(copy, sizeof copy, "%s", p);
		if (strlen(p) >= CTL_LINE_MAX)
			die("an answer longer than a line: ", copy);
		if (r->error)
			die("an answer after the error line: ", copy);
		int n = ctl_split(p, argv);
		if (n == 2 && strcmp(argv[0], "ok") == 0 && r->ok < 0 && r->done < 0) {
			r->ok = number(argv[1], copy);
		} else if (n == 4 && strcmp(argv[0], "done") == 0 && r->ok > 0 && r->done < 0) {
			r->done = number(argv[1], copy);
			r->events = (uint64_t)number(argv[2], copy);
			r->lost = (uint64_t)number(argv[3], copy);
			if (r->done != r->ok)
				die("done names another run than ok: ", copy);
		} else if (n == 2 && strcmp(argv[0], "error") == 0) {
			r->error = 1;
			snprintf(r->message, sizeof r->message, "%s", argv[1]);
		} else {
			die("an unexpected answer (or out of order): ", copy);
		}
		p = nl + 1;
	}
}

static int64_t q_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		die("preparing a check: ", sqlite3_errmsg(h));
	if (sqlite3_step(s) != SQLITE_ROW)
		die("a check returned no row: ", sql);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void q_text(sqlite3 *h, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		die("preparing a check: ", sqlite3_errmsg(h));
	const unsigned char *t = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	snprintf(out, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
}

static void check_message(enum collect_result res, const char *err)
{
	if (res == COLLECT_STORED) {
		if (err[0])
			die("a stored run came with a message: ", err);
		return;
	}
	if (!err[0])
		die("a failure without a message", "");
	for (const unsigned char *p = (const unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			die("the message is not one printable line: ", err);
}

static void check_replies(enum collect_result res, const struct collector_stats *st,
			  const struct replies *r, const char *err)
{
	if (res == COLLECT_STORED && (r->done < 0 || r->error || r->done != st->run_id ||
				      r->events != st->events || r->lost != st->lost))
		die("a stored run without the matching ok and done, or with an error", "");
	if (res == COLLECT_VMM_GONE && (r->done >= 0 || r->error))
		die("the VMM gone, yet done or error was sent", "");
	if (res == COLLECT_ERROR) {
		if (!r->error)
			die("an error the VMM was not told: ", err);
		if (strcmp(r->message, err) != 0 &&
		    strcmp(r->message, "vtlab collect: error message too long") != 0)
			die("the error line says something else than the result: ", r->message);
	}
	if (r->ok < 0 && st->run_id)
		die("a run id in the stats without ok", "");
}

/* The database after the input, through a fresh read-only connection. */
static void check_db(enum collect_result res, const struct collector_stats *st,
		     const struct replies *r, int filled, uint64_t most)
{
	char err[DB_ERR_LEN], status[64], sql[256];
	struct db *ro;
	if (db_open_readonly(db_file, &ro, err, sizeof err) != 0)
		die("the database does not open afterwards: ", err);
	sqlite3 *h = db_sqlite(ro);
	q_text(h, "PRAGMA quick_check", status, sizeof status);
	if (strcmp(status, "ok") != 0)
		die("quick_check: ", status);
	int64_t runs = q_int(h, "SELECT count(*) FROM runs");
	if (runs != (r->ok > 0))
		die("runs in the database do not match the ok answers", "");
	if (runs) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM runs WHERE id = %" PRId64, r->ok);
		if (q_int(h, sql) != 1)
			die("the run ok named is not in the database", "");
		if (st->run_id && st->run_id != r->ok)
			die("the stats name another run than ok", "");
		q_text(h, "SELECT status FROM runs", status, sizeof status);
		int listed = q_int(h, "SELECT count(*) FROM unfinished_runs") == 1;
		if (res == COLLECT_STORED) {
			if (strcmp(status, "complete") && strcmp(status, "failed"))
				die("a stored run has status ", status);
		} else if (!(strcmp(status, "incomplete") == 0 ||
			     (filled && res == COLLECT_ERROR && strcmp(status, "running") == 0))) {
			die("an unfinished run has status ", status);
		}
		if (listed != (strcmp(status, "complete") && strcmp(status, "failed")))
			die("unfinished_runs does not list exactly the unfinished run: ", status);
	}
	if (q_int(h, "SELECT count(*) FROM runs WHERE NOT ((params IS NULL OR json_valid(params)) "
		     "AND (costs IS NULL OR json_valid(costs)))"))
		die("params, costs or workload_params is not JSON", "");
	int64_t events = q_int(h, "SELECT count(*) FROM events");
	if (events < 0 || (uint64_t)events != st->events)
		die("events stored differ from the collector's count", "");
	if ((uint64_t)events > most)
		die("more events stored than the rings held", "");
	if (q_int(h, "SELECT coalesce(sum(n), 0) FROM event_tallies") != events)
		die("event_tallies do not match events", "");
	if (res == COLLECT_STORED &&
	    (uint64_t)q_int(h, "SELECT coalesce(sum(lost), 0) FROM losses") != st->lost)
		die("losses stored differ from the collector's count", "");
	if (q_int(h, "SELECT (SELECT count(*) FROM events WHERE run_id NOT IN (SELECT id FROM "
		     "runs)) + (SELECT count(*) FROM counters WHERE run_id NOT IN (SELECT id FROM "
		     "runs)) + (SELECT count(*) FROM losses WHERE run_id NOT IN (SELECT id FROM "
		     "runs)) + (SELECT count(*) FROM run_params WHERE run_id NOT IN (SELECT id "
		     "FROM runs))"))
		die("rows of a run that does not exist", "");
	db_close(ro);
}

/* ---------------------------------------------------------------- one input */

/* A full disk: the database shrunk to what it holds, and only `pages`
 * more (SQLITE_FULL beyond, as a full disk gives it). */
static void limit_room(unsigned pages)
{
	char sql[64];
	exec_sql("VACUUM");
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %" PRId64,
		 q_int(db_sqlite(db), "PRAGMA page_count") + pages);
	exec_sql(sql);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned room[4] = { 0, 4, 16, 64 };
	if (size < HEADER)
		return 0;
	unsigned nrings = data[0] % (TRACE_MAX_VCPUS + 2);
	if (nrings > (size - HEADER) / RING_SPEC)
		nrings = (unsigned)((size - HEADER) / RING_SPEC);
	unsigned flags = data[1];
	const uint8_t *body = data + HEADER + nrings * RING_SPEC;
	size_t body_size = size - HEADER - nrings * RING_SPEC;

	unsigned fds_before = open_fds(), maps_before = ring_mappings();
	if (flags & 3)
		limit_room(room[flags & 3]);
	struct trace_ring rings[MAX_RINGS];
	int fds[MAX_RINGS];
	uint64_t most = 0;
	for (unsigned i = 0; i < nrings; i++) {
		most += make_ring(&rings[i], i, data + HEADER + i * RING_SPEC);
		fds[i] = rings[i].fd;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair failed", "");
	send_body(sv[0], body, body_size, fds, nrings, flags & 4);
	shutdown(sv[0], SHUT_WR);

	struct collector_stats st;
	char err[1024];
	enum collect_result res = collector_serve(db, sv[1], &st, err, sizeof err);
	if (res != COLLECT_STORED && res != COLLECT_VMM_GONE && res != COLLECT_ERROR)
		die("collector_serve returned no collect_result", "");
	if (!sqlite3_get_autocommit(db_sqlite(db)))
		die("a transaction was left open", "");
	if (verbose)
		fprintf(stderr,
			"fuzz_collect.c: result %d, run %" PRId64 ", %" PRIu64
			" events (rings held "
			"at most %" PRIu64 "), %" PRIu64 " lost: %s\n",
			(int)res, st.run_id, st.events, most, st.lost, err);
	check_message(res, err);
	struct replies r;
	read_replies(sv[0], &r);
	check_replies(res, &st, &r, err);
	check_db(res, &st, &r, (flags & 3) != 0, most);

	close(sv[0]);
	close(sv[1]);
	for (unsigned i = 0; i < nrings; i++)
		trace_ring_unmap(&rings[i]);
	if (open_fds() != fds_before)
		die("file descriptors leaked", "");
	if (ring_mappings() != maps_before)
		die("mappings leaked (a ring not unmapped)", "");
	exec_sql("DELETE FROM runs; DELETE FROM campaigns; DELETE FROM reason_names");
	if (flags & 3) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", ROOM_PAGES);
		exec_sql(sql);
	}
	return 0;
}
