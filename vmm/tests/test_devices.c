/*
 * test_devices.c - host unit tests of the device models, the HTIF
 * convention and the SBI firmware.
 *
 * Each test builds a small machine by hand (test_machine_new: RAM + fake
 * harts), attaches devices through their public *_attach() functions and
 * drives them through the bus (phys_read/phys_write), then checks guest
 * visible registers, guest RAM, the disk file, interrupt lines (mip bits of
 * the harts), counters and the exit the machine recorded.  Engine functions
 * the devices call come from devices_doubles.c.  Disk images are temporary
 * files in /tmp: a 64-sector image, and a sparse 2 TiB one for sector
 * numbers above 32 bits (skipped with a note where /tmp cannot hold it).
 * Out-of-bounds guest values are checked by status and register values;
 * run the ASan build too, which also reports host memory touched past
 * guest RAM, leaks and shifts by 32 or more.  As root the read-only image
 * checks are skipped (root writes a 0444 file).
 *
 * Build and run (from /work/main; sbi.c and htif.c need the tracer, so
 * the Makefile links the test with the libraries):
 *   make build/test/vmm/tests/test_devices && build/test/vmm/tests/test_devices
 *   make build/asan/test/vmm/tests/test_devices && build/asan/test/vmm/tests/test_devices
 * Last line: "N passed, N failed"; exit status non-zero on any failure.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"
#include "devices_doubles.h"
#include "disk_image.h"
#include "machine.h"
#include "sbi.h"

static unsigned passed, failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long va_ = (unsigned long long)(a), vb_ = (unsigned long long)(b);   \
		if (va_ == vb_) {                                                                  \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			fprintf(stderr, "%s:%d: %s == %s: got 0x%llx, expected 0x%llx\n",          \
				__FILE__, __LINE__, #a, #b, va_, vb_);                             \
		}                                                                                  \
	} while (0)

#define RAM_SIZE (1u << 20)

static char errbuf[256];

/* Register accessors through the bus, as a hart would do them. */
static uint64_t rd(struct machine *m, struct hart *h, uint64_t pa, unsigned size)
{
	uint64_t v = 0xdeadbeef;
	int r = phys_read(m, h, pa, size, &v);
	CHECK_EQ(r, 0);
	return v;
}

static void wr(struct machine *m, struct hart *h, uint64_t pa, unsigned size, uint64_t v)
{
	CHECK_EQ(phys_write(m, h, pa, size, v), 0);
}

static uint8_t *ram(struct machine *m, uint64_t pa)
{
	return m->ram + (pa - RAM_BASE);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Reads back everything written to a tmpfile console. */
static size_t console_text(FILE *f, char *buf, size_t cap)
{
	fflush(f);
	rewind(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	rewind(f);
	if (ftruncate(fileno(f), 0) != 0)
		perror("ftruncate");
	return n;
}

/* ---- PLIC helpers ------------------------------------------------------ */
#define PLIC_PRIO(s) (PLIC_BASE + 4 * (s))
#define PLIC_PEND (PLIC_BASE + 0x1000)
#define PLIC_EN(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THR(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_THR(ctx) + 4)

static void test_plic(void)
{
	struct machine *m = test_machine_new(2, RAM_SIZE, NULL);
	struct hart *h0 = m->harts[0], *h1 = m->harts[1];
	CHECK_EQ(plic_attach(m, errbuf, sizeof errbuf), 0);

	wr(m, h0, PLIC_PRIO(0), 4, 7);
	CHECK_EQ(rd(m, h0, PLIC_PRIO(0), 4), 0); /* source 0 does not exist */
	wr(m, h0, PLIC_PRIO(3), 4, 0xff);
	CHECK_EQ(rd(m, h0, PLIC_PRIO(3), 4), 7); /* 3-bit priorities */
	wr(m, h0, PLIC_PRIO(5), 4, 2);

	/* a line raised while not enabled: pending, but no hart interrupt */
	plic_set_irq(m, 3, 1);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 1u << 3);
	CHECK_EQ(h0->mip & (MIP_MEIP | MIP_SEIP), 0);

	/* enable for hart 1 S-mode (context 3) only */
	wr(m, h0, PLIC_EN(3), 4, (1u << 3) | (1u << 5) | 1u);
	CHECK_EQ(rd(m, h0, PLIC_EN(3), 4), (1u << 3) | (1u << 5)); /* bit 0 hardwired */
	CHECK_EQ(h1->mip & MIP_SEIP, MIP_SEIP);
	CHECK_EQ(h1->mip & MIP_MEIP, 0);
	CHECK_EQ(h0->mip & (MIP_MEIP | MIP_SEIP), 0);

	/* threshold masks priorities <= threshold */
	wr(m, h0, PLIC_THR(3), 4, 7);
	CHECK_EQ(h1->mip & MIP_SEIP, 0);
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(3), 4), 0);
	wr(m, h0, PLIC_THR(3), 4, 0);

	/* highest priority first: 5 (prio 2) beats 3 (prio 7)? no: 3 has 7 */
	plic_set_irq(m, 5, 1);
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(3), 4), 3);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 1u << 5); /* 3 claimed: not pending */
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(3), 4), 5);
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(3), 4), 0);
	CHECK_EQ(h1->mip & MIP_SEIP, 0);

	/* line 3 still high: completion makes it pending again (level) */
	wr(m, h1, PLIC_CLAIM(3), 4, 3);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 1u << 3);
	CHECK_EQ(h1->mip & MIP_SEIP, MIP_SEIP);
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(3), 4), 3);
	plic_set_irq(m, 3, 0);
	wr(m, h1, PLIC_CLAIM(3), 4, 3);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 0);

	/* a line dropped before the claim withdraws the request */
	plic_set_irq(m, 3, 1);
	CHECK_EQ(h1->mip & MIP_SEIP, MIP_SEIP);
	plic_set_irq(m, 3, 0);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 0);
	CHECK_EQ(h1->mip & MIP_SEIP, 0);

	/* completion of a source not enabled for the context is ignored */
	plic_set_irq(m, 5, 0);
	wr(m, h1, PLIC_CLAIM(2), 4, 5); /* context 2 has nothing enabled */
	plic_set_irq(m, 5, 1);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 0); /* still in flight */
	wr(m, h1, PLIC_CLAIM(3), 4, 5);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), 1u << 5);

	/* equal priorities: lowest id wins; M context of hart 0 */
	wr(m, h0, PLIC_PRIO(9), 4, 2);
	plic_set_irq(m, 9, 1);
	wr(m, h0, PLIC_EN(0), 4, (1u << 9) | (1u << 5));
	CHECK_EQ(h0->mip & MIP_MEIP, MIP_MEIP);
	CHECK_EQ(rd(m, h0, PLIC_CLAIM(0), 4), 5);
	CHECK_EQ(rd(m, h0, PLIC_CLAIM(0), 4), 9);
	CHECK_EQ(h0->mip & MIP_MEIP, 0);

	/* priority 0 never interrupts */
	wr(m, h0, PLIC_PRIO(9), 4, 0);
	wr(m, h0, PLIC_CLAIM(0), 4, 9);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4) >> 9 & 1, 1);
	CHECK_EQ(rd(m, h0, PLIC_CLAIM(0), 4), 0);

	/* out-of-range sources and bad access sizes */
	plic_set_irq(m, 0, 1);
	plic_set_irq(m, 32, 1);
	plic_set_irq(m, 1000, 1);
	uint64_t v;
	CHECK_EQ(phys_read(m, h0, PLIC_PRIO(1), 8, &v), -1);
	CHECK_EQ(phys_write(m, h0, PLIC_PRIO(1) + 1, 4, 1), -1);
	CHECK_EQ(rd(m, h0, PLIC_BASE + 0x3000000, 4), 0); /* reserved space */
	CHECK_EQ(phys_read(m, h0, PLIC_PRIO(1) + 2, 4, &v), -1);

	/* source 31, the last one, is claimable like the others */
	wr(m, h0, PLIC_PRIO(31), 4, 1);
	wr(m, h0, PLIC_EN(2), 4, 1u << 31);
	plic_set_irq(m, 31, 1);
	CHECK_EQ(h1->mip & MIP_MEIP, MIP_MEIP);
	CHECK_EQ(rd(m, h1, PLIC_CLAIM(2), 4), 31);
	plic_set_irq(m, 31, 0);
	wr(m, h1, PLIC_CLAIM(2), 4, 31);
	CHECK_EQ(h1->mip & MIP_MEIP, 0);

	/* completions of ids that are no source are ignored (and must not
	 * shift by 32 or more: an ASan/UBSan build checks) */
	wr(m, h1, PLIC_CLAIM(2), 4, 32);
	wr(m, h1, PLIC_CLAIM(2), 4, 0xffffffffu);
	wr(m, h1, PLIC_CLAIM(2), 4, 0);

	/* the output only changes when the answer does: hart_set_mip() forces
	 * a dispatch exit, so an update that changes nothing signals nothing */
	unsigned calls = dbl.mip_calls;
	wr(m, h0, PLIC_PRIO(20), 4, 3);
	wr(m, h0, PLIC_THR(5), 4, 1);
	plic_set_irq(m, 21, 0);
	CHECK_EQ(dbl.mip_calls, calls);

	/* thresholds keep 3 bits; reserved words of a context read 0 */
	wr(m, h0, PLIC_THR(0), 4, 0xff);
	CHECK_EQ(rd(m, h0, PLIC_THR(0), 4), 7);
	CHECK_EQ(rd(m, h0, PLIC_THR(0) + 8, 4), 0);
	CHECK_EQ(rd(m, h0, PLIC_THR(0) + 0xffc, 4), 0);
	/* every context of the MAX_HARTS hart slots exists, the last one too */
	wr(m, h0, PLIC_THR(2 * MAX_HARTS - 1), 4, 5);
	CHECK_EQ(rd(m, h0, PLIC_THR(2 * MAX_HARTS - 1), 4), 5);

	/* the first word past each array is reserved: it reads 0 and ignores
	 * writes, and the state next to the array in the PLIC (the line
	 * levels, the first threshold, the outputs) is untouched */
	uint32_t pend = (uint32_t)rd(m, h0, PLIC_PEND, 4);
	uint64_t mip0 = h0->mip, mip1 = h1->mip;
	plic_set_irq(m, 6, 1); /* a line high: the word after the priorities */
	CHECK_EQ(rd(m, h0, PLIC_PRIO(32), 4), 0);
	wr(m, h0, PLIC_PRIO(32), 4, 7);
	plic_set_irq(m, 6, 0);
	CHECK_EQ(rd(m, h0, PLIC_PEND, 4), pend);
	CHECK_EQ(rd(m, h0, PLIC_EN(2 * MAX_HARTS), 4), 0);
	wr(m, h0, PLIC_EN(2 * MAX_HARTS), 4, 0xfffffffeu);
	CHECK_EQ(rd(m, h0, PLIC_THR(0), 4), 7);
	/* enable words of sources 32-63 do not exist in a 31-source PLIC */
	CHECK_EQ(rd(m, h0, PLIC_EN(0) + 4, 4), 0);
	wr(m, h0, PLIC_EN(0) + 4, 4, 0xffffffffu);
	CHECK_EQ(rd(m, h0, PLIC_EN(0), 4), (1u << 9) | (1u << 5));
	CHECK_EQ(rd(m, h0, PLIC_THR(2 * MAX_HARTS), 4), 0);
	wr(m, h0, PLIC_THR(2 * MAX_HARTS), 4, 7);
	CHECK_EQ(rd(m, h0, PLIC_CLAIM(2 * MAX_HARTS), 4), 0);
	wr(m, h0, PLIC_THR(0), 4, 0);
	CHECK_EQ(h0->mip, mip0);
	CHECK_EQ(h1->mip, mip1);
	test_machine_free(m);

	/* no PLIC in the machine: a device's interrupt goes nowhere */
	m = test_machine_new(1, RAM_SIZE, NULL);
	plic_set_irq(m, 1, 1);
	plic_set_irq(m, 1, 0);
	test_machine_free(m);
}

