/*
 * svtlb.c - the Svtlb back end (docs/platform.md 4), the Linux/ia64 way:
 *
 *   region 7  kernel identity (KERNBASE + pa), walker off.  The image and
 *             the boot allocations after it are pinned by one instruction
 *             and one data TR (core's stacks and trap frames live there, so
 *             the trap entry never misses); other RAM is reached through
 *             Alt-ITLB/DTLB misses that insert 16 MiB identity pages (itc).
 *   region 6  uncached I/O (IOBASE + pa), walker off: every device page
 *             miss is an Alt-DTLB fault inserting a 4 KiB ma=UC page.
 *   region 0  user space, walker on, one RID per address space (asid.c).
 *             A per-CPU long-format VHPT plays the part of Linux/ia64's
 *             virtually-mapped linear page table (arch/ia64/kernel/ivt.S,
 *             vhpt_miss: the walker reads the PTEs themselves, so every
 *             page of a mapped page-table page - present or not - is
 *             visible to it): it is sized to hold one entry per page of
 *             RAM, and when the walker finds no entry for an address (ITLB/
 *             DTLB miss with no entry of its tag at the hash address) the
 *             handler writes the entries of the whole 2 MiB leaf table
 *             around it that lie in a VMA - present PTEs as translations,
 *             absent ones as p = 0 entries - as Linux's VHPT-miss handler
 *             maps a whole page of the linear table.  Later first touches
 *             in that leaf are then page-not-present faults (the walker
 *             finds the p = 0 entry), as on Linux/ia64; the handler
 *             resolves them (demand-zero, COW through as_resolve), writes
 *             the one entry and inserts with itc.  Access- and dirty-bit
 *             faults set A/D in the PTE, update VHPT and TC.
 *
 * Context switch writes rr0 only.  Shootdowns: invalidate the VHPT entries
 * of the range in every VHPT of a CPU that ran the space, then ptc.g (the
 * architectural global purge: it reaches all harts synchronously, so no
 * IPIs are needed), for the current and the previous RID of the space.
 */
#include "svtlb_hw.h"

/* Per-CPU VHPT: 32 bytes per page of RAM (one entry per physical page, the
 * reach of a linear page table), 64 KiB to 2 MiB. */
#define VHPT_SHIFT_MIN 16
#define VHPT_SHIFT_MAX 21
#define VHPT_SIZE (1ull << vhpt_shift)
#define VHPT_ENTRIES (VHPT_SIZE / 32)
#define VHPT_TI (1ull << 63)
#define LEAF_SPAN (512ull * PAGE_SIZE) /* VA range of one leaf page table */
#define KERNEL_PS 24                   /* region 7 identity pages: 16 MiB */
#define RID_KERNEL 1
#define RID_IO 2
#define RID_NOUSER 3 /* rr0 before any user space runs */
#define RID_FIRST 8
#define RID_LAST 0xffffff
#define TR_KERNEL_SLOT 0
#define SVTLB_NTR 8       /* TRs per side: trslot bits 2:0 (docs/platform.md 4.3) */
#define PAGE_PURGE_MAX 16 /* larger ranges: 256 MiB purges */
#define SATP_SVTLB (14ull << 60)
#define VA_REGION(va) ((va) >> 61)

struct vhpt_entry {
	uint64_t pte, itir, tag, chain;
};

static uint64_t vhpt_base_pa;
static unsigned vhpt_shift;
static unsigned image_ps;

void svtlb_init(void)
{
	uint64_t bytes = (mm_ram_end - mm_ram_base) / PAGE_SIZE * 32;
	vhpt_shift = VHPT_SHIFT_MIN;
	while (vhpt_shift < VHPT_SHIFT_MAX && (1ull << vhpt_shift) < bytes)
		vhpt_shift++;
	vhpt_base_pa = bootmem_alloc(ncpus() * VHPT_SIZE, VHPT_SIZE);
	tag_init(RID_FIRST, RID_LAST);
}

/* ---- hash and tag (docs/platform.md 4.5), region 0 with ps 12 ---- */

