/*
 * test_elf.c - unit test of the ELF loader (vmm/elf_load.c).
 *
 * Builds RISC-V ELF64 images in memory with a tiny writer (struct image),
 * loads them into a 1 MiB guest RAM and checks the result: the valid case
 * (data copied, bss zeroed, entry, extent, HTIF symbols) and every invalid
 * case (truncation at every byte, bad identification, wrong machine or
 * type, segments outside RAM or the file, overflowing offsets, malformed
 * symbol tables), plus random mutations.  Every load gets a buffer of
 * exactly the image's length, so an out-of-bounds read is caught by
 * AddressSanitizer (build with -fsanitize=address,undefined).  A failed
 * load must leave guest RAM untouched.  Links with elf_doubles.c (a
 * phys_ram_ptr double) or with build/libvmm.a.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "elf_load.h"
#include "machine.h"

#define RAM_SIZE (1u << 20)
#define FILL 0xA5

/* ---- a tiny ELF writer ---- */

/* Layout: ehdr | 2 phdrs | text | data | symtab | strtab | 3 shdrs.  No
 * padding, so every byte is covered by some header: truncating the file
 * anywhere must be detected.  Offsets of every field are kept so tests can
 * corrupt them. */
enum { EHDR = 64, PHDR = 56, SHDR = 64, SYM = 24 };
enum { TEXT_LEN = 32, DATA_LEN = 16, BSS_LEN = 48, NSYMS = 4 };
static const char strtab[] = "\0tohost\0fromhost\0_start";
#define STRTAB_LEN sizeof strtab /* includes the final NUL */
#define TEXT_ADDR 0x80000000ull
#define DATA_ADDR 0x80001000ull

struct image {
	uint8_t *buf;
	size_t len;
	size_t phoff, text_off, data_off, sym_off, str_off, shoff;
};

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void w32(uint8_t *p, uint32_t v)
{
	w16(p, (uint16_t)v);
	w16(p + 2, (uint16_t)(v >> 16));
}

static void w64(uint8_t *p, uint64_t v)
{
	w32(p, (uint32_t)v);
	w32(p + 4, (uint32_t)(v >> 32));
}

static void put_phdr(uint8_t *p, uint32_t flags, uint64_t off, uint64_t addr, uint64_t filesz,
		     uint64_t memsz)
{
	w32(p, 1 /* PT_LOAD */);
	w32(p + 4, flags);
	w64(p + 8, off);
	w64(p + 16, addr);
	w64(p + 24, addr);
	w64(p + 32, filesz);
	w64(p + 40, memsz);
	w64(p + 48, 0x1000);
}

static void put_sym(uint8_t *p, uint32_t name, uint64_t value)
{
	w32(p, name);
	p[4] = 0x11;   /* STB_GLOBAL, STT_OBJECT */
	w16(p + 6, 1); /* defined in some section */
	w64(p + 8, value);
	w64(p + 16, 8);
}

static void put_shdr(uint8_t *p, uint32_t type, uint64_t off, uint64_t size, uint32_t link,
		     uint64_t entsize)
{
	w32(p + 4, type);
	w64(p + 24, off);
	w64(p + 32, size);
	w32(p + 40, link);
	w64(p + 56, entsize);
}

static void put_ehdr(struct image *im)
{
	uint8_t *p = im->buf;
	memcpy(p,
	       "\x7f"
	       "ELF",
	       4);
	p[4] = 2;         /* ELFCLASS64 */
	p[5] = 1;         /* little-endian */
	p[6] = 1;         /* EV_CURRENT */
	w16(p + 16, 2);   /* ET_EXEC */
	w16(p + 18, 243); /* EM_RISCV */
	w32(p + 20, 1);
	w64(p + 24, TEXT_ADDR + 8); /* entry */
	w64(p + 32, im->phoff);
	w64(p + 40, im->shoff);
	w16(p + 52, EHDR);
	w16(p + 54, PHDR);
	w16(p + 56, 2);
	w16(p + 58, SHDR);
	w16(p + 60, 3);
}

