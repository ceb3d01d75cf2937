/*
 * vma.c - the virtual memory areas of an address space: a list sorted by
 * start address of disjoint page-aligned ranges with their protection.
 * Callers hold aspace.lock.  Removing a range splits areas as munmap does,
 * before the pages go (aspace.c): a split that finds no memory fails the
 * call with nothing unmapped.
 */
#include "mm_priv.h"

struct vma *vma_find(struct aspace *as, uint64_t va)
{
	for (struct vma *v = as->vmas; v && v->start <= va; v = v->next)
		if (va < v->end)
			return v;
	return NULL;
}

bool vma_overlaps(struct aspace *as, uint64_t start, uint64_t end)
{
	for (struct vma *v = as->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return true;
	return false;
}

/* Inserts [start, end) (must not overlap); 0 or -VTLAB_ENOMEM. */
int vma_insert(struct aspace *as, uint64_t start, uint64_t end, int prot)
{
	KASSERT(start < end && !vma_overlaps(as, start, end));
	struct vma **pp = &as->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	struct vma *prev =
		pp == &as->vmas ? NULL : (struct vma *)((char *)pp - offsetof(struct vma, next));
	if (prev && prev->end == start && prev->prot == prot) { /* merge with the left neighbour */
		prev->end = end;
		return 0;
	}
	struct vma *v = kmalloc(sizeof *v);
	if (!v)
		return -VTLAB_ENOMEM;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->next = *pp;
	*pp = v;
	return 0;
}

/* Removes [start, end) from the areas; 0, or -VTLAB_ENOMEM with nothing
 * changed when an area that holds the whole range must be split in two and
 * there is no memory for the second half (as Linux's munmap fails with
 * ENOMEM when __split_vma cannot allocate). */
int vma_remove_range(struct aspace *as, uint64_t start, uint64_t end)
{
	struct vma **pp = &as->vmas;
	while (*pp) {
		struct vma *v = *pp;
		if (v->end <= start || v->start >= end) {
			pp = &v->next;
			continue;
		}
		if (v->start < start && v->end > end) { /* split in two */
			/* the areas are disjoint: no other one overlaps, so
			 * nothing has changed yet when this fails */
			struct vma *right = kmalloc(sizeof *right);
			if (!right)
				return -VTLAB_ENOMEM;
			*right = *v;
			right->start = end;
			v->end = start;
			v->next = right;
			return 0;
		}
		if (v->start < start) {
			v->end = start;
			pp = &v->next;
		} else if (v->end > end) {
			v->start = end;
			pp = &v->next;
		} else {
			*pp = v->next;
			kfree(v);
		}
	}
	return 0;
}

/* Highest gap of len bytes below MMAP_TOP, or 0. */
uint64_t vma_find_gap(struct aspace *as, uint64_t len)
{
	uint64_t best = 0;
	uint64_t lo = USER_BASE;
	for (struct vma *v = as->vmas;; v = v->next) {
		uint64_t hi = v ? v->start : USER_TOP;
		if (hi > MMAP_TOP)
			hi = MMAP_TOP;
		if (hi > lo && hi - lo >= len)
			best = hi - len;
		if (!v || v->end >= MMAP_TOP)
			break;
		lo = v->end;
	}
	return best;
}
