/*
 * hv_priv.h - the hypervisor's private state: the domain (struct hv) and its
 * vCPUs (struct vcpu), shared by hv*.c (and hv_ept*.c through hv->ept).  The
 * engine's contract is hv.h; the design is docs/hypervisor.md.
 *
 * Contract:
 *  - One domain per machine.  Machine RAM = the guest's RAM [RAM_BASE,
 *    RAM_BASE + guest_ram) followed by the VMM's own memory [vmm_base,
 *    vmm_end) (machine VHPTs, G-stage tables), handed out by hv_vmm_alloc().
 *    The P2M is the identity over the guest's RAM (guest-physical page g is
 *    machine page g); every other guest-physical address is a device
 *    window (MMIO: emulated, every access exits) or nothing (access fault).
 *    The guest can never name the VMM's memory: hv_p2m() is the only way
 *    from a guest-physical address to a machine one.
 *  - Svtlb configurations: h->svtlb (the hart's struct svtlb, its TC
 *    h->itlb/h->dtlb and its TRs) is the MACHINE TLB, owned by the VMM:
 *    machine RIDs (hv_mrid), machine PTA = the vCPU's machine VHPT (long
 *    format, in VMM memory, walked by the modeled hardware at native
 *    cost), machine PTEs with machine PPNs.  The guest-visible vMMU state
 *    is vcpu->g, a struct svtlb used as a plain record (rr, pta, fault
 *    CSRs, trslot, TRs, the thash/ttag input): never handed to svtlb.c
 *    functions that touch a hart's TLB, only to svtlb_thash/svtlb_ttag,
 *    which then compute with the GUEST's rr and pta.
 *  - Statistics are per vCPU and exact; hv_print_stats() sums them.
 *    Every exit goes through hv_exit_begin()/hv_exit_end() (or
 *    hv_stats_exit() when the cycles are known, as hv_ept reports them).
 */
#ifndef VMM_HV_PRIV_H
#define VMM_HV_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv.h"
#include "machine.h"
#include "svtlb_priv.h"
#include "vtlb.h"

struct hv_ept;
struct hv_mchain;

/* ---- statistics ------------------------------------------------------ */

/* Exit reasons (the rows of `vtlab run`'s exit table; names in hv_stats.c). */
enum hv_exit_reason {
	HVX_CSR_READ,      /* guest read of an Svtlb CSR (rr, pta, ifa, ...) */
	HVX_CSR_WRITE,     /* guest write of an Svtlb register CSR (not an operation) */
	HVX_RR_WRITE,      /* guest write of rr0-rr7 */
	HVX_ITC,           /* itc_i / itc_d */
	HVX_ITR,           /* itr_i / itr_d */
	HVX_PTC_L,         /* ptc_l */
	HVX_PTC_E,         /* ptc_e */
	HVX_PTC_G,         /* ptc_g (every vCPU of the domain) */
	HVX_PTR,           /* ptr_i / ptr_d */
	HVX_TLB_MISS,      /* machine TC and machine VHPT missed: the VMM's miss handler */
	HVX_FAULT,         /* a guest fault found by the machine TLB, reflected */
	HVX_MMIO,          /* access to device memory, emulated (device-model round trip) */
	HVX_SBI,           /* SBI call (the VMM is the firmware) */
	HVX_HYPERCALL,     /* PV hypercall (docs/platform.md 4.10) */
	HVX_GSTAGE_MISS,   /* EPT: G-stage filled on first touch */
	HVX_GSTAGE_ACCESS, /* EPT: not RAM nor device */
	HVX_INTERRUPT,     /* interrupt for the guest: exit, then injected (hv_irq.c) */
	HVX_WFI,           /* the guest's wfi: halt exit */
	HVX_COUNT
};

