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
	uint64_t ev_cycles[EV_COUNT]; /* modeled cycles charged to each kind */
	uint64_t exc_by_cause[64];    /* synchronous exceptions, by mcause */
	uint64_t irq_by_cause[16];    /* interrupts, by mcause code */
	uint64_t exc_cycles[64], irq_cycles[16];
	uint64_t loads, stores; /* data accesses (DTLB accesses) */
};

/* Counts one event of kind k on hart h and charges it `cyc` modeled cycles
 * (h is a struct hart *: the counters and the clock move together). */
#define STAT_CHARGE(h, k, cyc)                                                                     \
	do {                                                                                       \
		uint64_t c_ = (cyc);                                                               \
		(h)->st.ev[k]++;                                                                   \
		(h)->st.ev_cycles[k] += c_;                                                        \
		(h)->cycles += c_;                                                                 \
	} while (0)

const char *event_name(enum event_kind k);
const char *event_desc(enum event_kind k);
const char *exception_name(unsigned cause);
const char *interrupt_name(unsigned cause);

#endif
