/*
 * test_trace.c - unit test of the tracepoint API (tracer/trace.c,
 * tracer/tracepoints.c).
 *
 * Checks the TRACE() macro against a hart-like struct (disabled category:
 * nothing emitted), the record trace_emit writes, per-vCPU sequence
 * numbers, exact 1-in-N sampling per vCPU and per type, the addr0 filter
 * (and that sampling counts only filtered-in events), drop-mode gaps in seq,
 * a lossless ring whose consumer is gone (tracer fails and disables itself),
 * tracer_init errors, the names from tracepoints.def, and the parsers of
 * --trace, --trace-sample and --trace-filter with their error messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "trace.h"

/* What TRACE() needs from struct hart. */
struct fake_hart {
	uint32_t trace_mask;
	struct tracer *tracer;
	unsigned id;
	uint64_t cycles;
	unsigned level;
};

static struct tracer tr;
static char err[1024];

static int setup(unsigned nrings, uint64_t capacity, enum ring_mode mode, uint32_t mask)
{
	int rc = tracer_init(&tr, nrings, capacity, mode, mask, err, sizeof err);
	CHECK(rc == 0, "tracer_init: %s", err);
	return rc;
}

static size_t drain(unsigned vcpu, struct trace_record *out, size_t max)
{
	return trace_ring_pop(&tr.ring[vcpu], out, max);
}

/* ---------------------------------------------------------------- names */

static void test_names(void)
{
	CHECK(strcmp(tp_name(TP_VM_EXIT), "vm_exit") == 0, "'%s'", tp_name(TP_VM_EXIT));
	CHECK(strcmp(tp_name(0), "exception") == 0, "type 0 is the first of the .def");
	CHECK(strcmp(tp_name(TP_COUNT - 1), "shadow_flush") == 0, "last");
	CHECK(tp_name(TP_COUNT) == NULL && tp_category_name(TPC_COUNT) == NULL, "out of range");
	CHECK(tp_category_of(TP_VM_EXIT) == TPC_EXITS && tp_category_of(TP_TLB_MISS) == TPC_TLB &&
		      tp_category_of(TP_SHADOW_FLUSH) == TPC_NESTED &&
		      tp_category_of(TP_COUNT) == TPC_COUNT,
	      "categories");
	CHECK((unsigned)TPCAT_INJECT == (unsigned)TPC_FAULTS, "TPCAT_ constants");
	CHECK(strcmp(tp_category_name(TPC_MMIO), "mmio") == 0, "'%s'", tp_category_name(TPC_MMIO));
	int unique = 1;
	for (unsigned a = 0; a < TP_COUNT; a++)
		for (unsigned b = a + 1; b < TP_COUNT; b++)
			unique &= strcmp(tp_name(a), tp_name(b)) != 0;
	CHECK(unique, "names are unique");
}

/* ---------------------------------------------------------------- emit */

