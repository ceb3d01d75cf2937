/*
 * fsck.c - checks a vtfs image's consistency (vtfs_fsck).
 *
 * Passes, in the order of the classic Unix fsck (McKusick & Kowalski,
 * "Fsck - The UNIX File System Check Program"): 1. superblock and layout;
 * 2. every allocated inode: type, size, block pointers (in the data area,
 * not shared, none beyond the size); 3. the directory tree from the root:
 * ".", "..", names, entries naming allocated inodes, one parent per
 * directory; 4. link counts and unreachable inodes; 5. inode and block
 * bitmaps against what was found.  Format: vtlab/fs_format.h.
 */
#include "fs_image.h"
#include "vtfs_tools.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED 200

struct checker {
	struct fs_image img;
	struct vtfs_super sb;
	FILE *out;
	int problems;
	uint8_t *ibitmap, *bbitmap; /* as on disk */
	struct vtfs_inode *itable;
	uint32_t *owner;   /* per block: the inode using it (0 = none) */
	uint32_t *links;   /* per inode: directory entries naming it */
	uint32_t *parent;  /* per directory inode: its parent, once found */
	uint32_t *subdirs; /* per directory inode: subdirectories found */
};

static void problem(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *c, const char *fmt, ...)
{
	va_list ap;
	if (++c->problems > MAX_REPORTED)
		return;
	fprintf(c->out, "vtlab-fsck: %s: ", c->img.path);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
}

/* ---- pass 1: superblock ---- */

static int check_super(struct checker *c)
{
	uint8_t blk[VTFS_BLOCK_SIZE];
	struct vtfs_super want;
	const struct vtfs_super *sb = &c->sb;
	if (img_read(&c->img, VTFS_SUPER_BLOCK, blk) != 0) {
		problem(c, "superblock: %s", c->img.err);
		return -1;
	}
	memcpy(&c->sb, blk, sizeof c->sb);
	if (sb->magic != VTFS_MAGIC || sb->version != VTFS_VERSION ||
	    sb->block_size != VTFS_BLOCK_SIZE) {
		problem(c,
			"superblock: magic 0x%08x version %u block size %u, expected 0x%08x, %u, %u",
			sb->magic, sb->version, sb->block_size, VTFS_MAGIC, VTFS_VERSION,
			VTFS_BLOCK_SIZE);
		return -1;
	}
	if (sb->nblocks > c->img.file_blocks) {
		problem(c, "superblock: nblocks %u, but the image holds %llu blocks", sb->nblocks,
			(unsigned long long)c->img.file_blocks);
		return -1;
	}
	if (vtfs_layout(&want, sb->nblocks, sb->ninodes) != 0 ||
	    want.ibitmap_start != sb->ibitmap_start || want.ibitmap_blocks != sb->ibitmap_blocks ||
	    want.bbitmap_start != sb->bbitmap_start || want.bbitmap_blocks != sb->bbitmap_blocks ||
	    want.itable_start != sb->itable_start || want.itable_blocks != sb->itable_blocks ||
	    want.data_start != sb->data_start || sb->root_ino != VTFS_ROOT_INO) {
		problem(c,
			"superblock: layout (ibitmap %u+%u, bbitmap %u+%u, itable %u+%u, data %u, "
			"root %u) does not match %u blocks and %u inodes",
			sb->ibitmap_start, sb->ibitmap_blocks, sb->bbitmap_start,
			sb->bbitmap_blocks, sb->itable_start, sb->itable_blocks, sb->data_start,
			sb->root_ino, sb->nblocks, sb->ninodes);
		return -1;
	}
	if (sb->state != VTFS_STATE_CLEAN)
		problem(c,
			"superblock: state %u, expected %u (CLEAN: synced since the last change)",
			sb->state, VTFS_STATE_CLEAN);
	return 0;
}

