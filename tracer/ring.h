/*
 * ring.h - a single-producer single-consumer ring of trace records in
 * shared memory (memfd), one per vCPU.
 *
 * Contract:
 *  - The producer (the VMM, one thread) pushes with no lock and no system
 *    call while there is space: a relaxed load of its own head, an acquire
 *    load of the consumer's tail (cached), a copy, a release store of head.
 *  - Lossless mode (default): a full ring makes the producer wait (slow
 *    path: spin, then sleep in short steps) until the consumer frees space;
 *    it gives up and returns -1 only when ring->consumer_alive() says the
 *    consumer is gone, so the VMM ends the run with an error instead of
 *    hanging.  Drop mode: a full ring never blocks; the record is counted in
 *    hdr->lost with the first and last modeled cycles of the losses.
 *  - The consumer (the collector, another process) maps the same memfd,
 *    pops records in order, and sees hdr->producer_done once the producer has
 *    published its last record.
 *  - The region is header (one page) + capacity * 48 bytes; capacity is a
 *    power of two.  Everything in it is position-independent.
 */
#ifndef TRACER_RING_H
#define TRACER_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_record.h"

enum ring_mode { RING_LOSSLESS = 0, RING_DROP = 1 };

struct ring_hdr {
	_Alignas(64) _Atomic uint64_t head; /* written by the producer */
	_Alignas(64) _Atomic uint64_t tail; /* written by the consumer */
	_Alignas(64) uint64_t capacity;     /* records; power of two */
	uint32_t vcpu;
	uint32_t mode;         /* enum ring_mode */
	_Atomic uint64_t lost; /* drop mode: records lost */
	_Atomic uint64_t lost_first_cycles, lost_last_cycles;
	_Atomic uint32_t producer_done;
	uint32_t magic; /* RING_MAGIC: validated on attach */
};
#define RING_MAGIC 0x76746c72u /* "vtlr" */

struct trace_ring {
	struct ring_hdr *hdr;
	struct trace_record *rec;
	size_t map_size;
	int fd;
	uint64_t cached_tail; /* producer's view of tail */
	/* Producer side, lossless mode: returns nonzero while the consumer
	 * can still drain the ring (NULL: assume it can). */
	int (*consumer_alive)(void *ctx);
	void *alive_ctx;
	uint64_t waits; /* times the producer had to wait */
	bool corrupt;   /* consumer: head - tail was above the capacity */
};

/* Creates a ring in a new memfd.  Returns 0, or -1 with a message. */
int trace_ring_create(struct trace_ring *r, unsigned vcpu, uint64_t capacity, enum ring_mode mode,
		      char *err, size_t errlen);
/* Maps an existing ring from its fd (consumer side); validates the header
 * against the fd's size.  Returns 0, or -1 with a message. */
int trace_ring_attach(struct trace_ring *r, int fd, char *err, size_t errlen);
void trace_ring_unmap(struct trace_ring *r); /* unmaps, closes fd */

/* Producer.  Returns 0 (stored or, in drop mode, counted as lost), or -1
 * when the consumer is gone (lossless mode only). */
int trace_ring_push(struct trace_ring *r, const struct trace_record *rec);
/* Producer, zero-copy fast path (trace_emit uses it: filling the slot in
 * place avoids copying a just-written record): the slot of the next record,
 * or NULL when the ring is full (then call trace_ring_push, which waits or
 * counts the loss).  Fill the slot, then publish it with trace_ring_commit. */
struct trace_record *trace_ring_reserve(struct trace_ring *r);
void trace_ring_commit(struct trace_ring *r);
/* Producer: marks the end of the stream. */
void trace_ring_finish(struct trace_ring *r);
/* Consumer: copies up to max records in order; returns how many.  A
 * header whose head - tail exceeds the capacity (never published by a
 * producer: memory overwritten, or not a vtlab producer) sets r->corrupt
 * and from then on nothing is popped: the records cannot be trusted and
 * popping on would never end. */
size_t trace_ring_pop(struct trace_ring *r, struct trace_record *out, size_t max);

#endif
