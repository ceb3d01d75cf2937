/*
 * test_collector.c - the collector and the VMM side of a traced run
 * (tracer/collector.h, tracer/session.h, tracer/collector_proto.h),
 * in-process: the test is the VMM (a trace_session with real rings and
 * trace_emit) and a forked child is the collector (collector_serve on a
 * unix socket, writing a real SQLite file through db/db.h).
 *
 * Checks: the control line escaping; a whole run stored (every emitted
 * record, in order per vCPU, metadata, parameters, costs, counters,
 * results); drop mode (stored + lost = emitted, losses per vCPU); the VMM
 * gone before `end` (run incomplete, committed events kept); the collector
 * killed (a lossless push fails instead of hanging, the run becomes
 * incomplete on the next open); a full database (PRAGMA max_page_count:
 * SQLITE_FULL as a full disk gives it): a clear error, whole batches only.
 * Bad input served in-process (collector_serve on a socketpair, the lines
 * and ring fds written up front): each bad control line refused with a
 * one-line printable message naming the word in its wire form, the VMM
 * told; `end` with an unfinished ring and a corrupt ring header refused
 * instead of waited for or popped for ever; what the rings held kept;
 * `start` without `hello` or `rings`, a second `rings`, N short of the fds
 * sent, extra words refused; a one-record run and the batch count that
 * `vtlab collect` prints.
 * Prints "N passed, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "collector_proto.h"
#include "db.h"
#include "host_counters.h"
#include "session.h"
#include "trace.h"

static int passed, failed;
static char dir[64];

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

static const char *path(const char *name)
{
	static char buf[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

/* ---------------------------------------------------------------- sqlite */

static int64_t q_int(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else {
		printf("  sql: %s: %s\n", sql, sqlite3_errmsg(h));
	}
	sqlite3_close(h);
	return v;
}

static const char *q_text(const char *db, const char *sql)
{
	static char out[256];
	sqlite3 *h;
	sqlite3_stmt *s;
	snprintf(out, sizeof out, "(none)");
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return "(cannot open)";
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
			snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return out;
}

/* ---------------------------------------------------------------- the collector child */

/* Forks a collector serving one connection on sock, writing db_path;
 * max_pages > 0 limits the database (a full disk).  Exit status: 0 stored,
 * 1 VMM gone, 3 error, 9 setup failed. */
static pid_t spawn_collector(const char *db_path, const char *sock, long max_pages)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
	unlink(sock);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 1)) {
		printf("  listen %s: %s\n", sock, strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char err[1024];
		struct db *db;
		struct collector_stats st;
		if (db_open(db_path, &db, err, sizeof err)) {
			printf("  child: %s\n", err);
			_exit(9);
		}
		if (max_pages > 0) {
			char sql[64];
			snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", max_pages);
			sqlite3_exec(db_sqlite(db), sql, NULL, NULL, NULL);
		}
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(9);
		enum collect_result r = collector_serve(db, fd, &st, err, sizeof err);
		if (r != COLLECT_STORED)
			printf("  collector: %s\n", err);
		fflush(stdout);
		db_close(db);
		_exit(r == COLLECT_STORED ? 0 : r == COLLECT_VMM_GONE ? 1 : 3);
	}
	close(lfd);
	return pid;
}

static int child_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---------------------------------------------------------------- the VMM side */

static int send2(struct trace_session *s, const char *verb, const char *a, const char *b)
{
	char err[512];
	const char *args[2] = { a, b };
	int r = trace_session_send(s, err, sizeof err, verb, 2, args);
	if (r)
		printf("  send %s %s: %s\n", verb, a, err);
	return r;
}

static int open_session(struct trace_session *s, const char *sock, unsigned nvcpus,
			enum ring_mode mode, uint64_t capacity, uint32_t mask)
{
	struct trace_session_config c = { .socket_path = sock,
					  .nvcpus = nvcpus,
					  .cat_mask = mask,
					  .mode = mode,
					  .ring_capacity = capacity };
	char err[512];
	if (trace_session_open(s, &c, err, sizeof err) || send2(s, "meta", "config", "native") ||
	    send2(s, "meta", "workload", "test workload with spaces") ||
	    send2(s, "meta", "vcpus", nvcpus == 2 ? "2" : "1") ||
	    send2(s, "meta", "trace", "mmio") || send2(s, "param", "mem", "1048576") ||
	    send2(s, "param", "boot", "m") || send2(s, "cost", "mmio", "200")) {
		printf("  open: %s\n", err);
		return -1;
	}
	const char *reason[3] = { "exception", "11", "ecall_m" };
	if (trace_session_send(s, err, sizeof err, "reason", 3, reason) ||
	    trace_session_start(s, err, sizeof err)) {
		printf("  start: %s\n", err);
		return -1;
	}
	return 0;
}

/* n MMIO reads on vCPU v: cycles 10*i, addr0 0x10000000 + i. */
static void emit(struct trace_session *s, unsigned v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		trace_emit(trace_session_tracer(s), v, TP_MMIO_READ, 10ull * i, 0, 4,
			   0x10000000ull + i, i, 0);
}

/* Results, one counter, end; the first error is in err. */
static int finish(struct trace_session *s, char *err, size_t errlen)
{
	const char *lines[][5] = {
		{ "status", "complete" },
		{ "instructions", "1000" },
		{ "cycles", "5000" },
		{ "exit_reason", "PASS" },
	};
	const char *counter[5] = { "0", "exception", "11", "7", "210" };
	const char *host[2][3] = { { "perf::PERF_COUNT_SW_PAGE_FAULTS", "4321", "1" },
				   { "perf::PERF_COUNT_HW_CPU_CYCLES", "0", "0" } };
	err[0] = '\0';
	for (size_t i = 0; i < 2; i++)
		if (trace_session_send(s, err, errlen, "host", 3, host[i]))
			return -1;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (trace_session_send(s, err, errlen, "result", 2, lines[i]))
			return -1;
	if (trace_session_send(s, err, errlen, "counter", 5, counter))
		return -1;
	return trace_session_end(s, err, errlen);
}

/* ---------------------------------------------------------------- in-process */

/* The collector_stats of serve_lines()'s last collector_serve(). */
static struct collector_stats served;
/* When set, serve_lines() installs it as the database's commit hook: a
 * producer that writes while the collector commits, deterministically. */
static int (*serve_hook)(void *);
static void *serve_hook_ctx;

/* Serves `lines` (then EOF, as if the VMM left) with collector_serve() in
 * this process on a socketpair, into db_path, nfds fds going with the
 * first byte (as ring fds go with `rings`); the collector's answers go to
 * reply.  The socket buffer holds the few lines written up front. */
static enum collect_result serve_lines(const char *db_path, const char *lines, const int *fds,
				       unsigned nfds, char *err, size_t errlen, char *reply,
				       size_t rlen)
{
	int sv[2];
	struct db *db;
	struct collector_stats st;
	char oerr[DB_ERR_LEN];
	reply[0] = '\0';
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return (enum collect_result)99;
	}
	if (db_open(db_path, &db, oerr, sizeof oerr) != 0) {
		snprintf(err, errlen, "%s", oerr);
		close(sv[0]);
		close(sv[1]);
		return (enum collect_result)99;
	}
	if (serve_hook)
		sqlite3_commit_hook(db_sqlite(db), serve_hook, serve_hook_ctx);
	if (ctl_send_bytes(sv[0], lines, strlen(lines), fds, nfds, 0) != 0)
		printf("  write to the socketpair failed: %s\n", strerror(errno));
	shutdown(sv[0], SHUT_WR);
	enum collect_result r = collector_serve(db, sv[1], &st, err, errlen);
	served = st;
	ssize_t got = recv(sv[0], reply, rlen - 1, MSG_DONTWAIT);
	reply[got > 0 ? got : 0] = '\0';
	db_close(db);
	close(sv[0]);
	close(sv[1]);
	return r;
}

/* A ring of 8 records for vCPU v holding n MMIO reads, finished or not. */
static int ring_with(struct trace_ring *r, unsigned v, unsigned n, bool finished)
{
	char err[256];
	if (trace_ring_create(r, v, 8, RING_LOSSLESS, err, sizeof err) != 0) {
		printf("  ring: %s\n", err);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		struct trace_record rec = {
			.cycles = 10 * i, .type = TP_MMIO_READ, .vcpu = (uint8_t)v, .seq = i
		};
		trace_ring_push(r, &rec);
	}
	if (finished)
		trace_ring_finish(r);
	return 0;
}

static bool printable_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* ---------------------------------------------------------------- tests */

static void test_escape(void)
{
	const char *cases[] = { "plain", "with space", "100%", "", "tab\there\nnl", "é ü" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char esc[256], line[300];
		char *argv[CTL_MAX_ARGS];
		CHECK(ctl_escape(cases[i], esc, sizeof esc) != NULL, "escape '%s'", cases[i]);
		CHECK(strchr(esc, ' ') == NULL && strchr(esc, '\n') == NULL, "escaped '%s'", esc);
		snprintf(line, sizeof line, "meta key %s", esc);
		int n = ctl_split(line, argv);
		CHECK(n == 3 && strcmp(argv[2], cases[i]) == 0, "round trip of '%s': %d '%s'",
		      cases[i], n, n == 3 ? argv[2] : "");
	}
	char bad[] = "meta key 100%zz";
	char *argv[CTL_MAX_ARGS];
	CHECK(ctl_split(bad, argv) < 0, "a bad %%-escape is rejected");
	char tiny[4];
	CHECK(ctl_escape("a b c", tiny, sizeof tiny) == NULL, "overflow is reported");
}

