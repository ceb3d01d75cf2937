/*
 * chart_groups.c - the runs of a chart's scope as `vtlab report` groups
 * them (chart_query.h, chart_report_groups), for the charts that cannot
 * read the views of db/views.sql because those average over campaign
 * cells and settings: the sweep chart (chart_sweep.c) and the note on
 * averaged bars (chart_mixed.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_query.h"
#include "report.h"

static unsigned count(const char *const *list)
{
	unsigned n = 0;
	while (list && list[n])
		n++;
	return n;
}

int chart_report_groups(struct sqlite3 *db, const struct chart_scope *s, bool with_native,
			struct report_runs *r, struct report_group **gs, size_t *ng, char *err,
			size_t errlen)
{
	/* --config narrows the configurations; native may stay, as the
	 * baseline every point of the sweep chart needs */
	const char *configs[65];
	unsigned nconfigs = count(s->configs);
	if (nconfigs > 63)
		nconfigs = 63;
	for (unsigned i = 0; i < nconfigs; i++)
		configs[i] = s->configs[i];
	if (nconfigs && with_native)
		configs[nconfigs++] = "native";
	struct report_scope rs = {
		.campaign = s->campaign_id ? s->campaign_name : "-",
		.workloads = s->workloads,
		.nworkloads = count(s->workloads),
		.configs = configs,
		.nconfigs = nconfigs,
		.vcpus = s->vcpus,
	};
	*gs = NULL;
	*ng = 0;
	if (report_runs_load(db, &rs, r, err, errlen))
		return -1;
	if (report_groups(r, gs, ng) == 0)
		return 0;
	snprintf(err, errlen, "out of memory reading the runs");
	free(*gs);
	*gs = NULL;
	report_runs_free(r);
	return -1;
}
