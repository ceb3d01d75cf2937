/*
 * test_tlb_model.c - unit test of the modeled set-associative TLB
 * (vmm/tlb_model.c).
 *
 * Contract checked (tlb_model.h): geometry validation; insert and lookup
 * with 4 KiB, 2 MiB and 1 GiB pages (shift 12, 21, 30), ASID matching and
 * global entries; FIFO replacement within a set that hits do not disturb,
 * with the `dropped` callback seeing exactly the evicted entry; re-insert
 * of the same page replacing it in place; purges by range (including a
 * superpage overlapping the range, and pages at the very top of the 64-bit
 * address space), by ASID, with and without global entries; flush reporting
 * every valid entry; shift_mask staying a superset of the sizes present so
 * lookups keep working after purges.  The `dropped` reports matter: the
 * host fast path (mmu.h) relies on them to never outlive a modeled entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tlb_model.h"

/* ---- the `dropped` callback records what it was told ---- */

#define MAX_LOG 256

struct drop_log {
	unsigned n;
	struct tlb_entry e[MAX_LOG];
};

static void record_drop(void *ctx, const struct tlb_entry *e)
{
	struct drop_log *log = ctx;
	if (log->n < MAX_LOG)
		log->e[log->n] = *e;
	log->n++;
}

/* How many times the log holds the page (vpn, shift, asid). */
static unsigned drops_of(const struct drop_log *log, uint64_t vpn, unsigned shift, uint32_t asid)
{
	unsigned k = 0;
	for (unsigned i = 0; i < log->n && i < MAX_LOG; i++)
		if (log->e[i].vpn == vpn && log->e[i].shift == shift && log->e[i].asid == asid)
			k++;
	return k;
}

static struct tlb_entry page(uint64_t va, unsigned shift, uint64_t pa, uint32_t asid, bool global)
{
	struct tlb_entry e = {
		.vpn = va >> shift,
		.ppn = pa >> shift,
		.aux = va ^ pa,
		.asid = asid,
		.shift = (uint8_t)shift,
		.perm = TLB_R | TLB_W | TLB_A,
		.global = global,
	};
	return e;
}

/* The physical address lookup(va) translates to, or ~0 on a miss. */
static uint64_t xlate(struct tlb_model *t, uint64_t va, uint32_t asid)
{
	struct tlb_entry *e = tlb_model_lookup(t, va, asid);
	if (!e)
		return ~0ull;
	return (e->ppn << e->shift) | (va & ((1ull << e->shift) - 1));
}

static unsigned valid_entries(const struct tlb_model *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->sets * t->ways; i++)
		n += t->e[i].valid != 0;
	return n;
}

/* Every valid entry's size has its bit in shift_mask (else lookups would
 * not probe it). */
static bool mask_covers_entries(const struct tlb_model *t)
{
	for (unsigned i = 0; i < t->sets * t->ways; i++)
		if (t->e[i].valid && !((t->shift_mask >> t->e[i].shift) & 1))
			return false;
	return true;
}

static void test_geometry(void)
{
	static const struct {
		unsigned entries, ways;
		int ok;
	} g[] = {
		{ 64, 4, 0 },  { 32, 32, 0 }, { 1, 1, 0 },
		{ 512, 8, 0 }, { 16, 1, 0 },  { 0, 4, -1 }, /* no entries */
		{ 64, 0, -1 },                              /* no ways */
		{ 30, 4, -1 },                              /* not a multiple of ways */
		{ 24, 4, -1 },                              /* 6 sets: not a power of two */
		{ 12, 1, -1 },                              /* 12 sets */
		{ 4, 8, -1 },                               /* fewer entries than ways */
	};
	for (unsigned i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		struct tlb_model t;
		int r = tlb_model_init(&t, g[i].entries, g[i].ways, NULL, NULL);
		CHECK(r == g[i].ok, "init(%u entries, %u ways) = %d, expected %d", g[i].entries,
		      g[i].ways, r, g[i].ok);
		if (r == 0) {
			CHECK(t.sets == g[i].entries / g[i].ways && t.ways == g[i].ways,
			      "init(%u, %u): sets %u ways %u", g[i].entries, g[i].ways, t.sets,
			      t.ways);
			CHECK(valid_entries(&t) == 0 && t.shift_mask == 0 && t.misses == 0 &&
				      t.evictions == 0 && t.inserts == 0,
			      "init(%u, %u): not empty", g[i].entries, g[i].ways);
			CHECK(tlb_model_lookup(&t, 0x1234000, 0) == NULL,
			      "lookup in an empty TLB hit");
		}
		tlb_model_free(&t); /* also safe after a failed init */
	}
}