static void test_disabled(void)
{
	if (setup(1, 16, RING_LOSSLESS, 1u << TPC_EXITS))
		return;
	struct fake_hart h = { .trace_mask = 0, .tracer = &tr, .id = 0, .cycles = 5, .level = 1 };
	struct trace_record out[16];
	TRACE(&h, VM_EXIT, 1, 2, 3, 4);
	CHECK(drain(0, out, 16) == 0, "hart mask 0: nothing");
	h.trace_mask = tr.cat_mask;
	TRACE(&h, TLB_MISS, 1, 2, 3, 4);
	TRACE(&h, MMIO_READ, 1, 2, 3, 4);
	CHECK(drain(0, out, 16) == 0, "categories off: nothing");
	h.trace_mask = ~0u; /* a stale hart copy: the tracer's mask still rules */
	TRACE(&h, TLB_MISS, 1, 2, 3, 4);
	CHECK(drain(0, out, 16) == 0 && tr.emitted[0] == 0, "tracer mask rules");
	trace_emit(&tr, 1, TP_VM_EXIT, 0, 0, 0, 0, 0, 0);
	trace_emit(&tr, 0, TP_COUNT, 0, 0, 0, 0, 0, 0);
	trace_emit(NULL, 0, TP_VM_EXIT, 0, 0, 0, 0, 0, 0);
	CHECK(drain(0, out, 16) == 0 && tr.emitted[0] == 0, "bad vcpu, type or tracer ignored");
	tracer_destroy(&tr);
	/* Only the type's own category bit counts, not its neighbour's
	 * (FAULTS is bit 1, EXITS bit 0). */
	if (setup(1, 16, RING_LOSSLESS, 1u << TPC_FAULTS))
		return;
	trace_emit(&tr, 0, TP_VM_EXIT, 0, 0, 0, 0, 0, 0);
	CHECK(drain(0, out, 16) == 0 && tr.emitted[0] == 0, "exits off while faults on: nothing");
	tracer_destroy(&tr);
	/* Type TP_COUNT is refused before any table is read, every category on. */
	if (setup(1, 16, RING_LOSSLESS, ~0u))
		return;
	trace_emit(&tr, 0, TP_COUNT, 0, 0, 0, 0, 0, 0);
	CHECK(drain(0, out, 16) == 0 && tr.emitted[0] == 0, "type TP_COUNT ignored, all on");
	tracer_destroy(&tr);
}

static void test_record(void)
{
	if (setup(2, 16, RING_LOSSLESS, 0x3f))
		return;
	struct fake_hart h0 = { 0x3f, &tr, 0, 1000, 1 }, h1 = { 0x3f, &tr, 1, 7, 2 };
	TRACE(&h0, VM_EXIT, 0x1234, 0x80001000, 0xdead, 99);
	h0.cycles = 1010;
	TRACE(&h0, MMIO_WRITE, 4, 0x10000000, 0x41, 0);
	TRACE(&h1, SHADOW_FLUSH, 2, 0x5000, 0, 12);
	struct trace_record out[4];
	size_t n = drain(0, out, 4);
	CHECK(n == 2, "two records on vCPU 0: %zu", n);
	CHECK(out[0].cycles == 1000 && out[0].type == TP_VM_EXIT && out[0].vcpu == 0 &&
		      out[0].level == 1 && out[0].reason == 0x1234 && out[0].addr0 == 0x80001000 &&
		      out[0].addr1 == 0xdead && out[0].aux == 99 && out[0].seq == 0,
	      "first record");
	CHECK(out[1].cycles == 1010 && out[1].type == TP_MMIO_WRITE && out[1].seq == 1,
	      "second record, seq 1");
	n = drain(1, out, 4);
	CHECK(n == 1 && out[0].vcpu == 1 && out[0].level == 2 && out[0].type == TP_SHADOW_FLUSH &&
		      out[0].seq == 0 && out[0].aux == 12,
	      "vCPU 1 has its own ring and seq");
	CHECK(tr.emitted[0] == 2 && tr.emitted[1] == 1, "emitted counts");
	tracer_destroy(&tr);
}

static void test_sampling(void)
{
	if (setup(2, 64, RING_LOSSLESS, 0x3f))
		return;
	tr.sample[TP_VM_EXIT] = 3;
	tr.sample[TP_TLB_MISS] = 1;
	for (uint64_t i = 0; i < 10; i++) {
		trace_emit(&tr, 0, TP_VM_EXIT, i, 0, 0, 0, 0, i);
		trace_emit(&tr, 0, TP_TLB_MISS, i, 0, 0, 0, 0, 100 + i);
	}
	for (uint64_t i = 0; i < 4; i++)
		trace_emit(&tr, 1, TP_VM_EXIT, i, 0, 0, 0, 0, 200 + i);
	struct trace_record out[64];
	size_t n = drain(0, out, 64);
	uint64_t exits[8], nexits = 0, misses = 0;
	int seq_ok = 1;
	for (size_t i = 0; i < n; i++) {
		seq_ok &= out[i].seq == i;
		if (out[i].type == TP_VM_EXIT && nexits < 8)
			exits[nexits++] = out[i].aux;
		misses += out[i].type == TP_TLB_MISS;
	}
	CHECK(nexits == 4 && exits[0] == 0 && exits[1] == 3 && exits[2] == 6 && exits[3] == 9,
	      "1 in 3 vm_exits: the 1st, 4th, 7th, 10th (%llu kept)", (unsigned long long)nexits);
	CHECK(misses == 10, "tlb_miss (N = 1) all kept: %llu", (unsigned long long)misses);
	CHECK(seq_ok && n == 14, "seq contiguous over kept records");
	CHECK(tr.sampled_out[0] == 6 && tr.emitted[0] == 14, "sampled out 6, emitted 14");
	n = drain(1, out, 64);
	CHECK(n == 2 && out[0].aux == 200 && out[1].aux == 203, "vCPU 1 samples on its own");
	tracer_destroy(&tr);
}

