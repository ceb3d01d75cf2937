/*
 * main.c - /bin/sysbench: `sysbench TEST [--small] [options]`, TEST one of
 * cpu, memory, fileio, oltp, threads, mutex (sysbench's names).
 *
 * Runs the test's untimed setup (sysbench's `prepare`), the timed events
 * (runner.c), the untimed digest and cleanup; prints a sysbench-style
 * report (total time, events, latency min/avg/max/p50/p95/p99 in modeled
 * ms, thread fairness); reports the metric "events_per_second" (events per
 * modeled second of the timed phase) and the output digest to the lab
 * device.  The digest covers the test name, the event count, every chunk's
 * result in chunk order and the test's final state (sysbench.h explains why
 * that does not depend on the vCPU or thread count).  Exit 0 on success, 1
 * when an event or the final verification failed, 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysbench.h"

static const struct sb_test *const tests[] = {
	&sb_test_cpu,  &sb_test_memory,  &sb_test_fileio,
	&sb_test_oltp, &sb_test_threads, &sb_test_mutex,
};
#define NTESTS (sizeof tests / sizeof tests[0])

static void usage(void)
{
	printf("usage: sysbench TEST [--small] [--threads=N] [--events=N] [--rand-seed=N] "
	       "[test options]\ntests:\n");
	for (unsigned i = 0; i < NTESTS; i++)
		printf("  %-8s %s\n", tests[i]->name, tests[i]->summary);
}

static const struct sb_test *find_test(const char *name)
{
	for (unsigned i = 0; i < NTESTS; i++)
		if (strcmp(tests[i]->name, name) == 0)
			return tests[i];
	return NULL;
}

static void print_header(const struct sb_run *r)
{
	printf("sysbench-like suite (vtlab guest), test %s%s\n\n", r->test->name,
	       r->common.small ? " (--small)" : "");
	printf("Running the test with following options:\n");
	printf("Number of threads: %u\n", r->nthreads);
	printf("Number of events: %llu (%llu chunks of %llu)\n", (unsigned long long)r->events,
	       (unsigned long long)r->nchunks, (unsigned long long)r->chunk_size);
	printf("Random seed: %llu\n", (unsigned long long)r->common.seed);
	sb_options_print(r->test->options, r->common.small);
	printf("\n");
}

/* Prints seconds with 4 decimals from nanoseconds. */
static void print_seconds(const char *label, uint64_t ns)
{
	uint64_t tenth_ms = (ns + 50000) / 100000;
	printf("    %-33s %llu.%04llus\n", label, (unsigned long long)(tenth_ms / 10000),
	       (unsigned long long)(tenth_ms % 10000));
}

static void print_latency(const struct sb_latency *l)
{
	char b[32];
	printf("Latency (ms):\n");
	printf("         min: %39s\n", sb_fmt_ms(b, sizeof b, l->count ? l->min_ns : 0));
	printf("         avg: %39s\n", sb_fmt_ms(b, sizeof b, l->count ? l->sum_ns / l->count : 0));
	printf("         max: %39s\n", sb_fmt_ms(b, sizeof b, l->max_ns));
	printf("         50th percentile: %27s\n",
	       sb_fmt_ms(b, sizeof b, sb_latency_percentile(l, 50)));
	printf("         95th percentile: %27s\n",
	       sb_fmt_ms(b, sizeof b, sb_latency_percentile(l, 95)));
	printf("         99th percentile: %27s\n",
	       sb_fmt_ms(b, sizeof b, sb_latency_percentile(l, 99)));
	printf("         sum: %39s\n\n", sb_fmt_ms(b, sizeof b, l->sum_ns));
}

static void print_fairness(const struct sb_run *r)
{
	uint64_t sum = 0, sq = 0;
	for (unsigned i = 0; i < r->nthreads; i++) {
		sum += r->workers[i].events;
		sq += r->workers[i].events * r->workers[i].events;
	}
	uint64_t avg = sum / r->nthreads;
	uint64_t var = sq / r->nthreads - avg * avg;
	uint64_t sd = 0;
	while ((sd + 1) * (sd + 1) <= var)
		sd++;
	printf("Threads fairness:\n    events (avg/stddev): %30llu/%llu\n\n",
	       (unsigned long long)avg, (unsigned long long)sd);
}

