/*
 * fuzz_exec.c - libFuzzer target: a guest that executes arbitrary bytes.
 *
 * Contract checked (the untrusted-guest guarantee, shared/DESIGN.md and
 * preamble "Guest code is untrusted"): whatever the bytes, machine_run()
 * returns, the machine is done with a non-empty one-line exit reason, the
 * instruction count stays within max_insns plus one slice and one page per
 * hart (the executor checks its budget at taken branches and page ends,
 * exec.h), not by the wall-clock safety net (which would mean the host loop
 * spun without progress), and no sanitizer fires.  Guest RAM is fenced by PROT_NONE guard
 * pages whenever the host pages around it are free, so a stray host access
 * just past either end of RAM is a SEGV, not a silent read of a neighbour
 * mapping that ASan does not track.
 *
 * Input layout: a 4-byte header, then the code bytes.
 *   byte 0 (flags): bit 0 two harts; bit 1 start in S-mode under the
 *     built-in SBI firmware (as machine.c boots a kernel without tohost);
 *     bit 2 HTIF mailbox at RAM_BASE+0x1000; bit 3 satp = Sv39 with its root
 *     at the copy of the input in mid-RAM (S-mode start only); bit 4 trap
 *     vectors at RAM_BASE (else 0: unmapped, a trap storm); bit 5 attach a
 *     64 KiB disk image; bits 7:6 slice 1/7/100/1000 instructions.
 *   byte 1: rotates the table of interesting register values (device
 *     windows, RAM edges, wild addresses) given to x1..x31.
 *   byte 2: bit 0 trap vectors at handlers that step over the faulting
 *     instruction (mepc/sepc += 4), so execution goes on past illegal words.
 *   byte 3: bits 2:0 the hypervisor (0 none, 1 STVT, 2 HTVT, 3 HTPV,
 *     4 EPT, 5 STPV; 6 and 7 none): the code is then an untrusted guest of
 *     the VMM (docs/hypervisor.md) over 1 MiB of guest RAM (its S-mode start
 *     with satp Bare, so the code runs through the P2M).  Under the Svtlb
 *     configurations random CSR accesses reach the vMMU: rr, pta, psr,
 *     inserts and purges into the vTLB and the machine VHPT and its chains,
 *     satp = Svtlb; ecalls reach the SBI and the hypercalls.  Under EPT the
 *     Sv39 start (bit 3 of byte 0) makes the copy of the input in mid-RAM
 *     the guest's root table: random VS-stage tables walked in two
 *     dimensions, with A/D updates through the G-stage.  Bits 7:3 turn
 *     the strategy's knobs away from their defaults, each a path that
 *     reads or keeps what the guest wrote: bit 3 the guest-VHPT walker on
 *     (it reads the guest's VHPT wherever its pta points), bit 4 full
 *     track, bit 5 large pages whole, bit 6 a tiny hash vTLB (8 buckets,
 *     4 pool entries, chains of 2: recycling on most inserts), bit 7 the
 *     machine VHPT's collision chains the other way round.  (The byte
 *     also keeps the code 4-byte aligned.)
 * The code is copied to RAM_BASE (pc of every hart), to the middle of RAM
 * (where the Sv39 root points) and to the very end of RAM (execution can
 * fall off the end of RAM).
 *
 * Build and run: scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bus.h"
#include "csr.h"
#include "hart.h"
#include "hart_new.h"
#include "hv.h"
#include "machine.h"

#define FUZZ_RAM (1ull << 20)
#define FUZZ_MAX_INSNS 20000
/* Wall-clock safety net: 20000 instructions take milliseconds, so reaching
 * it means the host loop spun without retiring guest instructions.  Not
 * less than 10 s: a guest that stores into its own code pages takes the
 * slow path of every store (code cache and host-cache invalidation), about
 * 0.3 s for 20000 instructions under the fuzzer's coverage instrumentation,
 * and several times that on a loaded machine (2 s once gave a false
 * finding). */
#define FUZZ_MAX_WALL_NS 10000000000ull
#define HEADER 4
#define HOST_PAGE 4096ull
#define SKIP_M (RAM_BASE + 3 * FUZZ_RAM / 4) /* csrr t6,mepc; addi t6,t6,4; csrw mepc,t6; mret */
#define SKIP_S (SKIP_M + 0x100)              /* the same with sepc and sret */