static struct vhpt_entry *vhpt_slot(uint64_t vhpt_pa, uint32_t rid, uint64_t va)
{
	uint64_t vpn = (va & ((1ull << 51) - 1)) >> 12;
	uint64_t mix = ((uint64_t)rid * 0x9E3779B97F4A7C15ull) >> 40;
	uint64_t idx = (vpn ^ mix) & (VHPT_ENTRIES - 1);
	return (struct vhpt_entry *)P2V(vhpt_pa + idx * 32);
}

static uint64_t vhpt_tag(uint32_t rid, uint64_t va)
{
	return ((uint64_t)rid << 39) | ((va & ((1ull << 51) - 1)) >> 12);
}

static void vhpt_clear(uint64_t vhpt_pa)
{
	struct vhpt_entry *e = P2V(vhpt_pa);
	for (uint64_t i = 0; i < VHPT_ENTRIES; i++)
		e[i].tag = VHPT_TI;
}

static void vhpt_insert(uint64_t vhpt_pa, uint32_t rid, uint64_t va, uint64_t pte)
{
	struct vhpt_entry *e = vhpt_slot(vhpt_pa, rid, va);
	e->tag = VHPT_TI; /* never a half-written entry for the walker */
	e->pte = pte;
	e->itir = 12 << 2;
	e->tag = vhpt_tag(rid, va);
}

bool svtlb_vhpt_has(struct mm_cpu *c, uint32_t rid, uint64_t va)
{
	struct vhpt_entry *e = vhpt_slot(c->vhpt_pa, rid, va);
	return e->tag == vhpt_tag(rid, va);
}

/* ---- per CPU ---- */

/* The TR page sizes the kernel uses, smallest first: 16, 64, 256 MiB. */
static const unsigned tr_sizes[] = { 24, 26, 28 };
#define NTR_SIZES (sizeof(tr_sizes) / sizeof(tr_sizes[0]))

static unsigned pick_image_ps(void)
{
	for (unsigned i = 0; i < NTR_SIZES; i++)
		if (mm_kernel_end - (mm_ram_base & ~((1ull << tr_sizes[i]) - 1)) <=
		    (1ull << tr_sizes[i]))
			return tr_sizes[i];
	panic("mm/svtlb.c: kernel image + boot memory end at 0x%llx: more than a 256 MiB TR",
	      (unsigned long long)mm_kernel_end);
}

/* The paravirtual kernel's cooperation with the VMM (paper 003, 2.2: the
 * single TLB "works well with paravirtualization" because the guest can
 * cooperate to avoid TLB misses): it pins its identity map of RAM with data
 * TRs of up to 256 MiB, so that its region-7 accesses never depend on a TC
 * entry the VMM's vTLB may have dropped.  The unmodified kernel maps only
 * the image with a TR and reaches the rest through Alt-DTLB misses, as
 * Linux/ia64 does.  true when the pinned pages cover the image and boot
 * memory (else the image TR is used). */
static bool pin_ram_pv(void)
{
#ifdef KERNEL_PV
	uint64_t pa = mm_ram_base;
	unsigned slot = 0;
	while (slot < SVTLB_NTR && pa < mm_ram_end) {
		unsigned ps = 0; /* the largest size aligned at pa and inside RAM */
		for (unsigned i = NTR_SIZES; i-- > 0 && !ps;)
			if ((pa & ((1ull << tr_sizes[i]) - 1)) == 0 &&
			    pa + (1ull << tr_sizes[i]) <= mm_ram_end)
				ps = tr_sizes[i];
		if (!ps)
			break;
		if (slot == 0 && pa + (1ull << ps) < mm_kernel_end)
			return false;
		svtlb_itr(SIDE_D, slot++, KERNBASE + pa, ps, pa | SV_P | SV_R | SV_W | SV_A | SV_D);
		pa += 1ull << ps;
	}
	return slot > 0;
#else
	return false;
#endif
}

void svtlb_flush_local_all(struct mm_cpu *c)
{
	svtlb_ptc_e();
	vhpt_clear(c->vhpt_pa);
}