/* A valid image: text (RX) at TEXT_ADDR, data+bss (RW) at DATA_ADDR,
 * tohost at DATA_ADDR, fromhost at DATA_ADDR + 8. */
static struct image build(void)
{
	struct image im;
	im.phoff = EHDR;
	im.text_off = im.phoff + 2 * PHDR;
	im.data_off = im.text_off + TEXT_LEN;
	im.sym_off = im.data_off + DATA_LEN;
	im.str_off = im.sym_off + NSYMS * SYM;
	im.shoff = im.str_off + STRTAB_LEN;
	im.len = im.shoff + 3 * SHDR;
	im.buf = calloc(1, im.len);
	put_ehdr(&im);
	put_phdr(im.buf + im.phoff, 5 /* R+X */, im.text_off, TEXT_ADDR, TEXT_LEN, TEXT_LEN);
	put_phdr(im.buf + im.phoff + PHDR, 6 /* R+W */, im.data_off, DATA_ADDR, DATA_LEN,
		 DATA_LEN + BSS_LEN);
	for (unsigned i = 0; i < TEXT_LEN; i++)
		im.buf[im.text_off + i] = (uint8_t)(0x10 + i);
	for (unsigned i = 0; i < DATA_LEN; i++)
		im.buf[im.data_off + i] = (uint8_t)(0x80 + i);
	put_sym(im.buf + im.sym_off + 1 * SYM, 1, DATA_ADDR);      /* tohost */
	put_sym(im.buf + im.sym_off + 2 * SYM, 8, DATA_ADDR + 8);  /* fromhost */
	put_sym(im.buf + im.sym_off + 3 * SYM, 17, TEXT_ADDR + 8); /* _start */
	memcpy(im.buf + im.str_off, strtab, STRTAB_LEN);
	put_shdr(im.buf + im.shoff + SHDR, 2 /* SHT_SYMTAB */, im.sym_off, NSYMS * SYM, 2, SYM);
	put_shdr(im.buf + im.shoff + 2 * SHDR, 3 /* SHT_STRTAB */, im.str_off, STRTAB_LEN, 0, 0);
	return im;
}

/* ---- the machine under test ---- */

static struct machine *machine;

static void reset_ram(void)
{
	memset(machine->ram, FILL, RAM_SIZE);
}

static int ram_untouched(void)
{
	for (size_t i = 0; i < RAM_SIZE; i++)
		if (machine->ram[i] != FILL)
			return 0;
	return 1;
}

/* Loads the first len bytes of im from an exact-size copy. */
static int load_prefix(const struct image *im, size_t len, struct elf_image *out, char *err,
		       size_t errlen)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, im->buf, len);
	int r = elf_load_buffer(machine, copy, len, "test.elf", out, err, errlen);
	free(copy);
	return r;
}

/* Expects the load to fail with a message containing want, RAM untouched. */
static void expect_fail(const struct image *im, const char *want, const char *what)
{
	char err[512] = "";
	struct elf_image out;
	reset_ram();
	int r = load_prefix(im, im->len, &out, err, sizeof err);
	CHECK(r == -1, "%s: load should fail", what);
	CHECK(strncmp(err, "vtlab: test.elf: ", 17) == 0, "%s: message '%s'", what, err);
	CHECK(strstr(err, want) != NULL, "%s: message '%s' lacks '%s'", what, err, want);
	CHECK(strchr(err, '\n') == NULL, "%s: message is not one line", what);
	CHECK(ram_untouched(), "%s: RAM modified by a failed load", what);
}

/* ---- tests ---- */