/* Injected fault kinds (the columns of the paper's Tables 1 and 2). */
enum hv_inject_kind {
	HVI_ITLB_MISS,        /* cause 24 */
	HVI_DTLB_MISS,        /* 25 */
	HVI_ALT_ITLB_MISS,    /* 26 */
	HVI_ALT_DTLB_MISS,    /* 27 */
	HVI_VHPT_FAULT,       /* 28 */
	HVI_PAGE_NOT_PRESENT, /* 29 */
	HVI_ACCESS_RIGHTS,    /* 30 */
	HVI_DIRTY_BIT,        /* 31 */
	HVI_ACCESS_BIT,       /* 48 */
	HVI_NESTED_DTLB,      /* 49: a data miss while the guest's psr.ic = 0 */
	HVI_PAGE_FAULT,       /* 12/13/15: unimplemented address (or VS-stage page fault) */
	HVI_ACCESS_FAULT,     /* 1/5/7: guest-physical address that is neither RAM nor device */
	HVI_COUNT
};

/* Deterministic log-linear histogram of modeled cycles: exact below 16,
 * then 8 sub-buckets per power of two, each remembering the smallest and
 * largest value it holds.  A quantile is exact when its bucket holds one
 * value (the common case: a handler's cost is a sum of cost-table
 * constants), else interpolated between the two by rank (error below the
 * bucket's width, 12.5%, and never outside the values seen). */
#define HV_HIST_BUCKETS 512
struct hv_hist {
	uint64_t b[HV_HIST_BUCKETS];
	uint64_t lo[HV_HIST_BUCKETS], hi[HV_HIST_BUCKETS]; /* valid where b[i] > 0 */
};

struct hv_counter {
	uint64_t count, cycles;
	struct hv_hist hist;
};

struct hv_stats {
	struct hv_counter exit[HVX_COUNT];
	struct hv_counter inject[HVI_COUNT];
	uint64_t vtlb_probes; /* chain elements visited by miss-handler lookups */
	uint64_t vtlb_hits, vtlb_misses;
	uint64_t guest_walks, guest_walk_hits; /* software walks of the guest VHPT */
	uint64_t mvhpt_inserts, mvhpt_purged, mvhpt_clears;
	uint64_t mchain_hits;         /* machine misses served from a collision chain */
	uint64_t mchain_pushes;       /* entries displaced into a chain by an insert */
	uint64_t mchain_recycles;     /* chains recycled at the maximum depth */
	uint64_t mchain_recycles_all; /* pool exhausted: every chain recycled */
	uint64_t mtc_inserts;         /* machine TC inserts made by the VMM */
	uint64_t subpage_inserts; /* guest page larger than what could be mapped: 4 KiB sub-page */
	uint64_t mmio_accesses;   /* device accesses emulated (= HVX_MMIO exits) */
	uint64_t hypercall_ops;   /* operations performed by hypercalls (batch elements) */
};

/* ---- domain and vCPU ------------------------------------------------- */

#define HV_MVHPT_RIDS 4 /* RIDs listed per region (struct vcpu, mvhpt_rids) */

struct vcpu {
	struct hart *h;
	struct hv *hv;
	unsigned id;

	/* Guest-visible vMMU state (see the contract above). */
	struct svtlb g;
	/* The guest's TC entries as the VMM keeps them (single or hash). */
	struct vtlb *vtlb;

