/*
 * hv_stats.c - exit and injection accounting and the end-of-run report in
 * the manner of `perf kvm stat report`: per exit reason and per injected
 * fault kind the count, share of the VMM's time, mean, p50 and p95 of the
 * modeled cycles.
 *
 * Contract: hv_priv.h.  Counts are exact; percentiles come from a
 * deterministic log-linear histogram (hv_hist_add): eight buckets per
 * power of two, each keeping its smallest and largest value, so a quantile
 * is exact when its bucket holds one value and within the bucket's 12.5%
 * otherwise, and two runs of the same input print the same table.
 */
#include <inttypes.h>
#include <string.h>

#include "hv_priv.h"
#include "trace.h"

static const char *const exit_names[HVX_COUNT] = {
	[HVX_CSR_READ] = "csr_read",
	[HVX_CSR_WRITE] = "csr_write",
	[HVX_RR_WRITE] = "rr_write",
	[HVX_ITC] = "itc",
	[HVX_ITR] = "itr",
	[HVX_PTC_L] = "ptc_l",
	[HVX_PTC_E] = "ptc_e",
	[HVX_PTC_G] = "ptc_g",
	[HVX_PTR] = "ptr",
	[HVX_TLB_MISS] = "tlb_miss",
	[HVX_FAULT] = "fault_reflect",
	[HVX_MMIO] = "mmio",
	[HVX_SBI] = "sbi",
	[HVX_HYPERCALL] = "hypercall",
	[HVX_GSTAGE_MISS] = "gstage_miss",
	[HVX_GSTAGE_ACCESS] = "gstage_access",
	[HVX_INTERRUPT] = "interrupt",
	[HVX_WFI] = "wfi",
};

static const char *const inject_names[HVI_COUNT] = {
	[HVI_ITLB_MISS] = "itlb_miss",         [HVI_DTLB_MISS] = "dtlb_miss",
	[HVI_ALT_ITLB_MISS] = "alt_itlb_miss", [HVI_ALT_DTLB_MISS] = "alt_dtlb_miss",
	[HVI_VHPT_FAULT] = "vhpt_fault",       [HVI_PAGE_NOT_PRESENT] = "page_not_present",
	[HVI_ACCESS_RIGHTS] = "access_rights", [HVI_DIRTY_BIT] = "dirty_bit",
	[HVI_ACCESS_BIT] = "access_bit",       [HVI_NESTED_DTLB] = "nested_dtlb_miss",
	[HVI_PAGE_FAULT] = "page_fault",       [HVI_ACCESS_FAULT] = "access_fault",
};

const char *hv_exit_name(enum hv_exit_reason r)
{
	return (unsigned)r < HVX_COUNT ? exit_names[r] : "?";
}

const char *hv_inject_name(enum hv_inject_kind k)
{
	return (unsigned)k < HVI_COUNT ? inject_names[k] : "?";
}

/* ---- histogram ------------------------------------------------------- */

static unsigned bucket_of(uint64_t v)
{
	if (v < 16)
		return (unsigned)v;
	unsigned e = 63 - (unsigned)__builtin_clzll(v); /* >= 4 */
	unsigned sub = (unsigned)(v >> (e - 3)) & 7;
	return 16 + (e - 4) * 8 + sub;
}

void hv_hist_add(struct hv_hist *hh, uint64_t v)
{
	unsigned i = bucket_of(v);
	if (!hh->b[i] || v < hh->lo[i])
		hh->lo[i] = v;
	if (!hh->b[i] || v > hh->hi[i])
		hh->hi[i] = v;
	hh->b[i]++;
}

void hv_hist_merge(struct hv_hist *to, const struct hv_hist *from)
{
	for (unsigned i = 0; i < HV_HIST_BUCKETS; i++) {
		if (!from->b[i])
			continue;
		if (!to->b[i] || from->lo[i] < to->lo[i])
			to->lo[i] = from->lo[i];
		if (!to->b[i] || from->hi[i] > to->hi[i])
			to->hi[i] = from->hi[i];
		to->b[i] += from->b[i];
	}
}

/* The value of rank r (1-based) among the n values of bucket i: exact for
 * the first and last, and for any rank when they are equal; between them,
 * interpolated as if the values were spread evenly. */
static uint64_t bucket_rank_value(const struct hv_hist *hh, unsigned i, uint64_t r)
{
	uint64_t n = hh->b[i], lo = hh->lo[i], hi = hh->hi[i];
	if (n == 1 || lo == hi)
		return lo;
	return lo + (uint64_t)((double)(hi - lo) * (double)(r - 1) / (double)(n - 1));
}

