/*
 * devices_doubles.c - minimal, behaviourally faithful doubles of the engine
 * functions the device models call (contract in devices_doubles.h).
 */
#include "devices_doubles.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "devices.h"
#include "mmu.h"
#include "tlb_model.h"

struct double_counts dbl;

struct machine *test_machine_new(unsigned nharts, uint64_t ram_size, FILE *console)
{
	struct machine *m = calloc(1, sizeof *m);
	m->cfg.ram_size = ram_size;
	m->cfg.nharts = nharts;
	m->cfg.console = console;
#define X(field, def, unit, source) m->cfg.cost.field = def;
#include "cost.def"
#undef X
	m->ram = calloc(1, ram_size);
	m->ram_pages = ram_size / 4096;
	m->nharts = nharts;
	for (unsigned i = 0; i < nharts; i++) {
		m->harts[i] = calloc(1, sizeof *m->harts[i]);
		m->harts[i]->id = i;
		m->harts[i]->m = m;
		m->harts[i]->priv = PRV_S;
	}
	memset(&dbl, 0, sizeof dbl);
	return m;
}

void test_machine_free(struct machine *m)
{
	devices_free(m);
	for (unsigned i = 0; i < m->nharts; i++)
		free(m->harts[i]);
	free(m->ram);
	free(m);
}

void *phys_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	if (paddr < RAM_BASE)
		return NULL;
	uint64_t off = paddr - RAM_BASE;
	if (off > m->cfg.ram_size || len > m->cfg.ram_size - off)
		return NULL;
	return m->ram + off;
}

/* As bus.c's: all of RAM, or the guest's RAM when a VMM set
 * guest_ram_limit (the PV ring tests place a ring beyond it). */
void *guest_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	uint64_t limit = m->guest_ram_limit ? m->guest_ram_limit : m->cfg.ram_size;
	if (paddr < RAM_BASE || len > limit || paddr - RAM_BASE > limit - len)
		return NULL;
	return phys_ram_ptr(m, paddr, len);
}

static struct device *find_dev(struct machine *m, uint64_t paddr)
{
	for (unsigned i = 0; i < m->ndev; i++)
		if (paddr >= m->dev[i].base && paddr - m->dev[i].base < m->dev[i].size)
			return &m->dev[i];
	return NULL;
}

int phys_read(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t *val)
{
	struct device *d = find_dev(m, paddr);
	if (d)
		return d->read(d->opaque, h, paddr - d->base, size, val);
	uint8_t *p = phys_ram_ptr(m, paddr, size);
	if (!p)
		return -1;
	*val = 0;
	memcpy(val, p, size); /* little-endian host */
	return 0;
}

int phys_write(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t val)
{
	struct device *d = find_dev(m, paddr);
	if (d)
		return d->write(d->opaque, h, paddr - d->base, size, val);
	uint8_t *p = phys_ram_ptr(m, paddr, size);
	if (!p)
		return -1;
	memcpy(p, &val, size);
	return 0;
}

int bus_add_device(struct machine *m, const struct device *d)
{
	if (m->ndev >= MAX_DEVICES)
		return -1;
	for (unsigned i = 0; i < m->ndev; i++)
		if (d->base < m->dev[i].base + m->dev[i].size && m->dev[i].base < d->base + d->size)
			return -1;
	m->dev[m->ndev++] = *d;
	return 0;
}

void machine_halt(struct machine *m, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->exit_reason, sizeof m->exit_reason, fmt, ap);
	va_end(ap);
	m->done = true;
	m->exit_code = code;
	dbl.halts++;
}

uint64_t machine_mtime(struct machine *m, struct hart *h)
{
	if (!h)
		h = m->harts[0];
	return h && m->cfg.cost.ticks_div ? h->cycles / m->cfg.cost.ticks_div : 0;
}

void hart_set_mip(struct hart *h, uint64_t mask, bool level)
{
	dbl.mip_calls++;
	if (level)
		h->mip |= mask;
	else
		h->mip &= ~mask;
}

/* Bare translation only: the SBI legacy hart-mask path is tested in Bare. */
int mmu_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	(void)acc, (void)priv;
	if (h->satp >> 60 != SATP_MODE_BARE)
		return EXC_LOAD_PAGE;
	out->paddr = va;
	out->cacheable = true;
	return 0;
}

void mmu_hc_flush_all(struct hart *h)
{
	if (h->id < MAX_HARTS)
		dbl.hc_flush_all[h->id]++;
}

void tlb_model_flush(struct tlb_model *t)
{
	(void)t;
	dbl.tlb_flush++;
}
