/*
 * cmd_run.c - `vtlab run`: runs one guest ELF on the engine and prints the
 * end-of-run summary.
 *
 * Contract: options fill a struct machine_config that starts from
 * machine_config_defaults(); every value is validated here and a bad one
 * is a one-line error naming the option and what was expected (exit 2).
 * Cost overrides apply in this order whatever the command-line order:
 * defaults, then --cost-file, then each --cost in turn.  The JSON summary
 * goes to stdout (for scripts), the text summary to stderr (guest console
 * output goes to stdout by default).  The exit status is the guest's exit
 * code clamped to 1..255 when non-zero, so a failure never reads as
 * success; with --summary json the exit reason of a failing run is also
 * printed on stderr.
 *
 * With --db FILE (or --collector PATH) the run is also stored in a results
 * database by a collector process (run_record.h, tracer/session.h): its
 * metadata, results and exact counters always, its events when --trace
 * enables categories.  The trace options are validated here and need --db
 * or --collector.  If the run cannot be stored (the collector died, the
 * disk is full) the error is printed and the exit status is 3 when the
 * guest itself passed; a run left behind is marked incomplete.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "cost.h"
#include "db.h"
#include "hv.h"
#include "machine.h"
#include "options.h"
#include "run_record.h"
#include "run_workload.h"
#include "summary.h"
#include "trace.h"

#define MAX_COST_OVERRIDES 64
#define MAX_TLB_ENTRIES 65536u
#define MIN_MEM (1ull << 20)
#define MAX_MEM (16ull << 30)
#define MEM_ALIGN 4096ull
#define MIN_RING 16u
#define MAX_RING (1u << 26)
#define EXIT_NOT_STORED 3 /* the guest passed but the run could not be stored */

enum summary_format { SUMMARY_TEXT, SUMMARY_JSON };

struct cost_override {
	char name[64];
	uint64_t value;
	const char *arg;
};

struct run_opts {
	struct machine_config cfg;
	enum summary_format summary;
	const char *cost_file;
	const char *console_path;
	struct cost_override cost[MAX_COST_OVERRIDES];
	unsigned ncost;
	struct run_record_opts rec;
	struct workload_opts wl;
	const char *record_opt; /* first option given that needs --db, for the error */
	/* --config and the hypervisor's knobs as given (unset: -1 or 0), applied
	 * over the configuration's defaults by hv_setup(). */
	enum hv_config config;
	int guest_vhpt_walker, full_track, whole_large_pages, machine_vhpt_chain;
	unsigned vtlb_buckets, vtlb_chain_max, vtlb_pool;
	uint64_t machine_vhpt_size;
	const char *hv_knob; /* first knob given, for the error when native */
	struct hv_params hv;
	char sample_args[512]; /* --trace-sample arguments, comma-joined */
};

enum {
	OPT_KERNEL = 256,
	OPT_MEM,
	OPT_VCPUS,
	OPT_DISK,
	OPT_SUMMARY,
	OPT_BOOT,
	OPT_COST_FILE,
	OPT_COST,
	OPT_ITLB,
	OPT_DTLB,
	OPT_MAX_INSNS,
	OPT_MAX_SECONDS,
	OPT_SLICE,
	OPT_SCHED_SEED,
	OPT_NO_SVTLB,
	OPT_CONSOLE,
	OPT_ARGS,
	OPT_WORKLOAD,
	OPT_SMALL,
	OPT_MMU,
	OPT_PV,
	OPT_DISK_SNAPSHOT,
	OPT_DB,
	OPT_COLLECTOR,
	OPT_TRACE,
	OPT_TRACE_MODE,
	OPT_TRACE_SAMPLE,
	OPT_TRACE_FILTER,
	OPT_RING_SIZE,
	OPT_CONFIG,
	OPT_GUEST_VHPT_WALKER,
	OPT_VTLB_BUCKETS,
	OPT_VTLB_CHAIN_MAX,
	OPT_VTLB_POOL,
	OPT_TRACK,
	OPT_LARGE_PAGES,
	OPT_MACHINE_VHPT_SIZE,
	OPT_MACHINE_VHPT_CHAIN,
	OPT_CAMPAIGN,
	OPT_CAMPAIGN_FILE,
	OPT_CAMPAIGN_CELL,
	OPT_REPETITION,
};

static const struct option long_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "boot", required_argument, NULL, OPT_BOOT },
	{ "cost-file", required_argument, NULL, OPT_COST_FILE },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "itlb", required_argument, NULL, OPT_ITLB },
	{ "dtlb", required_argument, NULL, OPT_DTLB },
	{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
	{ "max-seconds", required_argument, NULL, OPT_MAX_SECONDS },
	{ "slice", required_argument, NULL, OPT_SLICE },
	{ "sched-seed", required_argument, NULL, OPT_SCHED_SEED },
	{ "no-svtlb", no_argument, NULL, OPT_NO_SVTLB },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "args", required_argument, NULL, OPT_ARGS },
	{ "workload", required_argument, NULL, OPT_WORKLOAD },
	{ "small", no_argument, NULL, OPT_SMALL },
	{ "mmu", required_argument, NULL, OPT_MMU },
	{ "pv", no_argument, NULL, OPT_PV },
	{ "disk-snapshot", no_argument, NULL, OPT_DISK_SNAPSHOT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "collector", required_argument, NULL, OPT_COLLECTOR },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "trace-mode", required_argument, NULL, OPT_TRACE_MODE },
	{ "trace-sample", required_argument, NULL, OPT_TRACE_SAMPLE },
	{ "trace-filter", required_argument, NULL, OPT_TRACE_FILTER },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "guest-vhpt-walker", required_argument, NULL, OPT_GUEST_VHPT_WALKER },
	{ "vtlb-buckets", required_argument, NULL, OPT_VTLB_BUCKETS },
	{ "vtlb-chain-max", required_argument, NULL, OPT_VTLB_CHAIN_MAX },
	{ "vtlb-pool", required_argument, NULL, OPT_VTLB_POOL },
	{ "track", required_argument, NULL, OPT_TRACK },
	{ "large-pages", required_argument, NULL, OPT_LARGE_PAGES },
	{ "machine-vhpt-size", required_argument, NULL, OPT_MACHINE_VHPT_SIZE },
	{ "machine-vhpt-chain", required_argument, NULL, OPT_MACHINE_VHPT_CHAIN },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "campaign-file", required_argument, NULL, OPT_CAMPAIGN_FILE },
	{ "campaign-cell", required_argument, NULL, OPT_CAMPAIGN_CELL },
	{ "repetition", required_argument, NULL, OPT_REPETITION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Formats a byte count with the largest exact binary suffix (256M). */
static const char *format_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && v && (v & 1023) == 0) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "%" PRIu64 "%c", v, units[u]);
	return buf;
}

