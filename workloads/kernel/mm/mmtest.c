/*
 * mmtest.c - mm's self-tests, run with the boot option `mmtest=1`: every
 * CPU calls mm_selftest() after mm_init_cpu() (interrupts off, trap vector
 * installed); CPU 0 runs the tests and sends work to the others through a
 * mailbox; then it prints "mmtest: N passed, M failed" and powers off (SBI
 * system reset: exit code 0 only when nothing failed).
 *
 * User memory is touched from S-mode with sstatus.SUM = 1, so translations,
 * misses and faults are real (core's trap path calls mm_fault).  A stale
 * translation is detected by content: frames freed by munmap/COW are taken
 * back and filled with a poison value before the address is reused, so a
 * CPU reading through a stale entry sees the poison instead of the data.
 */
#include "svtlb_hw.h"

#define SSTATUS_SUM (1ull << 18)
#define POISON 0xdeaddeaddeaddeadull
#define LAB_ID_PA 0x10003000ull
#define LAB_ID 0x62616C76ull
#define RW (VTLAB_PROT_READ | VTLAB_PROT_WRITE)

static int passed, failed;
static volatile unsigned arrived;

struct mailbox {
	void (*volatile fn)(uint64_t);
	volatile uint64_t arg;
	volatile uint64_t result;
	volatile int busy;
};
static struct mailbox box[MAXCPU];

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			kprintf("mmtest: FAIL %s:%d: ", __FILE__, __LINE__);                       \
			kprintf(__VA_ARGS__);                                                      \
			kprintf("\n");                                                             \
		}                                                                                  \
	} while (0)

static uint64_t uread(uint64_t va)
{
	csr_set(sstatus, SSTATUS_SUM);
	return *(volatile uint64_t *)va;
}

static void uwrite(uint64_t va, uint64_t v)
{
	csr_set(sstatus, SSTATUS_SUM);
	*(volatile uint64_t *)va = v;
}

/* Runs fn(arg) on cpu and returns its result. */
static uint64_t result_slot;
static uint64_t run_on(unsigned cpu, void (*fn)(uint64_t), uint64_t arg)
{
	if (cpu == mm_this_cpu()->id) {
		fn(arg);
		return result_slot;
	}
	struct mailbox *b = &box[cpu];
	b->arg = arg;
	b->busy = 1;
	__atomic_store_n(&b->fn, fn, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&b->busy, __ATOMIC_SEQ_CST))
		;
	return b->result;
}

static _Noreturn void serve(unsigned me)
{
	struct mailbox *b = &box[me];
	for (;;) {
		void (*fn)(uint64_t) = __atomic_load_n(&b->fn, __ATOMIC_SEQ_CST);
		if (!fn)
			continue;
		b->fn = NULL;
		fn(b->arg);
		b->result = result_slot;
		__atomic_store_n(&b->busy, 0, __ATOMIC_SEQ_CST);
	}
}

/* ---- work items (run on any CPU; result in result_slot, per-CPU safe
 * because the master waits for each item) ---- */
struct uop {
	struct aspace *as;
	uint64_t va, val;
};
static struct uop op;

static void w_activate_read(uint64_t unused)
{
	(void)unused;
	as_activate(op.as);
	result_slot = uread(op.va);
}

static void w_activate_write(uint64_t unused)
{
	(void)unused;
	as_activate(op.as);
	uwrite(op.va, op.val);
	result_slot = 0;
}

/* A read on a CPU that keeps the space it has, as a thread that runs on
 * without a switch does: no as_activate, so no new tag. */
static void w_read(uint64_t va)
{
	result_slot = uread(va);
}

static uint64_t on_read(unsigned cpu, struct aspace *as, uint64_t va)
{
	op = (struct uop){ as, va, 0 };
	return run_on(cpu, w_activate_read, 0);
}

static void on_write(unsigned cpu, struct aspace *as, uint64_t va, uint64_t val)
{
	op = (struct uop){ as, va, val };
	run_on(cpu, w_activate_write, 0);
}

/* Calls mm_fault as a kernel access of kind acc would, without touching. */
static int fault_as(enum mm_access acc, uint64_t va)
{
	csr_set(sstatus, SSTATUS_SUM);
	if (!mm_svtlb)
		return mm_fault(acc == ACC_STORE ? 15 : acc == ACC_LOAD ? 13 : 12, va, 0, false);
	csr_write(0x5cc, acc == ACC_STORE ? 2 : acc == ACC_LOAD ? 4 : 1); /* isr */
	return mm_fault(25, va, 0, false);
}

