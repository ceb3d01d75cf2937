/*
 * sbi.h - the built-in firmware: SBI-style ecalls from S-mode served by the
 * engine when the machine boots in S-mode (m->firmware).
 *
 * Contract: sbi_ecall() is called for an ecall from S-mode while firmware is
 * active, with a7 = extension id, a6 = function id, a0-a5 arguments (SBI
 * spec v2.0 calling convention).  It sets a0 (error) and a1 (value) and
 * returns; the core then advances pc past the ecall.  Supported: legacy
 * console putchar/getchar (0x01/0x02), TIME set_timer, IPI send_ipi, RFENCE
 * remote_fence_i / remote_sfence_vma(_asid), SRST system_reset, BASE probe.
 */
#ifndef VMM_SBI_H
#define VMM_SBI_H

#include <stdint.h>

struct hart;
void sbi_ecall(struct hart *h);

/* The i-th extension served (i from 0): its name ("TIME", "sPI",
 * "legacy_putchar", ...), with its id in *eid; NULL past the last.  These
 * name the sbi_call events' reasons (reason_names). */
const char *sbi_extension(unsigned i, uint32_t *eid);

#endif