void svtlb_init_cpu(struct mm_cpu *c)
{
	c->vhpt_pa = vhpt_base_pa + c->id * VHPT_SIZE;
	vhpt_clear(c->vhpt_pa);
	if (!image_ps)
		image_ps = pick_image_ps();
	/* region registers first: an insert takes the RID of rr[ifa.vrn] */
	csr_write(0x5c7, RR_VALUE(RID_KERNEL, KERNEL_PS, 0));
	csr_write(0x5c6, RR_VALUE(RID_IO, 12, 0));
	csr_write(0x5c0, RR_VALUE(RID_NOUSER, 12, 1));
	uint64_t pa = mm_ram_base & ~((1ull << image_ps) - 1);
	svtlb_itr(SIDE_I, TR_KERNEL_SLOT, KERNBASE + pa, image_ps, pa | SV_P | SV_R | SV_X | SV_A);
	if (!pin_ram_pv())
		svtlb_itr(SIDE_D, TR_KERNEL_SLOT, KERNBASE + pa, image_ps,
			  pa | SV_P | SV_R | SV_W | SV_A | SV_D);
	csr_write(0x5c8, c->vhpt_pa | ((uint64_t)vhpt_shift << 2) | 1);
	csr_write(satp, SATP_SVTLB);
	if ((csr_read(satp) >> 60) != 14)
		panic("mm/svtlb.c: satp.MODE=14 refused (machine run with --no-svtlb?); boot with "
		      "mmu=sv39");
	svtlb_ptc_e(); /* the TC held Sv39 translations (docs/platform.md 4.6) */
}

void svtlb_activate(struct aspace *as, struct mm_cpu *c)
{
	uint32_t tag;
	if (tag_assign(as, c, &tag))
		svtlb_flush_local_all(c); /* first use of a new RID generation */
	__atomic_store_n(&c->cur_tag, tag, __ATOMIC_SEQ_CST);
	csr_write(0x5c0, RR_VALUE(tag, 12, 1));
}

/* ---- shootdown ---- */

static void vhpt_inval_range(uint64_t vhpt_pa, uint32_t rid, uint64_t start, uint64_t end)
{
	/* probe the range's own slots while that is cheaper than a scan */
	if ((end - start) / PAGE_SIZE <= VHPT_ENTRIES / 8) {
		for (uint64_t va = start; va < end; va += PAGE_SIZE) {
			struct vhpt_entry *e = vhpt_slot(vhpt_pa, rid, va);
			if (e->tag == vhpt_tag(rid, va))
				e->tag = VHPT_TI;
		}
		return;
	}
	struct vhpt_entry *e = P2V(vhpt_pa);
	uint64_t lo = vhpt_tag(rid, start), hi = vhpt_tag(rid, end);
	for (uint64_t i = 0; i < VHPT_ENTRIES; i++)
		if (e[i].tag >= lo && e[i].tag < hi)
			e[i].tag = VHPT_TI;
}

static void purge_rid(uint32_t rid, uint64_t start, uint64_t end)
{
	if ((end - start) / PAGE_SIZE <= PAGE_PURGE_MAX) {
		for (uint64_t va = start; va < end; va += PAGE_SIZE)
			svtlb_ptc_g(va, 12, rid);
		return;
	}
	for (uint64_t va = start & ~((1ull << 28) - 1); va < end; va += 1ull << 28)
		svtlb_ptc_g(va, 28, rid);
}

static void add_rid(uint32_t *rids, int *n, uint32_t rid)
{
	for (int i = 0; i < *n; i++)
		if (rids[i] == rid)
			return;
	if (rid)
		rids[(*n)++] = rid;
}

/* The RIDs under which a CPU in mask may hold translations of as: its tag,
 * its previous one, and the RID each CPU that has as current activated it
 * with.  That last one can be older than both: a CPU that runs on without
 * a switch keeps its RID while the others re-activate as in two later
 * generations (asid.c); it flushes only at its own next activation, which
 * can be long after a purge that must reach it now (the reason Linux's
 * arm64 allocator keeps the running CPUs' ASIDs across a rollover).
 *
 * as->tag and prev_tag are read without id_lock, so a tag_assign() on
 * another CPU may be seen half done: the new tag with the prev_tag before
 * it, missing the tag T it just replaced.  T is then of an older
 * generation, and a CPU holds live translations under it only while it
 * still runs as under T (its cur_tag, read here); a CPU that has left as
 * looks T up again only after it has flushed for the new generation, the
 * only one in which T can be handed out again. */
