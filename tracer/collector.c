/*
 * collector.c - serves one VMM: control lines, ring draining, batched
 * event storage, the end of the run (collector.h).
 *
 * Contract: see collector.h.  The phases of one connection:
 *   setup    hello, rings (attached and checked: ring i must be vCPU i,
 *            with the mode and capacity the line names),
 *            meta/param/cost/reason lines, until `start` creates the run;
 *   running  drain the rings round-robin into a batch; commit it when full
 *            or COLLECTOR_FLUSH_MS after its first record; read control
 *            lines without waiting (results and counters are kept for the
 *            end; metadata lines are refused, the run being stored
 *            already); sleep up to 1 ms on the control socket only when
 *            every ring was empty;
 *   end      check that every ring's producer_done flag is set (the VMM
 *            finishes its rings before it sends `end`, so every record is
 *            published by then), drain each ring until it is empty, commit,
 *            then losses + counters + results + status in one transaction.
 *            A ring not finished at `end` is refused, not waited for: a
 *            VMM that never set the flag made the collector wait for ever
 *            (found by tracer/tests/fuzz/fuzz_collect.c).
 * Bad input during the run (refuse_run) ends it like a VMM gone, keeping
 * every record, but with an error.  The collector trusts nothing in the
 * rings beyond what ring.c validates: records are stored as they are (the
 * database keeps numbers, never follows them), and a ring trace_ring_pop()
 * finds corrupt ends the run.  With VTLAB_COLLECT_STATS=1 in its
 * environment it prints its own wall and CPU time per run on stderr
 * (print_perf), how the collector's throughput is measured apart from the
 * VMM's (BENCHMARKS.md "Tracing").
 */
#include "collector.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "collector_proto.h"
#include "collector_run.h"
#include "db.h"
#include "ring.h"
#include "trace.h"

#define IDLE_WAIT_MS 1
/* A batch slower than this may have made a full ring wait (see run_loop). */
#define SLOW_COMMIT_MS 20

static volatile sig_atomic_t stop_flag;

void collector_request_stop(void)
{
	stop_flag = 1;
}

bool collector_stop_requested(void)
{
	return stop_flag != 0;
}

/* What VTLAB_COLLECT_STATS prints (print_perf). */
struct perf {
	bool on;
	uint64_t start_ns; /* the run created */
	struct rusage start_ru;
	uint64_t max_commit_ns; /* slowest batch (insert + commit) */
	uint64_t slow_commits;  /* batches that took over SLOW_COMMIT_MS */
};

struct collector {
	struct db *db;
	int fd;
	struct ctl_reader rd;
	struct trace_ring ring[TRACE_MAX_VCPUS];
	unsigned nrings;
	int bad_ring; /* 1 + the first ring found corrupt (drain_once), or 0 */
	bool greeted, have_rings;
	struct run_info ri;
	int64_t run_id;
	struct trace_record *batch;
	size_t nbatch;
	uint64_t batch_since_ms;
	struct collector_stats *st;
	char *err;
	size_t errlen;
	struct perf perf;
};