/* Found by tracer/tests/fuzz/fuzz_ctl.c: a line of CTL_LINE_MAX bytes or
 * more passed when it arrived in one piece into a caller's buffer larger
 * than CTL_LINE_MAX, and failed when it came in pieces. */
static void test_line_limit(void)
{
	static char big[2 * CTL_LINE_MAX + 2], line[2 * CTL_LINE_MAX];
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	struct ctl_reader rd;
	ctl_reader_init(&rd, sv[0]);
	memset(big, 'a', CTL_LINE_MAX - 1); /* the longest line: CTL_LINE_MAX - 1 + '\n' */
	big[CTL_LINE_MAX - 1] = '\n';
	CHECK(write(sv[1], big, CTL_LINE_MAX) == CTL_LINE_MAX, "write");
	CHECK(ctl_read_line(&rd, line, sizeof line, 1000) == 1 && strlen(line) == CTL_LINE_MAX - 1,
	      "the longest line is read");
	memset(big, 'b', CTL_LINE_MAX + 100);
	big[CTL_LINE_MAX + 100] = '\n';
	CHECK(write(sv[1], big, CTL_LINE_MAX + 101) == CTL_LINE_MAX + 101, "write");
	errno = 0;
	int r = ctl_read_line(&rd, line, sizeof line, 1000);
	CHECK(r == -1 && errno == EMSGSIZE,
	      "a line over CTL_LINE_MAX in one piece: %d (%s), not EMSGSIZE", r, strerror(errno));
	close(sv[0]);
	close(sv[1]);
	/* CTL_LINE_MAX bytes without their '\n' are refused at once, not
	 * waited on. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	ctl_reader_init(&rd, sv[0]);
	memset(big, 'c', CTL_LINE_MAX);
	CHECK(write(sv[1], big, CTL_LINE_MAX) == CTL_LINE_MAX, "write");
	errno = 0;
	r = ctl_read_line(&rd, line, sizeof line, 100);
	CHECK(r == -1 && errno == EMSGSIZE, "CTL_LINE_MAX bytes without '\\n': %d (%s)", r,
	      strerror(errno));
	close(sv[0]);
	close(sv[1]);
}

/* The sending side keeps the protocol's limits: no line the reader would
 * refuse (CTL_LINE_MAX bytes or more with its '\n'), no '\n' inside a line
 * (one call would send two lines), no ctl_sendf() line cut short to fit,
 * no more than CTL_MAX_FDS fds.  Nothing is sent when refused. */
static void test_send_limits(void)
{
	static char line[CTL_LINE_MAX + 1];
	int sv[2], fds[CTL_MAX_FDS + 1];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	memset(line, 'a', CTL_LINE_MAX);
	errno = 0;
	CHECK(ctl_send_line(sv[1], line, NULL, 0) == -1 && errno == EMSGSIZE,
	      "a line of CTL_LINE_MAX bytes refused (%s)", strerror(errno));
	line[CTL_LINE_MAX - 1] = '\0';
	CHECK(ctl_send_line(sv[1], line, NULL, 0) == 0, "CTL_LINE_MAX - 1 bytes sent");
	errno = 0;
	CHECK(ctl_send_line(sv[1], "end\nstart", NULL, 0) == -1 && errno == EMSGSIZE,
	      "a line with a '\\n' refused (%s)", strerror(errno));
	line[CTL_LINE_MAX - 1] = 'a'; /* "%s" of CTL_LINE_MAX bytes: cut by one */
	errno = 0;
	CHECK(ctl_sendf(sv[1], "%s", line) == -1 && errno == EMSGSIZE,
	      "ctl_sendf of CTL_LINE_MAX bytes refused (%s)", strerror(errno));
	for (int i = 0; i <= CTL_MAX_FDS; i++)
		fds[i] = sv[1];
	errno = 0;
	CHECK(ctl_send_bytes(sv[1], "x\n", 2, fds, CTL_MAX_FDS + 1, 0) == -1 && errno == EINVAL,
	      "CTL_MAX_FDS + 1 fds refused (%s)", strerror(errno));
	shutdown(sv[1], SHUT_WR);
	static char got[2 * CTL_LINE_MAX];
	struct ctl_reader rd;
	ctl_reader_init(&rd, sv[0]);
	CHECK(ctl_read_line(&rd, got, sizeof got, 1000) == 1 && strlen(got) == CTL_LINE_MAX - 1,
	      "the line sent");
	CHECK(ctl_read_line(&rd, got, sizeof got, 1000) == -1 && ctl_take_fds(&rd, fds, 1) == 0,
	      "then nothing: the refused lines and fds were not sent");
	close(sv[0]);
	close(sv[1]);
}

/* Open fds of this process (/proc/self/fd, less the directory's own). */
static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and d's fd */
}

/* The edges of the protocol's helpers: escaping into a buffer exactly the
 * size, or none, or too small for "%00"; DEL escaped (a message must stay
 * printable); ctl_quote's cut within its buffer; an empty number; hex
 * digits in both cases; ctl_take_fds and ctl_reader_close_fds keeping
 * count; a line one byte too long for the caller's buffer or exactly
 * CTL_LINE_MAX bytes before its '\n'. */
static void test_ctl_edges(void)
{
	char out[16];
	CHECK(ctl_escape("abc", out, 4) && strcmp(out, "abc") == 0, "escape into 4 bytes");
	memset(out, '#', sizeof out);
	CHECK(ctl_escape("a", out, 0) == NULL && out[0] == '#', "escape into no room");
	CHECK(ctl_escape("", out, 3) == NULL && out[3] == '#', "'' needs 4 bytes for %%00");
	CHECK(ctl_escape("a\x7f", out, sizeof out) && strcmp(out, "a%7F") == 0, "DEL escaped: %s",
	      out);
	memset(out, '#', sizeof out);
	CHECK(strcmp(ctl_quote("abcdefghijklmnop", out, 10), "abcdef...") == 0 && out[10] == '#',
	      "quote cut within 10 bytes: '%.16s'", out);
	uint64_t x = 7;
	CHECK(!ctl_parse_u64("", 10, &x) && x == 7, "an empty number refused");
	char hex[] = "%7F%7f%0A", *argv[CTL_MAX_ARGS];
	CHECK(ctl_split(hex, argv) == 1 && strcmp(argv[0], "\x7f\x7f\n") == 0,
	      "hex digits in either case");
	/* %00 is the empty word, alone: not a NUL that cuts a word short. */
	char nul[] = "k %00", cut[] = "a%00", lead[] = "%00x";
	CHECK(ctl_split(nul, argv) == 2 && argv[1][0] == '\0', "%%00 alone: the empty word");
	CHECK(ctl_split(cut, argv) == -1 && ctl_split(lead, argv) == -1, "a%%00 and %%00x refused");

	int sv[2], fds[2], taken[4];
	char line[8];
	struct ctl_reader rd;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	ctl_reader_init(&rd, sv[0]);
	fds[0] = fds[1] = sv[1];
	CHECK(ctl_send_bytes(sv[1], "abc\nabcd\n", 9, fds, 2, 0) == 0, "send");
	CHECK(ctl_read_line(&rd, line, 4, 1000) == 1 && strcmp(line, "abc") == 0, "3 bytes in 4");
	CHECK(ctl_take_fds(&rd, taken, 1) == 1 && ctl_take_fds(&rd, taken + 1, 4) == 1 &&
		      ctl_take_fds(&rd, taken + 2, 4) == 0,
	      "2 fds taken one by one, then none");
	close(taken[0]);
	close(taken[1]);
	errno = 0;
	CHECK(ctl_read_line(&rd, line, 4, 1000) == -1 && errno == EMSGSIZE,
	      "4 bytes do not fit line[4] (%s)", strerror(errno));
	CHECK(ctl_read_line(&rd, line, sizeof line, 1000) == 1 && strcmp(line, "abcd") == 0,
	      "then read into 8 bytes");
	CHECK(ctl_send_bytes(sv[1], "x\n", 2, fds, 1, 0) == 0 &&
		      ctl_read_line(&rd, line, sizeof line, 1000) == 1,
	      "an fd left with the reader");
	int before = open_fds();
	ctl_reader_close_fds(&rd);
	CHECK(open_fds() == before - 1 && ctl_take_fds(&rd, taken, 4) == 0,
	      "ctl_reader_close_fds closes it: %d fds, %d before", open_fds(), before);
	close(sv[0]);
	close(sv[1]);

	static char big[CTL_LINE_MAX + 1], got[2 * CTL_LINE_MAX];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	ctl_reader_init(&rd, sv[0]);
	memset(big, 'd', CTL_LINE_MAX);
	big[CTL_LINE_MAX] = '\n';
	CHECK(write(sv[1], big, sizeof big) == (ssize_t)sizeof big, "write");
	errno = 0;
	CHECK(ctl_read_line(&rd, got, sizeof got, 1000) == -1 && errno == EMSGSIZE,
	      "CTL_LINE_MAX bytes and '\\n' in one piece refused (%s)", strerror(errno));
	close(sv[0]);
	close(sv[1]);
}