enum {
	F_TWO_HARTS = 1,
	F_SMODE = 2,
	F_HTIF = 4,
	F_SV39 = 8,
	F_TVEC_RAM = 16,
	F_DISK = 32,
};

static FILE *null_console;
static char disk_path[64];
static int disk_fd = -1;

static void remove_disk(void)
{
	if (disk_path[0])
		unlink(disk_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	null_console = fopen("/dev/null", "w");
	snprintf(disk_path, sizeof(disk_path), "/tmp/vtlab-fuzz-disk-XXXXXX");
	disk_fd = mkstemp(disk_path);
	if (!null_console || disk_fd < 0) {
		fprintf(stderr, "fuzz_exec.c: cannot open /dev/null or create %s\n", disk_path);
		abort();
	}
	atexit(remove_disk);
	return 0;
}

/* Every input starts from the same disk contents: 128 sectors of a pattern. */
static void reset_disk(void)
{
	static uint8_t img[64 << 10];
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + (i >> 9));
	if (pwrite(disk_fd, img, sizeof(img), 0) != (ssize_t)sizeof(img) ||
	    ftruncate(disk_fd, sizeof(img))) {
		fprintf(stderr, "fuzz_exec.c: %s: cannot reset the disk image\n", disk_path);
		abort();
	}
}

/* Maps a PROT_NONE page at addr if nothing is there; returns it or NULL. */
static void *guard_at(uint8_t *addr)
{
	void *p = mmap(addr, HOST_PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (p != addr) { /* kernels before 4.17 treat the flag as a hint */
		munmap(p, HOST_PAGE);
		return NULL;
	}
	return p;
}

/* Values for x1..x31: device windows, RAM edges and wild addresses, so that
 * random loads and stores reach every region of the physical map. */
static const uint64_t interesting[] = {
	RAM_BASE,
	RAM_BASE + FUZZ_RAM - 8,
	RAM_BASE + FUZZ_RAM,
	RAM_BASE + FUZZ_RAM / 2,
	CLINT_BASE,
	CLINT_BASE + 0x4000,
	CLINT_BASE + 0xbff8,
	PLIC_BASE,
	PLIC_BASE + 0x200000,
	PLIC_BASE + 0x2000,
	UART_BASE,
	BLK_BASE,
	PVBLK_BASE,
	LAB_BASE,
	SYSCON_BASE,
	0,
	~0ull,
	~0ull - 7,
	RAM_BASE - 8,
	1ull << 63,
	0x7fffffffffffffffull,
	RAM_BASE + 0x1000,
	2,
	512,
	0x5555,
	0xffffffff,
	0x3ffffff000ull,
	0xffffffc000000000ull,
	RAM_BASE | 0xfff,
};
#define N_INTERESTING (sizeof(interesting) / sizeof(interesting[0]))

/* An S-mode kernel under the built-in firmware, optionally with Sv39 on. */
static void start_supervisor(struct hart *h, bool sv39)
{
	machine_boot_supervisor(h);
	if (sv39)
		h->satp = ((uint64_t)SATP_MODE_SV39 << 60) | ((RAM_BASE + FUZZ_RAM / 2) >> 12);

	hart_update_ctx(h);
}

static void place_code(struct machine *m, const uint8_t *code, size_t len)
{
	size_t max = FUZZ_RAM / 4;
	if (len > max)
		len = max;
	len &= ~(size_t)3;
	if (len == 0)
		return;
	memcpy(phys_ram_ptr(m, RAM_BASE, len), code, len);
	memcpy(phys_ram_ptr(m, RAM_BASE + FUZZ_RAM / 2, len), code, len);
	memcpy(phys_ram_ptr(m, RAM_BASE + FUZZ_RAM - len, len), code, len);
}

static void place_skip_handlers(struct machine *m)
{
	static const uint32_t skip_m[] = { 0x34102ff3, 0x004f8f93, 0x341f9073, 0x30200073 };
	static const uint32_t skip_s[] = { 0x14102ff3, 0x004f8f93, 0x141f9073, 0x10200073 };
	memcpy(phys_ram_ptr(m, SKIP_M, sizeof(skip_m)), skip_m, sizeof(skip_m));
	memcpy(phys_ram_ptr(m, SKIP_S, sizeof(skip_s)), skip_s, sizeof(skip_s));
}

static void setup_harts(struct machine *m, uint8_t flags, uint8_t rot, bool skip)
{
	uint64_t tvec = (flags & F_TVEC_RAM) ? RAM_BASE : 0;
	if (skip)
		place_skip_handlers(m);
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		hart_reset(h, RAM_BASE);
		for (unsigned r = 1; r < 32; r++)
			h->x[r] = interesting[(r + rot) % N_INTERESTING];
		h->mtvec = skip ? SKIP_M : tvec;
		h->stvec = skip ? SKIP_S : tvec;
		if (flags & F_SMODE)
			start_supervisor(h, flags & F_SV39);
	}
	m->firmware = (flags & F_SMODE) != 0;
	if (flags & F_HTIF) {
		m->htif = true;
		m->tohost = RAM_BASE + 0x1000;
		m->fromhost = RAM_BASE + 0x1008;
		machine_watch_page(m, m->tohost, true);
	}
}

