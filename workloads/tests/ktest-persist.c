/*
 * ktest-persist.c - file-system consistency across a reboot.
 *
 *   ktest-persist write    creates /persist: 3 directories of files of
 *                          deterministic content (sizes from 0 to 300 KB,
 *                          some past the direct blocks), deletes some,
 *                          rewrites others, then fsync + sync
 *   ktest-persist verify   (the next boot, same disk) checks that exactly
 *                          the surviving files exist with their content
 *
 * run-ktest.sh runs the two on consecutive boots of one image.  Exit 0
 * when every check passed.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "ktest.h"

#define ROOT "/persist"
#define NDIRS 3
#define NFILES 20

static size_t file_size(int d, int f)
{
	return (size_t)((d * 7919 + f * 104729) % 300000);
}

static uint64_t file_seed(int d, int f, int version)
{
	return 1 + (uint64_t)(d * 1000 + f) * 3 + version;
}

/* Files f % 5 == 0 are deleted after writing; f % 3 == 0 rewritten (version 1). */
static int is_deleted(int f)
{
	return f % 5 == 0;
}
static int version_of(int f)
{
	return f % 3 == 0 ? 1 : 0;
}

static void path_of(char *p, size_t n, int d, int f)
{
	snprintf(p, n, ROOT "/d%d/f%02d", d, f);
}

static void gen(unsigned char *b, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = kt_rand(&seed);
		memcpy(b + i, &v, n - i < 8 ? n - i : 8);
	}
}

static unsigned char buf[300008], back[300008];

static int write_file(int d, int f, int version)
{
	char p[64];
	path_of(p, sizeof p, d, f);
	size_t n = file_size(d, f) + (size_t)version * 1000;
	gen(buf, n, file_seed(d, f, version));
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, buf, n) == (ssize_t)n && fsync(fd) == 0;
	return close(fd) == 0 && ok;
}

static void do_write(void)
{
	KT_EQ(mkdir(ROOT, 0755), 0);
	int bad = 0;
	for (int d = 0; d < NDIRS; d++) {
		char p[64];
		snprintf(p, sizeof p, ROOT "/d%d", d);
		bad += mkdir(p, 0755) != 0;
		for (int f = 0; f < NFILES; f++)
			bad += !write_file(d, f, 0);
	}
	for (int d = 0; d < NDIRS; d++) {
		for (int f = 0; f < NFILES; f++) {
			char p[64];
			path_of(p, sizeof p, d, f);
			if (is_deleted(f))
				bad += unlink(p) != 0;
			else if (version_of(f))
				bad += !write_file(d, f, 1);
		}
	}
	KT_EQ(bad, 0);
	KT_EQ(sync_fs(), 0);
}

static void do_verify(void)
{
	int bad_exist = 0, bad_content = 0, extra = 0;
	for (int d = 0; d < NDIRS; d++) {
		for (int f = 0; f < NFILES; f++) {
			char p[64];
			path_of(p, sizeof p, d, f);
			int fd = open(p, O_RDONLY);
			if (is_deleted(f)) {
				bad_exist += fd >= 0;
				if (fd >= 0)
					close(fd);
				continue;
			}
			if (fd < 0) {
				bad_exist++;
				printf("missing %s\n", p);
				continue;
			}
			size_t n = file_size(d, f) + (size_t)version_of(f) * 1000;
			gen(buf, n, file_seed(d, f, version_of(f)));
			ssize_t got = read(fd, back, sizeof back);
			if (got != (ssize_t)n || memcmp(buf, back, n) != 0) {
				bad_content++;
				printf("wrong content in %s: %ld bytes, expected %zu\n", p,
				       (long)got, n);
			}
			close(fd);
		}
		char p[64];
		snprintf(p, sizeof p, ROOT "/d%d", d);
		DIR *dir = opendir(p);
		struct dirent *e;
		int entries = 0;
		while (dir && (e = readdir(dir)))
			entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
		if (dir)
			closedir(dir);
		extra += entries != NFILES - NFILES / 5;
	}
	KT_EQ(bad_exist, 0);
	KT_EQ(bad_content, 0);
	KT_EQ(extra, 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "write") == 0)
		do_write();
	else if (argc == 2 && strcmp(argv[1], "verify") == 0)
		do_verify();
	else {
		printf("usage: ktest-persist write|verify\n");
		return 2;
	}
	return kt_finish(argc == 2 && strcmp(argv[1], "write") == 0 ? "ktest-persist write"
								    : "ktest-persist verify");
}
