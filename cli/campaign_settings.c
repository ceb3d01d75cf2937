/*
 * campaign_settings.c - a campaign resumes only over cells run with the
 * settings it gives now (campaign_runner.h, campaign_settings_check).
 *
 * A cell is done when the database holds a complete run of its campaign,
 * configuration, workload, vCPUs, params and repetition.  What the cell's
 * identity does not name can still change between two invocations: the
 * costs (the file's <cost> elements, its cost file, or vtlab's default
 * cost table), the workloads' size (small="true" changes their
 * arguments), a default of the machine or the hypervisor (a rebuilt
 * vtlab), and the trace spec.  Resuming then would keep the old settings
 * in the cells done and use the new ones in the others, a campaign of
 * neither (`vtlab report` would show each setting's rows apart with fewer
 * runs, the charts would average them; a new trace spec would have no
 * events in the cells done), so the campaign refuses, names the first
 * such cell and setting, and says how to keep both (a new name or
 * database) or start again.
 *
 * The settings of a cell are what `vtlab run` would store for it
 * (cmd_run_each_setting), compared as text with what its run stored
 * (db_run_setting): the runs columns workload_params and trace_spec,
 * every cost (cost.NAME), and every run parameter by which `vtlab report`
 * tells runs apart (report_setting_counts: not the schedule seed, the
 * paths of the kernel and disk, nor the tracing options).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "campaign_runner.h"
#include "commands.h"
#include "db.h"
#include "report.h"

struct setting_diff {
	char name[128];
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

/* One done cell's run against the settings `vtlab run` would store now. */
struct comparison {
	struct db *db;
	int64_t run;
	const char *config;
	struct setting_diff *d;
	int result; /* 0 alike so far, 1 a setting differs, -1 a database error */
};

/* run_setting_fn: compares a setting a campaign holds its runs to - the
 * workload's arguments, the trace spec, every cost and every run
 * parameter that tells measurements apart (report_setting_counts, the
 * rule by which `vtlab report` splits a row) - and stops at the first
 * that differs. */
static int compare_setting(void *ctx, const char *kind, const char *name, const char *value)
{
	struct comparison *c = ctx;
	char stored[128];
	if (strcmp(kind, "cost") == 0)
		snprintf(stored, sizeof stored, "cost.%s", name);
	else if (strcmp(kind, "param") == 0 && report_setting_counts(c->config, name))
		snprintf(stored, sizeof stored, "%s", name);
	else if (strcmp(kind, "meta") == 0 && strcmp(name, "workload_params") == 0)
		snprintf(stored, sizeof stored, "workload_params");
	else if (strcmp(kind, "meta") == 0 && strcmp(name, "trace") == 0)
		snprintf(stored, sizeof stored, "trace_spec");
	else
		return 0;
	/* as stored: the collector writes true and false as JSON booleans,
	 * which run_params holds as the integers 1 and 0 (db/writer.c) */
	if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
		value = value[0] == 't' ? "1" : "0";
	c->result = differs(c->db, c->run, stored, value, c->d);
	return c->result != 0;
}

/* Where in the campaign file a setting comes from, for the message. */
static const char *origin(const char *name)
{
	if (strcmp(name, "workload_params") == 0)
		return "the workloads' arguments: <workloads small=...>, or vtlab's workloads";
	if (strcmp(name, "trace_spec") == 0)
		return "<trace>: the cells done before have no events of the new spec";
	if (strncmp(name, "cost.", 5) == 0)
		return "<costs>: a <cost>, the cost file, or vtlab's default costs";
	return "a <param>, or a default of vtlab's machine or hypervisor";
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

int campaign_settings_check(const struct campaign_runner *r)
{
	size_t stale = 0, first = 0;
	struct setting_diff d, d0 = { 0 };
	for (size_t i = 0; i < r->ncells; i++) {
		if (r->state[i] != CELL_DONE_BEFORE)
			continue;
		struct campaign_args a;
		struct comparison c = { .db = r->db,
					.run = r->done_run[i],
					.config = r->c->configs.values[r->cells[i].config],
					.d = &d };
		if (campaign_cell_args(r->c, &r->cells[i], r->db_path, "-", &a) ||
		    cmd_run_each_setting(a.argc, a.argv, compare_setting, &c) > 1)
			return -1; /* campaign_check() ran these: not expected */
		if (c.result < 0) {
			fprintf(stderr, "vtlab campaign: %s\n", db_errmsg(r->db));
			return -1;
		}
		if (c.result && stale++ == 0) {
			first = i;
			d0 = d;
		}
	}
	if (stale)
		refuse(r, first, stale, &d0);
	return stale ? -1 : 0;
}
