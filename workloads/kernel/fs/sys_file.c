/*
 * sys_file.c - the file syscalls (kernel.h, numbers and flags in
 * vtlab/abi.h, Linux semantics) and the file_ops of vtfs files.  Paths are
 * copied in from user space; the work is done by ops.c, path.c and rw.c.
 * A file's offset is protected by its inode's lock.
 */
#include "fs.h"

static int64_t vtfs_read(struct file *f, uint64_t ubuf, size_t n);
static int64_t vtfs_write(struct file *f, uint64_t ubuf, size_t n);
static int64_t vtfs_lseek(struct file *f, int64_t off, int whence);
static int vtfs_fstat(struct file *f, struct vtlab_stat *st);
static void vtfs_close(struct file *f);

static const struct file_ops vtfs_ops = {
	.read = vtfs_read,
	.write = vtfs_write,
	.lseek = vtfs_lseek,
	.stat = vtfs_fstat,
	.close = vtfs_close,
};

static int accmode(int flags)
{
	return flags & 3;
}

/* The vtfs file open on fd in the current process with a new reference,
 * which the caller gives back with file_close() (after op_end and with no
 * inode locked: the last reference closes the file), or NULL. */
static struct file *fd_file(int fd)
{
	struct file *f = fd_ref(fd);
	if (f && f->ops != &vtfs_ops) {
		file_close(f);
		return NULL;
	}
	return f;
}

/* The base directory of a *at call (referenced), or NULL for the cwd. */
static int dirfd_base(int dirfd, struct inode **base)
{
	struct file *f;
	*base = NULL;
	if (dirfd == VTLAB_AT_FDCWD)
		return 0;
	if (!(f = fd_file(dirfd)))
		return -VTLAB_EBADF;
	*base = idup(f->priv);
	file_close(f);
	return 0;
}