static unsigned other_cpu(unsigned n)
{
	return ncpus() > n ? n : ncpus() - 1;
}

/* ---- tests ---- */

static void test_pages(void)
{
	enum { N = 100 };
	uint64_t **p = kmalloc(N * sizeof *p);
	CHECK(p != NULL, "kmalloc of %d pointers", N);
	uint64_t free0 = mm_free_pages();
	bool zero = true, distinct = true;
	for (int i = 0; i < N; i++) {
		p[i] = page_alloc();
		for (int w = 0; p[i] && w < 512; w++)
			zero &= p[i][w] == 0;
		for (int j = 0; p[i] && j < i; j++)
			distinct &= p[i] != p[j];
		if (p[i])
			memset(p[i], 0xa5, PAGE_SIZE);
	}
	CHECK(zero && distinct, "pages zeroed (%d) and distinct (%d)", zero, distinct);
	CHECK(mm_free_pages() == free0 - N, "free count after %d allocations", N);
	page_ref_inc(V2P(p[0]));
	page_free(p[0]);
	CHECK(page_ref_get(V2P(p[0])) == 1, "shared page survives one free");
	for (int i = 0; i < N; i++)
		page_free(p[i]);
	CHECK(mm_free_pages() == free0, "free count restored (%llu vs %llu)",
	      (unsigned long long)mm_free_pages(), (unsigned long long)free0);
	kfree(p);
}

static void test_kmalloc(void)
{
	static const size_t sizes[] = { 1, 8, 16, 24, 100, 512, 1000, 2048, 3000, 4096 };
	uint8_t *p[10];
	bool ok = true;
	for (int i = 0; i < 10; i++) {
		p[i] = kmalloc(sizes[i]);
		ok &= p[i] != NULL && ((uint64_t)p[i] & 7) == 0;
		if (p[i])
			memset(p[i], i + 1, sizes[i]);
	}
	for (int i = 0; i < 10; i++)
		for (size_t k = 0; p[i] && k < sizes[i]; k++)
			ok &= p[i][k] == i + 1;
	CHECK(ok, "kmalloc objects aligned and not overlapping");
	for (int i = 0; i < 10; i++)
		kfree(p[i]);
	void *a = kmalloc(40);
	kfree(a);
	CHECK(kmalloc(33) == a, "kfree'd object is reused");
	kfree(a);
	CHECK(kmalloc(8192) == NULL, "kmalloc above a page fails");
}