static const char *boot_name(enum boot_mode b)
{
	return b == BOOT_M ? "m" : b == BOOT_S ? "s" : "auto";
}

void cmd_run_help(FILE *f)
{
	struct machine_config d;
	char mem[32], categories[128];
	machine_config_defaults(&d);
	tp_category_list(categories, sizeof categories);
	fprintf(f,
		"usage: vtlab run --kernel FILE.elf [OPTIONS]\n"
		"       vtlab run --workload NAME [OPTIONS] [-- WORKLOAD OPTIONS]\n\n"
		"Runs a RISC-V RV64 guest ELF on the vtlab engine until it exits, then prints\n"
		"a summary (instructions, modeled cycles, events, TLB statistics).  The exit\n"
		"status is the guest's exit code (0 = pass; 1..255 = fail; 2 also for usage errors;\n"
		"3 also when the run could not be stored with --db).\n\n"
		"Options:\n"
		"  --kernel FILE        guest ELF64 executable to load (required without\n"
		"                       --workload)\n"
		"  --mem SIZE           guest RAM at 0x80000000; 1M..16G, multiple of 4K;\n"
		"                       suffixes K, M, G (default %s)\n"
		"  --vcpus N            number of harts, 1..%d (default %u)\n"
		"  --disk IMAGE         disk image for the block devices (default none)\n"
		"  --summary FORMAT     text (to stderr) or json (one line to stdout)\n"
		"                       (default text)\n"
		"  --boot MODE          auto, m or s: auto boots in M-mode when the ELF defines\n"
		"                       'tohost', else in S-mode with the built-in SBI firmware\n"
		"                       (default %s)\n"
		"  --cost-file FILE     cost table overrides, 'name = value' lines, '#' comments\n"
		"                       (default: built-in table, see vmm/cost.def)\n"
		"  --cost NAME=VALUE    override one cost, after --cost-file; repeatable\n"
		"  --itlb ENTRIES:WAYS  modeled instruction TLB geometry; ENTRIES a multiple of\n"
		"                       WAYS, ENTRIES/WAYS a power of two, ENTRIES <= %u\n"
		"                       (default %u:%u)\n"
		"  --dtlb ENTRIES:WAYS  modeled data TLB geometry, same rules (default %u:%u)\n"
		"  --max-insns N        stop with an error after N instructions, 0 = no limit\n"
		"                       (default %" PRIu64 ")\n"
		"  --max-seconds N      stop with an error after N seconds of wall time, for a\n"
		"                       guest that may loop, 0 = no limit (default 0)\n"
		"  --slice N            scheduler slice in instructions (default %" PRIu64 ")\n"
		"  --sched-seed N       0: every slice is --slice instructions (default); else\n"
		"                       slice lengths drawn from [slice/2, 3 slice/2) with seed\n"
		"                       N: another interleaving of the vCPUs, reproducible, for\n"
		"                       repeating a multi-vCPU run whose metric depends on it\n"
		"  --no-svtlb           reject satp.MODE=14 (Svtlb) like a plain Sv39 machine\n"
		"                       (default: Svtlb %s)\n"
		"  --console FILE|-     where the guest console writes (default -, stdout)\n"
		"  --args STRING        argument string the guest reads from the lab device\n"
		"                       (the vtlab kernel: options key=value, then the command)\n"
		"  --disk-snapshot      guest writes to the disk stay in memory; the image file\n"
		"                       is not changed (implied by --workload)\n"
		"\nGuest workloads (built by `make workloads`):\n"
		"  --workload NAME      kbuild, jbb, or sysbench:TEST (TEST: cpu, memory, fileio,\n"
		"                       oltp, threads, mutex); boots the vtlab guest kernel on a\n"
		"                       snapshot of the workload disk image (or of --disk, a vtfs\n"
		"                       image made by vtlab-mkfs); the workload's metric and\n"
		"                       output digest appear in the summary\n"
		"  --small              the workload's small preset (seconds, for tests)\n"
		"  --mmu MODE           the guest kernel's MMU: svtlb (default) or sv39\n"
		"                       (the default with --config EPT)\n"
		"  --pv                 boot the paravirtual kernel build\n"
		"  -- OPTIONS...        everything after -- goes to the workload\n"
		"  -h, --help           show this help\n\n"
		"Hypervisor (docs/hypervisor.md):\n"
		"  --config NAME        native (no VMM), STVT, HTVT (unmodified kernel, Svtlb\n"
		"                       virtualized with a single / hash vTLB), STPV, HTPV (the\n"
		"                       paravirtual kernel: chosen automatically with --workload),\n"
		"                       EPT (Sv39 guest over a two-stage G-stage) (default native)\n"
		"  --guest-vhpt-walker on|off  walk the guest's VHPT in software on a vTLB miss\n"
		"                       before injecting a TLB miss (default off)\n"
		"  --vtlb-buckets N     hash vTLB buckets, a power of two (default 4096)\n"
		"  --vtlb-chain-max N   hash vTLB maximum collision-chain length (default 4)\n"
		"  --vtlb-pool N        hash vTLB collision-chain pool entries (default = buckets)\n"
		"  --track partial|full full: translations found by the guest-VHPT walker are\n"
		"                       kept in the vTLB too (default partial, paper 003 3.1)\n"
		"  --large-pages split|whole  guest pages larger than 4 KiB reach the machine\n"
		"                       one 4 KiB sub-page at a time, the vTLB keeping the\n"
		"                       large page (default split, Xen/IA-64), or whole\n"
		"  --machine-vhpt-size SIZE  per-vCPU machine VHPT, a power of two from 32K to\n"
		"                       1G (default 8M, Xen/IA-64's per-vCPU VHPT); the VMM's\n"
		"                       memory is added above --mem\n"
		"  --machine-vhpt-chain on|off  collision chains for the machine VHPT, as many\n"
		"                       entries as it has, at most 15 deep: an entry displaced\n"
		"                       by a collision is found there, not lost (default on\n"
		"                       with the hash vTLB, Xen/IA-64's \"8M hash + 8M c-chain\";\n"
		"                       off with the single one, paper 003 2.2)\n"
		"  At the end of the run the VMM prints its exits and injected faults by kind\n"
		"  (count, share, mean, p50, p95 modeled cycles); --summary json: field \"hv\".\n\n"
		"Results database (tracer/README.md; query it with sqlite3, tables in db/SCHEMA.md):\n"
		"  --db FILE            store the run in the SQLite database FILE (created if\n"
		"                       missing) through a collector process: metadata, every\n"
		"                       parameter and cost, results and exact counters always,\n"
		"                       events when --trace enables categories\n"
		"  --collector PATH     store through a running `vtlab collect --listen PATH`\n"
		"                       instead (its database); exclusive with --db\n"
		"  --trace SPEC         events to store: none, all, or a comma list of\n"
		"                       %s (default none: counters only)\n"
		"  --trace-mode MODE    lossless (a full ring makes the run wait for the\n"
		"                       collector) or drop (never waits; losses are counted and\n"
		"                       stored per vCPU) (default lossless)\n"
		"  --trace-sample TYPE=N  keep 1 event in N of tracepoint TYPE (or all);\n"
		"                       repeatable\n"
		"  --trace-filter LO-HI keep events whose first address is in [LO, HI) (hex)\n"
		"  --ring-size N        records per vCPU ring (48 bytes each), a power of two\n"
		"                       from %u to %u (default %llu)\n"
		"  --campaign NAME      file the run under campaign NAME (`vtlab campaign` sets\n"
		"                       this and the three below for each cell it runs)\n"
		"  --campaign-file FILE the campaign's file, stored with the campaign\n"
		"  --campaign-cell KEY  the cell's parameters, \"NAME=VALUE ...\" (run_params\n"
		"                       campaign_cell), which resuming a campaign matches\n"
		"  --repetition N       the repetition of the cell, from 0 (default 0)\n\n"
		"Numbers are decimal or 0x hexadecimal.  With --summary json, the JSON object is\n"
		"the last line of stdout; use --console FILE to keep guest output apart.\n\n"
		"Example:\n"
		"  vtlab run --kernel rv64ui-p-add --summary json\n"
		"  vtlab run --kernel kernel.elf --mem 512M --vcpus 4 --dtlb 128:4 --cost mmio=400\n"
		"  vtlab run --kernel kernel.elf --db results.db --trace exits,faults\n"
		"  vtlab run --workload kbuild --small --config HTVT --guest-vhpt-walker on\n",
		format_size(d.ram_size, mem, sizeof mem), MAX_HARTS, d.nharts, boot_name(d.boot),
		MAX_TLB_ENTRIES, d.itlb_entries, d.itlb_ways, d.dtlb_entries, d.dtlb_ways,
		d.max_insns, d.slice, d.svtlb ? "enabled" : "disabled", categories, MIN_RING,
		MAX_RING, (unsigned long long)TRACE_RING_DEFAULT);
}