static void test_page_sizes(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 64, 4, record_drop, &log) == 0, "init");
	struct tlb_entry small = page(0x12345000, 12, 0x80001000, 1, false);
	struct tlb_entry mega = page(0x40200000, 21, 0x80400000, 1, false);
	struct tlb_entry giga = page(0xc0000000, 30, 0x80000000, 1, false);
	/* A canonical Sv39 VA with bits 63:39 set: vpn keeps the high bits. */
	struct tlb_entry high = page(0xffffffffc0201000ull, 12, 0x80002000, 1, false);
	tlb_model_insert(&t, &small);
	tlb_model_insert(&t, &mega);
	tlb_model_insert(&t, &giga);
	tlb_model_insert(&t, &high);
	CHECK(t.shift_mask == ((1ull << 12) | (1ull << 21) | (1ull << 30)), "shift_mask 0x%llx",
	      (unsigned long long)t.shift_mask);
	CHECK(t.inserts == 4 && valid_entries(&t) == 4, "inserts %llu valid %u",
	      (unsigned long long)t.inserts, valid_entries(&t));
	CHECK(log.n == 0, "inserting into free ways dropped %u entries", log.n);

	CHECK(xlate(&t, 0x12345000, 1) == 0x80001000, "4K page base");
	CHECK(xlate(&t, 0x12345abc, 1) == 0x80001abc, "4K page offset");
	CHECK(xlate(&t, 0x12345fff, 1) == 0x80001fff, "4K page last byte");
	CHECK(xlate(&t, 0x12344fff, 1) == ~0ull, "byte below the 4K page");
	CHECK(xlate(&t, 0x12346000, 1) == ~0ull, "byte above the 4K page");
	CHECK(xlate(&t, 0x40200000, 1) == 0x80400000, "2M page base");
	CHECK(xlate(&t, 0x403fffff, 1) == 0x805fffff, "2M page last byte");
	CHECK(xlate(&t, 0x40312345, 1) == 0x80512345, "2M page middle");
	CHECK(xlate(&t, 0x401fffff, 1) == ~0ull, "byte below the 2M page");
	CHECK(xlate(&t, 0x40400000, 1) == ~0ull, "byte above the 2M page");
	CHECK(xlate(&t, 0xc0000000, 1) == 0x80000000, "1G page base");
	CHECK(xlate(&t, 0xffffffff, 1) == 0xbfffffff, "1G page last byte");
	CHECK(xlate(&t, 0xbfffffff, 1) == ~0ull, "byte below the 1G page");
	CHECK(xlate(&t, 0x100000000, 1) == ~0ull, "byte above the 1G page");
	CHECK(xlate(&t, 0xffffffffc0201008ull, 1) == 0x80002008, "high canonical VA");
	CHECK(xlate(&t, 0x0000007fc0201008ull, 1) == ~0ull, "same low 39 bits, other high bits");
	CHECK(tlb_model_lookup(&t, 0x40300000, 1)->shift == 21, "lookup returns the 2M entry");
	tlb_model_free(&t);
}

