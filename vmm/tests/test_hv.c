/*
 * test_hv.c - the hypervisor's Svtlb virtualization (hv*.c) driven through
 * the engine's hooks on a machine without a program: the guest's CSR
 * accesses (hv_csr_write/read) and translations (hv_translate) are made
 * directly, as the engine makes them for a guest instruction.
 *
 * What is checked: each injected fault kind with the guest-visible fault
 * CSRs the architecture prescribes (docs/platform.md 4.7-4.8); the guest
 * VHPT software walker (hit, miss, not present, reference outside guest
 * RAM); MMIO recognition (every access exits; the single vTLB forgets a
 * device mapping at the next data insert and the VMM must inject, the hash
 * vTLB keeps it); large guest pages split into 4 KiB machine sub-pages
 * (or whole), with the single vTLB's forgetting; interrupt and wfi exits;
 * ptc.g reaching the other vCPUs; the P2M's bounds (the
 * VMM's memory is not the guest's, not even to the boot phase's Sv39 walk);
 * the trapped CSRs' validity rules, masks and exit reasons; TR inserts and
 * purges (guest, machine, vTLB, machine VHPT); the walker's rules (pta.ve,
 * page sizes, not-present entries); the itc policy (partial and full
 * track, the data-side rule, 8K and whole large pages); purges reaching
 * collision chains; the cycles and counters of exits and injections; the
 * report's p50/p95 (exact when a bucket holds one value, merged across
 * vCPUs).  Added by mutation testing (2026-12-08): every CSR field and
 * operand rule, the purge RID of a region, exit reasons, TVM; chains
 * emptied by ptc.e, found per region, their cycles, recycling and pool
 * reuse; the per-region RID lists; device TRs; whole pages' bounds and
 * slots; exact purge and ptc.g costs; the PV calls' sides and operands;
 * the host fast path's flushes.  Added by mutation testing (2026-12-08),
 * natively, without a hypervisor (svtlb.c, svtlb_csr.c, svtlb_vhpt.c):
 * the CSR field rules and masks, TVM, insert and purge operands, the
 * fault causes and fault CSRs, psr.ic, the walker's enables, hash, tag,
 * entry rules and PMP check, rights, the ignored PPN bits, what inserts
 * and purges remove (sides, RIDs, alignment, every hart), and the host
 * fast path's flushes for TR slots, ptc_e, RID changes and purges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csr.h"
#include "exec.h"
#include "hv_priv.h"
#include "pmp.h"
#include "svtlb.h"

#define GUEST_RAM (4ull << 20)
#define UART 0x10000000ull
#define RID_USER 8u
#define VA_USER 0x0000000000400000ull /* region 0 */
#define VA_IO 0xc000000000000000ull   /* region 6 */
#define VA_BIG 0x0000000001000000ull  /* region 0, 16 MiB aligned */
#define RR(rid, ps, ve) (((uint64_t)(rid) << 8) | ((uint64_t)(ps) << 2) | (ve))
#define PTE_RWAD (SVPTE_P | SVPTE_R | SVPTE_W | SVPTE_A | SVPTE_D)

/* The Svtlb CSR numbers come from svtlb_priv.h (docs/platform.md 4.3). */

/* chain: machine-VHPT collision chains on (1), off (0) or the
 * configuration's default (-1). */
static struct machine *new_vm_chain(enum hv_config c, unsigned nharts, bool walker, int chain)
{
	struct machine_config cfg;
	struct hv_params p;
	char err[256];
	machine_config_defaults(&cfg);
	hv_params_default(&p, c);
	p.guest_vhpt_walker = walker;
	if (chain >= 0)
		p.machine_vhpt_chain = chain;
	p.machine_vhpt_log2 = 15;
	p.guest_ram = GUEST_RAM;
	cfg.nharts = nharts;
	cfg.console = NULL;
	cfg.ram_size = GUEST_RAM + hv_vmm_bytes(&p, nharts);
	struct machine *m = machine_new(&cfg, err, sizeof err);
	if (!m || hv_attach(m, &p, err, sizeof err)) {
		fprintf(stderr, "test_hv.c: %s\n", err);
		return NULL;
	}
	for (unsigned i = 0; i < nharts; i++) {
		struct hart *h = m->harts[i];
		machine_boot_supervisor(h); /* S-mode, PMP open for the walker */
		h->satp = (uint64_t)SATP_MODE_SVTLB << 60;
		hart_update_ctx(h);
	}
	return m;
}

static struct machine *new_vm(enum hv_config c, unsigned nharts, bool walker)
{
	return new_vm_chain(c, nharts, walker, true);
}

static void csrw(struct hart *h, unsigned csr, uint64_t v)
{
	bool illegal = false;
	CHECK(hv_csr_write(h, csr, v, &illegal) && !illegal, "csr 0x%x <- 0x%llx refused", csr,
	      (unsigned long long)v);
}

static uint64_t csrr(struct hart *h, unsigned csr)
{
	bool illegal = false;
	uint64_t v = 0;
	CHECK(hv_csr_read(h, csr, &v, &illegal) && !illegal, "csr 0x%x read refused", csr);
	return v;
}

static void itc_d(struct hart *h, uint64_t va, unsigned ps, uint64_t pte)
{
	csrw(h, CSR_IFA, va);
	csrw(h, CSR_ITIR, (uint64_t)ps << 2);
	csrw(h, CSR_ITC_D, pte);
}

/* A data read in S-mode with the machine TLB emptied first: only the
 * machine VHPT, the VMM's miss path (vTLB, walker) or an injection can
 * answer it. */
static int read_past_tc(struct hart *h, uint64_t va, struct xlate *x)
{
	svtlb_tc_flush(h);
	return hv_translate(h, va, ACC_READ, PRV_S, x);
}

static uint64_t injected(struct machine *m, enum hv_inject_kind k)
{
	struct hv_stats t;
	hv_stats_total(m->hv, &t);
	return t.inject[k].count;
}

static uint64_t exits(struct machine *m, enum hv_exit_reason r)
{
	struct hv_stats t;
	hv_stats_total(m->hv, &t);
	return t.exit[r].count;
}

/* A mechanism counter summed over the vCPUs, as the summaries print it. */
static uint64_t mech(struct machine *m, enum hv_mech c)
{
	uint64_t sum[HVM_COUNT];
	hv_mech_total(m->hv, sum);
	return sum[c];
}

/* ---- injection rules ------------------------------------------------- */

static void test_miss_kinds(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t va = VA_USER + 0x1234;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	int c = hv_translate(h, va, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "walker off for the region: cause %d", c);
	CHECK(csrr(h, CSR_IFA) == va, "ifa 0x%llx", (unsigned long long)csrr(h, CSR_IFA));
	CHECK(csrr(h, CSR_ITIR) == ((RID_USER << 8) | (12 << 2)), "itir has the GUEST rid/ps");
	CHECK(csrr(h, CSR_ISR) == ISR_R, "isr 0x%llx", (unsigned long long)csrr(h, CSR_ISR));
	CHECK(csrr(h, CSR_IHA) == svtlb_thash(&h->vcpu->g, va), "iha with the guest's rr/pta");
	c = hv_translate(h, va, ACC_FETCH, PRV_U, &x);
	CHECK(c == SVTLB_EXC_ALT_ITLB_MISS, "fetch: cause %d", c);
	CHECK(csrr(h, CSR_ISR) == (ISR_X | ISR_U), "isr of a user fetch");
	/* walker enabled by the guest, the VMM's software walker off */
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	c = hv_translate(h, va, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS, "walker on, not walked: cause %d", c);
	CHECK(injected(m, HVI_ALT_DTLB_MISS) == 1 && injected(m, HVI_ALT_ITLB_MISS) == 1 &&
		      injected(m, HVI_DTLB_MISS) == 1,
	      "counted by kind");
	c = hv_translate(h, 0x0010000000000000ull, ACC_READ, PRV_S, &x);
	CHECK(c == EXC_LOAD_PAGE && injected(m, HVI_PAGE_FAULT) == 1,
	      "unimplemented address: cause %d", c);
	machine_free(m);
}

/* The guest's psr.ic = 0 (docs/platform.md 4.8): a data miss the VMM must
 * inject becomes the nested DTLB miss, the guest's fault CSRs left as its
 * interrupted handler had them; a fetch miss stays an Alt-ITLB miss. */
static void test_nested(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	CHECK(csrr(h, CSR_PSR) == 1, "the guest's psr resets to ic = 1");
	csrw(h, CSR_PSR, 0);
	csrw(h, CSR_IFA, 0x5000);
	uint64_t va = VA_USER + 0x2345;
	int c = hv_translate(h, va, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_NESTED_DTLB && injected(m, HVI_NESTED_DTLB) == 1 &&
		      injected(m, HVI_ALT_DTLB_MISS) == 0,
	      "ic = 0: nested DTLB miss injected: cause %d", c);
	CHECK(csrr(h, CSR_IFA) == 0x5000, "ic = 0: ifa untouched (0x%llx)",
	      (unsigned long long)csrr(h, CSR_IFA));
	c = hv_translate(h, va, ACC_FETCH, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_ITLB_MISS && csrr(h, CSR_IFA) == va,
	      "ic = 0, fetch: Alt-ITLB miss with ifa: cause %d", c);
	csrw(h, CSR_PSR, 1);
	c = hv_translate(h, va, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS && injected(m, HVI_NESTED_DTLB) == 1,
	      "ic = 1 again: Alt-DTLB miss: cause %d", c);
	machine_free(m);
}

static void test_checks(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	uint64_t pa = RAM_BASE + 0x200000;
	itc_d(h, VA_USER, 12, pa | SVPTE_P | SVPTE_R | SVPTE_A); /* read-only, clean */
	int c = hv_translate(h, VA_USER + 8, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 8, "read: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);
	c = hv_translate(h, VA_USER + 8, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ACCESS_RIGHTS, "store to read-only: %d", c);
	itc_d(h, VA_USER, 12, pa | SVPTE_P | SVPTE_R | SVPTE_W | SVPTE_A);
	c = hv_translate(h, VA_USER + 8, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DIRTY_BIT && csrr(h, CSR_ISR) == ISR_W, "store, d=0: %d", c);
	itc_d(h, VA_USER, 12, pa | SVPTE_P | SVPTE_R | SVPTE_W | SVPTE_D);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ACCESS_BIT, "a=0: %d", c);
	itc_d(h, VA_USER, 12, pa | PTE_RWAD | SVPTE_U);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ACCESS_RIGHTS, "user page from S without SUM: %d", c);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_U, &x);
	CHECK(c == 0, "user page from U: %d", c);
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	c = hv_translate(h, VA_USER + 0x1000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "next page not inserted: %d", c);
	CHECK(injected(m, HVI_ACCESS_RIGHTS) == 2 && injected(m, HVI_DIRTY_BIT) == 1 &&
		      injected(m, HVI_ACCESS_BIT) == 1,
	      "counted by kind");
	machine_free(m);
}

/* ---- the software walker of the guest's VHPT ------------------------- */

static void put64(struct machine *m, uint64_t pa, uint64_t v)
{
	uint8_t *p = phys_ram_ptr(m, pa, 8);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A 4 KiB entry for va in the guest's VHPT, where its walker looks. */
static void put_vhpt_entry(struct machine *m, struct svtlb *g, uint64_t va, uint64_t pte)
{
	uint64_t e = svtlb_thash(g, va);
	put64(m, e, pte);
	put64(m, e + 8, 12 << 2);
	put64(m, e + 16, svtlb_ttag(g, va));
}

static void test_guest_walker(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, true);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pa = RAM_BASE + 0x300000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD);
	int c = hv_translate(h, VA_USER + 4, ACC_WRITE, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 4, "walker hit: cause %d", c);
	c = hv_translate(h, VA_USER + 0x5000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS, "walker miss: %d", c);
	put_vhpt_entry(m, g, VA_USER + 0x6000, pa); /* p = 0 */
	c = hv_translate(h, VA_USER + 0x6000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_PAGE_NOT_PRESENT, "entry with p=0: %d", c);
	/* a guest VHPT placed beyond the guest's RAM (where the VMM's memory
	 * is) is a VHPT translation fault, never a read of VMM memory */
	csrw(h, CSR_PTA, (RAM_BASE + GUEST_RAM) | (15 << 2) | 1);
	c = hv_translate(h, VA_USER + 0x7000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_VHPT_FAULT && injected(m, HVI_VHPT_FAULT) == 1 &&
		      injected(m, HVI_DTLB_MISS) == 1,
	      "VHPT outside guest RAM: %d, counted as a VHPT fault", c);
	uint64_t walks = mech(m, HVM_GUEST_WALKS), walk_hits = mech(m, HVM_GUEST_WALK_HITS);
	CHECK(walks == 4 && walk_hits == 2, "walks %llu hits %llu", (unsigned long long)walks,
	      (unsigned long long)walk_hits);
	machine_free(m);
}

/* A translation the software walker finds is the guest's latest TC insert:
 * the single vTLB holds it from then on (and so forgets a device page),
 * the hash vTLB under partial track leaves it to the machine. */
static void test_walker_and_single(enum hv_config c_)
{
	struct machine *m = new_vm(c_, 1, true);
	if (!m)
		return;
	bool single = c_ == HV_STVT;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pa = RAM_BASE + 0x300000;
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	itc_d(h, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD);
	int c = hv_translate(h, VA_USER + 4, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 4, "%s: walker hit: cause %d", hv_config_name(c_), c);
	c = hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	if (single)
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "single: the walker's insert replaced the device page: cause %d", c);
	else
		CHECK(c == 0 && x.paddr == UART + 5, "hash: the device page is still known: %d", c);
	machine_free(m);
}

/* ---- MMIO ------------------------------------------------------------ */

static void test_mmio(enum hv_config c_, bool single)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0)); /* region 6, walker off, as the kernel */
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	for (int i = 0; i < 3; i++) {
		int c = hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
		CHECK(c == 0 && x.paddr == UART + 5 && !x.cacheable, "MMIO access %d: cause %d", i,
		      c);
	}
	CHECK(exits(m, HVX_MMIO) == 3, "every device access exits: %llu",
	      (unsigned long long)exits(m, HVX_MMIO));
	/* the next data insert the vTLB tracks (another device page: memory
	 * pages of the machine's size go to the machine VHPT only, Xen's
	 * thash_purge_and_insert): the single vTLB forgets the first one */
	itc_d(h, VA_IO + 0x1000, 12, (UART + 0x1000) | PTE_RWAD | SVPTE_MA_UC);
	int c = hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	if (single)
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS && injected(m, HVI_ALT_DTLB_MISS) == 1,
		      "single vTLB: the VMM cannot tell it is I/O: cause %d", c);
	else
		CHECK(c == 0 && x.paddr == UART + 5 && exits(m, HVX_MMIO) == 4,
		      "hash vTLB keeps the device mapping: cause %d", c);
	machine_free(m);
}

/* ---- large guest pages ------------------------------------------------ */

/* A 4 MiB guest page (all of the test's guest RAM) in region 0, walker off.
 * Split (the default, Xen/IA-64's): the machine gets 4 KiB sub-pages, each
 * new one an exit the vTLB resolves - until the single vTLB has forgotten
 * the large page, then the VMM must inject; an itc of the large page purges
 * its older sub-pages.  Whole: one machine entry, no exits. */
static void test_large_pages(enum hv_config c_, bool whole)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	m->hv->p.whole_large_pages = whole;
	bool single = c_ == HV_STVT;
	const char *mode = whole ? "whole" : single ? "split, single" : "split, hash";
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_BIG, 22, RAM_BASE | PTE_RWAD);
	uint64_t e0 = exits(m, HVX_TLB_MISS);
	int c = hv_translate(h, VA_BIG + 0x123, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x123 && exits(m, HVX_TLB_MISS) == e0,
	      "%s: the inserted address needs no exit: cause %d", mode, c);
	c = hv_translate(h, VA_BIG + 0x5008, ACC_WRITE, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x5008, "%s: another sub-page: cause %d", mode, c);
	CHECK(exits(m, HVX_TLB_MISS) == e0 + (whole ? 0 : 1), "%s: %llu exits for it", mode,
	      (unsigned long long)(exits(m, HVX_TLB_MISS) - e0));
	c = hv_translate(h, VA_BIG + 0x5010, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && exits(m, HVX_TLB_MISS) == e0 + (whole ? 0 : 1),
	      "%s: the sub-page stays in the machine", mode);
	/* a 4 KiB insert elsewhere: the single vTLB now holds that one */
	itc_d(h, VA_USER + 0x3000, 12, (RAM_BASE + 0x3ff000) | PTE_RWAD);
	c = hv_translate(h, VA_BIG + 0x9000, ACC_READ, PRV_S, &x);
	if (single && !whole)
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS && injected(m, HVI_ALT_DTLB_MISS) == 1,
		      "%s: large page forgotten, the VMM must inject: cause %d", mode, c);
	else
		CHECK(c == 0 && x.paddr == RAM_BASE + 0x9000 && injected(m, HVI_ALT_DTLB_MISS) == 0,
		      "%s: large page still known: cause %d", mode, c);
	/* the guest inserts the large page again: its old sub-pages go */
	itc_d(h, VA_BIG, 22, RAM_BASE | PTE_RWAD);
	uint64_t e1 = exits(m, HVX_TLB_MISS);
	c = hv_translate(h, VA_BIG + 0x5000, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && exits(m, HVX_TLB_MISS) == e1 + (whole ? 0 : 1),
	      "%s: re-insert purged the older sub-pages: cause %d, %llu exits", mode, c,
	      (unsigned long long)(exits(m, HVX_TLB_MISS) - e1));
	/* the machine VHPT holds the 4 KiB page where the hardware walker
	 * looks (the VMM's hash is the architecture's): no exit once the
	 * machine TC is empty (its VPN 0x403 shares no slot of the 1024-entry
	 * table with the sub-pages above) */
	svtlb_tc_flush(h);
	uint64_t e2 = exits(m, HVX_TLB_MISS);
	c = hv_translate(h, VA_USER + 0x3008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x3ff008 && exits(m, HVX_TLB_MISS) == e2,
	      "%s: the walker finds the VMM's machine VHPT entry: cause %d", mode, c);
	uint64_t subpages = mech(m, HVM_SUBPAGE_INSERTS);
	CHECK(whole ? subpages == 0 : subpages >= 4, "%s: %llu sub-page inserts", mode,
	      (unsigned long long)subpages);
	machine_free(m);
}

/* ---- machine VHPT collision chains ------------------------------------- */

/* The test machine VHPT has 1024 slots and the hash is vpn ^ f(rid): pages
 * 4 MiB apart in one region share a slot. */
#define SLOT_STRIDE (4ull << 20)

