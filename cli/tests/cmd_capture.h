/*
 * cmd_capture.h - runs a `vtlab` subcommand in the test process with what
 * it writes captured, for the cli unit tests that check what a command
 * says or prints (test_commands.c, test_import_cmd.c, test_report_cmd.c,
 * test_plot.c).
 *
 * Contract: header-only (static functions), so each test program stays
 * one file.  cmd_capture() calls cmd(argc, argv) with file descriptor 2
 * redirected to a temporary file, and 1 to /dev/null when drop_stdout is
 * set; cmd_capture_all() sends 1 and 2 both to that file.  Each restores
 * them, copies what was written to the file into out (NUL-terminated, cut
 * to len - 1 bytes) and returns the command's status.
 */
#ifndef CLI_TESTS_CMD_CAPTURE_H
#define CLI_TESTS_CMD_CAPTURE_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Where cmd_capture_into sends stdout: left alone, /dev/null, or the
 * capture file with stderr. */
enum cmd_capture_stdout { CAPTURE_STDOUT_KEEP, CAPTURE_STDOUT_DROP, CAPTURE_STDOUT_TOO };

static inline int cmd_capture_into(int (*cmd)(int, char **), char **argv,
				   enum cmd_capture_stdout mode, char *out, size_t len)
{
	char path[] = "/tmp/vtlab-test-cmd-out-XXXXXX";
	int fd = mkstemp(path), argc = 0;
	int to = mode == CAPTURE_STDOUT_DROP  ? open("/dev/null", O_WRONLY)
		 : mode == CAPTURE_STDOUT_TOO ? fd
					      : -1;
	int saved_err = dup(2), saved_out = to >= 0 ? dup(1) : -1;
	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 2);
	if (to >= 0)
		dup2(to, 1);
	int status = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	if (to >= 0) {
		dup2(saved_out, 1);
		close(saved_out);
	}
	if (mode == CAPTURE_STDOUT_DROP)
		close(to);
	ssize_t n = pread(fd, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return status;
}

static inline int cmd_capture(int (*cmd)(int, char **), char **argv, bool drop_stdout, char *out,
			      size_t len)
{
	return cmd_capture_into(cmd, argv, drop_stdout ? CAPTURE_STDOUT_DROP : CAPTURE_STDOUT_KEEP,
				out, len);
}

static inline int cmd_capture_all(int (*cmd)(int, char **), char **argv, char *out, size_t len)
{
	return cmd_capture_into(cmd, argv, CAPTURE_STDOUT_TOO, out, len);
}

#endif
