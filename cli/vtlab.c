/*
 * vtlab.c - main() of the vtlab command line: dispatches to subcommands.
 *
 * Contract: `vtlab CMD [ARGS]` runs a command from the table below;
 * `vtlab --help` / `vtlab help` list them, `vtlab help CMD` and
 * `vtlab CMD --help` show a command's help, `vtlab --version` prints the
 * version.  An unknown command is a usage error (exit 2).  A new command
 * (`bench` is the one DESIGN.md names that is still missing) is a row of
 * the table.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *f);
};

static void main_help(FILE *f);

static int cmd_help(int argc, char **argv);

static void cmd_help_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab help [COMMAND]\n\nShows the help of COMMAND, or the list of commands.\n");
}

static const struct command commands[] = {
	{ "run", "run one guest ELF on the engine and print a summary", cmd_run, cmd_run_help },
	{ "costs", "print the cost model: every cost, its value and its source", cmd_costs,
	  cmd_costs_help },
	{ "collect", "the trace collector: store runs and their events in a database", cmd_collect,
	  cmd_collect_help },
	{ "import", "import a Linux KVM trace (ftrace text) as a run of a database", cmd_import,
	  cmd_import_help },
	{ "campaign", "run a campaign file: every cell into one database, resumable", cmd_campaign,
	  cmd_campaign_help },
	{ "merge", "copy the runs of database shards into one database (a campaign's job array)",
	  cmd_merge, cmd_merge_help },
	{ "report", "print the paper's tables from a results database (text, Markdown, LaTeX, CSV)",
	  cmd_report, cmd_report_help },
	{ "query", "print a view of a results database, or a read-only SQL query", cmd_query,
	  cmd_query_help },
	{ "plot", "draw charts of a results database with gnuplot (PNG, SVG, PDF)", cmd_plot,
	  cmd_plot_help },
	{ "help", "show the help of a command", cmd_help, cmd_help_help },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void main_help(FILE *f)
{
	fprintf(f, "usage: vtlab COMMAND [OPTIONS]\n"
		   "       vtlab -h | --help | -V | --version\n\n"
		   "vtlab is a laboratory for MMU virtualization: it runs RISC-V RV64 guests on\n"
		   "its own instrumented execution engine.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\nRun 'vtlab help COMMAND' or 'vtlab COMMAND --help' for a command's options.\n"
		"Example: vtlab run --kernel build/guest/isa_alu.elf   (`make guest` builds it)\n");
}

static int unknown(const char *name)
{
	fprintf(stderr, "vtlab: unknown command '%s' (see vtlab --help)\n", name);
	return EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		main_help(stdout);
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "vtlab help: expected at most one command name\n");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_help_help(stdout);
		return 0;
	}
	const struct command *c = find_command(argv[1]);
	if (!c)
		return unknown(argv[1]);
	c->help(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		main_help(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("vtlab %s\n", VTLAB_VERSION);
		return 0;
	}
	const struct command *c = find_command(name);
	if (!c)
		return unknown(name);
	return c->run(argc - 1, argv + 1);
}
