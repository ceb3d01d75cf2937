/*
 * cmd_plot.c - `vtlab plot --db DB [--chart NAME]...`: draws the charts of
 * a results database with gnuplot (plots/): for each chart it writes a
 * self-contained gnuplot script and runs it, leaving both side by side
 * (DIR/BASE-CHART.png and DIR/BASE-CHART.png.gp).
 *
 * Exit status: 0 every chart asked for was drawn (with --chart all, the
 * charts the data cannot make are skipped with a note), 1 a chart failed
 * (database, data or gnuplot error), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart_query.h"
#include "chart_script.h"
#include "commands.h"
#include "db.h"
#include "gnuplot_run.h"
#include "options.h"
#include "report.h"
#include "where_option.h"

#define MAX_LIST 32 /* values of --workload or --config */

enum chart_kind { CHART_PERF, CHART_FAULTS, CHART_SCALING, CHART_SWEEP, NCHARTS };
static const char *const chart_names[NCHARTS] = { "perf", "faults", "scaling", "sweep" };

void cmd_plot_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab plot --db DB.db [--chart perf|faults|scaling|sweep|all] [OPTIONS]\n\n"
		"Draws charts of the complete runs in a results database with gnuplot, styled\n"
		"for print.  Each chart is written with its gnuplot script beside it\n"
		"(DIR/BASE-CHART.FORMAT and DIR/BASE-CHART.FORMAT.gp, BASE = the database's\n"
		"name; with -o FILE, FILE.gp): `gnuplot DIR/BASE-CHART.FORMAT.gp` draws it\n"
		"again after you edit it.  Each format keeps its own script.\n\n"
		"Charts:\n"
		"  perf     grouped bars: each configuration's performance relative to native,\n"
		"           per workload (higher is better; time metrics are inverted)\n"
		"  faults   stacked bars, a panel per workload: the faults the hypervisor\n"
		"           injected into the guest, by kind (the paper's Table 1 shape)\n"
		"  scaling  lines, a panel per workload: performance against vCPU count,\n"
		"           relative to the fewest vCPUs (needs two or more counts)\n"
		"  sweep    lines, a panel per workload: modeled time relative to native\n"
		"           against the values of a parameter a campaign sweeps (--param),\n"
		"           a line per configuration and value of its other swept params\n"
		"  all      (default) every chart the data allows (sweep with --param);\n"
		"           the others are skipped\n\n"
		"Options:\n"
		"  --db FILE          the results database (required)\n"
		"  --chart NAME       a chart above; repeat for several (default all)\n"
		"  --format FMT       png (default), svg or pdf (pdfcairo, for papers)\n"
		"  --out-dir DIR      where the charts go (default: the database's directory)\n"
		"  -o, --output FILE  the chart's file, with one --chart; the format follows\n"
		"                     its extension unless --format is given\n"
		"  --campaign NAME    the runs of this campaign ('-': runs outside campaigns;\n"
		"                     needed when the database holds several)\n"
		"  --workload W[,W]   only these workloads, in this order (repeatable)\n"
		"  --config C[,C]     only these configurations (repeatable; perf still\n"
		"                     normalizes to its baseline)\n"
		"  --baseline CONFIG  perf: bars relative to CONFIG instead of native (e.g.\n"
		"                     --config HTVT --baseline STVT); error bars: the delta-\n"
		"                     method 95%% CI of the ratio, as vtlab report --baseline\n"
		"  --where NAME=VALUE only runs whose campaign cell parameter NAME (as in the\n"
		"                     campaign file: guest-vhpt-walker) or run setting NAME\n"
		"                     (vtlb_buckets; '-' and '_' alike) is VALUE, by NAME's\n"
		"                     type (a boolean's on/true/1, off/false/0 alike; a number\n"
		"                     compared as one); repeatable, all must hold; runs that\n"
		"                     do not take NAME (native) stay, and NAME= keeps only\n"
		"                     those.  The same runs as vtlab report --where\n"
		"  --vcpus N          perf and faults: runs with N vCPUs (default the largest\n"
		"                     count with something to show)\n"
		"  --param NAME       sweep: the campaign parameter on the x axis (a <param\n"
		"                     name> of the campaign file, e.g. vtlb-buckets)\n"
		"  --title TEXT       the chart's title\n"
		"  --size WxH         in pixels (PDF: 160 to the inch); default 900x540, wider\n"
		"                     for more panels; PDF (8 pt text) one column, 3.4x2.4 in\n"
		"                     (544x384), or for several panels two, 7x2.6 in\n"
		"  -h, --help         show this help\n\n"
		"Examples:\n"
		"  vtlab plot --db build/demo/demo.db --format pdf      (after `make demo`)\n"
		"  vtlab plot --db build/campaigns/vtlb-sweep.db --chart sweep --param "
		"vtlb-buckets\n"
		"  vtlab plot --db build/campaigns/vtlb-sweep.db --chart faults --where "
		"guest-vhpt-walker=on\n");
}