/* ---- UART ---------------------------------------------------------------- */
static void test_uart(void)
{
	FILE *con = tmpfile();
	struct machine *m = test_machine_new(1, RAM_SIZE, con);
	struct hart *h = m->harts[0];
	char out[256];
	CHECK_EQ(plic_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(uart_attach(m, errbuf, sizeof errbuf), 0);

	CHECK_EQ(rd(m, h, UART_BASE + 5, 1), 0x60); /* THRE|TEMT, no DR */
	CHECK_EQ(rd(m, h, UART_BASE + 0, 1), 0);    /* no input */
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0x01); /* no interrupt */
	for (const char *s = "hi\n"; *s; s++)
		wr(m, h, UART_BASE, 1, (uint8_t)*s);
	CHECK_EQ(console_text(con, out, sizeof out), 3);
	CHECK(strcmp(out, "hi\n") == 0);

	/* DLAB: offsets 0/1 become the divisor latch, nothing is output */
	wr(m, h, UART_BASE + 3, 1, 0x83);
	wr(m, h, UART_BASE + 0, 1, 0x0c);
	wr(m, h, UART_BASE + 1, 1, 0x01);
	CHECK_EQ(rd(m, h, UART_BASE + 0, 1), 0x0c);
	CHECK_EQ(rd(m, h, UART_BASE + 1, 1), 0x01);
	wr(m, h, UART_BASE + 3, 1, 0x03);
	CHECK_EQ(rd(m, h, UART_BASE + 3, 1), 0x03);
	CHECK_EQ(rd(m, h, UART_BASE + 1, 1), 0); /* IER untouched */
	CHECK_EQ(console_text(con, out, sizeof out), 0);

	wr(m, h, UART_BASE + 7, 1, 0xa5);
	CHECK_EQ(rd(m, h, UART_BASE + 7, 1), 0xa5);
	wr(m, h, UART_BASE + 2, 1, 0x07); /* FIFO enable + resets */
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0xc1);

	/* THR-empty interrupt through the PLIC, S context of hart 0 */
	wr(m, h, PLIC_PRIO(IRQ_SRC_UART), 4, 1);
	wr(m, h, PLIC_EN(1), 4, 1u << IRQ_SRC_UART);
	CHECK_EQ(h->mip & MIP_SEIP, 0);
	wr(m, h, UART_BASE + 1, 1, 0x02);
	CHECK_EQ(h->mip & MIP_SEIP, MIP_SEIP);
	CHECK_EQ(rd(m, h, PLIC_CLAIM(1), 4), IRQ_SRC_UART);
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0xc2); /* THRI; reading clears it */
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0xc1);
	wr(m, h, PLIC_CLAIM(1), 4, IRQ_SRC_UART);
	CHECK_EQ(h->mip & MIP_SEIP, 0);
	wr(m, h, UART_BASE, 1, 'x'); /* transmitted at once: empty again */
	CHECK_EQ(h->mip & MIP_SEIP, MIP_SEIP);
	wr(m, h, UART_BASE + 1, 1, 0x00); /* disabling drops the line */
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 0);

	uint64_t v;
	CHECK_EQ(phys_read(m, h, UART_BASE + 5, 4, &v), -1);
	CHECK_EQ(phys_write(m, h, UART_BASE, 2, 'y'), -1);
	console_text(con, out, sizeof out);
	CHECK(strcmp(out, "x") == 0);

	/* reading IIR cleared THR empty; rewriting IER with ETBEI already set
	 * is no 0->1 edge, so it does not latch it again (docs/devices.md
	 * section 4; PC16550D) */
	wr(m, h, UART_BASE + 1, 1, 0x02);
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0xc2);
	wr(m, h, UART_BASE + 1, 1, 0x02);
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0xc1);
	/* IER keeps bits 3:0, MCR bits 4:0; MSR reports the modem lines */
	wr(m, h, UART_BASE + 1, 1, 0xf0);
	CHECK_EQ(rd(m, h, UART_BASE + 1, 1), 0);
	wr(m, h, UART_BASE + 4, 1, 0xff);
	CHECK_EQ(rd(m, h, UART_BASE + 4, 1), 0x1f);
	CHECK_EQ(rd(m, h, UART_BASE + 6, 1), 0xb0);
	/* the divisor latch is not RBR once DLAB is off again */
	CHECK_EQ(rd(m, h, UART_BASE + 0, 1), 0);
	/* IIR bits 7:6 follow FCR bit 0 (FIFO enable), not the other FCR bits */
	wr(m, h, UART_BASE + 2, 1, 0xc8);
	CHECK_EQ(rd(m, h, UART_BASE + 2, 1), 0x01);
	/* offsets 8..0xff of the window are unlisted: read 0 */
	CHECK_EQ(rd(m, h, UART_BASE + 8, 1), 0);
	CHECK_EQ(rd(m, h, UART_BASE + 0xff, 1), 0);

	/* no console configured: output is discarded without harm */
	m->cfg.console = NULL;
	wr(m, h, UART_BASE, 1, 'z');
	test_machine_free(m);
	fclose(con);
}

/* ---- CLINT ----------------------------------------------------------------- */
static void test_clint(void)
{
	struct machine *m = test_machine_new(2, RAM_SIZE, NULL);
	struct hart *h0 = m->harts[0], *h1 = m->harts[1];
	CHECK_EQ(clint_attach(m, errbuf, sizeof errbuf), 0);

	wr(m, h0, CLINT_BASE + 4, 4, 1);
	CHECK_EQ(h1->mip & MIP_MSIP, MIP_MSIP);
	CHECK_EQ(h0->mip & MIP_MSIP, 0);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 4, 4), 1);
	wr(m, h0, CLINT_BASE + 4, 4, 0);
	CHECK_EQ(h1->mip & MIP_MSIP, 0);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 8, 4), 0); /* hart 2 does not exist */
	wr(m, h0, CLINT_BASE + 8, 4, 1);           /* ignored, no crash */

	/* mtime is the accessing hart's modeled time (cycles / ticks_div) */
	h0->cycles = 123400;
	h1->cycles = 500;
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0xbff8, 8), 1234);
	CHECK_EQ(rd(m, h1, CLINT_BASE + 0xbff8, 8), 5);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0xbff8, 4), 1234);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0xbffc, 4), 0);
	wr(m, h0, CLINT_BASE + 0xbff8, 8, 99); /* ignored */
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0xbff8, 8), 1234);
	/* the unlisted offsets after mtime read 0 and ignore writes
	 * (docs/devices.md section 1), aligned accesses only */
	{
		uint64_t v;
		CHECK_EQ(rd(m, h0, CLINT_BASE + 0xc000, 8), 0);
		CHECK_EQ(rd(m, h0, CLINT_BASE + 0xfffc, 4), 0);
		wr(m, h0, CLINT_BASE + 0xfff8, 8, 99);
		CHECK_EQ(rd(m, h0, CLINT_BASE + 0xfff8, 8), 0);
		CHECK_EQ(phys_read(m, h0, CLINT_BASE + 0xc004, 8, &v), -1);
		CHECK_EQ(phys_write(m, h0, CLINT_BASE + 0xc002, 4, 1), -1);
		CHECK_EQ(rd(m, h0, CLINT_BASE + 0xbff8, 8), 1234);
	}

	/* mtimecmp: stored in the machine, MTIP follows mtime >= mtimecmp */
	wr(m, h0, CLINT_BASE + 0x4000, 8, 1000);
	CHECK_EQ(m->mtimecmp[0], 1000);
	CHECK_EQ(h0->mip & MIP_MTIP, MIP_MTIP);
	wr(m, h0, CLINT_BASE + 0x4000, 8, 0x123456789abcull);
	CHECK_EQ(h0->mip & MIP_MTIP, 0);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0x4004, 4), 0x1234);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0x4000, 4), 0x56789abc);
	wr(m, h0, CLINT_BASE + 0x400c, 4, 0); /* hart 1 high half */
	wr(m, h0, CLINT_BASE + 0x4008, 4, 7);
	CHECK_EQ(m->mtimecmp[1], 7);
	CHECK_EQ(h1->mip & MIP_MTIP, 0); /* hart 1 at mtime 5 < 7 */
	h1->cycles = 700;
	wr(m, h0, CLINT_BASE + 0x4008, 4, 7);
	CHECK_EQ(h1->mip & MIP_MTIP, MIP_MTIP);

	/* with the SBI firmware owning the timer, the bit is STIP */
	m->firmware = true;
	wr(m, h0, CLINT_BASE + 0x4000, 8, 0);
	CHECK_EQ(h0->mip & MIP_STIP, MIP_STIP);

	uint64_t v;
	CHECK_EQ(phys_read(m, h0, CLINT_BASE + 0x4002, 4, &v), -1);
	CHECK_EQ(phys_read(m, h0, CLINT_BASE + 0, 8, &v), -1);
	CHECK_EQ(phys_write(m, h0, CLINT_BASE + 0x4000, 2, 0), -1);
	CHECK_EQ(rd(m, NULL, CLINT_BASE + 0xbff8, 8), 1234); /* host access: hart 0 */

	/* only aligned 32-bit msip and aligned 32/64-bit parts of mtimecmp and
	 * mtime exist (docs/devices.md section 2); mtime ignores writes, but a
	 * malformed one still faults */
	CHECK_EQ(phys_read(m, h0, CLINT_BASE + 2, 4, &v), -1);
	CHECK_EQ(phys_write(m, h0, CLINT_BASE + 6, 4, 1), -1);
	CHECK_EQ(h1->mip & MIP_MSIP, 0);
	CHECK_EQ(phys_read(m, h0, CLINT_BASE + 0x4004, 8, &v), -1);
	CHECK_EQ(phys_write(m, h0, CLINT_BASE + 0x4004, 8, 0), -1);
	CHECK_EQ(phys_write(m, h0, CLINT_BASE + 0xbffc, 8, 0), -1);
	CHECK_EQ(phys_write(m, h0, CLINT_BASE + 0xbff8, 2, 0), -1);
	/* msip is bit 0 only */
	wr(m, h0, CLINT_BASE + 4, 4, 2);
	CHECK_EQ(h1->mip & MIP_MSIP, 0);
	/* one 32-bit half changes only its own half; a sw stores the whole
	 * register (mmu_store), so the bits above 31 of the value are not
	 * part of the store */
	m->firmware = false;
	wr(m, h0, CLINT_BASE + 0x4008, 8, 0x1111111122222222ull);
	wr(m, h0, CLINT_BASE + 0x400c, 4, 0x33333333);
	CHECK_EQ(m->mtimecmp[1], 0x3333333322222222ull);
	wr(m, h0, CLINT_BASE + 0x4008, 4, 0xffffffff00000044ull);
	CHECK_EQ(m->mtimecmp[1], 0x3333333300000044ull);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0x4008, 8), 0x3333333300000044ull);

	/* registers of absent harts, up to the last index the window decodes
	 * (msip 0xFFF, mtimecmp 0xFFE: far past MAX_HARTS) read 0 and ignore
	 * writes; m->mtimecmp[] of an absent hart is not the guest's (machine.c
	 * sets it to "no deadline") and stays as it is */
	m->mtimecmp[2] = UINT64_MAX;
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0x4010, 8), 0);
	wr(m, h0, CLINT_BASE + 0x4010, 8, 5);
	CHECK_EQ(m->mtimecmp[2], UINT64_MAX);
	static const uint64_t far[] = { 0x4000 + 8 * MAX_HARTS, 0x4000 + 8 * 0xffe };
	for (unsigned i = 0; i < 2; i++) {
		wr(m, h0, CLINT_BASE + far[i], 8, 5);
		wr(m, h0, CLINT_BASE + far[i] + 4, 4, 5);
		CHECK_EQ(rd(m, h0, CLINT_BASE + far[i], 8), 0);
		CHECK_EQ(rd(m, h0, CLINT_BASE + far[i] + 4, 4), 0);
	}
	wr(m, h0, CLINT_BASE + 4 * MAX_HARTS, 4, 1);
	wr(m, h0, CLINT_BASE + 0x3ffc, 4, 1);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 4 * MAX_HARTS, 4), 0);
	CHECK_EQ(rd(m, h0, CLINT_BASE + 0x3ffc, 4), 0);
	CHECK_EQ(m->mtimecmp[0], 0);
	CHECK_EQ(m->mtimecmp[1], 0x3333333300000044ull);
	test_machine_free(m);
}

