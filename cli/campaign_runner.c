/*
 * campaign_runner.c - the cells of a campaign run as child `vtlab run`
 * processes into one database (campaign_runner.h): which cells are done
 * already, the lock that keeps a second campaign out of the database,
 * starting and reaping the children, their logs, progress, and stopping
 * on SIGINT or SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign_runner.h"
#include "commands.h"
#include "db.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

double campaign_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- database */

/* Creates the folders above `path` (mkdir -p of its dirname). */
int campaign_make_parents(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0; /* in the working directory, or in / */
	if (snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path) >= (int)sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return cli_make_dirs(dir, NULL, 0);
}

/* A dry run writes nothing: the database is read only if it exists, and
 * the campaign looked up, not created. */
static int open_db_readonly(struct campaign_runner *r)
{
	char err[DB_ERR_LEN];
	if (access(r->db_path, F_OK) != 0)
		return 0;
	if (db_open_readonly(r->db_path, &r->db, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		return -1;
	}
	if (db_campaign_find(r->db, r->c->name, &r->campaign_id)) {
		fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
		return -1;
	}
	return 0;
}

static int open_db(struct campaign_runner *r)
{
	char err[DB_ERR_LEN];
	if (r->o->dry_run)
		return open_db_readonly(r);
	if (campaign_make_parents(r->db_path)) {
		fprintf(stderr, "vtlab campaign: --db %s: cannot create its folder: %s\n",
			r->db_path, strerror(errno));
		return -1;
	}
	if (db_open(r->db_path, &r->db, err, sizeof err)) {
		fprintf(stderr, "vtlab campaign: %s\n", err);
		return -1;
	}
	if (db_campaign_get_or_create(r->db, r->c->name, r->c->file, &r->campaign_id) ||
	    db_campaign_describe(r->db, r->campaign_id, r->c->description)) {
		fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* A cell as db.h looks it up: its meta, and its key into key. */
static struct db_run_meta cell_meta(const struct campaign_runner *r,
				    const struct campaign_cell *cell, char *key, size_t len)
{
	campaign_cell_key(r->c, cell, key, len);
	return (struct db_run_meta){
		.campaign_id = r->campaign_id,
		.config = r->c->configs.values[cell->config],
		.workload = r->c->workloads.values[cell->workload],
		.vcpus = (unsigned)strtoul(r->c->vcpus.values[cell->vcpus], NULL, 10),
		.repetition = cell->repetition,
	};
}

/* The complete run of a cell in the database, 0 when none, -1 on error. */
static int64_t find_run(struct campaign_runner *r, const struct campaign_cell *cell)
{
	char key[1024];
	struct db_run_meta m = cell_meta(r, cell, key, sizeof key);
	int64_t id;
	if (db_run_find_complete(r->db, &m, key, &id)) {
		fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
		return -1;
	}
	return id;
}

/* How many runs of any status the cell has: a cell whose `vtlab run`
 * ends without adding one never reached its guest (its environment
 * changed since the checks: a workload image gone, a full disk).  -1 on
 * a database error (then nothing is concluded from it). */
static int64_t count_runs(struct campaign_runner *r, const struct campaign_cell *cell)
{
	char key[1024];
	struct db_run_meta m = cell_meta(r, cell, key, sizeof key);
	int64_t n;
	return db_run_count_cell(r->db, &m, key, &n) ? -1 : n;
}

static int find_done(struct campaign_runner *r)
{
	for (size_t i = 0; i < r->ncells; i++) {
		int64_t id = r->db && r->campaign_id > 0 ? find_run(r, &r->cells[i]) : 0;
		if (id < 0)
			return -1;
		r->state[i] = id ? CELL_DONE_BEFORE : CELL_TODO;
		r->done_run[i] = id;
		r->nrun += !id;
	}
	return 0;
}

/* ---------------------------------------------------------------- cells */

/* DB.logs/LABEL.log, the label's spaces and slashes made '_'.  A label
 * too long for a file name is cut, and a hash of all of it added, so
 * cells that differ only at its end still have logs of their own. */
static void log_path(const struct campaign_runner *r, size_t i, char *buf, size_t len)
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

size_t campaign_db_stem(const char *db)
{
	size_t n = strlen(db);
	return n > 3 && strcmp(db + n - 3, ".db") == 0 ? n - 3 : n;
}

static void set_log_dir(struct campaign_runner *r)
{
	snprintf(r->log_dir, sizeof r->log_dir, "%.*s.logs", (int)campaign_db_stem(r->db_path),
		 r->db_path);
}

/* Starts `vtlab run` for cell i; its output goes to the cell's log. */
static int start_cell(struct campaign_runner *r, size_t i, struct slot *s)
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
	/* before fork: a child quick to begin its run must not be counted */
	int64_t runs_before = count_runs(r, &r->cells[i]);
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	/* Blocked across fork() until the child has dropped the campaign's
	 * handlers: a SIGTERM passed on (pass_signal) or sent by the kernel
	 * (below) before then would run on_stop() in the child, set a flag
	 * nothing reads there, and the cell would run all the same. */
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	pid_t pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* A campaign killed outright (SIGKILL, the OOM killer) cannot pass
		 * SIGTERM on: the kernel does, as on Ctrl-C its cells stop and
		 * store their runs as incomplete.  An orphaned cell would go on
		 * running while the same command, run again, found its cell not
		 * done (no lock held any more) and ran it a second time.  The
		 * getppid() check covers a campaign that died before prctl(). */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			_exit(125);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int in = open("/dev/null", O_RDONLY);
		if (fd < 0 || in < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || dup2(in, 0) < 0)
			_exit(126);
		execv(path, argv);
		dprintf(2, "vtlab campaign: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	*s = (struct slot){
		.pid = pid, .cell = i, .started = campaign_now(), .runs_before = runs_before
	};
	return 0;
}

/* Waits, at most RUN_BEGIN_WAIT seconds, until the cell just started has
 * begun its run in the database or ended, or a stop signal came (Ctrl-C
 * is not held up).  Cells started back to back (filling the free slots,
 * or as running cells end together) then number their runs in
 * the plan's order, which the charts and the views follow
 * (plots/chart_query.c FIRST_RUN: the order the user ran them in); two
 * cells racing to begin their runs swapped the panels of a chart from one
 * campaign to the next. */
static void await_run_begun(struct campaign_runner *r, const struct slot *s)
{
	enum { RUN_BEGIN_WAIT = 5 };
	double t0 = campaign_now();
	while (!stop_signal && s->runs_before >= 0 && campaign_now() - t0 < RUN_BEGIN_WAIT) {
		int64_t n = count_runs(r, &r->cells[s->cell]);
		siginfo_t info = { 0 };
		if (n < 0 || n > s->runs_before ||
		    waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    info.si_pid == s->pid)
			return; /* begun, unreadable, or already ended (reaped later) */
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* Prints the last lines of a cell's log, indented, a long line (the JSON
 * summary) cut short: the last lines are the ones that say what failed.
 * Returns true when the log says a disk is full, or is empty (a full
 * disk under DB.logs/ takes the message with it). */
static bool show_log_tail(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char lines[6][160];
	unsigned n = 0;
	bool full = false;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len && line[len - 1] == '\n')
			line[--len] = '\0';
		/* db/ words SQLITE_FULL so; the console's ENOSPC as strerror */
		full |= strstr(line, "disk full") || strstr(line, strerror(ENOSPC));
		snprintf(lines[n % 6], sizeof lines[0], "%s", line);
		if ((size_t)len >= sizeof lines[0])
			memcpy(lines[n % 6] + sizeof lines[0] - 4, "...", 4);
		n++;
	}
	free(line);
	fclose(f);
	for (unsigned k = n > 6 ? n - 6 : 0; k < n; k++)
		fprintf(stderr, "    | %s\n", lines[k % 6]);
	if (n == 0)
		fprintf(stderr, "    | (the log is empty: nothing could be written to it)\n");
	return full || n == 0;
}

static void report_eta(const struct campaign_runner *r, char *buf, size_t len)
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

/* True when the file system holding `path` has less than 1 MiB free (a
 * database batch is up to 8192 events of 48 bytes and their indexes). */
static bool disk_nearly_full(const char *path)
{
	struct statvfs v;
	char dir[4096];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	return statvfs(dir, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize < (1u << 20);
}

/* Records how a child ended: complete when its run is in the database. */
static void finish_cell(struct campaign_runner *r, struct slot *s, int status)
{
	char label[1024], log[4096], eta[64];
	double secs = campaign_now() - s->started;
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
	/* A full disk fails every cell after this one the same way, each
	 * after running part of its guest: stop starting cells. */
	if (show_log_tail(log) && (disk_nearly_full(r->db_path) || disk_nearly_full(log)))
		r->disk_full = true;
	if (s->runs_before >= 0 && count_runs(r, &r->cells[s->cell]) == s->runs_before)
		r->cannot_start = true;
}

static void pass_signal(struct campaign_runner *r, int sig)
{
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid > 0)
			kill(r->slot[j].pid, sig);
}

/* Waits for one child; returns its slot, or NULL (EINTR, no child). */
static struct slot *wait_child(struct campaign_runner *r, int *status)
{
	pid_t pid = waitpid(-1, status, 0);
	if (pid <= 0)
		return NULL;
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid == pid)
			return &r->slot[j];
	return NULL;
}

