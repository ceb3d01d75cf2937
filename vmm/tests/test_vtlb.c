/*
 * test_vtlb.c - unit test of the virtual TLB (vmm/vtlb.c, vtlb_single.c,
 * vtlb_hash.c) against its contract (vtlb.h) and the architecture's rules
 * for TC entries (docs/platform.md 4.1 page sizes, 4.6 inserts and purges).
 *
 * Checked, for each strategy: insert and lookup hit/miss by side, RID and
 * address, every supported page size (4 KiB to 256 MiB) at its first and
 * last byte; the overlap purge of inserts (same side and RID only);
 * purge by range and RID whatever the entries' sizes; purge_all; invalid
 * entries ignored; exact statistics; ps 63 entries and purges wider than a
 * region (ps 62 to 64 and above).  Single: the per-side replacement.
 * Hash: collision chains (a one-bucket table makes chain order and probe
 * counts exact), chain_max recycling the oldest entry, pool exhaustion
 * recycling a whole chain, page-size masks kept exact after purges, RIDs
 * and regions spread over the buckets.  A randomized differential test
 * runs both strategies against a reference model (an unbounded list of
 * live TC entries): any hit must equal the reference's entry, the vTLB may
 * only hold a subset of it, and without recycling it must hold all of it.
 * Invalid parameters are rejected.  Also: a purge's address aligned down,
 * vtlb_cover_ps on both sides, purge_all forgetting the page sizes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "vtlb.h"

/* The supported page sizes (docs/platform.md 4.1). */
static const unsigned page_sizes[] = { 12, 13, 14, 16, 18, 20, 22, 24, 26, 28 };
#define N_SIZES (sizeof(page_sizes) / sizeof(page_sizes[0]))

#define REGION(n) ((uint64_t)(n) << 61)
#define KIB(n) ((uint64_t)(n) << 10)
#define MIB(n) ((uint64_t)(n) << 20)

static struct vtlb_entry entry(uint64_t va, unsigned ps, uint32_t rid, enum vtlb_side side)
{
	struct vtlb_entry e = {
		.va = va,
		/* a PTE that identifies the entry: p r w a d, ppn from va */
		.pte = ((va ^ ((uint64_t)rid << 40)) & 0x00FFFFFFFFFFF000ull) | 0x67,
		.rid = rid,
		.ps = (uint8_t)ps,
		.side = (uint8_t)side,
	};
	return e;
}

static struct vtlb *make(enum vtlb_kind kind, unsigned buckets, unsigned pool, unsigned chain_max)
{
	struct vtlb_params p;
	vtlb_params_default(&p, kind);
	p.buckets = buckets;
	p.pool = pool;
	p.chain_max = chain_max;
	return vtlb_create(&p);
}

static struct vtlb *make_default(enum vtlb_kind kind)
{
	struct vtlb_params p;
	vtlb_params_default(&p, kind);
	return vtlb_create(&p);
}

static const char *kind_name(enum vtlb_kind k)
{
	return k == VTLB_SINGLE ? "single" : "hash";
}

static bool same_entry(const struct vtlb_entry *a, const struct vtlb_entry *b)
{
	return a->va == b->va && a->pte == b->pte && a->rid == b->rid && a->ps == b->ps &&
	       a->side == b->side;
}

/* Lookup that returns whether it hit entry want exactly. */
static bool hits(struct vtlb *t, uint64_t va, uint32_t rid, enum vtlb_side side,
		 const struct vtlb_entry *want)
{
	unsigned probes = 0;
	const struct vtlb_entry *e = vtlb_lookup(t, va, rid, side, &probes);
	return e && same_entry(e, want);
}

static bool misses(struct vtlb *t, uint64_t va, uint32_t rid, enum vtlb_side side)
{
	unsigned probes = 0;
	return vtlb_lookup(t, va, rid, side, &probes) == NULL;
}

static unsigned probes_of(struct vtlb *t, uint64_t va, uint32_t rid, enum vtlb_side side)
{
	unsigned probes = 0;
	vtlb_lookup(t, va, rid, side, &probes);
	return probes;
}

/* ------------------------------------------------------------ both strategies */