/* Partial track (HTVT): a 4 KiB RAM page the guest inserts lives in the
 * machine VHPT only.  A second page hashing to its slot displaces it: with
 * chains the miss handler finds it there (no injection), without them the
 * guest takes a TLB miss it would not take natively.  A purge reaches the
 * chain too. */
/* chain as new_vm_chain's; by default the hash vTLB's machine VHPT has
 * chains and the single vTLB's has none (paper 003, 2.2 and 3). */
static void test_chain_keeps_displaced(enum hv_config cfg, int chain_opt)
{
	struct machine *m = new_vm_chain(cfg, 1, false, chain_opt);
	if (!m)
		return;
	bool chain = m->hv->p.machine_vhpt_chain;
	char mode[64];
	snprintf(mode, sizeof mode, "%s, chains %s%s", hv_config_name(cfg), chain ? "on" : "off",
		 chain_opt < 0 ? " (default)" : "");
	if (chain_opt < 0)
		CHECK(chain == (cfg == HV_HTVT || cfg == HV_HTPV),
		      "%s: the default follows the vTLB strategy", mode);
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x5000) | PTE_RWAD);
	itc_d(h, VA_USER + SLOT_STRIDE, 12, (RAM_BASE + 0x6000) | PTE_RWAD);
	/* the machine TLB lost both: only the VHPT can serve */
	int c = read_past_tc(h, VA_USER + 0x10, &x);
	if (chain)
		CHECK(c == 0 && x.paddr == RAM_BASE + 0x5010 && injected(m, HVI_DTLB_MISS) == 0 &&
			      mech(m, HVM_MCHAIN_HITS) == 1,
		      "%s: the displaced page is found in its chain: cause %d", mode, c);
	else
		CHECK(c == SVTLB_EXC_DTLB_MISS && injected(m, HVI_DTLB_MISS) == 1,
		      "%s: the displaced page is lost, the guest takes the miss: cause %d", mode,
		      c);
	if (!chain) {
		machine_free(m);
		return;
	}
	/* swapped back into the slot: the walker finds it, the other page is
	 * now the chained one and is found the same way */
	svtlb_tc_flush(h);
	uint64_t e0 = exits(m, HVX_TLB_MISS);
	c = hv_translate(h, VA_USER + 0x20, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && exits(m, HVX_TLB_MISS) == e0, "%s: back in its slot, no exit: cause %d",
	      mode, c);
	c = hv_translate(h, VA_USER + SLOT_STRIDE, ACC_WRITE, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x6000 && mech(m, HVM_MCHAIN_HITS) == 2,
	      "%s: the other page from the chain: cause %d", mode, c);
	/* ptc.l of the chained page: gone from the chain as well */
	csrw(h, CSR_PTC_L, VA_USER | (12 << 2));
	c = read_past_tc(h, VA_USER, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS && injected(m, HVI_DTLB_MISS) == 1,
	      "%s: a purged page is not found in a chain: cause %d", mode, c);
	machine_free(m);
}

/* Xen's limits: a slot's chain at the maximum depth is recycled whole; an
 * empty pool recycles every chain.  Recycled entries are lost (the guest
 * takes the miss), the newest stays. */
static void test_chain_recycling(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	for (unsigned i = 0; i < HV_MCHAIN_DEPTH_MAX; i++)
		itc_d(h, VA_USER + i * SLOT_STRIDE, 12, (RAM_BASE + 0x5000) | PTE_RWAD);
	uint64_t pushes = mech(m, HVM_MCHAIN_DISPLACED), recycles = mech(m, HVM_MCHAIN_RECYCLES);
	CHECK(pushes == HV_MCHAIN_DEPTH_MAX - 1 && recycles == 0,
	      "%u pages in one slot: %llu displaced, %llu recycles", HV_MCHAIN_DEPTH_MAX,
	      (unsigned long long)pushes, (unsigned long long)recycles);
	itc_d(h, VA_USER + HV_MCHAIN_DEPTH_MAX * SLOT_STRIDE, 12, (RAM_BASE + 0x5000) | PTE_RWAD);
	CHECK(mech(m, HVM_MCHAIN_RECYCLES) == 1, "one more: the chain is recycled");
	int c = read_past_tc(h, VA_USER, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS, "the oldest page went with the chain: cause %d", c);
	c = hv_translate(h, VA_USER + (HV_MCHAIN_DEPTH_MAX - 1) * SLOT_STRIDE, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && mech(m, HVM_MCHAIN_HITS) == 1,
	      "the last displaced page is chained: cause %d", c);
	/* a whole-table purge (256M) finds the two live pages, not the
	 * recycled chain entries */
	uint64_t purged = mech(m, HVM_MVHPT_PURGED);
	csrw(h, CSR_PTC_L, 0 | (28 << 2));
	CHECK(mech(m, HVM_MVHPT_PURGED) - purged == 2, "a 256M purge: %llu purged, 2 live",
	      (unsigned long long)(mech(m, HVM_MVHPT_PURGED) - purged));
	/* 1024 slots, 1024 pool entries: a second page in every slot fills
	 * the pool, the next displacement recycles all chains */
	hv_op_ptc_e(h->vcpu);
	for (uint64_t i = 0; i < 2 * 1024 + 1; i++) { /* the VMM's itc, not 3 checked CSR writes */
		if (i == 2 * 1024)
			CHECK(mech(m, HVM_MCHAIN_POOL_RECYCLES) == 0,
			      "a pool just full is not recycled yet");
		hv_op_itc(h->vcpu, SIDE_D, VA_USER + (i << 12), 12, (RAM_BASE + 0x5000) | PTE_RWAD);
	}
	uint64_t all = mech(m, HVM_MCHAIN_POOL_RECYCLES);
	CHECK(all == 1, "pool exhausted: %llu recycles of all", (unsigned long long)all);
	machine_free(m);
}

/* ---- exceptions for M under the built-in firmware ---------------------- */

/* No M-mode software runs under the firmware: an exception that medeleg
 * keeps for M ends the run with a message instead of entering M at mtvec
 * (docs/devices.md "SBI firmware", vmm/trap.c hart_raise). */
static void test_firmware_m_exception(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	m->firmware = true;
	h->medeleg &= ~(1ull << EXC_ILLEGAL);
	uint64_t pc = h->pc;
	hart_raise(h, EXC_ILLEGAL, 0x1234);
	CHECK(m->done && h->halted && m->exit_code == 3 && h->priv == PRV_S && h->pc == pc &&
		      strstr(m->exit_reason, "cause 2") != NULL,
	      "illegal kept for M: run ended (%d, %s), priv %u", m->exit_code, m->exit_reason,
	      h->priv);
	machine_free(m);
}

/* ---- SBI calls through the VMM (hv_sbi.c) ------------------------------- */

/* DBCN console_write/read name a guest-physical buffer: one outside the
 * guest's RAM (here just past it, still machine RAM holding the VMM) is
 * INVALID_PARAM with a1 = 0 (SBI v2.0 ch. 12), for reads as for writes;
 * an empty buffer is not checked. */
static void test_sbi_dbcn_outside_guest(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	for (uint64_t fid = 0; fid <= 1; fid++) {
		h->x[17] = 0x4442434E;
		h->x[16] = fid;
		h->x[10] = 8;
		h->x[11] = RAM_BASE + GUEST_RAM;
		h->x[12] = 0;
		hv_ecall(h);
		CHECK(h->x[10] == (uint64_t)-3 && h->x[11] == 0,
		      "DBCN fid %llu outside: %lld, %llx", (unsigned long long)fid,
		      (long long)h->x[10], (unsigned long long)h->x[11]);
	}
	h->x[16] = 0;
	h->x[10] = 0;
	h->x[11] = RAM_BASE + GUEST_RAM;
	hv_ecall(h);
	CHECK(h->x[10] == 0, "DBCN of 0 bytes: %lld", (long long)h->x[10]);
	CHECK(exits(m, HVX_SBI) == 3, "three SBI exits: %llu",
	      (unsigned long long)exits(m, HVX_SBI));
	machine_free(m);
}

/* ---- interrupts and wfi ------------------------------------------------ */

/* An interrupt taken into the guest's S-mode is an exit (then injected); a
 * wfi in S-mode is a halt exit, run by the engine from guest RAM (satp
 * Bare: guest-physical through the P2M). */
static void test_interrupt_and_wfi(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	h->priv = PRV_U;
	h->mideleg |= MIP_SSIP;
	h->mie |= MIP_SSIP;
	h->mip |= MIP_SSIP;
	CHECK(hart_take_interrupt(h) && h->priv == PRV_S, "SSI taken into S-mode");
	CHECK(exits(m, HVX_INTERRUPT) == 1, "one interrupt exit: %llu",
	      (unsigned long long)exits(m, HVX_INTERRUPT));
	h->mip = 0;
	h->satp = 0;
	hart_update_ctx(h);
	uint8_t *code = phys_ram_ptr(m, RAM_BASE, 8);
	static const uint8_t wfi[4] = { 0x73, 0x00, 0x50, 0x10 }; /* 0x10500073 */
	memcpy(code, wfi, 4);
	memcpy(code + 4, wfi, 4);
	h->pc = RAM_BASE;
	h->mie = 0; /* nothing can wake it: the hart stops at the first wfi */
	exec_run(h, h->instret + 10);
	CHECK(h->wfi && exits(m, HVX_WFI) == 1 && h->pc == RAM_BASE + 4,
	      "wfi: a halt exit, the hart waits (%llu exits, pc 0x%llx)",
	      (unsigned long long)exits(m, HVX_WFI), (unsigned long long)h->pc);
	machine_free(m);
}

/* ---- ptc.g across vCPUs ---------------------------------------------- */

static void test_ptc_g(void)
{
	struct machine *m = new_vm(HV_HTVT, 2, false);
	if (!m)
		return;
	struct hart *a = m->harts[0], *b = m->harts[1];
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(a, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(b, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(b, VA_USER, 12, pa | PTE_RWAD);
	itc_d(b, VA_USER + 0x1000, 12, (pa + 0x1000) | PTE_RWAD);
	CHECK(hv_translate(b, VA_USER, ACC_READ, PRV_S, &x) == 0, "b translates");
	/* ptc.l is local: b keeps its page, no exit */
	uint64_t e0 = exits(m, HVX_TLB_MISS);
	csrw(a, CSR_PTC_L, VA_USER | (12 << 2));
	CHECK(hv_translate(b, VA_USER, ACC_READ, PRV_S, &x) == 0 && exits(m, HVX_TLB_MISS) == e0,
	      "a's ptc.l leaves b's page");
	uint64_t b_cycles = b->cycles;
	csrw(a, CSR_PTC_G, VA_USER | (12 << 2));
	CHECK(b->cycles == b_cycles, "the issuing vCPU pays for ptc.g (b's cycles %+lld)",
	      (long long)(b->cycles - b_cycles));
	/* partial track: 4 KiB memory pages live in b's machine VHPT and TC
	 * only (Xen's thash_purge_and_insert), which ptc.g must reach */
	CHECK(vtlb_count(b->vcpu->vtlb) == 0, "b's vTLB tracks no memory page: %u",
	      vtlb_count(b->vcpu->vtlb));
	int c = hv_translate(b, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "purged everywhere (vTLB, machine VHPT, TC): %d", c);
	CHECK(hv_translate(b, VA_USER + 0x1000, ACC_READ, PRV_S, &x) == 0, "neighbour kept");
	machine_free(m);
}

/* ---- the P2M's bounds ------------------------------------------------- */

static void test_p2m_bounds(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	h->satp = 0; /* Bare */
	CHECK(hv_translate(h, RAM_BASE + GUEST_RAM - 8, ACC_READ, PRV_S, &x) == 0,
	      "last word of guest RAM");
	CHECK(hv_translate(h, RAM_BASE + GUEST_RAM, ACC_READ, PRV_S, &x) == EXC_LOAD_ACCESS,
	      "first byte of the VMM's memory is no guest RAM");
	h->satp = (uint64_t)SATP_MODE_SVTLB << 60;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER, 12, (RAM_BASE + GUEST_RAM) | PTE_RWAD);
	CHECK(hv_translate(h, VA_USER, ACC_WRITE, PRV_S, &x) == EXC_STORE_ACCESS,
	      "a guest PTE naming the VMM's memory");
	/* a 16 MiB guest page reaching past guest RAM: only 4 KiB sub-pages */
	itc_d(h, VA_BIG, 24, RAM_BASE | PTE_RWAD);
	CHECK(hv_translate(h, VA_BIG + 0x3008, ACC_READ, PRV_S, &x) == 0 &&
		      x.paddr == RAM_BASE + 0x3008,
	      "sub-page inside RAM");
	CHECK(hv_translate(h, VA_BIG + GUEST_RAM, ACC_READ, PRV_S, &x) == EXC_LOAD_ACCESS,
	      "the same page beyond guest RAM");
	machine_free(m);
}

static uint64_t get64(struct machine *m, uint64_t pa)
{
	uint64_t v;
	memcpy(&v, phys_ram_ptr(m, pa, 8), 8);
	return v;
}

/* The boot phase's Sv39 under an Svtlb configuration (hv_translate): the
 * guest's page tables are guest-physical memory too.  A root placed in the
 * VMM's memory (here the machine VHPT, one of whose words reads as a valid
 * gigapage leaf with A = 0) is an access fault: the walk neither reads the
 * VMM's memory nor sets an A bit in it. */
static void test_sv39_walk_bounds(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t leaf = ((RAM_BASE >> 12) << 10) | 0x3; /* V | R, A = 0: RAM_BASE + va */
	uint64_t vmm = h->vcpu->mvhpt_base, ram_root = RAM_BASE + 0x100000;
	put64(m, vmm, leaf);
	h->satp = (8ull << 60) | (vmm >> 12); /* Sv39, root in the VMM's memory */
	int c = hv_translate(h, 0x1000, ACC_READ, PRV_S, &x);
	CHECK(c == EXC_LOAD_ACCESS, "Sv39 root in the VMM's memory: cause %d", c);
	CHECK(get64(m, vmm) == leaf, "the walk wrote the VMM's memory: 0x%llx",
	      (unsigned long long)get64(m, vmm));
	/* the same table in guest RAM translates, with its A bit set */
	put64(m, ram_root, leaf);
	h->satp = (8ull << 60) | (ram_root >> 12);
	tlb_model_flush(&h->dtlb); /* nothing cached from the first walk */
	c = hv_translate(h, 0x1000, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x1000 && (get64(m, ram_root) & 0x40),
	      "Sv39 root in guest RAM: cause %d", c);
	machine_free(m);
}

/* ---- PV hypercalls (hv_pv.c, docs/platform.md 4.10) ------------------ */

#define HC_EID 0x0A7C0000ull
#define OPS (RAM_BASE + 0x300000) /* a batch of operations in guest RAM */
#define E 1000000ull              /* cost.hv_emulate for the batch checks */

/* One hypercall fid(a0..a4) through the ecall hook; a0 returned. */
static int64_t hcall(struct hart *h, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3, uint64_t a4)
{
	h->x[17] = HC_EID;
	h->x[16] = fid;
	h->x[10] = a0;
	h->x[11] = a1;
	h->x[12] = a2;
	h->x[13] = a3;
	h->x[14] = a4;
	hv_ecall(h);
	return (int64_t)h->x[10];
}

/* Operation i of the batch at gpa: five little-endian u64. */
static void put_op(struct machine *m, uint64_t gpa, unsigned i, uint64_t fid, uint64_t a0,
		   uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t w[5] = { fid, a0, a1, a2, a3 };
	for (unsigned k = 0; k < 5; k++)
		put64(m, gpa + 40ull * i + 8 * k, w[k]);
}

static void test_pv_hypercalls(void)
{
	struct machine *m = new_vm(HV_STPV, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000, c0, ops0;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	/* Arguments validated as the CSRs are: -3, nothing done. */
	CHECK(hcall(h, 1, 4, VA_USER, 12 << 2, pa | PTE_RWAD, 0) == -3, "itc side 4");
	CHECK(hcall(h, 1, 0, VA_USER, 12 << 2, pa | PTE_RWAD, 0) == -3, "itc side 0");
	CHECK(hcall(h, 3, VA_USER | (12 << 2), 0, 0x1000000, 0, 0) == -3, "ptc with a 25-bit RID");
	CHECK(hcall(h, 3, VA_USER | (12 << 2), 0, 0xffffff, 0, 0) == 0, "ptc with a 24-bit RID");
	CHECK(hcall(h, 9, 0, 0, 0, 0, 0) == -2, "unknown function");
	/* One insert, then a batch of one ptc.e: the translation is gone. */
	CHECK(hcall(h, 1, 2, VA_USER, 12 << 2, pa | PTE_RWAD, 0) == 0, "itc");
	CHECK(hv_translate(h, VA_USER, ACC_READ, PRV_S, &x) == 0 && x.paddr == pa, "inserted");
	put_op(m, OPS, 0, 4, 0, 0, 0, 0);
	/* hv_emulate far above what the vMMU operations charge themselves. */
	m->cfg.cost.hv_emulate = E;
	c0 = h->cycles;
	ops0 = h->vcpu->st.hypercall_ops;
	CHECK(hcall(h, 5, OPS, 1, 0, 0, 0) == 0 && h->x[11] == 1, "batch of one ptc.e");
	CHECK(h->cycles - c0 >= m->cfg.cost.hv_hypercall + E &&
		      h->cycles - c0 < m->cfg.cost.hv_hypercall + 2 * E,
	      "one exit + one operation: %llu cycles", (unsigned long long)(h->cycles - c0));
	CHECK(hv_translate(h, VA_USER, ACC_READ, PRV_S, &x) != 0, "the batch's ptc.e purged it");
	/* Three operations: each one charged and counted. */
	for (unsigned i = 0; i < 3; i++)
		put_op(m, OPS, i, 1, 2, VA_USER + 0x1000 * i, 12 << 2,
		       (pa + 0x1000 * i) | PTE_RWAD);
	c0 = h->cycles;
	CHECK(hcall(h, 5, OPS, 3, 0, 0, 0) == 0 && h->x[11] == 3, "batch of three inserts");
	CHECK(h->cycles - c0 >= m->cfg.cost.hv_hypercall + 3 * E &&
		      h->cycles - c0 < m->cfg.cost.hv_hypercall + 4 * E,
	      "three operations charged: %llu cycles", (unsigned long long)(h->cycles - c0));
	CHECK(h->vcpu->st.hypercall_ops - ops0 == 4, "hypercall_ops %llu",
	      (unsigned long long)(h->vcpu->st.hypercall_ops - ops0));
	CHECK(hv_translate(h, VA_USER + 0x2000, ACC_READ, PRV_S, &x) == 0 && x.paddr == pa + 0x2000,
	      "third insert done");
	/* A failing operation: a0 its error, a1 its index (the ones before done). */
	put_op(m, OPS, 1, 99, 0, 0, 0, 0);
	CHECK(hcall(h, 5, OPS, 3, 0, 0, 0) == -3 && h->x[11] == 1, "failing op: index %llu",
	      (unsigned long long)h->x[11]);
	/* At most 64 operations: 65 valid ones are refused whole. */
	for (unsigned i = 0; i < 65; i++)
		put_op(m, OPS, i, 4, 0, 0, 0, 0);
	CHECK(hcall(h, 5, OPS, 64, 0, 0, 0) == 0 && h->x[11] == 64, "64 operations");
	CHECK(hcall(h, 5, OPS, 65, 0, 0, 0) == -3 && h->x[11] == 0, "65 operations refused");
	CHECK(hcall(h, 5, OPS, 0, 0, 0, 0) == -3, "0 operations refused");
	/* The batch must lie wholly in guest RAM: its first op inside, the
	 * second in the VMM's memory. */
	put_op(m, RAM_BASE + GUEST_RAM - 40, 0, 4, 0, 0, 0, 0);
	CHECK(hcall(h, 5, RAM_BASE + GUEST_RAM - 40, 2, 0, 0, 0) == -5 && h->x[11] == 0,
	      "batch reaching past guest RAM: %lld", (long long)h->x[10]);
	CHECK(hcall(h, 5, RAM_BASE + GUEST_RAM - 40, 1, 0, 0, 0) == 0, "batch ending at its end");
	machine_free(m);
}

/* ---- the trapped CSRs, TRs and purges ---------------------------------- */

static bool refused(struct hart *h, unsigned csr, uint64_t v)
{
	bool illegal = false;
	return hv_csr_write(h, csr, v, &illegal) && illegal;
}

static void itc_i(struct hart *h, uint64_t va, unsigned ps, uint64_t pte)
{
	csrw(h, CSR_IFA, va);
	csrw(h, CSR_ITIR, (uint64_t)ps << 2);
	csrw(h, CSR_ITC_I, pte);
}

static void itr_d(struct hart *h, unsigned slot, uint64_t va, unsigned ps, uint64_t pte)
{
	csrw(h, CSR_IFA, va);
	csrw(h, CSR_ITIR, (uint64_t)ps << 2);
	csrw(h, CSR_TRSLOT, slot);
	csrw(h, CSR_ITR_D, pte);
}

static uint64_t exit_cycles(struct machine *m, enum hv_exit_reason r)
{
	struct hv_stats t;
	hv_stats_total(m->hv, &t);
	return t.exit[r].cycles;
}

/* docs/platform.md 4.3 as the native CSR file applies it: invalid values
 * are illegal and change nothing, fields are masked, thash/ttag compute on
 * the address written to them; every access is one exit of its reason
 * (vm_exit + hv_emulate for a register); TVM traps S-mode writes only. */
static void test_csr_rules(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	const struct cost_table *cost = &m->cfg.cost;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pta = vhpt | (15 << 2) | 1;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	CHECK(refused(h, CSR_RR0, RR(RID_USER, 15, 0)) && csrr(h, CSR_RR0) == RR(RID_USER, 12, 0),
	      "rr with an unsupported ps (15) is illegal and changes nothing");
	csrw(h, CSR_PTA, pta);
	CHECK(csrr(h, CSR_PTA) == (pta | PTA_VF), "pta reads back with vf set: 0x%llx",
	      (unsigned long long)csrr(h, CSR_PTA));
	CHECK(refused(h, CSR_PTA, vhpt | (41 << 2) | 1) &&
		      refused(h, CSR_PTA, vhpt | (14 << 2) | 1) &&
		      csrr(h, CSR_PTA) == (pta | PTA_VF),
	      "pta sizes outside 2^15..2^40 are illegal and change nothing");
	csrw(h, CSR_ISR, ~0ull);
	CHECK(csrr(h, CSR_ISR) == ISR_MASK, "isr keeps its defined bits only: 0x%llx",
	      (unsigned long long)csrr(h, CSR_ISR));
	csrw(h, CSR_IFA, VA_USER + 0x7000);
	csrw(h, CSR_THASH, VA_USER + 0x3000);
	CHECK(csrr(h, CSR_THASH) == svtlb_thash(g, VA_USER + 0x3000) &&
		      csrr(h, CSR_TTAG) == svtlb_ttag(g, VA_USER + 0x3000) &&
		      svtlb_thash(g, VA_USER + 0x3000) != svtlb_thash(g, VA_USER + 0x7000),
	      "thash and ttag of the address written to them, not of ifa");

	/* inserts and purges with invalid operands are illegal and do nothing */
	uint64_t mtc = mech(m, HVM_MTC_INSERTS);
	csrw(h, CSR_IFA, 0x0010000000000000ull); /* va[60:51] not all va[50] */
	csrw(h, CSR_ITIR, 12 << 2);
	CHECK(refused(h, CSR_ITC_D, (RAM_BASE + 0x5000) | PTE_RWAD) &&
		      mech(m, HVM_MTC_INSERTS) == mtc,
	      "itc at an unimplemented ifa is illegal");
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x5000) | PTE_RWAD);
	CHECK(refused(h, CSR_PTC_L, VA_USER | (15 << 2)) &&
		      refused(h, CSR_PTC_G, VA_USER | (15 << 2)) &&
		      refused(h, CSR_PTR_D, VA_USER | (15 << 2)),
	      "purges of an unsupported ps (15) are illegal");
	int c = hv_translate(h, VA_USER + 8, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x5008, "... and purged nothing: cause %d", c);

	/* one exit per access, of its reason */
	uint64_t reads = exits(m, HVX_CSR_READ), c0 = h->cycles;
	(void)csrr(h, CSR_IFA);
	CHECK(exits(m, HVX_CSR_READ) == reads + 1 &&
		      h->cycles - c0 == cost->vm_exit + cost->hv_emulate,
	      "a CSR read: one exit of vm_exit + hv_emulate cycles (%llu)",
	      (unsigned long long)(h->cycles - c0));
	uint64_t ptc_l = exits(m, HVX_PTC_L), ptc_g = exits(m, HVX_PTC_G);
	csrw(h, CSR_PTC_L, VA_USER | (12 << 2));
	CHECK(exits(m, HVX_PTC_L) == ptc_l + 1 && exits(m, HVX_PTC_G) == ptc_g,
	      "a ptc.l is a ptc.l exit");

	/* mstatus.TVM traps translation-changing writes from S-mode only */
	h->mstatus |= MSTATUS_TVM;
	CHECK(refused(h, CSR_RR0, RR(RID_USER, 12, 1)) && csrr(h, CSR_RR0) == RR(RID_USER, 12, 0),
	      "TVM: an S-mode rr write traps");
	h->priv = PRV_M;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	CHECK(csrr(h, CSR_RR0) == RR(RID_USER, 12, 1), "TVM does not apply to M-mode");
	h->priv = PRV_S;
	h->mstatus &= ~MSTATUS_TVM;
	machine_free(m);
}

