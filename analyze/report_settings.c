/*
 * report_settings.c - a report row averages runs of one setting
 * (report.h, report_split_settings).
 *
 * A row's runs are samples of one measurement: the same campaign,
 * workload, vCPUs, configuration and cell, differing only in the vCPU
 * schedule.  Runs stored by hand (`vtlab run --db` with another
 * --vtlb-buckets or --cost), or by a campaign before its costs changed,
 * share that key but not what they measure.  Averaging them would give a
 * mean and an interval of nothing, so each setting's runs become a row of
 * their own, named by the settings in which they differ.
 *
 * Settings are the "name=value" words report_runs.c reads for each run,
 * separated by char(31) (the workload's arguments, the machine and
 * hypervisor parameters, the costs; not the seed, paths or tracing).  A
 * word every run of the family has is shared; the others are added to
 * the run's cell, so the params column says what tells the rows apart
 * and report_baseline() still finds native by the words a cell holds.
 */
#include <stdlib.h>
#include <string.h>

#include "import_kvm.h"
#include "report.h"

#define WORD_SEP "\x1f"

/* Run parameters that describe how a run was made or traced, not what it
 * measured (cli/run_record.c names them). */
static const char *const not_settings[] = {
	"sched_seed", "campaign_cell", "kernel",       "disk",         "trace",
	"trace_mode", "ring_size",     "trace_sample", "trace_filter", NULL,
};
/* What a KVM import found in its file, and the file (import_kvm.c). */
static const char *const import_found[] = {
	"workload_params", "file", "lines", "unknown_lines", "malformed_lines", "lost_events", NULL,
};

static int listed(const char *const *list, const char *name, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && strncmp(*list, name, len) == 0)
			return 1;
	return 0;
}

static int counts(const char *config, const char *name, size_t len)
{
	return !listed(not_settings, name, len) &&
	       !(strcmp(config, KVM_IMPORT_CONFIG) == 0 && listed(import_found, name, len));
}

int report_setting_counts(const char *config, const char *name)
{
	return counts(config, name, strlen(name));
}

/* Appends word [w, w + n) to buf, which holds *used characters, after
 * `sep` when it holds some; buf has room (its caller sized it). */
static void append_word(char *buf, size_t *used, char sep, const char *w, size_t n)
{
	if (*used)
		buf[(*used)++] = sep;
	memcpy(buf + *used, w, n);
	buf[ *used += n] = '\0';
}

char *report_settings_keep(const char *all, const char *config)
{
	char *out = malloc(strlen(all) + 1);
	size_t used = 0;
	if (!out)
		return NULL;
	out[0] = '\0';
	for (const char *w = all;; w++) {
		size_t n = strcspn(w, WORD_SEP), name = strcspn(w, "=" WORD_SEP);
		if (n && counts(config, w, name < n ? name : n))
			append_word(out, &used, WORD_SEP[0], w, n);
		w += n;
		if (!*w)
			break;
	}
	return out;
}

/* True when settings s has the word [w, w + len). */
static int has_word(const char *s, const char *w, size_t len)
{
	for (;;) {
		size_t n = strcspn(s, WORD_SEP);
		if (n == len && strncmp(s, w, len) == 0)
			return 1;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

/* Run i's cell followed by its words that some run of [a, b) lacks;
 * those words also in run->split, for report_baseline(). */
static int label(struct report_runs *r, size_t a, size_t b, size_t i)
{
	struct report_run *run = &r->run[i];
	size_t cap = strlen(run->cell) + strlen(run->settings) + 2, used = strlen(run->cell);
	size_t nsplit = 0;
	char *cell = malloc(cap), *split = malloc(strlen(run->settings) + 1);
	if (!cell || !split) {
		free(cell);
		free(split);
		return -1;
	}
	memcpy(cell, run->cell, used + 1);
	split[0] = '\0';
	for (const char *w = run->settings;; w++) {
		size_t n = strcspn(w, WORD_SEP);
		int shared = 1;
		for (size_t j = a; j < b && shared && n; j++)
			shared = has_word(r->run[j].settings, w, n);
		if (!shared) {
			append_word(cell, &used, ' ', w, n);
			append_word(split, &nsplit, WORD_SEP[0], w, n);
		}
		w += n;
		if (!*w)
			break;
	}
	free(run->cell);
	run->cell = cell;
	free(run->split);
	run->split = nsplit ? split : NULL;
	if (!nsplit)
		free(split);
	r->any_cell |= used > 0;
	return 0;
}

int report_settings_hold(const char *settings, const char *words)
{
	for (const char *w = words; w && *w;) {
		size_t n = strcspn(w, WORD_SEP);
		if (!has_word(settings, w, n))
			return 0;
		w += n + (w[n] != '\0');
	}
	return 1;
}

/* Runs [a, b) reordered so that each cell's runs are together, cells in
 * the order of their first run (the runs come in id order). */
static int gather(struct report_runs *r, size_t a, size_t b)
{
	size_t n = b - a, k = 0;
	struct report_run *to = malloc(n * sizeof *to);
	char *placed = calloc(n, 1);
	if (!to || !placed) {
		free(to);
		free(placed);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (placed[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!placed[j] && strcmp(r->run[a + j].cell, r->run[a + i].cell) == 0) {
				to[k++] = r->run[a + j];
				placed[j] = 1;
			}
	}
	memcpy(r->run + a, to, n * sizeof *to);
	free(to);
	free(placed);
	return 0;
}

/* One family [a, b): nothing to do when its runs share every setting. */
static int split_family(struct report_runs *r, size_t a, size_t b)
{
	size_t i = a + 1;
	while (i < b && strcmp(r->run[i].settings, r->run[a].settings) == 0)
		i++;
	if (i == b)
		return 0;
	for (i = a; i < b; i++)
		if (label(r, a, b, i))
			return -1;
	return gather(r, a, b);
}

int report_split_settings(struct report_runs *r)
{
	for (size_t a = 0, b; a < r->n; a = b) {
		for (b = a + 1; b < r->n && report_same_group(&r->run[a], &r->run[b]);)
			b++;
		if (split_family(r, a, b))
			return -1;
	}
	return 0;
}