/* Copies a user path into a kmalloc'd buffer. */
static int get_path(uint64_t upath, char **out)
{
	char *buf = kmalloc(FS_PATH_MAX);
	if (!buf)
		return -VTLAB_ENOMEM;
	int rc = copyinstr(buf, upath, FS_PATH_MAX);
	if (rc < 0) {
		kfree(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

static int open_inode(struct inode *base, const char *path, int flags, int mode, struct inode **out)
{
	int rc;
	(void)mode; /* permissions are informational (fs_format.h) */
	if (flags & VTLAB_O_CREAT)
		return fs_create(base, path, VTFS_T_FILE, flags & VTLAB_O_EXCL, out);
	if ((rc = namei(base, path, out)) != 0)
		return rc;
	if ((rc = ilock(*out)) != 0)
		iput(*out);
	return rc;
}

/* Checks the opened (locked) inode against the flags; truncates. */
static int open_check(struct inode *ip, int flags)
{
	bool writing = accmode(flags) != VTLAB_O_RDONLY;
	if (ip->d.type == VTFS_T_DIR)
		return writing || (flags & VTLAB_O_TRUNC) ? -VTLAB_EISDIR : 0;
	if (flags & VTLAB_O_DIRECTORY)
		return -VTLAB_ENOTDIR;
	if (ip->d.type != VTFS_T_FILE)
		return -VTLAB_EIO;
	if ((flags & VTLAB_O_TRUNC) && writing && ip->d.size > 0)
		return itrunc(ip, 0);
	return 0;
}

int64_t sys_openat(int dirfd, uint64_t upath, int flags, int mode)
{
	struct inode *base, *ip;
	struct file *f;
	char *path;
	int rc;
	if (accmode(flags) == 3)
		return -VTLAB_EINVAL;
	if ((rc = get_path(upath, &path)) != 0)
		return rc;
	if ((rc = dirfd_base(dirfd, &base)) != 0) {
		kfree(path);
		return rc;
	}
	op_begin();
	rc = open_inode(base, path, flags, mode, &ip);
	if (rc == 0) {
		if ((rc = open_check(ip, flags)) != 0)
			iunlockput(ip);
		else
			iunlock(ip);
	}
	if (base)
		iput(base);
	op_end();
	kfree(path);
	if (rc)
		return rc;
	if (!(f = file_alloc(&vtfs_ops, ip, flags))) {
		fs_iput(ip);
		return -VTLAB_EMFILE;
	}
	if ((rc = fd_install(myproc(), f)) < 0)
		file_close(f);
	return rc;
}

static int64_t vtfs_read(struct file *f, uint64_t ubuf, size_t n)
{
	struct inode *ip = f->priv;
	int64_t got;
	if (accmode(f->flags) == VTLAB_O_WRONLY)
		return -VTLAB_EBADF;
	if ((got = ilock(ip)) != 0)
		return got;
	if (ip->d.type == VTFS_T_DIR) {
		iunlock(ip);
		return -VTLAB_EISDIR;
	}
	got = readi(ip, true, ubuf, f->off, n);
	if (got > 0)
		f->off += (uint64_t)got;
	iunlock(ip);
	return got;
}

static int64_t vtfs_write(struct file *f, uint64_t ubuf, size_t n)
{
	struct inode *ip = f->priv;
	int64_t put;
	if (accmode(f->flags) == VTLAB_O_RDONLY)
		return -VTLAB_EBADF;
	op_begin();
	if ((put = ilock(ip)) == 0) {
		if (f->flags & VTLAB_O_APPEND)
			f->off = ip->d.size;
		put = writei(ip, true, ubuf, f->off, n);
		if (put > 0)
			f->off += (uint64_t)put;
		iunlock(ip);
	}
	op_end();
	return put;
}

static int64_t vtfs_lseek(struct file *f, int64_t off, int whence)
{
	struct inode *ip = f->priv;
	int64_t base;
	int rc = ilock(ip);
	if (rc)
		return rc;
	switch (whence) {
	case VTLAB_SEEK_SET: base = 0; break;
	case VTLAB_SEEK_CUR: base = (int64_t)f->off; break;
	case VTLAB_SEEK_END: base = (int64_t)ip->d.size; break;
	default: base = -1; break;
	}
	/* off < -base, not -off > base: -INT64_MIN overflows (C11 6.5p5) */
	if (base < 0 || (off < 0 && off < -base) || (off > 0 && off > INT64_MAX - base)) {
		iunlock(ip);
		return -VTLAB_EINVAL;
	}
	f->off = (uint64_t)(base + off);
	iunlock(ip);
	return (int64_t)f->off;
}

static int vtfs_fstat(struct file *f, struct vtlab_stat *st)
{
	struct inode *ip = f->priv;
	int rc = ilock(ip);
	if (rc)
		return rc;
	fs_stat(ip, st);
	iunlock(ip);
	return 0;
}

static void vtfs_close(struct file *f)
{
	fs_iput(f->priv);
}

int64_t sys_mkdirat(int dirfd, uint64_t upath, int mode)
{
	struct inode *base, *ip;
	char *path;
	int rc;
	(void)mode;
	if ((rc = get_path(upath, &path)) != 0)
		return rc;
	if ((rc = dirfd_base(dirfd, &base)) == 0) {
		op_begin();
		if ((rc = fs_create(base, path, VTFS_T_DIR, true, &ip)) == 0)
			iunlockput(ip);
		if (base)
			iput(base);
		op_end();
	}
	kfree(path);
	return rc;
}

int64_t sys_unlinkat(int dirfd, uint64_t upath, int flags)
{
	struct inode *base;
	char *path;
	int rc;
	if (flags & ~VTLAB_AT_REMOVEDIR)
		return -VTLAB_EINVAL;
	if ((rc = get_path(upath, &path)) != 0)
		return rc;
	if ((rc = dirfd_base(dirfd, &base)) == 0) {
		op_begin();
		rc = fs_unlink(base, path, flags & VTLAB_AT_REMOVEDIR);
		if (base)
			iput(base);
		op_end();
	}
	kfree(path);
	return rc;
}

int64_t sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags)
{
	struct inode *base, *ip;
	struct vtlab_stat st;
	char *path;
	int rc;
	(void)flags; /* no symbolic links: AT_SYMLINK_NOFOLLOW changes nothing */
	if ((rc = get_path(upath, &path)) != 0)
		return rc;
	if ((rc = dirfd_base(dirfd, &base)) == 0) {
		/* In an op: a directory on the path removed meanwhile is freed
		 * by the lookup's iput when it holds the last reference. */
		op_begin();
		if ((rc = namei(base, path, &ip)) == 0) {
			if ((rc = ilock(ip)) == 0) {
				fs_stat(ip, &st);
				iunlock(ip);
			}
			iput(ip);
		}
		if (base)
			iput(base);
		op_end();
	}
	kfree(path);
	return rc ? rc : copyout(ustat, &st, sizeof st);
}

/* DT_DIR (4) or DT_REG (8) of entry inum of the locked directory dp. */
static uint8_t dirent_type(struct inode *dp, uint32_t inum, uint64_t off)
{
	struct inode *child;
	uint8_t type = 8;
	if (inum == dp->inum || off == sizeof(struct vtfs_dirent))
		return 4; /* "." and "..": never lock a parent after its child */
	if (!(child = iget(inum)))
		return type;
	if (ilock(child) == 0) {
		type = child->d.type == VTFS_T_DIR ? 4 : 8;
		iunlock(child);
	}
	iput(child); /* named in dp: not freed here, and no op may start
		      * while dp is locked (a pending sync would wait forever) */
	return type;
}

/* getdents64: one record per used entry, from the byte offset f->off. */
static int64_t getdents_file(struct file *f, uint64_t ubuf, size_t n)
{
	struct inode *ip;
	struct vtfs_dirent de;
	/* One record: the header, the name, its NUL, padding to 8. */
	uint64_t rec[(sizeof(struct vtlab_dirent64) + VTFS_NAME_MAX + 1 + 7) / 8];
	struct vtlab_dirent64 *h = (struct vtlab_dirent64 *)rec;
	uint64_t done = 0;
	int rc;
	ip = f->priv;
	if ((rc = ilock(ip)) != 0)
		return rc;
	if (ip->d.type != VTFS_T_DIR) {
		iunlock(ip);
		return -VTLAB_ENOTDIR;
	}
	/* An lseek may have left the offset inside an entry (POSIX leaves a
	 * directory offset that no getdents gave undefined): go on from the
	 * next whole entry, rather than decode a record across two. */
	f->off = (f->off + sizeof de - 1) / sizeof de * sizeof de;
	while (rc == 0 && f->off + sizeof de <= ip->d.size) {
		int64_t got = readi(ip, false, (uint64_t)&de, f->off, sizeof de);
		if (got != sizeof de) {
			rc = got < 0 ? (int)got : -VTLAB_EIO;
			break;
		}
		if (de.ino == 0) {
			f->off += sizeof de;
			continue;
		}
		size_t len = 0;
		while (len < VTFS_NAME_MAX && de.name[len])
			len++;
		uint16_t reclen = (uint16_t)((sizeof *h + len + 1 + 7) & ~7u);
		if (done + reclen > n) {
			if (done == 0)
				rc = -VTLAB_EINVAL;
			break;
		}
		memset(rec, 0, sizeof rec);
		h->d_ino = de.ino;
		h->d_off = (int64_t)(f->off + sizeof de);
		h->d_reclen = reclen;
		h->d_type = dirent_type(ip, de.ino, f->off);
		memcpy(h->d_name, de.name, len);
		if ((rc = copyout(ubuf + done, &rec, reclen)) != 0)
			break;
		done += reclen;
		f->off += sizeof de;
	}
	iunlock(ip);
	return done > 0 ? (int64_t)done : rc;
}

int64_t sys_getdents64(int fd, uint64_t ubuf, size_t n)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -VTLAB_EBADF;
	int64_t r = getdents_file(f, ubuf, n);
	file_close(f);
	return r;
}

static int ftruncate_file(struct file *f, int64_t len)
{
	struct inode *ip;
	int rc;
	if (len < 0 || accmode(f->flags) == VTLAB_O_RDONLY)
		return -VTLAB_EINVAL;
	ip = f->priv;
	op_begin();
	if ((rc = ilock(ip)) == 0) {
		rc = ip->d.type == VTFS_T_FILE ? itrunc(ip, (uint64_t)len) : -VTLAB_EINVAL;
		iunlock(ip);
	}
	op_end();
	return rc;
}

int64_t sys_ftruncate(int fd, int64_t len)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -VTLAB_EBADF;
	int rc = ftruncate_file(f, len);
	file_close(f);
	return rc;
}

