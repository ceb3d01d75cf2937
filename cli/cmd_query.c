/*
 * cmd_query.c - `vtlab query --db DB NAME|SQL`: a view of the results
 * database, or one read-only SQL statement, printed as a table (text,
 * Markdown, LaTeX or CSV; analyze/query_table.h).  `--list` shows the
 * views and their columns.
 *
 * A 'running' run whose writer died is named on stderr: the database,
 * opened read-only, still says 'running'.  So is a view's row that
 * averages runs `vtlab report` keeps apart (swept cells, other settings).
 *
 * Exit status: 0 printed, 1 the statement or the database failed or the
 * table could not be written (stdout closed or full), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "query_table.h"
#include "report.h"

void cmd_query_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab query --db DB.db [--format FMT] [--title TEXT] VIEW|SQL\n"
		"       vtlab query --db DB.db --list\n\n"
		"Prints a view of a results database (db/SCHEMA.md, \"Views\"), or the result\n"
		"of one SQL statement that only reads, as a table.  The database is opened\n"
		"read-only: nothing a query says can change it.  The views that average\n"
		"runs per campaign, workload, vCPUs and configuration (config_metrics,\n"
		"metric_normalized, vcpu_scaling, injected_faults_by_config) know no swept\n"
		"parameter: when a row mixes a campaign's cells or runs made with other\n"
		"settings, a note on stderr names them (vtlab report keeps them apart).\n\n"
		"Options:\n"
		"  --db FILE      the results database (required)\n"
		"  --format FMT   text (default), markdown, latex or csv\n"
		"  --title TEXT   the table's title (default: the view name or the SQL as\n"
		"                 given; CSV has none)\n"
		"  --list         list the views and their columns\n"
		"  -h, --help     show this help\n\n"
		"Examples:\n"
		"  vtlab query --db build/demo/demo.db --list\n"
		"  vtlab query --db build/demo/demo.db metric_normalized\n"
		"  vtlab query --db build/demo/demo.db --format csv \\\n"
		"      \"select config, kind, n from injected_faults_by_config where workload = "
		"'kbuild'\"\n"
		"  vtlab query --db build/demo/demo.db --format latex --title 'Faults injected' \\\n"
		"      injected_faults_by_config\n");
}

/* Collects the ids of 'running' runs whose writer died. */
struct dead_runs {
	char ids[256];
	unsigned n;
};

static int add_dead(void *ctx, const struct db_run_brief *r)
{
	struct dead_runs *d = ctx;
	if (!r->writer_gone)
		return 0;
	size_t used = strlen(d->ids);
	if (used + 24 < sizeof d->ids)
		snprintf(d->ids + used, sizeof d->ids - used, "%s%lld", d->n ? ", " : "",
			 (long long)r->id);
	else if (!strstr(d->ids, "..."))
		snprintf(d->ids + used, sizeof d->ids - used, ", ...");
	d->n++;
	return 0;
}

/* A run whose vtlab run and collector both died reads 'running' until a
 * vtlab that writes opens the database; the query, read-only, cannot
 * change it, so it says so rather than show a dead run as running. */
static void note_dead_runs(struct db *db, const char *path)
{
	struct dead_runs d = { .n = 0 };
	if (db_runs_unfinished(db, add_dead, &d) || d.n == 0)
		return;
	fprintf(stderr,
		"vtlab query: %s: run%s %s %s stored as 'running' but %s writer died: %s "
		"incomplete (recorded so the next time vtlab writes the database)\n",
		path, d.n == 1 ? "" : "s", d.ids, d.n == 1 ? "is" : "are",
		d.n == 1 ? "its" : "their", d.n == 1 ? "it is" : "they are");
}

/* The views that average runs into a row by campaign, workload, vCPUs and
 * configuration cannot tell a campaign's swept cells (or runs by hand
 * with another setting) apart: say so when the query reads one and such
 * runs are in the database, as vtlab plot does for its bars. */
static void note_averaged(struct db *db, const char *path, const char *q)
{
	const char *view = query_averaging_view(db_sqlite(db), q);
	struct report_scope every = { .campaign = NULL };
	struct report_runs r;
	struct report_group *gs = NULL;
	size_t ng = 0;
	char err[256], what[512];
	if (!view || report_runs_load(db_sqlite(db), &every, &r, err, sizeof err))
		return;
	unsigned n = report_groups(&r, &gs, &ng)
			     ? 0
			     : report_groups_mixed(&r, gs, ng, what, sizeof what);
	if (n)
		fprintf(stderr,
			"vtlab query: %s: note: %s averages into one row runs that differ in a "
			"swept parameter or another setting, for %u configuration%s (%s%s); "
			"vtlab report --db %s shows them apart\n",
			path, view, n, n == 1 ? "" : "s", what, n > 1 ? ", and others" : "", path);
	free(gs);
	report_runs_free(&r);
}

int cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "format", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },     { "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },     { NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *title = NULL;
	enum report_format format = REPORT_TEXT;
	int opt, list = 0;
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': cmd_query_help(stdout); return 0;
		case 'd': path = optarg; break;
		case 'l': list = 1; break;
		case 't': title = optarg; break;
		case 'f':
			if (report_format_parse(optarg, &format))
				return cli_usage_error(
					"query",
					"--format: '%s' is not text, markdown, latex or csv",
					optarg);
			break;
		default: return cli_getopt_error("query", opt, argc, argv, longopts);
		}
	}
	if (!path)
		return cli_usage_error("query", "--db: required (the results database)");
	if (!list && optind + 1 != argc)
		return optind < argc
			       ? cli_usage_error(
					 "query",
					 "one query at a time (unexpected '%s'; quote the SQL)",
					 argv[optind + 1])
			       : cli_usage_error("query",
						 "expected a view name or a SQL statement");
	if (list && title)
		return cli_usage_error("query", "--list has its own title (drop --title)");
	if (list && optind < argc)
		return cli_usage_error("query", "--list takes no query (unexpected '%s')",
				       argv[optind]);
	struct db *db;
	if (cli_open_results("query", path, &db))
		return 1;
	struct report_table t;
	char qerr[1024];
	int rc = list ? query_views(db_sqlite(db), &t, qerr, sizeof qerr)
		      : query_table(db_sqlite(db), argv[optind], title, &t, qerr, sizeof qerr);
	if (rc == 0)
		report_table_print(&t, format, stdout);
	else
		fprintf(stderr, "vtlab query: %s: %s\n", path, qerr);
	report_table_free(&t);
	if (rc == 0 && !list)
		note_averaged(db, path, argv[optind]);
	note_dead_runs(db, path);
	db_close(db);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vtlab query: writing the table: %s\n", strerror(errno));
		rc = -1;
	}
	return rc ? 1 : 0;
}
