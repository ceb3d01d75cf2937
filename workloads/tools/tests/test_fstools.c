/*
 * test_fstools.c - unit tests of the vtfs host tools: vtlab-mkfs builds an
 * image from a tree whose files exercise direct, single- and double-
 * indirect blocks and multi-block directories; the image reads back equal
 * to the tree (through an independent reader over fs_image.c), is
 * reproducible, and fsck finds it clean; then each kind of corruption is
 * made on a copy and fsck must report it, naming the inode or block.
 */
#include "fs_image.h"
#include "tools_test.h"
#include "vtfs_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct file_spec {
	const char *path;
	size_t size;
	uint32_t seed;
};

static const struct file_spec files[] = {
	{ "empty", 0, 1 },
	{ "one", 1, 2 },
	{ "page", 4096, 3 },
	{ "page1", 4097, 4 },
	{ "ind", 12 * 4096 + 100, 5 },            /* single indirect */
	{ "big", (12 + 1024 + 3) * 4096 + 7, 6 }, /* double indirect */
	{ "a/b/deep.bin", 5000, 7 },
};

static void make_tree(void)
{
	char name[64];
	tt_mkdir("tree");
	tt_mkdir("tree/a");
	tt_mkdir("tree/a/b");
	tt_mkdir("tree/many");
	tt_mkdir("tree/emptydir");
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(name, sizeof name, "tree/%s", files[i].path);
		tt_write_file(name, files[i].size, files[i].seed);
	}
	for (int i = 0; i < 100; i++) { /* 102 entries: a two-block directory */
		snprintf(name, sizeof name, "tree/many/file%03d", i);
		tt_write_file(name, (size_t)i * 37, 100 + (uint32_t)i);
	}
}

/* ---- an independent reader: path lookup and whole-file reads ---- */

struct reader {
	struct fs_image img;
	struct vtfs_super sb;
};

static int reader_open(struct reader *r, const char *image, bool writable)
{
	uint8_t blk[VTFS_BLOCK_SIZE];
	if (img_open(&r->img, image, writable) != 0 || img_read(&r->img, 0, blk) != 0)
		return -1;
	memcpy(&r->sb, blk, sizeof r->sb);
	return 0;
}

/* Whole contents of inode ino (malloc'd), length in *len. */
static uint8_t *read_all(struct reader *r, uint32_t ino, size_t *len)
{
	struct vtfs_inode ip;
	if (img_read_inode(&r->img, &r->sb, ino, &ip) != 0)
		return NULL;
	uint64_t nblk = (ip.size + VTFS_BLOCK_SIZE - 1) / VTFS_BLOCK_SIZE;
	uint8_t *buf = calloc(nblk + 1, VTFS_BLOCK_SIZE);
	for (uint64_t i = 0; i < nblk; i++) {
		uint32_t b;
		if (img_bmap(&r->img, &r->sb, &ip, i, &b) != 0 ||
		    (b && img_read(&r->img, b, buf + i * VTFS_BLOCK_SIZE) != 0)) {
			free(buf);
			return NULL;
		}
	}
	*len = ip.size;
	return buf;
}

static uint32_t lookup(struct reader *r, const char *path)
{
	uint32_t ino = VTFS_ROOT_INO;
	char copy[256], *save, *name;
	snprintf(copy, sizeof copy, "%s", path);
	for (name = strtok_r(copy, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		size_t len;
		struct vtfs_dirent *ents = (struct vtfs_dirent *)read_all(r, ino, &len);
		uint32_t next = 0;
		for (size_t i = 0; ents && i < len / sizeof *ents; i++)
			if (ents[i].ino && !strcmp(ents[i].name, name))
				next = ents[i].ino;
		free(ents);
		if (!next)
			return 0;
		ino = next;
	}
	return ino;
}

static void test_round_trip(const char *image)
{
	struct reader r;
	CHECK(reader_open(&r, image, false) == 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t len = 0;
		uint32_t ino = lookup(&r, files[i].path);
		uint8_t *got = ino ? read_all(&r, ino, &len) : NULL;
		uint8_t *want = malloc(files[i].size + 1);
		tt_fill(want, files[i].size, files[i].seed);
		CHECK(got != NULL && len == files[i].size && memcmp(got, want, len) == 0);
		free(got);
		free(want);
	}
	uint32_t many = lookup(&r, "many"), f99 = lookup(&r, "many/file099");
	struct vtfs_inode ip;
	CHECK(many != 0 && f99 != 0);
	CHECK(img_read_inode(&r.img, &r.sb, many, &ip) == 0 && ip.size == 102 * 64 &&
	      ip.nlink == 2);
	CHECK(img_read_inode(&r.img, &r.sb, VTFS_ROOT_INO, &ip) == 0 && ip.nlink == 2 + 3);
	CHECK(lookup(&r, "a/b/..") == lookup(&r, "a") && lookup(&r, "..") == VTFS_ROOT_INO);
	CHECK(lookup(&r, "nosuch") == 0);
	img_close(&r.img);
}

static bool same_file(const char *a, const char *b)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

static void copy_file(const char *from, const char *to)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	if (system(cmd) != 0)
		exit(2);
}

