/*
 * ring.c - the single-producer single-consumer ring of trace records in a
 * memfd shared between the VMM (producer) and the collector (consumer).
 * The contract is ring.h; what this file adds:
 *
 *  - Layout: RING_HDR_BYTES (one 4 KiB page) of struct ring_hdr, then
 *    capacity records of 48 bytes.  head and tail count records since the
 *    start and never wrap (2^64 records); the slot is index & (capacity-1).
 *  - The memfd is created WITHOUT close-on-exec, so that the collector can
 *    inherit it through fork+exec (the VMM passes the fd numbers on the
 *    collector's command line or control socket), and sealed against
 *    shrinking and growing, so that a mapped ring can never become shorter
 *    than its header says (which would SIGBUS the consumer); attach
 *    requires the shrink seal.
 *  - Memory order (C11 7.17): the producer writes a record and then stores
 *    head with release; the consumer loads head with acquire before reading
 *    records, copies them, then stores tail with release; the producer
 *    loads tail with acquire before reusing a slot.
 *  - The consumer does not trust the shared header after attach: it takes
 *    the capacity from the size of its own mapping, so a corrupt header
 *    cannot make it read outside the mapping, and it refuses a head - tail
 *    above that capacity (tail ahead of head, or head more than a ring
 *    ahead), which the producer never publishes: clamping it instead made
 *    every pop return the same stale slots again, for ever (fuzz_collect.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "ring.h"

#define RING_HDR_BYTES 4096u
#define RING_MAX_CAPACITY (UINT64_C(1) << 32) /* 192 GiB of records: a sanity bound */
#define SPIN_TRIES 2000                       /* lossless wait: spins before sleeping */
#define SLEEP_NS 20000                        /* then sleep in steps of 20 us */

_Static_assert(sizeof(struct ring_hdr) <= RING_HDR_BYTES, "ring header fits in its page");

static int is_power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

static size_t ring_bytes(uint64_t capacity)
{
	return RING_HDR_BYTES + (size_t)capacity * sizeof(struct trace_record);
}

/* Records the mapping in r; the consumer-side capacity derives from it. */
static uint64_t mapped_capacity(const struct trace_ring *r)
{
	return (r->map_size - RING_HDR_BYTES) / sizeof(struct trace_record);
}

static void ring_clear(struct trace_ring *r)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

int trace_ring_create(struct trace_ring *r, unsigned vcpu, uint64_t capacity, enum ring_mode mode,
		      char *err, size_t errlen)
{
	ring_clear(r);
	if (!is_power_of_two(capacity) || capacity > RING_MAX_CAPACITY) {
		tracer_errmsg(err, errlen,
			      "vtlab: ring %u: capacity %" PRIu64
			      " records: expected a power of two from 1 to 2^32",
			      vcpu, capacity);
		return -1;
	}
	if (mode != RING_LOSSLESS && mode != RING_DROP) {
		tracer_errmsg(err, errlen,
			      "vtlab: ring %u: mode %d: expected lossless (0) or drop (1)", vcpu,
			      (int)mode);
		return -1;
	}
	char name[32];
	snprintf(name, sizeof name, "vtlab-ring-%u", vcpu);
	size_t size = ring_bytes(capacity);
	int fd = memfd_create(name, MFD_ALLOW_SEALING); /* no MFD_CLOEXEC: see above */
	if (fd < 0) {
		tracer_errmsg(err, errlen, "vtlab: ring %u: memfd_create: %s", vcpu,
			      strerror(errno));
		return -1;
	}
	if (ftruncate(fd, (off_t)size) != 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		tracer_errmsg(err, errlen, "vtlab: ring %u: sizing the memfd to %zu bytes: %s",
			      vcpu, size, strerror(errno));
		close(fd);
		return -1;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		tracer_errmsg(err, errlen, "vtlab: ring %u: mmap of %zu bytes: %s", vcpu, size,
			      strerror(errno));
		close(fd);
		return -1;
	}
	/* The memfd starts zeroed: head, tail, losses and done are 0. */
	struct ring_hdr *h = p;
	h->capacity = capacity;
	h->vcpu = vcpu;
	h->mode = (uint32_t)mode;
	atomic_thread_fence(memory_order_release);
	h->magic = RING_MAGIC;
	r->hdr = h;
	r->rec = (struct trace_record *)((char *)p + RING_HDR_BYTES);
	r->map_size = size;
	r->fd = fd;
	return 0;
}

