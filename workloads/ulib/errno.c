/*
 * errno.c - the kernel's errno values (Linux's, VTLAB_E*) to picolibc's.
 *
 * picolibc numbers some errors differently from Linux (newlib's
 * sys/errno.h: ENOSYS 88, ENOTEMPTY 90, ENAMETOOLONG 91, ETIMEDOUT 116), so
 * every error the kernel can return is mapped by name.
 */
#include <errno.h>

#include "syscall.h"

int vt_errno_from_abi(int e)
{
	switch (e) {
	case VTLAB_EPERM: return EPERM;
	case VTLAB_ENOENT: return ENOENT;
	case VTLAB_ESRCH: return ESRCH;
	case VTLAB_EINTR: return EINTR;
	case VTLAB_EIO: return EIO;
	case VTLAB_E2BIG: return E2BIG;
	case VTLAB_ENOEXEC: return ENOEXEC;
	case VTLAB_EBADF: return EBADF;
	case VTLAB_ECHILD: return ECHILD;
	case VTLAB_EAGAIN: return EAGAIN;
	case VTLAB_ENOMEM: return ENOMEM;
	case VTLAB_EFAULT: return EFAULT;
	case VTLAB_EBUSY: return EBUSY;
	case VTLAB_EEXIST: return EEXIST;
	case VTLAB_ENOTDIR: return ENOTDIR;
	case VTLAB_EISDIR: return EISDIR;
	case VTLAB_EINVAL: return EINVAL;
	case VTLAB_EMFILE: return EMFILE;
	case VTLAB_EFBIG: return EFBIG;
	case VTLAB_ENOSPC: return ENOSPC;
	case VTLAB_ESPIPE: return ESPIPE;
	case VTLAB_EPIPE: return EPIPE;
	case VTLAB_ERANGE: return ERANGE;
	case VTLAB_ENAMETOOLONG: return ENAMETOOLONG;
	case VTLAB_ENOSYS: return ENOSYS;
	case VTLAB_ENOTEMPTY: return ENOTEMPTY;
	case VTLAB_ETIMEDOUT: return ETIMEDOUT;
	default: return EIO; /* an errno the ABI does not list */
	}
}

long vt_ret(int64_t raw)
{
	/* Linux's convention: results in [-4095, -1] are errors. */
	if (raw < 0 && raw >= -4095) {
		errno = vt_errno_from_abi((int)-raw);
		return -1;
	}
	return (long)raw;
}