static int bad_value(const char *opt, const char *expected, const char *got)
{
	fprintf(stderr, "vtlab run: --%s: expected %s, got '%s'\n", opt, expected, got);
	return -1;
}

/* Messages of the tracer's parsers start "vtlab: "; ours "vtlab run: ". */
static int trace_error(const char *msg)
{
	fprintf(stderr, "vtlab run: %s\n", cli_unprefixed(msg));
	return -1;
}

static int parse_ring_size(struct run_opts *o, const char *arg)
{
	uint64_t v;
	if (parse_u64(arg, MIN_RING, MAX_RING, &v) || (v & (v - 1))) {
		char what[96];
		snprintf(what, sizeof what, "a power of two from %u to %u (records per vCPU)",
			 MIN_RING, MAX_RING);
		return bad_value("ring-size", what, arg);
	}
	o->rec.session.ring_capacity = v;
	return 0;
}

static int parse_trace_sample(struct run_opts *o, const char *arg)
{
	char err[1024];
	size_t used = strlen(o->sample_args);
	if (trace_parse_sample(arg, o->rec.session.sample, err, sizeof err))
		return trace_error(err);
	if (used + strlen(arg) + 2 > sizeof o->sample_args) {
		fprintf(stderr,
			"vtlab run: --trace-sample: too many (at most %zu characters in all)\n",
			sizeof o->sample_args - 1);
		return -1;
	}
	snprintf(o->sample_args + used, sizeof o->sample_args - used, "%s%s", used ? "," : "", arg);
	o->rec.trace_sample = o->sample_args;
	return 0;
}

/* Remembers the first option given that needs --db or --collector (the
 * trace and campaign options), for check_record_options(). */
