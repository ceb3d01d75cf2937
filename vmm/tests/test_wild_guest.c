/*
 * test_wild_guest.c - regression test of the untrusted-guest guarantee: a
 * guest that executes random bytes, jumps anywhere, or programs devices
 * with wild addresses never crashes the host process, never touches host
 * memory outside guest RAM, and ends with a clear error (machine.h).
 *
 * Each case builds a small machine (1 MiB RAM, no ELF: code is assembled
 * here and copied to RAM), runs it with an instruction bound and checks that
 * the run ended (m->done) with a one-line exit reason, within the bound, and
 * where the outcome is defined, with the expected reason.  Cases:
 *  - 2000 deterministic pseudo-random instruction streams (xorshift64):
 *    half random words, half valid opcodes with random fields, registers
 *    preset to device windows, RAM edges and wild addresses;
 *  - hand-written ones: jumps to 0, to the top of the address space, off
 *    the end of RAM; trap storms; loads/stores straddling the ends of RAM;
 *    every device register window swept with wild values, wild DMA, ring and
 *    name addresses; garbage page tables (Sv39 and Svtlb); MPRV walks;
 *    infinite loops; wfi with nothing armed; SBI and HTIF with wild buffers.
 * Every case runs in its own child process with a time limit, so a hang or
 * a crash is reported as that case's failure and the others still run.
 * Guest RAM is fenced with PROT_NONE pages when the host pages around it are
 * free, so a host access just past RAM is a crash, not a silent read.
 *
 * Last line: "N passed, N failed" (N = cases); exit status 1 on failure.
 * WILD_VERBOSE=1 in the environment prints every run's exit reason.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus.h"
#include "csr.h"
#include "hart.h"
#include "hart_new.h"
#include "machine.h"

#define RAM_SIZE (1ull << 20)
#define RAM_END (RAM_BASE + RAM_SIZE)
#define MAX_INSNS 20000
#define WALL_NS 10000000000ull /* machine's wall-clock safety net (cfg.max_wall_ns) */
#define CASE_SECONDS 30        /* the child's last resort (alarm), beyond WALL_NS */
#define RANDOM_STREAMS 2000
#define STREAM_WORDS 256
#define HOST_PAGE 4096ull
#define CODE_MAX 0x10000ull          /* programs live in [RAM_BASE, +CODE_MAX) */
#define HANDLER (RAM_BASE + 0x20000) /* "skip the faulting instruction" trap handler */
#define S_HANDLER (HANDLER + 0x100)  /* the same for S-mode (sepc, sret) */
#define SCRATCH (RAM_BASE + 0x30000) /* data, rings, page tables */
#define TOHOST (RAM_BASE + 0x40000)  /* HTIF mailbox when a case enables it */
#define DEVICE_MAX_INSNS 2000000     /* register sweeps are long loops */

static unsigned passed, failed, case_checks_failed;
static char disk_path[64];

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			case_checks_failed++;                                                      \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

/* ---------------------------------------------------------------- assembler */

enum reg {
	ZERO = 0,
	RA = 1,
	SP = 2,
	T0 = 5,
	T1 = 6,
	T2 = 7,
	A0 = 10,
	A1 = 11,
	A2 = 12,
	A6 = 16,
	A7 = 17,
	S2 = 18,
	S3 = 19,
	S4 = 20,
	T6 = 31
};

struct prog {
	uint64_t base; /* guest-physical address of w[0] */
	size_t n;
	uint32_t w[CODE_MAX / 4];
};

static void emit(struct prog *p, uint32_t word)
{
	if (p->n < sizeof(p->w) / sizeof(p->w[0]))
		p->w[p->n++] = word;
}

static uint64_t here(const struct prog *p)
{
	return p->base + 4 * p->n;
}

