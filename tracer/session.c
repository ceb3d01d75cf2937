/*
 * session.c - the VMM side of a traced run (session.h): rings, collector
 * process, control channel, liveness.
 *
 * Contract: see session.h.  What this file adds:
 *  - The socketpair is close-on-exec; the child dup2()s its end to fd 3
 *    (which clears close-on-exec) before exec, so the collector holds only
 *    its own end and sees EOF the moment the VMM process dies, however it
 *    dies.  The ring memfds go over the socket (SCM_RIGHTS), so a
 *    standalone collector gets them the same way.
 *  - Liveness (trace_session_alive) is a poll of the control socket with
 *    no wait, plus waitpid(WNOHANG) on a collector we started: cheap enough
 *    for the ring's wait loop (it is only asked while a ring is full).
 *  - Once gone, a session stays gone; its message is kept in s->why.
 *  - A full lossless ring asks ring_wait_alive(), which waits (on the
 *    control socket, RING_WAIT_MS at a time, checking liveness each time)
 *    until every ring has a quarter of its capacity free again.  Without
 *    this, a producer tracing faster than the collector stores would wake
 *    every 20 us step of ring.c and spin again each time a few records
 *    were freed: measured on this 2-core VM for a 20 M event run, the VMM
 *    took 4.0-4.2 s of CPU (77-95 k context switches) with 20 us steps,
 *    2.1-2.3 s (9-13 k) with this wait, the guest alone 1.0 s: CPU the
 *    collector lacks on a busy machine (BENCHMARKS.md "Tracing").  A collector that
 *    dies or reports an error still wakes it at once (EOF or a line on the
 *    socket), and a ring a quarter free holds 16 Ki records of work for
 *    the collector, so the collector never waits for the producer to wake.
 */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errmsg.h"

#define COLLECTOR_FD 3
#define RING_WAIT_MS 1
#define RING_RESUME_DIV 4   /* resume when 1/RING_RESUME_DIV of each ring is free */
#define RING_WAIT_STEPS 100 /* then give control back to ring.c's loop */

/* Reaps our collector if it has exited; wait = block until it does. */
static void reap(struct trace_session *s, bool wait)
{
	if (s->pid <= 0 || s->reaped)
		return;
	pid_t r;
	do
		r = waitpid(s->pid, &s->wstatus, wait ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == s->pid || (r < 0 && errno == ECHILD))
		s->reaped = true;
}

/* Describes how the collector ended, into s->why (if not already set). */
static void describe_exit(struct trace_session *s)
{
	if (s->why[0])
		return;
	if (s->pid > 0 && s->reaped && WIFSIGNALED(s->wstatus))
		snprintf(s->why, sizeof s->why, "the collector (pid %d) was killed by signal %d",
			 (int)s->pid, WTERMSIG(s->wstatus));
	else if (s->pid > 0 && s->reaped && WIFEXITED(s->wstatus))
		snprintf(s->why, sizeof s->why, "the collector (pid %d) exited with status %d",
			 (int)s->pid, WEXITSTATUS(s->wstatus));
	else
		snprintf(s->why, sizeof s->why, "the collector closed the control channel");
}

/* Marks the collector gone; an `error MESSAGE` line becomes the reason. */
static void mark_gone(struct trace_session *s, const char *line)
{
	s->gone = true;
	if (line && strncmp(line, "error ", 6) == 0 && !s->why[0]) {
		char copy[CTL_LINE_MAX];
		char *argv[CTL_MAX_ARGS];
		snprintf(copy, sizeof copy, "%s", line);
		if (ctl_split(copy, argv) == 2)
			snprintf(s->why, sizeof s->why, "%s", argv[1]);
	}
	/* A closed channel usually means the process is exiting: give it up to
	 * 100 ms to become reapable, so the reason says how it ended. */
	for (int i = 0; i < 50 && s->pid > 0 && !s->reaped; i++) {
		reap(s, false);
		if (!s->reaped)
			usleep(2000);
	}
	describe_exit(s);
}

int trace_session_alive(void *session)
{
	struct trace_session *s = session;
	if (s->gone)
		return 0;
	struct pollfd p = { .fd = s->ctl, .events = POLLIN | POLLRDHUP };
	if (poll(&p, 1, 0) > 0) {
		/* The collector says nothing during a run unless it fails. */
		char line[CTL_LINE_MAX];
		int r = ctl_read_line(&s->rd, line, sizeof line, 0);
		if (r != 0 || (p.revents & (POLLHUP | POLLERR | POLLRDHUP))) {
			mark_gone(s, r > 0 ? line : NULL);
			return 0;
		}
	}
	reap(s, false);
	if (s->reaped) {
		mark_gone(s, NULL);
		return 0;
	}
	return 1;
}

/* True when every ring has at least 1/RING_RESUME_DIV of its records free
 * (the producer's view: head is ours, tail the collector's). */
