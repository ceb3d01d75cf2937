/*
 * cmd_costs.c - `vtlab costs`: prints the cost model of modeled time
 * (vmm/cost.def), optionally with a cost file applied, as a text or
 * Markdown table with each value's meaning and source.
 */
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "cost.h"

void cmd_costs_help(FILE *f)
{
	fprintf(f,
		"usage: vtlab costs [--cost-file FILE] [--markdown]\n\n"
		"Prints every cost of the modeled-time model: name, value in modeled cycles,\n"
		"meaning and the source of its default.  With --cost-file, the file's\n"
		"overrides are applied first (the same format `vtlab run --cost-file` reads).\n\n"
		"Options:\n"
		"  --cost-file FILE   apply FILE's NAME = VALUE lines (# comments) first\n"
		"  --markdown         a Markdown table (docs/costs.md holds it)\n"
		"  -h, --help         show this help\n\n"
		"Examples:\n"
		"  vtlab costs\n"
		"  vtlab costs --cost-file my.costs   # check a cost file before a campaign\n");
}

static void print_table(const struct cost_table *c, int markdown)
{
	if (markdown)
		printf("| cost | value | meaning | source |\n|---|---|---|---|\n");
	for (size_t i = 0; i < cost_count(); i++) {
		if (markdown)
			printf("| `%s` | %llu | %s | %s |\n", cost_name(i),
			       (unsigned long long)cost_get(c, i), cost_meaning(i), cost_source(i));
		else
			printf("%-12s %6llu  %s\n%19s(%s)\n", cost_name(i),
			       (unsigned long long)cost_get(c, i), cost_meaning(i), "",
			       cost_source(i));
	}
}

int cmd_costs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cost-file", required_argument, NULL, 'f' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cost_table c;
	char err[512];
	int markdown = 0, o;
	const char *file = NULL;
	cost_defaults(&c);
	optind = 0; /* a full reset of getopt: commands.h */
	opterr = 0; /* our own one-line messages (commands.h) */
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (o == 'f')
			file = optarg;
		else if (o == 'm')
			markdown = 1;
		else if (o == 'h') {
			cmd_costs_help(stdout);
			return 0;
		} else {
			return cli_getopt_error("costs", o, argc, argv, opts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vtlab costs: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (file && cost_load_file(&c, file, err, sizeof err)) {
		fprintf(stderr, "vtlab costs: --cost-file: %s\n", cli_unprefixed(err));
		return EXIT_USAGE;
	}
	print_table(&c, markdown);
	return 0;
}
