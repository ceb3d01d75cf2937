/*
 * mmu.c - translation dispatch, the host fast-path cache and the slow-path
 * data accesses (see mmu.h for the contract).
 *
 * The fast path (exec.c) serves an access when hc[ctx][kind][vpage] matches;
 * everything else comes here.  A page is installed only when its modeled
 * translation is resident and permits the access without side effects, and
 * (for writes) when the RAM page is neither decoded code nor watched.
 */
#include "mmu.h"

#include <string.h>

#include "code_cache.h"
#include "hv.h"
#include "machine.h"
#include "pmp.h"
#include "svtlb.h"

#define PAGE_MASK (~0xfffull)

static void hc_invalidate(struct hc_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		e[i].tag = HC_INVALID;
}

void mmu_hc_flush_all(struct hart *h)
{
	hc_invalidate(&h->hc[0][0][0], sizeof(h->hc) / sizeof(h->hc[0][0][0]));
}

void mmu_hc_flush_data(struct hart *h)
{
	for (unsigned c = 0; c < HC_NCTX; c++) {
		hc_invalidate(h->hc[c][ACC_READ], HC_SIZE);
		hc_invalidate(h->hc[c][ACC_WRITE], HC_SIZE);
	}
}

void mmu_hc_flush_range(struct hart *h, uint64_t va, uint64_t size)
{
	uint64_t first = va & PAGE_MASK, pages = (size + (va - first) + 0xfff) >> 12;
	if (pages >= HC_SIZE) {
		mmu_hc_flush_all(h);
		return;
	}
	for (uint64_t p = 0; p < pages; p++) {
		uint64_t page = first + (p << 12);
		unsigned idx = (unsigned)(page >> 12) & (HC_SIZE - 1);
		for (unsigned c = 0; c < HC_NCTX; c++)
			for (unsigned a = 0; a < 3; a++)
				if (h->hc[c][a][idx].tag == page)
					h->hc[c][a][idx].tag = HC_INVALID;
	}
}

void mmu_hc_drop_phys_write(struct hart *h, uint64_t paddr)
{
	uintptr_t host = (uintptr_t)(h->m->ram + ((paddr - RAM_BASE) & PAGE_MASK));
	for (unsigned c = 0; c < HC_NCTX; c++)
		for (unsigned i = 0; i < HC_SIZE; i++) {
			struct hc_entry *e = &h->hc[c][ACC_WRITE][i];
			if (e->tag != HC_INVALID && e->val + e->tag == host)
				e->tag = HC_INVALID;
		}
}

static int in_ram(const struct machine *m, uint64_t pa)
{
	return pa >= RAM_BASE && pa - RAM_BASE < m->cfg.ram_size;
}

static void hc_install(struct hart *h, unsigned ctx, enum access acc, uint64_t va, uint64_t pa)
{
	struct hc_entry *e = &h->hc[ctx][acc][(va >> 12) & (HC_SIZE - 1)];
	e->tag = va & PAGE_MASK;
	e->val = (uintptr_t)(h->m->ram + ((pa & PAGE_MASK) - RAM_BASE)) -
		 (uintptr_t)(va & PAGE_MASK);
}

int mmu_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, struct xlate *out)
{
	uint64_t mode = h->satp >> 60;
	/* V=1: the hypervisor translates (guest-physical is not machine-physical). */
	if (h->vcpu)
		return hv_translate(h, va, acc, priv, out);
	if (priv == PRV_M || mode == SATP_MODE_BARE) {
		out->paddr = va;
		out->cacheable = true;
		return 0;
	}
	if (mode == SATP_MODE_SVTLB)
		return svtlb_translate(h, va, acc, priv, out);
	return sv39_translate(h, va, acc, priv, out);
}

