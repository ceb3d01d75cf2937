/*
 * summary.h - the end-of-run summary, as text or as one JSON object.
 *
 * JSON fields (stable, scripts rely on them): instructions, cycles, wall_ns,
 * mips, exit_code, exit_reason, harts, per_hart[] {instructions, cycles},
 * events {name: count} summed over harts, exceptions {name: count},
 * interrupts {name: count}, tlb {itlb_accesses, itlb_misses, dtlb_accesses,
 * dtlb_misses}, and when the lab device reported them metric_name,
 * metric_value, output_digest.
 */
#ifndef VMM_SUMMARY_H
#define VMM_SUMMARY_H

#include <stdio.h>

struct machine;
void summary_print_text(FILE *f, const struct machine *m);
void summary_print_json(FILE *f, const struct machine *m);

#endif
