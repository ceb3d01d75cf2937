/*
 * report_where.c - `--where NAME=VALUE`: the runs of a report or chart
 * that a campaign cell parameter or run setting selects (report.h,
 * report_where_select).
 *
 * Why here, in the runs every report and chart reads: a campaign that
 * sweeps guest-vhpt-walker off/on has both in its faults chart, averaged
 * (the views of db/views.sql know no cells); selecting the runs before
 * the reports group them and before plots/ builds the views it reads
 * from them (chart_query.c) makes `vtlab report` and `vtlab plot` show
 * the same runs.
 *
 * A parameter is spelled two ways: a campaign cell (run_params
 * campaign_cell) holds the campaign file's names, "vtlb-buckets=64
 * guest-vhpt-walker=on"; the run's own settings (report_settings.c) the
 * run_params names, vtlb_buckets=64.  '-' and '_' are alike in a name.
 *
 * Which value a run has, in this order:
 *   1. its campaign cell's, when the cell names the parameter;
 *   2. none, when another run of its campaign has it in its cell: the
 *      campaign sweeps it and did not give it to this configuration
 *      (cli/campaign_plan.c campaign_param_applies: STVT takes no
 *      vtlb-buckets, native no vTLB knob at all), whatever default the
 *      run stored for it;
 *   3. its run setting of that name, when its configuration takes the
 *      knob (report_param_applies: a hand-made STVT run stores the hash
 *      vTLB's default buckets, which it does not use);
 *   4. none.
 * A run with none is kept: the selection narrows what varies, and the
 * baseline every ratio needs (native, or STVT for a hash-vTLB knob) stays.
 * An empty VALUE (NAME=) keeps only the runs with none (or an empty one):
 * "unset" is the one value a run without NAME has.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"

#define WORD_SEP '\x1f' /* between the words of a run's settings */

static int same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if ((a[i] == '-' ? '_' : a[i]) != (b[i] == '-' ? '_' : b[i]))
			return 0;
	return 1;
}

/* The knobs of `vtlab run` that only the Svtlb configurations take, and
 * of those the ones only the hash vTLB has (cli/cmd_run.c
 * hv_check_options refuses them elsewhere). */
static const char *const svtlb_knobs[] = { "guest-vhpt-walker", "track", "large-pages",
					   "machine-vhpt-size", "machine-vhpt-chain" };
static const char *const hash_knobs[] = { "vtlb-buckets", "vtlb-chain-max", "vtlb-pool" };

static int in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (same_name(name, strlen(name), list[i], strlen(list[i])))
			return 1;
	return 0;
}

int report_param_applies(const char *name, const char *config)
{
	int hash = strcmp(config, "HTVT") == 0 || strcmp(config, "HTPV") == 0;
	int svtlb = hash || strcmp(config, "STVT") == 0 || strcmp(config, "STPV") == 0;
	if (in(name, hash_knobs, sizeof hash_knobs / sizeof *hash_knobs))
		return hash;
	if (in(name, svtlb_knobs, sizeof svtlb_knobs / sizeof *svtlb_knobs))
		return svtlb;
	return 1;
}

/* The knobs whose values are booleans: `vtlab run` spells two of them on
 * and off, the collector stores svtlb (a JSON boolean) as 1 and 0.  Their
 * 1 and 0 mean on and off; another knob's 1 is the number one. */
static const char *const boolean_knobs[] = { "guest-vhpt-walker", "machine-vhpt-chain", "svtlb" };

/* 1 for on/true/1, 0 for off/false/0, -1 for another value; words only
 * (on/off/true/false) when `digits` is 0. */
static int boolean(const char *v, size_t len, int digits)
{
	static const char *const yes[] = { "on", "true", "1" }, *const no[] = { "off", "false",
										"0" };
	for (unsigned i = 0; i < (digits ? 3u : 2u); i++) {
		if (strlen(yes[i]) == len && strncmp(v, yes[i], len) == 0)
			return 1;
		if (strlen(no[i]) == len && strncmp(v, no[i], len) == 0)
			return 0;
	}
	return -1;
}

/* The number [v, v + len) spells, as `vtlab run` reads numbers and sizes
 * (cli/options.c, which analyze/ may not include): decimal or 0x hex,
 * then K, M, G or T (powers of 1024), optionally followed by B or iB.
 * 0, or -1 when it is not one. */