static uint32_t r_type(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd,
		       unsigned opc)
{
	return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t i_type(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned opc)
{
	return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t s_type(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned opc)
{
	uint32_t u = (uint32_t)imm;
	return ((u >> 5 & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
	       ((u & 0x1f) << 7) | opc;
}

static uint32_t b_type(int32_t off, unsigned rs2, unsigned rs1, unsigned f3)
{
	uint32_t u = (uint32_t)off;
	return ((u >> 12 & 1) << 31) | ((u >> 5 & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
	       (f3 << 12) | ((u >> 1 & 0xf) << 8) | ((u >> 11 & 1) << 7) | 0x63;
}

static uint32_t j_type(int32_t off, unsigned rd)
{
	uint32_t u = (uint32_t)off;
	return ((u >> 20 & 1) << 31) | ((u >> 1 & 0x3ff) << 21) | ((u >> 11 & 1) << 20) |
	       (u & 0xff000) | (rd << 7) | 0x6f;
}

#define ADDI(rd, rs, imm) i_type(imm, rs, 0, rd, 0x13)
#define NOP ADDI(0, 0, 0)
#define LD(rd, rs, imm) i_type(imm, rs, 3, rd, 0x03)
#define LW(rd, rs, imm) i_type(imm, rs, 2, rd, 0x03)
#define SD(rs2, rs1, imm) s_type(imm, rs2, rs1, 3, 0x23)
#define SW(rs2, rs1, imm) s_type(imm, rs2, rs1, 2, 0x23)
#define SB(rs2, rs1, imm) s_type(imm, rs2, rs1, 0, 0x23)
#define ADD(rd, a, b) r_type(0, b, a, 0, rd, 0x33)
#define JALR(rd, rs, imm) i_type(imm, rs, 0, rd, 0x67)
#define CSRR(rd, csr) i_type((int32_t)(csr), 0, 2, rd, 0x73)
#define CSRW(csr, rs) i_type((int32_t)(csr), rs, 1, 0, 0x73)
#define CSRS(csr, rs) i_type((int32_t)(csr), rs, 2, 0, 0x73)
#define SLLI(rd, rs, sh) i_type(sh, rs, 1, rd, 0x13)
#define BNE(a, b, off) b_type(off, b, a, 1)
#define ECALL 0x00000073u
#define MRET 0x30200073u
#define WFI 0x10500073u
#define SFENCE_VMA 0x12000073u
#define AMOADD_D(rd, rs2, rs1) r_type(0x00, rs2, rs1, 3, rd, 0x2f)
#define LR_D(rd, rs1) r_type(0x08, 0, rs1, 3, rd, 0x2f)
#define SC_D(rd, rs2, rs1) r_type(0x0c, rs2, rs1, 3, rd, 0x2f)

enum { CSR_SEPC = 0x141, CSR_MEPC = 0x341, CSR_MHARTID = 0xf14 };
#define SRET 0x10200073u

/* rd = value, from an inline 8-byte literal (auipc; ld; jump over it). */
static void li(struct prog *p, unsigned rd, uint64_t value)
{
	if ((here(p) + 12) & 7)
		emit(p, NOP);
	emit(p, r_type(0, 0, 0, 0, rd, 0x17)); /* auipc rd, 0 */
	emit(p, LD(rd, rd, 12));
	emit(p, j_type(12, 0));
	emit(p, (uint32_t)value);
	emit(p, (uint32_t)(value >> 32));
}

/* *(size)(base + off) = value for off in [0, len) by stride, as a loop:
 * the skip handler steps over every store that faults. */
static void sweep(struct prog *p, uint64_t base, uint64_t len, unsigned stride, unsigned f3,
		  uint64_t value)
{
	uint64_t top;
	li(p, S2, base);
	li(p, S3, base + len);
	li(p, S4, value);
	top = here(p);
	emit(p, s_type(0, S4, S2, f3, 0x23));
	emit(p, ADDI(S2, S2, (int32_t)stride));
	emit(p, b_type((int32_t)(top - here(p)), S3, S2, 6)); /* bltu s2, s3, top */
}

static void store(struct prog *p, uint64_t addr, unsigned f3, uint64_t value)
{
	li(p, T0, addr);
	li(p, T1, value);
	emit(p, s_type(0, T1, T0, f3, 0x23));
}

/* Writes 0x5555 to syscon: "guest shutdown: pass", proving the machine
 * survived what came before. */
static void shutdown_pass(struct prog *p)
{
	store(p, SYSCON_BASE, 2, 0x5555);
	emit(p, j_type(0, 0));
}

/* ---------------------------------------------------------------- machine */

struct setup {
	unsigned nharts;
	bool disk;
	bool smode;        /* S-mode start under the built-in firmware */
	bool skip_handler; /* mtvec = HANDLER, which steps over the faulting instruction */
	uint64_t mtvec, stvec, satp;
	uint64_t slice;
	uint64_t max_insns; /* 0: MAX_INSNS */
	uint64_t pc;        /* 0: the program's base */
	bool htif;
	uint64_t x[32]; /* initial registers (x0 ignored) */
};

static void write_words(struct machine *m, uint64_t addr, const uint32_t *w, size_t n)
{
	uint8_t *dst = phys_ram_ptr(m, addr, 4 * n);
	if (!dst) {
		fprintf(stderr, "test_wild_guest.c: code at 0x%llx (%zu words) outside RAM\n",
			(unsigned long long)addr, n);
		exit(2);
	}
	memcpy(dst, w, 4 * n);
}

static void place_handler(struct machine *m)
{
	const uint32_t skip[] = {
		CSRR(T6, CSR_MEPC),
		ADDI(T6, T6, 4),
		CSRW(CSR_MEPC, T6),
		MRET,
	};
	const uint32_t sskip[] = {
		CSRR(T6, CSR_SEPC),
		ADDI(T6, T6, 4),
		CSRW(CSR_SEPC, T6),
		SRET,
	};
	write_words(m, HANDLER, skip, 4);
	write_words(m, S_HANDLER, sskip, 4);
}

static void guard_at(uint8_t *addr)
{
	void *g = mmap(addr, HOST_PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (g != MAP_FAILED && g != addr)
		munmap(g, HOST_PAGE);
}

static void start_harts(struct machine *m, const struct setup *s, uint64_t pc)
{
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		hart_reset(h, pc);
		for (unsigned r = 1; r < 32; r++)
			h->x[r] = s->x[r];
		h->mtvec = s->skip_handler ? HANDLER : s->mtvec;
		h->stvec = s->stvec;
		if (s->smode) {
			machine_boot_supervisor(h);
			h->satp = s->satp;
			hart_update_ctx(h);
		}
	}
	m->firmware = s->smode;
	if (s->htif) {
		m->htif = true;
		m->tohost = TOHOST;
		m->fromhost = TOHOST + 8;
		machine_watch_page(m, m->tohost, true);
	}
}

/* Runs prog under setup s; checks the generic guarantee; returns the
 * finished machine (caller frees) for case-specific checks. */
static struct machine *run(const struct prog *p, const struct setup *s,
			   void (*poke)(struct machine *))
{
	struct machine_config cfg;
	struct machine *m;
	char err[256];
	uint64_t total = 0, slice;
	machine_config_defaults(&cfg);
	cfg.ram_size = RAM_SIZE;
	cfg.nharts = s->nharts ? s->nharts : 1;
	cfg.slice = slice = s->slice ? s->slice : 100;
	cfg.max_insns = s->max_insns ? s->max_insns : MAX_INSNS;
	cfg.max_wall_ns = WALL_NS;
	cfg.console = NULL;
	cfg.disk = s->disk ? disk_path : NULL;
	m = machine_new(&cfg, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "test_wild_guest.c: machine_new: %s\n", err);
		exit(2);
	}
	guard_at(m->ram - HOST_PAGE);
	guard_at(m->ram + RAM_SIZE);
	if (p->base == RAM_BASE && 4 * p->n > CODE_MAX) {
		fprintf(stderr, "test_wild_guest.c: program of %zu words too long\n", p->n);
		exit(2);
	}
	if (p->n)
		write_words(m, p->base, p->w, p->n);
	place_handler(m);
	start_harts(m, s, s->pc ? s->pc : p->base);
	if (poke)
		poke(m);
	machine_run(m);
	for (unsigned i = 0; i < m->nharts; i++)
		total += m->harts[i]->instret;
	if (getenv("WILD_VERBOSE"))
		fprintf(stderr, "  exit %d after %llu instructions: %s\n", m->exit_code,
			(unsigned long long)total, m->exit_reason);
	CHECK(m->done, "machine_run returned but the machine is not done");
	CHECK(m->exit_reason[0] != '\0', "no exit reason");
	CHECK(strstr(m->exit_reason, "wall-clock") == NULL,
	      "the run spun until the wall-clock limit: %s", m->exit_reason);
	CHECK(strchr(m->exit_reason, '\n') == NULL, "exit reason is not one line: %s",
	      m->exit_reason);
	CHECK(total <= cfg.max_insns + m->nharts * (slice + 1024),
	      "%llu instructions retired, bound %llu", (unsigned long long)total,
	      (unsigned long long)cfg.max_insns);
	return m;
}

static void expect_reason(struct machine *m, const char *needle)
{
	CHECK(strstr(m->exit_reason, needle) != NULL, "exit reason '%s', expected '%s'",
	      m->exit_reason, needle);
}

/* ---------------------------------------------------------------- random streams */

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static const uint64_t interesting[] = {
	RAM_BASE,
	RAM_END - 8,
	RAM_END,
	RAM_BASE + RAM_SIZE / 2,
	CLINT_BASE,
	CLINT_BASE + 0x4000,
	CLINT_BASE + 0xbff8,
	PLIC_BASE,
	PLIC_BASE + 0x200000,
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
	RAM_BASE + 0x1000,
	2,
	512,
	0xffffffffull,
	0x3ffffff000ull,
	0xffffffc000000000ull,
	RAM_BASE | 0xfff,
};
#define N_INTERESTING (sizeof(interesting) / sizeof(interesting[0]))

/* A valid encoding of a random major opcode with random fields. */
static uint32_t random_insn(uint64_t *s)
{
	static const uint32_t opcodes[] = { 0x03, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x2f,
					    0x33, 0x37, 0x3b, 0x63, 0x67, 0x6f, 0x73 };
	uint32_t r = (uint32_t)xorshift(s);
	uint32_t opc = opcodes[(r >> 7) % (sizeof(opcodes) / sizeof(opcodes[0]))];
	uint32_t w = (r & ~0x7fu) | opc;
	if (opc == 0x73 && (r & 0x100)) /* CSR accesses to the CSRs that matter most */
		w = (w & 0x000fffffu) | ((uint32_t)(0x100 + (r >> 20) % 0x300) << 20);
	return w;
}

static void random_case(uint64_t seed)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
	struct prog *p = calloc(1, sizeof(*p));
	struct setup st = { 0 };
	uint64_t flags = xorshift(&s);
	p->base = RAM_BASE;
	for (unsigned i = 0; i < STREAM_WORDS; i++)
		emit(p, (xorshift(&s) & 1) ? (uint32_t)xorshift(&s) : random_insn(&s));
	for (unsigned r = 1; r < 32; r++)
		st.x[r] = interesting[xorshift(&s) % N_INTERESTING];
	st.nharts = (flags & 1) ? 2 : 1;
	st.smode = (flags >> 1) & 1;
	/* Mostly vectors that step over the faulting instruction, so a stream
	 * goes on after its illegal words; else the stream's start or 0. */
	switch ((flags >> 2) & 7) {
	case 0: st.mtvec = st.stvec = RAM_BASE; break;
	case 1: st.mtvec = st.stvec = 0; break;
	default:
		st.skip_handler = true;
		st.stvec = S_HANDLER;
		break;
	}
	st.disk = (flags >> 5) & 1;
	st.htif = (flags >> 6) & 1;
	st.slice = (flags >> 7) & 1 ? 7 : 1000;
	if (st.smode && ((flags >> 8) & 3) == 0)
		st.satp = (8ull << 60) | ((RAM_BASE + 0x1000 * (xorshift(&s) % 256)) >> 12);
	machine_free(run(p, &st, NULL));
	free(p);
}

/* ---------------------------------------------------------------- nasty cases */

static struct prog *new_prog(void)
{
	struct prog *p = calloc(1, sizeof(*p));
	p->base = RAM_BASE;
	return p;
}

static void finish(struct prog *p, struct machine *m)
{
	machine_free(m);
	free(p);
}

static void jump_to_zero(void)
{
	struct prog *p = new_prog();
	struct setup s = { 0 };
	emit(p, JALR(0, 0, 0));
	finish(p, run(p, &s, NULL)); /* mtvec 0: the handler's fetch faults too */
}

static void jump_to_top(void)
{
	struct prog *p = new_prog();
	struct setup s = { .mtvec = RAM_BASE + 0x400 };
	li(p, T0, ~0ull - 3);
	emit(p, JALR(0, T0, 0));
	finish(p, run(p, &s, NULL));
}

static void fall_off_ram_end(void)
{
	struct prog *p = calloc(1, sizeof(*p));
	struct setup s = { 0 };
	p->base = RAM_END - 8;
	emit(p, NOP);
	emit(p, NOP);
	finish(p, run(p, &s, NULL));
}

static void start_outside_ram(void)
{
	struct prog *p = new_prog();
	struct setup s = { .pc = UART_BASE, .mtvec = PLIC_BASE };
	finish(p, run(p, &s, NULL)); /* fetch from a device window, handler in one too */
}

static void trap_storm_unmapped_mtvec(void)
{
	struct prog *p = new_prog();
	struct setup s = { .mtvec = 0x40000000 };
	emit(p, 0); /* illegal */
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "trap loop");
	finish(p, m);
}

static void trap_storm_reserved_mode(void)
{
	struct prog *p = new_prog();
	struct setup s = { .mtvec = RAM_END - 2 }; /* mode 2 (reserved), base at RAM's last word */
	emit(p, ECALL);
	finish(p, run(p, &s, NULL));
}

static void infinite_loop(void)
{
	struct prog *p = new_prog();
	struct setup s = { 0 };
	emit(p, j_type(0, 0));
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "instruction limit");
	finish(p, m);
}

static void infinite_trap_loop_bounded(void)
{
	/* An illegal instruction whose handler returns to it: retires mret every
	 * time, so it is no trap storm; only max_insns ends it. */
	struct prog *p = new_prog();
	struct setup s = { .mtvec = RAM_BASE + 4 };
	emit(p, 0);
	emit(p, MRET);
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "instruction limit");
	finish(p, m);
}

static void wfi_nothing_armed(void)
{
	struct prog *p = new_prog();
	struct setup s = { .nharts = 2 };
	emit(p, WFI);
	emit(p, j_type(-4, 0));
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "wfi");
	finish(p, m);
}

