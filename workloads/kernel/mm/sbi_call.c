/*
 * sbi_call.c - calls into the SBI firmware (SBI spec v2.0 calling
 * convention: a7 = EID, a6 = FID, a0..a5 arguments; a0 = error, a1 =
 * value; docs/devices.md section 10), used by mm for remote sfence.vma
 * and by the self-tests to power off.
 */
#include "mm_priv.h"

struct mm_sbiret mm_sbi_call(long eid, long fid, long a0, long a1, long a2, long a3, long a4)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r4 __asm__("a4") = a4;
	register long r6 __asm__("a6") = fid;
	register long r7 __asm__("a7") = eid;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct mm_sbiret){ r0, r1 };
}

#define SBI_EXT_SRST 0x53525354

_Noreturn void mm_sbi_shutdown(bool failure)
{
	mm_sbi_call(SBI_EXT_SRST, 0, 0, failure ? 1 : 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