/* Checks what attach needs before mapping: the seal and a plausible size. */
static int check_fd(int fd, struct stat *st, char *err, size_t errlen)
{
	if (fstat(fd, st) != 0) {
		tracer_errmsg(err, errlen, "vtlab: ring fd %d: fstat: %s", fd, strerror(errno));
		return -1;
	}
	if (st->st_size < (off_t)RING_HDR_BYTES) {
		tracer_errmsg(
			err, errlen,
			"vtlab: ring fd %d: size %jd bytes: expected at least the %u-byte header",
			fd, (intmax_t)st->st_size, RING_HDR_BYTES);
		return -1;
	}
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		tracer_errmsg(err, errlen,
			      "vtlab: ring fd %d: seals: expected F_SEAL_SHRINK (a memfd made by "
			      "trace_ring_create)",
			      fd);
		return -1;
	}
	return 0;
}

/* Checks the mapped header against the fd's size. */
static int check_header(const struct ring_hdr *h, int fd, off_t size, char *err, size_t errlen)
{
	if (h->magic != RING_MAGIC) {
		tracer_errmsg(err, errlen, "vtlab: ring fd %d: magic 0x%08x: expected 0x%08x", fd,
			      h->magic, RING_MAGIC);
		return -1;
	}
	if (!is_power_of_two(h->capacity) || h->capacity > RING_MAX_CAPACITY) {
		tracer_errmsg(err, errlen,
			      "vtlab: ring fd %d: capacity %" PRIu64
			      ": expected a power of two from 1 to 2^32",
			      fd, h->capacity);
		return -1;
	}
	if ((off_t)ring_bytes(h->capacity) != size) {
		tracer_errmsg(
			err, errlen,
			"vtlab: ring fd %d: size %jd bytes: expected %zu for capacity %" PRIu64, fd,
			(intmax_t)size, ring_bytes(h->capacity), h->capacity);
		return -1;
	}
	if (h->mode != RING_LOSSLESS && h->mode != RING_DROP) {
		tracer_errmsg(err, errlen, "vtlab: ring fd %d: mode %u: expected 0 or 1", fd,
			      h->mode);
		return -1;
	}
	return 0;
}

int trace_ring_attach(struct trace_ring *r, int fd, char *err, size_t errlen)
{
	ring_clear(r);
	struct stat st;
	if (check_fd(fd, &st, err, errlen) != 0)
		return -1;
	size_t size = (size_t)st.st_size;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		tracer_errmsg(err, errlen, "vtlab: ring fd %d: mmap of %zu bytes: %s", fd, size,
			      strerror(errno));
		return -1;
	}
	atomic_thread_fence(memory_order_acquire);
	if (check_header(p, fd, st.st_size, err, errlen) != 0) {
		munmap(p, size);
		return -1;
	}
	r->hdr = p;
	r->rec = (struct trace_record *)((char *)p + RING_HDR_BYTES);
	r->map_size = size;
	r->fd = fd;
	r->cached_tail = atomic_load_explicit(&r->hdr->tail, memory_order_acquire);
	return 0;
}

