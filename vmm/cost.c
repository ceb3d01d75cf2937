/*
 * cost.c - the cost table of the modeled-time model (cost.h, cost.def).
 *
 * Contract: the defaults, names and sources come only from cost.def, so a
 * cost added there is known everywhere (defaults, --cost, cost files,
 * summaries).  A cost file holds "name = value" lines; '#' starts a comment
 * that runs to the end of the line; blank lines are ignored; values are
 * non-negative decimal (a leading 0 is not octal) or 0x hexadecimal
 * integers; a NUL byte anywhere is an error (the file is text).  Later
 * lines override earlier ones.  ticks_div is a divisor (modeled cycles per
 * mtime tick) and is rejected when 0.
 */
#include "cost.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cost_info {
	const char *name;
	const char *meaning;
	const char *source;
	size_t offset;
};

static const struct cost_info costs[] = {
#define X(field, def, unit, source) { #field, unit, source, offsetof(struct cost_table, field) },
#include "cost.def"
#undef X
};

#define NCOSTS (sizeof costs / sizeof costs[0])

void cost_defaults(struct cost_table *c)
{
#define X(field, def, unit, source) c->field = (def);
#include "cost.def"
#undef X
}

size_t cost_count(void)
{
	return NCOSTS;
}

const char *cost_name(size_t i)
{
	return i < NCOSTS ? costs[i].name : NULL;
}

const char *cost_meaning(size_t i)
{
	return i < NCOSTS ? costs[i].meaning : NULL;
}

const char *cost_source(size_t i)
{
	return i < NCOSTS ? costs[i].source : NULL;
}

static uint64_t *cost_field(struct cost_table *c, size_t i)
{
	return (uint64_t *)((char *)c + costs[i].offset);
}

uint64_t cost_get(const struct cost_table *c, size_t i)
{
	if (i >= NCOSTS)
		return 0;
	return *(const uint64_t *)((const char *)c + costs[i].offset);
}

static int cost_index(const char *name)
{
	for (size_t i = 0; i < NCOSTS; i++)
		if (strcmp(costs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int cost_set(struct cost_table *c, const char *name, uint64_t value)
{
	int i = cost_index(name);
	if (i < 0)
		return -1;
	*cost_field(c, (size_t)i) = value;
	return 0;
}

/* Writes the comma-separated list of known names into buf (truncated to
 * fit; messages stay one line). */
static void known_names(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < NCOSTS && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", costs[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Parses a non-negative integer filling the whole string: decimal, or
 * hexadecimal after "0x".  Not strtoull's base 0, which reads a leading 0
 * as octal ("010" would load as 8); the digits are checked first because
 * strtoull also skips spaces, takes a sign and, in base 16, another "0x". */
static int parse_value(const char *s, uint64_t *out)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	size_t n = strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789");
	if (n == 0 || digits[n] != '\0')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(digits, NULL, hex ? 16 : 10);
	if (errno)
		return -1;
	*out = v;
	return 0;
}

/* Parses one line (comment already removed).  Returns 0, or -1 with the
 * message (without the "file:line: " prefix) in msg. */
static int parse_line(struct cost_table *c, char *line, char *msg, size_t msglen)
{
	char *s = trim(line);
	if (*s == '\0')
		return 0;
	char *eq = strchr(s, '=');
	uint64_t v;
	if (eq) {
		*eq = '\0';
		char *name = trim(s), *val = trim(eq + 1);
		if (*name && cost_index(name) < 0) {
			char known[512];
			known_names(known, sizeof known);
			snprintf(msg, msglen, "unknown cost '%s' (known: %s)", name, known);
			return -1;
		}
		if (*name && parse_value(val, &v) == 0) {
			if (strcmp(name, "ticks_div") == 0 && v == 0) {
				snprintf(msg, msglen,
					 "ticks_div must be at least 1 (it is a divisor)");
				return -1;
			}
			cost_set(c, name, v);
			return 0;
		}
	}
	snprintf(msg, msglen, "expected 'name = value' with a non-negative integer value");
	return -1;
}

int cost_load_file(struct cost_table *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "vtlab: %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* Parse into a copy so a bad file leaves the table as it was. */
	struct cost_table tmp = *c;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		char msg[768];
		/* A NUL byte would end the line's text early and hide what follows
		 * it from parse_line(), so "mmio = 5<NUL>junk" would load as 5. */
		if (memchr(line, '\0', (size_t)got)) {
			snprintf(err, errlen, "vtlab: %s:%u: a NUL byte (a cost file is text)",
				 path, lineno);
			rc = -1;
			break;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (parse_line(&tmp, line, msg, sizeof msg)) {
			snprintf(err, errlen, "vtlab: %s:%u: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "vtlab: %s: read error: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	if (rc == 0)
		*c = tmp;
	return rc;
}
