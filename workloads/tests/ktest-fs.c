/*
 * ktest-fs.c - the file system through POSIX and stdio: create, write,
 * read, seek, truncate (shrink and grow), append, unlink (also of an open
 * file), mkdir/rmdir, readdir; a big file past the direct and indirect
 * blocks (vtlab/fs_format.h: 12 direct + 1024 indirect 4 KiB blocks, so
 * beyond 4.25 MB it uses the double-indirect block), a sparse file whose
 * holes read as zeros, many files in one directory, and a write that faults
 * part way (nothing it copied shows past the end).  Works in /tmp/fs.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "ktest.h"

#define D "/tmp/fs"

static void fill_pattern(unsigned char *b, size_t n, uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((off + i) * 131 + ((off + i) >> 12));
}

static ssize_t pread_like(int fd, void *b, off_t off, size_t n)
{
	return lseek(fd, off, SEEK_SET) == off ? read(fd, b, n) : -1;
}

static void test_basic(void)
{
	int fd = open(D "/a", O_CREAT | O_RDWR | O_TRUNC, 0644);
	KT_CHECK(fd >= 0, "open");
	KT_EQ(write(fd, "0123456789", 10), 10);
	KT_EQ(lseek(fd, 4, SEEK_SET), 4);
	KT_EQ(write(fd, "ab", 2), 2);
	char b[32] = { 0 };
	KT_EQ(pread_like(fd, b, 0, sizeof b), 10);
	KT_CHECK(strcmp(b, "0123ab6789") == 0, "content '%s'", b);
	KT_EQ(ftruncate(fd, 3), 0);
	struct stat st;
	KT_EQ(fstat(fd, &st), 0);
	KT_EQ(st.st_size, 3);
	KT_EQ(ftruncate(fd, 10000), 0); /* grows with zeros */
	memset(b, 1, sizeof b);
	KT_EQ(lseek(fd, 2, SEEK_SET), 2);
	KT_EQ(read(fd, b, 4), 4);
	KT_CHECK(b[0] == '2' && b[1] == 0 && b[2] == 0 && b[3] == 0, "after grow %d %d %d %d", b[0],
		 b[1], b[2], b[3]);
	KT_EQ(lseek(fd, 0, SEEK_END), 10000);
	KT_EQ(close(fd), 0);

	/* O_APPEND writes at the end whatever the offset. */
	fd = open(D "/a", O_WRONLY | O_APPEND);
	KT_EQ(lseek(fd, 0, SEEK_SET), 0);
	KT_EQ(write(fd, "END", 3), 3);
	KT_EQ(close(fd), 0);
	KT_EQ(stat(D "/a", &st), 0);
	KT_EQ(st.st_size, 10003);
	/* O_TRUNC empties it. */
	fd = open(D "/a", O_WRONLY | O_TRUNC);
	KT_EQ(close(fd), 0);
	KT_EQ(stat(D "/a", &st), 0);
	KT_EQ(st.st_size, 0);

	/* An unlinked file stays readable while open. */
	fd = open(D "/a", O_RDWR);
	KT_EQ(write(fd, "keep", 4), 4);
	KT_EQ(unlink(D "/a"), 0);
	KT_EQ(stat(D "/a", &st), -1);
	KT_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(b, 0, sizeof b);
	KT_EQ(read(fd, b, sizeof b), 4);
	KT_CHECK(strcmp(b, "keep") == 0, "unlinked content '%s'", b);
	KT_EQ(close(fd), 0);
}

static void test_stdio(void)
{
	FILE *f = fopen(D "/s.txt", "w");
	KT_CHECK(f != NULL, "fopen w");
	if (!f)
		return;
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %d %s\n", i, i % 2 ? "odd" : "even");
	KT_EQ(fclose(f), 0);
	f = fopen(D "/s.txt", "r");
	KT_CHECK(f != NULL, "fopen r");
	if (!f)
		return;
	char line[64];
	int n = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		char want[64];
		snprintf(want, sizeof want, "line %d %s\n", n, n % 2 ? "odd" : "even");
		bad += strcmp(line, want) != 0;
		n++;
	}
	KT_EQ(n, 1000);
	KT_EQ(bad, 0);
	KT_EQ(fseek(f, 5, SEEK_SET), 0);
	KT_EQ(fgetc(f), '0');
	fclose(f);
	KT_EQ(unlink(D "/s.txt"), 0);
}

