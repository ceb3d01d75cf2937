/*
 * getopt_error.c - the one-line messages of usage errors, shared by every
 * subcommand (commands.h: messages are one line, "vtlab CMD: ..."): a
 * getopt_long() error, or any other usage error (cli_usage_error); and
 * cli_unprefixed, which takes a library's "vtlab: " off its message.
 *
 * Contract: the caller sets opterr = 0 and starts its optstring with ':'
 * so that getopt returns ':' for a missing value and '?' for an unknown
 * option without printing its own line first.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

int cli_getopt_error(const char *cmd, int opt, int argc, char **argv)
{
	const char *word = optind - 1 < argc ? argv[optind - 1] : "?";
	/* Inside a group (-xq, x unknown) getopt has not moved past it:
	 * argv[optind] is the group and argv[optind - 1] the word before,
	 * which may be a long option that is not at fault. */
	const char *next = optind < argc ? argv[optind] : "";
	bool mid_group = optopt > 0 && optopt < 128 && next[0] == '-' && next[1] &&
			 next[1] != '-' && strchr(next + 1, optopt);
	if (opt == ':')
		fprintf(stderr, "vtlab %s: '%s' needs a value (see vtlab %s --help)\n", cmd, word,
			cmd);
	else if (optopt && optopt != '?' && (mid_group || strncmp(word, "--", 2) != 0))
		/* A short option may sit inside a group (-xq): getopt names it
		 * in optopt, while argv[optind - 1] is the whole group. */
		fprintf(stderr, "vtlab %s: unknown option '-%c' (see vtlab %s --help)\n", cmd,
			optopt, cmd);
	else
		fprintf(stderr,
			"vtlab %s: unknown or ambiguous option '%s' (see vtlab %s --help)\n", cmd,
			word, cmd);
	return EXIT_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vtlab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see vtlab %s --help)\n", cmd);
	return EXIT_USAGE;
}

const char *cli_unprefixed(const char *msg)
{
	return strncmp(msg, "vtlab: ", 7) == 0 ? msg + 7 : msg;
}