static void test_mkfs_errors(void)
{
	FILE *devnull = fopen("/dev/null", "w");
	char name[128];
	CHECK(vtfs_mkfs(tt_path("small.img"), 256 * 1024, tt_path("tree"), devnull) == -1);
	CHECK(vtfs_mkfs(tt_path("odd.img"), 1000000, tt_path("tree"), devnull) == -1);
	tt_mkdir("longname");
	snprintf(name, sizeof name, "longname/%060d", 0);
	tt_write_file(name, 1, 1);
	CHECK(vtfs_mkfs(tt_path("long.img"), 1 << 20, tt_path("longname"), devnull) == -1);
	CHECK(vtfs_mkfs(tt_path("none.img"), 1 << 20, tt_path("nosuchdir"), devnull) == -1);
	CHECK(vtfs_parse_size("32M") == 32 << 20 && vtfs_parse_size("4096") == 4096);
	CHECK(vtfs_parse_size("1G") == 1 << 30 && vtfs_parse_size("x") == -1);
	CHECK(vtfs_parse_size("12Q") == -1 && vtfs_parse_size("-1") == -1);
	fclose(devnull);
}

/* ---- corruptions ---- */

typedef void (*corrupt_fn)(struct reader *r, char *expect, size_t n);

static void put_inode(struct reader *r, uint32_t ino, const struct vtfs_inode *ip)
{
	struct vtfs_inode blk[VTFS_INODES_PER_BLOCK];
	uint32_t b = vtfs_inode_block(&r->sb, ino);
	if (img_read(&r->img, b, blk) != 0)
		exit(2);
	blk[ino % VTFS_INODES_PER_BLOCK] = *ip;
	if (img_write(&r->img, b, blk) != 0)
		exit(2);
}

static struct vtfs_inode get_inode(struct reader *r, uint32_t ino)
{
	struct vtfs_inode ip;
	if (img_read_inode(&r->img, &r->sb, ino, &ip) != 0)
		exit(2);
	return ip;
}

/* Corrupts one field of inode ino on the image (ip.field = value), the
 * others kept.  A macro because the field is named, not passed. */
#define SET_INODE_FIELD(r, ino, field, value)                                                      \
	do {                                                                                       \
		struct vtfs_inode ip_ = get_inode(r, ino);                                         \
		ip_.field = (value);                                                               \
		put_inode(r, ino, &ip_);                                                           \
	} while (0)

static void flip_bit(struct reader *r, uint32_t start, uint32_t bit)
{
	uint8_t blk[VTFS_BLOCK_SIZE];
	uint32_t b = start + bit / VTFS_BITS_PER_BLOCK;
	if (img_read(&r->img, b, blk) != 0)
		exit(2);
	bit %= VTFS_BITS_PER_BLOCK;
	bit_set(blk, bit, !bit_get(blk, bit));
	if (img_write(&r->img, b, blk) != 0)
		exit(2);
}

/* Rewrites entry slot of directory dir (first block only). */
static void put_dirent(struct reader *r, uint32_t dir, size_t slot, uint32_t ino, const char *name)
{
	struct vtfs_inode ip = get_inode(r, dir);
	struct vtfs_dirent ents[VTFS_DIRENTS_PER_BLOCK];
	if (img_read(&r->img, ip.direct[0], ents) != 0)
		exit(2);
	ents[slot].ino = ino;
	memset(ents[slot].name, 0, sizeof ents[slot].name);
	strncpy(ents[slot].name, name, VTFS_NAME_MAX);
	if (img_write(&r->img, ip.direct[0], ents) != 0)
		exit(2);
}

static void c_magic(struct reader *r, char *expect, size_t n)
{
	uint8_t blk[VTFS_BLOCK_SIZE];
	img_read(&r->img, 0, blk);
	blk[0] ^= 0xff;
	img_write(&r->img, 0, blk);
	snprintf(expect, n, "superblock: magic");
}