static void test_hit_miss(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	CHECK(t != NULL, "%s: create with defaults", k);
	if (!t)
		return;
	struct vtlb_entry d = entry(REGION(1) + 0x12345000, 12, 7, VTLB_D);
	CHECK(vtlb_insert(t, &d) == 0, "%s: insert into an empty vTLB drops nothing", k);
	CHECK(vtlb_count(t) == 1, "%s: one entry", k);
	CHECK(hits(t, d.va, 7, VTLB_D, &d), "%s: hit at the first byte", k);
	CHECK(hits(t, d.va + 0xFFF, 7, VTLB_D, &d), "%s: hit at the last byte", k);
	CHECK(misses(t, d.va + 0x1000, 7, VTLB_D), "%s: miss on the next page", k);
	CHECK(misses(t, d.va - 1, 7, VTLB_D), "%s: miss on the previous page", k);
	CHECK(misses(t, d.va, 7, VTLB_I), "%s: miss on the other side", k);
	CHECK(misses(t, d.va, 8, VTLB_D), "%s: miss with another RID", k);
	CHECK(misses(t, d.va ^ REGION(1) ^ REGION(2), 7, VTLB_D),
	      "%s: miss in another region (the VRN is part of the page number)", k);

	struct vtlb_entry i = entry(REGION(1) + 0x12345000, 12, 7, VTLB_I);
	i.pte ^= 0x8; /* x */
	CHECK(vtlb_insert(t, &i) == 0, "%s: an I insert leaves the D entry", k);
	CHECK(hits(t, d.va, 7, VTLB_I, &i) && hits(t, d.va, 7, VTLB_D, &d),
	      "%s: each side has its own entry", k);
	CHECK(vtlb_count(t) == 2, "%s: two entries", k);

	/* The entry returned is the inserted one, va aligned down to its size. */
	struct vtlb_entry u = entry(REGION(3) + 0x40000 + 0x1234, 16, 9, VTLB_D);
	vtlb_insert(t, &u);
	unsigned probes = 0;
	const struct vtlb_entry *got = vtlb_lookup(t, REGION(3) + 0x4FFFF, 9, VTLB_D, &probes);
	CHECK(got && got->va == REGION(3) + 0x40000 && got->pte == u.pte && got->ps == 16 &&
		      got->rid == 9 && got->side == VTLB_D,
	      "%s: va aligned down to 2^ps on insert", k);
	CHECK(probes >= 1, "%s: a hit probes at least one entry (%u)", k, probes);
	CHECK(vtlb_lookup(t, REGION(3) + 0x40000, 9, VTLB_D, NULL) != NULL,
	      "%s: probes may be NULL", k);

	/* Invalid entries are not inserted. */
	unsigned before = vtlb_count(t);
	uint64_t inserts = vtlb_stats(t)->inserts;
	struct vtlb_entry bad = entry(REGION(4), 64, 1, VTLB_D);
	CHECK(vtlb_insert(t, &bad) == 0, "%s: ps 64 rejected", k);
	bad = entry(REGION(4), 12, 1, VTLB_D);
	bad.side = 2;
	CHECK(vtlb_insert(t, &bad) == 0, "%s: side 2 rejected", k);
	CHECK(vtlb_count(t) == before && vtlb_stats(t)->inserts == inserts,
	      "%s: invalid entries change nothing", k);
	vtlb_destroy(t);
	vtlb_destroy(NULL);
}

static void test_page_sizes(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	struct vtlb_entry e[N_SIZES];
	for (unsigned n = 0; n < N_SIZES; n++) {
		unsigned ps = page_sizes[n];
		/* Each page at the end of the first half of its own 512 MiB
		 * slot: the bytes around it belong to no other page. */
		uint64_t slot = REGION(5) + MIB(512) * (n + 1);
		uint64_t size = UINT64_C(1) << ps;
		e[n] = entry(slot + MIB(256) - size, ps, 3, VTLB_D);
		vtlb_insert(t, &e[n]);
		CHECK(hits(t, e[n].va, 3, VTLB_D, &e[n]), "%s: ps %u first byte", k, ps);
		CHECK(hits(t, e[n].va + size / 2 + 8, 3, VTLB_D, &e[n]), "%s: ps %u middle", k, ps);
		CHECK(hits(t, e[n].va + size - 1, 3, VTLB_D, &e[n]), "%s: ps %u last byte", k, ps);
		CHECK(misses(t, e[n].va - 1, 3, VTLB_D), "%s: ps %u byte before", k, ps);
		CHECK(misses(t, e[n].va + size, 3, VTLB_D), "%s: ps %u byte after", k, ps);
	}
	if (kind == VTLB_HASH) {
		/* All ten coexist: lookups probe each size present. */
		CHECK(vtlb_count(t) == N_SIZES, "hash: %u entries of ten sizes", vtlb_count(t));
		for (unsigned n = 0; n < N_SIZES; n++) {
			uint64_t size = UINT64_C(1) << page_sizes[n];
			CHECK(hits(t, e[n].va + size - 1, 3, VTLB_D, &e[n]),
			      "hash: ps %u still there among all sizes", page_sizes[n]);
		}
	} else {
		CHECK(vtlb_count(t) == 1, "single: only the last D entry remains");
		CHECK(hits(t, e[N_SIZES - 1].va, 3, VTLB_D, &e[N_SIZES - 1]),
		      "single: the last insert");
		CHECK(misses(t, e[0].va, 3, VTLB_D), "single: earlier entries replaced");
	}
	vtlb_destroy(t);
}

