/*
 * trace.c - the enabled side of a tracepoint (trace_emit), the tracer's
 * rings, and the parsers of the --trace, --trace-sample and --trace-filter
 * options.  The contract is trace.h; what this file adds:
 *
 *  - trace_emit applies, in order: the category mask (so a tracer that
 *    failed or a category disabled after the harts copied the mask emits
 *    nothing), the address filter on addr0, then sampling.  Sampling keeps
 *    the 1st, (N+1)th, (2N+1)th... event of each type on each vCPU among
 *    those that passed the filter, so it is exact and deterministic.
 *  - seq counts the records handed to the ring per vCPU (stored, or lost in
 *    drop mode), not the sampled-out or filtered ones: a gap in seq is a
 *    lost record and nothing else.
 *  - emitted[v] counts the records handed to ring v; sampled_out[v] those
 *    sampling skipped.
 *  - On a failed push (lossless ring, consumer gone) the tracer sets
 *    `failed` and clears cat_mask; the VMM sees tracer_failed() and ends
 *    the run with an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errmsg.h"
#include "trace.h"

#define ALL_CATEGORIES ((uint32_t)((UINT64_C(1) << TPC_COUNT) - 1))

_Static_assert(TPC_COUNT <= 32, "categories fit the 32-bit masks");
_Static_assert(TRACE_MAX_VCPUS <= 256, "trace_record.vcpu is 8 bits");

/* Category bit of each type, as a table the emit path indexes directly. */
static const unsigned char category_bit[TP_COUNT] = {
#define TP(id, cat, desc, reason, addr0, addr1, aux) TPC_##cat,
#include "tracepoints.def"
};

/* ---------------------------------------------------------------- emit */

/* Returns nonzero if this event of `type` on `vcpu` is sampled out. */
static int sampled_out(struct tracer *t, unsigned vcpu, unsigned type)
{
	uint32_t n = t->sample[type];
	if (n <= 1)
		return 0;
	uint32_t *left = &t->sample_left[vcpu][type];
	if (*left) {
		(*left)--;
		t->sampled_out[vcpu]++;
		return 1;
	}
	*left = n - 1;
	return 0;
}

/* Writes every field of *r in place (a slot of the ring, in the fast path). */
static inline void fill_record(struct trace_record *r, uint64_t cycles, unsigned type,
			       unsigned vcpu, unsigned level, uint32_t reason, uint64_t addr0,
			       uint64_t addr1, uint64_t aux, uint64_t seq)
{
	r->cycles = cycles;
	r->type = (uint16_t)type;
	r->vcpu = (uint8_t)vcpu;
	r->level = (uint8_t)level;
	r->reason = reason;
	r->addr0 = addr0;
	r->addr1 = addr1;
	r->aux = aux;
	r->seq = seq;
}

void trace_emit(struct tracer *t, unsigned vcpu, unsigned type, uint64_t cycles, unsigned level,
		uint32_t reason, uint64_t addr0, uint64_t addr1, uint64_t aux)
{
	if (!t || vcpu >= t->nrings || type >= TP_COUNT)
		return;
	if (!((t->cat_mask >> category_bit[type]) & 1))
		return;
	if (t->filter_lo < t->filter_hi && (addr0 < t->filter_lo || addr0 >= t->filter_hi))
		return;
	if (sampled_out(t, vcpu, type))
		return;
	struct trace_ring *ring = &t->ring[vcpu];
	struct trace_record *slot = trace_ring_reserve(ring);
	struct trace_record full;
	fill_record(slot ? slot : &full, cycles, type, vcpu, level, reason, addr0, addr1, aux,
		    t->seq[vcpu]++);
	if (__builtin_expect(slot != NULL, 1)) {
		trace_ring_commit(ring);
	} else if (trace_ring_push(ring, &full) != 0) {
		t->failed = true;
		t->cat_mask = 0;
		return;
	}
	t->emitted[vcpu]++;
}

/* ---------------------------------------------------------------- tracer */

int tracer_init(struct tracer *t, unsigned nrings, uint64_t capacity, enum ring_mode mode,
		uint32_t cat_mask, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (nrings < 1 || nrings > TRACE_MAX_VCPUS) {
		tracer_errmsg(err, errlen, "vtlab: tracer: %u vCPUs: expected 1 to %d", nrings,
			      TRACE_MAX_VCPUS);
		return -1;
	}
	for (unsigned v = 0; v < TRACE_MAX_VCPUS; v++)
		t->ring[v].fd = -1;
	for (unsigned v = 0; v < nrings; v++) {
		if (trace_ring_create(&t->ring[v], v, capacity, mode, err, errlen) != 0) {
			tracer_destroy(t);
			return -1;
		}
		t->nrings = v + 1;
	}
	t->cat_mask = cat_mask & ALL_CATEGORIES;
	return 0;
}

void tracer_set_consumer_alive(struct tracer *t, int (*alive)(void *ctx), void *ctx)
{
	for (unsigned v = 0; v < t->nrings; v++) {
		t->ring[v].consumer_alive = alive;
		t->ring[v].alive_ctx = ctx;
	}
}