static void note_record_option(struct run_opts *o, const char *name)
{
	if (!o->record_opt)
		o->record_opt = name;
}

/* The options that store or trace the run. */
static int apply_record_option(struct run_opts *o, int opt, const char *arg)
{
	char err[1024];
	struct trace_session_config *t = &o->rec.session;
	switch (opt) {
	case OPT_DB: o->rec.db = arg; return 0;
	case OPT_COLLECTOR: o->rec.collector = arg; return 0;
	case OPT_TRACE:
		note_record_option(o, "trace");
		o->rec.trace = arg;
		if (trace_parse_categories(arg, &t->cat_mask, err, sizeof err))
			return trace_error(err);
		return 0;
	case OPT_TRACE_MODE:
		note_record_option(o, "trace-mode");
		if (strcmp(arg, "lossless") && strcmp(arg, "drop"))
			return bad_value("trace-mode", "lossless or drop", arg);
		o->rec.trace_mode = arg;
		t->mode = strcmp(arg, "drop") == 0 ? RING_DROP : RING_LOSSLESS;
		return 0;
	case OPT_TRACE_SAMPLE:
		note_record_option(o, "trace-sample");
		return parse_trace_sample(o, arg);
	case OPT_TRACE_FILTER:
		note_record_option(o, "trace-filter");
		o->rec.trace_filter = arg;
		if (trace_parse_filter(arg, &t->filter_lo, &t->filter_hi, err, sizeof err))
			return trace_error(err);
		return 0;
	case OPT_RING_SIZE: note_record_option(o, "ring-size"); return parse_ring_size(o, arg);
	case OPT_CAMPAIGN:
		note_record_option(o, "campaign");
		if (!arg[0])
			return bad_value("campaign", "a campaign name", arg);
		o->rec.campaign = arg;
		return 0;
	case OPT_CAMPAIGN_FILE:
		note_record_option(o, "campaign-file");
		o->rec.campaign_file = arg;
		return 0;
	case OPT_CAMPAIGN_CELL:
		note_record_option(o, "campaign-cell");
		o->rec.campaign_cell = arg;
		return 0;
	case OPT_REPETITION: {
		uint64_t r;
		note_record_option(o, "repetition");
		if (parse_u64(arg, 0, 1000000, &r))
			return bad_value("repetition", "a repetition index from 0", arg);
		o->rec.repetition = (unsigned)r;
		return 0;
	}
	}
	return -1;
}