static void test_overlap_insert(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	uint64_t base = REGION(0) + MIB(4);
	/* A 4 KiB page, then a 64 KiB page over it: the small one goes. */
	struct vtlb_entry small = entry(base + KIB(8), 12, 2, VTLB_D);
	struct vtlb_entry big = entry(base, 16, 2, VTLB_D);
	vtlb_insert(t, &small);
	CHECK(vtlb_insert(t, &big) == 1, "%s: the 64K insert purges the 4K page in it", k);
	CHECK(hits(t, base + KIB(8), 2, VTLB_D, &big), "%s: the 64K page translates", k);
	CHECK(vtlb_stats(t)->purged == 1 && vtlb_stats(t)->recycles == 0,
	      "%s: overlap counts as purged, not recycled (purged %llu, recycles %llu)", k,
	      (unsigned long long)vtlb_stats(t)->purged,
	      (unsigned long long)vtlb_stats(t)->recycles);
	/* And back: a 4 KiB page inside the 64 KiB one purges it. */
	CHECK(vtlb_insert(t, &small) == 1, "%s: the 4K insert purges the 64K page", k);
	CHECK(misses(t, base + KIB(20), 2, VTLB_D), "%s: rest of the 64K page gone", k);
	CHECK(hits(t, base + KIB(8), 2, VTLB_D, &small), "%s: 4K page translates", k);
	/* Same page, same side and RID: the insert replaces it. */
	struct vtlb_entry again = small;
	again.pte ^= 0x4; /* w */
	CHECK(vtlb_insert(t, &again) == 1, "%s: re-insert replaces", k);
	CHECK(hits(t, small.va, 2, VTLB_D, &again), "%s: the new PTE", k);
	CHECK(vtlb_count(t) == 1, "%s: one entry", k);
	vtlb_destroy(t);

	if (kind != VTLB_HASH)
		return;
	/* Hash: sixteen 4K pages of RID 5 on D, the same on I and for RID 6;
	 * a 64K D insert of RID 5 purges exactly its sixteen. */
	t = make_default(kind);
	if (!t)
		return;
	struct vtlb_entry pages[16];
	for (unsigned n = 0; n < 16; n++) {
		pages[n] = entry(base + KIB(4) * n, 12, 5, VTLB_D);
		struct vtlb_entry ipage = entry(base + KIB(4) * n, 12, 5, VTLB_I);
		struct vtlb_entry other = entry(base + KIB(4) * n, 12, 6, VTLB_D);
		vtlb_insert(t, &pages[n]);
		vtlb_insert(t, &ipage);
		vtlb_insert(t, &other);
	}
	struct vtlb_entry neighbour = entry(base + KIB(64), 12, 5, VTLB_D);
	vtlb_insert(t, &neighbour);
	CHECK(vtlb_count(t) == 49, "hash: 49 entries (%u)", vtlb_count(t));
	struct vtlb_entry big5 = entry(base, 16, 5, VTLB_D);
	CHECK(vtlb_insert(t, &big5) == 16, "hash: 64K insert purges the sixteen 4K pages");
	CHECK(vtlb_count(t) == 34, "hash: 34 entries left (%u)", vtlb_count(t));
	bool ok = true;
	for (unsigned n = 0; n < 16; n++) {
		struct vtlb_entry ipage = entry(base + KIB(4) * n, 12, 5, VTLB_I);
		struct vtlb_entry other = entry(base + KIB(4) * n, 12, 6, VTLB_D);
		ok &= hits(t, base + KIB(4) * n, 5, VTLB_D, &big5);
		ok &= hits(t, base + KIB(4) * n, 5, VTLB_I, &ipage);
		ok &= hits(t, base + KIB(4) * n, 6, VTLB_D, &other);
	}
	CHECK(ok, "hash: the I side and RID 6 untouched, the 64K page translates");
	CHECK(hits(t, neighbour.va, 5, VTLB_D, &neighbour), "hash: the neighbour page stays");
	vtlb_destroy(t);
}

static void test_purge(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	uint64_t base = REGION(7) + MIB(32);
	/* A 16 MiB I page containing base, a 4 KiB D page at base + 8K. */
	struct vtlb_entry huge = entry(REGION(7) + MIB(32), 24, 4, VTLB_I);
	struct vtlb_entry page = entry(base + KIB(8), 12, 4, VTLB_D);
	vtlb_insert(t, &huge);
	vtlb_insert(t, &page);
	CHECK(vtlb_purge(t, base + KIB(8), 12, 5) == 0, "%s: another RID purges nothing", k);
	CHECK(vtlb_purge(t, base + KIB(12), 12, 4) == 1,
	      "%s: a 4K purge next to the page removes only the 16M page containing it", k);
	CHECK(hits(t, page.va, 4, VTLB_D, &page), "%s: the D page stays", k);
	CHECK(misses(t, base, 4, VTLB_I), "%s: the I page went", k);
	vtlb_insert(t, &huge);
	CHECK(vtlb_purge(t, base + KIB(9), 12, 4) == 2,
	      "%s: a purge removes both sides, any size overlapping (unaligned va)", k);
	CHECK(vtlb_count(t) == 0, "%s: empty", k);
	/* A large purge removes small pages inside it. */
	vtlb_insert(t, &page);
	CHECK(vtlb_purge(t, REGION(7), 28, 4) == 1, "%s: 256M purge removes a 4K page in it", k);
	vtlb_insert(t, &page);
	CHECK(vtlb_purge(t, REGION(6), 28, 4) == 0, "%s: a purge in another region", k);
	CHECK(vtlb_purge(t, base + MIB(1), 20, 4) == 0, "%s: a purge of the next 1M", k);
	CHECK(vtlb_count(t) == 1, "%s: still one", k);
	const struct vtlb_stats *s = vtlb_stats(t);
	CHECK(s->purges == 6 && s->purged == 4 && s->recycles == 0,
	      "%s: purges %llu purged %llu recycles %llu", k, (unsigned long long)s->purges,
	      (unsigned long long)s->purged, (unsigned long long)s->recycles);

	/* purge_all empties, counts, and the vTLB works afterwards. */
	struct vtlb_entry other = entry(REGION(2), 14, 1, VTLB_I);
	vtlb_insert(t, &other);
	vtlb_purge_all(t);
	CHECK(vtlb_count(t) == 0, "%s: purge_all empties", k);
	CHECK(misses(t, page.va, 4, VTLB_D) && misses(t, other.va, 1, VTLB_I),
	      "%s: nothing translates after purge_all", k);
	CHECK(s->purges == 7 && s->purged == 6, "%s: purge_all counted (purges %llu purged %llu)",
	      k, (unsigned long long)s->purges, (unsigned long long)s->purged);
	vtlb_insert(t, &page);
	CHECK(hits(t, page.va, 4, VTLB_D, &page), "%s: insert after purge_all", k);
	vtlb_destroy(t);
}

