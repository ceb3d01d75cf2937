/*
 * summary.c - the end-of-run summary (summary.h), as text for people or as
 * one line of JSON for scripts.
 *
 * Contract: both forms are computed from the same totals (struct totals):
 * instructions = sum of per-hart instret; cycles = the largest per-hart
 * modeled cycle count (harts run in parallel in modeled time, so the
 * machine's time is its slowest hart's); mips = instructions per wall-clock
 * microsecond.  ITLB accesses are instruction fetches (= instret), DTLB
 * accesses are loads + stores; hits are accesses - misses (tlb_model.h).
 * JSON output escapes every string (guest-provided names included) so the
 * line is valid UTF-8 JSON, and writes non-finite numbers as null.  Events
 * are all listed, zero or not; exceptions and interrupts list every cause
 * that has an architectural name, plus any other cause that occurred.
 */
#include "summary.h"
#include "hv.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "devices.h"
#include "machine.h"
#include "stats.h"

#define NEXC 64
#define NIRQ 16

struct totals {
	uint64_t instructions, cycles;
	uint64_t ev[EV_COUNT];
	uint64_t exc[NEXC], irq[NIRQ];
	uint64_t loads, stores;
	double mips;
};

static void sum_harts(const struct machine *m, struct totals *t)
{
	memset(t, 0, sizeof *t);
	for (unsigned i = 0; i < m->nharts && i < MAX_HARTS; i++) {
		const struct hart *h = m->harts[i];
		if (!h)
			continue;
		t->instructions += h->instret;
		if (h->cycles > t->cycles)
			t->cycles = h->cycles;
		for (unsigned k = 0; k < EV_COUNT; k++)
			t->ev[k] += h->st.ev[k];
		for (unsigned c = 0; c < NEXC; c++)
			t->exc[c] += h->st.exc_by_cause[c];
		for (unsigned c = 0; c < NIRQ; c++)
			t->irq[c] += h->st.irq_by_cause[c];
		t->loads += h->st.loads;
		t->stores += h->st.stores;
	}
	t->mips = m->wall_ns ? (double)t->instructions / ((double)m->wall_ns / 1e9) / 1e6 : 0.0;
}

/* Metric reported by the lab device, or NULL when none was reported. */
static const struct lab_result *metric(const struct machine *m)
{
	const struct lab_result *r = lab_result(m);
	if (!r || strnlen(r->metric_name, sizeof r->metric_name) == 0)
		return NULL;
	return r;
}

/* A cause with an architectural name, as opposed to reserved/custom. */
static int named_cause(const char *name)
{
	return strncmp(name, "reserved", 8) != 0 && strncmp(name, "custom_", 7) != 0;
}

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* ---- text ---- */

/* Writes a guest-provided string with control bytes shown as '?', so a
 * guest cannot send escape sequences to the user's terminal. */
static void text_printable(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
	}
}

static void text_tlb(FILE *f, const char *name, uint64_t acc, uint64_t miss)
{
	uint64_t hits = acc >= miss ? acc - miss : 0;
	fprintf(f, "  %s: %" PRIu64 " accesses, %" PRIu64 " misses, hit ratio %.4f%%\n", name, acc,
		miss, percent(hits, acc));
}

static void text_causes(FILE *f, const char *title, const uint64_t *count, unsigned n,
			const char *(*name)(unsigned))
{
	int any = 0;
	for (unsigned c = 0; c < n; c++) {
		if (!count[c])
			continue;
		if (!any)
			fprintf(f, "%s:\n", title);
		any = 1;
		fprintf(f, "  %-24s %14" PRIu64 "  (cause %u)\n", name(c), count[c], c);
	}
	if (!any)
		fprintf(f, "%s: none\n", title);
}