/* ---- block controller ------------------------------------------------------- */
#define BLK_R(o) (BLK_BASE + (o))
enum {
	B_ID = 0x00,
	B_VER = 0x04,
	B_SLO = 0x08,
	B_SHI = 0x0c,
	B_DLO = 0x10,
	B_DHI = 0x14,
	B_COUNT = 0x18,
	B_CMD = 0x1c,
	B_STATUS = 0x20,
	B_CAPLO = 0x24,
	B_CAPHI = 0x28,
	B_CTRL = 0x2c,
	B_IRQST = 0x30,
	B_ACK = 0x34,
	B_MAX = 0x38
};

#define DISK_SECTORS 64u

static void make_disk(char *path, size_t cap)
{
	snprintf(path, cap, "/tmp/vtlab-test-disk-XXXXXX");
	int fd = mkstemp(path);
	uint8_t sec[DISK_SECTOR];
	for (unsigned s = 0; s < DISK_SECTORS; s++) {
		for (unsigned i = 0; i < DISK_SECTOR; i++)
			sec[i] = (uint8_t)(s * 7 + i);
		if (write(fd, sec, sizeof sec) != (ssize_t)sizeof sec)
			perror("write");
	}
	if (write(fd, "tail", 4) != 4) /* partial trailing sector: ignored */
		perror("write");
	close(fd);
}

static uint32_t blk_cmd(struct machine *m, struct hart *h, uint64_t sector, uint64_t dma,
			uint32_t count, uint32_t cmd)
{
	wr(m, h, BLK_R(B_SLO), 4, (uint32_t)sector);
	wr(m, h, BLK_R(B_SHI), 4, sector >> 32);
	wr(m, h, BLK_R(B_DLO), 4, (uint32_t)dma);
	wr(m, h, BLK_R(B_DHI), 4, dma >> 32);
	wr(m, h, BLK_R(B_COUNT), 4, count);
	wr(m, h, BLK_R(B_CMD), 4, cmd);
	return (uint32_t)rd(m, h, BLK_R(B_STATUS), 4);
}

