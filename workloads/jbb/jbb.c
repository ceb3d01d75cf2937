/*
 * jbb.c - /bin/jbb, the SPECjbb2005-like workload of the vtlab guest.
 *
 * W warehouses run as W threads over the vCPUs, each on its own object
 * heap (one slice of a single anonymous mapping of --heap MB) with its own
 * generator.  Phases: build the shared item table; every thread populates
 * its warehouse; all meet at a barrier, the main thread reads the modeled
 * clock, and the transactions start; all meet again when done and the
 * clock is read again (the measured phase, as SPECjbb measures only its
 * steady state); then each thread digests its warehouse.  Reported to the
 * lab device: the metric "bops" (transactions per modeled second) and the
 * digest of the warehouses' digests in warehouse order, which depends on
 * neither the MMU nor the number of vCPUs.  Exit code 0, or 1 on error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "items.h"
#include "options.h"
#include "report.h"
#include "vtlab.h"
#include "warehouse.h"

static vt_barrier_t populated, started, finished;

static void *warehouse_thread(void *arg)
{
	warehouse_ctx *w = arg;
	warehouse_populate(w);
	vt_barrier_wait(&populated);
	vt_barrier_wait(&started);
	warehouse_run(w);
	vt_barrier_wait(&finished);
	warehouse_finish(w);
	return NULL;
}

/* One anonymous mapping for all heaps, cut in page-aligned slices. */
static warehouse_ctx *create_warehouses(const jbb_config *cfg, const struct item *items)
{
	size_t total = cfg->heap_mb ? (size_t)cfg->heap_mb << 20
				    : (size_t)cfg->heap_kb_default * 1024 * cfg->warehouses;
	size_t slice = total / cfg->warehouses & ~(size_t)4095;
	char *arena = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	warehouse_ctx *w = calloc(cfg->warehouses, sizeof *w);
	if (arena == MAP_FAILED || !w || slice == 0) {
		fprintf(stderr, "jbb: --heap: cannot map %zu KB for the heaps of %u warehouses\n",
			total >> 10, cfg->warehouses);
		return NULL;
	}
	for (unsigned i = 0; i < cfg->warehouses; i++)
		warehouse_init(&w[i], i + 1, cfg, items, arena + i * slice, slice);
	return w;
}

/* Runs the threads; *ns = the measured phase's modeled nanoseconds. */
static void run_threads(const jbb_config *cfg, warehouse_ctx *w, uint64_t *ns)
{
	vt_thread_t t[JBB_MAX_WAREHOUSES];
	vt_barrier_init(&populated, cfg->warehouses + 1);
	vt_barrier_init(&started, cfg->warehouses + 1);
	vt_barrier_init(&finished, cfg->warehouses + 1);
	for (unsigned i = 0; i < cfg->warehouses; i++) {
		if (vt_thread_create(&t[i], warehouse_thread, &w[i]) != 0) {
			perror("jbb: vt_thread_create");
			exit(1); /* the threads already started wait forever */
		}
	}
	vt_barrier_wait(&populated);
	uint64_t t0 = vt_now_ns();
	vt_barrier_wait(&started);
	vt_barrier_wait(&finished);
	*ns = vt_now_ns() - t0;
	for (unsigned i = 0; i < cfg->warehouses; i++)
		vt_thread_join(t[i], NULL);
}

static uint64_t run_digest(const jbb_config *cfg, const warehouse_ctx *w)
{
	vt_digest_t d;
	vt_digest_init(&d);
	for (unsigned i = 0; i < cfg->warehouses; i++)
		vt_digest_update(&d, &w[i].digest, sizeof w[i].digest);
	return vt_digest_final(&d);
}

int main(int argc, char **argv)
{
	jbb_config cfg;
	if (jbb_parse_options(argc, argv, &cfg) != 0)
		return 1;
	struct item *items = items_create(cfg.items);
	if (!items) {
		fprintf(stderr, "jbb: --items %u: out of memory for the item table\n", cfg.items);
		return 1;
	}
	warehouse_ctx *w = create_warehouses(&cfg, items);
	if (!w)
		return 1;
	struct jbb_result r = { .vcpus = (unsigned)vt_nprocs() };
	run_threads(&cfg, w, &r.measured_ns);
	for (unsigned i = 0; i < cfg.warehouses; i++)
		for (unsigned k = 0; k < TX_KINDS; k++)
			r.total_txns += w[i].count[k];
	r.digest = run_digest(&cfg, w);
	report_print(&cfg, w, &r);
	fflush(stdout);
	if (r.measured_ns)
		vt_lab_metric("bops", (double)r.total_txns * 1e9 / (double)r.measured_ns);
	vt_lab_digest(r.digest);
	return 0;
}
