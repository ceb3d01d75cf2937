/*
 * cmd_import.c - `vtlab import kvm FILE --db DB`: imports a Linux KVM trace
 * (ftrace text) as a run of the results database (analyze/import_kvm.h)
 * and prints what it read: events stored, events skipped by name, unknown
 * and malformed lines (with the first one), lost events.
 *
 * Exit status: 0 imported (unknown lines are reported, not errors), 1 the
 * import failed (unreadable file, no KVM event in it, database error), 2
 * usage error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "db.h"
#include "import_kvm.h"

void cmd_import_help(FILE *f)
{
	fprintf(f, "usage: vtlab import kvm FILE --db DB.db\n"
		   "       vtlab import kvm FILE --dry-run\n\n"
		   "Imports a Linux KVM trace as a run of the results database DB (created if\n"
		   "missing): config 'kvm-import', workload = FILE's name.  FILE is ftrace text\n"
		   "saved from /sys/kernel/tracing/trace, trace_pipe or `trace-cmd report` (a\n"
		   "regular file: it is read more than once, so not a pipe), with the\n"
		   "kvm:* and kvmmmu:* events (kvm_exit in its old and new formats, VMX, SVM and\n"
		   "RISC-V).  Query it like any run, e.g.\n"
		   "  sqlite3 DB.db 'select * from exit_counts'\n"
		   "Lines that are not ftrace output, and KVM events in an unknown format, are\n"
		   "counted and reported; LOST-events lines are stored as losses; a file with no\n"
		   "KVM event at all is refused (exit 1, nothing written).  With\n"
		   "--dry-run the file is parsed and reported, nothing is written.  The mapping\n"
		   "of KVM events onto vtlab's tracepoints is in analyze/README.md.\n\n"
		   "Options:\n"
		   "  --db FILE     the results database to add the run to (created if missing)\n"
		   "  --dry-run     parse and report only\n"
		   "  -h, --help    show this help\n");
}

static void report(const char *path, const struct kvm_import_stats *st)
{
	if (st->run_id)
		printf("imported %s as run %" PRId64 "\n", path, st->run_id);
	else
		printf("parsed %s (dry run, nothing written)\n", path);
	printf("  lines %" PRIu64 ", events stored %" PRIu64 " (kvm_exit %" PRIu64
	       "), isa %s, vcpus %u\n",
	       st->lines, st->stored, st->exits, kvm_isa_name(st->isa), st->vcpus);
	printf("  known KVM events not stored %" PRIu64 ", other events skipped %" PRIu64 "\n",
	       st->not_stored, st->other_events);
	for (unsigned i = 0; i < st->nskipped; i++)
		printf("    %-28s %" PRIu64 "\n", st->skipped[i].name, st->skipped[i].n);
	printf("  lost events %" PRIu64 " (in %" PRIu64 " LOST lines)\n", st->lost_events,
	       st->lost_lines);
	printf("  unknown lines %" PRIu64 ", malformed KVM events %" PRIu64 "\n", st->unknown,
	       st->malformed);
	if (st->first_bad_line)
		printf("  first one: %s:%" PRIu64 ": %s\n", path, st->first_bad_line,
		       st->first_bad);
}

/* A line as read, its bytes below 0x20 and 0x7f shown as '?': a binary
 * file's first line must not drive the terminal. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* A file with no KVM line at all (not a trace, or a trace taken without
 * the kvm events enabled) would be stored as a complete run of nothing,
 * counted by every view of imported runs: refused, nothing written. */
static int no_kvm_event(const char *path, struct kvm_import_stats *st)
{
	if (st->exits || st->stored || st->not_stored || st->malformed || st->lost_lines)
		return 0;
	for (char *c = st->first_bad; *c; c++) /* most likely not text at all */
		if ((unsigned char)*c >= 0x7f)
			*c = '?';
	printable(st->first_bad);
	if (st->other_events)
		fprintf(stderr,
			"vtlab import: %s: no KVM event among its %" PRIu64 " lines (%" PRIu64
			" events of other kinds): trace with the kvm events enabled (echo 1 > "
			"/sys/kernel/tracing/events/kvm/enable; trace-cmd record -e kvm); nothing "
			"imported\n",
			path, st->lines, st->other_events);
	else if (st->first_bad_line)
		fprintf(stderr,
			"vtlab import: %s: no KVM event among its %" PRIu64 " lines (line %" PRIu64
			" is not ftrace output: '%.40s'): expected the ftrace text of the kvm events "
			"(/sys/kernel/tracing/trace or `trace-cmd report`); nothing imported\n",
			path, st->lines, st->first_bad_line, st->first_bad);
	else
		fprintf(stderr,
			"vtlab import: %s: no KVM event among its %" PRIu64 " lines: expected the "
			"ftrace text of the kvm events (/sys/kernel/tracing/trace or `trace-cmd "
			"report`); nothing imported\n",
			path, st->lines);
	return 1;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = NULL;
	int dry = 0, o;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0; /* our own one-line messages (commands.h) */
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (o == 'd')
			dbpath = optarg;
		else if (o == 'n')
			dry = 1;
		else if (o == 'h') {
			cmd_import_help(stdout);
			return 0;
		} else {
			return cli_getopt_error("import", o, argc, argv, opts);
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "kvm") != 0) {
		fprintf(stderr, "vtlab import: expected 'kvm FILE' (see vtlab import --help)\n");
		return EXIT_USAGE;
	}
	if (!dbpath == !dry) {
		fprintf(stderr, "vtlab import: give exactly one of --db DB and --dry-run\n");
		return EXIT_USAGE;
	}
	const char *path = argv[optind + 1];
	struct db *db = NULL;
	char err[DB_ERR_LEN + 512];
	struct kvm_import_stats st;
	/* Read more than once (checked, parsed, written): a pipe would give
	 * its text to the first reading only, and an empty run to the last. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		fprintf(stderr,
			"vtlab import: %s: not a regular file (the trace is read more than "
			"once): save it to a file first, e.g. cat /sys/kernel/tracing/trace > "
			"trace.txt\n",
			path);
		return 1;
	}
	/* Parsed before the database is opened (created): a file that cannot
	 * be read or holds no KVM event leaves no database and no run. */
	if (kvm_import(NULL, path, &st, err, sizeof err)) {
		fprintf(stderr, "vtlab import: %s\n", err);
		return 1;
	}
	if (no_kvm_event(path, &st))
		return 1;
	if (dry) {
		report(path, &st);
		return 0;
	}
	if (db_open(dbpath, &db, err, sizeof err)) {
		fprintf(stderr, "vtlab import: %s\n", err);
		return 1;
	}
	int rc = kvm_import(db, path, &st, err, sizeof err);
	db_close(db);
	if (rc) {
		fprintf(stderr, "vtlab import: %s\n", err);
		return 1;
	}
	printable(st.first_bad);
	report(path, &st);
	return 0;
}