static void test_blk(void)
{
	char path[64];
	make_disk(path, sizeof path);
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	CHECK_EQ(plic_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK_EQ(rd(m, h, BLK_R(B_ID), 4), 0x6b6c6276);
	CHECK_EQ(rd(m, h, BLK_R(B_VER), 4), 1);
	CHECK_EQ(rd(m, h, BLK_R(B_CAPLO), 4), DISK_SECTORS);
	CHECK_EQ(rd(m, h, BLK_R(B_CAPHI), 4), 0);
	CHECK_EQ(rd(m, h, BLK_R(B_MAX), 4), DISK_MAX_SECTORS);

	/* read sectors 3..4 into RAM */
	uint64_t buf = RAM_BASE + 0x1000;
	CHECK_EQ(blk_cmd(m, h, 3, buf, 2, DISK_OP_READ), DISK_OK);
	CHECK_EQ(ram(m, buf)[0], (uint8_t)(3 * 7));
	CHECK_EQ(ram(m, buf)[DISK_SECTOR + 5], (uint8_t)(4 * 7 + 5));
	CHECK_EQ(h->st.ev[EV_BLK_IO], 1);
	CHECK_EQ(rd(m, h, BLK_R(B_SLO), 4), 3);
	CHECK_EQ(rd(m, h, BLK_R(B_COUNT), 4), 2);

	/* write the last sector from RAM, then read it back through the file */
	memset(ram(m, buf), 0xab, DISK_SECTOR);
	CHECK_EQ(blk_cmd(m, h, DISK_SECTORS - 1, buf, 1, DISK_OP_WRITE), DISK_OK);
	CHECK_EQ(blk_cmd(m, h, 0, 0, 0, DISK_OP_FLUSH), DISK_OK);
	FILE *f = fopen(path, "rb");
	uint8_t sec[DISK_SECTOR] = { 0 };
	fseek(f, (long)(DISK_SECTORS - 1) * DISK_SECTOR, SEEK_SET);
	CHECK_EQ(fread(sec, 1, sizeof sec, f), sizeof sec);
	fclose(f);
	CHECK_EQ(sec[0], 0xab);
	CHECK_EQ(sec[DISK_SECTOR - 1], 0xab);

	/* bounds: nothing is transferred and the status says why */
	memset(ram(m, buf), 0, DISK_SECTOR);
	CHECK_EQ(blk_cmd(m, h, 0, 0x1000, 1, DISK_OP_READ), DISK_ERR_DMA); /* below RAM */
	CHECK_EQ(blk_cmd(m, h, 0, RAM_BASE + RAM_SIZE - 256, 1, DISK_OP_READ), DISK_ERR_DMA);
	CHECK_EQ(blk_cmd(m, h, 0, UINT64_MAX - 100, 1, DISK_OP_READ), DISK_ERR_DMA);
	CHECK_EQ(blk_cmd(m, h, 0, buf, 0, DISK_OP_READ), DISK_ERR_COUNT);
	CHECK_EQ(blk_cmd(m, h, 0, buf, 0xffffffffu, DISK_OP_READ), DISK_ERR_COUNT);
	CHECK_EQ(blk_cmd(m, h, 0, buf, DISK_MAX_SECTORS + 1, DISK_OP_READ), DISK_ERR_COUNT);
	CHECK_EQ(blk_cmd(m, h, DISK_SECTORS, buf, 1, DISK_OP_READ), DISK_ERR_RANGE);
	CHECK_EQ(blk_cmd(m, h, DISK_SECTORS - 1, buf, 2, DISK_OP_WRITE), DISK_ERR_RANGE);
	CHECK_EQ(blk_cmd(m, h, UINT64_MAX, buf, 2, DISK_OP_READ), DISK_ERR_RANGE);
	CHECK_EQ(blk_cmd(m, h, 0, buf, 1, 9), DISK_ERR_BAD_OP);
	CHECK_EQ(ram(m, buf)[0], 0); /* untouched */
	CHECK_EQ(h->st.ev[EV_BLK_IO], 13);

	/* completion interrupt, only when enabled, until IRQ_ACK */
	CHECK_EQ(rd(m, h, BLK_R(B_IRQST), 4), 0);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 0);
	wr(m, h, BLK_R(B_CTRL), 4, 1);
	CHECK_EQ(blk_cmd(m, h, 1, buf, 1, DISK_OP_READ), DISK_OK);
	CHECK_EQ(rd(m, h, BLK_R(B_IRQST), 4), 1);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 1u << IRQ_SRC_BLK);
	wr(m, h, BLK_R(B_ACK), 4, 1);
	CHECK_EQ(rd(m, h, BLK_R(B_IRQST), 4), 0);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 0);

	uint64_t v;
	CHECK_EQ(phys_read(m, h, BLK_R(B_STATUS), 8, &v), -1);
	CHECK_EQ(phys_write(m, h, BLK_R(B_CMD) + 2, 2, 1), -1);
	CHECK_EQ(phys_read(m, h, BLK_R(B_STATUS) + 2, 4, &v), -1); /* 32-bit, but misaligned */
	CHECK_EQ(phys_write(m, h, BLK_R(B_CTRL) + 2, 4, 1), -1);

	/* every register reads back what the guest wrote; the high halves are
	 * honoured, not dropped, and a low half written last keeps its high
	 * half (docs/devices.md section 5) */
	wr(m, h, BLK_R(B_SHI), 4, 1);
	wr(m, h, BLK_R(B_SLO), 4, 3);
	wr(m, h, BLK_R(B_DHI), 4, 1);
	wr(m, h, BLK_R(B_DLO), 4, (uint32_t)buf);
	wr(m, h, BLK_R(B_COUNT), 4, 1);
	CHECK_EQ(rd(m, h, BLK_R(B_SHI), 4), 1);
	CHECK_EQ(rd(m, h, BLK_R(B_SLO), 4), 3);
	CHECK_EQ(rd(m, h, BLK_R(B_DHI), 4), 1);
	CHECK_EQ(rd(m, h, BLK_R(B_DLO), 4), (uint32_t)buf);
	wr(m, h, BLK_R(B_CMD), 4, DISK_OP_WRITE);
	CHECK_EQ(rd(m, h, BLK_R(B_CMD), 4), DISK_OP_WRITE);
	CHECK_EQ(rd(m, h, BLK_R(B_STATUS), 4), DISK_ERR_RANGE); /* sector 2^32 + 3 */
	CHECK_EQ(blk_cmd(m, h, 3, (1ull << 32) | buf, 1, DISK_OP_READ), DISK_ERR_DMA);
	/* a transfer is checked as a whole: its last sector past the end of
	 * RAM, or above the guest's RAM under a VMM (bus.h guest_ram_ptr),
	 * is a DMA error, never a host access (docs/devices.md section 1) */
	CHECK_EQ(blk_cmd(m, h, 0, RAM_BASE + RAM_SIZE - DISK_SECTOR, 2, DISK_OP_READ),
		 DISK_ERR_DMA);
	m->guest_ram_limit = RAM_SIZE / 2;
	CHECK_EQ(blk_cmd(m, h, 0, RAM_BASE + RAM_SIZE / 2 - DISK_SECTOR, 2, DISK_OP_READ),
		 DISK_ERR_DMA);
	m->guest_ram_limit = 0;
	/* 256 sectors is a valid count: on this 64-sector disk the range fails */
	CHECK_EQ(blk_cmd(m, h, 0, buf, DISK_MAX_SECTORS, DISK_OP_READ), DISK_ERR_RANGE);

	/* CTRL keeps bit 0 only; IRQ_ACK acts on bit 0 only */
	wr(m, h, BLK_R(B_CTRL), 4, 0xffffffffu);
	CHECK_EQ(rd(m, h, BLK_R(B_CTRL), 4), 1);
	CHECK_EQ(blk_cmd(m, h, 1, buf, 1, DISK_OP_READ), DISK_OK);
	wr(m, h, BLK_R(B_ACK), 4, 2);
	CHECK_EQ(rd(m, h, BLK_R(B_IRQST), 4), 1);
	wr(m, h, BLK_R(B_ACK), 4, 1);
	CHECK_EQ(rd(m, h, BLK_R(B_IRQST), 4), 0);
	/* unlisted offsets read 0; read-only registers ignore writes */
	CHECK_EQ(rd(m, h, BLK_R(0x3c), 4), 0);
	CHECK_EQ(rd(m, h, BLK_R(0xffc), 4), 0);
	wr(m, h, BLK_R(B_ID), 4, 0);
	wr(m, h, BLK_R(B_STATUS), 4, 0x55);
	CHECK_EQ(rd(m, h, BLK_R(B_ID), 4), 0x6b6c6276);
	CHECK_EQ(rd(m, h, BLK_R(B_STATUS), 4), DISK_OK);
	/* a host-initiated access (no hart, bus.h) runs the command and
	 * counts it on nobody */
	uint64_t ios = h->st.ev[EV_BLK_IO];
	wr(m, NULL, BLK_R(B_CMD), 4, DISK_OP_READ);
	CHECK_EQ(rd(m, h, BLK_R(B_STATUS), 4), DISK_OK);
	CHECK_EQ(h->st.ev[EV_BLK_IO], ios);
	wr(m, h, BLK_R(B_ACK), 4, 1);
	/* a second controller is refused, and the image it opened is closed
	 * again (an ASan build reports the leak otherwise) */
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), -1);
	test_machine_free(m);

	/* a read-only image serves reads and refuses writes */
	if (geteuid() != 0) {
		chmod(path, 0444);
		m = test_machine_new(1, RAM_SIZE, NULL);
		h = m->harts[0];
		CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
		CHECK_EQ(blk_cmd(m, h, 0, buf, 1, DISK_OP_READ), DISK_OK);
		CHECK_EQ(blk_cmd(m, h, 0, buf, 1, DISK_OP_WRITE), DISK_ERR_READ_ONLY);
		test_machine_free(m);
	}
	unlink(path);

	/* missing image: attach fails with the documented message */
	m = test_machine_new(1, RAM_SIZE, NULL);
	CHECK_EQ(blk_attach(m, "/nonexistent/disk.img", errbuf, sizeof errbuf), -1);
	char want[160];
	snprintf(want, sizeof want, "vtlab: /nonexistent/disk.img: cannot open disk image: %s",
		 strerror(ENOENT));
	CHECK(strcmp(errbuf, want) == 0);
	CHECK(m->blk == NULL);
	CHECK_EQ(blk_attach(m, "/tmp", errbuf, sizeof errbuf), -1);
	CHECK(strstr(errbuf, "vtlab: /tmp: cannot open disk image: ") == errbuf);

	/* no image: present, no media */
	CHECK_EQ(blk_attach(m, NULL, errbuf, sizeof errbuf), 0);
	h = m->harts[0];
	CHECK_EQ(rd(m, h, BLK_R(B_CAPLO), 4), 0);
	CHECK_EQ(rd(m, h, BLK_R(B_STATUS), 4), DISK_ERR_NO_MEDIA);
	CHECK_EQ(blk_cmd(m, h, 0, buf, 1, DISK_OP_READ), DISK_ERR_NO_MEDIA);
	CHECK_EQ(blk_attach(m, NULL, errbuf, sizeof errbuf), -1); /* window taken */
	CHECK(strstr(errbuf, "overlaps") != NULL);
	test_machine_free(m);
}

/* A sparse image of 2^32 + 8 sectors (2 TiB, no blocks allocated): the
 * high halves of CAPACITY and SECTOR are real, and the range check holds
 * at sector numbers that do not fit in 32 bits.  Skipped (with a note) on
 * a filesystem that cannot hold such a file. */
static void test_blk_large(void)
{
	const uint64_t big = (1ull << 32) + 8;
	char path[64];
	snprintf(path, sizeof path, "/tmp/vtlab-test-disk-XXXXXX");
	int fd = mkstemp(path);
	uint8_t sec[DISK_SECTOR];
	memset(sec, 0x3c, sizeof sec);
	if (fd < 0 || ftruncate(fd, (off_t)(big * DISK_SECTOR)) != 0 ||
	    pwrite(fd, sec, sizeof sec, (off_t)((big - 7) * DISK_SECTOR)) != (ssize_t)sizeof sec) {
		fprintf(stderr, "test_blk_large: skipped: no 2 TiB sparse file in /tmp (%s)\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(path);
		return;
	}
	close(fd);
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK_EQ(pvblk_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(rd(m, h, BLK_R(B_CAPLO), 4), 8);
	CHECK_EQ(rd(m, h, BLK_R(B_CAPHI), 4), 1);
	CHECK_EQ(rd(m, h, PVBLK_BASE + 0x1c, 4), 8); /* pvblk CAPACITY_LO / _HI */
	CHECK_EQ(rd(m, h, PVBLK_BASE + 0x20, 4), 1);
	uint64_t buf = RAM_BASE + 0x1000;
	CHECK_EQ(blk_cmd(m, h, big - 7, buf, 1, DISK_OP_READ), DISK_OK);
	CHECK_EQ(ram(m, buf)[0], 0x3c);
	CHECK_EQ(ram(m, buf)[DISK_SECTOR - 1], 0x3c);
	CHECK_EQ(blk_cmd(m, h, big - 1, buf, 1, DISK_OP_READ), DISK_OK);
	CHECK_EQ(ram(m, buf)[0], 0);
	CHECK_EQ(blk_cmd(m, h, big - 1, buf, 2, DISK_OP_READ), DISK_ERR_RANGE);
	CHECK_EQ(blk_cmd(m, h, big, buf, 1, DISK_OP_READ), DISK_ERR_RANGE);
	/* the largest transfer, DISK_MAX_SECTORS, is accepted */
	CHECK_EQ(blk_cmd(m, h, 0, buf, DISK_MAX_SECTORS, DISK_OP_READ), DISK_OK);
	test_machine_free(m);
	unlink(path);
}

/* Lowest free file descriptor: a leaked one shows as a higher number. */
static int lowest_free_fd(void)
{
	int fd = dup(2);
	close(fd);
	return fd;
}

/* Whether this process still maps the file at path. */
static bool mapped(const char *path)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f))
		found = found || strstr(line, path) != NULL;
	if (f)
		fclose(f);
	return found;
}

/* disk_image.c beyond the block controller's own checks: snapshot mode
 * (disk_image.h: writes stay in a private mapping, the file is never
 * changed), what may be opened, and an image that shrinks under the run. */