/* At most CTL_MAX_ARGS words; at most CTL_MAX_FDS fds kept (more closed). */
static void test_split_and_fds(void)
{
	char line[CTL_LINE_MAX], *argv[CTL_MAX_ARGS + 2];
	size_t o = 0;
	for (int i = 0; i < CTL_MAX_ARGS; i++)
		o += (size_t)snprintf(line + o, sizeof line - o, "%sw%d", i ? " " : "", i);
	CHECK(ctl_split(line, argv) == CTL_MAX_ARGS, "CTL_MAX_ARGS words");
	o = 0;
	for (int i = 0; i <= CTL_MAX_ARGS; i++)
		o += (size_t)snprintf(line + o, sizeof line - o, "%sw%d", i ? " " : "", i);
	CHECK(ctl_split(line, argv) == -1, "CTL_MAX_ARGS + 1 words refused");

	int sv[2], fds[CTL_MAX_FDS], taken[2 * CTL_MAX_FDS];
	char got[64];
	struct ctl_reader rd;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK(0, "socketpair: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < CTL_MAX_FDS; i++)
		fds[i] = sv[1];
	ctl_reader_init(&rd, sv[0]);
	CHECK(ctl_send_bytes(sv[1], "a\n", 2, fds, CTL_MAX_FDS, 0) == 0, "send %d fds",
	      CTL_MAX_FDS);
	CHECK(ctl_read_line(&rd, got, sizeof got, 1000) == 1, "first line");
	CHECK(ctl_send_bytes(sv[1], "b\n", 2, fds, 1, 0) == 0, "send one more fd");
	CHECK(ctl_read_line(&rd, got, sizeof got, 1000) == 1 && strcmp(got, "b") == 0,
	      "second line");
	unsigned n = ctl_take_fds(&rd, taken, 2 * CTL_MAX_FDS);
	CHECK(n == CTL_MAX_FDS, "%u fds kept, expected %d", n, CTL_MAX_FDS);
	for (unsigned i = 0; i < n && i < 2 * CTL_MAX_FDS; i++)
		close(taken[i]);
	close(sv[0]);
	close(sv[1]);
}

static void test_stored_run(void)
{
	const char *db = path("run.db"), *sock = path("run.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	CHECK(pid > 0, "spawn");
	if (pid <= 0 || open_session(&s, sock, 2, RING_LOSSLESS, 256, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	/* More than a ring's worth and than a batch: the producer waits. */
	emit(&s, 0, 20000);
	emit(&s, 1, 3000);
	CHECK(!tracer_failed(trace_session_tracer(&s)), "no failure");
	int r = finish(&s, err, sizeof err);
	CHECK(r == 0, "end: %s", err);
	CHECK(s.events == 23000 && s.lost == 0, "done says %" PRIu64 " events, %" PRIu64 " lost",
	      s.events, s.lost);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
	CHECK(q_int(db, "select count(*) from events where vcpu = 0") == 20000, "vCPU 0 events");
	CHECK(q_int(db, "select count(*) from events where vcpu = 1") == 3000, "vCPU 1 events");
	/* In order, complete: seq 0..n-1 and cycles follow seq. */
	CHECK(q_int(db, "select count(*) from events where vcpu = 0 and cycles != 10 * seq") == 0,
	      "records intact");
	CHECK(q_int(db, "select max(seq) - min(seq) + 1 from events where vcpu = 0") == 20000,
	      "no gap");
	CHECK(q_int(db, "select sum(n) from event_tallies") == 23000, "tallies");
	CHECK(strcmp(q_text(db, "select status from runs"), "complete") == 0, "status");
	CHECK(strcmp(q_text(db, "select workload from runs"), "test workload with spaces") == 0,
	      "workload");
	CHECK(q_int(db, "select instructions from runs") == 1000, "instructions");
	CHECK(q_int(db, "select value from run_params where name = 'cost.mmio'") == 200, "cost");
	CHECK(strcmp(q_text(db, "select value from run_params where name = 'boot'"), "m") == 0,
	      "param");
	CHECK(q_int(db, "select n from counters where event = 'exception' and reason = '11'") == 7,
	      "counter");
	CHECK(strcmp(q_text(db, "select name from reason_names where event = 'exception' and "
				"code = 11"),
		     "ecall_m") == 0,
	      "reason name");
	CHECK(q_int(db, "select count(*) from losses") == 0, "no losses");
	/* host lines: a value counted, and one the host could not count (NULL). */
	CHECK(q_int(db, "select value from host_counters where supported = 1 and "
			"name = 'perf::PERF_COUNT_SW_PAGE_FAULTS'") == 4321,
	      "host counter");
	CHECK(q_int(db, "select count(*) from host_counters where supported = 0 and value is null "
			"and name = 'perf::PERF_COUNT_HW_CPU_CYCLES'") == 1,
	      "unsupported host counter");
}

static void test_drop_mode(void)
{
	const char *db = path("drop.db"), *sock = path("drop.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_DROP, 16, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	kill(pid, SIGSTOP); /* the collector drains nothing: the ring overflows */
	emit(&s, 0, 1000);
	kill(pid, SIGCONT);
	uint64_t lost = atomic_load(&trace_session_tracer(&s)->ring[0].hdr->lost);
	int r = finish(&s, err, sizeof err);
	CHECK(r == 0, "end: %s", err);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
	CHECK(lost >= 1000 - 16, "the ring counted %" PRIu64 " losses", lost);
	int64_t ev = q_int(db, "select count(*) from events");
	int64_t st = q_int(db, "select sum(lost) from losses where vcpu = 0");
	CHECK(ev + st == 1000 && st == (int64_t)lost, "stored %" PRId64 " + lost %" PRId64, ev, st);
	CHECK(q_int(db, "select min(first_cycles) <= max(last_cycles) from losses") == 1,
	      "loss window");
}

static void test_vmm_gone(void)
{
	const char *db = path("gone.db"), *sock = path("gone.sock");
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 1024, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	emit(&s, 0, 500);
	trace_session_close(&s); /* as if the VMM died: EOF before `end` */
	CHECK(child_status(pid) == 1, "collector reports the VMM gone");
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0, "status");
	CHECK(q_int(db, "select count(*) from events") == 500, "what the ring held is kept");
}

static void test_collector_killed(void)
{
	const char *db = path("killed.db"), *sock = path("killed.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 64, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	s.pid = pid; /* as if the session had started it: it reaps it and says how it ended */
	kill(pid, SIGKILL);
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT); /* dead, left for the session to reap */
	emit(&s, 0, 1000); /* the ring fills; the push must give up, not hang */
	CHECK(tracer_failed(trace_session_tracer(&s)), "lossless push failed");
	CHECK(!trace_session_alive(&s), "session sees the collector gone");
	int r = finish(&s, err, sizeof err);
	char want[96];
	snprintf(want, sizeof want, "the collector (pid %d) was killed by signal %d", (int)pid,
		 SIGKILL);
	CHECK(r != 0 && strstr(err, want) &&
		      strncmp(err, "vtlab: trace collector: sending the run: ", 41) == 0,
	      "end fails: '%s', want '%s' after what the VMM was doing", err, want);
	trace_session_close(&s);
	CHECK(s.reaped, "reaped: its pid is gone for db recovery");
	struct db *h;
	char oerr[DB_ERR_LEN];
	CHECK(db_open(db, &h, oerr, sizeof oerr) == 0, "reopen: %s", oerr);
	if (h)
		db_close(h);
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0,
	      "marked incomplete on the next open");
}

/* A collector that answers `start` with `start_reply` and, if end_reply,
 * `end` with it; returns its pid, listening on sock.  Reads the VMM's
 * lines until EOF, then exits 0. */
static pid_t fake_collector(const char *sock, const char *start_reply, const char *end_reply)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
	unlink(sock);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 1))
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char line[CTL_LINE_MAX];
		struct ctl_reader rd;
		int fd = accept(lfd, NULL, NULL);
		ctl_reader_init(&rd, fd);
		while (ctl_read_line(&rd, line, sizeof line, -1) == 1) {
			if (strcmp(line, "start") == 0)
				ctl_sendf(fd, "%s", start_reply);
			else if (strcmp(line, "end") == 0 && end_reply)
				ctl_sendf(fd, "%s", end_reply);
		}
		_exit(0);
	}
	close(lfd);
	return pid;
}

/* The session reads the collector's answers strictly: `ok RUN` with a
 * run id above 0, `done RUN EVENTS LOST` with three words, `error MSG`
 * with one word; anything else is named as it came. */
static void test_session_replies_checked(void)
{
	static const struct {
		const char *start_reply, *end_reply, *want;
	} cases[] = {
		{ "ok 0", NULL, "'ok' without a run id" },
		{ "ok 5 6", NULL, "'ok' without a run id" },
		{ "error a b", NULL, "expected 'ok', got 'error a b'" },
		{ "%zz", NULL, "expected 'ok', got '%zz'" },
		{ "error vtlab%20collect:%20no", NULL, "vtlab collect: no" },
		{ "ok 1", "done 1 2 3 4", "'done' expects RUN EVENTS LOST" },
		{ "ok 1", "done 1 2", "'done' expects RUN EVENTS LOST" },
	};
	const char *sock = path("fake.sock");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[512] = "";
		struct trace_session s;
		struct trace_session_config c = { .socket_path = sock, .nvcpus = 1 };
		pid_t pid = fake_collector(sock, cases[i].start_reply, cases[i].end_reply);
		int r = pid > 0 ? trace_session_open(&s, &c, err, sizeof err) : -1;
		if (r == 0)
			r = trace_session_start(&s, err, sizeof err);
		if (r == 0 && cases[i].end_reply)
			r = trace_session_end(&s, err, sizeof err);
		size_t n = strlen(err), w = strlen(cases[i].want);
		CHECK(r == -1 && n >= w && strcmp(err + n - w, cases[i].want) == 0,
		      "'%s' / '%s': %d '%s', want '%s'", cases[i].start_reply,
		      cases[i].end_reply ? cases[i].end_reply : "", r, err, cases[i].want);
		if (pid > 0) {
			trace_session_close(&s);
			child_status(pid);
		}
	}
}

/* The session hands the tracer the config's sampling and address filter
 * (both were ignored when not copied: every event stored), and a run
 * traced with no category sends `rings 0 MODE 0` whatever the ring size,
 * as the collector requires (a counters-only run). */