static void test_asid_and_global(void)
{
	struct tlb_model t;
	CHECK(tlb_model_init(&t, 16, 4, NULL, NULL) == 0, "init"); /* all three in set 0 */
	struct tlb_entry a1 = page(0x10000000, 12, 0x80010000, 1, false);
	struct tlb_entry a2 = page(0x10000000, 12, 0x80020000, 2, false);
	struct tlb_entry g = page(0x20000000, 12, 0x80030000, 7, true);
	tlb_model_insert(&t, &a1);
	tlb_model_insert(&t, &a2);
	tlb_model_insert(&t, &g);
	CHECK(xlate(&t, 0x10000010, 1) == 0x80010010, "ASID 1 sees its page");
	CHECK(xlate(&t, 0x10000010, 2) == 0x80020010, "ASID 2 sees its own page at the same VA");
	CHECK(xlate(&t, 0x10000010, 3) == ~0ull, "ASID 3 sees neither");
	CHECK(xlate(&t, 0x20000020, 7) == 0x80030020, "global entry, its own ASID");
	CHECK(xlate(&t, 0x20000020, 0) == 0x80030020, "global entry, ASID 0");
	CHECK(xlate(&t, 0x20000020, 0xffff) == 0x80030020, "global entry, ASID 0xffff");
	tlb_model_free(&t);
}

static void test_fifo(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	/* 16 entries, 4 ways: 4 sets; vpn % 4 selects the set. */
	CHECK(tlb_model_init(&t, 16, 4, record_drop, &log) == 0, "init");
	uint64_t vpn[7] = { 1, 5, 9, 13, 17, 21, 25 };                       /* all in set 1 */
	struct tlb_entry other = page(2ull << 12, 12, 0x80000000, 0, false); /* set 2 */
	tlb_model_insert(&t, &other);
	for (unsigned i = 0; i < 4; i++) {
		struct tlb_entry e = page(vpn[i] << 12, 12, 0x80000000 + (i << 12), 0, false);
		tlb_model_insert(&t, &e);
	}
	CHECK(log.n == 0 && t.evictions == 0, "filling the set evicted %u", log.n);
	/* Hits do not change the order (FIFO, not LRU). */
	for (unsigned rep = 0; rep < 3; rep++)
		CHECK(tlb_model_lookup(&t, vpn[0] << 12, 0) != NULL, "first page present");

	struct tlb_entry e4 = page(vpn[4] << 12, 12, 0x80100000, 0, false);
	tlb_model_insert(&t, &e4);
	CHECK(log.n == 1 && drops_of(&log, vpn[0], 12, 0) == 1,
	      "5th insert dropped %u entries, "
	      "first inserted %u times",
	      log.n, drops_of(&log, vpn[0], 12, 0));
	CHECK(log.e[0].ppn == 0x80000, "dropped entry carries its ppn (0x%llx)",
	      (unsigned long long)log.e[0].ppn);
	CHECK(tlb_model_lookup(&t, vpn[0] << 12, 0) == NULL, "first inserted is gone");
	for (unsigned i = 1; i < 5; i++)
		CHECK(tlb_model_lookup(&t, vpn[i] << 12, 0) != NULL, "page %u still present", i);
	CHECK(xlate(&t, 2ull << 12, 0) == 0x80000000, "other set untouched");

	/* Next victims follow insertion order: vpn[1], then vpn[2]. */
	struct tlb_entry e5 = page(vpn[5] << 12, 12, 0x80200000, 0, false);
	tlb_model_insert(&t, &e5);
	CHECK(log.n == 2 && drops_of(&log, vpn[1], 12, 0) == 1, "6th insert dropped the second");
	struct tlb_entry e6 = page(vpn[6] << 12, 12, 0x80300000, 0, false);
	tlb_model_insert(&t, &e6);
	CHECK(log.n == 3 && drops_of(&log, vpn[2], 12, 0) == 1, "7th insert dropped the third");
	CHECK(t.evictions == 3, "evictions %llu", (unsigned long long)t.evictions);
	CHECK(valid_entries(&t) == 5, "valid %u", valid_entries(&t));

	/* A superpage indexes its set by its own vpn: vpn 1 at shift 21 is in
	 * set 1 too, and evicts the next FIFO victim (vpn[3]). */
	struct tlb_entry m = page(1ull << 21, 21, 0x80400000, 0, false);
	tlb_model_insert(&t, &m);
	CHECK(log.n == 4 && drops_of(&log, vpn[3], 12, 0) == 1,
	      "2M insert into set 1 dropped vpn 13");
	CHECK(xlate(&t, (1ull << 21) + 0x1234, 0) == 0x80401234, "2M entry usable");
	tlb_model_free(&t);
}

