/*
 * cmd_collect.c - `vtlab collect`: the trace collector process.
 *
 * Contract: opens the database (db_open: created, migrated, runs of dead
 * writers recovered) and serves VMMs with collector_serve().  Two ways in:
 *  --control-fd N   one VMM already connected on fd N; this is how
 *                   `vtlab run --db FILE` starts it.  SIGINT is ignored (a
 *                   Ctrl-C at the terminal kills the VMM, and the collector
 *                   must outlive it to store what it has); SIGTERM stops it
 *                   the same way, storing the run as incomplete.
 *  --listen PATH    a standalone collector: serves the VMMs that connect to
 *                   the unix socket PATH (`vtlab run --collector PATH`), one
 *                   run at a time, until SIGINT or SIGTERM (or after one run
 *                   with --once); removes PATH when it exits.
 * Exit status: 0 every run stored, 1 a VMM went away (its run stored as
 * incomplete), 2 usage or setup error, 3 database or protocol error.
 * Messages are one line on stderr, prefixed "vtlab collect: ".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "collector.h"
#include "commands.h"
#include "db.h"
#include "options.h"

#define EXIT_VMM_GONE 1
#define EXIT_DB_ERROR 3

struct collect_opts {
	const char *db;
	const char *listen;
	int control_fd;
	bool once, quiet;
};

enum { OPT_DB = 256, OPT_LISTEN, OPT_CONTROL_FD, OPT_ONCE, OPT_QUIET };

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "control-fd", required_argument, NULL, OPT_CONTROL_FD },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cmd_collect_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab collect --db FILE --listen PATH [--once] [--quiet]\n"
		"       vtlab collect --db FILE --control-fd N\n\n"
		"The trace collector: receives runs from VMMs (`vtlab run`), drains their\n"
		"per-vCPU trace rings and stores runs, events, exact counters and lost-record\n"
		"counts in the SQLite database FILE (created if missing), in batches of at\n"
		"most %d events, one transaction each.  `vtlab run --db FILE` starts its own\n"
		"collector; start one yourself to share it between runs (example below).\n\n"
		"Options:\n"
		"  --db FILE          results database (required)\n"
		"  --listen PATH      serve VMMs connecting to the unix socket PATH\n"
		"                     (vtlab run --collector PATH), one run at a time, until\n"
		"                     SIGINT or SIGTERM; PATH is removed on exit\n"
		"  --once             with --listen: exit after the first run\n"
		"  --quiet            with --listen: no line per stored run on stderr\n"
		"  --control-fd N     serve the one VMM connected on file descriptor N (the way\n"
		"                     vtlab run starts the collector; SIGINT is then ignored)\n"
		"  -h, --help         show this help\n\n"
		"If a VMM dies, the collector commits what it has and stores its run as\n"
		"'incomplete'; if the collector dies, committed batches stay and the run is\n"
		"marked 'incomplete' the next time the database is opened.\n\n"
		"Exit status: 0 all runs stored; 1 a VMM went away (run stored incomplete);\n"
		"2 usage or setup error; 3 database or protocol error (e.g. disk full).\n\n"
		"Example:\n"
		"  vtlab collect --db results.db --listen /tmp/vtlab.sock &\n"
		"  vtlab run --kernel guest.elf --collector /tmp/vtlab.sock --trace exits\n",
		COLLECTOR_BATCH);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vtlab collect: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see vtlab collect --help)\n");
	return -1;
}

/* Returns 0 to run, 1 after help, -1 on a usage error. */
static int parse_args(struct collect_opts *o, int argc, char **argv)
{
	int opt;
	uint64_t v;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (opt) {
		case 'h': cmd_collect_help(stdout); return 1;
		case OPT_DB: o->db = optarg; break;
		case OPT_LISTEN: o->listen = optarg; break;
		case OPT_ONCE: o->once = true; break;
		case OPT_QUIET: o->quiet = true; break;
		case OPT_CONTROL_FD:
			if (parse_u64(optarg, 0, 1 << 20, &v))
				return usage_error(
					"--control-fd: expected a file descriptor number, "
					"got '%s'",
					optarg);
			o->control_fd = (int)v;
			break;
		default: cli_getopt_error("collect", opt, argc, argv, long_options); return -1;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->db)
		return usage_error("--db: required%s", "");
	if (!o->listen == (o->control_fd < 0))
		return usage_error("expected exactly one of --listen PATH and --control-fd N%s",
				   "");
	return 0;
}

