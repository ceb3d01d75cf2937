/*
 * campaign_check.c - every cell of a campaign checked before any runs
 * (campaign.h campaign_check): its `vtlab run` arguments go through `vtlab
 * run`'s own checks (cmd_run_check) with stderr captured, and a refusal
 * is reported at the line of the campaign file's element at fault.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "commands.h"

#define MAX_CHECK_ERRORS 5

/* The line of the element an error of `vtlab run` is about: the message
 * starts "vtlab run: --OPTION...". */
static int line_of(const struct campaign *c, const char *msg)
{
	const char *o = strstr(msg, "vtlab run: --");
	if (!o)
		return 0;
	o += strlen("vtlab run: --");
	size_t len = strcspn(o, ": =");
	for (unsigned p = 0; p < c->nparams; p++)
		if (strlen(c->params[p].name) == len && strncmp(o, c->params[p].name, len) == 0)
			return c->params[p].line;
	if (strncmp(o, "config", len) == 0 || strncmp(o, "mmu", len) == 0 ||
	    strncmp(o, "pv", len) == 0)
		return c->configs.line;
	if (strncmp(o, "workload", len) == 0)
		return c->workloads.line;
	if (strncmp(o, "vcpus", len) == 0)
		return c->vcpus.line;
	if (strncmp(o, "cost", len) == 0) /* "unknown cost 'NAME'" */
		for (unsigned i = 0; i < c->ncosts; i++) {
			char quoted[80];
			snprintf(quoted, sizeof quoted, "'%s'", c->costs[i].name);
			if (strstr(o, quoted))
				return c->costs[i].line;
		}
	/* and the cost file's own errors, "--cost-file: FILE:LINE: ...": the
	 * <costs> element is where it is given */
	if (strncmp(o, "cost", len) == 0 || strncmp(o, "cost-file", len) == 0)
		return c->cost_file_line;
	return 0;
}

/* Runs cmd_run_check on a cell with stderr captured; 0 or the message. */
static int check_cell(const struct campaign *c, const struct campaign_cell *cell, const char *db,
		      char *msg, size_t len)
{
	struct campaign_args a;
	msg[0] = '\0';
	if (campaign_cell_args(c, cell, db, "-", &a)) {
		snprintf(msg, len, "the cell's arguments do not fit (too many or too long)");
		return -1;
	}
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	if (!tmp || saved < 0) {
		if (tmp)
			fclose(tmp);
		return cmd_run_check(a.argc, a.argv) ? -1 : 0;
	}
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	int r = cmd_run_check(a.argc, a.argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(msg, 1, len - 1, tmp);
	msg[n] = '\0';
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fclose(tmp);
	return r ? -1 : 0;
}

/* Checks the first repetition of every cell (the others differ only in
 * --sched-seed and --repetition); a message many cells share is shown
 * once, with the first of them. */
int campaign_check(const struct campaign *c, const struct campaign_cell *cells, size_t ncells,
		   const char *db)
{
	unsigned errors = 0;
	char msg[2048], label[1024], seen[MAX_CHECK_ERRORS][2048];
	for (size_t i = 0; i < ncells && errors < MAX_CHECK_ERRORS; i++) {
		const struct campaign_cell *cell = &cells[i];
		if (cell->repetition || check_cell(c, cell, db, msg, sizeof msg) == 0)
			continue;
		unsigned k = 0;
		while (k < errors && strcmp(seen[k], msg) != 0)
			k++;
		if (k < errors)
			continue;
		snprintf(seen[errors], sizeof seen[errors], "%s", msg);
		campaign_cell_label(c, cell, label, sizeof label);
		int line = line_of(c, msg);
		fprintf(stderr, "vtlab campaign: %s:%d: the cell \"%s\" cannot run:\n  %s\n",
			c->file, line ? line : 1, label, msg[0] ? msg : "(no message)");
		errors++;
	}
	if (errors)
		fprintf(stderr, "vtlab campaign: %s: nothing was run; fix the file and run again\n",
			c->file);
	return errors ? -1 : 0;
}
