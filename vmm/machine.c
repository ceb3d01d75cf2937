/*
 * machine.c - building a machine and running it (see machine.h).
 *
 * Scheduling: harts run in hart order, each for a slice of at most
 * cfg.slice instructions (or a length drawn from cfg.sched_seed), cut short
 * at its next timer deadline, so the interleaving depends only on
 * instruction counts and the seed: runs are deterministic.
 * Time is per hart (its modeled cycles); a hart waiting in wfi has its
 * clock carried along with the running harts, and when every hart waits,
 * time jumps to the earliest timer deadline.
 */
#include "machine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "code_cache.h"
#include "csr.h"
#include "devices.h"
#include "elf_load.h"
#include "exec.h"
#include "hart_new.h"
#include "hv.h"
#include "mmu.h"
#include "trace.h"

#define NO_DEADLINE (~0ull)

void machine_config_defaults(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = 256ull << 20;
	cfg->nharts = 1;
	/* ITLB 32 entries fully associative, DTLB 64 entries 4-way: the size
	 * class of the SiFive U74 L1 TLBs (manual 21G1, 3.1-3.2). */
	cfg->itlb_entries = 32;
	cfg->itlb_ways = 32;
	cfg->dtlb_entries = 64;
	cfg->dtlb_ways = 4;
	cfg->slice = 10000;
	cfg->svtlb = true;
	cost_defaults(&cfg->cost);
	cfg->console = stdout;
}

static int check_config(const struct machine_config *c, char *err, size_t n)
{
	if (c->nharts < 1 || c->nharts > MAX_HARTS)
		snprintf(err, n, "vtlab: harts: expected 1 to %d, got %u", MAX_HARTS, c->nharts);
	else if (c->ram_size < (64u << 10) || (c->ram_size & 0xfff) || c->ram_size > (64ull << 30))
		snprintf(err, n,
			 "vtlab: memory size: expected a multiple of 4 KiB from 64K to 64G");
	else if (c->slice == 0)
		snprintf(err, n, "vtlab: slice: expected a positive number of instructions");
	else
		return 0;
	return -1;
}

static int attach_devices(struct machine *m, char *err, size_t n)
{
	if (clint_attach(m, err, n) || plic_attach(m, err, n) || uart_attach(m, err, n) ||
	    syscon_attach(m, err, n) || blk_attach(m, m->cfg.disk, err, n) ||
	    pvblk_attach(m, err, n) || lab_attach(m, err, n))
		return -1;
	return 0;
}

/* S-mode boot under the built-in firmware: what OpenSBI would have done. */
void machine_boot_supervisor(struct hart *h)
{
	h->priv = PRV_S;
	h->x[10] = h->id; /* a0 = hartid, a1 = device tree (none) */
	h->x[11] = 0;
	h->medeleg = 0xb1ffull | SVTLB_CAUSES; /* all but ecall from S/M */
	h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
	h->mie = MIP_SSIP | MIP_STIP | MIP_SEIP;
	h->mcounteren = 7;
	/* PMP entry 0: all of memory, RWX, as OpenSBI leaves it for S-mode. */
	h->pmpaddr[0] = (1ull << 54) - 1;
	h->pmpcfg[0] = 0x1f;
	hart_update_ctx(h);
}

static int load_kernel(struct machine *m, char *err, size_t n)
{
	struct elf_image img;
	if (elf_load(m, m->cfg.kernel, &img, err, n))
		return -1;
	bool mboot = m->cfg.boot == BOOT_M || (m->cfg.boot == BOOT_AUTO && img.has_tohost);
	m->htif = img.has_tohost;
	m->tohost = img.tohost;
	m->fromhost = img.fromhost;
	if (m->htif)
		machine_watch_page(m, m->tohost, true);
	m->firmware = !mboot;
	for (unsigned i = 0; i < m->nharts; i++) {
		hart_reset(m->harts[i], img.entry);
		if (!mboot)
			machine_boot_supervisor(m->harts[i]);
	}
	return 0;
}