/* Events per modeled second: the metric. */
static double events_per_second(const struct sb_run *r)
{
	uint64_t ns = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 1;
	return (double)r->events * 1e9 / (double)ns;
}

static void report(struct sb_run *r, uint64_t digest, uint64_t errors)
{
	struct sb_latency all;
	sb_latency_init(&all);
	for (unsigned i = 0; i < r->nthreads; i++)
		sb_latency_merge(&all, &r->workers[i].lat);
	if (r->test->report)
		r->test->report(r);
	double eps = events_per_second(r);
	printf("General statistics:\n");
	print_seconds("total time:", r->end_ns - r->start_ns);
	printf("    %-33s %llu\n", "total number of events:", (unsigned long long)r->events);
	printf("    %-33s %llu.%02llu\n", "events per second:", (unsigned long long)eps,
	       (unsigned long long)((eps - (double)(uint64_t)eps) * 100));
	printf("    %-33s %llu\n\n", "failed events:", (unsigned long long)errors);
	print_latency(&all);
	print_fairness(r);
	printf("output digest: %016llx\n", (unsigned long long)digest);
	vt_lab_metric("events_per_second", eps);
	vt_lab_digest(digest);
}

static uint64_t chunk_digest(const struct sb_run *r, vt_digest_t *d, uint64_t *errors)
{
	vt_digest_update(d, r->test->name, strlen(r->test->name));
	vt_digest_update(d, &r->events, sizeof r->events);
	*errors = 0;
	for (uint64_t i = 0; i < r->nchunks; i++) {
		vt_digest_update(d, &r->chunks[i].result, sizeof r->chunks[i].result);
		*errors += r->chunks[i].errors;
	}
	return *errors;
}

static int run_test(struct sb_run *r)
{
	vt_digest_t d;
	uint64_t errors;
	/* setup may derive the event count from the test's options
	 * (memory: --memory-total-size / --memory-block-size) */
	if (r->test->setup && r->test->setup(r) < 0)
		return 1;
	sb_chunking(r->events, &r->chunk_size, &r->nchunks);
	print_header(r);
	fflush(stdout);
	int rc = sb_run_events(r);
	if (r->nchunks == 0 || r->nthreads == 0) {
		/* Nothing ran (no memory for the chunks, no thread): a digest
		 * of empty chunks and a rate over no time would look like a
		 * result. */
		fprintf(stderr, "sysbench: %s: the timed phase did not run\n", r->test->name);
		if (r->test->cleanup)
			r->test->cleanup(r);
		return 1;
	}
	vt_digest_init(&d);
	chunk_digest(r, &d, &errors);
	if (r->test->digest && r->test->digest(r, &d) < 0)
		rc = -1;
	report(r, vt_digest_final(&d), errors);
	if (r->test->cleanup)
		r->test->cleanup(r);
	if (errors)
		fprintf(stderr, "sysbench: %s: %llu events failed their check\n", r->test->name,
			(unsigned long long)errors);
	return rc < 0 || errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct sb_run run;
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		usage();
		return argc < 2 ? 2 : 0;
	}
	run.test = find_test(argv[1]);
	if (!run.test) {
		fprintf(stderr,
			"sysbench: test '%s': expected one of cpu, memory, fileio, oltp, "
			"threads, mutex\n",
			argv[1]);
		return 2;
	}
	run.common.threads = (uint64_t)vt_nprocs();
	run.common.seed = 1;
	if (sb_options_parse(argc - 2, argv + 2, &run.common, run.test->options) < 0)
		return 2;
	if (run.common.threads < 1 || run.common.threads > SB_MAX_THREADS)
		run.common.threads = 1;
	run.nthreads = (unsigned)run.common.threads;
	run.events = run.common.events  ? run.common.events
		     : run.common.small ? run.test->small_events
					: run.test->default_events;
	return run_test(&run);
}
