/*
 * syscall.h - raw system calls of the vtlab kernel (private to ulib).
 *
 * Contract (workloads/include/vtlab/abi.h): `ecall` from U-mode with the
 * number in a7 and arguments in a0-a5; a0 comes back as a value >= 0 or
 * -errno (Linux errno values, VTLAB_E*).  These helpers return that raw
 * value; the POSIX layer (posix_*.c) turns it into -1 and errno.
 */
#ifndef VTLAB_ULIB_SYSCALL_H
#define VTLAB_ULIB_SYSCALL_H

#include <stdint.h>

#include "vtlab/abi.h"

static inline int64_t vt_syscall6(long n, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				  uint64_t a4, uint64_t a5)
{
	register uint64_t r_a0 __asm__("a0") = a0;
	register uint64_t r_a1 __asm__("a1") = a1;
	register uint64_t r_a2 __asm__("a2") = a2;
	register uint64_t r_a3 __asm__("a3") = a3;
	register uint64_t r_a4 __asm__("a4") = a4;
	register uint64_t r_a5 __asm__("a5") = a5;
	register long r_a7 __asm__("a7") = n;
	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
			 : "memory");
	return (int64_t)r_a0;
}

#define VT_SYS0(n) vt_syscall6((n), 0, 0, 0, 0, 0, 0)
#define VT_SYS1(n, a) vt_syscall6((n), (uint64_t)(a), 0, 0, 0, 0, 0)
#define VT_SYS2(n, a, b) vt_syscall6((n), (uint64_t)(a), (uint64_t)(b), 0, 0, 0, 0)
#define VT_SYS3(n, a, b, c) vt_syscall6((n), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0, 0)
#define VT_SYS4(n, a, b, c, d)                                                                     \
	vt_syscall6((n), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), 0, 0)
#define VT_SYS6(n, a, b, c, d, e, f)                                                               \
	vt_syscall6((n), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d),               \
		    (uint64_t)(e), (uint64_t)(f))

/* errno.c: sets errno from a raw result; returns -1 if it was an error,
 * else the result unchanged. */
long vt_ret(int64_t raw);
/* errno.c: picolibc's errno value for a Linux/vtlab errno. */
int vt_errno_from_abi(int e);

#endif
