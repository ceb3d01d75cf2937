/*
 * cmd_campaign.c - `vtlab campaign FILE.xml`: runs every cell of a
 * campaign (campaign.h) into one results database, resumably, then draws
 * the campaign's charts.
 *
 * Contract: nothing runs until the whole file is valid and every cell's
 * `vtlab run` arguments pass `vtlab run`'s own checks (campaign_check.c),
 * each error naming the file and the line of the element at fault.  The
 * cells run in campaign_runner.c; this file holds the options, --cell,
 * --slurm, --dry-run, the summary and the charts.  A cell
 * whose complete run is already in the database (same campaign,
 * configuration, workload, vCPUs, repetition and params: db.h
 * db_run_find_complete) is skipped, so running the same command again
 * after a failure, a kill or an edit that adds values resumes the
 * campaign.  Each cell is a child `vtlab run` process (a guest that
 * crashes the engine or loops until --max-seconds takes down only its
 * cell) whose console, summary and messages go to a log file per cell
 * beside the database (DB.logs/).  SIGINT or SIGTERM stops starting cells,
 * passes the signal to the running ones (their runs are stored as
 * incomplete) and ends with status 130.
 *
 * Exit status: 0 every cell complete (and the charts drawn), 1 a cell
 * failed, a chart could not be drawn or the database could not be used
 * (not a vtlab database, in use by another campaign), 2 usage or
 * campaign-file error, 130 interrupted.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_runner.h"
#include "commands.h"
#include "db.h"
#include "options.h"

#define EXIT_INTERRUPTED 130 /* 128 + SIGINT, as a shell reports it */

void cmd_campaign_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab campaign FILE.xml [OPTIONS]\n\n"
		"Runs a campaign: every cell of the cross product of its configurations,\n"
		"workloads, vCPU counts and parameter values, each repeated, stored in one\n"
		"results database; then draws the charts the file asks for.  The file is\n"
		"checked against the campaign schema (campaigns/campaign.xsd, explained in\n"
		"campaigns/README.md) and every cell's options against `vtlab run` before\n"
		"anything runs.  Cells already complete in the database are skipped: run the\n"
		"same command again to resume after a failure, an interrupt or an edit.\n\n"
		"Options:\n"
		"  --db FILE      the results database (default: the file's <output db>, else\n"
		"                 NAME.db); each cell's log goes to DB.logs/ beside it\n"
		"  -j, --jobs N   cells run at once, 1..%d (default 1).  Modeled cycles and\n"
		"                 counts do not depend on it; wall time and host counters do\n"
		"  --check        validate the file and every cell, run nothing\n"
		"  --dry-run      check as --check does, then list the cells by number, which\n"
		"                 are done, and the `vtlab run` command of each one to run;\n"
		"                 run nothing\n"
		"  --no-charts    skip the charts of <output charts>\n"
		"  --cell N       run only cell N (0-based, the order of --dry-run): one task\n"
		"                 of a job array, into its own database (--db), no charts\n"
		"  --slurm        write the campaign as a Slurm job array, one task and one\n"
		"                 database shard per cell, in DB.shards/ beside the database,\n"
		"                 and say how to submit it and merge the shards (vtlab merge)\n"
		"  -h, --help     show this help\n\n"
		"Exit status: 0 every cell complete, 1 a cell failed (its log is named), a\n"
		"chart failed or the database could not be used (not a vtlab database, in\n"
		"use by another vtlab campaign), 2 an error in the file or the options,\n"
		"130 interrupted.\n\n"
		"Examples:\n"
		"  vtlab campaign campaigns/demo.xml          (what `make demo` runs)\n"
		"  vtlab campaign campaigns/paper.xml --jobs 2 --db paper.db\n"
		"  vtlab report --db paper.db          (the tables; vtlab query for SQL)\n",
		CAMPAIGN_MAX_JOBS);
}