/* Regression (fuzz_exec, first 10-minute run; minimised fuzz input
 * 10 00 00 00 | 23 b0 02 00 | 73 00 50 10 = "sd zero, 0(t0)" with t0 =
 * CLINT mtimecmp[0], then "wfi"): a timer armed while its interrupt is
 * disabled in mie, then wfi.  Once the deadline has passed the hart can
 * never wake, and machine_run() spun forever in all_idle() (which only asks
 * whether some deadline exists).  Expected: a prompt end whose reason names
 * the wfi, not the wall-clock safety net. */
static void wfi_timer_masked(uint64_t mtimecmp)
{
	struct prog *p = new_prog();
	struct setup s = { 0 };
	store(p, CLINT_BASE + 0x4000, 3, mtimecmp); /* mie.MTIE stays 0 */
	emit(p, WFI);
	emit(p, j_type(-4, 0));
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "wfi");
	finish(p, m);
}

static void wfi_timer_masked_past(void)
{
	wfi_timer_masked(0);
}

/* The same with the deadline still ahead: time may jump to it, but the
 * masked interrupt cannot wake the hart either. */
static void wfi_timer_masked_future(void)
{
	wfi_timer_masked(1000);
}

static void ram_edges(void)
{
	struct prog *p = new_prog();
	struct setup s = { .skip_handler = true };
	static const uint64_t addrs[] = { RAM_END - 4,  RAM_END - 1, RAM_END, RAM_BASE - 4,
					  RAM_BASE - 1, ~0ull - 3,   0 };
	for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		li(p, T0, addrs[i]);
		emit(p, LD(T1, T0, 0));
		emit(p, SD(T1, T0, 0));
		emit(p, SW(T1, T0, 0));
		emit(p, AMOADD_D(T1, T1, T0));
		emit(p, LR_D(T1, T0));
		emit(p, SC_D(T1, T1, T0));
	}
	li(p, T0, RAM_END - 8); /* in RAM: must still work */
	li(p, T1, 0x1122334455667788ull);
	emit(p, SD(T1, T0, 0));
	emit(p, LD(A0, T0, 0));
	shutdown_pass(p);
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "guest shutdown: pass");
	CHECK(m->harts[0]->x[A0] == 0x1122334455667788ull,
	      "last doubleword of RAM read back 0x%llx", (unsigned long long)m->harts[0]->x[A0]);
	finish(p, m);
}