/* Writes size bytes in chunks, reads them back in other-sized chunks. */
static void test_big(size_t size)
{
	static unsigned char buf[65536], back[40000];
	int fd = open(D "/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	KT_CHECK(fd >= 0, "open big");
	size_t bad_w = 0, bad_r = 0;
	for (size_t off = 0; off < size; off += sizeof buf) {
		size_t n = size - off < sizeof buf ? size - off : sizeof buf;
		fill_pattern(buf, n, off);
		bad_w += write(fd, buf, n) != (ssize_t)n;
	}
	KT_EQ(bad_w, 0);
	KT_EQ(fsync(fd), 0);
	KT_EQ(close(fd), 0);
	struct stat st;
	KT_EQ(stat(D "/big", &st), 0);
	KT_EQ(st.st_size, (long long)size);
	fd = open(D "/big", O_RDONLY);
	for (size_t off = 0; off < size; off += sizeof back) {
		size_t n = size - off < sizeof back ? size - off : sizeof back;
		fill_pattern(buf, n, off);
		if (read(fd, back, n) != (ssize_t)n || memcmp(buf, back, n) != 0)
			bad_r++;
	}
	KT_EQ(bad_r, 0);
	KT_EQ(read(fd, back, 1), 0);
	/* Random reads across the three kinds of blocks. */
	uint64_t seed = 12345;
	size_t bad_rand = 0;
	for (int i = 0; i < 64; i++) {
		size_t off = kt_rand(&seed) % (size - 100);
		fill_pattern(buf, 100, off);
		if (lseek(fd, (off_t)off, SEEK_SET) != (off_t)off || read(fd, back, 100) != 100 ||
		    memcmp(buf, back, 100) != 0)
			bad_rand++;
	}
	KT_EQ(bad_rand, 0);
	KT_EQ(close(fd), 0);
	KT_EQ(unlink(D "/big"), 0);
}

static void test_sparse(void)
{
	int fd = open(D "/sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
	off_t far = 9 << 20; /* in the double-indirect range */
	KT_EQ(lseek(fd, far, SEEK_SET), far);
	KT_EQ(write(fd, "Z", 1), 1);
	struct stat st;
	KT_EQ(fstat(fd, &st), 0);
	KT_EQ(st.st_size, far + 1);
	char b[4096];
	memset(b, 7, sizeof b);
	KT_EQ(lseek(fd, 5 << 20, SEEK_SET), 5 << 20);
	KT_EQ(read(fd, b, sizeof b), (long)sizeof b);
	size_t nonzero = 0;
	for (size_t i = 0; i < sizeof b; i++)
		nonzero += b[i] != 0;
	KT_EQ(nonzero, 0);
	KT_EQ(lseek(fd, far, SEEK_SET), far);
	KT_EQ(read(fd, b, 2), 1);
	KT_EQ(b[0], 'Z');
	KT_EQ(close(fd), 0);
	KT_EQ(unlink(D "/sparse"), 0);
}

static void test_dirs(void)
{
	enum { N = 300 };
	KT_EQ(mkdir(D "/many", 0755), 0);
	KT_EQ(mkdir(D "/many/sub", 0755), 0);
	char path[96];
	int bad = 0;
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof path, D "/many/file-with-a-longish-name-%04d", i);
		int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
		bad += fd < 0 || write(fd, path, strlen(path)) != (ssize_t)strlen(path) ||
		       close(fd);
	}
	KT_EQ(bad, 0);
	static unsigned char seen[N];
	int files = 0, dirs = 0, dots = 0, other = 0;
	DIR *d = opendir(D "/many");
	KT_CHECK(d != NULL, "opendir");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int i;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			dots++;
		else if (strcmp(e->d_name, "sub") == 0 && e->d_type == DT_DIR)
			dirs++;
		else if (sscanf(e->d_name, "file-with-a-longish-name-%d", &i) == 1 && i >= 0 &&
			 i < N && e->d_type == DT_REG && !seen[i]++)
			files++;
		else
			other++;
	}
	if (d)
		closedir(d);
	KT_EQ(files, N);
	KT_EQ(dirs, 1);
	KT_EQ(other, 0);
	KT_CHECK(dots == 0 || dots == 2, "'.' and '..' both or neither: %d", dots);
	/* Contents survive; then everything goes. */
	bad = 0;
	for (int i = 0; i < N; i++) {
		char back[96] = { 0 };
		snprintf(path, sizeof path, D "/many/file-with-a-longish-name-%04d", i);
		int fd = open(path, O_RDONLY);
		bad += fd < 0 || read(fd, back, sizeof back) != (ssize_t)strlen(path) ||
		       strcmp(back, path) != 0;
		close(fd);
		bad += unlink(path) != 0;
	}
	KT_EQ(bad, 0);
	KT_EQ(rmdir(D "/many"), -1); /* sub is still there */
	KT_EQ(rmdir(D "/many/sub"), 0);
	KT_EQ(rmdir(D "/many"), 0);
	struct stat st;
	KT_EQ(stat(D "/many", &st), -1);
	/* Nested directories. */
	KT_EQ(mkdir(D "/x", 0755), 0);
	KT_EQ(mkdir(D "/x/y", 0755), 0);
	KT_EQ(mkdir(D "/x/y/z", 0755), 0);
	int fd = open(D "/x/y/z/f", O_CREAT | O_WRONLY, 0644);
	KT_CHECK(fd >= 0, "deep create");
	close(fd);
	KT_EQ(unlink(D "/x/y/z/f"), 0);
	KT_EQ(rmdir(D "/x/y/z"), 0);
	KT_EQ(rmdir(D "/x/y"), 0);
	KT_EQ(rmdir(D "/x"), 0);
}

