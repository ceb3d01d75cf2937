/*
 * ktest-pipe.c - pipes between forked processes: a large transfer checked
 * with a digest (bigger than any pipe buffer, so both sides block), EOF
 * once every write end is closed, EPIPE when no reader is left, several
 * writers into one pipe, writes of up to PIPE_BUF bytes from several
 * writers never interleaved, and a child's stdout redirected with dup2
 * into a pipe across execve.
 */
#include <errno.h>
#include <limits.h>

#include "ktest.h"

#define TOTAL (1u << 20)

static void test_transfer(void)
{
	int p[2];
	KT_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		static unsigned char b[3001]; /* odd size: writes straddle the buffer */
		uint64_t seed = 77;
		for (size_t sent = 0; sent < TOTAL;) {
			size_t n = TOTAL - sent < sizeof b ? TOTAL - sent : sizeof b;
			for (size_t i = 0; i < n; i++)
				b[i] = (unsigned char)kt_rand(&seed);
			if (write(p[1], b, n) != (ssize_t)n)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	vt_digest_t got, want;
	vt_digest_init(&got);
	vt_digest_init(&want);
	uint64_t seed = 77;
	static unsigned char b[4096];
	size_t total = 0;
	ssize_t n;
	while ((n = read(p[0], b, sizeof b)) > 0) {
		vt_digest_update(&got, b, (size_t)n);
		total += (size_t)n;
	}
	KT_EQ(n, 0); /* EOF after the writer exited */
	for (size_t i = 0; i < TOTAL; i++) {
		unsigned char c = (unsigned char)kt_rand(&seed);
		vt_digest_update(&want, &c, 1);
	}
	KT_EQ(total, TOTAL);
	KT_CHECK(vt_digest_final(&got) == vt_digest_final(&want), "digest of the data differs");
	int st = -1;
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, 0);
	close(p[0]);
}

static void test_eof_and_epipe(void)
{
	int p[2];
	KT_EQ(pipe(p), 0);
	KT_EQ(write(p[1], "ab", 2), 2);
	KT_EQ(close(p[1]), 0);
	char b[4];
	KT_EQ(read(p[0], b, sizeof b), 2);
	KT_EQ(read(p[0], b, sizeof b), 0);
	KT_EQ(close(p[0]), 0);

	KT_EQ(pipe(p), 0);
	KT_EQ(close(p[0]), 0);
	errno = 0;
	KT_EQ(vt_sys_write(p[1], "x", 1), -VTLAB_EPIPE);
	KT_EQ(close(p[1]), 0);

	/* A dup'ed write end keeps the pipe open: no EOF until both close. */
	KT_EQ(pipe(p), 0);
	int w2 = dup(p[1]);
	KT_CHECK(w2 >= 0, "dup");
	KT_EQ(close(p[1]), 0);
	KT_EQ(write(w2, "z", 1), 1);
	KT_EQ(read(p[0], b, 1), 1);
	KT_EQ(close(w2), 0);
	KT_EQ(read(p[0], b, 1), 0);
	KT_EQ(close(p[0]), 0);
}

/* read() of 0 bytes returns 0 at once, even from an empty pipe with a
 * writer (POSIX read); it waited for data (review of 2026-12-07).  The
 * reader is a child, so a wait cannot hang the test: it is killed. */
static int read_nothing(void)
{
	int p[2];
	char b[1];
	if (pipe(p) != 0)
		return 2;
	return read(p[0], b, 0) == 0 ? 0 : 1;
}