static int number(const char *v, size_t len, unsigned long long *out)
{
	char buf[32], *end;
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	int hex = buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
	const char *digits = hex ? buf + 2 : buf;
	if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		return -1;
	errno = 0;
	unsigned long long n = strtoull(digits, &end, hex ? 16 : 10);
	const char *unit = *end ? strchr("KMGT", toupper((unsigned char)*end)) : NULL;
	unsigned shift = unit ? 10u * (unsigned)(unit - "KMGT" + 1) : 0;
	const char *rest = unit ? end + 1 : end;
	if (errno || (*end && !unit) ||
	    (*rest && strcasecmp(rest, "B") != 0 && strcasecmp(rest, "iB") != 0) ||
	    (shift && n > (ULLONG_MAX >> shift)))
		return -1;
	*out = n << shift;
	return 0;
}

int report_value_same(const char *name, const char *a, size_t alen, const char *b, size_t blen)
{
	/* a boolean knob, or one whose value is spelled as a boolean word */
	if (in(name, boolean_knobs, sizeof boolean_knobs / sizeof *boolean_knobs) ||
	    boolean(a, alen, 0) >= 0) {
		int x = boolean(a, alen, 1);
		return x >= 0 && x == boolean(b, blen, 1);
	}
	unsigned long long x, y;
	if (number(a, alen, &x) == 0)
		return number(b, blen, &y) == 0 && x == y;
	return alen == blen && strncmp(a, b, alen) == 0;
}

/* Each "name=value" word of [s, s + len), words separated by sep: calls
 * fn(ctx, name, nlen, value, vlen) until it returns nonzero, which it
 * returns. */
typedef int (*word_fn)(void *ctx, const char *name, size_t nlen, const char *v, size_t vlen);
static int each_word(const char *s, size_t len, char sep, word_fn fn, void *ctx)
{
	for (const char *end = s + len; s < end;) {
		const char *w = s, *stop = memchr(w, sep, (size_t)(end - w));
		size_t n = stop ? (size_t)(stop - w) : (size_t)(end - w);
		const char *eq = memchr(w, '=', n);
		int rc = eq ? fn(ctx, w, (size_t)(eq - w), eq + 1, n - (size_t)(eq - w) - 1) : 0;
		if (rc)
			return rc;
		s = w + n + 1;
	}
	return 0;
}

struct lookup {
	const char *name;
	const char *value; /* found: its value */
	size_t vlen;
};

static int look(void *ctx, const char *name, size_t nlen, const char *v, size_t vlen)
{
	struct lookup *l = ctx;
	if (!same_name(name, nlen, l->name, strlen(l->name)))
		return 0;
	l->value = v;
	l->vlen = vlen;
	return 1;
}

/* The value of parameter `name` in run's campaign cell (cell 1) or its
 * settings (cell 0); NULL when it has none. */
static const char *value_in(const struct report_run *run, int cell, const char *name, size_t *vlen)
{
	struct lookup l = { .name = name };
	if (cell ? each_word(run->cell, run->key_len, ' ', look, &l)
		 : each_word(run->settings, strlen(run->settings), WORD_SEP, look, &l))
		return *vlen = l.vlen, l.value;
	return NULL;
}

/* Appends [w, w + n) to the ", "-separated list in buf unless it holds
 * it; a name cost.X as "cost.*" (the cost table has dozens). */
static void list_add(char *buf, size_t len, const char *w, size_t n)
{
	if (n > 5 && strncmp(w, "cost.", 5) == 0)
		w = "cost.*", n = 6;
	for (const char *p = buf; *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && strncmp(p, w, n) == 0)
			return;
		p += m + (p[m] == ',' ? 2 : 0);
	}
	size_t used = strlen(buf);
	if (used + n + 3 < len)
		snprintf(buf + used, len - used, "%s%.*s", used ? ", " : "", (int)n, w);
}

struct names {
	char *buf;
	size_t len;
};

static int add_name(void *ctx, const char *name, size_t nlen, const char *v, size_t vlen)
{
	struct names *n = ctx;
	(void)v, (void)vlen;
	list_add(n->buf, n->len, name, nlen);
	return 0;
}

/* The error for a name no run has: the names the runs do have. */
static void unknown_name(const struct report_runs *r, const char *name, char *err, size_t errlen)
{
	char cells[512] = "", settings[1024] = "";
	struct names c = { cells, sizeof cells }, s = { settings, sizeof settings };
	for (size_t i = 0; i < r->n; i++) {
		each_word(r->run[i].cell, r->run[i].key_len, ' ', add_name, &c);
		each_word(r->run[i].settings, strlen(r->run[i].settings), WORD_SEP, add_name, &s);
	}
	snprintf(err, errlen,
		 "--where %s: no run in the scope has a parameter of that name (campaign cell "
		 "parameters: %s; run settings: %s)",
		 name, cells[0] ? cells : "none", settings[0] ? settings : "none");
}

