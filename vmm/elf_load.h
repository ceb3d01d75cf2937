/*
 * elf_load.h - loads a RISC-V ELF64 executable into guest RAM.
 *
 * Contract: everything read from the file is validated (magic, class,
 * endianness, machine, header sizes, every program header's offset/size
 * within the file, every segment within guest RAM, the symbol table when
 * present).  On error nothing is half-loaded that matters (the machine is
 * discarded) and err holds one line naming the file and what is wrong.
 */
#ifndef VMM_ELF_LOAD_H
#define VMM_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

struct elf_image {
	uint64_t entry;
	bool has_tohost;
	uint64_t tohost, fromhost; /* addresses of the HTIF symbols */
	uint64_t lo, hi;           /* physical extent of loaded segments */
};

int elf_load(struct machine *m, const char *path, struct elf_image *img, char *err, size_t errlen);
/* Same, from a buffer (fuzzing, tests); name is used in messages. */
int elf_load_buffer(struct machine *m, const uint8_t *buf, size_t len, const char *name,
		    struct elf_image *img, char *err, size_t errlen);

#endif
