/*
 * console_out.h - the host side of the guest console, shared by the UART,
 * the SBI firmware console and the HTIF console.
 *
 * Contract: bytes go to m->cfg.console (discarded when it is NULL), which is
 * flushed at every newline so interleaved host and guest output stays in
 * order.  The bytes are written as the guest gave them (no translation).
 */
#ifndef VMM_CONSOLE_OUT_H
#define VMM_CONSOLE_OUT_H

#include <stddef.h>
#include <stdint.h>

struct machine;

void console_putc(struct machine *m, uint8_t c);
void console_write(struct machine *m, const uint8_t *buf, size_t len);

#endif