static void set_err(struct collector *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(struct collector *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	return ctl_now_ns() / 1000000u;
}

static double tv_s(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec * 1e-6;
}

/* VTLAB_COLLECT_STATS=1 in the environment: one line on stderr at the end
 * of each run with the collector's own wall and CPU time (this process,
 * every thread, from the run's creation to its last commit), so its
 * throughput can be measured apart from the VMM's on a busy machine. */
static void perf_start(struct perf *p)
{
	const char *e = getenv("VTLAB_COLLECT_STATS");
	p->on = e && *e && strcmp(e, "0") != 0;
	p->start_ns = ctl_now_ns();
	getrusage(RUSAGE_SELF, &p->start_ru);
}

static void print_perf(const struct collector *c)
{
	const struct perf *p = &c->perf;
	struct rusage ru;
	if (!p->on || !c->run_id)
		return;
	getrusage(RUSAGE_SELF, &ru);
	double wall = (double)(ctl_now_ns() - p->start_ns) * 1e-9;
	double user = tv_s(ru.ru_utime) - tv_s(p->start_ru.ru_utime);
	double sys = tv_s(ru.ru_stime) - tv_s(p->start_ru.ru_stime);
	double ev = (double)c->st->events;
	fprintf(stderr,
		"vtlab collect: stats: run %" PRId64 ": %" PRIu64 " events, %" PRIu64
		" lost, %" PRIu64 " batches; wall %.3f s, CPU %.3f s (user %.3f, sys %.3f); "
		"%.3f M events/s wall, %.3f M events/s CPU; slowest batch %.1f ms, %" PRIu64
		" over %d ms\n",
		c->run_id, c->st->events, c->st->lost, c->st->batches, wall, user + sys, user, sys,
		wall > 0 ? ev / wall * 1e-6 : 0.0, user + sys > 0 ? ev / (user + sys) * 1e-6 : 0.0,
		(double)p->max_commit_ns * 1e-6, p->slow_commits, SLOW_COMMIT_MS);
}

void collector_tell_error(int fd, const char *message)
{
	char esc[CTL_LINE_MAX / 2];
	if (ctl_escape(message, esc, sizeof esc))
		ctl_sendf(fd, "error %s", esc);
	else
		ctl_sendf(fd, "error vtlab%%20collect:%%20error%%20message%%20too%%20long");
}

/* Tells the VMM why we stop (best effort: it may be gone already). */
static void tell_error(struct collector *c)
{
	collector_tell_error(c->fd, c->err);
}

static int db_failed(struct collector *c)
{
	set_err(c, "%s", db_errmsg(c->db));
	db_tx_rollback(c->db);
	return -1;
}

/* A line ctl_split refused, or an empty one. */
static int malformed(struct collector *c)
{
	set_err(c,
		"vtlab collect: control channel: malformed line (empty, a bad %%-escape or over "
		"%d words)",
		CTL_MAX_ARGS);
	return -1;
}

/* The verb is quoted in its wire form: the message stays one printable
 * line whatever bytes the VMM sent (found by fuzz_collect.c). */
static void unknown_verb(struct collector *c, const char *verb, const char *when)
{
	char q[CTL_QUOTE_MAX];
	set_err(c, "vtlab collect: control line '%s': unknown %s", ctl_quote(verb, q, sizeof q),
		when);
}

/* ---------------------------------------------------------------- setup */

static int hello_line(struct collector *c, int argc, char **argv)
{
	uint64_t v;
	if (argc == 3 && strcmp(argv[1], CTL_PROTO_NAME) == 0 &&
	    ctl_parse_u64(argv[2], UINT64_MAX, &v) && v == CTL_PROTO_VERSION) {
		c->greeted = true;
		return 0;
	}
	/* Both words quoted: the VMM's bytes, shown in their wire form. */
	char qn[CTL_QUOTE_MAX], qv[CTL_QUOTE_MAX];
	set_err(c,
		"vtlab collect: control line 'hello %s %s': expected 'hello %s %d' (same vtlab "
		"version on both sides; the version a plain decimal number)",
		argc > 1 ? ctl_quote(argv[1], qn, sizeof qn) : "",
		argc > 2 ? ctl_quote(argv[2], qv, sizeof qv) : "", CTL_PROTO_NAME,
		CTL_PROTO_VERSION);
	return -1;
}

static const char *mode_name(uint32_t mode)
{
	return mode == RING_DROP ? "drop" : "lossless";
}

/* The words of `rings N MODE CAPACITY`, as session.c's greet() writes them:
 * N the fds that came with the line, MODE lossless or drop, CAPACITY the
 * records per ring, 0 when there are none.  Sets *mode and *cap. */
static int rings_words(struct collector *c, int argc, char **argv, unsigned got, uint32_t *mode,
		       uint64_t *cap)
{
	uint64_t n;
	char q[CTL_QUOTE_MAX];
	if (c->have_rings || argc != 4 || !ctl_parse_u64(argv[1], TRACE_MAX_VCPUS, &n) ||
	    n != got) {
		set_err(c,
			"vtlab collect: control line 'rings': expected 'rings N MODE CAPACITY' once, "
			"N from 0 to %d with N ring fds attached (got %u fds)",
			TRACE_MAX_VCPUS, got);
		return -1;
	}
	if (strcmp(argv[2], "lossless") && strcmp(argv[2], "drop")) {
		set_err(c,
			"vtlab collect: control line 'rings': mode '%s': expected lossless or drop",
			ctl_quote(argv[2], q, sizeof q));
		return -1;
	}
	*mode = strcmp(argv[2], "drop") == 0 ? RING_DROP : RING_LOSSLESS;
	if (!ctl_parse_u64(argv[3], UINT64_MAX, cap) || (n == 0) != (*cap == 0)) {
		set_err(c,
			"vtlab collect: control line 'rings': capacity '%s': expected the records "
			"per ring, or 0 with no rings",
			ctl_quote(argv[3], q, sizeof q));
		return -1;
	}
	return 0;
}

/* Attaches fd as ring i, which must be vCPU i's with the mode and capacity
 * the `rings` line announced: the line is the VMM's word for what its
 * headers say, and a disagreement means one of them cannot be trusted.
 * Takes fd in every case. */
static int attach_ring(struct collector *c, unsigned i, int fd, uint32_t mode, uint64_t cap)
{
	char why[256];
	if (trace_ring_attach(&c->ring[i], fd, why, sizeof why) != 0) {
		set_err(c, "vtlab collect: ring of vCPU %u: %s", i, why);
		close(fd);
		return -1;
	}
	const struct ring_hdr *h = c->ring[i].hdr;
	if (h->vcpu != i)
		set_err(c, "vtlab collect: ring %u: header says vCPU %u, expected %u", i, h->vcpu,
			i);
	else if (h->mode != mode)
		set_err(c,
			"vtlab collect: control line 'rings': mode '%s': the header of the ring of "
			"vCPU %u says %s",
			mode_name(mode), i, mode_name(h->mode));
	else if (h->capacity != cap)
		set_err(c,
			"vtlab collect: control line 'rings': capacity '%" PRIu64
			"': the header of the ring of vCPU %u says %" PRIu64,
			cap, i, h->capacity);
	else {
		c->nrings = i + 1;
		return 0;
	}
	trace_ring_unmap(&c->ring[i]); /* closes fd too */
	return -1;
}

/* rings N MODE CAPACITY, with N fds. */
static int rings_line(struct collector *c, int argc, char **argv)
{
	int fds[CTL_MAX_FDS];
	unsigned got = ctl_take_fds(&c->rd, fds, CTL_MAX_FDS);
	uint32_t mode = RING_LOSSLESS;
	uint64_t cap = 0;
	int rc = rings_words(c, argc, argv, got, &mode, &cap);
	for (unsigned i = 0; i < got; i++) {
		if (rc == 0)
			rc = attach_ring(c, i, fds[i], mode, cap);
		else
			close(fds[i]);
	}
	c->have_rings = rc == 0;
	return rc;
}

static int start_run(struct collector *c)
{
	if (!c->greeted || !c->have_rings) {
		set_err(c, "vtlab collect: control line 'start' before 'hello' and 'rings'");
		return -1;
	}
	if (db_tx_begin(c->db) || run_info_begin(c->db, &c->ri, &c->run_id) || db_tx_commit(c->db))
		return db_failed(c);
	c->st->run_id = c->run_id;
	perf_start(&c->perf);
	/* If the VMM is gone already, the run loop sees EOF. */
	ctl_sendf(c->fd, "ok %" PRId64, c->run_id);
	return 0;
}

/* One setup line.  Returns 0 to go on, 1 once the run started, -1 on error. */
static int setup_line(struct collector *c, char *line)
{
	char *argv[CTL_MAX_ARGS];
	int argc = ctl_split(line, argv);
	if (argc < 1)
		return malformed(c);
	if (strcmp(argv[0], "hello") == 0)
		return hello_line(c, argc, argv);
	if (strcmp(argv[0], "rings") == 0)
		return rings_line(c, argc, argv);
	if (strcmp(argv[0], "start") == 0) {
		int r = start_run(c);
		return r < 0 ? -1 : 1;
	}
	int r = run_info_line(&c->ri, argc, argv, c->err, c->errlen);
	if (r == 0)
		unknown_verb(c, argv[0], "before 'start'");
	return r > 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- events */

static int flush_batch(struct collector *c)
{
	if (!c->nbatch)
		return 0;
	uint64_t t0 = ctl_now_ns();
	if (db_tx_begin(c->db) || db_events_insert(c->db, c->run_id, c->batch, c->nbatch) ||
	    db_tx_commit(c->db))
		return db_failed(c);
	uint64_t dt = ctl_now_ns() - t0;
	if (dt > c->perf.max_commit_ns)
		c->perf.max_commit_ns = dt;
	if (dt > SLOW_COMMIT_MS * UINT64_C(1000000))
		c->perf.slow_commits++;
	c->st->events += c->nbatch;
	c->st->batches++;
	c->nbatch = 0;
	return 0;
}

/* Pops from every ring into the batch, committing full batches.  Returns
 * records popped, or -1 on a database error; *more is set when a ring may
 * hold more (it filled the batch), i.e. when draining again at once pays.
 * A ring that trace_ring_pop() finds corrupt gives nothing more; the first
 * one is noted in c->bad_ring, and the callers end the run.  left, when
 * not NULL, bounds what each ring v may still give (left[v], counted
 * down). */
static long drain_once(struct collector *c, uint64_t *left, bool *more)
{
	long total = 0;
	*more = false;
	for (unsigned v = 0; v < c->nrings; v++) {
		size_t room = COLLECTOR_BATCH - c->nbatch;
		if (left && left[v] < room)
			room = (size_t)left[v];
		size_t n = trace_ring_pop(&c->ring[v], c->batch + c->nbatch, room);
		if (left)
			left[v] -= n;
		if (c->ring[v].corrupt && !c->bad_ring)
			c->bad_ring = (int)v + 1;
		if (n && !c->nbatch)
			c->batch_since_ms = now_ms();
		c->nbatch += n;
		total += (long)n;
		if (n == room)
			*more = true;
		if (c->nbatch == COLLECTOR_BATCH && flush_batch(c))
			return -1;
	}
	if (c->nbatch && now_ms() - c->batch_since_ms >= COLLECTOR_FLUSH_MS && flush_batch(c))
		return -1;
	return total;
}

/* The message for c->bad_ring, a header no producer writes (ring.h). */
static void bad_ring_err(struct collector *c)
{
	unsigned v = (unsigned)c->bad_ring - 1;
	const struct ring_hdr *h = c->ring[v].hdr;
	set_err(c,
		"vtlab collect: ring of vCPU %u: corrupt header (head %" PRIu64 ", tail %" PRIu64
		": more records than the ring holds, or tail past head)",
		v, atomic_load_explicit(&h->head, memory_order_relaxed),
		atomic_load_explicit(&h->tail, memory_order_relaxed));
}

/* The first ring whose producer has not marked it finished, or -1.  The
 * acquire pairs with trace_ring_finish()'s release: every record the
 * producer published before is visible once the flag is. */
static int unfinished_ring(struct collector *c)
{
	for (unsigned v = 0; v < c->nrings; v++) {
		struct ring_hdr *h = c->ring[v].hdr;
		if (!atomic_load_explicit(&h->producer_done, memory_order_acquire))
			return (int)v;
	}
	return -1;
}

/* Drains what the rings hold and commits it.  Nothing is waited for: at
 * `end` every producer has finished (unfinished_ring), and a VMM that is
 * gone writes no more.  Only the records published when it starts are
 * taken: a VMM still tracing when the collector is stopped (SIGTERM) or
 * refuses its input would otherwise keep this loop going for as long as
 * it outruns the database, which in drop mode is for ever.  A head - tail
 * above the capacity is left to trace_ring_pop(), which marks the ring
 * corrupt. */
static int drain_all(struct collector *c)
{
	bool more;
	long n;
	uint64_t left[TRACE_MAX_VCPUS];
	for (unsigned v = 0; v < c->nrings; v++) {
		const struct ring_hdr *h = c->ring[v].hdr;
		left[v] = atomic_load_explicit(&h->head, memory_order_acquire) -
			  atomic_load_explicit(&h->tail, memory_order_relaxed);
	}
	while ((n = drain_once(c, left, &more)) > 0)
		;
	return n < 0 ? -1 : flush_batch(c);
}

static uint64_t store_losses(struct collector *c, int *rc)
{
	uint64_t lost = 0;
	*rc = 0;
	for (unsigned v = 0; v < c->nrings && *rc == 0; v++) {
		struct ring_hdr *h = c->ring[v].hdr;
		uint64_t n = atomic_load_explicit(&h->lost, memory_order_acquire);
		if (!n)
			continue;
		uint64_t first = atomic_load_explicit(&h->lost_first_cycles, memory_order_relaxed);
		uint64_t last = atomic_load_explicit(&h->lost_last_cycles, memory_order_relaxed);
		if (db_loss_add(c->db, c->run_id, v, n, first, last))
			*rc = -1;
		lost += n;
	}
	return lost;
}

/* Everything after the last event: losses, counters, results, status.
 * `gone` NULL: the run ended with `end`; else it is stored as incomplete
 * with `gone` as its exit_reason, which nothing else would give it (the
 * VMM that would have sent one is gone, or its input was refused). */
static int finish_run(struct collector *c, const char *gone)
{
	int rc;
	if (db_tx_begin(c->db))
		return db_failed(c);
	c->st->lost = store_losses(c, &rc);
	if (rc || run_info_finish(c->db, &c->ri, c->run_id, gone != NULL) ||
	    (gone && db_run_default_reason(c->db, c->run_id, gone)) || db_tx_commit(c->db))
		return db_failed(c);
	return 0;
}

/* ---------------------------------------------------------------- running */

/* One control line during the run.  Returns 0, 1 at `end`, -1 on error. */
static int run_line(struct collector *c, char *line)
{
	char *argv[CTL_MAX_ARGS];
	int argc = ctl_split(line, argv);
	if (argc < 1)
		return malformed(c);
	if (strcmp(argv[0], "end") == 0)
		return 1;
	/* The run was stored with its metadata at `start`: such a line taken
	 * now would vanish without a word. */
	if (strcmp(argv[0], "meta") == 0 || strcmp(argv[0], "param") == 0 ||
	    strcmp(argv[0], "cost") == 0 || strcmp(argv[0], "reason") == 0) {
		set_err(c, "vtlab collect: control line '%s': only before 'start'", argv[0]);
		return -1;
	}
	int r = run_info_line(&c->ri, argc, argv, c->err, c->errlen);
	if (r == 0)
		unknown_verb(c, argv[0], "during a run");
	return r > 0 ? 0 : -1;
}

/* Returns 1 at `end`, 0 when the VMM is gone (or stop), -1 on a database
 * error, -2 on bad input (a control line or a corrupt ring; message in
 * c->err).  Waits (on the control socket, up to IDLE_WAIT_MS) whenever the
 * rings were emptied: popping again at once would only find the few
 * records written meanwhile and spin a core the VMM needs.  A ring fills
 * in far more than IDLE_WAIT_MS (65536 records at 3 M records/s: 21 ms),
 * so the producer does not wait for it. */
static int run_loop(struct collector *c)
{
	char line[CTL_LINE_MAX];
	for (;;) {
		bool more;
		long n = drain_once(c, NULL, &more);
		if (n < 0)
			return -1;
		if (c->bad_ring) {
			bad_ring_err(c);
			return -2;
		}
		if (collector_stop_requested())
			return 0;
		int r = ctl_read_line(&c->rd, line, sizeof line, more ? 0 : IDLE_WAIT_MS);
		if (r < 0)
			return 0;
		if (r > 0) {
			int l = run_line(c, line);
			if (l != 0)
				return l < 0 ? -2 : 1;
		}
	}
}

/* The run cannot go on because of bad input (c->err says why: a control
 * line, a ring not finished at `end`, a corrupt ring).  Bad input loses
 * nothing: what was popped and what the rings still hold are committed,
 * the run is stored as incomplete, and the message says so (a database
 * error on the way replaces it). */
static enum collect_result refuse_run(struct collector *c)
{
	char why[CTL_LINE_MAX / 2];
	snprintf(why, sizeof why, "%s", c->err);
	if (drain_all(c) || finish_run(c, why))
		return COLLECT_ERROR;
	set_err(c, "%s; run %" PRId64 " stored as incomplete (%" PRIu64 " events kept)", why,
		c->run_id, c->st->events);
	return COLLECT_ERROR;
}

/* The last drain of a run, at `end` or with the VMM gone: what the rings
 * hold, committed.  Returns true, *ended set, when the run ends here
 * instead: a database error, or a ring found corrupt on the way (the run
 * refused as bad input, keeping its records). */
static bool drain_to_end(struct collector *c, enum collect_result *ended)
{
	if (drain_all(c)) {
		*ended = COLLECT_ERROR;
		return true;
	}
	if (!c->bad_ring)
		return false;
	bad_ring_err(c);
	*ended = refuse_run(c);
	return true;
}

/* The VMM went away (or we were told to stop): keep what there is. */
static enum collect_result vmm_gone(struct collector *c, const char *why)
{
	enum collect_result ended;
	char reason[160];
	if (drain_to_end(c, &ended))
		return ended;
	snprintf(reason, sizeof reason, "vtlab collect: %s before the end of the run", why);
	if (finish_run(c, reason))
		return COLLECT_ERROR;
	set_err(c,
		"vtlab collect: %s: run %" PRId64 " stored as incomplete (%" PRIu64 " events kept)",
		why, c->run_id, c->st->events);
	return COLLECT_VMM_GONE;
}

static enum collect_result serve(struct collector *c)
{
	char line[CTL_LINE_MAX];
	for (;;) {
		int r = ctl_read_line(&c->rd, line, sizeof line, IDLE_WAIT_MS * 100);
		if (collector_stop_requested() || r < 0) {
			/* The stop is this process's own signal (collector_request_stop). */
			set_err(c, "vtlab collect: %s before starting a run",
				r < 0 ? "the VMM closed the control channel"
				      : "the collector was stopped by a signal");
			return COLLECT_VMM_GONE;
		}
		if (r == 0)
			continue;
		r = setup_line(c, line);
		if (r < 0)
			return COLLECT_ERROR;
		if (r > 0)
			break;
	}
	int r = run_loop(c);
	if (r == -1)
		return COLLECT_ERROR;
	if (r == -2)
		return refuse_run(c);
	if (r == 0)
		return vmm_gone(c, collector_stop_requested()
					   ? "the collector was stopped by a signal"
					   : "the VMM closed the control channel");
	int v = unfinished_ring(c);
	if (v >= 0) {
		set_err(c,
			"vtlab collect: control line 'end': the ring of vCPU %d is not finished "
			"(producer_done not set)",
			v);
		return refuse_run(c);
	}
	enum collect_result ended;
	if (drain_to_end(c, &ended))
		return ended;
	if (finish_run(c, NULL))
		return COLLECT_ERROR;
	ctl_sendf(c->fd, "done %" PRId64 " %" PRIu64 " %" PRIu64, c->run_id, c->st->events,
		  c->st->lost);
	return COLLECT_STORED;
}

enum collect_result collector_serve(struct db *db, int fd, struct collector_stats *st, char *err,
				    size_t errlen)
{
	struct collector c = { .db = db, .fd = fd, .st = st, .err = err, .errlen = errlen };
	memset(st, 0, sizeof *st);
	err[0] = '\0';
	ctl_reader_init(&c.rd, fd);
	run_info_init(&c.ri);
	for (unsigned v = 0; v < TRACE_MAX_VCPUS; v++)
		c.ring[v].fd = -1;
	c.batch = malloc(COLLECTOR_BATCH * sizeof *c.batch);
	enum collect_result res;
	if (!c.batch) {
		set_err(&c, "vtlab collect: out of memory for a batch of %d records",
			COLLECTOR_BATCH);
		res = COLLECT_ERROR;
	} else {
		res = serve(&c);
		print_perf(&c);
	}
	if (res == COLLECT_ERROR) {
		tell_error(&c);
		/* Keep what was committed; the run must not stay 'running', and
		 * says why (a full disk, a corrupt ring) rather than blame the VMM. */
		if (c.run_id && db_run_mark_incomplete(db, c.run_id, err[0] ? err : NULL) == 0)
			st->run_id = c.run_id;
	}
	free(c.batch);
	for (unsigned v = 0; v < c.nrings; v++)
		trace_ring_unmap(&c.ring[v]);
	ctl_reader_close_fds(&c.rd);
	run_info_free(&c.ri);
	return res;
}
