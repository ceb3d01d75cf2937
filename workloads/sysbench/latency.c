/*
 * latency.c - event latency statistics: exact count, sum, min and max, and
 * a log-scale histogram for percentiles (as sysbench's, which keeps 1024
 * logarithmic buckets; here SB_HIST_SUB buckets per power of two, so a
 * percentile is reported as its bucket's upper bound, within 1/16 = 6%).
 * Each worker keeps its own histogram; the driver merges them.
 */
#include <stdio.h>
#include <string.h>

#include "sysbench.h"

void sb_latency_init(struct sb_latency *l)
{
	memset(l, 0, sizeof *l);
	l->min_ns = UINT64_MAX;
}

/* Bucket of v: its power of two, then the next log2(SB_HIST_SUB) bits. */
static unsigned bucket_of(uint64_t v)
{
	if (v < SB_HIST_SUB)
		return (unsigned)v;
	unsigned msb = 63 - (unsigned)__builtin_clzll(v);
	unsigned sub = (unsigned)(v >> (msb - 4)) & (SB_HIST_SUB - 1);
	return (msb - 3) * SB_HIST_SUB + sub;
}

/* The largest value that falls into bucket b. */
static uint64_t bucket_top(unsigned b)
{
	if (b < SB_HIST_SUB)
		return b;
	unsigned msb = b / SB_HIST_SUB + 3, sub = b % SB_HIST_SUB;
	uint64_t lo = (1ull << msb) | ((uint64_t)sub << (msb - 4));
	return lo + (1ull << (msb - 4)) - 1;
}

void sb_latency_add(struct sb_latency *l, uint64_t ns)
{
	l->count++;
	l->sum_ns += ns;
	if (ns < l->min_ns)
		l->min_ns = ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
	l->bucket[bucket_of(ns)]++;
}

void sb_latency_merge(struct sb_latency *into, const struct sb_latency *from)
{
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	if (from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
	for (unsigned b = 0; b < SB_HIST_BUCKETS; b++)
		into->bucket[b] += from->bucket[b];
}

uint64_t sb_latency_percentile(const struct sb_latency *l, unsigned pct)
{
	if (l->count == 0)
		return 0;
	/* the smallest bucket holding at least pct% of the events */
	uint64_t need = (l->count * pct + 99) / 100, seen = 0;
	for (unsigned b = 0; b < SB_HIST_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen >= need) {
			uint64_t top = bucket_top(b);
			return top > l->max_ns ? l->max_ns : top;
		}
	}
	return l->max_ns;
}

const char *sb_fmt_ms(char *buf, unsigned n, uint64_t ns)
{
	uint64_t centi = (ns + 5000) / 10000; /* hundredths of a millisecond */
	snprintf(buf, n, "%llu.%02llu", (unsigned long long)(centi / 100),
		 (unsigned long long)(centi % 100));
	return buf;
}