static const uint64_t wild_values[] = {
	0xffffffffffffffffull, 0x8000000000000000ull, RAM_END - 1,           RAM_END - 16,
	RAM_BASE - 512,        0x7ffffffffffff000ull, 0xfffffffffffffe00ull, 0x00000000deadbeefull,
};
#define N_WILD (sizeof(wild_values) / sizeof(wild_values[0]))

struct window {
	const char *name;
	uint64_t base, len;
};

static const struct window windows[] = {
	{ "clint", CLINT_BASE, 0x10000 },
	{ "plic", PLIC_BASE, 0x3000 },
	{ "plic-ctx", PLIC_BASE + 0x200000, 0x4000 },
	{ "uart", UART_BASE, 0x100 },
	{ "blk", BLK_BASE, 0x1000 },
	{ "pvblk", PVBLK_BASE, 0x1000 },
	{ "lab", LAB_BASE, 0x38 },            /* up to EXIT */
	{ "syscon", SYSCON_BASE + 4, 0xffc }, /* offset 0 is the shutdown register */
};

/* Every register of every device window, every access size, wild values;
 * then the machine must still reach syscon. */
static void device_windows(unsigned w)
{
	static const unsigned sizes[] = { 0, 2, 3 }; /* sb, sw, sd */
	struct prog *p = new_prog();
	struct setup s = {
		.skip_handler = true, .disk = true, .slice = 7, .max_insns = DEVICE_MAX_INSNS
	};
	const struct window *win = &windows[w];
	for (unsigned k = 0; k < 3; k++)
		sweep(p, win->base, win->len, sizes[k] == 3 ? 8 : 4, sizes[k],
		      wild_values[(w + k) % N_WILD]);
	shutdown_pass(p);
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "guest shutdown: pass");
	finish(p, m);
}

