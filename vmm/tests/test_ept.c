/*
 * test_ept.c - unit test of the EPT configuration's two-dimensional walk
 * (vmm/hv_ept_gstage.c, vmm/hv_ept_walk.c; contract hv_ept.h and
 * hv_ept_priv.h), driven directly on a machine without a kernel: the test
 * writes the guest's Sv39 tables into guest memory through a P2M that is
 * NOT the identity (neighbouring pages swapped), so a walk that forgets a
 * G-stage translation reads the wrong page.
 *
 * Checked: reference counts per walk (15 for 4 KiB over 4 KiB, 11 with a VS
 * megapage, 11 with G megapages, 8 with both; 3 under a Bare satp; 3 native)
 * and the cycles charged (tlb_refill + pt_ref per VS read and A/D update +
 * gstage_ref per G read); hardware A/D updates in both stages (A on reads,
 * D on writes only, the G-stage D bit of the page holding an updated VS
 * PTE, a write through a clean entry re-walks without a miss); VS-stage
 * faults (12/13/15 for invalid, U/SUM, non-canonical), G-stage faults
 * (guest-physical address not RAM nor device -> access fault with a
 * "gstage_access" exit; beyond 41 bits); MMIO emulation (device address
 * returned uncached, a "gstage_mmio" exit charged vm_exit + hv_mmio,
 * nothing cached, every access exits; fetches refused); the lazy G-stage
 * (one "gstage_miss" exit per guest page touched); HFENCE.GVMA whole and
 * by guest-physical address (only that page's entries, and the host fast
 * path entry with it); the guest's sfence.vma on a VS superpage split into
 * 4 KiB combined entries; Bare entries never answering a Sv39 lookup;
 * the Svtlb CSRs illegal for the EPT configuration's guest; the G-stage
 * builder (hv_ept_new's refusals and defaults, the exit names,
 * hv_ept_table_bytes exact and enough from a base off 16 KiB in a pool
 * not zeroed, the root 16 KiB-aligned, guest RAM at and above 2^40 up to
 * 2^41, 2 MiB leaves only for aligned contiguous runs inside guest RAM, a
 * G pointer off RAM); the combined entries on a hit (U pages and
 * privilege, also where the G stage grants less; Bare at any privilege
 * and over an execute-only G leaf; dirty only when both stages are, a
 * write-protected dirty G leaf, A and D set together), the VS walk's
 * addresses (VPN bit 8, satp.PPN bit 43, 16-bit ASIDs, the upper
 * canonical half, a misaligned VS megapage, G on a pointer, Sv48
 * refused), fetches in the I-TLB and every fence reaching it, the walk
 * count; HFENCE.GVMA by address sparing a purged slot's stale contents;
 * VM_EXIT traces (reason, guest-physical address, cycles) and
 * gstage_miss cycles; PMP on the walk's PTE reads for a store;
 * hv_ept_fence() by address and whole, a page the VMM unmapped refilled
 * as a gstage_miss exit in hv.c's table.  A machine or G-stage that fails to build is a failed check.
 * Added by
 * mutation testing (2026-12-08), natively (sv39.c, sv39_pte.h): the PTE
 * validity rules, superpage alignment, canonical addresses, satp's PPN
 * and ASID, permissions on a walk and on a TLB hit, MXR/SUM, A/D updates,
 * PMP on the walk, global pointers, the separate I/D TLBs, miss cycles;
 * PMP's matching, permissions and locking (pmp.c); mmu.c's dispatch, MPRV,
 * page crossings, RAM's end, PMP after translation, code-page stores and
 * the fast path's flush on a SUM change.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "csr.h"
#include "hv.h"
#include "hv_ept.h"
#include "hv_ept_priv.h"
#include "hv_priv.h"
#include "machine.h"
#include "mmu.h"
#include "pmp.h"
#include "trace.h"

#define MIB (1ull << 20)
#define GUEST_RAM (8 * MIB)
#define MACHINE_RAM (16 * MIB)

#define V 0x01u
#define R 0x02u
#define W 0x04u
#define X 0x08u
#define U 0x10u
#define G 0x20u
#define A 0x40u
#define D 0x80u

/* Guest-physical layout of the test's page tables and data. */
#define ROOT 0x80100000ull
#define L1T 0x80101000ull
#define L0T 0x80102000ull
#define DATA 0x80200000ull /* 2 MiB aligned: also a megapage target */
#define VA 0x40000000ull   /* VPN2 1, VPN1 0, VPN0 0 */
#define VA_MEGA 0x40200000ull

struct env {
	struct machine *m;
	struct hart *h;
	struct hv_ept *e;
	bool swap; /* P2M swaps neighbouring 4 KiB pages */
	bool rot;  /* P2M: page i of guest RAM is machine page i + 1 (the last one page 0) */
};

static uint64_t p2m(void *ctx, uint64_t gpa)
{
	const struct env *v = ctx;
	if (gpa < RAM_BASE || gpa - RAM_BASE >= GUEST_RAM)
		return HV_EPT_NOT_RAM;
	if (v->rot)
		return RAM_BASE + (gpa - RAM_BASE + 0x1000) % GUEST_RAM;
	return v->swap ? gpa ^ 0x1000 : gpa;
}

static uint64_t pte(uint64_t pa, unsigned flags)
{
	return ((pa >> 12) << 10) | flags;
}

static void gwrite(struct env *v, uint64_t gpa, uint64_t val)
{
	memcpy(phys_ram_ptr(v->m, p2m(v, gpa), 8), &val, 8);
}

static uint64_t gread(struct env *v, uint64_t gpa)
{
	uint64_t val;
	memcpy(&val, phys_ram_ptr(v->m, p2m(v, gpa), 8), 8);
	return val;
}

static uint64_t slot(uint64_t table, uint64_t va, int level)
{
	return table + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
}

/* VA -> DATA + i pages through ROOT/L1T/L0T for i < 8, leaves with flags. */
static void map_small(struct env *v, unsigned flags)
{
	gwrite(v, slot(ROOT, VA, 2), pte(L1T, V));
	gwrite(v, slot(L1T, VA, 1), pte(L0T, V));
	for (uint64_t i = 0; i < 8; i++)
		gwrite(v, slot(L0T, VA + i * 4096, 0), pte(DATA + i * 4096, flags));
}

static int env_open(struct env *v, bool swap, unsigned leaf_shift, bool lazy)
{
	struct machine_config cfg;
	struct hv_ept_params p;
	char err[256];
	memset(v, 0, sizeof(*v));
	v->swap = swap;
	machine_config_defaults(&cfg);
	cfg.ram_size = MACHINE_RAM;
	cfg.nharts = 1;
	cfg.kernel = NULL;
	cfg.console = NULL;
	/* Distinct costs, so the test sees which one each step is charged. */
	cfg.cost.tlb_refill = 3;
	cfg.cost.pt_ref = 11;
	cfg.cost.gstage_ref = 7;
	cfg.cost.vm_exit = 1000;
	cfg.cost.hv_mmio = 500;
	v->m = machine_new(&cfg, err, sizeof(err));
	/* A setup failure is a failure, not a skipped test: the closing line
	 * is all scripts/run-tests.sh reads. */
	CHECK(v->m != NULL, "machine_new: %s", err);
	if (!v->m)
		return -1;
	v->h = v->m->harts[0];
	machine_boot_supervisor(v->h); /* S-mode, PMP open: the walk's reads pass PMP */
	hv_ept_params_default(&p);
	p.leaf_shift = leaf_shift;
	p.lazy = lazy;
	CHECK(hv_ept_table_bytes(GUEST_RAM) <= MACHINE_RAM - GUEST_RAM, "table bytes");
	v->e = hv_ept_new(v->m, &p, GUEST_RAM, p2m, v, RAM_BASE + GUEST_RAM,
			  hv_ept_table_bytes(GUEST_RAM), err, sizeof(err));
	CHECK(v->e != NULL, "hv_ept_new: %s", err);
	if (!v->e) {
		machine_free(v->m);
		return -1;
	}
	v->h->satp = (8ull << 60) | (5ull << 44) | (ROOT >> 12); /* Sv39, ASID 5 */
	return 0;
}

static void env_close(struct env *v)
{
	hv_ept_delete(v->e);
	machine_free(v->m);
}

/* One translation and what it cost. */
struct res {
	int cause;
	struct xlate x;
	uint64_t refs, ad, cycles, misses;
};

static struct res xl(struct env *v, uint64_t va, enum access acc, unsigned priv)
{
	struct res r;
	struct hart *h = v->h;
	uint64_t refs = h->st.ev[EV_PT_REF], ad = h->st.ev[EV_AD_UPDATE], cyc = h->cycles;
	uint64_t miss = h->st.ev[EV_ITLB_MISS] + h->st.ev[EV_DTLB_MISS];
	memset(&r.x, 0, sizeof(r.x));
	r.cause = hv_ept_xlate(v->e, h, va, acc, priv, &r.x);
	r.refs = h->st.ev[EV_PT_REF] - refs;
	r.ad = h->st.ev[EV_AD_UPDATE] - ad;
	r.cycles = h->cycles - cyc;
	r.misses = h->st.ev[EV_ITLB_MISS] + h->st.ev[EV_DTLB_MISS] - miss;
	return r;
}

static void test_walk_counts(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A); /* A preset: only the G-stage updates A */
	r = xl(&v, VA + 0x123, ACC_READ, PRV_S);
	CHECK(r.cause == 0, "cause %d", r.cause);
	CHECK(r.x.paddr == p2m(&v, DATA) + 0x123 && r.x.cacheable, "paddr 0x%llx",
	      (unsigned long long)r.x.paddr);
	CHECK(r.refs == 15, "4K over 4K: %llu references, expected 15", (unsigned long long)r.refs);
	CHECK(v.e->st[0].vs_refs == 3 && v.e->st[0].g_refs == 12, "vs %llu g %llu",
	      (unsigned long long)v.e->st[0].vs_refs, (unsigned long long)v.e->st[0].g_refs);
	/* G-stage A set on the root, L1, L0 and data pages; VS A was preset. */
	CHECK(r.ad == 4 && v.e->st[0].g_ad == 4 && v.e->st[0].vs_ad == 0, "ad %llu",
	      (unsigned long long)r.ad);
	CHECK(r.cycles == 3 + 3 * 11 + 12 * 7 + 4 * 11, "cycles %llu",
	      (unsigned long long)r.cycles);
	CHECK(r.misses == 1 && v.h->st.ev[EV_PT_WALK] == 1 && v.e->st[0].walks == 1, "misses %llu",
	      (unsigned long long)r.misses);
	CHECK(v.e->st[0].walk_cycles == r.cycles, "walk cycles %llu",
	      (unsigned long long)v.e->st[0].walk_cycles);

	/* A hit: nothing counted. */
	r = xl(&v, VA + 0x8, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 0 && r.cycles == 0 && r.misses == 0, "hit refs %llu",
	      (unsigned long long)r.refs);
	CHECK(r.x.paddr == p2m(&v, DATA) + 0x8, "hit paddr");

	/* Next page: no walk caches, 15 again; only the data page's G A bit. */
	r = xl(&v, VA + 0x1000, ACC_READ, PRV_S);
	CHECK(r.refs == 15 && r.ad == 1, "second page refs %llu ad %llu",
	      (unsigned long long)r.refs, (unsigned long long)r.ad);
	CHECK(r.x.paddr == p2m(&v, DATA + 0x1000), "second page paddr 0x%llx",
	      (unsigned long long)r.x.paddr);

	/* A VS megapage leaf: 3 G walks + 2 VS reads. */
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA, V | R | A));
	r = xl(&v, VA_MEGA + 0x5008, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 11, "VS megapage: %llu references, expected 11",
	      (unsigned long long)r.refs);
	CHECK(r.x.paddr == p2m(&v, DATA + 0x5000) + 8, "VS megapage paddr 0x%llx",
	      (unsigned long long)r.x.paddr);
	env_close(&v);

	/* Native Sv39 on the same kind of tables: 3 references. */
	if (env_open(&v, false, 12, false))
		return;
	map_small(&v, V | R | W | A);
	{
		uint64_t refs = v.h->st.ev[EV_PT_REF];
		struct xlate x;
		CHECK(sv39_translate(v.h, VA, ACC_READ, PRV_S, &x) == 0 && x.paddr == DATA,
		      "native");
		CHECK(v.h->st.ev[EV_PT_REF] - refs == 3, "native refs");
	}
	env_close(&v);

	/* G-stage megapages (identity P2M): each G walk is 2 references. */
	if (env_open(&v, false, 21, false))
		return;
	map_small(&v, V | R | W | A);
	r = xl(&v, VA, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 11, "4K over G megapages: %llu, expected 11",
	      (unsigned long long)r.refs);
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA, V | R | A));
	r = xl(&v, VA_MEGA + 0x3000, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 8 && r.x.paddr == DATA + 0x3000,
	      "VS megapage over G megapages: %llu, expected 8", (unsigned long long)r.refs);
	/* One combined 2 MiB entry: the next 4 KiB page hits. */
	r = xl(&v, VA_MEGA + 0x1ff000, ACC_READ, PRV_S);
	CHECK(r.refs == 0 && r.x.paddr == DATA + 0x1ff000, "2 MiB combined entry");
	/* Megapages fall back to 4 KiB when the P2M is not contiguous. */
	env_close(&v);
	if (env_open(&v, true, 21, false))
		return;
	map_small(&v, V | R | W | A);
	r = xl(&v, VA, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 15 && r.x.paddr == p2m(&v, DATA),
	      "swapped P2M forces 4 KiB leaves: %llu", (unsigned long long)r.refs);
	env_close(&v);
}

