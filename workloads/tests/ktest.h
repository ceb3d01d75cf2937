/*
 * ktest.h - the checks of the guest test programs (workloads/tests/).
 *
 * Each program /bin/ktest-NAME runs its cases, prints one line per failed
 * check ("FAIL file:line: what: expected X, got Y") and a last line
 * "ktest-NAME: N checks, N failed", and exits 0 only if nothing failed.
 * /bin/ktest (ktest.c) runs them all.  KT_RUN_CHILD runs a function in a
 * forked child and gives its wait status, for tests where the child is
 * meant to crash.
 */
#ifndef VTLAB_KTEST_H
#define VTLAB_KTEST_H

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vtlab.h"

static int kt_checks, kt_failed;

#define KT_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		kt_checks++;                                                                       \
		if (!(cond)) {                                                                     \
			kt_failed++;                                                               \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

/* Integer equality, printing both values on failure. */
#define KT_EQ(got, want)                                                                           \
	do {                                                                                       \
		long long kt_g_ = (long long)(got), kt_w_ = (long long)(want);                     \
		kt_checks++;                                                                       \
		if (kt_g_ != kt_w_) {                                                              \
			kt_failed++;                                                               \
			printf("FAIL %s:%d: %s: expected %lld (%s), got %lld\n", __FILE__,         \
			       __LINE__, #got, kt_w_, #want, kt_g_);                               \
		}                                                                                  \
	} while (0)

static inline int kt_finish(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, kt_checks, kt_failed);
	fflush(stdout);
	return kt_failed ? 1 : 0;
}

/* Runs fn() in a child process (exit code = fn's result); returns the wait
 * status, or -1 if fork or wait failed. */
static inline int kt_run_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Wait status waitpid gives for a process killed with sig, a <signal.h>
 * number (ulib translates the kernel's Linux numbers of abi.h). */
static inline int kt_killed_by(int sig)
{
	return sig;
}

/* A small deterministic generator (xorshift64*, Vigna 2016) for data. */
static inline uint64_t kt_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

#endif
