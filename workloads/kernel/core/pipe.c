/*
 * pipe.c - pipes: a 4000-byte ring in one page_alloc() page, a reader
 * end and a writer end (struct file with pipe_read_ops/pipe_write_ops).
 * Read returns what is there (blocks only when empty; 0 at end of file
 * when no writer is left); write blocks while full and returns -EPIPE
 * when no reader is left (no SIGPIPE in vtlab).  A write of at most
 * VTLAB_PIPE_BUF bytes is atomic: it waits until the whole of it fits and
 * copies it under one lock hold, so no other writer's data lands inside it
 * (POSIX write(), "Write requests of {PIPE_BUF} bytes or less shall not
 * be interleaved"); longer writes go in pieces as room appears and may be
 * interleaved, as POSIX allows.  User memory is copied
 * through a bounce buffer outside the pipe lock, so no copy fault ever
 * happens while a spinlock is held.  Sleeps end with -EINTR when the
 * process is dying (sleep_intr_until: a kill is never missed).  (POSIX
 * pipe semantics; design after xv6-riscv.)
 */
#include "proc.h"

#define PIPE_BUF_BYTES 4000
#define CHUNK VTLAB_PIPE_BUF /* one copy: an atomic write is one chunk */

struct pipe {
	struct spinlock lock;
	uint64_t nread, nwrite; /* free-running */
	int readers, writers;
	char data[PIPE_BUF_BYTES];
};
_Static_assert(sizeof(struct pipe) <= PAGE_SIZE, "pipe fits a page");
_Static_assert(VTLAB_PIPE_BUF <= PIPE_BUF_BYTES, "an atomic write fits the ring");

static const struct file_ops pipe_read_ops, pipe_write_ops;

int pipe_create(struct file **rf, struct file **wf, int flags)
{
	struct pipe *p = page_alloc();
	if (!p)
		return -VTLAB_ENOMEM;
	spin_init(&p->lock, "pipe");
	p->nread = p->nwrite = 0;
	p->readers = p->writers = 1;
	*rf = file_alloc(&pipe_read_ops, p, VTLAB_O_RDONLY | (flags & VTLAB_O_CLOEXEC));
	*wf = *rf ? file_alloc(&pipe_write_ops, p, VTLAB_O_WRONLY | (flags & VTLAB_O_CLOEXEC))
		  : NULL;
	if (!*wf) {
		if (*rf) {
			p->readers = 2; /* so its close does not free p */
			file_close(*rf);
		}
		page_free(p);
		return -VTLAB_EMFILE;
	}
	return 0;
}

static int64_t pipe_read(struct file *f, uint64_t ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char buf[CHUNK];
	if (n == 0)
		return 0; /* POSIX read(): "shall return zero and have no other results" */
	spin_lock(&p->lock);
	while (p->nread == p->nwrite && p->writers > 0) {
		if (thread_killed()) {
			spin_unlock(&p->lock);
			return -VTLAB_EINTR;
		}
		sleep_intr_until(&p->nread, &p->lock, 0);
	}
	size_t got = 0;
	while (got < n && got < CHUNK && p->nread != p->nwrite)
		buf[got++] = p->data[p->nread++ % PIPE_BUF_BYTES];
	wakeup(&p->nwrite);
	spin_unlock(&p->lock);
	if (got && copyout(ubuf, buf, got) < 0)
		return -VTLAB_EFAULT;
	return (int64_t)got;
}

/* Waits (lock held) until need bytes are free in the ring; 0, or
 * -EPIPE (no reader left) / -EINTR (the process is dying). */
static int pipe_wait_room(struct pipe *p, size_t need)
{
	for (;;) {
		if (p->readers == 0)
			return -VTLAB_EPIPE;
		if (thread_killed())
			return -VTLAB_EINTR;
		if (PIPE_BUF_BYTES - (p->nwrite - p->nread) >= need)
			return 0;
		wakeup(&p->nread);
		sleep_intr_until(&p->nwrite, &p->lock, 0);
	}
}

/* Puts c bytes of buf into the ring, all at once when atomic, else as
 * room appears; returns how many went in (fewer than c: *err says why). */
static size_t pipe_put(struct pipe *p, const char *buf, size_t c, bool atomic, int *err)
{
	size_t i = 0;
	spin_lock(&p->lock);
	while (i < c) {
		*err = pipe_wait_room(p, atomic ? c : 1);
		if (*err)
			break;
		while (i < c && p->nwrite - p->nread < PIPE_BUF_BYTES)
			p->data[p->nwrite++ % PIPE_BUF_BYTES] = buf[i++];
	}
	wakeup(&p->nread);
	spin_unlock(&p->lock);
	return i;
}

static int64_t pipe_write(struct file *f, uint64_t ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char buf[CHUNK];
	bool atomic = n <= VTLAB_PIPE_BUF; /* then n fits one chunk */
	size_t done = 0;
	while (done < n) {
		size_t c = n - done < CHUNK ? n - done : CHUNK;
		if (copyin(buf, ubuf + done, c) < 0)
			return done ? (int64_t)done : -VTLAB_EFAULT;
		int err = 0;
		done += pipe_put(p, buf, c, atomic, &err);
		if (err)
			return done ? (int64_t)done : err;
	}
	return (int64_t)done;
}

static void pipe_close_end(struct file *f, bool writer)
{
	struct pipe *p = f->priv;
	spin_lock(&p->lock);
	if (writer)
		p->writers--;
	else
		p->readers--;
	bool last = p->readers == 0 && p->writers == 0;
	wakeup(&p->nread);
	wakeup(&p->nwrite);
	spin_unlock(&p->lock);
	if (last)
		page_free(p);
}

static void pipe_close_read(struct file *f)
{
	pipe_close_end(f, false);
}
static void pipe_close_write(struct file *f)
{
	pipe_close_end(f, true);
}

static int pipe_stat(struct file *f, struct vtlab_stat *st)
{
	struct pipe *p = f->priv;
	st->st_mode = VTLAB_S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PIPE_BUF_BYTES;
	st->st_size = (int64_t)(p->nwrite - p->nread);
	return 0;
}

static int64_t pipe_lseek(struct file *f, int64_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return -VTLAB_ESPIPE;
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.lseek = pipe_lseek,
	.stat = pipe_stat,
	.close = pipe_close_read,
};
static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.lseek = pipe_lseek,
	.stat = pipe_stat,
	.close = pipe_close_write,
};
