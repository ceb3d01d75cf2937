/*
 * bus.h - the guest physical address space: RAM and device registers.
 *
 * Contract: every guest physical access outside the host fast path goes
 * through phys_read/phys_write, which bounds-check against RAM and the
 * device map and never touch host memory outside guest RAM.  A device sees
 * offsets relative to its base and sizes 1, 2, 4 or 8; it returns -1 to
 * make the access an access fault.  The memory map is in docs/platform.md.
 */
#ifndef VMM_BUS_H
#define VMM_BUS_H

#include <stddef.h>
#include <stdint.h>

struct machine;
struct hart;

/* Physical memory map (docs/platform.md "Memory map"). */
#define SYSCON_BASE 0x00100000ull /* shutdown: write 0x5555 pass, (code<<16)|0x3333 fail */
#define CLINT_BASE 0x02000000ull
#define CLINT_SIZE 0x00010000ull
#define PLIC_BASE 0x0c000000ull
#define PLIC_SIZE 0x04000000ull
#define UART_BASE 0x10000000ull
#define BLK_BASE 0x10001000ull
#define PVBLK_BASE 0x10002000ull
#define LAB_BASE 0x10003000ull
#define RAM_BASE 0x80000000ull

/* PLIC interrupt sources */
#define IRQ_SRC_UART 10
#define IRQ_SRC_BLK 1
#define IRQ_SRC_PVBLK 2

struct device {
	const char *name;
	uint64_t base, size;
	void *opaque;
	/* Return 0, or -1 for an access fault.  h is the accessing hart
	 * (NULL for host-initiated accesses). */
	int (*read)(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val);
	int (*write)(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val);
};

/* Host pointer to [paddr, paddr+len) if it lies wholly in guest RAM, else
 * NULL.  The only way host code may reach guest memory. */
void *phys_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len);
/* The same, for what the GUEST names by physical address (device DMA,
 * buffers passed to firmware or the lab device): bounded by the guest's RAM,
 * which under a hypervisor ends below the VMM's own memory
 * (machine.guest_ram_limit). */
void *guest_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len);
/* Accesses RAM or a device; size 1/2/4/8.  Returns 0, or -1 (access fault). */
int phys_read(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t *val);
int phys_write(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t val);
/* Tells the bus that h stored [paddr, paddr+size) in RAM behind its
 * back (atomics): other harts' reservations on those bytes are lost, and a
 * store to the HTIF tohost word is a command. */
void phys_ram_stored(struct machine *m, struct hart *h, uint64_t paddr, unsigned size);
/* Adds a device to the map; returns 0 or -1 if it overlaps another. */
int bus_add_device(struct machine *m, const struct device *d);

#endif
