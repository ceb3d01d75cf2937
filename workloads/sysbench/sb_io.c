/*
 * sb_io.c - positioned whole-block file transfers for fileio and the oltp
 * pager (lseek then read/write until done: the vtlab kernel has no
 * pread/pwrite), and the data directory of the file tests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysbench.h"

static int seek_to(int fd, uint64_t off, const char *what)
{
	if (lseek(fd, (off_t)off, SEEK_SET) != (off_t)off) {
		fprintf(stderr, "sysbench: %s: lseek to %llu: %s\n", what, (unsigned long long)off,
			strerror(errno));
		return -1;
	}
	return 0;
}

int sb_pread_full(int fd, void *buf, uint64_t n, uint64_t off, const char *what)
{
	if (seek_to(fd, off, what) < 0)
		return -1;
	for (uint64_t done = 0; done < n;) {
		ssize_t r = read(fd, (char *)buf + done, n - done);
		if (r <= 0) {
			fprintf(stderr, "sysbench: %s: read at %llu: %s\n", what,
				(unsigned long long)(off + done),
				r == 0 ? "unexpected end of file" : strerror(errno));
			return -1;
		}
		done += (uint64_t)r;
	}
	return 0;
}

int sb_pwrite_full(int fd, const void *buf, uint64_t n, uint64_t off, const char *what)
{
	if (seek_to(fd, off, what) < 0)
		return -1;
	for (uint64_t done = 0; done < n;) {
		ssize_t r = write(fd, (const char *)buf + done, n - done);
		if (r <= 0) {
			fprintf(stderr, "sysbench: %s: write at %llu: %s\n", what,
				(unsigned long long)(off + done),
				r == 0 ? "no progress" : strerror(errno));
			return -1;
		}
		done += (uint64_t)r;
	}
	return 0;
}

int sb_data_dir(void)
{
	if (mkdir(SB_DATA_DIR, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "sysbench: mkdir %s: %s\n", SB_DATA_DIR, strerror(errno));
		return -1;
	}
	return 0;
}