struct code_page *mmu_fetch(struct hart *h, uint64_t pc)
{
	struct xlate x;
	struct code_page *cp;
	int cause = mmu_translate(h, pc, ACC_FETCH, h->priv, &x);
	h->pc = pc;
	if (cause) {
		hart_raise(h, (unsigned)cause, pc);
		return NULL;
	}
	if (!in_ram(h->m, x.paddr) || !pmp_check(h, x.paddr, ACC_FETCH, h->priv)) {
		hart_raise(h, EXC_INSN_ACCESS, pc);
		return NULL;
	}
	cp = code_page_get(h->m, x.paddr & PAGE_MASK);
	if (!cp) {
		machine_halt(h->m, 3, "hart %u: out of host memory decoding code", h->id);
		h->halted = true;
		return NULL;
	}
	if (x.cacheable) {
		struct hc_entry *e = &h->hc[h->fetch_ctx][ACC_FETCH][(pc >> 12) & (HC_SIZE - 1)];
		e->tag = pc & PAGE_MASK;
		e->val = (uintptr_t)cp;
	}
	return cp;
}

/* Translates one access that stays within a page; returns the physical
 * address or raises and returns -1. */
static int xlate_data(struct hart *h, uint64_t va, enum access acc, uint64_t *pa, bool *cacheable)
{
	struct xlate x;
	int cause = mmu_translate(h, va, acc, h->data_priv, &x);
	if (!cause && !pmp_check(h, x.paddr, acc, h->data_priv))
		cause = (int)mmu_access_fault(acc);
	if (cause) {
		hart_raise(h, (unsigned)cause, va);
		return -1;
	}
	*pa = x.paddr;
	*cacheable = x.cacheable;
	return 0;
}

static int phys_access_or_raise(struct hart *h, uint64_t va, uint64_t pa, unsigned size,
				uint64_t *val, enum access acc)
{
	int r = acc == ACC_WRITE ? phys_write(h->m, h, pa, size, *val)
				 : phys_read(h->m, h, pa, size, val);
	if (r) {
		hart_raise(h, mmu_access_fault(acc), va);
		return -1;
	}
	return 0;
}

/* An access crossing a page boundary: both pages are translated before any
 * byte moves, then it proceeds byte by byte (little-endian). */
static int cross_page(struct hart *h, uint64_t va, unsigned size, uint64_t *val, enum access acc)
{
	uint64_t va2 = (va | 0xfff) + 1, pa1, pa2, v = 0, b;
	unsigned n1 = (unsigned)(va2 - va);
	bool c;
	if (xlate_data(h, va, acc, &pa1, &c) || xlate_data(h, va2, acc, &pa2, &c))
		return -1;
	for (unsigned i = 0; i < size; i++) {
		uint64_t pa = i < n1 ? pa1 + i : pa2 + (i - n1);
		b = (*val >> (8 * i)) & 0xff;
		if (phys_access_or_raise(h, i < n1 ? va + i : va2 + (i - n1), pa, 1, &b, acc))
			return -1;
		v |= (b & 0xff) << (8 * i);
	}
	if (acc == ACC_READ)
		*val = v;
	return 0;
}

int mmu_load(struct hart *h, uint64_t va, unsigned size, uint64_t *val)
{
	uint64_t pa;
	bool cacheable;
	if ((va & 0xfff) + size > 4096) {
		*val = 0;
		return cross_page(h, va, size, val, ACC_READ);
	}
	if (xlate_data(h, va, ACC_READ, &pa, &cacheable))
		return -1;
	if (in_ram(h->m, pa) && in_ram(h->m, pa + size - 1)) {
		if (cacheable)
			hc_install(h, h->data_ctx, ACC_READ, va, pa);
		*val = 0;
		memcpy(val, h->m->ram + (pa - RAM_BASE), size);
		return 0;
	}
	return phys_access_or_raise(h, va, pa, size, val, ACC_READ);
}

int mmu_store(struct hart *h, uint64_t va, unsigned size, uint64_t val)
{
	uint64_t pa;
	bool cacheable;
	if ((va & 0xfff) + size > 4096)
		return cross_page(h, va, size, &val, ACC_WRITE);
	if (xlate_data(h, va, ACC_WRITE, &pa, &cacheable))
		return -1;
	if (in_ram(h->m, pa) && in_ram(h->m, pa + size - 1) &&
	    !h->m->page_flags[(pa - RAM_BASE) >> 12]) {
		if (cacheable)
			hc_install(h, h->data_ctx, ACC_WRITE, va, pa);
		memcpy(h->m->ram + (pa - RAM_BASE), &val, size);
		return 0;
	}
	return phys_access_or_raise(h, va, pa, size, &val, ACC_WRITE);
}
