/*
 * test_threads.c - sysbench's threads (scheduler) test: each event does
 * --thread-yields rounds of { lock one of --thread-locks mutexes, yield the
 * CPU (sched_yield), unlock }, so threads contend on the mutexes while the
 * scheduler switches between them.  The mutex of event e is e modulo
 * --thread-locks (sysbench picks it by thread id; by event keeps the work
 * independent of the thread count).  Each round increments the mutex's
 * counter under the lock; the final counters are digested and checked
 * (lost updates would show).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysbench.h"

static struct sb_option threads_options[] = {
	{ "thread-yields", SB_OPT_U64, "number of yields to do per request", 1000, 100, 0, 0, 0 },
	{ "thread-locks", SB_OPT_U64, "number of locks per thread", 8, 0, 0, 0, 0 },
	{ 0 },
};

static struct {
	uint64_t yields, nlocks;
	vt_mutex_t *locks;
	uint64_t *count;
} t;

static int threads_setup(struct sb_run *r)
{
	(void)r;
	t.yields = sb_opt_u64(threads_options, "thread-yields");
	t.nlocks = sb_opt_u64(threads_options, "thread-locks");
	if (t.nlocks < 1 || t.nlocks > 4096) {
		fprintf(stderr, "sysbench: option --thread-locks: expected 1..4096\n");
		return -1;
	}
	t.locks = calloc(t.nlocks, sizeof *t.locks);
	t.count = calloc(t.nlocks, sizeof *t.count);
	if (!t.locks || !t.count) {
		fprintf(stderr, "sysbench: test_threads.c: out of memory for %llu locks\n",
			(unsigned long long)t.nlocks);
		return -1;
	}
	return 0;
}

static int threads_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	(void)w;
	uint64_t j = e % t.nlocks;
	for (uint64_t i = 0; i < t.yields; i++) {
		vt_mutex_lock(&t.locks[j]);
		t.count[j]++;
		sched_yield();
		vt_mutex_unlock(&t.locks[j]);
	}
	c->result = sb_fold(c->result, j);
	return 0;
}

/* Every lock was taken yields times per event that chose it. */
static int threads_digest(struct sb_run *r, vt_digest_t *d)
{
	int bad = 0;
	for (uint64_t j = 0; j < t.nlocks; j++) {
		uint64_t events = r->events / t.nlocks + (j < r->events % t.nlocks);
		if (t.count[j] != events * t.yields) {
			fprintf(stderr,
				"sysbench: threads: lock %llu counted %llu rounds, expected "
				"%llu\n",
				(unsigned long long)j, (unsigned long long)t.count[j],
				(unsigned long long)(events * t.yields));
			bad = 1;
		}
	}
	vt_digest_update(d, t.count, t.nlocks * sizeof *t.count);
	return bad ? -1 : 0;
}

static void threads_cleanup(struct sb_run *r)
{
	(void)r;
	free(t.locks);
	free(t.count);
}

const struct sb_test sb_test_threads = {
	.name = "threads",
	.summary = "Threads subsystem performance test",
	.default_events = 1500,
	.small_events = 64,
	.options = threads_options,
	.setup = threads_setup,
	.event = threads_event,
	.digest = threads_digest,
	.cleanup = threads_cleanup,
};
