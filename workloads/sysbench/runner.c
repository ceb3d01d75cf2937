/*
 * runner.c - the timed phase of a test: worker threads run the events in
 * chunks, each event timed in modeled nanoseconds (clock_gettime is modeled
 * time) into the worker's latency histogram.
 *
 * Work division, the determinism rule of the suite: the E events are cut
 * into chunks of ceil(E / SB_CHUNKS) consecutive events (so at most
 * SB_CHUNKS chunks); the cut depends on E only, never on the thread or vCPU
 * count.  Threads take whole chunks from a shared counter (dynamic load
 * balancing: which thread runs a chunk varies, what the chunk computes does
 * not) and run a chunk's events in order.  Each chunk's result lives in its
 * own slot; the driver folds the slots in chunk order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysbench.h"

#define SB_CHUNKS 128

void sb_chunking(uint64_t events, uint64_t *chunk_size, uint64_t *nchunks)
{
	/* ceil(a / b) without a + b - 1, which wraps for event counts near
	 * 2^64 (and then made 2^64 - 1 chunks of one event) */
	*chunk_size = events / SB_CHUNKS + (events % SB_CHUNKS != 0);
	if (*chunk_size == 0)
		*chunk_size = 1;
	*nchunks = events / *chunk_size + (events % *chunk_size != 0);
}

static void run_chunk(struct sb_worker *w, struct sb_chunk *c)
{
	const struct sb_test *t = w->run->test;
	if (t->chunk_begin)
		t->chunk_begin(w, c);
	for (uint64_t e = c->first; e < c->first + c->count; e++) {
		uint64_t t0 = vt_now_ns();
		if (t->event(w, c, e) < 0)
			c->errors++;
		uint64_t t1 = vt_now_ns();
		/* each vCPU has its own modeled clock: a thread that moved to
		 * another vCPU mid-event may read an earlier time */
		sb_latency_add(&w->lat, t1 > t0 ? t1 - t0 : 0);
		w->events++;
	}
	if (t->chunk_end)
		t->chunk_end(w, c);
}

static void *worker_main(void *arg)
{
	struct sb_worker *w = arg;
	struct sb_run *r = w->run;
	if (r->test->worker_init)
		w->priv = r->test->worker_init(r, w->id);
	for (;;) {
		uint64_t i = __atomic_fetch_add(&r->next_chunk, 1, __ATOMIC_RELAXED);
		if (i >= r->nchunks)
			break;
		run_chunk(w, &r->chunks[i]);
	}
	if (r->test->worker_fini)
		r->test->worker_fini(w);
	return NULL;
}

static int make_chunks(struct sb_run *r)
{
	sb_chunking(r->events, &r->chunk_size, &r->nchunks);
	r->chunks = calloc(r->nchunks, sizeof *r->chunks);
	if (!r->chunks) {
		fprintf(stderr, "sysbench: runner.c: out of memory for %llu chunks\n",
			(unsigned long long)r->nchunks);
		r->nchunks = 0; /* the driver folds r->nchunks slots of r->chunks */
		return -1;
	}
	for (uint64_t i = 0; i < r->nchunks; i++) {
		struct sb_chunk *c = &r->chunks[i];
		c->index = i;
		c->first = i * r->chunk_size;
		c->count =
			r->events - c->first < r->chunk_size ? r->events - c->first : r->chunk_size;
	}
	return 0;
}

int sb_run_events(struct sb_run *r)
{
	vt_thread_t th[SB_MAX_THREADS];
	if (make_chunks(r) < 0)
		return -1;
	r->next_chunk = 0;
	r->start_ns = vt_now_ns();
	unsigned started = 0;
	for (unsigned i = 0; i < r->nthreads; i++) {
		struct sb_worker *w = &r->workers[i];
		w->run = r;
		w->id = i;
		w->events = 0;
		w->priv = NULL;
		sb_latency_init(&w->lat);
		if (vt_thread_create(&th[i], worker_main, w) != 0) {
			perror("sysbench: runner.c: vt_thread_create");
			break;
		}
		started++;
	}
	for (unsigned i = 0; i < started; i++)
		vt_thread_join(th[i], NULL);
	r->nthreads = started; /* 0: no event ran (the driver reports nothing) */
	if (started == 0)
		return -1;
	int rc = r->test->finish_timed ? r->test->finish_timed(r) : 0;
	r->end_ns = vt_now_ns();
	return rc;
}
