/*
 * usercopy.c - copyin/copyout/copyinstr (kernel.h): user pointers are
 * checked against [0, USER_TOP) first; the copy itself runs in copy.S
 * with sstatus.SUM = 1 (S-mode access to U pages, priv spec 4.1.1.2;
 * Svtlb 4.7), where a fault mm_fault() cannot resolve makes it return -1
 * (trap.c) and the call returns -VTLAB_EFAULT.
 */
#include "proc.h"

static bool user_range_ok(uint64_t ua, size_t n)
{
	return ua < USER_TOP && n <= USER_TOP - ua;
}

static int copy_with_sum(void *dst, const void *src, size_t n)
{
	csr_set(sstatus, SSTATUS_SUM);
	int r = copy_user_bytes(dst, src, n);
	csr_clear(sstatus, SSTATUS_SUM);
	return r;
}

int copyin(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return -VTLAB_EFAULT;
	return copy_with_sum(dst, (const void *)usrc, n) ? -VTLAB_EFAULT : 0;
}

int copyout(uint64_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -VTLAB_EFAULT;
	return copy_with_sum((void *)udst, src, n) ? -VTLAB_EFAULT : 0;
}

/* Copies in chunks up to the end of each page so that a string ending
 * just before an unmapped page is fine. */
int copyinstr(char *dst, uint64_t usrc, size_t max)
{
	size_t done = 0;
	while (done < max) {
		size_t chunk = PAGE_SIZE - ((usrc + done) & (PAGE_SIZE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (copyin(dst + done, usrc + done, chunk) < 0)
			return -VTLAB_EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (dst[done + i] == 0)
				return 0;
		done += chunk;
	}
	if (max)
		dst[max - 1] = 0;
	return -VTLAB_ENAMETOOLONG;
}
