/*
 * make_dirs.c - mkdir -p for the folders vtlab writes into (commands.h):
 * `vtlab plot --out-dir`, a campaign's database folder.
 *
 * Contract: cli_make_dirs() creates `path` and every folder above it that
 * is missing; folders that exist are fine.  It returns 0, or -1 with errno
 * set and, when `failed` is not NULL, the folder it could not create
 * there.  A path longer than PATH_MAX is refused (ENAMETOOLONG).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

int cli_make_dirs(const char *path, char *failed, size_t len)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
			if (failed)
				snprintf(failed, len, "%s", buf);
			return -1;
		}
		*p = c;
		if (c == '\0')
			return 0;
	}
}
