/*
 * elf_load.c - loads a RISC-V ELF64 executable into guest RAM (elf_load.h).
 *
 * Contract: the file is untrusted input.  Every field is validated before
 * it is used, and every read of the buffer goes through the bounds-checked
 * readers below, so no input (truncated, hostile, fuzzed) can make the
 * loader read outside [buf, buf+len) or write outside guest RAM (guest RAM
 * is only reached through phys_ram_ptr(), bus.h).  Loading has two passes:
 * the first validates every program header, the second copies, so an
 * invalid file leaves RAM untouched.
 *
 * Format reference: System V ABI, "ELF-64 Object File Format" 1.5 and the
 * RISC-V ELF psABI (EM_RISCV = 243).  Physical load addresses are p_paddr
 * (the machine boots with translation off); the entry point, a virtual
 * address, is mapped to its physical address through the executable
 * segment that contains it.
 */
#include "elf_load.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bus.h"
#include "le_bytes.h"
#include "machine.h"

/* ELF constants (gABI). */
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_RISCV 243
#define PT_LOAD 1
#define PF_X 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHN_UNDEF 0

/* Sizes of the on-disk structures (ELF-64 format, section 3). */
#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64
#define SYM_SIZE 24

/* Largest file elf_load() reads; guest RAM is at most 16 GiB. */
#define ELF_MAX_FILE (16ull << 30)

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

/* The input and where messages go. */
struct elf_ctx {
	struct machine *m;
	const uint8_t *buf;
	size_t len;
	const char *name;
	char *err;
	size_t errlen;
};

static int fail(struct elf_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct elf_ctx *c, const char *fmt, ...)
{
	if (!c->err || c->errlen == 0)
		return -1;
	int n = snprintf(c->err, c->errlen, "vtlab: %s: ", c->name);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* True when [off, off+size) lies within the buffer (overflow-safe). */
static int in_file(const struct elf_ctx *c, uint64_t off, uint64_t size)
{
	return off <= c->len && size <= c->len - off;
}
/* The le*_load reads below are of ranges in_file() has checked. */

static uint64_t ram_end(const struct machine *m)
{
	return RAM_BASE + m->cfg.ram_size - 1;
}

/* Header checks, in the order a reader would want to hear about them. */
static int check_ident(struct elf_ctx *c)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	if (c->len < 4 || memcmp(c->buf, magic, 4) != 0)
		return fail(c, "not an ELF file (bad magic)");
	if (c->len < EHDR_SIZE)
		return fail(c, "truncated: ELF header needs %d bytes, file is %zu bytes", EHDR_SIZE,
			    c->len);
	if (c->buf[4] != ELFCLASS64)
		return fail(c, "not a 64-bit ELF file (EI_CLASS %u, expected 2 = ELFCLASS64)",
			    c->buf[4]);
	if (c->buf[5] != ELFDATA2LSB)
		return fail(c,
			    "not a little-endian ELF file (EI_DATA %u, expected 1 = ELFDATA2LSB)",
			    c->buf[5]);
	if (c->buf[6] != EV_CURRENT)
		return fail(c, "unsupported ELF version %u (expected 1)", c->buf[6]);
	return 0;
}

static int check_type(struct elf_ctx *c)
{
	unsigned type = le16_load(c->buf + 16), machine = le16_load(c->buf + 18);
	if (machine != EM_RISCV)
		return fail(c, "wrong machine %u in e_machine (expected 243 = RISC-V)", machine);
	if (type == ET_DYN)
		return fail(c, "position-independent executable (ET_DYN) not supported: "
			       "link a static executable at a fixed address (-static -no-pie)");
	if (type != ET_EXEC)
		return fail(c, "not an executable (e_type %u, expected 2 = ET_EXEC)", type);
	if (le32_load(c->buf + 20) != EV_CURRENT)
		return fail(c, "unsupported ELF version %" PRIu32 " in e_version (expected 1)",
			    le32_load(c->buf + 20));
	return 0;
}