/* A scripted sequence whose statistics are known exactly. */
static void test_stats_exact(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	/* One bucket: the hash's chain is the whole vTLB, so probes are exact. */
	struct vtlb *t = make(kind, 1, 8, 8);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	struct vtlb_entry a = entry(REGION(0) + KIB(4), 12, 1, VTLB_D);
	struct vtlb_entry b = entry(REGION(0) + KIB(8), 12, 1, VTLB_D);
	struct vtlb_entry c = entry(REGION(0) + KIB(4), 12, 1, VTLB_I);
	unsigned p = 0, got = 0;
	got += vtlb_insert(t, &a);
	got += vtlb_insert(t, &b); /* single: a recycled */
	got += vtlb_insert(t, &c);
	vtlb_lookup(t, a.va, 1, VTLB_D, &p); /* hash: hit; single: miss (b replaced a) */
	vtlb_lookup(t, b.va, 1, VTLB_D, &p); /* hit */
	vtlb_lookup(t, c.va, 1, VTLB_I, &p); /* hit */
	vtlb_lookup(t, c.va, 2, VTLB_I, &p); /* miss: another RID */
	unsigned purged = vtlb_purge(t, REGION(0), 16, 1);
	const struct vtlb_stats *s = vtlb_stats(t);
	CHECK(s->inserts == 3 && s->lookups == 4 && s->purges == 1, "%s: counts", k);
	if (kind == VTLB_SINGLE) {
		CHECK(got == 1 && s->recycles == 1, "single: b replaced a (got %u, recycles %llu)",
		      got, (unsigned long long)s->recycles);
		CHECK(s->hits == 2 && s->misses == 2, "single: hits %llu misses %llu",
		      (unsigned long long)s->hits, (unsigned long long)s->misses);
		/* one probe per lookup: each side holds an entry */
		CHECK(s->probes == 4 && p == 4, "single: probes %llu (sum %u)",
		      (unsigned long long)s->probes, p);
		CHECK(purged == 2 && s->purged == 2, "single: purge removed b and c");
	} else {
		CHECK(got == 0 && s->recycles == 0, "hash: no room needed");
		CHECK(s->hits == 3 && s->misses == 1, "hash: hits %llu misses %llu",
		      (unsigned long long)s->hits, (unsigned long long)s->misses);
		/* chain newest first: c b a.  a: c,b,a = 3; b: c,b = 2; c: 1;
		 * miss (RID 2): 3. */
		CHECK(s->probes == 9 && p == 9, "hash: probes %llu (sum %u)",
		      (unsigned long long)s->probes, p);
		CHECK(purged == 3 && s->purged == 3, "hash: purge removed all three");
	}
	CHECK(vtlb_count(t) == 0, "%s: empty", k);
	vtlb_destroy(t);
}

/* The widest entries and purges (vtlb.h): ps up to 63 is inserted; a purge
 * of ps 62 or 63 spans regions, and ps 64 or more (clamped to 64) covers
 * the whole address space.  The VMM never passes such sizes (it validates
 * ps against 4 KiB..256 MiB), but the vTLB's contract is stated for them. */
static void test_wide_ranges(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	struct vtlb_entry top = entry(REGION(4) + MIB(3), 63, 1, VTLB_D);
	CHECK(vtlb_insert(t, &top) == 0 && vtlb_count(t) == 1 && vtlb_stats(t)->inserts == 1,
	      "%s: ps 63 is inserted (count %u)", k, vtlb_count(t));
	top.va = REGION(4);
	CHECK(hits(t, REGION(4) + MIB(1), 1, VTLB_D, &top), "%s: the 2^63 page translates", k);
	vtlb_purge_all(t);

	/* ps 62 from region 0 covers regions 0 and 1 */
	struct vtlb_entry r1 = entry(REGION(1) + MIB(4), 12, 4, VTLB_D);
	vtlb_insert(t, &r1);
	CHECK(vtlb_purge(t, REGION(0) + MIB(8), 62, 4) == 1,
	      "%s: a 2^62 purge in region 0 reaches region 1", k);
	CHECK(misses(t, r1.va, 4, VTLB_D), "%s: the region-1 page is gone", k);
	vtlb_insert(t, &r1);
	CHECK(vtlb_purge(t, REGION(2), 62, 4) == 0, "%s: a 2^62 purge of regions 2-3", k);

	/* ps 64 and above: every region */
	struct vtlb_entry lo = entry(REGION(1) + MIB(4), 12, 4, VTLB_D);
	struct vtlb_entry hi = entry(REGION(6) + MIB(4), 12, 4, VTLB_I);
	vtlb_insert(t, &hi);
	CHECK(vtlb_count(t) == 2, "%s: two entries", k);
	CHECK(vtlb_purge(t, REGION(1), 64, 4) == 2, "%s: a 2^64 purge removes both regions' pages",
	      k);
	vtlb_insert(t, &lo);
	vtlb_insert(t, &hi);
	CHECK(vtlb_purge(t, REGION(6) + 5, 100, 4) == 2, "%s: ps 100 is clamped to 64", k);
	CHECK(vtlb_count(t) == 0, "%s: empty", k);
	vtlb_destroy(t);
}

/* A purge's address is aligned down to its size (docs/platform.md 4.6: "bits
 * 63:12 the virtual address (aligned down to 2^ps)"; vtlb.h: entries of rid
 * overlapping [va, va + 2^ps)): a purge named by an address inside an 8K
 * range takes both 4K pages of it.  Two live entries make the hash purge
 * visit buckets, not its walk of every entry. */
static void test_purge_unaligned(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	struct vtlb_entry lo = entry(MIB(1), 12, 5, VTLB_D),
			  hi = entry(MIB(1) + KIB(4), 12, 5, VTLB_I);
	vtlb_insert(t, &lo);
	vtlb_insert(t, &hi);
	CHECK(vtlb_purge(t, MIB(1) + KIB(6), 13, 5) == 2,
	      "%s: a purge at +6K of 8K aligns down to the 8K range: both pages", k);
	CHECK(misses(t, lo.va, 5, VTLB_D) && misses(t, hi.va, 5, VTLB_I) && vtlb_count(t) == 0,
	      "%s: both gone", k);
	vtlb_destroy(t);
}

/* vtlb_cover_ps (vtlb.h): the largest page of rid on EITHER side that
 * contains the range, or ps; the VMM purges from the machine what it
 * derived from such a page (hv_svtlb_ops.c cover_ps). */
