/*
 * pager.h - fixed-size pages of one file behind a small page cache (the
 * oltp test's storage, as a database's buffer pool over its data file).
 *
 * Pages are PAGER_PAGE bytes, numbered from 0 (page i at byte i *
 * PAGER_PAGE).  A page number indexes a table of frames (the cache
 * never searches).  pager_get pins a page in a frame until pager_put; the
 * least recently used unpinned frame is evicted, written back first if
 * dirty.  Not thread-safe: the caller serialises (the oltp table lock).
 */
#ifndef SB_PAGER_H
#define SB_PAGER_H

#include <stdint.h>

#define PAGER_PAGE 4096u

struct pager_frame {
	uint32_t pgno;
	uint8_t valid, dirty;
	uint16_t pins;
	uint64_t used; /* LRU tick */
};

struct pager {
	int fd;
	char path[48];
	uint32_t nframes, npages;
	struct pager_frame *frame;
	uint8_t *data;   /* nframes pages */
	uint32_t *where; /* where[pgno]: 1 + its frame, 0 = not cached */
	uint32_t where_cap;
	uint64_t tick;
	uint64_t hits, misses, reads, writes;
};

/* Creates (truncating) the file with nframes frames; 0 or -1. */
int pager_create(struct pager *p, const char *path, uint32_t nframes);
/* Pins page pgno (< npages); NULL on an I/O error. */
uint8_t *pager_get(struct pager *p, uint32_t pgno);
/* Appends a zeroed page, pinned and dirty; stores its number. */
uint8_t *pager_alloc(struct pager *p, uint32_t *pgno);
void pager_dirty(struct pager *p, const uint8_t *page);
void pager_put(struct pager *p, const uint8_t *page);
/* Writes every dirty page back, then fsync; 0 or -1. */
int pager_flush(struct pager *p);
/* Closes the file and frees the cache (the file stays). */
void pager_close(struct pager *p);

#endif
