/*
 * gnuplot_run.c - runs gnuplot on a script file (gnuplot_run.h).  A file,
 * not a pipe, so that gnuplot's error messages name it and its line.
 */
#include "gnuplot_run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's exit status when gnuplot cannot be executed at all. */
#define NOT_FOUND 127

int gnuplot_run(const char *script, const char *output, char *err, size_t errlen)
{
	fflush(NULL); /* nothing buffered twice in the child */
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(NOT_FOUND);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waiting for gnuplot: %s", strerror(errno));
			return -1;
		}
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "gnuplot was killed by signal %d drawing %s",
			 WTERMSIG(status), script);
		return -1;
	}
	if (WEXITSTATUS(status) == NOT_FOUND) {
		snprintf(err, errlen,
			 "gnuplot is not installed (or not on PATH): `make deps` or "
			 "`apt-get install gnuplot-nox` installs it; %s is ready for it",
			 script);
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "gnuplot failed on %s (exit %d; its messages are above)",
			 script, WEXITSTATUS(status));
		return -1;
	}
	struct stat sb;
	if (stat(output, &sb) != 0 || sb.st_size == 0) {
		snprintf(err, errlen, "gnuplot ran %s but wrote no %s", script, output);
		return -1;
	}
	return 0;
}
