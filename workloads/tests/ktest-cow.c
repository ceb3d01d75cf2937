/*
 * ktest-cow.c - copy-on-write after fork: parent and child each see only
 * their own writes, in data, bss, heap, stack and mmap'ed memory; many
 * forks of the same pages, sequential and concurrent, each child checking
 * its private copy; a child's exit leaves the parent's pages intact.
 */
#include "ktest.h"

#define NPAGES 16
static uint64_t data_arr[NPAGES * 512] = { 1 }; /* .data (non-zero initialiser) */
static uint64_t bss_arr[NPAGES * 512];          /* .bss */

static void fill(uint64_t *a, size_t n, uint64_t tag)
{
	for (size_t i = 0; i < n; i++)
		a[i] = tag * 1000003u + i;
}

static size_t count_bad(const uint64_t *a, size_t n, uint64_t tag)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += a[i] != tag * 1000003u + i;
	return bad;
}

/* The regions tested: data, bss, heap, mmap, and a stack array. */
struct regions {
	uint64_t *r[4];
	size_t n;
};

/* Child writes tag 2 everywhere and checks; parent then checks tag 1 and
 * writes tag 3 while the child still runs; the child checks it still has 2. */
static void test_parent_child(struct regions *rg, uint64_t *stack_arr, size_t stack_n)
{
	for (int k = 0; k < 4; k++)
		fill(rg->r[k], rg->n, 1);
	fill(stack_arr, stack_n, 1);
	int to_child[2], to_parent[2];
	KT_EQ(pipe(to_child), 0);
	KT_EQ(pipe(to_parent), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		char c;
		for (int k = 0; k < 4; k++) {
			bad += count_bad(rg->r[k], rg->n, 1) != 0;
			fill(rg->r[k], rg->n, 2);
		}
		bad += count_bad(stack_arr, stack_n, 1) != 0;
		fill(stack_arr, stack_n, 2);
		write(to_parent[1], "w", 1);
		read(to_child[0], &c, 1); /* the parent has written tag 3 */
		for (int k = 0; k < 4; k++)
			bad += count_bad(rg->r[k], rg->n, 2) != 0;
		bad += count_bad(stack_arr, stack_n, 2) != 0;
		_exit(bad);
	}
	char c;
	KT_EQ(read(to_parent[0], &c, 1), 1);
	for (int k = 0; k < 4; k++) {
		KT_EQ(count_bad(rg->r[k], rg->n, 1), 0);
		fill(rg->r[k], rg->n, 3);
	}
	KT_EQ(count_bad(stack_arr, stack_n, 1), 0);
	fill(stack_arr, stack_n, 3);
	KT_EQ(write(to_child[1], "p", 1), 1);
	int st = 0;
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, 0); /* the child's checks: number of regions that were wrong */
	for (int k = 0; k < 4; k++)
		KT_EQ(count_bad(rg->r[k], rg->n, 3), 0);
	KT_EQ(count_bad(stack_arr, stack_n, 3), 0);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* 16 children alive at once, each writing its own tag into the same
 * pages; then 100 sequential forks; the parent's copy never changes. */
static void test_many_forks(struct regions *rg)
{
	for (int k = 0; k < 4; k++)
		fill(rg->r[k], rg->n, 5);
	pid_t pids[16];
	fflush(stdout);
	for (int i = 0; i < 16; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int bad = 0;
			for (int round = 0; round < 3; round++) {
				for (int k = 0; k < 4; k++) {
					fill(rg->r[k], rg->n, 100 + (uint64_t)i);
					sched_yield();
					bad += count_bad(rg->r[k], rg->n, 100 + (uint64_t)i) != 0;
				}
			}
			_exit(bad);
		}
	}
	for (int i = 0; i < 16; i++) {
		int st = -1;
		KT_EQ(waitpid(pids[i], &st, 0), pids[i]);
		KT_EQ(st, 0);
	}
	int bad = 0;
	for (int i = 0; i < 100; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* Write one word per page: each write copies one page. */
			for (size_t j = 0; j < rg->n; j += 512)
				rg->r[i % 4][j] = 7;
			_exit(count_bad(rg->r[(i + 1) % 4], rg->n, 5) != 0);
		}
		int st = -1;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
			bad++;
	}
	KT_EQ(bad, 0);
	for (int k = 0; k < 4; k++)
		KT_EQ(count_bad(rg->r[k], rg->n, 5), 0);
}

int main(void)
{
	size_t n = NPAGES * 512;
	uint64_t stack_arr[2048]; /* 4 pages of stack */
	struct regions rg = { { data_arr, bss_arr, malloc(n * 8), NULL }, n };
	void *m = mmap(NULL, n * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(rg.r[2] != NULL && m != MAP_FAILED, "allocations");
	if (rg.r[2] == NULL || m == MAP_FAILED)
		return kt_finish("ktest-cow");
	rg.r[3] = m;
	test_parent_child(&rg, stack_arr, sizeof stack_arr / 8);
	test_many_forks(&rg);
	return kt_finish("ktest-cow");
}