static int parse_options(int argc, char **argv, struct campaign_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "check", no_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-charts", no_argument, NULL, 'N' },
		{ "cell", required_argument, NULL, 'k' },
		{ "slurm", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	uint64_t jobs;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': cmd_campaign_help(stdout); return 1;
		case 'd':
			if (!optarg[0])
				return cli_usage_error("campaign",
						       "--db: expected a database file, got '%s'",
						       optarg);
			o->db = optarg;
			break;
		case 'j':
			if (parse_u64(optarg, 1, CAMPAIGN_MAX_JOBS, &jobs))
				return cli_usage_error(
					"campaign",
					"--jobs: expected 1..64 cells at once, got '%s'", optarg);
			o->jobs = (unsigned)jobs;
			break;
		case 'c': o->check_only = true; break;
		case 'n': o->dry_run = true; break;
		case 'N': o->no_charts = true; break;
		case 'S': o->slurm = true; break;
		case 'k':
			if (parse_u64(optarg, 0, CAMPAIGN_MAX_CELLS - 1, &jobs))
				return cli_usage_error(
					"campaign",
					"--cell: expected a cell number from 0, got '%s'", optarg);
			o->cell = (long)jobs;
			break;
		default: return cli_getopt_error("campaign", opt, argc, argv, longopts);
		}
	}
	if (optind >= argc)
		return cli_usage_error("campaign",
				       "expected the campaign file (e.g. campaigns/demo.xml)");
	if (optind + 1 < argc)
		return cli_usage_error("campaign",
				       "unexpected argument '%s' (one campaign file per run)",
				       argv[optind + 1]);
	if (o->slurm && o->cell >= 0)
		return cli_usage_error("campaign",
				       "--slurm writes every cell; to run only cell %ld on the "
				       "cluster, submit the script with sbatch --array=%ld",
				       o->cell, o->cell);
	if (o->slurm && (o->dry_run || o->check_only))
		return cli_usage_error("campaign",
				       "--slurm writes the job array script; it does not "
				       "go with --dry-run or --check");
	if (o->dry_run && o->check_only)
		return cli_usage_error("campaign", "--check and --dry-run: give one (--dry-run "
						   "checks the file too, then lists its cells)");
	o->file = argv[optind];
	return 0;
}

/* ---------------------------------------------------------------- a cluster */

/* --cell N: the plan shrinks to that one cell. */
static int select_cell(struct campaign_runner *r)
{
	if (r->o->cell < 0)
		return 0;
	if ((size_t)r->o->cell >= r->ncells) {
		fprintf(stderr,
			"vtlab campaign: --cell %ld: %s has %zu cells, numbered 0 to %zu "
			"(vtlab campaign %s --dry-run lists them)\n",
			r->o->cell, r->c->file, r->ncells, r->ncells - 1, r->c->file);
		return -1;
	}
	r->cells[0] = r->cells[r->o->cell];
	r->ncells = 1;
	return 0;
}