static void test_read_zero(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(read_nothing());
	int st = -1;
	for (int i = 0; i < 50 && waitpid(pid, &st, WNOHANG) == 0; i++) {
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	KT_EQ(st, 0);
}

static void test_many_writers(void)
{
	enum { W = 6, EACH = 2000 };
	int p[2];
	KT_EQ(pipe(p), 0);
	fflush(stdout);
	for (int w = 0; w < W; w++) {
		if (fork() == 0) {
			close(p[0]);
			for (int i = 0; i < EACH; i++) {
				unsigned char c = (unsigned char)('A' + w);
				write(p[1], &c, 1);
			}
			_exit(0);
		}
	}
	close(p[1]);
	int count[W] = { 0 };
	unsigned char b[512];
	ssize_t n;
	while ((n = read(p[0], b, sizeof b)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (b[i] >= 'A' && b[i] < 'A' + W)
				count[b[i] - 'A']++;
	for (int w = 0; w < W; w++)
		KT_EQ(count[w], EACH);
	for (int w = 0; w < W; w++) {
		int st = -1;
		KT_CHECK(wait(&st) > 0 && st == 0, "writer status 0x%x", st);
	}
	close(p[0]);
}

/* Reads the whole pipe in reads of odd sizes; returns how many rec-byte
 * records (in stream order) mix more than one writer's byte, and counts
 * each writer's records. */
static int read_records(int fd, size_t rec, int *count, int nwriters)
{
	static unsigned char r[PIPE_BUF];
	size_t have = 0;
	int mixed = 0;
	ssize_t n;
	while ((n = read(fd, r + have, rec - have < 97 ? rec - have : 97)) > 0) {
		have += (size_t)n;
		if (have < rec)
			continue;
		have = 0;
		size_t same = 1;
		while (same < rec && r[same] == r[0])
			same++;
		if (same < rec)
			mixed++;
		else if (r[0] >= 'A' && r[0] < 'A' + nwriters)
			count[r[0] - 'A']++;
	}
	return mixed + (have != 0);
}

/* POSIX write() on a pipe: a write of at most PIPE_BUF bytes (picolibc's
 * <limits.h>: 512) is not interleaved with data from other writers, even
 * when it has to wait for room.  Records of rec bytes, each all one
 * writer's letter; the pipe's ring (4000 bytes) is not a multiple of rec,
 * so writers often find part of a record's room free. */
static void test_atomic_writes(size_t rec)
{
	enum { W = 4, EACH = 150 };
	int p[2];
	KT_EQ(pipe(p), 0);
	fflush(stdout);
	for (int w = 0; w < W; w++) {
		if (fork() == 0) {
			close(p[0]);
			unsigned char b[PIPE_BUF];
			memset(b, 'A' + w, sizeof b);
			for (int i = 0; i < EACH; i++)
				if (write(p[1], b, rec) != (ssize_t)rec)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int count[W] = { 0 };
	int mixed = read_records(p[0], rec, count, W);
	KT_CHECK(mixed == 0, "%d of the %zu-byte records were interleaved", mixed, rec);
	for (int w = 0; w < W; w++)
		KT_EQ(count[w], EACH);
	for (int w = 0; w < W; w++) {
		int st = -1;
		KT_CHECK(wait(&st) > 0 && st == 0, "writer status 0x%x", st);
	}
	close(p[0]);
}

static void test_redirect_exec(void)
{
	int p[2];
	KT_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		char *argv[] = { "/bin/ktest-pipe", "echo", "through the pipe", NULL };
		execve(argv[0], argv, environ);
		_exit(100);
	}
	close(p[1]);
	char b[128] = { 0 };
	size_t got = 0;
	ssize_t n;
	while ((n = read(p[0], b + got, sizeof b - 1 - got)) > 0)
		got += (size_t)n;
	KT_CHECK(strcmp(b, "echo: through the pipe\n") == 0, "child printed '%s'", b);
	int st = -1;
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, 0);
	close(p[0]);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "echo") == 0) {
		printf("echo: %s\n", argv[2]);
		return 0;
	}
	test_transfer();
	test_eof_and_epipe();
	test_read_zero();
	test_many_writers();
	KT_EQ(PIPE_BUF, VTLAB_PIPE_BUF); /* what programs are told is what the kernel does */
	test_atomic_writes(PIPE_BUF);
	test_atomic_writes(200);
	test_redirect_exec();
	return kt_finish("ktest-pipe");
}
