/*
 * ktest-threads.c - threads and futexes: return values through join; a
 * counter incremented under a vt_mutex_t by 2 threads per vCPU (lost
 * updates would show in the total); an atomic counter; a producer and
 * consumers over a condition variable; a barrier reused many times;
 * errno and other picolibc state private to each thread (TLS); malloc
 * and printf from many threads at once (picolibc's locks, ulib/lock.c);
 * the descriptor table, the cwd and a descriptor closed during a read,
 * shared by threads; a thread's stack overflow kills the process instead
 * of running into the next thread's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "ktest.h"

#define ITER 20000

static vt_mutex_t lock;
static uint64_t counter;
static uint64_t atomic_counter;

static void *add_locked(void *arg)
{
	for (int i = 0; i < ITER; i++) {
		vt_mutex_lock(&lock);
		counter++;
		vt_mutex_unlock(&lock);
		__atomic_fetch_add(&atomic_counter, 1, __ATOMIC_RELAXED);
	}
	return arg;
}

static void test_counter(int nthreads)
{
	vt_thread_t t[16];
	counter = atomic_counter = 0;
	int created = 0;
	for (int i = 0; i < nthreads; i++)
		created += vt_thread_create(&t[i], add_locked, (void *)(uintptr_t)(i + 1)) == 0;
	KT_EQ(created, nthreads);
	int bad_ret = 0;
	for (int i = 0; i < created; i++) {
		void *r = NULL;
		bad_ret += vt_thread_join(t[i], &r) != 0 || r != (void *)(uintptr_t)(i + 1);
	}
	KT_EQ(bad_ret, 0);
	KT_EQ(counter, (uint64_t)created * ITER);
	KT_EQ(atomic_counter, (uint64_t)created * ITER);
}

/* Bounded queue: one producer, several consumers, sum of items checked. */
#define QCAP 8
#define ITEMS 3000
static struct {
	vt_mutex_t m;
	vt_cond_t not_empty, not_full;
	int buf[QCAP];
	int head, count, done;
} q;
static uint64_t consumed_sum;
static int consumed_count;

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		vt_mutex_lock(&q.m);
		while (q.count == 0 && !q.done)
			vt_cond_wait(&q.not_empty, &q.m);
		if (q.count == 0 && q.done) {
			vt_mutex_unlock(&q.m);
			return NULL;
		}
		int v = q.buf[q.head];
		q.head = (q.head + 1) % QCAP;
		q.count--;
		consumed_sum += (uint64_t)v;
		consumed_count++;
		vt_cond_signal(&q.not_full);
		vt_mutex_unlock(&q.m);
	}
}

static void test_condvar(void)
{
	vt_thread_t t[4];
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_thread_create(&t[i], consumer, NULL), 0);
	for (int v = 1; v <= ITEMS; v++) {
		vt_mutex_lock(&q.m);
		while (q.count == QCAP)
			vt_cond_wait(&q.not_full, &q.m);
		q.buf[(q.head + q.count) % QCAP] = v;
		q.count++;
		vt_cond_signal(&q.not_empty);
		vt_mutex_unlock(&q.m);
	}
	vt_mutex_lock(&q.m);
	q.done = 1;
	vt_cond_broadcast(&q.not_empty);
	vt_mutex_unlock(&q.m);
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_thread_join(t[i], NULL), 0);
	KT_EQ(consumed_count, ITEMS);
	KT_EQ(consumed_sum, (uint64_t)ITEMS * (ITEMS + 1) / 2);
}

static vt_barrier_t barrier;
static volatile int phase_seen[8];

static void *barrier_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	for (int round = 0; round < 50; round++) {
		phase_seen[id] = round;
		vt_barrier_wait(&barrier);
		for (int j = 0; j < 4; j++)
			bad += phase_seen[j] != round; /* everyone reached this round */
		vt_barrier_wait(&barrier);
	}
	return (void *)(uintptr_t)bad;
}

static void test_barrier(void)
{
	vt_thread_t t[4];
	vt_barrier_init(&barrier, 4);
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_thread_create(&t[i], barrier_worker, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < 4; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
}

static void *errno_worker(void *arg)
{
	errno = (int)(uintptr_t)arg;
	for (int i = 0; i < 1000; i++)
		sched_yield();
	return (void *)(uintptr_t)(errno == (int)(uintptr_t)arg);
}

static void *malloc_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	char *blocks[32] = { 0 };
	for (int round = 0; round < 200; round++) {
		int k = round % 32;
		free(blocks[k]);
		size_t n = 16 + (size_t)((round * 37 + id * 11) % 2000);
		blocks[k] = malloc(n);
		if (!blocks[k]) {
			bad++;
			continue;
		}
		memset(blocks[k], id, n);
		bad += blocks[k][n - 1] != (char)id;
	}
	for (int k = 0; k < 32; k++)
		free(blocks[k]);
	char line[64];
	snprintf(line, sizeof line, "thread %d done", id);
	bad += strlen(line) < 10;
	return (void *)(uintptr_t)bad;
}

