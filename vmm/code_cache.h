/*
 * code_cache.h - pre-decoded instructions, one struct code_page per 4 KiB
 * page of guest RAM that has been executed.
 *
 * Contract: a code page is created on the first fetch from its physical
 * page and lives until the machine is freed (the executor may hold a pointer
 * into it at any time).  Slots start as OP_DECODE and decode themselves on
 * first execution.  While a page has decoded slots it carries PG_CODE, so
 * no hart keeps a fast-path write entry for it: every store to it reaches
 * code_page_invalidate() through the bus, which resets the slots.  That
 * keeps decoded code exact under self-modifying code and DMA.
 */
#ifndef VMM_CODE_CACHE_H
#define VMM_CODE_CACHE_H

#include <stdint.h>

#include "decode.h"

struct machine;

#define CODE_SLOTS 1024 /* 4 KiB / 4-byte instructions */

struct code_page {
	struct insn slot[CODE_SLOTS];
	struct insn end; /* OP_END_PAGE: fall-through into the next page */
	uint64_t paddr;  /* physical base */
};

/* Label table of the executor, indexed by enum op (set by exec.c). */
extern const void *const *exec_labels;

/* Returns the code page of RAM page paddr (aligned), creating it, and
 * marks the page PG_CODE.  NULL if out of memory. */
struct code_page *code_page_get(struct machine *m, uint64_t paddr);
/* Decodes slot i of cp from guest RAM, re-marking the page as code. */
void code_page_decode_slot(struct machine *m, struct code_page *cp, unsigned i);
/* Called for every store that reaches a PG_CODE page. */
void code_page_invalidate(struct machine *m, uint64_t paddr);
void code_cache_free(struct machine *m);

#endif