static void test_demand_paging(void)
{
	struct aspace *as = as_create();
	CHECK(as != NULL, "as_create");
	int64_t va = as_map_anon(as, 0, 16 * PAGE_SIZE, RW, false);
	CHECK(va >= (int64_t)USER_BASE && va < (int64_t)USER_TOP && !(va & 0xfff),
	      "mmap address 0x%llx", (long long)va);
	uint64_t free0 = mm_free_pages();
	for (int i = 0; i < 16; i++)
		on_write(0, as, va + i * PAGE_SIZE + 8, 1000 + i);
	CHECK(free0 - mm_free_pages() >= 16, "16 pages faulted in (%llu used)",
	      (unsigned long long)(free0 - mm_free_pages()));
	bool ok = true;
	for (int i = 0; i < 16; i++) {
		uint64_t v = 0;
		as_read(as, va + i * PAGE_SIZE + 8, &v, 8);
		ok &= v == (uint64_t)(1000 + i) && uread(va + i * PAGE_SIZE + 8) == v;
	}
	CHECK(ok, "demand-zero pages keep their values");
	CHECK(uread(va + 15 * PAGE_SIZE + 64) == 0, "untouched words read zero");
	int64_t ro = as_map_anon(as, 0, PAGE_SIZE, VTLAB_PROT_READ, false);
	CHECK(ro > 0 && ro != va, "second mmap at a new address");
	CHECK(uread(ro) == 0, "read-only page reads zero");
	CHECK(fault_as(ACC_STORE, ro) == VTLAB_SIGSEGV, "store to a read-only page: SIGSEGV");
	CHECK(fault_as(ACC_LOAD, 0x2000000000ull) == VTLAB_SIGSEGV, "load from no VMA: SIGSEGV");
	CHECK(fault_as(ACC_FETCH, va) == VTLAB_SIGSEGV, "kernel fetch of a user page: SIGSEGV");
	uint8_t buf[300], back[300];
	for (int i = 0; i < 300; i++)
		buf[i] = (uint8_t)(i * 7);
	CHECK(as_write(as, va + PAGE_SIZE - 100, buf, 300) == 0, "as_write across pages");
	CHECK(as_read(as, va + PAGE_SIZE - 100, back, 300) == 0 && memcmp(buf, back, 300) == 0,
	      "as_read returns what as_write wrote");
	CHECK(as_write(as, 0x2000000000ull, buf, 8) == -VTLAB_EFAULT, "as_write outside VMAs");
	CHECK(uread(USER_STACK_TOP - 8) == 0, "stack VMA is demand-zero");
	as_set_brk_base(as, 0x100000);
	CHECK(as_brk(as, 0) == 0x100000, "brk query");
	CHECK(as_brk(as, 0x100000 + 3 * PAGE_SIZE + 5) == 0x100000 + 3 * PAGE_SIZE + 5, "brk grow");
	on_write(0, as, 0x100000 + 3 * PAGE_SIZE, 77);
	CHECK(uread(0x100000 + 3 * PAGE_SIZE) == 77, "heap page usable");
	CHECK(as_brk(as, 0x100000) == 0x100000, "brk shrink");
	CHECK(fault_as(ACC_LOAD, 0x100000 + 3 * PAGE_SIZE) == VTLAB_SIGSEGV,
	      "released heap: SIGSEGV");
	as_destroy(as); /* still current here: freed when the CPU switches */
}

static void test_cow(struct aspace *scratch)
{
	unsigned b = other_cpu(1);
	struct aspace *a = as_create();
	int64_t va = as_map_anon(a, 0, 2 * PAGE_SIZE, RW, false);
	on_write(b, a, va, 111);           /* B caches a writable translation */
	on_write(b, a, va + PAGE_SIZE, 5); /* a second page, written by nobody after fork */
	struct aspace *c = as_fork(a);
	CHECK(c != NULL, "as_fork");
	on_write(b, a, va, 222); /* must fault (COW), not write the shared frame */
	CHECK(on_read(0, c, va) == 111, "child keeps the value at fork time");
	CHECK(on_read(0, a, va) == 222, "parent sees its write");
	CHECK(on_read(b, a, va) == 222, "parent on the other CPU sees its write");
	on_write(0, c, va, 333);
	CHECK(on_read(b, a, va) == 222, "child write does not reach the parent");
	CHECK(on_read(0, c, va + PAGE_SIZE) == 5 && on_read(b, a, va + PAGE_SIZE) == 5,
	      "unwritten page still shared");
	on_write(0, c, va + PAGE_SIZE, 6); /* last sharer after parent exit below */
	CHECK(on_read(b, a, va + PAGE_SIZE) == 5, "COW of the second page");
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		on_read(cpu, scratch, USER_STACK_TOP - 8);
	uint64_t before = mm_free_pages();
	as_destroy(a);
	as_destroy(c);
	CHECK(mm_free_pages() > before, "pages of destroyed spaces freed");
}

