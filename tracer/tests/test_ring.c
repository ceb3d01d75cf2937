/*
 * test_ring.c - unit test of the memfd SPSC ring (tracer/ring.c).
 *
 * Checks creation (capacity validation, header, fd inheritable across exec),
 * wrap-around and in-order pops, drop mode's exact loss counts and cycle
 * window, lossless back-pressure with a consumer thread and with a consumer
 * process that attaches after fork+exec (the fd survives exec), a consumer
 * that dies (push returns -1, no hang), attach validation (wrong magic,
 * non-power-of-two capacity, truncated, longer or unsealed memfd, a header
 * only, a capacity whose size wraps to the header's, a pipe, a regular
 * file holding a valid ring), and that a corrupt head or tail cannot make
 * pop read past the mapping or pop for ever.
 *
 * `test_ring consume FD N` is the child side of the exec test: attaches to
 * FD, pops until the producer is done, checks N records with seq 0..N-1 in
 * order, exits 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ring.h"

#define HDR_BYTES 4096 /* ring.c's header page */

static struct trace_record make_rec(uint64_t i)
{
	struct trace_record r = {
		.cycles = 1000 + i,
		.type = (uint16_t)(i % 21),
		.vcpu = 1,
		.level = 1,
		.reason = (uint32_t)(i * 7),
		.addr0 = i << 12,
		.addr1 = ~i,
		.aux = i * i,
		.seq = i,
	};
	return r;
}

static int push_rec(struct trace_ring *r, uint64_t i)
{
	struct trace_record rec = make_rec(i);
	return trace_ring_push(r, &rec);
}

