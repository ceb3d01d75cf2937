/*
 * ktest-time.c - clocks and sleeping: CLOCK_MONOTONIC never goes back
 * (across calls, across threads' vCPUs via a shared maximum, and across a
 * fork), it advances while the program computes, nanosleep and usleep
 * sleep at least the time asked, and CLOCK_REALTIME is valid.
 */
#include "ktest.h"

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

static uint64_t mono(void)
{
	struct timespec t = { 0, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

static void test_monotonic(void)
{
	uint64_t prev = mono(), backwards = 0;
	for (int i = 0; i < 10000; i++) {
		uint64_t now = mono();
		backwards += now < prev;
		prev = now;
	}
	KT_EQ(backwards, 0);
	uint64_t t0 = mono();
	volatile uint64_t x = 0;
	for (int i = 0; i < 2000000; i++)
		x += (uint64_t)i;
	KT_CHECK(mono() > t0, "no time passed over 2 million iterations");
	struct timespec rt;
	KT_EQ(clock_gettime(CLOCK_REALTIME, &rt), 0);
	KT_CHECK(rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000, "realtime nsec %ld", rt.tv_nsec);
}

static void test_sleep(void)
{
	static const long asks[] = { 1000, 100000, 2000000, 20000000 };
	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		struct timespec req = { 0, asks[i] };
		uint64_t t0 = mono();
		KT_EQ(nanosleep(&req, NULL), 0);
		uint64_t slept = mono() - t0;
		KT_CHECK(slept >= (uint64_t)asks[i], "nanosleep(%ld ns) took %llu ns", asks[i],
			 (unsigned long long)slept);
	}
	uint64_t t0 = mono();
	KT_EQ(usleep(5000), 0);
	KT_CHECK(mono() - t0 >= 5000000, "usleep(5000) took %llu ns",
		 (unsigned long long)(mono() - t0));
}

/* Threads on every vCPU read the clock and compare with the largest value
 * any thread saw before (published with a CAS): per-hart clocks must still
 * give one monotonic time to a program. */
static volatile uint64_t global_max;

static void *clock_worker(void *arg)
{
	uint64_t back = 0;
	(void)arg;
	for (int i = 0; i < 3000; i++) {
		uint64_t seen = __atomic_load_n(&global_max, __ATOMIC_ACQUIRE);
		uint64_t now = mono();
		back += now < seen;
		while (now > seen &&
		       !__atomic_compare_exchange_n(&global_max, &seen, now, 0, __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE))
			;
	}
	return (void *)(uintptr_t)back;
}

static void test_across_cpus(void)
{
	int n = vt_nprocs();
	vt_thread_t t[8];
	for (int i = 0; i < n && i < 8; i++)
		KT_EQ(vt_thread_create(&t[i], clock_worker, NULL), 0);
	for (int i = 0; i < n && i < 8; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
	/* A child's clock continues the parent's. */
	int p[2];
	KT_EQ(pipe(p), 0);
	uint64_t before = mono();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t now = mono();
		write(p[1], &now, sizeof now);
		_exit(0);
	}
	uint64_t child_now = 0;
	KT_EQ(read(p[0], &child_now, sizeof child_now), (long)sizeof child_now);
	KT_CHECK(child_now >= before, "child clock %llu < parent's %llu",
		 (unsigned long long)child_now, (unsigned long long)before);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_monotonic();
	test_sleep();
	test_across_cpus();
	return kt_finish("ktest-time");
}
