/*
 * options.c - parsing of command-line values (options.h).
 *
 * Contract: whole-string, overflow-checked parsing; never prints.
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parses the unsigned number at the start of s (decimal, or hexadecimal
 * after "0x"); *end points after it.  Not strtoull's base 0, which reads a
 * leading 0 as octal (--mem 010 would be 8 bytes), nor strtoull on its own,
 * which accepts signs and spaces. */
static int parse_number(const char *s, uint64_t *out, const char **end)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	if (!(hex ? isxdigit((unsigned char)digits[0]) : isdigit((unsigned char)digits[0])))
		return -1;
	char *e;
	errno = 0;
	unsigned long long v = strtoull(digits, &e, hex ? 16 : 10);
	if (errno)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	const char *end;
	if (!s || parse_number(s, &v, &end) || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int suffix_shift(const char *suf, unsigned *shift)
{
	static const char units[] = "KMGT";
	if (*suf == '\0') {
		*shift = 0;
		return 0;
	}
	const char *u = strchr(units, toupper((unsigned char)*suf));
	if (!u)
		return -1;
	*shift = 10u * (unsigned)(u - units + 1);
	suf++;
	if (*suf == '\0' || strcasecmp(suf, "B") == 0 || strcasecmp(suf, "iB") == 0)
		return 0;
	return -1;
}

int parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	const char *end;
	unsigned shift;
	if (!s || parse_number(s, &v, &end) || suffix_shift(end, &shift))
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int parse_geometry(const char *s, unsigned max_entries, unsigned *entries, unsigned *ways)
{
	uint64_t e, w;
	const char *end;
	if (!s || parse_number(s, &e, &end) || *end != ':')
		return -1;
	if (parse_u64(end + 1, 1, max_entries, &w))
		return -1;
	if (e < 1 || e > max_entries || e % w != 0)
		return -1;
	uint64_t sets = e / w;
	if (sets & (sets - 1))
		return -1;
	*entries = (unsigned)e;
	*ways = (unsigned)w;
	return 0;
}

int parse_name_value(const char *s, char *name, unsigned namelen, uint64_t *value)
{
	const char *eq = s ? strchr(s, '=') : NULL;
	uint64_t v;
	if (!eq || eq == s || (size_t)(eq - s) >= namelen)
		return -1;
	if (parse_u64(eq + 1, 0, UINT64_MAX, &v))
		return -1;
	memcpy(name, s, (size_t)(eq - s));
	name[eq - s] = '\0';
	*value = v;
	return 0;
}

int parse_list(char *s, const char **list, unsigned *n, unsigned max)
{
	for (char *save, *v = strtok_r(s, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return -1;
		list[(*n)++] = v;
	}
	return 0;
}
