/*
 * pager.c - the oltp test's page cache over a file (pager.h): frames
 * found through a per-page table, LRU victims among unpinned frames (a
 * scan: the cache is small), write-back on eviction and at pager_flush.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pager.h"
#include "sysbench.h"

int pager_create(struct pager *p, const char *path, uint32_t nframes)
{
	memset(p, 0, sizeof *p);
	snprintf(p->path, sizeof p->path, "%s", path);
	p->nframes = nframes;
	p->frame = calloc(nframes, sizeof *p->frame);
	p->data = malloc((size_t)nframes * PAGER_PAGE);
	p->fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!p->frame || !p->data || p->fd < 0) {
		fprintf(stderr, "sysbench: pager.c: create %s with %u frames: %s\n", path, nframes,
			p->fd < 0 ? strerror(errno) : "out of memory");
		return -1;
	}
	return 0;
}

static uint32_t frame_of(const struct pager *p, const uint8_t *page)
{
	return (uint32_t)((size_t)(page - p->data) / PAGER_PAGE);
}

static int write_back(struct pager *p, uint32_t f)
{
	struct pager_frame *fr = &p->frame[f];
	if (!fr->valid || !fr->dirty)
		return 0;
	p->writes++;
	if (sb_pwrite_full(p->fd, p->data + (size_t)f * PAGER_PAGE, PAGER_PAGE,
			   (uint64_t)fr->pgno * PAGER_PAGE, p->path) < 0)
		return -1;
	fr->dirty = 0;
	return 0;
}

/* Drops frame f's page from the page table (its data is written back). */
static void forget(struct pager *p, uint32_t f)
{
	if (p->frame[f].valid)
		p->where[p->frame[f].pgno] = 0;
	p->frame[f].valid = 0;
}

static int grow_where(struct pager *p)
{
	uint32_t cap = p->where_cap ? 2 * p->where_cap : 1024;
	uint32_t *w = realloc(p->where, cap * sizeof *w);
	if (!w) {
		fprintf(stderr, "sysbench: pager.c: %s: out of memory for %u pages\n", p->path,
			cap);
		return -1;
	}
	memset(w + p->where_cap, 0, (cap - p->where_cap) * sizeof *w);
	p->where = w;
	p->where_cap = cap;
	return 0;
}

/* A frame to reuse: a free one, else the least recently used unpinned. */
static int victim(struct pager *p)
{
	int best = -1;
	for (uint32_t f = 0; f < p->nframes; f++) {
		struct pager_frame *fr = &p->frame[f];
		if (!fr->valid)
			return (int)f;
		if (fr->pins == 0 && (best < 0 || fr->used < p->frame[best].used))
			best = (int)f;
	}
	if (best < 0)
		fprintf(stderr, "sysbench: pager.c: %s: all %u frames pinned\n", p->path,
			p->nframes);
	else if (write_back(p, (uint32_t)best) < 0)
		return -1;
	return best;
}

static uint8_t *pin(struct pager *p, uint32_t f)
{
	p->frame[f].pins++;
	p->frame[f].used = ++p->tick;
	return p->data + (size_t)f * PAGER_PAGE;
}

uint8_t *pager_get(struct pager *p, uint32_t pgno)
{
	if (pgno >= p->npages) {
		fprintf(stderr, "sysbench: pager.c: %s: page %u beyond the %u pages\n", p->path,
			pgno, p->npages);
		return NULL;
	}
	if (p->where[pgno]) {
		p->hits++;
		return pin(p, p->where[pgno] - 1);
	}
	int f = victim(p);
	if (f < 0)
		return NULL;
	struct pager_frame *fr = &p->frame[f];
	forget(p, (uint32_t)f);
	p->misses++;
	p->reads++;
	if (sb_pread_full(p->fd, p->data + (size_t)f * PAGER_PAGE, PAGER_PAGE,
			  (uint64_t)pgno * PAGER_PAGE, p->path) < 0)
		return NULL;
	fr->valid = 1;
	fr->dirty = 0;
	fr->pgno = pgno;
	fr->pins = 0;
	p->where[pgno] = (uint32_t)f + 1;
	return pin(p, (uint32_t)f);
}

uint8_t *pager_alloc(struct pager *p, uint32_t *pgno)
{
	if (p->npages == p->where_cap && grow_where(p) < 0)
		return NULL;
	int f = victim(p);
	if (f < 0)
		return NULL;
	struct pager_frame *fr = &p->frame[f];
	forget(p, (uint32_t)f);
	*pgno = p->npages++;
	p->where[*pgno] = (uint32_t)f + 1;
	memset(p->data + (size_t)f * PAGER_PAGE, 0, PAGER_PAGE);
	fr->valid = 1;
	fr->dirty = 1; /* extends the file at write-back */
	fr->pgno = *pgno;
	fr->pins = 0;
	return pin(p, (uint32_t)f);
}

void pager_dirty(struct pager *p, const uint8_t *page)
{
	p->frame[frame_of(p, page)].dirty = 1;
}

void pager_put(struct pager *p, const uint8_t *page)
{
	struct pager_frame *fr = &p->frame[frame_of(p, page)];
	if (fr->pins)
		fr->pins--;
}

int pager_flush(struct pager *p)
{
	for (uint32_t f = 0; f < p->nframes; f++)
		if (write_back(p, f) < 0)
			return -1;
	if (fsync(p->fd) < 0) {
		fprintf(stderr, "sysbench: pager.c: fsync %s: %s\n", p->path, strerror(errno));
		return -1;
	}
	return 0;
}

void pager_close(struct pager *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->frame);
	free(p->data);
	free(p->where);
	p->where = NULL;
	p->frame = NULL;
	p->data = NULL;
	p->fd = -1;
}
