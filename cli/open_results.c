/*
 * open_results.c - how the reading commands (report, query, plot) open a
 * results database.  Not a campaign's dry run, which writes nothing: it
 * opens the database with db_open_readonly() itself.
 *
 * Contract: cli_open_results() migrates a database written by an older
 * vtlab first (db_upgrade(): a reader does not migrate, and the views the
 * reports use may have changed), saying so on stderr, then opens it
 * read-only.  Every error is printed as "vtlab CMD: FILE: what failed".
 */
#include <stdio.h>

#include "commands.h"
#include "db.h"

int cli_open_results(const char *cmd, const char *path, struct db **out)
{
	char err[DB_ERR_LEN + 256];
	int from;
	*out = NULL;
	if (db_upgrade(path, &from, err, sizeof err)) {
		fprintf(stderr, "vtlab %s: %s\n", cmd, err);
		return -1;
	}
	if (from != DB_SCHEMA_VERSION)
		fprintf(stderr, "vtlab %s: note: %s: migrated from schema version %d to %d\n", cmd,
			path, from, DB_SCHEMA_VERSION);
	if (db_open_readonly(path, out, err, sizeof err)) {
		fprintf(stderr, "vtlab %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}
