/*
 * file.c - the file-descriptor layer (kernel.h "files"): the open-file
 * table (reference counted, file_lock), per-process descriptors with
 * close-on-exec bits, and the fd syscalls that dispatch through
 * file_ops: read, write, lseek, fstat, close, dup, dup3.  fs/ provides
 * inode files, pipe.c pipes, console.c the console.
 *
 * The threads of a process share its descriptor table: every change of
 * an ofile[] slot or a cloexec bit, and every read that takes a new
 * reference from a slot (dup, dup3, fork), happens under fd_lock, so two
 * threads cannot take the same free slot or both close what one slot held.
 * A syscall that uses the file a descriptor names holds a reference to it
 * for the call (fd_ref, given back with file_close).
 * Lock order: fd_lock -> file_lock; file_close() (whose ops->close may
 * sleep) is only called after fd_lock is released.
 */
#include "proc.h"

#define NFILE 512

static struct spinlock file_lock = { 0, -1, "file" };
static struct spinlock fd_lock = { 0, -1, "fd" };
static struct file ftable[NFILE];

struct file *file_alloc(const struct file_ops *ops, void *priv, int flags)
{
	spin_lock(&file_lock);
	for (int i = 0; i < NFILE; i++) {
		if (ftable[i].ref == 0) {
			struct file *f = &ftable[i];
			f->ref = 1;
			f->ops = ops;
			f->priv = priv;
			f->flags = flags;
			f->off = 0;
			spin_unlock(&file_lock);
			return f;
		}
	}
	spin_unlock(&file_lock);
	return NULL;
}

struct file *file_dup(struct file *f)
{
	spin_lock(&file_lock);
	if (f->ref < 1)
		panic("file_dup: free file");
	f->ref++;
	spin_unlock(&file_lock);
	return f;
}

void file_close(struct file *f)
{
	spin_lock(&file_lock);
	if (f->ref < 1)
		panic("file_close: free file");
	if (--f->ref > 0) {
		spin_unlock(&file_lock);
		return;
	}
	const struct file_ops *ops = f->ops;
	struct file copy = *f;
	f->ops = NULL;
	spin_unlock(&file_lock);
	if (ops && ops->close)
		ops->close(&copy);
}

/* fd_lock held. */
static int fd_install_locked(struct proc *p, struct file *f)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			KP(p)->cloexec &= ~(1ull << fd);
			return fd;
		}
	}
	return -VTLAB_EMFILE;
}

int fd_install(struct proc *p, struct file *f)
{
	spin_lock(&fd_lock);
	int fd = fd_install_locked(p, f);
	spin_unlock(&fd_lock);
	return fd;
}

/* fork: the child's table refers to the parent's open files. */
void fd_fork(struct kproc *parent, struct kproc *child)
{
	spin_lock(&fd_lock);
	for (int fd = 0; fd < NOFILE; fd++)
		if (parent->pub.ofile[fd])
			child->pub.ofile[fd] = file_dup(parent->pub.ofile[fd]);
	child->cloexec = parent->cloexec;
	spin_unlock(&fd_lock);
}

/* Empties slot fd (fd_lock held); returns what it held. */
static struct file *fd_take_locked(struct proc *p, int fd)
{
	struct file *f = p->ofile[fd];
	p->ofile[fd] = NULL;
	KP(p)->cloexec &= ~(1ull << fd);
	return f;
}

/* The file open on fd with a new reference, which the syscall using it
 * gives back with file_close() when it returns: a close() of fd by another
 * thread meanwhile only empties the slot, and the file stays open until
 * the call is done (Linux's fdget/fdput: a read blocked on a pipe whose
 * descriptor is closed still completes).  Without the reference the file
 * could be freed, and its ftable slot reused, under the call. */
struct file *fd_ref(int fd)
{
	struct proc *p = myproc();
	if (!p || fd < 0 || fd >= NOFILE)
		return NULL;
	spin_lock(&fd_lock);
	struct file *f = p->ofile[fd];
	if (f)
		file_dup(f);
	spin_unlock(&fd_lock);
	return f;
}

void fd_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		spin_lock(&fd_lock);
		struct file *f = fd_take_locked(p, fd);
		spin_unlock(&fd_lock);
		if (f)
			file_close(f);
	}
}

void fd_close_on_exec(struct kproc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		spin_lock(&fd_lock);
		struct file *f = (p->cloexec >> fd) & 1 ? fd_take_locked(&p->pub, fd) : NULL;
		spin_unlock(&fd_lock);
		if (f)
			file_close(f);
	}
}

static bool can_read(const struct file *f)
{
	return (f->flags & 3) != VTLAB_O_WRONLY;
}

static bool can_write(const struct file *f)
{
	return (f->flags & 3) != VTLAB_O_RDONLY;
}