static void test_cover_ps(enum vtlb_kind kind)
{
	const char *k = kind_name(kind);
	struct vtlb *t = make_default(kind);
	if (!t) {
		CHECK(0, "%s: create", k);
		return;
	}
	struct vtlb_entry big = entry(REGION(1) + MIB(2), 16, 3, VTLB_I);
	vtlb_insert(t, &big);
	CHECK(vtlb_cover_ps(t, REGION(1) + MIB(2) + KIB(8), 12, 3) == 16,
	      "%s: a 64K I page covers a 4K range in it: %u", k,
	      vtlb_cover_ps(t, REGION(1) + MIB(2) + KIB(8), 12, 3));
	CHECK(vtlb_cover_ps(t, REGION(1) + MIB(2) + KIB(8), 12, 4) == 12, "%s: not for another RID",
	      k);
	CHECK(vtlb_cover_ps(t, REGION(1) + MIB(2), 20, 3) == 20,
	      "%s: a range larger than the page keeps its size", k);
	struct vtlb_entry d = entry(REGION(1) + MIB(4), 22, 3, VTLB_D);
	vtlb_insert(t, &d);
	CHECK(vtlb_cover_ps(t, REGION(1) + MIB(5), 14, 3) == 22, "%s: a 4M D page: %u", k,
	      vtlb_cover_ps(t, REGION(1) + MIB(5), 14, 3));
	CHECK(vtlb_stats(t)->lookups == 0, "%s: cover_ps counts no lookup", k);
	vtlb_destroy(t);
}

/* ptc.e (purge_all) forgets the page sizes present with the entries: a
 * lookup afterwards probes only the sizes inserted since, and a size
 * inserted and purged again is not probed (the probes are charged:
 * cost.hv_vtlb_probe each).  One bucket: every size probes the one chain. */
static void test_hash_purge_all_sizes(void)
{
	struct vtlb *t = make(VTLB_HASH, 1, 16, 16);
	if (!t) {
		CHECK(0, "hash: create");
		return;
	}
	struct vtlb_entry small = entry(REGION(0) + MIB(1), 12, 1, VTLB_D);
	struct vtlb_entry big = entry(REGION(0) + MIB(16), 24, 1, VTLB_D);
	vtlb_insert(t, &small);
	vtlb_insert(t, &big);
	vtlb_purge_all(t);
	vtlb_insert(t, &small);
	CHECK(probes_of(t, REGION(0) + MIB(64), 1, VTLB_D) == 1,
	      "hash: after purge_all one size, one chain of 1: %u probes",
	      probes_of(t, REGION(0) + MIB(64), 1, VTLB_D));
	vtlb_insert(t, &big);
	CHECK(vtlb_purge(t, big.va, 24, 1) == 1, "hash: the 16M page purged");
	CHECK(probes_of(t, REGION(0) + MIB(64), 1, VTLB_D) == 1,
	      "hash: its size is not probed once purged: %u probes",
	      probes_of(t, REGION(0) + MIB(64), 1, VTLB_D));
	vtlb_destroy(t);
}

/* ------------------------------------------------------------ single */

static void test_single_replacement(void)
{
	struct vtlb *t = make_default(VTLB_SINGLE);
	if (!t) {
		CHECK(0, "single: create");
		return;
	}
	struct vtlb_entry i1 = entry(REGION(1) + MIB(1), 12, 1, VTLB_I);
	struct vtlb_entry d1 = entry(REGION(1) + MIB(2), 12, 1, VTLB_D);
	struct vtlb_entry i2 = entry(REGION(1) + MIB(3), 20, 2, VTLB_I);
	vtlb_insert(t, &i1);
	vtlb_insert(t, &d1);
	CHECK(vtlb_count(t) == 2, "single: one entry per side");
	CHECK(vtlb_insert(t, &i2) == 1, "single: the I insert replaces the I entry");
	CHECK(hits(t, i2.va + 5, 2, VTLB_I, &i2), "single: new I entry");
	CHECK(misses(t, i1.va, 1, VTLB_I), "single: old I entry gone");
	CHECK(hits(t, d1.va, 1, VTLB_D, &d1), "single: the D entry untouched");
	CHECK(vtlb_stats(t)->recycles == 1 && vtlb_stats(t)->purged == 0,
	      "single: a non-overlapping replacement is a recycle");
	CHECK(probes_of(t, d1.va, 1, VTLB_D) == 1, "single: one probe");
	/* The same page under another RID does not overlap (4.6 is per RID):
	 * replacing it is a recycle too, not a purge. */
	struct vtlb_entry d2 = entry(d1.va, 12, 9, VTLB_D);
	CHECK(vtlb_insert(t, &d2) == 1 && vtlb_stats(t)->recycles == 2 &&
		      vtlb_stats(t)->purged == 0,
	      "single: another RID's entry of the same page is recycled (recycles %llu, purged %llu)",
	      (unsigned long long)vtlb_stats(t)->recycles,
	      (unsigned long long)vtlb_stats(t)->purged);
	vtlb_purge_all(t);
	CHECK(probes_of(t, d1.va, 1, VTLB_D) == 0, "single: no probe when the side is empty");
	vtlb_destroy(t);
}

/* ------------------------------------------------------------ hash */

