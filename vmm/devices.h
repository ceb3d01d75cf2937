/*
 * devices.h - constructors of the machine's devices (one file each:
 * dev_uart.c, dev_clint.c, dev_plic.c, dev_blk.c, dev_pvblk.c, dev_lab.c,
 * dev_syscon.c) and the HTIF tohost/fromhost convention (htif.c).
 *
 * Contract: each *_attach() allocates its state, registers its register
 * window with bus_add_device() and stores its state pointer in the machine;
 * it returns 0 or -1 with a one-line message in err.  Register layouts are
 * specified in docs/platform.md.  Devices raise interrupts through
 * plic_set_irq() (external) or hart_set_mip() (CLINT).  Device DMA goes
 * through guest_ram_ptr() only.  Every register access is counted
 * (EV_MMIO_READ/EV_MMIO_WRITE) and charged cost.mmio by the bus, not here.
 */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <stddef.h>
#include <stdint.h>

struct machine;
struct hart;

int uart_attach(struct machine *m, char *err, size_t errlen);
int clint_attach(struct machine *m, char *err, size_t errlen);
int plic_attach(struct machine *m, char *err, size_t errlen);
int blk_attach(struct machine *m, const char *image, char *err, size_t errlen);
int pvblk_attach(struct machine *m, char *err, size_t errlen);
int lab_attach(struct machine *m, char *err, size_t errlen);
int syscon_attach(struct machine *m, char *err, size_t errlen);
void devices_free(struct machine *m);

/* Sets the level of PLIC source irq (1..31). */
void plic_set_irq(struct machine *m, unsigned irq, int level);

/* HTIF: called by the slow store path when a store hits the tohost word.
 * Handles exit (value & 1) and console syscalls; returns 0. */
int htif_store(struct machine *m, struct hart *h, uint64_t val);

/* Lab device results, read by the summary. */
struct lab_result {
	char metric_name[64];
	double metric_value;
	uint64_t digest;  /* output checksum reported by the guest */
	uint64_t markers; /* number of markers seen */
	uint64_t last_marker;
};
const struct lab_result *lab_result(const struct machine *m);

#endif