void trace_ring_unmap(struct trace_ring *r)
{
	if (r->hdr)
		munmap(r->hdr, r->map_size);
	if (r->fd >= 0)
		close(r->fd);
	ring_clear(r);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* Lossless slow path: waits until the slot of `head` is free.  Returns 0,
 * or -1 when the consumer is gone (checked between sleeps, after one last
 * look at tail, so a consumer that drained and then exited still counts). */
static int wait_for_space(struct trace_ring *r, uint64_t head, uint64_t cap)
{
	const struct timespec step = { 0, SLEEP_NS };
	r->waits++;
	for (unsigned tries = 0;; tries++) {
		r->cached_tail = atomic_load_explicit(&r->hdr->tail, memory_order_acquire);
		if (head - r->cached_tail < cap)
			return 0;
		if (tries < SPIN_TRIES) {
			cpu_relax();
			continue;
		}
		if (r->consumer_alive && !r->consumer_alive(r->alive_ctx))
			return -1;
		nanosleep(&step, NULL);
	}
}

/* Drop mode: counts the record; the window is [first, last] cycles.  The
 * counters are written before `lost` (release) so a consumer that reads
 * lost with acquire sees a window covering at least that many losses. */
static void count_loss(struct ring_hdr *h, uint64_t cycles)
{
	uint64_t lost = atomic_load_explicit(&h->lost, memory_order_relaxed);
	if (lost == 0)
		atomic_store_explicit(&h->lost_first_cycles, cycles, memory_order_relaxed);
	atomic_store_explicit(&h->lost_last_cycles, cycles, memory_order_relaxed);
	atomic_store_explicit(&h->lost, lost + 1, memory_order_release);
}

struct trace_record *trace_ring_reserve(struct trace_ring *r)
{
	struct ring_hdr *h = r->hdr;
	uint64_t cap = h->capacity;
	uint64_t head = atomic_load_explicit(&h->head, memory_order_relaxed);
	if (__builtin_expect(head - r->cached_tail >= cap, 0)) {
		r->cached_tail = atomic_load_explicit(&h->tail, memory_order_acquire);
		if (head - r->cached_tail >= cap)
			return NULL;
	}
	return &r->rec[head & (cap - 1)];
}

void trace_ring_commit(struct trace_ring *r)
{
	struct ring_hdr *h = r->hdr;
	uint64_t head = atomic_load_explicit(&h->head, memory_order_relaxed);
	atomic_store_explicit(&h->head, head + 1, memory_order_release);
}

/* Full ring: counts the loss (drop mode) or waits for space (lossless). */
static __attribute__((noinline)) int push_full(struct trace_ring *r, const struct trace_record *rec)
{
	struct ring_hdr *h = r->hdr;
	if (h->mode == RING_DROP) {
		count_loss(h, rec->cycles);
		return 0;
	}
	uint64_t head = atomic_load_explicit(&h->head, memory_order_relaxed);
	if (wait_for_space(r, head, h->capacity) != 0)
		return -1;
	r->rec[head & (h->capacity - 1)] = *rec;
	trace_ring_commit(r);
	return 0;
}

int trace_ring_push(struct trace_ring *r, const struct trace_record *rec)
{
	struct trace_record *slot = trace_ring_reserve(r);
	if (__builtin_expect(!slot, 0))
		return push_full(r, rec);
	*slot = *rec;
	trace_ring_commit(r);
	return 0;
}

void trace_ring_finish(struct trace_ring *r)
{
	atomic_store_explicit(&r->hdr->producer_done, 1, memory_order_release);
}

size_t trace_ring_pop(struct trace_ring *r, struct trace_record *out, size_t max)
{
	struct ring_hdr *h = r->hdr;
	uint64_t cap = mapped_capacity(r);
	uint64_t tail = atomic_load_explicit(&h->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&h->head, memory_order_acquire);
	uint64_t avail = head - tail;
	if (avail > cap || r->corrupt) { /* see the header comment */
		r->corrupt = true;
		return 0;
	}
	size_t n = avail < max ? (size_t)avail : max;
	if (n == 0)
		return 0;
	size_t first = (size_t)(tail & (cap - 1));
	size_t chunk = n < cap - first ? n : (size_t)(cap - first);
	memcpy(out, &r->rec[first], chunk * sizeof *out);
	memcpy(out + chunk, &r->rec[0], (n - chunk) * sizeof *out);
	atomic_store_explicit(&h->tail, tail + n, memory_order_release);
	return n;
}