struct machine *machine_new(const struct machine_config *cfg, char *err, size_t errlen)
{
	struct machine *m;
	if (check_config(cfg, err, errlen))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto oom;
	m->cfg = *cfg;
	m->sched_rng = cfg->sched_seed;
	m->ram_pages = cfg->ram_size >> 12;
	m->ram = mmap(NULL, cfg->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		goto oom;
	}
	m->page_flags = calloc(m->ram_pages, 1);
	m->code = calloc(m->ram_pages, sizeof(*m->code));
	if (!m->page_flags || !m->code)
		goto oom;
	exec_init();
	for (unsigned i = 0; i < MAX_HARTS; i++)
		m->mtimecmp[i] = NO_DEADLINE;
	for (m->nharts = 0; m->nharts < cfg->nharts; m->nharts++)
		if (!(m->harts[m->nharts] = hart_new(m, m->nharts))) {
			snprintf(err, errlen,
				 "vtlab: cannot create hart %u: TLB geometry invalid "
				 "(entries must be ways x a power of two) or out of memory",
				 m->nharts);
			goto fail;
		}
	if (attach_devices(m, err, errlen) || (cfg->kernel && load_kernel(m, err, errlen)))
		goto fail;
	return m;
oom:
	snprintf(err, errlen, "vtlab: out of memory creating a machine with %llu MiB of RAM",
		 (unsigned long long)(cfg->ram_size >> 20));
fail:
	machine_free(m);
	return NULL;
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	hv_free(m); /* before the harts: the vCPUs point at them */
	devices_free(m);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_free(m->harts[i]);
	code_cache_free(m);
	free(m->page_flags);
	if (m->ram)
		munmap(m->ram, m->cfg.ram_size);
	free(m);
}

void machine_halt(struct machine *m, int code, const char *fmt, ...)
{
	va_list ap;
	if (m->done)
		return;
	m->done = true;
	m->exit_code = code;
	va_start(ap, fmt);
	vsnprintf(m->exit_reason, sizeof(m->exit_reason), fmt, ap);
	va_end(ap);
	for (unsigned i = 0; i < m->nharts; i++)
		m->harts[i]->stop_at = 0;
}

void machine_set_tracer(struct machine *m, struct tracer *t, uint32_t mask)
{
	m->tracer = t;
	for (unsigned i = 0; i < m->nharts; i++) {
		m->harts[i]->tracer = t;
		m->harts[i]->trace_mask = t ? mask : 0;
	}
}

uint64_t machine_mtime(struct machine *m, struct hart *h)
{
	if (!h)
		h = m->harts[0];
	return h->cycles / (m->cfg.cost.ticks_div ? m->cfg.cost.ticks_div : 1);
}

void machine_watch_page(struct machine *m, uint64_t paddr, bool on)
{
	uint64_t pg;
	if (paddr < RAM_BASE || paddr - RAM_BASE >= m->cfg.ram_size)
		return;
	pg = (paddr - RAM_BASE) >> 12;
	if (on)
		m->page_flags[pg] |= PG_WATCH;
	else
		m->page_flags[pg] &= (uint8_t)~PG_WATCH;
	for (unsigned i = 0; i < m->nharts; i++)
		mmu_hc_drop_phys_write(m->harts[i], paddr);
}

/* Modeled cycle at which hart i's timer fires, or NO_DEADLINE. */
static uint64_t deadline(const struct machine *m, unsigned i)
{
	uint64_t div = m->cfg.cost.ticks_div ? m->cfg.cost.ticks_div : 1;
	if (m->mtimecmp[i] == NO_DEADLINE || m->mtimecmp[i] > NO_DEADLINE / div)
		return NO_DEADLINE;
	return m->mtimecmp[i] * div;
}

/* Level of the timer line: MTIP, or STIP under the built-in firmware
 * (which forwards the timer to S-mode as OpenSBI does; SBI set_timer
 * clears it). */
static void update_timer(struct machine *m, struct hart *h)
{
	bool due = h->cycles >= deadline(m, h->id);
	if (m->firmware) {
		if (due)
			hart_set_mip(h, MIP_STIP, true);
	} else {
		hart_set_mip(h, MIP_MTIP, due);
	}
}

/* Before h runs its slice, the pages where other harts hold LR
 * reservations get PG_RESV, so h's stores there take the slow path and
 * end those reservations (bus.c).  Only h runs next, so only its fast
 * path needs the pages dropped. */
static void mark_reservations(struct machine *m, struct hart *h)
{
	for (unsigned i = 0; i < m->nresv_pages; i++)
		m->page_flags[m->resv_pages[i]] &= (uint8_t)~PG_RESV;
	m->nresv_pages = 0;
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *o = m->harts[i];
		uint64_t pg;
		if (o == h || !o->resv_valid)
			continue;
		pg = (o->resv_paddr - RAM_BASE) >> 12;
		if (!(m->page_flags[pg] & PG_RESV)) {
			m->page_flags[pg] |= PG_RESV;
			m->resv_pages[m->nresv_pages++] = pg;
			mmu_hc_drop_phys_write(h, o->resv_paddr);
		}
	}
}