uint64_t hv_hist_quantile(const struct hv_hist *hh, double q)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < HV_HIST_BUCKETS; i++)
		n += hh->b[i];
	if (!n)
		return 0;
	/* the smallest bucket whose cumulative count reaches ceil(q * n) */
	uint64_t want = (uint64_t)(q * (double)n);
	if ((double)want < q * (double)n)
		want++;
	if (want == 0)
		want = 1;
	uint64_t cum = 0;
	for (unsigned i = 0; i < HV_HIST_BUCKETS; i++) {
		if (cum + hh->b[i] >= want)
			return bucket_rank_value(hh, i, want - cum);
		cum += hh->b[i];
	}
	return 0;
}

/* ---- exits ----------------------------------------------------------- */

uint64_t hv_exit_begin(struct vcpu *v, enum hv_exit_reason r, uint64_t addr, uint64_t entry_cost)
{
	struct hart *h = v->h;
	uint64_t start = h->cycles;
	h->cycles += entry_cost;
	TRACE(h, VM_EXIT, r, h->pc, addr, 0);
	return start;
}

static void counter_add(struct hv_counter *c, uint64_t cycles)
{
	c->count++;
	c->cycles += cycles;
	hv_hist_add(&c->hist, cycles);
}

void hv_exit_end(struct vcpu *v, enum hv_exit_reason r, uint64_t start)
{
	struct hart *h = v->h;
	uint64_t cycles = h->cycles - start;
	counter_add(&v->st.exit[r], cycles);
	TRACE(h, VM_ENTRY, r, h->pc, 0, cycles);
}

void hv_stats_exit(struct vcpu *v, enum hv_exit_reason r, uint64_t cycles)
{
	counter_add(&v->st.exit[r], cycles);
	TRACE(v->h, VM_EXIT, r, v->h->pc, 0, cycles);
}

/* ---- sums ------------------------------------------------------------ */

static void counter_sum(struct hv_counter *to, const struct hv_counter *from)
{
	to->count += from->count;
	to->cycles += from->cycles;
	hv_hist_merge(&to->hist, &from->hist);
}

void hv_stats_total(const struct hv *hv, struct hv_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < hv->nvcpus; i++) {
		const struct hv_stats *s = &hv->vcpu[i]->st;
		for (unsigned r = 0; r < HVX_COUNT; r++)
			counter_sum(&out->exit[r], &s->exit[r]);
		for (unsigned k = 0; k < HVI_COUNT; k++)
			counter_sum(&out->inject[k], &s->inject[k]);
	}
}

/* ---- mechanism counters --------------------------------------------- */

static const char *const mech_names[HVM_COUNT] = {
	[HVM_VTLB_INSERTS] = "vtlb_inserts",
	[HVM_VTLB_PURGES] = "vtlb_purges",
	[HVM_VTLB_PURGED] = "vtlb_purged",
	[HVM_VTLB_RECYCLES] = "vtlb_recycles",
	[HVM_VTLB_PROBES] = "vtlb_probes",
	[HVM_VTLB_HITS] = "vtlb_hits",
	[HVM_VTLB_MISSES] = "vtlb_misses",
	[HVM_GUEST_WALKS] = "guest_vhpt_walks",
	[HVM_GUEST_WALK_HITS] = "guest_vhpt_walk_hits",
	[HVM_MVHPT_INSERTS] = "mvhpt_inserts",
	[HVM_MVHPT_PURGED] = "mvhpt_purged",
	[HVM_MVHPT_CLEARS] = "mvhpt_clears",
	[HVM_MCHAIN_HITS] = "mvhpt_chain_hits",
	[HVM_MCHAIN_DISPLACED] = "mvhpt_chain_displaced",
	[HVM_MCHAIN_RECYCLES] = "mvhpt_chain_recycles",
	[HVM_MCHAIN_POOL_RECYCLES] = "mvhpt_chain_pool_recycles",
	[HVM_MTC_INSERTS] = "mtc_inserts",
	[HVM_SUBPAGE_INSERTS] = "subpage_inserts",
	[HVM_MMIO_ACCESSES] = "mmio_accesses",
	[HVM_HYPERCALL_OPS] = "hypercall_ops",
};

const char *hv_mech_name(enum hv_mech c)
{
	return (unsigned)c < HVM_COUNT ? mech_names[c] : "?";
}