static void test_reinsert_in_place(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 8, 4, record_drop, &log) == 0, "init");
	struct tlb_entry a = page(0x4000, 12, 0x80004000, 3, false); /* set 0 (vpn 4) */
	struct tlb_entry b = page(0x8000, 12, 0x80008000, 3, false); /* set 0 (vpn 8) */
	struct tlb_entry *sa = tlb_model_insert(&t, &a);
	tlb_model_insert(&t, &b);
	struct tlb_entry a2 = page(0x4000, 12, 0x80104000, 3, false);
	a2.perm |= TLB_D;
	struct tlb_entry *sa2 = tlb_model_insert(&t, &a2);
	CHECK(sa2 == sa, "re-insert of the same page used another slot");
	CHECK(xlate(&t, 0x4010, 3) == 0x80104010, "re-inserted page translates to the new frame");
	CHECK((tlb_model_lookup(&t, 0x4000, 3)->perm & TLB_D) != 0, "new permissions");
	CHECK(valid_entries(&t) == 2, "valid %u (a duplicate was made)", valid_entries(&t));
	CHECK(log.n == 1 && log.e[0].ppn == 0x80004, "the replaced entry was reported once (%u)",
	      log.n);
	CHECK(t.evictions == 0, "re-insert counted as an eviction");
	/* The FIFO pointer did not move: filling the set then evicts a first. */
	struct tlb_entry c = page(0xc000, 12, 0x8000c000, 3, false);
	struct tlb_entry d = page(0x10000, 12, 0x80010000, 3, false);
	struct tlb_entry e = page(0x14000, 12, 0x80014000, 3, false);
	tlb_model_insert(&t, &c);
	tlb_model_insert(&t, &d);
	log.n = 0;
	tlb_model_insert(&t, &e);
	CHECK(log.n == 1 && log.e[0].vpn == 4, "after re-insert, FIFO evicted vpn 0x%llx",
	      (unsigned long long)log.e[0].vpn);
	/* Same VA, other ASID: a separate entry, not a replacement. */
	log.n = 0;
	struct tlb_entry other_asid = page(0x8000, 12, 0x80508000, 4, false);
	tlb_model_insert(&t, &other_asid);
	CHECK(xlate(&t, 0x8000, 4) == 0x80508000, "ASID 4 entry");
	tlb_model_free(&t);
}

