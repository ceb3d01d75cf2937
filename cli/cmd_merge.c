/*
 * cmd_merge.c - `vtlab merge --db OUT.db SHARD.db...`: copies the runs of
 * other results databases into one (db.h db_merge), for the shards of a
 * campaign run as a job array (`vtlab campaign --slurm`).
 *
 * Exit status: 0 every shard merged, 1 a shard could not be merged (the
 * others are, each in its own transaction), 2 usage error.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "db.h"

void cmd_merge_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab merge --db OUT.db SHARD.db...\n\n"
		"Copies the runs of each SHARD database (their campaigns, parameters,\n"
		"counters, events, losses and host counters) into OUT.db, created if missing.\n"
		"Runs OUT already holds are skipped, so merging again after more shards are\n"
		"done adds only the new runs (and a run merged while it was running is\n"
		"replaced once it has finished); so is a complete run of a campaign cell that\n"
		"already has one in OUT (one complete run per cell, as vtlab campaign keeps).\n"
		"Each shard is merged in one transaction: one that fails leaves nothing of\n"
		"itself in OUT.\n\n"
		"Options:\n"
		"  --db FILE    the database to merge into (required)\n"
		"  -h, --help   show this help\n\n"
		"Example (the shards of `vtlab campaign campaigns/paper.xml --slurm`):\n"
		"  vtlab merge --db build/campaigns/paper.db build/campaigns/paper.shards/cell-*.db\n"
		"  vtlab campaign campaigns/paper.xml    (finds every cell done; draws the charts)\n");
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int opt;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			cmd_merge_help(stdout);
			return 0;
		}
		if (opt != 'd')
			return cli_getopt_error("merge", opt, argc, argv, longopts);
		out = optarg;
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "vtlab merge: %s (see vtlab merge --help)\n",
			!out ? "--db: required (the database to merge into)"
			     : "expected one or more shard databases after the options");
		return EXIT_USAGE;
	}
	struct db *db;
	char err[DB_ERR_LEN];
	if (db_open(out, &db, err, sizeof err)) {
		fprintf(stderr, "vtlab merge: %s\n", err);
		return 1;
	}
	int status = 0;
	unsigned total = 0;
	for (int i = optind; i < argc; i++) {
		unsigned n;
		if (db_merge(db, argv[i], &n)) {
			fprintf(stderr, "vtlab merge: %s\n", db_errmsg(db));
			status = 1;
			continue;
		}
		printf("%s: %u run%s merged\n", argv[i], n, n == 1 ? "" : "s");
		total += n;
	}
	printf("%s: %u runs added from %d database%s\n", out, total, argc - optind,
	       argc - optind == 1 ? "" : "s");
	db_close(db);
	return status;
}
