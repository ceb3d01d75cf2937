/*
 * aspace.c - user address spaces: creation (with the stack VMA), fork with
 * copy-on-write, destruction, anonymous mappings (mmap/munmap), brk, the
 * exec loader's as_write/as_read, activation on a CPU, and the fault
 * resolution shared by both back ends (demand-zero pages, COW breaks).
 *
 * Lifetime: an aspace is held by its owner (until as_destroy) and by every
 * CPU that has it current (as_activate), so a CPU idling in a kernel thread
 * never keeps a freed page table in satp; the last reference frees it.
 * Stale TLB entries of a freed space are unreachable: its ASID/RID is not
 * handed out again before every CPU flushed its TLB (and VHPT) for the new
 * generation (asid.c).  Every PTE change that removes or narrows a
 * translation is followed by mmu_flush_range before the lock is released
 * and before the old page can be freed.
 */
#include "mm_priv.h"

#define FREE_BATCH 64

static bool user_range_ok(uint64_t va, uint64_t len)
{
	return va >= USER_BASE && len <= USER_TOP && va <= USER_TOP - len;
}

uint64_t pte_for_prot(uint64_t pa, int prot, bool dirty)
{
	uint64_t pte = PA_PTE(pa) | PTE_V | PTE_U | PTE_A;
	if (prot & (VTLAB_PROT_READ | VTLAB_PROT_WRITE))
		pte |= PTE_R; /* W without R is reserved (privileged spec 4.3.1) */
	if (prot & VTLAB_PROT_WRITE)
		pte |= PTE_W | (dirty ? PTE_D : 0);
	if (prot & VTLAB_PROT_EXEC)
		pte |= PTE_X;
	return pte;
}

static struct aspace *as_alloc(void)
{
	struct aspace *as = kmalloc(sizeof *as);
	if (!as)
		return NULL;
	as->root = pt_new_root();
	if (!as->root) {
		kfree(as);
		return NULL;
	}
	spin_init(&as->lock, "aspace");
	as->refs = 1;
	return as;
}

struct aspace *as_create(void)
{
	struct aspace *as = as_alloc();
	if (as && vma_insert(as, USER_STACK_TOP - STACK_SIZE, USER_STACK_TOP,
			     VTLAB_PROT_READ | VTLAB_PROT_WRITE) < 0) {
		as_destroy(as);
		return NULL;
	}
	return as;
}

void as_get(struct aspace *as)
{
	__atomic_add_fetch(&as->refs, 1, __ATOMIC_SEQ_CST);
}

static void as_free(struct aspace *as)
{
	pt_free_user(as->root);
	while (as->vmas) {
		struct vma *v = as->vmas;
		as->vmas = v->next;
		kfree(v);
	}
	kfree(as);
}

void as_put(struct aspace *as)
{
	if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_SEQ_CST) == 0)
		as_free(as);
}

void as_destroy(struct aspace *as)
{
	if (!as)
		return;
	as->dead = true;
	as_put(as);
}

void as_activate(struct aspace *as)
{
	struct mm_cpu *c = mm_this_cpu();
	struct aspace *old = c->cur;
	if (!as)
		return; /* kernel threads keep the previous space (core/BOOT.md) */
	if (old != as) {
		as_get(as);
		c->cur = as;
	}
	__atomic_fetch_or(&as->cpus, 1ull << c->id, __ATOMIC_SEQ_CST);
	if (mm_svtlb)
		svtlb_activate(as, c);
	else
		sv39_activate(as, c);
	if (old && old != as)
		as_put(old);
}

/* Gives the faulting/written page its own copy (lock held). */
static int break_cow(struct aspace *as, struct vma *v, uint64_t va, pte_t *pte)
{
	uint64_t old = PTE_PA(*pte);
	bool copied = false;
	if (page_ref_get(old) == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W | PTE_D | PTE_A;
	} else {
		void *copy = page_alloc();
		if (!copy)
			return VTLAB_SIGKILL;
		memcpy(copy, P2V(old), PAGE_SIZE);
		*pte = pte_for_prot(V2P(copy), v->prot, true);
		copied = true;
	}
	/* the old read-only translation may be cached on any CPU that ran us */
	mmu_flush_range(as, PGROUNDDOWN(va), PGROUNDDOWN(va) + PAGE_SIZE);
	/* Only now drop our reference: the other sharer may drop its own at
	 * any time (exit, its own COW break), and the page must not be freed
	 * and reused while a TLB of ours still maps it (file comment). */
	if (copied)
		page_ref_dec(old);
	return 0;
}

