/*
 * dev_uart.c - a 16550-compatible console UART, output only.
 *
 * Contract (register semantics of the National Semiconductor PC16550D data
 * sheet, 1995, table II): eight byte-wide registers at stride 1, accessed
 * with 1-byte loads and stores only (other sizes are access faults).  A byte
 * written to THR is transmitted at once to m->cfg.console, so LSR always
 * reports THRE|TEMT and the transmitter-empty interrupt is pending again
 * right after each write.  There is no input: LSR.DR is 0 and RBR reads 0.
 * The only interrupt source is THR empty (IER bit 1), level on PLIC source
 * IRQ_SRC_UART; as on the 16550 it is cleared by reading IIR while it is the
 * reported source, or by writing THR (which here sets it again at once).
 * Register map: docs/devices.md "UART".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "console_out.h"
#include "devices.h"
#include "devices_private.h"
#include "machine.h"

#define UART_WINDOW 0x100u

enum uart_reg {
	REG_RBR_THR = 0,
	REG_IER = 1,
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7
};

#define IER_ETBEI 0x02u /* transmitter holding register empty interrupt */
#define IER_MASK 0x0fu
#define LCR_DLAB 0x80u
#define LSR_THRE 0x20u
#define LSR_TEMT 0x40u
#define IIR_NONE 0x01u
#define IIR_THRI 0x02u
#define IIR_FIFO 0xc0u /* FIFOs enabled (FCR bit 0) */
#define MCR_MASK 0x1fu
#define MSR_CTS_DSR_DCD 0xb0u /* modem lines asserted: a console is always ready */

struct uart {
	struct machine *m;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thre_pending; /* THR-empty interrupt condition latched */
};

static void uart_update_irq(struct uart *u)
{
	plic_set_irq(u->m, IRQ_SRC_UART, (u->ier & IER_ETBEI) && u->thre_pending);
}

static uint8_t uart_iir(struct uart *u)
{
	uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;
	if ((u->ier & IER_ETBEI) && u->thre_pending) {
		u->thre_pending = false; /* 16550: reading IIR clears THRE source */
		uart_update_irq(u);
		return fifo | IIR_THRI;
	}
	return fifo | IIR_NONE;
}

static int uart_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct uart *u = opaque;
	(void)h;
	if (size != 1)
		return -1;
	bool dlab = u->lcr & LCR_DLAB;
	switch (off) {
	case REG_RBR_THR: *val = dlab ? u->dll : 0; break;
	case REG_IER: *val = dlab ? u->dlm : u->ier; break;
	case REG_IIR_FCR: *val = uart_iir(u); break;
	case REG_LCR: *val = u->lcr; break;
	case REG_MCR: *val = u->mcr; break;
	case REG_LSR: *val = LSR_THRE | LSR_TEMT; break;
	case REG_MSR: *val = MSR_CTS_DSR_DCD; break;
	case REG_SCR: *val = u->scr; break;
	default: *val = 0; break;
	}
	return 0;
}

static int uart_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct uart *u = opaque;
	(void)h;
	if (size != 1)
		return -1;
	uint8_t b = (uint8_t)val;
	bool dlab = u->lcr & LCR_DLAB;
	switch (off) {
	case REG_RBR_THR:
		if (dlab) {
			u->dll = b;
			break;
		}
		console_putc(u->m, b);
		u->thre_pending = true; /* transmitted instantly: empty again */
		uart_update_irq(u);
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = b;
			break;
		}
		/* 16550: enabling ETBEI with THR empty raises the interrupt */
		if ((b & IER_ETBEI) && !(u->ier & IER_ETBEI))
			u->thre_pending = true;
		u->ier = b & IER_MASK;
		uart_update_irq(u);
		break;
	case REG_IIR_FCR: u->fcr = b & 0xc9u; break; /* FIFO enable, DMA mode, trigger level */
	case REG_LCR: u->lcr = b; break;
	case REG_MCR: u->mcr = b & MCR_MASK; break;
	case REG_SCR: u->scr = b; break;
	default: break; /* LSR, MSR are read-only */
	}
	return 0;
}

int uart_attach(struct machine *m, char *err, size_t errlen)
{
	struct uart *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, errlen, "vtlab: uart: out of memory");
		return -1;
	}
	u->m = m;
	struct device d = {
		.name = "uart",
		.base = UART_BASE,
		.size = UART_WINDOW,
		.opaque = u,
		.read = uart_read,
		.write = uart_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: uart: window 0x%llx+0x%x overlaps another device",
			 (unsigned long long)UART_BASE, UART_WINDOW);
		free(u);
		return -1;
	}
	m->uart = u;
	return 0;
}

void uart_free(struct machine *m)
{
	free(m->uart);
	m->uart = NULL;
}