static void test_purge(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 64, 4, record_drop, &log) == 0, "init");
	struct tlb_entry s1 = page(0x200000, 12, 0x80000000, 1, false);
	struct tlb_entry s2 = page(0x201000, 12, 0x80001000, 2, false);
	struct tlb_entry mega = page(0x400000, 21, 0x80200000, 1, false); /* 0x400000-0x5fffff */
	struct tlb_entry giga = page(0x40000000, 30, 0x80000000, 1, false);
	struct tlb_entry glob = page(0x300000, 12, 0x80003000, 9, true);
	tlb_model_insert(&t, &s1);
	tlb_model_insert(&t, &s2);
	tlb_model_insert(&t, &mega);
	tlb_model_insert(&t, &giga);
	tlb_model_insert(&t, &glob);

	/* A range that ends where the megapage begins, and one that starts
	 * where it ends, do not touch it (half-open [va, va+size)). */
	tlb_model_purge(&t, 0x3ff000, 0x1000, 1, false, true);
	tlb_model_purge(&t, 0x600000, 0x1000, 1, false, true);
	CHECK(log.n == 0 && xlate(&t, 0x400000, 1) == 0x80200000, "adjacent ranges purged %u",
	      log.n);
	/* One byte inside the megapage purges the whole megapage. */
	tlb_model_purge(&t, 0x5ff123, 1, 1, false, false);
	CHECK(log.n == 1 && drops_of(&log, 0x400000 >> 21, 21, 1) == 1,
	      "megapage purged by one byte");
	CHECK(xlate(&t, 0x400000, 1) == ~0ull, "megapage gone");
	CHECK(mask_covers_entries(&t), "shift_mask 0x%llx", (unsigned long long)t.shift_mask);
	/* A range overlapping a superpage from below purges it too. */
	log.n = 0;
	tlb_model_purge(&t, 0x3ffff000, 0x2000, 1, false, false);
	CHECK(log.n == 1 && drops_of(&log, 1, 30, 1) == 1,
	      "gigapage purged by an overlapping range");
	CHECK(mask_covers_entries(&t), "shift_mask 0x%llx", (unsigned long long)t.shift_mask);
	/* Lookups of the remaining 4 KiB entries still work. */
	CHECK(xlate(&t, 0x200008, 1) == 0x80000008 && xlate(&t, 0x201008, 2) == 0x80001008 &&
		      xlate(&t, 0x300008, 5) == 0x80003008,
	      "4K entries lost by superpage purges");

	/* By address, other ASID: not purged; global: only with_global. */
	log.n = 0;
	tlb_model_purge(&t, 0x201000, 1, 1, false, true);
	CHECK(log.n == 0, "ASID-1 purge dropped an ASID-2 entry");
	tlb_model_purge(&t, 0x300000, 1, 1, false, false);
	CHECK(log.n == 0, "purge without globals dropped a global entry");
	tlb_model_purge(&t, 0x300000, 1, 1, false, true);
	CHECK(log.n == 1 && drops_of(&log, 0x300, 12, 9) == 1, "global entry purged with_global");
	tlb_model_free(&t);
}

static void test_purge_by_asid(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 32, 4, record_drop, &log) == 0, "init");
	for (uint32_t asid = 1; asid <= 3; asid++)
		for (uint64_t i = 0; i < 4; i++) {
			struct tlb_entry e = page((asid << 24) | (i << 12), 12,
						  0x80000000 | (i << 12), asid, false);
			tlb_model_insert(&t, &e);
		}
	struct tlb_entry g = page(0x7000000, 21, 0x80000000, 1, true);
	tlb_model_insert(&t, &g);
	CHECK(valid_entries(&t) == 13, "valid %u", valid_entries(&t));
	/* Every VA of ASID 2 (size 0), keeping globals. */
	tlb_model_purge(&t, 0, 0, 2, false, false);
	CHECK(log.n == 4, "ASID 2 purge dropped %u", log.n);
	for (uint64_t i = 0; i < 4; i++)
		CHECK(drops_of(&log, (2ull << 12) | i, 12, 2) == 1, "ASID 2 page %llu reported",
		      (unsigned long long)i);
	CHECK(xlate(&t, (1 << 24) | 0x1000, 1) == 0x80001000, "ASID 1 kept");
	CHECK(xlate(&t, (3 << 24) | 0x3000, 3) == 0x80003000, "ASID 3 kept");
	CHECK(xlate(&t, (2 << 24) | 0x1000, 2) == ~0ull, "ASID 2 gone");
	CHECK(xlate(&t, 0x7000000, 2) == 0x80000000, "global kept");
	/* All ASIDs, without globals. */
	log.n = 0;
	tlb_model_purge(&t, 0, 0, 0, true, false);
	CHECK(log.n == 8 && valid_entries(&t) == 1, "all-ASID purge dropped %u, %u left", log.n,
	      valid_entries(&t));
	CHECK(xlate(&t, 0x7000000, 5) == 0x80000000, "global survives a purge without globals");
	CHECK(mask_covers_entries(&t), "shift_mask 0x%llx", (unsigned long long)t.shift_mask);
	/* Everything. */
	log.n = 0;
	tlb_model_purge(&t, 0, 0, 0, true, true);
	CHECK(log.n == 1 && valid_entries(&t) == 0 && t.shift_mask == 0, "full purge");
	/* Inserting after purges works and is found. */
	struct tlb_entry again = page(0x5000, 12, 0x80005000, 1, false);
	tlb_model_insert(&t, &again);
	CHECK(xlate(&t, 0x5004, 1) == 0x80005004, "insert after a full purge");
	tlb_model_free(&t);
}

