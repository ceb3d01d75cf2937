/*
 * dev_plic.c - the platform-level interrupt controller: 31 level-triggered
 * sources, two contexts per hart (2*hart = M-mode -> MIP_MEIP, 2*hart+1 =
 * S-mode -> MIP_SEIP, as QEMU virt), register layout of the SiFive PLIC.
 *
 * Contract (RISC-V PLIC specification 1.0.0, chapters 3-9): a source whose
 * line is high becomes pending unless it is claimed and not yet completed
 * (the gateway holds one request in flight).  A claim returns the highest
 * priority pending source enabled for the context with priority above the
 * context's threshold (ties: lowest id), or 0, and clears its pending bit.
 * A completion of a source enabled for the context releases the gateway; if
 * the line is still high, the source is pending again.  A line that drops
 * before the claim withdraws its pending request (as QEMU's sifive_plic).  Priority 0 means
 * "never interrupt".  Registers are 32 bits wide and only 32-bit aligned
 * accesses are accepted; unknown offsets read 0 and ignore writes.
 * Register map: docs/devices.md "PLIC".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "devices.h"
#include "devices_private.h"
#include "machine.h"

#define PLIC_NSRC 32 /* source 0 is reserved ("no interrupt") */
#define PLIC_NCTX (2 * MAX_HARTS)
#define PLIC_PRIO_MASK 7u /* priorities 0..7 */
#define PLIC_PENDING 0x1000u
#define PLIC_ENABLE 0x2000u
#define PLIC_ENABLE_STRIDE 0x80u
#define PLIC_CONTEXT 0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u

struct plic {
	struct machine *m;
	unsigned nctx;
	uint32_t priority[PLIC_NSRC];
	uint32_t level; /* line level per source */
	uint32_t pending;
	uint32_t claimed; /* claimed, completion not yet seen */
	uint32_t enable[PLIC_NCTX];
	uint32_t threshold[PLIC_NCTX];
	bool eip[PLIC_NCTX]; /* output last signalled to the hart */
};

#define SRC_MASK 0xfffffffeu /* valid sources 1..31 */

/* Best claimable source of a context, or 0. */
static unsigned plic_best(const struct plic *p, unsigned ctx)
{
	uint32_t cand = p->pending & p->enable[ctx] & SRC_MASK;
	unsigned best = 0, best_prio = p->threshold[ctx];
	for (unsigned s = 1; s < PLIC_NSRC; s++) {
		if ((cand >> s & 1) && p->priority[s] > best_prio) {
			best = s;
			best_prio = p->priority[s];
		}
	}
	return best;
}

/* Recomputes every context's output and tells the harts about changes
 * (only changes, since hart_set_mip() forces a dispatch exit). */
static void plic_update(struct plic *p)
{
	for (unsigned ctx = 0; ctx < p->nctx; ctx++) {
		bool eip = plic_best(p, ctx) != 0;
		if (eip == p->eip[ctx])
			continue;
		p->eip[ctx] = eip;
		struct hart *h = p->m->harts[ctx / 2];
		if (h)
			hart_set_mip(h, ctx & 1 ? MIP_SEIP : MIP_MEIP, eip);
	}
}

/* Gateway: a high line not in flight becomes pending. */
static void plic_gateway(struct plic *p)
{
	p->pending |= p->level & ~p->claimed & SRC_MASK;
}

void plic_set_irq(struct machine *m, unsigned irq, int level)
{
	struct plic *p = m->plic;
	if (!p || irq == 0 || irq >= PLIC_NSRC)
		return;
	if (level) {
		p->level |= 1u << irq;
	} else {
		/* As QEMU's sifive_plic: a device that drops its line withdraws a
		 * request not yet claimed, so an acknowledged device never
		 * leaves a stale claim behind. */
		p->level &= ~(1u << irq);
		p->pending &= ~(1u << irq);
	}
	plic_gateway(p);
	plic_update(p);
}

static uint32_t plic_claim(struct plic *p, unsigned ctx)
{
	unsigned s = plic_best(p, ctx);
	if (s) {
		p->pending &= ~(1u << s);
		p->claimed |= 1u << s;
		plic_update(p);
	}
	return s;
}