static void test_munmap_shootdown(struct aspace *scratch)
{
	enum { NP = 4, NSTEAL = 64 };
	struct aspace *a = as_create();
	int64_t va = as_map_anon(a, 0, NP * PAGE_SIZE, RW, false);
	for (int i = 0; i < NP; i++)
		on_write(0, a, va + i * PAGE_SIZE, 10 + i);
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		for (int i = 0; i < NP; i++)
			on_read(cpu, a, va + i * PAGE_SIZE); /* every CPU caches them */
	CHECK(as_unmap(a, va, NP * PAGE_SIZE) == 0, "munmap");
	CHECK(fault_as(ACC_LOAD, va) == VTLAB_SIGSEGV, "unmapped page: SIGSEGV");
	void *steal[NSTEAL];
	for (int i = 0; i < NSTEAL; i++) { /* take the freed frames back, poisoned */
		steal[i] = page_alloc();
		for (int w = 0; steal[i] && w < 512; w++)
			((uint64_t *)steal[i])[w] = POISON;
	}
	CHECK(as_map_anon(a, va, NP * PAGE_SIZE, RW, true) == va, "MAP_FIXED at the old address");
	for (uint64_t i = 0; i < NP; i++) {
		uint64_t v = 50 + i;
		as_write(a, va + i * PAGE_SIZE, &v, 8);
	}
	bool ok = true;
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		for (int i = 0; i < NP; i++) {
			uint64_t v = on_read(cpu, a, va + i * PAGE_SIZE);
			if (v != (uint64_t)(50 + i)) {
				ok = false;
				kprintf("mmtest: cpu %u page %d read 0x%llx\n", cpu, i,
					(unsigned long long)v);
			}
		}
	CHECK(ok, "no CPU keeps a stale translation after munmap (%u CPUs)", ncpus());
	/* partial munmap of a VMA splits it */
	CHECK(as_unmap(a, va + PAGE_SIZE, PAGE_SIZE) == 0, "munmap of a middle page");
	CHECK(fault_as(ACC_LOAD, va + PAGE_SIZE) == VTLAB_SIGSEGV &&
		      on_read(other_cpu(1), a, va + 2 * PAGE_SIZE) == 52,
	      "middle page gone, neighbours kept");
	for (int i = 0; i < NSTEAL; i++)
		page_free(steal[i]);
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		on_read(cpu, scratch, USER_STACK_TOP - 8);
	as_destroy(a);
}

static void test_tag_recycling(struct aspace *scratch)
{
	enum { NAS = 10, ROUNDS = 4 };
	struct aspace *as[NAS];
	uint64_t gen0 = tag_generation();
	tag_set_span(3);
	bool ok = true;
	for (int i = 0; i < NAS; i++) {
		as[i] = as_create();
		on_write(i % ncpus(), as[i], USER_STACK_TOP - PAGE_SIZE, 1000 + i);
	}
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < NAS; i++) {
			unsigned cpu = (i + r) % ncpus();
			uint64_t v = on_read(cpu, as[i], USER_STACK_TOP - PAGE_SIZE);
			if (v != (uint64_t)(1000 + i + 100 * r)) {
				ok = false;
				kprintf("mmtest: round %d space %d on cpu %u read %llu\n", r, i,
					cpu, (unsigned long long)v);
			}
			on_write(cpu, as[i], USER_STACK_TOP - PAGE_SIZE, 1000 + i + 100 * (r + 1));
		}
	CHECK(ok, "%s recycling keeps spaces apart", mm_svtlb ? "RID" : "ASID");
	CHECK(tag_generation() > gen0 + 5, "generations advanced (%llu -> %llu)",
	      (unsigned long long)gen0, (unsigned long long)tag_generation());
	tag_set_span(0);
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		on_read(cpu, scratch, USER_STACK_TOP - 8);
	for (int i = 0; i < NAS; i++)
		as_destroy(as[i]);
}

/* Activates fresh spaces on CPU 0 until the tag generation advances,
 * then a on CPU 0 again, so that a gets a tag of the new generation; the
 * fresh spaces go to *extra (destroyed by the caller). */
static void retag_in_new_generation(struct aspace *a, struct aspace **extra, int *n, int max)
{
	uint64_t g = tag_generation();
	while (tag_generation() == g && *n < max) {
		extra[*n] = as_create();
		on_read(0, extra[*n], USER_STACK_TOP - 8);
		(*n)++;
	}
	on_read(0, a, USER_STACK_TOP - 8);
}

/* A CPU runs space a under its tag of generation g and does not switch
 * (no activation) while CPU 0 re-activates a in g+1 and g+2: a's tags
 * are now those of g+2 and g+1.  A munmap on CPU 0 must still reach the
 * first CPU's translation of g, or it reads the freed (and reused,
 * poisoned) frame through it. */