/* Guest TRs (4.6): trslot names any of the 8 slots; a TR translates for its
 * RID only; itr drops overlapping TRs, vTLB and machine VHPT entries; ptr
 * purges its side's TRs (guest and machine), the vTLB and the machine
 * VHPT; an itc of a device page replaces a RAM page in the machine. */
static void test_tr_ops(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct vcpu *v = h->vcpu;
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	itr_d(h, 5, VA_USER, 12, pa | PTE_RWAD);
	itr_d(h, 1, VA_USER + 0x10000, 12, (pa + 0x10000) | PTE_RWAD);
	CHECK(v->g.tr[SIDE_D][5].valid && v->g.tr[SIDE_D][1].valid, "itr into slots 5 and 1");
	csrw(h, CSR_RR0, RR(RID_USER + 1, 12, 0));
	int c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "a TR of RID %u does not translate for RID %u: cause %d", RID_USER, RID_USER + 1, c);
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa, "the TR translates for its RID: cause %d", c);

	/* ptr.d: the D side's TRs, guest and machine; the I TR stays */
	csrw(h, CSR_IFA, VA_USER);
	csrw(h, CSR_ITIR, 12 << 2);
	csrw(h, CSR_TRSLOT, 2);
	csrw(h, CSR_ITR_I, pa | PTE_RWAD | SVPTE_X);
	csrw(h, CSR_PTR_D, VA_USER | (12 << 2));
	CHECK(!v->g.tr[SIDE_D][5].valid && v->g.tr[SIDE_I][2].valid,
	      "ptr.d purges the D TR, not the I TR");
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "ptr.d: the machine's D TR went too: cause %d", c);
	c = hv_translate(h, VA_USER, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa, "ptr.d: the I TR still translates: cause %d", c);

	/* ptr.d reaches the vTLB (a 64K page) and the machine VHPT (a 4K page) */
	itc_d(h, VA_USER + 0x40000, 16, (pa + 0x40000) | PTE_RWAD);
	csrw(h, CSR_PTR_D, (VA_USER + 0x40000) | (16 << 2));
	c = read_past_tc(h, VA_USER + 0x45000, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "ptr.d purged the vTLB's 64K page: cause %d", c);
	itc_d(h, VA_USER + 0x20000, 12, (pa + 0x20000) | PTE_RWAD);
	csrw(h, CSR_PTR_D, (VA_USER + 0x20000) | (12 << 2));
	c = read_past_tc(h, VA_USER + 0x20000, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "ptr.d purged the machine VHPT: cause %d", c);

	/* itr drops an overlapping TR of another slot, vTLB entry and machine
	 * VHPT entry */
	itr_d(h, 0, VA_USER + 0x60000, 12, (pa + 0x60000) | PTE_RWAD);
	itr_d(h, 3, VA_USER + 0x60000, 12, (pa + 0x61000) | PTE_RWAD);
	CHECK(!v->g.tr[SIDE_D][0].valid && v->g.tr[SIDE_D][3].valid,
	      "itr purges an overlapping TR of another slot");
	itc_d(h, VA_USER + 0x80000, 16, (pa + 0x80000) | PTE_RWAD);
	itr_d(h, 4, VA_USER + 0x80000, 12, (pa + 0x90000) | PTE_RWAD);
	c = read_past_tc(h, VA_USER + 0x85000, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "itr purged the overlapping 64K vTLB page: cause %d",
	      c);
	itc_d(h, VA_IO, 12, (pa + 0xa0000) | PTE_RWAD); /* RAM: in the machine VHPT */
	itr_d(h, 6, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	c = read_past_tc(h, VA_IO + 5, &x);
	CHECK(c == 0 && x.paddr == UART + 5 && !x.cacheable,
	      "itr of a device page over a RAM page purged the machine VHPT: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);

	/* itc of a device page where a RAM page was: the machine forgets it */
	itc_d(h, VA_IO + 0x1000, 12, (pa + 0xb0000) | PTE_RWAD);
	c = hv_translate(h, VA_IO + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0xb0008, "a RAM page at VA_IO + 4K: cause %d", c);
	itc_d(h, VA_IO + 0x1000, 12, (UART + 0x1000) | PTE_RWAD | SVPTE_MA_UC);
	c = hv_translate(h, VA_IO + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == UART + 0x1008 && !x.cacheable,
	      "itc of a device page over the RAM page: the device is reached: cause %d pa 0x%llx",
	      c, (unsigned long long)x.paddr);
	machine_free(m);
}

/* The software walker follows the guest's rules (4.7): pta.ve gates it as
 * rr.ve does; an entry of an unsupported size is a miss; a not-present
 * entry is the fault and nothing is kept, so the guest's fixed entry is
 * walked again (the single vTLB must not hold the not-present one). */
static void test_walker_rules(void)
{
	struct machine *m = new_vm(HV_STVT, 1, true);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pa = RAM_BASE + 0x300000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, vhpt | (15 << 2)); /* pta.ve = 0 */
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD);
	int c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "rr.ve = 1, pta.ve = 0: no walk, Alt miss: cause %d",
	      c);
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	put_vhpt_entry(m, g, VA_USER + 0x6000, pa); /* p = 0 */
	c = hv_translate(h, VA_USER + 0x6000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_PAGE_NOT_PRESENT && vtlb_count(h->vcpu->vtlb) == 0,
	      "not present: the fault, nothing in the vTLB: cause %d, %u entries", c,
	      vtlb_count(h->vcpu->vtlb));
	put_vhpt_entry(m, g, VA_USER + 0x6000, pa | PTE_RWAD);
	c = hv_translate(h, VA_USER + 0x6000, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa, "the guest's fixed entry is walked: cause %d", c);
	put_vhpt_entry(m, g, VA_USER + 0x8000, pa | PTE_RWAD);
	put64(m, svtlb_thash(g, VA_USER + 0x8000) + 8, 15 << 2);
	c = hv_translate(h, VA_USER + 0x8000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS, "an entry of ps 15 is a miss: cause %d", c);
	machine_free(m);
}

/* The itc policy (hv_svtlb_ops.c) on the hash vTLB: what goes to the vTLB
 * under partial and full track, what an untracked insert purges, the
 * machine VHPT's data-side rule, the sub-pages of an 8K page, and whole
 * large pages (purged by a 4K purge inside them, their sub-page offsets). */
static void test_itc_policy(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct vcpu *v = h->vcpu;
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	CHECK(vtlb_count(v->vtlb) == 0, "partial track: a 4K RAM page is not in the vTLB");
	m->hv->p.full_track = true;
	itc_d(h, VA_USER + 0x1000, 12, (pa + 0x1000) | PTE_RWAD);
	CHECK(vtlb_count(v->vtlb) == 1, "full track: a 4K RAM page is in the vTLB too");
	m->hv->p.full_track = false;

	/* an untracked insert still purges an older overlapping vTLB page */
	hv_op_ptc_e(v);
	itc_d(h, VA_USER + 0x10000, 16, (pa + 0x10000) | PTE_RWAD);
	itc_d(h, VA_USER + 0x10000, 12, (pa + 0x30000) | PTE_RWAD);
	CHECK(vtlb_count(v->vtlb) == 0, "the 4K insert purged the 64K vTLB page (%u left)",
	      vtlb_count(v->vtlb));
	int c = hv_translate(h, VA_USER + 0x15000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "the rest of the 64K page is gone: cause %d", c);

	/* data side kept: an I insert of another PTE is tracked in the vTLB */
	itc_d(h, VA_USER + 0x40000, 12, (pa + 0x40000) | PTE_RWAD);
	itc_i(h, VA_USER + 0x40000, 12, (pa + 0x50000) | PTE_RWAD | SVPTE_X);
	CHECK(vtlb_count(v->vtlb) == 1, "the I page the machine VHPT cannot keep is in the vTLB");
	svtlb_tc_flush(h);
	c = hv_translate(h, VA_USER + 0x40000, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x50000, "fetch: the I page: cause %d", c);
	c = hv_translate(h, VA_USER + 0x40000, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x40000, "read: the D page: cause %d", c);
	/* a D re-insert with another PTE replaces the machine VHPT entry */
	itc_d(h, VA_USER + 0x60000, 12, (pa + 0x60000) | PTE_RWAD);
	itc_d(h, VA_USER + 0x60000, 12, (pa + 0x70000) | PTE_RWAD);
	c = read_past_tc(h, VA_USER + 0x60000, &x);
	CHECK(c == 0 && x.paddr == pa + 0x70000, "D re-insert: the new PTE in the VHPT: 0x%llx",
	      (unsigned long long)x.paddr);
	CHECK(mech(m, HVM_MCHAIN_DISPLACED) == 0, "re-inserting a page displaces nothing (%llu)",
	      (unsigned long long)mech(m, HVM_MCHAIN_DISPLACED));
	/* a chain hit brings its side back: the D entry is still kept */
	uint64_t a = VA_USER + 0x3000;
	itc_d(h, a, 12, (pa + 0x3000) | PTE_RWAD);
	itc_i(h, a + SLOT_STRIDE, 12, (pa + 0x4000) | PTE_RWAD | SVPTE_X);
	c = read_past_tc(h, a, &x);
	CHECK(c == 0 && x.paddr == pa + 0x3000 && mech(m, HVM_MCHAIN_HITS) == 1,
	      "the D page from the chain: cause %d", c);
	itc_i(h, a, 12, (pa + 0x8000) | PTE_RWAD | SVPTE_X);
	c = read_past_tc(h, a, &x);
	CHECK(c == 0 && x.paddr == pa + 0x3000, "the swapped-back D entry was kept: 0x%llx",
	      (unsigned long long)x.paddr);

	/* an 8K page is split too: its re-insert purges both sub-pages */
	uint64_t e8 = VA_USER + 0x100000;
	itc_d(h, e8, 13, (pa + 0x100000) | PTE_RWAD);
	c = hv_translate(h, e8 + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x101008, "8K page, second sub-page: cause %d", c);
	itc_d(h, e8, 13, (pa + 0x110000) | PTE_RWAD);
	c = hv_translate(h, e8 + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x111008, "8K re-insert: the new second sub-page: 0x%llx",
	      (unsigned long long)x.paddr);

	/* whole large pages */
	m->hv->p.whole_large_pages = true;
	uint64_t w = VA_USER + 0x200000, p64 = RAM_BASE + 0x380000, q64 = RAM_BASE + 0x390000;
	itc_d(h, w, 16, p64 | PTE_RWAD);
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == 0 && x.paddr == p64 + 0x5008, "whole 64K page, from the vTLB: 0x%llx",
	      (unsigned long long)x.paddr);
	csrw(h, CSR_PTC_L, (w + 0x9000) | (12 << 2));
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "a 4K purge inside the whole 64K page reaches its VHPT entries: cause %d", c);
	itc_d(h, w + 0x5000, 16, p64 | PTE_RWAD); /* VHPT entry in the slot of w + 0x5000 */
	itc_d(h, w, 16, q64 | PTE_RWAD);
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == 0 && x.paddr == q64 + 0x5008,
	      "a whole page's insert purges the older one's VHPT entries: 0x%llx",
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* Chains: a purge wider than the table (a scan of the whole table) reaches
 * the chain entries; an older entry of a page never outlives its
 * re-insert in a chain. */
