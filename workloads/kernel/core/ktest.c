/*
 * ktest.c - kernel self-tests, run instead of /bin/init with the boot
 * option ktest=1: formatting, user-copy fault recovery, threads on every
 * CPU, spinlock and sleeplock mutual exclusion, timer preemption, IPIs,
 * sleep/wakeup, timed sleeps, futex wait/wake/timeout, monotonic time.
 * Prints one line per check and "N passed, N failed", then powers the
 * machine off with exit code 0 only if everything passed.
 * Every wait has a deadline in modeled time, so a broken kernel fails
 * instead of hanging.
 */
#include "proc.h"

#define MS 1000000ull
#define DEADLINE (2000 * MS)

static int passed, failed;

static void check(bool ok, const char *what)
{
	kprintf("ktest: %-40s %s\n", what, ok ? "ok" : "FAIL");
	if (ok)
		passed++;
	else
		failed++;
}

/* Yields until *v >= target or the deadline passes. */
static bool wait_for(volatile int *v, int target)
{
	uint64_t end = time_now_ns() + DEADLINE;
	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) < target) {
		if (time_now_ns() > end)
			return false;
		yield();
	}
	return true;
}

static void test_printf(void)
{
	char b[80];
	ksnprintf(b, sizeof b, "%d %u %x %s|%5d|%-3s|%05d|%c%%|%ld", -42, 7u, 0xbeefu, "s", 12, "a",
		  -3, 'z', (long)-1234567890123);
	check(strcmp(b, "-42 7 beef s|   12|a  |-0003|z%|-1234567890123") == 0, "ksnprintf");
	int n = ksnprintf(b, 4, "%s", "abcdef");
	check(n == 6 && strcmp(b, "abc") == 0, "ksnprintf truncation");
}

static void test_usercopy(void)
{
	char b[16];
	check(copyin(b, USER_TOP - 4, 8) == -VTLAB_EFAULT, "copyin beyond USER_TOP is EFAULT");
	check(copyout(~0ull - 4, b, 8) == -VTLAB_EFAULT, "copyout wrapping is EFAULT");
	/* No address space is active in a kernel thread: a user address in
	 * range faults inside copy.S and must come back as EFAULT. */
	check(copyin(b, USER_BASE, 8) == -VTLAB_EFAULT, "copyin fault recovery is EFAULT");
	uint64_t v;
	check(probe_load(KERNBASE + 0x80000000ull, &v) == 0, "probe_load of RAM");
	check(probe_load(KERNBASE + 0x70000000ull, &v) == -1, "probe_load of a hole faults");
}

static volatile int arrived, done_count;
static volatile uint64_t cpu_mask;