	/* Machine VHPT of this vCPU: machine-physical, aligned to its size. */
	uint64_t mvhpt_base;
	uint8_t *mvhpt; /* the same table in host memory (VMM memory: never guest code) */
	unsigned mvhpt_log2;
	/* Largest page size inserted into the machine VHPT per region since
	 * its last clear: a purge must find entries whose page overlaps the
	 * range though their hash slot lies outside it. */
	unsigned mvhpt_max_ps[SVTLB_NREGIONS];
	uint64_t mvhpt_used;          /* inserts since the last clear (0: clearing is free) */
	struct hv_mchain *mchain;     /* its collision chains, or NULL (--machine-vhpt-chain off) */
	const uint32_t *mchain_heads; /* per slot: nonzero when its chain is not empty */
	/* Guest pages given to the machine as 4 KiB sub-pages since the last
	 * ptc.e, per region: the largest page size and the range [lo, last]
	 * they lie in.  The vTLB may forget such a page while its sub-pages
	 * stay in the machine TC and VHPT; a purge there must still reach
	 * them (hv_svtlb_ops.c, cover_ps).  split_ps 0: none. */
	unsigned split_ps[SVTLB_NREGIONS];
	uint64_t split_lo[SVTLB_NREGIONS], split_last[SVTLB_NREGIONS];
	/* The machine RIDs each region has put into the machine VHPT since
	 * its last clear: HV_MVHPT_RIDS at most, a count above that meaning
	 * "too many to list" (hv_mvhpt_rid_taken). */
	uint32_t mvhpt_rids[SVTLB_NREGIONS][HV_MVHPT_RIDS];
	uint8_t mvhpt_nrids[SVTLB_NREGIONS];

	struct hv_stats st;
};

struct hv {
	struct machine *m;
	struct hv_params p;
	uint64_t guest_ram;         /* bytes of guest RAM at RAM_BASE */
	uint64_t vmm_base, vmm_end; /* the VMM's machine memory */
	uint64_t vmm_next;          /* bump allocator */
	uint32_t vmid;              /* domain id: 1 (0 is the VMM) */
	uint32_t rid_salt;          /* machine RID = guest RID ^ rid_salt (24 bits) */
	bool svtlb;                 /* STVT/HTVT/STPV/HTPV */
	bool pv;                    /* STPV/HTPV: hypercalls enabled */
	struct hv_ept *ept;         /* EPT: the G-stage (hv_ept*.c), else NULL */
	struct vcpu *vcpu[MAX_HARTS];
	unsigned nvcpus;
};

/* ---- hv.c ------------------------------------------------------------ */

/* Machine memory of the VMM, aligned to align (power of two): 0 and *mpa,
 * or -1 when the area is exhausted. */
int hv_vmm_alloc(struct hv *hv, uint64_t bytes, uint64_t align, uint64_t *mpa);

enum p2m_kind { P2M_RAM, P2M_MMIO, P2M_NONE };
/* Guest-physical [gpa, gpa+len) -> machine: RAM (wholly inside the guest's
 * RAM; *mpa set), MMIO (inside one device window; *mpa = gpa) or NONE. */
enum p2m_kind hv_p2m(const struct hv *hv, uint64_t gpa, uint64_t len, uint64_t *mpa);
/* Same as a callback for hv_ept_new: the machine address or ~0ull. */
uint64_t hv_p2m_ram(void *hv, uint64_t gpa);

/* ---- hv_stats.c ------------------------------------------------------ */

/* Starts an exit: charges the round trip `entry_cost` (cost.vm_exit or
 * cost.hv_hypercall), traces VM_EXIT; returns the start cycle count. */
uint64_t hv_exit_begin(struct vcpu *v, enum hv_exit_reason r, uint64_t addr, uint64_t entry_cost);
/* Ends it: records the handler's modeled cycles (now - start) under r. */
void hv_exit_end(struct vcpu *v, enum hv_exit_reason r, uint64_t start);
/* Records an exit whose cycles were charged elsewhere (hv_ept's on_exit). */
void hv_stats_exit(struct vcpu *v, enum hv_exit_reason r, uint64_t cycles);
void hv_hist_add(struct hv_hist *hh, uint64_t v);
void hv_hist_merge(struct hv_hist *to, const struct hv_hist *from);
/* The sample of rank ceil(q * n) (q in 0..1; 0 if there are none), exact or
 * interpolated within its bucket as above. */
uint64_t hv_hist_quantile(const struct hv_hist *hh, double q);
const char *hv_exit_name(enum hv_exit_reason r);
const char *hv_inject_name(enum hv_inject_kind k);
/* The exits and injections summed over every vCPU, for the summaries (the
 * database stores each vCPU's own, cli/run_record.c); the other fields of
 * out are left 0: hv_mech_total sums them. */
