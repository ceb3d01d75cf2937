/*
 * exec.h - the instruction executor.
 *
 * Contract: exec_run() runs hart h from h->pc until h->instret reaches
 * slice_end (checked at taken branches and page ends), the hart waits in
 * wfi, halts, or the machine is done.  It takes pending interrupts at those
 * same points.  On return h->pc, h->instret and h->cycles are exact.
 * exec_init() must be called once before any code page is created.
 */
#ifndef VMM_EXEC_H
#define VMM_EXEC_H

#include <stdint.h>

struct hart;

void exec_init(void);
void exec_run(struct hart *h, uint64_t slice_end);

#endif