static void test_chain_purges(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	itc_d(h, VA_USER + SLOT_STRIDE, 12, (pa + 0x1000) | PTE_RWAD); /* VA_USER chained */
	csrw(h, CSR_PTC_L, 0 | (28 << 2)); /* 2^16 slots > 1024: the whole table */
	int c = read_past_tc(h, VA_USER, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS && mech(m, HVM_MCHAIN_HITS) == 0,
	      "a 256M purge reached the chained page: cause %d", c);

	/* X A1 B in one slot, X purged, A re-inserted (A2), B purged, C: the
	 * chain must not give back A1 */
	uint64_t xa = VA_USER, aa = VA_USER + SLOT_STRIDE, ba = VA_USER + 2 * SLOT_STRIDE,
		 ca = VA_USER + 3 * SLOT_STRIDE;
	itc_d(h, xa, 12, (pa + 0x10000) | PTE_RWAD);
	itc_d(h, aa, 12, (pa + 0x11000) | PTE_RWAD);
	itc_d(h, ba, 12, (pa + 0x12000) | PTE_RWAD);
	csrw(h, CSR_PTC_L, xa | (12 << 2));
	itc_d(h, aa, 12, (pa + 0x21000) | PTE_RWAD);
	csrw(h, CSR_PTC_L, ba | (12 << 2));
	itc_d(h, ca, 12, (pa + 0x13000) | PTE_RWAD);
	c = read_past_tc(h, aa, &x);
	CHECK(c == 0 && x.paddr == pa + 0x21000, "the chain gives the re-inserted page: 0x%llx",
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* What the summaries and the cost model see: each exit's cycles and the
 * mechanism counters. */
static void test_accounting(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	const struct cost_table *cost = &m->cfg.cost;
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	/* an injected miss: vm_exit + hv_inject, one vTLB miss */
	int c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS &&
		      exit_cycles(m, HVX_TLB_MISS) == cost->vm_exit + cost->hv_inject &&
		      mech(m, HVM_VTLB_MISSES) == 1,
	      "injected miss: %llu cycles, %llu vTLB misses",
	      (unsigned long long)exit_cycles(m, HVX_TLB_MISS),
	      (unsigned long long)mech(m, HVM_VTLB_MISSES));
	/* unimplemented addresses: a page fault of the access, no vTLB lookup */
	uint64_t bad = 0x0010000000000000ull;
	c = hv_translate(h, bad, ACC_WRITE, PRV_S, &x);
	CHECK(c == EXC_STORE_PAGE, "unimplemented store: cause %d", c);
	c = hv_translate(h, bad, ACC_FETCH, PRV_S, &x);
	CHECK(c == EXC_INSN_PAGE, "unimplemented fetch: cause %d", c);
	CHECK(injected(m, HVI_PAGE_FAULT) == 2 && injected(m, HVI_ACCESS_FAULT) == 0 &&
		      mech(m, HVM_VTLB_MISSES) == 1 &&
		      exit_cycles(m, HVX_FAULT) == 2 * (cost->vm_exit + cost->hv_inject),
	      "page faults counted as such, no lookup, %llu cycles",
	      (unsigned long long)exit_cycles(m, HVX_FAULT));
	/* an access fault (PTE beyond guest RAM): probes and the injection */
	itc_d(h, VA_USER, 12, (RAM_BASE + GUEST_RAM) | PTE_RWAD);
	uint64_t t0 = exit_cycles(m, HVX_TLB_MISS), p0 = mech(m, HVM_VTLB_PROBES);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	uint64_t probes = mech(m, HVM_VTLB_PROBES) - p0;
	CHECK(c == EXC_LOAD_ACCESS && probes == 1 &&
		      exit_cycles(m, HVX_TLB_MISS) - t0 ==
			      cost->vm_exit + probes * cost->hv_vtlb_probe + cost->hv_inject,
	      "access fault: %llu cycles, %llu probes",
	      (unsigned long long)(exit_cycles(m, HVX_TLB_MISS) - t0), (unsigned long long)probes);
	/* MMIO: each access vm_exit + probes + hv_mmio, counted */
	itc_d(h, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	p0 = mech(m, HVM_VTLB_PROBES);
	for (int i = 0; i < 2; i++)
		hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	probes = mech(m, HVM_VTLB_PROBES) - p0;
	CHECK(mech(m, HVM_MMIO_ACCESSES) == 2 && probes == 2 &&
		      exit_cycles(m, HVX_MMIO) ==
			      2 * (cost->vm_exit + cost->hv_mmio) + probes * cost->hv_vtlb_probe,
	      "MMIO: %llu accesses, %llu cycles", (unsigned long long)mech(m, HVM_MMIO_ACCESSES),
	      (unsigned long long)exit_cycles(m, HVX_MMIO));
	/* itc: one probe more per entry dropped (the single vTLB drops one) */
	uint64_t i0 = exit_cycles(m, HVX_ITC);
	itc_d(h, VA_IO + 0x1000, 12, (UART + 0x1000) | PTE_RWAD | SVPTE_MA_UC);
	uint64_t i1 = exit_cycles(m, HVX_ITC);
	hv_op_ptc_e(h->vcpu);
	itc_d(h, VA_IO + 0x1000, 12, (UART + 0x1000) | PTE_RWAD | SVPTE_MA_UC);
	uint64_t i2 = exit_cycles(m, HVX_ITC);
	CHECK((i1 - i0) - (i2 - i1) == cost->hv_vtlb_probe,
	      "itc dropping an entry: %llu cycles, into an empty vTLB %llu",
	      (unsigned long long)(i1 - i0), (unsigned long long)(i2 - i1));
	/* itr of a device page: vm_exit + hv_emulate + tlb_insert */
	itr_d(h, 0, VA_IO + 0x2000, 12, (UART + 0x2000) | PTE_RWAD | SVPTE_MA_UC);
	CHECK(exit_cycles(m, HVX_ITR) == cost->vm_exit + cost->hv_emulate + cost->tlb_insert,
	      "itr: %llu cycles", (unsigned long long)exit_cycles(m, HVX_ITR));
	/* machine VHPT: a purge counts what it removes and costs its scan; a
	 * clear counts and costs every entry */
	itc_d(h, VA_USER + 0x1000, 12, (RAM_BASE + 0x1000) | PTE_RWAD);
	uint64_t l0 = exit_cycles(m, HVX_PTC_L), mp0 = mech(m, HVM_MVHPT_PURGED);
	csrw(h, CSR_PTC_L, (VA_USER + 0x1000) | (12 << 2));
	CHECK(mech(m, HVM_MVHPT_PURGED) == mp0 + 1 &&
		      exit_cycles(m, HVX_PTC_L) - l0 >=
			      cost->vm_exit + cost->hv_emulate + cost->hv_mvhpt_purge_entry,
	      "ptc.l: %llu purged, %llu cycles",
	      (unsigned long long)(mech(m, HVM_MVHPT_PURGED) - mp0),
	      (unsigned long long)(exit_cycles(m, HVX_PTC_L) - l0));
	itc_d(h, VA_USER + 0x1000, 12, (RAM_BASE + 0x1000) | PTE_RWAD);
	uint64_t clears = mech(m, HVM_MVHPT_CLEARS), e0 = exit_cycles(m, HVX_PTC_E);
	csrw(h, CSR_PTC_E, 0);
	CHECK(mech(m, HVM_MVHPT_CLEARS) == clears + 1 &&
		      exit_cycles(m, HVX_PTC_E) - e0 >=
			      cost->vm_exit + cost->hv_emulate + 1024 * cost->hv_mvhpt_purge_entry,
	      "ptc.e: %llu clears, %llu cycles",
	      (unsigned long long)(mech(m, HVM_MVHPT_CLEARS) - clears),
	      (unsigned long long)(exit_cycles(m, HVX_PTC_E) - e0));
	machine_free(m);
}

/* The report's quantiles (hv_stats.c): exact where a bucket holds one
 * value, close and inside the values seen otherwise, merged across vCPUs. */
static void test_hist_quantiles(void)
{
	static struct hv_hist a, b, c, u;
	for (int i = 0; i < 1000; i++)
		hv_hist_add(&a, 1400); /* an exit that always costs the same */
	CHECK(hv_hist_quantile(&a, 0.5) == 1400 && hv_hist_quantile(&a, 0.95) == 1400,
	      "constant 1400: p50 %llu p95 %llu", (unsigned long long)hv_hist_quantile(&a, 0.5),
	      (unsigned long long)hv_hist_quantile(&a, 0.95));
	for (int i = 0; i < 60; i++)
		hv_hist_add(&b, 900);
	for (int i = 0; i < 40; i++)
		hv_hist_add(&b, 5000);
	CHECK(hv_hist_quantile(&b, 0.5) == 900 && hv_hist_quantile(&b, 0.6) == 900 &&
		      hv_hist_quantile(&b, 0.61) == 5000 && hv_hist_quantile(&b, 0.95) == 5000,
	      "two values");
	for (uint64_t v = 1; v <= 1000; v++)
		hv_hist_add(&u, v);
	uint64_t p50 = hv_hist_quantile(&u, 0.5), p95 = hv_hist_quantile(&u, 0.95);
	CHECK(p50 >= 500 * 7 / 8 && p50 <= 500 * 9 / 8 && p95 >= 950 * 7 / 8 && p95 <= 950 * 9 / 8,
	      "1..1000 within a bucket's width: p50 %llu p95 %llu", (unsigned long long)p50,
	      (unsigned long long)p95);
	CHECK(hv_hist_quantile(&u, 0.001) == 1 && hv_hist_quantile(&u, 1.0) == 1000,
	      "the extremes are the values seen");
	/* 1024..2047 is cut in buckets of 128: 1408..1535 is one, so 1410,
	 * 1450 and 1530 share it.  The median (rank 2) is interpolated as if
	 * the three were evenly spread, 1470 where the exact one is 1450;
	 * the extremes stay exact. */
	hv_hist_add(&c, 1410);
	hv_hist_add(&c, 1450);
	hv_hist_add(&c, 1530);
	CHECK(hv_hist_quantile(&c, 0.5) == 1470 && hv_hist_quantile(&c, 0.01) == 1410 &&
		      hv_hist_quantile(&c, 1.0) == 1530,
	      "inside one bucket: p50 %llu", (unsigned long long)hv_hist_quantile(&c, 0.5));
	/* Merging (one vCPU's counters into the total) keeps both vCPUs' values. */
	hv_hist_merge(&b, &a);
	CHECK(hv_hist_quantile(&b, 0.01) == 900 && hv_hist_quantile(&b, 0.5) == 1400 &&
		      hv_hist_quantile(&b, 1.0) == 5000,
	      "merged");
	static struct hv_hist empty;
	CHECK(hv_hist_quantile(&empty, 0.5) == 0, "empty");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* p50 and p95 against the exact percentiles (nearest rank: the value of
 * rank ceil(q n) of the sorted sample, the rank hv_priv.h promises) of
 * known inputs: equal to them where the value's bucket holds one value or
 * equal values (one sample, all samples equal, the exact buckets below 16
 * and their edge at 16, powers of two), and within its bucket, under
 * 12.5% of the value, otherwise. */
static void test_hist_exact(void)
{
	static struct hv_hist h;
	static uint64_t v[1000];
	uint64_t seed = 12345;
	unsigned bad = 0, inexact = 0;
	for (unsigned t = 0; t < 400; t++) {
		memset(&h, 0, sizeof h);
		unsigned n = 1 + t % 97 * 7 % 500, shape = t % 5;
		for (unsigned i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			uint64_t r = seed >> 33;
			v[i] = shape == 0   ? 1400                     /* all equal */
			       : shape == 1 ? 12 + r % 5               /* 12..16: the edge at 16 */
			       : shape == 2 ? (uint64_t)1 << (r % 40)  /* powers of two */
			       : shape == 3 ? 1300 + r % 4000          /* exit costs */
					    : (r << 20) + r % 1000003; /* large */
			hv_hist_add(&h, v[i]);
		}
		qsort(v, n, sizeof v[0], cmp_u64);
		static const unsigned pct[] = { 50, 95 };
		for (unsigned k = 0; k < 2; k++) {
			uint64_t rank = ((uint64_t)pct[k] * n + 99) / 100, exact = v[rank - 1];
			uint64_t got = hv_hist_quantile(&h, pct[k] / 100.0);
			uint64_t diff = got > exact ? got - exact : exact - got;
			int must_equal = shape <= 2 || n == 1;
			if ((must_equal && diff) || diff * 8 > exact) {
				if (!bad++)
					printf("  shape %u n %u p%u: %llu, exact %llu\n", shape, n,
					       pct[k], (unsigned long long)got,
					       (unsigned long long)exact);
			}
			inexact += diff != 0;
		}
	}
	CHECK(bad == 0, "%u quantiles off (%u inexact within their bucket)", bad, inexact);
}

/* A purge, or an overlapping insert, of a 4 KiB range inside a large guest
 * page removes that page whole (4.6): the machine must lose every 4 KiB
 * sub-page the miss handler gave it, not only the one in the range. */
static void test_purge_inside_split_page(enum hv_config c_)
{
	static const char *const what[] = { "ptc.l", "ptc.g", "ptr.d", "itc.d" };
	for (int op = 0; op < 4; op++) {
		struct machine *m = new_vm(c_, 1, false);
		if (!m)
			return;
		struct hart *h = m->harts[0];
		struct xlate x;
		uint64_t inner = VA_BIG + 0x100000; /* another 4 KiB of the 4 MiB page */
		csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
		itc_d(h, VA_BIG, 22, RAM_BASE | PTE_RWAD); /* split: 4 KiB sub-pages */
		int c = hv_translate(h, VA_BIG + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == 0 && x.paddr == RAM_BASE + 0x5008, "%s: a sub-page: cause %d",
		      hv_config_name(c_), c);
		if (op == 0)
			csrw(h, CSR_PTC_L, inner | (12 << 2));
		else if (op == 1)
			csrw(h, CSR_PTC_G, inner | (12 << 2));
		else if (op == 2)
			csrw(h, CSR_PTR_D, inner | (12 << 2));
		else /* the insert's overlap purge removes the older 4 MiB D entry */
			itc_d(h, inner, 12, (RAM_BASE + 0x100000) | PTE_RWAD);
		c = hv_translate(h, VA_BIG + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "%s: %s inside the 4M page, machine TC: cause %d", hv_config_name(c_),
		      what[op], c);
		c = read_past_tc(h, VA_BIG + 0x5008, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "%s: %s inside the 4M page, machine VHPT: cause %d", hv_config_name(c_),
		      what[op], c);
		machine_free(m);
	}
}

/* The same after the vTLB has forgotten the large page (the single vTLB
 * holds the guest's last insert only): its 4 KiB sub-pages outlive it in
 * the machine TC and VHPT, and a purge or an overlapping insert anywhere
 * inside the page must still take them (4.6: the whole page overlaps the
 * range; found by the review of 2026-12-07). */
static void test_purge_inside_forgotten_split_page(void)
{
	static const char *const what[] = { "ptc.l", "ptc.g", "ptr.d", "itc.d" };
	for (int op = 0; op < 4; op++) {
		struct machine *m = new_vm(HV_STVT, 1, false);
		if (!m)
			return;
		struct hart *h = m->harts[0];
		struct xlate x;
		uint64_t inner = VA_BIG + 0x100000; /* another 4 KiB of the 4 MiB page */
		csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
		itc_d(h, VA_BIG, 22, RAM_BASE | PTE_RWAD); /* split: 4 KiB sub-pages */
		int c = hv_translate(h, VA_BIG + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == 0 && x.paddr == RAM_BASE + 0x5008, "a sub-page: cause %d", c);
		/* the single vTLB now holds this page only */
		itc_d(h, VA_USER + 0x3000, 12, (RAM_BASE + 0x3ff000) | PTE_RWAD);
		c = hv_translate(h, VA_BIG + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == 0 && x.paddr == RAM_BASE + 0x5008,
		      "the machine keeps the forgotten page's sub-page: cause %d", c);
		if (op == 0)
			csrw(h, CSR_PTC_L, inner | (12 << 2));
		else if (op == 1)
			csrw(h, CSR_PTC_G, inner | (12 << 2));
		else if (op == 2)
			csrw(h, CSR_PTR_D, inner | (12 << 2));
		else
			itc_d(h, inner, 12, (RAM_BASE + 0x100000) | PTE_RWAD);
		c = hv_translate(h, VA_BIG + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "%s inside the forgotten 4M page, machine TC: cause %d pa 0x%llx", what[op],
		      c, (unsigned long long)x.paddr);
		c = read_past_tc(h, VA_BIG + 0x5008, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "%s inside the forgotten 4M page, machine VHPT: cause %d", what[op], c);
		machine_free(m);
	}
}

/* A TR partly beyond guest RAM has no machine TR: it reaches the machine
 * as 4 KiB sub-pages.  When the TR goes (its slot rewritten, or an
 * overlapping TR inserted), they go too (4.6). */
static void test_split_tr_dropped(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itr_d(h, 0, VA_BIG, 24, RAM_BASE | PTE_RWAD); /* 16 MiB: beyond RAM, split */
	int c = hv_translate(h, VA_BIG + 0x3008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x3008, "a sub-page of the split TR: cause %d", c);
	itr_d(h, 0, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD); /* slot 0 rewritten */
	c = hv_translate(h, VA_BIG + 0x3008, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "slot rewritten, machine TC: cause %d", c);
	c = read_past_tc(h, VA_BIG + 0x3008, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "slot rewritten, machine VHPT: cause %d", c);
	itr_d(h, 1, VA_BIG, 24, RAM_BASE | PTE_RWAD);
	c = hv_translate(h, VA_BIG + 0x3008, ACC_READ, PRV_S, &x);
	CHECK(c == 0, "the split TR again: cause %d", c);
	itr_d(h, 2, VA_BIG + 0x100000, 12, (RAM_BASE + 0x100000) | PTE_RWAD); /* overlaps it */
	c = read_past_tc(h, VA_BIG + 0x3008, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "overlapping itr dropped the split TR: cause %d", c);
	machine_free(m);
}

/* --large-pages whole: a 4K insert at the base of an older 64K page with
 * the same PTE word (a large page broken into small ones) removes the 64K
 * page from the machine VHPT (4.6), also when the vTLB no longer holds it:
 * the PTE word alone does not say it is the page being inserted. */
static void test_whole_page_same_pte(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	m->hv->p.whole_large_pages = true;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t w = VA_USER + 0x200000, p = RAM_BASE + 0x380000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, w, 16, p | PTE_RWAD);
	int c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == 0 && x.paddr == p + 0x5008, "whole 64K page: cause %d", c);
	/* the single vTLB takes another page: the machine VHPT alone keeps
	 * the 64K one (a TC entry the architecture may keep) */
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == 0 && x.paddr == p + 0x5008, "the machine VHPT keeps it: cause %d", c);
	itc_d(h, w, 12, p | PTE_RWAD); /* the same PTE word, 4 KiB */
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "the 64K page outlived the 4K insert: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);
	c = read_past_tc(h, w + 0x8, &x);
	CHECK(c == 0 && x.paddr == p + 0x8, "the 4K page: cause %d", c);
	machine_free(m);
}

/* Two regions holding the same RID do not share translations (4.1): the
 * machine VHPT's tags (RID and region offset) must not let one region's
 * page translate for the other, whether inserted before or during it. */