static void test_hash_chains(void)
{
	/* One bucket, chain_max 4: four entries of four RIDs at one address. */
	struct vtlb *t = make(VTLB_HASH, 1, 16, 4);
	if (!t) {
		CHECK(0, "hash: create");
		return;
	}
	struct vtlb_entry e[5];
	for (unsigned n = 0; n < 5; n++)
		e[n] = entry(REGION(2) + MIB(8), 12, 10 + n, VTLB_D);
	for (unsigned n = 0; n < 4; n++)
		CHECK(vtlb_insert(t, &e[n]) == 0, "hash: chain entry %u", n);
	bool ok = true;
	for (unsigned n = 0; n < 4; n++) {
		unsigned probes = 0;
		const struct vtlb_entry *g = vtlb_lookup(t, e[n].va, e[n].rid, VTLB_D, &probes);
		ok &= g && same_entry(g, &e[n]) && probes == 4 - n;
	}
	CHECK(ok, "hash: colliding entries all hit, newest first in the chain");
	CHECK(probes_of(t, e[0].va, 99, VTLB_D) == 4, "hash: a miss walks the whole chain");
	CHECK(probes_of(t, e[0].va, 10, VTLB_I) == 0, "hash: no I entries: no probe");
	CHECK(probes_of(t, e[0].va ^ REGION(2) ^ REGION(3), 10, VTLB_D) == 0,
	      "hash: no entries in region 3: no probe");

	/* chain_max: the fifth entry recycles the oldest (e[0]). */
	CHECK(vtlb_insert(t, &e[4]) == 1, "hash: full chain recycles one");
	CHECK(misses(t, e[0].va, e[0].rid, VTLB_D), "hash: the oldest was recycled");
	ok = true;
	for (unsigned n = 1; n < 5; n++)
		ok &= hits(t, e[n].va, e[n].rid, VTLB_D, &e[n]);
	CHECK(ok, "hash: the four newest remain");
	CHECK(vtlb_stats(t)->recycles == 1 && vtlb_count(t) == 4, "hash: recycles %llu count %u",
	      (unsigned long long)vtlb_stats(t)->recycles, vtlb_count(t));

	/* Page-size masks: a 64K page makes misses probe the chain twice; once
	 * it is purged, once again. */
	struct vtlb_entry big = entry(REGION(2) + MIB(16), 16, 10, VTLB_D);
	vtlb_purge_all(t);
	vtlb_insert(t, &e[1]);
	vtlb_insert(t, &big);
	CHECK(probes_of(t, REGION(2) + MIB(64), 10, VTLB_D) == 4,
	      "hash: two sizes present, one bucket: 2 x 2 probes");
	CHECK(vtlb_purge(t, big.va, 16, 10) == 1, "hash: purge the 64K page");
	CHECK(probes_of(t, REGION(2) + MIB(64), 10, VTLB_D) == 1,
	      "hash: its size no longer probed once purged");
	vtlb_destroy(t);
}

static void test_hash_pool_exhaustion(void)
{
	/* One bucket, pool 3 < chain_max 8: the 4th insert finds the pool empty
	 * and recycles the whole chain. */
	struct vtlb *t = make(VTLB_HASH, 1, 3, 8);
	if (!t) {
		CHECK(0, "hash: create");
		return;
	}
	struct vtlb_entry e[4];
	for (unsigned n = 0; n < 4; n++)
		e[n] = entry(REGION(0) + MIB(1) * n, 12, 1, VTLB_D);
	for (unsigned n = 0; n < 3; n++)
		vtlb_insert(t, &e[n]);
	CHECK(vtlb_insert(t, &e[3]) == 3, "hash: empty pool recycles the whole chain of 3");
	CHECK(vtlb_count(t) == 1 && hits(t, e[3].va, 1, VTLB_D, &e[3]),
	      "hash: only the new entry remains");
	CHECK(vtlb_stats(t)->recycles == 3, "hash: 3 recycled");
	vtlb_destroy(t);

	/* Many buckets, pool 4: the 5th insert recycles the chain holding the
	 * oldest entry - the oldest goes, the new one is there, and the
	 * entries outside that chain stay. */
	t = make(VTLB_HASH, 64, 4, 4);
	if (!t)
		return;
	struct vtlb_entry f[5];
	for (unsigned n = 0; n < 5; n++)
		f[n] = entry(REGION(4) + MIB(2) * n, 12, 3, VTLB_D);
	for (unsigned n = 0; n < 4; n++)
		vtlb_insert(t, &f[n]);
	unsigned r = vtlb_insert(t, &f[4]);
	CHECK(r >= 1 && r <= 4, "hash: pool exhaustion recycles a chain (%u)", r);
	CHECK(misses(t, f[0].va, 3, VTLB_D), "hash: the oldest entry's chain went");
	CHECK(hits(t, f[4].va, 3, VTLB_D, &f[4]), "hash: the new entry is in");
	CHECK(vtlb_count(t) == 5 - r && vtlb_stats(t)->recycles == r,
	      "hash: count %u after recycling %u", vtlb_count(t), r);
	unsigned left = 0;
	for (unsigned n = 1; n < 4; n++)
		left += hits(t, f[n].va, 3, VTLB_D, &f[n]);
	CHECK(left == 4 - r, "hash: the other chains stay (%u of %u)", left, 4 - r);
	/* The pool stays consistent: fill and refill. */
	for (unsigned round = 0; round < 50; round++) {
		struct vtlb_entry g =
			entry(REGION(4) + MIB(2) * (round % 9), 12, 3 + round % 3, VTLB_D);
		vtlb_insert(t, &g);
		CHECK(hits(t, g.va, g.rid, VTLB_D, &g) && vtlb_count(t) <= 4,
		      "hash: round %u count %u", round, vtlb_count(t));
	}
	vtlb_destroy(t);
}

/* Same offset in 8 regions for 64 RIDs: a hash that spreads regions and
 * RIDs puts them in different buckets (512 keys in 4096 buckets: a chain of
 * 5, needed to recycle, is vanishingly unlikely; the mean position of an
 * entry in its chain is about 1 + 512 / 4096 / 2). */