/* The vTLB object counts its own inserts, purges and recycles (vtlb.c);
 * the rest are the vCPU's (hv_stats).  vtlb_hits/misses/probes are the
 * miss handler's lookups. */
void hv_mech_counters(const struct vcpu *v, uint64_t *out)
{
	static const struct vtlb_stats none;
	const struct vtlb_stats *t = v->vtlb ? vtlb_stats(v->vtlb) : &none;
	const struct hv_stats *s = &v->st;
	out[HVM_VTLB_INSERTS] = t->inserts;
	out[HVM_VTLB_PURGES] = t->purges;
	out[HVM_VTLB_PURGED] = t->purged;
	out[HVM_VTLB_RECYCLES] = t->recycles;
	out[HVM_VTLB_PROBES] = s->vtlb_probes;
	out[HVM_VTLB_HITS] = s->vtlb_hits;
	out[HVM_VTLB_MISSES] = s->vtlb_misses;
	out[HVM_GUEST_WALKS] = s->guest_walks;
	out[HVM_GUEST_WALK_HITS] = s->guest_walk_hits;
	out[HVM_MVHPT_INSERTS] = s->mvhpt_inserts;
	out[HVM_MVHPT_PURGED] = s->mvhpt_purged;
	out[HVM_MVHPT_CLEARS] = s->mvhpt_clears;
	out[HVM_MCHAIN_HITS] = s->mchain_hits;
	out[HVM_MCHAIN_DISPLACED] = s->mchain_pushes;
	out[HVM_MCHAIN_RECYCLES] = s->mchain_recycles;
	out[HVM_MCHAIN_POOL_RECYCLES] = s->mchain_recycles_all;
	out[HVM_MTC_INSERTS] = s->mtc_inserts;
	out[HVM_SUBPAGE_INSERTS] = s->subpage_inserts;
	out[HVM_MMIO_ACCESSES] = s->mmio_accesses;
	out[HVM_HYPERCALL_OPS] = s->hypercall_ops;
}

void hv_mech_total(const struct hv *hv, uint64_t *sum)
{
	memset(sum, 0, HVM_COUNT * sizeof(*sum));
	for (unsigned i = 0; i < hv->nvcpus; i++) {
		uint64_t c[HVM_COUNT];
		hv_mech_counters(hv->vcpu[i], c);
		for (unsigned k = 0; k < HVM_COUNT; k++)
			sum[k] += c[k];
	}
}

/* ---- reports --------------------------------------------------------- */

static void print_table(FILE *f, const char *title, const struct hv_counter *c, unsigned n,
			const char *(*name)(unsigned))
{
	uint64_t count = 0, cycles = 0;
	for (unsigned i = 0; i < n; i++) {
		count += c[i].count;
		cycles += c[i].cycles;
	}
	fprintf(f, "%-18s %12s %8s %8s %12s %10s %10s\n", title, "Samples", "Samples%", "Time%",
		"Mean cycles", "p50", "p95");
	for (unsigned i = 0; i < n; i++) {
		if (!c[i].count)
			continue;
		fprintf(f,
			"%-18s %12" PRIu64 " %7.2f%% %7.2f%% %12.1f %10" PRIu64 " %10" PRIu64 "\n",
			name(i), c[i].count, 100.0 * (double)c[i].count / (double)count,
			cycles ? 100.0 * (double)c[i].cycles / (double)cycles : 0.0,
			(double)c[i].cycles / (double)c[i].count, hv_hist_quantile(&c[i].hist, 0.5),
			hv_hist_quantile(&c[i].hist, 0.95));
	}
	fprintf(f, "%-18s %12" PRIu64 " %37s total %" PRIu64 " cycles\n", "Total", count, "",
		cycles);
}

static const char *exit_name_u(unsigned i)
{
	return hv_exit_name((enum hv_exit_reason)i);
}

static const char *inject_name_u(unsigned i)
{
	return hv_inject_name((enum hv_inject_kind)i);
}

static const char *vtlb_kind_name(const struct hv *hv)
{
	return hv->p.vtlb.kind == VTLB_SINGLE ? "single" : "hash";
}