static void test_tls_and_malloc(void)
{
	vt_thread_t t[8];
	errno = 1234;
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_thread_create(&t[i], errno_worker, (void *)(uintptr_t)(100 + i)), 0);
	for (int i = 0; i < 4; i++) {
		void *r = NULL;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 1);
	}
	KT_EQ(errno, 1234);
	for (int i = 0; i < 8; i++)
		KT_EQ(vt_thread_create(&t[i], malloc_worker, (void *)(uintptr_t)(i + 1)), 0);
	for (int i = 0; i < 8; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
}

/* Many short threads, created and joined: stacks and kernel threads are
 * recycled. */
static void *nothing(void *arg)
{
	return arg;
}

static void test_churn(void)
{
	int bad = 0;
	for (int i = 0; i < 100; i++) {
		vt_thread_t t;
		void *r = NULL;
		bad += vt_thread_create(&t, nothing, (void *)(uintptr_t)i) != 0 ||
		       vt_thread_join(t, &r) != 0 || r != (void *)(uintptr_t)i;
	}
	KT_EQ(bad, 0);
}

/* Threads of one process take and give back descriptors at once: each
 * dup()s its own file's descriptor, checks through fstat that the new
 * descriptor names that file, and closes it.  Two threads given the same
 * slot would see each other's file (or an EBADF at close). */
#define FD_ROUNDS 3000
static int fd_base[16];
static ino_t fd_ino[16];

static void *fd_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	for (int i = 0; i < FD_ROUNDS; i++) {
		struct stat st;
		int fd = dup(fd_base[id]);
		if (fd < 0) {
			bad++;
			continue;
		}
		bad += fstat(fd, &st) != 0 || st.st_ino != fd_ino[id];
		bad += close(fd) != 0;
	}
	return (void *)(uintptr_t)bad;
}

/* dup2 onto one shared descriptor from every thread: each replaced file
 * must be closed exactly once (a double close would drop a reference that
 * another descriptor still holds). */
#define FD_SHARED 60
static void *dup2_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	for (int i = 0; i < FD_ROUNDS; i++) {
		struct stat st;
		bad += dup2(fd_base[id], FD_SHARED) != FD_SHARED;
		bad += fstat(fd_base[id], &st) != 0 || st.st_ino != fd_ino[id];
	}
	return (void *)(uintptr_t)bad;
}