static void test_session_config_used(void)
{
	const char *db = path("sampled.db"), *sock = path("sampled.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	struct trace_session_config c = { .socket_path = sock,
					  .nvcpus = 1,
					  .cat_mask = 1u << TPC_MMIO,
					  .mode = RING_LOSSLESS,
					  .ring_capacity = 256,
					  .filter_lo = 0x10000000,
					  .filter_hi = 0x10000050 };
	c.sample[TP_MMIO_READ] = 10;
	if (pid <= 0 || trace_session_open(&s, &c, err, sizeof err) ||
	    trace_session_start(&s, err, sizeof err)) {
		CHECK(0, "open: %s", err);
		return;
	}
	emit(&s, 0, 100); /* addr0 0x10000000 + i: 80 in the filter, 1 in 10 of them kept */
	CHECK(finish(&s, err, sizeof err) == 0 && s.events == 8 && s.ended,
	      "end: %s, %" PRIu64 " events", err, s.events);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
	CHECK(q_int(db, "select count(*) || ',' || max(addr0) from events") != -1 &&
		      strcmp(q_text(db, "select count(*) || ',' || max(addr0) from events"),
			     "8,268435526") == 0,
	      "8 events, the last 0x10000046: %s",
	      q_text(db, "select count(*) || ',' || max(addr0) from events"));

	const char *db2 = path("untraced.db"), *sock2 = path("untraced.sock");
	pid = spawn_collector(db2, sock2, 0);
	if (pid <= 0 || open_session(&s, sock2, 1, RING_DROP, 64, 0)) {
		failed++;
		return;
	}
	CHECK(trace_session_tracer(&s) == NULL, "no tracer without categories");
	CHECK(finish(&s, err, sizeof err) == 0 && s.events == 0, "end: %s", err);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
	CHECK(strcmp(q_text(db2, "select status from runs"), "complete") == 0, "stored: %s",
	      q_text(db2, "select status from runs"));
}

/* Lines too long for the protocol are refused by the session, whatever
 * the number of words that make them so, before anything is sent. */
static void test_session_line_too_long(void)
{
	const char *db = path("longline.db"), *sock = path("longline.sock");
	static char err[2 * CTL_LINE_MAX], word[3000], exact[CTL_LINE_MAX];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 64, 0)) {
		failed++;
		return;
	}
	memset(word, 'w', sizeof word - 1);
	const char *three[3] = { word, word, word };
	CHECK(trace_session_send(&s, err, sizeof err, "param", 3, three) == -1 &&
		      strstr(err, "' line too long (over 4096 bytes)"),
	      "3 words of 2999 bytes: %.80s", err);
	/* "result exit_reason " and 4077 bytes: CTL_LINE_MAX bytes, no room
	 * for the '\n' (snprintf cut it one byte short: that must not pass). */
	memset(exact, 'x', CTL_LINE_MAX - 19);
	const char *kv[2] = { "exit_reason", exact };
	CHECK(trace_session_send(&s, err, sizeof err, "result", 2, kv) == -1 &&
		      strstr(err, "' line too long (over 4096 bytes)"),
	      "a line of CTL_LINE_MAX bytes: %.80s", err);
	exact[CTL_LINE_MAX - 20] = '\0';
	err[0] = '\0';
	CHECK(trace_session_send(&s, err, sizeof err, "result", 2, kv) == 0,
	      "CTL_LINE_MAX - 1 bytes and the '\\n' sent: %.80s", err);
	CHECK(finish(&s, err, sizeof err) == 0, "the run goes on: %.200s", err);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
}

/* A collector that exits without a word: the VMM's message gives its exit
 * status.  The child accepts, waits for the go on a pipe and exits 5; the
 * test waits until it is dead (not reaped) before asking for `start`. */
static void test_collector_exit_status(void)
{
	const char *sock = path("exit5.sock");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
	unlink(sock);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), go[2];
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 1) || pipe(go)) {
		CHECK(0, "listen %s: %s", sock, strerror(errno));
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		int fd = accept(lfd, NULL, NULL);
		close(go[1]);
		if (read(go[0], &c, 1) < 0 || fd < 0)
			_exit(9);
		_exit(5);
	}
	close(lfd);
	close(go[0]);
	struct trace_session s;
	struct trace_session_config c = { .socket_path = sock, .nvcpus = 1 };
	char err[512];
	int r = trace_session_open(&s, &c, err, sizeof err);
	CHECK(r == 0, "open: %s", err);
	s.pid = pid;
	close(go[1]); /* go */
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	if (r == 0)
		r = trace_session_start(&s, err, sizeof err);
	char want[64];
	snprintf(want, sizeof want, "the collector (pid %d) exited with status 5", (int)pid);
	CHECK(r != 0 && strstr(err, want), "start: '%s', want '%s'", err, want);
	trace_session_close(&s);
	CHECK(s.reaped, "reaped");
}

/* Found by tracer/tests/fuzz/fuzz_collect.c: a refused word was copied
 * raw into the message, so "%0A" or "%1B" in a VMM's line made the error
 * (printed by vtlab run and vtlab collect) several lines or a terminal
 * escape.  The word is now shown as it was sent, cut at CTL_QUOTE_MAX. */
static void test_bad_lines_quoted(void)
{
	static const struct {
		const char *lines, *want; /* want: in the message */
	} cases[] = {
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nmeta tr%1B[2Jace x\n",
		  "'meta tr%1B[2Jace': unknown key" },
		{ "hello vtlab-trace 1\nbo%0Agus 1\n", "'bo%0Agus': unknown before 'start'" },
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nfo%07o 1\n",
		  "'fo%07o': unknown during a run" },
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult status o%0Dk\n",
		  "'result status o%0Dk'" },
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult metric_value 1%0A2\n",
		  "'result metric_value 1%0A2'" },
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult cycles 1%09\n",
		  "value '1%09'" },
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\n\n", "malformed line" },
		/* Taken and never stored (the run is stored at `start`): now refused. */
		{ "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nparam mem 1\n",
		  "'param': only before 'start'" },
		/* A run needs both: the protocol checked, and rings (even none). */
		{ "rings 0 lossless 0\nstart\nend\n", "'start' before 'hello' and 'rings'" },
		{ "hello vtlab-trace 1\nstart\nend\n", "'start' before 'hello' and 'rings'" },
	};
	const char *db = path("quoted.db");
	char err[1024], reply[4096];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum collect_result r = serve_lines(db, cases[i].lines, NULL, 0, err, sizeof err,
						    reply, sizeof reply);
		CHECK(r == COLLECT_ERROR, "case %zu: result %d (%s)", i, (int)r, err);
		CHECK(printable_line(err), "case %zu: message not one printable line", i);
		CHECK(strstr(err, cases[i].want) != NULL, "case %zu: '%s' lacks '%s'", i, err,
		      cases[i].want);
		CHECK(strstr(reply, "error ") != NULL, "case %zu: the VMM is told: '%s'", i, reply);
	}
	/* A long word is cut: the message stays short. */
	static char lines[CTL_LINE_MAX];
	int n = snprintf(lines, sizeof lines, "hello vtlab-trace 1\nrings 0 lossless 0\nmeta ");
	memset(lines + n, 'k', 2000);
	snprintf(lines + n + 2000, sizeof lines - (size_t)n - 2000, " v\n");
	serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(strlen(err) < 200 && strstr(err, "kkk...'"), "long key cut: %zu bytes", strlen(err));
	CHECK(q_int(db, "select count(*) from runs where status = 'running'") == 0,
	      "no run left running");
}

/* result exit_code was read with strtol and no check: "12abc" stored 12,
 * "abc" 0, 2^40 a truncated int.  Now refused like the other numbers. */
static void test_exit_code_checked(void)
{
	const char *db = path("exit_code.db");
	const char *bad[] = { "12abc", "abc", "1099511627776", "%00" };
	char lines[512], err[1024], reply[4096];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(
			lines, sizeof lines,
			"hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult exit_code %s\nend\n",
			bad[i]);
		enum collect_result r =
			serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
		CHECK(r == COLLECT_ERROR && strstr(err, "exit_code"), "exit_code %s: %d (%s)",
		      bad[i], (int)r, err);
	}
	CHECK(q_int(db, "select count(*) from runs where status != 'incomplete'") == 0,
	      "the refused runs are incomplete");
	CHECK(q_int(db, "select count(*) from runs where exit_reason like "
			"'vtlab collect: control line ''result exit_code %'") == 4,
	      "the refused runs say why: %lld of 4 (%s)",
	      (long long)q_int(db, "select count(*) from runs where exit_reason like "
				   "'vtlab collect: control line ''result exit_code %'"),
	      q_text(db, "select exit_reason from runs limit 1"));
	snprintf(lines, sizeof lines,
		 "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult exit_code -3\nend\n");
	enum collect_result r =
		serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_STORED, "exit_code -3: %d (%s)", (int)r, err);
	CHECK(q_int(db, "select exit_code from runs order by id desc limit 1") == -3,
	      "exit_code stored");
}

/* A fuzzing pass: `result metric_value nan` (or inf) was taken by strtod
 * and stored as NULL, a run with a metric that says nothing.  A metric is
 * a finite number; anything else is refused naming the line. */
