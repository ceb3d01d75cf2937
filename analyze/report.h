/*
 * report.h - the paper's tables from a results database: performance
 * against native with 95% confidence intervals, and injected faults by
 * kind (Table 1's shape), for `vtlab report`.
 *
 * Contract: a report reads the complete runs (runs.status = 'complete') in
 * a scope and groups them by campaign, workload, vCPU count, configuration
 * and campaign cell (run_params campaign_cell: a swept parameter's value
 * makes its own row, which the views of db/views.sql cannot), and splits
 * a group whose runs differ in another setting (report_split_settings);
 * the runs of a group are its samples (repetitions).  Each report fills a
 * report_table and returns 0, 1 when the scope holds no run it can use
 * (err says what is missing and how to get it), or -1 on a database
 * error (err names it); the caller frees the table with
 * report_table_free() whatever the result.  The database is only read.
 *
 *   report_perf     one row per group: runs, the workload metric's mean
 *                   and 95% CI, performance relative to the baseline
 *                   (scope.baseline, default native; time metrics
 *                   inverted, so higher is better) and its 95% CI,
 *                   modeled time (Mcycles) mean and CI, and time relative
 *                   to the baseline with its CI.  The baseline row is the
 *                   baseline's group of the same campaign, workload and
 *                   vCPUs with the same cell, else the one whose swept
 *                   params are all in the group's cell (native takes no
 *                   vTLB knob), else the only one there is; a group
 *                   without one gets empty ratios and a note says so.
 *   report_faults   one row per hypervisor group: mean faults injected
 *                   per run, one column per kind (largest total first),
 *                   and their total.
 */
#ifndef ANALYZE_REPORT_H
#define ANALYZE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "report_table.h"
#include "stats.h"

struct sqlite3;

/* --where NAME=VALUE: one term of a selection by parameter (report_where.c). */
struct report_where {
	const char *name, *value;
};
#define REPORT_MAX_WHERE 16

struct report_scope {
	const char *campaign; /* NULL: every run; "-": runs outside campaigns */
	const char *const *workloads;
	unsigned nworkloads; /* 0: every workload */
	const char *const *configs;
	unsigned nconfigs; /* 0: every configuration */
	unsigned vcpus;    /* 0: every vCPU count */
	/* Only the runs that hold every term (ANDed; report_where_select): a
	 * campaign cell parameter (guest-vhpt-walker) or run setting
	 * (vtlb_buckets) NAME, either spelling, equal to VALUE by NAME's
	 * type (report_value_same: a boolean's on/true/1 and off/false/0
	 * alike, a number compared as one).  A run that does not take NAME
	 * (native and the vTLB knobs) is kept, so the baseline of the others
	 * stays.  An empty VALUE keeps only the runs without NAME. */
	const struct report_where *where;
	unsigned nwhere; /* 0: no selection; at most REPORT_MAX_WHERE */
	/* report_perf: the configuration each row is compared with; NULL:
	 * native.  Its runs are read even when configs leaves it out. */
	const char *baseline;
};

int report_perf(struct sqlite3 *db, const struct report_scope *s, struct report_table *t, char *err,
		size_t errlen);
int report_faults(struct sqlite3 *db, const struct report_scope *s, struct report_table *t,
		  char *err, size_t errlen);

/* Whether each filter of s names something the complete runs have: its
 * campaign (--campaign; "-" the runs outside campaigns) in the database,
 * each workload and configuration and its vCPU count in that campaign
 * (report_scope.c).  0; 1 with err naming the first option that selects
 * nothing and the values there are ("--config XYZ: no complete run of
 * campaign demo has it (they have native, STVT, HTVT)"); -1 with err on
 * a database error.  `vtlab report` and `vtlab plot` check first. */
int report_scope_check(struct sqlite3 *db, const struct report_scope *s, char *err, size_t errlen);

/* ------------------------------------------------ shared by the reports */

/* One complete run, with its group key. */
struct report_run {
	int64_t id;
	char *campaign, *workload, *config, *cell, *metric_name;
	char *settings; /* "name=value" words the runs of a row share (report_settings.c) */
	/* The words of settings that report_split_settings() added to cell
	 * (char(31)-separated), NULL when it added none; cell's first
	 * key_len characters are the campaign cell. */
	char *split;
	size_t key_len;
	unsigned vcpus;
	double metric, cycles; /* NAN when the run stored none */
};

struct report_runs {
	struct report_run *run;
	size_t n;
	int many_campaigns; /* the runs come from more than one campaign */
	int any_cell;       /* some run has a non-empty campaign cell */
};

/* The complete runs of the scope in group order (campaign, workload,
 * vCPUs, configuration: native, STVT, HTVT, STPV, HTPV, EPT, others;
 * then cells in the order their first run was stored, the campaign
 * file's order).  0, or -1 with err. */
int report_runs_load(struct sqlite3 *db, const struct report_scope *s, struct report_runs *out,
		     char *err, size_t errlen);
void report_runs_free(struct report_runs *r);
/* Runs of one campaign, workload, vCPUs, configuration and cell made with
 * different settings (another cost, vTLB size or workload size, run by
 * hand or by an older campaign) are not samples of one thing: each
 * setting's runs get a row of their own, the settings that differ added
 * to their cell ("vtlb_buckets=64"), in the order of their first run
 * (report_settings.c; report_runs_load calls it).  0, or -1 when memory
 * runs out. */
int report_split_settings(struct report_runs *r);
/* Whether run parameter `name` of a run of `config` is a setting that
 * tells measurements apart (report_settings.c): not the schedule seed
 * (what repetitions vary), the campaign cell (the key already), where the
 * kernel, disk or imported trace were read from, the tracing options
 * (they change no modeled figure) nor what a KVM import found in its
 * file.  `vtlab campaign` compares the same settings before resuming. */