static void plic_complete(struct plic *p, unsigned ctx, uint32_t s)
{
	/* PLIC spec 9: a completion for a source not enabled for the context
	 * is silently ignored. */
	if (s == 0 || s >= PLIC_NSRC || !(p->enable[ctx] >> s & 1))
		return;
	p->claimed &= ~(1u << s);
	plic_gateway(p);
	plic_update(p);
}

static int plic_read(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t *val)
{
	struct plic *p = opaque;
	(void)h;
	if (size != 4 || off % 4)
		return -1;
	*val = 0;
	if (off < 4 * PLIC_NSRC) {
		*val = p->priority[off / 4];
	} else if (off == PLIC_PENDING) {
		*val = p->pending;
	} else if (off >= PLIC_ENABLE && off < PLIC_ENABLE + PLIC_ENABLE_STRIDE * p->nctx) {
		uint64_t rel = off - PLIC_ENABLE;
		if (rel % PLIC_ENABLE_STRIDE == 0)
			*val = p->enable[rel / PLIC_ENABLE_STRIDE];
	} else if (off >= PLIC_CONTEXT && off < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * p->nctx) {
		uint64_t rel = off - PLIC_CONTEXT;
		unsigned ctx = (unsigned)(rel / PLIC_CONTEXT_STRIDE);
		if (rel % PLIC_CONTEXT_STRIDE == 0)
			*val = p->threshold[ctx];
		else if (rel % PLIC_CONTEXT_STRIDE == 4)
			*val = plic_claim(p, ctx);
	}
	return 0;
}

static int plic_write(void *opaque, struct hart *h, uint64_t off, unsigned size, uint64_t val)
{
	struct plic *p = opaque;
	(void)h;
	if (size != 4 || off % 4)
		return -1;
	uint32_t v = (uint32_t)val;
	if (off < 4 * PLIC_NSRC) {
		if (off != 0) /* source 0 does not exist: hardwired 0 */
			p->priority[off / 4] = v & PLIC_PRIO_MASK;
	} else if (off >= PLIC_ENABLE && off < PLIC_ENABLE + PLIC_ENABLE_STRIDE * p->nctx) {
		uint64_t rel = off - PLIC_ENABLE;
		if (rel % PLIC_ENABLE_STRIDE == 0)
			p->enable[rel / PLIC_ENABLE_STRIDE] = v & SRC_MASK;
	} else if (off >= PLIC_CONTEXT && off < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * p->nctx) {
		uint64_t rel = off - PLIC_CONTEXT;
		unsigned ctx = (unsigned)(rel / PLIC_CONTEXT_STRIDE);
		if (rel % PLIC_CONTEXT_STRIDE == 0)
			p->threshold[ctx] = v & PLIC_PRIO_MASK;
		else if (rel % PLIC_CONTEXT_STRIDE == 4)
			plic_complete(p, ctx, v);
		else
			return 0;
	} else {
		return 0; /* pending is read-only; reserved space ignores writes */
	}
	plic_update(p);
	return 0;
}

int plic_attach(struct machine *m, char *err, size_t errlen)
{
	struct plic *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "vtlab: plic: out of memory");
		return -1;
	}
	p->m = m;
	/* All MAX_HARTS hart slots get contexts, whether or not the harts
	 * exist yet: outputs to absent harts are dropped in plic_update(). */
	p->nctx = PLIC_NCTX;
	struct device d = {
		.name = "plic",
		.base = PLIC_BASE,
		.size = PLIC_SIZE,
		.opaque = p,
		.read = plic_read,
		.write = plic_write,
	};
	if (bus_add_device(m, &d) != 0) {
		snprintf(err, errlen, "vtlab: plic: window 0x%llx+0x%llx overlaps another device",
			 (unsigned long long)PLIC_BASE, (unsigned long long)PLIC_SIZE);
		free(p);
		return -1;
	}
	m->plic = p;
	return 0;
}

void plic_free(struct machine *m)
{
	free(m->plic);
	m->plic = NULL;
}