static void test_ad_bits(void)
{
	struct env v;
	struct res r;
	uint64_t before;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W);
	r = xl(&v, VA, ACC_READ, PRV_S);
	CHECK(r.cause == 0, "read");
	CHECK((gread(&v, slot(L0T, VA, 0)) & (A | D)) == A, "read sets A only: pte 0x%llx",
	      (unsigned long long)gread(&v, slot(L0T, VA, 0)));
	/* G A on 4 pages + VS A; the A write also dirties L0T's G leaf. */
	CHECK(v.e->st[0].vs_ad == 1 && r.ad == 6, "ad %llu (vs %llu g %llu)",
	      (unsigned long long)r.ad, (unsigned long long)v.e->st[0].vs_ad,
	      (unsigned long long)v.e->st[0].g_ad);
	before = v.h->st.ev[EV_DTLB_MISS];
	r = xl(&v, VA, ACC_WRITE, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m(&v, DATA), "write");
	CHECK(r.refs == 15 && v.h->st.ev[EV_DTLB_MISS] == before,
	      "a write through a clean entry re-walks without a miss: refs %llu",
	      (unsigned long long)r.refs);
	CHECK((gread(&v, slot(L0T, VA, 0)) & (A | D)) == (A | D), "write sets D");
	CHECK(r.ad == 2, "VS D + G D of the data page: %llu", (unsigned long long)r.ad);
	r = xl(&v, VA + 0x10, ACC_WRITE, PRV_S);
	CHECK(r.refs == 0 && r.cause == 0, "dirty entry hits");
	env_close(&v);
}

static void test_faults(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	gwrite(&v, slot(L0T, VA + 0x1000, 0), 0); /* invalid */
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE, "load page fault");
	CHECK(xl(&v, VA + 0x1000, ACC_WRITE, PRV_S).cause == EXC_STORE_PAGE, "store page fault");
	CHECK(xl(&v, VA + 0x1000, ACC_FETCH, PRV_S).cause == EXC_INSN_PAGE, "fetch page fault");
	CHECK(xl(&v, VA, ACC_FETCH, PRV_S).cause == EXC_INSN_PAGE, "no X: fetch page fault");
	CHECK(xl(&v, VA, ACC_READ, PRV_U).cause == EXC_LOAD_PAGE, "U access to S page");
	gwrite(&v, slot(L0T, VA + 0x2000, 0), pte(DATA + 0x2000, V | R | W | U | A | D));
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE, "S to U without SUM");
	v.h->mstatus |= MSTATUS_SUM;
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_S).cause == 0, "S to U with SUM");
	CHECK(xl(&v, 0x0000008000000000ull, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE,
	      "non-canonical");
	CHECK(v.e->st[0].vs_faults == 7, "vs faults %llu",
	      (unsigned long long)v.e->st[0].vs_faults);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == 0, "VS faults do not exit");

	/* Guest-physical not RAM nor device: access fault, through an exit. */
	gwrite(&v, slot(L0T, VA + 0x3000, 0), pte(0x40000000ull, V | R | W | A | D));
	r = xl(&v, VA + 0x3000, ACC_WRITE, PRV_S);
	CHECK(r.cause == EXC_STORE_ACCESS, "G-stage fault on no RAM: %d", r.cause);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == 1 && r.cycles >= 1000, "access exit");
	/* Beyond the guest's RAM (P2M has nothing) but below 2^41. */
	gwrite(&v, slot(L0T, VA + 0x4000, 0), pte(RAM_BASE + GUEST_RAM, V | R | A));
	CHECK(xl(&v, VA + 0x4000, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "beyond guest RAM");
	/* Beyond 41 bits of guest-physical address. */
	gwrite(&v, slot(L0T, VA + 0x5000, 0), pte(1ull << 41, V | R | A));
	CHECK(xl(&v, VA + 0x5000, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "GPA >= 2^41");
	/* A page-table page that is not RAM: access fault. */
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(UART_BASE, V));
	CHECK(xl(&v, VA_MEGA, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "VS table in MMIO");
	env_close(&v);
}

static void test_mmio(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | X | A | D);
	gwrite(&v, slot(L0T, VA + 0x7000, 0), pte(UART_BASE, V | R | W | X | A | D));
	r = xl(&v, VA + 0x7005, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == UART_BASE + 5 && !r.x.cacheable,
	      "MMIO: cause %d paddr 0x%llx", r.cause, (unsigned long long)r.x.paddr);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_MMIO] == 1, "one mmio exit");
	/* The final G walk stops at the root: no G-stage entry covers devices. */
	CHECK(r.refs == 13, "mmio walk: %llu references, expected 13", (unsigned long long)r.refs);
	CHECK(r.cycles == 3 + v.e->st[0].vs_refs * 11 + v.e->st[0].g_refs * 7 +
				  v.e->st[0].g_ad * 11 + 1000 + 500,
	      "mmio cycles %llu", (unsigned long long)r.cycles);
	CHECK(v.e->st[0].exit_cycles[HV_EPT_EXIT_MMIO] == 1500, "exit cycles");
	CHECK(v.e->st[0].walk_cycles == r.cycles - 1500, "the exit is not the walk's: %llu",
	      (unsigned long long)v.e->st[0].walk_cycles);
	r = xl(&v, VA + 0x7000, ACC_WRITE, PRV_S);
	CHECK(r.cause == 0 && r.misses == 1 && r.refs == 13 &&
		      v.e->st[0].exits[HV_EPT_EXIT_MMIO] == 2,
	      "nothing cached: every access walks and exits");
	CHECK(xl(&v, VA + 0x7000, ACC_FETCH, PRV_S).cause == EXC_INSN_ACCESS, "fetch from MMIO");
	env_close(&v);
}

static void test_lazy(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, true))
		return;
	CHECK(v.e->tables == 4, "lazy: only the root at creation (%llu pages)",
	      (unsigned long long)v.e->tables);
	map_small(&v, V | R | W | A | D);
	r = xl(&v, VA, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m(&v, DATA), "lazy translation");
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_MISS] == 4, "one miss exit per page touched: %llu",
	      (unsigned long long)v.e->st[0].exits[HV_EPT_EXIT_MISS]);
	r = xl(&v, VA + 0x1000, ACC_READ, PRV_S);
	/* 15 references find the data page missing, the exit fills it, the
	 * access restarts with 15 more. */
	CHECK(r.refs == 30 && r.cause == 0, "second page: %llu references, expected 30",
	      (unsigned long long)r.refs);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_MISS] == 5, "miss exits %llu",
	      (unsigned long long)v.e->st[0].exits[HV_EPT_EXIT_MISS]);
	env_close(&v);
}

static void test_fences(void)
{
	struct env v;
	struct res r;
	struct hc_entry *hc;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	for (uint64_t i = 0; i < 4; i++)
		CHECK(xl(&v, VA + i * 4096, ACC_READ, PRV_S).cause == 0, "fill");
	/* A host fast-path entry for VA + 0x1000, as mmu.c would install. */
	hc = &v.h->hc[HC_S][ACC_READ][((VA + 0x1000) >> 12) & (HC_SIZE - 1)];
	hc->tag = VA + 0x1000;
	hv_ept_flush(v.e, v.h, false, DATA + 0x1000 + 0x80);
	CHECK(hc->tag == HC_INVALID, "host fast-path copy dropped with its modeled entry");
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).refs == 15, "by GPA: that page walks again");
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 0, "by GPA: other pages stay");
	CHECK(xl(&v, VA + 0x3000, ACC_READ, PRV_S).refs == 0, "by GPA: other pages stay");
	/* The first byte of a page belongs to that page, not to the one below. */
	hv_ept_flush(v.e, v.h, false, DATA + 0x3000);
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_S).refs == 0,
	      "by GPA at a page start: below stays");
	CHECK(xl(&v, VA + 0x3000, ACC_READ, PRV_S).refs == 15, "by GPA at a page start: it walks");
	CHECK(v.e->st[0].flush_gpa == 2, "flush_gpa %llu",
	      (unsigned long long)v.e->st[0].flush_gpa);
	hc = &v.h->hc[HC_S][ACC_READ][(VA >> 12) & (HC_SIZE - 1)];
	hc->tag = VA;
	hv_ept_flush(v.e, v.h, true, 0);
	CHECK(hc->tag == HC_INVALID, "whole VMID flush drops the host fast-path copies");
	CHECK(v.e->st[0].flush_all == 1, "flush_all %llu",
	      (unsigned long long)v.e->st[0].flush_all);
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15, "whole VMID flush");

	/* A VS megapage split into 4 KiB combined entries (G leaves are 4 KiB). */
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA, V | R | W | A | D));
	CHECK(xl(&v, VA_MEGA + 0x1000, ACC_READ, PRV_S).refs == 11, "split 1");
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S).refs == 11, "split 2");
	/* The engine purges [va, va+1) for sfence.vma va; hv_ept purges the rest. */
	tlb_model_purge(&v.h->dtlb, VA_MEGA + 0x1000, 1, 5, false, false);
	hv_ept_sfence(v.e, v.h, VA_MEGA + 0x1000, 9, false);
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S).refs == 0, "other ASID: kept");
	hv_ept_sfence(v.e, v.h, VA_MEGA + 0x1000, 5, false);
	CHECK(v.e->st[0].flush_splinters == 1, "splinters %llu",
	      (unsigned long long)v.e->st[0].flush_splinters);
	r = xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S);
	CHECK(r.refs == 11, "sfence.vma in a VS superpage purges its 4 KiB pieces");
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 0, "a 4 KiB VS page is no splinter");
	env_close(&v);
}

/* HFENCE.GVMA by guest-physical address applies to the G-stage leaf PTE
 * that maps it (privileged spec 20211203, 8.3.2: HFENCE.GVMA is
 * SFENCE.VMA for G-stage translations, and a fence of one address orders
 * the leaf PTE that translates it, 4.2.1): a VMM that rewrites a 2 MiB
 * G-stage leaf fences one address inside it, and every combined entry
 * built from that leaf must go, whichever 4 KiB of it the VS page maps. */
static void test_fence_gstage_superpage(void)
{
	struct env v;
	if (env_open(&v, false, 21, false)) /* identity P2M: 2 MiB G leaves */
		return;
	map_small(&v, V | R | W | A | D);
	for (uint64_t i = 0; i < 4; i++)
		CHECK(xl(&v, VA + i * 4096, ACC_READ, PRV_S).refs == 11, "fill %llu",
		      (unsigned long long)i);
	hv_ept_flush(v.e, v.h, false, DATA); /* the G megapage's first byte */
	for (uint64_t i = 0; i < 4; i++) {
		uint64_t refs = xl(&v, VA + i * 4096, ACC_READ, PRV_S).refs;
		CHECK(refs == 11, "4 KiB piece %llu of the fenced G megapage: %llu references",
		      (unsigned long long)i, (unsigned long long)refs);
	}
	/* Bare: the combined entries are the G leaf's own size. */
	v.h->satp = 0;
	CHECK(xl(&v, DATA + 0x5000, ACC_READ, PRV_S).refs == 2, "Bare fill");
	hv_ept_flush(v.e, v.h, false, DATA + 0x1ff000);
	CHECK(xl(&v, DATA + 0x5000, ACC_READ, PRV_S).refs == 2, "Bare: fenced");
	env_close(&v);
}

