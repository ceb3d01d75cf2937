/*
 * time.c - modeled time and the preemption tick.  The `time` CSR counts
 * at 10 MHz (docs/platform.md 1, "Time"), so 1 tick = 100 ns; each hart
 * has its own clock.  The tick (TICK_NS) is programmed with SBI set_timer;
 * it wakes timed sleepers and asks for a reschedule.
 */
#include "proc.h"

#define NS_PER_TIME_TICK 100ull

uint64_t time_ns_from_ticks(uint64_t t)
{
	return t * NS_PER_TIME_TICK;
}

/* Each hart has its own clock; the kernel's time is the latest any hart
 * has seen, so that it never goes backwards for a thread that migrates. */
static uint64_t time_latest;

uint64_t time_now_ns(void)
{
	uint64_t now = time_ns_from_ticks(rdtime());
	uint64_t seen = __atomic_load_n(&time_latest, __ATOMIC_RELAXED);
	while (now > seen)
		if (__atomic_compare_exchange_n(&time_latest, &seen, now, false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			return now;
	return seen > now ? seen : now;
}

static void timer_program(void)
{
	sbi_set_timer(rdtime() + TICK_NS / NS_PER_TIME_TICK);
}

void timer_start(void)
{
	timer_program();
}

void timer_tick(void)
{
	timer_program();
	mycore()->ticks++;
	timer_wakeups();
	if (mycpu()->thread)
		mycore()->need_resched = true;
}