static int load_region(struct checker *c, uint32_t start, uint32_t blocks, void **out)
{
	uint8_t *p = calloc(blocks ? blocks : 1, VTFS_BLOCK_SIZE);
	*out = p;
	if (!p) {
		problem(c, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < blocks; i++)
		if (img_read(&c->img, start + i, p + (size_t)i * VTFS_BLOCK_SIZE) != 0) {
			problem(c, "block %u: %s", start + i, c->img.err);
			return -1;
		}
	return 0;
}

/* ---- pass 2: inodes and their blocks ---- */

static bool in_data(const struct checker *c, uint32_t b)
{
	return b >= c->sb.data_start && b < c->sb.nblocks;
}

/* Records that inode ino uses block b (as what); false if b is unusable. */
static bool claim(struct checker *c, uint32_t ino, uint32_t b, const char *what, uint64_t idx)
{
	if (!in_data(c, b)) {
		problem(c, "inode %u: %s %llu points to block %u, outside the data area [%u, %u)",
			ino, what, (unsigned long long)idx, b, c->sb.data_start, c->sb.nblocks);
		return false;
	}
	if (c->owner[b]) {
		problem(c, "inode %u: %s %llu points to block %u, already used by inode %u", ino,
			what, (unsigned long long)idx, b, c->owner[b]);
		return false;
	}
	c->owner[b] = ino;
	return true;
}

/* Checks one data pointer for file block idx; limit = blocks within size. */
static void check_data_ptr(struct checker *c, uint32_t ino, uint32_t b, uint64_t idx,
			   uint64_t limit)
{
	if (b == 0)
		return;
	if (idx >= limit)
		problem(c, "inode %u: block %llu allocated beyond the size (%llu blocks)", ino,
			(unsigned long long)idx, (unsigned long long)limit);
	claim(c, ino, b, "file block", idx);
}

/* Walks indirect block ind (level 1: data pointers; 2: indirect ones)
 * covering file blocks from first. */
static void check_indirect(struct checker *c, uint32_t ino, uint32_t ind, int level, uint64_t first,
			   uint64_t limit)
{
	uint32_t ptrs[VTFS_NINDIRECT];
	uint64_t span = level == 1 ? 1 : VTFS_NINDIRECT;
	if (ind == 0)
		return;
	if (first >= limit)
		problem(c, "inode %u: indirect block %u allocated beyond the size", ino, ind);
	if (!claim(c, ino, ind, "indirect block for file block", first))
		return;
	if (img_read(&c->img, ind, ptrs) != 0) {
		problem(c, "inode %u: indirect block %u: %s", ino, ind, c->img.err);
		return;
	}
	for (uint64_t i = 0; i < VTFS_NINDIRECT; i++) {
		if (level == 1)
			check_data_ptr(c, ino, ptrs[i], first + i, limit);
		else
			check_indirect(c, ino, ptrs[i], 1, first + i * span, limit);
	}
}

/* The blocks that size bytes take; the image's size is any 64-bit value,
 * so not (size + VTFS_BLOCK_SIZE - 1) / VTFS_BLOCK_SIZE, which wraps to a
 * few blocks near 2^64. */
static uint64_t blocks_of(uint64_t size)
{
	return size / VTFS_BLOCK_SIZE + (size % VTFS_BLOCK_SIZE != 0);
}

static void check_inode(struct checker *c, uint32_t ino)
{
	const struct vtfs_inode *ip = &c->itable[ino];
	uint64_t limit = blocks_of(ip->size);
	if (ip->type != VTFS_T_DIR && ip->type != VTFS_T_FILE) {
		problem(c, "inode %u: type %u, expected %u (directory) or %u (file)", ino, ip->type,
			VTFS_T_DIR, VTFS_T_FILE);
		return;
	}
	if (ip->size > VTFS_MAX_FILE_SIZE)
		problem(c, "inode %u: size %llu above the maximum %llu", ino,
			(unsigned long long)ip->size, (unsigned long long)VTFS_MAX_FILE_SIZE);
	if (ip->type == VTFS_T_DIR && (ip->size % sizeof(struct vtfs_dirent) != 0 ||
				       ip->size < 2 * sizeof(struct vtfs_dirent)))
		problem(c,
			"inode %u: directory size %llu, expected a multiple of %zu, at least %zu",
			ino, (unsigned long long)ip->size, sizeof(struct vtfs_dirent),
			2 * sizeof(struct vtfs_dirent));
	/* A directory has no holes (fs_format.h), so it cannot hold more
	 * blocks than the data area; read_dir skips one that claims to. */
	uint64_t data_blocks = c->sb.nblocks - c->sb.data_start;
	if (ip->type == VTFS_T_DIR && limit > data_blocks)
		problem(c,
			"inode %u: directory size %llu needs %llu blocks, more than the %llu of the "
			"data area",
			ino, (unsigned long long)ip->size, (unsigned long long)limit,
			(unsigned long long)data_blocks);
	for (uint64_t i = 0; i < VTFS_NDIRECT; i++)
		check_data_ptr(c, ino, ip->direct[i], i, limit);
	check_indirect(c, ino, ip->indirect, 1, VTFS_NDIRECT, limit);
	check_indirect(c, ino, ip->dindirect, 2, VTFS_NDIRECT + VTFS_NINDIRECT, limit);
}

/* ---- pass 3: directory tree ---- */

static bool usable_inode(const struct checker *c, uint32_t ino)
{
	return ino > 0 && ino < c->sb.ninodes &&
	       (c->itable[ino].type == VTFS_T_DIR || c->itable[ino].type == VTFS_T_FILE);
}

static bool valid_name(const char *name)
{
	size_t n = strnlen(name, VTFS_NAME_MAX + 1);
	if (n == 0 || n > VTFS_NAME_MAX || strchr(name, '/'))
		return false;
	for (size_t i = n; i <= VTFS_NAME_MAX; i++)
		if (name[i])
			return false;
	return true;
}

/* A name as the report prints it: at most VTFS_NAME_MAX bytes, up to the
 * first NUL, with a byte that is not printable ASCII (or a backslash) as
 * \xNN.  A name may hold any byte but '/' (fs_format.h): printed raw, a
 * newline in it would split the report's one line per problem, and an
 * escape sequence would reach the terminal.  Found by fuzz_fsck.c. */
struct shown_name {
	char s[VTFS_NAME_MAX * 4 + 1];
};

static struct shown_name shown(const char *name)
{
	struct shown_name out;
	size_t o = 0;
	for (size_t i = 0; i < VTFS_NAME_MAX && name[i]; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			out.s[o++] = (char)ch;
		else
			o += (size_t)snprintf(out.s + o, sizeof out.s - o, "\\x%02x", ch);
	}
	out.s[o] = '\0';
	return out;
}

static void check_dot_entry(struct checker *c, uint32_t dir, const struct vtfs_dirent *e,
			    size_t slot, uint32_t want)
{
	const char *name = slot == 0 ? "." : "..";
	if (strncmp(e->name, name, sizeof e->name) != 0 || e->ino != want)
		problem(c, "inode %u: directory entry %zu is '%s' -> %u, expected '%s' -> %u", dir,
			slot, shown(e->name).s, e->ino, name, want);
}

/* Duplicate names: compare against the earlier entries (n^2, fine for the
 * directory sizes the tools handle). */
static bool duplicate(const struct vtfs_dirent *ents, size_t n, size_t i)
{
	for (size_t j = 2; j < n; j++)
		if (j != i && j < i && ents[j].ino &&
		    strncmp(ents[j].name, ents[i].name, sizeof ents[i].name) == 0)
			return true;
	return false;
}

/* Reads directory dir's entries; NULL (after a problem) if unreadable. */
static struct vtfs_dirent *read_dir(struct checker *c, uint32_t dir, size_t *count)
{
	const struct vtfs_inode *ip = &c->itable[dir];
	uint64_t nblk = blocks_of(ip->size);
	struct vtfs_dirent *ents;
	if (nblk > c->sb.nblocks - c->sb.data_start || ip->size < 2 * sizeof *ents)
		return NULL; /* reported by check_inode */
	ents = calloc(nblk, VTFS_BLOCK_SIZE);
	if (!ents)
		return NULL;
	for (uint64_t i = 0; i < nblk; i++) {
		uint32_t b;
		if (img_bmap(&c->img, &c->sb, ip, i, &b) != 0 || b == 0) {
			problem(c, "inode %u: directory block %llu is %s", dir,
				(unsigned long long)i, b == 0 ? "a hole" : "unreadable");
			free(ents);
			return NULL;
		}
		if (img_read(&c->img, b, (uint8_t *)ents + i * VTFS_BLOCK_SIZE) != 0) {
			free(ents);
			return NULL;
		}
	}
	*count = ip->size / sizeof *ents;
	return ents;
}

/* Checks one directory; appends its subdirectories to the queue. */
static void check_dir(struct checker *c, uint32_t dir, uint32_t *queue, size_t *qlen)
{
	size_t n;
	struct vtfs_dirent *ents = read_dir(c, dir, &n);
	if (!ents)
		return;
	if (n >= 2) {
		check_dot_entry(c, dir, &ents[0], 0, dir);
		check_dot_entry(c, dir, &ents[1], 1, c->parent[dir]);
	}
	for (size_t i = 2; i < n; i++) {
		const struct vtfs_dirent *e = &ents[i];
		if (e->ino == 0)
			continue;
		if (!valid_name(e->name) || !strncmp(e->name, ".", sizeof e->name) ||
		    !strncmp(e->name, "..", sizeof e->name))
			problem(c, "inode %u: directory entry %zu: name '%s' is invalid", dir, i,
				shown(e->name).s);
		else if (duplicate(ents, n, i))
			problem(c, "inode %u: directory entry %zu: name '%s' appears twice", dir, i,
				shown(e->name).s);
		if (!usable_inode(c, e->ino)) {
			problem(c,
				"inode %u: directory entry %zu ('%s') names inode %u, which is "
				"not an allocated inode",
				dir, i, shown(e->name).s, e->ino);
			continue;
		}
		c->links[e->ino]++;
		if (c->itable[e->ino].type != VTFS_T_DIR)
			continue;
		if (c->parent[e->ino]) {
			problem(c,
				"inode %u: directory named in directory %u and in directory %u, "
				"expected one parent",
				e->ino, c->parent[e->ino], dir);
			continue;
		}
		c->parent[e->ino] = dir;
		c->subdirs[dir]++;
		queue[(*qlen)++] = e->ino;
	}
	free(ents);
}

static void check_tree(struct checker *c)
{
	uint32_t *queue = calloc(c->sb.ninodes, sizeof *queue);
	size_t qlen = 0;
	if (!queue)
		return;
	if (c->itable[VTFS_ROOT_INO].type != VTFS_T_DIR) {
		problem(c, "inode %u: the root is of type %u, expected a directory (%u)",
			VTFS_ROOT_INO, c->itable[VTFS_ROOT_INO].type, VTFS_T_DIR);
		free(queue);
		return;
	}
	c->parent[VTFS_ROOT_INO] = VTFS_ROOT_INO;
	queue[qlen++] = VTFS_ROOT_INO;
	for (size_t head = 0; head < qlen; head++)
		check_dir(c, queue[head], queue, &qlen);
	free(queue);
}

/* ---- pass 4: link counts; pass 5: bitmaps ---- */

static void check_links(struct checker *c)
{
	for (uint32_t ino = 1; ino < c->sb.ninodes; ino++) {
		const struct vtfs_inode *ip = &c->itable[ino];
		uint32_t want;
		if (ip->type == VTFS_T_FREE)
			continue;
		if (ino != VTFS_ROOT_INO && c->links[ino] == 0 && ip->nlink == 0) {
			/* Unlinked while open at the last sync: legitimate; the
			 * kernel frees it at the next mount (super.c). */
			fprintf(c->out,
				"vtlab-fsck: %s: inode %u: orphan (unlinked while open), "
				"freed at the next mount\n",
				c->img.path, ino);
			continue;
		}
		if (ino != VTFS_ROOT_INO && c->links[ino] == 0) {
			problem(c,
				"inode %u: allocated (type %u, nlink %u) but not reachable from the "
				"root",
				ino, ip->type, ip->nlink);
			continue;
		}
		/* A directory: its entry in the parent, its ".", each child's "..". */
		want = ip->type == VTFS_T_DIR ? 2 + c->subdirs[ino] : c->links[ino];
		if (ip->nlink != want)
			problem(c, "inode %u: nlink %u, expected %u", ino, ip->nlink, want);
	}
}

static void check_bitmaps(struct checker *c)
{
	for (uint32_t ino = 0; ino < c->sb.ninodes; ino++) {
		bool used = ino == 0 || c->itable[ino].type != VTFS_T_FREE;
		if (bit_get(c->ibitmap, ino) != used)
			problem(c, "inode %u: inode bitmap says %s, expected %s", ino,
				used ? "free" : "in use", used ? "in use" : "free");
	}
	for (uint32_t b = 0; b < c->sb.nblocks; b++) {
		bool used = b < c->sb.data_start || c->owner[b] != 0;
		if (bit_get(c->bbitmap, b) != used) {
			if (used)
				problem(c,
					"block %u: used by inode %u but free in the block bitmap",
					b, c->owner[b]);
			else
				problem(c,
					"block %u: in use in the block bitmap but no inode uses it",
					b);
		}
	}
}

static void run_checks(struct checker *c)
{
	void *ib, *bb, *it;
	if (check_super(c) != 0)
		return;
	int rc = load_region(c, c->sb.ibitmap_start, c->sb.ibitmap_blocks, &ib);
	c->ibitmap = ib;
	rc |= load_region(c, c->sb.bbitmap_start, c->sb.bbitmap_blocks, &bb);
	c->bbitmap = bb;
	rc |= load_region(c, c->sb.itable_start, c->sb.itable_blocks, &it);
	c->itable = it;
	c->owner = calloc(c->sb.nblocks, sizeof *c->owner);
	c->links = calloc(c->sb.ninodes, sizeof *c->links);
	c->parent = calloc(c->sb.ninodes, sizeof *c->parent);
	c->subdirs = calloc(c->sb.ninodes, sizeof *c->subdirs);
	if (rc || !c->owner || !c->links || !c->parent || !c->subdirs) {
		if (!rc)
			problem(c, "out of memory");
		return;
	}
	for (uint32_t ino = 1; ino < c->sb.ninodes; ino++)
		if (c->itable[ino].type != VTFS_T_FREE)
			check_inode(c, ino);
	check_tree(c);
	check_links(c);
	check_bitmaps(c);
}

int vtfs_fsck(const char *path, FILE *out)
{
	struct checker c = { .out = out };
	if (img_open(&c.img, path, false) != 0) {
		fprintf(out, "vtlab-fsck: %s\n", c.img.err);
		return -1;
	}
	run_checks(&c);
	if (c.problems > MAX_REPORTED)
		fprintf(out, "vtlab-fsck: %s: %d more problems not shown\n", path,
			c.problems - MAX_REPORTED);
	img_close(&c.img);
	free(c.ibitmap);
	free(c.bbitmap);
	free(c.itable);
	free(c.owner);
	free(c.links);
	free(c.parent);
	free(c.subdirs);
	return c.problems;
}
