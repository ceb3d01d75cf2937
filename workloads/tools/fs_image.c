/*
 * fs_image.c - block-level access to a vtfs disk image (see fs_image.h).
 */
#include "fs_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int img_fail(struct fs_image *img, const char *what)
{
	snprintf(img->err, sizeof img->err, "%s: %s: %s", img->path, what, strerror(errno));
	return -1;
}

int img_open(struct fs_image *img, const char *path, bool writable)
{
	struct stat st;
	img->path = path;
	img->err[0] = 0;
	img->fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (img->fd < 0)
		return img_fail(img, "cannot open image");
	if (fstat(img->fd, &st) != 0) {
		img_fail(img, "cannot stat image");
		close(img->fd);
		return -1;
	}
	img->file_blocks = (uint64_t)st.st_size / VTFS_BLOCK_SIZE;
	return 0;
}

int img_create(struct fs_image *img, const char *path, uint64_t size)
{
	img->path = path;
	img->err[0] = 0;
	img->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (img->fd < 0)
		return img_fail(img, "cannot create image");
	if (ftruncate(img->fd, (off_t)size) != 0) {
		img_fail(img, "cannot set the image size");
		close(img->fd);
		return -1;
	}
	img->file_blocks = size / VTFS_BLOCK_SIZE;
	return 0;
}

void img_close(struct fs_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}

/* pread/pwrite until done: both may return short counts. */
static int img_io(struct fs_image *img, uint32_t block, void *buf, bool write)
{
	uint8_t *p = buf;
	size_t done = 0;
	if (block >= img->file_blocks) {
		snprintf(img->err, sizeof img->err,
			 "%s: block %u: beyond the end of the image (%llu blocks)", img->path,
			 block, (unsigned long long)img->file_blocks);
		return -1;
	}
	while (done < VTFS_BLOCK_SIZE) {
		off_t off = (off_t)block * VTFS_BLOCK_SIZE + (off_t)done;
		ssize_t n = write ? pwrite(img->fd, p + done, VTFS_BLOCK_SIZE - done, off)
				  : pread(img->fd, p + done, VTFS_BLOCK_SIZE - done, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return img_fail(img, write ? "write failed" : "read failed");
		}
		done += (size_t)n;
	}
	return 0;
}

int img_read(struct fs_image *img, uint32_t block, void *buf)
{
	return img_io(img, block, buf, false);
}

int img_write(struct fs_image *img, uint32_t block, const void *buf)
{
	return img_io(img, block, (void *)buf, true);
}

int vtfs_layout(struct vtfs_super *sb, uint32_t nblocks, uint32_t ninodes)
{
	memset(sb, 0, sizeof *sb);
	sb->magic = VTFS_MAGIC;
	sb->version = VTFS_VERSION;
	sb->block_size = VTFS_BLOCK_SIZE;
	sb->state = VTFS_STATE_CLEAN;
	sb->nblocks = nblocks;
	sb->ninodes = ninodes;
	sb->root_ino = VTFS_ROOT_INO;
	sb->ibitmap_start = 1;
	sb->ibitmap_blocks = vtfs_bitmap_blocks(ninodes);
	sb->bbitmap_start = sb->ibitmap_start + sb->ibitmap_blocks;
	sb->bbitmap_blocks = vtfs_bitmap_blocks(nblocks);
	sb->itable_start = sb->bbitmap_start + sb->bbitmap_blocks;
	sb->itable_blocks =
		(uint32_t)((ninodes + VTFS_INODES_PER_BLOCK - 1) / VTFS_INODES_PER_BLOCK);
	sb->data_start = sb->itable_start + sb->itable_blocks;
	/* The root directory needs one data block. */
	return ninodes > VTFS_ROOT_INO && (uint64_t)sb->data_start + 1 <= nblocks ? 0 : -1;
}

int img_read_inode(struct fs_image *img, const struct vtfs_super *sb, uint32_t ino,
		   struct vtfs_inode *out)
{
	struct vtfs_inode blk[VTFS_INODES_PER_BLOCK];
	if (img_read(img, vtfs_inode_block(sb, ino), blk) != 0)
		return -1;
	*out = blk[ino % VTFS_INODES_PER_BLOCK];
	return 0;
}

/* Follows one pointer of an indirect block; 0 stays 0 (hole). */
static int follow(struct fs_image *img, const struct vtfs_super *sb, uint32_t ind, uint64_t i,
		  uint32_t *out)
{
	uint32_t ptrs[VTFS_NINDIRECT];
	if (ind == 0) {
		*out = 0;
		return 0;
	}
	if (ind < sb->data_start || ind >= sb->nblocks) {
		snprintf(img->err, sizeof img->err, "%s: indirect block %u outside the data area",
			 img->path, ind);
		return -1;
	}
	if (img_read(img, ind, ptrs) != 0)
		return -1;
	*out = ptrs[i];
	return 0;
}

int img_bmap(struct fs_image *img, const struct vtfs_super *sb, const struct vtfs_inode *ip,
	     uint64_t idx, uint32_t *out)
{
	uint32_t mid;
	int rc;
	if (idx < VTFS_NDIRECT) {
		*out = ip->direct[idx];
	} else if ((idx -= VTFS_NDIRECT) < VTFS_NINDIRECT) {
		if ((rc = follow(img, sb, ip->indirect, idx, out)) != 0)
			return rc;
	} else if ((idx -= VTFS_NINDIRECT) < (uint64_t)VTFS_NINDIRECT * VTFS_NINDIRECT) {
		if ((rc = follow(img, sb, ip->dindirect, idx / VTFS_NINDIRECT, &mid)) != 0 ||
		    (rc = follow(img, sb, mid, idx % VTFS_NINDIRECT, out)) != 0)
			return rc;
	} else {
		snprintf(img->err, sizeof img->err, "%s: file block %llu beyond the maximum size",
			 img->path, (unsigned long long)idx);
		return -1;
	}
	if (*out != 0 && (*out < sb->data_start || *out >= sb->nblocks)) {
		snprintf(img->err, sizeof img->err, "%s: data block %u outside the data area",
			 img->path, *out);
		return -1;
	}
	return 0;
}