static int flush_rids(struct aspace *as, uint64_t mask, uint32_t *rids)
{
	int n = 0;
	add_rid(rids, &n, __atomic_load_n(&as->tag, __ATOMIC_RELAXED));
	add_rid(rids, &n, __atomic_load_n(&as->prev_tag, __ATOMIC_RELAXED));
	for (unsigned cpu = 0; cpu < MAXCPU; cpu++)
		if ((mask & (1ull << cpu)) &&
		    __atomic_load_n(&mm_cpus[cpu].cur, __ATOMIC_SEQ_CST) == as)
			add_rid(rids, &n, __atomic_load_n(&mm_cpus[cpu].cur_tag, __ATOMIC_SEQ_CST));
	return n;
}

void svtlb_flush_range(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t mask = __atomic_load_n(&as->cpus, __ATOMIC_SEQ_CST);
	uint32_t rids[2 + MAXCPU];
	if (!__atomic_load_n(&as->tag, __ATOMIC_RELAXED))
		return; /* never activated: nothing can be cached */
	int nrids = flush_rids(as, mask, rids);
	svtlb_batch_begin();
	for (int r = 0; r < nrids; r++) {
		for (unsigned cpu = 0; cpu < MAXCPU; cpu++)
			if (mask & (1ull << cpu))
				vhpt_inval_range(mm_cpus[cpu].vhpt_pa, rids[r], start, end);
		purge_rid(rids[r], start, end);
	}
	svtlb_batch_end();
}

/* ---- faults ---- */

static bool is_ram_identity(uint64_t pa)
{
	return pa >= (mm_ram_base & ~((1ull << KERNEL_PS) - 1)) && pa < mm_ram_end;
}

/* Region 7: identity pages for RAM (and 4 KiB UC pages for devices reached
 * through KERNBASE, e.g. a pointer io_map() made before the switch). */
static int kernel_alt_miss(uint64_t cause, uint64_t va)
{
	uint64_t pa = va - KERNBASE;
	uint64_t big = (1ull << KERNEL_PS) - 1;
	if (cause == 26 && is_ram_identity(pa)) {
		svtlb_itc(SIDE_I, va & ~big, KERNEL_PS, (pa & ~big) | SV_P | SV_R | SV_X | SV_A);
		return 0;
	}
	if (cause == 27 && is_ram_identity(pa)) {
		svtlb_itc(SIDE_D, va & ~big, KERNEL_PS,
			  (pa & ~big) | SV_P | SV_R | SV_W | SV_A | SV_D);
		return 0;
	}
	if (cause == 27 && pa < mm_ram_base) {
		svtlb_itc(SIDE_D, PGROUNDDOWN(va), 12,
			  PGROUNDDOWN(pa) | SV_P | SV_R | SV_W | SV_A | SV_D | SV_UC);
		return 0;
	}
	return VTLAB_SIGSEGV;
}

/* Region 6: device registers, uncacheable (docs/devices.md memory map). */
static int io_alt_miss(uint64_t cause, uint64_t va)
{
	uint64_t pa = va - IOBASE;
	if (cause != 27 || pa >= mm_ram_base)
		return VTLAB_SIGSEGV;
	svtlb_itc(SIDE_D, PGROUNDDOWN(va), 12,
		  PGROUNDDOWN(pa) | SV_P | SV_R | SV_W | SV_A | SV_D | SV_UC);
	return 0;
}

static uint64_t to_svtlb_pte(pte_t p)
{
	uint64_t s = SV_P | SV_A | (PTE_PA(p) & SV_PPN_MASK);
	s |= (p & PTE_R) ? SV_R : 0;
	s |= (p & PTE_W) ? SV_W : 0;
	s |= (p & PTE_X) ? SV_X : 0;
	s |= (p & PTE_U) ? SV_U : 0;
	s |= (p & PTE_D) ? SV_D : 0;
	return s;
}