struct plot_opts {
	const char *dbpath, *outdir, *output, *format, *param;
	int want[NCHARTS], any_chart;
	const char *workloads[MAX_LIST + 1], *configs[MAX_LIST + 1];
	unsigned nworkloads, nconfigs;
	struct chart_scope scope;
	struct chart_style style;
	struct cli_where where;
};

/* Appends the comma-separated values of arg (modified in place). */
static int add_list(const char **list, unsigned *n, char *arg, const char *opt)
{
	if (parse_list(arg, list, n, MAX_LIST) == 0)
		return 0;
	cli_usage_error("plot", "at most %d values of %s", MAX_LIST, opt);
	return -1;
}

/* --chart NAME: any_chart becomes 1, or 2 for "all" (whose charts the data
 * cannot make are skipped, not errors). */
static int parse_chart(struct plot_opts *o, const char *name)
{
	int all = strcmp(name, "all") == 0, found = all;
	for (int i = 0; i < NCHARTS; i++)
		if (all || strcmp(name, chart_names[i]) == 0) {
			o->want[i] = 1;
			found = 1;
		}
	if (!found) {
		cli_usage_error("plot", "unknown chart '%s' (perf, faults, scaling, sweep or all)",
				name);
		return -1;
	}
	if (o->any_chart < 2)
		o->any_chart = all ? 2 : 1;
	return 0;
}

static int parse_size_opt(struct chart_style *st, const char *s)
{
	char w[16];
	const char *x = strchr(s, 'x');
	uint64_t wv, hv;
	if (!x || (size_t)(x - s) >= sizeof w)
		goto bad;
	memcpy(w, s, (size_t)(x - s));
	w[x - s] = 0;
	if (parse_u64(w, 100, 20000, &wv) || parse_u64(x + 1, 100, 20000, &hv))
		goto bad;
	st->width = (unsigned)wv;
	st->height = (unsigned)hv;
	return 0;
bad:
	cli_usage_error("plot",
			"--size expects WIDTHxHEIGHT in pixels, 100 to 20000 each (e.g. 1200x700)");
	return -1;
}

/* Parses one option; 0 ok, 1 --help shown, -1 error (message printed). */
static int parse_opt(struct plot_opts *o, int c, char *arg)
{
	uint64_t v;
	switch (c) {
	case 'd': o->dbpath = arg; return 0;
	case 'c': return parse_chart(o, arg);
	case 'f': o->format = arg; return 0;
	case 'D': o->outdir = arg; return 0;
	case 'o': o->output = arg; return 0;
	case 'C': o->scope.campaign = arg; return 0;
	case 'w': return add_list(o->workloads, &o->nworkloads, arg, "--workload");
	case 'g': return add_list(o->configs, &o->nconfigs, arg, "--config");
	case 't': o->style.title = arg; return 0;
	case 'p': o->param = arg; return 0;
	case 's': return parse_size_opt(&o->style, arg);
	case 'W': return cli_where_add(&o->where, "plot", arg) ? -1 : 0;
	case 'b':
		if (arg[0]) {
			o->scope.baseline = arg;
			return 0;
		}
		cli_usage_error("plot", "--baseline: expected a configuration name");
		return -1;
	case 'v':
		if (parse_u64(arg, 1, 1024, &v) == 0) {
			o->scope.vcpus = (unsigned)v;
			return 0;
		}
		cli_usage_error("plot", "--vcpus expects a count from 1 to 1024, not '%s'", arg);
		return -1;
	case 'h': cmd_plot_help(stdout); return 1;
	}
	return -1;
}