static void read_phdr(const uint8_t *p, struct phdr *ph)
{
	ph->type = le32_load(p);
	ph->flags = le32_load(p + 4);
	ph->offset = le64_load(p + 8);
	ph->vaddr = le64_load(p + 16);
	ph->paddr = le64_load(p + 24);
	ph->filesz = le64_load(p + 32);
	ph->memsz = le64_load(p + 40);
}

/* Locates program header i after checking it lies in the file. */
static int get_phdr(struct elf_ctx *c, unsigned i, struct phdr *ph)
{
	uint64_t phoff = le64_load(c->buf + 32);
	unsigned entsize = le16_load(c->buf + 54);
	/* i < 65536 and entsize < 65536: the product cannot overflow. */
	uint64_t rel = (uint64_t)i * entsize;
	if (phoff > UINT64_MAX - rel || !in_file(c, phoff + rel, PHDR_SIZE))
		return fail(c,
			    "truncated: program header %u extends past end of file "
			    "(offset 0x%" PRIx64 " size 0x%x, file is %zu bytes)",
			    i, phoff + rel, PHDR_SIZE, c->len);
	read_phdr(c->buf + phoff + rel, ph);
	return 0;
}

/* Validates one PT_LOAD segment: file range, sizes, RAM range. */
static int check_segment(struct elf_ctx *c, unsigned i, const struct phdr *ph)
{
	if (!in_file(c, ph->offset, ph->filesz))
		return fail(c,
			    "truncated: segment %u data extends past end of file "
			    "(offset 0x%" PRIx64 " size 0x%" PRIx64 ", file is %zu bytes)",
			    i, ph->offset, ph->filesz, c->len);
	if (ph->paddr > UINT64_MAX - ph->memsz || ph->vaddr > UINT64_MAX - ph->memsz)
		return fail(c,
			    "segment %u at 0x%" PRIx64 " (size 0x%" PRIx64 ") wraps around "
			    "the address space",
			    i, ph->paddr, ph->memsz);
	if (!phys_ram_ptr(c->m, ph->paddr, ph->memsz))
		return fail(c,
			    "segment %u at 0x%" PRIx64 " (size 0x%" PRIx64 ") is outside guest "
			    "RAM 0x%llx-0x%" PRIx64 " (%s)",
			    i, ph->paddr, ph->memsz, RAM_BASE, ram_end(c->m),
			    ph->paddr < RAM_BASE ? "link the image at or above the start of RAM"
						 : "use --mem to enlarge RAM");
	return 0;
}

/* If entry lies in executable segment ph, stores its physical address. */
static int entry_in(const struct phdr *ph, uint64_t entry, uint64_t *phys)
{
	if (!(ph->flags & PF_X) || entry < ph->vaddr || entry - ph->vaddr >= ph->memsz)
		return 0;
	*phys = ph->paddr + (entry - ph->vaddr);
	return 1;
}

/* Pass 1: validates every program header and computes the image extent
 * and entry point.  Nothing is written. */
static int check_segments(struct elf_ctx *c, struct elf_image *img)
{
	unsigned phnum = le16_load(c->buf + 56), entsize = le16_load(c->buf + 54);
	uint64_t entry = le64_load(c->buf + 24);
	unsigned loads = 0;
	int entry_ok = 0;

	if (phnum == 0)
		return fail(c, "no program headers (e_phnum is 0): not a loadable executable");
	if (entsize < PHDR_SIZE)
		return fail(c, "e_phentsize %u is smaller than a program header (%d bytes)",
			    entsize, PHDR_SIZE);
	img->lo = UINT64_MAX;
	img->hi = 0;
	for (unsigned i = 0; i < phnum; i++) {
		/* zeroed for gcc 12, which cannot see get_phdr fills it or fails */
		struct phdr ph = { 0 };
		if (get_phdr(c, i, &ph))
			return -1;
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz)
			return fail(c,
				    "segment %u: file size 0x%" PRIx64
				    " exceeds memory size 0x%" PRIx64,
				    i, ph.filesz, ph.memsz);
		if (ph.memsz == 0)
			continue;
		if (check_segment(c, i, &ph))
			return -1;
		loads++;
		if (ph.paddr < img->lo)
			img->lo = ph.paddr;
		if (ph.paddr + ph.memsz > img->hi)
			img->hi = ph.paddr + ph.memsz;
		if (!entry_ok)
			entry_ok = entry_in(&ph, entry, &img->entry);
	}
	if (loads == 0)
		return fail(c, "no loadable segment (PT_LOAD with non-zero size)");
	if (!entry_ok)
		return fail(c,
			    "entry point 0x%" PRIx64 " is not inside a loaded executable segment",
			    entry);
	return 0;
}