static void check_outcome(const struct machine *m, const struct machine_config *cfg)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		total += m->harts[i]->instret;
	if (!m->done || !m->exit_reason[0] || strchr(m->exit_reason, '\n')) {
		fprintf(stderr, "fuzz_exec.c: machine_run returned with done=%d reason '%s'\n",
			m->done, m->exit_reason);
		abort();
	}
	if (strstr(m->exit_reason, "wall-clock")) {
		fprintf(stderr,
			"fuzz_exec.c: the run ended only by the wall-clock limit (%s): "
			"machine_run spun without retiring instructions\n",
			m->exit_reason);
		abort();
	}
	if (total > cfg->max_insns + m->nharts * (cfg->slice + 1024)) {
		fprintf(stderr, "fuzz_exec.c: %llu instructions retired, limit %llu\n",
			(unsigned long long)total, (unsigned long long)cfg->max_insns);
		abort();
	}
}

/* Byte 3's bits 7:3: the strategy's knobs away from their defaults. */
static void set_knobs(struct hv_params *hp, uint8_t b)
{
	if (b & 0x08)
		hp->guest_vhpt_walker = true;
	if (b & 0x10)
		hp->full_track = true;
	if (b & 0x20)
		hp->whole_large_pages = true;
	if (b & 0x40) {
		hp->vtlb.buckets = 8;
		hp->vtlb.pool = 4;
		hp->vtlb.chain_max = 2;
	}
	if (b & 0x80)
		hp->machine_vhpt_chain = !hp->machine_vhpt_chain;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t slices[4] = { 1, 7, 100, 1000 };
	struct machine_config cfg;
	struct machine *m;
	char err[256];
	void *lo_guard, *hi_guard;
	if (size < HEADER)
		return 0;
	machine_config_defaults(&cfg);
	cfg.ram_size = FUZZ_RAM;
	cfg.nharts = (data[0] & F_TWO_HARTS) ? 2 : 1;
	cfg.slice = slices[data[0] >> 6];
	cfg.max_insns = FUZZ_MAX_INSNS;
	cfg.max_wall_ns = FUZZ_MAX_WALL_NS;
	cfg.console = null_console;
	if (data[0] & F_DISK) {
		reset_disk();
		cfg.disk = disk_path;
	}
	static const enum hv_config hv_modes[8] = { HV_NATIVE, HV_STVT, HV_HTVT,   HV_HTPV,
						    HV_EPT,    HV_STPV, HV_NATIVE, HV_NATIVE };
	struct hv_params hp;
	hv_params_default(&hp, hv_modes[data[3] & 7]);
	set_knobs(&hp, data[3]);
	hp.machine_vhpt_log2 = 15; /* the smallest: many collisions, chains */
	hp.guest_ram = FUZZ_RAM;
	cfg.ram_size = FUZZ_RAM + hv_vmm_bytes(&hp, cfg.nharts);
	m = machine_new(&cfg, err, sizeof(err));
	if (!m || hv_attach(m, &hp, err, sizeof(err))) {
		fprintf(stderr, "fuzz_exec.c: machine_new/hv_attach: %s\n", err);
		abort();
	}
	lo_guard = guard_at(m->ram - HOST_PAGE);
	hi_guard = guard_at(m->ram + cfg.ram_size);
	place_code(m, data + HEADER, size - HEADER);
	setup_harts(m, data[0], data[1], data[2] & 1);
	machine_run(m);
	check_outcome(m, &cfg);
	if (lo_guard)
		munmap(lo_guard, HOST_PAGE);
	if (hi_guard)
		munmap(hi_guard, HOST_PAGE);
	machine_free(m);
	return 0;
}
