/*
 * cmd_campaign.c - `vtlab campaign FILE.xml`: runs every cell of a
 * campaign (campaign.h) into one results database, resumably, then draws
 * the campaign's charts.
 *
 * Contract: nothing runs until the whole file is valid and every cell's
 * `vtlab run` arguments pass `vtlab run`'s own checks (cmd_run_check),
 * each error naming the file and the line of the element at fault.  A cell
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
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "commands.h"
#include "db.h"
#include "options.h"

#define MAX_JOBS 64
#define MAX_CHECK_ERRORS 5
#define EXIT_INTERRUPTED 130

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

struct runner {
	const struct campaign *c;
	const struct campaign_opts *o;
	struct campaign_cell *cells;
	size_t ncells, nrun, ndone, nfailed; /* nrun: cells this invocation runs */
	enum cell_state *state;
	const char *db_path;
	char log_dir[4096];
	int log_dir_fd; /* locked (flock) while cells run, -1 if not open */
	struct db *db;
	int64_t campaign_id;
	struct slot slot[MAX_JOBS];
	unsigned running;
	bool cannot_start; /* a cell stored no run at all: stop starting cells */
	double t0, busy;   /* busy: summed seconds of finished cells */
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

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
		"  --dry-run      list the cells, which are done and the `vtlab run` command\n"
		"                 of each one to run; run nothing\n"
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
		"  sqlite3 paper.db 'select * from metric_normalized'\n",
		MAX_JOBS);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vtlab campaign: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see vtlab campaign --help)\n");
	return EXIT_USAGE;
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
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': cmd_campaign_help(stdout); return 1;
		case 'd':
			if (!optarg[0])
				return usage_error("--db: expected a database file, got '%s'",
						   optarg);
			o->db = optarg;
			break;
		case 'j':
			if (parse_u64(optarg, 1, MAX_JOBS, &jobs))
				return usage_error("--jobs: expected 1..64 cells at once, got '%s'",
						   optarg);
			o->jobs = (unsigned)jobs;
			break;
		case 'c': o->check_only = true; break;
		case 'n': o->dry_run = true; break;
		case 'N': o->no_charts = true; break;
		case 'S': o->slurm = true; break;
		case 'k':
			if (parse_u64(optarg, 0, CAMPAIGN_MAX_CELLS - 1, &jobs))
				return usage_error(
					"--cell: expected a cell number from 0, got '%s'", optarg);
			o->cell = (long)jobs;
			break;
		default: return cli_getopt_error("campaign", opt, argc, argv);
		}
	}
	if (optind >= argc)
		return usage_error("%sexpected the campaign file (e.g. campaigns/demo.xml)", "");
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s' (one campaign file per run)",
				   argv[optind + 1]);
	o->file = argv[optind];
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- check */

/* The line of the element an error of `vtlab run` is about: the message
 * starts "vtlab run: --OPTION...". */
static int line_of(const struct campaign *c, const char *msg)
{
	const char *o = strstr(msg, "vtlab run: --");
	if (!o)
		return 0;
	o += strlen("vtlab run: --");
	size_t len = strcspn(o, ": =");
	for (unsigned p = 0; p < c->nparams; p++)
		if (strlen(c->params[p].name) == len && strncmp(o, c->params[p].name, len) == 0)
			return c->params[p].line;
	if (strncmp(o, "config", len) == 0 || strncmp(o, "mmu", len) == 0 ||
	    strncmp(o, "pv", len) == 0)
		return c->configs.line;
	if (strncmp(o, "workload", len) == 0)
		return c->workloads.line;
	if (strncmp(o, "vcpus", len) == 0)
		return c->vcpus.line;
	if (strncmp(o, "cost", len) == 0) /* "unknown cost 'NAME'" */
		for (unsigned i = 0; i < c->ncosts; i++) {
			char quoted[80];
			snprintf(quoted, sizeof quoted, "'%s'", c->costs[i].name);
			if (strstr(o, quoted))
				return c->costs[i].line;
		}
	if (strncmp(o, "cost", len) == 0 || strncmp(o, "cost-file", len) == 0)
		return c->cost_file_line;
	return 0;
}