/* Pass 2: copies file data and zeroes the rest of each segment (.bss). */
static void load_segments(struct elf_ctx *c)
{
	unsigned phnum = le16_load(c->buf + 56);
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr ph = { 0 };
		read_phdr(c->buf + le64_load(c->buf + 32) + (uint64_t)i * le16_load(c->buf + 54),
			  &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		uint8_t *dst = phys_ram_ptr(c->m, ph.paddr, ph.memsz);
		memcpy(dst, c->buf + ph.offset, ph.filesz);
		memset(dst + ph.filesz, 0, ph.memsz - ph.filesz);
	}
}

static void read_shdr(const uint8_t *p, struct shdr *sh)
{
	sh->name = le32_load(p);
	sh->type = le32_load(p + 4);
	sh->flags = le64_load(p + 8);
	sh->addr = le64_load(p + 16);
	sh->offset = le64_load(p + 24);
	sh->size = le64_load(p + 32);
	sh->link = le32_load(p + 40);
	sh->info = le32_load(p + 44);
	sh->addralign = le64_load(p + 48);
	sh->entsize = le64_load(p + 56);
}

/* Finds the first SHT_SYMTAB and its string table.  Returns 1 when found,
 * 0 when the file has none, -1 on a malformed table. */
static int find_symtab(struct elf_ctx *c, struct shdr *sym, struct shdr *str)
{
	uint64_t shoff = le64_load(c->buf + 40);
	unsigned entsize = le16_load(c->buf + 58), shnum = le16_load(c->buf + 60);
	if (shoff == 0 || shnum == 0)
		return 0;
	if (entsize < SHDR_SIZE)
		return fail(c, "e_shentsize %u is smaller than a section header (%d bytes)",
			    entsize, SHDR_SIZE);
	/* shnum and entsize are below 65536: the product cannot overflow. */
	if (!in_file(c, shoff, (uint64_t)shnum * entsize))
		return fail(c,
			    "truncated: section header table extends past end of file "
			    "(offset 0x%" PRIx64 " size 0x%" PRIx64 ", file is %zu bytes)",
			    shoff, (uint64_t)shnum * entsize, c->len);
	for (unsigned i = 0; i < shnum; i++) {
		read_shdr(c->buf + shoff + (uint64_t)i * entsize, sym);
		if (sym->type != SHT_SYMTAB)
			continue;
		if (sym->link == 0 || sym->link >= shnum)
			return fail(c,
				    "section %u (.symtab): string table index %" PRIu32
				    " out of range (file has %u sections)",
				    i, sym->link, shnum);
		read_shdr(c->buf + shoff + (uint64_t)sym->link * entsize, str);
		if (str->type != SHT_STRTAB)
			return fail(c,
				    "section %u (.symtab): linked section %" PRIu32
				    " is not a string table",
				    i, sym->link);
		if (sym->entsize < SYM_SIZE || !in_file(c, sym->offset, sym->size))
			return fail(c,
				    "truncated: section %u (.symtab) extends past end of file "
				    "or has bad entry size (offset 0x%" PRIx64 " size 0x%" PRIx64
				    " entsize %" PRIu64 ", file is %zu bytes)",
				    i, sym->offset, sym->size, sym->entsize, c->len);
		if (!in_file(c, str->offset, str->size))
			return fail(c,
				    "truncated: section %" PRIu32 " (string table) extends past "
				    "end of file (offset 0x%" PRIx64 " size 0x%" PRIx64
				    ", file is %zu bytes)",
				    sym->link, str->offset, str->size, c->len);
		return 1;
	}
	return 0;
}

