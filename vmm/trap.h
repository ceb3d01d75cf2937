/*
 * trap.h - trap entry and return (Privileged ISA 20211203 sections 3.1.6,
 * 3.1.9, 3.3.2, 4.1.1).  hart_raise()/hart_take_interrupt() are declared in
 * hart.h; this header adds the xRET instructions used by the executor.
 *
 * Contract: hart_mret/hart_sret return 0, or -1 when the instruction is
 * illegal in the current mode (the caller raises the exception).  Both
 * set h->pc, h->priv and update the fast-path contexts.
 */
#ifndef VMM_TRAP_H
#define VMM_TRAP_H

#include "hart.h"

int hart_mret(struct hart *h);
int hart_sret(struct hart *h);
/* Interrupts pending and enabled for the current mode, as an mip mask. */
uint64_t hart_pending_interrupts(const struct hart *h);

#endif
