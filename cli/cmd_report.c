/*
 * cmd_report.c - `vtlab report --db DB [--table perf|faults|all]`: the
 * paper's tables from a results database (analyze/report.h), as text,
 * Markdown, LaTeX or CSV on stdout; on stderr, the runs of the scope the
 * tables leave out (not complete), each with its status and why.
 *
 * Exit status: 0 every table asked for was printed (with --table all, a
 * table the data cannot make is skipped with a note on stderr), 1 a table
 * could not be made (no data, database error) or written (stdout closed
 * or full), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "options.h"
#include "report.h"
#include "where_option.h"

#define MAX_LIST 32

enum { TABLE_PERF = 1, TABLE_FAULTS = 2 };

struct report_opts {
	const char *db;
	unsigned tables; /* TABLE_* bits; 0 = all */
	int all;         /* --table all given: skip a table the data cannot make */
	enum report_format format;
	struct report_scope scope;
	const char *workloads[MAX_LIST], *configs[MAX_LIST];
	struct cli_where where;
};

void cmd_report_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab report --db DB.db [--table perf|faults|all] [OPTIONS]\n\n"
		"Prints the paper's tables from the complete runs of a results database.  Runs\n"
		"are grouped by campaign, workload, vCPU count, configuration and campaign cell\n"
		"(a swept parameter's values get their own rows); a group's runs are its\n"
		"samples: means with 95%% confidence intervals (Student's t).  Runs of one\n"
		"group made with other settings (another --vtlb-buckets or --cost, by hand\n"
		"or by an older campaign) get a row each, named by what differs.  The runs\n"
		"left out (failed, incomplete, still running) are named on stderr.\n\n"
		"Tables:\n"
		"  perf     the workload metric and the modeled time (Mcycles) of each group,\n"
		"           mean and 95%% CI, each relative to the baseline (native, or\n"
		"           --baseline) with a 95%% CI of the ratio (performance: higher is\n"
		"           better, time metrics inverted; time: the slowdown)\n"
		"  faults   the faults the hypervisor injected into the guest per run, by kind\n"
		"           (the paper's Table 1 shape)\n"
		"  all      (default) both; one the data cannot make is skipped\n\n"
		"Options:\n"
		"  --db FILE          the results database (required; opened read-only)\n"
		"  --table NAME       a table above; repeat for several (default all)\n"
		"  --format FMT       text (default), markdown, latex (booktabs) or csv (one\n"
		"                     --table at a time)\n"
		"  --campaign NAME    only the runs of this campaign ('-': runs outside campaigns)\n"
		"  --workload W[,W]   only these workloads (repeatable)\n"
		"  --config C[,C]     only these configurations (repeatable)\n"
		"  --vcpus N          only runs with N vCPUs\n"
		"  --where NAME=VALUE only runs whose campaign cell parameter NAME (as in the\n"
		"                     campaign file: guest-vhpt-walker) or run setting NAME\n"
		"                     (as in run_params: vtlb_buckets; '-' and '_' alike) is\n"
		"                     VALUE, by NAME's type: a boolean knob's on/true/1 and\n"
		"                     off/false/0 alike, a number compared as one (64 =\n"
		"                     0x40, mem=512M; a number's 1 is not on); repeatable,\n"
		"                     all must hold.  Runs that do not take NAME (native, or\n"
		"                     STVT for a hash-vTLB knob) stay, as baselines; NAME=\n"
		"                     (no VALUE) keeps only those.  A NAME or VALUE no run\n"
		"                     has is an error listing those there are\n"
		"  --baseline CONFIG  perf: compare each row with CONFIG's row of the same\n"
		"                     campaign, workload, vCPUs and cell (default native), e.g.\n"
		"                     --config HTVT --baseline STVT for the hash vTLB's gain.\n"
		"                     Ratio CI: first-order (delta method) interval of a ratio\n"
		"                     of two independent means, empty with one run either side\n"
		"  -h, --help         show this help\n\n"
		"Examples:\n"
		"  vtlab report --db build/demo/demo.db\n"
		"  vtlab report --db paper.db --table perf --format latex > perf.tex\n"
		"  vtlab report --db paper.db --table faults --workload kbuild --format markdown\n"
		"  vtlab report --db paper.db --table perf --config HTVT --baseline STVT\n"
		"  vtlab report --db sweep.db --where guest-vhpt-walker=on --where "
		"vtlb-buckets=64\n");
}