static bool prot_allows(int prot, enum mm_access acc)
{
	if (acc == ACC_FETCH)
		return prot & VTLAB_PROT_EXEC;
	if (acc == ACC_STORE)
		return prot & VTLAB_PROT_WRITE;
	return prot & (VTLAB_PROT_READ | VTLAB_PROT_WRITE);
}

int as_resolve(struct aspace *as, uint64_t va, enum mm_access acc, pte_t **ptep)
{
	struct vma *v = vma_find(as, va);
	if (!v || !prot_allows(v->prot, acc))
		return VTLAB_SIGSEGV;
	pte_t *pte = pt_walk(as->root, va, true);
	if (!pte)
		return VTLAB_SIGKILL;
	if (!(*pte & PTE_V)) { /* demand-zero */
		void *page = page_alloc();
		if (!page)
			return VTLAB_SIGKILL;
		*pte = pte_for_prot(V2P(page), v->prot, acc == ACC_STORE);
	} else if (acc == ACC_STORE && !(*pte & PTE_W)) {
		if (!(*pte & PTE_COW))
			return VTLAB_SIGSEGV;
		int r = break_cow(as, v, va, pte);
		if (r)
			return r;
	}
	*pte |= PTE_A | (acc == ACC_STORE ? PTE_D : 0);
	*ptep = pte;
	return 0;
}

static void free_batch(struct aspace *as, uint64_t *pages, int n, uint64_t lo, uint64_t hi)
{
	if (n == 0)
		return;
	mmu_flush_range(as, lo, hi);
	for (int i = 0; i < n; i++)
		page_ref_dec(pages[i]);
}

void as_unmap_pages(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t pages[FREE_BATCH];
	int n = 0;
	uint64_t lo = start, next;
	for (uint64_t va = start; va < end; va = next) {
		pte_t *pte = pt_lookup(as->root, va, &next);
		if (!pte || !(*pte & PTE_V))
			continue;
		pages[n++] = PTE_PA(*pte);
		*pte = 0;
		if (n == FREE_BATCH) {
			free_batch(as, pages, n, lo, va + PAGE_SIZE);
			n = 0;
			lo = va + PAGE_SIZE;
		}
	}
	free_batch(as, pages, n, lo, end);
}

int64_t as_map_anon(struct aspace *as, uint64_t va, uint64_t len, int prot, bool fixed)
{
	if (len == 0 || (prot & ~(VTLAB_PROT_READ | VTLAB_PROT_WRITE | VTLAB_PROT_EXEC)))
		return -VTLAB_EINVAL;
	len = PGROUNDUP(len);
	spin_lock(&as->lock);
	if (fixed) {
		if ((va & (PAGE_SIZE - 1)) || !user_range_ok(va, len)) {
			spin_unlock(&as->lock);
			return -VTLAB_EINVAL;
		}
		if (vma_remove_range(as, va, va + len) < 0) {
			spin_unlock(&as->lock);
			return -VTLAB_ENOMEM;
		}
		as_unmap_pages(as, va, va + len);
	} else {
		va = vma_find_gap(as, len);
		if (!va) {
			spin_unlock(&as->lock);
			return -VTLAB_ENOMEM;
		}
	}
	int r = vma_insert(as, va, va + len, prot);
	spin_unlock(&as->lock);
	return r < 0 ? r : (int64_t)va;
}

int as_unmap(struct aspace *as, uint64_t va, uint64_t len)
{
	if ((va & (PAGE_SIZE - 1)) || len == 0 || !user_range_ok(va, PGROUNDUP(len)))
		return -VTLAB_EINVAL;
	len = PGROUNDUP(len);
	spin_lock(&as->lock);
	int r = vma_remove_range(as, va, va + len); /* first: it may fail */
	if (r == 0)
		as_unmap_pages(as, va, va + len);
	spin_unlock(&as->lock);
	return r;
}

void as_set_brk_base(struct aspace *as, uint64_t base)
{
	spin_lock(&as->lock);
	as->brk_base = as->brk = PGROUNDUP(base);
	spin_unlock(&as->lock);
}

