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
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

/* The entry of longopts that getopt_long() takes the word "--name[=value]"
 * for: an exact name, or a prefix of exactly one name; NULL if none. */
static const struct option *long_option_of(const char *word, const struct option *longopts)
{
	size_t len = strcspn(word + 2, "=");
	const struct option *found = NULL;
	int prefixes = 0;
	for (const struct option *o = longopts; o && o->name; o++) {
		if (strncmp(o->name, word + 2, len) != 0)
			continue;
		if (o->name[len] == '\0')
			return o; /* an exact name wins over longer ones */
		found = o;
		prefixes++;
	}
	return prefixes == 1 ? found : NULL;
}

int cli_getopt_error(const char *cmd, int opt, int argc, char **argv, const struct option *longopts)
{
	const char *word = optind - 1 < argc ? argv[optind - 1] : "?";
	if (opt == ':') {
		fprintf(stderr, "vtlab %s: '%s' needs a value (see vtlab %s --help)\n", cmd, word,
			cmd);
		return EXIT_USAGE;
	}
	/* A short option inside a group (-xq, x unknown) leaves getopt
	 * mid-word: argv[optind - 1] is then the word before the group, which
	 * may be a well-formed long option that is not at fault; getopt names
	 * the short option in optopt.  So a long word is at fault only if
	 * getopt_long() cannot take it as it stands. */
	bool long_word = strncmp(word, "--", 2) == 0 && word[2];
	const struct option *o = long_word ? long_option_of(word, longopts) : NULL;
	if (o && o->has_arg == no_argument && strchr(word, '='))
		fprintf(stderr, "vtlab %s: '--%s' takes no value, got '%s' (see vtlab %s --help)\n",
			cmd, o->name, word, cmd);
	else if (long_word && !o)
		fprintf(stderr,
			"vtlab %s: unknown or ambiguous option '%s' (see vtlab %s --help)\n", cmd,
			word, cmd);
	else if (optopt > 0 && optopt < 128 && optopt != '?')
		fprintf(stderr, "vtlab %s: unknown option '-%c' (see vtlab %s --help)\n", cmd,
			optopt, cmd);
	else
		fprintf(stderr, "vtlab %s: unknown option '%s' (see vtlab %s --help)\n", cmd, word,
			cmd);
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