static void test_disk_image(void)
{
	char path[64];
	make_disk(path, sizeof path);
	uint64_t buf = RAM_BASE + 0x1000;
	int fd0 = lowest_free_fd();
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	m->cfg.disk_snapshot = true;
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK(mapped(path));
	memset(ram(m, buf), 0xcd, DISK_SECTOR);
	CHECK_EQ(blk_cmd(m, h, 5, buf, 1, DISK_OP_WRITE), DISK_OK);
	CHECK_EQ(blk_cmd(m, h, 0, 0, 0, DISK_OP_FLUSH), DISK_OK);
	memset(ram(m, buf), 0, 3 * DISK_SECTOR);
	CHECK_EQ(blk_cmd(m, h, 4, buf, 3, DISK_OP_READ), DISK_OK);
	CHECK_EQ(ram(m, buf)[1], (uint8_t)(4 * 7 + 1));
	CHECK_EQ(ram(m, buf)[DISK_SECTOR + 1], 0xcd);
	CHECK_EQ(ram(m, buf)[2 * DISK_SECTOR + 1], (uint8_t)(6 * 7 + 1));
	test_machine_free(m);
	/* the file is unchanged, and closing released the mapping and the fd */
	FILE *f = fopen(path, "rb");
	uint8_t sec[DISK_SECTOR] = { 0 };
	fseek(f, 5L * DISK_SECTOR, SEEK_SET);
	CHECK_EQ(fread(sec, 1, sizeof sec, f), sizeof sec);
	fclose(f);
	CHECK_EQ(sec[1], (uint8_t)(5 * 7 + 1));
	CHECK(!mapped(path));
	CHECK_EQ(lowest_free_fd(), fd0);

	/* an image that shrinks under the run: the read fails with IO (and
	 * does not spin on pread() returning 0 at the new end of file) */
	m = test_machine_new(1, RAM_SIZE, NULL);
	h = m->harts[0];
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK_EQ(truncate(path, 2 * DISK_SECTOR), 0);
	CHECK_EQ(blk_cmd(m, h, 10, buf, 1, DISK_OP_READ), DISK_ERR_IO);
	test_machine_free(m);

	/* an empty image in snapshot mode has no sectors, and nothing to map */
	CHECK_EQ(truncate(path, 0), 0);
	m = test_machine_new(1, RAM_SIZE, NULL);
	h = m->harts[0];
	m->cfg.disk_snapshot = true;
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK_EQ(rd(m, h, BLK_R(B_CAPLO), 4), 0);
	CHECK_EQ(blk_cmd(m, h, 0, buf, 1, DISK_OP_READ), DISK_ERR_RANGE);
	test_machine_free(m);
	unlink(path);

	/* only regular files and block devices are images: a directory (which
	 * O_RDONLY opens, in snapshot mode) or a character device is refused */
	m = test_machine_new(1, RAM_SIZE, NULL);
	m->cfg.disk_snapshot = true;
	char want[160];
	snprintf(want, sizeof want, "vtlab: /tmp: cannot open disk image: %s", strerror(EISDIR));
	CHECK_EQ(blk_attach(m, "/tmp", errbuf, sizeof errbuf), -1);
	CHECK(strcmp(errbuf, want) == 0);
	m->cfg.disk_snapshot = false;
	snprintf(want, sizeof want, "vtlab: /dev/null: cannot open disk image: %s",
		 strerror(EINVAL));
	CHECK_EQ(blk_attach(m, "/dev/null", errbuf, sizeof errbuf), -1);
	CHECK(strcmp(errbuf, want) == 0);
	CHECK(m->blk == NULL);
	test_machine_free(m);
}

/* ---- paravirtual block ring --------------------------------------------------- */
#define PV_R(o) (PVBLK_BASE + (o))
enum {
	P_ID = 0x00,
	P_RLO = 0x08,
	P_RHI = 0x0c,
	P_RSIZE = 0x10,
	P_DOOR = 0x14,
	P_STATUS = 0x18,
	P_CAPLO = 0x1c,
	P_CTRL = 0x24,
	P_IRQST = 0x28,
	P_ACK = 0x2c,
	P_MAXLEN = 0x30,
	P_CONS = 0x34
};

static uint8_t *pv_desc(struct machine *m, uint64_t ring, unsigned slot)
{
	return ram(m, ring) + 16 + 32 * slot;
}

static void pv_fill(uint8_t *d, uint32_t op, uint64_t sector, uint64_t buf, uint32_t len,
		    uint32_t id)
{
	put32(d + 0, op);
	put32(d + 4, 0xeeee);
	put64(d + 8, sector);
	put64(d + 16, buf);
	put32(d + 24, len);
	put32(d + 28, id);
}

static void pv_set_ring(struct machine *m, struct hart *h, uint64_t ring, uint32_t size)
{
	wr(m, h, PV_R(P_RLO), 4, (uint32_t)ring);
	wr(m, h, PV_R(P_RHI), 4, ring >> 32);
	wr(m, h, PV_R(P_RSIZE), 4, size);
}

static void test_pvblk(void)
{
	char path[64];
	make_disk(path, sizeof path);
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	CHECK_EQ(plic_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(pvblk_attach(m, errbuf, sizeof errbuf), 0); /* before blk: resolved lazily */
	CHECK_EQ(blk_attach(m, path, errbuf, sizeof errbuf), 0);
	CHECK_EQ(rd(m, h, PV_R(P_ID), 4), 0x6b627670);
	CHECK_EQ(rd(m, h, PV_R(P_CAPLO), 4), DISK_SECTORS);
	CHECK_EQ(rd(m, h, PV_R(P_MAXLEN), 4), DISK_MAX_SECTORS * DISK_SECTOR);

	uint64_t ring = RAM_BASE + 0x2000, buf = RAM_BASE + 0x8000;
	pv_set_ring(m, h, ring, 8);
	wr(m, h, PV_R(P_CTRL), 4, 1);
	memset(ram(m, buf + DISK_SECTOR), 0x5a, DISK_SECTOR);
	pv_fill(pv_desc(m, ring, 0), DISK_OP_READ, 2, buf, 512, 100);
	pv_fill(pv_desc(m, ring, 1), DISK_OP_WRITE, 10, buf + DISK_SECTOR, 512, 101);
	pv_fill(pv_desc(m, ring, 2), DISK_OP_READ, 0, 0x1000, 512, 102); /* DMA outside RAM */
	pv_fill(pv_desc(m, ring, 3), DISK_OP_READ, 0, buf, 100, 103);    /* not x512 */
	pv_fill(pv_desc(m, ring, 4), DISK_OP_READ, DISK_SECTORS, buf, 512, 104); /* past end */
	pv_fill(pv_desc(m, ring, 5), 77, 0, buf, 512, 105);                      /* bad op */
	pv_fill(pv_desc(m, ring, 6), DISK_OP_READ, 0, buf, 0xfffffe00u, 106);    /* huge */
	pv_fill(pv_desc(m, ring, 7), DISK_OP_FLUSH, 0, 0, 0, 107);
	put32(ram(m, ring), 8); /* producer */
	put32(ram(m, ring) + 4, 0);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_OK);
	CHECK_EQ(get32(ram(m, ring) + 4), 8); /* consumer written back */
	CHECK_EQ(rd(m, h, PV_R(P_CONS), 4), 8);
	CHECK_EQ(get32(pv_desc(m, ring, 0) + 4), DISK_OK);
	CHECK_EQ(ram(m, buf)[1], (uint8_t)(2 * 7 + 1));
	CHECK_EQ(get32(pv_desc(m, ring, 1) + 4), DISK_OK);
	CHECK_EQ(get32(pv_desc(m, ring, 2) + 4), DISK_ERR_DMA);
	CHECK_EQ(get32(pv_desc(m, ring, 3) + 4), DISK_ERR_COUNT);
	CHECK_EQ(get32(pv_desc(m, ring, 4) + 4), DISK_ERR_RANGE);
	CHECK_EQ(get32(pv_desc(m, ring, 5) + 4), DISK_ERR_BAD_OP);
	CHECK_EQ(get32(pv_desc(m, ring, 6) + 4), DISK_ERR_COUNT);
	CHECK_EQ(get32(pv_desc(m, ring, 7) + 4), DISK_OK);
	CHECK_EQ(get32(pv_desc(m, ring, 7) + 28), 107); /* id preserved */
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], 8);
	CHECK_EQ(rd(m, h, PV_R(P_IRQST), 4), 1);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 1u << IRQ_SRC_PVBLK);
	wr(m, h, PV_R(P_ACK), 4, 1);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 0);

	/* the write reached the shared image: read it back through dev_blk */
	CHECK_EQ(blk_cmd(m, h, 10, buf + 0x4000, 1, DISK_OP_READ), DISK_OK);
	CHECK_EQ(ram(m, buf + 0x4000)[17], 0x5a);

	/* doorbell with nothing pending: no requests, no interrupt */
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], 8);
	CHECK_EQ(rd(m, h, PV_R(P_IRQST), 4), 0);

	/* wrap-around: 3 more requests on an 8-entry ring use slots 0,1,2 */
	for (unsigned i = 0; i < 3; i++)
		pv_fill(pv_desc(m, ring, i), DISK_OP_READ, i, buf + 0x1000 * i, 512, 200 + i);
	put32(ram(m, ring), 11);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(get32(ram(m, ring) + 4), 11);
	CHECK_EQ(get32(pv_desc(m, ring, 2) + 4), DISK_OK);
	CHECK_EQ(ram(m, buf + 0x2000)[0], (uint8_t)(2 * 7));
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], 11);

	/* producer more than RING_SIZE ahead: corrupt, nothing processed */
	put32(ram(m, ring), 11 + 9);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	CHECK_EQ(get32(ram(m, ring) + 4), 11);
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], 11);

	/* bad ring geometry: sizes 0, 3, 512; misaligned; outside RAM */
	static const uint32_t bad_sizes[] = { 0, 3, 512, 0x80000000u };
	for (unsigned i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
		pv_set_ring(m, h, ring, bad_sizes[i]);
		put32(ram(m, ring), 1);
		wr(m, h, PV_R(P_DOOR), 4, 1);
		CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	}
	put32(ram(m, ring) + 4, 0); /* the prod word of a ring at ring + 4 */
	pv_set_ring(m, h, ring + 4, 8);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	put32(ram(m, ring) + 4, 11);
	/* size 0 is invalid even with nothing pending */
	put32(ram(m, ring), 0);
	pv_set_ring(m, h, ring, 0);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	/* the ring is 16 + 32 * RING_SIZE bytes: one whose descriptors fit in
	 * RAM but whose 16-byte header pushes the last one past the end is
	 * outside RAM, never a host access past it (docs/devices.md section 6) */
	pv_set_ring(m, h, RAM_BASE + RAM_SIZE - 32 * 8, 8);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	pv_set_ring(m, h, RAM_BASE + RAM_SIZE - 16 - 32 * 8, 8); /* exactly fits */
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_OK);
	pv_set_ring(m, h, RAM_BASE + RAM_SIZE - 64, 8); /* ring runs off the end of RAM */
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	pv_set_ring(m, h, 0x1000, 8);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	/* under a VMM the guest's RAM ends below the machine's: a ring in the
	 * VMM's memory is outside RAM for the guest */
	m->guest_ram_limit = RAM_SIZE / 2;
	pv_set_ring(m, h, RAM_BASE + RAM_SIZE / 2, 8);
	put32(ram(m, RAM_BASE + RAM_SIZE / 2), 1);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	m->guest_ram_limit = 0;
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], 11);

	/* a new ring (size 256, the maximum) restarts at consumer 0 */
	pv_set_ring(m, h, ring, 256);
	CHECK_EQ(rd(m, h, PV_R(P_CONS), 4), 0);
	pv_fill(pv_desc(m, ring, 0), DISK_OP_READ, 5, buf, 1024, 1);
	put32(ram(m, ring), 1);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_OK);
	CHECK_EQ(get32(pv_desc(m, ring, 0) + 4), DISK_OK);
	CHECK_EQ(ram(m, buf)[DISK_SECTOR], (uint8_t)(6 * 7));
	/* each ring register written alone resets the consumer index */
	static const unsigned ring_regs[] = { P_RSIZE, P_RLO, P_RHI };
	for (unsigned i = 0; i < 3; i++) {
		put32(ram(m, ring), 1);
		pv_set_ring(m, h, ring, 256);
		wr(m, h, PV_R(P_DOOR), 4, 1);
		CHECK_EQ(rd(m, h, PV_R(P_CONS), 4), 1);
		uint64_t v = ring_regs[i] == P_RSIZE ? 256
			     : ring_regs[i] == P_RLO ? (uint32_t)ring
						     : ring >> 32;
		wr(m, h, PV_R(ring_regs[i]), 4, v);
		CHECK_EQ(rd(m, h, PV_R(P_CONS), 4), 0);
	}

	/* descriptor fields are validated in the documented order (op first)
	 * and at their full width: sector and buf are 64 bits; flush ignores
	 * len; a length that is not a multiple of 512 is COUNT even when it
	 * holds whole sectors */
	pv_set_ring(m, h, ring, 8);
	pv_fill(pv_desc(m, ring, 0), 77, 0, buf, 100, 0);
	pv_fill(pv_desc(m, ring, 1), DISK_OP_READ, 0, buf, 600, 1);
	pv_fill(pv_desc(m, ring, 2), DISK_OP_FLUSH, 0, 0, 100, 2);
	pv_fill(pv_desc(m, ring, 3), DISK_OP_READ, 1ull << 32, buf, 512, 3);
	pv_fill(pv_desc(m, ring, 4), DISK_OP_READ, 0, (1ull << 32) | buf, 512, 4);
	put32(ram(m, ring), 5);
	wr(m, h, PV_R(P_ACK), 4, 1);
	wr(m, h, PV_R(P_CTRL), 4, 0);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(get32(pv_desc(m, ring, 0) + 4), DISK_ERR_BAD_OP);
	CHECK_EQ(get32(pv_desc(m, ring, 1) + 4), DISK_ERR_COUNT);
	CHECK_EQ(get32(pv_desc(m, ring, 2) + 4), DISK_OK);
	CHECK_EQ(get32(pv_desc(m, ring, 3) + 4), DISK_ERR_RANGE);
	CHECK_EQ(get32(pv_desc(m, ring, 4) + 4), DISK_ERR_DMA);
	/* CTRL.IRQ_EN clear: requests served, no interrupt */
	CHECK_EQ(rd(m, h, PV_R(P_IRQST), 4), 0);
	CHECK_EQ(rd(m, h, PLIC_PEND, 4), 0);
	/* a host-initiated doorbell (no hart, bus.h) serves the ring and
	 * counts on nobody; IRQ_ACK acts on bit 0 only */
	uint64_t ios = h->st.ev[EV_PVBLK_IO];
	wr(m, h, PV_R(P_CTRL), 4, 0xffffffffu);
	CHECK_EQ(rd(m, h, PV_R(P_CTRL), 4), 1);
	put32(ram(m, ring), 6);
	pv_fill(pv_desc(m, ring, 5), DISK_OP_READ, 0, buf, 512, 5);
	wr(m, NULL, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(get32(pv_desc(m, ring, 5) + 4), DISK_OK);
	CHECK_EQ(h->st.ev[EV_PVBLK_IO], ios);
	wr(m, h, PV_R(P_ACK), 4, 2);
	CHECK_EQ(rd(m, h, PV_R(P_IRQST), 4), 1);
	wr(m, h, PV_R(P_ACK), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_IRQST), 4), 0);

	/* registers read back; RING_LO written alone keeps RING_HI, so a ring
	 * at 2^32 + a RAM address is outside RAM */
	CHECK_EQ(rd(m, h, PV_R(0x04), 4), 1); /* VERSION */
	wr(m, h, PV_R(P_RHI), 4, 1);
	wr(m, h, PV_R(P_RLO), 4, (uint32_t)ring);
	CHECK_EQ(rd(m, h, PV_R(P_RHI), 4), 1);
	CHECK_EQ(rd(m, h, PV_R(P_RLO), 4), (uint32_t)ring);
	CHECK_EQ(rd(m, h, PV_R(P_RSIZE), 4), 8);
	put32(ram(m, ring), 0);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(rd(m, h, PV_R(P_STATUS), 4), DISK_ERR_BAD_RING);
	/* aligned 32-bit accesses only; unlisted offsets read 0 */
	uint64_t v;
	CHECK_EQ(phys_read(m, h, PV_R(P_STATUS) + 2, 4, &v), -1);
	CHECK_EQ(phys_write(m, h, PV_R(P_DOOR) + 2, 4, 1), -1);
	CHECK_EQ(rd(m, h, PV_R(0x38), 4), 0);
	CHECK_EQ(rd(m, h, PV_R(0xffc), 4), 0);
	test_machine_free(m);
	unlink(path);

	/* no disk at all: requests complete with NO_MEDIA */
	m = test_machine_new(1, RAM_SIZE, NULL);
	h = m->harts[0];
	CHECK_EQ(pvblk_attach(m, errbuf, sizeof errbuf), 0);
	pv_set_ring(m, h, ring, 4);
	pv_fill(pv_desc(m, ring, 0), DISK_OP_READ, 0, buf, 512, 1);
	put32(ram(m, ring), 1);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(get32(pv_desc(m, ring, 0) + 4), DISK_ERR_NO_MEDIA);
	pv_fill(pv_desc(m, ring, 1), DISK_OP_FLUSH, 0, 0, 0, 2); /* a flush too */
	put32(ram(m, ring), 2);
	wr(m, h, PV_R(P_DOOR), 4, 1);
	CHECK_EQ(get32(pv_desc(m, ring, 1) + 4), DISK_ERR_NO_MEDIA);
	test_machine_free(m);
}