int report_setting_counts(const char *config, const char *name);
/* The char(31)-separated "name=value" words of `all` that are settings
 * of a run of `config` (report_setting_counts), malloc'ed; NULL when
 * memory runs out. */
char *report_settings_keep(const char *all, const char *config);
/* True when every char(31)-separated word of `words` (NULL: none) is a
 * word of `settings` (report_settings.c). */
int report_settings_hold(const char *settings, const char *words);
/* True when two runs fall in the same group. */
int report_same_group(const struct report_run *a, const struct report_run *b);
/* A group: runs [first, end) of a report_runs, and the statistics of
 * their metric and modeled cycles (NAN values left out). */
struct report_group {
	size_t first, end;
	struct sample_stats metric, cycles;
};
/* The groups of r in order, *out malloc'ed (free() it, also after an
 * error); 0, or -1 when memory runs out (report_groups.c). */
int report_groups(const struct report_runs *r, struct report_group **out, size_t *n);
/* How many configurations of one campaign, workload and vCPU count have
 * their runs in two or more of the ng groups gs of r: the views of
 * db/views.sql, which know no cells or settings, average those runs into
 * one row (the perf, faults and scaling charts into one bar) though they
 * are not samples of one thing.  The first is described in `what`, e.g.
 * "HTVT kbuild 2 vCPUs: vtlb-buckets=64 | vtlb-buckets=256". */
unsigned report_groups_mixed(const struct report_runs *r, const struct report_group *gs, size_t ng,
			     char *what, size_t len);
/* The group of configuration `config` (NULL: native) g is compared
 * with: the one of g's campaign, workload and vCPUs with g's cell, else
 * the one whose params g's cell holds (its campaign cell's words in g's
 * campaign cell, the settings its row was split by among g's settings),
 * else the only one; NULL when there is none or no single one.
 * report_baseline() is report_baseline_of(..., "native"). */
const struct report_group *report_baseline_of(const struct report_runs *r,
					      const struct report_group *gs, size_t ngroups,
					      const struct report_group *g, const char *config);
const struct report_group *report_baseline(const struct report_runs *r,
					   const struct report_group *gs, size_t ngroups,
					   const struct report_group *g);
/* The ratio a / b of two independent means with the half-width of its
 * 95% confidence interval (report_groups.c, the delta method); *half is
 * NAN when either mean has no interval (one run). */
double report_ratio(const struct sample_stats *a, const struct sample_stats *b, double *half);
/* The relative half-width of that interval, sqrt((ha/ma)^2 + (hb/mb)^2):
 * a chart's bar or point, a ratio of the same two means (perhaps
 * inverted), times this is its half-width; NAN or inf without one. */
double report_ratio_spread(const struct sample_stats *a, const struct sample_stats *b);
/* --where (report_where.c): keep[i] (r->n bytes) is 1 for the runs of r
 * that hold every term of s->where (struct report_scope), else 0.  0; -1
 * with err when a term's NAME is in no run of r (err lists the names
 * there are) or no run has its VALUE (err lists the values; for an
 * empty VALUE, every run has NAME), or two
 * terms give one NAME two values, or memory runs out.  report_runs_load calls it before splitting settings (the
 * cells are still the campaign's). */
int report_where_select(const struct report_scope *s, const struct report_runs *r, char *keep,
			char *err, size_t errlen);
/* Whether value a of parameter `name` (as a run or campaign cell has it)
 * and value b are the same, by the parameter's type.  A boolean knob
 * (guest-vhpt-walker, machine-vhpt-chain, svtlb; or one whose value a is
 * on, off, true or false): both one of on/true/1 or both one of
 * off/false/0 (the collector stores JSON booleans as 1 and 0; the
 * campaign files and `vtlab run` spell them on and off).  A number (a is
 * one): b the same number, as `vtlab run` reads it (64 = 0x40, 512M =
 * 536870912); so vtlb-buckets=1 is not "on".  Anything else: equal text. */
int report_value_same(const char *name, const char *a, size_t alen, const char *b, size_t blen);
/* Whether configuration `config` takes the `vtlab run` knob `name` ('-'
 * and '_' alike): the Svtlb knobs only STVT, HTVT, STPV and HTPV, the hash
 * vTLB's only HTVT and HTPV, every other knob all.  A campaign gives a
 * knob only to the configurations that take it (cli/campaign_plan.c), and
 * --where selects on it only there: every run stores the hypervisor's
 * knobs, defaults included. */
int report_param_applies(const char *name, const char *config);
/* The key columns of a row: [campaign,] workload, vCPUs, config[, params];
 * report_key_head() writes the headings, report_key_cells() the cells of a
 * run (numbers into buf), both returning how many they wrote. */
unsigned report_key_head(const struct report_runs *r, const char **head, char *align);
unsigned report_key_cells(const struct report_runs *r, const struct report_run *run,
			  const char **cells, char *buf, size_t len);
/* A number with as many decimals as its size deserves ("12345", "123.4",
 * "1.234", "0.0123"); "" for NAN.  report_number_as() gives v the
 * decimals of `like`: a confidence interval those of its mean. */
void report_number(double v, char *buf, size_t len);
void report_number_as(double v, double like, char *buf, size_t len);
/* v with `places` decimals; "" for NAN. */
void report_fixed(double v, int places, char *buf, size_t len);
/* A mean of counts: "1234" when its whole column is whole, else with one
 * decimal ("12.3"), so a column lines up. */
void report_count(double v, int whole, char *buf, size_t len);

#endif