static void test_fd_table(int nthreads)
{
	vt_thread_t t[16];
	char path[32];
	mkdir("/tmp", 0755);
	for (int i = 0; i < nthreads; i++) {
		struct stat st;
		snprintf(path, sizeof path, "/tmp/kt-fd-%d", i);
		fd_base[i] = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
		KT_CHECK(fd_base[i] >= 0 && fstat(fd_base[i], &st) == 0, "open %s", path);
		fd_ino[i] = st.st_ino;
	}
	for (int i = 0; i < nthreads; i++)
		KT_EQ(vt_thread_create(&t[i], fd_worker, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < nthreads; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
	for (int i = 0; i < nthreads; i++)
		KT_EQ(vt_thread_create(&t[i], dup2_worker, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < nthreads; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
	KT_EQ(close(FD_SHARED), 0);
	/* Every dup was closed: the lowest free descriptor is the first
	 * one after the base descriptors again. */
	int fd = dup(0);
	KT_EQ(fd, fd_base[nthreads - 1] + 1);
	close(fd);
	for (int i = 0; i < nthreads; i++) {
		close(fd_base[i]);
		snprintf(path, sizeof path, "/tmp/kt-fd-%d", i);
		unlink(path);
	}
}

/* Threads chdir back and forth between two directories while looking
 * names up relative to the cwd: each chdir drops the old directory once
 * (two racing chdirs must not both drop the same one), and a lookup holds
 * its own reference to the cwd it started from. */
#define CD_ROUNDS 1500
static void *chdir_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, bad = 0;
	for (int i = 0; i < CD_ROUNDS; i++) {
		struct stat st;
		bad += chdir((i + id) & 1 ? "/tmp/kt-cd-a" : "/tmp/kt-cd-b") != 0;
		bad += stat("f", &st) != 0; /* in both directories */
	}
	return (void *)(uintptr_t)bad;
}

static void test_chdir(int nthreads)
{
	vt_thread_t t[16];
	char buf[64];
	mkdir("/tmp", 0755);
	KT_EQ(mkdir("/tmp/kt-cd-a", 0755), 0);
	KT_EQ(mkdir("/tmp/kt-cd-b", 0755), 0);
	close(open("/tmp/kt-cd-a/f", O_CREAT | O_WRONLY, 0644));
	close(open("/tmp/kt-cd-b/f", O_CREAT | O_WRONLY, 0644));
	for (int i = 0; i < nthreads; i++)
		KT_EQ(vt_thread_create(&t[i], chdir_worker, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < nthreads; i++) {
		void *r = (void *)1;
		KT_EQ(vt_thread_join(t[i], &r), 0);
		KT_EQ((uintptr_t)r, 0);
	}
	KT_CHECK(getcwd(buf, sizeof buf) &&
			 (!strcmp(buf, "/tmp/kt-cd-a") || !strcmp(buf, "/tmp/kt-cd-b")),
		 "getcwd after the chdirs");
	/* Every reference the chdirs took was dropped once: the directories
	 * can go (an extra drop would free the cwd under us, a missing one
	 * would keep them). */
	KT_EQ(chdir("/"), 0);
	KT_EQ(unlink("/tmp/kt-cd-a/f"), 0);
	KT_EQ(unlink("/tmp/kt-cd-b/f"), 0);
	KT_EQ(rmdir("/tmp/kt-cd-a"), 0);
	KT_EQ(rmdir("/tmp/kt-cd-b"), 0);
}

/* A thread blocked reading a pipe keeps the read end open while another
 * thread closes its descriptor (Linux: the file stays open until the
 * call returns): a write then still finds a reader and the read gets it. */
static int cr_fds[2];
static void *close_reader(void *arg)
{
	char c = 0;
	(void)arg;
	ssize_t r = read(cr_fds[0], &c, 1);
	return (void *)(uintptr_t)(r == 1 && c == 'x');
}

static void test_close_during_read(void)
{
	vt_thread_t t;
	KT_EQ(pipe(cr_fds), 0);
	KT_EQ(vt_thread_create(&t, close_reader, NULL), 0);
	struct timespec ts = { 0, 20000000 }; /* the reader is asleep in read() by now */
	nanosleep(&ts, NULL);
	KT_EQ(close(cr_fds[0]), 0);
	/* Files opened now may take the freed slot of the open-file table if
	 * the reader held no reference to it. */
	int fd = open("/tmp/kt-cr", O_CREAT | O_RDWR | O_TRUNC, 0644);
	KT_EQ(write(cr_fds[1], "x", 1), 1);
	void *r = NULL;
	KT_EQ(vt_thread_join(t, &r), 0);
	KT_EQ((uintptr_t)r, 1);
	close(fd);
	unlink("/tmp/kt-cr");
	KT_EQ(close(cr_fds[1]), 0);
}

/* A thread whose stack overflows must fault on an unmapped (guard) page
 * under its stack and take the process down with SIGSEGV, not write on
 * into whatever is mapped below: vt_thread_create maps each new thread
 * under the previous one, so that is the next thread's TLS, descriptor
 * and stack.  The upper thread recurses in 1 KiB frames until it is past
 * the lower thread's descriptor (a vt_thread_t points at it), then
 * returns: if it gets there, the overflow went unnoticed. */
static uintptr_t ovf_floor;
static int ovf_go;
static int ovf_pipe[2];

static int dive(volatile char *prev, uintptr_t floor)
{
	volatile char frame[1024];
	frame[0] = 1;
	frame[1023] = prev ? prev[0] : 0;
	if ((uintptr_t)frame < floor)
		return 0;
	return dive(frame, floor) + frame[1023];
}

static void *overflower(void *arg)
{
	while (!__atomic_load_n(&ovf_go, __ATOMIC_ACQUIRE))
		sched_yield();
	return (void *)(uintptr_t)dive(arg, ovf_floor);
}

static void *blocked_reader(void *arg)
{
	char c;
	read(ovf_pipe[0], &c, 1); /* never written: ends with the process */
	return arg;
}

static int overflow_thread_stack(void)
{
	vt_thread_t upper, lower;
	if (pipe(ovf_pipe) != 0 || vt_thread_create(&upper, overflower, NULL) != 0 ||
	    vt_thread_create(&lower, blocked_reader, NULL) != 0)
		return 2;
	uintptr_t u = (uintptr_t)upper, l = (uintptr_t)lower;
	if (l >= u || u - l > (1u << 20)) {
		printf("threads at %#lx and %#lx: not one under the other\n", (unsigned long)u,
		       (unsigned long)l);
		return 3;
	}
	ovf_floor = l - 2048;
	__atomic_store_n(&ovf_go, 1, __ATOMIC_RELEASE);
	vt_thread_join(upper, NULL);
	return 1;
}

int main(void)
{
	int n = vt_nprocs();
	test_counter(2 * n > 16 ? 16 : 2 * n);
	test_condvar();
	test_barrier();
	test_tls_and_malloc();
	test_churn();
	test_fd_table(2 * n > 16 ? 16 : 2 * n);
	test_chdir(2 * n > 16 ? 16 : 2 * n);
	test_close_during_read();
	KT_EQ(kt_run_child(overflow_thread_stack), kt_killed_by(SIGSEGV));
	return kt_finish("ktest-threads");
}
