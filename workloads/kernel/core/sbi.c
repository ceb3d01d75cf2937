/*
 * sbi.c - calls to the firmware (SBI v2.0 calling convention: a7 = EID,
 * a6 = FID, a0.. arguments; a0 = error, a1 = value; docs/devices.md 10)
 * and the machine's power-off through the syscon (docs/devices.md 8),
 * which keeps the exit code (SRST only distinguishes 0 from non-zero).
 */
#include "riscv.h"

#define SBI_EID_TIME 0x54494D45
#define SBI_EID_IPI 0x735049
#define SBI_EID_SRST 0x53525354
#define SYSCON_PA 0x100000ull

struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

void sbi_set_timer(uint64_t stime)
{
	sbi_call(SBI_EID_TIME, 0, stime, 0, 0);
}

long sbi_send_ipi(uint64_t mask, uint64_t base)
{
	return sbi_call(SBI_EID_IPI, 0, mask, base, 0).error;
}

_Noreturn void machine_poweroff(int code)
{
	volatile uint32_t *syscon = io_map(SYSCON_PA);
	*syscon = code == 0 ? 0x5555u : (((uint32_t)code & 0xffff) << 16) | 0x3333u;
	/* The syscon ends the run; SRST as a fallback (reason != 0 -> exit 1). */
	sbi_call(SBI_EID_SRST, 0, 0, code != 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
