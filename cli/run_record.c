/*
 * run_record.c - the run's metadata, results and exact counters sent to
 * the collector (run_record.h).
 *
 * Contract: see run_record.h.  Counters: each hart's ev[] gives one row
 * per event kind (zero rows included, so "none happened" is stored, not
 * implied), except the exception and interrupt kinds, which are stored by
 * cause from exc_by_cause[] / irq_by_cause[] (reason = decimal mcause code,
 * named in reason_names); a total above the sum of its causes would be
 * stored as the remainder with reason "".  Each vCPU's instructions and
 * modeled cycles are the counter "instructions" (collector_run.c).  Each
 * counter carries the modeled cycles charged to it (hart_stats ev_cycles,
 * exc_cycles, irq_cycles).
 */
#include "run_record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "cost.h"
#include "devices.h"
#include "host_counters.h"
#include "hv_priv.h"
#include "machine.h"
#include "sbi.h"
#include "stats.h"

#define NEXC 64
#define NIRQ 16

/* The VMM process's own counters (libpfm4 names, perf_event_open) over the
 * guest's run, from the run's creation to its end: one per process, as
 * `vtlab run` records one machine.  Started after the collector was
 * reached, so a collector the session forks is not counted. */
static struct host_counters host;
static bool host_on;

/* Sends "VERB A B" / "VERB A B C ..." with numbers formatted by the caller. */
static int send(struct trace_session *s, char *err, size_t errlen, const char *verb, unsigned n,
		const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *args[5] = { a0, a1, a2, a3, a4 };
	return trace_session_send(s, err, errlen, verb, n, args);
}

static int send_kv(struct trace_session *s, char *err, size_t errlen, const char *verb,
		   const char *key, const char *value)
{
	return send(s, err, errlen, verb, 2, key, value, NULL, NULL, NULL);
}

static int send_u64(struct trace_session *s, char *err, size_t errlen, const char *verb,
		    const char *key, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return send_kv(s, err, errlen, verb, key, buf);
}

static const char *boot_name(enum boot_mode b)
{
	return b == BOOT_M ? "m" : b == BOOT_S ? "s" : "auto";
}

/* Where the settings go: the collector (run_record_begin) or a caller's
 * function (run_record_settings). */
struct sink {
	run_setting_fn fn;
	void *ctx;
};

static int put(const struct sink *k, const char *kind, const char *name, const char *value)
{
	return k->fn(k->ctx, kind, name, value);
}

static int put_u64(const struct sink *k, const char *kind, const char *name, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return put(k, kind, name, buf);
}

static int put_meta(const struct sink *k, const struct run_record_opts *o,
		    const struct machine_config *cfg)
{
	return put(k, "meta", "config", o->hv ? hv_config_name(o->hv->config) : "native") ||
	       put(k, "meta", "workload", o->workload ? o->workload : cfg->kernel) ||
	       (cfg->args && put(k, "meta", "workload_params", cfg->args)) ||
	       put_u64(k, "meta", "vcpus", cfg->nharts) ||
	       put(k, "meta", "vtlab_version", VTLAB_VERSION) ||
	       put(k, "meta", "trace", o->trace ? o->trace : "none") ||
	       put_u64(k, "meta", "repetition", o->repetition) ||
	       (o->campaign && put(k, "meta", "campaign", o->campaign)) ||
	       (o->campaign_file && put(k, "meta", "campaign_file", o->campaign_file)) ||
	       (o->campaign_cell && put(k, "param", "campaign_cell", o->campaign_cell));
}

static int put_geometry(const struct sink *k, const char *name, unsigned entries, unsigned ways)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%u:%u", entries, ways);
	return put(k, "param", name, buf);
}

/* The hypervisor's knobs (docs/hypervisor.md), and the machine RAM that
 * holds the guest's RAM and the VMM's memory. */
