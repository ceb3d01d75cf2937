/*
 * mkfs_main.c - vtlab-mkfs IMAGE SIZE DIR: builds a vtfs disk image of SIZE
 * bytes (suffixes K, M, G) holding the tree DIR.  Exit 0 on success, 1 on
 * error (one line on stderr), 2 on a usage error.
 */
#include "vtfs_tools.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: vtlab-mkfs IMAGE SIZE DIR\n");
		return 2;
	}
	int64_t size = vtfs_parse_size(argv[2]);
	if (size < 0) {
		fprintf(stderr,
			"vtlab-mkfs: size '%s': expected bytes with an optional K, M or G\n",
			argv[2]);
		return 2;
	}
	return vtfs_mkfs(argv[1], (uint64_t)size, argv[3], stderr) == 0 ? 0 : 1;
}