void summary_print_text(FILE *f, const struct machine *m)
{
	struct totals t;
	sum_harts(m, &t);
	fprintf(f, "---- vtlab run summary ----\n");
	fprintf(f, "instructions:   %" PRIu64 "\n", t.instructions);
	fprintf(f, "modeled cycles: %" PRIu64 "\n", t.cycles);
	fprintf(f, "wall time:      %.6f s\n", (double)m->wall_ns / 1e9);
	fprintf(f, "MIPS:           %.2f\n", t.mips);
	fprintf(f, "exit:           %d (%.*s)\n", m->exit_code,
		(int)strnlen(m->exit_reason, sizeof m->exit_reason), m->exit_reason);
	for (unsigned i = 0; i < m->nharts && i < MAX_HARTS; i++)
		if (m->harts[i])
			fprintf(f,
				"hart %u:         %" PRIu64 " instructions, %" PRIu64 " cycles\n",
				i, m->harts[i]->instret, m->harts[i]->cycles);
	unsigned shown = 0;
	for (unsigned k = 0; k < EV_COUNT; k++) {
		if (!t.ev[k])
			continue;
		if (!shown++)
			fprintf(f, "events (nonzero):\n");
		fprintf(f, "  %-24s %14" PRIu64 "  %s\n", event_name(k), t.ev[k], event_desc(k));
	}
	if (!shown)
		fprintf(f, "events: none\n"); /* as "interrupts: none" */
	text_causes(f, "exceptions", t.exc, NEXC, exception_name);
	text_causes(f, "interrupts", t.irq, NIRQ, interrupt_name);
	fprintf(f, "tlb:\n");
	text_tlb(f, "itlb", t.instructions, t.ev[EV_ITLB_MISS]);
	text_tlb(f, "dtlb", t.loads + t.stores, t.ev[EV_DTLB_MISS]);
	const struct lab_result *r = metric(m);
	if (r) {
		fputs("metric:         ", f);
		text_printable(f, r->metric_name, sizeof r->metric_name);
		fprintf(f, " = %.17g (output digest 0x%016" PRIx64 ")\n", r->metric_value,
			r->digest);
	}
}

/* ---- JSON ---- */

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0
 * (RFC 3629 section 4: no overlong forms, no surrogates, <= U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Writes s (at most n bytes, stopping at NUL) as a JSON string (RFC 8259
 * section 7): quotes, backslashes and control characters escaped,
 * well-formed UTF-8 kept, any other byte replaced by U+FFFD. */
static void json_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	n = strnlen(str, n);
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		unsigned char ch = s[i];
		size_t len;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else if (ch < 0x80)
			fputc(ch, f);
		else if ((len = utf8_len(s + i, n - i)) != 0) {
			fwrite(s + i, 1, len, f);
			i += len;
			continue;
		} else
			fputs("\\ufffd", f);
		i++;
	}
	fputc('"', f);
}

static void json_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

static void json_causes(FILE *f, const char *key, const uint64_t *count, unsigned n,
			const char *(*name)(unsigned))
{
	fprintf(f, ",\"%s\":{", key);
	int first = 1;
	for (unsigned c = 0; c < n; c++) {
		if (!count[c] && !named_cause(name(c)))
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, first ? "" : ",", name(c), count[c]);
		first = 0;
	}
	fputc('}', f);
}

static void json_harts(FILE *f, const struct machine *m)
{
	fprintf(f, ",\"harts\":%u,\"per_hart\":[", m->nharts);
	int first = 1;
	for (unsigned i = 0; i < m->nharts && i < MAX_HARTS; i++) {
		const struct hart *h = m->harts[i];
		if (!h)
			continue;
		fprintf(f, "%s{\"instructions\":%" PRIu64 ",\"cycles\":%" PRIu64 "}",
			first ? "" : ",", h->instret, h->cycles);
		first = 0;
	}
	fputc(']', f);
}

void summary_print_json(FILE *f, const struct machine *m)
{
	struct totals t;
	sum_harts(m, &t);
	fprintf(f,
		"{\"instructions\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"wall_ns\":%" PRIu64
		",\"mips\":",
		t.instructions, t.cycles, m->wall_ns);
	json_number(f, t.mips);
	fprintf(f, ",\"exit_code\":%d,\"exit_reason\":", m->exit_code);
	json_string(f, m->exit_reason, sizeof m->exit_reason);
	json_harts(f, m);
	fputs(",\"events\":{", f);
	for (unsigned k = 0; k < EV_COUNT; k++)
		fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", event_name(k), t.ev[k]);
	fputc('}', f);
	json_causes(f, "exceptions", t.exc, NEXC, exception_name);
	json_causes(f, "interrupts", t.irq, NIRQ, interrupt_name);
	fprintf(f,
		",\"tlb\":{\"itlb_accesses\":%" PRIu64 ",\"itlb_misses\":%" PRIu64
		",\"dtlb_accesses\":%" PRIu64 ",\"dtlb_misses\":%" PRIu64 "}",
		t.instructions, t.ev[EV_ITLB_MISS], t.loads + t.stores, t.ev[EV_DTLB_MISS]);
	const struct lab_result *r = metric(m);
	if (r) {
		fputs(",\"metric_name\":", f);
		json_string(f, r->metric_name, sizeof r->metric_name);
		fputs(",\"metric_value\":", f);
		json_number(f, r->metric_value);
		fprintf(f, ",\"output_digest\":\"0x%016" PRIx64 "\"", r->digest);
	}
	if (m->hv) { /* the hypervisor's exits and injected faults */
		fputs(",\"hv\":", f);
		hv_print_stats_json(f, m);
	}
	fputs("}\n", f);
	fflush(f);
}