void hv_stats_total(const struct hv *hv, struct hv_stats *out);

/* The VMM's mechanism counters, by name (hv_mech_name): the vTLB's inserts,
 * purges, recycles and the miss handler's lookups; guest-VHPT walks; the
 * machine VHPT, its chains and TC; sub-pages, MMIO, hypercalls.  The JSON
 * summary's keys and the database's counters of event "vmm". */
enum hv_mech {
	HVM_VTLB_INSERTS,
	HVM_VTLB_PURGES,
	HVM_VTLB_PURGED,
	HVM_VTLB_RECYCLES,
	HVM_VTLB_PROBES,
	HVM_VTLB_HITS,
	HVM_VTLB_MISSES,
	HVM_GUEST_WALKS,
	HVM_GUEST_WALK_HITS,
	HVM_MVHPT_INSERTS,
	HVM_MVHPT_PURGED,
	HVM_MVHPT_CLEARS,
	HVM_MCHAIN_HITS,
	HVM_MCHAIN_DISPLACED,
	HVM_MCHAIN_RECYCLES,
	HVM_MCHAIN_POOL_RECYCLES,
	HVM_MTC_INSERTS,
	HVM_SUBPAGE_INSERTS,
	HVM_MMIO_ACCESSES,
	HVM_HYPERCALL_OPS,
	HVM_COUNT
};
const char *hv_mech_name(enum hv_mech c);
/* v's counters into out[HVM_COUNT]. */
void hv_mech_counters(const struct vcpu *v, uint64_t *out);
/* Every vCPU's counters summed into sum[HVM_COUNT]. */
void hv_mech_total(const struct hv *hv, uint64_t *sum);

/* ---- hv_inject.c ----------------------------------------------------- */

/* Injects an Svtlb fault: sets the guest-visible fault CSRs (ifa = va,
 * itir = guest rr's ps and RID, iha = thash with the guest's rr and pta,
 * isr = the access), counts and traces it, charges cost.hv_inject; returns
 * cause for the engine to raise (delegated to the guest's S-mode). */
int hv_inject(struct vcpu *v, uint64_t va, enum access acc, unsigned priv, int cause);
/* Counts an injected fault that sets no Svtlb CSR (access fault, EPT
 * VS-stage fault); returns cause. */
int hv_inject_plain(struct vcpu *v, uint64_t va, int cause);
/* The architecture's checks on a translation (docs/platform.md 4.7 step 4):
 * 0 or the cause. */
int hv_check_access(const struct hart *h, uint64_t pte, enum access acc, unsigned priv);

/* ---- hv_svtlb*.c ----------------------------------------------------- */

int hv_svtlb_attach(struct vcpu *v, char *err, size_t errlen);
int hv_svtlb_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv,
		       struct xlate *out);
bool hv_svtlb_csr_read(struct vcpu *v, unsigned csr, uint64_t *val, bool *illegal);
bool hv_svtlb_csr_write(struct vcpu *v, unsigned csr, uint64_t val, bool *illegal);

static inline uint32_t hv_mrid(const struct hv *hv, uint32_t grid)
{
	return (grid ^ hv->rid_salt) & 0xffffff;
}

/* Operations on the vMMU shared by the CSR path and the hypercalls (they
 * validate nothing: callers do, as docs/platform.md 4.6 and 4.10 say). */
void hv_op_itc(struct vcpu *v, enum svtlb_side side, uint64_t va, unsigned ps, uint64_t pte);
void hv_op_itr(struct vcpu *v, enum svtlb_side side, unsigned slot, uint64_t va, unsigned ps,
	       uint64_t pte);
void hv_op_ptc(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid, bool global);
void hv_op_ptc_e(struct vcpu *v);
void hv_op_ptr(struct vcpu *v, enum svtlb_side side, uint64_t va, unsigned ps);

