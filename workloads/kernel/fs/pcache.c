/*
 * pcache.c - the page cache: file and directory contents in 4 KiB pages
 * keyed by (inode number, file block), as Linux's page cache keyed by
 * (address_space, index).  A hash table finds pages; an LRU list picks
 * victims (least recently used page nobody holds); a dirty list feeds
 * write-back at sync/fsync (pcache_flush, batched: one doorbell per batch
 * on the PV ring) and at eviction.  Pages outlive the in-memory inode, so
 * a file read again after its inode left the inode table is still cached.
 *
 * Locking: one spinlock for the hash, the lists, ref and dirty; a page's
 * sleeplock for its data and blockno.  A dirty page always has a disk
 * block (writei allocates it first), so write-back needs no inode lock.
 */
#include "fs.h"

#define NHASH 4096
#define FLUSH_BATCH 32
#define MIN_PAGES 64

static struct {
	struct spinlock lock;
	struct sleeplock flush_lock; /* one flusher at a time */
	struct page *hash[NHASH];
	struct page lru;   /* lru.lnext: most recently used */
	struct page dirty; /* dirty list */
	uint64_t count, limit;
} pc;

static unsigned hash_of(uint32_t inum, uint64_t idx)
{
	return (unsigned)((inum * 2654435761u) ^ (idx * 40503u)) % NHASH;
}

void pcache_init(void)
{
	memset(&pc, 0, sizeof pc); /* a fresh mount (the host tests remount) */
	spin_init(&pc.lock, "pcache");
	sleep_init(&pc.flush_lock, "pflush");
	pc.lru.lnext = pc.lru.lprev = &pc.lru;
	pc.dirty.dnext = pc.dirty.dprev = &pc.dirty;
	/* A quarter of free memory: the rest is for processes (mm cannot
	 * take pages back from here except through fs_reclaim). */
	pc.limit = mm_free_pages() / 4;
	if (pc.limit < MIN_PAGES)
		pc.limit = MIN_PAGES;
}

uint64_t pcache_pages(void)
{
	return pc.limit;
}

/* ---- list helpers (pc.lock held) ---- */

static void lru_unlink(struct page *p)
{
	p->lprev->lnext = p->lnext;
	p->lnext->lprev = p->lprev;
}

static void lru_front(struct page *p)
{
	p->lnext = pc.lru.lnext;
	p->lprev = &pc.lru;
	pc.lru.lnext->lprev = p;
	pc.lru.lnext = p;
}

static void set_dirty(struct page *p, bool dirty)
{
	if (p->dirty == dirty)
		return;
	p->dirty = dirty;
	if (dirty) {
		p->dnext = pc.dirty.dnext;
		p->dprev = &pc.dirty;
		pc.dirty.dnext->dprev = p;
		pc.dirty.dnext = p;
	} else {
		p->dprev->dnext = p->dnext;
		p->dnext->dprev = p->dprev;
	}
}

static struct page *lookup(uint32_t inum, uint64_t idx)
{
	for (struct page *p = pc.hash[hash_of(inum, idx)]; p; p = p->hnext)
		if (p->inum == inum && p->idx == idx)
			return p;
	return NULL;
}

/* Takes p out of the hash and the lists; freed at its last pput. */
static void kill(struct page *p)
{
	struct page **pp = &pc.hash[hash_of(p->inum, p->idx)];
	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	set_dirty(p, false);
	lru_unlink(p);
	p->dead = true;
	pc.count--;
}

static void page_destroy(struct page *p)
{
	page_free(p->data);
	kfree(p);
}

void pput(struct page *pg)
{
	bool destroy;
	sleep_unlock(&pg->lock);
	spin_lock(&pc.lock);
	destroy = --pg->ref == 0 && pg->dead;
	spin_unlock(&pc.lock);
	if (destroy)
		page_destroy(pg);
}

void pput_discard(struct page *pg)
{
	spin_lock(&pc.lock);
	if (!pg->dead)
		kill(pg);
	spin_unlock(&pc.lock);
	pput(pg);
}