/* The next slice's length: cfg.slice, or with a seed a length uniform in
 * [slice/2 + 1, slice/2 + slice] (mean about slice): another interleaving
 * of the harts, as reproducible as the fixed one, for repeating a run whose
 * result depends on the schedule.  The lengths come from SplitMix64
 * (Steele, Lea and Flood, OOPSLA 2014), a generator with a one-word state
 * whose every seed gives a full-period stream. */
static uint64_t slice_length(struct machine *m)
{
	if (!m->cfg.sched_seed)
		return m->cfg.slice;
	uint64_t z = (m->sched_rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return m->cfg.slice / 2 + 1 + z % m->cfg.slice;
}

static void run_hart(struct machine *m, struct hart *h)
{
	uint64_t len = slice_length(m), end = h->instret + len, d = deadline(m, h->id);
	uint64_t cpi = m->cfg.cost.cpi_base ? m->cfg.cost.cpi_base : 1;
	if (d != NO_DEADLINE && d > h->cycles && (d - h->cycles) / cpi + 1 < len)
		end = h->instret + (d - h->cycles) / cpi + 1;
	if (m->nharts > 1) {
		h->st.ev[EV_HART_SWITCH]++;
		mark_reservations(m, h);
	}
	exec_run(h, end);
}

/* Every hart waits: jump time to the earliest timer deadline still ahead,
 * or end the run (a timer that already fired but is masked in mie cannot
 * wake anyone either). */
static void all_idle(struct machine *m)
{
	uint64_t t = NO_DEADLINE;
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		if (!h->halted && deadline(m, i) > h->cycles && deadline(m, i) < t)
			t = deadline(m, i);
	}
	if (t == NO_DEADLINE) {
		machine_halt(m, 3,
			     "all harts wait for an interrupt (wfi) that cannot come: no "
			     "timer is armed ahead and no pending interrupt is enabled in mie");
		return;
	}
	for (unsigned i = 0; i < m->nharts; i++)
		if (m->harts[i]->wfi && m->harts[i]->cycles < t)
			m->harts[i]->cycles = t;
}

static uint64_t total_instret(const struct machine *m)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		n += m->harts[i]->instret;
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Host-side limits: instruction count and wall time (checked every 256
 * scheduler rounds, so the clock costs nothing measurable). */
static void check_limits(struct machine *m, uint64_t round, uint64_t start_ns)
{
	if (m->cfg.max_insns && total_instret(m) >= m->cfg.max_insns)
		machine_halt(m, 3, "instruction limit reached (%llu instructions, --max-insns)",
			     (unsigned long long)m->cfg.max_insns);
	if ((round & 255) != 0)
		return;
	if (m->cfg.max_wall_ns && now_ns() - start_ns >= m->cfg.max_wall_ns)
		machine_halt(m, 3,
			     "wall-clock limit reached (%.1f s, --max-seconds): the guest "
			     "did not finish",
			     (double)m->cfg.max_wall_ns / 1e9);
	char why[160];
	if (m->watchdog && m->watchdog(m->watchdog_ctx, why, sizeof why))
		machine_halt(m, 3, "%s", why);
}

int machine_run(struct machine *m)
{
	uint64_t start_ns = now_ns();
	for (uint64_t round = 1; !m->done; round++) {
		bool ran = false;
		uint64_t now = 0;
		for (unsigned i = 0; i < m->nharts && !m->done; i++) {
			struct hart *h = m->harts[i];
			if (h->halted)
				continue;
			update_timer(m, h);
			if (h->wfi && !(h->mip & h->mie))
				continue;
			h->wfi = false;
			run_hart(m, h);
			ran = true;
			if (h->cycles > now)
				now = h->cycles;
		}
		for (unsigned i = 0; i < m->nharts; i++) /* idle clocks follow */
			if (m->harts[i]->wfi && m->harts[i]->cycles < now)
				m->harts[i]->cycles = now < deadline(m, i) ? now : deadline(m, i);
		if (!ran && !m->done)
			all_idle(m);
		if (m->tracer && m->tracer->failed)
			machine_halt(m, 3,
				     "the trace collector is gone: run ended (lossless tracing "
				     "cannot continue)");
		check_limits(m, round, start_ns);
	}
	return m->exit_code;
}
