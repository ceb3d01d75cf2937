/*
 * vtlab/fs_format.h - the on-disk format of vtfs, the guest kernel's file
 * system, shared by the kernel (workloads/kernel/fs) and the host tools
 * (workloads/tools: vtlab-mkfs, vtlab-fsck).
 *
 * A simple Unix file system in the tradition of the V7/xv6 layout: 4096-byte
 * blocks, numbered from 0; all fields are fixed-width little-endian (both
 * the host and RV64 are little-endian, so the structures are used as is).
 *
 *   block 0                      superblock (struct vtfs_super, rest zero)
 *   [ibitmap_start, +blocks)     inode bitmap: bit i set = inode i in use
 *   [bbitmap_start, +blocks)     block bitmap: bit b set = block b in use
 *   [itable_start, +blocks)      inode table, VTFS_INODES_PER_BLOCK per block
 *   [data_start, nblocks)        data blocks (file and directory contents,
 *                                indirect blocks)
 *
 * Bit b of a bitmap is bit (b % 8) of byte (b / 8) of the bitmap area.
 * Inode 0 is never used (its bitmap bit is set); VTFS_ROOT_INO is the root
 * directory.  Every block below data_start is marked in use in the block
 * bitmap; bits at or above nblocks are zero.
 *
 * Files: 12 direct block pointers, one single-indirect and one
 * double-indirect block of 1024 u32 pointers (max 4 GiB + 4 MiB + 48 KiB).
 * A pointer 0 is a hole (reads as zeros) in a regular file; directories
 * have no holes.  No block is allocated at or beyond a file's size.
 *
 * Directories: arrays of 64-byte entries (struct vtfs_dirent); ino 0 = free
 * slot.  Entry 0 is "." (the directory itself) and entry 1 is ".." (the
 * parent; the root's parent is itself).  Names are NUL-padded, 1 to
 * VTFS_NAME_MAX bytes, no '/', unique within a directory.  A directory's
 * size is a multiple of 64.  Link counts follow Unix: a file's nlink is the
 * number of entries naming it; a directory's is 2 + its subdirectories.
 *
 * Consistency (the "clean flag" discipline, as ext2's s_state): the kernel
 * sets state = DIRTY on disk before it changes anything on disk after a
 * clean point; sync writes every dirty page and metadata block, flushes,
 * then writes state = CLEAN.  An image whose state is CLEAN is consistent;
 * vtlab-fsck checks that.
 */
#ifndef VTLAB_FS_FORMAT_H
#define VTLAB_FS_FORMAT_H

#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vtfs structures are little-endian and used in place"
#endif

#define VTFS_MAGIC 0x53465456u /* "VTFS" in the first four bytes */
#define VTFS_VERSION 1u
#define VTFS_BLOCK_SIZE 4096u
#define VTFS_SECTOR_SIZE 512u
#define VTFS_SECTORS_PER_BLOCK (VTFS_BLOCK_SIZE / VTFS_SECTOR_SIZE)
#define VTFS_SUPER_BLOCK 0u
#define VTFS_ROOT_INO 1u
#define VTFS_BITS_PER_BLOCK (VTFS_BLOCK_SIZE * 8u)

#define VTFS_STATE_CLEAN 1u /* everything on disk is consistent */
#define VTFS_STATE_DIRTY 2u /* changed since the last sync */

struct vtfs_super {
	uint32_t magic;         /* VTFS_MAGIC */
	uint32_t version;       /* VTFS_VERSION */
	uint32_t block_size;    /* VTFS_BLOCK_SIZE */
	uint32_t state;         /* VTFS_STATE_* */
	uint32_t nblocks;       /* blocks in the file system (<= the device's) */
	uint32_t ninodes;       /* inodes 0..ninodes-1 (0 unused) */
	uint32_t ibitmap_start; /* first block of the inode bitmap */
	uint32_t ibitmap_blocks;
	uint32_t bbitmap_start; /* first block of the block bitmap */
	uint32_t bbitmap_blocks;
	uint32_t itable_start; /* first block of the inode table */
	uint32_t itable_blocks;
	uint32_t data_start;  /* first data block */
	uint32_t root_ino;    /* VTFS_ROOT_INO */
	uint32_t mount_count; /* incremented by each kernel mount */
	uint32_t reserved[17];
};
_Static_assert(sizeof(struct vtfs_super) == 128, "vtfs_super is 128 bytes");

/* Inode types (vtfs_inode.type). */
#define VTFS_T_FREE 0u
#define VTFS_T_DIR 1u
#define VTFS_T_FILE 2u

#define VTFS_NDIRECT 12u
#define VTFS_NINDIRECT (VTFS_BLOCK_SIZE / 4u) /* pointers per indirect block */
#define VTFS_MAX_FILE_BLOCKS                                                                       \
	((uint64_t)VTFS_NDIRECT + VTFS_NINDIRECT + (uint64_t)VTFS_NINDIRECT * VTFS_NINDIRECT)
#define VTFS_MAX_FILE_SIZE (VTFS_MAX_FILE_BLOCKS * VTFS_BLOCK_SIZE)

struct vtfs_inode {
	uint16_t type;     /* VTFS_T_* */
	uint16_t nlink;    /* directory entries naming it (dirs: 2 + subdirs) */
	uint32_t mode;     /* permission bits, informational */
	uint64_t size;     /* bytes */
	uint64_t mtime_ns; /* modeled time of the last change */
	uint32_t direct[VTFS_NDIRECT];
	uint32_t indirect;  /* block of VTFS_NINDIRECT pointers, or 0 */
	uint32_t dindirect; /* block of pointers to indirect blocks, or 0 */
	uint32_t reserved[12];
};
_Static_assert(sizeof(struct vtfs_inode) == 128, "vtfs_inode is 128 bytes");
#define VTFS_INODES_PER_BLOCK (VTFS_BLOCK_SIZE / sizeof(struct vtfs_inode))

#define VTFS_NAME_MAX 59u /* name bytes; the 60th is always NUL */
struct vtfs_dirent {
	uint32_t ino; /* 0 = free slot */
	char name[VTFS_NAME_MAX + 1];
};
_Static_assert(sizeof(struct vtfs_dirent) == 64, "vtfs_dirent is 64 bytes");
#define VTFS_DIRENTS_PER_BLOCK (VTFS_BLOCK_SIZE / sizeof(struct vtfs_dirent))

/* Layout helpers shared by mkfs, fsck and the kernel. */
static inline uint32_t vtfs_inode_block(const struct vtfs_super *sb, uint32_t ino)
{
	return sb->itable_start + ino / (uint32_t)VTFS_INODES_PER_BLOCK;
}

static inline uint32_t vtfs_bitmap_blocks(uint64_t nbits)
{
	return (uint32_t)((nbits + VTFS_BITS_PER_BLOCK - 1) / VTFS_BITS_PER_BLOCK);
}

#endif
