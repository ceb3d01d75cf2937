/*
 * hv_ept_priv.h - the EPT configuration's private state: the G-stage
 * (Sv39x4) table the VMM builds and the two-dimensional walker's counters.
 * Used by hv_ept*.c, by hv.c (which owns the `struct hv_ept *` of a domain)
 * and by the unit test; the public contract is hv_ept.h.
 *
 * Contract:
 *  - hv_ept_new() builds the G-stage for guest RAM [RAM_BASE, RAM_BASE +
 *    guest_ram) in the machine memory [pool_base, pool_base + pool_size)
 *    (the VMM's memory above the guest's RAM; hv_ept_table_bytes() says how
 *    much it may need).  The mapping comes from the P2M callback, which
 *    returns the machine address of the guest-physical page holding gpa (or
 *    HV_EPT_NOT_RAM).  Leaves are 4 KiB pages or 2 MiB megapages
 *    (params.leaf_shift 12 or 21; a 2 MiB range whose machine pages are not
 *    one aligned contiguous run falls back to 4 KiB leaves).  With
 *    params.lazy the table starts empty and each first touch of a guest
 *    page is a G-stage miss exit that fills it (as KVM fills its EPT on EPT
 *    violations); otherwise everything is mapped at creation.
 *  - hv_ept_xlate() is the two-dimensional walk behind hv_ept_translate()
 *    (see hv_ept_walk.c for the reference count and costs).
 *  - hv_ept_flush() is HFENCE.GVMA on one hart: every combined entry (all)
 *    or those made from the G-stage leaf that maps gpa (the whole G page,
 *    also when a smaller VS page split it).
 *  - hv_ept_sfence() purges, after the engine's sfence.vma purge, the
 *    combined entries that were split from a VS-stage superpage containing
 *    va (the engine's purge of [va, va+1) cannot see them).
 *  - Exits (G-stage miss, MMIO, G-stage fault) charge cost.vm_exit (plus
 *    cost.hv_mmio for an emulated device access) to the hart and are
 *    reported through on_exit with those cycles (hv_ept.c: hv.c's per-reason
 *    counters and the VM_EXIT trace); without on_exit (unit tests) hv_ept
 *    traces VM_EXIT with the enum hv_ept_exit value as reason.
 *  - Walk costs: cost.tlb_refill per miss, cost.pt_ref per VS-stage PTE
 *    read and per A/D update, cost.gstage_ref per G-stage PTE read; every
 *    read is one EV_PT_REF.
 */
#ifndef VMM_HV_EPT_PRIV_H
#define VMM_HV_EPT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "mmu.h"

#define HV_EPT_NOT_RAM (~0ull)
/* Sv39x4 (privileged spec 20211203, 8.5): 41-bit guest-physical addresses,
 * a 16 KiB root of 2048 entries indexed by GPA[40:30]. */
#define HV_EPT_GPA_BITS 41
#define HV_EPT_ROOT_BYTES 16384ull
/* Tag of the combined entries made while the guest's satp is Bare: above the
 * 16-bit ASID space, so they never answer a Sv39 lookup (a satp.MODE change
 * takes effect without sfence.vma, privileged spec 4.1.11). */
#define HV_EPT_BARE_TAG 0x10000u

enum hv_ept_exit {
	HV_EPT_EXIT_MMIO,   /* "gstage_mmio": device window, emulated by the device model */
	HV_EPT_EXIT_MISS,   /* "gstage_miss": guest RAM not yet in the G-stage (lazy fill) */
	HV_EPT_EXIT_ACCESS, /* "gstage_access": not RAM nor device: access fault injected */
	HV_EPT_EXIT_COUNT
};

struct hv_ept_params {
	unsigned leaf_shift; /* G-stage leaf size: 12 (default) or 21 */
	bool lazy;           /* fill the G-stage on first touch instead of at creation */
};

