/*
 * dir.c - directories: arrays of 64-byte entries (fs_format.h), read a
 * page at a time through the page cache; entry 0 is ".", entry 1 "..",
 * ino 0 marks a free slot that dirlink reuses.  The directory is locked by
 * the caller.  An entry naming an inode number out of range is corruption
 * (-VTLAB_EIO).
 */
#include "fs.h"

#define DIRENT_SIZE sizeof(struct vtfs_dirent)

/* Calls visit(entry, offset, arg) on each entry from index `first` on until
 * it returns non-zero (its value is returned), or 0 at the end. */
static int dir_scan(struct inode *dp, uint64_t first,
		    int (*visit)(const struct vtfs_dirent *, uint64_t, void *), void *arg)
{
	uint64_t size = dp->d.size - dp->d.size % DIRENT_SIZE;
	for (uint64_t off = first * DIRENT_SIZE; off < size;) {
		struct page *pg;
		int rc = pget(dp, off / VTFS_BLOCK_SIZE, true, &pg);
		if (rc)
			return rc;
		if (pg->blockno == 0) { /* a directory has no holes: corrupt */
			pput(pg);
			kprintf("vtfs: directory inode %u: block %llu is a hole\n", dp->inum,
				(unsigned long long)(off / VTFS_BLOCK_SIZE));
			return -VTLAB_EIO;
		}
		uint64_t end = (off / VTFS_BLOCK_SIZE + 1) * VTFS_BLOCK_SIZE;
		for (; off < end && off < size; off += DIRENT_SIZE) {
			const struct vtfs_dirent *de =
				(const struct vtfs_dirent *)(pg->data + off % VTFS_BLOCK_SIZE);
			if ((rc = visit(de, off, arg)) != 0) {
				pput(pg);
				return rc;
			}
		}
		pput(pg);
	}
	return 0;
}

struct find {
	const char *name; /* by name, or */
	uint32_t inum;    /* by inode number */
	uint64_t off;
	uint32_t found;
	char *name_out;
};

static int match(const struct vtfs_dirent *de, uint64_t off, void *arg)
{
	struct find *f = arg;
	if (de->ino == 0)
		return 0;
	if (f->name ? strncmp(de->name, f->name, VTFS_NAME_MAX + 1) != 0 : de->ino != f->inum)
		return 0;
	if (de->ino >= fs.sb.ninodes)
		return -VTLAB_EIO;
	f->off = off;
	f->found = de->ino;
	if (f->name_out) {
		memcpy(f->name_out, de->name, VTFS_NAME_MAX);
		f->name_out[VTFS_NAME_MAX] = 0;
	}
	return 1;
}

int dirlookup(struct inode *dp, const char *name, uint64_t *off, uint32_t *inum)
{
	struct find f = { .name = name };
	if (dp->d.type != VTFS_T_DIR)
		return -VTLAB_ENOTDIR;
	int rc = dir_scan(dp, 0, match, &f);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -VTLAB_ENOENT;
	if (off)
		*off = f.off;
	*inum = f.found;
	return 0;
}

int dir_name_of(struct inode *dp, uint32_t inum, char *name)
{
	struct find f = { .inum = inum, .name_out = name };
	int rc = dir_scan(dp, 2, match, &f);
	return rc < 0 ? rc : rc == 0 ? -VTLAB_ENOENT : 0;
}

static int free_slot(const struct vtfs_dirent *de, uint64_t off, void *arg)
{
	if (de->ino != 0)
		return 0;
	*(uint64_t *)arg = off;
	return 1;
}

int dirlink(struct inode *dp, const char *name, uint32_t inum)
{
	struct vtfs_dirent de;
	uint64_t off = dp->d.size - dp->d.size % DIRENT_SIZE;
	uint32_t existing;
	size_t len = strlen(name);
	if (len == 0 || len > VTFS_NAME_MAX)
		return len ? -VTLAB_ENAMETOOLONG : -VTLAB_ENOENT;
	int rc = dirlookup(dp, name, NULL, &existing);
	if (rc == 0)
		return -VTLAB_EEXIST;
	if (rc != -VTLAB_ENOENT)
		return rc;
	if ((rc = dir_scan(dp, 2, free_slot, &off)) < 0)
		return rc;
	memset(&de, 0, sizeof de);
	de.ino = inum;
	memcpy(de.name, name, len);
	int64_t n = writei(dp, false, (uint64_t)&de, off, sizeof de);
	return n == sizeof de ? 0 : n < 0 ? (int)n : -VTLAB_EIO;
}

int dirunlink(struct inode *dp, uint64_t off)
{
	struct vtfs_dirent de;
	memset(&de, 0, sizeof de);
	int64_t n = writei(dp, false, (uint64_t)&de, off, sizeof de);
	return n == sizeof de ? 0 : n < 0 ? (int)n : -VTLAB_EIO;
}

static int any_entry(const struct vtfs_dirent *de, uint64_t off, void *arg)
{
	(void)off;
	(void)arg;
	return de->ino != 0;
}

int dir_is_empty(struct inode *dp)
{
	int rc = dir_scan(dp, 2, any_entry, NULL);
	return rc < 0 ? rc : rc == 0;
}
