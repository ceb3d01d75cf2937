/*
 * campaign_settings.c - a campaign resumes only over cells run with the
 * settings it gives now (campaign_runner.h, campaign_settings_check).
 *
 * A cell is done when the database holds a complete run of its campaign,
 * configuration, workload, vCPUs, params and repetition.  What the cell's
 * identity does not name can still change between two invocations: the
 * costs (the file's <cost> elements, its cost file, or vtlab's default
 * cost table), the workloads' size (small="true" changes their arguments)
 * and the trace spec.  Resuming then would keep the old settings in the
 * cells done and use the new ones in the others, a campaign of neither
 * (`vtlab report` would show each setting's rows apart with fewer runs,
 * the charts would average them), so the campaign refuses, names the
 * first such cell and setting, and says how to keep both (a new name or
 * database) or start again.
 *
 * The settings of a cell are what `vtlab run` would store for it
 * (cmd_run_settings), compared as text with what its run stored
 * (db_run_setting): the runs columns workload_params and trace_spec, and
 * the run parameter cost.NAME of every cost.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "campaign_runner.h"
#include "commands.h"
#include "cost.h"
#include "db.h"

struct setting_diff {
	char name[96];
	char was[1024], now[1024];
};

/* 1 (and *d filled) when run `run` stored `name` other than `now`, 0 when
 * alike, -1 on a database error.  A setting the run did not store reads
 * as "": a cost it lacks (an older vtlab's table) is a difference. */
static int differs(struct db *db, int64_t run, const char *name, const char *now,
		   struct setting_diff *d)
{
	bool found;
	if (db_run_setting(db, run, name, d->was, sizeof d->was, &found))
		return -1;
	if (strcmp(d->was, now) == 0)
		return 0;
	snprintf(d->name, sizeof d->name, "%s", name);
	snprintf(d->now, sizeof d->now, "%s", now);
	if (!found)
		snprintf(d->was, sizeof d->was, "not recorded");
	return 1;
}

/* The first setting in which run `run` differs from s, as differs(). */
static int first_difference(struct db *db, int64_t run, const struct run_settings *s,
			    struct setting_diff *d)
{
	int k = differs(db, run, "workload_params", s->workload_params, d);
	if (!k)
		k = differs(db, run, "trace_spec", s->trace_spec, d);
	for (size_t i = 0; !k && i < cost_count(); i++) {
		char name[96], now[32];
		snprintf(name, sizeof name, "cost.%s", cost_name(i));
		snprintf(now, sizeof now, "%llu", (unsigned long long)cost_get(&s->cost, i));
		k = differs(db, run, name, now, d);
	}
	return k;
}

/* Where in the campaign file a setting comes from, for the message. */
static const char *origin(const char *name)
{
	if (strcmp(name, "workload_params") == 0)
		return "the workloads' arguments: <workloads small=...>, or vtlab's workloads";
	if (strcmp(name, "trace_spec") == 0)
		return "<trace>";
	return "<costs>: a <cost>, the cost file, or vtlab's default costs";
}

static void refuse(const struct campaign_runner *r, size_t first, size_t stale,
		   const struct setting_diff *d)
{
	char label[1024];
	campaign_cell_label(r->c, &r->cells[first], label, sizeof label);
	fprintf(stderr,
		"vtlab campaign: %s: %zu of the cells done in %s were run with other settings "
		"than the file gives now; the first, \"%s\" (run %lld), has %s = '%s' where "
		"the file now gives '%s' (from %s)\n"
		"vtlab campaign: resuming would keep the old settings in the cells done and "
		"use the new in the others, a campaign of neither: to keep the old runs, "
		"give the campaign another name (<campaign name=...>) or database (--db "
		"FILE); to replace them, delete %s\n",
		r->c->file, stale, r->db_path, label, (long long)r->done_run[first], d->name,
		d->was, d->now, origin(d->name), r->db_path);
}

/* True when cells a and b differ at most in their repetition, which
 * changes only the schedule seed: their settings are the same. */
static bool same_but_repetition(const struct campaign *c, const struct campaign_cell *a,
				const struct campaign_cell *b)
{
	if (a->config != b->config || a->workload != b->workload || a->vcpus != b->vcpus)
		return false;
	for (unsigned p = 0; p < c->nparams; p++)
		if (a->param[p] != b->param[p])
			return false;
	return true;
}

int campaign_settings_check(const struct campaign_runner *r)
{
	size_t stale = 0, first = 0;
	struct setting_diff d, d0 = { 0 };
	struct run_settings s;
	const struct campaign_cell *known = NULL; /* the cell s belongs to */
	for (size_t i = 0; i < r->ncells; i++) {
		if (r->state[i] != CELL_DONE_BEFORE)
			continue;
		struct campaign_args a;
		if (!known || !same_but_repetition(r->c, known, &r->cells[i])) {
			if (campaign_cell_args(r->c, &r->cells[i], r->db_path, "-", &a) ||
			    cmd_run_settings(a.argc, a.argv, &s))
				return -1; /* campaign_check() ran these: not expected */
			known = &r->cells[i];
		}
		int k = first_difference(r->db, r->done_run[i], &s, &d);
		if (k < 0) {
			fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
			return -1;
		}
		if (k && stale++ == 0) {
			first = i;
			d0 = d;
		}
	}
	if (stale)
		refuse(r, first, stale, &d0);
	return stale ? -1 : 0;
}
