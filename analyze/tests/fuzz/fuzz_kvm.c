/*
 * fuzz_kvm.c - libFuzzer target: the Linux KVM ftrace text importer
 * (analyze/kvm_line.c, kvm_event.c, import_kvm.c) on arbitrary text.
 *
 * Feeds: the input is the text of a trace file.  Each of its lines, cut as
 * import_kvm.c cuts them (at '\n', then at the first '\r' or NUL), goes to
 * kvm_line_split() and, when it is an event line, to kvm_event_parse(); then
 * the whole input, in a memfd, is imported by kvm_import() into a database
 * in /dev/shm (db/db.h; the run is deleted afterwards so the file stays
 * small).
 *
 * Must hold (kvm_line.h, kvm_event.h, import_kvm.h, analyze/README.md): no
 * sanitizer report and no allocation beyond libFuzzer's limit, whatever the
 * numbers in the text; an event line's name, body and task lie inside the
 * line and are terminated, its name followed by ':'; kvm_event_parse()
 * returns one of its three results with a terminated reason; the import
 * never fails (unknown and malformed lines are counted, not fatal), counts
 * the lines as getline() does, names a first bad line among them, and
 * stores a complete run holding exactly `stored` events, whose vm_exit
 * counters add up to `exits` and whose cycles are the span (last minus
 * first) of the timestamps of the event lines.
 *
 * Build and run: scripts/fuzz.sh kvm.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "db.h"
#include "import_kvm.h"
#include "kvm_event.h"
#include "kvm_line.h"

static struct db *db;
static int trace_fd = -1;
static char trace_path[64];
static char db_dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_kvm.c: %s%s\n", what, detail);
	abort();
}

/* Removes the database directory at exit (a crash leaves it in /dev/shm:
 * mkdtemp names are unique, so it never disturbs a later run). */