int64_t as_brk(struct aspace *as, uint64_t new_brk)
{
	spin_lock(&as->lock);
	uint64_t old_end = PGROUNDUP(as->brk), new_end = PGROUNDUP(new_brk);
	if (new_brk == 0 || new_brk < as->brk_base || new_end > MMAP_TOP)
		goto out;
	if (new_end > old_end) {
		if (vma_overlaps(as, old_end, new_end) ||
		    vma_insert(as, old_end, new_end, VTLAB_PROT_READ | VTLAB_PROT_WRITE) < 0)
			goto out;
	} else if (new_end < old_end) {
		if (vma_remove_range(as, new_end, old_end) < 0)
			goto out;
		as_unmap_pages(as, new_end, old_end);
	}
	as->brk = new_brk;
out:;
	int64_t r = (int64_t)as->brk;
	spin_unlock(&as->lock);
	return r;
}

/* Copies one page's worth of a kernel<->user transfer (lock held). */
static int copy_page_part(struct aspace *as, uint64_t va, uint8_t *buf, size_t n, bool to_user)
{
	struct vma *v = vma_find(as, va);
	if (!v)
		return -VTLAB_EFAULT;
	pte_t *pte = pt_walk(as->root, va, to_user);
	if (!to_user && (!pte || !(*pte & PTE_V))) {
		memset(buf, 0, n); /* never touched: reads as zero */
		return 0;
	}
	if (!pte)
		return -VTLAB_EFAULT;
	if (!(*pte & PTE_V)) {
		void *page = page_alloc();
		if (!page)
			return -VTLAB_ENOMEM;
		*pte = pte_for_prot(V2P(page), v->prot, true);
	} else if (to_user && (*pte & PTE_COW) && break_cow(as, v, va, pte)) {
		return -VTLAB_ENOMEM;
	}
	uint8_t *kva = (uint8_t *)P2V(PTE_PA(*pte)) + (va & (PAGE_SIZE - 1));
	if (to_user)
		memcpy(kva, buf, n);
	else
		memcpy(buf, kva, n);
	return 0;
}

static int as_copy(struct aspace *as, uint64_t va, uint8_t *buf, size_t n, bool to_user)
{
	if (!user_range_ok(va, n))
		return -VTLAB_EFAULT;
	int r = 0;
	spin_lock(&as->lock);
	while (n > 0 && r == 0) {
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (chunk > n)
			chunk = n;
		r = copy_page_part(as, va, buf, chunk, to_user);
		va += chunk;
		buf += chunk;
		n -= chunk;
	}
	spin_unlock(&as->lock);
	return r;
}

int as_write(struct aspace *as, uint64_t va, const void *src, size_t n)
{
	return as_copy(as, va, (uint8_t *)src, n, true);
}

int as_read(struct aspace *as, uint64_t va, void *dst, size_t n)
{
	return as_copy(as, va, dst, n, false);
}

/* Shares every present page of [v->start, v->end) with the child,
 * write-protecting writable ones in both (lock of the parent held). */
static int fork_vma(struct aspace *parent, struct aspace *child, struct vma *v)
{
	bool protected = false;
	uint64_t next;
	for (uint64_t va = v->start; va < v->end; va = next) {
		pte_t *pte = pt_lookup(parent->root, va, &next);
		if (!pte || !(*pte & PTE_V))
			continue;
		pte_t *cpte = pt_walk(child->root, va, true);
		if (!cpte)
			return -VTLAB_ENOMEM;
		if (*pte & PTE_W) {
			*pte = (*pte & ~PTE_W) | PTE_COW;
			protected = true;
		}
		page_ref_inc(PTE_PA(*pte));
		*cpte = *pte;
	}
	if (protected) /* stale writable entries in the parent's TLBs */
		mmu_flush_range(parent, v->start, v->end);
	return vma_insert(child, v->start, v->end, v->prot);
}

struct aspace *as_fork(struct aspace *parent)
{
	struct aspace *child = as_alloc();
	if (!child)
		return NULL;
	spin_lock(&parent->lock);
	int r = 0;
	for (struct vma *v = parent->vmas; v && r == 0; v = v->next)
		r = fork_vma(parent, child, v);
	child->brk_base = parent->brk_base;
	child->brk = parent->brk;
	spin_unlock(&parent->lock);
	if (r < 0) {
		as_destroy(child);
		return NULL;
	}
	return child;
}
