/*
 * ktest.c - /bin/ktest, the driver of the guest test suite.
 *
 * Runs every /bin/ktest-* program (sorted by name; ktest-persist needs two
 * boots and is run by run-ktest.sh instead), or only those named on the
 * command line (`ktest syscalls fs`), each as a child process with its
 * output on the console, and reports one line per program,
 * "PASS ktest-NAME" or "FAIL ktest-NAME (exit N | killed by signal N)",
 * then "N passed, N failed".  Exit status 0 when nothing failed.
 */
#include "ktest.h"

#define MAX_TESTS 64

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_tests(char **names, int max)
{
	int n = 0;
	DIR *d = opendir("/bin");
	if (!d) {
		perror("ktest: opendir /bin");
		return 0;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < max)
		if (strncmp(e->d_name, "ktest-", 6) == 0 && strcmp(e->d_name, "ktest-persist") != 0)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], by_name);
	return n;
}

/* Runs /bin/NAME; returns its wait status (or -1 when it could not run). */
static int run_one(const char *name)
{
	char path[96];
	snprintf(path, sizeof path, "/bin/%s", name);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { path, NULL };
		execve(path, argv, environ);
		printf("ktest: cannot run %s\n", path);
		_exit(127);
	}
	int st = 0;
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

int main(int argc, char **argv)
{
	static char *names[MAX_TESTS];
	static char given[MAX_TESTS][64];
	int n;
	if (argc > 1) {
		n = 0;
		for (int i = 1; i < argc && n < MAX_TESTS; i++, n++) {
			const char *a = argv[i];
			snprintf(given[n], sizeof given[n], "%s%s",
				 strncmp(a, "ktest-", 6) ? "ktest-" : "", a);
			names[n] = given[n];
		}
	} else {
		n = list_tests(names, MAX_TESTS);
	}
	int passed = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		printf("== %s\n", names[i]);
		uint64_t t0 = vt_now_ns();
		int st = run_one(names[i]);
		uint64_t ms = (vt_now_ns() - t0) / 1000000;
		if (st == 0) {
			printf("PASS %s (%llu ms)\n", names[i], (unsigned long long)ms);
			passed++;
		} else if (st > 0 && WIFSIGNALED(st)) {
			printf("FAIL %s (killed by signal %d)\n", names[i], WTERMSIG(st));
			failed++;
		} else {
			printf("FAIL %s (exit %d)\n", names[i], st < 0 ? -1 : WEXITSTATUS(st));
			failed++;
		}
	}
	if (n == 0) {
		printf("ktest: no tests found in /bin\n");
		failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
