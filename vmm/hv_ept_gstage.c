/*
 * hv_ept_gstage.c - the G-stage (Sv39x4) table of the EPT configuration:
 * building it from the P2M in the VMM's machine memory, and the modeled
 * hardware's G-stage walk (privileged spec 20211203, 8.5 "Two-Stage Address
 * Translation" and 8.5.1 "Guest Physical Address Translation").
 *
 * Sv39x4 is Sv39 with the root widened by two bits: GPA[40:30] indexes a
 * 2048-entry, 16 KiB-aligned root; GPA[29:21] and GPA[20:12] the next two
 * levels; the PTE format is Sv39's.  Every G-stage access is treated as a
 * U-mode access, so a leaf must have U=1.  Tables are built with A=D=0: the
 * modeled hardware sets them (counted as A/D updates), as it does for the
 * guest's own PTEs.
 */
#include <stdlib.h>
#include <string.h>

#include "hv_ept_priv.h"
#include "sv39_pte.h"

#define PAGE 4096ull
#define MEGA (1ull << 21)
#define GIGA (1ull << 30)

const char *hv_ept_exit_name(enum hv_ept_exit why)
{
	static const char *const names[HV_EPT_EXIT_COUNT] = { "gstage_mmio", "gstage_miss",
							      "gstage_access" };
	return (unsigned)why < HV_EPT_EXIT_COUNT ? names[why] : "?";
}

void hv_ept_params_default(struct hv_ept_params *p)
{
	/* 4 KiB leaves: every G walk is the full three references, the
	 * "15 references for a Sv39-over-Sv39x4 walk" of the issue. */
	p->leaf_shift = 12;
	p->lazy = false;
}

static uint64_t regions(uint64_t lo, uint64_t hi, uint64_t size)
{
	return hi <= lo ? 0 : (hi - 1) / size - lo / size + 1;
}

uint64_t hv_ept_table_bytes(uint64_t guest_ram)
{
	uint64_t hi = RAM_BASE + guest_ram;
	/* root (+ up to 12 KiB to align it) + one table per GiB and per 2 MiB */
	return 2 * HV_EPT_ROOT_BYTES +
	       PAGE * (regions(RAM_BASE, hi, GIGA) + regions(RAM_BASE, hi, MEGA));
}

/* A zeroed table of `bytes` from the pool, aligned to `bytes`. */
static uint64_t table_alloc(struct hv_ept *e, uint64_t bytes)
{
	uint64_t a = (e->pool_next + bytes - 1) & ~(bytes - 1);
	uint8_t *p;
	if (a < e->pool_next || a + bytes > e->pool_end || a + bytes < a)
		return 0;
	p = phys_ram_ptr(e->m, a, bytes);
	if (!p)
		return 0;
	memset(p, 0, bytes);
	e->pool_next = a + bytes;
	e->tables += bytes / PAGE;
	return a;
}

static uint64_t pte_read(struct hv_ept *e, uint64_t a)
{
	uint64_t v = 0;
	memcpy(&v, phys_ram_ptr(e->m, a, 8), 8);
	return v;
}

static void pte_write(struct hv_ept *e, uint64_t a, uint64_t v)
{
	memcpy(phys_ram_ptr(e->m, a, 8), &v, 8);
}

static uint64_t index_of(uint64_t gpa, int level)
{
	uint64_t bits = level == 2 ? 0x7ff : 0x1ff;
	return (gpa >> (12 + 9 * level)) & bits;
}

