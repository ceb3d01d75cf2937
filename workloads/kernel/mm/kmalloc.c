/*
 * kmalloc.c - small kernel objects: power-of-two size classes from 16 to
 * 2048 bytes carved out of pages (one class per page, a 16-byte page header
 * names the class), and whole pages for 2049..4096 bytes.  Larger requests
 * return NULL (there is no contiguous allocation after boot).
 *
 * kfree tells the two apart by alignment: slab objects never start on a
 * page boundary (the header is there), whole-page allocations always do.
 */
#include "mm_priv.h"

#define MIN_SHIFT 4
#define MAX_SHIFT 11
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define HDR 16

struct slab_hdr {
	uint32_t cls;
	uint32_t magic;
};
#define SLAB_MAGIC 0x6b6d616cu /* "kmal" */

struct free_obj {
	struct free_obj *next;
};

static struct spinlock km_lock = { 0, -1, "kmalloc" };
static struct free_obj *km_free[NCLASS];

static unsigned class_of(size_t n)
{
	unsigned c = 0;
	while (((size_t)1 << (c + MIN_SHIFT)) < n)
		c++;
	return c;
}

/* Splits a fresh page into objects of class c (lock held). */
static bool refill(unsigned c)
{
	uint8_t *page = page_alloc();
	if (!page)
		return false;
	struct slab_hdr *h = (struct slab_hdr *)page;
	h->cls = c;
	h->magic = SLAB_MAGIC;
	size_t sz = (size_t)1 << (c + MIN_SHIFT);
	size_t first = sz < HDR ? HDR : sz; /* objects stay size-aligned */
	for (size_t off = first; off + sz <= PAGE_SIZE; off += sz) {
		struct free_obj *o = (struct free_obj *)(page + off);
		o->next = km_free[c];
		km_free[c] = o;
	}
	return true;
}

void *kmalloc(size_t n)
{
	if (n == 0 || n > PAGE_SIZE)
		return NULL;
	if (n > ((size_t)1 << MAX_SHIFT))
		return page_alloc();
	unsigned c = class_of(n);
	spin_lock(&km_lock);
	if (!km_free[c] && !refill(c)) {
		spin_unlock(&km_lock);
		return NULL;
	}
	struct free_obj *o = km_free[c];
	km_free[c] = o->next;
	spin_unlock(&km_lock);
	memset(o, 0, (size_t)1 << (c + MIN_SHIFT));
	return o;
}

void kfree(void *p)
{
	if (!p)
		return;
	if (((uint64_t)p & (PAGE_SIZE - 1)) == 0) {
		page_free(p);
		return;
	}
	struct slab_hdr *h = (struct slab_hdr *)PGROUNDDOWN((uint64_t)p);
	if (h->magic != SLAB_MAGIC || h->cls >= NCLASS)
		panic("mm/kmalloc.c: kfree(%p): not a kmalloc object", p);
	struct free_obj *o = p;
	spin_lock(&km_lock);
	o->next = km_free[h->cls];
	km_free[h->cls] = o;
	spin_unlock(&km_lock);
}
