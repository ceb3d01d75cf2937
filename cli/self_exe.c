/*
 * self_exe.c - the running vtlab executable (commands.h): a path to run it
 * again, and where it lies.
 *
 * Contract: cli_self_exe() resolves /proc/self/exe, so a child started
 * from it (the collector, a campaign's cell) shows as "vtlab" in ps, not
 * as "exe".  It returns "/proc/self/exe" itself when the link cannot be
 * read or the binary was replaced (deleted) since this process started,
 * which still runs the very binary this process runs.  cli_self_path()
 * is where the binary was started from, " (deleted)" removed: the place
 * to look for the files built beside it (build/guest/), which a rebuild
 * of the binary does not move.
 */
#include <string.h>
#include <unistd.h>

#include "commands.h"

#define DELETED " (deleted)"

/* readlink of /proc/self/exe into buf; its length, or -1. */
static ssize_t self_link(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0 || (size_t)n >= len - 1)
		return -1;
	buf[n] = '\0';
	return n;
}

static int deleted(const char *buf, ssize_t n)
{
	size_t d = strlen(DELETED);
	return (size_t)n > d && strcmp(buf + n - d, DELETED) == 0;
}

const char *cli_self_exe(char *buf, size_t len)
{
	ssize_t n = self_link(buf, len);
	return n < 0 || deleted(buf, n) ? "/proc/self/exe" : buf;
}

const char *cli_self_path(char *buf, size_t len)
{
	ssize_t n = self_link(buf, len);
	if (n < 0)
		return "/proc/self/exe";
	if (deleted(buf, n))
		buf[n - (ssize_t)strlen(DELETED)] = '\0';
	return buf;
}