static void known_costs(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < cost_count() && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", cost_name(i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int parse_mem(struct run_opts *o, const char *arg)
{
	uint64_t v;
	if (parse_size(arg, &v) || v < MIN_MEM || v > MAX_MEM || v % MEM_ALIGN)
		return bad_value("mem", "a size from 1M to 16G, a multiple of 4K (e.g. 256M)", arg);
	o->cfg.ram_size = v;
	return 0;
}

static int parse_vcpus(struct run_opts *o, const char *arg)
{
	uint64_t v;
	if (parse_u64(arg, 1, MAX_HARTS, &v)) {
		char what[64];
		snprintf(what, sizeof what, "an integer from 1 to %d", MAX_HARTS);
		return bad_value("vcpus", what, arg);
	}
	o->cfg.nharts = (unsigned)v;
	return 0;
}

static int parse_tlb(const char *opt, const char *arg, unsigned *entries, unsigned *ways)
{
	if (parse_geometry(arg, MAX_TLB_ENTRIES, entries, ways))
		return bad_value(opt,
				 "ENTRIES:WAYS with ENTRIES a multiple of WAYS, "
				 "ENTRIES/WAYS a power of two and ENTRIES <= 65536 (e.g. 64:4)",
				 arg);
	return 0;
}

static int parse_cost_override(struct run_opts *o, const char *arg)
{
	struct cost_override *c = &o->cost[o->ncost];
	if (o->ncost >= MAX_COST_OVERRIDES) {
		fprintf(stderr, "vtlab run: --cost: at most %d overrides (use --cost-file)\n",
			MAX_COST_OVERRIDES);
		return -1;
	}
	if (parse_name_value(arg, c->name, sizeof c->name, &c->value))
		return bad_value("cost",
				 "NAME=VALUE with a non-negative integer VALUE (e.g. mmio=400)",
				 arg);
	c->arg = arg;
	o->ncost++;
	return 0;
}

/* ---- the hypervisor's options ---- */

/* A two-way choice: *out = 0 for `no`, 1 for `yes`. */
static int parse_choice(const char *opt, const char *arg, const char *no, const char *yes, int *out)
{
	char expected[64];
	if (strcmp(arg, no) == 0)
		*out = 0;
	else if (strcmp(arg, yes) == 0)
		*out = 1;
	else {
		snprintf(expected, sizeof expected, "%s or %s", no, yes);
		return bad_value(opt, expected, arg);
	}
	return 0;
}

static int parse_count(const char *opt, const char *arg, uint64_t max, bool pow2, unsigned *out)
{
	uint64_t v;
	if (parse_u64(arg, 1, max, &v) || (pow2 && (v & (v - 1)))) {
		char what[96];
		snprintf(what, sizeof what, "%s from 1 to %" PRIu64,
			 pow2 ? "a power of two" : "an integer", max);
		return bad_value(opt, what, arg);
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_hv_option(struct run_opts *o, int opt, const char *arg)
{
	if (opt != OPT_CONFIG && !o->hv_knob)
		o->hv_knob = opt == OPT_GUEST_VHPT_WALKER    ? "guest-vhpt-walker"
			     : opt == OPT_VTLB_BUCKETS       ? "vtlb-buckets"
			     : opt == OPT_VTLB_CHAIN_MAX     ? "vtlb-chain-max"
			     : opt == OPT_VTLB_POOL          ? "vtlb-pool"
			     : opt == OPT_TRACK              ? "track"
			     : opt == OPT_LARGE_PAGES        ? "large-pages"
			     : opt == OPT_MACHINE_VHPT_CHAIN ? "machine-vhpt-chain"
							     : "machine-vhpt-size";
	switch (opt) {
	case OPT_CONFIG:
		if (hv_config_parse(arg, &o->config))
			return bad_value("config", "native, STVT, HTVT, STPV, HTPV or EPT", arg);
		return 0;
	case OPT_GUEST_VHPT_WALKER:
		return parse_choice("guest-vhpt-walker", arg, "off", "on", &o->guest_vhpt_walker);
	case OPT_VTLB_BUCKETS:
		return parse_count("vtlb-buckets", arg, 1u << 24, true, &o->vtlb_buckets);
	case OPT_VTLB_CHAIN_MAX:
		return parse_count("vtlb-chain-max", arg, 1024, false, &o->vtlb_chain_max);
	case OPT_VTLB_POOL: return parse_count("vtlb-pool", arg, 1u << 24, false, &o->vtlb_pool);
	case OPT_TRACK: return parse_choice("track", arg, "partial", "full", &o->full_track);
	case OPT_LARGE_PAGES:
		return parse_choice("large-pages", arg, "split", "whole", &o->whole_large_pages);
	case OPT_MACHINE_VHPT_CHAIN:
		return parse_choice("machine-vhpt-chain", arg, "off", "on", &o->machine_vhpt_chain);
	default: { /* OPT_MACHINE_VHPT_SIZE */
		uint64_t v;
		if (parse_size(arg, &v) || v < (32u << 10) || v > (1ull << 30) || (v & (v - 1)))
			return bad_value("machine-vhpt-size",
					 "a power of two from 32K to 1G (e.g. 1M)", arg);
		o->machine_vhpt_size = v;
		return 0;
	}
	}
}

static bool svtlb_config(enum hv_config c)
{
	return c == HV_STVT || c == HV_HTVT || c == HV_STPV || c == HV_HTPV;
}

/* Refuses knobs and kernel choices the configuration cannot take, naming
 * the option and what to use instead.  -1 after an error. */
static int hv_check_options(const struct run_opts *o)
{
	enum hv_config c = o->config;
	if (c == HV_NATIVE) {
		if (o->hv_knob) {
			fprintf(stderr,
				"vtlab run: --%s: needs a hypervisor configuration "
				"(--config STVT, HTVT, STPV, HTPV or EPT)\n",
				o->hv_knob);
			return -1;
		}
		return 0;
	}
	if (!svtlb_config(c) && o->hv_knob) {
		fprintf(stderr,
			"vtlab run: --%s: applies to the Svtlb configurations (STVT, HTVT, "
			"STPV, HTPV), not --config %s\n",
			o->hv_knob, hv_config_name(c));
		return -1;
	}
	bool hash = c == HV_HTVT || c == HV_HTPV;
	if (!hash && (o->vtlb_buckets || o->vtlb_pool || o->vtlb_chain_max)) {
		fprintf(stderr,
			"vtlab run: --vtlb-%s: the single vTLB of --config %s has no "
			"buckets, pool or chains (use HTVT or HTPV)\n",
			o->vtlb_buckets ? "buckets"
			: o->vtlb_pool  ? "pool"
					: "chain-max",
			hv_config_name(c));
		return -1;
	}
	if (svtlb_config(c) && o->wl.mmu && strcmp(o->wl.mmu, "svtlb") != 0) {
		fprintf(stderr,
			"vtlab run: --mmu %s: --config %s virtualizes Svtlb (use --mmu svtlb, "
			"or --config EPT for sv39)\n",
			o->wl.mmu, hv_config_name(c));
		return -1;
	}
	if (c == HV_EPT && o->wl.mmu && strcmp(o->wl.mmu, "sv39") != 0) {
		fprintf(stderr,
			"vtlab run: --mmu %s: --config EPT runs the Sv39 kernel (use --mmu "
			"sv39)\n",
			o->wl.mmu);
		return -1;
	}
	if ((c == HV_STVT || c == HV_HTVT || c == HV_EPT) && o->wl.pv) {
		fprintf(stderr,
			"vtlab run: --pv: --config %s runs the unmodified kernel (STPV and "
			"HTPV run the paravirtual one)\n",
			hv_config_name(c));
		return -1;
	}
	return 0;
}

/* The configuration's default parameters with the knobs given over them. */
static void hv_apply_knobs(const struct run_opts *o, struct hv_params *p)
{
	hv_params_default(p, o->config);
	if (o->guest_vhpt_walker >= 0)
		p->guest_vhpt_walker = o->guest_vhpt_walker;
	if (o->full_track >= 0)
		p->full_track = o->full_track;
	if (o->whole_large_pages >= 0)
		p->whole_large_pages = o->whole_large_pages;
	if (o->vtlb_buckets) {
		p->vtlb.buckets = o->vtlb_buckets;
		if (!o->vtlb_pool)
			p->vtlb.pool = o->vtlb_buckets; /* the pool follows the buckets */
	}
	if (o->vtlb_pool)
		p->vtlb.pool = o->vtlb_pool;
	if (o->vtlb_chain_max)
		p->vtlb.chain_max = o->vtlb_chain_max;
	if (o->machine_vhpt_chain >= 0)
		p->machine_vhpt_chain = o->machine_vhpt_chain;
	if (o->machine_vhpt_size)
		p->machine_vhpt_log2 = (unsigned)__builtin_ctzll(o->machine_vhpt_size);
}

/* The configuration's parameters; picks the kernel build of the
 * configuration for --workload.  -1 after an error. */
static int hv_setup(struct run_opts *o)
{
	enum hv_config c = o->config;
	if (hv_check_options(o) != 0)
		return -1;
	if (c == HV_NATIVE)
		return 0;
	hv_apply_knobs(o, &o->hv);
	if (o->wl.name && (c == HV_STPV || c == HV_HTPV))
		o->wl.pv = true;
	if (o->wl.name && c == HV_EPT && !o->wl.mmu)
		o->wl.mmu = "sv39";
	return 0;
}

/* Machine RAM = the guest's RAM (--mem) + the VMM's memory above it. */
static int hv_size_ram(struct run_opts *o)
{
	if (o->config == HV_NATIVE)
		return 0;
	o->hv.guest_ram = o->cfg.ram_size;
	uint64_t extra = hv_vmm_bytes(&o->hv, o->cfg.nharts);
	if (o->cfg.ram_size + extra > (64ull << 30)) {
		fprintf(stderr,
			"vtlab run: --mem: the guest's RAM plus the VMM's %" PRIu64
			" bytes exceed the machine's 64G\n",
			extra);
		return -1;
	}
	o->cfg.ram_size += extra;
	return 0;
}

/* Applies one option; returns 0 or -1 after printing the error. */
static int apply_option(struct run_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case OPT_KERNEL: o->cfg.kernel = arg; return 0;
	case OPT_MEM: return parse_mem(o, arg);
	case OPT_VCPUS: return parse_vcpus(o, arg);
	case OPT_DISK: o->cfg.disk = arg; return 0;
	case OPT_COST_FILE: o->cost_file = arg; return 0;
	case OPT_COST: return parse_cost_override(o, arg);
	case OPT_ITLB: return parse_tlb("itlb", arg, &o->cfg.itlb_entries, &o->cfg.itlb_ways);
	case OPT_DTLB: return parse_tlb("dtlb", arg, &o->cfg.dtlb_entries, &o->cfg.dtlb_ways);
	case OPT_NO_SVTLB: o->cfg.svtlb = false; return 0;
	case OPT_CONSOLE: o->console_path = arg; return 0;
	case OPT_WORKLOAD: o->wl.name = arg; return workload_check_name(arg);
	case OPT_SMALL: o->wl.small = true; return 0;
	case OPT_MMU: o->wl.mmu = arg; return workload_check_mmu(arg);
	case OPT_PV: o->wl.pv = true; return 0;
	case OPT_DISK_SNAPSHOT: o->cfg.disk_snapshot = true; return 0;
	case OPT_ARGS:
		if (strlen(arg) > 2047)
			return bad_value("args", "an argument string of at most 2047 bytes", arg);
		o->cfg.args = arg;
		return 0;
	case OPT_DB:
	case OPT_COLLECTOR:
	case OPT_TRACE:
	case OPT_TRACE_MODE:
	case OPT_TRACE_SAMPLE:
	case OPT_TRACE_FILTER:
	case OPT_RING_SIZE:
	case OPT_CAMPAIGN:
	case OPT_CAMPAIGN_FILE:
	case OPT_CAMPAIGN_CELL:
	case OPT_REPETITION: return apply_record_option(o, opt, arg);
	case OPT_CONFIG:
	case OPT_GUEST_VHPT_WALKER:
	case OPT_VTLB_BUCKETS:
	case OPT_VTLB_CHAIN_MAX:
	case OPT_VTLB_POOL:
	case OPT_TRACK:
	case OPT_LARGE_PAGES:
	case OPT_MACHINE_VHPT_SIZE:
	case OPT_MACHINE_VHPT_CHAIN: return parse_hv_option(o, opt, arg);
	case OPT_MAX_INSNS:
		if (parse_u64(arg, 0, UINT64_MAX, &o->cfg.max_insns))
			return bad_value("max-insns", "a non-negative integer (0 = no limit)", arg);
		return 0;
	case OPT_MAX_SECONDS: {
		uint64_t sec;
		if (parse_u64(arg, 0, 1000000000, &sec))
			return bad_value("max-seconds", "a number of seconds (0 = no limit)", arg);
		o->cfg.max_wall_ns = sec * 1000000000ull;
		return 0;
	}
	case OPT_SLICE:
		if (parse_u64(arg, 1, UINT64_MAX, &o->cfg.slice))
			return bad_value("slice", "a positive integer", arg);
		return 0;
	case OPT_SCHED_SEED:
		if (parse_u64(arg, 0, UINT64_MAX, &o->cfg.sched_seed))
			return bad_value("sched-seed", "a non-negative integer (0 = fixed slices)",
					 arg);
		return 0;
	case OPT_SUMMARY:
		if (strcmp(arg, "text") == 0)
			o->summary = SUMMARY_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->summary = SUMMARY_JSON;
		else
			return bad_value("summary", "text or json", arg);
		return 0;
	case OPT_BOOT:
		if (strcmp(arg, "auto") == 0)
			o->cfg.boot = BOOT_AUTO;
		else if (strcmp(arg, "m") == 0)
			o->cfg.boot = BOOT_M;
		else if (strcmp(arg, "s") == 0)
			o->cfg.boot = BOOT_S;
		else
			return bad_value("boot", "auto, m or s", arg);
		return 0;
	}
	return -1;
}

/* --db and --collector exclude each other; trace options need one. */
static int check_record_options(const struct run_opts *o)
{
	if (o->rec.db && o->rec.collector) {
		fprintf(stderr, "vtlab run: --collector: cannot be used with --db (the collector "
				"writes its own database)\n");
		return -1;
	}
	if (o->record_opt && !o->rec.db && !o->rec.collector) {
		fprintf(stderr,
			"vtlab run: --%s: needs --db FILE (or --collector PATH) to store the "
			"run in\n",
			o->record_opt);
		return -1;
	}
	return 0;
}

/* Parses argv.  Returns 0 to run, 1 when help was shown, -1 on error. */
static int parse_args(struct run_opts *o, int argc, char **argv)
{
	int opt;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (opt == 'h') {
			cmd_run_help(stdout);
			return 1;
		}
		if (opt == '?' || opt == ':') {
			cli_getopt_error("run", opt, argc, argv, long_options);
			return -1;
		}
		if (apply_option(o, opt, optarg))
			return -1;
	}
	if (optind < argc && o->wl.name && strcmp(argv[optind - 1], "--") == 0) {
		o->wl.extra = argv + optind;
		o->wl.nextra = argc - optind;
	} else if (optind < argc) {
		fprintf(stderr,
			"vtlab run: unexpected argument '%s' (the guest ELF goes after "
			"--kernel; workload options go after --workload NAME --)\n",
			argv[optind]);
		return -1;
	}
	if (!o->cfg.kernel && !o->wl.name) {
		fprintf(stderr,
			"vtlab run: --kernel: required (the guest ELF to run; see vtlab run "
			"--help)\n");
		return -1;
	}
	const char *wl_only = o->wl.small ? "--small"
			      : o->wl.mmu ? "--mmu"
			      : o->wl.pv  ? "--pv"
					  : NULL;
	if (wl_only && !o->wl.name) {
		/* they choose among the workloads' kernel builds and presets: with
		 * --kernel alone they would be ignored without a word */
		fprintf(stderr,
			"vtlab run: %s: only with --workload NAME (it picks the workload's kernel "
			"build or preset; a --kernel ELF runs as it is)\n",
			wl_only);
		return -1;
	}
	return check_record_options(o);
}

/* Defaults, then --cost-file, then each --cost. */
static int apply_costs(struct run_opts *o)
{
	char err[1024];
	if (o->cost_file && cost_load_file(&o->cfg.cost, o->cost_file, err, sizeof err)) {
		fprintf(stderr, "vtlab run: --cost-file: %s\n", cli_unprefixed(err));
		return -1;
	}
	for (unsigned i = 0; i < o->ncost; i++) {
		const struct cost_override *c = &o->cost[i];
		if (strcmp(c->name, "ticks_div") == 0 && c->value == 0)
			return bad_value("cost", "ticks_div of at least 1 (it is a divisor)",
					 c->arg);
		if (cost_set(&o->cfg.cost, c->name, c->value)) {
			char known[512];
			known_costs(known, sizeof known);
			fprintf(stderr, "vtlab run: --cost: unknown cost '%s' (known: %s)\n",
				c->name, known);
			return -1;
		}
	}
	return 0;
}

static FILE *open_console(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "vtlab run: --console: cannot open '%s': %s\n", path,
			strerror(errno));
	return f;
}