/* The format: --format, else the extension of --output, else PNG. */
static int pick_format(struct plot_opts *o)
{
	const char *name = o->format;
	const char *dot = o->output ? strrchr(o->output, '.') : NULL;
	if (!name && dot && chart_format_parse(dot + 1, &o->style.format) == 0)
		return 0;
	if (!name) {
		o->style.format = CHART_PNG;
		return 0;
	}
	if (chart_format_parse(name, &o->style.format) == 0)
		return 0;
	cli_usage_error("plot", "unknown --format '%s' (png, svg or pdf)", name);
	return -1;
}

static int check_opts(struct plot_opts *o)
{
	if (!o->dbpath) {
		cli_usage_error("plot", "--db DB.db is required");
		return -1;
	}
	if (!o->any_chart)
		parse_chart(o, "all");
	if (o->any_chart == 2 && !o->param)
		o->want[CHART_SWEEP] = 0; /* all: the sweep chart only with --param */
	if (o->want[CHART_SWEEP] && !o->param) {
		cli_usage_error("plot",
				"--chart sweep needs --param NAME (a parameter the campaign "
				"sweeps, e.g. vtlb-buckets)");
		return -1;
	}
	unsigned n = 0;
	for (int i = 0; i < NCHARTS; i++)
		n += o->want[i];
	if (o->output && (n != 1 || o->any_chart == 2)) {
		cli_usage_error("plot",
				"--output names one chart: give exactly one --chart (or use "
				"--out-dir)");
		return -1;
	}
	if (o->output && o->outdir) {
		cli_usage_error("plot", "give --output or --out-dir, not both");
		return -1;
	}
	if (o->scope.baseline && !o->want[CHART_PERF]) {
		cli_usage_error("plot",
				"--baseline: only the perf chart has one (add --chart perf)");
		return -1;
	}
	o->scope.where = o->where.term;
	o->scope.nwhere = o->where.n;
	o->scope.workloads = o->nworkloads ? o->workloads : NULL;
	o->scope.configs = o->nconfigs ? o->configs : NULL;
	return pick_format(o);
}

static int parse_args(struct plot_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "chart", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "out-dir", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "campaign", required_argument, NULL, 'C' },
		{ "workload", required_argument, NULL, 'w' },
		{ "config", required_argument, NULL, 'g' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "title", required_argument, NULL, 't' },
		{ "param", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "where", required_argument, NULL, 'W' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0; /* our own one-line messages (commands.h) */
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			cli_getopt_error("plot", c, argc, argv, opts);
			return -1;
		}
		int rc = parse_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "vtlab plot: unexpected argument '%s' (see vtlab plot --help)\n",
			argv[optind]);
		return -1;
	}
	return check_opts(o);
}

/* Where a chart and its script go: the script is named after the chart's
 * file (FILE.gp), so a chart drawn in another format leaves the first
 * one's script.  Returns -1 when a path is too long. */
static int chart_paths(const struct plot_opts *o, int kind, char *chart, char *script, size_t len)
{
	const char *ext = chart_format_name(o->style.format);
	if (o->output) {
		snprintf(chart, len, "%s", o->output);
		return snprintf(script, len, "%s.gp", o->output) >= (int)len ? -1 : 0;
	}
	char db[4096];
	snprintf(db, sizeof db, "%s", o->dbpath);
	char *base = basename(db);
	char *dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", o->dbpath);
	const char *d = o->outdir ? o->outdir : dirname(dir);
	int n = snprintf(chart, len, "%s/%s-%s.%s", d, base, chart_names[kind], ext);
	int m = snprintf(script, len, "%s/%s-%s.%s.gp", d, base, chart_names[kind], ext);
	return n >= (int)len || m >= (int)len ? -1 : 0;
}

/* A title naming the campaign (when there is one) and the vCPU count. */
static void default_title(char *buf, size_t len, const char *what, const struct chart_scope *s)
{
	int n = snprintf(buf, len, "%s%s%s", s->campaign_name, s->campaign_name[0] ? ": " : "",
			 what);
	if (s->vcpus && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%u vCPU%s)", s->vcpus,
			 s->vcpus == 1 ? "" : "s");
}