static void test_filter(void)
{
	if (setup(1, 64, RING_LOSSLESS, 0x3f))
		return;
	tr.filter_lo = 0x1000;
	tr.filter_hi = 0x2000;
	uint64_t addrs[] = { 0xfff, 0x1000, 0x1800, 0x1fff, 0x2000, 0, UINT64_MAX };
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
		trace_emit(&tr, 0, TP_PT_WALK, 0, 0, 0, addrs[i], 0, 0);
	struct trace_record out[16];
	size_t n = drain(0, out, 16);
	CHECK(n == 3 && out[0].addr0 == 0x1000 && out[1].addr0 == 0x1800 &&
		      out[2].addr0 == 0x1fff && out[2].seq == 2,
	      "addr0 in [0x1000, 0x2000) only: %zu", n);
	/* Sampling counts events that pass the filter. */
	tr.sample[TP_PT_WALK] = 2;
	for (uint64_t i = 0; i < 8; i++)
		trace_emit(&tr, 0, TP_PT_WALK, 0, 0, 0, i % 2 ? 0x1000 + i : 0x9000, 0, i);
	n = drain(0, out, 16);
	CHECK(n == 2 && out[0].aux == 1 && out[1].aux == 5, "filter then 1 in 2: %zu", n);
	tr.filter_lo = tr.filter_hi = 0; /* lo >= hi: no filter */
	tr.sample[TP_PT_WALK] = 0;
	trace_emit(&tr, 0, TP_PT_WALK, 0, 0, 0, 0xfff, 0, 0);
	CHECK(drain(0, out, 16) == 1, "no filter");
	tracer_destroy(&tr);
}

static void test_drop_gaps(void)
{
	if (setup(1, 4, RING_DROP, 0x3f))
		return;
	for (uint64_t i = 0; i < 10; i++)
		trace_emit(&tr, 0, TP_EXCEPTION, 500 + i, 0, 0, 0, 0, 0);
	struct trace_record out[8];
	size_t n = drain(0, out, 8);
	trace_emit(&tr, 0, TP_EXCEPTION, 600, 0, 0, 0, 0, 0);
	n += drain(0, out + n, 8 - n);
	CHECK(n == 5 && out[3].seq == 3 && out[4].seq == 10, "seq gap 4..9 = the lost records");
	CHECK(tr.ring[0].hdr->lost == 6 && tr.ring[0].hdr->lost_first_cycles == 504 &&
		      tr.ring[0].hdr->lost_last_cycles == 509 && !tracer_failed(&tr),
	      "6 lost in [504, 509], not a failure");
	tracer_destroy(&tr);
}

