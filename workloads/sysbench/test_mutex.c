/*
 * test_mutex.c - sysbench's mutex test: each event does --mutex-locks
 * rounds of { pick one of --mutex-num mutexes at random, spin
 * --mutex-loops iterations of busy work, lock it, increment its counter,
 * unlock }.  sysbench runs one such event per thread; here the event count
 * is fixed (default 8) so the work does not depend on the thread count.
 * The counters are digested and their total checked.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysbench.h"

static struct sb_option mutex_options[] = {
	{ "mutex-num", SB_OPT_U64, "total size of mutex array", 4096, 0, 0, 0, 0 },
	{ "mutex-locks", SB_OPT_U64, "number of mutex locks to do per thread", 50000, 2000, 0, 0,
	  0 },
	{ "mutex-loops", SB_OPT_U64, "number of empty loops to do outside mutex lock", 1000, 400, 0,
	  0, 0 },
	{ 0 },
};

static struct {
	uint64_t num, locks, loops, seed;
	vt_mutex_t *mutex;
	uint64_t *count;
} mx;

static int mutex_setup(struct sb_run *r)
{
	mx.num = sb_opt_u64(mutex_options, "mutex-num");
	mx.locks = sb_opt_u64(mutex_options, "mutex-locks");
	mx.loops = sb_opt_u64(mutex_options, "mutex-loops");
	mx.seed = r->common.seed;
	if (mx.num < 1 || mx.num > (1u << 20)) {
		fprintf(stderr, "sysbench: option --mutex-num: expected 1..1048576\n");
		return -1;
	}
	mx.mutex = calloc(mx.num, sizeof *mx.mutex);
	mx.count = calloc(mx.num, sizeof *mx.count);
	if (!mx.mutex || !mx.count) {
		fprintf(stderr, "sysbench: test_mutex.c: out of memory for %llu mutexes\n",
			(unsigned long long)mx.num);
		return -1;
	}
	return 0;
}

static int mutex_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	(void)w;
	sb_rng_t rng = sb_rng_for(mx.seed, e);
	uint64_t picked = 0;
	for (uint64_t i = 0; i < mx.locks; i++) {
		uint64_t j = sb_rng_below(&rng, mx.num);
		for (volatile uint64_t k = 0; k < mx.loops; k++)
			; /* busy work outside the lock, as sysbench's empty loop */
		vt_mutex_lock(&mx.mutex[j]);
		mx.count[j]++;
		vt_mutex_unlock(&mx.mutex[j]);
		picked = picked * 31 + j;
	}
	c->result = sb_fold(c->result, picked);
	return 0;
}

static int mutex_digest(struct sb_run *r, vt_digest_t *d)
{
	uint64_t total = 0;
	for (uint64_t j = 0; j < mx.num; j++)
		total += mx.count[j];
	vt_digest_update(d, mx.count, mx.num * sizeof *mx.count);
	if (total != r->events * mx.locks) {
		fprintf(stderr, "sysbench: mutex: %llu increments under the locks, expected %llu\n",
			(unsigned long long)total, (unsigned long long)(r->events * mx.locks));
		return -1;
	}
	return 0;
}

static void mutex_cleanup(struct sb_run *r)
{
	(void)r;
	free(mx.mutex);
	free(mx.count);
}

const struct sb_test sb_test_mutex = {
	.name = "mutex",
	.summary = "Mutex performance test",
	.default_events = 8,
	.small_events = 8,
	.options = mutex_options,
	.setup = mutex_setup,
	.event = mutex_event,
	.digest = mutex_digest,
	.cleanup = mutex_cleanup,
};