static int apply(struct report_opts *o, int opt, char *arg)
{
	uint64_t v;
	switch (opt) {
	case 'd': o->db = arg; return 0;
	case 't':
		if (strcmp(arg, "all") == 0)
			o->all = 1, o->tables |= TABLE_PERF | TABLE_FAULTS;
		else if (strcmp(arg, "perf") == 0)
			o->tables |= TABLE_PERF;
		else if (strcmp(arg, "faults") == 0)
			o->tables |= TABLE_FAULTS;
		else
			return cli_usage_error("report", "unknown table '%s' (perf, faults or all)",
					       arg);
		return 0;
	case 'f':
		return report_format_parse(arg, &o->format)
			       ? cli_usage_error(
					 "report",
					 "--format: '%s' is not text, markdown, latex or csv", arg)
			       : 0;
	case 'C': o->scope.campaign = arg; return 0;
	case 'w':
		return parse_list(arg, o->workloads, &o->scope.nworkloads, MAX_LIST)
			       ? cli_usage_error("report", "--workload: at most 32 workloads")
			       : 0;
	case 'c':
		return parse_list(arg, o->configs, &o->scope.nconfigs, MAX_LIST)
			       ? cli_usage_error("report", "--config: at most 32 configurations")
			       : 0;
	case 'b':
		if (!arg[0])
			return cli_usage_error("report",
					       "--baseline: expected a configuration name");
		o->scope.baseline = arg;
		return 0;
	case 'W': return cli_where_add(&o->where, "report", arg);
	case 'v':
		if (parse_u64(arg, 1, 4096, &v)) /* imported KVM runs may have many */
			return cli_usage_error(
				"report", "--vcpus: expected a vCPU count from 1, got '%s'", arg);
		o->scope.vcpus = (unsigned)v;
		return 0;
	}
	return -1;
}

/* 0 to go on, 1 help shown, 2 usage error. */
static int parse_options(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "table", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "campaign", required_argument, NULL, 'C' },
		{ "workload", required_argument, NULL, 'w' },
		{ "config", required_argument, NULL, 'c' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "where", required_argument, NULL, 'W' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			cmd_report_help(stdout);
			return 1;
		}
		if (opt == '?' || opt == ':')
			return cli_getopt_error("report", opt, argc, argv, longopts);
		if (apply(o, opt, optarg))
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (!o->db)
		return cli_usage_error("report", "--db: required (the results database)");
	unsigned both = TABLE_PERF | TABLE_FAULTS;
	if (o->format == REPORT_CSV && (o->tables == 0 || o->tables == both))
		return cli_usage_error("report",
				       "--format csv: one table per file (add --table perf "
				       "or --table faults)");
	if (o->scope.baseline && o->tables == TABLE_FAULTS)
		return cli_usage_error("report",
				       "--baseline: only the perf table compares configurations "
				       "(add --table perf)");
	o->scope.workloads = o->workloads;
	o->scope.configs = o->configs;
	o->scope.where = o->where.term;
	o->scope.nwhere = o->where.n;
	return 0;
}

/* ---------------------------------------------- the runs left out */

#define MAX_LEFT_OUT 10 /* runs named one by one; the others counted */

struct left_out {
	const struct report_scope *scope;
	const char *db;
	unsigned n;
};

static int in_list(const char *v, const char *const *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (v && strcmp(v, list[i]) == 0)
			return 1;
	return n == 0;
}

static int in_scope(const struct report_scope *s, const struct db_run_brief *r)
{
	if (s->campaign &&
	    (strcmp(s->campaign, "-") == 0 ? r->campaign != NULL
					   : !r->campaign || strcmp(r->campaign, s->campaign) != 0))
		return 0;
	return in_list(r->workload, s->workloads, s->nworkloads) &&
	       in_list(r->config, s->configs, s->nconfigs) && (!s->vcpus || r->vcpus == s->vcpus);
}

static int print_left_out(void *ctx, const struct db_run_brief *r)
{
	struct left_out *l = ctx;
	if (!in_scope(l->scope, r))
		return 0;
	if (l->n++ == 0)
		fprintf(stderr,
			"vtlab report: %s: runs not in the tables (they hold complete runs only):\n",
			l->db);
	if (l->n > MAX_LEFT_OUT)
		return 0;
	char why[160];
	const char *status = r->status ? r->status : "?";
	if (r->writer_gone) {
		status = "incomplete";
		snprintf(why, sizeof why,
			 "its writer (pid %lld) died; stored as 'running' until vtlab next writes "
			 "the database",
			 (long long)r->writer_pid);
	} else if (strcmp(status, "running") == 0) {
		snprintf(why, sizeof why, "still being written (pid %lld)",
			 (long long)r->writer_pid);
	} else if (r->exit_reason && r->exit_reason[0]) {
		snprintf(why, sizeof why, "%s", r->exit_reason);
	} else {
		snprintf(
			why, sizeof why, "%s",
			strcmp(status, "incomplete") == 0
				? "stopped before its end (its vtlab run was killed or interrupted)"
				: "no reason stored");
	}
	fprintf(stderr, "  run %lld  %-10s  %s %s %u vCPU%s%s%s: %s\n", (long long)r->id, status,
		r->config ? r->config : "", r->workload ? r->workload : "", r->vcpus,
		r->vcpus == 1 ? "" : "s", r->campaign ? ", campaign " : "",
		r->campaign ? r->campaign : "", why);
	return 0;
}