void pdirty(struct page *pg)
{
	fs_touch();
	spin_lock(&pc.lock);
	set_dirty(pg, true);
	spin_unlock(&pc.lock);
}

static int write_page(struct page *p)
{
	if (p->blockno == 0) { /* cannot happen: writei maps before dirtying */
		kprintf("vtfs: inode %u block %llu: dirty page without a disk block\n", p->inum,
			(unsigned long long)p->idx);
		return -VTLAB_EIO;
	}
	return blk_write((uint64_t)p->blockno * VTFS_SECTORS_PER_BLOCK, p->data,
			 VTFS_SECTORS_PER_BLOCK);
}

/* ---- eviction ---- */

/* Evicts the least recently used page nobody holds (writing it back if
 * dirty); false if every page is held. */
static bool evict_one(void)
{
	struct page *p;
	spin_lock(&pc.lock);
	for (p = pc.lru.lprev; p != &pc.lru; p = p->lprev)
		if (p->ref == 0)
			break;
	if (p == &pc.lru) {
		spin_unlock(&pc.lock);
		return false;
	}
	p->ref = 1;
	spin_unlock(&pc.lock);
	/* The page stays on the dirty list until it is written (under its
	 * lock, which pdirty's callers hold too): a flusher (a sync) finds
	 * it and waits for that write.  Marking it clean before the write
	 * let a sync meanwhile skip it and write state = CLEAN with the
	 * data not on disk (found by review, test_kfs
	 * test_evict_sync_race). */
	sleep_lock(&p->lock);
	spin_lock(&pc.lock);
	bool dirty = p->dirty;
	spin_unlock(&pc.lock);
	int rc = dirty ? write_page(p) : 0;
	spin_lock(&pc.lock);
	if (rc == 0 && dirty)
		set_dirty(p, false);
	if (rc == 0 && p->ref == 1 && !p->dirty)
		kill(p); /* nobody looked it up meanwhile */
	spin_unlock(&pc.lock);
	pput(p);
	return rc == 0;
}

uint64_t fs_reclaim(uint64_t npages)
{
	uint64_t n = 0;
	while (n < npages && evict_one())
		n++;
	return n;
}

static uint8_t *alloc_data(void)
{
	for (int tries = 0; tries < 64; tries++) {
		if (pc.count < pc.limit) {
			uint8_t *d = page_alloc();
			if (d)
				return d;
		}
		if (!evict_one())
			break;
	}
	return page_alloc();
}

/* ---- lookup and fill ---- */

static int fill_page(struct inode *ip, struct page *p, bool fill)
{
	int rc = bmap(ip, p->idx, false, &p->blockno);
	if (rc)
		return rc;
	if (p->blockno == 0) {
		p->uptodate = true; /* a hole: page_alloc zeroed the data */
		return 0;
	}
	if (!fill)
		return 0; /* the caller overwrites it all, or drops it */
	if ((rc = blk_read((uint64_t)p->blockno * VTFS_SECTORS_PER_BLOCK, p->data,
			   VTFS_SECTORS_PER_BLOCK)) != 0)
		return rc;
	p->uptodate = true;
	return 0;
}

int pget(struct inode *ip, uint64_t idx, bool fill, struct page **out)
{
	struct page *p, *fresh = NULL;
	for (;;) {
		spin_lock(&pc.lock);
		p = lookup(ip->inum, idx);
		if (p) {
			p->ref++;
			lru_unlink(p);
			lru_front(p);
			spin_unlock(&pc.lock);
			if (fresh)
				page_destroy(fresh); /* lost a race: never visible */
			fresh = NULL;
			sleep_lock(&p->lock);
			if (p->dead) { /* its fill failed, or it was dropped */
				pput(p);
				continue;
			}
			*out = p;
			return 0;
		}
		if (fresh)
			break;
		spin_unlock(&pc.lock);
		fresh = kmalloc(sizeof *fresh);
		uint8_t *data = fresh ? alloc_data() : NULL;
		if (!data) {
			kfree(fresh);
			return -VTLAB_ENOMEM;
		}
		memset(fresh, 0, sizeof *fresh);
		fresh->data = data;
		fresh->inum = ip->inum;
		fresh->idx = idx;
		fresh->ref = 1;
		sleep_init(&fresh->lock, "page");
		sleep_lock(&fresh->lock); /* before it is visible: fillers wait */
	}
	/* fresh is not in the cache (lock held since the last check). */
	unsigned h = hash_of(ip->inum, idx);
	fresh->hnext = pc.hash[h];
	pc.hash[h] = fresh;
	lru_front(fresh);
	pc.count++;
	spin_unlock(&pc.lock);
	int rc = fill_page(ip, fresh, fill);
	if (rc) {
		spin_lock(&pc.lock);
		kill(fresh);
		spin_unlock(&pc.lock);
		pput(fresh);
		return rc;
	}
	*out = fresh;
	return 0;
}