/* ---- lab device ------------------------------------------------------------- */
#define LAB_R(o) (LAB_BASE + (o))
enum {
	L_ID = 0x00,
	L_NADDR = 0x08,
	L_NLEN = 0x10,
	L_VALUE = 0x18,
	L_DIGEST = 0x20,
	L_MARKER = 0x28,
	L_MCOUNT = 0x30,
	L_EXIT = 0x38,
	L_STATUS = 0x40,
	L_ARGS_LEN = 0x48,
	L_ARGS = 0x800
};

static void test_lab(void)
{
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	CHECK(lab_result(m) == NULL); /* not attached */
	CHECK_EQ(lab_attach(m, errbuf, sizeof errbuf), 0);
	CHECK(lab_result(m) == NULL); /* nothing reported */
	CHECK_EQ(rd(m, h, LAB_R(L_ID), 8), 0x62616c76);

	uint64_t name = RAM_BASE + 0x3000;
	memcpy(ram(m, name), "ops/s\"x\x01", 8);
	wr(m, h, LAB_R(L_NADDR), 8, name);
	wr(m, h, LAB_R(L_NLEN), 8, 8);
	const struct lab_result *r = lab_result(m);
	CHECK(r != NULL);
	CHECK(r && strcmp(r->metric_name, "ops/s_x_") == 0);
	CHECK_EQ(rd(m, h, LAB_R(L_STATUS), 8), 0);

	/* NUL ends the name; a length above 63 is truncated */
	memcpy(ram(m, name), "tx\0junk", 7);
	wr(m, h, LAB_R(L_NLEN), 8, 7);
	CHECK(strcmp(lab_result(m)->metric_name, "tx") == 0);
	memset(ram(m, name), 'a', 200);
	wr(m, h, LAB_R(L_NLEN), 8, UINT64_MAX);
	CHECK_EQ(strlen(lab_result(m)->metric_name), 63);
	CHECK_EQ(rd(m, h, LAB_R(L_NLEN), 8), 63);

	/* name outside RAM: fault status, previous name kept */
	wr(m, h, LAB_R(L_NADDR), 8, RAM_BASE + RAM_SIZE - 10);
	wr(m, h, LAB_R(L_NLEN), 8, 20);
	CHECK_EQ(rd(m, h, LAB_R(L_STATUS), 8), 1);
	CHECK_EQ(strlen(lab_result(m)->metric_name), 63);
	wr(m, h, LAB_R(L_NADDR), 8, 0x10);
	wr(m, h, LAB_R(L_NLEN), 8, 4);
	CHECK_EQ(rd(m, h, LAB_R(L_STATUS), 8), 1);

	/* value in millionths, signed */
	wr(m, h, LAB_R(L_VALUE), 8, 1234567890);
	CHECK(lab_result(m)->metric_value > 1234.567889 &&
	      lab_result(m)->metric_value < 1234.567891);
	wr(m, h, LAB_R(L_VALUE), 8, (uint64_t)-2500000);
	CHECK(lab_result(m)->metric_value == -2.5);
	CHECK_EQ(rd(m, h, LAB_R(L_VALUE), 8), (uint64_t)-2500000);

	wr(m, h, LAB_R(L_DIGEST), 8, 0xfeedfacecafebeefull);
	CHECK_EQ(lab_result(m)->digest, 0xfeedfacecafebeefull);
	CHECK_EQ(rd(m, h, LAB_R(L_DIGEST), 8), 0xfeedfacecafebeefull);
	wr(m, h, LAB_R(L_MARKER), 8, 5);
	wr(m, h, LAB_R(L_MARKER), 8, 9);
	CHECK_EQ(lab_result(m)->markers, 2);
	CHECK_EQ(lab_result(m)->last_marker, 9);
	CHECK_EQ(rd(m, h, LAB_R(L_MCOUNT), 8), 2);
	CHECK_EQ(rd(m, h, LAB_R(L_MARKER), 8), 9);

	uint64_t v;
	CHECK_EQ(phys_read(m, h, LAB_R(L_VALUE), 4, &v), -1);
	CHECK_EQ(phys_write(m, h, LAB_R(L_EXIT) + 4, 4, 1), -1);
	CHECK(!m->done);
	wr(m, h, LAB_R(L_EXIT), 8, 3);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 3);
	CHECK(strcmp(m->exit_reason, "guest exit via lab device") == 0);
	wr(m, h, LAB_R(L_EXIT), 8, 0x100);
	CHECK_EQ(m->exit_code, 255);
	wr(m, h, LAB_R(L_EXIT), 8, 0);
	CHECK_EQ(m->exit_code, 0);
	test_machine_free(m);

	/* a marker alone counts as a report, and so does a value or a digest
	 * alone (docs/devices.md section 7) */
	for (unsigned reg = L_VALUE; reg <= L_MARKER; reg += 8) {
		m = test_machine_new(1, RAM_SIZE, NULL);
		CHECK_EQ(lab_attach(m, errbuf, sizeof errbuf), 0);
		wr(m, m->harts[0], LAB_R(reg), 8, 1);
		CHECK(lab_result(m) != NULL && lab_result(m)->metric_name[0] == 0);
		test_machine_free(m);
	}

	m = test_machine_new(1, RAM_SIZE, NULL);
	h = m->harts[0];
	CHECK_EQ(lab_attach(m, errbuf, sizeof errbuf), 0);
	/* printable ASCII is kept from ' ' to '~'; '\\' becomes '_' */
	memcpy(ram(m, name), " a~\\", 4);
	wr(m, h, LAB_R(L_NADDR), 8, name);
	CHECK_EQ(rd(m, h, LAB_R(L_NADDR), 8), name);
	wr(m, h, LAB_R(L_NLEN), 8, 4);
	CHECK(strcmp(lab_result(m)->metric_name, " a~_") == 0);
	/* NAME_ADDR is 64 bits: 2^32 + a RAM address is outside RAM */
	wr(m, h, LAB_R(L_NADDR), 8, (1ull << 32) | name);
	wr(m, h, LAB_R(L_NLEN), 8, 4);
	CHECK_EQ(rd(m, h, LAB_R(L_STATUS), 8), 1);
	/* a good copy after a fault reports OK again; a zero length copies
	 * nothing from anywhere, so it cannot fault */
	wr(m, h, LAB_R(L_NADDR), 8, 0x10);
	wr(m, h, LAB_R(L_NLEN), 8, 0);
	CHECK_EQ(rd(m, h, LAB_R(L_STATUS), 8), 0);
	CHECK_EQ(rd(m, h, LAB_R(L_NLEN), 8), 0);
	/* exit codes that do not fit in 8 bits become 255, also when their
	 * low 32 bits would read as 0 or as a negative int */
	wr(m, h, LAB_R(L_EXIT), 8, 1ull << 32);
	CHECK_EQ(m->exit_code, 255);
	wr(m, h, LAB_R(L_EXIT), 8, UINT64_MAX);
	CHECK_EQ(m->exit_code, 255);
	/* aligned 8-byte accesses only; unlisted offsets read 0 */
	CHECK_EQ(phys_read(m, h, LAB_R(L_VALUE) + 4, 8, &v), -1);
	CHECK_EQ(phys_write(m, h, LAB_R(L_VALUE) + 4, 8, 1), -1);
	CHECK_EQ(rd(m, h, LAB_R(0x50), 8), 0);
	CHECK_EQ(rd(m, h, LAB_R(0x7f8), 8), 0);

	/* ARGS: no argument string reads as empty */
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS_LEN), 8), 0);
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS), 8), 0);
	/* bytes little-endian, 8 per register, as unsigned bytes (0xc3 does
	 * not spill into the other seven), 0 past ARGS_LEN */
	m->cfg.args = "-n 5 \xc3\xa9t\xe9";
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS_LEN), 8), 9);
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS), 8), 0x74a9c32035206e2dull);
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS) + 8, 8), 0xe9);
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS) + 16, 8), 0);
	/* at most 2047 bytes (the window from 0x800 less one): byte 2047 of a
	 * longer string reads 0 */
	static char long_args[3000];
	memset(long_args, 'x', sizeof long_args - 1);
	m->cfg.args = long_args;
	CHECK_EQ(rd(m, h, LAB_R(L_ARGS_LEN), 8), 2047);
	CHECK_EQ(rd(m, h, LAB_R(0xff8), 8), 0x0078787878787878ull);
	test_machine_free(m);
}