static void test_valid(void)
{
	struct image im = build();
	struct elf_image out;
	char err[512] = "";
	reset_ram();
	int r = load_prefix(&im, im.len, &out, err, sizeof err);
	CHECK(r == 0, "valid image rejected: %s", err);
	CHECK(out.entry == TEXT_ADDR + 8, "entry 0x%llx", (unsigned long long)out.entry);
	CHECK(out.has_tohost, "tohost not found");
	CHECK(out.tohost == DATA_ADDR, "tohost 0x%llx", (unsigned long long)out.tohost);
	CHECK(out.fromhost == DATA_ADDR + 8, "fromhost 0x%llx", (unsigned long long)out.fromhost);
	CHECK(out.lo == TEXT_ADDR, "lo 0x%llx", (unsigned long long)out.lo);
	CHECK(out.hi == DATA_ADDR + DATA_LEN + BSS_LEN, "hi 0x%llx", (unsigned long long)out.hi);
	CHECK(memcmp(machine->ram, im.buf + im.text_off, TEXT_LEN) == 0, "text not copied");
	uint8_t *data = machine->ram + (DATA_ADDR - RAM_BASE);
	CHECK(memcmp(data, im.buf + im.data_off, DATA_LEN) == 0, "data not copied");
	int bss_zero = 1;
	for (unsigned i = 0; i < BSS_LEN; i++)
		bss_zero &= data[DATA_LEN + i] == 0;
	CHECK(bss_zero, "bss not zeroed");
	CHECK(data[DATA_LEN + BSS_LEN] == FILL, "wrote past the end of the segment");
	CHECK(machine->ram[TEXT_LEN] == FILL, "wrote past the end of text");
	free(im.buf);
}

static void test_truncations(void)
{
	struct image im = build();
	unsigned rejected = 0, untouched = 0, messages = 0;
	for (size_t len = 0; len < im.len; len++) {
		char err[512] = "";
		struct elf_image out;
		reset_ram();
		if (load_prefix(&im, len, &out, err, sizeof err) == -1)
			rejected++;
		untouched += ram_untouched();
		messages += strncmp(err, "vtlab: test.elf: ", 17) == 0;
	}
	CHECK(rejected == im.len, "%u of %zu truncations rejected", rejected, im.len);
	CHECK(untouched == im.len, "%u of %zu truncations left RAM untouched", untouched, im.len);
	CHECK(messages == im.len, "%u of %zu messages well formed", messages, im.len);

	char err[512];
	struct elf_image out;
	load_prefix(&im, 100, &out, err, sizeof err);
	CHECK(strstr(err, "truncated: program header 0 extends past end of file") &&
		      strstr(err, "file is 100 bytes"),
	      "message '%s'", err);
	load_prefix(&im, 3, &out, err, sizeof err);
	CHECK(strstr(err, "not an ELF file (bad magic)"), "message '%s'", err);
	load_prefix(&im, 40, &out, err, sizeof err);
	CHECK(strstr(err, "truncated: ELF header"), "message '%s'", err);
	load_prefix(&im, im.data_off + 4, &out, err, sizeof err);
	CHECK(strstr(err, "segment 1 data extends past end of file"), "message '%s'", err);
	load_prefix(&im, im.len - 1, &out, err, sizeof err);
	CHECK(strstr(err, "section header table extends past end of file"), "message '%s'", err);
	free(im.buf);
}

static void test_identification(void)
{
	struct image im = build();
	im.buf[1] = 'X';
	expect_fail(&im, "not an ELF file (bad magic)", "bad magic");
	im.buf[1] = 'E';
	im.buf[4] = 1;
	expect_fail(&im, "not a 64-bit ELF", "ELFCLASS32");
	im.buf[4] = 2;
	im.buf[5] = 2;
	expect_fail(&im, "not a little-endian ELF", "big-endian");
	im.buf[5] = 1;
	w16(im.buf + 18, 62);
	expect_fail(&im, "wrong machine 62", "x86-64");
	w16(im.buf + 18, 243);
	w16(im.buf + 16, 3);
	expect_fail(&im, "ET_DYN", "ET_DYN");
	w16(im.buf + 16, 1);
	expect_fail(&im, "not an executable", "ET_REL");
	w16(im.buf + 16, 2);
	w16(im.buf + 54, PHDR - 1);
	expect_fail(&im, "e_phentsize", "small e_phentsize");
	w16(im.buf + 54, PHDR);
	w16(im.buf + 56, 0);
	expect_fail(&im, "no program headers", "e_phnum 0");
	free(im.buf);
}