static void c_dirty(struct reader *r, char *expect, size_t n)
{
	uint8_t blk[VTFS_BLOCK_SIZE];
	img_read(&r->img, 0, blk);
	((struct vtfs_super *)blk)->state = VTFS_STATE_DIRTY;
	img_write(&r->img, 0, blk);
	snprintf(expect, n, "superblock: state 2");
}

static void c_used_block_free(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "one");
	uint32_t b = get_inode(r, ino).direct[0];
	flip_bit(r, r->sb.bbitmap_start, b);
	snprintf(expect, n, "block %u: used by inode %u but free", b, ino);
}

static void c_free_block_used(struct reader *r, char *expect, size_t n)
{
	uint32_t b = r->sb.nblocks - 1;
	flip_bit(r, r->sb.bbitmap_start, b);
	snprintf(expect, n, "block %u: in use in the block bitmap but no inode", b);
}

static void c_nlink(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "one");
	SET_INODE_FIELD(r, ino, nlink, 5);
	snprintf(expect, n, "inode %u: nlink 5, expected 1", ino);
}

static void c_dir_nlink(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "a");
	SET_INODE_FIELD(r, ino, nlink, 2);
	snprintf(expect, n, "inode %u: nlink 2, expected 3", ino);
}

static void c_entry_to_free(struct reader *r, char *expect, size_t n)
{
	uint32_t free_ino = r->sb.ninodes - 1;
	put_dirent(r, VTFS_ROOT_INO, 2, free_ino, "ghost");
	snprintf(expect, n, "names inode %u, which is not an allocated inode", free_ino);
}

static void c_shared_block(struct reader *r, char *expect, size_t n)
{
	uint32_t one = lookup(r, "one"), page = lookup(r, "page");
	SET_INODE_FIELD(r, page, direct[0], get_inode(r, one).direct[0]);
	snprintf(expect, n, "already used by inode %u", one < page ? one : page);
}

static void c_size_short(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "page1");
	SET_INODE_FIELD(r, ino, size, 10);
	snprintf(expect, n, "inode %u: block 1 allocated beyond the size", ino);
}

static void c_inode_bitmap(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "one");
	flip_bit(r, r->sb.ibitmap_start, ino);
	snprintf(expect, n, "inode %u: inode bitmap says free, expected in use", ino);
}

static void c_orphan(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = r->sb.ninodes - 2;
	struct vtfs_inode ip = { .type = VTFS_T_FILE, .nlink = 1 };
	put_inode(r, ino, &ip);
	flip_bit(r, r->sb.ibitmap_start, ino);
	snprintf(expect, n, "inode %u: allocated (type 2, nlink 1) but not reachable", ino);
}

static void c_dot(struct reader *r, char *expect, size_t n)
{
	uint32_t a = lookup(r, "a");
	put_dirent(r, a, 0, VTFS_ROOT_INO, ".");
	snprintf(expect, n, "inode %u: directory entry 0 is '.' -> 1, expected '.' -> %u", a, a);
}

static void c_out_of_range(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "page");
	SET_INODE_FIELD(r, ino, direct[0], r->sb.nblocks + 100);
	snprintf(expect, n, "inode %u: file block 0 points to block %u, outside the data area", ino,
		 r->sb.nblocks + 100);
}

static void c_two_parents(struct reader *r, char *expect, size_t n)
{
	uint32_t b = lookup(r, "a/b");
	put_dirent(r, VTFS_ROOT_INO, 10, b, "alias"); /* over "page1" */
	snprintf(expect, n, "inode %u: directory named in directory", b);
}

static void c_bad_type(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "ind");
	SET_INODE_FIELD(r, ino, type, 9);
	snprintf(expect, n, "inode %u: type 9", ino);
}

static void c_bad_name(struct reader *r, char *expect, size_t n)
{
	uint32_t a = lookup(r, "a");
	put_dirent(r, a, 2, lookup(r, "a/b"), "x/y");
	snprintf(expect, n, "inode %u: directory entry 2: name 'x/y' is invalid", a);
}

/* A name's newline and escape sequence are shown as \xNN: printed raw they
 * would split the report's line and reach the terminal (found by fuzzing). */
static void c_control_name(struct reader *r, char *expect, size_t n)
{
	uint32_t a = lookup(r, "a");
	put_dirent(r, a, 2, lookup(r, "a/b"), "x/\n\033[2J\\");
	snprintf(expect, n, "inode %u: directory entry 2: name 'x/\\x0a\\x1b[2J\\x5c' is invalid\n",
		 a);
}

