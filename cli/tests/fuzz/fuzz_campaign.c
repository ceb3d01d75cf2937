/*
 * fuzz_campaign.c - libFuzzer target: campaign files (cli/campaign_xml.c)
 * and their cells (cli/campaign_plan.c) on arbitrary bytes.
 *
 * Feeds: the input is written to a file in /dev/shm and loaded with
 * campaign_load(); a loaded campaign is expanded with campaign_plan(), and
 * the first and last cells get their key, label and `vtlab run` arguments.
 *
 * Must hold (campaign.h): no sanitizer report, no allocation beyond
 * libFuzzer's limit, whatever the XML (entities, deep nesting, huge
 * lists); a refused file gives a message that starts with the file's
 * path; a loaded one has at least one configuration, workload and vCPU
 * count, every axis value non-empty and without white space, at most
 * CAMPAIGN_MAX_VALUES per axis; the plan has exactly the cells the axes
 * multiply to (params a configuration does not take counted once); every
 * argument vector ends with NULL, starts with "run" and holds the cell's
 * configuration.
 *
 * Build and run: scripts/fuzz.sh campaign.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"

static char path[64];

static void check_axis(const struct campaign_axis *ax)
{
	if (ax->n > CAMPAIGN_MAX_VALUES)
		abort();
	for (unsigned i = 0; i < ax->n; i++)
		if (!ax->values[i][0] || strpbrk(ax->values[i], " \t\r\n"))
			abort();
}

static size_t expected_cells(const struct campaign *c)
{
	size_t total = 0;
	for (unsigned ci = 0; ci < c->configs.n; ci++) {
		size_t n = (size_t)c->workloads.n * c->vcpus.n * c->repetitions;
		for (unsigned p = 0; p < c->nparams; p++)
			if (campaign_param_applies(c->params[p].name, c->configs.values[ci]))
				n *= c->params[p].n;
		total += n;
	}
	return total;
}

static void check_cell(const struct campaign *c, const struct campaign_cell *cell)
{
	char key[1024], label[1024];
	struct campaign_args a;
	campaign_cell_key(c, cell, key, sizeof key);
	campaign_cell_label(c, cell, label, sizeof label);
	if (strncmp(label, c->configs.values[cell->config],
		    strlen(c->configs.values[cell->config])))
		abort();
	if (campaign_cell_args(c, cell, "x.db", "-", &a) == 0) {
		if (a.argc > CAMPAIGN_MAX_ARGS || a.argv[a.argc] != NULL ||
		    strcmp(a.argv[0], "run"))
			abort();
		int config = 0;
		for (int i = 0; i + 1 < a.argc; i++)
			config |= strcmp(a.argv[i], "--config") == 0 &&
				  strcmp(a.argv[i + 1], c->configs.values[cell->config]) == 0;
		if (!config)
			abort();
	}
}

static void check_loaded(const struct campaign *c)
{
	if (!c->name || !c->configs.n || !c->workloads.n || !c->vcpus.n || !c->repetitions)
		abort();
	check_axis(&c->configs);
	check_axis(&c->workloads);
	check_axis(&c->vcpus);
	for (unsigned p = 0; p < c->nparams; p++)
		check_axis(&c->params[p]);
	struct campaign_cell *cells;
	size_t n;
	char err[512];
	size_t want = expected_cells(c);
	if (campaign_plan(c, &cells, &n, err, sizeof err) != 0) {
		if (want <= CAMPAIGN_MAX_CELLS)
			abort();
		return;
	}
	if (n != want || n == 0)
		abort();
	check_cell(c, &cells[0]);
	check_cell(c, &cells[n - 1]);
	free(cells);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0])
		snprintf(path, sizeof path, "/dev/shm/vtlab-fuzz-campaign-%d.xml", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct campaign c;
	char err[8192];
	if (campaign_load(path, &c, err, sizeof err) == 0) {
		check_loaded(&c);
		campaign_free(&c);
	} else if (strncmp(err, path, strlen(path)) != 0) {
		abort();
	}
	unlink(path);
	return 0;
}
