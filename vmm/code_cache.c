/*
 * code_cache.c - pre-decoded code pages (see code_cache.h for the contract).
 */
#include "code_cache.h"

#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "mmu.h"

const void *const *exec_labels;

static void reset_slots(struct code_page *cp)
{
	for (unsigned i = 0; i < CODE_SLOTS; i++) {
		cp->slot[i].op = OP_DECODE;
		cp->slot[i].label = exec_labels[OP_DECODE];
	}
	cp->end.op = OP_END_PAGE;
	cp->end.label = exec_labels[OP_END_PAGE];
}

/* Sets PG_CODE and makes every hart drop fast-path writes to the page. */
static void mark_code(struct machine *m, uint64_t pg)
{
	if (m->page_flags[pg] & PG_CODE)
		return;
	m->page_flags[pg] |= PG_CODE;
	for (unsigned i = 0; i < m->nharts; i++)
		mmu_hc_drop_phys_write(m->harts[i], RAM_BASE + (pg << 12));
}

struct code_page *code_page_get(struct machine *m, uint64_t paddr)
{
	uint64_t pg = (paddr - RAM_BASE) >> 12;
	struct code_page *cp = m->code[pg];
	if (!cp) {
		cp = malloc(sizeof(*cp));
		if (!cp)
			return NULL;
		cp->paddr = RAM_BASE + (pg << 12);
		reset_slots(cp);
		m->code[pg] = cp;
	}
	mark_code(m, pg);
	return cp;
}

void code_page_decode_slot(struct machine *m, struct code_page *cp, unsigned i)
{
	uint64_t pg = (cp->paddr - RAM_BASE) >> 12;
	uint32_t w;
	memcpy(&w, m->ram + (pg << 12) + 4 * i, 4);
	mark_code(m, pg);
	decode(w, &cp->slot[i]);
	cp->slot[i].label = exec_labels[cp->slot[i].op];
}

void code_page_invalidate(struct machine *m, uint64_t paddr)
{
	uint64_t pg = (paddr - RAM_BASE) >> 12;
	if (!(m->page_flags[pg] & PG_CODE))
		return;
	m->page_flags[pg] &= (uint8_t)~PG_CODE;
	if (m->code[pg])
		reset_slots(m->code[pg]);
}

void code_cache_free(struct machine *m)
{
	if (!m->code)
		return;
	for (uint64_t i = 0; i < m->ram_pages; i++)
		free(m->code[i]);
	free(m->code);
	m->code = NULL;
}
