/*
 * elf_doubles.c - test double of bus.h's phys_ram_ptr() for the ELF loader
 * unit test, used when build/libvmm.a (with the real bus.c) is not linked.
 *
 * Contract: same as bus.h: a host pointer to [paddr, paddr+len) when the
 * range lies wholly in guest RAM [RAM_BASE, RAM_BASE + cfg.ram_size), else
 * NULL; overflow-safe.
 */
#include "bus.h"
#include "machine.h"

void *phys_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	uint64_t size = m->cfg.ram_size;
	if (paddr < RAM_BASE || paddr - RAM_BASE > size || len > size - (paddr - RAM_BASE))
		return NULL;
	return m->ram + (paddr - RAM_BASE);
}
