/*
 * htif.c - the host-target interface of riscv-tests and spike: the guest
 * stores a command into the 64-bit `tohost` word and waits for `fromhost`.
 *
 * Contract (riscv-test-env p/riscv_test.h and spike fesvr/htif.cc, device.cc):
 * a command is bits 63:56 device, 55:48 command, 47:0 payload.
 *  - device 0 (syscall proxy), command 0:
 *      payload odd: exit, code = value >> 1; 0 is "PASS" (exit 0), anything
 *        else is the failing TESTNUM: exit 1, reason "FAIL: test N";
 *      payload even and nonzero: guest-physical address of magic_mem, eight
 *        u64 [which, a0, a1, a2, ...] as the riscv-tests benchmarks'
 *        syscalls.c writes it; 64 = write(fd 1/2, buf, len) to the console,
 *        93 = exit(code).  The result goes to magic_mem[0] (negative errno on
 *        failure: -EFAULT bad buffer, -EBADF other fds, -ENOSYS unknown).
 *  - device 1 (bcd console), command 1: putchar(payload & 0xff).
 *  - anything else is ignored.
 * Afterwards tohost is cleared and, when the ELF has a fromhost word,
 * fromhost is set to 1 (the acknowledgement the guest polls for).  All guest
 * memory is reached through phys_ram_ptr(); a bad pointer never faults the
 * host.  Exit codes above 255 become 1 so they never read as success.
 */
#include <errno.h>
#include <string.h>

#include "console_out.h"
#include "devices.h"
#include "machine.h"

#define HTIF_DEV(v) ((v) >> 56)
#define HTIF_CMD(v) (((v) >> 48) & 0xff)
#define HTIF_PAYLOAD(v) ((v)&0xffffffffffffull)

#define SYS_WRITE 64
#define SYS_EXIT 93
#define MAGIC_WORDS 8

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int htif_exit_code(uint64_t code)
{
	return code == 0 ? 0 : code <= 255 ? (int)code : 1;
}

/* riscv-tests: tohost = (TESTNUM << 1) | 1, TESTNUM 0 meaning pass.  The
 * exit code is the test number, as Spike's (1 when it does not fit). */
static void htif_exit(struct machine *m, uint64_t val)
{
	uint64_t testnum = val >> 1;
	if (testnum == 0)
		machine_halt(m, 0, "PASS");
	else
		machine_halt(m, htif_exit_code(testnum), "FAIL: test %llu",
			     (unsigned long long)testnum);
}

static int64_t htif_sys_write(struct machine *m, uint64_t fd, uint64_t buf, uint64_t len)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (len == 0)
		return 0;
	const uint8_t *p = guest_ram_ptr(m, buf, len);
	if (!p)
		return -EFAULT;
	console_write(m, p, len);
	return (int64_t)len;
}

static void htif_syscall(struct machine *m, uint64_t addr)
{
	uint8_t *mm = guest_ram_ptr(m, addr, MAGIC_WORDS * 8);
	if (!mm)
		return; /* nowhere to put a result: acknowledge only */
	uint64_t which = ld64(mm), a0 = ld64(mm + 8), a1 = ld64(mm + 16), a2 = ld64(mm + 24);
	int64_t ret;
	switch (which) {
	case SYS_WRITE: ret = htif_sys_write(m, a0, a1, a2); break;
	case SYS_EXIT:
		machine_halt(m, htif_exit_code(a0), "guest exit(%llu)", (unsigned long long)a0);
		ret = 0;
		break;
	default: ret = -ENOSYS; break;
	}
	st64(mm, (uint64_t)ret);
}

static void htif_ack(struct machine *m)
{
	uint8_t *to = m->tohost ? phys_ram_ptr(m, m->tohost, 8) : NULL;
	if (to)
		st64(to, 0);
	uint8_t *from = m->fromhost ? phys_ram_ptr(m, m->fromhost, 8) : NULL;
	if (from)
		st64(from, 1);
}

int htif_store(struct machine *m, struct hart *h, uint64_t val)
{
	(void)h;
	if (val == 0)
		return 0; /* the guest clearing tohost, nothing to do */
	uint64_t dev = HTIF_DEV(val), cmd = HTIF_CMD(val);
	if (dev == 0 && cmd == 0) {
		if (val & 1)
			htif_exit(m, val);
		else
			htif_syscall(m, HTIF_PAYLOAD(val));
	} else if (dev == 1 && cmd == 1) {
		console_putc(m, (uint8_t)HTIF_PAYLOAD(val));
	}
	htif_ack(m);
	return 0;
}
