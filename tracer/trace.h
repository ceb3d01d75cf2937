/*
 * trace.h - the tracepoint API used by the VMM.
 *
 * Contract: a call site is TRACE(h, ID, reason, addr0, addr1, aux) where h
 * has fields trace_mask, tracer, id, cycles and level (struct hart).  When
 * the tracepoint's category is disabled it costs one load and one
 * predictable branch (h->trace_mask is a per-hart copy of the enabled
 * categories).  Enabled, trace_emit() applies per-type sampling (1 in N)
 * and the address filter (addr0 within [lo, hi)), fills a struct
 * trace_record (cycles, vCPU, level, type, reason, addresses, aux, seq) and
 * pushes it into the vCPU's ring.  If a lossless ring reports its consumer
 * gone, the tracer sets `failed` and disables itself; the machine then ends
 * the run with an error (the VMM checks tracer_failed()).
 */
#ifndef TRACER_TRACE_H
#define TRACER_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "ring.h"
#include "trace_record.h"

#define TRACE_MAX_VCPUS 8

/* Category of each tracepoint as a compile-time constant. */
enum tp_category_of {
#define TP(id, cat, desc, reason, addr0, addr1, aux) TPCAT_##id = TPC_##cat,
#include "tracepoints.def"
};

struct tracer {
	uint32_t cat_mask;         /* enabled categories (bit = enum tp_category) */
	uint32_t sample[TP_COUNT]; /* keep 1 in N (0 and 1: keep all) */
	uint32_t sample_left[TRACE_MAX_VCPUS][TP_COUNT];
	uint64_t filter_lo, filter_hi; /* keep addr0 in [lo, hi) when lo < hi */
	struct trace_ring ring[TRACE_MAX_VCPUS];
	unsigned nrings;
	uint64_t seq[TRACE_MAX_VCPUS];
	uint64_t emitted[TRACE_MAX_VCPUS], sampled_out[TRACE_MAX_VCPUS];
	bool failed;
};

/* Out of line: sampling, filter, record, push. */
void trace_emit(struct tracer *t, unsigned vcpu, unsigned type, uint64_t cycles, unsigned level,
		uint32_t reason, uint64_t addr0, uint64_t addr1, uint64_t aux);

#define TRACE(h, tp, reason, addr0, addr1, aux)                                                    \
	do {                                                                                       \
		if (__builtin_expect(((h)->trace_mask >> TPCAT_##tp) & 1, 0))                      \
			trace_emit((h)->tracer, (h)->id, TP_##tp, (h)->cycles, (h)->level,         \
				   (uint32_t)(reason), (addr0), (addr1), (aux));                   \
	} while (0)

/* Parses a --trace spec: "none", "all", or a comma list of category names
 * (exits, faults, tlb, vtlb, mmio, nested).  Returns 0 or -1 with a message. */
int trace_parse_categories(const char *spec, uint32_t *mask, char *err, size_t errlen);

/* Sets up t with nrings (1..TRACE_MAX_VCPUS) rings of `capacity` records
 * (power of two) in `mode`, enabled categories cat_mask, no sampling and no
 * filter.  Returns 0, or -1 with a message (no ring left open). */
int tracer_init(struct tracer *t, unsigned nrings, uint64_t capacity, enum ring_mode mode,
		uint32_t cat_mask, char *err, size_t errlen);
/* Lossless rings: the producer asks alive(ctx) while it waits on a full
 * ring (see ring.h).  Applies to every ring of t. */
void tracer_set_consumer_alive(struct tracer *t, int (*alive)(void *ctx), void *ctx);
/* Marks the end of every ring's stream (trace_ring_finish). */
void tracer_finish(struct tracer *t);
/* Unmaps and closes every ring; t is then empty (nrings 0). */
void tracer_destroy(struct tracer *t);
/* True once a push failed (consumer gone): the run must end with an error. */
bool tracer_failed(const struct tracer *t);

/* Parses one --trace-sample TYPE=N: TYPE is a tracepoint name (tp_name(),
 * any case) or "all", N from 1 to 2^32-1 (keep 1 in N); sets sample[TYPE]
 * (e.g. t->sample).  Returns 0 or -1 with a message. */
int trace_parse_sample(const char *spec, uint32_t sample[TP_COUNT], char *err, size_t errlen);
/* Parses --trace-filter LO-HI: two hex addresses (optional 0x), LO < HI;
 * keeps records whose addr0 is in [LO, HI).  Returns 0 or -1 with a message. */
int trace_parse_filter(const char *spec, uint64_t *lo, uint64_t *hi, char *err, size_t errlen);

#endif
