/*
 * fsck_main.c - vtlab-fsck IMAGE: checks a vtfs image (fsck.c) and prints
 * one line per problem.  Exit 0 when the image is consistent and clean, 1
 * when problems were found, 2 on a usage error or an unreadable image.
 */
#include "vtfs_tools.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vtlab-fsck IMAGE\n");
		return 2;
	}
	int n = vtfs_fsck(argv[1], stdout);
	if (n < 0)
		return 2;
	if (n == 0)
		printf("vtlab-fsck: %s: clean\n", argv[1]);
	else
		printf("vtlab-fsck: %s: %d problem(s)\n", argv[1], n);
	return n == 0 ? 0 : 1;
}
