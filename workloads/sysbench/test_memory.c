/*
 * test_memory.c - sysbench's memory test: each event reads or writes one
 * block of --memory-block-size bytes, sequentially (every 64-bit word in
 * order) or randomly (as many words as the block holds, at random
 * indices).  Events = --memory-total-size / --memory-block-size unless
 * --events is given.
 *
 * Buffers: one per thread (sysbench's --memory-scope=local), refilled at
 * the start of every chunk with a pattern of the chunk's index, so what a
 * chunk reads and leaves behind depends on the chunk alone.  Results: a
 * read event folds the sum of the words it read; a write chunk folds the
 * digest of its buffer at the chunk's end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysbench.h"

static const char *const oper_choices[] = { "read", "write", "none", NULL };
static const char *const mode_choices[] = { "seq", "rnd", NULL };

static struct sb_option memory_options[] = {
	{ "memory-block-size", SB_OPT_SIZE, "size of memory block for test", 1024, 0, 0, 0, 0 },
	{ "memory-total-size", SB_OPT_SIZE, "total size of data to transfer", 1ull << 30,
	  16ull << 20, 0, 0, 0 },
	{ "memory-oper", SB_OPT_STR, "type of memory operations", 0, 0, "write", oper_choices, 0 },
	{ "memory-access-mode", SB_OPT_STR, "memory access mode", 0, 0, "seq", mode_choices, 0 },
	{ 0 },
};

static struct {
	uint64_t words; /* per block */
	int write, none, rnd;
	uint64_t seed;
} m;

static int memory_setup(struct sb_run *r)
{
	uint64_t bs = sb_opt_u64(memory_options, "memory-block-size");
	uint64_t total = sb_opt_u64(memory_options, "memory-total-size");
	if (bs < 8 || bs % 8 || bs > (1ull << 30)) {
		fprintf(stderr, "sysbench: option --memory-block-size: expected a multiple of 8 "
				"from 8 to 1G\n");
		return -1;
	}
	m.words = bs / 8;
	m.write = strcmp(sb_opt_str(memory_options, "memory-oper"), "write") == 0;
	m.none = strcmp(sb_opt_str(memory_options, "memory-oper"), "none") == 0;
	m.rnd = strcmp(sb_opt_str(memory_options, "memory-access-mode"), "rnd") == 0;
	m.seed = r->common.seed;
	if (!r->common.events) {
		r->events = total / bs;
		if (r->events == 0) {
			fprintf(stderr, "sysbench: option --memory-total-size: expected at least "
					"one block\n");
			return -1;
		}
	}
	return 0;
}

static void *memory_worker_init(struct sb_run *r, unsigned id)
{
	(void)r;
	(void)id;
	uint64_t *buf = malloc(m.words * 8);
	if (!buf)
		fprintf(stderr, "sysbench: test_memory.c: out of memory for a %llu-byte block\n",
			(unsigned long long)m.words * 8);
	return buf;
}

static void memory_chunk_begin(struct sb_worker *w, struct sb_chunk *c)
{
	uint64_t *buf = w->priv, v = sb_mix64(m.seed ^ c->index);
	if (buf)
		for (uint64_t i = 0; i < m.words; i++, v += 0x9e3779b97f4a7c15ull)
			buf[i] = v;
}

static uint64_t block_access(volatile uint64_t *buf, uint64_t e)
{
	uint64_t sum = 0;
	if (!m.rnd) {
		if (m.write)
			for (uint64_t i = 0; i < m.words; i++)
				buf[i] = e + i;
		else
			for (uint64_t i = 0; i < m.words; i++)
				sum += buf[i];
		return sum;
	}
	sb_rng_t rng = sb_rng_for(m.seed, e);
	for (uint64_t i = 0; i < m.words; i++) {
		uint64_t k = sb_rng_below(&rng, m.words);
		if (m.write)
			buf[k] = e + i;
		else
			sum += buf[k];
	}
	return sum;
}

static int memory_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	if (!w->priv)
		return -1;
	if (m.none)
		return 0;
	uint64_t sum = block_access(w->priv, e);
	if (!m.write)
		c->result = sb_fold(c->result, sum);
	return 0;
}

static void memory_chunk_end(struct sb_worker *w, struct sb_chunk *c)
{
	if (w->priv && m.write)
		c->result = sb_fold(c->result, vt_digest(w->priv, m.words * 8));
}

static void memory_worker_fini(struct sb_worker *w)
{
	free(w->priv);
}

static void memory_report(struct sb_run *r)
{
	uint64_t bytes = r->events * m.words * 8;
	uint64_t ns = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 1;
	uint64_t mib_s = (uint64_t)((double)bytes * 1e9 / (double)ns / 1048576.0);
	printf("%llu MiB transferred (%llu MiB/sec)\n\n", (unsigned long long)(bytes >> 20),
	       (unsigned long long)mib_s);
}

const struct sb_test sb_test_memory = {
	.name = "memory",
	.summary = "Memory functions speed test",
	.options = memory_options,
	.setup = memory_setup,
	.worker_init = memory_worker_init,
	.chunk_begin = memory_chunk_begin,
	.event = memory_event,
	.chunk_end = memory_chunk_end,
	.worker_fini = memory_worker_fini,
	.report = memory_report,
};