/* ---- truncation ---- */

static void drop_one(struct page *p)
{
	/* Pinned by the caller; wait for a flusher or evictor writing it. */
	sleep_lock(&p->lock);
	spin_lock(&pc.lock);
	if (!p->dead)
		kill(p);
	spin_unlock(&pc.lock);
	pput(p);
}

void pcache_drop(uint32_t inum, uint64_t from, uint64_t to)
{
	struct page *p;
	if (to > from && to - from <= pc.count) {
		for (uint64_t idx = from; idx < to; idx++) {
			spin_lock(&pc.lock);
			p = lookup(inum, idx);
			if (p)
				p->ref++;
			spin_unlock(&pc.lock);
			if (p)
				drop_one(p);
		}
		return;
	}
	/* Many blocks: walk the cached pages instead (restart after each). */
	for (;;) {
		spin_lock(&pc.lock);
		for (p = pc.lru.lnext; p != &pc.lru; p = p->lnext)
			if (p->inum == inum && p->idx >= from && p->idx < to)
				break;
		if (p == &pc.lru) {
			spin_unlock(&pc.lock);
			return;
		}
		p->ref++;
		spin_unlock(&pc.lock);
		drop_one(p);
	}
}

/* ---- write-back ---- */

/* Pins up to FLUSH_BATCH dirty pages (of inum, or any if 0). */
static unsigned pick_dirty(uint32_t inum, struct page **batch)
{
	unsigned n = 0;
	spin_lock(&pc.lock);
	for (struct page *p = pc.dirty.dnext; p != &pc.dirty && n < FLUSH_BATCH; p = p->dnext)
		if (inum == 0 || p->inum == inum) {
			p->ref++;
			batch[n++] = p;
		}
	spin_unlock(&pc.lock);
	return n;
}

int pcache_flush(uint32_t inum)
{
	struct page *batch[FLUSH_BATCH];
	struct blk_req reqs[FLUSH_BATCH];
	bool wrote[FLUSH_BATCH];
	int rc = 0;
	sleep_lock(&pc.flush_lock);
	for (unsigned n; rc == 0 && (n = pick_dirty(inum, batch)) > 0;) {
		unsigned nreq = 0;
		for (unsigned i = 0; i < n; i++) {
			struct page *p = batch[i];
			sleep_lock(&p->lock);
			spin_lock(&pc.lock);
			bool write = p->dirty && !p->dead && p->blockno != 0;
			set_dirty(p, false);
			spin_unlock(&pc.lock);
			wrote[i] = write;
			if (write)
				reqs[nreq++] = (struct blk_req){
					BLK_OP_WRITE, VTFS_SECTORS_PER_BLOCK,
					(uint64_t)p->blockno * VTFS_SECTORS_PER_BLOCK, p->data
				};
		}
		if (nreq && blk_submit(reqs, nreq) != 0)
			rc = -VTLAB_EIO;
		for (unsigned i = 0; i < n; i++) {
			if (rc && wrote[i]) { /* keep the data for a later try */
				spin_lock(&pc.lock);
				if (!batch[i]->dead)
					set_dirty(batch[i], true);
				spin_unlock(&pc.lock);
			}
			pput(batch[i]);
		}
	}
	sleep_unlock(&pc.flush_lock);
	return rc;
}