int64_t sys_read(int fd, uint64_t ubuf, size_t n)
{
	struct file *f = fd_ref(fd);
	if (!f)
		return -VTLAB_EBADF;
	int64_t r = !can_read(f)   ? -VTLAB_EBADF
		    : f->ops->read ? f->ops->read(f, ubuf, n)
				   : -VTLAB_EINVAL;
	file_close(f);
	return r;
}

int64_t sys_write(int fd, uint64_t ubuf, size_t n)
{
	struct file *f = fd_ref(fd);
	if (!f)
		return -VTLAB_EBADF;
	int64_t r = !can_write(f)   ? -VTLAB_EBADF
		    : f->ops->write ? f->ops->write(f, ubuf, n)
				    : -VTLAB_EINVAL;
	file_close(f);
	return r;
}

int64_t sys_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_ref(fd);
	if (!f)
		return -VTLAB_EBADF;
	int64_t r = whence < VTLAB_SEEK_SET || whence > VTLAB_SEEK_END ? -VTLAB_EINVAL
		    : f->ops->lseek ? f->ops->lseek(f, off, whence)
				    : -VTLAB_ESPIPE;
	file_close(f);
	return r;
}

int64_t sys_fstat(int fd, uint64_t ustat)
{
	struct file *f = fd_ref(fd);
	if (!f)
		return -VTLAB_EBADF;
	struct vtlab_stat st;
	memset(&st, 0, sizeof st);
	int r = f->ops->stat ? f->ops->stat(f, &st) : -VTLAB_EINVAL;
	file_close(f);
	if (r < 0)
		return r;
	return copyout(ustat, &st, sizeof st);
}

int64_t sys_close(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return -VTLAB_EBADF;
	spin_lock(&fd_lock);
	struct file *f = fd_take_locked(myproc(), fd);
	spin_unlock(&fd_lock);
	if (!f)
		return -VTLAB_EBADF;
	file_close(f);
	return 0;
}

int64_t sys_dup(int fd)
{
	struct proc *p = myproc();
	if (fd < 0 || fd >= NOFILE)
		return -VTLAB_EBADF;
	spin_lock(&fd_lock);
	struct file *f = p->ofile[fd];
	int nfd = f ? fd_install_locked(p, file_dup(f)) : -VTLAB_EBADF;
	spin_unlock(&fd_lock);
	if (f && nfd < 0)
		file_close(f);
	return nfd;
}

/* dup3 (Linux): newfd == oldfd is EINVAL; flags may only be O_CLOEXEC. */
int64_t sys_dup3(int oldfd, int newfd, int flags)
{
	struct proc *p = myproc();
	if (oldfd < 0 || oldfd >= NOFILE || newfd < 0 || newfd >= NOFILE)
		return -VTLAB_EBADF;
	spin_lock(&fd_lock);
	struct file *f = p->ofile[oldfd], *old = NULL;
	int r = newfd;
	if (!f)
		r = -VTLAB_EBADF;
	else if (newfd == oldfd || (flags & ~VTLAB_O_CLOEXEC))
		r = -VTLAB_EINVAL;
	else {
		old = fd_take_locked(p, newfd);
		p->ofile[newfd] = file_dup(f);
		if (flags & VTLAB_O_CLOEXEC)
			KP(p)->cloexec |= 1ull << newfd;
	}
	spin_unlock(&fd_lock);
	if (old)
		file_close(old);
	return r;
}

int64_t sys_pipe2(uint64_t ufds, int flags)
{
	if (flags & ~VTLAB_O_CLOEXEC)
		return -VTLAB_EINVAL;
	struct file *rf, *wf;
	int r = pipe_create(&rf, &wf, flags);
	if (r < 0)
		return r;
	struct proc *p = myproc();
	spin_lock(&fd_lock);
	int fds[2] = { fd_install_locked(p, rf), -1 };
	if (fds[0] >= 0)
		fds[1] = fd_install_locked(p, wf);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			p->ofile[fds[0]] = NULL;
		spin_unlock(&fd_lock);
		file_close(rf);
		file_close(wf);
		return -VTLAB_EMFILE;
	}
	if (flags & VTLAB_O_CLOEXEC)
		KP(p)->cloexec |= (1ull << fds[0]) | (1ull << fds[1]);
	spin_unlock(&fd_lock);
	if (copyout(ufds, fds, sizeof fds) < 0) {
		/* Take back only the slots that still hold our files: between
		 * the unlock and here another thread may have closed fds[i] and
		 * opened something else under that number, which close-by-number
		 * would close instead (Linux avoids it by copying out before
		 * fd_install). */
		struct file *mine[2] = { rf, wf }, *gone[2] = { NULL, NULL };
		spin_lock(&fd_lock);
		for (int i = 0; i < 2; i++)
			if (p->ofile[fds[i]] == mine[i])
				gone[i] = fd_take_locked(p, fds[i]);
		spin_unlock(&fd_lock);
		for (int i = 0; i < 2; i++)
			if (gone[i])
				file_close(gone[i]);
		return -VTLAB_EFAULT;
	}
	return 0;
}