static void cleanup(void)
{
	char p[128];
	static const char *const files[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm" };
	if (db)
		db_close(db);
	db = NULL;
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", db_dir, files[i]);
		unlink(p);
	}
	rmdir(db_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[128], err[DB_ERR_LEN];
	(void)argc;
	(void)argv;
	/* tmpfs: SQLite's commits cost no disk syncs. */
	snprintf(db_dir, sizeof db_dir, "/dev/shm/fuzz_kvm.XXXXXX");
	if (!mkdtemp(db_dir))
		die("mkdtemp in /dev/shm failed", "");
	snprintf(path, sizeof path, "%s/fuzz.db", db_dir);
	if (db_open(path, &db, err, sizeof err))
		die("db_open: ", err);
	atexit(cleanup);
	trace_fd = memfd_create("fuzz_kvm_trace", 0);
	if (trace_fd < 0)
		die("memfd_create failed", "");
	snprintf(trace_path, sizeof trace_path, "/proc/self/fd/%d", trace_fd);
	return 0;
}

/* One line as import_kvm.c's on_line() sees it, in a buffer of its exact
 * size so that ASan catches a read past its end. */
static void check_line(const char *text, int *have_ts, uint64_t *lo, uint64_t *hi)
{
	size_t len = strcspn(text, "\r\n"); /* the line ends at '\n' or the input's final NUL */
	char *line = malloc(len + 1);
	if (!line)
		die("out of memory", "");
	memcpy(line, text, len);
	line[len] = '\0';
	len = strlen(line);

	struct kvm_line l;
	enum kvm_line_kind kind = kvm_line_split(line, &l);
	if (kind != l.kind || kind > KVM_LINE_UNKNOWN)
		die("kvm_line_split: kind out of range or not the one returned: ", line);
	if (!memchr(l.task, '\0', sizeof l.task) || !l.body)
		die("kvm_line_split: task not terminated or no body: ", line);
	if (kind == KVM_LINE_EVENT) {
		const char *end = line + len;
		if (!l.event || l.event < line || l.event_len == 0 ||
		    l.event + l.event_len >= end || l.event[l.event_len] != ':')
			die("kvm_line_split: event name outside the line or not before ':': ",
			    line);
		if (l.body < line || l.body > end || l.body + strlen(l.body) != end)
			die("kvm_line_split: body outside the line: ", line);
		if (!*have_ts || l.ts_ns < *lo)
			*lo = l.ts_ns;
		if (!*have_ts || l.ts_ns > *hi)
			*hi = l.ts_ns;
		*have_ts = 1;

		struct kvm_event ev;
		enum kvm_parse p = kvm_event_parse(l.event, l.event_len, l.body, &ev);
		if (p != KVM_PARSE_OK && p != KVM_PARSE_OTHER && p != KVM_PARSE_BAD)
			die("kvm_event_parse: result out of range: ", line);
		if (p == KVM_PARSE_OK &&
		    (ev.kind > KVM_EV_MMU_OTHER || !memchr(ev.reason, '\0', sizeof ev.reason)))
			die("kvm_event_parse: kind out of range or reason not terminated: ", line);
	} else if (*l.body) {
		die("kvm_line_split: a body for a line that is not an event: ", line);
	}
	free(line);
}

static int64_t query(const char *sql, int64_t run)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &s, NULL) != SQLITE_OK)
		die("prepare: ", sql);
	sqlite3_bind_int64(s, 1, run);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void check_run(const struct kvm_import_stats *st, int64_t span)
{
	int64_t r = st->run_id;
	char msg[160];
	if (query("select status = 'complete' from runs where id = ?", r) != 1)
		die("the imported run is not complete", "");
	int64_t n = query("select count(*) from events where run_id = ?", r);
	if (n != (int64_t)st->stored) {
		snprintf(msg, sizeof msg, "%" PRId64 " events stored, the stats say %" PRIu64, n,
			 st->stored);
		die(msg, "");
	}
	n = query("select coalesce(sum(n), 0) from counters where run_id = ? and event = "
		  "'vm_exit'",
		  r);
	if (n != (int64_t)st->exits) {
		snprintf(msg, sizeof msg,
			 "vm_exit counters add up to %" PRId64 ", %" PRIu64 " exits", n, st->exits);
		die(msg, "");
	}
	n = query("select cycles from runs where id = ?", r);
	if (n != span) {
		snprintf(msg, sizeof msg, "run cycles %" PRId64 ", the timestamps span %" PRId64, n,
			 span);
		die(msg, "");
	}
	if (query("delete from runs where id = ?", r) != -1 ||
	    query("select count(*) from events where run_id = ?", r) != 0)
		die("could not delete the imported run: ", sqlite3_errmsg(db_sqlite(db)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The lines, NUL-terminated: a NUL byte ends a line's text as it does
	 * for on_line(), which sees getline()'s buffer as a string. */
	char *text = malloc(size + 1);
	if (!text)
		die("out of memory", "");
	memcpy(text, data, size);
	text[size] = '\0';
	uint64_t lines = 0, lo = 0, hi = 0;
	int have_ts = 0;
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(text + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : size - i;
		check_line(text + i, &have_ts, &lo, &hi);
		lines++;
		i += n + 1;
	}
	free(text);

	if (ftruncate(trace_fd, 0) || pwrite(trace_fd, data, size, 0) != (ssize_t)size)
		die("writing the trace memfd failed", "");
	struct kvm_import_stats st;
	char err[512] = "";
	if (kvm_import(db, trace_path, &st, err, sizeof err))
		die("the import failed: ", err);
	if (st.lines != lines)
		die("line count differs from getline()'s", "");
	if (st.first_bad_line > st.lines || !memchr(st.first_bad, '\0', sizeof st.first_bad) ||
	    (st.first_bad_line == 0) != (st.unknown + st.malformed == 0))
		die("first bad line out of range or not terminated", "");
	if (st.nskipped > KVM_IMPORT_NAMES || st.vcpus > 256 || st.isa > KVM_ISA_RISCV ||
	    st.stored < st.exits)
		die("stats out of range", "");
	check_run(&st, have_ts ? (int64_t)(hi - lo) : 0);
	return 0;
}