static void test_hash_spread(void)
{
	struct vtlb *t = make_default(VTLB_HASH);
	if (!t) {
		CHECK(0, "hash: create");
		return;
	}
	for (unsigned r = 0; r < 8; r++)
		for (uint32_t rid = 0; rid < 64; rid++) {
			struct vtlb_entry e = entry(REGION(r) + MIB(64), 12, rid, VTLB_D);
			vtlb_insert(t, &e);
		}
	CHECK(vtlb_count(t) == 512 && vtlb_stats(t)->recycles == 0,
	      "hash: 512 entries, no recycling (count %u, recycles %llu)", vtlb_count(t),
	      (unsigned long long)vtlb_stats(t)->recycles);
	unsigned probes = 0, hit = 0;
	for (unsigned r = 0; r < 8; r++)
		for (uint32_t rid = 0; rid < 64; rid++)
			hit += vtlb_lookup(t, REGION(r) + MIB(64), rid, VTLB_D, &probes) != NULL;
	CHECK(hit == 512, "hash: all hit");
	CHECK(probes < 512 * 5 / 4, "hash: %u probes for 512 hits", probes);
	vtlb_destroy(t);
}

/* ------------------------------------------------------------ differential */

#define REF_MAX 4096

struct ref {
	struct vtlb_entry e[REF_MAX];
	unsigned n;
};

static bool overlaps(const struct vtlb_entry *e, uint64_t va, unsigned ps)
{
	unsigned big = e->ps > ps ? e->ps : ps;
	return (e->va >> big) == (va >> big);
}

static void ref_remove_if(struct ref *r, uint64_t va, unsigned ps, uint32_t rid, int side)
{
	unsigned j = 0;
	for (unsigned n = 0; n < r->n; n++) {
		const struct vtlb_entry *e = &r->e[n];
		bool gone = e->rid == rid && (side < 0 || e->side == side) && overlaps(e, va, ps);
		if (!gone)
			r->e[j++] = *e;
	}
	r->n = j;
}

