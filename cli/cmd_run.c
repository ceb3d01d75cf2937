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
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "cost.h"
#include "machine.h"
#include "options.h"
#include "summary.h"

#define MAX_COST_OVERRIDES 64
#define MAX_TLB_ENTRIES 65536u
#define MIN_MEM (1ull << 20)
#define MAX_MEM (16ull << 30)
#define MEM_ALIGN 4096ull

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
	OPT_SLICE,
	OPT_NO_SVTLB,
	OPT_CONSOLE,
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
	{ "slice", required_argument, NULL, OPT_SLICE },
	{ "no-svtlb", no_argument, NULL, OPT_NO_SVTLB },
	{ "console", required_argument, NULL, OPT_CONSOLE },
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
	char mem[32];
	machine_config_defaults(&d);
	fprintf(f,
		"usage: vtlab run --kernel FILE.elf [OPTIONS]\n\n"
		"Runs a RISC-V RV64 guest ELF on the vtlab engine until it exits, then prints\n"
		"a summary (instructions, modeled cycles, events, TLB statistics).  The exit\n"
		"status is the guest's exit code (0 = pass; 1..255 = fail; 2 also for usage errors).\n\n"
		"Options:\n"
		"  --kernel FILE        guest ELF64 executable to load (required)\n"
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
		"  --slice N            scheduler slice in instructions (default %" PRIu64 ")\n"
		"  --no-svtlb           reject satp.MODE=14 (Svtlb) like a plain Sv39 machine\n"
		"                       (default: Svtlb %s)\n"
		"  --console FILE|-     where the guest console writes (default -, stdout)\n"
		"  -h, --help           show this help\n\n"
		"Numbers are decimal or 0x hexadecimal.  With --summary json, the JSON object is\n"
		"the last line of stdout; use --console FILE to keep guest output apart.\n\n"
		"Example:\n"
		"  vtlab run --kernel rv64ui-p-add --summary json\n"
		"  vtlab run --kernel kernel.elf --mem 512M --vcpus 4 --dtlb 128:4 --cost mmio=400\n",
		format_size(d.ram_size, mem, sizeof mem), MAX_HARTS, d.nharts, boot_name(d.boot),
		MAX_TLB_ENTRIES, d.itlb_entries, d.itlb_ways, d.dtlb_entries, d.dtlb_ways,
		d.max_insns, d.slice, d.svtlb ? "enabled" : "disabled");
}

static int bad_value(const char *opt, const char *expected, const char *got)
{
	fprintf(stderr, "vtlab run: --%s: expected %s, got '%s'\n", opt, expected, got);
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
	case OPT_MAX_INSNS:
		if (parse_u64(arg, 0, UINT64_MAX, &o->cfg.max_insns))
			return bad_value("max-insns", "a non-negative integer (0 = no limit)", arg);
		return 0;
	case OPT_SLICE:
		if (parse_u64(arg, 1, UINT64_MAX, &o->cfg.slice))
			return bad_value("slice", "a positive integer", arg);
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

/* Reports a getopt error: unknown option or missing argument. */
static void option_error(int opt, int argc, char **argv)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "?";
	if (opt == ':')
		fprintf(stderr, "vtlab run: %s: missing value (see vtlab run --help)\n", arg);
	else if (optopt && optopt != '?' && strncmp(arg, "--", 2) != 0)
		fprintf(stderr, "vtlab run: unknown option '-%c' (see vtlab run --help)\n", optopt);
	else
		fprintf(stderr,
			"vtlab run: unknown or ambiguous option '%s' (see vtlab run --help)\n",
			arg);
}

/* Parses argv.  Returns 0 to run, 1 when help was shown, -1 on error. */
static int parse_args(struct run_opts *o, int argc, char **argv)
{
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (opt == 'h') {
			cmd_run_help(stdout);
			return 1;
		}
		if (opt == '?' || opt == ':') {
			option_error(opt, argc, argv);
			return -1;
		}
		if (apply_option(o, opt, optarg))
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr,
			"vtlab run: unexpected argument '%s' (the guest ELF goes after "
			"--kernel)\n",
			argv[optind]);
		return -1;
	}
	if (!o->cfg.kernel) {
		fprintf(stderr,
			"vtlab run: --kernel: required (the guest ELF to run; see vtlab run "
			"--help)\n");
		return -1;
	}
	return 0;
}

/* Defaults, then --cost-file, then each --cost. */
static int apply_costs(struct run_opts *o)
{
	char err[1024];
	if (o->cost_file && cost_load_file(&o->cfg.cost, o->cost_file, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
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

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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
			fprintf(stderr, "vtlab run: guest exit code %d: %.*s\n", m->exit_code,
				(int)strnlen(m->exit_reason, sizeof m->exit_reason),
				m->exit_reason);
	} else {
		summary_print_text(stderr, m);
	}
}

static int run_machine(struct run_opts *o)
{
	char err[512];
	struct machine *m = machine_new(&o->cfg, err, sizeof err);
	if (!m) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	uint64_t t0 = now_ns();
	int code = machine_run(m);
	m->wall_ns = now_ns() - t0;
	fflush(o->cfg.console);
	fflush(stdout);
	print_summary(o, m);
	machine_free(m);
	return exit_status(code);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	memset(&o, 0, sizeof o);
	machine_config_defaults(&o.cfg);
	o.summary = SUMMARY_TEXT;
	int r = parse_args(&o, argc, argv);
	if (r)
		return r > 0 ? 0 : EXIT_USAGE;
	if (apply_costs(&o))
		return EXIT_USAGE;
	o.cfg.console = open_console(o.console_path);
	if (!o.cfg.console)
		return EXIT_USAGE;
	int status = run_machine(&o);
	if (o.cfg.console != stdout && fclose(o.cfg.console) != 0) {
		fprintf(stderr, "vtlab run: --console: error writing '%s'\n", o.console_path);
		if (status == 0)
			status = 1;
	}
	return status;
}