/* Queries the chart's data and writes its script; -1 with err set when the
 * data cannot make the chart (or memory ran out), -2 on a file error. */
static int write_chart_script(struct sqlite3 *h, const struct plot_opts *o, int kind,
			      const char *chart, const char *script, char *err, size_t errlen)
{
	struct chart_scope s = o->scope;
	struct chart_table t = { 0 };
	struct chart_panels p = { 0 };
	char title[256];
	int rc = kind == CHART_PERF      ? chart_query_perf(h, &s, &t, err, errlen)
		 : kind == CHART_FAULTS  ? chart_query_faults(h, &s, &p, err, errlen)
		 : kind == CHART_SCALING ? chart_query_scaling(h, &s, &p, err, errlen)
					 : chart_query_sweep(h, &s, o->param, &p, err, errlen);
	if (rc)
		return -1;
	/* the perf bars' confidence intervals, drawn as error bars */
	struct chart_table half = { 0 };
	if (kind == CHART_PERF && chart_query_perf_ci(h, &s, &t, &half, err, errlen)) {
		chart_table_free(&t);
		return -1;
	}
	/* Written beside it and renamed over it once whole: a full disk must
	 * not leave the chart's previous script (perhaps edited) truncated. */
	char tmp[4096]; /* this process's own: two plots into one folder never share it */
	if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", script, (long)getpid()) >= (int)sizeof tmp) {
		chart_table_free(&t);
		chart_table_free(&half);
		chart_panels_free(&p);
		snprintf(err, errlen, "cannot write %s: %s", script, strerror(ENAMETOOLONG));
		return -2;
	}
	FILE *f = fopen(tmp, "w");
	if (f) {
		if (kind == CHART_PERF) {
			char what[160];
			snprintf(what, sizeof what, "Performance relative to %s",
				 s.baseline ? s.baseline : "native");
			default_title(title, sizeof title, what, &s);
			chart_script_perf(f, &o->style, chart, &t, &half, title,
					  s.baseline ? s.baseline : "native");
		} else if (kind == CHART_FAULTS) {
			default_title(title, sizeof title,
				      "Faults injected into the guest, by kind", &s);
			chart_script_faults(f, &o->style, chart, &p, title);
		} else if (kind == CHART_SCALING) {
			default_title(title, sizeof title, "Performance against vCPU count", &s);
			chart_script_scaling(f, &o->style, chart, &p, title);
		} else {
			char what[160];
			snprintf(what, sizeof what, "Modeled time against %s", o->param);
			default_title(title, sizeof title, what, &s);
			chart_script_sweep(f, &o->style, chart, &p, title, o->param);
		}
	}
	chart_table_free(&t);
	chart_table_free(&half);
	chart_panels_free(&p);
	if (!f || ferror(f) | fclose(f) || rename(tmp, script) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", script, strerror(errno));
		unlink(tmp);
		return -2;
	}
	return 0;
}

/* Draws one chart; 0 drawn, 1 skipped (with --chart all), -1 failed. */
static int draw(struct sqlite3 *h, const struct plot_opts *o, int kind)
{
	char chart[2048], script[2048], err[4608];
	if (chart_paths(o, kind, chart, script, sizeof chart)) {
		fprintf(stderr, "vtlab plot: the output path is too long\n");
		return -1;
	}
	int rc = write_chart_script(h, o, kind, chart, script, err, sizeof err);
	if (rc == -1 && o->any_chart == 2) {
		printf("skipped %s: %s\n", chart_names[kind], err);
		return 1;
	}
	if (rc == 0 && gnuplot_run(script, chart, err, sizeof err) == 0) {
		printf("wrote %s (gnuplot script %s)\n", chart, script);
		return 0;
	}
	fprintf(stderr, "vtlab plot: %s: %s\n", chart_names[kind], err);
	return -1;
}