static void test_bare(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	v.h->satp = 0;
	r = xl(&v, DATA + 0x40, ACC_WRITE, PRV_S);
	CHECK(r.cause == 0 && r.refs == 3 && r.x.paddr == p2m(&v, DATA) + 0x40,
	      "Bare: G-stage only, %llu refs", (unsigned long long)r.refs);
	CHECK(xl(&v, UART_BASE, ACC_READ, PRV_S).x.paddr == UART_BASE, "Bare MMIO");
	CHECK(xl(&v, 1ull << 41, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "Bare beyond 41 bits");
	/* Switching to Sv39 takes effect at once: a Bare entry at the same
	 * address must not answer (identity-map DATA in the guest). */
	v.h->satp = (8ull << 60) | (ROOT >> 12);
	gwrite(&v, slot(ROOT, DATA, 2), pte(L1T, V));
	gwrite(&v, slot(L1T, DATA, 1), pte(L0T, V));
	gwrite(&v, slot(L0T, DATA, 0), pte(DATA + 0x3000, V | R | W | A | D));
	r = xl(&v, DATA + 0x40, ACC_READ, PRV_S);
	CHECK(r.refs == 15 && r.x.paddr == p2m(&v, DATA + 0x3000) + 0x40,
	      "Sv39 lookup ignores Bare entries");
	env_close(&v);
}

/* The G-stage leaf of guest-physical gpa (a G walk finds it). */
static uint64_t g_leaf(struct env *v, uint64_t gpa)
{
	struct g_walk g;
	CHECK(hv_ept_gwalk(v->e, v->h, gpa, ACC_READ, &g) == G_OK, "G walk of 0x%llx",
	      (unsigned long long)gpa);
	return g.leaf;
}

static uint64_t mread(struct env *v, uint64_t mpa)
{
	uint64_t val;
	memcpy(&val, phys_ram_ptr(v->m, mpa, 8), 8);
	return val;
}

static void mwrite(struct env *v, uint64_t mpa, uint64_t val)
{
	memcpy(phys_ram_ptr(v->m, mpa, 8), &val, 8);
}

/* The G-stage checks of 8.5.1 on leaves the VMM did not build RWX: U
 * required, R for loads, X for fetches, W for the VS-stage's A/D write;
 * guest-physical bits above 40 never alias guest RAM. */
static void test_gstage_perms(void)
{
	struct env v;
	struct res r;
	uint64_t data_leaf, l0_leaf, orig;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | X | A | D);
	data_leaf = g_leaf(&v, DATA);
	orig = mread(&v, data_leaf);
	mwrite(&v, data_leaf, orig & ~(uint64_t)U);
	r = xl(&v, VA, ACC_READ, PRV_S);
	CHECK(r.cause == EXC_LOAD_ACCESS && v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == 1,
	      "G leaf without U: cause %d", r.cause);
	mwrite(&v, data_leaf, orig & ~(uint64_t)(R | W));
	CHECK(xl(&v, VA, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "G leaf without R: load");
	mwrite(&v, data_leaf, orig & ~(uint64_t)(W | X));
	CHECK(xl(&v, VA, ACC_FETCH, PRV_S).cause == EXC_INSN_ACCESS, "G leaf without X: fetch");
	CHECK(xl(&v, VA, ACC_READ, PRV_S).cause == 0, "G leaf R without X: load");
	mwrite(&v, data_leaf, orig);
	/* The VS-stage A update of a PTE in a page the G-stage maps read-only. */
	l0_leaf = g_leaf(&v, L0T);
	orig = mread(&v, l0_leaf);
	mwrite(&v, l0_leaf, orig & ~(uint64_t)W);
	gwrite(&v, slot(L0T, VA + 0x6000, 0), pte(DATA + 0x6000, V | R | W));
	r = xl(&v, VA + 0x6000, ACC_READ, PRV_S);
	CHECK(r.cause == EXC_LOAD_ACCESS, "VS A/D write to a G read-only page: cause %d", r.cause);
	CHECK((gread(&v, slot(L0T, VA + 0x6000, 0)) & A) == 0, "A not written");
	mwrite(&v, l0_leaf, orig);
	/* 2^41 + DATA: GPA[40:30] index the root as DATA's do, but it is no RAM. */
	gwrite(&v, slot(L0T, VA + 0x5000, 0), pte((1ull << 41) + DATA, V | R | A));
	CHECK(xl(&v, VA + 0x5000, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS,
	      "GPA 2^41 + DATA does not alias DATA");
	env_close(&v);

	/* A misaligned G superpage is invalid (identity P2M, 2 MiB leaves). */
	if (env_open(&v, false, 21, false))
		return;
	{
		struct g_walk g;
		data_leaf = g_leaf(&v, DATA);
		orig = mread(&v, data_leaf);
		mwrite(&v, data_leaf, orig + (1u << 10)); /* PPN + 1 */
		CHECK(hv_ept_gwalk(v.e, v.h, DATA + 0x40, ACC_READ, &g) == G_INVALID,
		      "misaligned G megapage");
		mwrite(&v, data_leaf, orig);
	}
	env_close(&v);

	/* A P2M contiguous but not 2 MiB aligned gets 4 KiB leaves. */
	memset(&v, 0, sizeof(v));
	{
		struct machine_config cfg;
		struct hv_ept_params p;
		char err[256];
		machine_config_defaults(&cfg);
		cfg.ram_size = MACHINE_RAM;
		cfg.nharts = 1;
		cfg.kernel = NULL;
		cfg.console = NULL;
		v.rot = true;
		v.m = machine_new(&cfg, err, sizeof(err));
		CHECK(v.m != NULL, "machine_new: %s", err);
		if (!v.m)
			return;
		v.h = v.m->harts[0];
		machine_boot_supervisor(v.h);
		hv_ept_params_default(&p);
		p.leaf_shift = 21;
		v.e = hv_ept_new(v.m, &p, GUEST_RAM, p2m, &v, RAM_BASE + GUEST_RAM,
				 hv_ept_table_bytes(GUEST_RAM), err, sizeof(err));
		CHECK(v.e != NULL, "hv_ept_new: %s", err);
		if (!v.e) {
			machine_free(v.m);
			return;
		}
		v.h->satp = (8ull << 60) | (5ull << 44) | (ROOT >> 12);
		map_small(&v, V | R | W | A | D);
		r = xl(&v, VA + 0x10, ACC_READ, PRV_S);
		CHECK(r.cause == 0 && r.refs == 15 && r.x.paddr == p2m(&v, DATA) + 0x10,
		      "unaligned contiguous P2M: cause %d refs %llu", r.cause,
		      (unsigned long long)r.refs);
		env_close(&v);
	}
}

/* A combined entry keeps what both stages grant; when a hit is refused for
 * a right the VS stage grants and the G stage does not, the fault is the
 * G stage's (an exit and an access fault), as on a TLB miss, never a VS
 * page fault the guest would take for its own. */
static void test_gstage_denied_hit(void)
{
	struct env v;
	struct res r;
	uint64_t data_leaf;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	data_leaf = g_leaf(&v, DATA);
	mwrite(&v, data_leaf, mread(&v, data_leaf) & ~(uint64_t)W); /* G: read-only */
	CHECK(xl(&v, VA, ACC_WRITE, PRV_S).cause == EXC_STORE_ACCESS, "cold write: access fault");
	CHECK(xl(&v, VA, ACC_READ, PRV_S).cause == 0, "read: the combined entry is cached");
	CHECK(xl(&v, VA + 8, ACC_READ, PRV_S).refs == 0, "read hits");
	uint64_t exits = v.e->st[0].exits[HV_EPT_EXIT_ACCESS], vsf = v.e->st[0].vs_faults;
	r = xl(&v, VA, ACC_WRITE, PRV_S);
	CHECK(r.cause == EXC_STORE_ACCESS, "write after read: cause %d, expected %d", r.cause,
	      EXC_STORE_ACCESS);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == exits + 1 && v.e->st[0].vs_faults == vsf,
	      "a G-stage fault, not a VS one");
	/* A right the VS stage refuses is still its page fault, from the entry. */
	gwrite(&v, slot(L0T, VA + 0x1000, 0), pte(DATA + 0x1000, V | R | A | D));
	mwrite(&v, g_leaf(&v, DATA + 0x1000), mread(&v, g_leaf(&v, DATA + 0x1000)) & ~(uint64_t)W);
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).cause == 0, "read of a VS read-only page");
	CHECK(xl(&v, VA + 0x1000, ACC_WRITE, PRV_S).cause == EXC_STORE_PAGE,
	      "VS read-only: store page fault");
	env_close(&v);
}

/* A global VS mapping answers every ASID and survives an ASID's
 * sfence.vma; the combined entry is dirty only when both stages are. */
static void test_global_dirty(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | G | A | D);
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15, "first walk");
	v.h->satp = (8ull << 60) | (6ull << 44) | (ROOT >> 12); /* ASID 6 */
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 0, "a global entry answers another ASID");
	/* VS D preset, the data page's G D not yet set: a write walks again. */
	r = xl(&v, VA, ACC_WRITE, PRV_S);
	CHECK(r.cause == 0 && r.refs == 15, "write after read: %llu references",
	      (unsigned long long)r.refs);
	{
		struct g_walk g;
		CHECK(hv_ept_gwalk(v.e, v.h, DATA, ACC_READ, &g) == G_OK && (g.perm & TLB_D),
		      "the data page's G-stage D bit set");
	}
	/* A global VS megapage's 4 KiB pieces are spared by an ASID's sfence. */
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA, V | R | W | G | A | D));
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S).refs == 11, "global split");
	hv_ept_sfence(v.e, v.h, VA_MEGA + 0x1000, 6, false);
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S).refs == 0,
	      "sfence.vma with an ASID spares global pieces");
	hv_ept_sfence(v.e, v.h, VA_MEGA + 0x1000, 0, true);
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_READ, PRV_S).refs == 11, "all ASIDs: purged");
	env_close(&v);
}

/* The VS-stage's PTE reads are S-mode accesses for PMP (3.7.1). */
static void test_pmp(void)
{
	struct env v;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	/* Entry 0: the machine page holding L0T, no access; entry 1: the rest. */
	pmp_write_addr(v.h, 0, (p2m(&v, L0T) >> 2) | 0x1ff);
	pmp_write_addr(v.h, 1, (1ull << 54) - 1);
	pmp_write_cfg(v.h, 0, 0x18 | (0x1fu << 8));
	CHECK(xl(&v, VA, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "PMP denies the VS PTE read");
	env_close(&v);
}

/* The hardware A/D update is a store to the PTE: a page PMP lets S-mode
 * read but not write raises an access fault of the original access and
 * keeps its PTE unchanged (4.3.2 step 7), in the VS stage and natively. */
static void test_pmp_ad_write(void)
{
	struct env v;
	struct xlate x;
	for (int native = 0; native < 2; native++) {
		if (env_open(&v, !native, 12, false))
			return;
		map_small(&v, V | R | W); /* A = D = 0: the walk must write the leaf */
		/* Entry 0: the machine page holding L0T, read-only; entry 1: the rest. */
		pmp_write_addr(v.h, 0, (p2m(&v, L0T) >> 2) | 0x1ff);
		pmp_write_addr(v.h, 1, (1ull << 54) - 1);
		pmp_write_cfg(v.h, 0, 0x19 | (0x1fu << 8));
		int c = native ? sv39_translate(v.h, VA, ACC_READ, PRV_S, &x)
			       : xl(&v, VA, ACC_READ, PRV_S).cause;
		CHECK(c == EXC_LOAD_ACCESS, "%s: A update of a PTE PMP makes read-only: cause %d",
		      native ? "native" : "EPT", c);
		CHECK((gread(&v, slot(L0T, VA, 0)) & (A | D)) == 0, "%s: PTE written: 0x%llx",
		      native ? "native" : "EPT", (unsigned long long)gread(&v, slot(L0T, VA, 0)));
		env_close(&v);
	}
}

/* Only the device window itself is MMIO: the byte after it is nothing. */
static void test_device_bounds(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	v.h->satp = 0;
	r = xl(&v, UART_BASE + 0xff, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && !r.x.cacheable, "last byte of the UART window");
	r = xl(&v, UART_BASE + 0x100, ACC_READ, PRV_S);
	CHECK(r.cause == EXC_LOAD_ACCESS && v.e->st[0].exits[HV_EPT_EXIT_MMIO] == 1 &&
		      v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == 1,
	      "past the UART window: cause %d", r.cause);
	env_close(&v);
}

/* A pool of exactly the root's size holds the root (lazy: nothing else). */
static void test_pool_exact(void)
{
	struct machine_config cfg;
	struct hv_ept_params p;
	char err[256];
	struct env v;
	memset(&v, 0, sizeof(v));
	machine_config_defaults(&cfg);
	cfg.ram_size = MACHINE_RAM;
	cfg.nharts = 1;
	cfg.kernel = NULL;
	cfg.console = NULL;
	v.m = machine_new(&cfg, err, sizeof(err));
	CHECK(v.m != NULL, "machine_new: %s", err);
	if (!v.m)
		return;
	hv_ept_params_default(&p);
	p.lazy = true;
	v.e = hv_ept_new(v.m, &p, GUEST_RAM, p2m, &v, RAM_BASE + GUEST_RAM, HV_EPT_ROOT_BYTES, err,
			 sizeof(err));
	CHECK(v.e != NULL, "a pool of exactly HV_EPT_ROOT_BYTES: %s", v.e ? "" : err);
	if (v.e)
		hv_ept_delete(v.e);
	machine_free(v.m);
}

/* ---- the two-dimensional walk's combined entries (hv_ept_walk.c) ---- */

/* U pages and privilege on a hit (privileged spec 20211203, 4.3.1 and
 * 4.3.2 step 5; 8.5: the VS stage's checks are Sv39's): a hit is checked
 * as the walk was, also when the G stage grants less than the VS leaf;
 * under a Bare satp only the G stage's R/W/X apply (8.5.1: G-stage
 * accesses are U-level, the VS stage is off), at any privilege. */
static void test_walk_privilege(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	gwrite(&v, slot(L0T, VA + 0x1000, 0), pte(DATA + 0x1000, V | R | W | U | A | D));
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_U).cause == 0, "U read of a U page");
	r = xl(&v, VA + 0x1000, ACC_READ, PRV_U);
	CHECK(r.cause == 0 && r.refs == 0, "U read of a U page hits: cause %d", r.cause);
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE,
	      "S read of a U page without SUM, on a hit");
	CHECK(xl(&v, VA, ACC_READ, PRV_S).cause == 0, "S read of an S page");
	r = xl(&v, VA, ACC_READ, PRV_U);
	CHECK(r.cause == EXC_LOAD_PAGE && r.refs == 0, "U read of an S page, on a hit: cause %d",
	      r.cause);
	/* The G leaf without X: the combined entry says the G stage grants less. */
	gwrite(&v, slot(L0T, VA + 0x2000, 0), pte(DATA + 0x2000, V | R | W | X | A | D));
	uint64_t leaf = g_leaf(&v, DATA + 0x2000);
	mwrite(&v, leaf, mread(&v, leaf) & ~(uint64_t)X);
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_S).cause == 0, "S read, G without X");
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_U).cause == EXC_LOAD_PAGE,
	      "U read of an S page whose G leaf grants less: a VS page fault");
	/* Bare: U-mode reaches guest RAM as S-mode does, on a hit too. */
	v.h->satp = 0;
	CHECK(xl(&v, DATA + 8, ACC_READ, PRV_U).cause == 0, "Bare: U read");
	r = xl(&v, DATA + 8, ACC_READ, PRV_U);
	CHECK(r.cause == 0 && r.refs == 0, "Bare: U read hits: cause %d", r.cause);
	/* Bare over an execute-only G leaf: fetches hit, loads fault. */
	leaf = g_leaf(&v, DATA + 0x4000);
	mwrite(&v, leaf, mread(&v, leaf) & ~(uint64_t)(R | W));
	CHECK(xl(&v, DATA + 0x4000, ACC_FETCH, PRV_S).cause == 0, "Bare: fetch, G X only");
	r = xl(&v, DATA + 0x4004, ACC_FETCH, PRV_S);
	CHECK(r.cause == 0 && r.refs == 0, "Bare: the fetch hits: cause %d, %llu refs", r.cause,
	      (unsigned long long)r.refs);
	CHECK(xl(&v, DATA + 0x4000, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS,
	      "Bare: load from an execute-only G page");
	env_close(&v);
}

