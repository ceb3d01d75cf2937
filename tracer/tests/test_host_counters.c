/*
 * test_host_counters.c - unit test of tracer/host_counters.c: the default
 * set opens on this process (software events always, hardware events
 * where the host has them, "not supported" otherwise), counts work done
 * between start and stop (page faults from touching fresh pages, context
 * switches from sleeping), stores libpfm4's canonical names, and rejects
 * names libpfm4 does not know.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"
#include "host_counters.h"

#define PAGES 256

static const struct host_counter *find(const struct host_counters *hc, const char *requested)
{
	for (unsigned i = 0; i < hc->n; i++)
		if (strcmp(hc->c[i].requested, requested) == 0)
			return &hc->c[i];
	return NULL;
}

/* Touches PAGES fresh anonymous pages (one fault each) and sleeps 3 times. */
static void work(void)
{
	long page = 4096;
	volatile char *m = mmap(NULL, (size_t)(PAGES * page), PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	for (long i = 0; i < PAGES; i++)
		m[i * page] = 1;
	munmap((void *)m, (size_t)(PAGES * page));
	struct timespec ts = { 0, 2000000 };
	for (int i = 0; i < 3; i++)
		nanosleep(&ts, NULL);
}

static void test_defaults(void)
{
	struct host_counters hc;
	char err[256] = "";
	int rc = host_counters_start(&hc, 0, NULL, err, sizeof err);
	CHECK(rc == 0, "start: %s", err);
	if (rc)
		return;
	work();
	CHECK(host_counters_stop(&hc, err, sizeof err) == 0, "stop: %s", err);
	CHECK(hc.n == 4, "4 default counters, got %u", hc.n);
	const struct host_counter *pf = find(&hc, "page-faults");
	const struct host_counter *cs = find(&hc, "context-switches");
	CHECK(pf && pf->supported && pf->value >= PAGES, "page faults counted: %llu (want >= %d)",
	      pf ? (unsigned long long)pf->value : 0ull, PAGES);
	CHECK(pf && strcmp(pf->name, "perf::PERF_COUNT_SW_PAGE_FAULTS") == 0, "canonical name '%s'",
	      pf ? pf->name : "");
	CHECK(cs && cs->supported && cs->value >= 3, "context switches: %llu",
	      cs ? (unsigned long long)cs->value : 0ull);
	for (unsigned i = 0; i < hc.n; i++) {
		const struct host_counter *c = &hc.c[i];
		printf("  %-40s %-8s %llu %s\n", c->name, c->supported ? "counted" : "n/a",
		       (unsigned long long)c->value, c->supported ? "" : c->why);
		/* A hardware counter is either counted (and then non-zero after
		 * real work) or reported unsupported with the reason. */
		CHECK(c->supported ? c->value > 0 : c->why[0] != '\0', "%s: value %llu why '%s'",
		      c->name, (unsigned long long)c->value, c->why);
		CHECK(c->fd == -1, "%s closed", c->name);
	}
	const struct host_counter *cy = find(&hc, "cycles");
	CHECK(cy && strcmp(cy->name, "perf::PERF_COUNT_HW_CPU_CYCLES") == 0,
	      "cycles canonical name");
}

static void test_names(void)
{
	struct host_counters hc;
	char err[256] = "";
	const char *const bad[] = { "page-faults", "no-such-event-xyz", NULL };
	CHECK(host_counters_start(&hc, 0, bad, err, sizeof err) == -1 &&
		      strstr(err, "no-such-event-xyz") != NULL,
	      "unknown name rejected: '%s'", err);
	const char *const alias[] = { "PERF_COUNT_SW_CONTEXT_SWITCHES", "cs", NULL };
	CHECK(host_counters_start(&hc, 0, alias, err, sizeof err) == 0, "aliases: %s", err);
	CHECK(hc.n == 2 && strcmp(hc.c[0].name, hc.c[1].name) == 0,
	      "two aliases, one canonical name: '%s' '%s'", hc.c[0].name, hc.c[1].name);
	CHECK(host_counters_stop(&hc, err, sizeof err) == 0, "stop: %s", err);
}

int main(void)
{
	test_defaults();
	test_names();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