/* Runs cmd_run_check on a cell with stderr captured; 0 or the message. */
static int check_cell(const struct campaign *c, const struct campaign_cell *cell, const char *db,
		      char *msg, size_t len)
{
	struct campaign_args a;
	msg[0] = '\0';
	if (campaign_cell_args(c, cell, db, "-", &a)) {
		snprintf(msg, len, "the cell's arguments do not fit (too many or too long)");
		return -1;
	}
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	if (!tmp || saved < 0) {
		if (tmp)
			fclose(tmp);
		return cmd_run_check(a.argc, a.argv) ? -1 : 0;
	}
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	int r = cmd_run_check(a.argc, a.argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(msg, 1, len - 1, tmp);
	msg[n] = '\0';
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fclose(tmp);
	return r ? -1 : 0;
}

/* Checks the first repetition of every cell (the others differ only in
 * --sched-seed and --repetition); a message many cells share is shown
 * once, with the first of them. */
static int check_cells(const struct runner *r)
{
	unsigned errors = 0;
	char msg[2048], label[1024], seen[MAX_CHECK_ERRORS][2048];
	for (size_t i = 0; i < r->ncells && errors < MAX_CHECK_ERRORS; i++) {
		const struct campaign_cell *cell = &r->cells[i];
		if (cell->repetition || check_cell(r->c, cell, r->db_path, msg, sizeof msg) == 0)
			continue;
		unsigned k = 0;
		while (k < errors && strcmp(seen[k], msg) != 0)
			k++;
		if (k < errors)
			continue;
		snprintf(seen[errors], sizeof seen[errors], "%s", msg);
		campaign_cell_label(r->c, cell, label, sizeof label);
		int line = line_of(r->c, msg);
		fprintf(stderr, "vtlab campaign: %s:%d: the cell \"%s\" cannot run:\n  %s\n",
			r->c->file, line ? line : 1, label, msg[0] ? msg : "(no message)");
		errors++;
	}
	if (errors)
		fprintf(stderr, "vtlab campaign: %s: nothing was run; fix the file and run again\n",
			r->c->file);
	return errors ? -1 : 0;
}

/* ---------------------------------------------------------------- database */

/* Creates the folders above `path` (mkdir -p of its dirname). */
static int make_parents(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* A dry run writes nothing: the database is read only if it exists, and
 * the campaign looked up, not created. */
static int open_db_readonly(struct runner *r)
{
	char err[DB_ERR_LEN];
	sqlite3_stmt *s;
	if (access(r->db_path, F_OK) != 0)
		return 0;
	if (db_open_readonly(r->db_path, &r->db, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		return -1;
	}
	if (sqlite3_prepare_v2(db_sqlite(r->db), "SELECT id FROM campaigns WHERE name = ?", -1, &s,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "vtlab campaign: %s: %s\n", r->db_path,
			sqlite3_errmsg(db_sqlite(r->db)));
		return -1;
	}
	sqlite3_bind_text(s, 1, r->c->name, -1, SQLITE_STATIC);
	r->campaign_id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return 0;
}

static int open_db(struct runner *r)
{
	char err[DB_ERR_LEN];
	if (r->o->dry_run)
		return open_db_readonly(r);
	if (make_parents(r->db_path)) {
		fprintf(stderr, "vtlab campaign: --db %s: cannot create its folder: %s\n",
			r->db_path, strerror(errno));
		return -1;
	}
	if (db_open(r->db_path, &r->db, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		return -1;
	}
	if (db_campaign_get_or_create(r->db, r->c->name, r->c->file, &r->campaign_id)) {
		fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* The complete run of a cell in the database, 0 when none, -1 on error. */
static int64_t find_run(struct runner *r, const struct campaign_cell *cell)
{
	char key[1024];
	campaign_cell_key(r->c, cell, key, sizeof key);
	struct db_run_meta m = {
		.campaign_id = r->campaign_id,
		.config = r->c->configs.values[cell->config],
		.workload = r->c->workloads.values[cell->workload],
		.vcpus = (unsigned)strtoul(r->c->vcpus.values[cell->vcpus], NULL, 10),
		.repetition = cell->repetition,
	};
	int64_t id;
	if (db_run_find_complete(r->db, &m, key, &id)) {
		fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
		return -1;
	}
	return id;
}

/* How many runs of any status the cell has: a cell whose `vtlab run`
 * ends without adding one never reached its guest (its environment
 * changed since the checks: a workload image gone, a full disk). */
static int64_t count_runs(struct runner *r, const struct campaign_cell *cell)
{
	char key[1024];
	sqlite3_stmt *s;
	int64_t n = -1;
	campaign_cell_key(r->c, cell, key, sizeof key);
	if (sqlite3_prepare_v2(
		    db_sqlite(r->db),
		    "SELECT count(*) FROM runs r JOIN run_params p ON p.run_id = r.id AND "
		    "p.name = 'campaign_cell' AND p.value = ?6 WHERE r.campaign_id = ?1 "
		    "AND r.config = ?2 AND r.workload = ?3 AND r.vcpus = ?4 AND "
		    "r.repetition = ?5",
		    -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, r->campaign_id);
	sqlite3_bind_text(s, 2, r->c->configs.values[cell->config], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->c->workloads.values[cell->workload], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, strtol(r->c->vcpus.values[cell->vcpus], NULL, 10));
	sqlite3_bind_int64(s, 5, cell->repetition);
	sqlite3_bind_text(s, 6, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static int find_done(struct runner *r)
{
	for (size_t i = 0; i < r->ncells; i++) {
		int64_t id = r->db && r->campaign_id > 0 ? find_run(r, &r->cells[i]) : 0;
		if (id < 0)
			return -1;
		r->state[i] = id ? CELL_DONE_BEFORE : CELL_TODO;
		r->nrun += !id;
	}
	return 0;
}

/* ---------------------------------------------------------------- cells */

/* DB.logs/LABEL.log, the label's spaces and slashes made '_'.  A label
 * too long for a file name is cut, and a hash of all of it added, so
 * cells that differ only at its end still have logs of their own. */
static void log_path(const struct runner *r, size_t i, char *buf, size_t len)
{
	char label[1024];
	uint64_t hash = 14695981039346656037u; /* FNV-1a */
	campaign_cell_label(r->c, &r->cells[i], label, sizeof label);
	for (char *p = label; *p; p++) {
		hash = (hash ^ (unsigned char)*p) * 1099511628211u;
		if (*p == ' ' || *p == '/')
			*p = '_';
	}
	int n = snprintf(buf, len, "%s/", r->log_dir);
	if (strlen(label) <= 200)
		snprintf(buf + n, len - (size_t)n, "%s.log", label);
	else
		snprintf(buf + n, len - (size_t)n, "%.200s-%016llx.log", label,
			 (unsigned long long)hash);
}

static void set_log_dir(struct runner *r)
{
	size_t n = strlen(r->db_path);
	if (n > 3 && strcmp(r->db_path + n - 3, ".db") == 0)
		n -= 3;
	snprintf(r->log_dir, sizeof r->log_dir, "%.*s.logs", (int)n, r->db_path);
}

/* Starts `vtlab run` for cell i; its output goes to the cell's log. */
static int start_cell(struct runner *r, size_t i, struct slot *s)
{
	struct campaign_args a;
	char log[4096], exe[4096];
	log_path(r, i, log, sizeof log);
	if (campaign_cell_args(r->c, &r->cells[i], r->db_path, "-", &a))
		return -1;
	char *argv[CAMPAIGN_MAX_ARGS + 2];
	argv[0] = "vtlab";
	memcpy(argv + 1, a.argv, ((size_t)a.argc + 1) * sizeof *argv);
	const char *path = cli_self_exe(exe, sizeof exe);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int in = open("/dev/null", O_RDONLY);
		if (fd < 0 || in < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || dup2(in, 0) < 0)
			_exit(126);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execv(path, argv);
		dprintf(2, "vtlab campaign: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	*s = (struct slot){ .pid = pid,
			    .cell = i,
			    .started = now_s(),
			    .runs_before = count_runs(r, &r->cells[i]) };
	return 0;
}

/* Prints the last lines of a cell's log, indented, a long line (the JSON
 * summary) cut short: the last lines are the ones that say what failed. */
static void show_log_tail(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char lines[6][160];
	unsigned n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len && line[len - 1] == '\n')
			line[--len] = '\0';
		snprintf(lines[n % 6], sizeof lines[0], "%s", line);
		if ((size_t)len >= sizeof lines[0])
			memcpy(lines[n % 6] + sizeof lines[0] - 4, "...", 4);
		n++;
	}
	free(line);
	fclose(f);
	for (unsigned k = n > 6 ? n - 6 : 0; k < n; k++)
		fprintf(stderr, "    | %s\n", lines[k % 6]);
}

static void report_eta(const struct runner *r, char *buf, size_t len)
{
	size_t finished = r->ndone + r->nfailed, left = r->nrun - finished;
	buf[0] = '\0';
	if (!finished || !left)
		return;
	double secs = r->busy / (double)finished * (double)left / (r->o->jobs ? r->o->jobs : 1);
	if (secs >= 90)
		snprintf(buf, len, ", about %.0f min left", secs / 60);
	else
		snprintf(buf, len, ", about %.0f s left", secs);
}

/* Records how a child ended: complete when its run is in the database. */
static void finish_cell(struct runner *r, struct slot *s, int status)
{
	char label[1024], log[4096], eta[64];
	double secs = now_s() - s->started;
	campaign_cell_label(r->c, &r->cells[s->cell], label, sizeof label);
	log_path(r, s->cell, log, sizeof log);
	int64_t id = find_run(r, &r->cells[s->cell]);
	r->busy += secs;
	size_t k = r->ndone + r->nfailed + 1;
	if (id > 0) {
		r->state[s->cell] = CELL_COMPLETE;
		r->ndone++;
		report_eta(r, eta, sizeof eta);
		printf("[%zu/%zu] complete: %s (run %lld, %.1f s%s)\n", k, r->nrun, label,
		       (long long)id, secs, eta);
		fflush(stdout);
		return;
	}
	r->state[s->cell] = CELL_FAILED;
	r->nfailed++;
	if (stop_signal) { /* stopped by us: its run is stored as incomplete */
		fprintf(stderr, "[%zu/%zu] stopped: %s (%.1f s)\n", k, r->nrun, label, secs);
		return;
	}
	char how[64];
	if (WIFSIGNALED(status))
		snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
	fprintf(stderr, "[%zu/%zu] FAILED: %s (%s, %.1f s); log %s:\n", k, r->nrun, label, how,
		secs, log);
	show_log_tail(log);
	if (s->runs_before >= 0 && count_runs(r, &r->cells[s->cell]) == s->runs_before)
		r->cannot_start = true;
}

static void pass_signal(struct runner *r, int sig)
{
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid > 0)
			kill(r->slot[j].pid, sig);
}

/* Waits for one child; returns its slot, or NULL (EINTR, no child). */
static struct slot *wait_child(struct runner *r, int *status)
{
	pid_t pid = waitpid(-1, status, 0);
	if (pid <= 0)
		return NULL;
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid == pid)
			return &r->slot[j];
	return NULL;
}

static struct slot *free_slot(struct runner *r)
{
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid == 0)
			return &r->slot[j];
	return NULL;
}

static void run_cells(struct runner *r)
{
	size_t next = 0;
	int forwarded = 0;
	for (;;) {
		while (!stop_signal && !r->cannot_start && r->running < r->o->jobs &&
		       next < r->ncells) {
			size_t i = next++;
			if (r->state[i] != CELL_TODO)
				continue;
			if (start_cell(r, i, free_slot(r))) {
				fprintf(stderr, "vtlab campaign: cannot start a cell: %s\n",
					strerror(errno));
				r->state[i] = CELL_FAILED;
				r->nfailed++;
				continue;
			}
			r->running++;
		}
		if (stop_signal && !forwarded) {
			pass_signal(r, stop_signal);
			forwarded = 1;
		}
		if (!r->running)
			return;
		int status;
		struct slot *s = wait_child(r, &status);
		if (!s)
			continue;
		finish_cell(r, s, status);
		s->pid = 0;
		r->running--;
	}
}

/* ---------------------------------------------------------------- a cluster */

/* --cell N: the plan shrinks to that one cell. */
static int select_cell(struct runner *r)
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

static int write_slurm(const struct runner *r)
{
	char script[4096], err[1024], exe[4096];
	if (make_parents(r->db_path)) {
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
	       "submit it with:   sbatch %s\n"
	       "then merge with:  the `vtlab merge` line at the top of the script\n",
	       script, r->c->name, r->ncells, script);
	return 0;
}

/* ---------------------------------------------------------------- outputs */

static void dry_run(struct runner *r)
{
	char label[1024];
	printf("%s: campaign \"%s\", %zu cells, %zu to run, database %s\n", r->c->file, r->c->name,
	       r->ncells, r->nrun, r->db_path);
	for (size_t i = 0; i < r->ncells; i++) {
		campaign_cell_label(r->c, &r->cells[i], label, sizeof label);
		if (r->state[i] == CELL_DONE_BEFORE) {
			printf("  done    %s\n", label);
			continue;
		}
		struct campaign_args a;
		printf("  to run  %s\n          vtlab", label);
		if (campaign_cell_args(r->c, &r->cells[i], r->db_path, "-", &a) == 0)
			for (int k = 0; k < a.argc; k++)
				printf(strpbrk(a.argv[k], " '\"") || !a.argv[k][0] ? " '%s'"
										   : " %s",
				       a.argv[k]);
		printf("\n");
	}
}

/* `vtlab plot` of the campaign's charts; 0 or 1. */
static int draw_charts(const struct runner *r)
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
	for (char *t = strtok(charts, " \t\r\n"); t && argc < 30; t = strtok(NULL, " \t\r\n")) {
		argv[argc++] = "--chart";
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	printf("charts: vtlab plot --db %s --campaign %s --format %s (%s)\n", r->db_path,
	       r->c->name, r->c->format, r->c->charts);
	fflush(stdout);
	return cmd_plot(argc, argv) == 0 ? 0 : 1;
}

static int summary(const struct runner *r)
{
	double secs = now_s() - r->t0;
	size_t before = r->ncells - r->nrun;
	if (stop_signal) {
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
	if (r->cannot_start)
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

/* Creates the log folder and locks it: two `vtlab campaign` on one
 * database would both see a cell not done and both run it (a second run
 * of a cell weighs twice in the tables), and write the same logs. */
static int lock_log_dir(struct runner *r)
{
	set_log_dir(r);
	if (mkdir(r->log_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "vtlab campaign: cannot create %s: %s\n", r->log_dir,
			strerror(errno));
		return -1;
	}
	r->log_dir_fd = open(r->log_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->log_dir_fd >= 0 && flock(r->log_dir_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		fprintf(stderr,
			"vtlab campaign: %s: another vtlab campaign is running cells into this "
			"database (it holds %s/); let it finish and run this again, or give this "
			"one another --db\n",
			r->db_path, r->log_dir);
	else
		fprintf(stderr, "vtlab campaign: cannot lock %s: %s\n", r->log_dir,
			strerror(errno));
	return -1;
}

static int run_campaign(struct runner *r)
{
	if (open_db(r) || (!r->o->dry_run && lock_log_dir(r)) || find_done(r))
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
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	run_cells(r);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	int status = summary(r);
	if (status == 0 && r->c->charts && !r->o->no_charts && r->o->cell < 0)
		status = draw_charts(r);
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
	struct runner run = { .c = &c, .o = &o, .t0 = now_s(), .log_dir_fd = -1 };
	snprintf(dbname, sizeof dbname, "%s.db", c.name);
	run.db_path = o.db ? o.db : c.db ? c.db : dbname;
	int status = EXIT_USAGE;
	stop_signal = 0;
	if (campaign_plan(&c, &run.cells, &run.ncells, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		goto out;
	}
	if (select_cell(&run) || check_cells(&run))
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
	run.state = calloc(run.ncells ? run.ncells : 1, sizeof *run.state);
	status = run.state ? run_campaign(&run) : 1;
out:
	if (run.db)
		db_close(run.db);
	if (run.log_dir_fd >= 0)
		close(run.log_dir_fd);
	free(run.state);
	free(run.cells);
	campaign_free(&c);
	return status;
}