/* A directory removed while it is the cwd stays usable as a reference
 * but takes no new names (Linux: ENOENT); a file or directory made in it
 * would be unreachable and never freed. */
static void test_removed_cwd(void)
{
	KT_EQ(mkdir(D "/gone", 0755), 0);
	KT_EQ(chdir(D "/gone"), 0);
	KT_EQ(rmdir(D "/gone"), 0);
	errno = 0;
	int fd = open("f", O_CREAT | O_WRONLY, 0644);
	KT_EQ(fd, -1);
	KT_EQ(errno, ENOENT);
	if (fd >= 0)
		close(fd);
	errno = 0;
	KT_EQ(mkdir("sub", 0755), -1);
	KT_EQ(errno, ENOENT);
	KT_EQ(chdir("/"), 0);
	struct stat st;
	KT_EQ(stat(D "/gone", &st), -1);
}

/* A write whose user buffer runs into an unmapped page fails with
 * EFAULT; the bytes it copied before the fault lay past the end of the
 * file and must not show up when ftruncate extends the file (POSIX: the
 * extended part reads as zeros). */
static void test_write_fault(void)
{
	long pg = 4096;
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(m != MAP_FAILED, "mmap two pages");
	if (m == MAP_FAILED)
		return;
	KT_EQ(munmap(m + pg, pg), 0);
	memset(m, 'x', pg);
	int fd = open(D "/fault", O_CREAT | O_RDWR | O_TRUNC, 0644);
	KT_EQ(write(fd, "0123456789", 10), 10);
	errno = 0;
	KT_EQ(write(fd, m + pg - 100, 200), -1); /* 100 bytes, then the hole */
	KT_EQ(errno, EFAULT);
	KT_EQ(ftruncate(fd, pg), 0);
	char b[4096];
	KT_EQ(pread_like(fd, b, 0, sizeof b), (long)sizeof b);
	size_t nonzero = 0;
	for (size_t i = 10; i < sizeof b; i++)
		nonzero += b[i] != 0;
	KT_EQ(nonzero, 0);
	KT_EQ(memcmp(b, "0123456789", 10), 0);
	KT_EQ(close(fd), 0);
	KT_EQ(unlink(D "/fault"), 0);
	KT_EQ(munmap(m, pg), 0);
}

int main(void)
{
	mkdir("/tmp", 0755);
	KT_EQ(mkdir(D, 0755), 0);
	test_basic();
	test_stdio();
	test_big(5u << 20);
	test_sparse();
	test_dirs();
	test_removed_cwd();
	test_write_fault();
	KT_EQ(rmdir(D), 0);
	sync();
	return kt_finish("ktest-fs");
}