/* Pages at the top of the 64-bit space (Sv39's high half ends there): the
 * page's end address, base + size, wraps to 0, and so does a purge range
 * ending there.  They must be purged like any other page (sfence.vma with
 * rs1 naming them, privileged spec 4.2.1). */
static void test_purge_top_of_address_space(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 64, 4, record_drop, &log) == 0, "init");
	struct tlb_entry top[3] = {
		page(0xfffffffffffff000ull, 12, 0x80001000, 1, false),
		page(0xffffffffffe00000ull, 21, 0x80200000, 1, false),
		page(0xffffffffc0000000ull, 30, 0x80000000, 1, false),
	};
	struct tlb_entry below = page(0xffffffff80000000ull, 30, 0xc0000000, 1, false);
	tlb_model_insert(&t, &below);
	/* sfence.vma rs1 = an address inside the pages: range [va, va + 1);
	 * then rs1 = the very last byte, where va + 1 wraps to 0. */
	static const uint64_t va[2] = { 0xfffffffffffff010ull, 0xffffffffffffffffull };
	for (unsigned k = 0; k < 2; k++) {
		for (unsigned i = 0; i < 3; i++)
			tlb_model_insert(&t, &top[i]);
		CHECK(xlate(&t, 0xfffffffffffffff8ull, 1) == 0x80001ff8, "top 4K page translates");
		log.n = 0;
		tlb_model_purge(&t, va[k], 1, 1, false, false);
		for (unsigned i = 0; i < 3; i++)
			CHECK(drops_of(&log, top[i].vpn, top[i].shift, 1) == 1,
			      "page 0x%llx (shift %u) at the top of the address space not purged by "
			      "va 0x%llx size 1",
			      (unsigned long long)(top[i].vpn << top[i].shift), top[i].shift,
			      (unsigned long long)va[k]);
		CHECK(tlb_model_lookup(&t, va[k], 1) == NULL,
		      "va 0x%llx still translates after its purge", (unsigned long long)va[k]);
		CHECK(drops_of(&log, below.vpn, 30, 1) == 0, "the page below was purged");
	}
	log.n = 0;
	tlb_model_purge(&t, 0xffffffffbfffffffull, 1, 1, false, false);
	CHECK(log.n == 1 && drops_of(&log, below.vpn, 30, 1) == 1, "1G page [-2G,-1G) not purged");
	tlb_model_free(&t);
}