/* mkdir -p: --out-dir may name a folder that does not exist yet. */
static int make_dirs(const char *path)
{
	if (!*path) {
		fprintf(stderr, "vtlab plot: --out-dir is empty (use --out-dir . for here)\n");
		return -1;
	}
	if (strlen(path) >= 2048) { /* the chart paths are built in 2048 bytes */
		fprintf(stderr, "vtlab plot: the --out-dir path is too long (%zu bytes)\n",
			strlen(path));
		return -1;
	}
	char failed[2048];
	if (cli_make_dirs(path, failed, sizeof failed) == 0)
		return 0;
	fprintf(stderr, "vtlab plot: cannot create %s: %s\n", failed, strerror(errno));
	return -1;
}

/* The perf, faults and scaling charts give a configuration one number per
 * workload and vCPU count: say so when its runs are not all samples of one
 * thing (chart_scope_mixed). */
static void note_mixed(struct sqlite3 *h, const struct plot_opts *o)
{
	static const struct {
		enum chart_kind kind;
		const char *name;
	} averaging[] = { { CHART_PERF, "perf" },
			  { CHART_FAULTS, "faults" },
			  { CHART_SCALING, "scaling" } };
	const char *names[3];
	unsigned k = 0;
	for (unsigned i = 0; i < 3; i++)
		if (o->want[averaging[i].kind])
			names[k++] = averaging[i].name;
	if (k == 0)
		return;
	/* the charts asked for: "the faults chart averages", "the perf and
	 * faults charts average", "the perf, faults and scaling charts ..." */
	char charts[64] = "";
	for (unsigned i = 0; i < k; i++)
		snprintf(charts + strlen(charts), sizeof charts - strlen(charts), "%s%s",
			 i == 0       ? ""
			 : i + 1 == k ? " and "
				      : ", ",
			 names[i]);
	char what[512], err[512];
	int n = chart_scope_mixed(h, &o->scope, what, sizeof what, err, sizeof err);
	if (n > 0)
		printf("note: the %s chart%s average%s over what sets apart the runs of %d "
		       "configuration%s (%s%s); vtlab report --db %s shows them apart, and vtlab "
		       "plot --chart sweep --param NAME draws a swept parameter\n",
		       charts, k > 1 ? "s" : "", k > 1 ? "" : "s", n, n == 1 ? "" : "s", what,
		       n > 1 ? ", and others" : "", o->dbpath);
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts o = { 0 };
	int rc = parse_args(&o, argc, argv);
	if (rc)
		return rc > 0 ? 0 : EXIT_USAGE;
	if (o.outdir && make_dirs(o.outdir))
		return 1;
	struct db *db;
	char err[DB_ERR_LEN + 256];
	if (cli_open_results("plot", o.dbpath, &db))
		return 1;
	struct sqlite3 *h = db_sqlite(db);
	const struct report_scope filters = { .campaign = o.scope.campaign,
					      .workloads = o.workloads,
					      .nworkloads = o.nworkloads,
					      .configs = o.configs,
					      .nconfigs = o.nconfigs,
					      .vcpus = o.scope.vcpus };
	if (report_scope_check(h, &filters, err, sizeof err) ||
	    chart_scope_resolve(h, &o.scope, err, sizeof err)) {
		fprintf(stderr, "vtlab plot: %s: %s\n", o.dbpath, err);
		db_close(db);
		return 1;
	}
	int64_t unfinished = 0;
	if (chart_scope_unfinished(h, &o.scope, &unfinished, err, sizeof err) == 0 && unfinished)
		printf("note: %lld run%s of %s %s not complete (running, incomplete or failed) and "
		       "left out; sqlite3 %s \"select id, config, workload, status from runs where "
		       "status <> 'complete'\" lists them\n",
		       (long long)unfinished, unfinished == 1 ? "" : "s", o.dbpath,
		       unfinished == 1 ? "is" : "are", o.dbpath);
	note_mixed(h, &o);
	unsigned drawn = 0, failed = 0;
	for (int k = 0; k < NCHARTS; k++) {
		if (!o.want[k])
			continue;
		rc = draw(h, &o, k);
		drawn += rc == 0;
		failed += rc < 0;
	}
	db_close(db);
	if (!drawn && !failed)
		fprintf(stderr, "vtlab plot: %s: no chart could be drawn from its runs\n",
			o.dbpath);
	return failed || !drawn ? 1 : 0;
}
