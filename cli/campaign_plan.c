/*
 * campaign_plan.c - a campaign's cells: the cross product of its axes,
 * each cell's key and label, and the `vtlab run` arguments that run it
 * (campaign.h).
 *
 * Contract: see campaign.h.  Repetitions of a multi-vCPU run would repeat
 * the same numbers (the engine is deterministic), so repetition r of a
 * campaign with more than one runs with --sched-seed r+1: another
 * interleaving of the vCPUs, as reproducible (docs/hypervisor.md, "What the
 * tables show").  A <param name="sched-seed"> given in the file wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "report.h"

bool campaign_param_applies(const char *name, const char *config)
{
	return report_param_applies(name, config) != 0;
}

/* How many cells one configuration contributes. */
static size_t cells_of_config(const struct campaign *c, const char *config)
{
	size_t n = (size_t)c->workloads.n * c->vcpus.n * c->repetitions;
	for (unsigned p = 0; p < c->nparams && n <= CAMPAIGN_MAX_CELLS; p++)
		if (campaign_param_applies(c->params[p].name, config))
			n *= c->params[p].n;
	return n;
}

/* Advances the params' mixed-radix counter; false when it wraps. */
static bool next_params(const struct campaign *c, struct campaign_cell *cell)
{
	for (int p = (int)c->nparams - 1; p >= 0; p--) {
		if (cell->param[p] < 0)
			continue;
		if ((unsigned)++cell->param[p] < c->params[p].n)
			return true;
		cell->param[p] = 0;
	}
	return false;
}

static size_t plan_config(const struct campaign *c, unsigned ci, struct campaign_cell *out)
{
	const char *config = c->configs.values[ci];
	size_t n = 0;
	for (unsigned w = 0; w < c->workloads.n; w++)
		for (unsigned v = 0; v < c->vcpus.n; v++) {
			struct campaign_cell cell = { .config = ci, .workload = w, .vcpus = v };
			for (unsigned p = 0; p < CAMPAIGN_MAX_PARAMS; p++)
				cell.param[p] = p < c->nparams && campaign_param_applies(
									  c->params[p].name, config)
							? 0
							: -1;
			do
				for (unsigned r = 0; r < c->repetitions; r++) {
					cell.repetition = r;
					out[n++] = cell;
				}
			while (next_params(c, &cell));
		}
	return n;
}

int campaign_plan(const struct campaign *c, struct campaign_cell **cells, size_t *n, char *err,
		  size_t errlen)
{
	size_t total = 0;
	for (unsigned ci = 0; ci < c->configs.n && total <= CAMPAIGN_MAX_CELLS; ci++)
		total += cells_of_config(c, c->configs.values[ci]);
	if (total > CAMPAIGN_MAX_CELLS) {
		snprintf(err, errlen,
			 "%s: more than %d cells (configurations x workloads x vCPU counts x "
			 "params x repetitions); split the campaign",
			 c->file, CAMPAIGN_MAX_CELLS);
		return -1;
	}
	*cells = malloc((total ? total : 1) * sizeof **cells);
	if (!*cells) {
		snprintf(err, errlen, "%s: out of memory for %zu cells", c->file, total);
		return -1;
	}
	*n = 0;
	for (unsigned ci = 0; ci < c->configs.n; ci++)
		*n += plan_config(c, ci, *cells + *n);
	return 0;
}

/* Appends with snprintf's rules; keeps *used <= len - 1. */
static void append(char *buf, size_t len, size_t *used, const char *a, const char *b, const char *d)
{
	int k = snprintf(buf + *used, len - *used, "%s%s%s", a, b, d);
	if (k > 0)
		*used = *used + (size_t)k < len ? *used + (size_t)k : len - 1;
}

void campaign_cell_key(const struct campaign *c, const struct campaign_cell *cell, char *buf,
		       size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned p = 0; p < c->nparams; p++) {
		if (cell->param[p] < 0)
			continue;
		append(buf, len, &used, used ? " " : "", c->params[p].name, "=");
		append(buf, len, &used, c->params[p].values[cell->param[p]], "", "");
	}
}

