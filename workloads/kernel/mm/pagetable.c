/*
 * pagetable.c - the machine-independent radix page table: three levels of
 * 512 Sv39 PTEs (privileged spec 4.4).  Under Sv39 the hardware walks it;
 * under Svtlb the refill handler does (svtlb.c), as Linux/ia64 walks its
 * own page table on a TLB miss.  User mappings are 4 KiB leaves in root
 * entries below PT_KERNEL_FIRST; the kernel half of every root is a copy of
 * the Sv39 kernel root (global gigapages), never freed with the space.
 */
#include "mm_priv.h"

pte_t *pt_walk(pte_t *root, uint64_t va, bool alloc)
{
	pte_t *table = root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t *e = &table[PT_INDEX(va, level)];
		if (!(*e & PTE_V)) {
			if (!alloc)
				return NULL;
			void *next = page_alloc();
			if (!next)
				return NULL;
			*e = PA_PTE(V2P(next)) | PTE_V;
		}
		KASSERT(!(*e & PTE_LEAF)); /* no superpages in user space */
		table = P2V(PTE_PA(*e));
	}
	return &table[PT_INDEX(va, 0)];
}

pte_t *pt_new_root(void)
{
	pte_t *root = page_alloc();
	if (root && sv39_kernel_root)
		for (int i = PT_KERNEL_FIRST; i < 512; i++)
			root[i] = sv39_kernel_root[i];
	return root;
}

/* Drops the leaves of a table at `level` and frees it. */
static void free_table(pte_t *table, int level)
{
	for (int i = 0; i < 512; i++) {
		pte_t e = table[i];
		if (!(e & PTE_V))
			continue;
		if (level == 0)
			page_ref_dec(PTE_PA(e));
		else
			free_table(P2V(PTE_PA(e)), level - 1);
	}
	page_free(table);
}

void pt_free_user(pte_t *root)
{
	for (int i = 0; i < PT_KERNEL_FIRST; i++)
		if (root[i] & PTE_V)
			free_table(P2V(PTE_PA(root[i])), PT_LEVELS - 2);
	page_free(root);
}

pte_t *pt_lookup(pte_t *root, uint64_t va, uint64_t *next)
{
	pte_t *table = root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t e = table[PT_INDEX(va, level)];
		if (!(e & PTE_V)) {
			uint64_t span = 1ull << (12 + 9 * level);
			*next = (va & ~(span - 1)) + span;
			return NULL;
		}
		table = P2V(PTE_PA(e));
	}
	*next = PGROUNDDOWN(va) + PAGE_SIZE;
	return &table[PT_INDEX(va, 0)];
}