/* DMA, ring and name addresses that are wild, straddle RAM's end, or wrap. */
static void device_dma(void)
{
	struct prog *p = new_prog();
	struct setup s = { .skip_handler = true, .disk = true, .max_insns = DEVICE_MAX_INSNS };
	for (unsigned i = 0; i < N_WILD; i++) {
		uint64_t a = wild_values[i];
		store(p, BLK_BASE + 0x08, 2, 0);                 /* SECTOR */
		store(p, BLK_BASE + 0x10, 2, (uint32_t)a);       /* DMA_LO */
		store(p, BLK_BASE + 0x14, 2, a >> 32);           /* DMA_HI */
		store(p, BLK_BASE + 0x18, 2, 1 + (i % 3) * 127); /* COUNT */
		store(p, BLK_BASE + 0x1c, 2, 1 + (i & 1));       /* CMD read / write */
		store(p, PVBLK_BASE + 0x08, 2, (uint32_t)a);     /* RING */
		store(p, PVBLK_BASE + 0x0c, 2, a >> 32);
		store(p, PVBLK_BASE + 0x10, 2, 1u << (i % 9));
		store(p, PVBLK_BASE + 0x14, 2, 1); /* DOORBELL */
		store(p, LAB_BASE + 0x08, 3, a);   /* NAME_ADDR */
		store(p, LAB_BASE + 0x10, 3, 64);  /* NAME_LEN: copy */
	}
	/* A ring in RAM whose descriptors hold wild buffers and lengths. */
	uint64_t ring = SCRATCH;
	store(p, ring, 2, 0xffffff00u); /* prod: far ahead of cons */
	store(p, PVBLK_BASE + 0x08, 2, (uint32_t)ring);
	store(p, PVBLK_BASE + 0x0c, 2, 0);
	store(p, PVBLK_BASE + 0x10, 2, 4);
	store(p, PVBLK_BASE + 0x14, 2, 1);
	store(p, ring, 2, 4); /* prod = 4 valid slots with wild contents */
	for (unsigned d = 0; d < 4; d++) {
		uint64_t desc = ring + 16 + 32 * d;
		store(p, desc + 0, 2, 1 + d % 3);
		store(p, desc + 8, 3, d == 3 ? ~0ull : 0);
		store(p, desc + 16, 3, wild_values[d * 2 + 1]);
		store(p, desc + 24, 2, d == 0 ? 0xfffffe00u : 512);
	}
	store(p, PVBLK_BASE + 0x14, 2, 1);
	shutdown_pass(p);
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "guest shutdown: pass");
	finish(p, m);
}