static int consumer_gone(void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_failure(void)
{
	if (setup(2, 2, RING_LOSSLESS, 0x3f))
		return;
	int asked = 0;
	tracer_set_consumer_alive(&tr, consumer_gone, &asked);
	struct fake_hart h = { 0x3f, &tr, 1, 0, 1 };
	TRACE(&h, VM_ENTRY, 0, 0, 0, 0);
	TRACE(&h, VM_ENTRY, 0, 0, 0, 0);
	CHECK(!tracer_failed(&tr) && asked == 0, "two records fit");
	TRACE(&h, VM_ENTRY, 0, 0, 0, 0);
	CHECK(tracer_failed(&tr) && tr.failed && tr.cat_mask == 0 && asked == 1,
	      "full ring, consumer gone: failed, disabled (asked %d)", asked);
	TRACE(&h, VM_ENTRY, 0, 0, 0, 0);
	CHECK(asked == 1 && tr.emitted[1] == 2, "nothing more is tried");
	CHECK(!tracer_failed(NULL), "no tracer, no failure");
	tracer_finish(&tr);
	CHECK(tr.ring[0].hdr->producer_done && tr.ring[1].hdr->producer_done, "finish");
	tracer_destroy(&tr);
	CHECK(tr.nrings == 0, "destroyed");
}

static void test_init_errors(void)
{
	CHECK(tracer_init(&tr, 0, 16, RING_LOSSLESS, 1, err, sizeof err) == -1 &&
		      strcmp(err, "vtlab: tracer: 0 vCPUs: expected 1 to 8") == 0,
	      "'%s'", err);
	CHECK(tracer_init(&tr, 9, 16, RING_LOSSLESS, 1, err, sizeof err) == -1 &&
		      strstr(err, "9 vCPUs"),
	      "'%s'", err);
	CHECK(tracer_init(&tr, 3, 12, RING_DROP, 1, err, sizeof err) == -1 &&
		      strstr(err, "ring 0: capacity 12") && tr.nrings == 0,
	      "'%s'", err);
	if (setup(8, 2, RING_DROP, ~0u))
		return;
	CHECK(tr.nrings == 8 && tr.cat_mask == 0x3f, "8 rings, mask limited to categories");
	tracer_destroy(&tr);
}

/* ---------------------------------------------------------------- parsers */

static void expect_mask(const char *spec, uint32_t want)
{
	uint32_t m = 0xdeadbeef;
	int rc = trace_parse_categories(spec, &m, err, sizeof err);
	CHECK(rc == 0 && m == want, "'%s' -> 0x%x, want 0x%x (%s)", spec, m, want, rc ? err : "ok");
}

static void expect_mask_error(const char *spec, const char *msg)
{
	uint32_t m = 77;
	err[0] = '\0';
	int rc = trace_parse_categories(spec, &m, err, sizeof err);
	CHECK(rc == -1 && m == 77 && strcmp(err, msg) == 0, "'%s': '%s'", spec, err);
}

static void test_parse_categories(void)
{
	expect_mask("none", 0);
	expect_mask("all", 0x3f);
	expect_mask("exits", 1u << TPC_EXITS);
	expect_mask("faults", 1u << TPC_FAULTS);
	expect_mask("exits,faults", 3);
	expect_mask("TLB,vtlb,mmio,nested", 0x3c);
	expect_mask("exits,all", 0x3f);
	const char *valid = "expected none, all, or a comma list of exits, faults, tlb, vtlb, "
			    "mmio, nested";
	char msg[256];
	snprintf(msg, sizeof msg, "vtlab: --trace: unknown category 'bogus': %s", valid);
	expect_mask_error("exits,bogus", msg);
	snprintf(msg, sizeof msg, "vtlab: --trace: unknown category 'exit': %s", valid);
	expect_mask_error("exit", msg);
	snprintf(msg, sizeof msg, "vtlab: --trace '': empty category name: %s", valid);
	expect_mask_error("", msg);
	snprintf(msg, sizeof msg, "vtlab: --trace 'exits,': empty category name: %s", valid);
	expect_mask_error("exits,", msg);
}

static void expect_sample_error(const char *spec, const char *words)
{
	uint32_t s[TP_COUNT] = { 0 };
	err[0] = '\0';
	int rc = trace_parse_sample(spec, s, err, sizeof err);
	int untouched = 1;
	for (unsigned t = 0; t < TP_COUNT; t++)
		untouched &= s[t] == 0;
	CHECK(rc == -1 && untouched && strstr(err, words), "'%s': '%s' should say '%s'", spec, err,
	      words);
}

static void test_parse_sample(void)
{
	uint32_t s[TP_COUNT] = { 0 };
	CHECK(trace_parse_sample("vm_exit=100", s, err, sizeof err) == 0 && s[TP_VM_EXIT] == 100 &&
		      s[TP_VM_ENTRY] == 0,
	      "vm_exit=100: %s", err);
	CHECK(trace_parse_sample("TLB_MISS=4294967295", s, err, sizeof err) == 0 &&
		      s[TP_TLB_MISS] == UINT32_MAX && s[TP_VM_EXIT] == 100,
	      "any case, max, earlier options kept: %s", err);
	CHECK(trace_parse_sample("all=7", s, err, sizeof err) == 0 && s[0] == 7 &&
		      s[TP_COUNT - 1] == 7 && s[TP_VM_EXIT] == 7,
	      "all=7");
	expect_sample_error("vm_exit", "--trace-sample 'vm_exit': expected TYPE=N");
	expect_sample_error("vm_exits=3", "unknown tracepoint 'vm_exits': expected all or one of "
					  "exception, interrupt, tlb_miss");
	expect_sample_error("=3", "unknown tracepoint ''");
	expect_sample_error("vm_exit=0", "N '0': expected a whole number from 1 to 4294967295");
	expect_sample_error("vm_exit=", "N ''");
	expect_sample_error("vm_exit=-1", "N '-1'");
	expect_sample_error("vm_exit=+5", "N '+5'");
	expect_sample_error("vm_exit=12x", "N '12x'");
	expect_sample_error("vm_exit=4294967296", "N '4294967296'");
	expect_sample_error("vm_exit=99999999999999999999999", "N '99999999999999999999999'");
	char valid[1024];
	trace_parse_sample("x=1", s, valid, sizeof valid);
	int all_listed = 1;
	for (unsigned t = 0; t < TP_COUNT; t++)
		all_listed &= strstr(valid, tp_name(t)) != NULL;
	CHECK(all_listed, "the message lists every tracepoint: '%s'", valid);
}

static void expect_filter(const char *spec, uint64_t lo, uint64_t hi)
{
	uint64_t a = 1, b = 1;
	int rc = trace_parse_filter(spec, &a, &b, err, sizeof err);
	CHECK(rc == 0 && a == lo && b == hi, "'%s': %s", spec, rc ? err : "wrong values");
}

static void expect_filter_error(const char *spec, const char *words)
{
	uint64_t a = 1, b = 2;
	err[0] = '\0';
	int rc = trace_parse_filter(spec, &a, &b, err, sizeof err);
	CHECK(rc == -1 && a == 1 && b == 2 && strstr(err, words), "'%s': '%s' should say '%s'",
	      spec, err, words);
}

static void test_parse_filter(void)
{
	expect_filter("80000000-80200000", 0x80000000, 0x80200000);
	expect_filter("0x1000-0X2000", 0x1000, 0x2000);
	expect_filter("0-ffffffffffffffff", 0, UINT64_MAX);
	expect_filter("AbC-aBd", 0xabc, 0xabd);
	const char *form = "expected LO-HI, two hex addresses";
	expect_filter_error("1000", form);
	expect_filter_error("", form);
	expect_filter_error("-1000", form);
	expect_filter_error("1000-", form);
	expect_filter_error("0x-10", form);
	expect_filter_error("1000-2000-3000", form);
	expect_filter_error("g-10", form);
	expect_filter_error("1 -10", form);
	expect_filter_error("10000000000000000-20000000000000000", form);
	expect_filter_error("2000-1000", "--trace-filter '2000-1000': expected LO below HI");
	expect_filter_error("1000-1000", "expected LO below HI");
}

int main(void)
{
	alarm(60);
	test_names();
	test_disabled();
	test_record();
	test_sampling();
	test_filter();
	test_drop_gaps();
	test_failure();
	test_init_errors();
	test_parse_categories();
	test_parse_sample();
	test_parse_filter();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