static int rec_is(const struct trace_record *r, uint64_t i)
{
	struct trace_record want = make_rec(i);
	return memcmp(r, &want, sizeof want) == 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- create */

static void test_create(void)
{
	struct trace_ring r;
	char err[256] = "";
	uint64_t bad[] = { 0, 3, 6, 1000, (UINT64_C(1) << 33) };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int rc = trace_ring_create(&r, 2, bad[i], RING_LOSSLESS, err, sizeof err);
		CHECK(rc == -1 && strstr(err, "ring 2: capacity") && strstr(err, "power of two"),
		      "capacity %llu: rc %d, '%s'", (unsigned long long)bad[i], rc, err);
	}
	CHECK(trace_ring_create(&r, 0, 4, (enum ring_mode)7, err, sizeof err) == -1 &&
		      strstr(err, "mode 7"),
	      "bad mode: '%s'", err);

	int rc = trace_ring_create(&r, 3, 16, RING_DROP, err, sizeof err);
	CHECK(rc == 0, "create: %s", err);
	if (rc)
		return;
	CHECK(r.hdr->magic == RING_MAGIC && r.hdr->capacity == 16 && r.hdr->vcpu == 3 &&
		      r.hdr->mode == RING_DROP && r.hdr->head == 0 && r.hdr->tail == 0 &&
		      r.hdr->lost == 0 && r.hdr->producer_done == 0,
	      "header");
	CHECK(r.map_size == HDR_BYTES + 16 * sizeof(struct trace_record), "map size %zu",
	      r.map_size);
	CHECK(r.fd >= 0 && !(fcntl(r.fd, F_GETFD) & FD_CLOEXEC), "fd %d inheritable across exec",
	      r.fd);
	CHECK(ftruncate(r.fd, 100) != 0, "sealed memfd cannot shrink");
	CHECK(ftruncate(r.fd, (off_t)r.map_size + 4096) != 0, "sealed memfd cannot grow");
	CHECK((fcntl(r.fd, F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) ==
		      (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
	      "seals 0x%x", fcntl(r.fd, F_GET_SEALS));
	char link[64], target[128] = "";
	snprintf(link, sizeof link, "/proc/self/fd/%d", r.fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	CHECK(n > 0 && strstr(target, "memfd:vtlab-ring-3"), "memfd name '%s'", target);
	trace_ring_finish(&r);
	CHECK(r.hdr->producer_done == 1, "finish sets producer_done");
	trace_ring_unmap(&r);
	CHECK(r.hdr == NULL && r.fd == -1, "unmap clears the ring");
}

/* ---------------------------------------------------------------- wrap-around */

static void test_wrap(void)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 0, 8, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	struct trace_record out[16];
	uint64_t next_in = 0, next_out = 0;
	int ok = 1;
	/* Irregular batch sizes so head and tail cross the end at every offset. */
	for (unsigned round = 0; round < 200; round++) {
		unsigned in = 1 + (round * 5) % 8, want = 1 + (round * 3) % 10;
		uint64_t free_slots = 8 - (next_in - next_out);
		for (unsigned i = 0; i < in && i < free_slots; i++, next_in++)
			ok &= push_rec(&r, next_in) == 0;
		size_t got = trace_ring_pop(&r, out, want);
		uint64_t avail = next_in - next_out;
		ok &= got == (avail < want ? avail : want);
		for (size_t i = 0; i < got; i++)
			ok &= rec_is(&out[i], next_out + i);
		next_out += got;
	}
	CHECK(ok && next_out > 300, "in order across wrap-around (%llu records)",
	      (unsigned long long)next_out);
	trace_ring_unmap(&r);
}

/* Same through push only (no writes behind the ring's back). */
static void test_wrap_push(void)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 0, 8, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	struct trace_record out[8];
	for (uint64_t i = 0; i < 5; i++)
		push_rec(&r, i);
	CHECK(trace_ring_pop(&r, out, 8) == 5 && rec_is(&out[4], 4), "first five");
	int ok = 1;
	for (uint64_t i = 5; i < 13; i++) /* exactly full: slots 5,6,7,0,...,4 */
		ok &= push_rec(&r, i) == 0;
	CHECK(ok && r.hdr->head - r.hdr->tail == 8, "ring full, head %llu",
	      (unsigned long long)r.hdr->head);
	size_t a = trace_ring_pop(&r, out, 3);
	size_t b = trace_ring_pop(&r, out + 3, 8);
	ok = a == 3 && b == 5;
	for (unsigned i = 0; i < 8; i++)
		ok &= rec_is(&out[i], 5 + i);
	CHECK(ok, "wrapped pop in order (%zu + %zu)", a, b);
	CHECK(trace_ring_pop(&r, out, 8) == 0, "empty");
	trace_ring_unmap(&r);
}

/* ---------------------------------------------------------------- drop mode */

static void test_drop(void)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 1, 4, RING_DROP, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	int ok = 1;
	for (uint64_t i = 0; i < 10; i++)
		ok &= push_rec(&r, i) == 0;
	CHECK(ok, "drop-mode push never fails");
	CHECK(r.hdr->lost == 6 && r.hdr->lost_first_cycles == 1004 &&
		      r.hdr->lost_last_cycles == 1009,
	      "6 lost in [1004, 1009]: %llu in [%llu, %llu]", (unsigned long long)r.hdr->lost,
	      (unsigned long long)r.hdr->lost_first_cycles,
	      (unsigned long long)r.hdr->lost_last_cycles);
	struct trace_record out[8];
	size_t n = trace_ring_pop(&r, out, 8);
	CHECK(n == 4 && rec_is(&out[0], 0) && rec_is(&out[3], 3), "the first 4 kept, %zu", n);
	for (uint64_t i = 10; i < 16; i++)
		push_rec(&r, i);
	CHECK(r.hdr->lost == 8 && r.hdr->lost_first_cycles == 1004 &&
		      r.hdr->lost_last_cycles == 1015,
	      "8 lost in [1004, 1015]: %llu, last %llu", (unsigned long long)r.hdr->lost,
	      (unsigned long long)r.hdr->lost_last_cycles);
	n = trace_ring_pop(&r, out, 8);
	CHECK(n == 4 && rec_is(&out[0], 10) && rec_is(&out[3], 13), "then 10..13, %zu", n);
	CHECK(r.waits == 0, "drop mode never waits");
	trace_ring_unmap(&r);
}

/* ---------------------------------------------------------------- lossless, thread */

#define THREAD_RECORDS 20000

struct drain_arg {
	struct trace_ring *r;
	uint64_t got;
	int in_order;
};

static void *drain_thread(void *p)
{
	struct drain_arg *a = p;
	struct trace_record buf[3];
	const struct timespec pause = { 0, 200000 };
	for (unsigned polls = 0; a->got < THREAD_RECORDS; polls++) {
		if (polls % 512 == 0)
			nanosleep(&pause, NULL); /* slow consumer: the producer must wait */
		size_t n = trace_ring_pop(a->r, buf, 3);
		for (size_t i = 0; i < n; i++)
			a->in_order &= rec_is(&buf[i], a->got + i);
		a->got += n;
	}
	return NULL;
}

