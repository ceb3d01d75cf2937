/*
 * file.c - the file-descriptor layer (kernel.h "files"): the open-file
 * table (reference counted, file_lock), per-process descriptors with
 * close-on-exec bits, and the fd syscalls that dispatch through
 * file_ops: read, write, lseek, fstat, close, dup, dup3.  fs/ provides
 * inode files, pipe.c pipes, console.c the console.
 */
#include "proc.h"

#define NFILE 512

static struct spinlock file_lock = { 0, -1, "file" };
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

static int fd_install_from(struct proc *p, struct file *f, int from)
{
	for (int fd = from; fd < NOFILE; fd++) {
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
	return fd_install_from(p, f, 0);
}

static struct file *fd_get(int fd)
{
	struct proc *p = myproc();
	return fd >= 0 && fd < NOFILE ? p->ofile[fd] : NULL;
}

void fd_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd]) {
			struct file *f = p->ofile[fd];
			p->ofile[fd] = NULL;
			file_close(f);
		}
	}
	KP(p)->cloexec = 0;
}

void fd_close_on_exec(struct kproc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if ((p->cloexec >> fd) & 1 && p->pub.ofile[fd]) {
			struct file *f = p->pub.ofile[fd];
			p->pub.ofile[fd] = NULL;
			file_close(f);
		}
	}
	p->cloexec = 0;
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
	struct file *f = fd_get(fd);
	if (!f || !can_read(f))
		return -VTLAB_EBADF;
	return f->ops->read ? f->ops->read(f, ubuf, n) : -VTLAB_EINVAL;
}

int64_t sys_write(int fd, uint64_t ubuf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f || !can_write(f))
		return -VTLAB_EBADF;
	return f->ops->write ? f->ops->write(f, ubuf, n) : -VTLAB_EINVAL;
}

int64_t sys_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -VTLAB_EBADF;
	if (whence < VTLAB_SEEK_SET || whence > VTLAB_SEEK_END)
		return -VTLAB_EINVAL;
	return f->ops->lseek ? f->ops->lseek(f, off, whence) : -VTLAB_ESPIPE;
}

int64_t sys_fstat(int fd, uint64_t ustat)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -VTLAB_EBADF;
	struct vtlab_stat st;
	memset(&st, 0, sizeof st);
	int r = f->ops->stat ? f->ops->stat(f, &st) : -VTLAB_EINVAL;
	if (r < 0)
		return r;
	return copyout(ustat, &st, sizeof st);
}

int64_t sys_close(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -VTLAB_EBADF;
	myproc()->ofile[fd] = NULL;
	mykproc()->cloexec &= ~(1ull << fd);
	file_close(f);
	return 0;
}

int64_t sys_dup(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -VTLAB_EBADF;
	int nfd = fd_install(myproc(), file_dup(f));
	if (nfd < 0)
		file_close(f);
	return nfd;
}

/* dup3 (Linux): newfd == oldfd is EINVAL; flags may only be O_CLOEXEC. */
int64_t sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -VTLAB_EBADF;
	if (newfd < 0 || newfd >= NOFILE)
		return -VTLAB_EBADF;
	if (newfd == oldfd || (flags & ~VTLAB_O_CLOEXEC))
		return -VTLAB_EINVAL;
	struct proc *p = myproc();
	struct file *old = p->ofile[newfd];
	p->ofile[newfd] = file_dup(f);
	if (flags & VTLAB_O_CLOEXEC)
		KP(p)->cloexec |= 1ull << newfd;
	else
		KP(p)->cloexec &= ~(1ull << newfd);
	if (old)
		file_close(old);
	return newfd;
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
	int fds[2] = { fd_install(p, rf), -1 };
	if (fds[0] >= 0)
		fds[1] = fd_install(p, wf);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			p->ofile[fds[0]] = NULL;
		file_close(rf);
		file_close(wf);
		return -VTLAB_EMFILE;
	}
	if (flags & VTLAB_O_CLOEXEC)
		KP(p)->cloexec |= (1ull << fds[0]) | (1ull << fds[1]);
	if (copyout(ufds, fds, sizeof fds) < 0) {
		sys_close(fds[0]);
		sys_close(fds[1]);
		return -VTLAB_EFAULT;
	}
	return 0;
}
