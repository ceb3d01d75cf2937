/*
 * page_alloc.c - the physical page allocator: boot-time bump allocation of
 * aligned contiguous blocks (VHPTs, page tables of the kernel, the reference
 * counts), then a free list of 4 KiB pages with a reference count per page
 * (copy-on-write shares a page between address spaces; the last
 * page_ref_dec frees it).  One spinlock; pages are handed out zeroed.
 *
 * The free list is threaded through the free pages themselves (xv6-riscv's
 * kalloc idea); counts live in an array indexed by page frame number.
 */
#include "mm_priv.h"

struct free_page {
	struct free_page *next;
};

static struct spinlock pg_lock;
static struct free_page *free_list;
static uint64_t nfree;
static uint16_t *refcount; /* per frame of [mm_ram_base, mm_ram_end) */
static uint64_t boot_next; /* bump pointer before page_init */
static uint64_t first_free_pa;

uint64_t bootmem_alloc(uint64_t size, uint64_t align)
{
	if (boot_next == 0)
		boot_next = mm_kernel_end;
	uint64_t pa = (boot_next + align - 1) & ~(align - 1);
	KASSERT(first_free_pa == 0 && pa + size <= mm_ram_end);
	boot_next = pa + size;
	memset(P2V(pa), 0, size);
	return pa;
}

bool page_is_ram(uint64_t pa)
{
	return pa >= mm_ram_base && pa < mm_ram_end;
}

static uint64_t pfn(uint64_t pa)
{
	KASSERT(page_is_ram(pa));
	return (pa - mm_ram_base) >> 12;
}

static void free_push(uint64_t pa)
{
	struct free_page *p = P2V(pa);
	p->next = free_list;
	free_list = p;
	nfree++;
}

/* The order the free list first hands pages out (boot option pages=):
 *   top (default): the highest pages first, as a freshly booted Linux buddy
 *     allocator does (its free lists start with the highest blocks), so a
 *     small workload's memory stays in the top 16 MiB granule;
 *   spread: consecutive allocations one 16 MiB granule apart, all granules
 *     in turn - the scatter of a long-running system whose page cache has
 *     filled RAM.  An experiment knob: how the single vTLB's Alt-DTLB storm
 *     grows with the granules kernel data spans (docs/hypervisor.md).
 * Freed pages go back to the head either way (Linux's hot pages). */
static bool spread_order(void)
{
	return mm_boot_choice("pages", "top", "spread", false);
}

#define GRANULE (16ull << 20) /* Linux/ia64's IA64_GRANULE_SIZE default */

/* Gives every page of [boot_next, end_pa) to the free list. */
void page_init(uint64_t first_pa, uint64_t end_pa)
{
	(void)first_pa;
	spin_init(&pg_lock, "pages");
	uint64_t npages = (mm_ram_end - mm_ram_base) >> 12;
	refcount = P2V(bootmem_alloc(npages * sizeof(uint16_t), 8));
	first_free_pa = PGROUNDUP(boot_next);
	uint64_t end = PGROUNDDOWN(end_pa);
	if (!spread_order()) {
		for (uint64_t pa = first_free_pa; pa + PAGE_SIZE <= end; pa += PAGE_SIZE)
			free_push(pa); /* bottom up: the highest is handed out first */
		return;
	}
	uint64_t base = first_free_pa & ~(GRANULE - 1);
	for (uint64_t off = GRANULE; off > 0;) {
		off -= PAGE_SIZE; /* the last pushed, first handed out: offset 0 */
		for (uint64_t g = base; g + off < end; g += GRANULE)
			if (g + off >= first_free_pa)
				free_push(g + off);
	}
}

void *page_alloc(void)
{
	spin_lock(&pg_lock);
	struct free_page *p = free_list;
	if (p) {
		free_list = p->next;
		nfree--;
		KASSERT(refcount[pfn(V2P(p))] == 0);
		refcount[pfn(V2P(p))] = 1;
	}
	spin_unlock(&pg_lock);
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void page_free(void *va)
{
	page_ref_dec(V2P(va));
}

void page_ref_inc(uint64_t pa)
{
	spin_lock(&pg_lock);
	KASSERT(refcount[pfn(pa)] > 0 && refcount[pfn(pa)] < 0xffff);
	refcount[pfn(pa)]++;
	spin_unlock(&pg_lock);
}

int page_ref_get(uint64_t pa)
{
	return __atomic_load_n(&refcount[pfn(pa)], __ATOMIC_RELAXED);
}

void page_ref_dec(uint64_t pa)
{
	KASSERT((pa & (PAGE_SIZE - 1)) == 0 && pa >= first_free_pa);
	spin_lock(&pg_lock);
	uint16_t *r = &refcount[pfn(pa)];
	if (*r == 0)
		panic("mm/page_alloc.c: page_free of free page 0x%llx", (unsigned long long)pa);
	if (--*r == 0)
		free_push(pa);
	spin_unlock(&pg_lock);
}

uint64_t mm_free_pages(void)
{
	return __atomic_load_n(&nfree, __ATOMIC_RELAXED);
}
