/*
 * devices_doubles.h - test doubles of the lead's engine functions that the
 * devices call (bus, machine, hart, mmu, tlb_model), for test_devices.c.
 *
 * Contract: the doubles behave like the documented interfaces in the
 * simplest correct way (bus: RAM at RAM_BASE plus the registered device
 * windows; machine_halt records the exit; hart_set_mip sets/clears bits) and
 * count the calls a test needs to observe.  Linked only into the device
 * unit test, never into libvmm.
 */
#ifndef VMM_TESTS_DEVICES_DOUBLES_H
#define VMM_TESTS_DEVICES_DOUBLES_H

#include "machine.h"

struct double_counts {
	unsigned hc_flush_all[MAX_HARTS];
	unsigned tlb_flush; /* tlb_model_flush calls, any hart */
	unsigned mip_calls;
	unsigned halts;
};
extern struct double_counts dbl;

/* Builds a machine with nharts fake harts and ram_size bytes of RAM. */
struct machine *test_machine_new(unsigned nharts, uint64_t ram_size, FILE *console);
void test_machine_free(struct machine *m);

#endif