/* Sv39 with the root in RAM filled with garbage, or outside RAM. */
static void garbage_page_tables(uint64_t seed, bool root_in_ram, unsigned mode)
{
	struct prog *p = new_prog();
	struct setup s = { .mtvec = RAM_BASE + 0x4000 };
	uint64_t root = root_in_ram ? SCRATCH : 0x7ffffff000ull;
	uint64_t x = seed;
	/* M-mode: write garbage PTEs, satp, then loop mret into S at wild pcs
	 * and loads through MPRV; the M handler (at +0x4000) goes round again. */
	for (unsigned i = 0; i < 64 && root_in_ram; i++)
		store(p, root + 8 * (xorshift(&x) % 512), 3, xorshift(&x) | 1);
	li(p, T0, ((uint64_t)mode << 60) | (xorshift(&x) & 0xffff00000000000ull) | (root >> 12));
	emit(p, CSRW(CSR_SATP, T0));
	emit(p, SFENCE_VMA);
	while (here(p) < RAM_BASE + 0x4000)
		emit(p, NOP);
	li(p, T0, (1ull << 11) | MSTATUS_MPRV); /* MPP = S, MPRV */
	emit(p, CSRS(CSR_MSTATUS, T0));
	li(p, T1, xorshift(&x));
	emit(p, LD(A0, T1, 0)); /* walks the garbage (faults back here) */
	emit(p, CSRW(CSR_MEPC, T1));
	emit(p, MRET);
	struct machine *m = run(p, &s, NULL);
	finish(p, m);
}

static void garbage_page_tables_smode(void)
{
	/* S-mode start with satp set: the very first fetch walks garbage. */
	struct prog *p = new_prog();
	struct setup s = { .smode = true,
			   .stvec = RAM_BASE,
			   .satp = (8ull << 60) | (SCRATCH >> 12) };
	uint64_t x = 77;
	for (unsigned i = 0; i < 4; i++)
		emit(p, (uint32_t)xorshift(&x));
	finish(p, run(p, &s, NULL));
}