static void test_segments(void)
{
	struct image im = build();
	uint8_t *ph1 = im.buf + im.phoff + PHDR;

	w64(ph1 + 24, 0x70000000); /* below RAM */
	expect_fail(&im,
		    "segment 1 at 0x70000000 (size 0x40) is outside guest RAM "
		    "0x80000000-0x800fffff (link the image at or above the start of RAM)",
		    "below RAM");
	w64(ph1 + 24, RAM_BASE + RAM_SIZE - 0x20); /* crosses the end of RAM */
	expect_fail(&im,
		    "segment 1 at 0x800fffe0 (size 0x40) is outside guest RAM "
		    "0x80000000-0x800fffff (use --mem to enlarge RAM)",
		    "crossing RAM end");
	w64(ph1 + 24, UINT64_MAX - 0x10); /* wraps */
	expect_fail(&im, "wraps around", "wrapping paddr");
	w64(ph1 + 24, DATA_ADDR);

	w64(ph1 + 8, UINT64_MAX - 4); /* offset + filesz overflows */
	expect_fail(&im, "segment 1 data extends past end of file", "overflowing p_offset");
	w64(ph1 + 8, im.data_off);
	w64(ph1 + 32, UINT64_MAX); /* filesz huge (and > memsz) */
	expect_fail(&im, "exceeds memory size", "huge p_filesz");
	w64(ph1 + 32, DATA_LEN);
	w64(ph1 + 40, DATA_LEN - 1);
	expect_fail(&im, "file size 0x10 exceeds memory size 0xf", "filesz > memsz");
	w64(ph1 + 40, DATA_LEN + BSS_LEN);

	w64(im.buf + 32, UINT64_MAX - 8); /* e_phoff overflows */
	expect_fail(&im, "program header 0 extends past end of file", "overflowing e_phoff");
	w64(im.buf + 32, im.phoff);
	w16(im.buf + 56, 60000);
	expect_fail(&im, "extends past end of file", "huge e_phnum");
	w16(im.buf + 56, 2);

	w64(im.buf + 24, DATA_ADDR); /* entry in the non-executable segment */
	expect_fail(&im, "entry point 0x80001000 is not inside a loaded executable segment",
		    "entry in data");
	w64(im.buf + 24, TEXT_ADDR + TEXT_LEN); /* one past the end of text */
	expect_fail(&im, "entry point", "entry past text");
	w64(im.buf + 24, TEXT_ADDR + 8);

	w32(im.buf + im.phoff, 4); /* PT_NOTE: */
	w32(ph1, 4);
	expect_fail(&im, "no loadable segment", "no PT_LOAD");
	free(im.buf);
}

static void test_symbols(void)
{
	struct image im = build();
	uint8_t *sh1 = im.buf + im.shoff + SHDR, *sh2 = im.buf + im.shoff + 2 * SHDR;
	uint8_t *sym1 = im.buf + im.sym_off + SYM;

	w32(sh1 + 40, 7); /* sh_link out of range */
	expect_fail(&im, "string table index 7 out of range", "bad sh_link");
	w32(sh1 + 40, 1); /* links to itself: not a string table */
	expect_fail(&im, "is not a string table", "sh_link to symtab");
	w32(sh1 + 40, 2);

	w64(sh1 + 24, UINT64_MAX - 8); /* symtab offset overflows */
	expect_fail(&im, ".symtab", "overflowing symtab offset");
	w64(sh1 + 24, im.sym_off);
	w64(sh1 + 56, 8); /* entsize too small */
	expect_fail(&im, "bad entry size", "small symbol entsize");
	w64(sh1 + 56, SYM);
	w64(sh2 + 32, im.len); /* string table past end of file */
	expect_fail(&im, "string table) extends past end of file", "big strtab");
	w64(sh2 + 32, STRTAB_LEN);

	w32(sym1, STRTAB_LEN); /* name offset == table size */
	expect_fail(&im, "symbol 1: name offset", "st_name out of table");
	w32(sym1, 1);
	im.buf[im.str_off + STRTAB_LEN - 1] = 'x'; /* "_start" not terminated */
	expect_fail(&im, "symbol 3: name offset 17", "unterminated name");
	im.buf[im.str_off + STRTAB_LEN - 1] = '\0';

	w64(sym1 + 8, 0x1000); /* tohost outside RAM */
	expect_fail(&im, "symbol 'tohost' at 0x1000 is outside guest RAM", "tohost outside RAM");
	w64(sym1 + 8, RAM_BASE + RAM_SIZE - 4); /* word crosses the end of RAM */
	expect_fail(&im, "symbol 'tohost'", "tohost crossing RAM end");
	w64(sym1 + 8, DATA_ADDR);

	/* No section headers at all: loads, without HTIF. */
	struct elf_image out;
	char err[512] = "";
	w16(im.buf + 60, 0);
	int r = load_prefix(&im, im.len, &out, err, sizeof err);
	CHECK(r == 0 && !out.has_tohost, "no sections: r=%d has_tohost=%d %s", r, out.has_tohost,
	      err);
	w16(im.buf + 60, 3);
	/* A symbol table without tohost: loads, without HTIF. */
	im.buf[im.str_off + 1] = 'T';
	r = load_prefix(&im, im.len, &out, err, sizeof err);
	CHECK(r == 0 && !out.has_tohost, "no tohost: r=%d has_tohost=%d %s", r, out.has_tohost,
	      err);
	free(im.buf);
}