/* Dirty state in the combined entry (8.5.1, 4.3.2 step 7): a write goes
 * through an entry only when both stages' leaves are dirty and both grant
 * W; a VMM that write-protects a dirty G leaf (dirty logging) still gets
 * the store's G-stage fault; a VS write with A = D = 0 sets both. */
static void test_walk_dirty(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	uint64_t leaf = g_leaf(&v, DATA + 0x3000), exits;
	mwrite(&v, leaf, (mread(&v, leaf) & ~(uint64_t)W) | A | D);
	CHECK(xl(&v, VA + 0x3000, ACC_READ, PRV_S).cause == 0, "read of a write-protected page");
	exits = v.e->st[0].exits[HV_EPT_EXIT_ACCESS];
	CHECK(xl(&v, VA + 0x3000, ACC_WRITE, PRV_S).cause == EXC_STORE_ACCESS &&
		      v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == exits + 1,
	      "write to a dirty page the G stage write-protects: G-stage fault");
	v.h->satp = 0;
	CHECK(xl(&v, DATA + 0x3000, ACC_READ, PRV_S).cause == 0, "Bare read");
	CHECK(xl(&v, DATA + 0x3000, ACC_WRITE, PRV_S).cause == EXC_STORE_ACCESS,
	      "Bare write to a dirty write-protected page: access fault");
	v.h->satp = (8ull << 60) | (5ull << 44) | (ROOT >> 12);
	/* VA + 0x5000 dirties the G leaf of DATA + 0x4000; VA + 0x4000's own
	 * VS leaf is clean. */
	gwrite(&v, slot(L0T, VA + 0x4000, 0), pte(DATA + 0x4000, V | R | W | A));
	gwrite(&v, slot(L0T, VA + 0x5000, 0), pte(DATA + 0x4000, V | R | W | A | D));
	CHECK(xl(&v, VA + 0x5000, ACC_WRITE, PRV_S).cause == 0, "write through the dirty alias");
	CHECK(xl(&v, VA + 0x4000, ACC_READ, PRV_S).cause == 0, "read through the clean one");
	r = xl(&v, VA + 0x4000, ACC_WRITE, PRV_S);
	CHECK(r.cause == 0 && r.refs == 15 && (gread(&v, slot(L0T, VA + 0x4000, 0)) & D),
	      "a clean VS leaf over a dirty G leaf: the write walks and sets VS D (%llu refs)",
	      (unsigned long long)r.refs);
	gwrite(&v, slot(L0T, VA + 0x6000, 0), pte(DATA + 0x6000, V | R | W));
	CHECK(xl(&v, VA + 0x6000, ACC_WRITE, PRV_S).cause == 0 &&
		      (gread(&v, slot(L0T, VA + 0x6000, 0)) & (A | D)) == (A | D),
	      "a write with A = D = 0 sets both: pte 0x%llx",
	      (unsigned long long)gread(&v, slot(L0T, VA + 0x6000, 0)));
	env_close(&v);
}

/* The VS-stage walk's addresses (4.3.2, 4.4.1; 8.5): all nine bits of
 * each VPN, satp.PPN's 44 bits (a guest-physical root past 2^41 is a
 * G-stage fault), the ASID's 16 bits, canonical addresses (63:39 equal to
 * 38) including the upper half, a misaligned VS superpage (a VS page
 * fault), G on a pointer making the leaf global, satp modes EPT does not
 * run (an access fault). */
static void test_walk_addresses(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	gwrite(&v, slot(L0T, VA + 0x100000, 0), pte(DATA + 0x7000, V | R | A));
	r = xl(&v, VA + 0x100018, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m(&v, DATA + 0x7000) + 0x18,
	      "VPN[0] bit 8: cause %d paddr 0x%llx", r.cause, (unsigned long long)r.x.paddr);
	/* 4.3.2 step 6: PPN[0] != 0 in a megapage leaf. */
	uint64_t vsf = v.e->st[0].vs_faults;
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA + 0x1000, V | R | A));
	CHECK(xl(&v, VA_MEGA, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE &&
		      v.e->st[0].vs_faults == vsf + 1 && v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == 0,
	      "misaligned VS megapage: a VS page fault");
	/* ASID 0x105 is not ASID 5. */
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15, "ASID 5 fill");
	v.h->satp = (8ull << 60) | (0x105ull << 44) | (ROOT >> 12);
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15, "ASID 0x105 misses");
	/* The upper canonical half: VPN[2] 256 (va bits 38:30). */
	gwrite(&v, slot(ROOT, 0xffffffc000000000ull, 2), pte(L1T, V));
	r = xl(&v, 0xffffffc000000010ull, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 15 && r.x.paddr == p2m(&v, DATA) + 0x10,
	      "upper half: cause %d refs %llu", r.cause, (unsigned long long)r.refs);
	r = xl(&v, 0xffffffc000000020ull, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.refs == 0, "upper half hits: %llu refs",
	      (unsigned long long)r.refs);
	CHECK(xl(&v, 1ull << 38, ACC_READ, PRV_S).cause == EXC_LOAD_PAGE,
	      "bit 38 without 63:39: page fault");
	/* G on the root's pointer: the leaf below is global. */
	gwrite(&v, slot(ROOT, VA, 2), pte(L1T, V | G));
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).refs == 15, "walk through a G pointer");
	v.h->satp = (8ull << 60) | (6ull << 44) | (ROOT >> 12);
	CHECK(xl(&v, VA + 0x1000, ACC_READ, PRV_S).refs == 0, "global through the pointer");
	/* satp.PPN bit 43: the root's guest-physical address is past 2^41. */
	uint64_t exits = v.e->st[0].exits[HV_EPT_EXIT_ACCESS];
	v.h->satp |= 1ull << 43;
	CHECK(xl(&v, VA + 0x2000, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS &&
		      v.e->st[0].exits[HV_EPT_EXIT_ACCESS] == exits + 1,
	      "root at guest-physical 2^55: G-stage fault");
	v.h->satp = (9ull << 60) | (ROOT >> 12); /* Sv48 */
	/* DATA is guest RAM: a Bare walk would reach it. */
	CHECK(xl(&v, DATA, ACC_READ, PRV_S).cause == EXC_LOAD_ACCESS, "satp.MODE Sv48 under EPT");
	env_close(&v);
}

/* Fetches use the I-TLB (its own misses), and every fence reaches it:
 * HFENCE.GVMA whole and by address, and the guest's sfence.vma on the
 * 4 KiB pieces of a VS superpage. */
static void test_walk_itlb(void)
{
	struct env v;
	struct res r;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | X | A | D);
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15 && v.h->st.ev[EV_DTLB_MISS] == 1 &&
		      v.h->st.ev[EV_ITLB_MISS] == 0,
	      "a read misses the D-TLB");
	r = xl(&v, VA, ACC_FETCH, PRV_S);
	CHECK(r.cause == 0 && r.refs == 15 && v.h->st.ev[EV_ITLB_MISS] == 1 &&
		      v.h->st.ev[EV_DTLB_MISS] == 1,
	      "a fetch after a read misses the I-TLB: %llu refs", (unsigned long long)r.refs);
	CHECK(xl(&v, VA + 4, ACC_FETCH, PRV_S).refs == 0, "fetch hits");
	hv_ept_flush(v.e, v.h, false, DATA);
	CHECK(xl(&v, VA + 4, ACC_FETCH, PRV_S).refs == 15, "HFENCE.GVMA by address: I-TLB");
	hv_ept_flush(v.e, v.h, true, 0);
	CHECK(xl(&v, VA + 4, ACC_FETCH, PRV_S).refs == 15, "HFENCE.GVMA whole: I-TLB");
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA, V | R | X | A | D));
	CHECK(xl(&v, VA_MEGA + 0x1000, ACC_FETCH, PRV_S).refs == 11, "fetch split 1");
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_FETCH, PRV_S).refs == 11, "fetch split 2");
	tlb_model_purge(&v.h->itlb, VA_MEGA + 0x1000, 1, 5, false, false);
	hv_ept_sfence(v.e, v.h, VA_MEGA + 0x1000, 5, false);
	CHECK(xl(&v, VA_MEGA + 0x2000, ACC_FETCH, PRV_S).refs == 11, "sfence.vma: I-TLB pieces");
	env_close(&v);
}

/* HFENCE.GVMA by address purges valid entries only: a purged slot keeps
 * its old contents, and purging "it" again would take the entry that now
 * translates the same virtual page from another guest-physical page. */
static void test_fence_stale_slot(void)
{
	struct env v;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	uint64_t vb = VA + (uint64_t)v.h->dtlb.sets * 4096; /* VA's set, the next way */
	CHECK(vb - VA < 2 * MIB, "a D-TLB of %u sets", v.h->dtlb.sets);
	gwrite(&v, slot(L0T, vb, 0), pte(DATA + 0x5000, V | R | W | A | D));
	CHECK(xl(&v, VA, ACC_READ, PRV_S).refs == 15 && xl(&v, vb, ACC_READ, PRV_S).refs == 15,
	      "fill two ways of a set");
	hv_ept_flush(v.e, v.h, false, DATA + 0x5000);
	hv_ept_flush(v.e, v.h, false, DATA);
	gwrite(&v, slot(L0T, vb, 0), pte(DATA + 0x6000, V | R | W | A | D));
	CHECK(xl(&v, vb, ACC_READ, PRV_S).refs == 15, "vb refilled from DATA + 0x6000");
	hv_ept_flush(v.e, v.h, false, DATA + 0x5000);
	CHECK(xl(&v, vb, ACC_READ, PRV_S).refs == 0,
	      "a fence of vb's old page keeps its new entry");
	env_close(&v);
}

/* Without on_exit, hv_ept traces each exit as VM_EXIT: the enum
 * hv_ept_exit value as reason, the guest-physical address that exited
 * (for a VS PTE, the PTE's own), the exit's cycles; a gstage_miss exit
 * costs vm_exit only (hv_mmio is the device model's). */
static void test_exit_trace(void)
{
	struct env v;
	struct tracer tr;
	struct trace_record rec[16];
	char err[256];
	const uint64_t want[4] = { slot(ROOT, VA, 2), slot(L1T, VA, 1), slot(L0T, VA, 0),
				   DATA + 8 };
	if (env_open(&v, true, 12, true))
		return;
	map_small(&v, V | R | W | A | D);
	CHECK(tracer_init(&tr, 1, 64, RING_DROP, 1u << TPC_EXITS, err, sizeof(err)) == 0,
	      "tracer_init: %s", err);
	machine_set_tracer(v.m, &tr, 1u << TPC_EXITS);
	CHECK(xl(&v, VA + 8, ACC_READ, PRV_S).cause == 0, "lazy translation");
	size_t n = trace_ring_pop(&tr.ring[0], rec, 16);
	CHECK(n == 4, "%zu records", n);
	for (size_t i = 0; i < n && i < 4; i++)
		CHECK(rec[i].type == TP_VM_EXIT && rec[i].reason == HV_EPT_EXIT_MISS &&
			      rec[i].addr1 == want[i] && rec[i].aux == 1000,
		      "exit %zu: type %u reason %u gpa 0x%llx cycles %llu", i, rec[i].type,
		      rec[i].reason, (unsigned long long)rec[i].addr1,
		      (unsigned long long)rec[i].aux);
	CHECK(v.e->st[0].exit_cycles[HV_EPT_EXIT_MISS] == 4 * 1000, "miss exit cycles %llu",
	      (unsigned long long)v.e->st[0].exit_cycles[HV_EPT_EXIT_MISS]);
	machine_set_tracer(v.m, NULL, 0);
	tracer_destroy(&tr);
	env_close(&v);
}

/* The walk reads VS PTEs as loads for PMP (3.7.1) whatever the access:
 * a store through PTEs with A and D set needs no write to their page. */
