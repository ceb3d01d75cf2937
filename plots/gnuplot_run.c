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

/* Whether `output` ends the way its format does (PNG: the IEND chunk;
 * PDF: %%EOF; SVG: </svg>): gnuplot exits 0 even when a full disk cut
 * the file short, which left a broken chart reported as written.  A
 * format not recognized by its first bytes is taken as complete. */
static int complete(const char *output, off_t size)
{
	static const unsigned char iend[12] = { 0,   0,   0,    0,    'I',  'E',
						'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	unsigned char head[8] = { 0 }, tail[64] = { 0 };
	size_t ntail = size < (off_t)sizeof tail ? (size_t)size : sizeof tail;
	FILE *f = fopen(output, "rb");
	int ok = f && fread(head, 1, sizeof head, f) > 0 &&
		 fseeko(f, size - (off_t)ntail, SEEK_SET) == 0 && fread(tail, 1, ntail, f) == ntail;
	if (f)
		fclose(f);
	if (!ok)
		return 0;
	if (memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
		return ntail >= sizeof iend &&
		       memcmp(tail + ntail - sizeof iend, iend, sizeof iend) == 0;
	const char *end = memcmp(head, "%PDF", 4) == 0                                    ? "%%EOF"
			  : memcmp(head, "<?xml", 5) == 0 || memcmp(head, "<svg", 4) == 0 ? "</svg>"
											  : NULL;
	if (!end)
		return 1;
	size_t n = strlen(end);
	for (size_t i = 0; i + n <= ntail; i++)
		if (memcmp(tail + i, end, n) == 0)
			return 1;
	return 0;
}

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
	if (!complete(output, sb.st_size)) {
		snprintf(err, errlen,
			 "gnuplot wrote only part of %s (%lld bytes; is its disk full?), removed; "
			 "draw it again with `gnuplot %s`",
			 output, (long long)sb.st_size, script);
		unlink(output);
		return -1;
	}
	return 0;
}