static void test_metric_value_finite(void)
{
	const char *db = path("metric.db");
	const char *bad[] = { "nan", "NaN", "inf", "-Infinity", "1e999", "nan(0x1)" };
	char lines[512], err[1024], reply[4096];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(lines, sizeof lines,
			 "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult metric_name m\n"
			 "result metric_value %s\nend\n",
			 bad[i]);
		enum collect_result r =
			serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
		char want[64];
		snprintf(want, sizeof want, "'result metric_value %s'", bad[i]);
		CHECK(r == COLLECT_ERROR && strstr(err, want) && printable_line(err),
		      "metric_value %s: %d (%s)", bad[i], (int)r, err);
	}
	CHECK(q_int(db, "select count(*) from runs where status != 'incomplete'") == 0,
	      "the refused runs are incomplete");
	snprintf(lines, sizeof lines,
		 "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nresult metric_name m\n"
		 "result metric_value -2.5e3\nend\n");
	enum collect_result r =
		serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_STORED, "metric_value -2.5e3: %d (%s)", (int)r, err);
	CHECK(q_int(db, "select metric_value = -2500 from runs order by id desc limit 1") == 1,
	      "a finite metric stored");
}

/* A fuzzing pass: the protocol version was read with atoi, so "1abc",
 * "01x" or " 1" passed for version 1.  It is now one decimal word. */
static void test_hello_version_strict(void)
{
	const char *db = path("hello.db");
	const char *bad[] = {
		"1abc", "1.0", "+1", "-1", "0x1", "%201", "2", "18446744073709551617",
		"1 1", /* a word too many */
	};
	char lines[512], err[1024], reply[4096];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(lines, sizeof lines, "hello vtlab-trace %s\nrings 0 lossless 0\nstart\n",
			 bad[i]);
		enum collect_result r =
			serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
		CHECK(r == COLLECT_ERROR && strstr(err, "expected 'hello vtlab-trace 1'") &&
			      strstr(reply, "error ") && !strstr(reply, "ok "),
		      "hello vtlab-trace %s: %d (%s) answers '%s'", bad[i], (int)r, err, reply);
	}
	CHECK(q_int(db, "select count(*) from runs") == 0, "no run created");
	enum collect_result r =
		serve_lines(db, "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nend\n", NULL, 0,
			    err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_STORED, "hello vtlab-trace 1: %d (%s)", (int)r, err);
}

/* Serves "hello", then `rings_line` with one ring of 8 records in `mode`
 * (ring_with makes lossless ones), then start and end. */
static enum collect_result serve_rings(const char *db, const char *rings_line, enum ring_mode mode,
				       char *err, size_t errlen)
{
	char lines[512], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 0, 2, true))
		return (enum collect_result)99;
	r.hdr->mode = mode;
	snprintf(lines, sizeof lines, "hello vtlab-trace 1\n%s\nstart\nend\n", rings_line);
	enum collect_result res =
		serve_lines(db, lines, &r.fd, 1, err, errlen, reply, sizeof reply);
	if (res == COLLECT_ERROR && !strstr(reply, "error "))
		snprintf(err, errlen, "the VMM was not told (answers: %.100s)", reply);
	trace_ring_unmap(&r);
	return res;
}

/* A fuzzing pass: the MODE and CAPACITY words of `rings N MODE CAPACITY`
 * were never read, so "rings 1 bogus x" passed.  They are what
 * tracer/session.c sends ("lossless" or "drop", the records per ring, 0
 * without rings) and must agree with every ring's header. */
static void test_rings_words_checked(void)
{
	static const struct {
		const char *line, *want;
		enum ring_mode mode;
	} bad[] = {
		{ "rings 1 bogus 8", "mode 'bogus'", RING_LOSSLESS },
		{ "rings 1 Lossless 8", "mode 'Lossless'", RING_LOSSLESS },
		{ "rings 1 lossless x", "capacity 'x'", RING_LOSSLESS },
		{ "rings 1 lossless 8x", "capacity '8x'", RING_LOSSLESS },
		{ "rings 1 lossless 08", "capacity '08'", RING_LOSSLESS },
		{ "rings 1 lossless 16", "capacity '16': the header of the ring of vCPU 0 says 8",
		  RING_LOSSLESS },
		{ "rings 1 drop 8", "mode 'drop': the header of the ring of vCPU 0 says lossless",
		  RING_LOSSLESS },
		{ "rings 1 lossless 8",
		  "mode 'lossless': the header of the ring of vCPU 0 says drop", RING_DROP },
		{ "rings 1x lossless 8", "expected 'rings N MODE CAPACITY'", RING_LOSSLESS },
		{ "rings 1 lossless 8 8", "expected 'rings N MODE CAPACITY'", RING_LOSSLESS },
		/* N must count the fds that came with the line, not bound them. */
		{ "rings 0 lossless 0", "with N ring fds attached (got 1 fds)", RING_LOSSLESS },
		/* Once: a second line (no fds) must not pass for an empty one. */
		{ "rings 1 lossless 8\nrings 0 lossless 0", "expected 'rings N MODE CAPACITY' once",
		  RING_LOSSLESS },
	};
	const char *db = path("rings.db");
	char err[1024];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum collect_result r = serve_rings(db, bad[i].line, bad[i].mode, err, sizeof err);
		CHECK(r == COLLECT_ERROR && strstr(err, bad[i].want) && printable_line(err),
		      "'%s': %d (%s), want '%s'", bad[i].line, (int)r, err, bad[i].want);
	}
	char reply[4096];
	enum collect_result r = serve_lines(db, "hello vtlab-trace 1\nrings 0 lossless 8\nstart\n",
					    NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_ERROR && strstr(err, "capacity '8'"), "rings 0 with a capacity: %s",
	      err);
	CHECK(q_int(db, "select count(*) from runs") == 0, "no run created");
	r = serve_rings(db, "rings 1 drop 8", RING_DROP, err, sizeof err);
	CHECK(r == COLLECT_STORED, "rings 1 drop 8: %d (%s)", (int)r, err);
	r = serve_lines(db, "hello vtlab-trace 1\nrings 0 drop 0\nstart\nend\n", NULL, 0, err,
			sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_STORED, "rings 0 drop 0: %d (%s)", (int)r, err);
}

/* Found by fuzz_collect.c: `end` while a ring's producer_done flag was not
 * set made the collector wait for the flag for ever (no VMM sets it after
 * `end`).  Now an error, with the ring's records kept and the run
 * incomplete.  alarm(): without the fix this test would hang. */
static void test_end_unfinished_ring(void)
{
	const char *db = path("unfinished.db");
	char err[1024], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 0, 3, false)) {
		failed++;
		return;
	}
	alarm(30);
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 1 lossless 8\nstart\nend\n", &r.fd, 1,
			    err, sizeof err, reply, sizeof reply);
	alarm(0);
	CHECK(res == COLLECT_ERROR && strstr(err, "ring of vCPU 0 is not finished"),
	      "result %d: %s", (int)res, err);
	CHECK(strstr(reply, "ok 1\n") && strstr(reply, "\nerror "), "answers: %s", reply);
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0, "incomplete");
	CHECK(q_int(db, "select count(*) from events") == 3, "the ring's records kept");
	trace_ring_unmap(&r);
}

/* Found by fuzz_collect.c: a ring header with head - tail above the
 * capacity (here head 100 records ahead of tail in a ring of 8) made
 * trace_ring_pop() return the same stale slots again and again: 100 events
 * stored from 8 slots, or, with tail past head, events without end until
 * the disk was full.  Now the run ends with an error naming the ring, and
 * the records of the other rings are kept. */
static void test_corrupt_ring(void)
{
	const char *db = path("corrupt.db");
	char err[1024], reply[4096];
	struct trace_ring r[2];
	if (ring_with(&r[0], 0, 3, true)) {
		failed++;
		return;
	}
	if (ring_with(&r[1], 1, 2, true)) {
		trace_ring_unmap(&r[0]);
		failed++;
		return;
	}
	atomic_store(&r[1].hdr->head, atomic_load(&r[1].hdr->tail) + 100);
	int fds[2] = { r[0].fd, r[1].fd };
	alarm(30);
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 2 lossless 8\nstart\nend\n", fds, 2,
			    err, sizeof err, reply, sizeof reply);
	alarm(0);
	CHECK(res == COLLECT_ERROR && strstr(err, "ring of vCPU 1: corrupt header"),
	      "result %d: %s", (int)res, err);
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0, "incomplete");
	CHECK(q_int(db, "select count(*) from events") == 3, "vCPU 0's records kept, no others");
	/* Found by the run loop's first drain, the run ends there: the line
	 * after `start` is never read (it would be refused as unknown). */
	res = serve_lines(db, "hello vtlab-trace 1\nrings 2 lossless 8\nstart\nbogus 1\n", fds, 2,
			  err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_ERROR && strstr(err, "ring of vCPU 1: corrupt header") &&
		      !strstr(err, "bogus"),
	      "during the run: result %d: %s", (int)res, err);
	trace_ring_unmap(&r[0]);
	trace_ring_unmap(&r[1]);
}

/* The sender of test_ring_corrupted_before_end(): the run's first lines,
 * then, once the collector has drained the ring, a corrupt header followed
 * at once by `end`. */
static void corrupt_then_end(int sock, struct trace_ring *r)
{
	const char *lines = "hello vtlab-trace 1\nrings 1 lossless 8\nstart\n";
	if (ctl_send_bytes(sock, lines, strlen(lines), &r->fd, 1, 0) != 0)
		_exit(1);
	struct ring_hdr *h = r->hdr;
	for (int i = 0; atomic_load(&h->tail) != atomic_load(&h->head); i++) {
		if (i == 100000) /* 10 s */
			_exit(2);
		usleep(100);
	}
	atomic_store(&h->head, atomic_load(&h->tail) + 100);
	if (ctl_send_bytes(sock, "end\n", 4, NULL, 0, 0) != 0)
		_exit(3);
	shutdown(sock, SHUT_WR);
	_exit(0);
}

