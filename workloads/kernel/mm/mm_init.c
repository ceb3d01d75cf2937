/*
 * mm_init.c - boot of the memory manager (core/BOOT.md): mm_init() on the
 * boot CPU (running at KERNBASE under core's boot table) picks the back end
 * from the `mmu=` boot option, takes its boot-time blocks (the Sv39 kernel
 * root or the per-CPU VHPTs, the reference counts) right after the kernel
 * image and gives the rest of RAM to the page allocator; mm_init_cpu() on
 * every CPU switches it from the boot table to mm's translation.
 */
#include "mm_priv.h"

bool mm_svtlb;
bool mm_debug;
uint64_t mm_ram_base, mm_ram_end, mm_kernel_end;
struct mm_cpu mm_cpus[MAXCPU];

struct mm_cpu *mm_this_cpu(void)
{
	return mycpu()->mm;
}

bool mm_boot_choice(const char *key, const char *no, const char *yes, bool dflt)
{
	const char *v = boot_option(key);
	if (!v)
		return dflt;
	if (strcmp(v, yes) == 0)
		return true;
	if (strcmp(v, no) == 0)
		return false;
	panic("mm/mm_init.c: boot option %s=%s: expected %s or %s", key, v, no, yes);
}

void mm_init(uint64_t ram_base, uint64_t ram_size, uint64_t kernel_end_pa)
{
	mm_ram_base = ram_base;
	mm_ram_end = ram_base + ram_size;
	mm_kernel_end = PGROUNDUP(kernel_end_pa);
	mm_svtlb = mm_boot_choice("mmu", "sv39", "svtlb", true);
	const char *dbg = boot_option("debug");
	mm_debug = dbg && strcmp(dbg, "0") != 0;
	if (mm_svtlb)
		svtlb_init();
	else
		sv39_init();
	page_init(0, mm_ram_end);
	kprintf("mm: %s, %llu MiB RAM, %llu free pages\n", mm_svtlb ? "svtlb" : "sv39",
		(unsigned long long)(ram_size >> 20), (unsigned long long)mm_free_pages());
}

void mm_init_cpu(void)
{
	struct cpu *cpu = mycpu();
	KASSERT(cpu->id < MAXCPU);
	struct mm_cpu *c = &mm_cpus[cpu->id];
	c->id = cpu->id;
	cpu->mm = c;
	if (mm_svtlb)
		svtlb_init_cpu(c);
	else
		sv39_init_cpu(c);
	c->ready = true;
}