static int put_hv_params(const struct sink *k, const struct hv_params *p,
			 const struct machine_config *cfg)
{
	return put(k, "param", "vtlb", p->vtlb.kind == VTLB_SINGLE ? "single" : "hash") ||
	       put_u64(k, "param", "vtlb_buckets", p->vtlb.buckets) ||
	       put_u64(k, "param", "vtlb_pool", p->vtlb.pool) ||
	       put_u64(k, "param", "vtlb_chain_max", p->vtlb.chain_max) ||
	       put(k, "param", "guest_vhpt_walker", p->guest_vhpt_walker ? "on" : "off") ||
	       put(k, "param", "track", p->full_track ? "full" : "partial") ||
	       put(k, "param", "large_pages", p->whole_large_pages ? "whole" : "split") ||
	       put_u64(k, "param", "machine_vhpt_size", 1ull << p->machine_vhpt_log2) ||
	       put(k, "param", "machine_vhpt_chain", p->machine_vhpt_chain ? "on" : "off") ||
	       put_u64(k, "param", "machine_mem", cfg->ram_size);
}

/* Every machine parameter and trace option, named like its option, then
 * the cost table. */
static int put_params(const struct sink *k, const struct run_record_opts *o,
		      const struct machine_config *cfg)
{
	const struct trace_session_config *t = &o->session;
	if (put(k, "param", "kernel", cfg->kernel) ||
	    put_u64(k, "param", "mem", o->hv ? o->hv->guest_ram : cfg->ram_size) ||
	    put_u64(k, "param", "vcpus", cfg->nharts) ||
	    put(k, "param", "disk", cfg->disk ? cfg->disk : "") ||
	    put(k, "param", "boot", boot_name(cfg->boot)) ||
	    put_geometry(k, "itlb", cfg->itlb_entries, cfg->itlb_ways) ||
	    put_geometry(k, "dtlb", cfg->dtlb_entries, cfg->dtlb_ways) ||
	    put_u64(k, "param", "slice", cfg->slice) ||
	    put_u64(k, "param", "sched_seed", cfg->sched_seed) ||
	    put_u64(k, "param", "max_insns", cfg->max_insns) ||
	    put(k, "param", "svtlb", cfg->svtlb ? "true" : "false") ||
	    put(k, "param", "trace", o->trace ? o->trace : "none") ||
	    put(k, "param", "trace_mode", o->trace_mode) ||
	    put_u64(k, "param", "ring_size", t->ring_capacity))
		return -1;
	if (o->hv && put_hv_params(k, o->hv, cfg))
		return -1;
	if (o->trace_sample && put(k, "param", "trace_sample", o->trace_sample))
		return -1;
	if (o->trace_filter && put(k, "param", "trace_filter", o->trace_filter))
		return -1;
	for (size_t i = 0; i < cost_count(); i++)
		if (put_u64(k, "cost", cost_name(i), cost_get(&cfg->cost, i)))
			return -1;
	return 0;
}

int run_record_settings(const struct run_record_opts *o, const struct machine_config *cfg,
			run_setting_fn fn, void *ctx)
{
	const struct sink k = { fn, ctx };
	return put_meta(&k, o, cfg) || put_params(&k, o, cfg) ? -1 : 0;
}

/* The collector as a sink: each setting a control line. */
struct to_session {
	struct trace_session *s;
	char *err;
	size_t errlen;
};

static int send_setting(void *ctx, const char *kind, const char *name, const char *value)
{
	struct to_session *t = ctx;
	return send_kv(t->s, t->err, t->errlen, kind, name, value);
}

static int named_cause(const char *name)
{
	return strncmp(name, "reserved", 8) != 0 && strncmp(name, "custom_", 7) != 0;
}

/* One reason_names row: event's reason `code` is called `name`. */
static int send_reason(struct trace_session *s, char *err, size_t errlen, const char *event,
		       uint64_t code, const char *name)
{
	char c[24];
	snprintf(c, sizeof c, "%" PRIu64, code);
	return send(s, err, errlen, "reason", 3, event, c, name, NULL, NULL);
}

/* reason_names for the counters and events whose reasons are numbers
 * (docs/tracepoints.md): the exception and interrupt causes, the causes of
 * the faults injected into a guest, the hypervisor's exit reasons (vm_exit
 * events; the counters carry the names) and the SBI extensions of sbi_call
 * events.  Not vm_entry: its reason is the same exit reason, but an
 * imported KVM trace's vm_entry events carry 0, which would read as the
 * name of exit reason 0. */
