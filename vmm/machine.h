/*
 * machine.h - a whole guest machine: configuration, RAM, harts, devices and
 * the deterministic scheduler.
 *
 * Contract: one thread runs a machine.  machine_run() interleaves harts in
 * slices of instructions, always in hart order, so the same input (and
 * cfg.sched_seed) gives the same instruction counts and the same output.
 * A machine never lets guest behaviour crash the host: every
 * guest-controlled address is checked (bus.h), and the run ends with an
 * exit code and a reason.
 */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "cost.h"
#include "hart.h"

#define MAX_HARTS 8
#define MAX_DEVICES 16

struct hv;

enum boot_mode { BOOT_AUTO = 0, BOOT_M, BOOT_S };

struct machine_config {
	uint64_t ram_size;   /* bytes, at RAM_BASE */
	unsigned nharts;     /* 1..MAX_HARTS */
	const char *kernel;  /* ELF path */
	const char *disk;    /* disk image path or NULL */
	bool disk_snapshot;  /* guest writes stay in memory: the image file is not changed */
	enum boot_mode boot; /* AUTO: M-mode if the ELF has tohost, else S-mode with SBI firmware */
	unsigned itlb_entries, itlb_ways, dtlb_entries, dtlb_ways;
	uint64_t slice;       /* scheduler slice, instructions per hart */
	uint64_t sched_seed;  /* 0: fixed slices; else lengths drawn from it (machine.c) */
	uint64_t max_insns;   /* 0 = unlimited; stop with an error beyond */
	uint64_t max_wall_ns; /* 0 = unlimited; stop with an error after this wall time */
	bool svtlb;           /* satp.MODE=14 accepted */
	struct cost_table cost;
	FILE *console;    /* where the UART and SBI console write */
	const char *args; /* argument string for the guest (lab device ARGS), or NULL */
};

/* Code pages and watched pages: per 4 KiB page of RAM. */
/* PG_RESV: another hart holds an LR reservation in the page (machine.c). */
enum page_flag { PG_CODE = 1, PG_WATCH = 2, PG_RESV = 4 };

struct machine {
	struct machine_config cfg;
	uint8_t *ram;
	uint64_t ram_pages;
	uint8_t *page_flags;     /* ram_pages entries */
	struct code_page **code; /* ram_pages entries, lazily allocated */

	struct hart *harts[MAX_HARTS];
	unsigned nharts;

	struct device dev[MAX_DEVICES];
	unsigned ndev;

	/* CLINT state, also driven by the SBI firmware */
	uint64_t mtimecmp[MAX_HARTS];
	bool firmware; /* built-in SBI firmware active (S-mode boot) */

	/* HTIF tohost/fromhost (riscv-tests), when the ELF defines them */
	bool htif;
	uint64_t tohost, fromhost;

	uint64_t sched_rng; /* the slice generator's state (cfg.sched_seed) */

	uint64_t resv_pages[MAX_HARTS]; /* pages currently marked PG_RESV */
	unsigned nresv_pages;

	struct hv *hv; /* the hypervisor when the guest runs virtualized (vmm/hv.h), else NULL */

	struct tracer *tracer;    /* NULL when tracing is off */
	uint64_t guest_ram_limit; /* bytes of RAM the guest owns (0: all; a VMM lies above) */
	/* Called every few hundred scheduler rounds when set: nonzero ends the
	 * run with the error it wrote into the buffer (e.g. the collector that
	 * stores the run died). */
	int (*watchdog)(void *ctx, char *why, size_t len);
	void *watchdog_ctx;

	struct plic *plic;
	struct uart *uart;
	struct blk *blk;
	struct pvblk *pvblk;
	struct lab *lab;

	bool console_mid_line; /* the guest's last console byte was not '\n' */

	/* Exit */
	bool done;
	int exit_code;
	char exit_reason[160];
	uint64_t wall_ns;
};

/* Creates the machine (RAM, harts, devices) and loads cfg->kernel.
 * Returns NULL with a one-line message in err on failure. */
struct machine *machine_new(const struct machine_config *cfg, char *err, size_t errlen);
void machine_free(struct machine *m);
void machine_config_defaults(struct machine_config *cfg);
/* Runs until the guest exits, a hart faults fatally or max_insns; returns the
 * exit code (0 success). */
int machine_run(struct machine *m);
/* Ends the run (called by devices, HTIF, SBI shutdown, fatal errors). */
void machine_halt(struct machine *m, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts a hart where the built-in firmware hands over to an S-mode kernel
 * (docs/platform.md, "Boot conventions"): S-mode, a0 = hart id,
 * delegations, PMP open.  Used by machine_new() for S-mode boots. */
void machine_boot_supervisor(struct hart *h);
/* Attaches a tracer (or NULL) with the categories in mask to every hart.
 * The run ends with an error if the tracer fails (its collector died). */
void machine_set_tracer(struct machine *m, struct tracer *t, uint32_t mask);
/* Modeled mtime of a hart (its cycles / cost.ticks_div). */
uint64_t machine_mtime(struct machine *m, struct hart *h);
/* Marks/unmarks a RAM page so stores to it take the slow path (PG_WATCH),
 * dropping fast-path write entries of every hart. */
void machine_watch_page(struct machine *m, uint64_t paddr, bool on);

#endif
