/*
 * test_campaign.c - unit test of campaign files (cli/campaign_xml.c) and
 * their cells (cli/campaign_plan.c): the compiled schema is current, the
 * shipped campaigns load, every kind of bad file is refused with its line,
 * the cross product skips params a configuration does not take, and each
 * cell's `vtlab run` arguments are the ones the campaign asks for.
 * Running cells is checked end to end by cli/tests/check-campaign.sh.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_schema.h"
#include "check.h"
#include "test_files.h"

static char scratch[] = "/tmp/vtlab-test-campaign-XXXXXX";
static char top[512]; /* the source tree, from __FILE__ */

/* Writes `text` to scratch/NAME and returns its path (static buffer). */
static const char *write_campaign(const char *name, const char *text)
{
	static char path[600];
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

#define HEAD "<?xml version=\"1.0\"?>\n"

static void test_schema_in_sync(void)
{
	char path[600];
	snprintf(path, sizeof path, "%scampaigns/campaign.xsd", top);
	char *text = test_read_file(path);
	CHECK(text && strcmp(text, campaign_campaign_xsd) == 0,
	      "cli/campaign_schema.c is stale for %s: run make", path);
	free(text);
}

static void test_shipped_campaigns_load(void)
{
	char pattern[600], err[4096];
	glob_t g;
	snprintf(pattern, sizeof pattern, "%scampaigns/*.xml", top);
	CHECK(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc >= 3, "shipped campaigns: %s", pattern);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct campaign c;
		int r = campaign_load(g.gl_pathv[i], &c, err, sizeof err);
		CHECK(r == 0, "%s: %s", g.gl_pathv[i], err);
		struct campaign_cell *cells = NULL;
		size_t n = 0;
		CHECK(r || campaign_plan(&c, &cells, &n, err, sizeof err) == 0, "%s: plan: %s",
		      g.gl_pathv[i], err);
		CHECK(r || n > 0, "%s: no cells", g.gl_pathv[i]);
		free(cells);
		if (r == 0)
			campaign_free(&c);
	}
	globfree(&g);
}

/* Loading `text` fails with a message holding "FILE:LINE:" and `what`. */
static void expect_error(const char *name, const char *text, int line, const char *what)
{
	struct campaign c;
	char err[4096], where[700];
	const char *path = write_campaign(name, text);
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == -1, "%s: loaded", name);
	if (r == 0) {
		campaign_free(&c);
		return;
	}
	if (line > 0)
		snprintf(where, sizeof where, "%s:%d: ", path, line);
	else
		snprintf(where, sizeof where, "%s: ", path);
	CHECK(strstr(err, where) != NULL, "%s: no '%s' in: %s", name, where, err);
	CHECK(strstr(err, what) != NULL, "%s: no '%s' in: %s", name, what, err);
}

/* Loading `text` gives `problems` lines: each problem said once (the
 * validator restates a bad value as not of its type: not shown). */
static void one_line_each(const char *name, const char *text, int problems)
{
	struct campaign c;
	char err[4096];
	const char *path = write_campaign(name, text);
	CHECK(campaign_load(path, &c, err, sizeof err) == -1, "%s: loaded", name);
	int lines = 1;
	for (const char *p = strchr(err, '\n'); p; p = strchr(p + 1, '\n'))
		lines++;
	CHECK(lines == problems && !strstr(err, "is not a valid value of the list type"),
	      "%s: %d lines, not %d: %s", name, lines, problems, err);
}

