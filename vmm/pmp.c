/*
 * pmp.c - physical memory protection (see pmp.h for the contract).
 *
 * Rules from the Privileged ISA 20211203, 3.7.1: address matching (OFF,
 * TOR, NA4, NAPOT; the lowest-numbered matching entry decides), locking (L
 * makes the entry's cfg and address read-only and applies it to M-mode;
 * a locked TOR entry also locks the previous address), and the reads of
 * pmpaddr with granularity G (NAPOT: bits G-2..0 read as ones; OFF/TOR:
 * bits G-1..0 read as zeros).
 */
#include "pmp.h"

#include "machine.h"
#include "mmu.h"

#define CFG_R 0x01u
#define CFG_W 0x02u
#define CFG_X 0x04u
#define CFG_A 0x18u
#define CFG_L 0x80u
#define A_OFF 0u
#define A_TOR 1u
#define A_NA4 2u
#define A_NAPOT 3u

/* Entry i's cfg byte: pmpcfg0 holds entries 0-7, pmpcfg2 entries 8-15. */
static unsigned cfg_of(const struct hart *h, unsigned i)
{
	return (unsigned)(h->pmpcfg[(i / 8) * 2] >> (8 * (i % 8))) & 0xff;
}

static unsigned mode_of(unsigned cfg)
{
	return (cfg & CFG_A) >> 3;
}

/* Whether entry i (TOR or NAPOT) covers the page at `page`.  Regions are
 * whole pages (G = 10), so a page is either inside or outside. */
static bool covers(const struct hart *h, unsigned i, uint64_t page)
{
	uint64_t a = h->pmpaddr[i];
	if (mode_of(cfg_of(h, i)) == A_TOR) {
		uint64_t g = ~((1ull << PMP_G) - 1);
		uint64_t lo = i ? (h->pmpaddr[i - 1] & g) << 2 : 0, hi = (a & g) << 2;
		return page >= lo && page < hi;
	}
	/* NAPOT: the trailing ones of pmpaddr (at least G-1 of them) give
	 * the size 2^(ones+3). */
	a |= (1ull << (PMP_G - 1)) - 1;
	unsigned ones = (unsigned)__builtin_ctzll(~a);
	if (ones >= 54)
		return true; /* the whole 56-bit physical space */
	uint64_t size = 1ull << (ones + 3);
	return ((page ^ (a << 2)) & ~(size - 1) & ((1ull << 56) - 1)) == 0 && page >> 56 == 0;
}

bool pmp_check(const struct hart *h, uint64_t paddr, enum access acc, unsigned priv)
{
	uint64_t page = paddr & ~0xfffull;
	for (unsigned i = 0; i < PMP_ENTRIES; i++) {
		unsigned cfg = cfg_of(h, i);
		if (mode_of(cfg) == A_OFF || !covers(h, i, page))
			continue;
		if (priv == PRV_M && !(cfg & CFG_L))
			return true;
		return acc == ACC_FETCH  ? (cfg & CFG_X)
		       : acc == ACC_READ ? (cfg & CFG_R)
					 : (cfg & CFG_W);
	}
	return priv == PRV_M;
}

uint64_t pmp_read_cfg(const struct hart *h, unsigned idx)
{
	return idx < 4 && !(idx & 1) ? h->pmpcfg[idx] : 0;
}

static bool addr_locked(const struct hart *h, unsigned i)
{
	if (cfg_of(h, i) & CFG_L)
		return true;
	return i + 1 < PMP_ENTRIES && (cfg_of(h, i + 1) & CFG_L) &&
	       mode_of(cfg_of(h, i + 1)) == A_TOR;
}

void pmp_write_cfg(struct hart *h, unsigned idx, uint64_t val)
{
	uint64_t nv = 0;
	if (idx >= 4 || (idx & 1))
		return;
	for (unsigned b = 0; b < 8; b++) {
		unsigned old = (unsigned)(h->pmpcfg[idx] >> (8 * b)) & 0xff;
		unsigned c = (unsigned)(val >> (8 * b)) & 0xff;
		if (old & CFG_L)
			c = old; /* locked: writes ignored */
		else {
			c &= CFG_R | CFG_W | CFG_X | CFG_A | CFG_L;
			if (!(c & CFG_R))
				c &= ~CFG_W; /* R=0 W=1 is reserved */
			if (mode_of(c) == A_NA4)
				c = (c & ~CFG_A) | (old & CFG_A); /* not selectable with G >= 1 */
		}
		nv |= (uint64_t)c << (8 * b);
	}
	h->pmpcfg[idx] = nv;
	mmu_hc_flush_all(h);
}

uint64_t pmp_read_addr(const struct hart *h, unsigned idx)
{
	uint64_t a;
	if (idx >= PMP_ENTRIES)
		return 0;
	a = h->pmpaddr[idx];
	if (mode_of(cfg_of(h, idx)) == A_NAPOT)
		return a | ((1ull << (PMP_G - 1)) - 1);
	return a & ~((1ull << PMP_G) - 1);
}

void pmp_write_addr(struct hart *h, unsigned idx, uint64_t val)
{
	if (idx >= PMP_ENTRIES || addr_locked(h, idx))
		return;
	h->pmpaddr[idx] = val & ((1ull << 54) - 1); /* bits 55:2 of a 56-bit address */
	mmu_hc_flush_all(h);
}
