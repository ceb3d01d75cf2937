/*
 * init.c - /bin/init, the first user program (pid 1).
 *
 * Reads the run's argument string (vt_lab_args: `vtlab run --args`),
 * splits it into words at spaces, skips the kernel's `key=value` options
 * (mmu=, debug=, ...) and runs the remaining words as a command: fork,
 * execve(word0, words, env), wait.  The command inherits fds 0-2 (the
 * console).  While waiting, init reaps every orphan that is reparented to
 * it (as Unix's init does).  When the command ends, init shuts the machine
 * down with SYS_reboot(code) so the run's exit code is the command's: its
 * exit status, or 128 + the signal that killed it (the shells'
 * convention), after a sync.  With no command it prints a usage line and exits with 1.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtlab.h"

#define ARGS_MAX 4096
#define WORDS_MAX 64

static char args[ARGS_MAX];

/* Splits s in place at spaces into at most max-1 words, skipping words
 * with '=' before any '/' (kernel options); argv is NULL-terminated. */
static int split_command(char *s, char **argv, int max)
{
	int n = 0;
	for (char *w = strtok(s, " \t\n"); w && n < max - 1; w = strtok(NULL, " \t\n")) {
		char *eq = strchr(w, '=');
		char *slash = strchr(w, '/');
		if (n == 0 && eq && (!slash || eq < slash))
			continue; /* a kernel option, before the command */
		argv[n++] = w;
	}
	argv[n] = NULL;
	return n;
}

static int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (status & 0x7f);
}

/* Waits for pid, reaping orphans on the way; returns its exit code.  The
 * raw wait4 status, not wait()'s: its signal numbers are the kernel's,
 * Linux's (abi.h), so a run killed by SIGBUS ends with 135 as it would
 * under a shell on the (Linux) host, not 128 + picolibc's 10. */
static int wait_for(pid_t pid)
{
	for (;;) {
		int status = 0;
		int64_t r = vt_sys_wait4(-1, &status, 0, NULL);
		if (r == pid)
			return exit_code_of(status);
		if (r < 0) {
			fprintf(stderr, "init: wait: error %d\n", (int)-r);
			return 127;
		}
	}
}

int main(void)
{
	static char *argv[WORDS_MAX];
	char *envp[] = { "PATH=/bin", "HOME=/", NULL };
	if (vt_lab_args(args, sizeof args) < 0)
		args[0] = 0;
	if (split_command(args, argv, WORDS_MAX) == 0) {
		printf("init: no command to run: give one with vtlab run --args \"[key=value...] "
		       "/bin/PROGRAM [ARG...]\" (e.g. /bin/ktest)\n");
		fflush(stdout);
		vt_reboot(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("init: fork");
		fflush(stderr);
		vt_reboot(127);
	}
	if (pid == 0) {
		execve(argv[0], argv, envp);
		fprintf(stderr, "init: cannot run %s: ", argv[0]);
		perror("execve");
		_exit(127);
	}
	int code = wait_for(pid);
	fflush(stdout);
	sync(); /* the command's files reach the disk before power-off */
	vt_reboot(code);
}