/* Per-hart counters of the two-dimensional walker (exact). */
struct hv_ept_stats {
	uint64_t walks;       /* two-dimensional walks (TLB misses and D-bit re-walks) */
	uint64_t vs_refs;     /* VS-stage PTE reads */
	uint64_t g_refs;      /* G-stage PTE reads */
	uint64_t vs_ad, g_ad; /* hardware A/D updates per stage */
	uint64_t walk_cycles; /* cycles charged to refill + references + A/D */
	uint64_t exits[HV_EPT_EXIT_COUNT];
	uint64_t exit_cycles[HV_EPT_EXIT_COUNT];
	uint64_t vs_faults; /* VS-stage page faults returned for the guest */
	uint64_t flush_all, flush_gpa, flush_splinters;
};

typedef uint64_t (*hv_ept_p2m_fn)(void *ctx, uint64_t gpa);
typedef void (*hv_ept_exit_fn)(void *ctx, struct hart *h, enum hv_ept_exit why, uint64_t gpa,
			       uint64_t cycles);

struct hv_ept {
	struct machine *m;
	struct hv_ept_params p;
	uint64_t guest_ram; /* bytes of guest RAM at guest-physical RAM_BASE */
	hv_ept_p2m_fn p2m;
	void *p2m_ctx;
	hv_ept_exit_fn on_exit; /* may be NULL */
	void *exit_ctx;
	uint64_t root;                /* machine address of the root table (hgatp.PPN << 12) */
	uint64_t pool_next, pool_end; /* machine memory for the tables */
	uint64_t tables;              /* tables allocated (root counts 4) */
	struct hv_ept_stats st[MAX_HARTS];
};

void hv_ept_params_default(struct hv_ept_params *p);
/* Worst-case bytes of G-stage tables for guest_ram (4 KiB leaves, the root
 * aligned to 16 KiB from any 4 KiB-aligned pool base). */
uint64_t hv_ept_table_bytes(uint64_t guest_ram);
struct hv_ept *hv_ept_new(struct machine *m, const struct hv_ept_params *p, uint64_t guest_ram,
			  hv_ept_p2m_fn p2m, void *p2m_ctx, uint64_t pool_base, uint64_t pool_size,
			  char *err, size_t errlen);
void hv_ept_delete(struct hv_ept *e);
const char *hv_ept_exit_name(enum hv_ept_exit why);

/* hv_ept_gstage.c: the G-stage table. */
enum g_result { G_OK = 0, G_INVALID, G_DENIED, G_RANGE };
struct g_walk {
	uint64_t mpa;   /* machine address of gpa */
	uint64_t leaf;  /* machine address of the leaf PTE */
	unsigned shift; /* leaf page size */
	unsigned perm;  /* enum tlb_perm: R/W/X, A, D after the walk's update */
};
/* Walks the G-stage for gpa as a U-mode access of kind acc (8.5.1: all
 * G-stage accesses are user-level), counting and charging each reference and
 * setting A (and D for writes).  G_INVALID: no mapping; G_DENIED: the leaf
 * does not permit acc; G_RANGE: gpa beyond 41 bits. */
enum g_result hv_ept_gwalk(struct hv_ept *e, struct hart *h, uint64_t gpa, enum access acc,
			   struct g_walk *out);
/* Maps the leaf-sized range holding gpa from the P2M; 0 or -1 (not RAM,
 * out of table memory). */
int hv_ept_gmap(struct hv_ept *e, uint64_t gpa);
/* Sets D on a G-stage leaf a walk returned (the VS-stage A/D write). */
void hv_ept_gset_dirty(struct hv_ept *e, struct hart *h, struct g_walk *g);

/* hv_ept_walk.c */
int hv_ept_xlate(struct hv_ept *e, struct hart *h, uint64_t va, enum access acc, unsigned priv,
		 struct xlate *out);
void hv_ept_flush(struct hv_ept *e, struct hart *h, bool all, uint64_t gpa);
void hv_ept_sfence(struct hv_ept *e, struct hart *h, uint64_t va, uint32_t asid, bool all_asids);
/* Charges one exit to h and reports it (on_exit or a VM_EXIT trace). */
void hv_ept_exit(struct hv_ept *e, struct hart *h, enum hv_ept_exit why, uint64_t gpa);

#endif
