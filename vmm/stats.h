/*
 * stats.h - exact per-hart event counters.
 *
 * Contract: every counter is exact, never sampled.  Counters are plain
 * uint64_t fields bumped on the path that causes the event; hot paths that
 * would pay for a counter derive it instead (e.g. TLB hits are accesses minus
 * misses, see tlb_model.h).
 */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdint.h>

enum event_kind {
#define X(id, name, desc) EV_##id,
#include "events.def"
#undef X
	EV_COUNT
};

struct hart_stats {
	uint64_t ev[EV_COUNT];
	uint64_t exc_by_cause[64]; /* synchronous exceptions, by mcause */
	uint64_t irq_by_cause[16]; /* interrupts, by mcause code */
	uint64_t loads, stores;    /* data accesses (DTLB accesses) */
};

const char *event_name(enum event_kind k);
const char *event_desc(enum event_kind k);
const char *exception_name(unsigned cause);
const char *interrupt_name(unsigned cause);

#endif
