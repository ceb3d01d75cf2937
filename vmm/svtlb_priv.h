/*
 * svtlb_priv.h - Svtlb internals shared by svtlb.c (translation, inserts,
 * purges), svtlb_vhpt.c (hash functions and the hardware VHPT walker) and
 * svtlb_csr.c (the custom CSR file).  Not part of any public interface: the
 * guest-visible contract is docs/platform.md, section "Svtlb"; the engine's
 * contract is svtlb.h.  Every constant below names the spec subsection that
 * defines it.
 */
#ifndef VMM_SVTLB_PRIV_H
#define VMM_SVTLB_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "hart.h"

/* Spec "Regions and implemented addresses". */
#define SVTLB_NREGIONS 8
#define SVTLB_IMPL_VA_BITS 51 /* offset bits within a region: va[50:0] */
#define SVTLB_VRN(va) ((unsigned)((va) >> 61))
#define SVTLB_OFFSET_MASK ((1ull << SVTLB_IMPL_VA_BITS) - 1)

/* Spec "Page sizes": 4K 8K 16K 64K 256K 1M 4M 16M 64M 256M. */
#define SVTLB_PS_SUPPORTED                                                                         \
	((1ull << 12) | (1ull << 13) | (1ull << 14) | (1ull << 16) | (1ull << 18) | (1ull << 20) | \
	 (1ull << 22) | (1ull << 24) | (1ull << 26) | (1ull << 28))

/* Spec "Region registers": ve[0], ps[7:2], rid[31:8]. */
#define RR_VE 1ull
#define RR_PS(rr) ((unsigned)(((rr) >> 2) & 0x3f))
#define RR_RID(rr) ((uint32_t)(((rr) >> 8) & 0xffffff))
#define RR_WRITABLE 0xfffffffdull /* bits 31:2 and 0 */

/* Spec "PTA": ve[0], size[7:2], vf[8] (reads 1), base[63:15]. */
#define PTA_VE 1ull
#define PTA_VF (1ull << 8)
#define PTA_SIZE(p) ((unsigned)(((p) >> 2) & 0x3f))
#define PTA_BASE_MASK (~0x7fffull)
#define PTA_SIZE_MIN 15
#define PTA_SIZE_MAX 40

/* Spec "ITIR": ps[7:2], key[31:8] (written with the RID on a fault). */
#define ITIR_PS(v) ((unsigned)(((v) >> 2) & 0x3f))
#define ITIR_MASK 0xfffffffcull

/* Spec "The Svtlb PTE". */
#define SVPTE_P (1ull << 0)
#define SVPTE_R (1ull << 1)
#define SVPTE_W (1ull << 2)
#define SVPTE_X (1ull << 3)
#define SVPTE_U (1ull << 4)
#define SVPTE_A (1ull << 5)
#define SVPTE_D (1ull << 6)
#define SVPTE_MA_UC (1ull << 8)
#define SVPTE_PPN_MASK 0x00fffffffffff000ull /* bits 55:12 */

/* Spec "ISR". */
#define ISR_X (1ull << 0)
#define ISR_W (1ull << 1)
#define ISR_R (1ull << 2)
#define ISR_U (1ull << 8)
#define ISR_MASK (ISR_X | ISR_W | ISR_R | ISR_U)

/* Spec "CSRs": psr keeps bit 0, ic. */
#define PSR_IC 1ull

/* Spec "VHPT": 32-byte long-format entries; tag bit 63 is ti. */
#define VHPT_ENTRY_SIZE 32
#define VHPT_TAG_TI (1ull << 63)

/* Spec "Exception causes". */
enum svtlb_cause {
	SVTLB_EXC_ITLB_MISS = 24,
	SVTLB_EXC_DTLB_MISS = 25,
	SVTLB_EXC_ALT_ITLB_MISS = 26,
	SVTLB_EXC_ALT_DTLB_MISS = 27,
	SVTLB_EXC_VHPT_FAULT = 28,
	SVTLB_EXC_PAGE_NOT_PRESENT = 29,
	SVTLB_EXC_ACCESS_RIGHTS = 30,
	SVTLB_EXC_DIRTY_BIT = 31,
	SVTLB_EXC_ACCESS_BIT = 48,
	SVTLB_EXC_NESTED_DTLB = 49, /* a data miss with psr.ic = 0 (4.8) */
};
/* An unimplemented address raises the standard page fault of the access
 * (EXC_INSN_PAGE, EXC_LOAD_PAGE, EXC_STORE_PAGE), like a non-canonical
 * address under Sv39. */

/* Spec "CSRs" (4.3): the custom S-mode CSR numbers. */
enum svtlb_csr {
	CSR_RR0 = 0x5c0, /* .. CSR_RR0 + 7 */
	CSR_PTA = 0x5c8,
	CSR_IFA = 0x5c9,
	CSR_ITIR = 0x5ca,
	CSR_IHA = 0x5cb,
	CSR_ISR = 0x5cc,
	CSR_TRSLOT = 0x5cd,
	CSR_PSR = 0x5ce,
	CSR_ITC_I = 0x5d0,
	CSR_ITC_D = 0x5d1,
	CSR_ITR_I = 0x5d2,
	CSR_ITR_D = 0x5d3,
	CSR_PTC_L = 0x5d4,
	CSR_PTC_E = 0x5d5,
	CSR_PTC_G = 0x5d6,
	CSR_PTR_I = 0x5d7,
	CSR_PTR_D = 0x5d8,
	CSR_THASH = 0x5da,
	CSR_TTAG = 0x5db,
};

