/*
 * self_exe.c - the path of the running vtlab executable (commands.h).
 *
 * Contract: cli_self_exe() resolves /proc/self/exe, so a child started
 * from it (the collector, a campaign's cell) shows as "vtlab" in ps, not
 * as "exe".  It returns "/proc/self/exe" itself when the link cannot be
 * read or the binary was rebuilt (deleted) since this process started,
 * which still runs the very binary this process runs.
 */
#include <string.h>
#include <unistd.h>

#include "commands.h"

const char *cli_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0 || (size_t)n >= len - 1)
		return "/proc/self/exe";
	buf[n] = '\0';
	if (n > 10 && strcmp(buf + n - 10, " (deleted)") == 0)
		return "/proc/self/exe";
	return buf;
}
