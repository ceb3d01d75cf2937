/*
 * fs_image.h - block-level access to a vtfs disk image for the host tools
 * (vtlab-mkfs, vtlab-fsck and their tests).
 *
 * Contract: an image is a regular file read and written in whole 4096-byte
 * blocks (format: workloads/include/vtlab/fs_format.h).  Every function
 * returns 0 on success or -1 with a one-line message in img->err naming the
 * image and what failed; nothing here exits or prints.
 */
#ifndef VTLAB_TOOLS_FS_IMAGE_H
#define VTLAB_TOOLS_FS_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "vtlab/fs_format.h"

struct fs_image {
	int fd;
	const char *path;
	uint64_t file_blocks; /* whole blocks in the image file */
	char err[512];
};

/* Opens an existing image (read-only unless writable). */
int img_open(struct fs_image *img, const char *path, bool writable);
/* Creates (or truncates) an image of size bytes, all zero. */
int img_create(struct fs_image *img, const char *path, uint64_t size);
void img_close(struct fs_image *img);
int img_read(struct fs_image *img, uint32_t block, void *buf);
int img_write(struct fs_image *img, uint32_t block, const void *buf);

/* Bitmap helpers over a byte array (bit b = bit b%8 of byte b/8). */
static inline bool bit_get(const uint8_t *map, uint64_t b)
{
	return (map[b / 8] >> (b % 8)) & 1u;
}
static inline void bit_set(uint8_t *map, uint64_t b, bool v)
{
	if (v)
		map[b / 8] |= (uint8_t)(1u << (b % 8));
	else
		map[b / 8] &= (uint8_t) ~(1u << (b % 8));
}

/* The superblock layout for an image of nblocks blocks and ninodes inodes
 * (state CLEAN, root VTFS_ROOT_INO); -1 if it does not fit. */
int vtfs_layout(struct vtfs_super *sb, uint32_t nblocks, uint32_t ninodes);

/* Reads inode ino of an image whose superblock is sb. */
int img_read_inode(struct fs_image *img, const struct vtfs_super *sb, uint32_t ino,
		   struct vtfs_inode *out);
/* Block number holding file block idx of inode ip (0 = hole), following
 * the indirect blocks; pointers outside the data area are reported as -1. */
int img_bmap(struct fs_image *img, const struct vtfs_super *sb, const struct vtfs_inode *ip,
	     uint64_t idx, uint32_t *out);

#endif