/* Owner-defined tlb_entry.perm bit marking a TC entry made by Svtlb (so a
 * stale Sv39 entry left in the shared tlb_model is never taken for one). */
#define TLBP_SVTLB 0x80

#define SVTLB_NTR 8

/* One translation register: a pinned mapping of [va, va + 2^ps). */
struct svtlb_tr {
	uint64_t va;  /* aligned to 2^ps, region bits included */
	uint64_t pte; /* as inserted */
	uint32_t rid;
	uint8_t ps;
	bool valid;
};

enum svtlb_side { SIDE_I = 0, SIDE_D = 1 };

struct svtlb {
	struct hart *h;
	uint64_t rr[SVTLB_NREGIONS];
	uint64_t pta, ifa, itir, iha, isr, trslot, tva;
	uint64_t psr;                     /* bit 0 ic: interruption collection (4.8) */
	struct svtlb_tr tr[2][SVTLB_NTR]; /* [side][slot] */
};

/* A translation found for one access: the mapping's PTE and page size. */
struct svtlb_map {
	uint64_t pte;
	unsigned ps;
};

/* The operation CSRs itc_i .. ptr_d (0x5D0-0x5D8): a write performs the
 * operation, a read returns zero (spec "CSRs"). */
static inline bool svtlb_is_op_csr(unsigned csr)
{
	return csr >= CSR_ITC_I && csr <= CSR_PTR_D;
}

/* Writes that change translation state: rr0-7, pta and the operation CSRs
 * trap under mstatus.TVM from S-mode, as satp writes do (spec "CSRs"). */
static inline bool svtlb_csr_changes_translation(unsigned csr)
{
	return (csr >= CSR_RR0 && csr <= CSR_PTA) || svtlb_is_op_csr(csr);
}

/* Does a fault of this cause on an access of kind acc become a nested DTLB
 * miss under psr (spec "Exception causes": the data misses, ic = 0)? */
static inline bool svtlb_nested(uint64_t psr, enum access acc, int cause)
{
	return !(psr & PSR_IC) && acc != ACC_FETCH &&
	       (cause == SVTLB_EXC_DTLB_MISS || cause == SVTLB_EXC_ALT_DTLB_MISS ||
		cause == SVTLB_EXC_VHPT_FAULT);
}

static inline bool svtlb_ps_ok(unsigned ps)
{
	return ps < 64 && ((SVTLB_PS_SUPPORTED >> ps) & 1);
}

/* va[60:51] must all equal va[50] (spec "Regions and implemented addresses"). */
static inline bool svtlb_va_implemented(uint64_t va)
{
	uint64_t hi = (va >> (SVTLB_IMPL_VA_BITS - 1)) & 0x7ff; /* bits 60:50 */
	return hi == 0 || hi == 0x7ff;
}

static inline uint32_t svtlb_rid_of(const struct svtlb *s, uint64_t va)
{
	return RR_RID(s->rr[SVTLB_VRN(va)]);
}

/* The VHPT hash and tag (spec "Hash function") of a region VPN under a RID:
 * svtlb_thash/svtlb_ttag apply them to rr[va.vrn]; the VMM to its machine
 * VHPT under any RID.  A 64-bit odd constant (2^64 / golden ratio) spreads
 * RIDs over the table so that address spaces mapping the same virtual
 * pages do not all collide.  The tag holds the RID in bits 62:39 and the
 * VPN in bits 38:0 (a VPN has at most 51 - 12 = 39 bits); bit 63 (ti) is
 * never set, so an entry whose ti is set matches nothing. */
#define SVTLB_RID_MIX 0x9e3779b97f4a7c15ull
static inline uint64_t svtlb_vhpt_index(uint32_t rid, uint64_t vpn, uint64_t entries)
{
	return (vpn ^ (((uint64_t)rid * SVTLB_RID_MIX) >> 40)) & (entries - 1);
}

static inline uint64_t svtlb_vhpt_tag(uint32_t rid, uint64_t vpn)
{
	return ((uint64_t)rid << 39) | vpn;
}

/* svtlb_vhpt.c */
uint64_t svtlb_thash(const struct svtlb *s, uint64_t va);
uint64_t svtlb_ttag(const struct svtlb *s, uint64_t va);
/* Runs the hardware walker for a TC miss on va.  Returns 0 with *mp filled
 * (entry inserted in the TC) or the cause of the fault to deliver. */
int svtlb_vhpt_walk(struct svtlb *s, uint64_t va, enum svtlb_side side, struct svtlb_map *mp);

/* svtlb.c: TLB operations used by the CSR file and the walker. */
struct tlb_model *svtlb_tc(struct hart *h, enum svtlb_side side);
void svtlb_tc_insert(struct hart *h, enum svtlb_side side, uint64_t va, uint32_t rid, unsigned ps,
		     uint64_t pte);
void svtlb_tr_insert(struct svtlb *s, enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps,
		     uint64_t pte);
/* Purges TC entries of rid overlapping [va, va + 2^ps) on both sides. */
void svtlb_tc_purge(struct hart *h, uint64_t va, unsigned ps, uint32_t rid);
/* Purges TRs (and TC entries) of one side overlapping [va, va + 2^ps). */
void svtlb_tr_purge(struct svtlb *s, enum svtlb_side side, uint64_t va, unsigned ps);
void svtlb_tc_flush(struct hart *h);
/* The permission and bit checks of a translation, in the order of the
 * spec's fault priority table (4.7): 0 or the Svtlb cause.  The hypervisor
 * applies the same rules to the guest's view (hv_inject.c). */
int svtlb_check_access(const struct hart *h, uint64_t pte, enum access acc, unsigned priv);

#endif