static bool rings_have_room(const struct trace_session *s)
{
	for (unsigned v = 0; v < s->tracer.nrings; v++) {
		const struct ring_hdr *h = s->tracer.ring[v].hdr;
		uint64_t head = atomic_load_explicit(&h->head, memory_order_relaxed);
		uint64_t tail = atomic_load_explicit(&h->tail, memory_order_acquire);
		if (h->capacity - (head - tail) < h->capacity / RING_RESUME_DIV)
			return false;
	}
	return true;
}

/* The run's time limit passed while a ring waited: the collector is alive
 * but stores nothing, and the machine cannot check its limit while the
 * producer waits, so without this a stopped or stuck collector held the
 * run for ever.  It counts as gone; trace_session_close() kills it. */
static bool wait_timed_out(struct trace_session *s)
{
	if (!s->wait_deadline_ns || ctl_now_ns() < s->wait_deadline_ns)
		return false;
	s->gone = s->timed_out = true;
	if (!s->why[0] && s->pid > 0)
		snprintf(s->why, sizeof s->why,
			 "the collector (pid %d) stored nothing while a full trace ring waited "
			 "until the run's time limit",
			 (int)s->pid);
	else if (!s->why[0])
		snprintf(s->why, sizeof s->why,
			 "the collector stored nothing while a full trace ring waited until the "
			 "run's time limit");
	return true;
}

/* consumer_alive of the rings (called while one is full): see the header
 * comment. */
static int ring_wait_alive(void *session)
{
	struct trace_session *s = session;
	for (unsigned i = 0; i < RING_WAIT_STEPS && !rings_have_room(s); i++) {
		if (!trace_session_alive(s) || wait_timed_out(s))
			return 0;
		struct pollfd p = { .fd = s->ctl, .events = POLLIN | POLLRDHUP };
		poll(&p, 1, RING_WAIT_MS);
	}
	return trace_session_alive(s);
}

/* Reports the collector gone (after a failed send or read). */
static int gone_err(struct trace_session *s, char *err, size_t errlen, const char *doing)
{
	if (!s->gone) {
		/* Give an exiting collector a moment, so the message says why. */
		for (int i = 0; i < 50 && trace_session_alive(s); i++)
			usleep(2000);
		mark_gone(s, NULL);
	}
	if (strncmp(s->why, "the collector ", 14) == 0) /* ours: say what we were doing */
		tracer_errmsg(err, errlen, "vtlab: trace collector: %s: %s", doing, s->why);
	else /* the collector's own message says it all */
		tracer_errmsg(err, errlen, "%s", s->why);
	return -1;
}

