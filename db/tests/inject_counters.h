/*
 * inject_counters.h - a fixture helper shared by the unit tests that build
 * a results database through db.h (analyze/tests/test_report.c,
 * plots/tests/test_plots.c): a run's injected-fault counters, written as
 * "kind=n,kind=n".
 *
 * Contract: header-only (a static function), so each test program stays
 * one file.  add_inject_counters() adds the counter ("inject", kind) = n on
 * vCPU 0 of run `id` for each "kind=n" of `faults` (at most 2047
 * characters, every item with its '='; "" adds none) and, with
 * `zero_rows`, a row of 0 for the same kind on vCPU 1, which a reader must
 * not count as a run that injected it.  Errors of db_counter_add() are not
 * checked: the tests check what the database then holds.
 */
#ifndef DB_TESTS_INJECT_COUNTERS_H
#define DB_TESTS_INJECT_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static inline void add_inject_counters(struct db *db, int64_t id, const char *faults,
				       bool zero_rows)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", faults);
	for (char *save, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		*eq = 0;
		db_counter_add(db, id, 0, "inject", kv, strtoull(eq + 1, NULL, 10), 0);
		if (zero_rows)
			db_counter_add(db, id, 1, "inject", kv, 0, 0);
	}
}

#endif
