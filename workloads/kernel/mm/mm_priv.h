/*
 * mm_priv.h - private interfaces of the kernel's memory manager (mm/).
 *
 * Contract: only the mm/ sources include this.  It defines the machine-independent
 * page-table format (the Sv39 PTE, privileged spec 4.4.1, used by both back
 * ends: on Sv39 it is the hardware table, on Svtlb the table the miss
 * handler walks, as Linux/ia64 walks its own page table), struct aspace and
 * its VMAs, the per-CPU mm state, and the calls between the common code and
 * the two MMU back ends (sv39.c, svtlb.c), selected at boot by `mmu=`.
 *
 * Locking: pg_lock (page_alloc.c) protects the free list and reference
 * counts; aspace.lock protects an address space's VMAs and page table (the
 * Svtlb refill runs under it too, so a refill never races with a shootdown);
 * id_lock (asid.c) protects ASID/RID allocation.  Shootdowns are synchronous
 * (SBI remote sfence.vma, ptc.g), so they may run with aspace.lock held.
 */
#ifndef MM_PRIV_H
#define MM_PRIV_H

#include "kernel.h"

/* ---- Sv39 PTE (privileged spec 4.4.1); RSW bit 8 marks copy-on-write ---- */
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_COW (1ull << 8)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PTE_PA(pte) (((pte) >> 10) << 12)
#define PA_PTE(pa) (((uint64_t)(pa) >> 12) << 10)
#define PT_LEVELS 3
#define PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511)
#define PT_KERNEL_FIRST 256 /* root entries >= this map the kernel half */

typedef uint64_t pte_t;

/* ---- access kinds ---- */
enum mm_access { ACC_FETCH, ACC_LOAD, ACC_STORE };

/* ---- address spaces ---- */
#define STACK_SIZE (8ull << 20)                            /* the stack VMA, demand-paged */
#define MMAP_TOP (USER_STACK_TOP - STACK_SIZE - PAGE_SIZE) /* mmap goes down from here */

struct vma {
	uint64_t start, end; /* [start, end), page aligned */
	int prot;            /* VTLAB_PROT_* */
	struct vma *next;    /* sorted by start */
};

struct aspace {
	struct spinlock lock;
	pte_t *root; /* kernel va of the radix table's root page */
	struct vma *vmas;
	uint64_t brk_base, brk; /* heap VMA is [brk_base, PGROUNDUP(brk)) */
	int refs;               /* owner + one per CPU that has it current (atomic) */
	bool dead;              /* as_destroy called; freed at refs == 0 */
	volatile uint64_t cpus; /* CPUs that ran it since creation (shootdown targets) */
	/* back-end tags: Sv39 ASID or Svtlb RID, with the generation they belong to */
	uint32_t tag, prev_tag;
	uint64_t tag_gen;
};

/* ---- per-CPU state (cpu.mm) ---- */
struct mm_cpu {
	unsigned id;
	struct aspace *cur; /* address space active here (held by a reference) */
	uint64_t seen_gen;  /* ASID/RID generation this CPU's TLB is clean for */
	uint32_t cur_tag;   /* Svtlb: the RID cur runs under here (may be older than cur's) */
	uint64_t vhpt_pa;   /* Svtlb: this CPU's VHPT */
	bool ready;
};
extern struct mm_cpu mm_cpus[MAXCPU];
struct mm_cpu *mm_this_cpu(void);

/* ---- globals (mm_init.c) ---- */
extern bool mm_svtlb; /* back end chosen at boot */
extern bool mm_debug;
extern uint64_t mm_ram_base, mm_ram_end, mm_kernel_end;
/* A two-way boot option key=no|yes (absent: dflt): true for yes; any other
 * value panics naming the option and what it accepts. */
bool mm_boot_choice(const char *key, const char *no, const char *yes, bool dflt);