/* The file's pages, then all metadata (the inode, bitmaps, indirect
 * blocks may be anywhere in the buffer cache), then the device cache. */
static int fsync_file(struct file *f)
{
	struct inode *ip = f->priv;
	int rc;
	if ((rc = ilock(ip)) != 0)
		return rc;
	rc = pcache_flush(ip->inum);
	iunlock(ip);
	if (rc == 0)
		rc = bcache_flush();
	if (rc == 0)
		rc = blk_flush();
	return rc;
}

int64_t sys_fsync(int fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -VTLAB_EBADF;
	int rc = fsync_file(f);
	file_close(f);
	return rc;
}

int64_t sys_chdir(uint64_t upath)
{
	struct proc *p = myproc();
	struct inode *ip, *old;
	char *path;
	int rc;
	if ((rc = get_path(upath, &path)) != 0)
		return rc;
	op_begin(); /* as in sys_newfstatat: the lookup's iputs may free */
	if ((rc = namei(NULL, path, &ip)) == 0) {
		if ((rc = ilock(ip)) == 0) {
			if (ip->d.type != VTFS_T_DIR)
				rc = -VTLAB_ENOTDIR;
			iunlock(ip);
		}
		if (rc)
			iput(ip);
		else if ((old = fs_cwd_swap(p, ip)) != NULL)
			iput(old);
	}
	op_end();
	kfree(path);
	return rc;
}

int64_t sys_getcwd(uint64_t ubuf, size_t n)
{
	char *buf = kmalloc(FS_PATH_MAX);
	int rc;
	if (!buf)
		return -VTLAB_ENOMEM;
	op_begin(); /* fs_getcwd's iputs may free a directory removed meanwhile */
	rc = fs_getcwd(buf, n < FS_PATH_MAX ? n : FS_PATH_MAX);
	op_end();
	if (rc > 0 && copyout(ubuf, buf, (size_t)rc) != 0)
		rc = -VTLAB_EFAULT;
	kfree(buf);
	return rc;
}

int64_t sys_sync(void)
{
	return fs_sync();
}