/* Machine side (hv_svtlb_machine.c). */
/* Inserts the guest translation of va (page of grid, gps, gpte) into the
 * machine VHPT and TC.  Returns P2M_RAM when inserted, else the kind of the
 * target (MMIO and NONE: nothing inserted); *pa = where va goes (machine
 * address for RAM, the device's address for MMIO). */
enum p2m_kind hv_machine_insert(struct vcpu *v, enum svtlb_side side, uint64_t va, uint32_t grid,
				unsigned gps, uint64_t gpte, uint64_t *pa);
/* Purges machine VHPT entries of guest RID grid whose page overlaps
 * [va, va + 2^ps) (keep_pte: except entries holding exactly that PTE). */
void hv_mvhpt_purge(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid, uint64_t keep_pte);
/* Xen's insertion policy (hv_svtlb_ops.c): true when the machine VHPT slot
 * of va holds the translation of the 4 KiB guest page gpte maps (valid tag
 * of va, the machine PTE made from gpte). */
bool hv_mvhpt_holds(struct vcpu *v, uint64_t va, uint32_t grid, uint64_t gpte);
/* Purges machine TC and machine VHPT entries of guest RID grid overlapping
 * [va, va + 2^ps) on vCPU v. */
void hv_machine_purge(struct vcpu *v, uint64_t va, unsigned ps, uint32_t grid);
void hv_mvhpt_clear(struct vcpu *v);
/* Does another region of the guest hold the RID of region vrn?  The
 * machine VHPT's tags name a RID and a region offset, not the region, so
 * such a region's pages stay out of it (docs/platform.md 4.1). */
bool hv_rid_aliased(const struct vcpu *v, unsigned vrn);
/* Region vrn of the guest has just taken guest RID grid: when another
 * region holds it too, or may have put entries of it into the machine VHPT
 * since the last clear, they go (their tags would translate for vrn). */
void hv_mvhpt_rid_taken(struct vcpu *v, unsigned vrn, uint32_t grid);
/* Machine region register for guest rr value grr. */
uint64_t hv_machine_rr(const struct hv *hv, uint64_t grr);
/* The machine miss handler's first step: when a collision chain holds the
 * machine VHPT entry of va (side's RID of the machine rr), swap it into
 * its hash slot (the access is then retried by the caller).  true if so. */
bool hv_mvhpt_chain_lookup(struct vcpu *v, uint64_t va);

/* Collision chains of the machine VHPT (hv_mvhpt_chain.c).  Entries are
 * VHPT entries (32 bytes); slots index the machine VHPT. */
#define HV_MCHAIN_DEPTH_MAX 15 /* MAX_CCN_DEPTH, xen/include/asm-ia64/vmmu.h */
struct hv_mchain *hv_mchain_new(uint64_t slots, uint32_t size);
void hv_mchain_delete(struct hv_mchain *c);
/* Per hash slot, nonzero when the slot's chain is not empty: lets a purge
 * skip empty chains without a call (the array lives as long as c). */
const uint32_t *hv_mchain_heads(const struct hv_mchain *c);
/* Every chain empty, the pool whole again. */
void hv_mchain_clear(struct hv_mchain *c);
/* Keeps the entry `displaced` from slot in the slot's chain (Xen's rules,
 * see the file); returns the chain entries examined. */
unsigned hv_mchain_push(struct vcpu *v, uint64_t slot, const uint8_t *displaced);
/* The slot's chain entry with this tag (valid tags only match), or NULL;
 * adds the entries examined to *probes. */
uint8_t *hv_mchain_find(struct vcpu *v, uint64_t slot, uint64_t tag, unsigned *probes);
/* The slot's chain entries in order: *cursor 0 to start; NULL at the end. */
uint8_t *hv_mchain_next(struct vcpu *v, uint64_t slot, uint32_t *cursor);
/* Pool entry i if ever handed out since the last clear, else NULL (for a
 * purge that scans everything). */
uint8_t *hv_mchain_pool_entry(struct vcpu *v, uint32_t i);

#endif