static void test_same_rid_two_regions(enum hv_config c_)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t r1 = 1ull << 61;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD); /* before */
	csrw(h, CSR_RR0 + 1, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER + 0x1000, 12, (RAM_BASE + 0x201000) | PTE_RWAD); /* during */
	for (uint64_t off = 0; off < 0x2000; off += 0x1000) {
		int c = read_past_tc(h, r1 | (VA_USER + off), &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "%s: region 1 used region 0's page +0x%llx: cause %d pa 0x%llx",
		      hv_config_name(c_), (unsigned long long)off, c, (unsigned long long)x.paddr);
	}
	int c = read_past_tc(h, VA_USER + 0x1000, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x201000, "%s: region 0 keeps its page: cause %d",
	      hv_config_name(c_), c);
	machine_free(m);
}

/* The same when the regions hold the RID one after the other: a page
 * inserted in region 1 under a RID must not translate for region 2 once
 * region 1 has moved to another RID and region 2 has taken that one (4.1:
 * the VRN is part of the page number; found by the review of 2026-12-07). */
static void test_rid_moves_to_another_region(enum hv_config c_)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t r1 = 1ull << 61, r2 = 2ull << 61;
	csrw(h, CSR_RR0 + 1, RR(RID_USER, 12, 0));
	itc_d(h, r1 | VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	int c = read_past_tc(h, r1 | VA_USER, &x);
	CHECK(c == 0 && x.paddr == RAM_BASE + 0x200000, "%s: region 1's page: cause %d",
	      hv_config_name(c_), c);
	csrw(h, CSR_RR0 + 1, RR(RID_USER + 1, 12, 0));
	csrw(h, CSR_RR0 + 2, RR(RID_USER, 12, 0));
	c = read_past_tc(h, r2 | VA_USER, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "%s: region 2 used region 1's page after taking its RID: cause %d pa 0x%llx",
	      hv_config_name(c_), c, (unsigned long long)x.paddr);
	/* region 1 takes its RID back: its page may come back (4.4) or not */
	csrw(h, CSR_RR0 + 2, RR(RID_USER + 2, 12, 0));
	csrw(h, CSR_RR0 + 1, RR(RID_USER, 12, 0));
	c = read_past_tc(h, r1 | VA_USER, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS || (c == 0 && x.paddr == RAM_BASE + 0x200000),
	      "%s: region 1 again: cause %d pa 0x%llx", hv_config_name(c_), c,
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* The summary's hv line counts its vCPUs in English: "1 vCPU", "2 vCPUs"
 * (it said "1 vCPUs" after every `vtlab run --config STVT`). */
static void test_print_vcpus(void)
{
	for (unsigned n = 1; n <= 2; n++) {
		struct machine *m = new_vm(HV_STVT, n, false);
		if (!m)
			return;
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		hv_print_stats(f, m);
		fclose(f);
		char want[64];
		snprintf(want, sizeof want, "hv: config STVT, %u vCPU%s,", n, n == 1 ? "" : "s");
		CHECK(text && strstr(text, want), "%u vCPUs: want '%s' in: %s", n, want,
		      text ? text : "");
		free(text);
		machine_free(m);
	}
}

/* ---- mutation-testing additions: injections and the miss handler ------ */

/* Each kind is counted as itself, with cost.hv_inject in its INJECT row
 * (docs/hypervisor.md, the end-of-run report: samples and cycles, p50),
 * and the fault CSRs come from the region register of the faulting
 * address (docs/platform.md 4.8: itir = rr[va.vrn].rid << 8 | rr[va.vrn].ps
 * << 2, iha = thash(va)). */
static void test_inject_kinds(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, true);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	const struct cost_table *cost = &m->cfg.cost;
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, (RAM_BASE + 0x100000) | (15 << 2) | 1);
	int c = hv_translate(h, VA_USER + 0x10, ACC_FETCH, PRV_U, &x);
	CHECK(c == SVTLB_EXC_ITLB_MISS && injected(m, HVI_ITLB_MISS) == 1 &&
		      injected(m, HVI_DTLB_MISS) == 0 && csrr(h, CSR_ISR) == (ISR_X | ISR_U),
	      "a user fetch the walker misses: an ITLB miss, counted as one: cause %d", c);
	put_vhpt_entry(m, g, VA_USER + 0x6000, RAM_BASE + 0x300000); /* p = 0 */
	c = hv_translate(h, VA_USER + 0x6000, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_PAGE_NOT_PRESENT && injected(m, HVI_PAGE_NOT_PRESENT) == 1 &&
		      injected(m, HVI_ACCESS_RIGHTS) == 0,
	      "not present: counted as page not present: cause %d", c);
	/* region 6: another RID and preferred size than region 0 */
	csrw(h, CSR_RR0 + 6, RR(5, 16, 0));
	uint64_t va = VA_IO + 0x12345;
	c = hv_translate(h, va, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS && csrr(h, CSR_IFA) == va &&
		      csrr(h, CSR_ITIR) == ((5u << 8) | (16u << 2)) &&
		      csrr(h, CSR_IHA) == svtlb_thash(g, va) && csrr(h, CSR_ISR) == ISR_W,
	      "region 6's rr in itir: 0x%llx", (unsigned long long)csrr(h, CSR_ITIR));
	struct hv_stats t;
	hv_stats_total(m->hv, &t);
	CHECK(t.inject[HVI_ITLB_MISS].cycles == cost->hv_inject &&
		      t.inject[HVI_PAGE_NOT_PRESENT].cycles == cost->hv_inject &&
		      t.inject[HVI_ALT_DTLB_MISS].cycles == cost->hv_inject &&
		      hv_hist_quantile(&t.inject[HVI_ALT_DTLB_MISS].hist, 0.5) == cost->hv_inject,
	      "each injection's cycles: %llu, p50 %llu",
	      (unsigned long long)t.inject[HVI_ALT_DTLB_MISS].cycles,
	      (unsigned long long)hv_hist_quantile(&t.inject[HVI_ALT_DTLB_MISS].hist, 0.5));
	machine_free(m);
}

/* A vTLB hit is checked as the architecture checks any translation (4.7
 * step 4) before the machine or a device gets the access: a store through
 * a read-only device mapping is an access-rights fault, not an MMIO store,
 * and so is a store to a sub-page of a read-only 64K page the machine does
 * not hold yet. */
static void test_vtlb_hit_checked(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t ro = SVPTE_P | SVPTE_R | SVPTE_A | SVPTE_D;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	itc_d(h, VA_IO, 12, UART | ro | SVPTE_MA_UC);
	int c = hv_translate(h, VA_IO + 5, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ACCESS_RIGHTS && exits(m, HVX_MMIO) == 0 &&
		      mech(m, HVM_MMIO_ACCESSES) == 0,
	      "store to a read-only device page: access rights, no MMIO: cause %d", c);
	c = hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == UART + 5 && exits(m, HVX_MMIO) == 1, "a load of it: MMIO: %d",
	      c);
	itc_d(h, VA_USER, 16, (RAM_BASE + 0x200000) | ro);
	c = hv_translate(h, VA_USER + 0x3008, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ACCESS_RIGHTS && injected(m, HVI_ACCESS_RIGHTS) == 2,
	      "store to a read-only 64K page's other sub-page: cause %d", c);
	CHECK(mech(m, HVM_VTLB_HITS) == 3 && mech(m, HVM_VTLB_MISSES) == 0,
	      "three vTLB hits counted: %llu", (unsigned long long)mech(m, HVM_VTLB_HITS));
	machine_free(m);
}

/* The software walker reads the guest's VHPT as the hardware would (4.5,
 * 4.7 step 3): a reference outside RAM - in a device window too - is the
 * VHPT translation fault; an entry whose tag is another page's is a miss;
 * with --guest-vhpt-walker off the VMM never walks (the guest takes the
 * miss).  What it finds is the guest's TC entry of the side of the access:
 * kept in the vTLB under full track and by the single vTLB (its I entry for
 * a fetch), not by the hash vTLB under partial track. */
static void test_walker_sources(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, true);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *g = &h->vcpu->g;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pa = RAM_BASE + 0x300000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	/* a VHPT in the UART's window: an address whose entry is its first */
	csrw(h, CSR_PTA, UART | (15 << 2) | 1);
	uint64_t va = VA_USER;
	while (svtlb_thash(g, va) != UART)
		va += 0x1000;
	int c = hv_translate(h, va, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_VHPT_FAULT, "a guest VHPT on a device: VHPT fault: cause %d", c);
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	uint64_t other = VA_USER + 0x9000, e = svtlb_thash(g, other);
	put_vhpt_entry(m, g, other, pa | PTE_RWAD);
	put64(m, e + 16, svtlb_ttag(g, other + 0x1000)); /* the next page's tag */
	c = hv_translate(h, other, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS, "an entry tagged for another page is a miss: cause %d", c);
	/* partial track: the hash vTLB keeps nothing the walker found */
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && mech(m, HVM_VTLB_INSERTS) == 0, "partial track: %llu vTLB inserts",
	      (unsigned long long)mech(m, HVM_VTLB_INSERTS));
	m->hv->p.full_track = true;
	put_vhpt_entry(m, g, VA_USER + 0x1000, (pa + 0x1000) | PTE_RWAD);
	c = hv_translate(h, VA_USER + 0x1000, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && mech(m, HVM_VTLB_INSERTS) == 1, "full track: %llu vTLB inserts",
	      (unsigned long long)mech(m, HVM_VTLB_INSERTS));
	machine_free(m);

	/* the VMM's walker off: the guest's enabled walker is not emulated */
	m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	h = m->harts[0];
	g = &h->vcpu->g;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS && mech(m, HVM_GUEST_WALKS) == 0,
	      "--guest-vhpt-walker off: a DTLB miss, no walk: cause %d", c);
	machine_free(m);

	/* single vTLB: a fetch's walk is its I entry; the exit costs the round
	 * trip, the walk, the vTLB insert, the machine VHPT insert and the
	 * machine TC insert (vtlab costs) */
	m = new_vm(HV_STVT, 1, true);
	if (!m)
		return;
	h = m->harts[0];
	g = &h->vcpu->g;
	const struct cost_table *cost = &m->cfg.cost;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, vhpt | (15 << 2) | 1);
	put_vhpt_entry(m, g, VA_USER, pa | PTE_RWAD | SVPTE_X);
	c = hv_translate(h, VA_USER + 4, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 4 &&
		      vtlb_lookup(h->vcpu->vtlb, VA_USER, RID_USER, VTLB_I, NULL) != NULL,
	      "single: the fetch's walk is the vTLB's I entry: cause %d", c);
	CHECK(exit_cycles(m, HVX_TLB_MISS) == cost->vm_exit + cost->hv_guest_walk +
						      cost->hv_vtlb_probe + cost->hv_mvhpt_insert +
						      cost->tlb_insert,
	      "a walker hit: %llu cycles", (unsigned long long)exit_cycles(m, HVX_TLB_MISS));
	CHECK(mech(m, HVM_MVHPT_INSERTS) == 1 && mech(m, HVM_MTC_INSERTS) == 1 &&
		      mech(m, HVM_SUBPAGE_INSERTS) == 0 && mech(m, HVM_MVHPT_CLEARS) == 0,
	      "counted: %llu machine VHPT, %llu machine TC inserts, %llu sub-pages, %llu clears",
	      (unsigned long long)mech(m, HVM_MVHPT_INSERTS),
	      (unsigned long long)mech(m, HVM_MTC_INSERTS),
	      (unsigned long long)mech(m, HVM_SUBPAGE_INSERTS),
	      (unsigned long long)mech(m, HVM_MVHPT_CLEARS));
	machine_free(m);
}

/* docs/platform.md 4.3-4.6 for the fields and operands test_csr_rules does
 * not reach: every region register and the PTA read back what was written
 * within their fields, the other registers keep their defined bits only,
 * operation CSRs read 0, inserts and purges validate size and address, a
 * purge takes the RID of its own address's region, ptr.i is the I side's,
 * each kind of write is an exit of its reason, and TVM traps only the
 * translation-changing writes. */
static void test_csr_fields(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct vcpu *v = h->vcpu;
	struct xlate x;
	uint64_t vhpt = RAM_BASE + 0x100000, pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0 + 7, RR(9, 14, 1));
	CHECK(csrr(h, CSR_RR0 + 7) == RR(9, 14, 1), "rr7 reads back: 0x%llx",
	      (unsigned long long)csrr(h, CSR_RR0 + 7));
	csrw(h, CSR_RR0 + 3, RR(9, 14, 1) | 2 | (1ull << 40));
	CHECK(csrr(h, CSR_RR0 + 3) == RR(9, 14, 1), "rr keeps bits 31:2 and 0: 0x%llx",
	      (unsigned long long)csrr(h, CSR_RR0 + 3));
	csrw(h, CSR_PTA, vhpt | (16 << 2) | 2);
	CHECK(csrr(h, CSR_PTA) == (vhpt | (16 << 2) | PTA_VF),
	      "pta with ve = 0 reads ve = 0, bit 1 is not a field: 0x%llx",
	      (unsigned long long)csrr(h, CSR_PTA));
	CHECK(!refused(h, CSR_PTA, vhpt | (40 << 2)) &&
		      csrr(h, CSR_PTA) == (vhpt | (40 << 2) | PTA_VF),
	      "pta size 40 is legal: 0x%llx", (unsigned long long)csrr(h, CSR_PTA));
	csrw(h, CSR_IFA, 0x1235);
	csrw(h, CSR_ITIR, ~0ull);
	csrw(h, CSR_TRSLOT, 13);
	csrw(h, CSR_PSR, ~0ull);
	CHECK(csrr(h, CSR_IFA) == 0x1235 && csrr(h, CSR_ITIR) == 0xfffffffcull &&
		      csrr(h, CSR_TRSLOT) == 5 && csrr(h, CSR_PSR) == 1,
	      "ifa 0x%llx, itir bits 31:2 0x%llx, trslot bits 2:0 %llu, psr ic %llu",
	      (unsigned long long)csrr(h, CSR_IFA), (unsigned long long)csrr(h, CSR_ITIR),
	      (unsigned long long)csrr(h, CSR_TRSLOT), (unsigned long long)csrr(h, CSR_PSR));
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	CHECK(csrr(h, CSR_ITC_D) == 0 && csrr(h, CSR_PTC_E) == 0, "operation CSRs read 0");

	/* invalid operands: illegal, nothing done */
	uint64_t mtc = mech(m, HVM_MTC_INSERTS);
	csrw(h, CSR_IFA, VA_USER + 0x1000);
	csrw(h, CSR_ITIR, 15 << 2);
	CHECK(refused(h, CSR_ITC_D, (pa + 0x1000) | PTE_RWAD) && mech(m, HVM_MTC_INSERTS) == mtc,
	      "itc of an unsupported ps (15) is illegal");
	CHECK(refused(h, CSR_PTC_L, VA_USER | (44 << 2)), "a purge of ps 44 is illegal");
	CHECK(refused(h, CSR_PTC_L, 0x0010000000000000ull | (12 << 2)),
	      "a purge of an unimplemented address is illegal");
	int c = hv_translate(h, VA_USER + 8, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 8, "... and purged nothing: cause %d", c);

	/* a purge's RID is its address's region's (4.6) */
	itc_d(h, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	csrw(h, CSR_PTC_L, VA_IO | (12 << 2));
	c = hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "ptc.l in region 6 purged RID 2's page: cause %d", c);

	/* ptr.i: the I side's TR */
	csrw(h, CSR_IFA, VA_USER + 0x5000);
	csrw(h, CSR_ITIR, 12 << 2);
	csrw(h, CSR_TRSLOT, 2);
	csrw(h, CSR_ITR_I, (pa + 0x5000) | PTE_RWAD | SVPTE_X);
	uint64_t ptr = exits(m, HVX_PTR);
	csrw(h, CSR_PTR_I, (VA_USER + 0x5000) | (12 << 2));
	c = hv_translate(h, VA_USER + 0x5000, ACC_FETCH, PRV_S, &x);
	CHECK(!v->g.tr[SIDE_I][2].valid && c == SVTLB_EXC_ALT_ITLB_MISS &&
		      exits(m, HVX_PTR) == ptr + 1,
	      "ptr.i purged the I TR, one ptr exit: cause %d", c);

	/* exit reasons */
	uint64_t rrw = exits(m, HVX_RR_WRITE), ptc_g = exits(m, HVX_PTC_G),
		 other = exits(m, HVX_CSR_WRITE);
	csrw(h, CSR_RR0 + 5, RR(3, 12, 0));
	csrw(h, CSR_PTC_G, VA_USER | (12 << 2));
	CHECK(exits(m, HVX_RR_WRITE) == rrw + 1 && exits(m, HVX_PTC_G) == ptc_g + 1 &&
		      exits(m, HVX_CSR_WRITE) == other,
	      "an rr write and a ptc.g are exits of their reasons");

	/* TVM: the fault CSRs stay writable from S-mode */
	h->mstatus |= MSTATUS_TVM;
	CHECK(!refused(h, CSR_IFA, 0x4000) && csrr(h, CSR_IFA) == 0x4000,
	      "TVM: an S-mode ifa write does not trap");
	h->mstatus &= ~MSTATUS_TVM;
	machine_free(m);
}

/* A fault on a page the miss handler swapped back from its collision chain
 * is the machine's fault on a partial-track page, reflected as is (the
 * guest's own translation: hv_svtlb.c, Xen's VMX_REFLECT): a store to a
 * clean page is a dirty-bit fault, not a TLB miss. */
static void test_chain_hit_fault(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x5000) | SVPTE_P | SVPTE_R | SVPTE_W | SVPTE_A);
	itc_d(h, VA_USER + SLOT_STRIDE, 12, (RAM_BASE + 0x6000) | PTE_RWAD); /* displaces it */
	svtlb_tc_flush(h);
	int c = hv_translate(h, VA_USER + 8, ACC_WRITE, PRV_S, &x);
	CHECK(c == SVTLB_EXC_DIRTY_BIT && mech(m, HVM_MCHAIN_HITS) == 1 &&
		      injected(m, HVI_DIRTY_BIT) == 1 && injected(m, HVI_DTLB_MISS) == 0,
	      "a store to the clean chained page: dirty bit: cause %d", c);
	machine_free(m);
}

/* ---- mutation-testing additions: the machine VHPT, chains, TRs ------- */

/* 4.6: after ptc.e no purged translation is found anywhere, the collision
 * chains included; an I-side re-insert with another PTE replaces the
 * machine VHPT's I-side entry of its page (only a D-side entry is kept,
 * hv_svtlb_machine.c); a chain serves every region with that region's
 * RID. */