static struct slot *free_slot(struct campaign_runner *r)
{
	for (unsigned j = 0; j < r->o->jobs; j++)
		if (r->slot[j].pid == 0)
			return &r->slot[j];
	return NULL;
}

static void run_cells(struct campaign_runner *r)
{
	size_t next = 0;
	int forwarded = 0;
	for (;;) {
		while (!stop_signal && !r->cannot_start && !r->disk_full &&
		       r->running < r->o->jobs && next < r->ncells) {
			size_t i = next++;
			if (r->state[i] != CELL_TODO)
				continue;
			struct slot *s = free_slot(r);
			if (start_cell(r, i, s)) {
				fprintf(stderr, "vtlab campaign: cannot start a cell: %s\n",
					strerror(errno));
				r->state[i] = CELL_FAILED;
				r->nfailed++;
				continue;
			}
			r->running++;
			/* the next cell may start now or when a running one ends,
			 * which may be at once: cells ending together started
			 * the next two back to back, racing as above */
			if (next < r->ncells)
				await_run_begun(r, s);
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

/* Creates the log folder and locks it: two `vtlab campaign` on one
 * database would both see a cell not done and both run it (a second run
 * of a cell weighs twice in the tables), and write the same logs. */
static int lock_log_dir(struct campaign_runner *r)
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

/* ---------------------------------------------------------------- the runner */

int campaign_runner_open(struct campaign_runner *r)
{
	r->state = calloc(r->ncells ? r->ncells : 1, sizeof *r->state);
	r->done_run = calloc(r->ncells ? r->ncells : 1, sizeof *r->done_run);
	if (!r->state || !r->done_run) {
		fprintf(stderr, "vtlab campaign: out of memory\n");
		return -1;
	}
	return open_db(r) || (!r->o->dry_run && lock_log_dir(r)) || find_done(r) ||
			       campaign_settings_check(r)
		       ? -1
		       : 0;
}

void campaign_runner_run(struct campaign_runner *r)
{
	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term;
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	run_cells(r);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

int campaign_runner_stopped(void)
{
	return stop_signal;
}

void campaign_runner_close(struct campaign_runner *r)
{
	if (r->db)
		db_close(r->db);
	if (r->log_dir_fd >= 0)
		close(r->log_dir_fd);
	free(r->state);
	free(r->done_run);
	r->done_run = NULL;
	r->db = NULL;
	r->log_dir_fd = -1;
	r->state = NULL;
}