/* A ring whose header turns corrupt after the run loop's last drain is
 * found by the drain at `end` (drain_to_end), and the run is refused as at
 * any other point, not stored complete.  The collector re-drains every
 * IDLE_WAIT_MS (1 ms) while it waits for a line, and the header is
 * corrupted microseconds before `end` is sent, so nearly always `end` is
 * what finds it; when the loop finds it first the outcome is the same. */
static void test_ring_corrupted_before_end(void)
{
	const char *db_path = path("corrupt-end.db");
	char err[1024], oerr[DB_ERR_LEN];
	struct trace_ring r;
	struct db *db;
	struct collector_stats st;
	int sv[2];
	if (ring_with(&r, 0, 3, true) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    db_open(db_path, &db, oerr, sizeof oerr) != 0) {
		failed++;
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[1]);
		corrupt_then_end(sv[0], &r);
	}
	close(sv[0]);
	if (pid < 0) {
		printf("  fork: %s\n", strerror(errno));
		failed++;
		db_close(db);
		close(sv[1]);
		trace_ring_unmap(&r);
		return;
	}
	alarm(30);
	enum collect_result res = collector_serve(db, sv[1], &st, err, sizeof err);
	alarm(0);
	int status = -1;
	waitpid(pid, &status, 0);
	db_close(db);
	close(sv[1]);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sender status %d", status);
	CHECK(res == COLLECT_ERROR && strstr(err, "ring of vCPU 0: corrupt header"),
	      "result %d: %s", (int)res, err);
	CHECK(strcmp(q_text(db_path, "select status from runs"), "incomplete") == 0,
	      "stored as incomplete, not complete: %s", q_text(db_path, "select status from runs"));
	CHECK(q_int(db_path, "select count(*) from events") == 3, "the 3 records drained are kept");
	trace_ring_unmap(&r);
}

/* A control line refused during the run used to drop the batch being
 * filled and what the rings still held ("bad input loses nothing"): now
 * they are committed and the run is stored as incomplete. */
static void test_bad_line_keeps_events(void)
{
	const char *db = path("badline.db");
	char err[1024], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 0, 5, false)) {
		failed++;
		return;
	}
	enum collect_result res = serve_lines(
		db, "hello vtlab-trace 1\nrings 1 lossless 8\nstart\nresult cycles x\nend\n", &r.fd,
		1, err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_ERROR && strstr(err, "value 'x'") &&
		      strstr(err, "stored as incomplete (5 events kept)"),
	      "result %d: %s", (int)res, err);
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0, "incomplete");
	CHECK(q_int(db, "select count(*) from events") == 5, "the ring's records kept");
	trace_ring_unmap(&r);
}

static void test_disk_full(void)
{
	const char *db = path("full.db"), *sock = path("full.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 120);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 4096, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	emit(&s, 0, 200000);
	CHECK(tracer_failed(trace_session_tracer(&s)), "the VMM notices");
	int r = finish(&s, err, sizeof err);
	CHECK(r != 0 && strstr(err, "disk full"), "clear error: %s", err);
	CHECK(strncmp(err, dir, strlen(dir)) == 0, "the collector's own message, as it is: %s",
	      err);
	trace_session_close(&s);
	CHECK(child_status(pid) == 3, "collector reports an error");
	CHECK(strcmp(q_text(db, "pragma integrity_check"), "ok") == 0, "database sound");
	int64_t ev = q_int(db, "select count(*) from events");
	CHECK(ev >= 0 && ev % COLLECTOR_BATCH == 0 && ev < 200000,
	      "whole batches only: %" PRId64 " events", ev);
	CHECK(q_int(db, "select coalesce(sum(n), 0) from event_tallies") == ev, "tallies match");
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0,
	      "marked incomplete by the collector: %s", q_text(db, "select status from runs"));
	CHECK(strstr(q_text(db, "select exit_reason from runs"), "disk full"), "and says why: %s",
	      q_text(db, "select exit_reason from runs"));
}

/* Ring i of the `rings` line must be vCPU i's: a ring that says vCPU 1
 * sent first is refused. */
static void test_ring_vcpu_checked(void)
{
	const char *db = path("vcpu.db");
	char err[1024], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 1, 2, true)) {
		failed++;
		return;
	}
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 1 lossless 8\nstart\nend\n", &r.fd, 1,
			    err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_ERROR && strstr(err, "header says vCPU 1, expected 0"),
	      "result %d: %s", (int)res, err);
	CHECK(q_int(db, "select count(*) from runs") == 0, "no run created");
	trace_ring_unmap(&r);
}

/* `done RUN EVENTS LOST`: the drop-mode losses of the rings summed. */
static void test_done_counts_losses(void)
{
	const char *db = path("donelost.db");
	char err[1024], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 0, 0, false)) {
		failed++;
		return;
	}
	r.hdr->mode = RING_DROP;
	for (unsigned i = 0; i < 11; i++) {
		struct trace_record rec = { .cycles = 10 * i, .type = TP_MMIO_READ, .seq = i };
		trace_ring_push(&r, &rec);
	}
	trace_ring_finish(&r);
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 1 drop 8\nstart\nend\n", &r.fd, 1, err,
			    sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_STORED && strstr(reply, "done 1 8 3\n"), "result %d, answers: %s",
	      (int)res, reply);
	CHECK(q_int(db, "select lost from losses where vcpu = 0") == 3, "losses row");
	trace_ring_unmap(&r);
}

/* At `end` the rings may hold several batches: every record is stored. */
static void test_end_drains_everything(void)
{
	const char *db = path("drainall.db");
	char err[1024], reply[4096], lines[128];
	const unsigned n = 4 * COLLECTOR_BATCH;
	struct trace_ring r;
	if (trace_ring_create(&r, 0, n, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "ring: %s", err);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct trace_record rec = { .cycles = i, .type = TP_MMIO_READ, .seq = i };
		trace_ring_push(&r, &rec);
	}
	trace_ring_finish(&r);
	snprintf(lines, sizeof lines, "hello vtlab-trace 1\nrings 1 lossless %u\nstart\nend\n", n);
	enum collect_result res =
		serve_lines(db, lines, &r.fd, 1, err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_STORED, "result %d: %s", (int)res, err);
	CHECK(q_int(db, "select count(*) from events") == n, "%lld of %u events stored",
	      (long long)q_int(db, "select count(*) from events"), n);
	/* What `vtlab collect` prints: 4 full batches, never a partial one
	 * (a batch is committed as soon as it is full). */
	CHECK(served.events == n && served.batches == 4 && served.lost == 0,
	      "stats: %" PRIu64 " events in %" PRIu64 " batches, %" PRIu64 " lost", served.events,
	      served.batches, served.lost);
	trace_ring_unmap(&r);
}

/* The commit hook of test_last_drain_takes_all(): at the second commit
 * (the first batch; the first is the run's creation) the VMM publishes 2
 * more records on ring 0.  Never refuses the commit. */
struct push_at_commit {
	struct trace_ring *r;
	unsigned calls;
	uint64_t seq;
};

static int push_at_commit(void *p)
{
	struct push_at_commit *a = p;
	if (++a->calls == 2)
		for (int i = 0; i < 2; i++) {
			struct trace_record rec = { .type = TP_MMIO_READ, .seq = a->seq++ };
			trace_ring_push(a->r, &rec);
		}
	return 0;
}

/* The last drain goes on while a pass gives anything: a pass that gives
 * one record is not the end.  Ring 0 holds a batch, ring 1 one record
 * less; the first pass commits ring 0's batch (when the VMM adds 2 records
 * to ring 0) and leaves ring 1's in the batch, one short of full; the VMM
 * leaves.  The last drain's first pass then has room for 1 record of ring
 * 0's 2, and the second is there for the next pass.  Every record
 * published before the VMM left is stored: 2 * COLLECTOR_BATCH + 1. */
static void test_last_drain_takes_all(void)
{
	const char *db = path("lastdrain.db");
	char err[1024], reply[4096], lines[128];
	struct trace_ring r[2];
	int ok = 1;
	for (unsigned v = 0; v < 2; v++)
		if (trace_ring_create(&r[v], v, 2 * COLLECTOR_BATCH, RING_LOSSLESS, err,
				      sizeof err) != 0)
			ok = 0;
	if (!ok) {
		CHECK(0, "ring: %s", err);
		return;
	}
	for (unsigned v = 0; v < 2; v++)
		for (unsigned i = 0; i < COLLECTOR_BATCH - v; i++) {
			struct trace_record rec = { .type = TP_MMIO_READ,
						    .vcpu = (uint8_t)v,
						    .seq = i };
			trace_ring_push(&r[v], &rec);
		}
	struct push_at_commit a = { .r = &r[0], .seq = COLLECTOR_BATCH };
	serve_hook = push_at_commit;
	serve_hook_ctx = &a;
	int fds[2] = { r[0].fd, r[1].fd };
	snprintf(lines, sizeof lines, "hello vtlab-trace 1\nrings 2 lossless %u\nstart\n",
		 2 * COLLECTOR_BATCH);
	enum collect_result res =
		serve_lines(db, lines, fds, 2, err, sizeof err, reply, sizeof reply);
	serve_hook = NULL;
	CHECK(res == COLLECT_VMM_GONE, "result %d: %s", (int)res, err);
	CHECK(a.calls >= 2 && a.seq == COLLECTOR_BATCH + 2, "the VMM's 2 late records pushed");
	CHECK(q_int(db, "select count(*) from events") == 2 * COLLECTOR_BATCH + 1 &&
		      q_int(db, "select count(*) from events where vcpu = 0") ==
			      COLLECTOR_BATCH + 2,
	      "%lld events stored, expected %d",
	      (long long)q_int(db, "select count(*) from events"), 2 * COLLECTOR_BATCH + 1);
	CHECK(served.events == 2 * COLLECTOR_BATCH + 1, "stats: %" PRIu64 " events", served.events);
	trace_ring_unmap(&r[0]);
	trace_ring_unmap(&r[1]);
}