static void test_flush(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	CHECK(tlb_model_init(&t, 16, 4, record_drop, &log) == 0, "init");
	unsigned n = 0;
	for (uint64_t i = 0; i < 10; i++) {
		struct tlb_entry e =
			page(i << 21, i & 1 ? 21 : 12, 0x80000000, (uint32_t)i, i == 3);
		tlb_model_insert(&t, &e);
		n++;
	}
	unsigned before = valid_entries(&t);
	CHECK(before == n - (unsigned)t.evictions, "valid %u", before);
	log.n = 0;
	tlb_model_flush(&t);
	CHECK(log.n == before, "flush reported %u of %u valid entries", log.n, before);
	CHECK(valid_entries(&t) == 0 && t.shift_mask == 0, "flush left entries");
	for (uint64_t i = 0; i < 10; i++)
		CHECK(tlb_model_lookup(&t, i << 21, (uint32_t)i) == NULL, "hit after flush");
	log.n = 0;
	tlb_model_flush(&t);
	CHECK(log.n == 0, "second flush reported %u entries", log.n);
	tlb_model_free(&t);
}

/* Random inserts and purges against a simple reference: every lookup
 * agrees with the last live insert of its page, and shift_mask always
 * covers the valid entries; every entry that stops being found was
 * reported as dropped. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_random_consistency(void)
{
	struct tlb_model t;
	struct drop_log log = { 0 };
	static const unsigned shifts[3] = { 12, 21, 30 };
	bool agree = true, covered = true, reported = true;
	CHECK(tlb_model_init(&t, 32, 4, record_drop, &log) == 0, "init");
	for (unsigned step = 0; step < 20000; step++) {
		uint64_t r = rng();
		unsigned shift = shifts[r % 3];
		uint64_t vpn = (r >> 8) % 24;
		uint32_t asid = (uint32_t)((r >> 16) % 3);
		if ((r >> 24) % 8 == 0) {
			unsigned before = valid_entries(&t);
			log.n = 0;
			tlb_model_purge(&t, vpn << shift, (r >> 32) % 2 ? 1 : 0, asid,
					(r >> 40) % 2, (r >> 41) % 2);
			reported &= log.n == before - valid_entries(&t);
		} else {
			struct tlb_entry e =
				page(vpn << shift, shift, (0x80000 + vpn) << 12 << (shift - 12),
				     asid, false);
			unsigned before = valid_entries(&t);
			log.n = 0;
			struct tlb_entry *slot = tlb_model_insert(&t, &e);
			reported &= log.n == before + 1 - valid_entries(&t);
			struct tlb_entry *hit = tlb_model_lookup(&t, (vpn << shift) + 8, asid);
			/* A smaller page covering the VA may win; the new one must
			 * be there and translate as inserted. */
			agree &= slot->valid && slot->vpn == e.vpn && slot->ppn == e.ppn &&
				 hit != NULL && hit->shift <= shift;
		}
		covered &= mask_covers_entries(&t);
	}
	CHECK(agree, "an inserted entry was not found");
	CHECK(covered, "shift_mask lost a size still present");
	CHECK(reported, "an entry disappeared without a `dropped` report (or was reported twice)");
	tlb_model_free(&t);
}

/* A non-global insert of a page a global entry holds does not replace
 * the global entry (insert only reuses an entry of the same globalness):
 * other ASIDs keep finding the global translation. */
static void test_global_not_replaced(void)
{
	struct tlb_model t;
	CHECK(tlb_model_init(&t, 16, 4, NULL, NULL) == 0, "init");
	struct tlb_entry g = page(0x5000, 12, 0x80005000, 1, true);
	struct tlb_entry n = page(0x5000, 12, 0x80009000, 2, false);
	tlb_model_insert(&t, &g);
	tlb_model_insert(&t, &n);
	CHECK(valid_entries(&t) == 2, "two entries: %u", valid_entries(&t));
	CHECK(xlate(&t, 0x5010, 3) == 0x80005010, "ASID 3 still finds the global entry: 0x%llx",
	      (unsigned long long)xlate(&t, 0x5010, 3));
	tlb_model_free(&t);
}

int main(void)
{
	test_geometry();
	test_page_sizes();
	test_asid_and_global();
	test_fifo();
	test_reinsert_in_place();
	test_purge();
	test_purge_by_asid();
	test_purge_top_of_address_space();
	test_flush();
	test_random_consistency();
	test_global_not_replaced();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