static void test_chain_rules(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	itc_d(h, VA_USER + SLOT_STRIDE, 12, (pa + 0x1000) | PTE_RWAD); /* VA_USER chained */
	csrw(h, CSR_PTC_E, 0);
	itc_d(h, VA_USER + 0x7000, 12, (pa + 0x7000) | PTE_RWAD); /* the table in use again */
	int c = read_past_tc(h, VA_USER, &x);
	CHECK(c == SVTLB_EXC_DTLB_MISS && mech(m, HVM_MCHAIN_HITS) == 0,
	      "ptc.e emptied the chains: cause %d pa 0x%llx", c, (unsigned long long)x.paddr);

	itc_i(h, VA_USER + 0x3000, 12, (pa + 0x3000) | PTE_RWAD | SVPTE_X);
	itc_i(h, VA_USER + 0x3000, 12, (pa + 0x4000) | PTE_RWAD | SVPTE_X);
	svtlb_tc_flush(h);
	c = hv_translate(h, VA_USER + 0x3008, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x4008, "the I re-insert's PTE: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);

	itc_d(h, VA_IO, 12, (pa + 0x10000) | PTE_RWAD);
	itc_d(h, VA_IO + SLOT_STRIDE, 12, (pa + 0x11000) | PTE_RWAD); /* VA_IO chained */
	c = read_past_tc(h, VA_IO + 8, &x);
	CHECK(c == 0 && x.paddr == pa + 0x10008 && mech(m, HVM_MCHAIN_HITS) == 1,
	      "region 6's page from its chain: cause %d", c);
	machine_free(m);
}

/* Regions do not share translations (4.1): a region taking a RID that
 * another region inserted pages under must not find them - also when that
 * region has used more RIDs than the VMM lists per region, and for pages
 * anywhere in the region (above 256 MiB too). */
static void test_rid_taken_purges(enum hv_config c_)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t r1 = 1ull << 61, r2 = 2ull << 61, r3 = 3ull << 61, hi = VA_USER + 0x10000000;
	for (unsigned k = 0; k <= HV_MVHPT_RIDS; k++) { /* one RID more than listed */
		csrw(h, CSR_RR0 + 1, RR(20 + k, 12, 0));
		itc_d(h, r1 | VA_USER, 12, (RAM_BASE + 0x200000 + 0x1000 * k) | PTE_RWAD);
	}
	csrw(h, CSR_RR0 + 1, RR(30, 12, 0));
	csrw(h, CSR_RR0 + 2, RR(20 + HV_MVHPT_RIDS, 12, 0));
	int c = read_past_tc(h, r2 | VA_USER, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "%s: region 2 found a page of the RID region 1 used last: cause %d pa 0x%llx",
	      hv_config_name(c_), c, (unsigned long long)x.paddr);
	csrw(h, CSR_RR0 + 1, RR(40, 12, 0));
	itc_d(h, r1 | hi, 12, (RAM_BASE + 0x300000) | PTE_RWAD);
	csrw(h, CSR_RR0 + 1, RR(41, 12, 0));
	csrw(h, CSR_RR0 + 3, RR(40, 12, 0));
	c = read_past_tc(h, r3 | hi, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "%s: region 3 found region 1's page at +256M: cause %d pa 0x%llx", hv_config_name(c_),
	      c, (unsigned long long)x.paddr);
	machine_free(m);
}

/* The purge of a forgotten split page (test_purge_inside_forgotten_split_page)
 * when two split pages of a region lie apart: the range the machine holds
 * sub-pages of grows both ways. */
static void test_two_forgotten_split_pages(void)
{
	for (int low_last = 0; low_last < 2; low_last++) {
		struct machine *m = new_vm(HV_STVT, 1, false);
		if (!m)
			return;
		struct hart *h = m->harts[0];
		struct xlate x;
		uint64_t lo = VA_USER, up = VA_USER + 0x100000;
		uint64_t first = low_last ? up : lo, second = low_last ? lo : up;
		csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
		itc_d(h, first, 16, (RAM_BASE + (first - VA_USER)) | PTE_RWAD);
		int c = hv_translate(h, first + 0x5008, ACC_READ, PRV_S, &x);
		itc_d(h, second, 16, (RAM_BASE + (second - VA_USER)) | PTE_RWAD);
		c |= hv_translate(h, second + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == 0, "two split 64K pages: cause %d", c);
		itc_d(h, VA_USER + 0x300000, 12,
		      (RAM_BASE + 0x3ff000) | PTE_RWAD);           /* forgets them */
		csrw(h, CSR_PTC_L, (second + 0xf000) | (12 << 2)); /* its last 4K */
		c = hv_translate(h, second + 0x5008, ACC_READ, PRV_S, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
		      "ptc.l inside the %s page inserted second, machine TC: cause %d",
		      low_last ? "lower" : "upper", c);
		c = read_past_tc(h, second + 0x5008, &x);
		CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "... machine VHPT: cause %d", c);
		machine_free(m);
	}
}

/* --large-pages whole inserts a page with its own size only when it lies
 * wholly in guest RAM (hv_svtlb_machine.c: the guest never reaches the
 * VMM's memory); a whole page's insert removes the older 4K page it covers
 * from the machine VHPT (4.6). */