static void test_tag_two_generations(struct aspace *scratch)
{
	enum { NSTEAL = 64, MAXEXTRA = 16 };
	unsigned b = other_cpu(1);
	if (b == 0)
		return; /* needs a second CPU */
	struct aspace *a = as_create(), *extra[MAXEXTRA];
	int nextra = 0;
	int64_t va = as_map_anon(a, 0, PAGE_SIZE, RW, false);
	on_write(b, a, va, 7); /* b runs a and caches the page */
	tag_set_span(2);
	uint64_t gen0 = tag_generation();
	retag_in_new_generation(a, extra, &nextra, MAXEXTRA);
	retag_in_new_generation(a, extra, &nextra, MAXEXTRA);
	CHECK(tag_generation() >= gen0 + 2, "two generations passed (%llu -> %llu)",
	      (unsigned long long)gen0, (unsigned long long)tag_generation());
	CHECK(as_unmap(a, va, PAGE_SIZE) == 0, "munmap");
	void *steal[NSTEAL];
	for (int i = 0; i < NSTEAL; i++) { /* take the freed frame back, poisoned */
		steal[i] = page_alloc();
		for (int w = 0; steal[i] && w < 512; w++)
			((uint64_t *)steal[i])[w] = POISON;
	}
	as_map_anon(a, va, PAGE_SIZE, RW, true);
	uint64_t v = 99;
	as_write(a, va, &v, 8);
	v = run_on(b, w_read, (uint64_t)va);
	CHECK(v == 99, "cpu %u, still on a tag two generations old, reads 0x%llx after munmap", b,
	      (unsigned long long)v);
	for (int i = 0; i < NSTEAL; i++)
		page_free(steal[i]);
	tag_set_span(0);
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		on_read(cpu, scratch, USER_STACK_TOP - 8);
	for (int i = 0; i < nextra; i++)
		as_destroy(extra[i]);
	as_destroy(a);
}

static void test_destroy_while_active(struct aspace *scratch)
{
	unsigned b = other_cpu(1);
	uint64_t free0 = mm_free_pages();
	struct aspace *d = as_create();
	on_write(b, d, USER_STACK_TOP - 8, 9);
	as_destroy(d);
	if (b != 0)
		CHECK(mm_free_pages() < free0, "space kept while current on cpu %u", b);
	on_read(b, scratch, USER_STACK_TOP - 8);
	CHECK(mm_free_pages() == free0, "space freed when the CPU switched away");
}

static void test_io(void)
{
	volatile uint64_t *lab = io_map(LAB_ID_PA);
	CHECK(*lab == LAB_ID, "lab device ID through io_map (%s)",
	      mm_svtlb ? "region 6, Alt-DTLB" : "Sv39 kernel map");
}

static void test_vhpt(struct aspace *scratch)
{
	if (!mm_svtlb)
		return;
	on_write(0, scratch, USER_STACK_TOP - 3 * PAGE_SIZE, 1);
	uint32_t rid = (csr_read(0x5c0) >> 8) & 0xffffff;
	CHECK(svtlb_vhpt_has(mm_this_cpu(), rid, USER_STACK_TOP - 3 * PAGE_SIZE),
	      "refill wrote the VHPT entry");
	as_unmap(scratch, USER_STACK_TOP - 3 * PAGE_SIZE, PAGE_SIZE);
	CHECK(!svtlb_vhpt_has(mm_this_cpu(), rid, USER_STACK_TOP - 3 * PAGE_SIZE),
	      "munmap removed the VHPT entry");
}

/* psr.ic = 0 (docs/platform.md 4.8): a data miss is the nested DTLB miss,
 * which leaves the fault CSRs as the interrupted code had them (isr and iha
 * here: the handler's own itc writes ifa and itir, its operands).  The lab
 * device's ID register through region 6, after ptc.e so that it misses. */
static void test_nested_miss(void)
{
	if (!mm_svtlb)
		return;
	volatile uint64_t *lab = io_map(LAB_ID_PA);
	uint64_t before = __atomic_load_n(&svtlb_nested_misses, __ATOMIC_RELAXED);
	svtlb_ptc_e();
	csr_write(0x5cc, ISR_X);     /* isr */
	csr_write(0x5cb, 0x5a5a000); /* iha */
	csr_write(0x5ce, 0);         /* psr: ic = 0 */
	uint64_t id = *lab;
	csr_write(0x5ce, 1);
	CHECK(id == LAB_ID && svtlb_nested_misses == before + 1,
	      "ic = 0: the read took one nested DTLB miss (%llu)",
	      (unsigned long long)(svtlb_nested_misses - before));
	CHECK(csr_read(0x5cc) == ISR_X && csr_read(0x5cb) == 0x5a5a000,
	      "ic = 0: isr and iha kept (0x%llx, 0x%llx)", (unsigned long long)csr_read(0x5cc),
	      (unsigned long long)csr_read(0x5cb));
	svtlb_ptc_e();
	id = *lab;
	CHECK(id == LAB_ID && svtlb_nested_misses == before + 1 && csr_read(0x5cc) == ISR_R,
	      "ic = 1: an Alt-DTLB miss writes isr (0x%llx)", (unsigned long long)csr_read(0x5cc));
}

