/*
 * disk_image.c - host file backing the guest disk, and the one validated
 * transfer routine both block devices use (contract in disk_image.h).
 */
#include "disk_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus.h"

struct disk_image {
	int fd;
	bool read_only;
	uint64_t sectors;
	uint8_t *snap; /* snapshot mode: a private copy-on-write mapping */
	size_t snap_len;
};

/* Snapshot mode: the file is mapped privately, so the guest's writes stay
 * in host memory (copied page by page on first write) and the image file
 * is never changed; every run starts from the same disk. */
static int map_snapshot(struct disk_image *d, off_t size)
{
	if (size == 0)
		return 0;
	void *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, d->fd, 0);
	if (p == MAP_FAILED)
		return -1;
	d->snap = p;
	d->snap_len = (size_t)size;
	d->read_only = false;
	return 0;
}

struct disk_image *disk_image_open(const char *path, bool snapshot, char *err, size_t errlen)
{
	bool read_only = false;
	int fd = open(path, (snapshot ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		read_only = true;
	}
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		close(fd);
		fd = -1;
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	}
	if (fd < 0) {
		snprintf(err, errlen, "vtlab: %s: cannot open disk image: %s", path,
			 strerror(errno));
		return NULL;
	}
	off_t size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		snprintf(err, errlen, "vtlab: %s: cannot open disk image: %s", path,
			 strerror(errno));
		close(fd);
		return NULL;
	}
	struct disk_image *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "vtlab: %s: cannot open disk image: %s", path,
			 strerror(ENOMEM));
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->read_only = read_only || snapshot;
	d->sectors = (uint64_t)size / DISK_SECTOR;
	if (snapshot && map_snapshot(d, size) != 0) {
		snprintf(err, errlen, "vtlab: %s: cannot map disk image: %s", path,
			 strerror(errno));
		disk_image_close(d);
		return NULL;
	}
	return d;
}

void disk_image_close(struct disk_image *d)
{
	if (!d)
		return;
	if (d->snap)
		munmap(d->snap, d->snap_len);
	close(d->fd);
	free(d);
}

uint64_t disk_image_sectors(const struct disk_image *d)
{
	return d ? d->sectors : 0;
}

/* pread/pwrite until done: both may legitimately return short counts. */
static bool disk_io(struct disk_image *d, bool write, uint8_t *buf, size_t len, uint64_t off)
{
	if (d->snap) { /* the range was validated against the size */
		if (write)
			memcpy(d->snap + off, buf, len);
		else
			memcpy(buf, d->snap + off, len);
		return true;
	}
	while (len > 0) {
		ssize_t n = write ? pwrite(d->fd, buf, len, (off_t)off)
				  : pread(d->fd, buf, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false; /* error, or the file shrank under us */
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

unsigned disk_transfer(struct machine *m, struct disk_image *d, unsigned op, uint64_t sector,
		       uint64_t paddr, uint64_t nsect)
{
	if (op != DISK_OP_READ && op != DISK_OP_WRITE && op != DISK_OP_FLUSH)
		return DISK_ERR_BAD_OP;
	if (!d)
		return DISK_ERR_NO_MEDIA;
	if (op == DISK_OP_FLUSH)
		return d->snap || d->read_only || fsync(d->fd) == 0 ? DISK_OK : DISK_ERR_IO;
	if (nsect == 0 || nsect > DISK_MAX_SECTORS)
		return DISK_ERR_COUNT;
	/* written so that sector + nsect cannot overflow */
	if (sector > d->sectors || nsect > d->sectors - sector)
		return DISK_ERR_RANGE;
	if (op == DISK_OP_WRITE && d->read_only)
		return DISK_ERR_READ_ONLY;
	uint64_t len = nsect * DISK_SECTOR;
	uint8_t *buf = guest_ram_ptr(m, paddr, len);
	if (!buf)
		return DISK_ERR_DMA;
	if (!disk_io(d, op == DISK_OP_WRITE, buf, (size_t)len, sector * DISK_SECTOR))
		return DISK_ERR_IO;
	return DISK_OK;
}