static void on_stop(int sig)
{
	(void)sig;
	collector_request_stop();
}

/* SIGTERM (and, when listening, SIGINT) stop; no SA_RESTART, so a blocked
 * accept() returns. */
static void install_signals(bool stop_on_int)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (stop_on_int)
		sigaction(SIGINT, &sa, NULL);
	else
		signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

static int status_of(enum collect_result r)
{
	return r == COLLECT_STORED ? 0 : r == COLLECT_VMM_GONE ? EXIT_VMM_GONE : EXIT_DB_ERROR;
}

/* In --control-fd mode (tell_vmm) an error goes to the VMM, which prints
 * it: printing it here too would show it twice. */
static int serve_one(struct db *db, int fd, bool quiet, bool tell_vmm)
{
	struct collector_stats st;
	char err[1024];
	enum collect_result r = collector_serve(db, fd, &st, err, sizeof err);
	if (r == COLLECT_VMM_GONE || (r == COLLECT_ERROR && !tell_vmm))
		fprintf(stderr, "%s\n", err);
	else if (r == COLLECT_STORED && !quiet)
		fprintf(stderr,
			"vtlab collect: run %" PRId64 " stored: %" PRIu64 " events in %" PRIu64
			" batches, %" PRIu64 " lost\n",
			st.run_id, st.events, st.batches, st.lost);
	return status_of(r);
}

/* A listening socket at path; a stale socket file (nobody accepting) is
 * replaced, anything else at path is an error. */
static int listen_at(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat sb;
	if (strlen(path) >= sizeof a.sun_path) {
		fprintf(stderr, "vtlab collect: --listen '%s': longer than %zu bytes\n", path,
			sizeof a.sun_path - 1);
		return -1;
	}
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "vtlab collect: --listen: socket: %s\n", strerror(errno));
		return -1;
	}
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode) || connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
			fprintf(stderr, "vtlab collect: --listen '%s': %s\n", path,
				S_ISSOCK(sb.st_mode) ? "another collector is listening there"
						     : "exists and is not a socket");
			close(fd);
			return -1;
		}
		unlink(path);
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0) {
		fprintf(stderr, "vtlab collect: --listen '%s': %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int serve_listening(struct db *db, const struct collect_opts *o)
{
	int lfd = listen_at(o->listen);
	if (lfd < 0)
		return EXIT_USAGE;
	int status = 0;
	while (!collector_stop_requested()) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "vtlab collect: --listen '%s': accept: %s\n", o->listen,
				strerror(errno));
			status = EXIT_DB_ERROR;
			break;
		}
		int s = serve_one(db, fd, o->quiet, false);
		close(fd);
		if (s > status)
			status = s;
		if (o->once)
			break;
	}
	close(lfd);
	unlink(o->listen);
	return status;
}

int cmd_collect(int argc, char **argv)
{
	struct collect_opts o = { .control_fd = -1 };
	int r = parse_args(&o, argc, argv);
	if (r)
		return r > 0 ? 0 : EXIT_USAGE;
	install_signals(o.listen != NULL);
	char err[DB_ERR_LEN];
	struct db *db;
	if (db_open(o.db, &db, err, sizeof err) != 0) {
		if (o.control_fd >= 0) /* the VMM waits for an answer: this is it */
			collector_tell_error(o.control_fd, err); /* it adds "--db" */
		else
			fprintf(stderr, "vtlab collect: --db: %s\n", err);
		return EXIT_USAGE;
	}
	int status = o.listen ? serve_listening(db, &o) : serve_one(db, o.control_fd, true, true);
	db_close(db);
	return status;
}