static int send_reasons(struct trace_session *s, char *err, size_t errlen)
{
	for (unsigned c = 0; c < NEXC; c++)
		if (named_cause(exception_name(c)) &&
		    (send_reason(s, err, errlen, "exception", c, exception_name(c)) ||
		     send_reason(s, err, errlen, "inject", c, exception_name(c))))
			return -1;
	for (unsigned c = 0; c < NIRQ; c++)
		if (named_cause(interrupt_name(c)) &&
		    send_reason(s, err, errlen, "interrupt", c, interrupt_name(c)))
			return -1;
	for (unsigned r = 0; r < HVX_COUNT; r++)
		if (send_reason(s, err, errlen, "vm_exit", r, hv_exit_name((enum hv_exit_reason)r)))
			return -1;
	uint32_t eid;
	const char *name;
	for (unsigned i = 0; (name = sbi_extension(i, &eid)) != NULL; i++)
		if (send_reason(s, err, errlen, "sbi_call", eid, name))
			return -1;
	return 0;
}

int run_record_begin(struct trace_session *s, const struct run_record_opts *o,
		     const struct machine_config *cfg, char *err, size_t errlen)
{
	struct to_session t = { s, err, errlen };
	if (trace_session_open(s, &o->session, err, errlen) ||
	    run_record_settings(o, cfg, send_setting, &t) || send_reasons(s, err, errlen))
		return -1;
	if (trace_session_start(s, err, errlen))
		return -1;
	char why[256];
	host_on = host_counters_start(&host, 0, NULL, why, sizeof why) == 0;
	if (!host_on)
		fprintf(stderr, "vtlab run: host counters not stored: %s\n", why);
	return 0;
}

/* ---------------------------------------------------------------- the end */

static int send_counter(struct trace_session *s, char *err, size_t errlen, unsigned vcpu,
			const char *event, const char *reason, uint64_t n, uint64_t cycles)
{
	char v[12], nb[24], cb[24];
	snprintf(v, sizeof v, "%u", vcpu);
	snprintf(nb, sizeof nb, "%" PRIu64, n);
	snprintf(cb, sizeof cb, "%" PRIu64, cycles);
	return send(s, err, errlen, "counter", 5, v, event, reason, nb, cb);
}

/* A kind stored by cause: one row per nonzero cause, and the remainder. */
static int send_by_cause(struct trace_session *s, char *err, size_t errlen, unsigned vcpu,
			 const char *event, uint64_t total, uint64_t total_cycles,
			 const uint64_t *by, const uint64_t *by_cycles, unsigned n)
{
	uint64_t sum = 0, sum_cycles = 0;
	char code[24];
	for (unsigned c = 0; c < n; c++) {
		if (!by[c])
			continue;
		snprintf(code, sizeof code, "%u", c);
		if (send_counter(s, err, errlen, vcpu, event, code, by[c], by_cycles[c]))
			return -1;
		sum += by[c];
		sum_cycles += by_cycles[c];
	}
	if (total > sum)
		return send_counter(s, err, errlen, vcpu, event, "", total - sum,
				    total_cycles - sum_cycles);
	return 0;
}

static int send_hart(struct trace_session *s, char *err, size_t errlen, const struct hart *h)
{
	char v[12], insns[24], cycles[24];
	snprintf(v, sizeof v, "%u", h->id);
	snprintf(insns, sizeof insns, "%" PRIu64, h->instret);
	snprintf(cycles, sizeof cycles, "%" PRIu64, h->cycles);
	if (send(s, err, errlen, "vcpu", 3, v, insns, cycles, NULL, NULL))
		return -1;
	for (unsigned k = 0; k < EV_COUNT; k++) {
		int r;
		if (k == EV_EXCEPTION)
			r = send_by_cause(s, err, errlen, h->id, event_name(k), h->st.ev[k],
					  h->st.ev_cycles[k], h->st.exc_by_cause, h->st.exc_cycles,
					  NEXC);
		else if (k == EV_INTERRUPT)
			r = send_by_cause(s, err, errlen, h->id, event_name(k), h->st.ev[k],
					  h->st.ev_cycles[k], h->st.irq_by_cause, h->st.irq_cycles,
					  NIRQ);
		else
			r = send_counter(s, err, errlen, h->id, event_name(k), "", h->st.ev[k],
					 h->st.ev_cycles[k]);
		if (r)
			return -1;
	}
	return 0;
}