static const struct vtlb_entry *ref_lookup(const struct ref *r, uint64_t va, uint32_t rid,
					   unsigned side)
{
	for (unsigned n = 0; n < r->n; n++) {
		const struct vtlb_entry *e = &r->e[n];
		if (e->rid == rid && e->side == side && (e->va >> e->ps) == (va >> e->ps))
			return e;
	}
	return NULL;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* An address in a small window of one of three regions, so that pages of
 * every size overlap often. */
static uint64_t random_va(void)
{
	static const unsigned regions[] = { 0, 5, 7 };
	return REGION(regions[rnd() % 3]) + MIB(256) * (rnd() % 2) + (rnd() % MIB(512));
}

static unsigned random_ps(void)
{
	/* Mostly small pages, as a guest's TC holds. */
	unsigned x = (unsigned)(rnd() % 16);
	return x < 7 ? 12 : page_sizes[x - 6];
}

struct diff_result {
	unsigned checks, bad_hits, missing, ops;
};

/* One random operation on both (insert_permille of inserts, 4 per mille of
 * purge_all, purges otherwise); then lookups at random and at reference
 * entries.  exact: the vTLB never recycles, so it must equal the reference. */
static void diff_step(struct vtlb *t, struct ref *r, bool exact, unsigned insert_permille,
		      struct diff_result *res, uint64_t *sum_dropped)
{
	unsigned op = (unsigned)(rnd() % 1000);
	uint32_t rid = 1 + (uint32_t)(rnd() % 3);
	if (op < insert_permille) {
		unsigned ps = random_ps();
		struct vtlb_entry e = entry(random_va() & ~((UINT64_C(1) << ps) - 1), ps, rid,
					    rnd() % 2 ? VTLB_D : VTLB_I);
		e.pte ^= rnd() & 0x1E;
		ref_remove_if(r, e.va, ps, rid, e.side);
		if (r->n < REF_MAX)
			r->e[r->n++] = e;
		*sum_dropped += vtlb_insert(t, &e);
	} else if (op < 996) {
		unsigned ps = random_ps();
		uint64_t va = random_va();
		ref_remove_if(r, va & ~((UINT64_C(1) << ps) - 1), ps, rid, -1);
		*sum_dropped += vtlb_purge(t, va, ps, rid);
	} else {
		r->n = 0;
		unsigned before = vtlb_count(t);
		vtlb_purge_all(t);
		*sum_dropped += before;
	}
	res->ops++;
	for (unsigned q = 0; q < 8; q++) {
		uint64_t va;
		uint32_t qrid = 1 + (uint32_t)(rnd() % 3);
		unsigned side = (unsigned)(rnd() % 2);
		if (q % 2 && r->n) {
			const struct vtlb_entry *re = &r->e[rnd() % r->n];
			va = re->va + (rnd() & ((UINT64_C(1) << re->ps) - 1));
			qrid = re->rid;
			side = re->side;
		} else {
			va = random_va();
		}
		unsigned probes = 0;
		const struct vtlb_entry *got = vtlb_lookup(t, va, qrid, side, &probes);
		const struct vtlb_entry *want = ref_lookup(r, va, qrid, side);
		res->checks++;
		if (got && !(want && same_entry(got, want)))
			res->bad_hits++;
		if (exact && want && !got)
			res->missing++;
	}
}

/* exact: no recycling can happen, the vTLB must equal the reference;
 * recycling: the configuration is small enough that it must recycle. */
static void test_differential(enum vtlb_kind kind, unsigned buckets, unsigned pool,
			      unsigned chain_max, bool exact, bool recycling,
			      unsigned insert_permille, unsigned ops)
{
	char name[64];
	snprintf(name, sizeof(name), "%s %u/%u/%u", kind_name(kind), buckets, pool, chain_max);
	struct vtlb *t = make(kind, buckets, pool, chain_max);
	static struct ref r;
	r.n = 0;
	if (!t) {
		CHECK(0, "%s: create", name);
		return;
	}
	struct diff_result res = { 0 };
	uint64_t dropped = 0;
	bool count_ok = true, overflow = false;
	unsigned most = 0;
	for (unsigned n = 0; n < ops; n++) {
		diff_step(t, &r, exact, insert_permille, &res, &dropped);
		count_ok &= exact ? vtlb_count(t) == r.n : vtlb_count(t) <= r.n;
		overflow |= r.n >= REF_MAX;
		most = r.n > most ? r.n : most;
	}
	const struct vtlb_stats *s = vtlb_stats(t);
	printf("differential %s: %u ops, %u lookups (%llu hits), up to %u live, %llu recycled\n",
	       name, res.ops, res.checks, (unsigned long long)s->hits, most,
	       (unsigned long long)s->recycles);
	CHECK(!overflow, "%s: reference model large enough (%u live at most)", name, most);
	CHECK(res.bad_hits == 0, "%s: %u of %u lookups hit an entry the reference lacks", name,
	      res.bad_hits, res.checks);
	CHECK(res.missing == 0, "%s: %u of %u lookups missed a live entry", name, res.missing,
	      res.checks);
	CHECK(count_ok, "%s: entry count %s the reference's", name, exact ? "equals" : "within");
	CHECK(s->lookups == res.checks && s->hits + s->misses == s->lookups,
	      "%s: lookups %llu hits %llu misses %llu", name, (unsigned long long)s->lookups,
	      (unsigned long long)s->hits, (unsigned long long)s->misses);
	CHECK(s->purged + s->recycles == dropped, "%s: purged + recycles = dropped (%llu)", name,
	      (unsigned long long)dropped);
	CHECK(s->inserts - s->purged - s->recycles == vtlb_count(t),
	      "%s: inserts - dropped = count (%u)", name, vtlb_count(t));
	CHECK(!exact || s->recycles == 0, "%s: no recycling expected", name);
	CHECK(!recycling || s->recycles > 0, "%s: recycling exercised (%llu)", name,
	      (unsigned long long)s->recycles);
	CHECK(s->probes >= s->hits, "%s: probes %llu >= hits", name, (unsigned long long)s->probes);
	vtlb_destroy(t);
}

/* ------------------------------------------------------------ params */

static void test_params(void)
{
	struct vtlb_params p;
	vtlb_params_default(&p, VTLB_HASH);
	CHECK(p.kind == VTLB_HASH && p.buckets == 4096 && p.pool == 4096 && p.chain_max == 4,
	      "defaults: %u buckets, pool %u, chain %u", p.buckets, p.pool, p.chain_max);
	vtlb_params_default(&p, VTLB_SINGLE);
	CHECK(p.kind == VTLB_SINGLE, "single defaults");

	static const struct {
		unsigned buckets, pool, chain_max;
		bool ok;
	} cases[] = {
		{ 4096, 4096, 4, true },
		{ 1, 1, 1, true },
		{ 1u << 24, 16, 255, true },
		{ 0, 16, 4, false },
		{ 3, 16, 4, false },
		{ 1000, 16, 4, false },
		{ 1u << 25, 16, 4, false },
		{ 16, 0, 4, false },
		{ 16, (1u << 24) + 1, 4, false },
		{ 16, 16, 0, false },
		{ 16, 16, 256, false },
	};
	for (unsigned n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct vtlb *t =
			make(VTLB_HASH, cases[n].buckets, cases[n].pool, cases[n].chain_max);
		CHECK((t != NULL) == cases[n].ok, "hash %u/%u/%u %s", cases[n].buckets,
		      cases[n].pool, cases[n].chain_max, cases[n].ok ? "accepted" : "rejected");
		vtlb_destroy(t);
	}
	/* single ignores the hash fields */
	struct vtlb *t = make(VTLB_SINGLE, 0, 0, 0);
	CHECK(t != NULL, "single accepts any hash fields");
	vtlb_destroy(t);
	vtlb_params_default(&p, VTLB_HASH);
	p.kind = (enum vtlb_kind)2;
	CHECK(vtlb_create(&p) == NULL, "unknown kind rejected");
	CHECK(vtlb_create(NULL) == NULL, "NULL params rejected");
}

int main(void)
{
	static const enum vtlb_kind kinds[] = { VTLB_SINGLE, VTLB_HASH };
	for (unsigned n = 0; n < 2; n++) {
		test_hit_miss(kinds[n]);
		test_page_sizes(kinds[n]);
		test_overlap_insert(kinds[n]);
		test_purge(kinds[n]);
		test_stats_exact(kinds[n]);
		test_wide_ranges(kinds[n]);
		test_purge_unaligned(kinds[n]);
		test_cover_ps(kinds[n]);
	}
	test_single_replacement();
	test_hash_chains();
	test_hash_pool_exhaustion();
	test_hash_purge_all_sizes();
	test_hash_spread();
	test_params();
	/* No recycling possible: chains as long as the pool, pool as large as
	 * the reference can grow: the vTLB must hold exactly the reference. */
	test_differential(VTLB_HASH, 256, REF_MAX, 255, true, false, 700, 20000);
	test_differential(VTLB_HASH, 256, REF_MAX, 255, true, false, 950, 20000);
	/* The default geometry under a growing TC. */
	test_differential(VTLB_HASH, 4096, 4096, 4, false, false, 950, 20000);
	/* Heavy recycling: by chain length (one bucket, chains of 32 or 3 in
	 * 16 buckets) and by pool exhaustion (pool 8 over 64 buckets). */
	test_differential(VTLB_HASH, 1, REF_MAX, 32, false, true, 700, 5000);
	test_differential(VTLB_HASH, 16, 24, 3, false, true, 700, 20000);
	test_differential(VTLB_HASH, 64, 8, 4, false, true, 700, 20000);
	test_differential(VTLB_HASH, 512, 256, 8, false, true, 950, 20000);
	test_differential(VTLB_SINGLE, 0, 0, 0, false, true, 700, 20000);
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