static int start_collector(struct trace_session *s, const struct trace_session_config *c, char *err,
			   size_t errlen)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		tracer_errmsg(err, errlen, "vtlab: trace collector: socketpair: %s",
			      strerror(errno));
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	pid_t pid = fork();
	if (pid < 0) {
		tracer_errmsg(err, errlen, "vtlab: trace collector: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(sv[1], COLLECTOR_FD) < 0)
			_exit(127);
		if (sv[1] == COLLECTOR_FD)
			fcntl(COLLECTOR_FD, F_SETFD, 0);
		char fdarg[16];
		snprintf(fdarg, sizeof fdarg, "%d", COLLECTOR_FD);
		char *argv[] = { (char *)c->exe, "collect", "--db", (char *)c->db_path,
				 "--control-fd", fdarg,     NULL };
		execv(c->exe, argv);
		fprintf(stderr, "vtlab: trace collector: cannot run '%s': %s\n", c->exe,
			strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	s->ctl = sv[0];
	s->pid = pid;
	return 0;
}

static int connect_collector(struct trace_session *s, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a.sun_path) {
		tracer_errmsg(err, errlen,
			      "vtlab: --collector '%s': socket path longer than %zu bytes", path,
			      sizeof a.sun_path - 1);
		return -1;
	}
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		tracer_errmsg(
			err, errlen,
			"vtlab: --collector '%s': cannot connect: %s (is `vtlab collect --listen "
			"%s` running?)",
			path, strerror(errno), path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	s->ctl = fd;
	return 0;
}

static int setup_tracer(struct trace_session *s, const struct trace_session_config *c, char *err,
			size_t errlen)
{
	if (!c->cat_mask)
		return 0;
	if (tracer_init(&s->tracer, c->nvcpus, c->ring_capacity, c->mode, c->cat_mask, err,
			errlen) != 0)
		return -1;
	memcpy(s->tracer.sample, c->sample, sizeof s->tracer.sample);
	s->tracer.filter_lo = c->filter_lo;
	s->tracer.filter_hi = c->filter_hi;
	tracer_set_consumer_alive(&s->tracer, ring_wait_alive, s);
	s->tracing = true;
	return 0;
}

/* hello, then the rings with their fds. */
static int greet(struct trace_session *s, const struct trace_session_config *c, char *err,
		 size_t errlen)
{
	char line[128];
	int fds[TRACE_MAX_VCPUS];
	unsigned n = s->tracing ? s->tracer.nrings : 0;
	for (unsigned v = 0; v < n; v++)
		fds[v] = s->tracer.ring[v].fd;
	snprintf(line, sizeof line, "rings %u %s %llu", n,
		 c->mode == RING_DROP ? "drop" : "lossless",
		 (unsigned long long)(s->tracing ? c->ring_capacity : 0));
	if (ctl_sendf(s->ctl, "hello %s %d", CTL_PROTO_NAME, CTL_PROTO_VERSION) != 0 ||
	    ctl_send_line(s->ctl, line, fds, n) != 0)
		return gone_err(s, err, errlen, "sending the rings");
	return 0;
}

int trace_session_open(struct trace_session *s, const struct trace_session_config *c, char *err,
		       size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->ctl = -1;
	for (unsigned v = 0; v < TRACE_MAX_VCPUS; v++)
		s->tracer.ring[v].fd = -1;
	if (setup_tracer(s, c, err, errlen) != 0)
		return -1;
	int r = c->socket_path ? connect_collector(s, c->socket_path, err, errlen)
			       : start_collector(s, c, err, errlen);
	if (r != 0) {
		trace_session_close(s);
		return -1;
	}
	ctl_reader_init(&s->rd, s->ctl);
	return greet(s, c, err, errlen);
}

int trace_session_send(struct trace_session *s, char *err, size_t errlen, const char *verb,
		       unsigned n, const char *const *args)
{
	char line[CTL_LINE_MAX], esc[CTL_LINE_MAX];
	size_t used = (size_t)snprintf(line, sizeof line, "%s", verb);
	for (unsigned i = 0; i < n && used < sizeof line; i++) {
		if (!ctl_escape(args[i], esc, sizeof esc)) {
			used = sizeof line;
			break;
		}
		used += (size_t)snprintf(line + used, sizeof line - used, " %s", esc);
	}
	if (used >= sizeof line) {
		tracer_errmsg(err, errlen,
			      "vtlab: trace collector: '%s %s' line too long (over %d bytes)", verb,
			      n ? args[0] : "", CTL_LINE_MAX);
		return -1;
	}
	if (s->gone || ctl_send_line(s->ctl, line, NULL, 0) != 0)
		return gone_err(s, err, errlen, "sending the run");
	return 0;
}

/* Waits for the answer to start/end: "ok ..."/"done ..." or "error MSG". */
static int await_reply(struct trace_session *s, const char *want, char **argv, char *line,
		       char *err, size_t errlen)
{
	int r = ctl_read_line(&s->rd, line, CTL_LINE_MAX, -1);
	if (r <= 0)
		return gone_err(s, err, errlen, "waiting for its answer");
	char copy[CTL_LINE_MAX];
	snprintf(copy, sizeof copy, "%s", line);
	int n = ctl_split(line, argv);
	if (n >= 1 && strcmp(argv[0], want) == 0)
		return n;
	mark_gone(s, copy);
	if (n == 2 && strcmp(argv[0], "error") == 0)
		tracer_errmsg(err, errlen, "%s", argv[1]);
	else
		tracer_errmsg(err, errlen, "vtlab: trace collector: expected '%s', got '%.200s'",
			      want, copy);
	return -1;
}

int trace_session_start(struct trace_session *s, char *err, size_t errlen)
{
	char line[CTL_LINE_MAX];
	char *argv[CTL_MAX_ARGS];
	if (s->gone || ctl_sendf(s->ctl, "start") != 0)
		return gone_err(s, err, errlen, "starting the run");
	int n = await_reply(s, "ok", argv, line, err, errlen);
	if (n < 0)
		return -1;
	long long id = n == 2 ? strtoll(argv[1], NULL, 10) : 0;
	if (id <= 0) {
		tracer_errmsg(err, errlen, "vtlab: trace collector: 'ok' without a run id");
		return -1;
	}
	s->run_id = id;
	return 0;
}

struct tracer *trace_session_tracer(struct trace_session *s)
{
	return s->tracing ? &s->tracer : NULL;
}

int trace_session_end(struct trace_session *s, char *err, size_t errlen)
{
	char line[CTL_LINE_MAX];
	char *argv[CTL_MAX_ARGS];
	if (s->tracing)
		tracer_finish(&s->tracer);
	if (s->gone || ctl_sendf(s->ctl, "end") != 0)
		return gone_err(s, err, errlen, "ending the run");
	int n = await_reply(s, "done", argv, line, err, errlen);
	if (n < 0)
		return -1;
	if (n != 4) {
		tracer_errmsg(err, errlen,
			      "vtlab: trace collector: 'done' expects RUN EVENTS LOST");
		return -1;
	}
	s->events = strtoull(argv[2], NULL, 10);
	s->lost = strtoull(argv[3], NULL, 10);
	s->ended = true;
	return 0;
}

void trace_session_close(struct trace_session *s)
{
	if (s->ctl >= 0)
		close(s->ctl);
	s->ctl = -1;
	if (s->timed_out && s->pid > 0 && !s->reaped)
		kill(s->pid, SIGKILL); /* stopped or stuck: EOF would not end it */
	reap(s, true);                 /* EOF makes a live collector finish and exit */
	if (s->tracing)
		tracer_destroy(&s->tracer);
	s->tracing = false;
}