/* A working set larger than the TC: the second and later passes miss the
 * TC and are served by the hardware walker from the (warm) VHPT. */
static void test_working_set(void)
{
	enum { NP = 256, PASSES = 3 };
	struct aspace *as = as_create();
	int64_t va = as_map_anon(as, 0, NP * PAGE_SIZE, RW, false);
	on_write(0, as, va, 0);
	bool ok = true;
	for (int pass = 0; pass < PASSES; pass++)
		for (uint64_t i = 0; i < NP; i++) {
			if (pass == 0)
				uwrite(va + i * PAGE_SIZE, i * 3);
			else
				ok &= uread(va + i * PAGE_SIZE) == i * 3;
		}
	CHECK(ok, "%d-page working set read back over %d passes", NP, PASSES - 1);
	as_destroy(as);
}

/* Takes every free page, then the free kmalloc objects of a VMA's size
 * class, onto a chain through their first word; returns the chain. */
static void **exhaust_memory(void)
{
	void **chain = NULL, **o;
	while ((o = page_alloc()) != NULL) {
		*o = chain;
		chain = o;
	}
	while ((o = kmalloc(sizeof(struct vma))) != NULL) {
		*o = chain;
		chain = o;
	}
	return chain;
}

static void release_memory(void **chain)
{
	while (chain) {
		void **next = *chain;
		kfree(chain); /* a page or an object: kfree tells them apart */
		chain = next;
	}
}

/* munmap of the middle of an area splits it; with no memory left for the
 * second half it fails with ENOMEM and changes nothing (it panicked the
 * kernel, found by the review of 2026-12-07). */
static void test_unmap_enomem(void)
{
	struct aspace *as = as_create();
	int64_t va = as_map_anon(as, 0, 4 * PAGE_SIZE, RW, false);
	CHECK(va > 0, "mmap 4 pages");
	on_write(0, as, va + PAGE_SIZE, 41);
	void **chain = exhaust_memory();
	int r = as_unmap(as, va + PAGE_SIZE, PAGE_SIZE);
	release_memory(chain);
	CHECK(r == -VTLAB_ENOMEM, "munmap that splits an area, no memory: %d", r);
	CHECK(uread(va + PAGE_SIZE) == 41 && vma_find(as, va + 3 * PAGE_SIZE),
	      "the area and its page are still there");
	CHECK(as_unmap(as, va + PAGE_SIZE, PAGE_SIZE) == 0, "with memory, the same munmap works");
	CHECK(fault_as(ACC_LOAD, va + PAGE_SIZE) == VTLAB_SIGSEGV && vma_find(as, va) &&
		      vma_find(as, va + 2 * PAGE_SIZE),
	      "the middle page is gone, both halves stay");
	as_destroy(as);
}

static void run_tests(void)
{
	kprintf("mmtest: %s, %u CPUs\n", mm_svtlb ? "svtlb" : "sv39", ncpus());
	test_pages();
	test_kmalloc();
	test_io();
	struct aspace *scratch = as_create();
	for (unsigned cpu = 0; cpu < ncpus(); cpu++)
		on_read(cpu, scratch, USER_STACK_TOP - 8);
	test_demand_paging();
	test_working_set();
	test_unmap_enomem();
	test_cow(scratch);
	test_munmap_shootdown(scratch);
	test_tag_recycling(scratch);
	test_tag_two_generations(scratch);
	test_destroy_while_active(scratch);
	test_vhpt(scratch);
	test_nested_miss();
	kprintf("mmtest: %d passed, %d failed\n", passed, failed);
}

_Noreturn void mm_selftest(void)
{
	unsigned me = mm_this_cpu()->id;
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	if (me != 0)
		serve(me);
	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < ncpus())
		;
	run_tests();
	mm_sbi_shutdown(failed != 0);
}