/* SBI calls (S-mode, built-in firmware) with wild addresses and sizes. */
static void sbi_wild(void)
{
	static const uint64_t calls[][3] = {
		/* eid, fid, a0 */
		{ 0x4442434e, 0, ~0ull }, /* DBCN console_write n = huge */
		{ 0x4442434e, 0, 16 },    /* ... at wild addresses below */
		{ 0x735049, 0, ~0ull },   /* send_ipi all, base below */
		{ 0x52464e43, 1, ~0ull }, /* rfence sfence.vma */
		{ 4, 0, 0 },              /* legacy send_ipi(mask_ptr) */
		{ 5, 0, 0 },              /* legacy remote_fence_i(mask_ptr) */
		{ 6, 0, 0 },              /* legacy remote_sfence_vma */
		{ 0x54494d45, 0, ~0ull }, /* set_timer far away */
		{ 0x10, 3, ~0ull },       /* probe a wild extension */
		{ 0xdeadbeef, 7, 0 },     /* unknown */
	};
	struct prog *p = new_prog();
	struct setup s = { .smode = true, .nharts = 2 }; /* stvec 0: any S trap is a storm */
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		for (unsigned k = 0; k < N_WILD; k++) {
			li(p, A7, calls[i][0]);
			li(p, A6, calls[i][1]);
			li(p, A0, calls[i][2] ? calls[i][2] : wild_values[k]);
			li(p, A1, wild_values[k]);
			li(p, A2, wild_values[(k + 1) % N_WILD]);
			emit(p, ECALL);
		}
	li(p, A7, 0x53525354); /* SRST shutdown, reason 0 */
	li(p, A6, 0);
	li(p, A0, 0);
	li(p, A1, 0);
	emit(p, ECALL);
	emit(p, j_type(0, 0));
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "SBI system reset");
	finish(p, m);
}

/* HTIF commands with wild magic_mem and write() buffers. */
static void htif_wild(void)
{
	struct prog *p = new_prog();
	struct setup s = { .htif = true, .skip_handler = true, .max_insns = DEVICE_MAX_INSNS };
	uint64_t magic = SCRATCH;
	for (unsigned k = 0; k < N_WILD; k++) {
		store(p, TOHOST, 3, wild_values[k] & ~1ull); /* syscall at a wild address */
		store(p, magic, 3, 64);                      /* write(1, wild, huge) */
		store(p, magic + 8, 3, 1);
		store(p, magic + 16, 3, wild_values[k]);
		store(p, magic + 24, 3, wild_values[(k + 3) % N_WILD]);
		store(p, TOHOST, 3, magic);
		store(p, TOHOST, 3, (1ull << 56) | (1ull << 48) | 'x'); /* putchar */
		store(p, TOHOST, 3, (7ull << 56) | (3ull << 48) | 5);   /* unknown device */
	}
	store(p, TOHOST, 3, 1); /* exit 0: PASS */
	emit(p, j_type(0, 0));
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "PASS");
	finish(p, m);
}

/* Code rewritten after it ran, on a page both harts execute and rewrite:
 * each hart writes "addi a1,a1,1; ret" to its slot, calls it, rewrites it
 * to "addi a1,a1,16" and calls it again, 200 times; a stale decoded page
 * would give a wrong a1 (or run into zeros). */
static void self_modifying(void)
{
	struct prog *p = new_prog();
	struct setup s = { .nharts = 2, .skip_handler = true, .slice = 1 };
	uint64_t loop;
	emit(p, CSRR(A0, CSR_MHARTID));
	emit(p, SLLI(A0, A0, 11));
	li(p, T0, RAM_BASE + 0x2000);
	emit(p, ADD(T0, T0, A0));
	li(p, T1, ADDI(A1, A1, 1));
	li(p, T2, JALR(0, RA, 0));
	li(p, S3, ADDI(A1, A1, 16));
	li(p, S2, 200);
	emit(p, ADDI(A1, 0, 0));
	loop = here(p);
	emit(p, SW(T1, T0, 0));
	emit(p, SW(T2, T0, 4));
	emit(p, JALR(RA, T0, 0));
	emit(p, SW(S3, T0, 0));
	emit(p, JALR(RA, T0, 0));
	emit(p, ADDI(T0, T0, 8));
	emit(p, ADDI(S2, S2, -1));
	emit(p, BNE(S2, 0, (int32_t)(loop - here(p))));
	shutdown_pass(p);
	struct machine *m = run(p, &s, NULL);
	expect_reason(m, "guest shutdown: pass");
	CHECK(m->harts[0]->x[A1] == 200 * 17 || m->harts[1]->x[A1] == 200 * 17,
	      "a1 = %llu and %llu, expected %d on the hart that finished",
	      (unsigned long long)m->harts[0]->x[A1], (unsigned long long)m->harts[1]->x[A1],
	      200 * 17);
	finish(p, m);
}

/* ---------------------------------------------------------------- driver */

typedef void (*case_fn)(unsigned arg);

/* Runs one case in a child process with a time limit; a hang or a crash is
 * that case's failure. */
