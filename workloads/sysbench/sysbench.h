/*
 * sysbench.h - the sysbench-like suite of the vtlab guest (/bin/sysbench):
 * what the driver (main.c, options.c, runner.c, latency.c) and the tests
 * (test_*.c) agree on.
 *
 * A run is `sysbench TEST [--small] [options]`.  Every test is a fixed
 * number of events (--events, or the test's default).  Determinism contract
 * (the output digest must not depend on the vCPU count, the thread count or
 * the MMU): the events are cut into chunks whose size depends only on the
 * event count (runner.c), worker threads take whole chunks, a test draws
 * every random number of event e from sb_rng_for(seed, e) and folds what an
 * event computes into its chunk's result only, and the driver combines
 * chunk results in chunk order.  Anything that depends on timing
 * (latencies, events per thread) is printed but never digested.
 */
#ifndef SYSBENCH_H
#define SYSBENCH_H

#include <stdint.h>

#include "vtlab.h"

#define SB_MAX_THREADS 64

/* ---- deterministic PRNG: SplitMix64 (Steele, Lea, Flood, OOPSLA 2014) ---- */
typedef struct {
	uint64_t s;
} sb_rng_t;

static inline uint64_t sb_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t sb_rng_next(sb_rng_t *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return sb_mix64(r->s);
}

/* Uniform in [0, n) for n > 0 (multiply-high: no division, tiny bias). */
static inline uint64_t sb_rng_below(sb_rng_t *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)sb_rng_next(r) * n) >> 64);
}

/* The stream of event e: independent of which thread runs the event. */
static inline sb_rng_t sb_rng_for(uint64_t seed, uint64_t e)
{
	sb_rng_t r = { sb_mix64(seed ^ sb_mix64(e + 0x632be59bd9b4e019ull)) };
	return r;
}

/* Folds v into an ordered accumulator (chunk results, per-event values). */
static inline uint64_t sb_fold(uint64_t acc, uint64_t v)
{
	return sb_mix64(acc ^ v) + 0x9e3779b97f4a7c15ull;
}

/* ---- options (options.c) ---- */
enum sb_opt_kind { SB_OPT_U64, SB_OPT_SIZE, SB_OPT_STR };

/* One --name=value option of a test.  value_small applies with --small
 * when the option is not given; 0 means "same as value". */
struct sb_option {
	const char *name;
	enum sb_opt_kind kind;
	const char *help;
	uint64_t value, value_small; /* U64, SIZE: the default */
	const char *str;             /* STR: the default, then the value */
	const char *const *choices;  /* STR: NULL-terminated allowed values */
	int given;                   /* set by sb_options_parse */
};

/* Parses argv (after the test name) against the common options and the
 * test's own; prints one line naming the option and what was expected and
 * returns -1 on error. */
struct sb_common {
	uint64_t threads; /* --threads, default vt_nprocs() */
	uint64_t events;  /* --events, default the test's */
	uint64_t seed;    /* --rand-seed */
	int small;        /* --small */
	int verbose;      /* --verbosity=N >= 4: per-chunk lines */
};
int sb_options_parse(int argc, char **argv, struct sb_common *c, struct sb_option *opts);
struct sb_option *sb_option_find(struct sb_option *opts, const char *name);
uint64_t sb_opt_u64(struct sb_option *opts, const char *name);
const char *sb_opt_str(struct sb_option *opts, const char *name);
void sb_options_print(const struct sb_option *opts, int small);
/* Formats a byte count as sysbench does ("16KiB", "2MiB"). */
const char *sb_fmt_size(char *buf, unsigned n, uint64_t bytes);

/* ---- file I/O helpers (sb_io.c): the kernel has no pread/pwrite, so a
 * positioned transfer is lseek + read/write; the caller must own the fd
 * (hold the lock that guards its offset).  Whole transfers or -1 with a
 * message naming what and where. ---- */
int sb_pread_full(int fd, void *buf, uint64_t n, uint64_t off, const char *what);
int sb_pwrite_full(int fd, const void *buf, uint64_t n, uint64_t off, const char *what);
/* Creates the suite's data directory (SB_DATA_DIR) if needed; 0 or -1. */
#define SB_DATA_DIR "/sbtest"
int sb_data_dir(void);

/* ---- latency statistics (latency.c): log-scale histogram in ns ---- */
#define SB_HIST_SUB 16 /* buckets per power of two */
#define SB_HIST_BUCKETS (64 * SB_HIST_SUB)
struct sb_latency {
	uint64_t count, sum_ns, min_ns, max_ns;
	uint32_t bucket[SB_HIST_BUCKETS];
};
void sb_latency_init(struct sb_latency *l);
void sb_latency_add(struct sb_latency *l, uint64_t ns);
void sb_latency_merge(struct sb_latency *into, const struct sb_latency *from);
uint64_t sb_latency_percentile(const struct sb_latency *l, unsigned pct); /* ns */
/* Prints a nanosecond count as milliseconds with 2 decimals. */
const char *sb_fmt_ms(char *buf, unsigned n, uint64_t ns);

/* ---- the runner (runner.c) ---- */
struct sb_run;

/* One chunk: events [first, first + count), taken whole by one thread. */
struct sb_chunk {
	uint64_t index, first, count;
	uint64_t result; /* the test's deterministic fold of its events */
	uint64_t errors; /* failed events (validation), must stay 0 */
};

/* A worker thread.  priv: the test's per-thread state. */
struct sb_worker {
	struct sb_run *run;
	unsigned id;
	uint64_t events;
	struct sb_latency lat;
	void *priv;
};

/* A test.  Every hook but event may be NULL.  setup (untimed) validates the
 * options and prepares data (sysbench's `prepare`); the timed phase runs
 * worker_init, then per chunk chunk_begin, event per event, chunk_end, then
 * worker_fini, then finish_timed (e.g. a final fsync, still timed);
 * digest (untimed) adds the test's final state to the output digest and
 * verifies it; cleanup removes what setup created. */
struct sb_test {
	const char *name;
	const char *summary;
	uint64_t default_events, small_events;
	struct sb_option *options;
	int (*setup)(struct sb_run *r);
	void *(*worker_init)(struct sb_run *r, unsigned id);
	void (*chunk_begin)(struct sb_worker *w, struct sb_chunk *c);
	int (*event)(struct sb_worker *w, struct sb_chunk *c, uint64_t e);
	void (*chunk_end)(struct sb_worker *w, struct sb_chunk *c);
	void (*worker_fini)(struct sb_worker *w);
	int (*finish_timed)(struct sb_run *r);
	int (*digest)(struct sb_run *r, vt_digest_t *d);
	void (*report)(struct sb_run *r);
	void (*cleanup)(struct sb_run *r);
};

struct sb_run {
	const struct sb_test *test;
	struct sb_common common;
	uint64_t events, chunk_size, nchunks;
	struct sb_chunk *chunks;
	unsigned nthreads;
	struct sb_worker workers[SB_MAX_THREADS];
	uint64_t next_chunk; /* atomically taken */
	uint64_t start_ns, end_ns;
	void *priv; /* the test's shared state */
};

/* Runs the test's timed phase; 0 or -1. */
int sb_run_events(struct sb_run *r);
/* The chunking rule (runner.c): a function of the event count only. */
void sb_chunking(uint64_t events, uint64_t *chunk_size, uint64_t *nchunks);

/* ---- the tests ---- */
extern const struct sb_test sb_test_cpu, sb_test_memory, sb_test_fileio, sb_test_oltp,
	sb_test_threads, sb_test_mutex;

#endif