/* ---- syscon ----------------------------------------------------------------- */
static void test_syscon(void)
{
	struct machine *m = test_machine_new(1, RAM_SIZE, NULL);
	struct hart *h = m->harts[0];
	CHECK_EQ(syscon_attach(m, errbuf, sizeof errbuf), 0);
	wr(m, h, SYSCON_BASE, 4, 0x1234);
	wr(m, h, SYSCON_BASE + 4, 4, 0x5555);
	CHECK(!m->done);
	CHECK_EQ(rd(m, h, SYSCON_BASE, 4), 0);
	wr(m, h, SYSCON_BASE, 4, 0x5555);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 0);
	CHECK(strcmp(m->exit_reason, "guest shutdown: pass") == 0);
	wr(m, h, SYSCON_BASE, 4, (5u << 16) | 0x3333);
	CHECK_EQ(m->exit_code, 5);
	CHECK(strcmp(m->exit_reason, "guest shutdown: fail, code 5") == 0);
	wr(m, h, SYSCON_BASE, 4, 0x3333);
	CHECK_EQ(m->exit_code, 1);
	CHECK(strcmp(m->exit_reason, "guest shutdown: fail, code 0") == 0);
	wr(m, h, SYSCON_BASE, 4, 0x7777);
	CHECK_EQ(m->exit_code, 0);
	CHECK(strcmp(m->exit_reason, "reset") == 0);
	CHECK_EQ(dbl.halts, 4);
	CHECK_EQ(phys_write(m, h, SYSCON_BASE, 8, 0x5555), -1);
	CHECK_EQ(phys_write(m, h, SYSCON_BASE, 2, 0x5555), -1);
	uint64_t v;
	CHECK_EQ(phys_read(m, h, SYSCON_BASE + 2, 4, &v), -1); /* misaligned */
	CHECK_EQ(phys_write(m, h, SYSCON_BASE + 2, 4, 0x5555), -1);
	CHECK_EQ(dbl.halts, 4);
	test_machine_free(m);
}

/* ---- HTIF ------------------------------------------------------------------- */
static void test_htif(void)
{
	FILE *con = tmpfile();
	char out[256];
	struct machine *m = test_machine_new(1, RAM_SIZE, con);
	struct hart *h = m->harts[0];
	m->htif = true;
	m->tohost = RAM_BASE + 0x1000;
	m->fromhost = RAM_BASE + 0x1040;

	put64(ram(m, m->tohost), 1);
	CHECK_EQ(htif_store(m, h, 1), 0);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 0);
	CHECK(strcmp(m->exit_reason, "PASS") == 0);
	CHECK_EQ(get64(ram(m, m->tohost)), 0);
	CHECK_EQ(get64(ram(m, m->fromhost)), 1);

	m->done = false;
	htif_store(m, h, (7 << 1) | 1);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 7);
	CHECK(strcmp(m->exit_reason, "FAIL: test 7") == 0);

	/* console putchar: device 1, command 1 */
	m->done = false;
	put64(ram(m, m->fromhost), 0);
	htif_store(m, h, (1ull << 56) | (1ull << 48) | 'Q');
	htif_store(m, h, (1ull << 56) | (1ull << 48) | '\n');
	console_text(con, out, sizeof out);
	CHECK(strcmp(out, "Q\n") == 0);
	CHECK(!m->done);
	CHECK_EQ(get64(ram(m, m->fromhost)), 1);

	/* syscall proxy: write(1, buf, 6) through magic_mem */
	uint64_t magic = RAM_BASE + 0x2000, buf = RAM_BASE + 0x2100;
	memcpy(ram(m, buf), "bench\n", 6);
	put64(ram(m, magic), 64);
	put64(ram(m, magic) + 8, 1);
	put64(ram(m, magic) + 16, buf);
	put64(ram(m, magic) + 24, 6);
	put64(ram(m, m->fromhost), 0);
	htif_store(m, h, magic);
	CHECK_EQ(get64(ram(m, magic)), 6);
	CHECK_EQ(get64(ram(m, m->fromhost)), 1);
	console_text(con, out, sizeof out);
	CHECK(strcmp(out, "bench\n") == 0);

	/* bad buffer, bad fd, unknown syscall: errors in magic_mem[0] */
	put64(ram(m, magic), 64);
	put64(ram(m, magic) + 16, RAM_BASE + RAM_SIZE - 2);
	htif_store(m, h, magic);
	CHECK_EQ(get64(ram(m, magic)), (uint64_t)-EFAULT);
	put64(ram(m, magic), 64);
	put64(ram(m, magic) + 8, 7);
	htif_store(m, h, magic);
	CHECK_EQ(get64(ram(m, magic)), (uint64_t)-EBADF);
	put64(ram(m, magic), 1234);
	htif_store(m, h, magic);
	CHECK_EQ(get64(ram(m, magic)), (uint64_t)-ENOSYS);
	CHECK(!m->done);

	/* magic_mem outside RAM: acknowledged, nothing else */
	put64(ram(m, m->fromhost), 0);
	htif_store(m, h, 0x1000);
	htif_store(m, h, RAM_BASE + RAM_SIZE - 8);
	CHECK(!m->done);
	CHECK_EQ(get64(ram(m, m->fromhost)), 1);

	/* exit syscall */
	put64(ram(m, magic), 93);
	put64(ram(m, magic) + 8, 0);
	htif_store(m, h, magic);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 0);
	m->done = false;
	put64(ram(m, magic), 93);
	put64(ram(m, magic) + 8, 42);
	htif_store(m, h, magic);
	CHECK_EQ(m->exit_code, 42);
	put64(ram(m, magic), 93);
	put64(ram(m, magic) + 8, 1000);
	htif_store(m, h, magic);
	CHECK_EQ(m->exit_code, 1);

	/* no fromhost word: nothing written there; tohost outside RAM ignored */
	m->fromhost = 0;
	m->tohost = 0x10;
	m->done = false;
	htif_store(m, h, 3);
	CHECK(m->done && m->exit_code == 1 && strcmp(m->exit_reason, "FAIL: test 1") == 0);
	test_machine_free(m);
	fclose(con);
}

/* ---- SBI -------------------------------------------------------------------- */
static unsigned ecalls[MAX_HARTS]; /* issued per hart, to check the counter */

