/*
 * dir.c - opendir/readdir/closedir over SYS_getdents64 (records are
 * Linux's struct linux_dirent64, abi.h struct vtlab_dirent64).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscall.h"
#include "vtlab.h"

struct vt_dir {
	int fd;
	size_t pos, len; /* parsed / valid bytes of buf */
	struct dirent ent;
	char buf[2048] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	DIR *d = malloc(sizeof *d);
	if (!d) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		long n = vt_ret(vt_sys_getdents64(d->fd, d->buf, sizeof d->buf));
		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	const struct vtlab_dirent64 *r = (const struct vtlab_dirent64 *)(d->buf + d->pos);
	if (r->d_reclen < offsetof(struct vtlab_dirent64, d_name) ||
	    d->pos + r->d_reclen > d->len) {
		errno = EIO; /* a malformed record: stop rather than read past it */
		d->pos = d->len;
		return NULL;
	}
	size_t name_max = r->d_reclen - offsetof(struct vtlab_dirent64, d_name);
	d->pos += r->d_reclen;
	d->ent.d_ino = r->d_ino;
	d->ent.d_type = r->d_type;
	size_t n = strnlen(r->d_name, name_max);
	if (n >= sizeof d->ent.d_name)
		n = sizeof d->ent.d_name - 1;
	memcpy(d->ent.d_name, r->d_name, n);
	d->ent.d_name[n] = 0;
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}