/* The value of w's parameter run i has, by the order above; NULL for none. */
static const char *value_of(const struct report_runs *r, size_t i, const char *swept,
			    const char *name, size_t *n)
{
	const char *v = value_in(&r->run[i], 1, name, n);
	if (v || swept[i] || !report_param_applies(name, r->run[i].config))
		return v;
	return value_in(&r->run[i], 0, name, n);
}

/* The error for a value no run has: the values the runs have. */
static void unknown_value(const struct report_runs *r, const struct report_where *w,
			  const char *swept, char *err, size_t errlen)
{
	char values[512] = "";
	for (size_t i = 0; i < r->n; i++) {
		size_t n;
		const char *v = value_of(r, i, swept, w->name, &n);
		if (v)
			list_add(values, sizeof values, v, n);
	}
	if (!w->value[0])
		snprintf(err, errlen,
			 "--where %s=: every run in the scope has a value of %s (%s); an empty "
			 "VALUE keeps the runs without one",
			 w->name, w->name, values);
	else if (!values[0]) /* only runs that store it unused, as STVT its buckets */
		snprintf(err, errlen,
			 "--where %s=%s: no run in the scope takes %s (the runs that store it "
			 "are of configurations that do not use it)",
			 w->name, w->value, w->name);
	else
		snprintf(err, errlen,
			 "--where %s=%s: no run in the scope has that value (it has %s)", w->name,
			 w->value, values);
}

/* keep[i] cleared for the runs of r that do not hold term w; -1 with err
 * when no run has w's name or value. */
static int select_term(const struct report_runs *r, const struct report_where *w, char *keep,
		       char *swept, char *err, size_t errlen)
{
	int seen = 0, matched = 0;
	size_t wlen = strlen(w->value);
	memset(swept, 0, r->n);
	for (size_t i = 0; i < r->n; i++) {
		size_t n;
		if (swept[i] || !value_in(&r->run[i], 1, w->name, &n))
			continue;
		for (size_t j = 0; j < r->n; j++) /* its campaign sweeps it */
			swept[j] |= strcmp(r->run[j].campaign, r->run[i].campaign) == 0;
	}
	for (size_t i = 0; i < r->n; i++) {
		size_t n;
		const char *v = value_of(r, i, swept, w->name, &n);
		seen |= v || swept[i] || value_in(&r->run[i], 0, w->name, &n);
		if (!v && wlen)
			continue; /* the run does not take it */
		/* NAME= (no VALUE) keeps the runs without a value */
		int same = wlen ? report_value_same(w->name, v, n, w->value, wlen) : !v || !n;
		matched |= same;
		keep[i] &= (char)same;
	}
	if (!seen)
		unknown_name(r, w->name, err, errlen);
	else if (!matched)
		unknown_value(r, w, swept, err, errlen);
	return seen && matched ? 0 : -1;
}

int report_where_select(const struct report_scope *s, const struct report_runs *r, char *keep,
			char *err, size_t errlen)
{
	memset(keep, 1, r->n);
	if (r->n == 0) /* nothing to select from: the report says so */
		return 0;
	if (s->nwhere > REPORT_MAX_WHERE) {
		snprintf(err, errlen, "at most %d --where terms", REPORT_MAX_WHERE);
		return -1;
	}
	/* terms are ANDed, and a run has one value of a parameter: NAME=a
	 * and NAME=b would keep only the runs without NAME */
	for (unsigned t = 0; t < s->nwhere; t++)
		for (unsigned u = t + 1; u < s->nwhere; u++) {
			const struct report_where *a = &s->where[t], *b = &s->where[u];
			if (same_name(a->name, strlen(a->name), b->name, strlen(b->name)) &&
			    !report_value_same(a->name, a->value, strlen(a->value), b->value,
					       strlen(b->value))) {
				snprintf(err, errlen,
					 "--where %s=%s and --where %s=%s: a run has one value "
					 "of a parameter, so no run would hold both (give one)",
					 a->name, a->value, b->name, b->value);
				return -1;
			}
		}
	char *swept = malloc(r->n ? r->n : 1);
	if (!swept) {
		snprintf(err, errlen, "out of memory reading the runs");
		return -1;
	}
	int rc = 0;
	for (unsigned t = 0; t < s->nwhere && rc == 0; t++)
		rc = select_term(r, &s->where[t], keep, swept, err, errlen);
	free(swept);
	return rc;
}
