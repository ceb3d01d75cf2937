/*
 * options.c - sysbench-style command-line options: `--name=value` (or
 * `--name value`), sizes with sysbench's suffixes (K, M, G, T: powers of
 * 1024), the common options (--threads, --events, --rand-seed, --small,
 * --verbosity) and each test's own table (struct sb_option).  --time is
 * refused: a modeled-time limit would make the event count, hence the
 * output, depend on the machine configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysbench.h"

static int parse_u64(const char *s, uint64_t *out, int size)
{
	char *end;
	/* strtoull takes "-1" as 2^64 - 1 without an error: a count or a
	 * size is never negative, so a sign is refused here. */
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	uint64_t mul = 1;
	if (size && *end) {
		switch (*end) {
		case 'k':
		case 'K': mul = 1ull << 10; break;
		case 'm':
		case 'M': mul = 1ull << 20; break;
		case 'g':
		case 'G': mul = 1ull << 30; break;
		case 't':
		case 'T': mul = 1ull << 40; break;
		default: return -1;
		}
		end++;
		if (*end == 'b' || *end == 'B')
			end++;
	}
	if (*end)
		return -1;
	if ((uint64_t)v > UINT64_MAX / mul)
		return -1; /* the product would wrap: 17179869185G was 1G */
	*out = (uint64_t)v * mul;
	return 0;
}

struct sb_option *sb_option_find(struct sb_option *opts, const char *name)
{
	for (; opts && opts->name; opts++)
		if (strcmp(opts->name, name) == 0)
			return opts;
	return NULL;
}

uint64_t sb_opt_u64(struct sb_option *opts, const char *name)
{
	struct sb_option *o = sb_option_find(opts, name);
	return o ? o->value : 0;
}

const char *sb_opt_str(struct sb_option *opts, const char *name)
{
	struct sb_option *o = sb_option_find(opts, name);
	return o ? o->str : "";
}

static int set_test_option(struct sb_option *o, const char *val)
{
	if (o->kind == SB_OPT_STR) {
		for (const char *const *c = o->choices; c && *c; c++)
			if (strcmp(*c, val) == 0) {
				o->str = *c;
				o->given = 1;
				return 0;
			}
		fprintf(stderr, "sysbench: option --%s: '%s' is not one of:", o->name, val);
		for (const char *const *c = o->choices; c && *c; c++)
			fprintf(stderr, " %s", *c);
		fprintf(stderr, "\n");
		return -1;
	}
	if (parse_u64(val, &o->value, o->kind == SB_OPT_SIZE) < 0) {
		fprintf(stderr, "sysbench: option --%s: '%s' is not a %s\n", o->name, val,
			o->kind == SB_OPT_SIZE ? "size (N[K|M|G])" : "number");
		return -1;
	}
	o->given = 1;
	return 0;
}

static int set_common(struct sb_common *c, const char *name, const char *val)
{
	uint64_t v;
	if (strcmp(name, "time") == 0) {
		fprintf(stderr,
			"sysbench: option --time: not supported (a modeled-time limit would "
			"make the output depend on the machine); use --events\n");
		return -1;
	}
	uint64_t *field = strcmp(name, "threads") == 0     ? &c->threads
			  : strcmp(name, "events") == 0    ? &c->events
			  : strcmp(name, "rand-seed") == 0 ? &c->seed
							   : NULL;
	if (strcmp(name, "verbosity") == 0) {
		if (parse_u64(val, &v, 0) < 0)
			goto bad;
		c->verbose = v >= 4;
		return 0;
	}
	if (!field)
		return 1; /* not a common option */
	if (parse_u64(val, &v, 0) < 0)
		goto bad;
	if (field == &c->threads && (v < 1 || v > SB_MAX_THREADS)) {
		fprintf(stderr, "sysbench: option --threads: expected 1..%d, got %s\n",
			SB_MAX_THREADS, val);
		return -1;
	}
	if (field == &c->events && v == 0) {
		fprintf(stderr, "sysbench: option --events: expected at least 1 (no time limit)\n");
		return -1;
	}
	*field = v;
	return 0;
bad:
	fprintf(stderr, "sysbench: option --%s: '%s' is not a number\n", name, val);
	return -1;
}

/* Splits "--name=value" / "--name value" (the latter consumes argv[i+1]). */
static int split_option(int argc, char **argv, int *i, char *name, size_t n, const char **val)
{
	const char *a = argv[*i] + 2;
	const char *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	if (len == 0 || len >= n) {
		fprintf(stderr, "sysbench: argument '%s': expected --name=value\n", argv[*i]);
		return -1;
	}
	memcpy(name, a, len);
	name[len] = 0;
	for (char *c = name; *c; c++)
		if (*c == '_')
			*c = '-'; /* sysbench's lua tests spell --table_size */
	if (eq) {
		*val = eq + 1;
	} else if (*i + 1 < argc) {
		*val = argv[++*i];
	} else {
		fprintf(stderr, "sysbench: option --%s: expected a value\n", name);
		return -1;
	}
	return 0;
}

int sb_options_parse(int argc, char **argv, struct sb_common *c, struct sb_option *opts)
{
	for (int i = 0; i < argc; i++) {
		char name[64];
		const char *val;
		if (strcmp(argv[i], "--small") == 0) {
			c->small = 1;
			continue;
		}
		if (strncmp(argv[i], "--", 2) != 0) {
			fprintf(stderr,
				"sysbench: argument '%s': expected an option --name=value\n",
				argv[i]);
			return -1;
		}
		if (split_option(argc, argv, &i, name, sizeof name, &val) < 0)
			return -1;
		int r = set_common(c, name, val);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		struct sb_option *o = sb_option_find(opts, name);
		if (!o) {
			fprintf(stderr, "sysbench: option --%s: unknown option for this test\n",
				name);
			return -1;
		}
		if (set_test_option(o, val) < 0)
			return -1;
	}
	for (struct sb_option *o = opts; o && o->name; o++)
		if (!o->given && c->small && o->value_small)
			o->value = o->value_small;
	return 0;
}

const char *sb_fmt_size(char *buf, unsigned n, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;
	while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, "%llu%s", (unsigned long long)bytes, unit[u]);
	return buf;
}

void sb_options_print(const struct sb_option *opts, int small)
{
	(void)small;
	for (; opts && opts->name; opts++) {
		char b[32];
		if (opts->kind == SB_OPT_STR)
			printf("    --%s=%s\n", opts->name, opts->str);
		else if (opts->kind == SB_OPT_SIZE)
			printf("    --%s=%s\n", opts->name, sb_fmt_size(b, sizeof b, opts->value));
		else
			printf("    --%s=%llu\n", opts->name, (unsigned long long)opts->value);
	}
}
