/*
 * cmd_capture.h - runs a `vtlab` subcommand in the test process with its
 * stderr captured, for the cli unit tests that check what a command says
 * (test_commands.c, test_import_cmd.c, test_report_cmd.c).
 *
 * Contract: header-only (a static function), so each test program stays
 * one file.  cmd_capture() calls cmd(argc, argv) with file descriptor 2
 * redirected to a temporary file, and 1 to /dev/null when drop_stdout is
 * set; it restores both, copies what was written to stderr into out
 * (NUL-terminated, cut to len - 1 bytes) and returns the command's status.
 */
#ifndef CLI_TESTS_CMD_CAPTURE_H
#define CLI_TESTS_CMD_CAPTURE_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline int cmd_capture(int (*cmd)(int, char **), char **argv, bool drop_stdout, char *out,
			      size_t len)
{
	char path[] = "/tmp/vtlab-test-cmd-stderr-XXXXXX";
	int fd = mkstemp(path), argc = 0;
	int null = drop_stdout ? open("/dev/null", O_WRONLY) : -1;
	int saved_err = dup(2), saved_out = drop_stdout ? dup(1) : -1;
	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 2);
	if (drop_stdout)
		dup2(null, 1);
	int status = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	if (drop_stdout) {
		dup2(saved_out, 1);
		close(saved_out);
		close(null);
	}
	ssize_t n = pread(fd, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return status;
}

#endif
