/*
 * posix_fd.c - descriptor plumbing: dup, dup2, pipe, pipe2.  Errors: -1
 * and errno.
 */
#include <fcntl.h>
#include <unistd.h>

#include "syscall.h"
#include "vtlab.h"

int dup(int fd)
{
	return (int)vt_ret(vt_sys_dup(fd));
}

int dup2(int oldfd, int newfd)
{
	/* dup3 refuses oldfd == newfd (Linux); dup2 returns newfd if it is open. */
	if (oldfd == newfd) {
		struct vtlab_stat st;
		return vt_ret(vt_sys_fstat(oldfd, &st)) < 0 ? -1 : newfd;
	}
	return (int)vt_ret(vt_sys_dup3(oldfd, newfd, 0));
}

int pipe2(int fds[2], int flags)
{
	return (int)vt_ret(vt_sys_pipe2(fds, (flags & O_CLOEXEC) ? VTLAB_O_CLOEXEC : 0));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
