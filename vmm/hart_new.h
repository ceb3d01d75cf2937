/*
 * hart_new.h - creating, resetting and freeing harts (hart.c).
 *
 * Contract: hart_new() returns a hart in its reset state (M-mode, pc 0) or
 * NULL when the TLB geometry is invalid or memory is short; hart_reset()
 * puts it back in reset state at pc.
 */
#ifndef VMM_HART_NEW_H
#define VMM_HART_NEW_H

#include <stdint.h>

struct hart;
struct machine;

struct hart *hart_new(struct machine *m, unsigned id);
void hart_reset(struct hart *h, uint64_t pc);
void hart_free(struct hart *h);

#endif