/* The guest's exit code as a process status: 0 stays 0, anything else
 * becomes 1..255 (a negative or too large code must not read as 0). */
static int exit_status(int code)
{
	if (code == 0)
		return 0;
	if (code < 0 || code > 255)
		return 255;
	return code;
}

static void print_summary(const struct run_opts *o, const struct machine *m)
{
	if (o->summary == SUMMARY_JSON) {
		/* The JSON object must be a line of its own after guest output. */
		if (m->cfg.console == stdout && m->console_mid_line)
			putchar('\n');
		summary_print_json(stdout, m);
		if (m->exit_code != 0)
			fprintf(stderr, "vtlab run: exit %d: %.*s\n", m->exit_code,
				(int)strnlen(m->exit_reason, sizeof m->exit_reason),
				m->exit_reason);
	} else {
		summary_print_text(stderr, m);
		hv_print_stats(stderr, m);
	}
}

static bool recording(const struct run_opts *o)
{
	return o->rec.db || o->rec.collector;
}

/* What such a message says of `path`: what follows its "PATH: ", or NULL
 * when it is not about path. */
static const char *about(const char *msg, const char *path)
{
	size_t n = path ? strlen(path) : 0;
	msg = cli_unprefixed(msg);
	return n && strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ? msg + n + 2
										 : NULL;
}