void tracer_finish(struct tracer *t)
{
	for (unsigned v = 0; v < t->nrings; v++)
		trace_ring_finish(&t->ring[v]);
}

void tracer_destroy(struct tracer *t)
{
	for (unsigned v = 0; v < t->nrings; v++)
		trace_ring_unmap(&t->ring[v]);
	t->nrings = 0;
	t->cat_mask = 0;
}

bool tracer_failed(const struct tracer *t)
{
	return t && t->failed;
}

/* ---------------------------------------------------------------- parsers */

/* Category bit of a word (any case), or -1. */
static int category_of_word(const char *word, size_t len)
{
	for (unsigned c = 0; c < TPC_COUNT; c++) {
		const char *name = tp_category_name(c);
		if (name && strlen(name) == len && strncasecmp(name, word, len) == 0)
			return (int)c;
	}
	return -1;
}

static int word_is(const char *word, size_t len, const char *what)
{
	return strlen(what) == len && strncasecmp(word, what, len) == 0;
}

static void bad_category(const char *spec, const char *word, size_t len, const char *valid,
			 char *err, size_t errlen)
{
	if (len == 0)
		tracer_errmsg(
			err, errlen,
			"vtlab: --trace '%s': empty category name: expected none, all, or a comma "
			"list of %s",
			spec, valid);
	else
		tracer_errmsg(
			err, errlen,
			"vtlab: --trace: unknown category '%.*s': expected none, all, or a comma "
			"list of %s",
			(int)len, word, valid);
}

int trace_parse_categories(const char *spec, uint32_t *mask, char *err, size_t errlen)
{
	char valid[160];
	tp_category_list(valid, sizeof valid);
	uint32_t m = 0;
	const char *p = spec ? spec : "";
	for (;;) {
		size_t len = strcspn(p, ",");
		int c = category_of_word(p, len);
		if (c >= 0)
			m |= UINT32_C(1) << c;
		else if (word_is(p, len, "all"))
			m |= ALL_CATEGORIES;
		else if (!word_is(p, len, "none")) {
			bad_category(spec ? spec : "", p, len, valid, err, errlen);
			return -1;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*mask = m;
	return 0;
}

/* Tracepoint type of a name (any case), or -1. */
static int type_of_word(const char *word, size_t len)
{
	for (unsigned t = 0; t < TP_COUNT; t++)
		if (word_is(word, len, tp_name(t)))
			return (int)t;
	return -1;
}

static void list_types(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned t = 0; t < TP_COUNT && used < len; t++) {
		int n = snprintf(buf + used, len - used, "%s%s", t ? ", " : "", tp_name(t));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Parses a whole decimal number from 1 to UINT32_MAX. */
static int parse_ratio(const char *s, uint32_t *out)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < 1 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int trace_parse_sample(const char *spec, uint32_t sample[TP_COUNT], char *err, size_t errlen)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	if (!eq) {
		tracer_errmsg(err, errlen, "vtlab: --trace-sample '%s': expected TYPE=N",
			      spec ? spec : "");
		return -1;
	}
	size_t len = (size_t)(eq - spec);
	int type = type_of_word(spec, len);
	if (type < 0 && !word_is(spec, len, "all")) {
		char valid[512];
		list_types(valid, sizeof valid);
		tracer_errmsg(
			err, errlen,
			"vtlab: --trace-sample: unknown tracepoint '%.*s': expected all or one of %s",
			(int)len, spec, valid);
		return -1;
	}
	uint32_t n;
	if (parse_ratio(eq + 1, &n) != 0) {
		tracer_errmsg(
			err, errlen,
			"vtlab: --trace-sample %.*s: N '%s': expected a whole number from 1 to %u "
			"(keep 1 in N)",
			(int)len, spec, eq + 1, UINT32_MAX);
		return -1;
	}
	for (unsigned t = 0; t < TP_COUNT; t++)
		if (type < 0 || (unsigned)type == t)
			sample[t] = n;
	return 0;
}

/* Parses one hex address of exactly len characters (optional 0x). */
static int parse_hex(const char *s, size_t len, uint64_t *out)
{
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (len == 0 || len > 16)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[i]);
		if (isdigit(c))
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

int trace_parse_filter(const char *spec, uint64_t *lo, uint64_t *hi, char *err, size_t errlen)
{
	const char *s = spec ? spec : "";
	const char *dash = strchr(s, '-');
	uint64_t a, b;
	if (!dash || parse_hex(s, (size_t)(dash - s), &a) != 0 ||
	    parse_hex(dash + 1, strlen(dash + 1), &b) != 0) {
		tracer_errmsg(err, errlen,
			      "vtlab: --trace-filter '%s': expected LO-HI, two hex addresses (e.g. "
			      "0x80000000-0x80200000)",
			      s);
		return -1;
	}
	if (a >= b) {
		tracer_errmsg(
			err, errlen,
			"vtlab: --trace-filter '%s': expected LO below HI (the range is [LO, HI))",
			s);
		return -1;
	}
	*lo = a;
	*hi = b;
	return 0;
}