/* Two corrupt rings: the message names the first (collector.c notes the
 * first ring found corrupt). */
static void test_first_corrupt_ring_named(void)
{
	const char *db = path("corrupt2.db");
	char err[1024], reply[4096];
	struct trace_ring r[2];
	if (ring_with(&r[0], 0, 1, true)) {
		failed++;
		return;
	}
	if (ring_with(&r[1], 1, 1, true)) {
		trace_ring_unmap(&r[0]);
		failed++;
		return;
	}
	for (unsigned v = 0; v < 2; v++)
		atomic_store(&r[v].hdr->head, atomic_load(&r[v].hdr->tail) + 100);
	int fds[2] = { r[0].fd, r[1].fd };
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 2 lossless 8\nstart\nend\n", fds, 2,
			    err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_ERROR && strstr(err, "ring of vCPU 0: corrupt header (head 100,"),
	      "result %d: %s", (int)res, err);
	trace_ring_unmap(&r[0]);
	trace_ring_unmap(&r[1]);
}

/* A batch is committed COLLECTOR_FLUSH_MS after its first record, not
 * only when full or at `end`: one record shows in the database while the
 * run goes on (looked for up to 10 s, a hundred times the flush delay). */
static double secs(void);

static void test_partial_batch_flushed(void)
{
	const char *db = path("flush.db"), *sock = path("flush.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 64, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	emit(&s, 0, 1);
	double t0 = secs();
	int64_t n = 0;
	while (n != 1 && secs() - t0 < 10) {
		usleep(10000);
		n = q_int(db, "select count(*) from events");
	}
	CHECK(n == 1, "the record committed during the run: %lld events after %.1f s", (long long)n,
	      secs() - t0);
	CHECK(strcmp(q_text(db, "select status from runs"), "running") == 0, "the run goes on");
	CHECK(finish(&s, err, sizeof err) == 0 && s.events == 1, "end: %s", err);
	trace_session_close(&s);
	CHECK(child_status(pid) == 0, "collector exit status");
}

/* The collector stopped (SIGTERM: collector_request_stop()) before a run
 * started says so, and creates no run.  It used to say "the VMM was
 * stopped", blaming the process that was not.  In a child: the stop
 * request is for good. */
static void test_stopped_before_start(void)
{
	const char *db = path("stopfirst.db");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char err[1024], reply[4096];
		collector_request_stop();
		enum collect_result r =
			serve_lines(db, "hello vtlab-trace 1\nrings 0 lossless 0\nstart\nend\n",
				    NULL, 0, err, sizeof err, reply, sizeof reply);
		int ok = r == COLLECT_VMM_GONE &&
			 strcmp(err, "vtlab collect: the collector was stopped by a signal before "
				     "starting a run") == 0;
		if (!ok)
			printf("  child: result %d: %s\n", (int)r, err);
		fflush(stdout);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && child_status(pid) == 0,
	      "stopped before start: the message names the collector");
	CHECK(q_int(db, "select count(*) from runs") == 0, "no run created");
}

/* A run of one record: the smallest batch is committed too. */
static void test_one_record(void)
{
	const char *db = path("one.db");
	char err[1024], reply[4096];
	struct trace_ring r;
	if (ring_with(&r, 0, 1, true)) {
		failed++;
		return;
	}
	enum collect_result res =
		serve_lines(db, "hello vtlab-trace 1\nrings 1 lossless 8\nstart\nend\n", &r.fd, 1,
			    err, sizeof err, reply, sizeof reply);
	CHECK(res == COLLECT_STORED && strstr(reply, "done 1 1 0\n"), "result %d (%s), answers: %s",
	      (int)res, err, reply);
	CHECK(q_int(db, "select count(*) from events where seq = 0 and cycles = 0") == 1,
	      "the record stored");
	CHECK(served.events == 1 && served.batches == 1,
	      "stats: %" PRIu64 " events, %" PRIu64 " batches", served.events, served.batches);
	trace_ring_unmap(&r);
}

static void on_term(int sig)
{
	(void)sig;
	collector_request_stop();
}

static double secs(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A collector alive but storing nothing (stopped here; stuck on a hung
 * file system alike) held a lossless run for ever: the machine cannot
 * check --max-seconds while a full ring waits.  With the session's wait
 * deadline the push fails at the deadline, and closing the session kills
 * the collector instead of waiting for it (found by the tracer review). */
static void test_stalled_collector_deadline(void)
{
	const char *db = path("stalled.db"), *sock = path("stalled.sock");
	char err[512];
	struct trace_session s;
	pid_t pid = spawn_collector(db, sock, 0);
	if (pid <= 0 || open_session(&s, sock, 1, RING_LOSSLESS, 64, 1u << TPC_MMIO)) {
		failed++;
		return;
	}
	kill(pid, SIGSTOP);
	s.pid = pid; /* as if the session had started it: close reaps it */
	s.wait_deadline_ns = (uint64_t)(secs() * 1e9) + 500000000u;
	double t0 = secs();
	alarm(20); /* before the fix: a hang, ended here */
	emit(&s, 0, 1000);
	CHECK(tracer_failed(trace_session_tracer(&s)) && secs() - t0 < 5,
	      "the push gives up at the deadline (%.1f s)", secs() - t0);
	CHECK(finish(&s, err, sizeof err) != 0 && strstr(err, "time limit"), "end: %s", err);
	trace_session_close(&s);
	alarm(0);
	CHECK(s.reaped && secs() - t0 < 5, "closed without waiting for it (%.1f s)", secs() - t0);
	if (!s.reaped) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* Stopped (SIGTERM, as `vtlab collect` does) while the VMM goes on
 * tracing in drop mode, the collector must store what the ring held and
 * exit: its last drain used to pop until it found the ring empty, which a
 * producer faster than the database never lets happen, so it went on
 * storing for as long as the VMM ran (found by the tracer review). */
static void test_stop_with_live_producer(void)
{
	const char *db = path("stop.db");
	const char *lines = "hello vtlab-trace 1\nrings 1 drop 65536\nstart\n";
	char err[1024], line[CTL_LINE_MAX];
	struct trace_ring r;
	int sv[2];
	if (trace_ring_create(&r, 0, 65536, RING_DROP, err, sizeof err) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    ctl_send_bytes(sv[0], lines, strlen(lines), &r.fd, 1, 0) != 0) {
		CHECK(0, "setup: %s", err);
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct db *h;
		struct collector_stats st;
		struct sigaction sa = { .sa_handler = on_term };
		close(sv[0]);
		sigaction(SIGTERM, &sa, NULL);
		if (db_open(db, &h, err, sizeof err) != 0)
			_exit(9);
		enum collect_result res = collector_serve(h, sv[1], &st, err, sizeof err);
		db_close(h);
		_exit(res == COLLECT_VMM_GONE ? 1 : 3);
	}
	close(sv[1]);
	struct ctl_reader rd;
	ctl_reader_init(&rd, sv[0]);
	CHECK(ctl_read_line(&rd, line, sizeof line, 5000) == 1 && strncmp(line, "ok ", 3) == 0,
	      "run started");
	kill(pid, SIGTERM);
	/* The VMM goes on: records as fast as it can, for up to 10 s. */
	double t0 = secs(), took = -1;
	int st = -1;
	uint64_t seq = 0;
	while (secs() - t0 < 10) {
		for (int i = 0; i < 4096; i++, seq++) {
			struct trace_record rec = { .cycles = seq,
						    .type = TP_MMIO_READ,
						    .seq = seq };
			trace_ring_push(&r, &rec);
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			took = secs() - t0;
			break;
		}
	}
	if (took < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	CHECK(took >= 0 && took < 3, "stopped collector exits while the VMM traces: %.1f s%s", took,
	      took < 0 ? " (killed after 10 s)" : "");
	CHECK(took >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 1, "stored as stopped (status %d)",
	      st);
	CHECK(strcmp(q_text(db, "select status from runs"), "incomplete") == 0, "incomplete");
	close(sv[0]);
	trace_ring_unmap(&r);
}

/* The words of run_info lines (collector_run.c): arity, ranges and the
 * bounds on repeated lines refused with the line named; before_start says
 * where the line goes. */
static void test_run_info_refused(void)
{
	static const struct {
		bool before_start;
		const char *line, *want;
	} bad[] = {
		{ false, "result exit_code 2147483648", "'result exit_code 2147483648'" },
		{ false, "result exit_code -2147483649", "'result exit_code -2147483649'" },
		{ false, "result instructions 9223372036854775808", "value '9223372036854775808'" },
		{ false, "result metric_value %00", "'result metric_value %00'" },
		{ false, "counter 0 exception 11 9223372036854775808 1",
		  "value '9223372036854775808'" },
		{ false, "counter 0 exception 11 1 9223372036854775808",
		  "value '9223372036854775808'" },
		{ false, "counter 0 exception 11 1 2 3", "'counter': expected 5 arguments" },
		{ false, "vcpu 0 1 2 3", "'vcpu': expected 3 arguments" },
		{ false, "host perf::x 1 1 1", "'host': expected 3 arguments" },
		{ true, "reason exception 9223372036854775808 x", "value '9223372036854775808'" },
		{ true, "reason exception 11 a b", "'reason': expected 3 arguments" },
		{ true, "meta config a b", "'meta': expected 2 arguments" },
		{ true, "param a b c", "'param': expected 2 arguments" },
	};
	const char *db = path("runinfo_bad.db");
	static char lines[256 * 1024];
	char err[1024], reply[4096];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bad[i].before_start)
			snprintf(lines, sizeof lines,
				 "hello vtlab-trace 1\nrings 0 lossless 0\n%s\nstart\nend\n",
				 bad[i].line);
		else
			snprintf(lines, sizeof lines,
				 "hello vtlab-trace 1\nrings 0 lossless 0\nstart\n%s\nend\n",
				 bad[i].line);
		enum collect_result r =
			serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
		CHECK(r == COLLECT_ERROR && strstr(err, bad[i].want), "'%s': %d (%s), want '%s'",
		      bad[i].line, (int)r, err, bad[i].want);
	}
	/* One host line more than HOST_COUNTERS_MAX, one reason line more than
	 * the 4096 taken. */
	int o = snprintf(lines, sizeof lines, "hello vtlab-trace 1\nrings 0 lossless 0\nstart\n");
	for (int i = 0; i <= HOST_COUNTERS_MAX; i++)
		o += snprintf(lines + o, sizeof lines - (size_t)o, "host h%d 1 1\n", i);
	snprintf(lines + o, sizeof lines - (size_t)o, "end\n");
	enum collect_result r =
		serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_ERROR && strstr(err, "'host': more than 16 counters"),
	      "%d host lines: %d (%s)", HOST_COUNTERS_MAX + 1, (int)r, err);
	o = snprintf(lines, sizeof lines, "hello vtlab-trace 1\nrings 0 lossless 0\n");
	for (int i = 0; i <= 4096; i++)
		o += snprintf(lines + o, sizeof lines - (size_t)o, "reason e %d n\n", i);
	snprintf(lines + o, sizeof lines - (size_t)o, "start\nend\n");
	r = serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_ERROR && strstr(err, "more than 4096 reason lines"),
	      "4097 reason lines: %d (%s)", (int)r, err);
	CHECK(q_int(db, "select count(*) from runs where status != 'incomplete'") == 0,
	      "the runs refused after start are incomplete");
}