void campaign_cell_label(const struct campaign *c, const struct campaign_cell *cell, char *buf,
			 size_t len)
{
	char key[1024];
	campaign_cell_key(c, cell, key, sizeof key);
	const char *vcpus = c->vcpus.values[cell->vcpus];
	int n = snprintf(buf, len, "%s %s %s vCPU%s%s%s", c->configs.values[cell->config],
			 c->workloads.values[cell->workload], vcpus,
			 strcmp(vcpus, "1") == 0 ? "" : "s", key[0] ? " " : "", key);
	if (n >= 0 && (size_t)n < len && c->repetitions > 1)
		snprintf(buf + n, len - (size_t)n, " rep %u/%u", cell->repetition + 1,
			 c->repetitions);
}

/* Arguments are added to a->argv; formatted ones are kept in a->store. */
static int arg(struct campaign_args *a, const char *s)
{
	if (a->argc >= CAMPAIGN_MAX_ARGS)
		return -1;
	a->argv[a->argc++] = (char *)s;
	a->argv[a->argc] = NULL;
	return 0;
}

/* PREFIX + TEXT kept in a->store; NULL when the store is full. */
static const char *stored(struct campaign_args *a, size_t *used, const char *prefix,
			  const char *text)
{
	char *at = a->store + *used;
	size_t room = sizeof a->store - *used;
	int n = snprintf(at, room, "%s%s", prefix, text);
	if (n < 0 || (size_t)n >= room)
		return NULL;
	*used += (size_t)n + 1;
	return at;
}

static const char *stored_uint(struct campaign_args *a, size_t *used, unsigned u)
{
	char num[16];
	snprintf(num, sizeof num, "%u", u);
	return stored(a, used, "", num);
}

static int opt(struct campaign_args *a, const char *name, const char *value)
{
	return arg(a, name) || (value && arg(a, value));
}

static int param_args(const struct campaign *c, const struct campaign_cell *cell,
		      struct campaign_args *a, size_t *used, bool *seed_given)
{
	for (unsigned p = 0; p < c->nparams; p++) {
		if (cell->param[p] < 0)
			continue;
		const char *name = stored(a, used, "--", c->params[p].name);
		if (!name || opt(a, name, c->params[p].values[cell->param[p]]))
			return -1;
		*seed_given |= strcmp(c->params[p].name, "sched-seed") == 0;
	}
	return 0;
}

static int cost_args(const struct campaign *c, struct campaign_args *a, size_t *used)
{
	if (c->cost_file && opt(a, "--cost-file", c->cost_file))
		return -1;
	for (unsigned i = 0; i < c->ncosts; i++) {
		char name[80]; /* the schema's costName is at most 63 characters */
		snprintf(name, sizeof name, "%s=", c->costs[i].name);
		const char *s = stored(a, used, name, c->costs[i].value);
		if (!s || opt(a, "--cost", s))
			return -1;
	}
	return 0;
}

int campaign_cell_args(const struct campaign *c, const struct campaign_cell *cell, const char *db,
		       const char *console, struct campaign_args *a)
{
	size_t used = 0;
	bool seed_given = false;
	char key[1024];
	a->argc = 0;
	campaign_cell_key(c, cell, key, sizeof key);
	const char *rep = stored_uint(a, &used, cell->repetition);
	const char *secs = stored_uint(a, &used, c->max_seconds);
	const char *cell_key = stored(a, &used, "", key);
	if (!rep || !secs || !cell_key || arg(a, "run") ||
	    opt(a, "--workload", c->workloads.values[cell->workload]) ||
	    (c->small && arg(a, "--small")) ||
	    opt(a, "--config", c->configs.values[cell->config]) ||
	    opt(a, "--vcpus", c->vcpus.values[cell->vcpus]) ||
	    param_args(c, cell, a, &used, &seed_given))
		return -1;
	if (c->repetitions > 1 && !seed_given) {
		const char *seed = stored_uint(a, &used, cell->repetition + 1);
		if (!seed || opt(a, "--sched-seed", seed))
			return -1;
	}
	if (cost_args(c, a, &used) || opt(a, "--max-seconds", secs) ||
	    (c->trace && opt(a, "--trace", c->trace)) || opt(a, "--db", db) ||
	    opt(a, "--console", console) || opt(a, "--summary", "json") ||
	    opt(a, "--campaign", c->name) || opt(a, "--campaign-file", c->file) ||
	    opt(a, "--campaign-cell", cell_key) || opt(a, "--repetition", rep))
		return -1;
	return 0;
}
