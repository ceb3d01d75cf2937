/*
 * bus.c - the guest physical address space (see bus.h for the contract).
 *
 * Stores that reach RAM through here (slow path, device DMA via
 * phys_ram_ptr) keep the decoded-code cache exact and feed the HTIF tohost
 * word to htif.c.  Device accesses are counted and charged cost.mmio.
 */
#include "bus.h"

#include <string.h>

#include "code_cache.h"
#include "devices.h"
#include "machine.h"
#include "trace.h"

static int ram_range(const struct machine *m, uint64_t paddr, uint64_t len)
{
	return paddr >= RAM_BASE && len <= m->cfg.ram_size &&
	       paddr - RAM_BASE <= m->cfg.ram_size - len;
}

/* Invalidates decoded code in [paddr, paddr+len): someone may write it. */
static void touch_code(struct machine *m, uint64_t paddr, uint64_t len)
{
	if (!len)
		return;
	for (uint64_t pg = (paddr - RAM_BASE) >> 12; pg <= (paddr - RAM_BASE + len - 1) >> 12; pg++)
		if (m->page_flags[pg] & PG_CODE)
			code_page_invalidate(m, RAM_BASE + (pg << 12));
}

void *phys_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	if (!ram_range(m, paddr, len))
		return NULL;
	touch_code(m, paddr, len);
	return m->ram + (paddr - RAM_BASE);
}

void *guest_ram_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	uint64_t limit = m->guest_ram_limit ? m->guest_ram_limit : m->cfg.ram_size;
	if (paddr < RAM_BASE || len > limit || paddr - RAM_BASE > limit - len)
		return NULL;
	return phys_ram_ptr(m, paddr, len);
}

static struct device *find_device(struct machine *m, uint64_t paddr, unsigned size)
{
	for (unsigned i = 0; i < m->ndev; i++) {
		struct device *d = &m->dev[i];
		if (paddr >= d->base && paddr - d->base < d->size &&
		    d->size - (paddr - d->base) >= size)
			return d;
	}
	return NULL;
}

static void count_mmio(struct machine *m, struct hart *h, enum event_kind k)
{
	if (h)
		STAT_CHARGE(h, k, m->cfg.cost.mmio);
}

int phys_read(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t *val)
{
	struct device *d;
	*val = 0;
	if (ram_range(m, paddr, size)) {
		memcpy(val, m->ram + (paddr - RAM_BASE), size);
		return 0;
	}
	d = find_device(m, paddr, size);
	if (!d || !d->read)
		return -1;
	count_mmio(m, h, EV_MMIO_READ);
	int r = d->read(d->opaque, h, paddr - d->base, size, val);
	if (h)
		TRACE(h, MMIO_READ, size, paddr, *val, r);
	return r;
}

/* After a store to RAM: a store to the HTIF tohost word is a command
 * (htif.c); a store by h ends every other hart's reservation on the bytes
 * it covers (unprivileged spec 8.2: an SC must fail after another hart's
 * store to the reservation set).  Reservations are 8-byte granules here. */
void phys_ram_stored(struct machine *m, struct hart *h, uint64_t paddr, unsigned size)
{
	uint8_t flags = m->page_flags[(paddr - RAM_BASE) >> 12];
	if ((flags & PG_WATCH) && m->htif && paddr <= m->tohost + 7 && paddr + size > m->tohost) {
		uint64_t word;
		memcpy(&word, m->ram + (m->tohost - RAM_BASE), 8);
		if (word)
			htif_store(m, h, word);
	}
	if (!(flags & PG_RESV))
		return;
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *o = m->harts[i];
		if (o != h && o->resv_valid && (o->resv_paddr & ~7ull) < paddr + size &&
		    paddr < (o->resv_paddr & ~7ull) + 8)
			o->resv_valid = false;
	}
}

int phys_write(struct machine *m, struct hart *h, uint64_t paddr, unsigned size, uint64_t val)
{
	struct device *d;
	if (ram_range(m, paddr, size)) {
		uint64_t pg = (paddr - RAM_BASE) >> 12;
		if (m->page_flags[pg] & PG_CODE) {
			code_page_invalidate(m, paddr);
			if (h)
				h->st.ev[EV_CODE_INVAL]++;
		}
		memcpy(m->ram + (paddr - RAM_BASE), &val, size);
		phys_ram_stored(m, h, paddr, size);
		return 0;
	}
	d = find_device(m, paddr, size);
	if (!d || !d->write)
		return -1;
	count_mmio(m, h, EV_MMIO_WRITE);
	if (h)
		TRACE(h, MMIO_WRITE, size, paddr, val, 0);
	return d->write(d->opaque, h, paddr - d->base, size, val);
}

int bus_add_device(struct machine *m, const struct device *d)
{
	if (m->ndev >= MAX_DEVICES)
		return -1;
	for (unsigned i = 0; i < m->ndev; i++) {
		const struct device *o = &m->dev[i];
		if (d->base < o->base + o->size && o->base < d->base + d->size)
			return -1;
	}
	m->dev[m->ndev++] = *d;
	return 0;
}