static void test_lossless_thread(void)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 0, 4, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	struct drain_arg a = { &r, 0, 1 };
	pthread_t th;
	pthread_create(&th, NULL, drain_thread, &a);
	int ok = 1;
	for (uint64_t i = 0; i < THREAD_RECORDS; i++)
		ok &= push_rec(&r, i) == 0;
	pthread_join(th, NULL);
	CHECK(ok && a.got == THREAD_RECORDS && a.in_order, "all %d records in order (%llu)",
	      THREAD_RECORDS, (unsigned long long)a.got);
	CHECK(r.waits > 0 && r.hdr->lost == 0, "producer waited %llu times, nothing lost",
	      (unsigned long long)r.waits);
	trace_ring_unmap(&r);
}

/* ---------------------------------------------------------------- lossless, process */

static pid_t consumer_pid;

/* consumer_alive for a child process: not yet reaped and not exited. */
static int child_alive(void *ctx)
{
	pid_t pid = *(pid_t *)ctx;
	int status;
	return waitpid(pid, &status, WNOHANG) == 0;
}

/* The child side: see the file comment. */
static int consume(int fd, uint64_t n)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_attach(&r, fd, err, sizeof err) != 0) {
		fprintf(stderr, "consumer: %s\n", err);
		return 3;
	}
	struct trace_record buf[5];
	uint64_t got = 0;
	int in_order = 1;
	const struct timespec pause = { 0, 50000 };
	for (;;) {
		int done = atomic_load(&r.hdr->producer_done);
		size_t k = trace_ring_pop(&r, buf, 5);
		for (size_t i = 0; i < k; i++)
			in_order &= rec_is(&buf[i], got + i);
		got += k;
		if (k == 0 && done)
			break;
		if (k == 0)
			nanosleep(&pause, NULL);
	}
	trace_ring_unmap(&r);
	if (got != n || !in_order) {
		fprintf(stderr, "consumer: got %llu of %llu, in order %d\n",
			(unsigned long long)got, (unsigned long long)n, in_order);
		return 1;
	}
	return 0;
}

static void test_lossless_process(const char *self)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 0, 16, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	const uint64_t n = 5000;
	char fdarg[16], narg[24];
	snprintf(fdarg, sizeof fdarg, "%d", r.fd);
	snprintf(narg, sizeof narg, "%llu", (unsigned long long)n);
	consumer_pid = fork();
	if (consumer_pid == 0) {
		execl("/proc/self/exe", self, "consume", fdarg, narg, (char *)NULL);
		_exit(4);
	}
	r.consumer_alive = child_alive;
	r.alive_ctx = &consumer_pid;
	int ok = 1;
	for (uint64_t i = 0; i < n; i++)
		ok &= push_rec(&r, i) == 0;
	trace_ring_finish(&r);
	int status = -1;
	waitpid(consumer_pid, &status, 0);
	CHECK(ok && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "exec'd consumer attached to fd %d and got %llu records in order (status %d)", r.fd,
	      (unsigned long long)n, status);
	CHECK(r.waits > 0, "the producer waited for the consumer (%llu)",
	      (unsigned long long)r.waits);
	trace_ring_unmap(&r);
}