/* Prints a storage error as "vtlab run: --db FILE: what" (db/ messages
 * start with the file's name already). */
static void record_error(const struct run_opts *o, const char *msg)
{
	const char *where = o->rec.db ? o->rec.db : o->rec.collector, *what = about(msg, where);
	if (!what)
		what = cli_unprefixed(msg);
	fprintf(stderr, "vtlab run: %s %s: %s\n", o->rec.db ? "--db" : "--collector", where, what);
}

/* Starts the collector and creates the run; attaches the tracer. */
/* machine watchdog: a collector that died is noticed during the run even
 * when no trace record is pushed (--trace none). */
static int collector_watchdog(void *session, char *why, size_t len)
{
	struct trace_session *s = session;
	if (trace_session_alive(s))
		return 0;
	snprintf(why, len, "%s: run ended (the database keeps what was committed)",
		 s->why[0] ? s->why : "the collector storing the run is gone");
	return 1;
}

static int record_begin(struct run_opts *o, struct trace_session *s, struct machine *m)
{
	char err[1024], exe[4096];
	struct trace_session_config *t = &o->rec.session;
	t->db_path = o->rec.db;
	t->socket_path = o->rec.collector;
	t->exe = cli_self_exe(exe, sizeof exe);
	t->nvcpus = m->nharts;
	if (run_record_begin(s, &o->rec, &o->cfg, err, sizeof err)) {
		record_error(o, err);
		return -1;
	}
	machine_set_tracer(m, trace_session_tracer(s), t->cat_mask);
	m->watchdog = collector_watchdog;
	m->watchdog_ctx = s;
	return 0;
}

/* A run left 'running' by a dead collector becomes 'incomplete' now:
 * db_open() recovers runs whose writer is gone (db.h). */
static void recover_runs(const struct run_opts *o)
{
	char err[DB_ERR_LEN];
	struct db *db;
	if (!o->rec.db || db_open(o->rec.db, &db, err, sizeof err) != 0)
		return;
	db_close(db);
}

