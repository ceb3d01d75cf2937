/*
 * mkfs.c - builds a vtfs image from a host directory tree (vtfs_mkfs).
 *
 * Blocks and inodes are handed out in order while the tree is walked depth
 * first with entries in name order, so an image depends only on the tree
 * (reproducible builds).  Bitmaps and the inode table are kept in memory
 * and written last, with the superblock in state CLEAN.  Format:
 * workloads/include/vtlab/fs_format.h.
 */
#include "fs_image.h"
#include "vtfs_tools.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct builder {
	struct fs_image img;
	struct vtfs_super sb;
	uint8_t *ibitmap, *bbitmap;
	struct vtfs_inode *itable;
	uint32_t next_block, next_ino;
	FILE *err;
};

int64_t vtfs_parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		end++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		end++;
		break;
	case 'G':
	case 'g':
		shift = 30;
		end++;
		break;
	default: break;
	}
	if (*end || v > (1ull << (62 - shift)))
		return -1;
	return (int64_t)(v << shift);
}

static int alloc_block(struct builder *b, uint32_t *out)
{
	if (b->next_block >= b->sb.nblocks) {
		fprintf(b->err, "vtlab-mkfs: %s: image too small: no free block for the tree\n",
			b->img.path);
		return -1;
	}
	bit_set(b->bbitmap, b->next_block, true);
	*out = b->next_block++;
	return 0;
}

static int alloc_inode(struct builder *b, uint16_t type, uint32_t *out)
{
	if (b->next_ino >= b->sb.ninodes) {
		fprintf(b->err, "vtlab-mkfs: %s: image too small: out of inodes (%u)\n",
			b->img.path, b->sb.ninodes);
		return -1;
	}
	bit_set(b->ibitmap, b->next_ino, true);
	b->itable[b->next_ino].type = type;
	b->itable[b->next_ino].mode = type == VTFS_T_DIR ? 0755 : 0644;
	*out = b->next_ino++;
	return 0;
}

static int io_error(struct builder *b)
{
	fprintf(b->err, "vtlab-mkfs: %s\n", b->img.err);
	return -1;
}

/* Stores ptr at slot i of indirect block *ind, allocating it if needed. */
static int ind_store(struct builder *b, uint32_t *ind, uint64_t i, uint32_t ptr)
{
	uint32_t ptrs[VTFS_NINDIRECT];
	if (*ind == 0) {
		if (alloc_block(b, ind) != 0)
			return -1;
		memset(ptrs, 0, sizeof ptrs);
	} else if (img_read(&b->img, *ind, ptrs) != 0) {
		return io_error(b);
	}
	ptrs[i] = ptr;
	return img_write(&b->img, *ind, ptrs) == 0 ? 0 : io_error(b);
}

/* Reads slot i of indirect block ind (0 if the block does not exist). */
static int ind_load(struct builder *b, uint32_t ind, uint64_t i, uint32_t *out)
{
	uint32_t ptrs[VTFS_NINDIRECT];
	*out = 0;
	if (ind == 0)
		return 0;
	if (img_read(&b->img, ind, ptrs) != 0)
		return io_error(b);
	*out = ptrs[i];
	return 0;
}

/* Makes file block idx of ip point to block. */
static int set_block(struct builder *b, struct vtfs_inode *ip, uint64_t idx, uint32_t block)
{
	if (idx < VTFS_NDIRECT) {
		ip->direct[idx] = block;
		return 0;
	}
	idx -= VTFS_NDIRECT;
	if (idx < VTFS_NINDIRECT)
		return ind_store(b, &ip->indirect, idx, block);
	idx -= VTFS_NINDIRECT;
	uint32_t mid, old;
	if (ind_load(b, ip->dindirect, idx / VTFS_NINDIRECT, &mid) != 0)
		return -1;
	old = mid;
	if (ind_store(b, &mid, idx % VTFS_NINDIRECT, block) != 0)
		return -1;
	return mid == old ? 0 : ind_store(b, &ip->dindirect, idx / VTFS_NINDIRECT, mid);
}