/* What run_info lines store: the edges of the ranges, defaults for what
 * the VMM did not send, params as JSON (quotes, backslashes and control
 * characters escaped, decimal integers of up to 19 digits and true as
 * JSON values, other words as strings), counters past the first
 * allocations, as many host lines as HOST_COUNTERS_MAX. */
static void test_run_info_stored(void)
{
	const char *db = path("runinfo.db");
	static char lines[64 * 1024], big[601];
	char err[1024], reply[4096];
	memset(big, 'x', 600);
	int o = snprintf(
		lines, sizeof lines,
		"hello vtlab-trace 1\nrings 0 lossless 0\nmeta repetition 3\n"
		"meta vcpus 1048576\nmeta campaign_file f.xml\nparam q a\"b\\c\n"
		"param ctl a%%1Fb\nparam z 007\nparam n19 1234567890123456789\n"
		"param n20 12345678901234567890\nparam nine 9\nparam t true\nparam big %s\n"
		"param i64 9223372036854775807\nparam over 9223372036854775808\n"
		"start\nresult status failed\nresult exit_code 2147483647\n"
		"counter 255 exception 11 7 210\nvcpu 0 100 200\n",
		big);
	for (int i = 0; i < 100; i++)
		o += snprintf(lines + o, sizeof lines - (size_t)o, "counter 1 ev%d 0 %d 1\n", i, i);
	for (int i = 0; i < HOST_COUNTERS_MAX; i++)
		o += snprintf(lines + o, sizeof lines - (size_t)o, "host h%d %d 1\n", i, i);
	snprintf(lines + o, sizeof lines - (size_t)o, "end\n");
	enum collect_result r =
		serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_STORED, "result %d (%s)", (int)r, err);
	CHECK(q_int(db, "select repetition = 3 and vcpus = 1048576 and config = 'native' and "
			"trace_spec = 'none' and campaign_id is null and status = 'failed' and "
			"exit_code = 2147483647 from runs") == 1,
	      "runs row: %s",
	      q_text(db, "select json_array(repetition, vcpus, config, trace_spec, "
			 "campaign_id, status, exit_code) from runs"));
	static const struct {
		const char *name, *sql_value;
	} params[] = {
		{ "q", "'a\"b\\c'" },
		{ "ctl", "'a' || char(31) || 'b'" },
		{ "z", "'007'" },
		{ "n19", "1234567890123456789" },
		{ "n20", "'12345678901234567890'" },
		{ "nine", "9" },
		{ "t", "1" },
		{ "i64", "9223372036854775807" },
		/* Past INT64_MAX a JSON number becomes a real (9.22337203685478e+18). */
		{ "over", "'9223372036854775808'" },
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "select value is %s from run_params where name = '%s'",
			 params[i].sql_value, params[i].name);
		char shown[160];
		snprintf(shown, sizeof shown,
			 "select quote(value) from run_params where name = '%s'", params[i].name);
		CHECK(q_int(db, sql) == 1, "param %s = %s, stored %s", params[i].name,
		      params[i].sql_value, q_text(db, shown));
	}
	CHECK(q_int(db, "select length(value) from run_params where name = 'big'") == 600,
	      "a 600-byte param");
	CHECK(q_int(db, "select n from counters where vcpu = 255 and event = 'exception'") == 7,
	      "vCPU 255's counter");
	CHECK(q_int(db, "select n = 100 and cycles = 200 from counters where vcpu = 0 and "
			"event = 'instructions' and reason = ''") == 1,
	      "vcpu line: the counter 'instructions'");
	CHECK(q_int(db, "select count(*) || '/' || sum(n) = '100/4950' from counters "
			"where event like 'ev%'") == 1,
	      "100 counters");
	CHECK(q_int(db, "select count(*) from host_counters") == HOST_COUNTERS_MAX, "host lines");
}

/* Lines after `start`: metadata refused (it would vanish), numbers
 * range-checked; a run without results keeps them NULL. */
static void test_run_lines_checked(void)
{
	static const struct {
		const char *line, *want;
	} bad[] = {
		{ "meta config STVT", "'meta': only before 'start'" },
		{ "param vtlb.buckets 64", "'param': only before 'start'" },
		{ "cost mmio 200", "'cost': only before 'start'" },
		{ "reason exception 11 ecall_m", "'reason': only before 'start'" },
		{ "counter 256 exception 11 7 210", "value '256'" },
		{ "host perf::x 5 2", "value '2'" },
	};
	const char *db = path("runlines.db");
	char err[1024], reply[4096], lines[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(lines, sizeof lines,
			 "hello vtlab-trace 1\nrings 0 lossless 0\nstart\n%s\nend\n", bad[i].line);
		enum collect_result r =
			serve_lines(db, lines, NULL, 0, err, sizeof err, reply, sizeof reply);
		CHECK(r == COLLECT_ERROR && strstr(err, bad[i].want), "'%s': %d (%s), want '%s'",
		      bad[i].line, (int)r, err, bad[i].want);
	}
	/* No `meta vcpus`: one vCPU.  A long number stays the text it was. */
	const char *db2 = path("runlines2.db");
	enum collect_result r = serve_lines(
		db2,
		"hello vtlab-trace 1\nrings 0 lossless 0\nparam big 12345678901234567890123\nstart\n",
		NULL, 0, err, sizeof err, reply, sizeof reply);
	CHECK(r == COLLECT_VMM_GONE, "VMM gone after start: %d (%s)", (int)r, err);
	CHECK(q_int(db2, "select vcpus from runs") == 1, "vcpus %lld",
	      (long long)q_int(db2, "select vcpus from runs"));
	CHECK(strcmp(q_text(db2, "select value from run_params where name = 'big'"),
		     "12345678901234567890123") == 0,
	      "param big = %s", q_text(db2, "select value from run_params where name = 'big'"));
	CHECK(q_int(db2, "select instructions is null and cycles is null and exit_code is null "
			 "and wall_ns is null from runs") == 1,
	      "no result lines: results NULL");
	CHECK(strcmp(q_text(db2, "select status from runs"), "incomplete") == 0, "incomplete");
	/* and says why: it used to be left NULL (found by a review as a user) */
	CHECK(strcmp(q_text(db2, "select exit_reason from runs"),
		     "vtlab collect: the VMM closed the control channel before the end of the "
		     "run") == 0,
	      "VMM gone: exit_reason '%s'", q_text(db2, "select exit_reason from runs"));
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/vtlab-test-collector.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	test_escape();
	test_line_limit();
	test_split_and_fds();
	test_send_limits();
	test_ctl_edges();
	test_stored_run();
	test_drop_mode();
	test_vmm_gone();
	test_collector_killed();
	test_collector_exit_status();
	test_session_config_used();
	test_session_line_too_long();
	test_session_replies_checked();
	test_disk_full();
	test_bad_lines_quoted();
	test_exit_code_checked();
	test_metric_value_finite();
	test_hello_version_strict();
	test_rings_words_checked();
	test_end_unfinished_ring();
	test_corrupt_ring();
	test_ring_corrupted_before_end();
	test_bad_line_keeps_events();
	test_ring_vcpu_checked();
	test_done_counts_losses();
	test_end_drains_everything();
	test_one_record();
	test_last_drain_takes_all();
	test_first_corrupt_ring_named();
	test_partial_batch_flushed();
	test_stopped_before_start();
	test_run_lines_checked();
	test_run_info_refused();
	test_run_info_stored();
	test_stalled_collector_deadline();
	test_stop_with_live_producer(); /* last: the stop request is for good */
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("note: could not remove %s\n", dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