static void c_dup_name(struct reader *r, char *expect, size_t n)
{
	uint32_t many = lookup(r, "many");
	put_dirent(r, many, 3, lookup(r, "many/file001"), "file000");
	snprintf(expect, n, "inode %u: directory entry 3: name 'file000' appears twice", many);
}

static void c_dir_size(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "emptydir");
	SET_INODE_FIELD(r, ino, size, 100);
	snprintf(expect, n, "inode %u: directory size 100", ino);
}

static void c_dir_huge(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "emptydir");
	SET_INODE_FIELD(r, ino, size, 64ull << 20);
	snprintf(expect, n, "inode %u: directory size 67108864 needs 16384 blocks", ino);
}

/* A size whose block count wrapped (size + 4095 past 2^64) read a huge
 * directory from a zero-byte buffer (found by fuzz_kfs, 2026-12-07). */
static void c_dir_size_wraps(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "emptydir");
	SET_INODE_FIELD(r, ino, size, ~0ull - 63);
	snprintf(expect, n, "inode %u: directory size 18446744073709551552 needs", ino);
}

static void c_indirect_range(struct reader *r, char *expect, size_t n)
{
	uint32_t ino = lookup(r, "big");
	SET_INODE_FIELD(r, ino, dindirect, 3); /* a metadata block */
	snprintf(expect, n, "inode %u: indirect block for file block 1036 points to block 3", ino);
}

static void test_corruption(const char *image, const char *name, corrupt_fn fn)
{
	struct reader r;
	char expect[256], *text = NULL;
	const char *copy = tt_path(name);
	copy_file(image, copy);
	if (reader_open(&r, copy, true) != 0)
		exit(2);
	fn(&r, expect, sizeof expect);
	img_close(&r.img);
	int problems = tt_fsck(copy, &text);
	bool found = text && strstr(text, expect);
	CHECK(problems > 0 && found);
	if (problems <= 0 || !found)
		printf("  %s: expected '%s' in:\n%s", name, expect, text ? text : "(none)\n");
	free(text);
}

static void test_truncated_image(const char *image)
{
	char *text = NULL;
	const char *copy = tt_path("truncated.img");
	char cmd[512];
	snprintf(cmd, sizeof cmd, "head -c 1048576 '%s' > '%s'", image, copy);
	if (system(cmd) != 0)
		exit(2);
	CHECK(tt_fsck(copy, &text) > 0 && strstr(text, "image holds 256 blocks"));
	free(text);
	CHECK(tt_fsck(tt_path("nosuch.img"), &text) == -1);
	free(text);
}

int main(void)
{
	const char *image = tt_path("disk.img"), *again = tt_path("again.img");
	char *text = NULL;
	make_tree();
	CHECK(vtfs_mkfs(image, 16 << 20, tt_path("tree"), stderr) == 0);
	int problems = tt_fsck(image, &text);
	CHECK(problems == 0);
	if (problems)
		printf("%s", text);
	free(text);
	test_round_trip(image);
	CHECK(vtfs_mkfs(again, 16 << 20, tt_path("tree"), stderr) == 0 && same_file(image, again));
	test_mkfs_errors();
	static const struct {
		const char *name;
		corrupt_fn fn;
	} cases[] = {
		{ "magic", c_magic },
		{ "dirty", c_dirty },
		{ "used_block_free", c_used_block_free },
		{ "free_block_used", c_free_block_used },
		{ "nlink", c_nlink },
		{ "dir_nlink", c_dir_nlink },
		{ "entry_to_free", c_entry_to_free },
		{ "shared_block", c_shared_block },
		{ "size_short", c_size_short },
		{ "inode_bitmap", c_inode_bitmap },
		{ "orphan", c_orphan },
		{ "dot", c_dot },
		{ "out_of_range", c_out_of_range },
		{ "two_parents", c_two_parents },
		{ "bad_type", c_bad_type },
		{ "bad_name", c_bad_name },
		{ "control_name", c_control_name },
		{ "dup_name", c_dup_name },
		{ "dir_size", c_dir_size },
		{ "dir_huge", c_dir_huge },
		{ "dir_size_wraps", c_dir_size_wraps },
		{ "indirect_range", c_indirect_range },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		test_corruption(image, cases[i].name, cases[i].fn);
	test_truncated_image(image);
	return tt_summary();
}