static void ecall(struct hart *h, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	ecalls[h->id]++;
	h->x[17] = eid;
	h->x[16] = fid;
	h->x[10] = a0;
	h->x[11] = a1;
	h->x[12] = a2;
	sbi_ecall(h);
}

#define SBI_NOT_SUPPORTED ((uint64_t)-2)
#define SBI_INVALID_PARAM ((uint64_t)-3)
#define SBI_INVALID_ADDRESS ((uint64_t)-5)

static void test_sbi(void)
{
	FILE *con = tmpfile();
	char out[256];
	struct machine *m = test_machine_new(3, RAM_SIZE, con);
	struct hart *h = m->harts[0], *h1 = m->harts[1], *h2 = m->harts[2];
	m->firmware = true;

	ecall(h, 0x10, 0, 0, 0, 0);
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h->x[11], 2u << 24);
	CHECK_EQ(h->st.ev[EV_SBI_CALL], 1);
	CHECK_EQ(h->cycles, m->cfg.cost.sbi_call);
	ecall(h, 0x10, 3, 0x54494D45, 0, 0);
	CHECK_EQ(h->x[11], 1);
	ecall(h, 0x10, 3, 0x48534D, 0, 0); /* HSM not provided */
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h->x[11], 0);
	ecall(h, 0x10, 1, 0, 0, 0);
	CHECK_EQ(h->x[11], 0x7674);
	ecall(h, 0x10, 2, 0, 0, 0);
	CHECK_EQ(h->x[11], 1); /* impl version (docs/devices.md) */
	for (uint64_t fid = 4; fid <= 6; fid++) {
		/* mvendorid, marchid, mimpid: what the CSRs read, 0 */
		ecall(h, 0x10, fid, 0, 99, 0);
		CHECK(h->x[10] == 0 && h->x[11] == 0);
	}
	/* probe: 1 for every extension served (SBI v2.0 4.4), the legacy
	 * ones included */
	static const uint64_t served[] = {
		0x00, 0x01, 0x02,       0x03,     0x04,       0x05,       0x06,      0x07,
		0x08, 0x10, 0x54494D45, 0x735049, 0x52464E43, 0x53525354, 0x4442434E
	};
	for (unsigned i = 0; i < sizeof served / sizeof served[0]; i++) {
		ecall(h, 0x10, 3, served[i], 0, 0);
		CHECK(h->x[10] == 0 && h->x[11] == 1);
	}
	ecall(h, 0x10, 99, 0, 0, 0);
	CHECK_EQ(h->x[10], SBI_NOT_SUPPORTED);

	/* TIME: mtimecmp of the caller, STIP cleared */
	h1->mip = MIP_STIP;
	ecall(h1, 0x54494D45, 0, 5555, 0, 0);
	CHECK_EQ(h1->x[10], 0);
	CHECK_EQ(m->mtimecmp[1], 5555);
	CHECK_EQ(h1->mip & MIP_STIP, 0);
	ecall(h1, 0x54494D45, 1, 0, 0, 0);
	CHECK_EQ(h1->x[10], SBI_NOT_SUPPORTED);

	/* IPI: mask relative to base; all harts with base -1; bad ids */
	ecall(h, 0x735049, 0, 0x2, 1, 0); /* hart 2 */
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h2->mip & MIP_SSIP, MIP_SSIP);
	CHECK_EQ(h1->mip & MIP_SSIP, 0);
	CHECK_EQ(h->mip & MIP_SSIP, 0);
	ecall(h, 0x735049, 0, 0, UINT64_MAX, 0);
	CHECK_EQ(h1->mip & h->mip & MIP_SSIP, MIP_SSIP);
	h->mip = h1->mip = h2->mip = 0;
	ecall(h, 0x735049, 0, 0x3, 2, 0); /* harts 2 and 3: 3 does not exist */
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	CHECK_EQ(h2->mip & MIP_SSIP, 0); /* nothing sent */
	ecall(h, 0x735049, 0, 1, 1ull << 40, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x735049, 0, 1ull << 63, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x735049, 1, 0x1, 0, 0); /* IPI has FID 0 only */
	CHECK_EQ(h->x[10], SBI_NOT_SUPPORTED);
	CHECK_EQ(h->mip & MIP_SSIP, 0);

	/* RFENCE: every target drops its fast path and both modeled TLBs */
	ecall(h, 0x52464E43, 1, 0x5, 0, 0); /* sfence.vma on harts 0 and 2 */
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(dbl.hc_flush_all[0], 1);
	CHECK_EQ(dbl.hc_flush_all[1], 0);
	CHECK_EQ(dbl.hc_flush_all[2], 1);
	CHECK_EQ(dbl.tlb_flush, 4);
	ecall(h, 0x52464E43, 0, 0, UINT64_MAX, 0); /* fence.i everywhere */
	CHECK_EQ(dbl.hc_flush_all[1], 1);
	CHECK_EQ(dbl.tlb_flush, 10);
	ecall(h, 0x52464E43, 2, 0x8, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x52464E43, 7, 0x1, 0, 0);
	CHECK_EQ(h->x[10], SBI_NOT_SUPPORTED);
	CHECK_EQ(dbl.tlb_flush, 10);
	/* FIDs 3-6 (the hfence variants) are served by the same full flush
	 * (docs/devices.md) */
	ecall(h, 0x52464E43, 6, 0x1, 0, 0);
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(dbl.tlb_flush, 12);

	/* DBCN: console write from guest physical memory */
	uint64_t buf = RAM_BASE + 0x4000;
	memcpy(ram(m, buf), "dbcn ok\n", 8);
	ecall(h, 0x4442434E, 0, 8, buf, 0);
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h->x[11], 8);
	ecall(h, 0x4442434E, 0, 8, buf, 1); /* hi word must be 0 on RV64 */
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x4442434E, 0, 100, RAM_BASE + RAM_SIZE - 10, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x4442434E, 0, UINT64_MAX, buf, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	ecall(h, 0x4442434E, 0, 0, 0, 0); /* nothing to write: success */
	CHECK(h->x[10] == 0 && h->x[11] == 0);
	ecall(h, 0x4442434E, 3, 1, buf, 0); /* DBCN has FIDs 0-2 */
	CHECK_EQ(h->x[10], SBI_NOT_SUPPORTED);
	ecall(h, 0x4442434E, 2, '!', 0, 0);
	ecall(h, 0x4442434E, 1, 4, buf, 0); /* read: no input */
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h->x[11], 0);

	/* legacy calls: a0 only */
	ecall(h, 0x01, 0, 'L', 77, 0);
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h->x[11], 77);
	ecall(h, 0x02, 0, 0, 0, 0);
	CHECK_EQ(h->x[10], UINT64_MAX);
	console_text(con, out, sizeof out);
	CHECK(strcmp(out, "dbcn ok\n!L") == 0);
	ecall(h, 0x00, 0, 999, 0, 0);
	CHECK_EQ(m->mtimecmp[0], 999);
	h->mip = MIP_SSIP;
	ecall(h, 0x03, 0, 0, 0, 0);
	CHECK_EQ(h->mip & MIP_SSIP, 0);
	put64(ram(m, buf), 0x2); /* legacy mask by (virtual = physical in Bare) address */
	ecall(h, 0x04, 0, buf, 0, 0);
	CHECK_EQ(h->x[10], 0);
	CHECK_EQ(h1->mip & MIP_SSIP, MIP_SSIP);
	ecall(h, 0x04, 0, 0, 0, 0); /* NULL mask: all harts */
	CHECK_EQ(h2->mip & MIP_SSIP, MIP_SSIP);
	ecall(h, 0x04, 0, 0x1000, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_ADDRESS);
	ecall(h, 0x04, 0, buf + 4, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_ADDRESS);
	h->satp = 14ull << 60;
	ecall(h, 0x04, 0, buf, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_ADDRESS);
	h->satp = 0;
	unsigned before = dbl.tlb_flush;
	ecall(h, 0x06, 0, buf, 0, 4096);
	CHECK_EQ(dbl.tlb_flush, before + 2);

	/* unknown extension */
	ecall(h, 0x12345678, 0, 0, 0, 0);
	CHECK_EQ(h->x[10], SBI_NOT_SUPPORTED);

	/* SRST: reason 0 -> exit 0, other reasons -> exit 1 */
	ecall(h, 0x53525354, 0, 3, 0, 0);
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	CHECK(!m->done);
	ecall(h, 0x53525354, 0, 0, 1ull << 32, 0); /* reset_reason is 32 bits */
	CHECK_EQ(h->x[10], SBI_INVALID_PARAM);
	CHECK(!m->done);
	ecall(h, 0x53525354, 0, 0, 0, 0);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 0);
	CHECK(strcmp(m->exit_reason, "SBI system reset: shutdown, reason 0") == 0);
	ecall(h, 0x53525354, 0, 1, 1, 0);
	CHECK_EQ(m->exit_code, 1);
	m->done = false;
	ecall(h, 0x08, 0, 0, 0, 0);
	CHECK(m->done);
	CHECK_EQ(m->exit_code, 0);

	CHECK_EQ(h->st.ev[EV_SBI_CALL], ecalls[0]);
	CHECK_EQ(h->cycles, ecalls[0] * m->cfg.cost.sbi_call);
	CHECK_EQ(h1->st.ev[EV_SBI_CALL], ecalls[1]);
	test_machine_free(m);
	fclose(con);
}

/* ---- whole set ---------------------------------------------------------------- */
static void test_all_attached(void)
{
	struct machine *m = test_machine_new(2, RAM_SIZE, NULL);
	CHECK_EQ(syscon_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(clint_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(plic_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(uart_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(blk_attach(m, NULL, errbuf, sizeof errbuf), 0);
	CHECK_EQ(pvblk_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(lab_attach(m, errbuf, sizeof errbuf), 0);
	CHECK_EQ(m->ndev, 7);
	CHECK_EQ(uart_attach(m, errbuf, sizeof errbuf), -1);
	CHECK(strcmp(errbuf, "vtlab: uart: window 0x10000000+0x100 overlaps another device") == 0);
	devices_free(m);
	CHECK(!m->plic && !m->uart && !m->blk && !m->pvblk && !m->lab);
	devices_free(m); /* twice is harmless */
	test_machine_free(m);
}

int main(void)
{
	test_plic();
	test_uart();
	test_clint();
	test_blk();
	test_blk_large();
	test_disk_image();
	test_pvblk();
	test_lab();
	test_syscon();
	test_htif();
	test_sbi();
	test_all_attached();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
