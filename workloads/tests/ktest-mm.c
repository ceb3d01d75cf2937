/*
 * ktest-mm.c - address-space calls: demand paging of a large sparse
 * mapping (1 GiB, far more than the guest's RAM, touched every 8 MiB),
 * brk growing and shrinking, mmap with and without MAP_FIXED, munmap of a
 * whole mapping and of a page in the middle (the rest stays), and a touch
 * of an unmapped page: the child doing it is killed with SIGSEGV and the
 * parent sees that status.
 */
#include "ktest.h"

#define PG 4096ul
#define BIG (1ul << 30)
#define STRIDE (8ul << 20)

static volatile uint64_t *probe_addr;

static int touch_probe(void)
{
	return (int)*probe_addr;
} /* must be killed */

static int write_probe(void)
{
	*probe_addr = 1;
	return 0;
}

static void test_sparse(void)
{
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(p != MAP_FAILED, "mmap 1 GiB");
	if (p == MAP_FAILED)
		return;
	size_t nonzero = 0, bad = 0;
	for (size_t off = 0; off < BIG; off += STRIDE)
		nonzero += p[off + 123] != 0;
	for (size_t off = 0; off < BIG; off += STRIDE)
		*(uint64_t *)(p + off) = off ^ 0x5a5a;
	for (size_t off = 0; off < BIG; off += STRIDE)
		bad += *(uint64_t *)(p + off) != (off ^ 0x5a5a);
	KT_EQ(nonzero, 0);
	KT_EQ(bad, 0);
	KT_EQ(munmap(p, BIG), 0);
}

static void test_brk(void)
{
	char *b0 = sbrk(0);
	KT_CHECK(b0 != (void *)-1, "sbrk(0)");
	KT_CHECK(sbrk(1 << 20) == b0, "sbrk grows from the old break");
	memset(b0, 0xab, 1 << 20);
	KT_EQ((unsigned char)b0[(1 << 20) - 1], 0xab);
	KT_CHECK(sbrk(0) == b0 + (1 << 20), "break moved");
	KT_CHECK(sbrk(-(1 << 20)) == b0 + (1 << 20), "shrink");
	KT_CHECK(sbrk(0) == b0, "break back");
	/* Pages released by shrinking come back zeroed (Linux: fresh pages). */
	char *first_page = (char *)(((uintptr_t)b0 + PG - 1) & ~(PG - 1));
	KT_CHECK(sbrk(2 * PG) == b0, "regrow");
	KT_EQ(first_page[10], 0);
	sbrk(-(long)(2 * PG));
	/* malloc still works across all this. */
	void *big = malloc(8 << 20);
	KT_CHECK(big != NULL, "malloc 8 MiB");
	if (big)
		memset(big, 1, 8 << 20);
	free(big);
}

static void test_mmap_munmap(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(p != MAP_FAILED && ((uintptr_t)p & (PG - 1)) == 0, "mmap 8 pages");
	if (p == MAP_FAILED)
		return;
	for (int i = 0; i < 8; i++)
		p[i * PG] = (char)(i + 1);
	KT_EQ(munmap(p + 3 * PG, PG), 0); /* a hole in the middle */
	KT_EQ(p[2 * PG], 3);
	KT_EQ(p[4 * PG], 5);
	probe_addr = (volatile uint64_t *)(p + 3 * PG);
	KT_EQ(kt_run_child(touch_probe), kt_killed_by(SIGSEGV));
	KT_EQ(kt_run_child(write_probe), kt_killed_by(SIGSEGV));
	/* MAP_FIXED puts a fresh zero page back in the hole. */
	char *q = mmap(p + 3 * PG, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KT_CHECK(q == p + 3 * PG, "MAP_FIXED at %p gave %p", (void *)(p + 3 * PG), (void *)q);
	KT_EQ(p[3 * PG], 0);
	KT_EQ(kt_run_child(write_probe), 0);
	/* MAP_FIXED over a live page replaces it. */
	q = mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KT_CHECK(q == p, "MAP_FIXED over a mapping");
	KT_EQ(p[0], 0);
	KT_EQ(munmap(p, 8 * PG), 0);
	probe_addr = (volatile uint64_t *)(p + 5 * PG);
	KT_EQ(kt_run_child(touch_probe), kt_killed_by(SIGSEGV));
	/* A read-only mapping: writing is SIGSEGV, reading gives zeros. */
	char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(ro != MAP_FAILED, "mmap read-only");
	if (ro != MAP_FAILED) {
		KT_EQ(ro[100], 0);
		probe_addr = (volatile uint64_t *)ro;
		KT_EQ(kt_run_child(write_probe), kt_killed_by(SIGSEGV));
		munmap(ro, PG);
	}
}

/* Many mappings created and destroyed: the kernel frees what it gives. */
static void test_churn(void)
{
	int bad = 0;
	for (int i = 0; i < 300; i++) {
		size_t len = (size_t)(1 + i % 17) * PG;
		char *p =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			bad++;
			continue;
		}
		for (size_t o = 0; o < len; o += PG)
			p[o] = 1;
		bad += munmap(p, len) != 0;
	}
	KT_EQ(bad, 0);
}

int main(void)
{
	test_sparse();
	test_brk();
	test_mmap_munmap();
	test_churn();
	return kt_finish("ktest-mm");
}