static void on_every_cpu(void *arg)
{
	(void)arg;
	__atomic_fetch_or(&cpu_mask, 1ull << mycpu()->id, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	uint64_t end = time_now_ns() + DEADLINE;
	while (arrived < (int)ncpus() && time_now_ns() < end)
		; /* spin: all threads must be running at once */
	__atomic_fetch_or(&cpu_mask, 1ull << mycpu()->id, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_all_cpus(void)
{
	arrived = done_count = 0;
	cpu_mask = 0;
	int n = (int)ncpus();
	for (int i = 0; i < n; i++)
		kthread_spawn(&procs[0], on_every_cpu, NULL, true);
	bool ok = wait_for(&done_count, n);
	uint64_t all = (n == 64 ? ~0ull : (1ull << n) - 1);
	kprintf("ktest: cpus seen 0x%lx of 0x%lx\n", (unsigned long)cpu_mask, (unsigned long)all);
	check(ok && arrived == n && cpu_mask == all, "threads run on every cpu at once");
}

static struct spinlock count_lock = { 0, -1, "ktest" };
static volatile uint64_t counter;
#define ROUNDS 3000

static void count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&count_lock);
		uint64_t v = counter;
		for (volatile int k = 0; k < 5; k++)
			;
		counter = v + 1;
		spin_unlock(&count_lock);
		if (i % 500 == 0)
			yield();
	}
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_spinlock(void)
{
	done_count = 0;
	counter = 0;
	int n = 2 * (int)ncpus();
	for (int i = 0; i < n; i++)
		kthread_spawn(&procs[0], count_up, NULL, true);
	bool ok = wait_for(&done_count, n);
	check(ok && counter == (uint64_t)n * ROUNDS, "spinlock counter exact");
}

static struct sleeplock slk;
static volatile int in_section, overlap;

static void sleeplock_user(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		sleep_lock(&slk);
		if (__atomic_fetch_add(&in_section, 1, __ATOMIC_SEQ_CST) != 0)
			overlap = 1;
		yield(); /* sleep locks may be held across a reschedule */
		__atomic_fetch_sub(&in_section, 1, __ATOMIC_SEQ_CST);
		sleep_unlock(&slk);
	}
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_sleeplock(void)
{
	sleep_init(&slk, "ktest");
	done_count = 0;
	overlap = 0;
	int n = (int)ncpus() + 1;
	for (int i = 0; i < n; i++)
		kthread_spawn(&procs[0], sleeplock_user, NULL, true);
	check(wait_for(&done_count, n) && !overlap, "sleeplock mutual exclusion");
}

static volatile int flag_b;

static void spinner(void *arg)
{
	(void)arg;
	uint64_t end = time_now_ns() + DEADLINE;
	while (!flag_b && time_now_ns() < end)
		; /* never yields: only preemption lets the setter run here */
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void setter(void *arg)
{
	(void)arg;
	flag_b = 1;
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_preemption(void)
{
	done_count = 0;
	flag_b = 0;
	int n = (int)ncpus();
	/* As many spinners as CPUs, so the setter needs a preempted CPU. */
	for (int i = 0; i < n; i++)
		kthread_spawn(&procs[0], spinner, NULL, true);
	kthread_spawn(&procs[0], setter, NULL, true);
	check(wait_for(&done_count, n + 1) && flag_b, "timer preemption");
	uint64_t ticks = 0;
	for (unsigned c = 0; c < ncpus(); c++)
		ticks += cpu_core[c].ticks;
	check(ticks > 0, "timer ticks arrive");
}

static void test_ipis(void)
{
	bool ok = true;
	for (unsigned c = 0; c < ncpus(); c++) {
		uint64_t before = __atomic_load_n(&cpu_core[c].ipis_received, __ATOMIC_SEQ_CST);
		ipi_send(c, IPI_RESCHED);
		uint64_t end = time_now_ns() + DEADLINE;
		while (__atomic_load_n(&cpu_core[c].ipis_received, __ATOMIC_SEQ_CST) == before) {
			if (time_now_ns() > end) {
				ok = false;
				kprintf("ktest: cpu %u got no IPI\n", c);
				break;
			}
			yield();
		}
	}
	check(ok, "IPI reaches every cpu (self included)");
}

static struct spinlock pp_lock = { 0, -1, "pingpong" };
static volatile int pp_turn, pp_rounds;
#define PP_ROUNDS 200

static void pingpong(void *arg)
{
	int me = (int)(uint64_t)arg;
	spin_lock(&pp_lock);
	while (pp_rounds < PP_ROUNDS) {
		while (pp_turn != me && pp_rounds < PP_ROUNDS)
			sleep_on((void *)&pp_turn, &pp_lock);
		if (pp_rounds >= PP_ROUNDS)
			break;
		pp_rounds++;
		pp_turn = 1 - me;
		wakeup((void *)&pp_turn);
	}
	wakeup((void *)&pp_turn);
	spin_unlock(&pp_lock);
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_sleep_wakeup(void)
{
	done_count = 0;
	pp_turn = 0;
	pp_rounds = 0;
	kthread_spawn(&procs[0], pingpong, (void *)0, false);
	kthread_spawn(&procs[0], pingpong, (void *)1, false);
	check(wait_for(&done_count, 2) && pp_rounds == PP_ROUNDS, "sleep/wakeup ping-pong");
	uint64_t t0 = time_now_ns();
	struct spinlock l = { 0, -1, "timed" };
	spin_lock(&l);
	while (time_now_ns() < t0 + 25 * MS)
		sleep_on_until(&l, &l, t0 + 25 * MS);
	spin_unlock(&l);
	uint64_t dt = time_now_ns() - t0;
	check(dt >= 25 * MS && dt < 200 * MS, "timed sleep of 25 ms");
}

static volatile uint32_t fword;
static volatile int64_t fwait_result = 99;

static void futex_waiter(void *arg)
{
	(void)arg;
	fwait_result = futex_wait(NULL, (uint64_t)&fword, &fword, 0, 0);
	__atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
}

static void test_futex(void)
{
	fword = 1;
	check(futex_wait(NULL, (uint64_t)&fword, &fword, 0, 0) == -VTLAB_EAGAIN,
	      "futex wait on changed word is EAGAIN");
	uint64_t t0 = time_now_ns();
	int64_t r = futex_wait(NULL, (uint64_t)&fword, &fword, 1, 3 * MS);
	uint64_t dt = time_now_ns() - t0;
	check(r == -VTLAB_ETIMEDOUT && dt >= 3 * MS, "futex wait times out");
	fword = 0;
	done_count = 0;
	kthread_spawn(&procs[0], futex_waiter, NULL, false);
	int woken = 0;
	uint64_t end = time_now_ns() + DEADLINE;
	while (woken == 0 && time_now_ns() < end) {
		yield();
		woken = (int)futex_wake(NULL, (uint64_t)&fword, 1);
	}
	check(woken == 1 && wait_for(&done_count, 1) && fwait_result == 0,
	      "futex wake wakes one waiter");
	check(futex_wake(NULL, (uint64_t)&fword, 5) == 0, "futex wake with no waiter is 0");
}

static void test_time(void)
{
	uint64_t a = time_now_ns();
	for (volatile int i = 0; i < 10000; i++)
		;
	uint64_t b = time_now_ns();
	check(b > a, "modeled time advances");
}

_Noreturn void ktest_run(void *arg)
{
	(void)arg;
	kprintf("ktest: %u cpus\n", ncpus());
	test_printf();
	test_usercopy();
	test_time();
	test_all_cpus();
	test_spinlock();
	test_sleeplock();
	test_preemption();
	test_ipis();
	test_sleep_wakeup();
	test_futex();
	kprintf("%d passed, %d failed\n", passed, failed);
	machine_poweroff(failed ? 1 : 0);
}