static void test_bad_files(void)
{
	char path[600], err[512];
	struct campaign c;
	snprintf(path, sizeof path, "%s/none.xml", scratch);
	CHECK(campaign_load(path, &c, err, sizeof err) == -1 &&
		      strstr(err, "cannot open the campaign file") != NULL,
	      "absent file: %s", err);
	CHECK(campaign_load(scratch, &c, err, sizeof err) == -1 &&
		      strstr(err, "cannot open the campaign file: Is a directory") != NULL &&
		      !strchr(err, '\n'),
	      "a directory: %s", err);
	expect_error("truncated.xml",
		     HEAD "<campaign name=\"t\">\n<configs>native</configs>\n<workloads>kbuild", 4,
		     "Premature end of data");
	expect_error("not-xml.xml", "configs = native\n", 1, "");
	expect_error("bad-config.xml",
		     HEAD "<campaign name=\"t\">\n<configs>native XTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		     3, "'XTVT'");
	expect_error("bad-vcpus.xml",
		     HEAD "<campaign name=\"t\">\n<configs>native</configs>\n"
			  "<workloads>kbuild</workloads>\n<vcpus>1 9</vcpus></campaign>\n",
		     5, "vcpus");
	expect_error("vcpus-word.xml",
		     HEAD "<campaign name=\"t\">\n<configs>native</configs>\n"
			  "<workloads>kbuild</workloads>\n<vcpus>two</vcpus></campaign>\n",
		     5,
		     "'two' is not a valid value of the atomic type 'vcpuCount' (expected a "
		     "vCPU count from 1 to 8).");
	one_line_each("restated.xml",
		      HEAD "<campaign name=\"t\">\n<configs></configs>\n"
			   "<workloads>kbuil</workloads>\n<vcpus>9</vcpus></campaign>\n",
		      3);
	/* two problems on one line: both said */
	one_line_each("one-line.xml",
		      HEAD "<campaign name=\"t\"><configs>HTVX</configs><workloads>kbuild"
			   "</workloads><vcpus>two</vcpus></campaign>\n",
		      2);
	expect_error("bad-workload.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>sysbench:disk</workloads><vcpus>1</vcpus></campaign>\n",
		     3, "sysbench:disk");
	expect_error("no-vcpus.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads>\n</campaign>\n",
		     2, "Expected is ( vcpus )");
	expect_error("bad-param.xml",
		     HEAD "<campaign name=\"t\"><configs>HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"buckets\">64</param></campaign>\n",
		     4, "'buckets'");
	expect_error("param-twice.xml",
		     HEAD "<campaign name=\"t\"><configs>HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"track\">full</param>\n"
			  "<param name=\"track\">partial</param></campaign>\n",
		     5, "track");
	expect_error("value-twice.xml",
		     HEAD "<campaign name=\"t\"><configs>native\n HTVT STVT HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		     2, "'HTVT' is given twice");
	expect_error("number-twice.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1 2 01</vcpus>\n"
			  "<param name=\"mem\">256M 268435456</param></campaign>\n",
		     3, "'1' and '01' are the same value");
	expect_error("size-twice.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"mem\">256M 268435456</param></campaign>\n",
		     4, "'256M' and '268435456' are the same value");
	expect_error("doctype.xml",
		     HEAD "<!DOCTYPE campaign [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			  "<campaign name=\"t\"><description>&x;</description>\n"
			  "<configs>native</configs><workloads>kbuild</workloads>"
			  "<vcpus>1</vcpus></campaign>\n",
		     2, "DOCTYPE");
	/* a "<!DOCTYPE" on a long line, across the 4 KiB that fgets read at
	 * a time, is found at its line all the same */
	char longline[8192];
	snprintf(longline, sizeof longline,
		 HEAD "<!--%4083d--><!DOCTYPE campaign>\n"
		      "<campaign name=\"t\"><configs>native</configs>"
		      "<workloads>kbuild</workloads><vcpus>1</vcpus>"
		      "</campaign>\n",
		 0);
	expect_error("doctype-long-line.xml", longline, 2, "DOCTYPE");
	expect_error("unknown-element.xml",
		     HEAD
		     "<campaign name=\"t\"><configs>native</configs>\n"
		     "<workloads>kbuild</workloads><vcpus>1</vcpus>\n<jobs>4</jobs></campaign>\n",
		     4, "jobs");
	expect_error("sweep-alone.xml",
		     HEAD "<campaign name=\"t\"><configs>native HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"vtlb-buckets\">64 256</param>\n"
			  "<output charts=\"perf sweep\"/></campaign>\n",
		     5, "sweep-param");
	expect_error("sweep-unswept.xml",
		     HEAD "<campaign name=\"t\"><configs>native HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"vtlb-buckets\">64</param>\n"
			  "<output charts=\"sweep\" sweep-param=\"vtlb-buckets\"/></campaign>\n",
		     5, "two or more values");
	expect_error("param-taken-by-none.xml",
		     HEAD "<campaign name=\"t\"><configs>native STVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"vtlb-buckets\">64 256</param></campaign>\n",
		     4,
		     "no configuration of <configs> takes it, so no cell would run with it; "
		     "add one that does (HTVT HTPV)");
	/* every param is checked, not only up to the first that applies */
	expect_error("second-param-taken-by-none.xml",
		     HEAD "<campaign name=\"t\"><configs>native STVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"mem\">512M</param>\n"
			  "<param name=\"vtlb-buckets\">64 256</param></campaign>\n",
		     5, "<param name=\"vtlb-buckets\">: no configuration of <configs> takes it");
	expect_error("scaling-one-count.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads>\n<vcpus>2</vcpus>\n"
			  "<output charts=\"perf scaling\"/></campaign>\n",
		     5, "the scaling chart needs two or more <vcpus> values (line 4 has one)");
	expect_error("huge-limit.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<limits max-seconds=\"4294967297\"/></campaign>\n",
		     4, "max-seconds");
	expect_error("bad-name.xml",
		     HEAD "<campaign name=\"a b\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		     2, "name");
	/* what a value of the type must be, where libxml2 names only the type */
	expect_error("small-yes.xml",
		     HEAD
		     "<campaign name=\"t\"><configs>native</configs>\n"
		     "<workloads small=\"yes\">kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		     3, "'xs:boolean' (expected true or false).");
	expect_error("cost-minus.xml",
		     HEAD "<campaign name=\"t\"><configs>STVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus><costs>\n"
			  "<cost name=\"vm_exit\" value=\"-1\"/></costs></campaign>\n",
		     4, "'xs:nonNegativeInteger' (expected a whole number, 0 or more).");
	expect_error("repetitions-word.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<repetitions>x</repetitions></campaign>\n",
		     4,
		     "'x' is not a valid value of the atomic type 'repetitionCount' (expected a "
		     "whole number from 1 to 100).");
	expect_error("limits-word.xml",
		     HEAD "<campaign name=\"t\"><configs>native</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<limits max-seconds=\"1h\"/></campaign>\n",
		     4, "'maxSeconds' (expected a whole number of seconds from 0 to 1000000000).");
	/* the same problem on two lines is said twice, once for each line */
	one_line_each("two-bad-costs.xml",
		      HEAD "<campaign name=\"t\"><configs>STVT</configs>\n"
			   "<workloads>kbuild</workloads><vcpus>1</vcpus><costs>\n"
			   "<cost name=\"vm_exit\" value=\"x\"/>\n"
			   "<cost name=\"vm_exit\" value=\"x\"/></costs></campaign>\n",
		      2);
	expect_error("sweep-param-alone.xml",
		     HEAD "<campaign name=\"t\"><configs>native HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"vtlb-buckets\">64 256</param>\n"
			  "<output charts=\"perf\" sweep-param=\"vtlb-buckets\"/></campaign>\n",
		     5, "the sweep chart and sweep-param go together");
	/* another param's two values do not make sweep-param's one a sweep */
	expect_error("sweep-other-param.xml",
		     HEAD "<campaign name=\"t\"><configs>native HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus>\n"
			  "<param name=\"mem\">512M</param>\n"
			  "<param name=\"vtlb-buckets\">64 256</param>\n"
			  "<output charts=\"sweep\" sweep-param=\"mem\"/></campaign>\n",
		     6, "no <param name=\"mem\"> with two or more values");
	/* 5 x HTVT: 10 "given twice", the most said, and no "0 more" */
	one_line_each("ten-problems.xml",
		      HEAD "<campaign name=\"t\"><configs>HTVT HTVT HTVT HTVT HTVT</configs>\n"
			   "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		      10);
	/* 6 x HTVT: 15 "given twice"; 10 are said, then how many more */
	one_line_each("many-problems.xml",
		      HEAD "<campaign name=\"t\"><configs>HTVT HTVT HTVT HTVT HTVT HTVT</configs>\n"
			   "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		      11);
	expect_error("many-problems.xml",
		     HEAD "<campaign name=\"t\"><configs>HTVT HTVT HTVT HTVT HTVT HTVT</configs>\n"
			  "<workloads>kbuild</workloads><vcpus>1</vcpus></campaign>\n",
		     0, "... and 5 more problems");
	/* Latin-1 in a file that says nothing of its encoding: libxml2 gives
	 * the bytes on a line of their own; every line is "FILE:LINE: ". */
	expect_error("latin1.xml",
		     HEAD "<campaign name=\"t\">\n<description>caf\xe9</description>\n"
			  "<configs>native</configs><workloads>kbuild</workloads><vcpus>1</vcpus>"
			  "</campaign>\n",
		     3, "Bytes: 0xE9");
	const char *latin1 =
		write_campaign("latin1.xml", HEAD "<campaign name=\"t\">\n"
						  "<description>caf\xe9</description>\n"
						  "</campaign>\n");
	CHECK(campaign_load(latin1, &c, err, sizeof err) == -1 && !strchr(err, '\n') &&
		      strstr(err, "save the file as UTF-8"),
	      "one line, with the fix: %s", err);
}

static const char sweep[] =
	HEAD "<campaign name=\"sweep\">\n"
	     "  <description>a sweep</description>\n"
	     "  <configs>native STVT HTVT EPT</configs>\n"
	     "  <workloads small=\"true\">kbuild sysbench:cpu</workloads>\n"
	     "  <vcpus>1 2</vcpus>\n"
	     "  <param name=\"mem\">512M</param>\n"
	     "  <param name=\"vtlb-buckets\">64 4096</param>\n"
	     "  <param name=\"guest-vhpt-walker\">off on</param>\n"
	     "  <repetitions>3</repetitions>\n"
	     "  <costs file=\"my.costs\"><cost name=\"vm_exit\" value=\"1600\"/></costs>\n"
	     "  <limits max-seconds=\"60\"/>\n"
	     "  <trace>exits,faults</trace>\n"
	     "  <output db=\"out/sweep.db\" charts=\"perf scaling\" format=\"pdf\"/>\n"
	     "</campaign>\n";

static void test_load_fields(const struct campaign *c, const char *path)
{
	char costs[700];
	snprintf(costs, sizeof costs, "%s/my.costs", scratch);
	CHECK(strcmp(c->name, "sweep") == 0 && strcmp(c->description, "a sweep") == 0, "name");
	CHECK(strcmp(c->file, path) == 0, "file");
	CHECK(c->configs.n == 4 && strcmp(c->configs.values[3], "EPT") == 0 && c->configs.line == 4,
	      "configs: %u, line %d", c->configs.n, c->configs.line);
	CHECK(c->workloads.n == 2 && strcmp(c->workloads.values[1], "sysbench:cpu") == 0 &&
		      c->small,
	      "workloads");
	CHECK(c->vcpus.n == 2 && c->nparams == 3 && c->params[1].n == 2 &&
		      strcmp(c->params[1].name, "vtlb-buckets") == 0 && c->params[1].line == 8,
	      "params");
	CHECK(c->repetitions == 3 && c->max_seconds == 60, "repetitions %u, max-seconds %u",
	      c->repetitions, c->max_seconds);
	CHECK(c->cost_file && strcmp(c->cost_file, costs) == 0, "cost file beside the campaign: %s",
	      c->cost_file ? c->cost_file : "(none)");
	CHECK(c->ncosts == 1 && strcmp(c->costs[0].name, "vm_exit") == 0 &&
		      strcmp(c->costs[0].value, "1600") == 0 && c->costs[0].line == 11,
	      "costs");
	CHECK(strcmp(c->trace, "exits,faults") == 0, "trace");
	CHECK(strcmp(c->db, "out/sweep.db") == 0 && strcmp(c->charts, "perf scaling") == 0 &&
		      strcmp(c->format, "pdf") == 0,
	      "output");
}

/* native: 2 workloads x 2 vCPUs x 3 reps (mem only); STVT: x walker 2;
 * HTVT: x walker 2 x buckets 2; EPT: as native. */
static void test_plan(const struct campaign *c)
{
	struct campaign_cell *cells = NULL;
	size_t n = 0;
	char err[256], key[256], label[256];
	CHECK(campaign_plan(c, &cells, &n, err, sizeof err) == 0, "plan: %s", err);
	CHECK(n == 12 + 24 + 48 + 12, "cells: %zu", n);
	if (n != 96) {
		free(cells);
		return;
	}
	campaign_cell_key(c, &cells[0], key, sizeof key);
	CHECK(strcmp(key, "mem=512M") == 0, "native key: %s", key);
	campaign_cell_label(c, &cells[0], label, sizeof label);
	CHECK(strcmp(label, "native kbuild 1 vCPU mem=512M rep 1/3") == 0, "label: %s", label);
	/* The first HTVT cell, then the fastest-varying axes in file order. */
	const struct campaign_cell *h = &cells[36];
	campaign_cell_key(c, h, key, sizeof key);
	CHECK(h->config == 2 && strcmp(key, "mem=512M vtlb-buckets=64 guest-vhpt-walker=off") == 0,
	      "HTVT key: %s", key);
	campaign_cell_key(c, h + 3, key, sizeof key);
	CHECK(strcmp(key, "mem=512M vtlb-buckets=64 guest-vhpt-walker=on") == 0 &&
		      h[2].repetition == 2,
	      "walker varies after the repetitions: %s", key);
	campaign_cell_label(c, &cells[95], label, sizeof label);
	CHECK(strcmp(label, "EPT sysbench:cpu 2 vCPUs mem=512M rep 3/3") == 0, "last: %s", label);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (memcmp(&cells[i], &cells[j], sizeof cells[i]) == 0)
				CHECK(0, "cells %zu and %zu are the same", i, j);
	free(cells);
}

static int find_arg(const struct campaign_args *a, const char *opt, const char *value)
{
	for (int i = 0; i + 1 < a->argc; i++)
		if (strcmp(a->argv[i], opt) == 0)
			return !value || strcmp(a->argv[i + 1], value) == 0;
	return 0;
}

static void test_args(const struct campaign *c)
{
	struct campaign_cell cell = { .config = 2, .workload = 1, .vcpus = 1, .repetition = 2 };
	cell.param[0] = 0;
	cell.param[1] = 1;
	cell.param[2] = 1;
	for (int p = 3; p < CAMPAIGN_MAX_PARAMS; p++)
		cell.param[p] = -1;
	struct campaign_args a;
	CHECK(campaign_cell_args(c, &cell, "x.db", "-", &a) == 0, "args");
	CHECK(strcmp(a.argv[0], "run") == 0 && a.argv[a.argc] == NULL, "argv shape");
	CHECK(find_arg(&a, "--workload", "sysbench:cpu") && find_arg(&a, "--config", "HTVT") &&
		      find_arg(&a, "--vcpus", "2"),
	      "cell axes");
	int small = 0;
	for (int i = 0; i < a.argc; i++)
		small |= strcmp(a.argv[i], "--small") == 0;
	CHECK(small, "--small");
	CHECK(find_arg(&a, "--mem", "512M") && find_arg(&a, "--vtlb-buckets", "4096") &&
		      find_arg(&a, "--guest-vhpt-walker", "on"),
	      "params");
	CHECK(find_arg(&a, "--sched-seed", "3"), "repetition 2 runs with --sched-seed 3");
	CHECK(find_arg(&a, "--cost", "vm_exit=1600") && find_arg(&a, "--cost-file", NULL) &&
		      find_arg(&a, "--max-seconds", "60") &&
		      find_arg(&a, "--trace", "exits,faults"),
	      "costs, limits, trace");
	CHECK(find_arg(&a, "--db", "x.db") && find_arg(&a, "--campaign", "sweep") &&
		      find_arg(&a, "--repetition", "2") &&
		      find_arg(&a, "--campaign-cell",
			       "mem=512M vtlb-buckets=4096 guest-vhpt-walker=on"),
	      "campaign identity");
}

/* The first STVT cell of the sweep (cells 0-11 are native's): STVT takes
 * no vtlb-buckets, so its `vtlab run` has none (vtlab run refuses
 * --vtlb-buckets for STVT). */
static void test_args_not_taken(const struct campaign *c)
{
	struct campaign_cell *cells = NULL;
	size_t n = 0;
	char err[256];
	struct campaign_args a;
	CHECK(campaign_plan(c, &cells, &n, err, sizeof err) == 0 && n > 12, "plan: %s", err);
	if (n > 12) {
		CHECK(c->configs.n > cells[12].config &&
			      strcmp(c->configs.values[cells[12].config], "STVT") == 0 &&
			      campaign_cell_args(c, &cells[12], "x.db", "-", &a) == 0 &&
			      !find_arg(&a, "--vtlb-buckets", NULL) &&
			      find_arg(&a, "--guest-vhpt-walker", "off") &&
			      find_arg(&a, "--mem", "512M"),
		      "STVT: the params it takes, not --vtlb-buckets");
	}
	free(cells);
}

/* A key cut short by a small buffer is a prefix of the whole, and nothing
 * is written past the buffer. */
static void test_key_cut(const struct campaign *c)
{
	struct campaign_cell cell = { .config = 2 };
	for (int p = 0; p < CAMPAIGN_MAX_PARAMS; p++)
		cell.param[p] = p < 3 ? 0 : -1;
	struct {
		char key[8];
		char after[64];
	} b;
	memset(&b, 0, sizeof b);
	campaign_cell_key(c, &cell, b.key, sizeof b.key);
	int clean = 1;
	for (size_t i = 0; i < sizeof b.after; i++)
		clean &= b.after[i] == 0;
	CHECK(strcmp(b.key, "mem=512") == 0 && clean, "key in 8 bytes: '%s', after it %s", b.key,
	      clean ? "untouched" : "written");
}

static void test_sched_seed_param_wins(void)
{
	struct campaign c;
	char err[1024];
	const char *path = write_campaign(
		"seed.xml", HEAD "<campaign name=\"s\"><configs>native</configs>\n"
				 "<workloads>jbb</workloads><vcpus>2</vcpus>\n"
				 "<param name=\"sched-seed\">7</param><repetitions>2</repetitions>"
				 "</campaign>\n");
	CHECK(campaign_load(path, &c, err, sizeof err) == 0, "load: %s", err);
	struct campaign_cell cell = { .repetition = 1 };
	for (int p = 1; p < CAMPAIGN_MAX_PARAMS; p++)
		cell.param[p] = -1;
	struct campaign_args a;
	CHECK(campaign_cell_args(&c, &cell, "x.db", "-", &a) == 0, "args");
	unsigned seeds = 0;
	for (int i = 0; i < a.argc; i++)
		seeds += strcmp(a.argv[i], "--sched-seed") == 0;
	CHECK(seeds == 1 && find_arg(&a, "--sched-seed", "7"), "one --sched-seed, the file's");
	CHECK(c.db == NULL && c.charts == NULL && strcmp(c.format, "png") == 0 &&
		      c.max_seconds == 3600 && !c.small,
	      "defaults");
	campaign_free(&c);
}

/* The schema ignores the whitespace around a token, so the campaign must
 * too: small=" true " is the small preset, not the full-size run. */
static void test_spaces_around_tokens(void)
{
	struct campaign c;
	char err[1024];
	const char *path = write_campaign(
		"spaces.xml", HEAD "<campaign name=\" sp \"><configs>HTVT</configs>\n"
				   "<workloads small=\" true \">jbb</workloads><vcpus>1</vcpus>\n"
				   "<param name=\" vtlb-buckets \">64</param>\n"
				   "<costs><cost name=\" vm_exit \" value=\" 9 \"/></costs>\n"
				   "<trace>\n  exits\n</trace>\n"
				   "<output format=\" svg \" db=\" a b.db\"/></campaign>\n");
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0, "load: %s", err);
	if (r)
		return;
	CHECK(c.small && strcmp(c.name, "sp") == 0 && strcmp(c.params[0].name, "vtlb-buckets") == 0,
	      "small %d, name '%s', param '%s'", c.small, c.name, c.params[0].name);
	CHECK(strcmp(c.costs[0].name, "vm_exit") == 0 && strcmp(c.costs[0].value, "9") == 0 &&
		      strcmp(c.trace, "exits") == 0 && strcmp(c.format, "svg") == 0,
	      "cost '%s'='%s', trace '%s', format '%s'", c.costs[0].name, c.costs[0].value, c.trace,
	      c.format);
	CHECK(strcmp(c.db, " a b.db") == 0, "a path keeps its spaces: '%s'", c.db);
	campaign_free(&c);
}

/* An axis is split at any whitespace, with none left at its ends (no
 * empty value); comments and line breaks among the <cost> elements are
 * not costs; a version 1.1 document (a libxml2 warning) loads. */
static void test_whitespace_and_comments(void)
{
	struct campaign c;
	char err[1024];
	const char *path = write_campaign(
		"ws.xml",
		"<?xml version=\"1.1\"?>\n"
		"<campaign name=\"w\"><configs> STVT\tHTVT\n</configs>\n"
		"<workloads>jbb</workloads><vcpus>\n\t1\t2\r\n </vcpus>\n"
		"<costs>\n  <!-- the one cost -->\n  <cost name=\"vm_exit\" value=\"9\"/>\n"
		"</costs></campaign>\n");
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0, "load: %s", err);
	if (r)
		return;
	CHECK(c.configs.n == 2 && strcmp(c.configs.values[0], "STVT") == 0 &&
		      strcmp(c.configs.values[1], "HTVT") == 0,
	      "configs: %u", c.configs.n);
	CHECK(c.vcpus.n == 2 && strcmp(c.vcpus.values[0], "1") == 0 &&
		      strcmp(c.vcpus.values[1], "2") == 0,
	      "vcpus: %u, '%s'", c.vcpus.n, c.vcpus.n ? c.vcpus.values[0] : "");
	CHECK(c.ncosts == 1 && c.costs[0].name && strcmp(c.costs[0].name, "vm_exit") == 0,
	      "costs: %u", c.ncosts);
	campaign_free(&c);
}

/* A cost's value is passed whole, however long (leading zeros). */
static void test_long_cost_value(void)
{
	struct campaign c;
	char err[1024], xml[1024], value[300];
	memset(value, '0', 200);
	snprintf(value + 200, sizeof value - 200, "1600");
	snprintf(xml, sizeof xml,
		 HEAD "<campaign name=\"c\"><configs>STVT</configs><workloads>jbb</workloads>"
		      "<vcpus>1</vcpus><costs><cost name=\"vm_exit\" value=\"%s\"/></costs>"
		      "</campaign>\n",
		 value);
	const char *path = write_campaign("cost.xml", xml);
	CHECK(campaign_load(path, &c, err, sizeof err) == 0, "load: %s", err);
	struct campaign_cell cell = { .repetition = 0 };
	for (int p = 0; p < CAMPAIGN_MAX_PARAMS; p++)
		cell.param[p] = -1;
	struct campaign_args a;
	char pair[320];
	snprintf(pair, sizeof pair, "vm_exit=%s", value);
	CHECK(campaign_cell_args(&c, &cell, "x.db", "-", &a) == 0 && find_arg(&a, "--cost", pair),
	      "--cost vm_exit=0...01600, not cut");
	campaign_free(&c);
}

static void test_sweep(void)
{
	struct campaign c;
	char err[4096];
	const char *path = write_campaign("sweep.xml", sweep);
	char copy[600];
	snprintf(copy, sizeof copy, "%s", path);
	int r = campaign_load(copy, &c, err, sizeof err);
	CHECK(r == 0, "sweep: %s", err);
	if (r)
		return;
	test_load_fields(&c, copy);
	test_plan(&c);
	test_args(&c);
	test_args_not_taken(&c);
	test_key_cut(&c);
	campaign_free(&c);
}

/* One repetition and no params: no --sched-seed (the default seed), and
 * a label without a key or "rep 1/1". */
static void test_one_repetition(void)
{
	struct campaign c;
	char err[1024], label[128];
	const char *path = write_campaign(
		"one.xml", HEAD "<campaign name=\"one\"><configs>STVT</configs>\n"
				"<workloads>jbb</workloads><vcpus>1</vcpus></campaign>\n");
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0 && c.repetitions == 1, "load: %s", err);
	if (r)
		return;
	struct campaign_cell cell = { .repetition = 0 };
	for (int p = 0; p < CAMPAIGN_MAX_PARAMS; p++)
		cell.param[p] = -1;
	struct campaign_args a;
	CHECK(campaign_cell_args(&c, &cell, "x.db", "-", &a) == 0 &&
		      !find_arg(&a, "--sched-seed", NULL),
	      "one repetition: no --sched-seed");
	campaign_cell_label(&c, &cell, label, sizeof label);
	CHECK(strcmp(label, "STVT jbb 1 vCPU") == 0, "label: '%s'", label);
	campaign_free(&c);
}

/* CAMPAIGN_MAX_CELLS cells are planned, one more is refused: 10000
 * repetitions of 10 values, then 9091 of 11 (100001). */
static void test_cell_limit(void)
{
	struct campaign c = { .file = "big.xml", .repetitions = 10000, .nparams = 1 };
	c.configs = (struct campaign_axis){ .values = { "native" }, .n = 1 };
	c.workloads = (struct campaign_axis){ .values = { "jbb" }, .n = 1 };
	c.vcpus = (struct campaign_axis){ .values = { "1" }, .n = 1 };
	c.params[0] = (struct campaign_axis){ .name = "mem", .n = 10 };
	struct campaign_cell *cells = NULL;
	size_t n = 0;
	char err[256] = "";
	CHECK(campaign_plan(&c, &cells, &n, err, sizeof err) == 0 && n == CAMPAIGN_MAX_CELLS,
	      "%d cells: %zu (%s)", CAMPAIGN_MAX_CELLS, n, err);
	free(cells);
	cells = NULL;
	c.repetitions = 9091;
	c.params[0].n = 11;
	CHECK(campaign_plan(&c, &cells, &n, err, sizeof err) == -1 &&
		      strstr(err, "more than 100000 cells"),
	      "100001 cells: refused: %s", err);
	free(cells);
}

static void test_applies(void)
{
	CHECK(!campaign_param_applies("vtlb-buckets", "STVT") &&
		      campaign_param_applies("vtlb-buckets", "HTPV"),
	      "hash knobs");
	CHECK(campaign_param_applies("track", "STPV") && !campaign_param_applies("track", "EPT") &&
		      !campaign_param_applies("track", "native"),
	      "Svtlb knobs");
	CHECK(campaign_param_applies("dtlb", "native") && campaign_param_applies("mem", "EPT"),
	      "machine params");
}

/* An axis takes CAMPAIGN_MAX_VALUES values, and refuses one more. */
static void test_most_values(void)
{
	char xml[2048], values[1024] = "";
	for (int i = 1; i <= CAMPAIGN_MAX_VALUES + 1; i++) {
		const char *fmt = i > 1 ? " %d" : "%d";
		snprintf(values + strlen(values), sizeof values - strlen(values), fmt, i);
		if (i < CAMPAIGN_MAX_VALUES)
			continue;
		snprintf(xml, sizeof xml,
			 HEAD "<campaign name=\"v\"><configs>native</configs>\n"
			      "<workloads>jbb</workloads><vcpus>1</vcpus>\n"
			      "<param name=\"sched-seed\">%s</param></campaign>\n",
			 values);
		if (i == CAMPAIGN_MAX_VALUES) {
			struct campaign c;
			char err[1024];
			int r = campaign_load(write_campaign("most.xml", xml), &c, err, sizeof err);
			CHECK(r == 0 && c.params[0].n == CAMPAIGN_MAX_VALUES &&
				      strcmp(c.params[0].values[CAMPAIGN_MAX_VALUES - 1], "32") ==
					      0,
			      "%d values: %s", CAMPAIGN_MAX_VALUES, err);
			if (r == 0)
				campaign_free(&c);
		} else {
			expect_error("one-too-many.xml", xml, 4,
				     "sched-seed: more than 32 values (the most one axis takes)");
		}
	}
}

/* Defaults and paths as campaign.h and campaigns/README.md give them. */
static void test_load_defaults(void)
{
	struct campaign c;
	char err[1024];
	const char *path = write_campaign("defaults.xml", HEAD
					  "<campaign name=\"d\"><configs>STVT</configs>\n"
					  "<workloads small=\"1\">jbb</workloads><vcpus>1</vcpus>\n"
					  "<costs file=\"/etc/abs.costs\"/><limits/>\n"
					  "<output db=\"x.db\" charts=\" \"/></campaign>\n");
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0, "load: %s", err);
	if (r)
		return;
	CHECK(c.small, "small=\"1\" is true (xs:boolean)");
	CHECK(c.cost_file && strcmp(c.cost_file, "/etc/abs.costs") == 0 && c.cost_file_line == 4,
	      "an absolute cost file is kept as it is: '%s', line %d",
	      c.cost_file ? c.cost_file : "(none)", c.cost_file_line);
	CHECK(c.max_seconds == 3600, "<limits/>: max-seconds %u, not the default 3600",
	      c.max_seconds);
	CHECK(c.format && strcmp(c.format, "png") == 0, "<output> without format: '%s'",
	      c.format ? c.format : "(null)");
	CHECK(c.charts == NULL, "charts=\" \": none, not '%s'", c.charts ? c.charts : "");
	campaign_free(&c);
	path = write_campaign(
		"small0.xml",
		HEAD "<campaign name=\"d\"><configs>STVT</configs>\n"
		     "<workloads small=\"0\">jbb</workloads><vcpus>1</vcpus></campaign>\n");
	r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0 && !c.small, "small=\"0\" is false: %s", err);
	if (r == 0)
		campaign_free(&c);
}

/* The Slurm job array of a campaign (campaign_slurm.c): DB.shards/ made
 * beside the database, NAME.sbatch in it, an array of one task per cell,
 * the time limit max-seconds plus five minutes, every path absolute, and
 * % doubled in --output (Slurm reads %a and the like). */
static void test_slurm(void)
{
	struct campaign c;
	char err[1024], script[1200], db[700], want[2400];
	const char *path =
		write_campaign("slurm.xml", HEAD "<campaign name=\"sl\"><configs>native</configs>\n"
						 "<workloads>jbb</workloads><vcpus>1</vcpus>\n"
						 "<limits max-seconds=\"3599\"/></campaign>\n");
	int r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0, "load: %s", err);
	if (r)
		return;
	snprintf(db, sizeof db, "%s/r%%j.sqlite", scratch);
	r = campaign_slurm_write(&c, 7, db, "/opt/vtlab", script, sizeof script, err, sizeof err);
	CHECK(r == 0, "slurm: %s", err);
	snprintf(want, sizeof want, "%s/r%%j.sqlite.shards/sl.sbatch", scratch);
	CHECK(r || strcmp(script, want) == 0, "script at %s, not %s", script, want);
	char *text = r ? NULL : test_read_file(script);
	CHECK(text && strstr(text, "#SBATCH --array=0-6\n") &&
		      strstr(text, "#SBATCH --time=1:04:59\n") &&
		      strstr(text, "#SBATCH --job-name=vtlab-sl\n"),
	      "array, time (3599 s + 300), name: %s", text ? text : "(none)");
	snprintf(want, sizeof want, "#SBATCH --output=\"%s/r%%%%j.sqlite.shards/cell-%%a.log\"\n",
		 scratch);
	CHECK(text && strstr(text, want), "no '%s' in: %s", want, text ? text : "(none)");
	snprintf(want, sizeof want,
		 "exec '/opt/vtlab' campaign '%s' --cell \"$task\" --db "
		 "'%s/r%%j.sqlite.shards/cell-'\"$task\"'.db' --no-charts\n",
		 path, scratch);
	CHECK(text && strstr(text, want), "no '%s' in: %s", want, text ? text : "(none)");
	snprintf(want, sizeof want,
		 "#   /opt/vtlab merge --db '%s/r%%j.sqlite' '%s/r%%j.sqlite.shards'/cell-*.db\n",
		 scratch, scratch);
	CHECK(text && strstr(text, want), "no '%s' in: %s", want, text ? text : "(none)");
	free(text);
	/* no limit, no --time; the folder already made is no error */
	c.max_seconds = 0;
	r = campaign_slurm_write(&c, 1, db, "/opt/vtlab", script, sizeof script, err, sizeof err);
	text = r ? NULL : test_read_file(script);
	CHECK(text && !strstr(text, "--time") && strstr(text, "#SBATCH --array=0-0\n"),
	      "max-seconds 0: %s", text ? text : err);
	free(text);
	CHECK(campaign_slurm_write(&c, 1, db, "/opt/it's/vtlab", script, sizeof script, err,
				   sizeof err) == -1 &&
		      strstr(err, "a path holds a quote"),
	      "a quote in the vtlab path: %s", err);
	/* a database named relative to the working directory: absolute in
	 * the script, and its shards in DB.shards without the ".db" */
	char cwd[512];
	CHECK(getcwd(cwd, sizeof cwd) && chdir(scratch) == 0, "chdir %s", scratch);
	c.max_seconds = 0;
	r = campaign_slurm_write(&c, 1, "c.db", "/opt/vtlab", script, sizeof script, err,
				 sizeof err);
	CHECK(chdir(cwd) == 0, "chdir %s", cwd);
	snprintf(want, sizeof want, "%s/c.shards/sl.sbatch", scratch);
	CHECK(r == 0 && strcmp(script, want) == 0, "c.db: script %s (%s)", script, err);
	text = r ? NULL : test_read_file(script);
	snprintf(want, sizeof want, "#   /opt/vtlab merge --db %s/c.db %s/c.shards/cell-*.db\n",
		 scratch, scratch);
	CHECK(text && strstr(text, want), "no '%s' in: %s", want, text ? text : "(none)");
	free(text);
	campaign_free(&c);
	/* the campaign file's own path may hold no quote either */
	path = write_campaign("it's.xml",
			      HEAD "<campaign name=\"q\"><configs>native</configs>"
				   "<workloads>jbb</workloads><vcpus>1</vcpus></campaign>\n");
	r = campaign_load(path, &c, err, sizeof err);
	CHECK(r == 0, "load: %s", err);
	if (r == 0) {
		CHECK(campaign_slurm_write(&c, 1, db, "/opt/vtlab", script, sizeof script, err,
					   sizeof err) == -1 &&
			      strstr(err, "a path holds a quote"),
		      "a quote in the campaign's path: %s", err);
		campaign_free(&c);
	}
	char sh[2048];
	snprintf(sh, sizeof sh, "rm -r '%s/r%%j.sqlite.shards' '%s/c.shards'", scratch, scratch);
	CHECK(system(sh) == 0, "%s", sh);
}