/* A consumer that pops a few records and dies: push returns -1, quickly. */
static void test_consumer_dies(void)
{
	struct trace_ring r;
	char err[256];
	if (trace_ring_create(&r, 0, 4, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		struct trace_ring c;
		struct trace_record buf[2];
		size_t got = 0;
		if (trace_ring_attach(&c, dup(r.fd), err, sizeof err) != 0)
			_exit(3);
		while (got < 2)
			got += trace_ring_pop(&c, buf, 2 - got);
		_exit(0);
	}
	r.consumer_alive = child_alive;
	r.alive_ctx = &pid;
	double t0 = now_s();
	int rc = 0;
	uint64_t i;
	for (i = 0; i < 100 && rc == 0; i++)
		rc = push_rec(&r, i);
	double dt = now_s() - t0;
	CHECK(rc == -1 && i == 7, "push %llu returned -1 (4 + 2 popped fit)",
	      (unsigned long long)i);
	CHECK(dt < 5.0, "gave up in %.3f s", dt);
	CHECK(r.hdr->head == 6, "nothing published after the failure (head %llu)",
	      (unsigned long long)r.hdr->head);
	trace_ring_unmap(&r);
}

/* ---------------------------------------------------------------- attach */

static void expect_attach_error(int fd, const char *what, const char *words)
{
	struct trace_ring r;
	char err[256] = "";
	int rc = trace_ring_attach(&r, fd, err, sizeof err);
	CHECK(rc == -1 && strstr(err, words), "%s: rc %d, message '%s' should say '%s'", what, rc,
	      err, words);
	if (rc == 0)
		trace_ring_unmap(&r);
	CHECK(fcntl(fd, F_GETFD) != -1, "%s: the caller's fd stays open on failure", what);
}

/* A memfd holding a header that claims `capacity` records, `records` long. */
static int fake_ring(uint64_t capacity, uint64_t records, int seal)
{
	int fd = memfd_create("fake-ring", MFD_ALLOW_SEALING);
	struct ring_hdr h;
	memset(&h, 0, sizeof h);
	h.capacity = capacity;
	h.magic = RING_MAGIC;
	if (fd < 0 || ftruncate(fd, (off_t)(HDR_BYTES + records * 48)) != 0 ||
	    pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
		perror("fake_ring");
	if (seal)
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK);
	return fd;
}

/* The sizes attach must refuse besides a truncated ring: a header page and
 * no record (the size message, not the "at least the header" one), a file
 * longer than the header's capacity (the consumer takes the capacity from
 * its mapping, so it would pop slots the producer never writes), and a
 * capacity past 2^32 whose 48-byte records wrap size_t to 0: 2^60 * 48 is
 * 3 * 2^64, so ring_bytes() says 4096, the very size of the file, and only
 * the sanity bound refuses it. */
static void test_attach_sizes(void)
{
	int fd = fake_ring(1, 0, 1);
	expect_attach_error(fd, "header only", "size 4096 bytes: expected 4144 for capacity 1");
	close(fd);
	fd = fake_ring(16, 32, 1);
	expect_attach_error(fd, "longer than its capacity",
			    "size 5632 bytes: expected 4864 for capacity 16");
	close(fd);
	fd = fake_ring(UINT64_C(1) << 60, 0, 1);
	expect_attach_error(fd, "capacity 2^60 in a header-only fd",
			    "capacity 1152921504606846976: expected a power of two from 1 to 2^32");
	close(fd);
}

/* A regular file holding a valid ring is refused: it cannot be sealed, so
 * another process could truncate it under the consumer's mapping (SIGBUS).
 * F_GET_SEALS fails on it (EINVAL), and -1 has every bit set, F_SEAL_SHRINK
 * included. */
static void test_attach_regular_file(void)
{
	struct trace_ring p;
	char err[256], tmpl[] = "/tmp/test_ring_XXXXXX";
	if (trace_ring_create(&p, 0, 4, RING_LOSSLESS, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	int fd = mkstemp(tmpl);
	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	if (fd < 0) {
		trace_ring_unmap(&p);
		return;
	}
	unlink(tmpl);
	CHECK(write(fd, p.hdr, p.map_size) == (ssize_t)p.map_size, "copy of the ring written");
	expect_attach_error(fd, "a regular file", "expected F_SEAL_SHRINK");
	close(fd);
	trace_ring_unmap(&p);
}

static void test_attach(void)
{
	struct trace_ring p, c;
	char err[256];
	if (trace_ring_create(&p, 5, 32, RING_DROP, err, sizeof err) != 0) {
		CHECK(0, "create: %s", err);
		return;
	}
	int fd = dup(p.fd);
	CHECK(trace_ring_attach(&c, fd, err, sizeof err) == 0, "attach: %s", err);
	CHECK(c.hdr != p.hdr && c.hdr->vcpu == 5 && c.map_size == p.map_size, "own mapping");
	push_rec(&p, 42);
	struct trace_record out;
	CHECK(trace_ring_pop(&c, &out, 1) == 1 && rec_is(&out, 42) && p.hdr->tail == 1,
	      "shared memory: the consumer's pop frees the producer's slot");
	trace_ring_unmap(&c);
	CHECK(fcntl(fd, F_GETFD) == -1, "unmap closes the attached fd");

	fd = dup(p.fd);
	p.hdr->magic = 0x12345678;
	expect_attach_error(fd, "wrong magic", "magic 0x12345678: expected 0x76746c72");
	p.hdr->magic = RING_MAGIC;
	p.hdr->capacity = 24;
	expect_attach_error(fd, "capacity 24", "capacity 24: expected a power of two");
	p.hdr->capacity = 64;
	expect_attach_error(fd, "capacity 64 in a 32-record fd",
			    "size 5632 bytes: expected 7168 for capacity 64");
	p.hdr->capacity = 32;
	p.hdr->mode = 9;
	expect_attach_error(fd, "mode 9", "mode 9");
	p.hdr->mode = RING_DROP;
	close(fd);

	fd = fake_ring(16, 8, 1);
	expect_attach_error(fd, "truncated", "size 4480 bytes: expected 4864 for capacity 16");
	close(fd);
	fd = fake_ring(16, 16, 0);
	expect_attach_error(fd, "not sealed", "expected F_SEAL_SHRINK");
	close(fd);
	fd = memfd_create("tiny", MFD_ALLOW_SEALING);
	if (ftruncate(fd, 100) != 0)
		perror("ftruncate");
	expect_attach_error(fd, "tiny", "size 100 bytes: expected at least the 4096-byte header");
	close(fd);
	int pipefd[2];
	if (pipe(pipefd) == 0) {
		expect_attach_error(pipefd[0], "a pipe", "expected at least");
		close(pipefd[0]);
		close(pipefd[1]);
	}
	test_attach_sizes();
	test_attach_regular_file();
	struct trace_ring z;
	CHECK(trace_ring_attach(&z, 999, err, sizeof err) == -1 && strstr(err, "fd 999: fstat"),
	      "closed fd: '%s'", err);
	trace_ring_unmap(&p);
}

/* A corrupt header never makes pop copy more than the ring holds, nor
 * pop for ever.  head - tail above the capacity (a head more than a ring
 * ahead, a tail past head), which no producer publishes, is refused and
 * marks the ring corrupt for good: found by tracer/tests/fuzz/
 * fuzz_collect.c, where clamping it to the capacity returned the same
 * stale slots on every call and a collector stored them until the disk was
 * full.  The capacity comes from the mapping, not the header. */
static void test_corrupt_head(void)
{
	struct trace_ring p, c, c2, c3;
	char err[256];
	if (trace_ring_create(&p, 0, 8, RING_LOSSLESS, err, sizeof err) != 0 ||
	    trace_ring_attach(&c, dup(p.fd), err, sizeof err) != 0 ||
	    trace_ring_attach(&c2, dup(p.fd), err, sizeof err) != 0 ||
	    trace_ring_attach(&c3, dup(p.fd), err, sizeof err) != 0) {
		CHECK(0, "create/attach: %s", err);
		return;
	}
	struct trace_record out[64];
	atomic_store(&p.hdr->head, UINT64_C(1) << 40);
	size_t n = trace_ring_pop(&c, out, 64);
	CHECK(n == 0 && c.corrupt, "head a ring ahead: %zu popped, corrupt %d", n, c.corrupt);
	CHECK(atomic_load(&p.hdr->tail) == 0, "tail untouched");
	atomic_store(&p.hdr->head, 3);
	CHECK(trace_ring_pop(&c, out, 64) == 0, "a corrupt ring stays refused");
	struct trace_ring c4;
	if (trace_ring_attach(&c4, dup(p.fd), err, sizeof err) == 0) {
		atomic_store(&p.hdr->head, 9); /* one record more than the ring holds */
		n = trace_ring_pop(&c4, out, 64);
		CHECK(n == 0 && c4.corrupt, "head capacity + 1 ahead: %zu popped, corrupt %d", n,
		      c4.corrupt);
		atomic_store(&p.hdr->head, 3);
		trace_ring_unmap(&c4);
	} else {
		CHECK(0, "attach: %s", err);
	}
	atomic_store(&p.hdr->tail, 5); /* past head */
	n = trace_ring_pop(&c2, out, 64);
	CHECK(n == 0 && c2.corrupt, "tail past head: %zu popped, corrupt %d", n, c2.corrupt);
	atomic_store(&p.hdr->tail, 0);
	atomic_store(&p.hdr->head, 8);       /* full: legitimate */
	p.hdr->capacity = UINT64_C(1) << 20; /* the consumer keeps its own */
	n = trace_ring_pop(&c3, out, 64);
	CHECK(n == 8 && !c3.corrupt, "a full ring, capacity from the mapping: %zu", n);
	trace_ring_unmap(&c3);
	trace_ring_unmap(&c2);
	trace_ring_unmap(&c);
	trace_ring_unmap(&p);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "consume") == 0)
		return consume(atoi(argv[2]), strtoull(argv[3], NULL, 10));
	alarm(120); /* a hang is a failure, not a stuck test run */
	test_create();
	test_wrap();
	test_wrap_push();
	test_drop();
	test_lossless_thread();
	test_lossless_process(argv[0]);
	test_consumer_dies();
	test_attach();
	test_corrupt_head();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
