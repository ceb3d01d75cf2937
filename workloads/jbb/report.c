/*
 * report.c - the run's summary (report.h).
 */
#include "report.h"

#include <stdio.h>

#include "txn.h"

/* "43.48%": part / whole in hundredths of a percent, rounded. */
static void print_share(uint64_t part, uint64_t whole)
{
	uint64_t bp = whole ? (part * 100000 / whole + 5) / 10 : 0;
	printf("%3llu.%02llu%%", (unsigned long long)(bp / 100), (unsigned long long)(bp % 100));
}

static void print_mix(const jbb_config *cfg, const warehouse_ctx *w, uint64_t total)
{
	printf("\n  %-14s %12s %8s\n", "Transaction", "Count", "Share");
	for (unsigned k = 0; k < TX_KINDS; k++) {
		uint64_t n = 0;
		for (unsigned i = 0; i < cfg->warehouses; i++)
			n += w[i].count[k];
		printf("  %-14s %12llu  ", txn_name((enum txn_kind)k), (unsigned long long)n);
		print_share(n, total);
		printf("\n");
	}
	uint64_t rollbacks = 0, empty = 0;
	for (unsigned i = 0; i < cfg->warehouses; i++) {
		rollbacks += w[i].rollbacks;
		empty += w[i].empty_deliveries;
	}
	printf("  %-14s %12llu\n", "Total", (unsigned long long)total);
	printf("  new orders rolled back: %llu; districts with nothing to deliver: %llu\n",
	       (unsigned long long)rollbacks, (unsigned long long)empty);
}

static void print_warehouses(const jbb_config *cfg, const warehouse_ctx *w)
{
	printf("\n  %-9s %10s %11s %12s %9s  %-18s\n", "Warehouse", "Txns", "Collections",
	       "Reclaimed KB", "Live KB", "Digest");
	for (unsigned i = 0; i < cfg->warehouses; i++) {
		const jheap_stats *s = &w[i].heap.stats;
		uint64_t txns = 0;
		for (unsigned k = 0; k < TX_KINDS; k++)
			txns += w[i].count[k];
		printf("  %9u %10llu %11llu %12llu %9llu  0x%016llx\n", w[i].id,
		       (unsigned long long)txns, (unsigned long long)s->collections,
		       (unsigned long long)(s->bytes_reclaimed >> 10),
		       (unsigned long long)(s->live_bytes >> 10), (unsigned long long)w[i].digest);
	}
}

static void print_gc_totals(const jbb_config *cfg, const warehouse_ctx *w)
{
	uint64_t gcs = 0, allocated = 0, reclaimed = 0, objects = 0;
	for (unsigned i = 0; i < cfg->warehouses; i++) {
		gcs += w[i].heap.stats.collections;
		allocated += w[i].heap.stats.bytes_allocated;
		reclaimed += w[i].heap.stats.bytes_reclaimed;
		objects += w[i].heap.stats.objects_allocated;
	}
	printf("\n  Garbage collection: %llu full mark-compact collections; %llu objects (%llu MB) "
	       "allocated, %llu MB reclaimed\n",
	       (unsigned long long)gcs, (unsigned long long)objects,
	       (unsigned long long)(allocated >> 20), (unsigned long long)(reclaimed >> 20));
}

void report_print(const jbb_config *cfg, const warehouse_ctx *w, const struct jbb_result *r)
{
	printf("jbb: SPECjbb2005-like workload (vtlab)\n");
	printf("  %u warehouses (threads) on %u vCPUs; heap %zu KB (%zu KB per warehouse)\n",
	       cfg->warehouses, r->vcpus, (w[0].heap.capacity >> 10) * cfg->warehouses,
	       w[0].heap.capacity >> 10);
	printf("  %u items, %u districts x %u customers per warehouse; %llu transactions per warehouse\n",
	       cfg->items, JBB_DISTRICTS, cfg->customers, (unsigned long long)cfg->txns);
	print_mix(cfg, w, r->total_txns);
	print_warehouses(cfg, w);
	print_gc_totals(cfg, w);
	uint64_t us = r->measured_ns / 1000;
	uint64_t bops = r->measured_ns ? r->total_txns * 1000000000ull / r->measured_ns : 0;
	printf("  Measured phase: %llu.%06llu modeled seconds\n",
	       (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000));
	printf("  Result: %llu bops (business operations per modeled second)\n",
	       (unsigned long long)bops);
	printf("  Digest: 0x%016llx\n", (unsigned long long)r->digest);
}
