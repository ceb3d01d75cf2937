/*
 * ktest-smp.c - SMP stress with TLB shootdowns.
 *
 * Shootdown check: reader threads (one per vCPU but the writer's) keep reading NP pages at
 * a fixed address R, so their vCPUs hold TLB entries for them.  The
 * writer (main thread) repeatedly, with the readers held off by a spin
 * rwlock (spinning, not sleeping, so the readers stay on their vCPUs with
 * their TLB entries): writes POISON into the old pages, munmaps R, maps
 * R again (MAP_FIXED, fresh zero pages), writes generation g into them and
 * publishes g, then waits until every reader has checked g.  A reader must then see g in every page: a vCPU whose
 * translation for R was not shot down still reaches the old physical
 * page, which holds POISON (the writer takes the freed pages for a
 * scratch mapping it fills with POISON, so that the allocator does not
 * hand them back to R, which would hide the stale entry).
 *
 * Concurrent map churn: every vCPU maps, fills, checks and unmaps its own
 * pages in a loop while the others do the same (page-table updates on
 * several vCPUs at once).
 */
#include "ktest.h"

#define PG 4096ul
#define NP 4
#define WRITER_ROUNDS 400
#define POISON 0xdeaddeaddeaddeadull

static volatile uint64_t *region;
static volatile uint64_t published_gen;
static volatile int writer_flag, readers_in, done;
static volatile int mismatches;
static volatile uint64_t first_expected, first_got;
static volatile uint64_t reader_gen[8]; /* last generation each reader checked */

/* On one vCPU (more threads than vCPUs) spinning threads yield, so that
 * the one they wait for runs without waiting for a timer tick.  Otherwise
 * they never enter the kernel: kernel code and data would evict the
 * readers' TLB entries for R, and only entries that stay can go stale. */
static int oversubscribed;

static void pause_briefly(int *spins)
{
	if (oversubscribed && ++*spins % 8 == 0)
		sched_yield();
}

static void read_lock(void)
{
	int spins = 0;
	for (;;) {
		while (__atomic_load_n(&writer_flag, __ATOMIC_SEQ_CST))
			pause_briefly(&spins);
		__atomic_fetch_add(&readers_in, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&writer_flag, __ATOMIC_SEQ_CST))
			return;
		__atomic_fetch_sub(&readers_in, 1, __ATOMIC_SEQ_CST);
	}
}

static void read_unlock(void)
{
	__atomic_fetch_sub(&readers_in, 1, __ATOMIC_SEQ_CST);
}

static void write_lock(void)
{
	int spins = 0;
	__atomic_store_n(&writer_flag, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&readers_in, __ATOMIC_SEQ_CST))
		pause_briefly(&spins);
}

static void write_unlock(void)
{
	__atomic_store_n(&writer_flag, 0, __ATOMIC_SEQ_CST);
}

static void *reader(void *arg)
{
	uint64_t reads = 0;
	int id = (int)(uintptr_t)arg;
	while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST)) {
		read_lock();
		uint64_t g = published_gen;
		for (int rep = 0; rep < 4; rep++) {
			for (int p = 0; p < NP; p++) {
				uint64_t v = region[p * (PG / 8) + (uint64_t)rep];
				reads++;
				if (v != g &&
				    __atomic_fetch_add(&mismatches, 1, __ATOMIC_SEQ_CST) == 0) {
					first_expected = g;
					first_got = v;
				}
			}
		}
		read_unlock();
		if (g != reader_gen[id]) {
			__atomic_store_n(&reader_gen[id], g, __ATOMIC_SEQ_CST);
			if (oversubscribed)
				sched_yield(); /* once per generation: the writer runs */
		}
	}
	return (void *)(uintptr_t)reads;
}

static void fill_region(uint64_t v)
{
	for (int p = 0; p < NP; p++)
		for (int w = 0; w < 4; w++)
			region[p * (PG / 8) + (uint64_t)w] = v;
}

static int map_region(void)
{
	void *m = mmap((void *)region, NP * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return m == (void *)region;
}

/* The kernel's page allocator may hand the pages munmap just freed to the
 * next mapping of R, which would hide a stale translation.  So the writer
 * first maps and touches SCRATCH pages (filled with POISON) to take the
 * freed pages; each scratch mapping lives two rounds. */
#define SCRATCH 16
static uint64_t *scratch[2];

static int take_freed_pages(uint64_t g)
{
	uint64_t **slot = &scratch[g & 1];
	if (*slot)
		munmap(*slot, SCRATCH * PG);
	*slot = mmap(NULL, SCRATCH * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		     0);
	if (*slot == MAP_FAILED) {
		*slot = NULL;
		return 0;
	}
	for (size_t w = 0; w < SCRATCH * PG / 8; w++)
		(*slot)[w] = POISON;
	return 1;
}

static void test_shootdown(int nreaders)
{
	void *m = mmap(NULL, NP * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(m != MAP_FAILED, "mmap");
	if (m == MAP_FAILED)
		return;
	region = m;
	published_gen = 1;
	fill_region(1);
	vt_thread_t t[8];
	int created = 0;
	for (int i = 0; i < nreaders; i++)
		created += vt_thread_create(&t[i], reader, (void *)(uintptr_t)i) == 0;
	KT_EQ(created, nreaders);
	int map_failures = 0;
	for (uint64_t g = 2; g < 2 + WRITER_ROUNDS; g++) {
		write_lock();
		fill_region(POISON);
		map_failures += munmap((void *)region, NP * PG) != 0;
		map_failures += !take_freed_pages(g);
		map_failures += !map_region();
		fill_region(g);
		published_gen = g;
		write_unlock();
		/* Every reader checks generation g (and so caches R again) first. */
		for (int i = 0, spins = 0; i < created; i++)
			while (__atomic_load_n(&reader_gen[i], __ATOMIC_SEQ_CST) < g)
				pause_briefly(&spins);
	}
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	uint64_t reads = 0;
	for (int i = 0; i < created; i++) {
		void *r = NULL;
		vt_thread_join(t[i], &r);
		reads += (uintptr_t)r;
	}
	KT_EQ(map_failures, 0);
	KT_CHECK(reads > 0, "the readers read nothing");
	KT_CHECK(mismatches == 0,
		 "%d stale reads after munmap+mmap: expected generation %llu, got 0x%llx "
		 "(a vCPU kept a translation the shootdown should have removed)",
		 mismatches, (unsigned long long)first_expected, (unsigned long long)first_got);
	munmap((void *)region, NP * PG);
}

static void *churn(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	for (int i = 0; i < 150; i++) {
		size_t len = (size_t)(1 + (i + id) % 8) * PG;
		uint64_t *p =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			bad++;
			continue;
		}
		for (size_t o = 0; o < len / 8; o += 512)
			p[o] = (uint64_t)id << 32 | (uint64_t)i;
		for (size_t o = 0; o < len / 8; o += 512)
			bad += p[o] != ((uint64_t)id << 32 | (uint64_t)i);
		bad += munmap(p, len) != 0;
	}
	return (void *)(uintptr_t)bad;
}

static void test_churn(int n)
{
	vt_thread_t t[8];
	for (int i = 0; i < n; i++)
		KT_EQ(vt_thread_create(&t[i], churn, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < n; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
}

int main(void)
{
	int n = vt_nprocs();
	if (n > 8)
		n = 8;
	oversubscribed = n == 1;
	test_shootdown(n > 1 ? n - 1 : 1);
	test_churn(n);
	return kt_finish("ktest-smp");
}
