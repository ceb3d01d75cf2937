/*
 * disk_image.h - the disk image shared by the emulated block controller
 * (dev_blk.c) and the paravirtual block ring (dev_pvblk.c).
 *
 * Contract: the image is a host file of 512-byte sectors (a trailing partial
 * sector is ignored), opened read/write, or read-only when the host denies
 * writing (writes then fail with DISK_ERR_READ_ONLY).  disk_transfer()
 * validates one guest request completely before touching anything: the
 * operation, the presence of media, the sector count, the sector range
 * (overflow-safe) and the guest DMA buffer, which it reaches only through
 * guest_ram_ptr().  It returns a status code that both devices report to the
 * guest unchanged (docs/devices.md "Block status codes").
 */
#ifndef VMM_DISK_IMAGE_H
#define VMM_DISK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct disk_image;

#define DISK_SECTOR 512u
/* Largest transfer of one command or descriptor, in sectors (128 KiB). */
#define DISK_MAX_SECTORS 256u

enum disk_op { DISK_OP_READ = 1, DISK_OP_WRITE = 2, DISK_OP_FLUSH = 3 };

enum disk_status {
	DISK_OK = 0,
	DISK_ERR_NO_MEDIA = 1, /* no disk image attached */
	DISK_ERR_BAD_OP = 2,   /* unknown command / descriptor op */
	DISK_ERR_RANGE = 3,    /* sector range past the end of the disk */
	DISK_ERR_DMA = 4,      /* buffer not wholly inside guest RAM */
	DISK_ERR_IO = 5,       /* host read/write/fsync failed */
	DISK_ERR_COUNT = 6, /* count 0, above DISK_MAX_SECTORS, or length not a multiple of 512 */
	DISK_ERR_READ_ONLY = 7, /* write to an image the host opened read-only */
	DISK_ERR_BAD_RING = 8,  /* pvblk: ring base/size invalid or producer index corrupt */
};

/* Opens path; NULL with "vtlab: <path>: cannot open disk image: <strerror>"
 * in err on failure.  With snapshot, the guest's writes go to a private
 * copy-on-write mapping and the file is never modified. */
struct disk_image *disk_image_open(const char *path, bool snapshot, char *err, size_t errlen);
void disk_image_close(struct disk_image *d);
/* Capacity in sectors; 0 when d is NULL (no media). */
uint64_t disk_image_sectors(const struct disk_image *d);

/* Performs op on nsect sectors from sector, with the guest buffer at
 * guest-physical paddr.  d may be NULL (no media).  For DISK_OP_FLUSH,
 * sector/paddr/nsect are ignored.  Returns an enum disk_status. */
unsigned disk_transfer(struct machine *m, struct disk_image *d, unsigned op, uint64_t sector,
		       uint64_t paddr, uint64_t nsect);

/* The image of the machine's block controller (NULL when there is none);
 * the pvblk ring serves the same image.  Implemented in dev_blk.c. */
struct disk_image *blk_disk_image(const struct machine *m);

#endif