/* campaign_check's message for a campaign (its cells planned), on stderr
 * into err; its result. */
static int check_campaign(const char *name, const char *text, char *err, size_t len)
{
	struct campaign c;
	struct campaign_cell *cells = NULL;
	size_t n = 0;
	err[0] = '\0';
	if (campaign_load(write_campaign(name, text), &c, err, len) ||
	    campaign_plan(&c, &cells, &n, err, len))
		return 2;
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	if (tmp)
		dup2(fileno(tmp), STDERR_FILENO);
	int r = campaign_check(&c, cells, n, "x.db");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (tmp) {
		rewind(tmp);
		size_t got = fread(err, 1, len - 1, tmp);
		err[got] = '\0';
		fclose(tmp);
	}
	free(cells);
	campaign_free(&c);
	return r;
}

/* A cell `vtlab run` refuses is reported at the line of the element at
 * fault (campaigns/README.md: every problem as FILE:LINE). */
static void test_check_lines(void)
{
	char err[8192], want[800];
	int r = check_campaign("check-mem.xml",
			       HEAD "<campaign name=\"k\">\n<configs>native</configs>\n"
				    "<workloads>jbb</workloads>\n<vcpus>1 2</vcpus>\n"
				    "<param name=\"itlb\">64:4</param>\n"
				    "<param name=\"mem\">3M5</param></campaign>\n",
			       err, sizeof err);
	snprintf(want, sizeof want, "%s/check-mem.xml:7: the cell \"native jbb 1 vCPU", scratch);
	CHECK(r == -1 && strstr(err, want) && strstr(err, "--mem"), "bad --mem: %s", err);
	/* the same refusal of both vCPU counts' cells is said once, then
	 * that nothing ran */
	const char *second = strstr(err, "cannot run");
	CHECK(second && !strstr(second + 1, "cannot run") &&
		      strstr(err, "check-mem.xml: nothing was run; fix the file and run again\n"),
	      "said once, then nothing ran: %s", err);
	/* the workloads are looked for beside this test's binary, where
	 * there are none: the <workloads> line */
	r = check_campaign("check-workload.xml",
			   HEAD "<campaign name=\"k\">\n<configs>STVT</configs>\n"
				"<workloads>jbb</workloads>\n<vcpus>1</vcpus></campaign>\n",
			   err, sizeof err);
	snprintf(want, sizeof want, "%s/check-workload.xml:4: ", scratch);
	CHECK(r == -1 && strstr(err, want) && strstr(err, "--workload jbb:"), "no workloads: %s",
	      err);
}

int main(void)
{
	snprintf(top, sizeof top, "%s", __FILE__); /* cli/tests/test_campaign.c */
	char *cut = strstr(top, "cli/tests/test_campaign.c");
	if (cut)
		*cut = '\0';
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	test_schema_in_sync();
	test_shipped_campaigns_load();
	test_bad_files();
	test_sweep();
	test_sched_seed_param_wins();
	test_spaces_around_tokens();
	test_whitespace_and_comments();
	test_long_cost_value();
	test_applies();
	test_one_repetition();
	test_cell_limit();
	test_most_values();
	test_load_defaults();
	test_slurm();
	test_check_lines();
	test_remove_dir(scratch);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