/* Appends one block of data (len <= 4096, zero padded) to inode ino. */
static int append_block(struct builder *b, uint32_t ino, const void *data, size_t len)
{
	struct vtfs_inode *ip = &b->itable[ino];
	uint8_t blk[VTFS_BLOCK_SIZE] = { 0 };
	uint32_t block;
	uint64_t idx = ip->size / VTFS_BLOCK_SIZE;
	if (idx >= VTFS_MAX_FILE_BLOCKS) {
		fprintf(b->err, "vtlab-mkfs: inode %u: file larger than the maximum (%llu bytes)\n",
			ino, (unsigned long long)VTFS_MAX_FILE_SIZE);
		return -1;
	}
	memcpy(blk, data, len);
	if (alloc_block(b, &block) != 0 || img_write(&b->img, block, blk) != 0)
		return b->img.err[0] ? io_error(b) : -1;
	if (set_block(b, ip, idx, block) != 0)
		return -1;
	ip->size += len;
	return 0;
}

static int copy_file(struct builder *b, uint32_t ino, const char *hostpath)
{
	uint8_t buf[VTFS_BLOCK_SIZE];
	FILE *f = fopen(hostpath, "rb");
	size_t n;
	if (!f) {
		fprintf(b->err, "vtlab-mkfs: %s: cannot open: %s\n", hostpath, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (append_block(b, ino, buf, n) != 0) {
			fclose(f);
			return -1;
		}
		if (n < sizeof buf)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(b->err, "vtlab-mkfs: %s: read error\n", hostpath);
		return -1;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, without "." and ".."; NULL on error. */
static char **list_dir(struct builder *b, const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	if (!d) {
		fprintf(b->err, "vtlab-mkfs: %s: cannot open directory: %s\n", dir,
			strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (!names)
		names = malloc(sizeof *names);
	qsort(names, n, sizeof *names, cmp_names);
	*count = n;
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int add_dir(struct builder *b, uint32_t ino, uint32_t parent, const char *hostdir);

/* Creates the inode for one entry of a directory; its number in *ino. */
static int add_entry(struct builder *b, uint32_t dir_ino, const char *hostpath, uint32_t *ino,
		     bool *is_dir)
{
	struct stat st;
	if (stat(hostpath, &st) != 0) {
		fprintf(b->err, "vtlab-mkfs: %s: cannot stat: %s\n", hostpath, strerror(errno));
		return -1;
	}
	*is_dir = S_ISDIR(st.st_mode);
	if (*is_dir) {
		struct stat lst;
		if (lstat(hostpath, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			fprintf(b->err,
				"vtlab-mkfs: %s: symbolic link to a directory: not supported\n",
				hostpath);
			return -1;
		}
		return alloc_inode(b, VTFS_T_DIR, ino) == 0 ? add_dir(b, *ino, dir_ino, hostpath)
							    : -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(b->err, "vtlab-mkfs: %s: not a regular file or directory\n", hostpath);
		return -1;
	}
	if (alloc_inode(b, VTFS_T_FILE, ino) != 0)
		return -1;
	b->itable[*ino].nlink = 1;
	return copy_file(b, *ino, hostpath);
}

/* Fills directory inode ino (parent: its "..") with the tree at hostdir. */
static int add_dir(struct builder *b, uint32_t ino, uint32_t parent, const char *hostdir)
{
	size_t n, nent = 0;
	char **names = list_dir(b, hostdir, &n);
	struct vtfs_dirent *ents;
	int rc = -1;
	uint32_t subdirs = 0;
	if (!names)
		return -1;
	ents = calloc(n + 2, sizeof *ents);
	if (!ents)
		goto out;
	ents[nent].ino = ino;
	strcpy(ents[nent++].name, ".");
	ents[nent].ino = parent;
	strcpy(ents[nent++].name, "..");
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		bool is_dir;
		if (strlen(names[i]) > VTFS_NAME_MAX) {
			fprintf(b->err, "vtlab-mkfs: %s/%s: name longer than %u bytes\n", hostdir,
				names[i], VTFS_NAME_MAX);
			goto out;
		}
		if ((size_t)snprintf(path, sizeof path, "%s/%s", hostdir, names[i]) >=
		    sizeof path) {
			fprintf(b->err, "vtlab-mkfs: %s/%s: path too long\n", hostdir, names[i]);
			goto out;
		}
		if (add_entry(b, ino, path, &ents[nent].ino, &is_dir) != 0)
			goto out;
		subdirs += is_dir;
		strcpy(ents[nent++].name, names[i]);
	}
	for (size_t off = 0; off < nent * sizeof *ents; off += VTFS_BLOCK_SIZE) {
		size_t len = nent * sizeof *ents - off;
		if (append_block(b, ino, (uint8_t *)ents + off,
				 len < VTFS_BLOCK_SIZE ? len : VTFS_BLOCK_SIZE) != 0)
			goto out;
	}
	b->itable[ino].nlink = (uint16_t)(2 + subdirs);
	rc = 0;
out:
	free(ents);
	free_names(names, n);
	return rc;
}

static int write_region(struct builder *b, uint32_t start, uint32_t blocks, const void *data)
{
	for (uint32_t i = 0; i < blocks; i++)
		if (img_write(&b->img, start + i,
			      (const uint8_t *)data + (size_t)i * VTFS_BLOCK_SIZE))
			return io_error(b);
	return 0;
}

static int write_metadata(struct builder *b)
{
	uint8_t blk[VTFS_BLOCK_SIZE] = { 0 };
	memcpy(blk, &b->sb, sizeof b->sb);
	if (write_region(b, b->sb.ibitmap_start, b->sb.ibitmap_blocks, b->ibitmap) ||
	    write_region(b, b->sb.bbitmap_start, b->sb.bbitmap_blocks, b->bbitmap) ||
	    write_region(b, b->sb.itable_start, b->sb.itable_blocks, b->itable))
		return -1;
	return img_write(&b->img, VTFS_SUPER_BLOCK, blk) == 0 ? 0 : io_error(b);
}

/* One inode per 16 KiB of disk (at least 64), a whole inode-table block. */
static uint32_t default_inodes(uint32_t nblocks)
{
	uint64_t n = nblocks / 4 < 64 ? 64 : nblocks / 4;
	n = (n + VTFS_INODES_PER_BLOCK - 1) / VTFS_INODES_PER_BLOCK * VTFS_INODES_PER_BLOCK;
	return n > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)n;
}

static int build(struct builder *b, const char *dir)
{
	uint32_t root;
	for (uint32_t i = 0; i < b->sb.data_start; i++)
		bit_set(b->bbitmap, i, true);
	bit_set(b->ibitmap, 0, true);
	b->next_block = b->sb.data_start;
	b->next_ino = VTFS_ROOT_INO;
	if (alloc_inode(b, VTFS_T_DIR, &root) != 0 || add_dir(b, root, root, dir) != 0)
		return -1;
	return write_metadata(b);
}

int vtfs_mkfs(const char *path, uint64_t size, const char *dir, FILE *err)
{
	struct builder b = { .err = err };
	uint64_t nblocks = size / VTFS_BLOCK_SIZE;
	int rc = -1;
	if (size % VTFS_BLOCK_SIZE || nblocks > UINT32_MAX ||
	    vtfs_layout(&b.sb, (uint32_t)nblocks, default_inodes((uint32_t)nblocks)) != 0) {
		fprintf(err,
			"vtlab-mkfs: %s: size %llu: expected a multiple of %u bytes, "
			"at least 64K and below 16T\n",
			path, (unsigned long long)size, VTFS_BLOCK_SIZE);
		return -1;
	}
	b.ibitmap = calloc(b.sb.ibitmap_blocks, VTFS_BLOCK_SIZE);
	b.bbitmap = calloc(b.sb.bbitmap_blocks, VTFS_BLOCK_SIZE);
	b.itable = calloc(b.sb.itable_blocks, VTFS_BLOCK_SIZE);
	if (!b.ibitmap || !b.bbitmap || !b.itable) {
		fprintf(err, "vtlab-mkfs: %s: out of memory\n", path);
	} else if (img_create(&b.img, path, size) != 0) {
		fprintf(err, "vtlab-mkfs: %s\n", b.img.err);
	} else {
		rc = build(&b, dir);
		img_close(&b.img);
	}
	free(b.ibitmap);
	free(b.bbitmap);
	free(b.itable);
	return rc;
}
