/*
 * console_out.c - writes guest console bytes to the configured host stream
 * (see console_out.h for the contract).
 */
#include "console_out.h"

#include "machine.h"

void console_putc(struct machine *m, uint8_t c)
{
	FILE *f = m->cfg.console;
	if (!f)
		return;
	fputc(c, f);
	m->console_mid_line = c != '\n';
	if (c == '\n')
		fflush(f);
}

void console_write(struct machine *m, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_putc(m, buf[i]);
}
