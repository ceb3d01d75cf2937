/*
 * mman.c - mmap and munmap (Linux semantics; flags VTLAB_PROT_x, VTLAB_MAP_x of abi.h).
 */
#include "syscall.h"
#include "vtlab.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = vt_ret(vt_sys_mmap(addr, len, prot, flags, fd, off));
	return r < 0 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t len)
{
	return (int)vt_ret(vt_sys_munmap(addr, len));
}