/* Sends the results and counters; closes the session.  Returns 0 or -1
 * after printing the error. */
static int record_end(struct run_opts *o, struct trace_session *s, const struct machine *m)
{
	char err[1024];
	int r = run_record_end(s, m, err, sizeof err);
	if (r)
		record_error(o, err);
	else
		fprintf(stderr, "vtlab run: stored as run %lld %s %s (%llu events, %llu lost)\n",
			(long long)s->run_id, o->rec.db ? "in" : "by the collector at",
			o->rec.db ? o->rec.db : o->rec.collector, (unsigned long long)s->events,
			(unsigned long long)s->lost);
	trace_session_close(s);
	if (r)
		recover_runs(o);
	return r;
}

/* What the run record takes from the options once they are set up. */
static void record_opts_finish(struct run_opts *o)
{
	o->rec.hv = o->config != HV_NATIVE ? &o->hv : NULL;
	o->rec.workload = o->wl.name;
}

/* A machine_new() error ("vtlab: FILE: what", vmm/) as this command's,
 * naming the option that gave the file: "vtlab run: --kernel FILE: what". */
static void machine_error(const struct run_opts *o, const char *err)
{
	const char *what;
	if ((what = about(err, o->cfg.kernel)))
		fprintf(stderr, "vtlab run: --kernel %s: %s\n", o->cfg.kernel, what);
	else if ((what = about(err, o->cfg.disk)))
		fprintf(stderr, "vtlab run: --disk %s: %s\n", o->cfg.disk, what);
	else
		fprintf(stderr, "vtlab run: %s\n", cli_unprefixed(err));
}

static int run_machine(struct run_opts *o)
{
	char err[512];
	struct trace_session session;
	struct machine *m = machine_new(&o->cfg, err, sizeof err);
	if (!m) {
		machine_error(o, err);
		return EXIT_USAGE;
	}
	if (o->config != HV_NATIVE && hv_attach(m, &o->hv, err, sizeof err)) {
		fprintf(stderr, "vtlab run: --config %s: %s\n", hv_config_name(o->config), err);
		machine_free(m);
		return EXIT_USAGE;
	}
	record_opts_finish(o);
	if (recording(o) && record_begin(o, &session, m)) {
		trace_session_close(&session);
		recover_runs(o);
		machine_free(m);
		return EXIT_NOT_STORED; /* as --help says: the run could not be stored */
	}
	uint64_t t0 = ctl_now_ns();
	/* The machine checks --max-seconds between slices, never while a full
	 * lossless ring waits for the collector: the session does then, on
	 * the same clock. */
	if (recording(o) && o->cfg.max_wall_ns)
		session.wait_deadline_ns = t0 + o->cfg.max_wall_ns;
	int code = machine_run(m);
	m->wall_ns = ctl_now_ns() - t0;
	machine_set_tracer(m, NULL, 0); /* the session owns the tracer */
	fflush(o->cfg.console);
	fflush(stdout);
	print_summary(o, m);
	int status = exit_status(code);
	if (recording(o) && record_end(o, &session, m) && status == 0)
		status = EXIT_NOT_STORED;
	machine_free(m);
	return status;
}

/* Parses and checks everything a run needs before the guest starts.
 * Returns 0, 1 when help was shown, or EXIT_USAGE after the error. */
static int setup(struct run_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	machine_config_defaults(&o->cfg);
	o->summary = SUMMARY_TEXT;
	o->rec.trace_mode = "lossless";
	o->rec.session.mode = RING_LOSSLESS;
	o->rec.session.ring_capacity = TRACE_RING_DEFAULT;
	o->config = HV_NATIVE;
	o->guest_vhpt_walker = o->full_track = o->whole_large_pages = o->machine_vhpt_chain = -1;
	int r = parse_args(o, argc, argv);
	if (r)
		return r > 0 ? 1 : EXIT_USAGE;
	char exe[4096];
	if (hv_setup(o) || workload_apply(&o->wl, &o->cfg, cli_self_path(exe, sizeof exe)) ||
	    hv_size_ram(o) || apply_costs(o))
		return EXIT_USAGE;
	return 0;
}

int cmd_run_check(int argc, char **argv)
{
	struct run_opts o;
	int r = setup(&o, argc, argv);
	return r == 1 ? 0 : r;
}

int cmd_run_each_setting(int argc, char **argv, run_setting_fn fn, void *ctx)
{
	struct run_opts o;
	int r = setup(&o, argc, argv);
	if (r)
		return r == 1 ? EXIT_USAGE : r; /* --help: no settings */
	record_opts_finish(&o);
	return run_record_settings(&o.rec, &o.cfg, fn, ctx) ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	int r = setup(&o, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	o.cfg.console = open_console(o.console_path);
	if (!o.cfg.console)
		return EXIT_USAGE;
	int status = run_machine(&o);
	/* The console is flushed at every newline, so a failed write (a full
	 * disk, /dev/full) was seen then and its bytes dropped: fclose() has
	 * nothing left to fail on, the stream's error flag is what tells.
	 * The same for the JSON summary on stdout. */
	bool to_file = o.cfg.console != stdout;
	bool console_lost = to_file && (ferror(o.cfg.console) | fclose(o.cfg.console));
	bool stdout_lost = fflush(stdout) != 0 || ferror(stdout);
	if (console_lost)
		fprintf(stderr,
			"vtlab run: --console %s: error writing it (is its disk full?): guest "
			"console output lost\n",
			o.console_path);
	if (stdout_lost)
		fprintf(stderr,
			"vtlab run: error writing standard output (is its disk full?): %s lost\n",
			to_file                     ? "the summary"
			: o.summary == SUMMARY_JSON ? "guest console output and the summary"
						    : "guest console output");
	if ((console_lost || stdout_lost) && status == 0)
		status = 1;
	return status;
}
