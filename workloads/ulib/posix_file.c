/*
 * posix_file.c - POSIX file functions over the kernel's file system calls:
 * read, write, open, close, lseek, fstat, stat, isatty, unlink, rmdir,
 * mkdir, ftruncate, fsync, chdir, getcwd.
 *
 * picolibc (newlib's sys/_default_fcntl.h) numbers O_* and AT_* flags
 * differently from Linux, so open() translates them to VTLAB_O_*; stat
 * results are copied field by field from the Linux layout (struct
 * vtlab_stat) into picolibc's struct stat.  Errors: -1 and errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syscall.h"
#include "vtlab.h"

ssize_t read(int fd, void *buf, size_t n)
{
	return vt_ret(vt_sys_read(fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return vt_ret(vt_sys_write(fd, buf, n));
}

static int open_flags_to_abi(int flags)
{
	int out = flags & O_ACCMODE; /* 0, 1, 2: the same values in both */
	if (flags & O_CREAT)
		out |= VTLAB_O_CREAT;
	if (flags & O_EXCL)
		out |= VTLAB_O_EXCL;
	if (flags & O_TRUNC)
		out |= VTLAB_O_TRUNC;
	if (flags & O_APPEND)
		out |= VTLAB_O_APPEND;
	if (flags & O_DIRECTORY)
		out |= VTLAB_O_DIRECTORY;
	if (flags & O_CLOEXEC)
		out |= VTLAB_O_CLOEXEC;
	return out;
}

int open(const char *path, int flags, ...)
{
	int mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return (int)vt_ret(vt_sys_openat(VTLAB_AT_FDCWD, path, open_flags_to_abi(flags), mode));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	return (int)vt_ret(vt_sys_close(fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	/* SEEK_SET/CUR/END are 0/1/2 in picolibc and Linux alike. */
	return (off_t)vt_ret(vt_sys_lseek(fd, off, whence));
}

static void stat_from_abi(struct stat *st, const struct vtlab_stat *k)
{
	memset(st, 0, sizeof *st);
	st->st_dev = (dev_t)k->st_dev;
	st->st_ino = (ino_t)k->st_ino;
	st->st_mode = (mode_t)k->st_mode; /* S_IF* are POSIX's octal values in both */
	st->st_nlink = (nlink_t)k->st_nlink;
	st->st_uid = (uid_t)k->st_uid;
	st->st_gid = (gid_t)k->st_gid;
	st->st_rdev = (dev_t)k->st_rdev;
	st->st_size = (off_t)k->st_size;
	st->st_blksize = k->st_blksize;
	st->st_blocks = k->st_blocks;
	st->st_atim.tv_sec = k->st_atime_sec;
	st->st_atim.tv_nsec = k->st_atime_nsec;
	st->st_mtim.tv_sec = k->st_mtime_sec;
	st->st_mtim.tv_nsec = k->st_mtime_nsec;
	st->st_ctim.tv_sec = k->st_ctime_sec;
	st->st_ctim.tv_nsec = k->st_ctime_nsec;
}

int fstat(int fd, struct stat *st)
{
	struct vtlab_stat k;
	if (vt_ret(vt_sys_fstat(fd, &k)) < 0)
		return -1;
	stat_from_abi(st, &k);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	struct vtlab_stat k;
	if (vt_ret(vt_sys_newfstatat(VTLAB_AT_FDCWD, path, &k, 0)) < 0)
		return -1;
	stat_from_abi(st, &k);
	return 0;
}

int lstat(const char *path, struct stat *st)
{
	return stat(path, st);
} /* no symlinks */

int isatty(int fd)
{
	struct vtlab_stat k;
	int64_t r = vt_sys_fstat(fd, &k);
	if (r < 0) {
		errno = vt_errno_from_abi((int)-r);
		return 0;
	}
	if ((k.st_mode & VTLAB_S_IFMT) != VTLAB_S_IFCHR) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

int unlink(const char *path)
{
	return (int)vt_ret(vt_sys_unlinkat(VTLAB_AT_FDCWD, path, 0));
}

int rmdir(const char *path)
{
	return (int)vt_ret(vt_sys_unlinkat(VTLAB_AT_FDCWD, path, VTLAB_AT_REMOVEDIR));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)vt_ret(vt_sys_mkdirat(VTLAB_AT_FDCWD, path, (int)mode));
}

int ftruncate(int fd, off_t len)
{
	return (int)vt_ret(vt_sys_ftruncate(fd, len));
}

int fsync(int fd)
{
	return (int)vt_ret(vt_sys_fsync(fd));
}

int chdir(const char *path)
{
	return (int)vt_ret(vt_sys_chdir(path));
}

char *getcwd(char *buf, size_t n)
{
	return vt_ret(vt_sys_getcwd(buf, n)) < 0 ? NULL : buf;
}

int sync_fs(void)
{
	return (int)vt_ret(vt_sys_sync());
}

void sync(void)
{
	vt_sys_sync();
}
