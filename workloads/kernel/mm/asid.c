/*
 * asid.c - address-space tags with generation-based recycling: Sv39 ASIDs
 * (satp.ASID, 16 bits) or Svtlb RIDs (24 bits), one allocator for both.
 *
 * Tags are handed out in increasing order within a generation; when they
 * run out the generation advances and every space gets a new tag at its
 * next activation.  A CPU flushes its whole TLB (Sv39: sfence.vma; Svtlb:
 * ptc.e and its VHPT) before it first uses a tag of a new generation, so a
 * recycled tag can never hit a translation of its previous owner (the
 * scheme of Linux's arm64/riscv ASID allocators and ia64's RID wrap).
 * An aspace remembers its previous tag: a CPU still running it under that
 * tag (it has not re-activated since) is reached by purging both.  A CPU
 * can run on under an even older tag (the space was re-activated elsewhere
 * in two later generations), so each CPU also records the tag it runs its
 * space under (mm_cpu.cur_tag) and Svtlb purges that one too; Sv39 purges
 * by address in every ASID and needs neither.
 */
#include "mm_priv.h"

static struct spinlock id_lock = { 0, -1, "asid" };
static uint32_t tag_first, tag_last, tag_next, tag_last_default;
static uint64_t tag_gen = 1;

void tag_init(uint32_t first, uint32_t last)
{
	tag_first = tag_next = first;
	tag_last = tag_last_default = last;
}

void tag_set_span(uint32_t n)
{
	spin_lock(&id_lock);
	tag_last = n ? tag_first + n - 1 : tag_last_default;
	spin_unlock(&id_lock);
}

uint64_t tag_generation(void)
{
	return __atomic_load_n(&tag_gen, __ATOMIC_RELAXED);
}

/* as->tag and prev_tag are stored atomically: svtlb.c's purges read them
 * without id_lock (flush_rids says why that is safe). */
bool tag_assign(struct aspace *as, struct mm_cpu *c, uint32_t *tag)
{
	spin_lock(&id_lock);
	if (as->tag_gen != tag_gen) {
		if (tag_next > tag_last) {
			tag_gen++;
			tag_next = tag_first;
		}
		__atomic_store_n(&as->prev_tag, as->tag, __ATOMIC_RELAXED);
		__atomic_store_n(&as->tag, tag_next++, __ATOMIC_RELAXED);
		as->tag_gen = tag_gen;
	}
	*tag = as->tag;
	bool flush = c->seen_gen != tag_gen;
	c->seen_gen = tag_gen;
	spin_unlock(&id_lock);
	return flush;
}