static void run_case(const char *name, case_fn fn, unsigned arg, bool quiet)
{
	int status;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("test_wild_guest.c: fork");
		exit(2);
	}
	if (pid == 0) {
		if (quiet && !freopen("/dev/null", "w", stderr))
			_exit(3);
		alarm(CASE_SECONDS);
		fn(arg);
		_exit(case_checks_failed ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("test_wild_guest.c: waitpid");
		exit(2);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		passed++;
		return;
	}
	failed++;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		fprintf(stderr, "FAIL case %s(%u): no exit within %d s (host hang)\n", name, arg,
			CASE_SECONDS);
	else if (WIFSIGNALED(status))
		fprintf(stderr, "FAIL case %s(%u): host crashed with signal %d\n", name, arg,
			WTERMSIG(status));
	else
		fprintf(stderr, "FAIL case %s(%u): exit status %d\n", name, arg,
			WEXITSTATUS(status));
}

#define WRAP0(fn)                                                                                  \
	static void fn##_case(unsigned arg)                                                        \
	{                                                                                          \
		(void)arg;                                                                         \
		fn();                                                                              \
	}
WRAP0(jump_to_zero)
WRAP0(jump_to_top)
WRAP0(fall_off_ram_end)
WRAP0(start_outside_ram)
WRAP0(trap_storm_unmapped_mtvec)
WRAP0(trap_storm_reserved_mode)
WRAP0(infinite_loop)
WRAP0(infinite_trap_loop_bounded)
WRAP0(wfi_nothing_armed)
WRAP0(wfi_timer_masked_past)
WRAP0(wfi_timer_masked_future)
WRAP0(ram_edges)
WRAP0(device_dma)
WRAP0(garbage_page_tables_smode)
WRAP0(sbi_wild)
WRAP0(htif_wild)
WRAP0(self_modifying)

static void random_case_fn(unsigned arg)
{
	random_case(arg);
}

static void device_windows_fn(unsigned arg)
{
	device_windows(arg);
}

static void garbage_fn(unsigned arg)
{
	/* arg: seed in bits 31:2, root in RAM bit 0, Svtlb (mode 14) bit 1 */
	garbage_page_tables(arg >> 2, arg & 1, (arg & 2) ? 14 : 8);
}

static void make_disk(void)
{
	static uint8_t sector[512];
	int fd;
	snprintf(disk_path, sizeof(disk_path), "/tmp/vtlab-wild-disk-XXXXXX");
	fd = mkstemp(disk_path);
	if (fd < 0) {
		perror("test_wild_guest.c: mkstemp");
		exit(2);
	}
	for (unsigned i = 0; i < 128; i++) {
		memset(sector, (int)i, sizeof(sector));
		if (write(fd, sector, sizeof(sector)) != (ssize_t)sizeof(sector)) {
			perror("test_wild_guest.c: writing the disk image");
			exit(2);
		}
	}
	close(fd);
}

int main(void)
{
	unsigned random_failed_before;
	static const struct {
		const char *name;
		case_fn fn;
	} nasty[] = {
		{ "jump_to_zero", jump_to_zero_case },
		{ "jump_to_top", jump_to_top_case },
		{ "fall_off_ram_end", fall_off_ram_end_case },
		{ "start_outside_ram", start_outside_ram_case },
		{ "trap_storm_unmapped_mtvec", trap_storm_unmapped_mtvec_case },
		{ "trap_storm_reserved_mode", trap_storm_reserved_mode_case },
		{ "infinite_loop", infinite_loop_case },
		{ "infinite_trap_loop_bounded", infinite_trap_loop_bounded_case },
		{ "wfi_nothing_armed", wfi_nothing_armed_case },
		{ "wfi_timer_masked_past", wfi_timer_masked_past_case },
		{ "wfi_timer_masked_future", wfi_timer_masked_future_case },
		{ "ram_edges", ram_edges_case },
		{ "device_dma", device_dma_case },
		{ "garbage_page_tables_smode", garbage_page_tables_smode_case },
		{ "sbi_wild", sbi_wild_case },
		{ "htif_wild", htif_wild_case },
		{ "self_modifying", self_modifying_case },
	};
	make_disk();
	for (unsigned i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++)
		run_case(nasty[i].name, nasty[i].fn, 0, false);
	for (unsigned w = 0; w < sizeof(windows) / sizeof(windows[0]); w++)
		run_case(windows[w].name, device_windows_fn, w, false);
	for (unsigned g = 0; g < 8; g++)
		run_case("garbage_page_tables", garbage_fn, (g + 1) << 2 | (g & 3), false);
	/* Random streams: details of the first few failures only. */
	random_failed_before = failed;
	for (unsigned i = 0; i < RANDOM_STREAMS; i++)
		run_case("random_stream", random_case_fn, i, failed - random_failed_before >= 5);
	unlink(disk_path);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
