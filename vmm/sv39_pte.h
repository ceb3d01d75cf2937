/*
 * sv39_pte.h - the Sv39 page-table entry and the rules every walk of one
 * applies (Privileged ISA 20211203, 4.3.2 "Virtual Address Translation
 * Process" and 4.4 "Sv39").  Three walkers share them: the hart's Sv39
 * walk (sv39.c), and under the EPT configuration the VS stage (hv_ept_walk.c)
 * and the G stage, Sv39x4, whose PTE format is Sv39's (hv_ept_gstage.c,
 * spec 8.5.1).
 *
 * Contract: header only, static inline (the walks are hot paths).  What a
 * walker does with a result (which fault it raises, what it charges, how it
 * updates A/D) stays in the walker.
 */
#ifndef VMM_SV39_PTE_H
#define VMM_SV39_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "tlb_model.h"

#define PTE_V 0x001u
#define PTE_R 0x002u
#define PTE_W 0x004u
#define PTE_X 0x008u
#define PTE_U 0x010u
#define PTE_G 0x020u
#define PTE_A 0x040u
#define PTE_D 0x080u
#define PTE_PPN(p) (((p) >> 10) & ((1ull << 44) - 1))
#define PTE_RESERVED (0x3ffull << 54) /* N, PBMT, reserved: no Svnapot/Svpbmt */

/* What a PTE read at `level` (2 = root) tells the walk. */
enum sv39_pte_kind {
	SV39_PTE_INVALID, /* a page fault (4.3.2 steps 3 and 4) */
	SV39_PTE_LEAF,    /* R or X set: the walk stops here (step 5) */
	SV39_PTE_TABLE    /* the next level's table is at PTE_PPN << 12 */
};

static inline enum sv39_pte_kind sv39_pte_kind(uint64_t pte, int level)
{
	/* Step 3: V = 0, or W without R, or a reserved bit set. */
	if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED))
		return SV39_PTE_INVALID;
	if (pte & (PTE_R | PTE_X))
		return SV39_PTE_LEAF;
	/* Step 4: no level below the last; in a non-leaf A, D and U are
	 * reserved for future use and must be zero. */
	if (level == 0 || (pte & (PTE_A | PTE_D | PTE_U)))
		return SV39_PTE_INVALID;
	return SV39_PTE_TABLE;
}

/* Step 6: a superpage leaf whose low PPN bits are not zero. */
static inline bool sv39_leaf_misaligned(uint64_t pte, int level)
{
	return level > 0 && (PTE_PPN(pte) & ((1ull << (9 * level)) - 1));
}

/* The leaf's permission and A/D bits as enum tlb_perm bits. */
static inline unsigned sv39_pte_perm(uint64_t pte)
{
	return ((pte & PTE_R) ? TLB_R : 0) | ((pte & PTE_W) ? TLB_W : 0) |
	       ((pte & PTE_X) ? TLB_X : 0) | ((pte & PTE_U) ? TLB_U : 0) |
	       ((pte & PTE_A) ? TLB_A : 0) | ((pte & PTE_D) ? TLB_D : 0);
}

#endif
