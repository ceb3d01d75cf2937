/*
 * kld.c - /bin/kld, the linker of the kernel-build workload.
 *
 *   kld -o OUT.img @LISTFILE        (LISTFILE: one object path a line)
 *   kld -o OUT.img OBJ.o...
 *
 * Reads every object (format: kobj.h) in the order given, lays the text
 * sections out one after the other from KLD_BASE, then the data sections
 * (8-byte aligned), resolves each undefined symbol against the global
 * symbols of all objects (a hash table; a global defined twice is an
 * error, as for ld), patches the relocations with 32-bit addresses and
 * writes the image:
 *   struct kimg_header, text, data, then the global symbol table sorted
 *   by name (address, size, kind, name) and each object's two hashes.
 * References to symbols no object defines (a partial build, --files) are
 * resolved to 0 and counted.  Exit 0, or 1 with a one-line message.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kobj.h"

#define KLD_BASE 0x80200000u
#define KIMG_MAGIC 0x474d494bu /* "KIMG" */
#define MAX_OBJS 4096
#define HASH_BITS 14

struct kimg_header {
	uint32_t magic, nobjs;
	uint32_t text_size, data_size;
	uint32_t nglobals, undefined;
	uint32_t entry, reserved;
};

typedef struct {
	const char *path;
	unsigned char *bytes;
	size_t size;
	struct kobj_header h;
	struct kobj_sym *syms;
	struct kobj_reloc *relocs;
	unsigned char *text, *data;
	const char *strtab;
	uint32_t text_addr, data_addr;
} Obj;

typedef struct {
	const char *name;
	uint32_t addr, size;
	uint8_t kind;
	int obj;
} Global;

static Obj objs[MAX_OBJS];
static int nobjs;
static Global *globals;
static int nglobals, cap_globals;
static int table[1 << HASH_BITS]; /* index + 1 into globals, open addressing */

static _Noreturn void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("kld: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static unsigned char *read_all(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		fatal("%s: cannot open", path);
	size_t cap = 16384, n = 0;
	unsigned char *b = malloc(cap);
	for (;;) {
		if (!b)
			fatal("%s: out of memory", path);
		if (n == cap) {
			b = realloc(b, cap *= 2);
			continue;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0)
			fatal("%s: read failed", path);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*size = n;
	return b;
}

/* Checks the object's sections fit in its file and sets the pointers. */
static void map_object(Obj *o)
{
	if (o->size < sizeof o->h)
		fatal("%s: header: file too short (%zu bytes)", o->path, o->size);
	memcpy(&o->h, o->bytes, sizeof o->h);
	if (o->h.magic != KOBJ_MAGIC || o->h.version != KOBJ_VERSION)
		fatal("%s: header: magic/version: expected KOBJ version %u", o->path, KOBJ_VERSION);
	uint64_t need = sizeof o->h + (uint64_t)o->h.nsyms * sizeof(struct kobj_sym) +
			(uint64_t)o->h.nrelocs * sizeof(struct kobj_reloc) + o->h.text_size +
			o->h.data_size + o->h.strtab_size;
	if (need != o->size)
		fatal("%s: header: sections give %llu bytes, the file has %zu", o->path,
		      (unsigned long long)need, o->size);
	unsigned char *p = o->bytes + sizeof o->h;
	o->syms = (struct kobj_sym *)p;
	p += (size_t)o->h.nsyms * sizeof(struct kobj_sym);
	o->relocs = (struct kobj_reloc *)p;
	p += (size_t)o->h.nrelocs * sizeof(struct kobj_reloc);
	o->text = p;
	o->data = p + o->h.text_size;
	o->strtab = (const char *)(o->data + o->h.data_size);
	/* A unit that defines and uses nothing (only declarations, or all of
	 * it #ifdef'd out) has no symbols and an empty strtab: that is an
	 * object too.  A symbol of it would fail sym_name's check. */
	if (o->h.strtab_size != 0 && o->strtab[o->h.strtab_size - 1] != 0)
		fatal("%s: strtab: expected NUL-terminated names", o->path);
}

static const char *sym_name(const Obj *o, const struct kobj_sym *s)
{
	if (s->name_off >= o->h.strtab_size)
		fatal("%s: symbol name_off %u: beyond the strtab", o->path, s->name_off);
	return o->strtab + s->name_off;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int *global_slot(const char *name)
{
	uint32_t mask = (1u << HASH_BITS) - 1;
	for (uint32_t i = name_hash(name) & mask;; i = (i + 1) & mask)
		if (!table[i] || strcmp(globals[table[i] - 1].name, name) == 0)
			return &table[i];
}

static uint32_t sym_addr(const Obj *o, const struct kobj_sym *s)
{
	return (s->kind == KOBJ_FUNC ? o->text_addr : o->data_addr) + s->value;
}

static void define_globals(int oi)
{
	Obj *o = &objs[oi];
	for (uint32_t i = 0; i < o->h.nsyms; i++) {
		struct kobj_sym *s = &o->syms[i];
		if (s->bind != KOBJ_GLOBAL)
			continue;
		const char *name = sym_name(o, s);
		int *slot = global_slot(name);
		if (*slot)
			fatal("%s: multiple definition of '%s' (first in %s)", o->path, name,
			      objs[globals[*slot - 1].obj].path);
		if (nglobals >= (1 << HASH_BITS) * 3 / 4)
			fatal("%s: more than %d global symbols", o->path, (1 << HASH_BITS) * 3 / 4);
		if (nglobals == cap_globals) {
			cap_globals = cap_globals ? cap_globals * 2 : 1024;
			globals = realloc(globals, (size_t)cap_globals * sizeof *globals);
			if (!globals)
				fatal("out of memory");
		}
		globals[nglobals] = (Global){ name, sym_addr(o, s), s->size, s->kind, oi };
		*slot = ++nglobals;
	}
}

static uint32_t resolve(Obj *o, const struct kobj_sym *s, int *undefined)
{
	if (s->bind != KOBJ_UNDEF)
		return sym_addr(o, s);
	int *slot = global_slot(sym_name(o, s));
	if (*slot)
		return globals[*slot - 1].addr;
	(*undefined)++;
	return 0;
}

static void relocate(Obj *o, int *undefined)
{
	for (uint32_t i = 0; i < o->h.nrelocs; i++) {
		const struct kobj_reloc *r = &o->relocs[i];
		if (r->sym >= o->h.nsyms || (uint64_t)r->offset + 4 > o->h.text_size)
			fatal("%s: relocation %u: symbol %u or offset %u out of range", o->path, i,
			      r->sym, r->offset);
		uint32_t addr = resolve(o, &o->syms[r->sym], undefined);
		memcpy(o->text + r->offset, &addr, 4);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const Global *)a)->name, ((const Global *)b)->name);
}

