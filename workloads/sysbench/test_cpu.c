/*
 * test_cpu.c - sysbench's cpu test: each event searches the primes up to
 * --cpu-max-prime by trial division (sysbench's loop: every c from 3, its
 * divisors from 2 while l*l <= c; integer only, the guest has no FPU).
 * An event's result is the count and a fold of the primes found; the chunk
 * result folds them in event order.
 */
#include <stdio.h>

#include "sysbench.h"

static struct sb_option cpu_options[] = {
	{ "cpu-max-prime", SB_OPT_U64, "upper limit for primes generator", 10000, 2000, 0, 0, 0 },
	{ 0 },
};

static uint64_t max_prime;

static int cpu_setup(struct sb_run *r)
{
	(void)r;
	max_prime = cpu_options[0].value;
	if (max_prime < 3) {
		fprintf(stderr, "sysbench: option --cpu-max-prime: expected at least 3\n");
		return -1;
	}
	return 0;
}

static int cpu_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	(void)w;
	(void)e;
	uint64_t count = 0, fold = 0;
	for (uint64_t n = 3; n <= max_prime; n++) {
		uint64_t l;
		for (l = 2; l * l <= n; l++)
			if (n % l == 0)
				break;
		if (l * l > n) {
			count++;
			fold = fold * 31 + n;
		}
	}
	c->result = sb_fold(c->result, sb_fold(count, fold));
	return 0;
}

const struct sb_test sb_test_cpu = {
	.name = "cpu",
	.summary = "CPU performance test (prime search)",
	.default_events = 2500,
	.small_events = 200,
	.options = cpu_options,
	.setup = cpu_setup,
	.event = cpu_event,
};