/* ---- boot memory and pages (page_alloc.c) ---- */
uint64_t bootmem_alloc(uint64_t size, uint64_t align); /* physical, zeroed; before page_init */
void page_init(uint64_t first_pa, uint64_t end_pa);
void page_ref_inc(uint64_t pa);
int page_ref_get(uint64_t pa);
void page_ref_dec(uint64_t pa); /* frees the page when the count reaches 0 */
bool page_is_ram(uint64_t pa);

/* ---- radix page table (pagetable.c) ---- */
pte_t *pt_walk(pte_t *root, uint64_t va, bool alloc); /* leaf slot, or NULL */
void pt_free_user(pte_t *root);                       /* frees tables and drops leaf pages */
pte_t *pt_new_root(void);                             /* root with the kernel half copied */
/* Leaf slot of va if its tables exist, else NULL; *next = the next va
 * worth looking at (skips absent tables). */
pte_t *pt_lookup(pte_t *root, uint64_t va, uint64_t *next);

/* ---- address-space internals (aspace.c, vma.c) ---- */
struct vma *vma_find(struct aspace *as, uint64_t va);
int vma_insert(struct aspace *as, uint64_t start, uint64_t end, int prot);
int vma_remove_range(struct aspace *as, uint64_t start, uint64_t end);
uint64_t vma_find_gap(struct aspace *as, uint64_t len);
bool vma_overlaps(struct aspace *as, uint64_t start, uint64_t end);
void as_get(struct aspace *as);
void as_put(struct aspace *as);
uint64_t pte_for_prot(uint64_t pa, int prot, bool dirty);
/* Resolves a fault on a user address (lock held): returns 0 or a signal;
 * *ptep receives the now-valid leaf. */
int as_resolve(struct aspace *as, uint64_t va, enum mm_access acc, pte_t **ptep);
/* Unmaps the pages of [start, end) (lock held), flushing TLBs. */
void as_unmap_pages(struct aspace *as, uint64_t start, uint64_t end);

/* ---- ASID / RID allocation with generations (asid.c) ---- */
void tag_init(uint32_t first, uint32_t last);
/* Gives as a tag of the current generation (id_lock) and returns it in
 * *tag, read under the lock: as->tag can change again as soon as it is
 * released (another CPU, a generation later).  True if the CPU's TLB must
 * be flushed first (it has not seen this generation). */
bool tag_assign(struct aspace *as, struct mm_cpu *c, uint32_t *tag);
void tag_set_span(uint32_t n); /* tests: only n tags per generation; 0 = all */
uint64_t tag_generation(void);

/* ---- back ends: Sv39 (sv39.c) and Svtlb (svtlb.c) ---- */
void sv39_init(void);
void sv39_init_cpu(struct mm_cpu *c);
void sv39_activate(struct aspace *as, struct mm_cpu *c);
void sv39_flush_range(struct aspace *as, uint64_t start, uint64_t end);
void sv39_flush_local_all(void);
extern pte_t *sv39_kernel_root;

void svtlb_init(void);
void svtlb_init_cpu(struct mm_cpu *c);
void svtlb_activate(struct aspace *as, struct mm_cpu *c);
void svtlb_flush_range(struct aspace *as, uint64_t start, uint64_t end);
void svtlb_flush_local_all(struct mm_cpu *c);
int svtlb_fault(uint64_t scause, uint64_t va, bool user);
bool svtlb_vhpt_has(struct mm_cpu *c, uint32_t rid, uint64_t va); /* tests */
extern uint64_t svtlb_nested_misses; /* nested DTLB misses handled (tests) */

/* Back-end neutral TLB maintenance, after PTE changes (lock held). */
void mmu_flush_range(struct aspace *as, uint64_t start, uint64_t end);

/* ---- SBI (sbi_call.c) ---- */
struct mm_sbiret {
	long error, value;
};
struct mm_sbiret mm_sbi_call(long eid, long fid, long a0, long a1, long a2, long a3, long a4);
_Noreturn void mm_sbi_shutdown(bool failure);

/* ---- CSR access ---- */
#define csr_read(csr)                                                                              \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_));                                     \
		v_;                                                                                \
	})
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")

#endif