static void test_pmp_store_walk(void)
{
	struct env v;
	if (env_open(&v, true, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	pmp_write_addr(v.h, 0, (p2m(&v, L0T) >> 2) | 0x1ff);
	pmp_write_addr(v.h, 1, (1ull << 54) - 1);
	pmp_write_cfg(v.h, 0, 0x19 | (0x1fu << 8));
	CHECK(xl(&v, VA, ACC_WRITE, PRV_S).cause == 0, "store through a read-only PTE page");
	env_close(&v);
}

/* ---- building the G-stage (hv_ept_gstage.c) ------------------------- */

/* A one-hart machine of MACHINE_RAM in S mode, without a G-stage. */
static struct machine *plain_machine(void)
{
	struct machine_config cfg;
	char err[256];
	machine_config_defaults(&cfg);
	cfg.ram_size = MACHINE_RAM;
	cfg.nharts = 1;
	cfg.kernel = NULL;
	cfg.console = NULL;
	struct machine *m = machine_new(&cfg, err, sizeof(err));
	CHECK(m != NULL, "machine_new: %s", err);
	if (m)
		machine_boot_supervisor(m->harts[0]);
	return m;
}

/* P2Ms for the G-stage builder (ctx unused). */
static uint64_t p2m_identity(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return gpa >= RAM_BASE && gpa - RAM_BASE < GUEST_RAM ? gpa : HV_EPT_NOT_RAM;
}

static uint64_t p2m_unaligned(void *ctx, uint64_t gpa)
{
	uint64_t mpa = p2m_identity(ctx, gpa);
	return mpa == HV_EPT_NOT_RAM ? mpa : mpa + 8;
}

static uint64_t p2m_past_ram(void *ctx, uint64_t gpa)
{
	uint64_t mpa = p2m_identity(ctx, gpa);
	return mpa == HV_EPT_NOT_RAM ? mpa : mpa + MACHINE_RAM;
}

/* Any guest RAM at all, backed by the first GUEST_RAM of the machine's
 * (pages alias): guests far larger than the machine. */
static uint64_t p2m_alias(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return gpa < RAM_BASE ? HV_EPT_NOT_RAM : RAM_BASE + ((gpa - RAM_BASE) & (GUEST_RAM - 1));
}

/* As p2m_alias, the guest-physical half at and above 2^40 on the upper
 * half of GUEST_RAM: a walk that confuses GPA bit 40 reads the lower. */
static uint64_t p2m_split40(void *ctx, uint64_t gpa)
{
	(void)ctx;
	if (gpa < RAM_BASE)
		return HV_EPT_NOT_RAM;
	return RAM_BASE + (gpa & (GUEST_RAM / 2 - 1)) + ((gpa >> 40) ? GUEST_RAM / 2 : 0);
}

/* The identity, except that the last 4 KiB of DATA's 2 MiB and the first
 * of the next 2 MiB trade places: DATA's range starts 2 MiB-aligned and
 * is contiguous up to its last page. */
static uint64_t p2m_last_page_moved(void *ctx, uint64_t gpa)
{
	uint64_t mpa = p2m_identity(ctx, gpa);
	if ((gpa & ~0xfffull) == DATA + 0x1ff000 || (gpa & ~0xfffull) == DATA + 0x200000)
		mpa ^= (DATA + 0x1ff000) ^ (DATA + 0x200000);
	return mpa;
}

static struct hv_ept *ept_new(struct machine *m, unsigned leaf_shift, bool lazy, uint64_t guest_ram,
			      hv_ept_p2m_fn p2m_fn, uint64_t pool_base, uint64_t pool_size,
			      char *err)
{
	struct hv_ept_params p;
	hv_ept_params_default(&p);
	p.leaf_shift = leaf_shift;
	p.lazy = lazy;
	err[0] = 0;
	return hv_ept_new(m, &p, guest_ram, p2m_fn, NULL, pool_base, pool_size, err, 256);
}

/* hv_ept_priv.h's contract for hv_ept_new(): the parameters it refuses
 * (each with a message), the 41-bit guest-physical space of Sv39x4
 * (privileged spec 20211203, 8.5: GPA[40:0]), a pool too small for the
 * root or the tables, and P2Ms whose pages are not 4 KiB-aligned machine
 * RAM; the defaults hv_ept.c builds the domain's G-stage with. */
static void test_gstage_new(void)
{
	struct hv_ept_params p;
	struct hv_ept *e;
	char err[256];
	const uint64_t pool = RAM_BASE + GUEST_RAM, bytes = hv_ept_table_bytes(GUEST_RAM);
	const uint64_t gpa_max = (1ull << HV_EPT_GPA_BITS) - RAM_BASE;
	struct machine *m = plain_machine();
	if (!m)
		return;
	hv_ept_params_default(&p);
	CHECK(p.leaf_shift == 12 && !p.lazy, "defaults: leaf_shift %u lazy %d", p.leaf_shift,
	      p.lazy);
	CHECK(!strcmp(hv_ept_exit_name(HV_EPT_EXIT_MMIO), "gstage_mmio") &&
		      !strcmp(hv_ept_exit_name(HV_EPT_EXIT_MISS), "gstage_miss") &&
		      !strcmp(hv_ept_exit_name(HV_EPT_EXIT_ACCESS), "gstage_access") &&
		      !strcmp(hv_ept_exit_name(HV_EPT_EXIT_COUNT), "?"),
	      "exit names");
	static const struct {
		unsigned leaf_shift;
		bool lazy;
		uint64_t guest_ram, pool_size;
		hv_ept_p2m_fn p2m;
		const char *what;
	} bad[] = {
		{ 13, false, GUEST_RAM, 0, p2m_identity, "leaf_shift 13" },
		{ 30, false, GUEST_RAM, 0, p2m_identity, "leaf_shift 30 (no gigapage leaves)" },
		{ 12, true, 0, 0, p2m_identity, "no guest RAM" },
		{ 12, true, GUEST_RAM - 1, 0, p2m_identity, "guest RAM not a multiple of 4 KiB" },
		{ 12, true, (1ull << HV_EPT_GPA_BITS) - RAM_BASE + 4096, 0, p2m_alias,
		  "guest RAM past 2^41" },
		{ 12, true, GUEST_RAM, HV_EPT_ROOT_BYTES - 4096, p2m_identity,
		  "a pool smaller than the root" },
		{ 12, false, GUEST_RAM, HV_EPT_ROOT_BYTES, p2m_identity,
		  "a pool with room for the root only" },
		{ 12, false, GUEST_RAM, 0, p2m_unaligned, "P2M pages not 4 KiB-aligned" },
		{ 12, false, GUEST_RAM, 0, p2m_past_ram, "P2M pages past machine RAM" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = ept_new(m, bad[i].leaf_shift, bad[i].lazy, bad[i].guest_ram, bad[i].p2m, pool,
			    bad[i].pool_size ? bad[i].pool_size : bytes, err);
		CHECK(e == NULL && err[0], "%s: refused with a message", bad[i].what);
		if (e)
			hv_ept_delete(e);
	}
	/* The whole 41-bit space is guest RAM (lazy: no tables needed yet). */
	e = ept_new(m, 12, true, gpa_max, p2m_alias, pool, bytes, err);
	CHECK(e != NULL, "guest RAM up to 2^41: %s", err);
	if (e)
		hv_ept_delete(e);
	machine_free(m);
}

/* hv_ept_table_bytes(): the 16 KiB root, 12 KiB to align it from any
 * 4 KiB-aligned base (plus a page of slack), one table per GiB and one
 * per 2 MiB of guest RAM; hv_vmm_bytes() sizes the VMM's memory with it,
 * so it must be enough, from a base 4 KiB past a 16 KiB boundary, in a
 * pool hv_ept_new() must not assume zeroed. */
static void test_gstage_table_bytes(void)
{
	struct hv_ept *e;
	struct g_walk g;
	char err[256];
	const uint64_t pool = RAM_BASE + GUEST_RAM, bytes = hv_ept_table_bytes(GUEST_RAM);
	const uint64_t big = 2 * 1024 * MIB + 2 * MIB + 4096; /* 3 GiB ranges, 1026 of 2 MiB */
	CHECK(bytes == 2 * HV_EPT_ROOT_BYTES + 4096 * (1 + 4), "8 MiB: 0x%llx bytes",
	      (unsigned long long)bytes);
	CHECK(hv_ept_table_bytes(4096) == 2 * HV_EPT_ROOT_BYTES + 4096 * 2, "4 KiB: 0x%llx",
	      (unsigned long long)hv_ept_table_bytes(4096));
	CHECK(hv_ept_table_bytes(GUEST_RAM + 4096) == 2 * HV_EPT_ROOT_BYTES + 4096 * (1 + 5),
	      "8 MiB + 4 KiB: 0x%llx", (unsigned long long)hv_ept_table_bytes(GUEST_RAM + 4096));
	CHECK(hv_ept_table_bytes(big) == 2 * HV_EPT_ROOT_BYTES + 4096 * (3 + 1026),
	      "2 GiB + 2 MiB + 4 KiB: 0x%llx", (unsigned long long)hv_ept_table_bytes(big));
	struct machine *m = plain_machine();
	if (!m)
		return;
	struct hart *h = m->harts[0];
	/* Stale valid-looking leaves all over the pool: every table the
	 * builder hands out must start empty. */
	uint64_t junk = pte(RAM_BASE, V | R | W | X | U), *pp = phys_ram_ptr(m, pool, 2 * MIB);
	for (uint64_t i = 0; i < 2 * MIB / 8; i++)
		memcpy(&pp[i], &junk, 8);
	e = ept_new(m, 12, false, GUEST_RAM, p2m_identity, pool + 0x1000, bytes, err);
	CHECK(e != NULL, "8 MiB from a base 4 KiB past 16 KiB: %s", err);
	if (e) {
		/* 8.5.1 (hgatp): the Sv39x4 root is 16 KiB-aligned. */
		CHECK(e->root % HV_EPT_ROOT_BYTES == 0, "root 0x%llx", (unsigned long long)e->root);
		CHECK(hv_ept_gwalk(e, h, RAM_BASE + GUEST_RAM - 0x10, ACC_WRITE, &g) == G_OK &&
			      g.mpa == RAM_BASE + GUEST_RAM - 0x10,
		      "last guest page");
		CHECK(hv_ept_gwalk(e, h, 0x40000000, ACC_READ, &g) == G_INVALID,
		      "no stale root entry");
		CHECK(hv_ept_gwalk(e, h, RAM_BASE + GUEST_RAM, ACC_READ, &g) == G_INVALID,
		      "no stale L1 entry");
		hv_ept_delete(e);
	}
	/* More than 2 GiB of guest RAM, aliased onto the machine's, in 4 KiB
	 * leaves: every GiB and 2 MiB table, in exactly the bytes given. */
	e = ept_new(m, 12, false, big, p2m_alias, pool + 0x1000, hv_ept_table_bytes(big), err);
	CHECK(e != NULL, "2 GiB + 2 MiB + 4 KiB: %s", err);
	if (e) {
		CHECK(e->tables == 4 + 3 + 1026, "%llu table pages", (unsigned long long)e->tables);
		CHECK(hv_ept_gwalk(e, h, RAM_BASE + big - 8, ACC_READ, &g) == G_OK &&
			      g.mpa == RAM_BASE + ((big - 8) & (GUEST_RAM - 1)),
		      "last page of a big guest: 0x%llx", (unsigned long long)g.mpa);
		hv_ept_delete(e);
	}
	machine_free(m);
}

/* Guest-physical addresses at and above 2^40 (privileged spec 20211203,
 * 8.5.1: Sv39x4 translates GPA[40:0], the root is indexed by GPA[40:30],
 * 2048 entries) are guest RAM of their own, never an alias of the same
 * address without bit 40, also when their root entry lies in the root's
 * last 12 KiB. */
static void test_gstage_high_gpa(void)
{
	struct env v;
	struct res r;
	char err[256];
	const uint64_t hi = 1ull << 40;
	memset(&v, 0, sizeof(v));
	if (!(v.m = plain_machine()))
		return;
	v.h = v.m->harts[0];
	v.e = ept_new(v.m, 12, true, (1ull << HV_EPT_GPA_BITS) - RAM_BASE, p2m_split40,
		      RAM_BASE + GUEST_RAM, hv_ept_table_bytes(GUEST_RAM), err);
	CHECK(v.e != NULL, "hv_ept_new: %s", err);
	if (!v.e) {
		machine_free(v.m);
		return;
	}
	v.h->satp = 0; /* Bare: virtual is guest-physical */
	r = xl(&v, DATA + 8, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m_split40(NULL, DATA) + 8, "DATA: 0x%llx",
	      (unsigned long long)r.x.paddr);
	r = xl(&v, hi + DATA + 8, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m_split40(NULL, hi + DATA) + 8,
	      "2^40 + DATA: cause %d paddr 0x%llx", r.cause, (unsigned long long)r.x.paddr);
	r = xl(&v, DATA + 0x2008, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m_split40(NULL, DATA + 0x2000) + 8,
	      "DATA + 8 KiB: 0x%llx", (unsigned long long)r.x.paddr);
	hv_ept_flush(v.e, v.h, true, 0);
	r = xl(&v, hi + DATA + 8, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m_split40(NULL, hi + DATA) + 8,
	      "2^40 + DATA again: cause %d paddr 0x%llx", r.cause, (unsigned long long)r.x.paddr);
	r = xl(&v, (1ull << 41) - 8, ACC_READ, PRV_S);
	CHECK(r.cause == 0 && r.x.paddr == p2m_split40(NULL, (1ull << 41) - 4096) + 0xff8,
	      "the last guest-physical page: cause %d", r.cause);
	CHECK(v.e->st[0].exits[HV_EPT_EXIT_MISS] == 4, "%llu miss exits",
	      (unsigned long long)v.e->st[0].exits[HV_EPT_EXIT_MISS]);
	env_close(&v);
}

/* A 2 MiB G-stage leaf only where the P2M gives one aligned contiguous
 * run (hv_ept_priv.h): a range aligned at its start whose last page is
 * elsewhere, and the end of a guest RAM that is not a multiple of 2 MiB
 * (the P2M backing more than the G-stage may map), take 4 KiB leaves. */
static void test_gstage_megapage_fallback(void)
{
	struct env v;
	struct res r;
	char err[256];
	for (int end = 0; end < 2; end++) {
		uint64_t ram = end ? GUEST_RAM - 4096 : GUEST_RAM;
		memset(&v, 0, sizeof(v));
		if (!(v.m = plain_machine()))
			return;
		v.h = v.m->harts[0];
		v.e = ept_new(v.m, 21, false, ram, end ? p2m_identity : p2m_last_page_moved,
			      RAM_BASE + GUEST_RAM, hv_ept_table_bytes(GUEST_RAM), err);
		CHECK(v.e != NULL, "hv_ept_new: %s", err);
		if (!v.e) {
			machine_free(v.m);
			return;
		}
		v.h->satp = 0;
		r = xl(&v, RAM_BASE + 0x18, ACC_READ, PRV_S);
		CHECK(r.cause == 0 && r.refs == 2 && r.x.paddr == RAM_BASE + 0x18,
		      "a contiguous range: one 2 MiB leaf, %llu references",
		      (unsigned long long)r.refs);
		if (!end) {
			r = xl(&v, DATA + 0x1ff010, ACC_READ, PRV_S);
			CHECK(r.cause == 0 && r.refs == 3 && r.x.paddr == DATA + 0x200010,
			      "last page moved: cause %d, %llu references, paddr 0x%llx", r.cause,
			      (unsigned long long)r.refs, (unsigned long long)r.x.paddr);
		} else {
			r = xl(&v, RAM_BASE + ram - 0x1000, ACC_READ, PRV_S);
			CHECK(r.cause == 0 && r.refs == 3, "last guest page: %llu references",
			      (unsigned long long)r.refs);
			r = xl(&v, RAM_BASE + ram, ACC_READ, PRV_S);
			CHECK(r.cause == EXC_LOAD_ACCESS,
			      "the page after guest RAM, which the P2M backs: cause %d", r.cause);
		}
		env_close(&v);
	}
}

/* The G-stage walk reads its tables from machine RAM only: a pointer the
 * VMM corrupted to a page that is no RAM is an invalid entry, not a read
 * of nothing. */
static void test_gstage_pointer_off_ram(void)
{
	struct env v;
	struct g_walk g;
	if (env_open(&v, false, 12, false))
		return;
	uint64_t slot2 = v.e->root + ((DATA >> 30) & 0x7ff) * 8;
	mwrite(&v, slot2, pte(0x1000, V));
	CHECK(hv_ept_gwalk(v.e, v.h, DATA, ACC_READ, &g) == G_INVALID, "root pointer off RAM");
	env_close(&v);
}

/* A one-hart machine with the EPT hypervisor attached, booted into S
 * mode (*cfg: its configuration, for the costs); NULL with a message. */
static struct machine *new_ept_machine(struct machine_config *cfg)
{
	struct hv_params p;
	char err[256];
	machine_config_defaults(cfg);
	hv_params_default(&p, HV_EPT);
	p.guest_ram = GUEST_RAM;
	cfg->nharts = 1;
	cfg->kernel = NULL;
	cfg->console = NULL;
	cfg->ram_size = GUEST_RAM + hv_vmm_bytes(&p, 1);
	struct machine *m = machine_new(cfg, err, sizeof(err));
	if (!m || hv_attach(m, &p, err, sizeof(err))) {
		CHECK(0, "an EPT machine: %s", err);
		machine_free(m);
		return NULL;
	}
	machine_boot_supervisor(m->harts[0]);
	return m;
}

/* The EPT configuration runs a plain Sv39 guest (docs/hypervisor.md): the
 * Svtlb CSRs are illegal for it, as on a machine without Svtlb.  Were they
 * the hart's own, an itc_d of the guest's choosing would land in the
 * modeled TLB that holds the combined entries and map, under a Bare satp,
 * any machine page - here the VMM's G-stage root. */
static void test_no_svtlb_csrs(void)
{
	struct machine_config cfg;
	struct xlate x;
	struct machine *m = new_ept_machine(&cfg);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	h->satp = 0; /* Bare: combined entries are tagged HV_EPT_BARE_TAG */
	uint64_t va = 0x40000000, root = RAM_BASE + GUEST_RAM; /* the G-stage's first table */
	int rr = csr_write(h, 0x5c0, ((uint64_t)HV_EPT_BARE_TAG << 8) | (12 << 2)); /* rr0 */
	int ifa = csr_write(h, 0x5c9, va), itir = csr_write(h, 0x5ca, 12 << 2);
	int itc = csr_write(h, 0x5d1, root | 0x67); /* itc_d: p r w a d */
	uint64_t val = 0;
	int rd = csr_read(h, 0x5c8, &val); /* pta */
	CHECK(rr == -1 && ifa == -1 && itir == -1 && itc == -1 && rd == -1,
	      "Svtlb CSRs under EPT: %d %d %d %d %d", rr, ifa, itir, itc, rd);
	int c = hv_translate(h, va, ACC_READ, PRV_S, &x);
	CHECK(c != 0 || (x.paddr >= RAM_BASE && x.paddr - RAM_BASE < GUEST_RAM),
	      "a guest address reaches machine 0x%llx", (unsigned long long)x.paddr);
	/* G-stage exits join the VMM's per-reason exit table, by their reason. */
	CHECK(hv_translate(h, UART_BASE, ACC_READ, PRV_S, &x) == 0 && !x.cacheable, "MMIO");
	CHECK(h->vcpu->st.exit[HVX_MMIO].count == 1 &&
		      h->vcpu->st.exit[HVX_MMIO].cycles == cfg.cost.vm_exit + cfg.cost.hv_mmio,
	      "mmio exit counted: %llu", (unsigned long long)h->vcpu->st.exit[HVX_MMIO].count);
	CHECK(h->vcpu->st.exit[HVX_GSTAGE_ACCESS].count == (c != 0), "gstage_access exits %llu",
	      (unsigned long long)h->vcpu->st.exit[HVX_GSTAGE_ACCESS].count);
	machine_free(m);
}

/* A G-stage fault the VMM turns into an access fault for the guest is an
 * injection (docs/hypervisor.md, "Fault injection"): counted as
 * access_fault and charged cost.hv_inject beside the gstage_access exit,
 * as the Svtlb configurations count the same fault (hv.c gpa_access).  A
 * VS-stage page fault is the modeled hardware's own: no injection. */
static void test_gstage_access_injected(void)
{
	struct machine_config cfg;
	struct xlate x;
	struct machine *m = new_ept_machine(&cfg);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	h->satp = 0; /* Bare: the address is guest-physical */
	uint64_t cyc = h->cycles;
	int c = hv_translate(h, 0x40000000ull, ACC_READ, PRV_S, &x);
	CHECK(c == EXC_LOAD_ACCESS, "not RAM nor device: cause %d", c);
	CHECK(h->vcpu->st.exit[HVX_GSTAGE_ACCESS].count == 1, "one gstage_access exit");
	CHECK(h->vcpu->st.inject[HVI_ACCESS_FAULT].count == 1, "access_fault injections: %llu",
	      (unsigned long long)h->vcpu->st.inject[HVI_ACCESS_FAULT].count);
	CHECK(h->cycles - cyc >= cfg.cost.vm_exit + cfg.cost.hv_inject,
	      "exit and injection charged: %llu cycles", (unsigned long long)(h->cycles - cyc));
	/* Sv39 with an invalid root entry: a VS-stage page fault, not injected. */
	h->satp = (8ull << 60) | (ROOT >> 12);
	c = hv_translate(h, 0x1000, ACC_READ, PRV_S, &x);
	CHECK(c == EXC_LOAD_PAGE, "VS page fault: cause %d", c);
	CHECK(h->vcpu->st.inject[HVI_ACCESS_FAULT].count == 1 &&
		      h->vcpu->st.inject[HVI_PAGE_FAULT].count == 0,
	      "a VS-stage fault is no injection");
	machine_free(m);
}

/* hv_ept.h's hv_ept_fence() is HFENCE.GVMA for the VMM: by address, a
 * page it unmapped leaves the TLB and no other; whole, everything.  Its
 * next touch is a G-stage miss the VMM fills (hv_ept_priv.h), which joins
 * hv.c's per-reason exit table as gstage_miss, charged vm_exit. */
static void test_hv_fence_and_miss(void)
{
	struct machine_config cfg;
	struct xlate x;
	struct g_walk g;
	struct machine *m = new_ept_machine(&cfg);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct hv_ept *e = h->vcpu->hv->ept;
	const uint64_t a = RAM_BASE + 0x5000, b = RAM_BASE + 0x6000, zero = 0;
	h->satp = 0; /* Bare: the addresses are guest-physical */
	CHECK(hv_translate(h, a, ACC_READ, PRV_S, &x) == 0 &&
		      hv_translate(h, b, ACC_READ, PRV_S, &x) == 0,
	      "fill");
	CHECK(hv_ept_gwalk(e, h, a, ACC_READ, &g) == G_OK, "a's G leaf");
	memcpy(phys_ram_ptr(m, g.leaf, 8), &zero, 8);
	hv_ept_fence(h, false, a);
	CHECK(e->st[0].flush_gpa == 1 && e->st[0].flush_all == 0, "by address: %llu %llu",
	      (unsigned long long)e->st[0].flush_gpa, (unsigned long long)e->st[0].flush_all);
	uint64_t refs = h->st.ev[EV_PT_REF];
	CHECK(hv_translate(h, b, ACC_READ, PRV_S, &x) == 0 && h->st.ev[EV_PT_REF] == refs,
	      "another page's entry stays");
	CHECK(hv_translate(h, a, ACC_READ, PRV_S, &x) == 0 && x.paddr == g.mpa,
	      "the unmapped page refilled: 0x%llx", (unsigned long long)x.paddr);
	CHECK(h->vcpu->st.exit[HVX_GSTAGE_MISS].count == 1 &&
		      h->vcpu->st.exit[HVX_GSTAGE_MISS].cycles == cfg.cost.vm_exit,
	      "gstage_miss exits %llu",
	      (unsigned long long)h->vcpu->st.exit[HVX_GSTAGE_MISS].count);
	hv_ept_fence(h, true, 0);
	CHECK(e->st[0].flush_all == 1, "whole: %llu", (unsigned long long)e->st[0].flush_all);
	refs = h->st.ev[EV_PT_REF];
	CHECK(hv_translate(h, b, ACC_READ, PRV_S, &x) == 0 && h->st.ev[EV_PT_REF] == refs + 3,
	      "whole: every entry walks again");
	machine_free(m);
}

/* Nor can its guest select Svtlb in satp: MODE 14 is an unsupported mode
 * there, and a write of it leaves satp as it was (docs/platform.md 1), as
 * with --no-svtlb; accepted, every access of the guest would fault. */
static void test_no_svtlb_satp(void)
{
	struct machine_config cfg;
	uint64_t val = ~0ull;
	struct machine *m = new_ept_machine(&cfg);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	uint64_t sv39 = (8ull << 60) | (ROOT >> 12);
	CHECK(csr_write(h, CSR_SATP, sv39) == 0 && csr_read(h, CSR_SATP, &val) == 0 && val == sv39,
	      "Sv39 accepted: 0x%llx", (unsigned long long)val);
	csr_write(h, CSR_SATP, 14ull << 60);
	CHECK(csr_read(h, CSR_SATP, &val) == 0 && val == sv39, "satp.MODE 14 under EPT: 0x%llx",
	      (unsigned long long)val);
	machine_free(m);
}

/* ---- native Sv39 (vmm/sv39.c, sv39_pte.h), without the EPT ---------- */

/* One native translation: cause, paddr (0 on a fault), PTE reads. */
static int nx(struct env *v, uint64_t va, enum access acc, unsigned priv, uint64_t *pa,
	      uint64_t *refs)
{
	struct xlate x = { 0 };
	uint64_t r0 = v->h->st.ev[EV_PT_REF];
	int c = sv39_translate(v->h, va, acc, priv, &x);
	if (pa)
		*pa = c ? 0 : x.paddr;
	if (refs)
		*refs = v->h->st.ev[EV_PT_REF] - r0;
	return c;
}

/* The rules a native walk applies to the PTEs it reads, with the causes
 * of Privileged ISA 20211203 4.3.2 (page faults 12/13/15, access faults
 * 5/7 for the walk's own memory accesses) and the Sv39 formats of 4.4.1.
 * Identity P2M: guest-physical is machine-physical. */
static void test_native_pte_rules(void)
{
	struct env v;
	uint64_t pa;
	if (env_open(&v, false, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	/* VPN[0] takes va bits 20:12, all nine (4.4.1): page 256 of the L0 table. */
	gwrite(&v, slot(L0T, VA + 0x100000, 0), pte(DATA + 0x7000, V | R | A));
	CHECK(nx(&v, VA + 0x100000 + 0x18, ACC_READ, PRV_S, &pa, NULL) == 0 && pa == DATA + 0x7018,
	      "VPN[0] bit 8: paddr 0x%llx", (unsigned long long)pa);
	/* Step 3: a reserved bit (63:54, no Svnapot/Svpbmt) is a page fault. */
	gwrite(&v, slot(L0T, VA + 0x1000, 0), pte(DATA, V | R | A) | (1ull << 54));
	CHECK(nx(&v, VA + 0x1000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "PTE bit 54 set: load page fault");
	gwrite(&v, slot(L0T, VA + 0x2000, 0), pte(DATA, V | R | A) | (1ull << 63));
	CHECK(nx(&v, VA + 0x2000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "PTE bit 63 (N) set: load page fault");
	/* The PPN is 44 bits (4.4.1): bit 53 of the PTE is PA bit 55. */
	gwrite(&v, slot(L0T, VA + 0x3000, 0), pte(DATA, V | R | A) | (1ull << 53));
	CHECK(nx(&v, VA + 0x3000 + 4, ACC_READ, PRV_S, &pa, NULL) == 0 &&
		      pa == ((1ull << 55) | DATA | 4),
	      "PPN bit 43: paddr 0x%llx", (unsigned long long)pa);
	/* Step 3: W without R is reserved, also in a would-be pointer at
	 * level 1 (where a walk that took it for a table would go on). */
	gwrite(&v, slot(L1T, VA, 1), pte(L0T, V | W));
	CHECK(nx(&v, VA + 0x4000, ACC_WRITE, PRV_S, NULL, NULL) == EXC_STORE_PAGE,
	      "non-leaf with W: store page fault");
	/* Step 4: in a non-leaf PTE, D, A and U are reserved (must be zero). */
	gwrite(&v, slot(L1T, VA, 1), pte(L0T, V | A));
	CHECK(nx(&v, VA + 0x4000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "non-leaf with A: load page fault");
	gwrite(&v, slot(L1T, VA, 1), pte(L0T, V | D));
	CHECK(nx(&v, VA + 0x4000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "non-leaf with D: load page fault");
	gwrite(&v, slot(L1T, VA, 1), pte(L0T, V | U));
	CHECK(nx(&v, VA + 0x4000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "non-leaf with U: load page fault");
	gwrite(&v, slot(L1T, VA, 1), pte(L0T, V));
	CHECK(nx(&v, VA + 0x4000, ACC_READ, PRV_S, &pa, NULL) == 0 && pa == DATA + 0x4000,
	      "the same table through a clean pointer");
	/* Step 6: a misaligned megapage (PPN[0] = 0x100 != 0) is a page fault,
	 * not an access fault. */
	gwrite(&v, slot(L1T, VA_MEGA, 1), pte(DATA + 0x100000, V | R | A));
	CHECK(nx(&v, VA_MEGA, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "misaligned megapage: load page fault");
	/* Bits 63:39 must equal bit 38 (4.4.1): bit 38 alone is not canonical;
	 * bit 37 alone is, and names VPN[2] = 0x80 (a gigapage here). */
	gwrite(&v, slot(ROOT, 1ull << 38, 2), pte(RAM_BASE, V | R | A)); /* VPN[2] 256 */
	CHECK(nx(&v, 1ull << 38, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "va bit 38 without 63:39: page fault");
	gwrite(&v, slot(ROOT, 1ull << 37, 2), pte(RAM_BASE, V | R | A));
	CHECK(nx(&v, (1ull << 37) + 0x10, ACC_READ, PRV_S, &pa, NULL) == 0 && pa == RAM_BASE + 0x10,
	      "va bit 37 is canonical: paddr 0x%llx", (unsigned long long)pa);
	/* Step 2: the root is satp.PPN (44 bits) << 12: with PPN bit 43 set it
	 * is not memory, an access fault of the access. */
	v.h->satp |= 1ull << 43;
	CHECK(nx(&v, VA + 0x5000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_ACCESS,
	      "root beyond memory (satp.PPN bit 43): load access fault");
	env_close(&v);
}

/* Permissions (4.3.1, 3.1.6.3) on a walk and on a TLB hit, hardware A/D
 * updates (4.3.2 step 7), PMP on the walk's reads (3.7.1). */
static void test_native_perms_ad(void)
{
	struct env v;
	uint64_t pa, refs;
	if (env_open(&v, false, 12, false))
		return;
	map_small(&v, V | R | W | A | D);
	/* An execute-only page: loads need MXR. */
	gwrite(&v, slot(L0T, VA + 0x1000, 0), pte(DATA + 0x1000, V | X | A));
	CHECK(nx(&v, VA + 0x1000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_PAGE,
	      "load from X-only page without MXR: load page fault");
	v.h->mstatus |= MSTATUS_MXR;
	CHECK(nx(&v, VA + 0x1000, ACC_READ, PRV_S, &pa, NULL) == 0 && pa == DATA + 0x1000,
	      "load from X-only page with MXR");
	v.h->mstatus &= ~MSTATUS_MXR;
	gwrite(&v, slot(L0T, VA + 0x2000, 0), pte(DATA + 0x2000, V | U | X | A));
	/* S never executes a U page, even with SUM. */
	v.h->mstatus |= MSTATUS_SUM;
	CHECK(nx(&v, VA + 0x2000, ACC_FETCH, PRV_S, NULL, NULL) == EXC_INSN_PAGE,
	      "S fetch from a U page with SUM: fetch page fault");
	CHECK(nx(&v, VA + 0x2000, ACC_FETCH, PRV_U, NULL, NULL) == 0, "U fetch from the U page");
	CHECK(nx(&v, VA + 0x2000, ACC_FETCH, PRV_S, NULL, NULL) == EXC_INSN_PAGE,
	      "S fetch from the U page on a TLB hit: fetch page fault");
	v.h->mstatus &= ~MSTATUS_SUM;
	/* The TLB hit is checked too: an S page walked for S refuses U. */
	CHECK(nx(&v, VA, ACC_READ, PRV_S, NULL, NULL) == 0, "S read");
	CHECK(nx(&v, VA, ACC_READ, PRV_U, NULL, &refs) == EXC_LOAD_PAGE && refs == 0,
	      "U read of an S page on a TLB hit: load page fault");

	/* A write through A = 1, D = 0 sets D; a fetch sets A only. */
	gwrite(&v, slot(L0T, VA + 0x3000, 0), pte(DATA + 0x3000, V | R | W | A));
	uint64_t ad = v.h->st.ev[EV_AD_UPDATE], cyc = v.h->cycles;
	CHECK(nx(&v, VA + 0x3000, ACC_WRITE, PRV_S, NULL, NULL) == 0 &&
		      v.h->st.ev[EV_AD_UPDATE] == ad + 1 && v.h->cycles - cyc == 3 + 4 * 11,
	      "the D update counted and charged pt_ref: %llu cycles",
	      (unsigned long long)(v.h->cycles - cyc));
	CHECK((gread(&v, slot(L0T, VA + 0x3000, 0)) & D), "write with A set and D clear sets D");
	gwrite(&v, slot(L0T, VA + 0x4000, 0), pte(DATA + 0x4000, V | R | X));
	CHECK(nx(&v, VA + 0x4000, ACC_FETCH, PRV_S, NULL, NULL) == 0 &&
		      (gread(&v, slot(L0T, VA + 0x4000, 0)) & (A | D)) == A,
	      "fetch sets A only: pte 0x%llx",
	      (unsigned long long)gread(&v, slot(L0T, VA + 0x4000, 0)));
	/* A read caches a clean entry: the write after it must set D. */
	gwrite(&v, slot(L0T, VA + 0x5000, 0), pte(DATA + 0x5000, V | R | W));
	CHECK(nx(&v, VA + 0x5000, ACC_READ, PRV_S, NULL, NULL) == 0 &&
		      (gread(&v, slot(L0T, VA + 0x5000, 0)) & (A | D)) == A,
	      "read sets A only");
	CHECK(nx(&v, VA + 0x5000, ACC_WRITE, PRV_S, NULL, NULL) == 0 &&
		      (gread(&v, slot(L0T, VA + 0x5000, 0)) & D),
	      "write after a read sets D: pte 0x%llx",
	      (unsigned long long)gread(&v, slot(L0T, VA + 0x5000, 0)));

	/* PMP: an unlocked entry denying S the L0 table's page. */
	pmp_write_addr(v.h, 0, (L0T >> 2) | 0x1ff);
	pmp_write_addr(v.h, 1, (1ull << 54) - 1);
	pmp_write_cfg(v.h, 0, 0x18 | (0x1fu << 8));
	CHECK(nx(&v, VA + 0x6000, ACC_READ, PRV_S, NULL, NULL) == EXC_LOAD_ACCESS,
	      "PMP denies the native walk's PTE read: load access fault");
	env_close(&v);
}

/* The TLB the walk fills: ASIDs (satp bits 59:44, 4.1.11), global
 * mappings (a G pointer makes everything below it global, 4.3.1), the
 * separate I and D TLBs and the cycles of a miss. */
static void test_native_tlb(void)
{
	struct env v;
	uint64_t refs, cyc;
	if (env_open(&v, false, 12, false))
		return;
	map_small(&v, V | R | W | X | A | D);
	cyc = v.h->cycles;
	CHECK(nx(&v, VA, ACC_READ, PRV_S, NULL, &refs) == 0 && refs == 3, "walk: %llu refs",
	      (unsigned long long)refs);
	CHECK(v.h->cycles - cyc == 3 + 3 * 11, "miss cycles: tlb_refill + 3 pt_ref: %llu",
	      (unsigned long long)(v.h->cycles - cyc));
	CHECK(v.h->st.ev[EV_PT_WALK] == 1, "one walk counted");
	CHECK(nx(&v, VA, ACC_FETCH, PRV_S, NULL, &refs) == 0 && refs == 3 &&
		      v.h->st.ev[EV_ITLB_MISS] == 1 && v.h->st.ev[EV_DTLB_MISS] == 1,
	      "a fetch misses the I-TLB after a load: %llu refs", (unsigned long long)refs);
	v.h->satp = (8ull << 60) | (4ull << 44) | (ROOT >> 12);
	CHECK(nx(&v, VA, ACC_READ, PRV_S, NULL, &refs) == 0 && refs == 3, "ASID 4: %llu refs",
	      (unsigned long long)refs);
	v.h->satp = (8ull << 60) | (0x8005ull << 44) | (ROOT >> 12);
	CHECK(nx(&v, VA, ACC_READ, PRV_S, NULL, &refs) == 0 && refs == 3, "ASID 0x8005: %llu refs",
	      (unsigned long long)refs);
	/* G in the root pointer: the leaf below is global. */
	gwrite(&v, slot(ROOT, VA, 2), pte(L1T, V | G));
	CHECK(nx(&v, VA + 0x1000, ACC_READ, PRV_S, NULL, &refs) == 0 && refs == 3, "walk");
	v.h->satp = (8ull << 60) | (9ull << 44) | (ROOT >> 12);
	CHECK(nx(&v, VA + 0x1000, ACC_READ, PRV_S, NULL, &refs) == 0 && refs == 0,
	      "global through the pointer answers ASID 9: %llu refs", (unsigned long long)refs);
	env_close(&v);
}

/* ---- PMP (vmm/pmp.c): Privileged ISA 20211203, 3.7.1 ------------------ */

#define PMP_NAPOT 0x18u
#define PMP_TOR 0x08u
#define PMP_L 0x80u

/* Entries off, unlocked (the test writes the cfg registers itself). */
static void pmp_clear(struct hart *h)
{
	h->pmpcfg[0] = h->pmpcfg[2] = 0;
	for (unsigned i = 0; i < PMP_ENTRIES; i++)
		h->pmpaddr[i] = 0;
}

static void test_pmp_rules(void)
{
	struct env v;
	if (env_open(&v, false, 12, false))
		return;
	struct hart *h = v.h;
	const uint64_t pg = RAM_BASE + 0x40000; /* 8 KiB aligned */
	/* Entry 8 is byte 0 of pmpcfg2; no entry matches: S denied, M allowed. */
	pmp_clear(h);
	pmp_write_addr(h, 8, (pg >> 2) | 0x1ff);
	pmp_write_cfg(h, 2, PMP_NAPOT | 0x1);
	CHECK(pmp_check(h, pg, ACC_READ, PRV_S) && !pmp_check(h, pg, ACC_WRITE, PRV_S),
	      "entry 8 (pmpcfg2 byte 0): R only");
	CHECK(!pmp_check(h, pg + 0x1000, ACC_READ, PRV_S) &&
		      pmp_check(h, pg + 0x1000, ACC_WRITE, PRV_M),
	      "no match: S denied, M allowed");
	/* NAPOT of 8 KiB: pmpaddr's 10 trailing ones give 2^13. */
	pmp_clear(h);
	pmp_write_addr(h, 0, (pg >> 2) | 0x3ff);
	pmp_write_cfg(h, 0, PMP_NAPOT | 0x4); /* X only */
	CHECK(pmp_check(h, pg + 0x1000, ACC_FETCH, PRV_S) &&
		      !pmp_check(h, pg + 0x2000, ACC_FETCH, PRV_S),
	      "8 KiB NAPOT covers two pages");
	CHECK(!pmp_check(h, pg, ACC_READ, PRV_S), "X-only entry: read denied");
	/* The whole 56-bit space and nothing above it. */
	pmp_write_addr(h, 0, (1ull << 53) - 1);
	pmp_write_cfg(h, 0, PMP_NAPOT | 0x1);
	CHECK(pmp_check(h, (1ull << 56) - 0x1000, ACC_READ, PRV_S) &&
		      !pmp_check(h, 1ull << 56, ACC_READ, PRV_S),
	      "NAPOT of 2^56 stops at 2^56");
	CHECK(!pmp_check(h, pg, ACC_FETCH, PRV_S), "R-only entry: fetch denied");
	/* TOR: [pmpaddr[i-1], pmpaddr[i]) << 2; entry 0 from 0. */
	pmp_clear(h);
	pmp_write_addr(h, 0, pg >> 2);
	pmp_write_addr(h, 1, (pg + 0x2000) >> 2);
	pmp_write_cfg(h, 0, (uint64_t)(PMP_TOR | 0x3) << 8 | (PMP_TOR | 0x1));
	CHECK(pmp_check(h, pg - 0x1000, ACC_READ, PRV_S) &&
		      !pmp_check(h, pg - 0x1000, ACC_WRITE, PRV_S),
	      "TOR entry 0 from address 0: R");
	CHECK(pmp_check(h, pg + 0x1000, ACC_WRITE, PRV_S) &&
		      !pmp_check(h, pg + 0x2000, ACC_READ, PRV_S),
	      "TOR entry 1: [pg, pg + 8K) RW, its top excluded");
	/* Entry 1's bottom is pmpaddr0 even when entry 0 is OFF. */
	pmp_write_cfg(h, 0, (uint64_t)(PMP_TOR | 0x3) << 8);
	CHECK(!pmp_check(h, pg - 0x1000, ACC_READ, PRV_S) && pmp_check(h, pg, ACC_READ, PRV_S),
	      "TOR entry 1 starts at pmpaddr0");
	/* An OFF entry matches nothing, whatever its address. */
	pmp_clear(h);
	pmp_write_addr(h, 0, (1ull << 54) - 1);
	pmp_write_addr(h, 1, (1ull << 54) - 1);
	pmp_write_cfg(h, 0, (uint64_t)(PMP_NAPOT | 0x7) << 8);
	CHECK(pmp_check(h, pg, ACC_WRITE, PRV_S), "OFF entry 0 skipped");
	/* R = 0, W = 1 is reserved: W is cleared; NA4 is not selectable (G = 10). */
	pmp_write_cfg(h, 0, PMP_NAPOT | 0x2);
	CHECK(pmp_read_cfg(h, 0) == PMP_NAPOT, "W without R: cfg 0x%llx",
	      (unsigned long long)pmp_read_cfg(h, 0));
	pmp_write_cfg(h, 0, 0x10 | 0x1);
	CHECK(pmp_read_cfg(h, 0) == (PMP_NAPOT | 0x1), "NA4 keeps the old A: 0x%llx",
	      (unsigned long long)pmp_read_cfg(h, 0));
	/* pmpaddr reads: NAPOT bits G-2..0 ones, OFF/TOR bits G-1..0 zeros;
	 * writable bits 53:0. */
	pmp_write_addr(h, 0, ~0ull << 10);
	CHECK(pmp_read_addr(h, 0) == (((1ull << 54) - 1) & (~0ull << 10)) + 0x1ff,
	      "NAPOT read: 0x%llx", (unsigned long long)pmp_read_addr(h, 0));
	pmp_write_addr(h, 2, (1ull << 53) | 0x3ff);
	CHECK(pmp_read_addr(h, 2) == 1ull << 53, "OFF read: 0x%llx",
	      (unsigned long long)pmp_read_addr(h, 2));
	/* L: applies to M, and makes cfg and address read-only; a locked TOR
	 * entry also locks the previous address, a locked NAPOT one not. */
	pmp_clear(h);
	pmp_write_addr(h, 0, (pg >> 2) | 0x1ff);
	pmp_write_cfg(h, 0, PMP_L | PMP_NAPOT | 0x1);
	CHECK(!pmp_check(h, pg, ACC_WRITE, PRV_M) && pmp_check(h, pg, ACC_READ, PRV_M),
	      "locked entry applies to M");
	pmp_write_cfg(h, 0, PMP_NAPOT | 0x7);
	pmp_write_addr(h, 0, 0);
	CHECK(pmp_read_cfg(h, 0) == (PMP_L | PMP_NAPOT | 0x1) &&
		      pmp_read_addr(h, 0) == ((pg >> 2) | 0x1ff),
	      "locked cfg and address ignore writes");
	pmp_write_addr(h, 2, 5);
	pmp_write_addr(h, 4, 6);
	pmp_write_cfg(h, 0,
		      (uint64_t)(PMP_L | PMP_TOR) << 24 | (uint64_t)(PMP_L | PMP_NAPOT) << 40);
	pmp_write_addr(h, 2, 7);
	pmp_write_addr(h, 4, 8);
	CHECK(h->pmpaddr[2] == 5 && h->pmpaddr[4] == 8,
	      "locked TOR entry 3 locks pmpaddr2, locked NAPOT entry 5 not pmpaddr4");
	env_close(&v);
}

/* ---- vmm/mmu.c: dispatch, PMP on data and fetches, page crossings ---- */

static void test_mmu_accesses(void)
{
	struct env v;
	struct xlate x;
	uint64_t val;
	if (env_open(&v, false, 12, false))
		return;
	struct hart *h = v.h;
	map_small(&v, V | R | W | X | A | D);
	/* VA + 0x1000 maps a page that is not DATA's neighbour. */
	gwrite(&v, slot(L0T, VA + 0x1000, 0), pte(DATA + 0x5000, V | R | W | A | D));
	gwrite(&v, DATA + 0xff8, 0x8877665544332211ull);
	gwrite(&v, DATA + 0x1000, 0x1111111111111111ull); /* the wrong page */
	gwrite(&v, DATA + 0x5000, 0xffeeddccbbaa9988ull);
	/* M-mode is never translated (4.1.11); satp.MODE 14 is Svtlb's. */
	CHECK(mmu_translate(h, VA, ACC_READ, PRV_M, &x) == 0 && x.paddr == VA,
	      "M-mode under Sv39: identity");
	h->satp = 14ull << 60;
	CHECK(mmu_translate(h, VA, ACC_READ, PRV_S, &x) == 27,
	      "satp.MODE 14: Svtlb's alt dtlb miss");
	h->satp = (8ull << 60) | (5ull << 44) | (ROOT >> 12);
	/* An access crossing into the next virtual page reads that page. */
	CHECK(mmu_load(h, VA + 0xffc, 8, &val) == 0 && val == 0xbbaa998888776655ull,
	      "load across pages: 0x%llx", (unsigned long long)val);
	CHECK(mmu_load(h, VA + 0xfff, 2, &val) == 0 && val == 0x8888,
	      "2-byte load at 0xfff crosses: 0x%llx", (unsigned long long)val);
	/* A store whose second page faults writes nothing (both translated first). */
	gwrite(&v, slot(L0T, VA + 0x2000, 0), pte(DATA + 0x2000, V | R | W | A | D));
	gwrite(&v, slot(L0T, VA + 0x3000, 0), 0);
	CHECK(mmu_store(h, VA + 0x2ffe, 4, 0xaabbccdd) == -1 && h->scause == EXC_STORE_PAGE &&
		      h->stval == VA + 0x3000 && gread(&v, DATA + 0x2ff8) == 0,
	      "store into a faulting second page: scause %llu stval 0x%llx",
	      (unsigned long long)h->scause, (unsigned long long)h->stval);
	/* MPRV with MPP = S: M-mode's data accesses are translated. */
	h->priv = PRV_M;
	h->mstatus |= MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT);
	hart_update_ctx(h);
	CHECK(mmu_load(h, VA + 0xff8, 8, &val) == 0 && val == 0x8877665544332211ull,
	      "MPRV load through Sv39: 0x%llx", (unsigned long long)val);
	h->priv = PRV_S;
	h->mstatus &= ~(MSTATUS_MPRV | MSTATUS_MPP);
	hart_update_ctx(h);
	/* The page just past RAM is nothing: access faults (3.5.1), not RAM. */
	gwrite(&v, slot(L0T, VA + 0x7000, 0), pte(RAM_BASE + MACHINE_RAM, V | R | W | X | A | D));
	CHECK(mmu_load(h, VA + 0x7000, 8, &val) == -1 && h->scause == EXC_LOAD_ACCESS,
	      "load from the page after RAM: scause %llu", (unsigned long long)h->scause);
	CHECK(mmu_fetch(h, VA + 0x7000) == NULL && h->scause == EXC_INSN_ACCESS,
	      "fetch from the page after RAM: scause %llu", (unsigned long long)h->scause);
	/* A store to a page holding decoded code goes through the code
	 * cache's invalidation (the fast copy would leave stale code). */
	CHECK(mmu_fetch(h, VA) != NULL, "fetch decodes DATA's page");
	uint64_t inval = h->st.ev[EV_CODE_INVAL];
	CHECK(mmu_store(h, VA + 0x20, 4, 0x13) == 0 && h->st.ev[EV_CODE_INVAL] == inval + 1,
	      "store to a code page invalidates it");
	/* Clearing SUM drops the fast path's S write entries of U pages. */
	gwrite(&v, slot(L0T, VA + 0x6000, 0), pte(DATA + 0x6000, V | R | W | U | A | D));
	CHECK(csr_write(h, CSR_SSTATUS, h->mstatus | MSTATUS_SUM) == 0 &&
		      mmu_store(h, VA + 0x6000, 8, 1) == 0 &&
		      h->hc[h->data_ctx][ACC_WRITE][((VA + 0x6000) >> 12) & (HC_SIZE - 1)].tag ==
			      VA + 0x6000,
	      "S store to a U page with SUM cached");
	CHECK(mmu_load(h, VA + 0x6000, 8, &val) == 0 &&
		      h->hc[h->data_ctx][ACC_READ][((VA + 0x6000) >> 12) & (HC_SIZE - 1)].tag ==
			      VA + 0x6000,
	      "S load from a U page with SUM cached");
	csr_write(h, CSR_SSTATUS, h->mstatus & ~MSTATUS_SUM);
	CHECK(h->hc[h->data_ctx][ACC_READ][((VA + 0x6000) >> 12) & (HC_SIZE - 1)].tag !=
		      VA + 0x6000,
	      "SUM cleared: the read entry left the fast path");
	CHECK(h->hc[h->data_ctx][ACC_WRITE][((VA + 0x6000) >> 12) & (HC_SIZE - 1)].tag !=
		      VA + 0x6000,
	      "SUM cleared: the write entry left the fast path");
	/* PMP (3.7.1) on the data access and the fetch after translation:
	 * DATA's page readable only; the rest (tables included) open. */
	pmp_write_addr(h, 0, (DATA >> 2) | 0x1ff);
	pmp_write_addr(h, 1, (1ull << 54) - 1);
	pmp_write_cfg(h, 0, 0x19 | (0x1fu << 8));
	CHECK(mmu_load(h, VA + 8, 8, &val) == 0, "PMP allows the read");
	CHECK(mmu_store(h, VA + 8, 8, 1) == -1 && h->scause == EXC_STORE_ACCESS &&
		      h->stval == VA + 8,
	      "PMP denies the store: scause %llu", (unsigned long long)h->scause);
	CHECK(mmu_fetch(h, VA + 0x10) == NULL && h->scause == EXC_INSN_ACCESS &&
		      h->stval == VA + 0x10 && h->sepc == VA + 0x10,
	      "PMP denies the fetch: scause %llu", (unsigned long long)h->scause);
	env_close(&v);
}

int main(void)
{
	test_walk_counts();
	test_ad_bits();
	test_faults();
	test_mmio();
	test_lazy();
	test_fences();
	test_fence_gstage_superpage();
	test_bare();
	test_no_svtlb_csrs();
	test_gstage_perms();
	test_global_dirty();
	test_gstage_denied_hit();
	test_pmp();
	test_pmp_ad_write();
	test_device_bounds();
	test_pool_exact();
	test_gstage_new();
	test_gstage_table_bytes();
	test_gstage_high_gpa();
	test_gstage_megapage_fallback();
	test_gstage_pointer_off_ram();
	test_walk_privilege();
	test_walk_dirty();
	test_walk_addresses();
	test_walk_itlb();
	test_fence_stale_slot();
	test_exit_trace();
	test_pmp_store_walk();
	test_no_svtlb_satp();
	test_gstage_access_injected();
	test_hv_fence_and_miss();
	test_native_pte_rules();
	test_native_perms_ad();
	test_native_tlb();
	test_pmp_rules();
	test_mmu_accesses();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