void hv_print_stats(FILE *f, const struct machine *m)
{
	const struct hv *hv = m->hv;
	if (!hv)
		return;
	static struct hv_stats t; /* large: not on the stack */
	hv_stats_total(hv, &t);
	fprintf(f, "\nhv: config %s, %u vCPU%s", hv_config_name(hv->p.config), hv->nvcpus,
		hv->nvcpus == 1 ? "" : "s");
	if (hv->svtlb)
		fprintf(f, ", %s vTLB, %s track, guest VHPT walker %s, machine VHPT chains %s",
			vtlb_kind_name(hv), hv->p.full_track ? "full" : "partial",
			hv->p.guest_vhpt_walker ? "on" : "off",
			hv->p.machine_vhpt_chain ? "on" : "off");
	fprintf(f, "\n\nAnalyze events for all VMs, all VCPUs:\n\n");
	print_table(f, "VM-EXIT", t.exit, HVX_COUNT, exit_name_u);
	fprintf(f, "\nInjected faults:\n\n");
	print_table(f, "INJECT", t.inject, HVI_COUNT, inject_name_u);
	if (!hv->svtlb)
		return;
	uint64_t c[HVM_COUNT];
	hv_mech_total(hv, c);
	fprintf(f,
		"\nvTLB: %" PRIu64 " inserts, %" PRIu64 " purged, %" PRIu64 " recycled; miss "
		"handler: %" PRIu64 " hits, %" PRIu64 " misses, %" PRIu64 " probes; guest VHPT "
		"walks %" PRIu64 " (%" PRIu64 " hits); machine VHPT inserts %" PRIu64
		", purged %" PRIu64 ", clears %" PRIu64 " (collision chains: %" PRIu64
		" hits, %" PRIu64 " displaced, %" PRIu64 " recycled, %" PRIu64
		" pool recycles); sub-page inserts %" PRIu64 "; MMIO accesses %" PRIu64
		"; hypercall operations %" PRIu64 "\n",
		c[HVM_VTLB_INSERTS], c[HVM_VTLB_PURGED], c[HVM_VTLB_RECYCLES], c[HVM_VTLB_HITS],
		c[HVM_VTLB_MISSES], c[HVM_VTLB_PROBES], c[HVM_GUEST_WALKS], c[HVM_GUEST_WALK_HITS],
		c[HVM_MVHPT_INSERTS], c[HVM_MVHPT_PURGED], c[HVM_MVHPT_CLEARS], c[HVM_MCHAIN_HITS],
		c[HVM_MCHAIN_DISPLACED], c[HVM_MCHAIN_RECYCLES], c[HVM_MCHAIN_POOL_RECYCLES],
		c[HVM_SUBPAGE_INSERTS], c[HVM_MMIO_ACCESSES], c[HVM_HYPERCALL_OPS]);
}

static void json_counters(FILE *f, const struct hv_counter *c, unsigned n,
			  const char *(*name)(unsigned))
{
	bool first = true;
	fputc('{', f);
	for (unsigned i = 0; i < n; i++) {
		if (!c[i].count)
			continue;
		fprintf(f,
			"%s\"%s\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"p50\":%" PRIu64
			",\"p95\":%" PRIu64 "}",
			first ? "" : ",", name(i), c[i].count, c[i].cycles,
			hv_hist_quantile(&c[i].hist, 0.5), hv_hist_quantile(&c[i].hist, 0.95));
		first = false;
	}
	fputc('}', f);
}

void hv_print_stats_json(FILE *f, const struct machine *m)
{
	const struct hv *hv = m->hv;
	if (!hv) {
		fputs("null", f);
		return;
	}
	static struct hv_stats t;
	hv_stats_total(hv, &t);
	fprintf(f, "{\"config\":\"%s\",\"vcpus\":%u", hv_config_name(hv->p.config), hv->nvcpus);
	if (hv->svtlb)
		fprintf(f,
			",\"vtlb\":\"%s\",\"track\":\"%s\",\"guest_vhpt_walker\":%s,"
			"\"machine_vhpt_chain\":%s",
			vtlb_kind_name(hv), hv->p.full_track ? "full" : "partial",
			hv->p.guest_vhpt_walker ? "true" : "false",
			hv->p.machine_vhpt_chain ? "true" : "false");
	fputs(",\"vm_exit\":", f);
	json_counters(f, t.exit, HVX_COUNT, exit_name_u);
	fputs(",\"inject\":", f);
	json_counters(f, t.inject, HVI_COUNT, inject_name_u);
	uint64_t c[HVM_COUNT];
	hv_mech_total(hv, c);
	for (unsigned k = 0; k < HVM_COUNT; k++)
		fprintf(f, ",\"%s\":%" PRIu64, mech_names[k], c[k]);
	fputc('}', f);
}