/* Names the runs of the scope that are not complete (killed, failed,
 * still running): the tables are silent about them, and a run whose
 * writer died still says 'running' in a database nobody wrote since. */
static void report_left_out(struct db *db, const struct report_opts *o)
{
	struct left_out l = { .scope = &o->scope, .db = o->db };
	if (db_runs_unfinished(db, print_left_out, &l)) {
		fprintf(stderr, "vtlab report: %s\n", db_errmsg(db));
		return;
	}
	if (l.n > MAX_LEFT_OUT)
		fprintf(stderr,
			"  ... and %u more: vtlab query --db %s \"select id, status, exit_reason "
			"from runs where status <> 'complete'\"\n",
			l.n - MAX_LEFT_OUT, o->db);
}

/* Prints one table; 0, or 1 when it could not be made. */
static int print_one(struct db *db, const struct report_opts *o, int which, int skip_empty,
		     int *printed, char *last, size_t lastlen)
{
	struct report_table t;
	char err[1024] = "";
	int rc = which == TABLE_PERF ? report_perf(db_sqlite(db), &o->scope, &t, err, sizeof err)
				     : report_faults(db_sqlite(db), &o->scope, &t, err, sizeof err);
	const char *name = which == TABLE_PERF ? "perf" : "faults";
	if (rc == 0) {
		if ((*printed)++)
			putchar('\n');
		report_table_print(&t, o->format, stdout);
		/* CSV holds the numbers only: what they are goes to stderr */
		const char *n = report_table_notes(&t);
		for (size_t len; o->format == REPORT_CSV && *n; n += len + 1) {
			len = strcspn(n, "\n");
			fprintf(stderr, "vtlab report: %s: %.*s\n", name, (int)len, n);
		}
	} else if (rc == 1 && skip_empty) {
		fprintf(stderr, "vtlab report: table %s skipped: %s\n", name, err);
	} else if (strcmp(err, last) != 0) { /* a bad --where fails both tables alike */
		fprintf(stderr, "vtlab report: %s: table %s: %s\n", o->db, name, err);
		snprintf(last, lastlen, "%s", err);
	}
	report_table_free(&t);
	return rc == 0 || (rc == 1 && skip_empty) ? 0 : 1;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .format = REPORT_TEXT };
	int r = parse_options(argc, argv, &o);
	if (r)
		return r == 1 ? 0 : r;
	struct db *db;
	if (cli_open_results("report", o.db, &db))
		return 1;
	/* a filter that selects nothing: say which, not "no complete runs" */
	char serr[1024];
	if (report_scope_check(db_sqlite(db), &o.scope, serr, sizeof serr)) {
		fprintf(stderr, "vtlab report: %s: %s\n", o.db, serr);
		db_close(db);
		return 1;
	}
	int all = o.tables == 0 || o.all, printed = 0, status = 0;
	unsigned tables = all ? TABLE_PERF | TABLE_FAULTS : o.tables;
	char last[1024] = "";
	if (tables & TABLE_PERF)
		status |= print_one(db, &o, TABLE_PERF, all, &printed, last, sizeof last);
	if (tables & TABLE_FAULTS)
		status |= print_one(db, &o, TABLE_FAULTS, all, &printed, last, sizeof last);
	if (all && !printed && !status) {
		fprintf(stderr,
			"vtlab report: %s: no table to print (no complete runs in the "
			"scope)\n",
			o.db);
		status = 1;
	}
	/* the tables first, then what they leave out; the write error as
	 * the flush saw it (the database calls after it reset errno) */
	bool write_failed = fflush(stdout) != 0 || ferror(stdout);
	int write_err = errno;
	report_left_out(db, &o);
	db_close(db);
	if (write_failed) {
		fprintf(stderr, "vtlab report: writing the tables: %s\n", strerror(write_err));
		status = 1;
	}
	return status;
}