static void test_whole_pages_bounds(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	m->hv->p.whole_large_pages = true;
	struct hart *h = m->harts[0];
	struct xlate x;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_BIG, 24, RAM_BASE | PTE_RWAD); /* 16 MiB over 4 MiB of guest RAM */
	int c = hv_translate(h, VA_BIG + GUEST_RAM + 0x10, ACC_READ, PRV_S, &x);
	CHECK(c == EXC_LOAD_ACCESS && mech(m, HVM_SUBPAGE_INSERTS) >= 1,
	      "a whole page reaching past guest RAM is split: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);
	uint64_t w = VA_USER + 0x200000, p4 = RAM_BASE + 0x100000, p64 = RAM_BASE + 0x380000;
	itc_d(h, w + 0x1000, 12, p4 | PTE_RWAD);
	itc_d(h, w, 16, p64 | PTE_RWAD);
	c = read_past_tc(h, w + 0x1008, &x);
	CHECK(c == 0 && x.paddr == p64 + 0x1008,
	      "the whole 64K page replaced the 4K page it covers: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* Guest TRs and machine TRs (4.6): rewriting a slot with a device page
 * removes the slot's old machine TR; a device TR gets no machine TR (every
 * access exits as MMIO) and removes the machine TR of an overlapping RAM
 * TR of another slot. */
static void test_device_trs(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	itr_d(h, 0, VA_USER, 12, pa | PTE_RWAD);
	int c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa, "a RAM TR: cause %d", c);
	itr_d(h, 0, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	c = hv_translate(h, VA_USER, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "slot 0 rewritten: the RAM TR is gone: cause %d", c);
	c = 0;
	for (int i = 0; i < 2; i++)
		c |= hv_translate(h, VA_IO + 5, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == UART + 5 && exits(m, HVX_MMIO) == 2,
	      "a device TR: every access exits (%llu MMIO exits)",
	      (unsigned long long)exits(m, HVX_MMIO));
	itr_d(h, 1, VA_IO + 0x1000, 12, (pa + 0x1000) | PTE_RWAD);
	itr_d(h, 2, VA_IO + 0x1000, 12, (UART + 0x1000) | PTE_RWAD | SVPTE_MA_UC);
	c = hv_translate(h, VA_IO + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == UART + 0x1008 && exits(m, HVX_MMIO) == 3,
	      "a device TR over a RAM TR of another slot: the device: cause %d pa 0x%llx", c,
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* The cost of purges (docs/hypervisor.md: a ptc.g is "the exit plus [the]
 * machine VHPT entries examined at hv_mvhpt_purge_entry's 2 cycles each";
 * the issuing vCPU pays for every vCPU's scan): a 4K ptc.l examines its
 * slot; a purge wider than the table scans the table and the chain
 * entries in use; a ptc.g, that on each vCPU. */
static void test_purge_costs(void)
{
	struct machine *m = new_vm(HV_STVT, 2, false);
	if (!m)
		return;
	struct hart *a = m->harts[0], *b = m->harts[1];
	const struct cost_table *cost = &m->cfg.cost;
	uint64_t pe = cost->hv_mvhpt_purge_entry, base = cost->vm_exit + cost->hv_emulate;
	csrw(a, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(b, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(a, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	itc_d(b, VA_USER + 0x1000, 12, (RAM_BASE + 0x201000) | PTE_RWAD);
	uint64_t e0 = exit_cycles(m, HVX_PTC_L);
	csrw(a, CSR_PTC_L, (VA_USER + 0x5000) | (12 << 2));
	CHECK(exit_cycles(m, HVX_PTC_L) - e0 == base + pe, "a 4K ptc.l examines one slot: %llu",
	      (unsigned long long)(exit_cycles(m, HVX_PTC_L) - e0));
	uint64_t b_cycles = b->cycles;
	csrw(a, CSR_PTC_G, 0 | (28 << 2));
	CHECK(exit_cycles(m, HVX_PTC_G) == base + 2 * 1024 * pe && b->cycles == b_cycles,
	      "a 256M ptc.g scans both vCPUs' tables, paid by the issuer: %llu",
	      (unsigned long long)exit_cycles(m, HVX_PTC_G));
	machine_free(m);

	m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	a = m->harts[0];
	csrw(a, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(a, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	itc_d(a, VA_USER + SLOT_STRIDE, 12, (RAM_BASE + 0x201000) | PTE_RWAD); /* one chained */
	e0 = exit_cycles(m, HVX_PTC_L);
	csrw(a, CSR_PTC_L, 0 | (28 << 2));
	CHECK(exit_cycles(m, HVX_PTC_L) - e0 == base + (1024 + 1) * pe,
	      "a 256M ptc.l scans the table and the one chain entry in use: %llu",
	      (unsigned long long)(exit_cycles(m, HVX_PTC_L) - e0));
	machine_free(m);
}

/* The paravirtual calls (4.10) beyond test_pv_hypercalls: HC_ITC's and
 * HC_ITR's sides, the TR slot and purge operand checks, a batch's HC_PTC,
 * HC_PTC_E alone, and a single call's charge. */
static void test_pv_rules(void)
{
	struct machine *m = new_vm(HV_HTPV, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct vcpu *v = h->vcpu;
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	CHECK(hcall(h, 1, 1, VA_USER, 16 << 2, pa | PTE_RWAD | SVPTE_X, 0) == 0, "HC_ITC side I");
	int c = hv_translate(h, VA_USER + 0x3008, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 0x3008, "side I: a fetch of the 64K page: cause %d", c);
	c = hv_translate(h, VA_USER + 0x5008, ACC_READ, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS, "side I: no D entry: cause %d", c);
	CHECK(hcall(h, 2, 3, VA_USER + 0x100000, 12 << 2, (pa + 0x100000) | PTE_RWAD, 4) == 0 &&
		      v->g.tr[SIDE_I][4].valid && v->g.tr[SIDE_D][4].valid,
	      "HC_ITR side 3: both TRs of slot 4");
	CHECK(hcall(h, 2, 2, VA_USER, 12 << 2, pa | PTE_RWAD, 8) == -3, "HC_ITR slot 8");
	CHECK(hcall(h, 3, VA_USER | (44 << 2), 0, RID_USER, 0, 0) == -3 &&
		      hcall(h, 3, VA_USER | (15 << 2), 0, RID_USER, 0, 0) == -3 &&
		      hcall(h, 3, 0x0010000000000000ull | (12 << 2), 0, RID_USER, 0, 0) == -3 &&
		      hcall(h, 3, VA_USER | (12 << 2), 2, RID_USER, 0, 0) == -3,
	      "HC_PTC: ps 44, ps 15, an unimplemented address, scope 2 are invalid");
	c = hv_translate(h, VA_USER + 0x6008, ACC_FETCH, PRV_S, &x);
	CHECK(c == 0, "... and purged nothing: cause %d", c);
	put_op(m, OPS, 0, 3, VA_USER | (16 << 2), 0, RID_USER, 0);
	CHECK(hcall(h, 5, OPS, 1, 0, 0, 0) == 0 && h->x[11] == 1, "a batch of one HC_PTC");
	c = hv_translate(h, VA_USER + 0x7008, ACC_FETCH, PRV_S, &x);
	CHECK(c == SVTLB_EXC_ALT_ITLB_MISS, "the batch's HC_PTC purged the 64K page: cause %d", c);
	CHECK(hcall(h, 1, 2, VA_USER + 0x400000, 16 << 2, pa | PTE_RWAD, 0) == 0 &&
		      vtlb_count(v->vtlb) == 1,
	      "a 64K D page in the vTLB");
	m->cfg.cost.hv_emulate = E;
	uint64_t c0 = h->cycles, ops0 = v->st.hypercall_ops;
	CHECK(hcall(h, 4, 0, 0, 0, 0, 0) == 0 && vtlb_count(v->vtlb) == 0, "HC_PTC_E emptied it");
	CHECK(h->cycles - c0 >= m->cfg.cost.hv_hypercall + E &&
		      h->cycles - c0 < m->cfg.cost.hv_hypercall + 2 * E &&
		      v->st.hypercall_ops == ops0 + 1,
	      "one call: hv_hypercall + hv_emulate, one operation: %llu cycles",
	      (unsigned long long)(h->cycles - c0));
	machine_free(m);
}

/* The modeled cycles of the collision chains (docs/hypervisor.md: an exit
 * costs the vm_exit round trip plus every handler step the cost table
 * charges): an itc that displaces an entry pays one more machine VHPT
 * insert (the chain entry), plus a probe per chain entry its search and its
 * push walk; a chain hit pays its probes, the swap (an insert) and the
 * retried hardware walk. */
static void test_chain_costs(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	const struct cost_table *cost = &m->cfg.cost;
	struct xlate x;
	uint64_t pa = RAM_BASE + 0x200000, probe = cost->hv_vtlb_probe;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 1));
	csrw(h, CSR_PTA, RAM_BASE + 0x100000 + (15 << 2) + 1);
	uint64_t i0 = exit_cycles(m, HVX_ITC);
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	uint64_t plain = exit_cycles(m, HVX_ITC) - i0;
	CHECK(plain == cost->vm_exit + cost->hv_emulate + cost->hv_mvhpt_insert + cost->tlb_insert +
			       probe,
	      "an itc into an empty slot: %llu cycles", (unsigned long long)plain);
	i0 = exit_cycles(m, HVX_ITC);
	itc_d(h, VA_USER + SLOT_STRIDE, 12, (pa + 0x1000) | PTE_RWAD);
	CHECK(exit_cycles(m, HVX_ITC) - i0 == plain + cost->hv_mvhpt_insert,
	      "displacing into an empty chain: %llu cycles",
	      (unsigned long long)(exit_cycles(m, HVX_ITC) - i0));
	i0 = exit_cycles(m, HVX_ITC);
	itc_d(h, VA_USER + 2 * SLOT_STRIDE, 12, (pa + 0x2000) | PTE_RWAD);
	CHECK(exit_cycles(m, HVX_ITC) - i0 == plain + cost->hv_mvhpt_insert + 2 * probe,
	      "displacing into a chain of one: %llu cycles (a probe to search, one to push)",
	      (unsigned long long)(exit_cycles(m, HVX_ITC) - i0));
	/* the chain holds VA_USER + SLOT_STRIDE, then VA_USER */
	svtlb_tc_flush(h);
	uint64_t t0 = exit_cycles(m, HVX_TLB_MISS);
	int c = hv_translate(h, VA_USER + 8, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == pa + 8 &&
		      exit_cycles(m, HVX_TLB_MISS) - t0 ==
			      cost->vm_exit + 2 * probe + cost->hv_mvhpt_insert + cost->vhpt_walk,
	      "a chain hit at depth 2: %llu cycles, cause %d",
	      (unsigned long long)(exit_cycles(m, HVX_TLB_MISS) - t0), c);
	machine_free(m);
}

/* Xen's recycling rules (hv_mvhpt_chain.c): a chain recycled whole gives
 * its entries back to the pool, and they serve later displacements before
 * every chain is recycled; the recycled slot's chain is the new entry
 * alone (a purge of the slot examines the slot and that one entry). */
static void test_chain_pool_reuse(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct vcpu *v = h->vcpu;
	const struct cost_table *cost = &m->cfg.cost;
	uint64_t pte = (RAM_BASE + 0x5000) | PTE_RWAD;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	for (unsigned k = 0; k <= HV_MCHAIN_DEPTH_MAX; k++)
		hv_op_itc(v, SIDE_D, VA_USER + k * SLOT_STRIDE, 12, pte);
	CHECK(mech(m, HVM_MCHAIN_RECYCLES) == 1, "a chain at the maximum depth recycled");
	uint64_t l0 = exit_cycles(m, HVX_PTC_L);
	csrw(h, CSR_PTC_L, (VA_USER + HV_MCHAIN_DEPTH_MAX * SLOT_STRIDE) | (12 << 2));
	CHECK(exit_cycles(m, HVX_PTC_L) - l0 ==
		      cost->vm_exit + cost->hv_emulate + 2 * cost->hv_mvhpt_purge_entry,
	      "the recycled slot: itself and one chain entry examined (%llu cycles)",
	      (unsigned long long)(exit_cycles(m, HVX_PTC_L) - l0));
	/* 1024 pool entries: 14 handed out, 13 of them back in the pool and
	 * one in use; 1023 more displacements fit, the next recycles all */
	for (uint64_t i = 1; i < 1024; i++)
		hv_op_itc(v, SIDE_D, VA_USER + (i << 12), 12, pte);
	for (uint64_t i = 1; i < 1024; i++)
		hv_op_itc(v, SIDE_D, VA_USER + SLOT_STRIDE + (i << 12), 12, pte);
	CHECK(mech(m, HVM_MCHAIN_POOL_RECYCLES) == 0,
	      "the recycled chain's entries served 13 displacements: %llu pool recycles",
	      (unsigned long long)mech(m, HVM_MCHAIN_POOL_RECYCLES));
	hv_op_itc(v, SIDE_D, VA_USER + 2 * SLOT_STRIDE + 0x1000, 12, pte);
	CHECK(mech(m, HVM_MCHAIN_POOL_RECYCLES) == 1, "the pool empty: every chain recycled");
	machine_free(m);
}

/* What the VMM's per-region RID lists cost and keep (hv_svtlb_machine.c):
 * a region returning to a RID it used, or another region taking a RID no
 * region inserted under, costs the rr write's round trip only (4.4: how an
 * OS switches address spaces); a table cleared by ptc.e forgets the RIDs
 * and the page sizes it held (an empty table is cleared for free); and a
 * region whose RID another region took keeps the rest of its list. */
static void test_rid_lists(enum hv_config c_)
{
	struct machine *m = new_vm(c_, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	const struct cost_table *cost = &m->cfg.cost;
	struct xlate x;
	uint64_t r1 = 1ull << 61, r3 = 3ull << 61, rt = cost->vm_exit + cost->hv_emulate;
	const char *n = hv_config_name(c_);
	csrw(h, CSR_PTC_E, 0);
	CHECK(exit_cycles(m, HVX_PTC_E) == rt && mech(m, HVM_MVHPT_CLEARS) == 0,
	      "%s: ptc.e of an unused table: %llu cycles", n,
	      (unsigned long long)exit_cycles(m, HVX_PTC_E));
	for (unsigned k = 0; k < HV_MVHPT_RIDS; k++) {
		csrw(h, CSR_RR0 + 1, RR(20 + k, 12, 0));
		itc_d(h, r1 | VA_USER, 12, (RAM_BASE + 0x200000 + 0x1000 * k) | PTE_RWAD);
	}
	uint64_t w0 = exit_cycles(m, HVX_RR_WRITE);
	csrw(h, CSR_RR0 + 1, RR(20, 12, 0));
	csrw(h, CSR_RR0 + 2, RR(50, 12, 0));
	CHECK(exit_cycles(m, HVX_RR_WRITE) - w0 == 2 * rt,
	      "%s: back to its own RID, and a fresh RID elsewhere: %llu cycles", n,
	      (unsigned long long)(exit_cycles(m, HVX_RR_WRITE) - w0));
	/* region 2 takes RID 21 (purged), then region 3 RID 23: region 1's
	 * page under 23 must be purged too */
	csrw(h, CSR_RR0 + 2, RR(21, 12, 0));
	csrw(h, CSR_RR0 + 3, RR(20 + HV_MVHPT_RIDS - 1, 12, 0));
	int c = read_past_tc(h, r3 | VA_USER, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "%s: region 3 found region 1's page after another RID was taken: cause %d pa 0x%llx",
	      n, c, (unsigned long long)x.paddr);
	/* ptc.e: the lists and page sizes start again */
	m->hv->p.whole_large_pages = true;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, VA_USER + 0x100000, 16, (RAM_BASE + 0x100000) | PTE_RWAD);
	csrw(h, CSR_RR0 + 1, RR(60, 12, 0));
	itc_d(h, r1 | VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	csrw(h, CSR_PTC_E, 0);
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD);
	uint64_t l0 = exit_cycles(m, HVX_PTC_L);
	csrw(h, CSR_PTC_L, VA_USER | (12 << 2));
	CHECK(exit_cycles(m, HVX_PTC_L) - l0 == rt + cost->hv_mvhpt_purge_entry,
	      "%s: after ptc.e a 4K purge examines one slot again: %llu cycles", n,
	      (unsigned long long)(exit_cycles(m, HVX_PTC_L) - l0));
	w0 = exit_cycles(m, HVX_RR_WRITE);
	csrw(h, CSR_RR0 + 1, RR(61, 12, 0));
	csrw(h, CSR_RR0 + 2, RR(60, 12, 0));
	CHECK(exit_cycles(m, HVX_RR_WRITE) - w0 == 2 * rt,
	      "%s: after ptc.e a RID used before it is free to take: %llu cycles", n,
	      (unsigned long long)(exit_cycles(m, HVX_RR_WRITE) - w0));
	machine_free(m);
}

/* The host fast path (mmu.h: an entry may stay cached only while the
 * machine translation that produced it is resident): a guest load through
 * the engine installs its page; a region's RID change, a TR dropped by an
 * overlapping TR and a TR slot rewritten must take it out, or the guest's
 * next load would use a translation the architecture removed (4.4, 4.6). */
static bool hc_holds(const struct hart *h, uint64_t va)
{
	return h->hc[h->data_ctx][ACC_READ][(va >> 12) & (HC_SIZE - 1)].tag == (va & ~0xfffull);
}

static void test_host_cache_flushes(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	uint64_t val = 0, pa = RAM_BASE + 0x200000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	csrw(h, CSR_RR0 + 6, RR(2, 12, 0));
	itc_d(h, VA_USER, 12, pa | PTE_RWAD);
	CHECK(mmu_load(h, VA_USER, 8, &val) == 0 && hc_holds(h, VA_USER),
	      "a guest load caches its page in the host fast path");
	csrw(h, CSR_RR0, RR(RID_USER + 1, 12, 0));
	CHECK(!hc_holds(h, VA_USER), "a RID change flushed it");
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itr_d(h, 0, VA_USER + 0x10000, 12, (pa + 0x10000) | PTE_RWAD);
	CHECK(mmu_load(h, VA_USER + 0x10000, 8, &val) == 0 && hc_holds(h, VA_USER + 0x10000),
	      "a TR's page cached");
	itr_d(h, 1, VA_USER + 0x10000, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	CHECK(!hc_holds(h, VA_USER + 0x10000),
	      "an overlapping device TR dropped it from the cache");
	itr_d(h, 2, VA_USER + 0x20000, 12, (pa + 0x20000) | PTE_RWAD);
	CHECK(mmu_load(h, VA_USER + 0x20000, 8, &val) == 0 && hc_holds(h, VA_USER + 0x20000),
	      "another TR's page cached");
	itr_d(h, 2, VA_IO, 12, UART | PTE_RWAD | SVPTE_MA_UC);
	CHECK(!hc_holds(h, VA_USER + 0x20000), "its slot rewritten: dropped from the cache");
	machine_free(m);
}

/* --large-pages whole, the single vTLB: a whole 64K page whose machine
 * VHPT entry lies in the slot of the address it was inserted at (not its
 * base) is removed by a 4K purge elsewhere inside it once the vTLB has
 * forgotten it (4.6; hv_svtlb_machine.c: purges look at every 4 KiB slot
 * the region's largest page can cover). */
static void test_whole_page_slot_purge(void)
{
	struct machine *m = new_vm(HV_STVT, 1, false);
	if (!m)
		return;
	m->hv->p.whole_large_pages = true;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t w = VA_USER + 0x200000, p = RAM_BASE + 0x380000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, w + 0x5000, 16, p | PTE_RWAD); /* ifa inside: the entry in that slot */
	itc_d(h, VA_USER, 12, (RAM_BASE + 0x200000) | PTE_RWAD); /* the vTLB forgets it */
	int c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == 0 && x.paddr == p + 0x5008, "the machine VHPT keeps the whole page: cause %d",
	      c);
	csrw(h, CSR_PTC_L, (w + 0x9000) | (12 << 2));
	c = read_past_tc(h, w + 0x5008, &x);
	CHECK(c == SVTLB_EXC_ALT_DTLB_MISS,
	      "a 4K purge at +0x9000 removed the whole page's entry at +0x5000: cause %d pa 0x%llx",
	      c, (unsigned long long)x.paddr);
	machine_free(m);
}

/* An insert's address is aligned down to its page size (4.6): a 64K itc
 * named by an address inside the page replaces the sub-pages the machine
 * holds of the older translation of that page, below the address too. */
static void test_itc_unaligned_ifa(void)
{
	struct machine *m = new_vm(HV_HTVT, 1, false);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct xlate x;
	uint64_t w = VA_USER + 0x100000, p1 = RAM_BASE + 0x100000, p2 = RAM_BASE + 0x300000;
	csrw(h, CSR_RR0, RR(RID_USER, 12, 0));
	itc_d(h, w, 16, p1 | PTE_RWAD);
	int c = hv_translate(h, w + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == p1 + 0x1008, "a sub-page of the first 64K page: cause %d", c);
	itc_d(h, w + 0x8000, 16, p2 | PTE_RWAD);
	c = hv_translate(h, w + 0x1008, ACC_READ, PRV_S, &x);
	CHECK(c == 0 && x.paddr == p2 + 0x1008,
	      "the re-insert at +0x8000 replaced the sub-page at +0x1000: pa 0x%llx",
	      (unsigned long long)x.paddr);
	machine_free(m);
}

/* ---- native Svtlb (svtlb.c, svtlb_csr.c, svtlb_vhpt.c), no hypervisor ---- */

#define NX_PAGE 0x0000000000200000ull  /* region 0, 8 KiB and 16 KiB aligned */
#define NX_PA (RAM_BASE + 0x100000ull) /* data pages */
#define NX_VHPT (RAM_BASE + 0x200000ull)

static struct machine *native_new(unsigned nharts)
{
	struct machine_config cfg;
	char err[256];
	machine_config_defaults(&cfg);
	cfg.nharts = nharts;
	cfg.console = NULL;
	cfg.ram_size = GUEST_RAM;
	struct machine *m = machine_new(&cfg, err, sizeof err);
	if (!m) {
		fprintf(stderr, "test_hv.c: %s\n", err);
		return NULL;
	}
	for (unsigned i = 0; i < nharts; i++) {
		machine_boot_supervisor(m->harts[i]);
		m->harts[i]->satp = (uint64_t)SATP_MODE_SVTLB << 60;
		hart_update_ctx(m->harts[i]);
	}
	return m;
}

/* A native CSR write: true if accepted, false if illegal. */
static bool nw(struct hart *h, unsigned csr, uint64_t v)
{
	bool illegal = false;
	CHECK(svtlb_csr_write(h, csr, v, &illegal), "csr 0x%x not an Svtlb CSR", csr);
	return !illegal;
}

static uint64_t nr(struct hart *h, unsigned csr)
{
	bool illegal = false;
	uint64_t v = 0;
	CHECK(svtlb_csr_read(h, csr, &v, &illegal) && !illegal, "csr 0x%x read", csr);
	return v;
}

static bool n_ins(struct hart *h, unsigned csr, uint64_t va, unsigned ps, uint64_t pte)
{
	return nw(h, CSR_IFA, va) && nw(h, CSR_ITIR, (uint64_t)ps << 2) && nw(h, csr, pte);
}

/* A native translation: the cause, *pa on success. */
static int nt(struct hart *h, uint64_t va, enum access acc, unsigned priv, uint64_t *pa)
{
	struct xlate x = { 0 };
	int c = svtlb_translate(h, va, acc, priv, &x);
	if (pa)
		*pa = c ? 0 : x.paddr;
	return c;
}

#define NPTE (SVPTE_P | SVPTE_R | SVPTE_W | SVPTE_X | SVPTE_A | SVPTE_D)

/* docs/platform.md 4.3-4.5: the field rules and masks of the native CSRs
 * and the purge operand format (4.6). */
static void test_native_svtlb_csrs(void)
{
	struct machine *m = native_new(1);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	uint64_t pa;
	/* 4.9: reset values; 4.3: operation CSRs read as zero. */
	CHECK(nr(h, CSR_RR0 + 3) == RR(0, 12, 0) && nr(h, CSR_PTA) == ((15u << 2) | (1u << 8)) &&
		      nr(h, CSR_PSR) == 1,
	      "reset: pta 0x%llx", (unsigned long long)nr(h, CSR_PTA));
	CHECK(nr(h, CSR_ITC_D) == 0 && nr(h, CSR_PTC_E) == 0, "operation CSRs read 0");
	/* 4.4: ps must be supported; other bits than 31:2 and 0 read 0. */
	CHECK(!nw(h, CSR_RR0 + 1, RR(5, 15, 0)), "rr with ps 15 refused");
	CHECK(!nw(h, CSR_RR0 + 1, RR(5, 30, 0)), "rr with ps 30 (above 256 MiB) refused");
	CHECK(nr(h, CSR_RR0 + 1) == RR(0, 12, 0), "refused rr write changes nothing");
	CHECK(nw(h, CSR_RR0 + 1, RR(5, 14, 1) | 2 | (1ull << 32)) &&
		      nr(h, CSR_RR0 + 1) == RR(5, 14, 1),
	      "rr reserved bits read 0: 0x%llx", (unsigned long long)nr(h, CSR_RR0 + 1));
	/* 4.5: size 15..40; ve bit 0 kept; vf reads 1. */
	CHECK(!nw(h, CSR_PTA, 14u << 2) && !nw(h, CSR_PTA, 41u << 2), "pta size 14, 41 refused");
	CHECK(nw(h, CSR_PTA, NX_VHPT | (40u << 2) | 1) &&
		      nr(h, CSR_PTA) == (NX_VHPT | (40u << 2) | 1 | (1u << 8)),
	      "pta: 0x%llx", (unsigned long long)nr(h, CSR_PTA));
	CHECK(nw(h, CSR_PTA, NX_VHPT | (15u << 2)), "pta size 15");
	/* 4.3: itir keeps 31:2, isr 8 and 2:0, trslot 2:0, psr bit 0. */
	nw(h, CSR_ITIR, ~0ull);
	nw(h, CSR_ISR, ~0ull);
	nw(h, CSR_TRSLOT, ~0ull);
	nw(h, CSR_PSR, ~0ull);
	CHECK(nr(h, CSR_ITIR) == 0xfffffffcull && nr(h, CSR_ISR) == 0x107 &&
		      nr(h, CSR_TRSLOT) == 7 && nr(h, CSR_PSR) == 1,
	      "masks: itir 0x%llx isr 0x%llx trslot %llu psr %llu",
	      (unsigned long long)nr(h, CSR_ITIR), (unsigned long long)nr(h, CSR_ISR),
	      (unsigned long long)nr(h, CSR_TRSLOT), (unsigned long long)nr(h, CSR_PSR));
	/* 4.6: an insert needs a supported itir.ps and an implemented ifa. */
	CHECK(!n_ins(h, CSR_ITC_D, NX_PAGE, 15, NX_PA | NPTE), "insert with ps 15 refused");
	CHECK(!n_ins(h, CSR_ITC_D, 1ull << 51, 12, NX_PA | NPTE),
	      "insert at an unimplemented ifa refused");
	CHECK(nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "refused inserts inserted nothing");
	/* Operations count their event and charge their cost (svtlb_csr.c). */
	uint64_t cyc = h->cycles;
	CHECK(n_ins(h, CSR_ITC_D, NX_PAGE + 0x10000, 12, NX_PA | NPTE) &&
		      h->st.ev[EV_TC_INSERT] == 1 && h->cycles - cyc == m->cfg.cost.tlb_insert,
	      "itc_d counted and charged tlb_insert");
	cyc = h->cycles;
	CHECK(nw(h, CSR_PTC_L, (NX_PAGE + 0x10000) | (12u << 2)) && h->st.ev[EV_PTC_L] == 1 &&
		      h->cycles - cyc == m->cfg.cost.sfence,
	      "ptc_l counted and charged sfence");
	/* TR slots 6 and 7 are distinct. */
	nw(h, CSR_TRSLOT, 6);
	n_ins(h, CSR_ITR_D, NX_PAGE, 12, NX_PA | NPTE);
	nw(h, CSR_TRSLOT, 7);
	n_ins(h, CSR_ITR_D, NX_PAGE + 0x4000, 12, (NX_PA + 0x4000) | NPTE);
	CHECK(nt(h, NX_PAGE, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA, "TR slot 6 kept");
	CHECK(nt(h, NX_PAGE + 0x4000, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x4000,
	      "TR slot 7");
	/* Purge operands: ps in bits 7:2, va bits 63:12; both checked. */
	CHECK(!nw(h, CSR_PTR_D, NX_PAGE | (15u << 2)), "purge ps 15 refused");
	CHECK(!nw(h, CSR_PTR_D, (1ull << 51) | (12u << 2)), "purge of unimplemented va refused");
	CHECK(nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == 0, "refused purges purged nothing");
	CHECK(nw(h, CSR_PTR_D, NX_PAGE | (12u << 2)) &&
		      nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptr_d of page 0 purges it");
	n_ins(h, CSR_ITC_D, NX_PAGE + 0x1000, 12, (NX_PA + 0x1000) | NPTE);
	n_ins(h, CSR_ITC_D, NX_PAGE, 12, NX_PA | NPTE);
	CHECK(nw(h, CSR_PTC_L, (NX_PAGE + 0x1000) | (12u << 2)) &&
		      nt(h, NX_PAGE + 0x1000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS &&
		      nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == 0,
	      "ptc_l of an odd 4 KiB page purges that page only");
	/* TVM: S-mode writes of rr/pta/operations are illegal, M-mode's not. */
	h->mstatus |= MSTATUS_TVM;
	CHECK(!nw(h, CSR_RR0, RR(1, 12, 0)) && nr(h, CSR_RR0) == RR(0, 12, 0),
	      "S rr write with TVM illegal");
	CHECK(nw(h, CSR_IFA, 0x1000) && nr(h, CSR_IFA) == 0x1000,
	      "TVM: S writes of the other CSRs do not trap");
	h->priv = PRV_M;
	CHECK(nw(h, CSR_RR0, RR(1, 12, 0)), "M rr write with TVM");
	machine_free(m);
}

/* 4.7-4.8: translation, fault causes and the fault CSRs. */
static void test_native_svtlb_faults(void)
{
	struct machine *m = native_new(1);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	struct svtlb *s = h->svtlb;
	uint64_t pa, va = (1ull << 61) | 0x2468000; /* region 1 */
	nw(h, CSR_RR0 + 1, RR(0x123, 14, 0));
	/* Alt DTLB miss from U: ifa, itir (rid << 8 | ps << 2), iha, isr r|u. */
	CHECK(nt(h, va + 8, ACC_READ, PRV_U, NULL) == SVTLB_EXC_ALT_DTLB_MISS, "alt dtlb");
	CHECK(nr(h, CSR_IFA) == va + 8 && nr(h, CSR_ITIR) == ((0x123ull << 8) | (14u << 2)) &&
		      nr(h, CSR_IHA) == svtlb_thash(s, va + 8) && nr(h, CSR_ISR) == (ISR_R | ISR_U),
	      "fault CSRs: ifa 0x%llx itir 0x%llx isr 0x%llx", (unsigned long long)nr(h, CSR_IFA),
	      (unsigned long long)nr(h, CSR_ITIR), (unsigned long long)nr(h, CSR_ISR));
	CHECK(nt(h, va, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS &&
		      nr(h, CSR_ISR) == ISR_X,
	      "alt itlb miss, isr x");
	CHECK(nt(h, va, ACC_WRITE, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS &&
		      nr(h, CSR_ISR) == ISR_W,
	      "alt dtlb miss of a store, isr w");
	CHECK(h->st.ev[EV_ITLB_MISS] == 1 && h->st.ev[EV_DTLB_MISS] == 2, "miss counts");
	/* psr.ic = 0: a data miss is nested and leaves the CSRs; a fetch not. */
	nw(h, CSR_PSR, 0);
	CHECK(nt(h, va + 0x10, ACC_WRITE, PRV_S, NULL) == SVTLB_EXC_NESTED_DTLB &&
		      nr(h, CSR_IFA) == va && nr(h, CSR_ISR) == ISR_W,
	      "nested dtlb miss leaves the fault CSRs");
	CHECK(nt(h, va + 0x20, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS &&
		      nr(h, CSR_IFA) == va + 0x20,
	      "fetch miss with ic = 0");
	nw(h, CSR_PSR, 1);
	/* 4.1: unimplemented: the access's page fault, with the fault CSRs. */
	CHECK(nt(h, 1ull << 51, ACC_WRITE, PRV_S, NULL) == EXC_STORE_PAGE &&
		      nr(h, CSR_IFA) == 1ull << 51 && nr(h, CSR_ISR) == ISR_W,
	      "unimplemented va: store page fault with ifa");
	/* The walker needs both rr.ve and pta.ve. */
	nw(h, CSR_PTA, NX_VHPT | (15u << 2));
	nw(h, CSR_RR0 + 1, RR(0x123, 14, 1));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS, "pta.ve = 0: alt");
	nw(h, CSR_PTA, NX_VHPT | (15u << 2) | 1);
	nw(h, CSR_RR0 + 1, RR(0x123, 14, 0));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS, "rr.ve = 0: alt");
	nw(h, CSR_RR0 + 1, RR(0x123, 14, 1));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_DTLB_MISS, "walker miss: dtlb");
	CHECK(nt(h, va, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ITLB_MISS, "walker miss: itlb");

	/* Rights (4.7 step 4.2) and the PPN bits below the page size (4.2). */
	nw(h, CSR_RR0 + 1, RR(0x123, 14, 0));
	uint64_t xo = SVPTE_P | SVPTE_X | SVPTE_A;
	n_ins(h, CSR_ITC_D, NX_PAGE, 12, NX_PA | xo);
	CHECK(nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ACCESS_RIGHTS,
	      "load from an x-only page without MXR");
	h->mstatus |= MSTATUS_MXR;
	CHECK(nt(h, NX_PAGE, ACC_READ, PRV_S, NULL) == 0, "with MXR");
	h->mstatus &= ~MSTATUS_MXR;
	h->mstatus |= MSTATUS_SUM;
	n_ins(h, CSR_ITC_I, NX_PAGE, 12, NX_PA | xo | SVPTE_U);
	CHECK(nt(h, NX_PAGE, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ACCESS_RIGHTS,
	      "S never executes a u page, even with SUM");
	CHECK(nt(h, NX_PAGE, ACC_FETCH, PRV_U, NULL) == 0, "U executes it");
	n_ins(h, CSR_ITC_D, NX_PAGE + 0x2000, 13, (NX_PA + 0x1000) | NPTE);
	CHECK(nt(h, NX_PAGE + 0x2008, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x0008,
	      "8 KiB page: ppn bit 12 ignored: 0x%llx", (unsigned long long)pa);
	/* The D side's entries never answer a fetch (4.6). */
	CHECK(nt(h, NX_PAGE + 0x2000, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS,
	      "itc_d does not serve fetches");
	machine_free(m);
}

/* 4.5, 4.7 step 3: the hash and tag functions and the hardware walker. */
static void test_native_svtlb_vhpt(void)
{
	struct machine *m = native_new(1);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	const uint64_t rid = 0x55, ps = 14, size = 16;
	/* Region 7, the top of the region: va[60:51] = va[50] = 1. */
	uint64_t va = 0xfffc000000000000ull | (0x4c5ull << 14) | 0x123;
	uint64_t base = NX_VHPT | (1ull << 15); /* bit 15 is below size: ignored */
	nw(h, CSR_RR0 + 7, RR(rid, ps, 1));
	nw(h, CSR_PTA, base | (size << 2) | 1);
	uint64_t vpn = (va & ((1ull << 51) - 1)) >> ps;
	uint64_t mix = (rid * 0x9e3779b97f4a7c15ull) >> 40;
	uint64_t thash = NX_VHPT + ((vpn ^ mix) & ((1ull << (size - 5)) - 1)) * 32;
	uint64_t ttag = (rid << 39) | vpn;
	nw(h, CSR_THASH, va);
	CHECK(nr(h, CSR_THASH) == thash && nr(h, CSR_TTAG) == ttag,
	      "thash 0x%llx (0x%llx) ttag 0x%llx (0x%llx)", (unsigned long long)nr(h, CSR_THASH),
	      (unsigned long long)thash, (unsigned long long)nr(h, CSR_TTAG),
	      (unsigned long long)ttag);
	uint64_t ppa = NX_PA + 0x40000; /* 16 KiB aligned */
	put64(m, thash, ppa | NPTE);
	put64(m, thash + 8, ps << 2);
	put64(m, thash + 16, ttag | VHPT_TAG_TI);
	uint64_t cyc = h->cycles;
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_DTLB_MISS, "ti = 1 never matches");
	CHECK(h->st.ev[EV_VHPT_WALK] == 1 && h->st.ev[EV_VHPT_MISS] == 1 &&
		      h->st.ev[EV_VHPT_HIT] == 0 && h->cycles - cyc == m->cfg.cost.vhpt_walk,
	      "a walk and a miss counted, vhpt_walk charged");
	put64(m, thash + 16, ttag);
	put64(m, thash + 8, 15u << 2);
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_DTLB_MISS, "entry ps 15: a miss");
	put64(m, thash + 8, ps << 2);
	put64(m, thash, ppa | (NPTE & ~SVPTE_A));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ACCESS_BIT, "walked entry with a = 0");
	svtlb_tc_flush(h);
	put64(m, thash, ppa | (NPTE & ~SVPTE_P));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_PAGE_NOT_PRESENT, "p = 0");
	CHECK(h->st.ev[EV_VHPT_HIT] == 2, "hits counted: %llu",
	      (unsigned long long)h->st.ev[EV_VHPT_HIT]);
	put64(m, thash, ppa | NPTE);
	uint64_t pa;
	CHECK(nt(h, va, ACC_READ, PRV_S, &pa) == 0 && pa == ppa + (va & 0x3fff), "hit: 0x%llx",
	      (unsigned long long)pa);
	/* psr.ic = 0 (4.8): a data walker miss and a VHPT fault are nested;
	 * the same on a fetch are not. */
	nw(h, CSR_PSR, 0);
	uint64_t other = va + (1ull << 14); /* the next page: its entry is empty */
	CHECK(nt(h, other, ACC_READ, PRV_S, NULL) == SVTLB_EXC_NESTED_DTLB,
	      "walker miss with ic = 0: nested dtlb miss");
	nw(h, CSR_PTA, (RAM_BASE + GUEST_RAM) | (size << 2) | 1); /* the VHPT past RAM */
	CHECK(nt(h, other, ACC_WRITE, PRV_S, NULL) == SVTLB_EXC_NESTED_DTLB,
	      "VHPT fault with ic = 0: nested dtlb miss");
	CHECK(nt(h, other, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_VHPT_FAULT,
	      "fetch VHPT fault with ic = 0 stays a VHPT fault");
	nw(h, CSR_PSR, 1);
	nw(h, CSR_PTA, base | (size << 2) | 1);
	/* PMP: the walker's read is an S-mode access (unlocked entry). */
	svtlb_tc_flush(h);
	pmp_write_addr(h, 0, ((thash & ~0xfffull) >> 2) | 0x1ff);
	pmp_write_addr(h, 1, (1ull << 54) - 1);
	pmp_write_cfg(h, 0, 0x18 | (0x1fu << 8));
	CHECK(nt(h, va, ACC_READ, PRV_S, NULL) == SVTLB_EXC_VHPT_FAULT,
	      "PMP denies the walker's read: vhpt fault");
	machine_free(m);
}

/* 4.6: what inserts and purges remove. */
static void test_native_svtlb_purges(void)
{
	struct machine *m = native_new(2);
	if (!m)
		return;
	struct hart *h = m->harts[0], *h1 = m->harts[1];
	uint64_t pa;
	const uint64_t P = NX_PAGE;
	/* A TC insert removes overlapping entries of its RID: an 8 KiB page
	 * over a 4 KiB one in its upper half, and one inserted at an ifa in
	 * its upper half over a 4 KiB one in its lower half. */
	n_ins(h, CSR_ITC_D, P + 0x1000, 12, NX_PA | NPTE);
	n_ins(h, CSR_ITC_D, P, 13, (NX_PA + 0x10000) | NPTE);
	CHECK(nt(h, P + 0x1000, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x11000,
	      "8 KiB insert replaced the 4 KiB page: 0x%llx", (unsigned long long)pa);
	n_ins(h, CSR_ITC_D, P + 0x4000, 12, NX_PA | NPTE);
	n_ins(h, CSR_ITC_D, P + 0x5000, 13, (NX_PA + 0x10000) | NPTE);
	CHECK(nt(h, P + 0x4000, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x10000,
	      "insert at an unaligned ifa replaced the page below: 0x%llx", (unsigned long long)pa);
	/* Purge va aligned down to 2^ps. */
	n_ins(h, CSR_ITC_D, P + 0x8000, 12, NX_PA | NPTE);
	CHECK(nw(h, CSR_PTC_L, (P + 0x9000) | (13u << 2)) &&
		      nt(h, P + 0x8000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptc_l of the upper half of an 8 KiB range purges its lower page");
	CHECK(nw(h, CSR_PTC_L, (P + 0x5000) | (13u << 2)) &&
		      nt(h, P + 0x4000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptc_l aligns va down to 2^ps");
	/* ptc_l: both sides, the region's RID; ptc_g: every hart. */
	nw(h, CSR_RR0, RR(8, 12, 0));
	nw(h1, CSR_RR0, RR(8, 12, 0));
	n_ins(h, CSR_ITC_I, P, 12, NX_PA | NPTE);
	n_ins(h, CSR_ITC_D, P, 12, NX_PA | NPTE);
	nw(h, CSR_PTC_L, P | (12u << 2));
	CHECK(nt(h, P, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS &&
		      nt(h, P, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptc_l purged both sides of RID 8");
	n_ins(h1, CSR_ITC_D, P, 12, NX_PA | NPTE);
	nw(h, CSR_PTC_G, P | (12u << 2));
	CHECK(nt(h1, P, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS, "ptc_g reached hart 1");
	n_ins(h, CSR_ITC_I, P, 12, NX_PA | NPTE);
	nw(h, CSR_PTC_E, 0);
	CHECK(nt(h, P, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS, "ptc_e purged the I-TC");
	/* TRs: a TR insert drops its slot's old content and overlapping TRs. */
	nw(h, CSR_TRSLOT, 0);
	n_ins(h, CSR_ITR_D, P, 12, NX_PA | NPTE);
	n_ins(h, CSR_ITR_D, P + 0x8000, 12, NX_PA | NPTE);
	CHECK(nt(h, P, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS, "slot rewritten");
	CHECK(nt(h, P + 0x9000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "a 4 KiB TR matches its own page only");
	nw(h, CSR_TRSLOT, 1);
	n_ins(h, CSR_ITR_D, P + 0x8000, 13, (NX_PA + 0x10000) | NPTE);
	CHECK(nt(h, P + 0x8000, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x10000,
	      "overlapping TR of slot 0 dropped: 0x%llx", (unsigned long long)pa);
	/* A TR inserted at an unaligned ifa covers its aligned page only. */
	nw(h, CSR_TRSLOT, 2);
	n_ins(h, CSR_ITR_D, P + 0xd000, 13, (NX_PA + 0x20000) | NPTE);
	nw(h, CSR_PTR_D, (P + 0xe000) | (12u << 2));
	CHECK(nt(h, P + 0xc010, ACC_READ, PRV_S, &pa) == 0 && pa == NX_PA + 0x20010,
	      "ptr_d of the next page spares the TR");
	CHECK(nw(h, CSR_PTR_D, (P + 0xd000) | (13u << 2)) &&
		      nt(h, P + 0xc010, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptr_d aligns va down to 2^ps");
	nw(h, CSR_TRSLOT, 4);
	n_ins(h, CSR_ITR_D, P + 0x30000, 12, NX_PA | NPTE);
	CHECK(nw(h, CSR_PTR_D, (P + 0x31000) | (13u << 2)) &&
		      nt(h, P + 0x30000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptr_d of the upper half of an 8 KiB range purges the TR below");
	/* ptr_d removes the TRs of the region's RID only, and D-TC entries. */
	nw(h, CSR_TRSLOT, 3);
	n_ins(h, CSR_ITR_D, P + 0x10000, 12, NX_PA | NPTE);
	nw(h, CSR_RR0, RR(9, 12, 0));
	nw(h, CSR_PTR_D, (P + 0x10000) | (12u << 2));
	nw(h, CSR_RR0, RR(8, 12, 0));
	CHECK(nt(h, P + 0x10000, ACC_READ, PRV_S, NULL) == 0, "RID 8's TR spared by RID 9's ptr_d");
	n_ins(h, CSR_ITC_D, P + 0x20000, 12, NX_PA | NPTE);
	nw(h, CSR_PTR_D, (P + 0x20000) | (12u << 2));
	CHECK(nt(h, P + 0x20000, ACC_READ, PRV_S, NULL) == SVTLB_EXC_ALT_DTLB_MISS,
	      "ptr_d purged the D-TC entry");
	n_ins(h, CSR_ITR_I, P + 0x20000, 12, NX_PA | NPTE);
	nw(h, CSR_PTR_I, (P + 0x20000) | (12u << 2));
	CHECK(nt(h, P + 0x20000, ACC_FETCH, PRV_S, NULL) == SVTLB_EXC_ALT_ITLB_MISS,
	      "ptr_i purged the I TR");
	machine_free(m);
}

/* The host fast path (mmu.h) must not keep a translation the guest
 * dropped: a rewritten TR slot (all of its page), ptc_e, a RID change. */
static void test_native_svtlb_host_cache(void)
{
	struct machine *m = native_new(1);
	if (!m)
		return;
	struct hart *h = m->harts[0];
	uint64_t val;
	const uint64_t P = NX_PAGE;
	nw(h, CSR_TRSLOT, 0);
	n_ins(h, CSR_ITR_D, P, 13, NX_PA | NPTE);
	CHECK(mmu_load(h, P + 0x1000, 8, &val) == 0 && hc_holds(h, P + 0x1000),
	      "the upper half of an 8 KiB TR cached");
	n_ins(h, CSR_ITR_D, P + 0x40000, 12, NX_PA | NPTE);
	CHECK(!hc_holds(h, P + 0x1000), "slot rewritten: its whole old page left the cache");
	n_ins(h, CSR_ITC_D, P + 0x80000, 12, NX_PA | NPTE);
	CHECK(mmu_load(h, P + 0x80000, 8, &val) == 0 && hc_holds(h, P + 0x80000), "TC page cached");
	nw(h, CSR_PTC_E, 0);
	CHECK(!hc_holds(h, P + 0x80000), "ptc_e flushed it");
	CHECK(mmu_load(h, P + 0x40000, 8, &val) == 0 && hc_holds(h, P + 0x40000), "TR page cached");
	nw(h, CSR_RR0, RR(3, 12, 0));
	CHECK(!hc_holds(h, P + 0x40000), "a RID change flushed it");
	/* A purge drops fetch entries of the fast path too. */
	n_ins(h, CSR_ITC_I, P + 0x90000, 12, NX_PA | NPTE);
	CHECK(mmu_fetch(h, P + 0x90000) != NULL &&
		      h->hc[h->fetch_ctx][ACC_FETCH][((P + 0x90000) >> 12) & (HC_SIZE - 1)].tag ==
			      P + 0x90000,
	      "fetch page cached");
	nw(h, CSR_PTC_L, (P + 0x90000) | (12u << 2));
	CHECK(h->hc[h->fetch_ctx][ACC_FETCH][((P + 0x90000) >> 12) & (HC_SIZE - 1)].tag !=
		      P + 0x90000,
	      "ptc_l dropped the fetch entry");
	n_ins(h, CSR_ITC_D, P + 0xa0000, 12, (NX_PA + 0x50000) | NPTE);
	CHECK(mmu_store(h, P + 0xa0000, 8, 1) == 0 &&
		      h->hc[h->data_ctx][ACC_WRITE][((P + 0xa0000) >> 12) & (HC_SIZE - 1)].tag ==
			      P + 0xa0000,
	      "store page cached");
	nw(h, CSR_PTC_L, (P + 0xa0000) | (12u << 2));
	CHECK(h->hc[h->data_ctx][ACC_WRITE][((P + 0xa0000) >> 12) & (HC_SIZE - 1)].tag !=
		      P + 0xa0000,
	      "ptc_l dropped the write entry");
	machine_free(m);
}

int main(void)
{
	test_print_vcpus();
	test_hist_quantiles();
	test_hist_exact();
	test_miss_kinds();
	test_nested();
	test_checks();
	test_guest_walker();
	test_walker_and_single(HV_STVT);
	test_walker_and_single(HV_HTVT);
	test_mmio(HV_STVT, true);
	test_mmio(HV_HTVT, false);
	test_large_pages(HV_STVT, false);
	test_large_pages(HV_HTVT, false);
	test_large_pages(HV_STVT, true);
	test_chain_keeps_displaced(HV_HTVT, 1);
	test_chain_keeps_displaced(HV_HTVT, 0);
	test_chain_keeps_displaced(HV_HTVT, -1);
	test_chain_keeps_displaced(HV_STVT, -1);
	test_chain_keeps_displaced(HV_STVT, 1);
	test_chain_recycling();
	test_interrupt_and_wfi();
	test_firmware_m_exception();
	test_sbi_dbcn_outside_guest();
	test_ptc_g();
	test_p2m_bounds();
	test_sv39_walk_bounds();
	test_pv_hypercalls();
	test_csr_rules();
	test_tr_ops();
	test_walker_rules();
	test_itc_policy();
	test_chain_purges();
	test_accounting();
	test_same_rid_two_regions(HV_STVT);
	test_same_rid_two_regions(HV_HTVT);
	test_rid_moves_to_another_region(HV_STVT);
	test_rid_moves_to_another_region(HV_HTVT);
	test_whole_page_same_pte();
	test_split_tr_dropped();
	test_purge_inside_split_page(HV_STVT);
	test_purge_inside_split_page(HV_HTVT);
	test_purge_inside_forgotten_split_page();
	test_inject_kinds();
	test_vtlb_hit_checked();
	test_walker_sources();
	test_csr_fields();
	test_chain_hit_fault();
	test_chain_rules();
	test_rid_taken_purges(HV_STVT);
	test_rid_taken_purges(HV_HTVT);
	test_two_forgotten_split_pages();
	test_whole_pages_bounds();
	test_device_trs();
	test_purge_costs();
	test_pv_rules();
	test_chain_costs();
	test_chain_pool_reuse();
	test_rid_lists(HV_STVT);
	test_rid_lists(HV_HTVT);
	test_host_cache_flushes();
	test_whole_page_slot_purge();
	test_itc_unaligned_ifa();
	test_native_svtlb_csrs();
	test_native_svtlb_faults();
	test_native_svtlb_vhpt();
	test_native_svtlb_purges();
	test_native_svtlb_host_cache();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
