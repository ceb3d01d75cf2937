/*
 * ktest-proc.c - fork, execve, exit and wait: exit codes, waiting for a
 * given child among several, WNOHANG, orphans reparented to init (pid 1),
 * execve replacing the image and passing argv/envp, kill(): the signal
 * waitpid reports is the one sent.
 *
 * `ktest-proc exec-child CODE` is the program execve'd by the test: it
 * checks its arguments and environment and exits with CODE.
 */
#include <signal.h>
#include <time.h>

#include "ktest.h"

static int image_marker = 1; /* changed before execve; the new image has 1 again */

static void test_exit_codes(void)
{
	for (int code = 0; code < 256; code += 51) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(code);
		int st = -1;
		KT_EQ(waitpid(pid, &st, 0), pid);
		KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code, "status 0x%x for exit(%d)", st,
			 code);
	}
	/* exit() from main's caller path: returning from a child via exit(). */
	pid_t pid = fork();
	if (pid == 0)
		exit(7);
	int st = 0;
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, VTLAB_W_EXITCODE(7));
}

static void test_wait_specific(void)
{
	pid_t pids[5];
	for (int i = 0; i < 5; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(10 + i);
		KT_CHECK(pids[i] > 0, "fork %d", i);
	}
	for (int i = 4; i >= 0; i--) { /* reverse order: wait4 must pick the asked pid */
		int st = 0;
		KT_EQ(waitpid(pids[i], &st, 0), pids[i]);
		KT_EQ(WEXITSTATUS(st), 10 + i);
	}
	int st;
	KT_EQ(waitpid(-1, &st, 0), -1); /* no children left: ECHILD */
	KT_EQ(waitpid(pids[0], &st, 0), -1);
}

static void test_wnohang(void)
{
	int p[2];
	KT_EQ(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1); /* blocks until the parent writes */
		_exit(3);
	}
	close(p[0]);
	int st = 0;
	KT_EQ(waitpid(pid, &st, WNOHANG), 0); /* still running */
	KT_EQ(write(p[1], "x", 1), 1);
	close(p[1]);
	pid_t r;
	int spins = 0;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && spins < 1000000) {
		sched_yield();
		spins++;
	}
	KT_EQ(r, pid);
	KT_EQ(WEXITSTATUS(st), 3);
}

/* The child forks a grandchild and exits; the grandchild waits until its
 * parent is pid 1 (init adopted it) and reports through a pipe. */
static void test_orphan(void)
{
	int p[2];
	KT_EQ(pipe(p), 0);
	pid_t child = fork();
	if (child == 0) {
		pid_t gc = fork();
		if (gc == 0) {
			pid_t pp = getppid();
			for (int i = 0; i < 100000 && pp != 1; i++) {
				sched_yield();
				pp = getppid();
			}
			write(p[1], &pp, sizeof pp);
			_exit(0);
		}
		_exit(gc > 0 ? 0 : 1);
	}
	close(p[1]);
	int st = 0;
	KT_EQ(waitpid(child, &st, 0), child);
	KT_EQ(st, 0);
	pid_t pp = 0;
	KT_EQ(read(p[0], &pp, sizeof pp), (long)sizeof pp);
	KT_EQ(pp, 1);
	close(p[0]);
}

static void test_exec(const char *self)
{
	image_marker = 99;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "exec-child", "42", NULL };
		char *envp[] = { "KTEST=proc", NULL };
		execve(self, argv, envp);
		_exit(100); /* execve failed */
	}
	int st = 0;
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, VTLAB_W_EXITCODE(42));
}

static int exec_child(int argc, char **argv, char **envp)
{
	if (argc != 3 || strcmp(argv[1], "exec-child") != 0)
		return 101;
	if (!envp || !envp[0] || strcmp(envp[0], "KTEST=proc") != 0 || envp[1] != NULL)
		return 102;
	if (strcmp(getenv("KTEST") ? getenv("KTEST") : "", "proc") != 0)
		return 103;
	if (image_marker != 1)
		return 104; /* the parent's data leaked into the new image */
	return atoi(argv[2]);
}

/* Many short-lived processes: pids are recycled or grow, resources are
 * freed (the kernel would run out of memory otherwise). */
static void test_many(void)
{
	int bad = 0;
	for (int i = 0; i < 200; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || WEXITSTATUS(st) != (i & 0xff))
			bad++;
	}
	KT_EQ(bad, 0);
}

/* Two threads of one process wait for its only child: one reaps it, the
 * other must then learn there is nothing left (ECHILD) rather than sleep
 * on.  The child owns a few MiB so that reaping it takes a while. */
static volatile int waiters_done;
static volatile pid_t waited[2];

static void *wait_any(void *arg)
{
	int st = 0;
	waited[(uintptr_t)arg] = waitpid(-1, &st, 0);
	__atomic_fetch_add(&waiters_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_two_waiters(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		static char big[4 << 20];
		memset(big, 1, sizeof big);
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		_exit(big[12345]);
	}
	vt_thread_t t[2];
	waiters_done = 0;
	for (int i = 0; i < 2; i++)
		KT_EQ(vt_thread_create(&t[i], wait_any, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < 200 && waiters_done < 2; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	KT_EQ(waiters_done, 2);
	if (waiters_done < 2)
		return; /* the sleeper is ended by our exit */
	for (int i = 0; i < 2; i++)
		vt_thread_join(t[i], NULL);
	KT_CHECK((waited[0] == pid && waited[1] == -1) || (waited[0] == -1 && waited[1] == pid),
		 "waitpid results %d %d for child %d", (int)waited[0], (int)waited[1], (int)pid);
}

static _Noreturn void sleep_forever(void)
{
	for (;;) {
		struct vtlab_timespec ts = { 1, 0 };
		vt_sys_nanosleep(&ts, NULL);
	}
}

/* kill() takes <signal.h> numbers (picolibc's: SIGBUS 10, SIGUSR1 30) and
 * the kernel Linux's (abi.h: SIGBUS 7); waitpid must give back the number
 * that was sent, for every signal (in vtlab each one ends the process). */
static void test_kill_status(void)
{
	int bad = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			sleep_forever();
		int st = -1, k = kill(pid, sig);
		pid_t w = waitpid(pid, &st, 0);
		if (k != 0 || w != pid || !WIFSIGNALED(st) || WTERMSIG(st) != sig) {
			bad++;
			printf("kill(%d, %d) = %d, waitpid: %d, status 0x%x\n", (int)pid, sig, k,
			       (int)w, st);
		}
	}
	KT_EQ(bad, 0);
}

/* A signal sent to init is dropped, as Linux drops one init has no handler
 * for; it killed init, and the kernel panicked (review of 2026-12-07). */
static void test_kill_init(void)
{
	KT_EQ(kill(1, SIGTERM), 0);
	KT_EQ(kill(1, SIGKILL), 0);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	KT_EQ(getppid() > 0, 1); /* still here: the kernel did not stop */
}

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(argc, argv, envp);
	test_exit_codes();
	test_wait_specific();
	test_wnohang();
	test_orphan();
	test_exec(argv[0]);
	test_many();
	test_two_waiters();
	test_kill_status();
	test_kill_init();
	return kt_finish("ktest-proc");
}