/* Returns the symbol's NUL-terminated name, or NULL if st_name does not
 * point at a string terminated inside the table. */
static const char *sym_name(const struct elf_ctx *c, const struct shdr *str, uint32_t st_name)
{
	if (st_name >= str->size)
		return NULL;
	const char *s = (const char *)c->buf + str->offset + st_name;
	if (!memchr(s, '\0', str->size - st_name))
		return NULL;
	return s;
}

/* Records an HTIF symbol after checking its 8-byte word is in guest RAM. */
static int take_htif_symbol(struct elf_ctx *c, const char *name, uint64_t value, uint64_t *out)
{
	if (!phys_ram_ptr(c->m, value, 8))
		return fail(c,
			    "symbol '%s' at 0x%" PRIx64 " is outside guest RAM 0x%llx-0x%" PRIx64,
			    name, value, RAM_BASE, ram_end(c->m));
	*out = value;
	return 0;
}

/* Finds tohost/fromhost (riscv-tests HTIF convention) in .symtab. */
static int find_htif(struct elf_ctx *c, struct elf_image *img)
{
	struct shdr sym = { 0 }, str = { 0 };
	int r = find_symtab(c, &sym, &str);
	if (r <= 0)
		return r;
	uint64_t n = sym.size / sym.entsize;
	bool has_fromhost = false;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *p = c->buf + sym.offset + i * sym.entsize;
		uint32_t st_name = le32_load(p);
		uint16_t shndx = le16_load(p + 6);
		uint64_t value = le64_load(p + 8);
		if (st_name == 0 || shndx == SHN_UNDEF)
			continue;
		const char *s = sym_name(c, &str, st_name);
		if (!s)
			return fail(c,
				    "symbol %" PRIu64 ": name offset %" PRIu32 " is not a string "
				    "inside the string table (size 0x%" PRIx64 ")",
				    i, st_name, str.size);
		if (!img->has_tohost && strcmp(s, "tohost") == 0) {
			if (take_htif_symbol(c, s, value, &img->tohost))
				return -1;
			img->has_tohost = true;
		} else if (!has_fromhost && strcmp(s, "fromhost") == 0) {
			if (take_htif_symbol(c, s, value, &img->fromhost))
				return -1;
			has_fromhost = true;
		}
	}
	return 0;
}

int elf_load_buffer(struct machine *m, const uint8_t *buf, size_t len, const char *name,
		    struct elf_image *img, char *err, size_t errlen)
{
	struct elf_ctx c = { m, buf, len, name ? name : "(buffer)", err, errlen };
	struct elf_image out = { 0 };
	if (!buf)
		c.len = 0;
	if (check_ident(&c) || check_type(&c) || check_segments(&c, &out) || find_htif(&c, &out))
		return -1;
	load_segments(&c);
	*img = out;
	return 0;
}

/* Reads the whole file into a heap buffer; returns NULL with a message. */
static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "vtlab: %s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "vtlab: %s: not a regular file", path);
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > ELF_MAX_FILE) {
		snprintf(err, errlen, "vtlab: %s: file is too large (%lld bytes, limit %llu)", path,
			 (long long)st.st_size, ELF_MAX_FILE);
		fclose(f);
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		snprintf(err, errlen, "vtlab: %s: cannot read: %s", path,
			 buf ? (ferror(f) ? strerror(errno) : "file shrank while reading")
			     : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int elf_load(struct machine *m, const char *path, struct elf_image *img, char *err, size_t errlen)
{
	size_t len = 0;
	uint8_t *buf = read_file(path, &len, err, errlen);
	if (!buf)
		return -1;
	int r = elf_load_buffer(m, buf, len, path, img, err, errlen);
	free(buf);
	return r;
}
