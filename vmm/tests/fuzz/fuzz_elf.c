/*
 * fuzz_elf.c - libFuzzer target: elf_load_buffer() on arbitrary bytes.
 *
 * Contract checked (elf_load.h): the loader never reads outside the input
 * or writes outside guest RAM (ASan; guest RAM is an mmap that ASan does not
 * track, so it is fenced with PROT_NONE guard pages when the host pages
 * around it are free); on failure it returns -1 with one line
 * "vtlab: NAME: ..." in err and guest RAM is unchanged (pass 1 validates,
 * pass 2 copies); on success the image extent lies in RAM, the entry point
 * inside it and the HTIF words, if any, in RAM.  An image that loads is then
 * run for a few thousand instructions, booted the way machine.c boots a
 * kernel, and must end with an exit reason like any guest (fuzz_exec.c).
 *
 * Build and run: scripts/fuzz.sh elf.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bus.h"
#include "elf_load.h"
#include "hart.h"
#include "hart_new.h"
#include "machine.h"

#define FUZZ_RAM (256ull << 10)
#define HOST_PAGE 4096ull
#define RUN_INSNS 5000
#define NAME "fuzz.elf"

static struct machine *loader; /* reused: loading touches RAM only */
static uint8_t *snapshot;      /* RAM as it was before the current input */
static FILE *null_console;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_elf.c: %s%s\n", what, detail);
	abort();
}

static struct machine *new_machine(void)
{
	struct machine_config cfg;
	char err[256];
	struct machine *m;
	machine_config_defaults(&cfg);
	cfg.ram_size = FUZZ_RAM;
	cfg.max_insns = RUN_INSNS;
	cfg.max_wall_ns = 2000000000ull; /* safety net; reaching it is a failure */
	cfg.slice = 100;
	cfg.console = null_console;
	m = machine_new(&cfg, err, sizeof(err));
	if (!m)
		die("machine_new: ", err);
	return m;
}

/* Maps a PROT_NONE page at addr if nothing is there (never freed: the
 * loader machine lives as long as the process). */
static void guard_at(uint8_t *addr)
{
	void *p = mmap(addr, HOST_PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED && p != addr)
		munmap(p, HOST_PAGE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	null_console = fopen("/dev/null", "w");
	if (!null_console)
		die("cannot open /dev/null", "");
	loader = new_machine();
	guard_at(loader->ram - HOST_PAGE);
	guard_at(loader->ram + FUZZ_RAM);
	snapshot = malloc(FUZZ_RAM);
	if (!snapshot)
		die("out of memory", "");
	memcpy(snapshot, loader->ram, FUZZ_RAM);
	return 0;
}

static void check_failure(const char *err)
{
	static const char prefix[] = "vtlab: " NAME ": ";
	if (strncmp(err, prefix, sizeof(prefix) - 1) != 0 || !err[sizeof(prefix) - 1])
		die("error message does not start with 'vtlab: " NAME ": ' and a reason: ", err);
	if (strchr(err, '\n'))
		die("error message is not one line: ", err);
	if (memcmp(snapshot, loader->ram, FUZZ_RAM) != 0)
		die("a rejected ELF changed guest RAM: ", err);
}

static void check_image(const struct elf_image *img)
{
	uint64_t end = RAM_BASE + FUZZ_RAM;
	if (img->lo < RAM_BASE || img->hi > end || img->lo >= img->hi)
		die("loaded extent outside RAM or empty", "");
	/* The entry is mapped through a loaded executable segment. */
	if (img->entry < img->lo || img->entry >= img->hi)
		die("entry point outside the loaded extent", "");
	if (img->has_tohost && !phys_ram_ptr(loader, img->tohost, 8))
		die("tohost outside RAM", "");
}

/* Boots the image in a fresh machine as machine.c's load_kernel() does for
 * an M-mode (HTIF) kernel, and runs it briefly. */
static void run_image(const uint8_t *data, size_t size)
{
	struct machine *m = new_machine();
	struct elf_image img;
	char err[256];
	if (elf_load_buffer(m, data, size, NAME, &img, err, sizeof(err)))
		die("loads once, fails the second time: ", err);
	m->htif = img.has_tohost;
	m->tohost = img.tohost;
	m->fromhost = img.fromhost;
	if (m->htif)
		machine_watch_page(m, m->tohost, true);
	hart_reset(m->harts[0], img.entry);
	machine_run(m);
	if (!m->done || !m->exit_reason[0])
		die("the loaded image's run ended without an exit reason", "");
	if (strstr(m->exit_reason, "wall-clock"))
		die("the loaded image's run spun until the wall-clock limit: ", m->exit_reason);
	machine_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char err[256] = "";
	memset(&img, 0x5a, sizeof(img));
	if (elf_load_buffer(loader, data, size, NAME, &img, err, sizeof(err)) != 0) {
		check_failure(err);
		return 0;
	}
	check_image(&img);
	memcpy(snapshot, loader->ram, FUZZ_RAM);
	run_image(data, size);
	return 0;
}
