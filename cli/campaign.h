/*
 * campaign.h - a campaign file (campaigns/campaign.xsd) read into memory,
 * and the cells it expands to.
 *
 * Contract: campaign_load() parses FILE with libxml2 (no network, no
 * external entities), validates it against the schema compiled into vtlab
 * (campaign_schema.c, generated from campaigns/campaign.xsd), and fills a
 * struct campaign.  On error it returns -1 with one message per problem in
 * `err`, each "FILE:LINE: what was expected" (several lines when the file
 * has several problems).  Every string of a loaded campaign lives until
 * campaign_free().
 *
 * campaign_plan() (campaign_plan.c) expands the axes into cells in a fixed
 * order (configuration, then workload, then vCPUs, then the params in file
 * order, then repetition; the last varies fastest).  A param that does not
 * apply to a configuration (the hash vTLB's knobs under STVT, any
 * hypervisor knob natively) is left out of that configuration's cells, so
 * native runs once per workload and vCPU count, not once per vTLB size.
 * campaign_cell_args() writes the `vtlab run` arguments of a cell, and
 * campaign_slurm_write() the Slurm job array that runs them on a cluster.
 */
#ifndef CLI_CAMPAIGN_H
#define CLI_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>

#define CAMPAIGN_MAX_VALUES 32 /* values of one axis */
#define CAMPAIGN_MAX_PARAMS 16 /* <param> elements (the schema's maxOccurs) */
#define CAMPAIGN_MAX_COSTS 64  /* <cost> elements (the schema's maxOccurs) */
#define CAMPAIGN_MAX_CELLS 100000

/* One axis: its values as written, and the line that gave them. */
struct campaign_axis {
	const char *name; /* "config", "workload", "vcpus", or a param's name */
	const char *values[CAMPAIGN_MAX_VALUES];
	unsigned n;
	int line;
};

struct campaign_cost {
	const char *name, *value;
	int line;
};

struct campaign {
	const char *file; /* as given to campaign_load() */
	const char *name, *description;
	struct campaign_axis configs, workloads, vcpus;
	struct campaign_axis params[CAMPAIGN_MAX_PARAMS];
	unsigned nparams;
	bool small;
	unsigned repetitions;
	unsigned max_seconds;
	const char *trace;     /* NULL: counters only */
	const char *cost_file; /* resolved against the campaign file's folder */
	int cost_file_line;
	struct campaign_cost costs[CAMPAIGN_MAX_COSTS];
	unsigned ncosts;
	const char *db;          /* NULL: NAME.db */
	const char *charts;      /* space-separated chart names, NULL: none */
	const char *sweep_param; /* the sweep chart's x axis, NULL: none */
	int output_line;
	const char *format; /* png, svg or pdf */
	void *mem;          /* the strings above (an arena); private */
};

/* One cell: an index into each axis, a param left out is -1. */
struct campaign_cell {
	unsigned config, workload, vcpus, repetition;
	int param[CAMPAIGN_MAX_PARAMS];
};

int campaign_load(const char *path, struct campaign *c, char *err, size_t errlen);
void campaign_free(struct campaign *c);

/* True when param `name` applies to configuration `config`. */
bool campaign_param_applies(const char *name, const char *config);

/* Expands the cells; *cells is malloc'ed (free() it).  -1 with a message
 * when there are more than CAMPAIGN_MAX_CELLS. */
int campaign_plan(const struct campaign *c, struct campaign_cell **cells, size_t *n, char *err,
		  size_t errlen);

/* The cell's params as "NAME=VALUE NAME=VALUE" in file order ("" when it
 * has none): the key that tells apart cells of one configuration,
 * workload, vCPU count and repetition (stored with each run). */
void campaign_cell_key(const struct campaign *c, const struct campaign_cell *cell, char *buf,
		       size_t len);
/* A one-line label: "HTVT kbuild 2 vCPUs vtlb-buckets=256 rep 1/5". */
void campaign_cell_label(const struct campaign *c, const struct campaign_cell *cell, char *buf,
			 size_t len);

/* The `vtlab run` argument vector of a cell, argv[0] = "run", storing into
 * `db`, console to `console`.  Strings point into `c`, `store` and the
 * arguments; *argc is set; argv has room for CAMPAIGN_MAX_ARGS. */
#define CAMPAIGN_MAX_ARGS (40 + 2 * CAMPAIGN_MAX_PARAMS + 2 * CAMPAIGN_MAX_COSTS)
struct campaign_args {
	char *argv[CAMPAIGN_MAX_ARGS + 1];
	int argc;
	char store[8192]; /* formatted numbers and NAME=VALUE pairs */
};
int campaign_cell_args(const struct campaign *c, const struct campaign_cell *cell, const char *db,
		       const char *console, struct campaign_args *a);

/* Checks every cell's `vtlab run` arguments with `vtlab run`'s own checks
 * before anything runs (campaign_check.c); prints each distinct refusal
 * as "vtlab campaign: FILE:LINE: the cell ... cannot run" with the
 * message, at most 5; 0 when every cell can run, else -1. */
int campaign_check(const struct campaign *c, const struct campaign_cell *cells, size_t ncells,
		   const char *db);

/* The length of a database's name without its ".db": the stem of the
 * folders beside it, DB.logs/ and DB.shards/ (campaign_runner.c). */
size_t campaign_db_stem(const char *db);

/* Writes the Slurm job array of a campaign of ncells cells whose database
 * is db (campaign_slurm.c): the shard folder DB.shards/ and the script
 * DB.shards/NAME.sbatch (its path into script), running the cells with
 * the vtlab at `exe`.  0, or -1 with a message in err. */
int campaign_slurm_write(const struct campaign *c, size_t ncells, const char *db, const char *exe,
			 char *script, size_t len, char *err, size_t errlen);

/* PATH as one shell word: as it is when the shell takes it literally, else
 * in single quotes (campaign_slurm_write() refuses paths holding one). */
void campaign_fput_path(FILE *f, const char *path);

#endif