static void put(FILE *f, const void *p, size_t n, const char *out)
{
	if (n && fwrite(p, 1, n, f) != n)
		fatal("%s: write failed", out);
}

static void write_image(const char *out, int undefined)
{
	struct kimg_header h = { KIMG_MAGIC,         (uint32_t)nobjs,     0, 0,
				 (uint32_t)nglobals, (uint32_t)undefined, 0, 0 };
	for (int i = 0; i < nobjs; i++) {
		h.text_size += objs[i].h.text_size;
		h.data_size += objs[i].h.data_size;
	}
	if (nglobals > 0) /* globals is NULL until the first one */
		qsort(globals, (size_t)nglobals, sizeof *globals, by_name);
	for (int i = 0; i < nglobals; i++)
		if (strcmp(globals[i].name, "start_kernel") == 0)
			h.entry = globals[i].addr;
	FILE *f = fopen(out, "w");
	if (!f)
		fatal("%s: cannot create", out);
	put(f, &h, sizeof h, out);
	for (int i = 0; i < nobjs; i++)
		put(f, objs[i].text, objs[i].h.text_size, out);
	for (int i = 0; i < nobjs; i++)
		put(f, objs[i].data, objs[i].h.data_size, out);
	for (int i = 0; i < nglobals; i++) {
		uint32_t rec[3] = { globals[i].addr, globals[i].size, globals[i].kind };
		put(f, rec, sizeof rec, out);
		put(f, globals[i].name, strlen(globals[i].name) + 1, out);
	}
	for (int i = 0; i < nobjs; i++) {
		put(f, &objs[i].h.tree_hash, 8, out);
		put(f, &objs[i].h.src_hash, 8, out);
	}
	if (fclose(f) != 0)
		fatal("%s: write failed", out);
}

static void add_object(const char *path)
{
	if (nobjs >= MAX_OBJS)
		fatal("%s: more than %d objects", path, MAX_OBJS);
	Obj *o = &objs[nobjs++];
	o->path = path;
	o->bytes = read_all(path, &o->size);
	map_object(o);
}

static void add_list(const char *list)
{
	size_t n;
	char *b = (char *)read_all(list, &n);
	b = realloc(b, n + 1);
	if (!b)
		fatal("%s: out of memory", list);
	b[n] = 0;
	for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n"))
		if (*line)
			add_object(line);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '@')
			add_list(argv[i] + 1);
		else
			add_object(argv[i]);
	}
	if (!out || nobjs == 0) {
		fprintf(stderr, "usage: kld -o OUT.img (@LISTFILE | OBJ.o...)\n");
		return 2;
	}
	uint32_t text = KLD_BASE, data;
	for (int i = 0; i < nobjs; i++) {
		objs[i].text_addr = text;
		text += objs[i].h.text_size;
	}
	data = (text + 4095) & ~4095u;
	for (int i = 0; i < nobjs; i++) {
		objs[i].data_addr = data;
		data += (objs[i].h.data_size + 7) & ~7u;
	}
	for (int i = 0; i < nobjs; i++)
		define_globals(i);
	int undefined = 0;
	for (int i = 0; i < nobjs; i++)
		relocate(&objs[i], &undefined);
	write_image(out, undefined);
	printf("kld: %d objects, %d global symbols, %d undefined references, %u+%u bytes -> %s\n",
	       nobjs, nglobals, undefined, text - KLD_BASE, data - ((text + 4095) & ~4095u), out);
	return 0;
}