/* Random byte mutations: the loader must either succeed or give a
 * well-formed message, never read out of bounds (ASan) or crash. */
static void test_mutations(void)
{
	struct image im = build();
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0, bad_msg = 0, rounds = 20000;
	for (unsigned i = 0; i < rounds; i++) {
		struct image m = im;
		m.buf = malloc(im.len);
		memcpy(m.buf, im.buf, im.len);
		unsigned nflips = 1 + i % 4;
		for (unsigned k = 0; k < nflips; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t pos = (size_t)(seed >> 33) % im.len;
			m.buf[pos] = (uint8_t)(seed >> 13);
		}
		char err[512] = "";
		struct elf_image out;
		if (load_prefix(&m, m.len, &out, err, sizeof err) == 0)
			ok++;
		else if (strncmp(err, "vtlab: test.elf: ", 17) != 0)
			bad_msg++;
		free(m.buf);
	}
	CHECK(bad_msg == 0, "%u malformed messages", bad_msg);
	CHECK(ok < rounds, "every mutation loaded (%u)", ok);
	free(im.buf);
}

static void test_file(void)
{
	char err[512] = "";
	struct elf_image out;
	int r = elf_load(machine, "/nonexistent/dir/foo.elf", &out, err, sizeof err);
	CHECK(r == -1 && strcmp(err, "vtlab: /nonexistent/dir/foo.elf: cannot open: No such file "
				     "or directory") == 0,
	      "message '%s'", err);

	char path[] = "/tmp/test_elf_XXXXXX";
	int fd = mkstemp(path);
	struct image im = build();
	CHECK(fd >= 0 && write(fd, im.buf, im.len) == (ssize_t)im.len, "cannot write %s", path);
	close(fd);
	reset_ram();
	r = elf_load(machine, path, &out, err, sizeof err);
	CHECK(r == 0 && out.entry == TEXT_ADDR + 8 && out.has_tohost, "file load: %s", err);
	CHECK(memcmp(machine->ram, im.buf + im.text_off, TEXT_LEN) == 0, "text not copied");
	unlink(path);

	r = elf_load(machine, "/tmp", &out, err, sizeof err);
	CHECK(r == -1 && strstr(err, "not a regular file"), "message '%s'", err);
	free(im.buf);
}

int main(void)
{
	machine = calloc(1, sizeof *machine);
	machine->cfg.ram_size = RAM_SIZE;
	machine->ram_pages = RAM_SIZE / 4096;
	machine->ram = malloc(RAM_SIZE);

	test_valid();
	test_truncations();
	test_identification();
	test_segments();
	test_symbols();
	test_mutations();
	test_file();

	free(machine->ram);
	free(machine);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