/* Writes a leaf for gpa at `level` (0: 4 KiB, 1: 2 MiB), creating tables. */
static int map_leaf(struct hv_ept *e, uint64_t gpa, uint64_t mpa, int level)
{
	uint64_t table = e->root;
	for (int l = 2; l > level; l--) {
		uint64_t slot = table + index_of(gpa, l) * 8, pte = pte_read(e, slot);
		if (!(pte & PTE_V)) {
			uint64_t t = table_alloc(e, PAGE);
			if (!t)
				return -1;
			pte = ((t >> 12) << 10) | PTE_V;
			pte_write(e, slot, pte);
		}
		if (pte & (PTE_R | PTE_W | PTE_X))
			return -1; /* already a larger leaf: never built that way */
		table = PTE_PPN(pte) << 12;
	}
	pte_write(e, table + index_of(gpa, level) * 8,
		  ((mpa >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U);
	return 0;
}

static bool in_guest_ram(const struct hv_ept *e, uint64_t gpa)
{
	return gpa >= RAM_BASE && gpa - RAM_BASE < e->guest_ram;
}

/* The 2 MiB range at gpa can be one megapage: wholly guest RAM and its
 * machine pages one aligned, contiguous run. */
static bool mega_ok(struct hv_ept *e, uint64_t gpa, uint64_t *mpa)
{
	uint64_t m0;
	if (!in_guest_ram(e, gpa) || !in_guest_ram(e, gpa + MEGA - 1))
		return false;
	m0 = e->p2m(e->p2m_ctx, gpa);
	if (m0 == HV_EPT_NOT_RAM || (m0 & (MEGA - 1)))
		return false;
	for (uint64_t off = PAGE; off < MEGA; off += PAGE)
		if (e->p2m(e->p2m_ctx, gpa + off) != m0 + off)
			return false;
	*mpa = m0;
	return true;
}

/* Maps the leaf-sized range holding gpa; *size is what it mapped. */
static int map_range(struct hv_ept *e, uint64_t gpa, uint64_t *size)
{
	uint64_t mpa;
	if (!in_guest_ram(e, gpa))
		return -1;
	if (e->p.leaf_shift == 21 && mega_ok(e, gpa & ~(MEGA - 1), &mpa)) {
		*size = MEGA;
		return map_leaf(e, gpa & ~(MEGA - 1), mpa, 1);
	}
	mpa = e->p2m(e->p2m_ctx, gpa & ~(PAGE - 1));
	if (mpa == HV_EPT_NOT_RAM || (mpa & (PAGE - 1)) || !phys_ram_ptr(e->m, mpa, PAGE))
		return -1;
	*size = PAGE;
	return map_leaf(e, gpa & ~(PAGE - 1), mpa, 0);
}

int hv_ept_gmap(struct hv_ept *e, uint64_t gpa)
{
	uint64_t size;
	return map_range(e, gpa, &size);
}

static int map_all(struct hv_ept *e, char *err, size_t errlen)
{
	uint64_t size;
	for (uint64_t gpa = RAM_BASE; gpa - RAM_BASE < e->guest_ram;
	     gpa = (gpa & ~(size - 1)) + size)
		if (map_range(e, gpa, &size)) {
			snprintf(
				err, errlen,
				"hv_ept_gstage.c: guest page 0x%llx: the P2M gives no 4 KiB-aligned "
				"machine RAM page, or the G-stage table pool is full",
				(unsigned long long)gpa);
			return -1;
		}
	return 0;
}

struct hv_ept *hv_ept_new(struct machine *m, const struct hv_ept_params *p, uint64_t guest_ram,
			  hv_ept_p2m_fn p2m, void *p2m_ctx, uint64_t pool_base, uint64_t pool_size,
			  char *err, size_t errlen)
{
	struct hv_ept *e;
	if (p->leaf_shift != 12 && p->leaf_shift != 21) {
		snprintf(err, errlen, "hv_ept_gstage.c: leaf_shift %u: expected 12 or 21",
			 p->leaf_shift);
		return NULL;
	}
	if ((guest_ram & (PAGE - 1)) || guest_ram == 0 ||
	    RAM_BASE + guest_ram > (1ull << HV_EPT_GPA_BITS)) {
		snprintf(err, errlen,
			 "hv_ept_gstage.c: guest_ram 0x%llx: expected a non-zero multiple of 4 KiB "
			 "within the 41-bit guest-physical space",
			 (unsigned long long)guest_ram);
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "hv_ept_gstage.c: out of host memory");
		return NULL;
	}
	e->m = m;
	e->p = *p;
	e->guest_ram = guest_ram;
	e->p2m = p2m;
	e->p2m_ctx = p2m_ctx;
	e->pool_next = pool_base;
	e->pool_end = pool_base + pool_size;
	e->root = table_alloc(e, HV_EPT_ROOT_BYTES);
	if (!e->root) {
		snprintf(
			err, errlen,
			"hv_ept_gstage.c: table pool [0x%llx, +0x%llx): no room for the 16 KiB root "
			"in machine RAM",
			(unsigned long long)pool_base, (unsigned long long)pool_size);
		free(e);
		return NULL;
	}
	if (!p->lazy && map_all(e, err, errlen)) {
		free(e);
		return NULL;
	}
	return e;
}

void hv_ept_delete(struct hv_ept *e)
{
	free(e);
}

/* 8.5.1: G-stage accesses are U-mode accesses; the VS-stage's own reads of
 * its PTEs are checked as loads.  HS-level MXR is not modeled (the VMM maps
 * guest RAM R/W/X). */
static bool g_permits(uint64_t pte, enum access acc)
{
	if (!(pte & PTE_U))
		return false;
	return acc == ACC_FETCH  ? (pte & PTE_X) != 0
	       : acc == ACC_READ ? (pte & PTE_R) != 0
				 : (pte & PTE_W) != 0;
}

static void charge_ref(struct hv_ept *e, struct hart *h)
{
	uint64_t c = h->m->cfg.cost.gstage_ref;
	STAT_CHARGE(h, EV_PT_REF, c);
	e->st[h->id].g_refs++;
}

static void set_ad(struct hv_ept *e, struct hart *h, uint64_t leaf, uint64_t *pte, uint64_t bits)
{
	uint64_t c = h->m->cfg.cost.pt_ref;
	*pte |= bits;
	pte_write(e, leaf, *pte);
	STAT_CHARGE(h, EV_AD_UPDATE, c);
	e->st[h->id].g_ad++;
}

enum g_result hv_ept_gwalk(struct hv_ept *e, struct hart *h, uint64_t gpa, enum access acc,
			   struct g_walk *out)
{
	uint64_t table = e->root, slot = 0, pte = 0;
	int level;
	/* 8.5.1: GPA bits above 40 must be zero, else a guest-page fault. */
	if (gpa >> HV_EPT_GPA_BITS)
		return G_RANGE;
	for (level = 2;; level--) {
		slot = table + index_of(gpa, level) * 8;
		charge_ref(e, h);
		if (!phys_ram_ptr(e->m, slot, 8))
			return G_INVALID; /* a VMM bug: its tables are in machine RAM */
		pte = pte_read(e, slot);
		enum sv39_pte_kind kind = sv39_pte_kind(pte, level);
		if (kind == SV39_PTE_INVALID)
			return G_INVALID;
		if (kind == SV39_PTE_LEAF)
			break;
		table = PTE_PPN(pte) << 12;
	}
	if (sv39_leaf_misaligned(pte, level))
		return G_INVALID;
	if (!g_permits(pte, acc))
		return G_DENIED;
	if (!(pte & PTE_A) || (acc == ACC_WRITE && !(pte & PTE_D)))
		set_ad(e, h, slot, &pte, PTE_A | (acc == ACC_WRITE ? PTE_D : 0));
	out->shift = 12 + 9 * (unsigned)level;
	out->mpa = (PTE_PPN(pte) << 12) | (gpa & ((1ull << out->shift) - 1));
	out->leaf = slot;
	out->perm = sv39_pte_perm(pte);
	return G_OK;
}

void hv_ept_gset_dirty(struct hv_ept *e, struct hart *h, struct g_walk *g)
{
	uint64_t pte = pte_read(e, g->leaf);
	if (!(pte & PTE_D) || !(pte & PTE_A))
		set_ad(e, h, g->leaf, &pte, PTE_A | PTE_D);
	g->perm |= TLB_A | TLB_D;
}
