/*
 * vtfs_tools.h - the host tools' entry points, callable from their mains
 * (mkfs_main.c, fsck_main.c) and from the unit tests.
 */
#ifndef VTLAB_TOOLS_VTFS_TOOLS_H
#define VTLAB_TOOLS_VTFS_TOOLS_H

#include <stdint.h>
#include <stdio.h>

/* Builds a vtfs image of size bytes at path holding the tree under dir
 * (regular files and directories, entries in name order, mtime 0: the
 * image depends only on the tree).  Returns 0, or -1 after printing one
 * line to err. */
int vtfs_mkfs(const char *path, uint64_t size, const char *dir, FILE *err);

/* Parses a size such as 4096, 64K, 32M, 1G (powers of 1024); -1 if bad. */
int64_t vtfs_parse_size(const char *s);

/* Checks the image at path; prints one line per problem to out, naming the
 * inode or block and what was expected.  Returns the number of problems
 * (0 = consistent and clean), or -1 if the image cannot be read. */
int vtfs_fsck(const char *path, FILE *out);

#endif