/* The VHPT entries of the leaf page table covering va, for the pages of
 * its 2 MiB that lie in a VMA: what Linux/ia64's walker sees once its VHPT-
 * miss handler has mapped that page of the linear page table (present PTEs,
 * and p = 0 for absent ones: a touch raises page not present).  Lock held. */
static void vhpt_fill_leaf(uint64_t vhpt_pa, uint32_t rid, struct aspace *as, uint64_t va)
{
	uint64_t lo = va & ~(LEAF_SPAN - 1), hi = lo + LEAF_SPAN, next;
	pte_t *leaf = pt_lookup(as->root, lo, &next);
	if (!leaf)
		return;
	for (struct vma *v = as->vmas; v && v->start < hi; v = v->next) {
		uint64_t a = v->start > lo ? v->start : lo, b = v->end < hi ? v->end : hi;
		for (uint64_t p = a; p < b; p += PAGE_SIZE) {
			pte_t e = leaf[(p - lo) / PAGE_SIZE];
			vhpt_insert(vhpt_pa, rid, p, (e & PTE_V) ? to_svtlb_pte(e) : 0);
		}
	}
}

/* Region 0: refill from the page table (misses, page not present,
 * access/dirty bits, access rights = COW or a bad access). */
static int user_refill(uint64_t cause, uint64_t va, uint64_t isr, bool user)
{
	enum mm_access acc = (isr & ISR_X) ? ACC_FETCH : (isr & ISR_W) ? ACC_STORE : ACC_LOAD;
	if (cause == 28)
		return VTLAB_SIGBUS; /* the VHPT is in RAM: cannot happen */
	if (!user && (acc == ACC_FETCH || !(csr_read(sstatus) & (1ull << 18))))
		return VTLAB_SIGSEGV; /* S never runs U code; U data needs SUM */
	struct mm_cpu *c = mm_this_cpu();
	struct aspace *as = c->cur;
	if (!as || va >= USER_TOP)
		return VTLAB_SIGSEGV;
	spin_lock(&as->lock);
	pte_t *pte;
	uint32_t rid = RR_RID(csr_read(0x5c0));
	/* A TLB miss with no entry of va's tag where the walker looked: this
	 * part of the "linear page table" is not in the VHPT yet. */
	bool leaf_absent = (cause == 24 || cause == 25) && !svtlb_vhpt_has(c, rid, va);
	int r = as_resolve(as, va, acc, &pte);
	if (r == 0) {
		uint64_t s = to_svtlb_pte(*pte);
		if (leaf_absent)
			vhpt_fill_leaf(c->vhpt_pa, rid, as, va);
		vhpt_insert(c->vhpt_pa, rid, va, s);
		svtlb_itc(acc == ACC_FETCH ? SIDE_I : SIDE_D, PGROUNDDOWN(va), 12, s);
	}
	spin_unlock(&as->lock);
	return r;
}

uint64_t svtlb_nested_misses;

int svtlb_fault(uint64_t scause, uint64_t va, bool user)
{
	uint64_t isr = csr_read(0x5cc); /* before anything can fault again */
	if (scause == 12 || scause == 13 || scause == 15)
		return VTLAB_SIGSEGV; /* unimplemented address (4.1) */
	if (scause == 49) {
		/* a data miss taken with psr.ic = 0 (this kernel clears ic only in
		 * its self-test): no fault CSRs, stval names the address; in the
		 * regions whose walker is off it is the Alt-DTLB miss */
		__atomic_add_fetch(&svtlb_nested_misses, 1, __ATOMIC_RELAXED);
		if (user || VA_REGION(va) == 0)
			return VTLAB_SIGSEGV;
		scause = 27;
	}
	switch (VA_REGION(va)) {
	case 7: return user ? VTLAB_SIGSEGV : kernel_alt_miss(scause, va);
	case 6: return user ? VTLAB_SIGSEGV : io_alt_miss(scause, va);
	case 0: return user_refill(scause, va, isr, user);
	default: return VTLAB_SIGSEGV;
	}
}