static int send_results(struct trace_session *s, const struct machine *m, char *err, size_t errlen)
{
	uint64_t insns = 0, cycles = 0;
	char buf[64];
	for (unsigned i = 0; i < m->nharts; i++) {
		insns += m->harts[i]->instret;
		if (m->harts[i]->cycles > cycles)
			cycles = m->harts[i]->cycles;
	}
	snprintf(buf, sizeof buf, "%d", m->exit_code);
	if (send_kv(s, err, errlen, "result", "status", m->exit_code ? "failed" : "complete") ||
	    send_kv(s, err, errlen, "result", "exit_code", buf) ||
	    send_kv(s, err, errlen, "result", "exit_reason", m->exit_reason) ||
	    send_u64(s, err, errlen, "result", "instructions", insns) ||
	    send_u64(s, err, errlen, "result", "cycles", cycles) ||
	    send_u64(s, err, errlen, "result", "wall_ns", m->wall_ns))
		return -1;
	const struct lab_result *lab = lab_result(m);
	if (!lab || !lab->metric_name[0])
		return 0;
	char name[sizeof lab->metric_name + 1];
	snprintf(name, sizeof name, "%.*s", (int)sizeof lab->metric_name, lab->metric_name);
	snprintf(buf, sizeof buf, "%.17g", lab->metric_value);
	char digest[24];
	snprintf(digest, sizeof digest, "0x%016" PRIx64, lab->digest);
	return send_kv(s, err, errlen, "result", "metric_name", name) ||
	       send_kv(s, err, errlen, "result", "metric_value", buf) ||
	       send_kv(s, err, errlen, "result", "output_digest", digest);
}

/* The hypervisor's per-vCPU counters: exits by reason, injected faults by
 * kind (the views exit_counts and injected_faults, db/SCHEMA.md), and the
 * mechanism counters as event "vmm" (vTLB, guest-VHPT walks, machine VHPT;
 * their cycles are charged to the exits); zero rows included so "none
 * happened" is stored. */
static int send_hv(struct trace_session *s, char *err, size_t errlen, const struct hv *hv)
{
	for (unsigned i = 0; i < hv->nvcpus; i++) {
		const struct vcpu *v = hv->vcpu[i];
		for (unsigned r = 0; r < HVX_COUNT; r++)
			if (send_counter(s, err, errlen, v->h->id, "vm_exit",
					 hv_exit_name((enum hv_exit_reason)r), v->st.exit[r].count,
					 v->st.exit[r].cycles))
				return -1;
		for (unsigned k = 0; k < HVI_COUNT; k++)
			if (send_counter(s, err, errlen, v->h->id, "inject",
					 hv_inject_name((enum hv_inject_kind)k),
					 v->st.inject[k].count, v->st.inject[k].cycles))
				return -1;
		uint64_t c[HVM_COUNT];
		hv_mech_counters(v, c);
		for (unsigned k = 0; k < HVM_COUNT; k++)
			if (send_counter(s, err, errlen, v->h->id, "vmm",
					 hv_mech_name((enum hv_mech)k), c[k], 0))
				return -1;
	}
	return 0;
}

/* Stops the host counters and sends them: a counter the host cannot count
 * (no PMU in a VM, perf_event_paranoid) is sent as unsupported, not left
 * out, so the database says why a value is missing. */
static int send_host(struct trace_session *s, char *err, size_t errlen)
{
	if (!host_on)
		return 0;
	host_on = false;
	char why[256];
	(void)host_counters_stop(&host, why, sizeof why); /* a failed read: unsupported */
	for (unsigned i = 0; i < host.n; i++) {
		const struct host_counter *c = &host.c[i];
		char v[24];
		snprintf(v, sizeof v, "%" PRIu64, c->supported ? c->value : 0);
		if (send(s, err, errlen, "host", 3, c->name, v, c->supported ? "1" : "0", NULL,
			 NULL))
			return -1;
	}
	return 0;
}

int run_record_end(struct trace_session *s, const struct machine *m, char *err, size_t errlen)
{
	if (send_host(s, err, errlen) || send_results(s, m, err, errlen))
		return -1;
	for (unsigned i = 0; i < m->nharts; i++)
		if (send_hart(s, err, errlen, m->harts[i]))
			return -1;
	if (m->hv && send_hv(s, err, errlen, m->hv))
		return -1;
	return trace_session_end(s, err, errlen);
}