static int write_slurm(const struct campaign_runner *r)
{
	char script[4096], err[1024], exe[4096];
	if (campaign_make_parents(r->db_path)) {
		fprintf(stderr, "vtlab campaign: --db %s: cannot create its folder: %s\n",
			r->db_path, strerror(errno));
		return 1;
	}
	if (campaign_slurm_write(r->c, r->ncells, r->db_path, cli_self_exe(exe, sizeof exe), script,
				 sizeof script, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: --slurm: %s\n", err);
		return 1;
	}
	printf("wrote %s: campaign %s as a job array of %zu tasks, one per cell\n"
	       "submit it with:   sbatch ",
	       script, r->c->name, r->ncells);
	campaign_fput_path(stdout, script);
	printf("\nthen merge with:  the `vtlab merge` line at the top of the script\n");
	return 0;
}

/* ---------------------------------------------------------------- outputs */

static void dry_run(struct campaign_runner *r)
{
	char label[1024];
	printf("%s: campaign \"%s\", %zu cells, %zu to run, database %s\n", r->c->file, r->c->name,
	       r->ncells, r->nrun, r->db_path);
	/* the cell numbers --cell takes */
	size_t base = r->o->cell >= 0 ? (size_t)r->o->cell : 0;
	for (size_t i = 0; i < r->ncells; i++) {
		campaign_cell_label(r->c, &r->cells[i], label, sizeof label);
		if (r->state[i] == CELL_DONE_BEFORE) {
			printf("%5zu  done    %s\n", base + i, label);
			continue;
		}
		struct campaign_args a;
		printf("%5zu  to run  %s\n                vtlab", base + i, label);
		if (campaign_cell_args(r->c, &r->cells[i], r->db_path, "-", &a) == 0)
			for (int k = 0; k < a.argc; k++)
				printf(strpbrk(a.argv[k], " '\"") || !a.argv[k][0] ? " '%s'"
										   : " %s",
				       a.argv[k]);
		printf("\n");
	}
}

/* `vtlab plot` of the campaign's charts; 0 or 1. */
static int draw_charts(const struct campaign_runner *r)
{
	char charts[256];
	char *argv[32];
	int argc = 0;
	snprintf(charts, sizeof charts, "%s", r->c->charts);
	argv[argc++] = "plot";
	argv[argc++] = "--db";
	argv[argc++] = (char *)r->db_path;
	argv[argc++] = "--campaign";
	argv[argc++] = (char *)r->c->name;
	argv[argc++] = "--format";
	argv[argc++] = (char *)r->c->format;
	if (r->c->sweep_param) {
		argv[argc++] = "--param";
		argv[argc++] = (char *)r->c->sweep_param;
	}
	for (char *t = strtok(charts, " \t\r\n"); t && argc < 30; t = strtok(NULL, " \t\r\n")) {
		argv[argc++] = "--chart";
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	printf("charts: vtlab plot --db %s --campaign %s --format %s%s%s (%s)\n", r->db_path,
	       r->c->name, r->c->format, r->c->sweep_param ? " --param " : "",
	       r->c->sweep_param ? r->c->sweep_param : "", r->c->charts);
	fflush(stdout);
	return cmd_plot(argc, argv) == 0 ? 0 : 1;
}

static int summary(const struct campaign_runner *r)
{
	double secs = campaign_now() - r->t0;
	size_t before = r->ncells - r->nrun;
	if (campaign_runner_stopped()) {
		fprintf(stderr,
			"vtlab campaign: interrupted: %zu of %zu cells complete; run the same "
			"command again to resume\n",
			before + r->ndone, r->ncells);
		return EXIT_INTERRUPTED;
	}
	printf("campaign %s: %zu of %zu cells complete (%zu run now in %.1f s, %zu from before), "
	       "%zu failed; database %s\n",
	       r->c->name, before + r->ndone, r->ncells, r->ndone, secs, before, r->nfailed,
	       r->db_path);
	if (r->disk_full)
		fprintf(stderr,
			"vtlab campaign: stopped: the disk holding %s or its logs is full (the "
			"failed cell's log above says so); free some space and run the same "
			"command again to resume: the complete cells are kept\n",
			r->db_path);
	else if (r->cannot_start)
		fprintf(stderr,
			"vtlab campaign: stopped: a cell could not start its guest (its log above "
			"says why: something changed since the checks); fix it and run the same "
			"command again to resume\n");
	else if (r->nfailed)
		fprintf(stderr,
			"vtlab campaign: %zu cells failed (logs in %s/); run the same command "
			"again to retry them\n",
			r->nfailed, r->log_dir);
	return r->nfailed ? 1 : 0;
}

static int run_campaign(struct campaign_runner *r)
{
	if (campaign_runner_open(r))
		return 1;
	if (r->o->dry_run) {
		dry_run(r);
		return 0;
	}
	printf("campaign %s (%s): %zu cells, %zu already complete, %zu to run, %u at a time; "
	       "database %s, logs %s/\n",
	       r->c->name, r->c->file, r->ncells, r->ncells - r->nrun, r->nrun, r->o->jobs,
	       r->db_path, r->log_dir);
	fflush(stdout);
	campaign_runner_run(r);
	int status = summary(r);
	if (status == 0 && r->c->charts && !r->o->no_charts && r->o->cell < 0)
		status = draw_charts(r);
	if (status == 0 && r->o->cell < 0)
		printf("tables: vtlab report --db %s (vtlab query --db %s --list for the views)\n",
		       r->db_path, r->db_path);
	return status;
}

int cmd_campaign(int argc, char **argv)
{
	struct campaign_opts o = { .jobs = 1, .cell = -1 };
	int r = parse_options(argc, argv, &o); /* 1: help shown, else an exit status */
	if (r)
		return r == 1 ? 0 : r;
	struct campaign c;
	char err[8192], dbname[512];
	if (campaign_load(o.file, &c, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		return EXIT_USAGE;
	}
	struct campaign_runner run = { .c = &c, .o = &o, .t0 = campaign_now(), .log_dir_fd = -1 };
	snprintf(dbname, sizeof dbname, "%s.db", c.name);
	run.db_path = o.db ? o.db : c.db ? c.db : dbname;
	int status = EXIT_USAGE;
	if (campaign_plan(&c, &run.cells, &run.ncells, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		goto out;
	}
	if (select_cell(&run) || campaign_check(run.c, run.cells, run.ncells, run.db_path))
		goto out;
	if (o.slurm) {
		status = write_slurm(&run);
		goto out;
	}
	if (o.check_only) {
		printf("%s: valid: campaign \"%s\", %zu cells\n", c.file, c.name, run.ncells);
		status = 0;
		goto out;
	}
	status = run_campaign(&run);
out:
	campaign_runner_close(&run);
	free(run.cells);
	campaign_free(&c);
	return status;
}
