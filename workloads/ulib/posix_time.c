/*
 * posix_time.c - clocks and sleeping over modeled time: clock_gettime,
 * nanosleep, usleep, sleep, gettimeofday, times, vt_now_ns.
 *
 * The kernel's time is the `time` CSR (modeled, deterministic; abi.h).
 * picolibc numbers clocks differently from Linux (CLOCK_REALTIME 1,
 * CLOCK_MONOTONIC 4 in its <time.h>): they are translated here.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "syscall.h"
#include "vtlab.h"

static int clock_to_abi(clockid_t c)
{
	switch (c) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE: return VTLAB_CLOCK_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE: return VTLAB_CLOCK_MONOTONIC;
	default: return -1;
	}
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	int c = clock_to_abi(clock);
	if (c < 0) {
		errno = EINVAL;
		return -1;
	}
	struct vtlab_timespec k;
	if (vt_ret(vt_sys_clock_gettime(c, &k)) < 0)
		return -1;
	ts->tv_sec = (time_t)k.tv_sec;
	ts->tv_nsec = (long)k.tv_nsec;
	return 0;
}

uint64_t vt_now_ns(void)
{
	struct vtlab_timespec k = { 0, 0 };
	vt_sys_clock_gettime(VTLAB_CLOCK_MONOTONIC, &k);
	return (uint64_t)k.tv_sec * 1000000000ull + (uint64_t)k.tv_nsec;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct vtlab_timespec k = { req->tv_sec, req->tv_nsec }, krem = { 0, 0 };
	long r = vt_ret(vt_sys_nanosleep(&k, &krem));
	if (r < 0 && rem) {
		rem->tv_sec = (time_t)krem.tv_sec;
		rem->tv_nsec = (long)krem.tv_nsec;
	}
	return (int)r;
}

int usleep(useconds_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}

unsigned sleep(unsigned s)
{
	struct timespec ts = { (time_t)s, 0 };
	return nanosleep(&ts, NULL) < 0 ? s : 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* clock() divides tms_utime by CLOCKS_PER_SEC: count in those units. */
clock_t times(struct tms *t)
{
	uint64_t ticks = vt_now_ns() / (1000000000ull / CLOCKS_PER_SEC);
	if (t) {
		t->tms_utime = (clock_t)ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return (clock_t)ticks;
}
