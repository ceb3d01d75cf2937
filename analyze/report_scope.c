/*
 * report_scope.c - whether each filter of a report or chart scope names
 * something the database's complete runs have (report.h,
 * report_scope_check).
 *
 * Why: a scope left empty by a misspelt --campaign, --workload or
 * --config, or a vCPU count never run, made every table and chart say
 * "no complete runs in the scope" or blame the data ("run a hypervisor
 * configuration"); naming the option and the values there are says what
 * to type instead.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* The complete runs' distinct values of `expr`, in the campaign of s
 * unless `expr` is the campaign, ", "-separated into have; 1 when `want`
 * is one of them, 0 when not, -1 with err on a database error. */
static int has_value(sqlite3 *db, const struct report_scope *s, const char *expr, const char *want,
		     char *have, size_t len, char *err, size_t errlen)
{
	int in_campaign = s->campaign && strstr(expr, "c.name") == NULL;
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT %s FROM runs r LEFT JOIN campaigns c ON c.id = r.campaign_id "
		 "WHERE r.status = 'complete'%s GROUP BY 1 ORDER BY min(r.id)",
		 expr,
		 !in_campaign                    ? ""
		 : strcmp(s->campaign, "-") == 0 ? " AND r.campaign_id IS NULL"
						 : " AND c.name = ?1");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "reading the runs: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (in_campaign && strcmp(s->campaign, "-") != 0)
		sqlite3_bind_text(st, 1, s->campaign, -1, SQLITE_STATIC);
	int found = 0, rc;
	have[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		size_t used = strlen(have);
		found |= v && strcmp(v, want) == 0;
		if (v && used + strlen(v) + 3 < len)
			snprintf(have + used, len - used, "%s%s", used ? ", " : "", v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "reading the runs: %s", sqlite3_errmsg(db));
		return -1;
	}
	return found;
}

/* Checks one filter value; 0 when the runs have it, 1 (err: the option,
 * what it asked for, what there is) or -1. */
static int check(sqlite3 *db, const struct report_scope *s, const char *option, const char *noun,
		 const char *expr, const char *want, char *err, size_t errlen)
{
	char have[512], where[160];
	int rc = has_value(db, s, expr, want, have, sizeof have, err, errlen);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!s->campaign || strstr(expr, "c.name"))
		snprintf(where, sizeof where, "the database");
	else if (strcmp(s->campaign, "-") == 0)
		snprintf(where, sizeof where, "the runs outside campaigns");
	else
		snprintf(where, sizeof where, "campaign %.100s", s->campaign);
	if (!have[0])
		snprintf(err, errlen, "%s %s: %s has no complete run", option, want, where);
	else if (strstr(expr, "c.name"))
		snprintf(err, errlen, "%s %s: %s (the database's campaigns: %s%s)", option, want,
			 strcmp(want, "-") == 0 ? "no complete run is outside campaigns"
						: "no campaign of that name has a complete run",
			 have, strcmp(want, "-") == 0 ? "" : "; '-' is the runs outside campaigns");
	else
		snprintf(err, errlen, "%s %s: no complete run of %s has that %s (they have %s)",
			 option, want, where, noun, have);
	return 1;
}

int report_scope_check(struct sqlite3 *db, const struct report_scope *s, char *err, size_t errlen)
{
	int rc = 0;
	char vcpus[16];
	if (s->campaign)
		rc = check(db, s, "--campaign", "campaign", "COALESCE(c.name, '-')", s->campaign,
			   err, errlen);
	for (unsigned i = 0; rc == 0 && i < s->nworkloads; i++)
		rc = check(db, s, "--workload", "workload", "r.workload", s->workloads[i], err,
			   errlen);
	for (unsigned i = 0; rc == 0 && i < s->nconfigs; i++)
		rc = check(db, s, "--config", "configuration", "r.config", s->configs[i], err,
			   errlen);
	snprintf(vcpus, sizeof vcpus, "%u", s->vcpus);
	if (rc == 0 && s->vcpus)
		rc = check(db, s, "--vcpus", "vCPU count", "CAST(r.vcpus AS TEXT)", vcpus, err,
			   errlen);
	return rc;
}
