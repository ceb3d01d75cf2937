/*
 * kobj.h - the object file format of the kernel-build workload, written by
 * kcc (kcc_gen.c) and read by kld (kld.c).
 *
 * Little-endian, fixed-width fields, in this order:
 *   struct kobj_header
 *   nsyms   x struct kobj_sym     (locals first, then globals, then undefined)
 *   nrelocs x struct kobj_reloc
 *   text_size bytes of code        (kcc's stack-machine code)
 *   data_size bytes of data        (initial values of the file's variables)
 *   strtab_size bytes of names     (NUL-terminated, referenced by name_off)
 * A relocation asks the linker to store the 32-bit address of symbol `sym`
 * at text offset `offset` (the 4 bytes there are zero in the object).
 */
#ifndef KBUILD_KOBJ_H
#define KBUILD_KOBJ_H

#include <stdint.h>

#define KOBJ_MAGIC 0x4a424f4bu /* "KOBJ" */
#define KOBJ_VERSION 1u

enum kobj_bind { KOBJ_LOCAL = 0, KOBJ_GLOBAL = 1, KOBJ_UNDEF = 2 };
enum kobj_kind { KOBJ_FUNC = 1, KOBJ_DATA = 2 };

struct kobj_header {
	uint32_t magic, version;
	uint32_t nsyms, nrelocs;
	uint32_t text_size, data_size;
	uint32_t strtab_size, reserved;
	uint64_t tree_hash; /* hash of the checked, folded AST */
	uint64_t src_hash;  /* hash of the preprocessed token stream */
};
_Static_assert(sizeof(struct kobj_header) == 48, "kobj_header is 48 bytes");

struct kobj_sym {
	uint32_t name_off;
	uint8_t bind, kind;
	uint16_t reserved;
	uint32_t value; /* offset in text (FUNC) or data (DATA); 0 if undefined */
	uint32_t size;
};
_Static_assert(sizeof(struct kobj_sym) == 16, "kobj_sym is 16 bytes");

struct kobj_reloc {
	uint32_t offset;
	uint32_t sym;
};
_Static_assert(sizeof(struct kobj_reloc) == 8, "kobj_reloc is 8 bytes");

#endif
