/*
 * campaign_runner.h - the state of `vtlab campaign` while it runs a
 * campaign's cells (campaign_runner.c), shared with cmd_campaign.c.
 *
 * Contract: campaign_runner_open() opens the database (read-only and
 * without creating it for a dry run), takes the lock on DB.logs/ that
 * keeps a second campaign out of the database (not for a dry run), and
 * marks the cells already complete there (refusing to go on when they were
 * run with other settings).  campaign_runner_run() runs the
 * others, --jobs at a time, each a child `vtlab run` whose output goes to
 * DB.logs/LABEL.log, printing a line per finished cell; SIGINT or SIGTERM
 * stops it (campaign_runner_stopped() then gives the signal), passing the
 * signal to the running cells; a cell that ends without storing any run
 * (its guest never started) stops it too (cannot_start), and so does a
 * cell that failed on a full disk (disk_full).
 * campaign_runner_close() releases everything open() took.
 */
#ifndef CLI_CAMPAIGN_RUNNER_H
#define CLI_CAMPAIGN_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "campaign.h"

#define CAMPAIGN_MAX_JOBS 64

enum cell_state { CELL_TODO, CELL_DONE_BEFORE, CELL_COMPLETE, CELL_FAILED };

struct campaign_opts {
	const char *file, *db;
	unsigned jobs;
	bool dry_run, check_only, no_charts, slurm;
	long cell; /* --cell N, -1: every cell */
};

/* A cell being run by a child process. */
struct slot {
	pid_t pid;
	size_t cell;
	double started;
	int64_t runs_before; /* the cell's runs of any status when it started */
};

struct campaign_runner {
	const struct campaign *c;
	const struct campaign_opts *o;
	struct campaign_cell *cells;
	size_t ncells, nrun, ndone, nfailed; /* nrun: cells this invocation runs */
	enum cell_state *state;
	int64_t *done_run; /* the complete run of a CELL_DONE_BEFORE cell */
	const char *db_path;
	char log_dir[4096];
	int log_dir_fd; /* locked (flock) while cells run, -1 if not open */
	struct db *db;
	int64_t campaign_id;
	struct slot slot[CAMPAIGN_MAX_JOBS];
	unsigned running;
	bool cannot_start; /* a cell stored no run at all: stop starting cells */
	bool disk_full;    /* a cell failed on a full disk: stop starting cells */
	double t0, busy;   /* busy: summed seconds of finished cells */
};

int campaign_runner_open(struct campaign_runner *r);
/* Refuses (-1, after saying which cell and setting, and the fix) when a
 * cell done before was run with other settings than the campaign gives
 * now (campaign_settings.c); open() calls it. */
int campaign_settings_check(const struct campaign_runner *r);
void campaign_runner_run(struct campaign_runner *r);
int campaign_runner_stopped(void);
void campaign_runner_close(struct campaign_runner *r);

/* Seconds on the monotonic clock. */
double campaign_now(void);
/* Creates the folders above `path` (mkdir -p of its dirname); -1 with
 * errno set. */
int campaign_make_parents(const char *path);

#endif
